//! # gauge
//!
//! The `gauge` command: run, validate and test WebAssembly modules on Gauge's deterministic
//! interpreter.
//!
//! ```text
//! gauge run CONTRACT [--input STR | --input-file PATH] [--arg STR]... [--address HEX]
//!           [--caller HEX] [--value N] [--block-height N] [--block-time-ns N] [--chain-id N]
//!           [--gas N] [--state PATH] [--json]      run `_start` as a contract call (WASI)
//! gauge run FILE --invoke NAME [ARGS...] [--json] [--gas N]
//!                                                   invoke one export (metered), print results
//! gauge state --state PATH root|list|get KEY|set-balance ADDRESS N
//!                                                   inspect or fund a persistent state store
//! gauge deploy FILE --state PATH [--salt S]         store code by hash, create its account
//! gauge call ADDRESS --state PATH [contract flags]  call deployed code (checked against its hash)
//! gauge receipts --state PATH [--verify]            list (and check) the receipt chain
//! gauge verify CONTRACT WITNESS [--receipt R]       re-execute a call statelessly, check it
//! gauge validate FILE                               validate and translate only; print a summary
//! gauge wast FILE...                                run spec scripts, count assertions
//! gauge schedule                                    print the default gas schedule and its id
//! gauge instrument IN -o OUT                        write IN with gas charges as gauge.gas calls
//! ```
//!
//! Exit status: 0 on success; 1 when `wast` counted failed assertions, `state get` found no
//! such key, or `verify` / `receipts --verify` found a mismatch; 2 on usage errors, on modules that cannot be read, compiled or instantiated and
//! on state stores that cannot be opened; 3 when `run` trapped, ran out of gas or exhausted a
//! limit; 4 when a contract reverted. Every failure prints one line on stderr. The flags, the exit statuses and the
//! fields of `run --json` are a public interface: later versions add to them and never rename
//! them.
//!
//! `main` only parses the command line and reports the outcome; the commands live in
//! [`cli`] (definitions and dispatch), [`contract`], [`chain`], [`run`], [`state`],
//! [`validate`], [`wast`] and [`gas`], with [`args`]
//! (argument parsing), [`output`] (value formatting and JSON) and [`load`] (reading and
//! compiling modules) shared between them.

#![forbid(unsafe_code)]

mod args;
mod chain;
mod cli;
mod contract;
mod exit;
mod gas;
mod load;
mod output;
mod run;
mod state;
mod validate;
mod wast;

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let exit = match cli::parse(std::env::args_os()) {
        Ok(command) => cli::dispatch(command, &mut std::io::stdout().lock()),
        Err(exit) => exit,
    };
    if let Some(message) = &exit.message {
        // Nothing sensible is left to do if stderr itself is gone.
        let _ = writeln!(std::io::stderr().lock(), "{message}");
    }
    ExitCode::from(exit.status)
}
