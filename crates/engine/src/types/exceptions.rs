//! The builtin exception classes and `object`; matching, naming and
//! printing exceptions (tracebacks, `SystemExit` codes).

use std::rc::Rc;

use super::*;
use crate::trace::*;
use crate::vm::value::*;
use crate::vm::*;

/// Creates `object` and the builtin exception classes of a new process.
pub fn create_classes(heap: &mut Heap) -> Classes {
    let mut c = Classes::default();
    let mut object = Class {
        name: Rc::new("object".into()),
        mro: vec![],
        dict: Dict::default(),
        builtin: Some("object"),
    };
    object
        .dict
        .set_str("__init__", Value::Native(native!("object.__init__", object_init)));
    let oid = heap.alloc(Obj::Class(Box::new(object)));
    if let Obj::Class(k) = heap.get_mut(oid) {
        k.mro = vec![oid];
    }
    c.by_name.push(("object", oid));
    for &exc in Exc::ALL {
        let pid = exc.base().map_or(oid, |b| c.exc(b));
        let mut mro = vec![];
        if let Obj::Class(p) = heap.get(pid) {
            mro = p.mro.clone();
        }
        let mut dict = Dict::default();
        if exc == Exc::BaseException {
            dict.set_str(
                "__init__",
                Value::Native(native!("BaseException.__init__", exception_init)),
            );
            dict.set_str(
                "__str__",
                Value::Native(native!("BaseException.__str__", exception_str)),
            );
        }
        let id = heap.alloc(Obj::Class(Box::new(Class {
            name: Rc::new(exc.name().to_string()),
            mro: vec![],
            dict,
            builtin: Some("exception"),
        })));
        mro.insert(0, id);
        if let Obj::Class(k) = heap.get_mut(id) {
            k.mro = mro;
        }
        c.by_name.push((exc.name(), id));
    }
    c
}

pub fn object_init(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    Ok(Flow::Return(Value::None))
}

pub fn exception_init(w: &mut World, t: Tid, a: Args) -> NResult {
    if let Some(Value::Obj(id)) = a.pos.first() {
        let args = Value::tuple(a.pos[1..].to_vec());
        if let Obj::Instance { dict, .. } = w.heap(t).get_mut(*id) {
            dict.set_str("args", args);
        }
    }
    Ok(Flow::Return(Value::None))
}

pub fn exception_str(w: &mut World, t: Tid, a: Args) -> NResult {
    let e = a.pos.first().cloned().unwrap_or(Value::None);
    Ok(Flow::Return(Value::str(exception_message(w, t, &e)?)))
}

/// `str(exc)` for the builtin `__str__`: from `args`.
pub fn exception_message(w: &mut World, t: Tid, e: &Value) -> Result<String, Raise> {
    let args = match e {
        Value::Obj(id) => match w.heap(t).get(*id) {
            Obj::Instance { dict, .. } => dict.get_str("args").cloned().unwrap_or(Value::tuple(vec![])),
            _ => Value::tuple(vec![]),
        },
        _ => Value::tuple(vec![]),
    };
    let Value::Tuple(items) = &args else {
        return Ok(String::new());
    };
    match items.len() {
        0 => Ok(String::new()),
        1 => {
            let is_key_error = exc_is(w, t, e, Exc::KeyError);
            if is_key_error {
                repr_of(w, t, &items[0])
            } else {
                str_of(w, t, &items[0])
            }
        }
        _ => repr_of(w, t, &args),
    }
}

pub fn is_subclass(w: &mut World, t: Tid, cls: ObjId, base: ObjId) -> bool {
    match w.heap(t).get(cls) {
        Obj::Class(c) => c.mro.contains(&base),
        _ => false,
    }
}

/// The class name an uncaught exception is shown with (`__main__.MyError` for user classes).
pub fn exc_class_name(w: &mut World, t: Tid, exc: &Value) -> String {
    if let Value::Obj(id) = exc {
        if let Obj::Instance { class, .. } = w.heap(t).get(*id) {
            let c = *class;
            if let Obj::Class(k) = w.heap(t).get(c) {
                return match k.builtin {
                    Some("exception") => shown_class_name(&k.name).to_string(),
                    Some(_) => k.name.to_string(),
                    None => k.name.to_string(),
                };
            }
        }
    }
    Exc::Exception.name().into()
}

/// The name a builtin exception class is shown with, module-qualified for a
/// library module's class (`_queue.Empty`); other names as they are.
pub fn shown_class_name(name: &str) -> &str {
    Exc::from_name(name).map_or(name, |e| e.shown())
}

pub fn exc_is(w: &mut World, t: Tid, exc: &Value, class: Exc) -> bool {
    let base = w.proc(w.pid_of(t)).classes.exc(class);
    if let Value::Obj(id) = exc {
        if let Obj::Instance { class, .. } = w.heap(t).get(*id) {
            let c = *class;
            return is_subclass(w, t, c, base);
        }
    }
    false
}

pub fn exc_matches(w: &mut World, t: Tid, exc: &Value, cls: &Value) -> Result<bool, Raise> {
    match cls {
        Value::Tuple(items) => {
            for c in items.iter() {
                if exc_matches(w, t, exc, c)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Value::Obj(cid) => {
            let cid = *cid;
            if !matches!(w.heap(t).get(cid), Obj::Class(_)) {
                return Err(Raise::new(
                    Exc::TypeError,
                    "catching classes that do not inherit from BaseException is not allowed",
                ));
            }
            if let Value::Obj(id) = exc {
                if let Obj::Instance { class, .. } = w.heap(t).get(*id) {
                    let c = *class;
                    return Ok(is_subclass(w, t, c, cid));
                }
            }
            Ok(false)
        }
        _ => Err(Raise::new(
            Exc::TypeError,
            "catching classes that do not inherit from BaseException is not allowed",
        )),
    }
}

/// How many times in a row a traceback shows the same frame before it says how often it repeats.
const RECURSIVE_CUTOFF: usize = 3;

/// `  [Previous line repeated 996 more times]` when a frame came `count` times in a row.
fn push_repeats(out: &mut String, count: usize) {
    if count > RECURSIVE_CUTOFF {
        let n = count - RECURSIVE_CUTOFF;
        let s = if n > 1 { "s" } else { "" };
        out.push_str(&format!("  [Previous line repeated {n} more time{s}]\n"));
    }
}

/// A traceback as CPython prints it (chained exceptions first).
pub fn format_exception(w: &mut World, t: Tid, exc: &Value, lead: Vec<TbEntry>) -> String {
    format_chained(w, t, exc, lead, false)
}

/// `chained`: `exc` is the cause or context of another exception.
fn format_chained(w: &mut World, t: Tid, exc: &Value, lead: Vec<TbEntry>, chained: bool) -> String {
    let mut out = String::new();
    let (tb, context, suppress, cause) = match exc {
        Value::Obj(id) => match w.heap(t).get(*id) {
            Obj::Instance {
                native: Native::Exception { tb, context, suppress },
                dict,
                ..
            } => (tb.clone(), *context, *suppress, dict.get_str("__cause__").cloned()),
            _ => (vec![], None, false, None),
        },
        _ => (vec![], None, false, None),
    };
    if let Some(Value::Obj(c)) = &cause {
        out.push_str(&format_chained(w, t, &Value::Obj(*c), Vec::new(), true));
        out.push_str("\nThe above exception was the direct cause of the following exception:\n\n");
    } else if let (Some(ctx), false) = (context, suppress) {
        out.push_str(&format_chained(w, t, &Value::Obj(ctx), Vec::new(), true));
        out.push_str("\nDuring handling of the above exception, another exception occurred:\n\n");
    }
    // A cause that was never raised (built in place and chained) has no traceback.
    if !(chained && lead.is_empty() && tb.is_empty()) {
        out.push_str("Traceback (most recent call last):\n");
    }
    // As CPython: a frame repeated more than three times in a row is shown
    // three times, then `[Previous line repeated N more times]`.
    let mut last: Option<&TbEntry> = None;
    let mut repeats = 0;
    for e in lead.iter().chain(tb.iter().rev()) {
        let same = last.is_some_and(|l| l.file == e.file && l.line == e.line && l.func == e.func);
        if !same {
            push_repeats(&mut out, repeats);
            repeats = 0;
        }
        last = Some(e);
        repeats += 1;
        if repeats > RECURSIVE_CUTOFF {
            continue;
        }
        out.push_str(&format!("  File \"{}\", line {}, in {}\n", e.file, e.line, e.func));
        if !e.text.is_empty() {
            out.push_str(&format!("    {}\n", e.text));
        }
    }
    push_repeats(&mut out, repeats);
    let name = exc_class_name(w, t, exc);
    let msg = match str_of(w, t, exc) {
        Ok(m) => m,
        Err(_) => "<exception str() failed>".into(),
    };
    if msg.is_empty() {
        out.push_str(&format!("{name}\n"));
    } else {
        out.push_str(&format!("{name}: {msg}\n"));
    }
    out
}

/// An exception as `PyErr_WriteUnraisable` prints it: the last line is `Name: message`
/// even when the message is empty.
pub fn format_unraisable(w: &mut World, t: Tid, exc: &Value) -> String {
    let full = format_exception(w, t, exc, Vec::new());
    if !crate::vm::versions::facts(w.opts.python).unraisable_empty_colon {
        return full;
    }
    let name = exc_class_name(w, t, exc);
    match full.strip_suffix(&format!("{name}\n")) {
        Some(head) => format!("{head}{name}: \n"),
        None => full,
    }
}

/// The exit code `SystemExit(code)` gives; prints a non-integer code to stderr.
pub fn system_exit_code(w: &mut World, t: Tid, exc: &Value) -> i32 {
    let args = match exc {
        Value::Obj(id) => match w.heap(t).get(*id) {
            Obj::Instance { dict, .. } => dict.get_str("args").cloned(),
            _ => None,
        },
        _ => None,
    };
    let code = match args {
        Some(Value::Tuple(a)) if a.len() == 1 => a[0].clone(),
        Some(Value::Tuple(a)) if a.len() > 1 => Value::Tuple(a),
        _ => Value::None,
    };
    match code {
        Value::None => 0,
        // Exit statuses keep their low 8 bits: sys.exit(256) exits 0.
        Value::Int(i) => (i & 0xff) as i32,
        Value::Bool(b) => b as i32,
        other => {
            let s = str_of(w, t, &other).unwrap_or_default();
            w.write(t, Stream::Stderr, &format!("{s}\n"));
            1
        }
    }
}
