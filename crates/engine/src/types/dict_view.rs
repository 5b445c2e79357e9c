//! The dict views `dict_keys`, `dict_values` and `dict_items`, which
//! `dict.keys()`, `values()` and `items()` return. A view is an instance of a
//! builtin class (created in each process on first use) whose `mapping`
//! attribute is the dict; it reads the dict live.

use crate::types::{self, iterator_over, key_of, native, repr_of};
use crate::vm::value::*;
use crate::vm::*;

use super::args::*;
use super::set::{keyed, members, SetOp};

#[derive(Clone, Copy, PartialEq)]
enum View {
    Keys,
    Values,
    Items,
}

impl View {
    fn class_name(self) -> &'static str {
        match self {
            View::Keys => "dict_keys",
            View::Values => "dict_values",
            View::Items => "dict_items",
        }
    }
}

fn view_class(w: &mut World, t: Tid, kind: View) -> ObjId {
    let name = kind.class_name();
    let pid = w.pid_of(t);
    if let Some(&(_, id)) = w.proc(pid).classes.by_name.iter().find(|(n, _)| *n == name) {
        return id;
    }
    let methods: &[&'static NativeDef] = match kind {
        View::Keys => &[
            native!("dict_keys.__repr__", vk_repr),
            native!("dict_keys.__iter__", vk_iter),
            native!("dict_keys.__len__", v_len),
            native!("dict_keys.__contains__", vk_contains),
            native!("dict_keys.__eq__", vk_eq),
            native!("dict_keys.__sub__", vk_sub),
            native!("dict_keys.__and__", vk_and),
            native!("dict_keys.__or__", vk_or),
            native!("dict_keys.__xor__", vk_xor),
            native!("dict_keys.isdisjoint", vk_isdisjoint),
        ],
        View::Values => &[
            native!("dict_values.__repr__", vv_repr),
            native!("dict_values.__iter__", vv_iter),
            native!("dict_values.__len__", v_len),
        ],
        View::Items => &[
            native!("dict_items.__repr__", vi_repr),
            native!("dict_items.__iter__", vi_iter),
            native!("dict_items.__len__", v_len),
            native!("dict_items.__contains__", vi_contains),
            native!("dict_items.__eq__", vi_eq),
            native!("dict_items.__sub__", vi_sub),
            native!("dict_items.__and__", vi_and),
            native!("dict_items.__or__", vi_or),
            native!("dict_items.__xor__", vi_xor),
            native!("dict_items.isdisjoint", vi_isdisjoint),
        ],
    };
    let p = w.proc_mut(pid);
    let id = types::native_class(&mut p.heap, &p.classes, name, None, methods);
    p.classes.by_name.push((name, id));
    id
}

fn make_view(w: &mut World, t: Tid, a: &Args, kind: View, meth: &str) -> NResult {
    let id = this_dict(w, t, a, meth)?;
    no_args(a, "dict", meth)?;
    let class = view_class(w, t, kind);
    let mut attrs = Dict::default();
    attrs.set_str("mapping", Value::Obj(id));
    ret(Value::Obj(w.alloc(
        t,
        Obj::Instance {
            class,
            dict: attrs,
            native: Native::None,
        },
    )?))
}

pub(super) fn d_keys(w: &mut World, t: Tid, a: Args) -> NResult {
    make_view(w, t, &a, View::Keys, "keys")
}

pub(super) fn d_values(w: &mut World, t: Tid, a: Args) -> NResult {
    make_view(w, t, &a, View::Values, "values")
}

pub(super) fn d_items(w: &mut World, t: Tid, a: Args) -> NResult {
    make_view(w, t, &a, View::Items, "items")
}

/// The dict a view reads, and which view `v` is.
fn view_parts(w: &mut World, t: Tid, v: &Value) -> Option<(ObjId, View)> {
    let Value::Obj(id) = v else { return None };
    let Obj::Instance { class, dict, .. } = w.heap(t).get(*id) else {
        return None;
    };
    let (class, mapping) = (*class, dict.get_str("mapping").and_then(Value::as_obj)?);
    let name = types::class_name(w, t, class);
    let kind = [View::Keys, View::Values, View::Items]
        .into_iter()
        .find(|k| k.class_name() == name)?;
    Some((mapping, kind))
}

/// The receiver of a view method: the dict it reads.
fn this_view(w: &mut World, t: Tid, a: &Args, kind: View, meth: &str) -> Result<ObjId, Raise> {
    match a.pos.first().and_then(|v| view_parts(w, t, v)) {
        Some((d, k)) if k == kind => Ok(d),
        _ => Err(bad_receiver(w, t, a, kind.class_name(), meth)),
    }
}

fn view_values(w: &mut World, t: Tid, dict: ObjId, kind: View) -> Vec<Value> {
    let d = dict_of(w, t, dict);
    d.map
        .into_values()
        .map(|(k, v)| match kind {
            View::Keys => k,
            View::Values => v,
            View::Items => Value::tuple(vec![k, v]),
        })
        .collect()
}

fn view_repr(w: &mut World, t: Tid, a: Args, kind: View) -> NResult {
    let d = this_view(w, t, &a, kind, "__repr__")?;
    let mut parts = Vec::new();
    for v in view_values(w, t, d, kind) {
        parts.push(repr_of(w, t, &v)?);
    }
    ret(Value::str(format!("{}([{}])", kind.class_name(), parts.join(", "))))
}

fn view_iter(w: &mut World, t: Tid, a: Args, kind: View) -> NResult {
    let d = this_view(w, t, &a, kind, "__iter__")?;
    let items = view_values(w, t, d, kind);
    ret(iterator_over(w, t, items)?)
}

fn v_len(w: &mut World, t: Tid, a: Args) -> NResult {
    match a.pos.first().and_then(|v| view_parts(w, t, v)) {
        Some((d, _)) => {
            let n = dict_of(w, t, d).len();
            ret(Value::Int(n as i64))
        }
        None => Err(bad_receiver(w, t, &a, "dict_keys", "__len__")),
    }
}

/// The items of a keys or items view as a set-like `Dict`.
fn view_set(w: &mut World, t: Tid, dict: ObjId, kind: View) -> Result<Dict, Raise> {
    let items = view_values(w, t, dict, kind);
    keyed(w, t, &items)
}

fn view_contains(w: &mut World, t: Tid, a: Args, kind: View) -> NResult {
    let d = this_view(w, t, &a, kind, "__contains__")?;
    let x = a.pos.get(1).cloned().unwrap_or(Value::None);
    let k = key_of(w, t, &x)?;
    let found = view_set(w, t, d, kind)?.map.contains_key(&k);
    ret(Value::Bool(found))
}

/// `view == other`: equal as sets to a set or another keys/items view.
fn view_eq(w: &mut World, t: Tid, a: Args, kind: View) -> NResult {
    let d = this_view(w, t, &a, kind, "__eq__")?;
    let other = a.pos.get(1).cloned().unwrap_or(Value::None);
    let mine = view_set(w, t, d, kind)?;
    let theirs = match view_parts(w, t, &other) {
        Some((od, ok)) if ok != View::Values => view_set(w, t, od, ok)?,
        _ => match &other {
            Value::Obj(id) if matches!(w.heap(t).get(*id), Obj::Set(_)) => dict_of(w, t, *id),
            _ => return ret(Value::Bool(false)),
        },
    };
    ret(Value::Bool(
        mine.len() == theirs.len() && mine.map.keys().all(|k| theirs.map.contains_key(k)),
    ))
}

fn view_setop(w: &mut World, t: Tid, a: Args, kind: View, op: SetOp) -> NResult {
    let d = this_view(w, t, &a, kind, op.dunder())?;
    let other = a.pos.get(1).cloned().unwrap_or(Value::None);
    let mine = view_set(w, t, d, kind)?;
    let theirs = members(w, t, &other)?;
    ret(Value::Obj(w.alloc(t, Obj::Set(op.apply(mine, &theirs)))?))
}

fn view_isdisjoint(w: &mut World, t: Tid, a: Args, kind: View) -> NResult {
    let d = this_view(w, t, &a, kind, "isdisjoint")?;
    let other = a.pos.get(1).cloned().unwrap_or(Value::None);
    let mine = view_set(w, t, d, kind)?;
    for v in iterate(w, t, &other)? {
        let k = key_of(w, t, &v)?;
        if mine.map.contains_key(&k) {
            return ret(Value::Bool(false));
        }
    }
    ret(Value::Bool(true))
}

fn vk_repr(w: &mut World, t: Tid, a: Args) -> NResult {
    view_repr(w, t, a, View::Keys)
}
fn vv_repr(w: &mut World, t: Tid, a: Args) -> NResult {
    view_repr(w, t, a, View::Values)
}
fn vi_repr(w: &mut World, t: Tid, a: Args) -> NResult {
    view_repr(w, t, a, View::Items)
}
fn vk_iter(w: &mut World, t: Tid, a: Args) -> NResult {
    view_iter(w, t, a, View::Keys)
}
fn vv_iter(w: &mut World, t: Tid, a: Args) -> NResult {
    view_iter(w, t, a, View::Values)
}
fn vi_iter(w: &mut World, t: Tid, a: Args) -> NResult {
    view_iter(w, t, a, View::Items)
}
fn vk_contains(w: &mut World, t: Tid, a: Args) -> NResult {
    view_contains(w, t, a, View::Keys)
}
fn vi_contains(w: &mut World, t: Tid, a: Args) -> NResult {
    view_contains(w, t, a, View::Items)
}
fn vk_eq(w: &mut World, t: Tid, a: Args) -> NResult {
    view_eq(w, t, a, View::Keys)
}
fn vi_eq(w: &mut World, t: Tid, a: Args) -> NResult {
    view_eq(w, t, a, View::Items)
}
fn vk_sub(w: &mut World, t: Tid, a: Args) -> NResult {
    view_setop(w, t, a, View::Keys, SetOp::Difference)
}
fn vi_sub(w: &mut World, t: Tid, a: Args) -> NResult {
    view_setop(w, t, a, View::Items, SetOp::Difference)
}
fn vk_and(w: &mut World, t: Tid, a: Args) -> NResult {
    view_setop(w, t, a, View::Keys, SetOp::Intersection)
}
fn vi_and(w: &mut World, t: Tid, a: Args) -> NResult {
    view_setop(w, t, a, View::Items, SetOp::Intersection)
}
fn vk_or(w: &mut World, t: Tid, a: Args) -> NResult {
    view_setop(w, t, a, View::Keys, SetOp::Union)
}
fn vi_or(w: &mut World, t: Tid, a: Args) -> NResult {
    view_setop(w, t, a, View::Items, SetOp::Union)
}
fn vk_xor(w: &mut World, t: Tid, a: Args) -> NResult {
    view_setop(w, t, a, View::Keys, SetOp::Symmetric)
}
fn vi_xor(w: &mut World, t: Tid, a: Args) -> NResult {
    view_setop(w, t, a, View::Items, SetOp::Symmetric)
}
fn vk_isdisjoint(w: &mut World, t: Tid, a: Args) -> NResult {
    view_isdisjoint(w, t, a, View::Keys)
}
fn vi_isdisjoint(w: &mut World, t: Tid, a: Args) -> NResult {
    view_isdisjoint(w, t, a, View::Items)
}
