//! Browser tests: mount the real [`App`] into a fresh `<div>`, let it render,
//! and compare what the page shows with what `threadline_engine::run` returns
//! for the same script and options. They hold whatever the engine simulates.
//!
//! Run with `scripts/test.sh`, or by hand:
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p threadline-app`
//! (or `GECKODRIVER=$(command -v geckodriver) ...` for Firefox).
//!
//! Waiting for the page: Yew renders from its scheduler, which runs in a
//! microtask after a state change. [`settle`] awaits `yew::scheduler::flush()`,
//! a future that completes when the scheduler has drained every queued
//! render and lifecycle callback: no timers, no polling, no sleeping.
//! Loops over every scenario also await [`yield_to_browser`] so that the
//! page stays responsive to the test runner.

#![cfg(target_arch = "wasm32")]

use threadline_app::explorer::{outcome_summary, Search};
use threadline_app::state::DEFAULT_MY_SCRIPT;
use threadline_app::timeline::{layout, legend_items, Layout};
use threadline_app::{App, AppProps};
use threadline_engine::scenarios::{self, Scenario};
use threadline_engine::Explorer;
use threadline_engine::Schedule;
use threadline_engine::{run, RunOptions, StopReason, Stream, Trace};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement, InputEvent, InputEventInit};
use yew::AppHandle;

wasm_bindgen_test_configure!(run_in_browser);

/// The app mounted in its own `<div>`; unmounted and removed on drop.
struct Mounted {
    root: Element,
    handle: Option<AppHandle<App>>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.destroy();
        }
        self.root.remove();
    }
}

impl Mounted {
    fn all(&self, selector: &str) -> Vec<Element> {
        let list = self
            .root
            .query_selector_all(selector)
            .unwrap_or_else(|_| panic!("bad selector {selector}"));
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|node| node.dyn_into::<Element>().expect("an element"))
            .collect()
    }

    fn one(&self, selector: &str) -> Element {
        let found = self.all(selector);
        assert_eq!(
            found.len(),
            1,
            "expected exactly one `{selector}`, found {}",
            found.len()
        );
        found.into_iter().next().unwrap()
    }

    fn text(&self, selector: &str) -> String {
        text(&self.one(selector))
    }

    fn texts(&self, selector: &str) -> Vec<String> {
        self.all(selector).iter().map(text).collect()
    }

    /// Clicks the element and waits for the page to update.
    async fn click(&self, selector: &str) {
        self.one(selector)
            .dyn_into::<HtmlElement>()
            .expect("a clickable element")
            .click();
        settle().await;
    }
}

fn text(element: &Element) -> String {
    element.text_content().unwrap_or_default()
}

/// Completes once Yew has rendered everything queued so far (see the module docs).
async fn settle() {
    yew::scheduler::flush().await;
}

/// Lets the browser run its other tasks, the test runner's own polling of the
/// page among them, between long stretches of work (a loop over every
/// scenario). Resolves on the event loop's next task through a MessageChannel:
/// no timer, no fixed delay.
async fn yield_to_browser() {
    let channel = web_sys::MessageChannel::new().unwrap();
    let next_task = js_sys::Promise::new(&mut |resolve, _reject| {
        channel.port1().set_onmessage(Some(&resolve));
    });
    channel.port2().post_message(&JsValue::NULL).unwrap();
    wasm_bindgen_futures::JsFuture::from(next_task).await.unwrap();
}

async fn mount(props: AppProps) -> Mounted {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    settle().await;
    Mounted {
        root,
        handle: Some(handle),
    }
}

fn bundled() -> Vec<Scenario> {
    let all = scenarios::all();
    assert!(!all.is_empty(), "the scenario library is bundled");
    all
}

/// The first scenario of every group and the last of all: the tests that run
/// scenarios in the (unoptimised) test build use these, not the whole library.
/// `timeline::tests` lays out every bundled scenario natively.
fn sample() -> Vec<Scenario> {
    let all = bundled();
    let mut picked: Vec<Scenario> = Vec::new();
    for scenario in &all {
        if picked.iter().all(|p| p.group != scenario.group) {
            picked.push(scenario.clone());
        }
    }
    let last = all.last().unwrap();
    if picked.last() != Some(last) {
        picked.push(last.clone());
    }
    picked
}

fn scenario_props(id: &str) -> AppProps {
    AppProps {
        scenario: Some(id.to_string().into()),
        ..AppProps::default()
    }
}

fn my_script_props(source: &str) -> AppProps {
    AppProps {
        my_script: Some(source.to_string().into()),
        ..AppProps::default()
    }
}

/// Everything the run pane and the timeline must show for `trace`.
fn assert_page_shows(page: &Mounted, trace: &Trace, options: &RunOptions) {
    // Diagnostics: always in the page, hidden when there are none.
    let diagnostics = page.one("[data-testid=diagnostics]");
    assert_eq!(diagnostics.has_attribute("hidden"), trace.diagnostics.is_empty());
    let rendered: Vec<String> = trace.diagnostics.iter().map(|d| d.render()).collect();
    assert_eq!(page.texts("[data-testid=diagnostic]"), rendered);

    // Terminal: the prompt, then every output line, then "(still running…)".
    assert_eq!(
        page.text("[data-testid=terminal] [data-testid=terminal-prompt]"),
        format!("$ python3 {}", options.script_name)
    );
    let lines = page.all("[data-testid=terminal-line]");
    assert_eq!(lines.len(), trace.output.len());
    for (element, line) in lines.iter().zip(&trace.output) {
        assert_eq!(text(element), line.text);
        let stream = match line.stream {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        };
        assert_eq!(element.get_attribute("data-stream").as_deref(), Some(stream));
    }
    assert_eq!(
        page.all("[data-testid=terminal-still-running]").len(),
        usize::from(trace.outcome.still_running)
    );

    // Final status.
    let exit_code = match trace.outcome.exit_code {
        Some(code) => code.to_string(),
        None => "none yet".to_string(),
    };
    assert_eq!(page.text("[data-testid=exit-code]"), exit_code);
    assert_eq!(page.texts("[data-testid=explanation-line]"), trace.outcome.explanation);

    // Timeline: one lane per thread (under its process), one bar per drawn
    // state interval, at the width the page draws it.
    let svg = page.one("[data-testid=timeline] svg[data-testid=timeline-svg]");
    let width: f64 = svg.get_attribute("width").unwrap().parse().unwrap();
    let geometry = layout(trace, &Layout::for_width(width));
    let lanes = page.all("[data-testid=timeline-lane]");
    assert_eq!(lanes.len(), trace.threads.len());
    for (lane, drawn) in lanes.iter().zip(&geometry.lanes) {
        assert_eq!(lane.get_attribute("data-thread"), Some(drawn.thread.0.to_string()));
    }
    assert_eq!(page.all("[data-testid=timeline-bar]").len(), geometry.bars.len());
    assert_eq!(page.all("[data-testid=legend-entry]").len(), legend_items().len());
}

#[wasm_bindgen_test]
async fn the_page_has_its_title_and_every_bundled_scenario_by_group() {
    let page = mount(AppProps::default()).await;
    assert_eq!(page.text("[data-testid=app-title]"), "Threadline");

    let scenarios = bundled();
    assert_eq!(page.all("[data-testid=scenario-entry]").len(), scenarios.len());
    for scenario in &scenarios {
        let entry = page.one(&format!(
            "[data-testid=scenario-group][data-group='{}'] [data-testid=scenario-entry][data-scenario-id='{}']",
            scenario.group, scenario.meta.id
        ));
        let title = entry
            .query_selector("[data-testid=scenario-title]")
            .unwrap()
            .expect("the entry shows a title");
        assert_eq!(text(&title), scenario.meta.title);
        assert!(text(&entry).contains(&scenario.meta.id));
    }
    assert_eq!(page.text("[data-testid=my-script-entry]"), "My script");
}

/// The scenario a first visit opens: the guided path's first step.
fn start_scenario() -> Scenario {
    let first = scenarios::guided_path().into_iter().next().expect("a guided path");
    library_scenario(&first.id)
}

#[wasm_bindgen_test]
async fn the_guided_paths_first_scenario_is_selected_and_run_at_start() {
    let page = mount(AppProps::default()).await;
    let first = &start_scenario();
    let selected = page.one("[data-testid=scenario-entry][aria-pressed=true]");
    assert_eq!(selected.get_attribute("data-scenario-id"), Some(first.meta.id.clone()));
    assert_eq!(page.text("[data-testid=script-title]"), first.meta.title);
    let options = first.run_options();
    assert_page_shows(&page, &run(&first.script, &options), &options);
}

#[wasm_bindgen_test]
async fn an_unknown_scenario_id_shows_the_guided_paths_first_scenario() {
    let page = mount(scenario_props("no-such-scenario")).await;
    let first = &start_scenario();
    assert_eq!(page.text("[data-testid=script-title]"), first.meta.title);
}

#[wasm_bindgen_test]
async fn selecting_a_scenario_shows_its_script_with_line_numbers() {
    let page = mount(my_script_props("x = 1\n")).await;
    for scenario in sample() {
        page.click(&format!(
            "[data-testid=scenario-entry][data-scenario-id='{}']",
            scenario.meta.id
        ))
        .await;

        assert_eq!(page.text("[data-testid=script-title]"), scenario.meta.title);
        let lines = page.all("[data-testid=script-pane] [data-testid=script-line]");
        let expected: Vec<&str> = scenario.script.lines().collect();
        assert_eq!(lines.len(), expected.len(), "{}", scenario.meta.id);
        for (i, (line, source)) in lines.iter().zip(&expected).enumerate() {
            assert_eq!(line.get_attribute("data-line"), Some((i + 1).to_string()));
            let number = line.query_selector(".line-number").unwrap().unwrap();
            assert_eq!(text(&number), (i + 1).to_string());
            let code = line.query_selector(".line-text").unwrap().unwrap();
            assert_eq!(text(&code), *source);
        }
        let selected = page.one("[aria-pressed=true]");
        assert_eq!(
            selected.get_attribute("data-scenario-id"),
            Some(scenario.meta.id.clone())
        );
        assert_eq!(
            location_fragment(),
            format!("#s={}", scenario.meta.id),
            "the URL links to what is shown"
        );
        assert_eq!(
            threadline_app::share::decode(&location_fragment())
                .expect("a readable link")
                .scenario,
            Some(scenario.meta.id.clone())
        );
        yield_to_browser().await;
    }
    page.click("[data-testid=my-script-entry]").await;
    let link = threadline_app::share::decode(&location_fragment()).expect("a readable link");
    assert_eq!(link.scenario, None, "My script's link names no scenario");
    assert!(link.script.is_some(), "the link carries the script itself");
}

fn location_fragment() -> String {
    web_sys::window().unwrap().location().hash().unwrap()
}

#[wasm_bindgen_test]
async fn sampled_scenarios_show_the_engines_terminal_status_and_timeline() {
    for scenario in sample() {
        yield_to_browser().await;
        let page = mount(scenario_props(&scenario.meta.id)).await;
        let options = scenario.run_options();
        let trace = run(&scenario.script, &options);
        assert_page_shows(&page, &trace, &options);
    }
}

#[wasm_bindgen_test]
async fn my_script_with_async_def_shows_the_engines_diagnostics() {
    let source = "async def f(): pass\n";
    let page = mount(my_script_props(source)).await;
    assert_eq!(page.text("[data-testid=script-title]"), "My script");
    let input: HtmlTextAreaElement = page
        .one("[data-testid=my-script-input]")
        .dyn_into()
        .expect("a textarea");
    assert_eq!(input.value(), source);
    let trace = run(source, &RunOptions::default());
    assert_page_shows(&page, &trace, &RunOptions::default());
    assert_eq!(page.all("[data-testid=diagnostic]").len(), trace.diagnostics.len());
}

#[wasm_bindgen_test]
async fn editing_my_script_and_pressing_run_runs_the_new_text() {
    let page = mount(AppProps::default()).await;
    page.click("[data-testid=my-script-entry]").await;
    let input: HtmlTextAreaElement = page
        .one("[data-testid=my-script-input]")
        .dyn_into()
        .expect("a textarea");
    assert_eq!(input.value(), DEFAULT_MY_SCRIPT);

    let edited = "import threading\n\nasync def f():\n    pass\n";
    input.set_value(edited);
    let init = InputEventInit::new();
    init.set_bubbles(true);
    let event = InputEvent::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&event).unwrap();
    settle().await;
    // The line numbers follow the text (one per line, the empty last one included).
    assert_eq!(page.all(".editor-gutter span").len(), edited.split('\n').count());

    page.click("[data-testid=run-button]").await;
    let input: HtmlTextAreaElement = page.one("[data-testid=my-script-input]").dyn_into().unwrap();
    assert_eq!(input.value(), edited);
    assert_page_shows(&page, &run(edited, &RunOptions::default()), &RunOptions::default());
}

// ---- controls ----

const SLEEPY: &str = "import time\nprint('a')\ntime.sleep(1)\nprint('b')\ntime.sleep(1)\nprint('c')\n";

#[wasm_bindgen_test]
async fn stepping_moves_the_cursor_and_the_terminal_follows() {
    let page = mount(my_script_props(SLEEPY)).await;
    assert_eq!(
        page.all("[data-testid=terminal-line]").len(),
        3,
        "the cursor starts at the end"
    );
    let at_end = page.text("[data-testid=cursor-time]");
    page.click("[data-testid=home]").await;
    assert_eq!(page.all("[data-testid=terminal-line]").len(), 0);
    assert_ne!(page.text("[data-testid=cursor-time]"), at_end);
    page.click("[data-testid=step-output]").await;
    assert_eq!(page.texts("[data-testid=terminal-line]"), vec!["a"]);
    page.click("[data-testid=step-output]").await;
    assert_eq!(page.texts("[data-testid=terminal-line]"), vec!["a", "b"]);
    page.click("[data-testid=step-back]").await;
    assert_eq!(page.texts("[data-testid=terminal-line]"), vec!["a"]);
    page.click("[data-testid=end]").await;
    assert_eq!(page.text("[data-testid=cursor-time]"), at_end);
}

#[wasm_bindgen_test]
async fn ctrl_c_at_the_cursor_runs_again_with_keyboard_interrupt() {
    let page = mount(my_script_props(SLEEPY)).await;
    page.click("[data-testid=home]").await;
    page.click("[data-testid=step-output]").await;
    page.click("[data-testid=step-output]").await;
    page.click("[data-testid=ctrl-c]").await;
    assert_eq!(page.all("[data-testid=signal-sent]").len(), 1);
    assert!(page.text("[data-testid=signal-sent]").contains("SIGINT"));
    page.click("[data-testid=end]").await;
    let shown = page.texts("[data-testid=terminal-line]");
    assert!(shown.contains(&"KeyboardInterrupt".to_string()), "{shown:?}");
    assert!(!shown.contains(&"c".to_string()), "{shown:?}");
    assert_eq!(page.text("[data-testid=exit-code]"), "-2");
    page.click("[data-testid=remove-signal]").await;
    assert!(page.all("[data-testid=signal-sent]").is_empty());
    page.click("[data-testid=end]").await;
    assert_eq!(page.texts("[data-testid=terminal-line]"), vec!["a", "b", "c"]);
}

#[wasm_bindgen_test]
async fn keys_step_and_open_the_shortcuts_help() {
    let page = mount(my_script_props(SLEEPY)).await;
    let press = |key: &str| {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        web_sys::window().unwrap().dispatch_event(&event).unwrap();
    };
    press("Home");
    settle().await;
    assert!(page.all("[data-testid=terminal-line]").is_empty());
    press("o");
    settle().await;
    assert_eq!(page.texts("[data-testid=terminal-line]"), vec!["a"]);
    assert!(page.all("[data-testid=help]").is_empty());
    press("?");
    settle().await;
    assert!(page.text("[data-testid=help]").contains("Keyboard shortcuts"));
    press("Escape");
    settle().await;
    assert!(page.all("[data-testid=help]").is_empty());
}

// ---- library ----

fn library_scenario(id: &str) -> Scenario {
    bundled()
        .into_iter()
        .find(|s| s.meta.id == id)
        .unwrap_or_else(|| panic!("{id} is bundled"))
}

fn script_text(page: &Mounted) -> Vec<String> {
    page.texts("[data-testid=script-pane] [data-testid=script-line] .line-text")
}

#[wasm_bindgen_test]
async fn the_picker_shows_the_guided_path_first_then_a_heading_per_group() {
    let page = mount(AppProps::default()).await;
    let all = bundled();
    let groups = threadline_app::library::picker_groups(&all);

    // The guided path comes before every group, its steps in the path's order.
    let sections = page.all("[data-testid=scenario-picker] details.scenario-group");
    assert_eq!(sections.len(), groups.len() + 1);
    assert_eq!(sections[0].get_attribute("data-testid").as_deref(), Some("guided-path"));
    let headings = page.texts("[data-testid=group-heading]");
    assert_eq!(headings[0], "Start here");
    let path: Vec<String> = scenarios::guided_path().into_iter().map(|s| s.id).collect();
    let steps: Vec<String> = page
        .all("[data-testid=guided-path] [data-testid=path-entry]")
        .iter()
        .map(|e| e.get_attribute("data-scenario-id").unwrap_or_default())
        .collect();
    assert_eq!(steps, path);

    // Then one heading per group: an article's title, or the topic.
    let expected: Vec<&str> = groups.iter().map(|g| g.heading.as_str()).collect();
    assert_eq!(&headings[1..], expected.as_slice());
    for (section, group) in sections[1..].iter().zip(&groups) {
        assert_eq!(section.get_attribute("data-group").as_deref(), Some(group.id));
    }
    assert!(
        headings.contains(&"Why is a Python script finishing execution but the process remaining active?".to_string())
    );

    // Every entry has its one-sentence summary.
    let summaries = page.texts("[data-testid=scenario-entry] [data-testid=scenario-summary]");
    let firsts: Vec<String> = all
        .iter()
        .map(|s| threadline_app::library::first_sentence(&s.meta.notice).to_string())
        .collect();
    assert_eq!(summaries, firsts);
}

#[wasm_bindgen_test]
async fn the_search_box_keeps_only_matching_scenarios() {
    let page = mount(AppProps::default()).await;
    let input: web_sys::HtmlInputElement = page.one("[data-testid=scenario-search]").dyn_into().expect("an input");
    input.set_value("finally daemon");
    let init = InputEventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&InputEvent::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    settle().await;
    let shown: Vec<String> = page
        .all("[data-testid=scenario-entry]")
        .iter()
        .map(|e| e.get_attribute("data-scenario-id").unwrap_or_default())
        .collect();
    let all = bundled();
    let groups = threadline_app::library::picker_groups(&all);
    let expected: Vec<String> = groups
        .iter()
        .flat_map(|g| {
            g.members
                .iter()
                .filter(|(_, s)| threadline_app::library::matches("finally daemon", s, &g.heading))
                .map(|(_, s)| s.meta.id.clone())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(!expected.is_empty() && expected.len() < all.len());
    assert_eq!(shown, expected);
    assert!(shown.contains(&"daemon-finally-skipped".to_string()));
}

#[wasm_bindgen_test]
async fn a_variation_button_runs_the_variation_and_back() {
    let scenario = library_scenario("daemon-join");
    let (index, variation) = scenario
        .meta
        .try_this
        .iter()
        .enumerate()
        .find(|(_, v)| v.script.is_some())
        .expect("a variation with its own script");
    let page = mount(scenario_props("daemon-join")).await;
    let original_script = script_text(&page);
    let original_terminal = page.texts("[data-testid=terminal-line]");
    assert_eq!(page.all("[data-testid=variation-original]").len(), 0);

    page.click(&format!(
        "[data-testid=variation-button][data-variation='{}']",
        variation.id
    ))
    .await;
    assert_eq!(page.text("[data-testid=script-title]"), scenario.meta.title);
    let source = scenario.variation_script(variation).unwrap();
    let shown = script_text(&page);
    assert_ne!(shown, original_script);
    assert_eq!(shown, source.lines().collect::<Vec<_>>());
    let options = scenario.variation_options(variation);
    let trace = run(source, &options);
    assert_page_shows(&page, &trace, &options);
    assert_ne!(page.texts("[data-testid=terminal-line]"), original_terminal);
    let pressed = page.one("[data-testid=variation-button][aria-pressed=true]");
    assert_eq!(pressed.get_attribute("data-variation"), Some(variation.id.clone()));
    if let Some(notice) = &variation.notice {
        assert_eq!(&page.text("[data-testid=scenario-notice]"), notice);
    }
    assert_eq!(scenario.meta.try_this[index].id, variation.id);

    page.click("[data-testid=variation-original]").await;
    assert_eq!(script_text(&page), original_script);
    assert_eq!(page.texts("[data-testid=terminal-line]"), original_terminal);
    assert_eq!(page.all("[data-testid=variation-button][aria-pressed=true]").len(), 0);
}

#[wasm_bindgen_test]
async fn the_article_note_appears_only_for_a_scenario_that_has_one() {
    let noted = library_scenario("daemon-forever");
    let note = noted
        .meta
        .article_note
        .clone()
        .expect("daemon-forever has an article note");
    let page = mount(scenario_props("daemon-forever")).await;
    assert!(page.text("[data-testid=article-note]").contains(&note));
    drop(page);

    let plain = library_scenario("daemon-join");
    assert_eq!(plain.meta.article_note, None);
    let page = mount(scenario_props("daemon-join")).await;
    assert_eq!(page.all("[data-testid=article-note]").len(), 0);
}

#[wasm_bindgen_test]
async fn next_in_path_goes_to_the_next_step() {
    let path = scenarios::guided_path();
    let page = mount(scenario_props(&path[0].id)).await;
    let next = page.one("[data-testid=path-next]");
    assert_eq!(next.get_attribute("data-scenario-id"), Some(path[1].id.clone()));
    page.click("[data-testid=path-next]").await;
    assert_eq!(
        page.text("[data-testid=script-title]"),
        library_scenario(&path[1].id).meta.title
    );
    let current = page.one("[data-testid=path-entry][aria-current=step]");
    assert_eq!(current.get_attribute("data-scenario-id"), Some(path[1].id.clone()));
    assert!(page.text("[data-testid=path-nav]").contains(&path[2].transition));
}

#[wasm_bindgen_test]
async fn the_exports_offer_three_files() {
    let page = mount(scenario_props("daemon-join")).await;
    let kinds: Vec<String> = page
        .all("[data-testid=export-button]")
        .iter()
        .map(|e| e.get_attribute("data-export").unwrap_or_default())
        .collect();
    assert_eq!(kinds, ["trace-json", "chrome-trace", "timeline-svg"]);
    // Each button makes its file (a Blob behind a temporary link) without an error.
    let links_before = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .query_selector_all("a[download]")
        .unwrap()
        .length();
    for kind in &kinds {
        page.click(&format!("[data-testid=export-button][data-export='{kind}']"))
            .await;
        assert_eq!(page.all(".export-error").len(), 0, "{kind}");
    }
    let links_after = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .query_selector_all("a[download]")
        .unwrap()
        .length();
    assert_eq!(links_after, links_before, "the temporary links are removed");
}

#[wasm_bindgen_test]
async fn the_theme_toggle_cycles_and_remembers() {
    use threadline_app::components::theme_toggle::ThemeToggle;
    let window = web_sys::window().unwrap();
    let storage = window.local_storage().unwrap().unwrap();
    storage.remove_item(threadline_app::theme::STORAGE_KEY).unwrap();
    let document = window.document().unwrap();
    let html = document.document_element().unwrap();
    html.remove_attribute("data-theme").unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<ThemeToggle>::with_root(root.clone()).render();
    settle().await;

    let button: HtmlElement = root
        .query_selector("[data-testid=theme-toggle]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(html.get_attribute("data-theme"), None);
    let mut seen = Vec::new();
    for _ in 0..3 {
        button.click();
        settle().await;
        seen.push((
            html.get_attribute("data-theme"),
            storage.get_item(threadline_app::theme::STORAGE_KEY).unwrap(),
        ));
    }
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        seen,
        [
            (some("light"), some("light")),
            (some("dark"), some("dark")),
            (None, None)
        ]
    );
    handle.destroy();

    // A theme set before the page starts (an embed link's `theme=dark`) stays.
    html.set_attribute("data-theme", "dark").unwrap();
    let handle = yew::Renderer::<ThemeToggle>::with_root(root.clone()).render();
    settle().await;
    assert_eq!(html.get_attribute("data-theme").as_deref(), Some("dark"));
    let button = root.query_selector("[data-testid=theme-toggle]").unwrap().unwrap();
    assert_eq!(button.get_attribute("data-theme-choice").as_deref(), Some("dark"));
    handle.destroy();
    html.remove_attribute("data-theme").unwrap();
    root.remove();
}

// ---- code ----

mod code {
    use super::*;
    use std::collections::BTreeMap;
    use threadline_app::components::code_view::CodeView;
    use threadline_app::highlight::markers_at;
    use threadline_app::snapshot::{step_from, step_times, Frame, StepKind};
    use threadline_app::state::{Action, Model, Selection};
    use web_sys::{KeyboardEvent, KeyboardEventInit};
    use yew::prelude::*;

    /// `line -> [thread ids]` as the page draws the markers.
    fn drawn_markers(page: &Mounted) -> BTreeMap<u32, Vec<u32>> {
        let mut out: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for marker in page.all("[data-testid=script-pane] [data-testid=thread-marker]") {
            let line: u32 = marker.get_attribute("data-line").unwrap().parse().unwrap();
            let thread: u32 = marker.get_attribute("data-thread").unwrap().parse().unwrap();
            // The marker sits in the row of its line.
            let row = marker.closest("[data-testid=script-line]").unwrap().unwrap();
            assert_eq!(row.get_attribute("data-line"), Some(line.to_string()));
            out.entry(line).or_default().push(thread);
        }
        out
    }

    /// `line -> [thread ids]` from the snapshot at `t`.
    fn expected_markers(trace: &Trace, t: u64) -> BTreeMap<u32, Vec<u32>> {
        let mut out: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for (thread, line) in Frame::at(trace, &[], t).lines().into_iter().enumerate() {
            if let Some(line) = line {
                out.entry(line).or_default().push(thread as u32);
            }
        }
        out
    }

    #[wasm_bindgen_test]
    async fn each_threads_marker_is_on_the_line_the_snapshot_gives_at_each_step() {
        let scenario = bundled()
            .into_iter()
            .find(|s| s.meta.id == "nondaemon-main-ends")
            .expect("the scenario is bundled");
        let options = scenario.run_options();
        let trace = run(&scenario.script, &options);
        assert_eq!(trace, run(&scenario.script, &options), "deterministic");
        let page = mount(scenario_props(&scenario.meta.id)).await;

        page.click("[data-testid=home]").await;
        assert_eq!(drawn_markers(&page), expected_markers(&trace, 0));
        let times = step_times(&trace, StepKind::Event);
        let mut seen_two_threads = false;
        let mut t = 0;
        for _ in 0..40 {
            let Some(next) = step_from(&times, t, true) else {
                break;
            };
            t = next;
            page.click("[data-testid=step-forward]").await;
            let expected = expected_markers(&trace, t);
            assert_eq!(drawn_markers(&page), expected, "at {t} ns");
            seen_two_threads |= expected.values().map(Vec::len).sum::<usize>() >= 2;
            // Each marker names its thread and what it does.
            for (line, markers) in markers_at(&trace, &Frame::at(&trace, &options.signals, t)) {
                for m in markers {
                    let element = page.one(&format!(
                        "[data-testid=thread-marker][data-thread='{}'][data-line='{line}']",
                        m.thread.0
                    ));
                    assert!(element.get_attribute("aria-label").unwrap().starts_with(&m.title));
                    let classes = element.get_attribute("class").unwrap_or_default();
                    let colour = format!("thread-colour-{}", m.colour);
                    assert!(classes.split(' ').any(|c| c == colour), "{classes}");
                }
            }
        }
        assert!(seen_two_threads, "the steps reach a time with two live threads");
    }

    #[wasm_bindgen_test]
    async fn an_unsupported_construct_shows_an_inline_diagnostic_at_its_line() {
        let source = "import time\nasync def f(): pass\n";
        let trace = run(source, &RunOptions::default());
        assert_eq!(trace, run(source, &RunOptions::default()), "deterministic");
        assert!(trace.diagnostics.iter().all(|d| d.line == 2), "{:?}", trace.diagnostics);
        let page = mount(my_script_props(source)).await;

        let inline = page.one("[data-testid=script-pane] [data-testid=inline-diagnostic]");
        assert_eq!(inline.get_attribute("data-line").as_deref(), Some("2"));
        assert!(text(&inline).contains(&trace.diagnostics[0].message));
        let flagged = page.all("[data-testid=editor-highlight] [data-line='2'] .diag-flag");
        assert!(!flagged.is_empty(), "the span is underlined on line 2");
        assert!(page
            .all("[data-testid=editor-highlight] [data-line='1'] .diag-flag")
            .is_empty());

        // The summary entry leads to the line: the caret moves to its start.
        page.click("[data-testid=diagnostic] button").await;
        let input: HtmlTextAreaElement = page.one("[data-testid=my-script-input]").dyn_into().unwrap();
        let document = web_sys::window().unwrap().document().unwrap();
        assert_eq!(document.active_element().map(|e| e.id()), Some(input.id()));
        let caret = input.selection_start().unwrap().unwrap();
        assert_eq!(caret, "import time\n".len() as u32 + trace.diagnostics[0].col - 1);
    }

    #[derive(Properties, PartialEq)]
    struct HarnessProps {
        source: AttrValue,
    }

    /// The code pane over the app's model, with no debounce delay.
    #[component(Harness)]
    fn harness(props: &HarnessProps) -> Html {
        let source = props.source.to_string();
        let model = use_reducer(move || Model::new(Vec::new(), source, Selection::MyScript));
        let on_edit = {
            let model = model.dispatcher();
            Callback::from(move |text| model.dispatch(Action::EditMyScript(text)))
        };
        let on_run = {
            let model = model.dispatcher();
            Callback::from(move |()| model.dispatch(Action::Run))
        };
        let run = model.last_run.clone();
        html! {
            <div data-testid="script-pane">
                <CodeView
                    source={AttrValue::from(model.source().to_string())}
                    run={run.clone()}
                    frame={model.frame.clone()}
                    editable=true
                    {on_edit}
                    {on_run}
                    debounce_ms={0}
                />
                <pre data-testid="harness-ran">{ run.map(|r| r.source.clone()).unwrap_or_default() }</pre>
            </div>
        }
    }

    fn type_into(input: &HtmlTextAreaElement, value: &str) {
        input.set_value(value);
        let init = InputEventInit::new();
        init.set_bubbles(true);
        input
            .dispatch_event(&InputEvent::new_with_event_init_dict("input", &init).unwrap())
            .unwrap();
    }

    fn press(input: &HtmlTextAreaElement, key: &str, ctrl: bool) {
        let init = KeyboardEventInit::new();
        init.set_bubbles(true);
        init.set_cancelable(true);
        init.set_key(key);
        init.set_ctrl_key(ctrl);
        input
            .dispatch_event(&KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap())
            .unwrap();
    }

    #[wasm_bindgen_test]
    async fn typing_in_the_editor_runs_the_script_again_after_the_pause() {
        let document = web_sys::window().unwrap().document().unwrap();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        let handle = yew::Renderer::<Harness>::with_root_and_props(
            root.clone(),
            HarnessProps {
                source: "print('a')\n".into(),
            },
        )
        .render();
        settle().await;
        let page = Mounted { root, handle: None };
        assert_eq!(page.text("[data-testid=harness-ran]"), "print('a')\n");

        let input: HtmlTextAreaElement = page.one("[data-testid=my-script-input]").dyn_into().unwrap();
        let edited = "import time\nprint('b')\ntime.sleep(1)\n";
        type_into(&input, edited);
        settle().await;
        assert_eq!(
            page.text("[data-testid=harness-ran]"),
            edited,
            "run again without pressing Run"
        );
        // The coloured layer follows the text, line for line.
        let lines = page.texts("[data-testid=editor-highlight] .hl-line");
        assert_eq!(lines, edited.split('\n').collect::<Vec<_>>());
        assert_eq!(page.text("[data-testid=editor-highlight] .tok-keyword"), "import");

        // Tab inserts four spaces where the caret is.
        input.set_selection_range(0, 0).unwrap();
        press(&input, "Tab", false);
        settle().await;
        let indented = format!("    {edited}");
        assert_eq!(input.value(), indented);
        assert_eq!(input.selection_start().unwrap(), Some(4));
        assert_eq!(page.text("[data-testid=harness-ran]"), indented);
        assert!(page.all("[data-testid=editor-too-large]").is_empty());

        // Beyond the engine's size limit: a message, and no run.
        let huge = format!("# {}\n", "x".repeat(threadline_engine::MAX_SOURCE_BYTES));
        type_into(&input, &huge);
        settle().await;
        assert!(page.text("[data-testid=editor-too-large]").contains("KiB"));
        assert_eq!(page.text("[data-testid=harness-ran]"), indented, "not run");
        handle.destroy();
    }

    #[wasm_bindgen_test]
    async fn with_the_default_pause_typing_does_not_run_at_once_but_ctrl_enter_does() {
        // Still sleeping at the end of the run: its marker is on line 4.
        let page = mount(my_script_props(
            "import time\nprint('a')\nwhile True:\n    time.sleep(1)\n",
        ))
        .await;
        assert_eq!(page.texts("[data-testid=terminal-line]"), ["a"]);
        let marker = page.one("[data-testid=script-pane] [data-testid=thread-marker]");
        assert_eq!(marker.get_attribute("data-line").as_deref(), Some("4"));
        let input: HtmlTextAreaElement = page.one("[data-testid=my-script-input]").dyn_into().unwrap();
        type_into(&input, "print('b')\n");
        settle().await;
        assert_eq!(
            page.texts("[data-testid=terminal-line]"),
            ["a"],
            "not run before the pause is over"
        );
        assert!(
            page.all("[data-testid=script-pane] [data-testid=thread-marker]")
                .is_empty(),
            "no markers of the old run on the new text"
        );
        press(&input, "Enter", true);
        settle().await;
        assert_eq!(page.texts("[data-testid=terminal-line]"), ["b"]);
    }
}

// ---- panes ----

/// A scenario's trace (run twice: the engine is deterministic) and options.
fn scenario_run(id: &str) -> (Trace, RunOptions) {
    let scenario = scenarios::find(id).unwrap_or_else(|| panic!("scenario {id}"));
    let options = scenario.run_options();
    let trace = run(&scenario.script, &options);
    assert_eq!(trace, run(&scenario.script, &options), "deterministic");
    (trace, options)
}

#[wasm_bindgen_test]
async fn the_terminal_shows_only_the_lines_written_by_the_cursor() {
    let (trace, _) = scenario_run("nondaemon-forever");
    assert!(trace.output.len() >= 3);
    let page = mount(scenario_props("nondaemon-forever")).await;
    assert_eq!(page.all("[data-testid=terminal-line]").len(), trace.output.len());

    page.click("[data-testid=home]").await;
    assert_eq!(page.all("[data-testid=terminal-line]").len(), 0);
    page.one("[data-testid=terminal-prompt]");
    page.one("[data-testid=terminal-still-running]");
    for shown in 1..=3 {
        page.click("[data-testid=step-output]").await;
        let lines = page.texts("[data-testid=terminal-line]");
        let expected: Vec<String> = trace.output[..shown].iter().map(|l| l.text.clone()).collect();
        assert_eq!(lines, expected);
    }
    assert!(
        page.all("[data-testid=terminal-end-prompt]").is_empty(),
        "still running"
    );
}

#[wasm_bindgen_test]
async fn ctrl_c_is_echoed_before_the_traceback_and_the_prompt_comes_back() {
    let (trace, options) = scenario_run("bg-loop-join-ctrlc");
    assert!(trace.processes[0].exit_ns.is_some(), "the program ends");
    let page = mount(scenario_props("bg-loop-join-ctrlc")).await;
    let echo = page.one("[data-testid=terminal-echo]");
    assert_eq!(text(&echo), "^C");
    let next = echo.next_element_sibling().expect("the line written after Ctrl-C");
    assert_eq!(text(&next), "Traceback (most recent call last):");
    page.one("[data-testid=terminal-end-prompt]");
    assert!(page.all("[data-testid=terminal-still-running]").is_empty());

    page.click("[data-testid=home]").await;
    assert!(page.all("[data-testid=terminal-echo]").is_empty());
    assert!(page.all("[data-testid=terminal-end-prompt]").is_empty());
    let mut before_ctrl_c: Vec<u64> = trace
        .output
        .iter()
        .map(|l| l.t_ns)
        .filter(|t| *t < options.signals[0].t_ns)
        .collect();
    before_ctrl_c.dedup();
    let before_ctrl_c = before_ctrl_c.len();
    for _ in 0..before_ctrl_c {
        page.click("[data-testid=step-output]").await;
    }
    assert!(page.all("[data-testid=terminal-echo]").is_empty(), "not pressed yet");
    page.click("[data-testid=step-output]").await;
    page.one("[data-testid=terminal-echo]");
}

#[wasm_bindgen_test]
async fn the_processes_table_has_a_row_per_started_process() {
    let (trace, _) = scenario_run("mp-join-multiple");
    let page = mount(scenario_props("mp-join-multiple")).await;
    let rows = page.all("[data-testid=process-row]");
    assert_eq!(rows.len(), trace.processes.len());
    let end = threadline_app::snapshot::Frame::at(&trace, &[], u64::MAX);
    let expected = threadline_app::ps::ps_at(&trace, &end);
    for (row, ps) in rows.iter().zip(&expected) {
        assert_eq!(row.get_attribute("data-pid"), Some(ps.pid.to_string()));
        let state = row.query_selector("[data-testid=process-state]").unwrap().unwrap();
        assert_eq!(text(&state), ps.state.label());
        assert!(
            row.class_name().contains("ps-exited"),
            "everything has exited at the end"
        );
    }

    page.click("[data-testid=home]").await;
    let rows = page.all("[data-testid=process-row]");
    assert_eq!(rows.len(), 1, "only the main process exists at 0 s");
    assert_eq!(rows[0].get_attribute("data-state"), Some("starting".to_string()));
    // The first output line is written after the three children started.
    page.click("[data-testid=step-output]").await;
    let started = trace
        .processes
        .iter()
        .filter(|p| p.start_ns <= trace.output[0].t_ns)
        .count();
    assert_eq!(page.all("[data-testid=process-row]").len(), started);
    assert!(started > 1);
}

#[wasm_bindgen_test]
async fn the_why_panel_follows_the_cursor_and_ends_with_the_final_status() {
    let (trace, _) = scenario_run("nondaemon-forever");
    let page = mount(scenario_props("nondaemon-forever")).await;
    page.one("[data-testid=why-panel] [data-testid=final-status]");
    assert_eq!(page.texts("[data-testid=explanation-line]"), trace.outcome.explanation);

    page.click("[data-testid=home]").await;
    assert!(page.all("[data-testid=final-status]").is_empty());
    let at_start = page.texts("[data-testid=why-item]");
    let start = threadline_app::snapshot::Frame::at(&trace, &[], 0);
    let expected: Vec<String> = threadline_app::why::why_at(&trace, &start)
        .into_iter()
        .map(|i| i.text)
        .collect();
    assert_eq!(at_start, expected);

    page.click("[data-testid=step-output]").await;
    page.click("[data-testid=step-output]").await;
    let later = page.texts("[data-testid=why-item]");
    assert_ne!(later, at_start);
    assert!(
        later.iter().any(|t| t.contains("still alive?")),
        "the main thread is done and Thread-1 keeps the process alive: {later:?}"
    );

    page.click("[data-testid=end]").await;
    page.one("[data-testid=final-status]");
}

// ---- timeline ----

/// A bubbling pointer or mouse event of `kind` at the client point (x, y).
fn pointer_event(kind: &str, client_x: f64, client_y: f64) -> web_sys::PointerEvent {
    let init = web_sys::PointerEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_client_x(client_x as i32);
    init.set_client_y(client_y as i32);
    init.set_pointer_id(1);
    init.set_pointer_type("mouse");
    init.set_button(0);
    web_sys::PointerEvent::new_with_event_init_dict(kind, &init).unwrap()
}

fn scenario(id: &str) -> Scenario {
    bundled()
        .into_iter()
        .find(|s| s.meta.id == id)
        .unwrap_or_else(|| panic!("scenario {id} is bundled"))
}

#[wasm_bindgen_test]
async fn the_timeline_has_a_process_header_per_process_and_its_threads_under_it() {
    let id = "mp-busy-daemon-nondaemon";
    let trace = run(&scenario(id).script, &scenario(id).run_options());
    assert!(trace.processes.len() >= 3, "a parent and two children");
    let page = mount(scenario_props(id)).await;

    let headers = page.all("[data-testid=timeline-process]");
    let pids: Vec<String> = headers.iter().filter_map(|h| h.get_attribute("data-pid")).collect();
    let expected: Vec<String> = threadline_app::timeline::process_order(&trace)
        .iter()
        .map(|(pid, _)| pid.to_string())
        .collect();
    assert_eq!(pids, expected);
    for header in &headers {
        let label = text(&header.query_selector(".process-label").unwrap().unwrap());
        let pid = header.get_attribute("data-pid").unwrap();
        assert!(label.contains(&format!("pid {pid} · ")), "{label}");
    }
    let daemon = trace.processes.iter().find(|p| p.daemon).expect("a daemon child");
    let header = page.one(&format!("[data-testid=timeline-process][data-pid='{}']", daemon.pid));
    assert!(text(&header).contains("(daemon)"), "{}", text(&header));

    // A lane per thread, each below its own process's header (the nearest one above it).
    let lanes = page.all("[data-testid=timeline-lane]");
    assert_eq!(lanes.len(), trace.threads.len());
    let top = |e: &Element| e.get_bounding_client_rect().top();
    for lane in &lanes {
        let header = headers
            .iter()
            .filter(|h| top(h) < top(lane))
            .max_by(|a, b| top(a).total_cmp(&top(b)))
            .expect("a header above every lane");
        assert_eq!(
            lane.get_attribute("data-pid"),
            header.get_attribute("data-pid"),
            "a lane under its process"
        );
    }
    // A marker for each process start, and for each line written.
    let count = |kind: &str| {
        page.all(&format!("[data-testid=timeline-marker][data-kind={kind}]"))
            .len()
    };
    assert_eq!(count("process-start"), trace.processes.len() - 1);
    assert!(count("output") >= 1);
}

#[wasm_bindgen_test]
async fn the_cursor_is_drawn_and_clicking_the_plot_seeks() {
    let page = mount(scenario_props("daemon-join")).await;
    let cursor = page.one("[data-testid=timeline-cursor]");
    let end = cursor.get_attribute("data-t").unwrap();
    let before = page.text("[data-testid=cursor-time]");

    // Click the middle of the first bar of the first lane.
    let svg = page.one("[data-testid=timeline-svg]");
    let bar = page
        .all("[data-testid=timeline-lane] [data-testid=timeline-bar]")
        .remove(0);
    let bar_box = bar.get_bounding_client_rect();
    let x = bar_box.left() + bar_box.width() / 2.0;
    let y = bar_box.top() + bar_box.height() / 2.0;
    svg.dispatch_event(&pointer_event("pointerdown", x, y)).unwrap();
    svg.dispatch_event(&pointer_event("pointerup", x, y)).unwrap();
    settle().await;

    let after = page.text("[data-testid=cursor-time]");
    assert_ne!(after, before, "the cursor moved");
    let cursor = page.one("[data-testid=timeline-cursor]");
    let t: u64 = cursor.get_attribute("data-t").unwrap().parse().unwrap();
    assert!(t < end.parse::<u64>().unwrap(), "moved back from the end to {t}");
    let line = cursor.query_selector(".cursor-line").unwrap().unwrap();
    let line_x = line.get_bounding_client_rect().left() + line.get_bounding_client_rect().width() / 2.0;
    assert!(
        (line_x - x).abs() <= 2.0,
        "the cursor line is where the click was: {line_x} vs {x}"
    );

    // Dragging scrubs: the cursor follows the pointer.
    svg.dispatch_event(&pointer_event("pointerdown", x, y)).unwrap();
    svg.dispatch_event(&pointer_event("pointermove", x + 40.0, y)).unwrap();
    settle().await;
    let dragged: u64 = page
        .one("[data-testid=timeline-cursor]")
        .get_attribute("data-t")
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        dragged > t,
        "dragging right moves the cursor later: {dragged} after {t}"
    );
    svg.dispatch_event(&pointer_event("pointerup", x + 40.0, y)).unwrap();
    settle().await;
}

#[wasm_bindgen_test]
async fn zoom_buttons_change_the_visible_ticks_and_fit_restores_them() {
    let page = mount(scenario_props("nondaemon-main-ends")).await;
    let full_ticks = page.texts("[data-testid=timeline-tick]");
    let full_window = page.text("[data-testid=timeline-window]");
    assert!(full_ticks.len() >= 2);
    assert!(
        page.one("[data-testid=zoom-fit]").has_attribute("disabled"),
        "nothing to fit yet"
    );

    page.click("[data-testid=zoom-in]").await;
    page.click("[data-testid=zoom-in]").await;
    let zoomed_ticks = page.texts("[data-testid=timeline-tick]");
    assert_ne!(zoomed_ticks, full_ticks);
    assert_ne!(page.text("[data-testid=timeline-window]"), full_window);
    assert!(!page.one("[data-testid=zoom-fit]").has_attribute("disabled"));

    // Zoomed in around the cursor (at the end), then panned earlier: the
    // cursor is out of the window, and an arrow at the edge says so.
    assert_eq!(page.all("[data-testid=timeline-cursor]").len(), 1);
    page.click("[data-testid=pan-left]").await;
    assert!(page.all("[data-testid=timeline-cursor]").is_empty());
    page.one("[data-testid=timeline-cursor-offscreen]");
    page.click("[data-testid=zoom-out]").await;
    page.click("[data-testid=zoom-fit]").await;
    assert_eq!(page.texts("[data-testid=timeline-tick]"), full_ticks);
    assert_eq!(page.text("[data-testid=timeline-window]"), full_window);
}

#[wasm_bindgen_test]
async fn pointing_at_a_bar_shows_its_reason_in_words() {
    let page = mount(scenario_props("daemon-join")).await;
    let blocked = page
        .all("[data-testid=timeline-bar]")
        .into_iter()
        .find(|b| b.get_attribute("class").unwrap_or_default().contains("state-blocked"))
        .expect("main blocks in join()");
    let title = text(&blocked.query_selector("title").unwrap().unwrap());
    assert!(title.contains("blocked: join of"), "{title}");
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let over = web_sys::MouseEvent::new_with_mouse_event_init_dict("mouseover", &init).unwrap();
    blocked.dispatch_event(&over).unwrap();
    settle().await;
    assert_eq!(page.text("[data-testid=timeline-detail]"), title);
}

#[wasm_bindgen_test]
async fn the_exported_svg_is_a_standalone_document_with_its_colours() {
    let page = mount(scenario_props("daemon-join")).await;
    let markup = threadline_app::components::timeline_view::svg_markup().expect("a timeline is shown");
    assert!(markup.starts_with("<?xml"), "{}", &markup[..60]);
    assert!(markup.contains("xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(markup.contains("<style"));
    assert!(markup.contains("fill: var(--state-running, #2a9d4b)"));
    let parsed = web_sys::DomParser::new()
        .unwrap()
        .parse_from_string(&markup, web_sys::SupportedType::ImageSvgXml)
        .unwrap();
    assert!(
        parsed.get_elements_by_tag_name("parsererror").length() == 0,
        "well-formed XML"
    );
    let bars = parsed
        .query_selector_all("[data-testid=timeline-bar]")
        .unwrap()
        .length();
    assert_eq!(bars as usize, page.all("[data-testid=timeline-bar]").len());
}

/// Lets the exploration's slices run until the page says it is over.
async fn wait_for_exploration(page: &Mounted) -> String {
    for _ in 0..1_000_000 {
        yield_to_browser().await;
        settle().await;
        if let Some(status) = page.all("[data-testid=explore-status]").first().map(text) {
            if !status.starts_with("Exploring") {
                return status;
            }
        }
    }
    panic!("the exploration did not end");
}

fn choose_search(page: &Mounted, value: &str) {
    let select: web_sys::HtmlSelectElement = page.one("[data-testid=explore-search]").dyn_into().unwrap();
    select.set_value(value);
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
}

/// The page lists exactly the outcomes the engine's explorer reports, and
/// "Show" puts the chosen one on the timeline: the two-lock deadlock.
#[wasm_bindgen_test]
async fn exploring_lists_the_engines_outcomes_and_show_replays_the_deadlock() {
    let scenario = library_scenario("two-lock-deadlock");
    let page = mount(scenario_props("two-lock-deadlock")).await;
    page.click("[data-testid=explore]").await;
    let status = wait_for_exploration(&page).await;
    let options = scenario.run_options();
    let report = Explorer::new(&scenario.script, &options, Search::Bounded.options())
        .unwrap()
        .run_to_end();
    assert!(report.complete);
    assert_eq!(
        status,
        format!(
            "{} schedules (every schedule with at most 2 preemptions): {} distinct outcomes",
            report.schedules,
            report.outcomes.len()
        )
    );
    let summaries: Vec<String> = page
        .all("[data-testid=outcome] .outcome-summary")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        summaries,
        report.outcomes.iter().map(outcome_summary).collect::<Vec<_>>()
    );
    let dead = report
        .outcomes
        .iter()
        .position(|o| o.deadlock)
        .expect("the deadlock is found");
    let show = page.all("[data-testid=outcome-load]")[dead].clone();
    show.dyn_into::<HtmlElement>().unwrap().click();
    settle().await;
    let replay = RunOptions {
        schedule: Some(Schedule::decode(&report.outcomes[dead].schedule).unwrap()),
        ..options
    };
    let trace = run(&scenario.script, &replay);
    assert_eq!(trace.outcome.stop, StopReason::Deadlock);
    assert_eq!(page.texts("[data-testid=explanation-line]"), trace.outcome.explanation);
    let shown = page.all("[data-testid=outcome]")[dead]
        .get_attribute("class")
        .unwrap_or_default();
    assert!(shown.split_whitespace().any(|c| c == "loaded"), "{shown}");
}

/// "Every schedule" runs DPOR: the lost update's worst case (counter = 2)
/// needs more than two preemptions, so only this search finds it.
#[wasm_bindgen_test]
async fn the_every_schedule_search_finds_what_the_quick_one_cannot() {
    let page = mount(scenario_props("lost-update")).await;
    let worst = "counter = 2 (3 increments in each of 2 threads)";
    page.click("[data-testid=explore]").await;
    wait_for_exploration(&page).await;
    let quick = page.texts("[data-testid=outcome] .outcome-summary");
    assert_eq!(quick.len(), 4, "{quick:?}");
    assert!(!quick.iter().any(|s| s.contains(worst)), "{quick:?}");
    choose_search(&page, "every");
    settle().await;
    page.click("[data-testid=explore]").await;
    let status = wait_for_exploration(&page).await;
    assert!(status.contains("(every schedule): 5 distinct outcomes"), "{status}");
    let every = page.texts("[data-testid=outcome] .outcome-summary");
    assert!(every.iter().any(|s| s.contains(worst)), "{every:?}");
}

/// Stop keeps what was found and says the search was cut short.
#[wasm_bindgen_test]
async fn stop_ends_an_exploration_and_keeps_its_outcomes() {
    let page = mount(scenario_props("lost-update")).await;
    choose_search(&page, "every");
    settle().await;
    page.click("[data-testid=explore]").await;
    // Wait for the first slice's progress, then stop.
    for _ in 0..1_000_000 {
        yield_to_browser().await;
        settle().await;
        let status = page
            .all("[data-testid=explore-status]")
            .first()
            .map(text)
            .unwrap_or_default();
        if status.starts_with("Exploring") && !status.starts_with("Exploring… 0 ") {
            break;
        }
    }
    page.click("[data-testid=explore-cancel]").await;
    let status = wait_for_exploration(&page).await;
    assert!(status.contains("stopped before every schedule was tried"), "{status}");
    assert!(!page.all("[data-testid=outcome]").is_empty());
    assert!(page.all("[data-testid=explore-cancel]").is_empty());
}

/// A script whose single run is millions of instructions long.
const LONG_LOOP: &str = "n = 0\nwhile n < 3000000:\n    n += 1\nprint(n)\n";

/// An exploration pauses inside a long run between slices: the page keeps
/// drawing, and Stop ends it before the first run is over.
#[wasm_bindgen_test]
async fn stop_ends_an_exploration_in_the_middle_of_a_long_run() {
    let page = mount(my_script_props(LONG_LOOP)).await;
    page.click("[data-testid=explore]").await;
    // A slice has ended and the page has drawn in between.
    yield_to_browser().await;
    settle().await;
    let status = page.one("[data-testid=explore-status]");
    assert!(text(&status).starts_with("Exploring… 0 schedules"), "{}", text(&status));
    page.click("[data-testid=explore-cancel]").await;
    let status = wait_for_exploration(&page).await;
    assert_eq!(status, "Stopped before the first schedule ended.");
    assert!(page.all("[data-testid=outcome]").is_empty());
}

// ---- Python versions ----

const START_METHOD: &str = "import multiprocessing as mp\n\
    \n\
    def child():\n\
    \x20   print('child ran')\n\
    \n\
    if __name__ == '__main__':\n\
    \x20   print(mp.get_start_method())\n\
    \x20   p = mp.Process(target=child)\n\
    \x20   p.start()\n\
    \x20   p.join()\n";

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Removes the remembered version when dropped, so no other test sees it.
struct ForgetPython;

impl Drop for ForgetPython {
    fn drop(&mut self) {
        let _ = local_storage().remove_item(threadline_app::storage::PYTHON_KEY);
    }
}

#[wasm_bindgen_test]
async fn the_python_switch_offers_four_versions_remembers_the_choice_and_says_which_behave_alike() {
    let _forget = ForgetPython;
    let _ = local_storage().remove_item(threadline_app::storage::PYTHON_KEY);
    let page = mount(my_script_props(START_METHOD)).await;
    let select: web_sys::HtmlSelectElement = page.one("[data-testid=python]").dyn_into().unwrap();
    assert_eq!(
        page.texts("[data-testid=python] option"),
        ["3.15", "3.14", "3.13", "3.12"]
    );
    assert_eq!(select.value(), "3.14", "3.14 is the default");
    assert!(page
        .texts("[data-testid=terminal-line]")
        .iter()
        .any(|l| l == "forkserver"));
    assert_eq!(page.text("[data-testid=python-alike]"), "Same on 3.14 and 3.15.");

    select.set_value("3.13");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    select
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
    settle().await;
    assert!(page.texts("[data-testid=terminal-line]").iter().any(|l| l == "fork"));
    assert_eq!(
        local_storage()
            .get_item(threadline_app::storage::PYTHON_KEY)
            .unwrap()
            .as_deref(),
        Some("3.13")
    );
    drop(page);

    let again = mount(my_script_props(START_METHOD)).await;
    let select: web_sys::HtmlSelectElement = again.one("[data-testid=python]").dyn_into().unwrap();
    assert_eq!(select.value(), "3.13", "the choice is remembered");
    assert!(again.texts("[data-testid=terminal-line]").iter().any(|l| l == "fork"));
}

#[wasm_bindgen_test]
async fn a_script_that_differs_between_versions_can_be_shown_side_by_side() {
    let _forget = ForgetPython;
    let page = mount(my_script_props(START_METHOD)).await;
    assert!(page.all("[data-testid=compare]").is_empty());
    assert_eq!(page.text("[data-testid=compare-button]"), "Compare with 3.13");
    page.click("[data-testid=compare-button]").await;
    let sides: Vec<String> = page
        .all("[data-testid=compare-side]")
        .iter()
        .map(|s| s.get_attribute("data-python").unwrap_or_default())
        .collect();
    assert_eq!(sides, ["3.14", "3.13"]);
    assert_eq!(page.all("[data-testid=compare] [data-testid=timeline-svg]").len(), 2);
    // The start method line differs; the child's line is the same on both.
    assert_eq!(page.texts("[data-testid=compare-differs]"), ["forkserver", "fork"]);
    assert!(page
        .text("[data-testid=compare-summary]")
        .contains("Processes: 4 on 3.14, 2 on 3.13."));
    page.click("[data-testid=compare-close]").await;
    assert!(page.all("[data-testid=compare]").is_empty());
}
