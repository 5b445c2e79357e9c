//! A script, read-only, with line numbers.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScriptViewProps {
    pub source: AttrValue,
}

#[component(ScriptView)]
pub fn script_view(props: &ScriptViewProps) -> Html {
    html! {
        <ol class="script-lines" data-testid="script-lines">
            { for props.source.lines().enumerate().map(|(i, text)| {
                let number = i + 1;
                html! {
                    <li class="script-line" data-testid="script-line" data-line={number.to_string()}>
                        <span class="line-number" aria-hidden="true">{ number }</span>
                        <code class="line-text">{ text }</code>
                    </li>
                }
            }) }
        </ol>
    }
}
