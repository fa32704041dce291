;; A hit counter written directly against wasi_snapshot_preview1, for Gauge's chain model.
;;
;; Each call opens the storage key `hits` (a file in the preopened directory "/", fd 3),
;; reads it as a little-endian u64 (a missing key reads as 0), adds one, writes it back, and
;; returns the new count in decimal followed by a newline (stdout is the return data). A value
;; that is not 8 bytes long is refused with proc_exit(2), which reverts the call.
;;
;;   gauge run examples/contracts/hits.wat                       # 1, every time (memory state)
;;   gauge run examples/contracts/hits.wat --state /tmp/gauge    # 1, 2, 3, ... across runs
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek"
    (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close"
    (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))

  ;; Layout: 0 key "hits" | 16 opened fd | 20 byte count | 32 iovec | 48 the u64 |
  ;; 64..96 decimal digits, written backwards from 95.
  (memory (export "memory") 1)
  (data (i32.const 0) "hits")

  ;; Fail (revert) with `code` unless `errno` is 0 (success).
  (func $check (param $errno i32) (param $code i32)
    (if (local.get $errno) (then (call $proc_exit (local.get $code)))))

  ;; Do one read or write of `len` bytes at `ptr` on `fd` through the iovec at 32; return the
  ;; number of bytes moved.
  (func $io (param $write i32) (param $fd i32) (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 32) (local.get $ptr))
    (i32.store (i32.const 36) (local.get $len))
    (if (local.get $write)
      (then (call $check
              (call $fd_write (local.get $fd) (i32.const 32) (i32.const 1) (i32.const 20))
              (i32.const 1)))
      (else (call $check
              (call $fd_read (local.get $fd) (i32.const 32) (i32.const 1) (i32.const 20))
              (i32.const 1))))
    (i32.load (i32.const 20)))

  (func (export "_start")
    (local $fd i32) (local $count i64) (local $pos i32) (local $n i32)
    ;; path_open(dirfd 3, no symlink following, "hits", O_CREAT,
    ;;           rights FD_READ | FD_SEEK | FD_WRITE, inheriting none, fdflags 0, -> @16)
    (call $check
      (call $path_open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 1)
        (i64.const 70) (i64.const 0) (i32.const 0) (i32.const 16))
      (i32.const 1))
    (local.set $fd (i32.load (i32.const 16)))

    ;; Read up to 9 bytes: 0 means a new key; anything but 8 is a corrupt value.
    (local.set $n (call $io (i32.const 0) (local.get $fd) (i32.const 48) (i32.const 9)))
    (if (i32.eqz (local.get $n))
      (then (i64.store (i32.const 48) (i64.const 0)))
      (else (if (i32.ne (local.get $n) (i32.const 8))
        (then (call $proc_exit (i32.const 2))))))
    (local.set $count (i64.add (i64.load (i32.const 48)) (i64.const 1)))
    (i64.store (i32.const 48) (local.get $count))

    ;; Write the 8 bytes back at offset 0.
    (call $check
      (call $fd_seek (local.get $fd) (i64.const 0) (i32.const 0) (i32.const 24))
      (i32.const 1))
    (drop (call $io (i32.const 1) (local.get $fd) (i32.const 48) (i32.const 8)))
    (call $check (call $fd_close (local.get $fd)) (i32.const 1))

    ;; Format the count in decimal, with a newline, backwards from 95.
    (i32.store8 (i32.const 95) (i32.const 10))
    (local.set $pos (i32.const 95))
    (loop $digits
      (local.set $pos (i32.sub (local.get $pos) (i32.const 1)))
      (i32.store8 (local.get $pos)
        (i32.wrap_i64 (i64.add (i64.const 48) (i64.rem_u (local.get $count) (i64.const 10)))))
      (local.set $count (i64.div_u (local.get $count) (i64.const 10)))
      (br_if $digits (i64.ne (local.get $count) (i64.const 0))))
    (drop (call $io (i32.const 1) (i32.const 1) (local.get $pos)
      (i32.sub (i32.const 96) (local.get $pos))))))
