//! Scheduling decisions as data.
//!
//! Every decision the simulator makes between equally possible futures is a
//! **choice point**: which ready thread gets the GIL, whether a thread is
//! switched out at a point where CPython checks for a switch (a backward jump
//! or a call), which of several timers due together fires first, and which of
//! two processes whose events are closer than the jitter window goes first.
//! Option 0 is always what the default run does. A [`Schedule`] lists the
//! options taken and serializes to a short string that replays the run exactly.

pub use crate::trace::{Choice, ChoiceKind};
use crate::trace::{Nanos, ThreadId};

/// Events of different processes closer than this may happen in either order
/// when exploring (real processes start and wake with a few ms of noise).
pub const DEFAULT_JITTER_NS: Nanos = 6_000_000;

/// How the options of choice points are picked.
#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    /// Option 0 everywhere (after any forced prefix).
    Default,
    /// Uniformly random, from a seed.
    Random { state: u64 },
    /// Probabilistic concurrency testing: random thread priorities with `depth - 1`
    /// priority-change points.
    Pct {
        state: u64,
        depth: u32,
        change_points: Vec<u64>,
        priorities: Vec<u64>,
    },
}

/// Picks options at choice points and records them.
#[derive(Clone, Debug, PartialEq)]
pub struct Chooser {
    /// Options to take at the first choice points (a replayed schedule or a DFS prefix).
    pub forced: Vec<u32>,
    pub mode: Mode,
    /// Offer preemption and timer-order choices (only when exploring).
    pub exploring: bool,
    pub jitter_ns: Nanos,
    /// Most non-default options a run may take beyond its forced prefix (None: no bound).
    pub bound: Option<u32>,
    pub deviations: u32,
    pub record: Vec<Choice>,
    /// Number of options at each choice point (for the explorer's backtracking).
    pub arity: Vec<u32>,
    /// Sleep sets (DFS with reduction): options covered by earlier runs are avoided.
    pub red: Option<Box<Reduction>>,
}

impl Chooser {
    pub fn new(forced: Vec<u32>, mode: Mode, exploring: bool) -> Chooser {
        Chooser {
            forced,
            mode,
            exploring,
            jitter_ns: DEFAULT_JITTER_NS,
            bound: None,
            deviations: 0,
            record: Vec::new(),
            arity: Vec::new(),
            red: None,
        }
    }

    /// Picks one of `options.len()` options (option 0 is the default run's).
    pub fn choose(&mut self, kind: ChoiceKind, options: Vec<ThreadId>, t_ns: Nanos, line: u32) -> usize {
        let n = options.len() as u32;
        let i = self.record.len();
        let mut awake = None;
        let mut wanted = None;
        if let Some(r) = self.red.as_deref_mut() {
            if let Some((at, t)) = r.want {
                if at == i {
                    wanted = (0..n as usize).find(|&k| option_thread(kind, &options, k) == Some(t));
                }
            }
            if i >= r.from {
                r.sleep_at.resize(i, Vec::new());
                if wanted.is_some() {
                    r.sleep_at.push(r.sleep.clone());
                } else if r.blocked.is_none() {
                    r.sleep_at.push(r.sleep.clone());
                    let left = self
                        .bound
                        .map(|b| b.saturating_sub(r.prefix_deviations + self.deviations));
                    let sleep = &r.sleep;
                    let asleep = |k: usize| {
                        option_thread(kind, &options, k).is_some_and(|t| sleep.iter().any(|e| e.thread == t))
                    };
                    awake = (0..n as usize).find(|&k| !asleep(k) && (k == 0 || left != Some(0)));
                    if awake.is_none() {
                        r.blocked = Some(i);
                    }
                } else {
                    r.sleep_at.push(Vec::new());
                }
            }
        }
        let mut chosen = if let Some(k) = wanted {
            k as u32
        } else if i < self.forced.len() {
            self.forced[i].min(n - 1)
        } else if let Some(k) = awake {
            k as u32
        } else if self.bound.is_some_and(|b| self.deviations >= b) {
            0
        } else {
            match &mut self.mode {
                Mode::Default => 0,
                Mode::Random { state } => (next_random(state) % n as u64) as u32,
                Mode::Pct {
                    state,
                    change_points,
                    priorities,
                    ..
                } => {
                    // The highest-priority option runs; at a change point the running
                    // thread's priority drops below all others.
                    let step = i as u64;
                    if change_points.contains(&step) {
                        if let Some(first) = options.first() {
                            let idx = first.0 as usize;
                            if idx < priorities.len() {
                                priorities[idx] = 0;
                            }
                        }
                    }
                    let pr = |t: &ThreadId, priorities: &mut Vec<u64>, state: &mut u64| {
                        let idx = t.0 as usize;
                        while priorities.len() <= idx {
                            priorities.push(1 + next_random(state) % 1_000_000);
                        }
                        priorities[idx]
                    };
                    match kind {
                        ChoiceKind::Preempt => {
                            let run = pr(&options[0], priorities, state);
                            let other = pr(&options[1], priorities, state);
                            u32::from(other > run)
                        }
                        _ => {
                            let mut best = 0;
                            let mut best_p = 0;
                            for (k, t) in options.iter().enumerate() {
                                let p = pr(t, priorities, state);
                                if p > best_p {
                                    best_p = p;
                                    best = k as u32;
                                }
                            }
                            best
                        }
                    }
                }
            }
        };
        if chosen >= n {
            chosen = 0;
        }
        if chosen != 0 && i >= self.forced.len() {
            self.deviations += 1;
        }
        self.arity.push(n);
        self.record.push(Choice {
            t_ns,
            kind,
            options,
            chosen,
            line,
        });
        chosen as usize
    }

    /// Whether a run with this chooser (fresh, before its first choice) may
    /// go on from a snapshot taken with chooser `old` instead of starting: it
    /// would have made the same choices up to there. The world at a point of
    /// a run depends only on the choices made before it, and `old`'s choices
    /// all lie within this run's forced prefix, where neither the mode, the
    /// bound nor the sleep sets have a say.
    pub fn can_resume(&self, old: &Chooser) -> bool {
        let k = old.record.len();
        let want_after = self.red.as_deref().and_then(|r| r.want).is_none_or(|(at, _)| at >= k);
        k <= self.forced.len()
            && want_after
            && self.exploring == old.exploring
            && self.jitter_ns == old.jitter_ns
            && self.red.is_some() == old.red.is_some()
            && old
                .record
                .iter()
                .zip(&old.arity)
                .zip(&self.forced)
                .all(|((c, n), f)| c.chosen == (*f).min(n.saturating_sub(1)))
    }

    /// Takes over from `old`, the chooser of a snapshot this one accepts
    /// ([`Chooser::can_resume`]): the choices recorded up to there and, with
    /// reduction, what the run's segments and steps did are `old`'s; what
    /// belongs to this run (its forced prefix, mode and bound; its sleep sets,
    /// which start at the end of the forced prefix) stays this chooser's, as
    /// a run from the start would have them at that point.
    pub fn resume(&mut self, old: Chooser) {
        let Chooser {
            forced: _,
            mode: _,
            exploring: _,
            jitter_ns: _,
            bound: _,
            // Counts only choices after the forced prefix: none yet.
            deviations: _,
            record,
            arity,
            red,
        } = old;
        self.record = record;
        self.arity = arity;
        if let (Some(new), Some(old)) = (self.red.as_deref_mut(), red) {
            new.resume(*old);
        }
    }

    /// Drops from a snapshot's copy what only its own run needs (its forced
    /// prefix and sleep sets; [`Chooser::resume`] does not read them).
    pub fn forget_run(&mut self) {
        self.forced = Vec::new();
        if let Some(r) = self.red.as_deref_mut() {
            r.initial = Vec::new();
            r.sleep = Vec::new();
            r.sleep_at = Vec::new();
        }
    }

    /// The options taken so far.
    pub fn schedule(&self) -> Schedule {
        Schedule {
            choices: self.record.iter().map(|c| c.chosen).collect(),
        }
    }
}

/// One access of a shared object by a segment: `obj` names the object
/// (process index in the high half, heap id in the low half, or a
/// pseudo-object such as [`OUTPUT`]); `key` is 0 for the whole object or a
/// hash of one key (`globals()` entries), never 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Item {
    pub obj: u64,
    pub key: u32,
    pub write: bool,
}

/// The terminal (stdout and stderr): every write of a line writes it.
pub const OUTPUT: u64 = u64::MAX;
/// A thread's life (`THREAD | tid`): started and ended (written), joined or
/// asked `is_alive()` (read).
pub const THREAD: u64 = 0xFFFF_FFFE_0000_0000;
/// A blocked thread woken (`WAKE | tid`): written by the waker, read by the
/// thread's next step.
pub const WAKE: u64 = 0xFFFF_FFFD_0000_0000;
/// Allocation of a process's heap ids (`ALLOC | pid index`): object ids are
/// handed out in order, so two segments that allocate do not commute.
pub const ALLOC: u64 = 0xFFFF_FFFF_0000_0000;

/// What happened between two choice points.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Access {
    /// Something not modelled object by object happened (a thread blocked or
    /// woke, a timer fired, time was read, a process or thread started or
    /// ended, several threads ran, ...): dependent on every other segment.
    pub global: bool,
    /// Threads that executed instructions.
    pub threads: Vec<u32>,
    /// Sorted, without duplicates.
    pub items: Vec<Item>,
}

impl Access {
    /// Whether the two segments may not commute (conservative).
    pub fn conflicts(&self, other: &Access) -> bool {
        if self.global || other.global {
            return true;
        }
        if self.threads.iter().any(|t| other.threads.contains(t)) {
            return true;
        }
        let (mut i, mut j) = (0, 0);
        let (a, b) = (&self.items, &other.items);
        // Items are sorted by object: walk both lists once.
        while i < a.len() && j < b.len() {
            if a[i].obj < b[j].obj {
                i += 1;
            } else if a[i].obj > b[j].obj {
                j += 1;
            } else {
                let obj = a[i].obj;
                let i_end = i + a[i..].iter().take_while(|x| x.obj == obj).count();
                let j_end = j + b[j..].iter().take_while(|x| x.obj == obj).count();
                for x in &a[i..i_end] {
                    for y in &b[j..j_end] {
                        if (x.write || y.write) && (x.key == 0 || y.key == 0 || x.key == y.key) {
                            return true;
                        }
                    }
                }
                i = i_end;
                j = j_end;
            }
        }
        false
    }
}

/// Part of a segment run by one thread (DPOR analyses runs step by step).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Step {
    /// The choice point this step follows directly (None: it began when the
    /// thread before it blocked or ended and it was the only one ready).
    pub node: Option<usize>,
    pub access: Access,
}

/// A thread whose next segment need not be run at this point: every
/// schedule starting with it here is equivalent to one already explored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asleep {
    pub thread: u32,
    /// What its next segment does.
    pub access: Access,
}

/// Sleep-set bookkeeping of one DFS run (see `explore.rs`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reduction {
    /// The forced prefix's length: pruning starts after it.
    pub from: usize,
    /// Installed right after the last forced choice.
    pub initial: Vec<Asleep>,
    /// The current sleep set.
    pub sleep: Vec<Asleep>,
    /// The step being recorded.
    pub current: Access,
    /// The steps of the segment being recorded, merged.
    pub segment: Access,
    /// What each step did, in order (DPOR): a step is one thread's part of a segment.
    pub steps: Vec<Step>,
    /// The choice point the next step follows directly.
    pub step_node: Option<usize>,
    /// Threads woken (or started) whose next step has not begun yet.
    pub woken: Vec<u32>,
    /// The sleep set at each choice point from `from - 1` on (empty before).
    pub sleep_at: Vec<Vec<Asleep>>,
    /// What each segment did: `segments[i]` follows choice point `i`.
    pub segments: Vec<Access>,
    /// What ran before the first choice point.
    pub before_first: Access,
    /// The choice point where every allowed option was asleep, if any: every
    /// continuation from there is covered by runs already explored.
    pub blocked: Option<usize>,
    /// The non-default options the forced prefix took (they count against the bound).
    pub prefix_deviations: u32,
    /// DPOR: at this choice point, take the option that runs this thread.
    pub want: Option<(usize, u32)>,
    /// The threads that could run next at each choice point (for a switch-out:
    /// the running thread, then every thread waiting for the GIL).
    pub enabled_at: Vec<Vec<u32>>,
}

/// The thread an option stands for when it means "this thread runs next"
/// (None for a switch-out or a timer order).
pub fn option_thread(kind: ChoiceKind, options: &[ThreadId], k: usize) -> Option<u32> {
    match kind {
        ChoiceKind::Gil => options.get(k).map(|t| t.0),
        ChoiceKind::Preempt if k == 0 => options.first().map(|t| t.0),
        _ => None,
    }
}

impl Reduction {
    /// Takes over what `old`, a snapshot's bookkeeping, recorded about the
    /// run's segments and steps up to the snapshot. The rest is this run's:
    /// `from`, `initial`, `want` and `prefix_deviations` are its own, and
    /// `sleep`, `sleep_at` and `blocked` change only from `from` on, which
    /// the snapshot has not reached ([`Chooser::can_resume`]).
    pub fn resume(&mut self, old: Reduction) {
        let Reduction {
            from: _,
            initial: _,
            sleep: _,
            current,
            segment,
            steps,
            step_node,
            woken,
            sleep_at: _,
            segments,
            before_first,
            blocked: _,
            prefix_deviations: _,
            want: _,
            enabled_at,
        } = old;
        self.current = current;
        self.segment = segment;
        self.steps = steps;
        self.step_node = step_node;
        self.woken = woken;
        self.segments = segments;
        self.before_first = before_first;
        self.enabled_at = enabled_at;
    }

    /// Ends the current step (at a choice point, when another thread runs, or
    /// at the end of the run).
    pub fn end_step(&mut self, identity_read: bool) {
        let mut step = std::mem::take(&mut self.current);
        step.global |= identity_read;
        step.items.sort_unstable();
        step.items.dedup();
        let seg = &mut self.segment;
        seg.global |= step.global;
        for t in &step.threads {
            if !seg.threads.contains(t) {
                seg.threads.push(*t);
            }
        }
        seg.items.extend(step.items.iter().copied());
        self.steps.push(Step {
            node: self.step_node.take(),
            access: step,
        });
    }

    /// Ends the current segment (at a choice point or at the end of the run).
    pub fn end_segment(&mut self, at: usize, identity_read: bool) {
        self.end_step(identity_read);
        self.step_node = Some(at);
        let mut seg = std::mem::take(&mut self.segment);
        seg.global |= seg.threads.len() > 1;
        seg.items.sort_unstable();
        seg.items.dedup();
        if at == 0 {
            self.before_first = seg;
            return;
        }
        if at == self.from && self.from > 0 {
            self.sleep = std::mem::take(&mut self.initial);
        }
        if at >= self.from && self.blocked.is_none() {
            self.sleep
                .retain(|e| !e.access.conflicts(&seg) && !seg.threads.contains(&e.thread));
        }
        self.segments.push(seg);
    }
}

/// A splitmix64 step: the explorer's own deterministic randomness.
pub fn next_random(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub use crate::trace::Schedule;
