//! Times, states and names in words, for titles and labels.

use threadline_engine::phrases::killed_by;
use threadline_engine::{BlockedOn, Nanos, ThreadState, Trace};

use super::axis::unit_for;
use super::StateClass;

pub use threadline_engine::signal_name;

/// ", line N", or nothing where the run names no line (code of the
/// interpreter's own, such as its shutdown, has none: line 0).
pub fn at_line(line: u32) -> String {
    if line == 0 {
        String::new()
    } else {
        format!(", line {line}")
    }
}

/// A state in words, with its reason ("blocked on join of Thread-1, line 12").
pub fn describe(state: &ThreadState, trace: &Trace) -> String {
    match state {
        ThreadState::Running { line: 0 } => "running".to_string(),
        ThreadState::Running { line } => format!("running line {line}"),
        ThreadState::Sleeping { line, until_ns } => {
            let at = if *line == 0 {
                String::new()
            } else {
                format!(" at line {line}")
            };
            format!("sleeping{at} until {}", format_time(*until_ns))
        }
        ThreadState::Blocked {
            on: on @ BlockedOn::Shutdown { .. },
            line,
            ..
        } => {
            let at = if *line == 0 {
                String::new()
            } else {
                format!(" (line {line})")
            };
            format!("waiting at shutdown: {}{at}", on.describe(&trace.threads))
        }
        ThreadState::Blocked { on, line, until_ns } => {
            let timeout = until_ns.map_or_else(String::new, |t| format!(", timeout at {}", format_time(t)));
            format!("blocked: {}{}{timeout}", on.describe(&trace.threads), at_line(*line))
        }
        ThreadState::Failed { exception } => format!("failed with {exception}"),
        ThreadState::Killed { signal } => killed_by(*signal),
        other => StateClass::of(other).label().to_string(),
    }
}

/// A time for people: "0 s", "1.5 s", "250 ms", "12 µs", "40 ns".
pub fn format_time(t_ns: Nanos) -> String {
    if t_ns == 0 {
        return "0 s".to_string();
    }
    let (divisor, unit) = unit_for(t_ns);
    let value = t_ns as f64 / divisor as f64;
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} {unit}")
}

/// `text` cut to at most `max_chars` characters, with an ellipsis when cut.
pub fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let kept: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_0_is_never_named() {
        assert_eq!(at_line(0), "");
        assert_eq!(at_line(12), ", line 12");
        let trace = threadline_engine::run("x = 1\n", &threadline_engine::RunOptions::default());
        let inside = ThreadState::Sleeping { until_ns: 5, line: 0 };
        assert!(
            !describe(&inside, &trace).contains("line"),
            "{}",
            describe(&inside, &trace)
        );
        assert_eq!(describe(&ThreadState::Running { line: 0 }, &trace), "running");
        let at_4 = ThreadState::Sleeping { until_ns: 5, line: 4 };
        assert!(describe(&at_4, &trace).contains("at line 4"));
    }

    #[test]
    fn times_read_naturally() {
        assert_eq!(format_time(0), "0 s");
        assert_eq!(format_time(1_500_000_000), "1.5 s");
        assert_eq!(format_time(250_000_000), "250 ms");
        assert_eq!(format_time(12_000), "12 µs");
        assert_eq!(format_time(40), "40 ns");
    }

    #[test]
    fn long_names_are_shortened() {
        assert_eq!(shorten("MainThread", 18), "MainThread");
        assert_eq!(shorten("Thread-12 (long_running_task)", 18), "Thread-12 (long_r…");
        assert_eq!(shorten("Thread-12 (long_running_task)", 18).chars().count(), 18);
    }
}
