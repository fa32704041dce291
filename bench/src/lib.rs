//! # gauge-bench
//!
//! Side-by-side benchmarks of Gauge against wasmi 2.0, in one process, in four
//! configurations: Gauge metered (`Schedule::v1`) vs wasmi with fuel, Gauge unmetered vs wasmi
//! unmetered. Gauge metered vs Gauge unmetered gives the cost of gas metering.
//!
//! Three kinds of cases:
//!
//! - **execution**: Gauge's own `.wat` micro kernels ([`kernels`]), the `rust-benchmarks`
//!   programs of the shared corpus ([`corpus`]) and CoreMark, timed per call of the exported
//!   `run` with results checked on every configuration;
//! - **translation**: validate + translate time of large corpus modules, in MB/s (wasmi set
//!   to eager compilation so that both do the same work);
//! - the **metering overhead** derived from the above.
//!
//! Repetitions alternate between the configurations and the median is reported. A case that
//! Gauge fails (trap, wrong result, unsupported import) is reported as `FAILED` with its
//! reason instead of aborting the run. See `docs/performance.md` for how to reproduce and
//! read the numbers.
//!
//! ```no_run
//! use gauge_bench::{Options, run};
//!
//! let report = run(&Options { quick: true, ..Options::default() }).expect("corpus");
//! println!("{}", report.text());
//! ```

#![forbid(unsafe_code)]

pub mod cases;
pub mod corpus;
pub mod engines;
pub mod kernels;
pub mod measure;
pub mod report;
pub mod wasi;

use std::path::{Path, PathBuf};
use std::time::Duration;

use cases::{Group, Mode};
use measure::{RowGroup, Settings};
use report::Report;

/// What to run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// One repetition with smaller inputs (CI smoke), instead of the full benchmark.
    pub quick: bool,
    /// Run only cases whose name contains this string.
    pub filter: Option<String>,
    /// Repetitions per configuration (default: 5 full, 1 quick).
    pub reps: Option<usize>,
    /// The shared corpus directory (default: `../shared/wasm-corpus` from the workspace
    /// root).
    pub corpus: Option<PathBuf>,
    /// Print progress on stderr.
    pub progress: bool,
}

/// Run the benchmarks. The only error is a missing shared corpus while
/// `GAUGE_REQUIRE_SHARED=1`; otherwise a missing corpus skips its cases, with a note in the
/// report.
pub fn run(opts: &Options) -> Result<Report, String> {
    let mode = if opts.quick { Mode::Quick } else { Mode::Full };
    let reps = opts.reps.unwrap_or(if opts.quick { 1 } else { 5 }).max(1);
    let settings = Settings {
        reps,
        translate_target: Duration::from_millis(250),
        progress: opts.progress,
    };
    let wanted = |name: &str| {
        opts.filter
            .as_ref()
            .is_none_or(|f| name.contains(f.as_str()))
    };
    let corpus_dir = opts
        .corpus
        .clone()
        .unwrap_or_else(corpus::default_corpus_dir);
    let corpus_dir = corpus_dir.canonicalize().ok().filter(|d| d.is_dir());
    let mut skipped = Vec::new();
    if corpus_dir.is_none() {
        let missing = format!(
            "shared corpus not found at {} (expected ../shared/wasm-corpus next to the \
             workspace root)",
            opts.corpus
                .clone()
                .unwrap_or_else(corpus::default_corpus_dir)
                .display()
        );
        if corpus::shared_required() {
            return Err(format!(
                "{missing}, and {}=1 is set",
                corpus::REQUIRE_SHARED_ENV
            ));
        }
        let msg = format!("{missing}: skipped the corpus, CoreMark and translation cases");
        skipped.push(msg);
    }

    let load_before = report::load_average();
    let mut rows = Vec::new();
    let progress = |what: &str| {
        if opts.progress {
            eprintln!("gauge-bench: {what}");
        }
    };
    for kernel in kernels::KERNELS {
        if wanted(kernel.name) {
            let case = corpus::kernel_exec_case(kernel, mode);
            progress(&format!("kernel {} ({})", case.name, case.params));
            rows.push(measure::measure_exec(&case, &settings));
        }
    }
    if let Some(dir) = &corpus_dir {
        for c in corpus::CORPUS_CASES {
            if !wanted(c.name) {
                continue;
            }
            match corpus::corpus_exec_case(c, dir, mode) {
                Ok(case) => {
                    progress(&format!("corpus {} ({})", case.name, case.params));
                    rows.push(measure::measure_exec(&case, &settings));
                }
                Err(e) => rows.push(measure::failed_row(
                    RowGroup::Exec(Group::Corpus),
                    c.name,
                    &e,
                )),
            }
        }
        for c in corpus::CONTRACT_CASES {
            if !wanted(c.name) {
                continue;
            }
            match corpus::contract_exec_case(c, dir, mode) {
                Ok(case) => {
                    progress(&format!("contract {} ({})", case.name, case.params));
                    rows.push(measure::measure_exec(&case, &settings));
                }
                Err(e) => rows.push(measure::failed_row(
                    RowGroup::Exec(Group::Contract),
                    c.name,
                    &e,
                )),
            }
        }
        if wanted("coremark") {
            match corpus::coremark_case(dir, coremark_speedup(mode)) {
                Ok(case) => {
                    progress("coremark");
                    let cm_settings = Settings {
                        reps: if opts.quick { 1 } else { reps.min(3) },
                        ..settings
                    };
                    rows.push(measure::measure_exec(&case, &cm_settings));
                }
                Err(e) => rows.push(measure::failed_row(
                    RowGroup::Exec(Group::CoreMark),
                    "coremark",
                    &e,
                )),
            }
        }
        for m in corpus::TRANSLATE_MODULES {
            if !wanted(m.name) {
                continue;
            }
            let path = dir.join(m.path);
            match std::fs::read(&path) {
                Ok(bytes) => {
                    progress(&format!("translate {} ({} B)", m.name, bytes.len()));
                    rows.push(measure::measure_translate(m.name, &bytes, &settings));
                }
                Err(e) => rows.push(measure::failed_row(
                    RowGroup::Translate,
                    m.name,
                    &format!("cannot read {}: {e}", path.display()),
                )),
            }
        }
    }
    Ok(Report {
        mode: if opts.quick { "quick" } else { "full" },
        reps,
        corpus: corpus_dir.map(|d| d.display().to_string()),
        rows,
        skipped,
        load: (load_before, report::load_average()),
    })
}

/// Every execution case at `mode`'s size, for the examples that run one case or profile them
/// all: the kernels, and, when `corpus` is a directory, the corpus programs, the contracts
/// and CoreMark (a case whose files are missing is left out).
pub fn all_exec_cases(mode: Mode, corpus: &Path) -> Vec<cases::ExecCase> {
    let mut all = corpus::kernel_cases(mode);
    if corpus.is_dir() {
        for c in corpus::CORPUS_CASES {
            all.extend(corpus::corpus_exec_case(c, corpus, mode));
        }
        for c in corpus::CONTRACT_CASES {
            all.extend(corpus::contract_exec_case(c, corpus, mode));
        }
        all.extend(corpus::coremark_case(corpus, coremark_speedup(mode)));
    }
    all
}

/// How much faster than real time CoreMark's clock runs in `mode`: CoreMark runs until its
/// clock has seen about ten seconds, which is too long to repeat in four configurations.
///
/// The smoke test's clock runs 50x, as with `--quick` (a run takes about 0.2 s): CoreMark
/// calibrates its iteration count on its first clock-second, and at the 1000x it had before,
/// that second was one real millisecond, so one preemption of a few milliseconds on a loaded
/// machine made it pick too few iterations, end before ten clock-seconds and report 0 (an
/// invalid run; seen once in CI while another build ran on the same two cores).
pub fn coremark_speedup(mode: Mode) -> u32 {
    match mode {
        Mode::Full => 10,
        Mode::Quick => 50,
        Mode::Smoke => 50,
    }
}
