//! `atexit`: handlers run at interpreter shutdown, last registered first.

use super::args::ret;
use super::{Attr, Module};
use crate::types::{self, native};
use crate::vm::value::*;
use crate::vm::*;

pub static MODULE: Module = Module {
    name: "atexit",
    attrs: &[
        ("register", Attr::Fn(native!("atexit.register", atexit_register))),
        ("unregister", Attr::Fn(native!("atexit.unregister", atexit_unregister))),
    ],
    make: None,
};

fn atexit_register(w: &mut World, t: Tid, a: Args) -> NResult {
    let Some(f) = a.pos.first().cloned() else {
        return Err(Raise::new(
            Exc::TypeError,
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
