//! `gauge run CONTRACT` (no `--invoke`): run a WASI program's `_start` as a contract call on
//! Gauge's chain model ([`gauge_wasi_shim`]).
//!
//! stdin is the call's input (`--input STR` or `--input-file PATH`), stdout its return data,
//! stderr its log events, the preopened directory `/` the account's storage, `argv[0]` the
//! contract's address and the environment the call context (`CALLER`, `VALUE`,
//! `BLOCK_HEIGHT`, `BLOCK_TIME`, `CHAIN_ID`, `GAS_LIMIT`, `BALANCE`); see docs/chain-wasi.md.
//!
//! Without `--state` the state is a fresh one in memory, in which the caller is given exactly
//! `--value` so that the transfer can happen; with `--state PATH` the redb store at `PATH`
//! (created if missing) is used as it is, and a successful call is committed to it, so runs
//! build on each other.
//!
//! With `--json`, stdout is one object on one line:
//!
//! ```json
//! {"status":"success","exit_code":0,"trap":null,"output_hex":"310a","output_utf8":"1\n",
//!  "logs":[],"gas_used":81234,"gas_limit":1000000000,"state_root":"…","address":"0x…"}
//! ```
//!
//! `status` is `success`, `revert` (`proc_exit(n)` with `n ≠ 0`, or a value transfer the caller
//! cannot pay), `trap`, `out_of_gas` or `exhausted`; `exit_code` is the code given to
//! `proc_exit` (0 when `_start` returned) or `null`; `logs` holds one `{"hex", "utf8"}` object
//! per write to stderr; `state_root` is the state's Merkle root after the call, in hex.
//!
//! With `--state`, every call's receipt is appended to the store's receipt chain (atomically
//! with the call's changes), and the JSON output also carries `receipt_hash` and
//! `receipt_index` (`null` without `--state`). `--receipt OUT` writes the receipt (SCALE bytes
//! as hex), `--witness OUT` a witness for `gauge verify` (SCALE bytes).
//!
//! `gauge call ADDRESS` does the same for code deployed with `gauge deploy`: the code is loaded
//! from the store and checked against its hash first.
//!
//! Without `--json`, the return data is written to stdout as it is and the log events to
//! stderr. Exit status: 0 success; 4 revert (`revert: exit code N` on stderr); 3 trap, out of
//! gas or exhaustion (`trap: …`); 2 usage, module and state-store errors.

use std::io::Write;
use std::path::{Path, PathBuf};

use gauge_interpreter::{Engine, ExternType};
use gauge_wasi_shim::{
    Address, BlockContext, CallContext, CallOutcome, Run, RunOptions, State, Status, chain_config,
    hex, run as run_code, run_account,
};

use crate::exit::{Exit, REVERTED, SUCCESS, TRAPPED};
use crate::load::{load, read};
use crate::output::JsonObject;

/// The contract's address when `--address` is not given.
pub const DEFAULT_ADDRESS: Address = Address([
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc0, 0xde,
]);

/// The caller's address when `--caller` is not given.
pub const DEFAULT_CALLER: Address = Address([
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xca, 0x11,
]);

/// Where the call's input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// No input (empty stdin).
    None,
    /// The bytes of a command-line string.
    Text(String),
    /// The contents of a file.
    File(PathBuf),
}

/// Which code a call runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A module file (`gauge run FILE`), run as the contract at `--address`.
    File(PathBuf),
    /// The code deployed at the call's address (`gauge call ADDRESS`).
    Deployed,
}

/// Everything `gauge run` and `gauge call` need for a contract call, as given on the command
/// line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractRun {
    /// The code to run.
    pub target: Target,
    /// The call's input.
    pub input: Input,
    /// `argv[1..]`.
    pub args: Vec<String>,
    /// The contract's address.
    pub address: Address,
    /// The calling account.
    pub caller: Address,
    /// Value moved from the caller to the contract before it runs.
    pub value: u128,
    /// The block.
    pub block: BlockContext,
    /// The gas limit of the call (translation included).
    pub gas: u64,
    /// The redb state store, if any.
    pub state: Option<PathBuf>,
    /// Where to write the call's witness.
    pub witness: Option<PathBuf>,
    /// Where to write the call's receipt.
    pub receipt: Option<PathBuf>,
    /// Print one JSON object.
    pub json: bool,
}

/// Parse an address flag: `0x` and 40 hex digits.
pub fn parse_address(flag: &str, text: &str) -> Result<Address, Exit> {
    Address::parse(text).ok_or_else(|| {
        Exit::usage(format!(
            "`{flag}`: `{text}` is not an address (0x followed by 40 hex digits)"
        ))
    })
}

/// Open the redb store at `path`, creating it if missing.
pub fn open_state(path: &Path) -> Result<State, Exit> {
    State::open(path).map_err(|e| Exit::usage(format!("cannot open state {}: {e}", path.display())))
}

/// Run the contract call described by `run`, writing its stdout to `out`.
pub fn command(run: &ContractRun, out: &mut dyn Write) -> Exit {
    match call(run) {
        Ok(done) => report(run, &done, out),
        Err(exit) => exit,
    }
}

/// Load the code, prepare the state, execute the call and write the files asked for.
fn call(run: &ContractRun) -> Result<Run, Exit> {
    let input = match &run.input {
        Input::None => Vec::new(),
        Input::Text(s) => s.clone().into_bytes(),
        Input::File(path) => read(path)?,
    };
    let engine = Engine::new(&chain_config());
    let mut state = match &run.state {
        Some(path) => open_state(path)?,
        None => {
            let mut state = State::in_memory();
            if run.value > 0 {
                state
                    .set_balance(run.caller, run.value)
                    .map_err(|e| Exit::usage(format!("state: {e}")))?;
            }
            state
        }
    };
    let ctx = CallContext {
        address: run.address,
        caller: run.caller,
        value: run.value,
        input,
        args: run.args.clone(),
        gas_limit: run.gas,
        block: run.block,
    };
    let options = RunOptions {
        append_receipt: run.state.is_some(),
        witness: run.witness.is_some(),
    };
    let done = match &run.target {
        Target::File(file) => {
            let loaded = load(&engine, file)?;
            check_start(&loaded.module, file)?;
            run_code(&engine, &loaded.bytes, &mut state, &ctx, &options)
        }
        Target::Deployed => run_account(&engine, &mut state, &ctx, &options),
    }
    .map_err(|e| Exit::usage(e.to_string()))?;
    if let (Some(path), Some(witness)) = (&run.witness, &done.witness) {
        write_file(path, &witness.to_bytes())?;
    }
    if let Some(path) = &run.receipt {
        write_file(
            path,
            format!("{}\n", hex(&done.receipt.to_bytes())).as_bytes(),
        )?;
    }
    Ok(done)
}

/// Write an output file, as a status-2 exit on failure.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Exit> {
    std::fs::write(path, bytes)
        .map_err(|e| Exit::usage(format!("cannot write {}: {e}", path.display())))
}

/// A contract must export `_start` as a function without parameters or results.
fn check_start(module: &gauge_interpreter::Module, file: &Path) -> Result<(), Exit> {
    let start = module.exports().find(|(name, _)| *name == "_start");
    match start {
        Some((_, ExternType::Func(ty))) if ty.params().is_empty() && ty.results().is_empty() => {
            Ok(())
        }
        Some(_) => Err(Exit::usage(format!(
            "{}: `_start` must be a function without parameters or results",
            file.display()
        ))),
        None => Err(Exit::usage(format!(
            "{}: no `_start` export to run as a contract (use --invoke NAME to call a function)",
            file.display()
        ))),
    }
}

/// Write the outcome (JSON, or the raw return data plus logs on stderr) and choose the exit.
fn report(run: &ContractRun, done: &Run, out: &mut dyn Write) -> Exit {
    let outcome = &done.outcome;
    let written = if run.json {
        out.write_all(to_json(run, done).as_bytes())
    } else {
        let mut err = std::io::stderr().lock();
        for log in &outcome.logs {
            // stderr going away must not change the outcome.
            let _ = err.write_all(log);
        }
        out.write_all(&outcome.output)
    };
    if let Err(e) = written.and_then(|()| out.flush()) {
        return Exit::usage(format!("cannot write output: {e}"));
    }
    exit_for(outcome)
}

/// The process exit for an outcome.
pub fn exit_for(outcome: &CallOutcome) -> Exit {
    let why = outcome.trap.as_deref().unwrap_or("");
    match outcome.status {
        Status::Success => Exit::with_status(SUCCESS),
        Status::Revert => Exit {
            status: REVERTED,
            message: Some(match outcome.exit_code {
                Some(code) => format!("revert: exit code {code}"),
                None => format!("revert: {why}"),
            }),
        },
        status => Exit {
            status: TRAPPED,
            message: Some(format!("{status}: {why}")),
        },
    }
}

/// The `--json` object, newline included.
pub fn to_json(run: &ContractRun, done: &Run) -> String {
    let outcome = &done.outcome;
    let logs: Vec<String> = outcome
        .logs
        .iter()
        .map(|log| {
            JsonObject::new()
                .string("hex", &hex(log))
                .string_or_null("utf8", std::str::from_utf8(log).ok())
                .finish()
        })
        .collect();
    let obj = JsonObject::new()
        .string("status", outcome.status.as_str())
        .number_or_null("exit_code", outcome.exit_code.map(u64::from))
        .string_or_null("trap", outcome.trap.as_deref())
        .string("output_hex", &hex(&outcome.output))
        .string_or_null("output_utf8", std::str::from_utf8(&outcome.output).ok())
        .raw_array("logs", logs)
        .number("gas_used", outcome.gas_used)
        .number("gas_limit", run.gas)
        .string("state_root", &hex(&outcome.state_root))
        .string("address", &run.address.to_hex())
        .string("code_hash", &hex(&done.receipt.code_hash))
        .string("receipt_hash", &hex(&done.receipt.hash()))
        .number_or_null("receipt_index", done.receipt_index);
    format!("{}\n", obj.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(status: Status, exit_code: Option<u32>, trap: Option<&str>) -> CallOutcome {
        CallOutcome {
            status,
            exit_code,
            output: b"hi\n".to_vec(),
            logs: vec![b"log".to_vec(), vec![0xff]],
            gas_used: 7,
            trap: trap.map(Into::into),
            state_root: [0xab; 32],
        }
    }

    fn done(outcome: CallOutcome) -> Run {
        let receipt = gauge_wasi_shim::Receipt::new(
            [1; 32],
            [2; 32],
            &CallContext::default(),
            [3; 32],
            &outcome,
            [0; 32],
        );
        Run {
            outcome,
            receipt,
            receipt_index: None,
            witness: None,
        }
    }

    fn run() -> ContractRun {
        ContractRun {
            target: Target::File("c.wasm".into()),
            input: Input::None,
            args: Vec::new(),
            address: DEFAULT_ADDRESS,
            caller: DEFAULT_CALLER,
            value: 0,
            block: BlockContext::default(),
            gas: 100,
            state: None,
            witness: None,
            receipt: None,
            json: true,
        }
    }

    #[test]
    fn json_fields() {
        let d = done(outcome(Status::Success, Some(0), None));
        let json = to_json(&run(), &d);
        assert_eq!(
            json,
            format!(
                "{{\"status\":\"success\",\"exit_code\":0,\"trap\":null,\"output_hex\":\"68690a\",\
                 \"output_utf8\":\"hi\\n\",\"logs\":[{{\"hex\":\"6c6f67\",\"utf8\":\"log\"}},\
                 {{\"hex\":\"ff\",\"utf8\":null}}],\"gas_used\":7,\"gas_limit\":100,\
                 \"state_root\":\"{}\",\"address\":\"0x000000000000000000000000000000000000c0de\",\
                 \"code_hash\":\"{}\",\"receipt_hash\":\"{}\",\"receipt_index\":null}}\n",
                "ab".repeat(32),
                "02".repeat(32),
                hex(&d.receipt.hash())
            )
        );
        let mut o = outcome(Status::Trap, None, Some("unreachable"));
        o.output = vec![0xc3];
        let json = to_json(&run(), &done(o));
        assert!(json.contains("\"exit_code\":null,\"trap\":\"unreachable\""));
        assert!(json.contains("\"output_hex\":\"c3\",\"output_utf8\":null"));
    }

    #[test]
    fn exits() {
        assert_eq!(
            exit_for(&outcome(Status::Success, Some(0), None)),
            Exit::with_status(SUCCESS)
        );
        let e = exit_for(&outcome(Status::Revert, Some(3), None));
        assert_eq!(e.status, REVERTED);
        assert_eq!(e.message.as_deref(), Some("revert: exit code 3"));
        let e = exit_for(&outcome(Status::Revert, None, Some("insufficient balance")));
        assert_eq!(e.message.as_deref(), Some("revert: insufficient balance"));
        let e = exit_for(&outcome(Status::OutOfGas, None, Some("out of gas")));
        assert_eq!(e.status, TRAPPED);
        assert_eq!(e.message.as_deref(), Some("out_of_gas: out of gas"));
    }

    #[test]
    fn addresses() {
        assert_eq!(
            DEFAULT_ADDRESS.to_hex(),
            "0x000000000000000000000000000000000000c0de"
        );
        assert_eq!(
            parse_address("--caller", "0x000000000000000000000000000000000000ca11").unwrap(),
            DEFAULT_CALLER
        );
        let e = parse_address("--caller", "0x12").unwrap_err();
        assert_eq!(e.status, crate::exit::USAGE);
        assert!(
            e.message
                .unwrap()
                .contains("`--caller`: `0x12` is not an address")
        );
    }
}
