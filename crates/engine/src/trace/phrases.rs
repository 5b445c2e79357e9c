//! The phrasebook: the one place where the trace's states, waits and outcomes
//! are put into words.
//!
//! The engine's explanation of how a run ended (`report.rs`), the CLI
//! and the app's panels take the wordings they share from here, so that each
//! one exists once. Each front end still writes its own sentences around
//! them; where a phrase contains a time, the caller passes it already
//! formatted (the explanation in seconds, [`secs`]; the app in its own units).

use super::{
    BlockedOn, Diagnostic, DiagnosticKind, Nanos, Pid, ProcessInfo, StopReason, ThreadId, ThreadInfo, ThreadState,
};

/// Seconds with millisecond precision: `1.234 s`.
pub fn secs(t: Nanos) -> String {
    format!("{:.3} s", t as f64 / 1e9)
}

/// Signal names as `signal.Signals` shows them: `SIGKILL` for 9; `signal 42`
/// for a number without a name.
pub fn signal_name(signum: i32) -> String {
    match signum {
        1 => "SIGHUP".into(),
        2 => "SIGINT".into(),
        3 => "SIGQUIT".into(),
        9 => "SIGKILL".into(),
        10 => "SIGUSR1".into(),
        12 => "SIGUSR2".into(),
        14 => "SIGALRM".into(),
        15 => "SIGTERM".into(),
        n => format!("signal {n}"),
    }
}

/// A thread's name (`Thread-1 (worker)`), or `thread #3` for an id the trace
/// does not list.
pub fn thread_name(threads: &[ThreadInfo], id: ThreadId) -> String {
    threads
        .get(id.0 as usize)
        .map_or_else(|| format!("thread #{}", id.0), |t| t.name.clone())
}

/// A process with its pid (`Process-1 (pid 1001)`), or `pid 1001` for a pid
/// the trace does not list.
pub fn process_name(processes: &[ProcessInfo], pid: Pid) -> String {
    match processes.iter().find(|p| p.pid == pid) {
        Some(p) => format!("{} (pid {pid})", p.name),
        None => format!("pid {pid}"),
    }
}

/// `daemon thread` or `non-daemon thread`.
pub fn thread_kind(daemon: bool) -> &'static str {
    if daemon {
        "daemon thread"
    } else {
        "non-daemon thread"
    }
}

/// `killed by SIGTERM`.
pub fn killed_by(signal: i32) -> String {
    format!("killed by {}", signal_name(signal))
}

/// An exit status with its meaning, as `Popen.returncode` gives it: `0`,
/// `-15 (SIGTERM)`.
pub fn exit_status(code: i32) -> String {
    if code < 0 {
        format!("{code} ({})", signal_name(-code))
    } else {
        code.to_string()
    }
}

/// `exited with code 1 at 2.000 s`, whatever the code (the time formatted by the caller).
pub fn exited_with(code: i32, at: &str) -> String {
    format!("exited with code {code} at {at}")
}

/// `was ended by SIGTERM`.
pub fn ended_by(signal: i32) -> String {
    format!("was ended by {}", signal_name(signal))
}

/// How a process ended, at a time the caller formats: `exited with code 1 at
/// 2 s`, or for a signal `was ended by SIGTERM at 2 s (exit code -15)`.
pub fn exit_phrase(code: i32, at: &str) -> String {
    if code < 0 {
        format!("{} at {at} (exit code {code})", ended_by(-code))
    } else {
        exited_with(code, at)
    }
}

impl BlockedOn {
    /// What a blocked thread waits in, in a few words: `join of Thread-1 (worker)`.
    pub fn describe(&self, threads: &[ThreadInfo]) -> String {
        let name = |t: &ThreadId| thread_name(threads, *t);
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
            BlockedOn::ForkServer { pid } => format!("start(): the fork server (pid {pid}) forks the child"),
            BlockedOn::Requests { service } => format!("the {service}'s requests"),
        }
    }
}

/// A thread's state in a few words, with its line and times in seconds:
/// `busy at line 7`, `blocked in join of Thread-1 (worker) at line 9`.
pub fn state_phrase(state: &ThreadState, threads: &[ThreadInfo]) -> String {
    match state {
        ThreadState::New => "not started".into(),
        ThreadState::Ready => "waiting for the GIL".into(),
        ThreadState::Running { line } => format!("busy at line {line}"),
        ThreadState::Sleeping { until_ns, line } => format!("sleeping at line {line} (until {})", secs(*until_ns)),
        ThreadState::Blocked { on, line, until_ns } => {
            let until = until_ns
                .map(|u| format!(", timeout at {}", secs(u)))
                .unwrap_or_default();
            format!("blocked in {} at line {line}{until}", on.describe(threads))
        }
        ThreadState::Finished => "finished".into(),
        ThreadState::Failed { exception } => format!("ended by an uncaught {exception}"),
        ThreadState::Abandoned => "abandoned at exit".into(),
        ThreadState::Killed { signal } => format!("killed with its process by {}", signal_name(*signal)),
    }
}

/// A run stopped by one of the simulator's limits: `stopped after 1000 lines of output`.
pub fn limit_phrase(stop: &StopReason) -> Option<String> {
    Some(match stop {
        StopReason::InstructionBudget { limit } => format!("stopped after {limit} instructions"),
        StopReason::OutputLimit { limit } => format!("stopped after {limit} lines of output"),
        StopReason::ThreadLimit { limit } => format!("stopped: more than {limit} threads"),
        StopReason::ProcessLimit { limit } => format!("stopped: more than {limit} processes were started"),
        StopReason::Exited | StopReason::Diagnostics | StopReason::Horizon | StopReason::Deadlock => return None,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exit_by_signal_names_the_signal() {
        assert_eq!(exit_phrase(1, "2 s"), "exited with code 1 at 2 s");
        assert_eq!(exit_phrase(-15, "2 s"), "was ended by SIGTERM at 2 s (exit code -15)");
        assert_eq!(exit_status(0), "0");
        assert_eq!(exit_status(-9), "-9 (SIGKILL)");
        assert_eq!(killed_by(42), "killed by signal 42");
    }

    #[test]
    fn threads_and_processes_the_trace_does_not_list_go_by_number() {
        assert_eq!(thread_name(&[], ThreadId(3)), "thread #3");
        assert_eq!(process_name(&[], 1001), "pid 1001");
        let wait = BlockedOn::Lock {
            object: "lock".into(),
            holder: Some(ThreadId(2)),
        };
        assert_eq!(wait.describe(&[]), "lock.acquire() (held by thread #2)");
    }

    #[test]
    fn states_say_their_line_and_times_in_seconds() {
        let state = ThreadState::Blocked {
            on: BlockedOn::Event { object: "done".into() },
            line: 7,
            until_ns: Some(1_500_000_000),
        };
        assert_eq!(
            state_phrase(&state, &[]),
            "blocked in done.wait() at line 7, timeout at 1.500 s"
        );
        assert_eq!(state_phrase(&ThreadState::Ready, &[]), "waiting for the GIL");
    }
}
