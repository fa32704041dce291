//! Gauge merges the charges of consecutive metered blocks that end in loads, stores, divisions
//! or `global.set` (`docs/gas.md`, "How Gauge takes the charges"). This checks that nothing
//! observable changes: for every gas limit from 0 to the gas a call needs (and one more), the
//! outcome (result, trap, out of gas), the gas used and the memory and global afterwards equal
//! those of the instrumented module (one `gauge.gas` call per block, no merging) run on wasmi
//! with the same limit enforced by the host.

use gauge_interpreter::{Config, Engine, Error, Linker, Module, Store, TrapCode, TypedFunc, Value};
use gauge_metering::{GAS_FUNC, GAS_MODULE, Schedule, instrument};

const WAT: &str = r#"(module
  (memory (export "memory") 1)
  (global $g (export "g") (mut i32) (i32.const 0))
  ;; Straight-line code with many simply-ending blocks: each load, store, division and
  ;; global.set ends one. `p` moves the accesses (out of bounds near 65536), `d` is a divisor
  ;; (0 traps).
  (func (export "chain") (param $p i32) (param $d i32) (result i32) (local $x i32)
    (i32.store (i32.const 0) (i32.const 11))
    (local.set $x (i32.load (i32.const 0)))
    (i32.store offset=4 (local.get $p) (local.get $x))
    (global.set $g (i32.add (global.get $g) (local.get $x)))
    (local.set $x (i32.add (local.get $x) (i32.load offset=4 (local.get $p))))
    (local.set $x (i32.div_u (local.get $x) (local.get $d)))
    (i64.store (i32.const 16) (i64.extend_i32_u (local.get $x)))
    (local.set $x (i32.rem_s (i32.load (i32.const 16)) (i32.add (local.get $d) (i32.const -1))))
    (i32.store8 (i32.add (local.get $p) (i32.const 100)) (local.get $x))
    (global.set $g (local.get $x))
    (i32.load16_u offset=7 (local.get $p)))
  ;; A loop whose body is a chain of merged blocks, ending in a branch.
  (func (export "loop") (param $n i32) (param $p i32) (result i32) (local $i i32) (local $s i32)
    (block (loop
      (br_if 1 (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $i))
      (local.set $s (i32.add (local.get $s) (i32.load (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br 0)))
    (local.get $s)))"#;

#[derive(Debug, PartialEq)]
enum Outcome {
    Ok(Vec<i64>),
    OutOfGas,
    Trap,
}

struct Run {
    outcome: Outcome,
    gas: u64,
    memory: Vec<u8>,
    global: i32,
}

fn gauge_run(module: &Module, engine: &Engine, name: &str, args: &[i32], limit: u64) -> Run {
    let mut store = Store::new(engine, ());
    let instance = Linker::new(engine).instantiate(&mut store, module).unwrap();
    store.set_gas(limit);
    let f = instance.get_func(&store, name).unwrap();
    let args: Vec<Value> = args.iter().map(|&a| Value::I32(a)).collect();
    let mut results = vec![Value::I32(0)];
    let outcome = match f.call(&mut store, &args, &mut results) {
        Ok(()) => Outcome::Ok(
            results
                .iter()
                .map(|v| match v {
                    Value::I32(x) => i64::from(*x),
                    other => panic!("unexpected {other:?}"),
                })
                .collect(),
        ),
        Err(Error::Trap(TrapCode::OutOfGas)) => Outcome::OutOfGas,
        Err(Error::Trap(_)) => Outcome::Trap,
        Err(e) => panic!("unexpected error {e}"),
    };
    let mem = instance.get_memory(&store, "memory").unwrap();
    let mut memory = vec![0; 256];
    mem.read(&store, 0, &mut memory).unwrap();
    let mut tail = vec![0; 256];
    mem.read(&store, 65536 - 256, &mut tail).unwrap();
    memory.extend(tail);
    let global = match instance.get_global(&store, "g").unwrap().get(&store) {
        Value::I32(v) => v,
        other => panic!("unexpected {other:?}"),
    };
    Run {
        outcome,
        gas: store.gas_used(),
        memory,
        global,
    }
}

/// The instrumented module on wasmi: the host enforces `limit` the way rule 2 says (a charge
/// that does not fit uses up the whole limit and stops the run before the block).
fn wasmi_run(wasm: &[u8], name: &str, args: &[i32], limit: u64) -> Run {
    let engine = wasmi::Engine::default();
    let module = wasmi::Module::new(&engine, wasm).unwrap();
    let mut store = wasmi::Store::new(&engine, (0u64, limit));
    let mut linker = wasmi::Linker::new(&engine);
    linker
        .func_wrap(
            GAS_MODULE,
            GAS_FUNC,
            |mut caller: wasmi::Caller<'_, (u64, u64)>, amount: i64| -> Result<(), wasmi::Error> {
                let (used, limit) = caller.data_mut();
                match used.checked_add(amount as u64) {
                    Some(total) if total <= *limit => {
                        *used = total;
                        Ok(())
                    }
                    _ => {
                        *used = *limit;
                        Err(wasmi::Error::new("out of gas"))
                    }
                }
            },
        )
        .unwrap();
    let instance = linker.instantiate_and_start(&mut store, &module).unwrap();
    let f = instance.get_func(&store, name).unwrap();
    let args: Vec<wasmi::Val> = args.iter().map(|&a| wasmi::Val::I32(a)).collect();
    let mut results = vec![wasmi::Val::I32(0)];
    let outcome = match f.call(&mut store, &args, &mut results) {
        Ok(()) => Outcome::Ok(
            results
                .iter()
                .map(|v| i64::from(v.i32().unwrap()))
                .collect(),
        ),
        Err(e) if e.to_string().contains("out of gas") => Outcome::OutOfGas,
        Err(_) => Outcome::Trap,
    };
    let mem = instance.get_memory(&store, "memory").unwrap();
    let mut memory = vec![0; 256];
    mem.read(&store, 0, &mut memory).unwrap();
    let mut tail = vec![0; 256];
    mem.read(&store, 65536 - 256, &mut tail).unwrap();
    memory.extend(tail);
    let global = instance
        .get_global(&store, "g")
        .unwrap()
        .get(&store)
        .i32()
        .unwrap();
    Run {
        outcome,
        gas: store.data().0,
        memory,
        global,
    }
}

/// A metered engine, `wat` translated on it, and `wat` instrumented for wasmi.
fn metered(wat: &str) -> (Engine, Module, Vec<u8>) {
    let wasm = wat::parse_str(wat).unwrap();
    let instrumented = instrument(&Schedule::v1(), &wasm).unwrap();
    let mut config = Config::default();
    config.gas(Schedule::v1());
    let engine = Engine::new(&config);
    let module = Module::new(&engine, &wasm).unwrap();
    (engine, module, instrumented)
}

/// Run each case on Gauge and on the instrumented module on wasmi with every gas limit up to
/// what the call needs, and with one far above it (there merged charges are paid all at once,
/// and a trap gives back what was prepaid for the blocks after it): same outcome, gas used,
/// memory and global.
fn compare_at_every_limit(
    module: &Module,
    engine: &Engine,
    instrumented: &[u8],
    cases: &[(&str, &[i32])],
) {
    let mut compared = 0;
    for &(name, args) in cases {
        let full = gauge_run(module, engine, name, args, u64::MAX).gas;
        for limit in (0..=full + 1).chain([1_000_000]) {
            let g = gauge_run(module, engine, name, args, limit);
            let w = wasmi_run(instrumented, name, args, limit);
            let at = format!("{name}{args:?} with limit {limit}");
            assert_eq!(g.outcome, w.outcome, "{at}: outcome");
            assert_eq!(g.gas, w.gas, "{at}: gas used");
            assert_eq!(g.memory, w.memory, "{at}: memory");
            assert_eq!(g.global, w.global, "{at}: global");
            compared += 1;
        }
    }
    assert!(compared > 100);
}

#[test]
fn merged_charges_are_unobservable_at_every_limit() {
    let (engine, module, instrumented) = metered(WAT);
    let cases: &[(&str, &[i32])] = &[
        ("chain", &[32, 3]),
        ("chain", &[32, 0]),
        ("chain", &[32, 1]),
        ("chain", &[65530, 3]),
        ("chain", &[65500, 2]),
        ("chain", &[65440, 5]),
        ("loop", &[5, 0]),
        ("loop", &[3, 65534]),
    ];
    compare_at_every_limit(&module, &engine, &instrumented, cases);
}

/// Every pair of instructions Gauge fuses (`Op::fuse`), and loops whose branches pay the gas
/// charge they land on (`Op::BrGas`). The accesses move with `p` (out of bounds near 65536, so
/// that the second half of a fused pair traps, in a different merged block than the first for
/// `i32.load8_u` then `i32.store8`); `q` feeds the arithmetic and the loops' trip counts.
const PAIRS_WAT: &str = r#"(module
  (memory (export "memory") 1)
  (global $g (export "g") (mut i32) (i32.const 0))
  (func (export "pairs") (param $p i32) (param $q i32) (result i32)
    (local $x i32) (local $y i32) (local $z i32) (local $f f64) (local $e f32)
    (local $w i64) (local $v i64) (local $u i64) (local $g f64) (local $h f64)
    (local $k f64)
    (i32.store (i32.const 8) (i32.const 0x01020304))
    (i32.store (i32.const 12) (i32.const 0x05060708))
    ;; 8 bytes copied; the store traps for `q > 224` only.
    (i64.store offset=4 (i32.add (local.get $q) (i32.const 65300)) (i64.load offset=8 (local.get $q)))
    (local.set $x (i32.load8_u (i32.add (local.get $p) (local.get $q))))
    (local.set $x (i32.add (local.get $x)
      (i32.load offset=3 (i32.add (local.get $p) (local.get $q)))))
    (local.set $x (i32.xor (local.get $x)
      (i32.load offset=1 (i32.add (local.get $p) (i32.const 7)))))
    (i32.store8 offset=20 (i32.add (local.get $p) (i32.const 1))
      (i32.load8_u offset=9 (local.get $p)))
    (i32.store8 offset=5 (i32.add (local.get $p) (local.get $q)) (local.get $x))
    (local.set $y (i32.add (i32.add (local.get $x) (local.get $q)) (local.get $p)))
    (local.set $y (i32.add (local.get $q) (i32.add (local.get $y) (local.get $y))))
    (local.set $y (i32.add (local.get $y) (i32.shl (local.get $q) (i32.const 35))))
    (local.set $y (i32.xor (local.get $y) (i32.and
      (local.tee $z (i32.shr_u (i32.sub (i32.const 0) (local.get $p)) (i32.const 37)))
      (i32.const 0xfc0003f0))))
    (local.set $y (i32.add (local.tee $x (i32.add (local.get $y) (local.get $z))) (i32.const -9)))
    (local.set $y (i32.add (local.tee $x (i32.mul (local.get $y) (i32.const 1664525)))
      (i32.const 1013904223)))
    (local.set $y (i32.xor (local.get $x) (local.tee $z (i32.shr_u (local.get $y) (i32.const 39)))))
    (local.set $y (i32.xor (local.tee $x (i32.rotl (local.get $y) (i32.const 26))) (local.get $z)))
    (local.set $w (i64.rotl (local.tee $v (i64.xor (i64.extend_i32_u (local.get $y))
      (i64.extend_i32_s (local.get $z)))) (i64.const 67)))
    (local.set $w (i64.rotl (local.tee $u (i64.add (local.get $w) (i64.extend_i32_s (local.get $x))))
      (i64.const -3)))
    (local.set $w (i64.xor (local.get $w) (i64.load offset=5 (i32.add (local.get $p) (i32.const 3)))))
    (local.set $g (f64.convert_i32_s (local.get $q)))
    (local.set $g (f64.sub (local.tee $h (f64.mul (local.get $g) (f64.const 0.7))) (local.get $g)))
    ;; (an integer step before each pair: its first instruction reads the local that the pair
    ;; before leaves in the float accumulator, and would read it from there instead of pairing)
    (local.set $z (i32.add (local.get $z) (i32.const 1)))
    (local.set $g (f64.sub (local.get $h) (f64.mul (local.get $g) (local.get $h))))
    (local.set $z (i32.add (local.get $z) (i32.const 1)))
    (local.set $g (f64.mul (local.tee $h (f64.mul (local.get $g) (local.get $h))) (local.get $g)))
    (local.set $z (i32.add (local.get $z) (i32.const 1)))
    (local.set $k (f64.add (local.tee $g (f64.add (local.get $g) (f64.const 1.25))) (local.get $h)))
    (local.set $z (i32.add (local.get $z) (i32.const 1)))
    (local.set $h (f64.mul (local.tee $g (f64.add (local.get $k) (local.get $g))) (local.get $k)))
    (local.set $z (i32.add (local.get $z) (i32.const 1)))
    (local.set $k (f64.add (local.tee $g (f64.sub (local.get $h) (local.get $k))) (local.get $h)))
    (local.set $z (i32.add (local.get $z) (i32.const 1)))
    (local.set $h (f64.max (local.tee $g (f64.min (local.get $k) (local.get $h))) (local.get $k)))
    (local.set $w (i64.xor (local.get $w) (i64.rotl (i64.reinterpret_f64 (local.get $k)) (i64.const 41))))
    (local.set $w (i64.xor (local.get $w) (i64.xor (i64.reinterpret_f64 (local.get $g))
      (i64.rotl (i64.reinterpret_f64 (local.get $h)) (i64.const 17)))))
    (local.set $w (i64.xor (local.get $w) (i64.shr_u (local.get $w) (i64.const 32))))
    (local.set $y (i32.xor (local.get $y) (i32.wrap_i64 (i64.xor (i64.xor (local.get $w) (local.get $v))
      (i64.shr_u (local.get $u) (i64.const 29))))))
    (local.set $z (local.get $x))
    (local.set $x (local.get $y))
    (local.set $f (f64.convert_i32_s (local.get $q)))
    (local.set $f (f64.add (f64.mul (local.get $f) (f64.const 1.5)) (local.get $f)))
    (local.set $f (f64.add (local.get $f) (f64.mul (local.get $f) (f64.div (local.get $f) (f64.const 0)))))
    (local.set $e (f32.convert_i32_s (local.get $p)))
    (local.set $e (f32.add (f32.mul (local.get $e) (f32.const -0.25)) (local.get $e)))
    (global.set $g (i32.xor (i32.wrap_i64 (i64.reinterpret_f64 (local.get $f)))
      (i32.reinterpret_f32 (local.get $e))))
    (i32.xor (i32.xor (local.get $x) (local.get $z))
      (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $f)) (i64.const 32)))))
  ;; Back edges of several kinds, each landing on its loop's charge.
  (func (export "loops") (param $p i32) (param $q i32) (result i32) (local $i i32) (local $s i32)
    (local $t i32) (local $z i32) (local $w i32) (local $v i32)
    (loop $a
      (local.set $s (i32.add (local.get $s) (i32.load8_u (i32.add (local.get $p) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $a (i32.lt_u (local.get $i) (local.get $q))))
    (local.set $i (i32.const 0))
    (loop $b
      (local.set $s (i32.add (local.get $s) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $b (i32.ne (local.get $i) (i32.const 3))))
    (block $out (loop $c
      (br_if $out (i32.ge_u (local.get $i) (i32.const 6)))
      (global.set $g (i32.add (global.get $g) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $c)))
    ;; A comparison kept in a local and branched on: back while `i % 4 == 0`, then once more
    ;; forward out of a block while `i % 2 == 1`.
    (loop $d
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $d (local.tee $t (i32.eq (i32.and (local.get $i) (i32.const 3)) (local.get $z)))))
    (block $odd
      (br_if $odd (local.tee $t (i32.eq (i32.and (local.get $i) (i32.const 1)) (local.get $q))))
      (local.set $s (i32.add (local.get $s) (i32.const 100))))
    ;; A step of `q | 1` while below a bound in a local.
    (local.set $v (i32.or (local.get $q) (i32.const 1)))
    (local.set $w (i32.add (local.get $i) (i32.const 7)))
    (loop $f
      (local.set $s (i32.add (local.get $s) (i32.mul (local.get $i) (i32.const 5))))
      (br_if $f (i32.lt_u (local.tee $i (i32.add (local.get $i) (local.get $v))) (local.get $w))))
    ;; The same, tested at the top, with an unconditional back edge right after the step.
    (local.set $w (i32.add (local.get $i) (i32.const 5)))
    (block $out2 (loop $g
      (br_if $out2 (i32.ge_u (local.get $i) (local.get $w)))
      (local.set $s (i32.xor (local.get $s) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (local.get $v)))
      (br $g)))
    ;; The same with the bound first: back while `w != i`.
    (local.set $w (i32.add (local.get $i) (i32.const 6)))
    (loop $k
      (local.set $s (i32.add (local.get $s) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br_if $k (i32.ne (local.get $w) (local.get $i))))
    ;; A counter stepped down in place and branched on while not zero.
    (local.set $w (i32.add (i32.and (local.get $q) (i32.const 7)) (i32.const 1)))
    (loop $h
      (local.set $s (i32.add (local.get $s) (local.get $w)))
      (br_if $h (local.tee $w (i32.sub (local.get $w) (i32.const 1)))))
    ;; A step of 3 up to a bound it hits exactly: back while `i != w`.
    (local.set $w (i32.add (local.get $i) (i32.const 9)))
    (loop $e
      (local.set $s (i32.xor (local.get $s) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 3)))
      (br_if $e (i32.ne (local.get $i) (local.get $w))))
    (i32.add (local.get $s) (local.get $t)))
  ;; A comparison kept in a local and branched on out of a loop, to the function's end, where
  ;; no charge is (its result is already on the stack), so that the pair pays only the charge
  ;; it falls into.
  (func (export "scan") (param $p i32) (param $q i32) (result i32) (local $i i32) (local $t i32)
    (local.get $q)
    (block $done
      (loop $m
        (br_if $done (local.tee $t (i32.eq (local.get $i) (i32.and (local.get $q) (i32.const 15)))))
        (i32.store8 (i32.add (local.get $p) (local.get $i)) (local.get $i))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $m))))
  ;; A byte copy from `p` to `p + q`, `q` bytes: the store, the step (by a local, the counter
  ;; on the right) and the back edge are one instruction, whose store can trap while the load
  ;; does not.
  (func (export "copy") (param $p i32) (param $q i32) (result i32) (local $i i32) (local $one i32)
    (local $d i32) (local $t i32)
    (local.set $one (i32.const 1))
    (block $done
      (loop $m
        (br_if $done (i32.eq (local.get $i) (local.get $q)))
        (local.set $t (i32.add (local.get $p) (i32.add (local.get $i) (local.get $q))))
        (i32.store8 (local.get $t) (i32.load8_u (local.tee $d (i32.add (local.get $p) (local.get $i)))))
        (local.set $i (i32.add (local.get $one) (local.get $i)))
        (br $m)))
    (i32.load (i32.add (local.get $p) (local.get $q))))
  ;; The same copy from `p` to `p + q` as `memcpy` compiles it: both addresses computed from
  ;; the counter, the source's feeding the load, then the store, step and back edge (one
  ;; instruction); the load or the store can trap.
  (func (export "copy2") (param $p i32) (param $q i32) (result i32) (local $i i32) (local $one i32)
    (local $t i32) (local $u i32) (local $v i32)
    (local.set $one (i32.const 1))
    (local.set $t (i32.add (local.get $p) (local.get $q)))
    (block $done
      (loop $m
        (br_if $done (i32.eq (local.get $i) (local.get $q)))
        (i32.store8 (local.tee $v (i32.add (local.get $t) (local.get $i)))
          (i32.load8_u (local.tee $u (i32.add (local.get $p) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (local.get $one)))
        (br $m)))
    (i32.add (i32.load (local.get $t)) (i32.xor (local.get $u) (i32.shl (local.get $v) (i32.const 7)))))
  ;; A sieve's marking loop with a 64-bit index: `j` from `p` by a step of 1 to 4 while
  ;; `j <= p + 20`, the step right before the back edge; the store traps near the end of
  ;; memory.
  (func (export "sieve64") (param $p i32) (param $q i32) (result i32) (local $j i64)
    (local $n i64) (local $step i64)
    (local.set $j (i64.extend_i32_u (local.get $p)))
    (local.set $step (i64.extend_i32_u (i32.add (i32.and (local.get $q) (i32.const 3)) (i32.const 1))))
    (local.set $n (i64.add (local.get $j) (i64.const 20)))
    (block $out
      (loop $l
        (br_if $out (i64.gt_u (local.get $j) (local.get $n)))
        (i32.store8 (i32.wrap_i64 (local.get $j)) (local.get $q))
        (local.set $j (i64.add (local.get $j) (local.get $step)))
        (br $l)))
    (i32.add (i32.load (local.get $p)) (i32.wrap_i64 (local.get $j))))
  ;; A loop's exit test on a shifted counter: the shift and the branch make no pair, the
  ;; branch still charges both ways (the charge it lands on, the one it falls into).
  (func (export "shifts") (param $p i32) (param $q i32) (result i32) (local $i i32) (local $s i32)
    (block $out
      (loop $l
        (br_if $out (i32.ge_u (i32.shr_u (local.get $i) (i32.const 1)) (local.get $q)))
        (local.set $s (i32.add (local.get $s) (i32.load8_u (i32.add (local.get $p) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $s))
  ;; More kinds of conditional branch, each landing on a charge and falling into one: out of
  ;; the loop when `i == q` (as `i64`), past a block when `i - 3 > 4` (unsigned) or when
  ;; `i == 5`, back while `i <= p`.
  (func (export "kinds") (param $p i32) (param $q i32) (result i32) (local $i i32) (local $s i32)
    (local $w i64)
    (local.set $w (i64.extend_i32_u (local.get $q)))
    (block $a
      (loop $l
        (br_if $a (i64.eq (i64.extend_i32_u (local.get $i)) (local.get $w)))
        (local.set $s (i32.add (local.get $s) (local.get $i)))
        (block $skip
          (br_if $skip (i32.gt_u (i32.add (local.get $i) (i32.const -3)) (i32.const 4)))
          (local.set $s (i32.xor (local.get $s) (i32.const 0x55))))
        (block $five
          (br_if $five (i32.eq (local.get $i) (i32.const 5)))
          (local.set $s (i32.add (local.get $s) (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.le_u (local.get $i) (local.get $p)))))
    (i32.add (local.get $s) (i32.mul (local.get $i) (i32.const 1000))))
  ;; Conditional branches that fall into a charge (an `if`'s then-block, a block after a
  ;; `br_if` out of it), taken and not in turn.
  (func (export "ifs") (param $p i32) (param $q i32) (result i32) (local $s i32) (local $i i32)
    (loop $l
      (if (i32.and (local.get $i) (i32.const 1))
        (then (local.set $s (i32.add (local.get $s) (local.get $p))))
        (else (local.set $s (i32.xor (local.get $s) (local.get $q)))))
      (block $b
        (br_if $b (i32.eqz (i32.and (local.get $i) (i32.const 2))))
        (local.set $s (i32.mul (local.get $s) (i32.const 3))))
      (block $c
        (br_if $c (local.get $q))
        (local.set $s (i32.add (local.get $s) (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 5))))
    (local.get $s)))"#;

#[test]
fn fused_pairs_and_charging_branches_are_unobservable_at_every_limit() {
    let (engine, module, instrumented) = metered(PAIRS_WAT);
    // The code holds what this test is about.
    let code = (0..9)
        .map(|f| module.disassemble(f).unwrap())
        .collect::<String>();
    assert_holds(
        &code,
        &[
            "I32AddLoad {",
            "I32AddLoad8U {",
            "I32AddImmLoad {",
            "I32Load8UStore8 {",
            "I64LoadStore {",
            "I32Add2 {",
            "I32ShlImmAdd {",
            "I32ShrUImmAndImm {",
            "I32AddAddImm {",
            "I32MulImmAddImm {",
            "I32ShrUImmXor {",
            "I32RotlImmXor {",
            "I64XorRotlImm {",
            "I64AddRotlImm {",
            "Copy2 {",
            "F64MulAdd {",
            "F64MulSub {",
            "F64MulRsub {",
            "F64Mul2 {",
            "F64Add2 {",
            "F64AddMul {",
            "F64SubAdd {",
            "F64MinMax {",
            "I32AddImmLoad64 {",
            "F32MulAdd {",
            "BrI32LtUGasFall {",
            "BrI32NeImmGasFall {",
            "BrGas {",
            "I32EqBrNezGasFall {",
            "I32EqBrNezFall {",
            "I32AddImmBrLtUGas {",
            "I32AddImmBrNeGas {",
            "I32AddImmBrLtUImmGas {",
            "I32AddImmBrNezGas {",
            "I32AddImmBrNeImmGas {",
            "I32AddStore8 {",
            "I32AddBrLtUGas {",
            "I32AddBrGas {",
            "I32Store8AddBrGas {",
            "Fall {",
            "BrI32GeUGasFall {",
            "BrI32GeUImmGasFall {",
            "BrI32LeUGasFall {",
            "BrI64EqGasFall {",
            "BrI32EqImmGasFall {",
            "BrI32GtUImmGasFall {",
        ],
    );
    // A counter step fused with `!=` either way round (`i != w`, `w != i`).
    assert!(code.matches("I32AddImmBrNeGas {").count() >= 2, "{code}");
    assert_falls_charged(&code);
    let cases: &[(&str, &[i32])] = &[
        ("pairs", &[32, 3]),
        ("pairs", &[0, 7]),
        ("pairs", &[3, 2]),
        ("pairs", &[-1, 0]),
        ("pairs", &[65532, 0]),
        ("pairs", &[65526, 1]),
        ("pairs", &[65530, 2]),
        ("pairs", &[65520, 9]),
        ("pairs", &[65520, 0]),
        ("pairs", &[65515, 1]),
        ("pairs", &[32, 230]),
        ("loops", &[16, 4]),
        ("loops", &[65530, 8]),
        ("loops", &[16, 1]),
        ("loops", &[16, 0]),
        ("ifs", &[3, 0]),
        ("ifs", &[3, 7]),
        ("scan", &[32, 5]),
        ("scan", &[32, 0]),
        ("scan", &[65530, 9]),
        ("copy", &[32, 9]),
        ("copy", &[32, 0]),
        ("copy", &[65520, 12]),
        ("copy", &[65530, 3]),
        ("shifts", &[32, 5]),
        ("shifts", &[65530, 9]),
        ("kinds", &[10, 6]),
        ("kinds", &[4, 9]),
        ("kinds", &[0, 0]),
        ("copy2", &[32, 9]),
        ("copy2", &[32, 0]),
        ("copy2", &[65530, -65000]),
        ("copy2", &[10, 65520]),
        ("sieve64", &[100, 2]),
        ("sieve64", &[0, 7]),
        ("sieve64", &[65530, 1]),
    ];
    compare_at_every_limit(&module, &engine, &instrumented, cases);
}

/// Check that no conditional branch in the disassembled metered `code` that charges where it
/// lands (`Br…Gas`) is followed by a gas charge it could pay when it falls through (one of at
/// most `u16::MAX`, `Op::with_fall`): every such branch has its `…GasFall` twin, and the final
/// pass must give it, also after the instruction before it failed to pair with it.
fn assert_falls_charged(code: &str) {
    let lines: Vec<&str> = code.lines().map(str::trim).collect();
    // The disassembly prints `index: Name { fields }`.
    let name = |line: &str| {
        let rest = line.split_once(": ").map_or("", |(_, r)| r);
        rest.split([' ', '{']).next().unwrap_or("").to_string()
    };
    let mut branches = 0;
    for w in lines.windows(2) {
        let first = name(w[0]);
        if !(first.starts_with("Br") && first.contains("Gas") && first != "BrGas") {
            continue;
        }
        branches += 1;
        if first.ends_with("Fall") || first.ends_with("FallIa") {
            continue;
        }
        let amount = w[1]
            .split_once("amount: ")
            .or_else(|| w[1].split_once("total: "))
            .map(|(_, n)| n.trim_end_matches([' ', '}']).parse::<u64>().unwrap());
        let next = name(w[1]);
        assert!(
            !(next.starts_with("ConsumeGas") && amount.is_some_and(|a| a <= 65_535)),
            "a branch falls into a charge it could pay:\n{}\n{}",
            w[0],
            w[1]
        );
    }
    assert!(branches > 0, "no charging branch in\n{code}");
}

/// Check that the disassembled `code` holds each of `names` (an opcode name with its opening
/// brace, as the disassembly prints it): the code under test has what the test is about.
fn assert_holds(code: &str, names: &[&str]) {
    for name in names {
        assert!(code.contains(name), "no {name} in\n{code}");
    }
}

/// Translate `wat` unmetered, check that function 0's code holds each of `ops` (a name with its
/// opening brace, as the disassembly prints it), and return a store and its export `name`.
fn unmetered(wat: &str, name: &str, ops: &[&str]) -> (Store<()>, TypedFunc<(i32, i32), i32>) {
    let engine = Engine::default();
    let module = Module::new(&engine, wat).unwrap();
    let code = module.disassemble(0).unwrap();
    assert_holds(&code, ops);
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let func = instance.get_typed_func(&store, name).unwrap();
    (store, func)
}

/// Without metering no charge separates a branch target from the instruction before it, so a
/// fused pair's second instruction can be a target: a jump there runs it alone, falling
/// through runs the pair.
#[test]
fn a_jump_to_the_second_of_a_fused_pair_runs_it_alone() {
    let wat = r#"(module
      (func (export "into") (param $p i32) (param $q i32) (result i32) (local $x i32)
        (local.set $x (i32.add (local.get $p) (local.get $q)))
        (block $b
          (br_if $b (local.get $q))
          (local.set $x (i32.add (local.get $x) (local.get $x))))
        (local.set $x (i32.add (local.get $x) (local.get $p)))
        (local.get $x)))"#;
    let (mut store, into) = unmetered(wat, "into", &["I32Add2 {"]);
    for (p, q) in [(5, 0), (5, 7), (-3, 0), (100, -1), (i32::MAX, 1)] {
        let x = p.wrapping_add(q);
        let x = if q != 0 { x } else { x.wrapping_add(x) };
        let expected = x.wrapping_add(p);
        assert_eq!(
            into.call(&mut store, (p, q)).unwrap(),
            expected,
            "into({p}, {q})"
        );
    }
}

/// The fused comparison and branch of a kept comparison (`I32EqBrNez`, unmetered: no charge at
/// its target) takes its branch relative to its second instruction, falls through past both,
/// and a jump to the branch alone still runs it.
#[test]
fn a_kept_comparison_and_its_branch_fuse() {
    let wat = r#"(module
      (func (export "count") (param $n i32) (param $m i32) (result i32)
        (local $i i32) (local $t i32) (local $hits i32)
        (loop $top
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (block $skip
            (br_if $skip (local.tee $t (i32.eq (i32.rem_u (local.get $i) (local.get $m))
                                                (local.get $hits))))
            (local.set $hits (i32.add (local.get $hits) (i32.const 1))))
          (local.set $hits (i32.add (local.get $hits) (local.get $t)))
          (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
        (local.get $hits)))"#;
    let (mut store, count) = unmetered(wat, "count", &["I32EqBrNez {"]);
    for (n, m) in [(1, 1), (10, 3), (100, 7), (1000, 2), (37, 1000)] {
        let (mut i, mut hits) = (0u32, 0u32);
        loop {
            i += 1;
            let t = u32::from(i % m as u32 == hits);
            if t == 0 {
                hits += 1;
            }
            hits += t;
            if i >= n as u32 {
                break;
            }
        }
        assert_eq!(
            count.call(&mut store, (n, m)).unwrap(),
            hits as i32,
            "count({n}, {m})"
        );
    }
}

/// A loop counter's step fused with its test against a slot, a constant or zero
/// (`I32AddImmBrLtU`, `I32AddImmBrNe`, `I32AddImmBrLtUImm`, `I32AddImmBrNeImm`,
/// `I32AddImmBrNez`; unmetered, so without charges) counts as the two instructions do, across
/// the wrap of `i32` too.
#[test]
fn a_counter_step_and_its_test_fuse() {
    let wat = r#"(module
      (func (export "up") (param $from i32) (param $n i32) (result i32)
        (local $i i32) (local $s i32)
        (local.set $i (local.get $from))
        (loop $top
          (local.set $s (i32.add (local.get $s) (local.get $i)))
          (local.set $i (i32.add (local.get $i) (i32.const 7)))
          (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
        (local.set $i (i32.add (local.get $n) (i32.const 5)))
        (loop $again
          (local.set $s (i32.xor (local.get $s) (local.get $i)))
          (local.set $i (i32.add (local.get $i) (i32.const -1)))
          (br_if $again (i32.ne (local.get $i) (local.get $n))))
        (local.set $i (local.get $from))
        (loop $to_const
          (local.set $s (i32.add (local.get $s) (i32.shl (local.get $i) (i32.const 1))))
          (local.set $i (i32.add (local.get $i) (i32.const 3)))
          (br_if $to_const (i32.lt_u (local.get $i) (i32.const 40))))
        (local.set $i (i32.sub (i32.const -1) (i32.and (local.get $n) (i32.const 31))))
        (loop $to_zero
          (local.set $s (i32.xor (local.get $s) (i32.shl (local.get $i) (i32.const 3))))
          (br_if $to_zero (local.tee $i (i32.add (local.get $i) (i32.const 1)))))
        (local.set $i (i32.and (local.get $n) (i32.const 15)))
        (loop $down_to_const
          (local.set $s (i32.mul (local.get $s) (i32.const 3)))
          (local.set $i (i32.sub (local.get $i) (i32.const 1)))
          (br_if $down_to_const (i32.ne (local.get $i) (i32.const -3))))
        (local.get $s)))"#;
    let (mut store, up) = unmetered(
        wat,
        "up",
        &[
            "I32AddImmBrLtU {",
            "I32AddImmBrNe {",
            "I32AddImmBrLtUImm {",
            "I32AddImmBrNeImm {",
            "I32AddImmBrNez {",
        ],
    );
    // Short loops only: the first ends at the first `i >= n` (unsigned; `i` lands on `n` for
    // `(2, 16)`), the second counts down five steps from `n + 5`, across the wrap for `n` near
    // `i32::MAX`.
    let cases = [
        (0, 100),
        (5, 6),
        (2, 16),
        (99, 3),
        (-20, -9),
        (i32::MAX - 10, i32::MAX - 2),
    ];
    for (from, n) in cases {
        let (mut i, mut s) = (from, 0i32);
        loop {
            s = s.wrapping_add(i);
            i = i.wrapping_add(7);
            if (i as u32) >= n as u32 {
                break;
            }
        }
        i = n.wrapping_add(5);
        loop {
            s ^= i;
            i = i.wrapping_sub(1);
            if i == n {
                break;
            }
        }
        i = from;
        loop {
            s = s.wrapping_add(i.wrapping_shl(1));
            i = i.wrapping_add(3);
            if (i as u32) >= 40 {
                break;
            }
        }
        // Up from `-1 - (n & 31)` to zero, through negative values only.
        i = -1 - (n & 31);
        loop {
            s ^= i.wrapping_shl(3);
            i = i.wrapping_add(1);
            if i == 0 {
                break;
            }
        }
        i = n & 15;
        loop {
            s = s.wrapping_mul(3);
            i = i.wrapping_sub(1);
            if i == -3 {
                break;
            }
        }
        assert_eq!(
            up.call(&mut store, (from, n)).unwrap(),
            s,
            "up({from}, {n})"
        );
    }
}

/// A `br_table` whose entries are branches (`Br`, or metered `BrGas` past the charge they land
/// on) and a return (`ReturnSlot`): the `BrTable` handler takes a branch entry itself. Index
/// `(i + p) & 7` in a loop of `q` rounds: 0 adds 1, 1 triples, 2 and the default (4..7) keep,
/// 3 returns.
const TABLE_WAT: &str = r#"(module
  (memory (export "memory") 1)
  (global $g (export "g") (mut i32) (i32.const 0))
  (func (export "table") (param $p i32) (param $q i32) (result i32) (local $s i32) (local $i i32)
    (local.set $s (i32.const 1))
    (loop $l
      (local.set $s
        (block $d (result i32)
          (block $c1 (result i32)
            (block $c0 (result i32)
              (br_table $c0 $c1 $d 4 $d
                (local.get $s)
                (i32.and (i32.add (local.get $i) (local.get $p)) (i32.const 7))))
            (i32.add (i32.const 1))
            (br $d))
          (i32.mul (i32.const 3))))
      (global.set $g (i32.add (global.get $g) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $q))))
    (local.get $s)))"#;

#[test]
fn br_table_entries_are_unobservable_at_every_limit() {
    table_at_every_limit(
        TABLE_WAT,
        &["BrTable {", "BrGas {", "ReturnSlot {"],
        &[[0, 3], [0, 6], [4, 5], [7, 2], [1, 9]],
    );
}

/// Translate the one-function module `wat` (export `table`) metered, check that its code holds
/// `ops`, and compare it with the instrumented module on wasmi at every gas limit for each
/// pair of arguments.
fn table_at_every_limit(wat: &str, ops: &[&str], args: &[[i32; 2]]) {
    let (engine, module, instrumented) = metered(wat);
    assert_holds(&module.disassemble(0).unwrap(), ops);
    let cases: Vec<(&str, &[i32])> = args.iter().map(|a| ("table", &a[..])).collect();
    compare_at_every_limit(&module, &engine, &instrumented, &cases);
}

/// A `br_table` on `(i + p) >> 1` without a carried value, the shape of a bytecode
/// interpreter's dispatch: the shift and the table are one instruction (`I32ShrUImmBrTable`).
/// Index 0 and 3 add 1, 1 triples, the rest (the default) keep.
const SHIFTED_TABLE_WAT: &str = r#"(module
  (memory (export "memory") 1)
  (global $g (export "g") (mut i32) (i32.const 0))
  (func (export "table") (param $p i32) (param $q i32) (result i32) (local $s i32) (local $i i32)
    (local.set $s (i32.const 1))
    (loop $l
      (block $d
        (block $c1
          (block $c0
            (br_table $c0 $c1 $d $c0 $d
              (i32.shr_u (i32.add (local.get $i) (local.get $p)) (i32.const 1))))
          (local.set $s (i32.add (local.get $s) (i32.const 1)))
          (br $d))
        (local.set $s (i32.mul (local.get $s) (i32.const 3))))
      (global.set $g (i32.add (global.get $g) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $q))))
    (local.get $s)))"#;

#[test]
fn a_shift_feeding_a_br_table_is_unobservable_at_every_limit() {
    table_at_every_limit(
        SHIFTED_TABLE_WAT,
        &["I32ShrUImmBrTable {", "BrGas {"],
        &[[0, 3], [0, 9], [1, 5], [5, 2], [-1, 4]],
    );
}

#[test]
fn a_shift_feeding_a_br_table_takes_its_entries() {
    let (mut store, table) = unmetered(SHIFTED_TABLE_WAT, "table", &["I32ShrUImmBrTable {"]);
    for p in [-3, -1, 0, 1, 2, 5, 7, 100] {
        for q in [1, 3, 8, 20] {
            let mut s = 1i32;
            for i in 0..q {
                match (i + p) as u32 >> 1 {
                    0 | 3 => s = s.wrapping_add(1),
                    1 => s = s.wrapping_mul(3),
                    _ => {}
                }
            }
            assert_eq!(
                table.call(&mut store, (p, q)).unwrap(),
                s,
                "table({p}, {q})"
            );
        }
    }
}

#[test]
fn br_table_takes_branch_entries_and_returns() {
    let (mut store, table) = unmetered(TABLE_WAT, "table", &["BrTable {", "Br {", "ReturnSlot {"]);
    for p in 0..8 {
        for q in [1, 3, 8, 20] {
            let mut s = 1i32;
            for i in 0..q {
                match (i + p) & 7 {
                    0 => s = s.wrapping_add(1),
                    1 => s = s.wrapping_mul(3),
                    3 => break,
                    _ => {}
                }
            }
            assert_eq!(
                table.call(&mut store, (p, q)).unwrap(),
                s,
                "table({p}, {q})"
            );
        }
    }
}

#[test]
fn a_variable_step_and_a_computed_store_fuse() {
    let wat = r#"(module
      (memory 1)
      (func (export "fill") (param $step i32) (param $n i32) (result i32)
        (local $i i32) (local $s i32) (local $b i32)
        (local.set $b (i32.const 100))
        (loop $top
          (i32.store8 offset=3 (i32.add (local.get $b) (local.get $i)) (local.get $i))
          (local.set $s (i32.add (local.get $s)
            (i32.load8_u offset=3 (i32.add (local.get $b) (local.get $i)))))
          (br_if $top (i32.lt_u (local.tee $i (i32.add (local.get $i) (local.get $step)))
                                (local.get $n))))
        ;; Three more steps, counted at the top, the step right before the back edge.
        (local.set $b (i32.const 3))
        (block $out (loop $again
          (br_if $out (i32.eqz (local.get $b)))
          (local.set $b (i32.sub (local.get $b) (i32.const 1)))
          (local.set $s (i32.xor (local.get $s) (local.get $i)))
          (local.set $i (i32.add (local.get $i) (local.get $step)))
          (br $again)))
        (local.get $s)))"#;
    let (mut store, fill) = unmetered(
        wat,
        "fill",
        &["I32AddStore8 {", "I32AddBrLtU {", "I32AddBr {"],
    );
    // Steps that land on the bound, pass it, or wrap around 2^32 past it (`-1`), a bound of
    // zero; then one that stores past the end of memory (the fused store traps).
    for (step, n) in [(1, 300), (7, 50), (5, 5), (-1, 10), (3, 0)] {
        let (mut i, mut s) = (0i32, 0i32);
        loop {
            s = s.wrapping_add(i32::from(i as u8));
            i = i.wrapping_add(step);
            if (i as u32) >= n as u32 {
                break;
            }
        }
        for _ in 0..3 {
            s ^= i;
            i = i.wrapping_add(step);
        }
        let got = fill.call(&mut store, (step, n));
        assert_eq!(got.ok(), Some(s), "fill({step}, {n})");
    }
    let err = fill.call(&mut store, (4096, 70_000)).unwrap_err();
    assert!(
        matches!(err, Error::Trap(TrapCode::MemoryOutOfBounds)),
        "{err}"
    );
}

/// Without metering, a byte loop's store, step and back edge are one instruction
/// (`I32Store8AddBr`) even where a jump lands on the step: that jump runs the step and the
/// branch alone, falling through runs all three.
#[test]
fn a_jump_into_a_byte_loops_tail_runs_the_rest_alone() {
    let wat = r#"(module
      (memory 1)
      (func (export "tail") (param $p i32) (param $q i32) (result i32)
        (local $i i32) (local $one i32)
        (local.set $one (i32.const 1))
        (block $done
          (loop $m
            (br_if $done (i32.ge_u (local.get $i) (local.get $q)))
            (block $skip
              ;; Skip the store where `i & p` is not zero: a jump to the step.
              (br_if $skip (i32.and (local.get $i) (local.get $p)))
              (i32.store8 (local.get $i) (i32.add (local.get $i) (local.get $p))))
            (local.set $i (i32.add (local.get $i) (local.get $one)))
            (br $m)))
        (i32.xor (i32.load (i32.const 0)) (i32.load (i32.const 4)))))"#;
    let (mut store, tail) = unmetered(wat, "tail", &["I32Store8AddBr {", "I32AddBr {"]);
    // The first 8 bytes of memory, which persists from call to call.
    let mut memory = [0u8; 8];
    for (p, q) in [(0, 8), (1, 8), (2, 5), (6, 8), (0x35, 3), (7, 0)] {
        for i in 0..q {
            if i & p == 0 {
                memory[i as usize] = (i + p) as u8;
            }
        }
        let word = |k: usize| i32::from_le_bytes(memory[k..k + 4].try_into().unwrap());
        assert_eq!(
            tail.call(&mut store, (p, q)).unwrap(),
            word(0) ^ word(4),
            "tail({p}, {q})"
        );
    }
    // The fused store traps at the end of memory.
    let err = tail.call(&mut store, (0, 70_000)).unwrap_err();
    assert!(
        matches!(err, Error::Trap(TrapCode::MemoryOutOfBounds)),
        "{err}"
    );
}

/// Every instruction that reads the float accumulator (`Op::with_fa`), after each kind of
/// instruction that leaves a value there (`Op::fa_dst`: arithmetic, rounding, conversions,
/// a fused pair, an accumulator reader). Each chain's result is stored to memory (most of them
/// by `I64StoreFa`), so that every value is compared; `p` and `q` make the operands, with
/// zeros, infinities, NaNs and negative zeros among them (`q = 0` divides by zero, a negative
/// `p` takes the square root of a negative number), and `q = 2` moves the stores to the end of
/// memory, where one of them traps (which one depends on `p`).
const FA_WAT: &str = r#"(module
  (memory (export "memory") 1)
  (global $g (export "g") (mut i32) (i32.const 0))
  (func (export "floats") (param $p i32) (param $q i32) (result i32)
    (local $x f64) (local $y f64) (local $z f64) (local $f f32) (local $a i32)
    (local.set $x (f64.mul (f64.convert_i32_s (local.get $p)) (f64.const 0.375)))
    (local.set $y (f64.convert_i32_u (local.get $q)))
    (local.set $z (f64.promote_f32 (f32.convert_i32_s (local.get $q))))
    (local.set $a (i32.add (i32.and (local.get $p) (i32.const 0x70))
      (select (i32.const 65424) (i32.const 0) (i32.eq (local.get $q) (i32.const 2)))))
    (f64.store offset=0 (local.get $a) (f64.sub (f64.div (local.get $x) (local.get $y)) (local.get $z)))
    (f64.store offset=8 (local.get $a) (f64.sub (local.get $z) (f64.div (local.get $x) (local.get $y))))
    (f64.store offset=16 (local.get $a) (f64.div (f64.sqrt (local.get $x)) (local.get $y)))
    (f64.store offset=24 (local.get $a) (f64.div (local.get $y) (f64.sqrt (local.get $x))))
    (f64.store offset=32 (local.get $a) (f64.add (f64.div (local.get $x) (local.get $y)) (local.get $z)))
    (f64.store offset=40 (local.get $a) (f64.mul (local.get $z) (f64.div (local.get $x) (local.get $y))))
    (f64.store offset=48 (local.get $a)
      (f64.max (f64.min (f64.div (local.get $y) (local.get $x)) (local.get $z)) (f64.const -0.0)))
    (f64.store offset=56 (local.get $a)
      (f64.min (f64.const 0.0) (f64.max (f64.div (local.get $z) (local.get $x)) (local.get $y))))
    (f64.store offset=64 (local.get $a) (f64.sqrt (f64.floor (local.get $x))))
    (f64.store offset=72 (local.get $a) (f64.sqrt (f64.ceil (local.get $x))))
    (f64.store offset=80 (local.get $a) (f64.sqrt (f64.trunc (local.get $z))))
    (f64.store offset=88 (local.get $a) (f64.sqrt (f64.nearest (local.get $x))))
    (f64.store offset=96 (local.get $a)
      (f64.sqrt (f64.add (f64.mul (local.get $x) (local.get $y)) (local.get $z))))
    (f64.store offset=104 (local.get $a)
      (f64.mul (f64.convert_i64_s (i64.extend_i32_s (local.get $p))) (local.get $x)))
    (f64.store offset=112 (local.get $a)
      (f64.mul (f64.convert_i64_u (i64.extend_i32_s (local.get $q))) (local.get $y)))
    ;; Loads whose value is read from the accumulator: alone, and fused with the address.
    (f64.store offset=128 (local.get $a) (f64.add (f64.load offset=8 (local.get $a)) (local.get $x)))
    (f64.store offset=136 (local.get $a)
      (f64.sub (local.get $y) (f64.load (i32.add (local.get $a) (i32.const 16)))))
    (local.set $f (f32.demote_f64 (f64.div (local.get $x) (f64.const 3.0e38))))
    (f32.store offset=120 (local.get $a) (f32.mul (local.get $f) (f32.const 1.0e30)))
    (i32.wrap_i64 (i64.reinterpret_f64
      (f64.div (f64.sub (local.get $x) (local.get $y)) (f64.add (local.get $z) (f64.const 1.0))))))
  ;; The value of a block is read right after the block's end, where a branch lands with
  ;; another value: it must come from the slot, not from the accumulator.
  (func (export "label") (param $p i32) (param $q i32) (result i32) (local $one f64) (local $two f64)
    (local.set $one (f64.convert_i32_s (i32.const 1)))
    (local.set $two (f64.convert_i32_s (i32.const 2)))
    (i32.trunc_sat_f64_s
      (f64.add
        (block (result f64)
          (drop (br_if 0 (f64.const 10.0) (local.get $q)))
          (f64.mul (f64.convert_i32_s (local.get $p)) (local.get $two)))
        (local.get $one))))
  ;; The same for a fused load of 8 bytes whose address is computed: a branch lands on the
  ;; load, which then runs alone and must leave its value in the accumulator too.
  (func (export "load_label") (param $p i32) (param $q i32) (result i32) (local $four f64)
    (local.set $four (f64.convert_i32_s (i32.const 4)))
    (f64.store (i32.const 0) (f64.const 1.5))
    (f64.store (i32.const 8) (f64.const 2.5))
    (i32.trunc_sat_f64_s
      (f64.mul
        (f64.load
          (block (result i32)
            (drop (br_if 0 (i32.const 0) (local.get $q)))
            (i32.add (local.get $p) (i32.const 8))))
        (local.get $four)))))"#;

#[test]
fn the_float_accumulator_is_unobservable_at_every_limit() {
    let (engine, module, instrumented) = metered(FA_WAT);
    let code = module.disassemble(0).unwrap();
    assert_holds(
        &code,
        &[
            "F64AddFa {",
            "F64MulFa {",
            "F64MinFa {",
            "F64MaxFa {",
            "F64SubFa {",
            "F64RsubFa {",
            "F64DivFa {",
            "F64RdivFa {",
            "F64SqrtFa {",
            "F32DemoteF64Fa {",
            "I64StoreFa {",
            "F64MulAdd {",
            "F64Load {",
            "I32AddImmLoadF64 {",
        ],
    );
    let cases: &[(&str, &[i32])] = &[
        ("floats", &[37, 5]),
        ("floats", &[-37, 5]),
        ("floats", &[0, 0]),
        ("floats", &[1000, 0]),
        ("floats", &[-8, -1]),
        ("floats", &[i32::MAX, 3]),
        ("floats", &[0, 2]),
        ("floats", &[48, 2]),
        ("floats", &[-1, 2]),
        ("label", &[4, 0]),
        ("label", &[4, 1]),
        ("load_label", &[0, 0]),
        ("load_label", &[0, 1]),
        ("load_label", &[65528, 0]),
    ];
    compare_at_every_limit(&module, &engine, &instrumented, cases);
}

/// What [`label_reads_its_slot`] returns.
type Label = (
    Module,
    Store<()>,
    gauge_interpreter::Instance,
    TypedFunc<(i32, i32), i32>,
);

/// Translate `wat` (unmetered), check that its function 1, `label`, holds each of `ops` and no
/// `reader` of an accumulator (its reader sits where a branch lands), and return the module,
/// a store, the instance and `label`.
fn label_reads_its_slot(wat: &str, ops: &[&str], reader: &str) -> Label {
    let engine = Engine::default();
    let module = Module::new(&engine, wat).unwrap();
    let code = module.disassemble(1).unwrap();
    assert_holds(&code, ops);
    assert!(
        !code.contains(reader),
        "a label's reader uses the accumulator:\n{code}"
    );
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let label = instance.get_typed_func(&store, "label").unwrap();
    (module, store, instance, label)
}

/// A value that reaches a label both by falling through (from an instruction that leaves it in
/// the float accumulator) and by a branch is read from its slot there.
#[test]
fn the_float_accumulator_is_not_read_where_a_branch_lands() {
    let (module, mut store, instance, label) =
        label_reads_its_slot(FA_WAT, &["F64MulFa {", "F64Add {"], "F64AddFa");
    for (p, q, expected) in [(4, 0, 9), (4, 1, 11), (-3, 0, -5), (-3, 7, 11)] {
        assert_eq!(
            label.call(&mut store, (p, q)).unwrap(),
            expected,
            "label({p}, {q})"
        );
    }
    let code = module.disassemble(2).unwrap();
    assert_holds(&code, &["I32AddImmLoadF64 {", "F64Load {", "F64MulFa {"]);
    let load_label: TypedFunc<(i32, i32), i32> =
        instance.get_typed_func(&store, "load_label").unwrap();
    for (p, q, expected) in [(0, 0, 10), (0, 1, 6), (-8, 0, 6), (-8, 3, 6)] {
        let got = load_label.call(&mut store, (p, q)).unwrap();
        assert_eq!(got, expected, "load_label({p}, {q})");
    }
}

/// Every reader of the integer accumulator (`Op::with_ia`) after instructions that leave a
/// value there (`Op::ia_dst`: arithmetic, shifts, comparisons, loads, a reader). Each chain's
/// result is stored to memory, most of them by `I32StoreIa`; `q = 2` moves the stores to the
/// end of memory, where one of them traps (which one depends on `p`).
const IA_WAT: &str = r#"(module
  (memory (export "memory") 1)
  (global $g (export "g") (mut i32) (i32.const 0))
  (func (export "ints") (param $p i32) (param $q i32) (result i32)
    (local $a i32) (local $x i64) (local $y i64) (local $t i32)
    (local.set $a (i32.add (i32.and (local.get $p) (i32.const 0x70))
      (select (i32.const 65392) (i32.const 0) (i32.eq (local.get $q) (i32.const 2)))))
    (local.set $x (i64.extend_i32_s (local.get $p)))
    (local.set $y (i64.mul (i64.extend_i32_u (local.get $q)) (i64.const 0x9e3779b97f4a7c15)))
    (i32.store offset=0 (local.get $a) (i32.add (i32.mul (local.get $p) (local.get $q)) (local.get $p)))
    (i32.store offset=4 (local.get $a) (i32.and (i32.xor (local.get $p) (local.get $q)) (local.get $q)))
    (i32.store offset=8 (local.get $a) (i32.xor (local.get $q) (i32.shl (local.get $p) (local.get $q))))
    (i64.store offset=16 (local.get $a) (i64.add (i64.mul (local.get $x) (local.get $y)) (local.get $y)))
    (i64.store offset=24 (local.get $a) (i64.and (local.get $x) (i64.xor (local.get $y) (local.get $x))))
    (i64.store offset=32 (local.get $a) (i64.xor (i64.rotl (local.get $y) (local.get $x)) (local.get $x)))
    (i32.store offset=40 (local.get $a)
      (i32.and (i32.shr_u (i32.add (i32.rotl (local.get $p) (local.get $q)) (i32.const -7)) (i32.const 3)) (i32.const 0x5555)))
    (i32.store offset=44 (local.get $a)
      (i32.wrap_i64 (i64.shr_u (i64.add (local.get $x) (local.get $y)) (i64.const 29))))
    (i32.store offset=48 (local.get $a) (i32.add (i32.lt_u (local.get $p) (local.get $q)) (local.get $q)))
    (i32.store offset=52 (local.get $a) (i32.add (i32.load8_u offset=3 (local.get $a)) (local.get $p)))
    (local.set $t (i32.shr_u (i32.sub (local.get $p) (local.get $q)) (i32.const 1)))
    (global.set $g (i32.add (i32.wrap_i64 (i64.shr_u (local.get $y) (i64.const 40))) (local.get $t)))
    (i32.store offset=56 (local.get $a) (i32.xor (local.get $q) (i32.ne (local.get $p) (local.get $q))))
    (i32.store offset=60 (local.get $a) (i32.and (i32.shl (local.get $p) (local.get $q)) (i32.const 0x3ff)))
    ;; Loads from an address in the accumulator, loads and constants into it.
    (i32.store offset=64 (local.get $a) (i32.load8_u offset=1 (i32.shr_u (local.get $p) (i32.const 20))))
    (i32.store offset=68 (local.get $a) (i32.load offset=2 (i32.and (local.get $q) (i32.const 0xfc))))
    (i64.store offset=72 (local.get $a) (i64.xor (i64.load offset=16 (local.get $a)) (local.get $x)))
    (i32.store offset=80 (local.get $a) (i32.const 0x7e57))
    (i64.store offset=88 (local.get $a) (i64.add (local.get $y) (i64.load offset=8 (local.get $a))))
    (i32.store8 offset=96 (local.get $a) (i32.xor (local.get $p) (i32.load8_u offset=40 (local.get $a))))
    ;; Subtraction either way, `or`, products, a comparison with a constant, shifts.
    (i32.store offset=100 (local.get $a) (i32.sub (i32.lt_u (local.get $p) (local.get $q)) (local.get $q)))
    (i32.store offset=104 (local.get $a) (i32.sub (local.get $p) (i32.clz (local.get $q))))
    (i32.store offset=108 (local.get $a) (i32.or (local.get $q) (i32.and (local.get $p) (i32.const 0x0f0f))))
    (i64.store offset=112 (local.get $a) (i64.or (i64.shl (local.get $x) (i64.const 3)) (local.get $y)))
    (i64.store offset=120 (local.get $a) (i64.mul (i64.and (local.get $x) (local.get $y)) (local.get $x)))
    (i32.store offset=128 (local.get $a) (i32.mul (i32.shr_u (local.get $p) (i32.const 2)) (i32.const 0x9e37)))
    (i32.store offset=132 (local.get $a) (i32.eq (i32.and (local.get $p) (i32.const 0x30)) (i32.const 0x10)))
    (i32.store offset=136 (local.get $a) (i32.shr_u (i32.load16_s offset=4 (local.get $a)) (local.get $q)))
    (i32.store offset=140 (local.get $a) (i32.shl (f64.gt (f64.convert_i32_s (local.get $p)) (f64.const 2.5)) (i32.const 7)))
    (i32.load offset=44 (local.get $a)))
  ;; The value of a block is read right after the block's end, where a branch lands with
  ;; another value: it must come from the slot, not from the accumulator.
  (func (export "label") (param $p i32) (param $q i32) (result i32)
    (i32.add
      (block (result i32)
        (drop (br_if 0 (i32.const 10) (local.get $q)))
        (i32.xor (local.get $p) (i32.const 0x55)))
      (local.get $p)))
  ;; A load ends a metered block; the instruction after it, which reads its value, starts the
  ;; next block of the same merged charge, whose precise copy charges it first.
  (func (export "blocks") (param $p i32) (param $q i32) (result i32)
    (i32.store (i32.const 0) (local.get $q))
    (i32.add (i32.load (i32.and (local.get $p) (i32.const 0xfffc))) (local.get $q)))
  ;; Branches on a value just computed, back to their loop's charge and falling into the
  ;; charge after the loop: `i & p` (with a load from `q + i`, which traps near the end of
  ;; memory) and `(i & 0x30) == 0`.
  (func (export "branches") (param $p i32) (param $q i32) (result i32) (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load8_u (i32.add (local.get $q) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.and (local.get $i) (local.get $p))))
    (loop $m
      (local.set $i (i32.add (local.get $i) (i32.const 5)))
      (br_if $m (i32.eqz (i32.and (local.get $i) (i32.const 0x30)))))
    (i32.add (local.get $s) (local.get $i))))
"#;

#[test]
fn the_integer_accumulator_is_unobservable_at_every_limit() {
    let (engine, module, instrumented) = metered(IA_WAT);
    let code = module.disassemble(0).unwrap();
    assert_holds(
        &code,
        &[
            "I32AddIa {",
            "I32AndIa {",
            "I32XorIa {",
            "I64AddIa {",
            "I64AndIa {",
            "I64XorIa {",
            "I32AddImmIa {",
            "I32AndImmIa {",
            "I32ShrUImmIa {",
            "I64ShrUImmIa {",
            "I32WrapI64Ia {",
            "I32StoreIa {",
            "I32LoadIa {",
            "I32Load8UIa {",
            "I64StoreIa {",
            "I32Store8Ia {",
            "I32SubIa {",
            "I32RsubIa {",
            "I32OrIa {",
            "I64OrIa {",
            "I64MulIa {",
            "I32MulImmIa {",
            "I32EqImmIa {",
            "I32ShrUIa {",
            "I32ShlImmIa {",
        ],
    );
    assert_holds(
        &module.disassemble(3).unwrap(),
        &["BrNezGasFallIa {", "BrEqzGasFallIa {"],
    );
    // The load's reader starts a merged block, whose precise copy charges right before it
    // (and hands the accumulator on).
    let blocks = module.disassemble(2).unwrap();
    assert_holds(&blocks, &["ConsumeGasGroup {", "I32LoadIa {", "I32AddIa {"]);
    let cases: &[(&str, &[i32])] = &[
        ("ints", &[37, 5]),
        ("ints", &[-37, 5]),
        ("ints", &[0, 0]),
        ("ints", &[i32::MAX, -1]),
        ("ints", &[i32::MIN, 31]),
        ("ints", &[0, 2]),
        ("ints", &[16, 2]),
        ("ints", &[-1, 2]),
        ("label", &[4, 0]),
        ("label", &[4, 1]),
        ("blocks", &[8, 3]),
        ("blocks", &[65534, 3]),
        ("branches", &[7, 100]),
        ("branches", &[0, 100]),
        ("branches", &[3, 65533]),
    ];
    compare_at_every_limit(&module, &engine, &instrumented, cases);
}

/// A value that reaches a label both by falling through (from an instruction that leaves it in
/// the integer accumulator) and by a branch is read from its slot there.
#[test]
fn the_integer_accumulator_is_not_read_where_a_branch_lands() {
    let (module, mut store, instance, label) =
        label_reads_its_slot(IA_WAT, &["I32XorImm {", "I32Add {"], "Ia {");
    for (p, q) in [(4, 0), (4, 1), (-3, 0), (-3, 7)] {
        let expected = if q != 0 { 10 + p } else { (p ^ 0x55) + p };
        assert_eq!(
            label.call(&mut store, (p, q)).unwrap(),
            expected,
            "label({p}, {q})"
        );
    }
    // Without metering the branches test the accumulator too.
    assert_holds(&module.disassemble(3).unwrap(), &["BrNezIa {", "BrEqzIa {"]);
    let branches: TypedFunc<(i32, i32), i32> = instance.get_typed_func(&store, "branches").unwrap();
    for p in [0, 1, 7, 0x55] {
        // Memory from address 1000 on is zero here: the sum stays 0.
        let mut i = 0i32;
        loop {
            i += 1;
            if i & p == 0 {
                break;
            }
        }
        loop {
            i += 5;
            if i & 0x30 != 0 {
                break;
            }
        }
        assert_eq!(
            branches.call(&mut store, (p, 1000)).unwrap(),
            i,
            "branches({p})"
        );
    }
    let blocks: TypedFunc<(i32, i32), i32> = instance.get_typed_func(&store, "blocks").unwrap();
    for (p, q) in [(0, 5), (3, -8), (2, i32::MAX)] {
        let expected = q.wrapping_mul(2);
        assert_eq!(
            blocks.call(&mut store, (p, q)).unwrap(),
            expected,
            "blocks({p}, {q})"
        );
    }
}
