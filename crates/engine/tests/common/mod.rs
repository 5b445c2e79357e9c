//! Helpers shared by the integration tests: the CPython recordings, which
//! are read from `scenarios/` (the engine does not bundle them).

// Each test crate uses a part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use threadline_engine::scenarios::Scenario;

/// The library's folder, `scenarios/` at the top of the repository.
pub fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

/// The recording files of a script (`<stem>.cpython-<version>.json` beside it), in name order.
pub fn recording_files(script: &Path) -> Vec<PathBuf> {
    let stem = script.file_stem().unwrap().to_string_lossy().to_string();
    let Ok(entries) = std::fs::read_dir(script.parent().unwrap()) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            name.starts_with(&format!("{stem}.cpython-")) && name.ends_with(".json")
        })
        .collect();
    files.sort();
    files
}

/// The text of a bundled scenario's recordings, one per CPython version recorded.
pub fn recordings(s: &Scenario) -> Vec<String> {
    recording_files(&scenarios_dir().join(&s.path))
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("recording readable"))
        .collect()
}
