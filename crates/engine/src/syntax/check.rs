//! Check: reports every construct outside the subset the simulator runs, each
//! with its span and a plain message, all at once (never just the first).
//!
//! Entry point: [`check`].

use rustpython_ruff_python_ast as ast;
use rustpython_ruff_python_ast::{Expr, Stmt};
use rustpython_ruff_text_size::TextRange;

use super::modules::{unsupported_message, KnownModules, ModuleUses};
use super::parse::LineIndex;
use super::walk::{walk_expr_children, walk_stmt_children, walk_target, StmtPart, TargetPart};
use crate::trace::{Diagnostic, DiagnosticKind};

/// Every unsupported construct of `module`, in source order: among them the
/// modules, and the attributes of modules, that `known` lacks.
pub fn check(module: &ast::ModModule, index: &LineIndex, known: &KnownModules) -> Vec<Diagnostic> {
    let mut c = Checker {
        index,
        known,
        uses: ModuleUses::default(),
        out: Vec::new(),
    };
    for s in &module.body {
        c.stmt(s);
    }
    // Which names hold modules is known only now: each read of what the
    // simulator lacks goes where it stood among the other diagnostics.
    for (at, range, what) in c.uses.unsupported(known).into_iter().rev() {
        let d = index.diagnostic(DiagnosticKind::Unsupported, range, unsupported_message(&what));
        c.out.insert(at, d);
    }
    c.out
}

struct Checker<'a> {
    index: &'a LineIndex,
    known: &'a KnownModules,
    uses: ModuleUses,
    out: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn report(&mut self, range: TextRange, msg: impl Into<String>) {
        self.out
            .push(self.index.diagnostic(DiagnosticKind::Unsupported, range, msg.into()));
    }

    /// Reports `name` unless a script may import it; true when it may.
    fn module_name(&mut self, name: &str, range: TextRange) -> bool {
        if self.known.get(name).is_some() {
            return true;
        }
        if let Some(lacking) = self.known.unsupported_module(name) {
            self.report(range, unsupported_message(lacking));
        } else {
            let list = self.known.list();
            self.report(
                range,
                format!("module '{name}' is not available in the simulator (supported: {list})"),
            );
        }
        false
    }

    /// `import a.b` binds `a`; `import a.b as c` binds `c` to `a.b`.
    fn import(&mut self, i: &ast::StmtImport) {
        for a in &i.names {
            let name = a.name.id.as_str();
            self.module_name(name, a.range);
            match &a.asname {
                Some(alias) => self.uses.import(alias.id.as_str(), name),
                None => {
                    let top = name.split('.').next().unwrap_or(name);
                    self.uses.import(top, top);
                }
            }
        }
    }

    /// `from m import x`: `x` may be a submodule of `m`, or something the simulator lacks.
    fn import_from(&mut self, i: &ast::StmtImportFrom) {
        if i.level > 0 {
            self.report(i.range, "relative imports are not supported by the simulator");
            return;
        }
        let m = i.module.as_ref().map(|m| m.id.to_string()).unwrap_or_default();
        let known = self.module_name(&m, i.range);
        for a in &i.names {
            let name = a.name.id.as_str();
            if name == "*" {
                self.report(a.range, "`from ... import *` is not supported by the simulator");
                continue;
            }
            if known {
                if let Some(what) = self.known.unsupported_attr(&m, name) {
                    self.report(a.range, unsupported_message(&what));
                }
            }
            let bound = a.asname.as_ref().unwrap_or(&a.name).id.as_str();
            let full = format!("{m}.{name}");
            if self.known.get(&full).is_some() {
                self.uses.import(bound, &full);
            } else {
                self.uses.bind(bound);
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
            self.uses.bind(a.parameter.name.id.as_str());
            if let Some(d) = &a.default {
                self.expr(d);
            }
        }
        for a in p.vararg.iter().chain(p.kwarg.iter()) {
            self.uses.bind(a.name.id.as_str());
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
                self.uses.bind(f.name.id.as_str());
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
                self.uses.bind(c.name.id.as_str());
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
            Stmt::TypeAlias(t) => self.report(t.range, "`type` aliases are not supported by the simulator"),
            Stmt::For(f) if f.is_async => {
                self.report(f.range, "`async for` is not supported by the simulator");
                self.children(s);
            }
            Stmt::With(w) if w.items.len() > 20 => {
                self.out.push(self.index.diagnostic(
                    DiagnosticKind::Limit,
                    w.range,
                    "too many statically nested blocks".to_string(),
                ));
            }
            Stmt::With(w) if w.is_async => {
                self.report(w.range, "`async with` is not supported by the simulator");
                self.children(s);
            }
            Stmt::Match(m) => self.report(m.range, "`match` statements are not supported by the simulator"),
            Stmt::Try(t) if t.is_star => {
                self.report(t.range, "`except*` is not supported by the simulator");
                self.children(s);
            }
            Stmt::Import(i) => self.import(i),
            Stmt::ImportFrom(i) => self.import_from(i),
            Stmt::IpyEscapeCommand(e) => self.report(e.range, "IPython escape commands are not Python"),
            _ => self.children(s),
        }
    }

    /// The parts of a statement the simulator runs as Python does.
    fn children(&mut self, s: &Stmt) {
        walk_stmt_children(s, &mut |part| match part {
            StmtPart::Reads(e) => self.expr(e),
            StmtPart::Assigns(t) => self.target(t),
            StmtPart::Binds(name) => self.uses.bind(name),
            StmtPart::Runs(s) => self.stmt(s),
        });
    }

    fn target(&mut self, e: &Expr) {
        walk_target(e, &mut |part| match part {
            TargetPart::Binds(name) => self.uses.bind(name),
            TargetPart::Reads(x) => self.expr(x),
        });
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
            Expr::Named(n) => self.target(&n.target),
            Expr::Attribute(a) => {
                if let Some(chain) = attribute_chain(e) {
                    self.uses.read(self.out.len(), a.range, chain);
                }
            }
            _ => {}
        }
        walk_expr_children(e, &mut |c| self.expr(c));
    }
}

/// `a.b.c` as `["a", "b", "c"]`, when it starts with a plain name.
fn attribute_chain(e: &Expr) -> Option<Vec<String>> {
    match e {
        Expr::Name(n) => Some(vec![n.id.to_string()]),
        Expr::Attribute(a) => {
            let mut chain = attribute_chain(&a.value)?;
            chain.push(a.attr.id.to_string());
            Some(chain)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small standard library, as `stdlib` would describe one.
    fn known() -> KnownModules {
        use crate::syntax::modules::KnownModule;
        let module = |name, unsupported| KnownModule { name, unsupported };
        KnownModules {
            modules: vec![
                module("threading", vec!["settrace"]),
                module("time", vec![]),
                module("concurrent", vec![]),
                module("concurrent.futures", vec![]),
                module("multiprocessing", vec!["Manager"]),
                module("multiprocessing.pool", vec!["ThreadPool"]),
                module("os", vec!["fork", "environ"]),
                module("signal", vec!["pause", "SIGCHLD"]),
            ],
            unsupported: vec!["subprocess", "os.path", "multiprocessing.shared_memory"],
        }
    }

    fn diags(src: &str) -> Vec<Diagnostic> {
        let (m, idx) = crate::syntax::parse::parse(src).expect("parses");
        check(&m, &idx, &known())
    }

    /// (line, column, message) of each diagnostic.
    fn found(src: &str) -> Vec<(u32, u32, String)> {
        diags(src).into_iter().map(|d| (d.line, d.col, d.message)).collect()
    }

    fn lacks(line: u32, col: u32, what: &str) -> (u32, u32, String) {
        (line, col, unsupported_message(what))
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

    #[test]
    fn what_a_module_lacks_is_reported_where_it_is_read() {
        let src =
            "import signal\nimport os\n\ndef f():\n    signal.pause()\n    return os.environ, os.path.join('a', 'b')\n";
        assert_eq!(
            found(src),
            vec![
                lacks(5, 5, "signal.pause"),
                lacks(6, 12, "os.environ"),
                lacks(6, 24, "os.path")
            ]
        );
    }

    #[test]
    fn from_imports_and_aliases_name_the_module() {
        let src = "from signal import SIGINT, pause as wait\nimport multiprocessing as mp\nimport multiprocessing.pool\nmp.Manager()\nmultiprocessing.pool.ThreadPool(2)\nfrom multiprocessing import pool\npool.ThreadPool(2)\n";
        assert_eq!(
            found(src),
            vec![
                lacks(1, 28, "signal.pause"),
                lacks(4, 1, "multiprocessing.Manager"),
                lacks(5, 1, "multiprocessing.pool.ThreadPool"),
                lacks(7, 1, "multiprocessing.pool.ThreadPool"),
            ]
        );
    }

    #[test]
    fn a_name_bound_otherwise_may_hold_anything() {
        for src in [
            "import signal\nsignal = None\nsignal.pause()\n",
            "import signal\ndef f(signal):\n    signal.pause()\n",
            "import signal\nfor signal in []:\n    signal.pause()\n",
            "import signal\nimport time as signal\nsignal.pause()\n",
            "import threading\nt = threading\nt.settrace(None)\n",
        ] {
            assert_eq!(found(src), vec![], "{src}");
        }
    }

    #[test]
    fn modules_the_simulator_lacks_are_named_as_such() {
        let src = "import subprocess\nimport os.path\nfrom multiprocessing.shared_memory import SharedMemory\nfrom multiprocessing import shared_memory\nimport time\n";
        assert_eq!(
            found(src),
            vec![
                lacks(1, 8, "subprocess"),
                lacks(2, 8, "os.path"),
                lacks(3, 1, "multiprocessing.shared_memory"),
                lacks(4, 29, "multiprocessing.shared_memory"),
            ]
        );
    }

    #[test]
    fn reads_keep_their_place_among_other_diagnostics() {
        let src = "async def f():\n    pass\nimport signal\nsignal.pause()\nx = 1j\n";
        let msgs: Vec<String> = found(src).into_iter().map(|(_, _, m)| m).collect();
        assert_eq!(
            msgs,
            vec![
                "`async def` is not supported by the simulator".to_string(),
                unsupported_message("signal.pause"),
                "complex numbers are not supported by the simulator".to_string(),
            ]
        );
    }
}
