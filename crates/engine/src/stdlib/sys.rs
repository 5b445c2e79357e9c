//! `sys`: `exit`, the switch interval, `argv`, `version_info`, the standard
//! streams (writes go to the simulated terminal) and `sys.modules`.

use std::rc::Rc;

use super::args::{ret, seconds_arg};
use super::{Attr, Module};
use crate::stdlib::threading::ns;
use crate::trace::*;
use crate::types::native;
use crate::vm::value::*;
use crate::vm::*;

pub static MODULE: Module = Module {
    name: "sys",
    attrs: &[
        ("exit", Attr::Fn(native!("sys.exit", sys_exit))),
        ("stdout", Attr::Make(|w, t| stream_obj(w, t, "<stdout>"))),
        ("stderr", Attr::Make(|w, t| stream_obj(w, t, "<stderr>"))),
        (
            "getswitchinterval",
            Attr::Fn(native!("sys.getswitchinterval", sys_getswitchinterval)),
        ),
        (
            "setswitchinterval",
            Attr::Fn(native!("sys.setswitchinterval", sys_setswitchinterval)),
        ),
        (
            "getrecursionlimit",
            Attr::Fn(native!("sys.getrecursionlimit", sys_getrecursionlimit)),
        ),
        ("version_info", Attr::Make(version_info)),
        ("platform", Attr::Str("linux")),
        ("argv", Attr::Make(argv)),
        ("maxsize", Attr::Int(i64::MAX)),
        // CPython has these; the simulator does not (yet).
        ("setrecursionlimit", Attr::Unsupported),
        ("exc_info", Attr::Unsupported),
        ("exception", Attr::Unsupported),
        ("getsizeof", Attr::Unsupported),
        ("settrace", Attr::Unsupported),
        ("setprofile", Attr::Unsupported),
        ("gettrace", Attr::Unsupported),
        ("getprofile", Attr::Unsupported),
        ("getrefcount", Attr::Unsupported),
        ("intern", Attr::Unsupported),
        ("path", Attr::UnsupportedValue),
        ("executable", Attr::UnsupportedValue),
        ("version", Attr::UnsupportedValue),
        ("stdin", Attr::UnsupportedValue),
        ("flags", Attr::UnsupportedValue),
        ("byteorder", Attr::UnsupportedValue),
        ("implementation", Attr::UnsupportedValue),
        ("hexversion", Attr::UnsupportedValue),
        ("float_info", Attr::UnsupportedValue),
    ],
    make: None,
};

fn version_info(w: &mut World, _t: Tid) -> Result<Value, Raise> {
    Ok(Value::tuple(vec![
        Value::Int(3),
        Value::Int(w.opts.python.minor() as i64),
        Value::Int(0),
    ]))
}

/// `sys.argv`: the script's name, then its arguments.
fn argv(w: &mut World, t: Tid) -> Result<Value, Raise> {
    let mut items = vec![Value::Str(w.script_name.clone())];
    items.extend(w.opts.argv.iter().map(|a| Value::str(a.clone())));
    Ok(Value::Obj(w.alloc(t, Obj::List(items))?))
}

fn sys_exit(w: &mut World, t: Tid, a: Args) -> NResult {
    let c = w.proc(w.pid_of(t)).classes.exc(Exc::SystemExit);
    let args = a.pos.into_iter().take(1).collect();
    Err(Raise::Obj(w.new_exception(t, c, args)?))
}

fn sys_getswitchinterval(w: &mut World, t: Tid, _a: Args) -> NResult {
    let pid = w.pid_of(t);
    ret(Value::Float(w.proc(pid).switch_interval as f64 / 1e9))
}

fn sys_setswitchinterval(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = seconds_arg(w, t, a.pos.first(), "setswitchinterval")?;
    if s <= 0.0 {
        return Err(Raise::new(Exc::ValueError, "switch interval must be strictly positive"));
    }
    let pid = w.pid_of(t);
    w.proc_mut(pid).switch_interval = ns(s).max(1_000);
    ret(Value::None)
}

fn sys_getrecursionlimit(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    ret(Value::Int(RECURSION_LIMIT as i64))
}

/// `sys.modules`: the modules imported so far (multiprocessing's helpers appear
/// when CPython would have imported them: at the first `Process.start()`).
pub fn sys_modules(w: &mut World, t: Tid) -> Result<Value, Raise> {
    let pid = w.pid_of(t);
    let mut names: Vec<(String, Value)> = vec![("builtins".into(), Value::None), ("sys".into(), Value::None)];
    for (n, id) in w.proc(pid).modules.clone() {
        if n != "concurrent.futures" || w.proc(pid).modules.iter().any(|(m, _)| m == "concurrent") {
            names.push((n, Value::Obj(id)));
        }
    }
    if w.proc(pid).mp.registered_exit || w.proc(pid).mp.is_child {
        names.push(("multiprocessing.util".into(), Value::None));
        names.push(("multiprocessing.process".into(), Value::None));
    }
    let main = w.proc(pid).globals;
    let main_name = if w.proc(pid).mp.spawn_payload.is_some() {
        "__mp_main__"
    } else {
        "__main__"
    };
    let main_mod = w.alloc(
        t,
        Obj::Module {
            name: Rc::new(main_name.into()),
            dict: main,
        },
    )?;
    names.push(("__main__".into(), Value::Obj(main_mod)));
    if main_name == "__mp_main__" {
        names.push(("__mp_main__".into(), Value::Obj(main_mod)));
    }
    let mut d = Dict::default();
    for (n, v) in names {
        d.set_str(&n, v);
    }
    Ok(Value::Obj(w.alloc(t, Obj::Dict(d))?))
}

pub fn stream_obj(w: &mut World, t: Tid, name: &str) -> Result<Value, Raise> {
    let c = w.proc(w.pid_of(t)).classes.get("_Stream");
    let mut d = Dict::default();
    d.set_str("name", Value::str(name));
    d.set_str(
        "write",
        Value::Native(if name == "<stdout>" {
            native!("stdout.write", stdout_write)
        } else {
            native!("stderr.write", stderr_write)
        }),
    );
    d.set_str("flush", Value::Native(native!("stream.flush", stream_flush)));
    Ok(Value::Obj(w.alloc(
        t,
        Obj::Instance {
            class: c,
            dict: d,
            native: Native::None,
        },
    )?))
}

/// Which stream a `file=` object writes to.
pub fn stream_of(w: &mut World, t: Tid, v: &Value) -> Option<Stream> {
    if let Value::Obj(id) = v {
        if let Obj::Instance { dict, .. } = w.heap(t).get(*id) {
            return match dict.get_str("name") {
                Some(Value::Str(s)) if s.as_str() == "<stdout>" => Some(Stream::Stdout),
                Some(Value::Str(s)) if s.as_str() == "<stderr>" => Some(Stream::Stderr),
                _ => None,
            };
        }
    }
    None
}

fn stdout_write(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = match a.pos.first() {
        Some(Value::Str(s)) => s.to_string(),
        _ => return Err(Raise::new(Exc::TypeError, "write() argument must be str")),
    };
    w.write(t, Stream::Stdout, &s);
    ret(Value::Int(s.chars().count() as i64))
}

fn stderr_write(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = match a.pos.first() {
        Some(Value::Str(s)) => s.to_string(),
        _ => return Err(Raise::new(Exc::TypeError, "write() argument must be str")),
    };
    w.write(t, Stream::Stderr, &s);
    ret(Value::Int(s.chars().count() as i64))
}

fn stream_flush(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    ret(Value::None)
}
