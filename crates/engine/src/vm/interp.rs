//! The bytecode interpreter: executes one thread's instructions, calls and
//! exceptions. Scheduling decisions are made by the caller ([`World::run`]).

use std::rc::Rc;

use crate::compile::{BinOp, CmpOp, CodeId, CodeKind, Op, UnOp};
use crate::trace::*;
use crate::vm::value::*;
use crate::vm::*;

/// Result of starting a call.
pub enum Called {
    /// A Python frame was pushed; its result arrives through its `Ret`.
    Pushed,
    /// The call finished at once.
    Value(Value),
    /// The thread blocked or handed over the GIL.
    Suspended,
}

impl World {
    /// Runs `tid` until `deadline`, until it blocks or ends, or until the frame
    /// stack is at most `stop_depth` deep (synchronous calls).
    pub fn exec(&mut self, tid: Tid, deadline: Nanos) -> bool {
        self.note_thread(tid);
        self.exec_more(tid, deadline)
    }

    /// Goes on with [`World::exec`] after it paused.
    pub fn exec_more(&mut self, tid: Tid, deadline: Nanos) -> bool {
        self.exec_until(tid, deadline, 0, true)
    }

    /// Runs `tid` until `deadline`, until it blocks or gives up the GIL, or
    /// until it returns from the frame at `stop_depth`. When `pausable`, it
    /// also stops between two instructions once `World::pause_at`
    /// instructions have run, and returns true: going on from there (with
    /// the same deadline) runs exactly as if it had not stopped.
    fn exec_until(&mut self, tid: Tid, deadline: Nanos, stop_depth: usize, pausable: bool) -> bool {
        if let Some(r) = self.threads[tid].resume.take() {
            match r {
                Ok(v) => {
                    if let Some(f) = self.threads[tid].frames.last_mut() {
                        f.stack.push(v);
                    }
                }
                Err(e) => self.raise_in(tid, e, true),
            }
        }
        let program = self.program.clone();
        let max = if pausable {
            self.opts.max_instructions.min(self.pause_at)
        } else {
            self.opts.max_instructions
        };
        loop {
            if self.stop.is_some() {
                return false;
            }
            let t = &self.threads[tid];
            if t.run != Run::Running || t.frames.len() <= stop_depth {
                return false;
            }
            let next = if self.fast_path {
                self.fast_steps::<true>(tid, deadline, max, &program)
            } else {
                self.fast_steps::<false>(tid, deadline, max, &program)
            };
            let Some((op, own)) = next else {
                return pausable
                    && self.instructions >= self.pause_at
                    && self.instructions < self.opts.max_instructions
                    && self.now < deadline;
            };
            if let Err(e) = self.step(tid, op, &program, deadline) {
                self.raise_in(tid, e, false);
            }
            if own {
                // As the fast loop: none of the checks below between its instructions.
                continue;
            }
            let passed = if self.threads[tid].sync_depth == 0 {
                self.preempt_at.take().filter(|p| p.0 == tid)
            } else {
                None
            };
            if self.io_release {
                self.io_release = false;
                let pid = self.threads[tid].pid;
                let p = &mut self.procs[pid_index(pid)];
                if self.threads[tid].run == Run::Running
                    && p.running == Some(tid)
                    && !p.ready.is_empty()
                    && self.threads[tid].sync_depth == 0
                {
                    p.running = None;
                    p.ready.push_back(tid);
                    p.contended_since = Some(self.now);
                    self.threads[tid].run = Run::Ready;
                    self.set_state(tid, ThreadState::Ready);
                    return false;
                }
            }
            if let Some((_, line)) = passed {
                self.preempt_choice(tid, line);
            }
            if self.preempt_now {
                self.preempt_now = false;
                let pid = self.threads[tid].pid;
                let p = &mut self.procs[pid_index(pid)];
                if self.threads[tid].run == Run::Running && p.running == Some(tid) {
                    p.running = None;
                    p.ready.push_back(tid);
                    p.contended_since = Some(self.now);
                    self.threads[tid].run = Run::Ready;
                    self.set_state(tid, ThreadState::Ready);
                    return false;
                }
            }
            if self.reschedule && self.threads[tid].sync_depth == 0 {
                self.reschedule = false;
                if self.procs.len() > 1 {
                    return false;
                }
            }
        }
    }

    /// Runs the hottest self-contained instructions in a tight loop (locals,
    /// constants, globals, jumps, integer arithmetic and comparisons). Returns the first
    /// other instruction, already fetched and charged, or None at a limit.
    fn fast_steps<const FAST: bool>(
        &mut self,
        tid: Tid,
        deadline: Nanos,
        max: u64,
        program: &crate::compile::Program,
    ) -> Option<(Op, bool)> {
        let World {
            threads,
            consts,
            insns,
            spin,
            now,
            instructions,
            rec,
            procs,
            chooser,
            name_hints,
            ..
        } = self;
        let thread = &mut threads[tid];
        let proc = &mut procs[pid_index(thread.pid)];
        // When exploring, a backward jump with another thread waiting for the GIL is a
        // preemption point: leave the fast loop so the chooser can decide.
        let contended = chooser.exploring && !proc.ready.is_empty();
        let builtins = proc.builtins;
        let heap = &mut proc.heap;
        // Globals are read and written here only when the explorer keeps no heap
        // log (which `step` narrows to the variable; see `World::note_keyed`).
        let plain_heap = heap.log.is_none();
        let Thread {
            frames,
            line_events,
            last_line_event_t,
            ..
        } = thread;
        let frame = frames.last_mut()?;
        let names = &program.code(frame.code).names;
        let hints = &mut name_hints[frame.code.0 as usize];
        let code = &insns[frame.code.0 as usize];
        let kconsts = &consts[frame.code.0 as usize];
        let spins = &spin[frame.code.0 as usize];
        // How many instructions fit before the deadline or the budget.
        let by_time = deadline.saturating_sub(*now).div_ceil(INSTRUCTION_NS);
        let budget = by_time.min(max.saturating_sub(*instructions));
        let mut left = budget;
        let start_now = *now;
        let start_count = *instructions;
        macro_rules! settle {
            () => {{
                let done = budget - left;
                *now = start_now + done * INSTRUCTION_NS;
                *instructions = start_count + done;
            }};
        }
        loop {
            if left == 0 {
                settle!();
                return None;
            }
            left -= 1;
            let (op, line) = code[frame.pc as usize];
            // Hands the instruction (fetched and charged) over to the full dispatch;
            // `true` when this loop would have run it itself (only when `!FAST`).
            macro_rules! hand_over {
                ($own:expr) => {{
                    settle!();
                    return Some((op, $own));
                }};
            }
            // Where the loop would run the instruction itself: the full dispatch does, when `!FAST`.
            macro_rules! own {
                () => {
                    if !FAST {
                        hand_over!(true);
                    }
                };
            }
            frame.pc += 1;
            if line != frame.line {
                frame.line = line;
                let t_now = start_now + (budget - left) * INSTRUCTION_NS;
                if *line_events < LINE_EVENTS_FULL || t_now >= *last_line_event_t + 1_000_000 {
                    *line_events += 1;
                    *last_line_event_t = t_now;
                    rec.events.push(Event {
                        t_ns: t_now,
                        kind: EventKind::Line {
                            thread: ThreadId(tid as u32),
                            line,
                        },
                    });
                }
            }
            match op {
                Op::LoadFast(i) => {
                    let v = &frame.locals[i as usize];
                    if matches!(v, Value::Undefined) {
                        hand_over!(false);
                    }
                    own!();
                    let v = v.clone();
                    frame.stack.push(v);
                }
                Op::StoreFast(i) => {
                    own!();
                    let v = frame.stack.pop().expect("stack");
                    frame.locals[i as usize] = v;
                }
                Op::LoadConst(i) => {
                    own!();
                    frame.stack.push(kconsts[i as usize].clone());
                }
                Op::LoadGlobal(i) if plain_heap => {
                    // As `World::load_global`; a name not found is left to `step`.
                    let (name, hint) = (names[i as usize].as_str(), &mut hints[i as usize]);
                    let mut found = match heap.get(frame.globals) {
                        Obj::Dict(d) => d.get_str_hinted(name, &mut hint.globals),
                        _ => None,
                    };
                    if found.is_none() {
                        if let Obj::Dict(d) = heap.get(builtins) {
                            found = d.get_str_hinted(name, &mut hint.builtins);
                        }
                    }
                    match found {
                        Some(v) => {
                            own!();
                            frame.stack.push(v.clone());
                        }
                        None => hand_over!(false),
                    }
                }
                Op::StoreGlobal(i) if plain_heap => {
                    own!();
                    let v = frame.stack.pop().expect("stack");
                    if let Obj::Dict(d) = heap.get_mut(frame.globals) {
                        d.set_str_hinted(names[i as usize].as_str(), v, &mut hints[i as usize].globals);
                    }
                }
                Op::Jump(t) => {
                    if contended && t < frame.pc {
                        hand_over!(false);
                    }
                    own!();
                    if spins[frame.pc as usize - 1] {
                        // `while True: pass`: nothing changes until something outside does,
                        // so the thread spins until the deadline at no cost.
                        let executed = budget - left;
                        *now = deadline.max(start_now + executed * INSTRUCTION_NS);
                        *instructions = start_count + executed;
                        // Resume at the loop, not after it.
                        frame.pc = t;
                        return None;
                    }
                    frame.pc = t;
                }
                Op::Nop => own!(),
                Op::Pop => {
                    own!();
                    frame.stack.pop();
                }
                Op::PopJumpIfFalse(t) | Op::PopJumpIfTrue(t) => {
                    let b = match frame.stack.last() {
                        Some(Value::Bool(b)) => *b,
                        Some(Value::Int(i)) => *i != 0,
                        Some(Value::None) => false,
                        _ => hand_over!(false),
                    };
                    own!();
                    frame.stack.pop();
                    if b == matches!(op, Op::PopJumpIfTrue(_)) {
                        frame.pc = t;
                    }
                }
                Op::Binary(bop) | Op::Inplace(bop) => {
                    let n = frame.stack.len();
                    let r = match (&frame.stack[n - 2], &frame.stack[n - 1]) {
                        (Value::Int(a), Value::Int(b)) => match bop {
                            BinOp::Add => a.checked_add(*b),
                            BinOp::Sub => a.checked_sub(*b),
                            BinOp::Mul => a.checked_mul(*b),
                            BinOp::Mod if *b > 0 => Some(a.rem_euclid(*b)),
                            BinOp::FloorDiv if *b > 0 => Some(a.div_euclid(*b)),
                            _ => None,
                        },
                        _ => None,
                    };
                    match r {
                        Some(r) => {
                            own!();
                            frame.stack.truncate(n - 2);
                            frame.stack.push(Value::Int(r));
                        }
                        None => hand_over!(false),
                    }
                }
                Op::Compare(cop) => {
                    let n = frame.stack.len();
                    let r = match (&frame.stack[n - 2], &frame.stack[n - 1]) {
                        (Value::Int(a), Value::Int(b)) => match cop {
                            CmpOp::Lt => Some(a < b),
                            CmpOp::Le => Some(a <= b),
                            CmpOp::Gt => Some(a > b),
                            CmpOp::Ge => Some(a >= b),
                            CmpOp::Eq => Some(a == b),
                            CmpOp::Ne => Some(a != b),
                            _ => None,
                        },
                        _ => None,
                    };
                    match r {
                        Some(r) => {
                            own!();
                            frame.stack.truncate(n - 2);
                            frame.stack.push(Value::Bool(r));
                        }
                        None => hand_over!(false),
                    }
                }
                _ => hand_over!(false),
            }
        }
    }

    /// A point where CPython may switch threads (a backward jump or a call).
    /// CPython looks at the end of the instruction (at the callee's first
    /// instruction, when a C function returns), so the choice waits for it.
    fn preempt_point(&mut self, tid: Tid) {
        if !self.chooser.exploring || self.threads[tid].sync_depth > 0 {
            return;
        }
        let line = self.current_line(tid);
        self.preempt_at = Some((tid, line));
    }

    /// After an instruction with a preemption point: when the thread still runs
    /// and another thread waits for the GIL, the chooser decides whether it is
    /// switched out.
    fn preempt_choice(&mut self, tid: Tid, line: u32) {
        let pid = self.threads[tid].pid;
        let p = &self.procs[pid_index(pid)];
        if self.threads[tid].run != Run::Running || p.running != Some(tid) || self.threads[tid].frames.is_empty() {
            return;
        }
        let Some(&other) = p.ready.front() else {
            return;
        };
        let options = vec![ThreadId(tid as u32), ThreadId(other as u32)];
        if self.choice(schedule::ChoiceKind::Preempt, options, self.now, line) == 1 {
            self.preempt_now = true;
        }
    }

    /// Exploring, and another thread of `tid`'s process waits for the GIL: a
    /// backward jump is a preemption point.
    fn contended(&self, tid: Tid) -> bool {
        self.chooser.exploring && !self.procs[pid_index(self.threads[tid].pid)].ready.is_empty()
    }

    fn frame(&mut self, tid: Tid) -> &mut Frame {
        self.threads[tid].frames.last_mut().expect("frame")
    }

    fn push(&mut self, tid: Tid, v: Value) {
        self.frame(tid).stack.push(v);
    }

    fn pop(&mut self, tid: Tid) -> Value {
        self.frame(tid).stack.pop().expect("stack underflow")
    }

    fn popn(&mut self, tid: Tid, n: usize) -> Vec<Value> {
        let s = &mut self.frame(tid).stack;
        let at = s.len() - n;
        s.split_off(at)
    }

    fn top(&mut self, tid: Tid) -> &Value {
        self.frame(tid).stack.last().expect("stack")
    }

    fn code_of(&self, tid: Tid) -> CodeId {
        self.threads[tid].frames.last().expect("frame").code
    }

    /// Name `i` of the running code object (`program` is `self.program`, held
    /// apart so the name can be borrowed while `self` changes).
    fn name_at<'p>(&self, program: &'p crate::compile::Program, tid: Tid, i: u32) -> &'p str {
        program.code(self.code_of(tid)).names[i as usize].as_str()
    }

    /// Executes one (non-fast-path) instruction.
    fn step(&mut self, tid: Tid, op: Op, program: &crate::compile::Program, deadline: Nanos) -> Result<(), Raise> {
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

    /// The `Call` family: start the call and push its result when it has one.
    fn call_op(&mut self, tid: Tid, f: Value, args: Args) -> Result<(), Raise> {
        match self.call_value(tid, f, args, Ret::Push)? {
            Called::Value(v) => self.push(tid, v),
            Called::Pushed | Called::Suspended => {}
        }
        Ok(())
    }

    /// Starts a call from outside the bytecode (thread boot, shutdown handlers).
    pub fn start_call(&mut self, tid: Tid, f: Value, args: Args, ret: Ret) {
        match self.call_value(tid, f, args, ret.clone()) {
            Ok(Called::Value(v)) => {
                if let Err(e) = self.complete(tid, ret, v) {
                    self.raise_in(tid, e, false);
                }
            }
            Ok(_) => {}
            Err(e) => {
                if self.threads[tid].frames.is_empty() {
                    let exc = match self.make_exc(tid, e) {
                        Ok(x) => x,
                        Err(_) => Value::None,
                    };
                    self.uncaught(tid, exc, ret);
                } else {
                    self.raise_in(tid, e, false);
                }
            }
        }
    }

    /// Calls `f`. Python functions get a frame; natives run now.
    pub fn call_value(&mut self, tid: Tid, f: Value, mut args: Args, ret: Ret) -> Result<Called, Raise> {
        match &f {
            Value::Native(def) => {
                self.note_native(def.name);
                self.run_native(tid, def.f, args, ret)
            }
            Value::BoundNative(b) => {
                self.note_native(b.1.name);
                args.pos.insert(0, b.0.clone());
                let nf = b.1.f;
                self.run_native(tid, nf, args, ret)
            }
            Value::Obj(id) => {
                let id = *id;
                match self.heap(tid).get(id) {
                    Obj::Function(func) => {
                        let func = func.clone();
                        self.push_frame(tid, &func, Some(id), vec![], None, ret)?;
                        let frame_args = args;
                        self.bind_args(tid, &func, frame_args)?;
                        Ok(Called::Pushed)
                    }
                    Obj::Method(this, func) => {
                        let (this, func) = (this.clone(), func.clone());
                        args.pos.insert(0, this);
                        self.call_value(tid, func, args, ret)
                    }
                    Obj::Class(_) => self.instantiate(tid, id, args, ret),
                    Obj::Instance { .. } => {
                        let call = self.lookup_method(tid, &f, "__call__", false)?;
                        match call {
                            Some(c) => {
                                args.pos.insert(0, f.clone());
                                self.call_value(tid, c, args, ret)
                            }
                            None => {
                                let tn = (self.lib.type_name)(self, tid, &f);
                                Err(Raise::New("TypeError", format!("'{tn}' object is not callable")))
                            }
                        }
                    }
                    _ => {
                        let tn = (self.lib.type_name)(self, tid, &f);
                        Err(Raise::New("TypeError", format!("'{tn}' object is not callable")))
                    }
                }
            }
            _ => {
                let tn = (self.lib.type_name)(self, tid, &f);
                Err(Raise::New("TypeError", format!("'{tn}' object is not callable")))
            }
        }
    }

    fn run_native(&mut self, tid: Tid, nf: NativeFn, args: Args, ret: Ret) -> Result<Called, Raise> {
        match nf(self, tid, args)? {
            Flow::Return(v) => Ok(Called::Value(v)),
            Flow::Call(g, a) => self.call_value(tid, g, a, ret),
            Flow::Block(w) => {
                if self.threads[tid].sync_depth > 0 {
                    return Err(Raise::new(
                        "RuntimeError",
                        "a blocking call inside __str__, __repr__, __eq__, __hash__ or a key function is not supported by the simulator",
                    ));
                }
                self.block(tid, w);
                Ok(Called::Suspended)
            }
            Flow::Yield(v, other) => {
                let pid = self.threads[tid].pid;
                let t = &mut self.threads[tid];
                t.resume = Some(Ok(v));
                t.run = Run::Ready;
                let now = self.now;
                let p = self.proc_mut(pid);
                p.running = Some(other);
                p.ready.push_front(tid);
                if p.contended_since.is_none() {
                    p.contended_since = Some(now);
                }
                self.threads[other].run = Run::Running;
                self.set_state(tid, ThreadState::Ready);
                let line = self.current_line(other);
                self.set_state(other, ThreadState::Running { line });
                Ok(Called::Suspended)
            }
        }
    }

    /// Pushes a frame for `func` (arguments bound separately).
    fn push_frame(
        &mut self,
        tid: Tid,
        func: &Function,
        fid: Option<ObjId>,
        _args: Vec<Value>,
        namespace: Option<ObjId>,
        ret: Ret,
    ) -> Result<(), Raise> {
        if self.threads[tid].frames.len() >= RECURSION_LIMIT {
            return Err(Raise::new("RecursionError", "maximum recursion depth exceeded"));
        }
        let program = self.program.clone();
        let code = program.code(func.code);
        let nlocals = code.varnames.len();
        let ncells = code.cellvars.len();
        let mut cells = Vec::with_capacity(ncells + func.closure.len());
        for _ in 0..ncells {
            let c = self.alloc(tid, Obj::Cell(Value::Undefined))?;
            cells.push(c);
        }
        cells.extend(func.closure.iter().copied());
        let line = code.first_line;
        self.threads[tid].frames.push(Frame {
            code: func.code,
            pc: 0,
            stack: Vec::new(),
            locals: vec![Value::Undefined; nlocals],
            cells,
            blocks: Vec::new(),
            globals: func.globals,
            namespace,
            func: fid,
            ret,
            line,
        });
        Ok(())
    }

    /// Binds call arguments to the new top frame's parameters, as CPython does.
    fn bind_args(&mut self, tid: Tid, func: &Function, args: Args) -> Result<(), Raise> {
        let program = self.program.clone();
        let code = program.code(func.code);
        let argc = code.argcount as usize;
        let kwonly = code.kwonlyargcount as usize;
        let name = &func.name;
        let mut slots: Vec<Value> = vec![Value::Undefined; code.varnames.len()];
        let npos = args.pos.len();
        let varargs_slot = argc;
        let kwonly_start = argc + code.varargs as usize;
        let varkw_slot = kwonly_start + kwonly;
        for (i, v) in args.pos.iter().enumerate().take(argc) {
            slots[i] = v.clone();
        }
        if npos > argc {
            if code.varargs {
                slots[varargs_slot] = Value::tuple(args.pos[argc..].to_vec());
            } else {
                let given = npos;
                let expected = if func.defaults.is_empty() {
                    format!("{argc}")
                } else {
                    format!("from {} to {}", argc - func.defaults.len(), argc)
                };
                return Err(Raise::New(
                    "TypeError",
                    format!(
                        "{}() takes {} positional argument{} but {} {} given",
                        name,
                        expected,
                        if argc == 1 && func.defaults.is_empty() { "" } else { "s" },
                        given,
                        if given == 1 { "was" } else { "were" }
                    ),
                ));
            }
        } else if code.varargs {
            slots[varargs_slot] = Value::tuple(vec![]);
        }
        let mut extra_kw = Dict::default();
        for (k, v) in args.kw {
            let pos = code.varnames[..argc].iter().position(|n| **n == *k).or_else(|| {
                code.varnames[kwonly_start..kwonly_start + kwonly]
                    .iter()
                    .position(|n| **n == *k)
                    .map(|i| i + kwonly_start)
            });
            match pos {
                Some(i) => {
                    if !matches!(slots[i], Value::Undefined) {
                        return Err(Raise::New(
                            "TypeError",
                            format!("{name}() got multiple values for argument '{k}'"),
                        ));
                    }
                    slots[i] = v;
                }
                None if code.varkw => {
                    extra_kw.insert(Key::Str(k.clone()), Value::Str(k.clone()), v);
                }
                None => {
                    return Err(Raise::New(
                        "TypeError",
                        format!("{name}() got an unexpected keyword argument '{k}'"),
                    ));
                }
            }
        }
        // Defaults for the last positional parameters.
        let nd = func.defaults.len();
        for i in 0..argc {
            if matches!(slots[i], Value::Undefined) {
                if i + nd >= argc {
                    slots[i] = func.defaults[i + nd - argc].clone();
                } else {
                    let missing: Vec<String> = (i..argc - nd)
                        .filter(|j| matches!(slots[*j], Value::Undefined))
                        .map(|j| format!("'{}'", code.varnames[j]))
                        .collect();
                    let list = match missing.len() {
                        1 => missing[0].clone(),
                        2 => format!("{} and {}", missing[0], missing[1]),
                        _ => format!(
                            "{}, and {}",
                            missing[..missing.len() - 1].join(", "),
                            missing[missing.len() - 1]
                        ),
                    };
                    return Err(Raise::New(
                        "TypeError",
                        format!(
                            "{}() missing {} required positional argument{}: {}",
                            name,
                            missing.len(),
                            if missing.len() == 1 { "" } else { "s" },
                            list
                        ),
                    ));
                }
            }
        }
        for (slot, pname) in slots
            .iter_mut()
            .zip(code.varnames.iter())
            .skip(kwonly_start)
            .take(kwonly)
        {
            if matches!(slot, Value::Undefined) {
                match func.kwdefaults.iter().find(|(k, _)| k == pname) {
                    Some((_, v)) => *slot = v.clone(),
                    None => {
                        return Err(Raise::New(
                            "TypeError",
                            format!("{name}() missing 1 required keyword-only argument: '{pname}'"),
                        ));
                    }
                }
            }
        }
        if code.varkw {
            slots[varkw_slot] = Value::Obj(self.alloc(tid, Obj::Dict(extra_kw))?);
        }
        // Parameters captured by closures live in cells.
        let frame = self.threads[tid].frames.last_mut().expect("frame");
        let cells: Vec<(u32, ObjId)> = code
            .cell_params
            .iter()
            .map(|(slot, ci)| (*slot, frame.cells[*ci as usize]))
            .collect();
        frame.locals = slots;
        for (slot, cell) in cells {
            let v = self.threads[tid].frames.last().expect("frame").locals[slot as usize].clone();
            *self.heap(tid).get_mut(cell) = Obj::Cell(v);
        }
        Ok(())
    }

    /// `Cls(args)`: a new instance, initialised by `__init__`.
    fn instantiate(&mut self, tid: Tid, cls: ObjId, args: Args, ret: Ret) -> Result<Called, Raise> {
        if let Some(v) = (self.lib.construct_builtin)(self, tid, cls, &args)? {
            return match v {
                Flow::Return(v) => Ok(Called::Value(v)),
                Flow::Call(f, a) => self.call_value(tid, f, a, ret),
                _ => Ok(Called::Suspended),
            };
        }
        let base_exception = self.proc(self.pid_of(tid)).classes.get("BaseException");
        let is_exc = (self.lib.is_subclass)(self, tid, cls, base_exception);
        let native = if is_exc {
            Native::Exception {
                tb: Vec::new(),
                context: None,
                suppress: false,
            }
        } else {
            Native::None
        };
        let mut dict = Dict::default();
        if is_exc {
            dict.set_str("args", Value::tuple(args.pos.clone()));
        }
        let inst = Value::Obj(self.alloc(
            tid,
            Obj::Instance {
                class: cls,
                dict,
                native,
            },
        )?);
        let init = self.class_lookup(tid, cls, "__init__");
        match init {
            Some(f) => {
                let mut a = args;
                a.pos.insert(0, inst.clone());
                let inner_ret = match ret {
                    Ret::Push => Ret::Instance(inst.clone()),
                    other => other,
                };
                match self.call_value(tid, f, a, inner_ret)? {
                    Called::Value(_) => Ok(Called::Value(inst)),
                    other => Ok(other),
                }
            }
            None => {
                if !args.pos.is_empty() && !is_exc {
                    let cn = (self.lib.class_name)(self, tid, cls);
                    return Err(Raise::New("TypeError", format!("{cn}() takes no arguments")));
                }
                Ok(Called::Value(inst))
            }
        }
    }

    /// Delivers a finished call's value according to `ret`.
    pub fn complete(&mut self, tid: Tid, ret: Ret, v: Value) -> Result<(), Raise> {
        match ret {
            Ret::Push => self.push(tid, v),
            Ret::Instance(inst) => {
                if !v.is_none() {
                    let tn = (self.lib.type_name)(self, tid, &v);
                    return Err(Raise::New(
                        "TypeError",
                        format!("__init__() should return None, not '{tn}'"),
                    ));
                }
                self.push(tid, inst)
            }
            Ret::BuildClass { name, bases } => {
                let cls = (self.lib.build_class)(self, tid, name, bases, v)?;
                self.push(tid, cls);
            }
            Ret::ThreadEnd => {
                if self.threads[tid].frames.is_empty() {
                    self.end_thread(tid, ThreadState::Finished);
                }
            }
            Ret::ModuleEnd => {
                self.threads[tid].frames.clear();
                self.advance_shutdown(tid);
            }
            Ret::Shutdown => {}
            Ret::Sync => self.threads[tid].resume = Some(Ok(v)),
            Ret::Discard => {}
            Ret::ForIterNext { .. } => self.push(tid, v),
            Ret::Signal { saved } => (self.lib.resume_wait)(self, tid, saved),
        }
        Ok(())
    }

    /// Calls `f` and runs it to completion on this thread, without giving up the GIL
    /// (for `__str__`, `__eq__`, key functions...). Blocking inside is an error.
    pub fn call_sync(&mut self, tid: Tid, f: Value, args: Args) -> Result<Value, Raise> {
        let depth = self.threads[tid].frames.len();
        let saved = self.threads[tid].resume.take();
        let saved_run = self.threads[tid].run.clone();
        self.threads[tid].run = Run::Running;
        self.threads[tid].sync_depth += 1;
        let r = match self.call_value(tid, f, args, Ret::Sync) {
            Ok(Called::Value(v)) => Ok(v),
            Ok(Called::Pushed) => {
                self.exec_until(tid, u64::MAX, depth, false);
                match self.threads[tid].resume.take() {
                    Some(r) => r,
                    None => {
                        // Stopped by a limit; unwind the nested frames.
                        self.threads[tid].frames.truncate(depth);
                        Err(Raise::new("RuntimeError", "simulation stopped"))
                    }
                }
            }
            Ok(Called::Suspended) => Err(Raise::new("RuntimeError", "blocking call inside a synchronous call")),
            Err(e) => Err(e),
        };
        self.threads[tid].sync_depth -= 1;
        self.threads[tid].run = saved_run;
        self.threads[tid].resume = saved;
        r
    }

    // ----- exceptions

    /// Turns a [`Raise`] into an exception instance.
    pub fn make_exc(&mut self, tid: Tid, r: Raise) -> Result<Value, Raise> {
        match r {
            Raise::New(cls, msg) => {
                let c = self.proc(self.pid_of(tid)).classes.get(cls);
                self.new_exception(tid, c, vec![Value::str(msg)])
            }
            Raise::Obj(v) => match &v {
                Value::Obj(id) => match self.heap(tid).get(*id) {
                    Obj::Class(_) => {
                        let base = self.proc(self.pid_of(tid)).classes.get("BaseException");
                        if !(self.lib.is_subclass)(self, tid, *id, base) {
                            return Err(Raise::new("TypeError", "exceptions must derive from BaseException"));
                        }
                        let id = *id;
                        match self.class_lookup(tid, id, "__init__") {
                            Some(_) => {
                                let inst = self.call_sync(tid, v.clone(), Args::default())?;
                                Ok(inst)
                            }
                            None => self.new_exception(tid, id, vec![]),
                        }
                    }
                    Obj::Instance {
                        native: Native::Exception { .. },
                        ..
                    } => Ok(v.clone()),
                    _ => Err(Raise::new("TypeError", "exceptions must derive from BaseException")),
                },
                _ => Err(Raise::new("TypeError", "exceptions must derive from BaseException")),
            },
        }
    }

    pub fn new_exception(&mut self, tid: Tid, cls: ObjId, args: Vec<Value>) -> Result<Value, Raise> {
        let mut dict = Dict::default();
        dict.set_str("args", Value::tuple(args));
        let id = self.alloc(
            tid,
            Obj::Instance {
                class: cls,
                dict,
                native: Native::Exception {
                    tb: Vec::new(),
                    context: None,
                    suppress: false,
                },
            },
        )?;
        Ok(Value::Obj(id))
    }

    fn add_tb(&mut self, tid: Tid, exc: &Value, depth: usize) {
        let Some(f) = self.threads[tid].frames.get(depth) else {
            return;
        };
        let code = self.program.code(f.code);
        if code.file != 0 {
            // Frames of the simulator's own library code are not the user's: CPython's
            // equivalents live in the standard library and the callers add them.
            return;
        }
        let (file, text) = self.program.line_text(code.file, f.line);
        let entry = TbEntry {
            file,
            line: f.line,
            func: code.name.clone(),
            text,
        };
        if let Value::Obj(id) = exc {
            if let Obj::Instance {
                native: Native::Exception { tb, .. },
                ..
            } = self.heap(tid).get_mut(*id)
            {
                tb.push(entry);
            }
        }
    }

    /// Raises in `tid`'s current frame and unwinds to a handler (or ends the thread).
    /// `reraise`: the exception already has this frame in its traceback.
    pub fn raise_in(&mut self, tid: Tid, r: Raise, reraise: bool) {
        let exc = match self.make_exc(tid, r) {
            Ok(e) => e,
            Err(r2) => match self.make_exc(tid, r2) {
                Ok(e) => e,
                Err(_) => return,
            },
        };
        // Implicit chaining: raised while another exception is being handled.
        if !reraise {
            if let Some(ctx) = self.threads[tid].exc_info.last().cloned() {
                if let (Value::Obj(eid), Value::Obj(cid)) = (&exc, &ctx) {
                    if eid != cid {
                        if let Obj::Instance {
                            native: Native::Exception { context, .. },
                            ..
                        } = self.heap(tid).get_mut(*eid)
                        {
                            if context.is_none() {
                                *context = Some(*cid);
                            }
                        }
                    }
                }
            }
        }
        let mut add = !reraise;
        loop {
            let depth = self.threads[tid].frames.len();
            if depth == 0 {
                // A signal handler raised while the main thread waited at shutdown.
                if self.threads[tid].is_main {
                    (self.lib.interrupt_shutdown)(self, tid, Raise::Obj(exc));
                }
                return;
            }
            if add {
                self.add_tb(tid, &exc, depth - 1);
            }
            add = true;
            loop {
                let frame = self.threads[tid].frames.last_mut().expect("frame");
                match frame.blocks.pop() {
                    Some(Block::Except { handler, level }) => {
                        frame.stack.truncate(level as usize);
                        frame.blocks.push(Block::Handler { level });
                        frame.stack.push(exc.clone());
                        frame.pc = handler;
                        self.threads[tid].exc_info.push(exc);
                        return;
                    }
                    Some(Block::Handler { .. }) => {
                        self.threads[tid].exc_info.pop();
                    }
                    None => break,
                }
            }
            let f = self.threads[tid].frames.pop().expect("frame");
            match f.ret {
                Ret::Push | Ret::Instance(_) | Ret::BuildClass { .. } | Ret::Discard | Ret::Signal { .. } => continue,
                Ret::ForIterNext { target } => {
                    if (self.lib.exc_is)(self, tid, &exc, "StopIteration") {
                        let fr = self.frame(tid);
                        fr.stack.pop();
                        fr.pc = target;
                        return;
                    }
                    continue;
                }
                Ret::Sync => {
                    self.threads[tid].resume = Some(Err(Raise::Obj(exc)));
                    return;
                }
                ret @ (Ret::ThreadEnd | Ret::ModuleEnd | Ret::Shutdown) => {
                    self.threads[tid].frames.clear();
                    self.uncaught(tid, exc, ret);
                    return;
                }
            }
        }
    }

    /// An exception escaped a thread's outermost frame.
    pub fn uncaught(&mut self, tid: Tid, exc: Value, ret: Ret) {
        let line = self.threads[tid].frames.last().map(|f| f.line).unwrap_or(0);
        let cls_name = (self.lib.exc_class_name)(self, tid, &exc);
        let is_system_exit = (self.lib.exc_is)(self, tid, &exc, "SystemExit");
        match ret {
            Ret::ThreadEnd => {
                if is_system_exit {
                    self.end_thread(tid, ThreadState::Finished);
                    return;
                }
                if let Some(hook) = (self.lib.user_excepthook)(self, tid) {
                    // `threading.excepthook` replaced: it reports the exception instead.
                    if let Ok(args) = (self.lib.excepthook_args)(self, tid, &exc) {
                        let _ = self.call_sync(tid, hook, Args::new(vec![args]));
                    }
                } else {
                    let name = self.threads[tid].name.clone();
                    let mut text = format!("Exception in thread {name}:\n");
                    let lead = (self.lib.bootstrap_frames)(self, tid);
                    text.push_str(&(self.lib.format_exception)(self, tid, &exc, lead));
                    self.write(tid, Stream::Stderr, &text);
                }
                self.event(EventKind::Uncaught {
                    thread: ThreadId(tid as u32),
                    exception: cls_name.clone(),
                    line,
                });
                self.end_thread(tid, ThreadState::Failed { exception: cls_name });
            }
            Ret::ModuleEnd => {
                let pid = self.pid_of(tid);
                let code = if is_system_exit {
                    (self.lib.system_exit_code)(self, tid, &exc)
                } else {
                    let text = (self.lib.format_exception)(self, tid, &exc, Vec::new());
                    let ki = (self.lib.exc_is)(self, tid, &exc, "KeyboardInterrupt");
                    // 3.13 formats a KeyboardInterrupt's traceback noticeably slower than 3.12
                    // (a child's report of the same Ctrl-C usually comes out first).
                    if ki && self.opts.python == PyVersion::V3_13 && !self.proc(pid).mp.is_child {
                        self.write_delay = TRACEBACK_NS;
                    }
                    self.write(tid, Stream::Stderr, &text);
                    self.write_delay = 0;
                    self.event(EventKind::Uncaught {
                        thread: ThreadId(tid as u32),
                        exception: cls_name,
                        line,
                    });
                    if ki {
                        -2
                    } else {
                        1
                    }
                };
                self.proc_mut(pid).exit_code = Some(code);
                self.advance_shutdown(tid);
            }
            Ret::Shutdown if !is_system_exit => {
                let pid = self.pid_of(tid);
                let handler = self.proc(pid).current_atexit.clone().unwrap_or(Value::None);
                let what = (self.lib.repr_of)(self, tid, &handler).unwrap_or_else(|_| "<function>".into());
                let mut text = String::from("Exception ignored in atexit callback");
                text.push_str(&if self.opts.python == PyVersion::V3_12 {
                    format!(": {what}\n")
                } else {
                    format!(" {what}:\n")
                });
                text.push_str(&(self.lib.format_unraisable)(self, tid, &exc));
                self.write(tid, Stream::Stderr, &text);
            }
            _ => {}
        }
    }

    // ----- names and attributes

    /// Looks `name` up in globals `g`, then in the builtins. `at` (code object,
    /// name index) selects the lookup's [`NameHint`].
    fn load_global(&mut self, tid: Tid, g: ObjId, name: &str, at: Option<(CodeId, u32)>) -> Result<Value, Raise> {
        let mut none = NameHint::default();
        let hint = match at {
            Some((c, i)) => &mut self.name_hints[c.0 as usize][i as usize],
            None => &mut none,
        };
        let p = &self.procs[pid_index(self.threads[tid].pid)];
        if let Obj::Dict(d) = p.heap.get(g) {
            if let Some(v) = d.get_str_hinted(name, &mut hint.globals) {
                return Ok(v.clone());
            }
        }
        if let Obj::Dict(d) = p.heap.get(p.builtins) {
            if let Some(v) = d.get_str_hinted(name, &mut hint.builtins) {
                return Ok(v.clone());
            }
        }
        Err(Raise::New("NameError", format!("name '{name}' is not defined")))
    }

    pub fn dict_set_str(&mut self, tid: Tid, d: ObjId, name: &str, v: Value) {
        if let Obj::Dict(dict) = self.heap(tid).get_mut(d) {
            dict.set_str(name, v);
        }
    }

    fn dict_del_str(&mut self, tid: Tid, d: ObjId, name: &str) -> Option<Value> {
        if let Obj::Dict(dict) = self.heap(tid).get_mut(d) {
            return dict.remove(&Key::Str(Rc::new(name.to_string())));
        }
        None
    }

    pub fn alloc(&mut self, tid: Tid, o: Obj) -> Result<ObjId, Raise> {
        let h = self.heap(tid);
        if h.full() {
            return Err(Raise::new("MemoryError", ""));
        }
        Ok(h.alloc(o))
    }

    /// Looks `name` up along a class's MRO.
    pub fn class_lookup(&mut self, tid: Tid, cls: ObjId, name: &str) -> Option<Value> {
        let heap = &*self.heap(tid);
        let Obj::Class(c) = heap.get(cls) else {
            return None;
        };
        for &k in &c.mro {
            if let Obj::Class(k) = heap.get(k) {
                if let Some(v) = k.dict.get_str(name) {
                    return Some(v.clone());
                }
            }
        }
        None
    }

    /// For `obj.name(...)`: the unbound callable when `name` is a method found on the type.
    ///
    /// With `payloads`, also the native methods of instances carrying a native
    /// payload (threads, processes, locks, queues, ...), for `LoadMethod`: when
    /// `getattr` would bind such a method, calling it unbound with `obj` first is
    /// the same call, and the lookup reads what `getattr` reads.
    fn lookup_method(&mut self, tid: Tid, obj: &Value, name: &str, payloads: bool) -> Result<Option<Value>, Raise> {
        let lib = self.lib;
        match obj {
            Value::Obj(id) => {
                let (cls, payload, prim) = match self.heap(tid).get(*id) {
                    Obj::Instance { class, dict, native } => {
                        if dict.get_str(name).is_some() {
                            return Ok(None);
                        }
                        // Attributes a payload serves itself are `getattr`'s.
                        let served = match native {
                            Native::None | Native::Exception { .. } => false,
                            _ if !payloads || name == "__class__" || name == "__dict__" => true,
                            payload => (lib.payload_serves)(payload, name),
                        };
                        if served {
                            return Ok(None);
                        }
                        let payload = !matches!(native, Native::None | Native::Exception { .. });
                        (*class, payload, matches!(native, Native::Prim(_)))
                    }
                    _ => return Ok((self.lib.type_method)(self, tid, obj, name).map(Value::Native)),
                };
                if prim {
                    // `getattr` looks at a primitive's data through a mutable borrow,
                    // which the explorer's heap log counts as a write: keep that.
                    self.heap(tid).get_mut(*id);
                }
                if matches!(self.heap(tid).get(cls), Obj::Class(c) if c.builtin == Some("super")) {
                    return Ok(None);
                }
                match self.class_lookup(tid, cls, name) {
                    Some(f @ Value::Native(_)) => Ok(Some(f)),
                    // `getattr` binds a Python method of a payload's class (a new
                    // object): leave it to `getattr`.
                    Some(Value::Obj(fid)) if !payload && matches!(self.heap(tid).get(fid), Obj::Function(_)) => {
                        Ok(Some(Value::Obj(fid)))
                    }
                    _ => Ok(None),
                }
            }
            _ => Ok((self.lib.type_method)(self, tid, obj, name).map(Value::Native)),
        }
    }

    pub fn getattr(&mut self, tid: Tid, obj: &Value, name: &str) -> Result<Value, Raise> {
        let lib = self.lib;
        if let Value::Obj(id) = obj {
            let id = *id;
            match self.heap(tid).get(id) {
                Obj::Instance { class, native, .. } => {
                    // A queue's state holds its items: never clone it for an attribute read.
                    let is_prim = matches!(native, Native::Prim(_));
                    // Clone the rest of the payload only when it can answer `name`.
                    let native = match native {
                        Native::Prim(_) => Native::None,
                        Native::Process(_) | Native::Thread(_) if !(lib.payload_serves)(native, name) => Native::None,
                        Native::Exception { context, suppress, .. } => Native::Exception {
                            tb: Vec::new(),
                            context: *context,
                            suppress: *suppress,
                        },
                        other => other.clone(),
                    };
                    let class = *class;
                    if is_prim {
                        if let Some(v) = (self.lib.prim_getattr)(self, tid, id, name) {
                            return Ok(v);
                        }
                    }
                    if matches!(self.heap(tid).get(class), Obj::Class(c) if c.builtin == Some("super")) {
                        if let Some(v) = (self.lib.super_getattr)(self, tid, id, name)? {
                            return Ok(v);
                        }
                    }
                    if let Native::Process(p) = &native {
                        if let Some(v) = (self.lib.process_getattr)(self, tid, p, name)? {
                            return Ok(v);
                        }
                    }
                    if let Native::Shared(s) = &native {
                        if let Some(v) = (self.lib.shared_getattr)(self, tid, *s, name)? {
                            return Ok(v);
                        }
                    }
                    if let Some(v) = (self.lib.native_getattr)(self, tid, id, native, name)? {
                        return Ok(v);
                    }
                    if let Obj::Instance { dict, .. } = self.heap(tid).get(id) {
                        if let Some(v) = dict.get_str(name) {
                            return Ok(v.clone());
                        }
                    }
                    if name == "__class__" {
                        return Ok(Value::Obj(class));
                    }
                    if name == "__dict__" {
                        let d = match self.heap(tid).get(id) {
                            Obj::Instance { dict, .. } => dict.clone(),
                            _ => Dict::default(),
                        };
                        return Ok(Value::Obj(self.alloc(tid, Obj::Dict(d))?));
                    }
                    if let Some(v) = self.class_lookup(tid, class, name) {
                        return self.bind(tid, obj, v);
                    }
                    let cn = (self.lib.class_name)(self, tid, class);
                    return Err(Raise::New(
                        "AttributeError",
                        format!("'{cn}' object has no attribute '{name}'"),
                    ));
                }
                Obj::Class(c) => {
                    let cname = c.name.clone();
                    if name == "__name__" || name == "__qualname__" {
                        return Ok(Value::Str(cname));
                    }
                    if name == "__mro__" {
                        let mro = c.mro.iter().map(|x| Value::Obj(*x)).collect();
                        return Ok(Value::tuple(mro));
                    }
                    if let Some(v) = self.class_lookup(tid, id, name) {
                        return (self.lib.unwrap_class_attr)(self, tid, id, v);
                    }
                    return Err(Raise::New(
                        "AttributeError",
                        format!("type object '{cname}' has no attribute '{name}'"),
                    ));
                }
                Obj::Module { name: mname, dict } => {
                    let (mname, dict) = (mname.clone(), *dict);
                    if let Obj::Dict(d) = self.heap(tid).get(dict) {
                        if let Some(v) = d.get_str(name) {
                            return Ok(v.clone());
                        }
                    }
                    if mname.as_str() == "sys" && name == "modules" {
                        return (self.lib.sys_modules)(self, tid);
                    }
                    if name == "__name__" {
                        return Ok(Value::Str(mname));
                    }
                    return Err(Raise::New(
                        "AttributeError",
                        format!("module '{mname}' has no attribute '{name}'"),
                    ));
                }
                Obj::Function(f) => {
                    match name {
                        "__name__" => return Ok(Value::Str(f.name.clone())),
                        "__qualname__" => return Ok(Value::Str(f.qualname.clone())),
                        "__module__" => return Ok(Value::str("__main__")),
                        _ => {}
                    }
                    return Err(Raise::New(
                        "AttributeError",
                        format!("'function' object has no attribute '{name}'"),
                    ));
                }
                _ => {}
            }
        }
        if let Value::Native(d) = obj {
            if name == "__name__" || name == "__qualname__" {
                return Ok(Value::str(d.name.rsplit('.').next().unwrap_or(d.name)));
            }
        }
        if let Some(v) = (self.lib.value_attr)(self, tid, obj, name)? {
            return Ok(v);
        }
        if let Some(f) = (self.lib.type_method)(self, tid, obj, name) {
            return Ok(Value::BoundNative(Rc::new((obj.clone(), f))));
        }
        let tn = (self.lib.type_name)(self, tid, obj);
        Err(Raise::New(
            "AttributeError",
            format!("'{tn}' object has no attribute '{name}'"),
        ))
    }

    /// Binds a class attribute found for instance `obj`.
    fn bind(&mut self, tid: Tid, obj: &Value, v: Value) -> Result<Value, Raise> {
        match &v {
            Value::Native(d) => Ok(Value::BoundNative(Rc::new((obj.clone(), d)))),
            Value::Obj(fid) => match self.heap(tid).get(*fid) {
                Obj::Function(_) => Ok(Value::Obj(self.alloc(tid, Obj::Method(obj.clone(), v.clone()))?)),
                Obj::Instance { .. } => (self.lib.descriptor_get)(self, tid, obj, v.clone()),
                _ => Ok(v),
            },
            _ => Ok(v),
        }
    }

    pub fn setattr(&mut self, tid: Tid, obj: &Value, name: &str, v: Value) -> Result<(), Raise> {
        if let Value::Obj(id) = obj {
            let id = *id;
            if (self.lib.native_setattr)(self, tid, id, name, &v)? {
                return Ok(());
            }
            if (self.lib.process_setattr)(self, tid, id, name, &v)?
                || (self.lib.shared_setattr)(self, tid, id, name, &v)?
            {
                return Ok(());
            }
            match self.heap(tid).get_mut(id) {
                Obj::Instance { dict, .. } => {
                    dict.set_str(name, v);
                    return Ok(());
                }
                Obj::Class(c) => {
                    c.dict.set_str(name, v);
                    return Ok(());
                }
                Obj::Module { dict, .. } => {
                    let d = *dict;
                    self.dict_set_str(tid, d, name, v);
                    return Ok(());
                }
                _ => {}
            }
        }
        let tn = (self.lib.type_name)(self, tid, obj);
        Err(Raise::New(
            "AttributeError",
            format!("'{tn}' object has no attribute '{name}' and no __dict__ for setting new attributes"),
        ))
    }

    fn delattr(&mut self, tid: Tid, obj: &Value, name: &str) -> Result<(), Raise> {
        if let Value::Obj(id) = obj {
            if let Obj::Instance { dict, .. } = self.heap(tid).get_mut(*id) {
                if dict.remove(&Key::Str(Rc::new(name.to_string()))).is_some() {
                    return Ok(());
                }
            }
        }
        let tn = (self.lib.type_name)(self, tid, obj);
        Err(Raise::New(
            "AttributeError",
            format!("'{tn}' object has no attribute '{name}'"),
        ))
    }

    /// True when the running frame is a class body or module (for `super()`).
    pub fn current_function(&self, tid: Tid) -> Option<(ObjId, Value)> {
        let f = self.threads[tid].frames.last()?;
        let code = self.program.code(f.code);
        if code.kind != CodeKind::Function {
            return None;
        }
        let first = f.locals.first().cloned().unwrap_or(Value::Undefined);
        let first = if let Some((_, ci)) = code.cell_params.iter().find(|(slot, _)| *slot == 0) {
            match self.proc(f.globals_pid(self)).heap.get(f.cells[*ci as usize]) {
                Obj::Cell(v) => v.clone(),
                _ => first,
            }
        } else {
            first
        };
        Some((f.func?, first))
    }
}

impl Frame {
    fn globals_pid(&self, w: &World) -> Pid {
        // Frames run in their thread's process; the first process owning the globals.
        let _ = self;
        w.procs[0].pid
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use crate::compile::Program;
    use crate::trace::Trace;
    use crate::vm::schedule::{Chooser, Mode, Reduction};
    use crate::vm::World;
    use crate::RunOptions;

    /// Runs `program` with or without the fast loop; with `explore`, under a
    /// random exploring chooser that records the reduction's bookkeeping.
    fn run(program: &Rc<Program>, opts: &RunOptions, fast: bool, explore: Option<u64>) -> (Trace, Chooser) {
        // The machine's tests need the library it runs on.
        let mut w = World::new(program.clone(), opts, &crate::stdlib::LIBRARY);
        if let Some(seed) = explore {
            let mut c = Chooser::new(Vec::new(), Mode::Random { state: seed }, true);
            c.red = Some(Box::new(Reduction::default()));
            w.chooser = c;
            for p in &mut w.procs {
                p.heap.log = Some(Default::default());
            }
        }
        w.fast_path = fast;
        w.run();
        w.end_segment();
        let chooser = w.chooser.clone();
        (w.finish(), chooser)
    }

    /// The same run with and without the fast loop.
    fn check_same(name: &str, source: &str, opts: &RunOptions, explore: Option<u64>) {
        let program = match crate::build(source, &opts.script_name) {
            Ok(p) => Rc::new(p),
            Err(d) => panic!("{name}: does not compile: {d:?}"),
        };
        let (fast, fast_chooser) = run(&program, opts, true, explore);
        let (full, full_chooser) = run(&program, opts, false, explore);
        if fast != full {
            let a = serde_json::to_string_pretty(&fast).unwrap_or_default();
            let b = serde_json::to_string_pretty(&full).unwrap_or_default();
            let at = a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or(0);
            let show = |s: &str| {
                s.lines()
                    .skip(at.saturating_sub(5))
                    .take(12)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            panic!(
                "{name} (explore {explore:?}): traces differ at line {at}:\nfast:\n{}\nfull:\n{}",
                show(&a),
                show(&b)
            );
        }
        assert!(
            fast_chooser == full_chooser,
            "{name} (explore {explore:?}): choices or reduction differ"
        );
    }

    #[test]
    fn every_scenario_runs_the_same_without_the_fast_loop() {
        for s in crate::scenarios::all() {
            check_same(&s.meta.id, &s.script, &s.run_options(), None);
            for v in &s.meta.try_this {
                if let Some(script) = s.variation_script(v) {
                    let name = format!("{}~{}", s.meta.id, v.id);
                    check_same(&name, script, &s.variation_options(v), None);
                }
            }
        }
    }

    #[test]
    fn every_scenario_explores_the_same_without_the_fast_loop() {
        for s in crate::scenarios::all() {
            check_same(&s.meta.id, &s.script, &s.run_options(), Some(7));
        }
    }

    const LOOPS: &[(&str, &str)] = &[
        (
            "two counting threads",
            "import threading\ncount = 0\ndef work(n):\n    global count\n    i = 0\n    while i < n:\n        count += i % 7\n        i += 1\nts = [threading.Thread(target=work, args=(30000,)) for _ in range(2)]\nfor t in ts: t.start()\nfor t in ts: t.join()\nprint(count)\n",
        ),
        (
            "spinning daemon",
            "import threading, time\ndef spin():\n    while True:\n        pass\nthreading.Thread(target=spin, daemon=True).start()\ntime.sleep(0.02)\nprint('main done')\n",
        ),
        (
            "spinning with a constant test",
            "import threading, time\ndef spin():\n    while 1:\n        pass\nt = threading.Thread(target=spin, daemon=True)\nt.start()\nx = 0\nfor i in range(50000):\n    x = x + i // 3 - i % 5\nprint(x)\n",
        ),
        (
            "arithmetic the fast loop hands over",
            "a = 7\nb = -3\nprint(a % b, a // b, -a % 3, 2 ** 10, 9223372036854775807 - 1)\ntry:\n    print(9223372036854775807 + 1)\nexcept OverflowError as e:\n    print('overflow')\nprint(1 < 2.5, 'a' < 'b', None == 0, 3 != 3)\nwhile None:\n    pass\nx = 0\nwhile x < 5 and not x == 9:\n    x += 1\nprint(x, 1.5 + 2, 'ab' * 2)\n",
        ),
        (
            "unbound local and missing global",
            "def f():\n    try:\n        print(y)\n        y = 1\n    except UnboundLocalError as e:\n        print(e)\n    try:\n        print(zzz)\n    except NameError as e:\n        print(e)\nf()\ng = 5\ndef h():\n    global g\n    for i in range(1000):\n        g = g + 1\n    return g\nprint(h())\n",
        ),
        (
            "lock-step workers",
            "import threading\nlock = threading.Lock()\ntotal = 0\ndef work():\n    global total\n    for i in range(20000):\n        with lock:\n            total += 1\nts = [threading.Thread(target=work) for _ in range(3)]\nfor t in ts: t.start()\nfor t in ts: t.join()\nprint(total)\n",
        ),
    ];

    #[test]
    fn tight_loops_run_the_same_without_the_fast_loop() {
        let opts = RunOptions::default();
        for (name, source) in LOOPS {
            check_same(name, source, &opts, None);
            check_same(name, source, &opts, Some(3));
            check_same(name, source, &opts, Some(11));
        }
    }
}
