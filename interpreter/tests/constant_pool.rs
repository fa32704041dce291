//! The constant pool: constants read inside loops come from frame slots set on entry.
//!
//! Checks that loops lose their `Const` instructions, that results stay right when the pool
//! overflows, when results outnumber the locals, when callers and callees both have pools
//! (a callee's frame overlaps its caller's operand slots, never its pool), and with gas.

use gauge_interpreter::{Config, Engine, Linker, Module, Store, Value};
use gauge_metering::Schedule;

fn run(engine: &Engine, wat: &str, name: &str, args: &[Value], results: usize) -> Vec<Value> {
    let module = Module::new(engine, wat).expect("module compiles");
    let mut store = Store::new(engine, ());
    if engine.config().gas_schedule().is_some() {
        store.set_gas(u64::MAX / 2);
    }
    let instance = Linker::new(engine)
        .instantiate(&mut store, &module)
        .expect("instantiates");
    let f = instance.get_func(&store, name).expect("export");
    let mut out = vec![Value::I32(0); results];
    f.call(&mut store, args, &mut out).expect("runs");
    out
}

fn engines() -> [Engine; 2] {
    let mut gas = Config::default();
    gas.gas(Schedule::v1());
    [Engine::default(), Engine::new(&gas)]
}

/// The instructions of defined function `index` between the loop's first and last lines
/// (the disassembly's lines, without the header).
fn code(wat: &str, index: usize) -> Vec<String> {
    let module = Module::new(&Engine::default(), wat).expect("module compiles");
    let text = module.disassemble(index).expect("function exists");
    text.lines().skip(1).map(str::to_owned).collect()
}

const POLY: &str = r#"
(module
  ;; sum over i < n of (3 * i + 1000000007) ^ 0x5555_5555_5555 (i64 constants beyond an
  ;; immediate), and a float accumulator with constants.
  (func (export "poly") (param $n i32) (result i64 f64)
    (local $i i32) (local $s i64) (local $f f64)
    (if (i32.eqz (local.get $n)) (then (return (i64.const 0) (f64.const 0))))
    (loop $top
      (local.set $s
        (i64.add (local.get $s)
          (i64.xor
            (i64.add (i64.mul (i64.extend_i32_u (local.get $i)) (i64.const 3))
                     (i64.const 100000000007))
            (i64.const 0x5555_5555_5555))))
      (local.set $f (f64.add (f64.mul (local.get $f) (f64.const 0.5)) (f64.const 1.25)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $s) (local.get $f)))
"#;

fn poly_expected(n: u32) -> (i64, f64) {
    let (mut s, mut f) = (0i64, 0f64);
    for i in 0..n {
        let t = (i as i64 * 3 + 100_000_000_007) ^ 0x5555_5555_5555;
        s = s.wrapping_add(t);
        f = f * 0.5 + 1.25;
    }
    (s, f)
}

#[test]
fn loop_constants_come_from_the_pool() {
    let lines = code(POLY, 0);
    let start = lines
        .iter()
        .position(|l| l.contains("I64MulImm"))
        .expect("loop body");
    let end = lines
        .iter()
        .position(|l| l.contains("BrI32LtU"))
        .expect("loop branch");
    let body = &lines[start..=end];
    assert!(
        body.iter().all(|l| !l.contains("Const {")),
        "constants re-materialized in the loop:\n{}",
        body.join("\n")
    );
    // Before the loop, the early return's constants stay ordinary instructions.
    assert!(lines[..start].iter().any(|l| l.contains("Const {")));
    for engine in engines() {
        for n in [0, 1, 2, 1000] {
            let (s, f) = poly_expected(n);
            let out = run(&engine, POLY, "poly", &[Value::I32(n as i32)], 2);
            assert_eq!(out, vec![Value::I64(s), Value::F64(f.into())], "n = {n}");
        }
    }
}

/// A loop reading more distinct constants than the pool holds: the rest become `Const`s.
#[test]
fn constants_beyond_the_pool_still_work() {
    let k = 40;
    let mut body = String::from("(local.get $s)");
    for j in 0..k {
        body = format!("(i64.add {body} (i64.const {}))", 1_000_000_000_000i64 + j);
    }
    let wat = format!(
        r#"(module (func (export "f") (param $n i32) (result i64) (local $s i64)
             (loop $top
               (local.set $s {body})
               (local.set $n (i32.sub (local.get $n) (i32.const 1)))
               (br_if $top (local.get $n)))
             (local.get $s)))"#
    );
    let lines = code(&wat, 0);
    let consts = lines.iter().filter(|l| l.contains("Const {")).count();
    assert_eq!(consts, k as usize - 32, "{}", lines.join("\n"));
    let per_iteration: i64 = (0..k).map(|j| 1_000_000_000_000i64 + j).sum();
    for engine in engines() {
        let out = run(&engine, &wat, "f", &[Value::I32(7)], 1);
        assert_eq!(out, vec![Value::I64(7 * per_iteration)]);
    }
}

/// More results than locals: the result slots are also operand-stack slots, which the pool
/// moves up; the return must still write slots `0..`.
#[test]
fn results_beyond_the_locals_with_a_pool() {
    let wat = r#"(module (func (export "f") (result i32 i64 i32)
        (local $i i32)
        (loop $top (result i32)
          (br_if $top (i32.lt_u
            (local.tee $i (i32.add (local.get $i) (i32.const 1)))
            (i32.const 5)))
          (i64.const 0x1234_5678_9abc)
          (drop)
          (i32.const 7))
        (i64.const 0x1_0000_0000_0001)
        (local.get $i)))"#;
    // One result, no locals, a pooled loop condition: the returned constant goes to slot 0,
    // which is also the pool's first slot's number before renumbering.
    let one = r#"(module (func (export "g") (result i32)
        (loop (result i32) (br_if 0 (i32.const 0)) (i32.const 3))))"#;
    for engine in engines() {
        let out = run(&engine, wat, "f", &[], 3);
        assert_eq!(
            out,
            vec![Value::I32(7), Value::I64(0x1_0000_0000_0001), Value::I32(5)]
        );
        assert_eq!(run(&engine, one, "g", &[], 1), vec![Value::I32(3)]);
    }
}

/// A caller's loop calls a callee whose frame starts at the caller's operand slots: both
/// pools, and the values computed around the call, stay intact.
#[test]
fn caller_and_callee_pools_do_not_overlap() {
    let wat = r#"(module
      (func $g (param $x i64) (result i64) (local $j i32) (local $acc i64)
        (loop $l
          (local.set $acc (i64.add (i64.add (local.get $acc) (local.get $x))
                                   (i64.const 0x7777_0000_0000)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $j) (i32.const 3))))
        (local.get $acc))
      (func (export "f") (param $n i32) (result i64) (local $s i64)
        (loop $top
          (local.set $s
            (i64.xor (i64.const 0x0101_0101_0101)
              (i64.add (i64.const 0x3333_0000_0000)
                (call $g (i64.add (local.get $s) (i64.const 0x5555_0000_0000))))))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br_if $top (local.get $n)))
        (local.get $s)))"#;
    let g = |x: i64| (0..3).fold(0i64, |acc, _| acc + x + 0x7777_0000_0000);
    let mut s = 0i64;
    for _ in 0..5 {
        s = 0x0101_0101_0101 ^ (0x3333_0000_0000i64.wrapping_add(g(s + 0x5555_0000_0000)));
    }
    for engine in engines() {
        let out = run(&engine, wat, "f", &[Value::I32(5)], 1);
        assert_eq!(out, vec![Value::I64(s)]);
    }
}
