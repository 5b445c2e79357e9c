//! Timeline geometry, pure: from a [`Trace`] to lanes, bars and axis ticks in
//! SVG user units. The component (`components/timeline_view.rs`) only draws
//! what [`layout`] returns.
//!
//! - [`state_spans`]: each thread's states as time intervals; a state holds
//!   until that thread's next `State` event, or until [`end_of_run`].
//! - [`layout`]: one lane per thread (in `trace.threads` order), one bar per span.
//! - [`ticks`]: a 1-2-5 time axis.

use threadline_engine::{EventKind, Nanos, ThreadId, ThreadState, Trace};

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

    /// The CSS class (`static/style.css` colours it).
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
    per_thread.into_iter().flatten().collect()
}

/// Sizes of the drawing, in SVG user units.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Width of the whole drawing.
    pub width: f64,
    /// Left column with the thread names.
    pub label_width: f64,
    /// Space above the first lane for the time axis.
    pub axis_height: f64,
    pub lane_height: f64,
    pub lane_gap: f64,
    /// Space right of the last tick, so that its label fits.
    pub right_padding: f64,
    /// Narrowest bar drawn, so that a short burst among long waits shows.
    pub min_bar_width: f64,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            width: 800.0,
            label_width: 160.0,
            axis_height: 24.0,
            lane_height: 22.0,
            lane_gap: 8.0,
            right_padding: 24.0,
            min_bar_width: 2.0,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    pub thread: ThreadId,
    pub label: String,
    /// Top of the lane.
    pub y: f64,
    pub height: f64,
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
    /// Tooltip: the state and its interval.
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
    /// x of time 0 and of [`Geometry::end_ns`].
    pub plot_left: f64,
    pub plot_right: f64,
    pub end_ns: Nanos,
    pub lanes: Vec<Lane>,
    pub bars: Vec<Bar>,
    pub ticks: Vec<Tick>,
}

impl Geometry {
    /// The x of a point in time (clamped to the plot).
    pub fn x_of(&self, t_ns: Nanos) -> f64 {
        x_of(t_ns, self.end_ns, self.plot_left, self.plot_right)
    }
}

fn x_of(t_ns: Nanos, end_ns: Nanos, left: f64, right: f64) -> f64 {
    let span = end_ns.max(1) as f64;
    left + (t_ns.min(end_ns.max(1)) as f64 / span) * (right - left)
}

/// Lanes, bars and ticks for `trace`.
pub fn layout(trace: &Trace, sizes: &Layout) -> Geometry {
    let end_ns = end_of_run(trace);
    let plot_left = sizes.label_width;
    let plot_right = (sizes.width - sizes.right_padding).max(plot_left + 1.0);
    let several_processes = trace.processes.len() > 1;

    let lanes: Vec<Lane> = trace
        .threads
        .iter()
        .enumerate()
        .map(|(i, info)| {
            let name = if several_processes {
                format!("{} · {}", info.pid, info.name)
            } else {
                info.name.clone()
            };
            Lane {
                thread: info.id,
                label: shorten(&name, 22),
                y: sizes.axis_height + i as f64 * (sizes.lane_height + sizes.lane_gap),
                height: sizes.lane_height,
            }
        })
        .collect();

    let spans = state_spans(trace);
    let mut bars = Vec::with_capacity(spans.len());
    for (k, span) in spans.iter().enumerate() {
        let Some(lane_index) = lanes.iter().position(|l| l.thread == span.thread) else {
            continue;
        };
        let lane = &lanes[lane_index];
        let last_of_thread = spans.get(k + 1).is_none_or(|next| next.thread != span.thread);
        let x = x_of(span.start_ns, end_ns, plot_left, plot_right);
        let width = x_of(span.end_ns, end_ns, plot_left, plot_right) - x;
        // A state that lasts no time is not drawn, unless it is the thread's
        // last; anything that lasts is drawn at least `min_bar_width` wide.
        if span.end_ns == span.start_ns && !last_of_thread {
            continue;
        }
        let width = width.max(sizes.min_bar_width);
        let class = StateClass::of(&span.state);
        // Dead states are drawn as a thin line through the middle of the lane.
        let height = if class.is_alive() {
            lane.height
        } else {
            lane.height / 4.0
        };
        bars.push(Bar {
            lane: lane_index,
            x,
            y: lane.y + (lane.height - height) / 2.0,
            width,
            height,
            class,
            title: format!(
                "{}: {} from {} to {}",
                trace.threads[lane_index].name,
                describe(&span.state, trace),
                format_time(span.start_ns),
                format_time(span.end_ns)
            ),
        });
    }

    let ticks = ticks(end_ns, 8)
        .into_iter()
        .map(|(t_ns, label)| Tick {
            x: x_of(t_ns, end_ns, plot_left, plot_right),
            t_ns,
            label,
        })
        .collect();

    let lanes_height = if lanes.is_empty() {
        sizes.lane_height
    } else {
        lanes.len() as f64 * (sizes.lane_height + sizes.lane_gap) - sizes.lane_gap
    };
    Geometry {
        width: sizes.width,
        height: sizes.axis_height + lanes_height + sizes.lane_gap,
        plot_left,
        plot_right,
        end_ns,
        lanes,
        bars,
        ticks,
    }
}

/// A state in words, with its reason ("blocked on join of Thread-1, line 12").
pub fn describe(state: &ThreadState, trace: &Trace) -> String {
    match state {
        ThreadState::Running { line } => format!("running line {line}"),
        ThreadState::Sleeping { line, .. } => format!("sleeping at line {line}"),
        ThreadState::Blocked { on, line, .. } => {
            format!("blocked on {} at line {line}", on.describe(&trace.threads))
        }
        ThreadState::Failed { exception } => format!("failed with {exception}"),
        other => StateClass::of(other).label().to_string(),
    }
}

/// Axis ticks from 0 to `end_ns`, at most `max_ticks` + 1 of them, at a
/// 1, 2 or 5 × 10^k ns step: `(time, label)`, all labels in the unit that
/// suits `end_ns`.
pub fn ticks(end_ns: Nanos, max_ticks: u64) -> Vec<(Nanos, String)> {
    if end_ns == 0 {
        return vec![(0, format_time(0))];
    }
    let step = tick_step(end_ns, max_ticks.max(1));
    (0..=end_ns / step)
        .map(|i| i * step)
        .map(|t| (t, format_time_at(t, end_ns)))
        .collect()
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
    format_time_at(t_ns, t_ns)
}

/// `t_ns` in the unit that suits `scale_ns` (a tick step or the time itself).
fn format_time_at(t_ns: Nanos, scale_ns: Nanos) -> String {
    if t_ns == 0 {
        return "0 s".to_string();
    }
    let (divisor, unit) = match scale_ns {
        s if s >= 1_000_000_000 => (1e9, "s"),
        s if s >= 1_000_000 => (1e6, "ms"),
        s if s >= 1_000 => (1e3, "µs"),
        _ => (1.0, "ns"),
    };
    let value = t_ns as f64 / divisor;
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

#[cfg(test)]
mod tests {
    use super::*;
    use threadline_engine::{BlockedOn, Event, RunOptions, StopReason, ThreadInfo};

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
    fn one_lane_per_thread_in_trace_order() {
        let g = layout(&two_threads(), &Layout::default());
        let labels: Vec<&str> = g.lanes.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, vec!["MainThread", "Thread-1 (worker)"]);
        assert!(g.lanes[1].y > g.lanes[0].y + g.lanes[0].height);
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
            "MainThread: blocked on join of Thread-1 (worker) at line 5 from 400 ns to 1 µs"
        );
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
        assert_eq!(g.ticks.len(), 1);
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
        assert_eq!(labels.last().unwrap(), "1 s");
        assert_eq!(labels[1], "0.2 s");
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
    fn every_bundled_scenario_lays_out_inside_the_plot() {
        let sizes = Layout::default();
        for scenario in threadline_engine::scenarios::all() {
            let trace = threadline_engine::run(&scenario.script, &scenario.run_options());
            let g = layout(&trace, &sizes);
            let id = &scenario.meta.id;
            assert_eq!(g.lanes.len(), trace.threads.len(), "{id}");
            for bar in &g.bars {
                let lane = &g.lanes[bar.lane];
                assert!(bar.x >= g.plot_left && bar.width > 0.0, "{id}: {bar:?}");
                assert!(bar.x + bar.width <= g.plot_right + sizes.min_bar_width, "{id}: {bar:?}");
                assert!(bar.y >= lane.y && bar.y + bar.height <= lane.y + lane.height, "{id}");
            }
            assert!(g.ticks.windows(2).all(|w| w[0].x < w[1].x), "{id}");
            assert!(g.height > 0.0, "{id}");
        }
    }

    #[test]
    fn long_names_are_shortened() {
        assert_eq!(shorten("MainThread", 18), "MainThread");
        assert_eq!(shorten("Thread-12 (long_running_task)", 18), "Thread-12 (long_r…");
        assert_eq!(shorten("Thread-12 (long_running_task)", 18).chars().count(), 18);
    }
}
