//! `threading`'s synchronization primitives: `Event`, `Lock`, `RLock`,
//! `Condition`, `Semaphore` (and `BoundedSemaphore`), `Barrier`. Their state
//! is a [`Prim`]; a call that cannot proceed blocks on an [`ObjWait`].

use super::waits::{notify, wait_to_reacquire};
use super::{ns, prim, ret, self_id, timeout_arg};
use crate::stdlib::lookup;
use crate::types::{self, native};
use crate::vm::value::*;
use crate::vm::*;

pub(super) static EVENT_METHODS: &[&NativeDef] = &[
    native!("Event.set", event_set),
    native!("Event.clear", event_clear),
    native!("Event.is_set", event_is_set),
    native!("Event.isSet", event_is_set),
    native!("Event.wait", event_wait),
];

pub(super) static LOCK_METHODS: &[&NativeDef] = &[
    native!("lock.acquire", lock_acquire),
    native!("lock.release", lock_release),
    native!("lock.locked", lock_locked),
    native!("lock.__enter__", lock_acquire),
    native!("lock.__exit__", lock_exit),
];

pub(super) static RLOCK_METHODS: &[&NativeDef] = &[
    native!("RLock.acquire", lock_acquire),
    native!("RLock.release", lock_release),
    native!("RLock.__enter__", lock_acquire),
    native!("RLock.__exit__", lock_exit),
];

pub(super) static CONDITION_METHODS: &[&NativeDef] = &[
    native!("Condition.acquire", cond_acquire),
    native!("Condition.release", cond_release),
    native!("Condition.__enter__", cond_acquire),
    native!("Condition.__exit__", cond_exit),
    native!("Condition.wait", cond_wait),
    native!("Condition.wait_for", cond_wait_for),
    native!("Condition.notify", cond_notify),
    native!("Condition.notify_all", cond_notify_all),
];

pub(super) static SEMAPHORE_METHODS: &[&NativeDef] = &[
    native!("Semaphore.acquire", sem_acquire),
    native!("Semaphore.release", sem_release),
    native!("Semaphore.__enter__", sem_acquire),
    native!("Semaphore.__exit__", sem_exit),
];

pub(super) static BARRIER_METHODS: &[&NativeDef] = &[
    native!("Barrier.wait", barrier_wait),
    native!("Barrier.reset", barrier_reset),
    native!("Barrier.abort", barrier_abort),
];

// ---------------------------------------------------------------------------------------------
// Event

pub(super) fn event_set(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    if let Some(Prim::Event { flag }) = prim(w, t, id) {
        *flag = true;
    }
    notify(w, t, id);
    ret(Value::None)
}

fn event_clear(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    if let Some(Prim::Event { flag }) = prim(w, t, id) {
        *flag = false;
    }
    ret(Value::None)
}

fn event_is_set(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    ret(Value::Bool(matches!(prim(w, t, id), Some(Prim::Event { flag: true }))))
}

fn event_wait(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let timeout = timeout_arg(w, t, a.arg(1, "timeout"))?;
    if matches!(prim(w, t, id), Some(Prim::Event { flag: true })) {
        return ret(Value::Bool(true));
    }
    if let Some(s) = timeout {
        if s <= 0.0 {
            return ret(Value::Bool(false));
        }
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Obj(id, ObjWait::EventWait),
        deadline: timeout.map(|s| w.now + ns(s)),
        on_timeout: Ok(Value::Bool(false)),
    }))
}

// ---------------------------------------------------------------------------------------------
// Lock / RLock

fn lock_acquire(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let blocking = match a.arg(1, "blocking") {
        Some(v) => types::truthy(w, t, &v)?,
        None => true,
    };
    let timeout = match a.arg(2, "timeout") {
        Some(v) => types::num(&v).unwrap_or(-1.0),
        None => -1.0,
    };
    if !blocking && timeout != -1.0 {
        return Err(Raise::new(
            Exc::ValueError,
            "can't specify a timeout for a non-blocking call",
        ));
    }
    if timeout < 0.0 && timeout != -1.0 {
        return Err(Raise::new(
            Exc::ValueError,
            "timeout value must be a non-negative number",
        ));
    }
    match prim(w, t, id) {
        Some(Prim::Lock {
            owner,
            count,
            reentrant,
        }) => {
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
        _ => return Err(Raise::new(Exc::TypeError, "not a lock")),
    }
    if !blocking || timeout == 0.0 {
        return ret(Value::Bool(false));
    }
    let deadline = if timeout > 0.0 { Some(w.now + ns(timeout)) } else { None };
    Ok(Flow::Block(Wait {
        on: WaitOn::Obj(id, ObjWait::Acquire),
        deadline,
        on_timeout: Ok(Value::Bool(false)),
    }))
}

fn release(w: &mut World, t: Tid, id: ObjId) -> Result<(), Raise> {
    match prim(w, t, id) {
        Some(Prim::Lock {
            owner,
            count,
            reentrant,
        }) => {
            if *reentrant {
                if *owner != Some(t) {
                    return Err(Raise::new(Exc::RuntimeError, "cannot release un-acquired lock"));
                }
                *count -= 1;
                if *count == 0 {
                    *owner = None;
                }
            } else {
                if owner.is_none() {
                    return Err(Raise::new(Exc::RuntimeError, "release unlocked lock"));
                }
                *owner = None;
                *count = 0;
            }
        }
        _ => return Err(Raise::new(Exc::TypeError, "not a lock")),
    }
    notify(w, t, id);
    Ok(())
}

fn lock_release(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    release(w, t, id)?;
    ret(Value::None)
}

fn lock_exit(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    release(w, t, id)?;
    ret(Value::Bool(false))
}

fn lock_locked(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    ret(Value::Bool(matches!(
        prim(w, t, id),
        Some(Prim::Lock { owner: Some(_), .. })
    )))
}

// ---------------------------------------------------------------------------------------------
// Condition

fn cond_lock(w: &mut World, t: Tid, id: ObjId) -> Result<ObjId, Raise> {
    match prim(w, t, id) {
        Some(Prim::Cond { lock }) => Ok(*lock),
        _ => Err(Raise::new(Exc::TypeError, "not a Condition")),
    }
}

fn cond_acquire(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let lock = cond_lock(w, t, id)?;
    a.pos[0] = Value::Obj(lock);
    lock_acquire(w, t, a)
}

fn cond_release(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    let lock = cond_lock(w, t, id)?;
    release(w, t, lock)?;
    ret(Value::None)
}

fn cond_exit(w: &mut World, t: Tid, a: Args) -> NResult {
    cond_release(w, t, a)?;
    ret(Value::Bool(false))
}

fn owned(w: &mut World, t: Tid, lock: ObjId) -> Option<u32> {
    match prim(w, t, lock) {
        Some(Prim::Lock {
            owner: Some(o), count, ..
        }) if *o == t => Some(*count),
        _ => None,
    }
}

fn cond_wait(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let timeout = timeout_arg(w, t, a.arg(1, "timeout"))?;
    let lock = cond_lock(w, t, id)?;
    let Some(count) = owned(w, t, lock) else {
        return Err(Raise::new(Exc::RuntimeError, "cannot wait on un-acquired lock"));
    };
    if let Some(Prim::Lock { owner, count, .. }) = prim(w, t, lock) {
        *owner = None;
        *count = 0;
    }
    notify(w, t, lock);
    Ok(Flow::Block(Wait {
        on: WaitOn::Obj(id, ObjWait::CondNotify { lock, count }),
        deadline: timeout.map(|s| w.now + ns(s)),
        on_timeout: Ok(Value::Bool(false)),
    }))
}

fn cond_wait_for(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let pred = a.arg(1, "predicate").unwrap_or(Value::None);
    let timeout = a.arg(2, "timeout").unwrap_or(Value::None);
    // Written in Python terms: while not pred(): wait(timeout). One round here;
    // the loop is in the module helper so that waits can block.
    let helper = crate::stdlib::concurrent::helper(w, t, "_wait_for")?;
    Ok(Flow::Call(helper, Args::new(vec![Value::Obj(id), pred, timeout])))
}

fn notify_n(w: &mut World, t: Tid, id: ObjId, n: usize) -> NResult {
    let lock = cond_lock(w, t, id)?;
    if owned(w, t, lock).is_none() {
        return Err(Raise::new(Exc::RuntimeError, "cannot notify on un-acquired lock"));
    }
    let pid = w.pid_of(t);
    let waiters = w.waiters(
        |on| matches!(on, WaitOn::Obj(x, ObjWait::CondNotify { .. }) if *x == id),
        pid,
    );
    for wt in waiters.into_iter().take(n) {
        let (lock, count) = match &w.threads[wt].wait {
            Some(Wait {
                on: WaitOn::Obj(_, ObjWait::CondNotify { lock, count }),
                ..
            }) => (*lock, *count),
            _ => continue,
        };
        // Notified: now it waits to re-acquire the lock (no timeout any more).
        let seq = w.threads[wt].wait_seq;
        if let Some(d) = w.threads[wt].wait.as_ref().and_then(|x| x.deadline) {
            w.timers.remove(&(d, seq, wt));
        }
        wait_to_reacquire(w, wt, lock, count, true);
    }
    ret(Value::None)
}

fn cond_notify(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let n = a.arg(1, "n").and_then(|v| types::int_of(&v)).unwrap_or(1).max(0) as usize;
    notify_n(w, t, id, n)
}

fn cond_notify_all(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    notify_n(w, t, id, usize::MAX)
}

// ---------------------------------------------------------------------------------------------
// Semaphore

fn sem_acquire(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let blocking = match a.arg(1, "blocking") {
        Some(v) => types::truthy(w, t, &v)?,
        None => true,
    };
    let timeout = timeout_arg(w, t, a.arg(2, "timeout"))?;
    if !blocking && timeout.is_some() {
        return Err(Raise::new(
            Exc::ValueError,
            "can't specify timeout for non-blocking acquire",
        ));
    }
    if let Some(Prim::Sem { value, .. }) = prim(w, t, id) {
        if *value > 0 {
            *value -= 1;
            return ret(Value::Bool(true));
        }
    }
    if !blocking || timeout.map(|s| s <= 0.0).unwrap_or(false) {
        return ret(Value::Bool(false));
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Obj(id, ObjWait::SemAcquire),
        deadline: timeout.map(|s| w.now + ns(s)),
        on_timeout: Ok(Value::Bool(false)),
    }))
}

fn sem_release(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let n = a.arg(1, "n").and_then(|v| types::int_of(&v)).unwrap_or(1);
    if n < 1 {
        return Err(Raise::new(Exc::ValueError, "n must be one or more"));
    }
    if let Some(Prim::Sem { value, bound }) = prim(w, t, id) {
        if let Some(b) = bound {
            if *value + n > *b {
                return Err(Raise::new(Exc::ValueError, "Semaphore released too many times"));
            }
        }
        *value += n;
    }
    notify(w, t, id);
    ret(Value::None)
}

fn sem_exit(w: &mut World, t: Tid, a: Args) -> NResult {
    sem_release(w, t, Args::new(vec![a.pos[0].clone()]))?;
    ret(Value::Bool(false))
}

// ---------------------------------------------------------------------------------------------
// Barrier

fn barrier_wait(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let timeout = timeout_arg(w, t, a.arg(1, "timeout"))?;
    let (index, release_now, generation, default_timeout, action) = match prim(w, t, id) {
        Some(Prim::Barrier { broken: true, .. }) => return Err(Raise::new(Exc::BrokenBarrierError, "")),
        Some(Prim::Barrier {
            parties,
            count,
            generation,
            timeout,
            action,
            ..
        }) => {
            let index = *count;
            *count += 1;
            let release = *count == *parties;
            (index, release, *generation, *timeout, action.clone())
        }
        _ => return Err(Raise::new(Exc::TypeError, "not a Barrier")),
    };
    if release_now {
        // The last thread to arrive runs the action, then everyone is released.
        if let Some(action) = action {
            if let Err(e) = w.call_sync(t, action, Args::default()) {
                if let Some(Prim::Barrier { broken, .. }) = prim(w, t, id) {
                    *broken = true;
                }
                notify(w, t, id);
                return Err(e);
            }
        }
        if let Some(Prim::Barrier { count, generation, .. }) = prim(w, t, id) {
            *count = 0;
            *generation += 1;
        }
        notify(w, t, id);
        return ret(Value::Int(index));
    }
    let timeout = timeout.or(default_timeout);
    Ok(Flow::Block(Wait {
        on: WaitOn::Obj(id, ObjWait::BarrierWait { generation, index }),
        deadline: timeout.map(|s| w.now + ns(s)),
        on_timeout: Err(Raise::new(Exc::BrokenBarrierError, "")),
    }))
}

fn barrier_reset(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    if let Some(Prim::Barrier {
        count,
        broken,
        generation,
        ..
    }) = prim(w, t, id)
    {
        *broken = true;
        *count = 0;
        *generation += 1;
    }
    notify(w, t, id);
    if let Some(Prim::Barrier { broken, .. }) = prim(w, t, id) {
        *broken = false;
    }
    ret(Value::None)
}

fn barrier_abort(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    if let Some(Prim::Barrier { broken, .. }) = prim(w, t, id) {
        *broken = true;
    }
    notify(w, t, id);
    ret(Value::None)
}
/// Reads a data attribute of a synchronization object from its state.
type PrimGetter = fn(&Prim) -> Option<Value>;

/// The data attributes of synchronization objects, each with its getter
/// (`None` for a primitive of another kind): [`prim_getattr`] reads them,
/// and the interpreter's method lookup asks the same table.
pub static PRIM_ATTRS: &[(&str, PrimGetter)] = &[
    ("parties", |p| match p {
        Prim::Barrier { parties, .. } => Some(Value::Int(*parties)),
        _ => None,
    }),
    ("n_waiting", |p| match p {
        Prim::Barrier { count, .. } => Some(Value::Int(*count)),
        _ => None,
    }),
    ("broken", |p| match p {
        Prim::Barrier { broken, .. } => Some(Value::Bool(*broken)),
        _ => None,
    }),
    ("maxsize", |p| match p {
        Prim::Queue { maxsize, .. } => Some(Value::Int(*maxsize)),
        _ => None,
    }),
    ("_value", |p| match p {
        Prim::Sem { value, .. } => Some(Value::Int(*value)),
        _ => None,
    }),
];

/// Attribute `name` of a synchronization object, read in place.
pub fn prim_getattr(w: &mut World, t: Tid, id: ObjId, name: &str) -> Option<Value> {
    // The state is looked at through a mutable borrow whatever the name (the
    // explorer's heap log counts it as a write).
    let p = prim(w, t, id)?;
    lookup(PRIM_ATTRS, name).and_then(|get| get(p))
}
