//! `multiprocessing`, `os` process calls and signals.
//!
//! A process is a [`Proc`] with its own heap, GIL and clock. Under `fork` the
//! child starts from a copy of the parent's heap (only the calling thread
//! exists in it); under `spawn`/`forkserver` it starts from a fresh interpreter
//! that re-runs the script as `__mp_main__`. Objects shared between processes
//! (`multiprocessing.Event`, `Lock`, `Queue`) live in [`World::shared`]; values
//! crossing a process boundary are copied as pickle would copy them
//! ([`Portable`]).
//!
//! Signals: SIGKILL and default SIGTERM end a process at once (no `finally`, no
//! atexit); SIGINT raises KeyboardInterrupt in the main thread; a Python
//! handler runs in the main thread on top of whatever it was doing, and an
//! interrupted wait resumes afterwards (PEP 475).

use std::collections::VecDeque;
use std::rc::Rc;

use super::builtins::{self, native, native_class, Classes};
use super::value::*;
use super::*;
pub use crate::trace::signal_name;

/// A spawned child: a new interpreter starts and imports the main module (measured ~160 ms).
pub const SPAWN_NS: u64 = 160_000_000;
/// The first `multiprocessing.Queue()` imports the queue machinery (measured 35-50 ms).
pub const QUEUE_IMPORT_NS: u64 = 40_000_000;
/// `import multiprocessing`.
pub const MP_IMPORT_NS: u64 = 10_000_000;

/// Bytes a pipe holds on Linux: a child cannot exit while its queued data does not fit.
pub const PIPE_CAPACITY: usize = 65_536;

/// `multiprocessing` state of one process.
#[derive(Clone, Debug, Default)]
pub struct MpState {
    /// Started by `multiprocessing` (its exit skips user atexit handlers).
    pub is_child: bool,
    /// `set_start_method`: None means the platform default (fork).
    pub start_method: Option<&'static str>,
    /// `_identity`: (1,) for Process-1, (1, 2) for its child Process-1:2.
    pub identity: Vec<u32>,
    pub counter: u32,
    /// Children started by this process (reaped ones included).
    pub children: Vec<Pid>,
    /// multiprocessing's atexit handler is registered at the first `start()`.
    pub registered_exit: bool,
    pub daemon: bool,
    /// The `Process` object describing this process (in its own heap).
    pub process_obj: Option<ObjId>,
    /// Re-running the main module under spawn: starting a process is an error.
    pub bootstrapping: bool,
    /// The parent has collected the exit status.
    pub reaped: bool,
    /// What a spawned child must rebuild: target name, args.
    pub spawn_payload: Option<Portable>,
    /// The name `current_process().name` shows.
    pub name: String,
    /// `multiprocessing.queues` has been imported (its first import takes time).
    pub queue_imported: bool,
}

/// A signal disposition.
#[derive(Clone, Debug)]
pub enum Handler {
    /// `SIG_DFL`.
    Default,
    /// `SIG_IGN`.
    Ignore,
    /// A Python callable.
    Python(Value),
}

/// State of a `multiprocessing.Process` object.
#[derive(Clone, Debug)]
pub struct ProcObj {
    pub target: Value,
    pub args: Value,
    pub kwargs: Value,
    pub name: String,
    pub daemon: bool,
    pub pid: Option<Pid>,
    pub closed: bool,
    pub identity: Vec<u32>,
}

/// An object shared by processes.
#[derive(Clone, Debug)]
pub enum Shared {
    Event {
        flag: bool,
    },
    Lock {
        owner: Option<Tid>,
        count: u32,
        reentrant: bool,
    },
    Queue {
        items: VecDeque<(Portable, usize, Pid)>,
    },
    Value {
        value: Portable,
    },
}

/// What a thread waits for on a shared object.
#[derive(Clone, Debug)]
pub enum SharedWait {
    EventWait,
    Acquire,
    QueueGet,
    /// A queue's next item, or the end of any of these processes, whichever comes
    /// first (a wait on a result pipe and the workers' sentinels together).
    QueueGetOrExit(Vec<Pid>),
    /// A process at exit waits until its queued data fits in the pipe.
    Flush(Pid),
}

/// A value as it crosses a process boundary (pickled and unpickled).
#[derive(Clone, Debug)]
pub enum Portable {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<String>),
    Tuple(Vec<Portable>),
    List(Vec<Portable>),
    Dict(Vec<(Portable, Portable)>),
    Set(Vec<Portable>),
    /// A module-level function or class, by name.
    Global(String),
    /// An exception: class name and args.
    Exception(String, Vec<Portable>),
    /// A shared multiprocessing object.
    SharedRef(usize, &'static str),
}

fn ret(v: Value) -> NResult {
    Ok(Flow::Return(v))
}

pub fn create_classes(heap: &mut Heap, c: &mut Classes) {
    let p = native_class(
        heap,
        c,
        "Process",
        None,
        &[
            native!("Process.__init__", process_init),
            native!("Process.start", process_start),
            native!("Process.run", process_run),
            native!("Process.join", process_join),
            native!("Process.is_alive", process_is_alive),
            native!("Process.terminate", process_terminate),
            native!("Process.kill", process_kill),
            native!("Process.close", process_close),
        ],
    );
    c.by_name.push(("Process", p));
    let shared: &[(&'static str, &[&'static NativeDef])] = &[
        (
            "mp.Event",
            &[
                native!("Event.set", sh_event_set),
                native!("Event.clear", sh_event_clear),
                native!("Event.is_set", sh_event_is_set),
                native!("Event.wait", sh_event_wait),
            ],
        ),
        (
            "mp.Lock",
            &[
                native!("Lock.acquire", sh_lock_acquire),
                native!("Lock.release", sh_lock_release),
                native!("Lock.__enter__", sh_lock_acquire),
                native!("Lock.__exit__", sh_lock_exit),
            ],
        ),
        (
            "mp.Queue",
            &[
                native!("Queue.put", sh_queue_put),
                native!("Queue.get", sh_queue_get),
                native!("Queue.put_nowait", sh_queue_put),
                native!("Queue.get_nowait", sh_queue_get_nowait),
                native!("Queue.empty", sh_queue_empty),
                native!("Queue.qsize", sh_queue_qsize),
                native!("Queue.close", sh_noop),
                native!("Queue.join_thread", sh_noop),
                native!("Queue.cancel_join_thread", sh_noop),
            ],
        ),
        ("mp.Value", &[]),
    ];
    for (name, methods) in shared {
        let id = native_class(heap, c, name, None, methods);
        c.by_name.push((name, id));
    }
}

/// The `multiprocessing` module's entries.
pub fn module_entries(w: &mut World, t: Tid) -> Vec<(&'static str, Value)> {
    let cls = |w: &mut World, n: &str| Value::Obj(w.proc(w.pid_of(t)).classes.get(n));
    vec![
        ("Process", cls(w, "Process")),
        (
            "current_process",
            Value::Native(native!("multiprocessing.current_process", current_process)),
        ),
        (
            "parent_process",
            Value::Native(native!("multiprocessing.parent_process", parent_process)),
        ),
        (
            "active_children",
            Value::Native(native!("multiprocessing.active_children", active_children)),
        ),
        (
            "get_start_method",
            Value::Native(native!("multiprocessing.get_start_method", get_start_method)),
        ),
        (
            "set_start_method",
            Value::Native(native!("multiprocessing.set_start_method", set_start_method)),
        ),
        (
            "get_all_start_methods",
            Value::Native(native!("multiprocessing.get_all_start_methods", get_all_start_methods)),
        ),
        (
            "get_context",
            Value::Native(native!("multiprocessing.get_context", get_context)),
        ),
        (
            "cpu_count",
            Value::Native(native!("multiprocessing.cpu_count", cpu_count)),
        ),
        ("Event", Value::Native(native!("multiprocessing.Event", new_event))),
        ("Lock", Value::Native(native!("multiprocessing.Lock", new_lock))),
        ("RLock", Value::Native(native!("multiprocessing.RLock", new_rlock))),
        ("Queue", Value::Native(native!("multiprocessing.Queue", new_queue))),
        (
            "SimpleQueue",
            Value::Native(native!("multiprocessing.SimpleQueue", new_queue)),
        ),
        (
            "JoinableQueue",
            Value::Native(native!("multiprocessing.JoinableQueue", new_queue)),
        ),
        ("Value", Value::Native(native!("multiprocessing.Value", new_value))),
        (
            "freeze_support",
            Value::Native(native!("multiprocessing.freeze_support", sh_noop)),
        ),
        ("Pool", Value::Native(native!("multiprocessing.Pool", modules::mp_pool))),
        ("TimeoutError", cls(w, "mp.TimeoutError")),
    ]
}

// ---------------------------------------------------------------------------------------------
// Process objects

fn proc_obj(w: &mut World, t: Tid, id: ObjId) -> Option<&mut ProcObj> {
    match w.heap(t).get_mut(id) {
        Obj::Instance {
            native: Native::Process(p),
            ..
        } => Some(p),
        _ => None,
    }
}

fn self_id(a: &Args) -> Result<ObjId, Raise> {
    match a.pos.first() {
        Some(Value::Obj(id)) => Ok(*id),
        _ => Err(Raise::new("TypeError", "descriptor requires a Process object")),
    }
}

fn closed_check(p: &ProcObj) -> Result<(), Raise> {
    if p.closed {
        return Err(Raise::new("ValueError", "process object is closed"));
    }
    Ok(())
}

fn process_init(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    if let Some(g) = a.arg(1, "group") {
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
    let p = &mut w.proc_mut(pid).mp;
    p.counter += 1;
    let mut identity = p.identity.clone();
    identity.push(p.counter);
    let name = match name {
        Some(Value::Str(s)) => s.to_string(),
        Some(v) if !v.is_none() => builtins::str_of(w, t, &v)?,
        _ => format!(
            "Process-{}",
            identity.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(":")
        ),
    };
    // A Process created in a daemonic process is daemonic too.
    let parent_daemon = w.proc(pid).mp.daemon;
    let daemon = match daemon {
        Some(Value::None) | None => parent_daemon,
        Some(v) => builtins::truthy(w, t, &v)?,
    };
    if let Obj::Instance { native, .. } = w.heap(t).get_mut(id) {
        *native = Native::Process(Box::new(ProcObj {
            target,
            args,
            kwargs,
            name,
            daemon,
            pid: None,
            closed: false,
            identity,
        }));
    }
    ret(Value::None)
}

/// The bootstrap error CPython raises when a spawned child starts a process while
/// re-importing an unguarded main module.
const BOOTSTRAP_ERROR: &str = "
        An attempt has been made to start a new process before the
        current process has finished its bootstrapping phase.

        This probably means that you are not using fork to start your
        child processes and you have forgotten to use the proper idiom
        in the main module:

            if __name__ == '__main__':
                freeze_support()
                ...

        The \"freeze_support()\" line can be omitted if the program
        is not going to be frozen to produce an executable.

        To fix this issue, refer to the \"Safe importing of main module\"
        section in https://docs.python.org/3/library/multiprocessing.html
";

fn process_start(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    let p = proc_obj(w, t, id)
        .ok_or_else(|| Raise::new("AttributeError", "'Process' object has no attribute '_closed'"))?
        .clone();
    closed_check(&p)?;
    if p.pid.is_some() {
        return Err(Raise::new("AssertionError", "cannot start a process twice"));
    }
    let pid = w.pid_of(t);
    if w.proc(pid).mp.daemon && w.proc(pid).mp.is_child {
        return Err(Raise::new(
            "AssertionError",
            "daemonic processes are not allowed to have children",
        ));
    }
    if w.proc(pid).mp.bootstrapping {
        return Err(Raise::new("RuntimeError", BOOTSTRAP_ERROR));
    }
    if w.procs.len() >= MAX_PROCESSES {
        w.stop = Some(StopReason::ProcessLimit { limit: MAX_PROCESSES });
        return Err(Raise::new("OSError", "[Errno 11] Resource temporarily unavailable"));
    }
    // multiprocessing's exit handler is registered when its util module is first imported: now.
    if !w.proc(pid).mp.registered_exit {
        let f = modules::helper(w, t, "_exit_function")?;
        let pr = w.proc_mut(pid);
        pr.mp.registered_exit = true;
        pr.atexit.push((f, Args::default()));
    }
    let method = w.proc(pid).mp.start_method.unwrap_or("fork");
    let child = if method == "fork" {
        fork(w, t, id, &p)?
    } else {
        spawn(w, t, id, &p, method)?
    };
    if let Some(po) = proc_obj(w, t, id) {
        po.pid = Some(child);
    }
    w.proc_mut(pid).mp.children.push(child);
    let line = w.current_line(t);
    w.event(EventKind::ProcessStart {
        parent: pid,
        pid: child,
        method: method.to_string(),
        line,
    });
    ret(Value::None)
}

/// `fork`: the child is a copy of this process with only the calling thread.
fn fork(w: &mut World, t: Tid, obj: ObjId, p: &ProcObj) -> Result<Pid, Raise> {
    // The child's bootstrap code must exist before the copy is made.
    let child_main_fn = modules::helper(w, t, "_child_main")?;
    let ppid = w.pid_of(t);
    let pid = 1000 + w.procs.len() as Pid;
    let tid = w.threads.len();
    let mut child = w.proc(ppid).clone();
    child.pid = pid;
    child.ppid = ppid;
    child.name = p.name.clone();
    child.ready.clear();
    child.running = None;
    child.contended_since = None;
    child.main = tid;
    child.threads = vec![tid];
    child.phase = Phase::Running;
    child.exit_code = None;
    child.exit_t = None;
    child.thread_atexit.clear();
    // The child starts with no atexit handlers (3.13 runs those it registers itself).
    child.atexit.clear();
    child.pending_signals.clear();
    child.clock = w.now;
    child.mp = MpState {
        is_child: true,
        start_method: w.proc(ppid).mp.start_method,
        identity: p.identity.clone(),
        counter: 0,
        children: Vec::new(),
        registered_exit: false,
        daemon: p.daemon,
        process_obj: Some(obj),
        bootstrapping: false,
        reaped: false,
        spawn_payload: None,
        name: p.name.clone(),
        queue_imported: w.proc(ppid).mp.queue_imported,
    };
    w.procs.push(child);
    // The calling thread continues in the child as its main thread.
    let name = w.threads[t].name.clone();
    let mut th = Thread::new(pid, name.clone(), false, true);
    th.obj = w.threads[t].obj;
    th.alive = true;
    th.ident = w.threads[t].ident;
    th.boot = Some((child_main_fn, Args::new(vec![Value::Obj(obj)])));
    w.threads.push(th);
    if let Some(o) = w.threads[tid].obj {
        if let Obj::Instance {
            native: Native::Thread(to),
            ..
        } = w.procs[pid_index(pid)].heap.get_mut(o)
        {
            to.tid = Some(tid);
        }
    }
    if let Obj::Instance {
        native: Native::Process(po),
        ..
    } = w.procs[pid_index(pid)].heap.get_mut(obj)
    {
        po.pid = Some(pid);
    }
    register_process(w, t, pid, ppid, &p.name, p.daemon, tid, &name);
    Ok(pid)
}

/// `spawn` / `forkserver`: a fresh interpreter that re-runs the main module as `__mp_main__`.
fn spawn(w: &mut World, t: Tid, _obj: ObjId, p: &ProcObj, method: &str) -> Result<Pid, Raise> {
    let payload = Portable::Tuple(vec![
        to_portable(w, t, &p.target)?,
        to_portable(w, t, &p.args)?,
        to_portable(w, t, &p.kwargs)?,
        Portable::Str(Rc::new(p.name.clone())),
        Portable::Bool(p.daemon),
    ]);
    let ppid = w.pid_of(t);
    let pid = w.new_process(ppid, &p.name);
    let tid = w.proc(pid).main;
    let pr = w.proc_mut(pid);
    pr.mp.is_child = true;
    pr.mp.identity = p.identity.clone();
    pr.mp.daemon = p.daemon;
    pr.mp.spawn_payload = Some(payload);
    pr.mp.name = p.name.clone();
    pr.mp.start_method = Some(if method == "spawn" { "spawn" } else { "forkserver" });
    let th = &mut w.threads[tid];
    th.boot = Some((Value::Native(native!("_spawn_boot", spawn_boot)), Args::default()));
    // new_process recorded the process; complete its records.
    let i = pid_index(pid);
    w.rec.processes[i].name = p.name.clone();
    w.rec.processes[i].daemon = p.daemon;
    w.rec.processes[i].start_ns = w.now;
    start_child_main(w, tid, SPAWN_NS);
    let _ = t;
    Ok(pid)
}

/// Records a forked process and its main thread, which starts after [`FORK_NS`].
#[allow(clippy::too_many_arguments)]
fn register_process(w: &mut World, t: Tid, pid: Pid, ppid: Pid, name: &str, daemon: bool, tid: Tid, thread_name: &str) {
    w.rec.processes.push(ProcessInfo {
        pid,
        ppid,
        name: name.to_string(),
        daemon,
        start_ns: w.now,
        exit_code: None,
        exit_ns: None,
    });
    w.rec.threads.push(ThreadInfo {
        id: ThreadId(tid as u32),
        pid,
        name: thread_name.to_string(),
        daemon: false,
        is_main: true,
        created_by: Some(ThreadId(t as u32)),
        start_line: Some(w.current_line(t)),
        start_ns: Some(w.now),
        end_ns: None,
    });
    start_child_main(w, tid, FORK_NS);
}

fn start_child_main(w: &mut World, tid: Tid, delay: Nanos) {
    w.threads[tid].alive = true;
    // The child's first instruction comes a few milliseconds after start().
    w.threads[tid].run = Run::Running;
    let wait = Wait {
        on: WaitOn::Sleep,
        deadline: Some(w.now + delay),
        on_timeout: Ok(Value::None),
    };
    w.block(tid, wait);
    w.set_state(tid, ThreadState::Ready);
}

/// First call of a spawned child: import the main module as `__mp_main__`, then run.
fn spawn_boot(w: &mut World, t: Tid, _a: Args) -> NResult {
    let f = modules::helper(w, t, "_spawn_main")?;
    Ok(Flow::Call(f, Args::default()))
}

/// `_run_main_module()`: the spawned child's re-import of the script.
pub fn run_main_module(w: &mut World, t: Tid, _a: Args) -> NResult {
    let pid = w.pid_of(t);
    w.proc_mut(pid).mp.bootstrapping = true;
    let globals = w.proc(pid).globals;
    let code = crate::compile::CodeId(0);
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
    let fid = w.alloc(t, Obj::Function(Box::new(f)))?;
    Ok(Flow::Call(Value::Obj(fid), Args::default()))
}

/// `_rebuild_process()`: the spawned child's Process object, from the payload.
pub fn rebuild_process(w: &mut World, t: Tid, _a: Args) -> NResult {
    let pid = w.pid_of(t);
    w.proc_mut(pid).mp.bootstrapping = false;
    let Some(Portable::Tuple(parts)) = w.proc(pid).mp.spawn_payload.clone() else {
        return Err(Raise::new("RuntimeError", "no process to run"));
    };
    let target = from_portable(w, t, &parts[0])?;
    let args = from_portable(w, t, &parts[1])?;
    let kwargs = from_portable(w, t, &parts[2])?;
    let name = match &parts[3] {
        Portable::Str(s) => s.to_string(),
        _ => String::new(),
    };
    let daemon = matches!(parts[4], Portable::Bool(true));
    let cls = w.proc(pid).classes.get("Process");
    let identity = w.proc(pid).mp.identity.clone();
    let obj = ProcObj {
        target,
        args,
        kwargs,
        name,
        daemon,
        pid: Some(pid),
        closed: false,
        identity,
    };
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

fn process_run(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    let p = proc_obj(w, t, id)
        .ok_or_else(|| Raise::new("TypeError", "not a Process"))?
        .clone();
    if p.target.is_none() {
        return ret(Value::None);
    }
    let args = builtins::collect_iter(w, t, &p.args)?;
    let mut call = Args::new(args);
    if let Value::Obj(k) = &p.kwargs {
        if let Obj::Dict(d) = w.heap(t).get(*k) {
            for (kv, vv) in d.map.values() {
                if let Value::Str(s) = kv {
                    call.kw.push((s.clone(), vv.clone()));
                }
            }
        }
    }
    Ok(Flow::Call(p.target, call))
}

/// Collects a child's exit status if it has exited (as `waitpid(WNOHANG)`).
fn reap(w: &mut World, child: Pid) -> Option<i32> {
    let i = pid_index(child);
    let p = &mut w.procs[i];
    if p.phase != Phase::Exited {
        return None;
    }
    if !p.mp.reaped {
        p.mp.reaped = true;
        let now = w.now;
        w.rec.events.push(Event {
            t_ns: now,
            kind: EventKind::Reaped { pid: child },
        });
    }
    w.procs[i].exit_code
}

fn process_join(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let timeout = a.arg(1, "timeout");
    let p = proc_obj(w, t, id)
        .ok_or_else(|| Raise::new("TypeError", "not a Process"))?
        .clone();
    closed_check(&p)?;
    let Some(child) = p.pid else {
        return Err(Raise::new("AssertionError", "can only join a started process"));
    };
    if child == w.pid_of(t) {
        return Err(Raise::new("AssertionError", "can only join a child process"));
    }
    if reap(w, child).is_some() {
        return ret(Value::None);
    }
    let deadline = match timeout {
        None | Some(Value::None) => None,
        Some(v) => match v {
            Value::Int(i) => Some(w.now + threading::ns(i as f64)),
            Value::Float(f) => Some(w.now + threading::ns(f)),
            _ => return Err(Raise::new("TypeError", "timeout must be a number")),
        },
    };
    if deadline == Some(w.now) {
        return ret(Value::None);
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Process(child),
        deadline,
        on_timeout: Ok(Value::None),
    }))
}

/// A `waitpid()` system call: what polling `is_alive()` costs.
const WAITPID_NS: u64 = 4_000;

fn process_is_alive(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    w.now += WAITPID_NS;
    let p = proc_obj(w, t, id).ok_or_else(|| Raise::new("TypeError", "not a Process"))?;
    closed_check(p)?;
    let Some(child) = p.pid else {
        return ret(Value::Bool(false));
    };
    if child == w.pid_of(t) {
        return ret(Value::Bool(true));
    }
    ret(Value::Bool(reap(w, child).is_none()))
}

fn signal_child(w: &mut World, t: Tid, a: Args, signum: i32, what: &str) -> NResult {
    let id = self_id(&a)?;
    let p = proc_obj(w, t, id)
        .ok_or_else(|| Raise::new("TypeError", "not a Process"))?
        .clone();
    closed_check(&p)?;
    let Some(child) = p.pid else {
        return Err(Raise::New(
            "AttributeError",
            format!("'NoneType' object has no attribute '{what}'"),
        ));
    };
    if w.proc(child).phase != Phase::Exited {
        let from = w.pid_of(t);
        send_signal(w, Some(from), child, signum);
    }
    ret(Value::None)
}

fn process_terminate(w: &mut World, t: Tid, a: Args) -> NResult {
    signal_child(w, t, a, 15, "terminate")
}

fn process_kill(w: &mut World, t: Tid, a: Args) -> NResult {
    signal_child(w, t, a, 9, "kill")
}

fn process_close(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    let p = proc_obj(w, t, id)
        .ok_or_else(|| Raise::new("TypeError", "not a Process"))?
        .clone();
    if p.closed {
        return ret(Value::None);
    }
    if let Some(child) = p.pid {
        if reap(w, child).is_none() {
            return Err(Raise::new(
                "ValueError",
                "Cannot close a process while it is still running. You should first call join() or terminate().",
            ));
        }
    }
    if let Some(po) = proc_obj(w, t, id) {
        po.closed = true;
    }
    ret(Value::None)
}

/// The attributes [`process_getattr`] answers.
pub const PROCESS_ATTRS: &[&str] = &[
    "name",
    "daemon",
    "pid",
    "ident",
    "exitcode",
    "_target",
    "_args",
    "_kwargs",
    "_identity",
    "authkey",
];

/// Attribute reads of Process objects (the names in [`PROCESS_ATTRS`]).
pub fn process_getattr(w: &mut World, t: Tid, p: &ProcObj, name: &str) -> Result<Option<Value>, Raise> {
    Ok(match name {
        "name" => Some(Value::str(p.name.clone())),
        "daemon" => Some(Value::Bool(p.daemon)),
        "pid" | "ident" => {
            closed_check(p)?;
            Some(p.pid.map(|x| Value::Int(x as i64)).unwrap_or(Value::None))
        }
        "exitcode" => {
            closed_check(p)?;
            Some(match p.pid {
                Some(c) if c != w.pid_of(t) => reap(w, c).map(|x| Value::Int(x as i64)).unwrap_or(Value::None),
                _ => Value::None,
            })
        }
        "_target" => Some(p.target.clone()),
        "_args" => Some(p.args.clone()),
        "_kwargs" => Some(p.kwargs.clone()),
        "_identity" => Some(Value::tuple(p.identity.iter().map(|i| Value::Int(*i as i64)).collect())),
        "authkey" => Some(Value::str("<authkey>")),
        _ => None,
    })
}

/// Attribute writes of Process objects; true when handled.
pub fn process_setattr(w: &mut World, t: Tid, id: ObjId, name: &str, v: &Value) -> Result<bool, Raise> {
    let Some(p) = proc_obj(w, t, id).cloned() else {
        return Ok(false);
    };
    match name {
        "daemon" => {
            if p.pid.is_some() {
                return Err(Raise::new("AssertionError", "process has already started"));
            }
            let b = builtins::truthy(w, t, v)?;
            if let Some(po) = proc_obj(w, t, id) {
                po.daemon = b;
            }
            Ok(true)
        }
        "name" => {
            let s = builtins::str_of(w, t, v)?;
            if let Some(po) = proc_obj(w, t, id) {
                po.name = s;
            }
            Ok(true)
        }
        _ => Ok(false),
    }
}

pub fn process_repr(w: &World, p: &ProcObj) -> String {
    let state = match p.pid {
        None => "initial".to_string(),
        Some(c) => {
            let pr = w.proc(c);
            if pr.phase == Phase::Exited {
                format!("stopped exitcode={}", pr.exit_code.unwrap_or(0))
            } else {
                "started".to_string()
            }
        }
    };
    let daemon = if p.daemon { " daemon" } else { "" };
    format!("<Process name='{}' {state}{daemon}>", p.name)
}

// ---------------------------------------------------------------------------------------------
// Module functions

fn current_process(w: &mut World, t: Tid, _a: Args) -> NResult {
    let pid = w.pid_of(t);
    if let Some(o) = w.proc(pid).mp.process_obj {
        return ret(Value::Obj(o));
    }
    let cls = w.proc(pid).classes.get("Process");
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
    let ppid = w.proc(pid).ppid;
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
        if reap(w, c).is_some() {
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
    ret(Value::str(w.proc(pid).mp.start_method.unwrap_or("fork")))
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
        Some(v) => builtins::truthy(w, t, &v)?,
        None => false,
    };
    let m = match a.pos.first() {
        Some(Value::Str(s)) => method_of(s).ok_or_else(|| {
            Raise::New(
                "ValueError",
                format!("cannot find context for {}", builtins::repr_str(s)),
            )
        })?,
        Some(Value::None) => "fork",
        _ => return Err(Raise::new("TypeError", "method must be a string")),
    };
    let pid = w.pid_of(t);
    if w.proc(pid).mp.start_method.is_some() && !force {
        return Err(Raise::new("RuntimeError", "context has already been set"));
    }
    w.proc_mut(pid).mp.start_method = Some(m);
    ret(Value::None)
}

fn get_all_start_methods(w: &mut World, t: Tid, _a: Args) -> NResult {
    let v = vec![Value::str("fork"), Value::str("spawn"), Value::str("forkserver")];
    ret(Value::Obj(w.alloc(t, Obj::List(v))?))
}

/// `get_context(method)`: the module itself with that start method (the simulator has one context per process).
fn get_context(w: &mut World, t: Tid, a: Args) -> NResult {
    if let Some(Value::Str(s)) = a.pos.first() {
        let m = method_of(s).ok_or_else(|| {
            Raise::New(
                "ValueError",
                format!("cannot find context for {}", builtins::repr_str(s)),
            )
        })?;
        let pid = w.pid_of(t);
        w.proc_mut(pid).mp.start_method = Some(m);
    }
    modules::import(w, t, "multiprocessing").map(Flow::Return)
}

fn cpu_count(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    ret(Value::Int(2))
}

// ---------------------------------------------------------------------------------------------
// Shared objects

fn new_shared(w: &mut World, t: Tid, class: &str, s: Shared) -> NResult {
    w.shared.push(s);
    let sid = w.shared.len() - 1;
    let cls = w.proc(w.pid_of(t)).classes.get(class);
    ret(Value::Obj(w.alloc(
        t,
        Obj::Instance {
            class: cls,
            dict: Dict::default(),
            native: Native::Shared(sid),
        },
    )?))
}

fn new_event(w: &mut World, t: Tid, _a: Args) -> NResult {
    new_shared(w, t, "mp.Event", Shared::Event { flag: false })
}

fn new_lock(w: &mut World, t: Tid, _a: Args) -> NResult {
    new_shared(
        w,
        t,
        "mp.Lock",
        Shared::Lock {
            owner: None,
            count: 0,
            reentrant: false,
        },
    )
}

fn new_rlock(w: &mut World, t: Tid, _a: Args) -> NResult {
    new_shared(
        w,
        t,
        "mp.Lock",
        Shared::Lock {
            owner: None,
            count: 0,
            reentrant: true,
        },
    )
}

fn new_queue(w: &mut World, t: Tid, _a: Args) -> NResult {
    let pid = w.pid_of(t);
    if !w.proc(pid).mp.queue_imported {
        w.proc_mut(pid).mp.queue_imported = true;
        w.now += QUEUE_IMPORT_NS;
    }
    new_shared(w, t, "mp.Queue", Shared::Queue { items: VecDeque::new() })
}

fn new_value(w: &mut World, t: Tid, a: Args) -> NResult {
    let v = a.pos.get(1).cloned().unwrap_or(Value::Int(0));
    let p = to_portable(w, t, &v)?;
    let r = new_shared(w, t, "mp.Value", Shared::Value { value: p })?;
    if let Flow::Return(Value::Obj(id)) = &r {
        let lock = new_rlock(w, t, Args::default())?;
        if let (Flow::Return(l), Obj::Instance { .. }) = (lock, w.heap(t).get(*id)) {
            if let Obj::Instance { dict, .. } = w.heap(t).get_mut(*id) {
                dict.set_str("_lock", l);
            }
        }
    }
    Ok(r)
}

fn shared_id(w: &mut World, t: Tid, a: &Args) -> Result<usize, Raise> {
    match a.pos.first() {
        Some(Value::Obj(id)) => match w.heap(t).get(*id) {
            Obj::Instance {
                native: Native::Shared(s),
                ..
            } => Ok(*s),
            _ => Err(Raise::new("TypeError", "not a multiprocessing object")),
        },
        _ => Err(Raise::new("TypeError", "not a multiprocessing object")),
    }
}

/// `Value.value` reads and writes.
pub fn shared_getattr(w: &mut World, t: Tid, sid: usize, name: &str) -> Result<Option<Value>, Raise> {
    if name == "value" {
        if let Shared::Value { value } = w.shared[sid].clone() {
            return from_portable(w, t, &value).map(Some);
        }
    }
    Ok(None)
}

pub fn shared_setattr(w: &mut World, t: Tid, id: ObjId, name: &str, v: &Value) -> Result<bool, Raise> {
    let sid = match w.heap(t).get(id) {
        Obj::Instance {
            native: Native::Shared(s),
            ..
        } => *s,
        _ => return Ok(false),
    };
    if name == "value" && matches!(w.shared[sid], Shared::Value { .. }) {
        let p = to_portable(w, t, v)?;
        w.shared[sid] = Shared::Value { value: p };
        return Ok(true);
    }
    Ok(false)
}

/// Offers shared object `sid` to its waiters in every process.
pub fn notify_shared(w: &mut World, sid: usize) {
    let mut waiters: Vec<(u64, Tid)> = w
        .threads
        .iter()
        .enumerate()
        .filter(|(_, th)| {
            th.run == Run::Blocked && matches!(&th.wait, Some(Wait { on: WaitOn::Shared(s, _), .. }) if *s == sid)
        })
        .map(|(i, th)| (th.wait_seq, i))
        .collect();
    waiters.sort();
    for (_, wt) in waiters {
        let op = match &w.threads[wt].wait {
            Some(Wait {
                on: WaitOn::Shared(_, op),
                ..
            }) => op.clone(),
            _ => continue,
        };
        if let Some(v) = try_shared(w, wt, sid, &op) {
            let now = w.now;
            let pid = w.threads[wt].pid;
            w.wake(wt, v);
            let p = w.proc_mut(pid);
            p.clock = p.clock.max(now);
        }
    }
}

/// Can a thread waiting on shared object `sid` proceed? Performs the acquisition if so.
pub fn try_shared(w: &mut World, t: Tid, sid: usize, op: &SharedWait) -> Option<Result<Value, Raise>> {
    match (op, &mut w.shared[sid]) {
        (SharedWait::EventWait, Shared::Event { flag: true }) => Some(Ok(Value::Bool(true))),
        (SharedWait::Acquire, Shared::Lock { owner, count, .. }) if owner.is_none() => {
            *owner = Some(t);
            *count = 1;
            Some(Ok(Value::Bool(true)))
        }
        (SharedWait::QueueGet, Shared::Queue { items }) if !items.is_empty() => {
            let (p, _, _) = items.pop_front()?;
            let v = from_portable(w, t, &p);
            notify_shared_later(w, sid);
            Some(v)
        }
        (SharedWait::QueueGetOrExit(pids), Shared::Queue { items }) => {
            if let Some((p, _, _)) = items.pop_front() {
                let v = from_portable(w, t, &p);
                notify_shared_later(w, sid);
                return Some(v.map(|v| Value::Tuple(Rc::new(vec![Value::Bool(true), v]))));
            }
            let pids = pids.clone();
            pids.iter()
                .any(|p| w.proc(*p).phase == Phase::Exited)
                .then(|| Ok(Value::Tuple(Rc::new(vec![Value::Bool(false), Value::None]))))
        }
        (SharedWait::Flush(pid), Shared::Queue { items }) => {
            if queued_bytes_fit(items, *pid) {
                Some(Ok(Value::None))
            } else {
                None
            }
        }
        _ => None,
    }
}

fn notify_shared_later(w: &mut World, sid: usize) {
    // A get frees pipe space: exiting writers may now finish.
    let exiting: Vec<Tid> = w
        .threads
        .iter()
        .enumerate()
        .filter(|(_, th)| {
            th.run == Run::Blocked
                && matches!(&th.wait, Some(Wait { on: WaitOn::Shared(s, SharedWait::Flush(_)), .. }) if *s == sid)
        })
        .map(|(i, _)| i)
        .collect();
    for wt in exiting {
        if let Some(Wait {
            on: WaitOn::Shared(_, SharedWait::Flush(pid)),
            ..
        }) = w.threads[wt].wait.clone()
        {
            if let Shared::Queue { items } = &w.shared[sid] {
                if queued_bytes_fit(items, pid) {
                    w.wake(wt, Ok(Value::None));
                }
            }
        }
    }
}

/// All of `pid`'s queued items fit in the pipe (with what is queued before them).
fn queued_bytes_fit(items: &VecDeque<(Portable, usize, Pid)>, pid: Pid) -> bool {
    let mut total = 0;
    let mut last_mine = 0;
    for (_, size, writer) in items {
        total += size;
        if *writer == pid {
            last_mine = total;
        }
    }
    last_mine <= PIPE_CAPACITY
}

/// At exit: a shared queue this process wrote to and whose data does not fit in the pipe.
pub fn unflushed_queue(w: &World, pid: Pid) -> Option<usize> {
    w.shared.iter().enumerate().find_map(|(i, s)| match s {
        Shared::Queue { items } if items.iter().any(|(_, _, p)| *p == pid) && !queued_bytes_fit(items, pid) => Some(i),
        _ => None,
    })
}

fn sh_event_set(w: &mut World, t: Tid, a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    if let Shared::Event { flag } = &mut w.shared[sid] {
        *flag = true;
    }
    notify_shared(w, sid);
    ret(Value::None)
}

fn sh_event_clear(w: &mut World, t: Tid, a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    if let Shared::Event { flag } = &mut w.shared[sid] {
        *flag = false;
    }
    ret(Value::None)
}

fn sh_event_is_set(w: &mut World, t: Tid, a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    ret(Value::Bool(matches!(w.shared[sid], Shared::Event { flag: true })))
}

fn timeout_of(v: Option<Value>) -> Result<Option<f64>, Raise> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Int(i)) => Ok(Some(i as f64)),
        Some(Value::Float(f)) => Ok(Some(f)),
        Some(Value::Bool(b)) => Ok(Some(b as i64 as f64)),
        Some(_) => Err(Raise::new("TypeError", "timeout must be a number")),
    }
}

fn sh_event_wait(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    let timeout = timeout_of(a.arg(1, "timeout"))?;
    if matches!(w.shared[sid], Shared::Event { flag: true }) {
        return ret(Value::Bool(true));
    }
    if timeout.is_some_and(|s| s <= 0.0) {
        return ret(Value::Bool(false));
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Shared(sid, SharedWait::EventWait),
        deadline: timeout.map(|s| w.now + threading::ns(s)),
        on_timeout: Ok(Value::Bool(false)),
    }))
}

fn sh_lock_acquire(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    let blocking = match a.arg(1, "block").or_else(|| a.take_kw("blocking")) {
        Some(v) => builtins::truthy(w, t, &v)?,
        None => true,
    };
    let timeout = timeout_of(a.arg(2, "timeout"))?;
    if let Shared::Lock {
        owner,
        count,
        reentrant,
    } = &mut w.shared[sid]
    {
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
    if !blocking || timeout.is_some_and(|s| s <= 0.0) {
        return ret(Value::Bool(false));
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Shared(sid, SharedWait::Acquire),
        deadline: timeout.map(|s| w.now + threading::ns(s)),
        on_timeout: Ok(Value::Bool(false)),
    }))
}

fn sh_release(w: &mut World, t: Tid, sid: usize) -> Result<(), Raise> {
    if let Shared::Lock {
        owner,
        count,
        reentrant,
    } = &mut w.shared[sid]
    {
        if owner.is_none() || (*reentrant && *owner != Some(t)) {
            return Err(Raise::new(
                if *reentrant { "AssertionError" } else { "ValueError" },
                "semaphore or lock released too many times",
            ));
        }
        *count = count.saturating_sub(1);
        if *count == 0 || !*reentrant {
            *owner = None;
            *count = 0;
        }
    }
    notify_shared(w, sid);
    Ok(())
}

fn sh_lock_release(w: &mut World, t: Tid, a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    sh_release(w, t, sid)?;
    ret(Value::None)
}

fn sh_lock_exit(w: &mut World, t: Tid, a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    sh_release(w, t, sid)?;
    ret(Value::Bool(false))
}

/// Approximate pickled size of a value, for the pipe-capacity rule.
fn pickled_size(p: &Portable) -> usize {
    match p {
        Portable::None | Portable::Bool(_) => 1,
        Portable::Int(_) => 9,
        Portable::Float(_) => 9,
        Portable::Str(s) => s.len() + 5,
        Portable::Tuple(v) | Portable::List(v) | Portable::Set(v) => 4 + v.iter().map(pickled_size).sum::<usize>(),
        Portable::Dict(v) => 4 + v.iter().map(|(k, x)| pickled_size(k) + pickled_size(x)).sum::<usize>(),
        Portable::Global(n) => n.len() + 20,
        Portable::Exception(n, a) => n.len() + 20 + a.iter().map(pickled_size).sum::<usize>(),
        Portable::SharedRef(..) => 40,
    }
}

fn sh_queue_put(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    let item = a
        .arg(1, "obj")
        .ok_or_else(|| Raise::new("TypeError", "put() missing 1 required positional argument: 'obj'"))?;
    let p = to_portable(w, t, &item)?;
    let size = pickled_size(&p) + 20;
    let pid = w.pid_of(t);
    if let Shared::Queue { items } = &mut w.shared[sid] {
        items.push_back((p, size, pid));
    }
    notify_shared(w, sid);
    ret(Value::None)
}

fn sh_queue_get(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    let block = match a.arg(1, "block") {
        Some(v) => builtins::truthy(w, t, &v)?,
        None => true,
    };
    let timeout = timeout_of(a.arg(2, "timeout"))?;
    if let Some(v) = try_shared(w, t, sid, &SharedWait::QueueGet) {
        return v.map(Flow::Return);
    }
    if !block || timeout.is_some_and(|s| s <= 0.0) {
        return Err(Raise::new("Empty", ""));
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Shared(sid, SharedWait::QueueGet),
        deadline: timeout.map(|s| w.now + threading::ns(s)),
        on_timeout: Err(Raise::new("Empty", "")),
    }))
}

fn sh_queue_get_nowait(w: &mut World, t: Tid, a: Args) -> NResult {
    sh_queue_get(w, t, Args::new(vec![a.pos[0].clone(), Value::Bool(false)]))
}

fn sh_queue_empty(w: &mut World, t: Tid, a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    ret(Value::Bool(
        matches!(&w.shared[sid], Shared::Queue { items } if items.is_empty()),
    ))
}

fn sh_queue_qsize(w: &mut World, t: Tid, a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    ret(Value::Int(match &w.shared[sid] {
        Shared::Queue { items } => items.len() as i64,
        _ => 0,
    }))
}

fn sh_noop(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    ret(Value::None)
}

// ---------------------------------------------------------------------------------------------
// Values across processes

/// Copies a value out of a heap, as pickling does.
pub fn to_portable(w: &mut World, t: Tid, v: &Value) -> Result<Portable, Raise> {
    Ok(match v {
        Value::None => Portable::None,
        Value::Bool(b) => Portable::Bool(*b),
        Value::Int(i) => Portable::Int(*i),
        Value::Float(f) => Portable::Float(*f),
        Value::Str(s) => Portable::Str(s.clone()),
        Value::Tuple(items) => Portable::Tuple(items.iter().map(|x| to_portable(w, t, x)).collect::<Result<_, _>>()?),
        Value::Native(d) => Portable::Global(d.name.to_string()),
        Value::Obj(id) => match w.heap(t).get(*id).clone() {
            Obj::List(items) => Portable::List(items.iter().map(|x| to_portable(w, t, x)).collect::<Result<_, _>>()?),
            Obj::Dict(d) => Portable::Dict(
                d.map
                    .values()
                    .map(|(k, x)| Ok((to_portable(w, t, k)?, to_portable(w, t, x)?)))
                    .collect::<Result<_, Raise>>()?,
            ),
            Obj::Set(d) => Portable::Set(
                d.map
                    .values()
                    .map(|(k, _)| to_portable(w, t, k))
                    .collect::<Result<_, _>>()?,
            ),
            Obj::Function(f) => {
                if f.qualname.contains('<') {
                    return Err(Raise::New(
                        "AttributeError",
                        format!("Can't get local object '{}'", f.qualname),
                    ));
                }
                Portable::Global(f.qualname.to_string())
            }
            Obj::Class(c) => Portable::Global(c.name.to_string()),
            Obj::Instance {
                native: Native::Shared(s),
                class,
                ..
            } => {
                let kind = match w.heap(t).get(class) {
                    Obj::Class(c) => c.builtin.unwrap_or("mp.Event"),
                    _ => "mp.Event",
                };
                Portable::SharedRef(s, kind)
            }
            Obj::Instance {
                native: Native::Exception { .. },
                class,
                dict,
            } => {
                let name = builtins::class_name(w, t, class);
                let args = match dict.get_str("args") {
                    Some(Value::Tuple(a)) => a.iter().map(|x| to_portable(w, t, x)).collect::<Result<_, _>>()?,
                    _ => vec![],
                };
                Portable::Exception(name, args)
            }
            _ => {
                let tn = builtins::type_name(w, t, v);
                return Err(Raise::New("TypeError", format!("cannot pickle '{tn}' object")));
            }
        },
        Value::Range(a, b, s) => Portable::Tuple(vec![Portable::Int(*a), Portable::Int(*b), Portable::Int(*s)]),
        _ => {
            let tn = builtins::type_name(w, t, v);
            return Err(Raise::New("TypeError", format!("cannot pickle '{tn}' object")));
        }
    })
}

/// Rebuilds a value in the receiving process's heap, as unpickling does.
pub fn from_portable(w: &mut World, t: Tid, p: &Portable) -> Result<Value, Raise> {
    Ok(match p {
        Portable::None => Value::None,
        Portable::Bool(b) => Value::Bool(*b),
        Portable::Int(i) => Value::Int(*i),
        Portable::Float(f) => Value::Float(*f),
        Portable::Str(s) => Value::Str(s.clone()),
        Portable::Tuple(items) => Value::tuple(items.iter().map(|x| from_portable(w, t, x)).collect::<Result<_, _>>()?),
        Portable::List(items) => {
            let v = items.iter().map(|x| from_portable(w, t, x)).collect::<Result<_, _>>()?;
            Value::Obj(w.alloc(t, Obj::List(v))?)
        }
        Portable::Set(items) => {
            let mut d = Dict::default();
            for x in items {
                let v = from_portable(w, t, x)?;
                let k = builtins::key_of(w, t, &v)?;
                d.insert(k, v, Value::None);
            }
            Value::Obj(w.alloc(t, Obj::Set(d))?)
        }
        Portable::Dict(items) => {
            let mut d = Dict::default();
            for (k, x) in items {
                let kv = from_portable(w, t, k)?;
                let vv = from_portable(w, t, x)?;
                let key = builtins::key_of(w, t, &kv)?;
                d.insert(key, kv, vv);
            }
            Value::Obj(w.alloc(t, Obj::Dict(d))?)
        }
        Portable::Global(name) => {
            let g = w.proc(w.pid_of(t)).globals;
            let found = match w.heap(t).get(g) {
                Obj::Dict(d) => d.get_str(name.rsplit('.').next().unwrap_or(name)).cloned(),
                _ => None,
            };
            match found {
                Some(v) => v,
                None => {
                    let b = w.proc(w.pid_of(t)).builtins;
                    match w.heap(t).get(b) {
                        Obj::Dict(d) => d.get_str(name).cloned(),
                        _ => None,
                    }
                    .ok_or_else(|| {
                        Raise::New(
                            "AttributeError",
                            format!("Can't get attribute '{name}' on <module '__mp_main__'>"),
                        )
                    })?
                }
            }
        }
        Portable::Exception(name, args) => {
            let cls = w.proc(w.pid_of(t)).classes.get(name);
            let args = args.iter().map(|x| from_portable(w, t, x)).collect::<Result<_, _>>()?;
            w.new_exception(t, cls, args)?
        }
        Portable::SharedRef(s, kind) => {
            let cls = w.proc(w.pid_of(t)).classes.get(kind);
            Value::Obj(w.alloc(
                t,
                Obj::Instance {
                    class: cls,
                    dict: Dict::default(),
                    native: Native::Shared(*s),
                },
            )?)
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Child bootstrap and exit

/// `_child_exit(code)`: the child's target is done; shut the process down
/// (non-daemon threads are joined, user atexit handlers are skipped).
pub fn child_exit(w: &mut World, t: Tid, a: Args) -> NResult {
    let code = match a.pos.first() {
        Some(Value::Int(i)) => *i as i32,
        _ => 0,
    };
    let pid = w.pid_of(t);
    let v312 = w.opts.python == PyVersion::V3_12;
    let p = w.proc_mut(pid);
    p.exit_code = Some(code);
    if v312 {
        // Up to 3.12 a forked child never runs atexit handlers.
        p.atexit.clear();
    }
    w.threads[t].frames.clear();
    Ok(Flow::Block(Wait {
        on: WaitOn::Sleep,
        deadline: Some(w.now),
        on_timeout: Ok(Value::None),
    }))
}

/// `_get_or_exit(queue, processes)`: `(True, item)` with the queue's next item, or
/// `(False, None)` once one of the (started) processes has ended, whichever comes
/// first; an item already queued wins. What `ProcessPoolExecutor`'s manager thread
/// waits for: a result, or a worker that died.
pub fn get_or_exit(w: &mut World, t: Tid, a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    let mut pids = Vec::new();
    let procs = match a.pos.get(1) {
        Some(Value::Obj(id)) => match w.heap(t).get(*id) {
            Obj::List(items) => items.clone(),
            _ => return Err(Raise::new("TypeError", "expected a list of processes")),
        },
        Some(Value::Tuple(items)) => items.to_vec(),
        _ => return Err(Raise::new("TypeError", "expected a list of processes")),
    };
    for v in procs {
        if let Value::Obj(id) = v {
            if let Some(pid) = proc_obj(w, t, id).and_then(|p| p.pid) {
                pids.push(pid);
            }
        }
    }
    let op = SharedWait::QueueGetOrExit(pids);
    if let Some(v) = try_shared(w, t, sid, &op) {
        return v.map(Flow::Return);
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Shared(sid, op),
        deadline: None,
        on_timeout: Ok(Value::None),
    }))
}

/// `_report_process_error(process, exc)`: `Process NAME:` and the traceback, on stderr.
pub fn report_process_error(w: &mut World, t: Tid, a: Args) -> NResult {
    let name = match a.pos.first() {
        Some(Value::Obj(id)) => proc_obj(w, t, *id).map(|p| p.name.clone()).unwrap_or_default(),
        _ => String::new(),
    };
    let exc = a.pos.get(1).cloned().unwrap_or(Value::None);
    let lib = Rc::new(format!(
        "/usr/lib/python{}/multiprocessing/process.py",
        w.opts.python.label()
    ));
    let lead = vec![TbEntry {
        file: lib,
        line: 314,
        func: Rc::new("_bootstrap".into()),
        text: Rc::new("self.run()".into()),
    }];
    let mut text = format!("Process {name}:\n");
    text.push_str(&builtins::format_exception(w, t, &exc, lead));
    w.write(t, Stream::Stderr, &text);
    ret(Value::None)
}

/// `_system_exit_code(exc)`: the exit code a SystemExit gives (printing a message code).
pub fn system_exit_code_native(w: &mut World, t: Tid, a: Args) -> NResult {
    let exc = a.pos.first().cloned().unwrap_or(Value::None);
    ret(Value::Int(builtins::system_exit_code(w, t, &exc) as i64))
}

/// `_terminate_quietly(p)`: SIGTERM to a live daemon child (multiprocessing's exit handler).
pub fn terminate_quietly(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    if let Some(child) = proc_obj(w, t, id).and_then(|p| p.pid) {
        if w.proc(child).phase != Phase::Exited {
            let from = w.pid_of(t);
            send_signal(w, Some(from), child, 15);
        }
    }
    ret(Value::None)
}

/// A process ended (exit or signal): wake its joiners, orphan its children.
pub fn on_exit(w: &mut World, pid: Pid) {
    let joiners: Vec<Tid> = w
        .threads
        .iter()
        .enumerate()
        .filter(|(_, th)| {
            th.run == Run::Blocked && matches!(&th.wait, Some(Wait { on: WaitOn::Process(p), .. }) if *p == pid)
        })
        .map(|(i, _)| i)
        .collect();
    for j in joiners {
        let jp = w.threads[j].pid;
        let now = w.now;
        w.wake(j, Ok(Value::None));
        let p = w.proc_mut(jp);
        p.clock = p.clock.max(now);
    }
    // Threads waiting for a queue item or the end of this process.
    let watchers: Vec<(u64, Tid, usize)> = w
        .threads
        .iter()
        .enumerate()
        .filter_map(|(i, th)| match &th.wait {
            Some(Wait {
                on: WaitOn::Shared(s, SharedWait::QueueGetOrExit(pids)),
                ..
            }) if th.run == Run::Blocked && pids.contains(&pid) => Some((th.wait_seq, i, *s)),
            _ => None,
        })
        .collect::<Vec<_>>();
    let mut watchers = watchers;
    watchers.sort();
    for (_, wt, sid) in watchers {
        let Some(Wait {
            on: WaitOn::Shared(_, op),
            ..
        }) = w.threads[wt].wait.clone()
        else {
            continue;
        };
        if let Some(v) = try_shared(w, wt, sid, &op) {
            let now = w.now;
            let wp = w.threads[wt].pid;
            w.wake(wt, v);
            let p = w.proc_mut(wp);
            p.clock = p.clock.max(now);
        }
    }
    // Shared locks held by the dead process's threads stay held, as in CPython.
    let children: Vec<Pid> = w
        .procs
        .iter()
        .filter(|p| p.ppid == pid && p.phase != Phase::Exited)
        .map(|p| p.pid)
        .collect();
    for c in children {
        w.proc_mut(c).ppid = 1;
        w.rec.processes[pid_index(c)].ppid = 1;
        w.event(EventKind::Reparent { pid: c, ppid: 1 });
    }
    // An orphan's status is collected by init at once.
    if w.proc(pid).ppid == 1 || w.proc(pid).ppid == 0 {
        w.proc_mut(pid).mp.reaped = true;
    }
}

/// Ends a process at once (SIGKILL, default SIGTERM, ...): no `finally`, no atexit.
pub fn kill_process(w: &mut World, pid: Pid, signum: i32) {
    end_process(w, pid, -signum);
}

/// Ends a process at once with exit status `code` (-N for signal N).
pub fn end_process(w: &mut World, pid: Pid, code: i32) {
    if w.proc(pid).phase == Phase::Exited {
        return;
    }
    let threads = w.proc(pid).threads.clone();
    for t in threads {
        let th = &mut w.threads[t];
        if !th.alive && !th.is_main {
            continue;
        }
        if let Some(wt) = th.wait.take() {
            if let Some(d) = wt.deadline {
                w.timers.remove(&(d, th.wait_seq, t));
            }
        }
        let was_alive = th.alive || th.is_main;
        th.alive = false;
        th.run = Run::Done;
        th.frames.clear();
        th.boot = None;
        if was_alive {
            w.rec.threads[t].end_ns = Some(w.now);
            let state = if code < 0 {
                ThreadState::Killed { signal: -code }
            } else {
                ThreadState::Abandoned
            };
            w.set_state(t, state);
        }
    }
    let now = w.now;
    let p = w.proc_mut(pid);
    // Line-buffered output not yet written is lost with the process.
    p.stdout.clear();
    p.stderr.clear();
    p.phase = Phase::Exited;
    p.running = None;
    p.ready.clear();
    p.exit_t = Some(now);
    p.exit_code = Some(code);
    let i = pid_index(pid);
    w.rec.processes[i].exit_code = Some(code);
    w.rec.processes[i].exit_ns = Some(now);
    w.event(EventKind::Exit { pid, code });
    on_exit(w, pid);
}

// ---------------------------------------------------------------------------------------------
// Signals

fn handler_of(w: &World, pid: Pid, signum: i32) -> Option<Handler> {
    w.proc(pid)
        .handlers
        .iter()
        .find(|(s, _)| *s == signum)
        .map(|(_, h)| h.clone())
}

/// A scheduled signal from the command line or the app.
pub fn send_scheduled(w: &mut World, s: &crate::SignalSpec) {
    let targets: Vec<Pid> = match s.target {
        crate::SignalTarget::Group => w
            .procs
            .iter()
            .filter(|p| p.phase != Phase::Exited)
            .map(|p| p.pid)
            .collect(),
        crate::SignalTarget::Main => vec![w.procs[0].pid],
        crate::SignalTarget::Pid(p) => {
            if p >= 1000 && pid_index(p) < w.procs.len() {
                vec![p]
            } else {
                vec![]
            }
        }
    };
    for pid in targets {
        send_signal(w, None, pid, s.signum);
    }
}

/// Delivers `signum` to process `pid`: its disposition decides what happens.
pub fn send_signal(w: &mut World, from: Option<Pid>, pid: Pid, signum: i32) {
    if w.proc(pid).phase == Phase::Exited {
        return;
    }
    let handler = handler_of(w, pid, signum);
    let action = match (signum, &handler) {
        (9, _) => "killed",
        (_, Some(Handler::Ignore)) => "ignored",
        (_, Some(Handler::Python(_))) => "handler",
        (2, None) => "KeyboardInterrupt",
        (28 | 17 | 23, _) => "ignored",
        _ => "terminated",
    };
    w.event(EventKind::Signal {
        from,
        to: pid,
        signum,
        action: action.to_string(),
    });
    match action {
        "killed" | "terminated" => kill_process(w, pid, signum),
        "ignored" => {}
        _ => {
            w.proc_mut(pid).pending_signals.push_back(signum);
            interrupt_main(w, pid);
        }
    }
}

/// Makes the main thread runnable so it handles its pending signal: a blocked
/// wait is set aside (and resumed after a handler that returns).
fn interrupt_main(w: &mut World, pid: Pid) {
    let main = w.proc(pid).main;
    let th = &mut w.threads[main];
    if th.run != Run::Blocked {
        return;
    }
    if matches!(
        th.wait,
        Some(Wait {
            on: WaitOn::Forever,
            ..
        })
    ) {
        return;
    }
    let wait = th.wait.take();
    if let Some(wt) = &wait {
        if let Some(d) = wt.deadline {
            w.timers.remove(&(d, th.wait_seq, main));
        }
    }
    th.interrupted = wait;
    th.run = Run::Ready;
    let now = w.now;
    let p = w.proc_mut(pid);
    if p.running.is_none() && p.ready.is_empty() {
        p.clock = p.clock.max(now);
    }
    p.ready.push_front(main);
    w.set_state(main, ThreadState::Ready);
}

/// Handles pending signals when process `pi`'s main thread is about to run.
/// Returns true when it changed what runs (the caller re-enters its loop).
pub fn deliver_pending(w: &mut World, pi: usize) -> bool {
    let p = &w.procs[pi];
    let Some(&signum) = p.pending_signals.front() else {
        return false;
    };
    let main = p.main;
    if p.running != Some(main) || w.threads[main].sync_depth > 0 {
        return false;
    }
    let pid = p.pid;
    w.proc_mut(pid).pending_signals.pop_front();
    let saved = w.threads[main].interrupted.take();
    let handler = handler_of(w, pid, signum);
    match handler {
        Some(Handler::Python(f)) => {
            let args = Args::new(vec![Value::Int(signum as i64), Value::None]);
            match w.call_value(main, f, args, Ret::Signal { saved: saved.clone() }) {
                Ok(interp::Called::Value(_)) => resume_wait(w, main, saved),
                Ok(_) => {}
                Err(e) => raise_in_main(w, main, e, saved),
            }
        }
        Some(Handler::Ignore) => resume_wait(w, main, saved),
        Some(Handler::Default) if signum == 2 => kill_process(w, pid, 2),
        _ => raise_in_main(w, main, Raise::new("KeyboardInterrupt", ""), saved),
    }
    true
}

/// After a signal handler returned: the interrupted wait goes on (PEP 475).
pub fn resume_wait(w: &mut World, tid: Tid, saved: Option<Wait>) {
    let Some(wait) = saved else {
        return;
    };
    // A thread joined may have ended while the handler ran: the join returns.
    let ended = match wait.on {
        WaitOn::Join(t) | WaitOn::Shutdown(t) => (!w.threads[t].alive).then_some(t),
        _ => None,
    };
    let join = matches!(wait.on, WaitOn::Join(_));
    w.note_global();
    w.block(tid, wait);
    if let Some(target) = ended {
        if join {
            let line = w.current_line(tid);
            w.event(EventKind::Join {
                waiter: ThreadId(tid as u32),
                target: ThreadId(target as u32),
                line,
                timed_out: false,
            });
        }
        w.wake(tid, Ok(Value::None));
    }
}

/// A KeyboardInterrupt (or a handler's exception) in the main thread.
fn raise_in_main(w: &mut World, main: Tid, e: Raise, saved: Option<Wait>) {
    // 3.12 and earlier: an interrupted Thread.join() marks the thread stopped (cpython #90882).
    if let Some(Wait {
        on: WaitOn::Join(target),
        ..
    }) = &saved
    {
        if w.opts.python == PyVersion::V3_12 {
            w.threads[*target].marked_stopped = true;
        }
    }
    if w.threads[main].frames.is_empty() {
        interrupt_shutdown(w, main, e);
        return;
    }
    w.raise_in(main, e, false);
}

/// KeyboardInterrupt while the interpreter waits for non-daemon threads at shutdown:
/// CPython reports it and exits at once, abandoning the threads.
pub fn interrupt_shutdown(w: &mut World, main: Tid, e: Raise) {
    let pid = w.pid_of(main);
    let lib = format!("/usr/lib/python{}/threading.py", w.opts.python.label());
    let is_ki = matches!(&e, Raise::New("KeyboardInterrupt", _));
    let name = match &e {
        Raise::New(c, _) => c.to_string(),
        Raise::Obj(v) => builtins::exc_class_name(w, main, v),
    };
    let text = match w.opts.python {
        PyVersion::V3_13 => format!("Traceback (most recent call last):\n  File \"{lib}\", line 1540, in _shutdown\n    _thread_shutdown()\n{name}: \n"),
        PyVersion::V3_12 => format!(
            "Exception ignored in: <module 'threading' from '{lib}'>\nTraceback (most recent call last):\n  File \"{lib}\", line 1590, in _shutdown\n    lock.acquire()\n{name}: \n"
        ),
    };
    w.write(main, Stream::Stderr, &text);
    let _ = is_ki;
    let p = w.proc_mut(pid);
    p.atexit.clear();
    p.thread_atexit.clear();
    w.exit_process(pid, main);
}

/// `os.kill(pid, sig)`.
pub fn os_kill(w: &mut World, t: Tid, a: Args) -> NResult {
    let (pid, sig) = match (a.pos.first(), a.pos.get(1)) {
        (Some(Value::Int(p)), Some(Value::Int(s))) => (*p, *s),
        _ => return Err(Raise::new("TypeError", "kill() takes two integer arguments")),
    };
    if !(0..=64).contains(&sig) {
        return Err(Raise::new("OSError", "[Errno 22] Invalid argument"));
    }
    let known =
        pid >= 1000 && (pid as usize - 1000) < w.procs.len() && w.procs[pid as usize - 1000].phase != Phase::Exited;
    if !known {
        return Err(Raise::new("ProcessLookupError", "[Errno 3] No such process"));
    }
    if sig == 0 {
        return ret(Value::None);
    }
    let from = w.pid_of(t);
    send_signal(w, Some(from), pid as Pid, sig as i32);
    if w.proc(from).phase == Phase::Exited {
        // The process killed itself.
        return Ok(Flow::Block(Wait {
            on: WaitOn::Forever,
            deadline: None,
            on_timeout: Ok(Value::None),
        }));
    }
    ret(Value::None)
}

/// `signal.signal(signum, handler)`.
pub fn signal_signal(w: &mut World, t: Tid, a: Args) -> NResult {
    let pid = w.pid_of(t);
    if t != w.proc(pid).main {
        return Err(Raise::new(
            "ValueError",
            "signal only works in main thread of the main interpreter",
        ));
    }
    let signum = match a.pos.first() {
        Some(Value::Int(i)) => *i as i32,
        Some(Value::Bool(b)) => *b as i32,
        _ => return Err(Raise::new("TypeError", "signal number must be an integer")),
    };
    if !(1..=64).contains(&signum) {
        return Err(Raise::new("ValueError", "signal number out of range"));
    }
    if signum == 9 || signum == 19 {
        return Err(Raise::new("OSError", "[Errno 22] Invalid argument"));
    }
    let h = match a.pos.get(1) {
        Some(Value::Int(0)) => Handler::Default,
        Some(Value::Int(1)) => Handler::Ignore,
        Some(Value::Native(d)) if std::ptr::eq(*d, &DEFAULT_INT_HANDLER) => Handler::Python(Value::Native(d)),
        Some(v) => {
            let callable = matches!(v, Value::Native(_) | Value::BoundNative(_))
                || matches!(v, Value::Obj(id) if matches!(w.heap(t).get(*id), Obj::Function(_) | Obj::Method(..)));
            if !callable {
                return Err(Raise::new(
                    "TypeError",
                    "signal handler must be signal.SIG_IGN, signal.SIG_DFL, or a callable object",
                ));
            }
            Handler::Python(v.clone())
        }
        None => {
            return Err(Raise::new(
                "TypeError",
                "signal() missing required argument 'handler' (pos 2)",
            ))
        }
    };
    let prev = getsignal(w, pid, signum);
    let p = w.proc_mut(pid);
    p.handlers.retain(|(s, _)| *s != signum);
    // SIGINT's initial disposition is Python's default handler, represented by no entry.
    let is_default_int =
        signum == 2 && matches!(&h, Handler::Python(Value::Native(d)) if std::ptr::eq(*d, &DEFAULT_INT_HANDLER));
    if !is_default_int {
        p.handlers.push((signum, h));
    }
    ret(prev)
}

fn getsignal(w: &World, pid: Pid, signum: i32) -> Value {
    match handler_of(w, pid, signum) {
        Some(Handler::Default) => Value::Int(0),
        Some(Handler::Ignore) => Value::Int(1),
        Some(Handler::Python(v)) => v,
        None if signum == 2 => Value::Native(&DEFAULT_INT_HANDLER),
        None => Value::Int(0),
    }
}

pub fn signal_getsignal(w: &mut World, t: Tid, a: Args) -> NResult {
    let signum = match a.pos.first() {
        Some(Value::Int(i)) => *i as i32,
        _ => return Err(Raise::new("TypeError", "signal number must be an integer")),
    };
    if !(1..=64).contains(&signum) {
        return Err(Raise::new("ValueError", "signal number out of range"));
    }
    let pid = w.pid_of(t);
    ret(getsignal(w, pid, signum))
}

/// `signal.default_int_handler`: one object, so `is` comparisons hold.
pub static DEFAULT_INT_HANDLER: NativeDef = NativeDef {
    name: "default_int_handler",
    f: default_int_handler,
};

pub fn default_int_handler(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    Err(Raise::new("KeyboardInterrupt", ""))
}

/// `signal.raise_signal(signum)`: the signal to this process, handled at once.
pub fn raise_signal(w: &mut World, t: Tid, a: Args) -> NResult {
    let signum = match a.pos.first() {
        Some(Value::Int(i)) => *i as i32,
        _ => return Err(Raise::new("TypeError", "signal number must be an integer")),
    };
    if !(1..=64).contains(&signum) {
        return Err(Raise::new("ValueError", "signal number out of range"));
    }
    let pid = w.pid_of(t);
    send_signal(w, Some(pid), pid, signum);
    ret(Value::None)
}

/// `signal.alarm(seconds)`: SIGALRM to this process later.
pub fn alarm(w: &mut World, t: Tid, a: Args) -> NResult {
    let secs = match a.pos.first() {
        Some(Value::Int(i)) => *i,
        _ => return Err(Raise::new("TypeError", "an integer is required")),
    };
    let pid = w.pid_of(t);
    w.signal_queue
        .retain(|s| !(s.signum == 14 && s.target == crate::SignalTarget::Pid(pid)));
    if secs > 0 {
        let spec = crate::SignalSpec {
            t_ns: w.now + secs as u64 * 1_000_000_000,
            signum: 14,
            target: crate::SignalTarget::Pid(pid),
        };
        let pos = w
            .signal_queue
            .iter()
            .position(|s| s.t_ns > spec.t_ns)
            .unwrap_or(w.signal_queue.len());
        w.signal_queue.insert(pos, spec);
    }
    ret(Value::Int(0))
}

/// For the trace: what a thread blocked on a shared object waits for.
pub fn describe_shared(w: &World, sid: usize, op: &SharedWait) -> BlockedOn {
    let object = match &w.shared[sid] {
        Shared::Event { .. } => "multiprocessing.Event".to_string(),
        Shared::Lock { .. } => "multiprocessing.Lock".to_string(),
        Shared::Queue { .. } => "multiprocessing.Queue".to_string(),
        Shared::Value { .. } => "multiprocessing.Value".to_string(),
    };
    match op {
        SharedWait::EventWait => BlockedOn::Event { object },
        SharedWait::Acquire => BlockedOn::Lock { object, holder: None },
        SharedWait::QueueGet | SharedWait::QueueGetOrExit(_) => BlockedOn::Queue {
            object,
            op: "get".into(),
        },
        SharedWait::Flush(_) => BlockedOn::QueueFlush { object },
    }
}
