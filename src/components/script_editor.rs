//! "My script": an editable textarea with line numbers, and a Run button.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScriptEditorProps {
    pub source: AttrValue,
    pub on_edit: Callback<String>,
    pub on_run: Callback<()>,
}

#[component(ScriptEditor)]
pub fn script_editor(props: &ScriptEditorProps) -> Html {
    let oninput = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |event: InputEvent| {
            let area: HtmlTextAreaElement = event.target_unchecked_into();
            on_edit.emit(area.value());
        })
    };
    let onclick = {
        let on_run = props.on_run.clone();
        Callback::from(move |_: MouseEvent| on_run.emit(()))
    };
    // The textarea grows with its text, so the numbers beside it stay aligned.
    let lines = props.source.split('\n').count().max(1);

    html! {
        <div class="script-editor">
            <div class="editor-body">
                <div class="editor-gutter" aria-hidden="true">
                    { for (1..=lines).map(|n| html! { <span>{ n }</span> }) }
                </div>
                <textarea
                    id="my-script-input"
                    data-testid="my-script-input"
                    aria-label="My script"
                    spellcheck="false"
                    autocapitalize="off"
                    wrap="off"
                    rows={lines.to_string()}
                    value={props.source.clone()}
                    {oninput}
                />
            </div>
            <button type="button" class="run-button" data-testid="run-button" {onclick}>
                { "Run" }
            </button>
        </div>
    }
}
