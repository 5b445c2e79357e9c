//! The bytecode interpreter: runs one thread's instructions until its turn
//! ends ([`World::exec`]). Scheduling decisions are made by the caller
//! ([`World::run`]).
//!
//! - `mod.rs`: one thread's turn, preemption points, stack helpers;
//! - `fast.rs`: the hot loop over the commonest instructions;
//! - `dispatch.rs`: the full dispatch of any instruction;
//! - `calls.rs`: calls, argument binding, frames and returns;
//! - `attrs.rs`: global names and attributes;
//! - `exceptions.rs`: raising, unwinding, tracebacks, uncaught exceptions.

mod attrs;
mod calls;
mod dispatch;
mod exceptions;
mod fast;

use crate::compile::{CodeId, Program};
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
            // An instruction the fast loop would have run asks nothing of the scheduler.
            if !own && !self.turn_goes_on(tid) {
                return false;
            }
        }
    }

    /// After an instruction of the full dispatch: what it (or anything since
    /// the last such look) asked of the scheduler. False when the turn ends:
    /// the GIL is released after output or at a preemption point the chooser
    /// took, or another process may now run first.
    #[inline]
    fn turn_goes_on(&mut self, tid: Tid) -> bool {
        let passed = if self.threads[tid].sync_depth == 0 {
            self.preempt_at.take().filter(|p| p.0 == tid)
        } else {
            None
        };
        if self.io_release {
            self.io_release = false;
            let p = &self.procs[pid_index(self.threads[tid].pid)];
            if self.threads[tid].run == Run::Running
                && p.running == Some(tid)
                && !p.ready.is_empty()
                && self.threads[tid].sync_depth == 0
            {
                self.requeue(tid);
                return false;
            }
        }
        if let Some((_, line)) = passed {
            self.preempt_choice(tid, line);
        }
        if self.preempt_now {
            self.preempt_now = false;
            let p = &self.procs[pid_index(self.threads[tid].pid)];
            if self.threads[tid].run == Run::Running && p.running == Some(tid) {
                self.requeue(tid);
                return false;
            }
        }
        if self.reschedule && self.threads[tid].sync_depth == 0 {
            self.reschedule = false;
            if self.procs.len() > 1 {
                return false;
            }
        }
        true
    }

    /// The running thread `tid` gives up its process's GIL and waits for it
    /// again, behind the threads already waiting.
    fn requeue(&mut self, tid: Tid) {
        let p = &mut self.procs[pid_index(self.threads[tid].pid)];
        p.running = None;
        p.ready.push_back(tid);
        p.contended_since = Some(self.now);
        self.threads[tid].run = Run::Ready;
        self.set_state(tid, ThreadState::Ready);
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
    fn name_at<'p>(&self, program: &'p Program, tid: Tid, i: u32) -> &'p str {
        program.code(self.code_of(tid)).names[i as usize].as_str()
    }
}
