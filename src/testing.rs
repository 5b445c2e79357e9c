//! Helpers for the native tests: every run is done twice and compared
//! (determinism is part of what is tested).

use threadline_engine::scenarios::find;
use threadline_engine::{run, RunOptions, Trace};

/// Runs `source` twice with `options`, asserts both traces are equal, returns one.
pub fn run_twice(source: &str, options: &RunOptions) -> Trace {
    let first = run(source, options);
    assert_eq!(first, run(source, options), "the engine is deterministic");
    first
}

/// The bundled scenario `id`, run twice with its own options changed by `tweak`.
pub fn scenario_trace(id: &str, tweak: impl Fn(&mut RunOptions)) -> Trace {
    let scenario = find(id).unwrap_or_else(|| panic!("scenario {id}"));
    let mut options = scenario.run_options();
    tweak(&mut options);
    run_twice(&scenario.script, &options)
}
