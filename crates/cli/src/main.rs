//! `threadline`: the command-line front end of the simulator.
//!
//! ```text
//! threadline run SCRIPT.py [--seed N] [--until SECONDS] [--python 3.13|3.12] [--json]
//! threadline check SCRIPT.py
//! threadline scenarios
//! ```

use std::process::ExitCode;

use threadline_engine::{report, run, scenarios, RunOptions, Stream, Trace};

const USAGE: &str = "usage:
  threadline run SCRIPT.py [--seed N] [--until SECONDS] [--python 3.13|3.12] [--signal T:SIG[:TARGET]]... [--json] [--trace] [-- ARGS...]
  threadline check SCRIPT.py
  threadline scenarios

run      simulate SCRIPT.py and print its terminal output with virtual times, then how it ended
         --json   one JSON object: lines, exit_code, exit_t, still_running, processes, explanation
         --trace  the whole versioned trace as JSON
         --signal 3.3:INT sends SIGINT at 3.3 s to the foreground process group (a terminal's Ctrl-C);
                  2.0:TERM:main or 2.0:KILL:1001 target one process; repeatable
         -- ARGS  the script's own arguments (sys.argv[1:])
check    print the diagnostics (syntax errors, unsupported constructs); exit status 1 if any
scenarios  list the bundled scenarios (id, group, title)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => cmd_run(&args[1..]),
        Some("check") => cmd_check(&args[1..]),
        Some("scenarios") => cmd_scenarios(),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
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

fn cmd_run(args: &[String]) -> ExitCode {
    let mut opts = RunOptions::default();
    let mut path = None;
    let mut json = false;
    let mut full_trace = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" {
            opts.argv = args[i + 1..].to_vec();
            break;
        }
        let value = |i: usize| args.get(i + 1).cloned();
        match a {
            "--json" => json = true,
            "--trace" => full_trace = true,
            "--seed" => match value(i).and_then(|v| v.parse::<u64>().ok()) {
                Some(s) => {
                    opts.seed = s;
                    i += 1;
                }
                None => return fail("--seed needs a non-negative integer"),
            },
            "--until" => match value(i)
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|s| *s > 0.0 && *s <= 86_400.0)
            {
                Some(s) => {
                    opts.horizon_ns = (s * 1e9) as u64;
                    i += 1;
                }
                None => return fail("--until needs a number of seconds between 0 and 86400"),
            },
            "--signal" => match value(i).map(|v| threadline_engine::SignalSpec::parse(&v)) {
                Some(Ok(s)) => {
                    opts.signals.push(s);
                    i += 1;
                }
                Some(Err(e)) => return fail(&format!("--signal {e}")),
                None => return fail("--signal needs TIME:SIGNAL[:main|:group|:PID], e.g. 3.3:INT"),
            },
            "--python" => match value(i).as_deref().and_then(threadline_engine::PyVersion::parse) {
                Some(v) => {
                    opts.python = v;
                    i += 1;
                }
                None => return fail("--python must be 3.13 or 3.12"),
            },
            s if s.starts_with("--") => return fail(&format!("unknown option {s}")),
            s => {
                if path.is_some() {
                    return fail("only one script may be given");
                }
                path = Some(s.to_string());
            }
        }
        i += 1;
    }
    let Some(path) = path else {
        return fail("run needs a script");
    };
    let source = match read_script(&path) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    opts.script_name = std::path::Path::new(&path)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or(path.clone());
    let trace = run(&source, &opts);
    if full_trace {
        println!("{}", serde_json::to_string(&trace).expect("trace serializes"));
    } else if json {
        println!("{}", summary_json(&trace));
    } else {
        print_human(&trace);
    }
    if trace.diagnostics.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print_human(trace: &Trace) {
    if !trace.diagnostics.is_empty() {
        for d in &trace.diagnostics {
            println!("{}", d.render());
        }
        return;
    }
    print!("{}", report::terminal(trace, true));
    println!("--");
    println!("{}", report::final_status(trace));
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
        println!("{path}:{}", x.render().trim_start_matches("line "));
    }
    if d.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn cmd_scenarios() -> ExitCode {
    for s in scenarios::all() {
        println!("{:<36} {:<10} {}", s.meta.id, s.group, s.meta.title);
    }
    ExitCode::SUCCESS
}
