//! Compile: checked AST → bytecode, one [`Code`] object per module, function,
//! class body, lambda and comprehension.
//!
//! The bytecode is a small stack machine (close to CPython 3.10's) with an
//! explicit block stack for exception handlers, so a thread can be suspended
//! after any instruction and resumed later. `finally` bodies are inlined at
//! every exit (`return`, `break`, `continue`) and once more for the exception
//! path, so no hidden state is needed to remember why a `finally` runs.
//!
//! Entry point: [`compile_module`]. This file holds the bytecode itself
//! ([`Op`], [`Code`], [`Program`]) and the entry points; the compiler is in
//! `symbols` (symbol tables), `codegen` (its state and primitives), `stmt`,
//! `expr` and `function` (nested code objects).

mod codegen;
mod expr;
mod function;
mod stmt;
mod symbols;

use std::rc::Rc;

use rustpython_ruff_python_ast as ast;
use rustpython_ruff_text_size::TextRange;

use crate::syntax::parse::LineIndex;
use codegen::Compiler;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CodeId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitOr,
    BitXor,
    BitAnd,
    MatMul,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Is,
    IsNot,
    In,
    NotIn,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Pos,
    Not,
    Invert,
}

/// One bytecode instruction. Arguments index the code's tables.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    Nop,
    Pop,
    Dup,
    /// Swap the two top items.
    Rot2,
    /// TOS moves down two: [a, b, c] → [c, a, b].
    Rot3,
    LoadConst(u32),
    LoadFast(u32),
    StoreFast(u32),
    DeleteFast(u32),
    LoadDeref(u32),
    StoreDeref(u32),
    LoadGlobal(u32),
    StoreGlobal(u32),
    DeleteGlobal(u32),
    /// Class bodies: namespace, then globals, then builtins.
    LoadName(u32),
    StoreName(u32),
    DeleteName(u32),
    LoadAttr(u32),
    StoreAttr(u32),
    DeleteAttr(u32),
    /// Pushes [callable, self] (or [bound, NULL]) for `CallMethod`.
    LoadMethod(u32),
    Subscr,
    StoreSubscr,
    DeleteSubscr,
    Binary(BinOp),
    /// Augmented assignment (`+=` on a list extends it in place).
    Inplace(BinOp),
    Unary(UnOp),
    Compare(CmpOp),
    Jump(u32),
    PopJumpIfFalse(u32),
    PopJumpIfTrue(u32),
    JumpIfFalseOrPop(u32),
    JumpIfTrueOrPop(u32),
    GetIter,
    /// Next item, or pop the iterator and jump.
    ForIter(u32),
    BuildList(u32),
    BuildTuple(u32),
    BuildSet(u32),
    /// n key/value pairs.
    BuildDict(u32),
    BuildSlice(u32),
    /// Joins n strings (f-strings).
    BuildString(u32),
    /// Formats TOS (with a spec below it when `has_spec`); conversion 0 none, 1 str, 2 repr, 3 ascii.
    FormatValue {
        conversion: u8,
        has_spec: bool,
    },
    /// Appends TOS to the list at depth n (comprehensions).
    ListAppend(u32),
    SetAdd(u32),
    MapAdd(u32),
    /// Extends the list below TOS with TOS (`[*a]`, `f(*a)`).
    ListExtend,
    /// Merges TOS into the dict below it (`f(**kw)`).
    DictMerge,
    /// Positional call: n arguments.
    Call(u32),
    /// Call with keywords: n arguments, the last `kw.len()` named by the tuple const `names`.
    CallKw {
        argc: u32,
        names: u32,
    },
    /// Call with `*args` tuple and `**kwargs` dict (has_kw) on the stack.
    CallEx {
        has_kw: bool,
    },
    CallMethod(u32),
    MakeFunction {
        code: u32,
        defaults: u32,
        kwdefaults: u32,
        closure: u32,
    },
    /// Builds a class from [body function, name, bases...].
    BuildClass(u32),
    Return,
    UnpackSequence(u32),
    /// `a, *b, c = ...`: before, after.
    UnpackEx(u32, u32),
    /// Push an exception-handler block that jumps to the target.
    SetupExcept(u32),
    PopBlock,
    /// Ends an `except` body: restores the previous exception being handled.
    PopExcept,
    /// `raise` with 0, 1 or 2 (`from`) operands.
    Raise(u32),
    /// Re-raise the exception at TOS (end of a `finally` or unmatched handler).
    Reraise,
    /// TOS: exception class (or tuple); below: the exception. Pushes bool.
    CheckExcMatch,
    /// `with`: TOS is the context manager; pushes its bound `__exit__`, then calls `__enter__`.
    WithEnter,
    /// Exception path of `with`: stack [exit, exc]; calls exit(type, exc, None), pushes result.
    WithExcept,
    ImportName(u32),
    ImportFrom(u32),
    ImportStar,
    /// `assert` failing: builds an AssertionError from TOS (or none) and raises it.
    AssertFail(bool),
    /// Load the `__build_class__` marker for class bodies' return.
    LoadLocals,
}

/// A compile-time constant.
#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<String>),
    Tuple(Vec<Const>),
    Ellipsis,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeKind {
    Module,
    Function,
    Class,
}

#[derive(Clone, Debug)]
pub struct Code {
    pub kind: CodeKind,
    pub name: Rc<String>,
    pub qualname: Rc<String>,
    pub ops: Vec<Op>,
    /// Source line of each instruction.
    pub lines: Vec<u32>,
    pub consts: Vec<Const>,
    pub names: Vec<Rc<String>>,
    /// Local variables; parameters first.
    pub varnames: Vec<Rc<String>>,
    /// Locals captured by inner functions (stored in cells).
    pub cellvars: Vec<Rc<String>>,
    /// Variables captured from enclosing functions.
    pub freevars: Vec<Rc<String>>,
    /// For each cellvar that is a parameter: (parameter slot, cell index).
    pub cell_params: Vec<(u32, u32)>,
    pub argcount: u32,
    pub kwonlyargcount: u32,
    pub varargs: bool,
    pub varkw: bool,
    pub first_line: u32,
    /// Nested code objects referenced by `MakeFunction`.
    pub children: Vec<CodeId>,
    /// Index into [`Program::files`].
    pub file: u32,
}

/// All code objects of a program; `codes[0]` is the script's module.
#[derive(Clone, Debug, Default)]
pub struct Program {
    pub codes: Vec<Code>,
    /// Source files: name and stripped lines (0 is the script).
    pub files: Vec<(Rc<String>, Vec<Rc<String>>)>,
    /// The module code of the Python-written part of the simulated library.
    pub prelude: Option<CodeId>,
}

impl Program {
    pub fn code(&self, id: CodeId) -> &Code {
        &self.codes[id.0 as usize]
    }
    /// The file name and stripped source text of a 1-based line of a code object's file.
    pub fn line_text(&self, file: u32, line: u32) -> (Rc<String>, Rc<String>) {
        match self.files.get(file as usize) {
            Some((name, lines)) => (
                name.clone(),
                lines
                    .get((line as usize).wrapping_sub(1))
                    .cloned()
                    .unwrap_or_else(|| Rc::new(String::new())),
            ),
            None => (Rc::new("<unknown>".into()), Rc::new(String::new())),
        }
    }
}

/// Appends a separately compiled library (one module in one file) to `program`;
/// returns the library module's new id.
pub fn append_program(program: &mut Program, library: &Program) -> CodeId {
    let offset = program.codes.len() as u32;
    let file_offset = program.files.len() as u32;
    program.files.extend(library.files.iter().cloned());
    for code in &library.codes {
        let mut c = code.clone();
        c.file += file_offset;
        for child in c.children.iter_mut() {
            child.0 += offset;
        }
        program.codes.push(c);
    }
    CodeId(offset)
}

/// Compiles another module (the simulated library's Python part) into `program`.
pub fn compile_library(
    program: &mut Program,
    module: &ast::ModModule,
    source: &str,
    index: &LineIndex,
    file: &str,
) -> Result<CodeId, CompileError> {
    let file_id = program.files.len() as u32;
    program.files.push((
        Rc::new(file.to_string()),
        source.lines().map(|l| Rc::new(l.trim().to_string())).collect(),
    ));
    let mut c = Compiler::new(std::mem::take(program), index, file_id);
    let id = c.module(module)?;
    *program = c.program;
    Ok(id)
}

/// A compile error: valid Python the compiler cannot handle (the checker
/// should have reported it first).
#[derive(Clone, Debug, PartialEq)]
pub struct CompileError {
    pub message: String,
    pub range: TextRange,
}

/// Compile a checked module.
pub fn compile_module(module: &ast::ModModule, source: &str, index: &LineIndex) -> Result<Program, CompileError> {
    let program = Program {
        codes: Vec::new(),
        files: vec![(
            Rc::new("<script>".into()),
            source.lines().map(|l| Rc::new(l.trim().to_string())).collect(),
        )],
        prelude: None,
    };
    let mut c = Compiler::new(program, index, 0);
    let id = c.module(module)?;
    debug_assert_eq!(id, CodeId(0));
    Ok(c.program)
}
