//! wasm-smith modules run on Gauge and on wasmi: same results, traps, globals and memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(wasm) = gauge_fuzz::smith_module(&mut u, true) else {
        return;
    };
    // A known oracle divergence (wasmi 2.0 alone disagrees, wasmi 0.31 agrees with Gauge)
    // is reported on stderr by the check itself and is not a finding.
    if let Err(divergence) = gauge_fuzz::differential(&wasm, &mut u) {
        panic!("{divergence}");
    }
});
