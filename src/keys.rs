//! Keyboard shortcuts: which key does what (pure, so the help overlay and
//! the key handler share one table).

use threadline_engine::SignalTarget;

use crate::snapshot::StepKind;
use crate::state::Action;

/// The shortcuts, in the order the help overlay lists them: (keys, what it does).
pub const SHORTCUTS: [(&str, &str); 11] = [
    ("→ / ←", "next / previous event"),
    ("L / Shift + L, Shift + → / ←", "next / previous source line"),
    ("O / Shift + O", "next / previous output line"),
    ("Space", "play / pause"),
    ("Home / End", "start / end of the run"),
    ("+ / −", "faster / slower playback"),
    ("C", "press Ctrl-C now (SIGINT to the foreground process group)"),
    (
        "On the timeline: arrows, + / −, 0, < / >",
        "go from bar to bar; zoom in / out, whole run, earlier / later",
    ),
    ("?", "show / hide this help"),
    ("Esc", "close this help"),
    ("Ctrl + Enter", "run the edited script (in the editor)"),
];

/// The action a key press stands for (`key` as `KeyboardEvent.key`), if any.
/// `speed` is the current playback speed (for + and −).
pub fn action_for(key: &str, shift: bool, speed: f64) -> Option<Action> {
    let step = |kind, forward| Some(Action::Step { kind, forward });
    match key {
        "ArrowRight" if shift => step(StepKind::Line, true),
        "ArrowLeft" if shift => step(StepKind::Line, false),
        "ArrowRight" => step(StepKind::Event, true),
        "ArrowLeft" => step(StepKind::Event, false),
        "l" => step(StepKind::Line, true),
        "L" => step(StepKind::Line, false),
        "o" => step(StepKind::Output, true),
        "O" => step(StepKind::Output, false),
        " " | "Spacebar" => Some(Action::TogglePlay),
        "Home" => Some(Action::Home),
        "End" => Some(Action::End),
        "+" | "=" => next_speed(speed, true).map(Action::SetSpeed),
        "-" | "_" => next_speed(speed, false).map(Action::SetSpeed),
        "c" | "C" => Some(Action::SendSignal {
            signum: 2,
            target: SignalTarget::Group,
        }),
        "?" => Some(Action::ToggleHelp),
        "Escape" => Some(Action::CloseHelp),
        _ => None,
    }
}

/// The offered speed after (or before) `speed`.
pub fn next_speed(speed: f64, faster: bool) -> Option<f64> {
    let speeds = crate::state::SPEEDS;
    let i = speeds.iter().position(|s| *s == speed)?;
    if faster {
        speeds.get(i + 1).copied()
    } else {
        i.checked_sub(1).map(|i| speeds[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_step_and_shift_steps_by_line() {
        assert_eq!(
            action_for("ArrowRight", false, 1.0),
            Some(Action::Step {
                kind: StepKind::Event,
                forward: true
            })
        );
        assert_eq!(
            action_for("ArrowLeft", true, 1.0),
            Some(Action::Step {
                kind: StepKind::Line,
                forward: false
            })
        );
        assert_eq!(action_for(" ", false, 1.0), Some(Action::TogglePlay));
        assert_eq!(action_for("x", false, 1.0), None);
    }

    #[test]
    fn l_steps_by_line_as_the_line_button_says() {
        let line = |forward| {
            Some(Action::Step {
                kind: StepKind::Line,
                forward,
            })
        };
        assert_eq!(action_for("l", false, 1.0), line(true));
        assert_eq!(action_for("L", true, 1.0), line(false));
        // Every single-letter key the help lists does something.
        for (keys, _) in SHORTCUTS {
            for key in keys
                .split([' ', '/', ','])
                .filter(|k| k.len() == 1 && k.chars().all(char::is_alphabetic))
            {
                let lower = key.to_lowercase();
                assert!(action_for(&lower, false, 1.0).is_some(), "{key} does nothing");
            }
        }
    }

    #[test]
    fn speed_keys_stay_within_the_offered_speeds() {
        assert_eq!(action_for("+", false, 1.0), Some(Action::SetSpeed(2.0)));
        assert_eq!(action_for("-", false, 1.0), Some(Action::SetSpeed(0.5)));
        assert_eq!(action_for("+", false, 16.0), None);
        assert_eq!(action_for("-", false, 0.25), None);
    }

    #[test]
    fn c_presses_ctrl_c_for_the_group() {
        assert_eq!(
            action_for("c", false, 1.0),
            Some(Action::SendSignal {
                signum: 2,
                target: SignalTarget::Group
            })
        );
    }
}
