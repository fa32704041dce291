//! wasm-smith modules run on Gauge and on wasmi: same results, traps, globals and memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(wasm) = gauge_fuzz::smith_module(&mut u, true) else {
        return;
    };
    if let Err(divergence) = gauge_fuzz::differential(&wasm, &mut u) {
        panic!("divergence: {divergence}");
    }
});
