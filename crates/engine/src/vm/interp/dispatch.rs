//! The full instruction dispatch: [`World::step`] runs any one instruction,
//! by group (stack and locals, names, operators, jumps, iteration, building
//! containers, imports); the call, attribute and exception instructions are
//! in `calls.rs`, `attrs.rs` and `exceptions.rs`.

use crate::compile::{BinOp, CmpOp, Op, Program, UnOp};
use crate::vm::value::*;
use crate::vm::*;

use super::Called;

impl World {
    /// Runs one instruction, fetched and charged (see `fast.rs`): any instruction,
    /// including those the fast loop runs. `program` is `self.program`, held apart
    /// so that names can be borrowed while `self` changes; `deadline` ends the
    /// turn.
    pub(super) fn step(&mut self, tid: Tid, op: Op, program: &Program, deadline: Nanos) -> Result<(), Raise> {
        match op {
            // Stack and locals
            Op::Nop => {}
            Op::Pop => {
                self.pop(tid);
            }
            Op::Dup => self.dup(tid),
            Op::Rot2 => self.rot2(tid),
            Op::Rot3 => self.rot3(tid),
            Op::LoadConst(i) => self.load_const(tid, i),
            Op::LoadFast(i) => self.load_fast(tid, i)?,
            Op::StoreFast(i) => self.store_fast(tid, i),
            Op::DeleteFast(i) => self.frame(tid).locals[i as usize] = Value::Undefined,
            Op::LoadDeref(i) => self.load_deref(tid, i)?,
            Op::StoreDeref(i) => self.store_deref(tid, i),
            // Globals and names
            Op::LoadGlobal(i) => self.load_global(tid, i, self.name_at(program, tid, i))?,
            Op::StoreGlobal(i) => self.store_global(tid, i, self.name_at(program, tid, i)),
            Op::DeleteGlobal(i) => self.delete_global(tid, self.name_at(program, tid, i))?,
            Op::LoadName(i) => self.load_name(tid, self.name_at(program, tid, i))?,
            Op::StoreName(i) => self.store_name(tid, self.name_at(program, tid, i)),
            Op::DeleteName(i) => self.delete_name(tid, self.name_at(program, tid, i))?,
            // Attributes and subscripts (attrs.rs)
            Op::LoadAttr(i) => self.load_attr(tid, self.name_at(program, tid, i))?,
            Op::StoreAttr(i) => self.store_attr(tid, self.name_at(program, tid, i))?,
            Op::DeleteAttr(i) => self.delete_attr(tid, self.name_at(program, tid, i))?,
            Op::LoadMethod(i) => self.load_method(tid, self.name_at(program, tid, i))?,
            Op::Subscr => self.subscr(tid)?,
            Op::StoreSubscr => self.store_subscr(tid)?,
            Op::DeleteSubscr => self.delete_subscr(tid)?,
            // Operators
            Op::Binary(b) => self.binary_op(tid, b, false)?,
            Op::Inplace(b) => self.binary_op(tid, b, true)?,
            Op::Unary(u) => self.unary_op(tid, u)?,
            Op::Compare(c) => self.compare_op(tid, c)?,
            // Jumps
            Op::Jump(t) => self.jump(tid, t, deadline),
            Op::PopJumpIfFalse(t) => self.pop_jump_if(tid, t, false)?,
            Op::PopJumpIfTrue(t) => self.pop_jump_if(tid, t, true)?,
            Op::JumpIfFalseOrPop(t) => self.jump_if_or_pop(tid, t, false)?,
            Op::JumpIfTrueOrPop(t) => self.jump_if_or_pop(tid, t, true)?,
            // Iteration and unpacking
            Op::GetIter => self.get_iter(tid)?,
            Op::ForIter(t) => self.for_iter(tid, t)?,
            Op::UnpackSequence(n) => self.unpack_sequence(tid, n)?,
            Op::UnpackEx(before, after) => self.unpack_ex(tid, before, after)?,
            // Building containers and strings
            Op::BuildList(n) => self.build_list(tid, n)?,
            Op::BuildTuple(n) => self.build_tuple(tid, n),
            Op::BuildSet(n) => self.build_set(tid, n)?,
            Op::BuildDict(n) => self.build_dict(tid, n)?,
            Op::BuildSlice(n) => self.build_slice(tid, n)?,
            Op::BuildString(n) => self.build_string(tid, n),
            Op::FormatValue { conversion, has_spec } => self.format_value(tid, conversion, has_spec)?,
            Op::ListAppend(d) => self.list_append(tid, d),
            Op::SetAdd(d) => self.set_add(tid, d)?,
            Op::MapAdd(d) => self.map_add(tid, d)?,
            Op::ListExtend => self.list_extend(tid)?,
            Op::DictMerge => self.dict_merge(tid)?,
            // Calls, functions, classes (calls.rs)
            Op::Call(n) => self.call(tid, n)?,
            Op::CallKw { argc, names } => self.call_kw(tid, argc, names)?,
            Op::CallEx { has_kw } => self.call_ex(tid, has_kw)?,
            Op::CallMethod(n) => self.call_method(tid, n)?,
            Op::MakeFunction {
                code,
                defaults,
                kwdefaults,
                closure,
            } => self.make_function(tid, code, defaults, kwdefaults, closure)?,
            Op::BuildClass(nbases) => self.build_class(tid, nbases)?,
            Op::LoadLocals => {
                let ns = self.frame(tid).namespace.expect("class namespace");
                self.push(tid, Value::Obj(ns));
            }
            Op::Return => self.return_value(tid)?,
            // Exceptions and `with` (exceptions.rs)
            Op::SetupExcept(h) => self.setup_except(tid, h),
            Op::PopBlock => {
                self.frame(tid).blocks.pop();
            }
            Op::PopExcept => self.pop_except(tid),
            Op::Raise(n) => self.raise(tid, n)?,
            Op::Reraise => {
                let e = self.pop(tid);
                self.raise_in(tid, Raise::Obj(e), true);
            }
            Op::CheckExcMatch => self.check_exc_match(tid)?,
            Op::WithEnter => self.with_enter(tid)?,
            Op::WithExcept => self.with_except(tid)?,
            Op::AssertFail(has_msg) => self.assert_fail(tid, has_msg)?,
            // Imports
            Op::ImportName(i) => self.import_name(tid, self.name_at(program, tid, i))?,
            Op::ImportFrom(i) => self.import_from(tid, self.name_at(program, tid, i))?,
            Op::ImportStar => {
                self.pop(tid);
            }
        }
        Ok(())
    }

    // ----- stack and locals

    /// `Dup`: pushes the top of the stack again.
    fn dup(&mut self, tid: Tid) {
        let v = self.top(tid).clone();
        self.push(tid, v);
    }

    /// `Rot2`: swaps the two topmost values.
    fn rot2(&mut self, tid: Tid) {
        let s = &mut self.frame(tid).stack;
        let n = s.len();
        s.swap(n - 1, n - 2);
    }

    /// `Rot3`: moves the top value under the next two.
    fn rot3(&mut self, tid: Tid) {
        let s = &mut self.frame(tid).stack;
        let v = s.pop().expect("stack");
        let n = s.len();
        s.insert(n - 2, v);
    }

    /// `LoadFast`: pushes a local variable (`UnboundLocalError` when unbound).
    fn load_fast(&mut self, tid: Tid, i: u32) -> Result<(), Raise> {
        let code = self.program.code(self.code_of(tid));
        let name = code.varnames[i as usize].clone();
        let v = self.frame(tid).locals[i as usize].clone();
        if matches!(v, Value::Undefined) {
            return Err(Raise::New(
                Exc::UnboundLocalError,
                format!("cannot access local variable '{name}' where it is not associated with a value"),
            ));
        }
        self.push(tid, v);
        Ok(())
    }

    /// `StoreFast`: pops into a local variable.
    fn store_fast(&mut self, tid: Tid, i: u32) {
        let v = self.pop(tid);
        self.frame(tid).locals[i as usize] = v;
    }

    /// `LoadConst`: pushes a constant of the running code object.
    fn load_const(&mut self, tid: Tid, i: u32) {
        let v = self.consts[self.code_of(tid).0 as usize][i as usize].clone();
        self.push(tid, v);
    }

    /// `LoadDeref`: pushes the value of a cell (a variable shared with a closure).
    fn load_deref(&mut self, tid: Tid, i: u32) -> Result<(), Raise> {
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
                Exc::NameError,
                format!(
                    "cannot access free variable '{name}' where it is not associated with a value in enclosing scope"
                ),
            ));
        }
        self.push(tid, v);
        Ok(())
    }

    /// `StoreDeref`: pops into a cell.
    fn store_deref(&mut self, tid: Tid, i: u32) {
        let v = self.pop(tid);
        let cell = self.frame(tid).cells[i as usize];
        *self.heap(tid).get_mut(cell) = Obj::Cell(v);
    }

    // ----- globals and names

    /// `LoadGlobal`: pushes global `name` (name `i` of the code object), or the builtin.
    fn load_global(&mut self, tid: Tid, i: u32, name: &str) -> Result<(), Raise> {
        let g = self.frame(tid).globals;
        let mark = self.log_mark(tid);
        let at = (self.code_of(tid), i);
        let v = self.lookup_global(tid, g, name, Some(at))?;
        self.note_keyed(tid, mark, g, name, false);
        self.push(tid, v);
        Ok(())
    }

    /// `StoreGlobal`: pops into global `name` (name `i` of the code object).
    fn store_global(&mut self, tid: Tid, i: u32, name: &str) {
        let v = self.pop(tid);
        let g = self.frame(tid).globals;
        let mark = self.log_mark(tid);
        let code = self.code_of(tid);
        let hint = &mut self.name_hints[code.0 as usize][i as usize].globals;
        let heap = &mut self.procs[pid_index(self.threads[tid].pid)].heap;
        // A new key changes the dict's order and size: the whole dict is written.
        let existed = mark.is_some() && matches!(heap.get(g), Obj::Dict(d) if d.get_str_hinted(name, hint).is_some());
        if let Obj::Dict(d) = heap.get_mut(g) {
            d.set_str_hinted(name, v, hint);
        }
        if existed {
            self.note_keyed(tid, mark, g, name, true);
        }
    }

    /// `DeleteGlobal`.
    fn delete_global(&mut self, tid: Tid, name: &str) -> Result<(), Raise> {
        let g = self.frame(tid).globals;
        if self.dict_del_str(tid, g, name).is_none() {
            return Err(Raise::New(Exc::NameError, format!("name '{name}' is not defined")));
        }
        Ok(())
    }

    /// `LoadName`: a class body's namespace, then the globals and builtins.
    fn load_name(&mut self, tid: Tid, name: &str) -> Result<(), Raise> {
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
        let v = self.lookup_global(tid, g, name, None)?;
        self.push(tid, v);
        Ok(())
    }

    /// `StoreName`: pops into the class body's namespace (the globals at module level).
    fn store_name(&mut self, tid: Tid, name: &str) {
        let v = self.pop(tid);
        let ns = self.frame(tid).namespace.unwrap_or(self.frame(tid).globals);
        self.dict_set_str(tid, ns, name, v);
    }

    /// `DeleteName`.
    fn delete_name(&mut self, tid: Tid, name: &str) -> Result<(), Raise> {
        let ns = self.frame(tid).namespace.unwrap_or(self.frame(tid).globals);
        if self.dict_del_str(tid, ns, name).is_none() {
            return Err(Raise::New(Exc::NameError, format!("name '{name}' is not defined")));
        }
        Ok(())
    }

    // ----- operators

    /// `Binary` and `Inplace` (`inplace`: `x += y` and the like).
    fn binary_op(&mut self, tid: Tid, b: BinOp, inplace: bool) -> Result<(), Raise> {
        let r = self.pop(tid);
        let l = self.pop(tid);
        let v = (self.lib.binary)(self, tid, b, &l, &r, inplace)?;
        self.push(tid, v);
        Ok(())
    }

    /// `Unary`: `not`, `-`, `+`, `~`.
    fn unary_op(&mut self, tid: Tid, u: UnOp) -> Result<(), Raise> {
        let v = self.pop(tid);
        let r = match (u, &v) {
            (UnOp::Not, _) => Value::Bool(!(self.lib.truthy)(self, tid, &v)?),
            (UnOp::Neg, Value::Int(i)) => Value::Int(
                i.checked_neg()
                    .ok_or_else(|| Raise::new(Exc::OverflowError, INT_OVERFLOW))?,
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
                    Exc::TypeError,
                    format!("bad operand type for unary {sym}: '{tn}'"),
                ));
            }
        };
        self.push(tid, r);
        Ok(())
    }

    /// `Compare`.
    fn compare_op(&mut self, tid: Tid, c: CmpOp) -> Result<(), Raise> {
        let r = self.pop(tid);
        let l = self.pop(tid);
        let v = (self.lib.compare)(self, tid, c, &l, &r)?;
        self.push(tid, Value::Bool(v));
        Ok(())
    }

    // ----- jumps

    /// `Jump`. A backward jump is a preemption point when another thread waits for
    /// the GIL; one closing a loop that does nothing (`while True: pass`) spins
    /// until `deadline` at no cost, as in the fast loop.
    fn jump(&mut self, tid: Tid, t: u32, deadline: Nanos) {
        let pc = self.frame(tid).pc;
        self.frame(tid).pc = t;
        if t < pc {
            if self.contended(tid) {
                self.preempt_point(tid);
            } else if self.spin[self.code_of(tid).0 as usize][pc as usize - 1] {
                // Nothing changes until something outside does; the thread
                // resumes at the loop.
                self.now = deadline.max(self.now);
            }
        }
    }

    /// `PopJumpIfFalse` and `PopJumpIfTrue`: pops a value, jumps when its truth is `when`.
    fn pop_jump_if(&mut self, tid: Tid, t: u32, when: bool) -> Result<(), Raise> {
        let v = self.pop(tid);
        if (self.lib.truthy)(self, tid, &v)? == when {
            self.frame(tid).pc = t;
        }
        Ok(())
    }

    /// `JumpIfFalseOrPop` and `JumpIfTrueOrPop` (`and`, `or`): jumps, keeping the
    /// value, when its truth is `when`; else pops it.
    fn jump_if_or_pop(&mut self, tid: Tid, t: u32, when: bool) -> Result<(), Raise> {
        let v = self.top(tid).clone();
        if (self.lib.truthy)(self, tid, &v)? == when {
            self.frame(tid).pc = t;
        } else {
            self.pop(tid);
        }
        Ok(())
    }

    // ----- iteration and unpacking

    /// `GetIter`: `iter()` of the top of the stack.
    fn get_iter(&mut self, tid: Tid) -> Result<(), Raise> {
        let v = self.pop(tid);
        let it = (self.lib.get_iter)(self, tid, &v)?;
        self.push(tid, it);
        Ok(())
    }

    /// `ForIter`: pushes the iterator's next value, or pops it and jumps to `t` when it
    /// is exhausted. A Python-level `__next__` runs as a frame (`Ret::ForIterNext`).
    fn for_iter(&mut self, tid: Tid, t: u32) -> Result<(), Raise> {
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
        Ok(())
    }

    /// `UnpackSequence`: `a, b = v`.
    fn unpack_sequence(&mut self, tid: Tid, n: u32) -> Result<(), Raise> {
        let v = self.pop(tid);
        let items = (self.lib.collect_iter)(self, tid, &v)?;
        if items.len() != n as usize {
            return Err(if items.len() > n as usize {
                Raise::New(Exc::ValueError, format!("too many values to unpack (expected {n})"))
            } else {
                Raise::New(
                    Exc::ValueError,
                    format!("not enough values to unpack (expected {n}, got {})", items.len()),
                )
            });
        }
        for it in items.into_iter().rev() {
            self.push(tid, it);
        }
        Ok(())
    }

    /// `UnpackEx`: `a, *b, c = v`.
    fn unpack_ex(&mut self, tid: Tid, before: u32, after: u32) -> Result<(), Raise> {
        let v = self.pop(tid);
        let items = (self.lib.collect_iter)(self, tid, &v)?;
        let (b, a) = (before as usize, after as usize);
        if items.len() < b + a {
            return Err(Raise::New(
                Exc::ValueError,
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
        Ok(())
    }

    // ----- building containers and strings

    /// `BuildList`.
    fn build_list(&mut self, tid: Tid, n: u32) -> Result<(), Raise> {
        let items = self.popn(tid, n as usize);
        let id = self.alloc(tid, Obj::List(items))?;
        self.push(tid, Value::Obj(id));
        Ok(())
    }

    /// `BuildTuple`.
    fn build_tuple(&mut self, tid: Tid, n: u32) {
        let items = self.popn(tid, n as usize);
        self.push(tid, Value::tuple(items));
    }

    /// `BuildSet`.
    fn build_set(&mut self, tid: Tid, n: u32) -> Result<(), Raise> {
        let items = self.popn(tid, n as usize);
        let mut d = Dict::default();
        for v in items {
            let k = (self.lib.key_of)(self, tid, &v)?;
            d.insert(k, v, Value::None);
        }
        let id = self.alloc(tid, Obj::Set(d))?;
        self.push(tid, Value::Obj(id));
        Ok(())
    }

    /// `BuildDict`: `n` key-value pairs.
    fn build_dict(&mut self, tid: Tid, n: u32) -> Result<(), Raise> {
        let items = self.popn(tid, 2 * n as usize);
        let mut d = Dict::default();
        for pair in items.chunks(2) {
            let k = (self.lib.key_of)(self, tid, &pair[0])?;
            d.insert(k, pair[0].clone(), pair[1].clone());
        }
        let id = self.alloc(tid, Obj::Dict(d))?;
        self.push(tid, Value::Obj(id));
        Ok(())
    }

    /// `BuildSlice`: `a:b` or `a:b:c`.
    fn build_slice(&mut self, tid: Tid, n: u32) -> Result<(), Raise> {
        let items = self.popn(tid, n as usize);
        let step = items.get(2).cloned().unwrap_or(Value::None);
        let id = self.alloc(tid, Obj::List(vec![items[0].clone(), items[1].clone(), step]))?;
        // Slices are tagged tuples: ("<slice>", list-of-3).
        self.push(tid, Value::tuple(vec![Value::Ellipsis, Value::Obj(id)]));
        Ok(())
    }

    /// `BuildString`: joins an f-string's parts.
    fn build_string(&mut self, tid: Tid, n: u32) {
        let parts = self.popn(tid, n as usize);
        let mut s = String::new();
        for p in parts {
            if let Value::Str(p) = p {
                s.push_str(&p);
            }
        }
        self.push(tid, Value::str(s));
    }

    /// `FormatValue`: one `{...}` of an f-string (`conversion`: 1 `!s`, 2 `!r`, 3 `!a`).
    fn format_value(&mut self, tid: Tid, conversion: u8, has_spec: bool) -> Result<(), Raise> {
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
        Ok(())
    }

    /// `ListAppend`: a list comprehension's item, into the list `d` deep in the stack.
    fn list_append(&mut self, tid: Tid, d: u32) {
        let v = self.pop(tid);
        let s = &self.frame(tid).stack;
        let target = s[s.len() - d as usize].clone();
        if let Value::Obj(id) = target {
            if let Obj::List(l) = self.heap(tid).get_mut(id) {
                l.push(v);
            }
        }
    }

    /// `SetAdd`: a set comprehension's item.
    fn set_add(&mut self, tid: Tid, d: u32) -> Result<(), Raise> {
        let v = self.pop(tid);
        let s = &self.frame(tid).stack;
        let target = s[s.len() - d as usize].clone();
        let k = (self.lib.key_of)(self, tid, &v)?;
        if let Value::Obj(id) = target {
            if let Obj::Set(set) = self.heap(tid).get_mut(id) {
                set.insert(k, v, Value::None);
            }
        }
        Ok(())
    }

    /// `MapAdd`: a dict comprehension's item.
    fn map_add(&mut self, tid: Tid, d: u32) -> Result<(), Raise> {
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
        Ok(())
    }

    /// `ListExtend`: `[*a]`, `f(*a)`.
    fn list_extend(&mut self, tid: Tid) -> Result<(), Raise> {
        let v = self.pop(tid);
        let items = (self.lib.collect_iter)(self, tid, &v)?;
        if let Value::Obj(id) = self.top(tid).clone() {
            if let Obj::List(l) = self.heap(tid).get_mut(id) {
                l.extend(items);
            }
        }
        Ok(())
    }

    /// `DictMerge`: `{**a}`, `f(**a)`.
    fn dict_merge(&mut self, tid: Tid) -> Result<(), Raise> {
        let v = self.pop(tid);
        let target = self.top(tid).clone();
        let src = match &v {
            Value::Obj(id) => match self.heap(tid).get(*id) {
                Obj::Dict(d) => d.clone(),
                _ => return Err(Raise::new(Exc::TypeError, "argument after ** must be a mapping")),
            },
            _ => return Err(Raise::new(Exc::TypeError, "argument after ** must be a mapping")),
        };
        if let Value::Obj(id) = target {
            if let Obj::Dict(d) = self.heap(tid).get_mut(id) {
                for (k, (kv, vv)) in src.map {
                    d.insert(k, kv, vv);
                }
            }
        }
        Ok(())
    }

    // ----- imports

    /// `ImportName`: `import name`.
    fn import_name(&mut self, tid: Tid, name: &str) -> Result<(), Raise> {
        self.note_global();
        let m = (self.lib.import)(self, tid, name)?;
        self.push(tid, m);
        Ok(())
    }

    /// `ImportFrom`: `from m import name`, the module on the stack.
    fn import_from(&mut self, tid: Tid, name: &str) -> Result<(), Raise> {
        let m = self.top(tid).clone();
        let v = self.getattr(tid, &m, name).map_err(|_| {
            let mn = match &m {
                Value::Obj(id) => match self.heap(tid).get(*id) {
                    Obj::Module { name, .. } => name.to_string(),
                    _ => "?".into(),
                },
                _ => "?".into(),
            };
            Raise::New(Exc::ImportError, format!("cannot import name '{name}' from '{mn}'"))
        })?;
        self.push(tid, v);
        Ok(())
    }
}
