;; Fibonacci numbers, F(0) = 0, F(1) = 1 (defined for n >= 0; F(90) is the last that fits i64).
;;
;;   cargo run --release -- run examples/fib.wat --invoke fib 30        # i64:832040
;;   cargo run --release -- run examples/fib.wat --invoke fib_rec 25    # i64:75025
(module
  ;; Iterative: a loop over two accumulators; linear in n.
  (func (export "fib") (param $n i64) (result i64)
    (local $a i64)
    (local $b i64)
    (local $t i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i64.le_s (local.get $n) (i64.const 0)))
        (local.set $t (i64.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $next)))
    (local.get $a))

  ;; Doubly recursive: exponential in n, a call-heavy workload.
  (func $fib_rec (export "fib_rec") (param $n i64) (result i64)
    (if (result i64) (i64.lt_s (local.get $n) (i64.const 2))
      (then (local.get $n))
      (else
        (i64.add
          (call $fib_rec (i64.sub (local.get $n) (i64.const 1)))
          (call $fib_rec (i64.sub (local.get $n) (i64.const 2))))))))
