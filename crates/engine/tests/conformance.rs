//! Conformance: every script with a CPython recording (the bundled scenarios
//! and the language cases in `tests/cases/`) is simulated and compared with
//! what real CPython did:
//!
//! - stdout lines, in order, equal one of the recorded outcomes;
//! - stderr's non-indented lines (traceback headers, exception lines) equal it;
//! - the exit code and "still running at the limit" equal it;
//! - every stdout line's time is within [`TIME_TOLERANCE_S`] of the recorded time,
//!   and so is the exit time.
//!
//! Every script is simulated twice and the two traces must be identical.
//! Recordings are made by `tools/record_cpython.py` (see tools/README.md).

mod common;

use std::path::{Path, PathBuf};

use serde::Deserialize;
use threadline_engine::{run, PyVersion, RunOptions, SignalSpec, Stream, Trace};

/// Allowed difference between a simulated and a recorded time, in seconds.
/// Covers CPython's start-up (20-75 ms measured) and scheduling noise.
const TIME_TOLERANCE_S: f64 = 0.15;

#[derive(Deserialize)]
struct Recording {
    python: String,
    limit_s: f64,
    #[serde(default)]
    signals: Vec<SignalRec>,
    outcomes: Vec<Outcome>,
}

#[derive(Deserialize)]
struct SignalRec {
    t: f64,
    sig: String,
    #[serde(default)]
    target: Option<String>,
}

#[derive(Deserialize, Clone)]
struct Outcome {
    count: u32,
    exit_code: Option<i32>,
    exit_t: Option<f64>,
    stderr: Vec<String>,
    stdout: Vec<String>,
    stdout_t: Vec<f64>,
    still_running: bool,
}

#[derive(Deserialize)]
struct Meta {
    #[serde(default)]
    seed: u64,
}

fn key_lines(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| !l.starts_with(' ') && !l.is_empty())
        .map(|l| normalize(l))
        .collect()
}

/// Addresses differ between runs; library paths between machines.
fn normalize(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find("0x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 2..];
        let n = tail.chars().take_while(|c| c.is_ascii_hexdigit() || *c == '…').count();
        out.push_str("0x…");
        rest = &tail[tail.char_indices().nth(n).map(|(j, _)| j).unwrap_or(tail.len())..];
    }
    out.push_str(rest);
    // Real pids differ from run to run, like addresses.
    if let Some(tail) = out.strip_prefix("Process ") {
        if let Some((pid, rest)) = tail.split_once(' ') {
            if rest.starts_with("terminated abruptly") && pid.chars().all(|c| c.is_ascii_digit()) {
                out = format!("Process <pid> {rest}");
            }
        }
    }
    // The recorder writes the interpreter's library folder as `<stdlib>/`.
    for v in PyVersion::ALL {
        out = out.replace(&format!("/usr/lib/python{}/", v.label()), "<stdlib>/");
    }
    out
}

fn simulate(script: &str, name: &str, python: PyVersion, seed: u64, rec: &Recording) -> Trace {
    let signals = rec
        .signals
        .iter()
        .map(|s| {
            let spec = format!("{}:{}:{}", s.t, s.sig, s.target.as_deref().unwrap_or("group"));
            SignalSpec::parse(&spec).unwrap_or_else(|e| panic!("{name}: bad recorded signal: {e}"))
        })
        .collect();
    let opts = RunOptions {
        seed,
        horizon_ns: (rec.limit_s * 1e9) as u64,
        python,
        script_name: name.to_string(),
        signals,
        ..RunOptions::default()
    };
    let a = run(script, &opts);
    let b = run(script, &opts);
    assert!(a == b, "{name}: two runs with the same seed gave different traces");
    a
}

/// Compares one simulated trace with a recording; Err describes the differences.
fn compare(trace: &Trace, rec: &Recording) -> Result<(), String> {
    if !trace.diagnostics.is_empty() {
        return Err(format!(
            "diagnostics: {:?}",
            trace.diagnostics.iter().map(|d| d.render()).collect::<Vec<_>>()
        ));
    }
    let stdout: Vec<String> = trace
        .output
        .iter()
        .filter(|l| l.stream == Stream::Stdout)
        .map(|l| l.text.clone())
        .collect();
    let stdout_t: Vec<f64> = trace
        .output
        .iter()
        .filter(|l| l.stream == Stream::Stdout)
        .map(|l| l.t_ns as f64 / 1e9)
        .collect();
    let stderr: Vec<String> = trace
        .output
        .iter()
        .filter(|l| l.stream == Stream::Stderr)
        .map(|l| l.text.clone())
        .collect();
    let exit_t = trace.outcome.exit_ns.map(|t| t as f64 / 1e9);
    let mut problems = Vec::new();
    for o in &rec.outcomes {
        let mut diffs = Vec::new();
        if stdout != o.stdout {
            diffs.push(format!("stdout:\n  sim: {stdout:?}\n  cpy: {:?}", o.stdout));
        }
        if key_lines(&stderr) != key_lines(&o.stderr) {
            diffs.push(format!(
                "stderr:\n  sim: {:?}\n  cpy: {:?}",
                key_lines(&stderr),
                key_lines(&o.stderr)
            ));
        }
        if trace.outcome.exit_code != o.exit_code {
            diffs.push(format!(
                "exit code: sim {:?}, cpython {:?}",
                trace.outcome.exit_code, o.exit_code
            ));
        }
        if trace.outcome.still_running != o.still_running {
            diffs.push(format!(
                "still running: sim {}, cpython {}",
                trace.outcome.still_running, o.still_running
            ));
        }
        if diffs.is_empty() {
            for (i, (s, c)) in stdout_t.iter().zip(o.stdout_t.iter()).enumerate() {
                if (s - c).abs() > TIME_TOLERANCE_S {
                    diffs.push(format!(
                        "time of stdout line {} ({:?}): sim {s:.3} s, cpython {c:.3} s",
                        i + 1,
                        stdout[i]
                    ));
                }
            }
            if let (Some(s), Some(c)) = (exit_t, o.exit_t) {
                if (s - c).abs() > TIME_TOLERANCE_S {
                    diffs.push(format!("exit time: sim {s:.3} s, cpython {c:.3} s"));
                }
            }
        }
        if diffs.is_empty() {
            return Ok(());
        }
        problems.push(format!("vs outcome seen {} time(s):\n{}", o.count, diffs.join("\n")));
    }
    Err(problems.join("\n"))
}

fn scripts_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            scripts_under(&p, out);
        } else if p.extension().is_some_and(|e| e == "py") {
            out.push(p);
        }
    }
}

/// `(path, python)` of recordings listed in `known_differences.txt`.
fn known_differences() -> Vec<(String, String)> {
    include_str!("known_differences.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (path, rest) = l.split_once(" [")?;
            let (py, _) = rest.split_once(']')?;
            Some((path.to_string(), py.to_string()))
        })
        .collect()
}

/// The versions of the recordings checked, one entry per recording, and the failures.
fn check_dir(dir: &Path) -> (Vec<PyVersion>, Vec<String>) {
    let known = known_differences();
    let mut scripts = Vec::new();
    scripts_under(dir, &mut scripts);
    let mut checked = Vec::new();
    let mut failures = Vec::new();
    for script in scripts {
        let recs = common::recording_files(&script);
        if recs.is_empty() {
            continue;
        }
        let source = std::fs::read_to_string(&script).unwrap();
        // A variation (`<id>~<variation>.py`) runs with its scenario's settings.
        let base = script.with_file_name(format!(
            "{}.json",
            script
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .split('~')
                .next()
                .unwrap_or("")
        ));
        let seed = std::fs::read_to_string(base)
            .ok()
            .and_then(|m| serde_json::from_str::<Meta>(&m).ok())
            .map(|m| m.seed)
            .unwrap_or(0);
        let name = script.file_name().unwrap().to_string_lossy().to_string();
        for r in recs {
            let rec: Recording = serde_json::from_str(&std::fs::read_to_string(&r).unwrap()).unwrap();
            let python = PyVersion::parse(&rec.python)
                .unwrap_or_else(|| panic!("{}: recorded with an unmodelled Python {}", r.display(), rec.python));
            let trace = simulate(&source, &name, python, seed, &rec);
            checked.push(python);
            let rel = script
                .strip_prefix(root().join("../.."))
                .unwrap_or(&script)
                .display()
                .to_string();
            let is_known = known.iter().any(|(p, v)| *p == rel && *v == rec.python);
            match (compare(&trace, &rec), is_known) {
                (Err(e), false) => failures.push(format!("== {} [{}]\n{e}", script.display(), rec.python)),
                (Ok(()), true) => failures.push(format!(
                    "== {rel} [{}] now matches: remove it from known_differences.txt",
                    rec.python
                )),
                _ => {}
            }
        }
    }
    (checked, failures)
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// How many recordings of each version were checked, and how many of them are
/// known differences, e.g. `3.14: 210 recordings, 2 known differences`.
fn per_version(checked: &[PyVersion]) -> Vec<(PyVersion, usize, usize)> {
    let known = known_differences();
    PyVersion::ALL
        .into_iter()
        .map(|v| {
            let n = checked.iter().filter(|c| **c == v).count();
            let k = known.iter().filter(|(_, p)| PyVersion::parse(p) == Some(v)).count();
            (v, n, k)
        })
        .collect()
}

#[test]
fn scenarios_match_their_cpython_recordings() {
    let (checked, failures) = check_dir(&common::scenarios_dir());
    let versions = per_version(&checked);
    for (v, n, k) in &versions {
        eprintln!("{}: {n} recordings ({k} known differences)", v.label());
    }
    let checked = checked.len();
    assert!(
        failures.is_empty(),
        "{} of {checked} recordings differ:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    for (v, n, k) in versions {
        assert!(n >= 30, "expected the scenarios' {} recordings, found {n}", v.label());
        assert!(k <= 3, "{}: {k} known differences (at most 3 per version)", v.label());
    }
}

#[test]
fn language_cases_match_their_cpython_recordings() {
    let (checked, failures) = check_dir(&root().join("tests/cases"));
    let checked = checked.len();
    assert!(checked >= 1, "expected language cases with recordings");
    assert!(
        failures.is_empty(),
        "{} of {checked} recordings differ:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
