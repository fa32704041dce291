//! Sets `cfg(gauge_tail_calls)` where the executor's handlers may jump to one another by tail
//! calls (see `src/exec/fast.rs`): optimized builds for targets on which LLVM turns a call in
//! tail position into a jump (x86-64 and AArch64). Elsewhere, and in unoptimized builds, each
//! handler returns to the dispatch loop instead, which is slower but runs the same code.
//!
//! Sanitizers and debug assertions turn the threaded code off too: AddressSanitizer instruments
//! the stack of some handlers, and the precondition checks of debug assertions take the
//! address of a load's bytes on the stack; either way the call to the next handler has to come
//! back and is no longer a jump, so a long loop would overflow the stack (both seen). Debug
//! assertions are checked in `src/exec/fast.rs` itself (`cfg(debug_assertions)`), as the
//! build script's environment does not tell them reliably. `GAUGE_TAIL_CALLS=0` in the build's
//! environment turns it off anywhere, and so does the feature `op-profile` (every instruction
//! must pass the dispatch loop to be counted). The unit test
//! `every_handler_loops_in_constant_stack` fails if a build with `cfg(gauge_tail_calls)` grows
//! the stack.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=GAUGE_TAIL_CALLS");
    println!("cargo::rustc-check-cfg=cfg(gauge_tail_calls)");
    let opt = std::env::var("OPT_LEVEL").unwrap_or_default();
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let sanitized = std::env::var_os("CARGO_CFG_SANITIZE").is_some();
    let refused = std::env::var("GAUGE_TAIL_CALLS").is_ok_and(|v| v == "0")
        || std::env::var_os("CARGO_FEATURE_OP_PROFILE").is_some();
    let optimized = matches!(opt.as_str(), "2" | "3" | "s" | "z");
    let sibling_calls = matches!(arch.as_str(), "x86_64" | "aarch64");
    if optimized && sibling_calls && !sanitized && !refused {
        println!("cargo::rustc-cfg=gauge_tail_calls");
    }
}
