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
use threadline_app::timeline::{layout, legend_items, Layout};
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
