//! Engine and configuration.

use std::sync::Arc;

use gauge_metering::Schedule;

/// Settings shared by every module and store of an [`Engine`].
///
/// All limits are counted in WebAssembly terms, so a run exhausts them at the same point on
/// every platform.
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) floats: bool,
    pub(crate) max_call_depth: u32,
    pub(crate) max_stack_slots: u32,
    pub(crate) max_memory_pages: u32,
    pub(crate) max_table_elements: u32,
    pub(crate) gas: Option<Arc<Schedule>>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            floats: true,
            max_call_depth: 10_000,
            max_stack_slots: 1 << 20,
            max_memory_pages: 16_384,
            max_table_elements: 1 << 20,
            gas: None,
        }
    }
}

impl Config {
    /// Allow float instructions and types (default `true`); `false` rejects at validation every
    /// float type (signatures, locals, globals, block types) and every instruction that takes,
    /// produces or names a float, for chains that forbid floats.
    pub fn floats(&mut self, enable: bool) -> &mut Self {
        self.floats = enable;
        self
    }

    /// Maximum number of nested Wasm and host frames (default 10,000).
    pub fn max_call_depth(&mut self, depth: u32) -> &mut Self {
        self.max_call_depth = depth;
        self
    }

    /// Maximum number of 64-bit value-stack slots over all frames (default 2^20, 8 MiB).
    pub fn max_stack_slots(&mut self, slots: u32) -> &mut Self {
        self.max_stack_slots = slots;
        self
    }

    /// Maximum size of any memory in 64 KiB pages (default 16,384 = 1 GiB);
    /// `memory.grow` past it returns -1.
    pub fn max_memory_pages(&mut self, pages: u32) -> &mut Self {
        self.max_memory_pages = pages.min(65_536);
        self
    }

    /// Maximum number of elements of any table (default 2^20); `table.grow` past it returns -1.
    pub fn max_table_elements(&mut self, elements: u32) -> &mut Self {
        self.max_table_elements = elements;
        self
    }

    /// Meter gas with `schedule`: translation injects one charge per metered block, dynamic
    /// costs are charged where they occur, and running out of gas traps with
    /// [`crate::TrapCode::OutOfGas`]. See `docs/gas.md`.
    pub fn gas(&mut self, schedule: Schedule) -> &mut Self {
        self.gas = Some(Arc::new(schedule));
        self
    }

    /// The gas schedule, if metering is on.
    pub fn gas_schedule(&self) -> Option<&Schedule> {
        self.gas.as_deref()
    }

    /// The WebAssembly features Gauge validates against: Wasm 2.0 without SIMD.
    pub(crate) fn wasm_features(&self) -> wasmparser::WasmFeatures {
        use wasmparser::WasmFeatures as F;
        let mut f = F::WASM2.difference(F::SIMD);
        if !self.floats {
            f.remove(F::FLOATS);
        }
        f
    }
}

/// Shared, immutable context for compiling modules and creating stores.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    pub(crate) config: Arc<Config>,
}

impl Engine {
    /// An engine with this configuration.
    pub fn new(config: &Config) -> Self {
        Self {
            config: Arc::new(config.clone()),
        }
    }

    /// The engine's configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }
}
