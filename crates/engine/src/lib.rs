//! Threadline's engine: a deterministic simulator of how CPython runs a script's
//! threads (and, by design, processes and signals).
//!
//! Pipeline, one module and one entry point per stage:
//! - [`syntax::parse`]: source text → Python AST (a real Python parser), syntax errors as CPython words them;
//! - [`syntax::check`]: AST → diagnostics for every construct outside the supported subset;
//! - [`compile`]: AST → bytecode, one code object per function, resumable at any instruction;
//! - [`sim`]: bytecode → a run on one `World` (virtual clock, threads, objects, seeded RNG);
//! - [`trace`]: the run's versioned, serializable log: the only thing front ends read.
//!
//! [`report`] turns a trace into the text a terminal (or the CLI) shows; [`export`]
//! into the Chrome Trace Event Format that Perfetto opens.

pub(crate) mod compile;
pub mod explore;
pub mod export;
pub mod pyfmt;
pub mod pyrandom;
pub mod report;
pub mod scenarios;
pub mod stdlib;
pub(crate) mod syntax;
pub mod trace;
pub mod types;
pub mod vm;

pub use syntax::parse::{MAX_NESTING, MAX_SOURCE_BYTES};
pub use syntax::tokens::{classify, TokenClass};
pub use trace::*;

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
    pub schedule: Option<vm::schedule::Schedule>,
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
/// `SIGKILL` for 9; `signal 42` for a number without a name.
pub use stdlib::signal::signal_name;

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
            python: PyVersion::V3_13,
            max_instructions: 50_000_000,
            script_name: "script.py".to_string(),
            signals: Vec::new(),
            argv: Vec::new(),
            schedule: None,
        }
    }
}

/// Parse, check and simulate `source`. Never panics on any input; always returns a trace.
pub fn run(source: &str, options: &RunOptions) -> Trace {
    let program = match build(source, &options.script_name) {
        Ok(p) => p,
        Err(diagnostics) => return diagnostics_trace(options, diagnostics),
    };
    vm::simulate(program, options, &stdlib::LIBRARY)
}

/// A simulation made in slices, for a front end that must stay responsive
/// during a long run: the trace is the one [`run`] gives.
pub struct Simulation {
    run: vm::PausableRun,
}

impl Simulation {
    /// Compiles `source`; a script that cannot run gives its diagnostics'
    /// trace at once.
    pub fn new(source: &str, options: &RunOptions) -> Result<Simulation, Box<Trace>> {
        match build(source, &options.script_name) {
            Ok(p) => Ok(Simulation {
                run: vm::PausableRun::plain(std::rc::Rc::new(p), options, &stdlib::LIBRARY),
            }),
            Err(diagnostics) => Err(Box::new(diagnostics_trace(options, diagnostics))),
        }
    }

    /// Simulates about `budget` more instructions: true when the run has ended.
    pub fn advance(&mut self, budget: u64) -> bool {
        self.run.advance(budget, &mut |_| {})
    }

    /// Instructions simulated so far.
    pub fn instructions(&self) -> u64 {
        self.run.instructions()
    }

    /// The trace of the run so far; call once [`Simulation::advance`] has
    /// returned true for the whole run.
    pub fn finish(self) -> Trace {
        self.run.finish().0
    }
}

/// The diagnostics of `source` (syntax errors and unsupported constructs); empty when it can run.
pub fn check(source: &str) -> Vec<Diagnostic> {
    match build(source, "script.py") {
        Ok(_) => Vec::new(),
        Err(d) => d,
    }
}

/// parse → check → compile (with the Python-written part of the simulated library).
pub(crate) fn build(source: &str, script_name: &str) -> Result<compile::Program, Vec<Diagnostic>> {
    let (module, index) = syntax::parse::parse(source)?;
    let diagnostics = syntax::check::check(&module, &index, stdlib::known_modules());
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut program = compile::compile_module(&module, source, &index)
        .map_err(|e| vec![index.diagnostic(DiagnosticKind::Unsupported, e.range, e.message)])?;
    program.files[0].0 = std::rc::Rc::new(script_name.to_string());
    let library = LIBRARY.with(|l| l.clone())?;
    let id = compile::append_program(&mut program, &library);
    program.prelude = Some(id);
    Ok(program)
}

thread_local! {
    /// The Python-written part of the simulated library, compiled once per thread.
    static LIBRARY: Result<std::rc::Rc<compile::Program>, Vec<Diagnostic>> = compile_library();
}

fn compile_library() -> Result<std::rc::Rc<compile::Program>, Vec<Diagnostic>> {
    let internal = |mut d: Vec<Diagnostic>| {
        d.iter_mut()
            .for_each(|x| x.message = format!("internal library error: {}", x.message));
        d
    };
    let (lib, lib_index) = syntax::parse::parse(stdlib::PRELUDE).map_err(internal)?;
    let mut program = compile::Program::default();
    compile::compile_library(&mut program, &lib, stdlib::PRELUDE, &lib_index, stdlib::PRELUDE_FILE).map_err(|e| {
        internal(vec![lib_index.diagnostic(
            DiagnosticKind::Unsupported,
            e.range,
            e.message,
        )])
    })?;
    Ok(std::rc::Rc::new(program))
}

fn diagnostics_trace(options: &RunOptions, diagnostics: Vec<Diagnostic>) -> Trace {
    let explanation = diagnostics.iter().map(|d| d.render()).collect();
    Trace {
        version: TRACE_VERSION,
        python: options.python,
        seed: options.seed,
        horizon_ns: options.horizon_ns,
        diagnostics,
        processes: Vec::new(),
        threads: Vec::new(),
        events: Vec::new(),
        output: Vec::new(),
        choices: Vec::new(),
        schedule: String::new(),
        outcome: Outcome {
            exit_code: None,
            exit_ns: None,
            still_running: false,
            stop: StopReason::Diagnostics,
            explanation,
            instructions: 0,
        },
    }
}
