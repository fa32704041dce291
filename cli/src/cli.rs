//! The command line: clap definitions, parsing into an [`Exit`] on error, and dispatch.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::{Args, Parser, Subcommand};

use crate::exit::{Exit, USAGE};

/// Gauge: a deterministic WebAssembly interpreter.
#[derive(Debug, Parser)]
#[command(name = "gauge", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a contract's `_start` on the chain model, or (with --invoke) call one exported
    /// function of a module.
    ///
    /// Without --invoke, FILE is a WASI contract: stdin is the input (--input/--input-file),
    /// stdout the return data, stderr the log events, `/` the account's storage, argv[0] the
    /// contract's address and the environment the call context (docs/chain-wasi.md). Exit
    /// status: 0 success, 4 revert, 3 trap, out of gas or exhaustion, 2 usage, module or state
    /// error.
    ///
    /// With --invoke, arguments are parsed by the function's parameter types: integers in
    /// decimal or 0x hex (negative allowed); floats as decimals (1.5, -0, inf, nan) or 0x bit
    /// patterns; `null` for references. Exit status: 0 success, 3 trap or exhaustion, 2 usage
    /// or module error.
    Run {
        /// The module file (.wasm or .wat).
        file: PathBuf,
        /// The exported function to call instead of running the module as a contract.
        #[arg(long, value_name = "NAME")]
        invoke: Option<String>,
        /// Print one JSON object instead of the plain output (see gauge's README for the
        /// fields).
        #[arg(long)]
        json: bool,
        /// Gas limit for translation, instantiation and the call (schedule v1; see
        /// docs/gas.md). Running out ends the run with status `out_of_gas`.
        #[arg(long, value_name = "N", default_value_t = crate::run::DEFAULT_GAS)]
        gas: u64,
        /// Contract call: the contract's address (0x and 40 hex digits).
        #[arg(long, value_name = "HEX")]
        address: Option<String>,
        /// The contract call's flags.
        #[command(flatten)]
        call: CallFlags,
        /// Arguments of the function given to --invoke (`--` before them is optional, also
        /// for negative ones).
        #[arg(value_name = "ARGS", allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Inspect a state store written by `gauge run --state PATH`, or fund an account in it.
    State {
        /// The redb state store.
        #[arg(long, value_name = "PATH", global = true)]
        state: Option<PathBuf>,
        /// Print one JSON object.
        #[arg(long, global = true)]
        json: bool,
        /// What to show.
        #[command(subcommand)]
        action: StateCommand,
    },
    /// Store a contract's code under its SHA-256 in a state store and create its account; print
    /// the address.
    Deploy {
        /// The module file (.wasm or .wat; stored as binary).
        file: PathBuf,
        /// The redb state store (created if missing).
        #[arg(long, value_name = "PATH")]
        state: PathBuf,
        /// Salt for the address: the same code with another salt is another contract.
        #[arg(long, value_name = "STR", default_value = "")]
        salt: String,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Call a contract deployed with `gauge deploy` (its code is checked against its hash).
    ///
    /// Takes the flags of `gauge run CONTRACT`; --state is required.
    Call {
        /// The contract's address (0x and 40 hex digits).
        address: String,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
        /// Gas limit of the call.
        #[arg(long, value_name = "N", default_value_t = crate::run::DEFAULT_GAS)]
        gas: u64,
        /// The contract call's flags.
        #[command(flatten)]
        call: CallFlags,
    },
    /// List a state store's receipt chain; with --verify, check every link.
    Receipts {
        /// The redb state store.
        #[arg(long, value_name = "PATH")]
        state: PathBuf,
        /// Check the chain (exit 1 with the first broken index if it does not hold).
        #[arg(long)]
        verify: bool,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Re-execute a call statelessly from its code, input and witness, and check its receipt.
    ///
    /// Recomputes the post-state root from the witness's proofs and checks root, gas, status,
    /// output and logs against the witness's receipt, or against --receipt R. Exit 0 when
    /// everything matches, 1 with the first mismatch otherwise.
    Verify {
        /// The contract module (.wasm or .wat).
        contract: PathBuf,
        /// The witness file written by `gauge run ... --witness OUT`.
        witness: PathBuf,
        /// A receipt to check against (written by --receipt OUT, or hex of its encoding).
        #[arg(long, value_name = "R")]
        receipt: Option<PathBuf>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Validate and translate a module without running it, and print a summary.
    Validate {
        /// The module file (.wasm or .wat).
        file: PathBuf,
    },
    /// Print the default gas schedule: its version, id and every cost.
    Schedule,
    /// Write a copy of a module with Gauge's gas charges injected as calls to an imported
    /// `gauge.gas(i64)`, for running Gauge-metered code on other engines.
    Instrument {
        /// The module file (.wasm or .wat).
        file: PathBuf,
        /// Where to write the instrumented .wasm.
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
    },
    /// Run WebAssembly spec scripts (.wast) and count their assertions (exit 1 on failures).
    Wast {
        /// The script files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// The flags of a contract call (`gauge run` without --invoke, `gauge call`).
#[derive(Debug, Args)]
pub struct CallFlags {
    /// Contract call: the input (stdin) as a string.
    #[arg(long, value_name = "STR", conflicts_with = "input_file")]
    pub input: Option<String>,
    /// Contract call: the input (stdin) read from a file.
    #[arg(long, value_name = "PATH")]
    pub input_file: Option<PathBuf>,
    /// Contract call: an argument after argv[0] (repeatable).
    #[arg(long = "arg", value_name = "STR", allow_hyphen_values = true)]
    pub contract_args: Vec<String>,
    /// Contract call: the caller's address (0x and 40 hex digits).
    #[arg(long, value_name = "HEX")]
    pub caller: Option<String>,
    /// Contract call: value moved from the caller to the contract before it runs.
    #[arg(long, value_name = "N")]
    pub value: Option<u128>,
    /// Contract call: the block height (BLOCK_HEIGHT).
    #[arg(long, value_name = "N")]
    pub block_height: Option<u64>,
    /// Contract call: the block time in ns since the epoch (every clock; BLOCK_TIME).
    #[arg(long, value_name = "N")]
    pub block_time_ns: Option<u64>,
    /// Contract call: the chain id (CHAIN_ID).
    #[arg(long, value_name = "N")]
    pub chain_id: Option<u64>,
    /// Contract call: the redb state store to use (created if missing); without it the
    /// state lives in memory for this run. Each call's receipt is appended to its chain.
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,
    /// Contract call: write a witness of the call to OUT, for `gauge verify`.
    #[arg(long, value_name = "OUT")]
    pub witness: Option<PathBuf>,
    /// Contract call: write the call's receipt to OUT (hex of its SCALE encoding).
    #[arg(long, value_name = "OUT")]
    pub receipt: Option<PathBuf>,
}

impl CallFlags {
    /// The first contract-call flag that was given, if any (for --invoke, which takes none).
    fn given(&self) -> Option<&'static str> {
        [
            ("--input", self.input.is_some()),
            ("--input-file", self.input_file.is_some()),
            ("--arg", !self.contract_args.is_empty()),
            ("--caller", self.caller.is_some()),
            ("--value", self.value.is_some()),
            ("--block-height", self.block_height.is_some()),
            ("--block-time-ns", self.block_time_ns.is_some()),
            ("--chain-id", self.chain_id.is_some()),
            ("--state", self.state.is_some()),
            ("--witness", self.witness.is_some()),
            ("--receipt", self.receipt.is_some()),
        ]
        .into_iter()
        .find_map(|(flag, given)| given.then_some(flag))
    }

    /// The call these flags describe, of `target` at `address`.
    fn into_run(
        self,
        target: crate::contract::Target,
        address: gauge_wasi_shim::Address,
        gas: u64,
        json: bool,
    ) -> Result<crate::contract::ContractRun, Exit> {
        use crate::contract::{ContractRun, DEFAULT_CALLER, Input, parse_address};
        let caller = match self.caller {
            Some(a) => parse_address("--caller", &a)?,
            None => DEFAULT_CALLER,
        };
        let input = match (self.input, self.input_file) {
            (Some(text), _) => Input::Text(text),
            (None, Some(path)) => Input::File(path),
            (None, None) => Input::None,
        };
        Ok(ContractRun {
            target,
            input,
            args: self.contract_args,
            address,
            caller,
            value: self.value.unwrap_or(0),
            block: gauge_wasi_shim::BlockContext {
                height: self.block_height.unwrap_or(0),
                time_ns: self.block_time_ns.unwrap_or(0),
                chain_id: self.chain_id.unwrap_or(0),
            },
            gas,
            state: self.state,
            witness: self.witness,
            receipt: self.receipt,
            json,
        })
    }
}

/// The actions of `gauge state`.
#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// Print the state root (hex).
    Root,
    /// List the accounts, or with --address the storage keys of one account.
    List {
        /// The account whose storage keys to list.
        #[arg(long, value_name = "HEX")]
        address: Option<String>,
    },
    /// Print the value of one storage key of a contract, in hex.
    Get {
        /// The key: the file's path in the contract's `/` directory.
        key: String,
        /// The contract (default: the default address of `gauge run`).
        #[arg(long, value_name = "HEX")]
        address: Option<String>,
        /// Write the value's bytes as they are instead of hex.
        #[arg(long)]
        raw: bool,
    },
    /// Set the balance of an account (creating the store if missing); print the new root.
    SetBalance {
        /// The account (0x and 40 hex digits).
        address: String,
        /// The balance (decimal).
        balance: String,
    },
}

/// A parsed command line, ready to run.
#[derive(Debug)]
pub enum Parsed {
    /// `gauge run FILE --invoke NAME ARGS...`.
    Invoke {
        /// The module file.
        file: PathBuf,
        /// The export to call.
        invoke: String,
        /// JSON output.
        json: bool,
        /// Gas limit.
        gas: u64,
        /// The function's arguments.
        args: Vec<String>,
    },
    /// `gauge run CONTRACT ...`.
    Contract(crate::contract::ContractRun),
    /// `gauge state --state PATH ...`.
    State {
        /// The store.
        path: PathBuf,
        /// The action.
        action: crate::state::Action,
        /// JSON output.
        json: bool,
    },
    /// `gauge deploy FILE --state PATH`.
    Deploy {
        /// The module file.
        file: PathBuf,
        /// The store.
        state: PathBuf,
        /// The address salt.
        salt: String,
        /// JSON output.
        json: bool,
    },
    /// `gauge receipts --state PATH`.
    Receipts {
        /// The store.
        state: PathBuf,
        /// Check the chain.
        verify: bool,
        /// JSON output.
        json: bool,
    },
    /// `gauge verify CONTRACT WITNESS`.
    Verify {
        /// The module file.
        contract: PathBuf,
        /// The witness file.
        witness: PathBuf,
        /// The receipt file to check against.
        receipt: Option<PathBuf>,
        /// JSON output.
        json: bool,
    },
    /// `gauge validate FILE`.
    Validate(PathBuf),
    /// `gauge schedule`.
    Schedule,
    /// `gauge instrument FILE -o OUT`.
    Instrument(PathBuf, PathBuf),
    /// `gauge wast FILE...`.
    Wast(Vec<PathBuf>),
}

/// Parse the command line (program name first). Help and version requests are printed here
/// and come back as an `Err` exit with status 0; usage errors as status 2 with one line.
pub fn parse<I, T>(args: I) -> Result<Parsed, Exit>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let command = Cli::try_parse_from(args)
        .map(|cli| cli.command)
        .map_err(clap_exit)?;
    match command {
        Command::Run {
            file,
            invoke,
            json,
            gas,
            address,
            call,
            args,
        } => {
            if let Some(invoke) = invoke {
                let given = call.given().or(address.is_some().then_some("--address"));
                if let Some(flag) = given {
                    return Err(Exit::usage(format!(
                        "`{flag}` is for contract calls; it cannot be used with --invoke"
                    )));
                }
                let (extra, args) = split_run_flags(&invoke, args)?;
                return Ok(Parsed::Invoke {
                    file,
                    invoke,
                    json: json || extra.json,
                    gas: extra.gas.unwrap_or(gas),
                    args,
                });
            }
            if let Some(first) = args.first() {
                return Err(Exit::usage(format!(
                    "unexpected argument `{first}`: contract arguments go in --arg STR, and \
                     --invoke NAME calls a function with arguments"
                )));
            }
            let address = match address {
                Some(a) => crate::contract::parse_address("--address", &a)?,
                None => crate::contract::DEFAULT_ADDRESS,
            };
            call.into_run(crate::contract::Target::File(file), address, gas, json)
                .map(Parsed::Contract)
        }
        Command::Call {
            address,
            json,
            gas,
            call,
        } => {
            if call.state.is_none() {
                return Err(Exit::usage(
                    "`gauge call` needs --state PATH (the store the contract is deployed in)",
                ));
            }
            let address = crate::contract::parse_address("ADDRESS", &address)?;
            call.into_run(crate::contract::Target::Deployed, address, gas, json)
                .map(Parsed::Contract)
        }
        Command::Deploy {
            file,
            state,
            salt,
            json,
        } => Ok(Parsed::Deploy {
            file,
            state,
            salt,
            json,
        }),
        Command::Receipts {
            state,
            verify,
            json,
        } => Ok(Parsed::Receipts {
            state,
            verify,
            json,
        }),
        Command::Verify {
            contract,
            witness,
            receipt,
            json,
        } => Ok(Parsed::Verify {
            contract,
            witness,
            receipt,
            json,
        }),
        Command::State {
            state,
            json,
            action,
        } => {
            let path = state.ok_or_else(|| Exit::usage("`gauge state` needs --state PATH"))?;
            use crate::state::Action;
            let action = match action {
                StateCommand::Root => Action::Root,
                StateCommand::List { address } => Action::List { address },
                StateCommand::Get { key, address, raw } => Action::Get { key, address, raw },
                StateCommand::SetBalance { address, balance } => {
                    Action::SetBalance { address, balance }
                }
            };
            Ok(Parsed::State { path, action, json })
        }
        Command::Validate { file } => Ok(Parsed::Validate(file)),
        Command::Schedule => Ok(Parsed::Schedule),
        Command::Instrument { file, output } => Ok(Parsed::Instrument(file, output)),
        Command::Wast { files } => Ok(Parsed::Wast(files)),
    }
}

/// Flags of `run` found among the function's arguments.
#[derive(Debug, Default)]
struct RunFlags {
    json: bool,
    gas: Option<u64>,
}

/// Function arguments may start with `-` (`-7`, `-0x10`, `-inf`), so clap takes everything
/// after the first one as an argument, `--json` and `--gas N` included. Take those back out;
/// any other `--option` there is an error, since no argument value starts with `--`.
fn split_run_flags(name: &str, args: Vec<String>) -> Result<(RunFlags, Vec<String>), Exit> {
    let mut flags = RunFlags::default();
    let mut rest = Vec::with_capacity(args.len());
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let gas_value = if arg == "--gas" {
            Some(
                args.next()
                    .ok_or_else(|| Exit::usage("`--gas` needs a value"))?,
            )
        } else {
            arg.strip_prefix("--gas=").map(str::to_string)
        };
        if let Some(v) = gas_value {
            let n = v
                .parse()
                .map_err(|_| Exit::usage(format!("invalid gas limit `{v}`")))?;
            flags.gas = Some(n);
        } else if arg == "--json" {
            flags.json = true;
        } else if arg.starts_with("--") && arg.len() > 2 {
            return Err(Exit::usage(format!(
                "unexpected option `{arg}` among the arguments of `{name}` (see gauge run --help)"
            )));
        } else {
            rest.push(arg);
        }
    }
    Ok((flags, rest))
}

/// The exit for a clap error: help and version are printed and succeed; a missing subcommand
/// shows the help with status 2; anything else is one `error:` line with status 2 (the usage
/// block clap appends is left to `--help`).
fn clap_exit(e: clap::Error) -> Exit {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = write!(std::io::stdout().lock(), "{}", e.render());
            Exit::success()
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => Exit {
            status: USAGE,
            message: Some(e.render().to_string().trim_end().to_string()),
        },
        _ => {
            let rendered = e.render().to_string();
            let head = rendered.split("Usage:").next().unwrap_or_default();
            let what = head
                .trim_start()
                .strip_prefix("error:")
                .unwrap_or(head)
                .trim();
            Exit::usage(format!("{what} (see gauge --help)"))
        }
    }
}

/// Run `command`, writing its stdout to `out`.
pub fn dispatch(command: Parsed, out: &mut dyn Write) -> Exit {
    match command {
        Parsed::Invoke {
            file,
            invoke,
            json,
            gas,
            args,
        } => crate::run::command(&file, &invoke, &args, json, gas, out),
        Parsed::Contract(run) => crate::contract::command(&run, out),
        Parsed::State { path, action, json } => crate::state::command(&path, &action, json, out),
        Parsed::Deploy {
            file,
            state,
            salt,
            json,
        } => crate::chain::deploy(&file, &state, &salt, json, out),
        Parsed::Receipts {
            state,
            verify,
            json,
        } => crate::chain::receipts(&state, verify, json, out),
        Parsed::Verify {
            contract,
            witness,
            receipt,
            json,
        } => crate::chain::verify(&contract, &witness, receipt.as_deref(), json, out),
        Parsed::Validate(file) => crate::validate::command(&file, out),
        Parsed::Schedule => crate::gas::schedule(out),
        Parsed::Instrument(file, output) => crate::gas::instrument(&file, &output, out),
        Parsed::Wast(files) => crate::wast::command(&files, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn run_args(line: &[&str]) -> (PathBuf, String, bool, Vec<String>) {
        let argv = std::iter::once("gauge").chain(line.iter().copied());
        match parse(argv).expect("parses") {
            Parsed::Invoke {
                file,
                invoke,
                json,
                args,
                ..
            } => (file, invoke, json, args),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn run_with_args_and_json_anywhere() {
        let (file, invoke, json, args) = run_args(&["run", "f.wat", "--invoke", "fib", "30"]);
        assert_eq!(
            (file, invoke.as_str(), json, args),
            ("f.wat".into(), "fib", false, vec!["30".to_string()])
        );
        let (_, _, json, args) = run_args(&["run", "f.wat", "--json", "--invoke", "f", "1", "2"]);
        assert!(json);
        assert_eq!(args, ["1", "2"]);
        let (_, _, json, args) = run_args(&["run", "f.wat", "--invoke", "f", "1", "--json"]);
        assert!(json);
        assert_eq!(args, ["1"]);
        let (_, _, json, args) = run_args(&["run", "f.wat", "--invoke", "f", "-1", "--json", "2"]);
        assert!(json);
        assert_eq!(args, ["-1", "2"]);
        let (_, invoke, _, args) = run_args(&["run", "--invoke", "f", "f.wat"]);
        assert_eq!(invoke, "f");
        assert!(args.is_empty());
    }

    #[test]
    fn gas_flag_before_or_among_the_arguments() {
        let gas = |line: &[&str]| {
            let argv = std::iter::once("gauge").chain(line.iter().copied());
            match parse(argv).expect("parses") {
                Parsed::Invoke { gas, args, .. } => (gas, args),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(
            gas(&["run", "f.wat", "--invoke", "f", "1"]).0,
            crate::run::DEFAULT_GAS
        );
        assert_eq!(
            gas(&["run", "f.wat", "--gas", "500", "--invoke", "f", "1"]),
            (500, vec!["1".into()])
        );
        assert_eq!(
            gas(&["run", "f.wat", "--invoke", "f", "-1", "--gas", "7"]),
            (7, vec!["-1".into()])
        );
        assert_eq!(
            gas(&["run", "f.wat", "--invoke", "f", "--gas=9", "2"]),
            (9, vec!["2".into()])
        );
        for bad in [
            &["run", "f.wat", "--invoke", "f", "1", "--gas"][..],
            &["run", "f.wat", "--invoke", "f", "--gas", "x"][..],
        ] {
            let argv = std::iter::once("gauge").chain(bad.iter().copied());
            assert_eq!(parse(argv).unwrap_err().status, USAGE);
        }
    }

    #[test]
    fn negative_and_special_args() {
        let (_, _, _, args) = run_args(&[
            "run", "f.wat", "--invoke", "f", "-5", "-0x10", "-inf", "-nan", "-0",
        ]);
        assert_eq!(args, ["-5", "-0x10", "-inf", "-nan", "-0"]);
        let (_, _, json, args) =
            run_args(&["run", "f.wat", "--invoke", "f", "--json", "--", "-1", "2"]);
        assert!(json);
        assert_eq!(args, ["-1", "2"]);
    }

    #[test]
    fn without_invoke_a_run_is_a_contract_call() {
        let argv = [
            "gauge",
            "run",
            "c.wasm",
            "--input",
            "x",
            "--arg",
            "-a",
            "--arg",
            "b",
            "--value",
            "7",
            "--block-time-ns",
            "5",
            "--state",
            "s.redb",
            "--json",
        ];
        match parse(argv).expect("parses") {
            Parsed::Contract(run) => {
                assert_eq!(
                    run.target,
                    crate::contract::Target::File(PathBuf::from("c.wasm"))
                );
                assert_eq!(run.input, crate::contract::Input::Text("x".into()));
                assert_eq!(run.args, ["-a", "b"]);
                assert_eq!(run.value, 7);
                assert_eq!(run.block.time_ns, 5);
                assert_eq!(run.state, Some(PathBuf::from("s.redb")));
                assert_eq!(run.address, crate::contract::DEFAULT_ADDRESS);
                assert!(run.json);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn usage_errors_are_one_line_status_2() {
        for line in [
            &["run", "f.wat", "--invoke"][..],
            &["validate"][..],
            &["wast"][..],
            &["frobnicate"][..],
            &["run", "f.wat", "--invoke", "f", "--bogus"][..],
            &["run", "f.wat", "--invoke", "f", "1", "--bogus"][..],
            &["run", "f.wat", "1", "--invoke", "f"][..],
        ] {
            let argv = std::iter::once("gauge").chain(line.iter().copied());
            let e = parse(argv).expect_err("usage error");
            assert_eq!(e.status, USAGE, "{line:?}");
            let m = e.message.expect("message");
            assert!(
                m.starts_with("error: ") && !m.contains('\n'),
                "{line:?}: {m}"
            );
        }
    }
}
