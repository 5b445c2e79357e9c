//! Methods of `list`.

use crate::types::{self, native, repr_of, truthy};
use crate::vm::value::*;
use crate::vm::*;

use super::args::*;

fn list_items(w: &mut World, t: Tid, id: ObjId) -> Vec<Value> {
    match w.heap(t).get(id) {
        Obj::List(l) => l.clone(),
        _ => Vec::new(),
    }
}

fn with_list<R>(w: &mut World, t: Tid, id: ObjId, f: impl FnOnce(&mut Vec<Value>) -> R) -> Option<R> {
    match w.heap(t).get_mut(id) {
        Obj::List(l) => Some(f(l)),
        _ => None,
    }
}

fn l_append(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "append")?;
    let v = one_arg(&a, "list", "append")?;
    with_list(w, t, id, |l| l.push(v));
    ret(Value::None)
}

fn l_extend(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "extend")?;
    let v = one_arg(&a, "list", "extend")?;
    let items = iterate(w, t, &v)?;
    with_list(w, t, id, |l| l.extend(items));
    ret(Value::None)
}

fn l_insert(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "insert")?;
    let args = pos_args(&a, "list", "insert", 2, 2)?;
    let i = as_index(w, t, &args[0])?;
    let v = args[1].clone();
    with_list(w, t, id, |l| {
        let n = l.len() as i64;
        let at = if i < 0 { (i + n).max(0) } else { i.min(n) };
        l.insert(at as usize, v);
    });
    ret(Value::None)
}

fn l_pop(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "pop")?;
    let args = pos_args(&a, "list", "pop", 0, 1)?;
    let i = match args.first() {
        Some(v) => as_index(w, t, v)?,
        None => -1,
    };
    let r = with_list(w, t, id, |l| {
        if l.is_empty() {
            return Err(Raise::new(Exc::IndexError, "pop from empty list"));
        }
        let n = l.len() as i64;
        let j = if i < 0 { i + n } else { i };
        if j < 0 || j >= n {
            return Err(Raise::new(Exc::IndexError, "pop index out of range"));
        }
        Ok(l.remove(j as usize))
    });
    ret(r.unwrap_or(Ok(Value::None))?)
}

/// The first index in `items[start..stop]` holding a value equal to `x`.
pub(super) fn position(
    w: &mut World,
    t: Tid,
    items: &[Value],
    x: &Value,
    start: usize,
    stop: usize,
) -> Result<Option<usize>, Raise> {
    for (i, it) in items.iter().enumerate().take(stop).skip(start) {
        if item_eq(w, t, it, x)? {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

fn l_remove(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "remove")?;
    let x = one_arg(&a, "list", "remove")?;
    let items = list_items(w, t, id);
    match position(w, t, &items, &x, 0, items.len())? {
        Some(i) => {
            with_list(w, t, id, |l| {
                if i < l.len() {
                    l.remove(i);
                }
            });
            ret(Value::None)
        }
        None => Err(value_error("list.remove(x): x not in list")),
    }
}

/// `start`/`stop` of `list.index` and `tuple.index`: clamped into the sequence.
pub(super) fn index_bounds(args: &[Value], len: usize) -> Result<(usize, usize), Raise> {
    let clamp = |v: Option<i64>, default: usize| match v {
        None => default,
        Some(i) if i < 0 => (i + len as i64).max(0) as usize,
        Some(i) => (i as u64).min(len as u64) as usize,
    };
    let start = slice_bound(args.get(1), false)?;
    let stop = slice_bound(args.get(2), false)?;
    Ok((clamp(start, 0), clamp(stop, len)))
}

fn l_index(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "index")?;
    let args = pos_args(&a, "list", "index", 1, 3)?;
    let items = list_items(w, t, id);
    let (start, stop) = index_bounds(args, items.len())?;
    match position(w, t, &items, &args[0], start, stop)? {
        Some(i) => ret(Value::Int(i as i64)),
        None => {
            let r = repr_of(w, t, &args[0])?;
            Err(value_error(format!("{r} is not in list")))
        }
    }
}

pub(super) fn count_eq(w: &mut World, t: Tid, items: &[Value], x: &Value) -> NResult {
    let mut n = 0;
    for it in items {
        if item_eq(w, t, it, x)? {
            n += 1;
        }
    }
    ret(Value::Int(n))
}

fn l_count(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "count")?;
    let x = one_arg(&a, "list", "count")?;
    let items = list_items(w, t, id);
    count_eq(w, t, &items, &x)
}

fn l_sort(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "sort")?;
    let p = kw_args(&a, "sort", &["key", "reverse"], 0, 0, 0)?;
    let reverse = match &p[1] {
        Some(v) => truthy(w, t, v)?,
        None => false,
    };
    let items = list_items(w, t, id);
    let sorted = types::sort_values(w, t, items, p[0].clone(), reverse)?;
    with_list(w, t, id, |l| *l = sorted);
    ret(Value::None)
}

fn l_reverse(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "reverse")?;
    no_args(&a, "list", "reverse")?;
    with_list(w, t, id, |l| l.reverse());
    ret(Value::None)
}

fn l_copy(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "copy")?;
    no_args(&a, "list", "copy")?;
    let items = list_items(w, t, id);
    new_list(w, t, items)
}

fn l_clear(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "clear")?;
    no_args(&a, "list", "clear")?;
    with_list(w, t, id, |l| l.clear());
    ret(Value::None)
}

/// The method `name` of `list`, if it has one.
pub fn list_method(name: &str) -> Option<&'static NativeDef> {
    Some(match name {
        "append" => native!("list.append", l_append),
        "extend" => native!("list.extend", l_extend),
        "insert" => native!("list.insert", l_insert),
        "pop" => native!("list.pop", l_pop),
        "remove" => native!("list.remove", l_remove),
        "index" => native!("list.index", l_index),
        "count" => native!("list.count", l_count),
        "sort" => native!("list.sort", l_sort),
        "reverse" => native!("list.reverse", l_reverse),
        "copy" => native!("list.copy", l_copy),
        "clear" => native!("list.clear", l_clear),
        _ => return None,
    })
}
