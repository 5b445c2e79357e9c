//! `concurrent` and `concurrent.futures`: written in Python (the prelude,
//! [`PRELUDE`](super::PRELUDE)) on top of the native primitives, so their
//! waits are ordinary waits of the threads that make them. The prelude also
//! holds `multiprocessing.Pool` and a child process's bootstrap; [`helper`]
//! reaches its functions.

use std::rc::Rc;

use super::args::{body_function, ret};
use super::multiprocessing::{lifecycle, shared};
use super::os::os_cpu_count;
use super::sys::stream_obj;
use super::threading::register_thread_atexit;
use super::time::time_monotonic;
use super::{import, Attr, Module};
use crate::types::{self, native};
use crate::vm::value::*;
use crate::vm::*;

pub static MODULE: Module = Module {
    name: "concurrent",
    attrs: &[("futures", Attr::Make(|w, t| import(w, t, "concurrent.futures")))],
    make: None,
};

/// The prelude, run once per process.
pub static FUTURES: Module = Module {
    name: "concurrent.futures",
    attrs: &[],
    make: Some(|w, t, _| prelude_module(w, t)),
};

pub static PROCESS: Module = Module {
    name: "concurrent.futures.process",
    attrs: &[
        (
            "ProcessPoolExecutor",
            Attr::Make(|w, t| helper(w, t, "ProcessPoolExecutor")),
        ),
        (
            "BrokenProcessPool",
            Attr::Make(|w, t| helper(w, t, "BrokenProcessPool")),
        ),
    ],
    make: Some(futures_process),
};

/// `concurrent.futures.process`, which also becomes an attribute of `concurrent.futures`.
fn futures_process(w: &mut World, t: Tid, def: &'static Module) -> Result<Value, Raise> {
    let m = super::from_table(w, t, def)?;
    let futures = import(w, t, "concurrent.futures")?;
    w.setattr(t, &futures, "process", m.clone())?;
    Ok(m)
}

/// Runs the Python prelude once per process and returns it as `concurrent.futures`.
fn prelude_module(w: &mut World, t: Tid) -> Result<Value, Raise> {
    let Some(code) = w.program.prelude else {
        return Err(Raise::new(
            Exc::ModuleNotFoundError,
            "No module named 'concurrent.futures'",
        ));
    };
    let mut d = Dict::default();
    d.set_str("__name__", Value::str("concurrent.futures"));
    let classes = w.proc(w.pid_of(t)).classes.clone();
    d.set_str("_CancelledError", Value::Obj(classes.exc(Exc::CancelledError)));
    d.set_str("_TimeoutError", Value::Obj(classes.exc(Exc::TimeoutError)));
    d.set_str("_InvalidStateError", Value::Obj(classes.exc(Exc::InvalidStateError)));
    d.set_str("_MpTimeoutError", Value::Obj(classes.exc(Exc::MpTimeoutError)));
    d.set_str("_BrokenExecutor", Value::Obj(classes.exc(Exc::BrokenExecutor)));
    d.set_str("_BrokenProcessPool", Value::Obj(classes.exc(Exc::BrokenProcessPool)));
    d.set_str("_RemoteTraceback", Value::Obj(classes.exc(Exc::RemoteTraceback)));
    d.set_str(
        "_broken_pool_names_worker",
        Value::Bool(crate::vm::versions::facts(w.opts.python).broken_pool_names_worker),
    );
    d.set_str(
        "_get_or_exit",
        Value::Native(native!("_get_or_exit", shared::get_or_exit)),
    );
    d.set_str("_now", Value::Native(native!("_now", time_monotonic)));
    d.set_str("_addr", Value::Native(native!("_addr", prelude_addr)));
    d.set_str("_cpu_count", Value::Native(native!("_cpu_count", os_cpu_count)));
    d.set_str(
        "_register_atexit",
        Value::Native(native!("_register_atexit", register_thread_atexit)),
    );
    d.set_str(
        "_child_exit",
        Value::Native(native!("_child_exit", lifecycle::child_exit)),
    );
    d.set_str(
        "_report_process_error",
        Value::Native(native!("_report_process_error", lifecycle::report_process_error)),
    );
    d.set_str(
        "_system_exit_code",
        Value::Native(native!("_system_exit_code", lifecycle::system_exit_code_native)),
    );
    d.set_str(
        "_terminate_quietly",
        Value::Native(native!("_terminate_quietly", lifecycle::terminate_quietly)),
    );
    d.set_str(
        "_active_children",
        Value::Native(native!("_active_children", super::multiprocessing::active_children)),
    );
    d.set_str(
        "_run_main_module",
        Value::Native(native!("_run_main_module", lifecycle::run_main_module)),
    );
    d.set_str("_require", Value::Native(native!("_require", require_version)));
    d.set_str(
        "_forkserver_import_failed",
        Value::Native(native!(
            "_forkserver_import_failed",
            super::multiprocessing::forkserver::import_failed
        )),
    );
    d.set_str(
        "_forkserver_must_reimport",
        Value::Native(native!(
            "_forkserver_must_reimport",
            super::multiprocessing::forkserver::must_reimport
        )),
    );
    d.set_str(
        "_forkserver_next",
        Value::Native(native!(
            "_forkserver_next",
            super::multiprocessing::forkserver::serve_next
        )),
    );
    d.set_str(
        "_rebuild_process",
        Value::Native(native!("_rebuild_process", lifecycle::rebuild_process)),
    );
    let stderr = stream_obj(w, t, "<stderr>")?;
    d.set_str("_stderr", stderr);
    let globals = w.alloc(t, Obj::Dict(d))?;
    let m = w.alloc(
        t,
        Obj::Module {
            name: Rc::new("concurrent.futures".into()),
            dict: globals,
        },
    )?;
    let pid = w.pid_of(t);
    w.proc_mut(pid).modules.push(("concurrent.futures".into(), m));
    let body = body_function(w, t, code, globals)?;
    w.call_sync(t, body, Args::default())?;
    Ok(Value::Obj(m))
}

fn prelude_addr(w: &mut World, _t: Tid, a: Args) -> NResult {
    match a.pos.first() {
        Some(Value::Obj(id)) => ret(Value::str(types::addr(w, *id))),
        _ => ret(Value::str("0x0")),
    }
}

/// A function defined in the prelude.
/// `_require("Class.method")`: AttributeError where this version lacks it.
fn require_version(w: &mut World, _t: Tid, a: Args) -> NResult {
    if let Some(Value::Str(name)) = a.pos.first() {
        crate::vm::versions::require(w.opts.python, name).map_err(|m| Raise::New(Exc::AttributeError, m))?;
    }
    Ok(Flow::Return(Value::None))
}

pub fn helper(w: &mut World, t: Tid, name: &str) -> Result<Value, Raise> {
    let m = import(w, t, "concurrent.futures")?;
    w.getattr(t, &m, name)
}
