//! The account's storage seen as a file tree.
//!
//! A storage key is a path relative to the preopened root, components separated by `/`
//! (`counter`, `users/alice`). A directory exists when some key starts with its path and `/`;
//! an empty directory is the marker key `path/` (empty value) that `path_create_directory`
//! writes. Which directories exist and what they hold is read from the state's directory
//! indexes ([`StateKey::Dir`]), never from a scan of the store, so that a witness proves it.
//! When a key and a directory share a name (`a` and `a/b`), `a` is a file. The name
//! `contracts` at the root is reserved for cross-contract calls.

use sha2::{Digest, Sha256};

use crate::Address;
use crate::abi::Errno;
use crate::preview1::Fail;
use crate::state::{Journal, StateKey};

/// Longest path, in bytes, the shim accepts.
pub const MAX_PATH: usize = 4096;
/// The reserved root directory for cross-contract calls.
pub const CONTRACTS: &str = "contracts";

/// A file or a directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A storage entry.
    File,
    /// A key prefix (or a marker key).
    Dir,
}

/// What a path names.
pub(crate) fn kind(j: &mut Journal, a: &Address, path: &str) -> Result<Option<Kind>, Fail> {
    if path.is_empty() || path == CONTRACTS {
        return Ok(Some(Kind::Dir));
    }
    if j.storage(a, path.as_bytes())?.is_some() {
        return Ok(Some(Kind::File));
    }
    let index = StateKey::Dir(*a, format!("{path}/").into_bytes());
    if j.get(&index)?.is_some() {
        return Ok(Some(Kind::Dir));
    }
    Ok(None)
}

/// A path resolved against a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// Normalized path from the root: no `.`, `..`, empty components or slashes at either end
    /// ("" is the root itself).
    pub path: String,
    /// The path ended with `/` (it must name a directory).
    pub trailing_slash: bool,
}

impl Resolved {
    /// Whether the path is in the reserved `contracts` directory (or is it).
    pub fn reserved(&self) -> bool {
        self.path == CONTRACTS || self.path.starts_with("contracts/")
    }
}

/// Number of storage lookups [`resolve`] may make for `raw`: the gas charge of a path.
pub(crate) fn lookups(raw: &[u8]) -> u64 {
    1 + raw.iter().filter(|&&b| b == b'/').count() as u64
}

/// Resolve `raw` relative to the directory `base`. Every component before the last must be an
/// existing directory; `..` may not leave `base` (that is `ENOTCAPABLE`, as is an absolute
/// path).
pub(crate) fn resolve(
    j: &mut Journal,
    a: &Address,
    base: &str,
    raw: &[u8],
) -> Result<Resolved, Fail> {
    let text = std::str::from_utf8(raw).map_err(|_| Errno::ILSEQ)?;
    if text.is_empty() {
        return Err(Errno::NOENT.into());
    }
    if text.len() > MAX_PATH {
        return Err(Errno::NAMETOOLONG.into());
    }
    if text.contains('\0') {
        return Err(Errno::ILSEQ.into());
    }
    if text.starts_with('/') {
        return Err(Errno::NOTCAPABLE.into());
    }
    let trailing_slash = text.ends_with('/');
    let mut stack: Vec<&str> = if base.is_empty() {
        Vec::new()
    } else {
        base.split('/').collect()
    };
    let floor = stack.len();
    let parts: Vec<&str> = text
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if *part == ".." {
            if stack.len() == floor {
                return Err(Errno::NOTCAPABLE.into());
            }
            stack.pop();
            continue;
        }
        if part.len() > 255 {
            return Err(Errno::NAMETOOLONG.into());
        }
        stack.push(part);
        let next_is_dotdot = parts.get(i + 1) == Some(&"..");
        if !last || next_is_dotdot {
            match kind(j, a, &stack.join("/"))? {
                Some(Kind::Dir) => {}
                Some(Kind::File) => return Err(Errno::NOTDIR.into()),
                None => return Err(Errno::NOENT.into()),
            }
        }
    }
    Ok(Resolved {
        path: stack.join("/"),
        trailing_slash,
    })
}

/// The key prefix of a directory's entries ("" for the root, `path/` otherwise).
pub(crate) fn dir_prefix(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}/")
    }
}

/// The entries of directory `path`, by name in byte order (without `.` and `..`).
pub(crate) fn list_dir(
    j: &mut Journal,
    a: &Address,
    path: &str,
) -> Result<Vec<(Vec<u8>, Kind)>, Fail> {
    let prefix = dir_prefix(path).into_bytes();
    let mut entries: Vec<(Vec<u8>, Kind)> = j
        .dir_entries(a, &prefix)?
        .unwrap_or_default()
        .into_iter()
        .map(|(name, flags)| {
            // A name that is both a key and a prefix of keys is a file.
            let kind = if flags & crate::state::dirs::FILE != 0 {
                Kind::File
            } else {
                Kind::Dir
            };
            (name, kind)
        })
        .collect();
    if path.is_empty() {
        entries.retain(|(name, _)| name != CONTRACTS.as_bytes());
    }
    Ok(entries)
}

/// Device number of an account's tree: the first 8 bytes (little-endian) of its account key
/// hash.
pub(crate) fn device(a: &Address) -> u64 {
    let h = StateKey::Account(*a).key_hash();
    u64::from_le_bytes(h[..8].try_into().expect("8 bytes"))
}

/// Inode of a file (`key` = its path) or directory (`key` = its path and `/`, "" for the
/// root): the first 8 bytes (little-endian) of the storage entry's key hash.
pub(crate) fn inode(a: &Address, key: &[u8]) -> u64 {
    let h = StateKey::Storage(*a, key.to_vec()).key_hash();
    u64::from_le_bytes(h[..8].try_into().expect("8 bytes"))
}

/// Inode of the entry `name` of directory `dir`.
pub(crate) fn entry_inode(a: &Address, dir: &str, name: &[u8], kind: Kind) -> u64 {
    let mut key = dir_prefix(dir).into_bytes();
    key.extend_from_slice(name);
    if kind == Kind::Dir {
        key.push(b'/');
    }
    inode(a, &key)
}

/// A stable identity for anything else (stdio, call handles).
pub(crate) fn other_inode(tag: &[u8]) -> u64 {
    let h = Sha256::digest(tag);
    u64::from_le_bytes(h[..8].try_into().expect("8 bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Changes, State};

    fn journal(keys: &[&str]) -> (Journal, Address) {
        let a = Address([5; 20]);
        let mut c = Changes::new();
        for k in keys {
            c.set_storage(a, *k, Some(b"v".to_vec()));
        }
        let mut s = State::in_memory();
        s.apply(&c).unwrap();
        let mut j = Journal::new(s.into_backend());
        j.push();
        (j, a)
    }

    fn errno(r: Result<Resolved, Fail>) -> Errno {
        match r {
            Err(Fail::Errno(e)) => e,
            other => panic!("expected an errno, got {other:?}"),
        }
    }

    #[test]
    fn resolution_normalizes_and_checks_components() {
        let (mut j, a) = journal(&["a/b/x", "f", "d/"]);
        let ok = |j: &mut Journal, base: &str, p: &str| resolve(j, &a, base, p.as_bytes()).unwrap();
        assert_eq!(
            ok(&mut j, "", "./a//b/"),
            Resolved {
                path: "a/b".into(),
                trailing_slash: true
            }
        );
        assert_eq!(ok(&mut j, "", "a/b/../new").path, "a/new");
        assert_eq!(ok(&mut j, "a", "b/x").path, "a/b/x");
        assert_eq!(ok(&mut j, "", "d").path, "d");
        assert_eq!(ok(&mut j, "", ".").path, "");
        assert_eq!(errno(resolve(&mut j, &a, "", b"../x")), Errno::NOTCAPABLE);
        assert_eq!(errno(resolve(&mut j, &a, "a", b"../f")), Errno::NOTCAPABLE);
        assert_eq!(errno(resolve(&mut j, &a, "", b"/f")), Errno::NOTCAPABLE);
        assert_eq!(errno(resolve(&mut j, &a, "", b"f/x")), Errno::NOTDIR);
        assert_eq!(errno(resolve(&mut j, &a, "", b"f/..")), Errno::NOTDIR);
        assert_eq!(errno(resolve(&mut j, &a, "", b"nope/x")), Errno::NOENT);
        assert_eq!(errno(resolve(&mut j, &a, "", b"")), Errno::NOENT);
        assert_eq!(errno(resolve(&mut j, &a, "", b"\xff")), Errno::ILSEQ);
    }

    #[test]
    fn kinds_and_listings_follow_the_key_layout() {
        let (mut j, a) = journal(&["a/b/x", "a/c", "a!", "f", "d/", "contracts/k"]);
        assert_eq!(kind(&mut j, &a, "a").unwrap(), Some(Kind::Dir));
        assert_eq!(kind(&mut j, &a, "a/b").unwrap(), Some(Kind::Dir));
        assert_eq!(kind(&mut j, &a, "d").unwrap(), Some(Kind::Dir));
        assert_eq!(kind(&mut j, &a, "f").unwrap(), Some(Kind::File));
        assert_eq!(kind(&mut j, &a, "a/b/x/y").unwrap(), None);
        let names = |v: Vec<(Vec<u8>, Kind)>| -> Vec<(String, Kind)> {
            v.into_iter()
                .map(|(n, k)| (String::from_utf8(n).unwrap(), k))
                .collect()
        };
        assert_eq!(
            names(list_dir(&mut j, &a, "").unwrap()),
            [
                ("a".to_string(), Kind::Dir),
                ("a!".to_string(), Kind::File),
                ("d".to_string(), Kind::Dir),
                ("f".to_string(), Kind::File),
            ]
        );
        assert_eq!(
            names(list_dir(&mut j, &a, "a").unwrap()),
            [("b".to_string(), Kind::Dir), ("c".to_string(), Kind::File)]
        );
        assert!(list_dir(&mut j, &a, "d").unwrap().is_empty());
        // Deleting the last entry of an implicit directory removes the directory.
        j.set(StateKey::Storage(a, b"a/c".to_vec()), None).unwrap();
        j.set(StateKey::Storage(a, b"a/b/x".to_vec()), None)
            .unwrap();
        assert_eq!(kind(&mut j, &a, "a").unwrap(), None);
    }

    #[test]
    fn inodes_are_key_hashes() {
        let a = Address([5; 20]);
        assert_eq!(entry_inode(&a, "x", b"y", Kind::File), inode(&a, b"x/y"));
        assert_eq!(entry_inode(&a, "", b"d", Kind::Dir), inode(&a, b"d/"));
        assert_ne!(inode(&a, b"d"), inode(&a, b"d/"));
        assert_ne!(device(&a), device(&Address([6; 20])));
    }
}
