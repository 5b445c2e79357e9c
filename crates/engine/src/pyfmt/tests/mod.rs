//! Expected values come from CPython 3.13 (identical under 3.12):
//! `repr(x)`, `format(x, spec)` and `fmt % args`.

mod format;
mod percent;
