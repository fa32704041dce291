//! # gauge-metering
//!
//! Gauge's gas: the versioned [`Schedule`] (a cost for every WebAssembly operator, generated
//! from wasmparser's operator list, plus dynamic costs), the streaming per-function
//! [`FuncMeter`] that decides where charges go and how much each is, and [`instrument`], which
//! writes a plain `.wasm` with the same charges as calls to an imported `gauge.gas(i64)`.
//!
//! This crate knows wasmparser operators, not the interpreter's internals: the interpreter's
//! translator and the instrumenter both drive the same [`FuncMeter`], so their charges are
//! identical by construction. The semantics are written down in `docs/gas.md`.

#![forbid(unsafe_code)]

mod analysis;
mod instrument;
mod schedule;

pub use analysis::{Dynamic, FuncMeter, Step, Unsupported, dynamic_of};
pub use instrument::{GAS_FUNC, GAS_MODULE, InstrumentError, features, instrument};
pub use schedule::{Class, DynamicCosts, InstrCosts, OPERATORS, Schedule, classify};
