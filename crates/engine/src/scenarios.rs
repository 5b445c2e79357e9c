//! The bundled scenario library: scripts with their metadata and variations.
//!
//! Each scenario is `scenarios/<group>/<id>.py` with `<id>.json` beside it
//! (see [`ScenarioMeta`]). Its CPython recordings (`<id>.cpython-<version>.json`,
//! made by `tools/record_cpython.py`) are not bundled: the tests read them
//! from `scenarios/`.

use serde::{Deserialize, Serialize};

/// One bundled scenario as compiled into the binary (raw text).
pub struct BundledScenario {
    pub path: &'static str,
    pub group: &'static str,
    pub script: &'static str,
    pub meta: &'static str,
    /// Variation scripts `(file name, text)`.
    pub variations: &'static [(&'static str, &'static str)],
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
    /// Signals the scenario sends (as the recorder sent them).
    #[serde(default)]
    pub signals: Vec<SignalMeta>,
    /// CPython versions recorded (default: 3.13).
    #[serde(default)]
    pub pythons: Vec<String>,
    /// How many times CPython was run (more than one for racy scenarios).
    #[serde(default)]
    pub runs: Option<u32>,
    /// Where the source article's claim and CPython disagree, what CPython really does.
    #[serde(default)]
    pub article_note: Option<String>,
    /// One-click variations ("try this").
    #[serde(default)]
    pub try_this: Vec<Variation>,
}

/// A signal in scenario metadata: `{"t": 3.3, "sig": "INT", "target": "group"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignalMeta {
    pub t: f64,
    pub sig: String,
    #[serde(default = "default_target")]
    pub target: String,
}

fn default_target() -> String {
    "group".into()
}

impl SignalMeta {
    pub fn to_spec(&self) -> Result<crate::trace::SignalSpec, String> {
        crate::trace::SignalSpec::parse(&format!("{}:{}:{}", self.t, self.sig, self.target))
    }
}

/// A "try this" variation: another script (`<id>~<variation>.py` beside the
/// scenario) and/or other run settings, itself recorded under CPython.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Variation {
    /// Unique within the scenario.
    pub id: String,
    /// What the learner clicks: "set daemon=True on line 9".
    pub label: String,
    /// The variation's script file, beside the scenario's.
    #[serde(default)]
    pub script: Option<String>,
    #[serde(default)]
    pub signals: Option<Vec<SignalMeta>>,
    #[serde(default)]
    pub python: Option<String>,
    #[serde(default)]
    pub until: Option<f64>,
    /// What to notice in the variation.
    #[serde(default)]
    pub notice: Option<String>,
}

/// A step of the guided path through the library (`scenarios/path.json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PathStep {
    pub id: String,
    /// One line leading from the previous step to this one.
    pub transition: String,
}

/// The guided path ("start here"), in order.
pub fn guided_path() -> Vec<PathStep> {
    serde_json::from_str(GUIDED_PATH).unwrap_or_default()
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
    /// Variation scripts: (file name, text).
    pub variation_scripts: Vec<(String, String)>,
}

impl Scenario {
    /// The run options the scenario's metadata asks for.
    pub fn run_options(&self) -> crate::trace::RunOptions {
        crate::trace::RunOptions {
            seed: self.meta.seed,
            horizon_ns: (self.meta.until * 1e9) as u64,
            signals: self.meta.signals.iter().filter_map(|s| s.to_spec().ok()).collect(),
            script_name: format!("{}.py", self.meta.id),
            ..crate::trace::RunOptions::default()
        }
    }

    /// The run options of a variation: the scenario's, with what the variation changes.
    pub fn variation_options(&self, v: &Variation) -> crate::trace::RunOptions {
        let mut options = self.run_options();
        if let Some(signals) = &v.signals {
            options.signals = signals.iter().filter_map(|s| s.to_spec().ok()).collect();
        }
        if let Some(python) = v.python.as_deref().and_then(crate::trace::PyVersion::parse) {
            options.python = python;
        }
        if let Some(until) = v.until {
            options.horizon_ns = (until * 1e9) as u64;
        }
        options
    }

    /// The script of a variation (the scenario's own when the variation only changes settings).
    pub fn variation_script(&self, v: &Variation) -> Option<&str> {
        match &v.script {
            Some(file) => self
                .variation_scripts
                .iter()
                .find(|(n, _)| n == file)
                .map(|(_, t)| t.as_str()),
            None => Some(&self.script),
        }
    }
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
                variation_scripts: b
                    .variations
                    .iter()
                    .map(|(n, t)| (n.to_string(), t.to_string()))
                    .collect(),
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
