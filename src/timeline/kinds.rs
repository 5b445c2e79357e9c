//! What the timeline tells apart, each with its CSS class and words: a
//! thread state's colour ([`StateClass`]), a wait's pattern ([`WaitKind`]),
//! both together ([`BarStyle`]), and a process's lifetime ([`ProcClass`]).

use threadline_engine::{BlockedOn, ThreadState};

/// The colour class of a thread state (what the legend lists).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StateClass {
    New,
    Ready,
    Running,
    Sleeping,
    Blocked,
    Finished,
    Failed,
    Abandoned,
    Killed,
}

impl StateClass {
    /// In legend order.
    pub const ALL: [StateClass; 9] = [
        StateClass::Running,
        StateClass::Ready,
        StateClass::Sleeping,
        StateClass::Blocked,
        StateClass::New,
        StateClass::Finished,
        StateClass::Failed,
        StateClass::Abandoned,
        StateClass::Killed,
    ];

    pub fn of(state: &ThreadState) -> StateClass {
        match state {
            ThreadState::New => StateClass::New,
            ThreadState::Ready => StateClass::Ready,
            ThreadState::Running { .. } => StateClass::Running,
            ThreadState::Sleeping { .. } => StateClass::Sleeping,
            ThreadState::Blocked { .. } => StateClass::Blocked,
            ThreadState::Finished => StateClass::Finished,
            ThreadState::Failed { .. } => StateClass::Failed,
            ThreadState::Abandoned => StateClass::Abandoned,
            ThreadState::Killed { .. } => StateClass::Killed,
        }
    }

    /// The CSS class ([`SVG_STYLE`] colours it).
    pub fn css_class(self) -> &'static str {
        match self {
            StateClass::New => "state-new",
            StateClass::Ready => "state-ready",
            StateClass::Running => "state-running",
            StateClass::Sleeping => "state-sleeping",
            StateClass::Blocked => "state-blocked",
            StateClass::Finished => "state-finished",
            StateClass::Failed => "state-failed",
            StateClass::Abandoned => "state-abandoned",
            StateClass::Killed => "state-killed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StateClass::New => "not started",
            StateClass::Ready => "ready (waiting for the GIL)",
            StateClass::Running => "running (holds the GIL)",
            StateClass::Sleeping => "sleeping",
            StateClass::Blocked => "blocked",
            StateClass::Finished => "finished",
            StateClass::Failed => "failed",
            StateClass::Abandoned => "abandoned at exit",
            StateClass::Killed => "killed by a signal",
        }
    }

    /// Whether a thread in this state is alive (drawn as a full-height bar).
    pub fn is_alive(self) -> bool {
        matches!(
            self,
            StateClass::Ready | StateClass::Running | StateClass::Sleeping | StateClass::Blocked
        )
    }
}

/// What a blocked thread waits for, as the timeline tells them apart (by a pattern).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WaitKind {
    /// `Thread.join()`.
    Join,
    /// `Event.wait()`, `Condition.wait()`, `Barrier.wait()`, `Future.result()`.
    Event,
    /// `Lock.acquire()`, `Semaphore.acquire()`.
    Lock,
    /// A queue's `get()`, `put()` or `join()`, or a multiprocessing queue's flush at exit.
    Queue,
    /// `Process.join()`.
    Process,
    /// Interpreter shutdown waiting for a non-daemon thread.
    Shutdown,
}

impl WaitKind {
    pub const ALL: [WaitKind; 6] = [
        WaitKind::Join,
        WaitKind::Event,
        WaitKind::Lock,
        WaitKind::Queue,
        WaitKind::Process,
        WaitKind::Shutdown,
    ];

    pub fn of(on: &BlockedOn) -> WaitKind {
        match on {
            BlockedOn::Join { .. } => WaitKind::Join,
            BlockedOn::Shutdown { .. } => WaitKind::Shutdown,
            BlockedOn::Event { .. }
            | BlockedOn::Condition { .. }
            | BlockedOn::Barrier { .. }
            | BlockedOn::Future { .. } => WaitKind::Event,
            BlockedOn::Lock { .. } | BlockedOn::Semaphore { .. } => WaitKind::Lock,
            BlockedOn::Queue { .. } | BlockedOn::QueueFlush { .. } => WaitKind::Queue,
            BlockedOn::Process { .. } | BlockedOn::ForkServer { .. } => WaitKind::Process,
            BlockedOn::Requests { .. } => WaitKind::Event,
        }
    }

    /// The CSS class (a pattern fill in [`SVG_STYLE`]).
    pub fn css_class(self) -> &'static str {
        match self {
            WaitKind::Join => "wait-join",
            WaitKind::Event => "wait-event",
            WaitKind::Lock => "wait-lock",
            WaitKind::Queue => "wait-queue",
            WaitKind::Process => "wait-process",
            WaitKind::Shutdown => "wait-shutdown",
        }
    }

    /// The id of its `<pattern>` in the drawing's `<defs>`.
    pub fn pattern_id(self) -> &'static str {
        match self {
            WaitKind::Join => "tl-pat-join",
            WaitKind::Event => "tl-pat-event",
            WaitKind::Lock => "tl-pat-lock",
            WaitKind::Queue => "tl-pat-queue",
            WaitKind::Process => "tl-pat-process",
            WaitKind::Shutdown => "tl-pat-shutdown",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WaitKind::Join => "blocked in join() of a thread",
            WaitKind::Event => "blocked on an event, condition, barrier or future",
            WaitKind::Lock => "blocked on a lock or semaphore",
            WaitKind::Queue => "blocked on a queue",
            WaitKind::Process => "blocked in join() of a process",
            WaitKind::Shutdown => "waiting at shutdown for a non-daemon thread",
        }
    }
}

/// How a bar looks: its state's colour, and for a blocked state the pattern of its wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BarStyle {
    pub class: StateClass,
    pub wait: Option<WaitKind>,
}

impl BarStyle {
    pub fn of(state: &ThreadState) -> BarStyle {
        BarStyle {
            class: StateClass::of(state),
            wait: match state {
                ThreadState::Blocked { on, .. } => Some(WaitKind::of(on)),
                _ => None,
            },
        }
    }

    /// `"bar state-blocked wait-join"`.
    pub fn css_classes(self) -> String {
        match self.wait {
            Some(wait) => format!("bar {} {}", self.class.css_class(), wait.css_class()),
            None => format!("bar {}", self.class.css_class()),
        }
    }
}

/// A process's lifetime on its header row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProcClass {
    /// Started and not exited yet.
    Running,
    /// Exited, its status not collected by its parent yet.
    Zombie,
    /// Exited and reaped.
    Dead,
}

impl ProcClass {
    pub const ALL: [ProcClass; 3] = [ProcClass::Running, ProcClass::Zombie, ProcClass::Dead];

    pub fn css_class(self) -> &'static str {
        match self {
            ProcClass::Running => "proc-running",
            ProcClass::Zombie => "proc-zombie",
            ProcClass::Dead => "proc-dead",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProcClass::Running => "process alive",
            ProcClass::Zombie => "process exited, not reaped yet (zombie)",
            ProcClass::Dead => "process exited and reaped",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::describe;
    use crate::timeline::testkit::two_threads;
    use threadline_engine::ThreadId;

    #[test]
    fn waits_are_told_apart() {
        let kinds: Vec<WaitKind> = [
            BlockedOn::Join { thread: ThreadId(1) },
            BlockedOn::Event { object: "e".into() },
            BlockedOn::Lock {
                object: "l".into(),
                holder: None,
            },
            BlockedOn::Queue {
                object: "q".into(),
                op: "get".into(),
            },
            BlockedOn::Process { pid: 7 },
            BlockedOn::Shutdown { thread: ThreadId(1) },
        ]
        .iter()
        .map(WaitKind::of)
        .collect();
        assert_eq!(kinds, WaitKind::ALL.to_vec());
        let t = two_threads();
        let shutdown = ThreadState::Blocked {
            on: BlockedOn::Shutdown { thread: ThreadId(1) },
            line: 9,
            until_ns: None,
        };
        assert_eq!(
            describe(&shutdown, &t),
            "waiting at shutdown: interpreter shutdown waiting for Thread-1 (worker) (line 9)"
        );
        assert_eq!(describe(&ThreadState::Killed { signal: 9 }, &t), "killed by SIGKILL");
    }
}
