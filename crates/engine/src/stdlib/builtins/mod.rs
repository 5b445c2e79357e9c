//! The `builtins` module: `print`, `len`, `range`, `sorted`, ... as natives,
//! declared in one table ([`make_builtins`] builds the module from it).
//!
//! - [`convert`]: values made or converted (`int`, `str`, `list`, `round`, ...);
//! - [`iterate`]: builtins over iterables (`len`, `zip`, `sorted`, `map`, ...);
//! - [`objects`]: objects and classes (`isinstance`, `getattr`, `super`, ...).

mod convert;
mod iterate;
mod objects;

use convert::*;
use iterate::*;
use objects::*;

use crate::trace::*;
use crate::types::*;
use crate::vm::value::*;
use crate::vm::*;

/// Whether a call of a builtin commutes with other threads' steps, for the
/// explorer's reduction.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Commutes {
    /// It touches its arguments and heap objects only (which the heap log records).
    Yes,
    /// It touches something the log does not see (identities, input, ...).
    No,
}

/// The builtin functions, each with whether its call commutes.
static FUNCTIONS: &[(&NativeDef, Commutes)] = &[
    (native!("print", b_print), Commutes::Yes),
    (native!("len", b_len), Commutes::Yes),
    (native!("range", b_range), Commutes::Yes),
    (native!("int", b_int), Commutes::Yes),
    (native!("float", b_float), Commutes::Yes),
    (native!("str", b_str), Commutes::Yes),
    (native!("bool", b_bool), Commutes::Yes),
    (native!("repr", b_repr), Commutes::Yes),
    (native!("list", b_list), Commutes::Yes),
    (native!("tuple", b_tuple), Commutes::Yes),
    (native!("dict", b_dict), Commutes::Yes),
    (native!("set", b_set), Commutes::Yes),
    (native!("frozenset", b_set), Commutes::Yes),
    (native!("isinstance", b_isinstance), Commutes::Yes),
    (native!("issubclass", b_issubclass), Commutes::Yes),
    (native!("min", b_min), Commutes::Yes),
    (native!("max", b_max), Commutes::Yes),
    (native!("sum", b_sum), Commutes::Yes),
    (native!("abs", b_abs), Commutes::Yes),
    (native!("round", b_round), Commutes::Yes),
    (native!("enumerate", b_enumerate), Commutes::Yes),
    (native!("zip", b_zip), Commutes::Yes),
    (native!("sorted", b_sorted), Commutes::Yes),
    (native!("reversed", b_reversed), Commutes::Yes),
    (native!("type", b_type), Commutes::Yes),
    (native!("id", b_id), Commutes::No),
    (native!("hash", b_hash), Commutes::No),
    (native!("hasattr", b_hasattr), Commutes::Yes),
    (native!("getattr", b_getattr), Commutes::Yes),
    (native!("setattr", b_setattr), Commutes::Yes),
    (native!("callable", b_callable), Commutes::Yes),
    (native!("iter", b_iter), Commutes::Yes),
    (native!("next", b_next), Commutes::Yes),
    (native!("any", b_any), Commutes::Yes),
    (native!("all", b_all), Commutes::Yes),
    (native!("map", b_map), Commutes::Yes),
    (native!("filter", b_filter), Commutes::Yes),
    (native!("divmod", b_divmod), Commutes::Yes),
    (native!("pow", b_pow), Commutes::Yes),
    (native!("chr", b_chr), Commutes::Yes),
    (native!("ord", b_ord), Commutes::Yes),
    (native!("format", b_format), Commutes::Yes),
    (native!("super", b_super), Commutes::Yes),
    (native!("property", b_property), Commutes::No),
    (native!("staticmethod", b_staticmethod), Commutes::No),
    (native!("classmethod", b_classmethod), Commutes::No),
    (native!("input", b_input), Commutes::No),
    (native!("object", b_object), Commutes::Yes),
    (native!("vars", b_vars), Commutes::No),
    (native!("hex", b_hex), Commutes::Yes),
    (native!("bin", b_bin), Commutes::Yes),
    (native!("ascii", b_repr), Commutes::Yes),
];

/// Whether a call of the native `name` keeps an explorer's segment
/// commutable (see [`Commutes`]): the builtins declared so, and the methods
/// of the builtin types.
pub fn native_commutes(name: &str) -> bool {
    FUNCTIONS
        .iter()
        .any(|(f, commutes)| f.name == name && *commutes == Commutes::Yes)
        || crate::types::methods::str_method(name).is_some()
        || crate::types::methods::list_method(name).is_some()
        || crate::types::methods::dict_method(name).is_some()
        || crate::types::methods::set_method(name).is_some()
        || crate::types::methods::tuple_method(name).is_some()
        || crate::types::methods::int_method(name).is_some()
        || crate::types::methods::float_method(name).is_some()
}

/// The builtins module dict.
pub fn make_builtins(heap: &mut Heap, classes: &Classes) -> ObjId {
    let mut d = Dict::default();
    for (f, _) in FUNCTIONS {
        d.set_str(f.name, Value::Native(f));
    }
    for (name, id) in &classes.by_name {
        if Exc::from_name(name).is_some_and(Exc::is_builtin) {
            d.set_str(name, Value::Obj(*id));
        }
    }
    d.set_str("__name__", Value::str("builtins"));
    d.set_str("NotImplemented", Value::str("NotImplemented"));
    heap.alloc(Obj::Dict(d))
}

fn ret(v: Value) -> NResult {
    Ok(Flow::Return(v))
}

fn b_print(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let sep = match a.take_kw("sep") {
        Some(Value::Str(s)) => s.to_string(),
        Some(Value::None) | None => " ".into(),
        Some(_) => return Err(Raise::new(Exc::TypeError, "sep must be None or a string")),
    };
    let end = match a.take_kw("end") {
        Some(Value::Str(s)) => s.to_string(),
        Some(Value::None) | None => "\n".into(),
        Some(_) => return Err(Raise::new(Exc::TypeError, "end must be None or a string")),
    };
    let file = a.take_kw("file");
    let _ = a.take_kw("flush");
    if let Some((k, _)) = a.kw.first() {
        return Err(Raise::New(
            Exc::TypeError,
            format!("'{k}' is an invalid keyword argument for print()"),
        ));
    }
    let stream = match &file {
        None | Some(Value::None) => Stream::Stdout,
        Some(f) => match crate::stdlib::sys::stream_of(w, t, f) {
            Some(s) => s,
            None => {
                return Err(Raise::new(
                    Exc::AttributeError,
                    "the file object has no write() method the simulator supports",
                ))
            }
        },
    };
    let mut text = String::new();
    for (i, v) in a.pos.iter().enumerate() {
        if i > 0 {
            text.push_str(&sep);
        }
        text.push_str(&str_of(w, t, v)?);
    }
    text.push_str(&end);
    w.write(t, stream, &text);
    ret(Value::None)
}

fn b_input(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    Err(Raise::new(
        Exc::EOFError,
        "EOF when reading a line (the simulator has no standard input)",
    ))
}
