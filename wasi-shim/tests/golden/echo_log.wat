;; Golden vector contract: echoes its input to stdout, logs "echo" to stderr and stores the
;; input under the key "last".
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "last")
  (data (i32.const 32) "echo")
  (func (export "_start")
    ;; iovec at 16: buffer 64, length 100; bytes read at 8
    (i32.store (i32.const 16) (i32.const 64))
    (i32.store (i32.const 20) (i32.const 100))
    (drop (call $read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 8)))
    (i32.store (i32.const 20) (i32.load (i32.const 8)))
    (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 12)))
    ;; one log entry: "echo"
    (i32.store (i32.const 40) (i32.const 32))
    (i32.store (i32.const 44) (i32.const 4))
    (drop (call $write (i32.const 2) (i32.const 40) (i32.const 1) (i32.const 12)))
    ;; open "last" with O_CREAT|O_TRUNC, rights FD_WRITE, and store the input
    (drop (call $open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 4)
      (i32.const 9) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 4)))
    (drop (call $write (i32.load (i32.const 4)) (i32.const 16) (i32.const 1) (i32.const 12)))))
