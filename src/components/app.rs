//! The page: header, scenario picker, scenario notes and code, controls,
//! terminal, "Why?" panel, processes, exports and timeline. Holds the one reducer ([`crate::state::Model`]).

use wasm_bindgen::JsValue;
use yew::prelude::*;

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::platform::spawn_local;
use yew::platform::time::sleep;

use crate::components::code_view::CodeView;
use crate::components::compare::Compare;
use crate::components::controls::Controls;
use crate::components::diagnostics::Diagnostics;
use crate::components::explorer_panel::ExplorerPanel;
use crate::components::exports::Exports;
use crate::components::processes::Processes;
use crate::components::scenario_info::ScenarioInfo;
use crate::components::scenario_picker::ScenarioPicker;
use crate::components::terminal::Terminal;
use crate::components::theme_toggle::ThemeToggle;
use crate::components::timeline_view::TimelineView;
use crate::components::why_panel::WhyPanel;
use crate::keys::{action_for, SHORTCUTS};
use crate::share::{self, Panes, EMBED_HEIGHT};
use crate::state::{Action, Model, Restore, Selection, DEFAULT_MY_SCRIPT};

#[derive(Properties, PartialEq, Clone, Default, Debug)]
pub struct AppProps {
    /// Id of the scenario to show first (default: the first bundled one).
    #[prop_or_default]
    pub scenario: Option<AttrValue>,
    /// Start on "My script" with this text instead.
    #[prop_or_default]
    pub my_script: Option<AttrValue>,
    /// Settings from a shared or embed link, applied after the selection.
    #[prop_or_default]
    pub restore: Option<Restore>,
    /// Embed mode: no header or picker, and messages to the embedding page.
    #[prop_or_default]
    pub embed: bool,
    /// A message to show at once (e.g. why a link could not be read).
    #[prop_or_default]
    pub message: Option<AttrValue>,
    /// Embed mode: the player's height in CSS pixels (`height=`).
    #[prop_or_default]
    pub embed_height: Option<u32>,
    /// Embed mode: the panes shown (`panes=`).
    #[prop_or_default]
    pub panes: Panes,
}

impl AppProps {
    /// What a page URL asks for: the query (`?embed=1&scenario=ID&step=N&autoplay=1`)
    /// and the fragment (a share link, or an old `#<scenario id>` / `#my-script`).
    /// `stored` is "My script" as last edited in this browser: an old
    /// `#my-script` link opens it. A link that cannot be read gives the
    /// default view and a message saying why.
    pub fn from_url(query: &str, fragment: &str, stored: Option<String>) -> AppProps {
        let embed = share::parse_query(query);
        let (shared, dropped) = match share::decode_keeping(fragment) {
            Ok(read) => read,
            Err(message) => {
                return AppProps {
                    scenario: embed.scenario.map(AttrValue::from),
                    embed: embed.embed,
                    message: Some(message.into()),
                    embed_height: embed.height,
                    panes: embed.panes.unwrap_or_default(),
                    ..AppProps::default()
                }
            }
        };
        let old_my_script = fragment.trim().trim_start_matches('#') == share::MY_SCRIPT_FRAGMENT;
        let my_script = match (shared.script, old_my_script) {
            (Some(_), true) => Some(stored.unwrap_or_else(|| DEFAULT_MY_SCRIPT.to_string())),
            (script, _) => script,
        };
        let restore = Restore {
            variation: shared.variation,
            seed: shared.seed,
            python: shared.python,
            signals: shared.signals,
            schedule: shared.schedule,
            cursor_ns: shared.cursor_ns,
            step: embed.step,
            autoplay: embed.autoplay,
        };
        AppProps {
            scenario: shared.scenario.or(embed.scenario).map(AttrValue::from),
            my_script: my_script.map(AttrValue::from),
            restore: (restore != Restore::default()).then_some(restore),
            embed: embed.embed,
            // What the link asked for that could not be read; the rest is shown.
            message: (!dropped.is_empty())
                .then(|| format!("Part of the link was left out. {}", dropped.join(" ")).into()),
            embed_height: embed.height,
            panes: embed.panes.unwrap_or_default(),
        }
    }
}

/// The `localStorage` key under which "My script" survives a reload.
pub const MY_SCRIPT_KEY: &str = "threadline.my-script";

/// "My script" as last edited in this browser, if any.
pub fn stored_my_script() -> Option<String> {
    crate::storage::get(MY_SCRIPT_KEY)
}

/// Keeps "My script" across reloads.
fn store_my_script(text: &str) {
    crate::storage::set(MY_SCRIPT_KEY, text);
}

/// Shows `fragment` in the address bar without adding a history entry, so
/// that the page's URL links to what it shows.
fn show_in_url(fragment: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
}

/// Moves the keyboard focus to the player's play (or pause) button: what the
/// skip link does, without changing the address (its fragment is a share link).
fn focus_player(link: Option<web_sys::EventTarget>) {
    let Some(document) = link
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.owner_document())
    else {
        return;
    };
    if let Ok(Some(button)) = document.query_selector("#player [data-testid=play], #player [data-testid=pause]") {
        if let Ok(button) = button.dyn_into::<web_sys::HtmlElement>() {
            let _ = button.focus();
        }
    }
}

/// Whether keys typed into `target` belong to it (a text field, a select).
fn is_text_entry(target: Option<web_sys::EventTarget>) -> bool {
    let Some(element) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    matches!(element.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT")
        || element.get_attribute("contenteditable").is_some()
}

/// Whether `target` is a button, which Space and Enter press.
fn is_button(target: Option<web_sys::EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| matches!(e.tag_name().as_str(), "BUTTON" | "SUMMARY" | "A"))
}

/// The page-wide keyboard shortcuts ([`crate::keys`]).
#[hook]
fn use_shortcuts(dispatch: Callback<Action>, speed: f64) {
    use_effect_with(speed, move |speed| {
        let speed = *speed;
        let listener = web_sys::window().map(|window| {
            // Not passive: a shortcut's key must not also scroll the page.
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&window, "keydown", options, move |event| {
                let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                if event.ctrl_key()
                    || event.meta_key()
                    || event.alt_key()
                    || event.default_prevented()
                    || is_text_entry(event.target())
                    || (is_button(event.target()) && matches!(event.key().as_str(), " " | "Enter"))
                {
                    return;
                }
                if let Some(action) = action_for(&event.key(), event.shift_key(), speed) {
                    event.prevent_default();
                    dispatch.emit(action);
                }
            })
        });
        move || drop(listener)
    });
}

/// While `playing`, moves the cursor with real time (an animation loop of
/// `Tick`s); stops when playing stops or the page goes away.
#[hook]
fn use_playback(dispatch: Callback<Action>, playing: bool) {
    use_effect_with(playing, move |playing| {
        let alive = Rc::new(Cell::new(*playing));
        if *playing {
            let alive = alive.clone();
            spawn_local(async move {
                let mut last = js_sys::Date::now();
                while alive.get() {
                    sleep(Duration::from_millis(33)).await;
                    if !alive.get() {
                        break;
                    }
                    let now = js_sys::Date::now();
                    dispatch.emit(Action::Tick { real_ms: now - last });
                    last = now;
                }
            });
        }
        move || alive.set(false)
    });
}

/// Posts a message to the page that embeds this one (nothing when not framed).
fn post_to_parent(message: &serde_json::Value) {
    let Some(window) = web_sys::window() else { return };
    let Ok(Some(parent)) = window.parent() else { return };
    if parent == window {
        return;
    }
    if let Ok(value) = js_sys::JSON::parse(&message.to_string()) {
        let _ = parent.post_message(&value, "*");
    }
}

/// Embed mode: `ready` once, `step`/`finished` when the cursor or the run
/// changes, and `resize` after every render whose height changed.
#[hook]
fn use_embed_messages(model: &UseReducerHandle<Model>, embed: bool) {
    let last_height = use_mut_ref(|| 0);
    {
        let model = model.clone();
        use_effect_with(embed, move |embed| {
            if *embed {
                post_to_parent(&crate::embed::ready(&model));
            }
        });
    }
    {
        let model = model.clone();
        let serial = model.last_run.as_ref().map_or(0, |r| r.serial);
        use_effect_with((embed, serial, model.cursor_ns), move |(embed, _, _)| {
            if *embed {
                for message in crate::embed::cursor_moved(&model) {
                    post_to_parent(&message);
                }
            }
        });
    }
    use_effect(move || {
        if embed {
            // The player's own height (fixed in embed mode, whatever it shows).
            let height = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("app"))
                .map_or(0, |e| e.get_bounding_client_rect().height().ceil() as i32);
            if height != *last_height.borrow() {
                *last_height.borrow_mut() = height;
                post_to_parent(&crate::embed::resize(height));
            }
        }
    });
}

#[component(App)]
pub fn app(props: &AppProps) -> Html {
    let model = {
        let props = props.clone();
        use_reducer(move || {
            let scenarios = threadline_engine::scenarios::all();
            // A first visit starts where the guided path starts.
            let first = threadline_engine::scenarios::guided_path()
                .first()
                .and_then(|step| Model::scenario_index(&scenarios, &step.id))
                .map(Selection::Scenario)
                .or_else(|| (!scenarios.is_empty()).then_some(Selection::Scenario(0)))
                .unwrap_or(Selection::MyScript);
            let selection = match (&props.my_script, &props.scenario) {
                (Some(_), _) => Selection::MyScript,
                // An unknown id (an old link, say) shows the first one too.
                (None, Some(id)) => Model::scenario_index(&scenarios, id).map_or(first, Selection::Scenario),
                (None, None) => first,
            };
            let my_script = props.my_script.as_deref().unwrap_or(DEFAULT_MY_SCRIPT).to_string();
            let unknown = match (&props.my_script, &props.scenario) {
                (None, Some(id)) if Model::scenario_index(&scenarios, id).is_none() => Some(format!(
                    "There is no scenario \"{id}\" (the link may be old); showing the first one."
                )),
                _ => None,
            };
            let mut model = Model::new(scenarios, my_script, selection);
            // The Python chosen on an earlier visit; a link's own choice comes after.
            if let Some(python) =
                crate::storage::get(crate::storage::PYTHON_KEY).and_then(|p| threadline_engine::PyVersion::parse(&p))
            {
                if python != model.settings.python {
                    model.apply(Action::SetPython(python));
                }
            }
            if let Some(restore) = props.restore.clone() {
                model.apply(Action::Restore(restore));
            }
            if let Some(message) = props.message.as_deref().map(str::to_string).or(unknown) {
                model.apply(Action::Tell(message));
            }
            model
        })
    };

    let dispatch = {
        let model = model.dispatcher();
        Callback::from(move |action: Action| model.dispatch(action))
    };
    use_shortcuts(dispatch.clone(), model.speed);
    use_playback(dispatch.clone(), model.playing);
    use_embed_messages(&model, props.embed);
    let on_select = {
        let model = model.dispatcher();
        Callback::from(move |selection| model.dispatch(Action::Select(selection)))
    };
    // The address bar links to what is shown (not in embed mode: the
    // embedding page owns the frame's address).
    {
        let model = model.clone();
        let serial = model.last_run.as_ref().map_or(0, |r| r.serial);
        use_effect_with((props.embed, serial), move |(embed, _)| {
            if !*embed {
                show_in_url(&share::encode(&share::of_model(&model, false)));
            }
        });
    }
    let on_edit = {
        let model = model.dispatcher();
        Callback::from(move |text: String| {
            store_my_script(&text);
            model.dispatch(Action::EditMyScript(text))
        })
    };
    let on_run = {
        let model = model.dispatcher();
        Callback::from(move |()| model.dispatch(Action::Run))
    };
    let on_variation = {
        let model = model.dispatcher();
        Callback::from(move |v| model.dispatch(Action::SelectVariation(v)))
    };
    let on_seek = {
        let model = model.dispatcher();
        Callback::from(move |t| model.dispatch(Action::Seek(t)))
    };
    let cursor_ns = model.cursor_ns;

    let embed = props.embed;
    let script_header = match model.selection {
        Selection::Scenario(index) => html! {
            <ScenarioInfo
                scenarios={model.scenarios.clone()}
                {index}
                variation={model.variation}
                {on_variation}
                on_select={on_select.clone()}
                compact={embed}
            />
        },
        Selection::MyScript => html! {
            <header class="pane-header scenario-info">
                <div class="info-top">
                    <h2 data-testid="script-title">{ "My script" }</h2>
                </div>
                if !embed {
                    <p class="notice">{ "Write or paste a script: it runs again a moment after you stop typing (Ctrl+Enter runs it at once). It is kept in this browser." }</p>
                }
            </header>
        },
    };
    // Embed mode shows the panes the link asks for, in a player of fixed height.
    let panes = if embed { props.panes } else { Panes::default() };
    let player_style = embed.then(|| format!("--player-height: {}px", props.embed_height.unwrap_or(EMBED_HEIGHT)));
    let skip = Callback::from(|event: MouseEvent| {
        event.prevent_default();
        focus_player(event.target());
    });

    html! {
        <div id="app" class={classes!("app", embed.then_some("embed"))} style={player_style}>
            if !embed {
                <a class="skip-link" href="#player" onclick={skip}>{ "Skip to the player" }</a>
                <header id="app-header" class="app-header">
                    <h1 data-testid="app-title">{ "Threadline" }</h1>
                    <p class="tagline">{ "How CPython runs threads, processes and signals, step by step, in a simulated run." }</p>
                    <ThemeToggle />
                </header>
            }
            if let Some(message) = model.message.clone() {
                <div class="message" role="alert" data-testid="message">
                    <span>{ message }</span>
                    <button type="button" class="control" onclick={dispatch.reform(|_| Action::DismissMessage)}>{ "Dismiss" }</button>
                </div>
            }
            if model.help_open {
                <div class="help-overlay" role="dialog" aria-modal="true" aria-labelledby="help-title"
                    data-testid="help" onclick={dispatch.reform(|_| Action::CloseHelp)}>
                    <div class="help-box" onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                        <h2 id="help-title">{ "Keyboard shortcuts" }</h2>
                        <dl>
                            { for SHORTCUTS.iter().map(|(keys, what)| html! {
                                <>
                                    <dt><kbd>{ *keys }</kbd></dt>
                                    <dd>{ *what }</dd>
                                </>
                            }) }
                        </dl>
                        <button type="button" class="control" onclick={dispatch.reform(|_| Action::CloseHelp)}>
                            { "Close" }
                        </button>
                    </div>
                </div>
            }
            <main class="layout">
                if embed {
                    <h1 class="visually-hidden">{ "Threadline player" }</h1>
                }
                if !embed {
                    <aside id="picker-pane" class="pane picker-pane" aria-label="Scenario library">
                        <ScenarioPicker
                            scenarios={model.scenarios.clone()}
                            selection={model.selection}
                            {on_select}
                        />
                    </aside>
                }
                <div id="player" class="player" data-testid="player">
                    <section id="info-pane" class="pane info-pane" aria-label="About this script">
                        { script_header }
                    </section>
                    if panes.code || panes.terminal {
                        <div class={classes!("work", (!(panes.code && panes.terminal)).then_some("single"))}>
                            if panes.code {
                                <section id="script-pane" class="pane script-pane" data-testid="script-pane" aria-label="Code">
                                    <CodeView
                                        source={AttrValue::from(model.source().to_string())}
                                        run={model.last_run.clone()}
                                        frame={model.frame.clone()}
                                        editable={model.selection == Selection::MyScript && !embed}
                                        {on_edit}
                                        {on_run}
                                    />
                                </section>
                            }
                            if panes.terminal {
                                <section id="run-pane" class="pane run-pane" tabindex="0" aria-label="Output and explanation">
                                    if let Some(run) = model.last_run.clone() {
                                        <Diagnostics run={run.clone()} />
                                        <Terminal run={run.clone()} frame={model.frame.clone()} />
                                        if !embed {
                                            <WhyPanel {run} frame={model.frame.clone()} />
                                        }
                                    }
                                </section>
                            }
                        </div>
                    }
                    if panes.timeline {
                        <section id="timeline-pane" class="pane timeline-pane" aria-label="Timeline">
                            if let Some(run) = model.last_run.clone() {
                                <TimelineView {run} {cursor_ns} on_seek={on_seek.clone()} />
                            }
                        </section>
                    }
                    <section id="controls-pane" class="pane controls-pane" aria-label="Controls">
                        <Controls model={Rc::new((*model).clone())} dispatch={dispatch.clone()} {embed} />
                    </section>
                </div>
                if let (Some(run), Some(other)) = (model.last_run.clone(), model.compare.clone()) {
                    <Compare {run} {other} {cursor_ns} on_seek={on_seek.clone()} dispatch={dispatch.clone()} />
                }
                if !embed {
                    <section id="details-pane" class="pane details-pane" aria-label="Processes and exports">
                        if let Some(run) = model.last_run.clone() {
                            <Processes run={run.clone()} frame={model.frame.clone()} />
                            <Exports {run} />
                        }
                    </section>
                    <section id="explore-pane" class="pane explore-pane" aria-label="Outcomes">
                        if let Some(run) = model.last_run.clone() {
                            <ExplorerPanel
                                {run}
                                schedule={model.settings.schedule.clone()}
                                explore={model.explore.clone()}
                                dispatch={dispatch.clone()}
                            />
                        }
                    </section>
                }
            </main>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_names_a_scenario_my_script_or_an_embed() {
        assert_eq!(AppProps::from_url("", "", None), AppProps::default());
        assert_eq!(AppProps::from_url("", "#", None), AppProps::default());
        let old = AppProps::from_url("", "#daemon-join", None);
        assert_eq!(old.scenario.as_deref(), Some("daemon-join"));
        assert_eq!(old.restore, None);
        let mine = AppProps::from_url("", "#my-script", None);
        assert_eq!(mine.my_script.as_deref(), Some(DEFAULT_MY_SCRIPT));
        let kept = AppProps::from_url("", "#my-script", Some("x = 1\n".into()));
        assert_eq!(
            kept.my_script.as_deref(),
            Some("x = 1\n"),
            "the stored script comes back"
        );
        let embed = AppProps::from_url("?embed=1&scenario=daemon-join&step=3&autoplay=1", "", None);
        assert!(embed.embed);
        assert_eq!(embed.scenario.as_deref(), Some("daemon-join"));
        let restore = embed.restore.expect("a step and autoplay");
        assert_eq!((restore.step, restore.autoplay), (Some(3), true));
        let shared = share::Shared {
            script: Some("print(1)\n".into()),
            seed: Some(4),
            cursor_ns: Some(7),
            ..share::Shared::default()
        };
        let link = AppProps::from_url("", &format!("#{}", share::encode(&shared)), Some("stored\n".into()));
        assert_eq!(link.my_script.as_deref(), Some("print(1)\n"), "a link's script wins");
        let restore = link.restore.expect("settings");
        assert_eq!((restore.seed, restore.cursor_ns), (Some(4), Some(7)));
        let bad = AppProps::from_url("", "#s=x&seed=many&t=5", None);
        assert!(bad.message.as_deref().unwrap_or("").contains("seed"), "{bad:?}");
        assert_eq!(bad.scenario.as_deref(), Some("x"), "what is valid is kept");
        assert_eq!(bad.restore.map(|r| (r.seed, r.cursor_ns)), Some((None, Some(5))));
        let unreadable = AppProps::from_url("", "#s=x&code=zz", None);
        assert!(unreadable.message.is_some());
    }
}
