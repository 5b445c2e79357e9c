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
    ],
    make: None,
};

fn math_sqrt(w: &mut World, t: Tid, a: Args) -> NResult {
    let x = seconds_arg(w, t, a.pos.first(), "sqrt")?;
    if x < 0.0 {
        return Err(Raise::new("ValueError", "math domain error"));
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
