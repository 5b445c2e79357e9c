//! The processes pane: a `ps`-like table at the cursor's time.

use std::rc::Rc;

use yew::prelude::*;

use crate::state::RunResult;

#[derive(Properties, PartialEq)]
pub struct ProcessesProps {
    pub run: Rc<RunResult>,
    pub cursor_ns: u64,
}

#[component(Processes)]
pub fn processes(props: &ProcessesProps) -> Html {
    let trace = &props.run.trace;
    html! {
        <section id="processes" class="processes" data-testid="processes">
            <h2>{ "Processes" }</h2>
            <table>
                <thead><tr><th>{ "PID" }</th><th>{ "PPID" }</th><th>{ "Name" }</th></tr></thead>
                <tbody>
                    { for trace.processes.iter().filter(|p| p.start_ns <= props.cursor_ns).map(|p| html! {
                        <tr><td>{ p.pid }</td><td>{ p.ppid }</td><td>{ &p.name }</td></tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}
