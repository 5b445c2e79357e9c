//! Builtin functions, builtin classes (exceptions, `object`), and the
//! operators and methods of builtin types.

use std::rc::Rc;

use crate::compile::{BinOp, CmpOp};
use crate::pyfmt;
use crate::trace::*;
use crate::vm::value::*;
use crate::vm::*;

/// Bytes of one string (or items / 8 of one sequence) before `MemoryError`.
pub const MAX_SEQUENCE: usize = 50_000_000;

pub const INT_OVERFLOW: &str = "integer overflow: the simulator's integers are 64-bit";

macro_rules! native {
    ($name:expr, $f:expr) => {{
        static D: NativeDef = NativeDef { name: $name, f: $f };
        &D
    }};
}
pub(crate) use native;

/// The builtin classes of a process, by name.
#[derive(Clone, Debug, Default)]
pub struct Classes {
    pub by_name: Vec<(&'static str, ObjId)>,
}

/// (name, parent) of every builtin exception class, parents first.
const EXCEPTIONS: &[(&str, &str)] = &[
    ("BaseException", "object"),
    ("Exception", "BaseException"),
    ("SystemExit", "BaseException"),
    ("KeyboardInterrupt", "BaseException"),
    ("GeneratorExit", "BaseException"),
    ("ArithmeticError", "Exception"),
    ("ZeroDivisionError", "ArithmeticError"),
    ("OverflowError", "ArithmeticError"),
    ("LookupError", "Exception"),
    ("KeyError", "LookupError"),
    ("IndexError", "LookupError"),
    ("ValueError", "Exception"),
    ("TypeError", "Exception"),
    ("RuntimeError", "Exception"),
    ("RecursionError", "RuntimeError"),
    ("NotImplementedError", "RuntimeError"),
    ("AttributeError", "Exception"),
    ("NameError", "Exception"),
    ("UnboundLocalError", "NameError"),
    ("AssertionError", "Exception"),
    ("StopIteration", "Exception"),
    ("ImportError", "Exception"),
    ("ModuleNotFoundError", "ImportError"),
    ("MemoryError", "Exception"),
    ("OSError", "Exception"),
    ("TimeoutError", "OSError"),
    ("ProcessLookupError", "OSError"),
    ("ChildProcessError", "OSError"),
    ("PermissionError", "OSError"),
    ("FileNotFoundError", "OSError"),
    ("InterruptedError", "OSError"),
    ("BrokenPipeError", "OSError"),
    ("EOFError", "Exception"),
    ("PicklingError", "Exception"),
    ("mp.TimeoutError", "Exception"),
    ("BrokenBarrierError", "RuntimeError"),
    ("Empty", "Exception"),
    ("Full", "Exception"),
    ("CancelledError", "Exception"),
    ("InvalidStateError", "Exception"),
    ("BrokenExecutor", "RuntimeError"),
    ("BrokenProcessPool", "BrokenExecutor"),
];

impl Classes {
    pub fn create(heap: &mut Heap) -> Classes {
        let mut c = Classes::default();
        let mut object = Class {
            name: Rc::new("object".into()),
            bases: vec![],
            mro: vec![],
            dict: Dict::default(),
            builtin: Some("object"),
        };
        object
            .dict
            .set_str("__init__", Value::Native(native!("object.__init__", object_init)));
        let oid = heap.alloc(Obj::Class(Box::new(object)));
        if let Obj::Class(k) = heap.get_mut(oid) {
            k.mro = vec![oid];
        }
        c.by_name.push(("object", oid));
        for (name, parent) in EXCEPTIONS {
            let pid = c.get(parent);
            let mut mro = vec![];
            if let Obj::Class(p) = heap.get(pid) {
                mro = p.mro.clone();
            }
            let mut dict = Dict::default();
            if *name == "BaseException" {
                dict.set_str(
                    "__init__",
                    Value::Native(native!("BaseException.__init__", exception_init)),
                );
                dict.set_str(
                    "__str__",
                    Value::Native(native!("BaseException.__str__", exception_str)),
                );
            }
            let id = heap.alloc(Obj::Class(Box::new(Class {
                name: Rc::new(name.to_string()),
                bases: vec![pid],
                mro: vec![],
                dict,
                builtin: Some("exception"),
            })));
            mro.insert(0, id);
            if let Obj::Class(k) = heap.get_mut(id) {
                k.mro = mro;
            }
            c.by_name.push((name, id));
        }
        crate::stdlib::threading::create_classes(heap, &mut c);
        crate::stdlib::multiprocessing::create_classes(heap, &mut c);
        c
    }

    pub fn get(&self, name: &str) -> ObjId {
        self.by_name
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, id)| *id)
            .unwrap_or_else(|| self.by_name[0].1)
    }
}

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
        bases: vec![base],
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

fn object_init(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    Ok(Flow::Return(Value::None))
}

fn exception_init(w: &mut World, t: Tid, a: Args) -> NResult {
    if let Some(Value::Obj(id)) = a.pos.first() {
        let args = Value::tuple(a.pos[1..].to_vec());
        if let Obj::Instance { dict, .. } = w.heap(t).get_mut(*id) {
            dict.set_str("args", args);
        }
    }
    Ok(Flow::Return(Value::None))
}

fn exception_str(w: &mut World, t: Tid, a: Args) -> NResult {
    let e = a.pos.first().cloned().unwrap_or(Value::None);
    Ok(Flow::Return(Value::str(exception_message(w, t, &e)?)))
}

/// `str(exc)` for the builtin `__str__`: from `args`.
fn exception_message(w: &mut World, t: Tid, e: &Value) -> Result<String, Raise> {
    let args = match e {
        Value::Obj(id) => match w.heap(t).get(*id) {
            Obj::Instance { dict, .. } => dict.get_str("args").cloned().unwrap_or(Value::tuple(vec![])),
            _ => Value::tuple(vec![]),
        },
        _ => Value::tuple(vec![]),
    };
    let Value::Tuple(items) = &args else {
        return Ok(String::new());
    };
    match items.len() {
        0 => Ok(String::new()),
        1 => {
            let is_key_error = exc_is(w, t, e, "KeyError");
            if is_key_error {
                repr_of(w, t, &items[0])
            } else {
                str_of(w, t, &items[0])
            }
        }
        _ => repr_of(w, t, &args),
    }
}

/// The builtins module dict.
pub fn make_builtins(heap: &mut Heap, classes: &Classes) -> ObjId {
    let mut d = Dict::default();
    let fns: &[&'static NativeDef] = &[
        native!("print", b_print),
        native!("len", b_len),
        native!("range", b_range),
        native!("int", b_int),
        native!("float", b_float),
        native!("str", b_str),
        native!("bool", b_bool),
        native!("repr", b_repr),
        native!("list", b_list),
        native!("tuple", b_tuple),
        native!("dict", b_dict),
        native!("set", b_set),
        native!("frozenset", b_set),
        native!("isinstance", b_isinstance),
        native!("issubclass", b_issubclass),
        native!("min", b_min),
        native!("max", b_max),
        native!("sum", b_sum),
        native!("abs", b_abs),
        native!("round", b_round),
        native!("enumerate", b_enumerate),
        native!("zip", b_zip),
        native!("sorted", b_sorted),
        native!("reversed", b_reversed),
        native!("type", b_type),
        native!("id", b_id),
        native!("hash", b_hash),
        native!("hasattr", b_hasattr),
        native!("getattr", b_getattr),
        native!("setattr", b_setattr),
        native!("callable", b_callable),
        native!("iter", b_iter),
        native!("next", b_next),
        native!("any", b_any),
        native!("all", b_all),
        native!("map", b_map),
        native!("filter", b_filter),
        native!("divmod", b_divmod),
        native!("pow", b_pow),
        native!("chr", b_chr),
        native!("ord", b_ord),
        native!("format", b_format),
        native!("super", b_super),
        native!("property", b_property),
        native!("staticmethod", b_staticmethod),
        native!("classmethod", b_classmethod),
        native!("input", b_input),
        native!("object", b_object),
        native!("vars", b_vars),
        native!("hex", b_hex),
        native!("bin", b_bin),
        native!("ascii", b_repr),
    ];
    for f in fns {
        d.set_str(f.name, Value::Native(f));
    }
    for (name, id) in &classes.by_name {
        if EXCEPTIONS.iter().any(|(n, _)| n == name)
            && !matches!(
                *name,
                "Empty"
                    | "Full"
                    | "CancelledError"
                    | "InvalidStateError"
                    | "BrokenBarrierError"
                    | "BrokenExecutor"
                    | "BrokenProcessPool"
            )
        {
            d.set_str(name, Value::Obj(*id));
        }
    }
    d.set_str("__name__", Value::str("builtins"));
    d.set_str("NotImplemented", Value::str("NotImplemented"));
    heap.alloc(Obj::Dict(d))
}

// ---------------------------------------------------------------------------------------------
// Type names, truth, str/repr

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
            Obj::Free => "NoneType".into(),
        },
    }
}

fn is_slice(t: &[Value]) -> bool {
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
                        _ => Err(Raise::new("TypeError", "__str__ returned non-string")),
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
                Obj::Function(f) => format!("<function {} at {}>", f.qualname, addr(id)),
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
                        format!("<class '{}'>", qualified_exception(&c.name))
                    } else {
                        format!("<class '__main__.{}'>", c.name)
                    }
                }
                Obj::Instance { class, native, .. } => {
                    if let Some(f) = w.class_lookup(t, class, "__repr__") {
                        let r = w.call_sync(t, f, Args::new(vec![v.clone()]))?;
                        return match r {
                            Value::Str(s) => Ok(s.to_string()),
                            _ => Err(Raise::new("TypeError", "__repr__ returned non-string")),
                        };
                    }
                    if let Some(s) = crate::stdlib::threading::native_repr(w, t, id, &native) {
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
                        format!("<{} object at {}>", qualified_builtin(&cn), addr(id))
                    } else {
                        format!("<__main__.{} object at {}>", cn, addr(id))
                    }
                }
                Obj::Module { name, .. } => format!("<module '{name}'>"),
                Obj::Iter(_) => format!("<iterator object at {}>", addr(id)),
                Obj::Cell(_) | Obj::Free => "<cell>".into(),
            }
        }
    })
}

fn qualified_builtin(name: &str) -> String {
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
pub fn addr(id: ObjId) -> String {
    crate::vm::schedule::note_identity_read();
    format!("0x{:012x}", 0x7f00_0000_0000u64 + (id.0 as u64) * 0x40)
}

// ---------------------------------------------------------------------------------------------
// Hashing, comparison, arithmetic

pub fn key_of(w: &mut World, t: Tid, v: &Value) -> Result<Key, Raise> {
    Ok(match v {
        Value::None => Key::None,
        Value::Bool(b) => Key::Int(*b as i64),
        Value::Int(i) => Key::Int(*i),
        Value::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9.2e18 {
                Key::Int(*f as i64)
            } else {
                Key::Float(f.to_bits())
            }
        }
        Value::Str(s) => Key::Str(s.clone()),
        Value::Tuple(items) => {
            let mut ks = Vec::with_capacity(items.len());
            for it in items.iter() {
                ks.push(key_of(w, t, it)?);
            }
            Key::Tuple(ks)
        }
        Value::Range(a, b, s) => Key::Range(*a, *b, *s),
        Value::Ellipsis => Key::Ellipsis,
        Value::Native(d) => Key::Native(*d as *const NativeDef as usize),
        Value::BoundNative(b) => Key::Native(b.1 as *const NativeDef as usize),
        Value::Undefined => Key::None,
        Value::Obj(id) => match w.heap(t).get(*id) {
            Obj::List(_) | Obj::Dict(_) | Obj::Set(_) => {
                let tn = type_name(w, t, v);
                return Err(Raise::New("TypeError", format!("unhashable type: '{tn}'")));
            }
            _ => Key::Id(*id),
        },
    })
}

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Bool(b) => Some(*b as i64 as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

fn int_of(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

pub fn values_eq(w: &mut World, t: Tid, a: &Value, b: &Value) -> Result<bool, Raise> {
    Ok(match (a, b) {
        (Value::None, Value::None) => true,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Tuple(x), Value::Tuple(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            for (p, q) in x.iter().zip(y.iter()) {
                if !values_eq(w, t, p, q)? {
                    return Ok(false);
                }
            }
            true
        }
        (Value::Range(a1, b1, c1), Value::Range(a2, b2, c2)) => (a1, b1, c1) == (a2, b2, c2),
        (Value::Native(x), Value::Native(y)) => std::ptr::eq(*x, *y),
        (Value::Ellipsis, Value::Ellipsis) => true,
        (Value::Obj(x), Value::Obj(y)) => {
            if x == y {
                return Ok(true);
            }
            let (ox, oy) = (w.heap(t).get(*x).clone(), w.heap(t).get(*y).clone());
            match (ox, oy) {
                (Obj::List(p), Obj::List(q)) => {
                    if p.len() != q.len() {
                        return Ok(false);
                    }
                    for (a, b) in p.iter().zip(q.iter()) {
                        if !values_eq(w, t, a, b)? {
                            return Ok(false);
                        }
                    }
                    true
                }
                (Obj::Dict(p), Obj::Dict(q)) => {
                    if p.len() != q.len() {
                        return Ok(false);
                    }
                    for (k, (_, v)) in p.map.iter() {
                        match q.get(k) {
                            Some(v2) => {
                                if !values_eq(w, t, v, v2)? {
                                    return Ok(false);
                                }
                            }
                            None => return Ok(false),
                        }
                    }
                    true
                }
                (Obj::Set(p), Obj::Set(q)) => p.len() == q.len() && p.map.keys().all(|k| q.map.contains_key(k)),
                (Obj::Instance { class, .. }, _) => {
                    if let Some(f) = w.class_lookup(t, class, "__eq__") {
                        if !matches!(f, Value::Native(_)) {
                            let r = w.call_sync(t, f, Args::new(vec![a.clone(), b.clone()]))?;
                            return truthy(w, t, &r);
                        }
                    }
                    false
                }
                _ => false,
            }
        }
        _ => match (num(a), num(b)) {
            (Some(x), Some(y)) => {
                if let (Some(i), Some(j)) = (int_of(a), int_of(b)) {
                    i == j
                } else {
                    x == y
                }
            }
            _ => false,
        },
    })
}

/// Ordering for `<` and sorting: -1, 0, 1.
pub fn order(w: &mut World, t: Tid, a: &Value, b: &Value, op: &str) -> Result<std::cmp::Ordering, Raise> {
    use std::cmp::Ordering;
    if let (Some(i), Some(j)) = (int_of(a), int_of(b)) {
        return Ok(i.cmp(&j));
    }
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        return Ok(x.partial_cmp(&y).unwrap_or(Ordering::Equal));
    }
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => return Ok(x.as_str().cmp(y.as_str())),
        (Value::Tuple(x), Value::Tuple(y)) => return seq_order(w, t, &x.to_vec(), &y.to_vec(), op),
        (Value::Obj(x), Value::Obj(y)) => {
            let (ox, oy) = (w.heap(t).get(*x).clone(), w.heap(t).get(*y).clone());
            if let (Obj::List(p), Obj::List(q)) = (&ox, &oy) {
                return seq_order(w, t, p, q, op);
            }
            if let Obj::Instance { class, .. } = ox {
                if let Some(f) = w.class_lookup(t, class, "__lt__") {
                    let r = w.call_sync(t, f.clone(), Args::new(vec![a.clone(), b.clone()]))?;
                    if truthy(w, t, &r)? {
                        return Ok(Ordering::Less);
                    }
                    let r = w.call_sync(t, f, Args::new(vec![b.clone(), a.clone()]))?;
                    return Ok(if truthy(w, t, &r)? {
                        Ordering::Greater
                    } else {
                        Ordering::Equal
                    });
                }
            }
        }
        _ => {}
    }
    let (ta, tb) = (type_name(w, t, a), type_name(w, t, b));
    Err(Raise::New(
        "TypeError",
        format!("'{op}' not supported between instances of '{ta}' and '{tb}'"),
    ))
}

fn seq_order(w: &mut World, t: Tid, x: &[Value], y: &[Value], op: &str) -> Result<std::cmp::Ordering, Raise> {
    for (p, q) in x.iter().zip(y.iter()) {
        if !values_eq(w, t, p, q)? {
            return order(w, t, p, q, op);
        }
    }
    Ok(x.len().cmp(&y.len()))
}

pub fn contains(w: &mut World, t: Tid, container: &Value, item: &Value) -> Result<bool, Raise> {
    match container {
        Value::Str(s) => match item {
            Value::Str(i) => Ok(s.contains(i.as_str())),
            _ => {
                let tn = type_name(w, t, item);
                Err(Raise::New(
                    "TypeError",
                    format!("'in <string>' requires string as left operand, not {tn}"),
                ))
            }
        },
        Value::Tuple(items) => {
            for it in items.iter() {
                if values_eq(w, t, it, item)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Value::Range(a, b, s) => Ok(match int_of(item) {
            Some(i) => {
                if *s > 0 {
                    i >= *a && i < *b && (i - a) % s == 0
                } else {
                    i <= *a && i > *b && (a - i) % (-s) == 0
                }
            }
            None => false,
        }),
        Value::Obj(id) => match w.heap(t).get(*id).clone() {
            Obj::List(items) => {
                for it in items.iter() {
                    if values_eq(w, t, it, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Obj::Dict(d) | Obj::Set(d) => {
                let k = key_of(w, t, item)?;
                Ok(d.map.contains_key(&k))
            }
            _ => {
                let items = collect_iter(w, t, container)?;
                for it in items.iter() {
                    if values_eq(w, t, it, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
        },
        _ => {
            let tn = type_name(w, t, container);
            Err(Raise::New(
                "TypeError",
                format!("argument of type '{tn}' is not iterable"),
            ))
        }
    }
}

pub fn compare(w: &mut World, t: Tid, op: CmpOp, a: &Value, b: &Value) -> Result<bool, Raise> {
    use std::cmp::Ordering::*;
    Ok(match op {
        CmpOp::Eq => values_eq(w, t, a, b)?,
        CmpOp::Ne => !values_eq(w, t, a, b)?,
        CmpOp::Lt => order(w, t, a, b, "<")? == Less,
        CmpOp::Le => order(w, t, a, b, "<=")? != Greater,
        CmpOp::Gt => order(w, t, a, b, ">")? == Greater,
        CmpOp::Ge => order(w, t, a, b, ">=")? != Less,
        CmpOp::Is | CmpOp::IsNot => {
            let same = match (a, b) {
                (Value::None, Value::None) => true,
                (Value::Bool(x), Value::Bool(y)) => x == y,
                (Value::Obj(x), Value::Obj(y)) => x == y,
                (Value::Native(x), Value::Native(y)) => std::ptr::eq(*x, *y),
                (Value::Int(x), Value::Int(y)) => x == y && (-5..=256).contains(x),
                (Value::Str(x), Value::Str(y)) => Rc::ptr_eq(x, y) || (x.len() <= 1 && x == y),
                (Value::Tuple(x), Value::Tuple(y)) => Rc::ptr_eq(x, y),
                (Value::Ellipsis, Value::Ellipsis) => true,
                _ => false,
            };
            same == (op == CmpOp::Is)
        }
        CmpOp::In => contains(w, t, b, a)?,
        CmpOp::NotIn => !contains(w, t, b, a)?,
    })
}

fn op_symbol(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::FloorDiv => "//",
        BinOp::Mod => "%",
        BinOp::Pow => "** or pow()",
        BinOp::LShift => "<<",
        BinOp::RShift => ">>",
        BinOp::BitOr => "|",
        BinOp::BitXor => "^",
        BinOp::BitAnd => "&",
        BinOp::MatMul => "@",
    }
}

fn overflow() -> Raise {
    Raise::new("OverflowError", INT_OVERFLOW)
}

fn int_binary(op: BinOp, a: i64, b: i64) -> Result<Value, Raise> {
    let ov = overflow;
    Ok(match op {
        BinOp::Add => Value::Int(a.checked_add(b).ok_or_else(ov)?),
        BinOp::Sub => Value::Int(a.checked_sub(b).ok_or_else(ov)?),
        BinOp::Mul => Value::Int(a.checked_mul(b).ok_or_else(ov)?),
        BinOp::Div => {
            if b == 0 {
                return Err(Raise::new("ZeroDivisionError", "division by zero"));
            }
            Value::Float(a as f64 / b as f64)
        }
        BinOp::FloorDiv => {
            if b == 0 {
                return Err(Raise::new("ZeroDivisionError", "integer division or modulo by zero"));
            }
            // Python rounds toward negative infinity.
            let q = a.checked_div(b).ok_or_else(ov)?;
            Value::Int(if (a % b != 0) && ((a < 0) != (b < 0)) { q - 1 } else { q })
        }
        BinOp::Mod => {
            if b == 0 {
                return Err(Raise::new("ZeroDivisionError", "integer modulo by zero"));
            }
            let r = a % b;
            Value::Int(if r != 0 && ((r < 0) != (b < 0)) { r + b } else { r })
        }
        BinOp::Pow => {
            if b < 0 {
                Value::Float((a as f64).powf(b as f64))
            } else {
                let e = u32::try_from(b).map_err(|_| ov())?;
                Value::Int(a.checked_pow(e).ok_or_else(ov)?)
            }
        }
        BinOp::LShift => {
            if b < 0 {
                return Err(Raise::new("ValueError", "negative shift count"));
            }
            if a == 0 {
                return Ok(Value::Int(0));
            }
            if b >= 63 || (a << b) >> b != a {
                return Err(ov());
            }
            Value::Int(a << b)
        }
        BinOp::RShift => {
            if b < 0 {
                return Err(Raise::new("ValueError", "negative shift count"));
            }
            Value::Int(if b >= 64 {
                if a < 0 {
                    -1
                } else {
                    0
                }
            } else {
                a >> b
            })
        }
        BinOp::BitOr => Value::Int(a | b),
        BinOp::BitXor => Value::Int(a ^ b),
        BinOp::BitAnd => Value::Int(a & b),
        BinOp::MatMul => {
            return Err(Raise::new(
                "TypeError",
                "unsupported operand type(s) for @: 'int' and 'int'",
            ))
        }
    })
}

fn float_binary(op: BinOp, a: f64, b: f64) -> Result<Value, Raise> {
    Ok(Value::Float(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => {
            if b == 0.0 {
                return Err(Raise::new("ZeroDivisionError", "float division by zero"));
            }
            a / b
        }
        BinOp::FloorDiv => {
            if b == 0.0 {
                return Err(Raise::new("ZeroDivisionError", "float floor division by zero"));
            }
            (a / b).floor()
        }
        BinOp::Mod => {
            if b == 0.0 {
                return Err(Raise::new("ZeroDivisionError", "float modulo"));
            }
            let r = a % b;
            if r != 0.0 && ((r < 0.0) != (b < 0.0)) {
                r + b
            } else {
                r
            }
        }
        BinOp::Pow => a.powf(b),
        _ => {
            return Err(Raise::New(
                "TypeError",
                format!("unsupported operand type(s) for {}: 'float' and 'float'", op_symbol(op)),
            ))
        }
    }))
}

pub fn binary(w: &mut World, t: Tid, op: BinOp, a: &Value, b: &Value, inplace: bool) -> Result<Value, Raise> {
    if let (Some(x), Some(y)) = (int_of(a), int_of(b)) {
        return int_binary(op, x, y);
    }
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        return float_binary(op, x, y);
    }
    match (op, a, b) {
        (BinOp::Add, Value::Str(x), Value::Str(y)) => {
            if x.len() + y.len() > MAX_SEQUENCE {
                return Err(Raise::new("MemoryError", ""));
            }
            let mut s = String::with_capacity(x.len() + y.len());
            s.push_str(x);
            s.push_str(y);
            return Ok(Value::str(s));
        }
        (BinOp::Mul, Value::Str(s), n) | (BinOp::Mul, n, Value::Str(s)) if int_of(n).is_some() => {
            let n = int_of(n).unwrap_or(0).max(0) as usize;
            if s.len().saturating_mul(n) > 50_000_000 {
                return Err(Raise::new("MemoryError", ""));
            }
            return Ok(Value::str(s.repeat(n)));
        }
        (BinOp::Mod, Value::Str(fmt), args) => return percent_format(w, t, fmt, args),
        (BinOp::Add, Value::Tuple(x), Value::Tuple(y)) => {
            if x.len() + y.len() > MAX_SEQUENCE / 8 {
                return Err(Raise::new("MemoryError", ""));
            }
            let mut v = x.to_vec();
            v.extend(y.iter().cloned());
            return Ok(Value::tuple(v));
        }
        (BinOp::Mul, Value::Tuple(x), n) if int_of(n).is_some() => {
            let n = int_of(n).unwrap_or(0).max(0) as usize;
            if x.len().saturating_mul(n) > 10_000_000 {
                return Err(Raise::new("MemoryError", ""));
            }
            let mut v = Vec::new();
            for _ in 0..n {
                v.extend(x.iter().cloned());
            }
            return Ok(Value::tuple(v));
        }
        _ => {}
    }
    if let Value::Obj(x) = a {
        let ox = w.heap(t).get(*x).clone();
        match (op, &ox, b) {
            (BinOp::Add, Obj::List(l), Value::Obj(y)) => {
                if let Obj::List(r) = w.heap(t).get(*y).clone() {
                    if l.len() + r.len() > MAX_SEQUENCE / 8 {
                        return Err(Raise::new("MemoryError", ""));
                    }
                    if inplace {
                        if let Obj::List(l) = w.heap(t).get_mut(*x) {
                            l.extend(r);
                        }
                        return Ok(a.clone());
                    }
                    let mut v = l.clone();
                    v.extend(r);
                    return Ok(Value::Obj(w.alloc(t, Obj::List(v))?));
                }
            }
            (BinOp::Add, Obj::List(_), other) if inplace => {
                let items = collect_iter(w, t, other)?;
                if let Obj::List(l) = w.heap(t).get_mut(*x) {
                    l.extend(items);
                }
                return Ok(a.clone());
            }
            (BinOp::Mul, Obj::List(l), n) if int_of(n).is_some() => {
                let n = int_of(n).unwrap_or(0).max(0) as usize;
                if l.len().saturating_mul(n) > 10_000_000 {
                    return Err(Raise::new("MemoryError", ""));
                }
                let mut v = Vec::new();
                for _ in 0..n {
                    v.extend(l.iter().cloned());
                }
                return Ok(Value::Obj(w.alloc(t, Obj::List(v))?));
            }
            (BinOp::BitOr | BinOp::BitAnd | BinOp::Sub | BinOp::BitXor, Obj::Set(p), Value::Obj(y)) => {
                if let Obj::Set(q) = w.heap(t).get(*y).clone() {
                    let mut r = Dict::default();
                    match op {
                        BinOp::BitOr => {
                            r = p.clone();
                            for (k, (kv, vv)) in q.map {
                                r.insert(k, kv, vv);
                            }
                        }
                        BinOp::BitAnd => {
                            for (k, (kv, vv)) in p.map.iter() {
                                if q.map.contains_key(k) {
                                    r.insert(k.clone(), kv.clone(), vv.clone());
                                }
                            }
                        }
                        BinOp::Sub => {
                            for (k, (kv, vv)) in p.map.iter() {
                                if !q.map.contains_key(k) {
                                    r.insert(k.clone(), kv.clone(), vv.clone());
                                }
                            }
                        }
                        _ => {
                            for (k, (kv, vv)) in p.map.iter() {
                                if !q.map.contains_key(k) {
                                    r.insert(k.clone(), kv.clone(), vv.clone());
                                }
                            }
                            for (k, (kv, vv)) in q.map.iter() {
                                if !p.map.contains_key(k) {
                                    r.insert(k.clone(), kv.clone(), vv.clone());
                                }
                            }
                        }
                    }
                    if inplace {
                        *w.heap(t).get_mut(*x) = Obj::Set(r);
                        return Ok(a.clone());
                    }
                    return Ok(Value::Obj(w.alloc(t, Obj::Set(r))?));
                }
            }
            (BinOp::BitOr, Obj::Dict(p), Value::Obj(y)) => {
                if let Obj::Dict(q) = w.heap(t).get(*y).clone() {
                    let mut r = p.clone();
                    for (k, (kv, vv)) in q.map {
                        r.insert(k, kv, vv);
                    }
                    return Ok(Value::Obj(w.alloc(t, Obj::Dict(r))?));
                }
            }
            (_, Obj::Instance { class, .. }, _) => {
                let dunder = match op {
                    BinOp::Add => "__add__",
                    BinOp::Sub => "__sub__",
                    BinOp::Mul => "__mul__",
                    BinOp::Div => "__truediv__",
                    _ => "",
                };
                if !dunder.is_empty() {
                    if let Some(f) = w.class_lookup(t, *class, dunder) {
                        return w.call_sync(t, f, Args::new(vec![a.clone(), b.clone()]));
                    }
                }
            }
            _ => {}
        }
    }
    let (ta, tb) = (type_name(w, t, a), type_name(w, t, b));
    if op == BinOp::Add && ta == "str" {
        return Err(Raise::New(
            "TypeError",
            format!("can only concatenate str (not \"{tb}\") to str"),
        ));
    }
    if op == BinOp::Add && ta == "list" {
        return Err(Raise::New(
            "TypeError",
            format!("can only concatenate list (not \"{tb}\") to list"),
        ));
    }
    Err(Raise::New(
        "TypeError",
        format!("unsupported operand type(s) for {}: '{ta}' and '{tb}'", op_symbol(op)),
    ))
}

// ---------------------------------------------------------------------------------------------
// Formatting

pub fn format_value(w: &mut World, t: Tid, v: &Value, spec: &str) -> Result<String, Raise> {
    let r = match v {
        Value::Int(i) => pyfmt::format_int(*i, spec),
        Value::Bool(b) if spec.is_empty() => Ok(if *b { "True".into() } else { "False".into() }),
        Value::Bool(b) => pyfmt::format_int(*b as i64, spec),
        Value::Float(f) => pyfmt::format_float(*f, spec),
        Value::Str(s) => pyfmt::format_str(s, spec),
        other => {
            let s = str_of(w, t, other)?;
            if spec.is_empty() {
                Ok(s)
            } else {
                let tn = type_name(w, t, other);
                if matches!(other, Value::None) || tn != "str" {
                    let ok_types = matches!(w.heap(t).get(other.as_obj().unwrap_or(ObjId(0))), Obj::Instance { .. });
                    if !ok_types {
                        return Err(Raise::New(
                            "TypeError",
                            format!("unsupported format string passed to {tn}.__format__"),
                        ));
                    }
                }
                pyfmt::format_str(&s, spec)
            }
        }
    };
    r.map_err(|e| Raise::New("ValueError", e))
}

enum PctErr {
    Fmt(pyfmt::FormatError),
    Raise(Raise),
}

impl From<pyfmt::FormatError> for PctErr {
    fn from(e: pyfmt::FormatError) -> Self {
        PctErr::Fmt(e)
    }
}

fn percent_format(w: &mut World, t: Tid, fmt: &str, args: &Value) -> Result<Value, Raise> {
    let (operand, items): (pyfmt::PctOperand, Vec<Value>) = match args {
        Value::Tuple(items) => (pyfmt::PctOperand::Tuple(items.len()), items.to_vec()),
        Value::Obj(id) if matches!(w.heap(t).get(*id), Obj::Dict(_) | Obj::List(_)) => {
            (pyfmt::PctOperand::Mapping, vec![args.clone()])
        }
        other => (pyfmt::PctOperand::Single, vec![other.clone()]),
    };
    let r = pyfmt::percent_format(fmt, operand, |arg, want| -> Result<pyfmt::PctValue, PctErr> {
        let v = match arg {
            pyfmt::PctArg::Index(i) => items.get(i).cloned().unwrap_or(Value::None),
            pyfmt::PctArg::Key(k) => getitem(w, t, &items[0], &Value::str(k))
                .map_err(PctErr::Raise)?
                .unwrap_or(Value::None),
        };
        Ok(match want {
            pyfmt::PctWant::Str => pyfmt::PctValue::Str(str_of(w, t, &v).map_err(PctErr::Raise)?),
            pyfmt::PctWant::Repr | pyfmt::PctWant::Ascii => {
                pyfmt::PctValue::Str(repr_of(w, t, &v).map_err(PctErr::Raise)?)
            }
            _ => match &v {
                Value::Int(i) => pyfmt::PctValue::Int(*i),
                Value::Bool(b) => pyfmt::PctValue::Int(*b as i64),
                Value::Float(f) => pyfmt::PctValue::Float(*f),
                Value::Str(s) => pyfmt::PctValue::Str(s.to_string()),
                other => pyfmt::PctValue::Other(type_name(w, t, other)),
            },
        })
    });
    match r {
        Ok(s) => Ok(Value::str(s)),
        Err(PctErr::Raise(e)) => Err(e),
        Err(PctErr::Fmt(e)) => Err(Raise::New(fmt_exc(e.kind), e.message)),
    }
}

fn fmt_exc(k: pyfmt::ExcKind) -> &'static str {
    match k {
        pyfmt::ExcKind::TypeError => "TypeError",
        pyfmt::ExcKind::ValueError => "ValueError",
        pyfmt::ExcKind::OverflowError => "OverflowError",
    }
}

// ---------------------------------------------------------------------------------------------
// Iteration and containers

pub fn range_len(a: i64, b: i64, s: i64) -> i64 {
    if s > 0 && a < b {
        (b - a - 1) / s + 1
    } else if s < 0 && a > b {
        (a - b - 1) / (-s) + 1
    } else {
        0
    }
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
                return Err(Raise::New("TypeError", format!("'{tn}' object is not iterable")));
            }
            _ => {
                let tn = type_name(w, t, v);
                return Err(Raise::New("TypeError", format!("'{tn}' object is not iterable")));
            }
        },
        _ => {
            let tn = type_name(w, t, v);
            return Err(Raise::New("TypeError", format!("'{tn}' object is not iterable")));
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
                if exc_is(w, t, &ex, "StopIteration") {
                    Ok(None)
                } else {
                    Err(Raise::Obj(ex))
                }
            }
        };
    }
    let st = match w.heap(t).get_mut(id) {
        Obj::Iter(st) => st,
        _ => return Err(Raise::new("TypeError", "object is not an iterator")),
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
        IterState::Done => Ok(None),
    }
}

/// All items of an iterable.
pub fn collect_iter(w: &mut World, t: Tid, v: &Value) -> Result<Vec<Value>, Raise> {
    match v {
        Value::Tuple(items) => return Ok(items.to_vec()),
        Value::Range(a, b, s) => {
            let n = range_len(*a, *b, *s);
            if n > 10_000_000 {
                return Err(Raise::new("MemoryError", ""));
            }
            return Ok((0..n).map(|i| Value::Int(a + i * s)).collect());
        }
        Value::Obj(id) => {
            if let Obj::List(l) = w.heap(t).get(*id) {
                return Ok(l.clone());
            }
            if matches!(w.heap(t).get(*id), Obj::Instance { .. }) {
                return crate::stdlib::threading::iterate_native(w, t, *id).map(|o| o.unwrap_or_default());
            }
        }
        _ => {}
    }
    let it = get_iter(w, t, v)?;
    let mut out = Vec::new();
    while let Some(x) = iter_next(w, t, &it)? {
        out.push(x);
        if out.len() > 10_000_000 {
            return Err(Raise::new("MemoryError", ""));
        }
    }
    Ok(out)
}

fn norm_index(i: i64, len: usize) -> Option<usize> {
    let len = len as i64;
    let j = if i < 0 { i + len } else { i };
    if j < 0 || j >= len {
        None
    } else {
        Some(j as usize)
    }
}

fn slice_indices(w: &mut World, t: Tid, s: ObjId, len: usize) -> Result<Vec<usize>, Raise> {
    let parts = match w.heap(t).get(s) {
        Obj::List(p) => p.clone(),
        _ => vec![Value::None, Value::None, Value::None],
    };
    let step = match &parts[2] {
        Value::None => 1,
        v => int_of(v).ok_or_else(|| {
            Raise::new(
                "TypeError",
                "slice indices must be integers or None or have an __index__ method",
            )
        })?,
    };
    if step == 0 {
        return Err(Raise::new("ValueError", "slice step cannot be zero"));
    }
    let len = len as i64;
    let clamp = |v: &Value, default: i64| -> Result<i64, Raise> {
        match v {
            Value::None => Ok(default),
            v => {
                let i = int_of(v).ok_or_else(|| {
                    Raise::new(
                        "TypeError",
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
                        Err(Raise::New("TypeError", format!("'{tn}' object is not subscriptable")))
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
                    Err(Raise::New("TypeError", format!("'{tn}' object is not subscriptable")))
                }
            };
        }
    }
    match o {
        Value::Str(s) => {
            let i = int_of(k).ok_or_else(|| Raise::new("TypeError", "string indices must be integers, not 'str'"))?;
            let n = s.chars().count();
            let j = norm_index(i, n).ok_or_else(|| Raise::new("IndexError", "string index out of range"))?;
            Ok(Some(Value::str(
                s.chars().nth(j).map(|c| c.to_string()).unwrap_or_default(),
            )))
        }
        Value::Tuple(items) => {
            let i = int_of(k)
                .ok_or_else(|| Raise::new("TypeError", "tuple indices must be integers or slices, not str"))?;
            let j = norm_index(i, items.len()).ok_or_else(|| Raise::new("IndexError", "tuple index out of range"))?;
            Ok(Some(items[j].clone()))
        }
        Value::Range(a, b, s) => {
            let i = int_of(k).ok_or_else(|| Raise::new("TypeError", "range indices must be integers or slices"))?;
            let n = range_len(*a, *b, *s) as usize;
            let j = norm_index(i, n).ok_or_else(|| Raise::new("IndexError", "range object index out of range"))?;
            Ok(Some(Value::Int(a + j as i64 * s)))
        }
        Value::Obj(id) => match w.heap(t).get(*id) {
            Obj::List(items) => {
                let i = match int_of(k) {
                    Some(i) => i,
                    None => {
                        let tn = type_name(w, t, k);
                        return Err(Raise::New(
                            "TypeError",
                            format!("list indices must be integers or slices, not {tn}"),
                        ));
                    }
                };
                let j =
                    norm_index(i, items.len()).ok_or_else(|| Raise::new("IndexError", "list index out of range"))?;
                Ok(Some(items[j].clone()))
            }
            Obj::Dict(_) => {
                let key = key_of(w, t, k)?;
                if let Obj::Dict(d) = w.heap(t).get(*id) {
                    if let Some(v) = d.get(&key) {
                        return Ok(Some(v.clone()));
                    }
                }
                let kc = w.proc(w.pid_of(t)).classes.get("KeyError");
                Err(Raise::Obj(w.new_exception(t, kc, vec![k.clone()])?))
            }
            Obj::Instance { .. } => Ok(None),
            Obj::Class(_) => Ok(Some(o.clone())),
            _ => {
                let tn = type_name(w, t, o);
                Err(Raise::New("TypeError", format!("'{tn}' object is not subscriptable")))
            }
        },
        Value::Native(_) => Ok(Some(o.clone())),
        _ => {
            let tn = type_name(w, t, o);
            Err(Raise::New("TypeError", format!("'{tn}' object is not subscriptable")))
        }
    }
}

pub fn setitem(w: &mut World, t: Tid, o: &Value, k: Value, v: Value) -> Result<(), Raise> {
    if let Value::Obj(id) = o {
        match w.heap(t).get(*id) {
            Obj::List(items) => {
                let n = items.len();
                let i = int_of(&k)
                    .ok_or_else(|| Raise::new("TypeError", "list indices must be integers or slices, not str"))?;
                let j =
                    norm_index(i, n).ok_or_else(|| Raise::new("IndexError", "list assignment index out of range"))?;
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
        "TypeError",
        format!("'{tn}' object does not support item assignment"),
    ))
}

pub fn delitem(w: &mut World, t: Tid, o: &Value, k: &Value) -> Result<(), Raise> {
    if let Value::Obj(id) = o {
        match w.heap(t).get(*id) {
            Obj::List(items) => {
                let n = items.len();
                let i = int_of(k)
                    .ok_or_else(|| Raise::new("TypeError", "list indices must be integers or slices, not str"))?;
                let j =
                    norm_index(i, n).ok_or_else(|| Raise::new("IndexError", "list assignment index out of range"))?;
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
                    let kc = w.proc(w.pid_of(t)).classes.get("KeyError");
                    return Err(Raise::Obj(w.new_exception(t, kc, vec![k.clone()])?));
                }
                return Ok(());
            }
            _ => {}
        }
    }
    let tn = type_name(w, t, o);
    Err(Raise::New(
        "TypeError",
        format!("'{tn}' object does not support item deletion"),
    ))
}

// ---------------------------------------------------------------------------------------------
// Classes and exceptions

pub fn is_subclass(w: &mut World, t: Tid, cls: ObjId, base: ObjId) -> bool {
    match w.heap(t).get(cls) {
        Obj::Class(c) => c.mro.contains(&base),
        _ => false,
    }
}

/// The class name an uncaught exception is shown with (`__main__.MyError` for user classes).
pub fn exc_class_name(w: &mut World, t: Tid, exc: &Value) -> String {
    if let Value::Obj(id) = exc {
        if let Obj::Instance { class, .. } = w.heap(t).get(*id) {
            let c = *class;
            if let Obj::Class(k) = w.heap(t).get(c) {
                return match k.builtin {
                    Some("exception") => qualified_exception(&k.name),
                    Some(_) => k.name.to_string(),
                    None => k.name.to_string(),
                };
            }
        }
    }
    "Exception".into()
}

/// The module-qualified name of a library exception class (`_queue.Empty`); builtins are bare.
fn qualified_exception(name: &str) -> String {
    match name {
        "Empty" => "_queue.Empty".into(),
        "Full" => "queue.Full".into(),
        "CancelledError" => "concurrent.futures._base.CancelledError".into(),
        "InvalidStateError" => "concurrent.futures._base.InvalidStateError".into(),
        "BrokenExecutor" => "concurrent.futures._base.BrokenExecutor".into(),
        "BrokenProcessPool" => "concurrent.futures.process.BrokenProcessPool".into(),
        "BrokenBarrierError" => "threading.BrokenBarrierError".into(),
        "mp.TimeoutError" => "multiprocessing.context.TimeoutError".into(),
        n => n.to_string(),
    }
}

pub fn exc_is(w: &mut World, t: Tid, exc: &Value, name: &str) -> bool {
    let base = w.proc(w.pid_of(t)).classes.get(name);
    if let Value::Obj(id) = exc {
        if let Obj::Instance { class, .. } = w.heap(t).get(*id) {
            let c = *class;
            return is_subclass(w, t, c, base);
        }
    }
    false
}

pub fn exc_matches(w: &mut World, t: Tid, exc: &Value, cls: &Value) -> Result<bool, Raise> {
    match cls {
        Value::Tuple(items) => {
            for c in items.iter() {
                if exc_matches(w, t, exc, c)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Value::Obj(cid) => {
            let cid = *cid;
            if !matches!(w.heap(t).get(cid), Obj::Class(_)) {
                return Err(Raise::new(
                    "TypeError",
                    "catching classes that do not inherit from BaseException is not allowed",
                ));
            }
            if let Value::Obj(id) = exc {
                if let Obj::Instance { class, .. } = w.heap(t).get(*id) {
                    let c = *class;
                    return Ok(is_subclass(w, t, c, cid));
                }
            }
            Ok(false)
        }
        _ => Err(Raise::new(
            "TypeError",
            "catching classes that do not inherit from BaseException is not allowed",
        )),
    }
}

/// A traceback as CPython prints it (chained exceptions first).
pub fn format_exception(w: &mut World, t: Tid, exc: &Value, lead: Vec<TbEntry>) -> String {
    let mut out = String::new();
    let (tb, context, suppress, cause) = match exc {
        Value::Obj(id) => match w.heap(t).get(*id) {
            Obj::Instance {
                native: Native::Exception { tb, context, suppress },
                dict,
                ..
            } => (tb.clone(), *context, *suppress, dict.get_str("__cause__").cloned()),
            _ => (vec![], None, false, None),
        },
        _ => (vec![], None, false, None),
    };
    if let Some(Value::Obj(c)) = &cause {
        out.push_str(&format_exception(w, t, &Value::Obj(*c), Vec::new()));
        out.push_str("\nThe above exception was the direct cause of the following exception:\n\n");
    } else if let (Some(ctx), false) = (context, suppress) {
        out.push_str(&format_exception(w, t, &Value::Obj(ctx), Vec::new()));
        out.push_str("\nDuring handling of the above exception, another exception occurred:\n\n");
    }
    out.push_str("Traceback (most recent call last):\n");
    for e in lead.iter().chain(tb.iter().rev()) {
        out.push_str(&format!("  File \"{}\", line {}, in {}\n", e.file, e.line, e.func));
        if !e.text.is_empty() {
            out.push_str(&format!("    {}\n", e.text));
        }
    }
    let name = exc_class_name(w, t, exc);
    let msg = match str_of(w, t, exc) {
        Ok(m) => m,
        Err(_) => "<exception str() failed>".into(),
    };
    if msg.is_empty() {
        out.push_str(&format!("{name}\n"));
    } else {
        out.push_str(&format!("{name}: {msg}\n"));
    }
    out
}

/// An exception as `PyErr_WriteUnraisable` prints it: the last line is `Name: message`
/// even when the message is empty.
pub fn format_unraisable(w: &mut World, t: Tid, exc: &Value) -> String {
    let full = format_exception(w, t, exc, Vec::new());
    let name = exc_class_name(w, t, exc);
    match full.strip_suffix(&format!("{name}\n")) {
        Some(head) => format!("{head}{name}: \n"),
        None => full,
    }
}

/// The exit code `SystemExit(code)` gives; prints a non-integer code to stderr.
pub fn system_exit_code(w: &mut World, t: Tid, exc: &Value) -> i32 {
    let args = match exc {
        Value::Obj(id) => match w.heap(t).get(*id) {
            Obj::Instance { dict, .. } => dict.get_str("args").cloned(),
            _ => None,
        },
        _ => None,
    };
    let code = match args {
        Some(Value::Tuple(a)) if a.len() == 1 => a[0].clone(),
        Some(Value::Tuple(a)) if a.len() > 1 => Value::Tuple(a),
        _ => Value::None,
    };
    match code {
        Value::None => 0,
        // Exit statuses keep their low 8 bits: sys.exit(256) exits 0.
        Value::Int(i) => (i & 0xff) as i32,
        Value::Bool(b) => b as i32,
        other => {
            let s = str_of(w, t, &other).unwrap_or_default();
            w.write(t, Stream::Stderr, &format!("{s}\n"));
            1
        }
    }
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
                    "TypeError",
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
                "TypeError",
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
            bases: base_ids,
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

/// Instantiation of builtin classes that need native construction.
pub fn construct_builtin(w: &mut World, t: Tid, cls: ObjId, args: &Args) -> Result<Option<Flow>, Raise> {
    crate::stdlib::threading::construct(w, t, cls, args)
}

// ---------------------------------------------------------------------------------------------
// Builtin functions

fn arg_count(name: &str, a: &Args, min: usize, max: usize) -> Result<(), Raise> {
    let n = a.pos.len();
    if n < min || n > max {
        return Err(if min == max {
            Raise::New(
                "TypeError",
                format!(
                    "{name}() takes exactly {min} argument{} ({n} given)",
                    if min == 1 { "" } else { "s" }
                ),
            )
        } else if n < min {
            Raise::New(
                "TypeError",
                format!(
                    "{name} expected at least {min} argument{}, got {n}",
                    if min == 1 { "" } else { "s" }
                ),
            )
        } else {
            Raise::New(
                "TypeError",
                format!(
                    "{name} expected at most {max} argument{}, got {n}",
                    if max == 1 { "" } else { "s" }
                ),
            )
        });
    }
    Ok(())
}

fn ret(v: Value) -> NResult {
    Ok(Flow::Return(v))
}

fn b_print(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let sep = match a.take_kw("sep") {
        Some(Value::Str(s)) => s.to_string(),
        Some(Value::None) | None => " ".into(),
        Some(_) => return Err(Raise::new("TypeError", "sep must be None or a string")),
    };
    let end = match a.take_kw("end") {
        Some(Value::Str(s)) => s.to_string(),
        Some(Value::None) | None => "\n".into(),
        Some(_) => return Err(Raise::new("TypeError", "end must be None or a string")),
    };
    let file = a.take_kw("file");
    let _ = a.take_kw("flush");
    if let Some((k, _)) = a.kw.first() {
        return Err(Raise::New(
            "TypeError",
            format!("'{k}' is an invalid keyword argument for print()"),
        ));
    }
    let stream = match &file {
        None | Some(Value::None) => Stream::Stdout,
        Some(f) => match crate::stdlib::stream_of(w, t, f) {
            Some(s) => s,
            None => {
                return Err(Raise::new(
                    "AttributeError",
                    "the file object has no write() method the simulator supports",
                ))
            }
        },
    };
    let mut text = String::new();
    for (i, v) in a.pos.iter().enumerate() {
        if i > 0 {
            text.push_str(&sep);
        }
        text.push_str(&str_of(w, t, v)?);
    }
    text.push_str(&end);
    w.write(t, stream, &text);
    ret(Value::None)
}

fn b_len(w: &mut World, t: Tid, a: Args) -> NResult {
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
                return Err(Raise::New("TypeError", format!("object of type '{tn}' has no len()")));
            }
            _ => {
                let tn = type_name(w, t, v);
                return Err(Raise::New("TypeError", format!("object of type '{tn}' has no len()")));
            }
        },
        _ => {
            let tn = type_name(w, t, v);
            return Err(Raise::New("TypeError", format!("object of type '{tn}' has no len()")));
        }
    };
    ret(Value::Int(n))
}

fn need_int(w: &mut World, t: Tid, v: &Value) -> Result<i64, Raise> {
    int_of(v).ok_or_else(|| {
        let tn = type_name(w, t, v);
        Raise::New(
            "TypeError",
            format!("'{tn}' object cannot be interpreted as an integer"),
        )
    })
}

fn b_range(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("range", &a, 1, 3)?;
    let mut n = Vec::new();
    for v in &a.pos {
        n.push(need_int(w, t, v)?);
    }
    let (start, stop, step) = match n.len() {
        1 => (0, n[0], 1),
        2 => (n[0], n[1], 1),
        _ => (n[0], n[1], n[2]),
    };
    if step == 0 {
        return Err(Raise::new("ValueError", "range() arg 3 must not be zero"));
    }
    ret(Value::Range(start, stop, step))
}

fn parse_int_str(s: &str, base: u32) -> Option<i64> {
    let t = s.trim().replace('_', "");
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d.to_string()),
        None => (false, t.strip_prefix('+').unwrap_or(&t).to_string()),
    };
    let digits = if base == 16 {
        digits.trim_start_matches("0x").trim_start_matches("0X").to_string()
    } else {
        digits
    };
    if digits.is_empty() {
        return None;
    }
    let v = i64::from_str_radix(&digits, base).ok()?;
    Some(if neg { -v } else { v })
}

fn b_int(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let base = a.take_kw("base").or_else(|| a.pos.get(1).cloned());
    let Some(v) = a.pos.first().cloned() else {
        return ret(Value::Int(0));
    };
    match &v {
        Value::Int(_) => ret(v),
        Value::Bool(b) => ret(Value::Int(*b as i64)),
        Value::Float(f) => {
            if f.is_nan() {
                return Err(Raise::new("ValueError", "cannot convert float NaN to integer"));
            }
            if f.is_infinite() {
                return Err(Raise::new("OverflowError", "cannot convert float infinity to integer"));
            }
            if f.abs() >= 9.2e18 {
                return Err(overflow());
            }
            ret(Value::Int(f.trunc() as i64))
        }
        Value::Str(s) => {
            let b = match base {
                Some(Value::Int(b)) => b,
                _ => 10,
            };
            if b != 0 && !(2..=36).contains(&b) {
                return Err(Raise::new("ValueError", "int() base must be >= 2 and <= 36, or 0"));
            }
            // Base 0: the literal's prefix decides, as in source code.
            let (b, digits) = if b == 0 {
                let t = s.trim();
                let body = t.trim_start_matches(['+', '-']);
                let sign = &t[..t.len() - body.len()];
                let lower = body.to_ascii_lowercase();
                match lower.get(..2) {
                    Some("0x") => (16, format!("{sign}{}", &body[2..])),
                    Some("0o") => (8, format!("{sign}{}", &body[2..])),
                    Some("0b") => (2, format!("{sign}{}", &body[2..])),
                    _ => (10, t.to_string()),
                }
            } else {
                (b, s.to_string())
            };
            let b = b as u32;
            match parse_int_str(&digits, b) {
                Some(i) => ret(Value::Int(i)),
                None => Err(Raise::New(
                    "ValueError",
                    format!("invalid literal for int() with base {b}: {}", repr_str(s)),
                )),
            }
        }
        _ => {
            let tn = type_name(w, t, &v);
            Err(Raise::New(
                "TypeError",
                format!("int() argument must be a string, a bytes-like object or a real number, not '{tn}'"),
            ))
        }
    }
}

fn b_float(w: &mut World, t: Tid, a: Args) -> NResult {
    let Some(v) = a.pos.first().cloned() else {
        return ret(Value::Float(0.0));
    };
    match &v {
        Value::Float(_) => ret(v),
        Value::Int(i) => ret(Value::Float(*i as f64)),
        Value::Bool(b) => ret(Value::Float(*b as i64 as f64)),
        Value::Str(s) => {
            let x = s.trim().to_lowercase();
            let f = match x.as_str() {
                "inf" | "+inf" | "infinity" => Some(f64::INFINITY),
                "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
                "nan" | "+nan" | "-nan" => Some(f64::NAN),
                _ => x.replace('_', "").parse::<f64>().ok(),
            };
            match f {
                Some(f) => ret(Value::Float(f)),
                None => Err(Raise::New(
                    "ValueError",
                    format!("could not convert string to float: {}", repr_str(s)),
                )),
            }
        }
        _ => {
            let tn = type_name(w, t, &v);
            Err(Raise::New(
                "TypeError",
                format!("float() argument must be a string or a real number, not '{tn}'"),
            ))
        }
    }
}

fn b_str(w: &mut World, t: Tid, a: Args) -> NResult {
    let Some(v) = a.pos.first().cloned() else {
        return ret(Value::str(""));
    };
    if let Value::Obj(id) = &v {
        if let Obj::Instance { class, .. } = w.heap(t).get(*id) {
            let c = *class;
            if let Some(f) = w.class_lookup(t, c, "__str__") {
                if !matches!(f, Value::Native(_)) {
                    return Ok(Flow::Call(f, Args::new(vec![v.clone()])));
                }
            }
        }
    }
    ret(Value::str(str_of(w, t, &v)?))
}

fn b_repr(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("repr", &a, 1, 1)?;
    ret(Value::str(repr_of(w, t, &a.pos[0])?))
}

fn b_bool(w: &mut World, t: Tid, a: Args) -> NResult {
    let Some(v) = a.pos.first().cloned() else {
        return ret(Value::Bool(false));
    };
    ret(Value::Bool(truthy(w, t, &v)?))
}

/// A Python-level iterator (an instance with `__next__`) is drained by a Python
/// loop so that a `__next__` that waits (e.g. `Future.result()`) can block.
fn python_iterable(w: &mut World, t: Tid, v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Obj(id)) if matches!(w.heap(t).get(*id), Obj::Instance { native: Native::None, .. }))
}

fn b_list(w: &mut World, t: Tid, a: Args) -> NResult {
    if python_iterable(w, t, a.pos.first()) {
        let f = crate::stdlib::helper(w, t, "_list")?;
        return Ok(Flow::Call(f, Args::new(vec![a.pos[0].clone()])));
    }
    let items = match a.pos.first() {
        Some(v) => collect_iter(w, t, v)?,
        None => vec![],
    };
    ret(Value::Obj(w.alloc(t, Obj::List(items))?))
}

fn b_tuple(w: &mut World, t: Tid, a: Args) -> NResult {
    let items = match a.pos.first() {
        Some(v) => collect_iter(w, t, v)?,
        None => vec![],
    };
    ret(Value::tuple(items))
}

fn b_set(w: &mut World, t: Tid, a: Args) -> NResult {
    let items = match a.pos.first() {
        Some(v) => collect_iter(w, t, v)?,
        None => vec![],
    };
    let mut d = Dict::default();
    for v in items {
        let k = key_of(w, t, &v)?;
        d.insert(k, v, Value::None);
    }
    ret(Value::Obj(w.alloc(t, Obj::Set(d))?))
}

fn b_dict(w: &mut World, t: Tid, a: Args) -> NResult {
    let mut d = Dict::default();
    if let Some(src) = a.pos.first() {
        let src_dict = match src {
            Value::Obj(id) => match w.heap(t).get(*id) {
                Obj::Dict(s) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        };
        match src_dict {
            Some(s) => d = s,
            None => {
                for pair in collect_iter(w, t, src)? {
                    let kv = collect_iter(w, t, &pair)?;
                    if kv.len() != 2 {
                        return Err(Raise::new(
                            "ValueError",
                            "dictionary update sequence element has wrong length",
                        ));
                    }
                    let k = key_of(w, t, &kv[0])?;
                    d.insert(k, kv[0].clone(), kv[1].clone());
                }
            }
        }
    }
    for (k, v) in a.kw {
        d.insert(Key::Str(k.clone()), Value::Str(k), v);
    }
    ret(Value::Obj(w.alloc(t, Obj::Dict(d))?))
}

/// Does `v` count as an instance of class-like `c`?
fn instance_of(w: &mut World, t: Tid, v: &Value, c: &Value) -> Result<bool, Raise> {
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
                    "TypeError",
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
            "TypeError",
            "isinstance() arg 2 must be a type, a tuple of types, or a union",
        )),
    }
}

fn b_isinstance(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("isinstance", &a, 2, 2)?;
    ret(Value::Bool(instance_of(w, t, &a.pos[0], &a.pos[1])?))
}

fn b_issubclass(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("issubclass", &a, 2, 2)?;
    match (&a.pos[0], &a.pos[1]) {
        (Value::Obj(x), Value::Obj(y)) => ret(Value::Bool(is_subclass(w, t, *x, *y))),
        (Value::Native(x), Value::Native(y)) => ret(Value::Bool(std::ptr::eq(*x, *y) || y.name == "object")),
        _ => ret(Value::Bool(false)),
    }
}

fn min_max(w: &mut World, t: Tid, mut a: Args, want: std::cmp::Ordering, name: &str) -> NResult {
    let key = a.take_kw("key");
    let default = a.take_kw("default");
    let items = if a.pos.len() == 1 {
        collect_iter(w, t, &a.pos[0])?
    } else {
        a.pos.clone()
    };
    if items.is_empty() {
        return match default {
            Some(d) => ret(d),
            None => Err(Raise::New("ValueError", format!("{name}() iterable argument is empty"))),
        };
    }
    let mut best = items[0].clone();
    let mut best_k = match &key {
        Some(k) if !k.is_none() => w.call_sync(t, k.clone(), Args::new(vec![best.clone()]))?,
        _ => best.clone(),
    };
    for it in items.into_iter().skip(1) {
        let k = match &key {
            Some(kf) if !kf.is_none() => w.call_sync(t, kf.clone(), Args::new(vec![it.clone()]))?,
            _ => it.clone(),
        };
        if order(
            w,
            t,
            &k,
            &best_k,
            if want == std::cmp::Ordering::Less { "<" } else { ">" },
        )? == want
        {
            best = it;
            best_k = k;
        }
    }
    ret(best)
}

fn b_min(w: &mut World, t: Tid, a: Args) -> NResult {
    min_max(w, t, a, std::cmp::Ordering::Less, "min")
}

fn b_max(w: &mut World, t: Tid, a: Args) -> NResult {
    min_max(w, t, a, std::cmp::Ordering::Greater, "max")
}

fn b_sum(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let start = a
        .take_kw("start")
        .or_else(|| a.pos.get(1).cloned())
        .unwrap_or(Value::Int(0));
    let items = collect_iter(w, t, &a.pos[0])?;
    let mut acc = start;
    for it in items {
        acc = binary(w, t, BinOp::Add, &acc, &it, false)?;
    }
    ret(acc)
}

fn b_abs(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("abs", &a, 1, 1)?;
    match &a.pos[0] {
        Value::Int(i) => ret(Value::Int(i.checked_abs().ok_or_else(overflow)?)),
        Value::Bool(b) => ret(Value::Int(*b as i64)),
        Value::Float(f) => ret(Value::Float(f.abs())),
        v => {
            let tn = type_name(w, t, v);
            Err(Raise::New("TypeError", format!("bad operand type for abs(): '{tn}'")))
        }
    }
}

fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        r
    }
}

fn b_round(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let nd = a.take_kw("ndigits").or_else(|| a.pos.get(1).cloned());
    let v = a.pos.first().cloned().unwrap_or(Value::None);
    match (&v, nd) {
        (Value::Int(_) | Value::Bool(_), None | Some(Value::None)) => ret(Value::Int(int_of(&v).unwrap_or(0))),
        (Value::Float(f), None | Some(Value::None)) => {
            if !f.is_finite() {
                return Err(Raise::new("OverflowError", "cannot convert float infinity to integer"));
            }
            ret(Value::Int(round_half_even(*f) as i64))
        }
        (Value::Float(f), Some(n)) => {
            let n = int_of(&n).unwrap_or(0);
            // Round through the shortest decimal representation, as CPython does.
            let s = format!("{:.*}", n.clamp(0, 300) as usize, f);
            let r: f64 = if n >= 0 {
                s.parse().unwrap_or(*f)
            } else {
                (f / 10f64.powi((-n) as i32)).round() * 10f64.powi((-n) as i32)
            };
            let exact = pyfmt::format_float(*f, &format!(".{}f", n.max(0)))
                .ok()
                .and_then(|s| s.parse::<f64>().ok())
                .unwrap_or(r);
            ret(Value::Float(exact))
        }
        (Value::Int(i), Some(n)) => {
            let n = int_of(&n).unwrap_or(0);
            if n >= 0 {
                ret(Value::Int(*i))
            } else {
                let p = 10i64.checked_pow((-n) as u32).ok_or_else(overflow)?;
                ret(Value::Int((round_half_even(*i as f64 / p as f64) as i64) * p))
            }
        }
        _ => {
            let tn = type_name(w, t, &v);
            Err(Raise::New(
                "TypeError",
                format!("type {tn} doesn't define __round__ method"),
            ))
        }
    }
}

fn b_enumerate(w: &mut World, t: Tid, mut a: Args) -> NResult {
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
    ret(Value::Obj(w.alloc(
        t,
        Obj::Iter(IterState::Seq {
            items: Rc::new(v),
            pos: 0,
        }),
    )?))
}

fn b_zip(w: &mut World, t: Tid, a: Args) -> NResult {
    let mut lists = Vec::new();
    for v in &a.pos {
        lists.push(collect_iter(w, t, v)?);
    }
    let n = lists.iter().map(|l| l.len()).min().unwrap_or(0);
    let v: Vec<Value> = (0..n)
        .map(|i| Value::tuple(lists.iter().map(|l| l[i].clone()).collect()))
        .collect();
    ret(Value::Obj(w.alloc(
        t,
        Obj::Iter(IterState::Seq {
            items: Rc::new(v),
            pos: 0,
        }),
    )?))
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

fn merge_sort(v: &mut Vec<usize>, less: &mut dyn FnMut(&usize, &usize) -> bool) {
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

fn b_sorted(w: &mut World, t: Tid, mut a: Args) -> NResult {
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

fn b_reversed(w: &mut World, t: Tid, a: Args) -> NResult {
    let mut items = collect_iter(w, t, &a.pos[0])?;
    items.reverse();
    ret(Value::Obj(w.alloc(
        t,
        Obj::Iter(IterState::Seq {
            items: Rc::new(items),
            pos: 0,
        }),
    )?))
}

fn b_type(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("type", &a, 1, 1)?;
    ret(class_of(w, t, &a.pos[0]))
}

fn b_id(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("id", &a, 1, 1)?;
    let _ = (w, t);
    if matches!(a.pos[0], Value::Obj(_)) {
        // A heap object's id follows the order of allocation.
        crate::vm::schedule::note_identity_read();
    }
    ret(Value::Int(fake_id(&a.pos[0])))
}

/// `id()`: a heap object's stable fake address; for a string or tuple one
/// made from its contents (never from where the simulator keeps it, so the
/// same script prints the same ids every time; equal strings and tuples
/// share an id, as interned constants do in CPython).
fn fake_id(v: &Value) -> i64 {
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

fn b_hash(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("hash", &a, 1, 1)?;
    let k = key_of(w, t, &a.pos[0])?;
    ret(Value::Int(match k {
        Key::Int(i) => i,
        _ => 0,
    }))
}

fn b_hasattr(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("hasattr", &a, 2, 2)?;
    let Value::Str(n) = &a.pos[1] else {
        return Err(Raise::new("TypeError", "hasattr(): attribute name must be string"));
    };
    ret(Value::Bool(w.getattr(t, &a.pos[0], n).is_ok()))
}

fn b_getattr(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("getattr", &a, 2, 3)?;
    let Value::Str(n) = &a.pos[1] else {
        return Err(Raise::new("TypeError", "attribute name must be string"));
    };
    match w.getattr(t, &a.pos[0], n) {
        Ok(v) => ret(v),
        Err(e) => match a.pos.get(2) {
            Some(d) => ret(d.clone()),
            None => Err(e),
        },
    }
}

fn b_setattr(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("setattr", &a, 3, 3)?;
    let Value::Str(n) = &a.pos[1] else {
        return Err(Raise::new("TypeError", "attribute name must be string"));
    };
    w.setattr(t, &a.pos[0], n, a.pos[2].clone())?;
    ret(Value::None)
}

fn b_callable(w: &mut World, t: Tid, a: Args) -> NResult {
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

fn b_iter(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("iter", &a, 1, 1)?;
    ret(get_iter(w, t, &a.pos[0])?)
}

fn b_next(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("next", &a, 1, 2)?;
    match iter_next(w, t, &a.pos[0])? {
        Some(v) => ret(v),
        None => match a.pos.get(1) {
            Some(d) => ret(d.clone()),
            None => Err(Raise::new("StopIteration", "")),
        },
    }
}

fn b_any(w: &mut World, t: Tid, a: Args) -> NResult {
    for it in collect_iter(w, t, &a.pos[0])? {
        if truthy(w, t, &it)? {
            return ret(Value::Bool(true));
        }
    }
    ret(Value::Bool(false))
}

fn b_all(w: &mut World, t: Tid, a: Args) -> NResult {
    for it in collect_iter(w, t, &a.pos[0])? {
        if !truthy(w, t, &it)? {
            return ret(Value::Bool(false));
        }
    }
    ret(Value::Bool(true))
}

fn b_map(w: &mut World, t: Tid, a: Args) -> NResult {
    if a.pos.len() < 2 {
        return Err(Raise::new("TypeError", "map() must have at least two arguments."));
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
    ret(Value::Obj(w.alloc(
        t,
        Obj::Iter(IterState::Seq {
            items: Rc::new(out),
            pos: 0,
        }),
    )?))
}

fn b_filter(w: &mut World, t: Tid, a: Args) -> NResult {
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
    ret(Value::Obj(w.alloc(
        t,
        Obj::Iter(IterState::Seq {
            items: Rc::new(out),
            pos: 0,
        }),
    )?))
}

fn b_divmod(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("divmod", &a, 2, 2)?;
    let q = binary(w, t, BinOp::FloorDiv, &a.pos[0], &a.pos[1], false)?;
    let r = binary(w, t, BinOp::Mod, &a.pos[0], &a.pos[1], false)?;
    ret(Value::tuple(vec![q, r]))
}

fn b_pow(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("pow", &a, 2, 3)?;
    if let (Some(b), Some(e), Some(m)) = (int_of(&a.pos[0]), int_of(&a.pos[1]), a.pos.get(2).and_then(int_of)) {
        if m == 0 {
            return Err(Raise::new("ValueError", "pow() 3rd argument cannot be 0"));
        }
        let mut r: i128 = 1;
        let mut base = (b as i128).rem_euclid(m as i128);
        let mut e = e;
        while e > 0 {
            if e & 1 == 1 {
                r = r * base % m as i128;
            }
            base = base * base % m as i128;
            e >>= 1;
        }
        return ret(Value::Int(r as i64));
    }
    ret(binary(w, t, BinOp::Pow, &a.pos[0], &a.pos[1], false)?)
}

fn b_chr(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("chr", &a, 1, 1)?;
    let i = need_int(w, t, &a.pos[0])?;
    match u32::try_from(i).ok().and_then(char::from_u32) {
        Some(c) => ret(Value::str(c.to_string())),
        None => Err(Raise::new("ValueError", "chr() arg not in range(0x110000)")),
    }
}

fn b_ord(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("ord", &a, 1, 1)?;
    match &a.pos[0] {
        Value::Str(s) if s.chars().count() == 1 => ret(Value::Int(s.chars().next().unwrap_or('\0') as i64)),
        Value::Str(s) => Err(Raise::New(
            "TypeError",
            format!(
                "ord() expected a character, but string of length {} found",
                s.chars().count()
            ),
        )),
        v => {
            let tn = type_name(w, t, v);
            Err(Raise::New(
                "TypeError",
                format!("ord() expected string of length 1, but {tn} found"),
            ))
        }
    }
}

fn b_format(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("format", &a, 1, 2)?;
    let spec = match a.pos.get(1) {
        Some(Value::Str(s)) => s.to_string(),
        _ => String::new(),
    };
    ret(Value::str(format_value(w, t, &a.pos[0], &spec)?))
}

fn b_hex(w: &mut World, t: Tid, a: Args) -> NResult {
    let i = need_int(w, t, &a.pos[0])?;
    ret(Value::str(if i < 0 {
        format!("-0x{:x}", -i)
    } else {
        format!("0x{i:x}")
    }))
}

fn b_bin(w: &mut World, t: Tid, a: Args) -> NResult {
    let i = need_int(w, t, &a.pos[0])?;
    ret(Value::str(if i < 0 {
        format!("-0b{:b}", -i)
    } else {
        format!("0b{i:b}")
    }))
}

fn b_input(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    Err(Raise::new(
        "EOFError",
        "EOF when reading a line (the simulator has no standard input)",
    ))
}

fn b_object(w: &mut World, t: Tid, _a: Args) -> NResult {
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

fn b_vars(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("vars", &a, 1, 1)?;
    w.getattr(t, &a.pos[0], "__dict__").map(Flow::Return)
}

/// `super()` / `super(Class, self)`: a proxy whose attribute lookups start after the class.
fn b_super(w: &mut World, t: Tid, a: Args) -> NResult {
    let (cls, this) = if a.pos.len() == 2 {
        match &a.pos[0] {
            Value::Obj(c) => (*c, a.pos[1].clone()),
            _ => return Err(Raise::new("TypeError", "super() argument 1 must be a type")),
        }
    } else {
        let Some((fid, first)) = w.current_function(t) else {
            return Err(Raise::new("RuntimeError", "super(): no arguments"));
        };
        let owner = match w.heap(t).get(fid) {
            Obj::Function(f) => f.owner,
            _ => None,
        };
        match owner {
            Some(c) => (c, first),
            None => return Err(Raise::new("RuntimeError", "super(): __class__ cell not found")),
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
        "AttributeError",
        format!("'super' object has no attribute '{name}'"),
    ))
}

fn wrapper(w: &mut World, t: Tid, kind: &str, a: Args) -> NResult {
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

fn b_property(w: &mut World, t: Tid, a: Args) -> NResult {
    wrapper(w, t, "property", a)
}

fn b_staticmethod(w: &mut World, t: Tid, a: Args) -> NResult {
    wrapper(w, t, "staticmethod", a)
}

fn b_classmethod(w: &mut World, t: Tid, a: Args) -> NResult {
    wrapper(w, t, "classmethod", a)
}

// ---------------------------------------------------------------------------------------------
// Attributes and methods of builtin values

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
            Ok(Some(Value::str(crate::stdlib::multiprocessing::signal_name(*i as i32))))
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
