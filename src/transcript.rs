//! What the terminal shows at a cursor time, row by row: the script's output
//! lines in the order they were written, the `^C` a terminal echoes when
//! Ctrl-C is pressed (in front of whatever is written next, as a real
//! terminal shows `^CTraceback ...`), and the shell's next prompt once the
//! main process has exited (until then, "still running"). Pure (no web types).

use threadline_engine::{Nanos, SignalSpec, SignalTarget, Trace};

use crate::snapshot::Frame;

/// One row of the terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    /// `trace.output[index]`, after `echoes` echoed `^C`s on the same row.
    Output { index: usize, echoes: usize },
    /// `^C`s with nothing written after them (yet).
    Echo { echoes: usize },
    /// The shell's prompt, back after the main process exited.
    Prompt,
}

/// Whether a SIGINT from outside at `t_ns` was a terminal's Ctrl-C: sent to
/// the whole group, as the run's signals say (a SIGINT aimed at one process is
/// a `kill -INT`, which a terminal does not echo).
pub(crate) fn is_ctrl_c(signals: &[SignalSpec], t_ns: Nanos) -> bool {
    let mut at_t = signals.iter().filter(|s| s.signum == 2 && s.t_ns == t_ns).peekable();
    if at_t.peek().is_none() {
        return true;
    }
    at_t.any(|s| s.target == SignalTarget::Group)
}

/// The terminal's rows at the frame's time.
pub fn rows_at(frame: &Frame) -> Vec<Row> {
    let mut rows = frame.rows.clone();
    if frame.pending_echoes > 0 {
        rows.push(Row::Echo {
            echoes: frame.pending_echoes,
        });
    }
    rows
}

/// Whether the terminal says "(still running…)" at `t_ns`: the main
/// process has not exited by then (or never exits in this run).
pub fn still_running(trace: &Trace, t_ns: Nanos) -> bool {
    match trace.processes.first().and_then(|p| p.exit_ns) {
        Some(exit) => t_ns < exit,
        None => trace.outcome.still_running,
    }
}

/// `^C` repeated `n` times.
pub fn echo_text(n: usize) -> String {
    "^C".repeat(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use threadline_engine::scenarios::{all, find};
    use threadline_engine::{run, RunOptions};

    fn trace_of(id: &str) -> (Trace, RunOptions) {
        let scenario = find(id).unwrap_or_else(|| panic!("scenario {id}"));
        let options = scenario.run_options();
        let first = run(&scenario.script, &options);
        assert_eq!(first, run(&scenario.script, &options), "deterministic");
        (first, options)
    }

    fn outputs(rows: &[Row]) -> Vec<usize> {
        rows.iter()
            .filter_map(|r| match r {
                Row::Output { index, .. } => Some(*index),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_output_line_is_shown_once_in_order_by_the_end() {
        for scenario in all().iter().step_by(7) {
            let options = scenario.run_options();
            let trace = run(&scenario.script, &options);
            assert_eq!(trace, run(&scenario.script, &options), "deterministic");
            let rows = rows_at(&Frame::at(&trace, &options.signals, u64::MAX));
            let expected: Vec<usize> = (0..trace.output.len()).collect();
            assert_eq!(outputs(&rows), expected, "{}", scenario.meta.id);
            let prompts = rows.iter().filter(|r| **r == Row::Prompt).count();
            let main_exited = trace.processes[0].exit_ns.is_some();
            assert_eq!(prompts, usize::from(main_exited), "{}", scenario.meta.id);
        }
    }

    #[test]
    fn only_lines_written_by_the_cursor_are_shown() {
        let (trace, options) = trace_of("nondaemon-main-ends");
        assert_eq!(rows_at(&Frame::at(&trace, &options.signals, 0)), vec![]);
        let second = trace.output[1].t_ns;
        let rows = rows_at(&Frame::at(&trace, &options.signals, second));
        assert_eq!(
            outputs(&rows).len(),
            Frame::at(&trace, &options.signals, second).output_count
        );
        assert!(!rows.contains(&Row::Prompt), "the program still runs");
        assert!(still_running(&trace, second));
        let exit = trace.processes[0].exit_ns.expect("the main process exits");
        assert!(still_running(&trace, exit - 1) && !still_running(&trace, exit));
    }

    #[test]
    fn ctrl_c_is_echoed_in_front_of_the_traceback() {
        let (trace, options) = trace_of("bg-loop-join-ctrlc");
        let sent = options.signals[0].t_ns;
        let rows = rows_at(&Frame::at(&trace, &options.signals, sent));
        let echoed: Vec<&Row> = rows
            .iter()
            .filter(|r| matches!(r, Row::Output { echoes: 1, .. }))
            .collect();
        assert_eq!(echoed.len(), 1, "{rows:?}");
        let Row::Output { index, .. } = echoed[0] else {
            unreachable!()
        };
        assert_eq!(trace.output[*index].text, "Traceback (most recent call last):");
        assert!(rows_at(&Frame::at(&trace, &options.signals, sent - 1))
            .iter()
            .all(|r| matches!(r, Row::Output { echoes: 0, .. })));
        // The program ends later: the prompt comes back last.
        let end = rows_at(&Frame::at(&trace, &options.signals, u64::MAX));
        assert_eq!(end.last(), Some(&Row::Prompt));
    }

    #[test]
    fn a_sigint_to_one_process_is_not_echoed() {
        let (trace, mut options) = trace_of("bg-loop-join-ctrlc");
        options.signals[0].target = SignalTarget::Main;
        let trace_main = run(&find("bg-loop-join-ctrlc").unwrap().script, &options);
        assert_eq!(trace_main, run(&find("bg-loop-join-ctrlc").unwrap().script, &options));
        let rows = rows_at(&Frame::at(&trace_main, &options.signals, u64::MAX));
        assert!(rows
            .iter()
            .all(|r| !matches!(r, Row::Output { echoes: 1.., .. } | Row::Echo { .. })));
        assert_eq!(echo_text(2), "^C^C");
        drop(trace);
    }
}
