//! Python's text formatting of numbers and strings, as pure functions.
//!
//! Everything here reproduces CPython 3.12/3.13 output character for
//! character, including the exact messages of the exceptions it raises:
//!
//! - [`float_repr`] (and its alias [`format_float_str`]): `repr(x)` / `str(x)`
//!   for a `float`: the shortest digits that round-trip, in fixed notation
//!   when the decimal exponent is in `-4..16` and in scientific notation
//!   (`1e+16`, `1e-05`) otherwise.
//! - [`format_int`], [`format_float`], [`format_str`]: `format(value, spec)`,
//!   which is also what an f-string replacement field `{value:spec}` does.
//!   They implement the whole format-specification mini-language:
//!   `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
//!   Errors are the messages of the `ValueError` CPython raises; the one
//!   exception is `format(n, 'c')` with `n` outside `range(0x110000)`,
//!   which CPython reports as `OverflowError` ("%c arg not in
//!   range(0x110000)").
//! - [`percent_format`]: printf-style `fmt % args`. The interpreter supplies
//!   the arguments through a callback, because what a conversion needs from
//!   its argument (`str()`, `repr()`, `ascii()` or a number) is only known
//!   once the conversion has been parsed; errors are [`FormatError`]s that
//!   carry their exception class.
//!
//! The `n` presentation type behaves as in CPython under the default "C"
//! numeric locale (CPython never changes `LC_NUMERIC` on its own): like `d`
//! for integers and `g` for floats, without digit grouping.
//!
//! Not supported: Unicode decimal digits other than `0`-`9` in widths and
//! precisions (CPython accepts them), and lone surrogates, which a Rust
//! string cannot hold: `format(0xD800, 'c')` and `'%c' % 0xD800` give
//! U+FFFD instead.

use std::fmt;

// ---------------------------------------------------------------------------
// Float to text (PyOS_double_to_string)
// ---------------------------------------------------------------------------

/// How a float is laid out: the format codes of `PyOS_double_to_string`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FloatStyle {
    /// `e`: one digit, a point, `precision` digits, an exponent.
    Exponent,
    /// `f`: `precision` digits after the point.
    Fixed,
    /// `g`: `precision` significant digits, fixed or scientific by magnitude,
    /// trailing zeros removed.
    General,
    /// `r`: the shortest digits that round-trip, as `repr()` lays them out.
    Repr,
}

/// Options for [`float_to_text`].
#[derive(Clone, Copy, Debug)]
struct FloatOptions {
    style: FloatStyle,
    precision: usize,
    /// `E`, `F`, `G`: upper-case exponent marker, `INF` and `NAN`.
    upper: bool,
    /// `#`: always a decimal point; `g` keeps its trailing zeros.
    alternate: bool,
    /// Append `.0` to integral fixed-notation output (`repr` and the empty
    /// presentation type); for `g` this also moves the switch to scientific
    /// notation one digit earlier.
    add_dot_0: bool,
    /// `z`: no minus sign on a result whose digits are all zero.
    no_neg_0: bool,
}

/// A float as text, sign included (NaN never has one): CPython's
/// `PyOS_double_to_string`.
fn float_to_text(x: f64, opts: FloatOptions) -> String {
    let body = if x.is_nan() {
        "nan".to_string()
    } else if x.is_infinite() {
        "inf".to_string()
    } else {
        finite_body(x.abs(), opts)
    };
    let mut negative = x.is_sign_negative() && !x.is_nan();
    if negative && opts.no_neg_0 && x.is_finite() {
        let mantissa = body.split('e').next().unwrap_or("");
        negative = !mantissa.chars().all(|c| c == '0' || c == '.');
    }
    let body = if opts.upper { body.to_ascii_uppercase() } else { body };
    if negative {
        format!("-{body}")
    } else {
        body
    }
}

/// Beyond this many digits after the point (fixed) or after the first
/// digit (scientific), every digit of an `f64` is an exact trailing zero:
/// the longest exact expansion, of the smallest subnormal, has 1074
/// fractional digits. Rust's formatter only takes precisions up to
/// `u16::MAX`, so the digits past this are appended by hand.
const EXACT_DIGITS: usize = 1100;

/// `a` with exactly `p` digits after the point, rounded half to even on the
/// exact binary value (as CPython's dtoa rounds).
fn exact_fixed(a: f64, p: usize) -> String {
    let mut s = format!("{a:.prec$}", prec = p.min(EXACT_DIGITS));
    s.extend(std::iter::repeat_n('0', p.saturating_sub(EXACT_DIGITS)));
    s
}

/// The first `p + 1` significant digits of `a`, correctly rounded, and the
/// decimal exponent of the first one.
fn exact_scientific(a: f64, p: usize) -> (String, i64) {
    let (mut digits, exp) = scientific_digits(&format!("{a:.prec$e}", prec = p.min(EXACT_DIGITS)));
    digits.extend(std::iter::repeat_n('0', p.saturating_sub(EXACT_DIGITS)));
    (digits, exp)
}

/// The shortest digits that read back as `a`, and the decimal exponent of
/// the first one. When two candidates of that length are equally close to
/// `a`, CPython takes the even one; Rust's shortest mode may not, so the
/// correctly rounded candidate of the same length is preferred whenever it
/// reads back as `a` too.
fn shortest_scientific(a: f64) -> (String, i64) {
    let (digits, exp) = scientific_digits(&format!("{a:e}"));
    let rounded = format!("{a:.prec$e}", prec = digits.len() - 1);
    if rounded.parse::<f64>() == Ok(a) {
        scientific_digits(&rounded)
    } else {
        (digits, exp)
    }
}

/// The text of a finite, non-negative float (lower case).
fn finite_body(a: f64, opts: FloatOptions) -> String {
    let p = opts.precision;
    match opts.style {
        FloatStyle::Fixed => {
            let mut s = exact_fixed(a, p);
            if opts.alternate && p == 0 {
                s.push('.');
            }
            s
        }
        FloatStyle::Exponent => {
            let (digits, exp) = exact_scientific(a, p);
            let mut s = String::with_capacity(p + 8);
            s.push_str(&digits[..1]);
            if p > 0 || opts.alternate {
                s.push('.');
            }
            s.push_str(&digits[1..]);
            push_exponent(&mut s, exp);
            s
        }
        FloatStyle::General => {
            let p = p.max(1);
            let (digits, exp) = exact_scientific(a, p - 1);
            let digits = strip_trailing_zeros(&digits);
            let decpt = exp + 1;
            let limit = if opts.add_dot_0 { p as i64 - 1 } else { p as i64 };
            let use_exp = decpt <= -4 || decpt > limit;
            let min_digits = if opts.alternate { p } else { 0 };
            layout_digits(digits, decpt, use_exp, min_digits, opts)
        }
        FloatStyle::Repr => {
            let (digits, exp) = shortest_scientific(a);
            let digits = strip_trailing_zeros(&digits);
            let decpt = exp + 1;
            let use_exp = decpt <= -4 || decpt > 16;
            layout_digits(digits, decpt, use_exp, 0, opts)
        }
    }
}

/// Splits Rust's `{:e}` output (`1.2345e-7`) into its digits (`12345`) and
/// decimal exponent (`-7`).
fn scientific_digits(text: &str) -> (String, i64) {
    let (mantissa, exp) = text.split_once('e').expect("`{:e}` output has an exponent");
    let digits = mantissa.chars().filter(|&c| c != '.').collect();
    (digits, exp.parse().expect("`{:e}` exponent is an integer"))
}

/// `digits` without trailing zeros, keeping at least one digit.
fn strip_trailing_zeros(digits: &str) -> &str {
    let stripped = digits.trim_end_matches('0');
    if stripped.is_empty() {
        &digits[..1]
    } else {
        stripped
    }
}

/// Appends a Python exponent: `e`, a sign, at least two digits.
fn push_exponent(s: &mut String, exp: i64) {
    let sign = if exp < 0 { '-' } else { '+' };
    s.push_str(&format!("e{sign}{:02}", exp.unsigned_abs()));
}

/// Lays out significant `digits` whose decimal point sits after `decpt` of
/// them (`0.` followed by zeros when `decpt <= 0`), padding with zeros to at
/// least `min_digits` digits; in scientific notation if `use_exp`.
fn layout_digits(digits: &str, decpt: i64, use_exp: bool, min_digits: usize, opts: FloatOptions) -> String {
    let digits = digits.as_bytes();
    let n = digits.len() as i64;
    let (point, exp) = if use_exp { (1, decpt - 1) } else { (decpt, 0) };
    // Output digit positions run from `start` to `end`, relative to the
    // first significant digit; positions outside the digits are zeros.
    let start = if point <= 0 { point - 1 } else { 0 };
    let mut end = n.max(min_digits as i64);
    end = if !use_exp && opts.add_dot_0 {
        end.max(point + 1)
    } else {
        end.max(point)
    };
    let mut s = String::with_capacity((end - start) as usize + 8);
    for i in start..end {
        if i == point {
            s.push('.');
        }
        s.push(if (0..n).contains(&i) {
            char::from(digits[i as usize])
        } else {
            '0'
        });
    }
    if point == end && opts.alternate {
        s.push('.');
    }
    if use_exp {
        push_exponent(&mut s, exp);
    }
    s
}

/// `repr(x)` (and `str(x)`) for a Python `float`.
///
/// ```text
/// 1.0 → "1.0"   1e16 → "1e+16"   1e-05 → "1e-05"   0.0001 → "0.0001"
/// 123456789012345.0 → "123456789012345.0"   -0.0 → "-0.0"   inf, -inf, nan
/// ```
pub fn float_repr(x: f64) -> String {
    float_to_text(
        x,
        FloatOptions {
            style: FloatStyle::Repr,
            precision: 0,
            upper: false,
            alternate: false,
            add_dot_0: true,
            no_neg_0: false,
        },
    )
}

/// `str(x)` for a Python `float`: the same as [`float_repr`] since Python 3.2.
pub fn format_float_str(x: f64) -> String {
    float_repr(x)
}

// ---------------------------------------------------------------------------
// The format-specification mini-language
// ---------------------------------------------------------------------------

/// A parsed format specification.
#[derive(Clone, Debug)]
struct Spec {
    fill: char,
    /// `<`, `>`, `^` or `=`, defaulted per object kind.
    align: char,
    /// `+`, `-` or ` `, if given.
    sign: Option<char>,
    no_neg_0: bool,
    alternate: bool,
    width: usize,
    /// `,` or `_`, if given.
    grouping: Option<char>,
    precision: Option<usize>,
    /// The presentation type, if given.
    ty: Option<char>,
}

/// What kind of object a specification is parsed for.
#[derive(Clone, Copy)]
struct Target {
    /// The type name used in error messages.
    name: &'static str,
    /// The presentation type assumed when none is given, for the grouping
    /// check (`None` for floats).
    default_type: Option<char>,
    /// `>` for numbers, `<` for strings.
    default_align: char,
}

const INT: Target = Target {
    name: "int",
    default_type: Some('d'),
    default_align: '>',
};
const FLOAT: Target = Target {
    name: "float",
    default_type: None,
    default_align: '>',
};
const STR: Target = Target {
    name: "str",
    default_type: Some('s'),
    default_align: '<',
};

/// Shows a presentation type in an error message: itself if printable ASCII,
/// else `\x` and its code point in hex.
fn show_type(c: char) -> String {
    if (33..128).contains(&u32::from(c)) {
        c.to_string()
    } else {
        format!("\\x{:x}", u32::from(c))
    }
}

fn is_align(c: char) -> bool {
    matches!(c, '<' | '>' | '^' | '=')
}

/// Reads a run of decimal digits at `pos`; `None` if there is none.
fn parse_count(chars: &[char], pos: &mut usize) -> Result<Option<usize>, String> {
    let mut value: Option<usize> = None;
    while let Some(d) = chars.get(*pos).and_then(|c| c.to_digit(10)) {
        let next = value
            .unwrap_or(0)
            .checked_mul(10)
            .and_then(|v| v.checked_add(d as usize))
            .filter(|&v| v <= isize::MAX as usize)
            .ok_or("Too many decimal digits in format string")?;
        value = Some(next);
        *pos += 1;
    }
    Ok(value)
}

/// Parses `spec` as CPython's `parse_internal_render_format_spec` does,
/// including its checks of the grouping option against the type.
fn parse_spec(spec: &str, target: Target) -> Result<Spec, String> {
    let chars: Vec<char> = spec.chars().collect();
    let mut parsed = Spec {
        fill: ' ',
        align: target.default_align,
        sign: None,
        no_neg_0: false,
        alternate: false,
        width: 0,
        grouping: None,
        precision: None,
        ty: None,
    };
    let mut pos = 0;
    let mut fill_given = false;
    let mut align_given = false;
    if chars.len() >= 2 && is_align(chars[1]) {
        parsed.fill = chars[0];
        parsed.align = chars[1];
        fill_given = true;
        align_given = true;
        pos = 2;
    } else if chars.first().copied().is_some_and(is_align) {
        parsed.align = chars[0];
        align_given = true;
        pos = 1;
    }
    if let Some(&c @ ('+' | '-' | ' ')) = chars.get(pos) {
        parsed.sign = Some(c);
        pos += 1;
    }
    if chars.get(pos) == Some(&'z') {
        parsed.no_neg_0 = true;
        pos += 1;
    }
    if chars.get(pos) == Some(&'#') {
        parsed.alternate = true;
        pos += 1;
    }
    // A leading `0` without an explicit fill means zero padding, placed
    // after the sign for numbers.
    if !fill_given && chars.get(pos) == Some(&'0') {
        parsed.fill = '0';
        if !align_given && target.default_align == '>' {
            parsed.align = '=';
        }
        pos += 1;
    }
    parsed.width = parse_count(&chars, &mut pos)?.unwrap_or(0);
    if chars.get(pos) == Some(&',') {
        parsed.grouping = Some(',');
        pos += 1;
    }
    if chars.get(pos) == Some(&'_') {
        if parsed.grouping.is_some() {
            return Err("Cannot specify both ',' and '_'.".to_string());
        }
        parsed.grouping = Some('_');
        pos += 1;
    }
    if chars.get(pos) == Some(&',') && parsed.grouping == Some('_') {
        return Err("Cannot specify both ',' and '_'.".to_string());
    }
    if chars.get(pos) == Some(&'.') {
        pos += 1;
        parsed.precision = parse_count(&chars, &mut pos)?;
        if parsed.precision.is_none() {
            return Err("Format specifier missing precision".to_string());
        }
    }
    match chars.len() - pos {
        0 => {}
        1 => parsed.ty = Some(chars[pos]),
        _ => {
            return Err(format!(
                "Invalid format specifier '{spec}' for object of type '{}'",
                target.name
            ))
        }
    }
    if let Some(sep) = parsed.grouping {
        let ty = parsed.ty.or(target.default_type);
        let allowed = match ty {
            None => true,
            Some(t) if sep == ',' => "deEfFgG%".contains(t),
            Some(t) => "deEfFgG%boxX".contains(t),
        };
        if !allowed {
            let ty = ty.map(show_type).unwrap_or_default();
            return Err(format!("Cannot specify '{sep}' with '{ty}'."));
        }
    }
    Ok(parsed)
}

fn unknown_code(ty: char, target: Target) -> String {
    format!(
        "Unknown format code '{}' for object of type '{}'",
        show_type(ty),
        target.name
    )
}

/// Groups `digits` from the right with `sep` every `size` digits (no
/// separators if `grouping` is `None`), first left-padding with zeros until
/// the result is at least `min_width` characters long. The result never
/// starts with a separator: CPython's `InsertThousandsGrouping`.
fn group_digits(digits: &str, min_width: usize, grouping: Option<(char, usize)>) -> String {
    let digits = digits.as_bytes();
    let Some((sep, size)) = grouping else {
        let zeros = min_width.saturating_sub(digits.len());
        let mut s = "0".repeat(zeros);
        s.push_str(std::str::from_utf8(digits).expect("ASCII digits"));
        return s;
    };
    let mut groups: Vec<String> = Vec::new();
    let mut remaining = digits.len();
    let mut min_width = min_width as isize;
    loop {
        let wanted = remaining.max(min_width.max(1) as usize);
        let len = size.min(wanted);
        let taken = remaining.min(len);
        let mut group = "0".repeat(len - taken);
        group.extend(digits[remaining - taken..remaining].iter().map(|&b| char::from(b)));
        groups.push(group);
        remaining -= taken;
        min_width -= len as isize;
        if remaining == 0 && min_width <= 0 {
            break;
        }
        min_width -= 1; // The separator.
    }
    groups.reverse();
    groups.join(&sep.to_string())
}

/// The pieces of a formatted number, in output order.
struct NumberParts<'a> {
    negative: bool,
    /// `0x`, `0o`, `0b` or `0X`.
    prefix: &'a str,
    /// The integer digits, subject to grouping and zero padding.
    digits: &'a str,
    has_point: bool,
    /// Everything after the point (or after the digits): fraction,
    /// exponent, `%`, or a whole `inf`, `nan` or `c` character.
    rest: &'a str,
}

/// Pads and assembles a number: CPython's `calc_number_widths` and
/// `fill_number`.
fn render_number(parts: &NumberParts, spec: &Spec, grouping: Option<(char, usize)>) -> String {
    let sign = if parts.negative {
        "-"
    } else {
        match spec.sign {
            Some('+') => "+",
            Some(' ') => " ",
            _ => "",
        }
    };
    let fixed_len = sign.len() + parts.prefix.len() + usize::from(parts.has_point) + parts.rest.chars().count();
    let min_width = if spec.fill == '0' && spec.align == '=' {
        spec.width.saturating_sub(fixed_len)
    } else {
        0
    };
    let digits = if parts.digits.is_empty() {
        String::new()
    } else {
        group_digits(parts.digits, min_width, grouping)
    };
    let padding = spec.width.saturating_sub(fixed_len + digits.len());
    let (left, middle, right) = match spec.align {
        '<' => (0, 0, padding),
        '^' => (padding / 2, 0, padding - padding / 2),
        '=' => (0, padding, 0),
        _ => (padding, 0, 0),
    };
    let fill = |n: usize| std::iter::repeat_n(spec.fill, n);
    let mut out = String::with_capacity(spec.width.max(fixed_len + digits.len()) + 4);
    out.extend(fill(left));
    out.push_str(sign);
    out.push_str(parts.prefix);
    out.extend(fill(middle));
    out.push_str(&digits);
    if parts.has_point {
        out.push('.');
    }
    out.push_str(parts.rest);
    out.extend(fill(right));
    out
}

/// Pads `text` (already truncated) to the width of `spec` by its alignment.
fn pad_text(text: &str, spec: &Spec) -> String {
    let len = text.chars().count();
    let padding = spec.width.saturating_sub(len);
    let (left, right) = match spec.align {
        '>' => (padding, 0),
        '^' => (padding / 2, padding - padding / 2),
        _ => (0, padding),
    };
    let mut out = String::with_capacity(text.len() + padding * spec.fill.len_utf8());
    out.extend(std::iter::repeat_n(spec.fill, left));
    out.push_str(text);
    out.extend(std::iter::repeat_n(spec.fill, right));
    out
}

/// `format(value, spec)` for an `int` (also `f"{value:spec}"`).
///
/// Types `b c d o x X n` and none format the integer; `e E f F g G %`
/// convert it to a float first. Note that `format(True, '')` is `'True'` in
/// Python: pass bools through `str()` when the spec is empty.
pub fn format_int(value: i64, spec: &str) -> Result<String, String> {
    let spec = parse_spec(spec, INT)?;
    let ty = spec.ty.unwrap_or('d');
    match ty {
        'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n' => {}
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => return Ok(render_float(value as f64, &spec)),
        _ => return Err(unknown_code(ty, INT)),
    }
    if spec.precision.is_some() {
        return Err("Precision not allowed in integer format specifier".to_string());
    }
    if spec.no_neg_0 {
        return Err("Negative zero coercion (z) not allowed in integer format specifier".to_string());
    }
    if ty == 'c' {
        if spec.sign.is_some() {
            return Err("Sign not allowed with integer format specifier 'c'".to_string());
        }
        if spec.alternate {
            return Err("Alternate form (#) not allowed with integer format specifier 'c'".to_string());
        }
        let ch = code_point(value).ok_or("%c arg not in range(0x110000)")?;
        let text = ch.to_string();
        let parts = NumberParts {
            negative: false,
            prefix: "",
            digits: "",
            has_point: false,
            rest: &text,
        };
        return Ok(render_number(&parts, &spec, None));
    }
    let magnitude = value.unsigned_abs();
    let (digits, prefix, group_size) = match ty {
        'b' => (format!("{magnitude:b}"), "0b", 4),
        'o' => (format!("{magnitude:o}"), "0o", 4),
        'x' => (format!("{magnitude:x}"), "0x", 4),
        'X' => (format!("{magnitude:X}"), "0X", 4),
        _ => (magnitude.to_string(), "", 3),
    };
    let parts = NumberParts {
        negative: value < 0,
        prefix: if spec.alternate { prefix } else { "" },
        digits: &digits,
        has_point: false,
        rest: "",
    };
    let grouping = spec.grouping.map(|sep| (sep, group_size));
    Ok(render_number(&parts, &spec, grouping))
}

/// The character for a `c` conversion, if `value` is in `range(0x110000)`;
/// surrogates, which Rust strings cannot hold, become U+FFFD.
fn code_point(value: i64) -> Option<char> {
    let value = u32::try_from(value).ok().filter(|&v| v < 0x11_0000)?;
    Some(char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER))
}

/// `format(value, spec)` for a `float` (also `f"{value:spec}"`).
///
/// Types `e E f F g G n %`, and none: like `repr()` without a precision,
/// like `g` with one but keeping a `.0` on integral values (`format(2.0,
/// '.3')` is `'2.0'`, `format(100.0, '.3')` is `'1e+02'`).
pub fn format_float(value: f64, spec: &str) -> Result<String, String> {
    let spec = parse_spec(spec, FLOAT)?;
    match spec.ty {
        None | Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%') => Ok(render_float(value, &spec)),
        Some(ty) => Err(unknown_code(ty, FLOAT)),
    }
}

/// Formats a float for a parsed spec whose type is a float type or none.
fn render_float(value: f64, spec: &Spec) -> String {
    let ty = spec.ty.unwrap_or('\0');
    let (style, default_precision) = match ty {
        'e' | 'E' => (FloatStyle::Exponent, 6),
        'f' | 'F' | '%' => (FloatStyle::Fixed, 6),
        'g' | 'G' | 'n' => (FloatStyle::General, 6),
        _ if spec.precision.is_some() => (FloatStyle::General, 0),
        _ => (FloatStyle::Repr, 0),
    };
    let opts = FloatOptions {
        style,
        precision: spec.precision.unwrap_or(default_precision),
        upper: matches!(ty, 'E' | 'F' | 'G'),
        alternate: spec.alternate,
        add_dot_0: ty == '\0',
        no_neg_0: spec.no_neg_0,
    };
    let mut text = if ty == '%' {
        float_to_text(value * 100.0, opts)
    } else {
        float_to_text(value, opts)
    };
    if ty == '%' {
        text.push('%');
    }
    let (negative, body) = match text.strip_prefix('-') {
        Some(body) => (true, body),
        None => (false, text.as_str()),
    };
    let digits_end = body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len());
    let (digits, after) = body.split_at(digits_end);
    let (has_point, rest) = match after.strip_prefix('.') {
        Some(rest) => (true, rest),
        None => (false, after),
    };
    let parts = NumberParts {
        negative,
        prefix: "",
        digits,
        has_point,
        rest,
    };
    // `n` groups by the locale, and the "C" locale does not group.
    let grouping = spec.grouping.map(|sep| (sep, 3));
    render_number(&parts, spec, grouping)
}

/// `format(value, spec)` for a `str` (also `f"{value:spec}"`): type `s` or
/// none; a precision truncates to that many characters.
pub fn format_str(value: &str, spec: &str) -> Result<String, String> {
    let spec = parse_spec(spec, STR)?;
    if let Some(ty) = spec.ty.filter(|&t| t != 's') {
        return Err(unknown_code(ty, STR));
    }
    match spec.sign {
        Some(' ') => return Err("Space not allowed in string format specifier".to_string()),
        Some(_) => return Err("Sign not allowed in string format specifier".to_string()),
        None => {}
    }
    if spec.no_neg_0 {
        return Err("Negative zero coercion (z) not allowed in string format specifier".to_string());
    }
    if spec.alternate {
        return Err("Alternate form (#) not allowed in string format specifier".to_string());
    }
    if spec.align == '=' {
        return Err("'=' alignment not allowed in string format specifier".to_string());
    }
    let text = match spec.precision {
        Some(p) => match value.char_indices().nth(p) {
            Some((end, _)) => &value[..end],
            None => value,
        },
        None => value,
    };
    Ok(pad_text(text, &spec))
}

// ---------------------------------------------------------------------------
// printf-style formatting: `fmt % args`
// ---------------------------------------------------------------------------

/// The class of the exception a formatting error raises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExcKind {
    /// `TypeError`: an argument of the wrong type, or the wrong number of
    /// arguments.
    TypeError,
    /// `ValueError`: a malformed format string or an unconvertible value.
    ValueError,
    /// `OverflowError`: a number out of the range a conversion accepts.
    OverflowError,
}

/// An error from [`percent_format`]: the exception CPython raises.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError {
    /// The exception class.
    pub kind: ExcKind,
    /// The exception's message, word for word CPython's.
    pub message: String,
}

impl FormatError {
    fn new(kind: ExcKind, message: impl Into<String>) -> Self {
        FormatError {
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.message)
    }
}

impl std::error::Error for FormatError {}

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

#[cfg(test)]
mod tests {
    //! Expected values come from CPython 3.13 (identical under 3.12):
    //! `repr(x)`, `format(x, spec)` and `fmt % args`.

    use super::*;

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
    fn float_repr_matches_cpython() {
        for &(x, expected) in REPRS {
            assert_eq!(float_repr(x), expected, "repr({x:?})");
            assert_eq!(format_float_str(x), expected, "str({x:?})");
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
}
