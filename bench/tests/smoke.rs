//! Smoke test of the benchmark cases: every kernel and every corpus case runs once with tiny
//! inputs on Gauge, metered and unmetered, and its results are checked. No timing
//! assertions.
//!
//! Corpus cases are skipped with a message when `../shared/wasm-corpus` is absent, and fail
//! instead when `GAUGE_REQUIRE_SHARED=1`.

#![forbid(unsafe_code)]

use std::path::PathBuf;

use gauge_bench::cases::{ExecCase, Mode, Prepared};
use gauge_bench::corpus::{
    self, CORPUS_CASES, coremark_case, corpus_exec_case, default_corpus_dir, kernel_cases,
};
use gauge_bench::engines::EngineKind;

const GAUGE: [EngineKind; 2] = [EngineKind::GaugeUnmetered, EngineKind::GaugeMetered];

/// Run `case` once in `kind` and apply its checks.
fn run_once(case: &ExecCase, kind: EngineKind) -> Result<(), String> {
    let mut p = Prepared::new(case, kind)?;
    p.run(case)?;
    p.check(case)?;
    if kind.is_metered() {
        let gas = p.instance.gas_used().unwrap_or(0);
        if gas == 0 {
            return Err("metered run used no gas".into());
        }
    }
    Ok(())
}

/// The corpus directory, or `None` (after a message) when it is absent and not required.
fn corpus_dir() -> Option<PathBuf> {
    let dir = default_corpus_dir();
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        !corpus::shared_required(),
        "shared corpus not found at {} and {}=1 is set",
        dir.display(),
        corpus::REQUIRE_SHARED_ENV
    );
    eprintln!(
        "SKIPPED: shared corpus not found at {}; corpus cases not run",
        dir.display()
    );
    None
}

#[test]
fn kernels_compute_their_reference_results() {
    let mut failures = Vec::new();
    for case in kernel_cases(Mode::Smoke) {
        for kind in GAUGE {
            if let Err(e) = run_once(&case, kind) {
                failures.push(format!("{} on {}: {e}", case.name, kind.label()));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn kernels_agree_with_wasmi() {
    for case in kernel_cases(Mode::Smoke) {
        for kind in [EngineKind::WasmiUnmetered, EngineKind::WasmiFuel] {
            run_once(&case, kind)
                .unwrap_or_else(|e| panic!("{} on {}: {e}", case.name, kind.label()));
        }
    }
}

#[test]
fn corpus_cases_check_out_on_gauge() {
    let Some(dir) = corpus_dir() else { return };
    let mut failures = Vec::new();
    for c in CORPUS_CASES {
        let case = corpus_exec_case(c, &dir, Mode::Smoke).expect("corpus files readable");
        for kind in GAUGE {
            if let Err(e) = run_once(&case, kind) {
                failures.push(format!("{} on {}: {e}", c.name, kind.label()));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn coremark_scores_on_gauge() {
    let Some(dir) = corpus_dir() else { return };
    let case =
        coremark_case(&dir, gauge_bench::coremark_speedup(Mode::Smoke)).expect("coremark readable");
    for kind in GAUGE {
        run_once(&case, kind).unwrap_or_else(|e| panic!("coremark on {}: {e}", kind.label()));
    }
}

#[test]
fn translation_modules_validate_on_gauge() {
    let Some(dir) = corpus_dir() else { return };
    for m in corpus::TRANSLATE_MODULES {
        let bytes = std::fs::read(dir.join(m.path)).expect("module readable");
        for kind in GAUGE {
            gauge_bench::engines::Translator::new(kind)
                .translate(&bytes)
                .unwrap_or_else(|e| panic!("{} on {}: {e}", m.name, kind.label()));
        }
    }
}

#[test]
fn quick_run_reports_text_and_json() {
    let report = gauge_bench::run(&gauge_bench::Options {
        quick: true,
        filter: Some("fib".into()),
        ..Default::default()
    })
    .expect("a filtered quick run");
    let text = report.text();
    assert!(text.contains("fib"), "{text}");
    assert!(text.contains("Metering overhead"), "{text}");
    let json = report.json();
    assert!(json.starts_with('{') && json.ends_with('}'), "{json}");
    assert!(json.contains("\"case\":\"fib\""), "{json}");
}
