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

/// The arguments a `Thread` or `Process` calls its target with: the items of
/// `args`, and the string keys of the dict `kwargs`.
pub fn target_args(w: &mut World, t: Tid, args: &Value, kwargs: &Value) -> Result<Args, Raise> {
    let mut call = Args::new(types::collect_iter(w, t, args)?);
    if let Value::Obj(k) = kwargs {
        if let Obj::Dict(d) = w.heap(t).get(*k) {
            for (kv, vv) in d.map.values() {
                if let Value::Str(s) = kv {
                    call.kw.push((s.clone(), vv.clone()));
                }
            }
        }
    }
    Ok(call)
}

/// A function that runs code object `code` (a module's body) in `globals`.
pub fn body_function(w: &mut World, t: Tid, code: crate::compile::CodeId, globals: ObjId) -> Result<Value, Raise> {
    let c = w.program.code(code);
    let f = Function {
        code,
        name: c.name.clone(),
        qualname: c.qualname.clone(),
        defaults: vec![],
        kwdefaults: vec![],
        closure: vec![],
        globals,
        owner: None,
    };
    Ok(Value::Obj(w.alloc(t, Obj::Function(Box::new(f)))?))
}

/// What `Thread(...)` and `Process(...)` take besides `group`, which must be
/// `None`.
pub struct TargetParams {
    pub target: Value,
    pub name: Option<Value>,
    pub args: Value,
    pub kwargs: Value,
    pub daemon: Option<Value>,
}

/// The arguments of `Thread.__init__` or `Process.__init__` (after `self`).
pub fn target_params(a: &mut Args) -> Result<TargetParams, Raise> {
    if let Some(g) = a.arg(1, "group") {
        if !g.is_none() {
            return Err(Raise::new(Exc::AssertionError, "group argument must be None for now"));
        }
    }
    Ok(TargetParams {
        target: a.arg(2, "target").unwrap_or(Value::None),
        name: a.arg(3, "name"),
        args: a.arg(4, "args").unwrap_or(Value::tuple(vec![])),
        kwargs: a.arg(5, "kwargs").unwrap_or(Value::None),
        daemon: a.take_kw("daemon"),
    })
}
