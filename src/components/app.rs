//! The page: header, scenario picker, scenario notes and code, controls,
//! terminal, "Why?" panel, processes, exports and timeline. Holds the one reducer ([`crate::state::Model`]).

use wasm_bindgen::JsValue;
use yew::prelude::*;

use std::rc::Rc;

use crate::components::code_view::CodeView;
use crate::components::controls::Controls;
use crate::components::diagnostics::Diagnostics;
use crate::components::exports::Exports;
use crate::components::processes::Processes;
use crate::components::scenario_info::ScenarioInfo;
use crate::components::scenario_picker::ScenarioPicker;
use crate::components::terminal::Terminal;
use crate::components::timeline_view::TimelineView;
use crate::components::why_panel::WhyPanel;
use crate::state::{Action, Model, Selection, DEFAULT_MY_SCRIPT};

#[derive(Properties, PartialEq, Clone, Default, Debug)]
pub struct AppProps {
    /// Id of the scenario to show first (default: the first bundled one).
    #[prop_or_default]
    pub scenario: Option<AttrValue>,
    /// Start on "My script" with this text instead.
    #[prop_or_default]
    pub my_script: Option<AttrValue>,
}

/// The URL fragment that names "My script" (scenarios are named by their id).
pub const MY_SCRIPT_FRAGMENT: &str = "my-script";

impl AppProps {
    /// What a page URL's fragment asks for: `#<scenario id>` or `#my-script`.
    pub fn from_fragment(fragment: &str) -> AppProps {
        match fragment.trim_start_matches('#') {
            "" => AppProps::default(),
            MY_SCRIPT_FRAGMENT => AppProps {
                scenario: None,
                my_script: Some(AttrValue::Static(DEFAULT_MY_SCRIPT)),
            },
            id => AppProps {
                scenario: Some(AttrValue::from(id.to_string())),
                my_script: None,
            },
        }
    }
}

/// The fragment that links to `selection`.
fn fragment_of(model: &Model, selection: Selection) -> String {
    match selection {
        Selection::Scenario(i) => model.scenarios.get(i).map_or_else(String::new, |s| s.meta.id.clone()),
        Selection::MyScript => MY_SCRIPT_FRAGMENT.to_string(),
    }
}

/// Shows `fragment` in the address bar without adding a history entry, so
/// that the page's URL links to what it shows.
fn show_in_url(fragment: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
}

#[component(App)]
pub fn app(props: &AppProps) -> Html {
    let model = {
        let props = props.clone();
        use_reducer(move || {
            let scenarios = threadline_engine::scenarios::all();
            let first = if scenarios.is_empty() {
                Selection::MyScript
            } else {
                Selection::Scenario(0)
            };
            let selection = match (&props.my_script, &props.scenario) {
                (Some(_), _) => Selection::MyScript,
                // An unknown id (an old link, say) shows the first scenario.
                (None, Some(id)) => Model::scenario_index(&scenarios, id).map_or(first, Selection::Scenario),
                (None, None) => first,
            };
            let my_script = props.my_script.as_deref().unwrap_or(DEFAULT_MY_SCRIPT).to_string();
            Model::new(scenarios, my_script, selection)
        })
    };

    let dispatch = {
        let model = model.dispatcher();
        Callback::from(move |action: Action| model.dispatch(action))
    };
    let on_select = {
        let model = model.clone();
        Callback::from(move |selection| {
            show_in_url(&fragment_of(&model, selection));
            model.dispatch(Action::Select(selection));
        })
    };
    let on_edit = {
        let model = model.dispatcher();
        Callback::from(move |text| model.dispatch(Action::EditMyScript(text)))
    };
    let on_run = {
        let model = model.dispatcher();
        Callback::from(move |()| model.dispatch(Action::Run))
    };
    let on_variation = {
        let model = model.dispatcher();
        Callback::from(move |v| model.dispatch(Action::SelectVariation(v)))
    };
    let on_seek = {
        let model = model.dispatcher();
        Callback::from(move |t| model.dispatch(Action::Seek(t)))
    };
    let cursor_ns = model.cursor_ns;

    let script_header = match model.selection {
        Selection::Scenario(index) => html! {
            <ScenarioInfo
                scenarios={model.scenarios.clone()}
                {index}
                variation={model.variation}
                {on_variation}
                on_select={on_select.clone()}
            />
        },
        Selection::MyScript => html! {
            <header class="pane-header">
                <h2 data-testid="script-title">{ "My script" }</h2>
                <p class="notice">{ "Write a script, then press Run." }</p>
            </header>
        },
    };

    html! {
        <div id="app" class="app">
            <header id="app-header" class="app-header">
                <h1 data-testid="app-title">{ "Threadline" }</h1>
                <p class="tagline">{ "How CPython runs threads, step by step, in a simulated run." }</p>
            </header>
            if let Some(message) = model.message.clone() {
                <div class="message" role="alert" data-testid="message">
                    <span>{ message }</span>
                    <button type="button" onclick={dispatch.reform(|_| Action::DismissMessage)}>{ "Dismiss" }</button>
                </div>
            }
            <main class="layout">
                <aside id="picker-pane" class="pane picker-pane">
                    <ScenarioPicker
                        scenarios={model.scenarios.clone()}
                        selection={model.selection}
                        {on_select}
                    />
                </aside>
                <section id="script-pane" class="pane script-pane" data-testid="script-pane">
                    { script_header }
                    <CodeView
                        source={AttrValue::from(model.source().to_string())}
                        run={model.last_run.clone()}
                        {cursor_ns}
                        editable={model.selection == Selection::MyScript}
                        {on_edit}
                        {on_run}
                    />
                </section>
                <section id="controls-pane" class="pane controls-pane">
                    <Controls model={Rc::new((*model).clone())} dispatch={dispatch.clone()} />
                </section>
                <section id="run-pane" class="pane run-pane">
                    if let Some(run) = model.last_run.clone() {
                        <Diagnostics run={run.clone()} />
                        <Terminal run={run.clone()} {cursor_ns} />
                        <WhyPanel run={run.clone()} {cursor_ns} />
                        <Processes run={run.clone()} {cursor_ns} />
                        <Exports {run} />
                    }
                </section>
                <section id="timeline-pane" class="pane timeline-pane">
                    if let Some(run) = model.last_run.clone() {
                        <TimelineView {run} {cursor_ns} {on_seek} />
                    }
                </section>
            </main>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fragment_names_a_scenario_or_my_script() {
        assert_eq!(AppProps::from_fragment(""), AppProps::default());
        assert_eq!(AppProps::from_fragment("#"), AppProps::default());
        let scenario = AppProps::from_fragment("#daemon-join");
        assert_eq!(scenario.scenario.as_deref(), Some("daemon-join"));
        assert_eq!(scenario.my_script, None);
        let mine = AppProps::from_fragment("#my-script");
        assert_eq!(mine.scenario, None);
        assert_eq!(mine.my_script.as_deref(), Some(DEFAULT_MY_SCRIPT));
    }
}
