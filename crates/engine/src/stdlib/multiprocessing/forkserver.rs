//! The `forkserver` start method (the default on Linux from 3.14).
//!
//! At a process's first `start()`, `multiprocessing` starts two helper
//! processes beside it: the resource tracker and the fork server. The server
//! is a fresh interpreter that imports the script as `__mp_main__` (running
//! its unguarded top-level code once) and then forks every child from itself:
//! a child's parent process is the server, and it sees the globals as they
//! were after that import, not the parent's later changes. `start()` blocks
//! until the server has forked the child, so the first one waits for the
//! server to start. Both helpers ignore Ctrl-C (the tracker SIGTERM too) and
//! exit when the process that started them and every child forked for it
//! have ended.

use std::collections::VecDeque;

use super::process::{forked_copy, payload, proc_obj, register_process, start_child_main};
use super::ret;
use crate::trace::*;
use crate::types::native;
use crate::vm::value::*;
use crate::vm::*;

/// The resource tracker, a fresh interpreter, needs this before it waits.
const TRACKER_NS: Nanos = 40_000_000;

/// `start()` under `forkserver`: asks this process's fork server (started
/// now if there is none) to fork the child, and waits until it has.
pub(super) fn request(w: &mut World, t: Tid, obj: ObjId, p: &ProcObj) -> NResult {
    let payload = payload(w, t, p)?;
    let server = ensure_helpers(w, t);
    let req = ForkRequest {
        requester: t,
        obj,
        payload,
        name: p.name.clone(),
        daemon: p.daemon,
        identity: p.identity.clone(),
    };
    if let Some(s) = w.proc_mut(server).mp.service.as_mut() {
        s.requests.push_back(req);
    }
    let main = w.proc(server).main;
    if matches!(
        &w.threads[main].wait,
        Some(Wait {
            on: WaitOn::Requests(_),
            ..
        })
    ) {
        w.wake(main, Ok(Value::None));
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::ForkServer(server),
        deadline: None,
        on_timeout: Ok(Value::None),
    }))
}

/// The fork server of the process running `t`, starting it (and the resource
/// tracker) if it has none or its server has ended.
fn ensure_helpers(w: &mut World, t: Tid) -> Pid {
    let pid = w.pid_of(t);
    if let Some((_, server)) = w.proc(pid).mp.helpers {
        if w.proc(server).phase != Phase::Exited {
            return server;
        }
    }
    // A child forked by a fork server shares its resource tracker; it needs
    // a fork server of its own.
    let tracker = match inherited_tracker(w, pid) {
        Some(tracker) => tracker,
        None => start_helper(w, t, ServiceKind::ResourceTracker, TRACKER_NS),
    };
    let boot = crate::vm::versions::facts(w.opts.python).forkserver_boot_ns;
    let server = start_helper(w, t, ServiceKind::ForkServer, boot);
    w.proc_mut(pid).mp.helpers = Some((tracker, server));
    server
}

/// The live resource tracker of the process whose fork server forked `pid`.
fn inherited_tracker(w: &World, pid: Pid) -> Option<Pid> {
    let ppid = w.proc(pid).ppid;
    if ppid < 1000 {
        return None;
    }
    let owner = w.proc(ppid).mp.service.as_ref()?.owner;
    let (tracker, _) = w.proc(owner).mp.helpers?;
    (w.proc(tracker).phase != Phase::Exited).then_some(tracker)
}

fn start_helper(w: &mut World, t: Tid, kind: ServiceKind, boot_ns: Nanos) -> Pid {
    let owner = w.pid_of(t);
    let name = kind.process_name().to_string();
    let pid = w.new_process(owner, &name);
    let tid = w.proc(pid).main;
    w.proc_mut(pid).mp.service = Some(Service {
        kind,
        owner,
        requests: VecDeque::new(),
        import_failed: false,
    });
    let boot = match kind {
        ServiceKind::ForkServer => Value::Native(native!("_forkserver_main", server_main)),
        ServiceKind::ResourceTracker => Value::Native(native!("_resource_tracker_main", tracker_main)),
    };
    w.threads[tid].boot = Some((boot, Args::default()));
    let i = pid_index(pid);
    w.rec.processes[i].name = name;
    w.rec.processes[i].start_ns = w.now;
    let line = w.current_line(t);
    w.event(EventKind::ProcessStart {
        parent: owner,
        pid,
        method: "spawn".into(),
        line,
    });
    start_child_main(w, tid, boot_ns);
    pid
}

/// The fork server's main thread: import the script, then serve requests.
fn server_main(w: &mut World, t: Tid, _a: Args) -> NResult {
    let f = crate::stdlib::concurrent::helper(w, t, "_forkserver_main")?;
    Ok(Flow::Call(f, Args::default()))
}

/// The resource tracker's main thread: it only waits.
fn tracker_main(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    Ok(Flow::Block(Wait {
        on: WaitOn::Requests(ServiceKind::ResourceTracker),
        deadline: None,
        on_timeout: Ok(Value::None),
    }))
}

/// `_forkserver_next()`: forks the child of the oldest request, or waits for one.
pub fn serve_next(w: &mut World, t: Tid, _a: Args) -> NResult {
    let pid = w.pid_of(t);
    w.proc_mut(pid).mp.bootstrapping = false;
    let next = w.proc_mut(pid).mp.service.as_mut().and_then(|s| s.requests.pop_front());
    match next {
        Some(req) => {
            fork_child(w, t, req);
            ret(Value::None)
        }
        None => Ok(Flow::Block(Wait {
            on: WaitOn::Requests(ServiceKind::ForkServer),
            deadline: None,
            on_timeout: Ok(Value::None),
        })),
    }
}

/// `_forkserver_import_failed()`: whether the server carries on after its
/// import of the script raised (from 3.15; it then says nothing).
pub fn import_failed(w: &mut World, t: Tid, _a: Args) -> NResult {
    let survives = crate::vm::versions::facts(w.opts.python).forkserver_survives_import_error;
    let pid = w.pid_of(t);
    if survives {
        w.proc_mut(pid).mp.bootstrapping = false;
        if let Some(s) = w.proc_mut(pid).mp.service.as_mut() {
            s.import_failed = true;
        }
    }
    ret(Value::Bool(survives))
}

/// `_forkserver_must_reimport()`: whether this child must import the script itself.
pub fn must_reimport(w: &mut World, t: Tid, _a: Args) -> NResult {
    let pid = w.pid_of(t);
    ret(Value::Bool(w.proc(pid).mp.reimport))
}

/// The server (thread `t`) forks the child `req` asks for, and `start()` returns.
fn fork_child(w: &mut World, t: Tid, req: ForkRequest) {
    let server = w.pid_of(t);
    let owner = w.pid_of(req.requester);
    let (mut child, pid, tid) = forked_copy(w, server, &req.name);
    child.mp = MpState {
        is_child: true,
        start_method: Some("forkserver"),
        identity: req.identity.clone(),
        daemon: req.daemon,
        spawn_payload: Some(req.payload.clone()),
        name: req.name.clone(),
        queue_imported: w.proc(server).mp.queue_imported,
        reimport: w.proc(server).mp.service.as_ref().is_some_and(|s| s.import_failed),
        ..MpState::default()
    };
    w.procs.push(child);
    let mut th = Thread::new(pid, "MainThread".into(), false, true);
    th.alive = true;
    th.boot = Some((Value::Native(native!("_forkserver_child", child_main)), Args::default()));
    w.threads.push(th);
    register_process(w, req.requester, pid, server, &req.name, req.daemon, tid, "MainThread");
    // The requester learns the child's pid: `start()` returns.
    if let Some(po) = proc_obj(w, req.requester, req.obj) {
        po.pid = Some(pid);
    }
    w.proc_mut(owner).mp.children.push(pid);
    // The server forked it (its parent, as `ps` shows), at the requester's line.
    let line = w.current_line(req.requester);
    w.event(EventKind::ProcessStart {
        parent: server,
        pid,
        method: "forkserver".into(),
        line,
    });
    w.note_global();
    w.wake(req.requester, Ok(Value::None));
}

/// A child forked by the server: rebuild the `Process` and run it.
fn child_main(w: &mut World, t: Tid, _a: Args) -> NResult {
    let f = crate::stdlib::concurrent::helper(w, t, "_forkserver_child")?;
    Ok(Flow::Call(f, Args::default()))
}

/// After process `pid` ended: starts that were waiting on it, if it was a
/// fork server, fail; helpers that no process uses any more exit.
pub fn after_exit(w: &mut World, pid: Pid) {
    let is_server = matches!(
        &w.proc(pid).mp.service,
        Some(Service {
            kind: ServiceKind::ForkServer,
            ..
        })
    );
    if is_server {
        let waiting: Vec<Tid> = (0..w.threads.len())
            .filter(|&i| matches!(&w.threads[i].wait, Some(Wait { on: WaitOn::ForkServer(s), .. }) if *s == pid))
            .collect();
        for r in waiting {
            w.wake(
                r,
                Err(Raise::new(
                    Exc::ConnectionResetError,
                    "[Errno 104] Connection reset by peer",
                )),
            );
        }
    }
    // A child of a fork server is reaped by it at once.
    let ppid = w.proc(pid).ppid;
    if ppid >= 1000 && w.proc(ppid).mp.service.is_some() && !w.proc(pid).mp.reaped {
        w.proc_mut(pid).mp.reaped = true;
        w.event(EventKind::Reaped { pid });
    }
    let live = |w: &World, p: Pid| w.proc(p).phase != Phase::Exited;
    // A server exits once its owner has and no child of its lives.
    let helpers: Vec<(Pid, Pid, Pid)> = w
        .procs
        .iter()
        .filter_map(|p| p.mp.helpers.map(|(tr, sv)| (p.pid, tr, sv)))
        .collect();
    for &(owner, _, server) in &helpers {
        let in_use = w.procs.iter().any(|p| p.ppid == server && p.phase != Phase::Exited);
        if !live(w, owner) && !in_use && live(w, server) {
            super::lifecycle::end_process(w, server, 0);
        }
    }
    // A tracker exits once every process using it and their servers have.
    for &(_, tracker, _) in &helpers {
        let in_use = helpers
            .iter()
            .any(|&(o, tr, sv)| tr == tracker && (live(w, o) || live(w, sv)));
        if !in_use && live(w, tracker) {
            super::lifecycle::end_process(w, tracker, 0);
        }
    }
}
