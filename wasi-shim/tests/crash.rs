//! Crash safety of the redb backend: a child process commits calls in a loop and is killed at
//! an arbitrary moment; the database it leaves must hold whole calls only, with a state root
//! that matches its contents.
//!
//! Each call increments two 8-byte counters, `n` and `m`, so a half-applied call would show
//! as `n != m`. The child is this test binary itself, re-run on the `crash_child` test with
//! `GAUGE_SHIM_CRASH_DB` set.

use std::process::{Command, Stdio};
use std::time::Duration;

use gauge_interpreter::{Engine, Module};
use gauge_wasi_shim::{
    Address, CallContext, RunOptions, State, StateKey, Status, chain_config, execute, run,
};

const ME: Address = Address([0xcc; 20]);

/// Adds 1 to the little-endian u64 in `n`, writes the result to `n` and `m`.
const COUNTER: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "nm")
  (func $open (param $name i32) (param $oflags i32) (param $rights i64) (result i32)
    (drop (call $path_open (i32.const 3) (i32.const 0) (local.get $name) (i32.const 1)
      (local.get $oflags) (local.get $rights) (i64.const 0) (i32.const 0) (i32.const 12)))
    (i32.load (i32.const 12)))
  (func $io (param $f i32) (param $write i32) (param $fd i32)
    (i32.store (i32.const 0) (i32.const 128))
    (i32.store (i32.const 4) (i32.const 8))
    (drop (call_indirect (type $iofn) (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)
      (local.get $f))))
  (type $iofn (func (param i32 i32 i32 i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $fd_read $fd_write)
  (func (export "_start") (local $fd i32)
    (local.set $fd (call $open (i32.const 64) (i32.const 1) (i64.const 2)))
    (call $io (i32.const 0) (i32.const 0) (local.get $fd))
    (drop (call $fd_close (local.get $fd)))
    (i64.store (i32.const 128) (i64.add (i64.load (i32.const 128)) (i64.const 1)))
    (local.set $fd (call $open (i32.const 64) (i32.const 9) (i64.const 64)))
    (call $io (i32.const 1) (i32.const 1) (local.get $fd))
    (local.set $fd (call $open (i32.const 65) (i32.const 9) (i64.const 64)))
    (call $io (i32.const 1) (i32.const 1) (local.get $fd))))"#;

fn ctx() -> CallContext {
    CallContext {
        address: ME,
        gas_limit: 10_000_000,
        ..CallContext::default()
    }
}

fn counter(state: &State, key: &[u8]) -> u64 {
    state
        .storage_get(&ME, key)
        .unwrap()
        .map_or(0, |v| u64::from_le_bytes(v.try_into().unwrap()))
}

/// The child: commit calls until killed (does nothing unless run by `killed_mid_commit`).
#[test]
fn crash_child() {
    let Ok(path) = std::env::var("GAUGE_SHIM_CRASH_DB") else {
        return;
    };
    let engine = Engine::new(&chain_config());
    let module = Module::new(&engine, COUNTER).unwrap();
    let mut state = State::open(&path).unwrap();
    let receipts = std::env::var("GAUGE_SHIM_CRASH_RECEIPTS").is_ok();
    let opts = RunOptions {
        append_receipt: true,
        witness: false,
    };
    loop {
        let o = if receipts {
            run(&engine, COUNTER.as_bytes(), &mut state, &ctx(), &opts)
                .unwrap()
                .outcome
        } else {
            execute(&engine, &module, &mut state, &ctx()).unwrap()
        };
        assert_eq!(o.status, Status::Success, "{o:?}");
    }
}

/// With receipts, a kill leaves every committed call with its receipt and no receipt without
/// its call: the chain's length is the counter and every link verifies.
#[test]
fn killed_mid_commit_keeps_calls_and_receipts_together() {
    let dir = std::env::temp_dir().join(format!("gauge-shim-crash-r-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.redb");
    let _ = std::fs::remove_file(&path);
    for round in 0..3u64 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env("GAUGE_SHIM_CRASH_DB", &path)
            .env("GAUGE_SHIM_CRASH_RECEIPTS", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(500 + 151 * round));
        child.kill().unwrap();
        child.wait().unwrap();
        let state = State::open(&path).unwrap();
        let n = counter(&state, b"n");
        assert_eq!(n, counter(&state, b"m"), "a call was half applied");
        assert_eq!(state.verify_receipts(), Ok(n), "calls and receipts differ");
        if let Some(last) = state.receipts().unwrap().last() {
            assert_eq!(last.post_state_root, state.root().unwrap());
        }
        println!("round {round}: {n} calls with receipts");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn killed_mid_commit_leaves_whole_calls() {
    let dir = std::env::temp_dir().join(format!("gauge-shim-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.redb");
    let _ = std::fs::remove_file(&path);
    // The contract works: one call in this process.
    {
        let engine = Engine::new(&chain_config());
        let module = Module::new(&engine, COUNTER).unwrap();
        let mut state = State::open(&path).unwrap();
        let o = execute(&engine, &module, &mut state, &ctx()).unwrap();
        assert_eq!(o.status, Status::Success, "{o:?}");
        assert_eq!((counter(&state, b"n"), counter(&state, b"m")), (1, 1));
    }
    for round in 0..3u64 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env("GAUGE_SHIM_CRASH_DB", &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(400 + 137 * round));
        child.kill().unwrap();
        child.wait().unwrap();
        let state = State::open(&path).unwrap();
        let (n, m) = (counter(&state, b"n"), counter(&state, b"m"));
        assert_eq!(n, m, "a call was half applied");
        // The tree agrees with the tables: rebuilding the state from its contents gives the
        // stored root, and each key's proof checks against it.
        let mut rebuilt = State::in_memory();
        let mut changes = gauge_wasi_shim::Changes::new();
        for (k, v) in state.storage(&ME).unwrap() {
            changes.set_storage(ME, k, Some(v));
        }
        rebuilt.apply(&changes).unwrap();
        assert_eq!(rebuilt.root().unwrap(), state.root().unwrap());
        let key = StateKey::Storage(ME, b"n".to_vec());
        let (value, proof) = state.prove(&key).unwrap();
        proof
            .verify(
                jmt::RootHash(state.root().unwrap()),
                jmt::KeyHash(key.key_hash()),
                value.as_deref(),
            )
            .unwrap();
        println!("round {round}: {n} calls committed");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
