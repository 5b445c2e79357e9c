//! Bad input: scripts that never end, never stop printing, start thousands of
//! threads, recurse forever, deadlock, allocate without bound, or are not valid
//! Python at all. Each must end in a trace that says exactly what happened, the
//! same trace on every run.
//!
//! Every script here is simulated twice and the two traces must be equal.

use threadline_engine::{run, DiagnosticKind, RunOptions, StopReason, Stream, Trace, MAX_NESTING, MAX_SOURCE_BYTES};
use threadline_engine::{MAX_OUTPUT_LINES, MAX_THREADS};

/// A budget that ends a runaway loop quickly even in a debug build.
const BUDGET: u64 = 1_000_000;

fn simulate_with(source: &str, opts: &RunOptions) -> Trace {
    let first = run(source, opts);
    let second = run(source, opts);
    assert!(first == second, "two runs of the same script gave different traces");
    first
}

fn simulate(source: &str) -> Trace {
    simulate_with(source, &RunOptions::default())
}

fn budget(max_instructions: u64) -> RunOptions {
    RunOptions {
        max_instructions,
        ..RunOptions::default()
    }
}

fn lines(trace: &Trace, stream: Stream) -> Vec<&str> {
    trace
        .output
        .iter()
        .filter(|l| l.stream == stream)
        .map(|l| l.text.as_str())
        .collect()
}

fn stdout(trace: &Trace) -> Vec<&str> {
    lines(trace, Stream::Stdout)
}

fn stderr(trace: &Trace) -> Vec<&str> {
    lines(trace, Stream::Stderr)
}

/// The run ended normally with `code`.
fn assert_exited(trace: &Trace, code: i32) {
    assert_eq!(
        trace.outcome.stop,
        StopReason::Exited,
        "{:?}",
        trace.outcome.explanation
    );
    assert_eq!(trace.outcome.exit_code, Some(code));
    assert!(!trace.outcome.still_running);
    assert!(trace.diagnostics.is_empty());
}

/// The script was refused with exactly one diagnostic; returns it as (kind, line, col, message).
fn single_diagnostic(trace: &Trace) -> (DiagnosticKind, u32, u32, &str) {
    assert_eq!(trace.outcome.stop, StopReason::Diagnostics);
    assert_eq!(trace.diagnostics.len(), 1, "{:?}", trace.diagnostics);
    assert!(trace.threads.is_empty() && trace.events.is_empty() && trace.output.is_empty());
    assert_eq!(trace.outcome.exit_code, None);
    assert_eq!(trace.outcome.instructions, 0);
    let d = &trace.diagnostics[0];
    assert_eq!(trace.outcome.explanation, vec![d.render()]);
    (d.kind, d.line, d.col, d.message.as_str())
}

/// A script that fails with an uncaught exception: exit code 1, the traceback
/// ends with `last`, and the line it names is shown.
fn assert_uncaught(trace: &Trace, last: &str) {
    assert_exited(trace, 1);
    let err = stderr(trace);
    assert_eq!(err.first(), Some(&"Traceback (most recent call last):"), "{err:?}");
    assert_eq!(err.last(), Some(&last), "{err:?}");
}

// ----- runaway loops and time

#[test]
fn endless_loop_in_main_stops_at_the_instruction_budget() {
    let t = simulate_with("n = 0\nwhile True: n += 1\n", &budget(BUDGET));
    assert_eq!(t.outcome.stop, StopReason::InstructionBudget { limit: BUDGET });
    assert_eq!(t.outcome.instructions, BUDGET);
    assert!(t.outcome.still_running);
    assert_eq!(t.outcome.exit_code, None);
    assert!(t.output.is_empty());
    assert_eq!(
        t.outcome.explanation,
        vec!["stopped after 1000000 instructions: MainThread is in a loop at line 2 that never blocks"]
    );
}

/// `while True: pass` changes nothing: the simulator may run it to the budget or,
/// knowing that, skip to the horizon. Either way it says where the main thread is.
#[test]
fn spinning_on_pass_in_main_never_exits() {
    let t = simulate_with("while True:\n    pass\n", &budget(BUDGET));
    assert!(t.outcome.still_running);
    assert_eq!(t.outcome.exit_code, None);
    match t.outcome.stop {
        StopReason::InstructionBudget { limit } => {
            assert_eq!(limit, BUDGET);
            assert_eq!(
                t.outcome.explanation,
                vec!["stopped after 1000000 instructions: MainThread is in a loop at line 1 that never blocks"]
            );
        }
        StopReason::Horizon => {
            assert_eq!(t.outcome.explanation.len(), 1);
            let why = &t.outcome.explanation[0];
            assert!(
                why.starts_with("still running at 60.000 s: the main thread is "),
                "{why}"
            );
            assert!(why.ends_with(" at line 1"), "{why}");
        }
        ref other => panic!("{other:?}: {:?}", t.outcome.explanation),
    }
}

#[test]
fn endless_loop_in_a_non_daemon_thread_keeps_the_process_alive() {
    let src = "\
import threading

def spin():
    n = 0
    while True:
        n += 1

threading.Thread(target=spin, name=\"spinner\").start()
print(\"main done\")
";
    let t = simulate_with(src, &budget(BUDGET));
    assert_eq!(t.outcome.stop, StopReason::InstructionBudget { limit: BUDGET });
    assert!(t.outcome.still_running);
    assert_eq!(t.outcome.exit_code, None);
    assert_eq!(stdout(&t), ["main done"]);
    assert_eq!(t.outcome.explanation.len(), 1);
    let why = &t.outcome.explanation[0];
    assert!(
        why.starts_with("stopped after 1000000 instructions: spinner is in a loop at line "),
        "{why}"
    );
    assert!(why.ends_with(" that never blocks"), "{why}");
    let line: u32 = why["stopped after 1000000 instructions: spinner is in a loop at line ".len()..]
        .trim_end_matches(" that never blocks")
        .parse()
        .expect("a line number");
    assert!((5..=6).contains(&line), "the loop is at lines 5-6, not {line}");
}

#[test]
fn a_thread_spinning_on_pass_never_lets_the_process_exit() {
    let src = "\
import threading

def spin():
    while True:
        pass

threading.Thread(target=spin, name=\"spinner\").start()
print(\"main done\")
";
    let t = simulate_with(src, &budget(BUDGET));
    assert!(
        matches!(
            t.outcome.stop,
            StopReason::InstructionBudget { .. } | StopReason::Horizon
        ),
        "{:?}: {:?}",
        t.outcome.stop,
        t.outcome.explanation
    );
    assert!(t.outcome.still_running, "{:?}", t.outcome.explanation);
    assert_eq!(t.outcome.exit_code, None);
    assert_eq!(stdout(&t), ["main done"]);
    assert!(
        t.outcome.explanation.iter().any(|e| e.contains("spinner")),
        "{:?}",
        t.outcome.explanation
    );
}

#[test]
fn endless_sleep_loop_runs_until_the_horizon() {
    let src = "\
import threading
import time

def ticker():
    while True:
        time.sleep(1)

threading.Thread(target=ticker, name=\"ticker\").start()
print(\"main done\")
";
    let opts = RunOptions {
        horizon_ns: 5_000_000_000,
        ..RunOptions::default()
    };
    let t = simulate_with(src, &opts);
    assert_eq!(t.outcome.stop, StopReason::Horizon);
    assert!(t.outcome.still_running);
    assert_eq!(t.outcome.exit_code, None);
    assert_eq!(stdout(&t), ["main done"]);
    assert_eq!(
        t.outcome.explanation,
        vec![
            "still running at 5.000 s: non-daemon thread ticker is sleeping at line 6 (until 5.020 s); \
             the main thread finished at 0.020 s and the interpreter is waiting for it at shutdown"
        ]
    );
}

// ----- too many threads, too much output, too deep

#[test]
fn starting_thousands_of_threads_stops_at_the_thread_limit() {
    let src = "\
import threading
import time

def work():
    time.sleep(10)

for i in range(5000):
    threading.Thread(target=work).start()
print(\"unreachable\")
";
    let t = simulate(src);
    assert_eq!(t.outcome.stop, StopReason::ThreadLimit { limit: MAX_THREADS });
    assert_eq!(t.threads.len(), MAX_THREADS);
    assert!(t.outcome.still_running);
    assert!(stdout(&t).is_empty());
    assert_eq!(stderr(&t).last(), Some(&"RuntimeError: can't start new thread"));
    assert_eq!(
        t.outcome.explanation,
        vec![format!("stopped: more than {MAX_THREADS} threads")]
    );
}

#[test]
fn printing_forever_stops_at_the_output_limit() {
    let t = simulate("i = 0\nwhile True:\n    print(i)\n    i += 1\n");
    assert_eq!(
        t.outcome.stop,
        StopReason::OutputLimit {
            limit: MAX_OUTPUT_LINES
        }
    );
    assert_eq!(t.output.len(), MAX_OUTPUT_LINES);
    assert_eq!(
        t.output.last().map(|l| l.text.clone()),
        Some((MAX_OUTPUT_LINES - 1).to_string())
    );
    assert!(t.outcome.still_running);
    assert_eq!(
        t.outcome.explanation,
        vec![format!("stopped after {MAX_OUTPUT_LINES} lines of output")]
    );
}

#[test]
fn infinite_recursion_raises_recursion_error() {
    let t = simulate("def f(n):\n    return f(n + 1)\n\nf(0)\n");
    assert_uncaught(&t, "RecursionError: maximum recursion depth exceeded");
    let err = stderr(&t);
    assert_eq!(err[1..3], ["  File \"script.py\", line 4, in <module>", "    f(0)"]);
    // As CPython: the repeated frame three times, then how often it repeats.
    assert_eq!(
        err[3..],
        [
            "  File \"script.py\", line 2, in f",
            "    return f(n + 1)",
            "  File \"script.py\", line 2, in f",
            "    return f(n + 1)",
            "  File \"script.py\", line 2, in f",
            "    return f(n + 1)",
            "  [Previous line repeated 996 more times]",
            "RecursionError: maximum recursion depth exceeded",
        ]
    );
}

#[test]
fn a_thousand_nested_parentheses_are_refused_before_parsing() {
    let src = format!("x = {}1{}\n", "(".repeat(1000), ")".repeat(1000));
    let t = simulate(&src);
    // The first parenthesis past the limit: "x = " is 4 characters.
    let col = 4 + MAX_NESTING as u32 + 1;
    assert_eq!(
        single_diagnostic(&t),
        (DiagnosticKind::Limit, 1, col, "too many nested parentheses")
    );
}

#[test]
fn a_hundred_and_fifty_nested_ifs_are_refused() {
    let mut src = String::new();
    for depth in 0..150 {
        src.push_str(&"    ".repeat(depth));
        src.push_str("if True:\n");
    }
    src.push_str(&"    ".repeat(150));
    src.push_str("print('deep')\n");
    let t = simulate(&src);
    // Line 102 is the first indented by more than 100 levels of four spaces.
    assert_eq!(
        single_diagnostic(&t),
        (DiagnosticKind::Limit, 102, 1, "too many levels of indentation")
    );
}

#[test]
fn a_two_megabyte_script_is_refused() {
    let src = "x = 1\n".repeat(2 * 1024 * 1024 / 6 + 1);
    let t = simulate(&src);
    let message = format!(
        "the script is {} bytes; the simulator accepts up to {MAX_SOURCE_BYTES} bytes",
        src.len()
    );
    assert_eq!(single_diagnostic(&t), (DiagnosticKind::Limit, 1, 1, message.as_str()));
}

// ----- invalid and unsupported Python

#[test]
fn a_syntax_error_has_its_line_and_column() {
    let t = simulate("x = 1\nif x\n    pass\n");
    assert_eq!(single_diagnostic(&t), (DiagnosticKind::Syntax, 2, 5, "expected ':'"));
    assert_eq!(
        t.outcome.explanation,
        vec!["line 2, column 5: SyntaxError: expected ':'"]
    );

    let t = simulate("print('hello)\n");
    assert_eq!(
        single_diagnostic(&t),
        (DiagnosticKind::Syntax, 1, 7, "unterminated string literal")
    );

    let t = simulate("if 1:\n        x = 1\n    y = 2\n");
    assert_eq!(
        single_diagnostic(&t),
        (
            DiagnosticKind::Syntax,
            3,
            1,
            "unindent does not match any outer indentation level"
        )
    );
}

#[test]
fn every_unsupported_construct_is_reported_at_once() {
    let src = "\
async def f():
    pass

def gen():
    yield 1

match 1:
    case 1:
        pass
x = b'bytes'
y = 1j
";
    let t = simulate(src);
    assert_eq!(t.outcome.stop, StopReason::Diagnostics);
    let found: Vec<(DiagnosticKind, u32, u32, &str)> = t
        .diagnostics
        .iter()
        .map(|d| (d.kind, d.line, d.col, d.message.as_str()))
        .collect();
    let u = DiagnosticKind::Unsupported;
    assert_eq!(
        found,
        [
            (u, 1, 1, "`async def` is not supported by the simulator"),
            (u, 5, 5, "generators (`yield`) are not supported by the simulator"),
            (u, 7, 1, "`match` statements are not supported by the simulator"),
            (u, 10, 5, "bytes literals are not supported by the simulator"),
            (u, 11, 5, "complex numbers are not supported by the simulator"),
        ]
    );
    assert_eq!(t.outcome.explanation.len(), 5);
    assert_eq!(
        t.outcome.explanation[0],
        "line 1, column 1: `async def` is not supported by the simulator"
    );
}

#[test]
fn an_unknown_module_is_reported_where_it_is_imported() {
    let t = simulate("import threading\nimport socket\n");
    let (kind, line, col, message) = single_diagnostic(&t);
    assert_eq!((kind, line, col), (DiagnosticKind::Unsupported, 2, 8));
    assert!(
        message.starts_with("module 'socket' is not available in the simulator"),
        "{message}"
    );
}

// ----- deadlocks

#[test]
fn two_threads_taking_two_locks_in_opposite_order_deadlock() {
    let src = "\
import threading
import time

a = threading.Lock()
b = threading.Lock()

def one():
    with a:
        time.sleep(0.1)
        with b:
            print(\"one has both\")

def two():
    with b:
        time.sleep(0.1)
        with a:
            print(\"two has both\")

t1 = threading.Thread(target=one, name=\"one\")
t2 = threading.Thread(target=two, name=\"two\")
t1.start()
t2.start()
t1.join()
t2.join()
";
    let t = simulate(src);
    assert_eq!(t.outcome.stop, StopReason::Deadlock);
    assert!(t.outcome.still_running);
    assert_eq!(t.outcome.exit_code, None);
    assert!(t.output.is_empty());
    assert_eq!(
        t.outcome.explanation,
        vec![
            "deadlock at 0.120 s: no thread can run and no timer is pending",
            "MainThread is blocked in join of one at line 23",
            "one is blocked in b.acquire() (held by two) at line 10",
            "two is blocked in a.acquire() (held by one) at line 16",
        ]
    );
}

#[test]
fn getting_from_a_queue_nobody_fills_deadlocks() {
    let t = simulate("import queue\n\nq = queue.Queue()\nitem = q.get()\nprint(item)\n");
    assert_eq!(t.outcome.stop, StopReason::Deadlock);
    assert!(t.outcome.still_running);
    assert!(t.output.is_empty());
    assert_eq!(
        t.outcome.explanation,
        vec![
            "deadlock at 0.020 s: no thread can run and no timer is pending",
            "MainThread is blocked in q.get() at line 4",
        ]
    );
}

// ----- memory and integer limits

#[test]
fn a_billion_element_list_is_a_memory_error() {
    let t = simulate("x = [0] * 10**9\nprint(len(x))\n");
    assert_uncaught(&t, "MemoryError");
    assert_eq!(
        stderr(&t)[1..],
        [
            "  File \"script.py\", line 1, in <module>",
            "    x = [0] * 10**9",
            "MemoryError"
        ]
    );
}

#[test]
fn string_repetition_blowup_is_a_memory_error() {
    let t = simulate("s = 'ab' * 10**9\nprint(len(s))\n");
    assert_uncaught(&t, "MemoryError");

    let t = simulate("s = 'x' * 1000\ntry:\n    s = s * 10**8\nexcept MemoryError:\n    print('caught', len(s))\n");
    assert_exited(&t, 0);
    assert_eq!(stdout(&t), ["caught 1000"]);
}

#[test]
fn two_to_the_63_is_an_overflow_error() {
    let t = simulate("x = 2**63\nprint(x)\n");
    assert_uncaught(
        &t,
        "OverflowError: integer overflow: the simulator's integers are 64-bit",
    );

    let t = simulate("x = 2**62\nprint(x + (x - 1))\n");
    assert_exited(&t, 0);
    assert_eq!(stdout(&t), ["9223372036854775807"]);
}

// ----- odd but valid text

#[test]
fn an_empty_script_exits_at_once() {
    for src in ["", "\n\n   \n\t\n"] {
        let t = simulate(src);
        assert_exited(&t, 0);
        assert!(t.output.is_empty());
        assert_eq!(t.threads.len(), 1);
        assert_eq!(t.outcome.explanation, vec!["exited with code 0 at 0.025 s"]);
    }
}

#[test]
fn a_script_of_only_comments_exits_at_once() {
    let t = simulate("# just a comment\n# another one\n   # indented comment\n");
    assert_exited(&t, 0);
    assert!(t.output.is_empty());
    assert_eq!(t.outcome.explanation, vec!["exited with code 0 at 0.025 s"]);
}

#[test]
fn non_ascii_text_runs() {
    let src =
        "café = 'héllo wörld'\nprint(café, '✓ 日本語 😀', len('😀'))\nprint('\u{202e}abc', 'e\u{301}', '\u{fffd}')\n";
    let t = simulate(src);
    assert_exited(&t, 0);
    assert_eq!(
        stdout(&t),
        ["héllo wörld ✓ 日本語 😀 1", "\u{202e}abc e\u{301} \u{fffd}"]
    );

    // A byte-order mark at the start is not part of the script.
    let t = simulate("\u{feff}print('bom')\n");
    assert_exited(&t, 0);
    assert_eq!(stdout(&t), ["bom"]);
}

#[test]
fn a_nul_byte_in_the_source_is_a_syntax_error() {
    let t = simulate("print(1)\0\nprint(2)\n");
    let (kind, line, col, _) = single_diagnostic(&t);
    assert_eq!((kind, line, col), (DiagnosticKind::Syntax, 1, 9));

    // Inside a string literal it is just a character.
    let t = simulate("print(len('a\0b'))\n");
    assert_exited(&t, 0);
    assert_eq!(stdout(&t), ["3"]);
}

#[test]
fn windows_and_old_mac_line_endings_run() {
    let src = "import threading\r\n\r\ndef work():\r\n    print('in thread')\r\n\r\nt = threading.Thread(target=work)\r\nt.start()\r\nt.join()\r\nprint('done')\r\n";
    let t = simulate(src);
    assert_exited(&t, 0);
    assert_eq!(stdout(&t), ["in thread", "done"]);

    let t = simulate("print(1)\rprint(2)\r");
    assert_exited(&t, 0);
    assert_eq!(stdout(&t), ["1", "2"]);

    // A syntax error's line counts CRLF as one line end.
    let t = simulate("x = 1\r\nif x\r\n    pass\r\n");
    let (kind, line, _, message) = single_diagnostic(&t);
    assert_eq!((kind, line, message), (DiagnosticKind::Syntax, 2, "expected ':'"));
}

#[test]
fn tab_indentation_runs() {
    let t = simulate("if True:\n\tx = 1\n\tif x:\n\t\tprint('tab', x)\n");
    assert_exited(&t, 0);
    assert_eq!(stdout(&t), ["tab 1"]);

    // A form feed at the start of a line resets the indentation, as in CPython.
    let t = simulate("\x0cprint(1)\n");
    assert_exited(&t, 0);
    assert_eq!(stdout(&t), ["1"]);
}

/// Found by fuzzing: an out-of-range base must be CPython's ValueError, not a panic.
#[test]
fn int_with_a_bad_base_is_a_value_error() {
    let src = "for b in (0, 1, 37, -2):\n    try:\n        print(int('10', b))\n    except ValueError as e:\n        print(e)\n";
    let a = threadline_engine::run(src, &threadline_engine::RunOptions::default());
    let b = threadline_engine::run(src, &threadline_engine::RunOptions::default());
    assert!(a == b);
    let out: Vec<&str> = a.output.iter().map(|l| l.text.as_str()).collect();
    let msg = "int() base must be >= 2 and <= 36, or 0";
    assert_eq!(out, vec!["10", msg, msg, msg]);
}
