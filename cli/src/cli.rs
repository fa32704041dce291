//! The command line: clap definitions, parsing into an [`Exit`] on error, and dispatch.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::{Parser, Subcommand};

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
    /// Instantiate a module (.wasm or .wat) and invoke one exported function.
    ///
    /// Arguments are parsed by the function's parameter types: integers in decimal or 0x hex
    /// (negative allowed); floats as decimals (1.5, -0, inf, nan) or 0x bit patterns;
    /// `null` for references. Exit status: 0 success, 3 trap or exhaustion, 2 usage or module
    /// error.
    Run {
        /// The module file.
        file: PathBuf,
        /// The exported function to call.
        #[arg(long, value_name = "NAME")]
        invoke: String,
        /// Print one JSON object {"status", "trap", "results", "gas_used", "gas_limit"} instead
        /// of one result per line.
        #[arg(long)]
        json: bool,
        /// Gas limit for translation, instantiation and the call (schedule v1; see
        /// docs/gas.md). Running out ends the run with status `out_of_gas`.
        #[arg(long, value_name = "N", default_value_t = crate::run::DEFAULT_GAS)]
        gas: u64,
        /// Arguments of the function (`--` before them is optional, also for negative ones).
        #[arg(value_name = "ARGS", allow_hyphen_values = true)]
        args: Vec<String>,
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

/// Parse the command line (program name first). Help and version requests are printed here
/// and come back as an `Err` exit with status 0; usage errors as status 2 with one line.
pub fn parse<I, T>(args: I) -> Result<Command, Exit>
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
            args,
        } => {
            let (extra, args) = split_run_flags(&invoke, args)?;
            Ok(Command::Run {
                file,
                invoke,
                json: json || extra.json,
                gas: extra.gas.unwrap_or(gas),
                args,
            })
        }
        other => Ok(other),
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
pub fn dispatch(command: Command, out: &mut dyn Write) -> Exit {
    match command {
        Command::Run {
            file,
            invoke,
            json,
            gas,
            args,
        } => crate::run::command(&file, &invoke, &args, json, gas, out),
        Command::Validate { file } => crate::validate::command(&file, out),
        Command::Schedule => crate::gas::schedule(out),
        Command::Instrument { file, output } => crate::gas::instrument(&file, &output, out),
        Command::Wast { files } => crate::wast::command(&files, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn run_args(line: &[&str]) -> (PathBuf, String, bool, Vec<String>) {
        let argv = std::iter::once("gauge").chain(line.iter().copied());
        match parse(argv).expect("parses") {
            Command::Run {
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
                Command::Run { gas, args, .. } => (gas, args),
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
    fn usage_errors_are_one_line_status_2() {
        for line in [
            &["run", "f.wat"][..],
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
