//! The walks over expressions that both the checker and the compiler's
//! symbol tables use: [`walk_expr_children`] visits an expression's direct
//! children, so each only writes the cases it treats differently;
//! [`walk_target`] the parts of an assignment target.

use rustpython_ruff_python_ast as ast;
use rustpython_ruff_python_ast::Expr;

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
