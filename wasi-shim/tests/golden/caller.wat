;; Golden vector contract: calls the counter at 0x00000000000000000000000000000000000c0c0c
;; through /contracts/<address> and writes the callee's output to stdout.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "contracts/0x00000000000000000000000000000000000c0c0c")
  (func (export "_start")
    ;; open the call handle (52 bytes of path), rights FD_READ|FD_WRITE
    (drop (call $open (i32.const 3) (i32.const 0) (i32.const 64) (i32.const 52)
      (i32.const 0) (i64.const 66) (i64.const 0) (i32.const 0) (i32.const 4)))
    ;; read the callee's output into 256..320
    (i32.store (i32.const 16) (i32.const 256))
    (i32.store (i32.const 20) (i32.const 64))
    (drop (call $read (i32.load (i32.const 4)) (i32.const 16) (i32.const 1) (i32.const 8)))
    (i32.store (i32.const 20) (i32.load (i32.const 8)))
    (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 12)))))
