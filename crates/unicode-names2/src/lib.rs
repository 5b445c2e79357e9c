//! Unicode character names for `"\N{NAME}"` string escapes: a small table of the
//! names teaching scripts use, instead of the full Unicode name list (about 1 MB
//! of wasm). An unknown name is a syntax error, as an unknown name is in CPython.

/// (name, character), names in upper case as Unicode spells them.
const NAMES: &[(&str, char)] = &[
    ("BULLET", '\u{2022}'),
    ("EM DASH", '\u{2014}'),
    ("EN DASH", '\u{2013}'),
    ("HORIZONTAL ELLIPSIS", '\u{2026}'),
    ("RIGHTWARDS ARROW", '\u{2192}'),
    ("LEFTWARDS ARROW", '\u{2190}'),
    ("CHECK MARK", '\u{2713}'),
    ("HEAVY CHECK MARK", '\u{2714}'),
    ("BALLOT X", '\u{2717}'),
    ("MULTIPLICATION SIGN", '\u{00D7}'),
    ("DEGREE SIGN", '\u{00B0}'),
    ("MICRO SIGN", '\u{00B5}'),
    ("GREEK SMALL LETTER ALPHA", '\u{03B1}'),
    ("GREEK SMALL LETTER BETA", '\u{03B2}'),
    ("GREEK SMALL LETTER MU", '\u{03BC}'),
    ("GREEK SMALL LETTER PI", '\u{03C0}'),
    ("GREEK CAPITAL LETTER DELTA", '\u{0394}'),
    ("SNOWMAN", '\u{2603}'),
    ("BLACK STAR", '\u{2605}'),
    ("WHITE STAR", '\u{2606}'),
    ("HOURGLASS", '\u{231B}'),
    ("WATCH", '\u{231A}'),
    ("NO-BREAK SPACE", '\u{00A0}'),
    ("SPACE", ' '),
    ("LINE FEED", '\n'),
    ("CHARACTER TABULATION", '\t'),
    ("NULL", '\0'),
    ("COPYRIGHT SIGN", '\u{00A9}'),
    ("EURO SIGN", '\u{20AC}'),
    ("POUND SIGN", '\u{00A3}'),
    ("LATIN SMALL LETTER E WITH ACUTE", '\u{00E9}'),
    ("BOX DRAWINGS LIGHT HORIZONTAL", '\u{2500}'),
    ("BOX DRAWINGS LIGHT VERTICAL", '\u{2502}'),
    ("FULL BLOCK", '\u{2588}'),
    ("LIGHT SHADE", '\u{2591}'),
];

/// The character with this Unicode name (case-insensitive), if the table has it.
pub fn character(name: &str) -> Option<char> {
    let upper = name.trim().to_ascii_uppercase();
    NAMES.iter().find(|(n, _)| *n == upper).map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_case_insensitively() {
        assert_eq!(character("bullet"), Some('•'));
        assert_eq!(character("EM DASH"), Some('—'));
        assert_eq!(character("NO SUCH NAME"), None);
    }
}
