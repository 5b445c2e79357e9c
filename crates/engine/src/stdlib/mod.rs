//! Importable modules: `time`, `random`, `sys`, `atexit`, `logging`, `os`,
//! `math`, `signal`, `threading`, `queue` and `concurrent.futures`.
//!
//! `concurrent.futures` (and a few helpers such as `Condition.wait_for`) are
//! written in Python ([`PRELUDE`]) on top of the native primitives, so their
//! waits are ordinary waits of the threads that make them.

pub mod builtins;
mod library;
pub mod multiprocessing;
pub mod signal;
pub mod threading;

use self::multiprocessing as process;
use self::threading as th;
pub use library::LIBRARY;
use std::rc::Rc;

use crate::pyrandom::PyRandom;
use crate::trace::*;
use crate::types::{self, native, str_of};
use crate::vm::value::*;
use crate::vm::*;

/// Python source of the simulated `concurrent.futures` and helpers.
pub const PRELUDE: &str = include_str!("prelude.py");
/// The file name prelude frames show in tracebacks.
pub const PRELUDE_FILE: &str = "/usr/lib/python3.13/concurrent/futures/thread.py";

fn ret(v: Value) -> NResult {
    Ok(Flow::Return(v))
}

fn module_obj(w: &mut World, t: Tid, name: &str, entries: Vec<(&str, Value)>) -> Result<Value, Raise> {
    let mut d = Dict::default();
    d.set_str("__name__", Value::str(name));
    for (k, v) in entries {
        d.set_str(k, v);
    }
    let dict = w.alloc(t, Obj::Dict(d))?;
    let m = w.alloc(
        t,
        Obj::Module {
            name: Rc::new(name.to_string()),
            dict,
        },
    )?;
    Ok(Value::Obj(m))
}

/// `import name`: the module object (created on first import).
pub fn import(w: &mut World, t: Tid, name: &str) -> Result<Value, Raise> {
    let pid = w.pid_of(t);
    if let Some((_, id)) = w.proc(pid).modules.iter().find(|(n, _)| n == name) {
        return Ok(Value::Obj(*id));
    }
    let cls = |w: &mut World, n: &str| Value::Obj(w.proc(w.pid_of(t)).classes.get(n));
    let m = match name {
        "time" => module_obj(
            w,
            t,
            name,
            vec![
                ("sleep", Value::Native(native!("time.sleep", time_sleep))),
                ("time", Value::Native(native!("time.time", time_time))),
                ("monotonic", Value::Native(native!("time.monotonic", time_monotonic))),
                (
                    "perf_counter",
                    Value::Native(native!("time.perf_counter", time_monotonic)),
                ),
                ("time_ns", Value::Native(native!("time.time_ns", time_time_ns))),
                (
                    "monotonic_ns",
                    Value::Native(native!("time.monotonic_ns", time_monotonic_ns)),
                ),
                (
                    "perf_counter_ns",
                    Value::Native(native!("time.perf_counter_ns", time_monotonic_ns)),
                ),
                (
                    "process_time",
                    Value::Native(native!("time.process_time", time_process_time)),
                ),
                (
                    "thread_time",
                    Value::Native(native!("time.thread_time", time_process_time)),
                ),
                ("strftime", Value::Native(native!("time.strftime", time_strftime))),
            ],
        )?,
        "random" => module_obj(
            w,
            t,
            name,
            vec![
                ("seed", Value::Native(native!("random.seed", random_seed))),
                ("random", Value::Native(native!("random.random", random_random))),
                ("randint", Value::Native(native!("random.randint", random_randint))),
                (
                    "randrange",
                    Value::Native(native!("random.randrange", random_randrange)),
                ),
                ("uniform", Value::Native(native!("random.uniform", random_uniform))),
                ("choice", Value::Native(native!("random.choice", random_choice))),
                ("shuffle", Value::Native(native!("random.shuffle", random_shuffle))),
                (
                    "getrandbits",
                    Value::Native(native!("random.getrandbits", random_getrandbits)),
                ),
            ],
        )?,
        "sys" => {
            let stdout = stream_obj(w, t, "<stdout>")?;
            let stderr = stream_obj(w, t, "<stderr>")?;
            let mut items = vec![Value::Str(w.script_name.clone())];
            items.extend(w.opts.argv.iter().map(|a| Value::str(a.clone())));
            let argv = Value::Obj(w.alloc(t, Obj::List(items))?);
            module_obj(
                w,
                t,
                name,
                vec![
                    ("exit", Value::Native(native!("sys.exit", sys_exit))),
                    ("stdout", stdout),
                    ("stderr", stderr),
                    (
                        "getswitchinterval",
                        Value::Native(native!("sys.getswitchinterval", sys_getswitchinterval)),
                    ),
                    (
                        "setswitchinterval",
                        Value::Native(native!("sys.setswitchinterval", sys_setswitchinterval)),
                    ),
                    (
                        "getrecursionlimit",
                        Value::Native(native!("sys.getrecursionlimit", sys_getrecursionlimit)),
                    ),
                    (
                        "version_info",
                        Value::tuple(vec![
                            Value::Int(3),
                            Value::Int(if w.opts.python == PyVersion::V3_12 { 12 } else { 13 }),
                            Value::Int(0),
                        ]),
                    ),
                    ("platform", Value::str("linux")),
                    ("argv", argv),
                    ("maxsize", Value::Int(i64::MAX)),
                ],
            )?
        }
        "atexit" => module_obj(
            w,
            t,
            name,
            vec![
                ("register", Value::Native(native!("atexit.register", atexit_register))),
                (
                    "unregister",
                    Value::Native(native!("atexit.unregister", atexit_unregister)),
                ),
            ],
        )?,
        "os" => module_obj(
            w,
            t,
            name,
            vec![
                ("getpid", Value::Native(native!("os.getpid", os_getpid))),
                ("getppid", Value::Native(native!("os.getppid", os_getppid))),
                ("cpu_count", Value::Native(native!("os.cpu_count", os_cpu_count))),
                ("_exit", Value::Native(native!("os._exit", os_exit))),
                ("kill", Value::Native(native!("os.kill", signal::os_kill))),
                ("getpgid", Value::Native(native!("os.getpgid", os_getpgid))),
                ("sep", Value::str("/")),
                ("linesep", Value::str("\n")),
                ("name", Value::str("posix")),
            ],
        )?,
        "math" => module_obj(
            w,
            t,
            name,
            vec![
                ("sqrt", Value::Native(native!("math.sqrt", math_sqrt))),
                ("floor", Value::Native(native!("math.floor", math_floor))),
                ("ceil", Value::Native(native!("math.ceil", math_ceil))),
                ("pi", Value::Float(std::f64::consts::PI)),
                ("e", Value::Float(std::f64::consts::E)),
                ("inf", Value::Float(f64::INFINITY)),
            ],
        )?,
        "multiprocessing" => {
            w.now += process::MP_IMPORT_NS;
            let entries = process::module_entries(w, t);
            let m = module_obj(w, t, name, entries)?;
            if let Value::Obj(id) = m {
                let p = w.proc_mut(pid);
                if !p.modules.iter().any(|(n, _)| n == name) {
                    p.modules.push((name.to_string(), id));
                }
            }
            m
        }
        "multiprocessing.pool" => module_obj(
            w,
            t,
            name,
            vec![(
                "Pool",
                Value::Native(native!("multiprocessing.Pool", process::pool::mp_pool)),
            )],
        )?,
        "signal" => module_obj(
            w,
            t,
            name,
            vec![
                ("signal", Value::Native(native!("signal.signal", signal::signal_signal))),
                (
                    "getsignal",
                    Value::Native(native!("signal.getsignal", signal::signal_getsignal)),
                ),
                ("default_int_handler", Value::Native(&signal::DEFAULT_INT_HANDLER)),
                (
                    "raise_signal",
                    Value::Native(native!("signal.raise_signal", signal::raise_signal)),
                ),
                ("alarm", Value::Native(native!("signal.alarm", signal::alarm))),
                (
                    "strsignal",
                    Value::Native(native!("signal.strsignal", signal_strsignal)),
                ),
                ("Signals", Value::Native(native!("signal.Signals", signal_signals))),
                ("SIGHUP", Value::Int(1)),
                ("SIGQUIT", Value::Int(3)),
                ("SIGUSR1", Value::Int(10)),
                ("SIGUSR2", Value::Int(12)),
                ("SIG_DFL", Value::Int(0)),
                ("SIG_IGN", Value::Int(1)),
                ("SIGINT", Value::Int(2)),
                ("SIGKILL", Value::Int(9)),
                ("SIGTERM", Value::Int(15)),
                ("SIGALRM", Value::Int(14)),
            ],
        )?,
        "threading" => {
            let entries = vec![
                ("Thread", cls(w, "Thread")),
                ("Timer", cls(w, "Timer")),
                ("Event", cls(w, "Event")),
                ("Lock", cls(w, "lock")),
                ("RLock", cls(w, "RLock")),
                ("Condition", cls(w, "Condition")),
                ("Semaphore", cls(w, "Semaphore")),
                ("BoundedSemaphore", cls(w, "BoundedSemaphore")),
                ("Barrier", cls(w, "Barrier")),
                ("BrokenBarrierError", cls(w, "BrokenBarrierError")),
                (
                    "current_thread",
                    Value::Native(native!("threading.current_thread", th::current_thread)),
                ),
                (
                    "currentThread",
                    Value::Native(native!("threading.currentThread", th::current_thread)),
                ),
                (
                    "main_thread",
                    Value::Native(native!("threading.main_thread", th::main_thread)),
                ),
                (
                    "enumerate",
                    Value::Native(native!("threading.enumerate", th::enumerate_threads)),
                ),
                (
                    "active_count",
                    Value::Native(native!("threading.active_count", th::active_count)),
                ),
                (
                    "activeCount",
                    Value::Native(native!("threading.activeCount", th::active_count)),
                ),
                (
                    "get_ident",
                    Value::Native(native!("threading.get_ident", th::get_ident)),
                ),
                (
                    "get_native_id",
                    Value::Native(native!("threading.get_native_id", th::get_native_id)),
                ),
                ("TIMEOUT_MAX", Value::Float(9223372036.0)),
                (
                    "excepthook",
                    Value::Native(native!("threading.excepthook", th::default_excepthook)),
                ),
                (
                    "__excepthook__",
                    Value::Native(native!("threading.__excepthook__", th::default_excepthook)),
                ),
            ];
            module_obj(w, t, name, entries)?
        }
        "queue" => {
            let entries = vec![
                ("Queue", cls(w, "Queue")),
                ("LifoQueue", cls(w, "LifoQueue")),
                ("PriorityQueue", cls(w, "PriorityQueue")),
                ("SimpleQueue", cls(w, "SimpleQueue")),
                ("Empty", cls(w, "Empty")),
                ("Full", cls(w, "Full")),
            ];
            module_obj(w, t, name, entries)?
        }
        "logging" => {
            let logger = {
                let lc = w.proc(pid).classes.get("Logger");
                let mut d = Dict::default();
                d.set_str("name", Value::str("root"));
                Value::Obj(w.alloc(
                    t,
                    Obj::Instance {
                        class: lc,
                        dict: d,
                        native: Native::None,
                    },
                )?)
            };
            module_obj(
                w,
                t,
                name,
                vec![
                    (
                        "basicConfig",
                        Value::Native(native!("logging.basicConfig", logging_basic_config)),
                    ),
                    (
                        "getLogger",
                        Value::Native(native!("logging.getLogger", logging_get_logger)),
                    ),
                    ("debug", Value::Native(native!("logging.debug", log_debug))),
                    ("info", Value::Native(native!("logging.info", log_info))),
                    ("warning", Value::Native(native!("logging.warning", log_warning))),
                    ("error", Value::Native(native!("logging.error", log_error))),
                    ("critical", Value::Native(native!("logging.critical", log_critical))),
                    ("DEBUG", Value::Int(10)),
                    ("INFO", Value::Int(20)),
                    ("WARNING", Value::Int(30)),
                    ("ERROR", Value::Int(40)),
                    ("CRITICAL", Value::Int(50)),
                    ("root", logger),
                ],
            )?
        }
        "concurrent" => {
            let futures = import(w, t, "concurrent.futures")?;
            module_obj(w, t, name, vec![("futures", futures)])?
        }
        "concurrent.futures" => prelude_module(w, t)?,
        "concurrent.futures.process" => {
            let futures = import(w, t, "concurrent.futures")?;
            let mut entries = vec![];
            for n in ["ProcessPoolExecutor", "BrokenProcessPool"] {
                entries.push((n, w.getattr(t, &futures, n)?));
            }
            let m = module_obj(w, t, name, entries)?;
            w.setattr(t, &futures, "process", m.clone())?;
            m
        }
        _ => return Err(Raise::New("ModuleNotFoundError", format!("No module named '{name}'"))),
    };
    if let Value::Obj(id) = m {
        let p = w.proc_mut(pid);
        if !p.modules.iter().any(|(n, _)| n == name) {
            p.modules.push((name.to_string(), id));
        }
    }
    Ok(m)
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

/// Runs the Python prelude once per process and returns it as `concurrent.futures`.
fn prelude_module(w: &mut World, t: Tid) -> Result<Value, Raise> {
    let Some(code) = w.program.prelude else {
        return Err(Raise::new(
            "ModuleNotFoundError",
            "No module named 'concurrent.futures'",
        ));
    };
    let mut d = Dict::default();
    d.set_str("__name__", Value::str("concurrent.futures"));
    let classes = w.proc(w.pid_of(t)).classes.clone();
    d.set_str("_CancelledError", Value::Obj(classes.get("CancelledError")));
    d.set_str("_TimeoutError", Value::Obj(classes.get("TimeoutError")));
    d.set_str("_InvalidStateError", Value::Obj(classes.get("InvalidStateError")));
    d.set_str("_MpTimeoutError", Value::Obj(classes.get("mp.TimeoutError")));
    d.set_str("_BrokenExecutor", Value::Obj(classes.get("BrokenExecutor")));
    d.set_str("_BrokenProcessPool", Value::Obj(classes.get("BrokenProcessPool")));
    d.set_str(
        "_get_or_exit",
        Value::Native(native!("_get_or_exit", process::shared::get_or_exit)),
    );
    d.set_str("_now", Value::Native(native!("_now", time_monotonic)));
    d.set_str("_addr", Value::Native(native!("_addr", prelude_addr)));
    d.set_str("_cpu_count", Value::Native(native!("_cpu_count", os_cpu_count)));
    d.set_str(
        "_register_atexit",
        Value::Native(native!("_register_atexit", register_thread_atexit)),
    );
    d.set_str(
        "_child_exit",
        Value::Native(native!("_child_exit", process::lifecycle::child_exit)),
    );
    d.set_str(
        "_report_process_error",
        Value::Native(native!(
            "_report_process_error",
            process::lifecycle::report_process_error
        )),
    );
    d.set_str(
        "_system_exit_code",
        Value::Native(native!(
            "_system_exit_code",
            process::lifecycle::system_exit_code_native
        )),
    );
    d.set_str(
        "_terminate_quietly",
        Value::Native(native!("_terminate_quietly", process::lifecycle::terminate_quietly)),
    );
    d.set_str(
        "_active_children",
        Value::Native(native!("_active_children", process::active_children)),
    );
    d.set_str(
        "_run_main_module",
        Value::Native(native!("_run_main_module", process::lifecycle::run_main_module)),
    );
    d.set_str(
        "_rebuild_process",
        Value::Native(native!("_rebuild_process", process::lifecycle::rebuild_process)),
    );
    let stderr = stream_obj(w, t, "<stderr>")?;
    d.set_str("_stderr", stderr);
    let globals = w.alloc(t, Obj::Dict(d))?;
    let m = w.alloc(
        t,
        Obj::Module {
            name: Rc::new("concurrent.futures".into()),
            dict: globals,
        },
    )?;
    let pid = w.pid_of(t);
    w.proc_mut(pid).modules.push(("concurrent.futures".into(), m));
    let c = w.program.code(code);
    let f = Function {
        code,
        name: c.name.clone(),
        qualname: c.qualname.clone(),
        defaults: vec![],
        kwdefaults: vec![],
        closure: vec![],
        globals,
        owner: None,
    };
    let fid = w.alloc(t, Obj::Function(Box::new(f)))?;
    w.call_sync(t, Value::Obj(fid), Args::default())?;
    Ok(Value::Obj(m))
}

fn prelude_addr(w: &mut World, _t: Tid, a: Args) -> NResult {
    match a.pos.first() {
        Some(Value::Obj(id)) => ret(Value::str(types::addr(w, *id))),
        _ => ret(Value::str("0x0")),
    }
}

/// A function defined in the prelude.
pub fn helper(w: &mut World, t: Tid, name: &str) -> Result<Value, Raise> {
    let m = import(w, t, "concurrent.futures")?;
    w.getattr(t, &m, name)
}

fn stream_obj(w: &mut World, t: Tid, name: &str) -> Result<Value, Raise> {
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
        _ => return Err(Raise::new("TypeError", "write() argument must be str")),
    };
    w.write(t, Stream::Stdout, &s);
    ret(Value::Int(s.chars().count() as i64))
}

fn stderr_write(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = match a.pos.first() {
        Some(Value::Str(s)) => s.to_string(),
        _ => return Err(Raise::new("TypeError", "write() argument must be str")),
    };
    w.write(t, Stream::Stderr, &s);
    ret(Value::Int(s.chars().count() as i64))
}

fn stream_flush(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    ret(Value::None)
}

// ----- time

fn seconds_arg(w: &mut World, t: Tid, v: Option<&Value>, what: &str) -> Result<f64, Raise> {
    match v {
        Some(Value::Int(i)) => Ok(*i as f64),
        Some(Value::Float(f)) => Ok(*f),
        Some(Value::Bool(b)) => Ok(*b as i64 as f64),
        Some(other) => {
            let tn = types::type_name(w, t, other);
            Err(Raise::New(
                "TypeError",
                format!("'{tn}' object cannot be interpreted as an integer or float"),
            ))
        }
        None => Err(Raise::New("TypeError", format!("{what} expected 1 argument, got 0"))),
    }
}

fn time_sleep(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = seconds_arg(w, t, a.pos.first(), "sleep")?;
    if s < 0.0 {
        return Err(Raise::new("ValueError", "sleep length must be non-negative"));
    }
    if s.is_nan() {
        return Err(Raise::new("ValueError", "Invalid value NaN (not a number)"));
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Sleep,
        deadline: Some(w.now + th::ns(s)),
        on_timeout: Ok(Value::None),
    }))
}

/// The simulated wall clock: a fixed epoch plus virtual time.
pub const EPOCH_S: f64 = 1_767_225_600.0;

fn time_time(w: &mut World, _t: Tid, _a: Args) -> NResult {
    ret(Value::Float(EPOCH_S + w.now as f64 / 1e9))
}

fn time_process_time(w: &mut World, t: Tid, _a: Args) -> NResult {
    let pid = w.pid_of(t);
    ret(Value::Float(w.proc(pid).cpu_ns as f64 / 1e9))
}

fn time_time_ns(w: &mut World, _t: Tid, _a: Args) -> NResult {
    ret(Value::Int((EPOCH_S as i64) * 1_000_000_000 + w.now as i64))
}

fn time_monotonic(w: &mut World, _t: Tid, _a: Args) -> NResult {
    ret(Value::Float(1000.0 + w.now as f64 / 1e9))
}

fn time_monotonic_ns(w: &mut World, _t: Tid, _a: Args) -> NResult {
    ret(Value::Int(1_000_000_000_000 + w.now as i64))
}

fn time_strftime(w: &mut World, _t: Tid, a: Args) -> NResult {
    let fmt = match a.pos.first() {
        Some(Value::Str(s)) => s.to_string(),
        _ => String::new(),
    };
    ret(Value::str(strftime(&fmt, EPOCH_S + w.now as f64 / 1e9)))
}

/// A small strftime over UTC for the simulated clock.
fn strftime(fmt: &str, secs: f64) -> String {
    let total = secs as i64;
    let (h, m, s) = ((total / 3600) % 24, (total / 60) % 60, total % 60);
    let days = total / 86400;
    // Civil date from days since 1970-01-01.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if mo <= 2 { 1 } else { 0 };
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&format!("{y:04}")),
            Some('m') => out.push_str(&format!("{mo:02}")),
            Some('d') => out.push_str(&format!("{d:02}")),
            Some('H') => out.push_str(&format!("{h:02}")),
            Some('M') => out.push_str(&format!("{m:02}")),
            Some('S') => out.push_str(&format!("{s:02}")),
            Some('%') => out.push('%'),
            Some(o) => {
                out.push('%');
                out.push(o);
            }
            None => out.push('%'),
        }
    }
    out
}

// ----- random

fn rng(w: &mut World, t: Tid) -> &mut PyRandom {
    let pid = w.pid_of(t);
    &mut w.proc_mut(pid).rng
}

fn random_seed(w: &mut World, t: Tid, a: Args) -> NResult {
    let seed = match a.pos.first() {
        None | Some(Value::None) => w.opts.seed as i128,
        Some(Value::Int(i)) => *i as i128,
        Some(Value::Bool(b)) => *b as i128,
        Some(Value::Float(f)) if f.fract() == 0.0 => *f as i128,
        Some(Value::Str(s)) => {
            // Strings hash through SHA-512 in CPython; the simulator folds them deterministically instead.
            let mut h: i128 = 0;
            for b in s.bytes() {
                h = (h.wrapping_mul(131) + b as i128) & 0x7fff_ffff_ffff_ffff;
            }
            h
        }
        Some(other) => {
            let tn = types::type_name(w, t, other);
            return Err(Raise::New(
                "TypeError",
                format!("The only supported seed types are: None, int, float, str, bytes, and bytearray. (got {tn})"),
            ));
        }
    };
    *rng(w, t) = PyRandom::from_int_seed(seed);
    ret(Value::None)
}

fn random_random(w: &mut World, t: Tid, _a: Args) -> NResult {
    ret(Value::Float(rng(w, t).random()))
}

fn int_arg(w: &mut World, t: Tid, v: Option<&Value>) -> Result<i64, Raise> {
    match v {
        Some(Value::Int(i)) => Ok(*i),
        Some(Value::Bool(b)) => Ok(*b as i64),
        Some(other) => {
            let tn = types::type_name(w, t, other);
            Err(Raise::New(
                "TypeError",
                format!("'{tn}' object cannot be interpreted as an integer"),
            ))
        }
        None => Err(Raise::new("TypeError", "missing required argument")),
    }
}

fn random_randint(w: &mut World, t: Tid, a: Args) -> NResult {
    let lo = int_arg(w, t, a.pos.first())?;
    let hi = int_arg(w, t, a.pos.get(1))?;
    rng(w, t)
        .randint(lo, hi)
        .map(|v| Flow::Return(Value::Int(v)))
        .map_err(|e| Raise::New("ValueError", e))
}

fn random_randrange(w: &mut World, t: Tid, a: Args) -> NResult {
    let (start, stop, step) = match a.pos.len() {
        1 => (0, int_arg(w, t, a.pos.first())?, 1),
        2 => (int_arg(w, t, a.pos.first())?, int_arg(w, t, a.pos.get(1))?, 1),
        _ => (
            int_arg(w, t, a.pos.first())?,
            int_arg(w, t, a.pos.get(1))?,
            int_arg(w, t, a.pos.get(2))?,
        ),
    };
    rng(w, t)
        .randrange(start, stop, step)
        .map(|v| Flow::Return(Value::Int(v)))
        .map_err(|e| Raise::New("ValueError", e))
}

fn random_uniform(w: &mut World, t: Tid, a: Args) -> NResult {
    let lo = seconds_arg(w, t, a.pos.first(), "uniform")?;
    let hi = seconds_arg(w, t, a.pos.get(1), "uniform")?;
    ret(Value::Float(rng(w, t).uniform(lo, hi)))
}

fn random_getrandbits(w: &mut World, t: Tid, a: Args) -> NResult {
    let k = int_arg(w, t, a.pos.first())?;
    if !(0..=63).contains(&k) {
        return Err(Raise::new(
            "ValueError",
            "the simulator supports getrandbits(k) for 0 <= k <= 63",
        ));
    }
    if k == 0 {
        return ret(Value::Int(0));
    }
    ret(Value::Int(rng(w, t).getrandbits(k as u32) as i64))
}

fn random_choice(w: &mut World, t: Tid, a: Args) -> NResult {
    let items = types::collect_iter(w, t, a.pos.first().unwrap_or(&Value::None))?;
    let i = rng(w, t)
        .choice_index(items.len())
        .map_err(|e| Raise::New("IndexError", e))?;
    ret(items[i].clone())
}

fn random_shuffle(w: &mut World, t: Tid, a: Args) -> NResult {
    let Some(Value::Obj(id)) = a.pos.first() else {
        return Err(Raise::new("TypeError", "shuffle() argument must be a list"));
    };
    let mut items = match w.heap(t).get(*id) {
        Obj::List(l) => l.clone(),
        _ => return Err(Raise::new("TypeError", "shuffle() argument must be a list")),
    };
    rng(w, t).shuffle(&mut items);
    *w.heap(t).get_mut(*id) = Obj::List(items);
    ret(Value::None)
}

// ----- sys, atexit, os, math, signal

fn sys_exit(w: &mut World, t: Tid, a: Args) -> NResult {
    let c = w.proc(w.pid_of(t)).classes.get("SystemExit");
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
        return Err(Raise::new("ValueError", "switch interval must be strictly positive"));
    }
    let pid = w.pid_of(t);
    w.proc_mut(pid).switch_interval = th::ns(s).max(1_000);
    ret(Value::None)
}

fn sys_getrecursionlimit(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    ret(Value::Int(RECURSION_LIMIT as i64))
}

fn atexit_register(w: &mut World, t: Tid, a: Args) -> NResult {
    let Some(f) = a.pos.first().cloned() else {
        return Err(Raise::new(
            "TypeError",
            "register() takes at least 1 argument (0 given)",
        ));
    };
    let args = Args {
        pos: a.pos[1..].to_vec(),
        kw: a.kw,
    };
    let pid = w.pid_of(t);
    w.proc_mut(pid).atexit.push((f.clone(), args));
    ret(f)
}

fn atexit_unregister(w: &mut World, t: Tid, a: Args) -> NResult {
    let f = a.pos.first().cloned().unwrap_or(Value::None);
    let pid = w.pid_of(t);
    let handlers = std::mem::take(&mut w.proc_mut(pid).atexit);
    let mut kept = Vec::new();
    for (h, args) in handlers {
        if !types::values_eq(w, t, &h, &f)? {
            kept.push((h, args));
        }
    }
    w.proc_mut(pid).atexit = kept;
    ret(Value::None)
}

fn os_getpid(w: &mut World, t: Tid, _a: Args) -> NResult {
    ret(Value::Int(w.pid_of(t) as i64))
}

fn os_getppid(w: &mut World, t: Tid, _a: Args) -> NResult {
    let pid = w.pid_of(t);
    ret(Value::Int(w.proc(pid).ppid as i64))
}

fn os_cpu_count(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    ret(Value::Int(2))
}

/// `os._exit(n)`: the process ends at once: no `finally`, no atexit, children orphaned.
fn os_exit(w: &mut World, t: Tid, a: Args) -> NResult {
    let code = int_arg(w, t, a.pos.first())? as i32;
    let pid = w.pid_of(t);
    // Output already written stays; the exit is immediate.
    let main = w.proc(pid).main;
    w.flush_process(pid, main);
    process::end_process(w, pid, code);
    Ok(Flow::Block(Wait {
        on: WaitOn::Forever,
        deadline: None,
        on_timeout: Ok(Value::None),
    }))
}

fn math_sqrt(w: &mut World, t: Tid, a: Args) -> NResult {
    let x = seconds_arg(w, t, a.pos.first(), "sqrt")?;
    if x < 0.0 {
        return Err(Raise::new("ValueError", "math domain error"));
    }
    ret(Value::Float(x.sqrt()))
}

fn math_floor(w: &mut World, t: Tid, a: Args) -> NResult {
    let x = seconds_arg(w, t, a.pos.first(), "floor")?;
    ret(Value::Int(x.floor() as i64))
}

fn math_ceil(w: &mut World, t: Tid, a: Args) -> NResult {
    let x = seconds_arg(w, t, a.pos.first(), "ceil")?;
    ret(Value::Int(x.ceil() as i64))
}

fn signal_strsignal(w: &mut World, t: Tid, a: Args) -> NResult {
    let n = int_arg(w, t, a.pos.first())?;
    ret(Value::str(match n {
        2 => "Interrupt",
        9 => "Killed",
        15 => "Terminated",
        14 => "Alarm clock",
        1 => "Hangup",
        _ => "Unknown signal",
    }))
}

/// `signal.Signals(n)`: the simulator's signals are plain ints (with `.name`).
fn signal_signals(w: &mut World, t: Tid, a: Args) -> NResult {
    let n = int_arg(w, t, a.pos.first())?;
    if !matches!(n, 1 | 2 | 3 | 9 | 10 | 12 | 14 | 15) {
        return Err(Raise::New("ValueError", format!("{n} is not a valid Signals")));
    }
    ret(Value::Int(n))
}

fn os_getpgid(w: &mut World, _t: Tid, _a: Args) -> NResult {
    ret(Value::Int(w.procs[0].pid as i64))
}

// ----- logging

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

/// `threading._register_atexit`: called when interpreter shutdown begins.
pub fn register_thread_atexit(w: &mut World, t: Tid, a: Args) -> NResult {
    let f = a.pos.first().cloned().unwrap_or(Value::None);
    let pid = w.pid_of(t);
    w.proc_mut(pid).thread_atexit.push(f);
    ret(Value::None)
}
