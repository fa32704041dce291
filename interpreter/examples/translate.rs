//! Validates and translates a module `N` times, for profiling translation alone.
//!
//! `cargo run --release -p gauge-interpreter --example translate -- FILE.wasm [N] [--gas]`
//!
//! With `--gas` the module is translated with metering (`Schedule::v1()`). Prints the module
//! size and the total time; under `valgrind --tool=callgrind` the instruction count per
//! translation is the difference of two runs with different `N`, divided by their difference.

use std::time::Instant;

use gauge_interpreter::{Config, Engine, Module};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: translate FILE.wasm [N] [--gas]");
        std::process::exit(2);
    };
    let n: usize = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .nth(1)
        .map_or(1, |s| s.parse().expect("N is a number"));
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut config = Config::default();
    if args.iter().any(|a| a == "--gas") {
        config.gas(gauge_metering::Schedule::v1());
    }
    let engine = Engine::new(&config);
    let t = Instant::now();
    for _ in 0..n {
        if let Err(e) = Module::from_binary(&engine, &bytes) {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    }
    let dt = t.elapsed();
    println!(
        "{} bytes, {n} translations, {:.3} s, {:.1} MB/s",
        bytes.len(),
        dt.as_secs_f64(),
        (bytes.len() * n) as f64 / dt.as_secs_f64() / 1e6
    );
}
