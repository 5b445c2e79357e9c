//! Depth-first search over choice points without reduction: every schedule
//! with at most `bound` non-default choices, in depth-first order. Each run
//! takes a forced prefix (the run before's choices up to its deepest choice
//! point with an option left, then that option) and the default option after.

use super::Search;
use crate::trace::Trace;
use crate::vm::schedule::{Chooser, Mode};

/// A plain depth-first search.
pub(super) struct Dfs {
    /// Most non-default choices per run (None: no bound).
    bound: Option<u32>,
    /// The forced prefix of the next run (None: the search is over).
    next: Option<Vec<u32>>,
}

impl Dfs {
    pub(super) fn new(bound: Option<u32>) -> Dfs {
        Dfs {
            bound,
            next: Some(Vec::new()),
        }
    }
}

impl Search for Dfs {
    fn next_run(&mut self) -> Option<Chooser> {
        let prefix = self.next.take()?;
        let mut c = Chooser::new(prefix, Mode::Default, true);
        c.bound = self.bound;
        Some(c)
    }

    fn finished(&mut self, _: &Trace, chooser: Chooser) {
        self.next = next_prefix(&chooser, self.bound.unwrap_or(u32::MAX));
    }

    fn exhausted(&self) -> bool {
        self.next.is_none()
    }

    fn shares_prefixes(&self) -> bool {
        true
    }
}

/// The next prefix after a run: the deepest choice point with an untried
/// option, keeping the number of non-default options within the bound.
fn next_prefix(c: &Chooser, bound: u32) -> Option<Vec<u32>> {
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
