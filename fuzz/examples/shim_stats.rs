//! What the `shim` target's inputs do: `cargo run --release --example shim_stats -- DIR…`
//! prints how calls ended, how often each WASI function is imported, and how many successful
//! calls changed the state root.
use std::collections::BTreeMap;

fn main() {
    let imports = gauge_fuzz::wasi_imports();
    let mut status: BTreeMap<String, usize> = BTreeMap::new();
    let mut traps: BTreeMap<String, usize> = BTreeMap::new();
    let mut imported: BTreeMap<String, usize> = BTreeMap::new();
    let (mut inputs, mut modules, mut changed, mut output, mut logs) = (0, 0, 0, 0, 0);
    for dir in std::env::args().skip(1) {
        for entry in std::fs::read_dir(&dir).expect("a directory") {
            let data = std::fs::read(entry.expect("entry").path()).expect("input");
            inputs += 1;
            let mut u = arbitrary::Unstructured::new(&data);
            let Ok(setup) = gauge_fuzz::ShimSetup::arbitrary(&mut u) else {
                continue;
            };
            let Ok(wasm) = gauge_fuzz::smith_wasi_module(&mut u, &imports) else {
                continue;
            };
            let engine = gauge_interpreter::Engine::new(&gauge_wasi_shim::chain_config());
            let Ok(module) = gauge_interpreter::Module::from_binary(&engine, &wasm) else {
                *status.entry("invalid module".into()).or_default() += 1;
                continue;
            };
            modules += 1;
            for (_, name, _) in module.imports() {
                *imported.entry(name.to_string()).or_default() += 1;
            }
            let mut state = setup.state(&wasm).expect("setup");
            let before = state.root().expect("root");
            let r = gauge_wasi_shim::execute(&engine, &module, &mut state, &setup.ctx)
                .expect("execute");
            let mut key = r.status.to_string();
            if r.status == gauge_wasi_shim::Status::OutOfGas
                && setup.ctx.gas_limit == gauge_fuzz::SHIM_MAX_GAS
            {
                key.push_str(" (at the full limit)");
            }
            if std::env::var_os("SHIM_STATS_VERBOSE").is_some() {
                eprintln!(
                    "{} limit {} used {} len {}",
                    r.status,
                    setup.ctx.gas_limit,
                    r.gas_used,
                    data.len()
                );
            }
            *status.entry(key).or_default() += 1;
            if let Some(t) = &r.trap {
                let t: String = t.chars().take(60).collect();
                *traps.entry(t).or_default() += 1;
            }
            changed += usize::from(r.state_root != before);
            output += usize::from(!r.output.is_empty());
            logs += usize::from(!r.logs.is_empty());
        }
    }
    println!("{inputs} inputs, {modules} modules; status: {status:?}");
    println!("state root changed: {changed}; with output: {output}; with logs: {logs}");
    println!("traps: {traps:#?}");
    println!("imports: {imported:?}");
}
