//! Expressions: literals and f-strings, operators (with short-circuiting
//! `and`/`or` and comparison chains), conditional expressions, subscripts and
//! slices, displays (`[...]`, `(...)`, `{...}`, with `*` unpacking) and calls.

use std::rc::Rc;

use rustpython_ruff_python_ast as ast;
use rustpython_ruff_python_ast::Expr;
use rustpython_ruff_text_size::Ranged;

use super::codegen::{err, CResult, Compiler};
use super::function::CompKind;
use super::{BinOp, CmpOp, CompileError, Const, Op, UnOp};

impl<'a> Compiler<'a> {
    pub(super) fn cond_jump_false(&mut self, e: &'a Expr) -> CResult {
        self.expr(e)?;
        self.emit(Op::PopJumpIfFalse(0));
        Ok(())
    }

    pub(super) fn cond_jump_true(&mut self, e: &'a Expr) -> CResult {
        self.expr(e)?;
        self.emit(Op::PopJumpIfTrue(0));
        Ok(())
    }

    pub(super) fn expr(&mut self, e: &'a Expr) -> CResult {
        match e {
            Expr::NumberLiteral(n) => self.number(n)?,
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
            Expr::FString(f) => self.fstring(f)?,
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
            Expr::BoolOp(b) => self.bool_op(b)?,
            Expr::Compare(c) => self.compare(c)?,
            Expr::If(i) => self.if_expr(i)?,
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
            Expr::Slice(s) => self.slice(s)?,
            Expr::List(l) => self.sequence(&l.elts, Seq::List)?,
            Expr::Tuple(t) => self.sequence(&t.elts, Seq::Tuple)?,
            Expr::Set(s) => self.sequence(&s.elts, Seq::Set)?,
            Expr::Dict(d) => self.dict(d)?,
            Expr::Call(c) => self.call(c)?,
            Expr::Lambda(l) => self.lambda(l)?,
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

    fn number(&mut self, n: &ast::ExprNumberLiteral) -> CResult {
        let c = match &n.value {
            ast::Number::Int(i) => match i.as_i64() {
                Some(v) => Const::Int(v),
                None => return err(n.range, "integer literal too large for the simulator (limit: 64-bit)"),
            },
            ast::Number::Float(f) => Const::Float(*f),
            ast::Number::Complex { .. } => return err(n.range, "complex numbers are not supported by the simulator"),
        };
        let k = self.konst(c);
        self.emit(Op::LoadConst(k));
        Ok(())
    }

    /// An f-string: its parts, joined unless there is exactly one.
    fn fstring(&mut self, f: &'a ast::ExprFString) -> CResult {
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
        Ok(())
    }

    /// `and`/`or`: each operand but the last jumps to the end when it decides the result.
    fn bool_op(&mut self, b: &'a ast::ExprBoolOp) -> CResult {
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
        Ok(())
    }

    fn compare(&mut self, c: &'a ast::ExprCompare) -> CResult {
        self.expr(&c.left)?;
        let n = c.ops.len();
        if n == 1 {
            self.expr(&c.comparators[0])?;
            self.emit(Op::Compare(cmpop(c.ops[0])));
            return Ok(());
        }
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
        Ok(())
    }

    /// `body if test else orelse`.
    fn if_expr(&mut self, i: &'a ast::ExprIf) -> CResult {
        self.cond_jump_false(&i.test)?;
        let j = self.unit().code.ops.len() - 1;
        self.expr(&i.body)?;
        let jend = self.emit(Op::Jump(0));
        let t = self.here();
        self.patch(j, t);
        self.expr(&i.orelse)?;
        let end = self.here();
        self.patch(jend, end);
        Ok(())
    }

    fn slice(&mut self, s: &'a ast::ExprSlice) -> CResult {
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
        Ok(())
    }

    /// A dict display; with `**` unpacking, built up one merge at a time.
    fn dict(&mut self, d: &'a ast::ExprDict) -> CResult {
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
enum Seq {
    List,
    Tuple,
    Set,
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

pub(super) fn binop(op: ast::Operator) -> BinOp {
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
