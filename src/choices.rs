//! Choice points in words, and "what if": the schedule string that takes
//! another option at one choice point (and the default ones after it).
//! Pure (no web types).

use threadline_engine::Trace;
use threadline_engine::{Choice, ChoiceKind, Schedule};

use crate::timeline::format_time;

/// The empty schedule: the default run, with its choice points recorded.
pub const DEFAULT_SCHEDULE: &str = "s2";

fn thread_name(trace: &Trace, choice: &Choice, option: usize) -> String {
    choice
        .options
        .get(option)
        .and_then(|t| trace.threads.get(t.0 as usize))
        .map_or_else(|| format!("option {option}"), |t| t.name.clone())
}

/// What was decided at a choice point: "0.021 s, line 7: the GIL went to Thread-1".
pub fn describe(trace: &Trace, choice: &Choice) -> String {
    let chosen = choice.chosen as usize;
    let what = match choice.kind {
        ChoiceKind::Gil => format!("the GIL went to {}", thread_name(trace, choice, chosen)),
        ChoiceKind::Preempt if chosen == 0 => {
            format!("{} kept running", thread_name(trace, choice, 0))
        }
        ChoiceKind::Preempt => format!(
            "{} was switched out for {}",
            thread_name(trace, choice, 0),
            thread_name(trace, choice, 1)
        ),
        ChoiceKind::Timer => format!("{} woke first", thread_name(trace, choice, chosen)),
    };
    let line = if choice.line > 0 {
        format!(", line {}", choice.line)
    } else {
        String::new()
    };
    format!("{}{line}: {what}", format_time(choice.t_ns))
}

/// The alternatives at a choice point, as (option, label) for buttons:
/// "give the GIL to Thread-2", "switch to Thread-2 here", "let Thread-2 wake first".
pub fn alternatives(trace: &Trace, choice: &Choice) -> Vec<(u32, String)> {
    (0..choice.options.len() as u32)
        .filter(|o| *o != choice.chosen)
        .map(|o| {
            let label = match choice.kind {
                ChoiceKind::Gil => format!("give the GIL to {}", thread_name(trace, choice, o as usize)),
                ChoiceKind::Preempt if o == 0 => {
                    format!("let {} keep running", thread_name(trace, choice, 0))
                }
                ChoiceKind::Preempt => format!("switch to {} here", thread_name(trace, choice, 1)),
                ChoiceKind::Timer => format!("let {} wake first", thread_name(trace, choice, o as usize)),
            };
            (o, label)
        })
        .collect()
}

/// The schedule that repeats the run's choices before choice point `index`,
/// takes `option` there, and the default options after it.
pub fn flip(trace: &Trace, index: usize, option: u32) -> Option<String> {
    let choice = trace.choices.get(index)?;
    if option as usize >= choice.options.len() {
        return None;
    }
    let mut choices: Vec<u32> = trace.choices[..index].iter().map(|c| c.chosen).collect();
    choices.push(option);
    Some(Schedule { choices }.encode())
}

#[cfg(test)]
mod tests {
    use super::*;
    use threadline_engine::{run, RunOptions, Stream};

    const RACE: &str = "import threading\n\
        \n\
        def say(word):\n\
        \x20   for i in range(3):\n\
        \x20       print(word, i)\n\
        \n\
        a = threading.Thread(target=say, args=('a',))\n\
        b = threading.Thread(target=say, args=('b',))\n\
        a.start()\n\
        b.start()\n\
        a.join()\n\
        b.join()\n";

    fn run_with(schedule: &str) -> Trace {
        let options = RunOptions {
            schedule: Some(Schedule::decode(schedule).expect("a schedule")),
            ..RunOptions::default()
        };
        let first = run(RACE, &options);
        assert_eq!(first, run(RACE, &options), "deterministic");
        first
    }

    fn stdout(trace: &Trace) -> Vec<String> {
        trace
            .output
            .iter()
            .filter(|l| l.stream == Stream::Stdout)
            .map(|l| l.text.clone())
            .collect()
    }

    #[test]
    fn the_default_schedule_records_choice_points_without_changing_the_run() {
        let plain = run(RACE, &RunOptions::default());
        let recorded = run_with(DEFAULT_SCHEDULE);
        assert_eq!(stdout(&plain), stdout(&recorded));
        assert!(!recorded.choices.is_empty());
        assert!(recorded.choices.iter().all(|c| c.chosen == 0));
        let words = describe(&recorded, &recorded.choices[0]);
        assert!(words.contains("s") && words.contains(':'), "{words}");
    }

    #[test]
    fn flipping_a_choice_replays_up_to_it_and_changes_the_run() {
        let recorded = run_with(DEFAULT_SCHEDULE);
        let default_out = stdout(&recorded);
        let mut changed = false;
        for (i, choice) in recorded.choices.iter().enumerate() {
            for (option, label) in alternatives(&recorded, choice) {
                assert!(!label.is_empty());
                let schedule = flip(&recorded, i, option).expect("a valid flip");
                let flipped = run_with(&schedule);
                assert_eq!(flipped.choices[i].chosen, option, "the flip is taken at choice {i}");
                assert_eq!(
                    flipped.choices[..i].iter().map(|c| c.chosen).collect::<Vec<_>>(),
                    recorded.choices[..i].iter().map(|c| c.chosen).collect::<Vec<_>>()
                );
                changed |= stdout(&flipped) != default_out;
            }
        }
        assert!(changed, "some flip changes the interleaving of the output");
        assert_eq!(flip(&recorded, recorded.choices.len(), 0), None);
        assert_eq!(flip(&recorded, 0, 99), None);
    }
}
