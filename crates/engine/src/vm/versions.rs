//! What differs between the modelled CPython versions, declared once per version
//! (measured on real interpreters; see the recordings beside the scenarios).

use crate::trace::{Nanos, PyVersion};

/// One CPython version's behaviour where the versions differ.
#[derive(Debug)]
pub struct Facts {
    /// `threading.py` lines of `_bootstrap_inner` and `run` in a thread's traceback.
    pub thread_frames: (u32, u32),
    /// `multiprocessing/process.py`'s line of `_bootstrap` in a child's traceback.
    pub process_frame_line: u32,
    /// A Ctrl-C while shutdown waits for non-daemon threads: the line printed
    /// before the traceback (`{lib}` is `threading.py`'s path), if any.
    pub shutdown_header: Option<&'static str>,
    /// That traceback's `threading.py` frame: its line, and the source line shown.
    pub shutdown_frame: (u32, &'static str),
    /// An exception reported as "ignored" (at shutdown, in an atexit callback)
    /// ends in `: ` when its message is empty (`KeyboardInterrupt: `).
    pub unraisable_empty_colon: bool,
    /// An exception ignored in an atexit callback: its traceback is written
    /// noticeably after the `Exception ignored in atexit callback` line.
    pub unraisable_traceback_late: bool,
    /// An interrupted `Thread.join()` marks the thread stopped (cpython #90882, fixed in 3.13).
    pub join_interrupt_abandons: bool,
    /// A forked child runs the atexit handlers it registers itself.
    pub child_runs_atexit: bool,
    /// `Exception ignored in atexit callback <f>:` (3.12: `callback: <f>`).
    pub atexit_colon_after: bool,
    /// A KeyboardInterrupt's traceback takes noticeably long to format in the main process.
    pub slow_interrupt_traceback: bool,
    /// `multiprocessing`'s default start method on Linux.
    pub default_start_method: &'static str,
    /// `multiprocessing.get_all_start_methods()`.
    pub start_methods: [&'static str; 3],
    /// From the first `start()` under `forkserver` until the server serves
    /// (a fresh interpreter starts; its import of the script comes on top).
    pub forkserver_boot_ns: Nanos,
    /// The fork server carries on when its import of the script fails (its
    /// children then import the script again themselves); before 3.15 it exits.
    pub forkserver_survives_import_error: bool,
    /// A broken process pool's error is chained from a `_RemoteTraceback`
    /// naming the worker that died and its exit code.
    pub broken_pool_names_worker: bool,
}

const V3_12: Facts = Facts {
    thread_frames: (1073, 1010),
    process_frame_line: 314,
    shutdown_header: Some("Exception ignored in: <module 'threading' from '{lib}'>"),
    shutdown_frame: (1590, "lock.acquire()"),
    unraisable_empty_colon: true,
    unraisable_traceback_late: false,
    join_interrupt_abandons: true,
    child_runs_atexit: false,
    atexit_colon_after: false,
    slow_interrupt_traceback: false,
    default_start_method: "fork",
    start_methods: ["fork", "spawn", "forkserver"],
    forkserver_boot_ns: 160_000_000,
    forkserver_survives_import_error: false,
    broken_pool_names_worker: false,
};

const V3_13: Facts = Facts {
    thread_frames: (1041, 992),
    shutdown_header: None,
    shutdown_frame: (1540, "_thread_shutdown()"),
    join_interrupt_abandons: false,
    child_runs_atexit: true,
    atexit_colon_after: true,
    slow_interrupt_traceback: true,
    ..V3_12
};

const V3_14: Facts = Facts {
    thread_frames: (1083, 1025),
    process_frame_line: 320,
    shutdown_header: Some("Exception ignored while joining a thread in _thread._shutdown():"),
    shutdown_frame: (1584, "_thread_shutdown()"),
    default_start_method: "forkserver",
    start_methods: ["forkserver", "fork", "spawn"],
    forkserver_boot_ns: 110_000_000,
    ..V3_13
};

/// 3.15's fork server starts no faster than 3.14's in the recordings.
const V3_15: Facts = Facts {
    thread_frames: (1219, 1161),
    shutdown_header: Some("Exception ignored on threading shutdown:"),
    shutdown_frame: (1721, "_thread_shutdown()"),
    unraisable_empty_colon: false,
    unraisable_traceback_late: true,
    forkserver_survives_import_error: true,
    broken_pool_names_worker: true,
    ..V3_14
};

/// Methods new in a version: (`Class.method`, the first version that has it).
const NEW_IN: &[(&str, PyVersion)] = &[
    ("Process.interrupt", PyVersion::V3_14),
    ("ProcessPoolExecutor.terminate_workers", PyVersion::V3_14),
    ("ProcessPoolExecutor.kill_workers", PyVersion::V3_14),
];

/// Whether version `v` has `Class.method`; when it does not, the error that
/// looking it up raises: `'Process' object has no attribute 'interrupt'`.
pub fn require(v: PyVersion, qualname: &str) -> Result<(), String> {
    match NEW_IN.iter().find(|(n, _)| *n == qualname) {
        Some((_, since)) if v < *since => {
            let (class, method) = qualname.split_once('.').unwrap_or(("object", qualname));
            Err(format!("'{class}' object has no attribute '{method}'"))
        }
        _ => Ok(()),
    }
}

/// The facts of version `v`.
pub fn facts(v: PyVersion) -> &'static Facts {
    match v {
        PyVersion::V3_12 => &V3_12,
        PyVersion::V3_13 => &V3_13,
        PyVersion::V3_14 => &V3_14,
        PyVersion::V3_15 => &V3_15,
    }
}
