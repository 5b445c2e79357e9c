//! The trace: the engine's only output, and the contract with every front end.
//!
//! Plain data (typed ids, owned vectors, public fields), versioned by
//! [`TRACE_VERSION`] and serializable with serde. Anything a front end shows
//! must be computable from a [`Trace`] alone.

use serde::{Deserialize, Serialize};

/// Bumped whenever the shape or meaning of the trace changes.
pub const TRACE_VERSION: u32 = 2;

/// Virtual time in nanoseconds since the interpreter started.
pub type Nanos = u64;

/// Index of a thread in [`Trace::threads`] (unique across all processes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ThreadId(pub u32);

/// A simulated process id, as `os.getpid()` returns it.
pub type Pid = u32;

/// The CPython version whose behaviour is simulated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PyVersion {
    #[serde(rename = "3.12")]
    V3_12,
    #[default]
    #[serde(rename = "3.13")]
    V3_13,
}

impl PyVersion {
    pub fn label(self) -> &'static str {
        match self {
            PyVersion::V3_12 => "3.12",
            PyVersion::V3_13 => "3.13",
        }
    }

    pub fn parse(s: &str) -> Option<PyVersion> {
        match s {
            "3.12" => Some(PyVersion::V3_12),
            "3.13" => Some(PyVersion::V3_13),
            _ => None,
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
    pub choices: Vec<crate::vm::schedule::Choice>,
    /// The schedule string that replays this run (`threadline run --schedule`).
    #[serde(default)]
    pub schedule: String,
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
}

impl BlockedOn {
    /// A short phrase: "join of Thread-1 (worker)".
    pub fn describe(&self, threads: &[ThreadInfo]) -> String {
        let name = |t: &ThreadId| {
            threads
                .get(t.0 as usize)
                .map(|i| i.name.clone())
                .unwrap_or_else(|| format!("thread #{}", t.0))
        };
        match self {
            BlockedOn::Join { thread } => format!("join of {}", name(thread)),
            BlockedOn::Shutdown { thread } => format!("interpreter shutdown waiting for {}", name(thread)),
            BlockedOn::Event { object } => format!("{object}.wait()"),
            BlockedOn::Lock { object, holder } => match holder {
                Some(h) => format!("{object}.acquire() (held by {})", name(h)),
                None => format!("{object}.acquire()"),
            },
            BlockedOn::Condition { object } => format!("{object}.wait()"),
            BlockedOn::Semaphore { object } => format!("{object}.acquire()"),
            BlockedOn::Barrier { object } => format!("{object}.wait()"),
            BlockedOn::Queue { object, op } => format!("{object}.{op}()"),
            BlockedOn::Future { object } => format!("{object}.result()"),
            BlockedOn::Process { pid } => format!("join of child process {pid}"),
            BlockedOn::QueueFlush { object } => {
                format!("exit: its data in {object} must be read first (a pipe holds 64 KiB)")
            }
        }
    }
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
    /// Plain-language explanation of the final state, one sentence per entry.
    pub explanation: Vec<String>,
    /// Bytecode instructions executed in all.
    pub instructions: u64,
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

impl Diagnostic {
    /// `line 3, column 5: async def is not supported by the simulator`
    pub fn render(&self) -> String {
        let kind = match self.kind {
            DiagnosticKind::Syntax => "SyntaxError: ",
            DiagnosticKind::Unsupported | DiagnosticKind::Limit => "",
        };
        format!("line {}, column {}: {}{}", self.line, self.col, kind, self.message)
    }
}
