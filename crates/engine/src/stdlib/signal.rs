//! `signal`, and the delivery of signals to processes.
//!
//! SIGKILL and default SIGTERM end a process at once (no `finally`, no
//! atexit); SIGINT raises KeyboardInterrupt in the main thread; a Python
//! handler runs in the main thread on top of whatever it was doing, and an
//! interrupted wait resumes afterwards (PEP 475). Signals reach every process,
//! threaded or not: they are not `multiprocessing`'s.

use super::args::{int_arg, ret};
use super::{Attr, Module};
use crate::stdlib::multiprocessing::lifecycle::kill_process;
use crate::trace::*;
use crate::types::{self, native};
use crate::vm::value::*;
use crate::vm::*;

pub static MODULE: Module = Module {
    name: "signal",
    attrs: &[
        ("signal", Attr::Fn(native!("signal.signal", signal_signal))),
        ("getsignal", Attr::Fn(native!("signal.getsignal", signal_getsignal))),
        ("default_int_handler", Attr::Fn(&DEFAULT_INT_HANDLER)),
        ("raise_signal", Attr::Fn(native!("signal.raise_signal", raise_signal))),
        ("alarm", Attr::Fn(native!("signal.alarm", alarm))),
        ("strsignal", Attr::Fn(native!("signal.strsignal", signal_strsignal))),
        ("Signals", Attr::Fn(native!("signal.Signals", signal_signals))),
        ("SIGHUP", Attr::Int(1)),
        ("SIGQUIT", Attr::Int(3)),
        ("SIGUSR1", Attr::Int(10)),
        ("SIGUSR2", Attr::Int(12)),
        ("SIG_DFL", Attr::Int(0)),
        ("SIG_IGN", Attr::Int(1)),
        ("SIGINT", Attr::Int(2)),
        ("SIGKILL", Attr::Int(9)),
        ("SIGTERM", Attr::Int(15)),
        ("SIGALRM", Attr::Int(14)),
        // CPython has these; the simulator does not (yet).
        ("pause", Attr::Unsupported),
        ("setitimer", Attr::Unsupported),
        ("getitimer", Attr::Unsupported),
        ("siginterrupt", Attr::Unsupported),
        ("pthread_kill", Attr::Unsupported),
        ("pthread_sigmask", Attr::Unsupported),
        ("sigwait", Attr::Unsupported),
        ("sigwaitinfo", Attr::Unsupported),
        ("sigtimedwait", Attr::Unsupported),
        ("sigpending", Attr::Unsupported),
        ("set_wakeup_fd", Attr::Unsupported),
        ("valid_signals", Attr::Unsupported),
        ("Handlers", Attr::Unsupported),
        ("Sigmasks", Attr::Unsupported),
        ("SIGCHLD", Attr::UnsupportedValue),
        ("SIGCONT", Attr::UnsupportedValue),
        ("SIGSTOP", Attr::UnsupportedValue),
        ("SIGTSTP", Attr::UnsupportedValue),
        ("SIGPIPE", Attr::UnsupportedValue),
        ("SIGSEGV", Attr::UnsupportedValue),
        ("SIGABRT", Attr::UnsupportedValue),
        ("SIGWINCH", Attr::UnsupportedValue),
        ("ITIMER_REAL", Attr::UnsupportedValue),
        ("ITIMER_VIRTUAL", Attr::UnsupportedValue),
        ("ITIMER_PROF", Attr::UnsupportedValue),
        ("NSIG", Attr::UnsupportedValue),
        ("SIG_BLOCK", Attr::UnsupportedValue),
        ("SIG_UNBLOCK", Attr::UnsupportedValue),
        ("SIG_SETMASK", Attr::UnsupportedValue),
    ],
    make: None,
};

fn signal_strsignal(w: &mut World, t: Tid, a: Args) -> NResult {
    let n = int_arg(w, t, a.pos.first())?;
    ret(Value::str(match n {
        2 => "Interrupt",
        9 => "Killed",
        15 => "Terminated",
        14 => "Alarm clock",
        1 => "Hangup",
        _ => "Unknown signal",
    }))
}

/// `signal.Signals(n)`: the simulator's signals are plain ints (with `.name`).
fn signal_signals(w: &mut World, t: Tid, a: Args) -> NResult {
    let n = int_arg(w, t, a.pos.first())?;
    if !matches!(n, 1 | 2 | 3 | 9 | 10 | 12 | 14 | 15) {
        return Err(Raise::New(Exc::ValueError, format!("{n} is not a valid Signals")));
    }
    ret(Value::Int(n))
}

fn handler_of(w: &World, pid: Pid, signum: i32) -> Option<Handler> {
    w.proc(pid)
        .handlers
        .iter()
        .find(|(s, _)| *s == signum)
        .map(|(_, h)| h.clone())
}

/// A scheduled signal from the command line or the app.
pub fn send_scheduled(w: &mut World, s: &crate::trace::SignalSpec) {
    let targets: Vec<Pid> = match s.target {
        crate::trace::SignalTarget::Group => w
            .procs
            .iter()
            .filter(|p| p.phase != Phase::Exited)
            .map(|p| p.pid)
            .collect(),
        crate::trace::SignalTarget::Main => vec![w.procs[0].pid],
        crate::trace::SignalTarget::Pid(p) => {
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
    let helper_ignores = w.proc(pid).mp.service.as_ref().is_some_and(|s| s.kind.ignores(signum));
    let action = match (signum, &handler) {
        (9, _) => "killed",
        _ if helper_ignores => "ignored",
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
        _ => raise_in_main(w, main, Raise::new(Exc::KeyboardInterrupt, ""), saved),
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
        if crate::vm::versions::facts(w.opts.python).join_interrupt_abandons {
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
    let is_ki = matches!(&e, Raise::New(Exc::KeyboardInterrupt, _));
    let name = match &e {
        Raise::New(c, _) => c.name().to_string(),
        Raise::Obj(v) => types::exc_class_name(w, main, v),
    };
    let facts = crate::vm::versions::facts(w.opts.python);
    let mut text = String::new();
    if let Some(header) = facts.shutdown_header {
        text.push_str(&header.replace("{lib}", &lib));
        text.push('\n');
    }
    let (line, source) = facts.shutdown_frame;
    let colon = if facts.unraisable_empty_colon { ": " } else { "" };
    text.push_str(&format!(
        "Traceback (most recent call last):\n  File \"{lib}\", line {line}, in _shutdown\n    {source}\n{name}{colon}\n"
    ));
    w.write(main, Stream::Stderr, &text);
    let _ = is_ki;
    let p = w.proc_mut(pid);
    p.atexit.clear();
    p.thread_atexit.clear();
    w.exit_process(pid, main);
}

/// `signal.signal(signum, handler)`.
pub fn signal_signal(w: &mut World, t: Tid, a: Args) -> NResult {
    let pid = w.pid_of(t);
    if t != w.proc(pid).main {
        return Err(Raise::new(
            Exc::ValueError,
            "signal only works in main thread of the main interpreter",
        ));
    }
    let signum = match a.pos.first() {
        Some(Value::Int(i)) => *i as i32,
        Some(Value::Bool(b)) => *b as i32,
        _ => return Err(Raise::new(Exc::TypeError, "signal number must be an integer")),
    };
    if !(1..=64).contains(&signum) {
        return Err(Raise::new(Exc::ValueError, "signal number out of range"));
    }
    if signum == 9 || signum == 19 {
        return Err(Raise::new(Exc::OSError, "[Errno 22] Invalid argument"));
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
                    Exc::TypeError,
                    "signal handler must be signal.SIG_IGN, signal.SIG_DFL, or a callable object",
                ));
            }
            Handler::Python(v.clone())
        }
        None => {
            return Err(Raise::new(
                Exc::TypeError,
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

/// The signal number `getsignal` and `raise_signal` take.
fn signum_arg(a: &Args) -> Result<i32, Raise> {
    let signum = match a.pos.first() {
        Some(Value::Int(i)) => *i as i32,
        _ => return Err(Raise::new(Exc::TypeError, "signal number must be an integer")),
    };
    if !(1..=64).contains(&signum) {
        return Err(Raise::new(Exc::ValueError, "signal number out of range"));
    }
    Ok(signum)
}

pub fn signal_getsignal(w: &mut World, t: Tid, a: Args) -> NResult {
    let signum = signum_arg(&a)?;
    let pid = w.pid_of(t);
    ret(getsignal(w, pid, signum))
}

/// `signal.default_int_handler`: one object, so `is` comparisons hold.
pub static DEFAULT_INT_HANDLER: NativeDef = NativeDef {
    name: "default_int_handler",
    f: default_int_handler,
};

pub fn default_int_handler(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    Err(Raise::new(Exc::KeyboardInterrupt, ""))
}

/// `signal.raise_signal(signum)`: the signal to this process, handled at once.
pub fn raise_signal(w: &mut World, t: Tid, a: Args) -> NResult {
    let signum = signum_arg(&a)?;
    let pid = w.pid_of(t);
    send_signal(w, Some(pid), pid, signum);
    ret(Value::None)
}

/// `signal.alarm(seconds)`: SIGALRM to this process later.
pub fn alarm(w: &mut World, t: Tid, a: Args) -> NResult {
    let secs = match a.pos.first() {
        Some(Value::Int(i)) => *i,
        _ => return Err(Raise::new(Exc::TypeError, "an integer is required")),
    };
    let pid = w.pid_of(t);
    w.signal_queue
        .retain(|s| !(s.signum == 14 && s.target == crate::trace::SignalTarget::Pid(pid)));
    if secs > 0 {
        let spec = crate::trace::SignalSpec {
            t_ns: w.now + secs as u64 * 1_000_000_000,
            signum: 14,
            target: crate::trace::SignalTarget::Pid(pid),
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
