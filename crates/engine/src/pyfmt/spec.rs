//! The format-specification mini-language: `format(value, spec)` for `int`,
//! `float` and `str`, parsing
//! `[[fill]align][sign][z][#][0][width][grouping][.precision][type]` and
//! rendering the value with CPython's padding, grouping and error messages.

use super::float::{float_to_text, FloatOptions, FloatStyle};

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
pub(super) fn code_point(value: i64) -> Option<char> {
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
