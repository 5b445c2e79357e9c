//! Parts of CPython's standard library the simulator lacks are reported as
//! the simulator's, never as an error a learner would take for their own:
//! a script in, the message out.

use threadline_engine::{check, run, DiagnosticKind, RunOptions, StopReason, Stream, Trace};

/// How both the checker and a run word it.
fn message(what: &str) -> String {
    format!("`{what}` is not supported by the simulator (yet)")
}

fn simulate(source: &str) -> Trace {
    let first = run(source, &RunOptions::default());
    let second = run(source, &RunOptions::default());
    assert!(first == second, "two runs of the same script gave different traces");
    first
}

fn last_stderr_line(t: &Trace) -> &str {
    let line = t.output.iter().rev().find(|l| l.stream == Stream::Stderr);
    line.map(|l| l.text.as_str()).unwrap_or("")
}

/// Scripts whose use of what the simulator lacks the checker sees (a module
/// imported under a name nothing else binds), and where: (line, column, what).
const BEFORE_THE_RUN: &[(&str, (u32, u32, &str))] = &[
    ("import signal\nsignal.pause()\n", (2, 1, "signal.pause")),
    ("from signal import pause\n", (1, 20, "signal.pause")),
    ("import signal as s\nh = s.SIGCHLD\n", (2, 5, "signal.SIGCHLD")),
    (
        "import threading\nthreading.settrace(print)\n",
        (2, 1, "threading.settrace"),
    ),
    (
        "import sys\nsys.setrecursionlimit(10_000)\n",
        (2, 1, "sys.setrecursionlimit"),
    ),
    ("import os\nif os.fork() == 0:\n    pass\n", (2, 4, "os.fork")),
    ("import os\nprint(os.path.join('a', 'b'))\n", (2, 7, "os.path")),
    (
        "import multiprocessing.shared_memory\n",
        (1, 8, "multiprocessing.shared_memory"),
    ),
    (
        "from multiprocessing.managers import BaseManager\n",
        (1, 1, "multiprocessing.managers"),
    ),
    (
        "from multiprocessing.pool import ThreadPool\n",
        (1, 34, "multiprocessing.pool.ThreadPool"),
    ),
    (
        "import logging\nlogging.exception('boom')\n",
        (2, 1, "logging.exception"),
    ),
    ("import subprocess\n", (1, 8, "subprocess")),
];

#[test]
fn the_checker_says_what_the_simulator_lacks() {
    for (source, (line, col, what)) in BEFORE_THE_RUN {
        let found: Vec<_> = check(source)
            .into_iter()
            .map(|d| (d.kind, d.line, d.col, d.message))
            .collect();
        assert_eq!(
            found,
            vec![(DiagnosticKind::Unsupported, *line, *col, message(what))],
            "{source}"
        );
        let t = simulate(source);
        assert_eq!(t.outcome.stop, StopReason::Diagnostics, "{source}");
    }
}

/// Scripts whose use of an unsupported function or constant only shows at
/// run time (no checker can tell which module a name holds there), and what
/// they use.
const AT_RUN_TIME: &[(&str, &str)] = &[
    ("import signal\nf = getattr(signal, 'pause')\nf()\n", "signal.pause"),
    (
        "import sys\ndef deeper(m):\n    m.setrecursionlimit(50)\ndeeper(sys)\n",
        "sys.setrecursionlimit",
    ),
    ("import os\nmodule = os\nmodule.fork()\n", "os.fork"),
    ("import random\nrng = random\nprint(rng.sample([1, 2, 3], 2))\n", "random.sample"),
    (
        "import multiprocessing\nmp = [multiprocessing]\nmp[0].Manager()\n",
        "multiprocessing.Manager",
    ),
    (
        "import threading, time\ndef work(m):\n    m.localtime()\nthreading.Thread(target=work, args=(time,)).start()\n",
        "time.localtime",
    ),
    ("import signal\ns = signal\nprint(s.SIGCHLD)\n", "signal.SIGCHLD"),
    (
        "import logging\ndef level(m):\n    return m.NOTSET\nprint(level(logging))\n",
        "logging.NOTSET",
    ),
];

#[test]
fn a_run_says_what_the_simulator_lacks() {
    for (source, what) in AT_RUN_TIME {
        let t = simulate(source);
        assert!(t.diagnostics.is_empty(), "{source}: {:?}", t.diagnostics);
        assert_eq!(
            last_stderr_line(&t),
            format!("NotImplementedError: {}", message(what)),
            "{source}"
        );
    }
}

#[test]
fn an_unsupported_call_in_a_thread_ends_only_that_thread() {
    let t = simulate(AT_RUN_TIME[5].0);
    assert_eq!(t.outcome.exit_code, Some(0));
    assert!(t
        .output
        .iter()
        .any(|l| l.text == "Exception in thread Thread-1 (work):"));
}
