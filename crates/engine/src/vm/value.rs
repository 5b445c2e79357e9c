//! Python values and the per-process heap.
//!
//! Immutable values (numbers, strings, tuples) are plain Rust values; mutable
//! objects live in a process's [`Heap`] and are addressed by [`ObjId`].
//! Dicts and sets keep insertion order and hash through [`Key`], so no
//! `HashMap` iteration order ever reaches the simulation.

use std::rc::Rc;

use std::hash::{Hash, Hasher};

use indexmap::{Equivalent, IndexMap};
use rustc_hash::FxBuildHasher;

use crate::compile::CodeId;

/// Index of an object in a process's heap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjId(pub u32);

/// A native (Rust) function callable from Python.
pub struct NativeDef {
    pub name: &'static str,
    pub f: crate::vm::NativeFn,
}

impl std::fmt::Debug for NativeDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<native {}>", self.name)
    }
}

#[derive(Clone, Debug)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<String>),
    Tuple(Rc<Vec<Value>>),
    /// A heap object (list, dict, instance, class, function, ...).
    Obj(ObjId),
    /// A native function, unbound.
    Native(&'static NativeDef),
    /// A native function bound to its first argument (a method of a builtin type).
    BoundNative(Rc<(Value, &'static NativeDef)>),
    /// `range(start, stop, step)`.
    Range(i64, i64, i64),
    /// `...`
    Ellipsis,
    /// An empty slot in a frame (unbound local).
    Undefined,
}

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(Rc::new(s.into()))
    }

    pub fn tuple(items: Vec<Value>) -> Value {
        Value::Tuple(Rc::new(items))
    }

    pub fn as_obj(&self) -> Option<ObjId> {
        match self {
            Value::Obj(id) => Some(*id),
            _ => None,
        }
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }
}

/// A hashable key, with Python's equalities (`1 == 1.0 == True`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    None,
    Int(i64),
    /// A non-integral float, by bits.
    Float(u64),
    Str(Rc<String>),
    Tuple(Vec<Key>),
    /// Hash by identity.
    Id(ObjId),
    Native(usize),
    Range(i64, i64, i64),
    Ellipsis,
}

const STR_TAG: u8 = 3;

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Key::None => state.write_u8(0),
            Key::Int(i) => {
                state.write_u8(1);
                i.hash(state);
            }
            Key::Float(bits) => {
                state.write_u8(2);
                bits.hash(state);
            }
            // `StrKey` hashes a `&str` the same way, for lookups without allocating.
            Key::Str(s) => StrKey(s).hash(state),
            Key::Tuple(items) => {
                state.write_u8(4);
                items.hash(state);
            }
            Key::Id(id) => {
                state.write_u8(5);
                id.hash(state);
            }
            Key::Native(n) => {
                state.write_u8(6);
                n.hash(state);
            }
            Key::Range(a, b, c) => {
                state.write_u8(7);
                (a, b, c).hash(state);
            }
            Key::Ellipsis => state.write_u8(8),
        }
    }
}

/// A string key borrowed for a lookup: hashes and compares as `Key::Str`.
#[derive(Clone, Copy)]
struct StrKey<'a>(&'a str);

impl Hash for StrKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u8(STR_TAG);
        self.0.hash(state);
    }
}

impl Equivalent<Key> for StrKey<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        matches!(key, Key::Str(s) if s.as_str() == self.0)
    }
}

#[derive(Clone, Debug, Default)]
pub struct Dict {
    pub map: IndexMap<Key, (Value, Value), FxBuildHasher>,
}

impl Dict {
    pub fn get(&self, k: &Key) -> Option<&Value> {
        self.map.get(k).map(|(_, v)| v)
    }
    pub fn get_str(&self, k: &str) -> Option<&Value> {
        self.map.get(&StrKey(k)).map(|(_, v)| v)
    }
    /// `get_str`, first trying the entry at index `hint` (where `k` was found
    /// before); `hint` is updated when `k` is found elsewhere.
    pub fn get_str_hinted(&self, k: &str, hint: &mut u32) -> Option<&Value> {
        if let Some((Key::Str(s), (_, v))) = self.map.get_index(*hint as usize) {
            if s.as_str() == k {
                return Some(v);
            }
        }
        let (i, _, (_, v)) = self.map.get_full(&StrKey(k))?;
        *hint = i as u32;
        Some(v)
    }
    /// `set_str`, first trying the entry at index `hint` as `get_str_hinted` does.
    pub fn set_str_hinted(&mut self, k: &str, v: Value, hint: &mut u32) {
        if let Some((Key::Str(s), slot)) = self.map.get_index_mut(*hint as usize) {
            if s.as_str() == k {
                slot.1 = v;
                return;
            }
        }
        self.set_str(k, v);
        if let Some(i) = self.map.get_index_of(&StrKey(k)) {
            *hint = i as u32;
        }
    }
    pub fn insert(&mut self, k: Key, key_value: Value, v: Value) {
        match self.map.get_mut(&k) {
            Some(slot) => slot.1 = v,
            None => {
                self.map.insert(k, (key_value, v));
            }
        }
    }
    pub fn set_str(&mut self, k: &str, v: Value) {
        // An existing key keeps its strings: allocate only for a new one.
        if let Some(slot) = self.map.get_mut(&StrKey(k)) {
            slot.1 = v;
            return;
        }
        let s = Rc::new(k.to_string());
        self.map.insert(Key::Str(s.clone()), (Value::Str(s), v));
    }
    pub fn remove(&mut self, k: &Key) -> Option<Value> {
        self.map.shift_remove(k).map(|(_, v)| v)
    }
    pub fn len(&self) -> usize {
        self.map.len()
    }
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// A user-visible function (a code object with its defaults and closure).
#[derive(Clone, Debug)]
pub struct Function {
    pub code: CodeId,
    pub name: Rc<String>,
    pub qualname: Rc<String>,
    pub defaults: Vec<Value>,
    pub kwdefaults: Vec<(Rc<String>, Value)>,
    /// Cells captured from enclosing functions, in the order of the code's free variables.
    pub closure: Vec<ObjId>,
    /// The module globals dict.
    pub globals: ObjId,
    /// The class whose body defined this function (for zero-argument `super()`).
    pub owner: Option<ObjId>,
}

#[derive(Clone, Debug)]
pub struct Class {
    pub name: Rc<String>,
    /// Method resolution order, this class first.
    pub mro: Vec<ObjId>,
    pub dict: Dict,
    /// For builtin classes: which native payload instances carry.
    pub builtin: Option<&'static str>,
}

/// Iteration state of `iter(x)`.
#[derive(Clone, Debug)]
pub enum IterState {
    Seq { items: Rc<Vec<Value>>, pos: usize },
    List { list: ObjId, pos: usize },
    Range { next: i64, stop: i64, step: i64 },
    Chars { s: Rc<String>, pos: usize },
}

/// A traceback entry: `File "<file>", line <line>, in <func>`.
#[derive(Clone, Debug, PartialEq)]
pub struct TbEntry {
    pub file: Rc<String>,
    pub line: u32,
    pub func: Rc<String>,
    /// The source line, stripped (empty when not known).
    pub text: Rc<String>,
}

/// Extra state carried by instances of builtin classes.
#[derive(Clone, Debug, Default)]
pub enum Native {
    #[default]
    None,
    /// An exception instance: its traceback (innermost last) and context.
    Exception {
        tb: Vec<TbEntry>,
        context: Option<ObjId>,
        suppress: bool,
    },
    /// A `threading.Thread` object; the simulated thread once started.
    Thread(Box<super::ThreadObj>),
    Prim(Box<super::Prim>),
    /// A `multiprocessing.Process` object.
    Process(Box<super::ProcObj>),
    /// A handle to an object shared between processes.
    Shared(usize),
}

#[derive(Clone, Debug)]
pub enum Obj {
    List(Vec<Value>),
    Dict(Dict),
    Set(Dict),
    Function(Box<Function>),
    /// A method: function bound to an instance.
    Method(Value, Value),
    Class(Box<Class>),
    Instance {
        class: ObjId,
        dict: Dict,
        native: Native,
    },
    Cell(Value),
    Iter(IterState),
    Module {
        name: Rc<String>,
        dict: ObjId,
    },
}

/// One process's objects. Objects are never moved; ids stay valid for the run.
#[derive(Clone, Debug, Default)]
pub struct Heap {
    pub objs: Vec<Obj>,
    /// When exploring with reduction: the objects read, written and allocated.
    pub log: Option<std::cell::RefCell<HeapLog>>,
}

/// Objects a process's heap handed out since the explorer last looked.
#[derive(Clone, Debug, Default)]
pub struct HeapLog {
    /// (object id, 0 read / 1 write / 2 allocation), each at most once.
    pub entries: Vec<(u32, u8)>,
    /// Too many distinct objects: the segment counts as touching everything.
    pub overflow: bool,
    /// Per object id: the kinds already in `entries` (bit `1 << kind`).
    pub seen: Vec<u8>,
}

impl HeapLog {
    #[inline]
    fn note(&mut self, id: u32, kind: u8) {
        let i = id as usize;
        if i >= self.seen.len() {
            self.seen.resize(i + 1024, 0);
        }
        let bit = 1 << kind;
        if self.seen[i] & bit != 0 || self.overflow {
            return;
        }
        self.seen[i] |= bit;
        self.entries.push((id, kind));
        if self.entries.len() >= 1 << 16 {
            self.overflow = true;
        }
    }

    /// Takes the entries, ready for the next segment.
    pub fn drain(&mut self) -> Vec<(u32, u8)> {
        for &(id, _) in &self.entries {
            self.seen[id as usize] = 0;
        }
        std::mem::take(&mut self.entries)
    }

    /// Forgets the entries from position `at` on that `drop` selects.
    pub fn forget_since(&mut self, at: usize, drop: impl Fn(&(u32, u8)) -> bool) {
        let mut idx = 0;
        let seen = &mut self.seen;
        self.entries.retain(|e| {
            let keep = idx < at || !drop(e);
            idx += 1;
            if !keep {
                seen[e.0 as usize] &= !(1 << e.1);
            }
            keep
        });
    }
}

/// More objects than this is reported as `MemoryError`.
pub const HEAP_LIMIT: usize = 4_000_000;

impl Heap {
    pub fn alloc(&mut self, o: Obj) -> ObjId {
        self.objs.push(o);
        let id = ObjId((self.objs.len() - 1) as u32);
        if let Some(l) = &self.log {
            l.borrow_mut().note(id.0, 2);
        }
        id
    }
    pub fn get(&self, id: ObjId) -> &Obj {
        if let Some(l) = &self.log {
            l.borrow_mut().note(id.0, 0);
        }
        &self.objs[id.0 as usize]
    }
    pub fn get_mut(&mut self, id: ObjId) -> &mut Obj {
        if let Some(l) = &self.log {
            l.borrow_mut().note(id.0, 1);
        }
        &mut self.objs[id.0 as usize]
    }
    pub fn full(&self) -> bool {
        self.objs.len() >= HEAP_LIMIT
    }
}
