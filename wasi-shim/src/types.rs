//! The chain model's plain data: addresses, accounts, call contexts and outcomes.

use core::fmt;
use core::str::FromStr;

use parity_scale_codec::{Decode, Encode};

/// A 20-byte account address, shown as `0x` followed by 40 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Encode, Decode)]
pub struct Address(pub [u8; 20]);

impl Address {
    /// The address as `0x`-prefixed lowercase hex.
    pub fn to_hex(&self) -> String {
        format!("0x{}", hex(&self.0))
    }

    /// Parse `0x` followed by exactly 40 hex digits (either case).
    pub fn parse(s: &str) -> Option<Address> {
        let digits = s.strip_prefix("0x")?;
        let bytes = unhex(digits)?;
        Some(Address(bytes.try_into().ok()?))
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl FromStr for Address {
    type Err = ShimError;
    fn from_str(s: &str) -> Result<Self, ShimError> {
        Address::parse(s).ok_or_else(|| ShimError::Invalid(format!("not an address: {s:?}")))
    }
}

/// An account record: what the Merkle tree stores under the account's key (SCALE-encoded).
///
/// An account whose balance is 0 and whose code hash is all zeros is the same as no account:
/// the shim deletes such records, so the state root never depends on empty records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Encode, Decode)]
pub struct Account {
    /// Balance in the chain's smallest unit.
    pub balance: u128,
    /// SHA-256 of the account's Wasm code; all zeros for an account without code.
    pub code_hash: [u8; 32],
}

impl Account {
    /// Whether this record equals "no account".
    pub fn is_empty(&self) -> bool {
        self.balance == 0 && self.code_hash == [0; 32]
    }
}

/// The block a call executes in. Its SCALE encoding (three `u64`s, little-endian) is part of
/// a receipt's `call_hash`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Encode, Decode)]
pub struct BlockContext {
    /// Block height (`BLOCK_HEIGHT`).
    pub height: u64,
    /// Block timestamp in nanoseconds since the Unix epoch: what every clock returns
    /// (`BLOCK_TIME`).
    pub time_ns: u64,
    /// Chain id (`CHAIN_ID`).
    pub chain_id: u64,
}

/// Everything that defines one top-level call. Its SCALE encoding (fields in declaration
/// order) is hashed into a receipt's `call_hash` and stored in witnesses.
#[derive(Debug, Clone, PartialEq, Eq, Default, Encode, Decode)]
pub struct CallContext {
    /// The called contract (`argv[0]`).
    pub address: Address,
    /// The account that makes the call (`CALLER`).
    pub caller: Address,
    /// Value moved from `caller` to `address` before the contract runs (`VALUE`).
    pub value: u128,
    /// The call's input: what the contract reads from stdin.
    pub input: Vec<u8>,
    /// Arguments after `argv[0]`.
    pub args: Vec<String>,
    /// Gas limit of the call (`GAS_LIMIT`).
    pub gas_limit: u64,
    /// The block.
    pub block: BlockContext,
}

/// How a call ended. SCALE-encoded as one byte: 0 success, 1 revert, 2 trap, 3 out of gas,
/// 4 exhausted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Encode, Decode)]
pub enum Status {
    /// `_start` returned or called `proc_exit(0)`: state changes are committed.
    #[codec(index = 0)]
    Success,
    /// `proc_exit(n)` with `n != 0`, or the value transfer failed: state changes are dropped.
    #[codec(index = 1)]
    Revert,
    /// The program trapped: state changes are dropped.
    #[codec(index = 2)]
    Trap,
    /// The gas limit was reached: state changes are dropped.
    #[codec(index = 3)]
    OutOfGas,
    /// A resource limit (call depth, value stack, memory at instantiation) was reached: state
    /// changes are dropped.
    #[codec(index = 4)]
    Exhausted,
}

impl Status {
    /// The lowercase name used in test vectors and JSON (`success`, `revert`, `trap`,
    /// `out_of_gas`, `exhausted`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Success => "success",
            Status::Revert => "revert",
            Status::Trap => "trap",
            Status::OutOfGas => "out_of_gas",
            Status::Exhausted => "exhausted",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The result of a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallOutcome {
    /// How the call ended.
    pub status: Status,
    /// The exit code: `Some(0)` on success, `Some(n)` after `proc_exit(n)`, `None` when the
    /// program never exited (trap, out of gas, exhaustion, failed value transfer).
    pub exit_code: Option<u32>,
    /// Return data: everything written to stdout (also after a revert or trap).
    pub output: Vec<u8>,
    /// Log events: one entry per `fd_write` call on stderr. Returned whatever the status, for
    /// debugging (a Rust panic message arrives here); only a successful call's logs are events.
    pub logs: Vec<Vec<u8>>,
    /// Gas used: every charge, including translation and host-call charges (the whole limit
    /// after running out).
    pub gas_used: u64,
    /// Why the call failed, for traps, exhaustion, out of gas and failed transfers.
    pub trap: Option<String>,
    /// The state root after the call (unchanged unless the status is [`Status::Success`]).
    pub state_root: [u8; 32],
}

/// Errors of the host side: the backend failed or the request itself is invalid.
///
/// Anything the contract does wrong is a [`CallOutcome`], never a `ShimError`: a `ShimError`
/// means the call could not be executed deterministically at all and no state was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShimError {
    /// The storage backend failed (I/O, corruption).
    Backend(String),
    /// The request is invalid (bad address, bad context).
    Invalid(String),
}

impl fmt::Display for ShimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShimError::Backend(m) => write!(f, "state backend error: {m}"),
            ShimError::Invalid(m) => write!(f, "invalid request: {m}"),
        }
    }
}

impl std::error::Error for ShimError {}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Decode hex digits (either case, even length).
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let digit = |c: u8| -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    };
    s.as_bytes()
        .chunks(2)
        .map(|p| Some(digit(p[0])? << 4 | digit(p[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_hex_round_trip() {
        let a = Address::parse("0x00000000000000000000000000000000C0FFEE01").unwrap();
        assert_eq!(a.to_hex(), "0x00000000000000000000000000000000c0ffee01");
        assert!(Address::parse("0x1234").is_none());
        assert!(Address::parse("00000000000000000000000000000000c0ffee01").is_none());
    }

    #[test]
    fn account_record_is_48_bytes() {
        let a = Account {
            balance: 5,
            code_hash: [7; 32],
        };
        let enc = a.encode();
        assert_eq!(enc.len(), 48);
        assert_eq!(Account::decode(&mut &enc[..]).unwrap(), a);
    }
}
