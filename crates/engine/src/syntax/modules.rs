//! What the checker knows of the simulated standard library ([`KnownModules`],
//! filled by `stdlib` from its registry of modules, which this layer cannot
//! see), and a script's uses of it ([`ModuleUses`]): which names hold which
//! modules, and which attributes of them the script reads.

use rustpython_ruff_text_size::TextRange;

/// How the checker and a run word a part of CPython's standard library that
/// the simulator lacks (`what`: `signal.pause`, `multiprocessing.shared_memory`).
pub fn unsupported_message(what: &str) -> String {
    format!("`{what}` is not supported by the simulator (yet)")
}

/// The simulated standard library as the checker sees it: plain data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KnownModules {
    /// The modules a script may import, in the order messages list them.
    pub modules: Vec<KnownModule>,
    /// Modules of CPython's standard library that the simulator lacks (and
    /// so their submodules too).
    pub unsupported: Vec<&'static str>,
}

/// A module a script may import.
#[derive(Clone, Debug, PartialEq)]
pub struct KnownModule {
    pub name: &'static str,
    /// Documented attributes of CPython's module that the simulator lacks.
    pub unsupported: Vec<&'static str>,
}

impl KnownModules {
    /// The module a script may import as `name`.
    pub fn get(&self, name: &str) -> Option<&KnownModule> {
        self.modules.iter().find(|m| m.name == name)
    }

    /// The module the simulator lacks that `name` is, or is part of.
    pub fn unsupported_module(&self, name: &str) -> Option<&'static str> {
        let within = |u: &str| name == u || name.strip_prefix(u).is_some_and(|rest| rest.starts_with('.'));
        self.unsupported.iter().copied().find(|u| within(u))
    }

    /// `module.attr` when the simulator lacks it (an attribute or a
    /// submodule) and has `module`.
    pub fn unsupported_attr(&self, module: &str, attr: &str) -> Option<String> {
        let m = self.get(module)?;
        let full = format!("{module}.{attr}");
        let lacking =
            m.unsupported.contains(&attr) || (self.get(&full).is_none() && self.unsupported_module(&full).is_some());
        lacking.then_some(full)
    }

    /// The modules a script may import, for a message.
    pub fn list(&self) -> String {
        let names: Vec<&str> = self.modules.iter().map(|m| m.name).collect();
        names.join(", ")
    }
}

/// A script's reads of module attributes (`signal.pause`), judged once the
/// whole script has been seen: a name counts as a module only when imports
/// alone bind it, all to the same module.
#[derive(Debug, Default)]
pub struct ModuleUses {
    /// Names bound by an import, with the module each holds.
    imported: Vec<(String, String)>,
    /// Names bound otherwise somewhere (a variable, a parameter, a function,
    /// ...): they may hold anything.
    rebound: Vec<String>,
    reads: Vec<Read>,
}

/// `name.a.b`, read where the diagnostics so far numbered `at`.
#[derive(Debug)]
struct Read {
    at: usize,
    range: TextRange,
    chain: Vec<String>,
}

impl ModuleUses {
    /// `import module` (or `... as name`) binds `name`.
    pub fn import(&mut self, name: &str, module: &str) {
        self.imported.push((name.to_string(), module.to_string()));
    }

    /// `name` is bound by something other than an import.
    pub fn bind(&mut self, name: &str) {
        if !self.rebound.iter().any(|n| n == name) {
            self.rebound.push(name.to_string());
        }
    }

    /// The script reads `chain[0].chain[1]...` at `range`.
    pub fn read(&mut self, at: usize, range: TextRange, chain: Vec<String>) {
        if chain.len() > 1 {
            self.reads.push(Read { at, range, chain });
        }
    }

    /// The reads of what the simulator lacks: where each belongs among the
    /// other diagnostics, its range, and what it reads (`signal.pause`).
    pub fn unsupported(&self, known: &KnownModules) -> Vec<(usize, TextRange, String)> {
        let mut out = Vec::new();
        for r in &self.reads {
            let Some(mut module) = self.module_of(&r.chain[0]) else {
                continue;
            };
            let (last, path) = r.chain[1..].split_last().expect("a read has an attribute");
            // `os.path.join`: only `os.path` is the lacking read.
            for sub in path {
                module = format!("{module}.{sub}");
                if known.get(&module).is_none() {
                    break;
                }
            }
            if known.get(&module).is_none() {
                continue;
            }
            if let Some(what) = known.unsupported_attr(&module, last) {
                out.push((r.at, r.range, what));
            }
        }
        out
    }

    /// The module `name` holds, if imports alone bind it, all to one module.
    fn module_of(&self, name: &str) -> Option<String> {
        if self.rebound.iter().any(|n| n == name) {
            return None;
        }
        let mut modules = self.imported.iter().filter(|(n, _)| n == name).map(|(_, m)| m);
        let first = modules.next()?;
        modules.all(|m| m == first).then(|| first.clone())
    }
}
