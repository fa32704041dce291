;; Golden vector contract: a counter in storage key "count" (u64 little-endian). Each call adds
;; 1 and writes the new 8 bytes to stdout.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "count")
  (func (export "_start") (local $fd i32)
    ;; iovec at 0: buffer 128, 8 bytes; count at 8; fd at 12
    (i32.store (i32.const 0) (i32.const 128))
    (i32.store (i32.const 4) (i32.const 8))
    ;; open "count" with O_CREAT, rights FD_READ
    (drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 64) (i32.const 5)
      (i32.const 1) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 12)))
    (local.set $fd (i32.load (i32.const 12)))
    (drop (call $fd_read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $fd_close (local.get $fd)))
    (i64.store (i32.const 128) (i64.add (i64.load (i32.const 128)) (i64.const 1)))
    ;; open again with O_CREAT|O_TRUNC, rights FD_WRITE, and write the new value
    (drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 64) (i32.const 5)
      (i32.const 9) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 12)))
    (drop (call $fd_write (i32.load (i32.const 12)) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
