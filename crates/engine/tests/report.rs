//! The explanation of how a run ended is computed from the trace alone: a
//! trace read back from its JSON explains itself in the same words.

use threadline_engine::{report, run, scenarios, PyVersion, Trace};

#[test]
fn every_scenario_explains_itself_from_its_json() {
    let mut checked = 0;
    for s in scenarios::all() {
        for python in [PyVersion::V3_13, PyVersion::V3_12] {
            let options = threadline_engine::RunOptions {
                python,
                ..s.run_options()
            };
            let trace = run(&s.script, &options);
            let json = serde_json::to_string(&trace).expect("trace serializes");
            let back: Trace = serde_json::from_str(&json).expect("trace reads back");
            assert_eq!(
                report::explain(&back),
                trace.outcome.explanation,
                "{} under {}",
                s.meta.id,
                python.label()
            );
            checked += 1;
        }
    }
    assert!(checked >= 60, "only {checked} runs");
}
