//! The trace: the engine's only output, and the contract with every front end.
//!
//! Plain data (typed ids, owned vectors, public fields), versioned by
//! [`TRACE_VERSION`] and serializable with serde. Anything a front end shows
//! must be computable from a [`Trace`] alone. [`phrases`] is the phrasebook
//! that puts its states, waits and outcomes into words.
//!
//! This module depends on nothing else in the crate: the simulator writes a
//! trace, everything else reads one.

use serde::{Deserialize, Serialize};

mod options;
pub mod phrases;
pub mod report;
mod schedule;

pub use options::{signal_number, RunOptions, SignalSpec, SignalTarget};
pub use phrases::signal_name;
pub use schedule::{Schedule, SCHEDULE_VERSION};

/// Bumped whenever the shape or meaning of the trace changes.
pub const TRACE_VERSION: u32 = 2;

/// Virtual time in nanoseconds since the interpreter started.
pub type Nanos = u64;

/// Index of a thread in [`Trace::threads`] (unique across all processes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ThreadId(pub u32);

/// A simulated process id, as `os.getpid()` returns it.
pub type Pid = u32;

/// The CPython version whose behaviour is simulated (ordered: `V3_12 < V3_15`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PyVersion {
    #[serde(rename = "3.12")]
    V3_12,
    #[serde(rename = "3.13")]
    V3_13,
    #[default]
    #[serde(rename = "3.14")]
    V3_14,
    #[serde(rename = "3.15")]
    V3_15,
}

impl PyVersion {
    /// Every modelled version, oldest first.
    pub const ALL: [PyVersion; 4] = [PyVersion::V3_12, PyVersion::V3_13, PyVersion::V3_14, PyVersion::V3_15];

    pub fn label(self) -> &'static str {
        match self {
            PyVersion::V3_12 => "3.12",
            PyVersion::V3_13 => "3.13",
            PyVersion::V3_14 => "3.14",
            PyVersion::V3_15 => "3.15",
        }
    }

    /// `3.13`, or a full version such as `3.13.0` (its minor version counts).
    pub fn parse(s: &str) -> Option<PyVersion> {
        let minor = s.splitn(3, '.').take(2).collect::<Vec<_>>().join(".");
        PyVersion::ALL.into_iter().find(|v| v.label() == minor)
    }

    /// The minor version number (`13` for 3.13).
    pub fn minor(self) -> u32 {
        match self {
            PyVersion::V3_12 => 12,
            PyVersion::V3_13 => 13,
            PyVersion::V3_14 => 14,
            PyVersion::V3_15 => 15,
        }
    }
}

/// Everything that happened in one simulated run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    pub version: u32,
    pub python: PyVersion,
    pub seed: u64,
    /// The virtual-time limit of the run.
    pub horizon_ns: Nanos,
    /// Syntax errors and unsupported constructs. When non-empty nothing was simulated.
    pub diagnostics: Vec<Diagnostic>,
    pub processes: Vec<ProcessInfo>,
    pub threads: Vec<ThreadInfo>,
    /// In time order (ties keep the order in which they happened).
    pub events: Vec<Event>,
    /// What a terminal shows, in order.
    pub output: Vec<OutputLine>,
    pub outcome: Outcome,
    /// The scheduling decisions taken (option 0 is the default run's), in order.
    #[serde(default)]
    pub choices: Vec<Choice>,
    /// The schedule string that replays this run (`threadline run --schedule`).
    #[serde(default)]
    pub schedule: String,
}

/// What a scheduling decision was about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceKind {
    /// Which ready thread takes the GIL.
    Gil,
    /// Whether the running thread is switched out here (0: it keeps running).
    Preempt,
    /// Which of several timers due together fires first.
    Timer,
}

/// A decision taken during a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub t_ns: Nanos,
    pub kind: ChoiceKind,
    /// The threads the options stand for (for Preempt: [running, next ready]).
    pub options: Vec<ThreadId>,
    pub chosen: u32,
    /// Source line of the running thread at the choice.
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcessInfo {
    pub pid: Pid,
    pub ppid: Pid,
    pub name: String,
    pub daemon: bool,
    pub start_ns: Nanos,
    /// As `subprocess.Popen.returncode` reports it: -N when killed by signal N.
    pub exit_code: Option<i32>,
    pub exit_ns: Option<Nanos>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadInfo {
    pub id: ThreadId,
    pub pid: Pid,
    pub name: String,
    pub daemon: bool,
    pub is_main: bool,
    /// The thread that constructed this one (None for a main thread).
    pub created_by: Option<ThreadId>,
    /// Line of the `Thread(...)` construction or of the `start()` call.
    pub start_line: Option<u32>,
    pub start_ns: Option<Nanos>,
    pub end_ns: Option<Nanos>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub t_ns: Nanos,
    pub kind: EventKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// A thread's state changed.
    State { thread: ThreadId, state: ThreadState },
    /// A thread moved to another source line (sampled for long CPU-bound runs).
    Line { thread: ThreadId, line: u32 },
    /// `output[index]` was written.
    Output { index: usize },
    /// `by` called `start()` on `thread`.
    Start { by: ThreadId, thread: ThreadId, line: u32 },
    /// `waiter`'s `join()` of `target` returned (`timed_out` when the target still runs).
    Join {
        waiter: ThreadId,
        target: ThreadId,
        line: u32,
        timed_out: bool,
    },
    /// An exception escaped a thread's outermost frame.
    Uncaught {
        thread: ThreadId,
        exception: String,
        line: u32,
    },
    /// A step of interpreter shutdown.
    Phase { pid: Pid, phase: ShutdownPhase },
    /// A process ended.
    Exit { pid: Pid, code: i32 },
    /// `parent` started process `pid` (fork, spawn or forkserver) at `line`.
    ProcessStart {
        parent: Pid,
        pid: Pid,
        method: String,
        line: u32,
    },
    /// The parent collected an exited child's status (it stops being a zombie).
    Reaped { pid: Pid },
    /// A process lost its parent and was re-parented (to init, pid 1).
    Reparent { pid: Pid, ppid: Pid },
    /// A signal was sent (`from` is None for the terminal or the user) and what it did:
    /// "handler", "KeyboardInterrupt", "terminated", "killed" or "ignored".
    Signal {
        from: Option<Pid>,
        to: Pid,
        signum: i32,
        action: String,
    },
}

/// A thread's state, with the reason a learner needs to understand it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ThreadState {
    /// Created but `start()` not called yet.
    New,
    /// Runnable, waiting for the GIL.
    Ready,
    /// Holds the GIL.
    Running { line: u32 },
    /// In `time.sleep`.
    Sleeping { until_ns: Nanos, line: u32 },
    /// Waiting for something; `until_ns` is the timeout, if any.
    Blocked {
        on: BlockedOn,
        line: u32,
        until_ns: Option<Nanos>,
    },
    /// Returned from its target (or main module ended, for the main thread).
    Finished,
    /// Ended by an exception that nothing caught.
    Failed { exception: String },
    /// A daemon thread dropped at interpreter exit: its `finally` never runs.
    Abandoned,
    /// Its process was ended by signal `signal` (SIGKILL, default SIGTERM, ...):
    /// no `finally`, no atexit handler ran.
    Killed { signal: i32 },
}

impl ThreadState {
    pub fn is_alive(&self) -> bool {
        !matches!(
            self,
            ThreadState::New
                | ThreadState::Finished
                | ThreadState::Failed { .. }
                | ThreadState::Abandoned
                | ThreadState::Killed { .. }
        )
    }
}

/// What a blocked thread waits for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlockedOn {
    /// `Thread.join()` of another thread.
    Join { thread: ThreadId },
    /// Interpreter shutdown waiting for a non-daemon thread.
    Shutdown { thread: ThreadId },
    /// `Event.wait()`.
    Event { object: String },
    /// `Lock.acquire()` / `RLock.acquire()`; `holder` is who has it.
    Lock { object: String, holder: Option<ThreadId> },
    /// `Condition.wait()`.
    Condition { object: String },
    /// `Semaphore.acquire()`.
    Semaphore { object: String },
    /// `Barrier.wait()`.
    Barrier { object: String },
    /// `queue.Queue.get()` on an empty queue / `put()` on a full one / `join()`.
    Queue { object: String, op: String },
    /// `Future.result()` and friends.
    Future { object: String },
    /// `Process.join()` of a child process.
    Process { pid: Pid },
    /// A `multiprocessing` queue's data must fit in its pipe before the process can exit.
    QueueFlush { object: String },
    /// `Process.start()` under `forkserver`: the fork server `pid` must fork the child first.
    ForkServer { pid: Pid },
    /// A helper process (`service`: the fork server, the resource tracker) waits for requests.
    Requests { service: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShutdownPhase {
    /// The main module's last statement ran (or an exception escaped it).
    MainFinished,
    /// `threading._shutdown` joins the non-daemon threads.
    JoiningThreads,
    /// `atexit` handlers run, last registered first.
    Atexit,
    /// Daemon threads are dropped and the process exits.
    Exiting,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stream {
    Stdout,
    Stderr,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutputLine {
    pub t_ns: Nanos,
    pub stream: Stream,
    pub pid: Pid,
    pub thread: ThreadId,
    /// One line, without its newline. A final write without newline is a line too.
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The main process's exit status (`None` when still running at the end).
    pub exit_code: Option<i32>,
    pub exit_ns: Option<Nanos>,
    pub still_running: bool,
    pub stop: StopReason,
    /// Plain-language explanation of the final state, one sentence per entry
    /// (computed from the rest of the trace by `report::explain`).
    pub explanation: Vec<String>,
    /// Bytecode instructions executed in all.
    pub instructions: u64,
    /// The threads that held or waited for the GIL when the run stopped, with
    /// the script line each had reached: their `Running` state gives the line
    /// where they took the GIL, and `Line` events are sampled in long runs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines_at_stop: Vec<ThreadLine>,
    /// 3.12 and earlier: threads that a KeyboardInterrupt in `join()` marked
    /// stopped although they still ran (CPython issue #90882); interpreter
    /// shutdown does not wait for them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marked_stopped: Vec<ThreadId>,
}

/// A thread and a line of the script.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadLine {
    pub thread: ThreadId,
    pub line: u32,
}

/// Why the simulation stopped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum StopReason {
    /// Every process exited.
    Exited,
    /// The script could not be simulated (see `diagnostics`).
    Diagnostics,
    /// The virtual-time horizon was reached with something still alive.
    Horizon,
    /// Nothing can run and no timer is pending.
    Deadlock,
    /// The instruction budget ran out.
    InstructionBudget { limit: u64 },
    /// Too much output.
    OutputLimit { limit: usize },
    /// Too many threads.
    ThreadLimit { limit: usize },
    /// Too many processes.
    ProcessLimit { limit: usize },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticKind {
    /// The script is not valid Python (as CPython's `SyntaxError`).
    Syntax,
    /// Valid Python outside the subset the simulator supports.
    Unsupported,
    /// The script is too large or too deeply nested to simulate safely.
    Limit,
}

/// A problem with the script, at a place in it. Lines and columns are 1-based;
/// columns count characters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub kind: DiagnosticKind,
    pub message: String,
    pub line: u32,
    pub col: u32,
    pub end_line: u32,
    pub end_col: u32,
}
