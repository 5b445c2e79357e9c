//! The run side by side with the same script under another Python version:
//! what differs in words, then for each version its timeline (one shared
//! cursor) and its whole output, lines the other version lacks highlighted.

use std::rc::Rc;

use threadline_engine::{PyVersion, Stream};
use yew::prelude::*;

use crate::compare::{differences, ending, marked_lines};
use crate::components::timeline_view::TimelineView;
use crate::state::{Action, RunResult};

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    pub run: Rc<RunResult>,
    pub other: Rc<RunResult>,
    pub cursor_ns: u64,
    pub on_seek: Callback<u64>,
    pub dispatch: Callback<Action>,
}

fn side(run: &Rc<RunResult>, other: &Rc<RunResult>, cursor_ns: u64, on_seek: &Callback<u64>) -> Html {
    let python = run.trace.python.label();
    html! {
        <div class="compare-side" data-testid="compare-side" data-python={python}>
            <h3>{ format!("Python {python}: {}", ending(&run.trace)) }</h3>
            <TimelineView run={run.clone()} {cursor_ns} on_seek={on_seek.clone()} />
            <pre class="compare-output" aria-label={format!("Output on Python {python}")}>
                { for marked_lines(&run.trace, &other.trace).into_iter().map(|(text, stream, only_here)| {
                    let stream = match stream { Stream::Stdout => "stdout", Stream::Stderr => "stderr" };
                    html! {
                        <div class={classes!("compare-line", stream, only_here.then_some("differs"))}
                            data-testid={if only_here { "compare-differs" } else { "compare-line" }}>
                            { if text.is_empty() { " ".to_string() } else { text } }
                        </div>
                    }
                }) }
            </pre>
        </div>
    }
}

#[component(Compare)]
pub fn compare(props: &CompareProps) -> Html {
    let (run, other) = (&props.run, &props.other);
    let found = differences(&run.trace, &other.trace);
    let on_version = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            dispatch.emit(Action::Compare(PyVersion::parse(&select.value())));
        })
    };
    let current = run.trace.python;
    html! {
        <section class="pane compare" data-testid="compare" aria-label="Two Python versions side by side">
            <header class="compare-header">
                <h2>{ "Side by side" }</h2>
                <label>
                    { format!("Python {} against ", current.label()) }
                    <select data-testid="compare-python" onchange={on_version}>
                        { for PyVersion::ALL.iter().rev().filter(|v| **v != current).map(|v| html! {
                            <option value={v.label()} selected={*v == other.trace.python}>{ v.label() }</option>
                        }) }
                    </select>
                </label>
                <button type="button" class="control" data-testid="compare-close"
                    onclick={props.dispatch.reform(|_| Action::Compare(None))}>{ "Close" }</button>
            </header>
            if found.is_empty() {
                <p class="compare-summary">{ "The two versions behave alike for this script." }</p>
            } else {
                <ul class="compare-summary" data-testid="compare-summary">
                    { for found.into_iter().map(|d| html! { <li>{ d }</li> }) }
                </ul>
            }
            <div class="compare-sides">
                { side(run, other, props.cursor_ns, &props.on_seek) }
                { side(other, run, props.cursor_ns, &props.on_seek) }
            </div>
        </section>
    }
}
