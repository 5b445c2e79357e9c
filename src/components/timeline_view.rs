//! The timeline as inline SVG: one lane per thread, bars coloured by state,
//! a time axis, and the legend. Geometry comes from [`crate::timeline`].

use std::rc::Rc;

use gloo_events::EventListener;
use web_sys::Element;
use yew::prelude::*;

use crate::components::legend::Legend;
use crate::state::RunResult;
use crate::timeline::{layout, Layout};

/// The drawing is never narrower than this; a narrower pane scrolls sideways.
const MIN_WIDTH: f64 = 520.0;

/// The width (CSS pixels) of the element behind `node`, kept up to date on
/// window resizes, so that the SVG is drawn at 1:1 and its text never scales.
#[hook]
fn use_width(node: NodeRef) -> f64 {
    let width = use_state(|| Layout::default().width);
    {
        let width = width.clone();
        use_effect_with((), move |_| {
            let measure = move || {
                if let Some(element) = node.cast::<Element>() {
                    let measured = f64::from(element.client_width());
                    if measured > 0.0 {
                        width.set(measured.max(MIN_WIDTH));
                    }
                }
            };
            let first = measure.clone();
            first();
            let listener = web_sys::window().map(|window| EventListener::new(&window, "resize", move |_| measure()));
            move || drop(listener)
        });
    }
    *width
}

#[derive(Properties, PartialEq)]
pub struct TimelineViewProps {
    pub run: Rc<RunResult>,
    /// The time cursor.
    pub cursor_ns: u64,
    /// The learner picked a time on the timeline.
    pub on_seek: Callback<u64>,
}

#[component(TimelineView)]
pub fn timeline_view(props: &TimelineViewProps) -> Html {
    let trace = &props.run.trace;
    let scroll = use_node_ref();
    let sizes = Layout {
        width: use_width(scroll.clone()),
        ..Layout::default()
    };
    let geometry = layout(trace, &sizes);
    let view_box = format!("0 0 {} {}", geometry.width, geometry.height);
    let axis_y = sizes.axis_height - 8.0;

    html! {
        <section id="timeline" class="timeline" data-testid="timeline">
            <h2>{ "Timeline" }</h2>
            <div class="timeline-scroll" ref={scroll}>
                <svg
                    class="timeline-svg"
                    data-testid="timeline-svg"
                    viewBox={view_box}
                    width={geometry.width.to_string()}
                    height={geometry.height.to_string()}
                    role="img"
                    aria-label="Thread states over time"
                >
                    <g class="axis" data-testid="timeline-axis">
                        { for geometry.ticks.iter().map(|tick| html! {
                            <g class="tick">
                                <line
                                    x1={tick.x.to_string()} x2={tick.x.to_string()}
                                    y1={(axis_y + 2.0).to_string()} y2={geometry.height.to_string()}
                                />
                                <text x={tick.x.to_string()} y={axis_y.to_string()}>{ &tick.label }</text>
                            </g>
                        }) }
                    </g>
                    { for geometry.lanes.iter().enumerate().map(|(i, lane)| html! {
                        <g class="lane" data-testid="timeline-lane" data-thread={lane.thread.0.to_string()}>
                            <title>{ &trace.threads[i].name }</title>
                            <rect
                                class="lane-background"
                                x={geometry.plot_left.to_string()}
                                y={lane.y.to_string()}
                                width={(geometry.plot_right - geometry.plot_left).to_string()}
                                height={lane.height.to_string()}
                            />
                            <text class="lane-label" x="4" y={(lane.y + lane.height / 2.0).to_string()}>
                                { &lane.label }
                            </text>
                            { for geometry.bars.iter().filter(|b| b.lane == i).map(|bar| html! {
                                <rect
                                    class={classes!("bar", bar.class.css_class())}
                                    data-testid="timeline-bar"
                                    x={bar.x.to_string()}
                                    y={bar.y.to_string()}
                                    width={bar.width.to_string()}
                                    height={bar.height.to_string()}
                                >
                                    <title>{ &bar.title }</title>
                                </rect>
                            }) }
                        </g>
                    }) }
                    if geometry.lanes.is_empty() {
                        <text class="timeline-empty" x={geometry.plot_left.to_string()} y={(sizes.axis_height + 15.0).to_string()}>
                            { "No threads ran." }
                        </text>
                    }
                </svg>
            </div>
            <Legend />
        </section>
    }
}
