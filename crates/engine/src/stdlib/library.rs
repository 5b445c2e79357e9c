//! The [`Library`] a run is given: the builtin types' operations and the
//! standard library's hooks, which the machine calls without naming them.

use super::builtins::{make_builtins, native_commutes};
use super::lookup;
use super::multiprocessing as mp;
use super::signal;
use super::threading as th;
use crate::types as b;
use crate::vm::value::{Heap, Native};
use crate::vm::{Classes, Library};

/// The library every run uses.
pub static LIBRARY: Library = Library {
    create_classes,
    make_builtins,
    import: super::import,
    sys_modules: super::sys::sys_modules,
    unsupported_attr: super::unsupported_attr,

    truthy: b::truthy,
    str_of: b::str_of,
    repr_of: b::repr_of,
    type_name: b::type_name,
    class_of: b::class_of,
    class_name: b::class_name,
    key_of: b::key_of,
    binary: b::binary,
    compare: b::compare,
    getitem: b::getitem,
    setitem: b::setitem,
    delitem: b::delitem,
    get_iter: b::get_iter,
    iter_next: b::iter_next,
    collect_iter: b::collect_iter,
    format_value: b::format_value,
    type_method: b::type_method,
    value_attr: b::value_attr,
    descriptor_get: b::descriptor_get,
    unwrap_class_attr: b::unwrap_class_attr,
    super_getattr: b::super_getattr,
    is_subclass: b::is_subclass,
    build_class: b::build_class,
    construct_builtin: th::construct,

    exc_is: b::exc_is,
    exc_matches: b::exc_matches,
    exc_class_name: b::exc_class_name,
    format_exception: b::format_exception,
    format_unraisable: b::format_unraisable,
    system_exit_code: b::system_exit_code,

    payload_serves,
    native_repr: th::native_repr,
    iterate_native: th::iterate_native,
    prim_getattr: th::sync::prim_getattr,
    native_getattr: th::native_getattr,
    process_getattr: mp::process_getattr,
    shared_getattr: mp::shared_getattr,
    native_setattr: th::native_setattr,
    process_setattr: mp::process_setattr,
    shared_setattr: mp::shared_setattr,

    user_excepthook: th::user_excepthook,
    excepthook_args: th::excepthook_args,
    bootstrap_frames: th::bootstrap_frames,
    describe_wait: th::describe_wait,
    on_timeout: th::on_timeout,
    thread_ended: th::thread_ended,

    describe_shared: mp::describe_shared,
    unflushed_queue: mp::unflushed_queue,
    send_scheduled: signal::send_scheduled,
    deliver_pending: signal::deliver_pending,
    on_exit: mp::on_exit,
    resume_wait: signal::resume_wait,
    interrupt_shutdown: signal::interrupt_shutdown,

    native_commutes,
};

/// `object`, the exceptions, then the classes of `threading` and `multiprocessing`.
fn create_classes(heap: &mut Heap) -> Classes {
    let mut c = b::create_classes(heap);
    th::create_classes(heap, &mut c);
    mp::create_classes(heap, &mut c);
    c
}

/// Whether the payload of an instance answers attribute `name` itself: the
/// payload's table of getters has it.
fn payload_serves(native: &Native, name: &str) -> bool {
    match native {
        Native::None | Native::Exception { .. } => false,
        Native::Thread(_) => lookup(th::THREAD_ATTRS, name).is_some(),
        Native::Process(_) => lookup(mp::process::PROCESS_ATTRS, name).is_some(),
        Native::Prim(_) => lookup(th::sync::PRIM_ATTRS, name).is_some(),
        Native::Shared(_) => lookup(mp::shared::SHARED_ATTRS, name).is_some(),
    }
}
