//! Methods of builtin types: `str`, `list`, `dict` (and its key, value and item
//! views), `set`, `tuple`, `int`, `float`.
//!
//! Each method is a native function whose first positional argument is the
//! receiver (`"abc".upper()` calls `str.upper` with `["abc"]`). Results and
//! error messages follow CPython 3.13, including the wording of argument
//! errors, which differs between kinds of methods (`str.upper() takes no
//! arguments (1 given)`, `find expected at least 1 argument, got 0`,
//! `split() got an unexpected keyword argument 'x'`).
//!
//! Each type's methods live in its own module (`str`, `str_format`, `list`,
//! `dict`, `dict_view`, `set`, `tuple`, `int`, `float`), with the argument
//! helpers they share in `args` and the character classes in `unicode`. This
//! module gathers their method tables.

pub use super::dict::dict_method;
pub use super::float::float_method;
pub use super::int::int_method;
pub use super::list::list_method;
pub use super::set::set_method;
pub use super::str::str_method;
pub use super::tuple::tuple_method;
