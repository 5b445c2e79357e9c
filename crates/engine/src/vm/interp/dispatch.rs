//! The full instruction dispatch: [`World::step`] runs any one instruction,
//! by group (stack and locals, names, operators, jumps, iteration, building
//! containers, imports); the call, attribute and exception instructions are
//! in `calls.rs`, `attrs.rs` and `exceptions.rs`.

use std::rc::Rc;

use crate::compile::{Op, Program, UnOp};
use crate::vm::value::*;
use crate::vm::*;

use super::Called;

impl World {
    /// Executes one (non-fast-path) instruction.
    pub(super) fn step(&mut self, tid: Tid, op: Op, program: &Program, deadline: Nanos) -> Result<(), Raise> {
        match op {
            Op::Nop => {}
            Op::Pop => {
                self.pop(tid);
            }
            Op::Dup => {
                let v = self.top(tid).clone();
                self.push(tid, v);
            }
            Op::Rot2 => {
                let s = &mut self.frame(tid).stack;
                let n = s.len();
                s.swap(n - 1, n - 2);
            }
            Op::Rot3 => {
                let s = &mut self.frame(tid).stack;
                let v = s.pop().expect("stack");
                let n = s.len();
                s.insert(n - 2, v);
            }
            Op::LoadFast(i) => {
                let code = self.program.code(self.code_of(tid));
                let name = code.varnames[i as usize].clone();
                let v = self.frame(tid).locals[i as usize].clone();
                if matches!(v, Value::Undefined) {
                    return Err(Raise::New(
                        "UnboundLocalError",
                        format!("cannot access local variable '{name}' where it is not associated with a value"),
                    ));
                }
                self.push(tid, v);
            }
            Op::StoreFast(i) => {
                let v = self.pop(tid);
                self.frame(tid).locals[i as usize] = v;
            }
            Op::LoadConst(i) => {
                let v = self.consts[self.code_of(tid).0 as usize][i as usize].clone();
                self.push(tid, v);
            }
            Op::Jump(t) => {
                let pc = self.frame(tid).pc;
                self.frame(tid).pc = t;
                if t < pc {
                    if self.contended(tid) {
                        self.preempt_point(tid);
                    } else if self.spin[self.code_of(tid).0 as usize][pc as usize - 1] {
                        // `while True: pass` (as in `fast_steps`): the thread spins until
                        // the deadline at no cost, and resumes at the loop.
                        self.now = deadline.max(self.now);
                    }
                }
            }
            Op::PopJumpIfFalse(t) => {
                let v = self.pop(tid);
                if !(self.lib.truthy)(self, tid, &v)? {
                    self.frame(tid).pc = t;
                }
            }
            Op::DeleteFast(i) => {
                self.frame(tid).locals[i as usize] = Value::Undefined;
            }
            Op::LoadDeref(i) => {
                let cell = self.frame(tid).cells[i as usize];
                let v = match self.heap(tid).get(cell) {
                    Obj::Cell(v) => v.clone(),
                    _ => Value::Undefined,
                };
                if matches!(v, Value::Undefined) {
                    let code = self.program.code(self.code_of(tid));
                    let name = code
                        .cellvars
                        .iter()
                        .chain(code.freevars.iter())
                        .nth(i as usize)
                        .cloned()
                        .unwrap_or_default();
                    return Err(Raise::New(
                        "NameError",
                        format!("cannot access free variable '{name}' where it is not associated with a value in enclosing scope"),
                    ));
                }
                self.push(tid, v);
            }
            Op::StoreDeref(i) => {
                let v = self.pop(tid);
                let cell = self.frame(tid).cells[i as usize];
                *self.heap(tid).get_mut(cell) = Obj::Cell(v);
            }
            Op::LoadGlobal(i) => {
                let name = self.name_at(program, tid, i);
                let g = self.frame(tid).globals;
                let mark = self.log_mark(tid);
                let at = (self.code_of(tid), i);
                let v = self.load_global(tid, g, name, Some(at))?;
                self.note_keyed(tid, mark, g, name, false);
                self.push(tid, v);
            }
            Op::StoreGlobal(i) => {
                let name = self.name_at(program, tid, i);
                let v = self.pop(tid);
                let g = self.frame(tid).globals;
                let mark = self.log_mark(tid);
                let code = self.code_of(tid);
                let hint = &mut self.name_hints[code.0 as usize][i as usize].globals;
                let heap = &mut self.procs[pid_index(self.threads[tid].pid)].heap;
                // A new key changes the dict's order and size: the whole dict is written.
                let existed =
                    mark.is_some() && matches!(heap.get(g), Obj::Dict(d) if d.get_str_hinted(name, hint).is_some());
                if let Obj::Dict(d) = heap.get_mut(g) {
                    d.set_str_hinted(name, v, hint);
                }
                if existed {
                    self.note_keyed(tid, mark, g, name, true);
                }
            }
            Op::DeleteGlobal(i) => {
                let name = self.name_at(program, tid, i);
                let g = self.frame(tid).globals;
                if self.dict_del_str(tid, g, name).is_none() {
                    return Err(Raise::New("NameError", format!("name '{name}' is not defined")));
                }
            }
            Op::LoadName(i) => {
                let name = self.name_at(program, tid, i);
                let ns = self.frame(tid).namespace;
                if let Some(ns) = ns {
                    if let Obj::Dict(d) = self.heap(tid).get(ns) {
                        if let Some(v) = d.get_str(name) {
                            let v = v.clone();
                            self.push(tid, v);
                            return Ok(());
                        }
                    }
                }
                let g = self.frame(tid).globals;
                let v = self.load_global(tid, g, name, None)?;
                self.push(tid, v);
            }
            Op::StoreName(i) => {
                let name = self.name_at(program, tid, i);
                let v = self.pop(tid);
                let ns = self.frame(tid).namespace.unwrap_or(self.frame(tid).globals);
                self.dict_set_str(tid, ns, name, v);
            }
            Op::DeleteName(i) => {
                let name = self.name_at(program, tid, i);
                let ns = self.frame(tid).namespace.unwrap_or(self.frame(tid).globals);
                if self.dict_del_str(tid, ns, name).is_none() {
                    return Err(Raise::New("NameError", format!("name '{name}' is not defined")));
                }
            }
            Op::LoadAttr(i) => {
                let name = self.name_at(program, tid, i);
                let o = self.pop(tid);
                let v = self.getattr(tid, &o, name)?;
                self.push(tid, v);
            }
            Op::StoreAttr(i) => {
                let name = self.name_at(program, tid, i);
                let o = self.pop(tid);
                let v = self.pop(tid);
                self.setattr(tid, &o, name, v)?;
            }
            Op::DeleteAttr(i) => {
                let name = self.name_at(program, tid, i);
                let o = self.pop(tid);
                self.delattr(tid, &o, name)?;
            }
            Op::LoadMethod(i) => {
                let name = self.name_at(program, tid, i);
                let o = self.pop(tid);
                match self.lookup_method(tid, &o, name, true)? {
                    Some(f) => {
                        self.push(tid, f);
                        self.push(tid, o);
                    }
                    None => {
                        let v = self.getattr(tid, &o, name)?;
                        self.push(tid, v);
                        self.push(tid, Value::Undefined);
                    }
                }
            }
            Op::Subscr => {
                let k = self.pop(tid);
                let o = self.pop(tid);
                match (self.lib.getitem)(self, tid, &o, &k)? {
                    Some(v) => self.push(tid, v),
                    None => {
                        // A user class with __getitem__.
                        let f = self.getattr(tid, &o, "__getitem__")?;
                        return self.call_op(tid, f, Args::new(vec![k]));
                    }
                }
            }
            Op::StoreSubscr => {
                let k = self.pop(tid);
                let o = self.pop(tid);
                let v = self.pop(tid);
                (self.lib.setitem)(self, tid, &o, k, v)?;
            }
            Op::DeleteSubscr => {
                let k = self.pop(tid);
                let o = self.pop(tid);
                (self.lib.delitem)(self, tid, &o, &k)?;
            }
            Op::Binary(b) => {
                let r = self.pop(tid);
                let l = self.pop(tid);
                let v = (self.lib.binary)(self, tid, b, &l, &r, false)?;
                self.push(tid, v);
            }
            Op::Inplace(b) => {
                let r = self.pop(tid);
                let l = self.pop(tid);
                let v = (self.lib.binary)(self, tid, b, &l, &r, true)?;
                self.push(tid, v);
            }
            Op::Unary(u) => {
                let v = self.pop(tid);
                let r = match (u, &v) {
                    (UnOp::Not, _) => Value::Bool(!(self.lib.truthy)(self, tid, &v)?),
                    (UnOp::Neg, Value::Int(i)) => Value::Int(
                        i.checked_neg()
                            .ok_or_else(|| Raise::new("OverflowError", INT_OVERFLOW))?,
                    ),
                    (UnOp::Neg, Value::Bool(b)) => Value::Int(-(*b as i64)),
                    (UnOp::Neg, Value::Float(f)) => Value::Float(-f),
                    (UnOp::Pos, Value::Int(_) | Value::Float(_)) => v.clone(),
                    (UnOp::Pos, Value::Bool(b)) => Value::Int(*b as i64),
                    (UnOp::Invert, Value::Int(i)) => Value::Int(!i),
                    (UnOp::Invert, Value::Bool(b)) => Value::Int(!(*b as i64)),
                    _ => {
                        let sym = match u {
                            UnOp::Neg => "-",
                            UnOp::Pos => "+",
                            UnOp::Invert => "~",
                            UnOp::Not => "not",
                        };
                        let tn = (self.lib.type_name)(self, tid, &v);
                        return Err(Raise::New(
                            "TypeError",
                            format!("bad operand type for unary {sym}: '{tn}'"),
                        ));
                    }
                };
                self.push(tid, r);
            }
            Op::Compare(c) => {
                let r = self.pop(tid);
                let l = self.pop(tid);
                let v = (self.lib.compare)(self, tid, c, &l, &r)?;
                self.push(tid, Value::Bool(v));
            }
            Op::PopJumpIfTrue(t) => {
                let v = self.pop(tid);
                if (self.lib.truthy)(self, tid, &v)? {
                    self.frame(tid).pc = t;
                }
            }
            Op::JumpIfFalseOrPop(t) => {
                let v = self.top(tid).clone();
                if !(self.lib.truthy)(self, tid, &v)? {
                    self.frame(tid).pc = t;
                } else {
                    self.pop(tid);
                }
            }
            Op::JumpIfTrueOrPop(t) => {
                let v = self.top(tid).clone();
                if (self.lib.truthy)(self, tid, &v)? {
                    self.frame(tid).pc = t;
                } else {
                    self.pop(tid);
                }
            }
            Op::GetIter => {
                let v = self.pop(tid);
                let it = (self.lib.get_iter)(self, tid, &v)?;
                self.push(tid, it);
            }
            Op::ForIter(t) => {
                let it = self.top(tid).clone();
                if let Value::Obj(id) = &it {
                    if matches!(self.heap(tid).get(*id), Obj::Instance { .. }) {
                        let next = self.getattr(tid, &it, "__next__")?;
                        return match self.call_value(tid, next, Args::default(), Ret::ForIterNext { target: t })? {
                            Called::Value(v) => {
                                self.push(tid, v);
                                Ok(())
                            }
                            _ => Ok(()),
                        };
                    }
                }
                match (self.lib.iter_next)(self, tid, &it)? {
                    Some(v) => self.push(tid, v),
                    None => {
                        self.pop(tid);
                        self.frame(tid).pc = t;
                    }
                }
            }
            Op::BuildList(n) => {
                let items = self.popn(tid, n as usize);
                let id = self.alloc(tid, Obj::List(items))?;
                self.push(tid, Value::Obj(id));
            }
            Op::BuildTuple(n) => {
                let items = self.popn(tid, n as usize);
                self.push(tid, Value::tuple(items));
            }
            Op::BuildSet(n) => {
                let items = self.popn(tid, n as usize);
                let mut d = Dict::default();
                for v in items {
                    let k = (self.lib.key_of)(self, tid, &v)?;
                    d.insert(k, v, Value::None);
                }
                let id = self.alloc(tid, Obj::Set(d))?;
                self.push(tid, Value::Obj(id));
            }
            Op::BuildDict(n) => {
                let items = self.popn(tid, 2 * n as usize);
                let mut d = Dict::default();
                for pair in items.chunks(2) {
                    let k = (self.lib.key_of)(self, tid, &pair[0])?;
                    d.insert(k, pair[0].clone(), pair[1].clone());
                }
                let id = self.alloc(tid, Obj::Dict(d))?;
                self.push(tid, Value::Obj(id));
            }
            Op::BuildSlice(n) => {
                let items = self.popn(tid, n as usize);
                let step = items.get(2).cloned().unwrap_or(Value::None);
                let id = self.alloc(tid, Obj::List(vec![items[0].clone(), items[1].clone(), step]))?;
                // Slices are tagged tuples: ("<slice>", list-of-3).
                self.push(tid, Value::tuple(vec![Value::Ellipsis, Value::Obj(id)]));
            }
            Op::BuildString(n) => {
                let parts = self.popn(tid, n as usize);
                let mut s = String::new();
                for p in parts {
                    if let Value::Str(p) = p {
                        s.push_str(&p);
                    }
                }
                self.push(tid, Value::str(s));
            }
            Op::FormatValue { conversion, has_spec } => {
                let v = self.pop(tid);
                let spec = if has_spec { Some(self.pop(tid)) } else { None };
                let v = match conversion {
                    1 => Value::str((self.lib.str_of)(self, tid, &v)?),
                    2 | 3 => Value::str((self.lib.repr_of)(self, tid, &v)?),
                    _ => v,
                };
                let spec = match spec {
                    Some(Value::Str(s)) => s.to_string(),
                    _ => String::new(),
                };
                let s = (self.lib.format_value)(self, tid, &v, &spec)?;
                self.push(tid, Value::str(s));
            }
            Op::ListAppend(d) => {
                let v = self.pop(tid);
                let s = &self.frame(tid).stack;
                let target = s[s.len() - d as usize].clone();
                if let Value::Obj(id) = target {
                    if let Obj::List(l) = self.heap(tid).get_mut(id) {
                        l.push(v);
                    }
                }
            }
            Op::SetAdd(d) => {
                let v = self.pop(tid);
                let s = &self.frame(tid).stack;
                let target = s[s.len() - d as usize].clone();
                let k = (self.lib.key_of)(self, tid, &v)?;
                if let Value::Obj(id) = target {
                    if let Obj::Set(set) = self.heap(tid).get_mut(id) {
                        set.insert(k, v, Value::None);
                    }
                }
            }
            Op::MapAdd(d) => {
                let v = self.pop(tid);
                let k = self.pop(tid);
                let s = &self.frame(tid).stack;
                let target = s[s.len() - d as usize].clone();
                let key = (self.lib.key_of)(self, tid, &k)?;
                if let Value::Obj(id) = target {
                    if let Obj::Dict(dict) = self.heap(tid).get_mut(id) {
                        dict.insert(key, k, v);
                    }
                }
            }
            Op::ListExtend => {
                let v = self.pop(tid);
                let items = (self.lib.collect_iter)(self, tid, &v)?;
                if let Value::Obj(id) = self.top(tid).clone() {
                    if let Obj::List(l) = self.heap(tid).get_mut(id) {
                        l.extend(items);
                    }
                }
            }
            Op::DictMerge => {
                let v = self.pop(tid);
                let target = self.top(tid).clone();
                let src = match &v {
                    Value::Obj(id) => match self.heap(tid).get(*id) {
                        Obj::Dict(d) => d.clone(),
                        _ => return Err(Raise::new("TypeError", "argument after ** must be a mapping")),
                    },
                    _ => return Err(Raise::new("TypeError", "argument after ** must be a mapping")),
                };
                if let Value::Obj(id) = target {
                    if let Obj::Dict(d) = self.heap(tid).get_mut(id) {
                        for (k, (kv, vv)) in src.map {
                            d.insert(k, kv, vv);
                        }
                    }
                }
            }
            Op::Call(n) => {
                self.preempt_point(tid);
                let args = self.popn(tid, n as usize);
                let f = self.pop(tid);
                return self.call_op(tid, f, Args::new(args));
            }
            Op::CallKw { argc, names } => {
                self.preempt_point(tid);
                let mut vals = self.popn(tid, argc as usize);
                let f = self.pop(tid);
                let names = match &self.consts[self.code_of(tid).0 as usize][names as usize] {
                    Value::Tuple(t) => t.clone(),
                    _ => Rc::new(Vec::new()),
                };
                let kwvals = vals.split_off(vals.len() - names.len());
                let kw = names
                    .iter()
                    .zip(kwvals)
                    .map(|(n, v)| match n {
                        Value::Str(s) => (s.clone(), v),
                        _ => (Rc::new(String::new()), v),
                    })
                    .collect();
                return self.call_op(tid, f, Args { pos: vals, kw });
            }
            Op::CallEx { has_kw } => {
                let kw = if has_kw { Some(self.pop(tid)) } else { None };
                let pos = self.pop(tid);
                let f = self.pop(tid);
                let pos = match &pos {
                    Value::Obj(id) => match self.heap(tid).get(*id) {
                        Obj::List(l) => l.clone(),
                        _ => Vec::new(),
                    },
                    _ => Vec::new(),
                };
                let mut args = Args::new(pos);
                if let Some(Value::Obj(id)) = kw {
                    if let Obj::Dict(d) = self.heap(tid).get(id) {
                        for (kv, vv) in d.map.values() {
                            match kv {
                                Value::Str(s) => args.kw.push((s.clone(), vv.clone())),
                                _ => return Err(Raise::new("TypeError", "keywords must be strings")),
                            }
                        }
                    }
                }
                return self.call_op(tid, f, args);
            }
            Op::CallMethod(n) => {
                self.preempt_point(tid);
                let mut args = self.popn(tid, n as usize);
                let this = self.pop(tid);
                let f = self.pop(tid);
                if !matches!(this, Value::Undefined) {
                    args.insert(0, this);
                }
                return self.call_op(tid, f, Args::new(args));
            }
            Op::MakeFunction {
                code,
                defaults,
                kwdefaults,
                closure,
            } => {
                let cells: Vec<Value> = self.popn(tid, closure as usize);
                let kw = self.popn(tid, 2 * kwdefaults as usize);
                let defs = self.popn(tid, defaults as usize);
                let parent = self.code_of(tid);
                let child = self.program.code(parent).children[code as usize];
                let frame_cells = self.frame(tid).cells.clone();
                let closure: Vec<ObjId> = cells
                    .iter()
                    .map(|c| match c {
                        Value::Int(i) if *i >= 0 => frame_cells[*i as usize],
                        _ => ObjId(0),
                    })
                    .collect();
                let c = self.program.code(child);
                let kwdefaults = kw
                    .chunks(2)
                    .map(|p| match &p[0] {
                        Value::Str(s) => (s.clone(), p[1].clone()),
                        _ => (Rc::new(String::new()), p[1].clone()),
                    })
                    .collect();
                let f = Function {
                    code: child,
                    name: c.name.clone(),
                    qualname: c.qualname.clone(),
                    defaults: defs,
                    kwdefaults,
                    closure,
                    globals: self.frame(tid).globals,
                    owner: None,
                };
                let id = self.alloc(tid, Obj::Function(Box::new(f)))?;
                self.push(tid, Value::Obj(id));
            }
            Op::BuildClass(nbases) => {
                let bases = self.popn(tid, nbases as usize);
                let name = match self.pop(tid) {
                    Value::Str(s) => s,
                    _ => Rc::new("?".to_string()),
                };
                let body = self.pop(tid);
                let Value::Obj(fid) = body else { return Ok(()) };
                let Obj::Function(f) = self.heap(tid).get(fid).clone() else {
                    return Ok(());
                };
                let ns = self.alloc(tid, Obj::Dict(Dict::default()))?;
                self.push_frame(
                    tid,
                    &f,
                    Some(fid),
                    Vec::new(),
                    Some(ns),
                    Ret::BuildClass { name, bases },
                )?;
            }
            Op::LoadLocals => {
                let ns = self.frame(tid).namespace.expect("class namespace");
                self.push(tid, Value::Obj(ns));
            }
            Op::Return => {
                let v = self.pop(tid);
                let f = self.threads[tid].frames.pop().expect("frame");
                return self.complete(tid, f.ret, v);
            }
            Op::UnpackSequence(n) => {
                let v = self.pop(tid);
                let items = (self.lib.collect_iter)(self, tid, &v)?;
                if items.len() != n as usize {
                    return Err(if items.len() > n as usize {
                        Raise::New("ValueError", format!("too many values to unpack (expected {n})"))
                    } else {
                        Raise::New(
                            "ValueError",
                            format!("not enough values to unpack (expected {n}, got {})", items.len()),
                        )
                    });
                }
                for it in items.into_iter().rev() {
                    self.push(tid, it);
                }
            }
            Op::UnpackEx(before, after) => {
                let v = self.pop(tid);
                let items = (self.lib.collect_iter)(self, tid, &v)?;
                let (b, a) = (before as usize, after as usize);
                if items.len() < b + a {
                    return Err(Raise::New(
                        "ValueError",
                        format!(
                            "not enough values to unpack (expected at least {}, got {})",
                            b + a,
                            items.len()
                        ),
                    ));
                }
                let mid: Vec<Value> = items[b..items.len() - a].to_vec();
                let mid = self.alloc(tid, Obj::List(mid))?;
                for it in items[items.len() - a..].iter().rev() {
                    self.push(tid, it.clone());
                }
                self.push(tid, Value::Obj(mid));
                for it in items[..b].iter().rev() {
                    self.push(tid, it.clone());
                }
            }
            Op::SetupExcept(h) => {
                let level = self.frame(tid).stack.len() as u32;
                self.frame(tid).blocks.push(Block::Except { handler: h, level });
            }
            Op::PopBlock => {
                self.frame(tid).blocks.pop();
            }
            Op::PopExcept => {
                if let Some(Block::Handler { .. }) = self.frame(tid).blocks.last() {
                    self.frame(tid).blocks.pop();
                    self.threads[tid].exc_info.pop();
                }
            }
            Op::Raise(n) => {
                return match n {
                    0 => match self.threads[tid].exc_info.last().cloned() {
                        Some(e) => {
                            self.raise_in(tid, Raise::Obj(e), true);
                            Ok(())
                        }
                        None => Err(Raise::new("RuntimeError", "No active exception to reraise")),
                    },
                    1 => {
                        let e = self.pop(tid);
                        Err(Raise::Obj(e))
                    }
                    _ => {
                        let cause = self.pop(tid);
                        let e = self.pop(tid);
                        let inst = self.make_exc(tid, Raise::Obj(e))?;
                        if let Value::Obj(id) = &inst {
                            if let Obj::Instance { dict, native, .. } = self.heap(tid).get_mut(*id) {
                                dict.set_str("__cause__", cause.clone());
                                if let Native::Exception { suppress, .. } = native {
                                    *suppress = true;
                                }
                            }
                        }
                        Err(Raise::Obj(inst))
                    }
                };
            }
            Op::Reraise => {
                let e = self.pop(tid);
                self.raise_in(tid, Raise::Obj(e), true);
            }
            Op::CheckExcMatch => {
                let cls = self.pop(tid);
                let exc = self.pop(tid);
                let r = (self.lib.exc_matches)(self, tid, &exc, &cls)?;
                self.push(tid, Value::Bool(r));
            }
            Op::WithEnter => {
                self.preempt_point(tid);
                let mgr = self.pop(tid);
                let exit = self.getattr(tid, &mgr, "__exit__").map_err(|_| {
                    let tn = (self.lib.type_name)(self, tid, &mgr);
                    Raise::New(
                        "TypeError",
                        format!("'{tn}' object does not support the context manager protocol"),
                    )
                })?;
                self.push(tid, exit);
                let enter = self.getattr(tid, &mgr, "__enter__")?;
                return self.call_op(tid, enter, Args::default());
            }
            Op::WithExcept => {
                let exc = self.top(tid).clone();
                let s = &self.frame(tid).stack;
                let exit = s[s.len() - 2].clone();
                let ty = (self.lib.class_of)(self, tid, &exc);
                return self.call_op(tid, exit, Args::new(vec![ty, exc, Value::None]));
            }
            Op::ImportName(i) => {
                self.note_global();
                let name = self.name_at(program, tid, i);
                let m = (self.lib.import)(self, tid, name)?;
                self.push(tid, m);
            }
            Op::ImportFrom(i) => {
                let name = self.name_at(program, tid, i);
                let m = self.top(tid).clone();
                let v = self.getattr(tid, &m, name).map_err(|_| {
                    let mn = match &m {
                        Value::Obj(id) => match self.heap(tid).get(*id) {
                            Obj::Module { name, .. } => name.to_string(),
                            _ => "?".into(),
                        },
                        _ => "?".into(),
                    };
                    Raise::New("ImportError", format!("cannot import name '{name}' from '{mn}'"))
                })?;
                self.push(tid, v);
            }
            Op::ImportStar => {
                self.pop(tid);
            }
            Op::AssertFail(has_msg) => {
                let args = if has_msg { vec![self.pop(tid)] } else { vec![] };
                let cls = self.proc(self.pid_of(tid)).classes.get("AssertionError");
                return Err(Raise::Obj(self.new_exception(tid, cls, args)?));
            }
        }
        Ok(())
    }
}
