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

pub mod check;
pub mod compile;
pub mod parse;
pub mod pyfmt;
pub mod pyrandom;
pub mod report;
pub mod scenarios;
pub mod sim;
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
    let program = match build(source, &options.script_name) {
        Ok(p) => p,
        Err(diagnostics) => return diagnostics_trace(options, diagnostics),
    };
    sim::simulate(program, options)
}

/// The diagnostics of `source` (syntax errors and unsupported constructs); empty when it can run.
pub fn check(source: &str) -> Vec<Diagnostic> {
    match build(source, "script.py") {
        Ok(_) => Vec::new(),
        Err(d) => d,
    }
}

/// parse → check → compile (with the Python-written part of the simulated library).
fn build(source: &str, script_name: &str) -> Result<compile::Program, Vec<Diagnostic>> {
    let (module, index) = parse::parse(source)?;
    let diagnostics = check::check(&module, &index);
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut program = compile::compile_module(&module, source, &index)
        .map_err(|e| vec![index.diagnostic(DiagnosticKind::Unsupported, e.range, e.message)])?;
    program.files[0].0 = std::rc::Rc::new(script_name.to_string());
    let (lib, lib_index) = parse::parse(sim::modules::PRELUDE).map_err(|mut d| {
        d.iter_mut().for_each(|x| x.message = format!("internal library error: {}", x.message));
        d
    })?;
    let id = compile::compile_library(&mut program, &lib, sim::modules::PRELUDE, &lib_index, sim::modules::PRELUDE_FILE)
        .map_err(|e| vec![lib_index.diagnostic(DiagnosticKind::Unsupported, e.range, format!("internal library error: {}", e.message))])?;
    program.prelude = Some(id);
    Ok(program)
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
