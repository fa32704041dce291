;; Memory-heavy loop over a 1 MiB array of i32 words: fill it, then `n` passes of
;; a[i] += (a[i-1] >> 3) ^ byte(i), then sum the array as i64 words.
;; Two loads and one store (plus a byte load) per inner iteration.
(module
  (memory 16)
  (func (export "run") (param $n i32) (result i64)
    (local $p i32) (local $pass i32) (local $acc i64)
    ;; fill: a[i] = i * 2654435761
    (local.set $p (i32.const 0))
    (loop $fill
      (i32.store (local.get $p)
        (i32.mul (i32.shr_u (local.get $p) (i32.const 2)) (i32.const 2654435761)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $fill (i32.lt_u (local.get $p) (i32.const 1048576))))
    ;; passes
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $passes
        (local.set $p (i32.const 4))
        (loop $inner
          (i32.store (local.get $p)
            (i32.add
              (i32.load (local.get $p))
              (i32.xor
                (i32.shr_u (i32.load offset=0 (i32.sub (local.get $p) (i32.const 4)))
                           (i32.const 3))
                (i32.load8_u (i32.shr_u (local.get $p) (i32.const 2))))))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (br_if $inner (i32.lt_u (local.get $p) (i32.const 1048576))))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br_if $passes (i32.lt_u (local.get $pass) (local.get $n)))))
    ;; checksum
    (local.set $p (i32.const 0))
    (loop $sum
      (local.set $acc (i64.add (local.get $acc) (i64.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $sum (i32.lt_u (local.get $p) (i32.const 1048576))))
    (local.get $acc)))
