//! The end of threads and processes: interpreter shutdown (joining
//! non-daemon threads, atexit handlers), exit, and the finished trace.

use super::value::*;
use super::*;
use crate::trace::*;

impl World {
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
        self.process_exited(pid, code);
    }

    /// Process `pid` has exited with `code`, now: it runs nothing more, the
    /// trace records its exit, and the library learns of it.
    pub fn process_exited(&mut self, pid: Pid, code: i32) {
        let now = self.now;
        let p = self.proc_mut(pid);
        p.phase = Phase::Exited;
        p.running = None;
        p.ready.clear();
        p.exit_t = Some(now);
        p.exit_code = Some(code);
        let i = pid_index(pid);
        self.rec.processes[i].exit_code = Some(code);
        self.rec.processes[i].exit_ns = Some(now);
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
        // What the trace cannot otherwise say: where running threads had got
        // to, and which threads 3.12 marked stopped.
        let lines_at_stop = (0..self.threads.len())
            .filter(|&t| {
                self.threads[t].alive
                    && matches!(
                        self.threads[t].last_state,
                        Some(ThreadState::Running { .. } | ThreadState::Ready)
                    )
            })
            .map(|t| ThreadLine {
                thread: ThreadId(t as u32),
                line: self.current_line(t),
            })
            .collect();
        let marked_stopped = (0..self.threads.len())
            .filter(|&t| self.threads[t].marked_stopped)
            .map(|t| ThreadId(t as u32))
            .collect();
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
        let mut trace = Trace {
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
                explanation: Vec::new(),
                instructions: self.instructions,
                lines_at_stop,
                marked_stopped,
            },
        };
        trace.outcome.explanation = crate::trace::report::explain(&trace);
        trace
    }
}
