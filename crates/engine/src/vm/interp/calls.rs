//! Calls: starting a call of any callable, native functions, Python frames and
//! argument binding, instances (`__init__`), returns ([`World::complete`]) and
//! synchronous calls (`__str__`, key functions).

use std::rc::Rc;

use crate::compile::CodeKind;
use crate::trace::*;
use crate::vm::value::*;
use crate::vm::*;

use super::Called;

impl World {
    // ----- call, function and class instructions

    /// `Call`: `f(a, b)`, a preemption point.
    pub(super) fn call(&mut self, tid: Tid, n: u32) -> Result<(), Raise> {
        self.preempt_point(tid);
        let args = self.popn(tid, n as usize);
        let f = self.pop(tid);
        self.call_op(tid, f, Args::new(args))
    }

    /// `CallKw`: `f(a, k=b)`; `names` is the constant with the keywords' names.
    pub(super) fn call_kw(&mut self, tid: Tid, argc: u32, names: u32) -> Result<(), Raise> {
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
        self.call_op(tid, f, Args { pos: vals, kw })
    }

    /// `CallEx`: `f(*args, **kwargs)`.
    pub(super) fn call_ex(&mut self, tid: Tid, has_kw: bool) -> Result<(), Raise> {
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
                        _ => return Err(Raise::new(Exc::TypeError, "keywords must be strings")),
                    }
                }
            }
        }
        self.call_op(tid, f, args)
    }

    /// `CallMethod`: calls what `LoadMethod` pushed.
    pub(super) fn call_method(&mut self, tid: Tid, n: u32) -> Result<(), Raise> {
        self.preempt_point(tid);
        let mut args = self.popn(tid, n as usize);
        let this = self.pop(tid);
        let f = self.pop(tid);
        if !matches!(this, Value::Undefined) {
            args.insert(0, this);
        }
        self.call_op(tid, f, Args::new(args))
    }

    /// `MakeFunction`: a function object for child code object `code`, with its
    /// defaults, keyword-only defaults and closure cells from the stack.
    pub(super) fn make_function(
        &mut self,
        tid: Tid,
        code: u32,
        defaults: u32,
        kwdefaults: u32,
        closure: u32,
    ) -> Result<(), Raise> {
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
        Ok(())
    }

    /// `BuildClass`: runs the class body in a new frame; the class is built when it
    /// returns (`Ret::BuildClass`).
    pub(super) fn build_class(&mut self, tid: Tid, nbases: u32) -> Result<(), Raise> {
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
        Ok(())
    }

    /// `Return`: pops the frame and delivers the value to its caller.
    pub(super) fn return_value(&mut self, tid: Tid) -> Result<(), Raise> {
        let v = self.pop(tid);
        let f = self.threads[tid].frames.pop().expect("frame");
        self.complete(tid, f.ret, v)
    }
}

impl World {
    /// The `Call` family: start the call and push its result when it has one.
    pub(super) fn call_op(&mut self, tid: Tid, f: Value, args: Args) -> Result<(), Raise> {
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
                                Err(Raise::New(Exc::TypeError, format!("'{tn}' object is not callable")))
                            }
                        }
                    }
                    _ => {
                        let tn = (self.lib.type_name)(self, tid, &f);
                        Err(Raise::New(Exc::TypeError, format!("'{tn}' object is not callable")))
                    }
                }
            }
            _ => {
                let tn = (self.lib.type_name)(self, tid, &f);
                Err(Raise::New(Exc::TypeError, format!("'{tn}' object is not callable")))
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
                        Exc::RuntimeError,
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
    pub(super) fn push_frame(
        &mut self,
        tid: Tid,
        func: &Function,
        fid: Option<ObjId>,
        _args: Vec<Value>,
        namespace: Option<ObjId>,
        ret: Ret,
    ) -> Result<(), Raise> {
        if self.threads[tid].frames.len() >= RECURSION_LIMIT {
            return Err(Raise::new(Exc::RecursionError, "maximum recursion depth exceeded"));
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
                return Err(too_many_positional(func, argc, npos));
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
                            Exc::TypeError,
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
                        Exc::TypeError,
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
                    return Err(missing_positional(name, &missing));
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
                            Exc::TypeError,
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
        let base_exception = self.proc(self.pid_of(tid)).classes.exc(Exc::BaseException);
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
                    return Err(Raise::New(Exc::TypeError, format!("{cn}() takes no arguments")));
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
                        Exc::TypeError,
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
                        Err(Raise::new(Exc::RuntimeError, "simulation stopped"))
                    }
                }
            }
            Ok(Called::Suspended) => Err(Raise::new(Exc::RuntimeError, "blocking call inside a synchronous call")),
            Err(e) => Err(e),
        };
        self.threads[tid].sync_depth -= 1;
        self.threads[tid].run = saved_run;
        self.threads[tid].resume = saved;
        r
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

/// `f() takes 2 positional arguments but 3 were given`.
fn too_many_positional(func: &Function, argc: usize, given: usize) -> Raise {
    let expected = if func.defaults.is_empty() {
        format!("{argc}")
    } else {
        format!("from {} to {}", argc - func.defaults.len(), argc)
    };
    Raise::New(
        Exc::TypeError,
        format!(
            "{}() takes {} positional argument{} but {} {} given",
            func.name,
            expected,
            if argc == 1 && func.defaults.is_empty() { "" } else { "s" },
            given,
            if given == 1 { "was" } else { "were" }
        ),
    )
}

/// `f() missing 2 required positional arguments: 'a' and 'b'` (`missing`: the quoted names).
fn missing_positional(name: &str, missing: &[String]) -> Raise {
    let list = match missing.len() {
        1 => missing[0].clone(),
        2 => format!("{} and {}", missing[0], missing[1]),
        _ => format!(
            "{}, and {}",
            missing[..missing.len() - 1].join(", "),
            missing[missing.len() - 1]
        ),
    };
    Raise::New(
        Exc::TypeError,
        format!(
            "{}() missing {} required positional argument{}: {}",
            name,
            missing.len(),
            if missing.len() == 1 { "" } else { "s" },
            list
        ),
    )
}

impl Frame {
    fn globals_pid(&self, w: &World) -> Pid {
        // Frames run in their thread's process; the first process owning the globals.
        let _ = self;
        w.procs[0].pid
    }
}
