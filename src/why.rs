//! The "Why?" panel's text: at a cursor time, what each live thread is doing
//! and why, what keeps a process alive once its script is over, what a
//! signal just did, why a daemon thread's `finally` never ran, and who waits
//! for whom. Computed from the trace alone; pure (no web types).

use threadline_engine::phrases::{exit_phrase, process_name, thread_name};
use threadline_engine::{
    signal_name, BlockedOn, EventKind, Nanos, Pid, ShutdownPhase, ThreadId, ThreadInfo, ThreadState, Trace,
};

use crate::snapshot::Frame;
use crate::timeline::format_time;

/// What an entry is about (the panel groups and styles by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    /// A signal that arrived and what it did.
    Signal,
    /// A process as a whole: starting, alive after its script, exited.
    Process,
    /// One thread's state and its reason.
    Thread,
    /// A chain of waits: A waits for B, which waits for C.
    Chain,
    /// Something that ended: a thread's uncaught exception, an abandoned daemon thread.
    Ended,
    /// The name of the process the next entries are about (when there are several).
    Heading,
}

impl Topic {
    pub fn css_class(self) -> &'static str {
        match self {
            Topic::Signal => "why-signal",
            Topic::Process => "why-process",
            Topic::Thread => "why-thread",
            Topic::Chain => "why-chain",
            Topic::Ended => "why-ended",
            Topic::Heading => "why-heading",
        }
    }

    /// Still listed once the cursor is at the end, under the final status
    /// (which says the rest): what signals did and what never ran.
    pub fn kept_at_end(self) -> bool {
        matches!(self, Topic::Signal | Topic::Ended)
    }
}

/// One sentence (or two) of explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub topic: Topic,
    /// The process it is about.
    pub pid: Option<Pid>,
    pub text: String,
}

/// What the panel reads: the fold of the events up to the cursor.
type Scan = Frame;

/// `" (line 12)"`, or nothing for line 0 (inside the interpreter or the library).
fn at_line(line: u32) -> String {
    if line == 0 {
        String::new()
    } else {
        format!(" (line {line})")
    }
}

fn info(trace: &Trace, thread: ThreadId) -> Option<&ThreadInfo> {
    trace.threads.get(thread.0 as usize)
}

/// What a blocked thread waits for, and what would release it.
fn blocked_text(
    trace: &Trace,
    scan: &Scan,
    thread: &ThreadInfo,
    on: &BlockedOn,
    line: u32,
    until: Option<Nanos>,
) -> String {
    let who = thread.name.as_str();
    let timeout = until.map_or(String::new(), |t| {
        format!(", or until its timeout at {}", format_time(t))
    });
    let at = at_line(line);
    match on {
        BlockedOn::Join { thread } => {
            let target = thread_name(&trace.threads, *thread);
            format!("{who} is blocked in join of {target}{at}: it waits until {target} finishes{timeout}.")
        }
        BlockedOn::Shutdown { thread } => {
            let target = thread_name(&trace.threads, *thread);
            format!("{who} has run the script's last line and now waits in interpreter shutdown (threading._shutdown) until {target} finishes.")
        }
        BlockedOn::Event { object } => format!(
            "{who} waits in {object}.wait(){at} until another thread calls {object}.set(){timeout}."
        ),
        BlockedOn::Lock { object, holder } => match holder {
            Some(h) => format!(
                "{who} waits in {object}.acquire(){at}: {} holds the lock, and {who} gets it only when {} releases it{timeout}.",
                thread_name(&trace.threads, *h),
                thread_name(&trace.threads, *h)
            ),
            None => format!("{who} waits in {object}.acquire(){at} until the lock is released{timeout}."),
        },
        BlockedOn::Condition { object } => format!(
            "{who} waits in {object}.wait(){at} until another thread calls {object}.notify(){timeout}."
        ),
        BlockedOn::Semaphore { object } => format!(
            "{who} waits in {object}.acquire(){at}: no slot is free until another thread calls {object}.release(){timeout}."
        ),
        BlockedOn::Barrier { object } => format!(
            "{who} waits in {object}.wait(){at} until enough threads reach the barrier{timeout}."
        ),
        BlockedOn::Queue { object, op } => {
            let until_what = match op.as_str() {
                "get" => "another thread puts an item in it",
                "put" => "another thread takes an item out (the queue is full)",
                "join" => "every item put in it is marked done with task_done()",
                _ => "the queue changes",
            };
            format!("{who} waits in {object}.{op}(){at} until {until_what}{timeout}.")
        }
        BlockedOn::Future { object } => format!(
            "{who} waits for {object}.result(){at}: the task has not finished yet{timeout}."
        ),
        BlockedOn::Process { pid } => {
            let child = process_name(&trace.processes, *pid);
            if scan.phase(thread.pid) == Some(ShutdownPhase::Atexit) {
                format!("{who} has run the script's last line and now waits in multiprocessing's exit handler until {child} exits.")
            } else {
                let short = trace.processes.iter().find(|p| p.pid == *pid).map_or("the child", |p| p.name.as_str());
                format!("{who} is blocked in join() of {short}{at}: it waits until {child} exits{timeout}.")
            }
        }
        BlockedOn::QueueFlush { .. } => format!(
            "{who} cannot exit yet: {}, and no one reads it.",
            on.describe(&trace.threads)
        ),
        BlockedOn::ForkServer { pid } => format!(
            "{who} waits in start(){at}: under forkserver, the fork server (pid {pid}) forks the child; \
             the first start() waits until the server has started and imported the script as __mp_main__."
        ),
        BlockedOn::Requests { service } => format!(
            "{who} is the {service}'s main thread: it waits for requests until every process using it has exited."
        ),
    }
}

/// One live thread in words.
fn thread_text(trace: &Trace, scan: &Scan, thread: &ThreadInfo, state: &ThreadState) -> Option<String> {
    let who = thread.name.as_str();
    let text = match state {
        ThreadState::New => return None,
        ThreadState::Ready => {
            format!("{who} is ready to run and waits for the GIL, which another thread of its process holds.")
        }
        ThreadState::Running { line } => {
            if *line == 0 {
                format!("{who} is running (inside the interpreter or the library) and holds the GIL.")
            } else {
                format!("{who} is running line {line} and holds the GIL.")
            }
        }
        ThreadState::Sleeping { until_ns, line } => {
            if !scan.ran.get(thread.id.0 as usize).copied().unwrap_or(true) {
                return None;
            }
            format!("{who} sleeps until {}{}.", format_time(*until_ns), at_line(*line))
        }
        ThreadState::Blocked { on, line, until_ns } => blocked_text(trace, scan, thread, on, *line, *until_ns),
        _ => return None,
    };
    Some(text)
}

/// Where a thread was when it stopped, in a few words ("sleeping at line 8").
fn where_text(state: &ThreadState) -> String {
    match state {
        ThreadState::Running { line } | ThreadState::Sleeping { line, .. } | ThreadState::Blocked { line, .. }
            if *line > 0 =>
        {
            let what = match state {
                ThreadState::Running { .. } => "running",
                ThreadState::Sleeping { .. } => "sleeping",
                _ => "waiting",
            };
            format!(" while {what} at line {line}")
        }
        _ => String::new(),
    }
}

fn signal_text(trace: &Trace, from: Option<Pid>, to: Pid, signum: i32, action: &str, t: Nanos) -> String {
    let name = signal_name(signum);
    let sender = match from {
        None if signum == 2 => "Ctrl-C".to_string(),
        None => "someone outside the program".to_string(),
        Some(pid) => process_name(&trace.processes, pid),
    };
    let target = process_name(&trace.processes, to);
    let sent = if from.is_none() && signum == 2 {
        format!("At {}, Ctrl-C sent {name} to {target}", format_time(t))
    } else {
        format!("At {}, {sender} sent {name} to {target}", format_time(t))
    };
    let effect = match action {
        "KeyboardInterrupt" => {
            "Python raised KeyboardInterrupt in its main thread (only the main thread ever gets it; \
             other threads keep running unless the program stops them)"
                .to_string()
        }
        "handler" => "the Python handler installed with signal.signal() ran in the main thread".to_string(),
        "terminated" => format!(
            "with no handler installed, {name} ended the process at once: no finally block and no atexit handler \
             ran, and its children (if any) were not stopped"
        ),
        "killed" => format!(
            "{name} cannot be caught: the process ended at once, so no finally block and no atexit handler ran, \
             and its children (if any) were not stopped"
        ),
        "ignored" => "the process ignores it (SIG_IGN), so nothing happened".to_string(),
        other => format!("it did this: {other}"),
    };
    format!("{sent}: {effect}.")
}

/// Who waits for whom, as far as the chain goes: "MainThread → Thread-1 → Thread-2".
/// `None` when `start` waits for nothing or the chain has a single link.
fn chain_from(trace: &Trace, scan: &Scan, start: ThreadId) -> Option<String> {
    let mut path: Vec<ThreadId> = vec![start];
    let mut words: Vec<String> = vec![thread_name(&trace.threads, start)];
    let mut current = start;
    loop {
        let next = match scan.state(current) {
            Some(ThreadState::Blocked { on, .. }) => match on {
                BlockedOn::Join { thread } => Some((*thread, "joins")),
                BlockedOn::Shutdown { thread } => Some((*thread, "(at shutdown) waits for")),
                BlockedOn::Lock {
                    holder: Some(holder), ..
                } => Some((*holder, "waits for a lock held by")),
                BlockedOn::Process { pid } => trace
                    .threads
                    .iter()
                    .find(|t| t.pid == *pid && t.is_main)
                    .map(|t| (t.id, "waits for the process of")),
                _ => None,
            },
            _ => None,
        };
        let Some((next, verb)) = next else { break };
        if path.contains(&next) {
            words.push(format!(
                "{verb} {} — a cycle: none of them can ever go on (a deadlock)",
                thread_name(&trace.threads, next)
            ));
            return Some(words.join(", which "));
        }
        let mut name = thread_name(&trace.threads, next);
        if info(trace, next).map(|t| t.pid) != info(trace, current).map(|t| t.pid) {
            if let Some(t) = info(trace, next) {
                name = format!("{name} of {}", process_name(&trace.processes, t.pid));
            }
        }
        words.push(format!("{verb} {name}"));
        path.push(next);
        current = next;
    }
    if path.len() < 3 {
        return None;
    }
    let last = *path.last().unwrap();
    let tail = match scan.state(last) {
        Some(ThreadState::Sleeping { until_ns, .. }) => format!(", which sleeps until {}", format_time(*until_ns)),
        Some(ThreadState::Running { .. }) => ", which is running".to_string(),
        Some(ThreadState::Ready) => ", which is ready to run".to_string(),
        Some(ThreadState::Blocked { on, .. }) => format!(", which waits in {}", on.describe(&trace.threads)),
        _ => String::new(),
    };
    Some(format!("Who waits for whom: {}{tail}.", words.join(", which ")))
}

/// What ended in a process and why it matters: uncaught exceptions,
/// abandoned daemon threads, threads killed with their process.
fn ended_texts(trace: &Trace, scan: &Scan, pid: Pid, threads: &[&ThreadInfo]) -> Vec<String> {
    let mut out = Vec::new();
    for (t, thread, exception) in scan
        .uncaught
        .iter()
        .filter(|(_, th, _)| info(trace, *th).map(|i| i.pid) == Some(pid))
    {
        let Some(ti) = info(trace, *thread) else { continue };
        let text = if ti.is_main {
            let waits = threads
                .iter()
                .any(|o| !o.is_main && !o.daemon && scan.state(o.id).is_some_and(|s| s.is_alive()));
            format!(
                "The main thread stopped at {} with an uncaught {exception} (its traceback is on stderr).{}",
                format_time(*t),
                if waits {
                    " The process still waits for its non-daemon threads before it exits."
                } else {
                    ""
                }
            )
        } else {
            format!(
                "{} ended at {} with an uncaught {exception}: only that thread ended; the others go on.",
                ti.name,
                format_time(*t)
            )
        };
        out.push(text);
    }
    for thread in threads {
        let i = thread.id.0 as usize;
        match scan.states.get(i).and_then(|s| s.as_ref()) {
            Some(ThreadState::Abandoned) if thread.daemon => {
                let was = scan.last_alive[i].as_ref().map_or(String::new(), where_text);
                out.push(format!(
                    "{} was a daemon thread: when its process exited it was stopped where it was{was}, so \
                         the rest of its code, its finally blocks included, never ran.",
                    thread.name
                ));
            }
            Some(ThreadState::Killed { signal }) if !thread.is_main => out.push(format!(
                "{} died with its process ({}): no finally block of it ran.",
                thread.name,
                signal_name(*signal)
            )),
            _ => {}
        }
    }
    out
}

/// Everything the panel says at `t_ns`, signals first, then each process
/// (its threads, what keeps it alive, what ended), then chains of waits.
pub fn why_at(trace: &Trace, scan: &Frame) -> Vec<Item> {
    let t_ns = scan.t_ns;
    let mut items: Vec<Item> = Vec::new();

    // The signals that arrived so far, the last ones first being the freshest.
    for (t, from, to, signum, action) in scan.signals.iter().rev().take(4).rev() {
        items.push(Item {
            topic: Topic::Signal,
            pid: Some(*to),
            text: signal_text(trace, *from, *to, *signum, action, *t),
        });
    }

    let multi = trace.processes.iter().filter(|p| p.start_ns <= t_ns).count() > 1;
    for process in trace.processes.iter().filter(|p| p.start_ns <= t_ns) {
        let pid = process.pid;
        let pname = process_name(&trace.processes, pid);
        let threads: Vec<&ThreadInfo> = trace.threads.iter().filter(|t| t.pid == pid).collect();
        let push = |items: &mut Vec<Item>, topic: Topic, text: String| {
            items.push(Item {
                topic,
                pid: Some(pid),
                text,
            })
        };

        if let Some((code, t)) = scan.exit(pid) {
            let how = exit_phrase(code, &format_time(t));
            let orphan = scan
                .reparented
                .iter()
                .filter(|(child, _)| {
                    trace
                        .events
                        .iter()
                        .any(|e| matches!(&e.kind, EventKind::ProcessStart { parent, pid: c, .. } if *parent == pid && c == child))
                })
                .map(|(child, _)| process_name(&trace.processes, *child))
                .collect::<Vec<_>>();
            let mut text = format!("{pname} {how}.");
            let parent = trace.events.iter().find_map(|e| match &e.kind {
                EventKind::ProcessStart { parent, pid: child, .. } if *child == pid => Some(*parent),
                _ => None,
            });
            let reaped = scan.reaped.contains(&pid);
            let orphaned = scan.reparented.iter().any(|(child, _)| *child == pid);
            if let Some(parent) = parent.filter(|p| !reaped && !orphaned && scan.exit(*p).is_none()) {
                text.push_str(&format!(
                    " It is a zombie for now: its exit status waits until its parent {} collects it (join(), \
                     is_alive() or the exit handler).",
                    process_name(&trace.processes, parent)
                ));
            }
            if !orphan.is_empty() {
                text.push_str(&format!(
                    " Its children {} kept running as orphans: they were re-parented to init (pid 1).",
                    orphan.join(", ")
                ));
            }
            push(&mut items, Topic::Process, text);
            for text in ended_texts(trace, scan, pid, &threads) {
                push(&mut items, Topic::Ended, text);
            }
        } else {
            let main = threads.iter().find(|t| t.is_main).copied();
            let started = main.is_some_and(|m| scan.ran.get(m.id.0 as usize).copied().unwrap_or(false));
            if !started {
                let how = match scan.methods.iter().find(|(p, _)| *p == pid) {
                    Some((_, method)) => format!(
                        "{pname} is starting ({method}): the new process runs its first line of Python in a moment."
                    ),
                    None => format!(
                        "{pname} is starting: the Python interpreter starts up before the script's first line runs."
                    ),
                };
                push(&mut items, Topic::Process, how);
                continue;
            }
            if multi {
                let label = if process.daemon { ", a daemon process" } else { "" };
                push(&mut items, Topic::Heading, format!("In {pname}{label}:"));
            }
            for text in ended_texts(trace, scan, pid, &threads) {
                push(&mut items, Topic::Ended, text);
            }
            // What keeps a process alive after its script ended.
            match scan.phase(pid) {
                Some(ShutdownPhase::MainFinished | ShutdownPhase::JoiningThreads) => {
                    let waiting: Vec<String> = threads
                        .iter()
                        .filter(|t| !t.is_main && !t.daemon)
                        .filter(|t| scan.state(t.id).is_some_and(|s| s.is_alive()))
                        .map(|t| t.name.clone())
                        .collect();
                    if !waiting.is_empty() {
                        push(
                            &mut items,
                            Topic::Process,
                            format!(
                                "Why is {pname} still alive? Its script is over, but at exit Python waits for every \
                                 non-daemon thread to finish, and {} {} not finished yet. (Daemon threads are not \
                                 waited for.)",
                                waiting.join(", "),
                                if waiting.len() == 1 { "has" } else { "have" }
                            ),
                        );
                    }
                }
                Some(ShutdownPhase::Atexit) => {
                    let mut text = format!(
                        "{pname}'s script is over and every non-daemon thread has finished: the atexit handlers run \
                         now, the last registered first."
                    );
                    let joining = threads.iter().find_map(|t| match scan.state(t.id) {
                        Some(ThreadState::Blocked {
                            on: BlockedOn::Process { pid: child },
                            ..
                        }) => Some(*child),
                        _ => None,
                    });
                    if let Some(child) = joining {
                        text = format!(
                            "Why is {pname} still alive? Its script is over, and multiprocessing's exit handler \
                             (an atexit handler, registered by the first Process.start()) joins every non-daemon \
                             child process before the parent exits: {} is still running. (It would terminate \
                             daemon children instead.)",
                            process_name(&trace.processes, child)
                        );
                    }
                    push(&mut items, Topic::Process, text);
                }
                Some(ShutdownPhase::Exiting) => push(
                    &mut items,
                    Topic::Process,
                    format!("{pname} is exiting: daemon threads are dropped where they are, and the process ends."),
                ),
                None => {}
            }
            for thread in &threads {
                if let Some(state) = scan.state(thread.id) {
                    if let Some(text) = thread_text(trace, scan, thread, state) {
                        push(&mut items, Topic::Thread, text);
                    }
                }
            }
        }
    }

    // Chains of waits, from each blocked thread nobody waits for.
    let waited_for: Vec<ThreadId> = trace
        .threads
        .iter()
        .filter_map(|t| match scan.state(t.id) {
            Some(ThreadState::Blocked { on, .. }) => match on {
                BlockedOn::Join { thread } | BlockedOn::Shutdown { thread } => Some(*thread),
                BlockedOn::Lock { holder: Some(h), .. } => Some(*h),
                BlockedOn::Process { pid } => trace.threads.iter().find(|x| x.pid == *pid && x.is_main).map(|x| x.id),
                _ => None,
            },
            _ => None,
        })
        .collect();
    for thread in &trace.threads {
        if waited_for.contains(&thread.id) && !is_in_cycle(trace, scan, thread.id) {
            continue;
        }
        if let Some(text) = chain_from(trace, scan, thread.id) {
            if !items.iter().any(|i| i.text == text) {
                items.push(Item {
                    topic: Topic::Chain,
                    pid: Some(thread.pid),
                    text,
                });
            }
        }
    }

    if items.is_empty() {
        items.push(Item {
            topic: Topic::Process,
            pid: None,
            text: "Nothing has started yet: the Python interpreter is starting.".to_string(),
        });
    }
    items
}

/// Whether following `start`'s waits comes back to `start`.
fn is_in_cycle(trace: &Trace, scan: &Scan, start: ThreadId) -> bool {
    let mut current = start;
    for _ in 0..trace.threads.len() {
        let next = match scan.state(current) {
            Some(ThreadState::Blocked { on, .. }) => match on {
                BlockedOn::Join { thread } | BlockedOn::Shutdown { thread } => Some(*thread),
                BlockedOn::Lock { holder: Some(h), .. } => Some(*h),
                _ => None,
            },
            _ => None,
        };
        match next {
            Some(n) if n == start => return true,
            Some(n) => current = n,
            None => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use threadline_engine::{run, RunOptions, SignalSpec, SignalTarget};

    /// Under 3.13, whose `fork` makes a child the main process's own.
    fn trace_of(id: &str, tweak: impl Fn(&mut RunOptions)) -> Trace {
        crate::testing::scenario_trace(id, |o| {
            o.python = threadline_engine::PyVersion::V3_13;
            tweak(o)
        })
    }

    /// The panel at `t_ns`, as the page folds it.
    fn why_at(trace: &Trace, t_ns: Nanos) -> Vec<Item> {
        super::why_at(trace, &Frame::at(trace, &[], t_ns))
    }

    fn texts(items: &[Item]) -> String {
        items.iter().map(|i| i.text.as_str()).collect::<Vec<_>>().join("\n")
    }

    fn script(source: &str) -> Trace {
        let first = run(source, &RunOptions::default());
        assert_eq!(first, run(source, &RunOptions::default()), "deterministic");
        first
    }

    #[test]
    fn before_the_first_line_the_interpreter_is_starting() {
        let trace = trace_of("nondaemon-forever", |_| {});
        let items = why_at(&trace, 0);
        assert_eq!(items.len(), 1);
        assert!(items[0].text.contains("is starting"), "{}", texts(&items));
    }

    #[test]
    fn a_join_and_a_sleep_are_explained_with_their_lines() {
        let trace = script(
            "import threading, time\n\ndef work():\n    time.sleep(2)\n\nt = threading.Thread(target=work)\nt.start()\nt.join()\n",
        );
        let all = texts(&why_at(&trace, 1_000_000_000));
        assert!(
            all.contains(
                "MainThread is blocked in join of Thread-1 (work) (line 8): it waits until Thread-1 (work) finishes."
            ),
            "{all}"
        );
        assert!(all.contains("Thread-1 (work) sleeps until 2.02 s (line 4)."), "{all}");
    }

    #[test]
    fn a_non_daemon_thread_keeps_the_process_alive_at_shutdown() {
        let trace = trace_of("nondaemon-forever", |_| {});
        let items = why_at(&trace, 1_500_000_000);
        let all = texts(&items);
        assert!(all.contains("Why is MainProcess (pid 1000) still alive?"), "{all}");
        assert!(all.contains("non-daemon thread"), "{all}");
        assert!(all.contains("threading._shutdown"), "{all}");
        assert!(
            items
                .iter()
                .any(|i| i.topic == Topic::Thread && i.text.contains("sleeps until")),
            "{all}"
        );
        // Earlier, while the main thread still ran its script, no shutdown yet.
        let early = texts(&why_at(&trace, trace.threads[1].start_ns.unwrap()));
        assert!(!early.contains("still alive?"), "{early}");
        assert_ne!(early, all, "the text follows the cursor");
    }

    #[test]
    fn a_daemon_thread_is_not_waited_for_and_its_finally_never_runs() {
        let trace = trace_of("daemon-finally-skipped", |_| {});
        let exit = trace.outcome.exit_ns.unwrap();
        let items = why_at(&trace, exit);
        let ended: Vec<&Item> = items.iter().filter(|i| i.topic == Topic::Ended).collect();
        assert_eq!(ended.len(), 1, "{}", texts(&items));
        assert!(ended[0].text.contains("daemon thread"), "{}", ended[0].text);
        assert!(ended[0].text.contains("while sleeping at line 8"), "{}", ended[0].text);
        assert!(
            ended[0].text.contains("finally blocks included, never ran"),
            "{}",
            ended[0].text
        );
        assert!(texts(&items).contains("exited with code 0"));
        // Before main ends the daemon thread is just sleeping.
        let mid = texts(&why_at(&trace, exit / 2));
        assert!(!mid.contains("never ran"), "{mid}");
    }

    #[test]
    fn the_exit_handler_of_multiprocessing_waits_for_a_child() {
        let trace = trace_of("mp-nondaemon-no-join", |_| {});
        let all = texts(&why_at(&trace, 2_000_000_000));
        assert!(all.contains("multiprocessing's exit handler"), "{all}");
        assert!(all.contains("Process-1 (pid 1001) is still running"), "{all}");
        assert!(all.contains("In Process-1 (pid 1001):"), "{all}");
    }

    #[test]
    fn an_exited_child_not_yet_joined_is_a_zombie() {
        let trace = trace_of("mp-join-multiple", |_| {});
        let p2 = trace.processes.iter().find(|p| p.name == "Process-2").unwrap();
        let exit = p2.exit_ns.unwrap();
        let all = texts(&why_at(&trace, exit));
        assert!(all.contains("Process-2 (pid 1002) exited with code 0"), "{all}");
        assert!(all.contains("It is a zombie for now"), "{all}");
        assert!(
            all.contains(
                "MainThread is blocked in join() of Process-1 (line 16): it waits until Process-1 (pid 1001) exits."
            ),
            "{all}"
        );
        let joined = texts(&why_at(&trace, trace.outcome.exit_ns.unwrap()));
        assert!(!joined.contains("zombie"), "{joined}");
    }

    #[test]
    fn ctrl_c_in_join_raises_keyboard_interrupt_in_the_main_thread() {
        let trace = trace_of("bg-loop-join-ctrlc", |_| {});
        let signal_t = trace
            .events
            .iter()
            .find(|e| matches!(e.kind, EventKind::Signal { .. }))
            .unwrap()
            .t_ns;
        let before = why_at(&trace, signal_t - 1);
        assert!(before.iter().all(|i| i.topic != Topic::Signal));
        let after = why_at(&trace, signal_t);
        let signals: Vec<&Item> = after.iter().filter(|i| i.topic == Topic::Signal).collect();
        assert_eq!(signals.len(), 1, "{}", texts(&after));
        assert!(
            signals[0].text.contains("Ctrl-C sent SIGINT to MainProcess (pid 1000)"),
            "{}",
            signals[0].text
        );
        assert!(signals[0].text.contains("KeyboardInterrupt in its main thread"));
        let all = texts(&after);
        assert!(all.contains("uncaught KeyboardInterrupt"), "{all}");
        assert!(
            all.contains("still alive?"),
            "the worker keeps the process alive on 3.13: {all}"
        );
        let first = |needle: &str| after.iter().position(|i| i.text.contains(needle)).unwrap();
        assert!(
            first("Ctrl-C") < first("uncaught") && first("uncaught") < first("still alive?"),
            "what happened comes before what it leads to: {all}"
        );
    }

    #[test]
    fn sigkill_skips_finally_and_orphans_children() {
        let trace = trace_of("orphans-parent-killed", |_| {});
        let killed = trace.processes[0].exit_ns.unwrap();
        let all = texts(&why_at(&trace, killed));
        assert!(all.contains("SIGKILL cannot be caught"), "{all}");
        assert!(all.contains("no finally block and no atexit handler ran"), "{all}");
        assert!(all.contains("kept running as orphans"), "{all}");
    }

    #[test]
    fn default_sigterm_ends_the_process_at_once() {
        let trace = trace_of("nondaemon-forever", |o| {
            o.signals = vec![SignalSpec {
                t_ns: 1_500_000_000,
                signum: 15,
                target: SignalTarget::Main,
            }]
        });
        let all = texts(&why_at(&trace, 1_500_000_000));
        assert!(all.contains("someone outside the program sent SIGTERM"), "{all}");
        assert!(
            all.contains("with no handler installed, SIGTERM ended the process at once"),
            "{all}"
        );
        assert!(all.contains("was ended by SIGTERM"), "{all}");
    }

    #[test]
    fn chains_of_waits_are_followed_to_their_end() {
        let trace = script(
            "import threading, time\n\nlock = threading.Lock()\n\ndef holder():\n    with lock:\n        time.sleep(1)\n\n\
             def waiter():\n    with lock:\n        pass\n\na = threading.Thread(target=holder)\na.start()\n\
             b = threading.Thread(target=waiter)\nb.start()\nb.join()\n",
        );
        let items = why_at(&trace, 500_000_000);
        let chains: Vec<&Item> = items.iter().filter(|i| i.topic == Topic::Chain).collect();
        assert_eq!(chains.len(), 1, "{}", texts(&items));
        assert_eq!(
            chains[0].text,
            "Who waits for whom: MainThread, which joins Thread-2 (waiter), which waits for a lock held by \
             Thread-1 (holder), which sleeps until 1.02 s."
        );
    }

    #[test]
    fn a_deadlock_is_named_as_a_cycle() {
        let trace = script(
            "import threading, time\n\na = threading.Lock()\nb = threading.Lock()\n\n\
             def one():\n    with a:\n        time.sleep(0.1)\n        with b:\n            pass\n\n\
             def two():\n    with b:\n        time.sleep(0.1)\n        with a:\n            pass\n\n\
             t1 = threading.Thread(target=one)\nt2 = threading.Thread(target=two)\nt1.start()\nt2.start()\n",
        );
        let all = texts(&why_at(&trace, 500_000_000));
        assert!(all.contains("a cycle"), "{all}");
        assert!(all.contains("deadlock"), "{all}");
    }

    #[test]
    fn at_the_end_only_signals_and_what_ended_stay_under_the_final_status() {
        let kept: Vec<Topic> = [
            Topic::Signal,
            Topic::Process,
            Topic::Thread,
            Topic::Chain,
            Topic::Ended,
            Topic::Heading,
        ]
        .into_iter()
        .filter(|t| t.kept_at_end())
        .collect();
        assert_eq!(kept, vec![Topic::Signal, Topic::Ended]);
    }
}
