//! The journal: nested layers of uncommitted changes over a backend.
//!
//! Each call pushes a layer. Reads look through the layers from the top down, then at the
//! backend (through a read cache). A call that succeeds merges its layer into the one below; a
//! call that fails drops it. When the outermost layer succeeds its contents are the call's
//! change set, which [`crate::State`] commits in one atomic write.

use std::collections::BTreeMap;

use parity_scale_codec::Encode;

use super::dirs::{self, IndexWrite};
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
    /// Directory index writes not yet charged for.
    index_writes: Vec<IndexWrite>,
}

/// The backend reads a witness needs beyond the entry cache.
#[derive(Debug, Clone, Default)]
pub(crate) struct Recording {
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
            index_writes: Vec::new(),
        }
    }

    /// Start recording code reads (entry reads are always in the cache).
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

    /// Set (`Some`) or delete (`None`) `key` in the top layer. Creating or deleting a storage
    /// key updates the directory indexes (see [`StateKey::Dir`]) in the same layer; the index
    /// writes wait in [`Journal::take_index_writes`] to be charged for.
    pub fn set(&mut self, key: StateKey, value: Option<Vec<u8>>) -> Result<(), ShimError> {
        let StateKey::Storage(address, k) = &key else {
            self.put(key, value);
            return Ok(());
        };
        let (address, k) = (*address, k.clone());
        let was = self.get(&key)?.is_some();
        let now = value.is_some();
        self.put(key, value);
        if was != now {
            let writes = dirs::update(self, &address, &k, now)?;
            self.index_writes.extend(writes);
        }
        Ok(())
    }

    /// Set or delete `key` in the top layer, with no index maintenance.
    fn put(&mut self, key: StateKey, value: Option<Vec<u8>>) {
        self.layers
            .last_mut()
            .expect("write without a layer")
            .insert(key, value);
    }

    /// The directory index writes made since the last call (deepest directory first).
    pub(crate) fn take_index_writes(&mut self) -> Vec<IndexWrite> {
        std::mem::take(&mut self.index_writes)
    }

    /// The value of `key` for in-place modification in the top layer (created empty if the key
    /// does not exist, which updates the directory indexes as [`Journal::set`] does).
    pub fn value_mut(&mut self, key: &StateKey) -> Result<&mut Vec<u8>, ShimError> {
        let top = self.layers.len() - 1;
        if !matches!(self.layers[top].get(key), Some(Some(_))) {
            match self.get(key)?.cloned() {
                Some(current) => self.put(key.clone(), Some(current)),
                None => self.set(key.clone(), Some(Vec::new()))?,
            }
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
        self.put(StateKey::Account(address), Some(account.encode()));
    }

    /// The value of a storage entry.
    pub fn storage(
        &mut self,
        address: &Address,
        key: &[u8],
    ) -> Result<Option<&Vec<u8>>, ShimError> {
        self.get(&StateKey::Storage(*address, key.to_vec()))
    }

    /// The entries of storage directory `dir` of `address` (a prefix: `""` or ending in `/`),
    /// from its index; `None` when no key starts with `dir`.
    pub(crate) fn dir_entries(
        &mut self,
        address: &Address,
        dir: &[u8],
    ) -> Result<Option<dirs::Entries>, ShimError> {
        dirs::entries(self, address, dir)
    }

    /// Every existing storage key of `address` that starts with `prefix`, in order, found
    /// through the directory indexes.
    pub fn keys_with_prefix(
        &mut self,
        address: &Address,
        prefix: &[u8],
    ) -> Result<Vec<Vec<u8>>, ShimError> {
        dirs::keys_with_prefix(self, address, prefix)
    }
}

impl dirs::View for Journal {
    fn read(&mut self, key: &StateKey) -> Result<Option<Vec<u8>>, ShimError> {
        Ok(self.get(key)?.cloned())
    }

    fn exists(&mut self, key: &StateKey) -> Result<bool, ShimError> {
        Ok(self.get(key)?.is_some())
    }

    fn write(&mut self, key: StateKey, value: Option<Vec<u8>>) {
        self.put(key, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a() -> Address {
        Address([1; 20])
    }

    fn sk(k: &str) -> StateKey {
        StateKey::Storage(a(), k.as_bytes().to_vec())
    }

    #[test]
    fn layers_shadow_and_merge() {
        let mut s = crate::State::in_memory();
        let mut c = crate::Changes::new();
        c.set_storage(a(), b"x".to_vec(), Some(b"base".to_vec()));
        s.apply(&c).unwrap();
        let mut j = Journal::new(s.into_backend());
        j.push();
        assert_eq!(j.get(&sk("x")).unwrap().unwrap(), b"base");
        j.set(sk("x"), Some(b"one".to_vec())).unwrap();
        j.push();
        j.set(sk("x"), None).unwrap();
        assert!(j.get(&sk("x")).unwrap().is_none());
        assert!(j.keys_with_prefix(&a(), b"").unwrap().is_empty());
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
        // x, y and the root directory's index.
        assert_eq!(changes.len(), 3);
    }
}
