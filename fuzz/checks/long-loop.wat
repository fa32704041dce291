;; 10,000,000 iterations over loads, stores and arithmetic, in one call of each export: run
;; through the differential target with GAUGE_FUZZ_RAW_WASM=1 (see fuzz/README.md) it checks
;; that the executor's handlers, chained by tail calls in optimized builds without sanitizer
;; (`cargo fuzz build -O -s none`), loop in constant stack, and that Gauge and wasmi agree.
(module
  (memory (export "memory") 1)
  (global $g (export "g") (mut i64) (i64.const 0))

  ;; Straight-line body: i32/i64/f64 loads and stores, arithmetic, select, br_if.
  (func (export "loop_memory") (result i64)
    (local $i i32) (local $addr i32) (local $acc i64) (local $f f64)
    (loop $l
      (local.set $addr (i32.shl (i32.and (local.get $i) (i32.const 0xff)) (i32.const 3)))
      (i64.store (local.get $addr)
        (i64.xor
          (i64.add (i64.load (local.get $addr)) (i64.extend_i32_u (local.get $i)))
          (i64.mul (local.get $acc) (i64.const 0x9e3779b97f4a7c15))))
      (local.set $acc
        (i64.add (local.get $acc)
          (i64.load offset=2048 (i32.and (local.get $addr) (i32.const 0x3f8)))))
      (i32.store offset=2048 (local.get $addr)
        (i32.rotl (i32.wrap_i64 (local.get $acc)) (local.get $i)))
      (local.set $f
        (f64.add (local.get $f) (f64.convert_i32_u (i32.load8_u (local.get $addr)))))
      (f64.store offset=4096 (i32.const 0) (local.get $f))
      (local.set $acc
        (select (local.get $acc) (i64.rotl (local.get $acc) (i64.const 7))
          (i32.and (local.get $i) (i32.const 1))))
      (br_if $l
        (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
          (i32.const 10000000))))
    (global.set $g (local.get $acc))
    (i64.add (local.get $acc) (i64.trunc_sat_f64_u (f64.load offset=4096 (i32.const 0)))))

  (func $step (param $x i32) (result i32)
    (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))

  ;; A call, a br_table and nested blocks in every iteration.
  (func (export "loop_calls") (result i32)
    (local $i i32) (local $x i32)
    (loop $l
      (block $b2 (block $b1 (block $b0
        (br_table $b0 $b1 $b2 (i32.and (local.get $i) (i32.const 3))))
        (local.set $x (call $step (local.get $x))) (br $b2))
        (i32.store16 (i32.const 8192) (local.get $x)))
      (local.set $x (i32.xor (local.get $x) (i32.load16_s (i32.const 8192))))
      (br_if $l
        (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
          (i32.const 10000000))))
    (local.get $x)))
