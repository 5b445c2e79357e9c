//! Threadline's engine: a deterministic simulator of how CPython runs a script's
//! threads (and, by design, processes and signals).
//!
//! Pipeline, one module and one entry point per stage:
//! - [`parse`]: source text → Python AST (a real Python parser), syntax errors as CPython words them;
//! - [`check`]: AST → diagnostics for every construct outside the supported subset;
//! - [`compile`]: AST → bytecode, one code object per function, resumable at any instruction;
//! - [`sim`]: bytecode → a run on one `World` (virtual clock, threads, objects, seeded RNG);
//! - [`trace`]: the run's versioned, serializable log: the only thing front ends read.
//!
//! [`report`] turns a trace into the text a terminal (or the CLI) shows.

pub mod scenarios;
pub mod trace;

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
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            seed: 0,
            horizon_ns: 60_000_000_000,
            python: PyVersion::V3_13,
            max_instructions: 50_000_000,
            script_name: "script.py".to_string(),
        }
    }
}

/// Parse, check and simulate `source`. Never panics on any input; always returns a trace.
pub fn run(source: &str, options: &RunOptions) -> Trace {
    let _ = source;
    Trace {
        version: TRACE_VERSION,
        python: options.python,
        seed: options.seed,
        horizon_ns: options.horizon_ns,
        diagnostics: Vec::new(),
        processes: Vec::new(),
        threads: Vec::new(),
        events: Vec::new(),
        output: Vec::new(),
        outcome: Outcome {
            exit_code: Some(0),
            exit_ns: Some(0),
            still_running: false,
            stop: StopReason::Exited,
            explanation: Vec::new(),
            instructions: 0,
        },
    }
}
