//! `gauge-bench`: Gauge vs wasmi 2.0 side by side, printing times, ratios and the cost of gas
//! metering. See `docs/performance.md`.

#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Benchmark Gauge against wasmi 2.0 (metered and unmetered) in one process.
#[derive(Debug, Parser)]
#[command(name = "gauge-bench", version)]
struct Args {
    /// Print one JSON object instead of tables.
    #[arg(long)]
    json: bool,
    /// Run only cases whose name contains this string.
    #[arg(long, value_name = "S")]
    filter: Option<String>,
    /// One repetition with smaller inputs (CI smoke).
    #[arg(long)]
    quick: bool,
    /// Repetitions per configuration (default 5; 1 with --quick).
    #[arg(long, value_name = "N")]
    reps: Option<usize>,
    /// Shared corpus directory (default: ../shared/wasm-corpus from the workspace root).
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// No progress lines on stderr.
    #[arg(long)]
    silent: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let opts = gauge_bench::Options {
        quick: args.quick,
        filter: args.filter,
        reps: args.reps,
        corpus: args.corpus,
        progress: !args.silent,
    };
    match gauge_bench::run(&opts) {
        Ok(report) => {
            if args.json {
                println!("{}", report.json());
            } else {
                print!("{}", report.text());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gauge-bench: error: {e}");
            ExitCode::FAILURE
        }
    }
}
