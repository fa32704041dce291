//! End-to-end checks of translation and execution on small hand-written modules.

use gauge_interpreter::{Config, Engine, Error, Linker, Module, Store, TrapCode, Value};

fn instance(wat: &str) -> (Store<()>, gauge_interpreter::Instance) {
    let engine = Engine::default();
    let module = Module::new(&engine, wat).expect("module compiles");
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .expect("instantiates");
    (store, instance)
}

fn call(wat: &str, name: &str, args: &[Value]) -> Result<Vec<Value>, Error> {
    let (mut store, instance) = instance(wat);
    let f = instance.get_func(&store, name).expect("export");
    let ty = f.ty(&store);
    let mut results: Vec<Value> = ty
        .results()
        .iter()
        .map(|t| Value::default_for(*t))
        .collect();
    f.call(&mut store, args, &mut results)?;
    Ok(results)
}

#[test]
fn f32_div_zero_by_zero_is_canonical() {
    let wat = r#"(module (func (export "f") (result i32)
        (i32.reinterpret_f32 (f32.div (f32.const 0) (f32.const 0)))))"#;
    assert_eq!(call(wat, "f", &[]).unwrap(), vec![Value::I32(0x7fc0_0000)]);
}

#[test]
fn f64_nan_from_arithmetic_is_canonical_but_neg_keeps_bits() {
    let wat = r#"(module
      (func (export "sub") (param f64) (result i64)
        (i64.reinterpret_f64 (f64.sub (local.get 0) (local.get 0))))
      (func (export "neg") (param i64) (result i64)
        (i64.reinterpret_f64 (f64.neg (f64.reinterpret_i64 (local.get 0))))))"#;
    let inf = Value::F64(f64::INFINITY.into());
    assert_eq!(
        call(wat, "sub", &[inf]).unwrap(),
        vec![Value::I64(0x7ff8_0000_0000_0000)]
    );
    let payload = 0x7ff4_0000_0000_0001u64 as i64;
    assert_eq!(
        call(wat, "neg", &[Value::I64(payload)]).unwrap(),
        vec![Value::I64((payload as u64 ^ 0x8000_0000_0000_0000) as i64)]
    );
}

const FIB: &str = r#"(module
  (func $fib (export "fib") (param i64) (result i64)
    (if (result i64) (i64.lt_u (local.get 0) (i64.const 2))
      (then (local.get 0))
      (else (i64.add (call $fib (i64.sub (local.get 0) (i64.const 1)))
                     (call $fib (i64.sub (local.get 0) (i64.const 2)))))))
  (func (export "fib_iter") (param i64) (result i64) (local i64 i64 i64)
    (local.set 1 (i64.const 0)) (local.set 2 (i64.const 1))
    (block (loop
      (br_if 1 (i64.eqz (local.get 0)))
      (local.set 3 (i64.add (local.get 1) (local.get 2)))
      (local.set 1 (local.get 2))
      (local.set 2 (local.get 3))
      (local.set 0 (i64.sub (local.get 0) (i64.const 1)))
      (br 0)))
    (local.get 1)))"#;

#[test]
fn fibonacci_recursive_and_iterative() {
    assert_eq!(
        call(FIB, "fib", &[Value::I64(20)]).unwrap(),
        vec![Value::I64(6765)]
    );
    assert_eq!(
        call(FIB, "fib_iter", &[Value::I64(90)]).unwrap(),
        vec![Value::I64(2880067194370816120)]
    );
}

const RECURSION: &str = r#"(module
  (func $depth (export "depth") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get 0) (i32.const 1)))))))
  (func $forever (export "forever") (param i32) (result i32)
    (call $forever (i32.add (local.get 0) (i32.const 1)))))"#;

#[test]
fn deep_recursion_succeeds_and_unbounded_recursion_is_exhausted() {
    assert_eq!(
        call(RECURSION, "depth", &[Value::I32(900)]).unwrap(),
        vec![Value::I32(900)]
    );
    assert_eq!(
        call(RECURSION, "depth", &[Value::I32(1000)]).unwrap(),
        vec![Value::I32(1000)]
    );
    for _ in 0..3 {
        let err = call(RECURSION, "forever", &[Value::I32(0)]).unwrap_err();
        assert_eq!(err, Error::Trap(TrapCode::StackExhausted));
    }
}

#[test]
fn call_depth_limit_is_counted_in_frames() {
    let mut config = Config::default();
    config.max_call_depth(50);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, RECURSION).unwrap();
    let mut store = Store::new(&engine, ());
    let inst = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let depth = inst.get_typed_func::<i32, i32, _>(&store, "depth").unwrap();
    // 49 nested calls plus the entry frame fit in 50 frames; one more does not.
    assert_eq!(depth.call(&mut store, 49).unwrap(), 49);
    assert_eq!(
        depth.call(&mut store, 50).unwrap_err(),
        Error::Trap(TrapCode::StackExhausted)
    );
}

#[test]
fn local_set_preserves_values_already_on_the_stack() {
    // The first `local.get 0` is still on the stack when local 0 is overwritten.
    let wat = r#"(module (func (export "f") (param i32) (result i32)
        (local.get 0)
        (local.set 0 (i32.const 100))
        (local.get 0)
        (i32.sub)))"#;
    assert_eq!(
        call(wat, "f", &[Value::I32(7)]).unwrap(),
        vec![Value::I32(7 - 100)]
    );
}

#[test]
fn lazy_locals_survive_blocks_that_write_them() {
    let wat = r#"(module (func (export "f") (param i32) (result i32)
        (local.get 0)
        (if (local.get 0) (then (local.set 0 (i32.const 1000))))
        (local.get 0)
        (i32.add)))"#;
    assert_eq!(
        call(wat, "f", &[Value::I32(5)]).unwrap(),
        vec![Value::I32(1005)]
    );
    assert_eq!(
        call(wat, "f", &[Value::I32(0)]).unwrap(),
        vec![Value::I32(0)]
    );
}

#[test]
fn multi_value_blocks_branches_and_returns() {
    let wat = r#"(module
      (func $swap (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
      (func (export "f") (param i32 i32) (result i32 i32)
        (block (result i32 i32)
          (call $swap (local.get 0) (local.get 1))
          (br_if 0 (i32.const 1))))
      (func (export "g") (param i32) (result i32)
        (local.get 0)
        (block (param i32) (result i32)
          (i32.const 2) (i32.mul))
        (loop (param i32) (result i32)
          (i32.const 1) (i32.add))))"#;
    assert_eq!(
        call(wat, "f", &[Value::I32(1), Value::I32(2)]).unwrap(),
        vec![Value::I32(2), Value::I32(1)]
    );
    assert_eq!(
        call(wat, "g", &[Value::I32(20)]).unwrap(),
        vec![Value::I32(41)]
    );
}

#[test]
fn br_table_selects_targets_and_carries_values() {
    let wat = r#"(module (func (export "f") (param i32) (result i32)
        (block (result i32)
          (block (result i32)
            (block (result i32)
              (i32.const 10) (local.get 0)
              (br_table 0 1 2))
            (i32.const 1) (i32.add) (return))
          (i32.const 2) (i32.add) (return))
        (i32.const 3) (i32.add)))"#;
    assert_eq!(
        call(wat, "f", &[Value::I32(0)]).unwrap(),
        vec![Value::I32(11)]
    );
    assert_eq!(
        call(wat, "f", &[Value::I32(1)]).unwrap(),
        vec![Value::I32(12)]
    );
    assert_eq!(
        call(wat, "f", &[Value::I32(2)]).unwrap(),
        vec![Value::I32(13)]
    );
    assert_eq!(
        call(wat, "f", &[Value::I32(99)]).unwrap(),
        vec![Value::I32(13)]
    );
}

#[test]
fn memory_and_traps() {
    let wat = r#"(module (memory 1)
      (func (export "rw") (param i32 i64) (result i64)
        (i64.store offset=8 (local.get 0) (local.get 1))
        (i64.load offset=8 (local.get 0)))
      (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))"#;
    assert_eq!(
        call(wat, "rw", &[Value::I32(16), Value::I64(-5)]).unwrap(),
        vec![Value::I64(-5)]
    );
    assert_eq!(
        call(wat, "rw", &[Value::I32(65530), Value::I64(1)]).unwrap_err(),
        Error::Trap(TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(
        call(wat, "div", &[Value::I32(1), Value::I32(0)]).unwrap_err(),
        Error::Trap(TrapCode::IntegerDivisionByZero)
    );
    assert_eq!(
        call(wat, "div", &[Value::I32(i32::MIN), Value::I32(-1)]).unwrap_err(),
        Error::Trap(TrapCode::IntegerOverflow)
    );
}

#[test]
fn host_functions_see_store_data_and_caller_memory() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module (import "env" "log" (func $log (param i32 i32)))
           (memory (export "memory") 1) (data (i32.const 8) "hello")
           (func (export "run") (call $log (i32.const 8) (i32.const 5))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, Vec::<String>::new());
    let mut linker = Linker::new(&engine);
    linker
        .func_wrap(
            "env",
            "log",
            |mut caller: gauge_interpreter::Caller<'_, Vec<String>>, ptr: i32, len: i32| {
                let mem = caller
                    .get_export("memory")
                    .and_then(|e| e.into_memory())
                    .unwrap();
                let mut buf = vec![0; len as usize];
                mem.read(caller.store(), ptr as usize, &mut buf)?;
                caller.data_mut().push(String::from_utf8(buf).unwrap());
                Ok::<(), Error>(())
            },
        )
        .unwrap();
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let run = inst.get_typed_func::<(), (), _>(&store, "run").unwrap();
    run.call(&mut store, ()).unwrap();
    assert_eq!(store.data(), &vec!["hello".to_string()]);
}

#[test]
fn floats_can_be_rejected_at_validation() {
    let mut config = Config::default();
    config.floats(false);
    let engine = Engine::new(&config);
    for wat in [
        r#"(module (func (result f32) (f32.const 1)))"#,
        r#"(module (func (param f64)))"#,
        r#"(module (func (local f32)))"#,
        r#"(module (global f64 (f64.const 0)))"#,
        r#"(module (import "m" "g" (global f32)))"#,
        r#"(module (func (param i32) (result i32) (i32.reinterpret_f32 (f32.reinterpret_i32 (local.get 0)))))"#,
        r#"(module (func (param i32) (result i32) (i32.trunc_sat_f32_s (f32.convert_i32_s (local.get 0)))))"#,
        r#"(module (memory 1) (func (param i32) (drop (f64.load (local.get 0)))))"#,
        r#"(module (func (drop (block (result f32) (unreachable)))))"#,
    ] {
        let err = Module::new(&engine, wat).unwrap_err();
        assert!(matches!(err, Error::Invalid { .. }), "{wat}: {err}");
    }
    Module::new(
        &engine,
        r#"(module (func (result i64) (i64.extend_i32_u (i32.wrap_i64 (i64.const 1)))))"#,
    )
    .unwrap();
}

#[test]
fn malformed_input_is_an_error_with_an_offset() {
    let engine = Engine::default();
    let err = Module::new(&engine, b"\0asm\x01\0\0\0\x01\xff").unwrap_err();
    assert!(
        matches!(err, Error::Invalid { offset, .. } if offset > 0),
        "{err}"
    );
}

/// Found by the differential fuzz target (2026-11-22, crash-aab9cb99): wasmi 2.0 traps with
/// "integer divide by zero" on this function (a minimized form of the wasm-smith module), while
/// V8 and Gauge return normally. `select` picks `i32.const 1` because its condition
/// `i32.eqz (local.get 2)` is 1 when local 2 (a copy of parameter 1 through
/// `local.tee`/`local.set`) is 0; without the `global.get`/`if` prologue wasmi gets it right.
#[test]
fn select_on_eqz_of_a_copied_local_does_not_divide_by_zero() {
    let wat = r#"(module (global (mut i32) (i32.const 5))
      (func (export "f") (param i32 i32) (result i32) (local i32)
        global.get 0
        i32.eqz
        if unreachable end
        i32.const -129
        local.get 1
        local.tee 0
        local.set 2
        i32.const 1
        local.get 2
        local.get 2
        i32.eqz
        select
        i32.rem_u))"#;
    assert_eq!(
        call(wat, "f", &[Value::I32(0), Value::I32(0)]).unwrap(),
        vec![Value::I32(0)]
    );
    assert_eq!(
        call(wat, "f", &[Value::I32(0), Value::I32(7)]).unwrap(),
        vec![Value::I32((-129i32 as u32 % 7) as i32)]
    );
}

/// Float comparisons fused into branches, in both senses (`br_if` branches when the
/// comparison holds, `if` skips its `then` when it does not), against Rust's comparisons,
/// with NaNs, zeros of both signs and infinities: `!(a < b)` must not become `a >= b`.
#[test]
fn fused_float_compare_and_branch_handle_nans() {
    let ops = ["eq", "ne", "lt", "gt", "le", "ge"];
    let mut funcs = String::new();
    for ty in ["f32", "f64"] {
        for op in ops {
            funcs.push_str(&format!(
                r#"(func (export "br_{ty}_{op}") (param {ty} {ty}) (result i32)
                     (block (br_if 0 ({ty}.{op} (local.get 0) (local.get 1))) (return (i32.const 0)))
                     (i32.const 1))
                   (func (export "if_{ty}_{op}") (param {ty} {ty}) (result i32)
                     (if ({ty}.{op} (local.get 0) (local.get 1)) (then (return (i32.const 1))))
                     (i32.const 0))"#
            ));
        }
    }
    let wat = format!("(module {funcs})");
    let (mut store, instance) = instance(&wat);
    let values = [
        f64::NAN,
        -f64::NAN,
        0.0,
        -0.0,
        1.5,
        -2.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];
    let cmp = |op: &str, a: f64, b: f64| match op {
        "eq" => a == b,
        "ne" => a != b,
        "lt" => a < b,
        "gt" => a > b,
        "le" => a <= b,
        _ => a >= b,
    };
    let mut checked = 0;
    for ty in ["f32", "f64"] {
        for op in ops {
            for kind in ["br", "if"] {
                let f = instance
                    .get_func(&store, &format!("{kind}_{ty}_{op}"))
                    .expect("export");
                for &a in &values {
                    for &b in &values {
                        let args = if ty == "f32" {
                            [Value::F32((a as f32).into()), Value::F32((b as f32).into())]
                        } else {
                            [Value::F64(a.into()), Value::F64(b.into())]
                        };
                        let mut out = [Value::I32(-1)];
                        f.call(&mut store, &args, &mut out).expect("runs");
                        let want = cmp(op, a, b) as i32;
                        assert_eq!(out, [Value::I32(want)], "{kind}_{ty}_{op}({a}, {b})");
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 2 * 6 * 2 * 64);
}

#[test]
fn default_memory_limit_is_16384_pages() {
    // Gauge's default cap on a memory (1 GiB), checked without allocating it: a grow past it
    // returns -1, and a memory whose minimum is past it fails to instantiate.
    let engine = Engine::new(&Config::default());
    let module = Module::new(
        &engine,
        r#"(module (memory 0)
             (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let inst = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let grow = inst.get_typed_func::<i32, i32, _>(&store, "grow").unwrap();
    assert_eq!(grow.call(&mut store, 16_385).unwrap(), -1);
    assert_eq!(grow.call(&mut store, 65_536).unwrap(), -1);
    assert_eq!(grow.call(&mut store, 1).unwrap(), 0);
    assert_eq!(
        grow.call(&mut store, 16_384).unwrap(),
        -1,
        "1 + 16,384 pages"
    );
    let big = Module::new(&engine, "(module (memory 16385))").unwrap();
    match Linker::new(&engine).instantiate(&mut Store::new(&engine, ()), &big) {
        Err(Error::Limit(_)) => {}
        other => panic!("expected a limit error, got {other:?}"),
    }
    let ok = Module::new(&engine, "(module (memory 1 16384))").unwrap();
    Linker::new(&engine)
        .instantiate(&mut Store::new(&engine, ()), &ok)
        .unwrap();
}

/// Every float operation that can produce a NaN returns the positive canonical NaN, whatever
/// NaN the hardware made or the operands carried (negative, signalling, with a payload), both
/// through the threaded handlers and in the fused multiply-add pairs. Canonicalization is a
/// branch around the store of the result (see `num::canon_f64`), which LLVM must not fold.
#[test]
fn every_nan_producing_float_operation_returns_the_canonical_nan() {
    const CANON32: i32 = 0x7fc0_0000;
    const CANON64: i64 = 0x7ff8_0000_0000_0000;
    // Operand NaNs: negative signalling with a payload, positive quiet with a payload.
    let nans32 = [0xff80_0001u32 as i32, 0x7fc1_2345];
    let nans64 = [0xfff0_0000_0000_0001u64 as i64, 0x7ff8_0000_1234_5678];
    let unary = [
        "sqrt", "floor", "ceil", "trunc", "nearest", "add_self", "mul_one",
    ];
    let binary = ["add", "sub", "mul", "div", "min", "max"];
    for (t, i, nans, canon) in [
        ("f32", "i32", nans32.map(i64::from), i64::from(CANON32)),
        ("f64", "i64", nans64, CANON64),
    ] {
        let mut funcs = String::new();
        for op in unary {
            let body = match op {
                "add_self" => format!("({t}.add (local.get 0) (local.get 0))"),
                "mul_one" => format!("({t}.mul (local.get 0) ({t}.const 1))"),
                _ => format!("({t}.{op} (local.get 0))"),
            };
            funcs += &format!(
                "(func (export \"{op}\") (param {i}) (result {i}) (local {t})
                   (local.set 1 ({t}.reinterpret_{i} (local.get 0)))
                   ({i}.reinterpret_{t} {}))\n",
                body.replace("local.get 0", "local.get 1")
            );
        }
        for op in binary {
            funcs += &format!(
                "(func (export \"{op}\") (param {i} {i}) (result {i})
                   ({i}.reinterpret_{t} ({t}.{op} ({t}.reinterpret_{i} (local.get 0))
                                                  ({t}.reinterpret_{i} (local.get 1)))))\n"
            );
        }
        // A product kept in a local and added to: the fused multiply-add pair.
        funcs += &format!(
            "(func (export \"mul_add\") (param {i} {i} {i}) (result {i}) (local {t} {t})
               (local.set 3 ({t}.mul ({t}.reinterpret_{i} (local.get 0))
                                     ({t}.reinterpret_{i} (local.get 1))))
               (local.set 4 ({t}.add (local.get 3) ({t}.reinterpret_{i} (local.get 2))))
               ({i}.add ({i}.reinterpret_{t} (local.get 3)) ({i}.reinterpret_{t} (local.get 4))))\n"
        );
        let wat = format!("(module {funcs})");
        let (mut store, instance) = instance(&wat);
        let val = |bits: i64| {
            if t == "f32" {
                Value::I32(bits as i32)
            } else {
                Value::I64(bits)
            }
        };
        let run = |store: &mut Store<()>, name: &str, args: &[Value]| -> i64 {
            let f = instance.get_func(&*store, name).expect("export");
            let mut out = [val(0)];
            f.call(&mut *store, args, &mut out).expect("runs");
            match out[0] {
                Value::I32(v) => i64::from(v),
                Value::I64(v) => v,
                ref other => panic!("unexpected result {other:?}"),
            }
        };
        let (inf, one) = if t == "f32" {
            (
                i64::from(f32::INFINITY.to_bits() as i32),
                i64::from(1f32.to_bits() as i32),
            )
        } else {
            (f64::INFINITY.to_bits() as i64, 1f64.to_bits() as i64)
        };
        let neg_one = if t == "f32" {
            i64::from((-1f32).to_bits() as i32)
        } else {
            (-1f64).to_bits() as i64
        };
        for nan in nans {
            for op in unary {
                assert_eq!(
                    run(&mut store, op, &[val(nan)]),
                    canon,
                    "{t}.{op} of {nan:#x}"
                );
            }
            for op in binary {
                for args in [[nan, one], [one, nan], [nan, nan]] {
                    assert_eq!(
                        run(&mut store, op, &[val(args[0]), val(args[1])]),
                        canon,
                        "{t}.{op} of {args:x?}"
                    );
                }
            }
        }
        // NaNs the hardware makes from numbers (x86-64 makes a negative one).
        assert_eq!(
            run(&mut store, "sqrt", &[val(neg_one)]),
            canon,
            "{t}.sqrt(-1)"
        );
        assert_eq!(
            run(&mut store, "sub", &[val(inf), val(inf)]),
            canon,
            "{t} inf - inf"
        );
        assert_eq!(
            run(&mut store, "div", &[val(0), val(0)]),
            canon,
            "{t} 0 / 0"
        );
        // inf * 0 = NaN, then NaN + 1 = NaN: both halves of the pair return the canonical NaN.
        let sum = if t == "f32" {
            i64::from(CANON32.wrapping_add(CANON32))
        } else {
            CANON64.wrapping_add(CANON64)
        };
        assert_eq!(
            run(&mut store, "mul_add", &[val(inf), val(0), val(one)]),
            sum,
            "{t} fused mul_add"
        );
    }
}

/// A subtraction of a constant becomes an addition of its negation (`I32AddImm`,
/// `I64AddImm`), except `i64.sub` of `-2^31`, whose sign-extended negation is not an `i32`
/// immediate (`I64SubImm`): exact for every operand, at the extremes too.
#[test]
fn subtracting_a_constant_is_exact() {
    let consts32 = [0, 1, -1, 4, 0x7fff, -0x8000, i32::MAX, i32::MIN];
    let consts64 = [0i64, 1, -1, 4, i64::from(i32::MAX), i64::from(i32::MIN)];
    let mut wat = String::from("(module\n");
    for (k, c) in consts32.iter().enumerate() {
        wat += &format!(
            "(func (export \"s32_{k}\") (param i32) (result i32) \
             (i32.sub (local.get 0) (i32.const {c})))\n"
        );
    }
    for (k, c) in consts64.iter().enumerate() {
        wat += &format!(
            "(func (export \"s64_{k}\") (param i64) (result i64) \
             (i64.sub (local.get 0) (i64.const {c})))\n"
        );
    }
    wat += ")";
    let engine = Engine::default();
    let module = Module::new(&engine, &wat).unwrap();
    let code: String = (0..consts32.len() + consts64.len())
        .map(|f| module.disassemble(f).unwrap())
        .collect();
    assert!(!code.contains("I32Sub"), "{code}");
    assert_eq!(code.matches("I64SubImm {").count(), 1, "{code}");
    assert_eq!(
        code.matches("I64AddImm {").count(),
        consts64.len() - 1,
        "{code}"
    );
    let xs32 = [0, 1, -1, 5, i32::MAX, i32::MIN, 0x1234_5678];
    for (k, &c) in consts32.iter().enumerate() {
        for &x in &xs32 {
            let got = call(&wat, &format!("s32_{k}"), &[Value::I32(x)]).unwrap();
            assert_eq!(got, vec![Value::I32(x.wrapping_sub(c))], "{x} - {c}");
        }
    }
    let xs64 = [
        0,
        1,
        -1,
        i64::MAX,
        i64::MIN,
        1 << 31,
        -(1 << 31),
        0x1234_5678_9abc,
    ];
    for (k, &c) in consts64.iter().enumerate() {
        for &x in &xs64 {
            let got = call(&wat, &format!("s64_{k}"), &[Value::I64(x)]).unwrap();
            assert_eq!(got, vec![Value::I64(x.wrapping_sub(c))], "{x} - {c}");
        }
    }
}
