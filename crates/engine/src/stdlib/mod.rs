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
pub mod build;
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

pub use build::build;
pub use library::LIBRARY;

use std::rc::Rc;

use crate::syntax::modules::{unsupported_message, KnownModule, KnownModules};
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
    /// A builtin exception class.
    Exc(Exc),
    Int(i64),
    Float(f64),
    Str(&'static str),
    /// Made at import: it allocates, or depends on the run.
    Make(fn(&mut World, Tid) -> Result<Value, Raise>),
    /// A documented function or class of CPython's module that the simulator
    /// lacks: the module holds a stand-in whose call raises [`unsupported`]
    /// (and the checker reports plain uses before the run).
    Unsupported,
    /// A documented constant or object of CPython's module that the simulator
    /// lacks: the checker reports its uses; at run time the module lacks it
    /// and reading it raises [`unsupported`] (see [`unsupported_attr`]).
    UnsupportedValue,
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

/// Modules (and submodules) of CPython's standard library that the simulator
/// knows of but does not have.
pub static UNSUPPORTED_MODULES: &[&str] = &[
    "subprocess",
    "asyncio",
    "_thread",
    "os.path",
    "logging.handlers",
    "logging.config",
    "concurrent.futures.thread",
    "multiprocessing.connection",
    "multiprocessing.dummy",
    "multiprocessing.managers",
    "multiprocessing.shared_memory",
    "multiprocessing.sharedctypes",
];

/// The error a run raises where the script uses something of the standard
/// library that the simulator lacks (`what`: `signal.pause`, `os.path`, ...).
/// A `NotImplementedError` worded as the checker words it, so that no one
/// takes it for a bug of their own.
pub fn unsupported(what: &str) -> Raise {
    Raise::New(Exc::NotImplementedError, unsupported_message(what))
}

/// What reading attribute `name` of module `of` raises where CPython's
/// module has it and the simulator's lacks it (a constant such as
/// `signal.SIGCHLD`): [`unsupported`], as a call of a lacking function does.
pub fn unsupported_attr(of: &str, name: &str) -> Option<Raise> {
    let lacks = module(of)?
        .attrs
        .iter()
        .any(|(n, a)| *n == name && matches!(a, Attr::Unsupported | Attr::UnsupportedValue));
    lacks.then(|| unsupported(&format!("{of}.{name}")))
}

/// The registry as the checker reads it (the syntax layer cannot see this one).
pub fn known_modules() -> KnownModules {
    KnownModules {
        modules: MODULES
            .iter()
            .map(|m| KnownModule {
                name: m.name,
                unsupported: m
                    .attrs
                    .iter()
                    .filter(|(_, a)| matches!(a, Attr::Unsupported | Attr::UnsupportedValue))
                    .map(|(n, _)| *n)
                    .collect(),
            })
            .collect(),
        unsupported: UNSUPPORTED_MODULES.to_vec(),
    }
}

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
        if UNSUPPORTED_MODULES.contains(&name) {
            return Err(unsupported(name));
        }
        return Err(Raise::New(
            Exc::ModuleNotFoundError,
            format!("No module named '{name}'"),
        ));
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
            Attr::Exc(e) => Value::Obj(w.proc(w.pid_of(t)).classes.exc(*e)),
            Attr::Int(i) => Value::Int(*i),
            Attr::Float(f) => Value::Float(*f),
            Attr::Str(s) => Value::str(*s),
            Attr::Make(make) => make(w, t)?,
            Attr::Unsupported | Attr::UnsupportedValue => continue,
        };
        entries.push((*name, v));
    }
    // The stand-ins come after the attributes the module has.
    for (name, attr) in def.attrs {
        if let Attr::Unsupported = attr {
            let what = Value::str(format!("{}.{name}", def.name));
            entries.push((*name, Value::BoundNative(Rc::new((what, &UNSUPPORTED_CALL)))));
        }
    }
    module_obj(w, t, def.name, entries)
}

/// The stand-in of an unsupported function or class, bound to its name
/// (`signal.pause`): calling it raises [`unsupported`].
static UNSUPPORTED_CALL: NativeDef = NativeDef {
    name: "unsupported",
    f: unsupported_call,
};

fn unsupported_call(_w: &mut World, _t: Tid, a: Args) -> NResult {
    match a.pos.first() {
        Some(Value::Str(what)) => Err(unsupported(what)),
        _ => Err(unsupported("this function")),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{Stream, Trace};

    fn unique<'a>(what: &str, names: impl IntoIterator<Item = &'a str>) {
        let mut seen = Vec::new();
        for n in names {
            assert!(!seen.contains(&n), "{what}: {n} is declared twice");
            seen.push(n);
        }
    }

    #[test]
    fn each_module_and_each_attribute_is_declared_once() {
        unique(
            "modules",
            MODULES
                .iter()
                .map(|m| m.name)
                .chain(UNSUPPORTED_MODULES.iter().copied()),
        );
        for m in MODULES {
            unique(m.name, m.attrs.iter().map(|(n, _)| *n));
        }
    }

    #[test]
    fn each_native_object_declares_each_attribute_once() {
        unique("Thread", threading::THREAD_ATTRS.iter().map(|(n, _)| *n));
        unique(
            "Process",
            multiprocessing::process::PROCESS_ATTRS.iter().map(|(n, _)| *n),
        );
        unique("primitives", threading::sync::PRIM_ATTRS.iter().map(|(n, _)| *n));
        unique(
            "shared objects",
            multiprocessing::shared::SHARED_ATTRS.iter().map(|(n, _)| *n),
        );
    }

    #[test]
    fn builtins_commute_as_their_table_declares() {
        for name in ["print", "len", "sorted", "ascii", "format"] {
            assert!(builtins::native_commutes(name), "{name}");
        }
        for name in ["id", "hash", "input", "vars", "time.sleep", "Thread.start"] {
            assert!(!builtins::native_commutes(name), "{name}");
        }
    }

    /// Runs `source` as if the checker had let it through.
    fn run_unchecked(source: &str) -> Trace {
        let (module, index) = crate::syntax::parse::parse(source).expect("parses");
        let mut program = crate::compile::compile_module(&module, source, &index).expect("compiles");
        let library = build::compile_library().expect("the library compiles");
        program.prelude = Some(crate::compile::append_program(&mut program, &library));
        crate::vm::simulate(program, &crate::RunOptions::default(), &LIBRARY)
    }

    fn last_stderr_line(t: &Trace) -> &str {
        let line = t.output.iter().rev().find(|l| l.stream == Stream::Stderr);
        line.map(|l| l.text.as_str()).unwrap_or("")
    }

    /// What the checker reports before a run, the run reports too.
    #[test]
    fn a_run_reports_what_the_checker_would_have() {
        let cases = [
            ("from signal import pause\npause()\n", "signal.pause"),
            ("import signal\nsignal.pause()\n", "signal.pause"),
            (
                "import multiprocessing.shared_memory\n",
                "multiprocessing.shared_memory",
            ),
            ("import subprocess\n", "subprocess"),
            ("from os import fork\nfork()\n", "os.fork"),
            ("import threading\nthreading.local()\n", "threading.local"),
        ];
        for (source, what) in cases {
            let t = run_unchecked(source);
            assert_eq!(
                last_stderr_line(&t),
                format!("NotImplementedError: `{what}` is not supported by the simulator (yet)"),
                "{source}"
            );
            assert_eq!(t.outcome.exit_code, Some(1), "{source}");
        }
    }

    #[test]
    fn unsupported_values_are_absent_at_run_time() {
        let t = run_unchecked("import signal\nprint(hasattr(signal, 'SIGCHLD'), hasattr(signal, 'pause'))\n");
        assert_eq!(t.output[0].text, "False True");
    }
}
