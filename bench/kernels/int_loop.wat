;; Tight integer loop: an LCG and a few ALU operations per iteration, bottom-tested the way
;; compilers emit loops. run(n) returns a checksum of n iterations.
(module
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $x i32) (local $acc i64)
    (local.set $x (i32.const 12345))
    (if (i32.eqz (local.get $n)) (then (return (i64.const 0))))
    (loop $top
      (local.set $x
        (i32.add (i32.mul (local.get $x) (i32.const 1664525)) (i32.const 1013904223)))
      (local.set $acc
        (i64.add
          (local.get $acc)
          (i64.extend_i32_u
            (i32.xor (i32.shr_u (local.get $x) (i32.const 7)) (local.get $i)))))
      (local.set $acc (i64.rotl (local.get $acc) (i64.const 3)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))
