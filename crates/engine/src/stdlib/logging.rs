//! `logging`: the root logger and named loggers, `basicConfig` (level,
//! format, stream), records formatted with the `%`-style fields.

use std::rc::Rc;

use super::args::ret;
use super::sys::stream_of;
use super::time::{strftime, EPOCH_S};
use super::{Attr, Module};
use crate::trace::*;
use crate::types::{self, native, str_of};
use crate::vm::value::*;
use crate::vm::*;

pub static MODULE: Module = Module {
    name: "logging",
    attrs: &[
        (
            "basicConfig",
            Attr::Fn(native!("logging.basicConfig", logging_basic_config)),
        ),
        ("getLogger", Attr::Fn(native!("logging.getLogger", logging_get_logger))),
        ("debug", Attr::Fn(native!("logging.debug", log_debug))),
        ("info", Attr::Fn(native!("logging.info", log_info))),
        ("warning", Attr::Fn(native!("logging.warning", log_warning))),
        ("error", Attr::Fn(native!("logging.error", log_error))),
        ("critical", Attr::Fn(native!("logging.critical", log_critical))),
        ("DEBUG", Attr::Int(10)),
        ("INFO", Attr::Int(20)),
        ("WARNING", Attr::Int(30)),
        ("ERROR", Attr::Int(40)),
        ("CRITICAL", Attr::Int(50)),
        ("root", Attr::Make(root_logger)),
        // CPython has these; the simulator does not (yet).
        ("exception", Attr::Unsupported),
        ("log", Attr::Unsupported),
        ("disable", Attr::Unsupported),
        ("shutdown", Attr::Unsupported),
        ("addLevelName", Attr::Unsupported),
        ("getLevelName", Attr::Unsupported),
        ("getLevelNamesMapping", Attr::Unsupported),
        ("captureWarnings", Attr::Unsupported),
        ("setLoggerClass", Attr::Unsupported),
        ("getLoggerClass", Attr::Unsupported),
        ("makeLogRecord", Attr::Unsupported),
        ("Handler", Attr::Unsupported),
        ("StreamHandler", Attr::Unsupported),
        ("FileHandler", Attr::Unsupported),
        ("NullHandler", Attr::Unsupported),
        ("Formatter", Attr::Unsupported),
        ("Filter", Attr::Unsupported),
        ("LogRecord", Attr::Unsupported),
        ("Logger", Attr::Unsupported),
        ("LoggerAdapter", Attr::Unsupported),
        ("NOTSET", Attr::UnsupportedValue),
        ("FATAL", Attr::UnsupportedValue),
        ("WARN", Attr::UnsupportedValue),
        ("BASIC_FORMAT", Attr::UnsupportedValue),
        ("lastResort", Attr::UnsupportedValue),
        ("raiseExceptions", Attr::UnsupportedValue),
    ],
    make: None,
};

/// `logging.root`.
fn root_logger(w: &mut World, t: Tid) -> Result<Value, Raise> {
    let lc = w.proc(w.pid_of(t)).classes.get("Logger");
    let mut d = Dict::default();
    d.set_str("name", Value::str("root"));
    Ok(Value::Obj(w.alloc(
        t,
        Obj::Instance {
            class: lc,
            dict: d,
            native: Native::None,
        },
    )?))
}

fn logging_basic_config(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let pid = w.pid_of(t);
    if w.proc(pid).logging.configured {
        return ret(Value::None);
    }
    let mut cfg = LogConfig {
        configured: true,
        ..LogConfig::default()
    };
    if let Some(l) = a.take_kw("level") {
        cfg.level = match l {
            Value::Int(i) => i,
            Value::Str(s) => level_of(&s),
            _ => 30,
        };
    }
    if let Some(Value::Str(f)) = a.take_kw("format") {
        cfg.format = f.to_string();
    }
    if let Some(s) = a.take_kw("stream") {
        cfg.stream = stream_of(w, t, &s).unwrap_or(Stream::Stderr);
    }
    w.proc_mut(pid).logging = cfg;
    ret(Value::None)
}

fn level_of(s: &str) -> i64 {
    match s {
        "DEBUG" => 10,
        "INFO" => 20,
        "WARNING" => 30,
        "ERROR" => 40,
        "CRITICAL" => 50,
        _ => 30,
    }
}

fn logging_get_logger(w: &mut World, t: Tid, a: Args) -> NResult {
    let name = match a.pos.first() {
        Some(Value::Str(s)) => s.to_string(),
        _ => "root".into(),
    };
    let lc = w.proc(w.pid_of(t)).classes.get("Logger");
    let mut d = Dict::default();
    d.set_str("name", Value::str(name));
    for (k, f) in [
        ("debug", native!("Logger.debug", log_debug)),
        ("info", native!("Logger.info", log_info)),
        ("warning", native!("Logger.warning", log_warning)),
        ("error", native!("Logger.error", log_error)),
        ("critical", native!("Logger.critical", log_critical)),
    ] {
        d.set_str(k, Value::Native(f));
    }
    let id = w.alloc(
        t,
        Obj::Instance {
            class: lc,
            dict: d,
            native: Native::None,
        },
    )?;
    // Bind the methods to this logger so `log.info(...)` knows its name.
    let methods = ["debug", "info", "warning", "error", "critical"];
    for m in methods {
        let f = match w.heap(t).get(id) {
            Obj::Instance { dict, .. } => dict.get_str(m).cloned(),
            _ => None,
        };
        if let Some(Value::Native(def)) = f {
            if let Obj::Instance { dict, .. } = w.heap(t).get_mut(id) {
                dict.set_str(m, Value::BoundNative(Rc::new((Value::Obj(id), def))));
            }
        }
    }
    ret(Value::Obj(id))
}

fn log_at(w: &mut World, t: Tid, mut a: Args, level: i64, levelname: &str) -> NResult {
    // A logger bound as first argument (from getLogger) names the record.
    let mut name = "root".to_string();
    if let Some(Value::Obj(id)) = a.pos.first() {
        if let Obj::Instance { dict, .. } = w.heap(t).get(*id) {
            if let Some(Value::Str(n)) = dict.get_str("name") {
                name = n.to_string();
                a.pos.remove(0);
            }
        }
    }
    let pid = w.pid_of(t);
    if !w.proc(pid).logging.configured {
        // The first module-level call configures the root logger like basicConfig().
        w.proc_mut(pid).logging.configured = true;
    }
    let cfg = w.proc(pid).logging.clone();
    if level < cfg.level {
        return ret(Value::None);
    }
    let msg = match a.pos.first() {
        Some(m) => str_of(w, t, m)?,
        None => String::new(),
    };
    let msg = if a.pos.len() > 1 {
        let args = Value::tuple(a.pos[1..].to_vec());
        match types::binary(w, t, crate::compile::BinOp::Mod, &Value::str(msg.clone()), &args, false)? {
            Value::Str(s) => s.to_string(),
            _ => msg,
        }
    } else {
        msg
    };
    let func = w.threads[t]
        .frames
        .last()
        .map(|f| {
            let c = w.program.code(f.code);
            c.name.to_string()
        })
        .unwrap_or_else(|| "<module>".into());
    let thread_name = w.threads[t].name.clone();
    let secs = EPOCH_S + w.now as f64 / 1e9;
    let asctime = format!(
        "{},{:03}",
        strftime("%Y-%m-%d %H:%M:%S", secs),
        ((secs.fract()) * 1000.0) as i64
    );
    let fields: Vec<(&str, String)> = vec![
        ("levelname", levelname.to_string()),
        ("name", name),
        ("message", msg),
        ("threadName", thread_name),
        ("funcName", func),
        ("asctime", asctime),
        ("thread", w.threads[t].ident.to_string()),
        ("process", pid.to_string()),
        ("processName", w.proc(pid).name.clone()),
        ("levelno", level.to_string()),
        ("lineno", w.current_line(t).to_string()),
        ("relativeCreated", format!("{:.0}", w.now as f64 / 1e6)),
        ("module", "script".into()),
        ("filename", w.script_name.to_string()),
    ];
    let mut out = String::new();
    let f = cfg.format.clone();
    let mut rest = f.as_str();
    while let Some(i) = rest.find("%(") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(j) = after.find(')') else {
            out.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let key = &after[..j];
        let spec_end = after[j + 1..]
            .find(|c: char| c.is_ascii_alphabetic())
            .map(|k| j + 1 + k + 1)
            .unwrap_or(j + 1);
        let spec = &after[j + 1..spec_end];
        let val = fields
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let width: String = spec.chars().filter(|c| c.is_ascii_digit() || *c == '-').collect();
        let formatted = match width.parse::<i64>() {
            Ok(wd) if wd < 0 => format!("{:<width$}", val, width = (-wd) as usize),
            Ok(wd) => format!("{:>width$}", val, width = wd as usize),
            Err(_) => val,
        };
        out.push_str(&formatted);
        rest = &after[spec_end..];
    }
    out.push_str(rest);
    out.push('\n');
    w.write(t, cfg.stream, &out);
    ret(Value::None)
}

fn log_debug(w: &mut World, t: Tid, a: Args) -> NResult {
    log_at(w, t, a, 10, "DEBUG")
}

fn log_info(w: &mut World, t: Tid, a: Args) -> NResult {
    log_at(w, t, a, 20, "INFO")
}

fn log_warning(w: &mut World, t: Tid, a: Args) -> NResult {
    log_at(w, t, a, 30, "WARNING")
}

fn log_error(w: &mut World, t: Tid, a: Args) -> NResult {
    log_at(w, t, a, 40, "ERROR")
}

fn log_critical(w: &mut World, t: Tid, a: Args) -> NResult {
    log_at(w, t, a, 50, "CRITICAL")
}
