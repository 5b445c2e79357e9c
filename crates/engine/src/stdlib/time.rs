//! `time`: clocks that read the virtual time (the wall clock from a fixed
//! epoch), `sleep` (a wait with a deadline), `strftime` over UTC.

use super::args::{ret, seconds_arg};
use super::{Attr, Module};
use crate::stdlib::threading::ns;
use crate::types::native;
use crate::vm::value::*;
use crate::vm::*;

pub static MODULE: Module = Module {
    name: "time",
    attrs: &[
        ("sleep", Attr::Fn(native!("time.sleep", time_sleep))),
        ("time", Attr::Fn(native!("time.time", time_time))),
        ("monotonic", Attr::Fn(native!("time.monotonic", time_monotonic))),
        ("perf_counter", Attr::Fn(native!("time.perf_counter", time_monotonic))),
        ("time_ns", Attr::Fn(native!("time.time_ns", time_time_ns))),
        (
            "monotonic_ns",
            Attr::Fn(native!("time.monotonic_ns", time_monotonic_ns)),
        ),
        (
            "perf_counter_ns",
            Attr::Fn(native!("time.perf_counter_ns", time_monotonic_ns)),
        ),
        (
            "process_time",
            Attr::Fn(native!("time.process_time", time_process_time)),
        ),
        ("thread_time", Attr::Fn(native!("time.thread_time", time_process_time))),
        ("strftime", Attr::Fn(native!("time.strftime", time_strftime))),
        // CPython has these; the simulator does not (yet).
        ("asctime", Attr::Unsupported),
        ("ctime", Attr::Unsupported),
        ("get_clock_info", Attr::Unsupported),
        ("gmtime", Attr::Unsupported),
        ("localtime", Attr::Unsupported),
        ("mktime", Attr::Unsupported),
        ("strptime", Attr::Unsupported),
        ("struct_time", Attr::Unsupported),
        ("process_time_ns", Attr::Unsupported),
        ("thread_time_ns", Attr::Unsupported),
        ("clock_gettime", Attr::Unsupported),
        ("clock_gettime_ns", Attr::Unsupported),
        ("clock_getres", Attr::Unsupported),
        ("tzset", Attr::Unsupported),
        ("timezone", Attr::UnsupportedValue),
        ("altzone", Attr::UnsupportedValue),
        ("daylight", Attr::UnsupportedValue),
        ("tzname", Attr::UnsupportedValue),
    ],
    make: None,
};

fn time_sleep(w: &mut World, t: Tid, a: Args) -> NResult {
    let s = seconds_arg(w, t, a.pos.first(), "sleep")?;
    if s < 0.0 {
        return Err(Raise::new(Exc::ValueError, "sleep length must be non-negative"));
    }
    if s.is_nan() {
        return Err(Raise::new(Exc::ValueError, "Invalid value NaN (not a number)"));
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Sleep,
        deadline: Some(w.now + ns(s)),
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

pub fn time_monotonic(w: &mut World, _t: Tid, _a: Args) -> NResult {
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
pub fn strftime(fmt: &str, secs: f64) -> String {
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
