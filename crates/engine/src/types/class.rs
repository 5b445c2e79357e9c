//! Classes: building them, native classes, descriptors, `super()`, and the
//! attributes and methods of builtin values.

use std::rc::Rc;

use super::*;
use crate::vm::value::*;
use crate::vm::*;

/// Creates a builtin class deriving from `object` (or `base`) with native methods.
pub fn native_class(
    heap: &mut Heap,
    classes: &Classes,
    name: &'static str,
    base: Option<&str>,
    methods: &[&'static NativeDef],
) -> ObjId {
    let base = classes.get(base.unwrap_or("object"));
    let mut mro = match heap.get(base) {
        Obj::Class(b) => b.mro.clone(),
        _ => vec![],
    };
    let mut dict = Dict::default();
    for m in methods {
        let short = m.name.rsplit('.').next().unwrap_or(m.name);
        dict.set_str(short, Value::Native(m));
    }
    let id = heap.alloc(Obj::Class(Box::new(Class {
        name: Rc::new(name.to_string()),
        mro: vec![],
        dict,
        builtin: Some(name),
    })));
    mro.insert(0, id);
    if let Obj::Class(k) = heap.get_mut(id) {
        k.mro = mro;
    }
    id
}

/// Builds a class from a finished class body.
pub fn build_class(w: &mut World, t: Tid, name: Rc<String>, bases: Vec<Value>, ns: Value) -> Result<Value, Raise> {
    let mut base_ids = Vec::new();
    for b in &bases {
        match b {
            Value::Obj(id) if matches!(w.heap(t).get(*id), Obj::Class(_)) => base_ids.push(*id),
            Value::Native(d) if d.name == "object" => {}
            _ => {
                return Err(Raise::new(
                    Exc::TypeError,
                    "bases must be classes (builtin types such as int or list cannot be subclassed in the simulator)",
                ))
            }
        }
    }
    if base_ids.is_empty() {
        base_ids.push(w.proc(w.pid_of(t)).classes.get("object"));
    }
    // C3 linearization.
    let mut seqs: Vec<Vec<ObjId>> = Vec::new();
    for b in &base_ids {
        if let Obj::Class(c) = w.heap(t).get(*b) {
            seqs.push(c.mro.clone());
        }
    }
    seqs.push(base_ids.clone());
    let mut mro = Vec::new();
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            break;
        }
        let cand = seqs
            .iter()
            .map(|s| s[0])
            .find(|c| !seqs.iter().any(|s| s[1..].contains(c)));
        let Some(c) = cand else {
            return Err(Raise::new(
                Exc::TypeError,
                "Cannot create a consistent method resolution order (MRO)",
            ));
        };
        mro.push(c);
        for s in seqs.iter_mut() {
            if s[0] == c {
                s.remove(0);
            }
        }
    }
    let dict = match &ns {
        Value::Obj(id) => match w.heap(t).get(*id) {
            Obj::Dict(d) => d.clone(),
            _ => Dict::default(),
        },
        _ => Dict::default(),
    };
    let funcs: Vec<ObjId> = dict.map.values().filter_map(|(_, v)| v.as_obj()).collect();
    let builtin_base = mro.iter().find_map(|c| match w.heap(t).get(*c) {
        Obj::Class(k) if k.builtin == Some("exception") => Some("exception"),
        _ => None,
    });
    let _ = builtin_base;
    let id = w.alloc(
        t,
        Obj::Class(Box::new(Class {
            name,
            mro: vec![],
            dict,
            builtin: None,
        })),
    )?;
    mro.insert(0, id);
    if let Obj::Class(k) = w.heap(t).get_mut(id) {
        k.mro = mro;
    }
    for f in funcs {
        if let Obj::Function(func) = w.heap(t).get_mut(f) {
            func.owner = Some(id);
        }
    }
    Ok(Value::Obj(id))
}

/// A class attribute read through the class: plain functions stay unbound.
pub fn unwrap_class_attr(w: &mut World, t: Tid, cls: ObjId, v: Value) -> Result<Value, Raise> {
    if let Value::Obj(id) = &v {
        if let Obj::Instance { class, .. } = w.heap(t).get(*id) {
            let class = *class;
            let kind = class_name(w, t, class);
            let f = match w.heap(t).get(*id) {
                Obj::Instance { dict, .. } => dict.get_str("__func__").cloned(),
                _ => None,
            };
            match (kind.as_str(), f) {
                ("staticmethod", Some(f)) => return Ok(f),
                ("classmethod", Some(f)) => return Ok(Value::Obj(w.alloc(t, Obj::Method(Value::Obj(cls), f))?)),
                _ => {}
            }
        }
    }
    Ok(v)
}

/// Descriptors found on a class for an instance: property, staticmethod, classmethod.
pub fn descriptor_get(w: &mut World, t: Tid, obj: &Value, d: Value) -> Result<Value, Raise> {
    let Value::Obj(id) = &d else { return Ok(d) };
    let (class, f) = match w.heap(t).get(*id) {
        Obj::Instance { class, dict, .. } => (*class, dict.get_str("__func__").cloned()),
        _ => return Ok(d),
    };
    let kind = class_name(w, t, class);
    match (kind.as_str(), f) {
        ("property", Some(f)) => w.call_sync(t, f, Args::new(vec![obj.clone()])),
        ("staticmethod", Some(f)) => Ok(f),
        ("classmethod", Some(f)) => {
            let cls = class_of(w, t, obj);
            Ok(Value::Obj(w.alloc(t, Obj::Method(cls, f))?))
        }
        _ => Ok(d),
    }
}

/// Attribute lookup through a `super()` proxy.
pub fn super_getattr(w: &mut World, t: Tid, proxy: ObjId, name: &str) -> Result<Option<Value>, Raise> {
    let (cls, this) = match w.heap(t).get(proxy) {
        Obj::Instance { dict, .. } => (
            dict.get_str("__thisclass__").cloned(),
            dict.get_str("__self__").cloned(),
        ),
        _ => return Ok(None),
    };
    let (Some(Value::Obj(cls)), Some(this)) = (cls, this) else {
        return Ok(None);
    };
    let start_mro = match &this {
        Value::Obj(id) => match w.heap(t).get(*id) {
            Obj::Instance { class, .. } => {
                let c = *class;
                match w.heap(t).get(c) {
                    Obj::Class(k) => k.mro.clone(),
                    _ => vec![],
                }
            }
            Obj::Class(k) => k.mro.clone(),
            _ => vec![],
        },
        _ => vec![],
    };
    let pos = start_mro
        .iter()
        .position(|c| *c == cls)
        .map(|p| p + 1)
        .unwrap_or(start_mro.len());
    for c in &start_mro[pos..] {
        let found = match w.heap(t).get(*c) {
            Obj::Class(k) => k.dict.get_str(name).cloned(),
            _ => None,
        };
        if let Some(v) = found {
            return Ok(Some(match &v {
                Value::Native(d) => Value::BoundNative(Rc::new((this.clone(), d))),
                Value::Obj(fid) if matches!(w.heap(t).get(*fid), Obj::Function(_)) => {
                    Value::Obj(w.alloc(t, Obj::Method(this.clone(), v.clone()))?)
                }
                _ => v,
            }));
        }
    }
    Err(Raise::New(
        Exc::AttributeError,
        format!("'super' object has no attribute '{name}'"),
    ))
}

/// Data attributes of builtin values (`exc.args`, a super proxy's lookups...).
pub fn value_attr(w: &mut World, t: Tid, obj: &Value, name: &str) -> Result<Option<Value>, Raise> {
    if let Value::Obj(id) = obj {
        if let Obj::Instance { class, .. } = w.heap(t).get(*id) {
            let c = *class;
            if class_name(w, t, c) == "super" {
                return super_getattr(w, t, *id, name);
            }
        }
    }
    match (obj, name) {
        (Value::Range(a, _, _), "start") => Ok(Some(Value::Int(*a))),
        (Value::Range(_, b, _), "stop") => Ok(Some(Value::Int(*b))),
        (Value::Range(_, _, s), "step") => Ok(Some(Value::Int(*s))),
        (Value::Float(f), "real") => Ok(Some(Value::Float(*f))),
        (Value::Int(i), "real" | "numerator") => Ok(Some(Value::Int(*i))),
        // `signal.SIGTERM.name`: the simulator's signal numbers are plain ints.
        (Value::Int(i), "name") if matches!(*i, 1 | 2 | 3 | 9 | 10 | 12 | 14 | 15) => {
            Ok(Some(Value::str(crate::trace::signal_name(*i as i32))))
        }
        (Value::Int(i), "value") if matches!(*i, 1 | 2 | 3 | 9 | 10 | 12 | 14 | 15) => Ok(Some(Value::Int(*i))),
        (Value::Int(_), "denominator") => Ok(Some(Value::Int(1))),
        _ => Ok(None),
    }
}

/// The method `name` of a builtin value's type, unbound.
pub fn type_method(w: &mut World, t: Tid, obj: &Value, name: &str) -> Option<&'static NativeDef> {
    match obj {
        Value::Str(_) => crate::types::methods::str_method(name),
        Value::Obj(id) => match w.heap(t).get(*id) {
            Obj::List(_) => crate::types::methods::list_method(name),
            Obj::Dict(_) => crate::types::methods::dict_method(name),
            Obj::Set(_) => crate::types::methods::set_method(name),
            _ => None,
        },
        Value::Int(_) | Value::Bool(_) => crate::types::methods::int_method(name),
        Value::Float(_) => crate::types::methods::float_method(name),
        Value::Tuple(_) => crate::types::methods::tuple_method(name),
        _ => None,
    }
}
