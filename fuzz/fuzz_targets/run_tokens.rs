//! Bytes as choices among Python statements and expressions: mostly valid
//! scripts that use threads, locks, queues and the rest of the simulated library.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = threadline_fuzz::generate(data);
    threadline_fuzz::run_and_check(&source, data.len());
});
