//! Threadline's web app: a Yew front end over `threadline-engine`.
//!
//! - [`state`]: the one reducer (`Model`, `Action`); runs the engine; no web types.
//! - [`status`]: how the run ended, in a line (the final status).
//! - [`choices`]: choice points in words, and the schedule that flips one.
//! - [`embed`]: embed mode's `postMessage` messages.
//! - [`explorer`]: the outcome explorer's state (search, progress) and its words.
//! - [`keys`]: the keyboard shortcuts table.
//! - [`snapshot`]: what is true at the cursor's time (the [`snapshot::Frame`] every pane reads) and the steps.
//! - [`timeline`]: pure timeline geometry (lanes, bars, ticks) from a trace.
//! - [`library`]: the scenario library as the picker shows it (headings, summaries, search, guided path).
//! - [`share`]: share links (the URL fragment) and the embed query, read and written.
//! - [`signals`]: signals sent in words, and the processes one can signal at the cursor.
//! - [`export`]: file names and contents of the exports.
//! - [`theme`]: the light/dark choice.
//! - [`highlight`]: the code pane's colours, thread markers and diagnostics, pure.
//! - [`colours`]: each thread's colour (code markers, timeline lane labels).
//! - [`ps`]: a `ps`-like table of the processes at the cursor.
//! - [`why`]: the "Why?" panel's plain-language explanation at the cursor.
//! - [`transcript`]: the terminal's rows at the cursor (output, `^C` echoes, the prompt).
//! - [`components`]: one Yew component per file; [`App`] is the page.
//!
//! The page shows only what the engine's `Trace` holds.

pub mod choices;
pub mod colours;
pub mod compare;
pub mod components;
pub mod embed;
pub mod explorer;
pub mod export;
pub mod highlight;
pub mod keys;
pub mod library;
pub mod ps;
pub mod share;
pub mod signals;
pub mod snapshot;
pub mod state;
pub mod status;
pub mod storage;
#[cfg(test)]
mod testing;
pub mod theme;
pub mod timeline;
pub mod transcript;
pub mod why;

pub use components::app::{App, AppProps};
