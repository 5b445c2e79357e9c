//! Timeline geometry, pure: from a [`Trace`] and a visible time window to
//! rows, bars, markers and axis ticks in SVG user units. The component
//! (`components/timeline_view.rs`) only draws what [`layout`] returns.
//!
//! - [`state_spans`]: each thread's states as time intervals; a state holds
//!   until that thread's next `State` event, or until [`end_of_run`].
//! - [`process_order`]: processes as a tree (children under their parent,
//!   an orphan under the parent that started it), depth first.
//! - [`layout`]: a header row per process (with its lifetime: running,
//!   zombie, dead), a lane per thread under it, one bar per visible span;
//!   spans narrower than a pixel are merged into "busy" bars, markers are
//!   capped per few pixels, so the drawing stays small for any trace.
//! - [`View`]: the visible window (zoom and pan); [`ticks_in`]: a 1-2-5 axis.
//! - [`SVG_STYLE`]: the drawing's own style sheet, so that the SVG exported
//!   alone looks as in the page.

use threadline_engine::{BlockedOn, EventKind, Nanos, Pid, Stream, ThreadId, ThreadState, Trace};

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
            BlockedOn::Process { .. } => WaitKind::Process,
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

/// Something that happened at one moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MarkerKind {
    /// A line written to stdout.
    Output,
    /// A line written to stderr.
    ErrorOutput,
    /// `start()` of a thread (an arrow from the starter).
    Start,
    /// `join()` returned (an arrow from the joined thread).
    Join,
    /// A process was started (an arrow from its parent).
    ProcessStart,
    /// A signal arrived (an arrow from its sender, if a process sent it).
    Signal,
    /// A process ended by itself.
    Exit,
    /// A process was ended by a signal.
    Kill,
    /// An exception escaped a thread.
    Uncaught,
    /// A process lost its parent and was re-parented to init.
    Reparent,
    /// A scheduling decision (recorded when a schedule is replayed).
    Choice,
}

impl MarkerKind {
    pub const ALL: [MarkerKind; 11] = [
        MarkerKind::Output,
        MarkerKind::ErrorOutput,
        MarkerKind::Start,
        MarkerKind::Join,
        MarkerKind::ProcessStart,
        MarkerKind::Signal,
        MarkerKind::Exit,
        MarkerKind::Kill,
        MarkerKind::Uncaught,
        MarkerKind::Reparent,
        MarkerKind::Choice,
    ];

    /// The `data-kind` and the CSS class suffix (`marker-output`).
    pub fn name(self) -> &'static str {
        match self {
            MarkerKind::Output => "output",
            MarkerKind::ErrorOutput => "stderr",
            MarkerKind::Start => "start",
            MarkerKind::Join => "join",
            MarkerKind::ProcessStart => "process-start",
            MarkerKind::Signal => "signal",
            MarkerKind::Exit => "exit",
            MarkerKind::Kill => "kill",
            MarkerKind::Uncaught => "uncaught",
            MarkerKind::Reparent => "reparent",
            MarkerKind::Choice => "choice",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MarkerKind::Output => "a line of output",
            MarkerKind::ErrorOutput => "a line on stderr",
            MarkerKind::Start => "start() of a thread",
            MarkerKind::Join => "join() returned",
            MarkerKind::ProcessStart => "a process started",
            MarkerKind::Signal => "a signal arrived",
            MarkerKind::Exit => "a process exited",
            MarkerKind::Kill => "a process killed by a signal",
            MarkerKind::Uncaught => "an uncaught exception",
            MarkerKind::Reparent => "an orphan re-parented to init",
            MarkerKind::Choice => "a scheduling choice point",
        }
    }

    /// The marker's outline, centred on (0, 0), a few units across.
    pub fn shape(self) -> &'static str {
        match self {
            // A small tick for a line written.
            MarkerKind::Output | MarkerKind::ErrorOutput => "M0,-6 L0,6 M-2,-6 L2,-6",
            // A triangle pointing right.
            MarkerKind::Start | MarkerKind::ProcessStart => "M-4,-5 L5,0 L-4,5 Z",
            // A diamond.
            MarkerKind::Join => "M0,-5 L5,0 L0,5 L-5,0 Z",
            // A lightning bolt.
            MarkerKind::Signal => "M1,-7 L-4,1 L0,1 L-1,7 L4,-1 L0,-1 Z",
            // A bar across the row.
            MarkerKind::Exit => "M-1.5,-6 L1.5,-6 L1.5,6 L-1.5,6 Z",
            // A cross.
            MarkerKind::Kill | MarkerKind::Uncaught => "M-4,-4 L4,4 M4,-4 L-4,4",
            // A hook.
            MarkerKind::Reparent => "M-4,-4 L-4,3 L4,3 M1,0 L4,3 L1,6",
            // A small square.
            MarkerKind::Choice => "M-3,-3 L3,-3 L3,3 L-3,3 Z",
        }
    }
}

/// A thread in one state from `start_ns` to `end_ns`.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    pub thread: ThreadId,
    pub start_ns: Nanos,
    pub end_ns: Nanos,
    pub state: ThreadState,
}

/// Where the timeline ends: the last event, the main process's exit, or the
/// horizon when the run was stopped there.
pub fn end_of_run(trace: &Trace) -> Nanos {
    let last_event = trace.events.last().map_or(0, |e| e.t_ns);
    let exit = trace.outcome.exit_ns.unwrap_or(0);
    let horizon = if trace.outcome.still_running && trace.outcome.stop == threadline_engine::StopReason::Horizon {
        trace.horizon_ns
    } else {
        0
    };
    last_event.max(exit).max(horizon)
}

/// Every thread's state intervals, grouped by thread (in `trace.threads`
/// order), each thread's in time order.
pub fn state_spans(trace: &Trace) -> Vec<Span> {
    spans_by_thread(trace).into_iter().flatten().collect()
}

fn spans_by_thread(trace: &Trace) -> Vec<Vec<Span>> {
    let end = end_of_run(trace);
    let mut per_thread: Vec<Vec<Span>> = vec![Vec::new(); trace.threads.len()];
    for event in &trace.events {
        let EventKind::State { thread, state } = &event.kind else {
            continue;
        };
        let Some(spans) = per_thread.get_mut(thread.0 as usize) else {
            continue;
        };
        if let Some(previous) = spans.last_mut() {
            previous.end_ns = event.t_ns;
        }
        spans.push(Span {
            thread: *thread,
            start_ns: event.t_ns,
            end_ns: end.max(event.t_ns),
            state: state.clone(),
        });
    }
    per_thread
}

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

/// The visible time window, `start_ns` to `end_ns` (zoom and pan).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct View {
    pub start_ns: Nanos,
    pub end_ns: Nanos,
}

impl View {
    /// The narrowest window one can zoom to.
    pub const MIN_SPAN_NS: Nanos = 100;

    /// The whole run (at least 1 ns wide).
    pub fn full(end_ns: Nanos) -> View {
        View {
            start_ns: 0,
            end_ns: end_ns.max(1),
        }
    }

    pub fn span_ns(self) -> Nanos {
        self.end_ns.saturating_sub(self.start_ns).max(1)
    }

    pub fn is_full(self, run_end_ns: Nanos) -> bool {
        self == View::full(run_end_ns)
    }

    /// Zoomed by `factor` (< 1 zooms in) around `anchor_ns`, which stays at
    /// the same place on screen; kept inside the run and at least
    /// [`View::MIN_SPAN_NS`] wide.
    pub fn zoom(self, anchor_ns: Nanos, factor: f64, run_end_ns: Nanos) -> View {
        let full = View::full(run_end_ns);
        let anchor = anchor_ns.clamp(self.start_ns, self.end_ns) as f64;
        let factor = if factor.is_finite() && factor > 0.0 {
            factor
        } else {
            1.0
        };
        let span =
            (self.span_ns() as f64 * factor).clamp(View::MIN_SPAN_NS.min(full.span_ns()) as f64, full.span_ns() as f64);
        let fraction = (anchor - self.start_ns as f64) / self.span_ns() as f64;
        let start = (anchor - fraction * span).max(0.0);
        View {
            start_ns: start.round() as Nanos,
            end_ns: (start + span).round() as Nanos,
        }
        .clamped(run_end_ns)
    }

    /// Moved by `delta_ns` (negative: earlier), kept inside the run.
    pub fn pan(self, delta_ns: i64, run_end_ns: Nanos) -> View {
        let span = self.span_ns();
        let start = if delta_ns < 0 {
            self.start_ns.saturating_sub(delta_ns.unsigned_abs())
        } else {
            self.start_ns.saturating_add(delta_ns as u64)
        };
        View {
            start_ns: start,
            end_ns: start.saturating_add(span),
        }
        .clamped(run_end_ns)
    }

    /// The same width, shifted to lie inside the run (or the whole run if wider).
    pub fn clamped(self, run_end_ns: Nanos) -> View {
        let full = View::full(run_end_ns);
        let span = self.span_ns().min(full.span_ns());
        let start = self.start_ns.min(full.end_ns - span);
        View {
            start_ns: start,
            end_ns: start + span,
        }
    }

    /// A window `fraction` of the current width, centred on `t_ns`.
    pub fn zoom_centred(self, t_ns: Nanos, fraction: f64, run_end_ns: Nanos) -> View {
        let span = (self.span_ns() as f64 * fraction).max(View::MIN_SPAN_NS as f64) as Nanos;
        View {
            start_ns: t_ns.saturating_sub(span / 2),
            end_ns: t_ns.saturating_sub(span / 2) + span,
        }
        .clamped(run_end_ns)
    }
}

/// Sizes of the drawing, in SVG user units (CSS pixels).
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Width of the whole drawing.
    pub width: f64,
    /// Left column with the process and thread names.
    pub label_width: f64,
    /// Space above the first row for the time axis.
    pub axis_height: f64,
    pub lane_height: f64,
    pub header_height: f64,
    pub lane_gap: f64,
    /// Indentation of one level of the process tree in the label column.
    pub indent: f64,
    /// Space right of the plot, so that the last tick's label fits.
    pub right_padding: f64,
    /// Narrowest bar drawn, so that a short burst among long waits shows.
    pub min_bar_width: f64,
    /// Markers of one kind on one row closer than this are drawn as one.
    pub marker_bucket: f64,
    /// Width of one character of the labels' font.
    pub char_width: f64,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            width: 800.0,
            label_width: 180.0,
            axis_height: 26.0,
            lane_height: 20.0,
            header_height: 18.0,
            lane_gap: 6.0,
            indent: 10.0,
            right_padding: 24.0,
            min_bar_width: 2.0,
            marker_bucket: 4.0,
            char_width: 6.7,
        }
    }
}

impl Layout {
    /// Sizes for a drawing `width` CSS pixels wide: a narrower label column
    /// on a phone, a wider one on a large screen.
    pub fn for_width(width: f64) -> Layout {
        let width = width.max(240.0);
        let label_width = if width < 520.0 {
            104.0
        } else if width < 1100.0 {
            210.0
        } else {
            260.0
        };
        let right_padding = if width < 520.0 { 16.0 } else { 24.0 };
        Layout {
            width,
            label_width,
            right_padding,
            ..Layout::default()
        }
    }

    /// How many label characters fit at this indentation depth.
    fn label_chars(&self, depth: usize) -> usize {
        let room = self.label_width - 8.0 - self.indent * depth as f64;
        ((room / self.char_width).floor() as usize).max(4)
    }
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
    pub class: ProcClass,
    pub title: String,
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

#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Index into [`Geometry::lanes`].
    pub lane: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub class: StateClass,
    pub wait: Option<WaitKind>,
    /// How many state intervals it stands for (more than 1: a "busy" bar of
    /// intervals too short to draw apart at this zoom, coloured by the state
    /// that took most of its time).
    pub merged: usize,
    /// The state and its interval in words, with its reason.
    pub title: String,
}

impl Bar {
    pub fn style(&self) -> BarStyle {
        BarStyle {
            class: self.class,
            wait: self.wait,
        }
    }
}

/// An arrow from one row to another at one moment (or between two moments).
#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub kind: MarkerKind,
    pub t_ns: Nanos,
    pub x: f64,
    /// The middle of its row.
    pub y: f64,
    pub arrow: Option<Arrow>,
    /// How many events it stands for (close ones are drawn as one).
    pub count: usize,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub x: f64,
    pub t_ns: Nanos,
    pub label: String,
}

/// Everything the timeline draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Geometry {
    pub width: f64,
    pub height: f64,
    /// x of [`View::start_ns`] and of [`View::end_ns`].
    pub plot_left: f64,
    pub plot_right: f64,
    /// Where the run ends.
    pub end_ns: Nanos,
    pub view: View,
    /// Top of the rows (below the axis) and their bottom.
    pub rows_top: f64,
    pub rows_bottom: f64,
    pub processes: Vec<ProcessRow>,
    /// One per thread, in drawing order (under their process).
    pub lanes: Vec<Lane>,
    pub bars: Vec<Bar>,
    pub markers: Vec<Marker>,
    pub ticks: Vec<Tick>,
}

impl Geometry {
    /// The x of a point in time (not clamped: outside the plot when outside the view).
    pub fn x_of(&self, t_ns: Nanos) -> f64 {
        x_in(t_ns, self.view, self.plot_left, self.plot_right)
    }

    /// The time at `x` (clamped to the view).
    pub fn t_at(&self, x: f64) -> Nanos {
        let fraction = ((x - self.plot_left) / (self.plot_right - self.plot_left).max(1.0)).clamp(0.0, 1.0);
        (self.view.start_ns as f64 + fraction * self.view.span_ns() as f64).round() as Nanos
    }

    /// The x of the time cursor, if it is inside the view.
    pub fn cursor_x(&self, cursor_ns: Nanos) -> Option<f64> {
        (cursor_ns >= self.view.start_ns && cursor_ns <= self.view.end_ns).then(|| self.x_of(cursor_ns))
    }

    /// The lane of a thread.
    pub fn lane_of(&self, thread: ThreadId) -> Option<&Lane> {
        self.lanes.iter().find(|l| l.thread == thread)
    }

    /// The header row of a process.
    pub fn process_row(&self, pid: Pid) -> Option<&ProcessRow> {
        self.processes.iter().find(|p| p.pid == pid)
    }
}

fn x_in(t_ns: Nanos, view: View, left: f64, right: f64) -> f64 {
    left + (t_ns as f64 - view.start_ns as f64) / view.span_ns() as f64 * (right - left)
}

/// Rows, bars, markers and ticks of the whole run.
pub fn layout(trace: &Trace, sizes: &Layout) -> Geometry {
    layout_view(trace, sizes, View::full(end_of_run(trace)))
}

/// Rows, bars, markers and ticks for the window `view` of the run.
pub fn layout_view(trace: &Trace, sizes: &Layout, view: View) -> Geometry {
    let end_ns = end_of_run(trace);
    let plot_left = sizes.label_width;
    let plot_right = (sizes.width - sizes.right_padding).max(plot_left + 1.0);
    let x = |t: Nanos| x_in(t, view, plot_left, plot_right);

    // Rows: a header per process, then its threads, in process-tree order.
    let mut processes = Vec::new();
    let mut lanes = Vec::new();
    let mut y = sizes.axis_height;
    for (pid, depth) in process_order(trace) {
        let Some(info) = trace.processes.iter().find(|p| p.pid == pid) else {
            continue;
        };
        let name = process_name(trace, pid);
        let reparent = trace.events.iter().find_map(|e| match e.kind {
            EventKind::Reparent { pid: p, ppid } if p == pid => Some((e.t_ns, ppid)),
            _ => None,
        });
        let mut title = format!("{name}, started at {}", format_time(info.start_ns));
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
        let label = process_label(
            pid,
            &info.name,
            info.daemon,
            reparent.is_some(),
            sizes.label_chars(depth),
        );
        let row_y = y;
        processes.push(ProcessRow {
            pid,
            label,
            title,
            depth,
            label_x: 4.0 + sizes.indent * depth as f64,
            y: row_y,
            height: sizes.header_height,
            segments: process_segments(trace, pid, end_ns)
                .into_iter()
                .filter(|(start, stop, _)| *stop >= view.start_ns && *start <= view.end_ns)
                .map(|(start, stop, class)| {
                    let x0 = x(start).max(plot_left);
                    let x1 = x(stop).min(plot_right);
                    ProcSegment {
                        x: x0,
                        width: (x1 - x0).max(sizes.min_bar_width),
                        class,
                        title: format!(
                            "pid {pid}: {} from {} to {}",
                            class.label(),
                            format_time(start),
                            format_time(stop)
                        ),
                    }
                })
                .collect(),
        });
        y += sizes.header_height + sizes.lane_gap;
        for thread in trace.threads.iter().filter(|t| t.pid == pid) {
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
            let mut title = format!("{} (pid {pid})", thread.name);
            if !flags.is_empty() {
                title.push_str(&format!(": {}", flags.join(", ")));
            }
            lanes.push(Lane {
                thread: thread.id,
                pid,
                label: shorten(&thread.name, sizes.label_chars(depth + 1)),
                title,
                depth: depth + 1,
                label_x: 4.0 + sizes.indent * (depth + 1) as f64,
                y,
                height: sizes.lane_height,
            });
            y += sizes.lane_height + sizes.lane_gap;
        }
    }
    let rows_bottom = if processes.is_empty() {
        sizes.axis_height + sizes.lane_height
    } else {
        y - sizes.lane_gap
    };

    let spans = spans_by_thread(trace);
    let mut bars = Vec::new();
    for (lane_index, lane) in lanes.iter().enumerate() {
        let Some(thread_spans) = spans.get(lane.thread.0 as usize) else {
            continue;
        };
        lane_bars(
            trace,
            thread_spans,
            lane_index,
            lane,
            view,
            sizes,
            plot_left,
            plot_right,
            &mut bars,
        );
    }

    let markers = markers(trace, &lanes, &processes, view, sizes, plot_left, plot_right);

    let max_ticks = (((plot_right - plot_left) / 80.0).floor() as u64).max(2);
    let ticks = ticks_in(view, max_ticks)
        .into_iter()
        .map(|(t_ns, label)| Tick {
            x: x(t_ns),
            t_ns,
            label,
        })
        .collect();

    Geometry {
        width: sizes.width,
        height: rows_bottom + sizes.lane_gap,
        plot_left,
        plot_right,
        end_ns,
        view,
        rows_top: sizes.axis_height,
        rows_bottom,
        processes,
        lanes,
        bars,
        markers,
        ticks,
    }
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

/// A merged run of spans, each narrower than a pixel.
struct Pending {
    x0: f64,
    x1: f64,
    start_ns: Nanos,
    end_ns: Nanos,
    /// Time spent in each style (by index into `styles`).
    time: Vec<(BarStyle, Nanos)>,
    count: usize,
    first: Option<Span>,
}

impl Pending {
    fn dominant(&self) -> BarStyle {
        // Ties go to the first style seen (a state that lasted 0 ns still counts once).
        let mut best = self.time[0];
        for entry in &self.time[1..] {
            if entry.1 > best.1 {
                best = *entry;
            }
        }
        best.0
    }
}

#[allow(clippy::too_many_arguments)]
fn lane_bars(
    trace: &Trace,
    spans: &[Span],
    lane_index: usize,
    lane: &Lane,
    view: View,
    sizes: &Layout,
    plot_left: f64,
    plot_right: f64,
    bars: &mut Vec<Bar>,
) {
    let x = |t: Nanos| x_in(t, view, plot_left, plot_right);
    let name = trace
        .threads
        .get(lane.thread.0 as usize)
        .map_or("", |t| t.name.as_str());
    let make_bar = |x0: f64, x1: f64, style: BarStyle, merged: usize, title: String| {
        let height = if style.class.is_alive() {
            lane.height
        } else {
            lane.height / 4.0
        };
        Bar {
            lane: lane_index,
            x: x0,
            y: lane.y + (lane.height - height) / 2.0,
            width: (x1 - x0).max(sizes.min_bar_width),
            height,
            class: style.class,
            wait: style.wait,
            merged,
            title,
        }
    };
    let emit = |chunk: Option<Pending>, bars: &mut Vec<Bar>| {
        let Some(p) = chunk else {
            return;
        };
        let style = p.dominant();
        let title = match (&p.first, p.count) {
            (Some(span), 1) => span_title(trace, name, span),
            _ => {
                let total: Nanos = p.time.iter().map(|(_, t)| t).sum::<Nanos>().max(1);
                let mut parts: Vec<(BarStyle, Nanos)> = p.time.clone();
                parts.sort_by_key(|p| std::cmp::Reverse(p.1));
                let shares: Vec<String> = parts
                    .iter()
                    .take(3)
                    .map(|(s, t)| format!("{} {}%", style_label(*s), (t * 100 + total / 2) / total))
                    .collect();
                format!(
                    "{name}: {} short states from {} to {} ({}); zoom in to see them apart",
                    p.count,
                    format_time(p.start_ns),
                    format_time(p.end_ns),
                    shares.join(", ")
                )
            }
        };
        bars.push(make_bar(p.x0, p.x1, style, p.count, title));
    };
    // A chunk of short states at least a pixel wide joins the one before it
    // when both look the same; otherwise the one before is drawn.
    let complete = |pending: &mut Option<Pending>, held: &mut Option<Pending>, bars: &mut Vec<Bar>| {
        let Some(p) = pending.take() else {
            return;
        };
        if let Some(h) = held.as_mut() {
            if h.count > 1 && p.count > 1 && h.dominant() == p.dominant() && (p.x0 - h.x1).abs() < 0.5 {
                h.x1 = p.x1;
                h.end_ns = p.end_ns;
                h.count += p.count;
                for (style, time) in p.time {
                    match h.time.iter_mut().find(|(s, _)| *s == style) {
                        Some(entry) => entry.1 += time,
                        None => h.time.push((style, time)),
                    }
                }
                return;
            }
        }
        emit(held.replace(p), bars);
    };

    let mut pending: Option<Pending> = None;
    let mut held: Option<Pending> = None;
    for (k, span) in spans.iter().enumerate() {
        let last_of_thread = k + 1 == spans.len();
        // A state that lasts no time is not drawn, unless it is the thread's last.
        if span.end_ns == span.start_ns && !last_of_thread {
            continue;
        }
        if span.end_ns < view.start_ns || span.start_ns > view.end_ns {
            continue;
        }
        if span.end_ns == view.start_ns && span.end_ns > span.start_ns && view.start_ns > 0 {
            continue;
        }
        let x0 = x(span.start_ns).max(plot_left);
        let x1 = x(span.end_ns).min(plot_right);
        let style = BarStyle::of(&span.state);
        if x1 - x0 >= 1.0 {
            complete(&mut pending, &mut held, bars);
            emit(held.take(), bars);
            bars.push(make_bar(x0, x1, style, 1, span_title(trace, name, span)));
            continue;
        }
        let p = pending.get_or_insert_with(|| Pending {
            x0,
            x1,
            start_ns: span.start_ns,
            end_ns: span.end_ns,
            time: Vec::new(),
            count: 0,
            first: Some(span.clone()),
        });
        p.x1 = x1.max(p.x1);
        p.end_ns = span.end_ns;
        p.count += 1;
        let visible = span.end_ns.min(view.end_ns) - span.start_ns.max(view.start_ns).min(span.end_ns);
        match p.time.iter_mut().find(|(s, _)| *s == style) {
            Some(entry) => entry.1 += visible,
            None => p.time.push((style, visible)),
        }
        if p.x1 - p.x0 >= 1.0 {
            complete(&mut pending, &mut held, bars);
        }
    }
    complete(&mut pending, &mut held, bars);
    emit(held.take(), bars);
}

fn style_label(style: BarStyle) -> &'static str {
    match style.wait {
        Some(WaitKind::Shutdown) => "waiting at shutdown",
        Some(_) => "blocked",
        None => match style.class {
            StateClass::Running => "running",
            StateClass::Ready => "ready",
            other => other.label(),
        },
    }
}

fn span_title(trace: &Trace, name: &str, span: &Span) -> String {
    if span.start_ns == span.end_ns {
        format!(
            "{name}: {} at {}",
            describe(&span.state, trace),
            format_time(span.start_ns)
        )
    } else {
        format!(
            "{name}: {} from {} to {}",
            describe(&span.state, trace),
            format_time(span.start_ns),
            format_time(span.end_ns)
        )
    }
}

/// Every marker of the trace inside the view, at most one per kind, row and
/// [`Layout::marker_bucket`] pixels.
fn markers(
    trace: &Trace,
    lanes: &[Lane],
    processes: &[ProcessRow],
    view: View,
    sizes: &Layout,
    plot_left: f64,
    plot_right: f64,
) -> Vec<Marker> {
    let x = |t: Nanos| x_in(t, view, plot_left, plot_right);
    let lane_y = |thread: ThreadId| lanes.iter().find(|l| l.thread == thread).map(|l| l.y + l.height / 2.0);
    let proc_y = |pid: Pid| processes.iter().find(|p| p.pid == pid).map(|p| p.y + p.height / 2.0);
    let thread_name = |t: ThreadId| {
        trace
            .threads
            .get(t.0 as usize)
            .map_or_else(|| format!("thread #{}", t.0), |i| i.name.clone())
    };

    let mut out: Vec<Marker> = Vec::new();
    // (kind, row y, bucket) → index in `out`, for the last few buckets only.
    let mut recent: Vec<((MarkerKind, i64, i64), usize)> = Vec::new();
    let mut push = |kind: MarkerKind, t_ns: Nanos, y: f64, arrow: Option<Arrow>, title: String| {
        let mx = x(t_ns);
        let bucket = ((mx - plot_left) / sizes.marker_bucket).floor() as i64;
        let key = (kind, (y * 2.0).round() as i64, bucket);
        if let Some((_, index)) = recent.iter().find(|(k, _)| *k == key) {
            let m: &mut Marker = &mut out[*index];
            m.count += 1;
            if m.count == 2 {
                m.title = format!(
                    "{}\n(and more at {}; zoom in to see them apart)",
                    m.title,
                    format_time(t_ns)
                );
            }
            return;
        }
        recent.retain(|((_, _, b), _)| *b >= bucket - 1);
        recent.push((key, out.len()));
        out.push(Marker {
            kind,
            t_ns,
            x: mx,
            y,
            arrow,
            count: 1,
            title,
        });
    };

    for event in &trace.events {
        let t = event.t_ns;
        if t < view.start_ns || t > view.end_ns {
            continue;
        }
        let at = format_time(t);
        let xt = x(t);
        match &event.kind {
            EventKind::Output { index } => {
                let Some(line) = trace.output.get(*index) else {
                    continue;
                };
                let Some(y) = lane_y(line.thread) else {
                    continue;
                };
                let (kind, stream) = match line.stream {
                    Stream::Stdout => (MarkerKind::Output, "printed"),
                    Stream::Stderr => (MarkerKind::ErrorOutput, "wrote to stderr"),
                };
                let text = shorten(&line.text, 120);
                push(
                    kind,
                    t,
                    y,
                    None,
                    format!("{} {stream} at {at}: {text}", thread_name(line.thread)),
                );
            }
            EventKind::Start { by, thread, line } => {
                let (Some(y), Some(from)) = (lane_y(*thread), lane_y(*by)) else {
                    continue;
                };
                push(
                    MarkerKind::Start,
                    t,
                    y,
                    Some(Arrow {
                        x1: xt,
                        y1: from,
                        x2: xt,
                        y2: y,
                    }),
                    format!(
                        "{} started {} at {at}, line {line}",
                        thread_name(*by),
                        thread_name(*thread)
                    ),
                );
            }
            EventKind::Join {
                waiter,
                target,
                line,
                timed_out,
            } => {
                let (Some(y), Some(from)) = (lane_y(*waiter), lane_y(*target)) else {
                    continue;
                };
                let how = if *timed_out {
                    "timed out (the thread still runs)"
                } else {
                    "returned (the thread has ended)"
                };
                push(
                    MarkerKind::Join,
                    t,
                    y,
                    Some(Arrow {
                        x1: xt,
                        y1: from,
                        x2: xt,
                        y2: y,
                    }),
                    format!(
                        "{}'s join() of {} {how} at {at}, line {line}",
                        thread_name(*waiter),
                        thread_name(*target)
                    ),
                );
            }
            EventKind::Uncaught {
                thread,
                exception,
                line,
            } => {
                let Some(y) = lane_y(*thread) else {
                    continue;
                };
                push(
                    MarkerKind::Uncaught,
                    t,
                    y,
                    None,
                    format!("uncaught {exception} in {} at {at}, line {line}", thread_name(*thread)),
                );
            }
            EventKind::ProcessStart {
                parent,
                pid,
                method,
                line,
            } => {
                let Some(y) = proc_y(*pid) else {
                    continue;
                };
                let arrow = proc_y(*parent).map(|from| Arrow {
                    x1: xt,
                    y1: from,
                    x2: xt,
                    y2: y,
                });
                push(
                    MarkerKind::ProcessStart,
                    t,
                    y,
                    arrow,
                    format!("pid {parent} started pid {pid} ({method}) at {at}, line {line}"),
                );
            }
            EventKind::Signal {
                from,
                to,
                signum,
                action,
            } => {
                let Some(y) = proc_y(*to) else {
                    continue;
                };
                let sender = match from {
                    Some(p) => format!("pid {p}"),
                    None => "the terminal".to_string(),
                };
                let arrow = from.filter(|f| f != to).and_then(proc_y).map(|from| Arrow {
                    x1: xt,
                    y1: from,
                    x2: xt,
                    y2: y,
                });
                push(
                    MarkerKind::Signal,
                    t,
                    y,
                    arrow,
                    format!("{} from {sender} to pid {to} at {at}: {action}", signal_name(*signum)),
                );
            }
            EventKind::Exit { pid, code } => {
                let Some(y) = proc_y(*pid) else {
                    continue;
                };
                if *code < 0 {
                    push(
                        MarkerKind::Kill,
                        t,
                        y,
                        None,
                        format!("pid {pid} killed by {} at {at} (exit code {code})", signal_name(-code)),
                    );
                } else {
                    push(
                        MarkerKind::Exit,
                        t,
                        y,
                        None,
                        format!("pid {pid} exited with code {code} at {at}"),
                    );
                }
            }
            EventKind::Reparent { pid, ppid } => {
                let Some(y) = proc_y(*pid) else {
                    continue;
                };
                push(
                    MarkerKind::Reparent,
                    t,
                    y,
                    None,
                    format!("pid {pid} lost its parent at {at} and was re-parented to pid {ppid}"),
                );
            }
            EventKind::State { .. } | EventKind::Line { .. } | EventKind::Phase { .. } | EventKind::Reaped { .. } => {}
        }
    }
    // Choice points, on the lane of the thread the decision favoured.
    for (i, choice) in trace.choices.iter().enumerate() {
        let t = choice.t_ns;
        if t < view.start_ns || t > view.end_ns {
            continue;
        }
        let Some(thread) = choice.options.get(choice.chosen as usize).or(choice.options.first()) else {
            continue;
        };
        let Some(y) = lane_y(*thread) else {
            continue;
        };
        push(
            MarkerKind::Choice,
            t,
            y,
            None,
            format!(
                "choice point {}: {} (try another option under Outcomes, Choice points)",
                i + 1,
                crate::choices::describe(trace, choice)
            ),
        );
    }
    out
}

pub use threadline_engine::signal_name;

/// A state in words, with its reason ("blocked on join of Thread-1, line 12").
pub fn describe(state: &ThreadState, trace: &Trace) -> String {
    match state {
        ThreadState::Running { line } => format!("running line {line}"),
        ThreadState::Sleeping { line, until_ns } => {
            format!("sleeping at line {line} until {}", format_time(*until_ns))
        }
        ThreadState::Blocked {
            on: on @ BlockedOn::Shutdown { .. },
            line,
            ..
        } => format!("waiting at shutdown: {} (line {line})", on.describe(&trace.threads)),
        ThreadState::Blocked { on, line, until_ns } => {
            let timeout = until_ns.map_or_else(String::new, |t| format!(", timeout at {}", format_time(t)));
            format!("blocked: {}, line {line}{timeout}", on.describe(&trace.threads))
        }
        ThreadState::Failed { exception } => format!("failed with {exception}"),
        ThreadState::Killed { signal } => format!("killed by {}", signal_name(*signal)),
        other => StateClass::of(other).label().to_string(),
    }
}

/// Axis ticks from 0 to `end_ns`, at most `max_ticks` + 1 of them, at a
/// 1, 2 or 5 × 10^k ns step: `(time, label)`.
pub fn ticks(end_ns: Nanos, max_ticks: u64) -> Vec<(Nanos, String)> {
    if end_ns == 0 {
        return vec![(0, format_time(0))];
    }
    ticks_in(View { start_ns: 0, end_ns }, max_ticks)
}

/// Axis ticks inside `view`, at most `max_ticks` + 1, at a 1-2-5 step that
/// suits its width; labels in one unit, with as many decimals as the step needs.
pub fn ticks_in(view: View, max_ticks: u64) -> Vec<(Nanos, String)> {
    let step = tick_step(view.span_ns(), max_ticks.max(1));
    let first = view.start_ns.div_ceil(step) * step;
    let (divisor, unit) = unit_for(view.end_ns.max(step));
    let decimals = decimals_for(step, divisor);
    (0..)
        .map(|i| first + i * step)
        .take_while(|t| *t <= view.end_ns)
        .map(|t| (t, format_in(t, divisor, unit, decimals)))
        .collect()
}

fn unit_for(scale_ns: Nanos) -> (u64, &'static str) {
    match scale_ns {
        s if s >= 1_000_000_000 => (1_000_000_000, "s"),
        s if s >= 1_000_000 => (1_000_000, "ms"),
        s if s >= 1_000 => (1_000, "µs"),
        _ => (1, "ns"),
    }
}

/// The decimals needed to show multiples of `step` in units of `divisor`.
fn decimals_for(step: Nanos, divisor: u64) -> usize {
    let mut decimals = 0;
    let mut unit = divisor;
    while unit > 1 && !step.is_multiple_of(unit) {
        unit /= 10;
        decimals += 1;
    }
    decimals
}

fn format_in(t_ns: Nanos, divisor: u64, unit: &str, decimals: usize) -> String {
    if t_ns == 0 {
        return "0 s".to_string();
    }
    let value = t_ns as f64 / divisor as f64;
    format!("{value:.decimals$} {unit}")
}

/// The smallest 1-2-5 step that divides `end_ns` into at most `max_ticks` parts.
pub fn tick_step(end_ns: Nanos, max_ticks: u64) -> Nanos {
    let mut magnitude: Nanos = 1;
    loop {
        for factor in [1, 2, 5] {
            let step = magnitude.saturating_mul(factor);
            if end_ns / step <= max_ticks {
                return step;
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

/// A time for people: "0 s", "1.5 s", "250 ms", "12 µs", "40 ns".
pub fn format_time(t_ns: Nanos) -> String {
    if t_ns == 0 {
        return "0 s".to_string();
    }
    let (divisor, unit) = unit_for(t_ns);
    let value = t_ns as f64 / divisor as f64;
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} {unit}")
}

/// `text` cut to at most `max_chars` characters, with an ellipsis when cut.
pub fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let kept: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// One entry of the legend.
#[derive(Clone, Debug, PartialEq)]
pub enum LegendItem {
    State(StateClass),
    Wait(WaitKind),
    Busy,
    Process(ProcClass),
    Marker(MarkerKind),
    Cursor,
}

impl LegendItem {
    pub fn label(&self) -> String {
        match self {
            LegendItem::State(c) => c.label().to_string(),
            LegendItem::Wait(w) => w.label().to_string(),
            LegendItem::Busy => "busy: many short states, coloured by the longest (zoom in)".to_string(),
            LegendItem::Process(p) => p.label().to_string(),
            LegendItem::Marker(m) => m.label().to_string(),
            LegendItem::Cursor => "the time cursor (drag it, or click the plot)".to_string(),
        }
    }
}

/// Everything the timeline can draw, in legend order.
pub fn legend_items() -> Vec<LegendItem> {
    let mut items: Vec<LegendItem> = StateClass::ALL.iter().map(|c| LegendItem::State(*c)).collect();
    let blocked = items
        .iter()
        .position(|i| *i == LegendItem::State(StateClass::Blocked))
        .unwrap_or(0);
    for (k, wait) in WaitKind::ALL.iter().enumerate() {
        items.insert(blocked + 1 + k, LegendItem::Wait(*wait));
    }
    items.push(LegendItem::Busy);
    items.extend(ProcClass::ALL.iter().map(|p| LegendItem::Process(*p)));
    items.extend(MarkerKind::ALL.iter().map(|m| LegendItem::Marker(*m)));
    items.push(LegendItem::Cursor);
    items
}

/// The drawing's own style sheet, put inside the `<svg>`: the page's CSS
/// variables (light and dark) where the page defines them, and the light
/// theme's values otherwise, so that the SVG saved alone looks as in the page.
pub const SVG_STYLE: &str = r#"
.tl-svg { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 11px; }
.tl-svg text { fill: var(--fg, #1d2430); }
.tl-background { fill: var(--pane, #ffffff); }
.tl-svg .axis line { stroke: var(--grid, #d9dde4); stroke-width: 1; }
.tl-svg .axis text { fill: var(--muted, #5b6576); text-anchor: middle; }
.tl-svg .lane-background { fill: var(--lane-bg, #eef0f4); }
.tl-svg .lane-label, .tl-svg .process-label { dominant-baseline: central; }
.tl-svg .process-label { font-weight: bold; }
.tl-svg .timeline-empty { fill: var(--muted, #5b6576); }
.bar.state-new { fill: var(--state-new, #c2c7cf); }
.bar.state-ready { fill: var(--state-ready, #e3a21a); }
.bar.state-running { fill: var(--state-running, #2a9d4b); }
.bar.state-sleeping { fill: var(--state-sleeping, #3f86d8); }
.bar.state-blocked { fill: var(--state-blocked, #d3435c); }
.bar.state-finished { fill: var(--state-finished, #7c8593); }
.bar.state-failed { fill: var(--state-failed, #a1231a); }
.bar.state-abandoned { fill: var(--state-abandoned, #9360d1); }
.bar.state-killed { fill: var(--state-killed, #3b3b3b); }
.bar.wait-join { fill: url(#tl-pat-join); }
.bar.wait-event { fill: url(#tl-pat-event); }
.bar.wait-lock { fill: url(#tl-pat-lock); }
.bar.wait-queue { fill: url(#tl-pat-queue); }
.bar.wait-process { fill: url(#tl-pat-process); }
.bar.wait-shutdown { fill: url(#tl-pat-shutdown); }
.pat-bg { fill: var(--state-blocked, #d3435c); }
.pat-bg-shutdown { fill: var(--state-finished, #7c8593); }
.pat-ink { stroke: var(--pane, #ffffff); stroke-width: 1.6; fill: none; opacity: 0.75; }
.pat-dot { fill: var(--pane, #ffffff); opacity: 0.8; }
.bar.busy { stroke: var(--fg, #1d2430); stroke-width: 0.5; stroke-dasharray: 1 1; }
.proc-running { fill: var(--accent, #2f6fdf); opacity: 0.35; }
.proc-zombie { fill: url(#tl-pat-zombie); }
.pat-zombie-bg { fill: var(--state-finished, #7c8593); opacity: 0.5; }
.pat-zombie-ink { stroke: var(--fg, #1d2430); stroke-width: 1; opacity: 0.6; }
.proc-dead { fill: var(--muted, #5b6576); opacity: 0.45; }
.marker path { stroke: var(--fg, #1d2430); stroke-width: 1.4; fill: var(--pane, #ffffff); }
.marker-output path, .marker-stderr path { stroke-width: 1.6; }
.marker-stderr path { stroke: var(--state-failed, #a1231a); }
.marker-start path, .marker-process-start path { fill: var(--state-running, #2a9d4b); }
.marker-join path { fill: var(--state-sleeping, #3f86d8); }
.marker-signal path { fill: var(--state-ready, #e3a21a); }
.marker-exit path { fill: var(--fg, #1d2430); }
.marker-kill path, .marker-uncaught path { stroke: var(--state-failed, #a1231a); stroke-width: 2.2; }
.marker-reparent path { fill: none; stroke: var(--state-abandoned, #9360d1); }
.marker-choice path { fill: none; stroke: var(--accent, #2f6fdf); stroke-width: 1.5; }
.marker .arrow { stroke: var(--muted, #5b6576); stroke-width: 1; fill: none; marker-end: url(#tl-arrowhead); }
.marker-signal .arrow { stroke: var(--state-ready, #e3a21a); stroke-dasharray: 3 2; }
.tl-arrowhead { fill: var(--muted, #5b6576); }
.marker .hit { fill: transparent; stroke: none; }
.cursor-line { stroke: var(--accent, #2f6fdf); stroke-width: 2; }
.cursor-handle { fill: var(--accent, #2f6fdf); }
.tl-svg [tabindex]:focus { outline: none; }
.tl-svg [tabindex]:focus-visible > rect, .tl-svg rect[tabindex]:focus-visible { stroke: var(--accent, #2f6fdf); stroke-width: 2; }
.tl-svg .marker:focus-visible path { stroke: var(--accent, #2f6fdf); stroke-width: 2.5; }
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use threadline_engine::{BlockedOn, Event, OutputLine, ProcessInfo, RunOptions, StopReason, ThreadInfo};

    /// A real trace of two threads, as the template of the made-up ones
    /// below (so that fields added to the trace later keep sensible values).
    fn template() -> Trace {
        let source = "import threading\nt = threading.Thread(target=print)\nt.start()\nt.join()\n";
        let trace = threadline_engine::run(source, &RunOptions::default());
        assert!(!trace.threads.is_empty() && !trace.processes.is_empty(), "{trace:?}");
        trace
    }

    fn thread(id: u32, name: &str) -> ThreadInfo {
        let mut info = template().threads[0].clone();
        info.id = ThreadId(id);
        info.pid = 100;
        info.name = name.to_string();
        info.daemon = false;
        info.is_main = id == 0;
        info.created_by = (id > 0).then_some(ThreadId(0));
        info
    }

    fn state(t_ns: Nanos, id: u32, state: ThreadState) -> Event {
        Event {
            t_ns,
            kind: EventKind::State {
                thread: ThreadId(id),
                state,
            },
        }
    }

    fn trace(threads: Vec<ThreadInfo>, events: Vec<Event>, exit_ns: Option<Nanos>) -> Trace {
        let mut trace = template();
        trace.horizon_ns = 10_000;
        trace.diagnostics.clear();
        trace.processes.truncate(1);
        trace.processes[0].pid = 100;
        trace.processes[0].ppid = 0;
        trace.processes[0].start_ns = 0;
        trace.processes[0].exit_code = exit_ns.map(|_| 0);
        trace.processes[0].exit_ns = exit_ns;
        trace.threads = threads;
        trace.events = events;
        trace.output.clear();
        trace.outcome.exit_code = exit_ns.map(|_| 0);
        trace.outcome.exit_ns = exit_ns;
        trace.outcome.still_running = exit_ns.is_none();
        trace.outcome.stop = if exit_ns.is_some() {
            StopReason::Exited
        } else {
            StopReason::Horizon
        };
        trace.outcome.explanation.clear();
        trace
    }

    fn process(pid: Pid, ppid: Pid, name: &str, start_ns: Nanos, exit_ns: Option<Nanos>) -> ProcessInfo {
        let mut info = template().processes[0].clone();
        info.pid = pid;
        info.ppid = ppid;
        info.name = name.to_string();
        info.daemon = false;
        info.start_ns = start_ns;
        info.exit_ns = exit_ns;
        info.exit_code = exit_ns.map(|_| 0);
        info
    }

    /// Main runs 0..400, waits for the worker by join 400..1000, finishes.
    /// The worker is ready 100..400, runs 400..1000 and finishes.
    fn two_threads() -> Trace {
        trace(
            vec![thread(0, "MainThread"), thread(1, "Thread-1 (worker)")],
            vec![
                state(0, 0, ThreadState::Running { line: 1 }),
                state(100, 1, ThreadState::Ready),
                state(
                    400,
                    0,
                    ThreadState::Blocked {
                        on: BlockedOn::Join { thread: ThreadId(1) },
                        line: 5,
                        until_ns: None,
                    },
                ),
                state(400, 1, ThreadState::Running { line: 2 }),
                state(1000, 1, ThreadState::Finished),
                state(1000, 0, ThreadState::Running { line: 6 }),
                state(1200, 0, ThreadState::Finished),
            ],
            Some(1200),
        )
    }

    /// Runs `source` twice, checks that both traces are equal, returns one.
    fn run_twice(source: &str) -> Trace {
        let first = threadline_engine::run(source, &RunOptions::default());
        let second = threadline_engine::run(source, &RunOptions::default());
        assert_eq!(first, second, "the engine is deterministic");
        assert!(first.diagnostics.is_empty(), "{:?}", first.diagnostics);
        first
    }

    #[test]
    fn a_state_holds_until_the_next_state_of_the_same_thread() {
        let spans = state_spans(&two_threads());
        let shape: Vec<(u32, Nanos, Nanos, StateClass)> = spans
            .iter()
            .map(|s| (s.thread.0, s.start_ns, s.end_ns, StateClass::of(&s.state)))
            .collect();
        assert_eq!(
            shape,
            vec![
                (0, 0, 400, StateClass::Running),
                (0, 400, 1000, StateClass::Blocked),
                (0, 1000, 1200, StateClass::Running),
                (0, 1200, 1200, StateClass::Finished),
                (1, 100, 400, StateClass::Ready),
                (1, 400, 1000, StateClass::Running),
                (1, 1000, 1200, StateClass::Finished),
            ]
        );
    }

    #[test]
    fn the_run_ends_at_exit_or_last_event_or_horizon() {
        assert_eq!(end_of_run(&two_threads()), 1200);
        let still = trace(
            vec![thread(0, "MainThread")],
            vec![state(0, 0, ThreadState::Running { line: 1 })],
            None,
        );
        assert_eq!(end_of_run(&still), 10_000, "stopped at the horizon");
        let empty = trace(Vec::new(), Vec::new(), Some(0));
        assert_eq!(end_of_run(&empty), 0);
    }

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
    fn bars_span_their_interval_in_plot_coordinates() {
        let sizes = Layout::default();
        let g = layout(&two_threads(), &sizes);
        assert_eq!(g.plot_left, sizes.label_width);
        assert_eq!(g.plot_right, sizes.width - sizes.right_padding);
        let plot = g.plot_right - g.plot_left;
        let ready = g
            .bars
            .iter()
            .find(|b| b.class == StateClass::Ready)
            .expect("the worker's ready bar");
        assert_eq!(ready.lane, 1);
        assert!((ready.x - (g.plot_left + plot * 100.0 / 1200.0)).abs() < 1e-9);
        assert!((ready.width - plot * 300.0 / 1200.0).abs() < 1e-9);
        assert_eq!(ready.y, g.lanes[1].y);
        assert_eq!(ready.height, g.lanes[1].height);
        assert_eq!(ready.merged, 1);
    }

    #[test]
    fn a_final_state_at_the_very_end_is_still_visible() {
        let g = layout(&two_threads(), &Layout::default());
        let main_finished = g
            .bars
            .iter()
            .find(|b| b.lane == 0 && b.class == StateClass::Finished)
            .expect("main's finished mark");
        assert_eq!(main_finished.width, Layout::default().min_bar_width);
        assert!(main_finished.height < g.lanes[0].height, "dead states are thin");
    }

    #[test]
    fn a_short_burst_in_a_long_run_is_still_visible() {
        let t = trace(
            vec![thread(0, "MainThread")],
            vec![
                state(0, 0, ThreadState::Running { line: 1 }),
                state(
                    10,
                    0,
                    ThreadState::Sleeping {
                        until_ns: 1_000_000,
                        line: 2,
                    },
                ),
                state(1_000_000, 0, ThreadState::Finished),
            ],
            Some(1_000_000),
        );
        let sizes = Layout::default();
        let g = layout(&t, &sizes);
        let running = g.bars.iter().find(|b| b.class == StateClass::Running).unwrap();
        assert_eq!(running.width, sizes.min_bar_width);
        assert_eq!(running.x, g.plot_left);
        assert_eq!(running.title, "MainThread: running line 1 from 0 s to 10 ns");
    }

    #[test]
    fn a_state_that_lasts_no_time_is_not_drawn() {
        let t = trace(
            vec![thread(0, "MainThread")],
            vec![
                state(0, 0, ThreadState::Ready),
                state(0, 0, ThreadState::Running { line: 1 }),
                state(100, 0, ThreadState::Finished),
            ],
            Some(200),
        );
        let classes: Vec<StateClass> = layout(&t, &Layout::default()).bars.iter().map(|b| b.class).collect();
        assert_eq!(classes, vec![StateClass::Running, StateClass::Finished]);
    }

    #[test]
    fn bar_titles_give_the_reason() {
        let g = layout(&two_threads(), &Layout::default());
        let blocked = g.bars.iter().find(|b| b.class == StateClass::Blocked).unwrap();
        assert_eq!(
            blocked.title,
            "MainThread: blocked: join of Thread-1 (worker), line 5 from 400 ns to 1 µs"
        );
        assert_eq!(blocked.wait, Some(WaitKind::Join));
        assert_eq!(blocked.style().css_classes(), "bar state-blocked wait-join");
    }

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

    #[test]
    fn state_events_of_unknown_threads_are_ignored() {
        let t = trace(
            vec![thread(0, "MainThread")],
            vec![state(0, 7, ThreadState::Ready)],
            Some(10),
        );
        assert!(layout(&t, &Layout::default()).bars.is_empty());
    }

    #[test]
    fn an_empty_trace_has_no_lanes_and_a_zero_tick() {
        let g = layout(&trace(Vec::new(), Vec::new(), Some(0)), &Layout::default());
        assert!(g.lanes.is_empty());
        assert!(g.bars.is_empty());
        assert_eq!(g.ticks[0].label, "0 s");
        assert!(g.height > 0.0);
    }

    #[test]
    fn tick_steps_are_1_2_5() {
        assert_eq!(tick_step(8_000_000_000, 8), 1_000_000_000);
        assert_eq!(tick_step(9_000_000_000, 8), 2_000_000_000);
        assert_eq!(tick_step(30_000_000, 8), 5_000_000);
        assert_eq!(tick_step(7, 8), 1);
        let labels: Vec<String> = ticks(1_000_000_000, 8).into_iter().map(|(_, l)| l).collect();
        assert_eq!(labels.first().unwrap(), "0 s");
        assert_eq!(labels.last().unwrap(), "1.0 s");
        assert_eq!(labels[1], "0.2 s");
    }

    #[test]
    fn ticks_follow_the_zoom() {
        // Zoomed into 1.2 s .. 1.21 s: ticks every 2 ms, in seconds with 3 decimals.
        let view = View {
            start_ns: 1_200_000_000,
            end_ns: 1_210_000_000,
        };
        let ticks = ticks_in(view, 5);
        let labels: Vec<&str> = ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(
            labels,
            vec!["1.200 s", "1.202 s", "1.204 s", "1.206 s", "1.208 s", "1.210 s"]
        );
        // An offset window: the first tick is the first multiple of the step inside it.
        let ticks = ticks_in(
            View {
                start_ns: 130,
                end_ns: 990,
            },
            8,
        );
        assert_eq!(ticks.first().unwrap().0, 200);
        assert_eq!(ticks.last().unwrap().0, 900);
        assert_eq!(ticks[0].1, "200 ns");
        // In the layout, every tick is inside the plot.
        let t = two_threads();
        let full = layout(&t, &Layout::default());
        let zoomed = layout_view(
            &t,
            &Layout::default(),
            View {
                start_ns: 300,
                end_ns: 500,
            },
        );
        assert_ne!(full.ticks, zoomed.ticks);
        for g in [&full, &zoomed] {
            assert!(g.ticks.len() >= 2);
            for tick in &g.ticks {
                assert!(
                    tick.x >= g.plot_left - 1e-9 && tick.x <= g.plot_right + 1e-9,
                    "{tick:?}"
                );
            }
        }
        assert_eq!(zoomed.ticks[0].x, zoomed.plot_left);
    }

    #[test]
    fn zoom_keeps_the_anchor_and_stays_inside_the_run() {
        let full = View::full(1_000_000);
        let zoomed = full.zoom(250_000, 0.5, 1_000_000);
        assert_eq!(zoomed.span_ns(), 500_000);
        // 250 µs was a quarter in; it still is.
        assert_eq!(zoomed.start_ns, 125_000);
        assert_eq!(zoomed.end_ns, 625_000);
        // Zooming out past the whole run gives the whole run.
        assert_eq!(zoomed.zoom(400_000, 10.0, 1_000_000), full);
        // Never narrower than the minimum.
        let deep = (0..50).fold(full, |v, _| v.zoom(999_999, 0.5, 1_000_000));
        assert_eq!(deep.span_ns(), View::MIN_SPAN_NS);
        assert!(deep.end_ns <= 1_000_000);
        // Panning stops at either end.
        assert_eq!(zoomed.pan(-1_000_000, 1_000_000).start_ns, 0);
        assert_eq!(zoomed.pan(10_000_000, 1_000_000).end_ns, 1_000_000);
        assert_eq!(zoomed.pan(1_000, 1_000_000).start_ns, 126_000);
        assert_eq!(full.zoom_centred(500_000, 0.5, 1_000_000).start_ns, 250_000);
    }

    #[test]
    fn the_cursor_and_clicks_map_to_times() {
        let g = layout(&two_threads(), &Layout::default());
        assert_eq!(g.cursor_x(0), Some(g.plot_left));
        assert_eq!(g.cursor_x(1200), Some(g.plot_right));
        let middle = g.cursor_x(600).unwrap();
        assert!((middle - (g.plot_left + g.plot_right) / 2.0).abs() < 1e-9);
        assert_eq!(g.t_at(middle), 600);
        assert_eq!(g.t_at(0.0), 0, "left of the plot is its start");
        assert_eq!(g.t_at(g.width + 50.0), 1200);
        let zoomed = layout_view(
            &two_threads(),
            &Layout::default(),
            View {
                start_ns: 300,
                end_ns: 500,
            },
        );
        assert_eq!(zoomed.cursor_x(600), None, "outside the view");
        assert_eq!(zoomed.t_at(zoomed.plot_left), 300);
        // Bars are clipped to the plot.
        for bar in &zoomed.bars {
            assert!(
                bar.x >= zoomed.plot_left && bar.x + bar.width <= zoomed.plot_right + 2.0,
                "{bar:?}"
            );
        }
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
    fn choice_points_of_a_replayed_schedule_are_marked() {
        let source = "import threading\n\ndef say(w):\n    for i in range(3):\n        print(w, i)\n\n\
                      a = threading.Thread(target=say, args=('a',))\nb = threading.Thread(target=say, args=('b',))\n\
                      a.start()\nb.start()\na.join()\nb.join()\n";
        let plain = run_twice(source);
        let options = threadline_engine::RunOptions {
            schedule: Some(threadline_engine::vm::schedule::Schedule::default()),
            ..threadline_engine::RunOptions::default()
        };
        let replayed = threadline_engine::run(source, &options);
        assert_eq!(replayed, threadline_engine::run(source, &options));
        assert!(
            replayed.choices.len() > plain.choices.len(),
            "replaying records every choice point"
        );
        let g = layout(&replayed, &Layout::for_width(1920.0));
        let marked: usize = g
            .markers
            .iter()
            .filter(|m| m.kind == MarkerKind::Choice)
            .map(|m| m.count)
            .sum();
        assert_eq!(
            marked,
            replayed.choices.len(),
            "one per choice point (close ones counted together)"
        );
        let first = g.markers.iter().find(|m| m.kind == MarkerKind::Choice).unwrap();
        assert!(first.title.starts_with("choice point 1: "), "{}", first.title);
    }

    #[test]
    fn markers_for_output_start_join_signal_and_exceptions() {
        let source = "import threading, signal, os, time\n\
def handler(signum, frame):\n    print('got', signum)\n\
signal.signal(signal.SIGUSR1, handler)\n\
def work():\n    print('hello from the worker')\n    raise ValueError('boom')\n\
t = threading.Thread(target=work)\n\
t.start()\n\
t.join()\n\
os.kill(os.getpid(), signal.SIGUSR1)\n\
time.sleep(0.01)\n\
print('done')\n";
        let t = run_twice(source);
        let g = layout(&t, &Layout::default());
        let count = |kind: MarkerKind| g.markers.iter().filter(|m| m.kind == kind).count();
        let stdout = t.output.iter().filter(|l| l.stream == Stream::Stdout).count();
        let stderr = t.output.iter().filter(|l| l.stream == Stream::Stderr).count();
        assert_eq!(stdout, 3, "{:?}", t.output);
        assert!(stderr > 0, "the traceback");
        // Output lines of one instant are drawn as one marker with a count.
        let drawn = |kind: MarkerKind| {
            g.markers
                .iter()
                .filter(|m| m.kind == kind)
                .map(|m| m.count)
                .sum::<usize>()
        };
        assert_eq!(drawn(MarkerKind::Output), stdout);
        assert_eq!(drawn(MarkerKind::ErrorOutput), stderr);
        assert_eq!(count(MarkerKind::Start), 1);
        assert_eq!(count(MarkerKind::Join), 1);
        assert_eq!(count(MarkerKind::Signal), 1);
        assert_eq!(count(MarkerKind::Uncaught), 1);
        assert_eq!(count(MarkerKind::Exit), 1);

        let worker = g
            .lanes
            .iter()
            .find(|l| !t.threads[l.thread.0 as usize].is_main)
            .unwrap();
        let main = g.lanes.iter().find(|l| t.threads[l.thread.0 as usize].is_main).unwrap();
        let mid = |l: &Lane| l.y + l.height / 2.0;
        let hello = g
            .markers
            .iter()
            .find(|m| m.title.contains("hello from the worker"))
            .expect("the worker's line");
        assert_eq!(hello.y, mid(worker), "on the writing thread's lane");
        let line = t.output.iter().find(|l| l.text == "hello from the worker").unwrap();
        assert_eq!(hello.x, g.x_of(line.t_ns));
        let start = g.markers.iter().find(|m| m.kind == MarkerKind::Start).unwrap();
        let arrow = start.arrow.as_ref().unwrap();
        assert_eq!(
            (arrow.y1, arrow.y2),
            (mid(main), mid(worker)),
            "from the starter to the new thread"
        );
        assert!(start.title.contains("started Thread-1 (work)"), "{}", start.title);
        let join = g.markers.iter().find(|m| m.kind == MarkerKind::Join).unwrap();
        let arrow = join.arrow.as_ref().unwrap();
        assert_eq!(
            (arrow.y1, arrow.y2),
            (mid(worker), mid(main)),
            "from the target to the waiter"
        );
        let signal = g.markers.iter().find(|m| m.kind == MarkerKind::Signal).unwrap();
        assert!(
            signal.title.contains("SIGUSR1") && signal.title.contains("handler"),
            "{}",
            signal.title
        );
        let uncaught = g.markers.iter().find(|m| m.kind == MarkerKind::Uncaught).unwrap();
        assert!(uncaught.title.contains("ValueError"), "{}", uncaught.title);
        assert_eq!(uncaught.y, mid(worker));
    }

    /// 2 threads × a long CPU loop with a print every few iterations: 20,000+ events.
    fn busy_trace() -> Trace {
        let source = "import threading\n\
def work(n):\n    acc = 0\n    for i in range(6000):\n        acc += i % 7\n        if i % 2 == 0:\n            print(n, i)\n\
a = threading.Thread(target=work, args=(1,))\n\
b = threading.Thread(target=work, args=(2,))\n\
a.start()\n\
b.start()\n\
a.join()\n\
b.join()\n";
        let t = run_twice(source);
        assert!(t.events.len() > 20_000, "{} events", t.events.len());
        t
    }

    #[test]
    fn a_large_trace_draws_a_bounded_number_of_shapes_and_loses_no_visible_state() {
        let t = busy_trace();
        for width in [360.0, 1280.0, 1920.0] {
            let sizes = Layout::for_width(width);
            let g = layout(&t, &sizes);
            let columns = (g.plot_right - g.plot_left).ceil() as usize;
            let per_lane = |lane: usize| g.bars.iter().filter(|b| b.lane == lane).count();
            for lane in 0..g.lanes.len() {
                assert!(
                    per_lane(lane) <= 2 * columns + 4,
                    "width {width}: {} bars on lane {lane}",
                    per_lane(lane)
                );
            }
            // Markers: at most one per kind, row and bucket.
            let rows = g.lanes.len() + g.processes.len();
            let buckets = (columns as f64 / sizes.marker_bucket).ceil() as usize + 1;
            assert!(
                g.markers.len() <= rows * MarkerKind::ALL.len() * buckets,
                "width {width}: {} markers",
                g.markers.len()
            );
            assert!(
                g.markers.len() < t.output.len() / 4,
                "width {width}: markers are merged"
            );
            let drawn: usize = g
                .markers
                .iter()
                .filter(|m| m.kind == MarkerKind::Output)
                .map(|m| m.count)
                .sum();
            assert_eq!(drawn, t.output.len(), "every line is counted in some marker");
            assert_no_visible_state_is_lost(&t, &g);
        }
        // Zoomed in on a stretch: the same bounds, and still nothing visible lost.
        let end = end_of_run(&t);
        // 40 µs in the middle of the loops (they start after the interpreter's 20 ms).
        let middle = 20_000_000 + (end - 20_000_000) / 2;
        let view = View {
            start_ns: middle,
            end_ns: middle + 40_000,
        };
        let g = layout_view(&t, &Layout::for_width(1280.0), view);
        let columns = (g.plot_right - g.plot_left).ceil() as usize;
        assert!(g.bars.len() <= g.lanes.len() * (2 * columns + 4));
        assert_no_visible_state_is_lost(&t, &g);
        assert!(g.bars.iter().any(|b| b.merged == 1), "zoomed in, single states show");
    }

    /// Every state interval at least 2 px wide at this zoom is drawn as a bar
    /// of its own style covering its middle.
    fn assert_no_visible_state_is_lost(t: &Trace, g: &Geometry) {
        let spans = spans_by_thread(t);
        for (index, lane) in g.lanes.iter().enumerate() {
            for span in &spans[lane.thread.0 as usize] {
                let x0 = g.x_of(span.start_ns).max(g.plot_left);
                let x1 = g.x_of(span.end_ns).min(g.plot_right);
                if x1 - x0 < 2.0 {
                    continue;
                }
                let middle = (x0 + x1) / 2.0;
                let style = BarStyle::of(&span.state);
                assert!(
                    g.bars
                        .iter()
                        .any(|b| b.lane == index && b.style() == style && b.x <= middle && b.x + b.width >= middle),
                    "{span:?} ({x0}..{x1}) is not drawn"
                );
            }
        }
    }

    #[test]
    fn short_states_merge_into_busy_bars_coloured_by_the_longest() {
        // 300 alternations of 7 ns running and 3 ns ready, then a long sleep.
        let mut events = Vec::new();
        for i in 0..300 {
            events.push(state(i * 10, 0, ThreadState::Running { line: 1 }));
            events.push(state(i * 10 + 7, 0, ThreadState::Ready));
        }
        events.push(state(
            3000,
            0,
            ThreadState::Sleeping {
                until_ns: 1_000_000,
                line: 2,
            },
        ));
        events.push(state(1_000_000, 0, ThreadState::Finished));
        let t = trace(vec![thread(0, "MainThread")], events, Some(1_000_000));
        let g = layout(&t, &Layout::default());
        assert!(g.bars.len() <= 3, "{:?}", g.bars);
        let busy = &g.bars[0];
        assert_eq!(busy.class, StateClass::Running);
        assert_eq!(busy.merged, 600);
        assert!(
            busy.title.contains("600 short states") && busy.title.contains("running 70%"),
            "{}",
            busy.title
        );
        assert_eq!(g.bars[1].class, StateClass::Sleeping);
    }

    #[test]
    fn every_bundled_scenario_lays_out_inside_the_plot() {
        for scenario in threadline_engine::scenarios::all() {
            let trace = threadline_engine::run(&scenario.script, &scenario.run_options());
            let id = &scenario.meta.id;
            for width in [360.0, 1280.0] {
                let sizes = Layout::for_width(width);
                let g = layout(&trace, &sizes);
                assert_eq!(g.lanes.len(), trace.threads.len(), "{id}");
                assert_eq!(g.processes.len(), trace.processes.len(), "{id}");
                let mut threads: Vec<u32> = g.lanes.iter().map(|l| l.thread.0).collect();
                threads.sort_unstable();
                assert_eq!(threads, (0..trace.threads.len() as u32).collect::<Vec<_>>(), "{id}");
                for bar in &g.bars {
                    let lane = &g.lanes[bar.lane];
                    assert!(bar.x >= g.plot_left && bar.width > 0.0, "{id}: {bar:?}");
                    assert!(bar.x + bar.width <= g.plot_right + sizes.min_bar_width, "{id}: {bar:?}");
                    assert!(bar.y >= lane.y && bar.y + bar.height <= lane.y + lane.height, "{id}");
                }
                for lane in &g.lanes {
                    assert!(
                        lane.label.chars().count() as f64 * sizes.char_width <= sizes.label_width - lane.label_x,
                        "{id}: {lane:?}"
                    );
                }
                let output: usize = g
                    .markers
                    .iter()
                    .filter(|m| matches!(m.kind, MarkerKind::Output | MarkerKind::ErrorOutput))
                    .map(|m| m.count)
                    .sum();
                let written = trace
                    .events
                    .iter()
                    .filter(|e| matches!(e.kind, EventKind::Output { .. }))
                    .count();
                assert_eq!(output, written, "{id}");
                assert!(g.ticks.windows(2).all(|w| w[0].x < w[1].x), "{id}");
                assert!(g.height > 0.0, "{id}");
            }
        }
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

    #[test]
    fn long_names_are_shortened() {
        assert_eq!(shorten("MainThread", 18), "MainThread");
        assert_eq!(shorten("Thread-12 (long_running_task)", 18), "Thread-12 (long_r…");
        assert_eq!(shorten("Thread-12 (long_running_task)", 18).chars().count(), 18);
        let narrow = Layout::for_width(360.0);
        let wide = Layout::for_width(1920.0);
        assert!(narrow.label_width < wide.label_width);
        assert!(narrow.label_chars(1) < wide.label_chars(1));
    }

    #[test]
    fn times_read_naturally() {
        assert_eq!(format_time(0), "0 s");
        assert_eq!(format_time(1_500_000_000), "1.5 s");
        assert_eq!(format_time(250_000_000), "250 ms");
        assert_eq!(format_time(12_000), "12 µs");
        assert_eq!(format_time(40), "40 ns");
    }

    #[test]
    fn the_legend_lists_everything_drawn() {
        let items = legend_items();
        for class in StateClass::ALL {
            assert!(items.contains(&LegendItem::State(class)));
        }
        for wait in WaitKind::ALL {
            assert!(items.contains(&LegendItem::Wait(wait)));
            assert!(SVG_STYLE.contains(&format!(
                ".bar.{} {{ fill: url(#{});",
                wait.css_class(),
                wait.pattern_id()
            )));
        }
        for kind in MarkerKind::ALL {
            assert!(items.contains(&LegendItem::Marker(kind)));
            assert!(SVG_STYLE.contains(&format!(".marker-{} path", kind.name())), "{kind:?}");
        }
        for class in ProcClass::ALL {
            assert!(items.contains(&LegendItem::Process(class)));
            assert!(SVG_STYLE.contains(&format!(".{} {{", class.css_class())));
        }
    }

    #[test]
    fn the_svg_style_falls_back_to_the_light_theme_colours() {
        // Every `var(--name, value)` of the drawing's style sheet falls back to
        // the light value the page's style sheet gives `--name`.
        let page = include_str!("../static/style.css");
        let light = &page[..page.find("@media").expect("a dark-theme block")];
        let mut checked = 0;
        for part in SVG_STYLE.split("var(--").skip(1) {
            let (name, rest) = part.split_once(',').expect("a fallback");
            let fallback = rest.trim_start().split(')').next().unwrap().trim();
            let declared = light
                .lines()
                .find_map(|l| l.trim().strip_prefix(&format!("--{name}:")))
                .unwrap_or_else(|| panic!("--{name} is a variable of static/style.css"));
            assert_eq!(declared.trim().trim_end_matches(';'), fallback, "--{name}");
            checked += 1;
        }
        assert!(checked > 20);
    }

    #[test]
    fn output_lines_of_unknown_threads_are_skipped() {
        let mut t = two_threads();
        t.output.push(OutputLine {
            t_ns: 10,
            stream: Stream::Stdout,
            pid: 100,
            thread: ThreadId(9),
            text: "x".into(),
        });
        t.events.insert(
            1,
            Event {
                t_ns: 10,
                kind: EventKind::Output { index: 0 },
            },
        );
        let g = layout(&t, &Layout::default());
        assert!(g.markers.iter().all(|m| m.kind != MarkerKind::Output));
    }
}
