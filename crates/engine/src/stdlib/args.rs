//! Argument conversions shared by the simulated modules.

use crate::types;
use crate::vm::value::*;
use crate::vm::*;

/// A native call's plain result.
pub fn ret(v: Value) -> NResult {
    Ok(Flow::Return(v))
}

/// A number of seconds (an int or a float), as `time.sleep` takes it.
pub fn seconds_arg(w: &mut World, t: Tid, v: Option<&Value>, what: &str) -> Result<f64, Raise> {
    match v {
        Some(Value::Int(i)) => Ok(*i as f64),
        Some(Value::Float(f)) => Ok(*f),
        Some(Value::Bool(b)) => Ok(*b as i64 as f64),
        Some(other) => {
            let tn = types::type_name(w, t, other);
            Err(Raise::New(
                Exc::TypeError,
                format!("'{tn}' object cannot be interpreted as an integer or float"),
            ))
        }
        None => Err(Raise::New(Exc::TypeError, format!("{what} expected 1 argument, got 0"))),
    }
}

/// An integer argument (a bool counts as one).
pub fn int_arg(w: &mut World, t: Tid, v: Option<&Value>) -> Result<i64, Raise> {
    match v {
        Some(Value::Int(i)) => Ok(*i),
        Some(Value::Bool(b)) => Ok(*b as i64),
        Some(other) => {
            let tn = types::type_name(w, t, other);
            Err(Raise::New(
                Exc::TypeError,
                format!("'{tn}' object cannot be interpreted as an integer"),
            ))
        }
        None => Err(Raise::new(Exc::TypeError, "missing required argument")),
    }
}
