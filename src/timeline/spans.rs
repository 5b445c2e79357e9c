//! Each thread's states as time intervals: a state holds until that
//! thread's next `State` event, or until [`end_of_run`].

use threadline_engine::{EventKind, Nanos, ThreadId, ThreadState, Trace};

/// A thread in one state from `start_ns` to `end_ns`.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    pub thread: ThreadId,
    pub start_ns: Nanos,
    pub end_ns: Nanos,
    pub state: ThreadState,
}

/// Where the timeline ends: the last event, the main process's exit, or the
/// horizon when the run was stopped there.
pub fn end_of_run(trace: &Trace) -> Nanos {
    let last_event = trace.events.last().map_or(0, |e| e.t_ns);
    let exit = trace.outcome.exit_ns.unwrap_or(0);
    let horizon = if trace.outcome.still_running && trace.outcome.stop == threadline_engine::StopReason::Horizon {
        trace.horizon_ns
    } else {
        0
    };
    last_event.max(exit).max(horizon)
}

/// Every thread's state intervals, grouped by thread (in `trace.threads`
/// order), each thread's in time order.
pub fn state_spans(trace: &Trace) -> Vec<Span> {
    spans_by_thread(trace).into_iter().flatten().collect()
}

pub(super) fn spans_by_thread(trace: &Trace) -> Vec<Vec<Span>> {
    let end = end_of_run(trace);
    let mut per_thread: Vec<Vec<Span>> = vec![Vec::new(); trace.threads.len()];
    for event in &trace.events {
        let EventKind::State { thread, state } = &event.kind else {
            continue;
        };
        let Some(spans) = per_thread.get_mut(thread.0 as usize) else {
            continue;
        };
        if let Some(previous) = spans.last_mut() {
            previous.end_ns = event.t_ns;
        }
        spans.push(Span {
            thread: *thread,
            start_ns: event.t_ns,
            end_ns: end.max(event.t_ns),
            state: state.clone(),
        });
    }
    per_thread
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::testkit::{state, thread, trace, two_threads};
    use crate::timeline::StateClass;

    #[test]
    fn a_state_holds_until_the_next_state_of_the_same_thread() {
        let spans = state_spans(&two_threads());
        let shape: Vec<(u32, Nanos, Nanos, StateClass)> = spans
            .iter()
            .map(|s| (s.thread.0, s.start_ns, s.end_ns, StateClass::of(&s.state)))
            .collect();
        assert_eq!(
            shape,
            vec![
                (0, 0, 400, StateClass::Running),
                (0, 400, 1000, StateClass::Blocked),
                (0, 1000, 1200, StateClass::Running),
                (0, 1200, 1200, StateClass::Finished),
                (1, 100, 400, StateClass::Ready),
                (1, 400, 1000, StateClass::Running),
                (1, 1000, 1200, StateClass::Finished),
            ]
        );
    }

    #[test]
    fn the_run_ends_at_exit_or_last_event_or_horizon() {
        assert_eq!(end_of_run(&two_threads()), 1200);
        let still = trace(
            vec![thread(0, "MainThread")],
            vec![state(0, 0, ThreadState::Running { line: 1 })],
            None,
        );
        assert_eq!(end_of_run(&still), 10_000, "stopped at the horizon");
        let empty = trace(Vec::new(), Vec::new(), Some(0));
        assert_eq!(end_of_run(&empty), 0);
    }
}
