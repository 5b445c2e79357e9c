//! The drawing's sizes, for the width it is drawn at.

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
    pub(crate) fn label_chars(&self, depth: usize) -> usize {
        let room = self.label_width - 8.0 - self.indent * depth as f64;
        ((room / self.char_width).floor() as usize).max(4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrow_drawing_has_a_narrow_label_column() {
        let narrow = Layout::for_width(360.0);
        let wide = Layout::for_width(1920.0);
        assert!(narrow.label_width < wide.label_width);
        assert!(narrow.label_chars(1) < wide.label_chars(1));
        assert!(
            narrow.label_chars(1) > narrow.label_chars(3),
            "deeper rows have less room"
        );
        assert_eq!(Layout::for_width(100.0).width, 240.0, "never narrower than 240");
    }
}
