//! What is true at a cursor time, computed from the trace alone: each
//! thread's state and line, how much output a terminal shows, and the times
//! the step buttons move between. Pure (no web types).
//!
//! The cursor is a virtual time: every event at or before it has happened.

use threadline_engine::{EventKind, Nanos, ThreadState, Trace};

/// Each thread's state at `t_ns` (index = thread id; `None` before its first state).
pub fn states_at(trace: &Trace, t_ns: Nanos) -> Vec<Option<ThreadState>> {
    let mut states = vec![None; trace.threads.len()];
    for event in trace.events.iter().take_while(|e| e.t_ns <= t_ns) {
        if let EventKind::State { thread, state } = &event.kind {
            if let Some(slot) = states.get_mut(thread.0 as usize) {
                *slot = Some(state.clone());
            }
        }
    }
    states
}

/// Each live thread's current source line at `t_ns` (index = thread id):
/// the last `Line` event or the line of its last running, sleeping or
/// blocked state; `None` for threads not alive then, or before their first line.
pub fn lines_at(trace: &Trace, t_ns: Nanos) -> Vec<Option<u32>> {
    let mut lines: Vec<Option<u32>> = vec![None; trace.threads.len()];
    let mut alive = vec![false; trace.threads.len()];
    for event in trace.events.iter().take_while(|e| e.t_ns <= t_ns) {
        match &event.kind {
            EventKind::Line { thread, line } => {
                if let Some(slot) = lines.get_mut(thread.0 as usize) {
                    *slot = Some(*line).filter(|l| *l > 0);
                }
            }
            EventKind::State { thread, state } => {
                let i = thread.0 as usize;
                if i >= lines.len() {
                    continue;
                }
                alive[i] = state.is_alive();
                let line = match state {
                    ThreadState::Running { line }
                    | ThreadState::Sleeping { line, .. }
                    | ThreadState::Blocked { line, .. } => Some(*line),
                    _ => None,
                };
                if let Some(line) = line.filter(|l| *l > 0) {
                    lines[i] = Some(line);
                }
            }
            _ => {}
        }
    }
    lines
        .into_iter()
        .zip(alive)
        .map(|(line, alive)| line.filter(|_| alive))
        .collect()
}

/// How many lines of `trace.output` a terminal shows at `t_ns`.
pub fn output_count_at(trace: &Trace, t_ns: Nanos) -> usize {
    trace.output.partition_point(|line| line.t_ns <= t_ns)
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

    #[test]
    fn states_and_lines_follow_the_events() {
        let trace = trace();
        let mid = 300_000_000;
        let states = states_at(&trace, mid);
        assert!(
            matches!(states[0], Some(ThreadState::Blocked { line: 9, .. })),
            "{states:?}"
        );
        assert!(
            matches!(states[1], Some(ThreadState::Sleeping { line: 4, .. })),
            "{states:?}"
        );
        assert_eq!(lines_at(&trace, mid), vec![Some(9), Some(4)]);
        assert_eq!(states_at(&trace, 0), vec![None, None]);
        let end = trace.events.last().unwrap().t_ns;
        assert_eq!(lines_at(&trace, end), vec![None, None], "nothing is alive at the end");
    }

    #[test]
    fn output_appears_at_its_time() {
        let trace = trace();
        assert_eq!(output_count_at(&trace, 0), 0);
        let worker_line = trace.output[0].t_ns;
        assert_eq!(output_count_at(&trace, worker_line - 1), 0);
        assert_eq!(output_count_at(&trace, worker_line), 1);
        assert_eq!(output_count_at(&trace, u64::MAX), 2);
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
