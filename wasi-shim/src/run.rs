//! Calls with receipts and witnesses: [`run`] and [`run_account`], deployment by code hash.

use std::borrow::Cow;
use std::collections::BTreeMap;

use gauge_interpreter::{Engine, Module};

use crate::receipt::{self, Receipt, sha256};
use crate::runtime::{account_code, invalid_code, run_on};
use crate::state::{
    Backend, Journal, StateKey, effective_changes, prepare_commit, prove_ics23_current,
    update_proofs,
};
use crate::witness::{WITNESS_VERSION, Witness, WitnessRead, WitnessWrite};
use crate::{Address, CallContext, CallOutcome, ShimError, State};

/// What [`run`] and [`run_account`] record besides executing the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RunOptions {
    /// Append the call's receipt to the state's receipt chain, in the same atomic write as
    /// the call's state changes (a failed call appends its receipt alone).
    pub append_receipt: bool,
    /// Record a [`Witness`] for stateless re-execution with [`crate::verify`].
    pub witness: bool,
}

/// The result of [`run`] or [`run_account`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The call's outcome, as [`crate::execute`] returns it.
    pub outcome: CallOutcome,
    /// The call's receipt (always made; linked to the state's current chain head).
    pub receipt: Receipt,
    /// The receipt's index in the chain, when it was appended.
    pub receipt_index: Option<u64>,
    /// The witness, when asked for.
    pub witness: Option<Witness>,
}

/// The Wasm binary of `code`: binary code as it is, text (WAT) converted to binary. Code
/// hashes are always taken over the binary.
pub fn wasm_binary(code: &[u8]) -> Result<Cow<'_, [u8]>, ShimError> {
    if code.starts_with(b"\0asm") {
        return Ok(Cow::Borrowed(code));
    }
    wat::parse_bytes(code)
        .map(|b| Cow::Owned(b.into_owned()))
        .map_err(|e| ShimError::Invalid(format!("neither a Wasm binary nor valid text: {e}")))
}

/// The id of the engine's gas schedule, all zeros without metering (a receipt's
/// `schedule_id`).
pub fn schedule_id(engine: &Engine) -> [u8; 32] {
    engine.config().gas_schedule().map_or([0; 32], |s| s.id())
}

/// The address [`State::deploy_contract`] gives code with hash `code_hash` and `salt`: the last
/// 20 bytes of `SHA-256("gauge contract address v1" ‖ code_hash ‖ salt)`.
pub fn contract_address(code_hash: &[u8; 32], salt: &[u8]) -> Address {
    let mut pre = b"gauge contract address v1".to_vec();
    pre.extend_from_slice(code_hash);
    pre.extend_from_slice(salt);
    let h = sha256(&pre);
    let mut a = [0; 20];
    a.copy_from_slice(&h[12..]);
    Address(a)
}

/// Execute `code` (a Wasm binary, or text) as a top-level call of `ctx.address` over `state`,
/// as [`crate::execute`] does, and make its receipt; optionally append the receipt to the
/// state's chain and record a witness. Code that does not compile gives a
/// [`crate::Status::Trap`] outcome (and a receipt). `Err` reports backend failures and text that
/// is not WebAssembly; then nothing is written.
pub fn run(
    engine: &Engine,
    code: &[u8],
    state: &mut State,
    ctx: &CallContext,
    options: &RunOptions,
) -> Result<Run, ShimError> {
    let binary = wasm_binary(code)?;
    let code_hash = sha256(&binary);
    run_code(engine, &binary, code_hash, false, state, ctx, options)
}

/// Execute the code stored for `ctx.address` (see [`run`]). The account must have code, and
/// the code must hash to its code hash: a tampered code blob is an error and never runs. Its
/// witness carries the code, so [`crate::verify`] needs no code file.
pub fn run_account(
    engine: &Engine,
    state: &mut State,
    ctx: &CallContext,
    options: &RunOptions,
) -> Result<Run, ShimError> {
    let (code_hash, code) = account_code(state, &ctx.address)?;
    run_code(engine, &code, code_hash, true, state, ctx, options)
}

fn run_code(
    engine: &Engine,
    binary: &[u8],
    code_hash: [u8; 32],
    include_code: bool,
    state: &mut State,
    ctx: &CallContext,
    options: &RunOptions,
) -> Result<Run, ShimError> {
    let pre_root = state.root()?;
    let prev = receipt::head(state.backend())?;
    let count = receipt::count(state.backend())?;
    let mut journal = Journal::new(state.take_backend());
    if options.witness {
        journal.record();
    }
    let (result, journal) = match Module::new(engine, binary) {
        Ok(module) => run_on(engine, &module, journal, ctx),
        Err(e) => (
            Ok(crate::runtime::Executed {
                outcome: invalid_code(&e.to_string()),
                changes: None,
            }),
            journal,
        ),
    };
    let (staged, journal) = stage(result, journal, options.witness);
    let mut backend = journal.into_backend();
    let finished = staged.and_then(|staged| {
        finish(
            &mut *backend,
            staged,
            Finish {
                schedule_id: schedule_id(engine),
                code_hash,
                code: include_code.then(|| binary.to_vec()),
                ctx,
                pre_root,
                prev,
                count,
                options,
            },
        )
    });
    state.restore_backend(backend);
    finished
}

/// A call's results once the journal is done with.
struct Staged {
    outcome: CallOutcome,
    effective: Vec<(StateKey, Option<Vec<u8>>)>,
    reads: BTreeMap<StateKey, Option<Vec<u8>>>,
    code: BTreeMap<[u8; 32], Vec<u8>>,
}

fn stage(
    result: Result<crate::runtime::Executed, ShimError>,
    mut journal: Journal,
    witness: bool,
) -> (Result<Staged, ShimError>, Journal) {
    let r = (|| {
        let executed = result?;
        let effective = match executed.changes {
            Some(changes) => effective_changes(changes, |k| journal.base_value(k))?,
            None => Vec::new(),
        };
        let code = journal
            .take_recording()
            .map(|rec| rec.code)
            .unwrap_or_default();
        let reads = if witness {
            journal.backend_reads().clone()
        } else {
            BTreeMap::new()
        };
        Ok(Staged {
            outcome: executed.outcome,
            effective,
            reads,
            code,
        })
    })();
    (r, journal)
}

struct Finish<'a> {
    schedule_id: [u8; 32],
    code_hash: [u8; 32],
    code: Option<Vec<u8>>,
    ctx: &'a CallContext,
    pre_root: [u8; 32],
    prev: [u8; 32],
    count: u64,
    options: &'a RunOptions,
}

fn finish(backend: &mut dyn Backend, staged: Staged, f: Finish<'_>) -> Result<Run, ShimError> {
    let witness_parts = if f.options.witness {
        let mut reads = Vec::new();
        for (key, value) in &staged.reads {
            reads.push(WitnessRead {
                key: key.clone(),
                value: value.clone(),
                proof: prove_ics23_current(backend, key)?,
            });
        }
        let mut writes = Vec::new();
        for ((key, value), (proof, root_after)) in staged
            .effective
            .iter()
            .zip(update_proofs(backend, &staged.effective)?)
        {
            writes.push(WitnessWrite {
                key: key.clone(),
                value: value.clone(),
                proof: encode_proof(&proof)?,
                root_after,
            });
        }
        Some((reads, writes))
    } else {
        None
    };
    let (mut batch, root) = prepare_commit(backend, &staged.effective, &BTreeMap::new())?;
    let outcome = CallOutcome {
        state_root: root,
        ..staged.outcome
    };
    let receipt = Receipt::new(
        f.schedule_id,
        f.code_hash,
        f.ctx,
        f.pre_root,
        &outcome,
        f.prev,
    );
    let receipt_index = if f.options.append_receipt {
        receipt::append_ops(&mut batch, f.count, &receipt);
        Some(f.count)
    } else {
        None
    };
    if !batch.ops.is_empty() {
        backend.write(&batch)?;
    }
    let witness = witness_parts.map(|(reads, writes)| {
        let mut code = staged.code;
        if let Some(c) = f.code {
            code.insert(f.code_hash, c);
        }
        Witness {
            version: WITNESS_VERSION,
            schedule_id: f.schedule_id,
            code_hash: f.code_hash,
            call: f.ctx.clone(),
            pre_state_root: f.pre_root,
            reads,
            code: code.into_values().collect(),
            writes,
            receipt: receipt.clone(),
        }
    });
    Ok(Run {
        outcome,
        receipt,
        receipt_index,
        witness,
    })
}

/// The borsh encoding of a jmt proof, as witnesses carry it.
fn encode_proof(proof: &crate::Proof) -> Result<Vec<u8>, ShimError> {
    borsh::to_vec(proof).map_err(|e| ShimError::Backend(format!("proof encoding: {e}")))
}
