//! Run one execution case in one configuration, for timing it alone or counting its
//! instructions and branch mispredictions with callgrind (the bench itself runs all four
//! configurations in one process, so its counts mix them):
//!
//! ```sh
//! cargo build --release -p gauge-bench --example case
//! target/release/examples/case prime-sieve gauge_metered 5
//! valgrind --tool=callgrind --branch-sim=yes target/release/examples/case prime-sieve gauge_metered 1 --quick
//! ```
//!
//! Arguments: a name (the first case whose name contains it: kernels, corpus programs,
//! contracts, CoreMark), the configuration (`gauge_metered`, `gauge_unmetered`, `wasmi_fuel`,
//! `wasmi_unmetered`), and how many timed repetitions (default 1); `--quick` takes the
//! bench's quick sizes. Prints the time of each repetition and checks the results.

#![forbid(unsafe_code)]

use std::time::Instant;

use gauge_bench::cases::{ExecCase, Mode, Prepared};
use gauge_bench::corpus;
use gauge_bench::engines::EngineKind;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let pos: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let usage = "usage: case NAME CONFIG [REPEAT] [--quick]; CONFIG is gauge_metered, \
                 gauge_unmetered, wasmi_fuel or wasmi_unmetered";
    let (name, config, repeat) = match pos.as_slice() {
        [n, c] => (n.as_str(), c.as_str(), 1),
        [n, c, r] => match r.parse::<u32>() {
            Ok(r) => (n.as_str(), c.as_str(), r),
            Err(_) => fail(usage),
        },
        _ => fail(usage),
    };
    let Some(kind) = EngineKind::ALL.into_iter().find(|k| k.label() == config) else {
        fail(usage)
    };
    let mode = if quick { Mode::Quick } else { Mode::Full };
    let dir = corpus::default_corpus_dir();
    if !dir.is_dir() {
        eprintln!("no shared corpus at {}: kernels only", dir.display());
    }
    let cases: Vec<ExecCase> = gauge_bench::all_exec_cases(mode, &dir);
    let Some(case) = cases.iter().find(|c| c.name.contains(name)) else {
        let names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
        fail(&format!(
            "no case matches `{name}`; cases: {}",
            names.join(", ")
        ))
    };
    let mut prepared = Prepared::new(case, kind).unwrap_or_else(|e| fail(&e));
    for i in 0..repeat {
        let start = Instant::now();
        prepared.run(case).unwrap_or_else(|e| fail(&e));
        let t = start.elapsed();
        if i == 0 {
            prepared.check(case).unwrap_or_else(|e| fail(&e));
        }
        println!(
            "{} ({}) {config}: {:.3} ms",
            case.name,
            case.params,
            t.as_secs_f64() * 1e3
        );
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("{msg}");
    std::process::exit(2)
}
