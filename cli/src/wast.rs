//! `gauge wast FILE...`: run WebAssembly spec scripts through `gauge-spec-tests`.
//!
//! One line per file, then a closing total:
//!
//! ```text
//! PASS i32.wast (460 assertions)
//! FAIL broken.wast (3 passed, 2 failed)
//!   broken.wast:7:1: ...
//!   broken.wast:9:1: ...
//! assertions: 463 passed, 2 failed
//! ```
//!
//! A failing file lists at most [`MAX_FAILURE_LINES`] of its failures. What counts as an
//! assertion is defined by `gauge-spec-tests` (every directive counts once). The exit status
//! is 1 if any assertion failed; a file that cannot be read is a usage error (status 2) and
//! stops the command before any script runs.

use std::io::Write;
use std::path::PathBuf;

use gauge_spec_tests::{RunConfig, run_script};

use crate::exit::{Exit, FAILED_ASSERTIONS, SUCCESS, one_line};
use crate::load::read;

/// At most this many failure lines are printed per file.
pub const MAX_FAILURE_LINES: usize = 10;

/// The counts of one script, or of many added up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Assertions that held.
    pub passed: u64,
    /// Assertions that did not.
    pub failed: u64,
}

/// The lines printed for one file: the `PASS`/`FAIL` line and up to [`MAX_FAILURE_LINES`]
/// indented failures (each folded to one line), each with its newline.
pub fn file_lines(name: &str, tally: &Tally, failures: &[String]) -> String {
    if tally.failed == 0 {
        return format!("PASS {name} ({} assertions)\n", tally.passed);
    }
    let mut out = format!(
        "FAIL {name} ({} passed, {} failed)\n",
        tally.passed, tally.failed
    );
    for failure in failures.iter().take(MAX_FAILURE_LINES) {
        out.push_str(&format!("  {}\n", one_line(failure)));
    }
    if failures.len() > MAX_FAILURE_LINES {
        out.push_str(&format!(
            "  ... and {} more\n",
            failures.len() - MAX_FAILURE_LINES
        ));
    }
    out
}

/// The closing line, with its newline.
pub fn total_line(total: &Tally) -> String {
    format!(
        "assertions: {} passed, {} failed\n",
        total.passed, total.failed
    )
}

/// Run `gauge wast` over `files` and write its stdout to `out`.
pub fn command(files: &[PathBuf], out: &mut dyn Write) -> Exit {
    let mut scripts = Vec::with_capacity(files.len());
    for file in files {
        let bytes = match read(file) {
            Ok(bytes) => bytes,
            Err(exit) => return exit,
        };
        match String::from_utf8(bytes) {
            Ok(text) => scripts.push((file.display().to_string(), text)),
            Err(_) => return Exit::usage(format!("{} is not UTF-8 text", file.display())),
        }
    }
    let cfg = RunConfig::default();
    let mut total = Tally::default();
    for (name, text) in &scripts {
        let report = run_script(name, text, &cfg);
        let tally = Tally {
            passed: report.passed,
            failed: report.failed,
        };
        total.passed += tally.passed;
        total.failed += tally.failed;
        if let Err(e) = out.write_all(file_lines(name, &tally, &report.failures).as_bytes()) {
            return Exit::usage(format!("cannot write output: {e}"));
        }
        // Show progress file by file on long runs.
        let _ = out.flush();
    }
    if let Err(e) = out
        .write_all(total_line(&total).as_bytes())
        .and_then(|()| out.flush())
    {
        return Exit::usage(format!("cannot write output: {e}"));
    }
    Exit::with_status(if total.failed == 0 {
        SUCCESS
    } else {
        FAILED_ASSERTIONS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passing_file() {
        let t = Tally {
            passed: 12,
            failed: 0,
        };
        assert_eq!(
            file_lines("a.wast", &t, &[]),
            "PASS a.wast (12 assertions)\n"
        );
    }

    #[test]
    fn failing_file_lists_at_most_ten() {
        let failures: Vec<String> = (1..=12)
            .map(|i| format!("f.wast:{i}:1: bad\nmore"))
            .collect();
        let t = Tally {
            passed: 3,
            failed: 12,
        };
        let text = file_lines("f.wast", &t, &failures);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "FAIL f.wast (3 passed, 12 failed)");
        assert_eq!(lines[1], "  f.wast:1:1: bad more");
        assert_eq!(lines[10], "  f.wast:10:1: bad more");
        assert_eq!(lines[11], "  ... and 2 more");
        assert_eq!(lines.len(), 12);
    }

    #[test]
    fn closing_line() {
        assert_eq!(
            total_line(&Tally {
                passed: 26000,
                failed: 1
            }),
            "assertions: 26000 passed, 1 failed\n"
        );
    }
}
