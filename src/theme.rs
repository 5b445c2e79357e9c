//! Light and dark themes. Without a choice the page follows the system's
//! `prefers-color-scheme`; a choice is written as `data-theme` on `<html>`
//! (static/library.css forces the colours) and kept in `localStorage`.

/// A forced colour theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

/// The `localStorage` key that remembers the learner's choice.
pub const STORAGE_KEY: &str = "threadline.theme";

impl Theme {
    /// `light` or `dark`: the `data-theme` value, the stored value and the
    /// `theme=` query value.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The inverse of [`Theme::as_str`]; anything else is `None`.
    pub fn parse(s: &str) -> Option<Theme> {
        match s.trim() {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

/// The toggle's next choice: automatic → light → dark → automatic.
pub fn next_choice(choice: Option<Theme>) -> Option<Theme> {
    match choice {
        None => Some(Theme::Light),
        Some(Theme::Light) => Some(Theme::Dark),
        Some(Theme::Dark) => None,
    }
}

/// What the toggle button says about the current choice.
pub fn choice_label(choice: Option<Theme>) -> &'static str {
    match choice {
        None => "Theme: automatic",
        Some(Theme::Light) => "Theme: light",
        Some(Theme::Dark) => "Theme: dark",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_toggle_cycles_through_three_choices() {
        let mut seen = vec![None];
        let mut choice = None;
        for _ in 0..3 {
            choice = next_choice(choice);
            seen.push(choice);
        }
        assert_eq!(seen, vec![None, Some(Theme::Light), Some(Theme::Dark), None]);
        assert_eq!(choice_label(Some(Theme::Dark)), "Theme: dark");
    }

    #[test]
    fn a_theme_reads_back_what_it_writes() {
        for theme in [Theme::Light, Theme::Dark] {
            assert_eq!(Theme::parse(theme.as_str()), Some(theme));
        }
        assert_eq!(Theme::parse("auto"), None);
        assert_eq!(Theme::parse("Dark"), None);
    }
}
