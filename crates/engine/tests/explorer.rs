//! The outcome explorer finds the outcomes races can have, and replays them.

mod common;

use serde::Deserialize;
use threadline_engine::Schedule;
use threadline_engine::{run, scenarios, PyVersion, RunOptions, StopReason, Stream, Trace};
use threadline_engine::{ExploreOptions, Explorer, Report, Strategy};

const LOST_UPDATE: &str = "import threading\n\ncounter = 0\n\n\ndef add_one(v):\n    return v + 1\n\n\ndef work():\n    global counter\n    for _ in range(3):\n        counter = add_one(counter)\n\n\nthreads = [threading.Thread(target=work) for _ in range(2)]\nfor t in threads:\n    t.start()\nfor t in threads:\n    t.join()\nprint(\"counter =\", counter)\n";

const TWO_LOCKS: &str = "import threading\n\na = threading.Lock()\nb = threading.Lock()\n\n\ndef one():\n    with a:\n        with b:\n            print(\"one has both\")\n\n\ndef two():\n    with b:\n        with a:\n            print(\"two has both\")\n\n\nt1 = threading.Thread(target=one)\nt2 = threading.Thread(target=two)\nt1.start()\nt2.start()\nt1.join()\nt2.join()\nprint(\"done\")\n";

fn explore(source: &str, opts: &RunOptions, x: ExploreOptions) -> Report {
    let mut e = Explorer::new(source, opts, x).expect("script compiles");
    e.run_to_end()
}

/// The bundled scenarios of the groups `keep` accepts, as (id, script, run options).
fn scenario_cases(keep: impl Fn(&str) -> bool) -> Vec<(String, String, RunOptions)> {
    scenarios::all()
        .into_iter()
        .filter(|s| keep(&s.group))
        .map(|s| (s.meta.id.clone(), s.script.clone(), s.run_options()))
        .collect()
}

fn stdout_of(source: &str, opts: &RunOptions) -> Vec<String> {
    stdout_lines(&run(source, opts))
}

fn stdout_lines(trace: &Trace) -> Vec<String> {
    trace
        .output
        .iter()
        .filter(|l| l.stream == Stream::Stdout)
        .map(|l| l.text.clone())
        .collect()
}

#[test]
fn lost_updates_are_found_and_replayed() {
    let opts = RunOptions::default();
    let report = explore(LOST_UPDATE, &opts, ExploreOptions::default());
    assert!(report.complete);
    let finals: Vec<String> = report.outcomes.iter().map(|o| o.stdout[0].clone()).collect();
    assert_eq!(finals[0], "counter = 6", "the default run comes first");
    for lost in ["counter = 3", "counter = 4", "counter = 5"] {
        let o = report
            .outcomes
            .iter()
            .find(|o| o.stdout[0] == lost)
            .unwrap_or_else(|| panic!("{lost} not found: {finals:?}"));
        let replay = RunOptions {
            schedule: Some(Schedule::decode(&o.schedule).unwrap()),
            ..opts.clone()
        };
        assert_eq!(
            stdout_of(LOST_UPDATE, &replay),
            vec![lost.to_string()],
            "replaying {}",
            o.schedule
        );
    }
}

#[test]
fn a_two_lock_deadlock_is_found_explained_and_replayed() {
    let opts = RunOptions::default();
    let report = explore(TWO_LOCKS, &opts, ExploreOptions::default());
    let dead = report.outcomes.iter().find(|o| o.deadlock).expect("deadlock found");
    let text = dead.explanation.join("\n");
    assert!(
        text.contains("Thread-1 (one) is blocked in b.acquire() (held by Thread-2 (two))"),
        "{text}"
    );
    assert!(
        text.contains("Thread-2 (two) is blocked in a.acquire() (held by Thread-1 (one))"),
        "{text}"
    );
    let replay = RunOptions {
        schedule: Some(Schedule::decode(&dead.schedule).unwrap()),
        ..opts
    };
    assert_eq!(run(TWO_LOCKS, &replay).outcome.stop, StopReason::Deadlock);
}

#[test]
fn a_deterministic_script_has_one_outcome() {
    let s = scenarios::find("nondaemon-main-ends").expect("scenario");
    let report = explore(&s.script, &s.run_options(), ExploreOptions::default());
    assert_eq!(report.outcomes.len(), 1, "{:?}", report.outcomes);
}

#[test]
fn random_and_pct_find_the_lost_update_too() {
    for strategy in [Strategy::Random, Strategy::Pct] {
        let x = ExploreOptions {
            strategy,
            max_schedules: 300,
            ..ExploreOptions::default()
        };
        let report = explore(LOST_UPDATE, &RunOptions::default(), x);
        assert!(report.outcomes.len() >= 2, "{strategy:?}: {:?}", report.outcomes);
    }
}

#[test]
fn exploring_twice_gives_the_same_report() {
    let a = explore(LOST_UPDATE, &RunOptions::default(), ExploreOptions::default());
    let b = explore(LOST_UPDATE, &RunOptions::default(), ExploreOptions::default());
    assert_eq!(a, b);
}

#[derive(Deserialize)]
struct Recording {
    python: String,
    outcomes: Vec<RecOutcome>,
}

#[derive(Deserialize)]
struct RecOutcome {
    stdout: Vec<String>,
    exit_code: Option<i32>,
    still_running: bool,
}

/// `(scenario id, python)` of racy recordings whose outcomes differ by start-up timing.
fn timing_races() -> Vec<(String, String)> {
    include_str!("timing_races.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (id, rest) = l.split_once(" [")?;
            let (py, _) = rest.split_once(']')?;
            Some((id.to_string(), py.to_string()))
        })
        .collect()
}

/// Every outcome CPython was observed to give for a racy scenario is among the
/// explored ones (but for races of start-up timing, listed in timing_races.txt).
#[test]
fn racy_scenarios_show_every_outcome_cpython_gave() {
    let timing = timing_races();
    let mut listed_and_seen = 0;
    let mut missing = Vec::new();
    let mut checked = 0;
    for s in scenarios::all() {
        for r in common::recordings(&s) {
            let rec: Recording = serde_json::from_str(&r).expect("recording");
            if rec.outcomes.len() < 2 {
                continue;
            }
            if timing.iter().any(|(id, py)| *id == s.meta.id && *py == rec.python) {
                listed_and_seen += 1;
                continue;
            }
            checked += 1;
            // Under the version that was recorded.
            let options = RunOptions {
                python: PyVersion::parse(&rec.python).expect("a modelled version"),
                ..s.run_options()
            };
            // Bounded DFS for the shallow combinations, PCT and random schedules for the deeper ones.
            let mut found_outcomes = Vec::new();
            for (strategy, max_schedules) in [
                (Strategy::Dfs, 1_000),
                (Strategy::Pct, 2_000),
                (Strategy::Random, 1_500),
            ] {
                let x = ExploreOptions {
                    strategy,
                    max_schedules,
                    preemption_bound: Some(6),
                    ..ExploreOptions::default()
                };
                found_outcomes.extend(explore(&s.script, &options, x).outcomes);
            }
            for o in &rec.outcomes {
                let found = found_outcomes
                    .iter()
                    .any(|e| e.stdout == o.stdout && e.exit_code == o.exit_code && e.still_running == o.still_running);
                if !found {
                    missing.push(format!(
                        "{} [{}]: {:?} (exit {:?})",
                        s.meta.id, rec.python, o.stdout, o.exit_code
                    ));
                }
            }
        }
    }
    assert!(checked >= 3, "expected racy recordings, found {checked}");
    assert_eq!(
        listed_and_seen,
        timing.len(),
        "every line of timing_races.txt names a racy recording"
    );
    assert!(
        missing.is_empty(),
        "outcomes CPython gave that the explorer did not find:\n{}",
        missing.join("\n")
    );
}

/// What an outcome is, without its count or schedule.
fn outcome_set(r: &Report) -> Vec<String> {
    let mut v: Vec<String> = r
        .outcomes
        .iter()
        .map(|o| {
            format!(
                "{:?} {:?} {:?} {} {}",
                o.stdout, o.stderr, o.exit_code, o.still_running, o.deadlock
            )
        })
        .collect();
    v.sort();
    v
}

fn with_reduction(reduction: bool, preemption_bound: u32, max_schedules: u64) -> ExploreOptions {
    ExploreOptions {
        reduction,
        preemption_bound: Some(preemption_bound),
        max_schedules,
        ..ExploreOptions::default()
    }
}

#[test]
fn reduction_is_on_by_default() {
    assert!(ExploreOptions::default().reduction);
}

#[test]
fn reduction_keeps_every_outcome_of_the_test_scripts() {
    for (name, script) in [("lost update", LOST_UPDATE), ("two locks", TWO_LOCKS)] {
        for bound in [1, 2, 3] {
            let on = explore(script, &RunOptions::default(), with_reduction(true, bound, 100_000));
            let off = explore(script, &RunOptions::default(), with_reduction(false, bound, 100_000));
            assert!(on.complete && off.complete, "{name}, bound {bound}");
            assert_eq!(outcome_set(&on), outcome_set(&off), "{name}, bound {bound}");
            assert!(on.schedules <= off.schedules, "{name}, bound {bound}");
            assert_eq!(on.outcomes[0].schedule, "s2", "{name}: the default run comes first");
        }
    }
}

#[test]
fn reduction_runs_fewer_schedules_for_the_lost_update() {
    let on = explore(LOST_UPDATE, &RunOptions::default(), with_reduction(true, 3, 100_000));
    let off = explore(LOST_UPDATE, &RunOptions::default(), with_reduction(false, 3, 100_000));
    assert!(on.complete && off.complete);
    assert_eq!(outcome_set(&on), outcome_set(&off));
    assert!(
        on.schedules < off.schedules,
        "{} schedules with reduction, {} without",
        on.schedules,
        off.schedules
    );
}

/// Every bundled scenario whose bounded DFS finishes within the limit finds
/// the same outcomes with and without reduction.
#[test]
fn reduction_keeps_every_outcome_of_every_scenario() {
    let mut compared = 0;
    let mut differ = Vec::new();
    for s in scenarios::all() {
        let opts = s.run_options();
        let off = explore(&s.script, &opts, with_reduction(false, 2, 400));
        if !off.complete {
            continue;
        }
        let on = explore(&s.script, &opts, with_reduction(true, 2, 400));
        compared += 1;
        if !on.complete || outcome_set(&on) != outcome_set(&off) || on.schedules > off.schedules {
            differ.push(format!(
                "{}: {} schedules, {:?} with reduction; {} schedules, {:?} without",
                s.meta.id,
                on.schedules,
                outcome_set(&on),
                off.schedules,
                outcome_set(&off)
            ));
        }
    }
    assert!(compared >= 50, "only {compared} scenarios explored completely");
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

fn unbounded(reduction: bool, max_schedules: u64) -> ExploreOptions {
    ExploreOptions {
        reduction,
        preemption_bound: None,
        max_schedules,
        ..ExploreOptions::default()
    }
}

/// Without a bound, DPOR covers every schedule of the lost update: counter = 2
/// (the lowest two threads of three increments can reach) included, each
/// outcome replayable.
#[test]
fn dpor_explores_the_lost_update_completely() {
    let opts = RunOptions::default();
    let report = explore(LOST_UPDATE, &opts, unbounded(true, 50_000));
    assert!(report.complete, "{} schedules", report.schedules);
    assert!(report.schedules < 20_000, "{} schedules", report.schedules);
    let mut finals: Vec<String> = report.outcomes.iter().map(|o| o.stdout.join("|")).collect();
    assert_eq!(finals[0], "counter = 6", "the default run comes first");
    assert_eq!(report.outcomes[0].schedule, "s2");
    finals.sort();
    assert_eq!(
        finals,
        [
            "counter = 2",
            "counter = 3",
            "counter = 4",
            "counter = 5",
            "counter = 6"
        ]
    );
    for o in &report.outcomes {
        let replay = RunOptions {
            schedule: Some(Schedule::decode(&o.schedule).unwrap()),
            ..opts.clone()
        };
        assert_eq!(stdout_of(LOST_UPDATE, &replay), o.stdout, "replaying {}", o.schedule);
    }
    // Deterministic: the same exploration twice gives the same report.
    assert_eq!(explore(LOST_UPDATE, &opts, unbounded(true, 50_000)), report);
}

/// Every bundled scenario, and the test scripts, whose schedules can all be
/// run without a bound within the limit: DPOR finds the same outcomes, with
/// no more schedules.
#[test]
fn dpor_keeps_every_outcome() {
    let mut cases = scenario_cases(|_| true);
    cases.push(("two locks".into(), TWO_LOCKS.into(), RunOptions::default()));
    let mut compared = 0;
    let mut differ = Vec::new();
    for (id, script, opts) in cases {
        let off = explore(&script, &opts, unbounded(false, 60));
        if !off.complete {
            continue;
        }
        let on = explore(&script, &opts, unbounded(true, 60));
        compared += 1;
        if !on.complete || outcome_set(&on) != outcome_set(&off) || on.schedules > off.schedules {
            differ.push(format!(
                "{id}: {} schedules, {:?} with DPOR; {} schedules, {:?} without",
                on.schedules,
                outcome_set(&on),
                off.schedules,
                outcome_set(&off)
            ));
        }
    }
    assert!(compared >= 30, "only {compared} scenarios explored completely");
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

/// A `join()` interrupted by a Ctrl-C handler goes on afterwards (PEP 475);
/// when the joined thread ended while the handler ran, the join returns
/// instead of waiting forever: no schedule of the scenario deadlocks.
#[test]
fn a_join_resumed_after_a_handler_sees_its_thread_ended() {
    let s = scenarios::all()
        .into_iter()
        .find(|s| s.meta.id == "bg-loop-event-wait-ctrlc")
        .expect("scenario");
    let report = explore(&s.script, &s.run_options(), unbounded(false, 200));
    assert!(
        report.complete && report.schedules > 10,
        "{} schedules",
        report.schedules
    );
    for o in &report.outcomes {
        assert!(
            !o.deadlock && o.exit_code == Some(0),
            "{:?} with {}",
            o.explanation,
            o.schedule
        );
    }
}

/// One expectation of `races.json`: what exploring a classic race finds.
#[derive(Deserialize)]
struct RaceCase {
    /// `id` or `id~variation`.
    scenario: String,
    /// The preemption bound (null: every schedule, with DPOR).
    bound: Option<u32>,
    /// Every outcome, as `stdout lines joined by " | "`, `[deadlock]` appended.
    outcomes: Vec<String>,
    /// Text each deadlock's explanation contains.
    #[serde(default)]
    explanation: Vec<String>,
}

fn signature(stdout: &[String], deadlock: bool) -> String {
    let mut s = stdout.join(" | ");
    if deadlock {
        s = format!("{s} [deadlock]").trim().to_string();
    }
    s
}

/// The classic races of the library: the explorer finds exactly the listed
/// outcomes (the bad ones included), every CPython outcome among them, and
/// each outcome's schedule replays it.
#[test]
fn classic_races_are_found_and_replayed() {
    let cases: Vec<RaceCase> = serde_json::from_str(include_str!("races.json")).expect("races.json");
    let all = scenarios::all();
    let dir = common::scenarios_dir();
    let mut failures = Vec::new();
    for case in &cases {
        let (id, variation) = match case.scenario.split_once('~') {
            Some((id, v)) => (id, Some(v)),
            None => (case.scenario.as_str(), None),
        };
        let s = all.iter().find(|s| s.meta.id == id).expect("scenario in the library");
        let (script, opts) = match variation {
            Some(v) => {
                let v = s.meta.try_this.iter().find(|t| t.id == v).expect("variation");
                (
                    s.variation_script(v).expect("variation script").to_string(),
                    s.variation_options(v),
                )
            }
            None => (s.script.clone(), s.run_options()),
        };
        let x = ExploreOptions {
            preemption_bound: case.bound,
            max_schedules: 100_000,
            ..ExploreOptions::default()
        };
        let report = explore(&script, &opts, x.clone());
        assert_eq!(
            report,
            explore(&script, &opts, x),
            "{}: the same report twice",
            case.scenario
        );
        assert!(report.complete, "{}: explored completely", case.scenario);
        let mut found: Vec<String> = report
            .outcomes
            .iter()
            .map(|o| signature(&o.stdout, o.deadlock))
            .collect();
        found.sort();
        if found != case.outcomes {
            failures.push(format!("{} (bound {:?}): found {found:#?}", case.scenario, case.bound));
        }
        for o in &report.outcomes {
            let replay = RunOptions {
                schedule: Some(Schedule::decode(&o.schedule).expect("schedule decodes")),
                ..opts.clone()
            };
            let trace = run(&script, &replay);
            let stdout = stdout_lines(&trace);
            let deadlock = trace.outcome.stop == StopReason::Deadlock;
            assert_eq!(
                signature(&stdout, deadlock),
                signature(&o.stdout, o.deadlock),
                "{}: replaying {}",
                case.scenario,
                o.schedule
            );
            if o.deadlock {
                let text = o.explanation.join("\n");
                for want in &case.explanation {
                    assert!(
                        text.contains(want.as_str()),
                        "{}: {want:?} not in\n{text}",
                        case.scenario
                    );
                }
            }
        }
        let file = dir.join(&s.group).join(format!("{}.cpython-3.13.json", case.scenario));
        let rec: Recording =
            serde_json::from_str(&std::fs::read_to_string(&file).expect("recording")).expect("recording parses");
        for o in &rec.outcomes {
            // A CPython run still going at the limit is, in these scripts, a
            // thread waiting forever: the simulator calls it a deadlock.
            let cpython = signature(&o.stdout, o.still_running);
            assert!(
                found.contains(&cpython),
                "{}: CPython's {cpython:?} not explored",
                case.scenario
            );
        }
    }
    assert!(cases.len() >= 13);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Scenarios CPython ran the same way every recorded time, whose exploration
/// nevertheless finds more than one outcome, each with the race that explains it.
const GENUINE_RACES: &str = include_str!("genuine_races.txt");

/// A scenario whose recordings all show one outcome finds exactly one, unless
/// `genuine_races.txt` lists it with the race that explains the others (and a
/// listed scenario really has several). Scenarios whose default run executes
/// more than two million instructions are left out to keep the test short.
#[test]
fn deterministic_scenarios_have_one_outcome_or_a_listed_race() {
    let listed: Vec<&str> = GENUINE_RACES
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for s in scenarios::all() {
        let recordings: Vec<Recording> = common::recordings(&s)
            .iter()
            .map(|r| serde_json::from_str(r).expect("recording"))
            .collect();
        if recordings.is_empty() || recordings.iter().any(|r| r.outcomes.len() > 1) {
            continue;
        }
        let opts = s.run_options();
        if run(&s.script, &opts).outcome.instructions > 2_000_000 {
            continue;
        }
        checked += 1;
        let x = ExploreOptions {
            max_schedules: 300,
            ..ExploreOptions::default()
        };
        let report = explore(&s.script, &opts, x);
        let is_listed = listed.contains(&s.meta.id.as_str());
        if (report.outcomes.len() > 1) != is_listed {
            wrong.push(format!(
                "{}: {} outcomes, listed: {is_listed}: {:?}",
                s.meta.id,
                report.outcomes.len(),
                report.outcomes.iter().map(|o| o.differs.clone()).collect::<Vec<_>>()
            ));
        }
    }
    assert!(checked >= 80, "only {checked} scenarios checked");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A long computation before the threads of the lost update start: later
/// runs share it with the first.
const LONG_PREFIX: &str = "import threading\n\ntotal = 0\nfor i in range(3000):\n    total += i % 7\n\ncounter = 0\n\n\ndef work():\n    global counter\n    for _ in range(2):\n        counter = counter + 1\n\n\nthreads = [threading.Thread(target=work) for _ in range(2)]\nfor t in threads:\n    t.start()\nfor t in threads:\n    t.join()\nprint(total, counter)\n";

/// Runs resumed from a snapshot of the world behave exactly as runs from the
/// start: for every bundled scenario and the test scripts, each DFS flavour
/// (no reduction, sleep sets with a bound, DPOR) gives the same report with
/// snapshots taken often as without any, and each resumed run is checked
/// against the same schedule run from the start (trace, choices, sleep-set
/// and DPOR bookkeeping).
#[test]
fn runs_resumed_from_snapshots_are_exact() {
    let mut cases = scenario_cases(|_| true);
    cases.push(("lost update".into(), LOST_UPDATE.into(), RunOptions::default()));
    cases.push(("two locks".into(), TWO_LOCKS.into(), RunOptions::default()));
    cases.push(("long prefix".into(), LONG_PREFIX.into(), RunOptions::default()));
    let flavours = [
        ("no reduction", false, Some(2)),
        ("sleep sets", true, Some(2)),
        ("DPOR", true, None),
    ];
    let mut resumed_in = Vec::new();
    for (id, script, mut opts) in cases {
        // Long scenarios (busy loops) stop early, to keep the test fast.
        opts.max_instructions = opts.max_instructions.min(60_000);
        let instructions = run(&script, &opts).outcome.instructions;
        let max_schedules = if instructions > 20_000 { 6 } else { 40 };
        // About 20 snapshots in the default run, wherever they fall.
        let every = (instructions / 20).max(7);
        for (flavour, reduction, preemption_bound) in flavours {
            let x = ExploreOptions {
                reduction,
                preemption_bound,
                max_schedules,
                snapshot_every: 0,
                ..ExploreOptions::default()
            };
            let off = explore(&script, &opts, x.clone());
            let mut e = Explorer::new(
                &script,
                &opts,
                ExploreOptions {
                    snapshot_every: every,
                    ..x
                },
            )
            .expect("script compiles");
            e.check_snapshots();
            let on = e.run_to_end();
            assert_eq!(on, off, "{id}, {flavour}: with snapshots every {every} instructions");
            let stats = e.snapshot_stats();
            if stats.resumed_after_choice > 0 {
                resumed_in.push(format!("{id}, {flavour}"));
            }
            if id == "long prefix" {
                // Every run after the first skips the loop.
                assert!(
                    stats.resumed == on.schedules - 1 && stats.instructions_skipped >= 20_000 * stats.resumed,
                    "{flavour}: {stats:?}"
                );
            }
        }
    }
    for flavour in ["no reduction", "sleep sets", "DPOR"] {
        for id in ["lost update", "two locks"] {
            let case = format!("{id}, {flavour}");
            assert!(
                resumed_in.contains(&case),
                "{case}: no run resumed from a snapshot past a choice"
            );
        }
    }
    assert!(resumed_in.len() > 100, "{resumed_in:?}");
}

/// By default, runs after the first start from a copy of the world rather
/// than building it again, and the report is the same.
#[test]
fn snapshots_are_on_by_default_and_change_nothing() {
    let x = with_reduction(true, 2, 1_000);
    assert!(x.snapshot_every > 0);
    let mut e = Explorer::new(LONG_PREFIX, &RunOptions::default(), x.clone()).expect("script compiles");
    let on = e.run_to_end();
    let stats = e.snapshot_stats();
    assert_eq!(stats.resumed, on.schedules - 1, "{stats:?}");
    // Each run after the first skips the loop.
    assert!(stats.instructions_skipped >= 20_000 * stats.resumed, "{stats:?}");
    let off = explore(
        LONG_PREFIX,
        &RunOptions::default(),
        ExploreOptions { snapshot_every: 0, ..x },
    );
    assert_eq!(on, off);
}

/// A script that shows an object's address: its runs read identities, which
/// the reduction tracks in a flag of the thread the engine runs on.
const SHOWS_AN_ADDRESS: &str = "import threading\n\n\nclass Box:\n    pass\n\n\ndef work():\n    print(Box())\n\n\nt = threading.Thread(target=work)\nt.start()\nprint(Box())\nt.join()\n";

/// `Explorer::advance` pauses a run whose budget is spent and goes on with it
/// at the next call; with any budget the report is the one `step` gives.
/// Other simulations may run between two slices (as in a page while an
/// exploration goes on): for short scripts, one runs after every slice.
#[test]
fn explorations_in_slices_give_the_same_report() {
    let mut cases = scenario_cases(|group| group.starts_with("seed-") || group == "races");
    assert!(cases.len() > 40, "{} scenarios", cases.len());
    cases.push(("lost update".into(), LOST_UPDATE.into(), RunOptions::default()));
    cases.push(("two locks".into(), TWO_LOCKS.into(), RunOptions::default()));
    cases.push(("long prefix".into(), LONG_PREFIX.into(), RunOptions::default()));
    cases.push((
        "shows an address".into(),
        SHOWS_AN_ADDRESS.into(),
        RunOptions::default(),
    ));
    let flavours = [
        ("no reduction", Strategy::Dfs, false, Some(2)),
        ("sleep sets", Strategy::Dfs, true, Some(2)),
        ("DPOR", Strategy::Dfs, true, None),
        ("random", Strategy::Random, true, Some(2)),
        ("PCT", Strategy::Pct, true, Some(2)),
    ];
    let mut paused = 0;
    for (id, script, mut opts) in cases {
        opts.max_instructions = opts.max_instructions.min(60_000);
        let short = run(&script, &opts).outcome.instructions < 5_000;
        for (flavour, strategy, reduction, preemption_bound) in flavours {
            let x = ExploreOptions {
                strategy,
                reduction,
                preemption_bound,
                max_schedules: 12,
                ..ExploreOptions::default()
            };
            let whole = explore(&script, &opts, x.clone());
            for budget in [97, 5_000] {
                let mut e = Explorer::new(&script, &opts, x.clone()).expect("script compiles");
                loop {
                    let runs = e.runs();
                    let more = e.advance(budget);
                    if e.runs() == runs && more {
                        paused += 1;
                    }
                    if short {
                        // It shows an address: it sets the flag for identity reads.
                        run(SHOWS_AN_ADDRESS, &RunOptions::default());
                    }
                    if !more {
                        break;
                    }
                }
                assert_eq!(e.report(), whole, "{id}, {flavour}, slices of {budget} instructions");
            }
        }
    }
    assert!(paused > 1_000, "runs paused {paused} times");
}

/// A slice of an exploration whose runs are long ends when its budget is
/// spent, in the middle of a run.
#[test]
fn a_slice_stops_in_the_middle_of_a_long_run() {
    let mut e = Explorer::new(LONG_PREFIX, &RunOptions::default(), ExploreOptions::default()).expect("compiles");
    let mut slices = 0;
    while e.runs() == 0 {
        assert!(e.advance(1_000));
        slices += 1;
    }
    // The loop alone runs 3,000 × 4+ instructions.
    assert!(slices >= 12, "the first run ended after {slices} slices");
}
