//! Threadline's web app: a Yew front end over `threadline-engine`.
//!
//! - [`state`]: the one reducer (`Model`, `Action`); runs the engine; no web types.
//! - [`snapshot`]: what is true at the cursor's time (states, lines, output, steps).
//! - [`timeline`]: pure timeline geometry (lanes, bars, ticks) from a trace.
//! - [`highlight`]: the code pane's colours, thread markers and diagnostics, pure.
//! - [`colours`]: each thread's colour (code markers, timeline lane labels).
//! - [`components`]: one Yew component per file; [`App`] is the page.
//!
//! The page shows only what the engine's `Trace` holds.

pub mod colours;
pub mod components;
pub mod highlight;
pub mod snapshot;
pub mod state;
pub mod timeline;

pub use components::app::{App, AppProps};
