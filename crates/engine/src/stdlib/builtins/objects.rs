//! Builtins about objects and classes: `isinstance`, `issubclass`, `id`,
//! `hash`, `hasattr`, `getattr`, `setattr`, `callable`, `object`, `vars`,
//! `super`, `property`, `staticmethod`, `classmethod`.

use super::ret;
use crate::types::*;
use crate::vm::value::*;
use crate::vm::*;

/// Does `v` count as an instance of class-like `c`?
pub(super) fn instance_of(w: &mut World, t: Tid, v: &Value, c: &Value) -> Result<bool, Raise> {
    match c {
        Value::Tuple(cs) => {
            for x in cs.iter() {
                if instance_of(w, t, v, x)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Value::Native(d) => {
            let tn = type_name(w, t, v);
            Ok(match d.name {
                "int" => matches!(v, Value::Int(_) | Value::Bool(_)),
                "object" => true,
                "type" => {
                    matches!(v, Value::Obj(id) if matches!(w.heap(t).get(*id), Obj::Class(_)))
                        || matches!(v, Value::Native(_))
                }
                n => n == tn || (n == "set" && tn == "frozenset"),
            })
        }
        Value::Obj(cid) => {
            let cid = *cid;
            if !matches!(w.heap(t).get(cid), Obj::Class(_)) {
                return Err(Raise::new(
                    Exc::TypeError,
                    "isinstance() arg 2 must be a type, a tuple of types, or a union",
                ));
            }
            match v {
                Value::Obj(id) => match w.heap(t).get(*id) {
                    Obj::Instance { class, .. } => {
                        let c = *class;
                        Ok(is_subclass(w, t, c, cid))
                    }
                    _ => Ok(false),
                },
                _ => Ok(false),
            }
        }
        _ => Err(Raise::new(
            Exc::TypeError,
            "isinstance() arg 2 must be a type, a tuple of types, or a union",
        )),
    }
}

pub(super) fn b_isinstance(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("isinstance", &a, 2, 2)?;
    ret(Value::Bool(instance_of(w, t, &a.pos[0], &a.pos[1])?))
}

pub(super) fn b_issubclass(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("issubclass", &a, 2, 2)?;
    match (&a.pos[0], &a.pos[1]) {
        (Value::Obj(x), Value::Obj(y)) => ret(Value::Bool(is_subclass(w, t, *x, *y))),
        (Value::Native(x), Value::Native(y)) => ret(Value::Bool(std::ptr::eq(*x, *y) || y.name == "object")),
        _ => ret(Value::Bool(false)),
    }
}

pub(super) fn b_id(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("id", &a, 1, 1)?;
    let _ = t;
    if matches!(a.pos[0], Value::Obj(_)) {
        // A heap object's id follows the order of allocation.
        w.identity_read = true;
    }
    ret(Value::Int(fake_id(&a.pos[0])))
}

/// `id()`: a heap object's stable fake address; for a string or tuple one
/// made from its contents (never from where the simulator keeps it, so the
/// same script prints the same ids every time; equal strings and tuples
/// share an id, as interned constants do in CPython).
pub(super) fn fake_id(v: &Value) -> i64 {
    fn fnv(h: u64, bytes: &[u8]) -> u64 {
        bytes
            .iter()
            .fold(h, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3))
    }
    const BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    match v {
        Value::Obj(id) => 0x7f00_0000_0000i64 + id.0 as i64 * 0x40,
        Value::Int(i) => 0x5500_0000_0000i64 + (*i & 0xffff) * 32,
        Value::None => 0x5500_0000_1000,
        Value::Str(s) => 0x7e00_0000_0000i64 + ((fnv(BASIS, s.as_bytes()) & 0x0fff_ffff) << 4) as i64,
        Value::Tuple(x) => {
            let h = x
                .iter()
                .fold(fnv(BASIS, b"tuple"), |h, e| fnv(h, &fake_id(e).to_le_bytes()));
            0x7d00_0000_0000i64 + ((h & 0x0fff_ffff) << 4) as i64
        }
        _ => 0x5500_0000_2000,
    }
}

pub(super) fn b_hash(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("hash", &a, 1, 1)?;
    let k = key_of(w, t, &a.pos[0])?;
    ret(Value::Int(match k {
        Key::Int(i) => i,
        _ => 0,
    }))
}

pub(super) fn b_hasattr(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("hasattr", &a, 2, 2)?;
    let Value::Str(n) = &a.pos[1] else {
        return Err(Raise::new(Exc::TypeError, "hasattr(): attribute name must be string"));
    };
    ret(Value::Bool(w.getattr(t, &a.pos[0], n).is_ok()))
}

pub(super) fn b_getattr(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("getattr", &a, 2, 3)?;
    let Value::Str(n) = &a.pos[1] else {
        return Err(Raise::new(Exc::TypeError, "attribute name must be string"));
    };
    match w.getattr(t, &a.pos[0], n) {
        Ok(v) => ret(v),
        Err(e) => match a.pos.get(2) {
            Some(d) => ret(d.clone()),
            None => Err(e),
        },
    }
}

pub(super) fn b_setattr(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("setattr", &a, 3, 3)?;
    let Value::Str(n) = &a.pos[1] else {
        return Err(Raise::new(Exc::TypeError, "attribute name must be string"));
    };
    w.setattr(t, &a.pos[0], n, a.pos[2].clone())?;
    ret(Value::None)
}

pub(super) fn b_callable(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("callable", &a, 1, 1)?;
    let c = match &a.pos[0] {
        Value::Native(_) | Value::BoundNative(_) => true,
        Value::Obj(id) => match w.heap(t).get(*id) {
            Obj::Function(_) | Obj::Method(..) | Obj::Class(_) => true,
            Obj::Instance { class, .. } => {
                let c = *class;
                w.class_lookup(t, c, "__call__").is_some()
            }
            _ => false,
        },
        _ => false,
    };
    ret(Value::Bool(c))
}

pub(super) fn b_object(w: &mut World, t: Tid, _a: Args) -> NResult {
    let c = w.proc(w.pid_of(t)).classes.get("object");
    ret(Value::Obj(w.alloc(
        t,
        Obj::Instance {
            class: c,
            dict: Dict::default(),
            native: Native::None,
        },
    )?))
}

pub(super) fn b_vars(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("vars", &a, 1, 1)?;
    w.getattr(t, &a.pos[0], "__dict__").map(Flow::Return)
}

/// `super()` / `super(Class, self)`: a proxy whose attribute lookups start after the class.
pub(super) fn b_super(w: &mut World, t: Tid, a: Args) -> NResult {
    let (cls, this) = if a.pos.len() == 2 {
        match &a.pos[0] {
            Value::Obj(c) => (*c, a.pos[1].clone()),
            _ => return Err(Raise::new(Exc::TypeError, "super() argument 1 must be a type")),
        }
    } else {
        let Some((fid, first)) = w.current_function(t) else {
            return Err(Raise::new(Exc::RuntimeError, "super(): no arguments"));
        };
        let owner = match w.heap(t).get(fid) {
            Obj::Function(f) => f.owner,
            _ => None,
        };
        match owner {
            Some(c) => (c, first),
            None => return Err(Raise::new(Exc::RuntimeError, "super(): __class__ cell not found")),
        }
    };
    let sc = w.proc(w.pid_of(t)).classes.get("super");
    let mut dict = Dict::default();
    dict.set_str("__thisclass__", Value::Obj(cls));
    dict.set_str("__self__", this);
    ret(Value::Obj(w.alloc(
        t,
        Obj::Instance {
            class: sc,
            dict,
            native: Native::None,
        },
    )?))
}

pub(super) fn wrapper(w: &mut World, t: Tid, kind: &str, a: Args) -> NResult {
    let c = w.proc(w.pid_of(t)).classes.get(kind);
    let mut dict = Dict::default();
    dict.set_str("__func__", a.pos.first().cloned().unwrap_or(Value::None));
    ret(Value::Obj(w.alloc(
        t,
        Obj::Instance {
            class: c,
            dict,
            native: Native::None,
        },
    )?))
}

pub(super) fn b_property(w: &mut World, t: Tid, a: Args) -> NResult {
    wrapper(w, t, "property", a)
}

pub(super) fn b_staticmethod(w: &mut World, t: Tid, a: Args) -> NResult {
    wrapper(w, t, "staticmethod", a)
}

pub(super) fn b_classmethod(w: &mut World, t: Tid, a: Args) -> NResult {
    wrapper(w, t, "classmethod", a)
}
