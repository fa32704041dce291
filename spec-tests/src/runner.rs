//! The script runner: parses a `.wast` script and runs its directives against Gauge.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use gauge_interpreter::{Engine, Error, Instance, Linker, Module, Store, TrapCode, Value};
use wast::lexer::{Lexer, TokenKind};
use wast::parser::{self, ParseBuffer};
use wast::token::{Id, Span};
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke, Wat};

use crate::{Report, RunConfig, spectest, values};

/// Run the script `text` (named `name` in failure lines) and report what passed and failed.
///
/// Never panics: a script that does not parse counts as one failure, and a panic inside
/// Gauge counts as a failure of the directive that caused it.
pub fn run_script(name: &str, text: &str, cfg: &RunConfig) -> Report {
    let mut report = Report::default();
    let outcome = catch_unwind(AssertUnwindSafe(|| run(name, text, cfg, &mut report)));
    if let Err(payload) = outcome {
        report.fail(format!(
            "{name}: runner panicked: {}",
            panic_message(&*payload)
        ));
    }
    report
}

fn run(name: &str, text: &str, cfg: &RunConfig, report: &mut Report) {
    let location = |span: Span| {
        let (line, col) = span.linecol_in(text);
        format!("{name}:{}:{}", line + 1, col + 1)
    };
    let mut lexer = Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    if only_trivia(&lexer) {
        // An empty script (`wast` would try to parse it as an empty module and fail).
        return;
    }
    let buf = match ParseBuffer::new_with_lexer(lexer) {
        Ok(buf) => buf,
        Err(e) => {
            report.fail(format!(
                "{}: script parse error: {}",
                location(e.span()),
                e.message()
            ));
            return;
        }
    };
    let script = match parser::parse::<Wast<'_>>(&buf) {
        Ok(script) => script,
        Err(e) => {
            report.fail(format!(
                "{}: script parse error: {}",
                location(e.span()),
                e.message()
            ));
            return;
        }
    };
    let mut runner = match Runner::new(cfg) {
        Ok(runner) => runner,
        Err(e) => {
            report.fail(format!("{name}: could not set up the spectest module: {e}"));
            return;
        }
    };
    for directive in script.directives {
        let span = directive.span();
        let outcome = catch_unwind(AssertUnwindSafe(|| runner.directive(directive)));
        match outcome {
            Ok(Ok(())) => report.passed += 1,
            Ok(Err(what)) => report.fail(format!("{}: {what}", location(span))),
            Err(payload) => report.fail(format!(
                "{}: panicked while running the directive: {}",
                location(span),
                panic_message(&*payload)
            )),
        }
    }
}

/// Whether the text holds nothing but whitespace and comments.
fn only_trivia(lexer: &Lexer<'_>) -> bool {
    let mut pos = 0;
    loop {
        match lexer.parse(&mut pos) {
            Ok(None) => return true,
            Ok(Some(token))
                if matches!(
                    token.kind,
                    TokenKind::Whitespace | TokenKind::LineComment | TokenKind::BlockComment
                ) => {}
            Ok(Some(_)) | Err(_) => return false,
        }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "<non-string panic payload>".to_string()
    }
}

/// Why a module's encoding to binary failed.
enum EncodeError {
    /// The text did not parse (or did not resolve) as a module.
    Text(String),
    /// Something this runner does not handle (components).
    Unsupported(String),
}

impl EncodeError {
    fn describe(self) -> String {
        match self {
            EncodeError::Text(m) => format!("module text failed to parse: {m}"),
            EncodeError::Unsupported(m) => m,
        }
    }
}

fn encode_quote(module: &mut QuoteWat<'_>) -> Result<Vec<u8>, EncodeError> {
    match module {
        QuoteWat::Wat(wat) => encode_wat(wat),
        QuoteWat::QuoteModule(..) => module.encode().map_err(|e| EncodeError::Text(e.message())),
        QuoteWat::QuoteComponent(..) => Err(EncodeError::Unsupported(
            "unsupported: component modules".into(),
        )),
    }
}

fn encode_wat(wat: &mut Wat<'_>) -> Result<Vec<u8>, EncodeError> {
    match wat {
        Wat::Module(m) => m.encode().map_err(|e| EncodeError::Text(e.message())),
        Wat::Component(_) => Err(EncodeError::Unsupported(
            "unsupported: component modules".into(),
        )),
    }
}

/// The state of one script run.
struct Runner {
    engine: Engine,
    store: Store<()>,
    linker: Linker<()>,
    /// The most recently instantiated module, if its instantiation succeeded.
    current: Option<Instance>,
    /// Instances by `$id`.
    instances: HashMap<String, Instance>,
    /// Module definitions (`module definition`) by `$id`.
    definitions: HashMap<String, Module>,
    /// The most recent module definition.
    last_definition: Option<Module>,
}

impl Runner {
    fn new(cfg: &RunConfig) -> Result<Self, Error> {
        let engine = Engine::new(&cfg.config);
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        spectest::define(&mut linker, &mut store)?;
        Ok(Self {
            engine,
            store,
            linker,
            current: None,
            instances: HashMap::new(),
            definitions: HashMap::new(),
            last_definition: None,
        })
    }

    /// Run one directive: `Ok` if it did what the script says.
    fn directive(&mut self, directive: WastDirective<'_>) -> Result<(), String> {
        match directive {
            WastDirective::Module(mut module) => {
                let id = module.name();
                let result = encode_quote(&mut module)
                    .map_err(EncodeError::describe)
                    .and_then(|bytes| self.compile(&bytes).map_err(|e| format!("module: {e}")))
                    .and_then(|m| self.instantiate(&m).map_err(|e| format!("module: {e}")));
                self.set_current(id, result.as_ref().ok().copied());
                result.map(drop)
            }
            WastDirective::ModuleDefinition(mut module) => {
                let id = module.name();
                let result = encode_quote(&mut module)
                    .map_err(EncodeError::describe)
                    .and_then(|bytes| {
                        self.compile(&bytes)
                            .map_err(|e| format!("module definition: {e}"))
                    });
                match (&result, id) {
                    (Ok(m), Some(id)) => {
                        self.definitions.insert(id.name().to_string(), m.clone());
                    }
                    (Err(_), Some(id)) => {
                        self.definitions.remove(id.name());
                    }
                    _ => {}
                }
                self.last_definition = result.as_ref().ok().cloned();
                result.map(drop)
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => {
                let definition = match module {
                    Some(id) => self.definitions.get(id.name()).cloned(),
                    None => self.last_definition.clone(),
                };
                let result = match definition {
                    Some(m) => self
                        .instantiate(&m)
                        .map_err(|e| format!("module instance: {e}")),
                    None => Err(format!(
                        "module instance: no module definition {}",
                        module.map_or(
                            "(none yet, or the last one failed)".to_string(),
                            |id| format!("${} (missing, or it failed)", id.name())
                        )
                    )),
                };
                self.set_current(instance, result.as_ref().ok().copied());
                result.map(drop)
            }
            WastDirective::Register { name, module, .. } => {
                let instance = self.instance(module)?;
                self.linker
                    .instance(&self.store, name, instance)
                    .map(drop)
                    .map_err(|e| format!("register {name:?}: {e}"))
            }
            WastDirective::Invoke(invoke) => match self.invoke(&invoke)? {
                Ok(_) => Ok(()),
                Err(e) => Err(format!("invoke {:?} failed: {e}", invoke.name)),
            },
            WastDirective::AssertReturn { exec, results, .. } => {
                let actual = match exec {
                    WastExecute::Invoke(invoke) => match self.invoke(&invoke)? {
                        Ok(values) => values,
                        Err(e) => {
                            return Err(format!(
                                "assert_return: invoke {:?} failed: {e}",
                                invoke.name
                            ));
                        }
                    },
                    WastExecute::Get { module, global, .. } => vec![self.get(module, global)?],
                    WastExecute::Wat(mut wat) => {
                        let bytes = encode_wat(&mut wat).map_err(EncodeError::describe)?;
                        let module = self.compile(&bytes).map_err(|e| format!("module: {e}"))?;
                        self.instantiate(&module)
                            .map_err(|e| format!("module: {e}"))?;
                        Vec::new()
                    }
                };
                values::check_results(&self.store, &actual, &results)
                    .map_err(|e| format!("assert_return: {e}"))
            }
            WastDirective::AssertTrap { exec, message, .. } => match exec {
                WastExecute::Invoke(invoke) => match self.invoke(&invoke)? {
                    Ok(values) => Err(format!(
                        "assert_trap: expected trap `{message}`, but invoke {:?} returned [{}]",
                        invoke.name,
                        values
                            .iter()
                            .map(|v| values::show_value(&self.store, v))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                    Err(e) => expect_trap(e, message, "assert_trap"),
                },
                WastExecute::Wat(mut wat) => {
                    let bytes = encode_wat(&mut wat).map_err(EncodeError::describe)?;
                    let module = self.compile(&bytes).map_err(|e| {
                        format!("assert_trap: expected instantiation to trap `{message}`, but: {e}")
                    })?;
                    match self.instantiate(&module) {
                        Ok(_) => Err(format!(
                            "assert_trap: expected instantiation to trap `{message}`, but it \
                             succeeded"
                        )),
                        Err(e) => expect_trap(e, message, "assert_trap (instantiation)"),
                    }
                }
                WastExecute::Get { .. } => Err("unsupported: assert_trap on `get`".into()),
            },
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(&call)? {
                Ok(_) => Err(format!(
                    "assert_exhaustion: expected `{message}`, but invoke {:?} returned",
                    call.name
                )),
                Err(Error::Trap(TrapCode::StackExhausted)) => {
                    check_trap_message(TrapCode::StackExhausted, message, "assert_exhaustion")
                }
                Err(e) => Err(format!(
                    "assert_exhaustion: expected trap `{message}`, got {}",
                    describe_error(&e)
                )),
            },
            WastDirective::AssertInvalid {
                mut module,
                message,
                ..
            } => {
                let bytes = encode_quote(&mut module)
                    .map_err(|e| format!("assert_invalid (`{message}`): {}", e.describe()))?;
                match self.compile(&bytes) {
                    Err(Error::Invalid { .. }) => Ok(()),
                    Err(e) => Err(format!(
                        "assert_invalid: expected an invalid-module error (`{message}`), got \
                         {}",
                        describe_error(&e)
                    )),
                    Ok(_) => Err(format!(
                        "assert_invalid: expected the module to be rejected (`{message}`), \
                         but it compiled"
                    )),
                }
            }
            WastDirective::AssertMalformed {
                mut module,
                message,
                ..
            } => {
                let quoted = matches!(module, QuoteWat::QuoteModule(..));
                let bytes = match encode_quote(&mut module) {
                    Ok(bytes) => bytes,
                    Err(EncodeError::Text(_)) => return Ok(()),
                    Err(e @ EncodeError::Unsupported(_)) => {
                        return Err(format!("assert_malformed: {}", e.describe()));
                    }
                };
                match self.compile(&bytes) {
                    Err(Error::Invalid { .. }) => Ok(()),
                    Err(e) => Err(format!(
                        "assert_malformed: expected a malformed-module error (`{message}`), \
                         got {}",
                        describe_error(&e)
                    )),
                    Ok(_) if quoted => Err(format!(
                        "assert_malformed: expected the module to be rejected (`{message}`), \
                         but its text parsed (wast crate) and the binary compiled"
                    )),
                    Ok(_) => Err(format!(
                        "assert_malformed: expected the binary module to be rejected \
                         (`{message}`), but it compiled"
                    )),
                }
            }
            WastDirective::AssertUnlinkable {
                mut module,
                message,
                ..
            } => {
                let bytes = encode_wat(&mut module)
                    .map_err(|e| format!("assert_unlinkable (`{message}`): {}", e.describe()))?;
                let module = self.compile(&bytes).map_err(|e| {
                    format!("assert_unlinkable (`{message}`): module failed to compile: {e}")
                })?;
                match self.instantiate(&module) {
                    Err(Error::Link(_)) => Ok(()),
                    Err(e) => Err(format!(
                        "assert_unlinkable: expected a link error (`{message}`), got {}",
                        describe_error(&e)
                    )),
                    Ok(_) => Err(format!(
                        "assert_unlinkable: expected a link error (`{message}`), but the \
                         module instantiated"
                    )),
                }
            }
            WastDirective::AssertInvalidCustom { .. } => {
                Err("unsupported directive: assert_invalid_custom".into())
            }
            WastDirective::AssertMalformedCustom { .. } => {
                Err("unsupported directive: assert_malformed_custom".into())
            }
            WastDirective::AssertException { .. } => {
                Err("unsupported directive: assert_exception (exception handling)".into())
            }
            WastDirective::AssertSuspension { .. } => {
                Err("unsupported directive: assert_suspension (stack switching)".into())
            }
            WastDirective::Thread(_) => Err("unsupported directive: thread (threads)".into()),
            WastDirective::Wait { .. } => Err("unsupported directive: wait (threads)".into()),
        }
    }

    fn compile(&self, bytes: &[u8]) -> Result<Module, Error> {
        Module::from_binary(&self.engine, bytes)
    }

    fn instantiate(&mut self, module: &Module) -> Result<Instance, Error> {
        self.linker.instantiate(&mut self.store, module)
    }

    /// Make `instance` current (or clear the current module if instantiation failed), and
    /// bind or unbind `id`.
    fn set_current(&mut self, id: Option<Id<'_>>, instance: Option<Instance>) {
        self.current = instance;
        if let Some(id) = id {
            match instance {
                Some(i) => self.instances.insert(id.name().to_string(), i),
                None => self.instances.remove(id.name()),
            };
        }
    }

    /// The instance `id` names, or the current one.
    fn instance(&self, id: Option<Id<'_>>) -> Result<Instance, String> {
        match id {
            Some(id) => self.instances.get(id.name()).copied().ok_or_else(|| {
                format!(
                    "no module instance named ${} (missing, or it failed)",
                    id.name()
                )
            }),
            None => self.current.ok_or_else(|| {
                "no current module instance (none yet, or the last one failed)".into()
            }),
        }
    }

    /// Call an export. The outer `Err` is a problem setting up the call (no such instance or
    /// export, unsupported arguments); the inner result is Gauge's.
    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Result<Result<Vec<Value>, Error>, String> {
        let instance = self.instance(invoke.module)?;
        let func = instance
            .get_func(&self.store, invoke.name)
            .ok_or_else(|| format!("no exported function {:?}", invoke.name))?;
        let args = invoke
            .args
            .iter()
            .map(|a| values::arg(&mut self.store, a))
            .collect::<Result<Vec<_>, _>>()?;
        let ty = func.ty(&self.store);
        let mut results: Vec<Value> = ty
            .results()
            .iter()
            .map(|t| Value::default_for(*t))
            .collect();
        Ok(func
            .call(&mut self.store, &args, &mut results)
            .map(|()| results))
    }

    /// The value of an exported global.
    fn get(&self, id: Option<Id<'_>>, name: &str) -> Result<Value, String> {
        let instance = self.instance(id)?;
        let global = instance
            .get_global(&self.store, name)
            .ok_or_else(|| format!("no exported global {name:?}"))?;
        Ok(global.get(&self.store))
    }
}

fn describe_error(e: &Error) -> String {
    match e {
        Error::Trap(code) => format!("trap `{}`", code.message()),
        other => format!("error: {other}"),
    }
}

/// `e` must be a trap whose message agrees with `expected`.
fn expect_trap(e: Error, expected: &str, what: &str) -> Result<(), String> {
    match e {
        Error::Trap(code) => check_trap_message(code, expected, what),
        other => Err(format!(
            "{what}: expected trap `{expected}`, got {}",
            describe_error(&other)
        )),
    }
}

fn check_trap_message(code: TrapCode, expected: &str, what: &str) -> Result<(), String> {
    let ours = code.message();
    if expected.contains(ours) || ours.starts_with(expected) {
        Ok(())
    } else {
        Err(format!(
            "{what}: trap message mismatch: expected `{expected}`, Gauge trapped with `{ours}`"
        ))
    }
}
