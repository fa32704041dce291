//! Reading module files and compiling them.

use std::path::Path;

use gauge_interpreter::{Engine, Error, Module};

use crate::exit::Exit;

/// A module file as read from disk and compiled.
pub struct Loaded {
    /// The file's bytes exactly as on disk (what `validate` hashes).
    pub bytes: Vec<u8>,
    /// The validated and translated module.
    pub module: Module,
}

/// Whether `path` names a binary module by its extension (`.wasm`).
fn is_binary_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("wasm"))
}

/// Read the file at `path`.
pub fn read(path: &Path) -> Result<Vec<u8>, Exit> {
    std::fs::read(path).map_err(|e| Exit::usage(format!("cannot read {}: {e}", path.display())))
}

/// Read and compile the module at `path`: a `.wasm` file must be a binary module; any other
/// file may be a binary module or WebAssembly text (`.wat`).
pub fn load(engine: &Engine, path: &Path) -> Result<Loaded, Exit> {
    let bytes = read(path)?;
    let compiled = if is_binary_path(path) {
        Module::from_binary(engine, &bytes)
    } else {
        Module::new(engine, &bytes)
    };
    let module = compiled.map_err(|e| {
        let what = match e {
            Error::Wat(message) => format!("invalid text module: {}", wat_summary(&message)),
            e => e.to_string(),
        };
        Exit::usage(format!("{}: {what}", path.display()))
    })?;
    Ok(Loaded { bytes, module })
}

/// A `.wat` parse error on one line: its first line, and where it is (`line:column`) taken
/// from the source excerpt that follows, which is dropped.
fn wat_summary(message: &str) -> String {
    let mut lines = message.lines();
    let first = lines.next().unwrap_or_default().trim();
    let location = lines
        .find_map(|l| l.trim().strip_prefix("--> "))
        .and_then(|loc| {
            loc.rsplit_once(':').and_then(|(rest, col)| {
                let line = rest.rsplit_once(':')?.1;
                Some(format!("line {line}, column {col}"))
            })
        });
    match location {
        Some(at) => format!("{first} (at {at})"),
        None => first.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wasm_extension_means_binary() {
        assert!(is_binary_path(Path::new("a/b.wasm")));
        assert!(is_binary_path(Path::new("B.WASM")));
        assert!(!is_binary_path(Path::new("b.wat")));
        assert!(!is_binary_path(Path::new("wasm")));
    }

    #[test]
    fn wat_errors_fold_to_one_line() {
        let msg = "expected `(`\n     --> <anon>:3:17\n      |\n    3 | x\n      | ^";
        assert_eq!(wat_summary(msg), "expected `(` (at line 3, column 17)");
        assert_eq!(wat_summary("unknown operator"), "unknown operator");
    }

    #[test]
    fn load_errors_name_the_file() {
        let dir = std::env::temp_dir().join(format!("gauge-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let engine = Engine::default();
        let text = dir.join("bad.wat");
        std::fs::write(&text, "(module\n  (func (result i32)))").unwrap();
        let e = load(&engine, &text).err().unwrap();
        let m = e.message.unwrap();
        assert!(
            m.starts_with(&format!("error: {}: invalid module:", text.display())),
            "{m}"
        );
        let binary = dir.join("bad.wasm");
        std::fs::write(&binary, "(module)").unwrap();
        let m = load(&engine, &binary).err().unwrap().message.unwrap();
        assert!(m.contains("invalid module"), "{m}");
        let m = load(&engine, &dir.join("missing.wat"))
            .err()
            .unwrap()
            .message
            .unwrap();
        assert!(m.contains("cannot read"), "{m}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
