//! Which instructions and fall-through pairs Gauge's code executes, per case and
//! summed over the cases with equal weight (each case's counts as fractions of its own
//! total), for choosing superinstructions:
//!
//! ```sh
//! cargo run --release -p gauge-bench --features op-profile --example opprofile -- [--unmetered] [FILTER]
//! ```
//!
//! Every execution case whose name contains FILTER (all by default) runs its timed export once
//! at the `--quick` size on metered Gauge, or unmetered with `--unmetered`, built with
//! `gauge-interpreter/op-profile`, which turns the threaded handlers off and counts every
//! instruction in the dispatch loop. It also prints how the gas charges were reached (fall
//! through, jump forward, jump back), which instructions jumped to them, and the fall-through
//! pairs whose second instruction reads the first one's result (⇒).

#![forbid(unsafe_code)]

use std::collections::BTreeMap;

use gauge_bench::cases::{ExecCase, Mode, Prepared};
use gauge_bench::corpus;
use gauge_bench::engines::EngineKind;
use gauge_interpreter::profile;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let unmetered = args.iter().any(|a| a == "--unmetered");
    let filter = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_default();
    let kind = if unmetered {
        EngineKind::GaugeUnmetered
    } else {
        EngineKind::GaugeMetered
    };
    let mode = Mode::Quick;
    let dir = corpus::default_corpus_dir();
    if !dir.is_dir() {
        eprintln!("no shared corpus at {}: kernels only", dir.display());
    }
    let mut cases: Vec<ExecCase> = gauge_bench::all_exec_cases(mode, &dir);
    cases.retain(|c| c.name.contains(filter.as_str()));
    if cases.is_empty() {
        eprintln!("no case matches `{filter}`");
        std::process::exit(2);
    }
    let mut op_share: BTreeMap<&str, f64> = BTreeMap::new();
    let mut back_share: BTreeMap<&str, f64> = BTreeMap::new();
    let mut arrival_share = [0.0f64; 6];
    let name_index = |n: &str| usize::from(n == "ConsumeGasGroup");
    let mut pair_share: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    let mut dep_share: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    let mut dep_total = 0.0f64;
    for case in &cases {
        let mut prepared = match Prepared::new(case, kind) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{}: {e}", case.name);
                std::process::exit(1);
            }
        };
        profile::take();
        if let Err(e) = prepared.run(case) {
            eprintln!("{}: {e}", case.name);
            std::process::exit(1);
        }
        let p = profile::take();
        let total = p.total().max(1) as f64;
        println!(
            "== {} ({}): {} instructions",
            case.name,
            case.params,
            p.total()
        );
        for (name, n) in p.top_ops(12) {
            println!("  {:5.1}%  {name}", 100.0 * n as f64 / total);
        }
        for (a, b, n) in p.top_pairs(8) {
            println!("  {:5.1}%  {a} → {b}", 100.0 * n as f64 / total);
        }
        let deps: u64 = p.deps.iter().sum();
        println!(
            "  {:5.1}%  of instructions read the result of the one they fell through from",
            100.0 * deps as f64 / total
        );
        for (a, b, n) in p.top_deps(5) {
            println!("  {:5.1}%  {a} ⇒ {b}", 100.0 * n as f64 / total);
        }
        for name in ["ConsumeGas", "ConsumeGasGroup"] {
            let i = gauge_interpreter::ir::Op::NAMES
                .iter()
                .position(|n| *n == name)
                .unwrap_or(0);
            let a = &p.arrivals[3 * i..3 * i + 3];
            println!(
                "  {name} reached by fall-through {:.1}%, jump forward {:.1}%, jump back {:.1}% (of all)",
                100.0 * a[0] as f64 / total,
                100.0 * a[1] as f64 / total,
                100.0 * a[2] as f64 / total
            );
            for (k, v) in a.iter().enumerate() {
                arrival_share[name_index(name) * 3 + k] += *v as f64 / total;
            }
        }
        for (i, n) in p.gas_jumps.iter().enumerate() {
            if *n > 0 {
                *back_share
                    .entry(gauge_interpreter::ir::Op::NAMES[i])
                    .or_default() += *n as f64 / total;
            }
        }
        for (name, n) in p.top_ops(usize::MAX) {
            *op_share.entry(name).or_default() += n as f64 / total;
        }
        for (a, b, n) in p.top_pairs(usize::MAX) {
            *pair_share.entry((a, b)).or_default() += n as f64 / total;
        }
        for (a, b, n) in p.top_deps(usize::MAX) {
            *dep_share.entry((a, b)).or_default() += n as f64 / total;
            dep_total += n as f64 / total;
        }
    }
    let k = cases.len() as f64;
    let mut ops: Vec<_> = op_share.into_iter().collect();
    ops.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut pairs: Vec<_> = pair_share.into_iter().collect();
    pairs.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!("== all {} cases, equal weight", cases.len());
    for (name, s) in ops.iter().take(40) {
        println!("  {:5.2}%  {name}", 100.0 * s / k);
    }
    for (i, name) in ["ConsumeGas", "ConsumeGasGroup"].iter().enumerate() {
        let a = &arrival_share[3 * i..3 * i + 3];
        println!(
            "  {name} reached by fall-through {:.2}%, jump forward {:.2}%, jump back {:.2}%",
            100.0 * a[0] / k,
            100.0 * a[1] / k,
            100.0 * a[2] / k
        );
    }
    let mut back: Vec<_> = back_share.into_iter().collect();
    back.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (name, s) in back.iter().take(20) {
        println!("  {:5.2}%  {name} jumping to a gas charge", 100.0 * s / k);
    }
    for ((a, b), s) in pairs.iter().take(60) {
        println!("  {:5.2}%  {a} → {b}", 100.0 * s / k);
    }
    let mut deps: Vec<_> = dep_share.into_iter().collect();
    deps.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!(
        "  {:5.2}%  of instructions read the result of the one they fell through from (⇒)",
        100.0 * dep_total / k
    );
    for ((a, b), s) in deps.iter().take(40) {
        println!("  {:5.2}%  {a} ⇒ {b}", 100.0 * s / k);
    }
}
