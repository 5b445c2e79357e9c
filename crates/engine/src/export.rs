//! A trace in the Chrome Trace Event Format, the JSON that Perfetto
//! (ui.perfetto.dev) and `chrome://tracing` open.
//!
//! - every simulated process is a `pid` (named "1000 · MainProcess"), every
//!   thread a `tid` (its [`ThreadId`], named by a `thread_name` event);
//! - each thread state is a complete event (`"ph": "X"`) named after the state
//!   (`running`, `ready`, `sleeping`, `blocked`, `new`), from the state change to
//!   the thread's next one (or the end of the run), with its reason and line in
//!   `args`; the states a thread ends in (`finished`, `failed`, `abandoned`,
//!   `killed`) are instants, since nothing follows them;
//! - output lines, `start()`, `join()` returns and uncaught exceptions are
//!   instants on their thread; signals, process starts and exits, shutdown steps,
//!   reaping and re-parenting are instants on their process; a flow arrow links
//!   each `start()` to the thread it started.
//!
//! Timestamps are virtual microseconds (floats, so nanoseconds survive). Line
//! events (source-line samples) are left out. The output is a function of the
//! trace alone: the same trace gives the same bytes.

use serde_json::{json, Map, Value};

use crate::trace::*;

/// Trace Event Format JSON (`{"traceEvents": [...], ...}`) for `trace`.
pub fn chrome_trace(trace: &Trace) -> String {
    let mut out = Exporter::default();
    out.metadata(trace);
    out.events(trace);
    out.events.sort_by_key(|(t, seq, _)| (*t, *seq));
    let mut events: Vec<Value> = out.meta;
    events.extend(out.events.into_iter().map(|(_, _, v)| v));
    let doc = json!({
        "traceEvents": events,
        "displayTimeUnit": "ms",
        "otherData": {
            "generator": "threadline",
            "trace_version": trace.version,
            "python": trace.python.label(),
            "seed": trace.seed,
            "exit_code": trace.outcome.exit_code,
            "still_running": trace.outcome.still_running,
        },
    });
    serde_json::to_string(&doc).unwrap_or_default()
}

#[derive(Default)]
struct Exporter {
    meta: Vec<Value>,
    /// (time, emission order, event): sorted by time, ties in emission order.
    events: Vec<(Nanos, usize, Value)>,
}

/// Virtual nanoseconds as the format's microseconds.
fn us(t: Nanos) -> f64 {
    t as f64 / 1000.0
}

/// The name of a thread state, as its span or instant is called.
fn state_name(s: &ThreadState) -> &'static str {
    match s {
        ThreadState::New => "new",
        ThreadState::Ready => "ready",
        ThreadState::Running { .. } => "running",
        ThreadState::Sleeping { .. } => "sleeping",
        ThreadState::Blocked { .. } => "blocked",
        ThreadState::Finished => "finished",
        ThreadState::Failed { .. } => "failed",
        ThreadState::Abandoned => "abandoned",
        ThreadState::Killed { .. } => "killed",
    }
}

/// A state the thread stays in until its next state change (a span), as
/// opposed to the state it ends in (an instant).
fn has_span(s: &ThreadState) -> bool {
    s.is_alive() || matches!(s, ThreadState::New)
}

/// The reason and line of a state, for `args`.
fn state_args(s: &ThreadState, threads: &[ThreadInfo]) -> Value {
    let mut a = Map::new();
    match s {
        ThreadState::New | ThreadState::Ready | ThreadState::Finished | ThreadState::Abandoned => {}
        ThreadState::Running { line } => {
            a.insert("line".into(), json!(line));
        }
        ThreadState::Sleeping { until_ns, line } => {
            a.insert("line".into(), json!(line));
            a.insert("until_us".into(), json!(us(*until_ns)));
            a.insert("reason".into(), json!("time.sleep()"));
        }
        ThreadState::Blocked { on, line, until_ns } => {
            a.insert("line".into(), json!(line));
            a.insert("reason".into(), json!(on.describe(threads)));
            if let Some(u) = until_ns {
                a.insert("until_us".into(), json!(us(*u)));
            }
        }
        ThreadState::Failed { exception } => {
            a.insert("exception".into(), json!(exception));
        }
        ThreadState::Killed { signal } => {
            a.insert("signal".into(), json!(crate::trace::signal_name(*signal)));
        }
    }
    Value::Object(a)
}

impl Exporter {
    fn push(&mut self, t: Nanos, v: Value) {
        let seq = self.events.len();
        self.events.push((t, seq, v));
    }

    fn thread_instant(&mut self, t: Nanos, trace: &Trace, thread: ThreadId, name: String, args: Value) {
        let pid = trace.threads.get(thread.0 as usize).map(|i| i.pid).unwrap_or(0);
        self.push(
            t,
            json!({"ph": "i", "s": "t", "name": name, "pid": pid, "tid": thread.0, "ts": us(t), "args": args}),
        );
    }

    fn process_instant(&mut self, t: Nanos, pid: Pid, name: String, args: Value) {
        self.push(
            t,
            json!({"ph": "i", "s": "p", "name": name, "pid": pid, "ts": us(t), "args": args}),
        );
    }

    fn metadata(&mut self, trace: &Trace) {
        for (i, p) in trace.processes.iter().enumerate() {
            self.meta.push(json!({
                "ph": "M", "name": "process_name", "pid": p.pid,
                "args": {"name": format!("{} · {}", p.pid, p.name)},
            }));
            self.meta.push(json!({
                "ph": "M", "name": "process_sort_index", "pid": p.pid, "args": {"sort_index": i},
            }));
        }
        for t in &trace.threads {
            self.meta.push(json!({
                "ph": "M", "name": "thread_name", "pid": t.pid, "tid": t.id.0,
                "args": {"name": t.name},
            }));
            self.meta.push(json!({
                "ph": "M", "name": "thread_sort_index", "pid": t.pid, "tid": t.id.0,
                "args": {"sort_index": t.id.0},
            }));
        }
    }

    fn events(&mut self, trace: &Trace) {
        // The open span of each thread: (start, state).
        let mut open: Vec<Option<(Nanos, ThreadState)>> = vec![None; trace.threads.len()];
        let mut flows = 0u64;
        for e in &trace.events {
            let t = e.t_ns;
            match &e.kind {
                EventKind::State { thread, state } => {
                    let i = thread.0 as usize;
                    if i >= open.len() {
                        continue;
                    }
                    if let Some((start, s)) = open[i].take() {
                        self.span(trace, *thread, start, t, &s);
                    }
                    if has_span(state) {
                        open[i] = Some((t, state.clone()));
                    } else {
                        let args = state_args(state, &trace.threads);
                        self.thread_instant(t, trace, *thread, state_name(state).to_string(), args);
                    }
                }
                EventKind::Line { .. } => {}
                EventKind::Output { index } => {
                    if let Some(l) = trace.output.get(*index) {
                        let stream = match l.stream {
                            Stream::Stdout => "stdout",
                            Stream::Stderr => "stderr",
                        };
                        let args = json!({"text": l.text, "stream": stream});
                        self.thread_instant(l.t_ns, trace, l.thread, l.text.clone(), args);
                    }
                }
                EventKind::Start { by, thread, line } => {
                    let name = trace
                        .threads
                        .get(thread.0 as usize)
                        .map(|i| i.name.clone())
                        .unwrap_or_default();
                    let args = json!({"thread": name, "line": line});
                    self.thread_instant(t, trace, *by, format!("start() {name}"), args);
                    flows += 1;
                    let pid_of = |id: ThreadId| trace.threads.get(id.0 as usize).map(|i| i.pid).unwrap_or(0);
                    self.push(
                        t,
                        json!({"ph": "s", "id": flows, "cat": "start", "name": "start", "pid": pid_of(*by), "tid": by.0, "ts": us(t)}),
                    );
                    self.push(
                        t,
                        json!({"ph": "f", "bp": "e", "id": flows, "cat": "start", "name": "start", "pid": pid_of(*thread), "tid": thread.0, "ts": us(t)}),
                    );
                }
                EventKind::Join {
                    waiter,
                    target,
                    line,
                    timed_out,
                } => {
                    let name = trace
                        .threads
                        .get(target.0 as usize)
                        .map(|i| i.name.clone())
                        .unwrap_or_default();
                    let args = json!({"thread": name, "line": line, "timed_out": timed_out});
                    self.thread_instant(t, trace, *waiter, format!("join() {name} returned"), args);
                }
                EventKind::Uncaught {
                    thread,
                    exception,
                    line,
                } => {
                    let args = json!({"exception": exception, "line": line});
                    self.thread_instant(t, trace, *thread, format!("uncaught {exception}"), args);
                }
                EventKind::Phase { pid, phase } => {
                    let name = match phase {
                        ShutdownPhase::MainFinished => "shutdown: main module finished",
                        ShutdownPhase::JoiningThreads => "shutdown: joining non-daemon threads",
                        ShutdownPhase::Atexit => "shutdown: atexit handlers",
                        ShutdownPhase::Exiting => "shutdown: exiting",
                    };
                    self.process_instant(t, *pid, name.into(), json!({}));
                }
                EventKind::Exit { pid, code } => {
                    let args = json!({"exit_code": code});
                    self.process_instant(t, *pid, format!("exit {code}"), args);
                }
                EventKind::ProcessStart {
                    parent,
                    pid,
                    method,
                    line,
                } => {
                    let args = json!({"parent": parent, "pid": pid, "method": method, "line": line});
                    self.process_instant(t, *parent, format!("start process {pid} ({method})"), args.clone());
                    self.process_instant(t, *pid, format!("process started by {parent} ({method})"), args);
                }
                EventKind::Reaped { pid } => {
                    self.process_instant(t, *pid, "reaped".into(), json!({}));
                }
                EventKind::Reparent { pid, ppid } => {
                    self.process_instant(t, *pid, format!("re-parented to {ppid}"), json!({"ppid": ppid}));
                }
                EventKind::Signal {
                    from,
                    to,
                    signum,
                    action,
                } => {
                    let sig = crate::trace::signal_name(*signum);
                    let args = json!({"signal": sig, "signum": signum, "from": from, "action": action});
                    self.process_instant(t, *to, format!("{sig}: {action}"), args);
                }
            }
        }
        // Spans still open end with the run.
        let end = end_of(trace);
        for (i, o) in open.into_iter().enumerate() {
            if let Some((start, s)) = o {
                self.span(trace, ThreadId(i as u32), start, end.max(start), &s);
            }
        }
    }

    fn span(&mut self, trace: &Trace, thread: ThreadId, start: Nanos, end: Nanos, s: &ThreadState) {
        let pid = trace.threads.get(thread.0 as usize).map(|i| i.pid).unwrap_or(0);
        let args = state_args(s, &trace.threads);
        self.push(
            start,
            json!({
                "ph": "X", "name": state_name(s), "cat": "state", "pid": pid, "tid": thread.0,
                "ts": us(start), "dur": us(end.saturating_sub(start)), "args": args,
            }),
        );
    }
}

/// When the run ended: the last event, or the horizon for a run still going.
fn end_of(trace: &Trace) -> Nanos {
    let last = trace.events.iter().map(|e| e.t_ns).max().unwrap_or(0);
    let last = last.max(trace.outcome.exit_ns.unwrap_or(0));
    if trace.outcome.still_running {
        last.max(trace.horizon_ns)
    } else {
        last
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{run, RunOptions};

    const SCRIPT: &str = "import threading\nimport time\n\n\ndef work(n):\n    time.sleep(0.1 * n)\n    print(\"done\", n)\n\n\nts = [threading.Thread(target=work, args=(i,)) for i in range(3)]\nfor t in ts:\n    t.start()\nfor t in ts:\n    t.join()\nprint(\"all \\\"quoted\\\" \\\\ done\")\n";

    const PROCESSES: &str = "import multiprocessing\nimport os\nimport time\n\n\ndef child():\n    print(\"child\", os.getpid())\n    time.sleep(5)\n\n\nif __name__ == \"__main__\":\n    p = multiprocessing.Process(target=child)\n    p.start()\n    time.sleep(0.5)\n    p.terminate()\n    p.join()\n    raise ValueError(\"end\")\n";

    fn trace_of(src: &str) -> Trace {
        let opts = RunOptions {
            horizon_ns: 10_000_000_000,
            ..RunOptions::default()
        };
        let a = run(src, &opts);
        let b = run(src, &opts);
        assert!(a == b, "two runs gave different traces");
        a
    }

    fn parsed(trace: &Trace) -> Vec<Value> {
        let v: Value = serde_json::from_str(&chrome_trace(trace)).expect("valid JSON");
        v["traceEvents"].as_array().expect("traceEvents").clone()
    }

    fn spans_in(trace: &Trace) -> usize {
        trace
            .events
            .iter()
            .filter(|e| matches!(&e.kind, EventKind::State { state, .. } if has_span(state)))
            .count()
    }

    #[test]
    fn one_complete_event_per_state_span_with_names() {
        for src in [SCRIPT, PROCESSES] {
            let trace = trace_of(src);
            let events = parsed(&trace);
            let xs: Vec<&Value> = events.iter().filter(|e| e["ph"] == "X").collect();
            assert_eq!(xs.len(), spans_in(&trace));
            assert!(xs.iter().all(|e| e["dur"].as_f64().is_some_and(|d| d >= 0.0)));
            assert!(xs.iter().any(|e| e["name"] == "sleeping" && e["args"]["line"].is_u64()));
            for p in &trace.processes {
                let name = format!("{} · {}", p.pid, p.name);
                assert!(events
                    .iter()
                    .any(|e| e["ph"] == "M" && e["name"] == "process_name" && e["args"]["name"] == name.as_str()));
            }
            for t in &trace.threads {
                assert!(events.iter().any(|e| e["ph"] == "M"
                    && e["name"] == "thread_name"
                    && e["tid"] == t.id.0
                    && e["pid"] == t.pid
                    && e["args"]["name"] == t.name.as_str()));
            }
        }
    }

    #[test]
    fn spans_are_in_time_order_per_thread_and_do_not_overlap() {
        for src in [SCRIPT, PROCESSES] {
            let trace = trace_of(src);
            let events = parsed(&trace);
            for t in &trace.threads {
                let mut last_end = 0.0f64;
                let mut last_ts = 0.0f64;
                for e in events.iter().filter(|e| e["tid"] == t.id.0 && e["ph"] != "M") {
                    let ts = e["ts"].as_f64().unwrap();
                    assert!(ts >= last_ts, "{}: events out of order", t.name);
                    last_ts = ts;
                    if e["ph"] == "X" {
                        assert!(ts >= last_end - 1e-6, "{}: overlapping spans", t.name);
                        last_end = ts + e["dur"].as_f64().unwrap();
                    }
                }
            }
        }
    }

    #[test]
    fn output_signals_exceptions_and_processes_are_instants() {
        let trace = trace_of(SCRIPT);
        let events = parsed(&trace);
        let lines: Vec<&Value> = events
            .iter()
            .filter(|e| e["ph"] == "i" && e["args"]["stream"].is_string())
            .collect();
        assert_eq!(lines.len(), trace.output.len());
        assert_eq!(lines.last().unwrap()["args"]["text"], "all \"quoted\" \\ done");
        let starts = events.iter().filter(|e| e["ph"] == "s").count();
        assert_eq!(starts, 3);
        assert_eq!(events.iter().filter(|e| e["ph"] == "f").count(), 3);

        let trace = trace_of(PROCESSES);
        let events = parsed(&trace);
        let named = |n: &str| {
            events
                .iter()
                .any(|e| e["ph"] == "i" && e["name"].as_str().unwrap().starts_with(n))
        };
        let child = trace.processes.iter().find(|p| p.name == "Process-1").unwrap().pid;
        assert!(named("SIGTERM"));
        assert!(named(&format!("start process {child}")));
        assert!(named("exit -15"));
        assert!(named("exit 1"));
        assert!(named("uncaught ValueError"));
        assert!(events.iter().any(|e| e["args"]["stream"] == "stderr"));
        assert!(events
            .iter()
            .any(|e| e["pid"] == child && e["args"]["text"] == format!("child {child}")));
    }

    #[test]
    fn the_same_trace_gives_the_same_bytes() {
        let a = chrome_trace(&trace_of(PROCESSES));
        let b = chrome_trace(&trace_of(PROCESSES));
        assert_eq!(a, b);
        let v: Value = serde_json::from_str(&a).unwrap();
        assert_eq!(v["otherData"]["python"], PyVersion::default().label());
        assert_eq!(v["displayTimeUnit"], "ms");
    }
}
