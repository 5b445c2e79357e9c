//! Calls: starting a call of any callable, native functions, Python frames and
//! argument binding, instances (`__init__`), returns ([`World::complete`]) and
//! synchronous calls (`__str__`, key functions).

use crate::compile::CodeKind;
use crate::trace::*;
use crate::vm::value::*;
use crate::vm::*;

use super::Called;

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
