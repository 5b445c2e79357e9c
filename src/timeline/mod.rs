//! Timeline geometry, pure: from a [`Trace`] and a visible time window to
//! rows, bars, markers and axis ticks in SVG user units. The component
//! (`components/timeline_view.rs`) only draws what [`layout`] returns.
//!
//! - `spans`: each thread's states as time intervals ([`state_spans`]); a
//!   state holds until that thread's next `State` event, or until [`end_of_run`].
//! - `rows`: processes as a tree ([`process_order`]: children under their
//!   parent, an orphan under the parent that started it, depth first), a
//!   header row per process with its lifetime (running, zombie, dead), a
//!   lane per thread under it.
//! - `bars`: one bar per visible span; spans narrower than a pixel are
//!   merged into "busy" bars, so the drawing stays small for any trace.
//! - `markers` and `arrows`: what happened at one moment, capped per few
//!   pixels, with an arrow from the row it came from.
//! - `view` ([`View`]: the visible window, zoom and pan, and how the wheel,
//!   keys, pinches and toolbar move it), `axis` ([`ticks_in`]: a 1-2-5
//!   axis), `cursor` (the time cursor's marks).
//! - `kinds` (state classes, wait patterns, process lifetimes), `legend`,
//!   `words` (times and states in words), `sizes` ([`Layout`]).
//! - `style` ([`SVG_STYLE`]): the drawing's own style sheet, so that the SVG
//!   exported alone looks as in the page.

mod arrows;
mod axis;
mod bars;
mod cursor;
mod kinds;
mod legend;
mod markers;
mod rows;
mod sizes;
mod spans;
mod style;
#[cfg(test)]
mod testkit;
mod view;
mod words;

use threadline_engine::{Nanos, Pid, ThreadId, Trace};

pub use arrows::Arrow;
pub use axis::{tick_step, ticks, ticks_in, Tick};
pub use bars::Bar;
pub use cursor::CursorMark;
pub use kinds::{BarStyle, ProcClass, StateClass, WaitKind};
pub use legend::{legend_groups, legend_items, LegendItem};
pub use markers::{Marker, MarkerKind};
pub use rows::{process_label, process_order, process_segments, Lane, ProcSegment, ProcessRow};
pub use sizes::Layout;
pub use spans::{end_of_run, state_spans, Span};
pub use style::SVG_STYLE;
pub use view::{departure, Pinch, Toolbar, View, Wheel, ZOOM_STEP};
pub use words::{at_line, describe, format_time, shorten, signal_name};

use axis::plot_ticks;
use bars::bars;
use markers::markers;
use rows::{rows, Rows};

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

    /// The baseline of the axis labels, above the rows.
    pub fn axis_y(&self) -> f64 {
        self.rows_top - 10.0
    }

    /// The header row of a process.
    pub fn process_row(&self, pid: Pid) -> Option<&ProcessRow> {
        self.processes.iter().find(|p| p.pid == pid)
    }
}

/// Where times go across the plot: the window `view` from `left` to `right`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Scale {
    pub view: View,
    pub left: f64,
    pub right: f64,
}

impl Scale {
    /// The plot of a drawing of `sizes`, showing `view`.
    fn of(sizes: &Layout, view: View) -> Scale {
        let left = sizes.label_width;
        Scale {
            view,
            left,
            right: (sizes.width - sizes.right_padding).max(left + 1.0),
        }
    }

    /// The x of a point in time (outside the plot when outside the view).
    pub fn x(&self, t_ns: Nanos) -> f64 {
        x_in(t_ns, self.view, self.left, self.right)
    }

    /// Whether `t_ns` is inside the view.
    pub fn shows(&self, t_ns: Nanos) -> bool {
        t_ns >= self.view.start_ns && t_ns <= self.view.end_ns
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
    let scale = Scale::of(sizes, view);
    let Rows {
        processes,
        lanes,
        bottom: rows_bottom,
    } = rows(trace, sizes, &scale, end_ns);
    let bars = bars(trace, &lanes, sizes, &scale);
    let markers = markers(trace, &lanes, &processes, sizes, &scale);
    let ticks = plot_ticks(&scale);
    Geometry {
        width: sizes.width,
        height: rows_bottom + sizes.lane_gap,
        plot_left: scale.left,
        plot_right: scale.right,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::testkit::{busy_trace, two_threads};
    use spans::spans_by_thread;
    use threadline_engine::EventKind;

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
}
