//! The simulated standard library: one file (or folder) per importable
//! module, the Python-written part ([`PRELUDE`]), the `builtins` module, and
//! the registry of modules ([`MODULES`]): `import` builds a module object from
//! its entry, and the checker learns from it what a script may import.
//!
//! `concurrent.futures` (and a few helpers such as `Condition.wait_for`) are
//! written in Python on top of the native primitives, so their waits are
//! ordinary waits of the threads that make them.

pub mod args;
pub mod atexit;
pub mod builtins;
pub mod concurrent;
mod library;
pub mod logging;
pub mod math;
pub mod multiprocessing;
pub mod os;
pub mod random;
pub mod signal;
pub mod sys;
pub mod threading;
pub mod time;

pub use library::LIBRARY;

use std::rc::Rc;

use crate::vm::value::*;
use crate::vm::*;

/// Python source of the simulated `concurrent.futures` and helpers.
pub const PRELUDE: &str = include_str!("prelude.py");
/// The file name prelude frames show in tracebacks.
pub const PRELUDE_FILE: &str = "/usr/lib/python3.13/concurrent/futures/thread.py";

/// How an attribute of a simulated module is made when the module is imported.
pub enum Attr {
    /// A native function (or a native standing for a class).
    Fn(&'static NativeDef),
    /// A class every process has, by its name in its [`Classes`].
    Class(&'static str),
    Int(i64),
    Float(f64),
    Str(&'static str),
    /// Made at import: it allocates, or depends on the run.
    Make(fn(&mut World, Tid) -> Result<Value, Raise>),
}

/// Makes a module object (see [`Module::make`]).
pub type MakeModule = fn(&mut World, Tid, &'static Module) -> Result<Value, Raise>;

/// A module a script may import.
pub struct Module {
    pub name: &'static str,
    /// Its attributes, in the order its dict holds them.
    pub attrs: &'static [(&'static str, Attr)],
    /// Makes the module object when `attrs` alone do not ([`from_table`] otherwise).
    pub make: Option<MakeModule>,
}

/// Every module a script may import, in the order the checker lists them.
pub static MODULES: &[&Module] = &[
    &threading::MODULE,
    &time::MODULE,
    &random::MODULE,
    &sys::MODULE,
    &atexit::MODULE,
    &logging::MODULE,
    &threading::queue::MODULE,
    &concurrent::MODULE,
    &concurrent::FUTURES,
    &concurrent::PROCESS,
    &os::MODULE,
    &math::MODULE,
    &signal::MODULE,
    &multiprocessing::MODULE,
    &multiprocessing::pool::MODULE,
];

/// The registry's entry for module `name`.
pub fn module(name: &str) -> Option<&'static Module> {
    MODULES.iter().copied().find(|m| m.name == name)
}

/// The entry `name` of a table of named things (a native object's attribute getters, ...).
pub fn lookup<T>(table: &'static [(&'static str, T)], name: &str) -> Option<&'static T> {
    table.iter().find(|(n, _)| *n == name).map(|(_, x)| x)
}

/// `import name`: the module object (made on its first import in a process).
pub fn import(w: &mut World, t: Tid, name: &str) -> Result<Value, Raise> {
    if let Some(m) = imported(w, t, name) {
        return Ok(m);
    }
    let Some(def) = module(name) else {
        return Err(Raise::New("ModuleNotFoundError", format!("No module named '{name}'")));
    };
    let m = match def.make {
        Some(make) => make(w, t, def)?,
        None => from_table(w, t, def)?,
    };
    if let Value::Obj(id) = m {
        let p = w.proc_mut(w.pid_of(t));
        if !p.modules.iter().any(|(n, _)| n == name) {
            p.modules.push((name.to_string(), id));
        }
    }
    Ok(m)
}

/// Module `name` if this process has imported it.
fn imported(w: &World, t: Tid, name: &str) -> Option<Value> {
    let pid = w.pid_of(t);
    let (_, id) = w.proc(pid).modules.iter().find(|(n, _)| n == name)?;
    Some(Value::Obj(*id))
}

/// A module object with the attributes its registry entry declares.
pub fn from_table(w: &mut World, t: Tid, def: &'static Module) -> Result<Value, Raise> {
    let mut entries = Vec::with_capacity(def.attrs.len());
    for (name, attr) in def.attrs {
        let v = match attr {
            Attr::Fn(f) => Value::Native(f),
            Attr::Class(c) => Value::Obj(w.proc(w.pid_of(t)).classes.get(c)),
            Attr::Int(i) => Value::Int(*i),
            Attr::Float(f) => Value::Float(*f),
            Attr::Str(s) => Value::str(*s),
            Attr::Make(make) => make(w, t)?,
        };
        entries.push((*name, v));
    }
    module_obj(w, t, def.name, entries)
}

fn module_obj(w: &mut World, t: Tid, name: &str, entries: Vec<(&str, Value)>) -> Result<Value, Raise> {
    let mut d = Dict::default();
    d.set_str("__name__", Value::str(name));
    for (k, v) in entries {
        d.set_str(k, v);
    }
    let dict = w.alloc(t, Obj::Dict(d))?;
    let m = w.alloc(
        t,
        Obj::Module {
            name: Rc::new(name.to_string()),
            dict,
        },
    )?;
    Ok(Value::Obj(m))
}
