//! printf-style formatting, `fmt % args`: the operand's classification, the
//! callback through which the interpreter supplies each argument, and the
//! conversions, as CPython's `PyUnicode_Format`.

use super::float::{float_repr, float_to_text, FloatOptions, FloatStyle};
use super::spec::code_point;
use super::{ExcKind, FormatError};

/// The right operand of `fmt % operand`, as CPython classifies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PctOperand {
    /// A tuple of this many items: one item per conversion (and per `*`).
    Tuple(usize),
    /// Any other object that is not a mapping: it is the single argument.
    Single,
    /// A non-tuple, non-`str` object whose type has `__getitem__` (`dict`,
    /// but also `list`...): `%(key)s` looks keys up in it, a conversion
    /// without a key uses the object itself, and leftover arguments are
    /// never an error.
    Mapping,
}

/// Which argument a conversion reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PctArg<'a> {
    /// An item of the tuple operand; for [`PctOperand::Single`] and
    /// [`PctOperand::Mapping`], index 0 is the operand itself.
    Index(usize),
    /// `operand[key]` for a `%(key)` conversion (a mapping operand).
    Key(&'a str),
}

/// What a conversion needs from its argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PctWant {
    /// `%s`: `str(arg)`, as [`PctValue::Str`].
    Str,
    /// `%r`: `repr(arg)`, as [`PctValue::Str`].
    Repr,
    /// `%a`: `ascii(arg)`, as [`PctValue::Str`].
    Ascii,
    /// The argument's value, for the numeric conversions (`d i u o x X e E
    /// f F g G`), for `c`, and for a `*` width or precision (`'*'`): an
    /// `int` (or `bool`) as [`PctValue::Int`], a `float` as
    /// [`PctValue::Float`], a `str` as [`PctValue::Str`] and anything else
    /// as [`PctValue::Other`] with its type name. The conversion character
    /// is given for interpreters that convert other objects themselves
    /// (through `__index__`, `__int__` or `__float__`).
    Value(char),
    /// Only look the `%(key)` argument up, because the rest of its
    /// conversion is malformed: CPython looks keys up first, so a missing
    /// key (`KeyError`) is reported instead of the format error. Any value
    /// will do; only an error matters.
    Lookup,
}

/// An argument, as [`percent_format`]'s callback supplies it.
#[derive(Clone, Debug, PartialEq)]
pub enum PctValue {
    Int(i64),
    Float(f64),
    /// The text a [`PctWant::Str`], [`PctWant::Repr`] or [`PctWant::Ascii`]
    /// asked for, or a `str` object for a [`PctWant::Value`].
    Str(String),
    /// An object of another type, by type name (`"list"`, `"NoneType"`),
    /// for the `TypeError` message.
    Other(String),
}

impl PctValue {
    /// The type name for error messages.
    fn type_name(&self) -> &str {
        match self {
            PctValue::Int(_) => "int",
            PctValue::Float(_) => "float",
            PctValue::Str(_) => "str",
            PctValue::Other(name) => name,
        }
    }

    /// The text of a value supplied for `%s`, `%r` or `%a`. Callbacks
    /// should answer those with `Str`; an `Int` or `Float` is shown as
    /// Python shows it, and an `Other` is taken as the text itself.
    fn into_text(self) -> String {
        match self {
            PctValue::Str(s) | PctValue::Other(s) => s,
            PctValue::Int(i) => i.to_string(),
            PctValue::Float(x) => float_repr(x),
        }
    }
}

/// Flags of one `%` conversion.
#[derive(Clone, Copy, Debug, Default)]
struct PctFlags {
    left: bool,
    plus: bool,
    blank: bool,
    alternate: bool,
    zero: bool,
}

/// `fmt % operand`: printf-style formatting, as CPython's `PyUnicode_Format`.
///
/// `get(arg, want)` supplies each argument in the form the conversion needs
/// (see [`PctWant`]); it is called once per conversion and per `*`, left to
/// right, so `__str__`/`__repr__` side effects happen in CPython's order.
/// Its own errors (a `KeyError` for a missing key, an exception raised by
/// `__repr__`) pass through unchanged; this function's errors convert into
/// `E` through `From<FormatError>`.
///
/// Supported: `%%`, mapping keys `%(name)`, flags `-+ #0`, width and
/// precision (numbers or `*`), the ignored length modifiers `h l L`, and the
/// conversions `s r a d i u o x X e E f F g G c`. Errors, with CPython's
/// messages: `TypeError` "not enough arguments for format string", "not all
/// arguments converted during string formatting", "format requires a
/// mapping", "* wants int", "%d format: a real number is required, not str",
/// "%x format: an integer is required, not float", "must be real number, not
/// str", "%c requires int or char"; `ValueError` "unsupported format
/// character 'y' (0x79) at index 3", "incomplete format", "incomplete format
/// key", "width too big", "precision too big", "cannot convert float NaN to
/// integer"; `OverflowError` "%c arg not in range(0x110000)", "cannot convert
/// float infinity to integer".
///
pub fn percent_format<E: From<FormatError>>(
    fmt: &str,
    operand: PctOperand,
    mut get: impl FnMut(PctArg<'_>, PctWant) -> Result<PctValue, E>,
) -> Result<String, E> {
    let mut cursor = FmtCursor::new(fmt);
    let mut args = ArgCursor::new(operand);
    let mut out = String::with_capacity(fmt.len() + 16);
    while let Some(c) = cursor.bump() {
        if c != '%' {
            out.push(c);
        } else if cursor.eat('%') {
            out.push('%');
        } else {
            convert_one(&mut cursor, &mut args, &mut get, &mut out)?;
        }
    }
    if args.has_unused() {
        return Err(FormatError::new(
            ExcKind::TypeError,
            "not all arguments converted during string formatting",
        )
        .into());
    }
    Ok(out)
}

/// Walks a format string by characters, keeping both the character index
/// (for error messages) and the byte offset (to borrow keys).
struct FmtCursor<'a> {
    fmt: &'a str,
    /// Byte offset and character, for each character.
    chars: Vec<(usize, char)>,
    pos: usize,
}

impl<'a> FmtCursor<'a> {
    fn new(fmt: &'a str) -> Self {
        FmtCursor {
            fmt,
            chars: fmt.char_indices().collect(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).map(|&(_, c)| c)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        let found = self.peek() == Some(c);
        if found {
            self.pos += 1;
        }
        found
    }

    fn byte_offset(&self, pos: usize) -> usize {
        self.chars.get(pos).map_or(self.fmt.len(), |&(offset, _)| offset)
    }

    /// Reads a run of ASCII digits, failing with `message` above `max`.
    fn number(&mut self, max: usize, message: &str) -> Result<usize, FormatError> {
        let mut value = 0usize;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(d as usize))
                .filter(|&v| v <= max)
                .ok_or_else(|| FormatError::new(ExcKind::ValueError, message))?;
            self.pos += 1;
        }
        Ok(value)
    }
}

/// Hands out arguments in order: CPython's `argidx`/`arglen` bookkeeping,
/// where a non-tuple operand is a single argument (`arglen == -1`).
struct ArgCursor<'a> {
    next: isize,
    len: isize,
    mapping: bool,
    /// After a `%(key)`, the keyed value stands in for the operand.
    key: Option<&'a str>,
}

impl<'a> ArgCursor<'a> {
    fn new(operand: PctOperand) -> Self {
        let (next, len) = match operand {
            PctOperand::Tuple(n) => (0, n as isize),
            PctOperand::Single | PctOperand::Mapping => (-2, -1),
        };
        ArgCursor {
            next,
            len,
            mapping: operand == PctOperand::Mapping,
            key: None,
        }
    }

    fn select_key(&mut self, key: &'a str) {
        self.key = Some(key);
        self.next = -2;
        self.len = -1;
    }

    fn next_arg(&mut self) -> Result<PctArg<'a>, FormatError> {
        if self.next >= self.len {
            return Err(FormatError::new(
                ExcKind::TypeError,
                "not enough arguments for format string",
            ));
        }
        let index = self.next;
        self.next += 1;
        Ok(match (self.len < 0, self.key) {
            (true, Some(key)) => PctArg::Key(key),
            (true, None) => PctArg::Index(0),
            (false, _) => PctArg::Index(index as usize),
        })
    }

    fn has_unused(&self) -> bool {
        self.next < self.len && !self.mapping
    }
}

/// One parsed `%` conversion.
#[derive(Clone, Copy, Debug)]
struct PctSpec {
    conv: char,
    flags: PctFlags,
    width: Option<usize>,
    precision: Option<usize>,
}

/// Parses the conversion just after a `%`, fetches its argument and appends
/// the result to `out`.
fn convert_one<'a, E: From<FormatError>>(
    cursor: &mut FmtCursor<'a>,
    args: &mut ArgCursor<'a>,
    get: &mut impl FnMut(PctArg<'_>, PctWant) -> Result<PctValue, E>,
    out: &mut String,
) -> Result<(), E> {
    // A `%(key)` no `*` has fetched yet: CPython looks keys up as soon as
    // it reads them, so a missing key beats any later error here.
    let mut pending_key = None;
    if cursor.eat('(') {
        if !args.mapping {
            return Err(FormatError::new(ExcKind::TypeError, "format requires a mapping").into());
        }
        let start = cursor.pos;
        let mut depth = 1;
        while depth > 0 {
            match cursor.bump() {
                None => {
                    let error = FormatError::new(ExcKind::ValueError, "incomplete format key");
                    return Err(error.into());
                }
                Some('(') => depth += 1,
                Some(')') => depth -= 1,
                Some(_) => {}
            }
        }
        let key = &cursor.fmt[cursor.byte_offset(start)..cursor.byte_offset(cursor.pos - 1)];
        args.select_key(key);
        pending_key = Some(key);
    }

    let mut flags = PctFlags::default();
    loop {
        match cursor.peek() {
            Some('-') => flags.left = true,
            Some('+') => flags.plus = true,
            Some(' ') => flags.blank = true,
            Some('#') => flags.alternate = true,
            Some('0') => flags.zero = true,
            _ => break,
        }
        cursor.pos += 1;
    }

    let mut width = None;
    if cursor.eat('*') {
        pending_key = None;
        let n = star_value(args, get)?;
        flags.left |= n < 0;
        // CPython negates a negative width in a C `Py_ssize_t`; for the
        // most negative one that overflows and leaves no width at all.
        width = Some(if n == i64::MIN { 0 } else { n.unsigned_abs() as usize });
    } else if cursor.peek().is_some_and(|c| c.is_ascii_digit()) {
        let n = cursor.number(isize::MAX as usize, "width too big");
        width = Some(n.map_err(|e| lookup_then(e, pending_key, get))?);
    }

    let mut precision = None;
    if cursor.eat('.') {
        precision = Some(if cursor.eat('*') {
            pending_key = None;
            let n = i32::try_from(star_value(args, get)?)
                .map_err(|_| FormatError::new(ExcKind::OverflowError, "Python int too large to convert to C int"))?;
            n.max(0) as usize
        } else {
            let n = cursor.number(i32::MAX as usize, "precision too big");
            n.map_err(|e| lookup_then(e, pending_key, get))?
        });
    }

    if matches!(cursor.peek(), Some('h' | 'l' | 'L')) {
        cursor.pos += 1;
    }
    let conv_index = cursor.pos;
    let Some(conv) = cursor.bump() else {
        let error = FormatError::new(ExcKind::ValueError, "incomplete format");
        return Err(lookup_then(error, pending_key, get));
    };

    let arg = args.next_arg()?;
    let spec = PctSpec {
        conv,
        flags,
        width,
        precision,
    };
    let text = match conv {
        's' | 'r' | 'a' => {
            let want = match conv {
                's' => PctWant::Str,
                'r' => PctWant::Repr,
                _ => PctWant::Ascii,
            };
            let mut text = get(arg, want)?.into_text();
            if let Some((end, _)) = precision.and_then(|p| text.char_indices().nth(p)) {
                text.truncate(end);
            }
            text
        }
        'd' | 'i' | 'u' | 'o' | 'x' | 'X' => pct_integer(&get(arg, PctWant::Value(conv))?, &spec)?,
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => pct_float(&get(arg, PctWant::Value(conv))?, &spec)?,
        'c' => pct_char(&get(arg, PctWant::Value(conv))?)?.to_string(),
        _ => {
            let code = u32::from(conv);
            let shown = if (31..=126).contains(&code) { conv } else { '?' };
            let message = format!("unsupported format character '{shown}' (0x{code:x}) at index {conv_index}");
            let error = FormatError::new(ExcKind::ValueError, message);
            return Err(lookup_then(error, pending_key, get));
        }
    };
    pct_pad(&text, &spec, out);
    Ok(())
}

/// `error`, unless looking up `pending_key` fails first (with a
/// `KeyError`, say).
fn lookup_then<E: From<FormatError>>(
    error: FormatError,
    pending_key: Option<&str>,
    get: &mut impl FnMut(PctArg<'_>, PctWant) -> Result<PctValue, E>,
) -> E {
    if let Some(key) = pending_key {
        if let Err(lookup_error) = get(PctArg::Key(key), PctWant::Lookup) {
            return lookup_error;
        }
    }
    error.into()
}

/// The next argument as a `*` width or precision: it must be an `int`.
fn star_value<'a, E: From<FormatError>>(
    args: &mut ArgCursor<'a>,
    get: &mut impl FnMut(PctArg<'_>, PctWant) -> Result<PctValue, E>,
) -> Result<i64, E> {
    let arg = args.next_arg()?;
    match get(arg, PctWant::Value('*'))? {
        PctValue::Int(n) => Ok(n),
        _ => Err(FormatError::new(ExcKind::TypeError, "* wants int").into()),
    }
}

/// `%d %i %u %o %x %X`: sign, `0x`/`0X`/`0o` prefix with `#`, and digits
/// zero-filled to the precision (CPython's `_PyUnicode_FormatLong`).
fn pct_integer(value: &PctValue, spec: &PctSpec) -> Result<String, FormatError> {
    let conv = spec.conv;
    let decimal = matches!(conv, 'd' | 'i' | 'u');
    let (negative, digits) = match value {
        PctValue::Int(i) => {
            let m = i.unsigned_abs();
            let digits = match conv {
                'o' => format!("{m:o}"),
                'x' => format!("{m:x}"),
                'X' => format!("{m:X}"),
                _ => m.to_string(),
            };
            (*i < 0, digits)
        }
        PctValue::Float(x) if decimal => {
            if x.is_nan() {
                let message = "cannot convert float NaN to integer";
                return Err(FormatError::new(ExcKind::ValueError, message));
            }
            if x.is_infinite() {
                let message = "cannot convert float infinity to integer";
                return Err(FormatError::new(ExcKind::OverflowError, message));
            }
            // `int(x)`: every float's integer part prints exactly.
            let t = x.trunc();
            (t < 0.0, format!("{:.0}", t.abs()))
        }
        other => {
            let required = if decimal { "a real number" } else { "an integer" };
            let message = format!("%{conv} format: {required} is required, not {}", other.type_name());
            return Err(FormatError::new(ExcKind::TypeError, message));
        }
    };
    let mut text = String::with_capacity(digits.len() + 4);
    if negative {
        text.push('-');
    }
    if spec.flags.alternate && !decimal {
        text.push('0');
        text.push(if conv == 'o' { 'o' } else { conv });
    }
    let zeros = spec.precision.unwrap_or(0).saturating_sub(digits.len());
    text.extend(std::iter::repeat_n('0', zeros));
    text.push_str(&digits);
    Ok(text)
}

/// `%e %E %f %F %g %G`: `float(arg)` through `PyOS_double_to_string`.
fn pct_float(value: &PctValue, spec: &PctSpec) -> Result<String, FormatError> {
    let x = match value {
        PctValue::Int(i) => *i as f64,
        PctValue::Float(x) => *x,
        other => {
            let message = format!("must be real number, not {}", other.type_name());
            return Err(FormatError::new(ExcKind::TypeError, message));
        }
    };
    let style = match spec.conv.to_ascii_lowercase() {
        'e' => FloatStyle::Exponent,
        'f' => FloatStyle::Fixed,
        _ => FloatStyle::General,
    };
    let opts = FloatOptions {
        style,
        precision: spec.precision.unwrap_or(6),
        upper: spec.conv.is_ascii_uppercase(),
        alternate: spec.flags.alternate,
        add_dot_0: false,
        no_neg_0: false,
    };
    Ok(float_to_text(x, opts))
}

/// `%c`: an `int` code point or a one-character `str`.
fn pct_char(value: &PctValue) -> Result<char, FormatError> {
    let type_error = || FormatError::new(ExcKind::TypeError, "%c requires int or char");
    match value {
        PctValue::Int(i) => {
            code_point(*i).ok_or_else(|| FormatError::new(ExcKind::OverflowError, "%c arg not in range(0x110000)"))
        }
        PctValue::Str(s) => {
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Ok(c),
                _ => Err(type_error()),
            }
        }
        _ => Err(type_error()),
    }
}

/// Pads a converted argument to its width (CPython's
/// `unicode_format_arg_output`). Numbers take their sign (and `#` prefix)
/// before `0` padding and after space padding; everything else is padded
/// with spaces only.
fn pct_pad(text: &str, spec: &PctSpec, out: &mut String) {
    let flags = spec.flags;
    let numeric = !matches!(spec.conv, 's' | 'r' | 'a' | 'c');
    let fill = if numeric && flags.zero { '0' } else { ' ' };
    let mut body = text;
    let mut sign = None;
    if numeric {
        if let Some(rest) = body.strip_prefix(['-', '+']) {
            sign = body.chars().next();
            body = rest;
        } else if flags.plus {
            sign = Some('+');
        } else if flags.blank {
            sign = Some(' ');
        }
    }
    let mut prefix = "";
    if flags.alternate && matches!(spec.conv, 'x' | 'X' | 'o') {
        prefix = &body[..2];
        body = &body[2..];
    }
    let len = body.chars().count();
    // The width left for the digits once the sign and prefix are placed.
    let mut width = spec.width.unwrap_or(0).max(len + prefix.len());
    if sign.is_some() && width > len + prefix.len() {
        width -= 1;
    }
    width = width.saturating_sub(prefix.len());
    if fill == '0' {
        out.extend(sign);
        out.push_str(prefix);
    }
    if !flags.left && width > len {
        out.extend(std::iter::repeat_n(fill, width - len));
        width = len;
    }
    if fill == ' ' {
        out.extend(sign);
        out.push_str(prefix);
    }
    out.push_str(body);
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(len)));
}
