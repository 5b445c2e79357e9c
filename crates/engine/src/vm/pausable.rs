//! Runs: a whole one (`simulate`), one with the explorer's chooser and
//! snapshots (`simulate_with`), and one that pauses between slices of work
//! (`PausableRun`) and ends exactly as one made in one go.

use std::rc::Rc;

use super::*;
use crate::compile::Program;
use crate::trace::*;

/// Run a compiled program to completion (or to a limit) and return its trace.
pub fn simulate(program: Program, opts: &RunOptions, lib: &'static Library) -> Trace {
    let mut w = World::new(Rc::new(program), opts, lib);
    w.run();
    w.finish()
}

/// A copy of a run paused at the top of the run loop (see [`World::run_until`]):
/// the explorer's depth-first search runs on from one instead of from the
/// start when the next run's forced prefix begins with the choices it made.
#[derive(Clone)]
pub struct Snapshot {
    world: World,
}

impl Snapshot {
    /// Instructions run before it.
    pub fn instructions(&self) -> u64 {
        self.world.instructions
    }

    /// The chooser at the time: the choices made before it.
    pub fn chooser(&self) -> &schedule::Chooser {
        &self.world.chooser
    }
}

/// When [`simulate_with`] takes snapshots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SnapshotPolicy {
    /// Fewest instructions between two snapshots of a run.
    pub every: u64,
    /// And at least this many per item a copy of the world copies
    /// ([`World::size`]), so that copying stays cheap next to running.
    pub per_item: u64,
}

/// Runs with a given chooser (the explorer's); returns the trace and the
/// chooser with its record. The trace's `choices` stay empty: the choices
/// made are the chooser's record.
///
/// With `resume`, the run goes on from that snapshot instead of starting
/// (the chooser must accept it: [`schedule::Chooser::can_resume`]). With a
/// `policy`, `keep` gets snapshots taken at the top of the run loop: one
/// before the first instruction of a run from the start, then as the policy
/// allows.
pub fn simulate_with(
    program: Rc<Program>,
    opts: &RunOptions,
    lib: &'static Library,
    chooser: schedule::Chooser,
    resume: Option<Snapshot>,
    policy: Option<SnapshotPolicy>,
    keep: &mut dyn FnMut(Snapshot),
) -> (Trace, schedule::Chooser) {
    let mut run = PausableRun::start(program, opts, lib, chooser, resume, policy);
    while !run.advance(u64::MAX, keep) {}
    run.finish()
}

/// A run of [`simulate_with`] that can stop between slices of work and go on
/// later ([`PausableRun::advance`]), so that a front end stays responsive during a
/// long run. Pausing changes nothing: the same snapshots are taken and the
/// run ends exactly as one made in one go.
pub struct PausableRun {
    w: World,
    policy: Option<SnapshotPolicy>,
    /// Instructions after which the next snapshot is taken.
    next_snapshot: u64,
    /// The trace lists the choices made (the explorer's runs leave them in
    /// the chooser only).
    trace_choices: bool,
}

impl PausableRun {
    /// Sets up a run (see [`simulate_with`]); nothing runs yet.
    pub fn start(
        program: Rc<Program>,
        opts: &RunOptions,
        lib: &'static Library,
        chooser: schedule::Chooser,
        resume: Option<Snapshot>,
        policy: Option<SnapshotPolicy>,
    ) -> PausableRun {
        let fresh = resume.is_none();
        let w = match resume {
            Some(s) => {
                debug_assert!(Rc::ptr_eq(&s.world.program, &program) && s.world.opts == *opts);
                debug_assert!(chooser.can_resume(&s.world.chooser));
                let mut w = s.world;
                let old = std::mem::replace(&mut w.chooser, chooser);
                w.chooser.resume(old);
                w
            }
            None => {
                let mut w = World::new(program, opts, lib);
                w.chooser = chooser;
                if w.chooser.red.is_some() {
                    for p in &mut w.procs {
                        p.heap.log = Some(Default::default());
                    }
                }
                w
            }
        };
        let next_snapshot = match policy {
            None => u64::MAX,
            Some(_) if fresh => 0,
            Some(p) => w.instructions.saturating_add(snapshot_gap(&w, p)),
        };
        PausableRun {
            w,
            policy,
            next_snapshot,
            trace_choices: false,
        }
    }

    /// A plain run (as [`simulate`] makes) that can pause.
    pub fn plain(program: Rc<Program>, opts: &RunOptions, lib: &'static Library) -> PausableRun {
        PausableRun {
            w: World::new(program, opts, lib),
            policy: None,
            next_snapshot: u64::MAX,
            trace_choices: true,
        }
    }

    /// Instructions run so far (from the start of the run, snapshot or not).
    pub fn instructions(&self) -> u64 {
        self.w.instructions
    }

    /// Runs on for about `budget` more instructions (at least one turn of the
    /// run loop), handing snapshots to `keep`: true when the run has ended,
    /// false when it paused (call again to go on).
    pub fn advance(&mut self, budget: u64, keep: &mut dyn FnMut(Snapshot)) -> bool {
        let stop_at = self.w.instructions.saturating_add(budget.max(1));
        loop {
            if !self.w.run_until(self.next_snapshot, stop_at) {
                break true;
            }
            if self.w.turn.is_none() && self.w.instructions >= self.next_snapshot {
                let mut world = self.w.clone();
                world.chooser.forget_run();
                keep(Snapshot { world });
                self.next_snapshot = self.policy.map_or(u64::MAX, |p| {
                    self.w.instructions.saturating_add(snapshot_gap(&self.w, p))
                });
            }
            if self.w.instructions >= stop_at {
                break false;
            }
        }
    }

    /// The trace of an ended run, and its chooser's record.
    pub fn finish(mut self) -> (Trace, schedule::Chooser) {
        self.w.end_segment();
        // The chooser moves out rather than being copied: after a long run it
        // holds hundreds of thousands of choices and the reduction's notes.
        let exploring = self.w.chooser.exploring;
        let mut rest = schedule::Chooser::new(Vec::new(), schedule::Mode::Default, exploring);
        if self.trace_choices {
            rest.record = self.w.chooser.record.clone();
        }
        let c = std::mem::replace(&mut self.w.chooser, rest);
        let mut trace = self.w.finish();
        if exploring && !self.trace_choices {
            trace.schedule = c.schedule().encode();
        }
        (trace, c)
    }
}

/// Instructions between two snapshots of a world this large.
fn snapshot_gap(w: &World, p: SnapshotPolicy) -> u64 {
    p.every.max(p.per_item.saturating_mul(w.size()))
}
