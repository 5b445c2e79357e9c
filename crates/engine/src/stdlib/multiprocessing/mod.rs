//! `multiprocessing`: processes, objects shared between them, and `Pool`.
//!
//! A process is a [`Proc`] with its own heap, GIL and clock. Under `fork` the
//! child starts from a copy of the parent's heap (only the calling thread
//! exists in it); under `spawn`/`forkserver` it starts from a fresh interpreter
//! that re-runs the script as `__mp_main__`. Objects shared between processes
//! (`multiprocessing.Event`, `Lock`, `Queue`) live in [`World::shared`]; values
//! crossing a process boundary are copied as pickle would copy them
//! ([`Portable`]).
//!
//!
//! - [`process`]: `Process` objects, `start()` (`fork`, `spawn`), `join()`, ...;
//! - [`lifecycle`]: a child's bootstrap, and how a process ends;
//! - [`shared`]: shared `Event`, `Lock`, `Queue`, `Value`;
//! - [`portable`]: the pickle-like copy of values between heaps;
//! - [`pool`]: `multiprocessing.Pool` (written in Python, in the prelude).
//!
//! Signals between processes are the [`signal`](crate::stdlib::signal) module's.

pub mod forkserver;
pub mod lifecycle;
pub mod pool;
pub mod portable;
pub mod process;
pub mod shared;

use crate::stdlib::{from_table, Attr, Module};
use crate::types::{self, native, native_class};
use crate::vm::value::*;
use crate::vm::*;

pub use lifecycle::{end_process, on_exit};
pub use process::{process_getattr, process_repr, process_setattr};
pub use shared::{describe_shared, shared_getattr, shared_setattr, unflushed_queue};

/// A spawned child: a new interpreter starts and imports the main module (measured ~160 ms).
pub const SPAWN_NS: u64 = 160_000_000;
/// The first `multiprocessing.Queue()` imports the queue machinery (measured 35-50 ms).
pub const QUEUE_IMPORT_NS: u64 = 40_000_000;
/// `import multiprocessing`.
pub const MP_IMPORT_NS: u64 = 10_000_000;

/// Bytes a pipe holds on Linux: a child cannot exit while its queued data does not fit.
pub const PIPE_CAPACITY: usize = 65_536;

fn ret(v: Value) -> NResult {
    Ok(Flow::Return(v))
}

/// `Process` and the classes of shared objects.
pub fn create_classes(heap: &mut Heap, c: &mut Classes) {
    let p = native_class(heap, c, "Process", None, process::PROCESS_METHODS);
    c.by_name.push(("Process", p));
    let shared: &[(&'static str, &[&'static NativeDef])] = &[
        ("mp.Event", shared::EVENT_METHODS),
        ("mp.Lock", shared::LOCK_METHODS),
        ("mp.Queue", shared::QUEUE_METHODS),
        ("mp.Value", &[]),
    ];
    for (name, methods) in shared {
        let id = native_class(heap, c, name, None, methods);
        c.by_name.push((name, id));
    }
}

pub static MODULE: Module = Module {
    name: "multiprocessing",
    attrs: &[
        ("Process", Attr::Class("Process")),
        (
            "current_process",
            Attr::Fn(native!("multiprocessing.current_process", current_process)),
        ),
        (
            "parent_process",
            Attr::Fn(native!("multiprocessing.parent_process", parent_process)),
        ),
        (
            "active_children",
            Attr::Fn(native!("multiprocessing.active_children", active_children)),
        ),
        (
            "get_start_method",
            Attr::Fn(native!("multiprocessing.get_start_method", get_start_method)),
        ),
        (
            "set_start_method",
            Attr::Fn(native!("multiprocessing.set_start_method", set_start_method)),
        ),
        (
            "get_all_start_methods",
            Attr::Fn(native!("multiprocessing.get_all_start_methods", get_all_start_methods)),
        ),
        (
            "get_context",
            Attr::Fn(native!("multiprocessing.get_context", get_context)),
        ),
        ("cpu_count", Attr::Fn(native!("multiprocessing.cpu_count", cpu_count))),
        ("Event", Attr::Fn(native!("multiprocessing.Event", shared::new_event))),
        ("Lock", Attr::Fn(native!("multiprocessing.Lock", shared::new_lock))),
        ("RLock", Attr::Fn(native!("multiprocessing.RLock", shared::new_rlock))),
        ("Queue", Attr::Fn(native!("multiprocessing.Queue", shared::new_queue))),
        (
            "SimpleQueue",
            Attr::Fn(native!("multiprocessing.SimpleQueue", shared::new_queue)),
        ),
        (
            "JoinableQueue",
            Attr::Fn(native!("multiprocessing.JoinableQueue", shared::new_queue)),
        ),
        ("Value", Attr::Fn(native!("multiprocessing.Value", shared::new_value))),
        (
            "freeze_support",
            Attr::Fn(native!("multiprocessing.freeze_support", shared::sh_noop)),
        ),
        ("Pool", Attr::Fn(native!("multiprocessing.Pool", pool::mp_pool))),
        ("TimeoutError", Attr::Exc(Exc::MpTimeoutError)),
        // CPython has these; the simulator does not (yet).
        ("Manager", Attr::Unsupported),
        ("Pipe", Attr::Unsupported),
        ("Array", Attr::Unsupported),
        ("RawArray", Attr::Unsupported),
        ("RawValue", Attr::Unsupported),
        ("Semaphore", Attr::Unsupported),
        ("BoundedSemaphore", Attr::Unsupported),
        ("Condition", Attr::Unsupported),
        ("Barrier", Attr::Unsupported),
        ("get_logger", Attr::Unsupported),
        ("log_to_stderr", Attr::Unsupported),
        ("set_executable", Attr::Unsupported),
        ("set_forkserver_preload", Attr::Unsupported),
        ("allow_connection_pickling", Attr::Unsupported),
        ("AuthenticationError", Attr::Unsupported),
        ("BufferTooShort", Attr::Unsupported),
        ("ProcessError", Attr::Unsupported),
    ],
    // Importing `multiprocessing` takes time of its own.
    make: Some(|w, t, def| {
        w.now += MP_IMPORT_NS;
        from_table(w, t, def)
    }),
};

// ---------------------------------------------------------------------------------------------
// Module functions

fn current_process(w: &mut World, t: Tid, _a: Args) -> NResult {
    let pid = w.pid_of(t);
    if let Some(o) = w.proc(pid).mp.process_obj {
        return ret(Value::Obj(o));
    }
    let obj = ProcObj {
        target: Value::None,
        args: Value::tuple(vec![]),
        kwargs: Value::None,
        name: "MainProcess".into(),
        daemon: false,
        pid: Some(pid),
        closed: false,
        identity: vec![],
    };
    this_process(w, t, obj)
}

/// Makes `obj` the `Process` object of the running process (what
/// `current_process()` returns).
pub(super) fn this_process(w: &mut World, t: Tid, obj: ProcObj) -> NResult {
    let pid = w.pid_of(t);
    let cls = w.proc(pid).classes.get("Process");
    let id = w.alloc(
        t,
        Obj::Instance {
            class: cls,
            dict: Dict::default(),
            native: Native::Process(Box::new(obj)),
        },
    )?;
    w.proc_mut(pid).mp.process_obj = Some(id);
    ret(Value::Obj(id))
}

fn parent_process(w: &mut World, t: Tid, _a: Args) -> NResult {
    let pid = w.pid_of(t);
    if !w.proc(pid).mp.is_child {
        return ret(Value::None);
    }
    let mut ppid = w.proc(pid).ppid;
    // A child of a fork server: its parent is the process that asked for it.
    if ppid >= 1000 {
        if let Some(s) = &w.proc(ppid).mp.service {
            ppid = s.owner;
        }
    }
    let name = if ppid == 1000 {
        "MainProcess".to_string()
    } else {
        w.proc(ppid).name.clone()
    };
    let cls = w.proc(pid).classes.get("Process");
    let obj = ProcObj {
        target: Value::None,
        args: Value::tuple(vec![]),
        kwargs: Value::None,
        name,
        daemon: false,
        pid: Some(ppid),
        closed: false,
        identity: vec![],
    };
    ret(Value::Obj(w.alloc(
        t,
        Obj::Instance {
            class: cls,
            dict: Dict::default(),
            native: Native::Process(Box::new(obj)),
        },
    )?))
}

/// Live children's Process objects (reaping the finished ones, as CPython does).
pub fn active_children(w: &mut World, t: Tid, _a: Args) -> NResult {
    let pid = w.pid_of(t);
    let children = w.proc(pid).mp.children.clone();
    let mut out = Vec::new();
    // The Process objects live in this heap: find them by pid.
    let heap_len = w.proc(pid).heap.objs.len();
    for c in children {
        if process::reap(w, c).is_some() {
            continue;
        }
        for i in 0..heap_len {
            if let Obj::Instance {
                native: Native::Process(p),
                ..
            } = &w.proc(pid).heap.objs[i]
            {
                if p.pid == Some(c) {
                    out.push(Value::Obj(ObjId(i as u32)));
                    break;
                }
            }
        }
    }
    ret(Value::Obj(w.alloc(t, Obj::List(out))?))
}

fn get_start_method(w: &mut World, t: Tid, _a: Args) -> NResult {
    let pid = w.pid_of(t);
    ret(Value::str(start_method(w, pid)))
}

/// The start method process `pid` uses: the one it set, else the version's default.
pub fn start_method(w: &World, pid: crate::trace::Pid) -> &'static str {
    w.proc(pid)
        .mp
        .start_method
        .unwrap_or(crate::vm::versions::facts(w.opts.python).default_start_method)
}

fn method_of(s: &str) -> Option<&'static str> {
    match s {
        "fork" => Some("fork"),
        "spawn" => Some("spawn"),
        "forkserver" => Some("forkserver"),
        _ => None,
    }
}

fn set_start_method(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let force = match a.take_kw("force") {
        Some(v) => types::truthy(w, t, &v)?,
        None => false,
    };
    let m = match a.pos.first() {
        Some(Value::Str(s)) => method_of(s).ok_or_else(|| {
            Raise::New(
                Exc::ValueError,
                format!("cannot find context for {}", types::repr_str(s)),
            )
        })?,
        Some(Value::None) => crate::vm::versions::facts(w.opts.python).default_start_method,
        _ => return Err(Raise::new(Exc::TypeError, "method must be a string")),
    };
    let pid = w.pid_of(t);
    if w.proc(pid).mp.start_method.is_some() && !force {
        return Err(Raise::new(Exc::RuntimeError, "context has already been set"));
    }
    w.proc_mut(pid).mp.start_method = Some(m);
    ret(Value::None)
}

fn get_all_start_methods(w: &mut World, t: Tid, _a: Args) -> NResult {
    let methods = crate::vm::versions::facts(w.opts.python).start_methods;
    let v = methods.iter().map(|m| Value::str(*m)).collect();
    ret(Value::Obj(w.alloc(t, Obj::List(v))?))
}

/// `get_context(method)`: the module itself with that start method (the simulator has one context per process).
fn get_context(w: &mut World, t: Tid, a: Args) -> NResult {
    if let Some(Value::Str(s)) = a.pos.first() {
        let m = method_of(s).ok_or_else(|| {
            Raise::New(
                Exc::ValueError,
                format!("cannot find context for {}", types::repr_str(s)),
            )
        })?;
        let pid = w.pid_of(t);
        w.proc_mut(pid).mp.start_method = Some(m);
    }
    crate::stdlib::import(w, t, "multiprocessing").map(Flow::Return)
}

fn cpu_count(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    ret(Value::Int(2))
}
