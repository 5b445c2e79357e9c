//! The timeline as inline SVG: a header row per process (its lifetime), a
//! lane per thread under it, bars coloured by state, markers for output,
//! starts, joins, signals and exits, the time cursor, a time axis that
//! follows the zoom, and the legend. Geometry comes from [`crate::timeline`].
//!
//! Interaction: click or tap the plot to move the cursor there, drag to
//! scrub; the wheel zooms around the pointer (shift+wheel pans), two fingers
//! pinch; the toolbar zooms, pans and fits. The zoom is this component's own
//! state and starts over with every run.

use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{Element, WheelEvent};
use yew::prelude::*;

use crate::components::legend::Legend;
use crate::state::RunResult;
use crate::timeline::{format_time, layout_view, Geometry, Layout, View, WaitKind, SVG_STYLE};

/// The `id` of the timeline's `<svg>`.
pub const SVG_ID: &str = "timeline-svg";

/// The drawing is never narrower than this.
const MIN_WIDTH: f64 = 280.0;

/// One step of the zoom buttons and keys.
const ZOOM_STEP: f64 = 0.5;

/// The current timeline as a standalone SVG document (with its XML
/// namespace and its own style sheet), or None when no timeline is shown.
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
    /// A pinch: the distance and the view when it began, and the time it is around.
    pinch: Option<(f64, View, u64)>,
}

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

#[component(TimelineView)]
pub fn timeline_view(props: &TimelineViewProps) -> Html {
    let run = props.run.clone();
    let serial = run.serial;
    let end_ns = run.end_ns;
    let scroll = use_node_ref();
    let svg_ref = use_node_ref();
    let detail_ref = use_node_ref();
    let width = use_width(scroll.clone());

    let zoom = use_state(|| Zoom {
        serial,
        view: View::full(end_ns),
    });
    let view = if zoom.serial == serial {
        zoom.view.clamped(end_ns)
    } else {
        View::full(end_ns)
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
    let set_view = {
        let zoom = zoom.clone();
        Rc::new(move |view: View, serial: u64| zoom.set(Zoom { serial, view }))
    };

    // A new run: forget the words of the last one's bar.
    {
        let detail_ref = detail_ref.clone();
        use_effect_with(serial, move |_| {
            if let Some(detail) = detail_ref.cast::<Element>() {
                detail.set_text_content(None);
            }
        });
    }

    // The wheel zooms around the pointer, shift+wheel (or a sideways swipe) pans.
    // Registered by hand: a listener that may cancel the page's scrolling.
    {
        let live = live.clone();
        let svg_ref = svg_ref.clone();
        let set_view = set_view.clone();
        use_effect_with((), move |_| {
            let listener = svg_ref.cast::<Element>().map(|svg| {
                let svg_ref = svg_ref.clone();
                EventListener::new_with_options(
                    &svg,
                    "wheel",
                    EventListenerOptions::enable_prevent_default(),
                    move |event| {
                        let Some(wheel) = event.dyn_ref::<WheelEvent>() else {
                            return;
                        };
                        let Some(x) = svg_x(&svg_ref, wheel.client_x()) else {
                            return;
                        };
                        let live = live.borrow();
                        let g = &live.geometry;
                        if x < g.plot_left {
                            return;
                        }
                        wheel.prevent_default();
                        let unit = match wheel.delta_mode() {
                            1 => 16.0,
                            2 => 400.0,
                            _ => 1.0,
                        };
                        let (dx, dy) = (wheel.delta_x() * unit, wheel.delta_y() * unit);
                        let ns_per_px = g.view.span_ns() as f64 / (g.plot_right - g.plot_left).max(1.0);
                        let view = if wheel.shift_key() || dx.abs() > dy.abs() {
                            let px = if dx.abs() > dy.abs() { dx } else { dy };
                            g.view.pan((px * ns_per_px) as i64, live.end_ns)
                        } else {
                            g.view.zoom(g.t_at(x), (dy * 0.002).exp(), live.end_ns)
                        };
                        if view != g.view {
                            set_view(view, live.serial);
                        }
                    },
                )
            });
            move || drop(listener)
        });
    }

    let onpointerdown = {
        let live = live.clone();
        let svg_ref = svg_ref.clone();
        let on_seek = props.on_seek.clone();
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
            if live.pointers.len() >= 2 {
                // Two fingers: a pinch, no scrubbing.
                live.dragging = None;
                let (a, b) = (live.pointers[0].1, live.pointers[1].1);
                let anchor = live.geometry.t_at((a + b) / 2.0);
                live.pinch = Some(((a - b).abs().max(1.0), live.geometry.view, anchor));
                return;
            }
            live.dragging = Some(id);
            on_seek.emit(live.geometry.t_at(x));
        })
    };
    let onpointermove = {
        let live = live.clone();
        let svg_ref = svg_ref.clone();
        let on_seek = props.on_seek.clone();
        let set_view = set_view.clone();
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
            if let (Some((distance, start, anchor)), [a, b, ..]) = (live.pinch, live.pointers.as_slice()) {
                let now = (a.1 - b.1).abs().max(1.0);
                let view = start.zoom(anchor, distance / now, live.end_ns);
                set_view(view, live.serial);
                return;
            }
            event.prevent_default();
            on_seek.emit(live.geometry.t_at(x));
        })
    };
    let onpointerup = {
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

    // The words of what is under the pointer or focused, in the detail line.
    let show_detail = {
        let detail_ref = detail_ref.clone();
        Rc::new(move |target: Option<web_sys::EventTarget>| {
            if let (Some(text), Some(detail)) = (detail_of(target), detail_ref.cast::<Element>()) {
                detail.set_text_content(Some(&text));
            }
        })
    };
    let onmouseover = {
        let show_detail = show_detail.clone();
        Callback::from(move |event: MouseEvent| show_detail(event.target()))
    };
    let onfocusin = {
        let show_detail = show_detail.clone();
        Callback::from(move |event: FocusEvent| show_detail(event.target()))
    };

    // Zoom buttons and keys: around the cursor when it is in view, else the middle.
    let cursor_ns = props.cursor_ns;
    let anchor = if cursor_ns >= view.start_ns && cursor_ns <= view.end_ns {
        cursor_ns
    } else {
        view.start_ns + view.span_ns() / 2
    };
    let zoom_by = {
        let set_view = set_view.clone();
        move |factor: f64| {
            let set_view = set_view.clone();
            Callback::from(move |_: MouseEvent| set_view(view.zoom(anchor, factor, end_ns), serial))
        }
    };
    let pan_by = {
        let set_view = set_view.clone();
        move |fraction: f64| {
            let set_view = set_view.clone();
            Callback::from(move |_: MouseEvent| {
                set_view(view.pan((view.span_ns() as f64 * fraction) as i64, end_ns), serial);
            })
        }
    };
    let onkeydown = {
        let set_view = set_view.clone();
        Callback::from(move |event: KeyboardEvent| {
            let next = match event.key().as_str() {
                "+" | "=" => view.zoom(anchor, ZOOM_STEP, end_ns),
                "-" | "_" => view.zoom(anchor, 1.0 / ZOOM_STEP, end_ns),
                "0" => View::full(end_ns),
                "<" | "," => view.pan(-((view.span_ns() / 4) as i64), end_ns),
                ">" | "." => view.pan((view.span_ns() / 4) as i64, end_ns),
                _ => return,
            };
            event.prevent_default();
            set_view(next, serial);
        })
    };
    let fit = {
        let set_view = set_view.clone();
        Callback::from(move |_: MouseEvent| set_view(View::full(end_ns), serial))
    };
    let full = view.is_full(end_ns);
    let at_start = view.start_ns == 0;
    let at_end = view.end_ns >= View::full(end_ns).end_ns;

    let g = &*geometry;
    let f = |v: f64| format!("{v:.2}");

    html! {
        <section id="timeline" class="timeline" data-testid="timeline" {onkeydown}>
            <div class="timeline-head">
                <h2>{ "Timeline" }</h2>
                <div class="timeline-toolbar" role="toolbar" aria-label="Zoom and pan">
                    <button type="button" data-testid="zoom-in" title="Zoom in (+, or the wheel over the plot)"
                        aria-label="Zoom in" disabled={view.span_ns() <= View::MIN_SPAN_NS} onclick={zoom_by(ZOOM_STEP)}>{ "+" }</button>
                    <button type="button" data-testid="zoom-out" title="Zoom out (−)"
                        aria-label="Zoom out" disabled={full} onclick={zoom_by(1.0 / ZOOM_STEP)}>{ "−" }</button>
                    <button type="button" data-testid="zoom-fit" title="Show the whole run (0)"
                        disabled={full} onclick={fit}>{ "Fit" }</button>
                    <button type="button" data-testid="pan-left" title="Earlier (<, or shift+wheel)"
                        aria-label="Earlier" disabled={at_start} onclick={pan_by(-0.25)}>{ "◀" }</button>
                    <button type="button" data-testid="pan-right" title="Later (>, or shift+wheel)"
                        aria-label="Later" disabled={at_end} onclick={pan_by(0.25)}>{ "▶" }</button>
                    <span class="timeline-window" data-testid="timeline-window">
                        { format!("{} – {}", format_time(view.start_ns), format_time(view.end_ns)) }
                    </span>
                </div>
            </div>
            <div class="timeline-scroll" ref={scroll}>
                <svg
                    id={SVG_ID}
                    ref={svg_ref}
                    class="timeline-svg tl-svg"
                    data-testid="timeline-svg"
                    viewBox={format!("0 0 {} {}", f(g.width), f(g.height))}
                    width={f(g.width)}
                    height={f(g.height)}
                    role="group"
                    aria-label="Processes and threads over time; click to move the time cursor"
                    {onpointerdown}
                    {onpointermove}
                    onpointerup={onpointerup.clone()}
                    onpointercancel={onpointerup}
                    {onmouseover}
                    {onfocusin}
                >
                    <style>{ SVG_STYLE }</style>
                    { defs() }
                    <rect class="tl-background" x="0" y="0" width={f(g.width)} height={f(g.height)} />
                    <Plot geometry={PlotGeometry(geometry.clone())} />
                    if g.cursor_x(cursor_ns).is_none() {
                        <path class="cursor-handle cursor-offscreen" data-testid="timeline-cursor-offscreen"
                            d={if cursor_ns < view.start_ns {
                                format!("M{},{} L{},{} L{},{} Z", f(g.plot_left), f(g.rows_top - 7.0), f(g.plot_left + 8.0), f(g.rows_top - 12.0), f(g.plot_left + 8.0), f(g.rows_top - 2.0))
                            } else {
                                format!("M{},{} L{},{} L{},{} Z", f(g.plot_right), f(g.rows_top - 7.0), f(g.plot_right - 8.0), f(g.rows_top - 12.0), f(g.plot_right - 8.0), f(g.rows_top - 2.0))
                            }}>
                            <title>{ format!("The time cursor is at {}, outside this window", format_time(cursor_ns)) }</title>
                        </path>
                    }
                    if let Some(x) = g.cursor_x(cursor_ns) {
                        <g class="cursor" data-testid="timeline-cursor" data-t={cursor_ns.to_string()}>
                            <line class="cursor-line" x1={f(x)} x2={f(x)} y1={f(g.rows_top - 4.0)} y2={f(g.height)} />
                            <path class="cursor-handle" d={format!("M{},{} L{},{} L{},{} Z", f(x - 5.0), f(g.rows_top - 10.0), f(x + 5.0), f(g.rows_top - 10.0), f(x), f(g.rows_top - 3.0))} />
                        </g>
                    }
                </svg>
            </div>
            <p class="timeline-detail" aria-live="polite">
                <span class="timeline-detail-text" data-testid="timeline-detail" ref={detail_ref}></span>
            </p>
            <Legend open={width >= 700.0} />
        </section>
    }
}

/// The geometry, compared by identity: a new one comes only with a new run,
/// width or zoom, so moving the cursor does not redraw the plot.
#[derive(Clone)]
pub struct PlotGeometry(pub Rc<Geometry>);

impl PartialEq for PlotGeometry {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
struct PlotProps {
    geometry: PlotGeometry,
}

/// Everything drawn but the cursor: the axis, the rows, bars and markers.
#[component(Plot)]
fn plot(props: &PlotProps) -> Html {
    let g = &*props.geometry.0;
    let axis_y = g.rows_top - 10.0;
    let f = |v: f64| format!("{v:.2}");
    html! {
        <>
        <g class="axis" data-testid="timeline-axis">
            { for g.ticks.iter().map(|tick| html! {
                <g class="tick" data-testid="timeline-tick">
                    <line x1={f(tick.x)} x2={f(tick.x)} y1={f(axis_y + 3.0)} y2={f(g.height)} />
                    <text x={f(tick.x)} y={f(axis_y)}>{ &tick.label }</text>
                </g>
            }) }
        </g>
        { for g.processes.iter().map(|row| html! {
            <g class="process-row" data-testid="timeline-process" data-pid={row.pid.to_string()}>
                <text class="process-label" x={f(row.label_x)} y={f(row.y + row.height / 2.0)}>
                    <title>{ &row.title }</title>
                    { &row.label }
                </text>
                { for row.segments.iter().map(|s| {
                    let thin = s.class == crate::timeline::ProcClass::Dead;
                    let h = if thin { 2.0 } else { row.height * 0.6 };
                    html! {
                        <rect class={classes!("tl-item", "proc", s.class.css_class())} tabindex="0"
                            x={f(s.x)} y={f(row.y + (row.height - h) / 2.0)} width={f(s.width)} height={f(h)}>
                            <title>{ &s.title }</title>
                        </rect>
                    }
                }) }
            </g>
        }) }
        { for g.lanes.iter().enumerate().map(|(i, lane)| html! {
            <g class="lane" data-testid="timeline-lane" data-thread={lane.thread.0.to_string()} data-pid={lane.pid.to_string()}>
                <rect class="lane-background" x={f(g.plot_left)} y={f(lane.y)}
                    width={f(g.plot_right - g.plot_left)} height={f(lane.height)} />
                <text class="lane-label" x={f(lane.label_x)} y={f(lane.y + lane.height / 2.0)}>
                    <title>{ &lane.title }</title>
                    { &lane.label }
                </text>
                { for g.bars.iter().filter(|b| b.lane == i).map(|bar| html! {
                    <rect
                        class={classes!("tl-item", bar.style().css_classes(), (bar.merged > 1).then_some("busy"))}
                        data-testid="timeline-bar"
                        tabindex="0"
                        x={f(bar.x)} y={f(bar.y)} width={f(bar.width)} height={f(bar.height)}
                    >
                        <title>{ &bar.title }</title>
                    </rect>
                }) }
            </g>
        }) }
        <g class="markers">
            { for g.markers.iter().map(|m| {
                let arrow = m.arrow.as_ref().filter(|a| (a.y2 - a.y1).abs() > 8.0).map(|a| {
                    let y2 = if a.y2 > a.y1 { a.y2 - 7.0 } else { a.y2 + 7.0 };
                    html! { <line class="arrow" x1={f(a.x1)} y1={f(a.y1)} x2={f(a.x2)} y2={f(y2)} /> }
                });
                html! {
                    <g class={classes!("tl-item", "marker", format!("marker-{}", m.kind.name()))}
                        data-testid="timeline-marker" data-kind={m.kind.name()} tabindex="0">
                        <title>{ &m.title }</title>
                        { for arrow }
                        <circle class="hit" cx={f(m.x)} cy={f(m.y)} r="6" />
                        <path transform={format!("translate({} {})", f(m.x), f(m.y))} d={m.kind.shape()} />
                    </g>
                }
            }) }
        </g>
        if g.lanes.is_empty() {
            <text class="timeline-empty" x={f(g.plot_left)} y={f(g.rows_top + 15.0)}>
                { "No threads ran." }
            </text>
        }
        </>
    }
}

/// Patterns for the kinds of waits and for zombies, and the arrowhead.
fn defs() -> Html {
    let pattern = |wait: WaitKind| {
        let (size, ink): (u32, Html) = match wait {
            WaitKind::Join => (
                6,
                html! { <path class="pat-ink" d="M-1,7 L7,-1 M-1,1 L1,-1 M5,7 L7,5" /> },
            ),
            WaitKind::Event => (6, html! { <circle class="pat-dot" cx="3" cy="3" r="1.2" /> }),
            WaitKind::Lock => (6, html! { <path class="pat-ink" d="M0,3 L6,3 M3,0 L3,6" /> }),
            WaitKind::Queue => (5, html! { <path class="pat-ink" d="M0,2.5 L5,2.5" /> }),
            WaitKind::Process => (5, html! { <path class="pat-ink" d="M2.5,0 L2.5,5" /> }),
            WaitKind::Shutdown => (
                8,
                html! { <path class="pat-ink" d="M-1,-1 L9,9 M-1,7 L1,9 M7,-1 L9,1" /> },
            ),
        };
        let background = if wait == WaitKind::Shutdown {
            "pat-bg pat-bg-shutdown"
        } else {
            "pat-bg"
        };
        html! {
            <pattern id={wait.pattern_id()} patternUnits="userSpaceOnUse" width={size.to_string()} height={size.to_string()}>
                <rect class={background} x="0" y="0" width={size.to_string()} height={size.to_string()} />
                { ink }
            </pattern>
        }
    };
    html! {
        <defs>
            { for WaitKind::ALL.iter().map(|w| pattern(*w)) }
            <pattern id="tl-pat-zombie" patternUnits="userSpaceOnUse" width="6" height="6">
                <rect class="pat-zombie-bg" x="0" y="0" width="6" height="6" />
                <path class="pat-zombie-ink" d="M-1,1 L1,-1 M0,6 L6,0 M5,7 L7,5" />
            </pattern>
            <marker id="tl-arrowhead" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path class="tl-arrowhead" d="M0,0 L8,4 L0,8 Z" />
            </marker>
        </defs>
    }
}
