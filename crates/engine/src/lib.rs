//! Threadline's engine: a deterministic simulator of how CPython runs a script's
//! threads (and, by design, processes and signals).
//!
//! Pipeline, one module and one entry point per stage:
//! - [`syntax::parse`]: source text → Python AST (a real Python parser), syntax errors as CPython words them;
//! - [`syntax::check`]: AST → diagnostics for every construct outside the supported subset;
//! - [`compile`]: AST → bytecode, one code object per function, resumable at any instruction;
//! - [`vm`] with [`types`] and [`stdlib`]: bytecode → a run on one `World` (virtual clock, threads, objects, seeded RNG);
//! - [`trace`]: the run's versioned, serializable log: the only thing front ends read.
//!
//! [`report`] turns a trace into the text a terminal (or the CLI) shows; [`export`]
//! into the Chrome Trace Event Format that Perfetto opens.

pub(crate) mod compile;
pub(crate) mod explore;
pub mod export;
pub(crate) mod pyfmt;
pub(crate) mod pyrandom;
pub use trace::report;
pub mod scenarios;
pub(crate) mod stdlib;
pub(crate) mod syntax;
pub mod trace;
pub(crate) mod types;
pub(crate) mod vm;

pub use explore::{ExploreOptions, Explorer, OutcomeGroup, Report, SnapshotStats, Strategy};
pub use syntax::parse::{MAX_NESTING, MAX_SOURCE_BYTES};
pub use syntax::tokens::{classify, TokenClass};
pub use trace::*;
pub use vm::{EXIT_NS, MAX_OUTPUT_LINES, MAX_THREADS};

/// Parse, check and simulate `source`. Never panics on any input; always returns a trace.
pub fn run(source: &str, options: &RunOptions) -> Trace {
    let program = match stdlib::build(source, &options.script_name) {
        Ok(p) => p,
        Err(diagnostics) => return diagnostics_trace(options, diagnostics),
    };
    vm::simulate(program, options, &stdlib::LIBRARY)
}

/// `text` with the standard library's folder made version-free, so that a
/// traceback through `/usr/lib/python3.13/` and one through `/usr/lib/python3.14/` compare equal.
pub fn version_free(text: &str) -> String {
    let mut text = text.to_string();
    for v in PyVersion::ALL {
        text = text.replace(&format!("/usr/lib/python{}/", v.label()), "/usr/lib/python3/");
    }
    text
}

/// How far apart two versions' times may be and still count as alike: the
/// precision of the model's start-up costs (as the conformance tests allow).
pub const ALIKE_NS: Nanos = 150_000_000;

/// The modelled versions under which `source` behaves as `trace` (its run
/// under `options`) shows: the same output (library paths aside) and exit,
/// at times within [`ALIKE_NS`]. Oldest first; `options.python` is one of
/// them. It says which real Pythons a model covers for a script ("3.14 and 3.15").
pub fn versions_alike(source: &str, options: &RunOptions, trace: &Trace) -> Vec<PyVersion> {
    let near = |a: Nanos, b: Nanos| a.abs_diff(b) <= ALIKE_NS;
    let plain = |t: &Trace| -> Vec<(Nanos, Stream, String)> {
        t.output
            .iter()
            .map(|l| (l.t_ns, l.stream, version_free(&l.text)))
            .collect()
    };
    let ours = plain(trace);
    PyVersion::ALL
        .into_iter()
        .filter(|&v| {
            if v == options.python {
                return true;
            }
            let other = run(
                source,
                &RunOptions {
                    python: v,
                    ..options.clone()
                },
            );
            let theirs = plain(&other);
            theirs.len() == ours.len()
                && theirs
                    .iter()
                    .zip(&ours)
                    .all(|(a, b)| a.1 == b.1 && a.2 == b.2 && near(a.0, b.0))
                && other.outcome.exit_code == trace.outcome.exit_code
                && other.outcome.still_running == trace.outcome.still_running
                && match (other.outcome.exit_ns, trace.outcome.exit_ns) {
                    (Some(a), Some(b)) => near(a, b),
                    (a, b) => a == b,
                }
        })
        .collect()
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
        match stdlib::build(source, &options.script_name) {
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
    match stdlib::build(source, "script.py") {
        Ok(_) => Vec::new(),
        Err(d) => d,
    }
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
            lines_at_stop: Vec::new(),
            marked_stopped: Vec::new(),
        },
    }
}
