//! What the code pane draws, computed from the source and the trace. Pure.
//!
//! - [`highlight`]: the script's lines as coloured segments
//!   ([`threadline_engine::classify`]);
//! - [`underline`]: the checker's diagnostics marked on those segments;
//! - [`markers_at`]: one marker per live thread on its current line at the cursor's [`Frame`];
//! - [`last_ran_line`]: the line of the thread that ran last ("the line that just ran").

use std::collections::BTreeMap;

use threadline_engine::{
    classify, Diagnostic, EventKind, ThreadId, ThreadInfo, ThreadState, TokenClass, Trace, MAX_SOURCE_BYTES,
};

use crate::colours::thread_colour_index;
use crate::snapshot::Frame;
use crate::timeline::describe;

/// Scripts longer than this (in bytes) are shown without colours, so that
/// typing in a very large script stays quick.
pub const HIGHLIGHT_LIMIT: usize = 200_000;

/// A run of text of one class on one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub class: Option<TokenClass>,
    pub text: String,
    /// Inside a diagnostic's span (drawn with a wavy underline). An empty
    /// flagged segment marks a span at the end of the line.
    pub flagged: bool,
}

impl Segment {
    /// The CSS classes of the segment: `tok-keyword diag-flag`, ...
    pub fn css_class(&self) -> String {
        let mut classes = Vec::new();
        if let Some(class) = self.class {
            classes.push(format!("tok-{}", class.name()));
        }
        if self.flagged {
            classes.push("diag-flag".to_string());
        }
        if self.flagged && self.text.is_empty() {
            classes.push("diag-eol".to_string());
        }
        classes.join(" ")
    }
}

/// The script's lines (split at `\n`, a line's final `\r` dropped), each as
/// segments whose texts add up to the line. Uncoloured beyond [`HIGHLIGHT_LIMIT`].
pub fn highlight(source: &str) -> Vec<Vec<Segment>> {
    let ranges = if source.len() > HIGHLIGHT_LIMIT {
        Vec::new()
    } else {
        classify(source)
    };
    let mut ranges = ranges.into_iter().peekable();
    let mut lines = Vec::new();
    let mut offset = 0usize; // in characters, from the start of the source
    for raw in source.split('\n') {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let chars: Vec<char> = line.chars().collect();
        let line_end = offset + chars.len();
        let mut segments: Vec<Segment> = Vec::new();
        let mut at = offset;
        let add = |class: Option<TokenClass>, from: usize, to: usize, segments: &mut Vec<Segment>| {
            if from < to {
                let text: String = chars[from - offset..to - offset].iter().collect();
                match segments.last_mut() {
                    Some(last) if last.class == class => last.text.push_str(&text),
                    _ => segments.push(Segment {
                        class,
                        text,
                        flagged: false,
                    }),
                }
            }
        };
        while let Some(&(class, start, end)) = ranges.peek() {
            if start >= line_end {
                break;
            }
            let from = start.max(at);
            let to = end.min(line_end);
            add(None, at, from, &mut segments);
            add(Some(class), from, to, &mut segments);
            at = to.max(at);
            if end <= line_end + 1 {
                ranges.next();
            } else {
                // A range that goes on to the next line (a multi-line string).
                break;
            }
        }
        add(None, at, line_end, &mut segments);
        lines.push(segments);
        offset += raw.chars().count() + 1;
        while ranges.peek().is_some_and(|&(_, _, end)| end <= offset) {
            ranges.next();
        }
    }
    lines
}

/// How many lines a read-only view shows: as `str::lines` counts them (no
/// empty line after a final newline).
pub fn shown_line_count(source: &str) -> usize {
    source.lines().count()
}

/// Marks every diagnostic's span on `lines`: from its column to its end on
/// its first line (to the end of that line when it goes on), at least one
/// character; at the end of a line, an empty flagged segment.
pub fn underline(lines: &mut [Vec<Segment>], diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        let Some(index) = line_index(lines.len(), d.line) else {
            continue;
        };
        let segments = &mut lines[index];
        let length: usize = segments.iter().map(|s| s.text.chars().count()).sum();
        let start = (d.col.max(1) as usize - 1).min(length);
        let end = if d.end_line == d.line {
            (d.end_col.max(1) as usize - 1).min(length)
        } else {
            length
        };
        let end = end.max(start + 1).min(length);
        if start >= length {
            if !segments.iter().any(|s| s.flagged && s.text.is_empty()) {
                segments.push(Segment {
                    class: None,
                    text: String::new(),
                    flagged: true,
                });
            }
            continue;
        }
        flag_range(segments, start, end);
    }
}

/// The index in `lines` of a 1-based diagnostic line, clamped into the script.
fn line_index(count: usize, line: u32) -> Option<usize> {
    if count == 0 {
        return None;
    }
    Some((line.max(1) as usize - 1).min(count - 1))
}

/// Splits segments so that characters `start..end` of the line are flagged.
fn flag_range(segments: &mut Vec<Segment>, start: usize, end: usize) {
    let mut out = Vec::with_capacity(segments.len() + 2);
    let mut at = 0usize;
    for segment in segments.drain(..) {
        let chars: Vec<char> = segment.text.chars().collect();
        let (s_start, s_end) = (at, at + chars.len());
        at = s_end;
        let cut_a = start.clamp(s_start, s_end) - s_start;
        let cut_b = end.clamp(s_start, s_end) - s_start;
        for (from, to, flag) in [(0, cut_a, false), (cut_a, cut_b, true), (cut_b, chars.len(), false)] {
            if from < to {
                out.push(Segment {
                    class: segment.class,
                    text: chars[from..to].iter().collect(),
                    flagged: segment.flagged || flag,
                });
            }
        }
    }
    *segments = out;
}

/// The diagnostics' messages by 1-based line (clamped into the script's
/// `line_count` lines), as [`Diagnostic::render`] words them.
pub fn messages_by_line(diagnostics: &[Diagnostic], line_count: usize) -> BTreeMap<u32, Vec<String>> {
    let mut out: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for d in diagnostics {
        if let Some(index) = line_index(line_count, d.line) {
            out.entry(index as u32 + 1).or_default().push(d.render());
        }
    }
    out
}

/// One live thread's marker on its current line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreadMarker {
    pub thread: ThreadId,
    /// [`thread_colour_index`].
    pub colour: usize,
    /// One or two characters drawn in the marker ([`marker_label`]).
    pub label: String,
    /// Who and what: "MainThread (blocked on join of Thread-1 (work) at line 9)".
    pub title: String,
}

/// The short text in a thread's marker: `M` for a main thread, the number
/// of `Thread-3 (work)` or `worker-12`, else the name's first letter.
pub fn marker_label(info: &ThreadInfo) -> String {
    if info.is_main {
        return "M".to_string();
    }
    let base = info.name.split(" (").next().unwrap_or(&info.name);
    let digits: String = base
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if !digits.is_empty() {
        let tail: String = digits
            .chars()
            .rev()
            .take(2)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        return tail;
    }
    info.name
        .chars()
        .find(|c| c.is_alphanumeric())
        .map_or_else(|| "T".to_string(), |c| c.to_uppercase().collect())
}

/// The words for a thread at a time: "MainThread (sleeping at line 4)", with
/// its process when the run has several.
pub fn thread_title(trace: &Trace, info: &ThreadInfo, state: Option<&ThreadState>) -> String {
    let who = if trace.processes.len() > 1 {
        format!("{} in process {}", info.name, info.pid)
    } else {
        info.name.clone()
    };
    match state {
        Some(state) => format!("{who} ({})", describe(state, trace)),
        None => who,
    }
}

/// Each live thread's marker at the frame's time, by 1-based line, in thread order.
pub fn markers_at(trace: &Trace, frame: &Frame) -> BTreeMap<u32, Vec<ThreadMarker>> {
    let mut out: BTreeMap<u32, Vec<ThreadMarker>> = BTreeMap::new();
    for (info, line) in trace.threads.iter().zip(frame.lines()) {
        let Some(line) = line else {
            continue;
        };
        out.entry(line).or_default().push(ThreadMarker {
            thread: info.id,
            colour: thread_colour_index(trace, info.id),
            label: marker_label(info),
            title: thread_title(trace, info, frame.state(info.id)),
        });
    }
    out
}

/// The line that just ran and its thread's colour: the line of the marker
/// of the thread that ran last (when it is alive and on a line).
pub fn last_ran_line(trace: &Trace, frame: &Frame, markers: &BTreeMap<u32, Vec<ThreadMarker>>) -> Option<(u32, usize)> {
    let thread = frame.last_ran()?;
    let line = markers
        .iter()
        .find(|(_, ms)| ms.iter().any(|m| m.thread == thread))
        .map(|(line, _)| *line)?;
    Some((line, thread_colour_index(trace, thread)))
}

/// How many markers fit side by side in the gutter without moving the code:
/// one per thread that ever has a line, at most three (more on one line overlap).
pub fn marker_slots(trace: &Trace) -> usize {
    let mut seen = vec![false; trace.threads.len()];
    for event in &trace.events {
        let thread = match &event.kind {
            EventKind::Line { thread, .. } => thread,
            EventKind::State {
                thread,
                state: ThreadState::Running { .. } | ThreadState::Sleeping { .. } | ThreadState::Blocked { .. },
            } => thread,
            _ => continue,
        };
        if let Some(slot) = seen.get_mut(thread.0 as usize) {
            *slot = true;
        }
    }
    seen.iter().filter(|s| **s).count().min(3)
}

/// Where the caret goes in a textarea holding `text` to stand at 1-based
/// `line` and `col`: an offset in UTF-16 units, as the textarea counts.
pub fn caret_offset(text: &str, line: u32, col: u32) -> u32 {
    let before = line.saturating_sub(1) as usize;
    let mut offset = 0u32;
    for text in text.split('\n').take(before) {
        offset += text.encode_utf16().count() as u32 + 1;
    }
    let line_text = text.split('\n').nth(before).unwrap_or("");
    let within: u32 = line_text
        .chars()
        .take(col.saturating_sub(1) as usize)
        .map(|c| c.len_utf16() as u32)
        .sum();
    offset + within
}

/// Why a script is not run automatically while it is edited, if it is too
/// large for the simulator.
pub fn size_message(source: &str) -> Option<String> {
    (source.len() > MAX_SOURCE_BYTES).then(|| {
        format!(
            "This script is {} KiB; the simulator accepts up to {} KiB. Shorten it to run it.",
            source.len().div_ceil(1024),
            MAX_SOURCE_BYTES / 1024
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use threadline_engine::{run, RunOptions};

    fn text_of(line: &[Segment]) -> String {
        line.iter().map(|s| s.text.as_str()).collect()
    }

    fn classes_of(line: &[Segment]) -> Vec<(Option<&'static str>, &str)> {
        line.iter()
            .map(|s| (s.class.map(TokenClass::name), s.text.as_str()))
            .collect()
    }

    #[test]
    fn lines_keep_their_text_and_get_classes() {
        let src = "import time\r\n\nx = 'a'  # note\n";
        let lines = highlight(src);
        assert_eq!(lines.len(), 4, "split at every newline, the empty last line included");
        let texts: Vec<String> = lines.iter().map(|l| text_of(l)).collect();
        assert_eq!(texts, ["import time", "", "x = 'a'  # note", ""]);
        assert_eq!(
            classes_of(&lines[0]),
            vec![(Some("keyword"), "import"), (None, " time")]
        );
        assert_eq!(
            classes_of(&lines[2]),
            vec![
                (None, "x "),
                (Some("operator"), "="),
                (None, " "),
                (Some("string"), "'a'"),
                (None, "  "),
                (Some("comment"), "# note"),
            ]
        );
        assert_eq!(shown_line_count(src), 3);
    }

    #[test]
    fn a_multi_line_string_is_coloured_on_every_line() {
        let src = "s = \"\"\"first\nsecond\nthird\"\"\" + 'x'\ny = 2\n";
        let lines = highlight(src);
        assert_eq!(classes_of(&lines[1]), vec![(Some("string"), "second")]);
        assert_eq!(
            classes_of(&lines[2]),
            vec![
                (Some("string"), "third\"\"\""),
                (None, " "),
                (Some("operator"), "+"),
                (None, " "),
                (Some("string"), "'x'"),
            ]
        );
        assert_eq!(classes_of(&lines[3])[3], (Some("number"), "2"));
        for (line, raw) in lines.iter().zip(src.split('\n')) {
            assert_eq!(text_of(line), raw);
        }
    }

    #[test]
    fn a_very_large_script_is_shown_without_colours() {
        let src = "x = 1\n".repeat(HIGHLIGHT_LIMIT / 6 + 1);
        let lines = highlight(&src);
        assert_eq!(lines.len(), src.split('\n').count());
        assert!(lines.iter().flatten().all(|s| s.class.is_none()));
    }

    fn diagnostic(line: u32, col: u32, end_line: u32, end_col: u32) -> Diagnostic {
        Diagnostic {
            severity: threadline_engine::Severity::Error,
            kind: threadline_engine::DiagnosticKind::Unsupported,
            message: "not supported".into(),
            line,
            col,
            end_line,
            end_col,
        }
    }

    #[test]
    fn diagnostics_underline_their_span_on_their_first_line() {
        let src = "x = 1\nasync def f(): pass\n";
        let mut lines = highlight(src);
        underline(&mut lines, &[diagnostic(2, 1, 3, 1)]);
        assert!(lines[0].iter().all(|s| !s.flagged));
        assert!(lines[1].iter().all(|s| s.flagged), "{:?}", lines[1]);
        assert_eq!(text_of(&lines[1]), "async def f(): pass");

        let mut lines = highlight(src);
        underline(&mut lines, &[diagnostic(2, 7, 2, 10)]);
        let flagged: String = lines[1].iter().filter(|s| s.flagged).map(|s| s.text.as_str()).collect();
        assert_eq!(flagged, "def");
        assert_eq!(text_of(&lines[1]), "async def f(): pass");
        assert_eq!(lines[1][0].class, Some(TokenClass::Keyword), "classes are kept");

        // An empty span at the end of a line: a marker after it, the text unchanged.
        let mut lines = highlight(src);
        underline(&mut lines, &[diagnostic(1, 6, 1, 6), diagnostic(1, 9, 1, 9)]);
        assert_eq!(text_of(&lines[0]), "x = 1");
        assert_eq!(lines[0].iter().filter(|s| s.flagged && s.text.is_empty()).count(), 1);
        assert_eq!(lines[0].last().unwrap().css_class(), "diag-flag diag-eol");

        // A zero-width span inside a line flags one character; lines out of range are clamped.
        let mut lines = highlight(src);
        underline(&mut lines, &[diagnostic(1, 1, 1, 1), diagnostic(99, 1, 99, 2)]);
        assert_eq!(lines[0][0].text, "x");
        assert!(lines[0][0].flagged);
        assert!(lines[2].iter().any(|s| s.flagged));
        let messages = messages_by_line(&[diagnostic(2, 1, 2, 2), diagnostic(99, 1, 99, 1)], 2);
        assert_eq!(messages.keys().copied().collect::<Vec<_>>(), vec![2]);
        assert_eq!(messages[&2].len(), 2);
        assert_eq!(messages[&2][0], "line 2, column 1: not supported");
    }

    #[test]
    fn the_checkers_diagnostic_for_async_def_is_underlined_at_its_line() {
        let src = "import time\nasync def f():\n    pass\n";
        let trace = run(src, &RunOptions::default());
        assert_eq!(trace, run(src, &RunOptions::default()), "deterministic");
        assert!(!trace.diagnostics.is_empty());
        let mut lines = highlight(src);
        underline(&mut lines, &trace.diagnostics);
        assert!(lines[1].iter().any(|s| s.flagged));
        assert!(lines[0].iter().all(|s| !s.flagged));
        assert!(messages_by_line(&trace.diagnostics, shown_line_count(src)).contains_key(&2));
    }

    const JOINER: &str = "import threading, time\n\
        \n\
        def work():\n\
        \x20   time.sleep(0.5)\n\
        \x20   print('worker done')\n\
        \n\
        t = threading.Thread(target=work)\n\
        t.start()\n\
        t.join()\n\
        print('main done')\n";

    #[test]
    fn markers_sit_on_each_live_threads_line() {
        let trace = run(JOINER, &RunOptions::default());
        assert_eq!(trace, run(JOINER, &RunOptions::default()), "deterministic");
        let markers = markers_at(&trace, &Frame::at(&trace, &[], 300_000_000));
        assert_eq!(markers.keys().copied().collect::<Vec<_>>(), vec![4, 9]);
        let main = &markers[&9][0];
        assert_eq!(main.thread, ThreadId(0));
        assert_eq!(main.label, "M");
        assert_eq!(main.colour, 0);
        assert_eq!(main.title, "MainThread (blocked: join of Thread-1 (work), line 9)");
        let worker = &markers[&4][0];
        assert_eq!(worker.label, "1");
        assert_eq!(worker.colour, 1);
        assert_eq!(worker.title, "Thread-1 (work) (sleeping at line 4 until 520 ms)");
        let end = trace.events.last().unwrap().t_ns;
        assert!(
            markers_at(&trace, &Frame::at(&trace, &[], end)).is_empty(),
            "nothing is alive at the end"
        );
        assert_eq!(marker_slots(&trace), 2);
    }

    #[test]
    fn the_line_that_just_ran_is_the_line_of_the_thread_that_ran_last() {
        let trace = run(JOINER, &RunOptions::default());
        assert_eq!(trace, run(JOINER, &RunOptions::default()), "deterministic");
        let last_ran = |t| {
            let frame = Frame::at(&trace, &[], t);
            last_ran_line(&trace, &frame, &markers_at(&trace, &frame))
        };
        assert_eq!(last_ran(0), None);
        // Mid-way the worker ran last (it started and went to sleep), the main thread is blocked.
        let worker_start = trace.threads[1].start_ns.unwrap();
        let ran: Vec<Option<(u32, usize)>> = trace
            .events
            .iter()
            .filter(|e| e.t_ns >= worker_start)
            .map(|e| last_ran(e.t_ns))
            .collect();
        assert!(ran.iter().any(|r| r.is_some_and(|(_, colour)| colour == 1)));
        assert!(ran.iter().any(|r| r.is_some_and(|(_, colour)| colour == 0)));
        let output = trace.output[0].t_ns;
        assert_eq!(last_ran(output), Some((5, 1)), "the worker printed at line 5");
        let end = trace.events.last().unwrap().t_ns;
        assert_eq!(last_ran(end), None, "nothing is alive at the end");
    }

    #[test]
    fn several_threads_on_one_line_get_one_marker_each() {
        let src = "import threading, time\n\
            def work():\n\
            \x20   time.sleep(1)\n\
            ts = [threading.Thread(target=work) for _ in range(4)]\n\
            for t in ts:\n\
            \x20   t.start()\n";
        let trace = run(src, &RunOptions::default());
        assert_eq!(trace, run(src, &RunOptions::default()), "deterministic");
        let markers = markers_at(&trace, &Frame::at(&trace, &[], 500_000_000));
        let on_sleep: Vec<&str> = markers[&3].iter().map(|m| m.label.as_str()).collect();
        assert_eq!(on_sleep, ["1", "2", "3", "4"]);
        assert_eq!(marker_slots(&trace), 3, "at most three side by side");
    }

    #[test]
    fn marker_labels_are_short() {
        let info = |name: &str, is_main: bool| ThreadInfo {
            id: ThreadId(1),
            pid: 1000,
            name: name.into(),
            daemon: false,
            is_main,
            created_by: None,
            start_line: None,
            start_ns: None,
            end_ns: None,
        };
        assert_eq!(marker_label(&info("MainThread", true)), "M");
        assert_eq!(marker_label(&info("Thread-3 (work)", false)), "3");
        assert_eq!(marker_label(&info("ThreadPoolExecutor-0_12", false)), "12");
        assert_eq!(marker_label(&info("Thread-123", false)), "23");
        assert_eq!(marker_label(&info("logger", false)), "L");
        assert_eq!(marker_label(&info("", false)), "T");
    }

    #[test]
    fn the_caret_counts_utf16_units_up_to_its_line_and_column() {
        let text = "import time\nprint('é😀x')\n";
        assert_eq!(caret_offset(text, 1, 1), 0);
        assert_eq!(caret_offset(text, 2, 1), 12);
        assert_eq!(caret_offset(text, 2, 8), 12 + 7);
        assert_eq!(caret_offset(text, 2, 9), 12 + 8);
        assert_eq!(caret_offset(text, 2, 10), 12 + 10, "the emoji is two units");
        assert_eq!(caret_offset(text, 9, 1), 12 + 14 + 1, "past the end: the end");
        assert_eq!(caret_offset(text, 0, 0), 0);
    }

    #[test]
    fn only_scripts_over_the_engines_limit_get_a_size_message() {
        assert_eq!(size_message("x = 1\n"), None);
        let big = "#".repeat(MAX_SOURCE_BYTES + 1);
        assert!(size_message(&big).unwrap().contains("1024 KiB"));
    }
}
