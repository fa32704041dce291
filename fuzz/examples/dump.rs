//! Write the wasm-smith module a fuzz input produces to a file and print the target's verdict:
//! `cargo run --example dump -- IN OUT [--metering]`. With `--metering`, the verdict is the
//! metering target's, and each step's outcome and gas on Gauge (built-in), wasmi 2.0 and
//! wasmi 0.31 (both running the instrumented module) are printed first.
use gauge_fuzz::{GaugeOracle, LegacyWasmiOracle, Oracle, WasmiOracle};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = std::fs::read(&args[1]).expect("input");
    let metering = args.iter().any(|a| a == "--metering");
    let mut u = arbitrary::Unstructured::new(&data);
    let s = gauge_fuzz::smith(&mut u, true).expect("module");
    std::fs::write(&args[2], &s.wasm).expect("output");
    println!("canonical NaNs: {}", s.canonical_nans);
    if !metering {
        let r = gauge_fuzz::differential(&s.wasm, s.canonical_nans, &mut u);
        println!("{r:?}");
        return;
    }
    // The calls the target makes: planned from the same remaining input.
    let schedule = gauge_metering::Schedule::v1();
    let instrumented = gauge_metering::instrument(&schedule, &s.wasm).expect("instrumentable");
    let rest = u.take_rest();
    let mut plan_u = arbitrary::Unstructured::new(rest);
    let mut gauge = GaugeOracle::new(Some(schedule));
    let calls = if gauge.instantiate(&s.wasm).is_ok() {
        gauge_fuzz::plan(&gauge.exports(), &mut plan_u)
    } else {
        Vec::new()
    };
    let engines: [(&str, Box<dyn Oracle>, &[u8]); 3] = [
        (
            "gauge",
            Box::new(GaugeOracle::new(Some(gauge_metering::Schedule::v1()))),
            &s.wasm,
        ),
        ("wasmi 2.0", Box::new(WasmiOracle::new()), &instrumented),
        (
            "wasmi 0.31",
            Box::new(LegacyWasmiOracle::new()),
            &instrumented,
        ),
    ];
    for (name, mut oracle, wasm) in engines {
        for step in gauge_fuzz::trace(oracle.as_mut(), wasm, &calls) {
            println!(
                "{name}: {} -> {:?}, gas {}",
                step.what, step.outcome, step.gas
            );
        }
    }
    let r = gauge_fuzz::metering(
        &s.wasm,
        s.canonical_nans,
        &mut arbitrary::Unstructured::new(rest),
    );
    println!("{r:?}");
}
