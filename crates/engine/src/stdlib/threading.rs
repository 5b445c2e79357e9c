//! `threading` and `queue`: thread objects, synchronization primitives and
//! their waits. (`concurrent.futures` is written in Python on top of these,
//! see `crate::stdlib::FUTURES_SOURCE`.)
//!
//! A blocked thread waits on an object with an [`ObjWait`]; whenever an
//! object changes, [`notify`] offers it to its waiters in the order they
//! blocked, and [`try_acquire`] decides whether each one can proceed.

use std::collections::VecDeque;
use std::rc::Rc;

use crate::trace::*;
use crate::types::{self, class_name, native, native_class};
use crate::vm::value::*;
use crate::vm::*;

pub fn create_classes(heap: &mut Heap, c: &mut Classes) {
    let thread = native_class(
        heap,
        c,
        "Thread",
        None,
        &[
            native!("Thread.__init__", thread_init),
            native!("Thread.start", thread_start),
            native!("Thread.run", thread_run),
            native!("Thread.join", thread_join),
            native!("Thread.is_alive", thread_is_alive),
            native!("Thread.getName", thread_get_name),
            native!("Thread.setName", thread_set_name),
            native!("Thread.isDaemon", thread_is_daemon),
            native!("Thread.setDaemon", thread_set_daemon),
        ],
    );
    c.by_name.push(("Thread", thread));
    c.by_name.push((
        "Timer",
        native_class(
            heap,
            c,
            "Timer",
            Some("Thread"),
            &[
                native!("Timer.__init__", timer_init),
                native!("Timer.cancel", timer_cancel),
            ],
        ),
    ));
    let simple: &[(&'static str, &[&'static NativeDef])] = &[
        (
            "Event",
            &[
                native!("Event.set", event_set),
                native!("Event.clear", event_clear),
                native!("Event.is_set", event_is_set),
                native!("Event.isSet", event_is_set),
                native!("Event.wait", event_wait),
            ],
        ),
        (
            "lock",
            &[
                native!("lock.acquire", lock_acquire),
                native!("lock.release", lock_release),
                native!("lock.locked", lock_locked),
                native!("lock.__enter__", lock_acquire),
                native!("lock.__exit__", lock_exit),
            ],
        ),
        (
            "RLock",
            &[
                native!("RLock.acquire", lock_acquire),
                native!("RLock.release", lock_release),
                native!("RLock.__enter__", lock_acquire),
                native!("RLock.__exit__", lock_exit),
            ],
        ),
        (
            "Condition",
            &[
                native!("Condition.acquire", cond_acquire),
                native!("Condition.release", cond_release),
                native!("Condition.__enter__", cond_acquire),
                native!("Condition.__exit__", cond_exit),
                native!("Condition.wait", cond_wait),
                native!("Condition.wait_for", cond_wait_for),
                native!("Condition.notify", cond_notify),
                native!("Condition.notify_all", cond_notify_all),
            ],
        ),
        (
            "Semaphore",
            &[
                native!("Semaphore.acquire", sem_acquire),
                native!("Semaphore.release", sem_release),
                native!("Semaphore.__enter__", sem_acquire),
                native!("Semaphore.__exit__", sem_exit),
            ],
        ),
        (
            "Barrier",
            &[
                native!("Barrier.wait", barrier_wait),
                native!("Barrier.reset", barrier_reset),
                native!("Barrier.abort", barrier_abort),
            ],
        ),
        (
            "Queue",
            &[
                native!("Queue.put", queue_put),
                native!("Queue.get", queue_get),
                native!("Queue.put_nowait", queue_put_nowait),
                native!("Queue.get_nowait", queue_get_nowait),
                native!("Queue.qsize", queue_qsize),
                native!("Queue.empty", queue_empty),
                native!("Queue.full", queue_full),
                native!("Queue.task_done", queue_task_done),
                native!("Queue.join", queue_join),
            ],
        ),
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
        _ => Err(Raise::new("TypeError", "descriptor requires an object")),
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

fn secs(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::Bool(b) => Some(*b as i64 as f64),
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
        Some(v) => match secs(&v) {
            Some(s) => Ok(Some(s)),
            None => {
                let tn = types::type_name(w, t, &v);
                Err(Raise::New(
                    "TypeError",
                    format!("'{tn}' object cannot be interpreted as an integer or float"),
                ))
            }
        },
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
                Some(v) => builtins_int(&v)
                    .ok_or_else(|| Raise::new("TypeError", "semaphore initial value must be an integer"))?,
                None => 1,
            };
            if v < 0 {
                return Err(Raise::new("ValueError", "semaphore initial value must be >= 0"));
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
            let parties = a.arg(0, "parties").and_then(|v| builtins_int(&v)).unwrap_or(0);
            if parties < 1 {
                return Err(Raise::new("ValueError", "parties must be >= 1"));
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
            let maxsize = a.arg(0, "maxsize").and_then(|v| builtins_int(&v)).unwrap_or(0);
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
    if user_class {
        // A subclass of a primitive: native state plus the user's __init__.
        let inst = w.alloc(
            t,
            Obj::Instance {
                class: cls,
                dict: Dict::default(),
                native: Native::Prim(Box::new(p)),
            },
        )?;
        if let Some(init @ Value::Obj(_)) = w.class_lookup(t, cls, "__init__") {
            let mut ca = args.clone();
            ca.pos.insert(0, Value::Obj(inst));
            w.call_sync(t, init, ca)?;
        }
        return Ok(Some(Flow::Return(Value::Obj(inst))));
    }
    let inst = w.alloc(
        t,
        Obj::Instance {
            class: cls,
            dict: Dict::default(),
            native: Native::Prim(Box::new(p)),
        },
    )?;
    Ok(Some(Flow::Return(Value::Obj(inst))))
}

fn builtins_int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Thread

fn thread_init(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let group = a.arg(1, "group");
    if let Some(g) = group {
        if !g.is_none() {
            return Err(Raise::new("AssertionError", "group argument must be None for now"));
        }
    }
    let target = a.arg(2, "target").unwrap_or(Value::None);
    let name = a.arg(3, "name");
    let args = a.arg(4, "args").unwrap_or(Value::tuple(vec![]));
    let kwargs = a.arg(5, "kwargs").unwrap_or(Value::None);
    let daemon = a.take_kw("daemon");
    let pid = w.pid_of(t);
    let name = match name {
        Some(Value::Str(s)) => s.to_string(),
        Some(v) if !v.is_none() => types::str_of(w, t, &v)?,
        _ => {
            let p = w.proc_mut(pid);
            p.thread_counter += 1;
            let n = p.thread_counter;
            let heap = &w.procs[pid_index(pid)].heap;
            let fname = match &target {
                Value::Obj(f) => match heap.get(*f) {
                    Obj::Function(func) => Some(func.name.to_string()),
                    Obj::Method(_, Value::Obj(mf)) => match heap.get(*mf) {
                        Obj::Function(func) => Some(func.name.to_string()),
                        _ => None,
                    },
                    _ => None,
                },
                Value::Native(d) => Some(d.name.rsplit('.').next().unwrap_or(d.name).to_string()),
                Value::BoundNative(b) => Some(b.1.name.rsplit('.').next().unwrap_or(b.1.name).to_string()),
                _ => None,
            };
            match fname {
                Some(f) => format!("Thread-{n} ({f})"),
                None => format!("Thread-{n}"),
            }
        }
    };
    let daemon = match daemon {
        Some(Value::None) | None => w.threads[t].daemon,
        Some(v) => types::truthy(w, t, &v)?,
    };
    if let Obj::Instance { native, .. } = w.heap(t).get_mut(id) {
        *native = Native::Thread(Box::new(ThreadObj {
            target,
            args,
            kwargs,
            name,
            daemon,
            started: false,
            tid: None,
            timer: None,
            cancelled: None,
        }));
    }
    ret(Value::None)
}

fn timer_init(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let interval = a.arg(1, "interval").and_then(|v| secs(&v)).unwrap_or(0.0);
    let function = a.arg(2, "function").unwrap_or(Value::None);
    let args = a.arg(3, "args").unwrap_or(Value::None);
    let kwargs = a.arg(4, "kwargs").unwrap_or(Value::None);
    let args = if args.is_none() { Value::tuple(vec![]) } else { args };
    thread_init(
        w,
        t,
        Args {
            pos: vec![Value::Obj(id)],
            kw: vec![],
        },
    )?;
    let ev = {
        let ec = w.proc(w.pid_of(t)).classes.get("Event");
        w.alloc(
            t,
            Obj::Instance {
                class: ec,
                dict: Dict::default(),
                native: Native::Prim(Box::new(Prim::Event { flag: false })),
            },
        )?
    };
    if let Some(th) = thread_obj(w, t, id) {
        th.target = function;
        th.args = args;
        th.kwargs = kwargs;
        th.timer = Some(interval);
        th.cancelled = Some(ev);
    }
    ret(Value::None)
}

fn timer_cancel(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    let ev = thread_obj(w, t, id).and_then(|th| th.cancelled);
    if let Some(ev) = ev {
        event_set(w, t, Args::new(vec![Value::Obj(ev)]))?;
    }
    ret(Value::None)
}

fn not_initialized() -> Raise {
    Raise::new("RuntimeError", "thread.__init__() not called")
}

fn thread_start(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    let th = thread_obj(w, t, id).ok_or_else(not_initialized)?;
    if th.started {
        return Err(Raise::new("RuntimeError", "threads can only be started once"));
    }
    th.started = true;
    let (name, daemon) = (th.name.clone(), th.daemon);
    let new = w.create_thread(t, name, daemon, id)?;
    if let Some(th) = thread_obj(w, t, id) {
        th.tid = Some(new);
    }
    let run = w.getattr(t, &Value::Obj(id), "run")?;
    let nt = &mut w.threads[new];
    nt.boot = Some((run, Args::default()));
    nt.alive = true;
    nt.ident = 140_000_000_000_000 + (new as u64) * 8_392_704;
    nt.run = Run::Running;
    w.rec.threads[new].start_ns = Some(w.now);
    let line = w.current_line(t);
    w.event(EventKind::Start {
        by: ThreadId(t as u32),
        thread: ThreadId(new as u32),
        line,
    });
    // The new thread takes the GIL at once and runs until it blocks (as a terminal user sees).
    if w.threads[t].sync_depth > 0 {
        // Inside a synchronous call the starter keeps the GIL; the new thread waits its turn.
        w.threads[new].run = Run::Ready;
        let pid = w.pid_of(t);
        w.proc_mut(pid).ready.push_back(new);
        w.set_state(new, ThreadState::Ready);
        return ret(Value::None);
    }
    Ok(Flow::Yield(Value::None, new))
}

/// The default `Thread.run`: calls the target (a Timer waits first).
fn thread_run(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    let th = thread_obj(w, t, id).ok_or_else(not_initialized)?.clone();
    if th.target.is_none() {
        return ret(Value::None);
    }
    if let (Some(delay), Some(ev)) = (th.timer, th.cancelled) {
        // Timer: wait for the interval unless cancelled; then call (the wait result is checked by timer_fire).
        let flag = matches!(prim(w, t, ev), Some(Prim::Event { flag: true }));
        if flag {
            return ret(Value::None);
        }
        let fire = Value::Native(native!("Timer._fire", timer_fire));
        let _ = fire;
        w.threads[t].boot = None;
        return Ok(Flow::Block(Wait {
            on: WaitOn::Obj(ev, ObjWait::EventWait),
            deadline: Some(w.now + ns(delay)),
            on_timeout: Err(Raise::Obj(Value::Obj(id))),
        }));
    }
    let args = types::collect_iter(w, t, &th.args)?;
    let mut call = Args::new(args);
    if let Value::Obj(k) = &th.kwargs {
        if let Obj::Dict(d) = w.heap(t).get(*k) {
            for (kv, vv) in d.map.values() {
                if let Value::Str(s) = kv {
                    call.kw.push((s.clone(), vv.clone()));
                }
            }
        }
    }
    Ok(Flow::Call(th.target, call))
}

fn timer_fire(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    ret(Value::None)
}

fn thread_join(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let timeout = timeout_arg(w, t, a.arg(1, "timeout"))?;
    let th = thread_obj(w, t, id).ok_or_else(not_initialized)?.clone();
    if !th.started {
        return Err(Raise::new("RuntimeError", "cannot join thread before it is started"));
    }
    let target = th.tid.expect("started thread");
    if target == t {
        return Err(Raise::new("RuntimeError", "cannot join current thread"));
    }
    w.note_item(schedule::THREAD | target as u64, false);
    let line = w.current_line(t);
    if !w.threads[target].alive {
        w.event(EventKind::Join {
            waiter: ThreadId(t as u32),
            target: ThreadId(target as u32),
            line,
            timed_out: false,
        });
        return ret(Value::None);
    }
    if let Some(s) = timeout {
        if s <= 0.0 {
            w.event(EventKind::Join {
                waiter: ThreadId(t as u32),
                target: ThreadId(target as u32),
                line,
                timed_out: true,
            });
            return ret(Value::None);
        }
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Join(target),
        deadline: timeout.map(|s| w.now + ns(s)),
        on_timeout: Ok(Value::None),
    }))
}

fn thread_is_alive(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    let th = thread_obj(w, t, id).ok_or_else(not_initialized)?.clone();
    if let Some(x) = th.tid {
        w.note_item(schedule::THREAD | x as u64, false);
    }
    ret(Value::Bool(
        th.tid
            .map(|x| w.threads[x].alive && !w.threads[x].marked_stopped)
            .unwrap_or(false),
    ))
}

fn thread_get_name(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    ret(Value::str(
        thread_obj(w, t, id).ok_or_else(not_initialized)?.name.clone(),
    ))
}

fn thread_set_name(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    let v = a.pos.get(1).cloned().unwrap_or(Value::None);
    native_setattr(w, t, id, "name", &v)?;
    ret(Value::None)
}

fn thread_is_daemon(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    ret(Value::Bool(thread_obj(w, t, id).ok_or_else(not_initialized)?.daemon))
}

fn thread_set_daemon(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    let v = a.pos.get(1).cloned().unwrap_or(Value::None);
    native_setattr(w, t, id, "daemon", &v)?;
    ret(Value::None)
}

/// The `threading.Thread` object of a thread (created on demand for the main thread).
pub fn thread_object(w: &mut World, t: Tid, of: Tid) -> Result<Value, Raise> {
    if let Some(o) = w.threads[of].obj {
        return Ok(Value::Obj(o));
    }
    let pid = w.pid_of(t);
    let cls = w.proc(pid).classes.get("Thread");
    let th = &w.threads[of];
    let obj = ThreadObj {
        target: Value::None,
        args: Value::tuple(vec![]),
        kwargs: Value::None,
        name: th.name.clone(),
        daemon: th.daemon,
        started: true,
        tid: Some(of),
        timer: None,
        cancelled: None,
    };
    let id = w.alloc(
        t,
        Obj::Instance {
            class: cls,
            dict: Dict::default(),
            native: Native::Thread(Box::new(obj)),
        },
    )?;
    w.threads[of].obj = Some(id);
    Ok(Value::Obj(id))
}

/// Traceback frames CPython shows above the user's when a thread's exception escapes.
pub fn bootstrap_frames(w: &mut World, t: Tid) -> Vec<TbEntry> {
    let lib = Rc::new(format!("/usr/lib/python{}/threading.py", w.opts.python.label()));
    let (l1, l2) = match w.opts.python {
        PyVersion::V3_13 => (1041, 992),
        PyVersion::V3_12 => (1073, 1010),
    };
    let mut v = vec![TbEntry {
        file: lib.clone(),
        line: l1,
        func: Rc::new("_bootstrap_inner".into()),
        text: Rc::new("self.run()".into()),
    }];
    // The default run() adds its own frame.
    let builtin_run = w.threads[t].obj.map(|o| {
        let cls = match w.heap(t).get(o) {
            Obj::Instance { class, .. } => Some(*class),
            _ => None,
        };
        cls.and_then(|c| w.class_lookup(t, c, "run"))
            .map(|r| matches!(r, Value::Native(_)))
            .unwrap_or(true)
    });
    if builtin_run.unwrap_or(true) {
        v.push(TbEntry {
            file: lib,
            line: l2,
            func: Rc::new("run".into()),
            text: Rc::new("self._target(*self._args, **self._kwargs)".into()),
        });
    }
    v
}

/// Called when a thread ends.
pub fn thread_ended(_w: &mut World, _t: Tid) {}

/// The attributes of Thread objects [`native_getattr`] answers.
pub const THREAD_ATTRS: &[&str] = &[
    "name",
    "daemon",
    "ident",
    "native_id",
    "_target",
    "_args",
    "_kwargs",
    "finished",
];

/// Attribute reads served by native state (`thread.name`, `thread.daemon`, ...;
/// for Thread objects the names in [`THREAD_ATTRS`]). Of an exception's
/// payload only the kind matters.
pub fn native_getattr(w: &mut World, t: Tid, id: ObjId, native: Native, name: &str) -> Result<Option<Value>, Raise> {
    match native {
        Native::Thread(th) => Ok(match name {
            "name" => Some(Value::str(th.name.clone())),
            "daemon" => Some(Value::Bool(th.daemon)),
            "ident" | "native_id" => Some(match th.tid {
                Some(x) if th.started => {
                    let ident = w.threads[x].ident;
                    Value::Int(if name == "ident" { ident as i64 } else { 4000 + x as i64 })
                }
                _ => Value::None,
            }),
            "_target" => Some(th.target.clone()),
            "_args" => Some(th.args.clone()),
            "_kwargs" => Some(th.kwargs.clone()),
            "finished" => th.cancelled.map(Value::Obj),
            _ => None,
        }),
        Native::Prim(p) => Ok(match (&*p, name) {
            (Prim::Barrier { parties, .. }, "parties") => Some(Value::Int(*parties)),
            (Prim::Barrier { count, .. }, "n_waiting") => Some(Value::Int(*count)),
            (Prim::Barrier { broken, .. }, "broken") => Some(Value::Bool(*broken)),
            (Prim::Queue { maxsize, .. }, "maxsize") => Some(Value::Int(*maxsize)),
            (Prim::Sem { value, .. }, "_value") => Some(Value::Int(*value)),
            _ => None,
        }),
        Native::Exception { .. } => {
            let _ = id;
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
                "code" if types::exc_is(w, t, &Value::Obj(id), "SystemExit") => {
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
        Native::None | Native::Process(_) | Native::Shared(_) => Ok(None),
    }
}

/// Attribute writes with native meaning. Returns true when handled.
pub fn native_setattr(w: &mut World, t: Tid, id: ObjId, name: &str, v: &Value) -> Result<bool, Raise> {
    let is_thread = matches!(
        w.heap(t).get(id),
        Obj::Instance {
            native: Native::Thread(_),
            ..
        }
    );
    if !is_thread {
        return Ok(false);
    }
    match name {
        "daemon" => {
            let b = types::truthy(w, t, v)?;
            let th = thread_obj(w, t, id).expect("thread");
            if th.started {
                return Err(Raise::new("RuntimeError", "cannot set daemon status of active thread"));
            }
            th.daemon = b;
            Ok(true)
        }
        "name" => {
            let s = types::str_of(w, t, v)?;
            let th = thread_obj(w, t, id).expect("thread");
            th.name = s.clone();
            if let Some(x) = th.tid {
                w.threads[x].name = s.clone();
                w.rec.threads[x].name = s;
            }
            Ok(true)
        }
        _ => Ok(false),
    }
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
                Err(Raise::New("StopIteration", _)) => break,
                Err(Raise::Obj(e)) if types::exc_is(w, t, &e, "StopIteration") => break,
                Err(e) => {
                    let ex = w.make_exc(t, e)?;
                    if types::exc_is(w, t, &ex, "StopIteration") {
                        break;
                    }
                    return Err(Raise::Obj(ex));
                }
            }
            if out.len() > 10_000_000 {
                return Err(Raise::new("MemoryError", ""));
            }
        }
        return Ok(Some(out));
    }
    Ok(None)
}

// ---------------------------------------------------------------------------------------------
// Waits

/// For the trace: what a thread blocked on object `o` waits for.
pub fn describe_wait(w: &mut World, t: Tid, o: ObjId, op: &ObjWait) -> BlockedOn {
    let object = object_label(w, t, o);
    match op {
        ObjWait::Acquire | ObjWait::Reacquire { .. } => {
            let holder = match prim(w, t, o) {
                Some(Prim::Lock { owner, .. }) => owner.map(|x| ThreadId(x as u32)),
                _ => None,
            };
            BlockedOn::Lock { object, holder }
        }
        ObjWait::EventWait => BlockedOn::Event { object },
        ObjWait::CondNotify { .. } => BlockedOn::Condition { object },
        ObjWait::SemAcquire => BlockedOn::Semaphore { object },
        ObjWait::BarrierWait { .. } => BlockedOn::Barrier { object },
        ObjWait::QueueGet => BlockedOn::Queue {
            object,
            op: "get".into(),
        },
        ObjWait::QueuePut(_) => BlockedOn::Queue {
            object,
            op: "put".into(),
        },
        ObjWait::QueueJoin => BlockedOn::Queue {
            object,
            op: "join".into(),
        },
    }
}

/// A readable name for an object: the global variable naming it, or its type.
fn object_label(w: &mut World, t: Tid, o: ObjId) -> String {
    let g = w.proc(w.pid_of(t)).globals;
    if let Obj::Dict(d) = w.heap(t).get(g) {
        for (k, v) in d.map.values() {
            if let (Value::Str(name), Value::Obj(id)) = (k, v) {
                if *id == o {
                    return name.to_string();
                }
            }
        }
    }
    // An attribute of a global instance (`self.lock`).
    let cls = match w.heap(t).get(o) {
        Obj::Instance { class, .. } => Some(*class),
        _ => None,
    };
    cls.map(|c| class_name(w, t, c)).unwrap_or_else(|| "object".into())
}

/// Can the thread blocked on `o` proceed now? Performs the acquisition if so.
pub fn try_acquire(w: &mut World, t: Tid, o: ObjId, op: &ObjWait) -> Option<Result<Value, Raise>> {
    match op {
        ObjWait::Acquire => match prim(w, t, o)? {
            Prim::Lock { owner, count, .. } if owner.is_none() => {
                *owner = Some(t);
                *count = 1;
                Some(Ok(Value::Bool(true)))
            }
            _ => None,
        },
        ObjWait::Reacquire { count: c, result } => match prim(w, t, o)? {
            Prim::Lock { owner, count, .. } if owner.is_none() => {
                *owner = Some(t);
                *count = *c;
                Some(Ok(Value::Bool(*result)))
            }
            _ => None,
        },
        ObjWait::EventWait => match prim(w, t, o)? {
            Prim::Event { flag: true } => Some(Ok(Value::Bool(true))),
            _ => None,
        },
        ObjWait::CondNotify { .. } => None,
        ObjWait::SemAcquire => match prim(w, t, o)? {
            Prim::Sem { value, .. } if *value > 0 => {
                *value -= 1;
                Some(Ok(Value::Bool(true)))
            }
            _ => None,
        },
        ObjWait::BarrierWait { generation: g, index } => match prim(w, t, o)? {
            Prim::Barrier { broken: true, .. } => Some(Err(Raise::new("BrokenBarrierError", ""))),
            Prim::Barrier { generation, .. } if *generation > *g => Some(Ok(Value::Int(*index))),
            _ => None,
        },
        ObjWait::QueueGet => {
            let r = match prim(w, t, o)? {
                Prim::Queue { items, kind, .. } if !items.is_empty() => match kind {
                    QueueKind::Fifo => items.pop_front(),
                    QueueKind::Lifo => items.pop_back(),
                    QueueKind::Priority => items.pop_front(),
                },
                _ => None,
            }?;
            Some(Ok(r))
        }
        ObjWait::QueuePut(v) => {
            let full = match prim(w, t, o)? {
                Prim::Queue { items, maxsize, .. } => *maxsize > 0 && items.len() as i64 >= *maxsize,
                _ => return None,
            };
            if full {
                return None;
            }
            match queue_insert(w, t, o, v.clone()) {
                Ok(()) => Some(Ok(Value::None)),
                Err(e) => Some(Err(e)),
            }
        }
        ObjWait::QueueJoin => match prim(w, t, o)? {
            Prim::Queue { unfinished: 0, .. } => Some(Ok(Value::None)),
            _ => None,
        },
    }
}

/// The wait of `tid` timed out: its result, or None when the wait changed instead
/// (a condition's waiter re-acquires the lock before returning False).
pub fn on_timeout(w: &mut World, tid: Tid) -> Option<Result<Value, Raise>> {
    let wait = w.threads[tid].wait.clone()?;
    if let WaitOn::Obj(o, op) = &wait.on {
        if let Some(v) = try_acquire(w, tid, *o, op) {
            return Some(v);
        }
        match op {
            ObjWait::CondNotify { lock, count } => {
                let (lock, count) = (*lock, *count);
                let nw = Wait {
                    on: WaitOn::Obj(lock, ObjWait::Reacquire { count, result: false }),
                    deadline: None,
                    on_timeout: Ok(Value::Bool(false)),
                };
                w.threads[tid].wait = Some(nw);
                let line = w.current_line(tid);
                let on = describe_wait(w, tid, lock, &ObjWait::Acquire);
                w.set_state(
                    tid,
                    ThreadState::Blocked {
                        on,
                        line,
                        until_ns: None,
                    },
                );
                if let Some(v) = try_acquire(w, tid, lock, &ObjWait::Reacquire { count, result: false }) {
                    return Some(v);
                }
                return None;
            }
            ObjWait::BarrierWait { .. } => {
                // A timed-out barrier breaks for everyone.
                if let Some(Prim::Barrier { broken, .. }) = prim(w, tid, *o) {
                    *broken = true;
                }
                let o = *o;
                notify(w, tid, o);
                return Some(Err(Raise::new("BrokenBarrierError", "")));
            }
            _ => {}
        }
    }
    // A Timer's interval elapsed: call its function now.
    if let Err(Raise::Obj(Value::Obj(tobj))) = &wait.on_timeout {
        if let Some(th) = thread_obj(w, tid, *tobj).cloned() {
            if th.timer.is_some() {
                let args = types::collect_iter(w, tid, &th.args).unwrap_or_default();
                w.threads[tid].boot = Some((th.target.clone(), Args::new(args)));
                return Some(Ok(Value::None));
            }
        }
    }
    Some(wait.on_timeout.clone())
}

/// Offers object `o` to the threads waiting on it, in the order they blocked.
pub fn notify(w: &mut World, t: Tid, o: ObjId) {
    let pid = w.pid_of(t);
    let waiters = w.waiters(|on| matches!(on, WaitOn::Obj(x, _) if *x == o), pid);
    for wt in waiters {
        let op = match &w.threads[wt].wait {
            Some(Wait {
                on: WaitOn::Obj(_, op), ..
            }) => op.clone(),
            _ => continue,
        };
        if let Some(v) = try_acquire(w, wt, o, &op) {
            let is_put = matches!(op, ObjWait::QueuePut(_));
            let is_get = matches!(op, ObjWait::QueueGet);
            w.wake(wt, v);
            if is_put || is_get {
                // A put may satisfy getters and a get may make room for putters.
                notify(w, t, o);
                return;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Event

fn event_set(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    if let Some(Prim::Event { flag }) = prim(w, t, id) {
        *flag = true;
    }
    notify(w, t, id);
    ret(Value::None)
}

fn event_clear(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    if let Some(Prim::Event { flag }) = prim(w, t, id) {
        *flag = false;
    }
    ret(Value::None)
}

fn event_is_set(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    ret(Value::Bool(matches!(prim(w, t, id), Some(Prim::Event { flag: true }))))
}

fn event_wait(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let timeout = timeout_arg(w, t, a.arg(1, "timeout"))?;
    if matches!(prim(w, t, id), Some(Prim::Event { flag: true })) {
        return ret(Value::Bool(true));
    }
    if let Some(s) = timeout {
        if s <= 0.0 {
            return ret(Value::Bool(false));
        }
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Obj(id, ObjWait::EventWait),
        deadline: timeout.map(|s| w.now + ns(s)),
        on_timeout: Ok(Value::Bool(false)),
    }))
}

// ---------------------------------------------------------------------------------------------
// Lock / RLock

fn lock_acquire(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let blocking = match a.arg(1, "blocking") {
        Some(v) => types::truthy(w, t, &v)?,
        None => true,
    };
    let timeout = match a.arg(2, "timeout") {
        Some(v) => secs(&v).unwrap_or(-1.0),
        None => -1.0,
    };
    if !blocking && timeout != -1.0 {
        return Err(Raise::new(
            "ValueError",
            "can't specify a timeout for a non-blocking call",
        ));
    }
    if timeout < 0.0 && timeout != -1.0 {
        return Err(Raise::new("ValueError", "timeout value must be a non-negative number"));
    }
    match prim(w, t, id) {
        Some(Prim::Lock {
            owner,
            count,
            reentrant,
        }) => {
            if owner.is_none() {
                *owner = Some(t);
                *count = 1;
                return ret(Value::Bool(true));
            }
            if *reentrant && *owner == Some(t) {
                *count += 1;
                return ret(Value::Bool(true));
            }
        }
        _ => return Err(Raise::new("TypeError", "not a lock")),
    }
    if !blocking || timeout == 0.0 {
        return ret(Value::Bool(false));
    }
    let deadline = if timeout > 0.0 { Some(w.now + ns(timeout)) } else { None };
    Ok(Flow::Block(Wait {
        on: WaitOn::Obj(id, ObjWait::Acquire),
        deadline,
        on_timeout: Ok(Value::Bool(false)),
    }))
}

fn release(w: &mut World, t: Tid, id: ObjId) -> Result<(), Raise> {
    match prim(w, t, id) {
        Some(Prim::Lock {
            owner,
            count,
            reentrant,
        }) => {
            if *reentrant {
                if *owner != Some(t) {
                    return Err(Raise::new("RuntimeError", "cannot release un-acquired lock"));
                }
                *count -= 1;
                if *count == 0 {
                    *owner = None;
                }
            } else {
                if owner.is_none() {
                    return Err(Raise::new("RuntimeError", "release unlocked lock"));
                }
                *owner = None;
                *count = 0;
            }
        }
        _ => return Err(Raise::new("TypeError", "not a lock")),
    }
    notify(w, t, id);
    Ok(())
}

fn lock_release(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    release(w, t, id)?;
    ret(Value::None)
}

fn lock_exit(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    release(w, t, id)?;
    ret(Value::Bool(false))
}

fn lock_locked(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    ret(Value::Bool(matches!(
        prim(w, t, id),
        Some(Prim::Lock { owner: Some(_), .. })
    )))
}

// ---------------------------------------------------------------------------------------------
// Condition

fn cond_lock(w: &mut World, t: Tid, id: ObjId) -> Result<ObjId, Raise> {
    match prim(w, t, id) {
        Some(Prim::Cond { lock }) => Ok(*lock),
        _ => Err(Raise::new("TypeError", "not a Condition")),
    }
}

fn cond_acquire(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let lock = cond_lock(w, t, id)?;
    a.pos[0] = Value::Obj(lock);
    lock_acquire(w, t, a)
}

fn cond_release(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    let lock = cond_lock(w, t, id)?;
    release(w, t, lock)?;
    ret(Value::None)
}

fn cond_exit(w: &mut World, t: Tid, a: Args) -> NResult {
    cond_release(w, t, a)?;
    ret(Value::Bool(false))
}

fn owned(w: &mut World, t: Tid, lock: ObjId) -> Option<u32> {
    match prim(w, t, lock) {
        Some(Prim::Lock {
            owner: Some(o), count, ..
        }) if *o == t => Some(*count),
        _ => None,
    }
}

fn cond_wait(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let timeout = timeout_arg(w, t, a.arg(1, "timeout"))?;
    let lock = cond_lock(w, t, id)?;
    let Some(count) = owned(w, t, lock) else {
        return Err(Raise::new("RuntimeError", "cannot wait on un-acquired lock"));
    };
    if let Some(Prim::Lock { owner, count, .. }) = prim(w, t, lock) {
        *owner = None;
        *count = 0;
    }
    notify(w, t, lock);
    Ok(Flow::Block(Wait {
        on: WaitOn::Obj(id, ObjWait::CondNotify { lock, count }),
        deadline: timeout.map(|s| w.now + ns(s)),
        on_timeout: Ok(Value::Bool(false)),
    }))
}

fn cond_wait_for(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let pred = a.arg(1, "predicate").unwrap_or(Value::None);
    let timeout = a.arg(2, "timeout").unwrap_or(Value::None);
    // Written in Python terms: while not pred(): wait(timeout). One round here;
    // the loop is in the module helper so that waits can block.
    let helper = crate::stdlib::helper(w, t, "_wait_for")?;
    Ok(Flow::Call(helper, Args::new(vec![Value::Obj(id), pred, timeout])))
}

fn notify_n(w: &mut World, t: Tid, id: ObjId, n: usize) -> NResult {
    let lock = cond_lock(w, t, id)?;
    if owned(w, t, lock).is_none() {
        return Err(Raise::new("RuntimeError", "cannot notify on un-acquired lock"));
    }
    let pid = w.pid_of(t);
    let waiters = w.waiters(
        |on| matches!(on, WaitOn::Obj(x, ObjWait::CondNotify { .. }) if *x == id),
        pid,
    );
    for wt in waiters.into_iter().take(n) {
        let (lock, count) = match &w.threads[wt].wait {
            Some(Wait {
                on: WaitOn::Obj(_, ObjWait::CondNotify { lock, count }),
                ..
            }) => (*lock, *count),
            _ => continue,
        };
        // Notified: now it waits to re-acquire the lock (no timeout any more).
        let seq = w.threads[wt].wait_seq;
        if let Some(d) = w.threads[wt].wait.as_ref().and_then(|x| x.deadline) {
            w.timers.remove(&(d, seq, wt));
        }
        w.threads[wt].wait = Some(Wait {
            on: WaitOn::Obj(lock, ObjWait::Reacquire { count, result: true }),
            deadline: None,
            on_timeout: Ok(Value::Bool(true)),
        });
        let line = w.current_line(wt);
        let on = describe_wait(w, wt, lock, &ObjWait::Acquire);
        w.set_state(
            wt,
            ThreadState::Blocked {
                on,
                line,
                until_ns: None,
            },
        );
    }
    ret(Value::None)
}

fn cond_notify(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let n = a.arg(1, "n").and_then(|v| builtins_int(&v)).unwrap_or(1).max(0) as usize;
    notify_n(w, t, id, n)
}

fn cond_notify_all(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    notify_n(w, t, id, usize::MAX)
}

// ---------------------------------------------------------------------------------------------
// Semaphore

fn sem_acquire(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let blocking = match a.arg(1, "blocking") {
        Some(v) => types::truthy(w, t, &v)?,
        None => true,
    };
    let timeout = timeout_arg(w, t, a.arg(2, "timeout"))?;
    if !blocking && timeout.is_some() {
        return Err(Raise::new(
            "ValueError",
            "can't specify timeout for non-blocking acquire",
        ));
    }
    if let Some(Prim::Sem { value, .. }) = prim(w, t, id) {
        if *value > 0 {
            *value -= 1;
            return ret(Value::Bool(true));
        }
    }
    if !blocking || timeout.map(|s| s <= 0.0).unwrap_or(false) {
        return ret(Value::Bool(false));
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Obj(id, ObjWait::SemAcquire),
        deadline: timeout.map(|s| w.now + ns(s)),
        on_timeout: Ok(Value::Bool(false)),
    }))
}

fn sem_release(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let n = a.arg(1, "n").and_then(|v| builtins_int(&v)).unwrap_or(1);
    if n < 1 {
        return Err(Raise::new("ValueError", "n must be one or more"));
    }
    if let Some(Prim::Sem { value, bound }) = prim(w, t, id) {
        if let Some(b) = bound {
            if *value + n > *b {
                return Err(Raise::new("ValueError", "Semaphore released too many times"));
            }
        }
        *value += n;
    }
    notify(w, t, id);
    ret(Value::None)
}

fn sem_exit(w: &mut World, t: Tid, a: Args) -> NResult {
    sem_release(w, t, Args::new(vec![a.pos[0].clone()]))?;
    ret(Value::Bool(false))
}

// ---------------------------------------------------------------------------------------------
// Barrier

fn barrier_wait(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let timeout = timeout_arg(w, t, a.arg(1, "timeout"))?;
    let (index, release_now, generation, default_timeout, action) = match prim(w, t, id) {
        Some(Prim::Barrier { broken: true, .. }) => return Err(Raise::new("BrokenBarrierError", "")),
        Some(Prim::Barrier {
            parties,
            count,
            generation,
            timeout,
            action,
            ..
        }) => {
            let index = *count;
            *count += 1;
            let release = *count == *parties;
            (index, release, *generation, *timeout, action.clone())
        }
        _ => return Err(Raise::new("TypeError", "not a Barrier")),
    };
    if release_now {
        // The last thread to arrive runs the action, then everyone is released.
        if let Some(action) = action {
            if let Err(e) = w.call_sync(t, action, Args::default()) {
                if let Some(Prim::Barrier { broken, .. }) = prim(w, t, id) {
                    *broken = true;
                }
                notify(w, t, id);
                return Err(e);
            }
        }
        if let Some(Prim::Barrier { count, generation, .. }) = prim(w, t, id) {
            *count = 0;
            *generation += 1;
        }
        notify(w, t, id);
        return ret(Value::Int(index));
    }
    let timeout = timeout.or(default_timeout);
    Ok(Flow::Block(Wait {
        on: WaitOn::Obj(id, ObjWait::BarrierWait { generation, index }),
        deadline: timeout.map(|s| w.now + ns(s)),
        on_timeout: Err(Raise::new("BrokenBarrierError", "")),
    }))
}

fn barrier_reset(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    if let Some(Prim::Barrier {
        count,
        broken,
        generation,
        ..
    }) = prim(w, t, id)
    {
        *broken = true;
        *count = 0;
        *generation += 1;
    }
    notify(w, t, id);
    if let Some(Prim::Barrier { broken, .. }) = prim(w, t, id) {
        *broken = false;
    }
    ret(Value::None)
}

fn barrier_abort(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    if let Some(Prim::Barrier { broken, .. }) = prim(w, t, id) {
        *broken = true;
    }
    notify(w, t, id);
    ret(Value::None)
}

// ---------------------------------------------------------------------------------------------
// queue.Queue

fn queue_insert(w: &mut World, t: Tid, id: ObjId, v: Value) -> Result<(), Raise> {
    let kind = match prim(w, t, id) {
        Some(Prim::Queue { kind, .. }) => *kind,
        _ => return Err(Raise::new("TypeError", "not a queue")),
    };
    let pos = if kind == QueueKind::Priority {
        let items: Vec<Value> = match prim(w, t, id) {
            Some(Prim::Queue { items, .. }) => items.iter().cloned().collect(),
            _ => vec![],
        };
        let mut pos = items.len();
        for (i, it) in items.iter().enumerate() {
            if types::order(w, t, &v, it, "<")? == std::cmp::Ordering::Less {
                pos = i;
                break;
            }
        }
        Some(pos)
    } else {
        None
    };
    if let Some(Prim::Queue { items, unfinished, .. }) = prim(w, t, id) {
        match pos {
            Some(p) => items.insert(p, v),
            None => items.push_back(v),
        }
        *unfinished += 1;
    }
    Ok(())
}

fn queue_put(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let item = a.arg(1, "item").ok_or_else(|| {
        Raise::new(
            "TypeError",
            "Queue.put() missing 1 required positional argument: 'item'",
        )
    })?;
    let block = match a.arg(2, "block") {
        Some(v) => types::truthy(w, t, &v)?,
        None => true,
    };
    let timeout = timeout_arg(w, t, a.arg(3, "timeout"))?;
    if let Some(s) = timeout {
        if s < 0.0 {
            return Err(Raise::new("ValueError", "'timeout' must be a non-negative number"));
        }
    }
    let full = match prim(w, t, id) {
        Some(Prim::Queue { items, maxsize, .. }) => *maxsize > 0 && items.len() as i64 >= *maxsize,
        _ => return Err(Raise::new("TypeError", "not a queue")),
    };
    if !full {
        queue_insert(w, t, id, item)?;
        notify(w, t, id);
        return ret(Value::None);
    }
    let full_exc = || Raise::Obj(Value::Str(Rc::new("Full".into())));
    let _ = full_exc;
    if !block || timeout == Some(0.0) {
        return Err(Raise::new("Full", ""));
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Obj(id, ObjWait::QueuePut(item)),
        deadline: timeout.map(|s| w.now + ns(s)),
        on_timeout: Err(Raise::new("Full", "")),
    }))
}

fn queue_put_nowait(w: &mut World, t: Tid, a: Args) -> NResult {
    let mut a2 = a;
    a2.pos.truncate(2);
    a2.pos.push(Value::Bool(false));
    queue_put(w, t, a2)
}

fn queue_get(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let block = match a.arg(1, "block") {
        Some(v) => types::truthy(w, t, &v)?,
        None => true,
    };
    let timeout = timeout_arg(w, t, a.arg(2, "timeout"))?;
    if let Some(s) = timeout {
        if s < 0.0 {
            return Err(Raise::new("ValueError", "'timeout' must be a non-negative number"));
        }
    }
    if let Some(v) = try_acquire(w, t, id, &ObjWait::QueueGet) {
        notify(w, t, id);
        return v.map(Flow::Return);
    }
    if !block || timeout == Some(0.0) {
        return Err(Raise::new("Empty", ""));
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Obj(id, ObjWait::QueueGet),
        deadline: timeout.map(|s| w.now + ns(s)),
        on_timeout: Err(Raise::new("Empty", "")),
    }))
}

fn queue_get_nowait(w: &mut World, t: Tid, a: Args) -> NResult {
    queue_get(w, t, Args::new(vec![a.pos[0].clone(), Value::Bool(false)]))
}

fn queue_qsize(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    ret(Value::Int(native_len(w, t, id).unwrap_or(0)))
}

fn queue_empty(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    ret(Value::Bool(native_len(w, t, id).unwrap_or(0) == 0))
}

fn queue_full(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    ret(Value::Bool(match prim(w, t, id) {
        Some(Prim::Queue { items, maxsize, .. }) => *maxsize > 0 && items.len() as i64 >= *maxsize,
        _ => false,
    }))
}

fn queue_task_done(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    if let Some(Prim::Queue { unfinished, .. }) = prim(w, t, id) {
        if *unfinished <= 0 {
            return Err(Raise::new("ValueError", "task_done() called too many times"));
        }
        *unfinished -= 1;
    }
    notify(w, t, id);
    ret(Value::None)
}

fn queue_join(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    if let Some(Prim::Queue { unfinished: 0, .. }) = prim(w, t, id) {
        return ret(Value::None);
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Obj(id, ObjWait::QueueJoin),
        deadline: None,
        on_timeout: Ok(Value::None),
    }))
}

// ---------------------------------------------------------------------------------------------
// Module-level functions

pub fn current_thread(w: &mut World, t: Tid, _a: Args) -> NResult {
    Ok(Flow::Return(thread_object(w, t, t)?))
}

pub fn main_thread(w: &mut World, t: Tid, _a: Args) -> NResult {
    let main = w.proc(w.pid_of(t)).main;
    Ok(Flow::Return(thread_object(w, t, main)?))
}

pub fn enumerate_threads(w: &mut World, t: Tid, _a: Args) -> NResult {
    let pid = w.pid_of(t);
    let alive: Vec<Tid> = w
        .proc(pid)
        .threads
        .iter()
        .copied()
        .filter(|x| w.threads[*x].alive)
        .collect();
    let mut v = Vec::new();
    for x in alive {
        v.push(thread_object(w, t, x)?);
    }
    Ok(Flow::Return(Value::Obj(w.alloc(t, Obj::List(v))?)))
}

pub fn active_count(w: &mut World, t: Tid, _a: Args) -> NResult {
    let pid = w.pid_of(t);
    let n = w.proc(pid).threads.iter().filter(|x| w.threads[**x].alive).count();
    Ok(Flow::Return(Value::Int(n as i64)))
}

pub fn get_ident(w: &mut World, t: Tid, _a: Args) -> NResult {
    Ok(Flow::Return(Value::Int(w.threads[t].ident as i64)))
}

pub fn get_native_id(_w: &mut World, t: Tid, _a: Args) -> NResult {
    Ok(Flow::Return(Value::Int(4000 + t as i64)))
}

/// The replacement of `threading.excepthook`, if the script assigned one.
pub fn user_excepthook(w: &mut World, t: Tid) -> Option<Value> {
    let pid = w.pid_of(t);
    let m = w
        .proc(pid)
        .modules
        .iter()
        .find(|(n, _)| n == "threading")
        .map(|(_, id)| *id)?;
    let dict = match w.heap(t).get(m) {
        Obj::Module { dict, .. } => *dict,
        _ => return None,
    };
    match w.heap(t).get(dict) {
        Obj::Dict(d) => match d.get_str("excepthook") {
            Some(Value::Native(_)) | None => None,
            Some(v) => Some(v.clone()),
        },
        _ => None,
    }
}

/// The `args` object `threading.excepthook` receives.
pub fn excepthook_args(w: &mut World, t: Tid, exc: &Value) -> Result<Value, Raise> {
    let cls = w.proc(w.pid_of(t)).classes.get("object");
    let mut d = Dict::default();
    d.set_str("exc_type", types::class_of(w, t, exc));
    d.set_str("exc_value", exc.clone());
    d.set_str("exc_traceback", Value::None);
    let th = thread_object(w, t, t)?;
    d.set_str("thread", th);
    Ok(Value::Obj(w.alloc(
        t,
        Obj::Instance {
            class: cls,
            dict: d,
            native: Native::None,
        },
    )?))
}

/// The default `threading.excepthook`: the standard report on stderr.
pub fn default_excepthook(w: &mut World, t: Tid, a: Args) -> NResult {
    let args = a.pos.first().cloned().unwrap_or(Value::None);
    let exc = w.getattr(t, &args, "exc_value")?;
    let name = w.threads[t].name.clone();
    let mut text = format!("Exception in thread {name}:\n");
    text.push_str(&types::format_exception(w, t, &exc, Vec::new()));
    w.write(t, Stream::Stderr, &text);
    ret(Value::None)
}

/// The attribute names [`prim_getattr`] may answer.
pub const PRIM_ATTRS: &[&str] = &["parties", "n_waiting", "broken", "maxsize", "_value"];

/// Data attributes of synchronization objects, read in place (the names in
/// [`PRIM_ATTRS`]).
pub fn prim_getattr(w: &mut World, t: Tid, id: ObjId, name: &str) -> Option<Value> {
    match (prim(w, t, id)?, name) {
        (Prim::Barrier { parties, .. }, "parties") => Some(Value::Int(*parties)),
        (Prim::Barrier { count, .. }, "n_waiting") => Some(Value::Int(*count)),
        (Prim::Barrier { broken, .. }, "broken") => Some(Value::Bool(*broken)),
        (Prim::Queue { maxsize, .. }, "maxsize") => Some(Value::Int(*maxsize)),
        (Prim::Sem { value, .. }, "_value") => Some(Value::Int(*value)),
        _ => None,
    }
}
