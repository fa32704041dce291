//! # gauge-interpreter
//!
//! Gauge's deterministic WebAssembly interpreter. This crate owns validation (through
//! wasmparser), single-pass translation into Gauge's slot-addressed internal code
//! ([`ir`]), execution without recursion on the host stack, the store and its limits, NaN
//! canonicalization, and host-function linking. It knows nothing of chains or WASI.
//!
//! The embedding API follows wasmtime's and wasmi's shape, so switching is easy:
//!
//! ```
//! use gauge_interpreter::{Engine, Linker, Module, Store};
//!
//! let engine = Engine::default();
//! let module = Module::new(&engine, r#"
//!     (module
//!       (import "host" "double" (func $double (param i32) (result i32)))
//!       (func (export "run") (param i32) (result i32)
//!         (call $double (i32.add (local.get 0) (i32.const 1)))))
//! "#)?;
//! let mut store = Store::new(&engine, ());
//! let mut linker = Linker::new(&engine);
//! linker.func_wrap("host", "double", |x: i32| x * 2)?;
//! let instance = linker.instantiate(&mut store, &module)?;
//! let run = instance.get_typed_func::<i32, i32, _>(&store, "run")?;
//! assert_eq!(run.call(&mut store, 20)?, 42);
//! # Ok::<(), gauge_interpreter::Error>(())
//! ```
//!
//! Determinism: every arithmetic float operation that produces a NaN produces the canonical
//! NaN; limits (call depth, value-stack slots, memory pages, table elements) come from
//! [`Config`] and are counted in Wasm terms. See `docs/determinism.md`.

mod engine;
mod error;
mod exec;
mod func;
mod instance;
pub mod ir;
mod linker;
mod module;
pub mod num;
#[cfg(feature = "op-profile")]
pub mod profile;
mod store;
mod translate;
mod types;
mod value;

pub use engine::{Config, Engine};
pub use error::{Error, TrapCode};
pub use func::{Caller, Func, IntoFunc, TypedFunc, WasmParams, WasmResults, WasmRet, WasmTy};
pub use instance::Instance;
pub use linker::Linker;
pub use module::{Module, ModuleStats};
pub use store::{Extern, ExternRef, Global, Memory, PAGE_SIZE, Store, Table};
pub use types::{ExternType, FuncType, GlobalType, MemoryType, Mutability, TableType, ValType};
pub use value::{F32, F64, Value};
