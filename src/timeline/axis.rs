//! The time axis: ticks at a 1-2-5 step that suits the visible window,
//! labelled in one unit with as many decimals as the step needs.

use threadline_engine::Nanos;

use super::{format_time, Scale, View};

#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub x: f64,
    pub t_ns: Nanos,
    pub label: String,
}

/// The ticks of a plot: as many as fit one per 80 units, at least two.
pub(crate) fn plot_ticks(scale: &Scale) -> Vec<Tick> {
    let max_ticks = (((scale.right - scale.left) / 80.0).floor() as u64).max(2);
    ticks_in(scale.view, max_ticks)
        .into_iter()
        .map(|(t_ns, label)| Tick {
            x: scale.x(t_ns),
            t_ns,
            label,
        })
        .collect()
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

pub(super) fn unit_for(scale_ns: Nanos) -> (u64, &'static str) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::testkit::{trace, two_threads};
    use crate::timeline::{layout, layout_view, Layout};

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
    fn an_empty_trace_has_no_lanes_and_a_zero_tick() {
        let g = layout(&trace(Vec::new(), Vec::new(), Some(0)), &Layout::default());
        assert!(g.lanes.is_empty());
        assert!(g.bars.is_empty());
        assert_eq!(g.ticks[0].label, "0 s");
        assert!(g.height > 0.0);
    }
}
