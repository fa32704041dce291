//! # gauge-wasi-shim
//!
//! `wasi_snapshot_preview1` mapped onto a chain state model, so that an ordinary WASI program
//! (stdin, stdout, files, environment, arguments, clock, exit) runs as a contract on Gauge.
//!
//! | WASI | chain meaning |
//! |---|---|
//! | `args_get` | `argv[0]` is the contract's address (`0x…`), then the call's arguments |
//! | `environ_get` | `CALLER`, `VALUE`, `BLOCK_HEIGHT`, `BLOCK_TIME`, `CHAIN_ID`, `GAS_LIMIT`, `BALANCE` |
//! | `clock_time_get` | the block time, for every clock (resolution 1 ns) |
//! | `random_get` | SHA-256 of the block and call context and a counter: deterministic and public |
//! | fd 0 / 1 / 2 | call input / return data / log events (one per write) |
//! | preopen `/` (fd 3) | the account's storage: path = key, contents = value |
//! | `/contracts/<address>` | a synchronous call: write its input, read its output |
//! | `proc_exit(0)`, `_start` returns | success: the journal is committed |
//! | `proc_exit(n)`, trap, out of gas | revert: the journal is dropped |
//!
//! The full table of all preview1 functions, the Merkle key layout and the gas each function
//! charges are in `docs/chain-wasi.md`.
//!
//! ```
//! use gauge_interpreter::{Engine, Module};
//! use gauge_wasi_shim::{Address, CallContext, State, Status, chain_config, execute};
//!
//! let engine = Engine::new(&chain_config());
//! // A contract that echoes its input, then stores it under the key `last`.
//! let module = Module::new(&engine, r#"
//!   (module
//!     (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
//!     (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
//!     (import "wasi_snapshot_preview1" "path_open"
//!       (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
//!     (memory (export "memory") 1)
//!     (data (i32.const 0) "last")
//!     (func (export "_start")
//!       ;; iovec at 16: buffer 64, length 100; bytes read at 8
//!       (i32.store (i32.const 16) (i32.const 64))
//!       (i32.store (i32.const 20) (i32.const 100))
//!       (drop (call $read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 8)))
//!       (i32.store (i32.const 20) (i32.load (i32.const 8)))
//!       (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 12)))
//!       ;; open "last" in the preopened root (fd 3) with O_CREAT|O_TRUNC, rights FD_WRITE
//!       (drop (call $open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 4)
//!         (i32.const 9) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 4)))
//!       (drop (call $write (i32.load (i32.const 4)) (i32.const 16) (i32.const 1) (i32.const 12)))))
//! "#)?;
//! let mut state = State::in_memory();
//! let contract = Address([0xc0; 20]);
//! let ctx = CallContext {
//!     address: contract,
//!     input: b"hello".to_vec(),
//!     gas_limit: 10_000_000,
//!     ..CallContext::default()
//! };
//! let outcome = execute(&engine, &module, &mut state, &ctx)?;
//! assert_eq!(outcome.status, Status::Success);
//! assert_eq!(outcome.output, b"hello");
//! assert_eq!(state.storage_get(&contract, b"last")?.as_deref(), Some(&b"hello"[..]));
//! assert_eq!(outcome.state_root, state.root()?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Every call can also yield a [`Receipt`] (appended to the state's tamper-evident chain
//! atomically with the call) and a [`Witness`] from which [`verify`] re-executes it without the
//! state: see [`run`], [`run_account`], [`State::verify_receipts`] and `docs/receipts.md`. Code
//! is stored by hash and checked against it whenever it is loaded.
//!
//! Determinism: nothing here reads the host's files, clocks, randomness or environment, and no
//! hash-map iteration order is observable. Every errno, inode, listing order and gas charge is a
//! function of the state, the call context and the program.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod abi;
mod preview1;
pub mod receipt;
mod run;
mod runtime;
pub mod state;
mod types;
mod vfs;
pub mod witness;

pub use preview1::{FUNCTIONS, MODULE};
pub use receipt::{
    ChainError, ChainFault, GENESIS_RECEIPT_HASH, RECEIPT_VERSION, Receipt, call_hash, logs_hash,
    sha256,
};
pub use run::{Run, RunOptions, contract_address, run, run_account, schedule_id, wasm_binary};
pub use runtime::{MAX_NESTED_CALLS, execute, execute_account};
pub use state::{
    Backend, Changes, Deployed, EMPTY_ROOT, MemBackend, Proof, RedbBackend, State, StateKey,
};
pub use types::{
    Account, Address, BlockContext, CallContext, CallOutcome, ShimError, Status, hex, unhex,
};
pub use vfs::CONTRACTS;
pub use witness::{
    Verified, VerifyError, WITNESS_VERSION, Witness, WitnessRead, WitnessWrite, check_read_proof,
    decode_proof, verify,
};

/// Limits of a Gauge chain, as the shim's tests and the CLI use them: gas metering with
/// [`gauge_metering::Schedule::v1`], at most 2,048 nested frames (a deep recursion is
/// [`Status::Exhausted`] rather than a stack overflow inside linear memory) and at most 1,024
/// memory pages (64 MiB) per instance.
pub fn chain_config() -> gauge_interpreter::Config {
    let mut config = gauge_interpreter::Config::default();
    config
        .gas(gauge_metering::Schedule::v1())
        .max_call_depth(2_048)
        .max_memory_pages(1_024);
    config
}
