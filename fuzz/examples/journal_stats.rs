//! What the `journal` target's inputs do, from the model's predictions (which the shim matched
//! for every input of a corpus the target accepted): `cargo run --release --example
//! journal_stats -- DIR…` prints how top-level calls ended, and for each kind of op of the
//! top-level frames how often each errno (or success) came up.
use std::collections::BTreeMap;

use gauge_fuzz::journal::{Scenario, deployment, expect};

fn main() {
    let mut status: BTreeMap<String, usize> = BTreeMap::new();
    let mut ops: BTreeMap<String, usize> = BTreeMap::new();
    let (mut inputs, mut scenarios, mut skipped, mut calls) = (0, 0, 0, 0);
    for dir in std::env::args().skip(1) {
        for entry in std::fs::read_dir(&dir).expect("a directory") {
            let data = std::fs::read(entry.expect("entry").path()).expect("input");
            inputs += 1;
            let mut u = arbitrary::Unstructured::new(&data);
            let Ok(s) = Scenario::arbitrary(&mut u) else {
                continue;
            };
            scenarios += 1;
            let d = deployment(&s);
            let Some(expected) = expect(&s, &d.peers, d.world.clone()) else {
                skipped += 1;
                continue;
            };
            for e in &expected {
                calls += 1;
                *status
                    .entry(format!("{} {:?}", e.status, e.exit_code.map(|c| c != 0)))
                    .or_default() += 1;
                for r in &e.records {
                    // The op's kind and the first errno that is not 0 ("ok" if none).
                    let errnos: Vec<u16> = r.bytes[1..]
                        .chunks(2)
                        .take(match r.bytes[0] {
                            b'U' | b'M' => 1,
                            b'C' => 4,
                            _ => 3,
                        })
                        .map(|c| u16::from_le_bytes([c[0], c[1]]))
                        .collect();
                    let first = errnos.iter().find(|e| **e != 0 && **e != 0xffff);
                    let result = first.map_or("ok".to_string(), |e| {
                        gauge_wasi_shim::abi::Errno(*e).name().to_string()
                    });
                    *ops.entry(format!("{} {result}", r.bytes[0] as char))
                        .or_default() += 1;
                }
            }
        }
    }
    println!(
        "{inputs} inputs, {scenarios} scenarios, {skipped} skipped (over the frame budget), \
         {calls} top-level calls"
    );
    println!("top-level calls (status, exit code non-zero):");
    for (k, n) in &status {
        println!("  {k}: {n}");
    }
    println!(
        "ops of top-level frames (W write, R read, U unlink, M mkdir, D readdir, C call and read, F call and close):"
    );
    for (k, n) in &ops {
        println!("  {k}: {n}");
    }
}
