;; Float math: a logistic map and a running sum with f64 mul/add/sub/div/sqrt,
;; int-to-float conversion, clamping with min/max, and an f32 filter fed by demotion.
;; run(n) returns the bits of the f64 result after n iterations.
(module
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $x f64) (local $s f64) (local $y f32) (local $fi f64)
    (local.set $x (f64.const 0.5))
    (local.set $y (f32.const 0.25))
    (if (i32.eqz (local.get $n)) (then (return (i64.const 0))))
    (loop $top
      (local.set $fi (f64.convert_i32_u (local.get $i)))
      ;; x = clamp(3.7 * x * (1 - x), 1e-9, 1 - 1e-9)
      (local.set $x
        (f64.max (f64.const 1e-9)
          (f64.min (f64.const 0.999999999)
            (f64.mul (f64.mul (f64.const 3.7) (local.get $x))
                     (f64.sub (f64.const 1) (local.get $x))))))
      ;; s += sqrt(i) / (1 + 0.5 * i) + x
      (local.set $s
        (f64.add (local.get $s)
          (f64.add
            (f64.div (f64.sqrt (local.get $fi))
                     (f64.add (f64.const 1) (f64.mul (f64.const 0.5) (local.get $fi))))
            (local.get $x))))
      ;; y = y * 0.999 + 0.001 * f32(x)
      (local.set $y
        (f32.add (f32.mul (local.get $y) (f32.const 0.999))
                 (f32.mul (f32.const 0.001) (f32.demote_f64 (local.get $x)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))
    (i64.reinterpret_f64 (f64.add (local.get $s) (f64.promote_f32 (local.get $y))))))
