//! Share links and embedding: what a page URL says, as plain data.
//!
//! The fragment (after `#`) names what is shown and how it was run:
//! `s=daemon-join&v=daemon&seed=3&py=3.12&sig=1.5:INT:group,2:KILL:1001&t=1500000000&sch=s2-2.1`,
//! or for "My script" `code=` and the script as base64url(deflate(UTF-8)).
//! Old links with a plain `#<scenario id>` or `#my-script` still read.
//!
//! The query string (before `#`) sets up an embedded page:
//! `?embed=1&scenario=ID&step=N&autoplay=1&theme=light|dark`.
//!
//! [`decode`] never panics; its errors are sentences for the learner.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use miniz_oxide::inflate::{decompress_to_vec_with_limit, TINFLStatus};
use threadline_engine::{signal_name, Nanos, PyVersion, SignalSpec, SignalTarget, MAX_SOURCE_BYTES};

use crate::state::DEFAULT_MY_SCRIPT;
pub use crate::theme::Theme;

/// The old fragment that names "My script" with its starting text.
pub const MY_SCRIPT_FRAGMENT: &str = "my-script";

/// At most this many signals in a link.
pub const MAX_SIGNALS: usize = 256;

/// Longer fragments are refused before any decoding (a compressed script of
/// [`MAX_SOURCE_BYTES`] fits easily).
pub const MAX_FRAGMENT_CHARS: usize = 4 << 20;

/// Longer schedule strings are refused.
pub const MAX_SCHEDULE_CHARS: usize = 200_000;

/// What a share link holds. `None` (or, for `signals`, `None`) means the link
/// does not say, and the scenario's own setting applies.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shared {
    /// A bundled scenario's id.
    pub scenario: Option<String>,
    /// A "try this" variation's id (only with `scenario`).
    pub variation: Option<String>,
    /// The text of "My script" (only without `scenario`).
    pub script: Option<String>,
    pub seed: Option<u64>,
    pub python: Option<PyVersion>,
    /// The signals sent during the run; `Some(vec![])` when the learner sent none.
    pub signals: Option<Vec<SignalSpec>>,
    /// Where the time cursor was.
    pub cursor_ns: Option<Nanos>,
    /// A schedule string (checked by the model when it runs).
    pub schedule: Option<String>,
}

/// What a link to the model's current view holds: the selection, and the
/// settings that differ from the selection's own (the cursor only when asked).
pub fn of_model(model: &crate::state::Model, with_cursor: bool) -> Shared {
    let base = model.base_options();
    let settings = &model.settings;
    Shared {
        scenario: model.scenario().map(|s| s.meta.id.clone()),
        variation: model.selected_variation().map(|v| v.id.clone()),
        script: model.scenario().is_none().then(|| model.my_script.clone()),
        seed: (settings.seed != base.seed).then_some(settings.seed),
        python: (settings.python != base.python).then_some(settings.python),
        signals: (settings.signals != base.signals).then(|| settings.signals.clone()),
        cursor_ns: with_cursor.then_some(model.cursor_ns),
        schedule: settings.schedule.clone(),
    }
}

/// The URL fragment (without `#`) that links to `shared`.
pub fn encode(shared: &Shared) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(id) = &shared.scenario {
        parts.push(format!("s={}", escape(id)));
        if let Some(v) = &shared.variation {
            parts.push(format!("v={}", escape(v)));
        }
    }
    if let Some(script) = &shared.script {
        parts.push(format!("code={}", compress(script)));
    }
    if let Some(seed) = shared.seed {
        parts.push(format!("seed={seed}"));
    }
    if let Some(python) = shared.python {
        parts.push(format!("py={}", python.label()));
    }
    if let Some(signals) = &shared.signals {
        let list: Vec<String> = signals.iter().map(signal_text).collect();
        parts.push(format!("sig={}", list.join(",")));
    }
    if let Some(t) = shared.cursor_ns {
        parts.push(format!("t={t}"));
    }
    if let Some(schedule) = &shared.schedule {
        parts.push(format!("sch={}", escape(schedule)));
    }
    parts.join("&")
}

/// Reads a URL fragment (with or without its `#`); any part that cannot be
/// read makes it an error.
pub fn decode(fragment: &str) -> Result<Shared, String> {
    let (shared, mut dropped) = decode_keeping(fragment)?;
    match dropped.is_empty() {
        true => Ok(shared),
        false => Err(dropped.swap_remove(0)),
    }
}

/// Reads a URL fragment, keeping what can be read: the link, and why each
/// part that could not be read was left out. An error only when nothing of
/// it can be used.
pub fn decode_keeping(fragment: &str) -> Result<(Shared, Vec<String>), String> {
    let fragment = fragment.trim();
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.len() > MAX_FRAGMENT_CHARS {
        return Err("The link is too long to be a Threadline link.".to_string());
    }
    if fragment.is_empty() {
        return Ok((Shared::default(), Vec::new()));
    }
    if !fragment.contains('=') {
        // An old link: `#<scenario id>` or `#my-script`.
        let id = unescape(fragment).ok_or("The link's scenario name is not valid text.")?;
        let shared = if id == MY_SCRIPT_FRAGMENT {
            Shared {
                script: Some(DEFAULT_MY_SCRIPT.to_string()),
                ..Shared::default()
            }
        } else {
            Shared {
                scenario: Some(id),
                ..Shared::default()
            }
        };
        return Ok((shared, Vec::new()));
    }

    let mut shared = Shared::default();
    let mut dropped = Vec::new();
    for part in fragment.split('&').filter(|p| !p.is_empty()) {
        if let Err(why) = read_part(&mut shared, part) {
            dropped.push(why);
        }
    }
    if shared.variation.is_some() && shared.scenario.is_none() {
        shared.variation = None;
        dropped.push("The link names a variation but no scenario.".to_string());
    }
    if shared.scenario.is_some() && shared.script.is_some() {
        return Err("The link holds both a scenario and a script; it can show only one.".to_string());
    }
    Ok((shared, dropped))
}

/// Reads one `name=value` part of a link into `shared`.
fn read_part(shared: &mut Shared, part: &str) -> Result<(), String> {
    let Some((key, raw)) = part.split_once('=') else {
        return Err(format!(
            "The link could not be read: “{}” should be a name=value pair.",
            shorten(part)
        ));
    };
    let value = |what: &str| unescape(raw).ok_or_else(|| format!("The link's {what} is not valid text."));
    match key {
        "s" => shared.scenario = Some(value("scenario name")?).filter(|s| !s.is_empty()),
        "v" => shared.variation = Some(value("variation name")?).filter(|s| !s.is_empty()),
        "code" => shared.script = Some(decompress(&value("script")?)?),
        "seed" => {
            let text = value("seed")?;
            shared.seed = Some(
                text.parse()
                    .map_err(|_| format!("The link's seed “{}” is not a whole number.", shorten(&text)))?,
            );
        }
        "py" => {
            let text = value("Python version")?;
            shared.python = Some(PyVersion::parse(&text).ok_or_else(|| {
                let labels: Vec<&str> = PyVersion::ALL.iter().map(|v| v.label()).collect();
                let (last, rest) = labels.split_last().unwrap_or((&"", &[]));
                format!(
                    "The link asks for Python “{}”; Threadline models Python {} and {last}.",
                    shorten(&text),
                    rest.join(", ")
                )
            })?);
        }
        "sig" => shared.signals = Some(signals(&value("signal list")?)?),
        "t" => {
            let text = value("time")?;
            shared.cursor_ns = Some(text.parse().map_err(|_| {
                format!(
                    "The link's time “{}” is not a whole number of nanoseconds.",
                    shorten(&text)
                )
            })?);
        }
        "sch" => {
            let text = value("schedule")?;
            if text.len() > MAX_SCHEDULE_CHARS {
                return Err("The link's schedule is too long.".to_string());
            }
            shared.schedule = Some(text).filter(|s| !s.is_empty());
        }
        // Names from newer links are skipped.
        _ => {}
    }
    Ok(())
}

/// What an embedding page asks for in the query string.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Embed {
    /// `embed=1`: the compact page for an iframe.
    pub embed: bool,
    pub scenario: Option<String>,
    /// Start at this step of the run (the number the controls show).
    pub step: Option<usize>,
    /// `autoplay=1`: start playing.
    pub autoplay: bool,
    /// Force a theme (otherwise the system's).
    pub theme: Option<Theme>,
    /// `height=N`: the player's height in CSS pixels (embed mode).
    pub height: Option<u32>,
    /// `panes=code,timeline,terminal`: which panes the player shows.
    pub panes: Option<Panes>,
}

/// The panes an embedded player can show (the controls always are).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Panes {
    pub code: bool,
    pub timeline: bool,
    pub terminal: bool,
}

impl Default for Panes {
    fn default() -> Panes {
        Panes {
            code: true,
            timeline: true,
            terminal: true,
        }
    }
}

impl Panes {
    /// `code,timeline,terminal` in any order and subset; None when it names
    /// none of them.
    pub fn parse(text: &str) -> Option<Panes> {
        let mut panes = Panes {
            code: false,
            timeline: false,
            terminal: false,
        };
        for name in text.split(',') {
            match name.trim() {
                "code" => panes.code = true,
                "timeline" => panes.timeline = true,
                "terminal" => panes.terminal = true,
                _ => {}
            }
        }
        (panes.code || panes.timeline || panes.terminal).then_some(panes)
    }
}

/// The smallest and largest `height=` an embedded player takes, and its height without one.
pub const EMBED_HEIGHTS: (u32, u32) = (240, 2000);
pub const EMBED_HEIGHT: u32 = 560;

/// Reads `?embed=1&scenario=ID&step=N&autoplay=1&theme=light|dark&height=N&panes=...`
/// (with or without its `?`). Unknown names and unreadable values are ignored.
pub fn parse_query(query: &str) -> Embed {
    let query = query.trim();
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut embed = Embed::default();
    for part in query.split('&') {
        let (key, raw) = part.split_once('=').unwrap_or((part, ""));
        let Some(value) = unescape(&raw.replace('+', " ")) else {
            continue;
        };
        let value = value.trim();
        let yes = matches!(value, "1" | "true" | "yes" | "");
        match key {
            "embed" => embed.embed = yes,
            "autoplay" => embed.autoplay = yes,
            "scenario" if !value.is_empty() => embed.scenario = Some(value.to_string()),
            "step" => {
                if let Ok(step) = value.parse() {
                    embed.step = Some(step);
                }
            }
            "theme" => {
                if let Some(theme) = Theme::parse(value) {
                    embed.theme = Some(theme);
                }
            }
            "height" => {
                if let Ok(height) = value.trim_end_matches("px").parse::<u32>() {
                    embed.height = Some(height.clamp(EMBED_HEIGHTS.0, EMBED_HEIGHTS.1));
                }
            }
            "panes" => embed.panes = Panes::parse(value),
            _ => {}
        }
    }
    embed
}

/// The address of the page at `origin`, `path` and `query` (as the
/// location has them) showing `fragment`.
pub fn page_link(origin: &str, path: &str, query: &str, fragment: &str) -> String {
    format!("{origin}{path}{query}#{fragment}")
}

/// What the page says once "Copy link" was pressed (the link is shown even
/// when the clipboard refused it).
pub fn copied_message(link: &str) -> String {
    format!("Link to this view (copied to the clipboard): {link}")
}

/// `1.5:INT:group`, `2:KILL:1001`, `0.25:TERM:main`, `3:42:group`: what
/// [`SignalSpec::parse`] reads back.
pub fn signal_text(spec: &SignalSpec) -> String {
    let name = signal_name(spec.signum);
    let sig = name
        .strip_prefix("SIG")
        .map_or_else(|| spec.signum.to_string(), str::to_string);
    let target = match spec.target {
        SignalTarget::Group => "group".to_string(),
        SignalTarget::Main => "main".to_string(),
        SignalTarget::Pid(pid) => pid.to_string(),
    };
    format!("{}:{sig}:{target}", seconds_text(spec.t_ns))
}

/// Nanoseconds as seconds with no more digits than needed: `1.5`, `2`, `0.000000001`.
fn seconds_text(ns: Nanos) -> String {
    let whole = ns / 1_000_000_000;
    let frac = ns % 1_000_000_000;
    if frac == 0 {
        whole.to_string()
    } else {
        let digits = format!("{frac:09}");
        format!("{whole}.{}", digits.trim_end_matches('0'))
    }
}

fn signals(list: &str) -> Result<Vec<SignalSpec>, String> {
    if list.is_empty() {
        return Ok(Vec::new());
    }
    if list.split(',').nth(MAX_SIGNALS).is_some() {
        return Err(format!(
            "The link sends more than {MAX_SIGNALS} signals; Threadline reads at most that many."
        ));
    }
    list.split(',')
        .map(|one| {
            SignalSpec::parse(one).map_err(|e| format!("The link's signal “{}” could not be read ({e}).", shorten(one)))
        })
        .collect()
}

/// base64url(deflate(UTF-8)), without padding.
fn compress(script: &str) -> String {
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(script.as_bytes(), 9))
}

fn decompress(encoded: &str) -> Result<String, String> {
    let encoded = encoded.trim_end_matches('=');
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|_| "The link's script could not be read: it may have been cut off or changed.".to_string())?;
    let raw = decompress_to_vec_with_limit(&bytes, MAX_SOURCE_BYTES).map_err(|e| match e.status {
        TINFLStatus::HasMoreOutput => format!(
            "The link's script is larger than the {} KiB Threadline runs.",
            MAX_SOURCE_BYTES / 1024
        ),
        _ => "The link's script could not be decompressed: it may have been cut off.".to_string(),
    })?;
    String::from_utf8(raw).map_err(|_| "The link's script is not valid UTF-8 text.".to_string())
}

/// Characters kept as they are in a fragment value; every other byte is `%XX`.
fn is_plain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':' | b',')
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if is_plain(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Undoes `%XX` escapes; `None` for a broken escape or text that is not UTF-8.
fn unescape(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// At most 40 characters of `text`, for quoting it in a message.
fn shorten(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copied_link_keeps_the_page_address_and_says_so() {
        let link = page_link(
            "https://example.org",
            "/threadline/",
            "?theme=dark",
            "s=daemon-join&t=1.5",
        );
        assert_eq!(link, "https://example.org/threadline/?theme=dark#s=daemon-join&t=1.5");
        assert_eq!(
            copied_message(&link),
            format!("Link to this view (copied to the clipboard): {link}")
        );
    }

    #[test]
    fn a_link_to_the_model_reproduces_what_it_shows() {
        use crate::state::{Action, Model, Restore, Selection};
        let all = threadline_engine::scenarios::all();
        let (index, scenario) = all
            .iter()
            .enumerate()
            .find(|(_, s)| !s.meta.try_this.is_empty())
            .expect("a scenario with variations");
        let mut model = Model::new(all.clone(), String::new(), Selection::Scenario(index));
        model.apply(Action::SelectVariation(Some(0)));
        model.apply(Action::SetSeed(5));
        model.apply(Action::Seek(1_000_000));
        model.apply(Action::SendSignal {
            signum: 15,
            target: SignalTarget::Main,
        });
        let shared = decode(&encode(&of_model(&model, true))).expect("reads back");
        assert_eq!(shared.scenario.as_deref(), Some(scenario.meta.id.as_str()));
        assert_eq!(shared.variation.as_deref(), Some(scenario.meta.try_this[0].id.as_str()));
        assert_eq!(shared.seed, Some(5));
        assert_eq!(shared.python, None, "unchanged settings are left out");
        assert_eq!(shared.cursor_ns, Some(1_000_000));

        let mut copy = Model::new(all, String::new(), Selection::Scenario(index));
        copy.apply(Action::Restore(Restore {
            variation: shared.variation,
            seed: shared.seed,
            python: shared.python,
            signals: shared.signals,
            schedule: shared.schedule,
            cursor_ns: shared.cursor_ns,
            ..Restore::default()
        }));
        assert_eq!(copy.cursor_ns, model.cursor_ns);
        assert_eq!(copy.settings, model.settings);
        assert_eq!(
            copy.last_run.as_ref().unwrap().trace,
            model.last_run.as_ref().unwrap().trace,
            "the same run"
        );
        let mine = Model::new(Vec::new(), "print('hi')\n".into(), Selection::MyScript);
        let shared = decode(&encode(&of_model(&mine, false))).unwrap();
        assert_eq!(shared.script.as_deref(), Some("print('hi')\n"));
        assert_eq!(shared.cursor_ns, None);
    }

    fn full() -> Shared {
        Shared {
            scenario: Some("daemon-join".into()),
            variation: Some("join-timeout".into()),
            script: None,
            seed: Some(3),
            python: Some(PyVersion::V3_12),
            signals: Some(vec![
                SignalSpec {
                    t_ns: 1_500_000_000,
                    signum: 2,
                    target: SignalTarget::Group,
                },
                SignalSpec {
                    t_ns: 2_000_000_000,
                    signum: 9,
                    target: SignalTarget::Pid(1001),
                },
                SignalSpec {
                    t_ns: 1,
                    signum: 42,
                    target: SignalTarget::Main,
                },
            ]),
            cursor_ns: Some(1_500_000_000),
            schedule: Some("s2-2.1-a.3".into()),
        }
    }

    #[test]
    fn a_scenario_link_reads_like_its_settings() {
        let link = encode(&full());
        assert_eq!(
            link,
            "s=daemon-join&v=join-timeout&seed=3&py=3.12\
             &sig=1.5:INT:group,2:KILL:1001,0.000000001:42:main&t=1500000000&sch=s2-2.1-a.3"
        );
        assert_eq!(decode(&link), Ok(full()));
        assert_eq!(decode(&format!("#{link}")), Ok(full()));
    }

    #[test]
    fn a_script_travels_compressed_and_comes_back_the_same() {
        let script = "import threading\n\nprint('héllo → wörld')  # ünïcode & = % #\n".repeat(40);
        let shared = Shared {
            script: Some(script.clone()),
            seed: Some(7),
            ..Shared::default()
        };
        let link = encode(&shared);
        assert!(link.starts_with("code="), "{link}");
        assert!(
            link.len() < script.len() / 4,
            "compressed: {} of {}",
            link.len(),
            script.len()
        );
        assert!(
            link.bytes().all(|b| is_plain(b) || b == b'=' || b == b'&'),
            "only URL-safe characters: {link}"
        );
        assert_eq!(decode(&link), Ok(shared));
    }

    #[test]
    fn only_what_is_set_is_written() {
        assert_eq!(encode(&Shared::default()), "");
        assert_eq!(decode(""), Ok(Shared::default()));
        let no_signals = Shared {
            scenario: Some("x".into()),
            signals: Some(Vec::new()),
            ..Shared::default()
        };
        assert_eq!(encode(&no_signals), "s=x&sig=");
        assert_eq!(decode("s=x&sig="), Ok(no_signals), "no signals differs from not saying");
        assert_eq!(decode("s=x").unwrap().signals, None);
    }

    #[test]
    fn old_plain_links_still_read() {
        assert_eq!(
            decode("#daemon-join"),
            Ok(Shared {
                scenario: Some("daemon-join".into()),
                ..Shared::default()
            })
        );
        assert_eq!(
            decode("#my-script"),
            Ok(Shared {
                script: Some(DEFAULT_MY_SCRIPT.into()),
                ..Shared::default()
            })
        );
    }

    #[test]
    fn odd_characters_in_names_are_escaped() {
        let shared = Shared {
            scenario: Some("a b&c=d#é%".into()),
            schedule: Some("s2 & more".into()),
            ..Shared::default()
        };
        let link = encode(&shared);
        assert_eq!(link, "s=a%20b%26c%3Dd%23%C3%A9%25&sch=s2%20%26%20more");
        assert_eq!(decode(&link), Ok(shared));
    }

    #[test]
    fn bad_links_get_a_sentence_for_the_learner() {
        let error = |link: &str| decode(link).unwrap_err();
        assert_eq!(error("s=x&seed=abc"), "The link's seed “abc” is not a whole number.");
        assert_eq!(
            error("s=x&py=2.7"),
            "The link asks for Python “2.7”; Threadline models Python 3.12, 3.13, 3.14 and 3.15."
        );
        assert!(error("s=x&sig=1.5:NOPE").starts_with("The link's signal “1.5:NOPE” could not be read ("));
        assert_eq!(error("v=daemon"), "The link names a variation but no scenario.");
        assert_eq!(
            error("s=x&t=-1"),
            "The link's time “-1” is not a whole number of nanoseconds."
        );
        assert_eq!(error("s=%zz"), "The link's scenario name is not valid text.");
        assert_eq!(
            error("s=x&oops"),
            "The link could not be read: “oops” should be a name=value pair."
        );
        let code = encode(&Shared {
            script: Some(DEFAULT_MY_SCRIPT.into()),
            ..Shared::default()
        });
        assert_eq!(
            error(&code[..code.len() / 2]),
            "The link's script could not be decompressed: it may have been cut off."
        );
        assert_eq!(
            error(&format!("s=x&{code}")),
            "The link holds both a scenario and a script; it can show only one."
        );
        assert_eq!(
            error("code=!!!"),
            "The link's script could not be read: it may have been cut off or changed."
        );
        let seed = "9".repeat(100);
        assert_eq!(
            error(&format!("seed={seed}")),
            format!("The link's seed “{}…” is not a whole number.", &seed[..40])
        );
    }

    #[test]
    fn limits_keep_a_link_small_once_decoded() {
        let huge = miniz_oxide::deflate::compress_to_vec(&vec![b'a'; MAX_SOURCE_BYTES + 1], 9);
        assert!(huge.len() < 10_000, "a bomb is small");
        let link = format!("code={}", URL_SAFE_NO_PAD.encode(&huge));
        assert_eq!(
            decode(&link).unwrap_err(),
            format!(
                "The link's script is larger than the {} KiB Threadline runs.",
                MAX_SOURCE_BYTES / 1024
            )
        );
        let at_limit = miniz_oxide::deflate::compress_to_vec(&vec![b'a'; MAX_SOURCE_BYTES], 9);
        let link = format!("code={}", URL_SAFE_NO_PAD.encode(&at_limit));
        assert_eq!(decode(&link).unwrap().script.map(|s| s.len()), Some(MAX_SOURCE_BYTES));

        let many = vec!["1:INT"; MAX_SIGNALS + 1].join(",");
        assert!(decode(&format!("s=x&sig={many}"))
            .unwrap_err()
            .contains("more than 256 signals"));
        let enough = vec!["1:INT"; MAX_SIGNALS].join(",");
        assert_eq!(
            decode(&format!("s=x&sig={enough}")).unwrap().signals.map(|s| s.len()),
            Some(MAX_SIGNALS)
        );
        let long = "a".repeat(MAX_FRAGMENT_CHARS + 1);
        assert_eq!(
            decode(&long).unwrap_err(),
            "The link is too long to be a Threadline link."
        );
    }

    #[test]
    fn signal_text_is_what_the_engine_parses() {
        for spec in full().signals.unwrap() {
            assert_eq!(SignalSpec::parse(&signal_text(&spec)), Ok(spec));
        }
        assert_eq!(seconds_text(86_400_000_000_000), "86400");
        assert_eq!(seconds_text(123_456_789), "0.123456789");
    }

    /// A small deterministic generator (xorshift64*), so that the test is the same every run.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Decoding whatever it reads, successfully or not, never panics; and what
    /// it does read encodes to a link that reads back the same.
    fn check(link: &str) {
        if let Ok(shared) = decode(link) {
            assert_eq!(decode(&encode(&shared)).as_ref(), Ok(&shared), "{link:?}");
        }
    }

    #[test]
    fn random_and_cut_links_never_panic() {
        let mut rng = Rng(0x7e57_11ae);
        let script_link = encode(&Shared {
            script: Some(DEFAULT_MY_SCRIPT.into()),
            seed: Some(12),
            signals: Some(vec![SignalSpec {
                t_ns: 300_000_000,
                signum: 15,
                target: SignalTarget::Main,
            }]),
            ..Shared::default()
        });
        let links = [encode(&full()), script_link];
        // Every prefix and suffix of real links (a link cut off by a mail program).
        for link in &links {
            for i in 0..=link.len() {
                check(&link[..i]);
                check(&link[i..]);
            }
        }
        // Real links with random bytes changed.
        let alphabet: Vec<char> = "abcAZ09-_.~:,=&%#+ é\u{0}\u{1F600}sv".chars().collect();
        for _ in 0..3_000 {
            let mut chars: Vec<char> = links[rng.below(2)].chars().collect();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(chars.len());
                chars[at] = alphabet[rng.below(alphabet.len())];
            }
            check(&chars.into_iter().collect::<String>());
        }
        // Random strings over the characters a link is made of.
        let keys = [
            "s=", "v=", "code=", "seed=", "py=", "sig=", "t=", "sch=", "&", "%", "=", ":", ",",
        ];
        for _ in 0..3_000 {
            let mut link = String::new();
            for _ in 0..rng.below(12) {
                if rng.below(3) == 0 {
                    link.push_str(keys[rng.below(keys.len())]);
                } else {
                    link.push(alphabet[rng.below(alphabet.len())]);
                }
            }
            check(&link);
        }
    }

    #[test]
    fn an_embed_query_is_read_leniently() {
        assert_eq!(
            parse_query("?embed=1&scenario=daemon-join&step=4&autoplay=1&theme=dark"),
            Embed {
                embed: true,
                scenario: Some("daemon-join".into()),
                step: Some(4),
                autoplay: true,
                theme: Some(Theme::Dark),
                ..Embed::default()
            }
        );
        assert_eq!(parse_query(""), Embed::default());
        assert_eq!(
            parse_query("embed=0&step=-2&theme=purple&scenario=&what=ever&autoplay=no"),
            Embed::default()
        );
        assert_eq!(parse_query("theme=light").theme, Some(Theme::Light));
        assert_eq!(parse_query("scenario=a%2Db").scenario.as_deref(), Some("a-b"));
        assert!(parse_query("embed").embed);
        assert_eq!(parse_query("embed=1&height=420").height, Some(420));
        assert_eq!(parse_query("height=420px").height, Some(420));
        assert_eq!(parse_query("height=5").height, Some(EMBED_HEIGHTS.0));
        assert_eq!(parse_query("height=tall").height, None);
        let panes = parse_query("panes=timeline,%20code").panes.expect("two panes");
        assert!(panes.code && panes.timeline && !panes.terminal);
        assert_eq!(parse_query("panes=notes").panes, None, "no known pane: all of them");
    }
}
