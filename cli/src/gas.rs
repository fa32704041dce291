//! `gauge schedule` and `gauge instrument`: the gas schedule, and modules carrying its charges.

use std::io::Write;
use std::path::Path;

use gauge_interpreter::Engine;
use gauge_metering::{Schedule, instrument as instrument_module};

use crate::exit::Exit;
use crate::load::load;

fn write(out: &mut dyn Write, text: &str) -> Exit {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Exit::success(),
        Err(e) => Exit::usage(format!("cannot write output: {e}")),
    }
}

/// `gauge schedule`: the default schedule as Markdown, with its version and id.
pub fn schedule(out: &mut dyn Write) -> Exit {
    write(out, &Schedule::v1().markdown())
}

/// `gauge instrument FILE -o OUTPUT`: validate `file` (binary or text) and write it with the
/// default schedule's charges as calls to `gauge.gas(i64)`.
pub fn instrument(file: &Path, output: &Path, out: &mut dyn Write) -> Exit {
    let loaded = match load(&Engine::default(), file) {
        Ok(l) => l,
        Err(exit) => return exit,
    };
    let binary = if loaded.bytes.starts_with(b"\0asm") {
        loaded.bytes
    } else {
        match wat::parse_bytes(&loaded.bytes) {
            Ok(b) => b.into_owned(),
            Err(e) => return Exit::usage(format!("{}: {e}", file.display())),
        }
    };
    let instrumented = match instrument_module(&Schedule::v1(), &binary) {
        Ok(w) => w,
        Err(e) => return Exit::usage(format!("{}: {e}", file.display())),
    };
    if let Err(e) = std::fs::write(output, &instrumented) {
        return Exit::usage(format!("cannot write {}: {e}", output.display()));
    }
    write(
        out,
        &format!(
            "wrote {} ({} bytes; schedule v{} {})\n",
            output.display(),
            instrumented.len(),
            Schedule::v1().version,
            Schedule::v1().id_hex()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_prints_version_id_and_classes() {
        let mut out = Vec::new();
        assert_eq!(schedule(&mut out), Exit::success());
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(&Schedule::v1().id_hex()));
        assert!(text.contains("| IntDiv | 8 |"));
    }

    #[test]
    fn instrument_writes_a_module_importing_gas() {
        let dir = std::env::temp_dir().join(format!("gauge-instrument-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let src = dir.join("m.wat");
        let dst = dir.join("m.wasm");
        std::fs::write(
            &src,
            r#"(module (func (export "f") (result i32) (i32.const 1)))"#,
        )
        .unwrap();
        let mut out = Vec::new();
        assert_eq!(instrument(&src, &dst, &mut out), Exit::success());
        let wasm = std::fs::read(&dst).unwrap();
        let module = gauge_interpreter::Module::new(&Engine::default(), &wasm).unwrap();
        let imports: Vec<_> = module
            .imports()
            .map(|(m, n, _)| format!("{m}.{n}"))
            .collect();
        assert_eq!(imports, ["gauge.gas"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
