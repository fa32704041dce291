//! How a command ends: an exit status and at most one line for stderr.

/// Exit status of a successful command.
pub const SUCCESS: u8 = 0;
/// Exit status of `gauge wast` when assertions failed.
pub const FAILED_ASSERTIONS: u8 = 1;
/// Exit status of usage errors and of modules that cannot be read, compiled or instantiated.
pub const USAGE: u8 = 2;
/// Exit status of `gauge run` when the call trapped, ran out of gas or exhausted a limit.
pub const TRAPPED: u8 = 3;
/// Exit status of `gauge run` when a contract reverted (`proc_exit(n)` with `n != 0`).
pub const REVERTED: u8 = 4;
/// Exit status of `gauge state get` when the key is not there.
pub const NOT_FOUND: u8 = 1;
/// Exit status of `gauge verify` and `gauge receipts --verify` when a check fails.
pub const CHECK_FAILED: u8 = 1;

/// The end of a command: the process exit status and the line, if any, printed on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exit {
    /// The process exit status.
    pub status: u8,
    /// The complete stderr line (without the newline), if the command has one.
    pub message: Option<String>,
}

impl Exit {
    /// A successful end with nothing on stderr.
    pub fn success() -> Self {
        Self {
            status: SUCCESS,
            message: None,
        }
    }

    /// An end with `status` and nothing on stderr.
    pub fn with_status(status: u8) -> Self {
        Self {
            status,
            message: None,
        }
    }

    /// A usage or module error: status 2 and `error: <what>` on stderr, on one line.
    pub fn usage(what: impl AsRef<str>) -> Self {
        Self {
            status: USAGE,
            message: Some(format!("error: {}", one_line(what.as_ref()))),
        }
    }
}

/// Fold a possibly multi-line message (such as a `.wat` parse error with its source excerpt)
/// into one line: lines are trimmed, empty ones dropped, and the rest joined with a space.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_folds_lines() {
        assert_eq!(
            one_line("expected `(`\n  --> a.wat:1:1\n   |\n"),
            "expected `(` --> a.wat:1:1 |"
        );
        assert_eq!(one_line("plain"), "plain");
        assert_eq!(one_line("\n\n"), "");
    }

    #[test]
    fn usage_is_status_2_with_prefix() {
        let e = Exit::usage("bad\nthing");
        assert_eq!(e.status, USAGE);
        assert_eq!(e.message.as_deref(), Some("error: bad thing"));
    }
}
