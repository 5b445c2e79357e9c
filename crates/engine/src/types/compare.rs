//! Hashing (dict keys), equality, ordering and `in`.

use std::rc::Rc;

use super::*;
use crate::compile::{BinOp, CmpOp};
use crate::vm::value::*;
use crate::vm::*;

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
                return Err(Raise::New(Exc::TypeError, format!("unhashable type: '{tn}'")));
            }
            _ => Key::Id(*id),
        },
    })
}

pub fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Bool(b) => Some(*b as i64 as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

pub fn int_of(v: &Value) -> Option<i64> {
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
        Exc::TypeError,
        format!("'{op}' not supported between instances of '{ta}' and '{tb}'"),
    ))
}

pub fn seq_order(w: &mut World, t: Tid, x: &[Value], y: &[Value], op: &str) -> Result<std::cmp::Ordering, Raise> {
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
                    Exc::TypeError,
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
                Exc::TypeError,
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

pub fn op_symbol(op: BinOp) -> &'static str {
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
