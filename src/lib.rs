//! Threadline's web app: a Yew front end over `threadline-engine`.
//!
//! - [`state`]: the one reducer (`Model`, `Action`); runs the engine; no web types.
//! - [`snapshot`]: what is true at the cursor's time (states, lines, output, steps).
//! - [`timeline`]: pure timeline geometry (lanes, bars, ticks) from a trace.
//! - [`ps`]: a `ps`-like table of the processes at the cursor.
//! - [`why`]: the "Why?" panel's plain-language explanation at the cursor.
//! - [`transcript`]: the terminal's rows at the cursor (output, `^C` echoes, the prompt).
//! - [`components`]: one Yew component per file; [`App`] is the page.
//!
//! The page shows only what the engine's `Trace` holds.

pub mod components;
pub mod ps;
pub mod snapshot;
pub mod state;
pub mod timeline;
pub mod transcript;
pub mod why;

pub use components::app::{App, AppProps};
