//! Binary operators on numbers, strings and containers.

use super::*;
use crate::compile::BinOp;
use crate::vm::value::*;
use crate::vm::*;

pub fn overflow() -> Raise {
    Raise::new(Exc::OverflowError, INT_OVERFLOW)
}

pub fn int_binary(op: BinOp, a: i64, b: i64) -> Result<Value, Raise> {
    let ov = overflow;
    Ok(match op {
        BinOp::Add => Value::Int(a.checked_add(b).ok_or_else(ov)?),
        BinOp::Sub => Value::Int(a.checked_sub(b).ok_or_else(ov)?),
        BinOp::Mul => Value::Int(a.checked_mul(b).ok_or_else(ov)?),
        BinOp::Div => {
            if b == 0 {
                return Err(Raise::new(Exc::ZeroDivisionError, "division by zero"));
            }
            Value::Float(a as f64 / b as f64)
        }
        BinOp::FloorDiv => {
            if b == 0 {
                return Err(Raise::new(Exc::ZeroDivisionError, "integer division or modulo by zero"));
            }
            // Python rounds toward negative infinity.
            let q = a.checked_div(b).ok_or_else(ov)?;
            Value::Int(if (a % b != 0) && ((a < 0) != (b < 0)) { q - 1 } else { q })
        }
        BinOp::Mod => {
            if b == 0 {
                return Err(Raise::new(Exc::ZeroDivisionError, "integer modulo by zero"));
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
                return Err(Raise::new(Exc::ValueError, "negative shift count"));
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
                return Err(Raise::new(Exc::ValueError, "negative shift count"));
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
                Exc::TypeError,
                "unsupported operand type(s) for @: 'int' and 'int'",
            ))
        }
    })
}

pub fn float_binary(op: BinOp, a: f64, b: f64) -> Result<Value, Raise> {
    Ok(Value::Float(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => {
            if b == 0.0 {
                return Err(Raise::new(Exc::ZeroDivisionError, "float division by zero"));
            }
            a / b
        }
        BinOp::FloorDiv => {
            if b == 0.0 {
                return Err(Raise::new(Exc::ZeroDivisionError, "float floor division by zero"));
            }
            (a / b).floor()
        }
        BinOp::Mod => {
            if b == 0.0 {
                return Err(Raise::new(Exc::ZeroDivisionError, "float modulo"));
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
                Exc::TypeError,
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
                return Err(Raise::new(Exc::MemoryError, ""));
            }
            let mut s = String::with_capacity(x.len() + y.len());
            s.push_str(x);
            s.push_str(y);
            return Ok(Value::str(s));
        }
        (BinOp::Mul, Value::Str(s), n) | (BinOp::Mul, n, Value::Str(s)) if int_of(n).is_some() => {
            let n = int_of(n).unwrap_or(0).max(0) as usize;
            if s.len().saturating_mul(n) > 50_000_000 {
                return Err(Raise::new(Exc::MemoryError, ""));
            }
            return Ok(Value::str(s.repeat(n)));
        }
        (BinOp::Mod, Value::Str(fmt), args) => return percent_format(w, t, fmt, args),
        (BinOp::Add, Value::Tuple(x), Value::Tuple(y)) => {
            if x.len() + y.len() > MAX_SEQUENCE / 8 {
                return Err(Raise::new(Exc::MemoryError, ""));
            }
            let mut v = x.to_vec();
            v.extend(y.iter().cloned());
            return Ok(Value::tuple(v));
        }
        (BinOp::Mul, Value::Tuple(x), n) if int_of(n).is_some() => {
            let n = int_of(n).unwrap_or(0).max(0) as usize;
            if x.len().saturating_mul(n) > 10_000_000 {
                return Err(Raise::new(Exc::MemoryError, ""));
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
                        return Err(Raise::new(Exc::MemoryError, ""));
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
                    return Err(Raise::new(Exc::MemoryError, ""));
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
            Exc::TypeError,
            format!("can only concatenate str (not \"{tb}\") to str"),
        ));
    }
    if op == BinOp::Add && ta == "list" {
        return Err(Raise::New(
            Exc::TypeError,
            format!("can only concatenate list (not \"{tb}\") to list"),
        ));
    }
    Err(Raise::New(
        Exc::TypeError,
        format!("unsupported operand type(s) for {}: '{ta}' and '{tb}'", op_symbol(op)),
    ))
}
