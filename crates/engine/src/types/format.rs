//! `format()`, f-string specs and `%` formatting of values.

use super::*;
use crate::pyfmt;
use crate::vm::value::*;
use crate::vm::*;

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
                            Exc::TypeError,
                            format!("unsupported format string passed to {tn}.__format__"),
                        ));
                    }
                }
                pyfmt::format_str(&s, spec)
            }
        }
    };
    r.map_err(|e| Raise::New(Exc::ValueError, e))
}

pub enum PctErr {
    Fmt(pyfmt::FormatError),
    Raise(Raise),
}

impl From<pyfmt::FormatError> for PctErr {
    fn from(e: pyfmt::FormatError) -> Self {
        PctErr::Fmt(e)
    }
}

pub fn percent_format(w: &mut World, t: Tid, fmt: &str, args: &Value) -> Result<Value, Raise> {
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

pub fn fmt_exc(k: pyfmt::ExcKind) -> Exc {
    match k {
        pyfmt::ExcKind::TypeError => Exc::TypeError,
        pyfmt::ExcKind::ValueError => Exc::ValueError,
        pyfmt::ExcKind::OverflowError => Exc::OverflowError,
    }
}
