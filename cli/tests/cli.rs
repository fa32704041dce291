//! End-to-end tests of the `gauge` binary on the bundled examples and small generated files:
//! exit statuses, stdout formats (human and JSON) and one-line stderr messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sha2::{Digest, Sha256};

/// The repository's `examples/` directory.
fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name)
}

/// Run `gauge` with `args`.
fn gauge<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gauge"))
        .args(args)
        .output()
        .expect("gauge runs")
}

/// Run `gauge run <example> --invoke <rest...>`.
fn run_example(file: &str, rest: &[&str]) -> Output {
    let path = example(file);
    let mut args = vec![
        "run".to_string(),
        path.display().to_string(),
        "--invoke".into(),
    ];
    args.extend(rest.iter().map(|s| s.to_string()));
    gauge(&args)
}

/// Stdout, with the `gas_used`/`gas_limit` fields of JSON output removed (the tests of gas
/// itself read them with [`gas_fields`]).
fn stdout(o: &Output) -> String {
    let text = String::from_utf8(o.stdout.clone()).expect("utf-8 stdout");
    match text.find(",\"gas_used\":") {
        Some(start) => {
            let end = text[start..].find('}').map_or(text.len(), |e| start + e);
            format!("{}{}", &text[..start], &text[end..])
        }
        None => text,
    }
}

/// `(gas_used, gas_limit)` of a `--json` output.
fn gas_fields(o: &Output) -> (u64, u64) {
    let text = String::from_utf8(o.stdout.clone()).expect("utf-8 stdout");
    let field = |name: &str| -> u64 {
        let at = text.find(&format!("\"{name}\":")).expect("gas field") + name.len() + 3;
        text[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap()
    };
    (field("gas_used"), field("gas_limit"))
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

/// Assert exit status 2 with exactly one `error: ` line on stderr containing `needle`, and
/// nothing on stdout.
fn assert_usage_error(o: &Output, needle: &str) {
    assert_eq!(
        o.status.code(),
        Some(2),
        "stdout: {}\nstderr: {}",
        stdout(o),
        stderr(o)
    );
    let err = stderr(o);
    assert_eq!(err.lines().count(), 1, "one line: {err:?}");
    assert!(err.starts_with("error: "), "{err:?}");
    assert!(err.contains(needle), "{err:?} lacks {needle:?}");
    assert_eq!(stdout(o), "");
}

/// A scratch directory for one test.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("gauge-cli-{}-{test}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        Scratch(dir)
    }

    fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("write scratch file");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn fib_prints_one_result_per_line() {
    let o = run_example("fib.wat", &["fib", "30"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "i64:832040\n");
    assert_eq!(stderr(&o), "");
}

#[test]
fn fib_json_success() {
    let o = run_example("fib.wat", &["fib", "90", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "{\"status\":\"success\",\"trap\":null,\"results\":[\"i64:2880067194370816120\"]}\n"
    );
    // `--json` may come before or after the function's arguments.
    let fib = example("fib.wat");
    let before = gauge(&[
        "run".as_ref(),
        "--json".as_ref(),
        fib.as_os_str(),
        "--invoke".as_ref(),
        "fib_rec".as_ref(),
        "20".as_ref(),
    ]);
    let o = run_example("fac.wat", &["fac", "20", "--json"]);
    assert!(
        stdout(&before).contains("\"results\":[\"i64:6765\"]"),
        "{}",
        stdout(&before)
    );
    assert!(
        stdout(&o).contains("\"results\":[\"i64:2432902008176640000\"]"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn nan_is_canonical() {
    let o = run_example("nan.wat", &["div0"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "i32:2143289344\n");
    let o = run_example("nan.wat", &["div", "0", "-0", "--json"]);
    assert_eq!(
        stdout(&o),
        "{\"status\":\"success\",\"trap\":null,\"results\":[\"f32:0x7fc00000\"]}\n"
    );
    // Bit operations and moves keep NaN bits.
    assert_eq!(
        stdout(&run_example("nan.wat", &["neg_nan"])),
        "f32:0xffc00000 (nan)\n"
    );
    assert_eq!(
        stdout(&run_example("nan.wat", &["id", "0x7fa00001"])),
        "f32:0x7fa00001 (nan)\n"
    );
    assert_eq!(
        stdout(&run_example("nan.wat", &["div", "3", "2"])),
        "f32:0x3fc00000 (1.5)\n"
    );
    assert_eq!(
        stdout(&run_example("nan.wat", &["div", "1", "-0"])),
        "f32:0xff800000 (-inf)\n"
    );
}

#[test]
fn trap_exits_3() {
    let o = run_example("trap.wat", &["div", "7", "0", "--json"]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(
        stdout(&o),
        "{\"status\":\"trap\",\"trap\":\"integer divide by zero\",\"results\":[]}\n"
    );
    assert_eq!(stderr(&o), "trap: integer divide by zero\n");

    let o = run_example("trap.wat", &["unreachable"]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(stdout(&o), "");
    assert_eq!(stderr(&o), "trap: unreachable\n");

    let o = run_example("trap.wat", &["div", "-7", "2"]);
    assert_eq!(
        (o.status.code(), stdout(&o)),
        (Some(0), "i32:-3\n".to_string())
    );
}

#[test]
fn deep_recursion_succeeds() {
    for n in ["900", "1000", "5000"] {
        let o = run_example("recursion.wat", &["depth", n]);
        assert_eq!(o.status.code(), Some(0), "depth {n}: {}", stderr(&o));
        assert_eq!(stdout(&o), format!("i32:{n}\n"));
    }
}

#[test]
fn unbounded_recursion_is_exhausted_the_same_way_every_run() {
    let expected = "{\"status\":\"exhausted\",\"trap\":\"call stack exhausted\",\"results\":[]}\n";
    for _ in 0..3 {
        let o = run_example("recursion.wat", &["forever", "--json"]);
        assert_eq!(o.status.code(), Some(3));
        assert_eq!(stdout(&o), expected);
        assert_eq!(stderr(&o), "exhausted: call stack exhausted\n");
    }
    // The call-depth limit is 10,000 frames, the entry frame included.
    assert_eq!(
        run_example("recursion.wat", &["depth", "9999"])
            .status
            .code(),
        Some(0)
    );
    let o = run_example("recursion.wat", &["depth", "10000", "--json"]);
    assert_eq!(
        (o.status.code(), stdout(&o)),
        (Some(3), expected.to_string())
    );
}

#[test]
fn bad_arguments_exit_2() {
    assert_usage_error(
        &run_example("trap.wat", &["div", "7"]),
        "takes 2 arguments (i32 i32), 1 given",
    );
    assert_usage_error(
        &run_example("trap.wat", &["div", "7", "x"]),
        "argument 2 of `div` (i32)",
    );
    assert_usage_error(
        &run_example("trap.wat", &["div", "7", "1.5"]),
        "expected a decimal",
    );
    assert_usage_error(
        &run_example("trap.wat", &["div", "4294967296", "1"]),
        "argument 1",
    );
    assert_usage_error(&run_example("nan.wat", &["div", "1", "one"]), "(f32)");
    assert_usage_error(
        &run_example("fib.wat", &["nope", "1"]),
        "no exported function `nope`",
    );
    assert_usage_error(
        &run_example("fib.wat", &["fib", "1", "--frobnicate"]),
        "--frobnicate",
    );
    // Without --invoke a module is run as a contract, which needs `_start`.
    assert_usage_error(
        &gauge(&["run".as_ref(), example("fib.wat").as_os_str()]),
        "no `_start` export to run as a contract (use --invoke NAME",
    );
    assert_usage_error(
        &gauge(&["run", "no/such/file.wat", "--invoke", "f"]),
        "cannot read",
    );
    assert_usage_error(&gauge(&["frobnicate"]), "frobnicate");
}

#[test]
fn invalid_module_exits_2() {
    let s = Scratch::new("invalid");
    let bad = s.file("bad.wat", "(module (func (result i32) (i64.const 1)))");
    let o = gauge(&[
        "run".as_ref(),
        bad.as_os_str(),
        "--invoke".as_ref(),
        "f".as_ref(),
    ]);
    assert_usage_error(&o, "invalid module: type mismatch");
    assert!(stderr(&o).contains("at offset 0x"), "{}", stderr(&o));

    let syntax = s.file("syntax.wat", "(module\n  (func (result i32) (i32.const)))");
    let o = gauge(&["validate".as_ref(), syntax.as_os_str()]);
    assert_usage_error(&o, "invalid text module");
    assert!(stderr(&o).contains("(at line 2, column"), "{}", stderr(&o));

    let garbage = s.file("garbage.wasm", b"\0asm\x01\0\0\0\x01");
    assert_usage_error(
        &gauge(&["validate".as_ref(), garbage.as_os_str()]),
        "invalid module",
    );
}

#[test]
fn imports_are_unresolved() {
    let s = Scratch::new("imports");
    let m = s.file(
        "imp.wat",
        r#"(module (import "env" "log" (func (param i32))) (func (export "f")))"#,
    );
    let o = gauge(&[
        "run".as_ref(),
        m.as_os_str(),
        "--invoke".as_ref(),
        "f".as_ref(),
    ]);
    assert_usage_error(&o, "unresolved import env::log");
}

#[test]
fn start_function_trap_exits_3() {
    let s = Scratch::new("start");
    let m = s.file(
        "start.wat",
        r#"(module (func $s unreachable) (start $s) (func (export "f")))"#,
    );
    let o = gauge(&[
        "run".as_ref(),
        m.as_os_str(),
        "--invoke".as_ref(),
        "f".as_ref(),
        "--json".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(
        stdout(&o),
        "{\"status\":\"trap\",\"trap\":\"unreachable\",\"results\":[]}\n"
    );
}

/// `(module (func (export "answer") (result i32) (i32.const 42)))`, encoded by hand.
const ANSWER_WASM: &[u8] = &[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // type section: () -> i32
    0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
    0x07, 0x0a, 0x01, 0x06, b'a', b'n', b's', b'w', b'e', b'r', 0x00, 0x00, // export "answer"
    0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b, // code: i32.const 42
];

#[test]
fn binary_modules_run_and_validate() {
    let s = Scratch::new("binary");
    let m = s.file("answer.wasm", ANSWER_WASM);
    let o = gauge(&[
        "run".as_ref(),
        m.as_os_str(),
        "--invoke".as_ref(),
        "answer".as_ref(),
    ]);
    assert_eq!(
        (o.status.code(), stdout(&o)),
        (Some(0), "i32:42\n".to_string())
    );

    let o = gauge(&["validate".as_ref(), m.as_os_str()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let hash: String = Sha256::digest(ANSWER_WASM)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let out = stdout(&o);
    assert!(out.contains("functions: 1\n"), "{out}");
    assert!(out.contains("code bytes: 4\n"), "{out}");
    assert!(out.ends_with(&format!("sha256: {hash}\n")), "{out}");
}

#[test]
fn references_round_trip() {
    let s = Scratch::new("refs");
    let m = s.file(
        "refs.wat",
        r#"(module
             (func $f)
             (func (export "ext") (param externref) (result externref) (local.get 0))
             (func (export "fref") (result funcref) (ref.func $f))
             (func (export "null") (result funcref) (ref.null func))
             (elem declare func $f))"#,
    );
    let run = |rest: &[&str]| {
        let mut args = vec![
            "run".to_string(),
            m.display().to_string(),
            "--invoke".into(),
        ];
        args.extend(rest.iter().map(|r| r.to_string()));
        stdout(&gauge(&args))
    };
    assert_eq!(run(&["ext", "7"]), "externref:7\n");
    assert_eq!(run(&["ext", "null"]), "externref:null\n");
    assert_eq!(run(&["fref"]), "funcref:0\n");
    assert_eq!(
        run(&["null", "--json"]),
        "{\"status\":\"success\",\"trap\":null,\"results\":[\"funcref:null\"]}\n"
    );
}

#[test]
fn validate_prints_a_summary() {
    let path = example("fib.wat");
    let o = gauge(&["validate".as_ref(), path.as_os_str()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let bytes = std::fs::read(&path).unwrap();
    let hash: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let out = stdout(&o);
    let keys: Vec<&str> = out.lines().map(|l| l.split(": ").next().unwrap()).collect();
    assert_eq!(
        keys,
        ["valid", "functions", "code bytes", "instructions", "sha256"]
    );
    assert!(out.contains("functions: 2\n"), "{out}");
    assert!(out.ends_with(&format!("sha256: {hash}\n")), "{out}");
    for line in out.lines().skip(1).take(3) {
        let n = line.rsplit(": ").next().unwrap();
        assert!(n.parse::<u64>().is_ok_and(|n| n > 0), "{line}");
    }
}

#[test]
fn every_example_validates() {
    for name in ["fib.wat", "fac.wat", "nan.wat", "recursion.wat", "trap.wat"] {
        let o = gauge(&["validate".as_ref(), example(name).as_os_str()]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
    }
}

const PASSING_WAST: &str = r#"
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_invalid (module (func (result i32))) "type mismatch")
"#;

const FAILING_WAST: &str = r#"
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 4))
(assert_return (invoke "add" (i32.const 2) (i32.const 2)) (i32.const 4))
"#;

#[test]
fn wast_passing_script() {
    let s = Scratch::new("wast-pass");
    let ok = s.file("ok.wast", PASSING_WAST);
    let o = gauge(&["wast".as_ref(), ok.as_os_str()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with("PASS ") && lines[0].ends_with(" assertions)"),
        "{out}"
    );
    assert!(lines[1].starts_with("assertions: ") && lines[1].ends_with(" passed, 0 failed"));
}

#[test]
fn wast_failing_script() {
    let s = Scratch::new("wast-fail");
    let ok = s.file("ok.wast", PASSING_WAST);
    let bad = s.file("bad.wast", FAILING_WAST);
    let o = gauge(&["wast".as_ref(), ok.as_os_str(), bad.as_os_str()]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("PASS "), "{out}");
    assert!(
        lines[1].starts_with("FAIL ") && lines[1].ends_with(" passed, 1 failed)"),
        "{out}"
    );
    assert!(
        lines[2].starts_with("  ") && lines[2].contains("bad.wast:4:"),
        "{out}"
    );
    let last = lines.last().unwrap();
    assert!(
        last.starts_with("assertions: ") && last.ends_with(" passed, 1 failed"),
        "{out}"
    );

    assert_usage_error(&gauge(&["wast", "no/such/file.wast"]), "cannot read");
}

#[test]
fn gas_limit_equal_to_gas_used_succeeds_and_one_less_runs_out() {
    let o = run_example("fib.wat", &["fib", "25", "--json"]);
    let (used, limit) = gas_fields(&o);
    assert_eq!(limit, 1_000_000_000, "documented default limit");
    assert!(used > 0);
    // Identical runs use identical gas.
    assert_eq!(
        gas_fields(&run_example("fib.wat", &["fib", "25", "--json"])).0,
        used
    );
    let exact = used.to_string();
    let o = run_example("fib.wat", &["fib", "25", "--json", "--gas", &exact]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(gas_fields(&o), (used, used));
    let less = (used - 1).to_string();
    let o = run_example("fib.wat", &["fib", "25", "--json", "--gas", &less]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(
        stdout(&o),
        "{\"status\":\"out_of_gas\",\"trap\":\"out of gas\",\"results\":[]}\n"
    );
    assert_eq!(gas_fields(&o), (used - 1, used - 1));
}

#[test]
fn an_endless_loop_runs_out_of_gas() {
    let o = run_example("recursion.wat", &["forever", "--gas", "100000"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("out of gas") || stderr(&o).contains("exhausted"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn schedule_and_instrument_commands() {
    let o = gauge(&["schedule"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Schedule version 1, id `"));
    let dir = std::env::temp_dir().join(format!("gauge-cli-instrument-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("fib.wasm");
    let fib = example("fib.wat");
    let o = gauge(&[
        "instrument".as_ref(),
        fib.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read(&out).unwrap().starts_with(b"\0asm"));
    std::fs::remove_dir_all(&dir).unwrap();
}
