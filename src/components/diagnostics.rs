//! Problems the engine found in the script (syntax errors, unsupported
//! constructs). Always in the page; hidden when there are none.

use std::rc::Rc;

use yew::prelude::*;

use crate::state::RunResult;

#[derive(Properties, PartialEq)]
pub struct DiagnosticsProps {
    pub run: Rc<RunResult>,
}

#[component(Diagnostics)]
pub fn diagnostics(props: &DiagnosticsProps) -> Html {
    let diagnostics = &props.run.trace.diagnostics;
    html! {
        <section
            id="diagnostics"
            class="diagnostics"
            data-testid="diagnostics"
            hidden={diagnostics.is_empty()}
            aria-live="polite"
        >
            <h2>{ "The simulator cannot run this script" }</h2>
            <ul>
                { for diagnostics.iter().map(|d| html! {
                    <li class="diagnostic" data-testid="diagnostic" data-line={d.line.to_string()}>
                        { d.render() }
                    </li>
                }) }
            </ul>
        </section>
    }
}
