//! Type names, truth, `str` and `repr` of any value.

use super::*;
use crate::pyfmt;
use crate::vm::value::*;
use crate::vm::*;

pub fn class_name(w: &mut World, t: Tid, cls: ObjId) -> String {
    match w.heap(t).get(cls) {
        Obj::Class(c) => c.name.to_string(),
        _ => "?".into(),
    }
}

/// `type(v).__name__`.
pub fn type_name(w: &mut World, t: Tid, v: &Value) -> String {
    match v {
        Value::None => "NoneType".into(),
        Value::Bool(_) => "bool".into(),
        Value::Int(_) => "int".into(),
        Value::Float(_) => "float".into(),
        Value::Str(_) => "str".into(),
        Value::Tuple(t2) if is_slice(t2) => "slice".into(),
        Value::Tuple(_) => "tuple".into(),
        Value::Range(..) => "range".into(),
        Value::Ellipsis => "ellipsis".into(),
        Value::Native(_) => "builtin_function_or_method".into(),
        Value::BoundNative(_) => "builtin_function_or_method".into(),
        Value::Undefined => "NoneType".into(),
        Value::Obj(id) => match w.heap(t).get(*id) {
            Obj::List(_) => "list".into(),
            Obj::Dict(_) => "dict".into(),
            Obj::Set(_) => "set".into(),
            Obj::Function(_) => "function".into(),
            Obj::Method(..) => "method".into(),
            Obj::Class(_) => "type".into(),
            Obj::Instance { class, .. } => {
                let c = *class;
                class_name(w, t, c)
            }
            Obj::Cell(_) => "cell".into(),
            Obj::Iter(_) => "iterator".into(),
            Obj::Module { .. } => "module".into(),
        },
    }
}

pub fn is_slice(t: &[Value]) -> bool {
    t.len() == 2 && matches!(t[0], Value::Ellipsis) && matches!(t[1], Value::Obj(_))
}

/// `type(v)`: a class object, or the native constructor of a builtin type.
pub fn class_of(w: &mut World, t: Tid, v: &Value) -> Value {
    if let Value::Obj(id) = v {
        match w.heap(t).get(*id) {
            Obj::Instance { class, .. } => return Value::Obj(*class),
            Obj::Class(_) => return Value::Native(native!("type", b_type)),
            _ => {}
        }
    }
    let name = type_name(w, t, v);
    let b = w.proc(w.pid_of(t)).builtins;
    if let Obj::Dict(d) = w.heap(t).get(b) {
        if let Some(c) = d.get_str(&name) {
            return c.clone();
        }
    }
    Value::str(name)
}

pub fn truthy(w: &mut World, t: Tid, v: &Value) -> Result<bool, Raise> {
    Ok(match v {
        Value::None | Value::Undefined => false,
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::Float(f) => *f != 0.0,
        Value::Str(s) => !s.is_empty(),
        Value::Tuple(x) => !x.is_empty(),
        Value::Range(a, b, s) => range_len(*a, *b, *s) > 0,
        Value::Obj(id) => match w.heap(t).get(*id) {
            Obj::List(l) => !l.is_empty(),
            Obj::Dict(d) | Obj::Set(d) => !d.is_empty(),
            Obj::Instance { class, .. } => {
                let c = *class;
                if let Some(f) = w.class_lookup(t, c, "__bool__") {
                    let r = w.call_sync(t, f, Args::new(vec![v.clone()]))?;
                    return truthy(w, t, &r);
                }
                if let Some(f) = w.class_lookup(t, c, "__len__") {
                    let r = w.call_sync(t, f, Args::new(vec![v.clone()]))?;
                    return truthy(w, t, &r);
                }
                true
            }
            _ => true,
        },
        _ => true,
    })
}

pub fn str_of(w: &mut World, t: Tid, v: &Value) -> Result<String, Raise> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        Value::Obj(id) => {
            if let Obj::Instance { class, .. } = w.heap(t).get(*id) {
                let c = *class;
                if let Some(f) = w.class_lookup(t, c, "__str__") {
                    let r = w.call_sync(t, f, Args::new(vec![v.clone()]))?;
                    return match r {
                        Value::Str(s) => Ok(s.to_string()),
                        _ => Err(Raise::new(Exc::TypeError, "__str__ returned non-string")),
                    };
                }
            }
            repr_of(w, t, v)
        }
        _ => repr_of(w, t, v),
    }
}

pub fn repr_str(s: &str) -> String {
    let q = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(q);
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

pub fn repr_of(w: &mut World, t: Tid, v: &Value) -> Result<String, Raise> {
    Ok(match v {
        Value::None | Value::Undefined => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => pyfmt::float_repr(*f),
        Value::Str(s) => repr_str(s),
        Value::Ellipsis => "Ellipsis".into(),
        Value::Range(a, b, s) => {
            if *s == 1 {
                format!("range({a}, {b})")
            } else {
                format!("range({a}, {b}, {s})")
            }
        }
        Value::Tuple(items) => {
            if is_slice(items) {
                return Ok("slice(...)".into());
            }
            let mut parts = Vec::new();
            for it in items.iter() {
                parts.push(repr_of(w, t, it)?);
            }
            if parts.len() == 1 {
                format!("({},)", parts[0])
            } else {
                format!("({})", parts.join(", "))
            }
        }
        Value::Native(d) => format!("<built-in function {}>", d.name),
        Value::BoundNative(b) => format!("<built-in method {}>", b.1.name.rsplit('.').next().unwrap_or(b.1.name)),
        Value::Obj(id) => {
            let id = *id;
            match w.heap(t).get(id).clone() {
                Obj::List(items) => {
                    let mut parts = Vec::new();
                    for it in items.iter() {
                        parts.push(repr_of(w, t, it)?);
                    }
                    format!("[{}]", parts.join(", "))
                }
                Obj::Dict(d) => {
                    let mut parts = Vec::new();
                    for (k, v) in d.map.values() {
                        parts.push(format!("{}: {}", repr_of(w, t, k)?, repr_of(w, t, v)?));
                    }
                    format!("{{{}}}", parts.join(", "))
                }
                Obj::Set(d) => {
                    if d.is_empty() {
                        "set()".into()
                    } else {
                        let mut parts = Vec::new();
                        for (k, _) in d.map.values() {
                            parts.push(repr_of(w, t, k)?);
                        }
                        format!("{{{}}}", parts.join(", "))
                    }
                }
                Obj::Function(f) => format!("<function {} at {}>", f.qualname, addr(w, id)),
                Obj::Method(this, f) => {
                    let fname = match &f {
                        Value::Obj(fid) => match w.heap(t).get(*fid) {
                            Obj::Function(f) => f.qualname.to_string(),
                            _ => "?".into(),
                        },
                        _ => "?".into(),
                    };
                    let r = repr_of(w, t, &this)?;
                    format!("<bound method {fname} of {r}>")
                }
                Obj::Class(c) => {
                    if c.builtin.is_some() && c.builtin != Some("exception") {
                        format!("<class '{}'>", qualified_builtin(&c.name))
                    } else if c.builtin == Some("exception") {
                        format!("<class '{}'>", shown_class_name(&c.name))
                    } else {
                        format!("<class '__main__.{}'>", c.name)
                    }
                }
                Obj::Instance { class, native, .. } => {
                    if let Some(f) = w.class_lookup(t, class, "__repr__") {
                        let r = w.call_sync(t, f, Args::new(vec![v.clone()]))?;
                        return match r {
                            Value::Str(s) => Ok(s.to_string()),
                            _ => Err(Raise::new(Exc::TypeError, "__repr__ returned non-string")),
                        };
                    }
                    if let Some(s) = (w.lib.native_repr)(w, t, id, &native) {
                        return Ok(s);
                    }
                    let cn = class_name(w, t, class);
                    if matches!(native, Native::Exception { .. }) {
                        let args = match w.heap(t).get(id) {
                            Obj::Instance { dict, .. } => dict.get_str("args").cloned().unwrap_or(Value::tuple(vec![])),
                            _ => Value::tuple(vec![]),
                        };
                        let r = repr_of(w, t, &args)?;
                        let inner = if let Value::Tuple(a) = &args {
                            if a.len() == 1 {
                                r.trim_start_matches('(')
                                    .trim_end_matches(')')
                                    .trim_end_matches(',')
                                    .to_string()
                            } else {
                                r.trim_start_matches('(').trim_end_matches(')').to_string()
                            }
                        } else {
                            String::new()
                        };
                        return Ok(format!("{cn}({inner})"));
                    }
                    let builtin = matches!(w.heap(t).get(class), Obj::Class(c) if c.builtin.is_some());
                    if builtin {
                        format!("<{} object at {}>", qualified_builtin(&cn), addr(w, id))
                    } else {
                        format!("<__main__.{} object at {}>", cn, addr(w, id))
                    }
                }
                Obj::Module { name, .. } => format!("<module '{name}'>"),
                Obj::Iter(_) => format!("<iterator object at {}>", addr(w, id)),
                Obj::Cell(_) => "<cell>".into(),
            }
        }
    })
}

pub fn qualified_builtin(name: &str) -> String {
    match name {
        "Thread" | "Event" | "Condition" | "Semaphore" | "BoundedSemaphore" | "Barrier" | "Timer" => {
            format!("threading.{name}")
        }
        "Queue" | "LifoQueue" | "PriorityQueue" | "SimpleQueue" => format!("queue.{name}"),
        "ThreadPoolExecutor" => "concurrent.futures.thread.ThreadPoolExecutor".into(),
        "Future" => "concurrent.futures._base.Future".into(),
        "lock" | "RLock" => format!("_thread.{name}"),
        "Logger" => "logging.Logger".into(),
        other => other.to_string(),
    }
}

/// A stable fake address for `id()` and reprs.
pub fn addr(w: &mut World, id: ObjId) -> String {
    w.identity_read = true;
    format!("0x{:012x}", 0x7f00_0000_0000u64 + (id.0 as u64) * 0x40)
}

pub fn arg_count(name: &str, a: &Args, min: usize, max: usize) -> Result<(), Raise> {
    let n = a.pos.len();
    if n < min || n > max {
        return Err(if min == max {
            Raise::New(
                Exc::TypeError,
                format!(
                    "{name}() takes exactly {min} argument{} ({n} given)",
                    if min == 1 { "" } else { "s" }
                ),
            )
        } else if n < min {
            Raise::New(
                Exc::TypeError,
                format!(
                    "{name} expected at least {min} argument{}, got {n}",
                    if min == 1 { "" } else { "s" }
                ),
            )
        } else {
            Raise::New(
                Exc::TypeError,
                format!(
                    "{name} expected at most {max} argument{}, got {n}",
                    if max == 1 { "" } else { "s" }
                ),
            )
        });
    }
    Ok(())
}

/// `type(x)`.
pub fn b_type(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("type", &a, 1, 1)?;
    Ok(Flow::Return(class_of(w, t, &a.pos[0])))
}
