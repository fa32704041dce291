//! wasm-smith modules run on Gauge and on wasmi: same results, traps, globals and memory.
//!
//! With `GAUGE_FUZZ_RAW_WASM=1` in the environment (which the fuzzer cannot set), each input is
//! a module itself (binary or text) and every export is called with zero arguments: a way to
//! run hand-written checks such as `checks/long-loop.wat` through the binary as built.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static RAW_WASM: LazyLock<bool> =
    LazyLock::new(|| std::env::var_os("GAUGE_FUZZ_RAW_WASM").is_some_and(|v| v == "1"));

fuzz_target!(|data: &[u8]| {
    if *RAW_WASM {
        let wasm = wat::parse_bytes(data).expect("GAUGE_FUZZ_RAW_WASM: a module");
        // Whether a hand-written module canonicalizes its NaNs is unknown: wasmi 0.31 breaks
        // a tie only up to the divergent step.
        let verdict =
            gauge_fuzz::differential(&wasm, false, &mut arbitrary::Unstructured::new(&[]));
        eprintln!("GAUGE_FUZZ_RAW_WASM: {verdict:?}");
        verdict.expect("engines agree");
        return;
    }
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(smith) = gauge_fuzz::smith(&mut u, true) else {
        return;
    };
    // A known oracle divergence (wasmi 2.0 alone disagrees, wasmi 0.31 agrees with Gauge)
    // is reported on stderr by the check itself and is not a finding.
    if let Err(divergence) = gauge_fuzz::differential(&smith.wasm, smith.canonical_nans, &mut u) {
        panic!("{divergence}");
    }
});
