//! What the explorer's reduction learns from a run: which objects, names and
//! threads each step touched, and the choice points it records.

use super::value::*;
use super::*;
use crate::trace::*;

impl World {
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
    pub(super) fn flush_heap_log(&mut self) {
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
    pub(super) fn choice(
        &mut self,
        kind: schedule::ChoiceKind,
        options: Vec<ThreadId>,
        t_ns: Nanos,
        line: u32,
    ) -> usize {
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
}
