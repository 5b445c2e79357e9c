//! The compiler's state and its primitives: the code objects under
//! construction (one [`Unit`] per nested scope), emitting and patching
//! instructions, the constant and name tables, and how a name compiles to a
//! load, store or delete (fast local, cell, free variable, global, class
//! namespace).

use std::rc::Rc;

use rustpython_ruff_python_ast as ast;
use rustpython_ruff_python_ast::Stmt;
use rustpython_ruff_text_size::TextRange;

use super::symbols::{symtable_module, Scope};
use super::{Code, CodeId, CodeKind, CompileError, Const, Op, Program};
use crate::syntax::parse::LineIndex;

/// What a `return`/`break`/`continue` must undo on its way out.
#[derive(Clone, Debug)]
pub(super) enum FBlock<'a> {
    Loop {
        continue_to: u32,
        is_for: bool,
    },
    /// Inside `try:` with handlers.
    TryExcept,
    /// Inside `try:` with a `finally:` body.
    TryFinally(&'a [Stmt]),
    /// Inside the body of a `finally` that runs on the exception path (exception on stack).
    FinallyExc,
    /// Inside an `except` body (named: the name to delete).
    Handler(Option<String>),
    With,
}

/// One code object under construction.
pub(super) struct Unit<'a> {
    pub(super) code: Code,
    /// The slot reserved for a module's code (modules finish last but keep their place).
    slot: Option<usize>,
    pub(super) scope: Scope,
    pub(super) fblocks: Vec<FBlock<'a>>,
    /// Jump instructions to patch at the end of each loop.
    pub(super) breaks: Vec<usize>,
    /// The source line the next instruction is attributed to.
    pub(super) line: u32,
    tmp_counter: u32,
}

/// The program compiled so far and the stack of code objects under
/// construction, innermost last.
pub(super) struct Compiler<'a> {
    pub(super) program: Program,
    pub(super) index: &'a LineIndex,
    pub(super) units: Vec<Unit<'a>>,
    /// The file new code objects belong to (an index into [`Program::files`]).
    file: u32,
}

pub(super) type CResult = Result<(), CompileError>;

pub(super) fn err<T>(range: TextRange, msg: impl Into<String>) -> Result<T, CompileError> {
    Err(CompileError {
        message: msg.into(),
        range,
    })
}

impl<'a> Compiler<'a> {
    pub(super) fn new(program: Program, index: &'a LineIndex, file: u32) -> Compiler<'a> {
        Compiler {
            program,
            index,
            units: Vec::new(),
            file,
        }
    }

    /// Compiles a module's body into a module code object; returns its id.
    pub(super) fn module(&mut self, module: &'a ast::ModModule) -> Result<CodeId, CompileError> {
        let scope = symtable_module(&module.body);
        self.push_unit(CodeKind::Module, "<module>", "<module>", scope, 1);
        self.stmts(&module.body)?;
        let none = self.konst(Const::None);
        self.emit(Op::LoadConst(none));
        self.emit(Op::Return);
        Ok(self.pop_unit())
    }

    pub(super) fn push_unit(&mut self, kind: CodeKind, name: &str, qualname: &str, scope: Scope, line: u32) {
        let mut code = Code {
            kind,
            name: Rc::new(name.to_string()),
            qualname: Rc::new(qualname.to_string()),
            ops: Vec::new(),
            lines: Vec::new(),
            consts: Vec::new(),
            names: Vec::new(),
            varnames: Vec::new(),
            cellvars: Vec::new(),
            freevars: Vec::new(),
            cell_params: Vec::new(),
            argcount: 0,
            kwonlyargcount: 0,
            varargs: false,
            varkw: false,
            first_line: line,
            children: Vec::new(),
            file: self.file,
        };
        if kind == CodeKind::Function {
            for p in &scope.params {
                code.varnames.push(Rc::new(p.clone()));
            }
            for l in &scope.locals {
                if !scope.params.contains(l) && !scope.cells.contains(l) {
                    code.varnames.push(Rc::new(l.clone()));
                }
            }
            for c in &scope.cells {
                code.cellvars.push(Rc::new(c.clone()));
                if let Some(pi) = scope.params.iter().position(|p| p == c) {
                    code.cell_params.push((pi as u32, (code.cellvars.len() - 1) as u32));
                }
            }
        }
        for f in &scope.frees {
            if kind != CodeKind::Module {
                code.freevars.push(Rc::new(f.clone()));
            }
        }
        let slot = if kind == CodeKind::Module {
            self.program.codes.push(code.clone());
            Some(self.program.codes.len() - 1)
        } else {
            None
        };
        self.units.push(Unit {
            code,
            slot,
            scope,
            fblocks: Vec::new(),
            breaks: Vec::new(),
            line,
            tmp_counter: 0,
        });
    }

    pub(super) fn pop_unit(&mut self) -> CodeId {
        let u = self.units.pop().expect("unit");
        if let Some(slot) = u.slot {
            self.program.codes[slot] = u.code;
            return CodeId(slot as u32);
        }
        self.program.codes.push(u.code);
        CodeId((self.program.codes.len() - 1) as u32)
    }

    pub(super) fn unit(&mut self) -> &mut Unit<'a> {
        self.units.last_mut().expect("unit")
    }

    pub(super) fn set_line(&mut self, range: TextRange) {
        let line = self.index.line(range.start().to_u32());
        self.unit().line = line;
    }

    pub(super) fn emit(&mut self, op: Op) -> usize {
        let u = self.unit();
        u.code.ops.push(op);
        u.code.lines.push(u.line);
        u.code.ops.len() - 1
    }

    pub(super) fn here(&mut self) -> u32 {
        self.unit().code.ops.len() as u32
    }

    pub(super) fn patch(&mut self, at: usize, target: u32) {
        let op = &mut self.unit().code.ops[at];
        *op = match *op {
            Op::Jump(_) => Op::Jump(target),
            Op::PopJumpIfFalse(_) => Op::PopJumpIfFalse(target),
            Op::PopJumpIfTrue(_) => Op::PopJumpIfTrue(target),
            Op::JumpIfFalseOrPop(_) => Op::JumpIfFalseOrPop(target),
            Op::JumpIfTrueOrPop(_) => Op::JumpIfTrueOrPop(target),
            Op::ForIter(_) => Op::ForIter(target),
            Op::SetupExcept(_) => Op::SetupExcept(target),
            other => other,
        };
    }

    pub(super) fn konst(&mut self, c: Const) -> u32 {
        let u = self.unit();
        if let Some(i) = u.code.consts.iter().position(|x| same_const(x, &c)) {
            return i as u32;
        }
        u.code.consts.push(c);
        (u.code.consts.len() - 1) as u32
    }

    pub(super) fn name(&mut self, n: &str) -> u32 {
        let u = self.unit();
        if let Some(i) = u.code.names.iter().position(|x| x.as_str() == n) {
            return i as u32;
        }
        u.code.names.push(Rc::new(n.to_string()));
        (u.code.names.len() - 1) as u32
    }

    pub(super) fn new_tmp(&mut self) -> u32 {
        let u = self.unit();
        u.tmp_counter += 1;
        let name = format!(".tmp{}", u.tmp_counter);
        u.code.varnames.push(Rc::new(name));
        (u.code.varnames.len() - 1) as u32
    }

    // ----- names

    pub(super) fn load_name(&mut self, n: &str) {
        let op = self.name_op(n, NameCtx::Load);
        self.emit(op);
    }

    pub(super) fn store_name(&mut self, n: &str) {
        let op = self.name_op(n, NameCtx::Store);
        self.emit(op);
    }

    pub(super) fn name_op(&mut self, n: &str, ctx: NameCtx) -> Op {
        let u = self.units.last().expect("unit");
        let kind = u.code.kind;
        if kind == CodeKind::Function {
            let s = &u.scope;
            if s.globals.contains(n) {
                let i = self.name(n);
                return match ctx {
                    NameCtx::Load => Op::LoadGlobal(i),
                    NameCtx::Store => Op::StoreGlobal(i),
                    NameCtx::Del => Op::DeleteGlobal(i),
                };
            }
            if let Some(ci) = u.code.cellvars.iter().position(|x| x.as_str() == n) {
                return match ctx {
                    NameCtx::Load => Op::LoadDeref(ci as u32),
                    _ => Op::StoreDeref(ci as u32),
                };
            }
            if let Some(fi) = u.code.freevars.iter().position(|x| x.as_str() == n) {
                let idx = (u.code.cellvars.len() + fi) as u32;
                return match ctx {
                    NameCtx::Load => Op::LoadDeref(idx),
                    _ => Op::StoreDeref(idx),
                };
            }
            if let Some(li) = u.code.varnames.iter().position(|x| x.as_str() == n) {
                return match ctx {
                    NameCtx::Load => Op::LoadFast(li as u32),
                    NameCtx::Store => Op::StoreFast(li as u32),
                    NameCtx::Del => Op::DeleteFast(li as u32),
                };
            }
            let i = self.name(n);
            return match ctx {
                NameCtx::Load => Op::LoadGlobal(i),
                NameCtx::Store => Op::StoreGlobal(i),
                NameCtx::Del => Op::DeleteGlobal(i),
            };
        }
        if kind == CodeKind::Class {
            if let Some(fi) = u.code.freevars.iter().position(|x| x.as_str() == n) {
                if !u.scope.locals.contains(n) && ctx == NameCtx::Load {
                    return Op::LoadDeref(fi as u32);
                }
            }
            let global = u.scope.globals.contains(n);
            let i = self.name(n);
            return match (ctx, global) {
                (NameCtx::Load, false) => Op::LoadName(i),
                (NameCtx::Store, false) => Op::StoreName(i),
                (NameCtx::Del, false) => Op::DeleteName(i),
                (NameCtx::Load, true) => Op::LoadGlobal(i),
                (NameCtx::Store, true) => Op::StoreGlobal(i),
                (NameCtx::Del, true) => Op::DeleteGlobal(i),
            };
        }
        let i = self.name(n);
        match ctx {
            NameCtx::Load => Op::LoadGlobal(i),
            NameCtx::Store => Op::StoreGlobal(i),
            NameCtx::Del => Op::DeleteGlobal(i),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum NameCtx {
    Load,
    Store,
    Del,
}

fn same_const(a: &Const, b: &Const) -> bool {
    match (a, b) {
        (Const::Float(x), Const::Float(y)) => x.to_bits() == y.to_bits(),
        (Const::Int(x), Const::Int(y)) => x == y,
        (Const::Bool(x), Const::Bool(y)) => x == y,
        (Const::Str(x), Const::Str(y)) => x == y,
        (Const::None, Const::None) | (Const::Ellipsis, Const::Ellipsis) => true,
        (Const::Tuple(x), Const::Tuple(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_const(p, q)),
        _ => false,
    }
}
