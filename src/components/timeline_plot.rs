//! What the timeline's `<svg>` draws of a [`Geometry`]: the axis, a header
//! row per process, a lane per thread with its bars, the markers with their
//! arrows (the [`Plot`], redrawn only with a new geometry), the time cursor,
//! and the patterns the bars are filled with.

use std::rc::Rc;

use yew::prelude::*;

use crate::timeline::{CursorMark, Geometry, Lane, Marker, ProcessRow, WaitKind};

/// An SVG number: two decimals.
fn f(v: f64) -> String {
    format!("{v:.2}")
}

/// The geometry, compared by identity: a new one comes only with a new run,
/// width or zoom, so moving the cursor does not redraw the plot.
#[derive(Clone)]
pub struct PlotGeometry(pub Rc<Geometry>);

impl PartialEq for PlotGeometry {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct PlotProps {
    pub geometry: PlotGeometry,
    /// Only the rows between these y coordinates are drawn (a run with
    /// very many lanes draws those near the part scrolled into view); None:
    /// every row.
    #[prop_or_default]
    pub rows: Option<(u32, u32)>,
}

/// Lanes beyond which the plot draws only the rows near the visible part.
pub const WINDOWED_LANES: usize = 150;

/// Whether a row from `y` to `y + height` is to be drawn in `rows`.
fn in_rows(rows: Option<(u32, u32)>, y: f64, height: f64) -> bool {
    rows.is_none_or(|(top, bottom)| y + height >= f64::from(top) && y <= f64::from(bottom))
}

fn axis(g: &Geometry) -> Html {
    let y = g.axis_y();
    html! {
        <g class="axis" data-testid="timeline-axis">
            { for g.ticks.iter().map(|tick| html! {
                <g class="tick" data-testid="timeline-tick">
                    <line x1={f(tick.x)} x2={f(tick.x)} y1={f(y + 3.0)} y2={f(g.height)} />
                    <text x={f(tick.x)} y={f(y)}>{ &tick.label }</text>
                </g>
            }) }
        </g>
    }
}

fn process_row(row: &ProcessRow) -> Html {
    html! {
        <g class="process-row" data-testid="timeline-process" data-pid={row.pid.to_string()}>
            <text class="process-label" x={f(row.label_x)} y={f(row.mid_y())}>
                <title>{ &row.title }</title>
                { &row.label }
            </text>
            { for row.segments.iter().map(|s| html! {
                <rect class={s.css_classes()} tabindex="-1"
                    x={f(s.x)} y={f(s.y)} width={f(s.width)} height={f(s.height)}>
                    <title>{ &s.title }</title>
                </rect>
            }) }
        </g>
    }
}

fn lane(g: &Geometry, index: usize, lane: &Lane) -> Html {
    html! {
        <g class="lane" data-testid="timeline-lane" data-thread={lane.thread.0.to_string()} data-pid={lane.pid.to_string()}>
            <rect class="lane-background" x={f(g.plot_left)} y={f(lane.y)}
                width={f(g.plot_right - g.plot_left)} height={f(lane.height)} />
            <text class="lane-label" x={f(lane.label_x)} y={f(lane.mid_y())}>
                <title>{ &lane.title }</title>
                { &lane.label }
            </text>
            { for g.bars.iter().filter(|b| b.lane == index).map(|bar| html! {
                <rect class={bar.css_classes()} data-testid="timeline-bar" tabindex="-1"
                    x={f(bar.x)} y={f(bar.y)} width={f(bar.width)} height={f(bar.height)}>
                    <title>{ &bar.title }</title>
                </rect>
            }) }
        </g>
    }
}

fn marker(m: &Marker) -> Html {
    let arrow = m.arrow.as_ref().and_then(|a| a.drawn()).map(|a| {
        html! { <line class="arrow" x1={f(a.x1)} y1={f(a.y1)} x2={f(a.x2)} y2={f(a.y2)} /> }
    });
    html! {
        <g class={m.css_classes()} data-testid="timeline-marker" data-kind={m.kind.name()} tabindex="-1">
            <title>{ &m.title }</title>
            { for arrow }
            <circle class="hit" cx={f(m.x)} cy={f(m.y)} r="6" />
            <path transform={format!("translate({} {})", f(m.x), f(m.y))} d={m.kind.shape()} />
        </g>
    }
}

/// Everything drawn but the cursor: the axis, the rows, bars and markers.
#[component(Plot)]
pub fn plot(props: &PlotProps) -> Html {
    let g = &*props.geometry.0;
    html! {
        <>
        { axis(g) }
        { for g.processes.iter().filter(|p| in_rows(props.rows, p.y, p.height)).map(process_row) }
        { for g.lanes.iter().enumerate().filter(|(_, l)| in_rows(props.rows, l.y, l.height)).map(|(i, l)| lane(g, i, l)) }
        <g class="markers">
            { for g.markers.iter().filter(|m| in_rows(props.rows, m.y - 8.0, 16.0)).map(marker) }
        </g>
        if g.lanes.is_empty() {
            <text class="timeline-empty" x={f(g.plot_left)} y={f(g.rows_top + 15.0)}>
                { "No threads ran." }
            </text>
        }
        </>
    }
}

/// The time cursor: a line with a handle, or an arrowhead at the edge it is past.
pub fn cursor(g: &Geometry, cursor_ns: u64) -> Html {
    match g.cursor_mark(cursor_ns) {
        CursorMark::At { x, y1, y2, handle } => html! {
            <g class="cursor" data-testid="timeline-cursor" data-t={cursor_ns.to_string()}>
                <line class="cursor-line" x1={f(x)} x2={f(x)} y1={f(y1)} y2={f(y2)} />
                <path class="cursor-handle" d={handle} />
            </g>
        },
        CursorMark::Away { path, title } => html! {
            <path class="cursor-handle cursor-offscreen" data-testid="timeline-cursor-offscreen" d={path}>
                <title>{ title }</title>
            </path>
        },
    }
}

/// The fill pattern of a kind of wait: its tile size and what is drawn on it.
fn pattern(wait: WaitKind) -> Html {
    let (size, ink): (u32, Html) = match wait {
        WaitKind::Join => (
            6,
            html! { <path class="pat-ink" d="M-1,7 L7,-1 M-1,1 L1,-1 M5,7 L7,5" /> },
        ),
        WaitKind::Event => (6, html! { <circle class="pat-dot" cx="3" cy="3" r="1.2" /> }),
        WaitKind::Lock => (6, html! { <path class="pat-ink" d="M0,3 L6,3 M3,0 L3,6" /> }),
        WaitKind::Queue => (5, html! { <path class="pat-ink" d="M0,2.5 L5,2.5" /> }),
        WaitKind::Process => (5, html! { <path class="pat-ink" d="M2.5,0 L2.5,5" /> }),
        WaitKind::Shutdown => (
            8,
            html! { <path class="pat-ink" d="M-1,-1 L9,9 M-1,7 L1,9 M7,-1 L9,1" /> },
        ),
    };
    let background = if wait == WaitKind::Shutdown {
        "pat-bg pat-bg-shutdown"
    } else {
        "pat-bg"
    };
    html! {
        <pattern id={wait.pattern_id()} patternUnits="userSpaceOnUse" width={size.to_string()} height={size.to_string()}>
            <rect class={background} x="0" y="0" width={size.to_string()} height={size.to_string()} />
            { ink }
        </pattern>
    }
}

/// Patterns for the kinds of waits and for zombies, and the arrowhead.
pub fn defs() -> Html {
    html! {
        <defs>
            { for WaitKind::ALL.iter().map(|w| pattern(*w)) }
            <pattern id="tl-pat-zombie" patternUnits="userSpaceOnUse" width="6" height="6">
                <rect class="pat-zombie-bg" x="0" y="0" width="6" height="6" />
                <path class="pat-zombie-ink" d="M-1,1 L1,-1 M0,6 L6,0 M5,7 L7,5" />
            </pattern>
            <marker id="tl-arrowhead" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path class="tl-arrowhead" d="M0,0 L8,4 L0,8 Z" />
            </marker>
        </defs>
    }
}
