//! Write the wasm-smith module a fuzz input produces to a file: `cargo run --example dump -- IN OUT`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = std::fs::read(&args[1]).expect("input");
    let mut u = arbitrary::Unstructured::new(&data);
    let wasm = gauge_fuzz::smith_module(&mut u, true).expect("module");
    std::fs::write(&args[2], &wasm).expect("output");
    let r = gauge_fuzz::differential(&wasm, &mut u);
    println!("{r:?}");
}
