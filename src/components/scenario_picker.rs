//! The list of bundled scenarios, grouped by `group`, plus "My script".

use std::rc::Rc;

use threadline_engine::scenarios::Scenario;
use yew::prelude::*;

use crate::state::{groups, Selection};

#[derive(Properties, PartialEq)]
pub struct ScenarioPickerProps {
    pub scenarios: Rc<Vec<Scenario>>,
    pub selection: Selection,
    pub on_select: Callback<Selection>,
}

#[component(ScenarioPicker)]
pub fn scenario_picker(props: &ScenarioPickerProps) -> Html {
    let entry = |selection: Selection, testid: &'static str, body: Html, extra: Option<&str>| {
        let on_select = props.on_select.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_select.emit(selection));
        let selected = props.selection == selection;
        html! {
            <li>
                <button
                    type="button"
                    class={classes!("picker-entry", selected.then_some("selected"))}
                    data-testid={testid}
                    data-scenario-id={extra.map(|id| id.to_string())}
                    aria-pressed={selected.to_string()}
                    {onclick}
                >
                    { body }
                </button>
            </li>
        }
    };

    html! {
        <nav id="scenario-picker" class="scenario-picker" data-testid="scenario-picker" aria-label="Scenarios">
            { for groups(&props.scenarios).into_iter().map(|(group, members)| html! {
                <section class="scenario-group" data-testid="scenario-group" data-group={group.to_string()}>
                    <h2 class="group-name">{ group }</h2>
                    <ul>
                        { for members.into_iter().map(|(index, scenario)| entry(
                            Selection::Scenario(index),
                            "scenario-entry",
                            html! {
                                <>
                                    <span class="entry-title" data-testid="scenario-title">{ &scenario.meta.title }</span>
                                    <span class="entry-id">{ &scenario.meta.id }</span>
                                </>
                            },
                            Some(&scenario.meta.id),
                        )) }
                    </ul>
                </section>
            }) }
            <section class="scenario-group own-script">
                <h2 class="group-name">{ "Yours" }</h2>
                <ul>
                    { entry(
                        Selection::MyScript,
                        "my-script-entry",
                        html! { <span class="entry-title">{ "My script" }</span> },
                        None,
                    ) }
                </ul>
            </section>
        </nav>
    }
}
