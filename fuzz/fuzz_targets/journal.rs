//! Contracts performing real WASI storage operations and nested calls on gauge-wasi-shim,
//! checked against a model of the journal: errnos, bytes read, final storage, commit and
//! revert, determinism.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(scenario) = gauge_fuzz::journal::Scenario::arbitrary(&mut u) else {
        return;
    };
    if let Err(finding) = gauge_fuzz::journal::journal(&scenario) {
        panic!("journal: {finding}");
    }
});
