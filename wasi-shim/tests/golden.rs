//! Golden vectors: a fixed sequence of calls over a fixed genesis state, with the receipt
//! each call must produce, committed under `tests/golden/` so that any platform (or another
//! implementation) can compare itself with them. `docs/receipts.md` describes the format.
//!
//! The test recomputes everything and compares it with the committed files byte for byte.
//! `BLESS=1 cargo test -p gauge-wasi-shim --test golden` rewrites them (the `.wasm` files from
//! the `.wat` sources, and `vectors.json`); review the diff before committing.

use std::path::PathBuf;

use gauge_interpreter::Engine;
use gauge_wasi_shim::{
    Address, BlockContext, CallContext, Changes, RunOptions, State, StateKey, chain_config, hex,
    run, run_account, verify, wasm_binary,
};
use serde_json::{Value, json};

const ALICE: Address = Address([0xa1; 20]);
const ECHO: Address = Address([0xec; 20]);
const CALLER: Address = Address([0xca; 20]);
/// The counter's address, which `caller.wat` names.
const COUNTER: Address = Address([
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0c, 0x0c, 0x0c,
]);

fn dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden"))
}

fn bless() -> bool {
    std::env::var("BLESS").as_deref() == Ok("1")
}

/// The committed binary of `name`, checked against (or, blessing, rewritten from) its source.
fn module(name: &str) -> Vec<u8> {
    let wat = std::fs::read(dir().join(format!("{name}.wat"))).unwrap();
    let binary = wasm_binary(&wat).unwrap().into_owned();
    let path = dir().join(format!("{name}.wasm"));
    if bless() {
        std::fs::write(&path, &binary).unwrap();
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == binary,
        "{name}.wasm differs from {name}.wat; run with BLESS=1 to regenerate"
    );
    committed
}

fn genesis(counter: &[u8]) -> State {
    let mut s = State::in_memory();
    s.set_balance(ALICE, 1_000_000).unwrap();
    s.deploy(COUNTER, counter).unwrap();
    let mut c = Changes::new();
    for k in ["a", "b/c", "zz"] {
        c.set_storage(ECHO, k, Some(k.as_bytes().to_vec()));
    }
    s.apply(&c).unwrap();
    s
}

struct Step {
    name: &'static str,
    /// The module's file stem; `None` runs the code stored at the address.
    code: Option<&'static str>,
    ctx: CallContext,
}

fn call(address: Address, value: u128, input: &[u8], gas_limit: u64) -> CallContext {
    CallContext {
        address,
        caller: ALICE,
        value,
        input: input.to_vec(),
        args: vec!["golden".into()],
        gas_limit,
        block: BlockContext {
            height: 42,
            time_ns: 1_750_000_000_000_000_000,
            chain_id: 7,
        },
    }
}

fn steps() -> Vec<Step> {
    let g = 10_000_000;
    vec![
        Step {
            name: "counter, first call, with value",
            code: None,
            ctx: call(COUNTER, 5, b"", g),
        },
        Step {
            name: "counter, second call",
            code: None,
            ctx: call(COUNTER, 0, b"", g),
        },
        Step {
            name: "echo with a log and a write",
            code: Some("echo_log"),
            ctx: call(ECHO, 0, b"hello, gauge", g),
        },
        Step {
            name: "revert with exit code 3",
            code: Some("revert"),
            ctx: call(ECHO, 0, b"", g),
        },
        Step {
            name: "trap",
            code: Some("trap"),
            ctx: call(ECHO, 0, b"", g),
        },
        Step {
            name: "counter out of gas",
            code: None,
            ctx: call(COUNTER, 0, b"", 500),
        },
        Step {
            name: "nested call of the counter",
            code: Some("caller"),
            ctx: call(CALLER, 0, b"", g),
        },
        Step {
            name: "directory listing",
            code: Some("listing"),
            ctx: call(ECHO, 0, b"", g),
        },
        Step {
            name: "value beyond the caller's balance",
            code: None,
            ctx: call(COUNTER, 1_000_000_000, b"", g),
        },
    ]
}

fn generate() -> String {
    let engine = Engine::new(&chain_config());
    let counter = module("counter");
    let mut state = genesis(&counter);
    let genesis_root = state.root().unwrap();
    let opts = RunOptions {
        append_receipt: true,
        witness: true,
    };
    let mut out = Vec::new();
    for step in steps() {
        let code = step.code.map(module);
        let r = match &code {
            Some(c) => run(&engine, c, &mut state, &step.ctx, &opts).unwrap(),
            None => run_account(&engine, &mut state, &step.ctx, &opts).unwrap(),
        };
        // Every call also verifies statelessly from its witness alone.
        let w = r.witness.as_ref().unwrap();
        let v = verify(
            &engine,
            code.as_deref(),
            Some(&step.ctx),
            w,
            Some(&r.receipt),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", step.name));
        assert_eq!(v.receipt, r.receipt);
        let o = &r.outcome;
        let c = &step.ctx;
        let rc = &r.receipt;
        out.push(json!({
            "name": step.name,
            "code": step.code.map_or("stored".to_string(), |n| format!("{n}.wasm")),
            "call": {
                "address": c.address.to_hex(),
                "caller": c.caller.to_hex(),
                "value": c.value.to_string(),
                "input_hex": hex(&c.input),
                "args": c.args,
                "gas_limit": c.gas_limit,
                "block": {
                    "height": c.block.height,
                    "time_ns": c.block.time_ns,
                    "chain_id": c.block.chain_id,
                },
            },
            "outcome": {
                "status": o.status.as_str(),
                "exit_code": o.exit_code,
                "gas_used": o.gas_used,
                "output_hex": hex(&o.output),
                "logs_hex": o.logs.iter().map(|l| hex(l)).collect::<Vec<_>>(),
                "state_root": hex(&o.state_root),
            },
            "receipt": serde_json::from_str::<Value>(&rc.to_json()).unwrap(),
            "receipt_scale_hex": hex(&rc.to_bytes()),
            "witness": {
                "reads": w.reads.len(),
                "writes": w.writes.len(),
                "directory_indexes": w.reads.iter().filter(|r| matches!(r.key, StateKey::Dir(..))).count(),
                "code": w.code.len(),
            },
        }));
    }
    assert_eq!(state.verify_receipts(), Ok(out.len() as u64));
    let doc = json!({
        "about": "Gauge golden vectors: see docs/receipts.md. Calls run in order over the genesis state; each must give exactly this receipt.",
        "schedule_id": hex(&gauge_wasi_shim::schedule_id(&engine)),
        "genesis": {
            "balances": [{ "address": ALICE.to_hex(), "balance": "1000000" }],
            "code": [{ "address": COUNTER.to_hex(), "code": "counter.wasm" }],
            "storage": [{ "address": ECHO.to_hex(), "entries": { "a": "a", "b/c": "b/c", "zz": "zz" } }],
            "state_root": hex(&genesis_root),
        },
        "steps": out,
        "final_state_root": hex(&state.root().unwrap()),
        "receipt_chain_head": hex(&state.receipt_head().unwrap()),
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap();
    s.push('\n');
    s
}

#[test]
fn golden_vectors() {
    let generated = generate();
    let path = dir().join("vectors.json");
    if bless() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        let first = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(committed.lines().count().min(generated.lines().count()));
        panic!(
            "tests/golden/vectors.json differs from this build at line {}:\n  committed: {:?}\n  computed:  {:?}\nrun with BLESS=1 to regenerate (only when the change is intended)",
            first + 1,
            committed.lines().nth(first),
            generated.lines().nth(first),
        );
    }
}

#[test]
fn golden_vectors_are_deterministic() {
    assert_eq!(generate(), generate());
}
