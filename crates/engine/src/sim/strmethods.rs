//! Methods of builtin types: `str`, `list`, `dict`, `set`, `tuple`, `int`, `float`.
//!
//! Each method is a native function whose first positional argument is the
//! receiver (`"abc".upper()` calls `str.upper` with `["abc"]`).

use super::builtins::native;
use super::value::*;
use super::*;

fn ret(v: Value) -> NResult {
    Ok(Flow::Return(v))
}

fn s_upper(_w: &mut World, _t: Tid, a: Args) -> NResult {
    match a.pos.first() {
        Some(Value::Str(s)) => ret(Value::str(s.to_uppercase())),
        _ => Err(Raise::new("TypeError", "descriptor 'upper' requires a 'str' object")),
    }
}

fn l_append(w: &mut World, t: Tid, a: Args) -> NResult {
    if let (Some(Value::Obj(id)), Some(v)) = (a.pos.first(), a.pos.get(1)) {
        if let Obj::List(l) = w.heap(t).get_mut(*id) {
            l.push(v.clone());
        }
    }
    ret(Value::None)
}

pub fn str_method(name: &str) -> Option<&'static NativeDef> {
    Some(match name {
        "upper" => native!("str.upper", s_upper),
        _ => return None,
    })
}

pub fn list_method(name: &str) -> Option<&'static NativeDef> {
    Some(match name {
        "append" => native!("list.append", l_append),
        _ => return None,
    })
}

pub fn dict_method(_name: &str) -> Option<&'static NativeDef> {
    None
}

pub fn set_method(_name: &str) -> Option<&'static NativeDef> {
    None
}

pub fn tuple_method(_name: &str) -> Option<&'static NativeDef> {
    None
}

pub fn int_method(_name: &str) -> Option<&'static NativeDef> {
    None
}

pub fn float_method(_name: &str) -> Option<&'static NativeDef> {
    None
}
