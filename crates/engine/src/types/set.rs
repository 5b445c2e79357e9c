//! Methods of `set`.

use crate::types::{key_of, native};
use crate::vm::value::*;
use crate::vm::*;

use super::args::*;

/// Values as set members (hashing each; unhashable values raise `TypeError`).
pub(super) fn keyed(w: &mut World, t: Tid, items: &[Value]) -> Result<Dict, Raise> {
    let mut d = Dict::default();
    for v in items {
        let k = key_of(w, t, v)?;
        if !d.map.contains_key(&k) {
            d.insert(k, v.clone(), Value::None);
        }
    }
    Ok(d)
}

/// The members of any iterable (a set's directly, without a detour through a list).
pub(super) fn members(w: &mut World, t: Tid, v: &Value) -> Result<Dict, Raise> {
    if let Value::Obj(id) = v {
        if let Obj::Set(d) = w.heap(t).get(*id) {
            return Ok(d.clone());
        }
    }
    let items = iterate(w, t, v)?;
    keyed(w, t, &items)
}

#[derive(Clone, Copy)]
pub(super) enum SetOp {
    Union,
    Intersection,
    Difference,
    Symmetric,
}

impl SetOp {
    pub(super) fn apply(self, mut mine: Dict, theirs: &Dict) -> Dict {
        match self {
            SetOp::Union => {
                for (k, (v, _)) in &theirs.map {
                    if !mine.map.contains_key(k) {
                        mine.insert(k.clone(), v.clone(), Value::None);
                    }
                }
            }
            SetOp::Intersection => mine.map.retain(|k, _| theirs.map.contains_key(k)),
            SetOp::Difference => mine.map.retain(|k, _| !theirs.map.contains_key(k)),
            SetOp::Symmetric => {
                let mut out = Dict::default();
                for (k, (v, _)) in mine.map.iter().chain(theirs.map.iter()) {
                    if mine.map.contains_key(k) != theirs.map.contains_key(k) && !out.map.contains_key(k) {
                        out.insert(k.clone(), v.clone(), Value::None);
                    }
                }
                return out;
            }
        }
        mine
    }

    pub(super) fn dunder(self) -> &'static str {
        match self {
            SetOp::Union => "__or__",
            SetOp::Intersection => "__and__",
            SetOp::Difference => "__sub__",
            SetOp::Symmetric => "__xor__",
        }
    }
}

fn set_add(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_set(w, t, &a, "add")?;
    let v = one_arg(&a, "set", "add")?;
    let k = key_of(w, t, &v)?;
    with_dict(w, t, id, |d| {
        if !d.map.contains_key(&k) {
            d.insert(k, v, Value::None);
        }
    });
    ret(Value::None)
}

fn set_take(w: &mut World, t: Tid, a: Args, meth: &str, must_exist: bool) -> NResult {
    let id = this_set(w, t, &a, meth)?;
    let v = one_arg(&a, "set", meth)?;
    let k = key_of(w, t, &v)?;
    let removed = with_dict(w, t, id, |d| d.remove(&k)).flatten();
    if removed.is_none() && must_exist {
        return Err(key_error(w, t, v));
    }
    ret(Value::None)
}

fn set_remove(w: &mut World, t: Tid, a: Args) -> NResult {
    set_take(w, t, a, "remove", true)
}

fn set_discard(w: &mut World, t: Tid, a: Args) -> NResult {
    set_take(w, t, a, "discard", false)
}

/// `set.pop()`: the first member in iteration order.
fn set_pop(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_set(w, t, &a, "pop")?;
    no_args(&a, "set", "pop")?;
    match with_dict(w, t, id, |d| d.map.shift_remove_index(0)).flatten() {
        Some((_, (v, _))) => ret(v),
        None => Err(Raise::new(Exc::KeyError, "pop from an empty set")),
    }
}

/// `union`/`intersection`/`difference` of the receiver with any number of iterables.
fn set_multi(w: &mut World, t: Tid, a: Args, meth: &str, op: SetOp, in_place: bool) -> NResult {
    let id = this_set(w, t, &a, meth)?;
    let others = pos_args(&a, "set", meth, 0, usize::MAX)?;
    let mut r = dict_of(w, t, id);
    for o in others {
        let m = members(w, t, o)?;
        r = op.apply(r, &m);
    }
    if in_place {
        with_dict(w, t, id, |d| *d = r);
        return ret(Value::None);
    }
    ret(Value::Obj(w.alloc(t, Obj::Set(r))?))
}

fn set_union(w: &mut World, t: Tid, a: Args) -> NResult {
    set_multi(w, t, a, "union", SetOp::Union, false)
}

fn set_intersection(w: &mut World, t: Tid, a: Args) -> NResult {
    set_multi(w, t, a, "intersection", SetOp::Intersection, false)
}

fn set_difference(w: &mut World, t: Tid, a: Args) -> NResult {
    set_multi(w, t, a, "difference", SetOp::Difference, false)
}

fn set_update(w: &mut World, t: Tid, a: Args) -> NResult {
    set_multi(w, t, a, "update", SetOp::Union, true)
}

fn set_intersection_update(w: &mut World, t: Tid, a: Args) -> NResult {
    set_multi(w, t, a, "intersection_update", SetOp::Intersection, true)
}

fn set_difference_update(w: &mut World, t: Tid, a: Args) -> NResult {
    set_multi(w, t, a, "difference_update", SetOp::Difference, true)
}

fn set_symmetric(w: &mut World, t: Tid, a: Args, meth: &str, in_place: bool) -> NResult {
    let id = this_set(w, t, &a, meth)?;
    let other = one_arg(&a, "set", meth)?;
    let m = members(w, t, &other)?;
    let r = SetOp::Symmetric.apply(dict_of(w, t, id), &m);
    if in_place {
        with_dict(w, t, id, |d| *d = r);
        return ret(Value::None);
    }
    ret(Value::Obj(w.alloc(t, Obj::Set(r))?))
}

fn set_symmetric_difference(w: &mut World, t: Tid, a: Args) -> NResult {
    set_symmetric(w, t, a, "symmetric_difference", false)
}

fn set_symmetric_difference_update(w: &mut World, t: Tid, a: Args) -> NResult {
    set_symmetric(w, t, a, "symmetric_difference_update", true)
}

/// `issubset`/`issuperset`/`isdisjoint`.
fn set_relation(w: &mut World, t: Tid, a: Args, meth: &str) -> NResult {
    let id = this_set(w, t, &a, meth)?;
    let other = one_arg(&a, "set", meth)?;
    let theirs = members(w, t, &other)?;
    let mine = dict_of(w, t, id);
    let r = match meth {
        "issubset" => mine.map.keys().all(|k| theirs.map.contains_key(k)),
        "issuperset" => theirs.map.keys().all(|k| mine.map.contains_key(k)),
        _ => !mine.map.keys().any(|k| theirs.map.contains_key(k)),
    };
    ret(Value::Bool(r))
}

fn set_issubset(w: &mut World, t: Tid, a: Args) -> NResult {
    set_relation(w, t, a, "issubset")
}

fn set_issuperset(w: &mut World, t: Tid, a: Args) -> NResult {
    set_relation(w, t, a, "issuperset")
}

fn set_isdisjoint(w: &mut World, t: Tid, a: Args) -> NResult {
    set_relation(w, t, a, "isdisjoint")
}

fn set_copy(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_set(w, t, &a, "copy")?;
    no_args(&a, "set", "copy")?;
    let d = dict_of(w, t, id);
    ret(Value::Obj(w.alloc(t, Obj::Set(d))?))
}

fn set_clear(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_set(w, t, &a, "clear")?;
    no_args(&a, "set", "clear")?;
    with_dict(w, t, id, |d| d.map.clear());
    ret(Value::None)
}

/// The method `name` of `set`, if it has one.
pub fn set_method(name: &str) -> Option<&'static NativeDef> {
    Some(match name {
        "add" => native!("set.add", set_add),
        "remove" => native!("set.remove", set_remove),
        "discard" => native!("set.discard", set_discard),
        "pop" => native!("set.pop", set_pop),
        "union" => native!("set.union", set_union),
        "intersection" => native!("set.intersection", set_intersection),
        "difference" => native!("set.difference", set_difference),
        "symmetric_difference" => native!("set.symmetric_difference", set_symmetric_difference),
        "update" => native!("set.update", set_update),
        "intersection_update" => native!("set.intersection_update", set_intersection_update),
        "difference_update" => native!("set.difference_update", set_difference_update),
        "symmetric_difference_update" => native!("set.symmetric_difference_update", set_symmetric_difference_update),
        "issubset" => native!("set.issubset", set_issubset),
        "issuperset" => native!("set.issuperset", set_issuperset),
        "isdisjoint" => native!("set.isdisjoint", set_isdisjoint),
        "copy" => native!("set.copy", set_copy),
        "clear" => native!("set.clear", set_clear),
        _ => return None,
    })
}
