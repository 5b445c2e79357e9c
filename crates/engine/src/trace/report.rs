//! Report: the text a terminal (or the CLI) shows for a run, and the plain
//! explanation of how it ended. Front ends share these so that the app's
//! "why" and the CLI's final status say the same thing.
//!
//! Everything here is computed from a [`Trace`] alone; the words for states,
//! waits and exits come from the phrasebook, [`crate::trace::phrases`].

use crate::trace::phrases::{ended_by, exited_with, limit_phrase, process_name, secs, state_phrase, thread_kind};
use crate::trace::*;

/// The explanation of how a run ended, one sentence per entry. The
/// simulator stores it in the trace's outcome once the rest of the trace is
/// complete.
pub fn explain(trace: &Trace) -> Vec<String> {
    let Some(main) = trace.processes.first() else {
        return Vec::new();
    };
    let end = End::of(trace);
    match &trace.outcome.stop {
        StopReason::Exited => end.exited(main),
        StopReason::Horizon => vec![end.horizon(main)],
        StopReason::Deadlock => end.deadlock(main),
        stop @ StopReason::InstructionBudget { .. } => {
            let stopped = limit_phrase(stop).unwrap_or_default();
            // The thread holding the main process's GIL, or else its first live thread.
            let culprit = end
                .threads_of(main.pid)
                .find(|th| matches!(end.last(th), Some(ThreadState::Running { .. })))
                .or_else(|| end.threads_of(main.pid).find(|th| end.alive(th)));
            vec![match culprit {
                Some(th) => format!(
                    "{stopped}: {} is in a loop at line {} that never blocks",
                    th.name,
                    end.line_at_stop(th)
                ),
                None => stopped,
            }]
        }
        StopReason::Diagnostics => Vec::new(),
        other => limit_phrase(other).into_iter().collect(),
    }
}

/// What a trace says about the end of its run, gathered in one pass over its events.
struct End<'a> {
    trace: &'a Trace,
    /// Each thread's last recorded state (None: it never had one).
    last: Vec<Option<&'a ThreadState>>,
    /// Each thread's last state before it was abandoned or killed.
    before_end: Vec<Option<&'a ThreadState>>,
    /// When each process's main module ended, for those where it did.
    finished: Vec<(Pid, Nanos)>,
    /// The processes that started a child.
    parents: Vec<Pid>,
}

impl<'a> End<'a> {
    fn of(trace: &'a Trace) -> End<'a> {
        let n = trace.threads.len();
        let mut end = End {
            trace,
            last: vec![None; n],
            before_end: vec![None; n],
            finished: Vec::new(),
            parents: Vec::new(),
        };
        for e in &trace.events {
            match &e.kind {
                EventKind::State { thread, state } if (thread.0 as usize) < n => {
                    let i = thread.0 as usize;
                    end.last[i] = Some(state);
                    if !matches!(state, ThreadState::Abandoned | ThreadState::Killed { .. }) {
                        end.before_end[i] = Some(state);
                    }
                }
                EventKind::Phase {
                    pid,
                    phase: ShutdownPhase::MainFinished,
                } if end.main_finished(*pid).is_none() => end.finished.push((*pid, e.t_ns)),
                EventKind::ProcessStart { parent, .. } => end.parents.push(*parent),
                _ => {}
            }
        }
        end
    }

    fn last(&self, th: &ThreadInfo) -> Option<&'a ThreadState> {
        self.last.get(th.id.0 as usize).copied().flatten()
    }

    /// The threads of process `pid`, in the order they were created.
    fn threads_of(&self, pid: Pid) -> impl Iterator<Item = &'a ThreadInfo> {
        self.trace.threads.iter().filter(move |th| th.pid == pid)
    }

    fn main_thread(&self, pid: Pid) -> Option<&'a ThreadInfo> {
        self.threads_of(pid).find(|th| th.is_main)
    }

    /// Started and not ended (a main thread lives from its process's start).
    fn alive(&self, th: &ThreadInfo) -> bool {
        th.end_ns.is_none() && (th.is_main || th.start_ns.is_some())
    }

    /// When process `pid`'s main module ended, if it did.
    fn main_finished(&self, pid: Pid) -> Option<Nanos> {
        self.finished.iter().find(|(p, _)| *p == pid).map(|(_, t)| *t)
    }

    /// The script line a thread was at when the run stopped.
    fn line_at_stop(&self, th: &ThreadInfo) -> u32 {
        match self.last(th) {
            Some(ThreadState::Sleeping { line, .. } | ThreadState::Blocked { line, .. }) => *line,
            _ => self
                .trace
                .outcome
                .lines_at_stop
                .iter()
                .find(|l| l.thread == th.id)
                .map_or(0, |l| l.line),
        }
    }

    fn marked_stopped(&self, th: &ThreadInfo) -> bool {
        self.trace.outcome.marked_stopped.contains(&th.id)
    }

    /// When the run stopped: when the last thing happened (the last thread
    /// blocked, in a deadlock).
    fn stop_ns(&self) -> Nanos {
        self.trace.events.last().map_or(0, |e| e.t_ns)
    }

    /// A thread's state now: a running thread is wherever it has got to.
    fn state_now(&self, th: &ThreadInfo) -> ThreadState {
        match self.last(th) {
            Some(ThreadState::Running { .. }) => ThreadState::Running {
                line: self.line_at_stop(th),
            },
            Some(state) => state.clone(),
            None => ThreadState::New,
        }
    }

    fn phrase(&self, state: &ThreadState) -> String {
        state_phrase(state, &self.trace.threads)
    }

    fn exited(&self, main: &ProcessInfo) -> Vec<String> {
        let mut out = Vec::new();
        let exit = main.exit_ns.unwrap_or_else(|| self.stop_ns());
        out.push(exited_with(main.exit_code.unwrap_or(0), &secs(exit)));
        if let Some(t) = self.main_finished(main.pid) {
            if exit > t + 10_000_000 {
                out.push(format!(
                    "the main thread finished at {}; interpreter shutdown then waited for non-daemon threads (and atexit handlers) until {}",
                    secs(t),
                    secs(exit)
                ));
            }
        }
        for th in self.threads_of(main.pid) {
            if self.last(th) != Some(&ThreadState::Abandoned) {
                continue;
            }
            let note = if self.marked_stopped(th) {
                " (marked stopped when Ctrl-C interrupted its join(): CPython issue #90882)"
            } else {
                ""
            };
            out.push(format!(
                "{} {}{note} was abandoned at exit{}: the rest of its code, including any finally blocks, never ran",
                thread_kind(th.daemon),
                th.name,
                self.last_where(th)
            ));
        }
        for p in self.trace.processes.iter().skip(1) {
            let child = process_name(&self.trace.processes, p.pid);
            out.push(match p.exit_code {
                Some(c) if c < 0 => format!("child {child} {} (exit code {c})", ended_by(-c)),
                Some(c) => format!("child {child} {}", exited_with(c, &secs(p.exit_ns.unwrap_or(0)))),
                None => format!("child {child} is still running"),
            });
        }
        out
    }

    /// Where an abandoned thread was: " while sleeping at line 8 (until 2.000 s)".
    fn last_where(&self, th: &ThreadInfo) -> String {
        match self.before_end.get(th.id.0 as usize).copied().flatten() {
            Some(s @ (ThreadState::Sleeping { .. } | ThreadState::Blocked { .. } | ThreadState::Running { .. })) => {
                format!(" while {}", self.phrase(s))
            }
            _ => String::new(),
        }
    }

    fn horizon(&self, main: &ProcessInfo) -> String {
        let mut parts = Vec::new();
        if main.exit_ns.is_some() {
            parts.push(format!(
                "the main process (pid {}) {}",
                main.pid,
                exited_with(main.exit_code.unwrap_or(0), &secs(main.exit_ns.unwrap_or(0)))
            ));
        } else {
            parts.extend(self.thread_parts(main.pid));
            match self.main_finished(main.pid) {
                Some(t) => {
                    let what = self.shutdown_phrase(main, parts.len() > 1);
                    if self.parents.contains(&main.pid) {
                        parts.push(format!(
                            "the main process (pid {}) finished its script at {} and {what}",
                            main.pid,
                            secs(t)
                        ));
                    } else {
                        parts.push(format!(
                            "the main thread finished at {} and the interpreter {what}",
                            secs(t)
                        ));
                    }
                }
                None => {
                    let state = self
                        .main_thread(main.pid)
                        .map_or(ThreadState::New, |th| self.state_now(th));
                    parts.insert(0, format!("the main thread is {}", self.phrase(&state)));
                }
            }
        }
        for p in self.trace.processes.iter().skip(1) {
            if p.exit_ns.is_some() {
                continue;
            }
            let daemon = if p.daemon { ", daemon" } else { "" };
            let doing = self.process_phrase(p.pid);
            if p.ppid == 1 {
                parts.push(format!(
                    "orphan {} (pid {}{daemon}, re-parented to pid 1) is {doing}",
                    p.name, p.pid
                ));
            } else {
                parts.push(format!("child {} (pid {}{daemon}) is {doing}", p.name, p.pid));
            }
        }
        format!("still running at {}: {}", secs(self.trace.horizon_ns), parts.join("; "))
    }

    /// What the main process does once its script is over: "is waiting for it at shutdown".
    fn shutdown_phrase(&self, main: &ProcessInfo, several: bool) -> String {
        let waiting_child = match self.main_thread(main.pid).and_then(|th| self.last(th)) {
            Some(ThreadState::Blocked {
                on: BlockedOn::Process { pid },
                ..
            }) => Some(*pid),
            _ => None,
        };
        if let Some(c) = waiting_child {
            let daemon = self.trace.processes.iter().any(|p| p.pid == c && p.daemon);
            return format!(
                "is waiting in multiprocessing's exit handler for {}child {}, which is {}",
                if daemon { "daemon " } else { "non-daemon " },
                process_name(&self.trace.processes, c),
                self.process_phrase(c)
            );
        }
        let waited_for = self
            .threads_of(main.pid)
            .any(|th| !th.is_main && !th.daemon && self.alive(th) && !self.marked_stopped(th));
        if !waited_for {
            "is running its exit handlers".to_string()
        } else if several {
            "is waiting for them at shutdown".to_string()
        } else {
            "is waiting for it at shutdown".to_string()
        }
    }

    fn deadlock(&self, main: &ProcessInfo) -> Vec<String> {
        let mut out = vec![format!(
            "deadlock at {}: no thread can run and no timer is pending",
            secs(self.stop_ns())
        )];
        for th in self.threads_of(main.pid) {
            match self.last(th) {
                Some(state @ (ThreadState::Blocked { .. } | ThreadState::Sleeping { .. })) if self.alive(th) => {
                    out.push(format!("{} is {}", th.name, self.phrase(state)))
                }
                _ => {}
            }
        }
        out
    }

    /// "non-daemon thread X is sleeping at line 7 ..." for the live threads of process `pid`
    /// (their states as last recorded).
    fn thread_parts(&self, pid: Pid) -> Vec<String> {
        self.threads_of(pid)
            .filter(|th| !th.is_main && self.alive(th))
            .map(|th| {
                let state = self.last(th).cloned().unwrap_or(ThreadState::New);
                format!("{} {} is {}", thread_kind(th.daemon), th.name, self.phrase(&state))
            })
            .collect()
    }

    /// What a process's main thread is doing.
    fn process_phrase(&self, pid: Pid) -> String {
        let Some(th) = self.main_thread(pid) else {
            return self.phrase(&ThreadState::New);
        };
        let state = match self.last(th) {
            Some(ThreadState::Running { .. } | ThreadState::Ready) => ThreadState::Running {
                line: self.line_at_stop(th),
            },
            Some(other) => other.clone(),
            None => ThreadState::New,
        };
        let mut s = self.phrase(&state);
        let exited = self.trace.processes.iter().any(|p| p.pid == pid && p.exit_ns.is_some());
        if self.main_finished(pid).is_some() && !exited {
            s.push_str(" (its target has returned)");
        }
        s
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
