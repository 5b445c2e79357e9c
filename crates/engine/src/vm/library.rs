//! What the interpreter calls above itself: the builtin types' operations
//! (`types/`) and the standard library's native objects and hooks (`stdlib/`).
//!
//! Those layers are built on the machine (they take `&mut World`), so the
//! machine cannot name them without a cycle. Instead a run is given one
//! [`Library`], a table of functions filled in by `stdlib::LIBRARY` (as
//! CPython's interpreter reaches a type's behaviour through its slots): the
//! dependency points down, the calls go up.

use std::rc::Rc;

use super::value::*;
use super::*;
use crate::compile::{BinOp, CmpOp};
use crate::trace::{BlockedOn, Pid};

type Op<R> = fn(&mut World, Tid, &Value) -> R;
/// An attribute that may be missing: `Ok(None)` lets the caller look further.
type Found = Result<Option<Value>, Raise>;
/// A binary operation on two values.
type Binary<R> = fn(&mut World, Tid, &Value, &Value) -> R;
/// A lookup of `name` on something.
type Lookup<T> = fn(&mut World, Tid, T, &str) -> Found;
/// An assignment to attribute `name` of an object: true when it was handled.
/// A result that may be a raised exception.
type R<T> = Result<T, Raise>;
/// The items of an iterable, when it is one.
/// Builds a class from its parts (name, bases, namespace).
type BuildClass = fn(&mut World, Tid, Rc<String>, Vec<Value>, Value) -> R<Value>;
type Items = Option<Vec<Value>>;
type Assign = fn(&mut World, Tid, ObjId, &str, &Value) -> Result<bool, Raise>;

/// The functions the machine calls in the layers above it.
pub struct Library {
    // A new process's interpreter and its modules.
    /// `object`, the builtin exception classes and the native classes of a new process.
    pub create_classes: fn(&mut Heap) -> Classes,
    /// The `builtins` module's dict.
    pub make_builtins: fn(&mut Heap, &Classes) -> ObjId,
    pub import: fn(&mut World, Tid, &str) -> Result<Value, Raise>,
    pub sys_modules: fn(&mut World, Tid) -> Result<Value, Raise>,
    /// What reading attribute `name` of module `of` raises where the module
    /// lacks it and CPython's has it (`None`: an `AttributeError`).
    pub unsupported_attr: fn(&str, &str) -> Option<Raise>,

    // The object protocol (`types/`).
    pub truthy: Op<Result<bool, Raise>>,
    pub str_of: Op<Result<String, Raise>>,
    pub repr_of: Op<Result<String, Raise>>,
    pub type_name: Op<String>,
    pub class_of: Op<Value>,
    pub class_name: fn(&mut World, Tid, ObjId) -> String,
    pub key_of: Op<Result<Key, Raise>>,
    pub binary: fn(&mut World, Tid, BinOp, &Value, &Value, bool) -> R<Value>,
    pub compare: fn(&mut World, Tid, CmpOp, &Value, &Value) -> Result<bool, Raise>,
    pub getitem: Binary<Found>,
    pub setitem: fn(&mut World, Tid, &Value, Value, Value) -> Result<(), Raise>,
    pub delitem: Binary<Result<(), Raise>>,
    pub get_iter: Op<Result<Value, Raise>>,
    pub iter_next: Op<Result<Option<Value>, Raise>>,
    pub collect_iter: Op<Result<Vec<Value>, Raise>>,
    pub format_value: fn(&mut World, Tid, &Value, &str) -> Result<String, Raise>,
    /// The native method `name` of a builtin type's value.
    pub type_method: fn(&mut World, Tid, &Value, &str) -> Option<&'static NativeDef>,
    pub value_attr: for<'a> fn(&mut World, Tid, &'a Value, &str) -> Found,
    pub descriptor_get: fn(&mut World, Tid, &Value, Value) -> Result<Value, Raise>,
    pub unwrap_class_attr: fn(&mut World, Tid, ObjId, Value) -> Result<Value, Raise>,
    pub super_getattr: Lookup<ObjId>,
    pub is_subclass: fn(&mut World, Tid, ObjId, ObjId) -> bool,
    pub build_class: BuildClass,
    /// Instantiation of builtin classes that need native construction.
    pub construct_builtin: fn(&mut World, Tid, ObjId, &Args) -> R<Option<Flow>>,

    // Exceptions.
    pub exc_is: fn(&mut World, Tid, &Value, Exc) -> bool,
    pub exc_matches: fn(&mut World, Tid, &Value, &Value) -> Result<bool, Raise>,
    pub exc_class_name: Op<String>,
    pub format_exception: fn(&mut World, Tid, &Value, Vec<TbEntry>) -> String,
    pub format_unraisable: Op<String>,
    pub system_exit_code: Op<i32>,

    // Native objects (`stdlib/`): threads, processes, primitives, shared objects.
    /// Whether the payload of an instance answers attribute `name` itself.
    pub payload_serves: fn(&Native, &str) -> bool,
    /// `repr` of an instance with a native payload, when the payload decides it.
    pub native_repr: fn(&mut World, Tid, ObjId, &Native) -> Option<String>,
    /// The items of an iterable native object (a queue's deque, ...).
    pub iterate_native: fn(&mut World, Tid, ObjId) -> R<Items>,
    pub prim_getattr: fn(&mut World, Tid, ObjId, &str) -> Option<Value>,
    pub native_getattr: fn(&mut World, Tid, ObjId, Native, &str) -> Found,
    pub process_getattr: for<'a> fn(&mut World, Tid, &'a ProcObj, &str) -> Found,
    pub shared_getattr: Lookup<usize>,
    pub native_setattr: Assign,
    pub process_setattr: Assign,
    pub shared_setattr: Assign,

    // Threads.
    pub user_excepthook: fn(&mut World, Tid) -> Option<Value>,
    pub excepthook_args: Op<Result<Value, Raise>>,
    pub bootstrap_frames: fn(&mut World, Tid) -> Vec<TbEntry>,
    pub describe_wait: fn(&mut World, Tid, ObjId, &ObjWait) -> BlockedOn,
    pub on_timeout: fn(&mut World, Tid) -> Option<Result<Value, Raise>>,
    pub thread_ended: fn(&mut World, Tid),

    // Processes and signals.
    pub describe_shared: fn(&World, usize, &SharedWait) -> BlockedOn,
    pub unflushed_queue: fn(&World, Pid) -> Option<usize>,
    pub send_scheduled: fn(&mut World, &crate::trace::SignalSpec),
    pub deliver_pending: fn(&mut World, usize) -> bool,
    pub on_exit: fn(&mut World, Pid),
    pub resume_wait: fn(&mut World, Tid, Option<Wait>),
    pub interrupt_shutdown: fn(&mut World, Tid, Raise),

    /// The explorer's reduction: whether a call of the native `name` touches
    /// only its arguments (so it commutes with other threads' steps).
    pub native_commutes: fn(&str) -> bool,
}
