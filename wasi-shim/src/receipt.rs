//! Receipts: what every call leaves behind, and the tamper-evident chain a state keeps of them.
//!
//! A [`Receipt`] names everything that determined a call (gas schedule, code, call context,
//! pre-state root) and everything it produced (status, exit code, gas, output, logs, post-state
//! root) by hash, plus the hash of the previous receipt of the same state. Its SCALE encoding
//! is the canonical form; its hash is SHA-256 of that encoding. The layout is documented field by
//! field in `docs/receipts.md`.

use core::fmt;

use parity_scale_codec::{Decode, DecodeAll, Encode};
use sha2::{Digest, Sha256};

use crate::state::{Backend, Table, WriteBatch};
use crate::{CallContext, CallOutcome, ShimError, Status, hex};

/// The receipt format version this crate writes and accepts (the first byte of every receipt).
pub const RECEIPT_VERSION: u8 = 1;

/// The `prev_receipt_hash` of the first receipt of a chain: 32 zero bytes.
pub const GENESIS_RECEIPT_HASH: [u8; 32] = [0; 32];

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The record of one top-level call. Encoded with SCALE in field order; see `docs/receipts.md`.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct Receipt {
    /// Format version, [`RECEIPT_VERSION`].
    pub version: u8,
    /// The gas schedule's id (`gauge_metering::Schedule::id`), all zeros without metering.
    pub schedule_id: [u8; 32],
    /// SHA-256 of the contract's Wasm binary (text modules are converted to binary first).
    pub code_hash: [u8; 32],
    /// SHA-256 of the call's input (what the contract reads on stdin).
    pub input_hash: [u8; 32],
    /// SHA-256 of the SCALE encoding of the whole [`CallContext`] (address, caller, value,
    /// input, args, gas limit, block).
    pub call_hash: [u8; 32],
    /// The state root before the call.
    pub pre_state_root: [u8; 32],
    /// The state root after the call (equal to `pre_state_root` unless it succeeded and
    /// changed something).
    pub post_state_root: [u8; 32],
    /// How the call ended.
    pub status: Status,
    /// The exit code (see [`CallOutcome::exit_code`]).
    pub exit_code: Option<u32>,
    /// Gas used.
    pub gas_used: u64,
    /// SHA-256 of the output (stdout).
    pub output_hash: [u8; 32],
    /// SHA-256 of the SCALE encoding of the logs (`Vec<Vec<u8>>`: a compact count, then each
    /// entry with a compact length).
    pub logs_hash: [u8; 32],
    /// The hash of the previous receipt of the chain ([`GENESIS_RECEIPT_HASH`] for the first).
    pub prev_receipt_hash: [u8; 32],
}

impl Receipt {
    /// The receipt of a call with `outcome`, made from its inputs.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        schedule_id: [u8; 32],
        code_hash: [u8; 32],
        ctx: &CallContext,
        pre_state_root: [u8; 32],
        outcome: &CallOutcome,
        prev_receipt_hash: [u8; 32],
    ) -> Receipt {
        Receipt {
            version: RECEIPT_VERSION,
            schedule_id,
            code_hash,
            input_hash: sha256(&ctx.input),
            call_hash: call_hash(ctx),
            pre_state_root,
            post_state_root: outcome.state_root,
            status: outcome.status,
            exit_code: outcome.exit_code,
            gas_used: outcome.gas_used,
            output_hash: sha256(&outcome.output),
            logs_hash: logs_hash(&outcome.logs),
            prev_receipt_hash,
        }
    }

    /// The canonical SCALE encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.encode()
    }

    /// Decode a SCALE-encoded receipt: every byte must be used and the version must be
    /// [`RECEIPT_VERSION`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Receipt, ShimError> {
        decode_versioned(bytes, "receipt", RECEIPT_VERSION, |r: &Receipt| r.version)
    }

    /// Read a receipt file: the raw SCALE bytes, or the same bytes as hex text (an optional
    /// `0x`, surrounding whitespace allowed).
    pub fn from_file_bytes(bytes: &[u8]) -> Result<Receipt, ShimError> {
        if let Ok(r) = Receipt::from_bytes(bytes) {
            return Ok(r);
        }
        let text = core::str::from_utf8(bytes)
            .map_err(|_| ShimError::Invalid("not a receipt (neither SCALE bytes nor hex)".into()))?
            .trim();
        let digits = text.strip_prefix("0x").unwrap_or(text);
        let raw = crate::unhex(digits).ok_or_else(|| {
            ShimError::Invalid("not a receipt (neither SCALE bytes nor hex)".into())
        })?;
        Receipt::from_bytes(&raw)
    }

    /// The receipt's hash: SHA-256 of its SCALE encoding. The next receipt's
    /// `prev_receipt_hash`.
    pub fn hash(&self) -> [u8; 32] {
        sha256(&self.encode())
    }

    /// The receipt as one JSON object (hashes and roots as lowercase hex, no `0x`).
    pub fn to_json(&self) -> String {
        format!(
            concat!(
                "{{\"version\":{},\"schedule_id\":\"{}\",\"code_hash\":\"{}\",",
                "\"input_hash\":\"{}\",\"call_hash\":\"{}\",\"pre_state_root\":\"{}\",",
                "\"post_state_root\":\"{}\",\"status\":\"{}\",\"exit_code\":{},",
                "\"gas_used\":{},\"output_hash\":\"{}\",\"logs_hash\":\"{}\",",
                "\"prev_receipt_hash\":\"{}\",\"hash\":\"{}\"}}"
            ),
            self.version,
            hex(&self.schedule_id),
            hex(&self.code_hash),
            hex(&self.input_hash),
            hex(&self.call_hash),
            hex(&self.pre_state_root),
            hex(&self.post_state_root),
            self.status,
            self.exit_code
                .map_or_else(|| "null".to_string(), |c| c.to_string()),
            self.gas_used,
            hex(&self.output_hash),
            hex(&self.logs_hash),
            hex(&self.prev_receipt_hash),
            hex(&self.hash()),
        )
    }
}

/// SHA-256 of the SCALE encoding of `ctx` (a receipt's `call_hash`).
pub fn call_hash(ctx: &CallContext) -> [u8; 32] {
    sha256(&ctx.encode())
}

/// SHA-256 of the SCALE encoding of `logs` (a receipt's `logs_hash`).
pub fn logs_hash(logs: &[Vec<u8>]) -> [u8; 32] {
    sha256(&logs.encode())
}

const COUNT: &[u8] = b"receipt_count";
const HEAD: &[u8] = b"receipt_head";

/// The number of receipts recorded in `backend`'s chain.
pub(crate) fn count(backend: &dyn Backend) -> Result<u64, ShimError> {
    match backend.get(Table::Meta, COUNT)? {
        None => Ok(0),
        Some(v) => {
            Ok(u64::from_le_bytes(v.try_into().map_err(|_| {
                ShimError::Backend("corrupt receipt count".into())
            })?))
        }
    }
}

/// The hash of the last receipt in `backend`'s chain ([`GENESIS_RECEIPT_HASH`] when empty).
pub(crate) fn head(backend: &dyn Backend) -> Result<[u8; 32], ShimError> {
    match backend.get(Table::Meta, HEAD)? {
        None => Ok(GENESIS_RECEIPT_HASH),
        Some(v) => v
            .try_into()
            .map_err(|_| ShimError::Backend("corrupt receipt head".into())),
    }
}

/// Add the writes that append `receipt` as number `index` to `batch`.
pub(crate) fn append_ops(batch: &mut WriteBatch, index: u64, receipt: &Receipt) {
    batch.put(
        Table::Receipts,
        index.to_be_bytes().to_vec(),
        receipt.to_bytes(),
    );
    batch.put(
        Table::Meta,
        COUNT.to_vec(),
        (index + 1).to_le_bytes().to_vec(),
    );
    batch.put(Table::Meta, HEAD.to_vec(), receipt.hash().to_vec());
}

/// The stored bytes of receipt `index`.
pub(crate) fn get_bytes(backend: &dyn Backend, index: u64) -> Result<Option<Vec<u8>>, ShimError> {
    backend.get(Table::Receipts, &index.to_be_bytes())
}

/// Why a receipt chain does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainError {
    /// The store could not be read.
    Backend(ShimError),
    /// The chain is broken at receipt `index`.
    Broken {
        /// The first index at which something is wrong.
        index: u64,
        /// What is wrong there.
        fault: ChainFault,
    },
}

/// What is wrong at one index of a receipt chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainFault {
    /// No receipt is stored at this index, though the chain is longer.
    Missing,
    /// A receipt is stored under a key that is not an index of the chain.
    StrayKey(Vec<u8>),
    /// The stored bytes are not a receipt.
    Undecodable(String),
    /// `prev_receipt_hash` is not the hash of the previous receipt.
    PreviousHash {
        /// The hash of the previous stored receipt (zeros for the first).
        expected: [u8; 32],
        /// What the receipt says.
        found: [u8; 32],
    },
    /// The recorded count of receipts differs from the number stored.
    Count {
        /// The recorded count.
        recorded: u64,
        /// The number of receipts stored.
        stored: u64,
    },
    /// The recorded head hash is not the hash of the last receipt.
    Head {
        /// The hash of the last stored receipt.
        expected: [u8; 32],
        /// The recorded head.
        found: [u8; 32],
    },
}

impl fmt::Display for ChainFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainFault::Missing => f.write_str("the receipt is missing"),
            ChainFault::StrayKey(k) => {
                write!(f, "a receipt is stored under the stray key {}", hex(k))
            }
            ChainFault::Undecodable(m) => write!(f, "the stored bytes are not a receipt: {m}"),
            ChainFault::PreviousHash { expected, found } => write!(
                f,
                "prev_receipt_hash is {} but the previous receipt hashes to {}",
                hex(found),
                hex(expected)
            ),
            ChainFault::Count { recorded, stored } => write!(
                f,
                "the chain records {recorded} receipts but {stored} are stored"
            ),
            ChainFault::Head { expected, found } => write!(
                f,
                "the recorded head is {} but the last receipt hashes to {}",
                hex(found),
                hex(expected)
            ),
        }
    }
}

impl fmt::Display for ChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainError::Backend(e) => write!(f, "{e}"),
            ChainError::Broken { index, fault } => {
                write!(f, "receipt chain broken at index {index}: {fault}")
            }
        }
    }
}

impl std::error::Error for ChainError {}

/// Check every link of `backend`'s chain; returns the number of receipts.
pub(crate) fn verify_chain(backend: &dyn Backend) -> Result<u64, ChainError> {
    let broken = |index: u64, fault: ChainFault| ChainError::Broken { index, fault };
    let recorded = count(backend).map_err(ChainError::Backend)?;
    let keys = backend
        .scan(Table::Receipts, &[], &[], usize::MAX)
        .map_err(ChainError::Backend)?;
    let mut prev = GENESIS_RECEIPT_HASH;
    let mut stored = 0u64;
    for key in &keys {
        let Ok(k) = <[u8; 8]>::try_from(key.as_slice()) else {
            return Err(broken(stored, ChainFault::StrayKey(key.clone())));
        };
        let index = u64::from_be_bytes(k);
        if index != stored {
            // Keys are scanned in order, so a gap means `stored` is missing.
            return Err(broken(stored, ChainFault::Missing));
        }
        let bytes = get_bytes(backend, index)
            .map_err(ChainError::Backend)?
            .ok_or_else(|| broken(index, ChainFault::Missing))?;
        let r = Receipt::from_bytes(&bytes)
            .map_err(|e| broken(index, ChainFault::Undecodable(e.to_string())))?;
        if r.prev_receipt_hash != prev {
            return Err(broken(
                index,
                ChainFault::PreviousHash {
                    expected: prev,
                    found: r.prev_receipt_hash,
                },
            ));
        }
        prev = sha256(&bytes);
        stored += 1;
    }
    if recorded != stored {
        return Err(broken(
            recorded.min(stored),
            ChainFault::Count { recorded, stored },
        ));
    }
    let found = head(backend).map_err(ChainError::Backend)?;
    if found != prev {
        return Err(broken(
            stored.saturating_sub(1),
            ChainFault::Head {
                expected: prev,
                found,
            },
        ));
    }
    Ok(stored)
}

/// Decode a versioned SCALE encoding strictly: every byte must be used and the version (read
/// by `version` from the decoded value) must be `expected`. `what` names the format in errors.
pub(crate) fn decode_versioned<T: DecodeAll>(
    bytes: &[u8],
    what: &str,
    expected: u8,
    version: impl Fn(&T) -> u8,
) -> Result<T, ShimError> {
    let value = T::decode_all(&mut &bytes[..])
        .map_err(|e| ShimError::Invalid(format!("not a {what} encoding: {e}")))?;
    match version(&value) {
        v if v == expected => Ok(value),
        v => Err(ShimError::Invalid(format!(
            "unsupported {what} version {v} (this build reads version {expected})"
        ))),
    }
}
