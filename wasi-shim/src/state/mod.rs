//! Chain state: accounts and their storage, a Jellyfish Merkle Tree over both, and backends.
//!
//! # Key layout of the Merkle tree
//!
//! The tree is a [`jmt`] Jellyfish Merkle Tree with SHA-256. Its leaves are keyed by a 32-byte
//! key hash:
//!
//! | entry | key hash | value |
//! |---|---|---|
//! | account record | `SHA-256(address ‖ 0x00)` | SCALE(`balance: u128`, `code_hash: [u8; 32]`), 48 bytes |
//! | storage entry | `SHA-256(address ‖ 0x01 ‖ key)` | the stored bytes, as they are |
//! | directory index | `SHA-256(address ‖ 0x02 ‖ prefix)` | SCALE(`Vec<(name: Vec<u8>, flags: u8)>`), ascending by name |
//!
//! A directory index exists for each storage directory (prefix `""` for the root, else a path
//! and `/`) under which the account has some key; it lists the names in it, flag `1` for a key
//! (a file), `2` for a deeper prefix (a directory). The state maintains the indexes on every
//! creation and deletion of a storage key, so directory listings are values proven like any
//! other.
//!
//! The address is always 20 bytes, so the encoding is unambiguous. An empty account record
//! (balance 0, no code) is never stored. The tree's root is a function of the set of
//! (key hash, value) pairs only, never of the order of the writes that produced it. The root of
//! the empty state is jmt's placeholder hash, the ASCII bytes `SPARSE_MERKLE_PLACEHOLDER_HASH__`.
//!
//! Code is stored by hash beside the tree (table `code`); the account record commits to it
//! through `code_hash`.

mod backend;
pub(crate) mod dirs;
mod journal;
mod redb_backend;

use std::collections::BTreeMap;
use std::path::Path;

use jmt::storage::{HasPreimage, LeafNode, Node, NodeKey, TreeReader};
use jmt::{KeyHash, OwnedValue, Sha256Jmt, Version};
use parity_scale_codec::{Decode, Encode};
use sha2::{Digest, Sha256};

pub use backend::{Backend, MemBackend, Table, WriteBatch};
pub use journal::Journal;
pub use redb_backend::RedbBackend;

use crate::{Account, Address, ShimError};

/// The root of the empty state (jmt's placeholder for an empty tree).
pub const EMPTY_ROOT: [u8; 32] = *b"SPARSE_MERKLE_PLACEHOLDER_HASH__";

/// A Merkle proof of one key against a state root (jmt's sparse Merkle proof with SHA-256).
pub type Proof = jmt::proof::SparseMerkleProof<Sha256>;

/// One entry of the state: an account record or a storage entry. SCALE-encoded (in witnesses)
/// as a tag byte (0 account, 1 storage), the 20-byte address and, for storage, the key with
/// a compact length prefix.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Encode, Decode)]
pub enum StateKey {
    /// The account record of an address.
    #[codec(index = 0)]
    Account(Address),
    /// A storage entry of an address.
    #[codec(index = 1)]
    Storage(Address, Vec<u8>),
    /// The directory index of an address's storage directory, named by its prefix (`""` for
    /// the root, else its path and `/`): the SCALE encoding of the directory's entries
    /// (`Vec<(name, flags)>`, ascending; flag `1` a file, `2` a directory). Maintained by the
    /// state itself on every creation and deletion of a storage key, never written directly.
    #[codec(index = 2)]
    Dir(Address, Vec<u8>),
}

impl StateKey {
    /// The leaf key in the Merkle tree: `SHA-256(address ‖ 0x00)` for an account record,
    /// `SHA-256(address ‖ 0x01 ‖ key)` for a storage entry.
    pub fn key_hash(&self) -> [u8; 32] {
        Sha256::digest(self.ics23_key()).into()
    }

    /// The key of this entry in ICS-23 proofs: the bytes whose SHA-256 is
    /// [`StateKey::key_hash`] (`address ‖ 0x00`, `address ‖ 0x01 ‖ key` or
    /// `address ‖ 0x02 ‖ prefix`). jmt's ICS-23 spec prehashes keys with SHA-256, so proofs
    /// name entries by these bytes.
    pub fn ics23_key(&self) -> Vec<u8> {
        let mut v = Vec::new();
        match self {
            StateKey::Account(a) => {
                v.extend_from_slice(&a.0);
                v.push(0);
            }
            StateKey::Storage(a, k) => {
                v.extend_from_slice(&a.0);
                v.push(1);
                v.extend_from_slice(k);
            }
            StateKey::Dir(a, p) => {
                v.extend_from_slice(&a.0);
                v.push(2);
                v.extend_from_slice(p);
            }
        }
        v
    }

    fn table_key(&self) -> (Table, Vec<u8>) {
        match self {
            StateKey::Account(a) => (Table::Accounts, a.0.to_vec()),
            StateKey::Storage(a, k) => {
                let mut key = a.0.to_vec();
                key.extend_from_slice(k);
                (Table::Storage, key)
            }
            StateKey::Dir(a, p) => {
                let mut key = a.0.to_vec();
                key.extend_from_slice(p);
                (Table::Dirs, key)
            }
        }
    }

    fn preimage(&self) -> Vec<u8> {
        let mut v = Vec::new();
        match self {
            StateKey::Account(a) => {
                v.push(0);
                v.extend_from_slice(&a.0);
            }
            StateKey::Storage(a, k) => {
                v.push(1);
                v.extend_from_slice(&a.0);
                v.extend_from_slice(k);
            }
            StateKey::Dir(a, p) => {
                v.push(2);
                v.extend_from_slice(&a.0);
                v.extend_from_slice(p);
            }
        }
        v
    }

    fn from_preimage(bytes: &[u8]) -> Option<StateKey> {
        let (tag, rest) = bytes.split_first()?;
        let addr = Address(rest.get(..20)?.try_into().ok()?);
        match tag {
            0 if rest.len() == 20 => Some(StateKey::Account(addr)),
            1 => Some(StateKey::Storage(addr, rest[20..].to_vec())),
            2 => Some(StateKey::Dir(addr, rest[20..].to_vec())),
            _ => None,
        }
    }
}

impl core::fmt::Display for StateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            StateKey::Account(a) => write!(f, "account record of {a}"),
            StateKey::Storage(a, k) => {
                write!(f, "storage key {:?} of {a}", String::from_utf8_lossy(k))
            }
            StateKey::Dir(a, p) => {
                write!(f, "directory index {:?} of {a}", String::from_utf8_lossy(p))
            }
        }
    }
}

impl StateKey {
    /// The key's place in the backend's tables.
    pub(crate) fn from_table_key(table: Table, key: &[u8]) -> Option<StateKey> {
        let addr = Address(key.get(..20)?.try_into().ok()?);
        match table {
            Table::Accounts if key.len() == 20 => Some(StateKey::Account(addr)),
            Table::Storage => Some(StateKey::Storage(addr, key[20..].to_vec())),
            Table::Dirs => Some(StateKey::Dir(addr, key[20..].to_vec())),
            _ => None,
        }
    }

    /// The table and key under which a backend stores this entry.
    pub(crate) fn to_table_key(&self) -> (Table, Vec<u8>) {
        self.table_key()
    }
}

/// `code` as read from the store under `hash`, refused when its SHA-256 is not `hash` (a
/// tampered or corrupt code blob is never executed).
pub(crate) fn checked_code(
    hash: &[u8; 32],
    code: Option<Vec<u8>>,
) -> Result<Option<Vec<u8>>, ShimError> {
    match code {
        Some(c) if <[u8; 32]>::from(Sha256::digest(&c)) != *hash => {
            Err(ShimError::Backend(format!(
                "code stored under hash {} does not match its hash (it hashes to {}): refusing to run it",
                crate::hex(hash),
                crate::hex(&Sha256::digest(&c))
            )))
        }
        other => Ok(other),
    }
}

/// A state entry and its value (`None`: absent or deleted).
pub(crate) type Entry = (StateKey, Option<Vec<u8>>);

/// Read an entry straight from a backend (account records as their SCALE bytes).
pub(crate) fn read_raw(
    backend: &dyn Backend,
    key: &StateKey,
) -> Result<Option<Vec<u8>>, ShimError> {
    let (table, k) = key.table_key();
    backend.get(table, &k)
}

/// A batch of changes applied to a [`State`] as one commit (genesis, tests, administration).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    entries: BTreeMap<StateKey, Option<Vec<u8>>>,
    code: BTreeMap<[u8; 32], Vec<u8>>,
}

impl Changes {
    /// No changes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Set an account record (an empty record deletes the account record).
    pub fn set_account(&mut self, address: Address, account: Account) -> &mut Self {
        self.entries
            .insert(StateKey::Account(address), Some(account.encode()));
        self
    }

    /// Set (`Some`) or delete (`None`) a storage entry.
    pub fn set_storage(
        &mut self,
        address: Address,
        key: impl Into<Vec<u8>>,
        value: Option<Vec<u8>>,
    ) -> &mut Self {
        self.entries
            .insert(StateKey::Storage(address, key.into()), value);
        self
    }

    /// Store `code` by its SHA-256 hash, which is returned.
    pub fn put_code(&mut self, code: &[u8]) -> [u8; 32] {
        let hash: [u8; 32] = Sha256::digest(code).into();
        self.code.insert(hash, code.to_vec());
        hash
    }

    /// Whether there is nothing to apply.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.code.is_empty()
    }
}

/// Placeholder that stands in for a backend lent to a running call.
struct Detached;

impl Backend for Detached {
    fn get(&self, _: Table, _: &[u8]) -> Result<Option<Vec<u8>>, ShimError> {
        Err(ShimError::Backend(
            "state is in use by a running call".into(),
        ))
    }
    fn scan(&self, _: Table, _: &[u8], _: &[u8], _: usize) -> Result<Vec<Vec<u8>>, ShimError> {
        Err(ShimError::Backend(
            "state is in use by a running call".into(),
        ))
    }
    fn write(&mut self, _: &WriteBatch) -> Result<(), ShimError> {
        Err(ShimError::Backend(
            "state is in use by a running call".into(),
        ))
    }
}

/// What [`State::deploy_contract`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deployed {
    /// The contract's address.
    pub address: Address,
    /// SHA-256 of its Wasm binary.
    pub code_hash: [u8; 32],
    /// The state root after the deployment.
    pub state_root: [u8; 32],
}

/// The chain state: accounts, storage and code in a [`Backend`], with a Merkle state root.
pub struct State {
    backend: Box<dyn Backend>,
}

impl core::fmt::Debug for State {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("State").finish_non_exhaustive()
    }
}

impl State {
    /// An empty state in memory.
    pub fn in_memory() -> Self {
        Self::from_backend(Box::new(MemBackend::new()))
    }

    /// Open (or create) a persistent state in the redb file at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, ShimError> {
        Ok(Self::from_backend(Box::new(RedbBackend::open(path)?)))
    }

    /// A state over any backend.
    pub fn from_backend(backend: Box<dyn Backend>) -> Self {
        Self { backend }
    }

    /// The backend (for inspection).
    pub fn backend(&self) -> &dyn Backend {
        &*self.backend
    }

    /// Give up the state, keeping its backend (for example to put a [`Journal`] over it).
    pub fn into_backend(self) -> Box<dyn Backend> {
        self.backend
    }

    pub(crate) fn take_backend(&mut self) -> Box<dyn Backend> {
        std::mem::replace(&mut self.backend, Box::new(Detached))
    }

    pub(crate) fn restore_backend(&mut self, backend: Box<dyn Backend>) {
        self.backend = backend;
    }

    /// The state root: the Merkle root over all account records and storage entries.
    pub fn root(&self) -> Result<[u8; 32], ShimError> {
        match self.backend.get(Table::Meta, b"root")? {
            Some(r) => r
                .try_into()
                .map_err(|_| ShimError::Backend("corrupt root record".into())),
            None => Ok(EMPTY_ROOT),
        }
    }

    /// How many change sets have been committed (the Merkle tree's next version).
    pub fn version(&self) -> Result<u64, ShimError> {
        next_version(&*self.backend)
    }

    /// The account record of `address` (the empty record if there is none).
    pub fn account(&self, address: &Address) -> Result<Account, ShimError> {
        decode_account(read_raw(&*self.backend, &StateKey::Account(*address))?.as_deref())
    }

    /// The value of storage `key` of `address`.
    pub fn storage_get(&self, address: &Address, key: &[u8]) -> Result<Option<Vec<u8>>, ShimError> {
        read_raw(&*self.backend, &StateKey::Storage(*address, key.to_vec()))
    }

    /// Every storage key of `address`, in ascending byte order.
    pub fn storage_keys(&self, address: &Address) -> Result<Vec<Vec<u8>>, ShimError> {
        Ok(self
            .backend
            .scan(Table::Storage, &address.0, &[], usize::MAX)?
            .into_iter()
            .map(|k| k[20..].to_vec())
            .collect())
    }

    /// The whole storage of `address`.
    pub fn storage(&self, address: &Address) -> Result<BTreeMap<Vec<u8>, Vec<u8>>, ShimError> {
        let mut out = BTreeMap::new();
        for k in self.storage_keys(address)? {
            if let Some(v) = self.storage_get(address, &k)? {
                out.insert(k, v);
            }
        }
        Ok(out)
    }

    /// Code stored under `hash`. Code whose SHA-256 is not `hash` (a tampered store) is an
    /// error, never returned.
    pub fn code(&self, hash: &[u8; 32]) -> Result<Option<Vec<u8>>, ShimError> {
        checked_code(hash, self.backend.get(Table::Code, hash)?)
    }

    /// Apply `changes` as one commit; returns the new root.
    pub fn apply(&mut self, changes: &Changes) -> Result<[u8; 32], ShimError> {
        let entries = with_dir_indexes(&*self.backend, &changes.entries)?;
        commit(&mut *self.backend, entries, &changes.code)
    }

    /// The current value of any state entry (account records as their SCALE bytes, directory
    /// indexes as their encoding).
    pub fn entry(&self, key: &StateKey) -> Result<Option<Vec<u8>>, ShimError> {
        read_raw(&*self.backend, key)
    }

    /// Set the balance of `address` (one commit); returns the new root.
    pub fn set_balance(&mut self, address: Address, balance: u128) -> Result<[u8; 32], ShimError> {
        let mut account = self.account(&address)?;
        account.balance = balance;
        let mut c = Changes::new();
        c.set_account(address, account);
        self.apply(&c)
    }

    /// Store `code` and make it the code of `address`, keeping its balance and storage
    /// (one commit). Returns the code hash.
    pub fn deploy(&mut self, address: Address, code: &[u8]) -> Result<[u8; 32], ShimError> {
        let mut c = Changes::new();
        let hash = c.put_code(code);
        let mut account = self.account(&address)?;
        account.code_hash = hash;
        c.set_account(address, account);
        self.apply(&c)?;
        Ok(hash)
    }

    /// Store `code` (a Wasm binary or text, stored as binary) under its SHA-256 and create a
    /// contract account for it at [`crate::contract_address`]`(code_hash, salt)`, in one
    /// commit. The code must compile with `engine`. Deploying the same code with the same salt
    /// again changes nothing; an account already at that address keeps its balance and
    /// storage.
    pub fn deploy_contract(
        &mut self,
        engine: &gauge_interpreter::Engine,
        code: &[u8],
        salt: &[u8],
    ) -> Result<Deployed, ShimError> {
        let binary = crate::wasm_binary(code)?;
        gauge_interpreter::Module::new(engine, &binary)
            .map_err(|e| ShimError::Invalid(format!("the code does not compile: {e}")))?;
        let code_hash: [u8; 32] = Sha256::digest(&binary).into();
        let address = crate::contract_address(&code_hash, salt);
        let root = {
            let mut c = Changes::new();
            c.put_code(&binary);
            let mut account = self.account(&address)?;
            account.code_hash = code_hash;
            c.set_account(address, account);
            self.apply(&c)?
        };
        Ok(Deployed {
            address,
            code_hash,
            state_root: root,
        })
    }

    /// The number of receipts in the state's chain.
    pub fn receipt_count(&self) -> Result<u64, ShimError> {
        crate::receipt::count(&*self.backend)
    }

    /// The hash of the last receipt of the chain ([`crate::GENESIS_RECEIPT_HASH`] when empty):
    /// the `prev_receipt_hash` of the next call's receipt.
    pub fn receipt_head(&self) -> Result<[u8; 32], ShimError> {
        crate::receipt::head(&*self.backend)
    }

    /// The stored encoding of receipt `index`.
    pub fn receipt_bytes(&self, index: u64) -> Result<Option<Vec<u8>>, ShimError> {
        crate::receipt::get_bytes(&*self.backend, index)
    }

    /// Receipt `index`, decoded (an undecodable receipt is an error; [`State::verify_receipts`]
    /// says more).
    pub fn receipt(&self, index: u64) -> Result<Option<crate::Receipt>, ShimError> {
        self.receipt_bytes(index)?
            .map(|b| {
                crate::Receipt::from_bytes(&b)
                    .map_err(|e| ShimError::Backend(format!("receipt {index} is corrupt: {e}")))
            })
            .transpose()
    }

    /// Every receipt of the chain in order, decoded.
    pub fn receipts(&self) -> Result<Vec<crate::Receipt>, ShimError> {
        (0..self.receipt_count()?)
            .map(|i| {
                self.receipt(i)?.ok_or_else(|| {
                    ShimError::Backend(format!("receipt {i} is missing from the chain"))
                })
            })
            .collect()
    }

    /// Check every link of the receipt chain: indices contiguous from 0, each receipt
    /// decodable, each `prev_receipt_hash` the hash of the receipt before, and the recorded
    /// count and head matching. Returns the number of receipts, or the first broken index and
    /// why.
    pub fn verify_receipts(&self) -> Result<u64, crate::ChainError> {
        crate::receipt::verify_chain(&*self.backend)
    }

    /// The current value of `key` with a Merkle proof against [`State::root`]. Check it with
    /// `proof.verify(root.into(), KeyHash(key.key_hash()), value)`.
    pub fn prove(&self, key: &StateKey) -> Result<(Option<Vec<u8>>, Proof), ShimError> {
        let version = next_version(&*self.backend)?;
        let reader = NodeReader(&*self.backend);
        if version == 0 {
            return Err(ShimError::Invalid(
                "the state is empty: nothing to prove".into(),
            ));
        }
        Sha256Jmt::new(&reader)
            .get_with_proof(KeyHash(key.key_hash()), version - 1)
            .map_err(|e| ShimError::Backend(format!("merkle proof: {e:#}")))
    }
}

/// Decode an account record (absent = empty).
pub(crate) fn decode_account(bytes: Option<&[u8]>) -> Result<Account, ShimError> {
    match bytes {
        None => Ok(Account::default()),
        Some(mut b) => {
            Account::decode(&mut b).map_err(|e| ShimError::Backend(format!("corrupt account: {e}")))
        }
    }
}

fn next_version(backend: &dyn Backend) -> Result<u64, ShimError> {
    match backend.get(Table::Meta, b"version")? {
        None => Ok(0),
        Some(v) => {
            Ok(u64::from_le_bytes(v.try_into().map_err(|_| {
                ShimError::Backend("corrupt version record".into())
            })?))
        }
    }
}

/// The Merkle tree's view of a backend.
struct NodeReader<'a>(&'a dyn Backend);

fn anyhow_err(e: ShimError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

impl TreeReader for NodeReader<'_> {
    fn get_node_option(&self, node_key: &NodeKey) -> anyhow::Result<Option<Node>> {
        let key = borsh::to_vec(node_key)?;
        match self.0.get(Table::Nodes, &key).map_err(anyhow_err)? {
            None => Ok(None),
            Some(bytes) => Ok(Some(borsh::from_slice(&bytes)?)),
        }
    }

    fn get_value_option(
        &self,
        _max_version: Version,
        key_hash: KeyHash,
    ) -> anyhow::Result<Option<OwnedValue>> {
        // Only the latest version is kept, which is the only one proofs are made against.
        let Some(pre) = self
            .0
            .get(Table::Preimages, &key_hash.0)
            .map_err(anyhow_err)?
        else {
            return Ok(None);
        };
        let key =
            StateKey::from_preimage(&pre).ok_or_else(|| anyhow::anyhow!("corrupt preimage"))?;
        read_raw(self.0, &key).map_err(anyhow_err)
    }

    fn get_rightmost_leaf(&self) -> anyhow::Result<Option<(NodeKey, LeafNode)>> {
        anyhow::bail!("tree restoration is not supported by the Gauge state store")
    }
}

impl HasPreimage for NodeReader<'_> {
    /// The ICS-23 key ([`StateKey::ics23_key`]) of a leaf, for the neighbours in ICS-23
    /// non-existence proofs.
    fn preimage(&self, key_hash: KeyHash) -> anyhow::Result<Option<Vec<u8>>> {
        let Some(pre) = self
            .0
            .get(Table::Preimages, &key_hash.0)
            .map_err(anyhow_err)?
        else {
            return Ok(None);
        };
        let key =
            StateKey::from_preimage(&pre).ok_or_else(|| anyhow::anyhow!("corrupt preimage"))?;
        Ok(Some(key.ics23_key()))
    }
}

/// A change set over a backend, as the directory index maintenance sees it.
struct Overlay<'a> {
    backend: &'a dyn Backend,
    entries: BTreeMap<StateKey, Option<Vec<u8>>>,
}

impl dirs::View for Overlay<'_> {
    fn read(&mut self, key: &StateKey) -> Result<Option<Vec<u8>>, ShimError> {
        match self.entries.get(key) {
            Some(v) => Ok(v.clone()),
            None => read_raw(self.backend, key),
        }
    }

    fn exists(&mut self, key: &StateKey) -> Result<bool, ShimError> {
        Ok(self.read(key)?.is_some())
    }

    fn write(&mut self, key: StateKey, value: Option<Vec<u8>>) {
        self.entries.insert(key, value);
    }
}

/// `entries` (storage entries and account records, as [`Changes`] holds them) with the
/// directory index updates they imply over `backend`, applied in key order.
fn with_dir_indexes(
    backend: &dyn Backend,
    entries: &BTreeMap<StateKey, Option<Vec<u8>>>,
) -> Result<BTreeMap<StateKey, Option<Vec<u8>>>, ShimError> {
    let mut overlay = Overlay {
        backend,
        entries: BTreeMap::new(),
    };
    for (key, value) in entries {
        use dirs::View;
        let StateKey::Storage(address, k) = key else {
            overlay.write(key.clone(), value.clone());
            continue;
        };
        let was = overlay.exists(key)?;
        overlay.write(key.clone(), value.clone());
        if was != value.is_some() {
            dirs::update(&mut overlay, address, k, value.is_some())?;
        }
    }
    Ok(overlay.entries)
}

/// Apply a change set to `backend` in one atomic write: the storage tables, the Merkle tree's
/// new nodes (stale ones are pruned at once: only the latest tree is kept), preimages, code and
/// metadata. Entries equal to the stored value are dropped first, so a call that changes
/// nothing creates no new tree version. Returns the new root.
pub(crate) fn commit(
    backend: &mut dyn Backend,
    entries: BTreeMap<StateKey, Option<Vec<u8>>>,
    code: &BTreeMap<[u8; 32], Vec<u8>>,
) -> Result<[u8; 32], ShimError> {
    let effective = effective_changes(entries, |k| read_raw(backend, k))?;
    let (batch, root) = prepare_commit(backend, &effective, code)?;
    if !batch.ops.is_empty() {
        backend.write(&batch)?;
    }
    Ok(root)
}

/// The entries of a change set that really change the state, in key order: entries equal to
/// the current value (`current`) are dropped and an empty account record becomes a deletion.
pub(crate) fn effective_changes(
    entries: BTreeMap<StateKey, Option<Vec<u8>>>,
    mut current: impl FnMut(&StateKey) -> Result<Option<Vec<u8>>, ShimError>,
) -> Result<Vec<Entry>, ShimError> {
    let mut effective: Vec<Entry> = Vec::new();
    for (key, value) in entries {
        let value = match (&key, value) {
            (StateKey::Account(_), Some(bytes)) => {
                if decode_account(Some(&bytes))?.is_empty() {
                    None
                } else {
                    Some(bytes)
                }
            }
            (_, v) => v,
        };
        if current(&key)? != value {
            effective.push((key, value));
        }
    }
    Ok(effective)
}

/// The write batch that applies `effective` (from [`effective_changes`]) and `code` to
/// `backend`, and the root after it (the current root when nothing changes).
pub(crate) fn prepare_commit(
    backend: &dyn Backend,
    effective: &[(StateKey, Option<Vec<u8>>)],
    code: &BTreeMap<[u8; 32], Vec<u8>>,
) -> Result<(WriteBatch, [u8; 32]), ShimError> {
    let mut batch = WriteBatch::default();
    for (hash, bytes) in code {
        if backend.get(Table::Code, hash)?.is_none() {
            batch.put(Table::Code, hash.to_vec(), bytes.clone());
        }
    }
    if effective.is_empty() {
        let root = match backend.get(Table::Meta, b"root")? {
            Some(r) => r
                .try_into()
                .map_err(|_| ShimError::Backend("corrupt root record".into()))?,
            None => EMPTY_ROOT,
        };
        return Ok((batch, root));
    }
    let version = next_version(backend)?;
    let reader = NodeReader(backend);
    let (root, update) = Sha256Jmt::new(&reader)
        .put_value_set(
            effective
                .iter()
                .map(|(k, v)| (KeyHash(k.key_hash()), v.clone())),
            version,
        )
        .map_err(|e| ShimError::Backend(format!("merkle update: {e:#}")))?;
    let enc = |e: std::io::Error| ShimError::Backend(format!("node encoding: {e}"));
    for stale in &update.stale_node_index_batch {
        if !update.node_batch.nodes().contains_key(&stale.node_key) {
            batch.delete(Table::Nodes, borsh::to_vec(&stale.node_key).map_err(enc)?);
        }
    }
    for (key, node) in update.node_batch.nodes() {
        batch.put(
            Table::Nodes,
            borsh::to_vec(key).map_err(enc)?,
            borsh::to_vec(node).map_err(enc)?,
        );
    }
    for (key, value) in effective {
        let (table, k) = key.table_key();
        let hash = key.key_hash().to_vec();
        match value {
            Some(v) => {
                batch.put(table, k, v.clone());
                batch.put(Table::Preimages, hash, key.preimage());
            }
            None => {
                batch.delete(table, k);
                batch.delete(Table::Preimages, hash);
            }
        }
    }
    batch.put(
        Table::Meta,
        b"version".to_vec(),
        (version + 1).to_le_bytes().to_vec(),
    );
    batch.put(Table::Meta, b"root".to_vec(), root.0.to_vec());
    Ok((batch, root.0))
}

/// An ICS-23 `CommitmentProof` of `key` (existence with its value, or non-existence) against
/// the backend's current root, protobuf-encoded; empty when the state is empty (the empty
/// tree has no leaves to prove absence with, and its root is [`EMPTY_ROOT`]).
pub(crate) fn prove_ics23_current(
    backend: &dyn Backend,
    key: &StateKey,
) -> Result<Vec<u8>, ShimError> {
    let root = match backend.get(Table::Meta, b"root")? {
        Some(r) => {
            <[u8; 32]>::try_from(r).map_err(|_| ShimError::Backend("corrupt root record".into()))?
        }
        None => EMPTY_ROOT,
    };
    if root == EMPTY_ROOT {
        return Ok(Vec::new());
    }
    let version = next_version(backend)?;
    let reader = NodeReader(backend);
    let (_, proof) = Sha256Jmt::new(&reader)
        .get_with_ics23_proof(key.ics23_key(), version.saturating_sub(1))
        .map_err(|e| ShimError::Backend(format!("ICS-23 proof: {e:#}")))?;
    Ok(prost::Message::encode_to_vec(&proof))
}

/// Update proofs for applying `effective` one entry at a time to the backend's current tree:
/// for each entry, the proof of its key against the root before it, and the root after it.
pub(crate) fn update_proofs(
    backend: &dyn Backend,
    effective: &[(StateKey, Option<Vec<u8>>)],
) -> Result<Vec<(Proof, [u8; 32])>, ShimError> {
    if effective.is_empty() {
        return Ok(Vec::new());
    }
    let version = next_version(backend)?;
    let reader = NodeReader(backend);
    let (steps, _) = Sha256Jmt::new(&reader)
        .put_value_sets_with_proof(
            effective
                .iter()
                .map(|(k, v)| vec![(KeyHash(k.key_hash()), v.clone())]),
            version,
        )
        .map_err(|e| ShimError::Backend(format!("merkle update proof: {e:#}")))?;
    steps
        .into_iter()
        .map(|(root, update)| {
            // An update proof of one entry is a list of one sparse Merkle proof; take it apart
            // through its (stable, borsh) encoding, since jmt keeps the list private.
            let bytes = borsh::to_vec(&update)
                .map_err(|e| ShimError::Backend(format!("proof encoding: {e}")))?;
            let mut proofs: Vec<Proof> = borsh::from_slice(&bytes)
                .map_err(|e| ShimError::Backend(format!("proof encoding: {e}")))?;
            match (proofs.pop(), proofs.is_empty()) {
                (Some(p), true) => Ok((p, root.0)),
                _ => Err(ShimError::Backend(
                    "merkle update proof: expected one proof per entry".into(),
                )),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(n: u8) -> Address {
        Address([n; 20])
    }

    #[test]
    fn empty_state_has_placeholder_root() {
        let s = State::in_memory();
        assert_eq!(s.root().unwrap(), EMPTY_ROOT);
        assert_eq!(s.version().unwrap(), 0);
    }

    #[test]
    fn deleting_everything_returns_to_the_empty_root() {
        let mut s = State::in_memory();
        let mut c = Changes::new();
        c.set_storage(addr(1), b"k".to_vec(), Some(b"v".to_vec()));
        c.set_account(
            addr(2),
            Account {
                balance: 9,
                code_hash: [0; 32],
            },
        );
        let r1 = s.apply(&c).unwrap();
        assert_ne!(r1, EMPTY_ROOT);
        let mut d = Changes::new();
        d.set_storage(addr(1), b"k".to_vec(), None);
        d.set_account(addr(2), Account::default());
        assert_eq!(s.apply(&d).unwrap(), EMPTY_ROOT);
        assert_eq!(s.version().unwrap(), 2);
        // Only the null root node of the latest version remains.
        assert_eq!(
            s.backend().scan(Table::Nodes, b"", b"", 100).unwrap().len(),
            1
        );
    }

    #[test]
    fn no_op_commit_keeps_version() {
        let mut s = State::in_memory();
        let mut c = Changes::new();
        c.set_storage(addr(1), b"k".to_vec(), Some(b"v".to_vec()));
        let r = s.apply(&c).unwrap();
        assert_eq!(s.apply(&c).unwrap(), r);
        assert_eq!(s.version().unwrap(), 1);
    }

    #[test]
    fn proofs_verify_against_the_root() {
        let mut s = State::in_memory();
        let mut c = Changes::new();
        for i in 0..20u8 {
            c.set_storage(addr(1), vec![i], Some(vec![i; 3]));
        }
        s.apply(&c).unwrap();
        let root = jmt::RootHash(s.root().unwrap());
        let key = StateKey::Storage(addr(1), vec![7]);
        let (value, proof) = s.prove(&key).unwrap();
        assert_eq!(value.as_deref(), Some(&[7u8, 7, 7][..]));
        proof
            .verify(root, KeyHash(key.key_hash()), value.as_deref())
            .unwrap();
        let missing = StateKey::Storage(addr(1), vec![99]);
        let (value, proof) = s.prove(&missing).unwrap();
        assert!(value.is_none());
        proof
            .verify_nonexistence(root, KeyHash(missing.key_hash()))
            .unwrap();
    }
}
