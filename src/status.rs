//! How the run ended, in a line: the final status's summary and exit code.
//! Pure (no web types).

use threadline_engine::{Outcome, PyVersion, StopReason};

use crate::timeline::format_time;

/// One line on how the run ended.
pub fn summary(outcome: &Outcome, horizon_ns: u64) -> String {
    match (&outcome.stop, outcome.exit_code) {
        (StopReason::Diagnostics, _) => "Not run: the script has problems (see above).".to_string(),
        (_, Some(code)) => match outcome.exit_ns {
            Some(t) => format!("Exited with code {code} at {}.", format_time(t)),
            None => format!("Exited with code {code}."),
        },
        (StopReason::Horizon, None) => {
            format!(
                "Still running when the simulation stopped at {}.",
                format_time(horizon_ns)
            )
        }
        (StopReason::Deadlock, None) => "Stuck: nothing can run and nothing is due to wake up.".to_string(),
        (StopReason::InstructionBudget { limit }, None) => {
            format!("Stopped after {limit} bytecode instructions.")
        }
        (StopReason::OutputLimit { limit }, None) => {
            format!("Stopped after {limit} lines of output.")
        }
        (StopReason::ThreadLimit { limit }, None) => format!("Stopped at {limit} threads."),
        // Any other stop the engine reports: its explanation lines say more.
        (_, None) => "Stopped.".to_string(),
    }
}

/// The exit code as the final status shows it: "0", "-2", or "none yet".
pub fn exit_code_text(outcome: &Outcome) -> String {
    match outcome.exit_code {
        Some(code) => code.to_string(),
        None => "none yet".to_string(),
    }
}

/// Which real Pythons the run stands for, when more than one:
/// `Same on 3.14 and 3.15.`, `Same on 3.12, 3.13, 3.14 and 3.15.`
pub fn versions_note(alike: &[PyVersion]) -> Option<String> {
    let labels: Vec<&str> = alike.iter().map(|v| v.label()).collect();
    match labels.split_last() {
        Some((last, rest)) if !rest.is_empty() => Some(format!("Same on {} and {last}.", rest.join(", "))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(stop: StopReason, exit_code: Option<i32>, exit_ns: Option<u64>) -> Outcome {
        let options = threadline_engine::RunOptions::default();
        let mut outcome = threadline_engine::run("", &options).outcome;
        outcome.exit_code = exit_code;
        outcome.exit_ns = exit_ns;
        outcome.still_running = exit_code.is_none();
        outcome.stop = stop;
        outcome
    }

    #[test]
    fn an_exit_gives_its_code_and_time() {
        let o = outcome(StopReason::Exited, Some(1), Some(25_000_000));
        assert_eq!(summary(&o, 0), "Exited with code 1 at 25 ms.");
    }

    #[test]
    fn a_run_cut_at_the_horizon_says_so() {
        let o = outcome(StopReason::Horizon, None, None);
        assert_eq!(
            summary(&o, 8_000_000_000),
            "Still running when the simulation stopped at 8 s."
        );
    }

    #[test]
    fn the_exit_code_or_none_yet() {
        assert_eq!(exit_code_text(&outcome(StopReason::Exited, Some(-2), Some(5))), "-2");
        assert_eq!(exit_code_text(&outcome(StopReason::Horizon, None, None)), "none yet");
    }

    #[test]
    fn diagnostics_mean_nothing_ran() {
        let o = outcome(StopReason::Diagnostics, None, None);
        assert!(summary(&o, 0).starts_with("Not run"));
    }

    #[test]
    fn versions_note_names_the_versions_that_behave_alike() {
        assert_eq!(versions_note(&[PyVersion::V3_14]), None);
        assert_eq!(
            versions_note(&[PyVersion::V3_14, PyVersion::V3_15]).as_deref(),
            Some("Same on 3.14 and 3.15.")
        );
        assert_eq!(
            versions_note(&PyVersion::ALL).as_deref(),
            Some("Same on 3.12, 3.13, 3.14 and 3.15.")
        );
    }
}
