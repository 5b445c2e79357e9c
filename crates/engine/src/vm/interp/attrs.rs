//! Names and attributes: global lookups, `getattr`/`setattr`/`delattr`, class
//! lookups along the MRO and method lookups for `LoadMethod`.

use std::rc::Rc;

use crate::compile::CodeId;
use crate::vm::value::*;
use crate::vm::*;

impl World {
    // ----- attribute and subscript instructions

    /// `LoadAttr`.
    pub(super) fn load_attr(&mut self, tid: Tid, name: &str) -> Result<(), Raise> {
        let o = self.pop(tid);
        let v = self.getattr(tid, &o, name)?;
        self.push(tid, v);
        Ok(())
    }

    /// `StoreAttr`: `obj.name = v`.
    pub(super) fn store_attr(&mut self, tid: Tid, name: &str) -> Result<(), Raise> {
        let o = self.pop(tid);
        let v = self.pop(tid);
        self.setattr(tid, &o, name, v)?;
        Ok(())
    }

    /// `DeleteAttr`.
    pub(super) fn delete_attr(&mut self, tid: Tid, name: &str) -> Result<(), Raise> {
        let o = self.pop(tid);
        self.delattr(tid, &o, name)?;
        Ok(())
    }

    /// `LoadMethod`: pushes the method found on the type and the object (called
    /// without a bound method), or the attribute and `Undefined`.
    pub(super) fn load_method(&mut self, tid: Tid, name: &str) -> Result<(), Raise> {
        let o = self.pop(tid);
        match self.lookup_method(tid, &o, name, true)? {
            Some(f) => {
                self.push(tid, f);
                self.push(tid, o);
            }
            None => {
                let v = self.getattr(tid, &o, name)?;
                self.push(tid, v);
                self.push(tid, Value::Undefined);
            }
        }
        Ok(())
    }

    /// `Subscr`: `o[k]` (a user class's `__getitem__` runs as a call).
    pub(super) fn subscr(&mut self, tid: Tid) -> Result<(), Raise> {
        let k = self.pop(tid);
        let o = self.pop(tid);
        match (self.lib.getitem)(self, tid, &o, &k)? {
            Some(v) => self.push(tid, v),
            None => {
                // A user class with __getitem__.
                let f = self.getattr(tid, &o, "__getitem__")?;
                return self.call_op(tid, f, Args::new(vec![k]));
            }
        }
        Ok(())
    }

    /// `StoreSubscr`: `o[k] = v`.
    pub(super) fn store_subscr(&mut self, tid: Tid) -> Result<(), Raise> {
        let k = self.pop(tid);
        let o = self.pop(tid);
        let v = self.pop(tid);
        (self.lib.setitem)(self, tid, &o, k, v)?;
        Ok(())
    }

    /// `DeleteSubscr`.
    pub(super) fn delete_subscr(&mut self, tid: Tid) -> Result<(), Raise> {
        let k = self.pop(tid);
        let o = self.pop(tid);
        (self.lib.delitem)(self, tid, &o, &k)?;
        Ok(())
    }
}

impl World {
    /// Looks `name` up in globals `g`, then in the builtins. `at` (code object,
    /// name index) selects the lookup's [`NameHint`].
    pub(super) fn lookup_global(
        &mut self,
        tid: Tid,
        g: ObjId,
        name: &str,
        at: Option<(CodeId, u32)>,
    ) -> Result<Value, Raise> {
        let mut none = NameHint::default();
        let hint = match at {
            Some((c, i)) => &mut self.name_hints[c.0 as usize][i as usize],
            None => &mut none,
        };
        let p = &self.procs[pid_index(self.threads[tid].pid)];
        if let Obj::Dict(d) = p.heap.get(g) {
            if let Some(v) = d.get_str_hinted(name, &mut hint.globals) {
                return Ok(v.clone());
            }
        }
        if let Obj::Dict(d) = p.heap.get(p.builtins) {
            if let Some(v) = d.get_str_hinted(name, &mut hint.builtins) {
                return Ok(v.clone());
            }
        }
        Err(Raise::New(Exc::NameError, format!("name '{name}' is not defined")))
    }

    pub fn dict_set_str(&mut self, tid: Tid, d: ObjId, name: &str, v: Value) {
        if let Obj::Dict(dict) = self.heap(tid).get_mut(d) {
            dict.set_str(name, v);
        }
    }

    pub(super) fn dict_del_str(&mut self, tid: Tid, d: ObjId, name: &str) -> Option<Value> {
        if let Obj::Dict(dict) = self.heap(tid).get_mut(d) {
            return dict.remove(&Key::Str(Rc::new(name.to_string())));
        }
        None
    }

    pub fn alloc(&mut self, tid: Tid, o: Obj) -> Result<ObjId, Raise> {
        let h = self.heap(tid);
        if h.full() {
            return Err(Raise::new(Exc::MemoryError, ""));
        }
        Ok(h.alloc(o))
    }

    /// Looks `name` up along a class's MRO.
    pub fn class_lookup(&mut self, tid: Tid, cls: ObjId, name: &str) -> Option<Value> {
        let heap = &*self.heap(tid);
        let Obj::Class(c) = heap.get(cls) else {
            return None;
        };
        for &k in &c.mro {
            if let Obj::Class(k) = heap.get(k) {
                if let Some(v) = k.dict.get_str(name) {
                    return Some(v.clone());
                }
            }
        }
        None
    }

    /// For `obj.name(...)`: the unbound callable when `name` is a method found on the type.
    ///
    /// With `payloads`, also the native methods of instances carrying a native
    /// payload (threads, processes, locks, queues, ...), for `LoadMethod`: when
    /// `getattr` would bind such a method, calling it unbound with `obj` first is
    /// the same call, and the lookup reads what `getattr` reads.
    pub(super) fn lookup_method(
        &mut self,
        tid: Tid,
        obj: &Value,
        name: &str,
        payloads: bool,
    ) -> Result<Option<Value>, Raise> {
        let lib = self.lib;
        match obj {
            Value::Obj(id) => {
                let (cls, payload, prim) = match self.heap(tid).get(*id) {
                    Obj::Instance { class, dict, native } => {
                        if dict.get_str(name).is_some() {
                            return Ok(None);
                        }
                        // Attributes a payload serves itself are `getattr`'s.
                        let served = match native {
                            Native::None | Native::Exception { .. } => false,
                            _ if !payloads || name == "__class__" || name == "__dict__" => true,
                            payload => (lib.payload_serves)(payload, name),
                        };
                        if served {
                            return Ok(None);
                        }
                        let payload = !matches!(native, Native::None | Native::Exception { .. });
                        (*class, payload, matches!(native, Native::Prim(_)))
                    }
                    _ => return Ok((self.lib.type_method)(self, tid, obj, name).map(Value::Native)),
                };
                if prim {
                    // `getattr` looks at a primitive's data through a mutable borrow,
                    // which the explorer's heap log counts as a write: keep that.
                    self.heap(tid).get_mut(*id);
                }
                if matches!(self.heap(tid).get(cls), Obj::Class(c) if c.builtin == Some("super")) {
                    return Ok(None);
                }
                match self.class_lookup(tid, cls, name) {
                    Some(f @ Value::Native(_)) => Ok(Some(f)),
                    // `getattr` binds a Python method of a payload's class (a new
                    // object): leave it to `getattr`.
                    Some(Value::Obj(fid)) if !payload && matches!(self.heap(tid).get(fid), Obj::Function(_)) => {
                        Ok(Some(Value::Obj(fid)))
                    }
                    _ => Ok(None),
                }
            }
            _ => Ok((self.lib.type_method)(self, tid, obj, name).map(Value::Native)),
        }
    }

    pub fn getattr(&mut self, tid: Tid, obj: &Value, name: &str) -> Result<Value, Raise> {
        let lib = self.lib;
        if let Value::Obj(id) = obj {
            let id = *id;
            match self.heap(tid).get(id) {
                Obj::Instance { class, native, .. } => {
                    // A queue's state holds its items: never clone it for an attribute read.
                    let is_prim = matches!(native, Native::Prim(_));
                    // Clone the rest of the payload only when it can answer `name`.
                    let native = match native {
                        Native::Prim(_) => Native::None,
                        Native::Process(_) | Native::Thread(_) if !(lib.payload_serves)(native, name) => Native::None,
                        Native::Exception { context, suppress, .. } => Native::Exception {
                            tb: Vec::new(),
                            context: *context,
                            suppress: *suppress,
                        },
                        other => other.clone(),
                    };
                    let class = *class;
                    if is_prim {
                        if let Some(v) = (self.lib.prim_getattr)(self, tid, id, name) {
                            return Ok(v);
                        }
                    }
                    return self.getattr_instance(tid, obj, id, class, native, name);
                }
                Obj::Class(c) => {
                    let cname = c.name.clone();
                    if name == "__name__" || name == "__qualname__" {
                        return Ok(Value::Str(cname));
                    }
                    if name == "__mro__" {
                        let mro = c.mro.iter().map(|x| Value::Obj(*x)).collect();
                        return Ok(Value::tuple(mro));
                    }
                    if let Some(v) = self.class_lookup(tid, id, name) {
                        return (self.lib.unwrap_class_attr)(self, tid, id, v);
                    }
                    return Err(Raise::New(
                        Exc::AttributeError,
                        format!("type object '{cname}' has no attribute '{name}'"),
                    ));
                }
                Obj::Module { name: mname, dict } => {
                    let (mname, dict) = (mname.clone(), *dict);
                    if let Obj::Dict(d) = self.heap(tid).get(dict) {
                        if let Some(v) = d.get_str(name) {
                            return Ok(v.clone());
                        }
                    }
                    if mname.as_str() == "sys" && name == "modules" {
                        return (self.lib.sys_modules)(self, tid);
                    }
                    if name == "__name__" {
                        return Ok(Value::Str(mname));
                    }
                    if let Some(r) = (self.lib.unsupported_attr)(&mname, name) {
                        return Err(r);
                    }
                    return Err(Raise::New(
                        Exc::AttributeError,
                        format!("module '{mname}' has no attribute '{name}'"),
                    ));
                }
                Obj::Function(f) => {
                    match name {
                        "__name__" => return Ok(Value::Str(f.name.clone())),
                        "__qualname__" => return Ok(Value::Str(f.qualname.clone())),
                        "__module__" => return Ok(Value::str("__main__")),
                        _ => {}
                    }
                    return Err(Raise::New(
                        Exc::AttributeError,
                        format!("'function' object has no attribute '{name}'"),
                    ));
                }
                _ => {}
            }
        }
        if let Value::Native(d) = obj {
            if name == "__name__" || name == "__qualname__" {
                return Ok(Value::str(d.name.rsplit('.').next().unwrap_or(d.name)));
            }
        }
        if let Some(v) = (self.lib.value_attr)(self, tid, obj, name)? {
            return Ok(v);
        }
        if let Some(f) = (self.lib.type_method)(self, tid, obj, name) {
            return Ok(Value::BoundNative(Rc::new((obj.clone(), f))));
        }
        let tn = (self.lib.type_name)(self, tid, obj);
        Err(Raise::New(
            Exc::AttributeError,
            format!("'{tn}' object has no attribute '{name}'"),
        ))
    }

    /// `getattr` of instance `obj` (heap object `id`) of `class`, with the
    /// part of its native payload that can answer `name` (none for a
    /// primitive such as a lock or queue, which answered first).
    fn getattr_instance(
        &mut self,
        tid: Tid,
        obj: &Value,
        id: ObjId,
        class: ObjId,
        native: Native,
        name: &str,
    ) -> Result<Value, Raise> {
        if matches!(self.heap(tid).get(class), Obj::Class(c) if c.builtin == Some("super")) {
            if let Some(v) = (self.lib.super_getattr)(self, tid, id, name)? {
                return Ok(v);
            }
        }
        if let Native::Process(p) = &native {
            if let Some(v) = (self.lib.process_getattr)(self, tid, p, name)? {
                return Ok(v);
            }
        }
        if let Native::Shared(s) = &native {
            if let Some(v) = (self.lib.shared_getattr)(self, tid, *s, name)? {
                return Ok(v);
            }
        }
        if let Some(v) = (self.lib.native_getattr)(self, tid, id, native, name)? {
            return Ok(v);
        }
        if let Obj::Instance { dict, .. } = self.heap(tid).get(id) {
            if let Some(v) = dict.get_str(name) {
                return Ok(v.clone());
            }
        }
        if name == "__class__" {
            return Ok(Value::Obj(class));
        }
        if name == "__dict__" {
            let d = match self.heap(tid).get(id) {
                Obj::Instance { dict, .. } => dict.clone(),
                _ => Dict::default(),
            };
            return Ok(Value::Obj(self.alloc(tid, Obj::Dict(d))?));
        }
        if let Some(v) = self.class_lookup(tid, class, name) {
            return self.bind(tid, obj, v);
        }
        let cn = (self.lib.class_name)(self, tid, class);
        Err(Raise::New(
            Exc::AttributeError,
            format!("'{cn}' object has no attribute '{name}'"),
        ))
    }

    /// Binds a class attribute found for instance `obj`.
    fn bind(&mut self, tid: Tid, obj: &Value, v: Value) -> Result<Value, Raise> {
        match &v {
            Value::Native(d) => Ok(Value::BoundNative(Rc::new((obj.clone(), d)))),
            Value::Obj(fid) => match self.heap(tid).get(*fid) {
                Obj::Function(_) => Ok(Value::Obj(self.alloc(tid, Obj::Method(obj.clone(), v.clone()))?)),
                Obj::Instance { .. } => (self.lib.descriptor_get)(self, tid, obj, v.clone()),
                _ => Ok(v),
            },
            _ => Ok(v),
        }
    }

    pub fn setattr(&mut self, tid: Tid, obj: &Value, name: &str, v: Value) -> Result<(), Raise> {
        if let Value::Obj(id) = obj {
            let id = *id;
            if (self.lib.native_setattr)(self, tid, id, name, &v)? {
                return Ok(());
            }
            if (self.lib.process_setattr)(self, tid, id, name, &v)?
                || (self.lib.shared_setattr)(self, tid, id, name, &v)?
            {
                return Ok(());
            }
            match self.heap(tid).get_mut(id) {
                Obj::Instance { dict, .. } => {
                    dict.set_str(name, v);
                    return Ok(());
                }
                Obj::Class(c) => {
                    c.dict.set_str(name, v);
                    return Ok(());
                }
                Obj::Module { dict, .. } => {
                    let d = *dict;
                    self.dict_set_str(tid, d, name, v);
                    return Ok(());
                }
                _ => {}
            }
        }
        let tn = (self.lib.type_name)(self, tid, obj);
        Err(Raise::New(
            Exc::AttributeError,
            format!("'{tn}' object has no attribute '{name}' and no __dict__ for setting new attributes"),
        ))
    }

    pub(super) fn delattr(&mut self, tid: Tid, obj: &Value, name: &str) -> Result<(), Raise> {
        if let Value::Obj(id) = obj {
            if let Obj::Instance { dict, .. } = self.heap(tid).get_mut(*id) {
                if dict.remove(&Key::Str(Rc::new(name.to_string()))).is_some() {
                    return Ok(());
                }
            }
        }
        let tn = (self.lib.type_name)(self, tid, obj);
        Err(Raise::New(
            Exc::AttributeError,
            format!("'{tn}' object has no attribute '{name}'"),
        ))
    }
}
