//! The builtin types: their operations, methods and text forms.

mod args;
pub mod builtins;
mod dict;
mod dict_view;
mod float;
mod int;
mod list;
pub mod methods;
mod set;
mod str;
mod str_format;
mod tuple;
mod unicode;
