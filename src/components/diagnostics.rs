//! Problems the engine found in the script (syntax errors, unsupported
//! constructs). Always in the page; hidden when there are none. Each entry
//! takes the learner to its line in the code pane.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::code_view::show_line;
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
                { for diagnostics.iter().map(|d| {
                    let (line, col) = (d.line, d.col);
                    html! {
                        <li class="diagnostic" data-testid="diagnostic" data-line={d.line.to_string()}>
                            <button
                                type="button"
                                class="diagnostic-link"
                                title={format!("Show line {line} in the script")}
                                onclick={Callback::from(move |_: MouseEvent| show_line(line, col))}
                            >
                                { d.render() }
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
