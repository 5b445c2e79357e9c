//! The visible time window: zoom and pan, kept inside the run, and how the
//! wheel, the keys, a pinch and the toolbar move it.

use threadline_engine::{Nanos, Trace};

use super::{format_time, Geometry};

/// One step of the zoom buttons and keys.
pub const ZOOM_STEP: f64 = 0.5;

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

    /// What zoom buttons and keys zoom around: the cursor when it is in
    /// view, else the middle.
    pub fn anchor(self, cursor_ns: Nanos) -> Nanos {
        if cursor_ns >= self.start_ns && cursor_ns <= self.end_ns {
            cursor_ns
        } else {
            self.start_ns + self.span_ns() / 2
        }
    }

    /// Moved by `fraction` of its width (negative: earlier), kept inside the run.
    pub fn pan_by(self, fraction: f64, run_end_ns: Nanos) -> View {
        self.pan((self.span_ns() as f64 * fraction) as i64, run_end_ns)
    }

    /// The view after a key on the timeline (`+`, `-`, `0`, `<`, `>`), if
    /// the key is one of the timeline's.
    pub fn after_key(self, key: &str, anchor_ns: Nanos, run_end_ns: Nanos) -> Option<View> {
        let quarter = (self.span_ns() / 4) as i64;
        Some(match key {
            "+" | "=" => self.zoom(anchor_ns, ZOOM_STEP, run_end_ns),
            "-" | "_" => self.zoom(anchor_ns, 1.0 / ZOOM_STEP, run_end_ns),
            "0" => View::full(run_end_ns),
            "<" | "," => self.pan(-quarter, run_end_ns),
            ">" | "." => self.pan(quarter, run_end_ns),
            _ => return None,
        })
    }

    /// Which toolbar buttons do something, and the window in words.
    pub fn toolbar(self, run_end_ns: Nanos) -> Toolbar {
        let full = self.is_full(run_end_ns);
        Toolbar {
            zoom_in: self.span_ns() > View::MIN_SPAN_NS,
            zoom_out: !full,
            fit: !full,
            earlier: self.start_ns != 0,
            later: self.end_ns < View::full(run_end_ns).end_ns,
            window: format!("{} – {}", format_time(self.start_ns), format_time(self.end_ns)),
        }
    }
}

/// The timeline's toolbar: which buttons are enabled, and the window shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toolbar {
    pub zoom_in: bool,
    pub zoom_out: bool,
    pub fit: bool,
    /// Panning earlier or later moves the view.
    pub earlier: bool,
    pub later: bool,
    /// "1.2 s – 1.4 s".
    pub window: String,
}

/// A turn of the mouse wheel (or a trackpad swipe) over the drawing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Wheel {
    pub delta_x: f64,
    pub delta_y: f64,
    /// `WheelEvent.deltaMode`: 0 pixels, 1 lines, 2 pages.
    pub delta_mode: u32,
    pub shift: bool,
}

impl Wheel {
    /// The view of `g` after this turn at `x`: it zooms around the pointer,
    /// or pans with shift or a sideways swipe. None left of the plot (the
    /// page scrolls as usual there).
    pub fn moved(self, g: &Geometry, x: f64, run_end_ns: Nanos) -> Option<View> {
        if x < g.plot_left {
            return None;
        }
        let unit = match self.delta_mode {
            1 => 16.0,
            2 => 400.0,
            _ => 1.0,
        };
        let (dx, dy) = (self.delta_x * unit, self.delta_y * unit);
        let ns_per_px = g.view.span_ns() as f64 / (g.plot_right - g.plot_left).max(1.0);
        Some(if self.shift || dx.abs() > dy.abs() {
            let px = if dx.abs() > dy.abs() { dx } else { dy };
            g.view.pan((px * ns_per_px) as i64, run_end_ns)
        } else {
            g.view.zoom(g.t_at(x), (dy * 0.002).exp(), run_end_ns)
        })
    }
}

/// Two fingers on the plot: their distance and the view when they came
/// down, and the time between them, which stays under them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pinch {
    distance: f64,
    view: View,
    anchor_ns: Nanos,
}

impl Pinch {
    /// Fingers down at `a` and `b` over `g`.
    pub fn start(g: &Geometry, a: f64, b: f64) -> Pinch {
        Pinch {
            distance: (a - b).abs().max(1.0),
            view: g.view,
            anchor_ns: g.t_at((a + b) / 2.0),
        }
    }

    /// The view with the fingers now at `a` and `b`: wider apart zooms in.
    pub fn view_at(self, a: f64, b: f64, run_end_ns: Nanos) -> View {
        let now = (a - b).abs().max(1.0);
        self.view.zoom(self.anchor_ns, self.distance / now, run_end_ns)
    }
}

/// How many of `after`'s events from the first different one the window of
/// [`departure`] shows: enough to see the interleaving that changed.
const DEPARTURE_EVENTS: usize = 24;

/// Where `after` (the same script replayed under another schedule) departs
/// from `before`: a window around their first different event and the
/// [`DEPARTURE_EVENTS`] of `after` that follow it, inside `after`'s run
/// (`end_ns`). None when they do not differ, or the window would be the
/// whole run.
pub fn departure(before: &Trace, after: &Trace, end_ns: Nanos) -> Option<View> {
    let first = before
        .events
        .iter()
        .zip(&after.events)
        .position(|(a, b)| a != b)
        .or_else(|| (before.events.len() != after.events.len()).then(|| before.events.len().min(after.events.len())))?;
    let t_ns = match (before.events.get(first), after.events.get(first)) {
        (Some(a), Some(b)) => a.t_ns.min(b.t_ns),
        (Some(e), None) | (None, Some(e)) => e.t_ns,
        (None, None) => return None,
    }
    .min(end_ns);
    let last = after
        .events
        .iter()
        .skip(first)
        .take(DEPARTURE_EVENTS)
        .map(|e| e.t_ns)
        .max()
        .unwrap_or(t_ns)
        .clamp(t_ns, end_ns);
    let margin = ((last - t_ns) / 10).max(View::MIN_SPAN_NS);
    let view = View {
        start_ns: t_ns.saturating_sub(margin),
        end_ns: last.saturating_add(margin).min(end_ns),
    };
    (!view.is_full(end_ns) && view.span_ns() >= View::MIN_SPAN_NS).then_some(view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replayed_run_opens_where_it_departs_from_the_one_before() {
        let script = "import threading, time\n\ndef work():\n    time.sleep(0.5)\n    print('w')\n\nt = threading.Thread(target=work)\nt.start()\nt.join()\nprint('done')\n";
        let before = threadline_engine::run(script, &threadline_engine::RunOptions::default());
        let end = before.events.last().unwrap().t_ns;
        assert_eq!(
            departure(&before, &before.clone(), end),
            None,
            "the same run: no window"
        );
        // A run that parts from it at one event's time.
        let k = before.events.len() / 2;
        let mut after = before.clone();
        after.events.truncate(k);
        let t = before.events[k].t_ns;
        let view = departure(&before, &after, end).expect("a window");
        assert!(
            view.start_ns <= t && view.end_ns >= t && view.end_ns <= end,
            "{view:?} for {t}"
        );
        assert!(!view.is_full(end));
        // Parting at the very start and lasting to the end: the whole run.
        let mut early = before.clone();
        early.events.clear();
        early.events.extend(before.events.iter().rev().take(1).cloned());
        assert_eq!(departure(&before, &early, end), None);
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
    fn keys_zoom_around_the_anchor_pan_by_a_quarter_and_fit() {
        let end = 1_000_000;
        let full = View::full(end);
        assert_eq!(full.anchor(250_000), 250_000, "the cursor when in view");
        let zoomed = full.zoom(500_000, 0.1, end);
        assert_eq!(
            zoomed.anchor(10),
            zoomed.start_ns + zoomed.span_ns() / 2,
            "else the middle"
        );
        assert_eq!(
            full.after_key("+", 250_000, end),
            Some(full.zoom(250_000, ZOOM_STEP, end))
        );
        assert_eq!(
            zoomed.after_key("-", 500_000, end),
            Some(zoomed.zoom(500_000, 2.0, end))
        );
        assert_eq!(zoomed.after_key("0", 0, end), Some(full));
        let quarter = (zoomed.span_ns() / 4) as i64;
        assert_eq!(zoomed.after_key(">", 0, end), Some(zoomed.pan(quarter, end)));
        assert_eq!(zoomed.after_key(",", 0, end), Some(zoomed.pan(-quarter, end)));
        assert_eq!(zoomed.after_key("x", 0, end), None);
        assert_eq!(zoomed.pan_by(0.25, end), zoomed.pan(quarter, end));
    }

    #[test]
    fn the_toolbar_enables_what_moves_the_view() {
        let end = 2_000_000_000;
        let full = View::full(end).toolbar(end);
        assert!(full.zoom_in && !full.zoom_out && !full.fit && !full.earlier && !full.later);
        assert_eq!(full.window, "0 s – 2 s");
        let left = View {
            start_ns: 0,
            end_ns: 500_000_000,
        };
        let bar = left.toolbar(end);
        assert!(bar.zoom_out && bar.fit && !bar.earlier && bar.later);
        let narrow = View {
            start_ns: 1_000,
            end_ns: 1_000 + View::MIN_SPAN_NS,
        };
        assert!(!narrow.toolbar(end).zoom_in, "as narrow as it gets");
        assert!(narrow.toolbar(end).earlier);
    }

    #[test]
    fn the_wheel_zooms_at_the_pointer_and_pans_sideways_or_with_shift() {
        let t = crate::timeline::testkit::two_threads();
        let g = crate::timeline::layout(&t, &crate::timeline::Layout::default());
        let end = g.end_ns;
        let middle = (g.plot_left + g.plot_right) / 2.0;
        let wheel = |dx: f64, dy: f64, mode: u32, shift: bool| Wheel {
            delta_x: dx,
            delta_y: dy,
            delta_mode: mode,
            shift,
        };
        assert_eq!(wheel(0.0, -100.0, 0, false).moved(&g, g.plot_left - 1.0, end), None);
        let zoomed = wheel(0.0, -100.0, 0, false).moved(&g, middle, end).unwrap();
        assert_eq!(zoomed, g.view.zoom(g.t_at(middle), (-0.2f64).exp(), end));
        assert!(zoomed.span_ns() < g.view.span_ns());
        let lines = wheel(0.0, -5.0, 1, false).moved(&g, middle, end).unwrap();
        assert_eq!(lines, g.view.zoom(g.t_at(middle), (-80.0 * 0.002f64).exp(), end));
        // Zoomed in, a sideways swipe or shift+wheel pans.
        let gz = crate::timeline::layout_view(&t, &crate::timeline::Layout::default(), zoomed);
        let ns_per_px = zoomed.span_ns() as f64 / (gz.plot_right - gz.plot_left);
        let swiped = wheel(30.0, 2.0, 0, false).moved(&gz, middle, end).unwrap();
        assert_eq!(swiped, zoomed.pan((30.0 * ns_per_px) as i64, end));
        let shifted = wheel(0.0, -30.0, 0, true).moved(&gz, middle, end).unwrap();
        assert_eq!(shifted, zoomed.pan((-30.0 * ns_per_px) as i64, end));
    }

    #[test]
    fn a_pinch_keeps_the_time_between_the_fingers_and_zooms_with_their_distance() {
        let t = crate::timeline::testkit::two_threads();
        let g = crate::timeline::layout(&t, &crate::timeline::Layout::default());
        let (a, b) = (g.plot_left + 100.0, g.plot_left + 200.0);
        let pinch = Pinch::start(&g, a, b);
        assert_eq!(
            pinch.view_at(a, b, g.end_ns),
            g.view.zoom(g.t_at(150.0 + g.plot_left), 1.0, g.end_ns)
        );
        let wider = pinch.view_at(a - 50.0, b + 50.0, g.end_ns);
        assert_eq!(wider, g.view.zoom(g.t_at(g.plot_left + 150.0), 0.5, g.end_ns));
        assert!(wider.span_ns() < g.view.span_ns(), "fingers apart zoom in");
        assert_eq!(
            pinch.view_at(a, a, g.end_ns),
            g.view.zoom(g.t_at(g.plot_left + 150.0), 100.0, g.end_ns)
        );
    }
}
