//! Properties of the journal and the state root, under random operation sequences:
//! commit / revert / nesting behave like a stack of snapshots; the root depends only on the
//! final contents (never on the order or history of writes); redb and memory give the same
//! roots.

use std::collections::BTreeMap;

use gauge_wasi_shim::state::Journal;
use gauge_wasi_shim::{Address, Changes, State, StateKey};
use proptest::prelude::*;

/// Storage keys with shared prefixes, over two accounts.
const KEYS: [&str; 8] = ["a", "a/b", "a/c", "ab", "b", "b/x/y", "", "a/"];

fn key(i: usize) -> StateKey {
    let address = Address([1 + (i / KEYS.len()) as u8; 20]);
    StateKey::Storage(address, KEYS[i % KEYS.len()].as_bytes().to_vec())
}

const UNIVERSE: usize = 2 * KEYS.len();

type Map = BTreeMap<StateKey, Vec<u8>>;

#[derive(Debug, Clone)]
enum Op {
    Set(usize, Vec<u8>),
    Delete(usize),
    Append(usize, Vec<u8>),
    Push,
    Commit,
    Revert,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..UNIVERSE, prop::collection::vec(any::<u8>(), 0..4)).prop_map(|(k, v)| Op::Set(k, v)),
        2 => (0..UNIVERSE).prop_map(Op::Delete),
        2 => (0..UNIVERSE, prop::collection::vec(any::<u8>(), 1..4)).prop_map(|(k, v)| Op::Append(k, v)),
        2 => Just(Op::Push),
        1 => Just(Op::Commit),
        1 => Just(Op::Revert),
    ]
}

fn contents() -> impl Strategy<Value = Map> {
    prop::collection::btree_map(
        (0..UNIVERSE).prop_map(key),
        prop::collection::vec(any::<u8>(), 0..4),
        0..UNIVERSE,
    )
}

fn changes_of(entries: impl IntoIterator<Item = (StateKey, Option<Vec<u8>>)>) -> Changes {
    let mut c = Changes::new();
    for (k, v) in entries {
        // Directory indexes are derived by the state from the storage changes.
        if let StateKey::Storage(a, key) = k {
            c.set_storage(a, key, v);
        }
    }
    c
}

fn state_with(map: &Map) -> State {
    let mut s = State::in_memory();
    s.apply(&changes_of(
        map.iter().map(|(k, v)| (k.clone(), Some(v.clone()))),
    ))
    .unwrap();
    s
}

fn read_all(s: &State) -> Map {
    let mut out = Map::new();
    for a in [Address([1; 20]), Address([2; 20])] {
        for (k, v) in s.storage(&a).unwrap() {
            out.insert(StateKey::Storage(a, k), v);
        }
    }
    out
}

fn prefix_keys(map: &Map, address: &Address, prefix: &[u8]) -> Vec<Vec<u8>> {
    map.keys()
        .filter_map(|k| match k {
            StateKey::Storage(a, key) if a == address && key.starts_with(prefix) => {
                Some(key.clone())
            }
            _ => None,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The journal behaves like a stack of snapshots, and committing it yields the same
    /// contents and root as writing the final contents directly.
    #[test]
    fn journal_is_a_stack_of_snapshots(initial in contents(), ops in prop::collection::vec(op(), 0..60)) {
        let state = state_with(&initial);
        let mut journal = Journal::new(state.into_backend());
        journal.push();
        let mut model: Vec<Map> = vec![initial.clone()];
        for op in &ops {
            let top = model.last_mut().unwrap();
            match op {
                Op::Set(k, v) => {
                    journal.set(key(*k), Some(v.clone())).unwrap();
                    top.insert(key(*k), v.clone());
                }
                Op::Delete(k) => {
                    journal.set(key(*k), None).unwrap();
                    top.remove(&key(*k));
                }
                Op::Append(k, v) => {
                    journal.value_mut(&key(*k)).unwrap().extend_from_slice(v);
                    top.entry(key(*k)).or_default().extend_from_slice(v);
                }
                Op::Push => {
                    journal.push();
                    let copy = top.clone();
                    model.push(copy);
                }
                Op::Commit if journal.depth() > 1 => {
                    prop_assert!(journal.commit().is_none());
                    let done = model.pop().unwrap();
                    *model.last_mut().unwrap() = done;
                }
                Op::Revert if journal.depth() > 1 => {
                    journal.revert();
                    model.pop();
                }
                Op::Commit | Op::Revert => {}
            }
            prop_assert_eq!(journal.depth(), model.len());
            let top = model.last().unwrap();
            for i in 0..UNIVERSE {
                prop_assert_eq!(journal.get(&key(i)).unwrap(), top.get(&key(i)));
            }
            for a in [Address([1; 20]), Address([2; 20])] {
                for p in [&b""[..], b"a", b"a/", b"b/x"] {
                    prop_assert_eq!(journal.keys_with_prefix(&a, p).unwrap(), prefix_keys(top, &a, p));
                }
            }
        }
        while journal.depth() > 1 {
            journal.commit();
        }
        let changes = journal.commit().unwrap();
        let mut state = State::from_backend(journal.into_backend());
        state.apply(&changes_of(changes.clone())).unwrap();
        let want = model.pop().unwrap();
        prop_assert_eq!(read_all(&state), want.clone());
        prop_assert_eq!(state.root().unwrap(), state_with(&want).root().unwrap());
        // The journal maintained the directory indexes exactly as the state derives them.
        for (k, v) in &changes {
            if matches!(k, StateKey::Dir(..)) {
                prop_assert_eq!(&state.entry(k).unwrap(), v, "{}", k);
            }
        }
    }

    /// The root is a function of the final contents: any history of commits (writes,
    /// overwrites, deletions, in any order) that ends in the same contents has the same root.
    #[test]
    fn root_depends_only_on_final_contents(
        history in prop::collection::vec(
            prop::collection::btree_map(
                (0..UNIVERSE).prop_map(key),
                prop::option::of(prop::collection::vec(any::<u8>(), 0..4)),
                0..UNIVERSE,
            ),
            0..6,
        ),
        fin in contents(),
        order in Just(()).prop_perturb(|_, mut rng| {
            let mut v: Vec<usize> = (0..UNIVERSE).collect();
            for i in (1..v.len()).rev() {
                v.swap(i, rng.random_range(0..=i));
            }
            v
        }),
    ) {
        let mut state = State::in_memory();
        for batch in &history {
            state.apply(&changes_of(batch.clone())).unwrap();
        }
        // Bring every key to its final value, one key per commit, in a random order.
        for i in order {
            let k = key(i);
            state.apply(&changes_of([(k.clone(), fin.get(&k).cloned())])).unwrap();
        }
        prop_assert_eq!(read_all(&state), fin.clone());
        prop_assert_eq!(state.root().unwrap(), state_with(&fin).root().unwrap());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// The redb backend and the in-memory backend give the same roots and contents after every
    /// commit, also after reopening the file.
    #[test]
    fn redb_and_memory_agree(
        batches in prop::collection::vec(
            prop::collection::btree_map(
                (0..UNIVERSE).prop_map(key),
                prop::option::of(prop::collection::vec(any::<u8>(), 0..4)),
                1..UNIVERSE,
            ),
            1..6,
        ),
    ) {
        use std::sync::atomic::{AtomicU32, Ordering};
        static CASE: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "gauge-shim-props-{}-{}",
            std::process::id(),
            CASE.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.redb");
        let mut mem = State::in_memory();
        {
            let mut disk = State::open(&path).unwrap();
            for batch in &batches {
                let c = changes_of(batch.clone());
                prop_assert_eq!(mem.apply(&c).unwrap(), disk.apply(&c).unwrap());
                prop_assert_eq!(read_all(&mem), read_all(&disk));
                prop_assert_eq!(mem.version().unwrap(), disk.version().unwrap());
            }
        }
        let disk = State::open(&path).unwrap();
        prop_assert_eq!(disk.root().unwrap(), mem.root().unwrap());
        prop_assert_eq!(read_all(&disk), read_all(&mem));
        drop(disk);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
