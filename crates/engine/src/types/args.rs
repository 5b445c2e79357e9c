//! What every builtin method shares: its receiver (`this_str`, `this_list`...),
//! its arguments checked with the wording CPython uses for that kind of method
//! (`pos_args`, `kw_args`...), search bounds, common errors, and the object
//! protocol helpers containers need (iteration, `==` with user `__eq__`,
//! subscription).

use std::rc::Rc;

use crate::types::{self, collect_iter, truthy, type_name, values_eq};
use crate::vm::value::*;
use crate::vm::*;

pub(super) fn ret(v: Value) -> NResult {
    Ok(Flow::Return(v))
}

pub(super) fn type_error(msg: impl Into<String>) -> Raise {
    Raise::new(Exc::TypeError, msg)
}

pub(super) fn value_error(msg: impl Into<String>) -> Raise {
    Raise::new(Exc::ValueError, msg)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `KeyError(key)`: its message is the key's repr, as CPython shows it.
pub(super) fn key_error(w: &mut World, t: Tid, key: Value) -> Raise {
    let cls = w.proc(w.pid_of(t)).classes.exc(Exc::KeyError);
    match w.new_exception(t, cls, vec![key]) {
        Ok(e) => Raise::Obj(e),
        Err(e) => e,
    }
}

pub(super) fn new_list(w: &mut World, t: Tid, items: Vec<Value>) -> NResult {
    ret(Value::Obj(w.alloc(t, Obj::List(items))?))
}

pub(super) fn str_list(w: &mut World, t: Tid, items: Vec<String>) -> NResult {
    new_list(w, t, items.into_iter().map(Value::str).collect())
}

// ---------------------------------------------------------------------------------------------
// Receivers and arguments

/// The error for a method called on the wrong type (`str.upper(5)`) or on nothing (`str.upper()`).
pub(super) fn bad_receiver(w: &mut World, t: Tid, a: &Args, ty: &str, meth: &str) -> Raise {
    match a.pos.first() {
        None => type_error(format!("unbound method {ty}.{meth}() needs an argument")),
        Some(v) => {
            let tn = type_name(w, t, v);
            type_error(format!(
                "descriptor '{meth}' for '{ty}' objects doesn't apply to a '{tn}' object"
            ))
        }
    }
}

pub(super) fn this_str(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<Rc<String>, Raise> {
    match a.pos.first() {
        Some(Value::Str(s)) => Ok(s.clone()),
        _ => Err(bad_receiver(w, t, a, "str", meth)),
    }
}

fn this_obj(w: &mut World, t: Tid, a: &Args, ty: &str, meth: &str) -> Result<ObjId, Raise> {
    if let Some(Value::Obj(id)) = a.pos.first() {
        let ok = match w.heap(t).get(*id) {
            Obj::List(_) => ty == "list",
            Obj::Dict(_) => ty == "dict",
            Obj::Set(_) => ty == "set",
            _ => false,
        };
        if ok {
            return Ok(*id);
        }
    }
    Err(bad_receiver(w, t, a, ty, meth))
}

pub(super) fn this_list(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<ObjId, Raise> {
    this_obj(w, t, a, "list", meth)
}

pub(super) fn this_dict(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<ObjId, Raise> {
    this_obj(w, t, a, "dict", meth)
}

pub(super) fn this_set(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<ObjId, Raise> {
    this_obj(w, t, a, "set", meth)
}

pub(super) fn this_tuple(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<Rc<Vec<Value>>, Raise> {
    match a.pos.first() {
        Some(Value::Tuple(items)) => Ok(items.clone()),
        _ => Err(bad_receiver(w, t, a, "tuple", meth)),
    }
}

pub(super) fn this_int(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<i64, Raise> {
    match a.pos.first() {
        Some(Value::Int(i)) => Ok(*i),
        Some(Value::Bool(b)) => Ok(*b as i64),
        _ => Err(bad_receiver(w, t, a, "int", meth)),
    }
}

pub(super) fn this_float(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<f64, Raise> {
    match a.pos.first() {
        Some(Value::Float(f)) => Ok(*f),
        _ => Err(bad_receiver(w, t, a, "float", meth)),
    }
}

/// The arguments after the receiver of a method that takes no keywords, checked
/// against `min..=max` with the wording CPython uses for that kind of method.
pub(super) fn pos_args<'a>(a: &'a Args, ty: &str, meth: &str, min: usize, max: usize) -> Result<&'a [Value], Raise> {
    if !a.kw.is_empty() {
        return Err(type_error(format!("{ty}.{meth}() takes no keyword arguments")));
    }
    let args = a.pos.get(1..).unwrap_or(&[]);
    let n = args.len();
    if n >= min && n <= max {
        return Ok(args);
    }
    Err(type_error(if max == 0 {
        format!("{ty}.{meth}() takes no arguments ({n} given)")
    } else if min == 1 && max == 1 {
        format!("{ty}.{meth}() takes exactly one argument ({n} given)")
    } else if min == max {
        format!("{meth} expected {min} argument{}, got {n}", plural(min))
    } else if n < min {
        format!("{meth} expected at least {min} argument{}, got {n}", plural(min))
    } else {
        format!("{meth} expected at most {max} argument{}, got {n}", plural(max))
    }))
}

pub(super) fn no_args(a: &Args, ty: &str, meth: &str) -> Result<(), Raise> {
    pos_args(a, ty, meth, 0, 0).map(|_| ())
}

pub(super) fn one_arg(a: &Args, ty: &str, meth: &str) -> Result<Value, Raise> {
    pos_args(a, ty, meth, 1, 1).map(|v| v[0].clone())
}

/// The arguments of a method whose parameters may be passed by keyword: `params`
/// in order, the first `posonly` positional-only, the first `required` required,
/// and at most `maxpos` passed by position (the rest are keyword-only).
pub(super) fn kw_args(
    a: &Args,
    meth: &str,
    params: &[&str],
    posonly: usize,
    required: usize,
    maxpos: usize,
) -> Result<Vec<Option<Value>>, Raise> {
    let pos = a.pos.get(1..).unwrap_or(&[]);
    let (np, nk, max) = (pos.len(), a.kw.len(), params.len());
    if np + nk > max {
        return Err(type_error(format!(
            "{meth}() takes at most {max} argument{} ({} given)",
            plural(max),
            np + nk
        )));
    }
    if np < required {
        return Err(type_error(format!(
            "{meth}() takes at least {required} positional argument{} ({np} given)",
            plural(required)
        )));
    }
    if np > maxpos {
        return Err(type_error(if maxpos == 0 {
            format!("{meth}() takes no positional arguments")
        } else {
            format!(
                "{meth}() takes at most {maxpos} positional argument{} ({np} given)",
                plural(maxpos)
            )
        }));
    }
    let mut out: Vec<Option<Value>> = vec![None; max];
    for (slot, v) in out.iter_mut().zip(pos) {
        *slot = Some(v.clone());
    }
    for (k, v) in &a.kw {
        let Some(i) = params.iter().position(|p| *p == k.as_str()).filter(|&i| i >= posonly) else {
            return Err(type_error(format!("{meth}() got an unexpected keyword argument '{k}'")));
        };
        if i < np {
            return Err(type_error(format!(
                "argument for {meth}() given by name ('{k}') and position ({})",
                i + 1
            )));
        }
        out[i] = Some(v.clone());
    }
    Ok(out)
}

/// An integer argument (`__index__`): ints and bools.
pub fn as_index(w: &mut World, t: Tid, v: &Value) -> Result<i64, Raise> {
    types::int_of(v).ok_or_else(|| {
        let tn = type_name(w, t, v);
        type_error(format!("'{tn}' object cannot be interpreted as an integer"))
    })
}

/// A `start`/`end` argument of a search method; `None` is accepted by the `str` methods only.
pub(super) fn slice_bound(v: Option<&Value>, none_ok: bool) -> Result<Option<i64>, Raise> {
    match v {
        None => Ok(None),
        Some(Value::None) if none_ok => Ok(None),
        Some(Value::Int(i)) => Ok(Some(*i)),
        Some(Value::Bool(b)) => Ok(Some(*b as i64)),
        Some(_) => Err(type_error(if none_ok {
            "slice indices must be integers or None or have an __index__ method"
        } else {
            "slice indices must be integers or have an __index__ method"
        })),
    }
}

/// Search bounds as CPython adjusts them: negative values count from the end and
/// `end` is clamped to `len` (`start` may stay past the end: nothing matches there).
pub(super) fn adjust(start: Option<i64>, end: Option<i64>, len: usize) -> (i64, i64) {
    let len = len as i64;
    let mut end = end.unwrap_or(len);
    if end > len {
        end = len;
    } else if end < 0 {
        end = (end + len).max(0);
    }
    let mut start = start.unwrap_or(0);
    if start < 0 {
        start = (start + len).max(0);
    }
    (start, end)
}

// ---------------------------------------------------------------------------------------------
// Iteration, equality and subscription

/// All items of an iterable (an instance without `__iter__` is not iterable).
pub(super) fn iterate(w: &mut World, t: Tid, v: &Value) -> Result<Vec<Value>, Raise> {
    if let Value::Obj(id) = v {
        if let Obj::Instance { class, .. } = w.heap(t).get(*id) {
            let c = *class;
            if w.class_lookup(t, c, "__iter__").is_none() {
                let tn = type_name(w, t, v);
                return Err(type_error(format!("'{tn}' object is not iterable")));
            }
        }
    }
    collect_iter(w, t, v)
}

fn is_instance(w: &mut World, t: Tid, v: &Value) -> bool {
    matches!(v, Value::Obj(id) if matches!(w.heap(t).get(*id), Obj::Instance { .. }))
}

/// A class's own `__eq__` for an instance (none for other values).
fn user_eq(w: &mut World, t: Tid, v: &Value) -> Option<Value> {
    let Value::Obj(id) = v else { return None };
    let Obj::Instance { class, .. } = w.heap(t).get(*id) else {
        return None;
    };
    let c = *class;
    w.class_lookup(t, c, "__eq__")
        .filter(|f| !matches!(f, Value::Native(_)))
}

/// `item == x` as containers compare: identity, then `item.__eq__(x)`, then the
/// reflected `x.__eq__(item)` when the first gives `NotImplemented`.
pub(super) fn item_eq(w: &mut World, t: Tid, item: &Value, x: &Value) -> Result<bool, Raise> {
    if let (Value::Obj(p), Value::Obj(q)) = (item, x) {
        if p == q {
            return Ok(true);
        }
    }
    let mut any_instance = false;
    for (l, r) in [(item, x), (x, item)] {
        any_instance |= is_instance(w, t, l);
        if let Some(f) = user_eq(w, t, l) {
            let res = w.call_sync(t, f, Args::new(vec![l.clone(), r.clone()]))?;
            if !matches!(&res, Value::Str(s) if s.as_str() == "NotImplemented") {
                return truthy(w, t, &res);
            }
        }
    }
    if any_instance {
        return Ok(false);
    }
    values_eq(w, t, item, x)
}

/// `o[k]` for any object, including instances with `__getitem__`.
pub(super) fn subscript(w: &mut World, t: Tid, o: &Value, k: &Value) -> Result<Value, Raise> {
    if let Some(v) = types::getitem(w, t, o, k)? {
        return Ok(v);
    }
    if let Value::Obj(id) = o {
        if let Obj::Instance { class, .. } = w.heap(t).get(*id) {
            let c = *class;
            if let Some(f) = w.class_lookup(t, c, "__getitem__") {
                return w.call_sync(t, f, Args::new(vec![o.clone(), k.clone()]));
            }
        }
    }
    let tn = type_name(w, t, o);
    Err(type_error(format!("'{tn}' object is not subscriptable")))
}

// ---------------------------------------------------------------------------------------------
// Contents of dicts and sets

/// The entries of a dict, or the members of a set (empty for anything else).
pub(super) fn dict_of(w: &mut World, t: Tid, id: ObjId) -> Dict {
    match w.heap(t).get(id) {
        Obj::Dict(d) | Obj::Set(d) => d.clone(),
        _ => Dict::default(),
    }
}

/// Runs `f` on the entries of a dict or the members of a set in place.
pub(super) fn with_dict<R>(w: &mut World, t: Tid, id: ObjId, f: impl FnOnce(&mut Dict) -> R) -> Option<R> {
    match w.heap(t).get_mut(id) {
        Obj::Dict(d) | Obj::Set(d) => Some(f(d)),
        _ => None,
    }
}
