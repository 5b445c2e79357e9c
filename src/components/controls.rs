//! The playback and run controls: step by event, line or output line,
//! play/pause with speed, a scrubber, Home/End, Ctrl-C and other signals,
//! the seed and the Python version.

use std::rc::Rc;

use threadline_engine::{PyVersion, SignalTarget};
use yew::prelude::*;

use crate::snapshot::{step_number, step_times, StepKind};
use crate::state::{Action, Model, SPEEDS};
use crate::timeline::format_time;

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub model: Rc<Model>,
    pub dispatch: Callback<Action>,
}

fn button(label: &str, title: &str, testid: &str, dispatch: &Callback<Action>, action: Action) -> Html {
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
            { label }
        </button>
    }
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
    let play = if model.playing {
        button("❚❚", "Pause (space)", "pause", dispatch, Action::Pause)
    } else {
        button("▶", "Play (space)", "play", dispatch, Action::Play)
    };
    html! {
        <section id="controls" class="controls" data-testid="controls" aria-label="Playback">
            <div class="control-row">
                { button("⏮", "Start (Home)", "home", dispatch, Action::Home) }
                { step_button("◀", "Previous event (←)", "step-back", StepKind::Event, false) }
                { play }
                { step_button("▶|", "Next event (→)", "step-forward", StepKind::Event, true) }
                { button("⏭", "End (End)", "end", dispatch, Action::End) }
                { step_button("↓ line", "Next source line (L)", "step-line", StepKind::Line, true) }
                { step_button("↓ output", "Next output line (O)", "step-output", StepKind::Output, true) }
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
            <div class="control-row">
                { button(
                    "Ctrl-C",
                    "Press Ctrl-C now: SIGINT to the foreground process group (C)",
                    "ctrl-c",
                    dispatch,
                    Action::SendSignal { signum: 2, target: SignalTarget::Group },
                ) }
                <label>
                    { "Python " }
                    <select data-testid="python" onchange={on_python}>
                        { for [PyVersion::V3_13, PyVersion::V3_12].iter().map(|p| html! {
                            <option value={p.label()} selected={*p == model.settings.python}>{ p.label() }</option>
                        }) }
                    </select>
                </label>
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
            </div>
        </section>
    }
}
