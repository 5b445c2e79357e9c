//! Methods of `float`.

use crate::types::{self, native};
use crate::vm::value::*;
use crate::vm::*;

use super::args::*;

fn f_is_integer(w: &mut World, t: Tid, a: Args) -> NResult {
    let f = this_float(w, t, &a, "is_integer")?;
    no_args(&a, "float", "is_integer")?;
    ret(Value::Bool(f.is_finite() && f.fract() == 0.0))
}

fn f_conjugate(w: &mut World, t: Tid, a: Args) -> NResult {
    let f = this_float(w, t, &a, "conjugate")?;
    no_args(&a, "float", "conjugate")?;
    ret(Value::Float(f))
}

/// `float.as_integer_ratio()`: the exact fraction, in lowest terms.
fn f_as_integer_ratio(w: &mut World, t: Tid, a: Args) -> NResult {
    let f = this_float(w, t, &a, "as_integer_ratio")?;
    no_args(&a, "float", "as_integer_ratio")?;
    if f.is_nan() {
        return Err(value_error("cannot convert NaN to integer ratio"));
    }
    if f.is_infinite() {
        return Err(Raise::new(
            Exc::OverflowError,
            "cannot convert Infinity to integer ratio",
        ));
    }
    if f == 0.0 {
        return ret(Value::tuple(vec![Value::Int(0), Value::Int(1)]));
    }
    // |f| = mant * 2^exp exactly; strip factors of two shared with the denominator.
    let bits = f.abs().to_bits();
    let (biased, frac) = ((bits >> 52) as i64, bits & ((1u64 << 52) - 1));
    let (mut mant, mut exp) = if biased == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), biased - 1075)
    };
    while exp < 0 && mant & 1 == 0 {
        mant >>= 1;
        exp += 1;
    }
    let sign = if f < 0.0 { -1 } else { 1 };
    let (num, den) = if exp >= 0 {
        ((mant as i128) << exp.min(64), 1i128)
    } else {
        (mant as i128, 1i128 << (-exp).min(64))
    };
    if !(-62..=63).contains(&exp) || num > i64::MAX as i128 {
        return Err(Raise::new(Exc::OverflowError, types::INT_OVERFLOW));
    }
    ret(Value::tuple(vec![
        Value::Int(sign * num as i64),
        Value::Int(den as i64),
    ]))
}

/// The method `name` of `float`, if it has one.
pub fn float_method(name: &str) -> Option<&'static NativeDef> {
    Some(match name {
        "is_integer" => native!("float.is_integer", f_is_integer),
        "conjugate" => native!("float.conjugate", f_conjugate),
        "as_integer_ratio" => native!("float.as_integer_ratio", f_as_integer_ratio),
        _ => return None,
    })
}
