//! The bars of each lane: one per state interval, and intervals narrower
//! than a pixel merged into "busy" bars coloured by the state that took
//! most of their time, so the drawing stays small for any trace.

use threadline_engine::{Nanos, Trace};

use super::spans::spans_by_thread;
use super::{describe, format_time, BarStyle, Lane, Layout, Scale, Span, StateClass, View, WaitKind};

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

    /// `"tl-item bar state-blocked wait-join"`, and `busy` for a merged bar.
    pub fn css_classes(&self) -> String {
        let mut classes = format!("tl-item {}", self.style().css_classes());
        if self.merged > 1 {
            classes.push_str(" busy");
        }
        classes
    }
}

/// Every lane's bars inside the view, lane by lane.
pub(crate) fn bars(trace: &Trace, lanes: &[Lane], sizes: &Layout, scale: &Scale) -> Vec<Bar> {
    let spans = spans_by_thread(trace);
    let mut bars = Vec::new();
    for (index, lane) in lanes.iter().enumerate() {
        let Some(thread_spans) = spans.get(lane.thread.0 as usize) else {
            continue;
        };
        let name = trace
            .threads
            .get(lane.thread.0 as usize)
            .map_or("", |t| t.name.as_str());
        let mut drawing = LaneBars {
            trace,
            name,
            index,
            lane,
            sizes,
            bars: &mut bars,
            pending: None,
            held: None,
        };
        drawing.draw(thread_spans, scale);
    }
    bars
}

/// A merged run of spans, each narrower than a pixel.
struct Pending {
    x0: f64,
    x1: f64,
    start_ns: Nanos,
    end_ns: Nanos,
    /// Time spent in each style.
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

    /// Adds `time` spent in `style`.
    fn add(&mut self, style: BarStyle, time: Nanos) {
        match self.time.iter_mut().find(|(s, _)| *s == style) {
            Some(entry) => entry.1 += time,
            None => self.time.push((style, time)),
        }
    }

    /// A busy bar's words: how many states, when, and the longest ones' shares.
    fn title(&self, name: &str) -> String {
        let total: Nanos = self.time.iter().map(|(_, t)| t).sum::<Nanos>().max(1);
        let mut parts: Vec<(BarStyle, Nanos)> = self.time.clone();
        parts.sort_by_key(|p| std::cmp::Reverse(p.1));
        let shares: Vec<String> = parts
            .iter()
            .take(3)
            .map(|(s, t)| format!("{} {}%", style_label(*s), (t * 100 + total / 2) / total))
            .collect();
        format!(
            "{name}: {} short states from {} to {} ({}); zoom in to see them apart",
            self.count,
            format_time(self.start_ns),
            format_time(self.end_ns),
            shares.join(", ")
        )
    }
}

/// One lane's bars as they are drawn: spans at least a pixel wide as they
/// are, narrower ones gathered (`pending`) until they fill a pixel, then
/// held back (`held`) in case the next pixel's chunk looks the same.
struct LaneBars<'a> {
    trace: &'a Trace,
    /// The thread's name.
    name: &'a str,
    /// The lane's index, and the lane.
    index: usize,
    lane: &'a Lane,
    sizes: &'a Layout,
    bars: &'a mut Vec<Bar>,
    pending: Option<Pending>,
    held: Option<Pending>,
}

impl LaneBars<'_> {
    fn draw(&mut self, spans: &[Span], scale: &Scale) {
        let view = scale.view;
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
            let x0 = scale.x(span.start_ns).max(scale.left);
            let x1 = scale.x(span.end_ns).min(scale.right);
            if x1 - x0 >= 1.0 {
                self.complete();
                self.emit_held();
                let title = span_title(self.trace, self.name, span);
                self.push(x0, x1, BarStyle::of(&span.state), 1, title);
            } else {
                self.gather(span, x0, x1, view);
            }
        }
        self.complete();
        self.emit_held();
    }

    /// Adds a span narrower than a pixel to the pending chunk.
    fn gather(&mut self, span: &Span, x0: f64, x1: f64, view: View) {
        let p = self.pending.get_or_insert_with(|| Pending {
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
        p.add(BarStyle::of(&span.state), visible);
        if p.x1 - p.x0 >= 1.0 {
            self.complete();
        }
    }

    /// A chunk of short states at least a pixel wide joins the held one
    /// when both look the same; otherwise the held one is drawn.
    fn complete(&mut self) {
        let Some(p) = self.pending.take() else {
            return;
        };
        if let Some(h) = self.held.as_mut() {
            if h.count > 1 && p.count > 1 && h.dominant() == p.dominant() && (p.x0 - h.x1).abs() < 0.5 {
                h.x1 = p.x1;
                h.end_ns = p.end_ns;
                h.count += p.count;
                for (style, time) in p.time {
                    h.add(style, time);
                }
                return;
            }
        }
        let previous = self.held.replace(p);
        self.emit(previous);
    }

    fn emit_held(&mut self) {
        let held = self.held.take();
        self.emit(held);
    }

    /// Draws a chunk: as the one state it holds, or as a busy bar.
    fn emit(&mut self, chunk: Option<Pending>) {
        let Some(p) = chunk else {
            return;
        };
        let title = match (&p.first, p.count) {
            (Some(span), 1) => span_title(self.trace, self.name, span),
            _ => p.title(self.name),
        };
        self.push(p.x0, p.x1, p.dominant(), p.count, title);
    }

    fn push(&mut self, x0: f64, x1: f64, style: BarStyle, merged: usize, title: String) {
        let lane = self.lane;
        let height = if style.class.is_alive() {
            lane.height
        } else {
            lane.height / 4.0
        };
        self.bars.push(Bar {
            lane: self.index,
            x: x0,
            y: lane.y + (lane.height - height) / 2.0,
            width: (x1 - x0).max(self.sizes.min_bar_width),
            height,
            class: style.class,
            wait: style.wait,
            merged,
            title,
        });
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::layout;
    use crate::timeline::testkit::{state, thread, trace, two_threads};
    use threadline_engine::ThreadState;

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
        assert_eq!(blocked.css_classes(), "tl-item bar state-blocked wait-join");
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
        assert_eq!(busy.css_classes(), "tl-item bar state-running busy");
        assert!(
            busy.title.contains("600 short states") && busy.title.contains("running 70%"),
            "{}",
            busy.title
        );
        assert_eq!(g.bars[1].class, StateClass::Sleeping);
    }
}
