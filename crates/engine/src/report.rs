//! Report: the text a terminal (or the CLI) shows for a run, and the plain
//! explanation of how it ended. Front ends share these so that the app's
//! "why" and the CLI's final status say the same thing.

use crate::sim::{Phase, World};
use crate::trace::*;

/// Seconds with millisecond precision: `1.234 s`.
pub fn secs(t: Nanos) -> String {
    format!("{:.3} s", t as f64 / 1e9)
}

fn state_phrase(state: &ThreadState, threads: &[ThreadInfo]) -> String {
    match state {
        ThreadState::New => "not started".into(),
        ThreadState::Ready => "waiting for the GIL".into(),
        ThreadState::Running { line } => format!("running at line {line}"),
        ThreadState::Sleeping { until_ns, line } => format!("sleeping at line {line} (until {})", secs(*until_ns)),
        ThreadState::Blocked { on, line, until_ns } => {
            let until = until_ns.map(|u| format!(", timeout at {}", secs(u))).unwrap_or_default();
            format!("blocked in {} at line {line}{until}", on.describe(threads))
        }
        ThreadState::Finished => "finished".into(),
        ThreadState::Failed { exception } => format!("ended by an uncaught {exception}"),
        ThreadState::Abandoned => "abandoned at exit".into(),
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
        .find(|e| matches!(e.kind, EventKind::Phase { phase: ShutdownPhase::MainFinished, pid } if pid == main_proc.pid))
        .map(|e| e.t_ns);
    let state_of = |tid: usize| w.threads[tid].last_state.clone().unwrap_or(ThreadState::New);
    let kind = |tid: usize| if w.threads[tid].daemon { "daemon thread" } else { "non-daemon thread" };
    match stop {
        StopReason::Exited => {
            let code = main_proc.exit_code.unwrap_or(0);
            out.push(format!("exited with code {code} at {}", secs(main_proc.exit_t.unwrap_or(w.now))));
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
                if th.last_state == Some(ThreadState::Abandoned) {
                    out.push(format!(
                        "daemon thread {} was abandoned at exit{}: the rest of its code, including any finally blocks, never ran",
                        th.name,
                        last_where(w, i)
                    ));
                }
            }
        }
        StopReason::Horizon => {
            let mut parts = Vec::new();
            for &tid in &main_proc.threads {
                let th = &w.threads[tid];
                if th.is_main || !th.alive || th.run == crate::sim::Run::New {
                    continue;
                }
                parts.push(format!("{} {} is {}", kind(tid), th.name, state_phrase(&state_of(tid), threads)));
            }
            let main = main_proc.main;
            match (main_finished, main_proc.phase == Phase::Running) {
                (Some(t), false) => {
                    let waiting = main_proc.threads.iter().any(|&x| {
                        let th = &w.threads[x];
                        !th.is_main && th.alive && !th.daemon && th.run != crate::sim::Run::New
                    });
                    let what = if waiting { "the interpreter is waiting for it at shutdown" } else { "the interpreter is running its exit handlers" };
                    let n = parts.len();
                    parts.push(format!("the main thread finished at {} and {what}", secs(t)));
                    if n > 1 {
                        let last = parts.pop().unwrap_or_default();
                        parts.push(last.replace("for it at", "for them at"));
                    }
                }
                _ => parts.insert(0, format!("the main thread is {}", state_phrase(&state_of(main), threads))),
            }
            out.push(format!("still running at {}: {}", secs(w.opts.horizon_ns), parts.join("; ")));
        }
        StopReason::Deadlock => {
            out.push(format!("deadlock at {}: no thread can run and no timer is pending", secs(w.now)));
            for &tid in &main_proc.threads {
                let th = &w.threads[tid];
                if th.alive && th.run == crate::sim::Run::Blocked {
                    out.push(format!("{} is {}", th.name, state_phrase(&state_of(tid), threads)));
                }
            }
        }
        StopReason::InstructionBudget { limit } => {
            let culprit = main_proc.running.or_else(|| main_proc.threads.iter().copied().find(|t| w.threads[*t].alive));
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
        StopReason::Diagnostics => {}
    }
    out
}

fn last_where(w: &World, tid: usize) -> String {
    // The last state before being abandoned says where the thread was.
    let mut last = None;
    for e in &w.rec.events {
        if let EventKind::State { thread, state } = &e.kind {
            if thread.0 as usize == tid && *state != ThreadState::Abandoned {
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
