//! The Threadline engine behind a few `wasm-bindgen` exports, so that `scripts/bench.sh` can
//! time the wasm build in Node (`bench.js`, `performance.now()` around each call) against the
//! native build (`threadline-bench`).
//!
//! The functions only run the engine and describe the result; the caller measures the time.
//! Natively the crate builds too (as part of the workspace) but is not meant to be called.

use serde_json::json;
use threadline_engine::scenarios::{self, Scenario};
use threadline_engine::{run, RunOptions, Trace};
use threadline_engine::{ExploreOptions, Explorer};
use wasm_bindgen::prelude::wasm_bindgen;

thread_local! {
    /// The bundled scenarios, parsed once so that looking one up stays out of the timed calls.
    static SCENARIOS: Vec<Scenario> = scenarios::all();
}

/// The CPU-bound script the native bench uses (two threads, 1,000,000 iterations each).
const CPU_LOOP: &str = include_str!("../../src/cpu_loop.py");

/// The CPU-bound benchmark script.
#[wasm_bindgen]
pub fn cpu_loop_script() -> String {
    CPU_LOOP.to_string()
}

/// Simulates `script` `reps` times with the default run options; the caller times the call.
/// Returns JSON: `{"reps", "instructions", "events", "output_lines", "stop"}` of the last run.
#[wasm_bindgen]
pub fn simulate_ms(script: &str, reps: u32) -> String {
    describe(reps, repeat(reps, || run(script, &RunOptions::default())))
}

/// The ids of the bundled scenarios, as a JSON array, in `scenarios::all()` order.
#[wasm_bindgen]
pub fn scenario_ids() -> String {
    SCENARIOS.with(|all| {
        let ids: Vec<&str> = all.iter().map(|s| s.meta.id.as_str()).collect();
        serde_json::to_string(&ids).expect("ids serialize")
    })
}

/// Simulates the bundled scenario `id` `reps` times with the run options its metadata asks for;
/// the same JSON as [`simulate_ms`], or `{"error": ...}` for an unknown id.
#[wasm_bindgen]
pub fn simulate_scenario_ms(id: &str, reps: u32) -> String {
    SCENARIOS.with(|all| {
        let Some(s) = all.iter().find(|s| s.meta.id == id) else {
            return json!({ "error": format!("no scenario with id {id}") }).to_string();
        };
        let options = s.run_options();
        describe(reps, repeat(reps, || run(&s.script, &options)))
    })
}

fn repeat(reps: u32, mut f: impl FnMut() -> Trace) -> Trace {
    let mut trace = f();
    for _ in 1..reps {
        trace = f();
    }
    trace
}

fn describe(reps: u32, trace: Trace) -> String {
    let stop = serde_json::to_value(&trace.outcome.stop).expect("stop reason serializes");
    json!({
        "reps": reps.max(1),
        "instructions": trace.outcome.instructions,
        "events": trace.events.len(),
        "output_lines": trace.output.len(),
        "stop": stop["reason"],
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> serde_json::Value {
        serde_json::from_str(s).expect("valid JSON")
    }

    #[test]
    fn simulate_ms_describes_the_last_run() {
        let r = parse(&simulate_ms("print('hi')\n", 2));
        assert_eq!(r["reps"], 2);
        assert_eq!(r["output_lines"], 1);
        assert_eq!(r["stop"], "exited");
        assert!(r["instructions"].as_u64().unwrap() > 0);
    }

    #[test]
    fn every_bundled_scenario_runs_by_id() {
        let ids: Vec<String> = serde_json::from_str(&scenario_ids()).unwrap();
        assert!(!ids.is_empty());
        for id in &ids {
            let r = parse(&simulate_scenario_ms(id, 1));
            assert!(r.get("error").is_none(), "{id}: {r}");
        }
        assert!(parse(&simulate_scenario_ms("no-such-scenario", 1))
            .get("error")
            .is_some());
    }

    #[test]
    fn the_cpu_loop_is_the_native_bench_script() {
        assert!(cpu_loop_script().contains("while i < 1000000:"));
    }
}

/// The lost-update program of the explorer's tests: 2 threads x 3 increments through a call.
const LOST_UPDATE: &str = "import threading\n\ncounter = 0\n\n\ndef add_one(v):\n    return v + 1\n\n\ndef work():\n    global counter\n    for _ in range(3):\n        counter = add_one(counter)\n\n\nthreads = [threading.Thread(target=work) for _ in range(2)]\nfor t in threads:\n    t.start()\nfor t in threads:\n    t.join()\nprint(\"counter =\", counter)\n";

fn explore_json(script: &str, options: &RunOptions, x: ExploreOptions) -> String {
    match Explorer::new(script, options, x) {
        Ok(mut e) => {
            let r = e.run_to_end();
            json!({ "schedules": r.schedules, "outcomes": r.outcomes.len(), "complete": r.complete }).to_string()
        }
        Err(d) => json!({ "error": format!("{} diagnostics", d.len()) }).to_string(),
    }
}

/// The ids of the seed scenarios (groups `seed-000`...), as a JSON array.
#[wasm_bindgen]
pub fn seed_scenario_ids() -> String {
    SCENARIOS.with(|all| {
        let ids: Vec<&str> = all
            .iter()
            .filter(|s| s.group.starts_with("seed-"))
            .map(|s| s.meta.id.as_str())
            .collect();
        serde_json::to_string(&ids).expect("ids serialize")
    })
}

/// Explores every schedule of scenario `id` (DFS, default options); the caller times the call.
/// Returns JSON `{"schedules", "outcomes", "complete"}`.
#[wasm_bindgen]
pub fn explore_scenario(id: &str) -> String {
    SCENARIOS.with(|all| match all.iter().find(|s| s.meta.id == id) {
        Some(s) => explore_json(&s.script, &s.run_options(), ExploreOptions::default()),
        None => json!({ "error": format!("no scenario with id {id}") }).to_string(),
    })
}

/// Explores the lost update to the end with the given bound, with or without reduction.
#[wasm_bindgen]
pub fn explore_lost_update(reduction: bool, preemption_bound: u32) -> String {
    let x = ExploreOptions {
        reduction,
        preemption_bound: Some(preemption_bound),
        max_schedules: 1_000_000,
        ..ExploreOptions::default()
    };
    explore_json(LOST_UPDATE, &RunOptions::default(), x)
}

/// An exploration of a bundled scenario made the page's way, one slice of
/// about `budget` instructions per [`SlicedExploration::advance`] call, so
/// that the caller can time each slice (the page must stay responsive).
#[wasm_bindgen]
pub struct SlicedExploration {
    explorer: Explorer,
}

#[wasm_bindgen]
impl SlicedExploration {
    /// Scenario `id` with the default exploration options, at most `max_schedules` runs.
    #[wasm_bindgen(constructor)]
    pub fn new(id: &str, max_schedules: u32) -> Result<SlicedExploration, String> {
        SCENARIOS.with(|all| {
            let s = all
                .iter()
                .find(|s| s.meta.id == id)
                .ok_or_else(|| format!("no scenario with id {id}"))?;
            let x = ExploreOptions {
                max_schedules: max_schedules.into(),
                ..ExploreOptions::default()
            };
            let explorer =
                Explorer::new(&s.script, &s.run_options(), x).map_err(|d| format!("{} diagnostics", d.len()))?;
            Ok(SlicedExploration { explorer })
        })
    }

    /// One slice; false when the exploration is over.
    pub fn advance(&mut self, budget: u32) -> bool {
        self.explorer.advance(budget.into())
    }

    /// Schedules run so far.
    pub fn schedules(&self) -> u32 {
        self.explorer.runs().try_into().unwrap_or(u32::MAX)
    }
}
