//! A `ps`-like table of the run's processes at a cursor time, computed from
//! the trace alone: parent (re-parenting included), state, exit status and
//! live threads. Pure (no web types).

use threadline_engine::phrases::{exit_status, killed_by};
use threadline_engine::{BlockedOn, EventKind, Nanos, Pid, ThreadId, ThreadState, Trace};

use crate::snapshot::Frame;
use crate::timeline::format_time;

/// What a process is doing at the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProcState {
    /// Started but its interpreter has not run a line yet (start-up, fork or spawn).
    Starting,
    /// A thread holds its GIL or waits for it.
    Running,
    /// Every live thread sleeps; `until_ns` is when its main thread wakes.
    Sleeping { until_ns: Option<Nanos> },
    /// Its main thread (or, after the main thread finished, interpreter shutdown) waits for something.
    Waiting { what: String },
    /// The script is over and the process is on its way out.
    Exiting,
    /// Exited, but its parent has not collected the exit status yet.
    Zombie,
    /// Exited and collected by its parent.
    Dead,
    /// Ended by a signal and collected.
    Killed { signal: i32 },
}

impl ProcState {
    /// The state column's text: "waiting (join of child process 1001)".
    pub fn label(&self) -> String {
        match self {
            ProcState::Starting => "starting".into(),
            ProcState::Running => "running".into(),
            ProcState::Sleeping { until_ns: Some(t) } => format!("sleeping (until {})", format_time(*t)),
            ProcState::Sleeping { until_ns: None } => "sleeping".into(),
            ProcState::Waiting { what } => format!("waiting ({what})"),
            ProcState::Exiting => "exiting".into(),
            ProcState::Zombie => "zombie (exited, not yet reaped)".into(),
            ProcState::Dead => "dead".into(),
            ProcState::Killed { signal } => killed_by(*signal),
        }
    }

    /// A short class name for styling: "running", "zombie", ...
    pub fn css_class(&self) -> &'static str {
        match self {
            ProcState::Starting => "starting",
            ProcState::Running => "running",
            ProcState::Sleeping { .. } => "sleeping",
            ProcState::Waiting { .. } => "waiting",
            ProcState::Exiting => "exiting",
            ProcState::Zombie => "zombie",
            ProcState::Dead => "dead",
            ProcState::Killed { .. } => "killed",
        }
    }

    /// Exited (zombie, dead or killed).
    pub fn has_exited(&self) -> bool {
        matches!(self, ProcState::Zombie | ProcState::Dead | ProcState::Killed { .. })
    }
}

/// One row of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PsRow {
    pub pid: Pid,
    /// The parent at the cursor (1 once the process was re-parented to init).
    pub ppid: Pid,
    pub name: String,
    pub daemon: bool,
    pub state: ProcState,
    /// The exit status once exited, as `Popen.returncode` (-N for signal N).
    pub exit_code: Option<i32>,
    /// Threads alive at the cursor.
    pub threads: usize,
}

impl PsRow {
    /// The row's classes: "ps-row ps-zombie ps-exited".
    pub fn css_classes(&self) -> String {
        let mut classes = format!("ps-row ps-{}", self.state.css_class());
        if self.state.has_exited() {
            classes.push_str(" ps-exited");
        }
        classes
    }

    /// The hint on the parent's pid of an orphan re-parented to init, or of
    /// the main process (started by the shell, which the run does not model).
    pub fn ppid_title(&self) -> Option<&'static str> {
        match self.ppid {
            0 => Some("started from the shell's prompt"),
            1 => Some("re-parented to init (pid 1): its parent is gone"),
            _ => None,
        }
    }

    /// The parent column: the pid, or "shell" for the main process (whose
    /// parent is the shell; the simulated run has no pid for it).
    pub fn ppid_cell(&self) -> String {
        if self.ppid == 0 {
            "shell".to_string()
        } else {
            self.ppid.to_string()
        }
    }

    /// The exit code column: "-15 (SIGTERM)", or a dash while it runs.
    pub fn exit_cell(&self) -> String {
        self.exit_code.map_or_else(|| "–".to_string(), exit_status)
    }
}

/// Every process started by the frame's time, in pid order of the trace.
pub fn ps_at(trace: &Trace, frame: &Frame) -> Vec<PsRow> {
    let t_ns = frame.t_ns;
    trace
        .processes
        .iter()
        .filter(|p| p.start_ns <= t_ns)
        .map(|p| {
            let parent = parent_at(trace, frame, p.pid);
            let threads: Vec<usize> = trace
                .threads
                .iter()
                .filter(|th| th.pid == p.pid)
                .map(|th| th.id.0 as usize)
                .collect();
            let alive = threads.iter().filter(|i| frame.is_alive(ThreadId(**i as u32))).count();
            let exit_code = p.exit_code.filter(|_| exited_by(trace, p.pid, t_ns));
            let state = match exit_code {
                Some(code) => {
                    // A parent collects its child's status (Reaped); init (pid 1)
                    // and the shell that started the main process do so at once,
                    // and so does init for the children of a parent that exited.
                    let collected = frame.reaped.contains(&p.pid)
                        || parent <= 1
                        || !trace.processes.iter().any(|q| q.pid == parent)
                        || exited_by(trace, parent, t_ns);
                    match (collected, code) {
                        (false, _) => ProcState::Zombie,
                        (true, c) if c < 0 => ProcState::Killed { signal: -c },
                        (true, _) => ProcState::Dead,
                    }
                }
                None => live_state(trace, &threads, &frame.states, &frame.ran),
            };
            PsRow {
                pid: p.pid,
                ppid: parent,
                name: p.name.clone(),
                daemon: p.daemon,
                state,
                exit_code,
                threads: alive,
            }
        })
        .collect()
}

/// A process's parent at the frame's time: the one that started it, or init
/// once it was re-parented.
fn parent_at(trace: &Trace, frame: &Frame, pid: Pid) -> Pid {
    frame.reparented_to(pid).unwrap_or_else(|| {
        let started_by = trace.events.iter().rev().find_map(|e| match e.kind {
            EventKind::ProcessStart { parent, pid: p, .. } if p == pid => Some(parent),
            _ => None,
        });
        started_by.unwrap_or_else(|| trace.processes.iter().find(|p| p.pid == pid).map_or(0, |p| p.ppid))
    })
}

/// Whether `pid` exited at or before `t_ns`.
fn exited_by(trace: &Trace, pid: Pid, t_ns: Nanos) -> bool {
    trace
        .processes
        .iter()
        .find(|p| p.pid == pid)
        .and_then(|p| p.exit_ns)
        .is_some_and(|t| t <= t_ns)
}

/// What a process waits for, in a few words: "join of pid 1001", "exit: Thread-1".
fn waiting_for(trace: &Trace, on: &BlockedOn) -> String {
    match on {
        BlockedOn::Shutdown { thread } => {
            let name = trace
                .threads
                .get(thread.0 as usize)
                .map_or("a thread", |t| t.name.as_str());
            format!("at exit, for {name}")
        }
        BlockedOn::Process { pid } => format!("join of pid {pid}"),
        _ => on.describe(&trace.threads),
    }
}

/// The state of a process that has not exited, from its threads' states.
fn live_state(trace: &Trace, threads: &[usize], states: &[Option<ThreadState>], ran: &[bool]) -> ProcState {
    let Some(&main) = threads
        .iter()
        .find(|i| trace.threads.get(**i).is_some_and(|t| t.is_main))
        .or(threads.first())
    else {
        return ProcState::Starting;
    };
    if !ran.get(main).copied().unwrap_or(false) {
        return ProcState::Starting;
    }
    let state_of = |i: usize| states.get(i).and_then(|s| s.as_ref());
    if threads
        .iter()
        .any(|i| matches!(state_of(*i), Some(ThreadState::Running { .. } | ThreadState::Ready)))
    {
        return ProcState::Running;
    }
    match state_of(main) {
        Some(ThreadState::Sleeping { until_ns, .. }) => ProcState::Sleeping {
            until_ns: Some(*until_ns),
        },
        Some(ThreadState::Blocked { on, .. }) => ProcState::Waiting {
            what: waiting_for(trace, on),
        },
        _ => {
            // The main thread is done: whatever other thread lives decides.
            let others: Vec<&ThreadState> = threads
                .iter()
                .filter_map(|i| state_of(*i))
                .filter(|s| s.is_alive())
                .collect();
            match others.first() {
                None => ProcState::Exiting,
                Some(ThreadState::Blocked { on, .. }) => ProcState::Waiting {
                    what: waiting_for(trace, on),
                },
                Some(_) => ProcState::Sleeping { until_ns: None },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use threadline_engine::{RunOptions, SignalSpec, SignalTarget};

    /// Under 3.13, whose `fork` makes a child the main process's own.
    fn trace_of(id: &str, tweak: impl Fn(&mut RunOptions)) -> Trace {
        crate::testing::scenario_trace(id, |o| {
            o.python = threadline_engine::PyVersion::V3_13;
            tweak(o)
        })
    }

    fn ps(trace: &Trace, t_ns: Nanos) -> Vec<PsRow> {
        ps_at(trace, &Frame::at(trace, &[], t_ns))
    }

    fn row(rows: &[PsRow], pid: Pid) -> &PsRow {
        rows.iter()
            .find(|r| r.pid == pid)
            .unwrap_or_else(|| panic!("pid {pid} in {rows:?}"))
    }

    #[test]
    fn exit_codes_say_which_signal() {
        assert_eq!(exit_status(0), "0");
        assert_eq!(exit_status(3), "3");
        assert_eq!(exit_status(-15), "-15 (SIGTERM)");
        assert_eq!(exit_status(-9), "-9 (SIGKILL)");
    }

    #[test]
    fn only_started_processes_are_listed_and_the_main_one_starts_first() {
        let trace = trace_of("mp-nondaemon-no-join", |_| {});
        let rows = ps(&trace, 0);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].state, ProcState::Starting);
        assert_eq!(rows[0].ppid, 0);
        assert_eq!(rows[0].ppid_cell(), "shell");
        let child = &trace.processes[1];
        assert_eq!(ps(&trace, child.start_ns - 1).len(), 1);
        let rows = ps(&trace, child.start_ns);
        assert_eq!(rows.len(), 2);
        assert_eq!(row(&rows, child.pid).ppid, trace.processes[0].pid);
        assert_eq!(row(&rows, child.pid).state, ProcState::Starting, "fork takes a moment");
    }

    #[test]
    fn a_parent_in_its_exit_handler_waits_for_its_child() {
        let trace = trace_of("mp-nondaemon-no-join", |_| {});
        let rows = ps(&trace, 2_000_000_000);
        let main = row(&rows, trace.processes[0].pid);
        let child = &trace.processes[1];
        assert_eq!(
            main.state,
            ProcState::Waiting {
                what: format!("join of pid {}", child.pid)
            }
        );
        assert_eq!(main.state.label(), "waiting (join of pid 1001)");
        assert_eq!(main.threads, 1);
        let child = row(&rows, child.pid);
        assert!(
            matches!(child.state, ProcState::Sleeping { until_ns: Some(_) }),
            "{child:?}"
        );
        assert_eq!(child.exit_code, None);
        assert_eq!(child.exit_cell(), "–");
        assert_eq!(child.css_classes(), "ps-row ps-sleeping");
        assert_eq!(child.ppid_title(), None);
        assert_eq!(child.ppid_cell(), child.ppid.to_string());
    }

    #[test]
    fn an_exited_child_is_a_zombie_until_joined() {
        let trace = trace_of("mp-join-multiple", |_| {});
        // Process-2 ends first, but the parent joins Process-1 first.
        let p2 = trace.processes.iter().find(|p| p.name == "Process-2").unwrap();
        let exit = p2.exit_ns.unwrap();
        let reaped = trace
            .events
            .iter()
            .find(|e| e.kind == EventKind::Reaped { pid: p2.pid })
            .unwrap()
            .t_ns;
        assert!(reaped > exit);
        assert!(!row(&ps(&trace, exit - 1), p2.pid).state.has_exited());
        let zombie = ps(&trace, exit);
        assert_eq!(row(&zombie, p2.pid).state, ProcState::Zombie);
        assert_eq!(row(&zombie, p2.pid).exit_code, Some(0));
        assert_eq!(row(&zombie, p2.pid).threads, 0);
        assert_eq!(row(&zombie, p2.pid).css_classes(), "ps-row ps-zombie ps-exited");
        assert_eq!(row(&zombie, p2.pid).exit_cell(), "0");
        assert_eq!(row(&ps(&trace, reaped), p2.pid).state, ProcState::Dead);
    }

    #[test]
    fn a_killed_parent_orphans_its_children_to_init() {
        let trace = trace_of("orphans-parent-killed", |_| {});
        let main = &trace.processes[0];
        let killed_at = main.exit_ns.unwrap();
        let before = ps(&trace, killed_at - 1);
        assert!(before.iter().skip(1).all(|r| r.ppid == main.pid), "{before:?}");
        let after = ps(&trace, killed_at);
        assert_eq!(row(&after, main.pid).state, ProcState::Killed { signal: 9 });
        assert_eq!(exit_status(row(&after, main.pid).exit_code.unwrap()), "-9 (SIGKILL)");
        assert_eq!(after.len(), 3);
        for orphan in after.iter().skip(1) {
            assert_eq!(orphan.ppid, 1, "{orphan:?}");
            assert!(orphan.ppid_title().is_some_and(|t| t.contains("init")));
            assert!(!orphan.state.has_exited());
        }
        // The non-daemon orphan ends on its own; init collects it at once.
        let nondaemon = trace.processes.iter().find(|p| !p.daemon && p.pid != main.pid).unwrap();
        let end = ps(&trace, nondaemon.exit_ns.unwrap());
        assert_eq!(row(&end, nondaemon.pid).state, ProcState::Dead);
    }

    #[test]
    fn terminate_and_kill_show_the_signal() {
        let trace = trace_of("mp-terminate-kill", |_| {});
        let rows = ps(&trace, u64::MAX);
        assert_eq!(rows.len(), 4);
        assert_eq!(row(&rows, 1001).state, ProcState::Killed { signal: 15 });
        assert_eq!(row(&rows, 1001).state.label(), "killed by SIGTERM");
        assert_eq!(row(&rows, 1002).state, ProcState::Killed { signal: 9 });
        assert_eq!(row(&rows, 1003).state, ProcState::Dead);
    }

    #[test]
    fn a_thread_kept_alive_at_shutdown_shows_as_waiting() {
        let trace = trace_of("nondaemon-forever", |_| {});
        let rows = ps(&trace, 1_500_000_000);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].threads, 2);
        assert!(
            matches!(&rows[0].state, ProcState::Waiting { what } if what == "at exit, for Thread-1 (long_running_task)"),
            "{:?}",
            rows[0]
        );
        // Ctrl-C variation: the group gets SIGINT, the process ends.
        let trace = trace_of("nondaemon-forever", |o| {
            o.signals = vec![SignalSpec {
                t_ns: 1_500_000_000,
                signum: 2,
                target: SignalTarget::Group,
            }]
        });
        let end = ps(&trace, u64::MAX);
        assert!(end[0].state.has_exited(), "{:?}", end[0]);
        assert_eq!(end[0].threads, 0);
    }

    #[test]
    fn under_3_14_the_fork_server_is_the_childrens_parent() {
        let trace = crate::testing::scenario_trace("mp-nondaemon-no-join", |_| {});
        let rows = ps(&trace, 1_000_000_000);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            ["MainProcess", "resource_tracker", "forkserver", "Process-1"],
            "{rows:?}"
        );
        let main = trace.processes[0].pid;
        assert_eq!(rows[1].ppid, main);
        assert_eq!(rows[2].ppid, main);
        assert_eq!(rows[3].ppid, rows[2].pid);
    }
}
