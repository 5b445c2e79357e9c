//! The bundled scenario library: scripts with their metadata and CPython recordings.
//!
//! Each scenario is `scenarios/<group>/<id>.py` with `<id>.json` beside it
//! (see [`ScenarioMeta`]) and zero or more `<id>.cpython-<version>.json`
//! recordings made by `tools/record_cpython.py`.

use serde::{Deserialize, Serialize};

/// One bundled scenario as compiled into the binary (raw text).
pub struct BundledScenario {
    pub path: &'static str,
    pub group: &'static str,
    pub script: &'static str,
    pub meta: &'static str,
    pub recordings: &'static [&'static str],
}

include!(concat!(env!("OUT_DIR"), "/bundled_scenarios.rs"));

/// Metadata of a scenario (`<id>.json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioMeta {
    /// Stable id, used in links.
    pub id: String,
    pub title: String,
    /// Where it comes from: a seed article's example, a probe of a rule, a known confusion.
    pub source: String,
    /// What to notice, in plain language.
    pub notice: String,
    /// Virtual-time horizon in seconds (the recorder's time limit).
    #[serde(default = "default_until")]
    pub until: f64,
    /// Simulation seed.
    #[serde(default)]
    pub seed: u64,
}

fn default_until() -> f64 {
    10.0
}

/// A scenario ready to show and run.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub group: String,
    pub path: String,
    pub meta: ScenarioMeta,
    pub script: String,
    /// Raw recording files (JSON), one per CPython version recorded.
    pub recordings: Vec<String>,
}

/// Every bundled scenario, ordered by group then file name.
pub fn all() -> Vec<Scenario> {
    BUNDLED
        .iter()
        .filter_map(|b| {
            let meta: ScenarioMeta = serde_json::from_str(b.meta).ok()?;
            Some(Scenario {
                group: b.group.to_string(),
                path: b.path.to_string(),
                meta,
                script: b.script.to_string(),
                recordings: b.recordings.iter().map(|r| r.to_string()).collect(),
            })
        })
        .collect()
}

/// Metadata files that do not parse (reported by the library's completeness test).
pub fn invalid_metadata() -> Vec<(String, String)> {
    BUNDLED
        .iter()
        .filter_map(|b| {
            serde_json::from_str::<ScenarioMeta>(b.meta)
                .err()
                .map(|e| (b.path.to_string(), e.to_string()))
        })
        .collect()
}

/// The scenario with this id.
pub fn find(id: &str) -> Option<Scenario> {
    all().into_iter().find(|s| s.meta.id == id)
}
