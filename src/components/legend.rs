//! The timeline's key: one swatch per thread state.

use yew::prelude::*;

use crate::timeline::StateClass;

#[component(Legend)]
pub fn legend() -> Html {
    html! {
        <ul class="legend" data-testid="timeline-legend">
            { for StateClass::ALL.iter().map(|class| html! {
                <li class="legend-entry" data-testid="legend-entry">
                    <svg class="swatch" viewBox="0 0 14 14" width="14" height="14" aria-hidden="true">
                        if class.is_alive() {
                            <rect class={classes!("bar", class.css_class())} x="0" y="0" width="14" height="14" rx="2" />
                        } else {
                            <rect class={classes!("bar", class.css_class())} x="0" y="5" width="14" height="4" />
                        }
                    </svg>
                    { class.label() }
                </li>
            }) }
        </ul>
    }
}
