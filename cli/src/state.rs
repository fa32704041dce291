//! `gauge state --state PATH root|list|get|set-balance`: inspect (and fund accounts in) a
//! persistent state store written by `gauge run --state PATH`.
//!
//! * `root`: the state's Merkle root in hex.
//! * `list`: one line per account (`address`, balance, code hash, number of storage keys);
//!   with `--address A`, one line per storage key of `A` (key, value size).
//! * `get KEY`: the value of storage key `KEY` of the contract (`--address`, default the same
//!   as `gauge run`'s) in hex; `--raw` writes the bytes as they are. A missing key exits 1.
//! * `set-balance ADDRESS N`: give an account a balance (genesis funding for `--value`), and
//!   print the new root.
//!
//! `--json` prints one JSON object instead. Reading commands never create a store: a missing
//! `PATH` is an error.

use std::io::Write;
use std::path::Path;

use gauge_wasi_shim::state::Table;
use gauge_wasi_shim::{Account, Address, State, hex};

use crate::contract::{DEFAULT_ADDRESS, open_state, parse_address};
use crate::exit::{Exit, NOT_FOUND};
use crate::output::{JsonObject, json_string};

/// What `gauge state` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Print the state root.
    Root,
    /// List accounts, or the storage keys of one.
    List {
        /// The account whose storage to list.
        address: Option<String>,
    },
    /// Print one storage value.
    Get {
        /// The storage key (a path in the contract's preopened directory, without `/`).
        key: String,
        /// The account (default: `gauge run`'s default contract address).
        address: Option<String>,
        /// Write the value's bytes instead of hex.
        raw: bool,
    },
    /// Set an account's balance.
    SetBalance {
        /// The account.
        address: String,
        /// The new balance.
        balance: String,
    },
}

/// Run `gauge state` on the store at `path`, writing to `out`.
pub fn command(path: &Path, action: &Action, json: bool, out: &mut dyn Write) -> Exit {
    match run(path, action, json) {
        Ok((bytes, exit)) => {
            if let Err(e) = out.write_all(&bytes).and_then(|()| out.flush()) {
                return Exit::usage(format!("cannot write output: {e}"));
            }
            exit
        }
        Err(exit) => exit,
    }
}

/// The output bytes and the exit of an action.
fn run(path: &Path, action: &Action, json: bool) -> Result<(Vec<u8>, Exit), Exit> {
    if !matches!(action, Action::SetBalance { .. }) && !path.exists() {
        return Err(Exit::usage(format!("no state store at {}", path.display())));
    }
    let mut state = open_state(path)?;
    let failed = |e: gauge_wasi_shim::ShimError| Exit::usage(format!("state: {e}"));
    let text = match action {
        Action::Root => {
            let root = hex(&state.root().map_err(failed)?);
            if json {
                JsonObject::new().string("state_root", &root).finish()
            } else {
                root
            }
        }
        Action::List { address: None } => list_accounts(&state, json)?,
        Action::List {
            address: Some(address),
        } => {
            let address = parse_address("--address", address)?;
            let storage = state.storage(&address).map_err(failed)?;
            if json {
                let items = storage
                    .iter()
                    .map(|(k, v)| {
                        JsonObject::new()
                            .string("key", &String::from_utf8_lossy(k))
                            .string("key_hex", &hex(k))
                            .number("size", v.len() as u64)
                            .finish()
                    })
                    .collect();
                JsonObject::new()
                    .string("address", &address.to_hex())
                    .raw_array("storage", items)
                    .finish()
            } else {
                let lines: Vec<String> = storage
                    .iter()
                    .map(|(k, v)| format!("{}\t{} bytes", show_key(k), v.len()))
                    .collect();
                lines.join("\n")
            }
        }
        Action::Get { key, address, raw } => {
            let address = match address {
                Some(a) => parse_address("--address", a)?,
                None => DEFAULT_ADDRESS,
            };
            let key = key.strip_prefix('/').unwrap_or(key);
            match state
                .storage_get(&address, key.as_bytes())
                .map_err(failed)?
            {
                None => {
                    return Err(Exit {
                        status: NOT_FOUND,
                        message: Some(format!(
                            "error: no storage key {} at {address}",
                            json_string(key)
                        )),
                    });
                }
                Some(value) if *raw => return Ok((value, Exit::success())),
                Some(value) if json => JsonObject::new()
                    .string("address", &address.to_hex())
                    .string("key", key)
                    .string("value_hex", &hex(&value))
                    .string_or_null("value_utf8", std::str::from_utf8(&value).ok())
                    .finish(),
                Some(value) => hex(&value),
            }
        }
        Action::SetBalance { address, balance } => {
            let address = parse_address("set-balance", address)?;
            let balance: u128 = balance.parse().map_err(|_| {
                Exit::usage(format!(
                    "set-balance: `{balance}` is not a balance (a decimal integer)"
                ))
            })?;
            let root = hex(&state.set_balance(address, balance).map_err(failed)?);
            if json {
                JsonObject::new().string("state_root", &root).finish()
            } else {
                root
            }
        }
    };
    let mut bytes = text.into_bytes();
    if !bytes.is_empty() {
        bytes.push(b'\n');
    }
    Ok((bytes, Exit::success()))
}

/// One line (or JSON item) per account that has a record or storage.
fn list_accounts(state: &State, json: bool) -> Result<String, Exit> {
    let failed = |e: gauge_wasi_shim::ShimError| Exit::usage(format!("state: {e}"));
    // Accounts with a record (balance or code), and contracts that only have storage.
    let mut addresses = std::collections::BTreeSet::new();
    for (table, len) in [(Table::Accounts, 20), (Table::Storage, 20)] {
        for key in state
            .backend()
            .scan(table, &[], &[], usize::MAX)
            .map_err(failed)?
        {
            match key.get(..20).map(<[u8; 20]>::try_from) {
                Some(Ok(bytes)) if key.len() >= len => {
                    addresses.insert(Address(bytes));
                }
                _ => return Err(Exit::usage("state: corrupt account key")),
            }
        }
    }
    let mut rows = Vec::new();
    for address in addresses {
        let Account { balance, code_hash } = state.account(&address).map_err(failed)?;
        let keys = state.storage_keys(&address).map_err(failed)?.len();
        let code = (code_hash != [0; 32]).then(|| hex(&code_hash));
        rows.push((address, balance, code, keys));
    }
    Ok(if json {
        let items = rows
            .iter()
            .map(|(address, balance, code, keys)| {
                JsonObject::new()
                    .string("address", &address.to_hex())
                    .string("balance", &balance.to_string())
                    .string_or_null("code_hash", code.as_deref())
                    .number("storage_keys", *keys as u64)
                    .finish()
            })
            .collect();
        JsonObject::new().raw_array("accounts", items).finish()
    } else {
        rows.iter()
            .map(|(address, balance, code, keys)| {
                format!(
                    "{address}\tbalance {balance}\tcode {}\t{keys} storage keys",
                    code.as_deref().unwrap_or("none")
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// A storage key for a terminal: as text when it is printable UTF-8, else `0x` hex.
fn show_key(key: &[u8]) -> String {
    match std::str::from_utf8(key) {
        Ok(s) if !s.chars().any(char::is_control) => s.to_string(),
        _ => format!("0x{}", hex(key)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_shown_safely() {
        assert_eq!(show_key(b"counter"), "counter");
        assert_eq!(show_key(b"dir/k"), "dir/k");
        assert_eq!(show_key(b"a\nb"), "0x610a62");
        assert_eq!(show_key(&[0xff]), "0xff");
    }

    #[test]
    fn a_missing_store_is_not_created() {
        let path = std::env::temp_dir().join(format!("gauge-no-store-{}", std::process::id()));
        let e = run(&path, &Action::Root, false).unwrap_err();
        assert_eq!(e.status, crate::exit::USAGE);
        assert!(e.message.unwrap().contains("no state store"));
        assert!(!path.exists());
    }
}
