//! The page's components, one per file. Each takes plain props (state values,
//! the last `RunResult`, callbacks); only [`app::App`] holds state.
//!
//! Stable `id`s and `data-testid`s mark what the browser tests look for.

pub mod app;
pub mod code_view;
pub mod compare;
pub mod controls;
pub mod diagnostics;
pub mod explorer_panel;
pub mod exports;
pub mod final_status;
pub mod legend;
pub mod processes;
pub mod scenario_info;
pub mod scenario_picker;
pub mod script_editor;
pub mod script_view;
pub mod terminal;
pub mod theme_toggle;
pub mod timeline_plot;
pub mod timeline_view;
pub mod why_panel;
