//! The playback and run controls: step by event, line or output line,
//! play/pause with speed, a scrubber, Home/End, Ctrl-C and other signals,
//! the seed and the Python version.

use std::rc::Rc;

use threadline_engine::{signal_name, PyVersion, SignalTarget};
use yew::prelude::*;

use crate::share::{copied_message, encode, of_model, page_link};
use crate::signals::{describe_signal, live_processes, target, OFFERED};
use crate::snapshot::{step_number, step_times, StepKind};
use crate::state::{Action, Model, SPEEDS};
use crate::timeline::format_time;

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub model: Rc<Model>,
    pub dispatch: Callback<Action>,
    /// Embed mode: playback and Ctrl-C only (no settings, no link, no help).
    #[prop_or_default]
    pub embed: bool,
}

/// A small inline icon (the system fonts of some machines lack media symbols).
fn icon(name: &str) -> Html {
    let path = match name {
        "home" => "M3 3h2v10H3zM13 3v10L6 8z",
        "back" => "M12 3v10L5 8z",
        "play" => "M4 3v10l9-5z",
        "pause" => "M4 3h3v10H4zM9 3h3v10H9z",
        "forward" => "M4 3v10l7-5z",
        "end" => "M11 3h2v10h-2zM3 3v10l7-5z",
        _ => "",
    };
    html! {
        <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d={path} fill="currentColor" />
        </svg>
    }
}

fn icon_button(name: &str, title: &str, testid: &str, dispatch: &Callback<Action>, action: Action) -> Html {
    button(icon(name), title, testid, dispatch, action)
}

fn button(label: impl Into<Html>, title: &str, testid: &str, dispatch: &Callback<Action>, action: Action) -> Html {
    let dispatch = dispatch.clone();
    html! {
        <button
            type="button"
            class="control"
            title={title.to_string()}
            aria-label={title.to_string()}
            data-testid={testid.to_string()}
            onclick={Callback::from(move |_| dispatch.emit(action.clone()))}
        >
            { label.into() }
        </button>
    }
}

/// "Send SIGTERM / SIGKILL / SIGINT to pid …" at the cursor's time.
#[component(SendSignal)]
fn send_signal(props: &ControlsProps) -> Html {
    let signum = use_state(|| 15);
    let pid = use_state(|| None::<u32>);
    let Some(run) = props.model.last_run.as_ref() else {
        return html! {};
    };
    let live = live_processes(&run.trace, props.model.cursor_ns);
    let chosen = target(*pid, &live);
    let on_signal = {
        let signum = signum.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(n) = select.value().parse() {
                signum.set(n);
            }
        })
    };
    let on_pid = {
        let pid = pid.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            pid.set(select.value().parse().ok());
        })
    };
    let send = {
        let dispatch = props.dispatch.clone();
        let signum = *signum;
        Callback::from(move |_| {
            if let Some(pid) = chosen {
                dispatch.emit(Action::SendSignal {
                    signum,
                    target: SignalTarget::Pid(pid),
                });
            }
        })
    };
    html! {
        <span class="send-signal" data-testid="send-signal">
            <label>
                { "Send " }
                <select data-testid="signal-kind" onchange={on_signal} aria-label="Signal">
                    { for OFFERED.iter().map(|n| html! {
                        <option value={n.to_string()} selected={*n == *signum}>{ signal_name(*n) }</option>
                    }) }
                </select>
            </label>
            <label>
                { " to " }
                <select data-testid="signal-pid" onchange={on_pid} aria-label="Process" disabled={live.is_empty()}>
                    if live.is_empty() {
                        <option value="">{ "no live process" }</option>
                    }
                    { for live.iter().map(|(p, name)| html! {
                        <option value={p.to_string()} selected={Some(*p) == chosen}>{ format!("{p} {name}") }</option>
                    }) }
                </select>
            </label>
            <button type="button" class="control" data-testid="signal-send" onclick={send} disabled={chosen.is_none()}
                title="Send the signal at the cursor's time and run again">
                { "Send" }
            </button>
        </span>
    }
}

/// Which real Pythons this run stands for, beside the version switch, and
/// a side-by-side comparison with the nearest version that behaves otherwise.
fn alike_note(model: &Model, dispatch: &Callback<Action>) -> Html {
    let Some(run) = model.last_run.as_ref() else {
        return html! {};
    };
    let note = crate::status::versions_note(&run.alike).map(|text| {
        html! {
            <span class="python-alike" data-testid="python-alike"
                title="The other modelled versions give this script the same output and exit, at times within 0.15 s">{ text }</span>
        }
    });
    let compare = crate::compare::other_version(run.trace.python, &run.alike)
        .filter(|_| model.compare.is_none())
        .map(|other| {
            button(
                format!("Compare with {}", other.label()),
                "Show this run side by side with the same script under another Python version",
                "compare-button",
                dispatch,
                Action::Compare(Some(other)),
            )
        });
    html! { <>{ for note }{ for compare }</> }
}

#[component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    let model = &props.model;
    let dispatch = &props.dispatch;
    let Some(run) = model.last_run.as_ref() else {
        return html! {};
    };
    let end = run.end_ns;
    let steps = step_times(&run.trace, StepKind::Event);
    let step = step_number(&steps, model.cursor_ns);
    let step_button = |label: &str, title: &str, testid: &str, kind, forward| {
        button(label, title, testid, dispatch, Action::Step { kind, forward })
    };
    let on_scrub = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(t) = input.value().parse::<u64>() {
                dispatch.emit(Action::Seek(t));
            }
        })
    };
    let on_speed = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(speed) = select.value().parse::<f64>() {
                dispatch.emit(Action::SetSpeed(speed));
            }
        })
    };
    let on_python = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Some(python) = PyVersion::parse(&select.value()) {
                crate::storage::set(crate::storage::PYTHON_KEY, python.label());
                dispatch.emit(Action::SetPython(python));
            }
        })
    };
    let on_seed = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            match input.value().trim().parse::<u64>() {
                Ok(seed) => dispatch.emit(Action::SetSeed(seed)),
                Err(_) => dispatch.emit(Action::Tell("The seed must be a whole number from 0.".into())),
            }
        })
    };
    let copy_link = {
        let dispatch = dispatch.clone();
        let fragment = encode(&of_model(model, true));
        Callback::from(move |_| {
            let Some(window) = web_sys::window() else { return };
            let location = window.location();
            let link = page_link(
                &location.origin().unwrap_or_default(),
                &location.pathname().unwrap_or_default(),
                &location.search().unwrap_or_default(),
                &fragment,
            );
            // The clipboard may be refused (no permission, not a secure page):
            // the link is shown either way.
            let _ = window.navigator().clipboard().write_text(&link);
            dispatch.emit(Action::Tell(copied_message(&link)));
        })
    };
    let ctrl_c = button(
        "Ctrl-C",
        "Press Ctrl-C now: SIGINT to the foreground process group (C)",
        "ctrl-c",
        dispatch,
        Action::SendSignal {
            signum: 2,
            target: SignalTarget::Group,
        },
    );
    let play = if model.playing {
        icon_button("pause", "Pause (space)", "pause", dispatch, Action::Pause)
    } else {
        icon_button("play", "Play (space)", "play", dispatch, Action::Play)
    };
    html! {
        <section id="controls" class="controls" data-testid="controls" aria-label="Playback">
            <div class="control-row">
                { icon_button("home", "Start (Home)", "home", dispatch, Action::Home) }
                { icon_button("back", "Previous event (←)", "step-back", dispatch, Action::Step { kind: StepKind::Event, forward: false }) }
                { play }
                { icon_button("forward", "Next event (→)", "step-forward", dispatch, Action::Step { kind: StepKind::Event, forward: true }) }
                { icon_button("end", "End (End)", "end", dispatch, Action::End) }
                { step_button("↓ line", "Next source line (L)", "step-line", StepKind::Line, true) }
                { step_button("↓ output", "Next output line (O)", "step-output", StepKind::Output, true) }
                if props.embed {
                    { ctrl_c.clone() }
                }
                <label class="speed">
                    { "Speed " }
                    <select data-testid="speed" onchange={on_speed}>
                        { for SPEEDS.iter().map(|s| html! {
                            <option value={s.to_string()} selected={*s == model.speed}>{ format!("{s}×") }</option>
                        }) }
                    </select>
                </label>
                <span class="cursor-time" data-testid="cursor-time">
                    { format!("{} / {}", format_time(model.cursor_ns), format_time(end)) }
                    { format!(" · step {step} of {}", steps.len()) }
                </span>
            </div>
            <input
                type="range"
                class="scrubber"
                data-testid="scrubber"
                aria-label="Time"
                min="0"
                max={end.to_string()}
                value={model.cursor_ns.to_string()}
                oninput={on_scrub}
            />
            if !props.embed {
            <div class="control-row">
                { ctrl_c }
                <label>
                    { "Python " }
                    <select data-testid="python" onchange={on_python}>
                        { for PyVersion::ALL.iter().rev().map(|p| html! {
                            <option value={p.label()} selected={*p == model.settings.python}>{ p.label() }</option>
                        }) }
                    </select>
                </label>
                { alike_note(model, dispatch) }
                <label>
                    { "Seed " }
                    <input
                        class="seed"
                        data-testid="seed"
                        inputmode="numeric"
                        size="6"
                        value={model.settings.seed.to_string()}
                        onchange={on_seed}
                    />
                </label>
                { button("Next seed", "Run again with the next seed", "next-seed", dispatch, Action::NextSeed) }
                <SendSignal model={model.clone()} dispatch={dispatch.clone()} />
                <button type="button" class="control" data-testid="copy-link" onclick={copy_link}
                    title="Copy a link to exactly this view (script, settings, signals and cursor)">
                    { "Copy link" }
                </button>
                { button("?", "Keyboard shortcuts (?)", "help-button", dispatch, Action::ToggleHelp) }
            </div>
            }
            if !model.settings.signals.is_empty() {
                <ul class="signals-sent" data-testid="signals-sent" aria-label="Signals sent">
                    { for model.settings.signals.iter().enumerate().map(|(i, s)| html! {
                        <li data-testid="signal-sent">
                            { describe_signal(s) }
                            <button
                                type="button"
                                class="control remove"
                                title="Remove this signal and run again"
                                aria-label={format!("Remove {}", describe_signal(s))}
                                data-testid="remove-signal"
                                onclick={dispatch.reform(move |_| Action::RemoveSignal(i))}
                            >
                                { "×" }
                            </button>
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}
