;; Deep and unbounded recursion. Wasm calls never recurse on the host stack, and the call
;; depth limit (Config::max_call_depth, 10,000 by default) is counted in Wasm frames, so
;; `forever` stops with the same `exhausted` outcome on every platform.
;;
;;   cargo run --release -- run examples/recursion.wat --invoke depth 5000   # i32:5000
;;   cargo run --release -- run examples/recursion.wat --invoke forever      # exit 3, exhausted
(module
  ;; Recurses n deep and returns n.
  (func $depth (export "depth") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else
        (i32.add
          (call $depth (i32.sub (local.get $n) (i32.const 1)))
          (i32.const 1)))))

  ;; Never returns: each call makes another.
  (func $forever (export "forever") (result i32)
    (call $forever)))
