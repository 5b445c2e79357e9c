//! Bundles the scenario library (`scenarios/<group>/<id>.py` + `<id>.json`
//! metadata + `<id>~<variation>.py` scripts) into the engine at build time.
//! The CPython recordings (`<id>.cpython-*.json`) stay on disk: only the
//! tests read them, and the page would load them for nothing.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../scenarios");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort_by_key(|p| (group_rank(p), p.clone()));
    let mut out = String::from("pub static BUNDLED: &[BundledScenario] = &[\n");
    for py in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "py") && !p.to_string_lossy().contains('~'))
    {
        let meta = py.with_extension("json");
        if !meta.exists() {
            continue;
        }
        println!("cargo:rerun-if-changed={}", py.display());
        println!("cargo:rerun-if-changed={}", meta.display());
        let stem = py.file_stem().unwrap().to_string_lossy().to_string();
        let dir = py.parent().unwrap();
        let group = dir.file_name().unwrap().to_string_lossy().to_string();
        // Variation scripts: `<stem>~<variation>.py`.
        let mut variations = String::new();
        let mut vars: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let n = p.file_name().unwrap().to_string_lossy();
                n.starts_with(&format!("{stem}~")) && n.ends_with(".py")
            })
            .collect();
        vars.sort();
        for v in &vars {
            println!("cargo:rerun-if-changed={}", v.display());
            let name = v.file_name().unwrap().to_string_lossy().to_string();
            let _ = write!(variations, "({name:?}, include_str!({:?})),", v.display().to_string());
        }
        let rel = py.strip_prefix(&root).unwrap().display().to_string();
        let _ = writeln!(
            out,
            "    BundledScenario {{ path: {rel:?}, group: {group:?}, script: include_str!({:?}), meta: include_str!({:?}), variations: &[{variations}] }},",
            py.display().to_string(),
            meta.display().to_string()
        );
    }
    out.push_str("];\n");
    let path = root.join("path.json");
    println!("cargo:rerun-if-changed={}", path.display());
    if path.exists() {
        let _ = writeln!(
            out,
            "pub static GUIDED_PATH: &str = include_str!({:?});",
            path.display().to_string()
        );
    } else {
        out.push_str("pub static GUIDED_PATH: &str = \"[]\";\n");
    }
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("bundled_scenarios.rs");
    std::fs::write(dest, out).unwrap();
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            println!("cargo:rerun-if-changed={}", p.display());
            collect(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The library's group order: the articles first, then the topics from
/// threads to processes, then the classic races (others after, by name).
fn group_rank(path: &Path) -> usize {
    let group = path
        .parent()
        .and_then(|d| d.file_name())
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if group.starts_with("seed-") {
        return 0;
    }
    ["threads", "signals", "processes", "races"]
        .iter()
        .position(|g| *g == group)
        .map_or(5, |i| i + 1)
}
