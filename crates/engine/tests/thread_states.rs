//! The thread states the trace reports at the end of a run.

use threadline_engine::{run, EventKind, RunOptions, ThreadState, Trace};

fn last_state(trace: &Trace, name: &str) -> ThreadState {
    let id = trace
        .threads
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no thread {name}"))
        .id;
    trace
        .events
        .iter()
        .rev()
        .find_map(|e| match &e.kind {
            EventKind::State { thread, state } if *thread == id => Some(state.clone()),
            _ => None,
        })
        .expect("a state")
}

fn run_twice(source: &str) -> Trace {
    let first = run(source, &RunOptions::default());
    assert_eq!(first, run(source, &RunOptions::default()), "deterministic");
    first
}

#[test]
fn threads_of_a_process_killed_by_a_signal_are_killed() {
    let trace = run_twice(
        "import os, signal, threading, time\n\
         t = threading.Thread(target=time.sleep, args=(5,), name='sleeper')\n\
         t.start()\n\
         os.kill(os.getpid(), signal.SIGKILL)\n",
    );
    assert_eq!(trace.outcome.exit_code, Some(-9));
    assert_eq!(last_state(&trace, "sleeper"), ThreadState::Killed { signal: 9 });
    assert_eq!(last_state(&trace, "MainThread"), ThreadState::Killed { signal: 9 });
}

#[test]
fn daemon_threads_left_at_a_normal_exit_are_abandoned() {
    let trace = run_twice(
        "import threading, time\n\
         t = threading.Thread(target=time.sleep, args=(5,), name='sleeper', daemon=True)\n\
         t.start()\n",
    );
    assert_eq!(trace.outcome.exit_code, Some(0));
    assert_eq!(last_state(&trace, "sleeper"), ThreadState::Abandoned);
}
