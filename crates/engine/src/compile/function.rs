//! Code objects nested in others: `def`, `class`, `lambda` and
//! comprehensions, each compiled into a code object of its own and made into
//! a function (with defaults and closure cells) where it is defined.

use std::rc::Rc;

use rustpython_ruff_python_ast as ast;
use rustpython_ruff_python_ast::{Expr, Stmt};
use rustpython_ruff_text_size::TextRange;

use super::codegen::{err, CResult, Compiler};
use super::symbols::Scope;
use super::{CodeId, CodeKind, Const, Op};

impl<'a> Compiler<'a> {
    pub(super) fn function_def(&mut self, f: &'a ast::StmtFunctionDef) -> CResult {
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

    pub(super) fn lambda(&mut self, l: &'a ast::ExprLambda) -> CResult {
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
        )
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
        self.make_closure(id, &frees, ndef, nkw);
        Ok(())
    }

    /// Makes a function of the child code `id` just compiled: loads where each
    /// of its free variables lives in the enclosing code (an index into its
    /// cells then free variables; -1 for a name that resolves to a global at
    /// run time), then `MakeFunction`.
    fn make_closure(&mut self, id: CodeId, frees: &[String], defaults: u32, kwdefaults: u32) {
        for f in frees {
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
            defaults,
            kwdefaults,
            closure: frees.len() as u32,
        });
    }

    pub(super) fn class_def(&mut self, c: &'a ast::StmtClassDef) -> CResult {
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
        self.make_closure(id, &frees, 0, 0);
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

    pub(super) fn comprehension(
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
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum CompKind {
    List,
    Set,
    Dict,
}

enum FnBodyRef<'a> {
    Stmts(&'a [Stmt]),
    Expr(&'a Expr),
    Comp(CompKind, Vec<&'a Expr>, &'a [ast::Comprehension]),
}
