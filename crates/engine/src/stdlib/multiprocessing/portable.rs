//! Values crossing a process boundary are copied as pickle copies them: out
//! of one heap into a [`Portable`], and rebuilt in the receiving heap.

use crate::types;
use crate::vm::value::*;
use crate::vm::*;

/// Copies a value out of a heap, as pickling does.
pub fn to_portable(w: &mut World, t: Tid, v: &Value) -> Result<Portable, Raise> {
    Ok(match v {
        Value::None => Portable::None,
        Value::Bool(b) => Portable::Bool(*b),
        Value::Int(i) => Portable::Int(*i),
        Value::Float(f) => Portable::Float(*f),
        Value::Str(s) => Portable::Str(s.clone()),
        Value::Tuple(items) => Portable::Tuple(items.iter().map(|x| to_portable(w, t, x)).collect::<Result<_, _>>()?),
        Value::Native(d) => Portable::Global(d.name.to_string()),
        Value::Obj(id) => match w.heap(t).get(*id).clone() {
            Obj::List(items) => Portable::List(items.iter().map(|x| to_portable(w, t, x)).collect::<Result<_, _>>()?),
            Obj::Dict(d) => Portable::Dict(
                d.map
                    .values()
                    .map(|(k, x)| Ok((to_portable(w, t, k)?, to_portable(w, t, x)?)))
                    .collect::<Result<_, Raise>>()?,
            ),
            Obj::Set(d) => Portable::Set(
                d.map
                    .values()
                    .map(|(k, _)| to_portable(w, t, k))
                    .collect::<Result<_, _>>()?,
            ),
            Obj::Function(f) => {
                if f.qualname.contains('<') {
                    return Err(Raise::New(
                        Exc::AttributeError,
                        format!("Can't get local object '{}'", f.qualname),
                    ));
                }
                if f.globals == w.proc(w.pid_of(t)).globals {
                    Portable::Global(f.qualname.to_string())
                } else {
                    Portable::Helper(f.qualname.to_string())
                }
            }
            Obj::Class(c) => Portable::Global(c.name.to_string()),
            Obj::Instance {
                native: Native::Shared(s),
                class,
                ..
            } => {
                let kind = match w.heap(t).get(class) {
                    Obj::Class(c) => c.builtin.unwrap_or("mp.Event"),
                    _ => "mp.Event",
                };
                Portable::SharedRef(s, kind)
            }
            Obj::Instance {
                native: Native::Exception { .. },
                class,
                dict,
            } => {
                let name = types::class_name(w, t, class);
                let args = match dict.get_str("args") {
                    Some(Value::Tuple(a)) => a.iter().map(|x| to_portable(w, t, x)).collect::<Result<_, _>>()?,
                    _ => vec![],
                };
                Portable::Exception(name, args)
            }
            _ => {
                let tn = types::type_name(w, t, v);
                return Err(Raise::New(Exc::TypeError, format!("cannot pickle '{tn}' object")));
            }
        },
        Value::Range(a, b, s) => Portable::Tuple(vec![Portable::Int(*a), Portable::Int(*b), Portable::Int(*s)]),
        _ => {
            let tn = types::type_name(w, t, v);
            return Err(Raise::New(Exc::TypeError, format!("cannot pickle '{tn}' object")));
        }
    })
}

/// Rebuilds a value in the receiving process's heap, as unpickling does.
pub fn from_portable(w: &mut World, t: Tid, p: &Portable) -> Result<Value, Raise> {
    Ok(match p {
        Portable::None => Value::None,
        Portable::Bool(b) => Value::Bool(*b),
        Portable::Int(i) => Value::Int(*i),
        Portable::Float(f) => Value::Float(*f),
        Portable::Str(s) => Value::Str(s.clone()),
        Portable::Tuple(items) => Value::tuple(items.iter().map(|x| from_portable(w, t, x)).collect::<Result<_, _>>()?),
        Portable::List(items) => {
            let v = items.iter().map(|x| from_portable(w, t, x)).collect::<Result<_, _>>()?;
            Value::Obj(w.alloc(t, Obj::List(v))?)
        }
        Portable::Set(items) => {
            let mut d = Dict::default();
            for x in items {
                let v = from_portable(w, t, x)?;
                let k = types::key_of(w, t, &v)?;
                d.insert(k, v, Value::None);
            }
            Value::Obj(w.alloc(t, Obj::Set(d))?)
        }
        Portable::Dict(items) => {
            let mut d = Dict::default();
            for (k, x) in items {
                let kv = from_portable(w, t, k)?;
                let vv = from_portable(w, t, x)?;
                let key = types::key_of(w, t, &kv)?;
                d.insert(key, kv, vv);
            }
            Value::Obj(w.alloc(t, Obj::Dict(d))?)
        }
        Portable::Global(name) => {
            let g = w.proc(w.pid_of(t)).globals;
            let found = match w.heap(t).get(g) {
                Obj::Dict(d) => d.get_str(name.rsplit('.').next().unwrap_or(name)).cloned(),
                _ => None,
            };
            match found {
                Some(v) => v,
                None => {
                    let b = w.proc(w.pid_of(t)).builtins;
                    match w.heap(t).get(b) {
                        Obj::Dict(d) => d.get_str(name).cloned(),
                        _ => None,
                    }
                    .ok_or_else(|| {
                        Raise::New(
                            Exc::AttributeError,
                            format!("Can't get attribute '{name}' on <module '__mp_main__'>"),
                        )
                    })?
                }
            }
        }
        Portable::Helper(name) => crate::stdlib::concurrent::helper(w, t, name)?,
        Portable::Exception(name, args) => {
            let cls = w.proc(w.pid_of(t)).classes.get(name);
            let args = args.iter().map(|x| from_portable(w, t, x)).collect::<Result<_, _>>()?;
            w.new_exception(t, cls, args)?
        }
        Portable::SharedRef(s, kind) => {
            let cls = w.proc(w.pid_of(t)).classes.get(kind);
            Value::Obj(w.alloc(
                t,
                Obj::Instance {
                    class: cls,
                    dict: Dict::default(),
                    native: Native::Shared(*s),
                },
            )?)
        }
    })
}
