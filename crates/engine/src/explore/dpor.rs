//! Dynamic partial-order reduction (DPOR) for a depth-first search without a
//! bound, with sleep sets.
//!
//! Each run is a sequence of segments, one after each choice point, with what
//! each segment touched (see `Access`). After a run, every segment `j` run by
//! thread `p` is checked against the segments before it: the last segment `i`
//! of another thread that conflicts with `j` and does not already happen
//! before `p`'s step (through a chain of conflicting segments or a thread's
//! own order) is a *race*. Running `p` at choice point `i` could reverse it,
//! so `p` joins the threads to try there (all the threads that could run
//! there when `p` could not). A choice point explores only the threads so
//! collected, instead of every option: a schedule that only reorders
//! commuting segments of one already run is never run.
//!
//! A switch-out choice (`Preempt`) followed at once by the choice of the next
//! thread (`Gil`) is one decision: "thread `t` runs next" there is option 1
//! then the option that runs `t`. Choices of timer order are explored
//! option by option, as without reduction.
//!
//! Without a bound DPOR is sound; with one it is not (the equivalent run of a
//! skipped schedule may need more non-default choices), so bounded searches
//! use sleep sets alone (`sleep_sets.rs`).

use super::Search;
use crate::trace::{StopReason, ThreadId, Trace};
use crate::vm::schedule::{option_thread, Access, Asleep, ChoiceKind, Chooser, Mode, Reduction, Step};

/// Runs longer than this many choice points are not analysed (the analysis
/// keeps a set of earlier points per point): every option is tried instead.
const MAX_ANALYSED: usize = 4_096;

/// A DPOR search in progress.
pub(super) struct Dpor {
    path: Vec<DNode>,
    /// The next run to make.
    pending: Option<Branch>,
}

/// Where the next run departs from the path.
#[derive(Default)]
struct Branch {
    prefix: Vec<u32>,
    sleep: Vec<Asleep>,
    want: Option<(usize, u32)>,
}

/// A choice point on the current path.
struct DNode {
    kind: ChoiceKind,
    options: Vec<ThreadId>,
    chosen: u32,
    /// Threads that could run next here.
    enabled: Vec<u32>,
    /// The thread the option being explored runs (None: a timer order).
    thread: Option<u32>,
    /// What that thread's segment did.
    access: Access,
    /// Threads to try here.
    backtrack: Vec<u32>,
    /// Threads tried (or being tried) here.
    explored: Vec<u32>,
    /// Threads asleep here.
    sleep: Vec<Asleep>,
    /// Threads whose subtree here was explored completely: asleep in later branches.
    done: Vec<Asleep>,
    /// Nothing below stopped at a limit (the horizon, a budget).
    complete: bool,
}

impl Search for Dpor {
    fn next_run(&mut self) -> Option<Chooser> {
        let branch = self.pending.take()?;
        let from = branch.prefix.len();
        let mut chooser = Chooser::new(branch.prefix, Mode::Default, true);
        chooser.red = Some(Box::new(Reduction {
            from,
            initial: branch.sleep,
            want: branch.want,
            ..Reduction::default()
        }));
        Some(chooser)
    }

    fn finished(&mut self, trace: &Trace, chooser: Chooser) {
        self.learn(trace, chooser);
    }

    /// Every schedule has been covered.
    fn exhausted(&self) -> bool {
        self.pending.is_none()
    }

    fn shares_prefixes(&self) -> bool {
        true
    }
}

impl Dpor {
    pub(super) fn new() -> Dpor {
        Dpor {
            path: Vec::new(),
            pending: Some(Branch::default()),
        }
    }

    /// Learns from a run made with [`Search::next_run`]'s chooser: the races
    /// it shows, and the next run to make.
    fn learn(&mut self, trace: &Trace, mut chooser: Chooser) {
        let red = chooser.red.take().map(|b| *b).unwrap_or_default();
        let from = red.from;
        let mut enabled = red.enabled_at.into_iter().skip(from);
        let mut sleep_at = red.sleep_at.into_iter().skip(from);
        self.path.truncate(from);
        for c in std::mem::take(&mut chooser.record).into_iter().skip(from) {
            self.path.push(DNode {
                kind: c.kind,
                options: c.options,
                chosen: c.chosen,
                enabled: enabled.next().unwrap_or_default(),
                thread: None,
                access: Access::default(),
                backtrack: Vec::new(),
                explored: Vec::new(),
                sleep: sleep_at.next().unwrap_or_default(),
                done: Vec::new(),
                complete: true,
            });
        }
        let n = self.path.len();
        let steps = red.steps;
        // The first step after each choice point.
        let mut first = vec![usize::MAX; n];
        for (k, st) in steps.iter().enumerate() {
            if let Some(i) = st.node.filter(|i| *i < n) {
                first[i] = first[i].min(k);
            }
        }
        for i in from.saturating_sub(1)..n {
            let (thread, access) = self.thread_at(i, &steps, &first);
            let node = &mut self.path[i];
            node.thread = thread;
            node.access = access;
            if i >= from {
                node.explored.extend(thread);
                node.backtrack.extend(thread);
            }
        }
        // Steps from the first new one, up to the choice point where the run was
        // found to repeat explored ones.
        let lo = from
            .checked_sub(1)
            .map_or(0, |i| first.get(i).copied().unwrap_or(0).min(steps.len()));
        let end = red
            .blocked
            .and_then(|b| steps.iter().position(|st| st.node.is_some_and(|i| i >= b)))
            .unwrap_or(steps.len());
        if end <= MAX_ANALYSED {
            self.races(&steps, lo, end);
        } else {
            for i in from..n {
                let enabled = self.path[i].enabled.clone();
                add_all(&mut self.path[i].backtrack, &enabled);
            }
        }
        let complete = match red.blocked {
            Some(b) => {
                // Every continuation from b on is covered by runs already made.
                self.path.truncate(b + 1);
                true
            }
            None => matches!(trace.outcome.stop, StopReason::Exited | StopReason::Deadlock),
        };
        self.backtrack(complete);
    }

    /// Backs up the path to the deepest choice point with a thread left to
    /// try, and makes it the next run's (`child_complete`: the run left
    /// nothing below its last choice point unexplored).
    fn backtrack(&mut self, mut child_complete: bool) {
        while let Some(node) = self.path.last_mut() {
            node.complete &= child_complete;
            if child_complete {
                if let Some(t) = node.thread {
                    if !node.sleep.iter().any(|e| e.thread == t) {
                        let access = node.access.clone();
                        node.done.push(Asleep { thread: t, access });
                    }
                }
            }
            if let Some(b) = self.next_branch() {
                self.pending = Some(b);
                break;
            }
            child_complete = self.path.last().is_some_and(|x| x.complete);
            self.path.pop();
        }
    }

    /// The thread the option explored at choice point `i` runs, and what its first step did.
    fn thread_at(&self, i: usize, steps: &[Step], first: &[usize]) -> (Option<u32>, Access) {
        let step = |i: usize| first.get(i).and_then(|k| steps.get(*k)).map(|s| &s.access);
        let node = &self.path[i];
        let own = || step(i).cloned().unwrap_or_default();
        match node.kind {
            ChoiceKind::Timer => (None, own()),
            ChoiceKind::Gil => (option_thread(node.kind, &node.options, node.chosen as usize), own()),
            ChoiceKind::Preempt if node.chosen == 0 => (node.options.first().map(|t| t.0), own()),
            ChoiceKind::Preempt => match self.path.get(i + 1) {
                Some(next) if next.kind == ChoiceKind::Gil && nothing_between(steps, i, i + 1) => (
                    option_thread(next.kind, &next.options, next.chosen as usize),
                    step(i + 1).cloned().unwrap_or_default(),
                ),
                _ => (None, own()),
            },
        }
    }

    /// Finds the races of steps `lo..end` and adds their reversals to the
    /// backtrack sets of the choice points before them.
    fn races(&mut self, steps: &[Step], lo: usize, end: usize) {
        let words = end.div_ceil(64).max(1);
        // hb[j]: the steps that happen before step j (and j itself).
        let mut hb: Vec<Vec<u64>> = Vec::with_capacity(end);
        // What happens before each thread's latest step.
        let mut known: Vec<(u32, Vec<u64>)> = Vec::new();
        for j in 0..end {
            let s = &steps[j].access;
            if j >= lo {
                if let Some(&p) = s.threads.first() {
                    let kp = known.iter().find(|k| k.0 == p).map(|k| &k.1);
                    for i in (0..j).rev() {
                        if kp.is_some_and(|k| bit(k, i)) {
                            continue;
                        }
                        let si = &steps[i].access;
                        if si.threads.contains(&p) || is_empty(si) || !si.conflicts(s) {
                            continue;
                        }
                        // A step that began without a choice had no other thread ready.
                        if let Some(node) = steps[i].node {
                            self.add_backtrack(node, p, steps);
                        }
                        break;
                    }
                    // Threads that ran later in the same step could have run first.
                    if let Some(node) = steps[j].node {
                        for &q in &s.threads[1..] {
                            self.add_backtrack(node, q, steps);
                        }
                    }
                }
            }
            let mut set = vec![0u64; words];
            if s.global {
                for i in 0..=j {
                    set_bit(&mut set, i);
                }
            } else {
                set_bit(&mut set, j);
                for t in &s.threads {
                    if let Some(k) = known.iter().find(|k| k.0 == *t) {
                        or(&mut set, &k.1);
                    }
                }
                for i in (0..j).rev() {
                    if bit(&set, i) {
                        continue;
                    }
                    if steps[i].access.conflicts(s) {
                        or(&mut set, &hb[i]);
                    }
                }
            }
            for t in &s.threads {
                match known.iter_mut().find(|k| k.0 == *t) {
                    Some(k) => k.1.clone_from(&set),
                    None => known.push((*t, set.clone())),
                }
            }
            hb.push(set);
        }
    }

    /// Asks for thread `p` to be tried at choice point `i` (every thread that
    /// could run there if `p` could not).
    fn add_backtrack(&mut self, mut i: usize, p: u32, steps: &[Step]) {
        if i >= self.path.len() {
            return;
        }
        // The choice of the next thread right after a switch-out is part of that switch-out.
        if i > 0 && self.path[i].kind == ChoiceKind::Gil {
            let prev = &self.path[i - 1];
            if prev.kind == ChoiceKind::Preempt && prev.chosen == 1 && nothing_between(steps, i - 1, i) {
                i -= 1;
            }
        }
        let node = &mut self.path[i];
        if node.kind == ChoiceKind::Timer {
            return;
        }
        if node.enabled.contains(&p) {
            add_all(&mut node.backtrack, &[p]);
        } else {
            let enabled = node.enabled.clone();
            add_all(&mut node.backtrack, &enabled);
        }
    }

    /// The next branch at the last choice point of the path, if any is left.
    fn next_branch(&mut self) -> Option<Branch> {
        let i = self.path.len().checked_sub(1)?;
        let prefix: Vec<u32> = self.path[..i].iter().map(|x| x.chosen).collect();
        let node = &mut self.path[i];
        let mut sleep = node.sleep.clone();
        sleep.extend(node.done.iter().cloned());
        if node.kind == ChoiceKind::Timer {
            let k = node.chosen + 1;
            if k as usize >= node.options.len() {
                return None;
            }
            node.chosen = k;
            let mut prefix = prefix;
            prefix.push(k);
            return Some(Branch {
                prefix,
                sleep,
                want: None,
            });
        }
        let t = node
            .backtrack
            .iter()
            .copied()
            .find(|t| !node.explored.contains(t) && !node.sleep.iter().any(|e| e.thread == *t))?;
        node.explored.push(t);
        node.thread = Some(t);
        let (k, want) = match node.kind {
            ChoiceKind::Preempt if node.options.first().map(|x| x.0) == Some(t) => (0, None),
            ChoiceKind::Preempt => (1, Some((i + 1, t))),
            _ => (node.options.iter().position(|x| x.0 == t)? as u32, None),
        };
        node.chosen = k;
        let mut prefix = prefix;
        prefix.push(k);
        Some(Branch { prefix, sleep, want })
    }
}

/// Nothing ran between choice points `a` and `b`.
fn nothing_between(steps: &[Step], a: usize, b: usize) -> bool {
    steps
        .iter()
        .skip_while(|s| s.node != Some(a))
        .take_while(|s| s.node != Some(b))
        .all(|s| is_empty(&s.access))
}

/// A segment in which nothing ran.
fn is_empty(a: &Access) -> bool {
    a.threads.is_empty() && !a.global && a.items.is_empty()
}

fn add_all(set: &mut Vec<u32>, threads: &[u32]) {
    for t in threads {
        if !set.contains(t) {
            set.push(*t);
        }
    }
}

fn bit(set: &[u64], i: usize) -> bool {
    set.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

fn set_bit(set: &mut [u64], i: usize) {
    if let Some(w) = set.get_mut(i / 64) {
        *w |= 1 << (i % 64);
    }
}

fn or(set: &mut [u64], other: &[u64]) {
    for (a, b) in set.iter_mut().zip(other) {
        *a |= b;
    }
}
