//! The front half of the pipeline: source text → checked AST.
//!
//! - [`parse`]: the real Python parser, syntax errors worded like CPython's,
//!   and the size and nesting limits checked before parsing;
//! - [`check`]: every construct outside the supported subset, reported at once;
//! - [`modules`]: what the checker knows of the simulated standard library
//!   (given by `stdlib`), and a script's uses of it;
//! - [`tokens`]: token classes for the app's syntax colouring;
//! - [`walk`]: the walk over an expression's children that the checker and
//!   the compiler's symbol tables share.

pub(crate) mod check;
pub(crate) mod modules;
pub(crate) mod parse;
pub(crate) mod tokens;
pub(crate) mod walk;
