//! Browser tests of the page's layout and keyboard: the app mounted with the
//! site's own style sheets inside an `<iframe>` of a given size (its
//! viewport: the screen the rules speak of), then measured.
//!
//! Run like tests/web.rs (its module docs say how the tests wait: Yew's
//! `scheduler::flush()`, and here also the frame's `load` event; no timers).

#![cfg(target_arch = "wasm32")]

use threadline_app::share::EMBED_HEIGHT;
use threadline_app::{App, AppProps};
use threadline_engine::scenarios;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Document, Element, HtmlElement};
use yew::AppHandle;

wasm_bindgen_test_configure!(run_in_browser);

/// The site's style sheets, in index.html's order.
const STYLES: [&str; 5] = [
    include_str!("../static/style.css"),
    include_str!("../static/timeline.css"),
    include_str!("../static/code.css"),
    include_str!("../static/panes.css"),
    include_str!("../static/library.css"),
];

/// The app in a frame of `width`×`height` CSS pixels; removed on drop.
struct Framed {
    frame: Element,
    document: Document,
    handle: Option<AppHandle<App>>,
}

impl Drop for Framed {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.destroy();
        }
        self.frame.remove();
    }
}

impl Framed {
    fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.document.query_selector_all(selector).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|node| node.dyn_into::<Element>().unwrap())
            .collect()
    }

    fn one(&self, selector: &str) -> Element {
        let found = self.all(selector);
        assert_eq!(found.len(), 1, "expected one `{selector}`, found {}", found.len());
        found.into_iter().next().unwrap()
    }

    /// Top, bottom, left and width of the element, in the frame's viewport.
    fn rect(&self, selector: &str) -> (f64, f64, f64, f64) {
        let r = self.one(selector).get_bounding_client_rect();
        (r.top(), r.bottom(), r.left(), r.width())
    }

    async fn click(&self, selector: &str) {
        self.one(selector).dyn_into::<HtmlElement>().unwrap().click();
        settle().await;
    }

    /// Presses `key` on `target` (as the browser would: a cancelable,
    /// bubbling keydown); returns whether the page prevented the default.
    async fn press_on(&self, target: &Element, key: &str, shift: bool) -> bool {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_shift_key(shift);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        target.dispatch_event(&event).unwrap();
        settle().await;
        event.default_prevented()
    }

    fn focused(&self) -> Option<Element> {
        self.document.active_element()
    }
}

async fn settle() {
    yew::scheduler::flush().await;
}

/// Completes when `target` fires `event` (once).
async fn next_event(target: &web_sys::EventTarget, event: &str) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        // Resolving again later does nothing.
        target.add_event_listener_with_callback(event, &resolve).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

async fn mount_framed(width: u32, height: u32, props: AppProps) -> Framed {
    let outer = web_sys::window().unwrap().document().unwrap();
    let frame = outer.create_element("iframe").unwrap();
    frame
        .set_attribute(
            "style",
            &format!("width: {width}px; height: {height}px; border: 0; display: block"),
        )
        .unwrap();
    let styles: String = STYLES.iter().map(|css| format!("<style>{css}</style>")).collect();
    frame
        .set_attribute(
            "srcdoc",
            &format!("<!doctype html><html lang=\"en\"><head>{styles}</head><body></body></html>"),
        )
        .unwrap();
    let loaded = next_event(&frame, "load");
    outer.body().unwrap().append_child(&frame).unwrap();
    loaded.await;
    let document: Document = js_sys::Reflect::get(&frame, &JsValue::from_str("contentDocument"))
        .unwrap()
        .unchecked_into();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<App>::with_root_and_props(root, props).render();
    settle().await;
    Framed {
        frame,
        document,
        handle: Some(handle),
    }
}

fn first_scenario() -> AppProps {
    let path = scenarios::guided_path();
    AppProps {
        scenario: Some(path[0].id.clone().into()),
        ..AppProps::default()
    }
}

/// At a laptop's size the first screen shows the code, the terminal, the
/// "Why?" panel, the timeline (the widest pane) and the controls.
#[wasm_bindgen_test]
async fn the_timeline_and_controls_are_in_the_first_screen() {
    for (width, height) in [(1280, 800), (1440, 900), (1920, 1080)] {
        let page = mount_framed(width, height, first_scenario()).await;
        let h = f64::from(height);
        let (top, _, _, timeline_width) = page.rect("#timeline-pane");
        assert!(
            top >= 0.0 && top < h - 120.0,
            "{width}×{height}: the timeline starts at {top}"
        );
        for pane in ["#info-pane", "#script-pane", "#run-pane", "#controls-pane"] {
            let (top, bottom, _, pane_width) = page.rect(pane);
            assert!(
                top >= 0.0 && bottom <= h + 0.5,
                "{width}×{height}: {pane} spans {top}..{bottom}"
            );
            assert!(pane_width <= timeline_width + 0.5, "{pane} is wider than the timeline");
        }
        // The "Why?" panel begins in the visible part of its pane.
        let (why_top, _, _, _) = page.rect("[data-testid=why-panel]");
        let (_, run_bottom, _, _) = page.rect("#run-pane");
        assert!(
            why_top + 40.0 < run_bottom,
            "{width}×{height}: the Why? panel starts at {why_top}"
        );
        // The controls come right under the timeline.
        let (_, timeline_bottom, _, _) = page.rect("#timeline-pane");
        let (controls_top, _, _, _) = page.rect("#controls-pane");
        assert!((0.0..=16.0).contains(&(controls_top - timeline_bottom)));
        // The scenario text is folded to a short header until "more".
        let (info_top, info_bottom, _, _) = page.rect("#info-pane");
        assert!(
            info_bottom - info_top < 110.0,
            "{width}×{height}: header {info_top}..{info_bottom}"
        );
        assert!(page.one("#scenario-more").has_attribute("hidden"));
        page.click("[data-testid=info-more]").await;
        assert!(!page.one("#scenario-more").has_attribute("hidden"));
        // The library is beside the player, not above it.
        let (picker_top, _, picker_left, _) = page.rect("#picker-pane");
        let (_, _, timeline_left, _) = page.rect("#timeline-pane");
        assert!(picker_top < top && picker_left < timeline_left);
    }
}

/// On a phone the timeline and the controls are on the first screen; the
/// code and terminal follow them.
#[wasm_bindgen_test]
async fn on_a_phone_the_timeline_and_controls_come_first() {
    let page = mount_framed(390, 844, first_scenario()).await;
    let (top, _, _, _) = page.rect("#timeline-pane");
    let (controls_top, _, _, _) = page.rect("#controls-pane");
    assert!(top > 0.0 && top < 844.0 - 150.0, "the timeline starts at {top}");
    let heights: Vec<String> = [
        ".timeline-head",
        ".timeline-scroll",
        ".timeline-detail",
        "#info-pane",
        "#app-header",
    ]
    .iter()
    .map(|s| {
        let (t, b, _, w) = page.rect(s);
        format!("{s}: {t:.0}..{b:.0} ({w:.0} wide)")
    })
    .collect();
    assert!(
        controls_top < 844.0 - 80.0,
        "the controls start at {controls_top}; {}",
        heights.join(", ")
    );
    let (code_top, _, _, _) = page.rect("#script-pane");
    assert!(code_top > controls_top);
}

fn embed_props(height: Option<u32>) -> AppProps {
    AppProps {
        embed: true,
        embed_height: height,
        ..first_scenario()
    }
}

/// The embedded player has the height it is given (560 px without one), the
/// same before and while it plays, with every pane inside it, and none of
/// the full page's extras.
#[wasm_bindgen_test]
async fn the_embedded_player_keeps_its_height() {
    for (asked, expected) in [(None, EMBED_HEIGHT), (Some(420), 420)] {
        let page = mount_framed(700, 900, embed_props(asked)).await;
        let (top, bottom, _, _) = page.rect("#app");
        assert_eq!((bottom - top).round() as u32, expected);
        for pane in [
            "#info-pane",
            "#script-pane",
            "#run-pane",
            "#timeline-pane",
            "#controls-pane",
        ] {
            let (pane_top, pane_bottom, _, _) = page.rect(pane);
            assert!(
                pane_top >= top && pane_bottom <= bottom + 0.5,
                "{pane} spans {pane_top}..{pane_bottom}, outside {top}..{bottom}"
            );
        }
        for absent in [
            "[data-testid=path-next]",
            "[data-testid=copy-link]",
            "[data-testid=exports]",
            "#picker-pane",
            "#explore-pane",
            "[data-testid=scenario-notice]",
            "[data-testid=why-panel]",
        ] {
            assert!(page.all(absent).is_empty(), "the embed shows {absent}");
        }
        page.click("[data-testid=home]").await;
        for _ in 0..6 {
            page.click("[data-testid=step-output]").await;
            let (now_top, now_bottom, _, _) = page.rect("#app");
            assert_eq!((now_top, now_bottom), (top, bottom), "the player changed size");
        }
    }
}

/// `panes=` leaves out what it does not name.
#[wasm_bindgen_test]
async fn the_embed_shows_only_the_panes_asked_for() {
    let props = AppProps {
        panes: threadline_app::share::Panes::parse("timeline").unwrap(),
        ..embed_props(None)
    };
    let page = mount_framed(700, 900, props).await;
    assert_eq!(page.all("#timeline-pane").len(), 1);
    assert!(page.all("#script-pane").is_empty());
    assert!(page.all("#run-pane").is_empty());
    assert_eq!(page.all("#controls-pane").len(), 1);
}

/// The shortcuts never also scroll the page; every advertised key works.
#[wasm_bindgen_test]
async fn shortcut_keys_do_not_scroll_and_l_steps_by_line() {
    let page = mount_framed(1280, 800, first_scenario()).await;
    // The shortcuts listen on the window the app runs in (the test's, not the frame's).
    let body: Element = web_sys::window().unwrap().document().unwrap().body().unwrap().into();
    // Space twice: play, then pause again.
    for key in [" ", " ", "End", "Home", "ArrowRight"] {
        assert!(page.press_on(&body, key, false).await, "{key:?} would scroll the page");
    }
    assert_eq!(page.all("[data-testid=play]").len(), 1, "paused");
    // At the start, "L" moves to the first line run.
    page.press_on(&body, "Home", false).await;
    let before = page.one("[data-testid=cursor-time]").text_content().unwrap();
    assert!(page.press_on(&body, "l", false).await);
    let after = page.one("[data-testid=cursor-time]").text_content().unwrap();
    assert_ne!(before, after, "L did not step");
    let title = page.one("[data-testid=step-line]").get_attribute("title").unwrap();
    assert!(title.contains("(L)"), "{title}");
}

/// The first Tab stop is the skip link, which brings the focus to the
/// player; the timeline is one Tab stop, and the arrow keys move inside it.
#[wasm_bindgen_test]
async fn a_skip_link_leads_to_the_player_and_the_timeline_is_one_tab_stop() {
    let page = mount_framed(1280, 800, first_scenario()).await;
    let focusable = page.all("a[href], button, input, select, textarea, summary, [tabindex]");
    let first = focusable
        .iter()
        .find(|e| e.get_attribute("tabindex").as_deref() != Some("-1"))
        .unwrap();
    assert_eq!(first.get_attribute("class").as_deref(), Some("skip-link"));
    page.click(".skip-link").await;
    let focused = page.focused().expect("a focused element");
    assert_eq!(focused.get_attribute("data-testid").as_deref(), Some("play"));
    assert!(focused.closest("#player").unwrap().is_some());

    let stops: Vec<Element> = page
        .all("#timeline-pane svg [tabindex], #timeline-pane svg[tabindex]")
        .into_iter()
        .filter(|e| e.get_attribute("tabindex").as_deref() != Some("-1"))
        .collect();
    assert_eq!(stops.len(), 1, "the plot is one Tab stop");
    let svg = page.one("[data-testid=timeline-svg]");
    assert!(page.press_on(&svg, "ArrowRight", false).await);
    let first_item = page.focused().unwrap();
    assert!(
        first_item.closest(".tl-item").unwrap().is_some(),
        "an item has the focus"
    );
    let detail = page.one("[data-testid=timeline-detail]").text_content().unwrap();
    assert!(!detail.is_empty(), "the focused item is described");
    assert!(page.press_on(&first_item, "ArrowRight", false).await);
    let second_item = page.focused().unwrap();
    assert_ne!(first_item, second_item);
    assert!(page.press_on(&second_item, "ArrowLeft", false).await);
    assert_eq!(page.focused().unwrap(), first_item);
}

/// Many threads on one line: a few markers and a count, inside the code pane.
#[wasm_bindgen_test]
async fn many_threads_on_one_line_show_a_count_not_a_marker_each() {
    let script = "import threading, time\n\ndef work():\n    time.sleep(5)\n\nfor i in range(40):\n    threading.Thread(target=work).start()\ntime.sleep(1)\n";
    let props = AppProps {
        my_script: Some(script.into()),
        // At 0.5 s the 40 threads sleep on line 4.
        restore: Some(threadline_app::state::Restore {
            cursor_ns: Some(500_000_000),
            ..Default::default()
        }),
        ..AppProps::default()
    };
    let page = mount_framed(1280, 800, props).await;
    let markers = page.all("#script-pane [data-testid=thread-marker][data-line='4']");
    assert!(!markers.is_empty() && markers.len() < 4, "{} markers", markers.len());
    let more = page.one("#script-pane [data-testid=thread-markers-more]");
    assert_eq!(more.text_content(), Some(format!("+{}", 40 - markers.len())));
    // The count stays in the marker column, left of the code.
    let r = more.get_bounding_client_rect();
    let code = page.one("#script-pane .editor-code").get_bounding_client_rect();
    assert!(
        r.right() <= code.left() + 1.0,
        "the count ends at {}, the code starts at {}",
        r.right(),
        code.left()
    );
}

/// "Copy link" says so where it is seen, however far the page is scrolled.
#[wasm_bindgen_test]
async fn copy_link_confirms_in_view() {
    let page = mount_framed(1280, 800, first_scenario()).await;
    let view: web_sys::Window = js_sys::Reflect::get(&page.frame, &JsValue::from_str("contentWindow"))
        .unwrap()
        .unchecked_into();
    view.scroll_to_with_x_and_y(0.0, 400.0);
    assert!(view.scroll_y().unwrap() > 0.0, "the page scrolls");
    page.click("[data-testid=copy-link]").await;
    let message = page.one("[data-testid=message]");
    assert!(message.text_content().unwrap().contains("Link to this view"));
    let r = message.get_bounding_client_rect();
    assert!(
        r.top() >= 0.0 && r.bottom() <= 800.0,
        "the message is at {}..{}",
        r.top(),
        r.bottom()
    );
}

/// A scenario whose provenance names internal notes: the page shows none of it.
#[wasm_bindgen_test]
async fn the_page_shows_no_internal_notes() {
    let scenario = scenarios::all()
        .into_iter()
        .find(|s| s.meta.source.contains(".md"))
        .expect("a scenario whose source names a notes file");
    let props = AppProps {
        scenario: Some(scenario.meta.id.clone().into()),
        ..AppProps::default()
    };
    let page = mount_framed(1280, 800, props).await;
    page.click("[data-testid=info-more]").await;
    let text = page.document.body().unwrap().text_content().unwrap();
    assert!(text.contains(&scenario.meta.title));
    for internal in ["ANCHORS", ".md", "learner confusion", "FACTS"] {
        assert!(!text.contains(internal), "the page shows {internal:?}");
    }
}

/// A run with hundreds of threads draws the lanes near the part of the plot
/// in view, and the ones further down once scrolled to, all inside the plot.
#[wasm_bindgen_test]
async fn a_timeline_of_many_threads_draws_the_lanes_in_view() {
    let script = "import threading, time\n\ndef work():\n    time.sleep(1)\n\nfor i in range(300):\n    threading.Thread(target=work).start()\n";
    let props = AppProps {
        my_script: Some(script.into()),
        ..AppProps::default()
    };
    let page = mount_framed(1280, 800, props).await;
    let drawn = |page: &Framed| -> Vec<u32> {
        page.all("[data-testid=timeline-lane]")
            .iter()
            .map(|l| l.get_attribute("data-thread").unwrap().parse().unwrap())
            .collect()
    };
    let first = drawn(&page);
    assert!(first.contains(&0), "MainThread is drawn");
    assert!(first.len() < 150, "{} of 301 lanes drawn", first.len());
    let scroller = page.one("#timeline-pane .timeline-scroll");
    let (_, pane_bottom, _, _) = page.rect("#timeline-pane");
    let (controls_top, _, _, _) = page.rect("#controls-pane");
    assert!(pane_bottom <= controls_top, "the lanes stay inside the timeline's pane");
    scroller.set_scroll_top(scroller.scroll_height());
    next_event(&scroller, "scroll").await;
    settle().await;
    let last = drawn(&page);
    assert!(
        last.contains(&300),
        "the last thread's lane is drawn once in view: {last:?}"
    );
    assert!(!last.contains(&0));
}
