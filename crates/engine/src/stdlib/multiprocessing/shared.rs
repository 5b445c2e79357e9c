//! Objects shared between processes: `multiprocessing.Event`, `Lock`, `RLock`,
//! `Queue` and `Value` live in [`World::shared`]; each process holds an
//! instance naming its index. Waits on them are [`SharedWait`]s, offered to
//! the waiters of every process by [`notify_shared`]. A queue's items are
//! copies ([`Portable`]); a writer cannot exit while its data does not fit
//! in the pipe.

use std::collections::VecDeque;
use std::rc::Rc;

use super::portable::{from_portable, to_portable};
use super::process::proc_obj;
use super::{ret, PIPE_CAPACITY, QUEUE_IMPORT_NS};
use crate::stdlib::lookup;
use crate::trace::*;
use crate::types::{self, native};
use crate::vm::value::*;
use crate::vm::*;

pub(super) static EVENT_METHODS: &[&NativeDef] = &[
    native!("Event.set", sh_event_set),
    native!("Event.clear", sh_event_clear),
    native!("Event.is_set", sh_event_is_set),
    native!("Event.wait", sh_event_wait),
];

pub(super) static LOCK_METHODS: &[&NativeDef] = &[
    native!("Lock.acquire", sh_lock_acquire),
    native!("Lock.release", sh_lock_release),
    native!("Lock.__enter__", sh_lock_acquire),
    native!("Lock.__exit__", sh_lock_exit),
];

pub(super) static QUEUE_METHODS: &[&NativeDef] = &[
    native!("Queue.put", sh_queue_put),
    native!("Queue.get", sh_queue_get),
    native!("Queue.put_nowait", sh_queue_put),
    native!("Queue.get_nowait", sh_queue_get_nowait),
    native!("Queue.empty", sh_queue_empty),
    native!("Queue.qsize", sh_queue_qsize),
    native!("Queue.close", sh_noop),
    native!("Queue.join_thread", sh_noop),
    native!("Queue.cancel_join_thread", sh_noop),
];

fn new_shared(w: &mut World, t: Tid, class: &str, s: Shared) -> NResult {
    w.shared.push(s);
    let sid = w.shared.len() - 1;
    let cls = w.proc(w.pid_of(t)).classes.get(class);
    ret(Value::Obj(w.alloc(
        t,
        Obj::Instance {
            class: cls,
            dict: Dict::default(),
            native: Native::Shared(sid),
        },
    )?))
}

pub(super) fn new_event(w: &mut World, t: Tid, _a: Args) -> NResult {
    new_shared(w, t, "mp.Event", Shared::Event { flag: false })
}

pub(super) fn new_lock(w: &mut World, t: Tid, _a: Args) -> NResult {
    new_shared(
        w,
        t,
        "mp.Lock",
        Shared::Lock {
            owner: None,
            count: 0,
            reentrant: false,
        },
    )
}

pub(super) fn new_rlock(w: &mut World, t: Tid, _a: Args) -> NResult {
    new_shared(
        w,
        t,
        "mp.Lock",
        Shared::Lock {
            owner: None,
            count: 0,
            reentrant: true,
        },
    )
}

pub(super) fn new_queue(w: &mut World, t: Tid, _a: Args) -> NResult {
    let pid = w.pid_of(t);
    if !w.proc(pid).mp.queue_imported {
        w.proc_mut(pid).mp.queue_imported = true;
        w.now += QUEUE_IMPORT_NS;
    }
    new_shared(w, t, "mp.Queue", Shared::Queue { items: VecDeque::new() })
}

pub(super) fn new_value(w: &mut World, t: Tid, a: Args) -> NResult {
    let v = a.pos.get(1).cloned().unwrap_or(Value::Int(0));
    let p = to_portable(w, t, &v)?;
    let r = new_shared(w, t, "mp.Value", Shared::Value { value: p })?;
    if let Flow::Return(Value::Obj(id)) = &r {
        let lock = new_rlock(w, t, Args::default())?;
        if let (Flow::Return(l), Obj::Instance { .. }) = (lock, w.heap(t).get(*id)) {
            if let Obj::Instance { dict, .. } = w.heap(t).get_mut(*id) {
                dict.set_str("_lock", l);
            }
        }
    }
    Ok(r)
}

pub(super) fn shared_id(w: &mut World, t: Tid, a: &Args) -> Result<usize, Raise> {
    match a.pos.first() {
        Some(Value::Obj(id)) => match w.heap(t).get(*id) {
            Obj::Instance {
                native: Native::Shared(s),
                ..
            } => Ok(*s),
            _ => Err(Raise::new(Exc::TypeError, "not a multiprocessing object")),
        },
        _ => Err(Raise::new(Exc::TypeError, "not a multiprocessing object")),
    }
}

/// Reads an attribute of a shared object (by its index in [`World::shared`]).
type SharedGetter = fn(&mut World, Tid, usize) -> Result<Option<Value>, Raise>;

/// The attributes a shared object's payload answers: `Value.value`.
pub static SHARED_ATTRS: &[(&str, SharedGetter)] = &[("value", |w, t, sid| match w.shared[sid].clone() {
    Shared::Value { value } => from_portable(w, t, &value).map(Some),
    _ => Ok(None),
})];

/// Attribute `name` of a shared object, when its payload answers it.
pub fn shared_getattr(w: &mut World, t: Tid, sid: usize, name: &str) -> Result<Option<Value>, Raise> {
    match lookup(SHARED_ATTRS, name) {
        Some(get) => get(w, t, sid),
        None => Ok(None),
    }
}

/// `Value.value = v`.
pub fn shared_setattr(w: &mut World, t: Tid, id: ObjId, name: &str, v: &Value) -> Result<bool, Raise> {
    let sid = match w.heap(t).get(id) {
        Obj::Instance {
            native: Native::Shared(s),
            ..
        } => *s,
        _ => return Ok(false),
    };
    if name == "value" && matches!(w.shared[sid], Shared::Value { .. }) {
        let p = to_portable(w, t, v)?;
        w.shared[sid] = Shared::Value { value: p };
        return Ok(true);
    }
    Ok(false)
}

/// Offers shared object `sid` to its waiters in every process.
pub fn notify_shared(w: &mut World, sid: usize) {
    let mut waiters: Vec<(u64, Tid)> = w
        .threads
        .iter()
        .enumerate()
        .filter(|(_, th)| {
            th.run == Run::Blocked && matches!(&th.wait, Some(Wait { on: WaitOn::Shared(s, _), .. }) if *s == sid)
        })
        .map(|(i, th)| (th.wait_seq, i))
        .collect();
    waiters.sort();
    for (_, wt) in waiters {
        offer_shared(w, wt, sid);
    }
}

/// Offers shared object `sid` to thread `wt`, of any process, that waits on
/// it: when it gets what it waits for it wakes, its process's clock brought
/// up to now.
pub fn offer_shared(w: &mut World, wt: Tid, sid: usize) {
    let op = match &w.threads[wt].wait {
        Some(Wait {
            on: WaitOn::Shared(_, op),
            ..
        }) => op.clone(),
        _ => return,
    };
    if let Some(v) = try_shared(w, wt, sid, &op) {
        let now = w.now;
        let pid = w.threads[wt].pid;
        w.wake(wt, v);
        let p = w.proc_mut(pid);
        p.clock = p.clock.max(now);
    }
}

/// Can a thread waiting on shared object `sid` proceed? Performs the acquisition if so.
pub fn try_shared(w: &mut World, t: Tid, sid: usize, op: &SharedWait) -> Option<Result<Value, Raise>> {
    match (op, &mut w.shared[sid]) {
        (SharedWait::EventWait, Shared::Event { flag: true }) => Some(Ok(Value::Bool(true))),
        (SharedWait::Acquire, Shared::Lock { owner, count, .. }) if owner.is_none() => {
            *owner = Some(t);
            *count = 1;
            Some(Ok(Value::Bool(true)))
        }
        (SharedWait::QueueGet, Shared::Queue { items }) if !items.is_empty() => {
            let (p, _, _) = items.pop_front()?;
            let v = from_portable(w, t, &p);
            notify_shared_later(w, sid);
            Some(v)
        }
        (SharedWait::QueueGetOrExit(pids), Shared::Queue { items }) => {
            if let Some((p, _, _)) = items.pop_front() {
                let v = from_portable(w, t, &p);
                notify_shared_later(w, sid);
                return Some(v.map(|v| Value::Tuple(Rc::new(vec![Value::Bool(true), v]))));
            }
            let pids = pids.clone();
            pids.iter()
                .any(|p| w.proc(*p).phase == Phase::Exited)
                .then(|| Ok(Value::Tuple(Rc::new(vec![Value::Bool(false), Value::None]))))
        }
        (SharedWait::Flush(pid), Shared::Queue { items }) => {
            if queued_bytes_fit(items, *pid) {
                Some(Ok(Value::None))
            } else {
                None
            }
        }
        _ => None,
    }
}

fn notify_shared_later(w: &mut World, sid: usize) {
    // A get frees pipe space: exiting writers may now finish.
    let exiting: Vec<Tid> = w
        .threads
        .iter()
        .enumerate()
        .filter(|(_, th)| {
            th.run == Run::Blocked
                && matches!(&th.wait, Some(Wait { on: WaitOn::Shared(s, SharedWait::Flush(_)), .. }) if *s == sid)
        })
        .map(|(i, _)| i)
        .collect();
    for wt in exiting {
        if let Some(Wait {
            on: WaitOn::Shared(_, SharedWait::Flush(pid)),
            ..
        }) = w.threads[wt].wait.clone()
        {
            if let Shared::Queue { items } = &w.shared[sid] {
                if queued_bytes_fit(items, pid) {
                    w.wake(wt, Ok(Value::None));
                }
            }
        }
    }
}

/// All of `pid`'s queued items fit in the pipe (with what is queued before them).
fn queued_bytes_fit(items: &VecDeque<(Portable, usize, Pid)>, pid: Pid) -> bool {
    let mut total = 0;
    let mut last_mine = 0;
    for (_, size, writer) in items {
        total += size;
        if *writer == pid {
            last_mine = total;
        }
    }
    last_mine <= PIPE_CAPACITY
}

/// At exit: a shared queue this process wrote to and whose data does not fit in the pipe.
pub fn unflushed_queue(w: &World, pid: Pid) -> Option<usize> {
    w.shared.iter().enumerate().find_map(|(i, s)| match s {
        Shared::Queue { items } if items.iter().any(|(_, _, p)| *p == pid) && !queued_bytes_fit(items, pid) => Some(i),
        _ => None,
    })
}

fn sh_event_set(w: &mut World, t: Tid, a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    if let Shared::Event { flag } = &mut w.shared[sid] {
        *flag = true;
    }
    notify_shared(w, sid);
    ret(Value::None)
}

fn sh_event_clear(w: &mut World, t: Tid, a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    if let Shared::Event { flag } = &mut w.shared[sid] {
        *flag = false;
    }
    ret(Value::None)
}

fn sh_event_is_set(w: &mut World, t: Tid, a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    ret(Value::Bool(matches!(w.shared[sid], Shared::Event { flag: true })))
}

fn timeout_of(v: Option<Value>) -> Result<Option<f64>, Raise> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Int(i)) => Ok(Some(i as f64)),
        Some(Value::Float(f)) => Ok(Some(f)),
        Some(Value::Bool(b)) => Ok(Some(b as i64 as f64)),
        Some(_) => Err(Raise::new(Exc::TypeError, "timeout must be a number")),
    }
}

fn sh_event_wait(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    let timeout = timeout_of(a.arg(1, "timeout"))?;
    if matches!(w.shared[sid], Shared::Event { flag: true }) {
        return ret(Value::Bool(true));
    }
    if timeout.is_some_and(|s| s <= 0.0) {
        return ret(Value::Bool(false));
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Shared(sid, SharedWait::EventWait),
        deadline: timeout.map(|s| w.now + crate::stdlib::threading::ns(s)),
        on_timeout: Ok(Value::Bool(false)),
    }))
}

fn sh_lock_acquire(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    let blocking = match a.arg(1, "block").or_else(|| a.take_kw("blocking")) {
        Some(v) => types::truthy(w, t, &v)?,
        None => true,
    };
    let timeout = timeout_of(a.arg(2, "timeout"))?;
    if let Shared::Lock {
        owner,
        count,
        reentrant,
    } = &mut w.shared[sid]
    {
        if owner.is_none() {
            *owner = Some(t);
            *count = 1;
            return ret(Value::Bool(true));
        }
        if *reentrant && *owner == Some(t) {
            *count += 1;
            return ret(Value::Bool(true));
        }
    }
    if !blocking || timeout.is_some_and(|s| s <= 0.0) {
        return ret(Value::Bool(false));
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Shared(sid, SharedWait::Acquire),
        deadline: timeout.map(|s| w.now + crate::stdlib::threading::ns(s)),
        on_timeout: Ok(Value::Bool(false)),
    }))
}

fn sh_release(w: &mut World, t: Tid, sid: usize) -> Result<(), Raise> {
    if let Shared::Lock {
        owner,
        count,
        reentrant,
    } = &mut w.shared[sid]
    {
        if owner.is_none() || (*reentrant && *owner != Some(t)) {
            return Err(Raise::new(
                if *reentrant {
                    Exc::AssertionError
                } else {
                    Exc::ValueError
                },
                "semaphore or lock released too many times",
            ));
        }
        *count = count.saturating_sub(1);
        if *count == 0 || !*reentrant {
            *owner = None;
            *count = 0;
        }
    }
    notify_shared(w, sid);
    Ok(())
}

fn sh_lock_release(w: &mut World, t: Tid, a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    sh_release(w, t, sid)?;
    ret(Value::None)
}

fn sh_lock_exit(w: &mut World, t: Tid, a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    sh_release(w, t, sid)?;
    ret(Value::Bool(false))
}

/// Approximate pickled size of a value, for the pipe-capacity rule.
fn pickled_size(p: &Portable) -> usize {
    match p {
        Portable::None | Portable::Bool(_) => 1,
        Portable::Int(_) => 9,
        Portable::Float(_) => 9,
        Portable::Str(s) => s.len() + 5,
        Portable::Tuple(v) | Portable::List(v) | Portable::Set(v) => 4 + v.iter().map(pickled_size).sum::<usize>(),
        Portable::Dict(v) => 4 + v.iter().map(|(k, x)| pickled_size(k) + pickled_size(x)).sum::<usize>(),
        Portable::Global(n) | Portable::Helper(n) => n.len() + 20,
        Portable::Exception(n, a) => n.len() + 20 + a.iter().map(pickled_size).sum::<usize>(),
        Portable::SharedRef(..) => 40,
    }
}

fn sh_queue_put(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    let item = a
        .arg(1, "obj")
        .ok_or_else(|| Raise::new(Exc::TypeError, "put() missing 1 required positional argument: 'obj'"))?;
    let p = to_portable(w, t, &item)?;
    let size = pickled_size(&p) + 20;
    let pid = w.pid_of(t);
    if let Shared::Queue { items } = &mut w.shared[sid] {
        items.push_back((p, size, pid));
    }
    notify_shared(w, sid);
    ret(Value::None)
}

fn sh_queue_get(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    let block = match a.arg(1, "block") {
        Some(v) => types::truthy(w, t, &v)?,
        None => true,
    };
    let timeout = timeout_of(a.arg(2, "timeout"))?;
    if let Some(v) = try_shared(w, t, sid, &SharedWait::QueueGet) {
        return v.map(Flow::Return);
    }
    if !block || timeout.is_some_and(|s| s <= 0.0) {
        return Err(Raise::new(Exc::Empty, ""));
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Shared(sid, SharedWait::QueueGet),
        deadline: timeout.map(|s| w.now + crate::stdlib::threading::ns(s)),
        on_timeout: Err(Raise::new(Exc::Empty, "")),
    }))
}

fn sh_queue_get_nowait(w: &mut World, t: Tid, a: Args) -> NResult {
    sh_queue_get(w, t, Args::new(vec![a.pos[0].clone(), Value::Bool(false)]))
}

fn sh_queue_empty(w: &mut World, t: Tid, a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    ret(Value::Bool(
        matches!(&w.shared[sid], Shared::Queue { items } if items.is_empty()),
    ))
}

fn sh_queue_qsize(w: &mut World, t: Tid, a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    ret(Value::Int(match &w.shared[sid] {
        Shared::Queue { items } => items.len() as i64,
        _ => 0,
    }))
}

pub(super) fn sh_noop(_w: &mut World, _t: Tid, _a: Args) -> NResult {
    ret(Value::None)
}

/// `_get_or_exit(queue, processes)`: `(True, item)` with the queue's next item, or
/// `(False, None)` once one of the (started) processes has ended, whichever comes
/// first; an item already queued wins. What `ProcessPoolExecutor`'s manager thread
/// waits for: a result, or a worker that died.
pub fn get_or_exit(w: &mut World, t: Tid, a: Args) -> NResult {
    let sid = shared_id(w, t, &a)?;
    let mut pids = Vec::new();
    let procs = match a.pos.get(1) {
        Some(Value::Obj(id)) => match w.heap(t).get(*id) {
            Obj::List(items) => items.clone(),
            _ => return Err(Raise::new(Exc::TypeError, "expected a list of processes")),
        },
        Some(Value::Tuple(items)) => items.to_vec(),
        _ => return Err(Raise::new(Exc::TypeError, "expected a list of processes")),
    };
    for v in procs {
        if let Value::Obj(id) = v {
            if let Some(pid) = proc_obj(w, t, id).and_then(|p| p.pid) {
                pids.push(pid);
            }
        }
    }
    let op = SharedWait::QueueGetOrExit(pids);
    if let Some(v) = try_shared(w, t, sid, &op) {
        return v.map(Flow::Return);
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Shared(sid, op),
        deadline: None,
        on_timeout: Ok(Value::None),
    }))
}

/// For the trace: what a thread blocked on a shared object waits for.
pub fn describe_shared(w: &World, sid: usize, op: &SharedWait) -> BlockedOn {
    let object = match &w.shared[sid] {
        Shared::Event { .. } => "multiprocessing.Event".to_string(),
        Shared::Lock { .. } => "multiprocessing.Lock".to_string(),
        Shared::Queue { .. } => "multiprocessing.Queue".to_string(),
        Shared::Value { .. } => "multiprocessing.Value".to_string(),
    };
    match op {
        SharedWait::EventWait => BlockedOn::Event { object },
        SharedWait::Acquire => BlockedOn::Lock { object, holder: None },
        SharedWait::QueueGet | SharedWait::QueueGetOrExit(_) => BlockedOn::Queue {
            object,
            op: "get".into(),
        },
        SharedWait::Flush(_) => BlockedOn::QueueFlush { object },
    }
}
