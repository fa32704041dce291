//! Witnesses and stateless verification.
//!
//! A [`Witness`] holds what a call needs from the state, each value with an ICS-23 Merkle proof
//! against the pre-state root, and the jmt update proofs that take the pre-state root to the
//! post-state root through the call's writes. [`verify`] re-executes the call from code, context and witness
//! alone: a backend serves only witnessed values (anything else is an error, never an empty
//! value), and the post-state root is recomputed from the update proofs. See
//! `docs/receipts.md` for the format.

use core::fmt;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use gauge_interpreter::{Engine, Module};
use jmt::proof::UpdateMerkleProof;
use jmt::{KeyHash, RootHash};
use parity_scale_codec::{Decode, Encode};
use sha2::Sha256;

use crate::receipt::{Receipt, decode_versioned, sha256};
use crate::run::{schedule_id, wasm_binary};
use crate::runtime::{Executed, invalid_code, run_on};
use crate::state::{Backend, Journal, StateKey, Table, WriteBatch, effective_changes};
use crate::{CallContext, CallOutcome, Proof, ShimError, Status, hex};

/// The witness format version this crate writes and accepts (the first byte).
pub const WITNESS_VERSION: u8 = 2;

/// One state entry the call read from the pre-state.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct WitnessRead {
    /// The entry.
    pub key: StateKey,
    /// Its value in the pre-state (`None`: absent). Account records are their 48-byte SCALE
    /// encoding.
    pub value: Option<Vec<u8>>,
    /// An ICS-23 `CommitmentProof` (protobuf-encoded) of `value` against the pre-state root:
    /// existence for a present value, non-existence for an absent one; empty only against the
    /// empty state. See [`check_read_proof`].
    pub proof: Vec<u8>,
}

/// One entry the call changed, in commit order.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct WitnessWrite {
    /// The entry.
    pub key: StateKey,
    /// Its new value (`None`: deleted).
    pub value: Option<Vec<u8>>,
    /// A jmt `SparseMerkleProof<Sha256>` (borsh-encoded) of the key's old value against the root
    /// before this write (the pre-state root for the first, else the previous `root_after`).
    pub proof: Vec<u8>,
    /// The root after this write.
    pub root_after: [u8; 32],
}

/// What a light client needs to re-execute one call without the state. SCALE-encoded in field
/// order; a witness file is exactly that encoding.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct Witness {
    /// Format version, [`WITNESS_VERSION`].
    pub version: u8,
    /// The gas schedule the call ran with.
    pub schedule_id: [u8; 32],
    /// SHA-256 of the top-level code's Wasm binary.
    pub code_hash: [u8; 32],
    /// The call.
    pub call: CallContext,
    /// The state root the proofs of `reads` are against.
    pub pre_state_root: [u8; 32],
    /// Every entry read from the pre-state, ascending by key, with proofs. Directory listings
    /// are reads of directory indexes ([`StateKey::Dir`]), proven like any other value.
    pub reads: Vec<WitnessRead>,
    /// Code loaded by hash (callees; the top-level code too for calls of stored code),
    /// ascending by hash.
    pub code: Vec<Vec<u8>>,
    /// The call's effective writes with update proofs, in commit order (ascending by key).
    pub writes: Vec<WitnessWrite>,
    /// The receipt the recording node made.
    pub receipt: Receipt,
}

impl Witness {
    /// The canonical SCALE encoding (a witness file).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.encode()
    }

    /// Decode a witness: every byte must be used and the version must be [`WITNESS_VERSION`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Witness, ShimError> {
        decode_versioned(bytes, "witness", WITNESS_VERSION, |w: &Witness| w.version)
    }

    /// The code stored in the witness under `hash`.
    pub fn code_for(&self, hash: &[u8; 32]) -> Option<&[u8]> {
        self.code
            .iter()
            .find(|c| sha256(c) == *hash)
            .map(Vec::as_slice)
    }
}

/// Check an ICS-23 proof of a read, as a witness carries it: `proof` is the protobuf encoding
/// of an ICS-23 `CommitmentProof` for [`StateKey::ics23_key`] against `root`, checked with the
/// `ics23` crate and jmt's proof spec ([`jmt::ics23_spec`]):
///
/// - `value` `Some(v)`: an existence proof of the key with value `v`;
/// - `value` `None`: a non-existence proof of the key;
/// - against the empty state's root ([`crate::state::EMPTY_ROOT`]) only an empty `proof` and
///   `None` hold (the empty tree has no leaves to prove absence with).
///
/// The encoding must be canonical (decoding and re-encoding gives the same bytes), batch and
/// compressed proofs are refused, and the proof must name exactly this key (and value), so
/// that no byte of a proof can change without the check failing.
pub fn check_read_proof(
    root: &[u8; 32],
    key: &StateKey,
    value: Option<&[u8]>,
    proof: &[u8],
) -> Result<(), String> {
    use ics23::commitment_proof::Proof as P;
    use prost::Message;
    if *root == crate::state::EMPTY_ROOT {
        return match (value, proof.is_empty()) {
            (None, true) => Ok(()),
            (Some(_), _) => Err("the empty state has no entries".into()),
            (None, false) => {
                Err("the absence of a key in the empty state takes an empty proof".into())
            }
        };
    }
    let decoded = ics23::CommitmentProof::decode(proof)
        .map_err(|e| format!("not an ICS-23 CommitmentProof: {e}"))?;
    if decoded.encode_to_vec() != proof {
        return Err("the ICS-23 proof is not canonically encoded".into());
    }
    let spec = jmt::ics23_spec();
    let ics_key = key.ics23_key();
    let root = root.to_vec();
    match (&decoded.proof, value) {
        (Some(P::Exist(e)), Some(v)) => {
            if e.key != ics_key || e.value != v {
                return Err("the existence proof names another key or value".into());
            }
            if !ics23::verify_membership::<ics23::HostFunctionsManager>(
                &decoded, &spec, &root, &ics_key, v,
            ) {
                return Err("the ICS-23 existence proof does not lead to the root".into());
            }
        }
        (Some(P::Nonexist(n)), None) => {
            if n.key != ics_key {
                return Err("the non-existence proof names another key".into());
            }
            if !ics23::verify_non_membership::<ics23::HostFunctionsManager>(
                &decoded, &spec, &root, &ics_key,
            ) {
                return Err("the ICS-23 non-existence proof does not lead to the root".into());
            }
        }
        (Some(P::Exist(_)), None) => {
            return Err("an existence proof for a value the witness says is absent".into());
        }
        (Some(P::Nonexist(_)), Some(_)) => {
            return Err("a non-existence proof for a value the witness says is present".into());
        }
        _ => return Err("only a single existence or non-existence proof is accepted".into()),
    }
    Ok(())
}

/// Decode a borsh-encoded jmt proof as witnesses carry it (every byte must be used).
pub fn decode_proof(bytes: &[u8]) -> Result<Proof, ShimError> {
    borsh::from_slice(bytes).map_err(|e| ShimError::Invalid(format!("not a Merkle proof: {e}")))
}

/// A successful stateless verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The receipt recomputed by re-execution (it equals the expected one).
    pub receipt: Receipt,
    /// The re-executed outcome, `state_root` being the recomputed post-state root.
    pub outcome: CallOutcome,
}

/// Why a witness does not verify. Every variant names what differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// The witness file is malformed.
    Malformed(String),
    /// No code was given and the witness does not carry the code it names.
    MissingCode([u8; 32]),
    /// The engine's gas schedule is not the witness's.
    ScheduleMismatch {
        /// The witness's (or expected receipt's) schedule id.
        expected: [u8; 32],
        /// The engine's.
        actual: [u8; 32],
    },
    /// The code does not hash to the witness's code hash.
    CodeHashMismatch {
        /// The witness's code hash.
        expected: [u8; 32],
        /// The given code's hash.
        actual: [u8; 32],
    },
    /// The given call context is not the witness's.
    ContextMismatch,
    /// An entry appears twice in the witness.
    DuplicateEntry(StateKey),
    /// A read's proof does not check against the pre-state root.
    BadReadProof {
        /// The entry.
        key: StateKey,
        /// jmt's reason.
        reason: String,
    },
    /// The re-execution read an entry the witness does not contain.
    MissingRead(StateKey),
    /// The re-execution loaded code (by hash) the witness does not carry.
    MissingCallee([u8; 32]),
    /// The re-execution failed for another reason.
    Execution(String),
    /// The re-execution's write set differs from the witness's at position `index`.
    WriteSetMismatch {
        /// Position in commit order.
        index: usize,
        /// The witness's entry there (`None`: the witness has fewer writes).
        witness: Option<StateKey>,
        /// The re-execution's entry there (`None`: it made fewer writes).
        actual: Option<StateKey>,
    },
    /// The re-execution wrote another value than the witness says.
    WrittenValueMismatch(StateKey),
    /// An update proof does not take the root through a write.
    BadUpdateProof {
        /// Position of the write.
        index: usize,
        /// The entry written.
        key: StateKey,
        /// jmt's reason.
        reason: String,
    },
    /// The recomputed pre-state root is not the receipt's.
    PreStateRootMismatch {
        /// The receipt's.
        expected: [u8; 32],
        /// The witness's.
        actual: [u8; 32],
    },
    /// The recomputed post-state root is not the receipt's.
    PostStateRootMismatch {
        /// The receipt's.
        expected: [u8; 32],
        /// Recomputed.
        actual: [u8; 32],
    },
    /// The call input differs from the receipt's.
    InputMismatch {
        /// The receipt's input hash.
        expected: [u8; 32],
        /// The witness call's input hash.
        actual: [u8; 32],
    },
    /// The call context differs from the receipt's.
    CallMismatch {
        /// The receipt's call hash.
        expected: [u8; 32],
        /// The witness call's hash.
        actual: [u8; 32],
    },
    /// The status differs from the receipt's.
    StatusMismatch {
        /// The receipt's.
        expected: Status,
        /// Re-executed.
        actual: Status,
    },
    /// The exit code differs from the receipt's.
    ExitCodeMismatch {
        /// The receipt's.
        expected: Option<u32>,
        /// Re-executed.
        actual: Option<u32>,
    },
    /// The gas used differs from the receipt's.
    GasMismatch {
        /// The receipt's.
        expected: u64,
        /// Re-executed.
        actual: u64,
    },
    /// The output differs from the receipt's.
    OutputMismatch {
        /// The receipt's output hash.
        expected: [u8; 32],
        /// Re-executed.
        actual: [u8; 32],
    },
    /// The logs differ from the receipt's.
    LogsMismatch {
        /// The receipt's logs hash.
        expected: [u8; 32],
        /// Re-executed.
        actual: [u8; 32],
    },
    /// The receipt's previous-receipt hash is not the witness's.
    PreviousReceiptMismatch {
        /// The expected receipt's.
        expected: [u8; 32],
        /// The witness's.
        actual: [u8; 32],
    },
    /// The receipt's version is not [`crate::RECEIPT_VERSION`].
    ReceiptVersion(u8),
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use VerifyError as E;
        let h = |b: &[u8; 32]| hex(b);
        match self {
            E::Malformed(m) => write!(f, "malformed witness: {m}"),
            E::MissingCode(c) => write!(f, "no code given and the witness lacks code {}", h(c)),
            E::ScheduleMismatch { expected, actual } => write!(
                f,
                "gas schedule mismatch: expected {}, the engine has {}",
                h(expected),
                h(actual)
            ),
            E::CodeHashMismatch { expected, actual } => write!(
                f,
                "code hash mismatch: expected {}, the code hashes to {}",
                h(expected),
                h(actual)
            ),
            E::ContextMismatch => f.write_str("the call context differs from the witness's"),
            E::DuplicateEntry(k) => write!(f, "the witness lists {k} twice"),
            E::BadReadProof { key, reason } => write!(
                f,
                "the proof of {key} does not check against the pre-state root: {reason}"
            ),
            E::MissingRead(k) => write!(f, "the call read {k}, which the witness does not contain"),
            E::MissingCallee(c) => write!(
                f,
                "the call loaded code {}, which the witness does not contain",
                h(c)
            ),
            E::Execution(m) => write!(f, "re-execution failed: {m}"),
            E::WriteSetMismatch {
                index,
                witness,
                actual,
            } => {
                let show =
                    |k: &Option<StateKey>| k.as_ref().map_or("nothing".into(), |k| k.to_string());
                write!(
                    f,
                    "write {index}: the witness has {}, re-execution wrote {}",
                    show(witness),
                    show(actual)
                )
            }
            E::WrittenValueMismatch(k) => write!(
                f,
                "re-execution wrote another value to {k} than the witness records"
            ),
            E::BadUpdateProof { index, key, reason } => {
                write!(
                    f,
                    "the update proof of write {index} ({key}) fails: {reason}"
                )
            }
            E::PreStateRootMismatch { expected, actual } => write!(
                f,
                "pre-state root mismatch: the receipt has {}, the witness {}",
                h(expected),
                h(actual)
            ),
            E::PostStateRootMismatch { expected, actual } => write!(
                f,
                "post-state root mismatch: the receipt has {}, re-execution reaches {}",
                h(expected),
                h(actual)
            ),
            E::InputMismatch { expected, actual } => write!(
                f,
                "input mismatch: the receipt's input hash is {}, the witness's input hashes to {}",
                h(expected),
                h(actual)
            ),
            E::CallMismatch { expected, actual } => write!(
                f,
                "call mismatch: the receipt's call hash is {}, the witness's call hashes to {}",
                h(expected),
                h(actual)
            ),
            E::StatusMismatch { expected, actual } => write!(
                f,
                "status mismatch: the receipt has {expected}, re-execution ends {actual}"
            ),
            E::ExitCodeMismatch { expected, actual } => write!(
                f,
                "exit code mismatch: the receipt has {expected:?}, re-execution gives {actual:?}"
            ),
            E::GasMismatch { expected, actual } => write!(
                f,
                "gas mismatch: the receipt has {expected}, re-execution uses {actual}"
            ),
            E::OutputMismatch { expected, actual } => write!(
                f,
                "output mismatch: the receipt's output hash is {}, re-execution's {}",
                h(expected),
                h(actual)
            ),
            E::LogsMismatch { expected, actual } => write!(
                f,
                "logs mismatch: the receipt's logs hash is {}, re-execution's {}",
                h(expected),
                h(actual)
            ),
            E::PreviousReceiptMismatch { expected, actual } => write!(
                f,
                "previous receipt mismatch: the receipt links to {}, the witness to {}",
                h(expected),
                h(actual)
            ),
            E::ReceiptVersion(v) => write!(f, "unsupported receipt version {v}"),
        }
    }
}

impl std::error::Error for VerifyError {}

/// What the stateless backend could not serve.
#[derive(Debug, Clone)]
enum Gap {
    Entry(StateKey),
    Code([u8; 32]),
    Other(String),
}

/// A backend that serves only a witness's contents.
struct WitnessBackend {
    entries: BTreeMap<(Table, Vec<u8>), Option<Vec<u8>>>,
    code: BTreeMap<[u8; 32], Vec<u8>>,
    gap: Arc<Mutex<Option<Gap>>>,
    /// Code hashes served.
    used_code: Arc<Mutex<std::collections::BTreeSet<[u8; 32]>>>,
}

impl WitnessBackend {
    fn missing(&self, gap: Gap) -> ShimError {
        let msg = format!("not in the witness: {gap:?}");
        if let Ok(mut g) = self.gap.lock() {
            g.get_or_insert(gap);
        }
        ShimError::Backend(msg)
    }
}

impl Backend for WitnessBackend {
    fn get(&self, table: Table, key: &[u8]) -> Result<Option<Vec<u8>>, ShimError> {
        match table {
            Table::Accounts | Table::Storage | Table::Dirs => {
                match self.entries.get(&(table, key.to_vec())) {
                    Some(v) => Ok(v.clone()),
                    None => Err(self.missing(match StateKey::from_table_key(table, key) {
                        Some(k) => Gap::Entry(k),
                        None => Gap::Other(format!("malformed {} key", table.name())),
                    })),
                }
            }
            Table::Code => {
                let hash: [u8; 32] = key
                    .try_into()
                    .map_err(|_| self.missing(Gap::Other("malformed code hash".into())))?;
                match self.code.get(&hash) {
                    Some(c) => {
                        if let Ok(mut used) = self.used_code.lock() {
                            used.insert(hash);
                        }
                        Ok(Some(c.clone()))
                    }
                    None => Err(self.missing(Gap::Code(hash))),
                }
            }
            other => Err(self.missing(Gap::Other(format!(
                "a stateless call cannot read table {}",
                other.name()
            )))),
        }
    }

    fn scan(&self, table: Table, _: &[u8], _: &[u8], _: usize) -> Result<Vec<Vec<u8>>, ShimError> {
        // Calls read directory indexes, never scan the store: a scan is a bug, not a gap.
        Err(self.missing(Gap::Other(format!(
            "a stateless call cannot scan table {}",
            table.name()
        ))))
    }

    fn write(&mut self, _: &WriteBatch) -> Result<(), ShimError> {
        Err(self.missing(Gap::Other("a stateless call cannot write".into())))
    }
}

/// Re-execute a call statelessly and check it.
///
/// - `code`: the top-level Wasm binary (or text); `None` takes it from the witness (witnesses
///   of [`crate::run_account`] carry it).
/// - `ctx`: when given, it must equal the witness's call.
/// - `expected`: the receipt to check against; `None` checks against the receipt in the
///   witness.
///
/// Checks, in order: the format, the schedule and code hash, every read proof (ICS-23) against
/// the pre-state root; then re-executes over a backend that serves only witnessed
/// entries (a read of anything else is [`VerifyError::MissingRead`]); compares the write set with
/// the witness's and recomputes the post-state root through the update proofs; and finally
/// compares every receipt field. The first difference is the error.
pub fn verify(
    engine: &Engine,
    code: Option<&[u8]>,
    ctx: Option<&CallContext>,
    witness: &Witness,
    expected: Option<&Receipt>,
) -> Result<Verified, VerifyError> {
    let expected = expected.unwrap_or(&witness.receipt);
    if witness.version != WITNESS_VERSION {
        return Err(VerifyError::Malformed(format!(
            "unsupported witness version {}",
            witness.version
        )));
    }
    if expected.version != crate::RECEIPT_VERSION {
        return Err(VerifyError::ReceiptVersion(expected.version));
    }
    let actual_schedule = schedule_id(engine);
    for s in [witness.schedule_id, expected.schedule_id] {
        if s != actual_schedule {
            return Err(VerifyError::ScheduleMismatch {
                expected: s,
                actual: actual_schedule,
            });
        }
    }
    if let Some(ctx) = ctx
        && *ctx != witness.call
    {
        return Err(VerifyError::ContextMismatch);
    }
    let binary = match code {
        Some(c) => wasm_binary(c)
            .map_err(|e| VerifyError::Malformed(e.to_string()))?
            .into_owned(),
        None => witness
            .code_for(&witness.code_hash)
            .ok_or(VerifyError::MissingCode(witness.code_hash))?
            .to_vec(),
    };
    let code_hash = sha256(&binary);
    for h in [witness.code_hash, expected.code_hash] {
        if h != code_hash {
            return Err(VerifyError::CodeHashMismatch {
                expected: h,
                actual: code_hash,
            });
        }
    }
    let pre_root = witness.pre_state_root;

    // Reads: each proven against the pre-state root.
    let mut values: BTreeMap<StateKey, Option<Vec<u8>>> = BTreeMap::new();
    for r in &witness.reads {
        check_read_proof(&pre_root, &r.key, r.value.as_deref(), &r.proof).map_err(|reason| {
            VerifyError::BadReadProof {
                key: r.key.clone(),
                reason,
            }
        })?;
        if values.insert(r.key.clone(), r.value.clone()).is_some() {
            return Err(VerifyError::DuplicateEntry(r.key.clone()));
        }
    }

    let mut code_map = BTreeMap::new();
    for c in &witness.code {
        code_map.insert(sha256(c), c.clone());
    }
    let gap = Arc::new(Mutex::new(None));
    let used_code = Arc::new(Mutex::new(std::collections::BTreeSet::new()));
    let backend = WitnessBackend {
        used_code: used_code.clone(),
        entries: values
            .iter()
            .map(|(k, v)| (k.to_table_key(), v.clone()))
            .collect(),
        code: code_map,
        gap: gap.clone(),
    };
    let call = &witness.call;
    let journal = Journal::new(Box::new(backend));
    let (result, mut journal) = match Module::new(engine, &binary) {
        Ok(module) => run_on(engine, &module, journal, call),
        Err(e) => (
            Ok(Executed {
                outcome: invalid_code(&e.to_string()),
                changes: None,
            }),
            journal,
        ),
    };
    let gap_error = |e: ShimError| -> VerifyError {
        match gap.lock().ok().and_then(|g| g.clone()) {
            Some(Gap::Entry(k)) => VerifyError::MissingRead(k),
            Some(Gap::Code(h)) => VerifyError::MissingCallee(h),
            Some(Gap::Other(m)) => VerifyError::Execution(m),
            None => VerifyError::Execution(e.to_string()),
        }
    };
    let executed = result.map_err(gap_error)?;
    // Every code blob must be needed: the top-level code or a callee.
    let used = used_code.lock().map(|u| u.clone()).unwrap_or_default();
    for c in &witness.code {
        let h = sha256(c);
        if h != witness.code_hash && !used.contains(&h) {
            return Err(VerifyError::Malformed(format!(
                "the witness carries code {} that the call never loads",
                hex(&h)
            )));
        }
    }
    let effective = match executed.changes {
        Some(changes) => {
            effective_changes(changes, |k| journal.base_value(k)).map_err(gap_error)?
        }
        None => Vec::new(),
    };

    // The write set, then the root through the update proofs.
    for index in 0..effective.len().max(witness.writes.len()) {
        let (w, a) = (witness.writes.get(index), effective.get(index));
        match (w, a) {
            (Some(w), Some((k, v))) if w.key == *k => {
                if w.value != *v {
                    return Err(VerifyError::WrittenValueMismatch(k.clone()));
                }
            }
            _ => {
                return Err(VerifyError::WriteSetMismatch {
                    index,
                    witness: w.map(|w| w.key.clone()),
                    actual: a.map(|(k, _)| k.clone()),
                });
            }
        }
    }
    let mut root = pre_root;
    for (index, w) in witness.writes.iter().enumerate() {
        let bad = |reason: String| VerifyError::BadUpdateProof {
            index,
            key: w.key.clone(),
            reason,
        };
        let proof = decode_proof(&w.proof).map_err(|e| bad(e.to_string()))?;
        let old = values
            .get(&w.key)
            .ok_or_else(|| VerifyError::MissingRead(w.key.clone()))?;
        let key_hash = KeyHash(w.key.key_hash());
        // The proof must be a valid proof of the key's old value in the current tree before
        // jmt computes the new root from it.
        proof
            .verify(RootHash(root), key_hash, old.as_deref())
            .map_err(|e| bad(format!("{e:#}")))?;
        // jmt's arithmetic assumes a well-formed proof, which the check above ensures; a panic
        // in it would still be a rejected witness, never a crashed verifier.
        let updated = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            UpdateMerkleProof::<Sha256>::new(vec![proof]).verify_update(
                RootHash(root),
                RootHash(w.root_after),
                [(key_hash, w.value.as_deref())],
            )
        }))
        .map_err(|_| bad("malformed update proof".into()))?;
        updated.map_err(|e| bad(format!("{e:#}")))?;
        root = w.root_after;
    }

    let outcome = CallOutcome {
        state_root: root,
        ..executed.outcome
    };
    let receipt = Receipt::new(
        actual_schedule,
        code_hash,
        call,
        pre_root,
        &outcome,
        witness.receipt.prev_receipt_hash,
    );
    compare(expected, &receipt)?;
    compare(&witness.receipt, &receipt)?;
    Ok(Verified { receipt, outcome })
}

/// The first field in which `actual` differs from `expected`.
fn compare(expected: &Receipt, actual: &Receipt) -> Result<(), VerifyError> {
    use VerifyError as E;
    let e = expected;
    let a = actual;
    if e.input_hash != a.input_hash {
        return Err(E::InputMismatch {
            expected: e.input_hash,
            actual: a.input_hash,
        });
    }
    if e.call_hash != a.call_hash {
        return Err(E::CallMismatch {
            expected: e.call_hash,
            actual: a.call_hash,
        });
    }
    if e.pre_state_root != a.pre_state_root {
        return Err(E::PreStateRootMismatch {
            expected: e.pre_state_root,
            actual: a.pre_state_root,
        });
    }
    if e.status != a.status {
        return Err(E::StatusMismatch {
            expected: e.status,
            actual: a.status,
        });
    }
    if e.exit_code != a.exit_code {
        return Err(E::ExitCodeMismatch {
            expected: e.exit_code,
            actual: a.exit_code,
        });
    }
    if e.gas_used != a.gas_used {
        return Err(E::GasMismatch {
            expected: e.gas_used,
            actual: a.gas_used,
        });
    }
    if e.output_hash != a.output_hash {
        return Err(E::OutputMismatch {
            expected: e.output_hash,
            actual: a.output_hash,
        });
    }
    if e.logs_hash != a.logs_hash {
        return Err(E::LogsMismatch {
            expected: e.logs_hash,
            actual: a.logs_hash,
        });
    }
    if e.post_state_root != a.post_state_root {
        return Err(E::PostStateRootMismatch {
            expected: e.post_state_root,
            actual: a.post_state_root,
        });
    }
    if e.prev_receipt_hash != a.prev_receipt_hash {
        return Err(E::PreviousReceiptMismatch {
            expected: e.prev_receipt_hash,
            actual: a.prev_receipt_hash,
        });
    }
    // Every field is covered above or checked before execution; this catches any field added
    // later.
    if e != a {
        return Err(E::Malformed("the receipts differ".into()));
    }
    Ok(())
}
