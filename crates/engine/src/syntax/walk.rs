//! The walks over expressions that both the checker and the compiler's
//! symbol tables use: [`walk_expr_children`] visits an expression's direct
//! children, so each only writes the cases it treats differently;
//! [`walk_target`] the parts of an assignment target; [`walk_stmt_children`]
//! the parts of a statement.

use rustpython_ruff_python_ast as ast;
use rustpython_ruff_python_ast::{Expr, Stmt};

/// Calls `f` on each direct child expression of `e` (not into nested scopes' bodies).
pub(crate) fn walk_expr_children<'a>(e: &'a Expr, f: &mut dyn FnMut(&'a Expr)) {
    match e {
        Expr::BoolOp(b) => b.values.iter().for_each(f),
        Expr::Named(n) => {
            f(&n.target);
            f(&n.value);
        }
        Expr::BinOp(b) => {
            f(&b.left);
            f(&b.right);
        }
        Expr::UnaryOp(u) => f(&u.operand),
        Expr::If(i) => {
            f(&i.test);
            f(&i.body);
            f(&i.orelse);
        }
        Expr::Dict(d) => {
            for it in &d.items {
                if let Some(k) = &it.key {
                    f(k);
                }
                f(&it.value);
            }
        }
        Expr::Set(s) => s.elts.iter().for_each(f),
        Expr::Compare(c) => {
            f(&c.left);
            c.comparators.iter().for_each(f);
        }
        Expr::Call(c) => {
            f(&c.func);
            c.arguments.args.iter().for_each(&mut *f);
            c.arguments.keywords.iter().for_each(|k| f(&k.value));
        }
        Expr::FString(s) => {
            for el in s.value.elements() {
                if let ast::InterpolatedStringElement::Interpolation(i) = el {
                    f(&i.expression);
                    if let Some(spec) = &i.format_spec {
                        for el in spec.elements.iter() {
                            if let ast::InterpolatedStringElement::Interpolation(i) = el {
                                f(&i.expression);
                            }
                        }
                    }
                }
            }
        }
        Expr::Attribute(a) => f(&a.value),
        Expr::Subscript(s) => {
            f(&s.value);
            f(&s.slice);
        }
        Expr::Starred(s) => f(&s.value),
        Expr::List(l) => l.elts.iter().for_each(f),
        Expr::Tuple(t) => t.elts.iter().for_each(f),
        Expr::Slice(s) => {
            for x in [&s.lower, &s.upper, &s.step].into_iter().flatten() {
                f(x);
            }
        }
        Expr::Await(a) => f(&a.value),
        Expr::Yield(y) => {
            if let Some(v) = &y.value {
                f(v)
            }
        }
        Expr::YieldFrom(y) => f(&y.value),
        _ => {}
    }
}

/// A part of an assignment target.
pub(crate) enum TargetPart<'a> {
    /// A name the assignment binds.
    Binds(&'a str),
    /// An expression it only reads: an attribute's object, a subscript's
    /// object and index (or a target that is not one, read whole).
    Reads(&'a Expr),
}

/// Calls `f` on each part of assignment target `e`, left to right, through
/// tuples, lists and starred targets.
pub(crate) fn walk_target<'a>(e: &'a Expr, f: &mut dyn FnMut(TargetPart<'a>)) {
    match e {
        Expr::Name(n) => f(TargetPart::Binds(n.id.as_str())),
        Expr::Tuple(t) => t.elts.iter().for_each(|x| walk_target(x, f)),
        Expr::List(t) => t.elts.iter().for_each(|x| walk_target(x, f)),
        Expr::Starred(s) => walk_target(&s.value, f),
        Expr::Attribute(a) => f(TargetPart::Reads(&a.value)),
        Expr::Subscript(s) => {
            f(TargetPart::Reads(&s.value));
            f(TargetPart::Reads(&s.slice));
        }
        other => f(TargetPart::Reads(other)),
    }
}

/// A part of a statement.
pub(crate) enum StmtPart<'a> {
    /// An expression it evaluates.
    Reads(&'a Expr),
    /// An assignment target (or a `del` target).
    Assigns(&'a Expr),
    /// A name it binds: an `except ... as name`.
    Binds(&'a str),
    /// A statement of one of its bodies.
    Runs(&'a Stmt),
}

/// Calls `f` on each part of statement `s`, in source order (a target before
/// the value assigned to it). Definitions, imports, `global`, `nonlocal` and
/// statements with no parts are the caller's: for those it calls nothing.
pub(crate) fn walk_stmt_children<'a>(s: &'a Stmt, f: &mut dyn FnMut(StmtPart<'a>)) {
    use StmtPart::{Assigns, Binds, Reads, Runs};
    let runs = |body: &'a [Stmt], f: &mut dyn FnMut(StmtPart<'a>)| body.iter().for_each(|s| f(Runs(s)));
    match s {
        Stmt::Return(r) => r.value.iter().for_each(|v| f(Reads(v))),
        Stmt::Delete(d) => d.targets.iter().for_each(|t| f(Assigns(t))),
        Stmt::Assign(a) => {
            a.targets.iter().for_each(|t| f(Assigns(t)));
            f(Reads(&a.value));
        }
        Stmt::AugAssign(a) => {
            f(Assigns(&a.target));
            f(Reads(&a.value));
        }
        Stmt::AnnAssign(a) => {
            f(Assigns(&a.target));
            a.value.iter().for_each(|v| f(Reads(v)));
        }
        Stmt::For(x) => {
            f(Assigns(&x.target));
            f(Reads(&x.iter));
            runs(&x.body, f);
            runs(&x.orelse, f);
        }
        Stmt::While(w) => {
            f(Reads(&w.test));
            runs(&w.body, f);
            runs(&w.orelse, f);
        }
        Stmt::If(i) => {
            f(Reads(&i.test));
            runs(&i.body, f);
            for c in &i.elif_else_clauses {
                c.test.iter().for_each(|t| f(Reads(t)));
                runs(&c.body, f);
            }
        }
        Stmt::With(w) => {
            for it in &w.items {
                f(Reads(&it.context_expr));
                it.optional_vars.iter().for_each(|v| f(Assigns(v)));
            }
            runs(&w.body, f);
        }
        Stmt::Raise(r) => {
            r.exc.iter().for_each(|e| f(Reads(e)));
            r.cause.iter().for_each(|e| f(Reads(e)));
        }
        Stmt::Try(t) => {
            runs(&t.body, f);
            for h in &t.handlers {
                let ast::ExceptHandler::ExceptHandler(h) = h;
                h.name.iter().for_each(|n| f(Binds(n.id.as_str())));
                h.type_.iter().for_each(|ty| f(Reads(ty)));
                runs(&h.body, f);
            }
            runs(&t.orelse, f);
            runs(&t.finalbody, f);
        }
        Stmt::Assert(a) => {
            f(Reads(&a.test));
            a.msg.iter().for_each(|m| f(Reads(m)));
        }
        Stmt::Expr(e) => f(Reads(&e.value)),
        _ => {}
    }
}
