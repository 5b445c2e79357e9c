//! The builtin types: their operations, their methods and their text forms
//! (`object`, the exceptions, numbers, strings, containers, classes).
//!
//! Everything here works on a [`World`](crate::vm::World) and is reached by
//! the interpreter through the run's [`Library`](crate::vm::Library).

mod args;
pub mod arith;
pub mod class;
pub mod compare;
mod dict;
mod dict_view;
pub mod exceptions;
mod float;
pub mod format;
mod int;
mod list;
pub mod methods;
pub mod object;
pub mod seq;
mod set;
mod str;
mod str_format;
mod tuple;
mod unicode;

pub use args::as_index;
pub use arith::*;
pub use class::*;
pub use compare::*;
pub use exceptions::*;
pub use format::*;
pub use object::*;
pub use seq::*;

pub use crate::vm::INT_OVERFLOW;

/// Bytes of one string (or items / 8 of one sequence) before `MemoryError`.
pub const MAX_SEQUENCE: usize = 50_000_000;

macro_rules! native {
    ($name:expr, $f:expr) => {{
        static D: NativeDef = NativeDef { name: $name, f: $f };
        &D
    }};
}

pub(crate) use native;
