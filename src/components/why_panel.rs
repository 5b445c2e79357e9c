//! The "Why?" panel: a plain-language explanation of the state at the
//! cursor's time, and at the end of the run the engine's final explanation.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::final_status::FinalStatus;
use crate::state::RunResult;

#[derive(Properties, PartialEq)]
pub struct WhyPanelProps {
    pub run: Rc<RunResult>,
    pub cursor_ns: u64,
}

#[component(WhyPanel)]
pub fn why_panel(props: &WhyPanelProps) -> Html {
    html! { <FinalStatus run={props.run.clone()} /> }
}
