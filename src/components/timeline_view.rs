//! The timeline as inline SVG: a header row per process (its lifetime), a
//! lane per thread under it, bars coloured by state, markers for output,
//! starts, joins, signals and exits, the time cursor, a time axis that
//! follows the zoom, and the legend. Geometry comes from [`crate::timeline`],
//! the drawing from [`crate::components::timeline_plot`].
//!
//! Interaction: click or tap the plot to move the cursor there, drag to
//! scrub; the wheel zooms around the pointer (shift+wheel pans), two fingers
//! pinch; the toolbar zooms, pans and fits. The zoom is this component's own
//! state and starts over with every run.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{Element, WheelEvent};
use yew::prelude::*;

use crate::components::legend::Legend;
use crate::components::timeline_plot::{cursor, defs, Plot, PlotGeometry, WINDOWED_LANES};
use crate::state::RunResult;
use crate::timeline::{layout_view, Geometry, Layout, Pinch, View, Wheel, SVG_STYLE, ZOOM_STEP};

/// The `id` of the timeline's `<svg>`.
pub const SVG_ID: &str = "timeline-svg";

/// The drawing is never narrower than this.
const MIN_WIDTH: f64 = 280.0;

/// The current timeline as a standalone SVG document (with its XML
/// namespace and its own style sheet), or None when no timeline is shown.
/// It is the drawing as shown: of a run with more than [`WINDOWED_LANES`]
/// lanes, the rows near the part scrolled into view.
pub fn svg_markup() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let svg = document.get_element_by_id(SVG_ID)?;
    let text = web_sys::XmlSerializer::new().ok()?.serialize_to_string(&svg).ok()?;
    Some(format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{text}\n"))
}

/// The width (CSS pixels) of the element behind `node`, kept up to date on
/// window resizes, so that the SVG is drawn at 1:1 and its text never scales.
#[hook]
fn use_width(node: NodeRef) -> f64 {
    let width = use_state(|| Layout::default().width);
    {
        let width = width.clone();
        use_effect_with((), move |_| {
            let measure = move || {
                if let Some(element) = node.cast::<Element>() {
                    let measured = f64::from(element.client_width());
                    if measured > 0.0 {
                        width.set(measured.max(MIN_WIDTH));
                    }
                }
            };
            let first = measure.clone();
            first();
            let listener = web_sys::window().map(|window| EventListener::new(&window, "resize", move |_| measure()));
            move || drop(listener)
        });
    }
    *width
}

/// The rows to draw of a timeline with very many lanes: those within one
/// visible height above and below the part scrolled into view, in bands of
/// `ROW_BAND` pixels (so that scrolling a little redraws nothing).
fn rows_near(scroll_top: f64, visible: f64) -> (u32, u32) {
    const ROW_BAND: f64 = 400.0;
    let top = ((scroll_top - visible).max(0.0) / ROW_BAND).floor() * ROW_BAND;
    let bottom = ((scroll_top + 2.0 * visible.max(ROW_BAND)) / ROW_BAND).ceil() * ROW_BAND;
    (top as u32, bottom as u32)
}

/// The rows near the part of `node` (the plot's scroll box) in view, kept
/// up to date as it scrolls.
#[hook]
fn use_rows_in_view(node: NodeRef) -> (u32, u32) {
    let rows = use_state_eq(|| rows_near(0.0, 600.0));
    {
        let rows = rows.clone();
        use_effect_with((), move |_| {
            let listener = node.cast::<Element>().map(|element| {
                let scroller = element.clone();
                EventListener::new(&element, "scroll", move |_| {
                    rows.set(rows_near(
                        f64::from(scroller.scroll_top()),
                        f64::from(scroller.client_height()),
                    ));
                })
            });
            move || drop(listener)
        });
    }
    *rows
}

#[derive(Properties, PartialEq)]
pub struct TimelineViewProps {
    pub run: Rc<RunResult>,
    /// The time cursor.
    pub cursor_ns: u64,
    /// The learner picked a time on the timeline.
    pub on_seek: Callback<u64>,
}

/// The zoom of one run.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Zoom {
    serial: u64,
    view: View,
}

/// What the event listeners need of the last render.
struct Live {
    geometry: Rc<Geometry>,
    serial: u64,
    end_ns: u64,
    /// The pointer that is scrubbing.
    dragging: Option<i32>,
    /// Pointers down on the plot, with their x.
    pointers: Vec<(i32, f64)>,
    pinch: Option<Pinch>,
}

type SharedLive = Rc<RefCell<Live>>;

/// Sets the view of the run with this serial.
type SetView = Rc<dyn Fn(View, u64)>;

/// The x of a pointer in the drawing's units (it is drawn at 1:1).
fn svg_x(svg: &NodeRef, client_x: i32) -> Option<f64> {
    let element = svg.cast::<Element>()?;
    Some(f64::from(client_x) - element.get_bounding_client_rect().left())
}

/// The words of the bar or marker under `target` (its `<title>`), if any.
fn detail_of(target: Option<web_sys::EventTarget>) -> Option<String> {
    let element = target?.dyn_into::<Element>().ok()?;
    let item = element.closest(".tl-item").ok()??;
    let title = item.query_selector(":scope > title").ok()??;
    title.text_content()
}

/// The wheel zooms around the pointer, shift+wheel (or a sideways swipe)
/// pans. Registered by hand: a listener that may cancel the page's scrolling.
#[hook]
fn use_wheel_zoom(svg_ref: NodeRef, live: SharedLive, set_view: SetView) {
    use_effect_with((), move |_| {
        let listener = svg_ref.cast::<Element>().map(|svg| {
            let svg_ref = svg_ref.clone();
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&svg, "wheel", options, move |event| {
                let Some(event) = event.dyn_ref::<WheelEvent>() else {
                    return;
                };
                let Some(x) = svg_x(&svg_ref, event.client_x()) else {
                    return;
                };
                let wheel = Wheel {
                    delta_x: event.delta_x(),
                    delta_y: event.delta_y(),
                    delta_mode: event.delta_mode(),
                    shift: event.shift_key(),
                };
                let live = live.borrow();
                let Some(view) = wheel.moved(&live.geometry, x, live.end_ns) else {
                    return;
                };
                event.prevent_default();
                if view != live.geometry.view {
                    set_view(view, live.serial);
                }
            })
        });
        move || drop(listener)
    });
}

/// Pointer down, move and up on the plot: one pointer scrubs the cursor,
/// two pinch the zoom.
struct PointerHandlers {
    down: Callback<PointerEvent>,
    moved: Callback<PointerEvent>,
    up: Callback<PointerEvent>,
}

fn pointer_handlers(
    live: &SharedLive,
    svg_ref: &NodeRef,
    on_seek: &Callback<u64>,
    set_view: &SetView,
) -> PointerHandlers {
    let down = {
        let (live, svg_ref, on_seek) = (live.clone(), svg_ref.clone(), on_seek.clone());
        Callback::from(move |event: PointerEvent| {
            if event.pointer_type() == "mouse" && event.button() != 0 {
                return;
            }
            let Some(x) = svg_x(&svg_ref, event.client_x()) else {
                return;
            };
            let mut live = live.borrow_mut();
            if x < live.geometry.plot_left - 4.0 {
                return;
            }
            let id = event.pointer_id();
            live.pointers.retain(|(p, _)| *p != id);
            live.pointers.push((id, x));
            if let Some(svg) = svg_ref.cast::<Element>() {
                let _ = svg.set_pointer_capture(id);
            }
            if let [a, b, ..] = live.pointers[..] {
                // Two fingers: a pinch, no scrubbing.
                live.dragging = None;
                live.pinch = Some(Pinch::start(&live.geometry, a.1, b.1));
                return;
            }
            live.dragging = Some(id);
            on_seek.emit(live.geometry.t_at(x));
        })
    };
    let moved = {
        let (live, svg_ref, on_seek, set_view) = (live.clone(), svg_ref.clone(), on_seek.clone(), set_view.clone());
        Callback::from(move |event: PointerEvent| {
            let id = event.pointer_id();
            let mut live = live.borrow_mut();
            if live.dragging != Some(id) && live.pinch.is_none() {
                return;
            }
            let Some(x) = svg_x(&svg_ref, event.client_x()) else {
                return;
            };
            if let Some(slot) = live.pointers.iter_mut().find(|(p, _)| *p == id) {
                slot.1 = x;
            }
            if let (Some(pinch), [a, b, ..]) = (live.pinch, live.pointers.as_slice()) {
                set_view(pinch.view_at(a.1, b.1, live.end_ns), live.serial);
                return;
            }
            event.prevent_default();
            on_seek.emit(live.geometry.t_at(x));
        })
    };
    let up = {
        let live = live.clone();
        Callback::from(move |event: PointerEvent| {
            let id = event.pointer_id();
            let mut live = live.borrow_mut();
            live.pointers.retain(|(p, _)| *p != id);
            if live.dragging == Some(id) {
                live.dragging = None;
            }
            if live.pointers.len() < 2 {
                live.pinch = None;
            }
        })
    };
    PointerHandlers { down, moved, up }
}

/// The words of what is under the pointer or focused, shown in the detail
/// line (forgotten with a new run): the mouse-over and focus handlers.
#[hook]
fn use_detail(detail_ref: NodeRef, serial: u64) -> (Callback<MouseEvent>, Callback<FocusEvent>) {
    {
        let detail_ref = detail_ref.clone();
        use_effect_with(serial, move |_| {
            if let Some(detail) = detail_ref.cast::<Element>() {
                detail.set_text_content(None);
            }
        });
    }
    let show = Rc::new(move |target: Option<web_sys::EventTarget>| {
        if let (Some(text), Some(detail)) = (detail_of(target), detail_ref.cast::<Element>()) {
            detail.set_text_content(Some(&text));
        }
    });
    let over = show.clone();
    (
        Callback::from(move |event: MouseEvent| over(event.target())),
        Callback::from(move |event: FocusEvent| show(event.target())),
    )
}

/// Zoom, pan and fit buttons, and the window shown.
/// The plot is one stop of the Tab key; inside it the arrow keys go from
/// one bar or marker to the next (each says what it is, as pointing at it
/// does). Returns whether the key moved the focus.
fn move_focus(svg_ref: &NodeRef, event: &KeyboardEvent) -> bool {
    let forward = match event.key().as_str() {
        "ArrowRight" | "ArrowDown" => true,
        "ArrowLeft" | "ArrowUp" => false,
        _ => return false,
    };
    if event.shift_key() || event.ctrl_key() || event.alt_key() || event.meta_key() {
        return false;
    }
    let Some(svg) = svg_ref.cast::<Element>() else {
        return false;
    };
    let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return false;
    };
    if !svg.contains(Some(&target)) {
        return false;
    }
    let Ok(list) = svg.query_selector_all(".tl-item[tabindex]") else {
        return false;
    };
    let items: Vec<Element> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect();
    if items.is_empty() {
        return false;
    }
    let current = items.iter().position(|item| item.contains(Some(&target)));
    let next = match (current, forward) {
        (None, true) => 0,
        (None, false) => items.len() - 1,
        (Some(i), true) => (i + 1).min(items.len() - 1),
        (Some(i), false) => i.saturating_sub(1),
    };
    // An SVG element's focus() (SVGElement implements HTMLOrSVGElement).
    let item = &items[next];
    if let Ok(focus) = js_sys::Reflect::get(item, &"focus".into()) {
        if let Some(focus) = focus.dyn_ref::<js_sys::Function>() {
            let _ = focus.call0(item);
        }
    }
    true
}

fn toolbar(view: View, end_ns: u64, anchor: u64, serial: u64, set_view: &SetView) -> Html {
    let state = view.toolbar(end_ns);
    let to = |next: View| {
        let set_view = set_view.clone();
        Callback::from(move |_: MouseEvent| set_view(next, serial))
    };
    html! {
        <div class="timeline-toolbar" role="toolbar" aria-label="Zoom and pan">
            <button type="button" data-testid="zoom-in" title="Zoom in (+ on the timeline, or the wheel over the plot)"
                aria-label="Zoom in" disabled={!state.zoom_in} onclick={to(view.zoom(anchor, ZOOM_STEP, end_ns))}>{ "+" }</button>
            <button type="button" data-testid="zoom-out" title="Zoom out (− on the timeline)"
                aria-label="Zoom out" disabled={!state.zoom_out} onclick={to(view.zoom(anchor, 1.0 / ZOOM_STEP, end_ns))}>{ "−" }</button>
            <button type="button" data-testid="zoom-fit" title="Show the whole run (0 on the timeline)"
                disabled={!state.fit} onclick={to(View::full(end_ns))}>{ "Fit" }</button>
            <button type="button" data-testid="pan-left" title="Earlier (< on the timeline, or shift+wheel)"
                aria-label="Earlier" disabled={!state.earlier} onclick={to(view.pan_by(-0.25, end_ns))}>{ "◀" }</button>
            <button type="button" data-testid="pan-right" title="Later (> on the timeline, or shift+wheel)"
                aria-label="Later" disabled={!state.later} onclick={to(view.pan_by(0.25, end_ns))}>{ "▶" }</button>
            <span class="timeline-window" data-testid="timeline-window">{ state.window }</span>
        </div>
    }
}

#[component(TimelineView)]
pub fn timeline_view(props: &TimelineViewProps) -> Html {
    let run = props.run.clone();
    let (serial, end_ns) = (run.serial, run.end_ns);
    let scroll = use_node_ref();
    let svg_ref = use_node_ref();
    let detail_ref = use_node_ref();
    let width = use_width(scroll.clone());
    let rows = use_rows_in_view(scroll.clone());

    // A new run opens on its focus (an explored outcome: where it departs
    // from the run before), else whole.
    let opening = run.focus.map_or(View::full(end_ns), |v| v.clamped(end_ns));
    let zoom = use_state(|| Zoom { serial, view: opening });
    let view = if zoom.serial == serial {
        zoom.view.clamped(end_ns)
    } else {
        opening
    };
    let geometry = use_memo((run.clone(), width.round() as u32, view), |(run, width, view)| {
        layout_view(&run.trace, &Layout::for_width(f64::from(*width)), *view)
    });
    let live = use_mut_ref(|| Live {
        geometry: geometry.clone(),
        serial,
        end_ns,
        dragging: None,
        pointers: Vec::new(),
        pinch: None,
    });
    {
        let mut live = live.borrow_mut();
        live.geometry = geometry.clone();
        live.serial = serial;
        live.end_ns = end_ns;
    }
    let set_view: SetView = {
        let zoom = zoom.clone();
        Rc::new(move |view: View, serial: u64| zoom.set(Zoom { serial, view }))
    };
    use_wheel_zoom(svg_ref.clone(), live.clone(), set_view.clone());
    let pointer = pointer_handlers(&live, &svg_ref, &props.on_seek, &set_view);
    let (onmouseover, onfocusin) = use_detail(detail_ref.clone(), serial);

    // Zoom buttons and keys: around the cursor when it is in view, else the middle.
    let anchor = view.anchor(props.cursor_ns);
    let onkeydown = {
        let set_view = set_view.clone();
        let svg_ref = svg_ref.clone();
        Callback::from(move |event: KeyboardEvent| {
            if move_focus(&svg_ref, &event) {
                event.prevent_default();
                return;
            }
            if let Some(next) = view.after_key(&event.key(), anchor, end_ns) {
                event.prevent_default();
                set_view(next, serial);
            }
        })
    };
    let g = &*geometry;
    let (w, h) = (format!("{:.2}", g.width), format!("{:.2}", g.height));
    let windowed = g.lanes.len() > WINDOWED_LANES;

    html! {
        <section id="timeline" class="timeline" data-testid="timeline" {onkeydown}>
            <div class="timeline-head">
                <h2>{ "Timeline" }</h2>
                { toolbar(view, end_ns, anchor, serial, &set_view) }
                <Legend />
            </div>
            <div class={classes!("timeline-scroll", windowed.then_some("windowed"))} ref={scroll}>
                <svg
                    id={SVG_ID}
                    ref={svg_ref}
                    class="timeline-svg tl-svg"
                    data-testid="timeline-svg"
                    viewBox={format!("0 0 {w} {h}")}
                    width={w.clone()}
                    height={h.clone()}
                    role="group"
                    tabindex="0"
                    aria-label="Processes and threads over time; click to move the time cursor, or use the arrow keys to go from bar to bar"
                    onpointerdown={pointer.down}
                    onpointermove={pointer.moved}
                    onpointerup={pointer.up.clone()}
                    onpointercancel={pointer.up}
                    {onmouseover}
                    {onfocusin}
                >
                    <style>{ SVG_STYLE }</style>
                    { defs() }
                    <rect class="tl-background" x="0" y="0" width={w} height={h} />
                    <Plot geometry={PlotGeometry(geometry.clone())} rows={windowed.then_some(rows)} />
                    { cursor(g, props.cursor_ns) }
                </svg>
            </div>
            <p class="timeline-detail" aria-live="polite">
                <span class="timeline-detail-text" data-testid="timeline-detail" ref={detail_ref}></span>
            </p>
        </section>
    }
}
