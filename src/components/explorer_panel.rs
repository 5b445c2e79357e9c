//! "Explore outcomes": runs the script under many schedules in short slices
//! (the page never freezes), lists the distinct outcomes with how many
//! schedules reached each, and loads one onto the timeline. Below, the run's
//! choice points, each with "what if" buttons that flip it.
//!
//! The state is the model's ([`crate::explorer`]); this component draws it
//! and drives the engine's explorer, one slice at a time, reporting after each.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use threadline_engine::{Explorer, OutcomeGroup};
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

use crate::choices::{alternatives, describe, flip, DEFAULT_SCHEDULE};
use crate::explorer::{is_loaded, outcome_differs, outcome_summary, Exploration, ExploreAction, Search};
use crate::state::{Action, RunResult};

/// Milliseconds of work per slice before the page gets to draw and react.
const SLICE_MS: f64 = 30.0;
/// Simulated instructions between two looks at the clock (a millisecond or
/// two): a long run pauses there and goes on in the next slice.
const STEP_INSTRUCTIONS: u64 = 20_000;
/// Choice points listed at most (a long run can have thousands).
const MAX_LISTED_CHOICES: usize = 200;

#[derive(Properties, PartialEq)]
pub struct ExplorerPanelProps {
    pub run: Rc<RunResult>,
    /// The schedule the page replays now (None: the default one).
    pub schedule: Option<String>,
    /// The model's explorer state.
    pub explore: Exploration,
    pub dispatch: Callback<Action>,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The explorer state as last drawn, with what the slice loop reported
/// since: read by the loop between slices (a Stop or a new run reaches it
/// when drawn).
type Latest = Rc<RefCell<Exploration>>;

/// Sends `action` to the model, and applies it to `latest` at once.
fn emit(latest: &Latest, dispatch: &Callback<Action>, action: ExploreAction) {
    latest.borrow_mut().apply(action.clone());
    dispatch.emit(Action::Explore(action));
}

/// Runs `explorer` in slices, reporting each as exploration `generation`,
/// while the latest state lets it go on.
fn run_slices(mut explorer: Explorer, generation: u64, latest: Latest, dispatch: Callback<Action>) {
    spawn_local(async move {
        loop {
            let slice_end = now_ms() + SLICE_MS;
            let mut more = true;
            while more && now_ms() < slice_end {
                more = explorer.advance(STEP_INSTRUCTIONS);
            }
            if latest.borrow().generation != generation {
                return; // a new script, settings or exploration
            }
            let report = explorer.report();
            let report = ExploreAction::Report {
                generation,
                schedules: report.schedules,
                complete: report.complete,
                outcomes: report.outcomes,
                more,
            };
            emit(&latest, &dispatch, report);
            if !latest.borrow().goes_on(generation) {
                return;
            }
            // Let the page draw and handle input before the next slice.
            sleep(Duration::from_millis(0)).await;
        }
    });
}

/// "Explore outcomes": a new exploration of the run's script and settings.
fn start(run: Rc<RunResult>, latest: Latest, dispatch: Callback<Action>) -> Callback<MouseEvent> {
    Callback::from(move |_| {
        let mut base = run.options.clone();
        base.schedule = None;
        let search = latest.borrow().search;
        let Ok(explorer) = Explorer::new(&run.source, &base, search.options()) else {
            dispatch.emit(Action::Explore(ExploreAction::Refused));
            return;
        };
        let generation = latest.borrow().next_generation();
        emit(&latest, &dispatch, ExploreAction::Started { generation });
        run_slices(explorer, generation, latest.clone(), dispatch.clone());
    })
}

fn outcome_item(i: usize, o: &OutcomeGroup, schedule: Option<&str>, dispatch: &Callback<Action>) -> Html {
    let loaded = is_loaded(schedule, i, o);
    let chosen = o.schedule.clone();
    let load = dispatch.reform(move |_| Action::SetSchedule(Some(chosen.clone())));
    html! {
        <li class={classes!("outcome", loaded.then_some("loaded"))} data-testid="outcome">
            <span class="outcome-count">{ format!("{}×", o.count) }</span>
            <span class="outcome-summary">{ outcome_summary(o) }</span>
            <span class="outcome-differs">{ outcome_differs(o) }</span>
            <button type="button" class="control" data-testid="outcome-load" onclick={load}
                aria-pressed={loaded.to_string()}>{ "Show" }</button>
            <code class="schedule">{ &o.schedule }</code>
        </li>
    }
}

/// The run's choice points, each with a button per other option.
fn choice_points(run: &RunResult, dispatch: &Callback<Action>) -> Html {
    let trace = &run.trace;
    let record = dispatch.reform(|_| Action::SetSchedule(Some(DEFAULT_SCHEDULE.to_string())));
    html! {
        <details class="choice-points" data-testid="choice-points">
            <summary>{ format!("Choice points ({})", trace.choices.len()) }</summary>
            if trace.choices.is_empty() {
                <p>
                    { "The default run records no choice points. " }
                    <button type="button" class="control" data-testid="show-choices" onclick={record}>
                        { "Record them" }
                    </button>
                </p>
            } else {
                <ol class="choices">
                    { for trace.choices.iter().take(MAX_LISTED_CHOICES).enumerate().map(|(i, c)| html! {
                        <li data-testid="choice">
                            <span>{ describe(trace, c) }</span>
                            { for alternatives(trace, c).into_iter().filter_map(|(option, label)| {
                                let schedule = flip(trace, i, option)?;
                                let load = dispatch.reform(move |_| Action::SetSchedule(Some(schedule.clone())));
                                Some(html! {
                                    <button type="button" class="control what-if" data-testid="flip" onclick={load}>
                                        { format!("What if: {label}") }
                                    </button>
                                })
                            }) }
                        </li>
                    }) }
                </ol>
                if trace.choices.len() > MAX_LISTED_CHOICES {
                    <p>{ format!("… and {} more.", trace.choices.len() - MAX_LISTED_CHOICES) }</p>
                }
            }
        </details>
    }
}

#[component(ExplorerPanel)]
pub fn explorer_panel(props: &ExplorerPanelProps) -> Html {
    let latest: Latest = use_mut_ref(Exploration::default);
    if props.explore.generation >= latest.borrow().generation {
        *latest.borrow_mut() = props.explore.clone();
    }
    let dispatch = &props.dispatch;
    let stop = dispatch.reform(|_| Action::Explore(ExploreAction::Stop));
    let choose_search = dispatch.reform(|e: Event| {
        let value = e
            .target_dyn_into::<web_sys::HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default();
        Action::Explore(ExploreAction::ChooseSearch(Search::from_value(&value)))
    });
    let p = &props.explore.progress;
    let status = p.status();
    let schedule = props.schedule.as_deref();

    html! {
        <section id="explorer" class="explorer" data-testid="explorer">
            <h2>{ "Outcomes" }</h2>
            <p class="explorer-intro">
                { "One run hides races. Explore tries other thread interleavings and timings and groups the runs by what they print and how they end." }
            </p>
            <div class="control-row">
                if p.running {
                    <button type="button" class="control" data-testid="explore-cancel" onclick={stop}>{ "Stop" }</button>
                } else {
                    <button type="button" class="control" data-testid="explore"
                        onclick={start(props.run.clone(), latest.clone(), dispatch.clone())}>{ "Explore outcomes" }</button>
                }
                <label class="explore-search">
                    { "Search " }
                    <select data-testid="explore-search" onchange={choose_search} disabled={p.running}>
                        { for Search::ALL.iter().map(|s| html! {
                            <option value={s.value()} selected={*s == props.explore.search}>{ s.label() }</option>
                        }) }
                    </select>
                </label>
                if props.schedule.is_some() {
                    <button type="button" class="control" data-testid="explore-default"
                        onclick={dispatch.reform(|_| Action::SetSchedule(None))}>{ "Back to the default run" }</button>
                }
            </div>
            if let Some(error) = &p.error {
                <p class="explorer-error" role="alert">{ error }</p>
            }
            if !status.is_empty() {
                <p class="explorer-status" data-testid="explore-status" aria-live="polite">{ status }</p>
            }
            if !p.outcomes.is_empty() {
                <ol class="outcomes" data-testid="outcomes">
                    { for p.outcomes.iter().enumerate().map(|(i, o)| outcome_item(i, o, schedule, dispatch)) }
                </ol>
            }
            { choice_points(&props.run, dispatch) }
        </section>
    }
}
