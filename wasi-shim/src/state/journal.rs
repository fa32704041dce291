//! The journal: nested layers of uncommitted changes over a backend.
//!
//! Each call pushes a layer. Reads look through the layers from the top down, then at the
//! backend (through a read cache). A call that succeeds merges its layer into the one below; a
//! call that fails drops it. When the outermost layer succeeds its contents are the call's
//! change set, which [`crate::State`] commits in one atomic write.

use std::collections::BTreeMap;

use parity_scale_codec::Encode;

use super::{Backend, StateKey, decode_account, read_raw};
use crate::{Account, Address, ShimError};

type Layer = BTreeMap<StateKey, Option<Vec<u8>>>;

/// Layers of pending changes over a backend.
pub struct Journal {
    backend: Box<dyn Backend>,
    layers: Vec<Layer>,
    /// Every entry read from the backend, with the value it had there.
    cache: BTreeMap<StateKey, Option<Vec<u8>>>,
    /// What a witness needs beyond the cache, when recording.
    recording: Option<Recording>,
}

/// One key listing read from the backend's storage table (for witnesses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScanRecord {
    /// The table-level prefix (`address ‖ key prefix`).
    pub prefix: Vec<u8>,
    /// The table-level start key.
    pub from: Vec<u8>,
    /// The most keys asked for.
    pub limit: u32,
    /// The table-level keys returned.
    pub keys: Vec<Vec<u8>>,
}

/// The backend reads a witness needs beyond the entry cache.
#[derive(Debug, Clone, Default)]
pub(crate) struct Recording {
    pub scans: Vec<ScanRecord>,
    pub code: BTreeMap<[u8; 32], Vec<u8>>,
}

impl core::fmt::Debug for Journal {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Journal")
            .field("depth", &self.layers.len())
            .finish_non_exhaustive()
    }
}

impl Journal {
    /// A journal with no layers over `backend`.
    pub fn new(backend: Box<dyn Backend>) -> Self {
        Self {
            backend,
            layers: Vec::new(),
            cache: BTreeMap::new(),
            recording: None,
        }
    }

    /// Start recording listings and code reads (entry reads are always in the cache).
    pub(crate) fn record(&mut self) {
        self.recording = Some(Recording::default());
    }

    /// The recording, if [`Journal::record`] was called.
    pub(crate) fn take_recording(&mut self) -> Option<Recording> {
        self.recording.take()
    }

    /// Every entry read from the backend so far, with its value there.
    pub(crate) fn backend_reads(&self) -> &BTreeMap<StateKey, Option<Vec<u8>>> {
        &self.cache
    }

    /// The backend's value of `key`, ignoring the layers (read once, then cached).
    pub(crate) fn base_value(&mut self, key: &StateKey) -> Result<Option<Vec<u8>>, ShimError> {
        if !self.cache.contains_key(key) {
            let v = read_raw(&*self.backend, key)?;
            self.cache.insert(key.clone(), v);
        }
        Ok(self.cache[key].clone())
    }

    /// Give the backend back, dropping every pending layer.
    pub fn into_backend(self) -> Box<dyn Backend> {
        self.backend
    }

    /// Number of open layers.
    pub fn depth(&self) -> usize {
        self.layers.len()
    }

    /// Open a layer (a call starts).
    pub fn push(&mut self) {
        self.layers.push(Layer::new());
    }

    /// Close the top layer keeping its changes: they move into the layer below, or, for the
    /// last layer, are returned as the change set to commit.
    pub fn commit(&mut self) -> Option<BTreeMap<StateKey, Option<Vec<u8>>>> {
        let top = self.layers.pop().expect("commit without a layer");
        match self.layers.last_mut() {
            Some(below) => {
                below.extend(top);
                None
            }
            None => Some(top),
        }
    }

    /// Close the top layer dropping its changes.
    pub fn revert(&mut self) {
        self.layers.pop().expect("revert without a layer");
    }

    /// The current value of `key` (account records as SCALE bytes).
    pub fn get(&mut self, key: &StateKey) -> Result<Option<&Vec<u8>>, ShimError> {
        if let Some(i) = self.layers.iter().rposition(|l| l.contains_key(key)) {
            return Ok(self.layers[i][key].as_ref());
        }
        if !self.cache.contains_key(key) {
            let v = read_raw(&*self.backend, key)?;
            self.cache.insert(key.clone(), v);
        }
        Ok(self.cache[key].as_ref())
    }

    /// Set (`Some`) or delete (`None`) `key` in the top layer.
    pub fn set(&mut self, key: StateKey, value: Option<Vec<u8>>) {
        self.layers
            .last_mut()
            .expect("write without a layer")
            .insert(key, value);
    }

    /// The value of `key` for in-place modification in the top layer (created empty if the key
    /// does not exist).
    pub fn value_mut(&mut self, key: &StateKey) -> Result<&mut Vec<u8>, ShimError> {
        let top = self.layers.len() - 1;
        if !matches!(self.layers[top].get(key), Some(Some(_))) {
            let current = self.get(key)?.cloned().unwrap_or_default();
            self.layers[top].insert(key.clone(), Some(current));
        }
        Ok(self.layers[top]
            .get_mut(key)
            .and_then(Option::as_mut)
            .expect("just inserted"))
    }

    /// Code stored under `hash` (code is never written by calls, so it is read directly). Code
    /// whose SHA-256 is not `hash` is an error: it is never returned.
    pub fn code(&mut self, hash: &[u8; 32]) -> Result<Option<Vec<u8>>, ShimError> {
        let code = super::checked_code(hash, self.backend.get(super::Table::Code, hash)?)?;
        if let (Some(rec), Some(code)) = (self.recording.as_mut(), code.as_ref()) {
            rec.code.insert(*hash, code.clone());
        }
        Ok(code)
    }

    /// The account record of `address`.
    pub fn account(&mut self, address: &Address) -> Result<Account, ShimError> {
        decode_account(self.get(&StateKey::Account(*address))?.map(Vec::as_slice))
    }

    /// Replace the account record of `address`.
    pub fn set_account(&mut self, address: Address, account: Account) {
        self.set(StateKey::Account(address), Some(account.encode()));
    }

    /// The value of a storage entry.
    pub fn storage(
        &mut self,
        address: &Address,
        key: &[u8],
    ) -> Result<Option<&Vec<u8>>, ShimError> {
        self.get(&StateKey::Storage(*address, key.to_vec()))
    }

    /// Whether the top-most layer that mentions `key` (if any) says it exists.
    fn layered(&self, key: &StateKey) -> Option<bool> {
        self.layers
            .iter()
            .rev()
            .find_map(|l| l.get(key).map(Option::is_some))
    }

    /// The smallest existing storage key of `address` that starts with `prefix` and is
    /// `>= from`.
    pub fn first_key(
        &mut self,
        address: &Address,
        prefix: &[u8],
        from: &[u8],
    ) -> Result<Option<Vec<u8>>, ShimError> {
        let start: &[u8] = if from < prefix { prefix } else { from };
        // From the layers.
        let mut best: Option<Vec<u8>> = None;
        for layer in &self.layers {
            let lo = StateKey::Storage(*address, start.to_vec());
            for (k, _) in layer.range(lo..) {
                let StateKey::Storage(a, key) = k else { break };
                if a != address || !key.starts_with(prefix) {
                    break;
                }
                if best.as_ref().is_some_and(|b| key >= b) {
                    break;
                }
                if self.layered(k) == Some(true) {
                    best = Some(key.clone());
                    break;
                }
            }
        }
        // From the backend, skipping keys the layers deleted.
        let mut full_prefix = address.0.to_vec();
        full_prefix.extend_from_slice(prefix);
        let mut cursor = address.0.to_vec();
        cursor.extend_from_slice(start);
        'scan: loop {
            let keys = self
                .backend
                .scan(super::Table::Storage, &full_prefix, &cursor, 16)?;
            if let Some(rec) = self.recording.as_mut() {
                rec.scans.push(ScanRecord {
                    prefix: full_prefix.clone(),
                    from: cursor.clone(),
                    limit: 16,
                    keys: keys.clone(),
                });
            }
            let done = keys.len() < 16;
            for k in keys {
                let key = k[20..].to_vec();
                if best.as_ref().is_some_and(|b| &key >= b) {
                    break 'scan;
                }
                let sk = StateKey::Storage(*address, key.clone());
                if self.layered(&sk) != Some(false) {
                    best = Some(key);
                    break 'scan;
                }
                cursor = k;
                cursor.push(0);
            }
            if done {
                break;
            }
        }
        Ok(best)
    }

    /// Every existing storage key of `address` that starts with `prefix`, in order.
    pub fn keys_with_prefix(
        &mut self,
        address: &Address,
        prefix: &[u8],
    ) -> Result<Vec<Vec<u8>>, ShimError> {
        let mut out = Vec::new();
        let mut from = prefix.to_vec();
        while let Some(k) = self.first_key(address, prefix, &from)? {
            from = k.clone();
            from.push(0);
            out.push(k);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{MemBackend, Table, WriteBatch};

    fn a() -> Address {
        Address([1; 20])
    }

    fn sk(k: &str) -> StateKey {
        StateKey::Storage(a(), k.as_bytes().to_vec())
    }

    #[test]
    fn layers_shadow_and_merge() {
        let mut backend = MemBackend::new();
        let mut w = WriteBatch::default();
        let mut key = a().0.to_vec();
        key.extend_from_slice(b"x");
        w.put(Table::Storage, key, b"base".to_vec());
        backend.write(&w).unwrap();
        let mut j = Journal::new(Box::new(backend));
        j.push();
        assert_eq!(j.get(&sk("x")).unwrap().unwrap(), b"base");
        j.set(sk("x"), Some(b"one".to_vec()));
        j.push();
        j.set(sk("x"), None);
        assert!(j.get(&sk("x")).unwrap().is_none());
        assert_eq!(j.first_key(&a(), b"", b"").unwrap(), None);
        j.revert();
        assert_eq!(j.get(&sk("x")).unwrap().unwrap(), b"one");
        j.push();
        j.value_mut(&sk("y")).unwrap().extend_from_slice(b"new");
        assert!(j.commit().is_none());
        assert_eq!(
            j.keys_with_prefix(&a(), b"").unwrap(),
            [b"x".to_vec(), b"y".to_vec()]
        );
        let changes = j.commit().unwrap();
        assert_eq!(changes.len(), 2);
    }
}
