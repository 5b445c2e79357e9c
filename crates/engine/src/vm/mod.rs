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

pub mod interp;
pub mod library;
pub mod objects;
pub mod schedule;
pub mod value;

use std::collections::{BTreeSet, VecDeque};
use std::rc::Rc;

use crate::compile::{Const, Program};
use crate::pyrandom::PyRandom;
use crate::trace::*;
use crate::RunOptions;
pub use library::Library;
pub use objects::*;
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
    /// A new instance of the named builtin exception class with this message.
    New(&'static str, String),
    /// An existing exception instance (or class).
    Obj(Value),
}

impl Raise {
    pub fn new(class: &'static str, msg: impl Into<String>) -> Raise {
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
    /// Discard the value.
    Discard,
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
    pub signal_queue: VecDeque<crate::SignalSpec>,
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

/// Run a compiled program to completion (or to a limit) and return its trace.
pub fn simulate(program: Program, opts: &RunOptions, lib: &'static Library) -> Trace {
    let mut w = World::new(Rc::new(program), opts, lib);
    w.run();
    w.finish()
}

/// A copy of a run paused at the top of the run loop (see [`World::run_until`]):
/// the explorer's depth-first search runs on from one instead of from the
/// start when the next run's forced prefix begins with the choices it made.
#[derive(Clone)]
pub struct Snapshot {
    world: World,
}

impl Snapshot {
    /// Instructions run before it.
    pub fn instructions(&self) -> u64 {
        self.world.instructions
    }

    /// The chooser at the time: the choices made before it.
    pub fn chooser(&self) -> &schedule::Chooser {
        &self.world.chooser
    }
}

/// When [`simulate_with`] takes snapshots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SnapshotPolicy {
    /// Fewest instructions between two snapshots of a run.
    pub every: u64,
    /// And at least this many per item a copy of the world copies
    /// ([`World::size`]), so that copying stays cheap next to running.
    pub per_item: u64,
}

/// Runs with a given chooser (the explorer's); returns the trace and the
/// chooser with its record. The trace's `choices` stay empty: the choices
/// made are the chooser's record.
///
/// With `resume`, the run goes on from that snapshot instead of starting
/// (the chooser must accept it: [`schedule::Chooser::can_resume`]). With a
/// `policy`, `keep` gets snapshots taken at the top of the run loop: one
/// before the first instruction of a run from the start, then as the policy
/// allows.
pub fn simulate_with(
    program: Rc<Program>,
    opts: &RunOptions,
    lib: &'static Library,
    chooser: schedule::Chooser,
    resume: Option<Snapshot>,
    policy: Option<SnapshotPolicy>,
    keep: &mut dyn FnMut(Snapshot),
) -> (Trace, schedule::Chooser) {
    let mut run = PausableRun::start(program, opts, lib, chooser, resume, policy);
    while !run.advance(u64::MAX, keep) {}
    run.finish()
}

/// A run of [`simulate_with`] that can stop between slices of work and go on
/// later ([`PausableRun::advance`]), so that a front end stays responsive during a
/// long run. Pausing changes nothing: the same snapshots are taken and the
/// run ends exactly as one made in one go.
pub struct PausableRun {
    w: World,
    policy: Option<SnapshotPolicy>,
    /// Instructions after which the next snapshot is taken.
    next_snapshot: u64,
    /// The trace lists the choices made (the explorer's runs leave them in
    /// the chooser only).
    trace_choices: bool,
}

impl PausableRun {
    /// Sets up a run (see [`simulate_with`]); nothing runs yet.
    pub fn start(
        program: Rc<Program>,
        opts: &RunOptions,
        lib: &'static Library,
        chooser: schedule::Chooser,
        resume: Option<Snapshot>,
        policy: Option<SnapshotPolicy>,
    ) -> PausableRun {
        let fresh = resume.is_none();
        let w = match resume {
            Some(s) => {
                debug_assert!(Rc::ptr_eq(&s.world.program, &program) && s.world.opts == *opts);
                debug_assert!(chooser.can_resume(&s.world.chooser));
                let mut w = s.world;
                let old = std::mem::replace(&mut w.chooser, chooser);
                w.chooser.resume(old);
                w
            }
            None => {
                let mut w = World::new(program, opts, lib);
                w.chooser = chooser;
                if w.chooser.red.is_some() {
                    for p in &mut w.procs {
                        p.heap.log = Some(Default::default());
                    }
                }
                w
            }
        };
        let next_snapshot = match policy {
            None => u64::MAX,
            Some(_) if fresh => 0,
            Some(p) => w.instructions.saturating_add(snapshot_gap(&w, p)),
        };
        PausableRun {
            w,
            policy,
            next_snapshot,
            trace_choices: false,
        }
    }

    /// A plain run (as [`simulate`] makes) that can pause.
    pub fn plain(program: Rc<Program>, opts: &RunOptions, lib: &'static Library) -> PausableRun {
        PausableRun {
            w: World::new(program, opts, lib),
            policy: None,
            next_snapshot: u64::MAX,
            trace_choices: true,
        }
    }

    /// Instructions run so far (from the start of the run, snapshot or not).
    pub fn instructions(&self) -> u64 {
        self.w.instructions
    }

    /// Runs on for about `budget` more instructions (at least one turn of the
    /// run loop), handing snapshots to `keep`: true when the run has ended,
    /// false when it paused (call again to go on).
    pub fn advance(&mut self, budget: u64, keep: &mut dyn FnMut(Snapshot)) -> bool {
        let stop_at = self.w.instructions.saturating_add(budget.max(1));
        loop {
            if !self.w.run_until(self.next_snapshot, stop_at) {
                break true;
            }
            if self.w.turn.is_none() && self.w.instructions >= self.next_snapshot {
                let mut world = self.w.clone();
                world.chooser.forget_run();
                keep(Snapshot { world });
                self.next_snapshot = self.policy.map_or(u64::MAX, |p| {
                    self.w.instructions.saturating_add(snapshot_gap(&self.w, p))
                });
            }
            if self.w.instructions >= stop_at {
                break false;
            }
        }
    }

    /// The trace of an ended run, and its chooser's record.
    pub fn finish(mut self) -> (Trace, schedule::Chooser) {
        self.w.end_segment();
        // The chooser moves out rather than being copied: after a long run it
        // holds hundreds of thousands of choices and the reduction's notes.
        let exploring = self.w.chooser.exploring;
        let mut rest = schedule::Chooser::new(Vec::new(), schedule::Mode::Default, exploring);
        if self.trace_choices {
            rest.record = self.w.chooser.record.clone();
        }
        let c = std::mem::replace(&mut self.w.chooser, rest);
        let mut trace = self.w.finish();
        if exploring && !self.trace_choices {
            trace.schedule = c.schedule().encode();
        }
        (trace, c)
    }
}

/// Instructions between two snapshots of a world this large.
fn snapshot_gap(w: &World, p: SnapshotPolicy) -> u64 {
    p.every.max(p.per_item.saturating_mul(w.size()))
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

    /// Exploring with reduction: the segment running now does something not
    /// tracked object by object, so it is dependent on every other.
    pub fn note_global(&mut self) {
        if let Some(r) = self.chooser.red.as_deref_mut() {
            r.current.global = true;
        }
    }

    /// Exploring with reduction: `tid` executes in the segment running now
    /// (another thread than the last one begins a new step).
    pub fn note_thread(&mut self, tid: Tid) {
        let t = tid as u32;
        let Some(r) = self.chooser.red.as_deref() else {
            return;
        };
        if r.current.threads.contains(&t) {
            return;
        }
        if !r.current.threads.is_empty() {
            self.flush_heap_log();
            if let Some(r) = self.chooser.red.as_deref_mut() {
                r.end_step(std::mem::take(&mut self.identity_read));
            }
        }
        if let Some(r) = self.chooser.red.as_deref_mut() {
            r.current.threads.push(t);
            if let Some(k) = r.woken.iter().position(|x| *x == t) {
                r.woken.swap_remove(k);
                r.current.items.push(schedule::Item {
                    obj: schedule::WAKE | tid as u64,
                    key: 0,
                    write: false,
                });
            }
        }
    }

    /// Exploring with reduction: the segment running now reads or writes `obj`
    /// (a pseudo-object such as `schedule::THREAD | tid`).
    pub fn note_item(&mut self, obj: u64, write: bool) {
        if let Some(r) = self.chooser.red.as_deref_mut() {
            // A step that depends on everything needs no list of what it touched.
            if !r.current.global {
                r.current.items.push(schedule::Item { obj, key: 0, write });
            }
        }
    }

    /// Exploring with reduction: `tid` becomes runnable because of the step
    /// running now (woken, or started).
    pub fn note_woken(&mut self, tid: Tid) {
        self.note_item(schedule::WAKE | tid as u64, true);
        if let Some(r) = self.chooser.red.as_deref_mut() {
            if !r.woken.contains(&(tid as u32)) {
                r.woken.push(tid as u32);
            }
        }
    }

    /// Exploring with reduction: a native function is called. Builtins and
    /// methods of `str`, `list`, `dict`, ... only touch heap objects (which the
    /// heap records); anything else (time, random, threading, processes,
    /// signals, `id()`, ...) makes the segment dependent on every other.
    pub fn note_native(&mut self, name: &str) {
        // A thread's start, join and liveness touch its life (`schedule::THREAD`).
        const THREAD_LIFE: &[&str] = &["Thread.start", "Thread.run", "Thread.join", "Thread.is_alive"];
        if self.chooser.red.is_some() && !(self.lib.native_commutes)(name) && !THREAD_LIFE.contains(&name) {
            self.note_global();
        }
    }

    /// Position in the heap log of `tid`'s process (see [`World::note_keyed`]).
    pub fn log_mark(&self, tid: Tid) -> Option<usize> {
        let l = self.procs[pid_index(self.threads[tid].pid)].heap.log.as_ref()?;
        let l = l.borrow();
        (!l.overflow).then_some(l.entries.len())
    }

    /// Narrows the accesses of dict `d` logged since `mark` to its entry `name`
    /// (a global variable), so that threads using different globals commute.
    pub fn note_keyed(&mut self, tid: Tid, mark: Option<usize>, d: ObjId, name: &str, write: bool) {
        let Some(at) = mark else {
            return;
        };
        // With several processes every step depends on every other (see
        // `flush_heap_log`): nothing to narrow.
        if self.procs.len() > 1 || self.chooser.red.as_deref().is_some_and(|r| r.current.global) {
            self.note_global();
            return;
        }
        let pi = pid_index(self.threads[tid].pid);
        let Some(l) = self.procs[pi].heap.log.as_ref() else {
            return;
        };
        let mut l = l.borrow_mut();
        if l.overflow || l.entries.len() < at {
            return;
        }
        // An access of the dict logged before `at` stays whole-object.
        l.forget_since(at, |e| e.0 == d.0 && e.1 < 2);
        drop(l);
        let key = name
            .bytes()
            .fold(0x811c_9dc5u32, |h, b| (h ^ b as u32).wrapping_mul(0x0100_0193))
            | 1;
        if let Some(r) = self.chooser.red.as_deref_mut() {
            r.current.items.push(schedule::Item {
                obj: ((pi as u64) << 32) | d.0 as u64,
                key,
                write,
            });
        }
    }

    /// Ends the segment since the last choice point (exploring with reduction).
    pub fn end_segment(&mut self) {
        self.flush_heap_log();
        let at = self.chooser.record.len();
        if let Some(r) = self.chooser.red.as_deref_mut() {
            r.end_segment(at, std::mem::take(&mut self.identity_read));
        }
    }

    /// Moves what the heap logged into the step being recorded.
    fn flush_heap_log(&mut self) {
        let Some(r) = self.chooser.red.as_deref_mut() else {
            return;
        };
        if self.procs.len() > 1 {
            r.current.global = true;
        }
        for (pi, p) in self.procs.iter().enumerate() {
            if let Some(l) = &p.heap.log {
                let mut l = l.borrow_mut();
                if l.overflow {
                    r.current.global = true;
                    l.overflow = false;
                }
                let entries = l.drain();
                if r.current.global {
                    continue;
                }
                for (id, kind) in entries {
                    r.current.items.push(match kind {
                        2 => schedule::Item {
                            obj: schedule::ALLOC | pi as u64,
                            key: 0,
                            write: true,
                        },
                        _ => schedule::Item {
                            obj: ((pi as u64) << 32) | id as u64,
                            key: 0,
                            write: kind == 1,
                        },
                    });
                }
            }
        }
    }

    /// A choice point: ends the current segment, then lets the chooser pick.
    fn choice(&mut self, kind: schedule::ChoiceKind, options: Vec<ThreadId>, t_ns: Nanos, line: u32) -> usize {
        self.end_segment();
        let running = options.first().map(|t| t.0 as Tid);
        if let Some(r) = self.chooser.red.as_deref_mut() {
            let mut enabled: Vec<u32> = options.iter().map(|t| t.0).collect();
            if let (schedule::ChoiceKind::Preempt, Some(t)) = (kind, running) {
                let ready = &self.procs[pid_index(self.threads[t].pid)].ready;
                enabled.truncate(1);
                enabled.extend(ready.iter().map(|x| *x as u32));
            }
            r.enabled_at.push(enabled);
        }
        let k = self.chooser.choose(kind, options, t_ns, line);
        if kind == schedule::ChoiceKind::Preempt && k == 0 {
            // The running thread goes on in the next segment.
            if let Some(t) = running {
                self.note_thread(t);
            }
        }
        k
    }

    pub fn heap(&mut self, tid: Tid) -> &mut Heap {
        let pid = self.threads[tid].pid;
        &mut self.procs[pid_index(pid)].heap
    }

    /// Creates a thread (state New) for a `threading.Thread` object.
    pub fn create_thread(&mut self, creator: Tid, name: String, daemon: bool, obj: ObjId) -> Result<Tid, Raise> {
        if self.threads.len() >= MAX_THREADS {
            self.stop = Some(StopReason::ThreadLimit { limit: MAX_THREADS });
            return Err(Raise::new("RuntimeError", "can't start new thread"));
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

    pub fn line_event(&mut self, tid: Tid, line: u32) {
        let t = &mut self.threads[tid];
        if t.line_events >= LINE_EVENTS_FULL && self.now < t.last_line_event_t + 1_000_000 {
            return;
        }
        t.line_events += 1;
        t.last_line_event_t = self.now;
        self.rec.events.push(Event {
            t_ns: self.now,
            kind: EventKind::Line {
                thread: ThreadId(tid as u32),
                line,
            },
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

    fn next_timer(&self) -> Option<Nanos> {
        self.timers.iter().next().map(|t| t.0)
    }

    /// Blocks the running thread on `wait`.
    pub fn block(&mut self, tid: Tid, wait: Wait) {
        // Blocking only stops this thread; a timeout depends on the time.
        if wait.deadline.is_some() {
            self.note_global();
        }
        if let WaitOn::Join(t) | WaitOn::Shutdown(t) = wait.on {
            self.note_item(schedule::THREAD | t as u64, false);
        }
        self.seq += 1;
        let t = &mut self.threads[tid];
        t.run = Run::Blocked;
        t.wait_seq = self.seq;
        if let Some(d) = wait.deadline {
            self.timers.insert((d, self.seq, tid));
            self.reschedule = true;
        }
        let line = self.current_line(tid);
        let state = match &wait.on {
            WaitOn::Sleep => ThreadState::Sleeping {
                until_ns: wait.deadline.unwrap_or(0),
                line,
            },
            WaitOn::Join(j) => ThreadState::Blocked {
                on: BlockedOn::Join {
                    thread: ThreadId(*j as u32),
                },
                line,
                until_ns: wait.deadline,
            },
            WaitOn::Shutdown(j) => ThreadState::Blocked {
                on: BlockedOn::Shutdown {
                    thread: ThreadId(*j as u32),
                },
                line,
                until_ns: wait.deadline,
            },
            WaitOn::Obj(o, op) => ThreadState::Blocked {
                on: (self.lib.describe_wait)(self, tid, *o, op),
                line,
                until_ns: wait.deadline,
            },
            WaitOn::Process(p) => ThreadState::Blocked {
                on: BlockedOn::Process { pid: *p },
                line,
                until_ns: wait.deadline,
            },
            WaitOn::Shared(s, op) => ThreadState::Blocked {
                on: (self.lib.describe_shared)(self, *s, op),
                line,
                until_ns: wait.deadline,
            },
            WaitOn::Forever => ThreadState::Blocked {
                on: BlockedOn::Event { object: "exit".into() },
                line,
                until_ns: None,
            },
        };
        self.threads[tid].wait = Some(wait);
        let pid = self.threads[tid].pid;
        // A process that ended itself (`os.kill(os.getpid(), SIGKILL)`) already
        // recorded its threads' last states.
        if self.proc(pid).phase != Phase::Exited {
            self.set_state(tid, state);
        }
        let p = self.proc_mut(pid);
        if p.running == Some(tid) {
            p.running = None;
        }
    }

    /// Makes a blocked thread runnable; it resumes with `value`.
    pub fn wake(&mut self, tid: Tid, value: Result<Value, Raise>) {
        if self.threads[tid].run != Run::Blocked {
            return;
        }
        self.note_woken(tid);
        let t = &mut self.threads[tid];
        if let Some(w) = t.wait.take() {
            if let Some(d) = w.deadline {
                self.timers.remove(&(d, t.wait_seq, tid));
            }
        }
        t.resume = Some(value);
        t.run = Run::Ready;
        self.reschedule = true;
        let pid = t.pid;
        let now = self.now;
        let p = self.proc_mut(pid);
        if p.running.is_none() && p.ready.is_empty() {
            // An idle process resumes at the time it is woken.
            p.clock = p.clock.max(now);
        }
        p.ready.push_back(tid);
        if p.running.is_some() && p.contended_since.is_none() {
            p.contended_since = Some(now);
        }
        self.set_state(tid, ThreadState::Ready);
    }

    /// Threads of process `pid` blocked on a wait matching `pred`, in the order they blocked.
    pub fn waiters(&self, pred: impl Fn(&WaitOn) -> bool, pid: Pid) -> Vec<Tid> {
        let mut v: Vec<(u64, Tid)> = self
            .proc(pid)
            .threads
            .iter()
            .map(|&i| (i, &self.threads[i]))
            .filter(|(_, t)| t.run == Run::Blocked && t.wait.as_ref().map(|w| pred(&w.on)).unwrap_or(false))
            .map(|(i, t)| (t.wait_seq, i))
            .collect();
        v.sort();
        v.into_iter().map(|(_, i)| i).collect()
    }

    /// Fires every timer due at or before `t`, each at its own time.
    fn fire_timers(&mut self, t_limit: Nanos) {
        let mut floor = 0;
        while let Some(&first) = self.timers.iter().next() {
            if first.0 > t_limit {
                break;
            }
            let (mut t, seq, tid) = self.pick_timer(first);
            if t < floor {
                // Delayed behind a timer chosen to go first: it wakes up to a jitter
                // window late (real wake-ups are a few milliseconds noisy).
                t = floor + self.chooser.jitter_ns;
            }
            floor = t;
            self.timers.retain(|x| !(x.1 == seq && x.2 == tid));
            let th = &self.threads[tid];
            if th.run != Run::Blocked || th.wait_seq != seq {
                continue;
            }
            self.now = t;
            self.note_global();
            if let Some(v) = (self.lib.on_timeout)(self, tid) {
                self.wake(tid, v);
            }
        }
    }

    /// When exploring: which of the timers due together (or, for different
    /// processes, within the jitter window) fires first.
    fn pick_timer(&mut self, first: (Nanos, u64, Tid)) -> (Nanos, u64, Tid) {
        if !self.chooser.exploring {
            return first;
        }
        let window = self.chooser.jitter_ns;
        let first_pid = self.threads[first.2].pid;
        let cands: Vec<(Nanos, u64, Tid)> = self
            .timers
            .iter()
            .take_while(|x| x.0 <= first.0 + window)
            .filter(|x| {
                let th = &self.threads[x.2];
                th.run == Run::Blocked && th.wait_seq == x.1 && (x.0 == first.0 || th.pid != first_pid)
            })
            .take(6)
            .copied()
            .collect();
        if cands.len() <= 1 {
            return first;
        }
        let options = cands.iter().map(|x| ThreadId(x.2 as u32)).collect();
        let line = self.current_line(first.2);
        let k = self.choice(schedule::ChoiceKind::Timer, options, first.0, line);
        cands[k]
    }

    /// Sends every scheduled signal due at or before `t`.
    fn fire_signals(&mut self, t_limit: Nanos) {
        while self.signal_queue.front().is_some_and(|s| s.t_ns <= t_limit) {
            let s = self.signal_queue.pop_front().expect("signal");
            self.note_global();
            self.now = s.t_ns;
            (self.lib.send_scheduled)(self, &s);
        }
    }

    fn next_event(&self) -> Option<Nanos> {
        let t = self.next_timer();
        let s = self.signal_queue.front().map(|s| s.t_ns);
        match (t, s) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The main loop: runs until every process exited or a limit is reached.
    ///
    /// Each process has its own clock and its own GIL; the process furthest
    /// behind runs next, for at most [`PROCESS_QUANTUM_NS`] past the others,
    /// so processes advance in parallel in virtual time.
    pub fn run(&mut self) {
        self.run_until(u64::MAX, u64::MAX);
    }

    /// [`World::run`], pausing at the top of the loop once `at_top`
    /// instructions have run, or anywhere (between two instructions of a
    /// thread's turn) once `anywhere` have: true when paused (call again to
    /// go on), false at the end. A paused turn is part of the world, and
    /// nothing else is carried from one turn of the loop to the next, so a
    /// clone made while paused runs on exactly as the original would, and a
    /// run that paused ends exactly as one that did not.
    pub fn run_until(&mut self, at_top: u64, anywhere: u64) -> bool {
        self.pause_at = anywhere;
        loop {
            if self.stop.is_some() {
                return false;
            }
            if let Some(turn) = self.turn {
                if self.instructions >= anywhere {
                    return true;
                }
                self.turn = None;
                if self.exec_more(turn.tid, turn.deadline) {
                    self.turn = Some(turn);
                } else {
                    self.end_turn(turn);
                }
                continue;
            }
            if self.instructions >= at_top.min(anywhere) {
                return true;
            }
            if self.instructions >= self.opts.max_instructions {
                self.stop = Some(StopReason::InstructionBudget {
                    limit: self.opts.max_instructions,
                });
                return false;
            }
            if self.procs.iter().all(|p| p.phase == Phase::Exited) && self.signal_queue.is_empty() {
                self.stop = Some(StopReason::Exited);
                return false;
            }
            if self.procs[0].phase == Phase::Exited && self.procs.iter().all(|p| p.phase == Phase::Exited) {
                self.stop = Some(StopReason::Exited);
                return false;
            }
            let mut order: Vec<(Nanos, usize)> = self
                .procs
                .iter()
                .enumerate()
                .filter(|(_, p)| p.phase != Phase::Exited && (p.running.is_some() || !p.ready.is_empty()))
                .map(|(i, p)| (p.clock, i))
                .collect();
            order.sort();
            let next_event = self.next_event();
            let Some(&(clock, pi)) = order.first() else {
                match next_event {
                    Some(t) if t <= self.opts.horizon_ns => {
                        self.now = self.now.max(t);
                        self.fire_signals(t);
                        self.fire_timers(t);
                        continue;
                    }
                    _ if self.procs.iter().all(|p| p.phase == Phase::Exited) => {
                        self.stop = Some(StopReason::Exited);
                        return false;
                    }
                    Some(_) => {
                        self.now = self.opts.horizon_ns;
                        self.stop = Some(StopReason::Horizon);
                        return false;
                    }
                    None => {
                        self.stop = Some(StopReason::Deadlock);
                        return false;
                    }
                }
            };
            if let Some(t) = next_event {
                if t <= clock {
                    self.fire_signals(t);
                    self.fire_timers(t);
                    continue;
                }
                // Exploring: another process's timer due within the jitter window may
                // fire before this process goes on (its process started or woke sooner).
                if self.chooser.exploring && t <= clock + self.chooser.jitter_ns {
                    if let Some(&(tt, seq, ttid)) = self.timers.iter().next() {
                        let other = self.threads[ttid].pid != self.procs[pi].pid;
                        let due = self.threads[ttid].run == Run::Blocked && self.threads[ttid].wait_seq == seq;
                        if tt == t && other && due {
                            let runner = self.procs[pi]
                                .running
                                .or(self.procs[pi].ready.front().copied())
                                .unwrap_or(ttid);
                            let options = vec![ThreadId(runner as u32), ThreadId(ttid as u32)];
                            let line = self.current_line(runner);
                            if self.choice(schedule::ChoiceKind::Timer, options, clock, line) == 1 {
                                self.timers.remove(&(tt, seq, ttid));
                                self.timers.insert((clock, seq, ttid));
                                self.fire_timers(clock);
                                // The woken process goes first.
                                self.procs[pi].clock = clock + 1_000;
                                continue;
                            }
                        }
                    }
                }
            }
            if clock >= self.opts.horizon_ns {
                self.now = self.opts.horizon_ns;
                self.stop = Some(StopReason::Horizon);
                return false;
            }
            self.now = clock;
            let tid = match self.procs[pi].running {
                Some(t) => t,
                None => {
                    let k = if self.procs[pi].ready.len() > 1 {
                        let options = self.procs[pi].ready.iter().map(|t| ThreadId(*t as u32)).collect();
                        let line = self.current_line(self.procs[pi].ready[0]);
                        self.choice(schedule::ChoiceKind::Gil, options, self.now, line)
                    } else {
                        0
                    };
                    let t = self.procs[pi].ready.remove(k).expect("ready");
                    self.procs[pi].running = Some(t);
                    self.procs[pi].contended_since = if self.procs[pi].ready.is_empty() {
                        None
                    } else {
                        Some(self.now)
                    };
                    self.threads[t].run = Run::Running;
                    let line = self.current_line(t);
                    self.set_state(t, ThreadState::Running { line });
                    t
                }
            };
            let mut deadline = self.opts.horizon_ns;
            if let Some(t) = next_event {
                deadline = deadline.min(t);
            }
            if let Some(&(other, _)) = order.get(1) {
                deadline = deadline.min(other.max(clock) + PROCESS_QUANTUM_NS);
            }
            if let Some(since) = self.procs[pi].contended_since {
                deadline = deadline.min(since + self.procs[pi].switch_interval);
            }
            if (self.lib.deliver_pending)(self, pi) {
                self.note_global();
                self.procs[pi].clock = self.procs[pi].clock.max(self.now);
                continue;
            }
            if self.threads[tid].frames.is_empty() {
                self.thread_idle(tid);
                self.procs[pi].clock = self.procs[pi].clock.max(self.now);
                continue;
            }
            let turn = Turn {
                pi,
                tid,
                deadline: deadline.max(self.now + 1),
                began: self.now,
            };
            if self.exec(tid, turn.deadline) {
                self.turn = Some(turn);
            } else {
                self.end_turn(turn);
            }
        }
    }

    /// After a thread's turn: its process's clock and CPU time, and a
    /// CPU-bound thread preempted when its interval is up and another waits.
    fn end_turn(&mut self, Turn { pi, tid, began, .. }: Turn) {
        self.procs[pi].cpu_ns += self.now.saturating_sub(began);
        self.procs[pi].clock = self.procs[pi].clock.max(self.now);
        let pi_running = self.procs[pi].running;
        if pi_running == Some(tid) && self.threads[tid].run == Run::Running {
            if let Some(since) = self.procs[pi].contended_since {
                if self.now >= since + self.procs[pi].switch_interval && !self.procs[pi].ready.is_empty() {
                    self.note_global();
                    self.procs[pi].running = None;
                    self.procs[pi].ready.push_back(tid);
                    self.threads[tid].run = Run::Ready;
                    self.set_state(tid, ThreadState::Ready);
                    self.procs[pi].contended_since = Some(self.now);
                }
            }
        }
    }

    /// A running thread without frames: start it (boot call) or continue shutdown.
    fn thread_idle(&mut self, tid: Tid) {
        self.note_thread(tid);
        if let Some((f, args)) = self.threads[tid].boot.take() {
            let ret = if self.threads[tid].is_main {
                Ret::ModuleEnd
            } else {
                Ret::ThreadEnd
            };
            self.start_call(tid, f, args, ret);
            return;
        }
        if self.threads[tid].is_main {
            self.advance_shutdown(tid);
        } else {
            self.end_thread(tid, ThreadState::Finished);
        }
    }

    /// Marks a thread finished and wakes its joiners.
    pub fn end_thread(&mut self, tid: Tid, state: ThreadState) {
        self.note_item(schedule::THREAD | tid as u64, true);
        if self.threads[tid].is_main {
            self.note_global();
        }
        let pid = self.threads[tid].pid;
        let t = &mut self.threads[tid];
        t.alive = false;
        t.frames.clear();
        t.run = Run::Done;
        self.rec.threads[tid].end_ns = Some(self.now);
        self.set_state(tid, state);
        let p = self.proc_mut(pid);
        if p.running == Some(tid) {
            p.running = None;
        }
        let pid = self.threads[tid].pid;
        for w in self.waiters(|on| matches!(on, WaitOn::Join(x) if *x == tid), pid) {
            self.event(EventKind::Join {
                waiter: ThreadId(w as u32),
                target: ThreadId(tid as u32),
                line: self.current_line(w),
                timed_out: false,
            });
            self.wake(w, Ok(Value::None));
        }
        for w in self.waiters(|on| matches!(on, WaitOn::Shutdown(x) if *x == tid), pid) {
            self.wake(w, Ok(Value::None));
        }
        (self.lib.thread_ended)(self, tid);
    }

    /// The main thread's module finished (normally or not): shutdown, step by step.
    pub fn advance_shutdown(&mut self, tid: Tid) {
        self.note_global();
        let pid = self.threads[tid].pid;
        loop {
            match self.proc(pid).phase {
                Phase::Running => {
                    self.event(EventKind::Phase {
                        pid,
                        phase: ShutdownPhase::MainFinished,
                    });
                    self.threads[tid].run = Run::Running;
                    self.proc_mut(pid).phase = Phase::JoinThreads;
                    self.event(EventKind::Phase {
                        pid,
                        phase: ShutdownPhase::JoiningThreads,
                    });
                }
                Phase::JoinThreads => {
                    if !self.proc(pid).thread_atexit.is_empty() {
                        let f = self.proc_mut(pid).thread_atexit.remove(0);
                        self.start_call(tid, f, Args::default(), Ret::Shutdown);
                        if !self.threads[tid].frames.is_empty() || self.threads[tid].run == Run::Blocked {
                            return;
                        }
                        continue;
                    }
                    let waiting = self.proc(pid).threads.iter().copied().find(|&t| {
                        let th = &self.threads[t];
                        t != tid && th.alive && !th.daemon && th.run != Run::New && !th.marked_stopped
                    });
                    match waiting {
                        Some(t) => {
                            self.block(
                                tid,
                                Wait {
                                    on: WaitOn::Shutdown(t),
                                    deadline: None,
                                    on_timeout: Ok(Value::None),
                                },
                            );
                            return;
                        }
                        None => {
                            self.proc_mut(pid).phase = Phase::Atexit;
                            self.event(EventKind::Phase {
                                pid,
                                phase: ShutdownPhase::Atexit,
                            });
                        }
                    }
                }
                Phase::Atexit => match self.proc_mut(pid).atexit.pop() {
                    Some((f, args)) => {
                        self.proc_mut(pid).current_atexit = Some(f.clone());
                        self.start_call(tid, f, args, Ret::Shutdown);
                        if !self.threads[tid].frames.is_empty() || self.threads[tid].run == Run::Blocked {
                            return;
                        }
                    }
                    None => {
                        // A process whose queued data is not yet in the pipe cannot exit.
                        if let Some(q) = (self.lib.unflushed_queue)(self, pid) {
                            let wait = Wait {
                                on: WaitOn::Shared(q, SharedWait::Flush(pid)),
                                deadline: None,
                                on_timeout: Ok(Value::None),
                            };
                            self.block(tid, wait);
                            return;
                        }
                        self.exit_process(pid, tid);
                        return;
                    }
                },
                Phase::Exited => return,
            }
        }
    }

    /// The process exits: daemon threads are abandoned where they are.
    pub fn exit_process(&mut self, pid: Pid, main: Tid) {
        self.note_global();
        self.event(EventKind::Phase {
            pid,
            phase: ShutdownPhase::Exiting,
        });
        self.flush(pid, main);
        let code = self.proc(pid).exit_code.unwrap_or(0);
        let threads = self.proc(pid).threads.clone();
        for t in threads {
            let th = &self.threads[t];
            if t == main || !th.alive || th.run == Run::New {
                continue;
            }
            let tt = &mut self.threads[t];
            if let Some(w) = tt.wait.take() {
                if let Some(d) = w.deadline {
                    self.timers.remove(&(d, tt.wait_seq, t));
                }
            }
            tt.alive = false;
            tt.run = Run::Done;
            tt.frames.clear();
            self.rec.threads[t].end_ns = Some(self.now);
            self.set_state(t, ThreadState::Abandoned);
        }
        let t = &mut self.threads[main];
        t.alive = false;
        t.run = Run::Done;
        self.rec.threads[main].end_ns = Some(self.now);
        self.set_state(main, ThreadState::Finished);
        self.now += EXIT_NS;
        let now = self.now;
        let p = self.proc_mut(pid);
        p.phase = Phase::Exited;
        p.running = None;
        p.ready.clear();
        p.exit_t = Some(now);
        p.exit_code = Some(code);
        let i = pid_index(pid);
        self.rec.processes[i].exit_code = Some(code);
        self.rec.processes[i].exit_ns = Some(self.now);
        self.event(EventKind::Exit { pid, code });
        (self.lib.on_exit)(self, pid);
    }

    /// Builds the final trace.
    pub fn finish(mut self) -> Trace {
        let stop = self.stop.clone().unwrap_or(StopReason::Exited);
        let main = &self.procs[0];
        let still_running = main.phase != Phase::Exited;
        if still_running {
            // Flush what the terminal already shows (line-buffered output stays buffered).
            if matches!(stop, StopReason::Horizon) {
                self.now = self.now.max(self.opts.horizon_ns.min(self.now));
            }
        }
        let explanation = crate::report::explain(&self, &stop);
        let main = &self.procs[0];
        // Processes run on their own clocks: put events and output in time order.
        let mut order: Vec<usize> = (0..self.rec.output.len()).collect();
        order.sort_by_key(|&i| self.rec.output[i].t_ns);
        let mut new_index = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        let output: Vec<OutputLine> = order.iter().map(|&i| self.rec.output[i].clone()).collect();
        for e in self.rec.events.iter_mut() {
            if let EventKind::Output { index } = &mut e.kind {
                *index = new_index[*index];
            }
        }
        self.rec.events.sort_by_key(|e| e.t_ns);
        self.rec.output = output;
        Trace {
            version: TRACE_VERSION,
            python: self.opts.python,
            seed: self.opts.seed,
            horizon_ns: self.opts.horizon_ns,
            diagnostics: Vec::new(),
            processes: self.rec.processes,
            threads: self.rec.threads,
            events: self.rec.events,
            output: self.rec.output,
            choices: self.chooser.record.clone(),
            schedule: if self.chooser.exploring {
                self.chooser.schedule().encode()
            } else {
                String::new()
            },
            outcome: Outcome {
                exit_code: if still_running { None } else { main.exit_code },
                exit_ns: if still_running { None } else { main.exit_t },
                still_running,
                stop,
                explanation,
                instructions: self.instructions,
            },
        }
    }
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
