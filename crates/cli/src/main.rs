//! `threadline`: the command-line front end of the simulator.
//!
//! ```text
//! threadline run SCRIPT.py [--seed N] [--until SECONDS] [--python 3.12|3.13|3.14|3.15] [--json] [--chrome-trace FILE]
//! threadline check SCRIPT.py
//! threadline explore SCRIPT.py [--max-schedules N] [--preemption-bound K|none] [--strategy dfs|random|pct] [--no-reduction] [--json]
//! threadline scenarios
//! ```

use std::io::Write;
use std::process::ExitCode;

/// Prints a line; a closed pipe (`threadline ... | head`) is not an error.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

use threadline_engine::Schedule;
use threadline_engine::{export, report, run, scenarios, PyVersion, RunOptions, SignalSpec, Stream, Trace};
use threadline_engine::{ExploreOptions, Explorer, Strategy};

const USAGE: &str = "usage:
  threadline run SCRIPT.py [--seed N] [--until SECONDS] [--python 3.12|3.13|3.14|3.15] [--signal T:SIG[:TARGET]]... [--json] [--trace] [--chrome-trace FILE] [-- ARGS...]
  threadline check SCRIPT.py
  threadline explore SCRIPT.py [--max-schedules N] [--preemption-bound K|none] [--strategy dfs|random|pct] [--no-reduction] [--json] [run options]
  threadline scenarios

run      simulate SCRIPT.py and print its terminal output with virtual times, then how it ended
         --json   one JSON object: lines, exit_code, exit_t, still_running, processes, explanation
         --trace  the whole versioned trace as JSON
         --chrome-trace FILE  also write the run in the Chrome Trace Event Format (Perfetto,
                  chrome://tracing) to FILE; `-` prints it instead of the terminal
         --signal 3.3:INT sends SIGINT at 3.3 s to the foreground process group (a terminal's Ctrl-C);
                  2.0:TERM:main or 2.0:KILL:1001 target one process; repeatable
         -- ARGS  the script's own arguments (sys.argv[1:])
         --schedule STR  replay a schedule found by `explore`
explore  run SCRIPT.py under many schedules and list its distinct outcomes, how many schedules
         reached each, and the shortest schedule that replays it
         --no-reduction  DFS: also run schedules that only reorder independent steps
check    print the diagnostics (syntax errors, unsupported constructs); exit status 1 if any
scenarios  list the bundled scenarios (id, group, title)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => cmd_run(&args[1..]),
        Some("check") => cmd_check(&args[1..]),
        Some("explore") => cmd_explore(&args[1..]),
        Some("scenarios") => cmd_scenarios(),
        Some("-h" | "--help" | "help") => {
            say!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("threadline: {msg}");
    ExitCode::from(2)
}

fn read_script(path: &str) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    String::from_utf8(bytes).map_err(|_| format!("{path} is not UTF-8 text"))
}

/// Options shared by `run` and `explore`.
struct Parsed {
    opts: RunOptions,
    path: String,
    json: bool,
    full_trace: bool,
    chrome_trace: Option<String>,
    explore: ExploreOptions,
}

fn parse(args: &[String]) -> Result<Parsed, String> {
    let mut opts = RunOptions::default();
    let mut explore = ExploreOptions::default();
    let mut path = None;
    let mut json = false;
    let mut full_trace = false;
    let mut chrome_trace = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" {
            opts.argv = args[i + 1..].to_vec();
            break;
        }
        let value = args.get(i + 1).cloned();
        let mut takes_value = true;
        match a {
            "--json" => {
                json = true;
                takes_value = false;
            }
            "--trace" => {
                full_trace = true;
                takes_value = false;
            }
            "--chrome-trace" => {
                chrome_trace = Some(value.ok_or("--chrome-trace needs a file name (or - for stdout)")?);
            }
            "--no-reduction" => {
                explore.reduction = false;
                takes_value = false;
            }
            "--seed" => {
                opts.seed = value
                    .and_then(|v| v.parse().ok())
                    .ok_or("--seed needs a non-negative integer")?
            }
            "--until" => {
                let s = value
                    .and_then(|v| v.parse::<f64>().ok())
                    .filter(|s| *s > 0.0 && *s <= 86_400.0)
                    .ok_or("--until needs a number of seconds between 0 and 86400")?;
                opts.horizon_ns = (s * 1e9) as u64;
            }
            "--signal" => {
                let v = value.ok_or("--signal needs TIME:SIGNAL[:main|:group|:PID], e.g. 3.3:INT")?;
                opts.signals
                    .push(SignalSpec::parse(&v).map_err(|e| format!("--signal {e}"))?);
            }
            "--python" => {
                opts.python = value
                    .as_deref()
                    .and_then(PyVersion::parse)
                    .ok_or("--python must be 3.12, 3.13, 3.14 or 3.15 (default 3.14)")?
            }
            "--schedule" => {
                let v = value.ok_or("--schedule needs a schedule string (from `threadline explore`)")?;
                opts.schedule = Some(Schedule::decode(&v).map_err(|e| format!("--schedule: {e}"))?);
            }
            "--max-schedules" => {
                explore.max_schedules = value
                    .and_then(|v| v.parse().ok())
                    .filter(|n| *n > 0)
                    .ok_or("--max-schedules needs a positive integer")?
            }
            "--preemption-bound" => {
                explore.preemption_bound = match value.as_deref() {
                    Some("none") => None,
                    v => Some(
                        v.and_then(|v| v.parse().ok())
                            .filter(|n| *n <= 20)
                            .ok_or("--preemption-bound needs an integer from 0 to 20, or none")?,
                    ),
                }
            }
            "--strategy" => {
                explore.strategy = value
                    .as_deref()
                    .and_then(Strategy::parse)
                    .ok_or("--strategy must be dfs, random or pct")?
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s => {
                if path.is_some() {
                    return Err("only one script may be given".into());
                }
                path = Some(s.to_string());
                takes_value = false;
            }
        }
        i += if takes_value { 2 } else { 1 };
    }
    let path = path.ok_or("a script is needed")?;
    opts.script_name = std::path::Path::new(&path)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or(path.clone());
    Ok(Parsed {
        opts,
        path,
        json,
        full_trace,
        chrome_trace,
        explore,
    })
}

fn cmd_run(args: &[String]) -> ExitCode {
    let p = match parse(args) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let source = match read_script(&p.path) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let trace = run(&source, &p.opts);
    if let Some(file) = &p.chrome_trace {
        let text = export::chrome_trace(&trace);
        if file == "-" {
            say!("{text}");
            return run_status(&trace);
        }
        if let Err(e) = std::fs::write(file, text + "\n") {
            return fail(&format!("cannot write {file}: {e}"));
        }
    }
    if p.full_trace {
        say!("{}", serde_json::to_string(&trace).expect("trace serializes"));
    } else if p.json {
        say!("{}", summary_json(&trace));
    } else {
        print_human(&trace);
    }
    run_status(&trace)
}

/// `run`'s exit status: 1 when the script could not be simulated.
fn run_status(trace: &Trace) -> ExitCode {
    if trace.diagnostics.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn cmd_explore(args: &[String]) -> ExitCode {
    let p = match parse(args) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let source = match read_script(&p.path) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let mut explorer = match Explorer::new(&source, &p.opts, p.explore.clone()) {
        Ok(x) => x,
        Err(diags) => {
            for d in &diags {
                say!("{}", d.render());
            }
            return ExitCode::from(1);
        }
    };
    let started = std::time::Instant::now();
    while explorer.step() {
        if started.elapsed().as_secs() >= 120 {
            break;
        }
    }
    let report = explorer.report();
    if p.json {
        say!("{}", serde_json::to_string_pretty(&report).expect("json"));
        return ExitCode::SUCCESS;
    }
    let all = if report.complete {
        ", every schedule within the bound"
    } else {
        ""
    };
    say!(
        "{} schedule(s) run{all}; {} distinct outcome(s)",
        report.schedules,
        report.outcomes.len()
    );
    for (i, o) in report.outcomes.iter().enumerate() {
        say!();
        let what = o.differs.clone().unwrap_or_else(|| "the default run's outcome".into());
        say!("outcome {}: {} schedule(s): {what}", i + 1, o.count);
        say!("  replay: threadline run {} --schedule {}", p.path, o.schedule);
        for l in &o.stdout {
            say!("  | {l}");
        }
        for l in &o.stderr {
            say!("  ! {l}");
        }
        for e in &o.explanation {
            say!("  = {e}");
        }
    }
    ExitCode::SUCCESS
}

fn print_human(trace: &Trace) {
    if !trace.diagnostics.is_empty() {
        for d in &trace.diagnostics {
            say!("{}", d.render());
        }
        return;
    }
    print!("{}", report::terminal(trace, true));
    say!("--");
    say!("{}", report::final_status(trace));
}

/// The stable JSON summary other tools read.
fn summary_json(trace: &Trace) -> String {
    let secs = |t: u64| serde_json::Value::from((t as f64 / 1e9 * 1e6).round() / 1e6);
    let lines: Vec<serde_json::Value> = trace
        .output
        .iter()
        .map(|l| {
            serde_json::json!({
                "t": secs(l.t_ns),
                "stream": match l.stream { Stream::Stdout => "stdout", Stream::Stderr => "stderr" },
                "pid": l.pid,
                "text": l.text,
            })
        })
        .collect();
    let processes: Vec<serde_json::Value> = trace
        .processes
        .iter()
        .map(|p| {
            serde_json::json!({
                "pid": p.pid,
                "ppid": p.ppid,
                "name": p.name,
                "daemon": p.daemon,
                "exit_code": p.exit_code,
                "exit_t": p.exit_ns.map(secs),
            })
        })
        .collect();
    let v = serde_json::json!({
        "trace_version": trace.version,
        "python": trace.python,
        "seed": trace.seed,
        "lines": lines,
        "exit_code": trace.outcome.exit_code,
        "exit_t": trace.outcome.exit_ns.map(secs),
        "still_running": trace.outcome.still_running,
        "processes": processes,
        "stop": trace.outcome.stop,
        "explanation": trace.outcome.explanation,
        "diagnostics": trace.diagnostics,
    });
    serde_json::to_string_pretty(&v).expect("json")
}

fn cmd_check(args: &[String]) -> ExitCode {
    let [path] = args else {
        return fail("check needs exactly one script");
    };
    let source = match read_script(path) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let d = threadline_engine::check(&source);
    for x in &d {
        say!("{path}:{}", x.render().trim_start_matches("line "));
    }
    if d.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn cmd_scenarios() -> ExitCode {
    for s in scenarios::all() {
        say!("{:<36} {:<10} {}", s.meta.id, s.group, s.meta.title);
    }
    ExitCode::SUCCESS
}
