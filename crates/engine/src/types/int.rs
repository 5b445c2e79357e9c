//! Methods of `int` (and `bool`).

use crate::types::native;
use crate::vm::value::*;
use crate::vm::*;

use super::args::*;

fn i_bit_length(w: &mut World, t: Tid, a: Args) -> NResult {
    let i = this_int(w, t, &a, "bit_length")?;
    no_args(&a, "int", "bit_length")?;
    ret(Value::Int((64 - i.unsigned_abs().leading_zeros()) as i64))
}

fn i_bit_count(w: &mut World, t: Tid, a: Args) -> NResult {
    let i = this_int(w, t, &a, "bit_count")?;
    no_args(&a, "int", "bit_count")?;
    ret(Value::Int(i.unsigned_abs().count_ones() as i64))
}

fn i_conjugate(w: &mut World, t: Tid, a: Args) -> NResult {
    let i = this_int(w, t, &a, "conjugate")?;
    no_args(&a, "int", "conjugate")?;
    ret(Value::Int(i))
}

fn i_is_integer(w: &mut World, t: Tid, a: Args) -> NResult {
    this_int(w, t, &a, "is_integer")?;
    no_args(&a, "int", "is_integer")?;
    ret(Value::Bool(true))
}

fn i_as_integer_ratio(w: &mut World, t: Tid, a: Args) -> NResult {
    let i = this_int(w, t, &a, "as_integer_ratio")?;
    no_args(&a, "int", "as_integer_ratio")?;
    ret(Value::tuple(vec![Value::Int(i), Value::Int(1)]))
}

fn i_to_bytes(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    Err(type_error(
        "int.to_bytes() is not supported: the simulator has no bytes type",
    ))
}

/// The method `name` of `int`, if it has one.
pub fn int_method(name: &str) -> Option<&'static NativeDef> {
    Some(match name {
        "bit_length" => native!("int.bit_length", i_bit_length),
        "bit_count" => native!("int.bit_count", i_bit_count),
        "conjugate" => native!("int.conjugate", i_conjugate),
        "is_integer" => native!("int.is_integer", i_is_integer),
        "as_integer_ratio" => native!("int.as_integer_ratio", i_as_integer_ratio),
        "to_bytes" => native!("int.to_bytes", i_to_bytes),
        _ => return None,
    })
}
