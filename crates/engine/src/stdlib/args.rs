//! Argument conversions shared by the simulated modules.

use crate::types;
use crate::vm::value::*;
use crate::vm::*;

/// A native call's plain result.
pub fn ret(v: Value) -> NResult {
    Ok(Flow::Return(v))
}

/// A number of seconds (an int, a float or a bool), as `time.sleep` and
/// timeouts take it.
pub fn seconds_of(w: &mut World, t: Tid, v: &Value) -> Result<f64, Raise> {
    types::num(v).ok_or_else(|| {
        let tn = types::type_name(w, t, v);
        Raise::New(
            Exc::TypeError,
            format!("'{tn}' object cannot be interpreted as an integer or float"),
        )
    })
}

/// The number of seconds `what` (`time.sleep`) takes as its one argument.
pub fn seconds_arg(w: &mut World, t: Tid, v: Option<&Value>, what: &str) -> Result<f64, Raise> {
    match v {
        Some(v) => seconds_of(w, t, v),
        None => Err(Raise::New(Exc::TypeError, format!("{what} expected 1 argument, got 0"))),
    }
}

/// An integer argument (a bool counts as one).
pub fn int_arg(w: &mut World, t: Tid, v: Option<&Value>) -> Result<i64, Raise> {
    match v {
        Some(v) => types::as_index(w, t, v),
        None => Err(Raise::new(Exc::TypeError, "missing required argument")),
    }
}
