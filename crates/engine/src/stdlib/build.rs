//! A script as the simulator runs it: parsed, checked, compiled, with the
//! Python-written part of the library (`prelude.py`) appended.

use std::rc::Rc;

use crate::compile::{self, Program};
use crate::syntax;
use crate::trace::{Diagnostic, DiagnosticKind};

/// parse → check → compile, then the library's Python part.
pub fn build(source: &str, script_name: &str) -> Result<Program, Vec<Diagnostic>> {
    let (module, index) = syntax::parse::parse(source)?;
    let diagnostics = syntax::check::check(&module, &index, &super::known_modules());
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut program = compile::compile_module(&module, source, &index)
        .map_err(|e| vec![index.diagnostic(DiagnosticKind::Unsupported, e.range, e.message)])?;
    program.files[0].0 = Rc::new(script_name.to_string());
    let library = compile_library()?;
    let id = compile::append_program(&mut program, &library);
    program.prelude = Some(id);
    Ok(program)
}

/// The library's Python part, compiled on its own (an error here is the
/// library's, never the script's).
pub(super) fn compile_library() -> Result<Program, Vec<Diagnostic>> {
    let internal = |mut d: Vec<Diagnostic>| {
        d.iter_mut()
            .for_each(|x| x.message = format!("internal library error: {}", x.message));
        d
    };
    let (lib, lib_index) = syntax::parse::parse(super::PRELUDE).map_err(internal)?;
    let mut program = Program::default();
    compile::compile_library(&mut program, &lib, super::PRELUDE, &lib_index, super::PRELUDE_FILE).map_err(|e| {
        internal(vec![lib_index.diagnostic(
            DiagnosticKind::Unsupported,
            e.range,
            e.message,
        )])
    })?;
    Ok(program)
}
