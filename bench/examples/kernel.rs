//! Run one micro kernel once in one configuration, for instruction counts with callgrind
//! (the bench itself runs all four configurations, so its counts mix them):
//!
//! ```sh
//! cargo build --release -p gauge-bench --example kernel
//! valgrind --tool=callgrind target/release/examples/kernel fib 24 gauge_metered
//! ```
//!
//! Arguments: the kernel's name (`bench/kernels/NAME.wat`), `n`, and the configuration
//! (`gauge_metered`, `gauge_unmetered`, `wasmi_fuel`, `wasmi_unmetered`). Prints the result,
//! checked against the kernel's Rust reference.

#![forbid(unsafe_code)]

use gauge_bench::engines::{EngineKind, Imports, Instance, Val};
use gauge_bench::kernels::KERNELS;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: kernel NAME N CONFIG (gauge_metered | gauge_unmetered | wasmi_fuel | \
                 wasmi_unmetered)";
    let [name, n, config] = args.as_slice() else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let Some(kernel) = KERNELS.iter().find(|k| k.name == name) else {
        let names: Vec<&str> = KERNELS.iter().map(|k| k.name).collect();
        eprintln!("no kernel `{name}`; kernels: {}", names.join(", "));
        std::process::exit(2);
    };
    let Ok(n) = n.parse::<i32>() else {
        eprintln!("N must be an i32, not `{n}`");
        std::process::exit(2);
    };
    let Some(kind) = EngineKind::ALL.into_iter().find(|k| k.label() == config) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let mut instance = Instance::new(kind, &kernel.wasm(), Imports::None).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let got = instance.call("run", &[Val::I32(n)]).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let expected = kernel.expected(n);
    if got != [expected] {
        eprintln!("{name}({n}) on {config}: got {got:?}, expected {expected:?}");
        std::process::exit(1);
    }
    println!("{name}({n}) on {config} = {got:?}");
}
