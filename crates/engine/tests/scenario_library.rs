//! The bundled scenario library is complete and every script runs.

mod common;

use std::collections::BTreeSet;

use threadline_engine::{check, run, scenarios, Simulation};

#[test]
fn every_metadata_file_parses() {
    assert_eq!(scenarios::invalid_metadata(), Vec::<(String, String)>::new());
}

#[test]
fn ids_are_unique_and_text_is_present() {
    let all = scenarios::all();
    assert!(all.len() >= 30, "only {} scenarios", all.len());
    let mut ids = BTreeSet::new();
    for s in &all {
        assert!(ids.insert(s.meta.id.clone()), "duplicate id {}", s.meta.id);
        assert!(
            !s.meta.id.is_empty()
                && s.meta
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "id {:?} is not kebab-case",
            s.meta.id
        );
        assert!(!s.meta.title.trim().is_empty(), "{}: no title", s.meta.id);
        assert!(!s.meta.source.trim().is_empty(), "{}: no source", s.meta.id);
        assert!(
            s.meta.notice.split(". ").count() >= 1 && s.meta.notice.len() >= 40,
            "{}: notice too short",
            s.meta.id
        );
        assert!(
            s.meta.until > 0.0 && s.meta.until <= 120.0,
            "{}: horizon {}",
            s.meta.id,
            s.meta.until
        );
        assert!(!common::recordings(s).is_empty(), "{}: no CPython recording", s.meta.id);
        assert!(s.path.ends_with(".py"));
    }
}

#[test]
fn every_script_passes_the_checker() {
    for s in scenarios::all() {
        assert_eq!(check(&s.script), vec![], "{} has diagnostics", s.meta.id);
    }
}

#[test]
fn scenarios_can_be_found_by_id() {
    let first = &scenarios::all()[0];
    assert_eq!(
        scenarios::find(&first.meta.id).map(|s| s.path),
        Some(first.path.clone())
    );
    assert!(scenarios::find("no-such-scenario").is_none());
}

#[test]
fn variations_are_valid() {
    for s in scenarios::all() {
        let mut ids = BTreeSet::new();
        for v in &s.meta.try_this {
            assert!(ids.insert(v.id.clone()), "{}: duplicate variation {}", s.meta.id, v.id);
            assert!(
                !v.label.trim().is_empty(),
                "{}: variation {} has no label",
                s.meta.id,
                v.id
            );
            let script = s
                .variation_script(v)
                .unwrap_or_else(|| panic!("{}: variation {} names a missing script", s.meta.id, v.id));
            assert_eq!(
                check(script),
                vec![],
                "{}: variation {} has diagnostics",
                s.meta.id,
                v.id
            );
            for sig in v.signals.iter().flatten() {
                sig.to_spec()
                    .unwrap_or_else(|e| panic!("{}: variation {}: {e}", s.meta.id, v.id));
            }
        }
        for sig in &s.meta.signals {
            sig.to_spec().unwrap_or_else(|e| panic!("{}: {e}", s.meta.id));
        }
    }
}

#[test]
fn the_guided_path_names_existing_scenarios() {
    let path = scenarios::guided_path();
    for step in &path {
        assert!(
            scenarios::find(&step.id).is_some(),
            "guided path names unknown scenario {}",
            step.id
        );
        assert!(!step.transition.trim().is_empty(), "{}: no transition text", step.id);
    }
}

/// The library lists the articles first, then the topics from threads to
/// processes, then the classic races.
#[test]
fn groups_come_articles_first_then_topics_then_races() {
    let mut groups: Vec<String> = Vec::new();
    for s in scenarios::all() {
        if groups.last() != Some(&s.group) {
            assert!(!groups.contains(&s.group), "{} is split", s.group);
            groups.push(s.group.clone());
        }
    }
    let articles = groups.iter().take_while(|g| g.starts_with("seed-")).count();
    assert!(articles >= 5, "{groups:?}");
    assert_eq!(
        groups[articles..],
        ["threads", "signals", "processes", "races"],
        "{groups:?}"
    );
}

/// A run made in slices (as the page makes long runs, to stay responsive)
/// pauses between two instructions of the script and gives the trace of a
/// run made in one go: every scenario and variation, paused after every
/// instruction and after every 997 (runs capped at 100,000 instructions).
#[test]
fn every_scenario_runs_the_same_in_slices() {
    let mut runs = 0;
    for s in scenarios::all() {
        let mut cases = vec![(s.meta.id.clone(), s.script.clone(), s.run_options())];
        for v in &s.meta.try_this {
            if let Some(script) = s.variation_script(v) {
                cases.push((
                    format!("{}~{}", s.meta.id, v.id),
                    script.to_string(),
                    s.variation_options(v),
                ));
            }
        }
        for (id, script, mut options) in cases {
            options.max_instructions = 100_000;
            let whole = run(&script, &options);
            for budget in [1, 997] {
                let mut sim = Simulation::new(&script, &options).unwrap_or_else(|_| panic!("{id} compiles"));
                let mut slices = 0;
                while !sim.advance(budget) {
                    slices += 1;
                }
                // Long runs are the scripts' own loops: they pause where asked.
                // (Short ones spend much of their time in library code that a
                // native runs to its end, such as a process's start.)
                let n = whole.outcome.instructions;
                assert!(
                    n < 5_000 || slices as u64 >= n / budget * 9 / 10,
                    "{id}: {slices} slices of {budget} for {n} instructions"
                );
                assert!(
                    sim.finish() == whole,
                    "{id}: a run in slices of {budget} instructions differs"
                );
                runs += 1;
            }
        }
    }
    assert!(runs > 400, "{runs} runs");
}

/// The scenario page's links (`/#id`) name bundled scenarios, and its
/// table lists every one of them.
#[test]
fn the_scenario_page_links_every_scenario_by_id() {
    let readme = include_str!("../../../docs/scenarios.md");
    let marker = "127.0.0.1:8080/#";
    let linked: BTreeSet<&str> = readme
        .match_indices(marker)
        .map(|(at, _)| {
            let rest = &readme[at + marker.len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect();
    let ids: BTreeSet<String> = scenarios::all().into_iter().map(|s| s.meta.id).collect();
    let unknown: Vec<&&str> = linked.iter().filter(|id| !ids.contains(**id)).collect();
    assert!(
        unknown.is_empty(),
        "docs/scenarios.md links to unknown scenarios: {unknown:?}"
    );
    let missing: Vec<&String> = ids.iter().filter(|id| !linked.contains(id.as_str())).collect();
    assert!(missing.is_empty(), "docs/scenarios.md lacks links to: {missing:?}");
}
