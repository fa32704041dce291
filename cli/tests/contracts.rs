//! End-to-end tests of `gauge run CONTRACT` and `gauge state`: the project's own example
//! contracts (always there), and the shared C and Rust contracts in `../shared/contracts`
//! (skipped with a message when that folder is absent; `GAUGE_REQUIRE_SHARED=1` makes that a
//! failure).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const CALLER_A: &str = "0x1111111111111111111111111111111111111111";
const CALLER_B: &str = "0x2222222222222222222222222222222222222222";
const DEFAULT_ADDRESS: &str = "0x000000000000000000000000000000000000c0de";
const EMPTY_ROOT_HEX: &str = "5350415253455f4d45524b4c455f504c414345484f4c4445525f484153485f5f";

fn root_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn example(name: &str) -> String {
    root_dir()
        .join("examples/contracts")
        .join(name)
        .display()
        .to_string()
}

/// A contract of `../shared/contracts`, or `None` (with a message) when the folder is absent.
fn shared(name: &str) -> Option<String> {
    let dir = root_dir().join("../shared/contracts");
    if !dir.is_dir() {
        if std::env::var("GAUGE_REQUIRE_SHARED").as_deref() == Ok("1") {
            panic!(
                "{} is missing and GAUGE_REQUIRE_SHARED=1 is set",
                dir.display()
            );
        }
        eprintln!(
            "SKIPPED: {} is absent (set GAUGE_REQUIRE_SHARED=1 to make this an error)",
            dir.display()
        );
        return None;
    }
    Some(dir.join(name).display().to_string())
}

fn gauge(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gauge"))
        .args(args)
        .output()
        .expect("gauge runs")
}

/// Run with `--json` and parse the object.
fn json(args: &[&str]) -> (Value, Output) {
    let mut all = args.to_vec();
    all.push("--json");
    let o = gauge(&all);
    let text = String::from_utf8(o.stdout.clone()).expect("utf-8");
    let v: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{e}: {text:?} (stderr {:?})", stderr(&o)));
    (v, o)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A scratch directory (removed at the end) holding a state store path.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("gauge-contract-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        Scratch(dir)
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn state_root(store: &str) -> String {
    let o = gauge(&["state", "--state", store, "root"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o).trim().to_string()
}

fn state_get(store: &str, key: &str) -> Option<String> {
    let o = gauge(&["state", "--state", store, "get", key]);
    match o.status.code() {
        Some(0) => Some(stdout(&o).trim().to_string()),
        Some(1) => {
            assert!(stderr(&o).contains("no storage key"), "{}", stderr(&o));
            None
        }
        other => panic!("state get {key}: {other:?} {}", stderr(&o)),
    }
}

#[test]
fn wat_counter_counts_in_memory_and_persists_with_a_store() {
    let hits = example("hits.wat");
    for _ in 0..2 {
        let o = gauge(&["run", &hits]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(stdout(&o), "1\n", "a fresh in-memory state every run");
    }
    let dir = Scratch::new("hits");
    let store = dir.path("state.redb");
    for n in 1..=3u64 {
        let o = gauge(&["run", &hits, "--state", &store]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(stdout(&o), format!("{n}\n"));
    }
    assert_eq!(
        state_get(&store, "hits").as_deref(),
        Some("0300000000000000")
    );
}

#[test]
fn json_reports_every_field_and_the_store_agrees() {
    let dir = Scratch::new("json");
    let store = dir.path("state.redb");
    let (v, o) = json(&[
        "run",
        &example("hits.wat"),
        "--state",
        &store,
        "--gas",
        "5000000",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(v["status"], "success");
    assert_eq!(v["exit_code"], 0);
    assert_eq!(v["trap"], Value::Null);
    assert_eq!(v["output_hex"], "310a");
    assert_eq!(v["output_utf8"], "1\n");
    assert_eq!(v["logs"], serde_json::json!([]));
    assert_eq!(v["gas_limit"], 5_000_000);
    assert!(v["gas_used"].as_u64().unwrap() > 0);
    assert_eq!(v["address"], DEFAULT_ADDRESS);
    let root = v["state_root"].as_str().unwrap().to_string();
    assert_eq!(root.len(), 64);
    assert_ne!(root, EMPTY_ROOT_HEX);
    assert_eq!(state_root(&store), root);

    // The same call with exactly the gas it used succeeds; with one unit less it runs out and
    // changes nothing.
    let used = v["gas_used"].as_u64().unwrap().to_string();
    let fresh = dir.path("fresh.redb");
    let (v2, _) = json(&[
        "run",
        &example("hits.wat"),
        "--state",
        &fresh,
        "--gas",
        &used,
    ]);
    assert_eq!(v2["status"], "success");
    let less = (v["gas_used"].as_u64().unwrap() - 1).to_string();
    let other = dir.path("other.redb");
    let (v3, o3) = json(&[
        "run",
        &example("hits.wat"),
        "--state",
        &other,
        "--gas",
        &less,
    ]);
    assert_eq!(v3["status"], "out_of_gas");
    assert_eq!(o3.status.code(), Some(3));
    assert_eq!(v3["gas_used"].as_u64().unwrap().to_string(), less);
    assert_eq!(v3["state_root"], EMPTY_ROOT_HEX);
}

#[test]
fn c_token_mints_transfers_and_reverts_refusals() {
    let token = example("token.wasm");
    let dir = Scratch::new("token");
    let store = dir.path("state.redb");
    let call = |caller: &str, input: &str| {
        json(&[
            "run", &token, "--state", &store, "--caller", caller, "--input", input,
        ])
        .0
    };

    let v = call(CALLER_A, "mint 100");
    assert_eq!(
        (v["status"].as_str(), v["output_utf8"].as_str()),
        (Some("success"), Some("100\n"))
    );

    // B is not the owner: refused, exit code 3, nothing written.
    let before = state_root(&store);
    let (v, o) = json(&[
        "run", &token, "--state", &store, "--caller", CALLER_B, "--input", "mint 5",
    ]);
    assert_eq!(o.status.code(), Some(4), "revert exits 4");
    assert_eq!(v["status"], "revert");
    assert_eq!(v["exit_code"], 3);
    assert_eq!(v["output_utf8"], "refused: only the owner mints\n");
    assert_eq!(v["state_root"], before.as_str());
    assert_eq!(state_root(&store), before);

    let v = call(CALLER_A, &format!("transfer {CALLER_B} 30"));
    assert_eq!(v["output_utf8"], "70\n");
    assert_eq!(
        v["logs"],
        serde_json::json!([{
            "hex": hex(format!("transfer {CALLER_A} {CALLER_B} 30\n").as_bytes()),
            "utf8": format!("transfer {CALLER_A} {CALLER_B} 30\n"),
        }])
    );
    // Insufficient balance: reverted, both balances as they were.
    let v = call(CALLER_B, &format!("transfer {CALLER_A} 31"));
    assert_eq!(
        (v["status"].as_str(), v["exit_code"].as_u64()),
        (Some("revert"), Some(5))
    );
    assert_eq!(call(CALLER_B, "balance")["output_utf8"], "30\n");
    assert_eq!(
        call(CALLER_B, &format!("balance {CALLER_A}"))["output_utf8"],
        "70\n"
    );
    assert_eq!(call(CALLER_A, "supply")["output_utf8"], "100\n");
    assert_eq!(
        state_get(&store, &format!("balances/{CALLER_B}")).as_deref(),
        Some(hex(b"30").as_str())
    );

    // Human output: the return data on stdout, the reason on stderr.
    let o = gauge(&[
        "run", &token, "--state", &store, "--caller", CALLER_B, "--input", "burn 1",
    ]);
    assert_eq!(o.status.code(), Some(4));
    assert!(stdout(&o).starts_with("refused: unknown command"));
    assert_eq!(stderr(&o), "revert: exit code 1\n");
}

#[test]
fn a_trap_leaves_storage_as_it_was() {
    let dir = Scratch::new("trap");
    let store = dir.path("state.redb");
    // Writes the key `k`, then traps.
    let wat = dir.path("writes_then_traps.wat");
    std::fs::write(
        &wat,
        r#"(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "k")
  (data (i32.const 16) "\20\00\00\00\02\00\00\00")
  (data (i32.const 32) "hi")
  (func (export "_start")
    (drop (call $open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 1)
      (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 8)))
    (drop (call $write (i32.load (i32.const 8)) (i32.const 16) (i32.const 1) (i32.const 12)))
    (unreachable)))"#,
    )
    .unwrap();
    gauge(&["run", &example("hits.wat"), "--state", &store]);
    let before = state_root(&store);
    let (v, o) = json(&["run", &wat, "--state", &store]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(v["status"], "trap");
    assert_eq!(v["exit_code"], Value::Null);
    assert!(v["trap"].as_str().unwrap().contains("unreachable"), "{v}");
    assert_eq!(state_root(&store), before);
    assert_eq!(state_get(&store, "k"), None);
}

#[test]
fn input_file_args_and_context_reach_the_program() {
    let Some(env_info) = shared("c_env_info.wasm") else {
        return;
    };
    let o = gauge(&[
        "run",
        &env_info,
        "--arg",
        "x",
        "--arg",
        "-y",
        "--caller",
        CALLER_A,
        "--value",
        "1000",
        "--block-height",
        "42",
        "--block-time-ns",
        "1700000000123456789",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        format!(
            "address={DEFAULT_ADDRESS}\nargc=3\ncaller={CALLER_A}\nvalue=1000\nblock_height=42\ntime=1700000000\n"
        )
    );
    let Some(sha) = shared("c_sha256sum.wasm") else {
        return;
    };
    let dir = Scratch::new("input");
    let file = dir.path("input.bin");
    std::fs::write(&file, b"abc").unwrap();
    for o in [
        gauge(&["run", &sha, "--input-file", &file]),
        gauge(&["run", &sha, "--input", "abc"]),
    ] {
        assert_eq!(
            stdout(&o),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n"
        );
    }
}

#[test]
fn shared_counters_persist_and_reverts_change_nothing() {
    let (Some(c), Some(rust), Some(c_revert), Some(rust_revert)) = (
        shared("c_counter.wasm"),
        shared("rust_counter.wasm"),
        shared("c_revert.wasm"),
        shared("rust_revert.wasm"),
    ) else {
        return;
    };
    let dir = Scratch::new("counters");
    let store = dir.path("state.redb");
    // The C and the Rust counter share the same storage layout, so they count together.
    for (n, counter) in [&c, &rust, &c, &rust].into_iter().enumerate() {
        let o = gauge(&["run", counter, "--state", &store]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(stdout(&o), format!("{}\n", n + 1));
    }
    let before = state_root(&store);
    for revert in [&c_revert, &rust_revert] {
        let (v, o) = json(&["run", revert, "--state", &store]);
        assert_eq!(o.status.code(), Some(4));
        assert_eq!(v["status"], "revert");
        assert_eq!(v["exit_code"], 3);
        assert_eq!(v["output_utf8"], "reverting\n");
        assert_eq!(state_root(&store), before);
        assert_eq!(
            state_get(&store, "counter").as_deref(),
            Some("0400000000000000")
        );
    }
}

#[test]
fn gas_bombs_run_out_of_gas() {
    for name in ["c_gas_bomb.wasm", "rust_gas_bomb.wasm"] {
        let Some(bomb) = shared(name) else { return };
        let (v, o) = json(&["run", &bomb, "--gas", "20000000"]);
        assert_eq!(o.status.code(), Some(3), "{name}");
        assert_eq!(v["status"], "out_of_gas", "{name}");
        assert_eq!(v["gas_used"], 20_000_000, "{name}");
        assert_eq!(v["state_root"], EMPTY_ROOT_HEX, "{name}");
    }
    let Some(bomb) = shared("c_stack_bomb.wasm") else {
        return;
    };
    let (v, _) = json(&["run", &bomb]);
    assert_ne!(v["status"], "success", "{v}");
}

#[test]
fn a_transfer_the_caller_cannot_pay_reverts() {
    let dir = Scratch::new("value");
    let store = dir.path("state.redb");
    let hits = example("hits.wat");
    let (v, o) = json(&["run", &hits, "--state", &store, "--value", "10"]);
    assert_eq!(o.status.code(), Some(4));
    assert_eq!(v["status"], "revert");
    assert_eq!(v["exit_code"], Value::Null);
    assert_eq!(v["state_root"], EMPTY_ROOT_HEX);
    // Funded, the same call succeeds and moves the value.
    let o = gauge(&[
        "state",
        "--state",
        &store,
        "set-balance",
        "0x000000000000000000000000000000000000ca11",
        "25",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (v, _) = json(&["run", &hits, "--state", &store, "--value", "10"]);
    assert_eq!(v["status"], "success");
    let (list, _) = json(&["state", "--state", &store, "list"]);
    let accounts = list["accounts"].as_array().unwrap();
    let balance = |a: &str| {
        accounts
            .iter()
            .find(|x| x["address"] == a)
            .map(|x| x["balance"].as_str().unwrap().to_string())
    };
    assert_eq!(
        balance("0x000000000000000000000000000000000000ca11").as_deref(),
        Some("15")
    );
    assert_eq!(balance(DEFAULT_ADDRESS).as_deref(), Some("10"));
    // Without --state the caller is given the value, so the same call succeeds in memory.
    let (v, _) = json(&["run", &hits, "--value", "10"]);
    assert_eq!(v["status"], "success");
}

#[test]
fn usage_errors() {
    let hits = example("hits.wat");
    let cases: [(&[&str], &str); 7] = [
        (
            &["run", &hits, "--invoke", "_start", "--input", "x"],
            "`--input` is for contract calls",
        ),
        (
            &["run", &hits, "--invoke", "_start", "--state", "s"],
            "`--state` is for contract calls",
        ),
        (&["run", &hits, "extra"], "contract arguments go in --arg"),
        (
            &["run", &hits, "--caller", "0x12"],
            "`--caller`: `0x12` is not an address",
        ),
        (
            &["run", &hits, "--input", "a", "--input-file", "b"],
            "cannot be used with",
        ),
        (&["state", "root"], "needs --state PATH"),
        (
            &["state", "--state", "/nonexistent/gauge/store", "root"],
            "no state store",
        ),
    ];
    for (args, needle) in cases {
        let o = gauge(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("error: ") && err.contains(needle),
            "{args:?}: {err}"
        );
    }
    // A module without _start is not a contract.
    let fib = root_dir().join("examples/fib.wat").display().to_string();
    let o = gauge(&["run", &fib]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no `_start` export"), "{}", stderr(&o));
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn deploy_call_receipts_and_stateless_verification() {
    let dir = Scratch::new("receipts");
    let store = dir.path("state.redb");
    let token = example("token.wasm");

    // Deploy: the address depends on the code and the salt only.
    let (d, o) = json(&["deploy", &token, "--state", &store]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let address = d["address"].as_str().unwrap().to_string();
    assert_eq!(d["state_root"].as_str().unwrap(), state_root(&store));
    let (again, _) = json(&["deploy", &token, "--state", &dir.path("other.redb")]);
    assert_eq!(again["address"], address.as_str());
    let (salted, _) = json(&["deploy", &token, "--state", &store, "--salt", "2"]);
    assert_ne!(salted["address"], address.as_str());

    // Two calls of the deployed code, the second one recorded with a witness and a receipt.
    let witness = dir.path("call.witness");
    let receipt = dir.path("call.receipt");
    let (v, _) = json(&[
        "call", &address, "--state", &store, "--caller", CALLER_A, "--input", "mint 9",
    ]);
    assert_eq!(
        (v["status"].as_str(), v["receipt_index"].as_u64()),
        (Some("success"), Some(0))
    );
    let (v, _) = json(&[
        "call",
        &address,
        "--state",
        &store,
        "--caller",
        CALLER_A,
        "--input",
        &format!("transfer {CALLER_B} 4"),
        "--witness",
        &witness,
        "--receipt",
        &receipt,
    ]);
    assert_eq!(v["output_utf8"], "5\n");
    assert_eq!(v["receipt_index"], 1);
    assert_eq!(v["code_hash"], d["code_hash"]);

    // The chain: two receipts (deployments are not calls), linked.
    let o = gauge(&["receipts", "--state", &store, "--verify"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(
        text.ends_with("verified: 2 receipts, every link holds\n"),
        "{text}"
    );
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .contains(v["receipt_hash"].as_str().unwrap())
    );

    // Stateless re-execution from code + witness, against the witness's receipt and the file.
    let (ok, o) = json(&["verify", &token, &witness, "--receipt", &receipt]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(ok["post_state_root"], v["state_root"]);
    assert_eq!(ok["receipt_hash"], v["receipt_hash"]);
    assert_eq!(ok["gas_used"], v["gas_used"]);

    // Other code, a flipped byte in the witness or in the receipt: exit 1 with the reason.
    let o = gauge(&["verify", &example("hits.wat"), &witness]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("code hash mismatch"), "{}", stderr(&o));
    let bytes = std::fs::read(&witness).unwrap();
    let tampered = dir.path("tampered.witness");
    for at in [bytes.len() / 3, bytes.len() / 2, bytes.len() - 1] {
        let mut b = bytes.clone();
        b[at] ^= 0x01;
        std::fs::write(&tampered, &b).unwrap();
        let o = gauge(&["verify", &token, &tampered, "--receipt", &receipt]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "byte {at} flipped: {}",
            stdout(&o)
        );
        assert!(stderr(&o).starts_with("error: "), "{}", stderr(&o));
    }
    let text = std::fs::read_to_string(&receipt).unwrap();
    let flipped: String = text
        .char_indices()
        .map(|(i, c)| {
            if i == 20 {
                if c == '0' { '1' } else { '0' }
            } else {
                c
            }
        })
        .collect();
    let bad_receipt = dir.path("tampered.receipt");
    std::fs::write(&bad_receipt, flipped).unwrap();
    let o = gauge(&["verify", &token, &witness, "--receipt", &bad_receipt]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));

    // A call of an address without code is an error, not a call.
    let o = gauge(&["call", CALLER_B, "--state", &store]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("has no code"), "{}", stderr(&o));
    let o = gauge(&["call", &address]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("needs --state"), "{}", stderr(&o));
}
