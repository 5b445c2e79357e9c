//! The state of the objects the machine schedules around: threads,
//! processes, synchronization primitives, objects shared between processes,
//! signal dispositions, and the per-process library state the World keeps.
//! Plain data: the Python-facing behaviour lives in `stdlib/`.

use std::collections::VecDeque;
use std::rc::Rc;

use super::value::*;
use super::{Exc, Tid};
use crate::trace::{Pid, Stream};

/// The builtin classes of a process, by name.
#[derive(Clone, Debug, Default)]
pub struct Classes {
    pub by_name: Vec<(&'static str, ObjId)>,
}

impl Classes {
    pub fn get(&self, name: &str) -> ObjId {
        self.by_name
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, id)| *id)
            .unwrap_or_else(|| self.by_name[0].1)
    }
    /// A builtin exception class: they follow `object`, in [`Exc::ALL`]'s order.
    pub fn exc(&self, e: Exc) -> ObjId {
        self.by_name[1 + e as usize].1
    }
}

/// State of a `threading.Thread` object.
#[derive(Clone, Debug)]
pub struct ThreadObj {
    pub target: Value,
    pub args: Value,
    pub kwargs: Value,
    pub name: String,
    pub daemon: bool,
    pub started: bool,
    pub tid: Option<Tid>,
    /// `threading.Timer`: delay before calling the target.
    pub timer: Option<f64>,
    pub cancelled: Option<ObjId>,
}

/// State of a synchronization object.
#[derive(Clone, Debug)]
pub enum Prim {
    Event {
        flag: bool,
    },
    Lock {
        owner: Option<Tid>,
        count: u32,
        reentrant: bool,
    },
    Cond {
        lock: ObjId,
    },
    Sem {
        value: i64,
        bound: Option<i64>,
    },
    Barrier {
        parties: i64,
        count: i64,
        generation: u64,
        broken: bool,
        timeout: Option<f64>,
        action: Option<Value>,
    },
    Queue {
        items: VecDeque<Value>,
        maxsize: i64,
        unfinished: i64,
        kind: QueueKind,
    },
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum QueueKind {
    Fifo,
    Lifo,
    Priority,
}

/// What a thread blocked on an object waits for.
#[derive(Clone, Debug)]
pub enum ObjWait {
    Acquire,
    /// Re-acquire a condition's lock (restoring an RLock's count) and return `result`.
    Reacquire {
        count: u32,
        result: bool,
    },
    EventWait,
    CondNotify {
        lock: ObjId,
        count: u32,
    },
    SemAcquire,
    BarrierWait {
        generation: u64,
        index: i64,
    },
    QueueGet,
    QueuePut(Value),
    QueueJoin,
}

/// `multiprocessing` state of one process.
#[derive(Clone, Debug, Default)]
pub struct MpState {
    /// Started by `multiprocessing` (its exit skips user atexit handlers).
    pub is_child: bool,
    /// `set_start_method`: None means the version's default (fork, from 3.14 forkserver).
    pub start_method: Option<&'static str>,
    /// `_identity`: (1,) for Process-1, (1, 2) for its child Process-1:2.
    pub identity: Vec<u32>,
    pub counter: u32,
    /// Children started by this process (reaped ones included).
    pub children: Vec<Pid>,
    /// multiprocessing's atexit handler is registered at the first `start()`.
    pub registered_exit: bool,
    pub daemon: bool,
    /// The `Process` object describing this process (in its own heap).
    pub process_obj: Option<ObjId>,
    /// Re-running the main module under spawn: starting a process is an error.
    pub bootstrapping: bool,
    /// The parent has collected the exit status.
    pub reaped: bool,
    /// What a spawned child must rebuild: target name, args.
    pub spawn_payload: Option<Portable>,
    /// The name `current_process().name` shows.
    pub name: String,
    /// `multiprocessing.queues` has been imported (its first import takes time).
    pub queue_imported: bool,
    /// The resource tracker and fork server this process started (`forkserver`).
    pub helpers: Option<(Pid, Pid)>,
    /// This process is one of those helpers.
    pub service: Option<Service>,
    /// Forked by a fork server whose import of the script failed: the child
    /// imports it itself first.
    pub reimport: bool,
}

/// A helper process that `multiprocessing` starts for the `forkserver` start method.
#[derive(Clone, Debug)]
pub struct Service {
    pub kind: ServiceKind,
    /// The process that started it.
    pub owner: Pid,
    /// Children to fork (the fork server), oldest first.
    pub requests: VecDeque<ForkRequest>,
    /// The fork server's import of the script failed, and it carried on.
    pub import_failed: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceKind {
    ForkServer,
    ResourceTracker,
}

impl ServiceKind {
    /// The name its process has, and that waits in it are described with.
    pub fn name(self) -> &'static str {
        match self {
            ServiceKind::ForkServer => "fork server",
            ServiceKind::ResourceTracker => "resource tracker",
        }
    }

    /// Its process's name (as `ps` would show its module).
    pub fn process_name(self) -> &'static str {
        match self {
            ServiceKind::ForkServer => "forkserver",
            ServiceKind::ResourceTracker => "resource_tracker",
        }
    }

    /// Signals it ignores: both ignore SIGINT; the tracker ignores SIGTERM too.
    pub fn ignores(self, signum: i32) -> bool {
        signum == 2 || (signum == 15 && self == ServiceKind::ResourceTracker)
    }
}

/// A `Process.start()` that the fork server must serve.
#[derive(Clone, Debug)]
pub struct ForkRequest {
    /// The thread blocked in `start()`.
    pub requester: Tid,
    /// The `Process` object (in the requester's heap).
    pub obj: ObjId,
    /// What the child rebuilds its `Process` from (as pickled).
    pub payload: Portable,
    pub name: String,
    pub daemon: bool,
    pub identity: Vec<u32>,
}

/// A signal disposition.
#[derive(Clone, Debug)]
pub enum Handler {
    /// `SIG_DFL`.
    Default,
    /// `SIG_IGN`.
    Ignore,
    /// A Python callable.
    Python(Value),
}

/// State of a `multiprocessing.Process` object.
#[derive(Clone, Debug)]
pub struct ProcObj {
    pub target: Value,
    pub args: Value,
    pub kwargs: Value,
    pub name: String,
    pub daemon: bool,
    pub pid: Option<Pid>,
    pub closed: bool,
    pub identity: Vec<u32>,
}

/// An object shared by processes.
#[derive(Clone, Debug)]
pub enum Shared {
    Event {
        flag: bool,
    },
    Lock {
        owner: Option<Tid>,
        count: u32,
        reentrant: bool,
    },
    Queue {
        items: VecDeque<(Portable, usize, Pid)>,
    },
    Value {
        value: Portable,
    },
}

/// What a thread waits for on a shared object.
#[derive(Clone, Debug)]
pub enum SharedWait {
    EventWait,
    Acquire,
    QueueGet,
    /// A queue's next item, or the end of any of these processes, whichever comes
    /// first (a wait on a result pipe and the workers' sentinels together).
    QueueGetOrExit(Vec<Pid>),
    /// A process at exit waits until its queued data fits in the pipe.
    Flush(Pid),
}

/// A value as it crosses a process boundary (pickled and unpickled).
#[derive(Clone, Debug)]
pub enum Portable {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<String>),
    Tuple(Vec<Portable>),
    List(Vec<Portable>),
    Dict(Vec<(Portable, Portable)>),
    Set(Vec<Portable>),
    /// A module-level function or class, by name.
    Global(String),
    /// A function of the simulator's own library (e.g. a pool's worker loop), by name.
    Helper(String),
    /// An exception: class name and args.
    Exception(String, Vec<Portable>),
    /// A shared multiprocessing object.
    SharedRef(usize, &'static str),
}

/// `logging.basicConfig` settings.
#[derive(Clone, Debug)]
pub struct LogConfig {
    pub level: i64,
    pub format: String,
    pub stream: Stream,
    pub configured: bool,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            level: 30,
            format: "%(levelname)s:%(name)s:%(message)s".into(),
            stream: Stream::Stderr,
            configured: false,
        }
    }
}
