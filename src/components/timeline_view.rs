//! The timeline as inline SVG: one lane per thread, bars coloured by state,
//! a time axis, and the legend. Geometry comes from [`crate::timeline`].

use std::rc::Rc;

use yew::prelude::*;

use crate::components::legend::Legend;
use crate::state::RunResult;
use crate::timeline::{layout, Layout};

#[derive(Properties, PartialEq)]
pub struct TimelineViewProps {
    pub run: Rc<RunResult>,
}

#[component(TimelineView)]
pub fn timeline_view(props: &TimelineViewProps) -> Html {
    let trace = &props.run.trace;
    let geometry = layout(trace, &Layout::default());
    let view_box = format!("0 0 {} {}", geometry.width, geometry.height);
    let axis_y = Layout::default().axis_height - 8.0;

    html! {
        <section id="timeline" class="timeline" data-testid="timeline">
            <h2>{ "Timeline" }</h2>
            <div class="timeline-scroll">
                <svg
                    class="timeline-svg"
                    data-testid="timeline-svg"
                    viewBox={view_box}
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
                        <text class="timeline-empty" x={geometry.plot_left.to_string()} y={(Layout::default().axis_height + 15.0).to_string()}>
                            { "No threads ran." }
                        </text>
                    }
                </svg>
            </div>
            <Legend />
        </section>
    }
}
