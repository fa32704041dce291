//! Gas metering: exactness, linearity in work done, dynamic costs, determinism.

use gauge_interpreter::{Config, Engine, Error, Linker, Module, Store, TrapCode, Value};
use gauge_metering::Schedule;
use proptest::prelude::*;

const PROGRAM: &str = r#"(module
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (func (export "loop") (param $n i32) (result i32) (local $acc i32)
    (block (loop
      (br_if 1 (i32.eqz (local.get $n)))
      (local.set $acc (i32.add (local.get $acc) (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br 0)))
    (local.get $acc))
  (func (export "fill") (param $len i32)
    (memory.fill (i32.const 0) (i32.const 7) (local.get $len)))
  (func (export "grow") (param $pages i32) (result i32) (memory.grow (local.get $pages)))
  (func $rec (export "rec") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $rec (i32.sub (local.get $n) (i32.const 1)))))))
  (func (export "trap_after_store") (param $d i32) (result i32)
    (global.set $g (i32.const 5))
    (i32.div_u (i32.const 1) (local.get $d))))"#;

fn engine() -> Engine {
    let mut config = Config::default();
    config.gas(Schedule::v1());
    Engine::new(&config)
}

/// Run `name(arg)` with `limit` gas: the outcome and the gas used.
fn run(name: &str, arg: i32, limit: u64) -> (Result<Vec<Value>, Error>, u64) {
    let engine = engine();
    let module = Module::new(&engine, PROGRAM).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let f = instance.get_func(&store, name).unwrap();
    let mut results: Vec<Value> = f
        .ty(&store)
        .results()
        .iter()
        .map(|t| Value::default_for(*t))
        .collect();
    store.set_gas(limit);
    let r = f
        .call(&mut store, &[Value::I32(arg)], &mut results)
        .map(|()| results);
    (r, store.gas_used())
}

fn used(name: &str, arg: i32) -> u64 {
    let (r, used) = run(name, arg, u64::MAX / 2);
    r.unwrap();
    used
}

#[test]
fn limit_equal_to_gas_used_succeeds_and_one_less_runs_out() {
    for (name, arg) in [("loop", 10), ("fill", 1000), ("rec", 50), ("grow", 2)] {
        let need = used(name, arg);
        assert!(need > 0);
        let (ok, used_at_limit) = run(name, arg, need);
        assert!(ok.is_ok(), "{name}: limit = gas_used must succeed");
        assert_eq!(used_at_limit, need);
        let (err, _) = run(name, arg, need - 1);
        assert_eq!(err.unwrap_err(), Error::Trap(TrapCode::OutOfGas), "{name}");
    }
}

#[test]
fn a_trap_pays_for_every_instruction_that_began() {
    // The block ending with the division is paid before the global is written; the trap comes
    // after, so the run charges exactly what an ok run through the division charges.
    let (trap, trap_used) = run("trap_after_store", 0, 1_000_000);
    assert_eq!(
        trap.unwrap_err(),
        Error::Trap(TrapCode::IntegerDivisionByZero)
    );
    assert_eq!(trap_used, used("trap_after_store", 1));
}

#[test]
fn identical_runs_use_identical_gas() {
    let a = used("rec", 200);
    for _ in 0..5 {
        assert_eq!(used("rec", 200), a);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_loop_of_n_iterations_costs_a_plus_b_n(n in 0i32..2000) {
        let (a, b) = (used("loop", 0), used("loop", 1) - used("loop", 0));
        prop_assert!(b > 0);
        prop_assert_eq!(used("loop", n), a + b * n as u64);
    }

    #[test]
    fn bulk_fill_scales_with_its_length(len in 0i32..65_536) {
        let per_byte = Schedule::v1().dynamic.memory_per_byte;
        prop_assert_eq!(used("fill", len), used("fill", 0) + per_byte * len as u64);
    }

    #[test]
    fn recursion_cost_is_linear_in_depth(n in 0i32..500) {
        let (a, b) = (used("rec", 0), used("rec", 1) - used("rec", 0));
        prop_assert_eq!(used("rec", n), a + b * n as u64);
    }
}

#[test]
fn grow_is_charged_per_page_even_when_it_fails() {
    let per_page = Schedule::v1().dynamic.memory_grow_per_page;
    let base = used("grow", 0);
    assert_eq!(used("grow", 3), base + 3 * per_page);
    // 70,000 pages is past every limit: grow returns -1 but the pages were still charged.
    let (r, g) = run("grow", 70_000, u64::MAX / 2);
    assert_eq!(r.unwrap(), vec![Value::I32(-1)]);
    assert_eq!(g, base + 70_000 * per_page);
}

#[test]
fn out_of_gas_is_reported_with_nothing_left() {
    let (r, g) = run("loop", 1_000_000, 5_000);
    assert_eq!(r.unwrap_err(), Error::Trap(TrapCode::OutOfGas));
    assert_eq!(g, 5_000);
}

#[test]
fn without_metering_no_gas_is_used() {
    let engine = Engine::default();
    let module = Module::new(&engine, PROGRAM).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let f = instance
        .get_typed_func::<i32, i32, _>(&store, "loop")
        .unwrap();
    store.set_gas(10);
    assert_eq!(f.call(&mut store, 100).unwrap(), 5050);
    assert_eq!(store.gas_used(), 0);
}

#[test]
fn host_functions_can_charge_gas() {
    let engine = engine();
    let module = Module::new(
        &engine,
        r#"(module (import "env" "work" (func $w (param i32)))
           (func (export "run") (call $w (i32.const 40))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap(
            "env",
            "work",
            |mut caller: gauge_interpreter::Caller<'_, ()>, n: i32| caller.consume_gas(n as u64),
        )
        .unwrap();
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let run = inst.get_typed_func::<(), (), _>(&store, "run").unwrap();
    store.set_gas(1_000);
    run.call(&mut store, ()).unwrap();
    let with_host = store.gas_used();
    assert!(with_host > 40);
    store.set_gas(with_host - 1);
    assert_eq!(
        run.call(&mut store, ()).unwrap_err(),
        Error::Trap(TrapCode::OutOfGas)
    );
}
