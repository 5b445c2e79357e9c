//! Depth-first search within a bound on non-default choices, pruned with
//! **sleep sets** (`ExploreOptions::reduction`, on by default).
//!
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

use super::Search;
use crate::trace::{StopReason, ThreadId, Trace};
use crate::vm::schedule::{option_thread, Access, Asleep, ChoiceKind, Chooser, Mode, Reduction};

/// A bounded depth-first search with sleep sets.
pub(super) struct SleepSets {
    /// Most non-default choices per run.
    bound: u32,
    /// The choice points of the current run's path.
    path: Vec<Node>,
    /// The next run's forced prefix and initial sleep set (None: the search is over).
    pending: Option<(Vec<u32>, Vec<Asleep>)>,
}

/// A choice point on the path.
struct Node {
    kind: ChoiceKind,
    options: Vec<ThreadId>,
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

impl SleepSets {
    pub(super) fn new(bound: u32) -> SleepSets {
        SleepSets {
            bound,
            path: Vec::new(),
            pending: Some((Vec::new(), Vec::new())),
        }
    }

    /// Puts the run's choice points past its forced prefix on the path.
    /// Returns whether the run left nothing below its last choice point
    /// unexplored (see [`Node::complete`]).
    fn extend_path(&mut self, trace: &Trace, mut chooser: Chooser) -> bool {
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
        match red.blocked {
            Some(b) => {
                // Every continuation from b on is covered by explored runs.
                self.path.truncate(b + 1);
                true
            }
            None => matches!(trace.outcome.stop, StopReason::Exited | StopReason::Deadlock),
        }
    }

    /// Backs up the path to the deepest choice point with an option left
    /// within the bound and not asleep, and makes it the next run's.
    fn backtrack(&mut self, mut child_complete: bool) {
        self.pending = None;
        let bound = self.bound as usize;
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
                    return;
                }
                self.path[n - 1].complete = false;
            }
            child_complete = self.path.last().is_some_and(|x| x.complete);
            self.path.pop();
        }
    }
}

impl Search for SleepSets {
    fn next_run(&mut self) -> Option<Chooser> {
        let (prefix, initial) = self.pending.take()?;
        let from = prefix.len();
        let mut chooser = Chooser::new(prefix, Mode::Default, true);
        chooser.bound = Some(self.bound);
        chooser.red = Some(Box::new(Reduction {
            from,
            initial,
            prefix_deviations: chooser.forced.iter().filter(|c| **c != 0).count() as u32,
            ..Reduction::default()
        }));
        Some(chooser)
    }

    fn finished(&mut self, trace: &Trace, chooser: Chooser) {
        let complete = self.extend_path(trace, chooser);
        self.backtrack(complete);
    }

    fn exhausted(&self) -> bool {
        self.pending.is_none()
    }

    fn shares_prefixes(&self) -> bool {
        true
    }
}
