//! Waits on `threading`'s objects: what a blocked thread waits for (for the
//! trace), whether it can proceed, what a timeout gives, and [`notify`],
//! which offers a changed object to its waiters in the order they blocked.

use super::queue::queue_insert;
use super::{prim, thread_obj};
use crate::trace::*;
use crate::types::{self, class_name};
use crate::vm::value::*;
use crate::vm::*;

/// For the trace: what a thread blocked on object `o` waits for.
pub fn describe_wait(w: &mut World, t: Tid, o: ObjId, op: &ObjWait) -> BlockedOn {
    let object = object_label(w, t, o);
    match op {
        ObjWait::Acquire | ObjWait::Reacquire { .. } => {
            let holder = match prim(w, t, o) {
                Some(Prim::Lock { owner, .. }) => owner.map(|x| ThreadId(x as u32)),
                _ => None,
            };
            BlockedOn::Lock { object, holder }
        }
        ObjWait::EventWait => BlockedOn::Event { object },
        ObjWait::CondNotify { .. } => BlockedOn::Condition { object },
        ObjWait::SemAcquire => BlockedOn::Semaphore { object },
        ObjWait::BarrierWait { .. } => BlockedOn::Barrier { object },
        ObjWait::QueueGet => BlockedOn::Queue {
            object,
            op: "get".into(),
        },
        ObjWait::QueuePut(_) => BlockedOn::Queue {
            object,
            op: "put".into(),
        },
        ObjWait::QueueJoin => BlockedOn::Queue {
            object,
            op: "join".into(),
        },
    }
}

/// A readable name for an object: the global variable naming it, or its type.
fn object_label(w: &mut World, t: Tid, o: ObjId) -> String {
    let g = w.proc(w.pid_of(t)).globals;
    if let Obj::Dict(d) = w.heap(t).get(g) {
        for (k, v) in d.map.values() {
            if let (Value::Str(name), Value::Obj(id)) = (k, v) {
                if *id == o {
                    return name.to_string();
                }
            }
        }
    }
    // An attribute of a global instance (`self.lock`).
    let cls = match w.heap(t).get(o) {
        Obj::Instance { class, .. } => Some(*class),
        _ => None,
    };
    cls.map(|c| class_name(w, t, c)).unwrap_or_else(|| "object".into())
}

/// Can the thread blocked on `o` proceed now? Performs the acquisition if so.
pub fn try_acquire(w: &mut World, t: Tid, o: ObjId, op: &ObjWait) -> Option<Result<Value, Raise>> {
    match op {
        ObjWait::Acquire => match prim(w, t, o)? {
            Prim::Lock { owner, count, .. } if owner.is_none() => {
                *owner = Some(t);
                *count = 1;
                Some(Ok(Value::Bool(true)))
            }
            _ => None,
        },
        ObjWait::Reacquire { count: c, result } => match prim(w, t, o)? {
            Prim::Lock { owner, count, .. } if owner.is_none() => {
                *owner = Some(t);
                *count = *c;
                Some(Ok(Value::Bool(*result)))
            }
            _ => None,
        },
        ObjWait::EventWait => match prim(w, t, o)? {
            Prim::Event { flag: true } => Some(Ok(Value::Bool(true))),
            _ => None,
        },
        ObjWait::CondNotify { .. } => None,
        ObjWait::SemAcquire => match prim(w, t, o)? {
            Prim::Sem { value, .. } if *value > 0 => {
                *value -= 1;
                Some(Ok(Value::Bool(true)))
            }
            _ => None,
        },
        ObjWait::BarrierWait { generation: g, index } => match prim(w, t, o)? {
            Prim::Barrier { broken: true, .. } => Some(Err(Raise::new(Exc::BrokenBarrierError, ""))),
            Prim::Barrier { generation, .. } if *generation > *g => Some(Ok(Value::Int(*index))),
            _ => None,
        },
        ObjWait::QueueGet => {
            let r = match prim(w, t, o)? {
                Prim::Queue { items, kind, .. } if !items.is_empty() => match kind {
                    QueueKind::Fifo => items.pop_front(),
                    QueueKind::Lifo => items.pop_back(),
                    QueueKind::Priority => items.pop_front(),
                },
                _ => None,
            }?;
            Some(Ok(r))
        }
        ObjWait::QueuePut(v) => {
            let full = match prim(w, t, o)? {
                Prim::Queue { items, maxsize, .. } => *maxsize > 0 && items.len() as i64 >= *maxsize,
                _ => return None,
            };
            if full {
                return None;
            }
            match queue_insert(w, t, o, v.clone()) {
                Ok(()) => Some(Ok(Value::None)),
                Err(e) => Some(Err(e)),
            }
        }
        ObjWait::QueueJoin => match prim(w, t, o)? {
            Prim::Queue { unfinished: 0, .. } => Some(Ok(Value::None)),
            _ => None,
        },
    }
}

/// A condition's waiter, notified (`result` true) or timed out (false), waits
/// to re-acquire the condition's lock, with no timeout any more.
pub fn wait_to_reacquire(w: &mut World, tid: Tid, lock: ObjId, count: u32, result: bool) {
    w.threads[tid].wait = Some(Wait {
        on: WaitOn::Obj(lock, ObjWait::Reacquire { count, result }),
        deadline: None,
        on_timeout: Ok(Value::Bool(result)),
    });
    let line = w.current_line(tid);
    let on = describe_wait(w, tid, lock, &ObjWait::Acquire);
    w.set_state(
        tid,
        ThreadState::Blocked {
            on,
            line,
            until_ns: None,
        },
    );
}

/// The wait of `tid` timed out: its result, or None when the wait changed instead
/// (a condition's waiter re-acquires the lock before returning False).
pub fn on_timeout(w: &mut World, tid: Tid) -> Option<Result<Value, Raise>> {
    let wait = w.threads[tid].wait.clone()?;
    if let WaitOn::Obj(o, op) = &wait.on {
        if let Some(v) = try_acquire(w, tid, *o, op) {
            return Some(v);
        }
        match op {
            ObjWait::CondNotify { lock, count } => {
                let (lock, count) = (*lock, *count);
                wait_to_reacquire(w, tid, lock, count, false);
                if let Some(v) = try_acquire(w, tid, lock, &ObjWait::Reacquire { count, result: false }) {
                    return Some(v);
                }
                return None;
            }
            ObjWait::BarrierWait { .. } => {
                // A timed-out barrier breaks for everyone.
                if let Some(Prim::Barrier { broken, .. }) = prim(w, tid, *o) {
                    *broken = true;
                }
                let o = *o;
                notify(w, tid, o);
                return Some(Err(Raise::new(Exc::BrokenBarrierError, "")));
            }
            _ => {}
        }
    }
    // A Timer's interval elapsed: call its function now.
    if let Err(Raise::Obj(Value::Obj(tobj))) = &wait.on_timeout {
        if let Some(th) = thread_obj(w, tid, *tobj).cloned() {
            if th.timer.is_some() {
                let args = types::collect_iter(w, tid, &th.args).unwrap_or_default();
                w.threads[tid].boot = Some((th.target.clone(), Args::new(args)));
                return Some(Ok(Value::None));
            }
        }
    }
    Some(wait.on_timeout.clone())
}

/// Offers object `o` to the threads waiting on it, in the order they blocked.
pub fn notify(w: &mut World, t: Tid, o: ObjId) {
    let pid = w.pid_of(t);
    let waiters = w.waiters(|on| matches!(on, WaitOn::Obj(x, _) if *x == o), pid);
    for wt in waiters {
        let op = match &w.threads[wt].wait {
            Some(Wait {
                on: WaitOn::Obj(_, op), ..
            }) => op.clone(),
            _ => continue,
        };
        if let Some(v) = try_acquire(w, wt, o, &op) {
            let is_put = matches!(op, ObjWait::QueuePut(_));
            let is_get = matches!(op, ObjWait::QueueGet);
            w.wake(wt, v);
            if is_put || is_get {
                // A put may satisfy getters and a get may make room for putters.
                notify(w, t, o);
                return;
            }
        }
    }
}
