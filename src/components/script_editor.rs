//! "My script": a textarea over the coloured text, with line numbers, thread
//! markers and diagnostics beside it, and a Run button.
//!
//! The textarea's text is transparent and sits exactly over a `<pre>` that
//! shows the same text coloured (same font, padding and line height); both
//! are as large as the text, so they scroll together inside one container.
//! Every change is sent at once (`on_edit`); the script runs again
//! `debounce_ms` after the last change, or at once on Ctrl/⌘+Enter or Run.
//! Tab inserts four spaces (Escape, then Tab, leaves the editor).

use std::collections::BTreeMap;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::colours::thread_colour_class;
use crate::components::code_view::show_line;
use crate::components::script_view::{render_markers, render_segments};
use crate::highlight::{size_message, Segment, ThreadMarker};

/// The textarea's id.
pub const INPUT_ID: &str = "my-script-input";

/// What Tab inserts.
const INDENT: &str = "    ";

#[derive(Properties, PartialEq)]
pub struct ScriptEditorProps {
    pub source: AttrValue,
    /// The text's lines, coloured (one per `\n`-separated line).
    pub lines: Rc<Vec<Vec<Segment>>>,
    #[prop_or_default]
    pub markers: Rc<BTreeMap<u32, Vec<ThreadMarker>>>,
    #[prop_or_default]
    pub messages: Rc<BTreeMap<u32, Vec<String>>>,
    #[prop_or_default]
    pub last_ran: Option<(u32, usize)>,
    #[prop_or_default]
    pub slots: usize,
    pub on_edit: Callback<String>,
    pub on_run: Callback<()>,
    #[prop_or(400)]
    pub debounce_ms: u32,
}

#[component(ScriptEditor)]
pub fn script_editor(props: &ScriptEditorProps) -> Html {
    let timer = use_mut_ref(|| None::<Timeout>);
    let escaped = use_mut_ref(|| false);

    // A change: send it, and run it after the pause (unless it is too large to run).
    let changed = {
        let on_edit = props.on_edit.clone();
        let on_run = props.on_run.clone();
        let timer = timer.clone();
        let delay = props.debounce_ms;
        Callback::from(move |text: String| {
            let runnable = size_message(&text).is_none();
            on_edit.emit(text);
            let mut pending = timer.borrow_mut();
            // Replacing (or dropping) a Timeout cancels it.
            *pending = None;
            if !runnable {
                return;
            }
            if delay == 0 {
                on_run.emit(());
            } else {
                let on_run = on_run.clone();
                *pending = Some(Timeout::new(delay, move || on_run.emit(())));
            }
        })
    };
    let run_now = {
        let on_run = props.on_run.clone();
        let timer = timer.clone();
        Callback::from(move |()| {
            timer.borrow_mut().take();
            on_run.emit(());
        })
    };

    let oninput = {
        let changed = changed.clone();
        Callback::from(move |event: InputEvent| {
            let area: HtmlTextAreaElement = event.target_unchecked_into();
            changed.emit(area.value());
        })
    };
    let onkeydown = {
        let changed = changed.clone();
        let run_now = run_now.clone();
        let escaped = escaped.clone();
        Callback::from(move |event: KeyboardEvent| {
            let key = event.key();
            let was_escaped = std::mem::replace(&mut *escaped.borrow_mut(), key == "Escape");
            if key == "Enter" && (event.ctrl_key() || event.meta_key()) {
                event.prevent_default();
                run_now.emit(());
            } else if key == "Tab"
                && !was_escaped
                && !event.shift_key()
                && !event.ctrl_key()
                && !event.alt_key()
                && !event.meta_key()
            {
                event.prevent_default();
                let area: HtmlTextAreaElement = event.target_unchecked_into();
                let start = area.selection_start().ok().flatten().unwrap_or(0);
                let end = area.selection_end().ok().flatten().unwrap_or(start);
                if area.set_range_text_with_start_and_end(INDENT, start, end).is_ok() {
                    let caret = start + INDENT.len() as u32;
                    let _ = area.set_selection_range(caret, caret);
                    changed.emit(area.value());
                }
            }
        })
    };
    // The textarea is as large as its text and never scrolls itself.
    let onscroll = Callback::from(|event: Event| {
        let area: HtmlTextAreaElement = event.target_unchecked_into();
        area.set_scroll_top(0);
        area.set_scroll_left(0);
    });
    let onclick = {
        let run_now = run_now.clone();
        Callback::from(move |_: MouseEvent| run_now.emit(()))
    };

    let count = props.lines.len().max(1);
    let too_large = size_message(&props.source);
    let empty = Vec::new();

    html! {
        <div class="script-editor">
            <div class="editor-body" style={format!("--marker-slots: {}", props.slots)}>
                <div class="editor-gutter" aria-hidden="true">
                    { for (1..=count as u32).map(|n| {
                        let class = classes!(props.messages.contains_key(&n).then_some("has-diagnostic"));
                        html! { <span {class}>{ n }</span> }
                    }) }
                </div>
                if props.slots > 0 {
                    <div class="editor-markers" data-testid="thread-markers">
                        { for (1..=count as u32).map(|n| html! {
                            <div class="marker-row">
                                { render_markers(n, props.markers.get(&n).unwrap_or(&empty), props.slots) }
                            </div>
                        }) }
                    </div>
                }
                <div class="editor-code">
                    <div class="editor-layers">
                        <pre class="editor-highlight" aria-hidden="true" data-testid="editor-highlight">
                            { for props.lines.iter().enumerate().map(|(i, segments)| {
                                let number = i as u32 + 1;
                                let last_ran = props.last_ran.filter(|(line, _)| *line == number);
                                let class = classes!(
                                    "hl-line",
                                    last_ran.map(|_| "last-ran"),
                                    last_ran.map(|(_, colour)| thread_colour_class(colour))
                                );
                                html! {
                                    <span {class} data-line={number.to_string()}>
                                        { render_segments(segments) }
                                        if let Some(messages) = props.messages.get(&number) {
                                            <span class="eol-diagnostic" data-testid="inline-diagnostic" data-line={number.to_string()}>
                                                { messages.join("; ") }
                                            </span>
                                        }
                                    </span>
                                }
                            }) }
                        </pre>
                        <textarea
                            id={INPUT_ID}
                            data-testid="my-script-input"
                            aria-label="My script (Ctrl+Enter runs it; Escape then Tab leaves the editor)"
                            spellcheck="false"
                            autocapitalize="off"
                            autocomplete="off"
                            wrap="off"
                            rows={count.to_string()}
                            value={props.source.clone()}
                            {oninput}
                            {onkeydown}
                            {onscroll}
                        />
                    </div>
                </div>
            </div>
            if !props.messages.is_empty() {
                // On narrow screens the messages at the ends of lines may be out of
                // view: they are listed under the editor too (see code.css).
                <ul class="editor-diagnostics" data-testid="editor-diagnostics">
                    { for props.messages.iter().flat_map(|(line, messages)| messages.iter().map(move |m| (*line, m.clone()))).map(|(line, message)| html! {
                        <li>
                            <button
                                type="button"
                                class="diagnostic-link"
                                onclick={Callback::from(move |_: MouseEvent| show_line(line, 1))}
                            >
                                { message }
                            </button>
                        </li>
                    }) }
                </ul>
            }
            if let Some(message) = too_large {
                <p class="editor-too-large" role="status" data-testid="editor-too-large">{ message }</p>
            }
            <div class="editor-actions">
                <button type="button" class="run-button" data-testid="run-button" {onclick}>
                    { "Run" }
                </button>
                <span class="editor-hint">{ "Runs again as you type · Ctrl+Enter runs now" }</span>
            </div>
        </div>
    }
}
