//! The code pane: the script with line numbers, a marker per live thread on
//! its line at the cursor, and the checker's diagnostics; editable for "My script".

use std::rc::Rc;

use yew::prelude::*;

use crate::components::script_editor::ScriptEditor;
use crate::components::script_view::ScriptView;
use crate::state::RunResult;

#[derive(Properties, PartialEq)]
pub struct CodeViewProps {
    /// The text shown (for "My script", the text being edited).
    pub source: AttrValue,
    /// The last run (its trace gives the thread markers and diagnostics).
    pub run: Option<Rc<RunResult>>,
    pub cursor_ns: u64,
    /// "My script": the text can be edited.
    #[prop_or_default]
    pub editable: bool,
    /// The edited text, on every change.
    #[prop_or_default]
    pub on_edit: Callback<String>,
    /// Run what is in the editor now.
    #[prop_or_default]
    pub on_run: Callback<()>,
}

#[component(CodeView)]
pub fn code_view(props: &CodeViewProps) -> Html {
    if props.editable {
        html! {
            <ScriptEditor
                source={props.source.clone()}
                on_edit={props.on_edit.clone()}
                on_run={props.on_run.clone()}
            />
        }
    } else {
        html! { <ScriptView source={props.source.clone()} /> }
    }
}
