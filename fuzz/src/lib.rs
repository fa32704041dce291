//! Shared pieces of Gauge's fuzz targets: module generation, the engines under test behind one
//! [`Oracle`] trait, and the checks each target runs. Targets in `fuzz_targets/` are thin.
//!
//! A check returns `Err(description)` on a divergence; targets turn that into a panic so that
//! libFuzzer records the input.

// `hash_memory` opts out of AddressSanitizer: see there.
#![feature(sanitize)]

pub mod journal;

use arbitrary::{Arbitrary, Unstructured};
use gauge_interpreter as gauge;
use gauge_metering::{GAS_FUNC, GAS_MODULE, Schedule, instrument};

/// Translation work allowed per byte of input, and a constant for once-per-module costs (the
/// per-local table grows once to the largest local index used, at most 50,000).
pub const STEPS_PER_BYTE: u64 = 16;
/// See [`STEPS_PER_BYTE`].
pub const STEPS_CONSTANT: u64 = 65_536;

/// Largest memory, in 64 KiB pages, of every engine in the differential and metering checks
/// (64 MiB), set on Gauge's `Config` and as the byte limit of both wasmis' stores, so that all
/// three refuse the same `memory.grow` (it returns -1). Smaller than Gauge's default (16,384
/// pages, 1 GiB): the checks hash each engine's memory after every step, and a module that
/// grows its memory to 1 GiB in its first call made every later call hash it again (a 69 s
/// timeout, Findings in `fuzz/README.md`).
pub const MAX_MEMORY_PAGES: u32 = 1_024;
/// Largest table, in elements, of every engine in the differential and metering checks:
/// Gauge's default, set like [`MAX_MEMORY_PAGES`] (a refused `table.grow` returns -1).
pub const MAX_TABLE_ELEMENTS: u32 = 1 << 20;
/// A WebAssembly page in bytes.
const WASM_PAGE_SIZE: usize = 65_536;

/// Fuel wasm-smith's `ensure_termination` gives each run (loops and calls decrement it).
const SMITH_FUEL: u32 = 5_000;

/// Restrict a wasm-smith configuration to the features Gauge supports (Wasm 2.0 without
/// SIMD) and to at most 4 tables of at most 10,000 elements.
fn gauge_features(c: &mut wasm_smith::Config) {
    c.simd_enabled = false;
    c.relaxed_simd_enabled = false;
    c.threads_enabled = false;
    c.shared_everything_threads_enabled = false;
    c.exceptions_enabled = false;
    c.gc_enabled = false;
    c.tail_call_enabled = false;
    c.memory64_enabled = false;
    c.custom_page_sizes_enabled = false;
    c.wide_arithmetic_enabled = false;
    c.extended_const_enabled = false;
    c.compact_imports_enabled = false;
    c.custom_descriptors_enabled = false;
    c.acquire_release_atomics_enabled = false;
    c.multibyte_array_access_enabled = false;
    c.reference_types_enabled = true;
    c.bulk_memory_enabled = true;
    c.max_tables = c.max_tables.min(4);
    c.max_table_elements = c.max_table_elements.min(10_000);
}

/// Generate the module, with `ensure_termination` when `terminating`.
fn smith_build(
    c: wasm_smith::Config,
    u: &mut Unstructured<'_>,
    terminating: bool,
) -> arbitrary::Result<Vec<u8>> {
    let mut m = wasm_smith::Module::new(c, u)?;
    if terminating {
        m.ensure_termination(SMITH_FUEL)
            .map_err(|_| arbitrary::Error::IncorrectFormat)?;
    }
    Ok(m.to_bytes())
}

/// A generated module and whether wasm-smith canonicalized its NaNs.
#[derive(Debug, Clone)]
pub struct Smith {
    /// The module's binary.
    pub wasm: Vec<u8>,
    /// wasm-smith's `canonicalize_nans` (chosen by the input): every float operation that can
    /// make a NaN is followed by code replacing any NaN with the canonical one, so every engine
    /// computes the same bits, even one that does not canonicalize (wasmi 0.31, V8). Without
    /// it, NaN payloads may legitimately differ between engines: Gauge and wasmi 2.0
    /// (`deterministic`) both canonicalize and are still compared bit for bit, but wasmi 0.31
    /// is not (see [`judge`]).
    pub canonical_nans: bool,
}

/// A wasm-smith module restricted to the features Gauge supports (Wasm 2.0 without SIMD),
/// without imports, exporting everything. With `terminating`, every loop and call consumes
/// a fuel global so that each call ends. NaN canonicalization is left to the input: half of
/// the modules check Gauge's own NaN canonicalization against wasmi 2.0's.
pub fn smith(u: &mut Unstructured<'_>, terminating: bool) -> arbitrary::Result<Smith> {
    let mut c = wasm_smith::Config::arbitrary(u)?;
    gauge_features(&mut c);
    c.max_memories = c.max_memories.min(1);
    c.max_memory32_bytes = c.max_memory32_bytes.min(1 << 24);
    c.max_imports = 0;
    c.available_imports = None;
    c.export_everything = true;
    let canonical_nans = c.canonicalize_nans;
    let wasm = smith_build(c, u, terminating)?;
    Ok(Smith {
        wasm,
        canonical_nans,
    })
}

/// The binary of [`smith`]'s module.
pub fn smith_module(u: &mut Unstructured<'_>, terminating: bool) -> arbitrary::Result<Vec<u8>> {
    smith(u, terminating).map(|s| s.wasm)
}

/// Validation and translation of `bytes` never panic (with and without metering), and the
/// translator's work stays within `STEPS_PER_BYTE × size + STEPS_CONSTANT`.
pub fn check_translation(bytes: &[u8]) {
    let mut metered = gauge::Config::default();
    metered.gas(Schedule::v1());
    for config in [gauge::Config::default(), metered] {
        let engine = gauge::Engine::new(&config);
        if let Ok(module) = gauge::Module::from_binary(&engine, bytes) {
            let steps = module.translation_steps();
            let bound = STEPS_PER_BYTE * bytes.len() as u64 + STEPS_CONSTANT;
            assert!(
                steps <= bound,
                "{steps} translation steps for {} bytes",
                bytes.len()
            );
        }
    }
}

/// A value passed to or returned from an export (floats as bits, references by nullness).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Val {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`'s bits.
    F32(u32),
    /// An `f64`'s bits.
    F64(u64),
    /// A reference: whether it is null.
    Ref { null: bool },
}

impl Val {
    /// Equal, treating any two NaNs of a width as equal (engines may differ in NaN bits where
    /// the spec allows it; Gauge's own canonical NaNs are checked by its tests).
    pub fn same(&self, other: &Val) -> bool {
        match (self, other) {
            (Val::F32(a), Val::F32(b)) => {
                a == b || (f32::from_bits(*a).is_nan() && f32::from_bits(*b).is_nan())
            }
            (Val::F64(a), Val::F64(b)) => {
                a == b || (f64::from_bits(*a).is_nan() && f64::from_bits(*b).is_nan())
            }
            _ => self == other,
        }
    }
}

/// How a call ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Returned these values.
    Returned(Vec<Val>),
    /// Trapped (the message, for reports).
    Trapped(String),
    /// Ran out of call stack: depth is engine-specific, so the call is not compared.
    Exhausted,
    /// The engine itself panicked (the panic's message and location): never the same as any
    /// other outcome. Only an oracle wrapped in [`Unwinding`] reports it.
    Panicked(String),
}

/// The type of an exported function, as far as fuzzing needs it.
#[derive(Debug, Clone)]
pub struct Export {
    /// Export name.
    pub name: String,
    /// Parameter types.
    pub params: Vec<gauge::ValType>,
}

/// An engine under test.
pub trait Oracle {
    /// Engine name, for reports.
    fn name(&self) -> &'static str;
    /// Instantiate the module (running its start function).
    fn instantiate(&mut self, wasm: &[u8]) -> Result<(), String>;
    /// Call an export.
    fn call(&mut self, name: &str, args: &[Val]) -> Outcome;
    /// Values of every exported global, by name order.
    fn globals(&mut self) -> Vec<(String, Val)>;
    /// A hash of every exported memory's contents, by name order.
    fn memory_hash(&mut self) -> Vec<(String, u64)>;
    /// Gas of the last call (or instantiation): Gauge's built-in count, or what an instrumented
    /// module reported through `gauge.gas` on wasmi (0 for uninstrumented modules).
    fn gas(&self) -> u64;
    /// The panic that broke this engine, if it panicked (see [`Unwinding`]).
    fn panic(&self) -> Option<&str> {
        None
    }
}

std::thread_local! {
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Run `f`, turning a panic into `Err(message and location)`. The panic hook (libfuzzer-sys's
/// aborts the process) is replaced by one that records the message for the duration.
fn unwinding<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(info.to_string()));
    }));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.map_err(|_| {
        LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| "a panic".into())
    })
}

/// An oracle whose panics are outcomes rather than crashes: a panic in it becomes
/// [`Outcome::Panicked`] (an instantiation that panicked is a step with that outcome), which
/// differs from every outcome of Gauge, so wasmi 0.31 breaks the tie (see [`judge`]). After a
/// panic the engine is not used again. For wasmi 2.0 only: its translator reaches
/// `unreachable!()` on some valid modules (Findings in `fuzz/README.md`); a panic of Gauge or of
/// the tie-breaker stays a crash.
pub struct Unwinding<O> {
    inner: O,
    panic: Option<String>,
}

impl<O: Oracle> Unwinding<O> {
    /// Wrap `inner`.
    pub fn new(inner: O) -> Self {
        Self { inner, panic: None }
    }

    fn guard<R>(&mut self, default: R, f: impl FnOnce(&mut O) -> R) -> R {
        if self.panic.is_some() {
            return default;
        }
        match unwinding(|| f(&mut self.inner)) {
            Ok(r) => r,
            Err(message) => {
                self.panic = Some(message);
                default
            }
        }
    }
}

impl<O: Oracle> Oracle for Unwinding<O> {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn instantiate(&mut self, wasm: &[u8]) -> Result<(), String> {
        let r = self.guard(Err(String::new()), |o| o.instantiate(wasm));
        match &self.panic {
            Some(p) => Err(format!("panicked: {p}")),
            None => r,
        }
    }

    fn call(&mut self, name: &str, args: &[Val]) -> Outcome {
        let outcome = self.guard(Outcome::Returned(Vec::new()), |o| o.call(name, args));
        match &self.panic {
            Some(p) => Outcome::Panicked(p.clone()),
            None => outcome,
        }
    }

    fn globals(&mut self) -> Vec<(String, Val)> {
        self.guard(Vec::new(), |o| o.globals())
    }

    fn memory_hash(&mut self) -> Vec<(String, u64)> {
        self.guard(Vec::new(), |o| o.memory_hash())
    }

    fn gas(&self) -> u64 {
        self.inner.gas()
    }

    fn panic(&self) -> Option<&str> {
        self.panic.as_deref()
    }
}

/// Named values in name order.
fn by_name<T>(mut v: Vec<(String, T)>) -> Vec<(String, T)> {
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// A hash of a memory's contents, the same function for every engine's view of it. A
/// byte-wise hash of a 16 MiB memory after every step, coverage-instrumented, made one input
/// take 21 s of CPU in the harness; this one reads 64 bytes per loop iteration into four
/// independent 64-bit lanes, with straight-line code inside the loop (libFuzzer's
/// comparison tracing costs per branch, not per byte). The tail and the length are folded in,
/// so every byte counts.
///
/// It reads only within `data` (arrays, no indexing), so it is built without AddressSanitizer:
/// the shadow check of each load, itself traced as a comparison by libFuzzer, cost more than
/// the hash.
#[sanitize(address = "off")]
fn hash_memory(data: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    // Shifts, not `rotate_left`: the fuzz build did not inline that intrinsic (11% of the
    // time of the slow input).
    #[inline(always)]
    #[allow(clippy::manual_rotate)]
    fn mix(lane: u64, w: [u8; 8]) -> u64 {
        ((lane << 5 | lane >> 59) ^ u64::from_le_bytes(w)).wrapping_mul(K)
    }
    // Arrays all the way down: no length checks (branches) inside the loop.
    let (words, rest) = data.as_chunks::<8>();
    let (blocks, rest_words) = words.as_chunks::<8>();
    let (mut a, mut b, mut c, mut d) = (K, K.rotate_left(16), K.rotate_left(32), K.rotate_left(48));
    for &[w0, w1, w2, w3, w4, w5, w6, w7] in blocks {
        a = mix(mix(a, w0), w4);
        b = mix(mix(b, w1), w5);
        c = mix(mix(c, w2), w6);
        d = mix(mix(d, w3), w7);
    }
    let mut h = mix(a, (data.len() as u64).to_le_bytes());
    for lane in [b, c, d] {
        h = mix(h, lane.to_le_bytes());
    }
    for w in rest_words {
        h = mix(h, *w);
    }
    let mut tail = [0u8; 8];
    tail[..rest.len()].copy_from_slice(rest);
    h = mix(h, tail);
    h ^ (h >> 32)
}

fn to_gauge(v: &Val) -> gauge::Value {
    match *v {
        Val::I32(x) => gauge::Value::I32(x),
        Val::I64(x) => gauge::Value::I64(x),
        Val::F32(x) => gauge::Value::F32(gauge::F32::from_bits(x)),
        Val::F64(x) => gauge::Value::F64(gauge::F64::from_bits(x)),
        Val::Ref { .. } => gauge::Value::FuncRef(None),
    }
}

fn from_gauge(v: &gauge::Value) -> Val {
    match v {
        gauge::Value::I32(x) => Val::I32(*x),
        gauge::Value::I64(x) => Val::I64(*x),
        gauge::Value::F32(x) => Val::F32(x.to_bits()),
        gauge::Value::F64(x) => Val::F64(x.to_bits()),
        gauge::Value::FuncRef(f) => Val::Ref { null: f.is_none() },
        gauge::Value::ExternRef(e) => Val::Ref { null: e.is_none() },
    }
}

/// Gauge, optionally metered.
pub struct GaugeOracle {
    engine: gauge::Engine,
    store: gauge::Store<()>,
    instance: Option<gauge::Instance>,
    /// Gas limit set before each call when metered.
    pub gas_limit: u64,
}

impl GaugeOracle {
    /// A fresh Gauge; `schedule` turns metering on.
    pub fn new(schedule: Option<Schedule>) -> Self {
        let mut config = gauge::Config::default();
        config
            .max_call_depth(1_000)
            .max_memory_pages(MAX_MEMORY_PAGES)
            .max_table_elements(MAX_TABLE_ELEMENTS);
        if let Some(s) = schedule {
            config.gas(s);
        }
        let engine = gauge::Engine::new(&config);
        let store = gauge::Store::new(&engine, ());
        Self {
            engine,
            store,
            instance: None,
            gas_limit: u64::MAX,
        }
    }

    /// Pages of the largest exported memory (0 without one, or before instantiation).
    pub fn memory_pages(&self) -> u32 {
        let Some(inst) = self.instance else {
            return 0;
        };
        inst.exports(&self.store)
            .filter_map(|(_, e)| Some(e.into_memory()?.size(&self.store)))
            .max()
            .unwrap_or(0)
    }

    /// Gas used by the last call (or instantiation).
    pub fn gas_used(&self) -> u64 {
        self.store.gas_used()
    }

    /// Exported functions whose parameters fuzzing can supply.
    pub fn exports(&self) -> Vec<Export> {
        let Some(inst) = self.instance else {
            return Vec::new();
        };
        inst.exports(&self.store)
            .filter_map(|(name, ext)| {
                let f = ext.into_func()?;
                Some(Export {
                    name: name.to_string(),
                    params: f.ty(&self.store).params().to_vec(),
                })
            })
            .collect()
    }
}

impl Oracle for GaugeOracle {
    fn name(&self) -> &'static str {
        "gauge"
    }

    fn instantiate(&mut self, wasm: &[u8]) -> Result<(), String> {
        let module = gauge::Module::from_binary(&self.engine, wasm).map_err(|e| e.to_string())?;
        self.store.set_gas(self.gas_limit);
        let inst = gauge::Linker::new(&self.engine)
            .instantiate(&mut self.store, &module)
            .map_err(|e| e.to_string())?;
        self.instance = Some(inst);
        Ok(())
    }

    fn call(&mut self, name: &str, args: &[Val]) -> Outcome {
        let inst = self.instance.expect("instantiated");
        let f = inst.get_func(&self.store, name).expect("export exists");
        let ty = f.ty(&self.store);
        let args: Vec<gauge::Value> = args.iter().map(to_gauge).collect();
        let mut results: Vec<gauge::Value> = ty
            .results()
            .iter()
            .map(|t| gauge::Value::default_for(*t))
            .collect();
        self.store.set_gas(self.gas_limit);
        match f.call(&mut self.store, &args, &mut results) {
            Ok(()) => Outcome::Returned(results.iter().map(from_gauge).collect()),
            Err(gauge::Error::Trap(gauge::TrapCode::StackExhausted)) => Outcome::Exhausted,
            Err(e) => Outcome::Trapped(e.to_string()),
        }
    }

    fn globals(&mut self) -> Vec<(String, Val)> {
        let Some(inst) = self.instance else {
            return Vec::new();
        };
        by_name(
            inst.exports(&self.store)
                .filter_map(|(n, e)| {
                    Some((
                        n.to_string(),
                        from_gauge(&e.into_global()?.get(&self.store)),
                    ))
                })
                .collect(),
        )
    }

    fn memory_hash(&mut self) -> Vec<(String, u64)> {
        let Some(inst) = self.instance else {
            return Vec::new();
        };
        by_name(
            inst.exports(&self.store)
                .filter_map(|(n, e)| {
                    Some((
                        n.to_string(),
                        hash_memory(e.into_memory()?.data(&self.store)),
                    ))
                })
                .collect(),
        )
    }

    fn gas(&self) -> u64 {
        self.gas_used()
    }
}

/// What a wasmi store holds: the gas an instrumented module reported through `gauge.gas`, and
/// the store's resource limits (`StoreLimits` of wasmi 2.0 or of wasmi 0.31).
pub struct WasmiData<L> {
    /// Sum of the `gauge.gas` calls since the last call (or instantiation) started.
    pub gas: u64,
    /// The limiter [`MAX_MEMORY_PAGES`] and [`MAX_TABLE_ELEMENTS`] configure.
    limits: L,
}

/// A wasmi oracle: wasmi 2.0 and wasmi 0.31 have the same API shape under different crate
/// paths, so one definition serves both. Each sums the `gauge.gas` calls of an instrumented
/// module in its store's data, and limits memories and tables like Gauge ([`MAX_MEMORY_PAGES`],
/// [`MAX_TABLE_ELEMENTS`]): a grow past them returns -1 on every engine (without the limit,
/// wasmi 2.0 grew a memory to gigabytes and libFuzzer stopped on out-of-memory). What differs
/// is passed in: how a module is instantiated (and started), how a missing export and a stack
/// overflow show, and the value conversions.
macro_rules! wasmi_oracle {
    (
        $(#[$attr:meta])*
        $oracle:ident, $w:ident, name: $name:literal, value: $value:ty,
        default: $default:path, from: $from:ident, to: $to:ident,
        instantiate: $instantiate:expr, missing_export: $missing:expr,
        stack_overflow: $overflow:expr $(,)?
    ) => {
        $(#[$attr])*
        pub struct $oracle {
            store: $w::Store<WasmiData<$w::StoreLimits>>,
            linker: $w::Linker<WasmiData<$w::StoreLimits>>,
            instance: Option<$w::Instance>,
        }

        impl Default for $oracle {
            fn default() -> Self {
                Self::new()
            }
        }

        impl $oracle {
            /// A fresh engine with a `gauge.gas` import that adds its argument to the store's
            /// counter, and Gauge's memory and table limits (a refused grow returns -1: the
            /// limiter does not trap).
            pub fn new() -> Self {
                let engine = $w::Engine::default();
                let limits = $w::StoreLimitsBuilder::new()
                    .memory_size(MAX_MEMORY_PAGES as usize * WASM_PAGE_SIZE)
                    .table_elements(MAX_TABLE_ELEMENTS as _)
                    .trap_on_grow_failure(false)
                    .build();
                let mut store = $w::Store::new(&engine, WasmiData { gas: 0, limits });
                store.limiter(|data| &mut data.limits);
                let mut linker = $w::Linker::new(&engine);
                linker
                    .func_wrap(
                        GAS_MODULE,
                        GAS_FUNC,
                        |mut c: $w::Caller<'_, WasmiData<$w::StoreLimits>>, amount: i64| {
                            c.data_mut().gas += amount as u64;
                        },
                    )
                    .expect("defined once");
                Self {
                    store,
                    linker,
                    instance: None,
                }
            }

            /// Gas the instrumented module reported since the last call started.
            pub fn gas(&self) -> u64 {
                self.store.data().gas
            }
        }

        impl Oracle for $oracle {
            fn name(&self) -> &'static str {
                $name
            }

            fn instantiate(&mut self, wasm: &[u8]) -> Result<(), String> {
                let module =
                    $w::Module::new(self.store.engine(), wasm).map_err(|e| e.to_string())?;
                self.store.data_mut().gas = 0;
                let instantiate: fn(
                    &$w::Linker<WasmiData<$w::StoreLimits>>,
                    &mut $w::Store<WasmiData<$w::StoreLimits>>,
                    &$w::Module,
                ) -> Result<$w::Instance, $w::Error> = $instantiate;
                let inst = instantiate(&self.linker, &mut self.store, &module)
                    .map_err(|e| e.to_string())?;
                self.instance = Some(inst);
                Ok(())
            }

            fn call(&mut self, name: &str, args: &[Val]) -> Outcome {
                let inst = self.instance.expect("instantiated");
                let Some(f) = inst.get_func(&self.store, name) else {
                    let missing: fn(&str) -> Outcome = $missing;
                    return missing(name);
                };
                let ty = f.ty(&self.store);
                let args: Vec<$value> = args.iter().map($to).collect();
                let mut results: Vec<$value> =
                    ty.results().iter().map(|t| $default(*t)).collect();
                self.store.data_mut().gas = 0;
                let overflow: fn(&$w::Error) -> bool = $overflow;
                match f.call(&mut self.store, &args, &mut results) {
                    Ok(()) => Outcome::Returned(results.iter().map($from).collect()),
                    Err(e) if overflow(&e) => Outcome::Exhausted,
                    Err(e) => Outcome::Trapped(e.to_string()),
                }
            }

            fn globals(&mut self) -> Vec<(String, Val)> {
                let Some(inst) = self.instance else {
                    return Vec::new();
                };
                by_name(
                    inst.exports(&self.store)
                        .filter_map(|e| {
                            let name = e.name().to_string();
                            let g = e.into_global()?;
                            Some((name, $from(&g.get(&self.store))))
                        })
                        .collect(),
                )
            }

            fn memory_hash(&mut self) -> Vec<(String, u64)> {
                let Some(inst) = self.instance else {
                    return Vec::new();
                };
                by_name(
                    inst.exports(&self.store)
                        .filter_map(|e| {
                            let name = e.name().to_string();
                            let m = e.into_memory()?;
                            Some((name, hash_memory(m.data(&self.store))))
                        })
                        .collect(),
                )
            }

            fn gas(&self) -> u64 {
                $oracle::gas(self)
            }
        }
    };
}

fn to_wasmi(v: &Val) -> wasmi::Val {
    match *v {
        Val::I32(x) => wasmi::Val::I32(x),
        Val::I64(x) => wasmi::Val::I64(x),
        Val::F32(x) => wasmi::Val::F32(wasmi::F32::from_bits(x)),
        Val::F64(x) => wasmi::Val::F64(wasmi::F64::from_bits(x)),
        Val::Ref { .. } => wasmi::Val::FuncRef(wasmi::Nullable::Null),
    }
}

fn from_wasmi(v: &wasmi::Val) -> Val {
    match v {
        wasmi::Val::I32(x) => Val::I32(*x),
        wasmi::Val::I64(x) => Val::I64(*x),
        wasmi::Val::F32(x) => Val::F32(x.to_bits()),
        wasmi::Val::F64(x) => Val::F64(x.to_bits()),
        wasmi::Val::FuncRef(f) => Val::Ref { null: f.is_null() },
        wasmi::Val::ExternRef(e) => Val::Ref { null: e.is_null() },
        _ => Val::Ref { null: false },
    }
}

wasmi_oracle!(
    /// wasmi 2.0 (feature `deterministic`), optionally running an instrumented module whose
    /// `gauge.gas` calls it sums.
    WasmiOracle,
    wasmi,
    name: "wasmi",
    value: wasmi::Val,
    default: wasmi::Val::default_for_ty,
    from: from_wasmi,
    to: to_wasmi,
    instantiate: |linker, store, module| linker.instantiate_and_start(store, module),
    missing_export: |_| panic!("export exists"),
    stack_overflow: |e| matches!(e.as_trap_code(), Some(wasmi::TrapCode::StackOverflow)),
);

fn to_legacy(v: &Val) -> wasmi_legacy::Value {
    use wasmi_legacy::core::{F32, F64};
    match *v {
        Val::I32(x) => wasmi_legacy::Value::I32(x),
        Val::I64(x) => wasmi_legacy::Value::I64(x),
        Val::F32(x) => wasmi_legacy::Value::F32(F32::from_bits(x)),
        Val::F64(x) => wasmi_legacy::Value::F64(F64::from_bits(x)),
        Val::Ref { .. } => wasmi_legacy::Value::FuncRef(wasmi_legacy::FuncRef::null()),
    }
}

fn from_legacy(v: &wasmi_legacy::Value) -> Val {
    match v {
        wasmi_legacy::Value::I32(x) => Val::I32(*x),
        wasmi_legacy::Value::I64(x) => Val::I64(*x),
        wasmi_legacy::Value::F32(x) => Val::F32(x.to_bits()),
        wasmi_legacy::Value::F64(x) => Val::F64(x.to_bits()),
        wasmi_legacy::Value::FuncRef(f) => Val::Ref { null: f.is_null() },
        wasmi_legacy::Value::ExternRef(e) => Val::Ref { null: e.is_null() },
    }
}

wasmi_oracle!(
    /// wasmi 0.31, the last stack-machine wasmi (independent of wasmi 2.0's register machine
    /// and translator): the tie-breaker when Gauge and wasmi 2.0 disagree. Like
    /// [`WasmiOracle`] it sums the `gauge.gas` calls of an instrumented module.
    LegacyWasmiOracle,
    wasmi_legacy,
    name: "wasmi 0.31",
    value: wasmi_legacy::Value,
    default: wasmi_legacy::Value::default,
    from: from_legacy,
    to: to_legacy,
    instantiate: |linker, store, module| {
        linker
            .instantiate(&mut *store, module)
            .and_then(|pre| pre.start(store))
    },
    missing_export: |name| Outcome::Trapped(format!("wasmi 0.31: no export {name}")),
    stack_overflow: |e| {
        matches!(e, wasmi_legacy::Error::Trap(t)
            if matches!(t.trap_code(), Some(wasmi_legacy::core::TrapCode::StackOverflow)))
    },
);

/// Arguments for `params`, drawn from `u` (zeros once `u` is exhausted).
pub fn arguments(u: &mut Unstructured<'_>, params: &[gauge::ValType]) -> Vec<Val> {
    params
        .iter()
        .map(|t| match t {
            gauge::ValType::I32 => Val::I32(u.arbitrary().unwrap_or(0)),
            gauge::ValType::I64 => Val::I64(u.arbitrary().unwrap_or(0)),
            gauge::ValType::F32 => Val::F32(u.arbitrary().unwrap_or(0)),
            gauge::ValType::F64 => Val::F64(u.arbitrary().unwrap_or(0)),
            gauge::ValType::FuncRef | gauge::ValType::ExternRef => Val::Ref { null: true },
        })
        .collect()
}

/// The kind of trap a message from Gauge, wasmi 2.0 or wasmi 0.31 names, in Gauge's words:
/// the engines word the same trap differently (Gauge's `trap: unreachable` is wasmi 0.31's
/// "wasm `unreachable` instruction executed"), and wasmi 0.31 reports a `call_indirect` past
/// the table's end as "undefined element: out of bounds table access", so those two are one
/// kind. A message naming none of the kinds is its own kind.
pub fn trap_kind(message: &str) -> &str {
    const KINDS: [(&str, &str); 12] = [
        ("unreachable", "unreachable"),
        ("out of bounds memory access", "out of bounds memory access"),
        ("undefined element", "out of bounds table access"),
        ("out of bounds table access", "out of bounds table access"),
        ("uninitialized element", "uninitialized element"),
        ("indirect call type mismatch", "indirect call type mismatch"),
        ("integer divide by zero", "integer divide by zero"),
        ("integer overflow", "integer overflow"),
        (
            "invalid conversion to integer",
            "invalid conversion to integer",
        ),
        ("call stack exhausted", "call stack exhausted"),
        ("out of gas", "out of gas"),
        ("all fuel consumed", "out of gas"),
    ];
    KINDS
        .iter()
        .find(|(needle, _)| message.contains(needle))
        .map_or(message, |&(_, kind)| kind)
}

fn same_outcome(a: &Outcome, b: &Outcome) -> bool {
    match (a, b) {
        (Outcome::Returned(x), Outcome::Returned(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| p.same(q))
        }
        (Outcome::Trapped(_), Outcome::Trapped(_)) => true,
        _ => false,
    }
}

/// One export call of a run: the same calls, with the same arguments, go to every engine.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// Export name.
    pub name: String,
    /// Arguments.
    pub args: Vec<Val>,
}

/// Calls of every export (in Gauge's export order) with arguments drawn from `u`.
pub fn plan(exports: &[Export], u: &mut Unstructured<'_>) -> Vec<Call> {
    exports
        .iter()
        .map(|e| Call {
            name: e.name.clone(),
            args: arguments(u, &e.params),
        })
        .collect()
}

/// What an engine did in one step of a run (the instantiation, then each call) and the state
/// it was left in.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// `instantiate`, or the call with its arguments (for reports).
    pub what: String,
    /// How it ended; a failed instantiation is `Trapped`.
    pub outcome: Outcome,
    /// [`Oracle::gas`] after it.
    pub gas: u64,
    /// Exported globals after it.
    pub globals: Vec<(String, Val)>,
    /// Exported memories' hashes after it.
    pub memory: Vec<(String, u64)>,
}

fn observe(o: &mut dyn Oracle, what: String, outcome: Outcome) -> Step {
    Step {
        what,
        outcome,
        gas: o.gas(),
        globals: o.globals(),
        memory: o.memory_hash(),
    }
}

/// The instantiation step of a run on `o`.
pub fn start_step(o: &mut dyn Oracle, wasm: &[u8]) -> Step {
    match o.instantiate(wasm) {
        Ok(()) => observe(o, "instantiate".into(), Outcome::Returned(Vec::new())),
        Err(e) => Step {
            what: "instantiate".into(),
            outcome: match o.panic() {
                Some(p) => Outcome::Panicked(p.to_string()),
                None => Outcome::Trapped(e),
            },
            gas: 0,
            globals: Vec::new(),
            memory: Vec::new(),
        },
    }
}

/// The steps of `calls` on an instantiated `o`, up to and including the first that exhausted
/// the call stack (the depth at which that happens is engine specific) or panicked.
pub fn call_steps(o: &mut dyn Oracle, calls: &[Call]) -> Vec<Step> {
    let mut steps = Vec::new();
    for c in calls {
        let outcome = o.call(&c.name, &c.args);
        let last = matches!(outcome, Outcome::Exhausted | Outcome::Panicked(_));
        steps.push(observe(o, format!("{}({:?})", c.name, c.args), outcome));
        if last {
            break;
        }
    }
    steps
}

/// A whole run on `o`: instantiation, then `calls` unless it failed.
pub fn trace(o: &mut dyn Oracle, wasm: &[u8], calls: &[Call]) -> Vec<Step> {
    let start = start_step(o, wasm);
    let ok = matches!(start.outcome, Outcome::Returned(_));
    let mut steps = vec![start];
    if ok {
        steps.extend(call_steps(o, calls));
    }
    steps
}

/// Compare two runs step by step (results with NaNs as NaNs, trap or not, gas when `metered`,
/// exported globals, memory hashes), stopping at the first step where either exhausted its
/// stack. `Ok(n)`: the first `n` steps agree and nothing after them is comparable; `Err((i,
/// why))`: step `i` is the first that differs.
pub fn compare(
    names: (&str, &str),
    a: &[Step],
    b: &[Step],
    metered: bool,
) -> Result<usize, (usize, String)> {
    let (na, nb) = names;
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        if matches!(x.outcome, Outcome::Exhausted) || matches!(y.outcome, Outcome::Exhausted) {
            return Ok(i);
        }
        let what = &x.what;
        if !same_outcome(&x.outcome, &y.outcome) {
            let why = format!("{what}: {na} {:?}, {nb} {:?}", x.outcome, y.outcome);
            return Err((i, why));
        }
        if metered && x.gas != y.gas {
            let why = format!(
                "{what}: {na} {:?} with {} gas, {nb} {:?} with {}",
                x.outcome, x.gas, y.outcome, y.gas
            );
            return Err((i, why));
        }
        let globals_same = x.globals.len() == y.globals.len()
            && x.globals
                .iter()
                .zip(&y.globals)
                .all(|(p, q)| p.0 == q.0 && p.1.same(&q.1));
        if !globals_same {
            let why = format!(
                "globals after {what}: {na} {:?}, {nb} {:?}",
                x.globals, y.globals
            );
            return Err((i, why));
        }
        if x.memory != y.memory {
            let why = format!(
                "memory after {what}: {na} {:?}, {nb} {:?}",
                x.memory, y.memory
            );
            return Err((i, why));
        }
    }
    Ok(a.len().min(b.len()))
}

/// Judge Gauge's run against wasmi 2.0's, breaking a tie with wasmi 0.31's (computed only
/// when needed).
///
/// * `Ok(None)`: Gauge and wasmi 2.0 agree.
/// * `Ok(Some(line))`: they disagree at step `i`, but wasmi 0.31 agrees exactly with Gauge up
///   to and including step `i` and on every comparable step after it (without
///   `canonical_nans`: on the outcome of step `i`, see below): a known kind of oracle
///   divergence (a wasmi 2.0 bug), reported on one stderr line and not a finding.
/// * `Err(why)`: Gauge disagrees with both wasmis (or wasmi 0.31 could not confirm Gauge).
///
/// Without `canonical_nans` wasmi 0.31 keeps NaN payloads that Gauge and wasmi 2.0
/// canonicalize, and a NaN's bits can reach integers, globals and memory (`reinterpret`,
/// stores, results), so they cannot be masked: wasmi 0.31 then only confirms the kind of
/// outcome of step `i` (returned, or which trap), which is where the known wasmi 2.0 bugs show
/// (a wrong trap, a panic); the values, globals and memory of that step, and the steps after
/// it, have no valid oracle. Nor has its gas: a NaN's bits turned into an integer can pick a
/// branch, and so the gas (found by the metering target: an address computed from a NaN's bits
/// chose the in-bounds path on one engine and not on the other, 172 against 177).
pub fn judge(
    gauge: &[Step],
    wasmi: &[Step],
    legacy: impl FnOnce() -> Vec<Step>,
    metered: bool,
    canonical_nans: bool,
) -> Result<Option<String>, String> {
    let Err((i, why)) = compare(("gauge", "wasmi 2.0"), gauge, wasmi, metered) else {
        return Ok(None);
    };
    let legacy = legacy();
    if !canonical_nans {
        // Only the kind of outcome of the divergent step (returned, or the trap) is free of NaN
        // bits: returned integers can be a NaN's bits, and the gas can follow a branch on them.
        let confirmed = match (gauge.get(i), legacy.get(i)) {
            (Some(g), Some(l)) => match (&g.outcome, &l.outcome) {
                (Outcome::Returned(x), Outcome::Returned(y)) => x.len() == y.len(),
                (Outcome::Trapped(a), Outcome::Trapped(b)) => trap_kind(a) == trap_kind(b),
                _ => false,
            },
            _ => false,
        };
        if confirmed {
            let line = format!(
                "known oracle divergence (wasmi 0.31 agrees with gauge on that step's kind of \
                 outcome; NaNs not canonical): {why}"
            );
            eprintln!("{line}");
            return Ok(Some(line));
        }
        return Err(format!(
            "{why}; and wasmi 0.31 does not confirm gauge's outcome there: {:?}",
            legacy.get(i).map(|l| (&l.outcome, l.gas))
        ));
    }
    match compare(("gauge", "wasmi 0.31"), gauge, &legacy, metered) {
        Ok(n) if n > i => {
            let line = format!("known oracle divergence (wasmi 0.31 agrees with gauge): {why}");
            eprintln!("{line}");
            Ok(Some(line))
        }
        Ok(_) => Err(format!(
            "{why}; wasmi 0.31 exhausted its stack before that step, so it cannot break the tie"
        )),
        Err((_, legacy_why)) => Err(format!("{why}; and against wasmi 0.31: {legacy_why}")),
    }
}

/// Run every export of `wasm` with generated arguments on Gauge and wasmi 2.0 and compare
/// results, traps, exported globals and memory after each step; wasmi 0.31 breaks ties (see
/// [`judge`]; `canonical_nans` as in [`Smith`]). `Ok(Some(line))` reports a known oracle
/// divergence.
pub fn differential(
    wasm: &[u8],
    canonical_nans: bool,
    u: &mut Unstructured<'_>,
) -> Result<Option<String>, String> {
    let mut gauge = GaugeOracle::new(None);
    let start = start_step(&mut gauge, wasm);
    if let Outcome::Trapped(e) = &start.outcome {
        // Resource limits differ between engines (Gauge caps memories at 1 GiB by default).
        if e.contains("limit") {
            return Ok(None);
        }
    }
    let calls = if matches!(start.outcome, Outcome::Returned(_)) {
        plan(&gauge.exports(), u)
    } else {
        Vec::new()
    };
    let mut g = vec![start];
    g.extend(call_steps(&mut gauge, &calls));
    // Up to 1 GiB of memory per engine: one engine's store at a time.
    drop(gauge);
    let w = trace(&mut Unwinding::new(WasmiOracle::new()), wasm, &calls);
    judge(
        &g,
        &w,
        || trace(&mut LegacyWasmiOracle::new(), wasm, &calls),
        false,
        canonical_nans,
    )
    .map_err(|e| format!("divergence: {e}"))
}

/// Gauge's built-in gas for each call equals the gas the instrumented module reports on wasmi
/// 2.0 (wasmi 0.31 breaks ties, see [`judge`]), and rerunning each call on a fresh instance
/// with limit `gas_used - 1` runs out of gas. `Ok(Some(line))` reports a known oracle
/// divergence (`canonical_nans` as in [`Smith`]).
pub fn metering(
    wasm: &[u8],
    canonical_nans: bool,
    u: &mut Unstructured<'_>,
) -> Result<Option<String>, String> {
    let schedule = Schedule::v1();
    let Ok(instrumented) = instrument(&schedule, wasm) else {
        return Ok(None);
    };
    let mut gauge = GaugeOracle::new(Some(schedule.clone()));
    let start = start_step(&mut gauge, wasm);
    if !matches!(start.outcome, Outcome::Returned(_)) {
        return Ok(None);
    }
    let mut wasmi = Unwinding::new(WasmiOracle::new());
    let w_start = start_step(&mut wasmi, &instrumented);
    if !matches!(w_start.outcome, Outcome::Returned(_)) {
        return Ok(None);
    }
    let calls = plan(&gauge.exports(), u);
    let mut g = vec![start];
    g.extend(call_steps(&mut gauge, &calls));
    let mut w = vec![w_start];
    w.extend(call_steps(&mut wasmi, &calls));
    // Up to 1 GiB of memory per engine: free these before wasmi 0.31 and the replays run.
    drop((gauge, wasmi));
    let verdict = judge(
        &g,
        &w,
        || trace(&mut LegacyWasmiOracle::new(), &instrumented, &calls),
        true,
        canonical_nans,
    )
    .map_err(|e| format!("metering divergence: {e}"))?;
    // Replay each call on a fresh instance with one unit less for it: it must run out.
    for (i, step) in g.iter().enumerate().skip(1) {
        if matches!(step.outcome, Outcome::Exhausted) {
            break;
        }
        if step.gas == 0 {
            continue;
        }
        let mut replay = GaugeOracle::new(Some(schedule.clone()));
        if replay.instantiate(wasm).is_err() {
            continue;
        }
        for c in &calls[..i - 1] {
            replay.call(&c.name, &c.args);
        }
        replay.gas_limit = step.gas - 1;
        let c = &calls[i - 1];
        let r = replay.call(&c.name, &c.args);
        if !matches!(&r, Outcome::Trapped(m) if m.contains("out of gas")) {
            return Err(format!(
                "{}: limit {} gave {r:?}, not out of gas",
                step.what,
                step.gas - 1
            ));
        }
    }
    Ok(verdict)
}

/// The `wasi_snapshot_preview1` functions as gauge-wasi-shim defines them: name, parameters
/// (`i` = i32, `I` = i64), all returning an i32 errno except `proc_exit`.
const WASI_SIGNATURES: [(&str, &str); 46] = [
    ("args_get", "ii"),
    ("args_sizes_get", "ii"),
    ("environ_get", "ii"),
    ("environ_sizes_get", "ii"),
    ("clock_res_get", "ii"),
    ("clock_time_get", "iIi"),
    ("fd_advise", "iIIi"),
    ("fd_allocate", "iII"),
    ("fd_close", "i"),
    ("fd_datasync", "i"),
    ("fd_fdstat_get", "ii"),
    ("fd_fdstat_set_flags", "ii"),
    ("fd_fdstat_set_rights", "iII"),
    ("fd_filestat_get", "ii"),
    ("fd_filestat_set_size", "iI"),
    ("fd_filestat_set_times", "iIIi"),
    ("fd_pread", "iiiIi"),
    ("fd_prestat_get", "ii"),
    ("fd_prestat_dir_name", "iii"),
    ("fd_pwrite", "iiiIi"),
    ("fd_read", "iiii"),
    ("fd_readdir", "iiiIi"),
    ("fd_renumber", "ii"),
    ("fd_seek", "iIii"),
    ("fd_sync", "i"),
    ("fd_tell", "ii"),
    ("fd_write", "iiii"),
    ("path_create_directory", "iii"),
    ("path_filestat_get", "iiiii"),
    ("path_filestat_set_times", "iiiiIIi"),
    ("path_link", "iiiiiii"),
    ("path_open", "iiiiiIIii"),
    ("path_readlink", "iiiiii"),
    ("path_remove_directory", "iii"),
    ("path_rename", "iiiiii"),
    ("path_symlink", "iiiii"),
    ("path_unlink_file", "iii"),
    ("poll_oneoff", "iiii"),
    ("proc_exit", "i"),
    ("proc_raise", "i"),
    ("sched_yield", ""),
    ("random_get", "ii"),
    ("sock_accept", "iii"),
    ("sock_recv", "iiiiii"),
    ("sock_send", "iiiii"),
    ("sock_shutdown", "ii"),
];

/// A module importing every function of [`WASI_SIGNATURES`] from
/// [`gauge_wasi_shim::MODULE`]: wasm-smith's `available_imports`.
pub fn wasi_imports() -> Vec<u8> {
    let mut wat = String::from("(module\n");
    for (name, params) in WASI_SIGNATURES {
        let params: Vec<&str> = params
            .chars()
            .map(|c| if c == 'I' { "i64" } else { "i32" })
            .collect();
        let result = if name == "proc_exit" {
            ""
        } else {
            "(result i32)"
        };
        wat.push_str(&format!(
            "  (import \"{}\" \"{name}\" (func (param {}) {result}))\n",
            gauge_wasi_shim::MODULE,
            params.join(" ")
        ));
    }
    wat.push(')');
    wat::parse_str(&wat).expect("valid import module")
}

/// What a WASI program must export: `_start` and one memory of `pages` pages.
fn wasi_exports(pages: u32) -> Vec<u8> {
    wat::parse_str(format!(
        "(module (memory (export \"memory\") {pages}) (func (export \"_start\")))"
    ))
    .expect("valid export module")
}

/// A wasm-smith WASI program for the shim: Gauge's features, any subset of the preview1
/// imports (`imports` from [`wasi_imports`]), exactly one memory exported as `memory`, and
/// `_start`. Sometimes `ensure_termination`, so that loops end before the gas does.
pub fn smith_wasi_module(u: &mut Unstructured<'_>, imports: &[u8]) -> arbitrary::Result<Vec<u8>> {
    let mut c = wasm_smith::Config::arbitrary(u)?;
    gauge_features(&mut c);
    // The one memory is the exported one.
    c.min_memories = 0;
    c.max_memories = 0;
    c.max_funcs = c.max_funcs.max(WASI_SIGNATURES.len() + 8);
    c.available_imports = Some(imports.to_vec());
    c.exports = Some(wasi_exports(u.int_in_range(1..=4)?));
    c.export_everything = false;
    let terminating: bool = u.arbitrary()?;
    smith_build(c, u, terminating)
}

/// Largest gas limit a shim fuzz call gets.
pub const SHIM_MAX_GAS: u64 = 2_000_000;

/// The world a shim fuzz call runs in: storage entries of the called contract and of one other
/// account, the caller's balance, whether the program is also deployed (for nested calls to
/// itself), and the call context.
#[derive(Debug, Clone)]
pub struct ShimSetup {
    /// Storage of the called contract.
    pub storage: Vec<(Vec<u8>, Vec<u8>)>,
    /// Storage of another account.
    pub other_storage: Vec<(Vec<u8>, Vec<u8>)>,
    /// Balance of the caller.
    pub caller_balance: u128,
    /// Deploy the program at the called address and at the other account.
    pub deploy: bool,
    /// The call.
    pub ctx: gauge_wasi_shim::CallContext,
}

/// Storage keys that programs are likely to name (paths under the preopened root).
const KEYS: [&[u8]; 8] = [
    b"a",
    b"b",
    b"last",
    b"dir/x",
    b"dir/y",
    b"dir/sub/z",
    b"contracts",
    b".",
];

/// Up to `max` bytes (fewer when `u` runs short: the setup must not reject short inputs, whose
/// bytes are better spent on the module).
fn some_bytes(u: &mut Unstructured<'_>, max: usize) -> arbitrary::Result<Vec<u8>> {
    let len = u.int_in_range(0..=max)?.min(u.len());
    Ok(u.bytes(len)?.to_vec())
}

fn storage_entries(u: &mut Unstructured<'_>) -> arbitrary::Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let n = u.int_in_range(0..=3)?;
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        let key = if u.ratio(3, 4)? {
            KEYS[u.choose_index(KEYS.len())?].to_vec()
        } else {
            some_bytes(u, 12)?
        };
        v.push((key, some_bytes(u, 24)?));
    }
    Ok(v)
}

const CONTRACT: gauge_wasi_shim::Address = gauge_wasi_shim::Address([0xc0; 20]);
const CALLER: gauge_wasi_shim::Address = gauge_wasi_shim::Address([0xca; 20]);
const OTHER: gauge_wasi_shim::Address = gauge_wasi_shim::Address([0x07; 20]);

impl ShimSetup {
    /// A setup drawn from `u`.
    pub fn arbitrary(u: &mut Unstructured<'_>) -> arbitrary::Result<Self> {
        let storage = storage_entries(u)?;
        let other_storage = storage_entries(u)?;
        let caller_balance = u.int_in_range(0..=1_000_000u128)?;
        let deploy = u.arbitrary()?;
        let address = if u.ratio(1, 8)? { CALLER } else { CONTRACT };
        let n_args = u.int_in_range(0..=2)?;
        let mut args = Vec::with_capacity(n_args);
        for _ in 0..n_args {
            args.push(String::from_utf8_lossy(&some_bytes(u, 8)?).into_owned());
        }
        let ctx = gauge_wasi_shim::CallContext {
            address,
            caller: CALLER,
            value: if u.ratio(3, 4)? {
                0
            } else {
                u.int_in_range(0..=2_000_000u128)?
            },
            input: some_bytes(u, 32)?,
            args,
            // Mostly the largest limit: a small one ends most programs out of gas early.
            gas_limit: if u.ratio(1, 4)? {
                u.int_in_range(0..=SHIM_MAX_GAS)?
            } else {
                SHIM_MAX_GAS
            },
            block: gauge_wasi_shim::BlockContext {
                height: u.arbitrary()?,
                time_ns: u.arbitrary()?,
                chain_id: u.arbitrary()?,
            },
        };
        Ok(Self {
            storage,
            other_storage,
            caller_balance,
            deploy,
            ctx,
        })
    }

    /// A fresh in-memory state with this setup (and `wasm` deployed if asked).
    pub fn state(&self, wasm: &[u8]) -> Result<gauge_wasi_shim::State, gauge_wasi_shim::ShimError> {
        let mut state = gauge_wasi_shim::State::in_memory();
        let mut changes = gauge_wasi_shim::Changes::new();
        for (k, v) in &self.storage {
            changes.set_storage(self.ctx.address, k.clone(), Some(v.clone()));
        }
        for (k, v) in &self.other_storage {
            changes.set_storage(OTHER, k.clone(), Some(v.clone()));
        }
        state.apply(&changes)?;
        state.set_balance(CALLER, self.caller_balance)?;
        if self.deploy {
            state.deploy(self.ctx.address, wasm)?;
            state.deploy(OTHER, wasm)?;
        }
        Ok(state)
    }
}

/// Run `wasm` through `gauge_wasi_shim::execute` twice, each time with a fresh engine, module
/// and state built from `setup`, and check: no `Err` (the in-memory backend cannot fail, and a
/// program's behaviour is never an `Err`); both outcomes and roots identical; a call that did
/// not succeed left the root unchanged; a successful call's `state_root` is the state's root;
/// `gas_used <= gas_limit`; the exit code matches the status.
pub fn shim(wasm: &[u8], setup: &ShimSetup) -> Result<(), String> {
    let run = || -> Result<_, String> {
        let engine = gauge::Engine::new(&gauge_wasi_shim::chain_config());
        let Ok(module) = gauge::Module::from_binary(&engine, wasm) else {
            return Ok(None);
        };
        let mut state = setup.state(wasm).map_err(|e| format!("setup: {e}"))?;
        let before = state.root().map_err(|e| format!("root: {e}"))?;
        let outcome = gauge_wasi_shim::execute(&engine, &module, &mut state, &setup.ctx)
            .map_err(|e| format!("execute returned Err: {e}"))?;
        let after = state.root().map_err(|e| format!("root: {e}"))?;
        Ok(Some((before, outcome, after)))
    };
    let Some((before, outcome, after)) = run()? else {
        return Ok(());
    };
    let Some(again) = run()? else {
        return Err("the module translated once, then failed to".into());
    };
    if again != (before, outcome.clone(), after) {
        return Err(format!(
            "not deterministic: {outcome:?} (root {after:02x?}), then {:?} (root {:02x?})",
            again.1, again.2
        ));
    }
    use gauge_wasi_shim::Status;
    if outcome.status == Status::Success {
        if outcome.state_root != after {
            return Err(format!(
                "success, but state_root {:02x?} is not the state's root {after:02x?}",
                outcome.state_root
            ));
        }
        if outcome.exit_code != Some(0) {
            return Err(format!("success with exit code {:?}", outcome.exit_code));
        }
    } else {
        if after != before || outcome.state_root != before {
            return Err(format!(
                "{} changed the state: root {before:02x?} → {after:02x?}, outcome's {:02x?}",
                outcome.status, outcome.state_root
            ));
        }
        if outcome.exit_code == Some(0) {
            return Err(format!("{} with exit code 0", outcome.status));
        }
    }
    if outcome.gas_used > setup.ctx.gas_limit {
        return Err(format!(
            "gas_used {} > gas_limit {}",
            outcome.gas_used, setup.ctx.gas_limit
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(what: &str, outcome: Outcome, gas: u64) -> Step {
        Step {
            what: what.into(),
            outcome,
            gas,
            globals: vec![("g".into(), Val::I32(1))],
            memory: vec![("m".into(), 42)],
        }
    }

    fn run(result: i32) -> Vec<Step> {
        vec![
            step("instantiate", Outcome::Returned(vec![]), 3),
            step("f([])", Outcome::Returned(vec![Val::I32(result)]), 10),
        ]
    }

    #[test]
    fn agreeing_runs_pass() {
        assert_eq!(
            judge(&run(1), &run(1), || panic!("not asked"), true, true),
            Ok(None)
        );
    }

    #[test]
    fn a_wasmi_2_divergence_confirmed_by_wasmi_031_is_reported_not_failed() {
        let mut wasmi = run(1);
        wasmi[1].outcome = Outcome::Trapped("integer divide by zero".into());
        let verdict = judge(&run(1), &wasmi, || run(1), false, true);
        assert!(matches!(verdict, Ok(Some(line)) if line.contains("known oracle divergence")));
    }

    #[test]
    fn gauge_disagreeing_with_both_wasmis_fails() {
        // A deliberately wrong Gauge result: both wasmis say 1.
        let verdict = judge(&run(2), &run(1), || run(1), false, true);
        assert!(verdict.is_err(), "{verdict:?}");
        // Both wasmis wrong, but differently: still a finding (no tie is broken).
        let verdict = judge(&run(1), &run(2), || run(3), false, true);
        assert!(verdict.is_err(), "{verdict:?}");
    }

    #[test]
    fn the_tie_breaker_must_agree_on_gas_globals_and_memory_too() {
        let mut wasmi = run(1);
        wasmi[1].outcome = Outcome::Trapped("integer divide by zero".into());
        let mut legacy = run(1);
        legacy[1].gas = 11;
        assert!(judge(&run(1), &wasmi, || legacy.clone(), true, true).is_err());
        let mut legacy = run(1);
        legacy[1].globals[0].1 = Val::I32(2);
        assert!(judge(&run(1), &wasmi, || legacy.clone(), false, true).is_err());
        let mut legacy = run(1);
        legacy[1].memory[0].1 = 43;
        assert!(judge(&run(1), &wasmi, || legacy.clone(), false, true).is_err());
    }

    #[test]
    fn a_tie_breaker_that_exhausted_before_the_divergence_does_not_break_it() {
        let mut wasmi = run(1);
        wasmi[1].outcome = Outcome::Trapped("integer divide by zero".into());
        let mut legacy = run(1);
        legacy[1].outcome = Outcome::Exhausted;
        assert!(judge(&run(1), &wasmi, || legacy.clone(), false, true).is_err());
    }

    #[test]
    fn without_canonical_nans_the_tie_breaker_judges_only_the_divergent_steps_outcome() {
        // wasmi 2.0 wrong at instantiation; afterwards wasmi 0.31's NaN payload reaches an
        // integer global where Gauge's NaN is canonical.
        let mut gauge = run(1);
        gauge[1].globals[0].1 = Val::I64(0x7ff8_0000_0000_0000);
        let mut wasmi = gauge.clone();
        wasmi[0].outcome = Outcome::Trapped("integer divide by zero".into());
        wasmi.truncate(1);
        let mut legacy = gauge.clone();
        legacy[1].globals[0].1 = Val::I64(0xffff_ffff_ffff_fe00_u64 as i64);
        // With NaNs canonical in the module, the payload is a real divergence.
        assert!(judge(&gauge, &wasmi, || legacy.clone(), false, true).is_err());
        // Without, wasmi 0.31 confirms Gauge at the divergent step, and nothing after it can
        // be judged.
        let verdict = judge(&gauge, &wasmi, || legacy.clone(), false, false);
        assert!(matches!(&verdict, Ok(Some(l)) if l.contains("known oracle divergence")));
        // Even at the divergent step itself, the payload reaches a global: not judged.
        let mut wasmi = gauge.clone();
        wasmi[1].outcome = Outcome::Trapped("integer divide by zero".into());
        let verdict = judge(&gauge, &wasmi, || legacy.clone(), false, false);
        assert!(matches!(&verdict, Ok(Some(l)) if l.contains("NaNs not canonical")));
        // Still a finding when wasmi 0.31's kind of outcome differs from Gauge's at that step,
        // or it exhausted its stack there.
        let mut other = gauge.clone();
        other[1].outcome = Outcome::Trapped("unreachable".into());
        assert!(judge(&gauge, &wasmi, || other.clone(), false, false).is_err());
        let mut other = gauge.clone();
        other[1].outcome = Outcome::Returned(vec![]);
        assert!(judge(&gauge, &wasmi, || other.clone(), false, false).is_err());
        // A returned integer may be a NaN's bits: not judged.
        let mut other = gauge.clone();
        other[1].outcome = Outcome::Returned(vec![Val::I32(2)]);
        assert!(judge(&gauge, &wasmi, || other.clone(), false, false).is_ok());
        // Nor is its gas, which a branch on a NaN's bits can change (metering finding
        // `gas-steered-by-nan-bits-at-a-wasmi-2-bug`); with canonical NaNs it is judged.
        let mut other = gauge.clone();
        other[1].gas += 1;
        assert!(judge(&gauge, &wasmi, || other.clone(), true, false).is_ok());
        assert!(judge(&gauge, &wasmi, || other.clone(), false, false).is_ok());
        assert!(judge(&gauge, &wasmi, || other.clone(), true, true).is_err());
        let mut other = gauge.clone();
        other[1].outcome = Outcome::Exhausted;
        assert!(judge(&gauge, &wasmi, || other.clone(), false, false).is_err());
        assert!(judge(&gauge, &wasmi, || gauge[..1].to_vec(), false, false).is_err());
    }

    #[test]
    fn trap_kinds_are_compared_across_the_engines_wording() {
        let gauge = |c: gauge::TrapCode| gauge::Error::Trap(c).to_string();
        for (ours, legacy) in [
            (
                gauge(gauge::TrapCode::Unreachable),
                "wasm `unreachable` instruction executed",
            ),
            (
                gauge(gauge::TrapCode::UndefinedElement),
                "undefined element: out of bounds table access",
            ),
            (
                gauge(gauge::TrapCode::TableOutOfBounds),
                "undefined element: out of bounds table access",
            ),
            (
                gauge(gauge::TrapCode::UninitializedElement),
                "uninitialized element 2",
            ),
            (
                gauge(gauge::TrapCode::OutOfGas),
                "all fuel consumed by WebAssembly",
            ),
            (
                gauge(gauge::TrapCode::IntegerDivisionByZero),
                "integer divide by zero",
            ),
        ] {
            assert_eq!(trap_kind(&ours), trap_kind(legacy), "{ours} / {legacy}");
        }
        // Different traps stay different, and unknown messages are compared whole.
        assert_ne!(
            trap_kind(&gauge(gauge::TrapCode::Unreachable)),
            trap_kind("integer overflow")
        );
        assert_ne!(
            trap_kind(&gauge(gauge::TrapCode::UninitializedElement)),
            trap_kind("undefined element: out of bounds table access")
        );
        assert_eq!(trap_kind("host said no"), "host said no");
        assert_ne!(trap_kind("host said no"), trap_kind("host said yes"));
    }

    #[test]
    fn a_wasmi_2_translator_panic_where_gauge_traps_unreachable_is_a_known_oracle_divergence() {
        // wasmi 2.0 panics translating a store ("entered unreachable code",
        // translator/func/mod.rs:2583); Gauge, wasmi 0.31 and V8 trap on `unreachable`. Until
        // trap kinds were compared across the engines' wording, wasmi 0.31's message did not
        // confirm Gauge's trap.
        for target in ["differential", "metering"] {
            let verdict = verdict_of(
                target,
                "wasmi-2-translator-panic-where-gauge-traps-unreachable",
            );
            assert!(
                matches!(&verdict, Ok(Some(l)) if l.contains("entered unreachable code")),
                "{target}: {verdict:?}"
            );
        }
    }

    fn regression(target: &str, name: &str) -> Vec<u8> {
        let path = format!("{}/regressions/{target}/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).expect(&path)
    }

    /// The verdict of target `differential` or `metering` on its stored regression input,
    /// as the fuzz target computes it (NaN canonicalization chosen by the input).
    fn verdict_of(target: &str, name: &str) -> Result<Option<String>, String> {
        let data = regression(target, name);
        let mut u = Unstructured::new(&data);
        let s = smith(&mut u, true).unwrap();
        match target {
            "differential" => differential(&s.wasm, s.canonical_nans, &mut u),
            "metering" => metering(&s.wasm, s.canonical_nans, &mut u),
            other => panic!("no verdict for target {other}"),
        }
    }

    #[test]
    fn wasmi_select_eqz_after_global_prologue_is_a_known_oracle_divergence() {
        let verdict = verdict_of("differential", "wasmi-select-eqz-after-global-prologue").unwrap();
        assert!(verdict.is_some_and(|l| l.contains("divide by zero")));
    }

    #[test]
    fn wasmi_select_eqz_safe_division_is_a_known_oracle_divergence() {
        let verdict = verdict_of("metering", "wasmi-select-eqz-safe-division").unwrap();
        assert!(verdict.is_some());
    }

    #[test]
    fn gas_steered_by_nan_bits_at_a_wasmi_2_bug_is_not_a_finding() {
        // wasmi 2.0 traps "integer divide by zero" (its select/eqz bug) where Gauge returns with
        // 172 gas; wasmi 0.31 and V8 return too, with 177 on the instrumented module: there the
        // NaN bits of an `f32.add` with a NaN constant, reinterpreted and divided, make an
        // address that takes another path. With that constant made the canonical NaN, V8
        // reports 172 like Gauge. Without canonical NaNs, only the kind of outcome is compared.
        let data = regression("metering", "gas-steered-by-nan-bits-at-a-wasmi-2-bug");
        let mut u = Unstructured::new(&data);
        let s = smith(&mut u, true).unwrap();
        assert!(!s.canonical_nans);
        let verdict = metering(&s.wasm, s.canonical_nans, &mut u).unwrap();
        assert!(verdict.is_some_and(|l| l.contains("divide by zero")));
    }

    #[test]
    fn a_nan_payload_kept_by_wasmi_031_after_a_wasmi_2_bug_is_not_a_finding() {
        // wasmi 2.0 traps at instantiation (its select/eqz division bug); wasmi 0.31 agrees
        // with Gauge there, then `f64.floor` of a NaN constant with a payload, reinterpreted
        // into an i64 global: wasmi 0.31 and V8 keep the payload (0xffff_ffff_ffff_fe00),
        // Gauge and wasmi 2.0 (`deterministic`) store the canonical NaN. Both are valid Wasm;
        // the module does not canonicalize NaNs, so wasmi 0.31 cannot judge that step.
        let data = regression(
            "differential",
            "nan-payload-after-wasmi-2-instantiation-bug",
        );
        let mut u = Unstructured::new(&data);
        let s = smith(&mut u, true).unwrap();
        assert!(!s.canonical_nans);
        let verdict = differential(&s.wasm, s.canonical_nans, &mut u);
        assert!(
            matches!(&verdict, Ok(Some(l)) if l.contains("divide by zero")),
            "{verdict:?}"
        );
        // Judged as if the module canonicalized its NaNs, wasmi 0.31's payload is a divergence.
        let mut u = Unstructured::new(&data);
        let s = smith(&mut u, true).unwrap();
        let verdict = differential(&s.wasm, true, &mut u);
        assert!(
            matches!(&verdict, Err(e) if e.contains("9221120237041090560") && e.contains("-512")),
            "{verdict:?}"
        );
    }

    #[test]
    fn memory_grown_in_every_call_stays_within_the_fuzzing_limit() {
        // `memory.grow` in nearly every one of 29 exports: with 1 GiB allowed, the memory
        // reached hundreds of MiB and was hashed after every step on each engine (a 69 s
        // timeout in the coverage build). The engines agree, and no memory passes the limit.
        let data = regression("differential", "timeout-hashing-a-memory-grown-every-call");
        let mut u = Unstructured::new(&data);
        let s = smith(&mut u, true).unwrap();
        let mut g = GaugeOracle::new(None);
        g.instantiate(&s.wasm).unwrap();
        let calls = plan(&g.exports(), &mut u);
        assert!(calls.len() > 20, "{} calls", calls.len());
        for c in &calls {
            g.call(&c.name, &c.args);
        }
        let pages = g.memory_pages();
        assert!(pages > 0 && pages <= MAX_MEMORY_PAGES, "{pages} pages");
        let mut u = Unstructured::new(&data);
        let s = smith(&mut u, true).unwrap();
        let verdict = differential(&s.wasm, s.canonical_nans, &mut u);
        assert!(verdict.is_ok(), "{verdict:?}");
    }

    #[test]
    fn a_nan_payload_at_the_step_of_a_wasmi_2_bug_is_not_a_finding() {
        // wasmi 2.0 traps "integer divide by zero" in export `2`; in the same call
        // `f64.floor`/`f64.ceil` of a NaN with a payload is xored into an i64 global: Gauge's
        // canonical NaN gives 0x8007fffffbffffff, wasmi 0.31 and V8 keep the payload and give 0.
        // The call returns on Gauge, wasmi 0.31 and V8.
        let data = regression("differential", "nan-payload-at-the-step-of-a-wasmi-2-bug");
        let mut u = Unstructured::new(&data);
        let s = smith(&mut u, true).unwrap();
        assert!(!s.canonical_nans);
        let verdict = differential(&s.wasm, s.canonical_nans, &mut u);
        assert!(
            matches!(&verdict, Ok(Some(l)) if l.contains("NaNs not canonical")),
            "{verdict:?}"
        );
        let mut u = Unstructured::new(&data);
        let s = smith(&mut u, true).unwrap();
        let verdict = differential(&s.wasm, true, &mut u);
        assert!(
            matches!(&verdict, Err(e) if e.contains("-9221120237108199425")),
            "{verdict:?}"
        );
    }

    #[test]
    fn a_nan_payload_returned_as_an_integer_by_wasmi_031_is_not_a_finding() {
        // Metering: wasmi 2.0 traps "integer divide by zero" where Gauge and wasmi 0.31
        // return; the first result is a NaN's bits as an i64, canonical on Gauge
        // (0x7ff8000000000000), 0xffffffefe0000000 on wasmi 0.31.
        let data = regression("metering", "nan-payload-in-a-result-at-a-wasmi-2-bug");
        let mut u = Unstructured::new(&data);
        let s = smith(&mut u, true).unwrap();
        assert!(!s.canonical_nans);
        let verdict = metering(&s.wasm, s.canonical_nans, &mut u);
        assert!(
            matches!(&verdict, Ok(Some(l)) if l.contains("NaNs not canonical")),
            "{verdict:?}"
        );
        let mut u = Unstructured::new(&data);
        let s = smith(&mut u, true).unwrap();
        let verdict = metering(&s.wasm, true, &mut u);
        assert!(
            matches!(&verdict, Err(e) if e.contains("-69256347648")),
            "{verdict:?}"
        );
    }

    #[test]
    fn a_memory_grow_past_gauges_limit_is_refused_by_both_wasmis_too() {
        // wasmi 2.0 had no memory limit: this input's `memory.grow` made it allocate 7.9 GB
        // and libFuzzer stopped on out-of-memory. With the store limiter both engines refuse
        // the grow and agree.
        let data = regression("differential", "oom-wasmi-memory-grow-past-gauges-limit");
        let mut u = Unstructured::new(&data);
        let s = smith(&mut u, true).unwrap();
        assert_eq!(differential(&s.wasm, s.canonical_nans, &mut u), Ok(None));
    }

    #[test]
    fn a_wasmi_2_translator_panic_is_a_known_oracle_divergence() {
        // `memory.grow; local.tee 1; local.get 1; i32.store`: wasmi 2.0's translator finds the
        // address and the value in the same register and reaches `unreachable!()` in
        // `choose_store_op_vt`; Gauge, wasmi 0.31 and V8 run the module.
        let data = regression(
            "differential",
            "wasmi-store-of-a-teed-memory-grow-unreachable",
        );
        let mut u = Unstructured::new(&data);
        let s = smith(&mut u, true).unwrap();
        let verdict = differential(&s.wasm, s.canonical_nans, &mut u).unwrap();
        assert!(
            verdict
                .as_ref()
                .is_some_and(|l| l.contains("Panicked") && l.contains("unreachable")),
            "{verdict:?}"
        );
    }

    #[test]
    fn a_panicking_oracle_reports_the_panic_and_is_not_used_again() {
        struct Panics(u32);
        impl Oracle for Panics {
            fn name(&self) -> &'static str {
                "panics"
            }
            fn instantiate(&mut self, _: &[u8]) -> Result<(), String> {
                Ok(())
            }
            fn call(&mut self, _: &str, _: &[Val]) -> Outcome {
                self.0 += 1;
                panic!("boom {}", self.0)
            }
            fn globals(&mut self) -> Vec<(String, Val)> {
                Vec::new()
            }
            fn memory_hash(&mut self) -> Vec<(String, u64)> {
                Vec::new()
            }
            fn gas(&self) -> u64 {
                0
            }
        }
        let mut o = Unwinding::new(Panics(0));
        let call = Call {
            name: "f".into(),
            args: vec![],
        };
        let steps = trace(&mut o, &[], &[call.clone(), call]);
        assert_eq!(steps.len(), 2, "{steps:?}");
        assert!(matches!(&steps[1].outcome, Outcome::Panicked(m) if m.contains("boom 1")));
        assert_eq!(o.inner.0, 1);
        // Never the same as a trap or a return.
        let mut gauge = steps.clone();
        gauge[1].outcome = Outcome::Trapped("unreachable".into());
        assert!(compare(("gauge", "panics"), &gauge, &steps, false).is_err());
    }

    #[test]
    fn refused_grows_return_minus_one_on_every_engine() {
        let wat = r#"(module
                (memory (export "m") 1)
                (table (export "t") 0 funcref)
                (func (export "grow_memory") (param i32) (result i32)
                    (memory.grow (local.get 0)))
                (func (export "grow_table") (param i32) (result i32)
                    (table.grow (ref.null func) (local.get 0))))"#;
        let wasm = wat::parse_str(wat).unwrap();
        let grow = |o: &mut dyn Oracle, f: &str, n: u32| match o.call(f, &[Val::I32(n as i32)]) {
            Outcome::Returned(v) => v,
            other => panic!("{}: {f}({n}): {other:?}", o.name()),
        };
        let oracles: [fn() -> Box<dyn Oracle>; 3] = [
            || Box::new(GaugeOracle::new(None)),
            || Box::new(WasmiOracle::new()),
            || Box::new(LegacyWasmiOracle::new()),
        ];
        for new in oracles {
            let mut o = new();
            o.instantiate(&wasm).unwrap();
            let o = &mut *o;
            let name = o.name();
            // One page past the limit, then a delta that wraps past 4 GiB: refused.
            assert_eq!(
                grow(o, "grow_memory", MAX_MEMORY_PAGES),
                [Val::I32(-1)],
                "{name}"
            );
            assert_eq!(grow(o, "grow_memory", u32::MAX), [Val::I32(-1)], "{name}");
            // Exactly to the limit: allowed; one more page: refused.
            assert_eq!(
                grow(o, "grow_memory", MAX_MEMORY_PAGES - 1),
                [Val::I32(1)],
                "{name}"
            );
            assert_eq!(grow(o, "grow_memory", 1), [Val::I32(-1)], "{name}");
            assert_eq!(
                grow(o, "grow_memory", 0),
                [Val::I32(MAX_MEMORY_PAGES as i32)],
                "{name}"
            );
            assert_eq!(
                grow(o, "grow_table", MAX_TABLE_ELEMENTS + 1),
                [Val::I32(-1)],
                "{name}"
            );
            assert_eq!(
                grow(o, "grow_table", MAX_TABLE_ELEMENTS),
                [Val::I32(0)],
                "{name}"
            );
            assert_eq!(grow(o, "grow_table", 1), [Val::I32(-1)], "{name}");
            assert_eq!(
                grow(o, "grow_table", 0),
                [Val::I32(MAX_TABLE_ELEMENTS as i32)],
                "{name}"
            );
        }
    }

    #[test]
    fn ten_million_iterations_of_loads_stores_and_calls_return_alike() {
        // The executor's handlers chain by tail calls in optimized builds: a long loop must
        // run in constant stack (it would overflow otherwise) and agree with wasmi.
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/checks/long-loop.wat");
        let wasm = wat::parse_file(path).unwrap();
        let mut g = GaugeOracle::new(None);
        g.instantiate(&wasm).unwrap();
        for name in ["loop_memory", "loop_calls"] {
            let outcome = g.call(name, &[]);
            assert!(
                matches!(outcome, Outcome::Returned(_)),
                "{name}: {outcome:?}"
            );
        }
        assert_eq!(
            differential(&wasm, false, &mut Unstructured::new(&[])),
            Ok(None)
        );
    }

    #[test]
    fn a_loop_around_memory_grow_runs_in_constant_stack_on_every_engine() {
        // Finding: in the coverage-instrumented build, wasmi 2.0's tail-call dispatch made a
        // host frame per `memory.grow` and overflowed the stack (now `portable-dispatch`).
        // Two million iterations on a 1 MiB stack: a frame per iteration cannot fit.
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/checks/memory-grow-loop.wat");
        let wasm = wat::parse_file(path).unwrap();
        // The loop in Rust: grow by 0 returns the size; grow by d returns the old size and
        // grows while the size stays within the maximum of 4 pages, else returns -1.
        let (mut pages, mut acc) = (1i32, 0i32);
        for i in 0..2_000_000i32 {
            let zero = pages;
            let d = i & 7;
            let grown = if pages + d <= 4 {
                pages += d;
                pages - d
            } else {
                -1
            };
            acc = acc.wrapping_add(zero.wrapping_add(grown));
        }
        let expected = acc.wrapping_add(pages);
        let verdict = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || {
                let mut g = GaugeOracle::new(None);
                g.instantiate(&wasm).unwrap();
                let outcome = g.call("grow_loop", &[]);
                (
                    outcome,
                    differential(&wasm, false, &mut Unstructured::new(&[])),
                )
            })
            .unwrap()
            .join()
            .expect("no overflow");
        assert_eq!(verdict.0, Outcome::Returned(vec![Val::I32(expected)]));
        assert_eq!(verdict.1, Ok(None));
    }

    #[test]
    fn the_memory_hash_sees_every_byte_and_the_length() {
        let base = vec![0u8; 100];
        let h = hash_memory(&base);
        for i in 0..base.len() {
            let mut m = base.clone();
            m[i] = 1;
            assert_ne!(hash_memory(&m), h, "byte {i}");
        }
        assert_ne!(hash_memory(&base[..99]), h);
        assert_ne!(hash_memory(&[0u8; 128]), hash_memory(&[0u8; 96]));
        assert_ne!(hash_memory(&[]), hash_memory(&[0]));
        let mut swapped = base.clone();
        swapped[0] = 1;
        let mut other = base.clone();
        other[8] = 1;
        assert_ne!(hash_memory(&swapped), hash_memory(&other));
    }

    #[test]
    fn large_memories_hashed_after_every_step_stay_fast() {
        // A 16 MiB memory hashed after every step on each engine: 21 s of CPU in the
        // coverage-instrumented harness with a byte-wise hash.
        let data = regression("metering", "slow-bytewise-memory-hash-16mib");
        let mut u = Unstructured::new(&data);
        let s = smith(&mut u, true).unwrap();
        let start = std::time::Instant::now();
        metering(&s.wasm, s.canonical_nans, &mut u).unwrap();
        eprintln!("metering check: {:?}", start.elapsed());
    }

    #[test]
    fn every_wasi_import_links_against_the_shim() {
        // A program calling each import once with zeros: linking never fails, so no call
        // ends in a trap about a missing or mistyped import.
        let mut wat = String::from("(module\n");
        let mut body = String::new();
        for (i, (name, params)) in WASI_SIGNATURES.iter().enumerate() {
            if *name == "proc_exit" {
                continue;
            }
            let ps: Vec<&str> = params
                .chars()
                .map(|c| if c == 'I' { "i64" } else { "i32" })
                .collect();
            wat.push_str(&format!(
                "(import \"wasi_snapshot_preview1\" \"{name}\" (func $f{i} (param {}) (result i32)))\n",
                ps.join(" ")
            ));
            let args: Vec<String> = params
                .chars()
                .map(|c| {
                    if c == 'I' {
                        "(i64.const 0)"
                    } else {
                        "(i32.const 0)"
                    }
                    .to_string()
                })
                .collect();
            body.push_str(&format!("(drop (call $f{i} {}))\n", args.join(" ")));
        }
        wat.push_str("(memory (export \"memory\") 1)\n(func (export \"_start\")\n");
        wat.push_str(&body);
        wat.push_str("))");
        let wasm = wat::parse_str(&wat).unwrap();
        let mut names: Vec<&str> = WASI_SIGNATURES.iter().map(|s| s.0).collect();
        let mut shim_names = gauge_wasi_shim::FUNCTIONS.to_vec();
        names.sort();
        shim_names.sort();
        assert_eq!(names, shim_names);
        let setup = ShimSetup {
            storage: vec![(b"a".to_vec(), b"1".to_vec())],
            other_storage: vec![],
            caller_balance: 0,
            deploy: false,
            ctx: gauge_wasi_shim::CallContext {
                address: CONTRACT,
                gas_limit: 10_000_000,
                ..Default::default()
            },
        };
        let engine = gauge::Engine::new(&gauge_wasi_shim::chain_config());
        let module = gauge::Module::from_binary(&engine, &wasm).unwrap();
        let mut state = setup.state(&wasm).unwrap();
        let outcome = gauge_wasi_shim::execute(&engine, &module, &mut state, &setup.ctx).unwrap();
        assert_eq!(
            outcome.status,
            gauge_wasi_shim::Status::Success,
            "{outcome:?}"
        );
        shim(&wasm, &setup).unwrap();
        // wasm-smith accepts the import list.
        let imports = wasi_imports();
        let data = [7u8; 4096];
        let mut u = Unstructured::new(&data);
        smith_wasi_module(&mut u, &imports).unwrap();
    }
}
