//! The PCT strategy (probabilistic concurrency testing): after the default
//! run, every run gives the threads random priorities and changes them at a
//! few random choice points (`depth - 1` of them, among as many as the
//! default run had), from a seed.

use super::Search;
use crate::trace::Trace;
use crate::vm::schedule::{next_random, Chooser, Mode};

/// Seeded PCT runs.
pub(super) struct Pct {
    rng: u64,
    /// One more than the number of priority change points.
    depth: u32,
    /// Runs begun so far.
    runs: u64,
    /// The number of choice points of the first (default) run.
    first_len: Option<usize>,
}

impl Pct {
    pub(super) fn new(seed: u64, depth: u32) -> Pct {
        Pct {
            rng: super::seed_state(seed),
            depth,
            runs: 0,
            first_len: None,
        }
    }
}

impl Search for Pct {
    fn next_run(&mut self) -> Option<Chooser> {
        let mut state = next_random(&mut self.rng);
        let len = self.first_len.unwrap_or(0).max(1) as u64;
        let change_points = (1..self.depth).map(|_| next_random(&mut state) % len).collect();
        let mode = if self.runs == 0 {
            Mode::Default
        } else {
            Mode::Pct {
                state,
                depth: self.depth,
                change_points,
                priorities: Vec::new(),
            }
        };
        self.runs += 1;
        Some(Chooser::new(Vec::new(), mode, true))
    }

    fn finished(&mut self, _: &Trace, chooser: Chooser) {
        self.first_len.get_or_insert(chooser.record.len());
    }

    fn exhausted(&self) -> bool {
        false
    }
}
