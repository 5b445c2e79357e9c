//! How a child process begins (a spawned child's re-import of the script and
//! its rebuilt `Process` object) and how any process ends: the child's exit,
//! reports of its errors, `_exit`, kills, and what an exit does to joiners,
//! watchers and children.

use std::rc::Rc;

use super::portable::from_portable;
use super::process::{proc_obj, self_id};
use super::ret;
use super::shared::offer_shared;
use crate::stdlib::args::body_function;
use crate::stdlib::signal::send_signal;
use crate::trace::*;
use crate::types;
use crate::vm::value::*;
use crate::vm::*;

/// First call of a spawned child: import the main module as `__mp_main__`, then run.
pub(super) fn spawn_boot(w: &mut World, t: Tid, _a: Args) -> NResult {
    let f = crate::stdlib::concurrent::helper(w, t, "_spawn_main")?;
    Ok(Flow::Call(f, Args::default()))
}

/// `_run_main_module()`: the spawned child's re-import of the script.
pub fn run_main_module(w: &mut World, t: Tid, _a: Args) -> NResult {
    let pid = w.pid_of(t);
    w.proc_mut(pid).mp.bootstrapping = true;
    let globals = w.proc(pid).globals;
    let code = crate::compile::CodeId(0);
    let body = body_function(w, t, code, globals)?;
    Ok(Flow::Call(body, Args::default()))
}

/// `_rebuild_process()`: the spawned child's Process object, from the payload.
pub fn rebuild_process(w: &mut World, t: Tid, _a: Args) -> NResult {
    let pid = w.pid_of(t);
    w.proc_mut(pid).mp.bootstrapping = false;
    let Some(Portable::Tuple(parts)) = w.proc(pid).mp.spawn_payload.clone() else {
        return Err(Raise::new(Exc::RuntimeError, "no process to run"));
    };
    let target = from_portable(w, t, &parts[0])?;
    let args = from_portable(w, t, &parts[1])?;
    let kwargs = from_portable(w, t, &parts[2])?;
    let name = match &parts[3] {
        Portable::Str(s) => s.to_string(),
        _ => String::new(),
    };
    let daemon = matches!(parts[4], Portable::Bool(true));
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
    super::this_process(w, t, obj)
}

/// `_child_exit(code)`: the child's target is done; shut the process down
/// (non-daemon threads are joined, user atexit handlers are skipped).
pub fn child_exit(w: &mut World, t: Tid, a: Args) -> NResult {
    let code = match a.pos.first() {
        Some(Value::Int(i)) => *i as i32,
        _ => 0,
    };
    let pid = w.pid_of(t);
    let v312 = !crate::vm::versions::facts(w.opts.python).child_runs_atexit;
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
        line: crate::vm::versions::facts(w.opts.python).process_frame_line,
        func: Rc::new("_bootstrap".into()),
        text: Rc::new("self.run()".into()),
    }];
    let mut text = format!("Process {name}:\n");
    text.push_str(&types::format_exception(w, t, &exc, lead));
    w.write(t, Stream::Stderr, &text);
    ret(Value::None)
}

/// `_system_exit_code(exc)`: the exit code a SystemExit gives (printing a message code).
pub fn system_exit_code_native(w: &mut World, t: Tid, a: Args) -> NResult {
    let exc = a.pos.first().cloned().unwrap_or(Value::None);
    ret(Value::Int(types::system_exit_code(w, t, &exc) as i64))
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
        offer_shared(w, wt, sid);
    }
    // Shared locks held by the dead process's threads stay held, as in CPython.
    // Helpers that nothing uses any more exit with it, before any orphaning.
    super::forkserver::after_exit(w, pid);
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
    // A helper process that nothing uses any more exits as it should.
    let done = w.proc(pid).mp.service.is_some() && code == 0;
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
            } else if done {
                ThreadState::Finished
            } else {
                ThreadState::Abandoned
            };
            w.set_state(t, state);
        }
    }
    let p = w.proc_mut(pid);
    // Line-buffered output not yet written is lost with the process.
    p.stdout.clear();
    p.stderr.clear();
    w.process_exited(pid, code);
}
