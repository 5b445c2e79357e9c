//! The rows: a header per process (the process tree, depth first; its
//! lifetime: running, zombie, dead), then a lane per thread of it.

use threadline_engine::{EventKind, Nanos, Pid, ThreadId, ThreadInfo, Trace};

use super::{format_time, shorten, Layout, ProcClass, Scale};

/// The process that started `pid` (from its `ProcessStart` event), else its `ppid`.
fn tree_parent(trace: &Trace, pid: Pid) -> Pid {
    trace
        .events
        .iter()
        .find_map(|e| match e.kind {
            EventKind::ProcessStart { parent, pid: p, .. } if p == pid => Some(parent),
            _ => None,
        })
        .or_else(|| trace.processes.iter().find(|p| p.pid == pid).map(|p| p.ppid))
        .unwrap_or(0)
}

/// The processes in drawing order with their depth in the process tree:
/// depth first, each child (in start order) right under its parent. A
/// re-parented orphan stays under the process that started it.
pub fn process_order(trace: &Trace) -> Vec<(Pid, usize)> {
    let parents: Vec<(Pid, Pid)> = trace
        .processes
        .iter()
        .map(|p| (p.pid, tree_parent(trace, p.pid)))
        .collect();
    let known = |pid: Pid| trace.processes.iter().any(|p| p.pid == pid);
    let mut order = Vec::with_capacity(parents.len());
    let mut stack: Vec<(Pid, usize)> = parents
        .iter()
        .rev()
        .filter(|(pid, parent)| !known(*parent) || parent == pid)
        .map(|(pid, _)| (*pid, 0))
        .collect();
    while let Some((pid, depth)) = stack.pop() {
        if order.iter().any(|(p, _)| *p == pid) {
            continue;
        }
        order.push((pid, depth));
        for (child, _) in parents.iter().rev().filter(|(c, parent)| *parent == pid && *c != pid) {
            stack.push((*child, depth + 1));
        }
    }
    // Anything left (a cycle in malformed data) goes last, at the top level.
    for (pid, _) in &parents {
        if !order.iter().any(|(p, _)| p == pid) {
            order.push((*pid, 0));
        }
    }
    order
}

#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    pub thread: ThreadId,
    pub pid: Pid,
    /// Shortened to fit the label column.
    pub label: String,
    /// The whole name with its flags (shown on hover).
    pub title: String,
    /// Depth in the process tree, plus one (threads sit under their process).
    pub depth: usize,
    pub label_x: f64,
    /// Top of the lane.
    pub y: f64,
    pub height: f64,
}

/// A stretch of a process's life on its header row.
#[derive(Clone, Debug, PartialEq)]
pub struct ProcSegment {
    pub x: f64,
    pub width: f64,
    /// Centred on the row: thick while alive or a zombie, thin once dead.
    pub y: f64,
    pub height: f64,
    pub class: ProcClass,
    pub title: String,
}

impl ProcSegment {
    /// `"tl-item proc proc-zombie"`.
    pub fn css_classes(&self) -> String {
        format!("tl-item proc {}", self.class.css_class())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProcessRow {
    pub pid: Pid,
    /// "pid 1001 · Process-1 (daemon)", shortened to fit.
    pub label: String,
    pub title: String,
    pub depth: usize,
    pub label_x: f64,
    pub y: f64,
    pub height: f64,
    pub segments: Vec<ProcSegment>,
}

impl ProcessRow {
    /// The middle of the row (its label's and its markers' y).
    pub fn mid_y(&self) -> f64 {
        self.y + self.height / 2.0
    }
}

impl Lane {
    /// The middle of the lane (its label's and its markers' y).
    pub fn mid_y(&self) -> f64 {
        self.y + self.height / 2.0
    }
}

/// The rows of a drawing, top to bottom, and where the last one ends.
pub(crate) struct Rows {
    pub processes: Vec<ProcessRow>,
    /// One per thread, in drawing order (under their process).
    pub lanes: Vec<Lane>,
    pub bottom: f64,
}

/// A header per process, then its threads, in process-tree order, from
/// just below the axis.
pub(crate) fn rows(trace: &Trace, sizes: &Layout, scale: &Scale, end_ns: Nanos) -> Rows {
    let mut processes = Vec::new();
    let mut lanes = Vec::new();
    let mut y = sizes.axis_height;
    for (pid, depth) in process_order(trace) {
        let Some(row) = process_row(trace, sizes, scale, end_ns, pid, depth, y) else {
            continue;
        };
        processes.push(row);
        y += sizes.header_height + sizes.lane_gap;
        for thread in trace.threads.iter().filter(|t| t.pid == pid) {
            lanes.push(Lane {
                thread: thread.id,
                pid,
                label: shorten(&thread.name, sizes.label_chars(depth + 1)),
                title: lane_title(thread),
                depth: depth + 1,
                label_x: 4.0 + sizes.indent * (depth + 1) as f64,
                y,
                height: sizes.lane_height,
            });
            y += sizes.lane_height + sizes.lane_gap;
        }
    }
    let bottom = if processes.is_empty() {
        sizes.axis_height + sizes.lane_height
    } else {
        y - sizes.lane_gap
    };
    Rows {
        processes,
        lanes,
        bottom,
    }
}

/// The header row of process `pid` at `y`, at `depth` in the tree.
fn process_row(
    trace: &Trace,
    sizes: &Layout,
    scale: &Scale,
    end_ns: Nanos,
    pid: Pid,
    depth: usize,
    y: f64,
) -> Option<ProcessRow> {
    let info = trace.processes.iter().find(|p| p.pid == pid)?;
    let reparent = trace.events.iter().find_map(|e| match e.kind {
        EventKind::Reparent { pid: p, ppid } if p == pid => Some((e.t_ns, ppid)),
        _ => None,
    });
    let label = process_label(
        pid,
        &info.name,
        info.daemon,
        reparent.is_some(),
        sizes.label_chars(depth),
    );
    Some(ProcessRow {
        pid,
        label,
        title: process_title(trace, pid, reparent),
        depth,
        label_x: 4.0 + sizes.indent * depth as f64,
        y,
        height: sizes.header_height,
        segments: process_segments(trace, pid, end_ns)
            .into_iter()
            .filter(|(start, stop, _)| *stop >= scale.view.start_ns && *start <= scale.view.end_ns)
            .map(|(start, stop, class)| segment(sizes, scale, (pid, y), start, stop, class))
            .collect(),
    })
}

/// A stretch of the lifetime of process `pid` whose row is at `row_y`,
/// clipped to the plot.
fn segment(
    sizes: &Layout,
    scale: &Scale,
    (pid, row_y): (Pid, f64),
    start: Nanos,
    stop: Nanos,
    class: ProcClass,
) -> ProcSegment {
    let x0 = scale.x(start).max(scale.left);
    let x1 = scale.x(stop).min(scale.right);
    let height = if class == ProcClass::Dead {
        2.0
    } else {
        sizes.header_height * 0.6
    };
    ProcSegment {
        x: x0,
        width: (x1 - x0).max(sizes.min_bar_width),
        y: row_y + (sizes.header_height - height) / 2.0,
        height,
        class,
        title: format!(
            "pid {pid}: {} from {} to {}",
            class.label(),
            format_time(start),
            format_time(stop)
        ),
    }
}

/// A process header's hover text: who started it when, orphaned, how it ended.
fn process_title(trace: &Trace, pid: Pid, reparent: Option<(Nanos, Pid)>) -> String {
    let Some(info) = trace.processes.iter().find(|p| p.pid == pid) else {
        return process_name(trace, pid);
    };
    let mut title = format!(
        "{}, started at {}",
        process_name(trace, pid),
        format_time(info.start_ns)
    );
    if info.ppid != 0 {
        title.push_str(&format!(" by pid {}", tree_parent(trace, pid)));
    }
    if let Some((t, ppid)) = reparent {
        title.push_str(&format!("; orphaned at {}, re-parented to pid {ppid}", format_time(t)));
    }
    match (info.exit_code, info.exit_ns) {
        (Some(code), Some(t)) => title.push_str(&format!("; exited at {} with code {code}", format_time(t))),
        _ => title.push_str("; still alive at the end"),
    }
    title
}

/// A lane's hover text: "Thread-1 (work) (pid 1000): daemon, created at line 7".
fn lane_title(thread: &ThreadInfo) -> String {
    let mut flags = Vec::new();
    if thread.is_main {
        flags.push("main thread".to_string());
    }
    if thread.daemon {
        flags.push("daemon".to_string());
    }
    if let Some(line) = thread.start_line {
        flags.push(format!("created at line {line}"));
    }
    let mut title = format!("{} (pid {})", thread.name, thread.pid);
    if !flags.is_empty() {
        title.push_str(&format!(": {}", flags.join(", ")));
    }
    title
}

/// "pid 1001 · Process-1 (daemon)" when it fits in `chars` characters, else
/// the pid and the flags first ("1001 daemon Process-1"), cut to fit.
pub fn process_label(pid: Pid, name: &str, daemon: bool, orphan: bool, chars: usize) -> String {
    let mut flags = Vec::new();
    if daemon {
        flags.push("daemon");
    }
    if orphan {
        flags.push("orphan");
    }
    let full = if flags.is_empty() {
        format!("pid {pid} · {name}")
    } else {
        format!("pid {pid} · {name} ({})", flags.join(", "))
    };
    if full.chars().count() <= chars {
        return full;
    }
    let mut compact = pid.to_string();
    for flag in flags {
        compact.push(' ');
        compact.push_str(flag);
    }
    if compact.chars().count() + 3 > chars {
        return shorten(&compact, chars);
    }
    shorten(&format!("{compact} {name}"), chars)
}

/// "pid 1001 · Process-1 (daemon)".
fn process_name(trace: &Trace, pid: Pid) -> String {
    match trace.processes.iter().find(|p| p.pid == pid) {
        Some(p) if p.daemon => format!("pid {pid} · {} (daemon)", p.name),
        Some(p) => format!("pid {pid} · {}", p.name),
        None => format!("pid {pid}"),
    }
}

/// A process's lifetime: running from its start to its exit, then a zombie
/// until its parent reaps it (or dies: init reaps orphans), then dead.
pub fn process_segments(trace: &Trace, pid: Pid, end_ns: Nanos) -> Vec<(Nanos, Nanos, ProcClass)> {
    let Some(info) = trace.processes.iter().find(|p| p.pid == pid) else {
        return Vec::new();
    };
    let Some(exit) = info.exit_ns else {
        return vec![(info.start_ns, end_ns.max(info.start_ns), ProcClass::Running)];
    };
    let mut out = vec![(info.start_ns, exit, ProcClass::Running)];
    let reaped = trace.events.iter().find_map(|e| match e.kind {
        EventKind::Reaped { pid: p } if p == pid => Some(e.t_ns),
        _ => None,
    });
    let orphaned_before_exit = trace
        .events
        .iter()
        .any(|e| matches!(e.kind, EventKind::Reparent { pid: p, .. } if p == pid) && e.t_ns <= exit);
    let parent = tree_parent(trace, pid);
    let parent_exit = trace.processes.iter().find(|p| p.pid == parent).and_then(|p| p.exit_ns);
    let zombie_until = if info.ppid == 0 || orphaned_before_exit {
        // The shell (or init) collects the status at once.
        exit
    } else {
        match (reaped, parent_exit) {
            (Some(t), _) => t,
            (None, Some(t)) => t.max(exit),
            (None, None) => end_ns.max(exit),
        }
    };
    if zombie_until > exit {
        out.push((exit, zombie_until, ProcClass::Zombie));
    }
    out.push((zombie_until, end_ns.max(zombie_until), ProcClass::Dead));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::testkit::{process, thread, trace, two_threads};
    use crate::timeline::{layout, Layout, MarkerKind};
    use threadline_engine::Event;

    #[test]
    fn a_process_header_then_one_lane_per_thread() {
        let g = layout(&two_threads(), &Layout::default());
        assert_eq!(g.processes.len(), 1);
        assert_eq!(g.processes[0].label, "pid 100 · MainProcess");
        let labels: Vec<&str> = g.lanes.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, vec!["MainThread", "Thread-1 (worker)"]);
        assert!(g.lanes[0].y > g.processes[0].y + g.processes[0].height);
        assert!(g.lanes[1].y > g.lanes[0].y + g.lanes[0].height);
        assert!(
            g.lanes[0].label_x > g.processes[0].label_x,
            "threads are indented under their process"
        );
        assert!(g.height >= g.lanes[1].y + g.lanes[1].height);
    }

    #[test]
    fn processes_are_drawn_as_a_tree() {
        // 100 started 101 and 103; 101 started 102 (then 101 died: 102 re-parented to 1).
        let mut t = trace(
            vec![
                thread(0, "MainThread"),
                thread(1, "MainThread"),
                thread(2, "MainThread"),
                thread(3, "MainThread"),
            ],
            Vec::new(),
            Some(5000),
        );
        t.processes = vec![
            process(100, 0, "MainProcess", 0, Some(5000)),
            process(101, 100, "Process-1", 100, Some(2000)),
            process(103, 100, "Process-2", 300, Some(4000)),
            process(102, 1, "Process-1:1", 200, None),
        ];
        for (i, pid) in [100, 101, 102, 103].iter().enumerate() {
            t.threads[i].pid = *pid;
        }
        let start = |parent, pid, at| Event {
            t_ns: at,
            kind: EventKind::ProcessStart {
                parent,
                pid,
                method: "fork".into(),
                line: 3,
            },
        };
        t.events = vec![
            start(100, 101, 100),
            start(101, 102, 200),
            start(100, 103, 300),
            Event {
                t_ns: 2000,
                kind: EventKind::Exit { pid: 101, code: -9 },
            },
            Event {
                t_ns: 2000,
                kind: EventKind::Reparent { pid: 102, ppid: 1 },
            },
            Event {
                t_ns: 3000,
                kind: EventKind::Reaped { pid: 101 },
            },
        ];
        t.processes[3].ppid = 1;
        assert_eq!(process_order(&t), vec![(100, 0), (101, 1), (102, 2), (103, 1)]);
        let g = layout(&t, &Layout::default());
        let pids: Vec<Pid> = g.processes.iter().map(|p| p.pid).collect();
        assert_eq!(pids, vec![100, 101, 102, 103]);
        let lane_pids: Vec<Pid> = g.lanes.iter().map(|l| l.pid).collect();
        assert_eq!(lane_pids, vec![100, 101, 102, 103], "each thread under its process");
        assert!(g.processes[2].label_x > g.processes[1].label_x);
        assert!(g.processes[1].label_x > g.processes[0].label_x);
        assert_eq!(g.processes[3].label_x, g.processes[1].label_x);
        assert_eq!(
            g.processes[2].label, "102 orphan Process-1:1",
            "the pid and the flag first when tight"
        );
        assert!(g.processes[2].title.contains("re-parented to pid 1"));
        // Segments sit in the middle of their row; a dead process's is thin.
        for row in &g.processes {
            for s in &row.segments {
                assert!((s.y + s.height / 2.0 - row.mid_y()).abs() < 1e-9, "{s:?}");
                assert_eq!(s.height < 3.0, s.class == ProcClass::Dead, "{s:?}");
                assert_eq!(s.css_classes(), format!("tl-item proc {}", s.class.css_class()));
            }
        }
        // 101: running 100..2000, zombie until reaped at 3000, dead after.
        let classes = |pid| process_segments(&t, pid, 5000);
        assert_eq!(
            classes(101),
            vec![
                (100, 2000, ProcClass::Running),
                (2000, 3000, ProcClass::Zombie),
                (3000, 5000, ProcClass::Dead)
            ]
        );
        // 103 is never reaped: a zombie until its parent exits.
        assert_eq!(classes(103)[1], (4000, 5000, ProcClass::Zombie));
        assert_eq!(classes(102), vec![(200, 5000, ProcClass::Running)]);
        let kinds: Vec<(MarkerKind, Pid)> = g
            .markers
            .iter()
            .map(|m| {
                (
                    m.kind,
                    g.processes.iter().find(|p| p.y + p.height / 2.0 == m.y).unwrap().pid,
                )
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                (MarkerKind::ProcessStart, 101),
                (MarkerKind::ProcessStart, 102),
                (MarkerKind::ProcessStart, 103),
                (MarkerKind::Kill, 101),
                (MarkerKind::Reparent, 102),
            ]
        );
        let arrow = g.markers[1].arrow.as_ref().expect("an arrow from the parent");
        assert_eq!(arrow.y1, g.processes[1].y + g.processes[1].height / 2.0);
        assert_eq!(arrow.y2, g.processes[2].y + g.processes[2].height / 2.0);
    }

    #[test]
    fn process_labels_keep_the_pid_and_flags_when_short() {
        assert_eq!(
            process_label(1001, "Process-1", true, false, 40),
            "pid 1001 · Process-1 (daemon)"
        );
        assert_eq!(process_label(1001, "Process-1", true, false, 16), "1001 daemon Pro…");
        assert_eq!(process_label(7, "P", false, true, 8), "7 orphan");
        assert_eq!(process_label(1000, "MainProcess", false, false, 12), "1000 MainPr…");
    }
}
