//! Float to text, as CPython's `PyOS_double_to_string`: the shortest digits
//! that round-trip (`repr`), and exact digits to any precision for the `e`,
//! `f` and `g` styles.

/// How a float is laid out: the format codes of `PyOS_double_to_string`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FloatStyle {
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
pub(super) struct FloatOptions {
    pub(super) style: FloatStyle,
    pub(super) precision: usize,
    /// `E`, `F`, `G`: upper-case exponent marker, `INF` and `NAN`.
    pub(super) upper: bool,
    /// `#`: always a decimal point; `g` keeps its trailing zeros.
    pub(super) alternate: bool,
    /// Append `.0` to integral fixed-notation output (`repr` and the empty
    /// presentation type); for `g` this also moves the switch to scientific
    /// notation one digit earlier.
    pub(super) add_dot_0: bool,
    /// `z`: no minus sign on a result whose digits are all zero.
    pub(super) no_neg_0: bool,
}

/// A float as text, sign included (NaN never has one): CPython's
/// `PyOS_double_to_string`.
pub(super) fn float_to_text(x: f64, opts: FloatOptions) -> String {
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
