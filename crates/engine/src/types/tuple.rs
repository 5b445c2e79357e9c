//! Methods of `tuple`.

use crate::types::native;
use crate::vm::value::*;
use crate::vm::*;

use super::args::*;
use super::list::{count_eq, index_bounds, position};

fn t_count(w: &mut World, t: Tid, a: Args) -> NResult {
    let items = this_tuple(w, t, &a, "count")?;
    let x = one_arg(&a, "tuple", "count")?;
    count_eq(w, t, &items, &x)
}

fn t_index(w: &mut World, t: Tid, a: Args) -> NResult {
    let items = this_tuple(w, t, &a, "index")?;
    let args = pos_args(&a, "tuple", "index", 1, 3)?;
    let (start, stop) = index_bounds(args, items.len())?;
    match position(w, t, &items, &args[0], start, stop)? {
        Some(i) => ret(Value::Int(i as i64)),
        None => Err(value_error("tuple.index(x): x not in tuple")),
    }
}

/// The method `name` of `tuple`, if it has one.
pub fn tuple_method(name: &str) -> Option<&'static NativeDef> {
    Some(match name {
        "count" => native!("tuple.count", t_count),
        "index" => native!("tuple.index", t_index),
        _ => return None,
    })
}
