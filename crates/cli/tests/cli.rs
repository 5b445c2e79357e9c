//! The command line as a user runs it: the binary, its output and exit status.

use std::process::Command;

fn threadline(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_threadline"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn script(name: &str, body: &str) -> String {
    let dir = std::env::temp_dir().join(format!("threadline-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p.to_string_lossy().to_string()
}

const FOREVER: &str = "import threading\nimport time\n\n\ndef long_running_task():\n    while True:\n        time.sleep(1)\n        print(\"still active\")\n\n\nthreading.Thread(target=long_running_task).start()\nprint(\"main done\")\n";

#[test]
fn run_prints_the_terminal_and_what_keeps_the_process_alive() {
    let p = script("forever.py", FOREVER);
    let (code, out, _) = threadline(&["run", &p, "--until", "3"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "[    0.020]  main done");
    assert_eq!(lines[1], "[    1.020]  still active");
    assert_eq!(lines[2], "[    2.020]  still active");
    assert_eq!(lines[3], "--");
    assert_eq!(
        lines[4],
        "still running at 3.000 s: non-daemon thread Thread-1 (long_running_task) is sleeping at line 7 (until 3.020 s); \
         the main thread finished at 0.020 s and the interpreter is waiting for it at shutdown"
    );
}

#[test]
fn json_output_has_the_stable_fields() {
    let p = script("forever2.py", FOREVER);
    let (code, out, _) = threadline(&["run", &p, "--until", "2", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["still_running"], true);
    assert_eq!(v["exit_code"], serde_json::Value::Null);
    assert_eq!(v["exit_t"], serde_json::Value::Null);
    assert_eq!(v["lines"][0]["text"], "main done");
    assert_eq!(v["lines"][0]["stream"], "stdout");
    assert_eq!(v["lines"][0]["t"], 0.02);
    assert_eq!(v["lines"][1]["t"], 1.02);
    assert_eq!(v["processes"][0]["name"], "MainProcess");
    assert_eq!(v["processes"][0]["exit_code"], serde_json::Value::Null);
    assert!(v["lines"][0]["pid"].is_u64());
}

#[test]
fn exit_code_and_stderr_of_an_uncaught_exception() {
    let p = script(
        "boom.py",
        "import sys\nprint('before')\nprint('to stderr', file=sys.stderr)\nraise ValueError('boom')\n",
    );
    let (_, out, _) = threadline(&["run", &p, "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["exit_code"], 1);
    let texts: Vec<&str> = v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        vec![
            "before",
            "to stderr",
            "Traceback (most recent call last):",
            "  File \"boom.py\", line 4, in <module>",
            "    raise ValueError('boom')",
            "ValueError: boom"
        ]
    );
    assert_eq!(v["lines"][1]["stream"], "stderr");
}

#[test]
fn check_lists_every_diagnostic_and_fails() {
    let p = script("bad.py", "async def f():\n    pass\n\nimport numpy\n");
    let (code, out, _) = threadline(&["check", &p]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].ends_with("1, column 1: `async def` is not supported by the simulator"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("4, column 8: module 'numpy' is not available"),
        "{}",
        lines[1]
    );
    let ok = script("ok.py", "print('fine')\n");
    assert_eq!(threadline(&["check", &ok]).0, 0);
}

#[test]
fn syntax_errors_are_reported_with_position() {
    let p = script("syntax.py", "x = (1,\nprint(x\n");
    let (code, out, _) = threadline(&["run", &p]);
    assert_eq!(code, 1);
    assert!(out.starts_with("line "), "{out}");
    assert!(out.contains("SyntaxError"), "{out}");
}

#[test]
fn bad_arguments_get_a_message_not_a_panic() {
    assert_eq!(threadline(&[]).0, 2);
    let (code, _, err) = threadline(&["run", "/nonexistent/x.py"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read /nonexistent/x.py"));
    let (code, _, err) = threadline(&["run", "--until", "abc", "x.py"]);
    assert_eq!(code, 2);
    assert!(err.contains("--until"));
}

#[test]
fn scenarios_are_listed() {
    let (code, out, _) = threadline(&["scenarios"]);
    assert_eq!(code, 0);
    assert!(out.lines().any(|l| l.starts_with("nondaemon-forever ")), "{out}");
    assert!(out.lines().count() >= 30);
}

#[test]
fn chrome_trace_is_written_to_a_file_or_printed() {
    let p = script("forever3.py", FOREVER);
    let out_file = std::path::Path::new(&p).with_file_name("forever3.trace.json");
    let file = out_file.to_string_lossy().to_string();
    let (code, out, _) = threadline(&["run", &p, "--until", "2", "--chrome-trace", &file]);
    assert_eq!(code, 0);
    assert!(out.starts_with("[    0.020]  main done"), "{out}");
    let written = std::fs::read_to_string(&out_file).expect("trace file written");
    let v: serde_json::Value = serde_json::from_str(&written).expect("json");
    let events = v["traceEvents"].as_array().expect("traceEvents");
    assert!(events
        .iter()
        .any(|e| e["ph"] == "M" && e["name"] == "thread_name" && e["args"]["name"] == "Thread-1 (long_running_task)"));
    assert!(events.iter().any(|e| e["ph"] == "X" && e["name"] == "sleeping"));
    assert!(events
        .iter()
        .any(|e| e["ph"] == "i" && e["args"]["text"] == "still active"));

    let (code, printed, _) = threadline(&["run", &p, "--until", "2", "--chrome-trace", "-"]);
    assert_eq!(code, 0);
    assert_eq!(printed, written);
    let (code, _, err) = threadline(&["run", &p, "--chrome-trace"]);
    assert_eq!(code, 2);
    assert!(err.contains("--chrome-trace"));
}

const LOST_UPDATE: &str = "import threading\n\ncounter = 0\n\n\ndef add_one(v):\n    return v + 1\n\n\ndef work():\n    global counter\n    for _ in range(2):\n        counter = add_one(counter)\n\n\nthreads = [threading.Thread(target=work) for _ in range(2)]\nfor t in threads:\n    t.start()\nfor t in threads:\n    t.join()\nprint(\"counter =\", counter)\n";

#[test]
fn explore_finds_the_same_outcomes_with_and_without_reduction() {
    let p = script("lost.py", LOST_UPDATE);
    let outcomes = |extra: &[&str]| {
        let mut args = vec!["explore", p.as_str(), "--json"];
        args.extend_from_slice(extra);
        let (code, out, err) = threadline(&args);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).expect("json");
        let mut stdout: Vec<String> = v["outcomes"]
            .as_array()
            .expect("outcomes")
            .iter()
            .map(|o| o["stdout"].to_string())
            .collect();
        stdout.sort();
        (stdout, v["schedules"].as_u64().expect("a count"))
    };
    let (reduced, reduced_runs) = outcomes(&[]);
    let (full, full_runs) = outcomes(&["--no-reduction"]);
    assert_eq!(reduced, full);
    assert!(reduced.iter().any(|o| o.contains("counter = 2")), "{reduced:?}");
    assert!(reduced_runs <= full_runs);
}
