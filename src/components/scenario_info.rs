//! About the selected scenario: its title, source, what to notice, the note
//! where the article and CPython disagree, and its "try this" variations.

use std::rc::Rc;

use threadline_engine::scenarios::Scenario;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScenarioInfoProps {
    pub scenarios: Rc<Vec<Scenario>>,
    /// Which of `scenarios` is shown.
    pub index: usize,
    /// The selected variation (index into `meta.try_this`).
    pub variation: Option<usize>,
    pub on_variation: Callback<Option<usize>>,
}

#[component(ScenarioInfo)]
pub fn scenario_info(props: &ScenarioInfoProps) -> Html {
    let Some(scenario) = props.scenarios.get(props.index) else {
        return html! {};
    };
    let meta = &scenario.meta;
    html! {
        <header class="pane-header">
            <h2 data-testid="script-title">{ &meta.title }</h2>
            <p class="scenario-meta">
                <code>{ &meta.id }</code>
                if !meta.source.is_empty() {
                    { " · " }{ &meta.source }
                }
            </p>
            if !meta.notice.is_empty() {
                <p class="notice" data-testid="scenario-notice">{ &meta.notice }</p>
            }
        </header>
    }
}
