//! The outcome explorer as the page keeps it: which search the learner
//! picked and where an exploration stands, changed only by
//! [`ExploreAction`]s (through [`crate::state::Action::Explore`]). Pure.
//!
//! The engine's [`threadline_engine::Explorer`] itself lives in
//! the panel's slice loop (`components/explorer_panel.rs`), which runs it
//! in short slices and reports after each one. Every exploration has a
//! generation number: a new one, or a new script or settings
//! ([`Exploration::reset`]), makes the reports of an older one stale, and
//! its loop stops ([`Exploration::goes_on`]).

use threadline_engine::{ExploreOptions, OutcomeGroup};

use crate::timeline::shorten;

/// Schedules tried at most by the quick search (the explorer also stops when
/// every schedule within its preemption bound has run).
pub const MAX_SCHEDULES: u64 = 5_000;
/// Schedules tried at most by the search for every schedule (about half a
/// minute in a browser; Stop ends it sooner).
pub const MAX_SCHEDULES_EVERY: u64 = 100_000;
/// The preemption bound of the quick search.
pub const QUICK_BOUND: u32 = 2;

/// How far the search goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Search {
    /// Schedules with at most this many non-default choices (sleep sets).
    #[default]
    Bounded,
    /// Every schedule, pruned by DPOR.
    Every,
}

impl Search {
    /// Both, in the order the page offers them.
    pub const ALL: [Search; 2] = [Search::Bounded, Search::Every];

    pub fn options(self) -> ExploreOptions {
        let (max_schedules, preemption_bound) = match self {
            Search::Bounded => (MAX_SCHEDULES, Some(QUICK_BOUND)),
            Search::Every => (MAX_SCHEDULES_EVERY, None),
        };
        ExploreOptions {
            max_schedules,
            preemption_bound,
            ..ExploreOptions::default()
        }
    }

    /// The `value` of its `<option>`.
    pub fn value(self) -> &'static str {
        match self {
            Search::Bounded => "bounded",
            Search::Every => "every",
        }
    }

    /// The search an `<option>` value stands for (the quick one for anything else).
    pub fn from_value(value: &str) -> Search {
        if value == Search::Every.value() {
            Search::Every
        } else {
            Search::Bounded
        }
    }

    /// The text of its `<option>`.
    pub fn label(self) -> String {
        match self {
            Search::Bounded => format!("up to {QUICK_BOUND} preemptions (quick)"),
            Search::Every => "every schedule (DPOR)".to_string(),
        }
    }

    /// What a finished search covered.
    pub fn covered(self) -> String {
        match self {
            Search::Bounded => format!("every schedule with at most {QUICK_BOUND} preemptions"),
            Search::Every => "every schedule".to_string(),
        }
    }
}

/// Where an exploration stands.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Progress {
    /// Slices are being run.
    pub running: bool,
    /// An exploration was started (and may have been stopped before its first schedule ended).
    pub started: bool,
    /// The learner pressed Stop; the loop ends after its slice.
    pub stopping: bool,
    /// The search that found what is listed.
    pub search: Search,
    pub schedules: u64,
    /// Every schedule of the search was tried.
    pub complete: bool,
    pub outcomes: Vec<OutcomeGroup>,
    pub error: Option<String>,
}

impl Progress {
    /// The status line: "Exploring… 12 schedules, 2 outcomes so far", "" before any.
    pub fn status(&self) -> String {
        if self.running {
            format!(
                "Exploring… {} schedules, {} outcomes so far",
                self.schedules,
                self.outcomes.len()
            )
        } else if self.schedules > 0 {
            let how = if self.complete {
                self.search.covered()
            } else {
                "stopped before every schedule was tried".to_string()
            };
            format!(
                "{} schedules ({how}): {} distinct outcomes",
                self.schedules,
                self.outcomes.len()
            )
        } else if self.started {
            "Stopped before the first schedule ended.".to_string()
        } else {
            String::new()
        }
    }
}

/// The explorer's part of the page's state.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Exploration {
    /// The search the learner picked (kept across runs).
    pub search: Search,
    /// The number of the latest exploration (0: none yet).
    pub generation: u64,
    pub progress: Progress,
}

/// Every way the explorer's state changes.
#[derive(Clone, Debug, PartialEq)]
pub enum ExploreAction {
    /// The learner picked how far to search.
    ChooseSearch(Search),
    /// The explorer could not start: the script has problems.
    Refused,
    /// Exploration `generation` ([`Exploration::next_generation`]) began.
    Started { generation: u64 },
    /// A slice of exploration `generation` ended: what it found so far, and
    /// whether the explorer has more to try (`more`).
    Report {
        generation: u64,
        schedules: u64,
        complete: bool,
        outcomes: Vec<OutcomeGroup>,
        more: bool,
    },
    /// The learner pressed Stop: what was found stays.
    Stop,
}

impl Exploration {
    /// The number the next exploration starts with.
    pub fn next_generation(&self) -> u64 {
        self.generation + 1
    }

    /// Whether the slice loop of `generation` runs another slice.
    pub fn goes_on(&self, generation: u64) -> bool {
        generation == self.generation && self.progress.running && !self.progress.stopping
    }

    /// A new script or new settings: what was explored no longer applies,
    /// and an exploration in progress is dropped.
    pub fn reset(&mut self) {
        self.generation += 1;
        self.progress = Progress::default();
    }

    pub fn apply(&mut self, action: ExploreAction) {
        match action {
            ExploreAction::ChooseSearch(search) => self.search = search,
            ExploreAction::Refused => {
                self.reset();
                self.progress.error = Some("The script has problems (see the diagnostics); fix them first.".into());
            }
            ExploreAction::Started { generation } => {
                if generation > self.generation {
                    self.generation = generation;
                    self.progress = Progress {
                        running: true,
                        started: true,
                        search: self.search,
                        ..Progress::default()
                    };
                }
            }
            ExploreAction::Report {
                generation,
                schedules,
                complete,
                outcomes,
                more,
            } => {
                if generation != self.generation || !self.progress.started {
                    return;
                }
                let running = more && self.progress.running && !self.progress.stopping;
                self.progress = Progress {
                    running,
                    started: true,
                    stopping: running && self.progress.stopping,
                    search: self.progress.search,
                    schedules,
                    complete,
                    outcomes,
                    error: None,
                };
            }
            ExploreAction::Stop => {
                if self.progress.running {
                    self.progress.stopping = true;
                }
            }
        }
    }
}

/// One line summing up an outcome: its stdout (shortened), exit and deadlock.
pub fn outcome_summary(o: &OutcomeGroup) -> String {
    let mut parts = Vec::new();
    if o.deadlock {
        parts.push("deadlock".to_string());
    } else if o.still_running {
        parts.push("still running".to_string());
    } else if let Some(code) = o.exit_code {
        parts.push(format!("exit {code}"));
    }
    let out = o.stdout.join(" ⏎ ");
    if !out.is_empty() {
        parts.push(shorten(&out, 90));
    }
    parts.join(" · ")
}

/// How an outcome differs from the default run: " — the default run".
pub fn outcome_differs(o: &OutcomeGroup) -> String {
    match &o.differs {
        Some(d) => format!(" — {d}"),
        None => " — the default run".to_string(),
    }
}

/// Whether the `index`th outcome is the run on the timeline: its schedule is
/// the one replayed, or it is the first (the default run's) and none is.
pub fn is_loaded(replayed: Option<&str>, index: usize, o: &OutcomeGroup) -> bool {
    replayed == Some(o.schedule.as_str()) || (index == 0 && replayed.is_none())
}

#[cfg(test)]
mod tests {
    use super::*;
    use threadline_engine::Explorer;

    fn outcomes() -> Vec<OutcomeGroup> {
        let scenario = threadline_engine::scenarios::all()
            .into_iter()
            .find(|s| s.group == "races")
            .expect("a classic race");
        let mut explorer =
            Explorer::new(&scenario.script, &scenario.run_options(), Search::Bounded.options()).expect("runs");
        while explorer.advance(1_000_000) {}
        let found = explorer.report().outcomes;
        assert!(found.len() > 1, "a race has several outcomes");
        found
    }

    fn report(generation: u64, schedules: u64, outcomes: &[OutcomeGroup], more: bool) -> ExploreAction {
        ExploreAction::Report {
            generation,
            schedules,
            complete: !more,
            outcomes: outcomes.to_vec(),
            more,
        }
    }

    #[test]
    fn an_exploration_starts_reports_and_finishes() {
        let found = outcomes();
        let mut e = Exploration::default();
        assert_eq!(e.progress.status(), "");
        e.apply(ExploreAction::ChooseSearch(Search::Every));
        let g = e.next_generation();
        e.apply(ExploreAction::Started { generation: g });
        assert!(e.progress.running && e.progress.started && e.goes_on(g));
        assert_eq!(e.progress.search, Search::Every);
        assert_eq!(e.progress.status(), "Exploring… 0 schedules, 0 outcomes so far");
        e.apply(report(g, 7, &found[..1], true));
        assert!(e.goes_on(g));
        assert_eq!(e.progress.status(), "Exploring… 7 schedules, 1 outcomes so far");
        e.apply(report(g, 20, &found, false));
        assert!(!e.progress.running && !e.goes_on(g));
        assert_eq!(e.progress.outcomes, found);
        assert_eq!(
            e.progress.status(),
            format!("20 schedules (every schedule): {} distinct outcomes", found.len())
        );
    }

    #[test]
    fn stop_keeps_what_was_found_after_the_slice() {
        let found = outcomes();
        let mut e = Exploration::default();
        let g = e.next_generation();
        e.apply(ExploreAction::Started { generation: g });
        e.apply(report(g, 3, &found, true));
        e.apply(ExploreAction::Stop);
        assert!(e.progress.running && e.progress.stopping, "until the slice ends");
        assert!(!e.goes_on(g));
        e.apply(report(g, 5, &found, true));
        assert!(!e.progress.running && !e.progress.stopping);
        assert_eq!(e.progress.schedules, 5);
        assert_eq!(
            e.progress.status(),
            format!(
                "5 schedules (stopped before every schedule was tried): {} distinct outcomes",
                found.len()
            )
        );
        e.apply(ExploreAction::Stop);
        assert!(!e.progress.stopping, "nothing to stop");

        // Stopped before the first schedule ended.
        let g = e.next_generation();
        e.apply(ExploreAction::Started { generation: g });
        e.apply(ExploreAction::Stop);
        e.apply(report(g, 0, &[], true));
        assert_eq!(e.progress.status(), "Stopped before the first schedule ended.");
    }

    #[test]
    fn a_reset_drops_the_exploration_and_its_late_reports() {
        let found = outcomes();
        let mut e = Exploration::default();
        e.apply(ExploreAction::ChooseSearch(Search::Every));
        let g = e.next_generation();
        e.apply(ExploreAction::Started { generation: g });
        e.reset();
        assert!(!e.goes_on(g), "the old loop stops");
        e.apply(report(g, 9, &found, true));
        assert_eq!(e.progress, Progress::default(), "a late report is ignored");
        assert_eq!(e.search, Search::Every, "the chosen search stays");
        // A start that was already made is not made again.
        let next = e.next_generation();
        e.apply(ExploreAction::Started { generation: next });
        e.apply(report(next, 1, &found, true));
        e.apply(ExploreAction::Started { generation: next });
        assert_eq!(e.progress.schedules, 1);
    }

    #[test]
    fn a_script_with_problems_is_not_explored() {
        let mut e = Exploration::default();
        e.apply(ExploreAction::Refused);
        assert!(e.progress.error.as_deref().unwrap().contains("problems"));
        assert!(!e.progress.running && !e.progress.started);
        assert_eq!(e.progress.status(), "");
    }

    #[test]
    fn searches_and_outcomes_in_words() {
        for search in Search::ALL {
            assert_eq!(Search::from_value(search.value()), search);
        }
        assert_eq!(Search::from_value("?"), Search::Bounded);
        assert_eq!(Search::Bounded.label(), "up to 2 preemptions (quick)");
        assert_eq!(Search::Bounded.options().preemption_bound, Some(QUICK_BOUND));
        assert_eq!(Search::Every.options().preemption_bound, None);
        assert_eq!(Search::Every.options().max_schedules, MAX_SCHEDULES_EVERY);
        let found = outcomes();
        let default = &found[0];
        assert_eq!(default.differs, None, "the default run's outcome comes first");
        assert_eq!(outcome_differs(default), " — the default run");
        assert!(outcome_differs(&found[1]).starts_with(" — "));
        assert!(is_loaded(None, 0, default));
        assert!(!is_loaded(None, 1, &found[1]));
        assert!(is_loaded(Some(found[1].schedule.as_str()), 1, &found[1]));
        assert!(!is_loaded(Some(found[1].schedule.as_str()), 0, default));
        let mut o = default.clone();
        o.deadlock = true;
        o.stdout = vec!["a".into(), "b".into()];
        assert_eq!(outcome_summary(&o), "deadlock · a ⏎ b");
        o.deadlock = false;
        o.still_running = false;
        o.exit_code = Some(1);
        o.stdout = vec!["x".repeat(100)];
        assert_eq!(outcome_summary(&o), format!("exit 1 · {}…", "x".repeat(89)));
    }
}
