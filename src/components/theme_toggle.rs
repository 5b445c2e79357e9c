//! The theme button: automatic (the system's setting) → light → dark. The
//! choice is set as `data-theme` on `<html>` and kept in `localStorage`.

use yew::prelude::*;

use crate::theme::{choice_label, next_choice, Theme, STORAGE_KEY};

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The remembered choice (None: automatic).
pub fn stored_choice() -> Option<Theme> {
    storage()?
        .get_item(STORAGE_KEY)
        .ok()
        .flatten()
        .as_deref()
        .and_then(Theme::parse)
}

/// Sets (or, for automatic, removes) `data-theme` on `<html>`.
pub fn apply_choice(choice: Option<Theme>) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match choice {
        Some(theme) => root.set_attribute("data-theme", theme.as_str()),
        None => root.remove_attribute("data-theme"),
    };
}

fn remember(choice: Option<Theme>) {
    if let Some(storage) = storage() {
        let _ = match choice {
            Some(theme) => storage.set_item(STORAGE_KEY, theme.as_str()),
            None => storage.remove_item(STORAGE_KEY),
        };
    }
}

/// The choice in force on the page (`data-theme` on `<html>`, set at start
/// from a `theme=` query or the remembered choice).
pub fn applied_choice() -> Option<Theme> {
    web_sys::window()?
        .document()?
        .document_element()?
        .get_attribute("data-theme")
        .as_deref()
        .and_then(Theme::parse)
}

#[component(ThemeToggle)]
pub fn theme_toggle() -> Html {
    let choice = use_state(applied_choice);
    {
        let current = *choice;
        use_effect_with(current, move |c| apply_choice(*c));
    }
    let onclick = {
        let choice = choice.clone();
        Callback::from(move |_: MouseEvent| {
            let next = next_choice(*choice);
            remember(next);
            choice.set(next);
        })
    };
    let icon = match *choice {
        None => "◐",
        Some(Theme::Light) => "☀",
        Some(Theme::Dark) => "☾",
    };
    let label = choice_label(*choice);
    html! {
        <button
            type="button"
            class="theme-toggle"
            data-testid="theme-toggle"
            data-theme-choice={choice.map_or("auto", Theme::as_str)}
            title={format!("{label} (click to change)")}
            {onclick}
        >
            <span aria-hidden="true">{ icon }</span>
            <span class="theme-toggle-label">{ label }</span>
        </button>
    }
}
