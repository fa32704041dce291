;; br_table dispatch, the shape of a bytecode interpreter's main loop: each iteration draws
;; an "opcode" 0..7 from an LCG and jumps through an eight-way br_table to its handler.
;; run(n) returns the accumulator after n dispatches.
(module
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $x i32) (local $acc i64)
    (local.set $x (i32.const 99))
    (if (i32.eqz (local.get $n)) (then (return (i64.const 0))))
    (loop $top
      (local.set $x
        (i32.add (i32.mul (local.get $x) (i32.const 1664525)) (i32.const 1013904223)))
      (block $next
        (block $c7 (block $c6 (block $c5 (block $c4
        (block $c3 (block $c2 (block $c1 (block $c0
          (br_table $c0 $c1 $c2 $c3 $c4 $c5 $c6 $c7
            (i32.shr_u (local.get $x) (i32.const 29))))
          ;; 0: add
          (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $x))))
          (br $next))
          ;; 1: xor
          (local.set $acc (i64.xor (local.get $acc) (i64.extend_i32_s (local.get $x))))
          (br $next))
          ;; 2: rotate
          (local.set $acc (i64.rotl (local.get $acc) (i64.const 7)))
          (br $next))
          ;; 3: multiply
          (local.set $acc (i64.mul (local.get $acc) (i64.const 0x100000001b3)))
          (br $next))
          ;; 4: subtract the counter
          (local.set $acc (i64.sub (local.get $acc) (i64.extend_i32_u (local.get $i))))
          (br $next))
          ;; 5: shift mix
          (local.set $acc
            (i64.xor (local.get $acc) (i64.shr_u (local.get $acc) (i64.const 13))))
          (br $next))
          ;; 6: add a constant
          (local.set $acc (i64.add (local.get $acc) (i64.const 0x9e3779b97f4a7c15)))
          (br $next))
        ;; 7: negate
        (local.set $acc (i64.sub (i64.const 0) (local.get $acc))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))
