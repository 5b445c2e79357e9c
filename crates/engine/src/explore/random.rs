//! The random strategy: after the default run, every run takes a uniformly
//! random option at each choice point, from a seed.

use super::Search;
use crate::trace::Trace;
use crate::vm::schedule::{next_random, Chooser, Mode};

/// Seeded random runs.
pub(super) struct Random {
    rng: u64,
    /// Runs begun so far.
    runs: u64,
}

impl Random {
    pub(super) fn new(seed: u64) -> Random {
        Random {
            rng: super::seed_state(seed),
            runs: 0,
        }
    }
}

impl Search for Random {
    fn next_run(&mut self) -> Option<Chooser> {
        let state = next_random(&mut self.rng);
        let mode = if self.runs == 0 {
            Mode::Default
        } else {
            Mode::Random { state }
        };
        self.runs += 1;
        Some(Chooser::new(Vec::new(), mode, true))
    }

    fn finished(&mut self, _: &Trace, _: Chooser) {}

    fn exhausted(&self) -> bool {
        false
    }
}
