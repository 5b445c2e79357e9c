//! About the selected scenario, as a short header: its title, where it
//! stands on the guided path, and the start of what to notice; "more" shows
//! the rest (the whole notice, the note where the article and CPython
//! disagree, its "try this" variations). Compact (embed mode): the title only.

use std::rc::Rc;

use threadline_engine::scenarios::{guided_path, PathStep, Scenario};
use yew::prelude::*;

use crate::library::{path_entries, path_position};
use crate::state::Selection;

#[derive(Properties, PartialEq)]
pub struct ScenarioInfoProps {
    pub scenarios: Rc<Vec<Scenario>>,
    /// Which of `scenarios` is shown.
    pub index: usize,
    /// The selected variation (index into `meta.try_this`).
    pub variation: Option<usize>,
    pub on_variation: Callback<Option<usize>>,
    /// Go to another scenario (the next one on the guided path).
    #[prop_or_default]
    pub on_select: Callback<Selection>,
    /// The title line only (embed mode).
    #[prop_or_default]
    pub compact: bool,
}

#[component(ScenarioInfo)]
pub fn scenario_info(props: &ScenarioInfoProps) -> Html {
    let path: Rc<Vec<PathStep>> = use_memo((), |_| guided_path());
    let open = use_state(|| false);
    let Some(scenario) = props.scenarios.get(props.index) else {
        return html! {};
    };
    let meta = &scenario.meta;
    let variation = props.variation.and_then(|v| meta.try_this.get(v));
    let notice = variation
        .and_then(|v| v.notice.as_deref())
        .unwrap_or(meta.notice.as_str());

    let entries = path_entries(&path, &props.scenarios);
    let position = path_position(&entries, props.index);

    let variations = (!meta.try_this.is_empty()).then(|| {
        html! {
            <section class="try-this" data-testid="try-this" aria-label="Try this">
                <h3 class="info-label">{ "Try this" }</h3>
                <div class="variation-buttons">
                    { for meta.try_this.iter().enumerate().map(|(i, v)| {
                        let selected = props.variation == Some(i);
                        html! {
                            <button
                                type="button"
                                class={classes!("variation-button", selected.then_some("selected"))}
                                data-testid="variation-button"
                                data-variation={v.id.clone()}
                                aria-pressed={selected.to_string()}
                                onclick={props.on_variation.reform(move |_: MouseEvent| Some(i))}
                            >
                                { &v.label }
                            </button>
                        }
                    }) }
                    if props.variation.is_some() {
                        <button
                            type="button"
                            class="variation-original"
                            data-testid="variation-original"
                            onclick={props.on_variation.reform(|_: MouseEvent| None)}
                        >
                            { "↩ Back to the original" }
                        </button>
                    }
                </div>
            </section>
        }
    });

    let path_nav = position.map(|p| {
        html! {
            <nav class="path-nav" data-testid="path-nav" aria-label="Guided path">
                <span class="path-step">
                    { format!("Start here · step {} of {}", p.current.number, p.total) }
                </span>
                if let Some(next) = p.next {
                    <button
                        type="button"
                        class="path-next"
                        data-testid="path-next"
                        data-scenario-id={next.scenario.meta.id.clone()}
                        title={format!("Next: {}", next.scenario.meta.title)}
                        onclick={props.on_select.reform(move |_: MouseEvent| Selection::Scenario(next.index))}
                    >
                        { "Next →" }
                    </button>
                    <p class="path-transition" hidden={!*open}>
                        { format!("Next: {}. {}", next.scenario.meta.title, next.transition) }
                    </p>
                } else {
                    <p class="path-transition" hidden={!*open}>
                        { "This is the end of the guided path: the library holds many more." }
                    </p>
                }
            </nav>
        }
    });
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };

    html! {
        <header class={classes!("pane-header", "scenario-info", open.then_some("open"))}>
            <div class="info-top">
                <h2 data-testid="script-title">{ &meta.title }</h2>
                if let Some(v) = variation {
                    <span class="info-variation">
                        { "variation: " }<span data-testid="variation-label">{ &v.label }</span>
                    </span>
                }
                if !props.compact {
                    { for path_nav }
                    <button
                        type="button"
                        class="more-toggle"
                        data-testid="info-more"
                        aria-expanded={open.to_string()}
                        aria-controls="scenario-more"
                        onclick={toggle}
                    >
                        { if *open { "less" } else { "more" } }
                    </button>
                }
            </div>
            if !props.compact {
                if !notice.is_empty() {
                    <p class="notice" data-testid="scenario-notice">{ notice }</p>
                }
                <div id="scenario-more" class="info-more" hidden={!*open}>
                    if let Some(note) = meta.article_note.as_deref().filter(|n| !n.trim().is_empty()) {
                        <aside class="article-note" data-testid="article-note" aria-label="The article and CPython">
                            <h3 class="info-label">{ "The article says… CPython does…" }</h3>
                            <p>{ note }</p>
                        </aside>
                    }
                    { for variations }
                    <p class="scenario-meta">{ "Scenario " }<code>{ &meta.id }</code></p>
                </div>
            }
        </header>
    }
}
