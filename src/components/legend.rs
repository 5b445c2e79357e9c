//! The timeline's key: a swatch for everything the timeline draws (thread
//! states, kinds of waits, busy bars, process lifetimes, markers, the
//! cursor), in three groups. The swatches use the timeline's own classes and
//! patterns, so they look exactly like what they stand for.

use yew::prelude::*;

use crate::timeline::{legend_groups, BarStyle, LegendItem, ProcClass, StateClass};

fn swatch(item: &LegendItem) -> Html {
    let shape = match item {
        LegendItem::State(class) => {
            let style = BarStyle {
                class: *class,
                wait: None,
            }
            .css_classes();
            if class.is_alive() {
                html! { <rect class={style} x="0" y="1" width="14" height="12" rx="2" /> }
            } else {
                html! { <rect class={style} x="0" y="5" width="14" height="4" /> }
            }
        }
        LegendItem::Wait(wait) => {
            let style = BarStyle {
                class: StateClass::Blocked,
                wait: Some(*wait),
            }
            .css_classes();
            html! { <rect class={style} x="0" y="1" width="14" height="12" rx="2" /> }
        }
        LegendItem::Busy => html! { <rect class="bar state-running busy" x="0.5" y="1" width="13" height="12" /> },
        LegendItem::Process(class) => {
            let h = if *class == ProcClass::Dead { 2.0 } else { 8.0 };
            html! { <rect class={classes!("proc", class.css_class())} x="0" y={(7.0 - h / 2.0).to_string()} width="14" height={h.to_string()} /> }
        }
        LegendItem::Marker(kind) => html! {
            <g class={classes!("marker", format!("marker-{}", kind.name()))}>
                <path transform="translate(7 7)" d={kind.shape()} />
            </g>
        },
        LegendItem::Cursor => html! { <line class="cursor-line" x1="7" x2="7" y1="0" y2="14" /> },
    };
    html! {
        <svg class="swatch tl-svg" viewBox="0 0 14 14" width="14" height="14" aria-hidden="true">{ shape }</svg>
    }
}

fn group(title: &str, items: &[LegendItem]) -> Html {
    html! {
        <div class="legend-group">
            <h3 class="legend-title">{ title }</h3>
            <ul class="legend-list">
                { for items.iter().map(|item| html! {
                    <li class="legend-entry" data-testid="legend-entry">
                        { swatch(item) }
                        { item.label() }
                    </li>
                }) }
            </ul>
        </div>
    }
}

/// A compact key: a "Key" button by the timeline's toolbar that opens the
/// swatches on demand, over the page rather than pushing it down.
#[component(Legend)]
pub fn legend() -> Html {
    html! {
        <details class="legend" data-testid="timeline-legend">
            <summary title="What the colours and shapes mean">{ "Key" }</summary>
            <div class="legend-groups">
                { for legend_groups().iter().map(|(title, items)| group(title, items)) }
            </div>
        </details>
    }
}
