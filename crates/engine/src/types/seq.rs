//! Iteration, subscripts and slices of builtin containers; sorting.

use std::rc::Rc;

use super::*;
use crate::vm::value::*;
use crate::vm::*;

pub fn range_len(a: i64, b: i64, s: i64) -> i64 {
    if s > 0 && a < b {
        (b - a - 1) / s + 1
    } else if s < 0 && a > b {
        (a - b - 1) / (-s) + 1
    } else {
        0
    }
}

/// A new iterator over `items` (what `map`, `zip`, `reversed`... return).
pub fn iterator_over(w: &mut World, t: Tid, items: Vec<Value>) -> Result<Value, Raise> {
    let it = IterState::Seq {
        items: Rc::new(items),
        pos: 0,
    };
    Ok(Value::Obj(w.alloc(t, Obj::Iter(it))?))
}

pub fn get_iter(w: &mut World, t: Tid, v: &Value) -> Result<Value, Raise> {
    let st = match v {
        Value::Tuple(items) => IterState::Seq {
            items: items.clone(),
            pos: 0,
        },
        Value::Str(s) => IterState::Chars { s: s.clone(), pos: 0 },
        Value::Range(a, b, s) => IterState::Range {
            next: *a,
            stop: *b,
            step: *s,
        },
        Value::Obj(id) => match w.heap(t).get(*id) {
            Obj::List(_) => IterState::List { list: *id, pos: 0 },
            Obj::Dict(d) | Obj::Set(d) => IterState::Seq {
                items: Rc::new(d.map.values().map(|(k, _)| k.clone()).collect()),
                pos: 0,
            },
            Obj::Iter(_) => return Ok(v.clone()),
            Obj::Instance { class, .. } => {
                let c = *class;
                // A Python-level iterable: `__iter__` gives the iterator that ForIter drives.
                if let Some(f) = w.class_lookup(t, c, "__iter__") {
                    return w.call_sync(t, f, Args::new(vec![v.clone()]));
                }
                let tn = type_name(w, t, v);
                return Err(Raise::New(Exc::TypeError, format!("'{tn}' object is not iterable")));
            }
            _ => {
                let tn = type_name(w, t, v);
                return Err(Raise::New(Exc::TypeError, format!("'{tn}' object is not iterable")));
            }
        },
        _ => {
            let tn = type_name(w, t, v);
            return Err(Raise::New(Exc::TypeError, format!("'{tn}' object is not iterable")));
        }
    };
    Ok(Value::Obj(w.alloc(t, Obj::Iter(st))?))
}

pub fn iter_next(w: &mut World, t: Tid, it: &Value) -> Result<Option<Value>, Raise> {
    let Value::Obj(id) = it else { return Ok(None) };
    let id = *id;
    if matches!(w.heap(t).get(id), Obj::Instance { .. }) {
        let next = w.getattr(t, it, "__next__")?;
        return match w.call_sync(t, next, Args::default()) {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                let ex = w.make_exc(t, e)?;
                if exc_is(w, t, &ex, Exc::StopIteration) {
                    Ok(None)
                } else {
                    Err(Raise::Obj(ex))
                }
            }
        };
    }
    let st = match w.heap(t).get_mut(id) {
        Obj::Iter(st) => st,
        _ => return Err(Raise::new(Exc::TypeError, "object is not an iterator")),
    };
    match st {
        IterState::Range { next, stop, step } => {
            let n = *next;
            if (*step > 0 && n < *stop) || (*step < 0 && n > *stop) {
                *next = n.saturating_add(*step);
                Ok(Some(Value::Int(n)))
            } else {
                Ok(None)
            }
        }
        IterState::Seq { items, pos } => {
            if *pos < items.len() {
                *pos += 1;
                Ok(Some(items[*pos - 1].clone()))
            } else {
                Ok(None)
            }
        }
        IterState::Chars { s, pos } => {
            let s2 = s.clone();
            match s2[*pos..].chars().next() {
                Some(c) => {
                    *pos += c.len_utf8();
                    Ok(Some(Value::str(c.to_string())))
                }
                None => Ok(None),
            }
        }
        IterState::List { list, pos } => {
            let (l, p) = (*list, *pos);
            let v = match w.heap(t).get(l) {
                Obj::List(items) => items.get(p).cloned(),
                _ => None,
            };
            if v.is_some() {
                if let Obj::Iter(IterState::List { pos, .. }) = w.heap(t).get_mut(id) {
                    *pos += 1;
                }
            }
            Ok(v)
        }
    }
}

/// All items of an iterable.
pub fn collect_iter(w: &mut World, t: Tid, v: &Value) -> Result<Vec<Value>, Raise> {
    match v {
        Value::Tuple(items) => return Ok(items.to_vec()),
        Value::Range(a, b, s) => {
            let n = range_len(*a, *b, *s);
            if n > 10_000_000 {
                return Err(Raise::new(Exc::MemoryError, ""));
            }
            return Ok((0..n).map(|i| Value::Int(a + i * s)).collect());
        }
        Value::Obj(id) => {
            if let Obj::List(l) = w.heap(t).get(*id) {
                return Ok(l.clone());
            }
            if matches!(w.heap(t).get(*id), Obj::Instance { .. }) {
                return (w.lib.iterate_native)(w, t, *id).map(|o| o.unwrap_or_default());
            }
        }
        _ => {}
    }
    let it = get_iter(w, t, v)?;
    let mut out = Vec::new();
    while let Some(x) = iter_next(w, t, &it)? {
        out.push(x);
        if out.len() > 10_000_000 {
            return Err(Raise::new(Exc::MemoryError, ""));
        }
    }
    Ok(out)
}

pub fn norm_index(i: i64, len: usize) -> Option<usize> {
    let len = len as i64;
    let j = if i < 0 { i + len } else { i };
    if j < 0 || j >= len {
        None
    } else {
        Some(j as usize)
    }
}

pub fn slice_indices(w: &mut World, t: Tid, s: ObjId, len: usize) -> Result<Vec<usize>, Raise> {
    let parts = match w.heap(t).get(s) {
        Obj::List(p) => p.clone(),
        _ => vec![Value::None, Value::None, Value::None],
    };
    let step = match &parts[2] {
        Value::None => 1,
        v => int_of(v).ok_or_else(|| {
            Raise::new(
                Exc::TypeError,
                "slice indices must be integers or None or have an __index__ method",
            )
        })?,
    };
    if step == 0 {
        return Err(Raise::new(Exc::ValueError, "slice step cannot be zero"));
    }
    let len = len as i64;
    let clamp = |v: &Value, default: i64| -> Result<i64, Raise> {
        match v {
            Value::None => Ok(default),
            v => {
                let i = int_of(v).ok_or_else(|| {
                    Raise::new(
                        Exc::TypeError,
                        "slice indices must be integers or None or have an __index__ method",
                    )
                })?;
                let i = if i < 0 { i + len } else { i };
                Ok(if step > 0 {
                    i.clamp(0, len)
                } else {
                    i.clamp(-1, len - 1)
                })
            }
        }
    };
    let (start, stop) = if step > 0 {
        (clamp(&parts[0], 0)?, clamp(&parts[1], len)?)
    } else {
        (clamp(&parts[0], len - 1)?, clamp(&parts[1], -1)?)
    };
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        out.push(i as usize);
        i += step;
    }
    Ok(out)
}

/// `o[k]` for builtin types; None when `o` is an instance (user `__getitem__`).
pub fn getitem(w: &mut World, t: Tid, o: &Value, k: &Value) -> Result<Option<Value>, Raise> {
    if let Value::Tuple(sl) = k {
        if is_slice(sl) {
            let sid = sl[1].as_obj().unwrap_or(ObjId(0));
            return match o {
                Value::Str(s) => {
                    let chars: Vec<char> = s.chars().collect();
                    let idx = slice_indices(w, t, sid, chars.len())?;
                    Ok(Some(Value::str(idx.into_iter().map(|i| chars[i]).collect::<String>())))
                }
                Value::Tuple(items) => {
                    let idx = slice_indices(w, t, sid, items.len())?;
                    Ok(Some(Value::tuple(idx.into_iter().map(|i| items[i].clone()).collect())))
                }
                Value::Obj(id) => match w.heap(t).get(*id).clone() {
                    Obj::List(items) => {
                        let idx = slice_indices(w, t, sid, items.len())?;
                        let v = idx.into_iter().map(|i| items[i].clone()).collect();
                        Ok(Some(Value::Obj(w.alloc(t, Obj::List(v))?)))
                    }
                    Obj::Instance { .. } => Ok(None),
                    _ => {
                        let tn = type_name(w, t, o);
                        Err(Raise::New(
                            Exc::TypeError,
                            format!("'{tn}' object is not subscriptable"),
                        ))
                    }
                },
                Value::Range(a, _, s) => {
                    let items = collect_iter(w, t, o)?;
                    let idx = slice_indices(w, t, sid, items.len())?;
                    let _ = (a, s);
                    Ok(Some(Value::tuple(idx.into_iter().map(|i| items[i].clone()).collect())))
                }
                _ => {
                    let tn = type_name(w, t, o);
                    Err(Raise::New(
                        Exc::TypeError,
                        format!("'{tn}' object is not subscriptable"),
                    ))
                }
            };
        }
    }
    match o {
        Value::Str(s) => {
            let i =
                int_of(k).ok_or_else(|| Raise::new(Exc::TypeError, "string indices must be integers, not 'str'"))?;
            let n = s.chars().count();
            let j = norm_index(i, n).ok_or_else(|| Raise::new(Exc::IndexError, "string index out of range"))?;
            Ok(Some(Value::str(
                s.chars().nth(j).map(|c| c.to_string()).unwrap_or_default(),
            )))
        }
        Value::Tuple(items) => {
            let i = int_of(k)
                .ok_or_else(|| Raise::new(Exc::TypeError, "tuple indices must be integers or slices, not str"))?;
            let j =
                norm_index(i, items.len()).ok_or_else(|| Raise::new(Exc::IndexError, "tuple index out of range"))?;
            Ok(Some(items[j].clone()))
        }
        Value::Range(a, b, s) => {
            let i = int_of(k).ok_or_else(|| Raise::new(Exc::TypeError, "range indices must be integers or slices"))?;
            let n = range_len(*a, *b, *s) as usize;
            let j = norm_index(i, n).ok_or_else(|| Raise::new(Exc::IndexError, "range object index out of range"))?;
            Ok(Some(Value::Int(a + j as i64 * s)))
        }
        Value::Obj(id) => match w.heap(t).get(*id) {
            Obj::List(items) => {
                let i = match int_of(k) {
                    Some(i) => i,
                    None => {
                        let tn = type_name(w, t, k);
                        return Err(Raise::New(
                            Exc::TypeError,
                            format!("list indices must be integers or slices, not {tn}"),
                        ));
                    }
                };
                let j =
                    norm_index(i, items.len()).ok_or_else(|| Raise::new(Exc::IndexError, "list index out of range"))?;
                Ok(Some(items[j].clone()))
            }
            Obj::Dict(_) => {
                let key = key_of(w, t, k)?;
                if let Obj::Dict(d) = w.heap(t).get(*id) {
                    if let Some(v) = d.get(&key) {
                        return Ok(Some(v.clone()));
                    }
                }
                let kc = w.proc(w.pid_of(t)).classes.exc(Exc::KeyError);
                Err(Raise::Obj(w.new_exception(t, kc, vec![k.clone()])?))
            }
            Obj::Instance { .. } => Ok(None),
            Obj::Class(_) => Ok(Some(o.clone())),
            _ => {
                let tn = type_name(w, t, o);
                Err(Raise::New(
                    Exc::TypeError,
                    format!("'{tn}' object is not subscriptable"),
                ))
            }
        },
        Value::Native(_) => Ok(Some(o.clone())),
        _ => {
            let tn = type_name(w, t, o);
            Err(Raise::New(
                Exc::TypeError,
                format!("'{tn}' object is not subscriptable"),
            ))
        }
    }
}

pub fn setitem(w: &mut World, t: Tid, o: &Value, k: Value, v: Value) -> Result<(), Raise> {
    if let Value::Obj(id) = o {
        match w.heap(t).get(*id) {
            Obj::List(items) => {
                let n = items.len();
                let i = int_of(&k)
                    .ok_or_else(|| Raise::new(Exc::TypeError, "list indices must be integers or slices, not str"))?;
                let j = norm_index(i, n)
                    .ok_or_else(|| Raise::new(Exc::IndexError, "list assignment index out of range"))?;
                if let Obj::List(items) = w.heap(t).get_mut(*id) {
                    items[j] = v;
                }
                return Ok(());
            }
            Obj::Dict(_) => {
                let key = key_of(w, t, &k)?;
                if let Obj::Dict(d) = w.heap(t).get_mut(*id) {
                    d.insert(key, k, v);
                }
                return Ok(());
            }
            Obj::Instance { class, .. } => {
                let c = *class;
                if let Some(f) = w.class_lookup(t, c, "__setitem__") {
                    w.call_sync(t, f, Args::new(vec![o.clone(), k, v]))?;
                    return Ok(());
                }
            }
            _ => {}
        }
    }
    let tn = type_name(w, t, o);
    Err(Raise::New(
        Exc::TypeError,
        format!("'{tn}' object does not support item assignment"),
    ))
}

pub fn delitem(w: &mut World, t: Tid, o: &Value, k: &Value) -> Result<(), Raise> {
    if let Value::Obj(id) = o {
        match w.heap(t).get(*id) {
            Obj::List(items) => {
                let n = items.len();
                let i = int_of(k)
                    .ok_or_else(|| Raise::new(Exc::TypeError, "list indices must be integers or slices, not str"))?;
                let j = norm_index(i, n)
                    .ok_or_else(|| Raise::new(Exc::IndexError, "list assignment index out of range"))?;
                if let Obj::List(items) = w.heap(t).get_mut(*id) {
                    items.remove(j);
                }
                return Ok(());
            }
            Obj::Dict(_) => {
                let key = key_of(w, t, k)?;
                let removed = if let Obj::Dict(d) = w.heap(t).get_mut(*id) {
                    d.remove(&key)
                } else {
                    None
                };
                if removed.is_none() {
                    let kc = w.proc(w.pid_of(t)).classes.exc(Exc::KeyError);
                    return Err(Raise::Obj(w.new_exception(t, kc, vec![k.clone()])?));
                }
                return Ok(());
            }
            _ => {}
        }
    }
    let tn = type_name(w, t, o);
    Err(Raise::New(
        Exc::TypeError,
        format!("'{tn}' object does not support item deletion"),
    ))
}

/// Sorts with Python's semantics (stable, optional key and reverse).
pub fn sort_values(
    w: &mut World,
    t: Tid,
    items: Vec<Value>,
    key: Option<Value>,
    reverse: bool,
) -> Result<Vec<Value>, Raise> {
    let mut keyed = Vec::with_capacity(items.len());
    for it in items {
        let k = match &key {
            Some(k) if !k.is_none() => w.call_sync(t, k.clone(), Args::new(vec![it.clone()]))?,
            _ => it.clone(),
        };
        keyed.push((k, it));
    }
    // Insertion-merge sort that can fail: a simple stable merge sort.
    let mut err = None;
    let mut idx: Vec<usize> = (0..keyed.len()).collect();
    merge_sort(&mut idx, &mut |x, y| {
        if err.is_some() {
            return false;
        }
        let (a, b) = if reverse {
            (&keyed[*y].0, &keyed[*x].0)
        } else {
            (&keyed[*x].0, &keyed[*y].0)
        };
        match order(w, t, a, b, "<") {
            Ok(o) => o == std::cmp::Ordering::Less,
            Err(e) => {
                err = Some(e);
                false
            }
        }
    });
    if let Some(e) = err {
        return Err(e);
    }
    Ok(idx.into_iter().map(|i| keyed[i].1.clone()).collect())
}

pub fn merge_sort(v: &mut Vec<usize>, less: &mut dyn FnMut(&usize, &usize) -> bool) {
    if v.len() <= 1 {
        return;
    }
    let right = v.split_off(v.len() / 2);
    let mut left = std::mem::take(v);
    let mut right = right;
    merge_sort(&mut left, less);
    merge_sort(&mut right, less);
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if less(&right[j], &left[i]) {
            v.push(right[j]);
            j += 1;
        } else {
            v.push(left[i]);
            i += 1;
        }
    }
    v.extend_from_slice(&left[i..]);
    v.extend_from_slice(&right[j..]);
}
