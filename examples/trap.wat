;; Traps. A trap ends the run with exit status 3 and status `trap`.
;;
;;   cargo run --release -- run examples/trap.wat --invoke div 7 2         # i32:3
;;   cargo run --release -- run examples/trap.wat --invoke div 7 0         # trap: integer divide by zero
;;   cargo run --release -- run examples/trap.wat --invoke unreachable     # trap: unreachable
(module
  ;; Signed division: traps on a zero divisor (and on i32::MIN / -1).
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))

  (func (export "unreachable")
    unreachable))
