//! The app's state: one [`Model`], every change an [`Action`], all of them in
//! one `match` ([`Model::apply`]). No web types here, so it is tested natively.
//!
//! Running a script is part of the state change: selecting a scenario (or
//! pressing Run on "My script") calls [`threadline_engine::run`] and keeps the
//! resulting [`RunResult`].

use std::rc::Rc;

use threadline_engine::scenarios::{Scenario, Variation};
use threadline_engine::Schedule;
use threadline_engine::{run, versions_alike, Nanos, PyVersion, RunOptions, SignalSpec, SignalTarget, Trace};
use yew::Reducible;

use crate::explorer::{Exploration, ExploreAction};
use crate::snapshot::{step_from, step_times, Frame, StepKind};
use crate::timeline::{departure, end_of_run, View};

/// What the script pane shows: a bundled scenario (by index) or the user's script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    Scenario(usize),
    MyScript,
}

/// The script "My script" starts with.
pub const DEFAULT_MY_SCRIPT: &str = r#"import threading
import time


def worker(n):
    time.sleep(0.1 * n)
    print(f"worker {n} done")


threads = [threading.Thread(target=worker, args=(i,)) for i in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("all done")
"#;

/// One finished run: what was run, how, and the engine's trace.
#[derive(Clone, Debug)]
pub struct RunResult {
    /// Increases with every run; two results are equal when their serials are.
    pub serial: u64,
    pub source: String,
    pub options: RunOptions,
    pub trace: Trace,
    /// Where the timeline ends ([`crate::timeline::end_of_run`]).
    pub end_ns: Nanos,
    /// The modelled versions this script cannot tell apart from this run's
    /// (`versions_alike`); only this run's version for long runs.
    pub alike: Vec<PyVersion>,
    /// The window the timeline opens on: for an outcome shown from the
    /// explorer, where its run departs from the one shown before
    /// ([`crate::timeline::departure`]); None: the whole run.
    pub focus: Option<View>,
}

/// Runs longer than this (bytecode instructions) are not run again under the
/// other versions to find which of them behave alike.
const ALIKE_MAX_INSTRUCTIONS: u64 = 2_000_000;

impl PartialEq for RunResult {
    /// Cheap by design: components compare props on every render, and a trace
    /// can be large. A new run always gets a new serial.
    fn eq(&self, other: &Self) -> bool {
        self.serial == other.serial
    }
}

/// The run settings the learner can change (they start as the scenario's).
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub seed: u64,
    pub python: PyVersion,
    /// Signals sent during the run (the scenario's, then Ctrl-C presses and kills).
    pub signals: Vec<SignalSpec>,
    /// A schedule string from the outcome explorer or a shared link.
    pub schedule: Option<String>,
}

/// What a shared or embed link asks for beyond the selection: applied once,
/// after the selection, by [`Action::Restore`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Restore {
    /// A "try this" variation of the selected scenario, by id.
    pub variation: Option<String>,
    pub seed: Option<u64>,
    pub python: Option<PyVersion>,
    /// Replaces the scenario's signals when given.
    pub signals: Option<Vec<SignalSpec>>,
    pub schedule: Option<String>,
    /// The cursor's time, or (when no time is given) the event step number (1-based; 0: the start).
    pub cursor_ns: Option<Nanos>,
    pub step: Option<usize>,
    /// Start playing.
    pub autoplay: bool,
}

/// Playback speeds offered, in virtual seconds per real second.
pub const SPEEDS: [f64; 7] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0];

/// Everything the page shows, in one value.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub scenarios: Rc<Vec<Scenario>>,
    pub selection: Selection,
    /// The selected "try this" variation of the scenario (index into `try_this`).
    pub variation: Option<usize>,
    /// The text of "My script" (kept while other scenarios are shown).
    pub my_script: String,
    pub settings: Settings,
    /// The Python the learner chose (remembered by the page); None: the default.
    pub preferred_python: Option<PyVersion>,
    /// The last run, if anything has been run yet.
    pub last_run: Option<Rc<RunResult>>,
    /// The time cursor: everything at or before it has happened.
    pub cursor_ns: Nanos,
    /// What is true at the cursor in the last run, folded once per cursor
    /// move (every pane reads it); kept in step by [`Model::apply`].
    pub frame: Rc<Frame>,
    /// The run `frame` belongs to (its serial; 0: none).
    frame_serial: u64,
    pub playing: bool,
    /// Virtual seconds per real second while playing (one of [`SPEEDS`]).
    pub speed: f64,
    /// A message for the learner (a bad link or schedule), until dismissed.
    pub message: Option<String>,
    /// The keyboard shortcuts overlay is open.
    pub help_open: bool,
    /// The same script under another version, shown side by side with the run.
    pub compare: Option<Rc<RunResult>>,
    /// The outcome explorer: the search picked, and where an exploration stands.
    pub explore: Exploration,
    runs: u64,
}

/// Every way the state can change.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Show this scenario (or "My script") with its own settings and run it.
    Select(Selection),
    /// Show a "try this" variation of the selected scenario (None: the scenario itself).
    SelectVariation(Option<usize>),
    /// The user edited "My script" (not run until [`Action::Run`]).
    EditMyScript(String),
    /// Run what is selected again with the current settings.
    Run,
    /// Move the cursor to a time (clamped to the run).
    Seek(Nanos),
    /// Move the cursor to the next (or previous) step of a kind.
    Step {
        kind: StepKind,
        forward: bool,
    },
    /// The start of the run.
    Home,
    /// The end of the run.
    End,
    Play,
    Pause,
    /// Play when paused, pause when playing (the space bar).
    TogglePlay,
    SetSpeed(f64),
    /// While playing: `real_ms` of real time passed.
    Tick {
        real_ms: f64,
    },
    /// Send a signal at the cursor's time and run again (Ctrl-C: SIGINT to the group).
    SendSignal {
        signum: i32,
        target: SignalTarget,
    },
    /// Remove one of `settings.signals` and run again.
    RemoveSignal(usize),
    SetSeed(u64),
    NextSeed,
    SetPython(PyVersion),
    /// Show the run side by side with the same script under this version (None: stop).
    Compare(Option<PyVersion>),
    /// Replay this schedule (None: the default schedule) and run again.
    SetSchedule(Option<String>),
    /// Show a message to the learner.
    Tell(String),
    DismissMessage,
    /// Apply a shared or embed link's settings to the current selection and run.
    Restore(Restore),
    /// Open or close the keyboard shortcuts overlay.
    ToggleHelp,
    CloseHelp,
    /// The outcome explorer's progress (showing an outcome is [`Action::SetSchedule`]).
    Explore(ExploreAction),
}

/// Scenarios grouped by their `group`, in the order given (which
/// [`threadline_engine::scenarios::all`] sorts by group): `(group, [(index, scenario)])`.
pub fn groups(scenarios: &[Scenario]) -> Vec<(&str, Vec<(usize, &Scenario)>)> {
    let mut out: Vec<(&str, Vec<(usize, &Scenario)>)> = Vec::new();
    for (index, scenario) in scenarios.iter().enumerate() {
        match out.iter_mut().find(|(group, _)| *group == scenario.group) {
            Some((_, members)) => members.push((index, scenario)),
            None => out.push((scenario.group.as_str(), vec![(index, scenario)])),
        }
    }
    out
}

impl Model {
    /// A model showing `selection` (already run, cursor at the end). An
    /// out-of-range scenario index falls back to "My script".
    pub fn new(scenarios: Vec<Scenario>, my_script: String, selection: Selection) -> Model {
        let mut model = Model {
            scenarios: Rc::new(scenarios),
            selection: Selection::MyScript,
            variation: None,
            my_script,
            settings: settings_of(&RunOptions::default()),
            preferred_python: None,
            last_run: None,
            cursor_ns: 0,
            frame: Rc::new(Frame::default()),
            frame_serial: 0,
            playing: false,
            speed: 1.0,
            message: None,
            help_open: false,
            compare: None,
            explore: Exploration::default(),
            runs: 0,
        };
        model.apply(Action::Select(selection));
        model
    }

    /// The selection for the scenario with this id, if it is bundled.
    pub fn scenario_index(scenarios: &[Scenario], id: &str) -> Option<usize> {
        scenarios.iter().position(|s| s.meta.id == id)
    }

    /// The selected scenario (None for "My script").
    pub fn scenario(&self) -> Option<&Scenario> {
        match self.selection {
            Selection::Scenario(i) => self.scenarios.get(i),
            Selection::MyScript => None,
        }
    }

    /// The selected variation of the selected scenario.
    pub fn selected_variation(&self) -> Option<&Variation> {
        self.scenario()?.meta.try_this.get(self.variation?)
    }

    /// The script the selection shows.
    pub fn source(&self) -> &str {
        match (self.scenario(), self.selected_variation()) {
            (Some(s), Some(v)) => s.variation_script(v).unwrap_or(&s.script),
            (Some(s), None) => &s.script,
            (None, _) => &self.my_script,
        }
    }

    /// The options the selection asks for before the learner changes any:
    /// a scenario's (or variation's) own, or the defaults.
    /// The learner's chosen Python applies unless a variation asks for another.
    pub fn base_options(&self) -> RunOptions {
        let mut options = match (self.scenario(), self.selected_variation()) {
            (Some(s), Some(v)) => s.variation_options(v),
            (Some(s), None) => s.run_options(),
            (None, _) => RunOptions::default(),
        };
        if let Some(python) = self.preferred_python {
            if options.python == PyVersion::default() {
                options.python = python;
            }
        }
        options
    }

    /// The options of the next run: the base options with the settings.
    /// An unreadable schedule is reported by [`Model::run`] and ignored.
    pub fn options(&self) -> RunOptions {
        RunOptions {
            seed: self.settings.seed,
            python: self.settings.python,
            signals: self.settings.signals.clone(),
            schedule: self.settings.schedule.as_deref().and_then(|s| Schedule::decode(s).ok()),
            ..self.base_options()
        }
    }

    /// The end of the last run's timeline (0 before any run).
    pub fn end_ns(&self) -> Nanos {
        self.last_run.as_ref().map_or(0, |r| r.end_ns)
    }

    /// The one place where state changes; the frame follows the cursor and the run.
    pub fn apply(&mut self, action: Action) {
        self.update(action);
        self.follow_cursor();
    }

    /// Folds the last run's events up to the cursor: only those after the
    /// last fold when the cursor moved forward in the same run.
    fn follow_cursor(&mut self) {
        let Some(run) = &self.last_run else {
            return;
        };
        let signals = &run.options.signals;
        if self.frame_serial != run.serial {
            self.frame = Rc::new(Frame::at(&run.trace, signals, self.cursor_ns));
            self.frame_serial = run.serial;
        } else if self.frame.t_ns != self.cursor_ns {
            Rc::make_mut(&mut self.frame).move_to(&run.trace, signals, self.cursor_ns);
        }
    }

    fn update(&mut self, action: Action) {
        match action {
            Action::Select(selection) => {
                self.selection = match selection {
                    Selection::Scenario(i) if i < self.scenarios.len() => selection,
                    _ => Selection::MyScript,
                };
                self.variation = None;
                self.settings = settings_of(&self.base_options());
                self.playing = false;
                self.run();
                self.cursor_ns = self.end_ns();
            }
            Action::SelectVariation(variation) => {
                let count = self.scenario().map_or(0, |s| s.meta.try_this.len());
                self.variation = variation.filter(|v| *v < count);
                self.settings = settings_of(&self.base_options());
                self.playing = false;
                self.run();
                self.cursor_ns = self.end_ns();
            }
            Action::EditMyScript(text) => self.my_script = text,
            Action::Run => self.run(),
            Action::Seek(t) => {
                self.cursor_ns = t.min(self.end_ns());
                self.playing = false;
            }
            Action::Step { kind, forward } => {
                self.playing = false;
                if let Some(run) = &self.last_run {
                    let times = step_times(&run.trace, kind);
                    let target = step_from(&times, self.cursor_ns, forward);
                    self.cursor_ns = match (target, forward) {
                        (Some(t), _) => t,
                        (None, true) => run.end_ns,
                        (None, false) => 0,
                    };
                }
            }
            Action::Home => {
                self.playing = false;
                self.cursor_ns = 0;
            }
            Action::End => {
                self.playing = false;
                self.cursor_ns = self.end_ns();
            }
            Action::Play => {
                if self.cursor_ns >= self.end_ns() {
                    self.cursor_ns = 0;
                }
                self.playing = self.end_ns() > 0;
            }
            Action::Pause => self.playing = false,
            Action::TogglePlay => {
                let action = if self.playing { Action::Pause } else { Action::Play };
                self.update(action);
            }
            Action::SetSpeed(speed) => {
                if SPEEDS.contains(&speed) {
                    self.speed = speed;
                }
            }
            Action::Tick { real_ms } => {
                if self.playing && real_ms.is_finite() && real_ms > 0.0 {
                    let advance = (real_ms * 1e6 * self.speed) as Nanos;
                    self.cursor_ns = self.cursor_ns.saturating_add(advance.max(1)).min(self.end_ns());
                    if self.cursor_ns >= self.end_ns() {
                        self.playing = false;
                    }
                }
            }
            Action::SendSignal { signum, target } => {
                let spec = SignalSpec {
                    t_ns: self.cursor_ns,
                    signum,
                    target,
                };
                let at = self.settings.signals.partition_point(|s| s.t_ns <= spec.t_ns);
                self.settings.signals.insert(at, spec);
                self.playing = false;
                self.run();
            }
            Action::RemoveSignal(i) => {
                if i < self.settings.signals.len() {
                    self.settings.signals.remove(i);
                    self.run();
                }
            }
            Action::SetSeed(seed) => {
                self.settings.seed = seed;
                self.run();
            }
            Action::NextSeed => {
                self.settings.seed = self.settings.seed.wrapping_add(1);
                self.run();
            }
            Action::Compare(other) => {
                self.compare = other.map(|python| self.run_as(python));
            }
            Action::SetPython(python) => {
                self.preferred_python = Some(python);
                self.settings.python = python;
                self.run();
            }
            Action::SetSchedule(schedule) => {
                self.settings.schedule = schedule.filter(|s| !s.trim().is_empty());
                let before = self.last_run.clone();
                self.run();
                // Another schedule of the same run: open where the two part.
                if let (Some(before), Some(after)) = (before, self.last_run.as_mut()) {
                    if explores_alike(&before, &after.source, &after.options) {
                        let focus = departure(&before.trace, &after.trace, after.end_ns);
                        if let Some(after) = Rc::get_mut(after) {
                            after.focus = focus;
                        }
                    }
                }
            }
            Action::Tell(message) => self.message = Some(message),
            Action::DismissMessage => self.message = None,
            Action::Restore(restore) => self.restore(restore),
            Action::ToggleHelp => self.help_open = !self.help_open,
            Action::CloseHelp => self.help_open = false,
            Action::Explore(action) => self.explore.apply(action),
        }
    }

    fn restore(&mut self, restore: Restore) {
        if let Some(id) = &restore.variation {
            let found = self
                .scenario()
                .and_then(|s| s.meta.try_this.iter().position(|v| &v.id == id));
            match found {
                Some(v) => {
                    self.variation = Some(v);
                    self.settings = settings_of(&self.base_options());
                }
                None => {
                    self.message = Some(format!(
                        "The link names a variation \"{id}\" this scenario does not have."
                    ))
                }
            }
        }
        if let Some(seed) = restore.seed {
            self.settings.seed = seed;
        }
        if let Some(python) = restore.python {
            self.settings.python = python;
        }
        if let Some(signals) = restore.signals {
            self.settings.signals = signals;
        }
        self.settings.schedule = restore.schedule.filter(|s| !s.trim().is_empty());
        self.cursor_ns = Nanos::MAX;
        self.run();
        if let Some(t) = restore.cursor_ns {
            self.cursor_ns = t.min(self.end_ns());
        } else if let (Some(step), Some(run)) = (restore.step, &self.last_run) {
            let times = step_times(&run.trace, StepKind::Event);
            self.cursor_ns = match step {
                0 => 0,
                n => times.get(n - 1).copied().unwrap_or(run.end_ns),
            };
        } else if restore.autoplay {
            self.cursor_ns = 0;
        }
        self.playing = restore.autoplay && self.cursor_ns < self.end_ns();
    }

    /// Runs the selection with the current settings; the cursor stays where
    /// it was (within the new run). A new script or new settings (but not
    /// another schedule: that is how an explored outcome is shown) drop what
    /// the explorer found.
    /// The current script and settings run under `python`, for a comparison.
    fn run_as(&mut self, python: PyVersion) -> Rc<RunResult> {
        let source = self.source().to_string();
        let options = RunOptions {
            python,
            ..self.options()
        };
        let trace = run(&source, &options);
        let end_ns = end_of_run(&trace);
        self.runs += 1;
        Rc::new(RunResult {
            serial: self.runs,
            source,
            options,
            trace,
            end_ns,
            alike: vec![python],
            focus: None,
        })
    }

    fn run(&mut self) {
        if let Some(schedule) = &self.settings.schedule {
            if let Err(e) = Schedule::decode(schedule) {
                self.message = Some(format!(
                    "The schedule could not be read ({e}); the default schedule was used."
                ));
                self.settings.schedule = None;
            }
        }
        let source = self.source().to_string();
        let options = self.options();
        if self
            .last_run
            .as_ref()
            .is_some_and(|last| !explores_alike(last, &source, &options))
        {
            self.explore.reset();
        }
        let trace = run(&source, &options);
        let end_ns = end_of_run(&trace);
        let alike = if trace.diagnostics.is_empty() && trace.outcome.instructions <= ALIKE_MAX_INSTRUCTIONS {
            versions_alike(&source, &options, &trace)
        } else {
            vec![options.python]
        };
        self.runs += 1;
        self.cursor_ns = self.cursor_ns.min(end_ns);
        self.last_run = Some(Rc::new(RunResult {
            serial: self.runs,
            source,
            options,
            trace,
            end_ns,
            alike,
            focus: None,
        }));
        // A comparison follows the run (and ends when both sides are one version).
        let python = self.settings.python;
        if let Some(other) = self.compare.as_ref().map(|c| c.options.python) {
            self.compare = (other != python).then(|| self.run_as(other));
        }
    }
}

/// Whether exploring `source` with `options` explores what `last` did: the
/// same script, seed, Python version and signals (the schedule aside).
fn explores_alike(last: &RunResult, source: &str, options: &RunOptions) -> bool {
    last.source == source
        && last.options.seed == options.seed
        && last.options.python == options.python
        && last.options.signals == options.signals
}

/// The learner-changeable settings that `options` starts from.
fn settings_of(options: &RunOptions) -> Settings {
    Settings {
        seed: options.seed,
        python: options.python,
        signals: options.signals.clone(),
        schedule: None,
    }
}

impl Reducible for Model {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explorer::{Progress, Search};

    /// A bundled scenario made over (so that fields added later keep their values).
    fn scenario(group: &str, id: &str, until: f64, seed: u64) -> Scenario {
        let mut s = threadline_engine::scenarios::all()
            .into_iter()
            .next()
            .expect("a bundled scenario");
        s.group = group.to_string();
        s.path = format!("{group}/{id}.py");
        s.meta.id = id.to_string();
        s.meta.title = format!("Title of {id}");
        s.meta.until = until;
        s.meta.seed = seed;
        s.script = format!("print({id:?})\n");
        s
    }

    fn sample() -> Vec<Scenario> {
        vec![
            scenario("a", "one", 2.0, 7),
            scenario("a", "two", 0.5, 0),
            scenario("b", "three", 10.0, 1),
        ]
    }

    #[test]
    fn a_scenario_runs_with_its_own_options() {
        let scenarios = sample();
        let model = Model::new(scenarios.clone(), String::new(), Selection::Scenario(0));
        let options = model.options();
        assert_eq!(options, scenarios[0].run_options());
        assert_eq!(options.seed, 7);
        assert_eq!(options.horizon_ns, 2_000_000_000);
        assert_eq!(model.last_run.as_ref().unwrap().options, options);
    }

    #[test]
    fn my_script_runs_with_the_default_options() {
        let model = Model::new(sample(), "x = 1\n".into(), Selection::MyScript);
        assert_eq!(model.options(), RunOptions::default());
    }

    #[test]
    fn groups_keep_order_and_indices() {
        let scenarios = sample();
        let groups = groups(&scenarios);
        let shape: Vec<(&str, Vec<usize>)> = groups
            .iter()
            .map(|(g, members)| (*g, members.iter().map(|(i, _)| *i).collect()))
            .collect();
        assert_eq!(shape, vec![("a", vec![0, 1]), ("b", vec![2])]);
    }

    #[test]
    fn a_new_model_has_run_its_selection() {
        let model = Model::new(sample(), "x = 1\n".into(), Selection::Scenario(2));
        let run = model.last_run.as_ref().expect("ran at creation");
        assert_eq!(run.source, "print(\"three\")\n");
        assert_eq!(run.options, sample()[2].run_options());
        assert_eq!(run.trace, threadline_engine::run(&run.source, &run.options));
    }

    #[test]
    fn selecting_runs_the_selected_script() {
        let mut model = Model::new(sample(), "x = 1\n".into(), Selection::Scenario(0));
        let first = model.last_run.clone().unwrap();
        model.apply(Action::Select(Selection::Scenario(1)));
        let second = model.last_run.clone().unwrap();
        assert_eq!(model.selection, Selection::Scenario(1));
        assert_eq!(model.source(), "print(\"two\")\n");
        assert_eq!(second.source, model.source());
        assert_ne!(first, second, "every run is a new result");
    }

    #[test]
    fn an_unknown_scenario_index_selects_my_script() {
        let model = Model::new(sample(), "x = 1\n".into(), Selection::Scenario(99));
        assert_eq!(model.selection, Selection::MyScript);
        assert_eq!(model.last_run.as_ref().unwrap().source, "x = 1\n");
        assert_eq!(model.last_run.as_ref().unwrap().options, RunOptions::default());
    }

    #[test]
    fn editing_my_script_runs_only_on_run() {
        let mut model = Model::new(sample(), "x = 1\n".into(), Selection::MyScript);
        model.apply(Action::EditMyScript("y = 2\n".into()));
        assert_eq!(model.source(), "y = 2\n");
        assert_eq!(model.last_run.as_ref().unwrap().source, "x = 1\n");
        model.apply(Action::Run);
        assert_eq!(model.last_run.as_ref().unwrap().source, "y = 2\n");
    }

    #[test]
    fn my_script_is_kept_while_a_scenario_is_shown() {
        let mut model = Model::new(sample(), "x = 1\n".into(), Selection::MyScript);
        model.apply(Action::EditMyScript("edited\n".into()));
        model.apply(Action::Select(Selection::Scenario(0)));
        model.apply(Action::Select(Selection::MyScript));
        assert_eq!(model.source(), "edited\n");
        assert_eq!(model.last_run.as_ref().unwrap().source, "edited\n");
    }

    #[test]
    fn scenario_index_finds_by_id() {
        assert_eq!(Model::scenario_index(&sample(), "three"), Some(2));
        assert_eq!(Model::scenario_index(&sample(), "nope"), None);
    }

    const SLEEPY: &str = "import time\nprint('a')\ntime.sleep(1)\nprint('b')\ntime.sleep(1)\nprint('c')\n";

    fn sleepy() -> Model {
        Model::new(sample(), SLEEPY.into(), Selection::MyScript)
    }

    #[test]
    fn the_cursor_starts_at_the_end_and_moves_by_steps() {
        let mut model = sleepy();
        let end = model.end_ns();
        assert!(end > 2_000_000_000, "{end}");
        assert_eq!(model.cursor_ns, end);
        model.apply(Action::Home);
        assert_eq!(model.cursor_ns, 0);
        let outputs: Vec<Nanos> = model
            .last_run
            .as_ref()
            .unwrap()
            .trace
            .output
            .iter()
            .map(|l| l.t_ns)
            .collect();
        model.apply(Action::Step {
            kind: StepKind::Output,
            forward: true,
        });
        assert_eq!(model.cursor_ns, outputs[0]);
        model.apply(Action::Step {
            kind: StepKind::Output,
            forward: true,
        });
        assert_eq!(model.cursor_ns, outputs[1]);
        model.apply(Action::Step {
            kind: StepKind::Output,
            forward: false,
        });
        assert_eq!(model.cursor_ns, outputs[0]);
        model.apply(Action::Step {
            kind: StepKind::Event,
            forward: false,
        });
        assert!(model.cursor_ns < outputs[0]);
        model.apply(Action::Seek(u64::MAX));
        assert_eq!(model.cursor_ns, end, "seeking is clamped to the run");
        model.apply(Action::Step {
            kind: StepKind::Event,
            forward: true,
        });
        assert_eq!(model.cursor_ns, end);
    }

    /// The model's frame is the fold of its last run at its cursor.
    fn assert_frame_follows(model: &Model) {
        let run = model.last_run.as_ref().unwrap();
        let expected = Frame::at(&run.trace, &run.options.signals, model.cursor_ns);
        assert_eq!(*model.frame, expected, "at {}", model.cursor_ns);
    }

    #[test]
    fn the_frame_follows_the_cursor_and_every_new_run() {
        let mut model = sleepy();
        assert_frame_follows(&model);
        model.apply(Action::Home);
        assert_frame_follows(&model);
        for _ in 0..5 {
            model.apply(Action::Step {
                kind: StepKind::Event,
                forward: true,
            });
            assert_frame_follows(&model);
        }
        model.apply(Action::Play);
        model.apply(Action::Tick { real_ms: 700.0 });
        assert_frame_follows(&model);
        model.apply(Action::Seek(100));
        assert_frame_follows(&model);
        model.apply(Action::Seek(1_500_000_000));
        let before = model.frame.clone();
        model.apply(Action::SendSignal {
            signum: 2,
            target: SignalTarget::Group,
        });
        assert_frame_follows(&model);
        assert_ne!(model.frame, before, "the new run's frame has the signal");
        assert_eq!(model.frame.signals.len(), 1);
        model.apply(Action::Select(Selection::Scenario(2)));
        assert_frame_follows(&model);
        model.apply(Action::TogglePlay);
        assert_frame_follows(&model);
    }

    #[test]
    fn playing_advances_virtual_time_at_the_speed_and_stops_at_the_end() {
        let mut model = sleepy();
        model.apply(Action::Play);
        assert!(model.playing);
        assert_eq!(model.cursor_ns, 0, "playing from the end starts again");
        model.apply(Action::SetSpeed(2.0));
        model.apply(Action::Tick { real_ms: 100.0 });
        assert_eq!(model.cursor_ns, 200_000_000);
        model.apply(Action::SetSpeed(3.0));
        assert_eq!(model.speed, 2.0, "only the offered speeds");
        model.apply(Action::Tick { real_ms: 1e9 });
        assert_eq!(model.cursor_ns, model.end_ns());
        assert!(!model.playing);
        model.apply(Action::Tick { real_ms: 100.0 });
        assert_eq!(model.cursor_ns, model.end_ns());
    }

    #[test]
    fn ctrl_c_at_the_cursor_runs_again_with_the_signal() {
        let mut model = sleepy();
        model.apply(Action::Seek(1_500_000_000));
        model.apply(Action::SendSignal {
            signum: 2,
            target: SignalTarget::Group,
        });
        assert_eq!(model.settings.signals.len(), 1);
        assert_eq!(model.settings.signals[0].t_ns, 1_500_000_000);
        assert_eq!(
            model.cursor_ns, 1_500_000_000,
            "the cursor stays where the signal was sent"
        );
        let run = model.last_run.clone().unwrap();
        assert_eq!(
            run.trace.outcome.exit_code,
            Some(-2),
            "ended by SIGINT, as CPython exits on KeyboardInterrupt"
        );
        let stdout: Vec<&str> = run.trace.output.iter().map(|l| l.text.as_str()).collect();
        assert!(stdout.contains(&"KeyboardInterrupt"), "{stdout:?}");
        assert!(stdout.contains(&"b") && !stdout.contains(&"c"), "{stdout:?}");
        model.apply(Action::RemoveSignal(0));
        assert!(model.settings.signals.is_empty());
        assert_eq!(model.last_run.as_ref().unwrap().trace.outcome.exit_code, Some(0));
    }

    #[test]
    fn seed_python_and_schedule_settings_run_again() {
        let mut model = sleepy();
        model.apply(Action::SetSeed(41));
        model.apply(Action::NextSeed);
        assert_eq!(model.last_run.as_ref().unwrap().options.seed, 42);
        model.apply(Action::SetPython(PyVersion::V3_12));
        assert_eq!(model.last_run.as_ref().unwrap().trace.python, PyVersion::V3_12);
        model.apply(Action::SetSchedule(Some("not a schedule".into())));
        assert!(model.message.as_deref().unwrap_or("").contains("schedule"));
        assert_eq!(model.settings.schedule, None);
        model.apply(Action::DismissMessage);
        assert_eq!(model.message, None);
        model.apply(Action::Select(Selection::MyScript));
        assert_eq!(model.settings.seed, 0, "selecting resets the settings");
        assert_eq!(model.settings.python, PyVersion::V3_12, "but keeps the chosen Python");
    }

    #[test]
    fn a_variation_runs_its_own_script_and_settings() {
        let all = threadline_engine::scenarios::all();
        let (index, scenario) = all
            .iter()
            .enumerate()
            .find(|(_, s)| s.meta.try_this.iter().any(|v| v.script.is_some()))
            .expect("a scenario with a variation script");
        let v = scenario.meta.try_this.iter().position(|v| v.script.is_some()).unwrap();
        let mut model = Model::new(all.clone(), String::new(), Selection::Scenario(index));
        model.apply(Action::SelectVariation(Some(v)));
        let variation = &scenario.meta.try_this[v];
        assert_eq!(model.source(), scenario.variation_script(variation).unwrap());
        assert_ne!(model.source(), scenario.script);
        assert_eq!(
            model.last_run.as_ref().unwrap().options,
            scenario.variation_options(variation)
        );
        model.apply(Action::SelectVariation(Some(999)));
        assert_eq!(model.variation, None);
        assert_eq!(model.source(), scenario.script);
    }

    #[test]
    fn a_link_restores_variation_settings_and_cursor() {
        let all = threadline_engine::scenarios::all();
        let (index, scenario) = all
            .iter()
            .enumerate()
            .find(|(_, s)| !s.meta.try_this.is_empty())
            .expect("a scenario with variations");
        let variation = scenario.meta.try_this[0].clone();
        let mut model = Model::new(all.clone(), String::new(), Selection::Scenario(index));
        model.apply(Action::Restore(Restore {
            variation: Some(variation.id.clone()),
            seed: Some(9),
            python: Some(PyVersion::V3_12),
            step: Some(2),
            ..Restore::default()
        }));
        assert_eq!(model.selected_variation(), Some(&variation));
        assert_eq!(model.settings.seed, 9);
        let run = model.last_run.clone().unwrap();
        assert_eq!(run.options.python, PyVersion::V3_12);
        let times = step_times(&run.trace, StepKind::Event);
        assert_eq!(model.cursor_ns, times[1], "step 2 is the second event time");
        assert!(!model.playing);

        model.apply(Action::Restore(Restore {
            variation: Some("no-such-variation".into()),
            cursor_ns: Some(5),
            autoplay: true,
            ..Restore::default()
        }));
        assert!(model.message.as_deref().unwrap_or("").contains("no-such-variation"));
        assert_eq!(model.cursor_ns, 5);
        assert!(model.playing);
    }

    #[test]
    fn the_explorer_keeps_its_findings_while_an_outcome_is_shown_and_drops_them_for_a_new_script() {
        let mut model = sleepy();
        model.apply(Action::Explore(ExploreAction::ChooseSearch(Search::Every)));
        let generation = model.explore.next_generation();
        model.apply(Action::Explore(ExploreAction::Started { generation }));
        model.apply(Action::Explore(ExploreAction::Report {
            generation,
            schedules: 4,
            complete: true,
            outcomes: Vec::new(),
            more: false,
        }));
        assert_eq!(model.explore.progress.schedules, 4);
        model.apply(Action::SetSchedule(Some(crate::choices::DEFAULT_SCHEDULE.to_string())));
        model.apply(Action::SetSchedule(None));
        model.apply(Action::Seek(5));
        assert_eq!(
            model.explore.progress.schedules, 4,
            "showing another schedule keeps them"
        );
        model.apply(Action::NextSeed);
        assert_eq!(model.explore.progress, Progress::default(), "a new seed drops them");
        assert_eq!(model.explore.search, Search::Every, "the search picked stays");
        assert!(
            model.explore.generation > generation,
            "a running exploration would stop"
        );
        model.apply(Action::Explore(ExploreAction::Started {
            generation: model.explore.next_generation(),
        }));
        assert!(model.explore.progress.running);
        model.apply(Action::Explore(ExploreAction::Stop));
        assert!(model.explore.progress.stopping);
        model.apply(Action::EditMyScript("print(1)\n".into()));
        assert!(model.explore.progress.running, "editing alone changes nothing");
        model.apply(Action::Run);
        assert!(!model.explore.progress.running, "running the edited script does");
    }

    #[test]
    fn reduce_applies_the_action_to_a_copy() {
        let before = Rc::new(Model::new(sample(), String::new(), Selection::Scenario(0)));
        let after = before.clone().reduce(Action::Select(Selection::Scenario(2)));
        assert_eq!(before.selection, Selection::Scenario(0));
        assert_eq!(after.selection, Selection::Scenario(2));
    }
}
