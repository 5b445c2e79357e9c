//! Export the run: the trace as JSON, the Chrome Trace Event format
//! (Perfetto, chrome://tracing), and the timeline as SVG. Each button
//! downloads a file (a Blob behind a temporary `<a download>`).

use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::components::timeline_view::svg_markup;
use crate::export::{chrome_trace_json, file_name, trace_json, ExportKind};
use crate::state::RunResult;

#[derive(Properties, PartialEq)]
pub struct ExportsProps {
    pub run: Rc<RunResult>,
}

/// The file's contents, or None when there is nothing to export (no timeline drawn).
fn contents(run: &RunResult, kind: ExportKind) -> Option<String> {
    match kind {
        ExportKind::TraceJson => Some(trace_json(&run.trace)),
        ExportKind::ChromeTrace => Some(chrome_trace_json(&run.trace)),
        ExportKind::TimelineSvg => svg_markup(),
    }
}

/// Offers `text` as a file download named `name`.
fn download(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = JsValue::from(vec![JsValue::from_str(text)]);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.set_attribute("hidden", "")?;
    let body = document.body().ok_or("no body")?;
    body.append_child(&anchor)?;
    anchor.click();
    anchor.remove();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

#[component(Exports)]
pub fn exports(props: &ExportsProps) -> Html {
    let failed = use_state(|| None::<String>);
    let buttons = ExportKind::ALL.iter().map(|&kind| {
        let run = props.run.clone();
        let failed = failed.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let name = file_name(&run.options.script_name, kind);
            let result = match contents(&run, kind) {
                Some(text) => {
                    download(&name, kind.mime(), &text).map_err(|_| format!("The browser did not save {name}."))
                }
                None => Err("There is no timeline to export yet.".to_string()),
            };
            failed.set(result.err());
        });
        html! {
            <button type="button" class="export-button" data-testid="export-button" data-export={kind.id()} {onclick}>
                { kind.label() }
            </button>
        }
    });
    html! {
        <section class="exports" data-testid="exports" aria-label="Export">
            <h2 class="exports-title">{ "Export" }</h2>
            <div class="export-buttons">{ for buttons }</div>
            if let Some(message) = (*failed).clone() {
                <p class="export-error" role="status">{ message }</p>
            }
        </section>
    }
}
