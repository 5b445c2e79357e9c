//! `threadline-bench`: the engine's benchmark harness (run it in release mode).
//!
//! ```text
//! threadline-bench [--quick] [--json] [--json-out FILE] [--strict] [--python PATH | --no-cpython]
//! threadline-bench --one SCENARIO_ID | --one @cpu-loop | --one @baseline
//! threadline-bench --explorer [--quick] [--json]
//! ```
//!
//! Measures, natively:
//! - the CPU-bound loop (`src/cpu_loop.py`: two threads, 1,000,000 iterations each) with full
//!   tracing: wall time, simulated instructions per second, trace events and JSON size;
//! - the same script under CPython 3.13 (`~/.pyenv/versions/3.13*/bin/python3`): process wall
//!   time and the script's own `perf_counter` time, and the simulator/CPython ratio;
//! - the time to simulate each bundled scenario;
//! - the peak RSS (`VmHWM`) of a child process (`--one ID`) that runs one scenario.
//!
//! Times are medians over several runs after one warm-up run, each as wall time and as CPU
//! time (the simulating thread's; the CPython process's user + system time): on a shared
//! machine wall time also counts the time spent waiting for a core. Targets are judged on
//! wall time. `--quick` runs fewer repetitions, `--json` prints one JSON object instead of
//! tables (`--json-out FILE` writes it to a file as well as printing the tables), `--strict`
//! exits with status 1 when a target is missed.

mod cputime;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use serde_json::{json, Value};
use threadline_engine::{run, scenarios, RunOptions, Trace};
use threadline_engine::{ExploreOptions, Explorer};

/// The CPU-bound script: two threads, each 1,000,000 iterations of `acc += i % 7; i += 1`.
const CPU_LOOP: &str = include_str!("cpu_loop.py");

/// Simulator wall time on the CPU loop may be at most this many times CPython's.
const TARGET_CPU_RATIO: f64 = 2.0;
/// Each bundled scenario simulates in less than this.
const TARGET_SCENARIO_MS: f64 = 10.0;
/// Peak RSS of a process that simulates one scenario (decimal megabytes).
const TARGET_PEAK_MB: f64 = 20.0;

const USAGE: &str = "usage:
  threadline-bench [--quick] [--json] [--json-out FILE] [--strict] [--python PATH | --no-cpython]
  threadline-bench --one SCENARIO_ID | --one @cpu-loop | --one @baseline
  threadline-bench --explorer [--quick] [--json]

  --quick       fewer repetitions
  --json        one JSON object on stdout instead of tables
  --json-out F  also write that JSON object to file F (the tables still go to stdout)
  --strict      exit status 1 when a target is missed
  --python P    the CPython to compare with (default: ~/.pyenv/versions/3.13*/bin/python3)
  --no-cpython  skip the CPython comparison
  --one ID      (internal) simulate one scenario, print its peak RSS as JSON
  --explorer    only the outcome explorer's table";

struct Config {
    quick: bool,
    json: bool,
    json_out: Option<PathBuf>,
    strict: bool,
    python: Option<PathBuf>,
    no_cpython: bool,
    explorer_only: bool,
}

/// Repetitions (each after one untimed warm-up run).
struct Reps {
    cpu_loop: usize,
    cpython: usize,
    scenario: usize,
}

impl Reps {
    fn new(quick: bool) -> Reps {
        if quick {
            Reps {
                cpu_loop: 3,
                cpython: 3,
                scenario: 5,
            }
        } else {
            Reps {
                cpu_loop: 9,
                cpython: 9,
                scenario: 31,
            }
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut config = Config {
        quick: false,
        json: false,
        json_out: None,
        strict: false,
        python: None,
        no_cpython: false,
        explorer_only: false,
    };
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--one" => {
                let Some(target) = args.get(i + 1) else {
                    return usage_error("--one needs a scenario id");
                };
                return one(target);
            }
            "--quick" => config.quick = true,
            "--json" => config.json = true,
            "--strict" => config.strict = true,
            "--no-cpython" => config.no_cpython = true,
            "--explorer" => config.explorer_only = true,
            "--json-out" => {
                let Some(path) = args.get(i + 1) else {
                    return usage_error("--json-out needs a path");
                };
                config.json_out = Some(PathBuf::from(path));
                i += 1;
            }
            "--python" => {
                let Some(path) = args.get(i + 1) else {
                    return usage_error("--python needs a path");
                };
                config.python = Some(PathBuf::from(path));
                i += 1;
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => return usage_error(&format!("unknown argument {other}")),
        }
        i += 1;
    }
    if config.explorer_only {
        let report = bench_explorer(config.quick);
        if config.json {
            println!("{}", serde_json::to_string_pretty(&report).expect("report serializes"));
        }
        return ExitCode::SUCCESS;
    }
    match bench(&config) {
        Ok(report) => {
            if let Some(path) = &config.json_out {
                let text = serde_json::to_string_pretty(&report).expect("report serializes");
                if let Err(e) = std::fs::write(path, text + "\n") {
                    eprintln!("threadline-bench: cannot write {}: {e}", path.display());
                    return ExitCode::from(2);
                }
            }
            if config.json {
                println!("{}", serde_json::to_string_pretty(&report).expect("report serializes"));
            } else {
                print_tables(&report);
            }
            let all_met = report["targets"]
                .as_array()
                .is_some_and(|t| t.iter().all(|t| t["met"] != json!(false)));
            if config.strict && !all_met {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("threadline-bench: {e}");
            ExitCode::from(2)
        }
    }
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("threadline-bench: {msg}\n{USAGE}");
    ExitCode::from(2)
}

/// `--one TARGET`: simulate once in this (child) process and print its peak RSS.
fn one(target: &str) -> ExitCode {
    let trace = match target {
        "@baseline" => None,
        "@cpu-loop" => Some(run(CPU_LOOP, &RunOptions::default())),
        id => match scenarios::find(id) {
            Some(s) => Some(run(&s.script, &s.run_options())),
            None => {
                eprintln!("threadline-bench: no scenario with id {id}");
                return ExitCode::from(2);
            }
        },
    };
    let Some(peak_kb) = peak_rss_kb() else {
        eprintln!("threadline-bench: cannot read VmHWM from /proc/self/status");
        return ExitCode::from(2);
    };
    let instructions = trace.as_ref().map_or(0, |t| t.outcome.instructions);
    let events = trace.as_ref().map_or(0, |t| t.events.len());
    println!(
        "{}",
        json!({ "target": target, "peak_rss_kb": peak_kb, "instructions": instructions, "events": events })
    );
    ExitCode::SUCCESS
}

/// `VmHWM` (peak resident set size) of this process, in kB.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `--one TARGET` in a child process of this binary; returns its peak RSS in kB.
fn child_peak_rss_kb(target: &str) -> Result<u64, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot locate own executable: {e}"))?;
    let out = Command::new(exe)
        .args(["--one", target])
        .output()
        .map_err(|e| format!("cannot run child for {target}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "child for {target} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let v: Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("child for {target}: bad output: {e}"))?;
    v["peak_rss_kb"]
        .as_u64()
        .ok_or_else(|| format!("child for {target}: no peak_rss_kb"))
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn min(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::INFINITY, f64::min)
}

fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// Wall and CPU times of repeated runs, in milliseconds.
#[derive(Default)]
struct Times {
    wall: Vec<f64>,
    cpu: Vec<f64>,
}

impl Times {
    fn push(&mut self, wall_ms: f64, cpu_ms: Option<f64>) {
        self.wall.push(wall_ms);
        if let Some(c) = cpu_ms {
            self.cpu.push(c);
        }
    }

    /// Median and minimum of the wall and (when measured) CPU times under `prefix_*` keys.
    fn fill(&self, prefix: &str, into: &mut Value) {
        into[format!("{prefix}wall_ms_median")] = json!(round(median(&self.wall), 4));
        into[format!("{prefix}wall_ms_min")] = json!(round(min(&self.wall), 4));
        let cpu = |v: f64| {
            if self.cpu.len() == self.wall.len() {
                json!(round(v, 4))
            } else {
                Value::Null
            }
        };
        into[format!("{prefix}cpu_ms_median")] = cpu(median(&self.cpu));
        into[format!("{prefix}cpu_ms_min")] = cpu(min(&self.cpu));
    }
}

/// One untimed warm-up run (whose trace is returned), then `reps` timed runs.
fn time_simulation(source: &str, options: &RunOptions, reps: usize) -> (Trace, Times) {
    let trace = run(source, options);
    let mut times = Times::default();
    for _ in 0..reps {
        let cpu_start = cputime::thread_ms();
        let start = Instant::now();
        let t = run(source, options);
        let wall = start.elapsed().as_secs_f64() * 1e3;
        let cpu = cputime::thread_ms().zip(cpu_start).map(|(end, start)| end - start);
        std::hint::black_box(t);
        times.push(wall, cpu);
    }
    (trace, times)
}

/// The 1-, 5- and 15-minute load averages (how busy the machine was).
fn load_average() -> Value {
    match std::fs::read_to_string("/proc/loadavg") {
        Ok(s) => json!(s.split_whitespace().take(3).collect::<Vec<_>>().join(" ")),
        Err(_) => Value::Null,
    }
}

/// Size facts about a trace, and how its run ended.
fn trace_facts(trace: &Trace) -> Value {
    let bytes = serde_json::to_string(trace).expect("trace serializes").len();
    let stop = serde_json::to_value(&trace.outcome.stop).expect("stop reason serializes");
    json!({
        "instructions": trace.outcome.instructions,
        "events": trace.events.len(),
        "output_lines": trace.output.len(),
        "trace_bytes": bytes,
        "stop": stop["reason"],
        "exit_code": trace.outcome.exit_code,
        "diagnostics": trace.diagnostics.len(),
    })
}

fn bench(config: &Config) -> Result<Value, String> {
    let reps = Reps::new(config.quick);
    let load_start = load_average();
    let mut targets = Vec::new();

    // (a) The CPU-bound loop, full tracing.
    let (trace, times) = time_simulation(CPU_LOOP, &RunOptions::default(), reps.cpu_loop);
    if trace.output.first().map(|l| l.text.as_str()) != Some("done") {
        return Err("the CPU loop did not print \"done\" in the simulator".into());
    }
    let mut cpu = trace_facts(&trace);
    cpu["runs"] = json!(reps.cpu_loop);
    times.fill("", &mut cpu);
    let wall_ms = median(&times.wall);
    let cpu_ms = cpu["cpu_ms_median"].as_f64();
    let instructions = trace.outcome.instructions as f64;
    cpu["instructions_per_sec"] = json!((instructions / (wall_ms / 1e3)).round());
    cpu["instructions_per_cpu_sec"] = json!(cpu_ms.map(|ms| (instructions / (ms / 1e3)).round()));
    cpu["peak_rss_kb"] = json!(child_peak_rss_kb("@cpu-loop")?);

    // (b) The same script under CPython.
    let cpython = if config.no_cpython {
        json!({ "skipped": "--no-cpython" })
    } else {
        match config.python.clone().or_else(find_cpython) {
            None => {
                json!({ "skipped": "CPython 3.13 not found (~/.pyenv/versions/3.13*/bin/python3); pass --python PATH" })
            }
            Some(python) => {
                let mut c = cpython_bench(&python, reps.cpython)?;
                let process_ms = c["process_wall_ms_median"].as_f64().unwrap_or(f64::NAN);
                let script_ms = c["script_elapsed_ms_median"].as_f64().unwrap_or(f64::NAN);
                let ratio = wall_ms / process_ms;
                c["wall_ratio"] = json!(round(ratio, 3));
                c["wall_ratio_vs_script"] = json!(round(wall_ms / script_ms, 3));
                let cpu_ratio = cpu_ms
                    .zip(c["process_cpu_ms_median"].as_f64())
                    .map(|(s, p)| round(s / p, 3));
                c["cpu_ratio"] = json!(cpu_ratio);
                c["speed_vs_cpython"] = json!(round(process_ms / wall_ms, 3));
                targets.push(json!({
                    "name": "CPU loop: simulator time <= 2x CPython process time",
                    "value": round(ratio, 3),
                    "cpu_value": cpu_ratio,
                    "limit": TARGET_CPU_RATIO,
                    "met": ratio <= TARGET_CPU_RATIO,
                }));
                c
            }
        }
    };

    // (c) + (d) Every bundled scenario, after the fixed cost of any run (an empty script).
    let all = scenarios::all();
    if all.is_empty() {
        return Err("no bundled scenarios".into());
    }
    let (_, times) = time_simulation("", &RunOptions::default(), reps.scenario);
    let mut empty = json!({ "runs": reps.scenario });
    times.fill("", &mut empty);
    let baseline_kb = child_peak_rss_kb("@baseline")?;
    let mut rows = Vec::new();
    for s in &all {
        let (trace, times) = time_simulation(&s.script, &s.run_options(), reps.scenario);
        let mut row = json!({ "id": s.meta.id, "group": s.group, "python": s.run_options().python.label() });
        times.fill("", &mut row);
        for (k, v) in trace_facts(&trace).as_object().expect("facts are an object") {
            row[k] = v.clone();
        }
        row["peak_rss_kb"] = json!(child_peak_rss_kb(&s.meta.id)?);
        rows.push(row);
    }
    let column = |key: &str| -> Vec<f64> { rows.iter().filter_map(|r| r[key].as_f64()).collect() };
    let argmax = |key: &str| -> &Value {
        rows.iter()
            .max_by(|a, b| {
                a[key]
                    .as_f64()
                    .unwrap_or(0.0)
                    .total_cmp(&b[key].as_f64().unwrap_or(0.0))
            })
            .map_or(&Value::Null, |r| &r["id"])
    };
    let (walls, cpus, peaks) = (column("wall_ms_median"), column("cpu_ms_median"), column("peak_rss_kb"));
    let max = |v: &[f64]| v.iter().copied().fold(f64::NAN, f64::max);
    let max_ms = max(&walls);
    let max_cpu_ms = (cpus.len() == walls.len()).then(|| max(&cpus));
    let max_kb = max(&peaks);
    let summary = json!({
        "count": rows.len(),
        "runs_each": reps.scenario,
        "wall_ms_max": max_ms,
        "wall_ms_max_id": argmax("wall_ms_median"),
        "wall_ms_median": round(median(&walls), 4),
        "wall_ms_total": round(walls.iter().sum::<f64>(), 3),
        "wall_under_target": walls.iter().filter(|&&ms| ms < TARGET_SCENARIO_MS).count(),
        "cpu_under_target": max_cpu_ms.map(|_| cpus.iter().filter(|&&ms| ms < TARGET_SCENARIO_MS).count()),
        "cpu_ms_max": max_cpu_ms,
        "cpu_ms_max_id": if max_cpu_ms.is_some() { argmax("cpu_ms_median").clone() } else { Value::Null },
        "cpu_ms_median": max_cpu_ms.map(|_| round(median(&cpus), 4)),
        "peak_rss_kb_max": max_kb as u64,
        "peak_rss_kb_max_id": argmax("peak_rss_kb"),
        "peak_rss_kb_median": median(&peaks) as u64,
        "peak_rss_kb_baseline": baseline_kb,
    });
    targets.push(json!({
        "name": "every scenario simulates in < 10 ms",
        "value": max_ms,
        "cpu_value": max_cpu_ms,
        "limit": TARGET_SCENARIO_MS,
        "met": max_ms < TARGET_SCENARIO_MS,
    }));
    let max_mb = max_kb * 1024.0 / 1e6;
    targets.push(json!({
        "name": "peak RSS of a process simulating one scenario < 20 MB",
        "value": round(max_mb, 2),
        "limit": TARGET_PEAK_MB,
        "met": max_mb < TARGET_PEAK_MB,
    }));

    Ok(json!({
        "bench": "threadline-bench",
        "quick": config.quick,
        "profile": if cfg!(debug_assertions) { "debug" } else { "release" },
        "arch": std::env::consts::ARCH,
        "os": std::env::consts::OS,
        "cores": std::thread::available_parallelism().map_or(0, |n| n.get()),
        "load_average_start": load_start,
        "load_average_end": load_average(),
        "cpu_loop": cpu,
        "cpython": cpython,
        "empty_script": empty,
        "scenarios": rows,
        "scenario_summary": summary,
        "explorer": bench_explorer(config.quick),
        "targets": targets,
    }))
}

/// The newest `~/.pyenv/versions/3.13*/bin/python3`.
fn find_cpython() -> Option<PathBuf> {
    let versions = Path::new(&std::env::var_os("HOME")?).join(".pyenv/versions");
    let mut found: Vec<(Vec<u32>, PathBuf)> = std::fs::read_dir(versions)
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let rest = name.strip_prefix("3.13")?;
            if !(rest.is_empty() || rest.starts_with('.')) {
                return None;
            }
            let python = e.path().join("bin/python3");
            let key = name.split('.').map(|p| p.parse().unwrap_or(0)).collect();
            python.is_file().then_some((key, python))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, p)| p)
}

/// The CPU loop with its own `perf_counter` timing around everything after the imports.
fn timed_variant() -> String {
    let (imports, body) = CPU_LOOP
        .split_once("\n\n")
        .expect("the CPU loop starts with its imports");
    format!(
        "{imports}\nimport time\n_bench_t0 = time.perf_counter()\n\n{body}\
         print(f\"elapsed_ms {{(time.perf_counter() - _bench_t0) * 1e3:.4f}}\")\n"
    )
}

/// Runs `python script` once: wall time, CPU time (user + system) and stdout.
fn run_python(python: &Path, script: &Path) -> Result<(f64, Option<f64>, String), String> {
    let cpu_start = cputime::children_ms();
    let start = Instant::now();
    let out = Command::new(python)
        .arg(script)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    let wall = start.elapsed().as_secs_f64() * 1e3;
    let cpu = cputime::children_ms().zip(cpu_start).map(|(end, start)| end - start);
    if !out.status.success() {
        return Err(format!(
            "{} {} failed: {}",
            python.display(),
            script.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok((wall, cpu, String::from_utf8_lossy(&out.stdout).into_owned()))
}

fn cpython_bench(python: &Path, reps: usize) -> Result<Value, String> {
    let version = Command::new(python)
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    let version = String::from_utf8_lossy(&version.stdout).trim().to_string();

    let dir = std::env::temp_dir().join(format!("threadline-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let plain = dir.join("cpu_loop.py");
    let timed = dir.join("cpu_loop_timed.py");
    let written = std::fs::write(&plain, CPU_LOOP).and_then(|_| std::fs::write(&timed, timed_variant()));
    let result = written.map_err(|e| format!("cannot write scripts: {e}")).and_then(|_| {
        // The plain script's process: wall and CPU time (one warm-up run first).
        let mut process = Times::default();
        for k in 0..=reps {
            let (wall, cpu, stdout) = run_python(python, &plain)?;
            if stdout.trim() != "done" {
                return Err(format!("CPython printed {stdout:?}, not \"done\""));
            }
            if k > 0 {
                process.push(wall, cpu);
            }
        }
        // The variant's own perf_counter time.
        let mut script = Vec::new();
        for k in 0..=reps {
            let (_, _, stdout) = run_python(python, &timed)?;
            let elapsed = stdout
                .lines()
                .find_map(|l| l.strip_prefix("elapsed_ms "))
                .and_then(|v| v.trim().parse::<f64>().ok())
                .ok_or_else(|| format!("the timed CPython run printed no elapsed time: {stdout:?}"))?;
            if k > 0 {
                script.push(elapsed);
            }
        }
        Ok((process, script))
    });
    let _ = std::fs::remove_dir_all(&dir);
    let (process, script) = result?;
    let mut c = json!({
        "python": python.display().to_string(),
        "version": version,
        "runs": reps,
        "script_elapsed_ms_median": round(median(&script), 3),
        "script_elapsed_ms_min": round(min(&script), 3),
    });
    process.fill("process_", &mut c);
    Ok(c)
}

fn num(v: &Value) -> String {
    match v.as_f64() {
        Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => group_digits(x as i64),
        Some(x) => format!("{x}"),
        None => v.as_str().map_or_else(|| v.to_string(), str::to_string),
    }
}

/// `12345678` → `12,345,678`.
fn group_digits(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

fn mb(kb: &Value) -> String {
    format!("{:.1} MB", kb.as_u64().unwrap_or(0) as f64 * 1024.0 / 1e6)
}

fn ms(v: &Value) -> String {
    match v.as_f64() {
        Some(x) if x >= 100.0 => format!("{x:.0} ms"),
        Some(x) => format!("{x:.2} ms"),
        None => "-".to_string(),
    }
}

fn ratio(v: &Value) -> String {
    v.as_f64().map_or_else(|| "-".to_string(), |x| format!("{x:.2}x"))
}

fn print_tables(r: &Value) {
    let cpu = &r["cpu_loop"];
    let quick = if r["quick"] == json!(true) { ", --quick" } else { "" };
    println!(
        "Threadline engine benchmark: {} build, {}-{}, {} cores, load average {} at start{quick}",
        num(&r["profile"]),
        num(&r["os"]),
        num(&r["arch"]),
        num(&r["cores"]),
        num(&r["load_average_start"]),
    );
    println!("Times are medians after one warm-up run; CPU = user + system time of the run alone.");
    let load: Option<f64> = r["load_average_start"]
        .as_str()
        .and_then(|l| l.split(' ').next()?.parse().ok());
    let cores = r["cores"].as_f64().unwrap_or(1.0);
    if load.is_some_and(|l| l > cores) {
        println!("The machine is busy (load above its core count): wall times include waiting for a core; compare CPU times.");
    }
    println!();
    println!("CPU loop: 2 threads x 1,000,000 iterations of `acc += i % 7; i += 1`, full tracing");
    let per_sec = |v: &Value| {
        v.as_f64()
            .map_or_else(|| "-".to_string(), |x| format!("{:.1} M", x / 1e6))
    };
    let rows = [
        ("runs", num(&cpu["runs"])),
        (
            "wall time (min)",
            format!("{} ({})", ms(&cpu["wall_ms_median"]), ms(&cpu["wall_ms_min"])),
        ),
        (
            "CPU time (min)",
            format!("{} ({})", ms(&cpu["cpu_ms_median"]), ms(&cpu["cpu_ms_min"])),
        ),
        ("simulated instructions", num(&cpu["instructions"])),
        ("instructions / s (wall)", per_sec(&cpu["instructions_per_sec"])),
        ("instructions / s (CPU)", per_sec(&cpu["instructions_per_cpu_sec"])),
        ("trace events", num(&cpu["events"])),
        ("trace JSON (serde_json)", format!("{} bytes", num(&cpu["trace_bytes"]))),
        ("stop reason", num(&cpu["stop"])),
        ("peak RSS (child process)", mb(&cpu["peak_rss_kb"])),
    ];
    for (k, v) in rows {
        println!("  {k:<32} {v}");
    }
    println!();

    let c = &r["cpython"];
    if let Some(reason) = c["skipped"].as_str() {
        println!("CPython comparison skipped: {reason}");
    } else {
        println!("The same script under {} ({})", num(&c["version"]), num(&c["python"]));
        let rows = [
            (
                "process wall time (min)",
                format!(
                    "{} ({})",
                    ms(&c["process_wall_ms_median"]),
                    ms(&c["process_wall_ms_min"])
                ),
            ),
            (
                "process CPU time (min)",
                format!("{} ({})", ms(&c["process_cpu_ms_median"]), ms(&c["process_cpu_ms_min"])),
            ),
            (
                "in-script perf_counter (min)",
                format!(
                    "{} ({})",
                    ms(&c["script_elapsed_ms_median"]),
                    ms(&c["script_elapsed_ms_min"])
                ),
            ),
            (
                "simulator / CPython, wall",
                format!("{} (target <= {TARGET_CPU_RATIO:.1}x)", ratio(&c["wall_ratio"])),
            ),
            ("simulator / CPython, CPU", ratio(&c["cpu_ratio"])),
            ("simulator / CPython in-script", ratio(&c["wall_ratio_vs_script"])),
            (
                "simulator speed vs CPython",
                format!("{} (target >= 0.50x)", ratio(&c["speed_vs_cpython"])),
            ),
        ];
        for (k, v) in rows {
            println!("  {k:<32} {v}");
        }
    }
    println!();

    let e = &r["empty_script"];
    println!(
        "Fixed cost of any run (an empty script: parse, compile, the simulated library): wall {}, CPU {}",
        ms(&e["wall_ms_median"]),
        ms(&e["cpu_ms_median"]),
    );
    println!();

    let s = &r["scenario_summary"];
    println!(
        "Bundled scenarios: {} of them, {} timed runs each",
        num(&s["count"]),
        num(&s["runs_each"])
    );
    let rows = r["scenarios"].as_array().map_or(&[][..], Vec::as_slice);
    let w = rows
        .iter()
        .filter_map(|row| row["id"].as_str())
        .map(str::len)
        .max()
        .unwrap_or(0)
        .max(2);
    println!(
        "  {:<w$} {:>10} {:>10} {:>12} {:>7} {:>11} {:>9}  stop",
        "id", "wall", "CPU", "instructions", "events", "trace bytes", "peak RSS"
    );
    for row in rows {
        println!(
            "  {:<w$} {:>10} {:>10} {:>12} {:>7} {:>11} {:>9}  {}",
            num(&row["id"]),
            ms(&row["wall_ms_median"]),
            ms(&row["cpu_ms_median"]),
            num(&row["instructions"]),
            num(&row["events"]),
            num(&row["trace_bytes"]),
            mb(&row["peak_rss_kb"]),
            num(&row["stop"]),
        );
    }
    println!(
        "  wall: max {} ({}), median {}, total {}; {} of {} under {TARGET_SCENARIO_MS} ms",
        ms(&s["wall_ms_max"]),
        num(&s["wall_ms_max_id"]),
        ms(&s["wall_ms_median"]),
        ms(&s["wall_ms_total"]),
        num(&s["wall_under_target"]),
        num(&s["count"]),
    );
    println!(
        "  CPU:  max {} ({}), median {}; {} of {} under {TARGET_SCENARIO_MS} ms",
        ms(&s["cpu_ms_max"]),
        num(&s["cpu_ms_max_id"]),
        ms(&s["cpu_ms_median"]),
        num(&s["cpu_under_target"]),
        num(&s["count"]),
    );
    println!(
        "  peak RSS: max {} ({}), median {}; the bench binary simulating nothing: {}",
        mb(&s["peak_rss_kb_max"]),
        num(&s["peak_rss_kb_max_id"]),
        mb(&s["peak_rss_kb_median"]),
        mb(&s["peak_rss_kb_baseline"]),
    );
    println!();

    println!("Targets (judged on wall time; CPU time in brackets)");
    for t in r["targets"].as_array().into_iter().flatten() {
        let verdict = if t["met"] == json!(true) { "met" } else { "MISSED" };
        let cpu = if t["cpu_value"].is_null() {
            String::new()
        } else {
            format!(" [CPU {}]", num(&t["cpu_value"]))
        };
        println!(
            "  {verdict:<6} {}: measured {}{cpu}, limit {}",
            num(&t["name"]),
            num(&t["value"]),
            num(&t["limit"])
        );
    }
}

/// The lost-update program of the explorer's tests: 2 threads x 3 increments through a call.
pub const LOST_UPDATE: &str = "import threading\n\ncounter = 0\n\n\ndef add_one(v):\n    return v + 1\n\n\ndef work():\n    global counter\n    for _ in range(3):\n        counter = add_one(counter)\n\n\nthreads = [threading.Thread(target=work) for _ in range(2)]\nfor t in threads:\n    t.start()\nfor t in threads:\n    t.join()\nprint(\"counter =\", counter)\n";

/// Instructions per slice of an exploration made the page's way.
const SLICE_INSTRUCTIONS: u64 = 20_000;

/// Explores `script` to the end; returns (schedules, outcomes, complete, wall ms, CPU ms).
fn time_exploration(script: &str, options: &RunOptions, x: ExploreOptions) -> (u64, usize, bool, f64, Option<f64>) {
    let start = Instant::now();
    let cpu_start = cputime::thread_ms();
    let report = match Explorer::new(script, options, x) {
        Ok(mut e) => e.run_to_end(),
        Err(_) => return (0, 0, false, 0.0, None),
    };
    let ms = start.elapsed().as_secs_f64() * 1e3;
    let cpu = cputime::thread_ms().zip(cpu_start).map(|(end, start)| end - start);
    (report.schedules, report.outcomes.len(), report.complete, ms, cpu)
}

/// " (CPU 12.3 ms)", or nothing where CPU time is not known.
fn cpu_note(cpu: Option<f64>) -> String {
    cpu.map(|c| format!(" (CPU {c:.1} ms)")).unwrap_or_default()
}

/// The outcome explorer: every schedule of each seed scenario with the default bound, and the
/// lost update with reduction on and off.
fn bench_explorer(quick: bool) -> Value {
    println!();
    println!("Outcome explorer (DFS, wall time; CPU time of the exploring thread in brackets)");
    let mut seeds = Vec::new();
    for s in scenarios::all().iter().filter(|s| s.group.starts_with("seed-")) {
        let (schedules, outcomes, complete, ms, cpu) =
            time_exploration(&s.script, &s.run_options(), ExploreOptions::default());
        println!(
            "  {:<40} {:>6} schedules {:>3} outcomes {:>9.1} ms{}{}",
            format!("{}/{}", s.group, s.meta.id),
            schedules,
            outcomes,
            ms,
            cpu_note(cpu),
            if complete {
                ""
            } else {
                " (stopped at the schedule limit)"
            }
        );
        seeds.push(
            json!({ "id": s.meta.id, "group": s.group, "schedules": schedules, "outcomes": outcomes,
            "complete": complete, "wall_ms": round(ms, 3), "cpu_ms": cpu.map(|c| round(c, 3)) }),
        );
    }
    let total_ms: f64 = seeds.iter().map(|r| r["wall_ms"].as_f64().unwrap_or(0.0)).sum();
    let max_ms = seeds
        .iter()
        .map(|r| r["wall_ms"].as_f64().unwrap_or(0.0))
        .fold(0.0, f64::max);
    let total_cpu: Option<f64> = seeds.iter().map(|r| r["cpu_ms"].as_f64()).sum();
    println!(
        "  seed scenarios: {} explored, {:.1} ms in all{}, slowest {:.1} ms",
        seeds.len(),
        total_ms,
        cpu_note(total_cpu),
        max_ms
    );
    let bound = if quick { 3 } else { 4 };
    let mut lost = Vec::new();
    for reduction in [true, false] {
        let x = ExploreOptions {
            reduction,
            preemption_bound: Some(bound),
            max_schedules: 1_000_000,
            ..ExploreOptions::default()
        };
        let (schedules, outcomes, complete, ms, cpu) = time_exploration(LOST_UPDATE, &RunOptions::default(), x);
        println!(
            "  lost update, bound {bound}, reduction {}: {schedules} schedules, {outcomes} outcomes, {ms:.0} ms{} ({:.0} schedules/s){}",
            if reduction { "on " } else { "off" },
            cpu_note(cpu),
            schedules as f64 / (ms / 1e3),
            if complete { "" } else { " (incomplete)" }
        );
        lost.push(
            json!({ "reduction": reduction, "preemption_bound": bound, "schedules": schedules,
            "outcomes": outcomes, "complete": complete, "wall_ms": round(ms, 3),
            "cpu_ms": cpu.map(|c| round(c, 3)),
            "schedules_per_sec": (schedules as f64 / (ms / 1e3)).round() }),
        );
    }
    let factor = |k: &str| lost[1][k].as_f64().unwrap_or(0.0) / lost[0][k].as_f64().unwrap_or(1.0).max(1e-9);
    println!(
        "  reduction: {:.3}x fewer schedules, {:.3}x less time",
        factor("schedules"),
        factor("wall_ms")
    );
    // Without a bound: DPOR against every schedule (capped: there are too many to finish).
    let cap = if quick { 50_000 } else { 1_000_000 };
    let mut unbounded = Vec::new();
    for reduction in [true, false] {
        let x = ExploreOptions {
            reduction,
            preemption_bound: None,
            max_schedules: cap,
            ..ExploreOptions::default()
        };
        let (schedules, outcomes, complete, ms, cpu) = time_exploration(LOST_UPDATE, &RunOptions::default(), x);
        println!(
            "  lost update, no bound, {}: {schedules} schedules, {outcomes} outcomes, {ms:.0} ms{} ({:.0} schedules/s){}",
            if reduction { "DPOR" } else { "no reduction" },
            cpu_note(cpu),
            schedules as f64 / (ms / 1e3),
            if complete {
                ""
            } else {
                " (stopped at the cap: not finished)"
            }
        );
        unbounded.push(
            json!({ "reduction": reduction, "schedules": schedules, "outcomes": outcomes,
            "complete": complete, "wall_ms": round(ms, 3), "cpu_ms": cpu.map(|c| round(c, 3)) }),
        );
    }
    // The page's way: slices of about STEP_INSTRUCTIONS (src/components/explorer_panel.rs).
    let mut sliced = Vec::new();
    for (id, max_schedules) in [("daemon-busy-thread", 2), ("mp-is-alive-busy-loop", 2)] {
        let Some(s) = scenarios::find(id) else { continue };
        let x = ExploreOptions {
            max_schedules,
            ..ExploreOptions::default()
        };
        let Ok(mut e) = Explorer::new(&s.script, &s.run_options(), x) else {
            continue;
        };
        let mut slices = Vec::new();
        let start = Instant::now();
        loop {
            let t = Instant::now();
            let more = e.advance(SLICE_INSTRUCTIONS);
            slices.push(t.elapsed().as_secs_f64() * 1e3);
            if !more {
                break;
            }
        }
        let ms = start.elapsed().as_secs_f64() * 1e3;
        let longest = slices.iter().copied().fold(0.0, f64::max);
        println!(
            "  {id}, {} schedules in slices of {SLICE_INSTRUCTIONS} instructions: {} slices, {ms:.0} ms, longest {longest:.2} ms, median {:.3} ms",
            e.runs(),
            slices.len(),
            median(&slices)
        );
        sliced.push(
            json!({ "id": id, "schedules": e.runs(), "slices": slices.len(), "wall_ms": round(ms, 3),
            "longest_ms": round(longest, 3), "median_ms": round(median(&slices), 4) }),
        );
    }
    json!({
        "sliced": sliced,
        "seed_scenarios": seeds,
        "seed_total_ms": round(total_ms, 3),
        "seed_max_ms": round(max_ms, 3),
        "lost_update": lost,
        "lost_update_unbounded": unbounded,
        "schedules_factor": round(factor("schedules"), 3),
        "time_factor": round(factor("wall_ms"), 3),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn digits_are_grouped() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1000), "1,000");
        assert_eq!(group_digits(-12345678), "-12,345,678");
    }

    #[test]
    fn timed_variant_keeps_the_script_and_prints_elapsed() {
        let v = timed_variant();
        assert!(v.starts_with("import threading\nimport time\n"));
        assert!(v.contains("while i < 1000000:"));
        assert!(v.trim_end().ends_with("* 1e3:.4f}\")"));
    }

    #[test]
    fn peak_rss_is_readable_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(peak_rss_kb().is_some_and(|kb| kb > 0));
        }
    }
}
