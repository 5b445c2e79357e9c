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
//! Strings are indexed by code point, as in Python. Character classes outside
//! ASCII come from the Unicode 15.1 tables at the end of this file (the version
//! CPython 3.13 uses), except `isprintable`, which counts unassigned code points
//! as printable. Case mappings and properties come from Rust's `char` methods,
//! so characters added to Unicode after 15.1 may differ.
//!
//! `dict.keys()`, `values()` and `items()` return live views: instances of the
//! builtin classes `dict_keys`, `dict_values` and `dict_items`, created in each
//! process when first needed.

use std::rc::Rc;

use super::{collect_iter, key_of, native, repr_of, str_of, truthy, type_name, values_eq};
use crate::types as builtins;
use crate::vm::value::*;
use crate::vm::*;

fn ret(v: Value) -> NResult {
    Ok(Flow::Return(v))
}

fn type_error(msg: impl Into<String>) -> Raise {
    Raise::new("TypeError", msg)
}

fn value_error(msg: impl Into<String>) -> Raise {
    Raise::new("ValueError", msg)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `KeyError(key)`: its message is the key's repr, as CPython shows it.
fn key_error(w: &mut World, t: Tid, key: Value) -> Raise {
    let cls = w.proc(w.pid_of(t)).classes.get("KeyError");
    match w.new_exception(t, cls, vec![key]) {
        Ok(e) => Raise::Obj(e),
        Err(e) => e,
    }
}

fn new_list(w: &mut World, t: Tid, items: Vec<Value>) -> NResult {
    ret(Value::Obj(w.alloc(t, Obj::List(items))?))
}

fn str_list(w: &mut World, t: Tid, items: Vec<String>) -> NResult {
    new_list(w, t, items.into_iter().map(Value::str).collect())
}

// ---------------------------------------------------------------------------------------------
// Receivers and arguments

/// The error for a method called on the wrong type (`str.upper(5)`) or on nothing (`str.upper()`).
fn bad_receiver(w: &mut World, t: Tid, a: &Args, ty: &str, meth: &str) -> Raise {
    match a.pos.first() {
        None => type_error(format!("unbound method {ty}.{meth}() needs an argument")),
        Some(v) => {
            let tn = type_name(w, t, v);
            type_error(format!(
                "descriptor '{meth}' for '{ty}' objects doesn't apply to a '{tn}' object"
            ))
        }
    }
}

fn this_str(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<Rc<String>, Raise> {
    match a.pos.first() {
        Some(Value::Str(s)) => Ok(s.clone()),
        _ => Err(bad_receiver(w, t, a, "str", meth)),
    }
}

fn this_obj(w: &mut World, t: Tid, a: &Args, ty: &str, meth: &str) -> Result<ObjId, Raise> {
    if let Some(Value::Obj(id)) = a.pos.first() {
        let ok = match w.heap(t).get(*id) {
            Obj::List(_) => ty == "list",
            Obj::Dict(_) => ty == "dict",
            Obj::Set(_) => ty == "set",
            _ => false,
        };
        if ok {
            return Ok(*id);
        }
    }
    Err(bad_receiver(w, t, a, ty, meth))
}

fn this_list(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<ObjId, Raise> {
    this_obj(w, t, a, "list", meth)
}

fn this_dict(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<ObjId, Raise> {
    this_obj(w, t, a, "dict", meth)
}

fn this_set(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<ObjId, Raise> {
    this_obj(w, t, a, "set", meth)
}

fn this_tuple(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<Rc<Vec<Value>>, Raise> {
    match a.pos.first() {
        Some(Value::Tuple(items)) => Ok(items.clone()),
        _ => Err(bad_receiver(w, t, a, "tuple", meth)),
    }
}

fn this_int(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<i64, Raise> {
    match a.pos.first() {
        Some(Value::Int(i)) => Ok(*i),
        Some(Value::Bool(b)) => Ok(*b as i64),
        _ => Err(bad_receiver(w, t, a, "int", meth)),
    }
}

fn this_float(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<f64, Raise> {
    match a.pos.first() {
        Some(Value::Float(f)) => Ok(*f),
        _ => Err(bad_receiver(w, t, a, "float", meth)),
    }
}

/// The arguments after the receiver of a method that takes no keywords, checked
/// against `min..=max` with the wording CPython uses for that kind of method.
fn pos_args<'a>(a: &'a Args, ty: &str, meth: &str, min: usize, max: usize) -> Result<&'a [Value], Raise> {
    if !a.kw.is_empty() {
        return Err(type_error(format!("{ty}.{meth}() takes no keyword arguments")));
    }
    let args = a.pos.get(1..).unwrap_or(&[]);
    let n = args.len();
    if n >= min && n <= max {
        return Ok(args);
    }
    Err(type_error(if max == 0 {
        format!("{ty}.{meth}() takes no arguments ({n} given)")
    } else if min == 1 && max == 1 {
        format!("{ty}.{meth}() takes exactly one argument ({n} given)")
    } else if min == max {
        format!("{meth} expected {min} argument{}, got {n}", plural(min))
    } else if n < min {
        format!("{meth} expected at least {min} argument{}, got {n}", plural(min))
    } else {
        format!("{meth} expected at most {max} argument{}, got {n}", plural(max))
    }))
}

fn no_args(a: &Args, ty: &str, meth: &str) -> Result<(), Raise> {
    pos_args(a, ty, meth, 0, 0).map(|_| ())
}

fn one_arg(a: &Args, ty: &str, meth: &str) -> Result<Value, Raise> {
    pos_args(a, ty, meth, 1, 1).map(|v| v[0].clone())
}

/// The arguments of a method whose parameters may be passed by keyword: `params`
/// in order, the first `posonly` positional-only, the first `required` required,
/// and at most `maxpos` passed by position (the rest are keyword-only).
fn kw_args(
    a: &Args,
    meth: &str,
    params: &[&str],
    posonly: usize,
    required: usize,
    maxpos: usize,
) -> Result<Vec<Option<Value>>, Raise> {
    let pos = a.pos.get(1..).unwrap_or(&[]);
    let (np, nk, max) = (pos.len(), a.kw.len(), params.len());
    if np + nk > max {
        return Err(type_error(format!(
            "{meth}() takes at most {max} argument{} ({} given)",
            plural(max),
            np + nk
        )));
    }
    if np < required {
        return Err(type_error(format!(
            "{meth}() takes at least {required} positional argument{} ({np} given)",
            plural(required)
        )));
    }
    if np > maxpos {
        return Err(type_error(if maxpos == 0 {
            format!("{meth}() takes no positional arguments")
        } else {
            format!(
                "{meth}() takes at most {maxpos} positional argument{} ({np} given)",
                plural(maxpos)
            )
        }));
    }
    let mut out: Vec<Option<Value>> = vec![None; max];
    for (slot, v) in out.iter_mut().zip(pos) {
        *slot = Some(v.clone());
    }
    for (k, v) in &a.kw {
        let Some(i) = params.iter().position(|p| *p == k.as_str()).filter(|&i| i >= posonly) else {
            return Err(type_error(format!("{meth}() got an unexpected keyword argument '{k}'")));
        };
        if i < np {
            return Err(type_error(format!(
                "argument for {meth}() given by name ('{k}') and position ({})",
                i + 1
            )));
        }
        out[i] = Some(v.clone());
    }
    Ok(out)
}

/// An integer argument (`__index__`): ints and bools.
fn as_index(w: &mut World, t: Tid, v: &Value) -> Result<i64, Raise> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        _ => {
            let tn = type_name(w, t, v);
            Err(type_error(format!("'{tn}' object cannot be interpreted as an integer")))
        }
    }
}

/// A `start`/`end` argument of a search method; `None` is accepted by the `str` methods only.
fn slice_bound(v: Option<&Value>, none_ok: bool) -> Result<Option<i64>, Raise> {
    match v {
        None => Ok(None),
        Some(Value::None) if none_ok => Ok(None),
        Some(Value::Int(i)) => Ok(Some(*i)),
        Some(Value::Bool(b)) => Ok(Some(*b as i64)),
        Some(_) => Err(type_error(if none_ok {
            "slice indices must be integers or None or have an __index__ method"
        } else {
            "slice indices must be integers or have an __index__ method"
        })),
    }
}

/// Search bounds as CPython adjusts them: negative values count from the end and
/// `end` is clamped to `len` (`start` may stay past the end: nothing matches there).
fn adjust(start: Option<i64>, end: Option<i64>, len: usize) -> (i64, i64) {
    let len = len as i64;
    let mut end = end.unwrap_or(len);
    if end > len {
        end = len;
    } else if end < 0 {
        end = (end + len).max(0);
    }
    let mut start = start.unwrap_or(0);
    if start < 0 {
        start = (start + len).max(0);
    }
    (start, end)
}

// ---------------------------------------------------------------------------------------------
// Character classes

fn in_table(table: &[u32], c: char) -> bool {
    let c = c as u32;
    let (mut lo, mut hi) = (0, table.len() / 2);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if table[2 * mid + 1] < c {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo < table.len() / 2 && table[2 * lo] <= c
}

/// Python's whitespace: `str.isspace`, `str.split()` and `str.strip()`.
fn py_space(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r' | '\x1c'..='\x1f' | ' ' | '\u{85}' | '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

fn py_alpha(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        in_table(ALPHA, c)
    }
}

fn py_decimal(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        in_table(DECIMAL, c)
    }
}

fn py_digit(c: char) -> bool {
    py_decimal(c) || (!c.is_ascii() && in_table(DIGIT, c))
}

fn py_numeric(c: char) -> bool {
    py_digit(c) || (!c.is_ascii() && in_table(NUMERIC, c))
}

/// The value of a decimal digit (any script), as `int()` and format field numbers read it.
fn decimal_value(c: char) -> Option<u32> {
    if c.is_ascii_digit() {
        return Some(c as u32 - '0' as u32);
    }
    if c.is_ascii() || !in_table(DECIMAL, c) {
        return None;
    }
    // Decimal runs are blocks of ten starting at a zero: find the run's start.
    let cp = c as u32;
    let i = DECIMAL.chunks_exact(2).position(|r| r[0] <= cp && cp <= r[1])?;
    Some((cp - DECIMAL[2 * i]) % 10)
}

/// Titlecase letters (category Lt).
fn is_titlecase(c: char) -> bool {
    matches!(c as u32, 0x1C5 | 0x1C8 | 0x1CB | 0x1F2 | 0x1F88..=0x1F8F | 0x1F98..=0x1F9F | 0x1FA8..=0x1FAF | 0x1FBC | 0x1FCC | 0x1FFC)
}

fn is_cased(c: char) -> bool {
    c.is_lowercase() || c.is_uppercase() || is_titlecase(c)
}

/// The titlecase mapping of one character (`str.title`, `str.capitalize`).
fn push_title(out: &mut String, c: char) {
    let cp = c as u32;
    let single = match cp {
        0x1C4..=0x1C6 => Some(0x1C5),
        0x1C7..=0x1C9 => Some(0x1C8),
        0x1CA..=0x1CC => Some(0x1CB),
        0x1F1..=0x1F3 => Some(0x1F2),
        // Georgian Mkhedruli letters have uppercase forms but are their own titlecase.
        0x10D0..=0x10FA | 0x10FD..=0x10FF => Some(cp),
        // Greek letters with ypogegrammeni: the titlecase keeps the iota subscript.
        0x1F80..=0x1FAF => Some(cp | 8),
        0x1FB3 | 0x1FBC => Some(0x1FBC),
        0x1FC3 | 0x1FCC => Some(0x1FCC),
        0x1FF3 | 0x1FFC => Some(0x1FFC),
        _ => None,
    };
    if let Some(x) = single.and_then(char::from_u32) {
        out.push(x);
        return;
    }
    let upper: Vec<char> = c.to_uppercase().collect();
    if matches!(
        cp,
        0x1FB2 | 0x1FB4 | 0x1FB7 | 0x1FC2 | 0x1FC4 | 0x1FC7 | 0x1FF2 | 0x1FF4 | 0x1FF7
    ) {
        // Uppercase ends with a capital iota; the titlecase has the combining iota instead.
        out.extend(&upper[..upper.len() - 1]);
        out.push('\u{345}');
        return;
    }
    if cp == 0x149 {
        out.extend(upper);
        return;
    }
    let mut it = upper.into_iter();
    if let Some(first) = it.next() {
        out.push(first);
    }
    for rest in it {
        out.extend(rest.to_lowercase());
    }
}

/// The lowercase of each character of `s` in context (a final capital sigma becomes `ς`).
fn lower_each(s: &str) -> Vec<String> {
    let lowered = s.to_lowercase();
    let mut all = lowered.chars();
    s.chars()
        .map(|c| all.by_ref().take(c.to_lowercase().count()).collect())
        .collect()
}

/// `str.casefold` of one character.
fn push_casefold(out: &mut String, c: char) {
    match c as u32 {
        // Cherokee folds to its uppercase letters.
        0x13A0..=0x13F5 => out.push(c),
        0x13F8..=0x13FD => out.extend(char::from_u32(c as u32 - 8)),
        0xAB70..=0xABBF => out.extend(char::from_u32(c as u32 - 0xAB70 + 0x13A0)),
        0x131 => out.push(c),
        0x1E9E => out.push_str("ss"),
        _ => {
            for u in c.to_uppercase() {
                out.extend(u.to_lowercase());
            }
        }
    }
}

/// Can `c` start an identifier (XID_Start, or `_`)?
fn ident_start(c: char) -> bool {
    if c.is_ascii() {
        return c == '_' || c.is_ascii_alphabetic();
    }
    (in_table(ALPHA, c) && !in_table(ALPHA_NOT_ID_START, c)) || in_table(ID_START_EXTRA, c)
}

/// Can `c` continue an identifier (XID_Continue)?
fn ident_continue(c: char) -> bool {
    if c.is_ascii() {
        return c == '_' || c.is_ascii_alphanumeric();
    }
    ident_start(c) || in_table(DECIMAL, c) || in_table(ID_CONTINUE_EXTRA, c)
}

/// `str.isprintable` of one character. Outside ASCII: not a control, separator,
/// format, surrogate or private-use character (unassigned code points count as printable).
fn printable(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    let cp = c as u32;
    !(c.is_control()
        || c.is_whitespace()
        || matches!(
            cp,
            0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890 | 0x891 | 0x8E2 | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xE000..=0xF8FF | 0xFEFF | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F | 0xF0000..
        ))
}

/// `ascii()`: the repr with non-ASCII characters escaped.
fn ascii_escape(repr: &str) -> String {
    let mut out = String::with_capacity(repr.len());
    for c in repr.chars() {
        let cp = c as u32;
        if c.is_ascii() {
            out.push(c);
        } else if cp <= 0xFF {
            out.push_str(&format!("\\x{cp:02x}"));
        } else if cp <= 0xFFFF {
            out.push_str(&format!("\\u{cp:04x}"));
        } else {
            out.push_str(&format!("\\U{cp:08x}"));
        }
    }
    out
}

/// All items of an iterable (an instance without `__iter__` is not iterable).
fn iterate(w: &mut World, t: Tid, v: &Value) -> Result<Vec<Value>, Raise> {
    if let Value::Obj(id) = v {
        if let Obj::Instance { class, .. } = w.heap(t).get(*id) {
            let c = *class;
            if w.class_lookup(t, c, "__iter__").is_none() {
                let tn = type_name(w, t, v);
                return Err(type_error(format!("'{tn}' object is not iterable")));
            }
        }
    }
    collect_iter(w, t, v)
}

fn is_instance(w: &mut World, t: Tid, v: &Value) -> bool {
    matches!(v, Value::Obj(id) if matches!(w.heap(t).get(*id), Obj::Instance { .. }))
}

/// A class's own `__eq__` for an instance (none for other values).
fn user_eq(w: &mut World, t: Tid, v: &Value) -> Option<Value> {
    let Value::Obj(id) = v else { return None };
    let Obj::Instance { class, .. } = w.heap(t).get(*id) else {
        return None;
    };
    let c = *class;
    w.class_lookup(t, c, "__eq__")
        .filter(|f| !matches!(f, Value::Native(_)))
}

/// `item == x` as containers compare: identity, then `item.__eq__(x)`, then the
/// reflected `x.__eq__(item)` when the first gives `NotImplemented`.
fn item_eq(w: &mut World, t: Tid, item: &Value, x: &Value) -> Result<bool, Raise> {
    if let (Value::Obj(p), Value::Obj(q)) = (item, x) {
        if p == q {
            return Ok(true);
        }
    }
    let mut any_instance = false;
    for (l, r) in [(item, x), (x, item)] {
        any_instance |= is_instance(w, t, l);
        if let Some(f) = user_eq(w, t, l) {
            let res = w.call_sync(t, f, Args::new(vec![l.clone(), r.clone()]))?;
            if !matches!(&res, Value::Str(s) if s.as_str() == "NotImplemented") {
                return truthy(w, t, &res);
            }
        }
    }
    if any_instance {
        return Ok(false);
    }
    values_eq(w, t, item, x)
}

/// `o[k]` for any object, including instances with `__getitem__`.
fn subscript(w: &mut World, t: Tid, o: &Value, k: &Value) -> Result<Value, Raise> {
    if let Some(v) = builtins::getitem(w, t, o, k)? {
        return Ok(v);
    }
    if let Value::Obj(id) = o {
        if let Obj::Instance { class, .. } = w.heap(t).get(*id) {
            let c = *class;
            if let Some(f) = w.class_lookup(t, c, "__getitem__") {
                return w.call_sync(t, f, Args::new(vec![o.clone(), k.clone()]));
            }
        }
    }
    let tn = type_name(w, t, o);
    Err(type_error(format!("'{tn}' object is not subscriptable")))
}

// ---------------------------------------------------------------------------------------------
// str: case and character classes

/// The receiver of a `str` method that takes no arguments.
fn str0(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<Rc<String>, Raise> {
    let s = this_str(w, t, a, meth)?;
    no_args(a, "str", meth)?;
    Ok(s)
}

fn s_upper(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "upper")?;
    ret(Value::str(s.to_uppercase()))
}

fn s_lower(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "lower")?;
    ret(Value::str(s.to_lowercase()))
}

fn s_casefold(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "casefold")?;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_casefold(&mut out, c);
    }
    ret(Value::str(out))
}

fn s_swapcase(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "swapcase")?;
    let mut out = String::with_capacity(s.len());
    for (c, lower) in s.chars().zip(lower_each(&s)) {
        if c.is_uppercase() {
            out.push_str(&lower);
        } else if c.is_lowercase() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
    }
    ret(Value::str(out))
}

fn s_title(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "title")?;
    let mut out = String::with_capacity(s.len());
    let mut prev_cased = false;
    for (c, lower) in s.chars().zip(lower_each(&s)) {
        if prev_cased {
            out.push_str(&lower);
        } else {
            push_title(&mut out, c);
        }
        prev_cased = is_cased(c);
    }
    ret(Value::str(out))
}

fn s_capitalize(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "capitalize")?;
    let mut out = String::with_capacity(s.len());
    for (i, (c, lower)) in s.chars().zip(lower_each(&s)).enumerate() {
        if i == 0 {
            push_title(&mut out, c);
        } else {
            out.push_str(&lower);
        }
    }
    ret(Value::str(out))
}

/// `str.isX()`: true when the string is non-empty and every character passes.
fn all_chars(w: &mut World, t: Tid, a: &Args, meth: &str, pred: fn(char) -> bool) -> NResult {
    let s = str0(w, t, a, meth)?;
    ret(Value::Bool(!s.is_empty() && s.chars().all(pred)))
}

fn s_isdigit(w: &mut World, t: Tid, a: Args) -> NResult {
    all_chars(w, t, &a, "isdigit", py_digit)
}

fn s_isdecimal(w: &mut World, t: Tid, a: Args) -> NResult {
    all_chars(w, t, &a, "isdecimal", py_decimal)
}

fn s_isnumeric(w: &mut World, t: Tid, a: Args) -> NResult {
    all_chars(w, t, &a, "isnumeric", py_numeric)
}

fn s_isalpha(w: &mut World, t: Tid, a: Args) -> NResult {
    all_chars(w, t, &a, "isalpha", py_alpha)
}

fn s_isalnum(w: &mut World, t: Tid, a: Args) -> NResult {
    all_chars(w, t, &a, "isalnum", |c| py_alpha(c) || py_numeric(c))
}

fn s_isspace(w: &mut World, t: Tid, a: Args) -> NResult {
    all_chars(w, t, &a, "isspace", py_space)
}

fn s_isascii(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "isascii")?;
    ret(Value::Bool(s.is_ascii()))
}

fn s_isprintable(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "isprintable")?;
    ret(Value::Bool(s.chars().all(printable)))
}

fn s_isupper(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "isupper")?;
    let mut cased = false;
    for c in s.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return ret(Value::Bool(false));
        }
        cased |= c.is_uppercase();
    }
    ret(Value::Bool(cased))
}

fn s_islower(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "islower")?;
    let mut cased = false;
    for c in s.chars() {
        if c.is_uppercase() || is_titlecase(c) {
            return ret(Value::Bool(false));
        }
        cased |= c.is_lowercase();
    }
    ret(Value::Bool(cased))
}

fn s_istitle(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "istitle")?;
    let (mut cased, mut prev_cased) = (false, false);
    for c in s.chars() {
        if c.is_uppercase() || is_titlecase(c) {
            if prev_cased {
                return ret(Value::Bool(false));
            }
            prev_cased = true;
            cased = true;
        } else if c.is_lowercase() {
            if !prev_cased {
                return ret(Value::Bool(false));
            }
            prev_cased = true;
            cased = true;
        } else {
            prev_cased = false;
        }
    }
    ret(Value::Bool(cased))
}

fn s_isidentifier(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = str0(w, t, &a, "isidentifier")?;
    let mut cs = s.chars();
    let ok = match cs.next() {
        Some(first) => ident_start(first) && cs.all(ident_continue),
        None => false,
    };
    ret(Value::Bool(ok))
}

// ---------------------------------------------------------------------------------------------
// str: stripping, splitting, joining

fn strip(w: &mut World, t: Tid, a: Args, meth: &str, left: bool, right: bool) -> NResult {
    let s = this_str(w, t, &a, meth)?;
    let args = pos_args(&a, "str", meth, 0, 1)?;
    let set: Option<Vec<char>> = match args.first() {
        None | Some(Value::None) => None,
        Some(Value::Str(c)) => Some(c.chars().collect()),
        Some(_) => return Err(type_error(format!("{meth} arg must be None or str"))),
    };
    let strip_char = |c: char| match &set {
        None => py_space(c),
        Some(set) => set.contains(&c),
    };
    let mut r: &str = &s;
    if left {
        r = r.trim_start_matches(strip_char);
    }
    if right {
        r = r.trim_end_matches(strip_char);
    }
    ret(Value::str(r))
}

fn s_strip(w: &mut World, t: Tid, a: Args) -> NResult {
    strip(w, t, a, "strip", true, true)
}

fn s_lstrip(w: &mut World, t: Tid, a: Args) -> NResult {
    strip(w, t, a, "lstrip", true, false)
}

fn s_rstrip(w: &mut World, t: Tid, a: Args) -> NResult {
    strip(w, t, a, "rstrip", false, true)
}

/// `split()`/`rsplit()` without a separator: runs of whitespace separate words;
/// after `maxsplit` splits the rest is one word (its far end unstripped).
fn split_whitespace(s: &str, maxsplit: i64, from_right: bool) -> Vec<String> {
    let cs: Vec<char> = if from_right {
        s.chars().rev().collect()
    } else {
        s.chars().collect()
    };
    let (n, mut left, mut i) = (cs.len(), maxsplit, 0);
    let mut out: Vec<String> = Vec::new();
    loop {
        while i < n && py_space(cs[i]) {
            i += 1;
        }
        if i >= n {
            break;
        }
        if left == 0 {
            out.push(cs[i..].iter().collect());
            break;
        }
        let j = i;
        while i < n && !py_space(cs[i]) {
            i += 1;
        }
        out.push(cs[j..i].iter().collect());
        if left > 0 {
            left -= 1;
        }
    }
    if from_right {
        out.reverse();
        for word in out.iter_mut() {
            *word = word.chars().rev().collect();
        }
    }
    out
}

fn split(w: &mut World, t: Tid, a: Args, meth: &str, from_right: bool) -> NResult {
    let s = this_str(w, t, &a, meth)?;
    let p = kw_args(&a, meth, &["sep", "maxsplit"], 0, 0, 2)?;
    let maxsplit = match &p[1] {
        None => -1,
        Some(v) => as_index(w, t, v)?,
    };
    let parts: Vec<String> = match &p[0] {
        None | Some(Value::None) => split_whitespace(&s, maxsplit, from_right),
        Some(Value::Str(sep)) => {
            if sep.is_empty() {
                return Err(value_error("empty separator"));
            }
            let sep = sep.as_str();
            match (maxsplit < 0, from_right) {
                (true, false) => s.split(sep).map(String::from).collect(),
                (true, true) => {
                    let mut v: Vec<String> = s.rsplit(sep).map(String::from).collect();
                    v.reverse();
                    v
                }
                (false, false) => s
                    .splitn(maxsplit.saturating_add(1) as usize, sep)
                    .map(String::from)
                    .collect(),
                (false, true) => {
                    let mut v: Vec<String> = s
                        .rsplitn(maxsplit.saturating_add(1) as usize, sep)
                        .map(String::from)
                        .collect();
                    v.reverse();
                    v
                }
            }
        }
        Some(v) => {
            let tn = type_name(w, t, v);
            return Err(type_error(format!("must be str or None, not {tn}")));
        }
    };
    str_list(w, t, parts)
}

fn s_split(w: &mut World, t: Tid, a: Args) -> NResult {
    split(w, t, a, "split", false)
}

fn s_rsplit(w: &mut World, t: Tid, a: Args) -> NResult {
    split(w, t, a, "rsplit", true)
}

fn s_splitlines(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = this_str(w, t, &a, "splitlines")?;
    let p = kw_args(&a, "splitlines", &["keepends"], 0, 0, 1)?;
    let keepends = match &p[0] {
        Some(v) => truthy(w, t, v)?,
        None => false,
    };
    let cs: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < cs.len() {
        let brk = match cs[i] {
            '\r' if cs.get(i + 1) == Some(&'\n') => 2,
            '\n' | '\r' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\u{85}' | '\u{2028}' | '\u{2029}' => 1,
            _ => 0,
        };
        if brk == 0 {
            i += 1;
            continue;
        }
        let end = if keepends { i + brk } else { i };
        out.push(cs[start..end].iter().collect());
        i += brk;
        start = i;
    }
    if start < cs.len() {
        out.push(cs[start..].iter().collect());
    }
    str_list(w, t, out)
}

fn s_join(w: &mut World, t: Tid, a: Args) -> NResult {
    let sep = this_str(w, t, &a, "join")?;
    let it = one_arg(&a, "str", "join")?;
    let items = match iterate(w, t, &it) {
        Ok(v) => v,
        Err(Raise::New("TypeError", m)) if m.ends_with("is not iterable") => {
            return Err(type_error("can only join an iterable"))
        }
        Err(e) => return Err(e),
    };
    let mut out = String::new();
    for (i, v) in items.iter().enumerate() {
        match v {
            Value::Str(s) => {
                if i > 0 {
                    out.push_str(&sep);
                }
                out.push_str(s);
            }
            other => {
                let tn = type_name(w, t, other);
                return Err(type_error(format!(
                    "sequence item {i}: expected str instance, {tn} found"
                )));
            }
        }
    }
    ret(Value::str(out))
}

// ---------------------------------------------------------------------------------------------
// str: searching and replacing

/// A `str` argument; `what` names it in the error (`replace() argument 1`).
fn str_arg(w: &mut World, t: Tid, v: &Value, what: &str) -> Result<Rc<String>, Raise> {
    match v {
        Value::Str(s) => Ok(s.clone()),
        other => {
            let tn = type_name(w, t, other);
            // Argument-clinic messages call None by name; the others by its type.
            if what.is_empty() {
                Err(type_error(format!("must be str, not {tn}")))
            } else if other.is_none() {
                Err(type_error(format!("{what} must be str, not None")))
            } else {
                Err(type_error(format!("{what} must be str, not {tn}")))
            }
        }
    }
}

/// Receiver, substring and adjusted bounds of `find`/`index`/`count` and their `r` forms.
fn search_args(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<(Vec<char>, Vec<char>, i64, i64), Raise> {
    let s = this_str(w, t, a, meth)?;
    let args = pos_args(a, "str", meth, 1, 3)?;
    let sub = str_arg(w, t, &args[0], &format!("{meth}() argument 1"))?;
    let start = slice_bound(args.get(1), true)?;
    let end = slice_bound(args.get(2), true)?;
    let hay: Vec<char> = s.chars().collect();
    let (start, end) = adjust(start, end, hay.len());
    Ok((hay, sub.chars().collect(), start, end))
}

fn find_in(hay: &[char], sub: &[char], start: i64, end: i64, from_right: bool) -> Option<usize> {
    let n = sub.len();
    if end - start < n as i64 {
        return None;
    }
    let (start, end) = (start as usize, end as usize);
    if n == 0 {
        return Some(if from_right { end } else { start });
    }
    let matches_at = |i: &usize| hay[*i..*i + n] == *sub;
    if from_right {
        (start..=end - n).rev().find(matches_at)
    } else {
        (start..=end - n).find(matches_at)
    }
}

fn find(w: &mut World, t: Tid, a: Args, meth: &str, from_right: bool, raise: bool) -> NResult {
    let (hay, sub, start, end) = search_args(w, t, &a, meth)?;
    match find_in(&hay, &sub, start, end, from_right) {
        Some(i) => ret(Value::Int(i as i64)),
        None if raise => Err(value_error("substring not found")),
        None => ret(Value::Int(-1)),
    }
}

fn s_find(w: &mut World, t: Tid, a: Args) -> NResult {
    find(w, t, a, "find", false, false)
}

fn s_rfind(w: &mut World, t: Tid, a: Args) -> NResult {
    find(w, t, a, "rfind", true, false)
}

fn s_index(w: &mut World, t: Tid, a: Args) -> NResult {
    find(w, t, a, "index", false, true)
}

fn s_rindex(w: &mut World, t: Tid, a: Args) -> NResult {
    find(w, t, a, "rindex", true, true)
}

fn s_count(w: &mut World, t: Tid, a: Args) -> NResult {
    let (hay, sub, start, end) = search_args(w, t, &a, "count")?;
    let n = sub.len();
    if end - start < n as i64 {
        return ret(Value::Int(0));
    }
    if n == 0 {
        return ret(Value::Int(end - start + 1));
    }
    let (mut i, end, mut count) = (start as usize, end as usize, 0);
    while i + n <= end {
        if hay[i..i + n] == *sub {
            count += 1;
            i += n;
        } else {
            i += 1;
        }
    }
    ret(Value::Int(count))
}

fn s_replace(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = this_str(w, t, &a, "replace")?;
    let p = kw_args(&a, "replace", &["old", "new", "count"], 2, 2, 3)?;
    let (old, new) = (p[0].clone().unwrap_or(Value::None), p[1].clone().unwrap_or(Value::None));
    let old = str_arg(w, t, &old, "replace() argument 1")?;
    let new = str_arg(w, t, &new, "replace() argument 2")?;
    let count = match &p[2] {
        Some(v) => as_index(w, t, v)?,
        None => -1,
    };
    let out = if count < 0 {
        s.replace(old.as_str(), &new)
    } else {
        s.replacen(old.as_str(), &new, count as usize)
    };
    ret(Value::str(out))
}

/// Does `cs[start..end]` start (or end) with `p`? Bounds already adjusted.
fn tailmatch(cs: &[char], p: &[char], start: i64, end: i64, suffix: bool) -> bool {
    let n = p.len() as i64;
    let last = end - n;
    if last < start {
        return false;
    }
    let at = if suffix { last } else { start } as usize;
    cs[at..at + p.len()] == *p
}

fn affix(w: &mut World, t: Tid, a: Args, meth: &str, suffix: bool) -> NResult {
    let s = this_str(w, t, &a, meth)?;
    let args = pos_args(&a, "str", meth, 1, 3)?;
    let start = slice_bound(args.get(1), true)?;
    let end = slice_bound(args.get(2), true)?;
    let cs: Vec<char> = s.chars().collect();
    let (start, end) = adjust(start, end, cs.len());
    match &args[0] {
        Value::Str(p) => ret(Value::Bool(tailmatch(
            &cs,
            &p.chars().collect::<Vec<_>>(),
            start,
            end,
            suffix,
        ))),
        Value::Tuple(items) => {
            for it in items.iter() {
                let Value::Str(p) = it else {
                    let tn = type_name(w, t, it);
                    return Err(type_error(format!("tuple for {meth} must only contain str, not {tn}")));
                };
                if tailmatch(&cs, &p.chars().collect::<Vec<_>>(), start, end, suffix) {
                    return ret(Value::Bool(true));
                }
            }
            ret(Value::Bool(false))
        }
        other => {
            let tn = type_name(w, t, other);
            Err(type_error(format!(
                "{meth} first arg must be str or a tuple of str, not {tn}"
            )))
        }
    }
}

fn s_startswith(w: &mut World, t: Tid, a: Args) -> NResult {
    affix(w, t, a, "startswith", false)
}

fn s_endswith(w: &mut World, t: Tid, a: Args) -> NResult {
    affix(w, t, a, "endswith", true)
}

fn partition(w: &mut World, t: Tid, a: Args, meth: &str, from_right: bool) -> NResult {
    let s = this_str(w, t, &a, meth)?;
    let sep = one_arg(&a, "str", meth)?;
    let sep = str_arg(w, t, &sep, "")?;
    if sep.is_empty() {
        return Err(value_error("empty separator"));
    }
    let found = if from_right {
        s.rfind(sep.as_str())
    } else {
        s.find(sep.as_str())
    };
    let parts = match found {
        Some(i) => [&s[..i], sep.as_str(), &s[i + sep.len()..]],
        None if from_right => ["", "", s.as_str()],
        None => [s.as_str(), "", ""],
    };
    ret(Value::tuple(parts.iter().map(|p| Value::str(*p)).collect()))
}

fn s_partition(w: &mut World, t: Tid, a: Args) -> NResult {
    partition(w, t, a, "partition", false)
}

fn s_rpartition(w: &mut World, t: Tid, a: Args) -> NResult {
    partition(w, t, a, "rpartition", true)
}

fn remove_affix(w: &mut World, t: Tid, a: Args, meth: &str, suffix: bool) -> NResult {
    let s = this_str(w, t, &a, meth)?;
    let p = one_arg(&a, "str", meth)?;
    let p = str_arg(w, t, &p, &format!("{meth}() argument"))?;
    let r = if suffix {
        s.strip_suffix(p.as_str())
    } else {
        s.strip_prefix(p.as_str())
    };
    match r {
        Some(r) => ret(Value::str(r)),
        None => ret(Value::Str(s)),
    }
}

fn s_removeprefix(w: &mut World, t: Tid, a: Args) -> NResult {
    remove_affix(w, t, a, "removeprefix", false)
}

fn s_removesuffix(w: &mut World, t: Tid, a: Args) -> NResult {
    remove_affix(w, t, a, "removesuffix", true)
}

// ---------------------------------------------------------------------------------------------
// str: padding

/// Receiver, width and fill character of `center`/`ljust`/`rjust`.
fn pad_args(w: &mut World, t: Tid, a: &Args, meth: &str) -> Result<(Rc<String>, usize, usize, char), Raise> {
    let s = this_str(w, t, a, meth)?;
    let args = pos_args(a, "str", meth, 1, 2)?;
    let width = as_index(w, t, &args[0])?;
    let fill = match args.get(1) {
        None => ' ',
        Some(Value::Str(f)) if f.chars().count() == 1 => f.chars().next().unwrap_or(' '),
        Some(Value::Str(_)) => return Err(type_error("The fill character must be exactly one character long")),
        Some(v) => {
            let tn = type_name(w, t, v);
            return Err(type_error(format!(
                "The fill character must be a unicode character, not {tn}"
            )));
        }
    };
    let len = s.chars().count();
    Ok((s, len, width.max(0) as usize, fill))
}

fn padded(s: &str, left: usize, right: usize, fill: char) -> Value {
    let mut out = String::with_capacity(s.len() + left + right);
    out.extend(std::iter::repeat_n(fill, left));
    out.push_str(s);
    out.extend(std::iter::repeat_n(fill, right));
    Value::str(out)
}

fn s_center(w: &mut World, t: Tid, a: Args) -> NResult {
    let (s, len, width, fill) = pad_args(w, t, &a, "center")?;
    if width <= len {
        return ret(Value::Str(s));
    }
    let marg = width - len;
    let left = marg / 2 + (marg & width & 1);
    ret(padded(&s, left, marg - left, fill))
}

fn s_ljust(w: &mut World, t: Tid, a: Args) -> NResult {
    let (s, len, width, fill) = pad_args(w, t, &a, "ljust")?;
    ret(padded(&s, 0, width.saturating_sub(len), fill))
}

fn s_rjust(w: &mut World, t: Tid, a: Args) -> NResult {
    let (s, len, width, fill) = pad_args(w, t, &a, "rjust")?;
    ret(padded(&s, width.saturating_sub(len), 0, fill))
}

fn s_zfill(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = this_str(w, t, &a, "zfill")?;
    let width = one_arg(&a, "str", "zfill")?;
    let width = as_index(w, t, &width)?;
    let len = s.chars().count() as i64;
    if width <= len {
        return ret(Value::Str(s));
    }
    let zeros = "0".repeat((width - len) as usize);
    let out = match s.chars().next() {
        Some(sign @ ('+' | '-')) => format!("{sign}{zeros}{}", &s[1..]),
        _ => format!("{zeros}{s}"),
    };
    ret(Value::str(out))
}

fn s_expandtabs(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = this_str(w, t, &a, "expandtabs")?;
    let p = kw_args(&a, "expandtabs", &["tabsize"], 0, 0, 1)?;
    let tabsize = match &p[0] {
        Some(v) => as_index(w, t, v)?,
        None => 8,
    };
    let mut out = String::with_capacity(s.len());
    let mut col: i64 = 0;
    for c in s.chars() {
        match c {
            '\t' => {
                if tabsize > 0 {
                    let n = tabsize - col % tabsize;
                    out.extend(std::iter::repeat_n(' ', n as usize));
                    col += n;
                }
            }
            '\n' | '\r' => {
                out.push(c);
                col = 0;
            }
            _ => {
                out.push(c);
                col += 1;
            }
        }
    }
    ret(Value::str(out))
}

fn s_encode(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    Err(type_error(
        "str.encode() is not supported: the simulator has no bytes type",
    ))
}

// ---------------------------------------------------------------------------------------------
// str.format

/// Automatic (`{}`) versus manual (`{0}`) field numbering within one `format` call.
enum Numbering {
    Unset,
    Auto(usize),
    Manual,
}

/// Where named fields come from: `format`'s keyword arguments or `format_map`'s mapping.
enum Named<'a> {
    Kw(&'a [(Rc<String>, Value)]),
    Map(Value),
}

struct FormatCtx<'a> {
    args: &'a [Value],
    named: Named<'a>,
    numbering: Numbering,
}

/// A field number: decimal digits (of any script), as CPython reads them.
fn field_number(s: &str) -> Result<Option<usize>, Raise> {
    if s.is_empty() {
        return Ok(None);
    }
    let mut n: usize = 0;
    for c in s.chars() {
        let Some(d) = decimal_value(c) else {
            return Ok(None);
        };
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(d as usize))
            .ok_or_else(|| value_error("Too many decimal digits in format string"))?;
    }
    Ok(Some(n))
}

/// One replacement field as written: name, conversion, spec, and where the text continues.
struct Field<'a> {
    name: &'a str,
    conversion: Option<char>,
    spec: &'a str,
    next: usize,
}

/// Parses the field starting at byte `i` (just after its `{`).
fn parse_field(fmt: &str, mut i: usize) -> Result<Field<'_>, Raise> {
    let b = fmt.as_bytes();
    let name_start = i;
    let mut term = None;
    while i < b.len() {
        let c = b[i];
        i += 1;
        match c {
            b'{' => return Err(value_error("unexpected '{' in field name")),
            b'[' => {
                while i < b.len() && b[i] != b']' {
                    i += 1;
                }
            }
            b'}' | b':' | b'!' => {
                term = Some(c);
                break;
            }
            _ => {}
        }
    }
    let Some(last) = term else {
        return Err(value_error("expected '}' before end of string"));
    };
    let name = &fmt[name_start..i - 1];
    if last == b'}' {
        return Ok(Field {
            name,
            conversion: None,
            spec: "",
            next: i,
        });
    }
    let mut conversion = None;
    if last == b'!' {
        let Some(c) = fmt[i..].chars().next() else {
            return Err(value_error("end of string while looking for conversion specifier"));
        };
        conversion = Some(c);
        i += c.len_utf8();
        if i < b.len() {
            let c2 = b[i];
            i += 1;
            if c2 == b'}' {
                return Ok(Field {
                    name,
                    conversion,
                    spec: "",
                    next: i,
                });
            }
            if c2 != b':' {
                return Err(value_error("expected ':' after conversion specifier"));
            }
        }
    }
    let spec_start = i;
    let mut depth = 1;
    while i < b.len() {
        let c = b[i];
        i += 1;
        if c == b'{' {
            depth += 1;
        } else if c == b'}' {
            depth -= 1;
            if depth == 0 {
                return Ok(Field {
                    name,
                    conversion,
                    spec: &fmt[spec_start..i - 1],
                    next: i,
                });
            }
        }
    }
    Err(value_error("unmatched '{' in format spec"))
}

/// The object a field names: an argument, then attributes and items (`0.name[1]`).
fn field_value(w: &mut World, t: Tid, name: &str, cx: &mut FormatCtx) -> Result<Value, Raise> {
    let first_end = name.find(['.', '[']).unwrap_or(name.len());
    let first = &name[..first_end];
    let index = if first.is_empty() {
        let n = match cx.numbering {
            Numbering::Manual => {
                return Err(value_error(
                    "cannot switch from manual field specification to automatic field numbering",
                ))
            }
            Numbering::Unset => 0,
            Numbering::Auto(n) => n,
        };
        cx.numbering = Numbering::Auto(n + 1);
        Some(n)
    } else if let Some(n) = field_number(first)? {
        if let Numbering::Auto(_) = cx.numbering {
            return Err(value_error(
                "cannot switch from automatic field numbering to manual field specification",
            ));
        }
        cx.numbering = Numbering::Manual;
        Some(n)
    } else {
        None
    };
    let mut v = match index {
        Some(_) if matches!(cx.named, Named::Map(_)) => {
            return Err(value_error("Format string contains positional fields"));
        }
        Some(n) => match cx.args.get(n) {
            Some(v) => v.clone(),
            None => {
                return Err(Raise::new(
                    "IndexError",
                    format!("Replacement index {n} out of range for positional args tuple"),
                ))
            }
        },
        None => match &cx.named {
            Named::Kw(kw) => match kw.iter().find(|(k, _)| k.as_str() == first) {
                Some((_, v)) => v.clone(),
                None => return Err(key_error(w, t, Value::str(first))),
            },
            Named::Map(m) => {
                let m = m.clone();
                subscript(w, t, &m, &Value::str(first))?
            }
        },
    };
    let rest = &name[first_end..];
    let rb = rest.as_bytes();
    let mut i = 0;
    while i < rb.len() {
        match rb[i] {
            b'.' => {
                i += 1;
                let s = i;
                while i < rb.len() && rb[i] != b'.' && rb[i] != b'[' {
                    i += 1;
                }
                if i == s {
                    return Err(value_error("Empty attribute in format string"));
                }
                v = w.getattr(t, &v, &rest[s..i])?;
            }
            b'[' => {
                i += 1;
                let s = i;
                while i < rb.len() && rb[i] != b']' {
                    i += 1;
                }
                if i >= rb.len() {
                    return Err(value_error("Missing ']' in format string"));
                }
                let key = &rest[s..i];
                i += 1;
                if key.is_empty() {
                    return Err(value_error("Empty attribute in format string"));
                }
                let k = match field_number(key)? {
                    Some(n) => Value::Int(n as i64),
                    None => Value::str(key),
                };
                v = subscript(w, t, &v, &k)?;
            }
            _ => return Err(value_error("Only '.' or '[' may follow ']' in format field specifier")),
        }
    }
    Ok(v)
}

/// `format(v, spec)`, with a class's own `__format__` when it defines one (an
/// instance without one only takes the empty spec, as `object.__format__`).
fn format_one(w: &mut World, t: Tid, v: &Value, spec: &str) -> Result<String, Raise> {
    if let Value::Obj(id) = v {
        if let Obj::Instance { class, .. } = w.heap(t).get(*id) {
            let c = *class;
            match w.class_lookup(t, c, "__format__") {
                Some(f) if !matches!(f, Value::Native(_)) => {
                    let args = Args::new(vec![v.clone(), Value::str(spec)]);
                    return match w.call_sync(t, f, args)? {
                        Value::Str(s) => Ok(s.to_string()),
                        other => {
                            let tn = type_name(w, t, &other);
                            Err(type_error(format!("__format__ must return a str, not {tn}")))
                        }
                    };
                }
                _ if !spec.is_empty() => {
                    let tn = type_name(w, t, v);
                    return Err(type_error(format!(
                        "unsupported format string passed to {tn}.__format__"
                    )));
                }
                _ => {}
            }
        }
    }
    builtins::format_value(w, t, v, spec)
}

/// Renders `fmt`; `depth` bounds the nesting of fields inside format specs.
fn render(w: &mut World, t: Tid, fmt: &str, cx: &mut FormatCtx, depth: u32) -> Result<String, Raise> {
    if depth == 0 {
        return Err(value_error("Max string recursion exceeded"));
    }
    let b = fmt.as_bytes();
    let mut out = String::with_capacity(fmt.len());
    let mut i = 0;
    while i < b.len() {
        let lit = i;
        while i < b.len() && b[i] != b'{' && b[i] != b'}' {
            i += 1;
        }
        out.push_str(&fmt[lit..i]);
        if i >= b.len() {
            break;
        }
        let brace = b[i];
        i += 1;
        if i < b.len() && b[i] == brace {
            out.push(brace as char);
            i += 1;
            continue;
        }
        if brace == b'}' {
            return Err(value_error("Single '}' encountered in format string"));
        }
        if i >= b.len() {
            return Err(value_error("Single '{' encountered in format string"));
        }
        let field = parse_field(fmt, i)?;
        i = field.next;
        let v = field_value(w, t, field.name, cx)?;
        let v = match field.conversion {
            None => v,
            Some('r') => Value::str(repr_of(w, t, &v)?),
            Some('s') => Value::str(str_of(w, t, &v)?),
            Some('a') => Value::str(ascii_escape(&repr_of(w, t, &v)?)),
            Some(c) if (c as u32) > 32 && (c as u32) < 127 => {
                return Err(value_error(format!("Unknown conversion specifier {c}")))
            }
            Some(c) => return Err(value_error(format!("Unknown conversion specifier \\x{:x}", c as u32))),
        };
        let spec = if field.spec.contains('{') {
            render(w, t, field.spec, cx, depth - 1)?
        } else {
            field.spec.to_string()
        };
        out.push_str(&format_one(w, t, &v, &spec)?);
    }
    Ok(out)
}

fn s_format(w: &mut World, t: Tid, a: Args) -> NResult {
    let fmt = this_str(w, t, &a, "format")?;
    let mut cx = FormatCtx {
        args: &a.pos[1..],
        named: Named::Kw(&a.kw),
        numbering: Numbering::Unset,
    };
    let out = render(w, t, &fmt, &mut cx, 2)?;
    ret(Value::str(out))
}

fn s_format_map(w: &mut World, t: Tid, a: Args) -> NResult {
    let fmt = this_str(w, t, &a, "format_map")?;
    let mapping = one_arg(&a, "str", "format_map")?;
    let mut cx = FormatCtx {
        args: &[],
        named: Named::Map(mapping),
        numbering: Numbering::Unset,
    };
    let out = render(w, t, &fmt, &mut cx, 2)?;
    ret(Value::str(out))
}

// ---------------------------------------------------------------------------------------------
// list

fn list_items(w: &mut World, t: Tid, id: ObjId) -> Vec<Value> {
    match w.heap(t).get(id) {
        Obj::List(l) => l.clone(),
        _ => Vec::new(),
    }
}

fn with_list<R>(w: &mut World, t: Tid, id: ObjId, f: impl FnOnce(&mut Vec<Value>) -> R) -> Option<R> {
    match w.heap(t).get_mut(id) {
        Obj::List(l) => Some(f(l)),
        _ => None,
    }
}

fn l_append(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "append")?;
    let v = one_arg(&a, "list", "append")?;
    with_list(w, t, id, |l| l.push(v));
    ret(Value::None)
}

fn l_extend(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "extend")?;
    let v = one_arg(&a, "list", "extend")?;
    let items = iterate(w, t, &v)?;
    with_list(w, t, id, |l| l.extend(items));
    ret(Value::None)
}

fn l_insert(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "insert")?;
    let args = pos_args(&a, "list", "insert", 2, 2)?;
    let i = as_index(w, t, &args[0])?;
    let v = args[1].clone();
    with_list(w, t, id, |l| {
        let n = l.len() as i64;
        let at = if i < 0 { (i + n).max(0) } else { i.min(n) };
        l.insert(at as usize, v);
    });
    ret(Value::None)
}

fn l_pop(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "pop")?;
    let args = pos_args(&a, "list", "pop", 0, 1)?;
    let i = match args.first() {
        Some(v) => as_index(w, t, v)?,
        None => -1,
    };
    let r = with_list(w, t, id, |l| {
        if l.is_empty() {
            return Err(Raise::new("IndexError", "pop from empty list"));
        }
        let n = l.len() as i64;
        let j = if i < 0 { i + n } else { i };
        if j < 0 || j >= n {
            return Err(Raise::new("IndexError", "pop index out of range"));
        }
        Ok(l.remove(j as usize))
    });
    ret(r.unwrap_or(Ok(Value::None))?)
}

/// The first index in `items[start..stop]` holding a value equal to `x`.
fn position(
    w: &mut World,
    t: Tid,
    items: &[Value],
    x: &Value,
    start: usize,
    stop: usize,
) -> Result<Option<usize>, Raise> {
    for (i, it) in items.iter().enumerate().take(stop).skip(start) {
        if item_eq(w, t, it, x)? {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

fn l_remove(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "remove")?;
    let x = one_arg(&a, "list", "remove")?;
    let items = list_items(w, t, id);
    match position(w, t, &items, &x, 0, items.len())? {
        Some(i) => {
            with_list(w, t, id, |l| {
                if i < l.len() {
                    l.remove(i);
                }
            });
            ret(Value::None)
        }
        None => Err(value_error("list.remove(x): x not in list")),
    }
}

/// `start`/`stop` of `list.index` and `tuple.index`: clamped into the sequence.
fn index_bounds(args: &[Value], len: usize) -> Result<(usize, usize), Raise> {
    let clamp = |v: Option<i64>, default: usize| match v {
        None => default,
        Some(i) if i < 0 => (i + len as i64).max(0) as usize,
        Some(i) => (i as u64).min(len as u64) as usize,
    };
    let start = slice_bound(args.get(1), false)?;
    let stop = slice_bound(args.get(2), false)?;
    Ok((clamp(start, 0), clamp(stop, len)))
}

fn l_index(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "index")?;
    let args = pos_args(&a, "list", "index", 1, 3)?;
    let items = list_items(w, t, id);
    let (start, stop) = index_bounds(args, items.len())?;
    match position(w, t, &items, &args[0], start, stop)? {
        Some(i) => ret(Value::Int(i as i64)),
        None => {
            let r = repr_of(w, t, &args[0])?;
            Err(value_error(format!("{r} is not in list")))
        }
    }
}

fn count_eq(w: &mut World, t: Tid, items: &[Value], x: &Value) -> NResult {
    let mut n = 0;
    for it in items {
        if item_eq(w, t, it, x)? {
            n += 1;
        }
    }
    ret(Value::Int(n))
}

fn l_count(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "count")?;
    let x = one_arg(&a, "list", "count")?;
    let items = list_items(w, t, id);
    count_eq(w, t, &items, &x)
}

fn l_sort(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "sort")?;
    let p = kw_args(&a, "sort", &["key", "reverse"], 0, 0, 0)?;
    let reverse = match &p[1] {
        Some(v) => truthy(w, t, v)?,
        None => false,
    };
    let items = list_items(w, t, id);
    let sorted = builtins::sort_values(w, t, items, p[0].clone(), reverse)?;
    with_list(w, t, id, |l| *l = sorted);
    ret(Value::None)
}

fn l_reverse(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "reverse")?;
    no_args(&a, "list", "reverse")?;
    with_list(w, t, id, |l| l.reverse());
    ret(Value::None)
}

fn l_copy(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "copy")?;
    no_args(&a, "list", "copy")?;
    let items = list_items(w, t, id);
    new_list(w, t, items)
}

fn l_clear(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_list(w, t, &a, "clear")?;
    no_args(&a, "list", "clear")?;
    with_list(w, t, id, |l| l.clear());
    ret(Value::None)
}

// ---------------------------------------------------------------------------------------------
// dict

fn dict_of(w: &mut World, t: Tid, id: ObjId) -> Dict {
    match w.heap(t).get(id) {
        Obj::Dict(d) | Obj::Set(d) => d.clone(),
        _ => Dict::default(),
    }
}

fn with_dict<R>(w: &mut World, t: Tid, id: ObjId, f: impl FnOnce(&mut Dict) -> R) -> Option<R> {
    match w.heap(t).get_mut(id) {
        Obj::Dict(d) | Obj::Set(d) => Some(f(d)),
        _ => None,
    }
}

fn d_get(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_dict(w, t, &a, "get")?;
    let args = pos_args(&a, "dict", "get", 1, 2)?;
    let k = key_of(w, t, &args[0])?;
    let found = with_dict(w, t, id, |d| d.get(&k).cloned()).flatten();
    ret(found.unwrap_or_else(|| args.get(1).cloned().unwrap_or(Value::None)))
}

fn d_pop(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_dict(w, t, &a, "pop")?;
    let args = pos_args(&a, "dict", "pop", 1, 2)?;
    let k = key_of(w, t, &args[0])?;
    match with_dict(w, t, id, |d| d.remove(&k)).flatten() {
        Some(v) => ret(v),
        None => match args.get(1) {
            Some(default) => ret(default.clone()),
            None => Err(key_error(w, t, args[0].clone())),
        },
    }
}

fn d_popitem(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_dict(w, t, &a, "popitem")?;
    no_args(&a, "dict", "popitem")?;
    match with_dict(w, t, id, |d| d.map.pop()).flatten() {
        Some((_, (k, v))) => ret(Value::tuple(vec![k, v])),
        None => Err(Raise::new("KeyError", "popitem(): dictionary is empty")),
    }
}

fn d_setdefault(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_dict(w, t, &a, "setdefault")?;
    let args = pos_args(&a, "dict", "setdefault", 1, 2)?;
    let k = key_of(w, t, &args[0])?;
    let default = args.get(1).cloned().unwrap_or(Value::None);
    let key_value = args[0].clone();
    let v = with_dict(w, t, id, |d| match d.get(&k) {
        Some(v) => v.clone(),
        None => {
            d.insert(k, key_value, default.clone());
            default
        }
    });
    ret(v.unwrap_or(Value::None))
}

/// The `(key, value)` pairs `dict.update(src)` adds: from a dict, a mapping with
/// `keys()`, or an iterable of pairs.
fn update_pairs(w: &mut World, t: Tid, src: &Value) -> Result<Vec<(Value, Value)>, Raise> {
    if let Value::Obj(id) = src {
        match w.heap(t).get(*id) {
            Obj::Dict(d) => return Ok(d.map.values().cloned().collect()),
            Obj::Instance { class, .. } => {
                let c = *class;
                if w.class_lookup(t, c, "keys").is_some() {
                    let keys = w.getattr(t, src, "keys")?;
                    let keys = w.call_sync(t, keys, Args::default())?;
                    let mut out = Vec::new();
                    for k in iterate(w, t, &keys)? {
                        let v = subscript(w, t, src, &k)?;
                        out.push((k, v));
                    }
                    return Ok(out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (i, item) in iterate(w, t, src)?.into_iter().enumerate() {
        let kv = match iterate(w, t, &item) {
            Ok(kv) => kv,
            Err(Raise::New("TypeError", m)) if m.ends_with("is not iterable") => {
                return Err(type_error(format!(
                    "cannot convert dictionary update sequence element #{i} to a sequence"
                )));
            }
            Err(e) => return Err(e),
        };
        if kv.len() != 2 {
            return Err(value_error(format!(
                "dictionary update sequence element #{i} has length {}; 2 is required",
                kv.len()
            )));
        }
        let mut kv = kv.into_iter();
        if let (Some(k), Some(v)) = (kv.next(), kv.next()) {
            out.push((k, v));
        }
    }
    Ok(out)
}

fn d_update(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_dict(w, t, &a, "update")?;
    let n = a.pos.len() - 1;
    if n > 1 {
        return Err(type_error(format!("update expected at most 1 argument, got {n}")));
    }
    let mut pairs = match a.pos.get(1) {
        Some(src) => update_pairs(w, t, src)?,
        None => Vec::new(),
    };
    pairs.extend(a.kw.iter().map(|(k, v)| (Value::Str(k.clone()), v.clone())));
    for (k, v) in pairs {
        let key = key_of(w, t, &k)?;
        with_dict(w, t, id, |d| d.insert(key, k, v));
    }
    ret(Value::None)
}

fn d_copy(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_dict(w, t, &a, "copy")?;
    no_args(&a, "dict", "copy")?;
    let d = dict_of(w, t, id);
    ret(Value::Obj(w.alloc(t, Obj::Dict(d))?))
}

fn d_clear(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_dict(w, t, &a, "clear")?;
    no_args(&a, "dict", "clear")?;
    with_dict(w, t, id, |d| d.map.clear());
    ret(Value::None)
}

fn d_fromkeys(w: &mut World, t: Tid, a: Args) -> NResult {
    this_dict(w, t, &a, "fromkeys")?;
    let args = pos_args(&a, "dict", "fromkeys", 1, 2)?;
    let value = args.get(1).cloned().unwrap_or(Value::None);
    let mut d = Dict::default();
    for k in iterate(w, t, &args[0])? {
        let key = key_of(w, t, &k)?;
        d.insert(key, k, value.clone());
    }
    ret(Value::Obj(w.alloc(t, Obj::Dict(d))?))
}

// ---------------------------------------------------------------------------------------------
// dict views: `dict_keys`, `dict_values`, `dict_items`
//
// A view is an instance of a builtin class (created in each process on first
// use) whose `mapping` attribute is the dict; it reads the dict live.

#[derive(Clone, Copy, PartialEq)]
enum View {
    Keys,
    Values,
    Items,
}

impl View {
    fn class_name(self) -> &'static str {
        match self {
            View::Keys => "dict_keys",
            View::Values => "dict_values",
            View::Items => "dict_items",
        }
    }
}

fn view_class(w: &mut World, t: Tid, kind: View) -> ObjId {
    let name = kind.class_name();
    let pid = w.pid_of(t);
    if let Some(&(_, id)) = w.proc(pid).classes.by_name.iter().find(|(n, _)| *n == name) {
        return id;
    }
    let methods: &[&'static NativeDef] = match kind {
        View::Keys => &[
            native!("dict_keys.__repr__", vk_repr),
            native!("dict_keys.__iter__", vk_iter),
            native!("dict_keys.__len__", v_len),
            native!("dict_keys.__contains__", vk_contains),
            native!("dict_keys.__eq__", vk_eq),
            native!("dict_keys.__sub__", vk_sub),
            native!("dict_keys.__and__", vk_and),
            native!("dict_keys.__or__", vk_or),
            native!("dict_keys.__xor__", vk_xor),
            native!("dict_keys.isdisjoint", vk_isdisjoint),
        ],
        View::Values => &[
            native!("dict_values.__repr__", vv_repr),
            native!("dict_values.__iter__", vv_iter),
            native!("dict_values.__len__", v_len),
        ],
        View::Items => &[
            native!("dict_items.__repr__", vi_repr),
            native!("dict_items.__iter__", vi_iter),
            native!("dict_items.__len__", v_len),
            native!("dict_items.__contains__", vi_contains),
            native!("dict_items.__eq__", vi_eq),
            native!("dict_items.__sub__", vi_sub),
            native!("dict_items.__and__", vi_and),
            native!("dict_items.__or__", vi_or),
            native!("dict_items.__xor__", vi_xor),
            native!("dict_items.isdisjoint", vi_isdisjoint),
        ],
    };
    let p = w.proc_mut(pid);
    let id = builtins::native_class(&mut p.heap, &p.classes, name, None, methods);
    p.classes.by_name.push((name, id));
    id
}

fn make_view(w: &mut World, t: Tid, a: &Args, kind: View, meth: &str) -> NResult {
    let id = this_dict(w, t, a, meth)?;
    no_args(a, "dict", meth)?;
    let class = view_class(w, t, kind);
    let mut attrs = Dict::default();
    attrs.set_str("mapping", Value::Obj(id));
    ret(Value::Obj(w.alloc(
        t,
        Obj::Instance {
            class,
            dict: attrs,
            native: Native::None,
        },
    )?))
}

fn d_keys(w: &mut World, t: Tid, a: Args) -> NResult {
    make_view(w, t, &a, View::Keys, "keys")
}

fn d_values(w: &mut World, t: Tid, a: Args) -> NResult {
    make_view(w, t, &a, View::Values, "values")
}

fn d_items(w: &mut World, t: Tid, a: Args) -> NResult {
    make_view(w, t, &a, View::Items, "items")
}

/// The dict a view reads, and which view `v` is.
fn view_parts(w: &mut World, t: Tid, v: &Value) -> Option<(ObjId, View)> {
    let Value::Obj(id) = v else { return None };
    let Obj::Instance { class, dict, .. } = w.heap(t).get(*id) else {
        return None;
    };
    let (class, mapping) = (*class, dict.get_str("mapping").and_then(Value::as_obj)?);
    let name = builtins::class_name(w, t, class);
    let kind = [View::Keys, View::Values, View::Items]
        .into_iter()
        .find(|k| k.class_name() == name)?;
    Some((mapping, kind))
}

/// The receiver of a view method: the dict it reads.
fn this_view(w: &mut World, t: Tid, a: &Args, kind: View, meth: &str) -> Result<ObjId, Raise> {
    match a.pos.first().and_then(|v| view_parts(w, t, v)) {
        Some((d, k)) if k == kind => Ok(d),
        _ => Err(bad_receiver(w, t, a, kind.class_name(), meth)),
    }
}

fn view_values(w: &mut World, t: Tid, dict: ObjId, kind: View) -> Vec<Value> {
    let d = dict_of(w, t, dict);
    d.map
        .into_values()
        .map(|(k, v)| match kind {
            View::Keys => k,
            View::Values => v,
            View::Items => Value::tuple(vec![k, v]),
        })
        .collect()
}

fn view_repr(w: &mut World, t: Tid, a: Args, kind: View) -> NResult {
    let d = this_view(w, t, &a, kind, "__repr__")?;
    let mut parts = Vec::new();
    for v in view_values(w, t, d, kind) {
        parts.push(repr_of(w, t, &v)?);
    }
    ret(Value::str(format!("{}([{}])", kind.class_name(), parts.join(", "))))
}

fn view_iter(w: &mut World, t: Tid, a: Args, kind: View) -> NResult {
    let d = this_view(w, t, &a, kind, "__iter__")?;
    let items = view_values(w, t, d, kind);
    ret(Value::Obj(w.alloc(
        t,
        Obj::Iter(IterState::Seq {
            items: Rc::new(items),
            pos: 0,
        }),
    )?))
}

fn v_len(w: &mut World, t: Tid, a: Args) -> NResult {
    match a.pos.first().and_then(|v| view_parts(w, t, v)) {
        Some((d, _)) => {
            let n = dict_of(w, t, d).len();
            ret(Value::Int(n as i64))
        }
        None => Err(bad_receiver(w, t, &a, "dict_keys", "__len__")),
    }
}

/// The items of a keys or items view as a set-like `Dict`.
fn view_set(w: &mut World, t: Tid, dict: ObjId, kind: View) -> Result<Dict, Raise> {
    let items = view_values(w, t, dict, kind);
    keyed(w, t, &items)
}

fn view_contains(w: &mut World, t: Tid, a: Args, kind: View) -> NResult {
    let d = this_view(w, t, &a, kind, "__contains__")?;
    let x = a.pos.get(1).cloned().unwrap_or(Value::None);
    let k = key_of(w, t, &x)?;
    let found = view_set(w, t, d, kind)?.map.contains_key(&k);
    ret(Value::Bool(found))
}

/// `view == other`: equal as sets to a set or another keys/items view.
fn view_eq(w: &mut World, t: Tid, a: Args, kind: View) -> NResult {
    let d = this_view(w, t, &a, kind, "__eq__")?;
    let other = a.pos.get(1).cloned().unwrap_or(Value::None);
    let mine = view_set(w, t, d, kind)?;
    let theirs = match view_parts(w, t, &other) {
        Some((od, ok)) if ok != View::Values => view_set(w, t, od, ok)?,
        _ => match &other {
            Value::Obj(id) if matches!(w.heap(t).get(*id), Obj::Set(_)) => dict_of(w, t, *id),
            _ => return ret(Value::Bool(false)),
        },
    };
    ret(Value::Bool(
        mine.len() == theirs.len() && mine.map.keys().all(|k| theirs.map.contains_key(k)),
    ))
}

fn view_setop(w: &mut World, t: Tid, a: Args, kind: View, op: SetOp) -> NResult {
    let d = this_view(w, t, &a, kind, op.dunder())?;
    let other = a.pos.get(1).cloned().unwrap_or(Value::None);
    let mine = view_set(w, t, d, kind)?;
    let theirs = members(w, t, &other)?;
    ret(Value::Obj(w.alloc(t, Obj::Set(op.apply(mine, &theirs)))?))
}

fn view_isdisjoint(w: &mut World, t: Tid, a: Args, kind: View) -> NResult {
    let d = this_view(w, t, &a, kind, "isdisjoint")?;
    let other = a.pos.get(1).cloned().unwrap_or(Value::None);
    let mine = view_set(w, t, d, kind)?;
    for v in iterate(w, t, &other)? {
        let k = key_of(w, t, &v)?;
        if mine.map.contains_key(&k) {
            return ret(Value::Bool(false));
        }
    }
    ret(Value::Bool(true))
}

fn vk_repr(w: &mut World, t: Tid, a: Args) -> NResult {
    view_repr(w, t, a, View::Keys)
}
fn vv_repr(w: &mut World, t: Tid, a: Args) -> NResult {
    view_repr(w, t, a, View::Values)
}
fn vi_repr(w: &mut World, t: Tid, a: Args) -> NResult {
    view_repr(w, t, a, View::Items)
}
fn vk_iter(w: &mut World, t: Tid, a: Args) -> NResult {
    view_iter(w, t, a, View::Keys)
}
fn vv_iter(w: &mut World, t: Tid, a: Args) -> NResult {
    view_iter(w, t, a, View::Values)
}
fn vi_iter(w: &mut World, t: Tid, a: Args) -> NResult {
    view_iter(w, t, a, View::Items)
}
fn vk_contains(w: &mut World, t: Tid, a: Args) -> NResult {
    view_contains(w, t, a, View::Keys)
}
fn vi_contains(w: &mut World, t: Tid, a: Args) -> NResult {
    view_contains(w, t, a, View::Items)
}
fn vk_eq(w: &mut World, t: Tid, a: Args) -> NResult {
    view_eq(w, t, a, View::Keys)
}
fn vi_eq(w: &mut World, t: Tid, a: Args) -> NResult {
    view_eq(w, t, a, View::Items)
}
fn vk_sub(w: &mut World, t: Tid, a: Args) -> NResult {
    view_setop(w, t, a, View::Keys, SetOp::Difference)
}
fn vi_sub(w: &mut World, t: Tid, a: Args) -> NResult {
    view_setop(w, t, a, View::Items, SetOp::Difference)
}
fn vk_and(w: &mut World, t: Tid, a: Args) -> NResult {
    view_setop(w, t, a, View::Keys, SetOp::Intersection)
}
fn vi_and(w: &mut World, t: Tid, a: Args) -> NResult {
    view_setop(w, t, a, View::Items, SetOp::Intersection)
}
fn vk_or(w: &mut World, t: Tid, a: Args) -> NResult {
    view_setop(w, t, a, View::Keys, SetOp::Union)
}
fn vi_or(w: &mut World, t: Tid, a: Args) -> NResult {
    view_setop(w, t, a, View::Items, SetOp::Union)
}
fn vk_xor(w: &mut World, t: Tid, a: Args) -> NResult {
    view_setop(w, t, a, View::Keys, SetOp::Symmetric)
}
fn vi_xor(w: &mut World, t: Tid, a: Args) -> NResult {
    view_setop(w, t, a, View::Items, SetOp::Symmetric)
}
fn vk_isdisjoint(w: &mut World, t: Tid, a: Args) -> NResult {
    view_isdisjoint(w, t, a, View::Keys)
}
fn vi_isdisjoint(w: &mut World, t: Tid, a: Args) -> NResult {
    view_isdisjoint(w, t, a, View::Items)
}

// ---------------------------------------------------------------------------------------------
// set

/// Values as set members (hashing each; unhashable values raise `TypeError`).
fn keyed(w: &mut World, t: Tid, items: &[Value]) -> Result<Dict, Raise> {
    let mut d = Dict::default();
    for v in items {
        let k = key_of(w, t, v)?;
        if !d.map.contains_key(&k) {
            d.insert(k, v.clone(), Value::None);
        }
    }
    Ok(d)
}

/// The members of any iterable (a set's directly, without a detour through a list).
fn members(w: &mut World, t: Tid, v: &Value) -> Result<Dict, Raise> {
    if let Value::Obj(id) = v {
        if let Obj::Set(d) = w.heap(t).get(*id) {
            return Ok(d.clone());
        }
    }
    let items = iterate(w, t, v)?;
    keyed(w, t, &items)
}

#[derive(Clone, Copy)]
enum SetOp {
    Union,
    Intersection,
    Difference,
    Symmetric,
}

impl SetOp {
    fn apply(self, mut mine: Dict, theirs: &Dict) -> Dict {
        match self {
            SetOp::Union => {
                for (k, (v, _)) in &theirs.map {
                    if !mine.map.contains_key(k) {
                        mine.insert(k.clone(), v.clone(), Value::None);
                    }
                }
            }
            SetOp::Intersection => mine.map.retain(|k, _| theirs.map.contains_key(k)),
            SetOp::Difference => mine.map.retain(|k, _| !theirs.map.contains_key(k)),
            SetOp::Symmetric => {
                let mut out = Dict::default();
                for (k, (v, _)) in mine.map.iter().chain(theirs.map.iter()) {
                    if mine.map.contains_key(k) != theirs.map.contains_key(k) && !out.map.contains_key(k) {
                        out.insert(k.clone(), v.clone(), Value::None);
                    }
                }
                return out;
            }
        }
        mine
    }

    fn dunder(self) -> &'static str {
        match self {
            SetOp::Union => "__or__",
            SetOp::Intersection => "__and__",
            SetOp::Difference => "__sub__",
            SetOp::Symmetric => "__xor__",
        }
    }
}

fn set_add(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_set(w, t, &a, "add")?;
    let v = one_arg(&a, "set", "add")?;
    let k = key_of(w, t, &v)?;
    with_dict(w, t, id, |d| {
        if !d.map.contains_key(&k) {
            d.insert(k, v, Value::None);
        }
    });
    ret(Value::None)
}

fn set_take(w: &mut World, t: Tid, a: Args, meth: &str, must_exist: bool) -> NResult {
    let id = this_set(w, t, &a, meth)?;
    let v = one_arg(&a, "set", meth)?;
    let k = key_of(w, t, &v)?;
    let removed = with_dict(w, t, id, |d| d.remove(&k)).flatten();
    if removed.is_none() && must_exist {
        return Err(key_error(w, t, v));
    }
    ret(Value::None)
}

fn set_remove(w: &mut World, t: Tid, a: Args) -> NResult {
    set_take(w, t, a, "remove", true)
}

fn set_discard(w: &mut World, t: Tid, a: Args) -> NResult {
    set_take(w, t, a, "discard", false)
}

/// `set.pop()`: the first member in iteration order.
fn set_pop(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_set(w, t, &a, "pop")?;
    no_args(&a, "set", "pop")?;
    match with_dict(w, t, id, |d| d.map.shift_remove_index(0)).flatten() {
        Some((_, (v, _))) => ret(v),
        None => Err(Raise::new("KeyError", "pop from an empty set")),
    }
}

/// `union`/`intersection`/`difference` of the receiver with any number of iterables.
fn set_multi(w: &mut World, t: Tid, a: Args, meth: &str, op: SetOp, in_place: bool) -> NResult {
    let id = this_set(w, t, &a, meth)?;
    let others = pos_args(&a, "set", meth, 0, usize::MAX)?;
    let mut r = dict_of(w, t, id);
    for o in others {
        let m = members(w, t, o)?;
        r = op.apply(r, &m);
    }
    if in_place {
        with_dict(w, t, id, |d| *d = r);
        return ret(Value::None);
    }
    ret(Value::Obj(w.alloc(t, Obj::Set(r))?))
}

fn set_union(w: &mut World, t: Tid, a: Args) -> NResult {
    set_multi(w, t, a, "union", SetOp::Union, false)
}

fn set_intersection(w: &mut World, t: Tid, a: Args) -> NResult {
    set_multi(w, t, a, "intersection", SetOp::Intersection, false)
}

fn set_difference(w: &mut World, t: Tid, a: Args) -> NResult {
    set_multi(w, t, a, "difference", SetOp::Difference, false)
}

fn set_update(w: &mut World, t: Tid, a: Args) -> NResult {
    set_multi(w, t, a, "update", SetOp::Union, true)
}

fn set_intersection_update(w: &mut World, t: Tid, a: Args) -> NResult {
    set_multi(w, t, a, "intersection_update", SetOp::Intersection, true)
}

fn set_difference_update(w: &mut World, t: Tid, a: Args) -> NResult {
    set_multi(w, t, a, "difference_update", SetOp::Difference, true)
}

fn set_symmetric(w: &mut World, t: Tid, a: Args, meth: &str, in_place: bool) -> NResult {
    let id = this_set(w, t, &a, meth)?;
    let other = one_arg(&a, "set", meth)?;
    let m = members(w, t, &other)?;
    let r = SetOp::Symmetric.apply(dict_of(w, t, id), &m);
    if in_place {
        with_dict(w, t, id, |d| *d = r);
        return ret(Value::None);
    }
    ret(Value::Obj(w.alloc(t, Obj::Set(r))?))
}

fn set_symmetric_difference(w: &mut World, t: Tid, a: Args) -> NResult {
    set_symmetric(w, t, a, "symmetric_difference", false)
}

fn set_symmetric_difference_update(w: &mut World, t: Tid, a: Args) -> NResult {
    set_symmetric(w, t, a, "symmetric_difference_update", true)
}

/// `issubset`/`issuperset`/`isdisjoint`.
fn set_relation(w: &mut World, t: Tid, a: Args, meth: &str) -> NResult {
    let id = this_set(w, t, &a, meth)?;
    let other = one_arg(&a, "set", meth)?;
    let theirs = members(w, t, &other)?;
    let mine = dict_of(w, t, id);
    let r = match meth {
        "issubset" => mine.map.keys().all(|k| theirs.map.contains_key(k)),
        "issuperset" => theirs.map.keys().all(|k| mine.map.contains_key(k)),
        _ => !mine.map.keys().any(|k| theirs.map.contains_key(k)),
    };
    ret(Value::Bool(r))
}

fn set_issubset(w: &mut World, t: Tid, a: Args) -> NResult {
    set_relation(w, t, a, "issubset")
}

fn set_issuperset(w: &mut World, t: Tid, a: Args) -> NResult {
    set_relation(w, t, a, "issuperset")
}

fn set_isdisjoint(w: &mut World, t: Tid, a: Args) -> NResult {
    set_relation(w, t, a, "isdisjoint")
}

fn set_copy(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_set(w, t, &a, "copy")?;
    no_args(&a, "set", "copy")?;
    let d = dict_of(w, t, id);
    ret(Value::Obj(w.alloc(t, Obj::Set(d))?))
}

fn set_clear(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = this_set(w, t, &a, "clear")?;
    no_args(&a, "set", "clear")?;
    with_dict(w, t, id, |d| d.map.clear());
    ret(Value::None)
}

// ---------------------------------------------------------------------------------------------
// tuple, int, float

fn t_count(w: &mut World, t: Tid, a: Args) -> NResult {
    let items = this_tuple(w, t, &a, "count")?;
    let x = one_arg(&a, "tuple", "count")?;
    count_eq(w, t, &items, &x)
}

fn t_index(w: &mut World, t: Tid, a: Args) -> NResult {
    let items = this_tuple(w, t, &a, "index")?;
    let args = pos_args(&a, "tuple", "index", 1, 3)?;
    let (start, stop) = index_bounds(args, items.len())?;
    match position(w, t, &items, &args[0], start, stop)? {
        Some(i) => ret(Value::Int(i as i64)),
        None => Err(value_error("tuple.index(x): x not in tuple")),
    }
}

fn i_bit_length(w: &mut World, t: Tid, a: Args) -> NResult {
    let i = this_int(w, t, &a, "bit_length")?;
    no_args(&a, "int", "bit_length")?;
    ret(Value::Int((64 - i.unsigned_abs().leading_zeros()) as i64))
}

fn i_bit_count(w: &mut World, t: Tid, a: Args) -> NResult {
    let i = this_int(w, t, &a, "bit_count")?;
    no_args(&a, "int", "bit_count")?;
    ret(Value::Int(i.unsigned_abs().count_ones() as i64))
}

fn i_conjugate(w: &mut World, t: Tid, a: Args) -> NResult {
    let i = this_int(w, t, &a, "conjugate")?;
    no_args(&a, "int", "conjugate")?;
    ret(Value::Int(i))
}

fn i_is_integer(w: &mut World, t: Tid, a: Args) -> NResult {
    this_int(w, t, &a, "is_integer")?;
    no_args(&a, "int", "is_integer")?;
    ret(Value::Bool(true))
}

fn i_as_integer_ratio(w: &mut World, t: Tid, a: Args) -> NResult {
    let i = this_int(w, t, &a, "as_integer_ratio")?;
    no_args(&a, "int", "as_integer_ratio")?;
    ret(Value::tuple(vec![Value::Int(i), Value::Int(1)]))
}

fn i_to_bytes(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    Err(type_error(
        "int.to_bytes() is not supported: the simulator has no bytes type",
    ))
}

fn f_is_integer(w: &mut World, t: Tid, a: Args) -> NResult {
    let f = this_float(w, t, &a, "is_integer")?;
    no_args(&a, "float", "is_integer")?;
    ret(Value::Bool(f.is_finite() && f.fract() == 0.0))
}

fn f_conjugate(w: &mut World, t: Tid, a: Args) -> NResult {
    let f = this_float(w, t, &a, "conjugate")?;
    no_args(&a, "float", "conjugate")?;
    ret(Value::Float(f))
}

/// `float.as_integer_ratio()`: the exact fraction, in lowest terms.
fn f_as_integer_ratio(w: &mut World, t: Tid, a: Args) -> NResult {
    let f = this_float(w, t, &a, "as_integer_ratio")?;
    no_args(&a, "float", "as_integer_ratio")?;
    if f.is_nan() {
        return Err(value_error("cannot convert NaN to integer ratio"));
    }
    if f.is_infinite() {
        return Err(Raise::new("OverflowError", "cannot convert Infinity to integer ratio"));
    }
    if f == 0.0 {
        return ret(Value::tuple(vec![Value::Int(0), Value::Int(1)]));
    }
    // |f| = mant * 2^exp exactly; strip factors of two shared with the denominator.
    let bits = f.abs().to_bits();
    let (biased, frac) = ((bits >> 52) as i64, bits & ((1u64 << 52) - 1));
    let (mut mant, mut exp) = if biased == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), biased - 1075)
    };
    while exp < 0 && mant & 1 == 0 {
        mant >>= 1;
        exp += 1;
    }
    let sign = if f < 0.0 { -1 } else { 1 };
    let (num, den) = if exp >= 0 {
        ((mant as i128) << exp.min(64), 1i128)
    } else {
        (mant as i128, 1i128 << (-exp).min(64))
    };
    if !(-62..=63).contains(&exp) || num > i64::MAX as i128 {
        return Err(Raise::new("OverflowError", builtins::INT_OVERFLOW));
    }
    ret(Value::tuple(vec![
        Value::Int(sign * num as i64),
        Value::Int(den as i64),
    ]))
}

// ---------------------------------------------------------------------------------------------
// Dispatch

pub fn str_method(name: &str) -> Option<&'static NativeDef> {
    Some(match name {
        "upper" => native!("str.upper", s_upper),
        "lower" => native!("str.lower", s_lower),
        "casefold" => native!("str.casefold", s_casefold),
        "swapcase" => native!("str.swapcase", s_swapcase),
        "title" => native!("str.title", s_title),
        "capitalize" => native!("str.capitalize", s_capitalize),
        "isdigit" => native!("str.isdigit", s_isdigit),
        "isdecimal" => native!("str.isdecimal", s_isdecimal),
        "isnumeric" => native!("str.isnumeric", s_isnumeric),
        "isalpha" => native!("str.isalpha", s_isalpha),
        "isalnum" => native!("str.isalnum", s_isalnum),
        "isspace" => native!("str.isspace", s_isspace),
        "isascii" => native!("str.isascii", s_isascii),
        "isprintable" => native!("str.isprintable", s_isprintable),
        "isupper" => native!("str.isupper", s_isupper),
        "islower" => native!("str.islower", s_islower),
        "istitle" => native!("str.istitle", s_istitle),
        "isidentifier" => native!("str.isidentifier", s_isidentifier),
        "strip" => native!("str.strip", s_strip),
        "lstrip" => native!("str.lstrip", s_lstrip),
        "rstrip" => native!("str.rstrip", s_rstrip),
        "split" => native!("str.split", s_split),
        "rsplit" => native!("str.rsplit", s_rsplit),
        "splitlines" => native!("str.splitlines", s_splitlines),
        "join" => native!("str.join", s_join),
        "find" => native!("str.find", s_find),
        "rfind" => native!("str.rfind", s_rfind),
        "index" => native!("str.index", s_index),
        "rindex" => native!("str.rindex", s_rindex),
        "count" => native!("str.count", s_count),
        "replace" => native!("str.replace", s_replace),
        "startswith" => native!("str.startswith", s_startswith),
        "endswith" => native!("str.endswith", s_endswith),
        "partition" => native!("str.partition", s_partition),
        "rpartition" => native!("str.rpartition", s_rpartition),
        "removeprefix" => native!("str.removeprefix", s_removeprefix),
        "removesuffix" => native!("str.removesuffix", s_removesuffix),
        "center" => native!("str.center", s_center),
        "ljust" => native!("str.ljust", s_ljust),
        "rjust" => native!("str.rjust", s_rjust),
        "zfill" => native!("str.zfill", s_zfill),
        "expandtabs" => native!("str.expandtabs", s_expandtabs),
        "format" => native!("str.format", s_format),
        "format_map" => native!("str.format_map", s_format_map),
        "encode" => native!("str.encode", s_encode),
        _ => return None,
    })
}

pub fn list_method(name: &str) -> Option<&'static NativeDef> {
    Some(match name {
        "append" => native!("list.append", l_append),
        "extend" => native!("list.extend", l_extend),
        "insert" => native!("list.insert", l_insert),
        "pop" => native!("list.pop", l_pop),
        "remove" => native!("list.remove", l_remove),
        "index" => native!("list.index", l_index),
        "count" => native!("list.count", l_count),
        "sort" => native!("list.sort", l_sort),
        "reverse" => native!("list.reverse", l_reverse),
        "copy" => native!("list.copy", l_copy),
        "clear" => native!("list.clear", l_clear),
        _ => return None,
    })
}

pub fn dict_method(name: &str) -> Option<&'static NativeDef> {
    Some(match name {
        "get" => native!("dict.get", d_get),
        "keys" => native!("dict.keys", d_keys),
        "values" => native!("dict.values", d_values),
        "items" => native!("dict.items", d_items),
        "pop" => native!("dict.pop", d_pop),
        "popitem" => native!("dict.popitem", d_popitem),
        "setdefault" => native!("dict.setdefault", d_setdefault),
        "update" => native!("dict.update", d_update),
        "copy" => native!("dict.copy", d_copy),
        "clear" => native!("dict.clear", d_clear),
        "fromkeys" => native!("dict.fromkeys", d_fromkeys),
        _ => return None,
    })
}

pub fn set_method(name: &str) -> Option<&'static NativeDef> {
    Some(match name {
        "add" => native!("set.add", set_add),
        "remove" => native!("set.remove", set_remove),
        "discard" => native!("set.discard", set_discard),
        "pop" => native!("set.pop", set_pop),
        "union" => native!("set.union", set_union),
        "intersection" => native!("set.intersection", set_intersection),
        "difference" => native!("set.difference", set_difference),
        "symmetric_difference" => native!("set.symmetric_difference", set_symmetric_difference),
        "update" => native!("set.update", set_update),
        "intersection_update" => native!("set.intersection_update", set_intersection_update),
        "difference_update" => native!("set.difference_update", set_difference_update),
        "symmetric_difference_update" => native!("set.symmetric_difference_update", set_symmetric_difference_update),
        "issubset" => native!("set.issubset", set_issubset),
        "issuperset" => native!("set.issuperset", set_issuperset),
        "isdisjoint" => native!("set.isdisjoint", set_isdisjoint),
        "copy" => native!("set.copy", set_copy),
        "clear" => native!("set.clear", set_clear),
        _ => return None,
    })
}

pub fn tuple_method(name: &str) -> Option<&'static NativeDef> {
    Some(match name {
        "count" => native!("tuple.count", t_count),
        "index" => native!("tuple.index", t_index),
        _ => return None,
    })
}

pub fn int_method(name: &str) -> Option<&'static NativeDef> {
    Some(match name {
        "bit_length" => native!("int.bit_length", i_bit_length),
        "bit_count" => native!("int.bit_count", i_bit_count),
        "conjugate" => native!("int.conjugate", i_conjugate),
        "is_integer" => native!("int.is_integer", i_is_integer),
        "as_integer_ratio" => native!("int.as_integer_ratio", i_as_integer_ratio),
        "to_bytes" => native!("int.to_bytes", i_to_bytes),
        _ => return None,
    })
}

pub fn float_method(name: &str) -> Option<&'static NativeDef> {
    Some(match name {
        "is_integer" => native!("float.is_integer", f_is_integer),
        "conjugate" => native!("float.conjugate", f_conjugate),
        "as_integer_ratio" => native!("float.as_integer_ratio", f_as_integer_ratio),
        _ => return None,
    })
}

/// The method `name` of the builtin type called `type_name` (`str.upper` in
/// `map(str.upper, words)`), unbound: it checks its first argument's type.
pub fn unbound_method(type_name: &str, name: &str) -> Option<&'static NativeDef> {
    match type_name {
        "str" => str_method(name),
        "list" => list_method(name),
        "dict" => dict_method(name),
        "set" => set_method(name),
        "tuple" => tuple_method(name),
        "int" | "bool" => int_method(name),
        "float" => float_method(name),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Unicode tables (non-ASCII code points, inclusive ranges as pairs; Unicode 15.1 as in CPython 3.13)

/// `str.isalpha`: letters (categories Lu, Ll, Lt, Lm, Lo).
const ALPHA: &[u32] = &[
    0xAA, 0xAA, 0xB5, 0xB5, 0xBA, 0xBA, 0xC0, 0xD6, 0xD8, 0xF6, 0xF8, 0x2C1, 0x2C6, 0x2D1, 0x2E0, 0x2E4, 0x2EC, 0x2EC,
    0x2EE, 0x2EE, 0x370, 0x374, 0x376, 0x377, 0x37A, 0x37D, 0x37F, 0x37F, 0x386, 0x386, 0x388, 0x38A, 0x38C, 0x38C,
    0x38E, 0x3A1, 0x3A3, 0x3F5, 0x3F7, 0x481, 0x48A, 0x52F, 0x531, 0x556, 0x559, 0x559, 0x560, 0x588, 0x5D0, 0x5EA,
    0x5EF, 0x5F2, 0x620, 0x64A, 0x66E, 0x66F, 0x671, 0x6D3, 0x6D5, 0x6D5, 0x6E5, 0x6E6, 0x6EE, 0x6EF, 0x6FA, 0x6FC,
    0x6FF, 0x6FF, 0x710, 0x710, 0x712, 0x72F, 0x74D, 0x7A5, 0x7B1, 0x7B1, 0x7CA, 0x7EA, 0x7F4, 0x7F5, 0x7FA, 0x7FA,
    0x800, 0x815, 0x81A, 0x81A, 0x824, 0x824, 0x828, 0x828, 0x840, 0x858, 0x860, 0x86A, 0x870, 0x887, 0x889, 0x88E,
    0x8A0, 0x8C9, 0x904, 0x939, 0x93D, 0x93D, 0x950, 0x950, 0x958, 0x961, 0x971, 0x980, 0x985, 0x98C, 0x98F, 0x990,
    0x993, 0x9A8, 0x9AA, 0x9B0, 0x9B2, 0x9B2, 0x9B6, 0x9B9, 0x9BD, 0x9BD, 0x9CE, 0x9CE, 0x9DC, 0x9DD, 0x9DF, 0x9E1,
    0x9F0, 0x9F1, 0x9FC, 0x9FC, 0xA05, 0xA0A, 0xA0F, 0xA10, 0xA13, 0xA28, 0xA2A, 0xA30, 0xA32, 0xA33, 0xA35, 0xA36,
    0xA38, 0xA39, 0xA59, 0xA5C, 0xA5E, 0xA5E, 0xA72, 0xA74, 0xA85, 0xA8D, 0xA8F, 0xA91, 0xA93, 0xAA8, 0xAAA, 0xAB0,
    0xAB2, 0xAB3, 0xAB5, 0xAB9, 0xABD, 0xABD, 0xAD0, 0xAD0, 0xAE0, 0xAE1, 0xAF9, 0xAF9, 0xB05, 0xB0C, 0xB0F, 0xB10,
    0xB13, 0xB28, 0xB2A, 0xB30, 0xB32, 0xB33, 0xB35, 0xB39, 0xB3D, 0xB3D, 0xB5C, 0xB5D, 0xB5F, 0xB61, 0xB71, 0xB71,
    0xB83, 0xB83, 0xB85, 0xB8A, 0xB8E, 0xB90, 0xB92, 0xB95, 0xB99, 0xB9A, 0xB9C, 0xB9C, 0xB9E, 0xB9F, 0xBA3, 0xBA4,
    0xBA8, 0xBAA, 0xBAE, 0xBB9, 0xBD0, 0xBD0, 0xC05, 0xC0C, 0xC0E, 0xC10, 0xC12, 0xC28, 0xC2A, 0xC39, 0xC3D, 0xC3D,
    0xC58, 0xC5A, 0xC5D, 0xC5D, 0xC60, 0xC61, 0xC80, 0xC80, 0xC85, 0xC8C, 0xC8E, 0xC90, 0xC92, 0xCA8, 0xCAA, 0xCB3,
    0xCB5, 0xCB9, 0xCBD, 0xCBD, 0xCDD, 0xCDE, 0xCE0, 0xCE1, 0xCF1, 0xCF2, 0xD04, 0xD0C, 0xD0E, 0xD10, 0xD12, 0xD3A,
    0xD3D, 0xD3D, 0xD4E, 0xD4E, 0xD54, 0xD56, 0xD5F, 0xD61, 0xD7A, 0xD7F, 0xD85, 0xD96, 0xD9A, 0xDB1, 0xDB3, 0xDBB,
    0xDBD, 0xDBD, 0xDC0, 0xDC6, 0xE01, 0xE30, 0xE32, 0xE33, 0xE40, 0xE46, 0xE81, 0xE82, 0xE84, 0xE84, 0xE86, 0xE8A,
    0xE8C, 0xEA3, 0xEA5, 0xEA5, 0xEA7, 0xEB0, 0xEB2, 0xEB3, 0xEBD, 0xEBD, 0xEC0, 0xEC4, 0xEC6, 0xEC6, 0xEDC, 0xEDF,
    0xF00, 0xF00, 0xF40, 0xF47, 0xF49, 0xF6C, 0xF88, 0xF8C, 0x1000, 0x102A, 0x103F, 0x103F, 0x1050, 0x1055, 0x105A,
    0x105D, 0x1061, 0x1061, 0x1065, 0x1066, 0x106E, 0x1070, 0x1075, 0x1081, 0x108E, 0x108E, 0x10A0, 0x10C5, 0x10C7,
    0x10C7, 0x10CD, 0x10CD, 0x10D0, 0x10FA, 0x10FC, 0x1248, 0x124A, 0x124D, 0x1250, 0x1256, 0x1258, 0x1258, 0x125A,
    0x125D, 0x1260, 0x1288, 0x128A, 0x128D, 0x1290, 0x12B0, 0x12B2, 0x12B5, 0x12B8, 0x12BE, 0x12C0, 0x12C0, 0x12C2,
    0x12C5, 0x12C8, 0x12D6, 0x12D8, 0x1310, 0x1312, 0x1315, 0x1318, 0x135A, 0x1380, 0x138F, 0x13A0, 0x13F5, 0x13F8,
    0x13FD, 0x1401, 0x166C, 0x166F, 0x167F, 0x1681, 0x169A, 0x16A0, 0x16EA, 0x16F1, 0x16F8, 0x1700, 0x1711, 0x171F,
    0x1731, 0x1740, 0x1751, 0x1760, 0x176C, 0x176E, 0x1770, 0x1780, 0x17B3, 0x17D7, 0x17D7, 0x17DC, 0x17DC, 0x1820,
    0x1878, 0x1880, 0x1884, 0x1887, 0x18A8, 0x18AA, 0x18AA, 0x18B0, 0x18F5, 0x1900, 0x191E, 0x1950, 0x196D, 0x1970,
    0x1974, 0x1980, 0x19AB, 0x19B0, 0x19C9, 0x1A00, 0x1A16, 0x1A20, 0x1A54, 0x1AA7, 0x1AA7, 0x1B05, 0x1B33, 0x1B45,
    0x1B4C, 0x1B83, 0x1BA0, 0x1BAE, 0x1BAF, 0x1BBA, 0x1BE5, 0x1C00, 0x1C23, 0x1C4D, 0x1C4F, 0x1C5A, 0x1C7D, 0x1C80,
    0x1C88, 0x1C90, 0x1CBA, 0x1CBD, 0x1CBF, 0x1CE9, 0x1CEC, 0x1CEE, 0x1CF3, 0x1CF5, 0x1CF6, 0x1CFA, 0x1CFA, 0x1D00,
    0x1DBF, 0x1E00, 0x1F15, 0x1F18, 0x1F1D, 0x1F20, 0x1F45, 0x1F48, 0x1F4D, 0x1F50, 0x1F57, 0x1F59, 0x1F59, 0x1F5B,
    0x1F5B, 0x1F5D, 0x1F5D, 0x1F5F, 0x1F7D, 0x1F80, 0x1FB4, 0x1FB6, 0x1FBC, 0x1FBE, 0x1FBE, 0x1FC2, 0x1FC4, 0x1FC6,
    0x1FCC, 0x1FD0, 0x1FD3, 0x1FD6, 0x1FDB, 0x1FE0, 0x1FEC, 0x1FF2, 0x1FF4, 0x1FF6, 0x1FFC, 0x2071, 0x2071, 0x207F,
    0x207F, 0x2090, 0x209C, 0x2102, 0x2102, 0x2107, 0x2107, 0x210A, 0x2113, 0x2115, 0x2115, 0x2119, 0x211D, 0x2124,
    0x2124, 0x2126, 0x2126, 0x2128, 0x2128, 0x212A, 0x212D, 0x212F, 0x2139, 0x213C, 0x213F, 0x2145, 0x2149, 0x214E,
    0x214E, 0x2183, 0x2184, 0x2C00, 0x2CE4, 0x2CEB, 0x2CEE, 0x2CF2, 0x2CF3, 0x2D00, 0x2D25, 0x2D27, 0x2D27, 0x2D2D,
    0x2D2D, 0x2D30, 0x2D67, 0x2D6F, 0x2D6F, 0x2D80, 0x2D96, 0x2DA0, 0x2DA6, 0x2DA8, 0x2DAE, 0x2DB0, 0x2DB6, 0x2DB8,
    0x2DBE, 0x2DC0, 0x2DC6, 0x2DC8, 0x2DCE, 0x2DD0, 0x2DD6, 0x2DD8, 0x2DDE, 0x2E2F, 0x2E2F, 0x3005, 0x3006, 0x3031,
    0x3035, 0x303B, 0x303C, 0x3041, 0x3096, 0x309D, 0x309F, 0x30A1, 0x30FA, 0x30FC, 0x30FF, 0x3105, 0x312F, 0x3131,
    0x318E, 0x31A0, 0x31BF, 0x31F0, 0x31FF, 0x3400, 0x4DBF, 0x4E00, 0xA48C, 0xA4D0, 0xA4FD, 0xA500, 0xA60C, 0xA610,
    0xA61F, 0xA62A, 0xA62B, 0xA640, 0xA66E, 0xA67F, 0xA69D, 0xA6A0, 0xA6E5, 0xA717, 0xA71F, 0xA722, 0xA788, 0xA78B,
    0xA7CA, 0xA7D0, 0xA7D1, 0xA7D3, 0xA7D3, 0xA7D5, 0xA7D9, 0xA7F2, 0xA801, 0xA803, 0xA805, 0xA807, 0xA80A, 0xA80C,
    0xA822, 0xA840, 0xA873, 0xA882, 0xA8B3, 0xA8F2, 0xA8F7, 0xA8FB, 0xA8FB, 0xA8FD, 0xA8FE, 0xA90A, 0xA925, 0xA930,
    0xA946, 0xA960, 0xA97C, 0xA984, 0xA9B2, 0xA9CF, 0xA9CF, 0xA9E0, 0xA9E4, 0xA9E6, 0xA9EF, 0xA9FA, 0xA9FE, 0xAA00,
    0xAA28, 0xAA40, 0xAA42, 0xAA44, 0xAA4B, 0xAA60, 0xAA76, 0xAA7A, 0xAA7A, 0xAA7E, 0xAAAF, 0xAAB1, 0xAAB1, 0xAAB5,
    0xAAB6, 0xAAB9, 0xAABD, 0xAAC0, 0xAAC0, 0xAAC2, 0xAAC2, 0xAADB, 0xAADD, 0xAAE0, 0xAAEA, 0xAAF2, 0xAAF4, 0xAB01,
    0xAB06, 0xAB09, 0xAB0E, 0xAB11, 0xAB16, 0xAB20, 0xAB26, 0xAB28, 0xAB2E, 0xAB30, 0xAB5A, 0xAB5C, 0xAB69, 0xAB70,
    0xABE2, 0xAC00, 0xD7A3, 0xD7B0, 0xD7C6, 0xD7CB, 0xD7FB, 0xF900, 0xFA6D, 0xFA70, 0xFAD9, 0xFB00, 0xFB06, 0xFB13,
    0xFB17, 0xFB1D, 0xFB1D, 0xFB1F, 0xFB28, 0xFB2A, 0xFB36, 0xFB38, 0xFB3C, 0xFB3E, 0xFB3E, 0xFB40, 0xFB41, 0xFB43,
    0xFB44, 0xFB46, 0xFBB1, 0xFBD3, 0xFD3D, 0xFD50, 0xFD8F, 0xFD92, 0xFDC7, 0xFDF0, 0xFDFB, 0xFE70, 0xFE74, 0xFE76,
    0xFEFC, 0xFF21, 0xFF3A, 0xFF41, 0xFF5A, 0xFF66, 0xFFBE, 0xFFC2, 0xFFC7, 0xFFCA, 0xFFCF, 0xFFD2, 0xFFD7, 0xFFDA,
    0xFFDC, 0x10000, 0x1000B, 0x1000D, 0x10026, 0x10028, 0x1003A, 0x1003C, 0x1003D, 0x1003F, 0x1004D, 0x10050, 0x1005D,
    0x10080, 0x100FA, 0x10280, 0x1029C, 0x102A0, 0x102D0, 0x10300, 0x1031F, 0x1032D, 0x10340, 0x10342, 0x10349,
    0x10350, 0x10375, 0x10380, 0x1039D, 0x103A0, 0x103C3, 0x103C8, 0x103CF, 0x10400, 0x1049D, 0x104B0, 0x104D3,
    0x104D8, 0x104FB, 0x10500, 0x10527, 0x10530, 0x10563, 0x10570, 0x1057A, 0x1057C, 0x1058A, 0x1058C, 0x10592,
    0x10594, 0x10595, 0x10597, 0x105A1, 0x105A3, 0x105B1, 0x105B3, 0x105B9, 0x105BB, 0x105BC, 0x10600, 0x10736,
    0x10740, 0x10755, 0x10760, 0x10767, 0x10780, 0x10785, 0x10787, 0x107B0, 0x107B2, 0x107BA, 0x10800, 0x10805,
    0x10808, 0x10808, 0x1080A, 0x10835, 0x10837, 0x10838, 0x1083C, 0x1083C, 0x1083F, 0x10855, 0x10860, 0x10876,
    0x10880, 0x1089E, 0x108E0, 0x108F2, 0x108F4, 0x108F5, 0x10900, 0x10915, 0x10920, 0x10939, 0x10980, 0x109B7,
    0x109BE, 0x109BF, 0x10A00, 0x10A00, 0x10A10, 0x10A13, 0x10A15, 0x10A17, 0x10A19, 0x10A35, 0x10A60, 0x10A7C,
    0x10A80, 0x10A9C, 0x10AC0, 0x10AC7, 0x10AC9, 0x10AE4, 0x10B00, 0x10B35, 0x10B40, 0x10B55, 0x10B60, 0x10B72,
    0x10B80, 0x10B91, 0x10C00, 0x10C48, 0x10C80, 0x10CB2, 0x10CC0, 0x10CF2, 0x10D00, 0x10D23, 0x10E80, 0x10EA9,
    0x10EB0, 0x10EB1, 0x10F00, 0x10F1C, 0x10F27, 0x10F27, 0x10F30, 0x10F45, 0x10F70, 0x10F81, 0x10FB0, 0x10FC4,
    0x10FE0, 0x10FF6, 0x11003, 0x11037, 0x11071, 0x11072, 0x11075, 0x11075, 0x11083, 0x110AF, 0x110D0, 0x110E8,
    0x11103, 0x11126, 0x11144, 0x11144, 0x11147, 0x11147, 0x11150, 0x11172, 0x11176, 0x11176, 0x11183, 0x111B2,
    0x111C1, 0x111C4, 0x111DA, 0x111DA, 0x111DC, 0x111DC, 0x11200, 0x11211, 0x11213, 0x1122B, 0x1123F, 0x11240,
    0x11280, 0x11286, 0x11288, 0x11288, 0x1128A, 0x1128D, 0x1128F, 0x1129D, 0x1129F, 0x112A8, 0x112B0, 0x112DE,
    0x11305, 0x1130C, 0x1130F, 0x11310, 0x11313, 0x11328, 0x1132A, 0x11330, 0x11332, 0x11333, 0x11335, 0x11339,
    0x1133D, 0x1133D, 0x11350, 0x11350, 0x1135D, 0x11361, 0x11400, 0x11434, 0x11447, 0x1144A, 0x1145F, 0x11461,
    0x11480, 0x114AF, 0x114C4, 0x114C5, 0x114C7, 0x114C7, 0x11580, 0x115AE, 0x115D8, 0x115DB, 0x11600, 0x1162F,
    0x11644, 0x11644, 0x11680, 0x116AA, 0x116B8, 0x116B8, 0x11700, 0x1171A, 0x11740, 0x11746, 0x11800, 0x1182B,
    0x118A0, 0x118DF, 0x118FF, 0x11906, 0x11909, 0x11909, 0x1190C, 0x11913, 0x11915, 0x11916, 0x11918, 0x1192F,
    0x1193F, 0x1193F, 0x11941, 0x11941, 0x119A0, 0x119A7, 0x119AA, 0x119D0, 0x119E1, 0x119E1, 0x119E3, 0x119E3,
    0x11A00, 0x11A00, 0x11A0B, 0x11A32, 0x11A3A, 0x11A3A, 0x11A50, 0x11A50, 0x11A5C, 0x11A89, 0x11A9D, 0x11A9D,
    0x11AB0, 0x11AF8, 0x11C00, 0x11C08, 0x11C0A, 0x11C2E, 0x11C40, 0x11C40, 0x11C72, 0x11C8F, 0x11D00, 0x11D06,
    0x11D08, 0x11D09, 0x11D0B, 0x11D30, 0x11D46, 0x11D46, 0x11D60, 0x11D65, 0x11D67, 0x11D68, 0x11D6A, 0x11D89,
    0x11D98, 0x11D98, 0x11EE0, 0x11EF2, 0x11F02, 0x11F02, 0x11F04, 0x11F10, 0x11F12, 0x11F33, 0x11FB0, 0x11FB0,
    0x12000, 0x12399, 0x12480, 0x12543, 0x12F90, 0x12FF0, 0x13000, 0x1342F, 0x13441, 0x13446, 0x14400, 0x14646,
    0x16800, 0x16A38, 0x16A40, 0x16A5E, 0x16A70, 0x16ABE, 0x16AD0, 0x16AED, 0x16B00, 0x16B2F, 0x16B40, 0x16B43,
    0x16B63, 0x16B77, 0x16B7D, 0x16B8F, 0x16E40, 0x16E7F, 0x16F00, 0x16F4A, 0x16F50, 0x16F50, 0x16F93, 0x16F9F,
    0x16FE0, 0x16FE1, 0x16FE3, 0x16FE3, 0x17000, 0x187F7, 0x18800, 0x18CD5, 0x18D00, 0x18D08, 0x1AFF0, 0x1AFF3,
    0x1AFF5, 0x1AFFB, 0x1AFFD, 0x1AFFE, 0x1B000, 0x1B122, 0x1B132, 0x1B132, 0x1B150, 0x1B152, 0x1B155, 0x1B155,
    0x1B164, 0x1B167, 0x1B170, 0x1B2FB, 0x1BC00, 0x1BC6A, 0x1BC70, 0x1BC7C, 0x1BC80, 0x1BC88, 0x1BC90, 0x1BC99,
    0x1D400, 0x1D454, 0x1D456, 0x1D49C, 0x1D49E, 0x1D49F, 0x1D4A2, 0x1D4A2, 0x1D4A5, 0x1D4A6, 0x1D4A9, 0x1D4AC,
    0x1D4AE, 0x1D4B9, 0x1D4BB, 0x1D4BB, 0x1D4BD, 0x1D4C3, 0x1D4C5, 0x1D505, 0x1D507, 0x1D50A, 0x1D50D, 0x1D514,
    0x1D516, 0x1D51C, 0x1D51E, 0x1D539, 0x1D53B, 0x1D53E, 0x1D540, 0x1D544, 0x1D546, 0x1D546, 0x1D54A, 0x1D550,
    0x1D552, 0x1D6A5, 0x1D6A8, 0x1D6C0, 0x1D6C2, 0x1D6DA, 0x1D6DC, 0x1D6FA, 0x1D6FC, 0x1D714, 0x1D716, 0x1D734,
    0x1D736, 0x1D74E, 0x1D750, 0x1D76E, 0x1D770, 0x1D788, 0x1D78A, 0x1D7A8, 0x1D7AA, 0x1D7C2, 0x1D7C4, 0x1D7CB,
    0x1DF00, 0x1DF1E, 0x1DF25, 0x1DF2A, 0x1E030, 0x1E06D, 0x1E100, 0x1E12C, 0x1E137, 0x1E13D, 0x1E14E, 0x1E14E,
    0x1E290, 0x1E2AD, 0x1E2C0, 0x1E2EB, 0x1E4D0, 0x1E4EB, 0x1E7E0, 0x1E7E6, 0x1E7E8, 0x1E7EB, 0x1E7ED, 0x1E7EE,
    0x1E7F0, 0x1E7FE, 0x1E800, 0x1E8C4, 0x1E900, 0x1E943, 0x1E94B, 0x1E94B, 0x1EE00, 0x1EE03, 0x1EE05, 0x1EE1F,
    0x1EE21, 0x1EE22, 0x1EE24, 0x1EE24, 0x1EE27, 0x1EE27, 0x1EE29, 0x1EE32, 0x1EE34, 0x1EE37, 0x1EE39, 0x1EE39,
    0x1EE3B, 0x1EE3B, 0x1EE42, 0x1EE42, 0x1EE47, 0x1EE47, 0x1EE49, 0x1EE49, 0x1EE4B, 0x1EE4B, 0x1EE4D, 0x1EE4F,
    0x1EE51, 0x1EE52, 0x1EE54, 0x1EE54, 0x1EE57, 0x1EE57, 0x1EE59, 0x1EE59, 0x1EE5B, 0x1EE5B, 0x1EE5D, 0x1EE5D,
    0x1EE5F, 0x1EE5F, 0x1EE61, 0x1EE62, 0x1EE64, 0x1EE64, 0x1EE67, 0x1EE6A, 0x1EE6C, 0x1EE72, 0x1EE74, 0x1EE77,
    0x1EE79, 0x1EE7C, 0x1EE7E, 0x1EE7E, 0x1EE80, 0x1EE89, 0x1EE8B, 0x1EE9B, 0x1EEA1, 0x1EEA3, 0x1EEA5, 0x1EEA9,
    0x1EEAB, 0x1EEBB, 0x20000, 0x2A6DF, 0x2A700, 0x2B739, 0x2B740, 0x2B81D, 0x2B820, 0x2CEA1, 0x2CEB0, 0x2EBE0,
    0x2EBF0, 0x2EE5D, 0x2F800, 0x2FA1D, 0x30000, 0x3134A, 0x31350, 0x323AF,
];

/// `str.isdecimal`: decimal digits (category Nd), in runs of ten starting at a zero.
const DECIMAL: &[u32] = &[
    0x660, 0x669, 0x6F0, 0x6F9, 0x7C0, 0x7C9, 0x966, 0x96F, 0x9E6, 0x9EF, 0xA66, 0xA6F, 0xAE6, 0xAEF, 0xB66, 0xB6F,
    0xBE6, 0xBEF, 0xC66, 0xC6F, 0xCE6, 0xCEF, 0xD66, 0xD6F, 0xDE6, 0xDEF, 0xE50, 0xE59, 0xED0, 0xED9, 0xF20, 0xF29,
    0x1040, 0x1049, 0x1090, 0x1099, 0x17E0, 0x17E9, 0x1810, 0x1819, 0x1946, 0x194F, 0x19D0, 0x19D9, 0x1A80, 0x1A89,
    0x1A90, 0x1A99, 0x1B50, 0x1B59, 0x1BB0, 0x1BB9, 0x1C40, 0x1C49, 0x1C50, 0x1C59, 0xA620, 0xA629, 0xA8D0, 0xA8D9,
    0xA900, 0xA909, 0xA9D0, 0xA9D9, 0xA9F0, 0xA9F9, 0xAA50, 0xAA59, 0xABF0, 0xABF9, 0xFF10, 0xFF19, 0x104A0, 0x104A9,
    0x10D30, 0x10D39, 0x11066, 0x1106F, 0x110F0, 0x110F9, 0x11136, 0x1113F, 0x111D0, 0x111D9, 0x112F0, 0x112F9,
    0x11450, 0x11459, 0x114D0, 0x114D9, 0x11650, 0x11659, 0x116C0, 0x116C9, 0x11730, 0x11739, 0x118E0, 0x118E9,
    0x11950, 0x11959, 0x11C50, 0x11C59, 0x11D50, 0x11D59, 0x11DA0, 0x11DA9, 0x11F50, 0x11F59, 0x16A60, 0x16A69,
    0x16AC0, 0x16AC9, 0x16B50, 0x16B59, 0x1D7CE, 0x1D7FF, 0x1E140, 0x1E149, 0x1E2F0, 0x1E2F9, 0x1E4F0, 0x1E4F9,
    0x1E950, 0x1E959, 0x1FBF0, 0x1FBF9,
];

/// `str.isdigit` but not `str.isdecimal` (superscripts, circled digits...).
const DIGIT: &[u32] = &[
    0xB2, 0xB3, 0xB9, 0xB9, 0x1369, 0x1371, 0x19DA, 0x19DA, 0x2070, 0x2070, 0x2074, 0x2079, 0x2080, 0x2089, 0x2460,
    0x2468, 0x2474, 0x247C, 0x2488, 0x2490, 0x24EA, 0x24EA, 0x24F5, 0x24FD, 0x24FF, 0x24FF, 0x2776, 0x277E, 0x2780,
    0x2788, 0x278A, 0x2792, 0x10A40, 0x10A43, 0x10E60, 0x10E68, 0x11052, 0x1105A, 0x1F100, 0x1F10A,
];

/// `str.isnumeric` but not `str.isdigit` (fractions, roman numerals, CJK numerals...).
const NUMERIC: &[u32] = &[
    0xBC, 0xBE, 0x9F4, 0x9F9, 0xB72, 0xB77, 0xBF0, 0xBF2, 0xC78, 0xC7E, 0xD58, 0xD5E, 0xD70, 0xD78, 0xF2A, 0xF33,
    0x1372, 0x137C, 0x16EE, 0x16F0, 0x17F0, 0x17F9, 0x2150, 0x2182, 0x2185, 0x2189, 0x2469, 0x2473, 0x247D, 0x2487,
    0x2491, 0x249B, 0x24EB, 0x24F4, 0x24FE, 0x24FE, 0x277F, 0x277F, 0x2789, 0x2789, 0x2793, 0x2793, 0x2CFD, 0x2CFD,
    0x3007, 0x3007, 0x3021, 0x3029, 0x3038, 0x303A, 0x3192, 0x3195, 0x3220, 0x3229, 0x3248, 0x324F, 0x3251, 0x325F,
    0x3280, 0x3289, 0x32B1, 0x32BF, 0x3405, 0x3405, 0x3483, 0x3483, 0x382A, 0x382A, 0x3B4D, 0x3B4D, 0x4E00, 0x4E00,
    0x4E03, 0x4E03, 0x4E07, 0x4E07, 0x4E09, 0x4E09, 0x4E24, 0x4E24, 0x4E5D, 0x4E5D, 0x4E8C, 0x4E8C, 0x4E94, 0x4E94,
    0x4E96, 0x4E96, 0x4EAC, 0x4EAC, 0x4EBF, 0x4EC0, 0x4EDF, 0x4EDF, 0x4EE8, 0x4EE8, 0x4F0D, 0x4F0D, 0x4F70, 0x4F70,
    0x4FE9, 0x4FE9, 0x5006, 0x5006, 0x5104, 0x5104, 0x5146, 0x5146, 0x5169, 0x5169, 0x516B, 0x516B, 0x516D, 0x516D,
    0x5341, 0x5341, 0x5343, 0x5345, 0x534C, 0x534C, 0x53C1, 0x53C4, 0x56DB, 0x56DB, 0x58F1, 0x58F1, 0x58F9, 0x58F9,
    0x5E7A, 0x5E7A, 0x5EFE, 0x5EFF, 0x5F0C, 0x5F0E, 0x5F10, 0x5F10, 0x62D0, 0x62D0, 0x62FE, 0x62FE, 0x634C, 0x634C,
    0x67D2, 0x67D2, 0x6D1E, 0x6D1E, 0x6F06, 0x6F06, 0x7396, 0x7396, 0x767E, 0x767E, 0x7695, 0x7695, 0x79ED, 0x79ED,
    0x8086, 0x8086, 0x842C, 0x842C, 0x8CAE, 0x8CAE, 0x8CB3, 0x8CB3, 0x8D30, 0x8D30, 0x920E, 0x920E, 0x94A9, 0x94A9,
    0x9621, 0x9621, 0x9646, 0x9646, 0x964C, 0x964C, 0x9678, 0x9678, 0x96F6, 0x96F6, 0xA6E6, 0xA6EF, 0xA830, 0xA835,
    0xF96B, 0xF96B, 0xF973, 0xF973, 0xF978, 0xF978, 0xF9B2, 0xF9B2, 0xF9D1, 0xF9D1, 0xF9D3, 0xF9D3, 0xF9FD, 0xF9FD,
    0x10107, 0x10133, 0x10140, 0x10178, 0x1018A, 0x1018B, 0x102E1, 0x102FB, 0x10320, 0x10323, 0x10341, 0x10341,
    0x1034A, 0x1034A, 0x103D1, 0x103D5, 0x10858, 0x1085F, 0x10879, 0x1087F, 0x108A7, 0x108AF, 0x108FB, 0x108FF,
    0x10916, 0x1091B, 0x109BC, 0x109BD, 0x109C0, 0x109CF, 0x109D2, 0x109FF, 0x10A44, 0x10A48, 0x10A7D, 0x10A7E,
    0x10A9D, 0x10A9F, 0x10AEB, 0x10AEF, 0x10B58, 0x10B5F, 0x10B78, 0x10B7F, 0x10BA9, 0x10BAF, 0x10CFA, 0x10CFF,
    0x10E69, 0x10E7E, 0x10F1D, 0x10F26, 0x10F51, 0x10F54, 0x10FC5, 0x10FCB, 0x1105B, 0x11065, 0x111E1, 0x111F4,
    0x1173A, 0x1173B, 0x118EA, 0x118F2, 0x11C5A, 0x11C6C, 0x11FC0, 0x11FD4, 0x12400, 0x1246E, 0x16B5B, 0x16B61,
    0x16E80, 0x16E96, 0x1D2C0, 0x1D2D3, 0x1D2E0, 0x1D2F3, 0x1D360, 0x1D378, 0x1E8C7, 0x1E8CF, 0x1EC71, 0x1ECAB,
    0x1ECAD, 0x1ECAF, 0x1ECB1, 0x1ECB4, 0x1ED01, 0x1ED2D, 0x1ED2F, 0x1ED3D, 0x1F10B, 0x1F10C, 0x20001, 0x20001,
    0x20064, 0x20064, 0x200E2, 0x200E2, 0x20121, 0x20121, 0x2092A, 0x2092A, 0x20983, 0x20983, 0x2098C, 0x2098C,
    0x2099C, 0x2099C, 0x20AEA, 0x20AEA, 0x20AFD, 0x20AFD, 0x20B19, 0x20B19, 0x22390, 0x22390, 0x22998, 0x22998,
    0x23B1B, 0x23B1B, 0x2626D, 0x2626D, 0x2F890, 0x2F890,
];

/// Identifier starts (XID_Start) that are not letters (letter numbers...).
const ID_START_EXTRA: &[u32] = &[
    0x16EE, 0x16F0, 0x1885, 0x1886, 0x2118, 0x2118, 0x212E, 0x212E, 0x2160, 0x2182, 0x2185, 0x2188, 0x3007, 0x3007,
    0x3021, 0x3029, 0x3038, 0x303A, 0xA6E6, 0xA6EF, 0x10140, 0x10174, 0x10341, 0x10341, 0x1034A, 0x1034A, 0x103D1,
    0x103D5, 0x12400, 0x1246E,
];

/// Letters that cannot start an identifier.
const ALPHA_NOT_ID_START: &[u32] = &[
    0x37A, 0x37A, 0xE33, 0xE33, 0xEB3, 0xEB3, 0x2E2F, 0x2E2F, 0xFC5E, 0xFC63, 0xFDFA, 0xFDFB, 0xFE70, 0xFE70, 0xFE72,
    0xFE72, 0xFE74, 0xFE74, 0xFE76, 0xFE76, 0xFE78, 0xFE78, 0xFE7A, 0xFE7A, 0xFE7C, 0xFE7C, 0xFE7E, 0xFE7E, 0xFF9E,
    0xFF9F,
];

/// Identifier characters (XID_Continue) that cannot start one and are not decimal digits (combining marks, connectors...).
const ID_CONTINUE_EXTRA: &[u32] = &[
    0xB7, 0xB7, 0x300, 0x36F, 0x387, 0x387, 0x483, 0x487, 0x591, 0x5BD, 0x5BF, 0x5BF, 0x5C1, 0x5C2, 0x5C4, 0x5C5,
    0x5C7, 0x5C7, 0x610, 0x61A, 0x64B, 0x65F, 0x670, 0x670, 0x6D6, 0x6DC, 0x6DF, 0x6E4, 0x6E7, 0x6E8, 0x6EA, 0x6ED,
    0x711, 0x711, 0x730, 0x74A, 0x7A6, 0x7B0, 0x7EB, 0x7F3, 0x7FD, 0x7FD, 0x816, 0x819, 0x81B, 0x823, 0x825, 0x827,
    0x829, 0x82D, 0x859, 0x85B, 0x898, 0x89F, 0x8CA, 0x8E1, 0x8E3, 0x903, 0x93A, 0x93C, 0x93E, 0x94F, 0x951, 0x957,
    0x962, 0x963, 0x981, 0x983, 0x9BC, 0x9BC, 0x9BE, 0x9C4, 0x9C7, 0x9C8, 0x9CB, 0x9CD, 0x9D7, 0x9D7, 0x9E2, 0x9E3,
    0x9FE, 0x9FE, 0xA01, 0xA03, 0xA3C, 0xA3C, 0xA3E, 0xA42, 0xA47, 0xA48, 0xA4B, 0xA4D, 0xA51, 0xA51, 0xA70, 0xA71,
    0xA75, 0xA75, 0xA81, 0xA83, 0xABC, 0xABC, 0xABE, 0xAC5, 0xAC7, 0xAC9, 0xACB, 0xACD, 0xAE2, 0xAE3, 0xAFA, 0xAFF,
    0xB01, 0xB03, 0xB3C, 0xB3C, 0xB3E, 0xB44, 0xB47, 0xB48, 0xB4B, 0xB4D, 0xB55, 0xB57, 0xB62, 0xB63, 0xB82, 0xB82,
    0xBBE, 0xBC2, 0xBC6, 0xBC8, 0xBCA, 0xBCD, 0xBD7, 0xBD7, 0xC00, 0xC04, 0xC3C, 0xC3C, 0xC3E, 0xC44, 0xC46, 0xC48,
    0xC4A, 0xC4D, 0xC55, 0xC56, 0xC62, 0xC63, 0xC81, 0xC83, 0xCBC, 0xCBC, 0xCBE, 0xCC4, 0xCC6, 0xCC8, 0xCCA, 0xCCD,
    0xCD5, 0xCD6, 0xCE2, 0xCE3, 0xCF3, 0xCF3, 0xD00, 0xD03, 0xD3B, 0xD3C, 0xD3E, 0xD44, 0xD46, 0xD48, 0xD4A, 0xD4D,
    0xD57, 0xD57, 0xD62, 0xD63, 0xD81, 0xD83, 0xDCA, 0xDCA, 0xDCF, 0xDD4, 0xDD6, 0xDD6, 0xDD8, 0xDDF, 0xDF2, 0xDF3,
    0xE31, 0xE31, 0xE33, 0xE3A, 0xE47, 0xE4E, 0xEB1, 0xEB1, 0xEB3, 0xEBC, 0xEC8, 0xECE, 0xF18, 0xF19, 0xF35, 0xF35,
    0xF37, 0xF37, 0xF39, 0xF39, 0xF3E, 0xF3F, 0xF71, 0xF84, 0xF86, 0xF87, 0xF8D, 0xF97, 0xF99, 0xFBC, 0xFC6, 0xFC6,
    0x102B, 0x103E, 0x1056, 0x1059, 0x105E, 0x1060, 0x1062, 0x1064, 0x1067, 0x106D, 0x1071, 0x1074, 0x1082, 0x108D,
    0x108F, 0x108F, 0x109A, 0x109D, 0x135D, 0x135F, 0x1369, 0x1371, 0x1712, 0x1715, 0x1732, 0x1734, 0x1752, 0x1753,
    0x1772, 0x1773, 0x17B4, 0x17D3, 0x17DD, 0x17DD, 0x180B, 0x180D, 0x180F, 0x180F, 0x18A9, 0x18A9, 0x1920, 0x192B,
    0x1930, 0x193B, 0x19DA, 0x19DA, 0x1A17, 0x1A1B, 0x1A55, 0x1A5E, 0x1A60, 0x1A7C, 0x1A7F, 0x1A7F, 0x1AB0, 0x1ABD,
    0x1ABF, 0x1ACE, 0x1B00, 0x1B04, 0x1B34, 0x1B44, 0x1B6B, 0x1B73, 0x1B80, 0x1B82, 0x1BA1, 0x1BAD, 0x1BE6, 0x1BF3,
    0x1C24, 0x1C37, 0x1CD0, 0x1CD2, 0x1CD4, 0x1CE8, 0x1CED, 0x1CED, 0x1CF4, 0x1CF4, 0x1CF7, 0x1CF9, 0x1DC0, 0x1DFF,
    0x200C, 0x200D, 0x203F, 0x2040, 0x2054, 0x2054, 0x20D0, 0x20DC, 0x20E1, 0x20E1, 0x20E5, 0x20F0, 0x2CEF, 0x2CF1,
    0x2D7F, 0x2D7F, 0x2DE0, 0x2DFF, 0x302A, 0x302F, 0x3099, 0x309A, 0x30FB, 0x30FB, 0xA66F, 0xA66F, 0xA674, 0xA67D,
    0xA69E, 0xA69F, 0xA6F0, 0xA6F1, 0xA802, 0xA802, 0xA806, 0xA806, 0xA80B, 0xA80B, 0xA823, 0xA827, 0xA82C, 0xA82C,
    0xA880, 0xA881, 0xA8B4, 0xA8C5, 0xA8E0, 0xA8F1, 0xA8FF, 0xA8FF, 0xA926, 0xA92D, 0xA947, 0xA953, 0xA980, 0xA983,
    0xA9B3, 0xA9C0, 0xA9E5, 0xA9E5, 0xAA29, 0xAA36, 0xAA43, 0xAA43, 0xAA4C, 0xAA4D, 0xAA7B, 0xAA7D, 0xAAB0, 0xAAB0,
    0xAAB2, 0xAAB4, 0xAAB7, 0xAAB8, 0xAABE, 0xAABF, 0xAAC1, 0xAAC1, 0xAAEB, 0xAAEF, 0xAAF5, 0xAAF6, 0xABE3, 0xABEA,
    0xABEC, 0xABED, 0xFB1E, 0xFB1E, 0xFE00, 0xFE0F, 0xFE20, 0xFE2F, 0xFE33, 0xFE34, 0xFE4D, 0xFE4F, 0xFF3F, 0xFF3F,
    0xFF65, 0xFF65, 0xFF9E, 0xFF9F, 0x101FD, 0x101FD, 0x102E0, 0x102E0, 0x10376, 0x1037A, 0x10A01, 0x10A03, 0x10A05,
    0x10A06, 0x10A0C, 0x10A0F, 0x10A38, 0x10A3A, 0x10A3F, 0x10A3F, 0x10AE5, 0x10AE6, 0x10D24, 0x10D27, 0x10EAB,
    0x10EAC, 0x10EFD, 0x10EFF, 0x10F46, 0x10F50, 0x10F82, 0x10F85, 0x11000, 0x11002, 0x11038, 0x11046, 0x11070,
    0x11070, 0x11073, 0x11074, 0x1107F, 0x11082, 0x110B0, 0x110BA, 0x110C2, 0x110C2, 0x11100, 0x11102, 0x11127,
    0x11134, 0x11145, 0x11146, 0x11173, 0x11173, 0x11180, 0x11182, 0x111B3, 0x111C0, 0x111C9, 0x111CC, 0x111CE,
    0x111CF, 0x1122C, 0x11237, 0x1123E, 0x1123E, 0x11241, 0x11241, 0x112DF, 0x112EA, 0x11300, 0x11303, 0x1133B,
    0x1133C, 0x1133E, 0x11344, 0x11347, 0x11348, 0x1134B, 0x1134D, 0x11357, 0x11357, 0x11362, 0x11363, 0x11366,
    0x1136C, 0x11370, 0x11374, 0x11435, 0x11446, 0x1145E, 0x1145E, 0x114B0, 0x114C3, 0x115AF, 0x115B5, 0x115B8,
    0x115C0, 0x115DC, 0x115DD, 0x11630, 0x11640, 0x116AB, 0x116B7, 0x1171D, 0x1172B, 0x1182C, 0x1183A, 0x11930,
    0x11935, 0x11937, 0x11938, 0x1193B, 0x1193E, 0x11940, 0x11940, 0x11942, 0x11943, 0x119D1, 0x119D7, 0x119DA,
    0x119E0, 0x119E4, 0x119E4, 0x11A01, 0x11A0A, 0x11A33, 0x11A39, 0x11A3B, 0x11A3E, 0x11A47, 0x11A47, 0x11A51,
    0x11A5B, 0x11A8A, 0x11A99, 0x11C2F, 0x11C36, 0x11C38, 0x11C3F, 0x11C92, 0x11CA7, 0x11CA9, 0x11CB6, 0x11D31,
    0x11D36, 0x11D3A, 0x11D3A, 0x11D3C, 0x11D3D, 0x11D3F, 0x11D45, 0x11D47, 0x11D47, 0x11D8A, 0x11D8E, 0x11D90,
    0x11D91, 0x11D93, 0x11D97, 0x11EF3, 0x11EF6, 0x11F00, 0x11F01, 0x11F03, 0x11F03, 0x11F34, 0x11F3A, 0x11F3E,
    0x11F42, 0x13440, 0x13440, 0x13447, 0x13455, 0x16AF0, 0x16AF4, 0x16B30, 0x16B36, 0x16F4F, 0x16F4F, 0x16F51,
    0x16F87, 0x16F8F, 0x16F92, 0x16FE4, 0x16FE4, 0x16FF0, 0x16FF1, 0x1BC9D, 0x1BC9E, 0x1CF00, 0x1CF2D, 0x1CF30,
    0x1CF46, 0x1D165, 0x1D169, 0x1D16D, 0x1D172, 0x1D17B, 0x1D182, 0x1D185, 0x1D18B, 0x1D1AA, 0x1D1AD, 0x1D242,
    0x1D244, 0x1DA00, 0x1DA36, 0x1DA3B, 0x1DA6C, 0x1DA75, 0x1DA75, 0x1DA84, 0x1DA84, 0x1DA9B, 0x1DA9F, 0x1DAA1,
    0x1DAAF, 0x1E000, 0x1E006, 0x1E008, 0x1E018, 0x1E01B, 0x1E021, 0x1E023, 0x1E024, 0x1E026, 0x1E02A, 0x1E08F,
    0x1E08F, 0x1E130, 0x1E136, 0x1E2AE, 0x1E2AE, 0x1E2EC, 0x1E2EF, 0x1E4EC, 0x1E4EF, 0x1E8D0, 0x1E8D6, 0x1E944,
    0x1E94A, 0xE0100, 0xE01EF,
];
