//! `multiprocessing.Process` objects: construction, `start()` (a `fork` copy
//! of this process, or a `spawn`ed fresh interpreter), `join()`,
//! `is_alive()`, `terminate()`, `kill()`, `close()`, their attributes and repr.

use std::rc::Rc;

use super::lifecycle::spawn_boot;
use super::portable::to_portable;
use super::{ret, SPAWN_NS};
use crate::stdlib::args::{target_args, target_params, TargetParams};
use crate::stdlib::lookup;
use crate::stdlib::signal::send_signal;
use crate::trace::*;
use crate::types::{self, native};
use crate::vm::value::*;
use crate::vm::*;

/// `Process`'s methods.
pub(super) static PROCESS_METHODS: &[&NativeDef] = &[
    native!("Process.__init__", process_init),
    native!("Process.start", process_start),
    native!("Process.run", process_run),
    native!("Process.join", process_join),
    native!("Process.is_alive", process_is_alive),
    native!("Process.terminate", process_terminate),
    native!("Process.kill", process_kill),
    native!("Process.interrupt", process_interrupt),
    native!("Process.close", process_close),
];

pub(super) fn proc_obj(w: &mut World, t: Tid, id: ObjId) -> Option<&mut ProcObj> {
    match w.heap(t).get_mut(id) {
        Obj::Instance {
            native: Native::Process(p),
            ..
        } => Some(p),
        _ => None,
    }
}

pub(super) fn self_id(a: &Args) -> Result<ObjId, Raise> {
    match a.pos.first() {
        Some(Value::Obj(id)) => Ok(*id),
        _ => Err(Raise::new(Exc::TypeError, "descriptor requires a Process object")),
    }
}

pub(super) fn closed_check(p: &ProcObj) -> Result<(), Raise> {
    if p.closed {
        return Err(Raise::new(Exc::ValueError, "process object is closed"));
    }
    Ok(())
}

fn process_init(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let TargetParams {
        target,
        name,
        args,
        kwargs,
        daemon,
    } = target_params(&mut a)?;
    let pid = w.pid_of(t);
    let p = &mut w.proc_mut(pid).mp;
    p.counter += 1;
    let mut identity = p.identity.clone();
    identity.push(p.counter);
    let name = match name {
        Some(Value::Str(s)) => s.to_string(),
        Some(v) if !v.is_none() => types::str_of(w, t, &v)?,
        _ => format!(
            "Process-{}",
            identity.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(":")
        ),
    };
    // A Process created in a daemonic process is daemonic too.
    let parent_daemon = w.proc(pid).mp.daemon;
    let daemon = match daemon {
        Some(Value::None) | None => parent_daemon,
        Some(v) => types::truthy(w, t, &v)?,
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
        .ok_or_else(|| Raise::new(Exc::AttributeError, "'Process' object has no attribute '_closed'"))?
        .clone();
    closed_check(&p)?;
    if p.pid.is_some() {
        return Err(Raise::new(Exc::AssertionError, "cannot start a process twice"));
    }
    let pid = w.pid_of(t);
    if w.proc(pid).mp.daemon && w.proc(pid).mp.is_child {
        return Err(Raise::new(
            Exc::AssertionError,
            "daemonic processes are not allowed to have children",
        ));
    }
    if w.proc(pid).mp.bootstrapping {
        return Err(Raise::new(Exc::RuntimeError, BOOTSTRAP_ERROR));
    }
    if w.procs.len() >= MAX_PROCESSES {
        w.stop = Some(StopReason::ProcessLimit { limit: MAX_PROCESSES });
        return Err(Raise::new(Exc::OSError, "[Errno 11] Resource temporarily unavailable"));
    }
    // multiprocessing's exit handler is registered when its util module is first imported: now.
    if !w.proc(pid).mp.registered_exit {
        let f = crate::stdlib::concurrent::helper(w, t, "_exit_function")?;
        let pr = w.proc_mut(pid);
        pr.mp.registered_exit = true;
        pr.atexit.push((f, Args::default()));
    }
    let method = super::start_method(w, pid);
    if method == "forkserver" {
        return super::forkserver::request(w, t, id, &p);
    }
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

/// A copy of process `from` as `fork()` makes it: its heap and modules, no
/// threads yet (the caller adds the main thread `tid`), no atexit handlers
/// (3.13 runs those a child registers itself), no pending signals. Returns
/// it with its pid and its main thread's id.
pub(super) fn forked_copy(w: &World, from: Pid, name: &str) -> (Proc, Pid, Tid) {
    let pid = 1000 + w.procs.len() as Pid;
    let tid = w.threads.len();
    let mut child = w.proc(from).clone();
    child.pid = pid;
    child.ppid = from;
    child.name = name.to_string();
    child.ready.clear();
    child.running = None;
    child.contended_since = None;
    child.main = tid;
    child.threads = vec![tid];
    child.phase = Phase::Running;
    child.exit_code = None;
    child.exit_t = None;
    child.thread_atexit.clear();
    child.atexit.clear();
    child.pending_signals.clear();
    child.clock = w.now;
    (child, pid, tid)
}

/// `fork`: the child is a copy of this process with only the calling thread.
fn fork(w: &mut World, t: Tid, obj: ObjId, p: &ProcObj) -> Result<Pid, Raise> {
    // The child's bootstrap code must exist before the copy is made.
    let child_main_fn = crate::stdlib::concurrent::helper(w, t, "_child_main")?;
    let ppid = w.pid_of(t);
    let (mut child, pid, tid) = forked_copy(w, ppid, &p.name);
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
        helpers: None,
        service: None,
        reimport: false,
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

/// What a child that does not share the parent's memory rebuilds its
/// `Process` from: target, arguments, name and daemon flag, as pickled.
pub(super) fn payload(w: &mut World, t: Tid, p: &ProcObj) -> Result<Portable, Raise> {
    Ok(Portable::Tuple(vec![
        to_portable(w, t, &p.target)?,
        to_portable(w, t, &p.args)?,
        to_portable(w, t, &p.kwargs)?,
        Portable::Str(Rc::new(p.name.clone())),
        Portable::Bool(p.daemon),
    ]))
}

/// `spawn`: a fresh interpreter that re-runs the main module as `__mp_main__`.
fn spawn(w: &mut World, t: Tid, _obj: ObjId, p: &ProcObj, method: &str) -> Result<Pid, Raise> {
    let payload = payload(w, t, p)?;
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
pub(super) fn register_process(
    w: &mut World,
    t: Tid,
    pid: Pid,
    ppid: Pid,
    name: &str,
    daemon: bool,
    tid: Tid,
    thread_name: &str,
) {
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

pub(super) fn start_child_main(w: &mut World, tid: Tid, delay: Nanos) {
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

fn process_run(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    let p = proc_obj(w, t, id)
        .ok_or_else(|| Raise::new(Exc::TypeError, "not a Process"))?
        .clone();
    if p.target.is_none() {
        return ret(Value::None);
    }
    let call = target_args(w, t, &p.args, &p.kwargs)?;
    Ok(Flow::Call(p.target, call))
}

/// Collects a child's exit status if it has exited (as `waitpid(WNOHANG)`).
pub(super) fn reap(w: &mut World, child: Pid) -> Option<i32> {
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
        .ok_or_else(|| Raise::new(Exc::TypeError, "not a Process"))?
        .clone();
    closed_check(&p)?;
    let Some(child) = p.pid else {
        return Err(Raise::new(Exc::AssertionError, "can only join a started process"));
    };
    if child == w.pid_of(t) {
        return Err(Raise::new(Exc::AssertionError, "can only join a child process"));
    }
    if reap(w, child).is_some() {
        return ret(Value::None);
    }
    let deadline = match timeout {
        None | Some(Value::None) => None,
        Some(v) => match v {
            Value::Int(i) => Some(w.now + crate::stdlib::threading::ns(i as f64)),
            Value::Float(f) => Some(w.now + crate::stdlib::threading::ns(f)),
            _ => return Err(Raise::new(Exc::TypeError, "timeout must be a number")),
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
    let p = proc_obj(w, t, id).ok_or_else(|| Raise::new(Exc::TypeError, "not a Process"))?;
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
        .ok_or_else(|| Raise::new(Exc::TypeError, "not a Process"))?
        .clone();
    closed_check(&p)?;
    let Some(child) = p.pid else {
        return Err(Raise::New(
            Exc::AttributeError,
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

/// `interrupt()` (new in 3.14): SIGINT to the child.
fn process_interrupt(w: &mut World, t: Tid, a: Args) -> NResult {
    crate::vm::versions::require(w.opts.python, "Process.interrupt").map_err(|m| Raise::New(Exc::AttributeError, m))?;
    signal_child(w, t, a, 2, "interrupt")
}

fn process_close(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    let p = proc_obj(w, t, id)
        .ok_or_else(|| Raise::new(Exc::TypeError, "not a Process"))?
        .clone();
    if p.closed {
        return ret(Value::None);
    }
    if let Some(child) = p.pid {
        if reap(w, child).is_none() {
            return Err(Raise::new(
                Exc::ValueError,
                "Cannot close a process while it is still running. You should first call join() or terminate().",
            ));
        }
    }
    if let Some(po) = proc_obj(w, t, id) {
        po.closed = true;
    }
    ret(Value::None)
}

/// Reads an attribute of a Process object from its payload.
type ProcessGetter = fn(&mut World, Tid, &ProcObj) -> Result<Option<Value>, Raise>;

/// The attributes a Process object's payload answers, each with its getter:
/// [`process_getattr`] reads them, and the interpreter's method lookup asks
/// the same table.
pub static PROCESS_ATTRS: &[(&str, ProcessGetter)] = &[
    ("name", |_, _, p| Ok(Some(Value::str(p.name.clone())))),
    ("daemon", |_, _, p| Ok(Some(Value::Bool(p.daemon)))),
    ("pid", |_, _, p| pid_attr(p)),
    ("ident", |_, _, p| pid_attr(p)),
    ("exitcode", |w, t, p| {
        closed_check(p)?;
        Ok(Some(match p.pid {
            Some(c) if c != w.pid_of(t) => reap(w, c).map(|x| Value::Int(x as i64)).unwrap_or(Value::None),
            _ => Value::None,
        }))
    }),
    ("_target", |_, _, p| Ok(Some(p.target.clone()))),
    ("_args", |_, _, p| Ok(Some(p.args.clone()))),
    ("_kwargs", |_, _, p| Ok(Some(p.kwargs.clone()))),
    ("_identity", |_, _, p| {
        Ok(Some(Value::tuple(
            p.identity.iter().map(|i| Value::Int(*i as i64)).collect(),
        )))
    }),
    ("authkey", |_, _, _| Ok(Some(Value::str("<authkey>")))),
];

/// `pid` and `ident`.
fn pid_attr(p: &ProcObj) -> Result<Option<Value>, Raise> {
    closed_check(p)?;
    Ok(Some(p.pid.map(|x| Value::Int(x as i64)).unwrap_or(Value::None)))
}

/// Attribute `name` of a Process object, when its payload answers it.
pub fn process_getattr(w: &mut World, t: Tid, p: &ProcObj, name: &str) -> Result<Option<Value>, Raise> {
    match lookup(PROCESS_ATTRS, name) {
        Some(get) => get(w, t, p),
        None => Ok(None),
    }
}

/// Attribute writes of Process objects; true when handled.
pub fn process_setattr(w: &mut World, t: Tid, id: ObjId, name: &str, v: &Value) -> Result<bool, Raise> {
    let Some(p) = proc_obj(w, t, id).cloned() else {
        return Ok(false);
    };
    match name {
        "daemon" => {
            if p.pid.is_some() {
                return Err(Raise::new(Exc::AssertionError, "process has already started"));
            }
            let b = types::truthy(w, t, v)?;
            if let Some(po) = proc_obj(w, t, id) {
                po.daemon = b;
            }
            Ok(true)
        }
        "name" => {
            let s = types::str_of(w, t, v)?;
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
