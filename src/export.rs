//! What the export buttons download: file names, contents and types.
//!
//! - the trace as JSON (what `threadline run --trace` prints);
//! - the Chrome Trace Event format, for Perfetto and chrome://tracing;
//! - the timeline as a standalone SVG file.

use serde_json::{json, Value};
use threadline_engine::{EventKind, Nanos, ThreadState, Trace};

use crate::timeline::end_of_run;

/// One kind of export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    TraceJson,
    ChromeTrace,
    TimelineSvg,
}

impl ExportKind {
    pub const ALL: [ExportKind; 3] = [ExportKind::TraceJson, ExportKind::ChromeTrace, ExportKind::TimelineSvg];

    /// The button's text.
    pub fn label(self) -> &'static str {
        match self {
            ExportKind::TraceJson => "Trace (JSON)",
            ExportKind::ChromeTrace => "Chrome trace (Perfetto)",
            ExportKind::TimelineSvg => "Timeline (SVG)",
        }
    }

    /// A stable name for the button's `data-export`.
    pub fn id(self) -> &'static str {
        match self {
            ExportKind::TraceJson => "trace-json",
            ExportKind::ChromeTrace => "chrome-trace",
            ExportKind::TimelineSvg => "timeline-svg",
        }
    }

    /// The file's MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            ExportKind::TraceJson | ExportKind::ChromeTrace => "application/json",
            ExportKind::TimelineSvg => "image/svg+xml",
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            ExportKind::TraceJson => "-trace.json",
            ExportKind::ChromeTrace => "-chrome-trace.json",
            ExportKind::TimelineSvg => "-timeline.svg",
        }
    }
}

/// The downloaded file's name: `<script>-trace.json`, `<script>-chrome-trace.json`
/// or `<script>-timeline.svg`, where `<script>` is the script's name without
/// `.py` and with anything but letters, digits, `-`, `_` and `.` made `-`.
pub fn file_name(script_name: &str, kind: ExportKind) -> String {
    let stem = script_name.trim();
    let stem = stem.rsplit(['/', '\\']).next().unwrap_or(stem);
    let stem = stem.strip_suffix(".py").unwrap_or(stem);
    let mut safe: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let trimmed = safe.trim_matches(['.', '-']);
    if trimmed.is_empty() {
        safe = "script".to_string();
    } else {
        safe = trimmed.to_string();
    }
    format!("{safe}{}", kind.suffix())
}

/// The trace as pretty-printed JSON.
pub fn trace_json(trace: &Trace) -> String {
    serde_json::to_string_pretty(trace).unwrap_or_default()
}

/// The run in the Chrome Trace Event format (JSON object form): a process
/// and thread name for every process and thread, one complete (`X`) slice per
/// thread state (named by the state), and an instant (`i`) per output line.
///
/// The engine is getting its own `threadline_engine::export::chrome_trace`;
/// once it has, this calls that instead.
pub fn chrome_trace_json(trace: &Trace) -> String {
    let end = end_of_run(trace);
    let us = |ns: Nanos| ns as f64 / 1000.0;
    let mut events: Vec<Value> = Vec::new();
    for p in &trace.processes {
        events.push(json!({"ph": "M", "name": "process_name", "pid": p.pid, "tid": 0,
            "args": {"name": format!("{} (pid {})", p.name, p.pid)}}));
    }
    let pid_of =
        |thread: threadline_engine::ThreadId| trace.threads.iter().find(|t| t.id == thread).map_or(0, |t| t.pid);
    for t in &trace.threads {
        let daemon = if t.daemon { ", daemon" } else { "" };
        events.push(json!({"ph": "M", "name": "thread_name", "pid": t.pid, "tid": t.id.0,
            "args": {"name": format!("{}{daemon}", t.name)}}));
    }
    // Each state lasts until the thread's next state (or the end of the run).
    let mut open: Vec<(threadline_engine::ThreadId, Nanos, &ThreadState)> = Vec::new();
    let close = |events: &mut Vec<Value>,
                 (thread, start, state): (threadline_engine::ThreadId, Nanos, &ThreadState),
                 until: Nanos| {
        events.push(json!({"ph": "X", "name": state_name(state), "cat": "state",
            "pid": pid_of(thread), "tid": thread.0, "ts": us(start), "dur": us(until.saturating_sub(start)),
            "args": state_args(state)}));
    };
    for event in &trace.events {
        match &event.kind {
            EventKind::State { thread, state } => {
                if let Some(at) = open.iter().position(|(t, _, _)| t == thread) {
                    let previous = open.remove(at);
                    close(&mut events, previous, event.t_ns);
                }
                open.push((*thread, event.t_ns, state));
            }
            EventKind::Output { index } => {
                if let Some(line) = trace.output.get(*index) {
                    events.push(json!({"ph": "i", "s": "p", "name": line.text, "cat": "output",
                        "pid": line.pid, "tid": line.thread.0, "ts": us(event.t_ns)}));
                }
            }
            _ => {}
        }
    }
    for previous in open {
        let until = end.max(previous.1);
        close(&mut events, previous, until);
    }
    let doc = json!({"traceEvents": events, "displayTimeUnit": "ms"});
    serde_json::to_string(&doc).unwrap_or_default()
}

fn state_name(state: &ThreadState) -> &'static str {
    match state {
        ThreadState::New => "new",
        ThreadState::Ready => "ready (waiting for the GIL)",
        ThreadState::Running { .. } => "running",
        ThreadState::Sleeping { .. } => "sleeping",
        ThreadState::Blocked { .. } => "blocked",
        ThreadState::Finished => "finished",
        ThreadState::Failed { .. } => "failed",
        ThreadState::Abandoned => "abandoned (daemon at exit)",
        ThreadState::Killed { .. } => "killed",
    }
}

fn state_args(state: &ThreadState) -> Value {
    match state {
        ThreadState::Running { line } | ThreadState::Sleeping { line, .. } => json!({ "line": line }),
        ThreadState::Blocked { on, line, .. } => json!({ "line": line, "on": on }),
        ThreadState::Failed { exception } => json!({ "exception": exception }),
        ThreadState::Killed { signal } => json!({ "signal": signal }),
        _ => json!({}),
    }
}

/// The SVG namespace a standalone file needs.
const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// An `<svg>` element's markup made a file of its own: an XML declaration and
/// the SVG namespace (markup taken from an HTML page has none).
pub fn standalone_svg(markup: &str) -> String {
    let markup = markup.trim();
    let body = match markup.strip_prefix("<svg") {
        Some(rest) if !markup.contains("xmlns=") => format!("<svg xmlns=\"{SVG_NS}\"{rest}"),
        _ => markup.to_string(),
    };
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use threadline_engine::{run, RunOptions};

    #[test]
    fn file_names_come_from_the_script_name() {
        assert_eq!(
            file_name("daemon-join.py", ExportKind::TraceJson),
            "daemon-join-trace.json"
        );
        assert_eq!(
            file_name("daemon-join.py", ExportKind::ChromeTrace),
            "daemon-join-chrome-trace.json"
        );
        assert_eq!(file_name("script.py", ExportKind::TimelineSvg), "script-timeline.svg");
        assert_eq!(file_name("dir/my run?.py", ExportKind::TraceJson), "my-run-trace.json");
        assert_eq!(file_name("", ExportKind::TraceJson), "script-trace.json");
        assert_eq!(file_name("..", ExportKind::TimelineSvg), "script-timeline.svg");
        assert_eq!(file_name("été.py", ExportKind::TraceJson), "t-trace.json");
    }

    fn traced() -> Trace {
        let source = "import threading, time\n\ndef work():\n    time.sleep(0.5)\n    print('done')\n\n\
                      t = threading.Thread(target=work, daemon=True)\nt.start()\nt.join()\nprint('end')\n";
        let options = RunOptions::default();
        let trace = run(source, &options);
        assert_eq!(trace, run(source, &options), "the engine is deterministic");
        trace
    }

    #[test]
    fn the_trace_json_reads_back_as_the_trace() {
        let trace = traced();
        let text = trace_json(&trace);
        assert!(text.contains("\n  \"version\""), "pretty-printed");
        let back: Trace = serde_json::from_str(&text).unwrap();
        assert_eq!(back, trace);
    }

    #[test]
    fn the_chrome_trace_has_names_slices_and_output() {
        let trace = traced();
        let doc: Value = serde_json::from_str(&chrome_trace_json(&trace)).unwrap();
        let events = doc["traceEvents"].as_array().unwrap();
        let of = |ph: &str| events.iter().filter(|e| e["ph"] == ph).collect::<Vec<_>>();
        let thread_names: Vec<&str> = of("M")
            .iter()
            .filter(|e| e["name"] == "thread_name")
            .map(|e| e["args"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(thread_names.len(), trace.threads.len());
        assert!(thread_names.iter().any(|n| n.ends_with(", daemon")), "{thread_names:?}");
        let outputs: Vec<&str> = of("i").iter().map(|e| e["name"].as_str().unwrap()).collect();
        let printed: Vec<&str> = trace.output.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(outputs, printed);
        let slices = of("X");
        let states = trace
            .events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::State { .. }))
            .count();
        assert_eq!(slices.len(), states, "one slice per state change");
        let sleep = slices.iter().find(|e| e["name"] == "sleeping").expect("a sleep slice");
        assert_eq!(sleep["dur"].as_f64(), Some(500_000.0), "0.5 s in microseconds");
        for slice in &slices {
            assert!(slice["dur"].as_f64().unwrap() >= 0.0);
            assert!(slice["ts"].as_f64().unwrap() >= 0.0);
        }
    }

    #[test]
    fn svg_markup_becomes_a_standalone_file() {
        let file = standalone_svg("<svg viewBox=\"0 0 1 1\"><rect></rect></svg>");
        assert_eq!(
            file,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><rect></rect></svg>\n"
        );
        let already = standalone_svg("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>");
        assert_eq!(already.matches("xmlns=").count(), 1);
    }
}
