//! `math`: a few functions and constants.

use super::args::{ret, seconds_arg};
use super::{Attr, Module};
use crate::types::native;
use crate::vm::value::*;
use crate::vm::*;

pub static MODULE: Module = Module {
    name: "math",
    attrs: &[
        ("sqrt", Attr::Fn(native!("math.sqrt", math_sqrt))),
        ("floor", Attr::Fn(native!("math.floor", math_floor))),
        ("ceil", Attr::Fn(native!("math.ceil", math_ceil))),
        ("pi", Attr::Float(std::f64::consts::PI)),
        ("e", Attr::Float(std::f64::consts::E)),
        ("inf", Attr::Float(f64::INFINITY)),
        // CPython has these; the simulator does not (yet).
        ("log", Attr::Unsupported),
        ("log2", Attr::Unsupported),
        ("log10", Attr::Unsupported),
        ("exp", Attr::Unsupported),
        ("pow", Attr::Unsupported),
        ("fabs", Attr::Unsupported),
        ("factorial", Attr::Unsupported),
        ("gcd", Attr::Unsupported),
        ("lcm", Attr::Unsupported),
        ("isqrt", Attr::Unsupported),
        ("isclose", Attr::Unsupported),
        ("isnan", Attr::Unsupported),
        ("isinf", Attr::Unsupported),
        ("isfinite", Attr::Unsupported),
        ("trunc", Attr::Unsupported),
        ("fsum", Attr::Unsupported),
        ("prod", Attr::Unsupported),
        ("comb", Attr::Unsupported),
        ("perm", Attr::Unsupported),
        ("dist", Attr::Unsupported),
        ("hypot", Attr::Unsupported),
        ("sin", Attr::Unsupported),
        ("cos", Attr::Unsupported),
        ("tan", Attr::Unsupported),
        ("asin", Attr::Unsupported),
        ("acos", Attr::Unsupported),
        ("atan", Attr::Unsupported),
        ("atan2", Attr::Unsupported),
        ("degrees", Attr::Unsupported),
        ("radians", Attr::Unsupported),
        ("copysign", Attr::Unsupported),
        ("fmod", Attr::Unsupported),
        ("modf", Attr::Unsupported),
        ("tau", Attr::UnsupportedValue),
        ("nan", Attr::UnsupportedValue),
    ],
    make: None,
};

fn math_sqrt(w: &mut World, t: Tid, a: Args) -> NResult {
    let x = seconds_arg(w, t, a.pos.first(), "sqrt")?;
    if x < 0.0 {
        return Err(Raise::new(Exc::ValueError, "math domain error"));
    }
    ret(Value::Float(x.sqrt()))
}

fn math_floor(w: &mut World, t: Tid, a: Args) -> NResult {
    let x = seconds_arg(w, t, a.pos.first(), "floor")?;
    ret(Value::Int(x.floor() as i64))
}

fn math_ceil(w: &mut World, t: Tid, a: Args) -> NResult {
    let x = seconds_arg(w, t, a.pos.first(), "ceil")?;
    ret(Value::Int(x.ceil() as i64))
}
