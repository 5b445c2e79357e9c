//! `random`: CPython's Mersenne Twister ([`PyRandom`]), one generator per
//! process, seeded from the run's seed unless the script seeds it.

use super::args::{int_arg, ret, seconds_arg};
use super::{Attr, Module};
use crate::pyrandom::PyRandom;
use crate::types::{self, native};
use crate::vm::value::*;
use crate::vm::*;

pub static MODULE: Module = Module {
    name: "random",
    attrs: &[
        ("seed", Attr::Fn(native!("random.seed", random_seed))),
        ("random", Attr::Fn(native!("random.random", random_random))),
        ("randint", Attr::Fn(native!("random.randint", random_randint))),
        ("randrange", Attr::Fn(native!("random.randrange", random_randrange))),
        ("uniform", Attr::Fn(native!("random.uniform", random_uniform))),
        ("choice", Attr::Fn(native!("random.choice", random_choice))),
        ("shuffle", Attr::Fn(native!("random.shuffle", random_shuffle))),
        (
            "getrandbits",
            Attr::Fn(native!("random.getrandbits", random_getrandbits)),
        ),
        // CPython has these; the simulator does not (yet).
        ("sample", Attr::Unsupported),
        ("choices", Attr::Unsupported),
        ("gauss", Attr::Unsupported),
        ("normalvariate", Attr::Unsupported),
        ("expovariate", Attr::Unsupported),
        ("triangular", Attr::Unsupported),
        ("betavariate", Attr::Unsupported),
        ("gammavariate", Attr::Unsupported),
        ("lognormvariate", Attr::Unsupported),
        ("vonmisesvariate", Attr::Unsupported),
        ("paretovariate", Attr::Unsupported),
        ("weibullvariate", Attr::Unsupported),
        ("binomialvariate", Attr::Unsupported),
        ("randbytes", Attr::Unsupported),
        ("getstate", Attr::Unsupported),
        ("setstate", Attr::Unsupported),
        ("Random", Attr::Unsupported),
        ("SystemRandom", Attr::Unsupported),
    ],
    make: None,
};

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
                Exc::TypeError,
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

fn random_randint(w: &mut World, t: Tid, a: Args) -> NResult {
    let lo = int_arg(w, t, a.pos.first())?;
    let hi = int_arg(w, t, a.pos.get(1))?;
    rng(w, t)
        .randint(lo, hi)
        .map(|v| Flow::Return(Value::Int(v)))
        .map_err(|e| Raise::New(Exc::ValueError, e))
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
        .map_err(|e| Raise::New(Exc::ValueError, e))
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
            Exc::ValueError,
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
        .map_err(|e| Raise::New(Exc::IndexError, e))?;
    ret(items[i].clone())
}

fn random_shuffle(w: &mut World, t: Tid, a: Args) -> NResult {
    let Some(Value::Obj(id)) = a.pos.first() else {
        return Err(Raise::new(Exc::TypeError, "shuffle() argument must be a list"));
    };
    let mut items = match w.heap(t).get(*id) {
        Obj::List(l) => l.clone(),
        _ => return Err(Raise::new(Exc::TypeError, "shuffle() argument must be a list")),
    };
    rng(w, t).shuffle(&mut items);
    *w.heap(t).get_mut(*id) = Obj::List(items);
    ret(Value::None)
}
