//! The official WASI test suite (`shared/wasi-testsuite`, wasm32-wasip1 binaries) run as
//! contracts: each test's fixture directory is loaded into the account's storage, its
//! arguments follow `argv[0]` (the contract address), and its exit code and stdout are checked.
//!
//! Prints a table of every test with its result, and checks that exactly the expected set
//! passes: a newly failing test is a regression, a newly passing one must be added to the list.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gauge_interpreter::{Engine, Module};
use gauge_wasi_shim::{
    Address, BlockContext, CallContext, Changes, State, Status, chain_config, execute,
};
use serde_json::Value;

/// Tests that cannot pass under the chain model, with the reason. Every other test must pass.
const EXPECTED_FAILURES: &[(&str, &str)] = &[
    (
        "assemblyscript/environ_get-multiple-variables",
        "needs its own environment (a, b, c): the chain always sets exactly CALLER, VALUE, \
         BLOCK_HEIGHT, BLOCK_TIME, CHAIN_ID, GAS_LIMIT and BALANCE",
    ),
    (
        "assemblyscript/environ_sizes_get-multiple-variables",
        "needs its own environment (3 variables): the chain always sets its 7",
    ),
    (
        "assemblyscript/environ_sizes_get-no-variables",
        "needs an empty environment: the chain always sets its 7 variables",
    ),
    (
        "c/sock_shutdown-invalid_fd",
        "assumes fd 3 is unused (no preopen): on the chain fd 3 is always the storage root, \
         so sock_shutdown(3) is ENOTSOCK, not EBADF",
    ),
    (
        "rust/fd_filestat_set",
        "sets and reads back file times: storage keeps no timestamps (set_times is ENOTSUP)",
    ),
    (
        "rust/path_filestat",
        "sets and reads back file times: storage keeps no timestamps (set_times is ENOTSUP)",
    ),
    (
        "rust/nofollow_errors",
        "creates symbolic links: a key-value store has none (path_symlink is ENOTSUP)",
    ),
    (
        "rust/path_exists",
        "creates symbolic links: a key-value store has none (path_symlink is ENOTSUP)",
    ),
    (
        "rust/path_link",
        "creates hard links: a key cannot have two names (path_link is ENOTSUP)",
    ),
    (
        "rust/path_symlink_trailing_slashes",
        "creates symbolic links: a key-value store has none (path_symlink is ENOTSUP)",
    ),
    (
        "rust/readlink",
        "creates symbolic links: a key-value store has none (path_symlink is ENOTSUP)",
    ),
    (
        "rust/symlink_create",
        "creates symbolic links: a key-value store has none (path_symlink is ENOTSUP)",
    ),
    (
        "rust/symlink_filestat",
        "creates symbolic links: a key-value store has none (path_symlink is ENOTSUP)",
    ),
];

const GAS_LIMIT: u64 = 20_000_000_000;

/// Load a fixture directory into storage: files become keys, directories marker keys `dir/`.
fn load_dir(changes: &mut Changes, address: Address, root: &Path, dir: &Path) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_str()
            .unwrap()
            .replace('\\', "/");
        if path.is_dir() {
            changes.set_storage(address, format!("{rel}/"), Some(Vec::new()));
            load_dir(changes, address, root, &path);
        } else {
            changes.set_storage(address, rel, Some(std::fs::read(&path).unwrap()));
        }
    }
}

struct Outcome {
    name: String,
    pass: bool,
    detail: String,
}

fn run_test(engine: &Engine, wasm: &Path) -> Outcome {
    let name = format!(
        "{}/{}",
        wasm.parent()
            .unwrap()
            .parent()
            .unwrap()
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap(),
        wasm.file_stem().unwrap().to_str().unwrap()
    );
    let spec: Value = std::fs::read_to_string(wasm.with_extension("json"))
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap_or(Value::Null);
    let address = Address([0x7e; 20]);
    let mut genesis = Changes::new();
    if let Some(root) = spec["root"].as_str() {
        let root = wasm.parent().unwrap().join(root);
        load_dir(&mut genesis, address, &root, &root);
    }
    let mut state = State::in_memory();
    state.apply(&genesis).unwrap();
    let args = spec["args"]
        .as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default();
    let ctx = CallContext {
        address,
        caller: Address([0x11; 20]),
        value: 0,
        input: Vec::new(),
        args,
        gas_limit: GAS_LIMIT,
        block: BlockContext {
            height: 1,
            time_ns: 1_700_000_000_000_000_000,
            chain_id: 1,
        },
    };
    let module = match Module::new(engine, std::fs::read(wasm).unwrap()) {
        Ok(m) => m,
        Err(e) => {
            return Outcome {
                name,
                pass: false,
                detail: format!("does not compile: {e}"),
            };
        }
    };
    let o = execute(engine, &module, &mut state, &ctx).unwrap();
    let want_code = spec["exit_code"].as_u64().unwrap_or(0) as u32;
    // Like the suite's own runner, stdout is only checked when the spec names it.
    let want_stdout = spec["stdout"].as_str();
    let stdout = String::from_utf8_lossy(&o.output).into_owned();
    let logs = String::from_utf8_lossy(&o.logs.concat()).into_owned();
    let last_log = logs
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.contains("RUST_BACKTRACE"))
        .unwrap_or("")
        .to_string();
    let code = o.exit_code;
    let pass = matches!(o.status, Status::Success | Status::Revert)
        && code == Some(want_code)
        && want_stdout.is_none_or(|w| stdout == w);
    let detail = if pass {
        format!("gas {}", o.gas_used)
    } else if !matches!(o.status, Status::Success | Status::Revert) {
        format!(
            "{} ({}) {}",
            o.status,
            o.trap.unwrap_or_default(),
            logs.trim()
        )
    } else if code != Some(want_code) {
        format!("exit {code:?}, want {want_code}: {}", logs.trim())
    } else {
        format!("stdout {stdout:?}, want {want_stdout:?} {last_log}")
    };
    Outcome { name, pass, detail }
}

fn wasm_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for lang in ["assemblyscript", "c", "rust"] {
        let d = dir.join("tests").join(lang).join("testsuite/wasm32-wasip1");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
            .collect();
        files.sort();
        out.extend(files);
    }
    out
}

#[test]
fn wasi_testsuite() {
    let Some(dir) = common::shared("wasi-testsuite") else {
        return;
    };
    let engine = Engine::new(&chain_config());
    let filter = std::env::var("WASI_FILTER").unwrap_or_default();
    let expected: BTreeMap<&str, &str> = EXPECTED_FAILURES.iter().copied().collect();
    let mut results = Vec::new();
    for wasm in wasm_files(&dir) {
        if !wasm.to_str().unwrap().contains(&filter) {
            continue;
        }
        results.push(run_test(&engine, &wasm));
    }
    let passed = results.iter().filter(|r| r.pass).count();
    println!("\n| test | result | detail |\n|---|---|---|");
    for r in &results {
        let why = expected.get(r.name.as_str()).copied().unwrap_or("");
        println!(
            "| {} | {} | {} |",
            r.name,
            if r.pass { "pass" } else { "FAIL" },
            if r.pass {
                r.detail.clone()
            } else {
                format!("{why} — {}", r.detail.replace('\n', " / "))
            }
        );
    }
    println!(
        "\nwasi-testsuite: {passed} passed, {} failed (of {})",
        results.len() - passed,
        results.len()
    );
    let mut surprises = Vec::new();
    for r in &results {
        let listed = expected.contains_key(r.name.as_str());
        if r.pass && listed {
            surprises.push(format!(
                "{} now passes: remove it from EXPECTED_FAILURES",
                r.name
            ));
        }
        if !r.pass && !listed {
            surprises.push(format!("{} fails: {}", r.name, r.detail));
        }
    }
    assert!(surprises.is_empty(), "{}", surprises.join("\n"));
    if filter.is_empty() {
        assert_eq!(results.len(), 72, "every test binary ran");
        assert_eq!(passed, 59);
        for (name, _) in EXPECTED_FAILURES {
            assert!(
                results.iter().any(|r| r.name == *name),
                "EXPECTED_FAILURES names a test that does not exist: {name}"
            );
        }
    }
}
