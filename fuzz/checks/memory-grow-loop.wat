;; 2,000,000 iterations of a loop around memory.grow, in one call: wasmi 2.0's memory.grow
;; handler, when the coverage-instrumented build made it call the next handler instead of
;; jumping to it, added a host stack frame per iteration and overflowed the stack (SIGSEGV
;; with no crash input, Findings in fuzz/README.md). Run through the differential target with
;; GAUGE_FUZZ_RAW_WASM=1 it checks that every engine runs the loop in constant stack.
(module
  (memory (export "memory") 1 4)
  (func (export "grow_loop") (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      ;; Growing by 0 pages succeeds and returns the size; growing past the maximum fails
      ;; with -1: both paths of the handler, each iteration.
      (local.set $acc
        (i32.add (local.get $acc)
          (i32.add (memory.grow (i32.const 0))
                   (memory.grow (i32.and (local.get $i) (i32.const 7))))))
      (br_if $l
        (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
          (i32.const 2000000))))
    (i32.add (local.get $acc) (memory.size))))
