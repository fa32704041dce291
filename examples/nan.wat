;; NaN canonicalization. On x86-64 the hardware computes 0/0 as the negative NaN 0xffc00000;
;; Gauge returns the canonical NaN 0x7fc00000 on every platform.
;;
;;   cargo run --release -- run examples/nan.wat --invoke div0        # i32:2143289344 (0x7fc00000)
;;   cargo run --release -- run examples/nan.wat --invoke div 0 0     # f32:0x7fc00000
;;   cargo run --release -- run examples/nan.wat --invoke neg_nan     # f32:0xffc00000 (neg keeps bits)
(module
  ;; The bits of f32.div 0 0, as an i32.
  (func (export "div0") (result i32)
    (i32.reinterpret_f32 (f32.div (f32.const 0) (f32.const 0))))

  ;; f32 division on arguments: an arithmetic operation, so any NaN result is canonical.
  (func (export "div") (param f32 f32) (result f32)
    (f32.div (local.get 0) (local.get 1)))

  ;; f32.neg is a bit operation: it flips the sign bit of the canonical NaN and keeps the rest.
  (func (export "neg_nan") (result f32)
    (f32.neg (f32.div (f32.const 0) (f32.const 0))))

  ;; A NaN with a payload passes through a move unchanged.
  (func (export "id") (param f32) (result f32)
    (local.get 0)))
