//! Storage backends: a handful of ordered byte tables with atomic batch writes.
//!
//! Everything above this layer (key layout, Merkle tree, journal) is shared, so every backend
//! yields the same state roots by construction. A backend only has to store bytes, scan keys in
//! order and apply a [`WriteBatch`] atomically.

use std::collections::BTreeMap;
use std::ops::Bound;

use crate::ShimError;

/// The tables of a state database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    /// `address` → SCALE-encoded [`crate::Account`].
    Accounts,
    /// `address || key` → value.
    Storage,
    /// `code_hash` → Wasm code.
    Code,
    /// Jellyfish Merkle Tree nodes: borsh(`NodeKey`) → borsh(`Node`).
    Nodes,
    /// Merkle key hash → the state key it stands for (for proofs).
    Preimages,
    /// Metadata: `version` (next tree version, u64 little-endian) and `root` (32 bytes);
    /// `receipt_count` (u64 little-endian) and `receipt_head` (the last receipt's hash).
    Meta,
    /// The receipt chain: index (u64 big-endian) → SCALE-encoded [`crate::Receipt`].
    Receipts,
    /// Directory indexes: `address || directory prefix` → the directory's entries (see
    /// [`crate::StateKey::Dir`]).
    Dirs,
}

impl Table {
    /// Every table, in a fixed order.
    pub const ALL: [Table; 8] = [
        Table::Accounts,
        Table::Storage,
        Table::Code,
        Table::Nodes,
        Table::Preimages,
        Table::Meta,
        Table::Receipts,
        Table::Dirs,
    ];

    /// The table's name in persistent stores.
    pub fn name(self) -> &'static str {
        match self {
            Table::Accounts => "accounts",
            Table::Storage => "storage",
            Table::Code => "code",
            Table::Nodes => "jmt_nodes",
            Table::Preimages => "jmt_preimages",
            Table::Meta => "meta",
            Table::Receipts => "receipts",
            Table::Dirs => "dirs",
        }
    }
}

/// A set of writes applied all at once or not at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteBatch {
    /// `(table, key, Some(value))` to insert or replace, `(table, key, None)` to delete.
    pub ops: Vec<(Table, Vec<u8>, Option<Vec<u8>>)>,
}

impl WriteBatch {
    /// Insert or replace `key` in `table`.
    pub fn put(&mut self, table: Table, key: Vec<u8>, value: Vec<u8>) {
        self.ops.push((table, key, Some(value)));
    }

    /// Delete `key` from `table`.
    pub fn delete(&mut self, table: Table, key: Vec<u8>) {
        self.ops.push((table, key, None));
    }
}

/// An ordered key-value store with atomic batches: what [`crate::State`] needs from storage.
pub trait Backend: Send {
    /// The value of `key` in `table`.
    fn get(&self, table: Table, key: &[u8]) -> Result<Option<Vec<u8>>, ShimError>;

    /// Up to `limit` keys of `table` that start with `prefix` and are `>= from`, in ascending
    /// byte order.
    fn scan(
        &self,
        table: Table,
        prefix: &[u8],
        from: &[u8],
        limit: usize,
    ) -> Result<Vec<Vec<u8>>, ShimError>;

    /// Apply every operation of `batch` atomically, in order.
    fn write(&mut self, batch: &WriteBatch) -> Result<(), ShimError>;
}

/// The in-memory backend (tests, simulations). Not persistent.
#[derive(Debug, Clone, Default)]
pub struct MemBackend {
    tables: BTreeMap<Table, BTreeMap<Vec<u8>, Vec<u8>>>,
}

impl MemBackend {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Backend for MemBackend {
    fn get(&self, table: Table, key: &[u8]) -> Result<Option<Vec<u8>>, ShimError> {
        Ok(self.tables.get(&table).and_then(|t| t.get(key)).cloned())
    }

    fn scan(
        &self,
        table: Table,
        prefix: &[u8],
        from: &[u8],
        limit: usize,
    ) -> Result<Vec<Vec<u8>>, ShimError> {
        let Some(t) = self.tables.get(&table) else {
            return Ok(Vec::new());
        };
        let start = if from < prefix { prefix } else { from };
        Ok(
            t.range::<[u8], _>((Bound::Included(start), Bound::Unbounded))
                .take_while(|(k, _)| k.starts_with(prefix))
                .take(limit)
                .map(|(k, _)| k.clone())
                .collect(),
        )
    }

    fn write(&mut self, batch: &WriteBatch) -> Result<(), ShimError> {
        for (table, key, value) in &batch.ops {
            let t = self.tables.entry(*table).or_default();
            match value {
                Some(v) => {
                    t.insert(key.clone(), v.clone());
                }
                None => {
                    t.remove(key);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_respects_prefix_from_and_limit() {
        let mut b = MemBackend::new();
        let mut w = WriteBatch::default();
        for k in ["a", "ab", "abc", "abd", "b"] {
            w.put(Table::Storage, k.as_bytes().to_vec(), vec![]);
        }
        b.write(&w).unwrap();
        let keys = |v: Vec<Vec<u8>>| -> Vec<String> {
            v.into_iter()
                .map(|k| String::from_utf8(k).unwrap())
                .collect()
        };
        assert_eq!(
            keys(b.scan(Table::Storage, b"ab", b"", 10).unwrap()),
            ["ab", "abc", "abd"]
        );
        assert_eq!(
            keys(b.scan(Table::Storage, b"ab", b"abc\0", 10).unwrap()),
            ["abd"]
        );
        assert_eq!(
            keys(b.scan(Table::Storage, b"", b"", 2).unwrap()),
            ["a", "ab"]
        );
        assert!(b.scan(Table::Code, b"", b"", 2).unwrap().is_empty());
    }
}
