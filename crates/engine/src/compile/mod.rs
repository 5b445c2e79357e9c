//! Compile: checked AST → bytecode, one [`Code`] object per module, function,
//! class body, lambda and comprehension.
//!
//! The bytecode is a small stack machine (close to CPython 3.10's) with an
//! explicit block stack for exception handlers, so a thread can be suspended
//! after any instruction and resumed later. `finally` bodies are inlined at
//! every exit (`return`, `break`, `continue`) and once more for the exception
//! path, so no hidden state is needed to remember why a `finally` runs.
//!
//! Entry point: [`compile_module`].

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use rustpython_ruff_python_ast as ast;
use rustpython_ruff_python_ast::{Expr, Stmt};
use rustpython_ruff_text_size::{Ranged, TextRange};

use crate::syntax::parse::LineIndex;
use crate::syntax::walk::walk_expr_children;

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
    let mut c = Compiler {
        program: std::mem::take(program),
        index,
        units: Vec::new(),
        file: file_id,
    };
    let scope = symtable_module(&module.body);
    c.push_unit(CodeKind::Module, "<module>", "<module>", scope, 1);
    c.stmts(&module.body)?;
    let none = c.konst(Const::None);
    c.emit(Op::LoadConst(none));
    c.emit(Op::Return);
    let id = c.pop_unit();
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
    let mut c = Compiler {
        program: Program {
            codes: Vec::new(),
            files: vec![(
                Rc::new("<script>".into()),
                source.lines().map(|l| Rc::new(l.trim().to_string())).collect(),
            )],
            prelude: None,
        },
        index,
        units: Vec::new(),
        file: 0,
    };
    let scope = symtable_module(&module.body);
    c.push_unit(CodeKind::Module, "<module>", "<module>", scope, 1);
    c.stmts(&module.body)?;
    let none = c.konst(Const::None);
    c.emit(Op::LoadConst(none));
    c.emit(Op::Return);
    let id = c.pop_unit();
    debug_assert_eq!(id, CodeId(0));
    Ok(c.program)
}

// ---------------------------------------------------------------------------------------------
// Symbol tables

#[derive(Clone, Debug, Default)]
struct Scope {
    kind_function: bool,
    params: Vec<String>,
    /// Names bound in this scope (function locals).
    locals: BTreeSet<String>,
    globals: BTreeSet<String>,
    nonlocals: BTreeSet<String>,
    /// Locals captured by inner scopes.
    cells: BTreeSet<String>,
    /// Names this scope takes from enclosing functions.
    frees: BTreeSet<String>,
    /// Child scopes by the start offset of their defining node.
    children: BTreeMap<u32, Scope>,
}

fn symtable_module(body: &[Stmt]) -> Scope {
    let mut s = Scope::default();
    let mut v = Binder {
        scope: &mut s,
        used: BTreeSet::new(),
    };
    for st in body {
        v.stmt(st);
    }
    resolve(&mut s, &BTreeSet::new());
    s
}

/// Keeps as free variables only names bound in an enclosing function (the rest are
/// globals or builtins), and marks the locals that inner scopes capture as cells.
fn resolve(s: &mut Scope, enclosing: &BTreeSet<String>) {
    s.frees.retain(|f| enclosing.contains(f));
    let mut env = enclosing.clone();
    if s.kind_function {
        env.extend(s.locals.iter().cloned());
        for g in &s.globals {
            env.remove(g);
        }
    }
    let mut child_frees = BTreeSet::new();
    for c in s.children.values_mut() {
        resolve(c, &env);
        child_frees.extend(c.frees.iter().cloned());
    }
    if s.kind_function {
        s.cells = s.locals.intersection(&child_frees).cloned().collect();
        // Names children take from further out pass through this scope.
        for f in child_frees {
            if !s.locals.contains(&f) && enclosing.contains(&f) {
                s.frees.insert(f);
            }
        }
    } else {
        for f in child_frees {
            if enclosing.contains(&f) {
                s.frees.insert(f);
            }
        }
    }
}

/// Analyses a function-like scope: returns the scope with locals, cells and frees resolved.
fn symtable_function(params: Option<&ast::Parameters>, body: FnBody<'_>) -> (Scope, BTreeSet<String>) {
    let mut s = Scope {
        kind_function: true,
        ..Default::default()
    };
    if matches!(body, FnBody::Comp(..)) {
        s.params.push(".0".into());
    }
    if let Some(p) = params {
        for a in p.posonlyargs.iter().chain(p.args.iter()) {
            s.params.push(a.parameter.name.id.to_string());
        }
        if let Some(v) = &p.vararg {
            s.params.push(v.name.id.to_string());
        }
        for a in p.kwonlyargs.iter() {
            s.params.push(a.parameter.name.id.to_string());
        }
        if let Some(v) = &p.kwarg {
            s.params.push(v.name.id.to_string());
        }
    }
    for p in s.params.clone() {
        s.locals.insert(p);
    }
    let used = {
        let mut v = Binder {
            scope: &mut s,
            used: BTreeSet::new(),
        };
        match body {
            FnBody::Stmts(b) => {
                for st in b {
                    v.stmt(st);
                }
            }
            FnBody::Expr(e) => v.expr(e),
            FnBody::Comp(elts, gens) => {
                for (i, g) in gens.iter().enumerate() {
                    if i > 0 {
                        v.expr(&g.iter);
                    }
                    v.target(&g.target);
                    for cond in &g.ifs {
                        v.expr(cond);
                    }
                }
                for e in elts {
                    v.expr(e);
                }
            }
        }
        v.used
    };
    for g in &s.globals {
        s.locals.remove(g);
    }
    for n in &s.nonlocals {
        s.locals.remove(n);
    }
    // Free names of children that we define become cells; others pass through.
    let mut needed: BTreeSet<String> = BTreeSet::new();
    let child_frees: Vec<String> = s.children.values().flat_map(|c| c.frees.iter().cloned()).collect();
    for f in child_frees {
        if s.locals.contains(&f) {
            s.cells.insert(f);
        } else if !s.globals.contains(&f) {
            needed.insert(f);
        }
    }
    for n in &s.nonlocals {
        needed.insert(n.clone());
    }
    for u in used {
        if !s.locals.contains(&u) && !s.globals.contains(&u) {
            needed.insert(u);
        }
    }
    (s, needed)
}

enum FnBody<'a> {
    Stmts(&'a [Stmt]),
    Expr(&'a Expr),
    Comp(Vec<&'a Expr>, &'a [ast::Comprehension]),
}

struct Binder<'a> {
    scope: &'a mut Scope,
    used: BTreeSet<String>,
}

impl Binder<'_> {
    fn bind(&mut self, name: &str) {
        self.scope.locals.insert(name.to_string());
    }

    fn child(&mut self, at: TextRange, params: Option<&ast::Parameters>, body: FnBody<'_>) {
        let (mut child, needed) = symtable_function(params, body);
        // Whatever the child needs and isn't global at our level is a free variable of
        // the child: resolved against us (or further out).
        child.frees = needed;
        self.scope.children.insert(at.start().to_u32(), child);
    }

    fn target(&mut self, e: &Expr) {
        match e {
            Expr::Name(n) => self.bind(&n.id),
            Expr::Tuple(t) => t.elts.iter().for_each(|x| self.target(x)),
            Expr::List(t) => t.elts.iter().for_each(|x| self.target(x)),
            Expr::Starred(s) => self.target(&s.value),
            Expr::Attribute(a) => self.expr(&a.value),
            Expr::Subscript(s) => {
                self.expr(&s.value);
                self.expr(&s.slice);
            }
            other => self.expr(other),
        }
    }

    fn params_defaults(&mut self, p: &ast::Parameters) {
        for a in p.posonlyargs.iter().chain(p.args.iter()).chain(p.kwonlyargs.iter()) {
            if let Some(d) = &a.default {
                self.expr(d);
            }
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::FunctionDef(f) => {
                for d in &f.decorator_list {
                    self.expr(&d.expression);
                }
                self.params_defaults(&f.parameters);
                self.bind(&f.name.id);
                self.child(f.range, Some(&f.parameters), FnBody::Stmts(&f.body));
            }
            Stmt::ClassDef(c) => {
                if let Some(a) = &c.arguments {
                    a.args.iter().for_each(|e| self.expr(e));
                    a.keywords.iter().for_each(|k| self.expr(&k.value));
                }
                self.bind(&c.name.id);
                // A class body is a scope of its own whose names are not visible to
                // its methods: methods' free names pass through to us.
                let mut cls = Scope::default();
                let mut used = {
                    let mut v = Binder {
                        scope: &mut cls,
                        used: BTreeSet::new(),
                    };
                    for st in &c.body {
                        v.stmt(st);
                    }
                    v.used
                };
                for ch in cls.children.values() {
                    used.extend(ch.frees.iter().cloned());
                }
                cls.frees = used.into_iter().filter(|u| !cls.globals.contains(u)).collect();
                self.scope.children.insert(c.range.start().to_u32(), cls);
                let frees: Vec<String> = self.scope.children[&c.range.start().to_u32()]
                    .frees
                    .iter()
                    .cloned()
                    .collect();
                self.used.extend(frees);
            }
            Stmt::Return(r) => {
                if let Some(v) = &r.value {
                    self.expr(v)
                }
            }
            Stmt::Delete(d) => d.targets.iter().for_each(|t| self.target(t)),
            Stmt::Assign(a) => {
                self.expr(&a.value);
                a.targets.iter().for_each(|t| self.target(t));
            }
            Stmt::AugAssign(a) => {
                self.expr(&a.value);
                self.target(&a.target);
                if let Expr::Name(n) = &*a.target {
                    self.used.insert(n.id.to_string());
                }
            }
            Stmt::AnnAssign(a) => {
                if let Some(v) = &a.value {
                    self.expr(v);
                }
                self.target(&a.target);
            }
            Stmt::For(f) => {
                self.expr(&f.iter);
                self.target(&f.target);
                f.body.iter().chain(f.orelse.iter()).for_each(|s| self.stmt(s));
            }
            Stmt::While(w) => {
                self.expr(&w.test);
                w.body.iter().chain(w.orelse.iter()).for_each(|s| self.stmt(s));
            }
            Stmt::If(i) => {
                self.expr(&i.test);
                i.body.iter().for_each(|s| self.stmt(s));
                for c in &i.elif_else_clauses {
                    if let Some(t) = &c.test {
                        self.expr(t);
                    }
                    c.body.iter().for_each(|s| self.stmt(s));
                }
            }
            Stmt::With(w) => {
                for it in &w.items {
                    self.expr(&it.context_expr);
                    if let Some(v) = &it.optional_vars {
                        self.target(v);
                    }
                }
                w.body.iter().for_each(|s| self.stmt(s));
            }
            Stmt::Raise(r) => {
                if let Some(e) = &r.exc {
                    self.expr(e);
                }
                if let Some(e) = &r.cause {
                    self.expr(e);
                }
            }
            Stmt::Try(t) => {
                t.body.iter().for_each(|s| self.stmt(s));
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    if let Some(ty) = &h.type_ {
                        self.expr(ty);
                    }
                    if let Some(n) = &h.name {
                        self.bind(&n.id);
                    }
                    h.body.iter().for_each(|s| self.stmt(s));
                }
                t.orelse.iter().chain(t.finalbody.iter()).for_each(|s| self.stmt(s));
            }
            Stmt::Assert(a) => {
                self.expr(&a.test);
                if let Some(m) = &a.msg {
                    self.expr(m);
                }
            }
            Stmt::Import(i) => {
                for a in &i.names {
                    let n = match &a.asname {
                        Some(x) => x.id.to_string(),
                        None => a.name.id.split('.').next().unwrap_or("").to_string(),
                    };
                    self.bind(&n);
                }
            }
            Stmt::ImportFrom(i) => {
                for a in &i.names {
                    let n = a.asname.as_ref().unwrap_or(&a.name);
                    if n.id.as_str() != "*" {
                        self.bind(&n.id);
                    }
                }
            }
            Stmt::Global(g) => {
                for n in &g.names {
                    self.scope.globals.insert(n.id.to_string());
                }
            }
            Stmt::Nonlocal(g) => {
                for n in &g.names {
                    self.scope.nonlocals.insert(n.id.to_string());
                }
            }
            Stmt::Expr(e) => self.expr(&e.value),
            _ => {}
        }
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Name(n) => {
                self.used.insert(n.id.to_string());
            }
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.params_defaults(p);
                }
                self.child(l.range, l.parameters.as_deref(), FnBody::Expr(&l.body));
            }
            Expr::ListComp(c) => {
                self.expr(&c.generators[0].iter);
                self.child(c.range, None, FnBody::Comp(vec![&c.elt], &c.generators));
            }
            Expr::SetComp(c) => {
                self.expr(&c.generators[0].iter);
                self.child(c.range, None, FnBody::Comp(vec![&c.elt], &c.generators));
            }
            Expr::Generator(c) => {
                self.expr(&c.generators[0].iter);
                self.child(c.range, None, FnBody::Comp(vec![&c.elt], &c.generators));
            }
            Expr::DictComp(c) => {
                self.expr(&c.generators[0].iter);
                self.child(c.range, None, FnBody::Comp(vec![&c.key, &c.value], &c.generators));
            }
            Expr::Named(n) => {
                self.target(&n.target);
                self.expr(&n.value);
            }
            _ => walk_expr_children(e, &mut |c| self.expr(c)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Code generation

/// What a `return`/`break`/`continue` must undo on its way out.
#[derive(Clone, Debug)]
enum FBlock<'a> {
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

struct Unit<'a> {
    code: Code,
    /// The slot reserved for a module's code (modules finish last but keep their place).
    slot: Option<usize>,
    scope: Scope,
    fblocks: Vec<FBlock<'a>>,
    /// Jump instructions to patch at the end of each loop.
    breaks: Vec<usize>,
    line: u32,
    tmp_counter: u32,
}

struct Compiler<'a> {
    program: Program,
    index: &'a LineIndex,
    units: Vec<Unit<'a>>,
    file: u32,
}

type CResult = Result<(), CompileError>;

fn err<T>(range: TextRange, msg: impl Into<String>) -> Result<T, CompileError> {
    Err(CompileError {
        message: msg.into(),
        range,
    })
}

impl<'a> Compiler<'a> {
    fn push_unit(&mut self, kind: CodeKind, name: &str, qualname: &str, scope: Scope, line: u32) {
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

    fn pop_unit(&mut self) -> CodeId {
        let u = self.units.pop().expect("unit");
        if let Some(slot) = u.slot {
            self.program.codes[slot] = u.code;
            return CodeId(slot as u32);
        }
        self.program.codes.push(u.code);
        CodeId((self.program.codes.len() - 1) as u32)
    }

    fn unit(&mut self) -> &mut Unit<'a> {
        self.units.last_mut().expect("unit")
    }

    fn set_line(&mut self, range: TextRange) {
        let line = self.index.line(range.start().to_u32());
        self.unit().line = line;
    }

    fn emit(&mut self, op: Op) -> usize {
        let u = self.unit();
        u.code.ops.push(op);
        u.code.lines.push(u.line);
        u.code.ops.len() - 1
    }

    fn here(&mut self) -> u32 {
        self.unit().code.ops.len() as u32
    }

    fn patch(&mut self, at: usize, target: u32) {
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

    fn konst(&mut self, c: Const) -> u32 {
        let u = self.unit();
        if let Some(i) = u.code.consts.iter().position(|x| same_const(x, &c)) {
            return i as u32;
        }
        u.code.consts.push(c);
        (u.code.consts.len() - 1) as u32
    }

    fn name(&mut self, n: &str) -> u32 {
        let u = self.unit();
        if let Some(i) = u.code.names.iter().position(|x| x.as_str() == n) {
            return i as u32;
        }
        u.code.names.push(Rc::new(n.to_string()));
        (u.code.names.len() - 1) as u32
    }

    fn new_tmp(&mut self) -> u32 {
        let u = self.unit();
        u.tmp_counter += 1;
        let name = format!(".tmp{}", u.tmp_counter);
        u.code.varnames.push(Rc::new(name));
        (u.code.varnames.len() - 1) as u32
    }

    // ----- names

    fn load_name(&mut self, n: &str) {
        let op = self.name_op(n, NameCtx::Load);
        self.emit(op);
    }

    fn store_name(&mut self, n: &str) {
        let op = self.name_op(n, NameCtx::Store);
        self.emit(op);
    }

    fn name_op(&mut self, n: &str, ctx: NameCtx) -> Op {
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

    // ----- statements

    fn stmts(&mut self, body: &'a [Stmt]) -> CResult {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &'a Stmt) -> CResult {
        self.set_line(s.range());
        match s {
            Stmt::Expr(e) => {
                self.expr(&e.value)?;
                self.emit(Op::Pop);
            }
            Stmt::Pass(_) => {
                self.emit(Op::Nop);
            }
            Stmt::Assign(a) => {
                self.expr(&a.value)?;
                for (i, t) in a.targets.iter().enumerate() {
                    if i + 1 < a.targets.len() {
                        self.emit(Op::Dup);
                    }
                    self.assign(t)?;
                }
            }
            Stmt::AnnAssign(a) => {
                if let Some(v) = &a.value {
                    self.expr(v)?;
                    self.assign(&a.target)?;
                }
            }
            Stmt::AugAssign(a) => self.aug_assign(a)?,
            Stmt::If(i) => {
                let mut ends = Vec::new();
                self.cond_jump_false(&i.test)?;
                let j = self.unit().code.ops.len() - 1;
                self.stmts(&i.body)?;
                if !i.elif_else_clauses.is_empty() {
                    ends.push(self.emit(Op::Jump(0)));
                }
                let t = self.here();
                self.patch(j, t);
                let n = i.elif_else_clauses.len();
                for (k, c) in i.elif_else_clauses.iter().enumerate() {
                    self.set_line(c.range);
                    match &c.test {
                        Some(test) => {
                            self.cond_jump_false(test)?;
                            let j = self.unit().code.ops.len() - 1;
                            self.stmts(&c.body)?;
                            if k + 1 < n {
                                ends.push(self.emit(Op::Jump(0)));
                            }
                            let t = self.here();
                            self.patch(j, t);
                        }
                        None => self.stmts(&c.body)?,
                    }
                }
                let end = self.here();
                for e in ends {
                    self.patch(e, end);
                }
            }
            Stmt::While(w) => {
                let top = self.here();
                self.cond_jump_false(&w.test)?;
                let exit = self.unit().code.ops.len() - 1;
                let saved = std::mem::take(&mut self.unit().breaks);
                self.unit().fblocks.push(FBlock::Loop {
                    continue_to: top,
                    is_for: false,
                });
                self.stmts(&w.body)?;
                self.set_line(w.test.range());
                self.emit(Op::Jump(top));
                self.unit().fblocks.pop();
                let after_loop = self.here();
                self.patch(exit, after_loop);
                let breaks = std::mem::replace(&mut self.unit().breaks, saved);
                self.stmts(&w.orelse)?;
                let end = self.here();
                for b in breaks {
                    self.patch(b, end);
                }
            }
            Stmt::For(f) => {
                self.expr(&f.iter)?;
                self.emit(Op::GetIter);
                let top = self.here();
                let fi = self.emit(Op::ForIter(0));
                self.assign(&f.target)?;
                let saved = std::mem::take(&mut self.unit().breaks);
                self.unit().fblocks.push(FBlock::Loop {
                    continue_to: top,
                    is_for: true,
                });
                self.stmts(&f.body)?;
                self.set_line(f.target.range());
                self.emit(Op::Jump(top));
                self.unit().fblocks.pop();
                let after = self.here();
                self.patch(fi, after);
                let breaks = std::mem::replace(&mut self.unit().breaks, saved);
                self.stmts(&f.orelse)?;
                let end = self.here();
                for b in breaks {
                    self.patch(b, end);
                }
            }
            Stmt::Break(b) => {
                self.unwind_to_loop(b.range, false)?;
            }
            Stmt::Continue(c) => {
                self.unwind_to_loop(c.range, true)?;
            }
            Stmt::Return(r) => {
                if self.unit().code.kind != CodeKind::Function {
                    return err(r.range, "'return' outside function");
                }
                match &r.value {
                    Some(v) => self.expr(v)?,
                    None => {
                        let c = self.konst(Const::None);
                        self.emit(Op::LoadConst(c));
                    }
                }
                if self.unit().fblocks.iter().any(|b| !matches!(b, FBlock::Loop { .. })) {
                    let tmp = self.new_tmp();
                    self.emit(Op::StoreFast(tmp));
                    let blocks: Vec<FBlock<'a>> = self.unit().fblocks.clone();
                    for b in blocks.iter().rev() {
                        self.unwind_block(b, true)?;
                    }
                    self.set_line(r.range);
                    self.emit(Op::LoadFast(tmp));
                }
                self.emit(Op::Return);
            }
            Stmt::FunctionDef(f) => {
                self.function_def(f)?;
            }
            Stmt::ClassDef(c) => self.class_def(c)?,
            Stmt::Raise(r) => {
                let mut n = 0;
                if let Some(e) = &r.exc {
                    self.expr(e)?;
                    n += 1;
                    if let Some(c) = &r.cause {
                        self.expr(c)?;
                        n += 1;
                    }
                }
                self.emit(Op::Raise(n));
            }
            Stmt::Try(t) => self.try_stmt(t)?,
            Stmt::With(w) => self.with_stmt(w, 0)?,
            Stmt::Assert(a) => {
                self.cond_jump_true(&a.test)?;
                let j = self.unit().code.ops.len() - 1;
                if let Some(m) = &a.msg {
                    self.expr(m)?;
                }
                self.emit(Op::AssertFail(a.msg.is_some()));
                let t = self.here();
                self.patch(j, t);
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.delete(t)?;
                }
            }
            Stmt::Import(i) => {
                for a in &i.names {
                    let full = a.name.id.to_string();
                    let fi = self.name(&full);
                    self.emit(Op::ImportName(fi));
                    match &a.asname {
                        Some(alias) => self.store_name(&alias.id),
                        None => {
                            let top = full.split('.').next().unwrap_or("").to_string();
                            if top != full {
                                self.emit(Op::Pop);
                                let ti = self.name(&top);
                                self.emit(Op::ImportName(ti));
                            }
                            self.store_name(&top);
                        }
                    }
                }
            }
            Stmt::ImportFrom(i) => {
                let module = i.module.as_ref().map(|m| m.id.to_string()).unwrap_or_default();
                let n = self.name(&module);
                self.emit(Op::ImportName(n));
                for a in &i.names {
                    if a.name.id.as_str() == "*" {
                        self.emit(Op::ImportStar);
                        return Ok(());
                    }
                    let an = self.name(&a.name.id);
                    self.emit(Op::ImportFrom(an));
                    let bind = a.asname.as_ref().unwrap_or(&a.name).id.to_string();
                    self.store_name(&bind);
                }
                self.emit(Op::Pop);
            }
            Stmt::Global(_) | Stmt::Nonlocal(_) => {}
            other => return err(other.range(), "this statement is not supported by the simulator"),
        }
        Ok(())
    }

    fn unwind_to_loop(&mut self, range: TextRange, is_continue: bool) -> CResult {
        let blocks: Vec<FBlock<'a>> = self.unit().fblocks.clone();
        let Some(li) = blocks.iter().rposition(|b| matches!(b, FBlock::Loop { .. })) else {
            let what = if is_continue {
                "'continue' not properly in loop"
            } else {
                "'break' outside loop"
            };
            return err(range, what);
        };
        for b in blocks[li + 1..].iter().rev() {
            self.unwind_block(b, false)?;
        }
        self.set_line(range);
        match &blocks[li] {
            FBlock::Loop {
                continue_to, is_for, ..
            } => {
                if is_continue {
                    self.emit(Op::Jump(*continue_to));
                } else {
                    if *is_for {
                        self.emit(Op::Pop);
                    }
                    let j = self.emit(Op::Jump(0));
                    self.unit().breaks.push(j);
                }
            }
            _ => unreachable!(),
        }
        Ok(())
    }

    /// Emits what leaving block `b` early takes. The fblock stack is temporarily
    /// shortened while an inlined `finally` body compiles.
    fn unwind_block(&mut self, b: &FBlock<'a>, _returning: bool) -> CResult {
        match b {
            FBlock::Loop { is_for, .. } => {
                if *is_for {
                    self.emit(Op::Pop);
                }
            }
            FBlock::TryExcept => {
                self.emit(Op::PopBlock);
            }
            FBlock::TryFinally(body) => {
                self.emit(Op::PopBlock);
                // Compile the finally body with the blocks outside this one.
                let pos = self
                    .unit()
                    .fblocks
                    .iter()
                    .rposition(|x| matches!(x, FBlock::TryFinally(bb) if std::ptr::eq(*bb, *body)));
                let saved = match pos {
                    Some(p) => self.unit().fblocks.split_off(p),
                    None => Vec::new(),
                };
                let line = self.unit().line;
                self.stmts(body)?;
                self.unit().line = line;
                self.unit().fblocks.extend(saved);
            }
            FBlock::FinallyExc => {
                // The pending exception sits on the stack; drop it (the new jump wins).
                self.emit(Op::PopExcept);
                self.emit(Op::Pop);
            }
            FBlock::Handler(name) => {
                self.emit(Op::PopExcept);
                if let Some(n) = name {
                    let c = self.konst(Const::None);
                    self.emit(Op::LoadConst(c));
                    self.store_name(&n.clone());
                }
            }
            FBlock::With => {
                self.emit(Op::PopBlock);
                let c = self.konst(Const::None);
                self.emit(Op::LoadConst(c));
                self.emit(Op::Dup);
                self.emit(Op::Dup);
                self.emit(Op::Call(3));
                self.emit(Op::Pop);
            }
        }
        Ok(())
    }

    fn try_stmt(&mut self, t: &'a ast::StmtTry) -> CResult {
        if t.is_star {
            return err(t.range, "'except*' is not supported by the simulator");
        }
        if !t.finalbody.is_empty() {
            // try: <inner> finally: <final>
            let setup = self.emit(Op::SetupExcept(0));
            self.unit().fblocks.push(FBlock::TryFinally(&t.finalbody));
            self.try_except_part(t)?;
            self.unit().fblocks.pop();
            self.emit(Op::PopBlock);
            self.stmts(&t.finalbody)?;
            let jend = self.emit(Op::Jump(0));
            // Exception path: [exc] on the stack, handler block pushed by the VM.
            let h = self.here();
            self.patch(setup, h);
            self.unit().fblocks.push(FBlock::FinallyExc);
            self.stmts(&t.finalbody)?;
            self.unit().fblocks.pop();
            self.emit(Op::Reraise);
            let end = self.here();
            self.patch(jend, end);
            Ok(())
        } else {
            self.try_except_part(t)
        }
    }

    /// try/except/else without the finally part.
    fn try_except_part(&mut self, t: &'a ast::StmtTry) -> CResult {
        if t.handlers.is_empty() {
            return self.stmts(&t.body);
        }
        let setup = self.emit(Op::SetupExcept(0));
        self.unit().fblocks.push(FBlock::TryExcept);
        self.stmts(&t.body)?;
        self.unit().fblocks.pop();
        self.emit(Op::PopBlock);
        self.stmts(&t.orelse)?;
        let mut ends = vec![self.emit(Op::Jump(0))];
        let h = self.here();
        self.patch(setup, h);
        // Stack: [exc]. The VM pushed a handler block recording the exception being handled.
        for handler in &t.handlers {
            let ast::ExceptHandler::ExceptHandler(hd) = handler;
            self.set_line(hd.range);
            let mut next = None;
            if let Some(ty) = &hd.type_ {
                self.emit(Op::Dup);
                self.expr(ty)?;
                self.emit(Op::CheckExcMatch);
                next = Some(self.emit(Op::PopJumpIfFalse(0)));
            }
            let name = hd.name.as_ref().map(|n| n.id.to_string());
            match &name {
                Some(n) => self.store_name(n),
                None => {
                    self.emit(Op::Pop);
                }
            }
            self.unit().fblocks.push(FBlock::Handler(name.clone()));
            self.stmts(&hd.body)?;
            self.unit().fblocks.pop();
            self.emit(Op::PopExcept);
            if let Some(n) = &name {
                let c = self.konst(Const::None);
                self.emit(Op::LoadConst(c));
                self.store_name(n);
            }
            ends.push(self.emit(Op::Jump(0)));
            if let Some(j) = next {
                let here = self.here();
                self.patch(j, here);
            }
        }
        // No handler matched: re-raise (Reraise pops the handler block too).
        self.emit(Op::Reraise);
        let end = self.here();
        for e in ends {
            self.patch(e, end);
        }
        Ok(())
    }

    fn with_stmt(&mut self, w: &'a ast::StmtWith, item: usize) -> CResult {
        if w.is_async {
            return err(w.range, "'async with' is not supported by the simulator");
        }
        if item >= w.items.len() {
            return self.stmts(&w.body);
        }
        let it = &w.items[item];
        self.set_line(it.range);
        self.expr(&it.context_expr)?;
        self.emit(Op::WithEnter);
        // Stack: [exit, enter_result]; bind the result, then guard the body.
        match &it.optional_vars {
            Some(t) => self.assign(t)?,
            None => {
                self.emit(Op::Pop);
            }
        }
        let setup = self.emit(Op::SetupExcept(0));
        self.unit().fblocks.push(FBlock::With);
        self.with_stmt(w, item + 1)?;
        self.unit().fblocks.pop();
        self.set_line(it.range);
        self.emit(Op::PopBlock);
        let c = self.konst(Const::None);
        self.emit(Op::LoadConst(c));
        self.emit(Op::Dup);
        self.emit(Op::Dup);
        self.emit(Op::Call(3));
        self.emit(Op::Pop);
        let jend = self.emit(Op::Jump(0));
        let h = self.here();
        self.patch(setup, h);
        // Stack: [exit, exc]
        self.emit(Op::WithExcept);
        // Stack: [exit, exc, result]
        let j = self.emit(Op::PopJumpIfTrue(0));
        self.emit(Op::Reraise);
        let swallow = self.here();
        self.patch(j, swallow);
        self.emit(Op::PopExcept);
        self.emit(Op::Pop);
        self.emit(Op::Pop);
        let end = self.here();
        self.patch(jend, end);
        Ok(())
    }

    fn function_def(&mut self, f: &'a ast::StmtFunctionDef) -> CResult {
        if f.is_async {
            return err(f.range, "'async def' is not supported by the simulator");
        }
        for d in &f.decorator_list {
            self.expr(&d.expression)?;
        }
        let scope = self.child_scope(f.range);
        let qual = self.qualname(&f.name.id);
        let line = self.index.line(f.range.start().to_u32());
        self.make_function(
            &f.name.id,
            &qual,
            Some(&f.parameters),
            scope,
            line,
            FnBodyRef::Stmts(&f.body),
        )?;
        for _ in &f.decorator_list {
            self.emit(Op::Call(1));
        }
        self.store_name(&f.name.id);
        Ok(())
    }

    fn qualname(&mut self, name: &str) -> String {
        let u = self.units.last().expect("unit");
        match u.code.kind {
            CodeKind::Module => name.to_string(),
            CodeKind::Class => format!("{}.{}", u.code.qualname, name),
            CodeKind::Function => format!("{}.<locals>.{}", u.code.qualname, name),
        }
    }

    fn child_scope(&mut self, range: TextRange) -> Scope {
        self.unit()
            .scope
            .children
            .get(&range.start().to_u32())
            .cloned()
            .unwrap_or_default()
    }

    fn make_function(
        &mut self,
        name: &str,
        qualname: &str,
        params: Option<&'a ast::Parameters>,
        scope: Scope,
        line: u32,
        body: FnBodyRef<'a>,
    ) -> CResult {
        // Defaults are evaluated in the enclosing scope.
        let mut ndef = 0;
        let mut nkw = 0;
        if let Some(p) = params {
            for a in p.posonlyargs.iter().chain(p.args.iter()) {
                if let Some(d) = &a.default {
                    self.expr(d)?;
                    ndef += 1;
                }
            }
            for a in p.kwonlyargs.iter() {
                if let Some(d) = &a.default {
                    let c = self.konst(Const::Str(Rc::new(a.parameter.name.id.to_string())));
                    self.emit(Op::LoadConst(c));
                    self.expr(d)?;
                    nkw += 1;
                }
            }
        }
        let frees: Vec<String> = scope.frees.iter().cloned().collect();
        self.push_unit(CodeKind::Function, name, qualname, scope, line);
        if let Some(p) = params {
            let u = self.unit();
            u.code.argcount = (p.posonlyargs.len() + p.args.len()) as u32;
            u.code.kwonlyargcount = p.kwonlyargs.len() as u32;
            u.code.varargs = p.vararg.is_some();
            u.code.varkw = p.kwarg.is_some();
            // Parameters order in varnames: positional, *args, kwonly, **kw (as the binder put them).
        }
        match body {
            FnBodyRef::Stmts(b) => {
                self.stmts(b)?;
                let c = self.konst(Const::None);
                self.emit(Op::LoadConst(c));
                self.emit(Op::Return);
            }
            FnBodyRef::Expr(e) => {
                self.expr(e)?;
                self.emit(Op::Return);
            }
            FnBodyRef::Comp(kind, elts, gens) => {
                self.unit().code.argcount = 1;
                self.comprehension_body(kind, &elts, gens)?;
            }
        }
        let id = self.pop_unit();
        // Closure cells, resolved in the enclosing scope.
        for f in &frees {
            let u = self.units.last().expect("unit");
            if let Some(ci) = u.code.cellvars.iter().position(|x| **x == *f) {
                let c = self.konst(Const::Int(ci as i64));
                self.emit(Op::LoadConst(c));
            } else if let Some(fi) = u.code.freevars.iter().position(|x| **x == *f) {
                let idx = u.code.cellvars.len() + fi;
                let c = self.konst(Const::Int(idx as i64));
                self.emit(Op::LoadConst(c));
            } else {
                // Resolves to a global at run time: the child's free list is pruned below.
                let c = self.konst(Const::Int(-1));
                self.emit(Op::LoadConst(c));
            }
        }
        self.unit().code.children.push(id);
        let child_index = (self.unit().code.children.len() - 1) as u32;
        self.emit(Op::MakeFunction {
            code: child_index,
            defaults: ndef,
            kwdefaults: nkw,
            closure: frees.len() as u32,
        });
        Ok(())
    }

    fn class_def(&mut self, c: &'a ast::StmtClassDef) -> CResult {
        for d in &c.decorator_list {
            self.expr(&d.expression)?;
        }
        let scope = self.child_scope(c.range);
        let qual = self.qualname(&c.name.id);
        let line = self.index.line(c.range.start().to_u32());
        // The body is compiled as a function taking no arguments that returns its namespace.
        let frees: Vec<String> = scope.frees.iter().cloned().collect();
        self.push_unit(CodeKind::Class, &c.name.id, &qual, scope, line);
        let mn = self.name("__module__");
        let nm = self.name("__name__");
        self.emit(Op::LoadGlobal(nm));
        self.emit(Op::StoreName(mn));
        let qn = self.name("__qualname__");
        let qc = self.konst(Const::Str(Rc::new(qual.clone())));
        self.emit(Op::LoadConst(qc));
        self.emit(Op::StoreName(qn));
        self.stmts(&c.body)?;
        self.emit(Op::LoadLocals);
        self.emit(Op::Return);
        let id = self.pop_unit();
        for f in &frees {
            let u = self.units.last().expect("unit");
            let idx = if let Some(ci) = u.code.cellvars.iter().position(|x| **x == *f) {
                ci as i64
            } else if let Some(fi) = u.code.freevars.iter().position(|x| **x == *f) {
                (u.code.cellvars.len() + fi) as i64
            } else {
                -1
            };
            let k = self.konst(Const::Int(idx));
            self.emit(Op::LoadConst(k));
        }
        self.unit().code.children.push(id);
        let child_index = (self.unit().code.children.len() - 1) as u32;
        self.emit(Op::MakeFunction {
            code: child_index,
            defaults: 0,
            kwdefaults: 0,
            closure: frees.len() as u32,
        });
        let n = self.konst(Const::Str(Rc::new(c.name.id.to_string())));
        self.emit(Op::LoadConst(n));
        let mut nb = 0;
        if let Some(a) = &c.arguments {
            if let Some(k) = a.keywords.first() {
                return err(
                    k.range,
                    "class keyword arguments (metaclass=...) are not supported by the simulator",
                );
            }
            for b in a.args.iter() {
                self.expr(b)?;
                nb += 1;
            }
        }
        self.emit(Op::BuildClass(nb));
        for _ in &c.decorator_list {
            self.emit(Op::Call(1));
        }
        self.store_name(&c.name.id);
        Ok(())
    }

    fn comprehension_body(&mut self, kind: CompKind, elts: &[&'a Expr], gens: &'a [ast::Comprehension]) -> CResult {
        match kind {
            CompKind::List => {
                self.emit(Op::BuildList(0));
            }
            CompKind::Set => {
                self.emit(Op::BuildSet(0));
            }
            CompKind::Dict => {
                self.emit(Op::BuildDict(0));
            }
        }
        let mut loops = Vec::new();
        for (i, g) in gens.iter().enumerate() {
            if g.is_async {
                return err(g.range, "async comprehensions are not supported by the simulator");
            }
            if i == 0 {
                self.emit(Op::LoadFast(0));
            } else {
                self.expr(&g.iter)?;
                self.emit(Op::GetIter);
            }
            let top = self.here();
            let fi = self.emit(Op::ForIter(0));
            self.assign(&g.target)?;
            for cond in &g.ifs {
                self.expr(cond)?;
                self.emit(Op::PopJumpIfFalse(top));
            }
            loops.push((top, fi));
        }
        let depth = gens.len() as u32 + 1;
        match kind {
            CompKind::List => {
                self.expr(elts[0])?;
                self.emit(Op::ListAppend(depth));
            }
            CompKind::Set => {
                self.expr(elts[0])?;
                self.emit(Op::SetAdd(depth));
            }
            CompKind::Dict => {
                self.expr(elts[0])?;
                self.expr(elts[1])?;
                self.emit(Op::MapAdd(depth));
            }
        }
        for (top, fi) in loops.into_iter().rev() {
            self.emit(Op::Jump(top));
            let after = self.here();
            self.patch(fi, after);
        }
        self.emit(Op::Return);
        Ok(())
    }

    fn comprehension(
        &mut self,
        range: TextRange,
        kind: CompKind,
        elts: Vec<&'a Expr>,
        gens: &'a [ast::Comprehension],
    ) -> CResult {
        let scope = self.child_scope(range);
        let name = match kind {
            CompKind::List => "<listcomp>",
            CompKind::Set => "<setcomp>",
            CompKind::Dict => "<dictcomp>",
        };
        let qual = self.qualname(name);
        let line = self.index.line(range.start().to_u32());
        self.make_function(name, &qual, None, scope, line, FnBodyRef::Comp(kind, elts, gens))?;
        self.expr(&gens[0].iter)?;
        self.emit(Op::GetIter);
        self.emit(Op::Call(1));
        Ok(())
    }

    fn aug_assign(&mut self, a: &'a ast::StmtAugAssign) -> CResult {
        let op = binop(a.op);
        match &*a.target {
            Expr::Name(n) => {
                self.load_name(&n.id);
                self.expr(&a.value)?;
                self.emit(Op::Inplace(op));
                self.store_name(&n.id);
            }
            Expr::Attribute(at) => {
                self.expr(&at.value)?;
                self.emit(Op::Dup);
                let i = self.name(&at.attr.id);
                self.emit(Op::LoadAttr(i));
                self.expr(&a.value)?;
                self.emit(Op::Inplace(op));
                self.emit(Op::Rot2);
                self.emit(Op::StoreAttr(i));
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                // [obj, key] -> [obj, key, obj, key]
                let t_key = self.new_tmp();
                let t_obj = self.new_tmp();
                self.emit(Op::StoreFast(t_key));
                self.emit(Op::StoreFast(t_obj));
                self.emit(Op::LoadFast(t_obj));
                self.emit(Op::LoadFast(t_key));
                self.emit(Op::Subscr);
                self.expr(&a.value)?;
                self.emit(Op::Inplace(op));
                self.emit(Op::LoadFast(t_obj));
                self.emit(Op::LoadFast(t_key));
                self.emit(Op::StoreSubscr);
            }
            other => return err(other.range(), "illegal expression for augmented assignment"),
        }
        Ok(())
    }

    fn assign(&mut self, t: &'a Expr) -> CResult {
        match t {
            Expr::Name(n) => self.store_name(&n.id),
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let i = self.name(&a.attr.id);
                self.emit(Op::StoreAttr(i));
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.emit(Op::StoreSubscr);
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                match elts.iter().position(|e| matches!(e, Expr::Starred(_))) {
                    Some(si) => {
                        self.emit(Op::UnpackEx(si as u32, (elts.len() - si - 1) as u32));
                    }
                    None => {
                        self.emit(Op::UnpackSequence(elts.len() as u32));
                    }
                }
                for e in elts {
                    match e {
                        Expr::Starred(s) => self.assign(&s.value)?,
                        e => self.assign(e)?,
                    }
                }
            }
            other => return err(other.range(), "cannot assign to this expression"),
        }
        Ok(())
    }

    fn delete(&mut self, t: &'a Expr) -> CResult {
        match t {
            Expr::Name(n) => {
                let op = self.name_op(&n.id, NameCtx::Del);
                self.emit(op);
            }
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let i = self.name(&a.attr.id);
                self.emit(Op::DeleteAttr(i));
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.emit(Op::DeleteSubscr);
            }
            Expr::Tuple(t) => {
                for e in &t.elts {
                    self.delete(e)?;
                }
            }
            other => return err(other.range(), "cannot delete this expression"),
        }
        Ok(())
    }

    fn cond_jump_false(&mut self, e: &'a Expr) -> CResult {
        self.expr(e)?;
        self.emit(Op::PopJumpIfFalse(0));
        Ok(())
    }

    fn cond_jump_true(&mut self, e: &'a Expr) -> CResult {
        self.expr(e)?;
        self.emit(Op::PopJumpIfTrue(0));
        Ok(())
    }

    // ----- expressions

    fn expr(&mut self, e: &'a Expr) -> CResult {
        match e {
            Expr::NumberLiteral(n) => {
                let c = match &n.value {
                    ast::Number::Int(i) => match i.as_i64() {
                        Some(v) => Const::Int(v),
                        None => return err(n.range, "integer literal too large for the simulator (limit: 64-bit)"),
                    },
                    ast::Number::Float(f) => Const::Float(*f),
                    ast::Number::Complex { .. } => {
                        return err(n.range, "complex numbers are not supported by the simulator")
                    }
                };
                let k = self.konst(c);
                self.emit(Op::LoadConst(k));
            }
            Expr::StringLiteral(s) => {
                let k = self.konst(Const::Str(Rc::new(s.value.to_str().to_string())));
                self.emit(Op::LoadConst(k));
            }
            Expr::BooleanLiteral(b) => {
                let k = self.konst(Const::Bool(b.value));
                self.emit(Op::LoadConst(k));
            }
            Expr::NoneLiteral(_) => {
                let k = self.konst(Const::None);
                self.emit(Op::LoadConst(k));
            }
            Expr::EllipsisLiteral(_) => {
                let k = self.konst(Const::Ellipsis);
                self.emit(Op::LoadConst(k));
            }
            Expr::Name(n) => self.load_name(&n.id),
            Expr::FString(f) => {
                let mut n = 0;
                for part in f.value.iter() {
                    match part {
                        ast::FStringPart::Literal(l) => {
                            let k = self.konst(Const::Str(Rc::new(l.value.to_string())));
                            self.emit(Op::LoadConst(k));
                            n += 1;
                        }
                        ast::FStringPart::FString(fs) => {
                            n += self.fstring_elements(&fs.elements)?;
                        }
                    }
                }
                if n != 1 {
                    self.emit(Op::BuildString(n));
                }
            }
            Expr::BinOp(b) => {
                self.expr(&b.left)?;
                self.expr(&b.right)?;
                self.emit(Op::Binary(binop(b.op)));
            }
            Expr::UnaryOp(u) => {
                self.expr(&u.operand)?;
                self.emit(Op::Unary(match u.op {
                    ast::UnaryOp::Invert => UnOp::Invert,
                    ast::UnaryOp::Not => UnOp::Not,
                    ast::UnaryOp::UAdd => UnOp::Pos,
                    ast::UnaryOp::USub => UnOp::Neg,
                }));
            }
            Expr::BoolOp(b) => {
                let mut jumps = Vec::new();
                for (i, v) in b.values.iter().enumerate() {
                    self.expr(v)?;
                    if i + 1 < b.values.len() {
                        jumps.push(self.emit(match b.op {
                            ast::BoolOp::And => Op::JumpIfFalseOrPop(0),
                            ast::BoolOp::Or => Op::JumpIfTrueOrPop(0),
                        }));
                    }
                }
                let end = self.here();
                for j in jumps {
                    self.patch(j, end);
                }
            }
            Expr::Compare(c) => {
                self.expr(&c.left)?;
                let n = c.ops.len();
                if n == 1 {
                    self.expr(&c.comparators[0])?;
                    self.emit(Op::Compare(cmpop(c.ops[0])));
                } else {
                    // a < b < c: short-circuit chain.
                    let mut fails = Vec::new();
                    for (i, (op, rhs)) in c.ops.iter().zip(c.comparators.iter()).enumerate() {
                        self.expr(rhs)?;
                        if i + 1 < n {
                            self.emit(Op::Dup);
                            self.emit(Op::Rot3);
                            self.emit(Op::Compare(cmpop(*op)));
                            fails.push(self.emit(Op::JumpIfFalseOrPop(0)));
                        } else {
                            self.emit(Op::Compare(cmpop(*op)));
                        }
                    }
                    let jend = self.emit(Op::Jump(0));
                    let cleanup = self.here();
                    for f in fails {
                        self.patch(f, cleanup);
                    }
                    // [rhs, False] -> [False]
                    self.emit(Op::Rot2);
                    self.emit(Op::Pop);
                    let end = self.here();
                    self.patch(jend, end);
                }
            }
            Expr::If(i) => {
                self.cond_jump_false(&i.test)?;
                let j = self.unit().code.ops.len() - 1;
                self.expr(&i.body)?;
                let jend = self.emit(Op::Jump(0));
                let t = self.here();
                self.patch(j, t);
                self.expr(&i.orelse)?;
                let end = self.here();
                self.patch(jend, end);
            }
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let i = self.name(&a.attr.id);
                self.emit(Op::LoadAttr(i));
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.emit(Op::Subscr);
            }
            Expr::Slice(s) => {
                for part in [&s.lower, &s.upper] {
                    match part {
                        Some(x) => self.expr(x)?,
                        None => {
                            let k = self.konst(Const::None);
                            self.emit(Op::LoadConst(k));
                        }
                    }
                }
                match &s.step {
                    Some(x) => {
                        self.expr(x)?;
                        self.emit(Op::BuildSlice(3));
                    }
                    None => {
                        self.emit(Op::BuildSlice(2));
                    }
                }
            }
            Expr::List(l) => self.sequence(&l.elts, Seq::List)?,
            Expr::Tuple(t) => self.sequence(&t.elts, Seq::Tuple)?,
            Expr::Set(s) => self.sequence(&s.elts, Seq::Set)?,
            Expr::Dict(d) => {
                if d.items.iter().any(|i| i.key.is_none()) {
                    self.emit(Op::BuildDict(0));
                    for it in &d.items {
                        match &it.key {
                            Some(k) => {
                                self.expr(k)?;
                                self.expr(&it.value)?;
                                self.emit(Op::BuildDict(1));
                            }
                            None => self.expr(&it.value)?,
                        }
                        self.emit(Op::DictMerge);
                    }
                } else {
                    for it in &d.items {
                        if let Some(k) = &it.key {
                            self.expr(k)?;
                        }
                        self.expr(&it.value)?;
                    }
                    self.emit(Op::BuildDict(d.items.len() as u32));
                }
            }
            Expr::Call(c) => self.call(c)?,
            Expr::Lambda(l) => {
                let scope = self.child_scope(l.range);
                let qual = self.qualname("<lambda>");
                let line = self.index.line(l.range.start().to_u32());
                self.make_function(
                    "<lambda>",
                    &qual,
                    l.parameters.as_deref(),
                    scope,
                    line,
                    FnBodyRef::Expr(&l.body),
                )?;
            }
            Expr::ListComp(c) => self.comprehension(c.range, CompKind::List, vec![&c.elt], &c.generators)?,
            Expr::Generator(c) => self.comprehension(c.range, CompKind::List, vec![&c.elt], &c.generators)?,
            Expr::SetComp(c) => self.comprehension(c.range, CompKind::Set, vec![&c.elt], &c.generators)?,
            Expr::DictComp(c) => self.comprehension(c.range, CompKind::Dict, vec![&c.key, &c.value], &c.generators)?,
            Expr::Named(n) => {
                self.expr(&n.value)?;
                self.emit(Op::Dup);
                self.assign(&n.target)?;
            }
            Expr::Starred(s) => return err(s.range, "can't use starred expression here"),
            other => return err(other.range(), "this expression is not supported by the simulator"),
        }
        Ok(())
    }

    fn fstring_elements(&mut self, els: &'a ast::InterpolatedStringElements) -> Result<u32, CompileError> {
        let mut n = 0;
        for el in els.iter() {
            match el {
                ast::InterpolatedStringElement::Literal(l) => {
                    let k = self.konst(Const::Str(Rc::new(l.value.to_string())));
                    self.emit(Op::LoadConst(k));
                    n += 1;
                }
                ast::InterpolatedStringElement::Interpolation(i) => {
                    let mut conversion = match i.conversion {
                        ast::ConversionFlag::None => 0,
                        ast::ConversionFlag::Str => 1,
                        ast::ConversionFlag::Repr => 2,
                        ast::ConversionFlag::Ascii => 3,
                    };
                    if let Some(dt) = &i.debug_text {
                        // f"{x=}": the text, then repr unless a spec or conversion is given.
                        let src = self.index.slice(i.expression.range());
                        let text = format!("{}{}{}", dt.leading, src, dt.trailing);
                        let k = self.konst(Const::Str(Rc::new(text)));
                        self.emit(Op::LoadConst(k));
                        n += 1;
                        if conversion == 0 && i.format_spec.is_none() {
                            conversion = 2;
                        }
                    }
                    let has_spec = i.format_spec.is_some();
                    if let Some(spec) = &i.format_spec {
                        let m = self.fstring_elements(&spec.elements)?;
                        if m != 1 {
                            self.emit(Op::BuildString(m));
                        }
                    }
                    self.expr(&i.expression)?;
                    self.emit(Op::FormatValue { conversion, has_spec });
                    n += 1;
                }
            }
        }
        if n == 0 {
            let k = self.konst(Const::Str(Rc::new(String::new())));
            self.emit(Op::LoadConst(k));
            n = 1;
        }
        Ok(n)
    }

    fn sequence(&mut self, elts: &'a [Expr], kind: Seq) -> CResult {
        if elts.iter().any(|e| matches!(e, Expr::Starred(_))) {
            self.emit(Op::BuildList(0));
            for e in elts {
                match e {
                    Expr::Starred(s) => {
                        self.expr(&s.value)?;
                        self.emit(Op::ListExtend);
                    }
                    e => {
                        self.expr(e)?;
                        self.emit(Op::ListAppend(1));
                    }
                }
            }
            match kind {
                Seq::List => {}
                Seq::Tuple => {
                    let b = self.name("tuple");
                    self.emit(Op::LoadGlobal(b));
                    self.emit(Op::Rot2);
                    self.emit(Op::Call(1));
                }
                Seq::Set => {
                    let b = self.name("set");
                    self.emit(Op::LoadGlobal(b));
                    self.emit(Op::Rot2);
                    self.emit(Op::Call(1));
                }
            }
            return Ok(());
        }
        if kind == Seq::Tuple && elts.iter().all(is_const) {
            let items = elts.iter().map(const_of).collect();
            let k = self.konst(Const::Tuple(items));
            self.emit(Op::LoadConst(k));
            return Ok(());
        }
        for e in elts {
            self.expr(e)?;
        }
        let n = elts.len() as u32;
        self.emit(match kind {
            Seq::List => Op::BuildList(n),
            Seq::Tuple => Op::BuildTuple(n),
            Seq::Set => Op::BuildSet(n),
        });
        Ok(())
    }

    fn call(&mut self, c: &'a ast::ExprCall) -> CResult {
        let args = &c.arguments;
        let has_star =
            args.args.iter().any(|a| matches!(a, Expr::Starred(_))) || args.keywords.iter().any(|k| k.arg.is_none());
        if has_star {
            self.expr(&c.func)?;
            self.emit(Op::BuildList(0));
            for a in args.args.iter() {
                match a {
                    Expr::Starred(s) => {
                        self.expr(&s.value)?;
                        self.emit(Op::ListExtend);
                    }
                    a => {
                        self.expr(a)?;
                        self.emit(Op::ListAppend(1));
                    }
                }
            }
            let has_kw = !args.keywords.is_empty();
            if has_kw {
                self.emit(Op::BuildDict(0));
                for k in args.keywords.iter() {
                    match &k.arg {
                        Some(name) => {
                            let kc = self.konst(Const::Str(Rc::new(name.id.to_string())));
                            self.emit(Op::LoadConst(kc));
                            self.expr(&k.value)?;
                            self.emit(Op::BuildDict(1));
                        }
                        None => self.expr(&k.value)?,
                    }
                    self.emit(Op::DictMerge);
                }
            }
            self.set_line(c.range);
            self.emit(Op::CallEx { has_kw });
            return Ok(());
        }
        let method = match &*c.func {
            Expr::Attribute(a) if args.keywords.is_empty() => Some(a),
            _ => None,
        };
        if let Some(a) = method {
            self.expr(&a.value)?;
            let i = self.name(&a.attr.id);
            self.emit(Op::LoadMethod(i));
            for x in args.args.iter() {
                self.expr(x)?;
            }
            self.set_line(c.range);
            self.emit(Op::CallMethod(args.args.len() as u32));
            return Ok(());
        }
        self.expr(&c.func)?;
        for x in args.args.iter() {
            self.expr(x)?;
        }
        if args.keywords.is_empty() {
            self.set_line(c.range);
            self.emit(Op::Call(args.args.len() as u32));
        } else {
            let mut names = Vec::new();
            for k in args.keywords.iter() {
                self.expr(&k.value)?;
                names.push(Const::Str(Rc::new(
                    k.arg.as_ref().map(|a| a.id.to_string()).unwrap_or_default(),
                )));
            }
            let nk = self.konst(Const::Tuple(names));
            self.set_line(c.range);
            self.emit(Op::CallKw {
                argc: (args.args.len() + args.keywords.len()) as u32,
                names: nk,
            });
        }
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum NameCtx {
    Load,
    Store,
    Del,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Seq {
    List,
    Tuple,
    Set,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CompKind {
    List,
    Set,
    Dict,
}

enum FnBodyRef<'a> {
    Stmts(&'a [Stmt]),
    Expr(&'a Expr),
    Comp(CompKind, Vec<&'a Expr>, &'a [ast::Comprehension]),
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

fn is_const(e: &Expr) -> bool {
    match e {
        Expr::NumberLiteral(n) => match &n.value {
            ast::Number::Int(i) => i.as_i64().is_some(),
            ast::Number::Float(_) => true,
            _ => false,
        },
        Expr::StringLiteral(_) | Expr::BooleanLiteral(_) | Expr::NoneLiteral(_) => true,
        Expr::Tuple(t) => t.elts.iter().all(is_const),
        _ => false,
    }
}

fn const_of(e: &Expr) -> Const {
    match e {
        Expr::NumberLiteral(n) => match &n.value {
            ast::Number::Int(i) => Const::Int(i.as_i64().unwrap_or(0)),
            ast::Number::Float(f) => Const::Float(*f),
            _ => Const::None,
        },
        Expr::StringLiteral(s) => Const::Str(Rc::new(s.value.to_str().to_string())),
        Expr::BooleanLiteral(b) => Const::Bool(b.value),
        Expr::Tuple(t) => Const::Tuple(t.elts.iter().map(const_of).collect()),
        _ => Const::None,
    }
}

fn binop(op: ast::Operator) -> BinOp {
    match op {
        ast::Operator::Add => BinOp::Add,
        ast::Operator::Sub => BinOp::Sub,
        ast::Operator::Mult => BinOp::Mul,
        ast::Operator::MatMult => BinOp::MatMul,
        ast::Operator::Div => BinOp::Div,
        ast::Operator::Mod => BinOp::Mod,
        ast::Operator::Pow => BinOp::Pow,
        ast::Operator::LShift => BinOp::LShift,
        ast::Operator::RShift => BinOp::RShift,
        ast::Operator::BitOr => BinOp::BitOr,
        ast::Operator::BitXor => BinOp::BitXor,
        ast::Operator::BitAnd => BinOp::BitAnd,
        ast::Operator::FloorDiv => BinOp::FloorDiv,
    }
}

fn cmpop(op: ast::CmpOp) -> CmpOp {
    match op {
        ast::CmpOp::Eq => CmpOp::Eq,
        ast::CmpOp::NotEq => CmpOp::Ne,
        ast::CmpOp::Lt => CmpOp::Lt,
        ast::CmpOp::LtE => CmpOp::Le,
        ast::CmpOp::Gt => CmpOp::Gt,
        ast::CmpOp::GtE => CmpOp::Ge,
        ast::CmpOp::Is => CmpOp::Is,
        ast::CmpOp::IsNot => CmpOp::IsNot,
        ast::CmpOp::In => CmpOp::In,
        ast::CmpOp::NotIn => CmpOp::NotIn,
    }
}
