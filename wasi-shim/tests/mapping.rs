//! The chain mapping, checked with small hand-written contracts: environment, arguments,
//! clock, randomness, value transfers, gas exactness, storage gas, cross-contract calls and
//! their journals, the redb backend, and errors.

use gauge_interpreter::{Engine, Module};
use gauge_wasi_shim::{
    Account, Address, BlockContext, CallContext, CallOutcome, Changes, MAX_NESTED_CALLS, State,
    Status, chain_config, execute, execute_account,
};
use sha2::{Digest, Sha256};

/// A contract: the WASI imports and helpers below, `data` segments (at 64..4096) and the
/// body of `_start` (locals `$n $fd $r` available).
///
/// Memory: 0..16 iovec scratch, 8 the count a call returns, 12 an opened fd; 4096.. input;
/// 16384.. scratch buffer.
fn contract(data: &str, body: &str) -> String {
    format!(
        r#"(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (memory (export "memory") 2)
  (func $write (param $fd i32) (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
  (func $read (param $fd i32) (param $ptr i32) (param $len i32) (result i32)
    (local $e i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (local.set $e (call $fd_read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
    (if (result i32) (local.get $e)
      (then (i32.sub (i32.const 0) (local.get $e)))
      (else (i32.load (i32.const 8)))))
  (func $open (param $path i32) (param $len i32) (param $oflags i32) (param $rights i64) (result i32)
    (local $e i32)
    (local.set $e (call $path_open (i32.const 3) (i32.const 0) (local.get $path) (local.get $len)
      (local.get $oflags) (local.get $rights) (i64.const 0) (i32.const 0) (i32.const 12)))
    (if (result i32) (local.get $e)
      (then (i32.sub (i32.const 0) (local.get $e)))
      (else (i32.load (i32.const 12)))))
  (func $input (result i32)
    (local $n i32) (local $r i32)
    (block $done
      (loop $more
        (local.set $r (call $read (i32.const 0) (i32.add (i32.const 4096) (local.get $n)) (i32.const 4096)))
        (br_if $done (i32.le_s (local.get $r) (i32.const 0)))
        (local.set $n (i32.add (local.get $n) (local.get $r)))
        (br $more)))
    (local.get $n))
  {data}
  (func (export "_start") (local $n i32) (local $fd i32) (local $r i32)
    {body}))"#
    )
}

const ME: Address = Address([0xc0; 20]);
const ALICE: Address = Address([0xa1; 20]);
const BOB: Address = Address([0xb0; 20]);

fn engine() -> Engine {
    Engine::new(&chain_config())
}

fn ctx(address: Address, input: &[u8]) -> CallContext {
    CallContext {
        address,
        caller: ALICE,
        value: 0,
        input: input.to_vec(),
        args: Vec::new(),
        gas_limit: 100_000_000,
        block: BlockContext {
            height: 42,
            time_ns: 1_700_000_000_123_456_789,
            chain_id: 7,
        },
    }
}

fn run(engine: &Engine, wat: &str, state: &mut State, ctx: &CallContext) -> CallOutcome {
    let module = Module::new(engine, wat).expect("contract compiles");
    execute(engine, &module, state, ctx).expect("no backend error")
}

/// A contract that writes its input to the storage key `k` (created or truncated).
fn store_input() -> String {
    contract(
        r#"(data (i32.const 64) "k")"#,
        r#"(local.set $n (call $input))
           (local.set $fd (call $open (i32.const 64) (i32.const 1) (i32.const 9) (i64.const 64)))
           (drop (call $write (local.get $fd) (i32.const 4096) (local.get $n)))"#,
    )
}

#[test]
fn environment_arguments_and_clock() {
    let engine = engine();
    let wat = contract(
        "",
        r#"(drop (call $environ_sizes_get (i32.const 16) (i32.const 20)))
           (drop (call $environ_get (i32.const 1024) (i32.const 16384)))
           (drop (call $write (i32.const 1) (i32.const 16384) (i32.load (i32.const 20))))
           (drop (call $args_sizes_get (i32.const 16) (i32.const 20)))
           (drop (call $args_get (i32.const 1024) (i32.const 16384)))
           (drop (call $write (i32.const 1) (i32.const 16384) (i32.load (i32.const 20))))
           (drop (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 24)))
           (drop (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 32)))
           (drop (call $write (i32.const 1) (i32.const 24) (i32.const 16)))"#,
    );
    let mut state = State::in_memory();
    state.set_balance(ALICE, 1_000).unwrap();
    let mut c = ctx(ME, b"");
    c.value = 300;
    c.args = vec!["first".into(), "second arg".into()];
    let o = run(&engine, &wat, &mut state, &c);
    assert_eq!(o.status, Status::Success, "{o:?}");
    let mut want = format!(
        "CALLER={}\0VALUE=300\0BLOCK_HEIGHT=42\0BLOCK_TIME=1700000000123456789\0CHAIN_ID=7\0\
         GAS_LIMIT=100000000\0BALANCE=300\0{}\0first\0second arg\0",
        ALICE.to_hex(),
        ME.to_hex()
    )
    .into_bytes();
    want.extend_from_slice(&1_700_000_000_123_456_789u64.to_le_bytes());
    want.extend_from_slice(&1_700_000_000_123_456_789u64.to_le_bytes());
    assert_eq!(
        String::from_utf8_lossy(&o.output),
        String::from_utf8_lossy(&want)
    );
    assert_eq!(state.account(&ALICE).unwrap().balance, 700);
    assert_eq!(state.account(&ME).unwrap().balance, 300);
}

#[test]
fn random_get_is_the_documented_public_hash() {
    let engine = engine();
    let wat = contract(
        "",
        r#"(drop (call $random_get (i32.const 16384) (i32.const 40)))
           (drop (call $write (i32.const 1) (i32.const 16384) (i32.const 40)))"#,
    );
    let c = ctx(ME, b"in");
    let a = run(&engine, &wat, &mut State::in_memory(), &c);
    let b = run(&engine, &wat, &mut State::in_memory(), &c);
    assert_eq!(a.output, b.output, "deterministic");
    let mut seed = Sha256::new();
    seed.update(b"gauge-wasi random_get v1");
    seed.update(7u64.to_le_bytes());
    seed.update(42u64.to_le_bytes());
    seed.update(1_700_000_000_123_456_789u64.to_le_bytes());
    seed.update(ME.0);
    seed.update(ALICE.0);
    seed.update(0u128.to_le_bytes());
    seed.update(Sha256::digest(b"in"));
    seed.update(0u64.to_le_bytes());
    let seed: [u8; 32] = seed.finalize().into();
    let block = |i: u64| {
        let mut h = Sha256::new();
        h.update(seed);
        h.update(i.to_le_bytes());
        h.finalize().to_vec()
    };
    let mut want = block(0);
    want.extend_from_slice(&block(1)[..8]);
    assert_eq!(a.output, want);
    let mut later = c.clone();
    later.block.height += 1;
    assert_ne!(
        run(&engine, &wat, &mut State::in_memory(), &later).output,
        a.output
    );
}

#[test]
fn insufficient_balance_reverts_before_running() {
    let engine = engine();
    let mut state = State::in_memory();
    state.set_balance(ALICE, 10).unwrap();
    let root = state.root().unwrap();
    let mut c = ctx(ME, b"data");
    c.value = 11;
    let o = run(&engine, &store_input(), &mut state, &c);
    assert_eq!(o.status, Status::Revert);
    assert_eq!(o.exit_code, None);
    assert_eq!(o.gas_used, 0);
    assert_eq!(o.state_root, root);
    assert!(state.storage_get(&ME, b"k").unwrap().is_none());
}

#[test]
fn revert_drops_the_transfer_and_the_writes() {
    let engine = engine();
    let wat = contract(
        r#"(data (i32.const 64) "k")"#,
        r#"(local.set $fd (call $open (i32.const 64) (i32.const 1) (i32.const 9) (i64.const 64)))
           (drop (call $write (local.get $fd) (i32.const 64) (i32.const 1)))
           (call $proc_exit (i32.const 5))"#,
    );
    let mut state = State::in_memory();
    state.set_balance(ALICE, 10).unwrap();
    let root = state.root().unwrap();
    let mut c = ctx(ME, b"");
    c.value = 4;
    let o = run(&engine, &wat, &mut state, &c);
    assert_eq!((o.status, o.exit_code), (Status::Revert, Some(5)));
    assert_eq!(state.root().unwrap(), root);
    assert_eq!(state.account(&ALICE).unwrap().balance, 10);
}

#[test]
fn gas_is_exact_and_out_of_gas_changes_nothing() {
    let engine = engine();
    let wat = store_input();
    let mut state = State::in_memory();
    let o = run(&engine, &wat, &mut state, &ctx(ME, b"hello"));
    assert_eq!(o.status, Status::Success);
    let used = o.gas_used;
    let mut exact = ctx(ME, b"hello");
    exact.gas_limit = used;
    let mut fresh = State::in_memory();
    let o2 = run(&engine, &wat, &mut fresh, &exact);
    assert_eq!((o2.status, o2.gas_used), (Status::Success, used));
    assert_eq!(o2.state_root, o.state_root);
    exact.gas_limit = used - 1;
    let mut fresh = State::in_memory();
    let o3 = run(&engine, &wat, &mut fresh, &exact);
    assert_eq!((o3.status, o3.gas_used), (Status::OutOfGas, used - 1));
    assert_eq!(fresh.root().unwrap(), gauge_wasi_shim::EMPTY_ROOT);
}

#[test]
fn storage_bytes_are_charged_by_the_schedule() {
    let engine = engine();
    let wat = store_input();
    let gas = |input: &[u8]| run(&engine, &wat, &mut State::in_memory(), &ctx(ME, input)).gas_used;
    let d = &gauge_metering::Schedule::v1().dynamic;
    // One more input byte: read from stdin into memory and from memory into the host (two
    // host_call_per_byte), written to storage (storage_write_per_byte) as a new stored byte
    // (storage_new_byte).
    let per_byte = 2 * d.host_call_per_byte + d.storage_write_per_byte + d.storage_new_byte;
    assert_eq!(gas(b"ab") - gas(b"a"), per_byte);
    assert_eq!(gas(&[7; 100]) - gas(b"a"), 99 * per_byte);
    // Rewriting an existing entry (truncated to 0 by O_TRUNC, then written again) stores no
    // new bytes: growth is measured against the largest size already paid for. The first run
    // also created the 1-byte key (written and new), and with it the root directory's index:
    // one entry, 4 bytes (SCALE: count, name length, name, flags), written and new, plus an
    // access.
    let mut state = State::in_memory();
    let first = run(&engine, &wat, &mut state, &ctx(ME, b"xyz")).gas_used;
    let again = run(&engine, &wat, &mut state, &ctx(ME, b"xyz")).gas_used;
    let index = d.storage_access + (d.storage_write_per_byte + d.storage_new_byte) * 4;
    assert_eq!(
        first - again,
        d.storage_write_per_byte + d.storage_new_byte * (1 + 3) + index
    );
    // One byte longer than before: one new byte.
    let longer = run(&engine, &wat, &mut state, &ctx(ME, b"wxyz")).gas_used;
    assert_eq!(longer - again, per_byte);
}

/// A callee: returns `got:` and its input, stores its input under `seen`, and reverts with
/// code 7 when the input starts with `F`.
fn callee() -> String {
    contract(
        r#"(data (i32.const 64) "got:") (data (i32.const 80) "seen")"#,
        r#"(local.set $n (call $input))
           (drop (call $write (i32.const 1) (i32.const 64) (i32.const 4)))
           (drop (call $write (i32.const 1) (i32.const 4096) (local.get $n)))
           (local.set $fd (call $open (i32.const 80) (i32.const 4) (i32.const 9) (i64.const 64)))
           (drop (call $write (local.get $fd) (i32.const 4096) (local.get $n)))
           (if (i32.eq (i32.load8_u (i32.const 4096)) (i32.const 70))
             (then (call $proc_exit (i32.const 7))))"#,
    )
}

/// A caller: passes its input to `target` through `/contracts/<target>`, returns the callee's
/// output (or `EIO!` when the call failed with EIO), stores `mine` = 1, and reverts when its
/// input starts with `R`.
fn caller(target: Address) -> String {
    let path = format!("contracts/{}", target.to_hex());
    contract(
        &format!(
            r#"(data (i32.const 64) "EIO!") (data (i32.const 72) "mine") (data (i32.const 128) "{path}")"#
        ),
        &format!(
            r#"(local.set $n (call $input))
           (local.set $fd (call $open (i32.const 128) (i32.const {len}) (i32.const 0) (i64.const 66)))
           (if (i32.lt_s (local.get $fd) (i32.const 0)) (then (call $proc_exit (i32.const 100))))
           (drop (call $write (local.get $fd) (i32.const 4096) (local.get $n)))
           (local.set $r (call $read (local.get $fd) (i32.const 16384) (i32.const 4096)))
           (if (i32.eq (local.get $r) (i32.const -29))
             (then (drop (call $write (i32.const 1) (i32.const 64) (i32.const 4))))
             (else (drop (call $write (i32.const 1) (i32.const 16384) (local.get $r)))))
           (drop (call $fd_close (local.get $fd)))
           (local.set $fd (call $open (i32.const 72) (i32.const 4) (i32.const 9) (i64.const 64)))
           (drop (call $write (local.get $fd) (i32.const 64) (i32.const 1)))
           (if (i32.eq (i32.load8_u (i32.const 4096)) (i32.const 82))
             (then (call $proc_exit (i32.const 1))))"#,
            len = path.len()
        ),
    )
}

fn deploy(state: &mut State, address: Address, wat: &str) {
    state
        .deploy(address, &wat::parse_str(wat).expect("valid text"))
        .unwrap();
}

#[test]
fn cross_contract_call_commits_with_the_caller() {
    let engine = engine();
    let mut state = State::in_memory();
    deploy(&mut state, BOB, &callee());
    let o = run(&engine, &caller(BOB), &mut state, &ctx(ME, b"hello"));
    assert_eq!(o.status, Status::Success, "{o:?}");
    assert_eq!(o.output, b"got:hello");
    assert_eq!(state.storage_get(&BOB, b"seen").unwrap().unwrap(), b"hello");
    assert_eq!(state.storage_get(&ME, b"mine").unwrap().unwrap(), b"E");
    // The callee's gas is part of the caller's.
    let alone = run(
        &engine,
        &callee(),
        &mut State::in_memory(),
        &ctx(BOB, b"hello"),
    );
    assert!(o.gas_used > alone.gas_used);
}

#[test]
fn failing_callee_is_eio_and_its_changes_are_dropped() {
    let engine = engine();
    let mut state = State::in_memory();
    deploy(&mut state, BOB, &callee());
    let o = run(&engine, &caller(BOB), &mut state, &ctx(ME, b"Fail"));
    assert_eq!(o.status, Status::Success, "{o:?}");
    assert_eq!(o.output, b"EIO!");
    assert!(state.storage_get(&BOB, b"seen").unwrap().is_none());
    assert!(state.storage_get(&ME, b"mine").unwrap().is_some());
}

#[test]
fn reverting_caller_drops_the_callee_changes() {
    let engine = engine();
    let mut state = State::in_memory();
    deploy(&mut state, BOB, &callee());
    let root = state.root().unwrap();
    let o = run(&engine, &caller(BOB), &mut state, &ctx(ME, b"Revert"));
    assert_eq!((o.status, o.exit_code), (Status::Revert, Some(1)));
    assert_eq!(o.output, b"got:Revert");
    assert_eq!(state.root().unwrap(), root);
}

#[test]
fn calling_an_account_without_code_is_enoent() {
    let engine = engine();
    let o = run(
        &engine,
        &caller(BOB),
        &mut State::in_memory(),
        &ctx(ME, b"x"),
    );
    assert_eq!((o.status, o.exit_code), (Status::Revert, Some(100)));
}

#[test]
fn callee_out_of_gas_forwards_all_gas() {
    let engine = engine();
    let mut state = State::in_memory();
    deploy(
        &mut state,
        BOB,
        "(module (func (export \"_start\") (loop $l (br $l))))",
    );
    let o = run(&engine, &caller(BOB), &mut state, &ctx(ME, b"x"));
    // The callee burnt everything the caller had left, so the caller runs out right after.
    assert_eq!(o.status, Status::OutOfGas, "{o:?}");
    assert_eq!(o.gas_used, 100_000_000);
}

#[test]
fn nesting_is_limited() {
    let engine = engine();
    // Calls itself; the deepest frame's call fails and it answers `bottom`; every other frame
    // appends `x` to what its callee returned.
    let path = format!("contracts/{}", ME.to_hex());
    let wat = contract(
        &format!(
            r#"(data (i32.const 64) "bottom") (data (i32.const 72) "x") (data (i32.const 128) "{path}")"#
        ),
        &format!(
            r#"(local.set $fd (call $open (i32.const 128) (i32.const {len}) (i32.const 0) (i64.const 66)))
           (drop (call $write (local.get $fd) (i32.const 64) (i32.const 0)))
           (local.set $r (call $read (local.get $fd) (i32.const 16384) (i32.const 4096)))
           (if (i32.lt_s (local.get $r) (i32.const 0))
             (then (drop (call $write (i32.const 1) (i32.const 64) (i32.const 6))))
             (else
               (drop (call $write (i32.const 1) (i32.const 16384) (local.get $r)))
               (drop (call $write (i32.const 1) (i32.const 72) (i32.const 1)))))"#,
            len = path.len()
        ),
    );
    let mut state = State::in_memory();
    deploy(&mut state, ME, &wat);
    let mut c = ctx(ME, b"");
    c.gas_limit = 1_000_000_000;
    let o = execute_account(&engine, &mut state, &c).unwrap();
    assert_eq!(o.status, Status::Success, "{o:?}");
    let want = format!("bottom{}", "x".repeat(MAX_NESTED_CALLS as usize));
    assert_eq!(String::from_utf8_lossy(&o.output), want);
}

#[test]
fn redb_backend_matches_memory_and_persists() {
    let engine = engine();
    let dir = std::env::temp_dir().join(format!("gauge-shim-mapping-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.redb");
    let _ = std::fs::remove_file(&path);
    let mut mem = State::in_memory();
    let outcomes_mem: Vec<_> = [b"one".as_slice(), b"two", b"three"]
        .iter()
        .map(|i| run(&engine, &store_input(), &mut mem, &ctx(ME, i)))
        .collect();
    {
        let mut disk = State::open(&path).unwrap();
        for (i, input) in [b"one".as_slice(), b"two"].iter().enumerate() {
            let o = run(&engine, &store_input(), &mut disk, &ctx(ME, input));
            assert_eq!(o, outcomes_mem[i]);
        }
    }
    let mut disk = State::open(&path).unwrap();
    assert_eq!(disk.storage_get(&ME, b"k").unwrap().unwrap(), b"two");
    let o = run(&engine, &store_input(), &mut disk, &ctx(ME, b"three"));
    assert_eq!(o, outcomes_mem[2]);
    assert_eq!(disk.root().unwrap(), mem.root().unwrap());
    assert_eq!(disk.storage(&ME).unwrap(), mem.storage(&ME).unwrap());
    drop(disk);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn link_errors_are_trap_outcomes() {
    let engine = engine();
    let wat = r#"(module (import "env" "nope" (func)) (func (export "_start")))"#;
    let o = run(&engine, wat, &mut State::in_memory(), &ctx(ME, b""));
    assert_eq!(o.status, Status::Trap);
    assert!(o.trap.unwrap().contains("nope"));
}

#[test]
fn execute_account_runs_deployed_code() {
    let engine = engine();
    let mut state = State::in_memory();
    let mut genesis = Changes::new();
    genesis.set_account(
        ALICE,
        Account {
            balance: 5,
            code_hash: [0; 32],
        },
    );
    state.apply(&genesis).unwrap();
    deploy(&mut state, ME, &store_input());
    let o = execute_account(&engine, &mut state, &ctx(ME, b"stored")).unwrap();
    assert_eq!(o.status, Status::Success);
    assert_eq!(state.storage_get(&ME, b"k").unwrap().unwrap(), b"stored");
    assert!(execute_account(&engine, &mut state, &ctx(BOB, b"")).is_err());
}

/// Every preview1 function with its signature, as a module's imports.
const SIGNATURES: &[(&str, &str)] = &[
    ("args_get", "(param i32 i32) (result i32)"),
    ("args_sizes_get", "(param i32 i32) (result i32)"),
    ("environ_get", "(param i32 i32) (result i32)"),
    ("environ_sizes_get", "(param i32 i32) (result i32)"),
    ("clock_res_get", "(param i32 i32) (result i32)"),
    ("clock_time_get", "(param i32 i64 i32) (result i32)"),
    ("fd_advise", "(param i32 i64 i64 i32) (result i32)"),
    ("fd_allocate", "(param i32 i64 i64) (result i32)"),
    ("fd_close", "(param i32) (result i32)"),
    ("fd_datasync", "(param i32) (result i32)"),
    ("fd_fdstat_get", "(param i32 i32) (result i32)"),
    ("fd_fdstat_set_flags", "(param i32 i32) (result i32)"),
    ("fd_fdstat_set_rights", "(param i32 i64 i64) (result i32)"),
    ("fd_filestat_get", "(param i32 i32) (result i32)"),
    ("fd_filestat_set_size", "(param i32 i64) (result i32)"),
    (
        "fd_filestat_set_times",
        "(param i32 i64 i64 i32) (result i32)",
    ),
    ("fd_pread", "(param i32 i32 i32 i64 i32) (result i32)"),
    ("fd_prestat_get", "(param i32 i32) (result i32)"),
    ("fd_prestat_dir_name", "(param i32 i32 i32) (result i32)"),
    ("fd_pwrite", "(param i32 i32 i32 i64 i32) (result i32)"),
    ("fd_read", "(param i32 i32 i32 i32) (result i32)"),
    ("fd_readdir", "(param i32 i32 i32 i64 i32) (result i32)"),
    ("fd_renumber", "(param i32 i32) (result i32)"),
    ("fd_seek", "(param i32 i64 i32 i32) (result i32)"),
    ("fd_sync", "(param i32) (result i32)"),
    ("fd_tell", "(param i32 i32) (result i32)"),
    ("fd_write", "(param i32 i32 i32 i32) (result i32)"),
    ("path_create_directory", "(param i32 i32 i32) (result i32)"),
    (
        "path_filestat_get",
        "(param i32 i32 i32 i32 i32) (result i32)",
    ),
    (
        "path_filestat_set_times",
        "(param i32 i32 i32 i32 i64 i64 i32) (result i32)",
    ),
    (
        "path_link",
        "(param i32 i32 i32 i32 i32 i32 i32) (result i32)",
    ),
    (
        "path_open",
        "(param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)",
    ),
    (
        "path_readlink",
        "(param i32 i32 i32 i32 i32 i32) (result i32)",
    ),
    ("path_remove_directory", "(param i32 i32 i32) (result i32)"),
    (
        "path_rename",
        "(param i32 i32 i32 i32 i32 i32) (result i32)",
    ),
    ("path_symlink", "(param i32 i32 i32 i32 i32) (result i32)"),
    ("path_unlink_file", "(param i32 i32 i32) (result i32)"),
    ("poll_oneoff", "(param i32 i32 i32 i32) (result i32)"),
    ("proc_exit", "(param i32)"),
    ("proc_raise", "(param i32) (result i32)"),
    ("sched_yield", "(result i32)"),
    ("random_get", "(param i32 i32) (result i32)"),
    ("sock_accept", "(param i32 i32 i32) (result i32)"),
    ("sock_recv", "(param i32 i32 i32 i32 i32 i32) (result i32)"),
    ("sock_send", "(param i32 i32 i32 i32 i32) (result i32)"),
    ("sock_shutdown", "(param i32 i32) (result i32)"),
];

#[test]
fn every_preview1_function_links_with_its_signature() {
    let names: Vec<&str> = SIGNATURES.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, gauge_wasi_shim::FUNCTIONS);
    let imports: String = SIGNATURES
        .iter()
        .map(|(n, sig)| format!("(import \"wasi_snapshot_preview1\" \"{n}\" (func {sig}))\n"))
        .collect();
    let wat =
        format!("(module {imports} (memory (export \"memory\") 1) (func (export \"_start\")))");
    let o = run(&engine(), &wat, &mut State::in_memory(), &ctx(ME, b""));
    assert_eq!(o.status, Status::Success, "{o:?}");
}

#[test]
fn docs_table_lists_every_function() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/chain-wasi.md"
    ))
    .unwrap();
    for name in gauge_wasi_shim::FUNCTIONS {
        assert!(
            doc.contains(&format!("\n| `{name}` |")),
            "docs/chain-wasi.md has no table row for {name}"
        );
    }
}

#[test]
fn fixed_errnos() {
    // Each result is stored as one byte and returned.
    let wat = r#"(module
      (import "wasi_snapshot_preview1" "sock_shutdown" (func $sock_shutdown (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "proc_raise" (func $proc_raise (param i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (result i32)))
      (memory (export "memory") 1)
      (func (export "_start")
        (i32.store8 (i32.const 100) (call $sock_shutdown (i32.const 1) (i32.const 0)))
        (i32.store8 (i32.const 101) (call $sock_shutdown (i32.const 9) (i32.const 0)))
        (i32.store8 (i32.const 102) (call $proc_raise (i32.const 2)))
        (i32.store8 (i32.const 103) (call $fd_prestat_get (i32.const 4) (i32.const 0)))
        (i32.store8 (i32.const 104) (call $clock_time_get (i32.const 9) (i64.const 0) (i32.const 0)))
        (i32.store8 (i32.const 105) (call $fd_seek (i32.const 0) (i64.const 0) (i32.const 0) (i32.const 0)))
        (i32.store8 (i32.const 106) (call $fd_read (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0)))
        (i32.store8 (i32.const 107) (call $fd_read (i32.const 0) (i32.const 65536) (i32.const 1) (i32.const 0)))
        (i32.store8 (i32.const 108) (call $sched_yield))
        (i32.store (i32.const 0) (i32.const 100))
        (i32.store (i32.const 4) (i32.const 9))
        (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#;
    let o = run(&engine(), wat, &mut State::in_memory(), &ctx(ME, b""));
    assert_eq!(o.status, Status::Success, "{o:?}");
    // ENOTSOCK, EBADF, ENOSYS, EBADF, EINVAL, ESPIPE, EBADF, EFAULT, success.
    assert_eq!(o.output, [57, 8, 52, 8, 28, 70, 8, 21, 0]);
}
