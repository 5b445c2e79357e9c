//! Shared by the fuzz targets: the options a fuzzed run uses, the checks every
//! trace must pass, and a generator that turns bytes into Python-shaped text.

use threadline_engine::{
    report, run, DiagnosticKind, EventKind, PyVersion, RunOptions, StopReason, Trace, TRACE_VERSION,
};

/// Small limits, so that one execution stays in the milliseconds.
pub const MAX_INSTRUCTIONS: u64 = 200_000;
/// Five seconds of virtual time.
pub const HORIZON_NS: u64 = 5_000_000_000;
/// What the process-exit step may add after the last instruction ran.
const EXIT_SLACK_NS: u64 = threadline_engine::EXIT_NS;

/// The options of a fuzzed run. `variant` picks the Python version and seed, so
/// that both versions are exercised without taking bytes from the script.
pub fn options(variant: usize) -> RunOptions {
    RunOptions {
        seed: (variant % 3) as u64,
        horizon_ns: HORIZON_NS,
        python: if variant.is_multiple_of(2) {
            PyVersion::V3_13
        } else {
            PyVersion::V3_12
        },
        max_instructions: MAX_INSTRUCTIONS,
        script_name: "fuzz.py".to_string(),
        ..RunOptions::default()
    }
}

/// Runs `source` and checks its trace; panics (a fuzzer crash) on any violation.
/// One input in five is run a second time, and both traces must be equal.
pub fn run_and_check(source: &str, variant: usize) {
    let opts = options(variant);
    let trace = run(source, &opts);
    check_trace(source, &opts, &trace);
    if variant.is_multiple_of(5) {
        let again = run(source, &opts);
        assert!(trace == again, "two runs of the same script gave different traces");
    }
}

/// Every property a trace of any input must have. Panics with the first one violated.
pub fn check_trace(source: &str, opts: &RunOptions, t: &Trace) {
    assert_eq!(t.version, TRACE_VERSION);
    assert_eq!(t.python, opts.python);
    assert_eq!(t.seed, opts.seed);
    assert_eq!(t.horizon_ns, opts.horizon_ns);
    let o = &t.outcome;

    // Diagnostics: nothing simulated, one explanation per diagnostic, positions in the source.
    let lines = source.split('\n').count() as u32;
    if !t.diagnostics.is_empty() || o.stop == StopReason::Diagnostics {
        assert_eq!(o.stop, StopReason::Diagnostics, "diagnostics but the run went on");
        assert!(!t.diagnostics.is_empty(), "stopped for diagnostics without any");
        assert!(t.threads.is_empty() && t.events.is_empty() && t.output.is_empty());
        assert_eq!(o.explanation.len(), t.diagnostics.len());
        assert_eq!(o.instructions, 0);
        for d in &t.diagnostics {
            assert!(d.line >= 1 && d.line <= lines, "diagnostic line {} of {lines}", d.line);
            assert!(
                d.end_line >= 1 && d.end_line <= lines,
                "end line {} of {lines}",
                d.end_line
            );
            assert!(d.col >= 1 && d.end_col >= 1);
            assert!(
                (d.line, d.col) <= (d.end_line, d.end_col),
                "diagnostic ends before it starts: {d:?}"
            );
            assert!(!d.message.is_empty());
            if d.kind != DiagnosticKind::Limit {
                assert!(!d.message.contains("internal library error"), "{}", d.message);
            }
        }
        assert_eq!(
            threadline_engine::check(source),
            t.diagnostics,
            "check() and run() disagree"
        );
    } else {
        assert!(!t.threads.is_empty() && !t.processes.is_empty());
        assert!(!o.explanation.is_empty(), "no explanation for {:?}", o.stop);
    }

    // Limits.
    assert!(
        o.instructions <= opts.max_instructions + 1,
        "{} instructions",
        o.instructions
    );
    match &o.stop {
        StopReason::InstructionBudget { limit } => {
            assert_eq!(*limit, opts.max_instructions);
            assert!(o.instructions >= opts.max_instructions);
        }
        StopReason::OutputLimit { limit } => {
            assert_eq!(*limit, threadline_engine::MAX_OUTPUT_LINES)
        }
        StopReason::ThreadLimit { limit } => assert_eq!(*limit, threadline_engine::MAX_THREADS),
        StopReason::Horizon => assert!(
            o.still_running || t.processes.iter().any(|p| p.exit_ns.is_none()),
            "horizon reached with every process gone"
        ),
        StopReason::Exited => {
            assert!(!o.still_running);
            assert!(o.exit_code.is_some() && o.exit_ns.is_some());
            assert!(
                t.processes.iter().all(|p| p.exit_ns.is_some()),
                "exited with a process alive"
            );
        }
        _ => {}
    }
    assert!(t.output.len() <= threadline_engine::MAX_OUTPUT_LINES);
    assert!(t.threads.len() <= threadline_engine::MAX_THREADS);
    if o.stop != StopReason::Diagnostics {
        assert_eq!(o.still_running, o.exit_code.is_none(), "still_running vs exit code");
    }
    assert_eq!(o.exit_code.is_none(), o.exit_ns.is_none());

    // Threads and processes.
    for (i, th) in t.threads.iter().enumerate() {
        assert_eq!(th.id.0 as usize, i, "thread ids are their indices");
        assert!(
            t.processes.iter().any(|p| p.pid == th.pid),
            "thread of an unknown process"
        );
        if let Some(c) = th.created_by {
            assert!((c.0 as usize) < t.threads.len());
        }
        if let (Some(s), Some(e)) = (th.start_ns, th.end_ns) {
            assert!(s <= e, "thread {} ends at {e} before it starts at {s}", th.name);
        }
        if !th.is_main {
            assert!(th.created_by.is_some(), "thread {} has no creator", th.name);
        }
    }
    let thread_ok = |id: threadline_engine::ThreadId| (id.0 as usize) < t.threads.len();
    let limit_ns = opts.horizon_ns + EXIT_SLACK_NS;

    // Events: in time order, referring to threads, processes and output that exist.
    let mut last = 0;
    let mut next_output = 0;
    for e in &t.events {
        assert!(e.t_ns >= last, "event at {} after one at {last}: {:?}", e.t_ns, e.kind);
        assert!(
            e.t_ns <= limit_ns,
            "event at {} beyond the horizon: {:?}",
            e.t_ns,
            e.kind
        );
        last = e.t_ns;
        match &e.kind {
            EventKind::State { thread, .. } | EventKind::Line { thread, .. } => assert!(thread_ok(*thread)),
            EventKind::Output { index } => {
                assert_eq!(*index, next_output, "output events out of order");
                // A traceback written by the dying interpreter shows up a little later than its event.
                assert!(
                    t.output[*index].t_ns >= e.t_ns,
                    "output line shown before it was written"
                );
                next_output += 1;
            }
            EventKind::Start { by, thread, .. } => assert!(thread_ok(*by) && thread_ok(*thread)),
            EventKind::Join { waiter, target, .. } => assert!(thread_ok(*waiter) && thread_ok(*target)),
            EventKind::Uncaught { thread, .. } => assert!(thread_ok(*thread)),
            EventKind::Phase { pid, .. } | EventKind::Exit { pid, .. } => {
                assert!(t.processes.iter().any(|p| p.pid == *pid))
            }
            _ => {}
        }
    }
    assert_eq!(next_output, t.output.len(), "output lines without an event");

    // Output: in time order, from threads of its own process, one line each.
    let mut last = 0;
    for l in &t.output {
        assert!(l.t_ns >= last, "output at {} after output at {last}", l.t_ns);
        last = l.t_ns;
        assert!(thread_ok(l.thread), "output from thread {}", l.thread.0);
        assert_eq!(
            t.threads[l.thread.0 as usize].pid, l.pid,
            "output pid is not its thread's"
        );
        assert!(!l.text.contains('\n'), "an output line holds a newline");
    }

    // The trace survives JSON exactly, and the report functions accept it.
    let json = serde_json::to_string(t).expect("a trace serializes");
    let back: Trace = serde_json::from_str(&json).expect("a trace deserializes");
    assert!(back == *t, "the JSON round trip changed the trace");
    let _ = report::terminal(t, true);
    let _ = report::final_status(t);
}

/// Simple statements; `{}` holes take an expression.
const SIMPLE: &[&str] = &[
    "x = {}",
    "y = {}",
    "x += {}",
    "print({})",
    "print({}, {}, sep='', end='')",
    "t = threading.Thread(target=f, args=({},))",
    "t = threading.Thread(target=work, daemon={})",
    "t = threading.Thread(target=work, name={})",
    "t.start()",
    "t.join({})",
    "ts.append(t)",
    "time.sleep({})",
    "lock.acquire()",
    "lock.release()",
    "cond.notify_all()",
    "cond.wait({})",
    "ev.set()",
    "ev.wait({})",
    "q.put({})",
    "x = q.get()",
    "x = q.get(timeout={})",
    "q.task_done()",
    "sem.acquire()",
    "sem.release()",
    "bar.wait()",
    "return {}",
    "raise {}",
    "break",
    "continue",
    "pass",
    "global x",
    "assert {}, {}",
    "lst.append({})",
    "d[{}] = {}",
    "x = lst[{}]",
    "atexit.register(f, {})",
    "sys.exit({})",
    "fut = ex.submit(f, {})",
    "x = fut.result()",
    "random.seed({})",
    "x = [{} for i in range({})]",
    "del x",
];

/// Block openers; the body follows, one level deeper.
const COMPOUND: &[&str] = &[
    "if {}:",
    "while {}:",
    "for i in range({}):",
    "for t in ts:",
    "with lock:",
    "with cond:",
    "with ThreadPoolExecutor({}) as ex:",
    "try:",
    "def work():",
    "def g(n={}):",
    "class C(threading.Thread):",
];

/// Rare on purpose: constructs the checker refuses, so diagnostics are exercised too.
const REFUSED: &[&str] = &["yield {}", "async def h(): pass", "x = b'raw'", "x = 1j"];

const EXPRESSIONS: &[&str] = &[
    "0",
    "1",
    "-1",
    "3",
    "2**62",
    "2**63",
    "10**9",
    "0.001",
    "0.1",
    "1e308",
    "'s'",
    "\"%s %d\" % (x, 1)",
    "f'{x!r:>10}'",
    "None",
    "True",
    "False",
    "x",
    "y",
    "i",
    "t",
    "lst",
    "d",
    "f",
    "work",
    "C",
    "C()",
    "f()",
    "f({})",
    "g({})",
    "range({})",
    "[{}] * {}",
    "'ab' * {}",
    "{k: k for k in 'abc'}",
    "({}, {})",
    "{} + {}",
    "{} - {}",
    "{} * {}",
    "{} // {}",
    "{} % {}",
    "{} < {}",
    "{} == {}",
    "{} and {}",
    "{} or {}",
    "not {}",
    "lambda *a: {}",
    "len({})",
    "str({})",
    "repr({})",
    "list({})",
    "sorted({})",
    "int({})",
    "threading.current_thread().name",
    "threading.active_count()",
    "threading.enumerate()",
    "t.is_alive()",
    "ev.is_set()",
    "lock.locked()",
    "q.qsize()",
    "q.empty()",
    "time.time()",
    "time.monotonic()",
    "random.random()",
    "random.randint(0, {})",
    "x[{}]",
    "getattr(x, 'y', {})",
    "isinstance(x, C)",
    "ValueError({})",
    "KeyboardInterrupt",
];

/// Reads bytes as choices; past the end every choice is 0.
struct Choices<'a> {
    data: &'a [u8],
    at: usize,
}

impl Choices<'_> {
    fn next(&mut self) -> usize {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b as usize
    }
    fn pick<'s>(&mut self, from: &[&'s str]) -> &'s str {
        from[self.next() % from.len()]
    }
    fn done(&self) -> bool {
        self.at >= self.data.len()
    }
}

/// The prologue every generated script starts with, so its names exist.
pub const PROLOGUE: &str = "\
import threading, time, queue, random, sys, atexit
from concurrent.futures import ThreadPoolExecutor
x = 0
y = 1
i = 0
ts = []
lst = [0, 1, 2]
d = {}
lock = threading.Lock()
cond = threading.Condition()
ev = threading.Event()
q = queue.Queue()
sem = threading.Semaphore(1)
bar = threading.Barrier(2, timeout=1)
t = threading.current_thread()
def f(*a):
    return a
def work():
    time.sleep(0.01)
class C:
    pass
";

/// Fills the `{}` holes of `template` with expressions.
fn fill(c: &mut Choices, template: &str, depth: u32, out: &mut String) {
    let mut parts = template.split("{}");
    out.push_str(parts.next().unwrap_or(""));
    for p in parts {
        if depth < 3 {
            // Parenthesized, so that any expression fits any hole.
            let e = c.pick(EXPRESSIONS);
            out.push('(');
            fill(c, e, depth + 1, out);
            out.push(')');
        } else {
            out.push('1');
        }
        out.push_str(p);
    }
}

fn indent(level: usize, out: &mut String) {
    for _ in 0..level {
        out.push_str("    ");
    }
}

/// Where a block is: what `return`, `break` and `continue` need.
#[derive(Clone, Copy)]
struct Scope {
    in_function: bool,
    in_loop: bool,
}

/// A block of statements at `level`: always at least one, so every opener has a body.
/// Choices past the end of the input are 0, which picks simple statements.
fn block(c: &mut Choices, level: usize, scope: Scope, budget: &mut u32, out: &mut String) {
    let n = 1 + c.next() % 4;
    for _ in 0..n {
        if (*budget == 0 || c.done()) && !out.ends_with(":\n") {
            return;
        }
        *budget = budget.saturating_sub(1);
        let kind = c.next();
        indent(level, out);
        if kind % 64 == 63 && c.next().is_multiple_of(8) {
            let s = c.pick(REFUSED);
            fill(c, s, 0, out);
            out.push('\n');
        } else if kind % 4 == 1 && level < 6 && *budget > 0 {
            let opener = c.pick(COMPOUND);
            fill(c, opener, 0, out);
            out.push('\n');
            let inner = match opener {
                "def work():" | "def g(n={}):" => Scope {
                    in_function: true,
                    in_loop: false,
                },
                "while {}:" | "for i in range({}):" | "for t in ts:" => Scope { in_loop: true, ..scope },
                _ => scope,
            };
            if opener == "class C(threading.Thread):" {
                indent(level + 1, out);
                out.push_str("def run(self):\n");
                block(
                    c,
                    level + 2,
                    Scope {
                        in_function: true,
                        in_loop: false,
                    },
                    budget,
                    out,
                );
            } else {
                block(c, level + 1, inner, budget, out);
            }
            match opener {
                "try:" => {
                    let tail = c.next() % 3;
                    if tail != 1 {
                        indent(level, out);
                        out.push_str(if tail == 0 {
                            "except Exception as e:\n"
                        } else {
                            "except:\n"
                        });
                        block(c, level + 1, scope, budget, out);
                    }
                    if tail != 0 {
                        indent(level, out);
                        out.push_str("finally:\n");
                        block(c, level + 1, scope, budget, out);
                    }
                }
                "if {}:" | "while {}:" | "for i in range({}):" if c.next().is_multiple_of(3) => {
                    indent(level, out);
                    out.push_str("else:\n");
                    block(c, level + 1, scope, budget, out);
                }
                _ => {}
            }
        } else {
            let s = match c.pick(SIMPLE) {
                s if s.starts_with("return") && !scope.in_function => "pass",
                "break" | "continue" if !scope.in_loop => "pass",
                s => s,
            };
            fill(c, s, 0, out);
            out.push('\n');
        }
    }
}

/// Turns bytes into a script: every byte is a choice among statements, block
/// shapes and expressions, so that most inputs are valid Python of the supported
/// subset and reach the simulator.
pub fn generate(data: &[u8]) -> String {
    let mut c = Choices { data, at: 0 };
    let mut out = String::from(PROLOGUE);
    let mut budget = 200u32;
    while !c.done() && budget > 0 {
        let top = Scope {
            in_function: false,
            in_loop: false,
        };
        block(&mut c, 0, top, &mut budget, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes from a fixed-seed xorshift generator.
    fn bytes(seed: u64, n: usize) -> Vec<u8> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn generated_scripts_mostly_get_past_the_checks() {
        let mut ran = 0;
        for seed in 0..40 {
            let source = generate(&bytes(seed, 120));
            let opts = options(seed as usize);
            let trace = run(&source, &opts);
            check_trace(&source, &opts, &trace);
            if trace.diagnostics.is_empty() {
                ran += 1;
            }
        }
        assert!(ran >= 10, "only {ran} of 40 generated scripts were simulated");
    }

    #[test]
    fn the_prologue_alone_runs() {
        let trace = run(PROLOGUE, &options(0));
        assert!(trace.diagnostics.is_empty(), "{:?}", trace.diagnostics);
        assert_eq!(trace.outcome.exit_code, Some(0), "{:?}", trace.outcome.explanation);
    }
}
