//! The builtin types: their operations, methods and text forms.

pub mod builtins;
pub mod methods;
