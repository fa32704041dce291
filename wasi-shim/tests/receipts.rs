//! Receipts, the receipt chain, code by hash, witnesses and stateless verification, with
//! tampering of every byte of each encoding.

use gauge_interpreter::Engine;
use gauge_wasi_shim::state::{MemBackend, Table, WriteBatch};
use gauge_wasi_shim::{
    Address, BlockContext, CallContext, ChainError, ChainFault, GENESIS_RECEIPT_HASH, Receipt,
    RunOptions, State, StateKey, Status, VerifyError, Witness, chain_config, execute_account, run,
    run_account, verify,
};
use parity_scale_codec::{Decode, Encode};
use proptest::prelude::*;

const COUNTER_ADDR: Address = Address([
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0c, 0x0c, 0x0c,
]);
const ALICE: Address = Address([0xa1; 20]);
const ECHO: Address = Address([0xec; 20]);

fn golden(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/golden/{name}.wat",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn engine() -> Engine {
    Engine::new(&chain_config())
}

fn ctx(address: Address, input: &[u8]) -> CallContext {
    CallContext {
        address,
        caller: ALICE,
        value: 0,
        input: input.to_vec(),
        args: vec!["a1".into()],
        gas_limit: 10_000_000,
        block: BlockContext {
            height: 7,
            time_ns: 1_700_000_000_000_000_000,
            chain_id: 1,
        },
    }
}

const BOTH: RunOptions = RunOptions {
    append_receipt: true,
    witness: true,
};

/// A state with Alice's balance and the counter deployed, and some storage.
fn genesis() -> State {
    let mut s = State::in_memory();
    s.set_balance(ALICE, 1_000_000).unwrap();
    let counter = golden("counter");
    s.deploy(
        COUNTER_ADDR,
        &gauge_wasi_shim::wasm_binary(&counter).unwrap(),
    )
    .unwrap();
    let mut c = gauge_wasi_shim::Changes::new();
    for k in ["a", "b/c", "zz"] {
        c.set_storage(ECHO, k, Some(k.as_bytes().to_vec()));
    }
    s.apply(&c).unwrap();
    s
}

#[test]
fn receipts_chain_and_verify() {
    let e = engine();
    let mut s = genesis();
    let runs = [
        run_account(&e, &mut s, &ctx(COUNTER_ADDR, b""), &BOTH).unwrap(),
        run(&e, &golden("echo_log"), &mut s, &ctx(ECHO, b"hi"), &BOTH).unwrap(),
        run(&e, &golden("revert"), &mut s, &ctx(ECHO, b""), &BOTH).unwrap(),
        run(&e, &golden("trap"), &mut s, &ctx(ECHO, b""), &BOTH).unwrap(),
    ];
    let statuses: Vec<_> = runs.iter().map(|r| r.outcome.status).collect();
    assert_eq!(
        statuses,
        [
            Status::Success,
            Status::Success,
            Status::Revert,
            Status::Trap
        ]
    );
    assert_eq!(s.receipt_count().unwrap(), 4);
    assert_eq!(s.verify_receipts(), Ok(4));
    let chain = s.receipts().unwrap();
    let mut prev = GENESIS_RECEIPT_HASH;
    for (i, (r, stored)) in runs.iter().zip(&chain).enumerate() {
        assert_eq!(r.receipt_index, Some(i as u64));
        assert_eq!(&r.receipt, stored);
        assert_eq!(r.receipt.prev_receipt_hash, prev);
        prev = r.receipt.hash();
        assert_eq!(r.receipt.post_state_root, r.outcome.state_root);
    }
    assert_eq!(s.receipt_head().unwrap(), prev);
    // Failed calls leave the root alone; successes link pre to post.
    assert_eq!(chain[2].pre_state_root, chain[2].post_state_root);
    assert_eq!(chain[1].pre_state_root, chain[0].post_state_root);
    assert_eq!(chain[2].exit_code, Some(3));
    // Every witness verifies statelessly, against its own receipt and the stored one.
    for (i, r) in runs.iter().enumerate() {
        let w = r.witness.as_ref().unwrap();
        let code = match i {
            0 => None,
            1 => Some(golden("echo_log")),
            2 => Some(golden("revert")),
            _ => Some(golden("trap")),
        };
        let v = verify(&e, code.as_deref(), Some(&w.call), w, Some(&chain[i]))
            .unwrap_or_else(|e| panic!("call {i}: {e}"));
        assert_eq!(v.receipt, chain[i]);
        assert_eq!(v.outcome.output, r.outcome.output);
    }
}

#[test]
fn runs_without_options_append_nothing() {
    let e = engine();
    let mut s = genesis();
    let r = run_account(&e, &mut s, &ctx(COUNTER_ADDR, b""), &RunOptions::default()).unwrap();
    assert!(r.witness.is_none() && r.receipt_index.is_none());
    assert_eq!(s.receipt_count().unwrap(), 0);
    assert_eq!(r.receipt.prev_receipt_hash, GENESIS_RECEIPT_HASH);
    assert_eq!(r.outcome.output, 1u64.to_le_bytes());
}

#[test]
fn receipt_chain_persists_in_redb() {
    let dir = std::env::temp_dir().join(format!("gauge-receipts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.redb");
    let _ = std::fs::remove_file(&path);
    let e = engine();
    let code = golden("counter");
    let address = {
        let mut s = State::open(&path).unwrap();
        let d = s.deploy_contract(&e, &code, b"").unwrap();
        // Deploying again is idempotent.
        assert_eq!(
            s.deploy_contract(&e, &code, b"").unwrap().address,
            d.address
        );
        for _ in 0..3 {
            run_account(&e, &mut s, &ctx(d.address, b""), &BOTH).unwrap();
        }
        d.address
    };
    let s = State::open(&path).unwrap();
    assert_eq!(s.verify_receipts(), Ok(3));
    assert_eq!(
        s.storage_get(&address, b"count").unwrap().unwrap(),
        3u64.to_le_bytes()
    );
    let code_hash = s.account(&address).unwrap().code_hash;
    assert_eq!(
        code_hash,
        gauge_wasi_shim::sha256(&gauge_wasi_shim::wasm_binary(&code).unwrap())
    );
    drop(s);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Rewrite one entry of the in-memory backend.
fn poke(state: State, table: Table, key: &[u8], value: Option<Vec<u8>>) -> State {
    let mut backend = state.into_backend();
    let mut batch = WriteBatch::default();
    match value {
        Some(v) => batch.put(table, key.to_vec(), v),
        None => batch.delete(table, key.to_vec()),
    }
    backend.write(&batch).unwrap();
    State::from_backend(backend)
}

fn chain_of(n: usize) -> State {
    let e = engine();
    let mut s = genesis();
    for _ in 0..n {
        run_account(&e, &mut s, &ctx(COUNTER_ADDR, b""), &BOTH).unwrap();
    }
    s
}

#[test]
fn chain_truncation_and_removal_are_detected() {
    let s = chain_of(3);
    let last = 2u64.to_be_bytes();
    let s = poke(s, Table::Receipts, &last, None);
    assert!(matches!(
        s.verify_receipts(),
        Err(ChainError::Broken {
            index: 2,
            fault: ChainFault::Count { .. }
        })
    ));
    let s = poke(chain_of(3), Table::Receipts, &1u64.to_be_bytes(), None);
    assert_eq!(
        s.verify_receipts(),
        Err(ChainError::Broken {
            index: 1,
            fault: ChainFault::Missing
        })
    );
    let s = poke(chain_of(3), Table::Meta, b"receipt_head", Some(vec![9; 32]));
    let err = s.verify_receipts().unwrap_err();
    assert!(matches!(
        err,
        ChainError::Broken {
            index: 2,
            fault: ChainFault::Head { .. }
        }
    ));
    assert!(err.to_string().contains("index 2"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Changing any byte of any stored receipt breaks the chain at that receipt (or, for the
    /// last one, at the head).
    #[test]
    fn tampering_any_receipt_byte_is_detected(which in 0u64..3, pos in 0usize..400, xor in 1u8..=255) {
        let s = chain_of(3);
        let mut bytes = s.receipt_bytes(which).unwrap().unwrap();
        let pos = pos % bytes.len();
        bytes[pos] ^= xor;
        let s = poke(s, Table::Receipts, &which.to_be_bytes(), Some(bytes));
        match s.verify_receipts() {
            Err(ChainError::Broken { index, .. }) => prop_assert!(index == which || index == which + 1),
            other => prop_assert!(false, "tampering went unnoticed: {:?}", other),
        }
    }

    /// Receipts round-trip through SCALE, and a receipt file may be hex.
    #[test]
    fn receipt_scale_round_trip(
        fields in proptest::collection::vec(any::<[u8; 32]>(), 9),
        status in 0u8..5,
        exit in proptest::option::of(any::<u32>()),
        gas in any::<u64>(),
    ) {
        let r = Receipt {
            version: 1,
            schedule_id: fields[0],
            code_hash: fields[1],
            input_hash: fields[2],
            call_hash: fields[3],
            pre_state_root: fields[4],
            post_state_root: fields[5],
            status: Status::decode(&mut &[status][..]).unwrap(),
            exit_code: exit,
            gas_used: gas,
            output_hash: fields[6],
            logs_hash: fields[7],
            prev_receipt_hash: fields[8],
        };
        let bytes = r.to_bytes();
        prop_assert_eq!(Receipt::from_bytes(&bytes).unwrap(), r.clone());
        let hex = format!("0x{}\n", gauge_wasi_shim::hex(&bytes));
        prop_assert_eq!(Receipt::from_file_bytes(hex.as_bytes()).unwrap(), r.clone());
        prop_assert_eq!(Receipt::from_file_bytes(&bytes).unwrap(), r.clone());
        // Trailing bytes are refused.
        let mut long = bytes.clone();
        long.push(0);
        prop_assert!(Receipt::from_bytes(&long).is_err());
    }

    /// Call contexts and state keys round-trip through SCALE.
    #[test]
    fn context_and_key_round_trip(
        input in proptest::collection::vec(any::<u8>(), 0..64),
        args in proptest::collection::vec(".{0,8}", 0..4),
        value in any::<u128>(),
        key in proptest::collection::vec(any::<u8>(), 0..40),
    ) {
        let c = CallContext { input, args, value, ..ctx(ECHO, b"") };
        prop_assert_eq!(CallContext::decode(&mut &c.encode()[..]).unwrap(), c);
        for k in [StateKey::Account(ALICE), StateKey::Storage(ECHO, key.clone())] {
            prop_assert_eq!(StateKey::decode(&mut &k.encode()[..]).unwrap(), k);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Witnesses with arbitrary contents round-trip through SCALE; trailing bytes are refused.
    #[test]
    fn witness_scale_round_trip(
        bytes in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 1..6),
        root in any::<[u8; 32]>(),
    ) {
        let receipt = Receipt::from_bytes(&chain_of(1).receipt_bytes(0).unwrap().unwrap()).unwrap();
        let w = Witness {
            version: gauge_wasi_shim::WITNESS_VERSION,
            schedule_id: root,
            code_hash: root,
            call: ctx(ECHO, &bytes[0]),
            pre_state_root: root,
            reads: bytes
                .iter()
                .enumerate()
                .map(|(i, b)| gauge_wasi_shim::WitnessRead {
                    key: if i % 2 == 0 {
                        StateKey::Storage(ECHO, b.clone())
                    } else {
                        StateKey::Dir(ECHO, b.clone())
                    },
                    value: (b.len() % 2 == 0).then(|| b.clone()),
                    proof: b.clone(),
                })
                .collect(),
            code: bytes.clone(),
            writes: bytes
                .iter()
                .map(|b| gauge_wasi_shim::WitnessWrite {
                    key: StateKey::Account(ALICE),
                    value: Some(b.clone()),
                    proof: b.clone(),
                    root_after: root,
                })
                .collect(),
            receipt,
        };
        let enc = w.to_bytes();
        prop_assert_eq!(Witness::from_bytes(&enc).unwrap(), w);
        let mut long = enc;
        long.push(0);
        prop_assert!(Witness::from_bytes(&long).is_err());
    }
}

#[test]
fn status_encodings_are_fixed() {
    let all = [
        Status::Success,
        Status::Revert,
        Status::Trap,
        Status::OutOfGas,
        Status::Exhausted,
    ];
    for (i, s) in all.into_iter().enumerate() {
        assert_eq!(s.encode(), [i as u8]);
        assert_eq!(Status::decode(&mut &[i as u8][..]).unwrap(), s);
    }
    assert!(Status::decode(&mut &[5u8][..]).is_err());
}

#[test]
fn tampered_code_is_refused_not_run() {
    let e = engine();
    let s = genesis();
    let hash = s.account(&COUNTER_ADDR).unwrap().code_hash;
    let mut code = s.code(&hash).unwrap().unwrap();
    let last = code.len() - 1;
    code[last] ^= 1;
    let mut s = poke(s, Table::Code, &hash, Some(code));
    let root = s.root().unwrap();
    let err = run_account(&e, &mut s, &ctx(COUNTER_ADDR, b""), &BOTH).unwrap_err();
    assert!(err.to_string().contains("does not match its hash"), "{err}");
    let err = execute_account(&e, &mut s, &ctx(COUNTER_ADDR, b"")).unwrap_err();
    assert!(err.to_string().contains("does not match its hash"), "{err}");
    assert!(s.code(&hash).is_err());
    // A nested call to the tampered code fails the whole execution, changing nothing.
    let err = run(&e, &golden("caller"), &mut s, &ctx(ECHO, b""), &BOTH).unwrap_err();
    assert!(err.to_string().contains("does not match its hash"), "{err}");
    assert_eq!(s.root().unwrap(), root);
    assert_eq!(s.receipt_count().unwrap(), 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Changing any byte of stored code makes loading it an error.
    #[test]
    fn tampering_any_code_byte_is_detected(pos in 0usize..10_000, xor in 1u8..=255) {
        let s = genesis();
        let hash = s.account(&COUNTER_ADDR).unwrap().code_hash;
        let mut code = s.code(&hash).unwrap().unwrap();
        let pos = pos % code.len();
        code[pos] ^= xor;
        let mut s = poke(s, Table::Code, &hash, Some(code));
        prop_assert!(run_account(&engine(), &mut s, &ctx(COUNTER_ADDR, b""), &BOTH).is_err());
        prop_assert_eq!(s.receipt_count().unwrap(), 0);
    }
}

/// A call with reads, writes, a nested call, a listing and logs, and its witness.
fn rich_witness() -> (State, Witness, Vec<u8>) {
    let e = engine();
    let mut s = genesis();
    run_account(&e, &mut s, &ctx(COUNTER_ADDR, b""), &BOTH).unwrap();
    let code = golden("caller");
    let r = run(&e, &code, &mut s, &ctx(ECHO, b""), &BOTH).unwrap();
    assert_eq!(r.outcome.status, Status::Success, "{:?}", r.outcome);
    assert_eq!(r.outcome.output, 2u64.to_le_bytes());
    (s, r.witness.unwrap(), code)
}

#[test]
fn witness_of_nested_call_verifies_and_round_trips() {
    let (s, w, code) = rich_witness();
    assert!(!w.writes.is_empty());
    assert!(!w.code.is_empty(), "the callee's code is in the witness");
    let bytes = w.to_bytes();
    let back = Witness::from_bytes(&bytes).unwrap();
    assert_eq!(back, w);
    let v = verify(&engine(), Some(&code), None, &back, None).unwrap();
    assert_eq!(v.receipt.post_state_root, s.root().unwrap());
    assert_eq!(Some(v.receipt), s.receipts().unwrap().last().cloned());
}

/// A change to a directory index's entries.
type Alter = dyn Fn(&mut Vec<(Vec<u8>, u8)>);

#[test]
fn witness_with_listing_verifies() {
    let e = engine();
    let mut s = genesis();
    let code = golden("listing");
    let r = run(&e, &code, &mut s, &ctx(ECHO, b""), &BOTH).unwrap();
    assert_eq!(r.outcome.status, Status::Success);
    assert!(String::from_utf8_lossy(&r.outcome.output).contains("zz"));
    let w = r.witness.unwrap();
    // The listing is the root directory's index, read with an ICS-23 proof like any value.
    let root_index = StateKey::Dir(ECHO, Vec::new());
    let i = w.reads.iter().position(|r| r.key == root_index).unwrap();
    let index = w.reads[i].value.clone().unwrap();
    let entries = Vec::<(Vec<u8>, u8)>::decode(&mut &index[..]).unwrap();
    assert_eq!(
        entries,
        [(b"a".to_vec(), 1), (b"b".to_vec(), 2), (b"zz".to_vec(), 1)]
    );
    assert_eq!(index, s.entry(&root_index).unwrap().unwrap());
    verify(&e, Some(&code), None, &w, None).unwrap();
    // Omitting the listing.
    let mut bad = w.clone();
    bad.reads.remove(i);
    assert_eq!(
        verify(&e, Some(&code), None, &bad, None),
        Err(VerifyError::MissingRead(root_index.clone()))
    );
    // Altering it: dropping an entry, adding one, or changing a kind, keeping the proof.
    let alter = |f: &Alter| {
        let mut bad = w.clone();
        let mut e2 = entries.clone();
        f(&mut e2);
        bad.reads[i].value = Some(e2.encode());
        verify(&e, Some(&code), None, &bad, None)
    };
    for f in [
        &(|v: &mut Vec<(Vec<u8>, u8)>| {
            v.pop();
        }) as &Alter,
        &|v| v.push((b"zzz".to_vec(), 1)),
        &|v| v[1].1 = 1,
    ] {
        assert!(
            matches!(alter(f), Err(VerifyError::BadReadProof { ref key, .. }) if *key == root_index),
            "{:?}",
            alter(f)
        );
    }
    // Claiming the directory has no index at all (absent), keeping the existence proof.
    let mut bad = w.clone();
    bad.reads[i].value = None;
    assert!(matches!(
        verify(&e, Some(&code), None, &bad, None),
        Err(VerifyError::BadReadProof { .. })
    ));
}

#[test]
fn witness_omitting_a_read_is_rejected() {
    let (_, w, code) = rich_witness();
    for i in 0..w.reads.len() {
        let mut bad = w.clone();
        let key = bad.reads.remove(i).key;
        match verify(&engine(), Some(&code), None, &bad, None) {
            Err(VerifyError::MissingRead(k)) => assert_eq!(k, key),
            other => panic!("omitting {key} gave {other:?}"),
        }
    }
    // Omitting the callee's code.
    let mut bad = w.clone();
    bad.code.clear();
    assert!(matches!(
        verify(&engine(), Some(&code), None, &bad, None),
        Err(VerifyError::MissingCallee(_))
    ));
}

#[test]
fn verify_reports_precise_mismatches() {
    let (_, w, code) = rich_witness();
    let e = engine();
    let mut r = w.receipt.clone();
    r.gas_used += 1;
    let err = verify(&e, Some(&code), None, &w, Some(&r)).unwrap_err();
    assert_eq!(
        err,
        VerifyError::GasMismatch {
            expected: w.receipt.gas_used + 1,
            actual: w.receipt.gas_used
        }
    );
    assert!(err.to_string().starts_with("gas mismatch"), "{err}");
    let mut r = w.receipt.clone();
    r.post_state_root[0] ^= 1;
    assert!(matches!(
        verify(&e, Some(&code), None, &w, Some(&r)),
        Err(VerifyError::PostStateRootMismatch { .. })
    ));
    let mut r = w.receipt.clone();
    r.status = Status::Revert;
    assert!(matches!(
        verify(&e, Some(&code), None, &w, Some(&r)),
        Err(VerifyError::StatusMismatch { .. })
    ));
    let mut r = w.receipt.clone();
    r.output_hash[3] ^= 1;
    assert!(matches!(
        verify(&e, Some(&code), None, &w, Some(&r)),
        Err(VerifyError::OutputMismatch { .. })
    ));
    assert!(matches!(
        verify(&e, Some(&golden("trap")), None, &w, None),
        Err(VerifyError::CodeHashMismatch { .. })
    ));
    assert!(matches!(
        verify(&e, Some(&code), Some(&ctx(ECHO, b"other")), &w, None),
        Err(VerifyError::ContextMismatch)
    ));
    let unmetered = Engine::new(&gauge_interpreter::Config::default());
    assert!(matches!(
        verify(&unmetered, Some(&code), None, &w, None),
        Err(VerifyError::ScheduleMismatch { .. })
    ));
    // A wrong written value.
    let mut bad = w.clone();
    bad.writes[0].value = Some(b"forged".to_vec());
    assert!(matches!(
        verify(&e, Some(&code), None, &bad, None),
        Err(VerifyError::WrittenValueMismatch(_))
    ));
    let mut bad = w.clone();
    bad.writes.pop();
    assert!(matches!(
        verify(&e, Some(&code), None, &bad, None),
        Err(VerifyError::WriteSetMismatch { .. })
    ));
}

#[test]
fn witness_from_the_empty_state_verifies() {
    let e = engine();
    let mut s = State::in_memory();
    let code = golden("echo_log");
    let r = run(&e, &code, &mut s, &ctx(ECHO, b"first"), &BOTH).unwrap();
    let w = r.witness.unwrap();
    assert_eq!(w.pre_state_root, gauge_wasi_shim::EMPTY_ROOT);
    verify(&e, Some(&code), None, &w, None).unwrap();
    // Out of gas: a failed call's witness verifies too.
    let mut c = ctx(ECHO, b"x");
    c.gas_limit = 100;
    let r = run(&e, &code, &mut s, &c, &BOTH).unwrap();
    assert_eq!(r.outcome.status, Status::OutOfGas);
    verify(&e, Some(&code), None, &r.witness.unwrap(), None).unwrap();
}

/// Flip bits of byte `pos` of `w`'s encoding. Against the original receipt (what a light
/// client holds), verification must fail; without it, it must fail or vouch for another
/// receipt (whose hash then does not match the chain).
fn tamper_check(w: &Witness, code: &[u8], pos: usize, xor: u8) -> Result<(), String> {
    let mut bytes = w.to_bytes();
    let pos = pos % bytes.len();
    bytes[pos] ^= xor;
    let Ok(t) = Witness::from_bytes(&bytes) else {
        return Ok(());
    };
    if let Ok(v) = verify(&engine(), Some(code), None, &t, Some(&w.receipt)) {
        return Err(format!(
            "byte {pos} ^ {xor:#x} went unnoticed: {:?}",
            v.receipt
        ));
    }
    match verify(&engine(), Some(code), None, &t, None) {
        Ok(v) if v.receipt == w.receipt => Err(format!(
            "byte {pos} ^ {xor:#x} went unnoticed without a receipt"
        )),
        _ => Ok(()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Changing any byte of a witness (proofs, values, keys, directory indexes, code, call,
    /// receipt) makes it fail to decode or fail to verify.
    #[test]
    fn tampering_any_witness_byte_is_detected(pos in any::<usize>(), xor in 1u8..=255) {
        static W: std::sync::OnceLock<(Witness, Vec<u8>)> = std::sync::OnceLock::new();
        let (w, code) = W.get_or_init(|| {
            let (_, w, code) = rich_witness();
            (w, code)
        });
        prop_assert_eq!(tamper_check(w, code, pos, xor), Ok(()));
    }

    /// Changing any byte of a read proof (ICS-23) or an update proof (jmt) alone is detected.
    #[test]
    fn tampering_any_proof_byte_is_detected(which in any::<usize>(), pos in any::<usize>(), xor in 1u8..=255) {
        static W: std::sync::OnceLock<(Witness, Vec<u8>)> = std::sync::OnceLock::new();
        let (w, code) = W.get_or_init(|| {
            let (_, w, code) = rich_witness();
            (w, code)
        });
        let mut t = w.clone();
        let n = t.reads.len() + t.writes.len();
        let which = which % n;
        let proof = if which < t.reads.len() {
            &mut t.reads[which].proof
        } else {
            &mut t.writes[which - w.reads.len()].proof
        };
        prop_assume!(!proof.is_empty());
        let pos = pos % proof.len();
        proof[pos] ^= xor;
        prop_assert!(verify(&engine(), Some(code), None, &t, None).is_err(), "proof {} byte {} unnoticed", which, pos);
    }
}

#[test]
fn witness_bytes_every_position_small_witness() {
    // Exhaustively: every byte of a small witness (the counter from a fresh state).
    let e = engine();
    let mut s = genesis();
    let r = run_account(&e, &mut s, &ctx(COUNTER_ADDR, b""), &BOTH).unwrap();
    let w = r.witness.unwrap();
    let code = s
        .code(&s.account(&COUNTER_ADDR).unwrap().code_hash)
        .unwrap()
        .unwrap();
    let len = w.to_bytes().len();
    for pos in 0..len {
        tamper_check(&w, &code, pos, 0x01).unwrap();
    }
}

#[test]
fn a_backend_that_is_not_a_state_is_untouched_by_failed_runs() {
    // A non-WebAssembly text is an error before anything is written.
    let e = engine();
    let mut s = State::from_backend(Box::new(MemBackend::new()));
    assert!(run(&e, b"not wasm", &mut s, &ctx(ECHO, b""), &BOTH).is_err());
    assert_eq!(s.receipt_count().unwrap(), 0);
    assert!(
        s.backend()
            .scan(Table::Receipts, b"", b"", 10)
            .unwrap()
            .is_empty()
    );
}
