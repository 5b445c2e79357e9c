//! The engine's layout rules, checked on its sources: which top-level
//! modules may import which (no cycles), no global mutable state, and no
//! file or function too long to read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module and the modules it may import. The order is the
/// layering: a module only imports modules listed before it.
const LAYERS: &[(&str, &[&str])] = &[
    ("trace", &[]),
    ("pyfmt", &[]),
    ("pyrandom", &[]),
    ("scenarios", &["trace"]),
    ("syntax", &["trace"]),
    ("compile", &["syntax", "trace"]),
    ("vm", &["compile", "trace", "pyrandom"]),
    ("types", &["vm", "compile", "trace", "pyfmt"]),
    (
        "stdlib",
        &["types", "vm", "compile", "syntax", "trace", "pyfmt", "pyrandom"],
    ),
    ("explore", &["stdlib", "vm", "compile", "syntax", "trace"]),
    ("report", &["trace"]),
    ("export", &["trace"]),
];

const MAX_FILE_LINES: usize = 1_200;
const MAX_FN_LINES: usize = 200;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a source file belongs to (`None` for `lib.rs`).
fn top_module(path: &Path) -> Option<String> {
    let rel = path.strip_prefix(src()).unwrap();
    let first = rel.components().next()?.as_os_str().to_string_lossy().to_string();
    let name = first.strip_suffix(".rs").unwrap_or(&first).to_string();
    (name != "lib").then_some(name)
}

/// The code of a file without comment lines (doc links name modules too)
/// and without its unit tests (which may use the façade).
fn code_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .take_while(|l| l.trim() != "#[cfg(test)]")
        .filter(|l| !l.trim_start().starts_with("//"))
}

/// Top-level modules a file names through `crate::`.
fn imports(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in code_lines(text) {
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for part in group[..end].split(',') {
                    let name: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    out.insert(name);
                }
            } else {
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                out.insert(name);
            }
        }
    }
    out
}

#[test]
fn modules_import_only_the_layers_below_them() {
    let allowed: BTreeMap<&str, &[&str]> = LAYERS.iter().copied().collect();
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut wrong = Vec::new();
    for f in &files {
        let Some(top) = top_module(f) else { continue };
        let Some(ok) = allowed.get(top.as_str()) else {
            wrong.push(format!("{}: top-level module `{top}` is not in LAYERS", f.display()));
            continue;
        };
        for m in imports(&std::fs::read_to_string(f).unwrap()) {
            if m != top && !ok.contains(&m.as_str()) {
                wrong.push(format!("{}: `{top}` imports `crate::{m}`", f.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "imports outside the layering:\n{}", wrong.join("\n"));
}

#[test]
fn the_layers_form_no_cycle() {
    let position: BTreeMap<&str, usize> = LAYERS.iter().enumerate().map(|(i, (m, _))| (*m, i)).collect();
    for (i, (m, deps)) in LAYERS.iter().enumerate() {
        for d in *deps {
            assert!(position[d] < i, "`{m}` may import `{d}`, which is not listed before it");
        }
    }
}

#[test]
fn no_global_mutable_state() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (i, line) in code_lines(&text).enumerate() {
            assert!(
                !line.contains("thread_local!") && !line.contains("static mut"),
                "{}:{}: global mutable state: {line}",
                f.display(),
                i + 1
            );
        }
    }
}

/// (name, first line, length) of every function of a file.
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let body = line.trim_start();
        let indent = line.len() - body.len();
        let sig = [
            "pub fn ",
            "fn ",
            "pub(crate) fn ",
            "pub(super) fn ",
            "const fn ",
            "pub const fn ",
        ]
        .iter()
        .find_map(|p| body.strip_prefix(p));
        let Some(sig) = sig else { continue };
        let name: String = sig.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let close = format!("{}}}", " ".repeat(indent));
        let end = lines[i..]
            .iter()
            .position(|l| *l == close || (l.ends_with(';') && !l.contains('{') && *l == lines[i]))
            .map_or(1, |n| n + 1);
        out.push((name, i + 1, end));
    }
    out
}

#[test]
fn files_and_functions_stay_short() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut long = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let n = text.lines().count();
        if n > MAX_FILE_LINES {
            long.push(format!("{}: {n} lines (at most {MAX_FILE_LINES})", f.display()));
        }
        for (name, line, len) in functions(&text) {
            if len > MAX_FN_LINES {
                long.push(format!(
                    "{}:{line}: fn {name} is {len} lines (at most {MAX_FN_LINES})",
                    f.display()
                ));
            }
        }
    }
    assert!(long.is_empty(), "too long:\n{}", long.join("\n"));
}

#[test]
fn the_function_measure_counts_to_the_closing_brace() {
    let text = "fn a() {\n    let x = 1;\n}\n\nimpl X {\n    pub fn b(&self) {\n        if y {\n        }\n    }\n}\n";
    let f = functions(text);
    assert_eq!(f, vec![("a".to_string(), 1, 3), ("b".to_string(), 6, 4)]);
}

/// Front ends (the CLI, the app, the benchmarks) see the façade of `lib.rs`
/// and the trace; the modules behind them are the crate's own.
#[test]
fn only_the_trace_and_the_facade_are_public() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let public: Vec<&str> = code_lines(&lib)
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';'))
        .collect();
    assert_eq!(public, ["export", "scenarios", "trace"]);
}
