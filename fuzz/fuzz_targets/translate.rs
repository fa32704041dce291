//! Arbitrary bytes (and wasm-smith modules): validation and translation never panic, and the
//! translator's work stays below a constant times the input size.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gauge_fuzz::check_translation(data);
    let mut u = arbitrary::Unstructured::new(data);
    if let Ok(wasm) = gauge_fuzz::smith_module(&mut u, false) {
        gauge_fuzz::check_translation(&wasm);
    }
});
