//! `repr(x)` and `format(x, spec)` for `float`, `int` and `str`, and the
//! format-spec errors.

use crate::pyfmt::*;

/// `repr(x)` in CPython 3.13.
const REPRS: &[(f64, &str)] = &[
    (0.0, "0.0"),
    (-0.0, "-0.0"),
    (1.0, "1.0"),
    (-1.0, "-1.0"),
    (0.1, "0.1"),
    (0.5, "0.5"),
    (1.5, "1.5"),
    (0.6666666666666666, "0.6666666666666666"),
    (1.0e16, "1e+16"),
    (1.0e-05, "1e-05"),
    (0.0001, "0.0001"),
    (123456789012345.0, "123456789012345.0"),
    (1.2345678901234568e16, "1.2345678901234568e+16"),
    (1000000000000000.0, "1000000000000000.0"),
    (9999999999999998.0, "9999999999999998.0"),
    (1.0e22, "1e+22"),
    (1.0e100, "1e+100"),
    (1.0e-07, "1e-07"),
    (1.5e-07, "1.5e-07"),
    (5.0e-324, "5e-324"),
    (1.7976931348623157e308, "1.7976931348623157e+308"),
    (2.2250738585072014e-308, "2.2250738585072014e-308"),
    (12.34567, "12.34567"),
    (100.0, "100.0"),
    (0.00030000000000000003, "0.00030000000000000003"),
    (0.30000000000000004, "0.30000000000000004"),
    (-645548538770796.2, "-645548538770796.2"),
    (255406846989484.12, "255406846989484.12"),
    (f64::INFINITY, "inf"),
    (f64::NEG_INFINITY, "-inf"),
    (f64::NAN, "nan"),
];

const FLOATS: &[(f64, &str, &str)] = &[
    (12.34567, ".2f", "12.35"),
    (-2.5, ".2f", "-2.50"),
    (0.125, ".2f", "0.12"),
    (2.675, ".2f", "2.67"),
    (10000000000.0, ".2f", "10000000000.00"),
    (1.5, ">8", "     1.5"),
    (-0.0, ">8", "    -0.0"),
    (f64::INFINITY, ">8", "     inf"),
    (-1.25, "<8", "-1.25   "),
    (1.5, "^9", "   1.5   "),
    (0.256, ".1%", "25.6%"),
    (1.0, ".1%", "100.0%"),
    (-0.0005, ".1%", "-0.1%"),
    (0.5, "%", "50.000000%"),
    (1.0e-05, "e", "1.000000e-05"),
    (123456789.0, "e", "1.234568e+08"),
    (0.0001234, "e", "1.234000e-04"),
    (0.0, "e", "0.000000e+00"),
    (-1.5, ".3E", "-1.500E+00"),
    (12345.678, ".0e", "1e+04"),
    (1.0e-05, "g", "1e-05"),
    (123456789.0, "g", "1.23457e+08"),
    (0.0001234, "g", "0.0001234"),
    (100000.0, "g", "100000"),
    (1000000.0, "g", "1e+06"),
    (0.00015, "g", "0.00015"),
    (1.0e-05, "G", "1E-05"),
    (0.0, "g", "0"),
    (1.0, "#g", "1.00000"),
    (1.0, "#.0g", "1."),
    (1.0e-05, "", "1e-05"),
    (123456789.0, "", "123456789.0"),
    (0.0001234, "", "0.0001234"),
    (1.0e16, "", "1e+16"),
    (2.0, ".3", "2.0"),
    (100.0, ".3", "1e+02"),
    (12.0, ".3", "12.0"),
    (1.0e20, "#", "1.e+20"),
    (0.1, ".20g", "0.10000000000000000555"),
    (0.1, ".17g", "0.10000000000000001"),
    (0.1, ".16", "0.1"),
    (1234567.891, ",.2f", "1,234,567.89"),
    (1234567.891, "_.1f", "1_234_567.9"),
    (-1234567.891, ",.0f", "-1,234,568"),
    (1234.5, "010,", "0,001,234.5"),
    (1234.5, "09,", "001,234.5"),
    (1234567.0, ",g", "1.23457e+06"),
    (1234567.0, ",e", "1.234567e+06"),
    (-12.34567, "010.2f", "-000012.35"),
    (12.34567, "+.3e", "+1.235e+01"),
    (12.34567, " g", " 12.3457"),
    (2.5, "#.0f", "2."),
    (2.5, ".0f", "2"),
    (0.5, ".0f", "0"),
    (1.5, ".0f", "2"),
    (-0.04, "z.1f", "0.0"),
    (-0.04, ".1f", "-0.0"),
    (-0.0, "z", "0.0"),
    (12.34567, "=+10.2f", "+    12.35"),
    (12.34567, "*^12.3f", "***12.346***"),
    (f64::INFINITY, "F", "INF"),
    (f64::NAN, "E", "NAN"),
    (f64::NEG_INFINITY, "+", "-inf"),
    (f64::NAN, "+08", "+0000nan"),
    (f64::INFINITY, "010", "0000000inf"),
    (f64::INFINITY, "%", "inf%"),
    (1234.5678, "n", "1234.57"),
    (1.0e300, ".3g", "1e+300"),
    (1.0e23, ".1f", "99999999999999991611392.0"),
    (-1.0e-300, "z.2f", "0.00"),
    (1.5, "¤^7", "¤¤1.5¤¤"),
    (123.456, "_<12,.2f", "123.46______"),
];

const INTS: &[(i64, &str, &str)] = &[
    (1234567, ",", "1,234,567"),
    (-1234567, ",", "-1,234,567"),
    (0, ",", "0"),
    (999, ",", "999"),
    (42, "05d", "00042"),
    (-42, "05d", "-0042"),
    (42, "05", "00042"),
    (123456789, "_", "123_456_789"),
    (3735928559, "_x", "dead_beef"),
    (10, "#_b", "0b1010"),
    (8, "#o", "0o10"),
    (255, "#X", "0XFF"),
    (255, "x", "ff"),
    (-255, "x", "-ff"),
    (5, "b", "101"),
    (65, "c", "A"),
    (9731, "c", "☃"),
    (65, "^5c", "  A  "),
    (42, "^9", "   42    "),
    (42, "*<6", "42****"),
    (-42, "=+8", "-     42"),
    (42, "+", "+42"),
    (42, " ", " 42"),
    (-42, "-", "-42"),
    (42, "+05", "+0042"),
    (7, ".2f", "7.00"),
    (3, "%", "300.000000%"),
    (12345, "e", "1.234500e+04"),
    (10000000, "g", "1e+07"),
    (1, ".1%", "100.0%"),
    (-7, "z.1f", "-7.0"),
    (1234, "010,", "00,001,234"),
    (1234, "08,", "0,001,234"),
    (1234, "07,", "001,234"),
    (-1234, "09,", "-0,001,234"),
    (1234567, "n", "1234567"),
    (255, "#010x", "0x000000ff"),
    (255, "#010_x", "0x000_00ff"),
    (255, "010_b", "0_1111_1111"),
    (9223372036854775807, ",", "9,223,372,036,854,775,807"),
    (-9223372036854775808, "", "-9223372036854775808"),
    (-9223372036854775808, "#x", "-0x8000000000000000"),
    (42, "x<05", "42xxx"),
    (42, "<05", "42000"),
    (42, "0=8", "00000042"),
    (42, "é>6", "éééé42"),
    (1234, "_d", "1_234"),
    (12345, "#,d", "12,345"),
];

const STRS: &[(&str, &str, &str)] = &[
    ("abc", "^10", "   abc    "),
    ("ab", "*<6", "ab****"),
    ("ab", ">5", "   ab"),
    ("abcdef", ".3", "abc"),
    ("abcdef", "10.2", "ab        "),
    ("abc", "", "abc"),
    ("hé", "^7", "  hé   "),
    ("日本", "x^8", "xxx日本xxx"),
    ("ab", "05", "ab000"),
    ("ab", "<05", "ab000"),
    ("abc", "s", "abc"),
    ("abc", ".0", ""),
    ("abcdef", "^10.3", "   abc    "),
    ("ab", "x^7", "xxabxxx"),
    ("ab", "1", "ab"),
    ("", "3", "   "),
];

const ERRORS: &[(&str, &str, &str, &str)] = &[
    (
        "float",
        "1.5",
        "d",
        "Unknown format code 'd' for object of type 'float'",
    ),
    (
        "float",
        "1.5",
        "x",
        "Unknown format code 'x' for object of type 'float'",
    ),
    (
        "float",
        "1.5",
        "s",
        "Unknown format code 's' for object of type 'float'",
    ),
    (
        "float",
        "1.5",
        "ff",
        "Invalid format specifier 'ff' for object of type 'float'",
    ),
    ("float", "1.5", ".", "Format specifier missing precision"),
    ("float", "1.5", ".f", "Format specifier missing precision"),
    ("float", "1.5", ",_", "Cannot specify both ',' and '_'."),
    ("float", "1.5", "_,", "Cannot specify both ',' and '_'."),
    ("float", "1.5", ",n", "Cannot specify ',' with 'n'."),
    ("float", "1.5", ",,", "Cannot specify ',' with ','."),
    (
        "float",
        "1.5",
        "99999999999999999999",
        "Too many decimal digits in format string",
    ),
    (
        "float",
        "1.5",
        "\u{1}",
        "Unknown format code '\\x1' for object of type 'float'",
    ),
    (
        "float",
        "1.5",
        "é",
        "Unknown format code '\\xe9' for object of type 'float'",
    ),
    ("int", "5", ".2", "Precision not allowed in integer format specifier"),
    ("int", "5", ".2d", "Precision not allowed in integer format specifier"),
    (
        "int",
        "5",
        "z",
        "Negative zero coercion (z) not allowed in integer format specifier",
    ),
    ("int", "65", "+c", "Sign not allowed with integer format specifier 'c'"),
    (
        "int",
        "65",
        "#c",
        "Alternate form (#) not allowed with integer format specifier 'c'",
    ),
    ("int", "65", ",c", "Cannot specify ',' with 'c'."),
    ("int", "5", ",x", "Cannot specify ',' with 'x'."),
    ("int", "5", "_n", "Cannot specify '_' with 'n'."),
    ("int", "5", "y", "Unknown format code 'y' for object of type 'int'"),
    (
        "int",
        "5",
        "dd",
        "Invalid format specifier 'dd' for object of type 'int'",
    ),
    ("int", "5", "s", "Unknown format code 's' for object of type 'int'"),
    ("int", "1114112", "c", "%c arg not in range(0x110000)"),
    ("int", "-1", "c", "%c arg not in range(0x110000)"),
    (
        "int",
        "5",
        ".99999999999999999999",
        "Too many decimal digits in format string",
    ),
    ("str", "ab", "d", "Unknown format code 'd' for object of type 'str'"),
    ("str", "ab", "=", "'=' alignment not allowed in string format specifier"),
    (
        "str",
        "ab",
        "=5",
        "'=' alignment not allowed in string format specifier",
    ),
    ("str", "ab", "+", "Sign not allowed in string format specifier"),
    ("str", "ab", " ", "Space not allowed in string format specifier"),
    (
        "str",
        "ab",
        "#",
        "Alternate form (#) not allowed in string format specifier",
    ),
    (
        "str",
        "ab",
        "z",
        "Negative zero coercion (z) not allowed in string format specifier",
    ),
    ("str", "ab", ",", "Cannot specify ',' with 's'."),
    ("str", "ab", "_", "Cannot specify '_' with 's'."),
    (
        "str",
        "ab",
        "ss",
        "Invalid format specifier 'ss' for object of type 'str'",
    ),
    (
        "str",
        "ab",
        "#=",
        "'=' alignment not allowed in string format specifier",
    ),
    ("str", "ab", "+d", "Unknown format code 'd' for object of type 'str'"),
];

#[test]
fn float_repr_matches_cpython() {
    for &(x, expected) in REPRS {
        assert_eq!(float_repr(x), expected, "repr({x:?})");
        assert_eq!(format_float(x, "").as_deref(), Ok(expected), "format({x:?}, '')");
    }
}

#[test]
fn format_float_matches_cpython() {
    for &(x, spec, expected) in FLOATS {
        assert_eq!(
            format_float(x, spec).as_deref(),
            Ok(expected),
            "format({x:?}, {spec:?})"
        );
    }
}

#[test]
fn format_int_matches_cpython() {
    for &(n, spec, expected) in INTS {
        assert_eq!(format_int(n, spec).as_deref(), Ok(expected), "format({n}, {spec:?})");
    }
}

#[test]
fn format_str_matches_cpython() {
    for &(s, spec, expected) in STRS {
        assert_eq!(format_str(s, spec).as_deref(), Ok(expected), "format({s:?}, {spec:?})");
    }
}

#[test]
fn format_errors_match_cpython() {
    for &(kind, value, spec, expected) in ERRORS {
        let result = match kind {
            "float" => format_float(value.parse().unwrap(), spec),
            "int" => format_int(value.parse().unwrap(), spec),
            _ => format_str(value, spec),
        };
        assert_eq!(result, Err(expected.to_string()), "format({kind} {value}, {spec:?})");
    }
}
