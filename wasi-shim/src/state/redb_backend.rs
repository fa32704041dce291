//! The persistent backend: one redb database file.
//!
//! Crash safety comes from redb: [`Backend::write`] applies a whole [`WriteBatch`] (one call's
//! complete change set, Merkle nodes and metadata included) in a single write transaction,
//! committed with redb's default immediate durability. A process killed at any point leaves
//! the database either before or after the call, never in between.

use std::path::Path;

use redb::{Database, ReadableDatabase, TableDefinition};

use super::backend::{Backend, Table, WriteBatch};
use crate::ShimError;

fn def(table: Table) -> TableDefinition<'static, &'static [u8], &'static [u8]> {
    TableDefinition::new(table.name())
}

fn err(e: impl std::fmt::Display) -> ShimError {
    ShimError::Backend(format!("redb: {e}"))
}

/// A state database in one redb file.
#[derive(Debug)]
pub struct RedbBackend {
    db: Database,
}

impl RedbBackend {
    /// Open the database at `path`, creating it (and its tables) if it does not exist.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, ShimError> {
        let db = Database::create(path.as_ref()).map_err(err)?;
        let tx = db.begin_write().map_err(err)?;
        for t in Table::ALL {
            tx.open_table(def(t)).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(Self { db })
    }
}

impl Backend for RedbBackend {
    fn get(&self, table: Table, key: &[u8]) -> Result<Option<Vec<u8>>, ShimError> {
        let tx = self.db.begin_read().map_err(err)?;
        let t = tx.open_table(def(table)).map_err(err)?;
        Ok(t.get(key).map_err(err)?.map(|v| v.value().to_vec()))
    }

    fn scan(
        &self,
        table: Table,
        prefix: &[u8],
        from: &[u8],
        limit: usize,
    ) -> Result<Vec<Vec<u8>>, ShimError> {
        let tx = self.db.begin_read().map_err(err)?;
        let t = tx.open_table(def(table)).map_err(err)?;
        let start = if from < prefix { prefix } else { from };
        let mut out = Vec::new();
        for entry in t.range(start..).map_err(err)? {
            if out.len() >= limit {
                break;
            }
            let (k, _) = entry.map_err(err)?;
            let k = k.value();
            if !k.starts_with(prefix) {
                break;
            }
            out.push(k.to_vec());
        }
        Ok(out)
    }

    fn write(&mut self, batch: &WriteBatch) -> Result<(), ShimError> {
        let tx = self.db.begin_write().map_err(err)?;
        {
            let mut tables = Vec::new();
            for t in Table::ALL {
                tables.push((t, tx.open_table(def(t)).map_err(err)?));
            }
            for (table, key, value) in &batch.ops {
                let (_, t) = tables
                    .iter_mut()
                    .find(|(name, _)| name == table)
                    .expect("every table is open");
                match value {
                    Some(v) => {
                        t.insert(key.as_slice(), v.as_slice()).map_err(err)?;
                    }
                    None => {
                        t.remove(key.as_slice()).map_err(err)?;
                    }
                }
            }
        }
        tx.commit().map_err(err)
    }
}
