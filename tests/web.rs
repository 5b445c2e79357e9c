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

use threadline_app::state::DEFAULT_MY_SCRIPT;
use threadline_app::timeline::{layout, Layout, StateClass};
use threadline_app::{App, AppProps};
use threadline_engine::scenarios::{self, Scenario};
use threadline_engine::{run, RunOptions, Stream, Trace};
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
        my_script: None,
    }
}

fn my_script_props(source: &str) -> AppProps {
    AppProps {
        scenario: None,
        my_script: Some(source.to_string().into()),
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

    // Timeline: one lane per thread, one bar per drawn state interval.
    page.one("[data-testid=timeline] svg[data-testid=timeline-svg]");
    let lanes = page.all("[data-testid=timeline-lane]");
    assert_eq!(lanes.len(), trace.threads.len());
    for (lane, thread) in lanes.iter().zip(&trace.threads) {
        assert_eq!(lane.get_attribute("data-thread"), Some(thread.id.0.to_string()));
    }
    let geometry = layout(trace, &Layout::default());
    assert_eq!(page.all("[data-testid=timeline-bar]").len(), geometry.bars.len());
    assert_eq!(page.all("[data-testid=legend-entry]").len(), StateClass::ALL.len());
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

#[wasm_bindgen_test]
async fn the_first_scenario_is_selected_and_run_at_start() {
    let page = mount(AppProps::default()).await;
    let first = &bundled()[0];
    let selected = page.one("[data-testid=scenario-entry][aria-pressed=true]");
    assert_eq!(selected.get_attribute("data-scenario-id"), Some(first.meta.id.clone()));
    assert_eq!(page.text("[data-testid=script-title]"), first.meta.title);
    let options = first.run_options();
    assert_page_shows(&page, &run(&first.script, &options), &options);
}

#[wasm_bindgen_test]
async fn an_unknown_scenario_id_shows_the_first_scenario() {
    let page = mount(scenario_props("no-such-scenario")).await;
    let first = &bundled()[0];
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
            format!("#{}", scenario.meta.id),
            "the URL links to what is shown"
        );
        yield_to_browser().await;
    }
    page.click("[data-testid=my-script-entry]").await;
    assert_eq!(location_fragment(), "#my-script");
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
    let expected = threadline_app::ps::ps_at(&trace, u64::MAX);
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
    let expected: Vec<String> = threadline_app::why::why_at(&trace, 0)
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
