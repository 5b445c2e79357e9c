//! Simulate: runs compiled bytecode on one [`World`] that owns all state.
//!
//! - [`value`]: values and the per-process heap;
//! - [`interp`]: the bytecode interpreter (one thread's instructions, calls, exceptions);
//! - [`builtins`]: builtin functions and the methods of builtin types;
//! - [`threading`]: `threading`, `queue` and `concurrent.futures` objects and their waits;
//! - [`modules`]: `time`, `random`, `sys`, `atexit`, `logging`, `os`, `math`.
//!
//! Time is virtual (integer nanoseconds). Each process has a GIL: one of its
//! threads runs at a time, a CPU-bound thread is switched out every switch
//! interval when another waits, and time jumps to the next timer when every
//! thread waits. No wall clock, no OS threads, no hash-order iteration.
//!
//! Entry point: [`simulate`].

mod exc;
pub mod interp;
pub mod library;
pub mod objects;
mod pausable;
mod reduction;
mod run;
pub mod schedule;
mod shutdown;
pub mod value;
pub mod versions;

use std::collections::{BTreeSet, VecDeque};
use std::rc::Rc;

use crate::compile::{Const, Program};
use crate::pyrandom::PyRandom;
use crate::trace::RunOptions;
use crate::trace::*;
pub use exc::Exc;
pub use library::Library;
pub use objects::*;
pub use pausable::{simulate, simulate_with, PausableRun, Snapshot, SnapshotPolicy};
use value::*;

/// Virtual cost of one bytecode instruction (calibrated against CPython 3.13, see README).
pub const INSTRUCTION_NS: u64 = 6;
/// `sys.getswitchinterval()` default: 5 ms.
pub const SWITCH_INTERVAL_NS: u64 = 5_000_000;
/// Interpreter start-up before the first instruction of the script.
pub const STARTUP_NS: u64 = 20_000_000;
/// Shutdown after the last step, until the process is gone.
pub const EXIT_NS: u64 = 5_000_000;
/// Threads (all processes) before the run is stopped.
pub const MAX_THREADS: usize = 2_000;
/// Output lines before the run is stopped.
pub const MAX_OUTPUT_LINES: usize = 100_000;
/// Frames per thread before `RecursionError` (CPython's default recursion limit).
pub const RECURSION_LIMIT: usize = 1_000;
/// 3.13: extra time before a KeyboardInterrupt traceback of the main process appears.
pub const TRACEBACK_NS: u64 = 3_000_000;
/// How far one process may run ahead of another in virtual time.
pub const PROCESS_QUANTUM_NS: u64 = 1_000_000;
/// `Process.start()` (fork) to the child's first instruction.
pub const FORK_NS: u64 = 5_000_000;
/// Processes (all generations) before the run is stopped.
pub const MAX_PROCESSES: usize = 200;
/// Line events per thread before they are sampled (one per millisecond of virtual time).
pub const LINE_EVENTS_FULL: u32 = 20_000;
/// The message of the `OverflowError` a 64-bit integer operation raises.
pub const INT_OVERFLOW: &str = "integer overflow: the simulator's integers are 64-bit";

pub type Tid = usize;
pub type NativeFn = fn(&mut World, Tid, Args) -> NResult;

/// Arguments of a call.
#[derive(Clone, Debug, Default)]
pub struct Args {
    pub pos: Vec<Value>,
    pub kw: Vec<(Rc<String>, Value)>,
}

impl Args {
    pub fn new(pos: Vec<Value>) -> Args {
        Args { pos, kw: Vec::new() }
    }
    /// Removes and returns keyword `name`.
    pub fn take_kw(&mut self, name: &str) -> Option<Value> {
        let i = self.kw.iter().position(|(k, _)| k.as_str() == name)?;
        Some(self.kw.remove(i).1)
    }
    /// Positional `i` or keyword `name`.
    pub fn arg(&mut self, i: usize, name: &str) -> Option<Value> {
        if let Some(v) = self.take_kw(name) {
            return Some(v);
        }
        self.pos.get(i).cloned()
    }
}

/// What a native function did.
pub enum Flow {
    /// Returned a value.
    Return(Value),
    /// The thread must wait; it resumes with the value the wait produces.
    Block(Wait),
    /// Call this Python-level callable; its result is the native's result.
    Call(Value, Args),
    /// The thread asked to yield the GIL to another thread (start()).
    Yield(Value, Tid),
}

/// An exception raised by native code.
#[derive(Clone, Debug)]
pub enum Raise {
    /// A new instance of a builtin exception class with this message.
    New(Exc, String),
    /// An existing exception instance (or class).
    Obj(Value),
}

impl Raise {
    pub fn new(class: Exc, msg: impl Into<String>) -> Raise {
        Raise::New(class, msg.into())
    }
}

pub type NResult = Result<Flow, Raise>;

/// A wait: what a blocked thread waits for, until when, and what it gets on timeout.
#[derive(Clone, Debug)]
pub struct Wait {
    pub on: WaitOn,
    pub deadline: Option<Nanos>,
    pub on_timeout: Result<Value, Raise>,
}

#[derive(Clone, Debug)]
pub enum WaitOn {
    Sleep,
    Join(Tid),
    /// Interpreter shutdown joining a non-daemon thread.
    Shutdown(Tid),
    /// A synchronization object of the process heap, and what is wanted of it.
    Obj(ObjId, ObjWait),
    /// `Process.join()`: a child process to end.
    Process(Pid),
    /// A `multiprocessing` object shared between processes.
    Shared(usize, SharedWait),
    /// Never woken (a process that is being torn down).
    Forever,
    /// `Process.start()` under `forkserver`: until this fork server has forked the child.
    ForkServer(Pid),
    /// A helper process's main thread between requests.
    Requests(ServiceKind),
}

/// How a frame's return value is used.
#[derive(Clone, Debug)]
pub enum Ret {
    /// Push on the caller's stack.
    Push,
    /// The thread's outermost frame: the thread ends.
    ThreadEnd,
    /// The main module: the main thread proceeds to shutdown.
    ModuleEnd,
    /// `__init__` returned: push the new instance instead.
    Instance(Value),
    /// A class body returned its namespace: build the class.
    BuildClass { name: Rc<String>, bases: Vec<Value> },
    /// An atexit handler (or other shutdown call) finished.
    Shutdown,
    /// A nested synchronous call (`__str__`, a key function) finished.
    Sync,
    /// `__next__` of a Python-level iterator for `ForIter`: push the value, or on
    /// `StopIteration` pop the iterator and jump to `target`.
    ForIterNext { target: u32 },
    /// A Python signal handler running on top of the main thread; when it returns,
    /// the interrupted wait (if any) resumes (PEP 475).
    Signal { saved: Option<Wait> },
}

/// A try block of a frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Block {
    /// `SetupExcept`: handler address and stack level.
    Except { handler: u32, level: u32 },
    /// Running an except/finally body for an exception (popped by `PopExcept`).
    Handler { level: u32 },
}

#[derive(Clone, Debug)]
pub struct Frame {
    pub code: crate::compile::CodeId,
    pub pc: u32,
    pub stack: Vec<Value>,
    pub locals: Vec<Value>,
    pub cells: Vec<ObjId>,
    pub blocks: Vec<Block>,
    pub globals: ObjId,
    /// Class bodies: the namespace dict.
    pub namespace: Option<ObjId>,
    /// The function object running (for zero-argument `super()`).
    pub func: Option<ObjId>,
    pub ret: Ret,
    pub line: u32,
}

/// A thread's scheduling state.
#[derive(Clone, Debug, PartialEq)]
pub enum Run {
    New,
    Ready,
    Running,
    Blocked,
    /// Main thread only: the main module ended; shutdown is in progress.
    Done,
}

#[derive(Clone, Debug)]
pub struct Thread {
    pub pid: Pid,
    pub name: String,
    pub daemon: bool,
    pub is_main: bool,
    pub obj: Option<ObjId>,
    pub frames: Vec<Frame>,
    pub run: Run,
    /// The current wait, while blocked.
    pub wait: Option<Wait>,
    /// Order in which the thread blocked (FIFO wake-ups).
    pub wait_seq: u64,
    /// Delivered when the thread next runs.
    pub resume: Option<Result<Value, Raise>>,
    /// Exceptions being handled (innermost last).
    pub exc_info: Vec<Value>,
    pub alive: bool,
    pub ident: u64,
    pub line_events: u32,
    pub last_line_event_t: Nanos,
    pub last_state: Option<ThreadState>,
    /// Pending call to make when the thread first runs.
    pub boot: Option<(Value, Args)>,
    /// Nesting of synchronous calls (no blocking allowed inside).
    pub sync_depth: u32,
    /// 3.12 and earlier: a KeyboardInterrupt in `join()` marked this thread stopped
    /// although it still runs (CPython issue #90882).
    pub marked_stopped: bool,
    /// A wait set aside while the thread handles a signal.
    pub interrupted: Option<Wait>,
}

/// Shutdown progress of a process.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Running,
    JoinThreads,
    Atexit,
    Exited,
}

#[derive(Clone, Debug)]
pub struct Proc {
    pub pid: Pid,
    pub ppid: Pid,
    pub name: String,
    pub heap: Heap,
    pub globals: ObjId,
    pub builtins: ObjId,
    pub modules: Vec<(String, ObjId)>,
    pub classes: Classes,
    pub ready: VecDeque<Tid>,
    pub running: Option<Tid>,
    pub contended_since: Option<Nanos>,
    pub main: Tid,
    pub threads: Vec<Tid>,
    pub stdout: String,
    pub stderr: String,
    pub atexit: Vec<(Value, Args)>,
    /// `threading._register_atexit` callbacks: run when shutdown begins.
    pub thread_atexit: Vec<Value>,
    /// The atexit handler running now (for "Exception ignored in atexit callback ...").
    pub current_atexit: Option<Value>,
    pub phase: Phase,
    pub exit_code: Option<i32>,
    pub exit_t: Option<Nanos>,
    pub thread_counter: u32,
    pub rng: PyRandom,
    pub switch_interval: Nanos,
    pub logging: LogConfig,
    /// Virtual time up to which this process has run (processes run in parallel).
    pub clock: Nanos,
    /// CPU time used (`time.process_time()`): time its threads spent running.
    pub cpu_ns: Nanos,
    /// `multiprocessing` state of this process (children, start method, identity).
    pub mp: MpState,
    /// Signal dispositions set with `signal.signal`.
    pub handlers: Vec<(i32, Handler)>,
    /// Signals delivered but not yet handled by the main thread.
    pub pending_signals: VecDeque<i32>,
}

/// Builds the trace as the run goes.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    pub events: Vec<Event>,
    pub output: Vec<OutputLine>,
    pub threads: Vec<ThreadInfo>,
    pub processes: Vec<ProcessInfo>,
}

/// All state of one run. A clone is a full, independent copy (the explorer's
/// snapshots): what it shares through `Rc` never changes during a run.
#[derive(Clone)]
pub struct World {
    /// The builtin types and standard library the interpreter calls.
    pub lib: &'static Library,
    pub program: Rc<Program>,
    pub consts: Rc<Vec<Rc<Vec<Value>>>>,
    /// Each code object's instructions paired with their source lines (the interpreter's hot table).
    pub insns: Rc<Vec<Vec<(crate::compile::Op, u32)>>>,
    /// For each instruction: a backward jump closing a loop that does nothing (`while True: pass`).
    pub spin: Rc<Vec<Vec<bool>>>,
    pub opts: RunOptions,
    pub now: Nanos,
    pub procs: Vec<Proc>,
    pub threads: Vec<Thread>,
    pub timers: BTreeSet<(Nanos, u64, Tid)>,
    pub seq: u64,
    pub instructions: u64,
    /// [`World::run_until`]'s pause: a thread's turn stops between two
    /// instructions once this many have run.
    pause_at: u64,
    /// A thread's turn that stopped there, to go on with.
    turn: Option<Turn>,
    pub rec: Recorder,
    pub stop: Option<StopReason>,
    pub script_name: Rc<String>,
    /// A thread just wrote a line: a write() releases the GIL, and a thread
    /// waiting for it takes it (what makes line order observable in a terminal).
    pub io_release: bool,
    /// Something another process may care about changed (a timer or a wake-up):
    /// the running slice ends so the scheduler can look again.
    pub reschedule: bool,
    /// Picks options at choice points and records them.
    pub chooser: schedule::Chooser,
    /// The running thread chose to be switched out at a preemption point.
    pub preempt_now: bool,
    /// The running thread passed a preemption point (thread, line): the chooser
    /// decides once the instruction is over.
    pub preempt_at: Option<(Tid, u32)>,
    /// Output written now appears this much later (time spent formatting it).
    pub write_delay: Nanos,
    /// Signals still to send, in time order.
    pub signal_queue: VecDeque<crate::trace::SignalSpec>,
    /// Objects shared between processes (`multiprocessing.Event`, `Lock`, `Queue`).
    pub shared: Vec<Shared>,
    /// Per code object and name: where the name was last found as a global
    /// (a lookup cache; see [`NameHint`]).
    pub name_hints: Vec<Vec<NameHint>>,
    /// An object's address was shown (`repr`, `id()`) since the reduction last
    /// looked: heap ids follow allocation order, so the step depends on everything.
    pub identity_read: bool,
    /// Run the hot instructions in the interpreter's fast loop (`interp::fast_steps`);
    /// false only in tests that check the full dispatch gives the same run.
    pub(crate) fast_path: bool,
}

/// Entry indexes in the globals and builtins dicts where a name was last
/// found. Only a hint: a lookup checks that the entry there has the name, and
/// searches the dict when not, so a stale hint costs time, never correctness.
#[derive(Clone, Copy, Debug)]
pub struct NameHint {
    pub globals: u32,
    pub builtins: u32,
}

impl Default for NameHint {
    fn default() -> NameHint {
        NameHint {
            globals: u32::MAX,
            builtins: u32::MAX,
        }
    }
}

/// A thread's turn on its process's GIL, paused by [`World::run_until`].
#[derive(Clone, Copy, Debug)]
struct Turn {
    pi: usize,
    tid: Tid,
    deadline: Nanos,
    /// The process's time when the turn began (for its CPU time).
    began: Nanos,
}

impl World {
    pub fn new(program: Rc<Program>, opts: &RunOptions, lib: &'static Library) -> World {
        let consts: Vec<Rc<Vec<Value>>> = program
            .codes
            .iter()
            .map(|c| Rc::new(c.consts.iter().map(const_value).collect::<Vec<_>>()))
            .collect();
        let insns = program
            .codes
            .iter()
            .map(|c| c.ops.iter().copied().zip(c.lines.iter().copied()).collect())
            .collect();
        let spin = program
            .codes
            .iter()
            .zip(consts.iter())
            .map(|(c, k)| spin_loops(c, k))
            .collect();
        let name_hints = program
            .codes
            .iter()
            .map(|c| vec![NameHint::default(); c.names.len()])
            .collect();
        let mut w = World {
            lib,
            program,
            consts: Rc::new(consts),
            insns: Rc::new(insns),
            spin: Rc::new(spin),
            opts: opts.clone(),
            now: 0,
            procs: Vec::new(),
            threads: Vec::new(),
            timers: BTreeSet::new(),
            seq: 0,
            instructions: 0,
            pause_at: u64::MAX,
            turn: None,
            rec: Recorder::default(),
            stop: None,
            script_name: Rc::new(opts.script_name.clone()),
            io_release: false,
            write_delay: 0,
            chooser: match &opts.schedule {
                Some(s) => schedule::Chooser::new(s.choices.clone(), schedule::Mode::Default, true),
                None => schedule::Chooser::new(Vec::new(), schedule::Mode::Default, false),
            },
            preempt_now: false,
            preempt_at: None,
            reschedule: false,
            signal_queue: {
                let mut s = opts.signals.clone();
                s.sort_by_key(|x| x.t_ns);
                s.into()
            },
            shared: Vec::new(),
            name_hints,
            identity_read: false,
            fast_path: true,
        };
        let pid = w.new_process(0, "MainProcess");
        let main = w.procs[0].main;
        let globals = w.procs[0].globals;
        w.threads[main].frames.push(Frame {
            code: crate::compile::CodeId(0),
            pc: 0,
            stack: Vec::new(),
            locals: Vec::new(),
            cells: Vec::new(),
            blocks: Vec::new(),
            globals,
            namespace: None,
            func: None,
            ret: Ret::ModuleEnd,
            line: 0,
        });
        w.now = STARTUP_NS;
        w.procs[0].clock = STARTUP_NS;
        w.rec.threads[main].start_ns = Some(w.now);
        w.procs[pid_index(pid)].ready.push_back(main);
        w.threads[main].run = Run::Ready;
        w.set_state(main, ThreadState::Ready);
        w
    }

    /// Creates a process with its main thread (not yet running) and a fresh interpreter.
    pub fn new_process(&mut self, ppid: Pid, name: &str) -> Pid {
        let pid = 1000 + self.procs.len() as Pid;
        let mut heap = Heap::default();
        let classes = (self.lib.create_classes)(&mut heap);
        let builtins = (self.lib.make_builtins)(&mut heap, &classes);
        let mut g = Dict::default();
        g.set_str(
            "__name__",
            Value::str(if ppid == 0 { "__main__" } else { "__mp_main__" }),
        );
        g.set_str("__file__", Value::Str(self.script_name.clone()));
        g.set_str("__builtins__", Value::Obj(builtins));
        let globals = heap.alloc(Obj::Dict(g));
        let tid = self.threads.len();
        self.procs.push(Proc {
            pid,
            ppid,
            name: name.to_string(),
            heap,
            globals,
            builtins,
            modules: Vec::new(),
            classes,
            ready: VecDeque::new(),
            running: None,
            contended_since: None,
            main: tid,
            threads: vec![tid],
            stdout: String::new(),
            stderr: String::new(),
            atexit: Vec::new(),
            thread_atexit: Vec::new(),
            current_atexit: None,
            phase: Phase::Running,
            exit_code: None,
            exit_t: None,
            thread_counter: 0,
            rng: PyRandom::from_int_seed(self.opts.seed as i128),
            switch_interval: SWITCH_INTERVAL_NS,
            logging: LogConfig::default(),
            clock: self.now,
            cpu_ns: 0,
            mp: MpState::default(),
            handlers: Vec::new(),
            pending_signals: VecDeque::new(),
        });
        self.threads.push(Thread::new(pid, "MainThread".into(), false, true));
        self.threads[tid].alive = true;
        self.rec.threads.push(ThreadInfo {
            id: ThreadId(tid as u32),
            pid,
            name: "MainThread".into(),
            daemon: false,
            is_main: true,
            created_by: None,
            start_line: None,
            start_ns: None,
            end_ns: None,
        });
        self.rec.processes.push(ProcessInfo {
            pid,
            ppid,
            name: name.to_string(),
            daemon: false,
            start_ns: self.now,
            exit_code: None,
            exit_ns: None,
        });
        pid
    }

    /// Roughly how many items a clone of the world copies (heap objects,
    /// recorded events and output, choices and their bookkeeping).
    pub fn size(&self) -> u64 {
        let heaps: usize = self.procs.iter().map(|p| p.heap.objs.len()).sum();
        let red = self
            .chooser
            .red
            .as_deref()
            .map_or(0, |r| r.steps.len() + r.segments.len());
        (heaps + self.rec.events.len() + self.rec.output.len() + self.chooser.record.len() + red) as u64
    }

    pub fn proc(&self, pid: Pid) -> &Proc {
        &self.procs[pid_index(pid)]
    }

    pub fn proc_mut(&mut self, pid: Pid) -> &mut Proc {
        &mut self.procs[pid_index(pid)]
    }

    pub fn pid_of(&self, tid: Tid) -> Pid {
        self.threads[tid].pid
    }

    pub fn heap(&mut self, tid: Tid) -> &mut Heap {
        let pid = self.threads[tid].pid;
        &mut self.procs[pid_index(pid)].heap
    }

    /// Creates a thread (state New) for a `threading.Thread` object.
    pub fn create_thread(&mut self, creator: Tid, name: String, daemon: bool, obj: ObjId) -> Result<Tid, Raise> {
        if self.threads.len() >= MAX_THREADS {
            self.stop = Some(StopReason::ThreadLimit { limit: MAX_THREADS });
            return Err(Raise::new(Exc::RuntimeError, "can't start new thread"));
        }
        let pid = self.threads[creator].pid;
        let tid = self.threads.len();
        self.note_item(schedule::THREAD | tid as u64, true);
        self.note_woken(tid);
        let mut t = Thread::new(pid, name.clone(), daemon, false);
        t.obj = Some(obj);
        self.threads.push(t);
        self.proc_mut(pid).threads.push(tid);
        let line = self.current_line(creator);
        self.rec.threads.push(ThreadInfo {
            id: ThreadId(tid as u32),
            pid,
            name,
            daemon,
            is_main: false,
            created_by: Some(ThreadId(creator as u32)),
            start_line: Some(line),
            start_ns: None,
            end_ns: None,
        });
        Ok(tid)
    }

    /// The line of the script the thread is at (its innermost frame of user code).
    pub fn current_line(&self, tid: Tid) -> u32 {
        self.threads[tid]
            .frames
            .iter()
            .rev()
            .find(|f| self.program.code(f.code).file == 0)
            .map(|f| f.line)
            .unwrap_or(0)
    }

    // ----- trace

    pub fn event(&mut self, kind: EventKind) {
        self.rec.events.push(Event { t_ns: self.now, kind });
    }

    pub fn set_state(&mut self, tid: Tid, state: ThreadState) {
        if self.threads[tid].last_state.as_ref() == Some(&state) {
            return;
        }
        self.threads[tid].last_state = Some(state.clone());
        self.event(EventKind::State {
            thread: ThreadId(tid as u32),
            state,
        });
    }

    /// Writes text to a process's stdout or stderr; complete lines go to the trace.
    pub fn write(&mut self, tid: Tid, stream: Stream, text: &str) {
        if let Some(r) = self.chooser.red.as_deref_mut() {
            r.current.items.push(schedule::Item {
                obj: schedule::OUTPUT,
                key: 0,
                write: true,
            });
        }
        let pid = self.threads[tid].pid;
        let p = self.proc_mut(pid);
        let buf = match stream {
            Stream::Stdout => &mut p.stdout,
            Stream::Stderr => &mut p.stderr,
        };
        buf.push_str(text);
        if !buf.contains('\n') {
            return;
        }
        let mut lines: Vec<String> = Vec::new();
        while let Some(i) = buf.find('\n') {
            lines.push(buf[..i].to_string());
            buf.drain(..=i);
        }
        for l in lines {
            self.emit_line(pid, tid, stream, l);
        }
        if self.threads[tid].sync_depth == 0 {
            self.io_release = true;
        }
    }

    fn emit_line(&mut self, pid: Pid, tid: Tid, stream: Stream, text: String) {
        if self.rec.output.len() >= MAX_OUTPUT_LINES {
            if self.stop.is_none() {
                self.stop = Some(StopReason::OutputLimit {
                    limit: MAX_OUTPUT_LINES,
                });
            }
            return;
        }
        self.rec.output.push(OutputLine {
            t_ns: self.now + self.write_delay,
            stream,
            pid,
            thread: ThreadId(tid as u32),
            text,
        });
        let index = self.rec.output.len() - 1;
        self.event(EventKind::Output { index });
    }

    /// Flushes partial lines (at process exit).
    pub fn flush_process(&mut self, pid: Pid, tid: Tid) {
        self.flush(pid, tid);
    }

    fn flush(&mut self, pid: Pid, tid: Tid) {
        for stream in [Stream::Stdout, Stream::Stderr] {
            let p = self.proc_mut(pid);
            let buf = match stream {
                Stream::Stdout => std::mem::take(&mut p.stdout),
                Stream::Stderr => std::mem::take(&mut p.stderr),
            };
            if !buf.is_empty() {
                self.emit_line(pid, tid, stream, buf);
            }
        }
    }

    // ----- scheduling
}

impl Thread {
    pub fn new(pid: Pid, name: String, daemon: bool, is_main: bool) -> Thread {
        Thread {
            pid,
            name,
            daemon,
            is_main,
            obj: None,
            frames: Vec::new(),
            run: Run::New,
            wait: None,
            wait_seq: 0,
            resume: None,
            exc_info: Vec::new(),
            alive: false,
            ident: 0,
            line_events: 0,
            last_line_event_t: 0,
            last_state: None,
            boot: None,
            sync_depth: 0,
            marked_stopped: false,
            interrupted: None,
        }
    }
}

/// Marks backward jumps that close loops with no effect at all: only constants tested
/// true, `pass` and the jump (`while True: pass`, `while 1: pass`).
fn spin_loops(code: &crate::compile::Code, consts: &[Value]) -> Vec<bool> {
    use crate::compile::Op;
    let mut out = vec![false; code.ops.len()];
    for (j, op) in code.ops.iter().enumerate() {
        let Op::Jump(t) = *op else { continue };
        let t = t as usize;
        if t > j {
            continue;
        }
        let mut pc = t;
        let mut pure = true;
        while pc < j {
            match (code.ops[pc], code.ops.get(pc + 1)) {
                (Op::Nop, _) => pc += 1,
                (Op::LoadConst(k), Some(Op::PopJumpIfFalse(_))) => {
                    let truthy = match &consts[k as usize] {
                        Value::Bool(b) => *b,
                        Value::Int(i) => *i != 0,
                        Value::Str(s) => !s.is_empty(),
                        _ => false,
                    };
                    if !truthy {
                        pure = false;
                        break;
                    }
                    pc += 2;
                }
                _ => {
                    pure = false;
                    break;
                }
            }
        }
        out[j] = pure && pc == j;
    }
    out
}

pub fn pid_index(pid: Pid) -> usize {
    (pid - 1000) as usize
}

fn const_value(c: &Const) -> Value {
    match c {
        Const::None => Value::None,
        Const::Bool(b) => Value::Bool(*b),
        Const::Int(i) => Value::Int(*i),
        Const::Float(f) => Value::Float(*f),
        Const::Str(s) => Value::Str(s.clone()),
        Const::Tuple(items) => Value::tuple(items.iter().map(const_value).collect()),
        Const::Ellipsis => Value::Ellipsis,
    }
}
