//! World snapshots between depth-first runs.
//!
//! A depth-first search runs schedule after schedule that share a forced
//! prefix with the run before: the next run departs from the last one at its
//! deepest choice point with an option left. So during a run the explorer
//! keeps copies of the world ([`Snapshot`]) taken at the top of the run loop,
//! and the next run goes on from the deepest one whose choices all lie within
//! its forced prefix instead of from the start. Up to there the two runs made
//! the same choices, and the world depends on nothing else; the chooser's own
//! part (forced prefix, bound, sleep sets, DPOR's wanted thread) is the new
//! run's ([`Chooser::resume`]). A resumed run gives the same trace and
//! bookkeeping as one from the start.
//!
//! A run from the start takes one before its first instruction (copying the
//! new world is much cheaper than building it: builtins, modules), then one
//! each time it has run at least `every` instructions and [`PER_ITEM`] per
//! item the copy copies ([`World::size`](crate::vm::World::size)), so that
//! copies cost little next to running even when no later run uses them.
//!
//! In depth-first order a snapshot that does not fit the next run fits no
//! later one either (they all share that run's prefix up to where it
//! departs), so it is dropped. A snapshot after the same choices as the one
//! before replaces it (it is further along), and at most [`MAX_KEPT`] are
//! kept, spread out.

use std::rc::Rc;

use crate::compile::Program;
use crate::trace::RunOptions;
use crate::trace::Trace;
use crate::vm::schedule::Chooser;
use crate::vm::{simulate_with, PausableRun, Snapshot, SnapshotPolicy};

/// Instructions a run goes on for after a snapshot, per item of the world,
/// before it takes the next one (copying an item costs about as much as
/// running one to a few instructions).
pub(super) const PER_ITEM: u64 = 16;

/// Most snapshots kept at a time.
pub(super) const MAX_KEPT: usize = 8;

/// What snapshots did in an exploration (DFS).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SnapshotStats {
    /// Snapshots taken.
    pub taken: u64,
    /// Runs that went on from a snapshot instead of starting.
    pub resumed: u64,
    /// Of those, runs that went on from past their first choice point.
    pub resumed_after_choice: u64,
    /// Instructions that resumed runs did not run again.
    pub instructions_skipped: u64,
}

pub(super) struct Snapshots {
    /// When a run takes snapshots (None: never).
    policy: Option<SnapshotPolicy>,
    /// Snapshots that fit the current path, oldest (shallowest) first.
    kept: Vec<Snapshot>,
    pub(super) stats: SnapshotStats,
    /// Also run every resumed schedule from the start and check that both
    /// runs agree (tests).
    check: bool,
}

impl Snapshots {
    pub(super) fn new(every: u64) -> Snapshots {
        Snapshots {
            policy: (every > 0).then_some(SnapshotPolicy {
                every,
                per_item: PER_ITEM,
            }),
            kept: Vec::new(),
            stats: SnapshotStats::default(),
            check: false,
        }
    }

    /// Tests: snapshots every `every` instructions whatever the world's size,
    /// and each resumed run checked against the same run from the start.
    pub(super) fn check(&mut self) {
        self.check = true;
        if let Some(p) = &mut self.policy {
            p.per_item = 0;
        }
    }

    /// Sets up a run with `chooser`, from the deepest snapshot that fits it.
    pub(super) fn start(&mut self, program: &Rc<Program>, base: &RunOptions, chooser: Chooser) -> Pending {
        if self.policy.is_none() {
            return Pending::plain(program, base, chooser);
        }
        self.kept.retain(|s| chooser.can_resume(s.chooser()));
        let start = self.kept.last().cloned();
        let check = (self.check && start.is_some()).then(|| (program.clone(), chooser.clone()));
        if let Some(s) = &start {
            self.stats.resumed += 1;
            self.stats.instructions_skipped += s.instructions();
            if !s.chooser().record.is_empty() {
                self.stats.resumed_after_choice += 1;
            }
        }
        Pending {
            run: PausableRun::start(
                program.clone(),
                base,
                &crate::stdlib::LIBRARY,
                chooser,
                start,
                self.policy,
            ),
            check,
        }
    }

    /// Goes on with a run for about `budget` instructions, keeping its
    /// snapshots: true when it has ended.
    pub(super) fn advance(&mut self, p: &mut Pending, budget: u64) -> bool {
        let (kept, taken) = (&mut self.kept, &mut self.stats.taken);
        p.run.advance(budget, &mut |s| {
            *taken += 1;
            keep(kept, s);
        })
    }
}

/// A run in progress (see [`Snapshots::start`]).
pub(super) struct Pending {
    run: PausableRun,
    /// Tests: the program and chooser to run it again from the start with.
    check: Option<(Rc<Program>, Chooser)>,
}

impl Pending {
    /// A run from the start that takes no snapshots.
    pub(super) fn plain(program: &Rc<Program>, base: &RunOptions, chooser: Chooser) -> Pending {
        Pending {
            run: PausableRun::start(program.clone(), base, &crate::stdlib::LIBRARY, chooser, None, None),
            check: None,
        }
    }

    /// Instructions run so far.
    pub(super) fn instructions(&self) -> u64 {
        self.run.instructions()
    }

    /// The ended run's trace and chooser (checked against a run from the
    /// start when testing).
    pub(super) fn finish(self, base: &RunOptions) -> (Trace, Chooser) {
        let (trace, chooser) = self.run.finish();
        if let Some((program, c)) = self.check {
            let (t, c) = simulate_with(program, base, &crate::stdlib::LIBRARY, c, None, None, &mut |_| {});
            assert!(
                t == trace,
                "a resumed run's trace differs from the run's from the start"
            );
            assert!(
                c == chooser,
                "a resumed run's choices differ from the run's from the start"
            );
        }
        (trace, chooser)
    }
}

/// Adds the latest snapshot of the current run.
fn keep(kept: &mut Vec<Snapshot>, s: Snapshot) {
    let choices = |s: &Snapshot| s.chooser().record.len();
    // After the same choices as the last one, the new one is further along.
    if kept.last().is_some_and(|l| choices(l) == choices(&s)) {
        kept.pop();
    }
    if kept.len() >= MAX_KEPT {
        // Drop the one whose neighbours are closest together (in instructions).
        let at = |i: usize| kept.get(i).map_or(s.instructions(), Snapshot::instructions);
        let gap = |i: usize| at(i + 1).saturating_sub(i.checked_sub(1).map_or(0, at));
        if let Some(i) = (0..kept.len()).min_by_key(|&i| gap(i)) {
            kept.remove(i);
        }
    }
    kept.push(s);
}
