//! Every call vector of `shared/contracts/tests.json`, run through the library API with the
//! chain context supplying the variables.

mod common;

use std::collections::BTreeMap;

use gauge_interpreter::{Engine, Module};
use gauge_wasi_shim::{
    Account, Address, BlockContext, CallContext, CallOutcome, Changes, State, Status, chain_config,
    execute, hex, unhex,
};
use serde_json::Value;

/// Gas limit of every vector: enough for the 4 MiB SHA-256 benchmark, small enough that the
/// gas bombs end quickly.
const GAS_LIMIT: u64 = 1_000_000_000;
/// The caller's balance before each call.
const CALLER_BALANCE: u128 = 1_000_000_000;

struct Case {
    name: String,
    outcome: CallOutcome,
    storage_after: BTreeMap<Vec<u8>, Vec<u8>>,
}

fn run_case(engine: &Engine, dir: &std::path::Path, case: &Value) -> Case {
    let name = case["name"].as_str().unwrap().to_string();
    let wasm = std::fs::read(dir.join(case["wasm"].as_str().unwrap())).unwrap();
    let module = Module::new(engine, &wasm).unwrap_or_else(|e| panic!("{name}: {e}"));
    let args: Vec<String> = case["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    let env = &case["env"];
    let address = Address::parse(&args[0]).unwrap();
    let caller = Address::parse(env["CALLER"].as_str().unwrap()).unwrap();
    let ctx = CallContext {
        address,
        caller,
        value: env["VALUE"].as_str().unwrap().parse().unwrap(),
        input: case["stdin"].as_str().unwrap().as_bytes().to_vec(),
        args: args[1..].to_vec(),
        gas_limit: GAS_LIMIT,
        block: BlockContext {
            height: env["BLOCK_HEIGHT"].as_str().unwrap().parse().unwrap(),
            time_ns: case["block_time_ns"].as_str().unwrap().parse().unwrap(),
            chain_id: 1,
        },
    };
    let mut state = State::in_memory();
    let mut genesis = Changes::new();
    genesis.set_account(
        caller,
        Account {
            balance: CALLER_BALANCE,
            code_hash: [0; 32],
        },
    );
    for (k, v) in case["storage_before"].as_object().unwrap() {
        genesis.set_storage(
            address,
            k.as_bytes(),
            Some(unhex(v.as_str().unwrap()).unwrap()),
        );
    }
    state.apply(&genesis).unwrap();
    let outcome = execute(engine, &module, &mut state, &ctx).unwrap();
    assert_eq!(outcome.state_root, state.root().unwrap(), "{name}: root");
    if outcome.status == Status::Success {
        let value: u128 = ctx.value;
        assert_eq!(
            state.account(&caller).unwrap().balance,
            CALLER_BALANCE - value
        );
        assert_eq!(state.account(&address).unwrap().balance, value);
    } else {
        assert_eq!(state.account(&caller).unwrap().balance, CALLER_BALANCE);
    }
    Case {
        name,
        storage_after: state.storage(&address).unwrap(),
        outcome,
    }
}

fn short(s: &str) -> String {
    if s.len() > 80 {
        format!("{}… ({} bytes)", &s[..s.floor_char_boundary(80)], s.len())
    } else {
        s.to_string()
    }
}

/// The differences between a case's result and its expectations.
fn check(case: &Value, got: &Case) -> Vec<String> {
    let expect = &case["expect"];
    let o = &got.outcome;
    let mut errors = Vec::new();
    let want = expect["outcome"].as_str().unwrap();
    let stdout = String::from_utf8_lossy(&o.output).into_owned();
    // A memory bomb may also end with memory.grow failing before gas runs out: the program
    // then prints "memory exhausted" and exits 4 (the vector's note: treat it as a revert).
    let memory_bomb_revert = want == "exhausted"
        && case["wasm"] == "c_memory_bomb.wasm"
        && o.status == Status::Revert
        && o.exit_code == Some(4)
        && stdout == "memory exhausted\n";
    if o.status.as_str() != want && !memory_bomb_revert {
        errors.push(format!(
            "outcome {} (trap {:?}), want {want}",
            o.status, o.trap
        ));
    }
    if let Some(code) = expect["exit_code"].as_u64()
        && o.exit_code != Some(code as u32)
    {
        errors.push(format!("exit code {:?}, want {code}", o.exit_code));
    }
    for key in ["stdout", "stdout_before_trap"] {
        if let Some(s) = expect[key].as_str()
            && stdout != s
        {
            errors.push(format!("{key} {:?}, want {:?}", short(&stdout), short(s)));
        }
    }
    if let Some(t) = expect["trap"].as_str() {
        let msg = o.trap.clone().unwrap_or_default();
        if msg.is_empty() || !t.starts_with(&msg) {
            errors.push(format!("trap {msg:?}, want {t:?}"));
        }
    }
    if let Some(s) = expect["stderr_contains"].as_str() {
        let logs = String::from_utf8_lossy(&o.logs.concat()).into_owned();
        if !logs.contains(s) {
            errors.push(format!("logs {logs:?} lack {s:?}"));
        }
    }
    let want_storage: BTreeMap<Vec<u8>, Vec<u8>> = expect["storage_after"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_bytes().to_vec(), unhex(v.as_str().unwrap()).unwrap()))
        .collect();
    if got.storage_after != want_storage {
        let show = |m: &BTreeMap<Vec<u8>, Vec<u8>>| -> Vec<String> {
            m.iter()
                .map(|(k, v)| format!("{}={}", String::from_utf8_lossy(k), hex(v)))
                .collect()
        };
        errors.push(format!(
            "storage {:?}, want {:?}",
            show(&got.storage_after),
            show(&want_storage)
        ));
    }
    errors
}

#[test]
fn contract_vectors() {
    let Some(dir) = common::shared("contracts") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("tests.json")).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    let engine = Engine::new(&chain_config());
    let filter = std::env::var("CONTRACT_FILTER").unwrap_or_default();
    let (mut passed, mut skipped, mut failed) = (0, 0, Vec::new());
    for case in json["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        if !name.contains(&filter) {
            continue;
        }
        // The "bare" vectors run without CALLER, VALUE and BLOCK_HEIGHT. The chain always sets
        // them, so these cases do not apply to the chain model.
        if case["env"].as_object().unwrap().is_empty() {
            println!("skip {name}: no chain context (the chain always sets CALLER etc.)");
            skipped += 1;
            continue;
        }
        let start = std::time::Instant::now();
        let got = run_case(&engine, &dir, case);
        let errors = check(case, &got);
        println!(
            "{} {} ({}, gas {}, {:.2?})",
            if errors.is_empty() { "ok  " } else { "FAIL" },
            got.name,
            got.outcome.status,
            got.outcome.gas_used,
            start.elapsed()
        );
        if errors.is_empty() {
            passed += 1;
        } else {
            failed.push(format!("{}: {}", got.name, errors.join("; ")));
        }
    }
    println!(
        "tests.json: {passed} passed, {} failed, {skipped} skipped",
        failed.len()
    );
    assert!(failed.is_empty(), "failing vectors:\n{}", failed.join("\n"));
    if filter.is_empty() {
        assert_eq!(passed, 47, "every vector with a chain context runs");
    }
}
