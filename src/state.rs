//! The app's state: one [`Model`], every change an [`Action`], all of them in
//! one `match` ([`Model::apply`]). No web types here, so it is tested natively.
//!
//! Running a script is part of the state change: selecting a scenario (or
//! pressing Run on "My script") calls [`threadline_engine::run`] and keeps the
//! resulting [`RunResult`].

use std::rc::Rc;

use threadline_engine::scenarios::Scenario;
use threadline_engine::{run, RunOptions, Trace};
use yew::Reducible;

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
}

impl PartialEq for RunResult {
    /// Cheap by design: components compare props on every render, and a trace
    /// can be large. A new run always gets a new serial.
    fn eq(&self, other: &Self) -> bool {
        self.serial == other.serial
    }
}

/// Everything the page shows, in one value.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub scenarios: Rc<Vec<Scenario>>,
    pub selection: Selection,
    /// The text of "My script" (kept while other scenarios are shown).
    pub my_script: String,
    /// The last run, if anything has been run yet.
    pub last_run: Option<Rc<RunResult>>,
    runs: u64,
}

/// Every way the state can change.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Show this scenario (or "My script") and run it.
    Select(Selection),
    /// The user edited "My script" (not run until [`Action::Run`]).
    EditMyScript(String),
    /// Run what is selected again.
    Run,
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
    /// A model showing `selection` (already run). An out-of-range scenario
    /// index falls back to "My script".
    pub fn new(scenarios: Vec<Scenario>, my_script: String, selection: Selection) -> Model {
        let mut model = Model {
            scenarios: Rc::new(scenarios),
            selection: Selection::MyScript,
            my_script,
            last_run: None,
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

    /// The script the selection shows.
    pub fn source(&self) -> &str {
        match self.scenario() {
            Some(s) => &s.script,
            None => &self.my_script,
        }
    }

    /// The options the selection runs with: a scenario's own (seed, time
    /// limit, Python version, signals, script name), or the defaults.
    pub fn options(&self) -> RunOptions {
        match self.scenario() {
            Some(s) => s.run_options(),
            None => RunOptions::default(),
        }
    }

    /// The one place where state changes.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Select(selection) => {
                self.selection = match selection {
                    Selection::Scenario(i) if i < self.scenarios.len() => selection,
                    _ => Selection::MyScript,
                };
                self.run();
            }
            Action::EditMyScript(text) => self.my_script = text,
            Action::Run => self.run(),
        }
    }

    fn run(&mut self) {
        let source = self.source().to_string();
        let options = self.options();
        let trace = run(&source, &options);
        self.runs += 1;
        self.last_run = Some(Rc::new(RunResult {
            serial: self.runs,
            source,
            options,
            trace,
        }));
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

    #[test]
    fn reduce_applies_the_action_to_a_copy() {
        let before = Rc::new(Model::new(sample(), String::new(), Selection::Scenario(0)));
        let after = before.clone().reduce(Action::Select(Selection::Scenario(2)));
        assert_eq!(before.selection, Selection::Scenario(0));
        assert_eq!(after.selection, Selection::Scenario(2));
    }
}
