//! The processes pane: a `ps`-like table at the cursor's time ([`crate::ps`]):
//! every process started by then, exited ones greyed.

use std::rc::Rc;

use yew::prelude::*;

use crate::ps::ps_at;
use crate::snapshot::Frame;
use crate::state::RunResult;

#[derive(Properties, PartialEq)]
pub struct ProcessesProps {
    pub run: Rc<RunResult>,
    /// What is true at the cursor.
    pub frame: Rc<Frame>,
}

#[component(Processes)]
pub fn processes(props: &ProcessesProps) -> Html {
    let rows = ps_at(&props.run.trace, &props.frame);
    html! {
        <section id="processes" class="processes" data-testid="processes">
            <h2>{ "Processes" }</h2>
            if rows.is_empty() {
                <p class="ps-empty">{ "No process has started yet." }</p>
            } else {
                <div class="ps-scroll" tabindex="0" role="region" aria-label="Process table">
                    <table class="ps-table">
                        <thead>
                            <tr>
                                <th scope="col">{ "PID" }</th>
                                <th scope="col">{ "PPID" }</th>
                                <th scope="col">{ "Name" }</th>
                                <th scope="col">{ "Daemon" }</th>
                                <th scope="col">{ "State" }</th>
                                <th scope="col">{ "Exit code" }</th>
                                <th scope="col" title="Threads alive">{ "Threads" }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for rows.iter().map(|row| {
                                html! {
                                    <tr
                                        class={row.css_classes()}
                                        data-testid="process-row"
                                        data-pid={row.pid.to_string()}
                                        data-state={row.state.css_class()}
                                    >
                                        <td data-label="PID" class="ps-num ps-pid">{ row.pid }</td>
                                        <td data-label="PPID" class="ps-num ps-ppid" data-testid="process-ppid"
                                            title={row.ppid_title()}>
                                            { row.ppid_cell() }
                                        </td>
                                        <td data-label="Name" class="ps-name">{ &row.name }</td>
                                        <td data-label="Daemon" class="ps-daemon">{ if row.daemon { "yes" } else { "no" } }</td>
                                        <td data-label="State" class="ps-state" data-testid="process-state">
                                            <span class="ps-dot" aria-hidden="true"></span>
                                            { row.state.label() }
                                        </td>
                                        <td data-label="Exit code" class="ps-num ps-exit" data-testid="process-exit">
                                            { row.exit_cell() }
                                        </td>
                                        <td data-label="Threads" class="ps-num ps-threads">{ row.threads }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </section>
    }
}
