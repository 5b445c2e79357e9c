//! Report: the text a terminal (or the CLI) shows for a run, and the plain
//! explanation of how it ended. Front ends share these so that the app's
//! "why" and the CLI's final status say the same thing.

use crate::trace::*;
use crate::vm::{Phase, World};

/// Seconds with millisecond precision: `1.234 s`.
pub fn secs(t: Nanos) -> String {
    format!("{:.3} s", t as f64 / 1e9)
}

fn state_phrase(state: &ThreadState, threads: &[ThreadInfo]) -> String {
    match state {
        ThreadState::New => "not started".into(),
        ThreadState::Ready => "waiting for the GIL".into(),
        ThreadState::Running { line } => format!("busy at line {line}"),
        ThreadState::Sleeping { until_ns, line } => format!("sleeping at line {line} (until {})", secs(*until_ns)),
        ThreadState::Blocked { on, line, until_ns } => {
            let until = until_ns
                .map(|u| format!(", timeout at {}", secs(u)))
                .unwrap_or_default();
            format!("blocked in {} at line {line}{until}", on.describe(threads))
        }
        ThreadState::Finished => "finished".into(),
        ThreadState::Failed { exception } => format!("ended by an uncaught {exception}"),
        ThreadState::Abandoned => "abandoned at exit".into(),
        ThreadState::Killed { signal } => format!("killed with its process by {}", crate::signal_name(*signal)),
    }
}

/// The explanation of how a run ended, one sentence per entry.
pub fn explain(w: &World, stop: &StopReason) -> Vec<String> {
    let rec = &w.rec;
    let threads = &rec.threads;
    let mut out = Vec::new();
    let main_proc = &w.procs[0];
    let main_finished = rec
        .events
        .iter()
        .find(
            |e| matches!(e.kind, EventKind::Phase { phase: ShutdownPhase::MainFinished, pid } if pid == main_proc.pid),
        )
        .map(|e| e.t_ns);
    let state_of = |tid: usize| match w.threads[tid].last_state.clone() {
        // Recorded when the thread took the GIL; it has run on since.
        Some(ThreadState::Running { .. }) => ThreadState::Running {
            line: w.current_line(tid),
        },
        state => state.unwrap_or(ThreadState::New),
    };
    match stop {
        StopReason::Exited => {
            let code = main_proc.exit_code.unwrap_or(0);
            out.push(format!(
                "exited with code {code} at {}",
                secs(main_proc.exit_t.unwrap_or(w.now))
            ));
            if let Some(t) = main_finished {
                let exit = main_proc.exit_t.unwrap_or(w.now);
                if exit > t + 10_000_000 {
                    out.push(format!(
                        "the main thread finished at {}; interpreter shutdown then waited for non-daemon threads (and atexit handlers) until {}",
                        secs(t),
                        secs(exit)
                    ));
                }
            }
            for (i, th) in w.threads.iter().enumerate() {
                if th.pid == main_proc.pid && th.last_state == Some(ThreadState::Abandoned) {
                    let kind = if th.daemon {
                        "daemon thread"
                    } else {
                        "non-daemon thread"
                    };
                    let note = if th.marked_stopped {
                        " (marked stopped when Ctrl-C interrupted its join(): CPython issue #90882)"
                    } else {
                        ""
                    };
                    out.push(format!(
                        "{kind} {}{note} was abandoned at exit{}: the rest of its code, including any finally blocks, never ran",
                        th.name,
                        last_where(w, i)
                    ));
                }
            }
            for p in w.procs.iter().skip(1) {
                match p.exit_code {
                    Some(c) if c < 0 => out.push(format!(
                        "child {} (pid {}) was ended by {} (exit code {c})",
                        p.name,
                        p.pid,
                        crate::stdlib::signal::signal_name(-c)
                    )),
                    Some(c) => out.push(format!(
                        "child {} (pid {}) exited with code {c} at {}",
                        p.name,
                        p.pid,
                        secs(p.exit_t.unwrap_or(0))
                    )),
                    None => out.push(format!("child {} (pid {}) is still running", p.name, p.pid)),
                }
            }
        }
        StopReason::Horizon => {
            let mut parts = Vec::new();
            let main = main_proc.main;
            if main_proc.phase == Phase::Exited {
                parts.push(format!(
                    "the main process (pid {}) exited with code {} at {}",
                    main_proc.pid,
                    main_proc.exit_code.unwrap_or(0),
                    secs(main_proc.exit_t.unwrap_or(0))
                ));
            } else {
                parts.extend(thread_parts(w, 0));
                match (main_finished, main_proc.phase == Phase::Running) {
                    (Some(t), false) => {
                        let waiting_child = match &w.threads[main].wait {
                            Some(crate::vm::Wait {
                                on: crate::vm::WaitOn::Process(c),
                                ..
                            }) => Some(*c),
                            _ => None,
                        };
                        let waiting_threads = main_proc.threads.iter().any(|&x| {
                            let th = &w.threads[x];
                            !th.is_main && th.alive && !th.daemon && th.run != crate::vm::Run::New && !th.marked_stopped
                        });
                        let what = match waiting_child {
                            Some(c) => {
                                let cp = w.proc(c);
                                format!(
                                    "is waiting in multiprocessing's exit handler for {}child {} (pid {c}), which is {}",
                                    if cp.mp.daemon { "daemon " } else { "non-daemon " },
                                    cp.name,
                                    process_phrase(w, c)
                                )
                            }
                            None if waiting_threads => {
                                if parts.len() > 1 {
                                    "is waiting for them at shutdown".to_string()
                                } else {
                                    "is waiting for it at shutdown".to_string()
                                }
                            }
                            None => "is running its exit handlers".to_string(),
                        };
                        if main_proc.mp.children.is_empty() {
                            parts.push(format!(
                                "the main thread finished at {} and the interpreter {what}",
                                secs(t)
                            ));
                        } else {
                            parts.push(format!(
                                "the main process (pid {}) finished its script at {} and {what}",
                                main_proc.pid,
                                secs(t)
                            ));
                        }
                    }
                    _ => parts.insert(
                        0,
                        format!("the main thread is {}", state_phrase(&state_of(main), threads)),
                    ),
                }
            }
            for (i, p) in w.procs.iter().enumerate().skip(1) {
                if p.phase == Phase::Exited {
                    continue;
                }
                let daemon = if p.mp.daemon { ", daemon" } else { "" };
                if p.ppid == 1 {
                    parts.push(format!(
                        "orphan {} (pid {}{daemon}, re-parented to pid 1) is {}",
                        p.name,
                        p.pid,
                        process_phrase(w, p.pid)
                    ));
                } else {
                    parts.push(format!(
                        "child {} (pid {}{daemon}) is {}",
                        p.name,
                        p.pid,
                        process_phrase(w, p.pid)
                    ));
                }
                let _ = i;
            }
            out.push(format!(
                "still running at {}: {}",
                secs(w.opts.horizon_ns),
                parts.join("; ")
            ));
        }
        StopReason::Deadlock => {
            out.push(format!(
                "deadlock at {}: no thread can run and no timer is pending",
                secs(w.now)
            ));
            for &tid in &main_proc.threads {
                let th = &w.threads[tid];
                if th.alive && th.run == crate::vm::Run::Blocked {
                    out.push(format!("{} is {}", th.name, state_phrase(&state_of(tid), threads)));
                }
            }
        }
        StopReason::InstructionBudget { limit } => {
            let culprit = main_proc
                .running
                .or_else(|| main_proc.threads.iter().copied().find(|t| w.threads[*t].alive));
            match culprit {
                Some(t) => out.push(format!(
                    "stopped after {limit} instructions: {} is in a loop at line {} that never blocks",
                    w.threads[t].name,
                    w.current_line(t)
                )),
                None => out.push(format!("stopped after {limit} instructions")),
            }
        }
        StopReason::OutputLimit { limit } => out.push(format!("stopped after {limit} lines of output")),
        StopReason::ThreadLimit { limit } => out.push(format!("stopped: more than {limit} threads")),
        StopReason::ProcessLimit { limit } => out.push(format!("stopped: more than {limit} processes were started")),
        StopReason::Diagnostics => {}
    }
    out
}

/// "non-daemon thread X is sleeping at line 7 ..." for the live threads of process `pi`.
fn thread_parts(w: &World, pi: usize) -> Vec<String> {
    let p = &w.procs[pi];
    let mut parts = Vec::new();
    for &tid in &p.threads {
        let th = &w.threads[tid];
        if th.is_main || !th.alive || th.run == crate::vm::Run::New {
            continue;
        }
        let kind = if th.daemon {
            "daemon thread"
        } else {
            "non-daemon thread"
        };
        let state = th.last_state.clone().unwrap_or(ThreadState::New);
        parts.push(format!(
            "{kind} {} is {}",
            th.name,
            state_phrase(&state, &w.rec.threads)
        ));
    }
    parts
}

/// What a process's main thread is doing.
fn process_phrase(w: &World, pid: Pid) -> String {
    let p = w.proc(pid);
    let th = &w.threads[p.main];
    let state = match th.last_state.clone().unwrap_or(ThreadState::New) {
        ThreadState::Running { .. } | ThreadState::Ready => ThreadState::Running {
            line: w.current_line(p.main),
        },
        other => other,
    };
    let mut s = state_phrase(&state, &w.rec.threads);
    if p.phase != Phase::Running && p.phase != Phase::Exited {
        s.push_str(" (its target has returned)");
    }
    s
}

fn last_where(w: &World, tid: usize) -> String {
    // The last state before being abandoned says where the thread was.
    let mut last = None;
    for e in &w.rec.events {
        if let EventKind::State { thread, state } = &e.kind {
            if thread.0 as usize == tid && !matches!(state, ThreadState::Abandoned | ThreadState::Killed { .. }) {
                last = Some(state.clone());
            }
        }
    }
    match last {
        Some(s @ (ThreadState::Sleeping { .. } | ThreadState::Blocked { .. } | ThreadState::Running { .. })) => {
            format!(" while {}", state_phrase(&s, &w.rec.threads))
        }
        _ => String::new(),
    }
}

/// The simulated terminal: one line per output line, with its time.
pub fn terminal(trace: &Trace, timestamps: bool) -> String {
    let mut out = String::new();
    for l in &trace.output {
        if timestamps {
            let stream = match l.stream {
                Stream::Stdout => " ",
                Stream::Stderr => "!",
            };
            out.push_str(&format!("[{:>9.3}]{stream} {}\n", l.t_ns as f64 / 1e9, l.text));
        } else {
            out.push_str(&l.text);
            out.push('\n');
        }
    }
    out
}

/// The final status line(s) the CLI prints.
pub fn final_status(trace: &Trace) -> String {
    trace.outcome.explanation.join("\n  ")
}
