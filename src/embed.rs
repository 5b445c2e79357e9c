//! Embed mode's messages to the page around the iframe, as plain JSON values
//! (pure; `components::app` posts them with `postMessage`).
//!
//! Every message has `"source": "threadline"` and a `"type"`:
//! - `ready`: the app has drawn its first run (`scenario`, `steps`).
//! - `step`: the cursor moved (`step`, `steps`, `t_ns`).
//! - `finished`: the cursor reached the end of the run (`exit_code`,
//!   `still_running`, `stop`, `explanation`).
//! - `resize`: the content's height in CSS pixels, for the iframe to fit it.

use serde_json::{json, Value};

use crate::snapshot::{step_number, step_times, StepKind};
use crate::state::Model;

fn scenario_id(model: &Model) -> Value {
    model
        .scenario()
        .map_or(Value::Null, |s| Value::String(s.meta.id.clone()))
}

/// `ready`, once the first run is drawn.
pub fn ready(model: &Model) -> Value {
    let steps = model
        .last_run
        .as_ref()
        .map_or(0, |r| step_times(&r.trace, StepKind::Event).len());
    json!({ "source": "threadline", "type": "ready", "scenario": scenario_id(model), "steps": steps })
}

/// `step`, whenever the cursor moves; `finished` too when it reached the end.
pub fn cursor_moved(model: &Model) -> Vec<Value> {
    let Some(run) = model.last_run.as_ref() else {
        return Vec::new();
    };
    let times = step_times(&run.trace, StepKind::Event);
    let mut out = vec![json!({
        "source": "threadline",
        "type": "step",
        "scenario": scenario_id(model),
        "step": step_number(&times, model.cursor_ns),
        "steps": times.len(),
        "t_ns": model.cursor_ns,
    })];
    if model.cursor_ns >= run.end_ns {
        let outcome = &run.trace.outcome;
        out.push(json!({
            "source": "threadline",
            "type": "finished",
            "scenario": scenario_id(model),
            "exit_code": outcome.exit_code,
            "still_running": outcome.still_running,
            "stop": serde_json::to_value(&outcome.stop).unwrap_or(Value::Null),
            "explanation": outcome.explanation,
        }));
    }
    out
}

/// `resize`, with the content's height.
pub fn resize(height: i32) -> Value {
    json!({ "source": "threadline", "type": "resize", "height": height })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Action, Selection};

    fn model() -> Model {
        let script = "import time\nprint('a')\ntime.sleep(0.5)\nprint('b')\n";
        Model::new(threadline_engine::scenarios::all(), script.into(), Selection::MyScript)
    }

    #[test]
    fn ready_counts_the_steps() {
        let m = model();
        let v = ready(&m);
        assert_eq!(v["type"], "ready");
        assert_eq!(v["source"], "threadline");
        assert!(v["steps"].as_u64().unwrap() > 3);
        assert_eq!(v["scenario"], Value::Null);
    }

    #[test]
    fn finished_comes_only_at_the_end() {
        let mut m = model();
        let at_end = cursor_moved(&m);
        assert_eq!(at_end.len(), 2);
        assert_eq!(at_end[1]["type"], "finished");
        assert_eq!(at_end[1]["exit_code"], 0);
        assert_eq!(at_end[1]["still_running"], false);
        assert_eq!(at_end[1]["stop"]["reason"], "exited");
        m.apply(Action::Home);
        let at_start = cursor_moved(&m);
        assert_eq!(at_start.len(), 1);
        assert_eq!(at_start[0]["type"], "step");
        assert_eq!(at_start[0]["step"], 0);
        assert_eq!(resize(640)["height"], 640);
    }
}
