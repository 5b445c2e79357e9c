//! Threadline's web app: a Yew front end over `threadline-engine`.
//!
//! - [`state`]: the one reducer (`Model`, `Action`); runs the engine; no web types.
//! - [`choices`]: choice points in words, and the schedule that flips one.
//! - [`embed`]: embed mode's `postMessage` messages.
//! - [`keys`]: the keyboard shortcuts table.
//! - [`snapshot`]: what is true at the cursor's time (states, lines, output, steps).
//! - [`timeline`]: pure timeline geometry (lanes, bars, ticks) from a trace.
//! - [`components`]: one Yew component per file; [`App`] is the page.
//!
//! The page shows only what the engine's `Trace` holds.

pub mod choices;
pub mod components;
pub mod embed;
pub mod keys;
pub mod snapshot;
pub mod state;
pub mod timeline;

pub use components::app::{App, AppProps};
