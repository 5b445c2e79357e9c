//! Check: reports every construct outside the subset the simulator runs, each
//! with its span and a plain message, all at once (never just the first).
//!
//! Entry point: [`check`].

use rustpython_ruff_python_ast as ast;
use rustpython_ruff_python_ast::{Expr, Stmt};
use rustpython_ruff_text_size::TextRange;

use super::parse::LineIndex;
use super::walk::walk_expr_children;
use crate::trace::{Diagnostic, DiagnosticKind};

/// Modules a script may import (and their submodules).
pub const MODULES: &[&str] = &[
    "threading",
    "time",
    "random",
    "sys",
    "atexit",
    "logging",
    "queue",
    "concurrent",
    "concurrent.futures",
    "concurrent.futures.process",
    "os",
    "math",
    "signal",
    "multiprocessing",
    "multiprocessing.pool",
];

/// How the checker and a run word a part of the standard library that the
/// simulator lacks (`what`: `signal.pause`, `multiprocessing.shared_memory`).
pub fn unsupported_message(what: &str) -> String {
    format!("`{what}` is not supported by the simulator (yet)")
}

/// Every unsupported construct of `module`, in source order.
pub fn check(module: &ast::ModModule, index: &LineIndex) -> Vec<Diagnostic> {
    let mut c = Checker { index, out: Vec::new() };
    for s in &module.body {
        c.stmt(s);
    }
    c.out
}

struct Checker<'a> {
    index: &'a LineIndex,
    out: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn report(&mut self, range: TextRange, msg: impl Into<String>) {
        self.out
            .push(self.index.diagnostic(DiagnosticKind::Unsupported, range, msg.into()));
    }

    fn module_name(&mut self, name: &str, range: TextRange) {
        if !MODULES.contains(&name) {
            let top = name.split('.').next().unwrap_or(name);
            if top == "subprocess" {
                self.report(
                    range,
                    format!("module '{name}' is not supported by the simulator yet (threads only)"),
                );
            } else {
                self.report(
                    range,
                    format!(
                        "module '{name}' is not available in the simulator (supported: {})",
                        MODULES.join(", ")
                    ),
                );
            }
        }
    }

    fn stmts(&mut self, body: &[Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn params(&mut self, p: &ast::Parameters) {
        for a in p.posonlyargs.iter().chain(p.args.iter()).chain(p.kwonlyargs.iter()) {
            if let Some(d) = &a.default {
                self.expr(d);
            }
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::FunctionDef(f) => {
                if f.is_async {
                    self.report(f.range, "`async def` is not supported by the simulator");
                    return;
                }
                if f.type_params.is_some() {
                    self.report(f.range, "type parameters are not supported by the simulator");
                }
                for d in &f.decorator_list {
                    self.expr(&d.expression);
                }
                self.params(&f.parameters);
                self.stmts(&f.body);
            }
            Stmt::ClassDef(c) => {
                if c.type_params.is_some() {
                    self.report(c.range, "type parameters are not supported by the simulator");
                }
                for d in &c.decorator_list {
                    self.expr(&d.expression);
                }
                if let Some(a) = &c.arguments {
                    for k in a.keywords.iter() {
                        self.report(
                            k.range,
                            "class keyword arguments (such as `metaclass=`) are not supported by the simulator",
                        );
                    }
                    for b in a.args.iter() {
                        if let Expr::Starred(st) = b {
                            self.report(st.range, "starred base classes are not supported by the simulator");
                        } else {
                            self.expr(b);
                        }
                    }
                }
                self.stmts(&c.body);
            }
            Stmt::Return(r) => {
                if let Some(v) = &r.value {
                    self.expr(v);
                }
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.target(t);
                }
            }
            Stmt::TypeAlias(t) => self.report(t.range, "`type` aliases are not supported by the simulator"),
            Stmt::Assign(a) => {
                for t in &a.targets {
                    self.target(t);
                }
                self.expr(&a.value);
            }
            Stmt::AugAssign(a) => {
                self.target(&a.target);
                self.expr(&a.value);
            }
            Stmt::AnnAssign(a) => {
                self.target(&a.target);
                if let Some(v) = &a.value {
                    self.expr(v);
                }
            }
            Stmt::For(f) => {
                if f.is_async {
                    self.report(f.range, "`async for` is not supported by the simulator");
                }
                self.target(&f.target);
                self.expr(&f.iter);
                self.stmts(&f.body);
                self.stmts(&f.orelse);
            }
            Stmt::While(w) => {
                self.expr(&w.test);
                self.stmts(&w.body);
                self.stmts(&w.orelse);
            }
            Stmt::If(i) => {
                self.expr(&i.test);
                self.stmts(&i.body);
                for c in &i.elif_else_clauses {
                    if let Some(t) = &c.test {
                        self.expr(t);
                    }
                    self.stmts(&c.body);
                }
            }
            Stmt::With(w) => {
                if w.items.len() > 20 {
                    self.out.push(self.index.diagnostic(
                        DiagnosticKind::Limit,
                        w.range,
                        "too many statically nested blocks".to_string(),
                    ));
                    return;
                }
                if w.is_async {
                    self.report(w.range, "`async with` is not supported by the simulator");
                }
                for it in &w.items {
                    self.expr(&it.context_expr);
                    if let Some(v) = &it.optional_vars {
                        self.target(v);
                    }
                }
                self.stmts(&w.body);
            }
            Stmt::Match(m) => self.report(m.range, "`match` statements are not supported by the simulator"),
            Stmt::Raise(r) => {
                if let Some(e) = &r.exc {
                    self.expr(e);
                }
                if let Some(e) = &r.cause {
                    self.expr(e);
                }
            }
            Stmt::Try(t) => {
                if t.is_star {
                    self.report(t.range, "`except*` is not supported by the simulator");
                }
                self.stmts(&t.body);
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    if let Some(ty) = &h.type_ {
                        self.expr(ty);
                    }
                    self.stmts(&h.body);
                }
                self.stmts(&t.orelse);
                self.stmts(&t.finalbody);
            }
            Stmt::Assert(a) => {
                self.expr(&a.test);
                if let Some(m) = &a.msg {
                    self.expr(m);
                }
            }
            Stmt::Import(i) => {
                for a in &i.names {
                    self.module_name(&a.name.id, a.range);
                }
            }
            Stmt::ImportFrom(i) => {
                if i.level > 0 {
                    self.report(i.range, "relative imports are not supported by the simulator");
                    return;
                }
                let m = i.module.as_ref().map(|m| m.id.to_string()).unwrap_or_default();
                self.module_name(&m, i.range);
                for a in &i.names {
                    if a.name.id.as_str() == "*" {
                        self.report(a.range, "`from ... import *` is not supported by the simulator");
                    }
                }
            }
            Stmt::Global(_) | Stmt::Nonlocal(_) | Stmt::Pass(_) | Stmt::Break(_) | Stmt::Continue(_) => {}
            Stmt::Expr(e) => self.expr(&e.value),
            Stmt::IpyEscapeCommand(e) => self.report(e.range, "IPython escape commands are not Python"),
        }
    }

    fn target(&mut self, e: &Expr) {
        match e {
            Expr::Name(_) => {}
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

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Await(a) => return self.report(a.range, "`await` is not supported by the simulator"),
            Expr::Yield(y) => return self.report(y.range, "generators (`yield`) are not supported by the simulator"),
            Expr::YieldFrom(y) => {
                return self.report(y.range, "generators (`yield from`) are not supported by the simulator")
            }
            Expr::TString(t) => {
                return self.report(
                    t.range,
                    "template strings (t-strings) are not supported by the simulator",
                )
            }
            Expr::BytesLiteral(b) => return self.report(b.range, "bytes literals are not supported by the simulator"),
            Expr::IpyEscapeCommand(i) => return self.report(i.range, "IPython escape commands are not Python"),
            Expr::NumberLiteral(n) => match &n.value {
                ast::Number::Complex { .. } => {
                    return self.report(n.range, "complex numbers are not supported by the simulator")
                }
                ast::Number::Int(i) if i.as_i64().is_none() => {
                    return self.report(n.range, "integers beyond 64 bits are not supported by the simulator")
                }
                _ => {}
            },
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.params(p);
                }
                return self.expr(&l.body);
            }
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::Generator(ast::ExprGenerator { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. }) => {
                for g in generators {
                    if g.is_async {
                        self.report(g.range, "async comprehensions are not supported by the simulator");
                    }
                    self.target(&g.target);
                    self.expr(&g.iter);
                    for i in &g.ifs {
                        self.expr(i);
                    }
                }
                match e {
                    Expr::ListComp(c) => self.expr(&c.elt),
                    Expr::SetComp(c) => self.expr(&c.elt),
                    Expr::Generator(c) => self.expr(&c.elt),
                    Expr::DictComp(c) => {
                        self.expr(&c.key);
                        self.expr(&c.value);
                    }
                    _ => {}
                }
                return;
            }
            Expr::BinOp(b) if b.op == ast::Operator::MatMult => {
                self.report(b.range, "the `@` operator is not supported by the simulator");
            }
            _ => {}
        }
        walk_expr_children(e, &mut |c| self.expr(c));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diags(src: &str) -> Vec<Diagnostic> {
        let (m, idx) = crate::syntax::parse::parse(src).expect("parses");
        check(&m, &idx)
    }

    #[test]
    fn reports_every_unsupported_construct_at_once() {
        let d = diags("async def f():\n    pass\n\ndef g():\n    yield 1\n\nmatch x:\n    case 1:\n        pass\n");
        let msgs: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            vec![
                "`async def` is not supported by the simulator",
                "generators (`yield`) are not supported by the simulator",
                "`match` statements are not supported by the simulator",
            ]
        );
        assert_eq!((d[1].line, d[1].col), (5, 5));
    }

    #[test]
    fn unknown_module_is_named() {
        let d = diags("import numpy\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.starts_with("module 'numpy' is not available"));
    }

    #[test]
    fn supported_script_has_no_diagnostics() {
        let src = "import threading, time\nfrom concurrent.futures import ThreadPoolExecutor\n\nclass W(threading.Thread):\n    def run(self):\n        x = [i * 2 for i in range(3)]\n        print(f\"{x!r:>10}\", sum(v for v in x))\n\nW().start()\n";
        assert!(diags(src).is_empty(), "{:?}", diags(src));
    }
}
