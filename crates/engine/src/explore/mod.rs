//! The outcome explorer: runs a script under many schedules and groups the
//! runs by outcome, keeping for each outcome the shortest schedule that
//! reaches it (replayable with `RunOptions::schedule`).
//!
//! Strategies: depth-first search over choice points with a bound on
//! non-default choices (every schedule within the bound, smallest first),
//! seeded random choices, and PCT (random priorities with a few priority
//! change points). The explorer is incremental ([`Explorer::step`] runs one
//! schedule; [`Explorer::advance`] simulates for an instruction budget,
//! pausing a long run in the middle) so a front end can show progress and
//! stay responsive.
//!
//! DFS prunes with **sleep sets** (on by default, `ExploreOptions::reduction`).
//! The engine records what each segment between two choice points touched
//! (heap objects read, written or allocated, global variables by name, the
//! terminal), and marks a segment *global* when it does anything not tracked
//! that way (a thread blocks or wakes, starts or ends, a timer fires, time or
//! an object's address is read, a native outside the builtins runs, several
//! processes exist, ...). Two segments of different threads that are not
//! global and touch no common object (or only read it) commute. After the
//! subtree where thread A runs first at a choice point has been explored, A
//! is *asleep* in the sibling subtrees as long as what runs there commutes
//! with A's segment: choosing A there would only reorder commuting segments
//! of a run already explored, so the option is skipped.
//!
//! With a bound on non-default choices, the equivalent run of a skipped one
//! may need more non-default choices than allowed and so never have been
//! run. A sibling subtree therefore puts A to sleep only if A's own subtree
//! was explored *completely*: nothing in it was cut by the bound, and every
//! run in it exited or deadlocked (not stopped at the horizon or a budget,
//! where the order of commuting segments changes what happened by then).
//!
//! DFS runs share their forced prefix with the run before, so they go on from
//! a copy of the world taken at that point of an earlier run when one was kept
//! (`ExploreOptions::snapshot_every`, `explore/snapshots.rs`) rather than from
//! the start; the results are the same.

mod dpor;
mod snapshots;

pub use snapshots::SnapshotStats;

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::compile::Program;
use crate::trace::{Diagnostic, StopReason, Stream, Trace};
use crate::vm::schedule::{next_random, option_thread, Access, Asleep, ChoiceKind, Chooser, Mode, Reduction, Schedule};
use crate::RunOptions;

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
    /// DFS: the forced prefix of the next run.
    next: Option<Vec<u32>>,
    rng: u64,
    first_len: usize,
    outcomes: Vec<OutcomeGroup>,
    /// DFS with reduction: the choice points of the current run's path.
    path: Vec<Node>,
    /// DFS with reduction: the next run's forced prefix and initial sleep set.
    pending: Option<(Vec<u32>, Vec<Asleep>)>,
    /// DFS with reduction and no bound.
    dpor: dpor::Dpor,
    /// DFS: copies of the world to start runs from.
    snaps: snapshots::Snapshots,
    /// The run under way, paused by [`Explorer::advance`].
    current: Option<snapshots::Pending>,
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

/// A choice point on the DFS path (with reduction).
struct Node {
    kind: ChoiceKind,
    options: Vec<crate::trace::ThreadId>,
    arity: u32,
    /// The option being explored.
    chosen: u32,
    /// Threads asleep here.
    sleep: Vec<Asleep>,
    /// Options explored with a complete subtree: asleep in later siblings.
    done: Vec<Asleep>,
    /// Nothing below was cut by the bound or stopped at a limit.
    complete: bool,
    /// What the chosen option's segment did.
    seg: Access,
}

impl Node {
    fn asleep(&self, k: u32) -> bool {
        option_thread(self.kind, &self.options, k as usize).is_some_and(|t| self.sleep.iter().any(|e| e.thread == t))
    }
}

impl Explorer {
    /// Compiles the script once; diagnostics stop the exploration before it starts.
    pub fn new(source: &str, base: &RunOptions, opts: ExploreOptions) -> Result<Explorer, Vec<Diagnostic>> {
        let program = crate::build(source, &base.script_name)?;
        Ok(Explorer {
            program: Rc::new(program),
            base: base.clone(),
            rng: opts.seed.wrapping_mul(0x2545_F491_4F6C_DD1D) | 1,
            snaps: snapshots::Snapshots::new(opts.snapshot_every),
            opts,
            runs: 0,
            done: false,
            next: Some(Vec::new()),
            first_len: 0,
            outcomes: Vec::new(),
            path: Vec::new(),
            pending: Some((Vec::new(), Vec::new())),
            dpor: dpor::Dpor::new(),
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
                let Some(chooser) = self.begin() else {
                    self.done = true;
                    return (Work::Over, 0);
                };
                if self.opts.strategy == Strategy::Dfs {
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
        self.end(&trace, chooser);
        (Work::Ended, used)
    }

    /// The chooser of the next run; None when there is none.
    fn begin(&mut self) -> Option<Chooser> {
        match self.opts.strategy {
            Strategy::Dfs if self.opts.reduction => match self.opts.preemption_bound {
                Some(bound) => {
                    let (prefix, initial) = self.pending.take()?;
                    let from = prefix.len();
                    let mut chooser = Chooser::new(prefix, Mode::Default, true);
                    chooser.bound = Some(bound);
                    chooser.red = Some(Box::new(Reduction {
                        from,
                        initial,
                        prefix_deviations: chooser.forced.iter().filter(|c| **c != 0).count() as u32,
                        ..Reduction::default()
                    }));
                    Some(chooser)
                }
                None => self.dpor.begin(),
            },
            Strategy::Dfs => {
                let prefix = self.next.take()?;
                let mut c = Chooser::new(prefix, Mode::Default, true);
                c.bound = self.opts.preemption_bound;
                Some(c)
            }
            Strategy::Random => {
                let state = next_random(&mut self.rng);
                let mode = if self.runs == 0 {
                    Mode::Default
                } else {
                    Mode::Random { state }
                };
                Some(Chooser::new(Vec::new(), mode, true))
            }
            Strategy::Pct => {
                let mut state = next_random(&mut self.rng);
                let depth = self.opts.preemption_bound.unwrap_or(2) + 1;
                let len = self.first_len.max(1) as u64;
                let change_points = (1..depth).map(|_| next_random(&mut state) % len).collect();
                let mode = if self.runs == 0 {
                    Mode::Default
                } else {
                    Mode::Pct {
                        state,
                        depth,
                        change_points,
                        priorities: Vec::new(),
                    }
                };
                Some(Chooser::new(Vec::new(), mode, true))
            }
        }
    }

    /// Takes in an ended run (already counted): its outcome, and what the
    /// strategy learns from it.
    fn end(&mut self, trace: &Trace, chooser: Chooser) {
        let schedule = match (self.opts.strategy, self.opts.reduction, self.opts.preemption_bound) {
            (Strategy::Dfs, true, Some(bound)) => self.end_reduced(bound, trace, chooser),
            (Strategy::Dfs, true, None) => {
                let schedule = self.dpor.end(trace, chooser);
                if self.dpor.finished() {
                    self.done = true;
                }
                schedule
            }
            (strategy, _, _) => {
                if self.runs == 1 {
                    self.first_len = chooser.record.len();
                }
                if strategy == Strategy::Dfs {
                    self.next = next_dfs_prefix(&chooser, self.opts.preemption_bound.unwrap_or(u32::MAX));
                    if self.next.is_none() {
                        self.done = true;
                    }
                }
                chooser.schedule()
            }
        };
        self.add(trace, &schedule);
    }

    /// DFS with sleep sets: the run's choice points join the path, then the
    /// next prefix. Returns the run's schedule.
    fn end_reduced(&mut self, bound: u32, trace: &Trace, mut chooser: Chooser) -> Schedule {
        let schedule = chooser.schedule();
        let red = chooser.red.take().map(|b| *b).unwrap_or_default();
        let from = red.from;
        let mut segments = red.segments.into_iter();
        // Nodes of the forced prefix are already on the path; the last one's
        // segment is this run's.
        self.path.truncate(from);
        let mut segments = segments.by_ref().skip(from.saturating_sub(1));
        if from > 0 {
            if let (Some(n), Some(s)) = (self.path.last_mut(), segments.next()) {
                n.seg = s;
            }
        }
        let mut sleep_at = red.sleep_at.into_iter().skip(from);
        for c in std::mem::take(&mut chooser.record).into_iter().skip(from) {
            self.path.push(Node {
                kind: c.kind,
                arity: c.options.len() as u32,
                options: c.options,
                chosen: c.chosen,
                sleep: sleep_at.next().unwrap_or_default(),
                done: Vec::new(),
                complete: true,
                seg: segments.next().unwrap_or_default(),
            });
        }
        let mut child_complete = match red.blocked {
            Some(b) => {
                // Every continuation from b on is covered by explored runs.
                self.path.truncate(b + 1);
                true
            }
            None => matches!(trace.outcome.stop, StopReason::Exited | StopReason::Deadlock),
        };
        self.pending = None;
        let bound = bound as usize;
        while let Some(node) = self.path.last_mut() {
            node.complete &= child_complete;
            let t = option_thread(node.kind, &node.options, node.chosen as usize);
            if child_complete && !node.asleep(node.chosen) {
                if let Some(t) = t {
                    node.done.push(Asleep {
                        thread: t,
                        access: std::mem::take(&mut node.seg),
                    });
                }
            }
            let next = (node.chosen + 1..node.arity).find(|k| !node.asleep(*k));
            if let Some(k) = next {
                let n = self.path.len();
                let before = self.path[..n - 1].iter().filter(|x| x.chosen != 0).count();
                if before < bound {
                    let node = &mut self.path[n - 1];
                    node.chosen = k;
                    let mut initial = node.sleep.clone();
                    initial.extend(node.done.iter().cloned());
                    let prefix = self.path.iter().map(|x| x.chosen).collect();
                    self.pending = Some((prefix, initial));
                    break;
                }
                self.path[n - 1].complete = false;
            }
            child_complete = self.path.last().is_some_and(|x| x.complete);
            self.path.pop();
        }
        if self.pending.is_none() {
            self.done = true;
        }
        schedule
    }

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
            complete: self.opts.strategy == Strategy::Dfs
                && self.done
                && if self.opts.reduction {
                    match self.opts.preemption_bound {
                        Some(_) => self.pending.is_none(),
                        None => self.dpor.finished(),
                    }
                } else {
                    self.next.is_none()
                },
            outcomes: self.outcomes.clone(),
        }
    }
}

/// The next DFS prefix after a run: the deepest choice point with an untried
/// option, keeping the number of non-default options within the bound.
fn next_dfs_prefix(c: &Chooser, bound: u32) -> Option<Vec<u32>> {
    let chosen: Vec<u32> = c.record.iter().map(|x| x.chosen).collect();
    for i in (0..chosen.len()).rev() {
        if chosen[i] + 1 < c.arity[i] {
            let before = chosen[..i].iter().filter(|x| **x != 0).count() as u32;
            if before < bound {
                let mut p = chosen[..i].to_vec();
                p.push(chosen[i] + 1);
                return Some(p);
            }
        }
    }
    None
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
