//! `gauge validate FILE`: validate and translate a module without instantiating it, and print
//! a summary of `key: value` lines:
//!
//! ```text
//! valid: examples/fib.wat
//! functions: 2
//! code bytes: 75
//! instructions: 24
//! sha256: e7cfad5ab4d41aa9ef5f6d1ecf97bb62a2d762c70a629d4b9f9a886259468bb4
//! ```
//!
//! `functions` counts the functions the module defines (not imports), `code bytes` the bytes
//! of their bodies in the binary encoding, `instructions` the internal instructions the
//! translator produced, and `sha256` is the SHA-256 of the file exactly as it is on disk (for a
//! `.wat` file, of its text). An invalid module exits with status 2 and one `error:` line.

use std::fmt;
use std::io::Write;
use std::path::Path;

use gauge_interpreter::{Config, Engine, ModuleStats};
use sha2::{Digest, Sha256};

use crate::exit::Exit;
use crate::load::load;

/// What `validate` reports about a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The file as given on the command line.
    pub file: String,
    /// Sizes measured during compilation.
    pub stats: ModuleStats,
    /// SHA-256 of the file's bytes, in lowercase hex.
    pub sha256: String,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "valid: {}", self.file)?;
        writeln!(f, "functions: {}", self.stats.functions)?;
        writeln!(f, "code bytes: {}", self.stats.code_bytes)?;
        writeln!(f, "instructions: {}", self.stats.instructions)?;
        writeln!(f, "sha256: {}", self.sha256)
    }
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Validate and translate `file` under `config`.
pub fn summarize(config: &Config, file: &Path) -> Result<Summary, Exit> {
    let loaded = load(&Engine::new(config), file)?;
    Ok(Summary {
        file: file.display().to_string(),
        stats: loaded.module.stats(),
        sha256: sha256_hex(&loaded.bytes),
    })
}

/// Run `gauge validate` and write its stdout to `out`.
pub fn command(file: &Path, out: &mut dyn Write) -> Exit {
    match summarize(&Config::default(), file) {
        Ok(summary) => match write!(out, "{summary}").and_then(|()| out.flush()) {
            Ok(()) => Exit::success(),
            Err(e) => Exit::usage(format!("cannot write output: {e}")),
        },
        Err(exit) => exit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_inputs() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn summary_format() {
        let s = Summary {
            file: "m.wat".into(),
            stats: ModuleStats {
                functions: 2,
                code_bytes: 40,
                instructions: 17,
            },
            sha256: "ab".into(),
        };
        assert_eq!(
            s.to_string(),
            "valid: m.wat\nfunctions: 2\ncode bytes: 40\ninstructions: 17\nsha256: ab\n"
        );
    }
}
