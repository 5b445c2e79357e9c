//! The scenario library as the picker shows it: group headings, one-sentence
//! summaries, the search filter and the guided path ("Start here").

use threadline_engine::scenarios::{PathStep, Scenario};

use crate::state::groups;

/// A group of the picker: its heading and its scenarios (index into the library).
#[derive(Clone, Debug, PartialEq)]
pub struct Group<'a> {
    /// The directory name (`seed-000`, `threads`, ...).
    pub id: &'a str,
    pub heading: String,
    /// A short line above the heading ("From the article") or nothing.
    pub kicker: Option<&'static str>,
    pub members: Vec<(usize, &'a Scenario)>,
}

/// The picker's groups in library order, each with a readable heading.
pub fn picker_groups(scenarios: &[Scenario]) -> Vec<Group<'_>> {
    groups(scenarios)
        .into_iter()
        .map(|(id, members)| {
            let article = id.starts_with("seed-");
            let heading = if article {
                members
                    .iter()
                    .find_map(|(_, s)| article_title(&s.meta.source))
                    .unwrap_or_else(|| id.to_string())
            } else {
                group_heading(id)
            };
            Group {
                id,
                heading,
                kicker: article.then_some("From the article"),
                members,
            }
        })
        .collect()
}

/// The heading of a group that is not an article.
pub fn group_heading(group: &str) -> String {
    match group {
        "threads" => "Threads: daemon, join, locks and exceptions".to_string(),
        "signals" => "Signals: Ctrl-C, SIGTERM and handlers".to_string(),
        "processes" => "Processes: multiprocessing, pools and orphans".to_string(),
        "races" => "Races: lost updates, stale checks and deadlocks".to_string(),
        other => {
            let mut chars = other.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>().replace('-', " "),
                None => String::new(),
            }
        }
    }
}

/// The article's title in a scenario's `source`: the first quoted text,
/// as in `Seed 000 ("Why is ...?"), example 1`.
pub fn article_title(source: &str) -> Option<String> {
    let (_, rest) = source.split_once('"')?;
    let (title, _) = rest.split_once('"')?;
    let title = title.trim();
    (!title.is_empty()).then(|| title.to_string())
}

/// The first sentence of `text`: up to a `.`, `!` or `?` (and any closing
/// quote or bracket) that is followed by a space and a word that does not
/// start in lower case. `e.g. a` or `start(). then` do not end it.
pub fn first_sentence(text: &str) -> &str {
    let text = text.trim();
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if !matches!(b, b'.' | b'!' | b'?') {
            continue;
        }
        let mut end = i + 1;
        while end < bytes.len() && matches!(bytes[end], b'"' | b'\'' | b')') {
            end += 1;
        }
        let rest = &text[end..];
        if !rest.starts_with(' ') {
            continue;
        }
        match rest.trim_start().chars().next() {
            Some(c) if !c.is_lowercase() => return &text[..end],
            _ => {}
        }
    }
    text
}

/// Whether a scenario matches the search box: every word of `query` (in any
/// case) appears in its title, id, notice, source or group heading.
pub fn matches(query: &str, scenario: &Scenario, heading: &str) -> bool {
    let haystack = format!(
        "{}\n{}\n{}\n{}\n{}",
        scenario.meta.title, scenario.meta.id, scenario.meta.notice, scenario.meta.source, heading
    )
    .to_lowercase();
    query
        .split_whitespace()
        .all(|word| haystack.contains(&word.to_lowercase()))
}

/// What the search box says under it: how many scenarios match `query`.
pub fn match_count_text(count: usize, query: &str) -> String {
    match count {
        0 => format!("No scenario matches “{}”.", query.trim()),
        1 => "1 match".to_string(),
        n => format!("{n} matches"),
    }
}

/// One step of the guided path, resolved against the library.
#[derive(Clone, Debug, PartialEq)]
pub struct PathEntry<'a> {
    /// 1-based position in the path.
    pub number: usize,
    /// Index into the library.
    pub index: usize,
    pub scenario: &'a Scenario,
    pub transition: &'a str,
}

/// The guided path's steps whose scenario is in the library, in order.
pub fn path_entries<'a>(path: &'a [PathStep], scenarios: &'a [Scenario]) -> Vec<PathEntry<'a>> {
    path.iter()
        .filter_map(|step| {
            let index = scenarios.iter().position(|s| s.meta.id == step.id)?;
            Some((index, step))
        })
        .enumerate()
        .map(|(n, (index, step))| PathEntry {
            number: n + 1,
            index,
            scenario: &scenarios[index],
            transition: &step.transition,
        })
        .collect()
}

/// Where scenario `index` stands on the path: its own step and the next one.
#[derive(Clone, Debug, PartialEq)]
pub struct PathPosition<'a> {
    pub current: PathEntry<'a>,
    pub total: usize,
    pub next: Option<PathEntry<'a>>,
}

/// The path position of scenario `index` (None when it is not on the path).
pub fn path_position<'a>(entries: &[PathEntry<'a>], index: usize) -> Option<PathPosition<'a>> {
    let at = entries.iter().position(|e| e.index == index)?;
    Some(PathPosition {
        current: entries[at].clone(),
        total: entries.len(),
        next: entries.get(at + 1).cloned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_page_shows_of_the_library_names_no_internal_notes_or_files() {
        let scenarios = threadline_engine::scenarios::all();
        let mut shown: Vec<String> = Vec::new();
        for s in &scenarios {
            shown.extend([s.meta.title.clone(), s.meta.notice.clone(), s.meta.id.clone()]);
            shown.extend(s.meta.article_note.clone());
            for v in &s.meta.try_this {
                shown.push(v.label.clone());
                shown.extend(v.notice.clone());
            }
        }
        shown.extend(picker_groups(&scenarios).into_iter().map(|g| g.heading));
        shown.extend(
            threadline_engine::scenarios::guided_path()
                .into_iter()
                .map(|p| p.transition),
        );
        for text in &shown {
            for internal in ["ANCHORS", "FACTS", ".md", "learner confusion", "Probe:"] {
                assert!(!text.contains(internal), "{internal:?} in {text:?}");
            }
        }
        assert!(shown.len() > 300);
    }

    #[test]
    fn the_search_says_how_many_match() {
        assert_eq!(match_count_text(0, " daemon  "), "No scenario matches “daemon”.");
        assert_eq!(match_count_text(1, "x"), "1 match");
        assert_eq!(match_count_text(12, "x"), "12 matches");
    }
    use threadline_engine::scenarios;

    #[test]
    fn article_groups_are_headed_by_the_articles_titles() {
        let all = scenarios::all();
        let groups = picker_groups(&all);
        let headings: Vec<(&str, &str)> = groups.iter().map(|g| (g.id, g.heading.as_str())).collect();
        let heading = |id: &str| headings.iter().find(|(g, _)| *g == id).map(|(_, h)| *h);
        assert_eq!(
            heading("seed-000"),
            Some("Why is a Python script finishing execution but the process remaining active?")
        );
        assert_eq!(
            heading("seed-001"),
            Some("Programmer's Python Async: Process-Based Parallelism")
        );
        assert_eq!(
            heading("seed-002"),
            Some("How to Gracefully Stop Python Background Threads: Daemon & Event Solutions")
        );
        assert_eq!(heading("seed-003"), Some("Daemon Threads"));
        assert_eq!(heading("seed-004"), Some("Python: Daemon Processes"));
        assert_eq!(heading("signals"), Some("Signals: Ctrl-C, SIGTERM and handlers"));
        for group in &groups {
            assert_eq!(group.kicker.is_some(), group.id.starts_with("seed-"), "{}", group.id);
            assert!(!group.members.is_empty());
        }
        let total: usize = groups.iter().map(|g| g.members.len()).sum();
        assert_eq!(total, all.len());
        assert_eq!(group_heading("more-things"), "More things");
    }

    #[test]
    fn a_title_is_the_first_quoted_text() {
        assert_eq!(
            article_title(r#"Seed 9 ("A title"), example"#).as_deref(),
            Some("A title")
        );
        assert_eq!(article_title(r#"Seed 3 (lesson "B" and "C")"#).as_deref(), Some("B"));
        assert_eq!(article_title("no quotes"), None);
        assert_eq!(article_title(r#"one " quote"#), None);
        assert_eq!(article_title(r#"empty "" quotes"#), None);
    }

    #[test]
    fn a_summary_is_the_first_sentence() {
        assert_eq!(first_sentence("One. Two."), "One.");
        assert_eq!(
            first_sentence("p.pid is None before start(). In the child, more."),
            "p.pid is None before start()."
        );
        assert_eq!(
            first_sentence("It prints \"done.\" Then it exits."),
            "It prints \"done.\""
        );
        assert_eq!(first_sentence("Use e.g. join() here. Next."), "Use e.g. join() here.");
        assert_eq!(first_sentence("On 3.13 it waits! \"Why\" you ask"), "On 3.13 it waits!");
        assert_eq!(first_sentence("  no end at all  "), "no end at all");
        assert_eq!(first_sentence(""), "");
        for scenario in scenarios::all() {
            let summary = first_sentence(&scenario.meta.notice);
            assert!(scenario.meta.notice.trim().starts_with(summary), "{}", scenario.meta.id);
            assert!(!summary.is_empty(), "{} has a summary", scenario.meta.id);
        }
    }

    #[test]
    fn every_word_of_the_search_must_appear() {
        let all = scenarios::all();
        let join = all.iter().find(|s| s.meta.id == "daemon-join").unwrap();
        assert!(matches("", join, ""));
        assert!(matches("DAEMON join", join, ""));
        assert!(matches("daemon article", join, "The Article"));
        assert!(!matches("daemon zebra", join, ""));
        let hits = all.iter().filter(|s| matches("ctrl-c", s, "")).count();
        assert!(hits > 3 && hits < all.len(), "{hits}");
    }

    #[test]
    fn the_guided_path_resolves_in_order_with_next_steps() {
        let all = scenarios::all();
        let path = scenarios::guided_path();
        assert!(path.len() >= 5, "the guided path is bundled");
        let entries = path_entries(&path, &all);
        assert_eq!(entries.len(), path.len(), "every step names a bundled scenario");
        for (n, (entry, step)) in entries.iter().zip(&path).enumerate() {
            assert_eq!(entry.number, n + 1);
            assert_eq!(entry.scenario.meta.id, step.id);
            assert_eq!(all[entry.index].meta.id, step.id);
        }
        let first = path_position(&entries, entries[0].index).unwrap();
        assert_eq!(first.current.number, 1);
        assert_eq!(first.total, entries.len());
        assert_eq!(first.next.as_ref().map(|e| e.index), Some(entries[1].index));
        let last = path_position(&entries, entries.last().unwrap().index).unwrap();
        assert_eq!(last.next, None);
        let off_path = (0..all.len()).find(|i| entries.iter().all(|e| e.index != *i)).unwrap();
        assert_eq!(path_position(&entries, off_path), None);

        let steps = vec![
            PathStep {
                id: "gone".into(),
                transition: "x".into(),
            },
            path[1].clone(),
        ];
        let entries = path_entries(&steps, &all);
        assert_eq!(entries.len(), 1, "an unknown id is skipped");
        assert_eq!(entries[0].number, 1);
    }
}
