//! Parts of CPython's standard library the simulator lacks are reported as
//! the simulator's, never as an error a learner would take for their own:
//! a script in, the message out.

use threadline_engine::{run, RunOptions, Stream, Trace};

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

/// Scripts whose use of an unsupported function only shows at run time (no
/// checker can tell which module a name holds there), and what they use.
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
