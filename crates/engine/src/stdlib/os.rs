//! `os`: process ids, `cpu_count`, `_exit` and `kill` (a signal, see
//! [`crate::stdlib::signal`]), and a few constants.

use super::args::{int_arg, ret};
use super::signal::send_signal;
use super::{Attr, Module};
use crate::stdlib::multiprocessing as process;
use crate::trace::Pid;
use crate::types::native;
use crate::vm::value::*;
use crate::vm::*;

pub static MODULE: Module = Module {
    name: "os",
    attrs: &[
        ("getpid", Attr::Fn(native!("os.getpid", os_getpid))),
        ("getppid", Attr::Fn(native!("os.getppid", os_getppid))),
        ("cpu_count", Attr::Fn(native!("os.cpu_count", os_cpu_count))),
        ("_exit", Attr::Fn(native!("os._exit", os_exit))),
        ("kill", Attr::Fn(native!("os.kill", os_kill))),
        ("getpgid", Attr::Fn(native!("os.getpgid", os_getpgid))),
        ("sep", Attr::Str("/")),
        ("linesep", Attr::Str("\n")),
        ("name", Attr::Str("posix")),
        // CPython has these; the simulator does not (yet).
        ("fork", Attr::Unsupported),
        ("wait", Attr::Unsupported),
        ("waitpid", Attr::Unsupported),
        ("waitstatus_to_exitcode", Attr::Unsupported),
        ("system", Attr::Unsupported),
        ("getenv", Attr::Unsupported),
        ("putenv", Attr::Unsupported),
        ("unsetenv", Attr::Unsupported),
        ("killpg", Attr::Unsupported),
        ("getpgrp", Attr::Unsupported),
        ("setpgrp", Attr::Unsupported),
        ("setsid", Attr::Unsupported),
        ("getuid", Attr::Unsupported),
        ("getgid", Attr::Unsupported),
        ("getcwd", Attr::Unsupported),
        ("chdir", Attr::Unsupported),
        ("listdir", Attr::Unsupported),
        ("mkdir", Attr::Unsupported),
        ("makedirs", Attr::Unsupported),
        ("remove", Attr::Unsupported),
        ("rename", Attr::Unsupported),
        ("stat", Attr::Unsupported),
        ("walk", Attr::Unsupported),
        ("urandom", Attr::Unsupported),
        ("sched_getaffinity", Attr::Unsupported),
        ("sched_yield", Attr::Unsupported),
        ("nice", Attr::Unsupported),
        ("pipe", Attr::Unsupported),
        ("read", Attr::Unsupported),
        ("write", Attr::Unsupported),
        ("close", Attr::Unsupported),
        ("open", Attr::Unsupported),
        ("dup", Attr::Unsupported),
        ("dup2", Attr::Unsupported),
        ("execv", Attr::Unsupported),
        ("execvp", Attr::Unsupported),
        ("times", Attr::Unsupported),
        ("getloadavg", Attr::Unsupported),
        ("process_cpu_count", Attr::Unsupported),
        ("register_at_fork", Attr::Unsupported),
        ("abort", Attr::Unsupported),
        ("strerror", Attr::Unsupported),
        ("get_terminal_size", Attr::Unsupported),
        ("environ", Attr::UnsupportedValue),
        ("devnull", Attr::UnsupportedValue),
        ("pathsep", Attr::UnsupportedValue),
        ("curdir", Attr::UnsupportedValue),
        ("WNOHANG", Attr::UnsupportedValue),
        ("EX_OK", Attr::UnsupportedValue),
    ],
    make: None,
};

fn os_getpid(w: &mut World, t: Tid, _a: Args) -> NResult {
    ret(Value::Int(w.pid_of(t) as i64))
}

fn os_getppid(w: &mut World, t: Tid, _a: Args) -> NResult {
    let pid = w.pid_of(t);
    ret(Value::Int(w.proc(pid).ppid as i64))
}

pub fn os_cpu_count(_w: &mut World, _t: Tid, _a: Args) -> NResult {
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

fn os_getpgid(w: &mut World, _t: Tid, _a: Args) -> NResult {
    ret(Value::Int(w.procs[0].pid as i64))
}

/// `os.kill(pid, sig)`.
pub fn os_kill(w: &mut World, t: Tid, a: Args) -> NResult {
    let (pid, sig) = match (a.pos.first(), a.pos.get(1)) {
        (Some(Value::Int(p)), Some(Value::Int(s))) => (*p, *s),
        _ => return Err(Raise::new(Exc::TypeError, "kill() takes two integer arguments")),
    };
    if !(0..=64).contains(&sig) {
        return Err(Raise::new(Exc::OSError, "[Errno 22] Invalid argument"));
    }
    let known =
        pid >= 1000 && (pid as usize - 1000) < w.procs.len() && w.procs[pid as usize - 1000].phase != Phase::Exited;
    if !known {
        return Err(Raise::new(Exc::ProcessLookupError, "[Errno 3] No such process"));
    }
    if sig == 0 {
        return ret(Value::None);
    }
    let from = w.pid_of(t);
    send_signal(w, Some(from), pid as Pid, sig as i32);
    if w.proc(from).phase == Phase::Exited {
        // The process killed itself.
        return Ok(Flow::Block(Wait {
            on: WaitOn::Forever,
            deadline: None,
            on_timeout: Ok(Value::None),
        }));
    }
    ret(Value::None)
}
