//! Translation stays linear on pathological shapes: the internal code produced for a module 8×
//! larger is at most 8× larger (plus a constant), a deterministic proxy for translation work.
//! Timings of the same shapes are measured by `cargo run --release --example linearity`.

mod shapes;

use gauge_interpreter::{Engine, Module};

fn compile(shape: &shapes::Shape, n: usize) -> (usize, u64) {
    let bytes = shape.binary(n);
    let module = Module::new(&Engine::default(), &bytes)
        .unwrap_or_else(|e| panic!("{} n={n}: {e}", shape.name));
    (bytes.len(), module.stats().instructions)
}

#[test]
fn internal_code_grows_linearly_with_module_size() {
    for shape in shapes::SHAPES {
        let n = if shape.name == "many-locals" {
            100
        } else {
            500
        };
        let (size1, ops1) = compile(shape, n);
        let (size8, ops8) = compile(shape, 8 * n);
        assert!(
            size8 >= 7 * size1,
            "{}: generator does not scale ({size1} -> {size8})",
            shape.name
        );
        assert!(
            ops8 <= 8 * ops1 + 64,
            "{}: {ops1} instructions at {size1} B but {ops8} at {size8} B",
            shape.name
        );
    }
}
