//! The outcome explorer: runs a script under many schedules and groups the
//! runs by outcome, keeping for each outcome the shortest schedule that
//! reaches it (replayable with `RunOptions::schedule`).
//!
//! The explorer is incremental ([`Explorer::step`] runs one schedule;
//! [`Explorer::advance`] simulates for an instruction budget, pausing a long
//! run in the middle) so a front end can show progress and stay responsive.
//!
//! Which runs to make is a strategy's business, each in its own file behind
//! the [`Search`] trait: it gives each run its chooser (a forced prefix of
//! choices, then a mode for the rest), takes back the chooser of the finished
//! run with what it chose at each choice point, and says when no run is left.
//! `random.rs` and `pct.rs` draw runs from a seed and never run out;
//! `dfs.rs` walks every schedule within a bound on non-default choices depth
//! first, `sleep_sets.rs` does the same skipping schedules equivalent to ones
//! already run (`ExploreOptions::reduction`, the default), and `dpor.rs`
//! without a bound. The depth-first searches' runs share their forced prefix
//! with the run before, so they go on from a copy of the world taken at that
//! point of an earlier run when one was kept (`ExploreOptions::snapshot_every`,
//! `snapshots.rs`) rather than from the start; the results are the same.

mod dfs;
mod dpor;
mod pct;
mod random;
mod sleep_sets;
mod snapshots;

pub use snapshots::SnapshotStats;

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::compile::Program;
use crate::trace::RunOptions;
use crate::trace::{Diagnostic, StopReason, Stream, Trace};
use crate::vm::schedule::{Chooser, Schedule};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    Dfs,
    Random,
    Pct,
}

impl Strategy {
    pub fn parse(s: &str) -> Option<Strategy> {
        match s {
            "dfs" => Some(Strategy::Dfs),
            "random" => Some(Strategy::Random),
            "pct" => Some(Strategy::Pct),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExploreOptions {
    pub strategy: Strategy,
    /// Stop after this many schedules.
    pub max_schedules: u64,
    /// Most non-default choices per schedule (DFS; PCT's depth is bound + 1).
    /// None: no bound (DFS then prunes with DPOR when `reduction` is on).
    pub preemption_bound: Option<u32>,
    /// Seeds the random and PCT strategies.
    pub seed: u64,
    /// DFS: skip schedules equivalent to ones already run (sleep sets).
    pub reduction: bool,
    /// DFS: a run keeps copies of the simulated world, before its first
    /// instruction and then at least this many instructions apart (more for a
    /// large world), and a later run that makes the same choices up to one
    /// goes on from there instead of starting (0: never; see
    /// `explore/snapshots.rs`). Results are the same either way.
    pub snapshot_every: u64,
}

impl Default for ExploreOptions {
    fn default() -> Self {
        ExploreOptions {
            strategy: Strategy::Dfs,
            max_schedules: 1_000,
            preemption_bound: Some(2),
            seed: 1,
            reduction: true,
            snapshot_every: 1_000,
        }
    }
}

/// Runs that ended the same way.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutcomeGroup {
    /// How many schedules ended this way.
    pub count: u64,
    /// The shortest schedule (fewest non-default choices) reaching it.
    pub schedule: String,
    pub deviations: usize,
    pub stdout: Vec<String>,
    /// Traceback headers and exception lines.
    pub stderr: Vec<String>,
    pub exit_code: Option<i32>,
    pub still_running: bool,
    pub deadlock: bool,
    pub explanation: Vec<String>,
    /// How it differs from the default run's outcome (None for the default run's).
    pub differs: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schedules: u64,
    /// Every schedule within the bound was run (DFS only).
    pub complete: bool,
    pub outcomes: Vec<OutcomeGroup>,
}

/// An exploration in progress.
pub struct Explorer {
    program: Rc<Program>,
    base: RunOptions,
    opts: ExploreOptions,
    runs: u64,
    done: bool,
    outcomes: Vec<OutcomeGroup>,
    /// The strategy: which runs to make.
    search: Box<dyn Search>,
    /// DFS: copies of the world to start runs from.
    snaps: snapshots::Snapshots,
    /// The run under way, paused by [`Explorer::advance`].
    current: Option<snapshots::Pending>,
}

/// A strategy: which runs an exploration makes, one after the other.
trait Search {
    /// The chooser of the next run (a forced prefix, then a mode for the
    /// choice points after it); None when no run is left.
    fn next_run(&mut self) -> Option<Chooser>;

    /// Takes back the chooser of the run made with the last
    /// [`Search::next_run`], now ended, with what it chose at each choice point.
    fn finished(&mut self, trace: &Trace, chooser: Chooser);

    /// No run is left: every schedule to cover has been run (only a
    /// systematic search gets there; checked between runs).
    fn exhausted(&self) -> bool;

    /// Each run shares a forced prefix with the run before, so it may go on
    /// from a snapshot of an earlier run.
    fn shares_prefixes(&self) -> bool {
        false
    }
}

/// The strategy `opts` asks for.
fn search(opts: &ExploreOptions) -> Box<dyn Search> {
    match (opts.strategy, opts.reduction, opts.preemption_bound) {
        (Strategy::Dfs, true, Some(bound)) => Box::new(sleep_sets::SleepSets::new(bound)),
        (Strategy::Dfs, true, None) => Box::new(dpor::Dpor::new()),
        (Strategy::Dfs, false, bound) => Box::new(dfs::Dfs::new(bound)),
        (Strategy::Random, _, _) => Box::new(random::Random::new(opts.seed)),
        (Strategy::Pct, _, bound) => Box::new(pct::Pct::new(opts.seed, bound.unwrap_or(2) + 1)),
    }
}

/// The random number state of the random strategies for `seed`.
fn seed_state(seed: u64) -> u64 {
    seed.wrapping_mul(0x2545_F491_4F6C_DD1D) | 1
}

/// What [`Explorer::work`] did.
enum Work {
    /// No run left.
    Over,
    /// The run paused with the budget spent.
    Paused,
    /// A run ended.
    Ended,
}

/// What [`Explorer::advance`] counts a run as at least, in instructions, so
/// that a budget also bounds how many very short runs it makes.
const RUN_COST: u64 = 200;

impl Explorer {
    /// Compiles the script once; diagnostics stop the exploration before it starts.
    pub fn new(source: &str, base: &RunOptions, opts: ExploreOptions) -> Result<Explorer, Vec<Diagnostic>> {
        let program = crate::stdlib::build(source, &base.script_name)?;
        Ok(Explorer {
            program: Rc::new(program),
            base: base.clone(),
            search: search(&opts),
            snaps: snapshots::Snapshots::new(opts.snapshot_every),
            opts,
            runs: 0,
            done: false,
            outcomes: Vec::new(),
            current: None,
        })
    }

    pub fn runs(&self) -> u64 {
        self.runs
    }

    pub fn is_done(&self) -> bool {
        self.done
    }

    /// DFS: what snapshots of the world did (`ExploreOptions::snapshot_every`).
    pub fn snapshot_stats(&self) -> SnapshotStats {
        self.snaps.stats
    }

    /// Tests: also run every schedule resumed from a snapshot from the start,
    /// and panic if the two runs differ in any way (slow).
    #[doc(hidden)]
    pub fn check_snapshots(&mut self) {
        self.snaps.check();
    }

    /// Runs one more schedule (or the rest of the one [`Explorer::advance`]
    /// paused). Returns false when the exploration is over.
    pub fn step(&mut self) -> bool {
        loop {
            match self.work(u64::MAX).0 {
                Work::Paused => {}
                Work::Over => return false,
                Work::Ended => return !self.done,
            }
        }
    }

    /// Simulates for about `budget` instructions: finishes runs and starts
    /// new ones while the budget lasts, and pauses a run that outlasts it
    /// (the next call goes on with it), so that a front end can keep each
    /// slice of work short however long the runs are. Returns false when the
    /// exploration is over. The results are the same as with [`Explorer::step`].
    pub fn advance(&mut self, budget: u64) -> bool {
        let mut left = budget.max(1);
        loop {
            let (work, used) = self.work(left);
            match work {
                Work::Over => return false,
                Work::Paused => return true,
                Work::Ended if self.done => return false,
                Work::Ended => {
                    left = left.saturating_sub(used.max(RUN_COST));
                    if left == 0 {
                        return true;
                    }
                }
            }
        }
    }

    /// Goes on with the current run, or starts the next, for at most about
    /// `budget` instructions; also returns the instructions run.
    fn work(&mut self, budget: u64) -> (Work, u64) {
        let mut run = match self.current.take() {
            Some(run) => run,
            None => {
                if self.done || self.runs >= self.opts.max_schedules {
                    self.done = true;
                    return (Work::Over, 0);
                }
                let Some(chooser) = self.search.next_run() else {
                    self.done = true;
                    return (Work::Over, 0);
                };
                if self.search.shares_prefixes() {
                    self.snaps.start(&self.program, &self.base, chooser)
                } else {
                    snapshots::Pending::plain(&self.program, &self.base, chooser)
                }
            }
        };
        let before = run.instructions();
        let ended = self.snaps.advance(&mut run, budget);
        let used = run.instructions().saturating_sub(before);
        if !ended {
            self.current = Some(run);
            return (Work::Paused, used);
        }
        let (trace, chooser) = run.finish(&self.base);
        self.runs += 1;
        let schedule = chooser.schedule();
        self.search.finished(&trace, chooser);
        if self.search.exhausted() {
            self.done = true;
        }
        self.add(&trace, &schedule);
        (Work::Ended, used)
    }

    /// Counts a run in the group of runs that ended the same way.
    fn add(&mut self, trace: &Trace, schedule: &Schedule) {
        let stdout: Vec<String> = trace
            .output
            .iter()
            .filter(|l| l.stream == Stream::Stdout)
            .map(|l| l.text.clone())
            .collect();
        let stderr: Vec<String> = trace
            .output
            .iter()
            .filter(|l| l.stream == Stream::Stderr && !l.text.starts_with(' ') && !l.text.is_empty())
            .map(|l| l.text.clone())
            .collect();
        let deadlock = trace.outcome.stop == StopReason::Deadlock;
        let exit_code = trace.outcome.exit_code;
        let still_running = trace.outcome.still_running;
        let dev = schedule.deviations();
        if let Some(g) = self.outcomes.iter_mut().find(|g| {
            g.stdout == stdout
                && g.stderr == stderr
                && g.exit_code == exit_code
                && g.still_running == still_running
                && g.deadlock == deadlock
        }) {
            g.count += 1;
            if dev < g.deviations {
                g.deviations = dev;
                g.schedule = schedule.encode();
            }
            return;
        }
        let differs = self
            .outcomes
            .first()
            .map(|d| describe_difference(d, &stdout, exit_code, still_running, deadlock));
        self.outcomes.push(OutcomeGroup {
            count: 1,
            schedule: schedule.encode(),
            deviations: dev,
            stdout,
            stderr,
            exit_code,
            still_running,
            deadlock,
            explanation: trace.outcome.explanation.clone(),
            differs,
        });
    }

    /// Runs until done or `max_schedules`.
    pub fn run_to_end(&mut self) -> Report {
        while self.step() {}
        self.report()
    }

    pub fn report(&self) -> Report {
        Report {
            schedules: self.runs,
            complete: self.done && self.search.exhausted(),
            outcomes: self.outcomes.clone(),
        }
    }
}

fn describe_difference(
    default: &OutcomeGroup,
    stdout: &[String],
    exit: Option<i32>,
    running: bool,
    deadlock: bool,
) -> String {
    if deadlock && !default.deadlock {
        return "deadlock".into();
    }
    if running != default.still_running {
        return if running {
            "still running at the horizon".into()
        } else {
            "the process exits".into()
        };
    }
    for (i, (a, b)) in stdout.iter().zip(default.stdout.iter()).enumerate() {
        if a != b {
            return format!("stdout line {}: {a:?} instead of {b:?}", i + 1);
        }
    }
    if stdout.len() != default.stdout.len() {
        return format!("{} stdout lines instead of {}", stdout.len(), default.stdout.len());
    }
    if exit != default.exit_code {
        return format!("exit code {exit:?} instead of {:?}", default.exit_code);
    }
    "stderr differs".into()
}
