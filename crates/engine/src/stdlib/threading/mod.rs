//! `threading` and `queue`: thread objects, synchronization primitives and
//! their waits. (`concurrent.futures` is written in Python on top of these,
//! see [`crate::stdlib::PRELUDE`].)
//!
//! - [`thread`]: `Thread`, `Timer`, the module's functions, `excepthook`;
//! - [`sync`]: `Event`, `Lock`, `RLock`, `Condition`, `Semaphore`, `Barrier`;
//! - [`queue`]: `queue.Queue` and its kinds;
//! - [`waits`]: what a blocked thread waits for, and who wakes it.
//!
//! A blocked thread waits on an object with an [`ObjWait`]; whenever an
//! object changes, [`notify`] offers it to its waiters in the order they
//! blocked, and [`try_acquire`] decides whether each one can proceed.

pub mod queue;
pub mod sync;
pub mod thread;
pub mod waits;

use std::collections::VecDeque;

use super::args::seconds_of;
use super::{Attr, Module};
use crate::trace::*;
use crate::types::{self, native, native_class};
use crate::vm::value::*;
use crate::vm::*;

pub use thread::*;
pub use waits::{describe_wait, on_timeout};

pub static MODULE: Module = Module {
    name: "threading",
    attrs: &[
        ("Thread", Attr::Class("Thread")),
        ("Timer", Attr::Class("Timer")),
        ("Event", Attr::Class("Event")),
        ("Lock", Attr::Class("lock")),
        ("RLock", Attr::Class("RLock")),
        ("Condition", Attr::Class("Condition")),
        ("Semaphore", Attr::Class("Semaphore")),
        ("BoundedSemaphore", Attr::Class("BoundedSemaphore")),
        ("Barrier", Attr::Class("Barrier")),
        ("BrokenBarrierError", Attr::Exc(Exc::BrokenBarrierError)),
        (
            "current_thread",
            Attr::Fn(native!("threading.current_thread", current_thread)),
        ),
        (
            "currentThread",
            Attr::Fn(native!("threading.currentThread", current_thread)),
        ),
        ("main_thread", Attr::Fn(native!("threading.main_thread", main_thread))),
        ("enumerate", Attr::Fn(native!("threading.enumerate", enumerate_threads))),
        (
            "active_count",
            Attr::Fn(native!("threading.active_count", active_count)),
        ),
        ("activeCount", Attr::Fn(native!("threading.activeCount", active_count))),
        ("get_ident", Attr::Fn(native!("threading.get_ident", get_ident))),
        (
            "get_native_id",
            Attr::Fn(native!("threading.get_native_id", get_native_id)),
        ),
        ("TIMEOUT_MAX", Attr::Float(9223372036.0)),
        (
            "excepthook",
            Attr::Fn(native!("threading.excepthook", default_excepthook)),
        ),
        (
            "__excepthook__",
            Attr::Fn(native!("threading.__excepthook__", default_excepthook)),
        ),
        // CPython has these; the simulator does not (yet).
        ("settrace", Attr::Unsupported),
        ("setprofile", Attr::Unsupported),
        ("settrace_all_threads", Attr::Unsupported),
        ("setprofile_all_threads", Attr::Unsupported),
        ("gettrace", Attr::Unsupported),
        ("getprofile", Attr::Unsupported),
        ("stack_size", Attr::Unsupported),
        ("local", Attr::Unsupported),
    ],
    make: None,
};

/// The classes of `threading` and `queue` (and a few the library's Python
/// part builds on), in the order every process creates them.
pub fn create_classes(heap: &mut Heap, c: &mut Classes) {
    let thread = native_class(heap, c, "Thread", None, thread::THREAD_METHODS);
    c.by_name.push(("Thread", thread));
    c.by_name.push((
        "Timer",
        native_class(heap, c, "Timer", Some("Thread"), thread::TIMER_METHODS),
    ));
    let simple: &[(&'static str, &[&'static NativeDef])] = &[
        ("Event", sync::EVENT_METHODS),
        ("lock", sync::LOCK_METHODS),
        ("RLock", sync::RLOCK_METHODS),
        ("Condition", sync::CONDITION_METHODS),
        ("Semaphore", sync::SEMAPHORE_METHODS),
        ("Barrier", sync::BARRIER_METHODS),
        ("Queue", queue::QUEUE_METHODS),
        ("Logger", &[]),
        ("super", &[]),
        ("property", &[]),
        ("staticmethod", &[]),
        ("classmethod", &[]),
        ("_Stream", &[]),
    ];
    for (name, methods) in simple {
        let id = native_class(heap, c, name, None, methods);
        c.by_name.push((name, id));
    }
    c.by_name.push((
        "BoundedSemaphore",
        native_class(heap, c, "BoundedSemaphore", Some("Semaphore"), &[]),
    ));
    c.by_name
        .push(("LifoQueue", native_class(heap, c, "LifoQueue", Some("Queue"), &[])));
    c.by_name.push((
        "PriorityQueue",
        native_class(heap, c, "PriorityQueue", Some("Queue"), &[]),
    ));
    c.by_name
        .push(("SimpleQueue", native_class(heap, c, "SimpleQueue", Some("Queue"), &[])));
}

fn ret(v: Value) -> NResult {
    Ok(Flow::Return(v))
}

fn self_id(a: &Args) -> Result<ObjId, Raise> {
    match a.pos.first() {
        Some(Value::Obj(id)) => Ok(*id),
        _ => Err(Raise::new(Exc::TypeError, "descriptor requires an object")),
    }
}

fn prim(w: &mut World, t: Tid, id: ObjId) -> Option<&mut Prim> {
    match w.heap(t).get_mut(id) {
        Obj::Instance {
            native: Native::Prim(p),
            ..
        } => Some(p),
        _ => None,
    }
}

fn thread_obj(w: &mut World, t: Tid, id: ObjId) -> Option<&mut ThreadObj> {
    match w.heap(t).get_mut(id) {
        Obj::Instance {
            native: Native::Thread(th),
            ..
        } => Some(th),
        _ => None,
    }
}

/// Virtual nanoseconds of a timeout in seconds (negative → 0).
pub fn ns(s: f64) -> Nanos {
    if s <= 0.0 || s.is_nan() {
        0
    } else {
        (s * 1e9).min(1e18) as Nanos
    }
}

fn timeout_arg(w: &mut World, t: Tid, v: Option<Value>) -> Result<Option<f64>, Raise> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v) => seconds_of(w, t, &v).map(Some),
    }
}

// ---------------------------------------------------------------------------------------------
// Construction

/// Builds instances of builtin classes whose state is native.
pub fn construct(w: &mut World, t: Tid, cls: ObjId, args: &Args) -> Result<Option<Flow>, Raise> {
    // Find the first builtin class in the MRO.
    let mro = match w.heap(t).get(cls) {
        Obj::Class(c) => c.mro.clone(),
        _ => return Ok(None),
    };
    let mut builtin = None;
    for c in &mro {
        if let Obj::Class(k) = w.heap(t).get(*c) {
            if let Some(b) = k.builtin {
                builtin = Some(b);
                break;
            }
        }
    }
    let user_class = matches!(w.heap(t).get(cls), Obj::Class(c) if c.builtin.is_none());
    let mut a = args.clone();
    let p = match builtin {
        Some("Event") => Prim::Event { flag: false },
        Some("lock") => Prim::Lock {
            owner: None,
            count: 0,
            reentrant: false,
        },
        Some("RLock") => Prim::Lock {
            owner: None,
            count: 0,
            reentrant: true,
        },
        Some("Condition") => {
            let lock = match a.arg(0, "lock") {
                Some(Value::Obj(l)) => l,
                _ => {
                    let lc = w.proc(w.pid_of(t)).classes.get("RLock");
                    w.alloc(
                        t,
                        Obj::Instance {
                            class: lc,
                            dict: Dict::default(),
                            native: Native::Prim(Box::new(Prim::Lock {
                                owner: None,
                                count: 0,
                                reentrant: true,
                            })),
                        },
                    )?
                }
            };
            Prim::Cond { lock }
        }
        Some("Semaphore") | Some("BoundedSemaphore") => {
            let v = match a.arg(0, "value") {
                Some(v) => types::int_of(&v)
                    .ok_or_else(|| Raise::new(Exc::TypeError, "semaphore initial value must be an integer"))?,
                None => 1,
            };
            if v < 0 {
                return Err(Raise::new(Exc::ValueError, "semaphore initial value must be >= 0"));
            }
            let bounded = mro
                .iter()
                .any(|c| matches!(w.heap(t).get(*c), Obj::Class(k) if k.builtin == Some("BoundedSemaphore")));
            Prim::Sem {
                value: v,
                bound: if bounded { Some(v) } else { None },
            }
        }
        Some("Barrier") => {
            let parties = a.arg(0, "parties").and_then(|v| types::int_of(&v)).unwrap_or(0);
            if parties < 1 {
                return Err(Raise::new(Exc::ValueError, "parties must be >= 1"));
            }
            let action = a.arg(1, "action").filter(|v| !v.is_none());
            let timeout = timeout_arg(w, t, a.arg(2, "timeout"))?;
            Prim::Barrier {
                parties,
                count: 0,
                generation: 0,
                broken: false,
                timeout,
                action,
            }
        }
        Some("Queue") | Some("LifoQueue") | Some("PriorityQueue") | Some("SimpleQueue") => {
            let kind = match builtin {
                Some("LifoQueue") => QueueKind::Lifo,
                Some("PriorityQueue") => QueueKind::Priority,
                _ => QueueKind::Fifo,
            };
            let maxsize = a.arg(0, "maxsize").and_then(|v| types::int_of(&v)).unwrap_or(0);
            Prim::Queue {
                items: VecDeque::new(),
                maxsize,
                unfinished: 0,
                kind,
            }
        }
        Some("Thread") | Some("Timer") => {
            // Instance first; `__init__` (native or the subclass's) fills the thread state.
            let inst = w.alloc(
                t,
                Obj::Instance {
                    class: cls,
                    dict: Dict::default(),
                    native: Native::None,
                },
            )?;
            let init = w.class_lookup(t, cls, "__init__").expect("Thread.__init__");
            let mut call_args = args.clone();
            call_args.pos.insert(0, Value::Obj(inst));
            return Ok(Some(match init {
                Value::Native(d) => {
                    w.note_native(d.name);
                    (d.f)(w, t, call_args)?;
                    Flow::Return(Value::Obj(inst))
                }
                f => {
                    // A Python __init__: run it now (it rarely blocks), then return the instance.
                    w.call_sync(t, f, call_args)?;
                    Flow::Return(Value::Obj(inst))
                }
            }));
        }
        _ => return Ok(None),
    };
    let inst = w.alloc(
        t,
        Obj::Instance {
            class: cls,
            dict: Dict::default(),
            native: Native::Prim(Box::new(p)),
        },
    )?;
    if user_class {
        // A subclass of a primitive: native state plus the user's __init__.
        if let Some(init @ Value::Obj(_)) = w.class_lookup(t, cls, "__init__") {
            let mut ca = args.clone();
            ca.pos.insert(0, Value::Obj(inst));
            w.call_sync(t, init, ca)?;
        }
    }
    Ok(Some(Flow::Return(Value::Obj(inst))))
}

/// Attribute reads served by an instance's native payload other than a
/// primitive's (the interpreter asks [`sync::prim_getattr`] for those) or a
/// process's: a thread's (see [`THREAD_ATTRS`]) and an exception's.
pub fn native_getattr(w: &mut World, t: Tid, id: ObjId, native: Native, name: &str) -> Result<Option<Value>, Raise> {
    match native {
        Native::Thread(th) => Ok(thread_getattr(w, &th, name)),
        Native::Exception { .. } => exception_getattr(w, t, id, name),
        Native::None | Native::Prim(_) | Native::Process(_) | Native::Shared(_) => Ok(None),
    }
}

/// `__traceback__`, `__context__`, `__cause__` and `SystemExit.code`: of an
/// exception's payload only the kind matters.
fn exception_getattr(w: &mut World, t: Tid, id: ObjId, name: &str) -> Result<Option<Value>, Raise> {
    Ok(match name {
        "__traceback__" => Some(Value::None),
        "__context__" => match w.heap(t).get(id) {
            Obj::Instance {
                native: Native::Exception { context, .. },
                ..
            } => Some(context.map(Value::Obj).unwrap_or(Value::None)),
            _ => None,
        },
        "__cause__" => match w.heap(t).get(id) {
            Obj::Instance { dict, .. } => Some(dict.get_str("__cause__").cloned().unwrap_or(Value::None)),
            _ => None,
        },
        "code" if types::exc_is(w, t, &Value::Obj(id), Exc::SystemExit) => {
            let args = match w.heap(t).get(id) {
                Obj::Instance { dict, .. } => dict.get_str("args").cloned(),
                _ => None,
            };
            Some(match args {
                Some(Value::Tuple(a)) if a.len() == 1 => a[0].clone(),
                Some(Value::Tuple(a)) if a.is_empty() => Value::None,
                Some(v) => v,
                None => Value::None,
            })
        }
        _ => None,
    })
}

pub fn native_repr(w: &mut World, t: Tid, _id: ObjId, native: &Native) -> Option<String> {
    match native {
        Native::Process(p) => Some(crate::stdlib::multiprocessing::process_repr(w, p)),
        Native::Thread(th) => {
            let state = match th.tid {
                None => "initial".to_string(),
                Some(x) if w.threads[x].alive => "started".to_string(),
                Some(_) => "stopped".to_string(),
            };
            let ident = th
                .tid
                .filter(|_| th.started)
                .map(|x| format!(" {}", w.threads[x].ident))
                .unwrap_or_default();
            let daemon = if th.daemon { " daemon" } else { "" };
            Some(format!("<Thread({}, {state}{daemon}{ident})>", th.name))
        }
        Native::Prim(p) => Some(match &**p {
            Prim::Event { flag } => format!(
                "<threading.Event at {}: {}>",
                types::addr(w, _id),
                if *flag { "set" } else { "unset" }
            ),
            Prim::Lock {
                owner,
                count,
                reentrant: false,
            } => {
                let _ = (owner, count);
                format!(
                    "<{} _thread.lock object at {}>",
                    if owner.is_some() { "locked" } else { "unlocked" },
                    types::addr(w, _id)
                )
            }
            Prim::Lock { owner, count, .. } => format!(
                "<{} _thread.RLock object owner={} count={} at {}>",
                if owner.is_some() { "locked" } else { "unlocked" },
                owner.map(|o| w.threads[o].ident).unwrap_or(0),
                count,
                types::addr(w, _id)
            ),
            Prim::Queue { .. } => format!("<queue.Queue object at {}>", types::addr(w, _id)),
            _ => {
                let _ = t;
                return None;
            }
        }),
        _ => None,
    }
}

pub fn native_len(w: &mut World, t: Tid, id: ObjId) -> Option<i64> {
    match prim(w, t, id) {
        Some(Prim::Queue { items, .. }) => Some(items.len() as i64),
        _ => None,
    }
}

/// Iteration over native instances (none are iterable but via `__iter__`).
pub fn iterate_native(w: &mut World, t: Tid, id: ObjId) -> Result<Option<Vec<Value>>, Raise> {
    let cls = match w.heap(t).get(id) {
        Obj::Instance { class, .. } => *class,
        _ => return Ok(None),
    };
    if let Some(f) = w.class_lookup(t, cls, "__iter__") {
        let it = w.call_sync(t, f, Args::new(vec![Value::Obj(id)]))?;
        if let Value::Obj(iid) = &it {
            if matches!(w.heap(t).get(*iid), Obj::Iter(_) | Obj::List(_)) {
                return types::collect_iter(w, t, &it).map(Some);
            }
        }
        // An iterator object with __next__: drain it synchronously.
        let next = w.getattr(t, &it, "__next__")?;
        let mut out = Vec::new();
        loop {
            match w.call_sync(t, next.clone(), Args::default()) {
                Ok(v) => out.push(v),
                Err(Raise::New(Exc::StopIteration, _)) => break,
                Err(Raise::Obj(e)) if types::exc_is(w, t, &e, Exc::StopIteration) => break,
                Err(e) => {
                    let ex = w.make_exc(t, e)?;
                    if types::exc_is(w, t, &ex, Exc::StopIteration) {
                        break;
                    }
                    return Err(Raise::Obj(ex));
                }
            }
            if out.len() > 10_000_000 {
                return Err(Raise::new(Exc::MemoryError, ""));
            }
        }
        return Ok(Some(out));
    }
    Ok(None)
}
