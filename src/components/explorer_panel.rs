//! "Explore outcomes": runs the script under many schedules in short slices
//! (the page never freezes), lists the distinct outcomes with how many
//! schedules reached each, and loads one onto the timeline. Below, the run's
//! choice points, each with "what if" buttons that flip it.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use threadline_engine::explore::{ExploreOptions, Explorer, OutcomeGroup};
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

use crate::choices::{alternatives, describe, flip, DEFAULT_SCHEDULE};
use crate::state::RunResult;

/// Schedules tried at most by the quick search (the explorer also stops when
/// every schedule within its preemption bound has run).
pub const MAX_SCHEDULES: u64 = 5_000;
/// Schedules tried at most by the search for every schedule (about half a
/// minute in a browser; Stop ends it sooner).
pub const MAX_SCHEDULES_EVERY: u64 = 100_000;
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
    /// Replay this schedule (None: back to the default run).
    pub on_load: Callback<Option<String>>,
}

/// How far the search goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Search {
    /// Schedules with at most this many non-default choices (sleep sets).
    #[default]
    Bounded,
    /// Every schedule, pruned by DPOR.
    Every,
}

/// The preemption bound of the quick search.
pub const QUICK_BOUND: u32 = 2;

impl Search {
    pub fn options(self) -> ExploreOptions {
        let (max_schedules, preemption_bound) = match self {
            Search::Bounded => (MAX_SCHEDULES, Some(QUICK_BOUND)),
            Search::Every => (MAX_SCHEDULES_EVERY, None),
        };
        ExploreOptions {
            max_schedules,
            preemption_bound,
            ..ExploreOptions::default()
        }
    }

    fn value(self) -> &'static str {
        match self {
            Search::Bounded => "bounded",
            Search::Every => "every",
        }
    }

    /// What a finished search covered.
    fn covered(self) -> String {
        match self {
            Search::Bounded => format!("every schedule with at most {QUICK_BOUND} preemptions"),
            Search::Every => "every schedule".to_string(),
        }
    }
}

/// Where an exploration stands.
#[derive(Clone, Debug, PartialEq, Default)]
struct Progress {
    running: bool,
    /// An exploration was started (and may have been stopped before its first schedule ended).
    started: bool,
    /// The search that found what is listed.
    search: Search,
    schedules: u64,
    complete: bool,
    outcomes: Vec<OutcomeGroup>,
    /// The serial of the run explored.
    serial: u64,
    error: Option<String>,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// One line summing up an outcome: its stdout (shortened), exit and deadlock.
pub fn outcome_summary(o: &OutcomeGroup) -> String {
    let mut parts = Vec::new();
    if o.deadlock {
        parts.push("deadlock".to_string());
    } else if o.still_running {
        parts.push("still running".to_string());
    } else if let Some(code) = o.exit_code {
        parts.push(format!("exit {code}"));
    }
    let out = o.stdout.join(" ⏎ ");
    if !out.is_empty() {
        parts.push(crate::timeline::shorten(&out, 90));
    }
    parts.join(" · ")
}

/// What the page asks of a running exploration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Request {
    Continue,
    /// The learner pressed Stop: keep what was found.
    Stop,
    /// The script or settings changed: drop it.
    Abandon,
}

#[component(ExplorerPanel)]
pub fn explorer_panel(props: &ExplorerPanelProps) -> Html {
    let progress = use_state(Progress::default);
    // The request flag of the exploration in progress (each has its own).
    let request = use_mut_ref(|| Rc::new(Cell::new(Request::Abandon)));
    let serial = props.run.serial;
    let search = use_state(Search::default);

    // A new script or new settings: what was explored no longer applies.
    {
        let progress = progress.clone();
        let request = request.clone();
        let key = (
            props.run.source.clone(),
            props.run.options.seed,
            props.run.options.python,
            props.run.options.signals.clone(),
        );
        use_effect_with(key, move |_| {
            request.borrow().set(Request::Abandon);
            progress.set(Progress::default());
        });
    }

    let start = {
        let progress = progress.clone();
        let request = request.clone();
        let run = props.run.clone();
        let search = *search;
        Callback::from(move |_| {
            let mut base = run.options.clone();
            base.schedule = None;
            let mut explorer = match Explorer::new(&run.source, &base, search.options()) {
                Ok(e) => e,
                Err(_) => {
                    progress.set(Progress {
                        error: Some("The script has problems (see the diagnostics); fix them first.".into()),
                        serial,
                        ..Progress::default()
                    });
                    return;
                }
            };
            request.borrow().set(Request::Abandon);
            let flag = Rc::new(Cell::new(Request::Continue));
            *request.borrow_mut() = flag.clone();
            progress.set(Progress {
                running: true,
                started: true,
                search,
                serial,
                ..Progress::default()
            });
            let progress = progress.clone();
            spawn_local(async move {
                loop {
                    let slice_end = now_ms() + SLICE_MS;
                    let mut more = true;
                    while more && flag.get() == Request::Continue && now_ms() < slice_end {
                        more = explorer.advance(STEP_INSTRUCTIONS);
                    }
                    if flag.get() == Request::Abandon {
                        return;
                    }
                    let running = more && flag.get() == Request::Continue;
                    let report = explorer.report();
                    progress.set(Progress {
                        running,
                        started: true,
                        search,
                        schedules: report.schedules,
                        complete: report.complete,
                        outcomes: report.outcomes,
                        serial,
                        error: None,
                    });
                    if !running {
                        return;
                    }
                    // Let the page draw and handle input before the next slice.
                    sleep(Duration::from_millis(0)).await;
                }
            });
        })
    };
    let choose_search = {
        let search = search.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            search.set(if value == Search::Every.value() {
                Search::Every
            } else {
                Search::Bounded
            });
        })
    };
    let stop = {
        let request = request.clone();
        Callback::from(move |_| request.borrow().set(Request::Stop))
    };

    let trace = &props.run.trace;
    let on_load = props.on_load.clone();
    let show_choices = {
        let on_load = on_load.clone();
        Callback::from(move |_| on_load.emit(Some(DEFAULT_SCHEDULE.to_string())))
    };
    let p = &*progress;
    let status = if p.running {
        format!(
            "Exploring… {} schedules, {} outcomes so far",
            p.schedules,
            p.outcomes.len()
        )
    } else if p.schedules > 0 {
        let how = if p.complete {
            p.search.covered()
        } else {
            "stopped before every schedule was tried".to_string()
        };
        format!(
            "{} schedules ({how}): {} distinct outcomes",
            p.schedules,
            p.outcomes.len()
        )
    } else if p.started {
        "Stopped before the first schedule ended.".to_string()
    } else {
        String::new()
    };

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
                    <button type="button" class="control" data-testid="explore" onclick={start}>{ "Explore outcomes" }</button>
                }
                <label class="explore-search">
                    { "Search " }
                    <select data-testid="explore-search" onchange={choose_search} disabled={p.running}>
                        <option value={Search::Bounded.value()} selected={*search == Search::Bounded}>
                            { format!("up to {QUICK_BOUND} preemptions (quick)") }
                        </option>
                        <option value={Search::Every.value()} selected={*search == Search::Every}>
                            { "every schedule (DPOR)" }
                        </option>
                    </select>
                </label>
                if props.schedule.is_some() {
                    <button type="button" class="control" data-testid="explore-default"
                        onclick={on_load.reform(|_| None)}>{ "Back to the default run" }</button>
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
                    { for p.outcomes.iter().enumerate().map(|(i, o)| {
                        let loaded = props.schedule.as_deref() == Some(o.schedule.as_str())
                            || (i == 0 && props.schedule.is_none());
                        let schedule = o.schedule.clone();
                        let load = on_load.reform(move |_| Some(schedule.clone()));
                        html! {
                            <li class={classes!("outcome", loaded.then_some("loaded"))} data-testid="outcome">
                                <span class="outcome-count">{ format!("{}×", o.count) }</span>
                                <span class="outcome-summary">{ outcome_summary(o) }</span>
                                if let Some(d) = &o.differs {
                                    <span class="outcome-differs">{ format!(" — {d}") }</span>
                                } else {
                                    <span class="outcome-differs">{ " — the default run" }</span>
                                }
                                <button type="button" class="control" data-testid="outcome-load" onclick={load}
                                    aria-pressed={loaded.to_string()}>{ "Show" }</button>
                                <code class="schedule">{ &o.schedule }</code>
                            </li>
                        }
                    }) }
                </ol>
            }
            <details class="choice-points" data-testid="choice-points">
                <summary>{ format!("Choice points ({})", trace.choices.len()) }</summary>
                if trace.choices.is_empty() {
                    <p>
                        { "The default run records no choice points. " }
                        <button type="button" class="control" data-testid="show-choices" onclick={show_choices}>
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
                                    let load = on_load.reform(move |_| Some(schedule.clone()));
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
        </section>
    }
}
