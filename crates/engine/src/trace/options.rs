//! How to run a script: the options a front end gives the engine, and the
//! signals a run is sent.

use super::{Nanos, Pid, PyVersion, Schedule};

/// How to run a script.
#[derive(Clone, Debug, PartialEq)]
pub struct RunOptions {
    /// Seeds unseeded `random` and every other source of simulated nondeterminism.
    pub seed: u64,
    /// Virtual-time limit.
    pub horizon_ns: Nanos,
    pub python: PyVersion,
    /// Bytecode instructions, all threads together, before the run is stopped.
    pub max_instructions: u64,
    /// The name tracebacks show for the script (`File "script.py", line 3`).
    pub script_name: String,
    /// Signals to send during the run (a terminal's Ctrl-C is SIGINT to the group).
    pub signals: Vec<SignalSpec>,
    /// The script's own arguments (`sys.argv[1:]`).
    pub argv: Vec<String>,
    /// Replay these scheduling choices (from the outcome explorer).
    pub schedule: Option<Schedule>,
}

/// A signal sent at a virtual time.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SignalSpec {
    pub t_ns: Nanos,
    /// Signal number (2 SIGINT, 9 SIGKILL, 15 SIGTERM, ...).
    pub signum: i32,
    pub target: SignalTarget,
}

/// Who receives a signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalTarget {
    /// Every process of the foreground process group (a terminal's Ctrl-C).
    Group,
    /// The main process only.
    Main,
    /// One process by pid.
    Pid(Pid),
}

impl SignalSpec {
    /// Parses `T:SIG[:main|:group|:PID]`, e.g. `3.3:INT` or `2.0:TERM:main`.
    pub fn parse(s: &str) -> Result<SignalSpec, String> {
        let mut parts = s.split(':');
        let t = parts.next().unwrap_or("");
        let t: f64 = t
            .parse()
            .map_err(|_| format!("{s:?}: the time must be a number of seconds"))?;
        if !(0.0..=86_400.0).contains(&t) {
            return Err(format!("{s:?}: the time must be between 0 and 86400 seconds"));
        }
        let sig = parts
            .next()
            .ok_or_else(|| format!("{s:?}: expected TIME:SIGNAL[:TARGET]"))?;
        let signum = signal_number(sig)
            .ok_or_else(|| format!("{s:?}: unknown signal {sig:?} (use INT, TERM, KILL, or a number 1-64)"))?;
        let target = match parts.next() {
            None | Some("group") => SignalTarget::Group,
            Some("main") => SignalTarget::Main,
            Some(p) => SignalTarget::Pid(
                p.parse()
                    .map_err(|_| format!("{s:?}: the target must be group, main or a pid"))?,
            ),
        };
        if parts.next().is_some() {
            return Err(format!("{s:?}: expected TIME:SIGNAL[:TARGET]"));
        }
        Ok(SignalSpec {
            t_ns: (t * 1e9).round() as Nanos,
            signum,
            target,
        })
    }
}

/// `INT`, `SIGINT` or `2` → 2.
pub fn signal_number(name: &str) -> Option<i32> {
    let n = name.trim().to_ascii_uppercase();
    let n = n.strip_prefix("SIG").unwrap_or(&n);
    Some(match n {
        "HUP" => 1,
        "INT" => 2,
        "QUIT" => 3,
        "KILL" => 9,
        "USR1" => 10,
        "USR2" => 12,
        "ALRM" => 14,
        "TERM" => 15,
        other => match other.parse::<i32>() {
            Ok(v) if (1..=64).contains(&v) => v,
            _ => return None,
        },
    })
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            seed: 0,
            horizon_ns: 60_000_000_000,
            python: PyVersion::default(),
            max_instructions: 50_000_000,
            script_name: "script.py".to_string(),
            signals: Vec::new(),
            argv: Vec::new(),
            schedule: None,
        }
    }
}
