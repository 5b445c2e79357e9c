//! `threading.Thread` and `Timer`, the module's functions (`current_thread`,
//! `enumerate`, ...) and `excepthook`.

use std::rc::Rc;

use super::sync::event_set;
use super::{ns, prim, ret, self_id, thread_obj, timeout_arg};
use crate::stdlib::args::{target_args, target_params, TargetParams};
use crate::stdlib::lookup;
use crate::trace::*;
use crate::types::{self, native};
use crate::vm::value::*;
use crate::vm::*;

/// `Thread`'s methods.
pub(super) static THREAD_METHODS: &[&NativeDef] = &[
    native!("Thread.__init__", thread_init),
    native!("Thread.start", thread_start),
    native!("Thread.run", thread_run),
    native!("Thread.join", thread_join),
    native!("Thread.is_alive", thread_is_alive),
    native!("Thread.getName", thread_get_name),
    native!("Thread.setName", thread_set_name),
    native!("Thread.isDaemon", thread_is_daemon),
    native!("Thread.setDaemon", thread_set_daemon),
];

/// `Timer`'s own methods (the rest are `Thread`'s).
pub(super) static TIMER_METHODS: &[&NativeDef] = &[
    native!("Timer.__init__", timer_init),
    native!("Timer.cancel", timer_cancel),
];

fn thread_init(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let TargetParams {
        target,
        name,
        args,
        kwargs,
        daemon,
    } = target_params(&mut a)?;
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
    let interval = a.arg(1, "interval").and_then(|v| types::num(&v)).unwrap_or(0.0);
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
    Raise::new(Exc::RuntimeError, "thread.__init__() not called")
}

fn thread_start(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    let th = thread_obj(w, t, id).ok_or_else(not_initialized)?;
    if th.started {
        return Err(Raise::new(Exc::RuntimeError, "threads can only be started once"));
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
    let call = target_args(w, t, &th.args, &th.kwargs)?;
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
        return Err(Raise::new(Exc::RuntimeError, "cannot join thread before it is started"));
    }
    let target = th.tid.expect("started thread");
    if target == t {
        return Err(Raise::new(Exc::RuntimeError, "cannot join current thread"));
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
    let (l1, l2) = crate::vm::versions::facts(w.opts.python).thread_frames;
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

/// Reads an attribute of a Thread object from its payload.
type ThreadGetter = fn(&World, &ThreadObj) -> Option<Value>;

/// The attributes a Thread object's payload answers, each with its getter:
/// `getattr` reads them here, and the interpreter's method lookup asks the
/// same table whether the payload serves a name.
pub static THREAD_ATTRS: &[(&str, ThreadGetter)] = &[
    ("name", |_, th| Some(Value::str(th.name.clone()))),
    ("daemon", |_, th| Some(Value::Bool(th.daemon))),
    ("ident", |w, th| {
        Some(started(th).map_or(Value::None, |x| Value::Int(w.threads[x].ident as i64)))
    }),
    ("native_id", |_, th| {
        Some(started(th).map_or(Value::None, |x| Value::Int(4000 + x as i64)))
    }),
    ("_target", |_, th| Some(th.target.clone())),
    ("_args", |_, th| Some(th.args.clone())),
    ("_kwargs", |_, th| Some(th.kwargs.clone())),
    ("finished", |_, th| th.cancelled.map(Value::Obj)),
];

/// The simulated thread of a started Thread object.
fn started(th: &ThreadObj) -> Option<Tid> {
    th.tid.filter(|_| th.started)
}

/// Attribute `name` of a Thread object, when its payload answers it.
pub fn thread_getattr(w: &World, th: &ThreadObj, name: &str) -> Option<Value> {
    lookup(THREAD_ATTRS, name).and_then(|get| get(w, th))
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
                return Err(Raise::new(
                    Exc::RuntimeError,
                    "cannot set daemon status of active thread",
                ));
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

/// `threading._register_atexit`: called when interpreter shutdown begins.
pub fn register_thread_atexit(w: &mut World, t: Tid, a: Args) -> NResult {
    let f = a.pos.first().cloned().unwrap_or(Value::None);
    let pid = w.pid_of(t);
    w.proc_mut(pid).thread_atexit.push(f);
    ret(Value::None)
}
