;; call_indirect-heavy loop: every iteration picks one of eight functions of the same type
;; from a table by the top bits of an LCG and calls it through the table.
;; run(n) returns the accumulator after n indirect calls.
(module
  (type $op (func (param i32 i32) (result i32)))
  (table 8 funcref)
  (elem (i32.const 0) $add $sub $xor $mul $rotl $and_not $or_shr $mix)
  (func $add (type $op) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $op) (i32.sub (local.get 0) (local.get 1)))
  (func $xor (type $op) (i32.xor (local.get 0) (local.get 1)))
  (func $mul (type $op) (i32.mul (local.get 0) (i32.or (local.get 1) (i32.const 1))))
  (func $rotl (type $op) (i32.rotl (local.get 0) (local.get 1)))
  (func $and_not (type $op)
    (i32.add (local.get 0) (i32.and (local.get 1) (i32.const 0xff))))
  (func $or_shr (type $op)
    (i32.or (i32.shr_u (local.get 0) (i32.const 1)) (i32.shl (local.get 1) (i32.const 31))))
  (func $mix (type $op)
    (i32.xor (i32.mul (local.get 0) (i32.const 0x9e3779b1)) (local.get 1)))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $x i32) (local $acc i32)
    (local.set $x (i32.const 1))
    (local.set $acc (i32.const 7))
    (if (i32.eqz (local.get $n)) (then (return (i64.const 7))))
    (loop $top
      (local.set $x
        (i32.add (i32.mul (local.get $x) (i32.const 1664525)) (i32.const 1013904223)))
      (local.set $acc
        (call_indirect (type $op)
          (local.get $acc) (local.get $x)
          (i32.shr_u (local.get $x) (i32.const 29))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (i64.extend_i32_u (local.get $acc))))
