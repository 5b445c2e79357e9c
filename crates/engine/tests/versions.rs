//! The modelled CPython versions: 3.14 is the default, forkserver its start
//! method, and `versions_alike` says which versions a script cannot tell apart.

use threadline_engine::{run, versions_alike, PyVersion, RunOptions, Stream, Trace};

fn run_as(source: &str, python: PyVersion) -> Trace {
    let opts = RunOptions {
        python,
        ..RunOptions::default()
    };
    let a = run(source, &opts);
    assert_eq!(a, run(source, &opts), "two runs of one script differ");
    a
}

fn stdout(t: &Trace) -> Vec<String> {
    t.output
        .iter()
        .filter(|l| l.stream == Stream::Stdout)
        .map(|l| l.text.clone())
        .collect()
}

const START_METHOD: &str = "\
import multiprocessing as mp
import os

X = 1

def child():
    print('child sees X =', X, 'parent is main:', os.getppid() == MAIN)

if __name__ == '__main__':
    MAIN = os.getpid()
    X = 2
    print(mp.get_start_method(), mp.get_all_start_methods())
    p = mp.Process(target=child)
    p.start()
    p.join()
";

#[test]
fn the_default_is_3_14_with_forkserver() {
    assert_eq!(PyVersion::default(), PyVersion::V3_14);
    let t = run(START_METHOD, &RunOptions::default());
    assert_eq!(t.python, PyVersion::V3_14);
    let out = stdout(&t);
    assert_eq!(out[0], "forkserver ['forkserver', 'fork', 'spawn']");
    // The child is forked by the server, which imported the script as
    // __mp_main__: X is the import's, and MAIN was never set there.
    assert!(t.diagnostics.is_empty());
    let names: Vec<&str> = t.processes.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["MainProcess", "resource_tracker", "forkserver", "Process-1"]);
    let server = t.processes[2].pid;
    assert_eq!(t.processes[3].ppid, server, "a child's parent is the fork server");
    assert_eq!(t.processes[1].ppid, t.processes[0].pid);
    assert_eq!(t.outcome.exit_code, Some(0));
}

#[test]
fn under_3_13_fork_copies_the_parent() {
    let out = stdout(&run_as(START_METHOD, PyVersion::V3_13));
    assert_eq!(
        out,
        [
            "fork ['fork', 'spawn', 'forkserver']",
            "child sees X = 2 parent is main: True"
        ]
    );
}

#[test]
fn the_fork_server_imports_the_script_once() {
    let src = "\
import multiprocessing as mp
print('top level runs in', __name__)
def work(i):
    print('child', i)
if __name__ == '__main__':
    ps = [mp.Process(target=work, args=(i,)) for i in range(3)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
";
    let out = stdout(&run_as(src, PyVersion::V3_14));
    assert_eq!(
        out,
        [
            "top level runs in __main__",
            "top level runs in __mp_main__",
            "child 0",
            "child 1",
            "child 2"
        ]
    );
}

#[test]
fn an_unguarded_start_fails_in_the_server_and_the_parent_loses_the_connection() {
    let src = "\
import multiprocessing as mp
def work():
    print('child')
p = mp.Process(target=work)
p.start()
p.join()
";
    let t = run_as(src, PyVersion::V3_14);
    let err: Vec<&str> = t
        .output
        .iter()
        .filter(|l| l.stream == Stream::Stderr && !l.text.starts_with(' '))
        .map(|l| l.text.as_str())
        .collect();
    assert!(err.contains(&"RuntimeError: "), "{err:?}");
    assert_eq!(
        err.last(),
        Some(&"ConnectionResetError: [Errno 104] Connection reset by peer")
    );
    assert_eq!(t.outcome.exit_code, Some(1));
}

#[test]
fn process_interrupt_is_new_in_3_14() {
    let src = "\
import multiprocessing as mp, time
def nap():
    time.sleep(5)
if __name__ == '__main__':
    p = mp.Process(target=nap)
    p.start()
    time.sleep(0.5)
    p.interrupt()
    p.join()
    print('exitcode', p.exitcode)
";
    assert_eq!(stdout(&run_as(src, PyVersion::V3_14)), ["exitcode 1"]);
    let old = run_as(src, PyVersion::V3_13);
    assert!(old
        .output
        .iter()
        .any(|l| l.text == "AttributeError: 'Process' object has no attribute 'interrupt'"));
}

#[test]
fn versions_alike_groups_the_versions_a_script_cannot_tell_apart() {
    let threads = "import threading\nt = threading.Thread(target=print, args=('hi',))\nt.start()\nt.join()\n";
    let opts = RunOptions::default();
    let t = run(threads, &opts);
    assert_eq!(versions_alike(threads, &opts, &t), PyVersion::ALL.to_vec());
    let t = run(START_METHOD, &opts);
    let alike = versions_alike(START_METHOD, &opts, &t);
    assert!(alike.contains(&PyVersion::V3_14));
    assert!(!alike.contains(&PyVersion::V3_13) && !alike.contains(&PyVersion::V3_12));
}

#[test]
fn the_forkserver_versions_are_alike_for_a_simple_child() {
    let src = "import multiprocessing as mp\ndef child():\n    print('child ran')\nif __name__ == '__main__':\n    print(mp.get_start_method())\n    p = mp.Process(target=child)\n    p.start()\n    p.join()\n";
    let opts = RunOptions::default();
    let t = run(src, &opts);
    assert_eq!(versions_alike(src, &opts, &t), [PyVersion::V3_14, PyVersion::V3_15]);
}

#[test]
fn a_child_that_starts_children_gets_its_own_fork_server_and_shares_the_tracker() {
    let src = "\
import multiprocessing as mp
def grandchild():
    print('grandchild')
def child():
    p = mp.Process(target=grandchild)
    p.start()
    p.join()
if __name__ == '__main__':
    p = mp.Process(target=child)
    p.start()
    p.join()
";
    let t = run_as(src, PyVersion::V3_14);
    assert_eq!(stdout(&t), ["grandchild"]);
    let names: Vec<&str> = t.processes.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "MainProcess",
            "resource_tracker",
            "forkserver",
            "Process-1",
            "forkserver",
            "Process-1:1"
        ]
    );
    // The grandchild's parent is the child's own fork server.
    assert_eq!(t.processes[5].ppid, t.processes[4].pid);
    // Every helper ended once nothing used it.
    assert!(t.processes.iter().all(|p| p.exit_code.is_some()), "{:?}", t.processes);
}
