//! `gauge run FILE --invoke NAME [ARGS...] [--json]`: instantiate a module with no host
//! functions and call one exported function.
//!
//! The run is metered with the default schedule (docs/gas.md): translation, instantiation
//! (start function) and the call are charged against `--gas N` (default [`DEFAULT_GAS`]).
//!
//! With `--json`, stdout is a single JSON object on one line:
//!
//! ```json
//! {"status":"success","trap":null,"results":["i64:832040"],"gas_used":123,"gas_limit":1000000000}
//! {"status":"trap","trap":"integer divide by zero","results":[],"gas_used":57,"gas_limit":1000000000}
//! {"status":"exhausted","trap":"call stack exhausted","results":[],"gas_used":...,"gas_limit":...}
//! {"status":"out_of_gas","trap":"out of gas","results":[],"gas_used":100,"gas_limit":100}
//! ```
//!
//! `status` is `success`, `trap`, `exhausted` (a Wasm-counted limit such as the call depth
//! ran out, [`TrapCode::StackExhausted`]) or `out_of_gas`; `trap` is the trap message or
//! `null`; `results` are the values in the format of [`crate::output`]; `gas_used` is the sum
//! of all charges (the whole limit after running out). Later versions add fields and statuses
//! (`revert`) but never rename these. Without `--json`, each result is
//! printed on its own line. A trap or exhaustion exits with status 3 and prints
//! `trap: <message>` or `exhausted: <message>` on stderr; a module that cannot be read,
//! compiled or instantiated, an unknown export, an import (there is nothing to link it to)
//! or a malformed argument exits with status 2 and `error: <message>`.

use std::io::Write;
use std::path::Path;

use gauge_interpreter::{
    Config, Engine, Error, ExternRef, ExternType, FuncType, Linker, Module, Store, TrapCode, Value,
};
use gauge_metering::Schedule;

/// Gas limit of `gauge run` without `--gas`: about a billion simple instructions.
pub const DEFAULT_GAS: u64 = 1_000_000_000;

use crate::args::{Arg, parse_args};
use crate::exit::{Exit, SUCCESS, TRAPPED};
use crate::load::load;
use crate::output::{JsonObject, float_decimal, format_value};

/// How the call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The function returned.
    Success,
    /// The function (or the module's start function) trapped.
    Trap,
    /// A limit counted in Wasm terms (call depth, value-stack slots) was exhausted.
    Exhausted,
    /// The gas limit was reached.
    OutOfGas,
}

impl Status {
    /// The name used in JSON output and on stderr.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Success => "success",
            Status::Trap => "trap",
            Status::Exhausted => "exhausted",
            Status::OutOfGas => "out_of_gas",
        }
    }
}

/// One result value, formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The canonical text (`i32:-7`, `f32:0x7fc00000`, ...).
    pub text: String,
    /// For floats, the decimal value (human-readable output only).
    pub decimal: Option<String>,
}

/// The outcome of a call that ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// How it ended.
    pub status: Status,
    /// The trap message, unless the call succeeded.
    pub trap: Option<String>,
    /// The results, if the call succeeded.
    pub results: Vec<Shown>,
    /// Gas used: translation, instantiation and the call.
    pub gas_used: u64,
    /// The gas limit.
    pub gas_limit: u64,
}

impl Outcome {
    fn trapped(code: TrapCode, gas_used: u64, gas_limit: u64) -> Self {
        let status = match code {
            TrapCode::StackExhausted => Status::Exhausted,
            TrapCode::OutOfGas => Status::OutOfGas,
            _ => Status::Trap,
        };
        Outcome {
            status,
            trap: Some(code.message().to_string()),
            results: Vec::new(),
            gas_used,
            gas_limit,
        }
    }

    /// The process exit for this outcome: 0, or 3 with `<status>: <message>` on stderr.
    pub fn exit(&self) -> Exit {
        match (&self.trap, self.status) {
            (Some(message), status) if status != Status::Success => Exit {
                status: TRAPPED,
                message: Some(format!("{}: {message}", status.as_str())),
            },
            _ => Exit::with_status(SUCCESS),
        }
    }

    /// The `--json` output: one object on one line, newline included.
    pub fn to_json(&self) -> String {
        let obj = JsonObject::new()
            .string("status", self.status.as_str())
            .string_or_null("trap", self.trap.as_deref())
            .strings("results", self.results.iter().map(|r| r.text.as_str()))
            .number("gas_used", self.gas_used)
            .number("gas_limit", self.gas_limit);
        format!("{}\n", obj.finish())
    }

    /// The human-readable stdout: one result per line (floats with their decimal value).
    pub fn to_human(&self) -> String {
        let mut out = String::new();
        for r in &self.results {
            out.push_str(&r.text);
            if let Some(d) = &r.decimal {
                out.push_str(&format!(" ({d})"));
            }
            out.push('\n');
        }
        out
    }
}

/// Run `gauge run` and write its stdout to `out`.
pub fn command(
    file: &Path,
    name: &str,
    args: &[String],
    json: bool,
    gas: u64,
    out: &mut dyn Write,
) -> Exit {
    let mut config = Config::default();
    config.gas(Schedule::v1());
    let outcome = match invoke(&config, gas, file, name, args) {
        Ok(outcome) => outcome,
        Err(exit) => return exit,
    };
    let text = if json {
        outcome.to_json()
    } else {
        outcome.to_human()
    };
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        return Exit::usage(format!("cannot write output: {e}"));
    }
    outcome.exit()
}

/// Compile `file` under `config`, instantiate it with no imports and call export `name` with
/// `args` parsed by its parameter types, all within `gas` (when `config` meters). `Err`
/// carries a status-2 exit.
pub fn invoke(
    config: &Config,
    gas: u64,
    file: &Path,
    name: &str,
    args: &[String],
) -> Result<Outcome, Exit> {
    let engine = Engine::new(config);
    let module = load(&engine, file)?.module;
    if let Some((m, n, _)) = module.imports().next() {
        return Err(Exit::usage(format!(
            "unresolved import {m}::{n} (gauge run provides no imports)"
        )));
    }
    let ty = export_func_type(&module, name)?;
    let parsed = parse_args(name, &ty, args).map_err(Exit::usage)?;

    let mut store = Store::new(&engine, ());
    store.set_gas(gas);
    let trapped = |code, store: &Store<()>| Ok(Outcome::trapped(code, store.gas_used(), gas));
    // Translation is paid for before anything runs.
    if let Err(Error::Trap(code)) = store.consume_gas(module.translation_gas()) {
        return trapped(code, &store);
    }
    let instance = match Linker::new(&engine).instantiate(&mut store, &module) {
        Ok(instance) => instance,
        // The start function trapped: that is a run that trapped, not a usage error.
        Err(Error::Trap(code)) => return trapped(code, &store),
        Err(e) => return Err(Exit::usage(format!("{}: {e}", file.display()))),
    };
    let params: Vec<Value> = parsed
        .into_iter()
        .map(|a| match a {
            Arg::Value(v) => v,
            Arg::Extern(n) => Value::ExternRef(Some(ExternRef::new(&mut store, n))),
        })
        .collect();
    let func = instance
        .get_func(&store, name)
        .ok_or_else(|| Exit::usage(format!("no exported function `{name}`")))?;
    let mut results: Vec<Value> = ty
        .results()
        .iter()
        .map(|t| Value::default_for(*t))
        .collect();
    match func.call(&mut store, &params, &mut results) {
        Ok(()) => Ok(Outcome {
            status: Status::Success,
            trap: None,
            results: results
                .iter()
                .map(|v| Shown {
                    text: format_value(v, &store),
                    decimal: float_decimal(v),
                })
                .collect(),
            gas_used: store.gas_used(),
            gas_limit: gas,
        }),
        Err(Error::Trap(code)) => trapped(code, &store),
        Err(e) => Err(Exit::usage(e.to_string())),
    }
}

/// The type of the function exported as `name`, or a status-2 exit explaining what is there.
fn export_func_type(module: &Module, name: &str) -> Result<FuncType, Exit> {
    let mut funcs = Vec::new();
    for (export, ty) in module.exports() {
        match ty {
            ExternType::Func(ft) if export == name => return Ok(ft),
            ExternType::Func(_) => funcs.push(export),
            other if export == name => {
                let kind = match other {
                    ExternType::Table(_) => "a table",
                    ExternType::Memory(_) => "a memory",
                    _ => "a global",
                };
                return Err(Exit::usage(format!(
                    "export `{name}` is {kind}, not a function"
                )));
            }
            _ => {}
        }
    }
    let available = if funcs.is_empty() {
        "the module exports no functions".to_string()
    } else {
        format!("exported functions: {}", funcs.join(", "))
    };
    Err(Exit::usage(format!(
        "no exported function `{name}` ({available})"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str, decimal: Option<&str>) -> Shown {
        Shown {
            text: text.into(),
            decimal: decimal.map(Into::into),
        }
    }

    #[test]
    fn success_output() {
        let o = Outcome {
            status: Status::Success,
            trap: None,
            results: vec![shown("i32:-7", None), shown("f32:0x3fc00000", Some("1.5"))],
            gas_used: 12,
            gas_limit: 100,
        };
        assert_eq!(
            o.to_json(),
            "{\"status\":\"success\",\"trap\":null,\"results\":[\"i32:-7\",\"f32:0x3fc00000\"],\"gas_used\":12,\"gas_limit\":100}\n"
        );
        assert_eq!(o.to_human(), "i32:-7\nf32:0x3fc00000 (1.5)\n");
        assert_eq!(o.exit(), Exit::success());
    }

    #[test]
    fn trap_and_exhaustion_output() {
        let o = Outcome::trapped(TrapCode::IntegerDivisionByZero, 5, 9);
        assert_eq!(
            o.to_json(),
            "{\"status\":\"trap\",\"trap\":\"integer divide by zero\",\"results\":[],\"gas_used\":5,\"gas_limit\":9}\n"
        );
        assert_eq!(o.to_human(), "");
        assert_eq!(o.exit().status, TRAPPED);
        assert_eq!(
            o.exit().message.as_deref(),
            Some("trap: integer divide by zero")
        );

        let o = Outcome::trapped(TrapCode::StackExhausted, 7, 9);
        assert_eq!(o.status, Status::Exhausted);
        assert_eq!(
            o.to_json(),
            "{\"status\":\"exhausted\",\"trap\":\"call stack exhausted\",\"results\":[],\"gas_used\":7,\"gas_limit\":9}\n"
        );
        assert_eq!(
            o.exit().message.as_deref(),
            Some("exhausted: call stack exhausted")
        );

        let o = Outcome::trapped(TrapCode::OutOfGas, 9, 9);
        assert_eq!(o.status, Status::OutOfGas);
        assert_eq!(o.exit().status, TRAPPED);
        assert_eq!(o.exit().message.as_deref(), Some("out_of_gas: out of gas"));
    }

    fn module(text: &str) -> Module {
        Module::new(&Engine::default(), text).unwrap()
    }

    #[test]
    fn export_lookup_messages() {
        let m =
            module(r#"(module (memory (export "mem") 1) (func (export "f")) (func (export "g")))"#);
        assert!(export_func_type(&m, "f").is_ok());
        let e = export_func_type(&m, "h").unwrap_err();
        assert_eq!(
            e.message.as_deref(),
            Some("error: no exported function `h` (exported functions: f, g)")
        );
        let e = export_func_type(&m, "mem").unwrap_err();
        assert_eq!(
            e.message.as_deref(),
            Some("error: export `mem` is a memory, not a function")
        );
        let e = export_func_type(&module("(module)"), "f").unwrap_err();
        assert_eq!(
            e.message.as_deref(),
            Some("error: no exported function `f` (the module exports no functions)")
        );
    }
}
