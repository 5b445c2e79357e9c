//! Methods of `dict` (`keys()`, `values()` and `items()` are in `dict_view`).

use crate::types::{key_of, native};
use crate::vm::value::*;
use crate::vm::*;

use super::args::*;
use super::dict_view::{d_items, d_keys, d_values};

fn d_get(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_dict(w, t, &a, "get")?;
    let args = pos_args(&a, "dict", "get", 1, 2)?;
    let k = key_of(w, t, &args[0])?;
    let found = with_dict(w, t, id, |d| d.get(&k).cloned()).flatten();
    ret(found.unwrap_or_else(|| args.get(1).cloned().unwrap_or(Value::None)))
}

fn d_pop(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_dict(w, t, &a, "pop")?;
    let args = pos_args(&a, "dict", "pop", 1, 2)?;
    let k = key_of(w, t, &args[0])?;
    match with_dict(w, t, id, |d| d.remove(&k)).flatten() {
        Some(v) => ret(v),
        None => match args.get(1) {
            Some(default) => ret(default.clone()),
            None => Err(key_error(w, t, args[0].clone())),
        },
    }
}

fn d_popitem(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_dict(w, t, &a, "popitem")?;
    no_args(&a, "dict", "popitem")?;
    match with_dict(w, t, id, |d| d.map.pop()).flatten() {
        Some((_, (k, v))) => ret(Value::tuple(vec![k, v])),
        None => Err(Raise::new(Exc::KeyError, "popitem(): dictionary is empty")),
    }
}

fn d_setdefault(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_dict(w, t, &a, "setdefault")?;
    let args = pos_args(&a, "dict", "setdefault", 1, 2)?;
    let k = key_of(w, t, &args[0])?;
    let default = args.get(1).cloned().unwrap_or(Value::None);
    let key_value = args[0].clone();
    let v = with_dict(w, t, id, |d| match d.get(&k) {
        Some(v) => v.clone(),
        None => {
            d.insert(k, key_value, default.clone());
            default
        }
    });
    ret(v.unwrap_or(Value::None))
}

/// The `(key, value)` pairs `dict.update(src)` adds: from a dict, a mapping with
/// `keys()`, or an iterable of pairs.
fn update_pairs(w: &mut World, t: Tid, src: &Value) -> Result<Vec<(Value, Value)>, Raise> {
    if let Value::Obj(id) = src {
        match w.heap(t).get(*id) {
            Obj::Dict(d) => return Ok(d.map.values().cloned().collect()),
            Obj::Instance { class, .. } => {
                let c = *class;
                if w.class_lookup(t, c, "keys").is_some() {
                    let keys = w.getattr(t, src, "keys")?;
                    let keys = w.call_sync(t, keys, Args::default())?;
                    let mut out = Vec::new();
                    for k in iterate(w, t, &keys)? {
                        let v = subscript(w, t, src, &k)?;
                        out.push((k, v));
                    }
                    return Ok(out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (i, item) in iterate(w, t, src)?.into_iter().enumerate() {
        let kv = match iterate(w, t, &item) {
            Ok(kv) => kv,
            Err(Raise::New(Exc::TypeError, m)) if m.ends_with("is not iterable") => {
                return Err(type_error(format!(
                    "cannot convert dictionary update sequence element #{i} to a sequence"
                )));
            }
            Err(e) => return Err(e),
        };
        if kv.len() != 2 {
            return Err(value_error(format!(
                "dictionary update sequence element #{i} has length {}; 2 is required",
                kv.len()
            )));
        }
        let mut kv = kv.into_iter();
        if let (Some(k), Some(v)) = (kv.next(), kv.next()) {
            out.push((k, v));
        }
    }
    Ok(out)
}

fn d_update(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_dict(w, t, &a, "update")?;
    let n = a.pos.len() - 1;
    if n > 1 {
        return Err(type_error(format!("update expected at most 1 argument, got {n}")));
    }
    let mut pairs = match a.pos.get(1) {
        Some(src) => update_pairs(w, t, src)?,
        None => Vec::new(),
    };
    pairs.extend(a.kw.iter().map(|(k, v)| (Value::Str(k.clone()), v.clone())));
    for (k, v) in pairs {
        let key = key_of(w, t, &k)?;
        with_dict(w, t, id, |d| d.insert(key, k, v));
    }
    ret(Value::None)
}

fn d_copy(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_dict(w, t, &a, "copy")?;
    no_args(&a, "dict", "copy")?;
    let d = dict_of(w, t, id);
    ret(Value::Obj(w.alloc(t, Obj::Dict(d))?))
}

fn d_clear(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_dict(w, t, &a, "clear")?;
    no_args(&a, "dict", "clear")?;
    with_dict(w, t, id, |d| d.map.clear());
    ret(Value::None)
}

fn d_fromkeys(w: &mut World, t: Tid, a: Args) -> NResult {
    this_dict(w, t, &a, "fromkeys")?;
    let args = pos_args(&a, "dict", "fromkeys", 1, 2)?;
    let value = args.get(1).cloned().unwrap_or(Value::None);
    let mut d = Dict::default();
    for k in iterate(w, t, &args[0])? {
        let key = key_of(w, t, &k)?;
        d.insert(key, k, value.clone());
    }
    ret(Value::Obj(w.alloc(t, Obj::Dict(d))?))
}

/// The method `name` of `dict`, if it has one.
pub fn dict_method(name: &str) -> Option<&'static NativeDef> {
    Some(match name {
        "get" => native!("dict.get", d_get),
        "keys" => native!("dict.keys", d_keys),
        "values" => native!("dict.values", d_values),
        "items" => native!("dict.items", d_items),
        "pop" => native!("dict.pop", d_pop),
        "popitem" => native!("dict.popitem", d_popitem),
        "setdefault" => native!("dict.setdefault", d_setdefault),
        "update" => native!("dict.update", d_update),
        "copy" => native!("dict.copy", d_copy),
        "clear" => native!("dict.clear", d_clear),
        "fromkeys" => native!("dict.fromkeys", d_fromkeys),
        _ => return None,
    })
}
