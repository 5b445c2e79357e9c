//! The builtin exception classes, declared once: each one's name, base and,
//! for those of a library module, the qualified name a traceback shows.
//! Native code raises and tests them through [`Exc`], so a misspelt name does
//! not compile; classes a script defines are ordinary classes.

/// Declares [`Exc`]: one row per class, bases before the classes that derive
/// from them. `Name: Base` is a builtin; `Name("class name" as "qualified"):
/// Base` a class of a library module (the class name may differ from the
/// variant's, the qualified name is what a traceback prints).
macro_rules! exceptions {
    ($($exc:ident $(($($name:literal)? as $qual:literal))? : $base:ident;)*) => {
        /// A builtin exception class.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Exc {
            $($exc,)*
        }

        impl Exc {
            /// Every class, bases first.
            pub const ALL: &'static [Exc] = &[$(Exc::$exc,)*];

            /// The class's `__name__` in the simulator.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Exc::$exc => exceptions!(@name $exc $($($name)?)?),)*
                }
            }

            /// The base class (`None` for `BaseException`, whose base is `object`).
            pub const fn base(self) -> Option<Exc> {
                match self {
                    $(Exc::$exc => exceptions!(@base $base),)*
                }
            }

            /// The module-qualified name of a library module's class
            /// (`_queue.Empty`); `None` for a builtin.
            pub const fn qualified(self) -> Option<&'static str> {
                match self {
                    $(Exc::$exc => exceptions!(@qual $($qual)?),)*
                }
            }
        }
    };
    (@name $exc:ident $name:literal) => { $name };
    (@name $exc:ident) => { stringify!($exc) };
    (@base Object) => { None };
    (@base $base:ident) => { Some(Exc::$base) };
    (@qual $qual:literal) => { Some($qual) };
    (@qual) => { None };
}

exceptions! {
    BaseException: Object;
    Exception: BaseException;
    SystemExit: BaseException;
    KeyboardInterrupt: BaseException;
    GeneratorExit: BaseException;
    ArithmeticError: Exception;
    ZeroDivisionError: ArithmeticError;
    OverflowError: ArithmeticError;
    LookupError: Exception;
    KeyError: LookupError;
    IndexError: LookupError;
    ValueError: Exception;
    TypeError: Exception;
    RuntimeError: Exception;
    RecursionError: RuntimeError;
    NotImplementedError: RuntimeError;
    AttributeError: Exception;
    NameError: Exception;
    UnboundLocalError: NameError;
    AssertionError: Exception;
    StopIteration: Exception;
    ImportError: Exception;
    ModuleNotFoundError: ImportError;
    MemoryError: Exception;
    OSError: Exception;
    TimeoutError: OSError;
    ProcessLookupError: OSError;
    ChildProcessError: OSError;
    PermissionError: OSError;
    FileNotFoundError: OSError;
    InterruptedError: OSError;
    ConnectionError: OSError;
    BrokenPipeError: ConnectionError;
    ConnectionResetError: ConnectionError;
    ConnectionRefusedError: ConnectionError;
    ConnectionAbortedError: ConnectionError;
    EOFError: Exception;
    PicklingError: Exception;
    MpTimeoutError("mp.TimeoutError" as "multiprocessing.context.TimeoutError"): Exception;
    BrokenBarrierError(as "threading.BrokenBarrierError"): RuntimeError;
    Empty(as "_queue.Empty"): Exception;
    Full(as "queue.Full"): Exception;
    CancelledError(as "concurrent.futures._base.CancelledError"): Exception;
    InvalidStateError(as "concurrent.futures._base.InvalidStateError"): Exception;
    BrokenExecutor(as "concurrent.futures._base.BrokenExecutor"): RuntimeError;
    BrokenProcessPool(as "concurrent.futures.process.BrokenProcessPool"): BrokenExecutor;
    RemoteTraceback("_RemoteTraceback" as "concurrent.futures.process._RemoteTraceback"): Exception;
}

impl Exc {
    /// The builtin class named `name` (its `__name__` in the simulator).
    pub fn from_name(name: &str) -> Option<Exc> {
        Exc::ALL.iter().copied().find(|e| e.name() == name)
    }

    /// The name a traceback shows: qualified for a library module's class.
    pub fn shown(self) -> &'static str {
        self.qualified().unwrap_or(self.name())
    }

    /// Whether the class is a name of the `builtins` module.
    pub fn is_builtin(self) -> bool {
        self.qualified().is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_come_first_and_names_are_unique() {
        for (i, e) in Exc::ALL.iter().enumerate() {
            assert_eq!(*e as usize, i);
            if let Some(b) = e.base() {
                assert!((b as usize) < i, "{e:?} before its base");
            }
            assert_eq!(Exc::from_name(e.name()), Some(*e));
        }
        assert_eq!(Exc::MpTimeoutError.name(), "mp.TimeoutError");
        assert_eq!(Exc::Empty.shown(), "_queue.Empty");
        assert_eq!(Exc::TypeError.shown(), "TypeError");
    }
}
