//! `multiprocessing.Pool` and the `multiprocessing.pool` module: the class is
//! written in Python (the prelude) on top of `Process` and shared queues.

use crate::stdlib::{Attr, Module};
use crate::types::native;
use crate::vm::value::*;
use crate::vm::*;

pub static MODULE: Module = Module {
    name: "multiprocessing.pool",
    attrs: &[
        ("Pool", Attr::Fn(native!("multiprocessing.Pool", mp_pool))),
        // CPython has these; the simulator does not (yet).
        ("ThreadPool", Attr::Unsupported),
        ("AsyncResult", Attr::Unsupported),
    ],
    make: None,
};

/// `multiprocessing.Pool(...)`: the class lives in the Python-written part of the library.
pub fn mp_pool(w: &mut World, t: Tid, a: Args) -> NResult {
    let cls = crate::stdlib::concurrent::helper(w, t, "Pool")?;
    Ok(Flow::Call(cls, a))
}
