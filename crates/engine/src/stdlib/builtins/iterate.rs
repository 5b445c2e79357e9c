//! Builtins over iterables: `len`, `enumerate`, `zip`, `sorted`, `reversed`,
//! `iter`, `next`, `any`, `all`, `map`, `filter`.

use super::ret;
use crate::types::*;
use crate::vm::value::*;
use crate::vm::*;

pub(super) fn b_len(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("len", &a, 1, 1)?;
    let v = &a.pos[0];
    let n = match v {
        Value::Str(s) => s.chars().count() as i64,
        Value::Tuple(x) => x.len() as i64,
        Value::Range(p, q, s) => range_len(*p, *q, *s),
        Value::Obj(id) => match w.heap(t).get(*id) {
            Obj::List(l) => l.len() as i64,
            Obj::Dict(d) | Obj::Set(d) => d.len() as i64,
            Obj::Instance { class, .. } => {
                let c = *class;
                if let Some(f) = w.class_lookup(t, c, "__len__") {
                    return Ok(Flow::Call(f, Args::new(vec![v.clone()])));
                }
                if let Some(n) = crate::stdlib::threading::native_len(w, t, *id) {
                    return ret(Value::Int(n));
                }
                let tn = type_name(w, t, v);
                return Err(Raise::New(
                    Exc::TypeError,
                    format!("object of type '{tn}' has no len()"),
                ));
            }
            _ => {
                let tn = type_name(w, t, v);
                return Err(Raise::New(
                    Exc::TypeError,
                    format!("object of type '{tn}' has no len()"),
                ));
            }
        },
        _ => {
            let tn = type_name(w, t, v);
            return Err(Raise::New(
                Exc::TypeError,
                format!("object of type '{tn}' has no len()"),
            ));
        }
    };
    ret(Value::Int(n))
}

pub(super) fn b_enumerate(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let start = a
        .take_kw("start")
        .or_else(|| a.pos.get(1).cloned())
        .map(|v| int_of(&v).unwrap_or(0))
        .unwrap_or(0);
    let items = collect_iter(w, t, &a.pos[0])?;
    let v: Vec<Value> = items
        .into_iter()
        .enumerate()
        .map(|(i, x)| Value::tuple(vec![Value::Int(start + i as i64), x]))
        .collect();
    ret(iterator_over(w, t, v)?)
}

pub(super) fn b_zip(w: &mut World, t: Tid, a: Args) -> NResult {
    let mut lists = Vec::new();
    for v in &a.pos {
        lists.push(collect_iter(w, t, v)?);
    }
    let n = lists.iter().map(|l| l.len()).min().unwrap_or(0);
    let v: Vec<Value> = (0..n)
        .map(|i| Value::tuple(lists.iter().map(|l| l[i].clone()).collect()))
        .collect();
    ret(iterator_over(w, t, v)?)
}

pub(super) fn b_sorted(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let key = a.take_kw("key");
    let reverse = match a.take_kw("reverse") {
        Some(v) => truthy(w, t, &v)?,
        None => false,
    };
    arg_count("sorted", &a, 1, 1)?;
    let items = collect_iter(w, t, &a.pos[0])?;
    let sorted = sort_values(w, t, items, key, reverse)?;
    ret(Value::Obj(w.alloc(t, Obj::List(sorted))?))
}

pub(super) fn b_reversed(w: &mut World, t: Tid, a: Args) -> NResult {
    let mut items = collect_iter(w, t, &a.pos[0])?;
    items.reverse();
    ret(iterator_over(w, t, items)?)
}

pub(super) fn b_iter(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("iter", &a, 1, 1)?;
    ret(get_iter(w, t, &a.pos[0])?)
}

pub(super) fn b_next(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("next", &a, 1, 2)?;
    match iter_next(w, t, &a.pos[0])? {
        Some(v) => ret(v),
        None => match a.pos.get(1) {
            Some(d) => ret(d.clone()),
            None => Err(Raise::new(Exc::StopIteration, "")),
        },
    }
}

pub(super) fn b_any(w: &mut World, t: Tid, a: Args) -> NResult {
    for it in collect_iter(w, t, &a.pos[0])? {
        if truthy(w, t, &it)? {
            return ret(Value::Bool(true));
        }
    }
    ret(Value::Bool(false))
}

pub(super) fn b_all(w: &mut World, t: Tid, a: Args) -> NResult {
    for it in collect_iter(w, t, &a.pos[0])? {
        if !truthy(w, t, &it)? {
            return ret(Value::Bool(false));
        }
    }
    ret(Value::Bool(true))
}

pub(super) fn b_map(w: &mut World, t: Tid, a: Args) -> NResult {
    if a.pos.len() < 2 {
        return Err(Raise::new(Exc::TypeError, "map() must have at least two arguments."));
    }
    let f = a.pos[0].clone();
    let mut lists = Vec::new();
    for v in &a.pos[1..] {
        lists.push(collect_iter(w, t, v)?);
    }
    let n = lists.iter().map(|l| l.len()).min().unwrap_or(0);
    let mut out = Vec::new();
    for i in 0..n {
        let args = lists.iter().map(|l| l[i].clone()).collect();
        out.push(w.call_sync(t, f.clone(), Args::new(args))?);
    }
    ret(iterator_over(w, t, out)?)
}

pub(super) fn b_filter(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("filter", &a, 2, 2)?;
    let f = a.pos[0].clone();
    let mut out = Vec::new();
    for it in collect_iter(w, t, &a.pos[1])? {
        let keep = if f.is_none() {
            truthy(w, t, &it)?
        } else {
            let r = w.call_sync(t, f.clone(), Args::new(vec![it.clone()]))?;
            truthy(w, t, &r)?
        };
        if keep {
            out.push(it);
        }
    }
    ret(iterator_over(w, t, out)?)
}
