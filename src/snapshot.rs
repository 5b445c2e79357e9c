//! What is true at a cursor time, computed from the trace alone: the
//! [`Frame`] (one fold of the events up to the cursor, which every pane
//! reads), and the times the step buttons move between. Pure (no web types).
//!
//! The cursor is a virtual time: every event at or before it has happened.

use threadline_engine::{Event, EventKind, Nanos, Pid, ShutdownPhase, SignalSpec, ThreadId, ThreadState, Trace};

use crate::transcript::{is_ctrl_c, Row};

/// Everything the panes read at one cursor time, folded once from the
/// trace's events (every event up to the first one after the cursor):
/// threads' states and lines, processes' shutdown phases, exits, parents
/// and reaping, the signals that arrived, uncaught exceptions, and the
/// terminal's rows. The code pane ([`crate::highlight`]), the processes
/// table ([`crate::ps`]), the "Why?" panel ([`crate::why`]) and the
/// terminal ([`crate::transcript`]) all read it.
///
/// Moving forward applies only the events in between; moving back starts
/// over (or keeps the frame when no applied event lies after the new time).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Frame {
    /// The cursor: every event before the first one after it has happened.
    pub t_ns: Nanos,
    /// How many of the trace's events are applied, and the latest time among them.
    applied: usize,
    latest_ns: Nanos,
    /// Each thread's state (index = thread id; `None` before its first state).
    pub states: Vec<Option<ThreadState>>,
    /// Each thread's last live state (where an abandoned thread was stopped).
    pub last_alive: Vec<Option<ThreadState>>,
    /// Whether each thread has run at least once.
    pub ran: Vec<bool>,
    /// Each thread's last source line (a `Line` event, or the line of a
    /// running, sleeping or blocked state), alive or not.
    last_line: Vec<Option<u32>>,
    /// The thread of the last `Running` state or `Line` event.
    ran_last: Option<ThreadId>,
    /// The last shutdown phase reached by each process, and when.
    pub phases: Vec<(Pid, ShutdownPhase, Nanos)>,
    /// The signals that arrived: `(t, from, to, signum, action)`.
    pub signals: Vec<(Nanos, Option<Pid>, Pid, i32, String)>,
    /// Exceptions that escaped a thread: `(t, thread, exception)`.
    pub uncaught: Vec<(Nanos, ThreadId, String)>,
    /// Processes that exited: `(pid, code, t)`.
    pub exits: Vec<(Pid, i32, Nanos)>,
    /// How each started process was started: `(pid, method)`.
    pub methods: Vec<(Pid, String)>,
    /// Orphans re-parented: `(pid, new parent)`, in order.
    pub reparented: Vec<(Pid, Pid)>,
    /// Exited children whose status their parent collected.
    pub reaped: Vec<Pid>,
    /// The terminal's rows so far, and the `^C`s echoed since the last one.
    pub rows: Vec<Row>,
    pub pending_echoes: usize,
    /// When the last `^C` was echoed (one Ctrl-C reaches every process of the group).
    last_echo: Option<Nanos>,
    /// How many lines of `trace.output` are written by the cursor.
    pub output_count: usize,
}

impl Frame {
    /// The frame of `trace` at `t_ns` (`signals`: the run's scheduled signals).
    pub fn at(trace: &Trace, signals: &[SignalSpec], t_ns: Nanos) -> Frame {
        let mut frame = Frame::start(trace);
        frame.advance(trace, signals, t_ns);
        frame
    }

    /// Before the first event.
    fn start(trace: &Trace) -> Frame {
        let n = trace.threads.len();
        Frame {
            states: vec![None; n],
            last_alive: vec![None; n],
            ran: vec![false; n],
            last_line: vec![None; n],
            ..Frame::default()
        }
    }

    /// The same frame at `t_ns`: later events applied, or started over
    /// when some applied event comes after `t_ns`.
    pub fn move_to(&mut self, trace: &Trace, signals: &[SignalSpec], t_ns: Nanos) {
        if t_ns < self.latest_ns {
            *self = Frame::start(trace);
        }
        self.advance(trace, signals, t_ns);
    }

    fn advance(&mut self, trace: &Trace, signals: &[SignalSpec], t_ns: Nanos) {
        for event in trace.events.iter().skip(self.applied) {
            if event.t_ns > t_ns {
                break;
            }
            self.apply(trace, signals, event);
            self.applied += 1;
            self.latest_ns = self.latest_ns.max(event.t_ns);
        }
        self.t_ns = t_ns;
        self.output_count = trace.output.partition_point(|line| line.t_ns <= t_ns);
    }

    fn apply(&mut self, trace: &Trace, signals: &[SignalSpec], event: &Event) {
        match &event.kind {
            EventKind::State { thread, state } => {
                if matches!(state, ThreadState::Running { .. }) {
                    self.ran_last = Some(*thread);
                }
                self.apply_state(*thread, state);
            }
            EventKind::Line { thread, line } => {
                self.ran_last = Some(*thread);
                if let Some(slot) = self.last_line.get_mut(thread.0 as usize) {
                    *slot = Some(*line).filter(|l| *l > 0);
                }
            }
            EventKind::Phase { pid, phase } => {
                self.phases.retain(|(p, _, _)| p != pid);
                self.phases.push((*pid, *phase, event.t_ns));
            }
            EventKind::Signal {
                from,
                to,
                signum,
                action,
            } => {
                if from.is_none()
                    && *signum == 2
                    && self.last_echo != Some(event.t_ns)
                    && is_ctrl_c(signals, event.t_ns)
                {
                    self.last_echo = Some(event.t_ns);
                    self.pending_echoes += 1;
                }
                self.signals.push((event.t_ns, *from, *to, *signum, action.clone()));
            }
            EventKind::Uncaught { thread, exception, .. } => {
                self.uncaught.push((event.t_ns, *thread, exception.clone()))
            }
            EventKind::Exit { pid, code } => {
                self.exits.push((*pid, *code, event.t_ns));
                if Some(*pid) == trace.processes.first().map(|p| p.pid) {
                    if self.pending_echoes > 0 {
                        self.rows.push(Row::Echo {
                            echoes: self.pending_echoes,
                        });
                        self.pending_echoes = 0;
                    }
                    self.rows.push(Row::Prompt);
                }
            }
            EventKind::Output { index } if *index < trace.output.len() => {
                self.rows.push(Row::Output {
                    index: *index,
                    echoes: self.pending_echoes,
                });
                self.pending_echoes = 0;
            }
            EventKind::ProcessStart { pid, method, .. } => self.methods.push((*pid, method.clone())),
            EventKind::Reparent { pid, ppid } => self.reparented.push((*pid, *ppid)),
            EventKind::Reaped { pid } => self.reaped.push(*pid),
            _ => {}
        }
    }

    fn apply_state(&mut self, thread: ThreadId, state: &ThreadState) {
        let i = thread.0 as usize;
        if i >= self.states.len() {
            return;
        }
        if state.is_alive() {
            self.last_alive[i] = Some(state.clone());
        }
        if matches!(state, ThreadState::Running { .. }) {
            self.ran[i] = true;
        }
        let line = match state {
            ThreadState::Running { line } | ThreadState::Sleeping { line, .. } | ThreadState::Blocked { line, .. } => {
                Some(*line)
            }
            _ => None,
        };
        if let Some(line) = line.filter(|l| *l > 0) {
            self.last_line[i] = Some(line);
        }
        self.states[i] = Some(state.clone());
    }

    /// A thread's state (`None` before its first).
    pub fn state(&self, thread: ThreadId) -> Option<&ThreadState> {
        self.states.get(thread.0 as usize).and_then(|s| s.as_ref())
    }

    /// Whether a thread is alive.
    pub fn is_alive(&self, thread: ThreadId) -> bool {
        self.state(thread).is_some_and(|s| s.is_alive())
    }

    /// Each live thread's current source line (index = thread id); `None`
    /// for threads not alive, or before their first line.
    pub fn lines(&self) -> Vec<Option<u32>> {
        self.last_line
            .iter()
            .enumerate()
            .map(|(i, line)| line.filter(|_| self.is_alive(ThreadId(i as u32))))
            .collect()
    }

    /// The thread that ran last (its last `Running` state or line event), if it is alive.
    pub fn last_ran(&self) -> Option<ThreadId> {
        self.ran_last.filter(|t| self.is_alive(*t))
    }

    /// The last shutdown phase a process reached.
    pub fn phase(&self, pid: Pid) -> Option<ShutdownPhase> {
        self.phases
            .iter()
            .find(|(p, _, _)| *p == pid)
            .map(|(_, phase, _)| *phase)
    }

    /// A process's exit code and time, once it exited.
    pub fn exit(&self, pid: Pid) -> Option<(i32, Nanos)> {
        self.exits.iter().find(|(p, _, _)| *p == pid).map(|(_, c, t)| (*c, *t))
    }

    /// The parent an orphan was re-parented to, if it was.
    pub fn reparented_to(&self, pid: Pid) -> Option<Pid> {
        self.reparented.iter().rev().find(|(p, _)| *p == pid).map(|(_, to)| *to)
    }
}

/// What a step moves to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// The next (or previous) moment at which anything happens.
    Event,
    /// The next moment a thread moves to another source line.
    Line,
    /// The next line of output.
    Output,
}

fn is_step(kind: StepKind, event: &EventKind) -> bool {
    match kind {
        StepKind::Event => true,
        StepKind::Line => matches!(
            event,
            EventKind::Line { .. }
                | EventKind::State {
                    state: ThreadState::Running { .. },
                    ..
                }
        ),
        StepKind::Output => matches!(event, EventKind::Output { .. }),
    }
}

/// The distinct times (ascending) at which a step of `kind` can stop.
pub fn step_times(trace: &Trace, kind: StepKind) -> Vec<Nanos> {
    let mut times: Vec<Nanos> = Vec::new();
    for event in &trace.events {
        if is_step(kind, &event.kind) && times.last() != Some(&event.t_ns) {
            times.push(event.t_ns);
        }
    }
    times
}

/// Where a step from `from_ns` goes: the first step time after it (forward)
/// or the last one before it (backward); `None` when there is none.
pub fn step_from(times: &[Nanos], from_ns: Nanos, forward: bool) -> Option<Nanos> {
    if forward {
        let i = times.partition_point(|t| *t <= from_ns);
        times.get(i).copied()
    } else {
        let i = times.partition_point(|t| *t < from_ns);
        i.checked_sub(1).map(|i| times[i])
    }
}

/// The 1-based number of the event step at `t_ns` (0 before the first), for
/// "step 3 of 40" and embed links' `step=N`.
pub fn step_number(times: &[Nanos], t_ns: Nanos) -> usize {
    times.partition_point(|t| *t <= t_ns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use threadline_engine::{run, RunOptions};

    const SCRIPT: &str = "import threading, time\n\
        \n\
        def work():\n\
        \x20   time.sleep(0.5)\n\
        \x20   print('worker done')\n\
        \n\
        t = threading.Thread(target=work)\n\
        t.start()\n\
        t.join()\n\
        print('main done')\n";

    fn trace() -> Trace {
        let first = run(SCRIPT, &RunOptions::default());
        assert_eq!(first, run(SCRIPT, &RunOptions::default()), "deterministic");
        first
    }

    fn at(trace: &Trace, t_ns: Nanos) -> Frame {
        Frame::at(trace, &[], t_ns)
    }

    #[test]
    fn states_and_lines_follow_the_events() {
        let trace = trace();
        let mid = 300_000_000;
        let frame = at(&trace, mid);
        assert!(
            matches!(frame.states[0], Some(ThreadState::Blocked { line: 9, .. })),
            "{frame:?}"
        );
        assert!(
            matches!(frame.state(ThreadId(1)), Some(ThreadState::Sleeping { line: 4, .. })),
            "{frame:?}"
        );
        assert_eq!(frame.lines(), vec![Some(9), Some(4)]);
        assert!(frame.ran.iter().all(|r| *r), "both threads ran by then");
        assert_eq!(at(&trace, 0).states, vec![None, None]);
        assert!(!at(&trace, 0).is_alive(ThreadId(0)));
        let end = trace.events.last().unwrap().t_ns;
        let frame = at(&trace, end);
        assert_eq!(frame.lines(), vec![None, None], "nothing is alive at the end");
        assert!(
            frame.last_alive.iter().all(|s| s.is_some()),
            "each thread's last live state is kept"
        );
        let exit = (0, trace.outcome.exit_ns.unwrap());
        assert_eq!(frame.exit(trace.processes[0].pid), Some(exit));
    }

    #[test]
    fn the_thread_that_ran_last_is_known_while_it_lives() {
        let trace = trace();
        assert_eq!(at(&trace, 0).last_ran(), None);
        let output = trace.output[0].t_ns;
        assert_eq!(at(&trace, output).last_ran(), Some(ThreadId(1)), "the worker printed");
        let end = trace.events.last().unwrap().t_ns;
        assert_eq!(at(&trace, end).last_ran(), None, "nothing is alive at the end");
    }

    #[test]
    fn output_appears_at_its_time() {
        let trace = trace();
        assert_eq!(at(&trace, 0).output_count, 0);
        let worker_line = trace.output[0].t_ns;
        assert_eq!(at(&trace, worker_line - 1).output_count, 0);
        assert_eq!(at(&trace, worker_line).output_count, 1);
        assert_eq!(at(&trace, worker_line).rows, vec![Row::Output { index: 0, echoes: 0 }]);
        let all = at(&trace, u64::MAX);
        assert_eq!(all.output_count, 2);
        assert_eq!(all.rows.last(), Some(&Row::Prompt), "the prompt is back after the exit");
    }

    #[test]
    fn processes_signals_and_orphans_are_folded_in_order() {
        let trace = crate::testing::scenario_trace("orphans-parent-killed", |_| {});
        let main = trace.processes[0].pid;
        let killed = trace.processes[0].exit_ns.unwrap();
        let before = at(&trace, killed - 1);
        assert!(before.reparented.is_empty() && before.exit(main).is_none());
        assert_eq!(before.methods.len(), trace.processes.len() - 1, "{:?}", before.methods);
        let after = at(&trace, killed);
        assert_eq!(after.exit(main), Some((-9, killed)));
        assert_eq!(after.signals.last().map(|s| s.3), Some(9), "SIGKILL arrived");
        // The fork server's children keep it as their parent; the server and
        // the resource tracker, the main process's own children, go to init.
        for child in &trace.processes[1..] {
            let server = trace.processes.iter().find(|p| p.name == "forkserver").map(|p| p.pid);
            let expected = if Some(child.ppid) == server { None } else { Some(1) };
            assert_eq!(after.reparented_to(child.pid), expected, "{}", child.name);
        }
    }

    /// The cursors a test looks at: the start, a spread of event times and
    /// the moments just before and after them, the end and past it.
    fn cursors(trace: &Trace) -> Vec<Nanos> {
        let times = step_times(trace, StepKind::Event);
        let mut out = vec![0];
        let every = (times.len() / 12).max(1);
        for t in times.iter().step_by(every) {
            out.extend([t.saturating_sub(1), *t, t + 1]);
        }
        out.extend([times.last().copied().unwrap_or(0), u64::MAX]);
        out
    }

    #[test]
    fn moving_the_cursor_either_way_folds_as_from_the_start_for_every_scenario() {
        for scenario in threadline_engine::scenarios::all() {
            let options = scenario.run_options();
            let trace = crate::testing::run_twice(&scenario.script, &options);
            let id = &scenario.meta.id;
            let signals = &options.signals;
            let mut moving = Frame::at(&trace, signals, 0);
            let mut checked = cursors(&trace);
            let backwards: Vec<Nanos> = checked.iter().rev().copied().collect();
            checked.extend(backwards);
            for t in checked {
                let frame = Frame::at(&trace, signals, t);
                moving.move_to(&trace, signals, t);
                assert_eq!(moving, frame, "{id} at {t}");
                assert_eq!(frame.t_ns, t);
                let shown: Vec<usize> = frame
                    .rows
                    .iter()
                    .filter_map(|r| match r {
                        Row::Output { index, .. } => Some(*index),
                        _ => None,
                    })
                    .collect();
                let written: Vec<usize> = (trace.events.iter().take_while(|e| e.t_ns <= t))
                    .filter_map(|e| match e.kind {
                        EventKind::Output { index } => Some(index),
                        _ => None,
                    })
                    .collect();
                assert_eq!(shown, written, "{id} at {t}: each line in the order written");
                for (i, line) in frame.lines().into_iter().enumerate() {
                    assert!(line.is_none() || frame.is_alive(ThreadId(i as u32)), "{id} at {t}");
                }
            }
        }
    }

    #[test]
    fn steps_move_between_distinct_times() {
        let trace = trace();
        let outputs = step_times(&trace, StepKind::Output);
        assert_eq!(outputs, trace.output.iter().map(|l| l.t_ns).collect::<Vec<_>>());
        let events = step_times(&trace, StepKind::Event);
        assert!(events.windows(2).all(|w| w[0] < w[1]));
        let lines = step_times(&trace, StepKind::Line);
        assert!(lines.len() < events.len() && lines.len() > 3);
        assert_eq!(step_from(&outputs, 0, true), Some(outputs[0]));
        assert_eq!(step_from(&outputs, outputs[0], true), Some(outputs[1]));
        assert_eq!(step_from(&outputs, outputs[1], true), None);
        assert_eq!(step_from(&outputs, outputs[1], false), Some(outputs[0]));
        assert_eq!(step_from(&outputs, outputs[0], false), None);
        assert_eq!(step_number(&events, 0), 0);
        assert_eq!(step_number(&events, events[2]), 3);
        assert_eq!(step_number(&events, u64::MAX), events.len());
    }
}
