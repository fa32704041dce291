//! Calls and returns on the threaded fast path (`src/exec/fast.rs`): long chains of them run in
//! constant host stack, recursion meets the depth limit exactly, and results, traps and gas are
//! those of the one-instruction-at-a-time path (which `wasmi` cross-checks in the fuzzers).

use gauge_interpreter::{Config, Engine, Error, Linker, Module, Store, TrapCode, Value};

const CALLS: &str = r#"(module
  (memory 1)
  ;; A callee with declared locals (zeroed on every entry) and a load and store.
  (func $step (param $x i64) (param $i i32) (result i64) (local $t i64) (local $u i32)
    (local.set $u (i32.and (local.get $i) (i32.const 1023)))
    (local.set $t (i64.add (i64.load (i32.shl (local.get $u) (i32.const 3))) (local.get $t)))
    (i64.store (i32.shl (local.get $u) (i32.const 3)) (i64.add (local.get $t) (i64.const 1)))
    (i64.add (i64.mul (local.get $x) (i64.const 31)) (i64.extend_i32_u (local.get $i))))
  ;; Two results: `ReturnSpan`. Called through the table: `CallIndirect`.
  (type $pair_ty (func (param i32) (result i32 i32)))
  (table 1 funcref)
  (elem (i32.const 0) $pair)
  (func $pair (type $pair_ty) (param $a i32) (result i32 i32)
    (i32.add (local.get $a) (i32.const 1)) (i32.mul (local.get $a) (i32.const 3)))
  (func (export "loop") (param $n i32) (result i64) (local $i i32) (local $acc i64)
    (loop $top
      (local.set $acc (call $step (local.get $acc) (local.get $i)))
      (call_indirect (type $pair_ty) (local.get $i) (i32.const 0))
      (i32.add)
      (i64.extend_i32_u)
      (local.set $acc (i64.xor (local.get $acc)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
  ;; sum(n) = n + sum(n - 1), recursion to depth n + 1.
  (func $sum (export "sum") (param $n i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 0))
      (else (i64.add (local.get $n) (call $sum (i64.sub (local.get $n) (i64.const 1)))))))
  ;; Traps at depth n + 1.
  (func $dive (export "dive") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (unreachable))
      (else (call $dive (i32.sub (local.get $n) (i32.const 1)))))))"#;

/// What `loop(n)` returns, computed in Rust.
fn expected_loop(n: u32) -> i64 {
    let mut memory = vec![0i64; 1024];
    let mut acc: i64 = 0;
    for i in 0..n {
        let u = (i & 1023) as usize;
        let t = memory[u];
        memory[u] = t.wrapping_add(1);
        acc = acc.wrapping_mul(31).wrapping_add(i64::from(i));
        let sum = i.wrapping_add(1).wrapping_add(i.wrapping_mul(3));
        acc ^= i64::from(sum);
    }
    acc
}

fn call(config: &Config, name: &str, arg: Value, gas: Option<u64>) -> (Result<Value, Error>, u64) {
    let engine = Engine::new(config);
    let module = Module::new(&engine, CALLS).expect("module compiles");
    let mut store = Store::new(&engine, ());
    if let Some(gas) = gas {
        store.set_gas(gas);
    }
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .expect("instantiates");
    let f = instance.get_func(&store, name).expect("export");
    let mut results = [Value::I64(0)];
    if name != "sum" && name != "loop" {
        results = [Value::I32(0)];
    }
    let r = f
        .call(&mut store, &[arg], &mut results)
        .map(|()| results[0]);
    (r, store.gas_used())
}

/// Run `f` on a thread with a 256 KiB stack: far too small for a host frame per Wasm call or
/// per instruction.
fn on_small_stack<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic or overflow")
}

#[test]
fn a_million_direct_and_indirect_calls_and_returns_run_in_constant_host_stack() {
    for metered in [false, true] {
        let got = on_small_stack(move || {
            let mut config = Config::default();
            if metered {
                config.gas(gauge_metering::Schedule::v1());
            }
            call(&config, "loop", Value::I32(1_000_000), None).0
        });
        assert_eq!(
            got.unwrap(),
            Value::I64(expected_loop(1_000_000)),
            "metered {metered}"
        );
    }
}

#[test]
fn recursion_reaches_the_depth_limit_exactly() {
    on_small_stack(|| {
        let mut config = Config::default();
        config.max_call_depth(5_000);
        // `sum(n)` needs n + 1 frames of `sum`, plus none for the host's call.
        let (ok, _) = call(&config, "sum", Value::I64(4_999), None);
        assert_eq!(ok.unwrap(), Value::I64(4_999 * 5_000 / 2));
        let (deep, _) = call(&config, "sum", Value::I64(5_000), None);
        match deep {
            Err(Error::Trap(TrapCode::StackExhausted)) => {}
            other => panic!("expected call stack exhausted, got {other:?}"),
        }
    });
}

#[test]
fn a_trap_deep_in_recursion_and_its_gas_match_the_step_by_step_count() {
    on_small_stack(|| {
        let mut config = Config::default();
        config.gas(gauge_metering::Schedule::v1());
        let (r, used) = call(&config, "dive", Value::I32(3_000), None);
        match r {
            Err(Error::Trap(TrapCode::Unreachable)) => {}
            other => panic!("expected unreachable, got {other:?}"),
        }
        // Gas is linear in the depth: each level costs the same.
        let (_, used_less) = call(&config, "dive", Value::I32(2_000), None);
        let (_, used_least) = call(&config, "dive", Value::I32(1_000), None);
        assert!(used > used_less && used_less > used_least);
        assert_eq!(used - used_less, used_less - used_least);
        // Out of gas exactly at the limit: the run with `used` gas reaches the trap, one less
        // does not.
        let (r, _) = call(&config, "dive", Value::I32(3_000), Some(used));
        assert!(
            matches!(r, Err(Error::Trap(TrapCode::Unreachable))),
            "{r:?}"
        );
        let (r, _) = call(&config, "dive", Value::I32(3_000), Some(used - 1));
        assert!(matches!(r, Err(Error::Trap(TrapCode::OutOfGas))), "{r:?}");
    });
}

/// A table mixing callees `call_indirect` runs on the fast path (functions of the calling
/// instance with the expected type) with every case it leaves to the step-by-step path: a host
/// function, a function of another instance, a null element, an index past the end, and a
/// function of another type. Elements change with `table.set` between calls.
const INDIRECT: &str = r#"(module
  (import "env" "host" (func $host (param i32) (result i32)))
  (import "other" "triple" (func $triple (param i32) (result i32)))
  (type $unary (func (param i32) (result i32)))
  (table $t 8 funcref)
  (elem (table $t) (i32.const 0) func $inc $twice $wide $host $triple)
  (func $inc (param $x i32) (result i32) (i32.add (local.get $x) (i32.const 1)))
  (func $twice (param $x i32) (result i32) (local $pad i64)
    (i32.mul (local.get $x) (i32.const 2)))
  (func $wide (param $x i64) (result i64) (local.get $x))
  ;; The direct call first: a host call starts with room for one frame, and a call that must
  ;; grow the frame stack is left to `run_frame`; after it, `call_indirect` runs in the chain.
  (func (export "dispatch") (param $sel i32) (param $x i32) (result i32)
    (drop (call $inc (i32.const 0)))
    (call_indirect (type $unary) (local.get $x) (local.get $sel)))
  (func (export "set") (param $at i32) (param $which i32)
    (table.set $t (local.get $at)
      (if (result funcref) (local.get $which) (then (ref.func $twice)) (else (ref.func $inc)))))
  ;; n calls through elements 0 and 1 in turn, the element index a loop variable.
  (func (export "many") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $top
      (local.set $acc
        (call_indirect (type $unary)
          (i32.xor (local.get $acc) (local.get $i))
          (i32.and (local.get $i) (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))"#;

#[test]
fn call_indirect_on_the_fast_path_and_every_case_it_leaves_to_run_frame() {
    for metered in [false, true] {
        let mut config = Config::default();
        if metered {
            config.gas(gauge_metering::Schedule::v1());
        }
        let engine = Engine::new(&config);
        let mut store = Store::new(&engine, ());
        let other = Module::new(
            &engine,
            r#"(module (func (export "triple") (param i32) (result i32)
                 (i32.mul (local.get 0) (i32.const 3))))"#,
        )
        .unwrap();
        let other = Linker::new(&engine)
            .instantiate(&mut store, &other)
            .unwrap();
        let mut linker = Linker::new(&engine);
        linker
            .func_wrap("env", "host", |x: i32| x.wrapping_add(1000))
            .unwrap()
            .instance(&store, "other", other)
            .unwrap();
        let module = Module::new(&engine, INDIRECT).unwrap();
        let inst = linker.instantiate(&mut store, &module).unwrap();
        let dispatch = inst
            .get_typed_func::<(i32, i32), i32, _>(&store, "dispatch")
            .unwrap();
        let set = inst
            .get_typed_func::<(i32, i32), (), _>(&store, "set")
            .unwrap();
        let many = inst.get_typed_func::<i32, i32, _>(&store, "many").unwrap();
        let mut d = |sel: i32, x: i32| dispatch.call(&mut store, (sel, x));
        assert_eq!(d(0, 41).unwrap(), 42);
        assert_eq!(d(1, 21).unwrap(), 42);
        assert_eq!(d(3, 5).unwrap(), 1005, "host function");
        assert_eq!(d(4, 5).unwrap(), 15, "function of another instance");
        for (sel, trap) in [
            (2, TrapCode::IndirectCallTypeMismatch),
            (5, TrapCode::UninitializedElement),
            (8, TrapCode::UndefinedElement),
            (-1, TrapCode::UndefinedElement),
        ] {
            match d(sel, 1) {
                Err(Error::Trap(t)) if t == trap => {}
                other => panic!("element {sel}: expected {trap:?}, got {other:?}"),
            }
        }
        // Elements changed between calls are seen by the next one.
        set.call(&mut store, (0, 1)).unwrap();
        assert_eq!(dispatch.call(&mut store, (0, 21)).unwrap(), 42);
        set.call(&mut store, (5, 0)).unwrap();
        assert_eq!(dispatch.call(&mut store, (5, 41)).unwrap(), 42);
        set.call(&mut store, (0, 0)).unwrap();
        // Elements 0 and 1 are `inc` and `twice` again. (Fewer calls under Miri, which
        // checks the handlers' raw pointers.)
        let n: u32 = if cfg!(miri) { 300 } else { 100_000 };
        let expected = (0..n).fold(0u32, |acc, i| {
            let x = acc ^ i;
            if i & 1 == 0 {
                x.wrapping_add(1)
            } else {
                x.wrapping_mul(2)
            }
        });
        assert_eq!(
            many.call(&mut store, n as i32).unwrap(),
            expected as i32,
            "metered {metered}"
        );
    }
}
