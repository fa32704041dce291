//! Write the wasm-smith module a fuzz input produces to a file: `cargo run --example dump -- IN OUT`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = std::fs::read(&args[1]).expect("input");
    let mut u = arbitrary::Unstructured::new(&data);
    let s = gauge_fuzz::smith(&mut u, true).expect("module");
    std::fs::write(&args[2], &s.wasm).expect("output");
    println!("canonical NaNs: {}", s.canonical_nans);
    let r = gauge_fuzz::differential(&s.wasm, s.canonical_nans, &mut u);
    println!("{r:?}");
}
