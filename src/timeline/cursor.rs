//! The time cursor's marks: a line down the rows with a handle above them
//! when the cursor is in view, else an arrowhead at the plot's edge on its side.

use threadline_engine::Nanos;

use super::{format_time, Geometry};

/// How the time cursor is drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum CursorMark {
    /// In view: a line at `x` from `y1` down to `y2`, and the handle's outline.
    At { x: f64, y1: f64, y2: f64, handle: String },
    /// Out of view: an arrowhead's outline at the edge it is past, and words.
    Away { path: String, title: String },
}

/// An SVG number: two decimals.
fn num(v: f64) -> String {
    format!("{v:.2}")
}

/// A closed path through three points.
fn triangle(points: [(f64, f64); 3]) -> String {
    let [(x1, y1), (x2, y2), (x3, y3)] = points;
    format!(
        "M{},{} L{},{} L{},{} Z",
        num(x1),
        num(y1),
        num(x2),
        num(y2),
        num(x3),
        num(y3)
    )
}

impl Geometry {
    /// How the cursor at `cursor_ns` is drawn.
    pub fn cursor_mark(&self, cursor_ns: Nanos) -> CursorMark {
        let top = self.rows_top;
        if let Some(x) = self.cursor_x(cursor_ns) {
            return CursorMark::At {
                x,
                y1: top - 4.0,
                y2: self.height,
                handle: triangle([(x - 5.0, top - 10.0), (x + 5.0, top - 10.0), (x, top - 3.0)]),
            };
        }
        let (edge, inward) = if cursor_ns < self.view.start_ns {
            (self.plot_left, 8.0)
        } else {
            (self.plot_right, -8.0)
        };
        CursorMark::Away {
            path: triangle([
                (edge, top - 7.0),
                (edge + inward, top - 12.0),
                (edge + inward, top - 2.0),
            ]),
            title: format!("The time cursor is at {}, outside this window", format_time(cursor_ns)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::testkit::two_threads;
    use crate::timeline::{layout, layout_view, Layout, View};

    #[test]
    fn the_cursor_is_a_line_in_view_and_an_arrowhead_at_the_edge_outside() {
        let g = layout(&two_threads(), &Layout::default());
        let CursorMark::At { x, y1, y2, handle } = g.cursor_mark(600) else {
            panic!("in view");
        };
        assert_eq!(Some(x), g.cursor_x(600));
        assert_eq!((y1, y2), (g.rows_top - 4.0, g.height));
        assert_eq!(
            handle,
            format!(
                "M{:.2},{:.2} L{:.2},{:.2} L{:.2},{:.2} Z",
                x - 5.0,
                g.rows_top - 10.0,
                x + 5.0,
                g.rows_top - 10.0,
                x,
                g.rows_top - 3.0
            )
        );
        let zoomed = layout_view(
            &two_threads(),
            &Layout::default(),
            View {
                start_ns: 300,
                end_ns: 500,
            },
        );
        let CursorMark::Away { path, title } = zoomed.cursor_mark(100) else {
            panic!("before the view");
        };
        let left = format!("{:.2}", zoomed.plot_left);
        assert!(path.starts_with(&format!("M{left},")), "{path}");
        assert_eq!(title, "The time cursor is at 100 ns, outside this window");
        let CursorMark::Away { path, .. } = zoomed.cursor_mark(900) else {
            panic!("after the view");
        };
        assert!(path.starts_with(&format!("M{:.2},", zoomed.plot_right)), "{path}");
        assert!(
            path.contains(&format!("L{:.2},", zoomed.plot_right - 8.0)),
            "pointing out: {path}"
        );
    }
}
