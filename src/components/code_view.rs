//! The code pane: the script with syntax colours and line numbers, a marker
//! per live thread on its line at the cursor (in the thread's colour), the
//! line that just ran highlighted, and the checker's diagnostics at their
//! spans; an editor for "My script". What it draws comes from
//! [`crate::highlight`].

use std::collections::BTreeMap;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::components::script_editor::{ScriptEditor, INPUT_ID};
use crate::components::script_view::{line_element_id, ScriptView};
use crate::highlight::{
    caret_offset, highlight, last_ran_line, marker_slots, markers_at, messages_by_line, shown_line_count, underline,
};
use crate::snapshot::Frame;
use crate::state::RunResult;

#[derive(Properties, PartialEq)]
pub struct CodeViewProps {
    /// The text shown (for "My script", the text being edited).
    pub source: AttrValue,
    /// The last run (its trace gives the thread markers and diagnostics).
    pub run: Option<Rc<RunResult>>,
    /// What is true at the cursor in that run.
    pub frame: Rc<Frame>,
    /// "My script": the text can be edited.
    #[prop_or_default]
    pub editable: bool,
    /// The edited text, on every change.
    #[prop_or_default]
    pub on_edit: Callback<String>,
    /// Run what is in the editor now.
    #[prop_or_default]
    pub on_run: Callback<()>,
    /// While editing, run this long after the last change (0: at once).
    #[prop_or(400)]
    pub debounce_ms: u32,
}

/// Brings a script line into view: in the editor, puts the caret at its
/// start (`col`, 1-based, when known); in the read-only view, scrolls to it
/// and focuses it. Used by the diagnostics list.
pub fn show_line(line: u32, col: u32) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(area) = document
        .get_element_by_id(INPUT_ID)
        .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok())
    {
        let caret = caret_offset(&area.value(), line, col);
        let _ = area.focus();
        let _ = area.set_selection_range(caret, caret);
        area.scroll_into_view_with_bool(false);
        return;
    }
    if let Some(element) = document
        .get_element_by_id(&line_element_id(line))
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    {
        element.scroll_into_view_with_bool(false);
        let _ = element.focus();
    }
}

#[component(CodeView)]
pub fn code_view(props: &CodeViewProps) -> Html {
    // The run describes this text only if it was run from it (an edited
    // script shows no markers until it runs again).
    let run = props
        .run
        .clone()
        .filter(|run| run.source.as_str() == props.source.as_str());
    let serial = run.as_ref().map(|r| r.serial);

    let lines = {
        let run = run.clone();
        use_memo(
            (props.source.clone(), serial, props.editable),
            move |(source, _, editable)| {
                let mut lines = highlight(source);
                if !editable {
                    // The read-only view shows no empty line after a final newline.
                    lines.truncate(shown_line_count(source).max(1));
                }
                if let Some(run) = &run {
                    underline(&mut lines, &run.trace.diagnostics);
                }
                lines
            },
        )
    };
    let (markers, messages, last_ran, slots) = match &run {
        Some(run) => {
            let trace = &run.trace;
            let markers = markers_at(trace, &props.frame);
            let last_ran = last_ran_line(trace, &props.frame, &markers);
            let messages = messages_by_line(&trace.diagnostics, lines.len());
            (markers, messages, last_ran, marker_slots(trace))
        }
        None => (BTreeMap::new(), BTreeMap::new(), None, 0),
    };
    let (markers, messages) = (Rc::new(markers), Rc::new(messages));

    if props.editable {
        html! {
            <ScriptEditor
                source={props.source.clone()}
                {lines}
                {markers}
                {messages}
                {last_ran}
                {slots}
                on_edit={props.on_edit.clone()}
                on_run={props.on_run.clone()}
                debounce_ms={props.debounce_ms}
            />
        }
    } else {
        html! { <ScriptView {lines} {markers} {messages} {last_ran} {slots} /> }
    }
}
