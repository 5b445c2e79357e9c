//! Arrows between rows: from a starter to the thread it started, from a
//! joined thread to its waiter, from a parent process to its child, from a
//! signal's sender to its target.

/// An arrow from one row to another at one moment (or between two moments).
#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
}

impl Arrow {
    /// A vertical arrow at `x` from the row at `from_y` to the row at `to_y`.
    pub fn between(x: f64, from_y: f64, to_y: f64) -> Arrow {
        Arrow {
            x1: x,
            y1: from_y,
            x2: x,
            y2: to_y,
        }
    }

    /// The arrow as drawn: stopping short of the marker it points to, so
    /// that the arrowhead shows; none between rows too close for one.
    pub fn drawn(&self) -> Option<Arrow> {
        if (self.y2 - self.y1).abs() <= 8.0 {
            return None;
        }
        let y2 = if self.y2 > self.y1 {
            self.y2 - 7.0
        } else {
            self.y2 + 7.0
        };
        Some(Arrow { y2, ..self.clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_arrow_stops_short_of_its_marker_and_is_left_out_between_close_rows() {
        let down = Arrow::between(10.0, 5.0, 45.0);
        assert_eq!(down.drawn(), Some(Arrow::between(10.0, 5.0, 38.0)));
        let up = Arrow::between(10.0, 45.0, 5.0);
        assert_eq!(up.drawn(), Some(Arrow::between(10.0, 45.0, 12.0)));
        assert_eq!(Arrow::between(10.0, 5.0, 13.0).drawn(), None);
    }
}
