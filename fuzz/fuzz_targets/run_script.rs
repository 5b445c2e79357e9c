//! Arbitrary bytes, read as UTF-8 (invalid sequences replaced), as a script.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    threadline_fuzz::run_and_check(&source, data.len());
});
