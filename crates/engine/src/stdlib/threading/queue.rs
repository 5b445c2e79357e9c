//! `queue.Queue`, `LifoQueue`, `PriorityQueue`, `SimpleQueue`: a [`Prim::Queue`]
//! whose `get` and `put` block on an [`ObjWait`] like the other primitives.

use super::waits::{notify, try_acquire};
use super::{native_len, ns, prim, ret, self_id, timeout_arg};
use crate::stdlib::{Attr, Module};
use crate::types::{self, native};
use crate::vm::value::*;
use crate::vm::*;

pub static MODULE: Module = Module {
    name: "queue",
    attrs: &[
        ("Queue", Attr::Class("Queue")),
        ("LifoQueue", Attr::Class("LifoQueue")),
        ("PriorityQueue", Attr::Class("PriorityQueue")),
        ("SimpleQueue", Attr::Class("SimpleQueue")),
        ("Empty", Attr::Exc(Exc::Empty)),
        ("Full", Attr::Exc(Exc::Full)),
        // CPython has these; the simulator does not (yet).
        ("ShutDown", Attr::Unsupported),
    ],
    make: None,
};

pub(super) static QUEUE_METHODS: &[&NativeDef] = &[
    native!("Queue.put", queue_put),
    native!("Queue.get", queue_get),
    native!("Queue.put_nowait", queue_put_nowait),
    native!("Queue.get_nowait", queue_get_nowait),
    native!("Queue.qsize", queue_qsize),
    native!("Queue.empty", queue_empty),
    native!("Queue.full", queue_full),
    native!("Queue.task_done", queue_task_done),
    native!("Queue.join", queue_join),
];

pub(super) fn queue_insert(w: &mut World, t: Tid, id: ObjId, v: Value) -> Result<(), Raise> {
    let kind = match prim(w, t, id) {
        Some(Prim::Queue { kind, .. }) => *kind,
        _ => return Err(Raise::new(Exc::TypeError, "not a queue")),
    };
    let pos = if kind == QueueKind::Priority {
        let items: Vec<Value> = match prim(w, t, id) {
            Some(Prim::Queue { items, .. }) => items.iter().cloned().collect(),
            _ => vec![],
        };
        let mut pos = items.len();
        for (i, it) in items.iter().enumerate() {
            if types::order(w, t, &v, it, "<")? == std::cmp::Ordering::Less {
                pos = i;
                break;
            }
        }
        Some(pos)
    } else {
        None
    };
    if let Some(Prim::Queue { items, unfinished, .. }) = prim(w, t, id) {
        match pos {
            Some(p) => items.insert(p, v),
            None => items.push_back(v),
        }
        *unfinished += 1;
    }
    Ok(())
}

fn queue_put(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let item = a.arg(1, "item").ok_or_else(|| {
        Raise::new(
            Exc::TypeError,
            "Queue.put() missing 1 required positional argument: 'item'",
        )
    })?;
    let block = match a.arg(2, "block") {
        Some(v) => types::truthy(w, t, &v)?,
        None => true,
    };
    let timeout = timeout_arg(w, t, a.arg(3, "timeout"))?;
    if let Some(s) = timeout {
        if s < 0.0 {
            return Err(Raise::new(Exc::ValueError, "'timeout' must be a non-negative number"));
        }
    }
    let full = match prim(w, t, id) {
        Some(Prim::Queue { items, maxsize, .. }) => *maxsize > 0 && items.len() as i64 >= *maxsize,
        _ => return Err(Raise::new(Exc::TypeError, "not a queue")),
    };
    if !full {
        queue_insert(w, t, id, item)?;
        notify(w, t, id);
        return ret(Value::None);
    }
    if !block || timeout == Some(0.0) {
        return Err(Raise::new(Exc::Full, ""));
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Obj(id, ObjWait::QueuePut(item)),
        deadline: timeout.map(|s| w.now + ns(s)),
        on_timeout: Err(Raise::new(Exc::Full, "")),
    }))
}

fn queue_put_nowait(w: &mut World, t: Tid, a: Args) -> NResult {
    let mut a2 = a;
    a2.pos.truncate(2);
    a2.pos.push(Value::Bool(false));
    queue_put(w, t, a2)
}

fn queue_get(w: &mut World, t: Tid, mut a: Args) -> NResult {
    let id = self_id(&a)?;
    let block = match a.arg(1, "block") {
        Some(v) => types::truthy(w, t, &v)?,
        None => true,
    };
    let timeout = timeout_arg(w, t, a.arg(2, "timeout"))?;
    if let Some(s) = timeout {
        if s < 0.0 {
            return Err(Raise::new(Exc::ValueError, "'timeout' must be a non-negative number"));
        }
    }
    if let Some(v) = try_acquire(w, t, id, &ObjWait::QueueGet) {
        notify(w, t, id);
        return v.map(Flow::Return);
    }
    if !block || timeout == Some(0.0) {
        return Err(Raise::new(Exc::Empty, ""));
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Obj(id, ObjWait::QueueGet),
        deadline: timeout.map(|s| w.now + ns(s)),
        on_timeout: Err(Raise::new(Exc::Empty, "")),
    }))
}

fn queue_get_nowait(w: &mut World, t: Tid, a: Args) -> NResult {
    queue_get(w, t, Args::new(vec![a.pos[0].clone(), Value::Bool(false)]))
}

fn queue_qsize(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    ret(Value::Int(native_len(w, t, id).unwrap_or(0)))
}

fn queue_empty(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    ret(Value::Bool(native_len(w, t, id).unwrap_or(0) == 0))
}

fn queue_full(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    ret(Value::Bool(match prim(w, t, id) {
        Some(Prim::Queue { items, maxsize, .. }) => *maxsize > 0 && items.len() as i64 >= *maxsize,
        _ => false,
    }))
}

fn queue_task_done(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    if let Some(Prim::Queue { unfinished, .. }) = prim(w, t, id) {
        if *unfinished <= 0 {
            return Err(Raise::new(Exc::ValueError, "task_done() called too many times"));
        }
        *unfinished -= 1;
    }
    notify(w, t, id);
    ret(Value::None)
}

fn queue_join(w: &mut World, t: Tid, a: Args) -> NResult {
    let id = self_id(&a)?;
    if let Some(Prim::Queue { unfinished: 0, .. }) = prim(w, t, id) {
        return ret(Value::None);
    }
    Ok(Flow::Block(Wait {
        on: WaitOn::Obj(id, ObjWait::QueueJoin),
        deadline: None,
        on_timeout: Ok(Value::None),
    }))
}
