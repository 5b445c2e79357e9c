//! What the export buttons download: file names, contents and types.
//!
//! - the trace as JSON (what `threadline run --trace` prints);
//! - the Chrome Trace Event format, for Perfetto and chrome://tracing;
//! - the timeline as a standalone SVG file.

use threadline_engine::Trace;

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

/// The run in the Chrome Trace Event format (Perfetto, chrome://tracing):
/// the engine's own export.
pub fn chrome_trace_json(trace: &Trace) -> String {
    threadline_engine::export::chrome_trace(trace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
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
    fn the_chrome_trace_names_every_thread_and_holds_the_output() {
        let trace = traced();
        let doc: Value = serde_json::from_str(&chrome_trace_json(&trace)).unwrap();
        let events = doc["traceEvents"].as_array().unwrap();
        let thread_names = events
            .iter()
            .filter(|e| e["ph"] == "M" && e["name"] == "thread_name")
            .count();
        assert_eq!(thread_names, trace.threads.len());
        let text = chrome_trace_json(&trace);
        for line in &trace.output {
            assert!(text.contains(&line.text), "{} is in the export", line.text);
        }
    }
}
