//! The "Why?" panel: a plain-language explanation of the state at the
//! cursor's time ([`crate::why`]); at the end of the run, the engine's final
//! explanation ([`FinalStatus`]) with what signals did and what never ran.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::final_status::FinalStatus;
use crate::snapshot::Frame;
use crate::state::RunResult;
use crate::timeline::format_time;
use crate::why::{why_at, Item};

#[derive(Properties, PartialEq)]
pub struct WhyPanelProps {
    pub run: Rc<RunResult>,
    /// What is true at the cursor.
    pub frame: Rc<Frame>,
}

fn item_list(items: &[Item]) -> Html {
    html! {
        <ul class="why-items">
            { for items.iter().map(|item| html! {
                <li
                    class={classes!("why-item", item.topic.css_class())}
                    data-testid="why-item"
                    data-topic={item.topic.css_class()}
                >
                    { &item.text }
                </li>
            }) }
        </ul>
    }
}

#[component(WhyPanel)]
pub fn why_panel(props: &WhyPanelProps) -> Html {
    let run = &props.run;
    let at_end = props.frame.t_ns >= run.end_ns;
    let items = why_at(&run.trace, &props.frame);
    if at_end {
        // The engine's final word, and what it does not repeat: signals and skipped code.
        let notes: Vec<Item> = items.into_iter().filter(|i| i.topic.kept_at_end()).collect();
        return html! {
            <section id="why" class="why-panel at-end" data-testid="why-panel" aria-live="polite">
                <FinalStatus run={run.clone()} />
                if !notes.is_empty() {
                    { item_list(&notes) }
                }
            </section>
        };
    }
    html! {
        <section id="why" class="why-panel" data-testid="why-panel" aria-live="polite">
            <h2>
                { "Why? " }
                <span class="why-time" data-testid="why-time">{ format!("at {}", format_time(props.frame.t_ns)) }</span>
            </h2>
            { item_list(&items) }
            <p class="why-hint">{ "How the run ends is shown once the cursor reaches the end." }</p>
        </section>
    }
}
