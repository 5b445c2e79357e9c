//! Builtins that make or convert values: `int`, `float`, `str`, `bool`,
//! `list`, `tuple`, `set`, `dict`, `range`, and arithmetic on numbers (`abs`,
//! `round`, `divmod`, `pow`, `sum`, `min`, `max`), characters and formatting.

use super::ret;
use crate::types::*;
use crate::vm::value::*;
use crate::vm::*;

use crate::compile::BinOp;
use crate::pyfmt;

pub(super) fn b_range(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("range", &a, 1, 3)?;
    let mut n = Vec::new();
    for v in &a.pos {
        n.push(as_index(w, t, v)?);
    }
    let (start, stop, step) = match n.len() {
        1 => (0, n[0], 1),
        2 => (n[0], n[1], 1),
        _ => (n[0], n[1], n[2]),
    };
    if step == 0 {
        return Err(Raise::new(Exc::ValueError, "range() arg 3 must not be zero"));
    }
    ret(Value::Range(start, stop, step))
}

pub(super) fn parse_int_str(s: &str, base: u32) -> Option<i64> {
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

pub(super) fn b_int(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let base = a.take_kw("base").or_else(|| a.pos.get(1).cloned());
    let Some(v) = a.pos.first().cloned() else {
        return ret(Value::Int(0));
    };
    match &v {
        Value::Int(_) => ret(v),
        Value::Bool(b) => ret(Value::Int(*b as i64)),
        Value::Float(f) => {
            if f.is_nan() {
                return Err(Raise::new(Exc::ValueError, "cannot convert float NaN to integer"));
            }
            if f.is_infinite() {
                return Err(Raise::new(
                    Exc::OverflowError,
                    "cannot convert float infinity to integer",
                ));
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
                return Err(Raise::new(Exc::ValueError, "int() base must be >= 2 and <= 36, or 0"));
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
                    Exc::ValueError,
                    format!("invalid literal for int() with base {b}: {}", repr_str(s)),
                )),
            }
        }
        _ => {
            let tn = type_name(w, t, &v);
            Err(Raise::New(
                Exc::TypeError,
                format!("int() argument must be a string, a bytes-like object or a real number, not '{tn}'"),
            ))
        }
    }
}

pub(super) fn b_float(w: &mut World, t: Tid, a: Args) -> NResult {
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
                    Exc::ValueError,
                    format!("could not convert string to float: {}", repr_str(s)),
                )),
            }
        }
        _ => {
            let tn = type_name(w, t, &v);
            Err(Raise::New(
                Exc::TypeError,
                format!("float() argument must be a string or a real number, not '{tn}'"),
            ))
        }
    }
}

pub(super) fn b_str(w: &mut World, t: Tid, a: Args) -> NResult {
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

pub(super) fn b_repr(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("repr", &a, 1, 1)?;
    ret(Value::str(repr_of(w, t, &a.pos[0])?))
}

pub(super) fn b_bool(w: &mut World, t: Tid, a: Args) -> NResult {
    let Some(v) = a.pos.first().cloned() else {
        return ret(Value::Bool(false));
    };
    ret(Value::Bool(truthy(w, t, &v)?))
}

/// A Python-level iterator (an instance with `__next__`) is drained by a Python
/// loop so that a `__next__` that waits (e.g. `Future.result()`) can block.
pub(super) fn python_iterable(w: &mut World, t: Tid, v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Obj(id)) if matches!(w.heap(t).get(*id), Obj::Instance { native: Native::None, .. }))
}

pub(super) fn b_list(w: &mut World, t: Tid, a: Args) -> NResult {
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

pub(super) fn b_tuple(w: &mut World, t: Tid, a: Args) -> NResult {
    let items = match a.pos.first() {
        Some(v) => collect_iter(w, t, v)?,
        None => vec![],
    };
    ret(Value::tuple(items))
}

pub(super) fn b_set(w: &mut World, t: Tid, a: Args) -> NResult {
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

pub(super) fn b_dict(w: &mut World, t: Tid, a: Args) -> NResult {
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
                            Exc::ValueError,
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

pub(super) fn min_max(w: &mut World, t: Tid, mut a: Args, want: std::cmp::Ordering, name: &str) -> NResult {
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
            None => Err(Raise::New(
                Exc::ValueError,
                format!("{name}() iterable argument is empty"),
            )),
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

pub(super) fn b_min(w: &mut World, t: Tid, a: Args) -> NResult {
    min_max(w, t, a, std::cmp::Ordering::Less, "min")
}

pub(super) fn b_max(w: &mut World, t: Tid, a: Args) -> NResult {
    min_max(w, t, a, std::cmp::Ordering::Greater, "max")
}

pub(super) fn b_sum(w: &mut World, t: Tid, mut a: Args) -> NResult {
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

pub(super) fn b_abs(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("abs", &a, 1, 1)?;
    match &a.pos[0] {
        Value::Int(i) => ret(Value::Int(i.checked_abs().ok_or_else(overflow)?)),
        Value::Bool(b) => ret(Value::Int(*b as i64)),
        Value::Float(f) => ret(Value::Float(f.abs())),
        v => {
            let tn = type_name(w, t, v);
            Err(Raise::New(
                Exc::TypeError,
                format!("bad operand type for abs(): '{tn}'"),
            ))
        }
    }
}

pub(super) fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        r
    }
}

pub(super) fn b_round(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let nd = a.take_kw("ndigits").or_else(|| a.pos.get(1).cloned());
    let v = a.pos.first().cloned().unwrap_or(Value::None);
    match (&v, nd) {
        (Value::Int(_) | Value::Bool(_), None | Some(Value::None)) => ret(Value::Int(int_of(&v).unwrap_or(0))),
        (Value::Float(f), None | Some(Value::None)) => {
            if !f.is_finite() {
                return Err(Raise::new(
                    Exc::OverflowError,
                    "cannot convert float infinity to integer",
                ));
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
                Exc::TypeError,
                format!("type {tn} doesn't define __round__ method"),
            ))
        }
    }
}

pub(super) fn b_divmod(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("divmod", &a, 2, 2)?;
    let q = binary(w, t, BinOp::FloorDiv, &a.pos[0], &a.pos[1], false)?;
    let r = binary(w, t, BinOp::Mod, &a.pos[0], &a.pos[1], false)?;
    ret(Value::tuple(vec![q, r]))
}

pub(super) fn b_pow(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("pow", &a, 2, 3)?;
    if let (Some(b), Some(e), Some(m)) = (int_of(&a.pos[0]), int_of(&a.pos[1]), a.pos.get(2).and_then(int_of)) {
        if m == 0 {
            return Err(Raise::new(Exc::ValueError, "pow() 3rd argument cannot be 0"));
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

pub(super) fn b_chr(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("chr", &a, 1, 1)?;
    let i = as_index(w, t, &a.pos[0])?;
    match u32::try_from(i).ok().and_then(char::from_u32) {
        Some(c) => ret(Value::str(c.to_string())),
        None => Err(Raise::new(Exc::ValueError, "chr() arg not in range(0x110000)")),
    }
}

pub(super) fn b_ord(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("ord", &a, 1, 1)?;
    match &a.pos[0] {
        Value::Str(s) if s.chars().count() == 1 => ret(Value::Int(s.chars().next().unwrap_or('\0') as i64)),
        Value::Str(s) => Err(Raise::New(
            Exc::TypeError,
            format!(
                "ord() expected a character, but string of length {} found",
                s.chars().count()
            ),
        )),
        v => {
            let tn = type_name(w, t, v);
            Err(Raise::New(
                Exc::TypeError,
                format!("ord() expected string of length 1, but {tn} found"),
            ))
        }
    }
}

pub(super) fn b_format(w: &mut World, t: Tid, a: Args) -> NResult {
    arg_count("format", &a, 1, 2)?;
    let spec = match a.pos.get(1) {
        Some(Value::Str(s)) => s.to_string(),
        _ => String::new(),
    };
    ret(Value::str(format_value(w, t, &a.pos[0], &spec)?))
}

pub(super) fn b_hex(w: &mut World, t: Tid, a: Args) -> NResult {
    let i = as_index(w, t, &a.pos[0])?;
    ret(Value::str(if i < 0 {
        format!("-0x{:x}", -i)
    } else {
        format!("0x{i:x}")
    }))
}

pub(super) fn b_bin(w: &mut World, t: Tid, a: Args) -> NResult {
    let i = as_index(w, t, &a.pos[0])?;
    ret(Value::str(if i < 0 {
        format!("-0b{:b}", -i)
    } else {
        format!("0b{i:b}")
    }))
}
