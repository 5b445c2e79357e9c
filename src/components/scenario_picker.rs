//! The scenario library: the guided path ("Start here") first, then the
//! bundled scenarios grouped by source article or topic, then "My script",
//! with a search box. The whole picker and each group fold away
//! (`<details>`); on a narrow screen the picker starts folded.

use std::collections::HashMap;
use std::rc::Rc;

use threadline_engine::scenarios::{guided_path, PathStep, Scenario};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::library::{first_sentence, match_count_text, matches, path_entries, picker_groups, Group, PathEntry};
use crate::state::Selection;

/// Below this width the picker stacks above the script (static/style.css).
const WIDE: &str = "(min-width: 900px)";

fn is_wide() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media(WIDE).ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Whether the window that shows `element` is wide (a page in a frame has
/// its own width).
fn is_wide_at(element: &web_sys::Element) -> bool {
    element
        .owner_document()
        .and_then(|d| d.default_view())
        .and_then(|w| w.match_media(WIDE).ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Scrolls the picker (only the picker, not the page) so that the selected
/// entry is in view.
fn reveal_selected(picker: &web_sys::Element) {
    let Ok(Some(entry)) = picker.query_selector(".picker-entry.selected") else {
        return;
    };
    let view = picker.get_bounding_client_rect();
    let at = entry.get_bounding_client_rect();
    if at.height() == 0.0 {
        return; // folded away
    }
    if at.top() < view.top() || at.bottom() > view.bottom() {
        let offset = at.top() - view.top() - view.height() / 3.0;
        picker.set_scroll_top(picker.scroll_top() + offset as i32);
    }
}

#[derive(Properties, PartialEq)]
pub struct ScenarioPickerProps {
    pub scenarios: Rc<Vec<Scenario>>,
    pub selection: Selection,
    pub on_select: Callback<Selection>,
}

/// The `<summary>` click that folds or unfolds a `<details>` whose `open` the
/// component holds.
fn fold(open: bool, set: impl Fn(bool) + 'static) -> Callback<MouseEvent> {
    Callback::from(move |e: MouseEvent| {
        e.prevent_default();
        set(!open);
    })
}

/// Makes the click handler that selects a scenario (or "My script").
type Select<'a> = &'a dyn Fn(Selection) -> Callback<MouseEvent>;

/// "Start here": the guided path's steps that match the search.
fn path_section(
    shown: &[&PathEntry],
    total: usize,
    open: bool,
    toggle: Callback<MouseEvent>,
    selected: Option<usize>,
    select: Select,
) -> Html {
    html! {
        <details class="scenario-group guided-path" data-testid="guided-path" {open}>
            <summary class="group-summary" onclick={toggle}>
                <h2 class="group-name" data-testid="group-heading">{ "Start here" }</h2>
                <span class="group-count">{ format!("A guided path in {total} steps") }</span>
            </summary>
            <ol class="path-list">
                { for shown.iter().map(|entry| {
                    let current = selected == Some(entry.index);
                    html! {
                        <li>
                            <button
                                type="button"
                                class={classes!("picker-entry", "path-entry", current.then_some("selected"))}
                                data-testid="path-entry"
                                data-scenario-id={entry.scenario.meta.id.clone()}
                                aria-current={current.then_some("step")}
                                onclick={select(Selection::Scenario(entry.index))}
                            >
                                <span class="path-number" aria-hidden="true">{ entry.number }</span>
                                <span class="entry-text">
                                    <span class="entry-title">{ &entry.scenario.meta.title }</span>
                                    <span class="entry-summary">{ entry.transition }</span>
                                </span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </details>
    }
}

/// A group of scenarios: those of its `members` that match the search.
fn group_section(
    group: &Group,
    members: &[&(usize, &Scenario)],
    open: bool,
    toggle: Callback<MouseEvent>,
    selected: Option<usize>,
    select: Select,
) -> Html {
    html! {
        <details class="scenario-group" data-testid="scenario-group" data-group={group.id.to_string()} {open}>
            <summary class="group-summary" onclick={toggle}>
                if let Some(kicker) = group.kicker {
                    <span class="group-kicker">{ kicker }</span>
                }
                <h2 class="group-name" data-testid="group-heading">{ &group.heading }</h2>
                <span class="group-count">{ format!("{} scenarios", members.len()) }</span>
            </summary>
            <ul>
                { for members.iter().map(|(index, scenario)| {
                    let selected = selected == Some(*index);
                    html! {
                        <li>
                            <button
                                type="button"
                                class={classes!("picker-entry", selected.then_some("selected"))}
                                data-testid="scenario-entry"
                                data-scenario-id={scenario.meta.id.clone()}
                                aria-pressed={selected.to_string()}
                                onclick={select(Selection::Scenario(*index))}
                            >
                                <span class="entry-text">
                                    <span class="entry-title" data-testid="scenario-title">{ &scenario.meta.title }</span>
                                    <span class="entry-summary" data-testid="scenario-summary">
                                        { first_sentence(&scenario.meta.notice) }
                                    </span>
                                    <code class="entry-id">{ &scenario.meta.id }</code>
                                </span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </details>
    }
}

/// "Yours": the learner's own script.
fn my_script_section(mine: bool, select: Select) -> Html {
    html! {
        <section class="scenario-group own-script">
            <h2 class="group-name">{ "Yours" }</h2>
            <ul>
                <li>
                    <button
                        type="button"
                        class={classes!("picker-entry", mine.then_some("selected"))}
                        data-testid="my-script-entry"
                        aria-pressed={mine.to_string()}
                        onclick={select(Selection::MyScript)}
                    >
                        <span class="entry-title">{ "My script" }</span>
                    </button>
                </li>
            </ul>
        </section>
    }
}

#[component(ScenarioPicker)]
pub fn scenario_picker(props: &ScenarioPickerProps) -> Html {
    let path: Rc<Vec<PathStep>> = use_memo((), |_| guided_path());
    let query = use_state(String::new);
    let open = use_state(is_wide);
    // Groups the learner folded or unfolded (by group id; "path" is the guided path).
    let folded = use_state(HashMap::<String, bool>::new);

    let picker_ref = use_node_ref();
    {
        // Unfolded where the window showing it is wide.
        let (picker_ref, open) = (picker_ref.clone(), open.clone());
        use_effect_with((), move |_| {
            if let Some(picker) = picker_ref.cast::<web_sys::Element>() {
                let wide = is_wide_at(&picker);
                if wide != *open {
                    open.set(wide);
                }
            }
        });
    }
    {
        let picker_ref = picker_ref.clone();
        use_effect_with(props.selection, move |_| {
            if let Some(picker) = picker_ref.cast::<web_sys::Element>() {
                reveal_selected(&picker);
            }
        });
    }

    let searching = !query.trim().is_empty();
    let selected_index = match props.selection {
        Selection::Scenario(i) => Some(i),
        Selection::MyScript => None,
    };

    let select = {
        let on_select = props.on_select.clone();
        let open = open.clone();
        move |selection: Selection| {
            let on_select = on_select.clone();
            let open = open.clone();
            Callback::from(move |_: MouseEvent| {
                if !is_wide() {
                    open.set(false);
                }
                on_select.emit(selection);
            })
        }
    };
    let group_open = |id: &str, default: bool| searching || folded.get(id).copied().unwrap_or(default);
    let toggle_group = |id: &str, is_open: bool| {
        let folded = folded.clone();
        let id = id.to_string();
        fold(is_open, move |now| {
            let mut next = (*folded).clone();
            next.insert(id.clone(), now);
            folded.set(next);
        })
    };

    let oninput = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                query.set(input.value());
            }
        })
    };

    // The guided path, filtered by the search.
    let entries = path_entries(&path, &props.scenarios);
    let path_shown: Vec<_> = entries
        .iter()
        .filter(|e| matches(&query, e.scenario, e.transition))
        .collect();
    let path_open = group_open("path", true);
    let guided = (!path_shown.is_empty()).then(|| {
        let toggle = toggle_group("path", path_open);
        path_section(&path_shown, entries.len(), path_open, toggle, selected_index, &select)
    });

    let groups = picker_groups(&props.scenarios);
    let mut shown_count = path_shown.len();
    let group_sections: Vec<Html> = groups
        .iter()
        .filter_map(|group| {
            let members: Vec<_> = group
                .members
                .iter()
                .filter(|(_, s)| matches(&query, s, &group.heading))
                .collect();
            if members.is_empty() {
                return None;
            }
            shown_count += members.len();
            let has_selection = members.iter().any(|(i, _)| Some(*i) == selected_index);
            let is_open = group_open(group.id, has_selection);
            let toggle = toggle_group(group.id, is_open);
            Some(group_section(group, &members, is_open, toggle, selected_index, &select))
        })
        .collect();

    let mine = props.selection == Selection::MyScript;
    let current_title = match props.selection {
        Selection::Scenario(i) => props.scenarios.get(i).map_or("", |s| s.meta.title.as_str()),
        Selection::MyScript => "My script",
    };
    let is_open = *open;
    let toggle_picker = {
        let open = open.clone();
        fold(is_open, move |now| open.set(now))
    };

    html! {
        <nav
            id="scenario-picker"
            class="scenario-picker"
            data-testid="scenario-picker"
            aria-label="Scenarios"
            ref={picker_ref}
        >
            <details class="picker-details" open={is_open}>
                <summary class="picker-summary" data-testid="picker-summary" onclick={toggle_picker}>
                    <span class="picker-label">{ "Scenarios" }</span>
                    <span class="picker-current">{ current_title }</span>
                </summary>
                <div class="picker-search">
                    <input
                        type="search"
                        data-testid="scenario-search"
                        placeholder="Search: daemon, Ctrl-C, join…"
                        aria-label="Search the scenarios"
                        value={(*query).clone()}
                        {oninput}
                    />
                    if searching {
                        <p class="search-count" aria-live="polite">
                            { match_count_text(shown_count, &query) }
                        </p>
                    }
                </div>
                { for guided }
                { for group_sections }
                { my_script_section(mine, &select) }
            </details>
        </nav>
    }
}
