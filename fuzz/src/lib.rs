//! Shared pieces of Gauge's fuzz targets: module generation, the engines under test behind one
//! [`Oracle`] trait, and the checks each target runs. Targets in `fuzz_targets/` are thin.
//!
//! A check returns `Err(description)` on a divergence; targets turn that into a panic so that
//! libFuzzer records the input.

use arbitrary::{Arbitrary, Unstructured};
use gauge_interpreter as gauge;
use gauge_metering::{GAS_FUNC, GAS_MODULE, Schedule, instrument};

/// Translation work allowed per byte of input, and a constant for once-per-module costs (the
/// per-local table grows once to the largest local index used, at most 50,000).
pub const STEPS_PER_BYTE: u64 = 16;
/// See [`STEPS_PER_BYTE`].
pub const STEPS_CONSTANT: u64 = 65_536;

/// Fuel wasm-smith's `ensure_termination` gives each run (loops and calls decrement it).
const SMITH_FUEL: u32 = 5_000;

/// A wasm-smith module restricted to the features Gauge supports (Wasm 2.0 without SIMD),
/// without imports, exporting everything. With `terminating`, every loop and call consumes
/// a fuel global so that each call ends.
pub fn smith_module(u: &mut Unstructured<'_>, terminating: bool) -> arbitrary::Result<Vec<u8>> {
    let mut c = wasm_smith::Config::arbitrary(u)?;
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
    c.max_memories = c.max_memories.min(1);
    c.max_memory32_bytes = c.max_memory32_bytes.min(1 << 24);
    c.max_tables = c.max_tables.min(4);
    c.max_table_elements = c.max_table_elements.min(10_000);
    c.max_imports = 0;
    c.available_imports = None;
    c.export_everything = true;
    let mut m = wasm_smith::Module::new(c, u)?;
    if terminating {
        m.ensure_termination(SMITH_FUEL)
            .map_err(|_| arbitrary::Error::IncorrectFormat)?;
    }
    Ok(m.to_bytes())
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
}

fn fnv(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ *b as u64).wrapping_mul(0x100_0000_01b3)
    })
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
        config.max_call_depth(1_000);
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
        let mut v: Vec<(String, Val)> = inst
            .exports(&self.store)
            .filter_map(|(n, e)| {
                Some((
                    n.to_string(),
                    from_gauge(&e.into_global()?.get(&self.store)),
                ))
            })
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }

    fn memory_hash(&mut self) -> Vec<(String, u64)> {
        let Some(inst) = self.instance else {
            return Vec::new();
        };
        let mut v: Vec<(String, u64)> = inst
            .exports(&self.store)
            .filter_map(|(n, e)| Some((n.to_string(), fnv(e.into_memory()?.data(&self.store)))))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }
}

/// wasmi 2.0 (feature `deterministic`), optionally running an instrumented module whose
/// `gauge.gas` calls it sums.
pub struct WasmiOracle {
    store: wasmi::Store<u64>,
    linker: wasmi::Linker<u64>,
    instance: Option<wasmi::Instance>,
}

impl Default for WasmiOracle {
    fn default() -> Self {
        Self::new()
    }
}

impl WasmiOracle {
    /// A fresh wasmi with a `gauge.gas` import that adds its argument to the store's counter.
    pub fn new() -> Self {
        let engine = wasmi::Engine::default();
        let store = wasmi::Store::new(&engine, 0u64);
        let mut linker = wasmi::Linker::new(&engine);
        linker
            .func_wrap(
                GAS_MODULE,
                GAS_FUNC,
                |mut c: wasmi::Caller<'_, u64>, amount: i64| {
                    *c.data_mut() += amount as u64;
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
        *self.store.data()
    }
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

impl Oracle for WasmiOracle {
    fn name(&self) -> &'static str {
        "wasmi"
    }

    fn instantiate(&mut self, wasm: &[u8]) -> Result<(), String> {
        let module = wasmi::Module::new(self.store.engine(), wasm).map_err(|e| e.to_string())?;
        *self.store.data_mut() = 0;
        let inst = self
            .linker
            .instantiate_and_start(&mut self.store, &module)
            .map_err(|e| e.to_string())?;
        self.instance = Some(inst);
        Ok(())
    }

    fn call(&mut self, name: &str, args: &[Val]) -> Outcome {
        let inst = self.instance.expect("instantiated");
        let f = inst.get_func(&self.store, name).expect("export exists");
        let ty = f.ty(&self.store);
        let args: Vec<wasmi::Val> = args.iter().map(to_wasmi).collect();
        let mut results: Vec<wasmi::Val> = ty
            .results()
            .iter()
            .map(|t| wasmi::Val::default_for_ty(*t))
            .collect();
        *self.store.data_mut() = 0;
        match f.call(&mut self.store, &args, &mut results) {
            Ok(()) => Outcome::Returned(results.iter().map(from_wasmi).collect()),
            Err(e) => match e.as_trap_code() {
                Some(wasmi::TrapCode::StackOverflow) => Outcome::Exhausted,
                _ => Outcome::Trapped(e.to_string()),
            },
        }
    }

    fn globals(&mut self) -> Vec<(String, Val)> {
        let Some(inst) = self.instance else {
            return Vec::new();
        };
        let mut v: Vec<(String, Val)> = inst
            .exports(&self.store)
            .filter_map(|e| {
                let name = e.name().to_string();
                let g = e.into_global()?;
                Some((name, from_wasmi(&g.get(&self.store))))
            })
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }

    fn memory_hash(&mut self) -> Vec<(String, u64)> {
        let Some(inst) = self.instance else {
            return Vec::new();
        };
        let mut v: Vec<(String, u64)> = inst
            .exports(&self.store)
            .filter_map(|e| {
                let name = e.name().to_string();
                let m = e.into_memory()?;
                Some((name, fnv(m.data(&self.store))))
            })
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }
}

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

fn same_outcome(a: &Outcome, b: &Outcome) -> bool {
    match (a, b) {
        (Outcome::Returned(x), Outcome::Returned(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| p.same(q))
        }
        (Outcome::Trapped(_), Outcome::Trapped(_)) => true,
        _ => false,
    }
}

/// Run every export of `wasm` with generated arguments on Gauge and wasmi and compare results,
/// traps, exported globals and memory after each call.
pub fn differential(wasm: &[u8], u: &mut Unstructured<'_>) -> Result<(), String> {
    let mut gauge = GaugeOracle::new(None);
    let mut wasmi = WasmiOracle::new();
    let g = gauge.instantiate(wasm);
    let w = wasmi.instantiate(wasm);
    match (&g, &w) {
        (Ok(()), Ok(())) => {}
        (Err(_), Err(_)) => return Ok(()),
        // Resource limits differ between engines (Gauge caps memories at 1 GiB by default).
        (Err(e), Ok(())) if e.contains("limit") => return Ok(()),
        _ => return Err(format!("instantiation: gauge {g:?}, wasmi {w:?}")),
    }
    for export in gauge.exports() {
        let args = arguments(u, &export.params);
        let a = gauge.call(&export.name, &args);
        let b = wasmi.call(&export.name, &args);
        if matches!(a, Outcome::Exhausted) || matches!(b, Outcome::Exhausted) {
            return Ok(()); // engine-specific depth: state after it is not comparable
        }
        if !same_outcome(&a, &b) {
            return Err(format!(
                "{}({args:?}): gauge {a:?}, wasmi {b:?}",
                export.name
            ));
        }
        let (ga, gb) = (gauge.globals(), wasmi.globals());
        let globals_same = ga.len() == gb.len()
            && ga
                .iter()
                .zip(&gb)
                .all(|(x, y)| x.0 == y.0 && x.1.same(&y.1));
        if !globals_same {
            return Err(format!(
                "globals after {}: gauge {ga:?}, wasmi {gb:?}",
                export.name
            ));
        }
        let (ma, mb) = (gauge.memory_hash(), wasmi.memory_hash());
        if ma != mb {
            return Err(format!(
                "memory after {}: gauge {ma:?}, wasmi {mb:?}",
                export.name
            ));
        }
    }
    Ok(())
}

/// Gauge's built-in gas for each call equals the gas the instrumented module reports on wasmi,
/// and rerunning the call on a fresh instance with limit `gas_used - 1` runs out of gas.
pub fn metering(wasm: &[u8], u: &mut Unstructured<'_>) -> Result<(), String> {
    let schedule = Schedule::v1();
    let Ok(instrumented) = instrument(&schedule, wasm) else {
        return Ok(());
    };
    let mut gauge = GaugeOracle::new(Some(schedule.clone()));
    let mut wasmi = WasmiOracle::new();
    if gauge.instantiate(wasm).is_err() || wasmi.instantiate(&instrumented).is_err() {
        return Ok(());
    }
    if gauge.gas_used() != wasmi.gas() {
        return Err(format!(
            "start: gauge {} gas, wasmi {}",
            gauge.gas_used(),
            wasmi.gas()
        ));
    }
    let mut history: Vec<(String, Vec<Val>)> = Vec::new();
    for export in gauge.exports() {
        let args = arguments(u, &export.params);
        let a = gauge.call(&export.name, &args);
        let b = wasmi.call(&export.name, &args);
        if matches!(a, Outcome::Exhausted) || matches!(b, Outcome::Exhausted) {
            return Ok(());
        }
        let used = gauge.gas_used();
        if !same_outcome(&a, &b) || used != wasmi.gas() {
            return Err(format!(
                "{}({args:?}): gauge {a:?} with {used} gas, instrumented on wasmi {b:?} with {}",
                export.name,
                wasmi.gas()
            ));
        }
        // Replay on a fresh instance with one unit less for this call: it must run out.
        if used > 0 {
            let mut replay = GaugeOracle::new(Some(schedule.clone()));
            if replay.instantiate(wasm).is_ok() {
                for (name, args) in &history {
                    replay.call(name, args);
                }
                replay.gas_limit = used - 1;
                let r = replay.call(&export.name, &args);
                if !matches!(&r, Outcome::Trapped(m) if m.contains("out of gas")) {
                    return Err(format!(
                        "{}: limit {} gave {r:?}, not out of gas",
                        export.name,
                        used - 1
                    ));
                }
            }
        }
        history.push((export.name.clone(), args));
    }
    Ok(())
}
