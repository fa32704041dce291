//! wasm-smith WASI programs (any preview1 imports, `_start`, one exported memory) run on
//! gauge-wasi-shim: no panic, no `Err`, deterministic, reverts leave the root unchanged, gas
//! within the limit.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

static IMPORTS: OnceLock<Vec<u8>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let imports = IMPORTS.get_or_init(gauge_fuzz::wasi_imports);
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(setup) = gauge_fuzz::ShimSetup::arbitrary(&mut u) else {
        return;
    };
    let Ok(wasm) = gauge_fuzz::smith_wasi_module(&mut u, imports) else {
        return;
    };
    if let Err(finding) = gauge_fuzz::shim(&wasm, &setup) {
        panic!("shim: {finding}");
    }
});
