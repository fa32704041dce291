//! Directory indexes: each storage directory's ordered list of entries, committed in the state.
//!
//! Storage keys are hashed in the Merkle tree, so a proof of single keys cannot show that a
//! listing of keys is complete. Instead, every directory of an account's storage tree has an
//! index entry ([`StateKey::Dir`]) that holds the names in it, ascending, each with what it
//! is. The index is a state entry like any other: it is part of the state root, a witness
//! proves it like any other value, and `fd_readdir` (and every other question of the form
//! "which keys are under this prefix") reads it instead of scanning the store.
//!
//! A directory is named by its prefix: `""` for the root, else its path and `/` (`"a/b/"`).
//! The index of prefix `P` exists exactly when some storage key of the account starts with `P`
//! (for the root: when the account has any storage key); its value is the SCALE encoding of
//! `Vec<(name: Vec<u8>, flags: u8)>`, strictly ascending by name, with flag bit `1` when the
//! key `P ‖ name` exists (a file) and bit `2` when some key starts with `P ‖ name ‖ "/"` (a
//! directory). The marker key `P` of an empty directory is no entry of it.
//!
//! Every change of a storage key from absent to present or back updates the index of its
//! directory, and of each ancestor whose directory appears or disappears with it: the work is
//! one index rewrite per directory level that changes, and the shim charges it as a storage
//! write of the index value.

use parity_scale_codec::{DecodeAll, Encode};

use super::StateKey;
use crate::{Address, ShimError};

/// Flag bit: the name is a file (a storage key).
pub(crate) const FILE: u8 = 1;
/// Flag bit: the name is a directory (a prefix of storage keys).
pub(crate) const DIR: u8 = 2;

/// A directory's entries: name and flags, strictly ascending by name.
pub(crate) type Entries = Vec<(Vec<u8>, u8)>;

/// Decode an index value strictly (ascending names, known non-zero flags, every byte used).
pub(crate) fn decode(bytes: &[u8]) -> Result<Entries, ShimError> {
    let corrupt = |why: &str| ShimError::Backend(format!("corrupt directory index: {why}"));
    let entries = Entries::decode_all(&mut &bytes[..]).map_err(|e| corrupt(&e.to_string()))?;
    if entries.windows(2).any(|w| w[0].0 >= w[1].0) {
        return Err(corrupt("names are not strictly ascending"));
    }
    if entries
        .iter()
        .any(|(_, f)| *f == 0 || *f & !(FILE | DIR) != 0)
    {
        return Err(corrupt("unknown flags"));
    }
    Ok(entries)
}

/// The directory prefix of a storage key and its name in it: `("a/b/", "x")` for `a/b/x`,
/// `("a/", "")` for the marker `a/`, `("", "x")` for `x`.
pub(crate) fn split(key: &[u8]) -> (&[u8], &[u8]) {
    match key.iter().rposition(|&b| b == b'/') {
        Some(i) => (&key[..=i], &key[i + 1..]),
        None => (&[], key),
    }
}

/// The entries the index maintenance reads and writes: a journal, or a change set over a
/// backend.
pub(crate) trait View {
    /// The current value of `key`.
    fn read(&mut self, key: &StateKey) -> Result<Option<Vec<u8>>, ShimError>;
    /// Whether `key` currently exists.
    fn exists(&mut self, key: &StateKey) -> Result<bool, ShimError>;
    /// Set or delete `key`, with no further index maintenance.
    fn write(&mut self, key: StateKey, value: Option<Vec<u8>>);
}

/// One index value written by the maintenance: its key, and its size (prefix + value bytes)
/// before and after (`None`: absent). The shim charges these as storage writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexWrite {
    /// The index entry.
    pub key: StateKey,
    /// Its size before the write.
    pub before: Option<u64>,
    /// Its size after the write.
    pub after: Option<u64>,
}

/// Update the indexes after storage key `key` of `address` appeared (`present`) or
/// disappeared (the key itself must already have its new state in `view`). Returns the index
/// writes made, deepest directory first.
pub(crate) fn update(
    view: &mut dyn View,
    address: &Address,
    key: &[u8],
    present: bool,
) -> Result<Vec<IndexWrite>, ShimError> {
    let mut writes = Vec::new();
    let (dir, name) = split(key);
    let (mut dir, mut name, mut flag) = (dir.to_vec(), name.to_vec(), FILE);
    loop {
        let ikey = StateKey::Dir(*address, dir.clone());
        let old = view.read(&ikey)?;
        let mut entries = match &old {
            Some(bytes) => decode(bytes)?,
            None => Entries::new(),
        };
        if !name.is_empty() {
            match entries.binary_search_by(|(n, _)| n.as_slice().cmp(&name)) {
                Ok(i) if present => entries[i].1 |= flag,
                Ok(i) => {
                    entries[i].1 &= !flag;
                    if entries[i].1 == 0 {
                        entries.remove(i);
                    }
                }
                Err(i) if present => entries.insert(i, (name.clone(), flag)),
                Err(_) => {
                    return Err(ShimError::Backend(format!(
                        "the directory index {} of {address} lacks {:?}: the store is corrupt \
                         or predates directory indexes",
                        String::from_utf8_lossy(&dir),
                        String::from_utf8_lossy(&name)
                    )));
                }
            }
        }
        let keep = !entries.is_empty() || view.exists(&StateKey::Storage(*address, dir.clone()))?;
        let new = keep.then(|| entries.encode());
        if new != old {
            let size = |v: &Option<Vec<u8>>| v.as_ref().map(|v| (dir.len() + v.len()) as u64);
            writes.push(IndexWrite {
                key: ikey.clone(),
                before: size(&old),
                after: size(&new),
            });
            let appeared_or_vanished = old.is_some() != new.is_some();
            view.write(ikey, new);
            if appeared_or_vanished && !dir.is_empty() {
                // The directory itself appeared or vanished: so does its name in its parent.
                let (parent, own) = split(&dir[..dir.len() - 1]);
                (dir, name, flag) = (parent.to_vec(), own.to_vec(), DIR);
                continue;
            }
        }
        return Ok(writes);
    }
}

/// The entries of directory `dir` (a prefix: `""` or ending in `/`); `None` when it has no
/// index (no key starts with `dir`).
pub(crate) fn entries(
    view: &mut dyn View,
    address: &Address,
    dir: &[u8],
) -> Result<Option<Entries>, ShimError> {
    view.read(&StateKey::Dir(*address, dir.to_vec()))?
        .map(|b| decode(&b))
        .transpose()
}

/// Every existing storage key of `address` that starts with `prefix`, ascending, found through
/// the indexes (no scan of the store).
pub(crate) fn keys_with_prefix(
    view: &mut dyn View,
    address: &Address,
    prefix: &[u8],
) -> Result<Vec<Vec<u8>>, ShimError> {
    let mut out = Vec::new();
    let (dir, rest) = split(prefix);
    let mut pending: Vec<Vec<u8>> = Vec::new();
    if rest.is_empty() {
        // The whole directory, its marker included.
        pending.push(dir.to_vec());
    } else if let Some(list) = entries(view, address, dir)? {
        for (name, flags) in list {
            if !name.starts_with(rest) {
                continue;
            }
            let mut key = dir.to_vec();
            key.extend_from_slice(&name);
            if flags & FILE != 0 {
                out.push(key.clone());
            }
            if flags & DIR != 0 {
                key.push(b'/');
                pending.push(key);
            }
        }
    }
    while let Some(dir) = pending.pop() {
        if view.exists(&StateKey::Storage(*address, dir.clone()))? {
            out.push(dir.clone());
        }
        let Some(list) = entries(view, address, &dir)? else {
            continue;
        };
        for (name, flags) in list {
            let mut key = dir.clone();
            key.extend_from_slice(&name);
            if flags & FILE != 0 {
                out.push(key.clone());
            }
            if flags & DIR != 0 {
                key.push(b'/');
                pending.push(key);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_names_the_directory_and_the_entry() {
        assert_eq!(split(b"a/b/x"), (&b"a/b/"[..], &b"x"[..]));
        assert_eq!(split(b"a/"), (&b"a/"[..], &b""[..]));
        assert_eq!(split(b"x"), (&b""[..], &b"x"[..]));
        assert_eq!(split(b""), (&b""[..], &b""[..]));
    }

    #[test]
    fn decoding_is_strict() {
        let ok: Entries = vec![(b"a".to_vec(), FILE), (b"b".to_vec(), FILE | DIR)];
        assert_eq!(decode(&ok.encode()).unwrap(), ok);
        let unordered: Entries = vec![(b"b".to_vec(), FILE), (b"a".to_vec(), FILE)];
        assert!(decode(&unordered.encode()).is_err());
        let zero: Entries = vec![(b"a".to_vec(), 0)];
        assert!(decode(&zero.encode()).is_err());
        let mut long = ok.encode();
        long.push(0);
        assert!(decode(&long).is_err());
    }
}
