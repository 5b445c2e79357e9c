//! CPU time, next to wall time: on a shared machine the wall time of a run also counts the time
//! other processes had the core, while CPU time counts only the run itself.
//!
//! Linux only, through the C library the standard library already links (no extra crate);
//! elsewhere every function returns `None`.

#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
mod imp {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }

    #[repr(C)]
    struct Timeval {
        tv_sec: i64,
        tv_usec: i64,
    }

    /// `struct rusage`: two `timeval`s, then fourteen `long` counters.
    #[repr(C)]
    struct Rusage {
        ru_utime: Timeval,
        ru_stime: Timeval,
        counters: [i64; 14],
    }

    extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
        fn getrusage(who: i32, usage: *mut Rusage) -> i32;
    }

    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    const RUSAGE_CHILDREN: i32 = -1;

    pub fn thread_ms() -> Option<f64> {
        let mut ts = Timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: `ts` is a valid, writable `struct timespec` for the duration of the call.
        let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        (rc == 0).then(|| ts.tv_sec as f64 * 1e3 + ts.tv_nsec as f64 / 1e6)
    }

    pub fn children_ms() -> Option<f64> {
        let zero = || Timeval { tv_sec: 0, tv_usec: 0 };
        let mut ru = Rusage {
            ru_utime: zero(),
            ru_stime: zero(),
            counters: [0; 14],
        };
        // SAFETY: `ru` is a valid, writable `struct rusage` for the duration of the call.
        let rc = unsafe { getrusage(RUSAGE_CHILDREN, &mut ru) };
        let ms = |t: &Timeval| t.tv_sec as f64 * 1e3 + t.tv_usec as f64 / 1e3;
        (rc == 0).then(|| ms(&ru.ru_utime) + ms(&ru.ru_stime))
    }
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
mod imp {
    pub fn thread_ms() -> Option<f64> {
        None
    }

    pub fn children_ms() -> Option<f64> {
        None
    }
}

/// CPU time (user + system) the calling thread has used, in milliseconds.
pub fn thread_ms() -> Option<f64> {
    imp::thread_ms()
}

/// CPU time (user + system) of all terminated, waited-for child processes, in milliseconds.
pub fn children_ms() -> Option<f64> {
    imp::children_ms()
}

#[cfg(test)]
mod tests {
    #[test]
    fn thread_cpu_time_advances_with_work() {
        let Some(before) = super::thread_ms() else {
            return;
        };
        let mut x = 0u64;
        for i in 0..5_000_000u64 {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
        }
        let after = super::thread_ms().unwrap();
        assert!(after > before, "{before} -> {after} ({x})");
    }

    #[test]
    fn children_cpu_time_is_readable() {
        if cfg!(target_os = "linux") {
            assert!(super::children_ms().is_some_and(|ms| ms >= 0.0));
        }
    }
}
