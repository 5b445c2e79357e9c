//! Made-up and real traces for the timeline's tests.

use threadline_engine::{
    BlockedOn, Event, EventKind, Nanos, Pid, ProcessInfo, RunOptions, StopReason, ThreadId, ThreadInfo, ThreadState,
    Trace,
};

/// A real trace of two threads, as the template of the made-up ones
/// below (so that fields added to the trace later keep sensible values).
pub fn template() -> Trace {
    let source = "import threading\nt = threading.Thread(target=print)\nt.start()\nt.join()\n";
    let trace = threadline_engine::run(source, &RunOptions::default());
    assert!(!trace.threads.is_empty() && !trace.processes.is_empty(), "{trace:?}");
    trace
}

pub fn thread(id: u32, name: &str) -> ThreadInfo {
    let mut info = template().threads[0].clone();
    info.id = ThreadId(id);
    info.pid = 100;
    info.name = name.to_string();
    info.daemon = false;
    info.is_main = id == 0;
    info.created_by = (id > 0).then_some(ThreadId(0));
    info
}

pub fn state(t_ns: Nanos, id: u32, state: ThreadState) -> Event {
    Event {
        t_ns,
        kind: EventKind::State {
            thread: ThreadId(id),
            state,
        },
    }
}

pub fn trace(threads: Vec<ThreadInfo>, events: Vec<Event>, exit_ns: Option<Nanos>) -> Trace {
    let mut trace = template();
    trace.horizon_ns = 10_000;
    trace.diagnostics.clear();
    trace.processes.truncate(1);
    trace.processes[0].pid = 100;
    trace.processes[0].ppid = 0;
    trace.processes[0].start_ns = 0;
    trace.processes[0].exit_code = exit_ns.map(|_| 0);
    trace.processes[0].exit_ns = exit_ns;
    trace.threads = threads;
    trace.events = events;
    trace.output.clear();
    trace.outcome.exit_code = exit_ns.map(|_| 0);
    trace.outcome.exit_ns = exit_ns;
    trace.outcome.still_running = exit_ns.is_none();
    trace.outcome.stop = if exit_ns.is_some() {
        StopReason::Exited
    } else {
        StopReason::Horizon
    };
    trace.outcome.explanation.clear();
    trace
}

pub fn process(pid: Pid, ppid: Pid, name: &str, start_ns: Nanos, exit_ns: Option<Nanos>) -> ProcessInfo {
    let mut info = template().processes[0].clone();
    info.pid = pid;
    info.ppid = ppid;
    info.name = name.to_string();
    info.daemon = false;
    info.start_ns = start_ns;
    info.exit_ns = exit_ns;
    info.exit_code = exit_ns.map(|_| 0);
    info
}

/// Main runs 0..400, waits for the worker by join 400..1000, finishes.
/// The worker is ready 100..400, runs 400..1000 and finishes.
pub fn two_threads() -> Trace {
    trace(
        vec![thread(0, "MainThread"), thread(1, "Thread-1 (worker)")],
        vec![
            state(0, 0, ThreadState::Running { line: 1 }),
            state(100, 1, ThreadState::Ready),
            state(
                400,
                0,
                ThreadState::Blocked {
                    on: BlockedOn::Join { thread: ThreadId(1) },
                    line: 5,
                    until_ns: None,
                },
            ),
            state(400, 1, ThreadState::Running { line: 2 }),
            state(1000, 1, ThreadState::Finished),
            state(1000, 0, ThreadState::Running { line: 6 }),
            state(1200, 0, ThreadState::Finished),
        ],
        Some(1200),
    )
}

/// Runs `source` twice, checks that both traces are equal, returns one.
pub fn run_twice(source: &str) -> Trace {
    let first = threadline_engine::run(source, &RunOptions::default());
    let second = threadline_engine::run(source, &RunOptions::default());
    assert_eq!(first, second, "the engine is deterministic");
    assert!(first.diagnostics.is_empty(), "{:?}", first.diagnostics);
    first
}

/// 2 threads × a long CPU loop with a print every few iterations: 20,000+ events.
pub fn busy_trace() -> Trace {
    let source = "import threading\n\
def work(n):\n    acc = 0\n    for i in range(6000):\n        acc += i % 7\n        if i % 2 == 0:\n            print(n, i)\n\
a = threading.Thread(target=work, args=(1,))\n\
b = threading.Thread(target=work, args=(2,))\n\
a.start()\n\
b.start()\n\
a.join()\n\
b.join()\n";
    let t = run_twice(source);
    assert!(t.events.len() > 20_000, "{} events", t.events.len());
    t
}
