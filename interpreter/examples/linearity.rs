//! Measures validation + translation time of the pathological shapes at sizes n, 2n, 4n, 8n.
//!
//! `cargo run --release -p gauge-interpreter --example linearity`
//!
//! Prints, per shape and size, the module size, the best-of-7 compile time and the ratio to
//! the smallest size. Linear translation means the 8n/n time ratio stays near 8 (the issue's
//! bound is 10).

#[path = "../tests/shapes/mod.rs"]
mod shapes;

use std::time::{Duration, Instant};

use gauge_interpreter::{Engine, Module};

fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .expect("runs > 0")
}

fn main() {
    let engine = Engine::default();
    println!(
        "{:<26} {:>6} {:>12} {:>12} {:>8}",
        "shape", "n", "bytes", "time", "ratio"
    );
    let mut worst: f64 = 0.0;
    for shape in shapes::SHAPES {
        let base = match shape.name {
            "many-locals" => 2_000,
            "nested-blocks-br_table" => 2_000,
            _ => 5_000,
        };
        let mut first = None;
        for k in [1, 2, 4, 8] {
            let n = base * k;
            let bytes = shape.binary(n);
            let t = best_of(7, || {
                Module::new(&engine, &bytes).expect("valid module");
            });
            let first_t = *first.get_or_insert(t);
            let ratio = t.as_secs_f64() / first_t.as_secs_f64();
            println!(
                "{:<26} {:>6} {:>12} {:>10.3}ms {:>8.2}",
                shape.name,
                n,
                bytes.len(),
                t.as_secs_f64() * 1e3,
                ratio
            );
            if k == 8 {
                worst = worst.max(ratio);
            }
        }
    }
    println!("worst 8n/n time ratio: {worst:.2} (linear = 8, bound 10)");
}
