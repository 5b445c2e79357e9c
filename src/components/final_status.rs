//! How the run ended: exit code (or still running) and the engine's
//! plain-language explanation.

use std::rc::Rc;

use yew::prelude::*;

use crate::state::RunResult;
use crate::status::{exit_code_text, summary};

#[derive(Properties, PartialEq)]
pub struct FinalStatusProps {
    pub run: Rc<RunResult>,
}

#[component(FinalStatus)]
pub fn final_status(props: &FinalStatusProps) -> Html {
    let trace = &props.run.trace;
    let outcome = &trace.outcome;
    let exit_code = exit_code_text(outcome);
    html! {
        <section id="final-status" class="final-status" data-testid="final-status">
            <h2>{ "Final status" }</h2>
            <p class="summary" data-testid="status-summary">{ summary(outcome, trace.horizon_ns) }</p>
            <p class="exit-code">
                { "Exit code: " }<code data-testid="exit-code">{ exit_code }</code>
            </p>
            if !outcome.explanation.is_empty() {
                <ul class="explanation">
                    { for outcome.explanation.iter().map(|line| html! {
                        <li data-testid="explanation-line">{ line }</li>
                    }) }
                </ul>
            }
        </section>
    }
}
