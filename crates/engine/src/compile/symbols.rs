//! Symbol tables: a pass over each scope before code generation that finds
//! its locals, the locals inner scopes capture (cells) and the names it takes
//! from enclosing functions (free variables), as CPython's `symtable` does.

use std::collections::{BTreeMap, BTreeSet};

use rustpython_ruff_python_ast as ast;
use rustpython_ruff_python_ast::{Expr, Stmt};
use rustpython_ruff_text_size::TextRange;

use crate::syntax::walk::{walk_expr_children, walk_stmt_children, walk_target, StmtPart, TargetPart};

/// The names of one scope (module, function, class body, lambda or comprehension).
#[derive(Clone, Debug, Default)]
pub(super) struct Scope {
    kind_function: bool,
    pub(super) params: Vec<String>,
    /// Names bound in this scope (function locals).
    pub(super) locals: BTreeSet<String>,
    pub(super) globals: BTreeSet<String>,
    nonlocals: BTreeSet<String>,
    /// Locals captured by inner scopes.
    pub(super) cells: BTreeSet<String>,
    /// Names this scope takes from enclosing functions.
    pub(super) frees: BTreeSet<String>,
    /// Child scopes by the start offset of their defining node.
    pub(super) children: BTreeMap<u32, Scope>,
}

/// The scope of a module's body, with every nested scope resolved.
pub(super) fn symtable_module(body: &[Stmt]) -> Scope {
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
        walk_target(e, &mut |part| match part {
            TargetPart::Binds(name) => self.bind(name),
            TargetPart::Reads(x) => self.expr(x),
        });
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
            Stmt::AugAssign(a) => {
                self.children(s);
                if let Expr::Name(n) = &*a.target {
                    self.used.insert(n.id.to_string());
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
            _ => self.children(s),
        }
    }

    fn children(&mut self, s: &Stmt) {
        walk_stmt_children(s, &mut |part| match part {
            StmtPart::Reads(e) => self.expr(e),
            StmtPart::Assigns(t) => self.target(t),
            StmtPart::Binds(name) => self.bind(name),
            StmtPart::Runs(s) => self.stmt(s),
        });
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
