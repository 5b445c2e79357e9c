//! `multiprocessing.Pool` and the `multiprocessing.pool` module: the class is
//! written in Python (the prelude) on top of `Process` and shared queues.

use crate::vm::*;

/// `multiprocessing.Pool(...)`: the class lives in the Python-written part of the library.
pub fn mp_pool(w: &mut World, t: Tid, a: Args) -> NResult {
    let cls = crate::stdlib::helper(w, t, "Pool")?;
    Ok(Flow::Call(cls, a))
}
