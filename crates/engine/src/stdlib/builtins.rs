//! The `builtins` module: `print`, `len`, `range`, `sorted`, ... as natives.

use std::rc::Rc;

use crate::trace::*;
use crate::types::*;
use crate::vm::value::*;
use crate::vm::*;

use crate::compile::BinOp;
use crate::pyfmt;

/// Whether a call of a builtin commutes with other threads' steps, for the
/// explorer's reduction.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Commutes {
    /// It touches its arguments and heap objects only (which the heap log records).
    Yes,
    /// It touches something the log does not see (identities, input, ...).
    No,
}

/// The builtin functions, each with whether its call commutes.
static FUNCTIONS: &[(&NativeDef, Commutes)] = &[
    (native!("print", b_print), Commutes::Yes),
    (native!("len", b_len), Commutes::Yes),
    (native!("range", b_range), Commutes::Yes),
    (native!("int", b_int), Commutes::Yes),
    (native!("float", b_float), Commutes::Yes),
    (native!("str", b_str), Commutes::Yes),
    (native!("bool", b_bool), Commutes::Yes),
    (native!("repr", b_repr), Commutes::Yes),
    (native!("list", b_list), Commutes::Yes),
    (native!("tuple", b_tuple), Commutes::Yes),
    (native!("dict", b_dict), Commutes::Yes),
    (native!("set", b_set), Commutes::Yes),
    (native!("frozenset", b_set), Commutes::Yes),
    (native!("isinstance", b_isinstance), Commutes::Yes),
    (native!("issubclass", b_issubclass), Commutes::Yes),
    (native!("min", b_min), Commutes::Yes),
    (native!("max", b_max), Commutes::Yes),
    (native!("sum", b_sum), Commutes::Yes),
    (native!("abs", b_abs), Commutes::Yes),
    (native!("round", b_round), Commutes::Yes),
    (native!("enumerate", b_enumerate), Commutes::Yes),
    (native!("zip", b_zip), Commutes::Yes),
    (native!("sorted", b_sorted), Commutes::Yes),
    (native!("reversed", b_reversed), Commutes::Yes),
    (native!("type", b_type), Commutes::Yes),
    (native!("id", b_id), Commutes::No),
    (native!("hash", b_hash), Commutes::No),
    (native!("hasattr", b_hasattr), Commutes::Yes),
    (native!("getattr", b_getattr), Commutes::Yes),
    (native!("setattr", b_setattr), Commutes::Yes),
    (native!("callable", b_callable), Commutes::Yes),
    (native!("iter", b_iter), Commutes::Yes),
    (native!("next", b_next), Commutes::Yes),
    (native!("any", b_any), Commutes::Yes),
    (native!("all", b_all), Commutes::Yes),
    (native!("map", b_map), Commutes::Yes),
    (native!("filter", b_filter), Commutes::Yes),
    (native!("divmod", b_divmod), Commutes::Yes),
    (native!("pow", b_pow), Commutes::Yes),
    (native!("chr", b_chr), Commutes::Yes),
    (native!("ord", b_ord), Commutes::Yes),
    (native!("format", b_format), Commutes::Yes),
    (native!("super", b_super), Commutes::Yes),
    (native!("property", b_property), Commutes::No),
    (native!("staticmethod", b_staticmethod), Commutes::No),
    (native!("classmethod", b_classmethod), Commutes::No),
    (native!("input", b_input), Commutes::No),
    (native!("object", b_object), Commutes::Yes),
    (native!("vars", b_vars), Commutes::No),
    (native!("hex", b_hex), Commutes::Yes),
    (native!("bin", b_bin), Commutes::Yes),
    (native!("ascii", b_repr), Commutes::Yes),
];

/// Whether a call of the native `name` keeps an explorer's segment
/// commutable (see [`Commutes`]): the builtins declared so, and the methods
/// of the builtin types.
pub fn native_commutes(name: &str) -> bool {
    FUNCTIONS
        .iter()
        .any(|(f, commutes)| f.name == name && *commutes == Commutes::Yes)
        || crate::types::methods::str_method(name).is_some()
        || crate::types::methods::list_method(name).is_some()
        || crate::types::methods::dict_method(name).is_some()
        || crate::types::methods::set_method(name).is_some()
        || crate::types::methods::tuple_method(name).is_some()
        || crate::types::methods::int_method(name).is_some()
        || crate::types::methods::float_method(name).is_some()
}

/// The builtins module dict.
pub fn make_builtins(heap: &mut Heap, classes: &Classes) -> ObjId {
    let mut d = Dict::default();
    for (f, _) in FUNCTIONS {
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
        Some(f) => match crate::stdlib::sys::stream_of(w, t, f) {
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
        let f = crate::stdlib::concurrent::helper(w, t, "_list")?;
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

fn b_id(w: &mut World, t: Tid, a: Args) -> NResult {
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
