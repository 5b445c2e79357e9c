//! The hot loop: [`World::fast_steps`] runs the commonest instructions of one
//! thread without leaving a tight loop (no call per instruction, the frame and
//! the tables borrowed once), and hands every other one to the full dispatch
//! ([`World::step`], `dispatch.rs`). It is a subset of the full dispatch: for
//! what it runs, it does exactly what the full dispatch does.
//!
//! # What it runs
//!
//! Every instruction of a turn is fetched here: it is charged
//! ([`INSTRUCTION_NS`] and one instruction of the budget) and its line event
//! recorded. The loop then runs it itself when it is
//!
//! | instruction | and |
//! |---|---|
//! | `Nop`, `Pop`, `LoadConst`, `StoreFast` | always |
//! | `LoadFast` | the local is bound (else `UnboundLocalError`, by the full dispatch) |
//! | `LoadGlobal` | the heap keeps no access log (the explorer's reduction narrows global accesses to the name, see [`World::note_keyed`]), and the name is found in the globals or the builtins |
//! | `StoreGlobal` | the heap keeps no access log |
//! | `Jump` | forward; or backward, unless exploring with another thread waiting for the GIL (a preemption point: the chooser decides). A backward jump closing a loop that does nothing (`while True: pass`, see `spin_loops`) spins until the deadline at no cost |
//! | `PopJumpIfFalse`, `PopJumpIfTrue` | the value tested is a bool, an int or None |
//! | `Binary`, `Inplace` | `+`, `-`, `*` of two ints without overflow; `%`, `//` of two ints with a positive divisor |
//! | `Compare` | `<`, `<=`, `>`, `>=`, `==`, `!=` of two ints |
//!
//! # Handing over
//!
//! Any other instruction (or one of these on other operands) is returned,
//! fetched and charged, and [`World::exec_until`] runs it with the full
//! dispatch, then looks at what an instruction may ask of the scheduler: a
//! preemption point passed, the GIL released after output, a reschedule. No
//! instruction the loop runs asks any of these, so the loop does not look
//! between its instructions. A request made between two turns (a timer's
//! wake-up asks for a reschedule) is therefore seen after the turn's first
//! handed-over instruction: which instructions the loop runs is part of the
//! behaviour, not only of its speed. The loop also stops (`None`) at the
//! turn's deadline or instruction budget.
//!
//! # Tested against the full dispatch
//!
//! With [`World::fast_path`] false (tests only), the loop decides as above but
//! hands every instruction over, saying whether it would have run it itself;
//! [`World::exec_until`] runs it with the full dispatch and, when the loop
//! would have run it, skips the checks as the loop does. The tests below run
//! every bundled scenario (with its variations, and once more exploring with a
//! random chooser and the reduction's bookkeeping) and some tight loops both
//! ways, and require the same traces, choices and reduction records.

use crate::compile::{BinOp, CmpOp, Op, Program};
use crate::trace::*;
use crate::vm::value::*;
use crate::vm::*;

impl World {
    /// Runs `tid`'s instructions listed in the module documentation until one
    /// it does not run, returned fetched and charged, or until `deadline` or
    /// the instruction count `max` (None). With `FAST` false it runs none and
    /// hands each over, with `true` when it would have run it.
    pub(super) fn fast_steps<const FAST: bool>(
        &mut self,
        tid: Tid,
        deadline: Nanos,
        max: u64,
        program: &Program,
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
                // Sampled: after `LINE_EVENTS_FULL`, one per millisecond of virtual time.
                if *line_events < LINE_EVENTS_FULL || t_now >= *last_line_event_t + 1_000_000 {
                    *line_events += 1;
                    *last_line_event_t = t_now;
                    let kind = EventKind::Line {
                        thread: ThreadId(tid as u32),
                        line,
                    };
                    rec.events.push(Event { t_ns: t_now, kind });
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
                    let name = names[i as usize].as_str();
                    let Some(v) = global(heap, frame.globals, builtins, name, &mut hints[i as usize]) else {
                        hand_over!(false)
                    };
                    own!();
                    frame.stack.push(v.clone());
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
                    let Some(b) = frame.stack.last().and_then(truth) else {
                        hand_over!(false)
                    };
                    own!();
                    frame.stack.pop();
                    if b == matches!(op, Op::PopJumpIfTrue(_)) {
                        frame.pc = t;
                    }
                }
                Op::Binary(bop) | Op::Inplace(bop) => {
                    let n = frame.stack.len();
                    let Some(r) = int_binary(bop, &frame.stack[n - 2], &frame.stack[n - 1]) else {
                        hand_over!(false)
                    };
                    own!();
                    frame.stack.truncate(n - 2);
                    frame.stack.push(Value::Int(r));
                }
                Op::Compare(cop) => {
                    let n = frame.stack.len();
                    let Some(r) = int_compare(cop, &frame.stack[n - 2], &frame.stack[n - 1]) else {
                        hand_over!(false)
                    };
                    own!();
                    frame.stack.truncate(n - 2);
                    frame.stack.push(Value::Bool(r));
                }
                _ => hand_over!(false),
            }
        }
    }
}

/// `LoadGlobal`'s lookup (as `World::lookup_global`): the globals, then the builtins.
#[inline(always)]
fn global<'h>(heap: &'h Heap, globals: ObjId, builtins: ObjId, name: &str, hint: &mut NameHint) -> Option<&'h Value> {
    let found = match heap.get(globals) {
        Obj::Dict(d) => d.get_str_hinted(name, &mut hint.globals),
        _ => None,
    };
    if found.is_some() {
        return found;
    }
    match heap.get(builtins) {
        Obj::Dict(d) => d.get_str_hinted(name, &mut hint.builtins),
        _ => None,
    }
}

/// The truth of a value the loop tests itself: a bool, an int or None.
#[inline(always)]
fn truth(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Int(i) => Some(*i != 0),
        Value::None => Some(false),
        _ => None,
    }
}

/// `a op b` of two ints, when the loop computes it: `+ - *` without overflow,
/// `% //` with a positive divisor (floored, as Python's).
#[inline(always)]
fn int_binary(op: BinOp, a: &Value, b: &Value) -> Option<i64> {
    let (Value::Int(a), Value::Int(b)) = (a, b) else {
        return None;
    };
    match op {
        BinOp::Add => a.checked_add(*b),
        BinOp::Sub => a.checked_sub(*b),
        BinOp::Mul => a.checked_mul(*b),
        BinOp::Mod if *b > 0 => Some(a.rem_euclid(*b)),
        BinOp::FloorDiv if *b > 0 => Some(a.div_euclid(*b)),
        _ => None,
    }
}

/// `a op b` of two ints, for the six ordering and equality comparisons.
#[inline(always)]
fn int_compare(op: CmpOp, a: &Value, b: &Value) -> Option<bool> {
    let (Value::Int(a), Value::Int(b)) = (a, b) else {
        return None;
    };
    match op {
        CmpOp::Lt => Some(a < b),
        CmpOp::Le => Some(a <= b),
        CmpOp::Gt => Some(a > b),
        CmpOp::Ge => Some(a >= b),
        CmpOp::Eq => Some(a == b),
        CmpOp::Ne => Some(a != b),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use crate::compile::Program;
    use crate::trace::RunOptions;
    use crate::trace::Trace;
    use crate::vm::schedule::{Chooser, Mode, Reduction};
    use crate::vm::World;

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
        let program = match crate::stdlib::build(source, &opts.script_name) {
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
