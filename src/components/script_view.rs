//! A script, read-only: line numbers, a marker per live thread on its line,
//! the line that just ran highlighted, syntax colours, and each diagnostic
//! underlined with its message under the line.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::colours::thread_colour_class;
use crate::highlight::{Segment, ThreadMarker};

/// The id of a line's element in the read-only view (`code-line-3`).
pub fn line_element_id(line: u32) -> String {
    format!("code-line-{line}")
}

/// A line's coloured text.
pub fn render_segments(segments: &[Segment]) -> Html {
    html! {
        { for segments.iter().map(|s| {
            let class = s.css_class();
            if class.is_empty() {
                html! { { s.text.clone() } }
            } else {
                html! { <span {class}>{ s.text.clone() }</span> }
            }
        }) }
    }
}

/// The most thread markers one line shows; beyond it (a thread bomb puts
/// thousands on one line) the line shows a marker less than `slots` and a
/// "+N" badge counting the others, in the marker column's width.
pub const MAX_MARKERS_PER_LINE: usize = 16;

/// The markers of the threads on one line; when there are more than `slots`
/// they overlap so that the code never moves.
pub fn render_markers(line: u32, markers: &[ThreadMarker], slots: usize) -> Html {
    let crowded = markers.len() > slots.max(1);
    let shown = if markers.len() > MAX_MARKERS_PER_LINE {
        slots.saturating_sub(1).max(1)
    } else {
        markers.len()
    };
    let (shown, hidden) = markers.split_at(shown);
    let more = (!hidden.is_empty()).then(|| {
        let text = format!("{} more threads on line {line}", hidden.len());
        html! {
            <span class="thread-marker more" data-testid="thread-markers-more" role="img"
                aria-label={text.clone()} title={text}>
                { format!("+{}", hidden.len()) }
            </span>
        }
    });
    html! {
        <>
        { for shown.iter().map(|m| {
            let class = classes!(
                "thread-marker",
                thread_colour_class(m.colour),
                crowded.then_some("crowded")
            );
            html! {
                <span
                    {class}
                    data-testid="thread-marker"
                    data-thread={m.thread.0.to_string()}
                    data-line={line.to_string()}
                    tabindex="0"
                    role="img"
                    aria-label={format!("{} on line {line}", m.title)}
                >
                    { m.label.clone() }
                    <span class="marker-tip" aria-hidden="true">{ m.title.clone() }</span>
                </span>
            }
        }) }
        { for more }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct ScriptViewProps {
    /// The script's lines, coloured (as many as it shows).
    pub lines: Rc<Vec<Vec<Segment>>>,
    /// Thread markers by 1-based line.
    #[prop_or_default]
    pub markers: Rc<BTreeMap<u32, Vec<ThreadMarker>>>,
    /// Diagnostic messages by 1-based line.
    #[prop_or_default]
    pub messages: Rc<BTreeMap<u32, Vec<String>>>,
    /// The line that just ran and the colour of the thread that ran it.
    #[prop_or_default]
    pub last_ran: Option<(u32, usize)>,
    /// Marker places in the gutter (0: no marker column).
    #[prop_or_default]
    pub slots: usize,
}

#[component(ScriptView)]
pub fn script_view(props: &ScriptViewProps) -> Html {
    let empty = Vec::new();
    html! {
        <ol
            class="script-lines code-lines"
            data-testid="script-lines"
            style={format!("--marker-slots: {}", props.slots)}
        >
            { for props.lines.iter().enumerate().map(|(i, segments)| {
                let number = i as u32 + 1;
                let markers = props.markers.get(&number).unwrap_or(&empty);
                let messages = props.messages.get(&number);
                let last_ran = props.last_ran.filter(|(line, _)| *line == number);
                let class = classes!(
                    "script-line",
                    last_ran.map(|_| "last-ran"),
                    last_ran.map(|(_, colour)| thread_colour_class(colour)),
                    messages.map(|_| "has-diagnostic")
                );
                html! {
                    <li
                        {class}
                        id={line_element_id(number)}
                        data-testid="script-line"
                        data-line={number.to_string()}
                        tabindex="-1"
                    >
                        <span class="line-number" aria-hidden="true">{ number }</span>
                        if props.slots > 0 {
                            <span class="thread-markers" data-testid="thread-markers">
                                { render_markers(number, markers, props.slots) }
                            </span>
                        }
                        <code class="line-text">{ render_segments(segments) }</code>
                        if let Some(messages) = messages {
                            { for messages.iter().map(|m| html! {
                                <div
                                    class="line-diagnostic"
                                    data-testid="inline-diagnostic"
                                    data-line={number.to_string()}
                                    role="note"
                                >
                                    { m.clone() }
                                </div>
                            }) }
                        }
                    </li>
                }
            }) }
        </ol>
    }
}
