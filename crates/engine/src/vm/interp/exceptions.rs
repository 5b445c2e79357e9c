//! Exceptions: making exception instances, raising and unwinding to a handler,
//! tracebacks, and an exception that escapes a thread, the main module or an
//! atexit handler.

use crate::trace::*;
use crate::vm::value::*;
use crate::vm::*;

impl World {
    // ----- exception and `with` instructions

    /// `SetupExcept`: a try block with its handler at `h`.
    pub(super) fn setup_except(&mut self, tid: Tid, h: u32) {
        let level = self.frame(tid).stack.len() as u32;
        self.frame(tid).blocks.push(Block::Except { handler: h, level });
    }

    /// `PopExcept`: the end of an except or finally body run for an exception.
    pub(super) fn pop_except(&mut self, tid: Tid) {
        if let Some(Block::Handler { .. }) = self.frame(tid).blocks.last() {
            self.frame(tid).blocks.pop();
            self.threads[tid].exc_info.pop();
        }
    }

    /// `Raise`: `raise` (n = 0, re-raises the exception being handled), `raise e`
    /// (1), `raise e from cause` (2).
    pub(super) fn raise(&mut self, tid: Tid, n: u32) -> Result<(), Raise> {
        match n {
            0 => match self.threads[tid].exc_info.last().cloned() {
                Some(e) => {
                    self.raise_in(tid, Raise::Obj(e), true);
                    Ok(())
                }
                None => Err(Raise::new(Exc::RuntimeError, "No active exception to reraise")),
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
        }
    }

    /// `CheckExcMatch`: `except C:` (pushes whether the exception is a C).
    pub(super) fn check_exc_match(&mut self, tid: Tid) -> Result<(), Raise> {
        let cls = self.pop(tid);
        let exc = self.pop(tid);
        let r = (self.lib.exc_matches)(self, tid, &exc, &cls)?;
        self.push(tid, Value::Bool(r));
        Ok(())
    }

    /// `WithEnter`: pushes the manager's `__exit__` and calls its `__enter__`.
    pub(super) fn with_enter(&mut self, tid: Tid) -> Result<(), Raise> {
        self.preempt_point(tid);
        let mgr = self.pop(tid);
        let exit = self.getattr(tid, &mgr, "__exit__").map_err(|_| {
            let tn = (self.lib.type_name)(self, tid, &mgr);
            Raise::New(
                Exc::TypeError,
                format!("'{tn}' object does not support the context manager protocol"),
            )
        })?;
        self.push(tid, exit);
        let enter = self.getattr(tid, &mgr, "__enter__")?;
        self.call_op(tid, enter, Args::default())
    }

    /// `WithExcept`: calls `__exit__` with the exception being handled.
    pub(super) fn with_except(&mut self, tid: Tid) -> Result<(), Raise> {
        let exc = self.top(tid).clone();
        let s = &self.frame(tid).stack;
        let exit = s[s.len() - 2].clone();
        let ty = (self.lib.class_of)(self, tid, &exc);
        self.call_op(tid, exit, Args::new(vec![ty, exc, Value::None]))
    }

    /// `AssertFail`: raises `AssertionError` (with the message on the stack).
    pub(super) fn assert_fail(&mut self, tid: Tid, has_msg: bool) -> Result<(), Raise> {
        let args = if has_msg { vec![self.pop(tid)] } else { vec![] };
        let cls = self.proc(self.pid_of(tid)).classes.exc(Exc::AssertionError);
        Err(Raise::Obj(self.new_exception(tid, cls, args)?))
    }
}

impl World {
    /// Turns a [`Raise`] into an exception instance.
    pub fn make_exc(&mut self, tid: Tid, r: Raise) -> Result<Value, Raise> {
        match r {
            Raise::New(cls, msg) => {
                let c = self.proc(self.pid_of(tid)).classes.exc(cls);
                self.new_exception(tid, c, vec![Value::str(msg)])
            }
            Raise::Obj(v) => match &v {
                Value::Obj(id) => match self.heap(tid).get(*id) {
                    Obj::Class(_) => {
                        let base = self.proc(self.pid_of(tid)).classes.exc(Exc::BaseException);
                        if !(self.lib.is_subclass)(self, tid, *id, base) {
                            return Err(Raise::new(Exc::TypeError, "exceptions must derive from BaseException"));
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
                    _ => Err(Raise::new(Exc::TypeError, "exceptions must derive from BaseException")),
                },
                _ => Err(Raise::new(Exc::TypeError, "exceptions must derive from BaseException")),
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
                Ret::Push | Ret::Instance(_) | Ret::BuildClass { .. } | Ret::Signal { .. } => continue,
                Ret::ForIterNext { target } => {
                    if (self.lib.exc_is)(self, tid, &exc, Exc::StopIteration) {
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
        let is_system_exit = (self.lib.exc_is)(self, tid, &exc, Exc::SystemExit);
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
                    let ki = (self.lib.exc_is)(self, tid, &exc, Exc::KeyboardInterrupt);
                    // 3.13 formats a KeyboardInterrupt's traceback noticeably slower than 3.12
                    // (a child's report of the same Ctrl-C usually comes out first).
                    if ki && versions::facts(self.opts.python).slow_interrupt_traceback && !self.proc(pid).mp.is_child {
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
                text.push_str(&if !versions::facts(self.opts.python).atexit_colon_after {
                    format!(": {what}\n")
                } else {
                    format!(" {what}:\n")
                });
                let traceback = (self.lib.format_unraisable)(self, tid, &exc);
                if versions::facts(self.opts.python).unraisable_traceback_late {
                    // The header goes out at once and the traceback a little
                    // later, so a child's report of the same Ctrl-C comes between.
                    self.write(tid, Stream::Stderr, &text);
                    self.write_delay = TRACEBACK_NS;
                    self.write(tid, Stream::Stderr, &traceback);
                    self.write_delay = 0;
                } else {
                    text.push_str(&traceback);
                    self.write(tid, Stream::Stderr, &text);
                }
            }
            _ => {}
        }
    }
}
