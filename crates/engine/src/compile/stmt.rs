//! Statements: assignments, control flow (`if`, loops, `break`, `continue`,
//! `return`, with every block they leave unwound), `try`, `with`, `raise`,
//! `assert`, `del` and imports.

use rustpython_ruff_python_ast as ast;
use rustpython_ruff_python_ast::{Expr, Stmt};
use rustpython_ruff_text_size::{Ranged, TextRange};

use super::codegen::{err, CResult, Compiler, FBlock, NameCtx};
use super::expr::binop;
use super::{CodeKind, Const, Op};

impl<'a> Compiler<'a> {
    pub(super) fn stmts(&mut self, body: &'a [Stmt]) -> CResult {
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
            Stmt::If(i) => self.if_stmt(i)?,
            Stmt::While(w) => self.while_stmt(w)?,
            Stmt::For(f) => self.for_stmt(f)?,
            Stmt::Break(b) => {
                self.unwind_to_loop(b.range, false)?;
            }
            Stmt::Continue(c) => {
                self.unwind_to_loop(c.range, true)?;
            }
            Stmt::Return(r) => self.return_stmt(r)?,
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
            Stmt::Import(i) => self.import(i),
            Stmt::ImportFrom(i) => self.import_from(i),
            Stmt::Global(_) | Stmt::Nonlocal(_) => {}
            other => return err(other.range(), "this statement is not supported by the simulator"),
        }
        Ok(())
    }

    fn if_stmt(&mut self, i: &'a ast::StmtIf) -> CResult {
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
        Ok(())
    }

    fn while_stmt(&mut self, w: &'a ast::StmtWhile) -> CResult {
        let top = self.here();
        self.cond_jump_false(&w.test)?;
        let exit = self.unit().code.ops.len() - 1;
        self.loop_rest(top, exit, false, &w.body, &w.orelse, w.test.range())
    }

    fn for_stmt(&mut self, f: &'a ast::StmtFor) -> CResult {
        self.expr(&f.iter)?;
        self.emit(Op::GetIter);
        let top = self.here();
        let fi = self.emit(Op::ForIter(0));
        self.assign(&f.target)?;
        self.loop_rest(top, fi, true, &f.body, &f.orelse, f.target.range())
    }

    /// A loop after its head: the body, the jump back to `top` (shown at
    /// `line`), the `else` where the head's jump `exit` goes when the loop
    /// ends, and the end, where `break`s go.
    fn loop_rest(
        &mut self,
        top: u32,
        exit: usize,
        is_for: bool,
        body: &'a [Stmt],
        orelse: &'a [Stmt],
        line: TextRange,
    ) -> CResult {
        let saved = std::mem::take(&mut self.unit().breaks);
        self.unit().fblocks.push(FBlock::Loop {
            continue_to: top,
            is_for,
        });
        self.stmts(body)?;
        self.set_line(line);
        self.emit(Op::Jump(top));
        self.unit().fblocks.pop();
        let after = self.here();
        self.patch(exit, after);
        let breaks = std::mem::replace(&mut self.unit().breaks, saved);
        self.stmts(orelse)?;
        let end = self.here();
        for b in breaks {
            self.patch(b, end);
        }
        Ok(())
    }

    fn return_stmt(&mut self, r: &'a ast::StmtReturn) -> CResult {
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
        Ok(())
    }

    fn import(&mut self, i: &ast::StmtImport) {
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

    fn import_from(&mut self, i: &ast::StmtImportFrom) {
        let module = i.module.as_ref().map(|m| m.id.to_string()).unwrap_or_default();
        let n = self.name(&module);
        self.emit(Op::ImportName(n));
        for a in &i.names {
            if a.name.id.as_str() == "*" {
                self.emit(Op::ImportStar);
                return;
            }
            let an = self.name(&a.name.id);
            self.emit(Op::ImportFrom(an));
            let bind = a.asname.as_ref().unwrap_or(&a.name).id.to_string();
            self.store_name(&bind);
        }
        self.emit(Op::Pop);
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

    pub(super) fn assign(&mut self, t: &'a Expr) -> CResult {
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
}
