//! The run loop: blocking and waking, timers and signals, and turns (one
//! thread running until it blocks, is switched out, or the run pauses).

use super::value::*;
use super::*;
use crate::trace::*;

impl World {
    pub(super) fn next_timer(&self) -> Option<Nanos> {
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
            WaitOn::ForkServer(p) => ThreadState::Blocked {
                on: BlockedOn::ForkServer { pid: *p },
                line,
                until_ns: None,
            },
            WaitOn::Requests(kind) => ThreadState::Blocked {
                on: BlockedOn::Requests {
                    service: kind.name().into(),
                },
                line,
                until_ns: None,
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
    pub(super) fn fire_timers(&mut self, t_limit: Nanos) {
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
    pub(super) fn pick_timer(&mut self, first: (Nanos, u64, Tid)) -> (Nanos, u64, Tid) {
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
    pub(super) fn fire_signals(&mut self, t_limit: Nanos) {
        while self.signal_queue.front().is_some_and(|s| s.t_ns <= t_limit) {
            let s = self.signal_queue.pop_front().expect("signal");
            self.note_global();
            self.now = s.t_ns;
            (self.lib.send_scheduled)(self, &s);
        }
    }

    pub(super) fn next_event(&self) -> Option<Nanos> {
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
    pub(super) fn end_turn(&mut self, Turn { pi, tid, began, .. }: Turn) {
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
    pub(super) fn thread_idle(&mut self, tid: Tid) {
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
}
