//! One embedding surface over the four measured configurations.
//!
//! Every benchmark case talks to an [`Instance`], which hides whether Gauge or wasmi runs
//! underneath and whether gas (Gauge) or fuel (wasmi) is metered. Calls go through the
//! engines' untyped `Func::call`, whose cost is a few hundred nanoseconds per call and so
//! invisible next to the 0.2–1 s a measured call takes.

use std::time::Instant;

use gauge_interpreter as gauge;

/// Gas (Gauge) or fuel (wasmi) given to a metered store before every call: high enough that
/// no benchmark runs out, low enough that nothing overflows.
pub const GAS_BUDGET: u64 = u64::MAX / 4;

/// One of the four measured configurations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EngineKind {
    /// Gauge with the `v1` gas schedule (`Config::gas(Schedule::v1())`).
    GaugeMetered,
    /// Gauge without metering.
    GaugeUnmetered,
    /// wasmi 2.0 with fuel metering (`Config::consume_fuel(true)`).
    WasmiFuel,
    /// wasmi 2.0 without fuel metering.
    WasmiUnmetered,
}

impl EngineKind {
    /// All four configurations, in the order a repetition starts from.
    pub const ALL: [EngineKind; 4] = [
        EngineKind::GaugeMetered,
        EngineKind::WasmiFuel,
        EngineKind::GaugeUnmetered,
        EngineKind::WasmiUnmetered,
    ];

    /// A short stable name, used as a column header and a JSON key.
    pub fn label(self) -> &'static str {
        match self {
            EngineKind::GaugeMetered => "gauge_metered",
            EngineKind::GaugeUnmetered => "gauge_unmetered",
            EngineKind::WasmiFuel => "wasmi_fuel",
            EngineKind::WasmiUnmetered => "wasmi_unmetered",
        }
    }

    /// Whether this configuration runs Gauge.
    pub fn is_gauge(self) -> bool {
        matches!(self, EngineKind::GaugeMetered | EngineKind::GaugeUnmetered)
    }

    /// Whether this configuration meters gas or fuel.
    pub fn is_metered(self) -> bool {
        matches!(self, EngineKind::GaugeMetered | EngineKind::WasmiFuel)
    }
}

/// A WebAssembly number passed to or returned from a benchmark call. Floats are kept as bits
/// so results compare exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Val {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`, as its bits.
    F32(u32),
    /// An `f64`, as its bits.
    F64(u64),
}

impl Val {
    /// The value as an `i64` if it is an integer (an `i32` is sign-extended).
    pub fn as_i64(self) -> Option<i64> {
        match self {
            Val::I32(v) => Some(i64::from(v)),
            Val::I64(v) => Some(v),
            _ => None,
        }
    }

    /// The value as an `f64` if it is a float (an `f32` is widened exactly).
    pub fn as_f64(self) -> Option<f64> {
        match self {
            Val::F32(b) => Some(f64::from(f32::from_bits(b))),
            Val::F64(b) => Some(f64::from_bits(b)),
            _ => None,
        }
    }
}

impl std::fmt::Display for Val {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Val::I32(v) => write!(f, "i32:{v}"),
            Val::I64(v) => write!(f, "i64:{v}"),
            Val::F32(b) => write!(f, "f32:{}", f32::from_bits(*b)),
            Val::F64(b) => write!(f, "f64:{}", f64::from_bits(*b)),
        }
    }
}

/// Host functions a module may import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imports {
    /// The module imports nothing.
    None,
    /// `env.clock_ms: () -> i32`: a host clock started when the instance was created, running
    /// `speedup` times faster than real time (CoreMark's timer; the only case where a wall
    /// clock is acceptable). CoreMark runs until its clock has seen about ten seconds, so a
    /// faster clock makes it run fewer iterations; its score is then `speedup` times too low,
    /// and [`crate::cases::ExecCase::score_factor`] corrects that.
    ClockMs {
        /// How many times faster than real time the clock runs (at least 1).
        speedup: u32,
    },
    /// A WASI program (`wasi_snapshot_preview1`): run through `gauge-wasi-shim` on Gauge and
    /// the subset in [`crate::wasi`] on wasmi; the timed export is `_start`, which
    /// instantiates afresh on every call.
    Wasi,
}

/// A module compiled and instantiated in one configuration, with its own store.
pub enum Instance {
    /// A Gauge instance.
    Gauge(Box<GaugeInstance>),
    /// A wasmi instance (boxed: wasmi's store is large).
    Wasmi(Box<WasmiInstance>),
    /// A WASI program, on either engine.
    Wasi(Box<crate::wasi::WasiInstance>),
}

/// The Gauge side of an [`Instance`].
pub struct GaugeInstance {
    store: gauge::Store<()>,
    instance: gauge::Instance,
    metered: bool,
}

/// The wasmi side of an [`Instance`].
pub struct WasmiInstance {
    store: wasmi::Store<()>,
    instance: wasmi::Instance,
    fuel: bool,
}

/// A millisecond clock starting now and running `speedup` times faster than real time.
fn clock_ms(speedup: u32) -> impl Fn() -> i32 + Send + Sync + 'static {
    let start = Instant::now();
    let speedup = u128::from(speedup.max(1));
    move || (start.elapsed().as_micros() * speedup / 1000) as i32
}

/// A Gauge engine for `kind` (which must be a Gauge configuration).
fn gauge_engine(metered: bool) -> gauge::Engine {
    let mut config = gauge::Config::default();
    if metered {
        config.gas(gauge_metering::Schedule::v1());
    }
    gauge::Engine::new(&config)
}

/// A wasmi engine translating eagerly, with or without fuel.
fn wasmi_engine(fuel: bool) -> wasmi::Engine {
    let mut config = wasmi::Config::default();
    config
        .consume_fuel(fuel)
        .compilation_mode(wasmi::CompilationMode::Eager);
    wasmi::Engine::new(&config)
}

impl Instance {
    /// Compile `wasm` (binary) in configuration `kind`, link `imports` and instantiate it.
    pub fn new(kind: EngineKind, wasm: &[u8], imports: Imports) -> Result<Self, String> {
        if imports == Imports::Wasi {
            let program = match kind {
                EngineKind::GaugeMetered | EngineKind::GaugeUnmetered => {
                    let metered = kind == EngineKind::GaugeMetered;
                    crate::wasi::WasiInstance::gauge(gauge_engine(metered), wasm, metered)?
                }
                EngineKind::WasmiFuel | EngineKind::WasmiUnmetered => {
                    let fuel = kind == EngineKind::WasmiFuel;
                    crate::wasi::WasiInstance::wasmi(wasmi_engine(fuel), wasm, fuel)?
                }
            };
            return Ok(Instance::Wasi(Box::new(program)));
        }
        match kind {
            EngineKind::GaugeMetered | EngineKind::GaugeUnmetered => {
                let metered = kind == EngineKind::GaugeMetered;
                let engine = gauge_engine(metered);
                let module =
                    gauge::Module::new(&engine, wasm).map_err(|e| format!("compile: {e}"))?;
                let mut store = gauge::Store::new(&engine, ());
                store.set_gas(GAS_BUDGET);
                let mut linker = gauge::Linker::new(&engine);
                if let Imports::ClockMs { speedup } = imports {
                    let clock = clock_ms(speedup);
                    linker
                        .func_wrap("env", "clock_ms", clock)
                        .map_err(|e| format!("link: {e}"))?;
                }
                let instance = linker
                    .instantiate(&mut store, &module)
                    .map_err(|e| format!("instantiate: {e}"))?;
                Ok(Instance::Gauge(Box::new(GaugeInstance {
                    store,
                    instance,
                    metered,
                })))
            }
            EngineKind::WasmiFuel | EngineKind::WasmiUnmetered => {
                let fuel = kind == EngineKind::WasmiFuel;
                let engine = wasmi_engine(fuel);
                let module =
                    wasmi::Module::new(&engine, wasm).map_err(|e| format!("compile: {e}"))?;
                let mut store = wasmi::Store::new(&engine, ());
                if fuel {
                    store.set_fuel(GAS_BUDGET).map_err(|e| e.to_string())?;
                }
                let mut linker = wasmi::Linker::new(&engine);
                if let Imports::ClockMs { speedup } = imports {
                    let clock = clock_ms(speedup);
                    linker
                        .func_wrap("env", "clock_ms", clock)
                        .map_err(|e| format!("link: {e}"))?;
                }
                let instance = linker
                    .instantiate_and_start(&mut store, &module)
                    .map_err(|e| format!("instantiate: {e}"))?;
                Ok(Instance::Wasmi(Box::new(WasmiInstance {
                    store,
                    instance,
                    fuel,
                })))
            }
        }
    }

    /// Refill the gas (or fuel) budget to [`GAS_BUDGET`], so that [`Instance::gas_used`]
    /// afterwards counts only what runs next. Does nothing when unmetered.
    pub fn reset_gas(&mut self) {
        match self {
            Instance::Gauge(g) => {
                if g.metered {
                    g.store.set_gas(GAS_BUDGET);
                }
            }
            Instance::Wasmi(w) => {
                if w.fuel {
                    // Cannot fail: fuel metering is on for this store.
                    let _ = w.store.set_fuel(GAS_BUDGET);
                }
            }
            // Every run starts with a fresh budget.
            Instance::Wasi(_) => {}
        }
    }

    /// Set a WASI program's stdin; an error for other instances.
    pub fn set_stdin(&mut self, input: &[u8]) -> Result<(), String> {
        match self {
            Instance::Wasi(w) => {
                w.set_stdin(input);
                Ok(())
            }
            _ => Err("stdin is only for WASI programs".into()),
        }
    }

    /// The outcome of a WASI program's last run.
    pub fn wasi_outcome(&self) -> Option<&crate::wasi::WasiOutcome> {
        match self {
            Instance::Wasi(w) => Some(w.last()),
            _ => None,
        }
    }

    /// Gas (Gauge) or fuel (wasmi) used since the last [`Instance::reset_gas`], or `None` when
    /// unmetered.
    pub fn gas_used(&self) -> Option<u64> {
        match self {
            Instance::Gauge(g) => g.metered.then(|| g.store.gas_used()),
            Instance::Wasmi(w) => {
                if w.fuel {
                    w.store.get_fuel().ok().map(|left| GAS_BUDGET - left)
                } else {
                    None
                }
            }
            Instance::Wasi(w) => w.last().gas,
        }
    }

    /// Call the exported function `name` with `args` and return its results. A trap, a missing
    /// export or a type mismatch is an error message.
    pub fn call(&mut self, name: &str, args: &[Val]) -> Result<Vec<Val>, String> {
        match self {
            Instance::Gauge(g) => g.call(name, args),
            Instance::Wasmi(w) => w.call(name, args),
            Instance::Wasi(w) => {
                if name != "_start" || !args.is_empty() {
                    return Err(format!("a WASI program runs `_start()`, not `{name}`"));
                }
                w.run()?;
                Ok(Vec::new())
            }
        }
    }

    /// Copy `bytes` into the exported memory `memory` at `offset`.
    pub fn write_memory(&mut self, offset: u32, bytes: &[u8]) -> Result<(), String> {
        let offset = offset as usize;
        match self {
            Instance::Gauge(g) => {
                let mem = g
                    .instance
                    .get_memory(&g.store, "memory")
                    .ok_or("no exported memory `memory`")?;
                mem.write(&mut g.store, offset, bytes)
                    .map_err(|e| format!("memory write: {e}"))
            }
            Instance::Wasmi(w) => {
                let mem = w
                    .instance
                    .get_memory(&w.store, "memory")
                    .ok_or("no exported memory `memory`")?;
                mem.write(&mut w.store, offset, bytes)
                    .map_err(|e| format!("memory write: {e}"))
            }
            Instance::Wasi(_) => Err("a WASI program's memory is not kept between runs".into()),
        }
    }

    /// Read `len` bytes of the exported memory `memory` at `offset`.
    pub fn read_memory(&self, offset: u32, len: usize) -> Result<Vec<u8>, String> {
        let mut buf = vec![0; len];
        let offset = offset as usize;
        match self {
            Instance::Gauge(g) => {
                let mem = g
                    .instance
                    .get_memory(&g.store, "memory")
                    .ok_or("no exported memory `memory`")?;
                mem.read(&g.store, offset, &mut buf)
                    .map_err(|e| format!("memory read: {e}"))?;
            }
            Instance::Wasmi(w) => {
                let mem = w
                    .instance
                    .get_memory(&w.store, "memory")
                    .ok_or("no exported memory `memory`")?;
                mem.read(&w.store, offset, &mut buf)
                    .map_err(|e| format!("memory read: {e}"))?;
            }
            Instance::Wasi(_) => {
                return Err("a WASI program's memory is not kept between runs".into());
            }
        }
        Ok(buf)
    }
}

impl GaugeInstance {
    fn call(&mut self, name: &str, args: &[Val]) -> Result<Vec<Val>, String> {
        let func = self
            .instance
            .get_func(&self.store, name)
            .ok_or_else(|| format!("no exported function `{name}`"))?;
        let ty = func.ty(&self.store);
        let params: Vec<gauge::Value> = args
            .iter()
            .map(|a| match *a {
                Val::I32(v) => gauge::Value::I32(v),
                Val::I64(v) => gauge::Value::I64(v),
                Val::F32(b) => gauge::Value::F32(gauge::F32::from_bits(b)),
                Val::F64(b) => gauge::Value::F64(gauge::F64::from_bits(b)),
            })
            .collect();
        let mut results: Vec<gauge::Value> = ty
            .results()
            .iter()
            .map(|t| gauge::Value::default_for(*t))
            .collect();
        func.call(&mut self.store, &params, &mut results)
            .map_err(|e| format!("`{name}`: {e}"))?;
        results
            .into_iter()
            .map(|r| match r {
                gauge::Value::I32(v) => Ok(Val::I32(v)),
                gauge::Value::I64(v) => Ok(Val::I64(v)),
                gauge::Value::F32(v) => Ok(Val::F32(v.to_bits())),
                gauge::Value::F64(v) => Ok(Val::F64(v.to_bits())),
                other => Err(format!("`{name}` returned a reference: {other:?}")),
            })
            .collect()
    }
}

impl WasmiInstance {
    fn call(&mut self, name: &str, args: &[Val]) -> Result<Vec<Val>, String> {
        let func = self
            .instance
            .get_func(&self.store, name)
            .ok_or_else(|| format!("no exported function `{name}`"))?;
        let ty = func.ty(&self.store);
        let params: Vec<wasmi::Val> = args
            .iter()
            .map(|a| match *a {
                Val::I32(v) => wasmi::Val::I32(v),
                Val::I64(v) => wasmi::Val::I64(v),
                Val::F32(b) => wasmi::Val::F32(wasmi::F32::from_bits(b)),
                Val::F64(b) => wasmi::Val::F64(wasmi::F64::from_bits(b)),
            })
            .collect();
        let mut results: Vec<wasmi::Val> = ty
            .results()
            .iter()
            .map(|t| wasmi::Val::default_for_ty(*t))
            .collect();
        func.call(&mut self.store, &params, &mut results)
            .map_err(|e| format!("`{name}`: {e}"))?;
        results
            .into_iter()
            .map(|r| match r {
                wasmi::Val::I32(v) => Ok(Val::I32(v)),
                wasmi::Val::I64(v) => Ok(Val::I64(v)),
                wasmi::Val::F32(v) => Ok(Val::F32(v.to_bits())),
                wasmi::Val::F64(v) => Ok(Val::F64(v.to_bits())),
                other => Err(format!("`{name}` returned a non-number: {other:?}")),
            })
            .collect()
    }
}

/// An engine ready to validate and translate modules in one configuration, for the
/// translation benchmark: only `Module::new` is timed, the engine is made beforehand.
pub enum Translator {
    /// Gauge, metered or not (metering adds the per-block gas analysis to translation).
    Gauge(gauge::Engine),
    /// wasmi with eager compilation, fuel or not.
    Wasmi(wasmi::Engine),
}

impl Translator {
    /// A translator for configuration `kind`.
    pub fn new(kind: EngineKind) -> Self {
        match kind {
            EngineKind::GaugeMetered => Translator::Gauge(gauge_engine(true)),
            EngineKind::GaugeUnmetered => Translator::Gauge(gauge_engine(false)),
            EngineKind::WasmiFuel => Translator::Wasmi(wasmi_engine(true)),
            EngineKind::WasmiUnmetered => Translator::Wasmi(wasmi_engine(false)),
        }
    }

    /// Validate and translate `wasm` (a binary module). The caller drops the result after
    /// stopping its clock.
    pub fn translate(&self, wasm: &[u8]) -> Result<Compiled, String> {
        match self {
            Translator::Gauge(engine) => gauge::Module::from_binary(engine, wasm)
                .map(Compiled::Gauge)
                .map_err(|e| e.to_string()),
            Translator::Wasmi(engine) => wasmi::Module::new(engine, wasm)
                .map(Compiled::Wasmi)
                .map_err(|e| e.to_string()),
        }
    }
}

/// A translated module, kept only to be dropped outside the timed region.
pub enum Compiled {
    /// Gauge's module.
    Gauge(gauge::Module),
    /// wasmi's module.
    Wasmi(wasmi::Module),
}
