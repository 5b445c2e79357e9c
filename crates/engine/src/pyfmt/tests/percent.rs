//! `fmt % args` with a tuple, a single operand and a mapping, and the order
//! in which arguments are asked for.

use crate::pyfmt::*;

/// An argument of a `%` test, with what the interpreter would report
/// about it.
#[derive(Clone, Copy, Debug)]
enum Arg {
    Int(i64),
    Float(f64),
    Str(&'static str),
    /// Another object: type name, `str()` (= `repr()`), and its integer
    /// value for `bool`.
    Obj(&'static str, &'static str, Option<i64>),
}

/// `ascii(s)` for the quote-free strings of these tests.
fn py_ascii(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match u32::from(c) {
            0..=0x7f => out.push(c),
            n @ 0x80..=0xff => out.push_str(&format!("\\x{n:02x}")),
            n @ 0x100..=0xffff => out.push_str(&format!("\\u{n:04x}")),
            n => out.push_str(&format!("\\U{n:08x}")),
        }
    }
    out.push('\'');
    out
}

/// What an interpreter's callback returns for `arg`.
fn supply(arg: Arg, want: PctWant) -> PctValue {
    match (want, arg) {
        (PctWant::Str | PctWant::Repr | PctWant::Ascii, Arg::Int(i)) => PctValue::Str(i.to_string()),
        (PctWant::Str | PctWant::Repr | PctWant::Ascii, Arg::Float(x)) => PctValue::Str(float_repr(x)),
        (PctWant::Str, Arg::Str(s)) => PctValue::Str(s.to_string()),
        (PctWant::Repr, Arg::Str(s)) => PctValue::Str(format!("'{s}'")),
        (PctWant::Ascii, Arg::Str(s)) => PctValue::Str(py_ascii(s)),
        (PctWant::Str | PctWant::Repr | PctWant::Ascii, Arg::Obj(_, text, _)) => PctValue::Str(text.to_string()),
        (PctWant::Value(_) | PctWant::Lookup, Arg::Int(i)) => PctValue::Int(i),
        (PctWant::Value(_) | PctWant::Lookup, Arg::Float(x)) => PctValue::Float(x),
        (PctWant::Value(_) | PctWant::Lookup, Arg::Str(s)) => PctValue::Str(s.to_string()),
        (PctWant::Value(_) | PctWant::Lookup, Arg::Obj(_, _, Some(i))) => PctValue::Int(i),
        (PctWant::Value(_) | PctWant::Lookup, Arg::Obj(name, _, None)) => PctValue::Other(name.to_string()),
    }
}

/// An interpreter error: a formatting error or a `KeyError`.
#[derive(Debug)]
enum TestError {
    Format(FormatError),
    Key(String),
}

impl From<FormatError> for TestError {
    fn from(error: FormatError) -> Self {
        TestError::Format(error)
    }
}

/// The result as Python shows it: the text, or `Class: message`.
fn shown(result: Result<String, TestError>) -> String {
    match result {
        Ok(text) => text,
        Err(TestError::Format(e)) => format!("{:?}: {}", e.kind, e.message),
        Err(TestError::Key(key)) => format!("KeyError: '{key}'"),
    }
}

fn percent_tuple(fmt: &str, args: &[Arg]) -> String {
    shown(percent_format(
        fmt,
        PctOperand::Tuple(args.len()),
        |arg, want| match arg {
            PctArg::Index(i) => Ok(supply(args[i], want)),
            PctArg::Key(_) => unreachable!("no keys without a mapping"),
        },
    ))
}

/// `fmt % args` with a tuple of args, in CPython 3.13.
const PERCENT: &[(&str, &[Arg], &str)] = &[
    ("%5.2f", &[Arg::Float(12.34567)], "12.35"),
    ("%-5d|", &[Arg::Int(42)], "42   |"),
    ("%s and %r", &[Arg::Str("a"), Arg::Str("a")], "a and 'a'"),
    ("%05d", &[Arg::Int(-42)], "-0042"),
    (
        "%x %X %o %#x %#o %#X",
        &[
            Arg::Int(255),
            Arg::Int(255),
            Arg::Int(8),
            Arg::Int(255),
            Arg::Int(8),
            Arg::Int(255),
        ],
        "ff FF 10 0xff 0o10 0XFF",
    ),
    ("%e", &[Arg::Float(12345.678)], "1.234568e+04"),
    ("%g", &[Arg::Float(0.0001234)], "0.0001234"),
    (
        "%g %g %g",
        &[Arg::Float(1.0e-05), Arg::Float(123456789.0), Arg::Float(100000.0)],
        "1e-05 1.23457e+08 100000",
    ),
    ("%10.3e|", &[Arg::Float(-12345.678)], "-1.235e+04|"),
    ("%+d % d %+d", &[Arg::Int(5), Arg::Int(5), Arg::Int(-5)], "+5  5 -5"),
    ("%c%c", &[Arg::Int(72), Arg::Str("i")], "Hi"),
    ("100%%", &[], "100%"),
    ("%.3s|", &[Arg::Str("abcdef")], "abc|"),
    ("%-8s|", &[Arg::Str("ab")], "ab      |"),
    ("%*d|", &[Arg::Int(6), Arg::Int(42)], "    42|"),
    (
        "%-*.*f|",
        &[Arg::Int(8), Arg::Int(2), Arg::Float(12.34567)],
        "12.35   |",
    ),
    ("%*d|", &[Arg::Int(-4), Arg::Int(7)], "7   |"),
    ("%d", &[Arg::Float(3.99)], "3"),
    ("%d", &[Arg::Float(-0.5)], "0"),
    ("%d", &[Arg::Float(1.0e20)], "100000000000000000000"),
    ("%.2f%%", &[Arg::Float(45.678)], "45.68%"),
    (
        "%i %s",
        &[Arg::Obj("bool", "True", Some(1)), Arg::Obj("bool", "True", Some(1))],
        "1 True",
    ),
    ("%r", &[Arg::Obj("NoneType", "None", None)], "None"),
    ("%s", &[Arg::Obj("list", "[1, 2]", None)], "[1, 2]"),
    ("%a %r", &[Arg::Str("é"), Arg::Str("é")], "'\\xe9' 'é'"),
    ("%5s|%-5s|", &[Arg::Str("ab"), Arg::Str("cd")], "   ab|cd   |"),
    (
        "%#.3g %G %F %f",
        &[
            Arg::Float(1.0),
            Arg::Float(1.0e-10),
            Arg::Float(f64::INFINITY),
            Arg::Float(f64::NAN),
        ],
        "1.00 1E-10 INF nan",
    ),
    ("%+.1e", &[Arg::Float(-0.0)], "-0.0e+00"),
    ("%.0f %.0f", &[Arg::Float(0.5), Arg::Float(1.5)], "0 2"),
    (
        "%#05x|%#5x|%-#8X|",
        &[Arg::Int(255), Arg::Int(255), Arg::Int(255)],
        "0x0ff| 0xff|0XFF    |",
    ),
    ("%#010x", &[Arg::Int(-255)], "-0x00000ff"),
    (
        "%05f|%+05f",
        &[Arg::Float(f64::INFINITY), Arg::Float(f64::NEG_INFINITY)],
        "00inf|-0inf",
    ),
    (
        "%.3d|%05.3d|%#.3x",
        &[Arg::Int(-5), Arg::Int(7), Arg::Int(1)],
        "-005|00007|0x001",
    ),
    ("%05s|%05c|", &[Arg::Str("ab"), Arg::Int(65)], "   ab|    A|"),
    ("%-05d|", &[Arg::Int(3)], "3    |"),
    ("%5c|%-5c|", &[Arg::Int(65), Arg::Str("B")], "    A|B    |"),
    (
        "%hd %ld %Lf",
        &[Arg::Int(1), Arg::Int(2), Arg::Float(3.0)],
        "1 2 3.000000",
    ),
    ("%u", &[Arg::Int(7)], "7"),
    ("%.*f", &[Arg::Int(-2), Arg::Float(12.34567)], "12"),
    ("%f", &[Arg::Int(5)], "5.000000"),
    ("%10r|", &[Arg::Str("a")], "       'a'|"),
    (
        "%d",
        &[Arg::Str("a")],
        "TypeError: %d format: a real number is required, not str",
    ),
    (
        "%x",
        &[Arg::Float(1.5)],
        "TypeError: %x format: an integer is required, not float",
    ),
    (
        "%o",
        &[Arg::Str("a")],
        "TypeError: %o format: an integer is required, not str",
    ),
    ("%f", &[Arg::Str("a")], "TypeError: must be real number, not str"),
    (
        "%f",
        &[Arg::Obj("NoneType", "None", None)],
        "TypeError: must be real number, not NoneType",
    ),
    ("%c", &[Arg::Str("ab")], "TypeError: %c requires int or char"),
    ("%c", &[Arg::Float(1.5)], "TypeError: %c requires int or char"),
    (
        "%c",
        &[Arg::Int(1114112)],
        "OverflowError: %c arg not in range(0x110000)",
    ),
    ("%c", &[Arg::Int(-1)], "OverflowError: %c arg not in range(0x110000)"),
    (
        "%d",
        &[Arg::Float(f64::INFINITY)],
        "OverflowError: cannot convert float infinity to integer",
    ),
    (
        "%d",
        &[Arg::Float(f64::NAN)],
        "ValueError: cannot convert float NaN to integer",
    ),
    ("%*d", &[Arg::Str("a"), Arg::Int(1)], "TypeError: * wants int"),
    (
        "%.*f",
        &[Arg::Int(2147483648), Arg::Float(1.0)],
        "OverflowError: Python int too large to convert to C int",
    ),
    (
        "%s %s",
        &[Arg::Int(1)],
        "TypeError: not enough arguments for format string",
    ),
    (
        "%s",
        &[Arg::Int(1), Arg::Int(2)],
        "TypeError: not all arguments converted during string formatting",
    ),
    (
        "ab%y",
        &[Arg::Int(1)],
        "ValueError: unsupported format character 'y' (0x79) at index 3",
    ),
    ("%s %y", &[], "TypeError: not enough arguments for format string"),
    (
        "%é",
        &[Arg::Int(1)],
        "ValueError: unsupported format character '?' (0xe9) at index 1",
    ),
    (
        "%5%",
        &[Arg::Int(1)],
        "ValueError: unsupported format character '%' (0x25) at index 2",
    ),
    ("%", &[], "ValueError: incomplete format"),
    ("%5", &[Arg::Int(1)], "ValueError: incomplete format"),
    ("%.", &[Arg::Int(1)], "ValueError: incomplete format"),
    ("%-", &[Arg::Int(1)], "ValueError: incomplete format"),
    ("%*", &[Arg::Int(1)], "ValueError: incomplete format"),
    ("%.99999999999f", &[Arg::Float(1.0)], "ValueError: precision too big"),
    ("%99999999999999999999d", &[Arg::Int(1)], "ValueError: width too big"),
    ("%*d|", &[Arg::Int(-9223372036854775808), Arg::Int(3)], "3|"),
];

const SINGLE: &[(&str, Arg, &str)] = &[
    ("%s", Arg::Int(5), "5"),
    ("%d items", Arg::Int(3), "3 items"),
    (
        "hi",
        Arg::Int(5),
        "TypeError: not all arguments converted during string formatting",
    ),
    (
        "%s %s",
        Arg::Int(5),
        "TypeError: not enough arguments for format string",
    ),
    ("%5.1f|", Arg::Float(2.25), "  2.2|"),
    ("%(a)s", Arg::Int(5), "TypeError: format requires a mapping"),
];

/// `fmt % {'name': 'Ada', 'age': 36, 'pi': 12.34567, 'a(b)': 'nested'}`.
const MAPPING: &[(&str, &str)] = &[
    ("%(name)s is %(age)d", "Ada is 36"),
    ("%(pi).2f|%(pi)8.3f|%(age)-5d|", "12.35|  12.346|36   |"),
    ("%(a(b))s", "nested"),
    ("%(age)x %%", "24 %"),
    ("%(missing)s", "KeyError: 'missing'"),
    ("%(missing)5%", "KeyError: 'missing'"),
    ("%(missing)", "KeyError: 'missing'"),
    ("%(name)*d", "TypeError: * wants int"),
    ("%(name", "ValueError: incomplete format key"),
    ("hi", "hi"),
    ("%s", "{'name': 'Ada', 'age': 36, 'pi': 12.34567, 'a(b)': 'nested'}"),
    ("%(name)s %s", "TypeError: not enough arguments for format string"),
];

#[test]
fn precision_past_rust_formatter_limits() {
    // The exact expansion of 0.1 has 55 decimals; the rest are zeros.
    let text = format_float(0.1, ".1200f").unwrap();
    let exact = "0.1000000000000000055511151231257827021181583404541015625";
    assert_eq!(text.len(), 1202);
    assert!(text.starts_with(exact));
    assert!(text[exact.len()..].bytes().all(|b| b == b'0'));
    let text = percent_tuple("%.70000e", &[Arg::Float(1.5)]);
    assert_eq!(text.len(), 70006);
    assert!(text.starts_with("1.5000") && text.ends_with("000e+00"));
}

#[test]
fn percent_with_tuple_matches_cpython() {
    for &(fmt, args, expected) in PERCENT {
        assert_eq!(percent_tuple(fmt, args), expected, "{fmt:?} % {args:?}");
    }
}

#[test]
fn percent_with_single_operand_matches_cpython() {
    for &(fmt, arg, expected) in SINGLE {
        let result = percent_format(fmt, PctOperand::Single, |key, want| {
            assert_eq!(key, PctArg::Index(0));
            Ok::<_, TestError>(supply(arg, want))
        });
        assert_eq!(shown(result), expected, "{fmt:?} % {arg:?}");
    }
}

#[test]
fn percent_with_mapping_matches_cpython() {
    let mapping = [
        ("name", Arg::Str("Ada")),
        ("age", Arg::Int(36)),
        ("pi", Arg::Float(12.34567)),
        ("a(b)", Arg::Str("nested")),
    ];
    let itself = Arg::Obj(
        "dict",
        "{'name': 'Ada', 'age': 36, 'pi': 12.34567, 'a(b)': 'nested'}",
        None,
    );
    for &(fmt, expected) in MAPPING {
        let result = percent_format(fmt, PctOperand::Mapping, |arg, want| match arg {
            PctArg::Index(0) => Ok(supply(itself, want)),
            PctArg::Index(i) => unreachable!("index {i} of a mapping"),
            PctArg::Key(key) => mapping
                .iter()
                .find(|(k, _)| *k == key)
                .map(|&(_, value)| supply(value, want))
                .ok_or_else(|| TestError::Key(key.to_string())),
        });
        assert_eq!(shown(result), expected, "{fmt:?} % mapping");
    }
}

#[test]
fn percent_asks_for_each_argument_once_in_order() {
    let mut requests = Vec::new();
    let result = percent_format("%s %r %*d %.*f %(k)s", PctOperand::Tuple(6), |arg, want| {
        let PctArg::Index(index) = arg else {
            unreachable!("no keys without a mapping")
        };
        requests.push((index, want));
        Ok::<_, FormatError>(PctValue::Int(3))
    });
    assert_eq!(result.unwrap_err().message, "format requires a mapping");
    assert_eq!(
        requests,
        [
            (0, PctWant::Str),
            (1, PctWant::Repr),
            (2, PctWant::Value('*')),
            (3, PctWant::Value('d')),
            (4, PctWant::Value('*')),
            (5, PctWant::Value('f')),
        ]
    );
}

#[test]
fn format_error_display() {
    let error = FormatError::new(ExcKind::ValueError, "incomplete format");
    assert_eq!(error.to_string(), "ValueError: incomplete format");
}
