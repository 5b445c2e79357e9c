//! Python's text formatting of numbers and strings, as pure functions.
//!
//! Everything here reproduces CPython 3.12/3.13 output character for
//! character, including the exact messages of the exceptions it raises:
//!
//! - [`float_repr`]: `repr(x)` / `str(x)`
//!   for a `float`: the shortest digits that round-trip, in fixed notation
//!   when the decimal exponent is in `-4..16` and in scientific notation
//!   (`1e+16`, `1e-05`) otherwise.
//! - [`format_int`], [`format_float`], [`format_str`]: `format(value, spec)`,
//!   which is also what an f-string replacement field `{value:spec}` does.
//!   They implement the whole format-specification mini-language:
//!   `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
//!   Errors are the messages of the `ValueError` CPython raises; the one
//!   exception is `format(n, 'c')` with `n` outside `range(0x110000)`,
//!   which CPython reports as `OverflowError` ("%c arg not in
//!   range(0x110000)").
//! - [`percent_format`]: printf-style `fmt % args`. The interpreter supplies
//!   the arguments through a callback, because what a conversion needs from
//!   its argument (`str()`, `repr()`, `ascii()` or a number) is only known
//!   once the conversion has been parsed; errors are [`FormatError`]s that
//!   carry their exception class.
//!
//! The `n` presentation type behaves as in CPython under the default "C"
//! numeric locale (CPython never changes `LC_NUMERIC` on its own): like `d`
//! for integers and `g` for floats, without digit grouping.
//!
//! Not supported: Unicode decimal digits other than `0`-`9` in widths and
//! precisions (CPython accepts them), and lone surrogates, which a Rust
//! string cannot hold: `format(0xD800, 'c')` and `'%c' % 0xD800` give
//! U+FFFD instead.
//!
//! The parts: `float` (float to text), `spec` (the format-spec mini-language)
//! and `percent` (`%` formatting, whose errors are the [`FormatError`] here).

mod float;
mod percent;
mod spec;
#[cfg(test)]
mod tests;

use std::fmt;

pub use float::float_repr;
pub use percent::{percent_format, PctArg, PctOperand, PctValue, PctWant};
pub use spec::{format_float, format_int, format_str};

/// The class of the exception a formatting error raises (named as Python's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)]
pub enum ExcKind {
    /// `TypeError`: an argument of the wrong type, or the wrong number of
    /// arguments.
    TypeError,
    /// `ValueError`: a malformed format string or an unconvertible value.
    ValueError,
    /// `OverflowError`: a number out of the range a conversion accepts.
    OverflowError,
}

/// An error from [`percent_format`]: the exception CPython raises.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError {
    /// The exception class.
    pub kind: ExcKind,
    /// The exception's message, word for word CPython's.
    pub message: String,
}

impl FormatError {
    fn new(kind: ExcKind, message: impl Into<String>) -> Self {
        FormatError {
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.message)
    }
}

impl std::error::Error for FormatError {}
