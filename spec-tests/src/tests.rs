//! Tests of the runner itself on small hand-written scripts.

use crate::{Report, RunConfig, run_script};

fn run(text: &str) -> Report {
    run_script("t.wast", text, &RunConfig::default())
}

#[track_caller]
fn assert_counts(report: &Report, passed: u64, failed: u64) {
    assert_eq!(
        (report.passed, report.failed),
        (passed, failed),
        "failures: {:#?}",
        report.failures
    );
    assert_eq!(report.failures.len() as u64, report.failed);
}

const ADD: &str = r#"
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
"#;

#[test]
fn assert_return_passes() {
    let r = run(&format!(
        "{ADD}(assert_return (invoke \"add\" (i32.const 1) (i32.const 2)) (i32.const 3))"
    ));
    assert_counts(&r, 2, 0);
}

#[test]
fn assert_return_failure_is_located() {
    let r = run(&format!(
        "{ADD}\n(assert_return (invoke \"add\" (i32.const 1) (i32.const 2)) (i32.const 4))"
    ));
    assert_counts(&r, 1, 1);
    let line = &r.failures[0];
    assert!(line.starts_with("t.wast:5:2: "), "{line}");
    assert!(
        line.contains("(i32.const 4)") && line.contains("(i32.const 3)"),
        "{line}"
    );
}

#[test]
fn result_count_and_type_must_match() {
    let r = run(&format!(
        "{ADD}(assert_return (invoke \"add\" (i32.const 1) (i32.const 2)))
         (assert_return (invoke \"add\" (i32.const 1) (i32.const 2)) (i64.const 3))
         (assert_return (invoke \"add\" (i32.const 1) (i32.const 2)) (i32.const 3) (i32.const 3))"
    ));
    assert_counts(&r, 1, 3);
}

#[test]
fn floats_compare_by_bits_and_nan_patterns() {
    let r = run(r#"
(module
  (func (export "f32") (param f32) (result f32) (local.get 0))
  (func (export "f64") (param f64) (result f64) (local.get 0)))
(assert_return (invoke "f32" (f32.const 1.5)) (f32.const 1.5))
(assert_return (invoke "f32" (f32.const -0)) (f32.const -0))
(assert_return (invoke "f32" (f32.const nan)) (f32.const nan:canonical))
(assert_return (invoke "f32" (f32.const -nan)) (f32.const nan:canonical))
(assert_return (invoke "f32" (f32.const nan:0x200000)) (f32.const nan:canonical))
(assert_return (invoke "f32" (f32.const nan:0x600000)) (f32.const nan:arithmetic))
(assert_return (invoke "f32" (f32.const nan:0x200000)) (f32.const nan:arithmetic))
(assert_return (invoke "f32" (f32.const 0)) (f32.const -0))
(assert_return (invoke "f64" (f64.const -nan)) (f64.const nan:canonical))
(assert_return (invoke "f64" (f64.const nan:0x4000000000000)) (f64.const nan:arithmetic))
(assert_return (invoke "f64" (f64.const nan:0x8000000000001)) (f64.const nan:arithmetic))
(assert_return (invoke "f64" (f64.const nan:0x8000000000001)) (f64.const nan:canonical))
(assert_return (invoke "f64" (f64.const 1)) (f64.const nan:arithmetic))
"#);
    // Passing: module, 1.5, -0, nan, -nan, nan:0x600000 arithmetic, f64 -nan, 0x8...1 arith.
    assert_counts(&r, 8, 6);
}

#[test]
fn assert_trap_on_invoke_and_message_mismatch() {
    let r = run(r#"
(module
  (func (export "unreachable") unreachable)
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "ok")))
(assert_trap (invoke "unreachable") "unreachable")
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div" (i32.const 0x80000000) (i32.const -1)) "integer overflow")
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer overflow")
(assert_trap (invoke "ok") "unreachable")
"#);
    assert_counts(&r, 4, 2);
    assert!(
        r.failures[0].contains("trap message mismatch"),
        "{}",
        r.failures[0]
    );
    assert!(r.failures[1].contains("returned"), "{}", r.failures[1]);
}

#[test]
fn assert_trap_on_instantiation_and_uninstantiable() {
    let r = run(r#"
(assert_trap (module (func $f unreachable) (start $f)) "unreachable")
(assert_trap (module (memory 1) (data (i32.const 65536) "a")) "out of bounds memory access")
(assert_trap (module (func)) "unreachable")
"#);
    assert_counts(&r, 2, 1);
    assert!(r.failures[0].contains("succeeded"), "{}", r.failures[0]);
}

#[test]
fn assert_exhaustion() {
    let r = run(r#"
(module
  (func $loop (export "loop") (call $loop))
  (func (export "ok")))
(assert_exhaustion (invoke "loop") "call stack exhausted")
(assert_exhaustion (invoke "ok") "call stack exhausted")
"#);
    assert_counts(&r, 2, 1);
}

#[test]
fn assert_invalid_and_malformed() {
    let r = run(r#"
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_invalid (module (func (result i32) (i32.const 0))) "type mismatch")
(assert_malformed (module quote "(func (i32.const))") "unexpected token")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_malformed (module binary "\00asm\01\00\00\00") "should fail but does not")
"#);
    assert_counts(&r, 3, 2);
    assert!(
        r.failures[0].contains("but it compiled"),
        "{}",
        r.failures[0]
    );
    assert!(r.failures[1].contains("binary module"), "{}", r.failures[1]);
}

#[test]
fn register_and_import_and_unlinkable() {
    let r = run(r#"
(module $M
  (global (export "g") i32 (i32.const 42))
  (func (export "f") (result i32) (i32.const 7)))
(register "M" $M)
(module $N
  (import "M" "f" (func $f (result i32)))
  (import "M" "g" (global $g i32))
  (func (export "sum") (result i32) (i32.add (call $f) (global.get $g))))
(assert_return (invoke "sum") (i32.const 49))
(assert_return (invoke $M "f") (i32.const 7))
(assert_return (get $M "g") (i32.const 42))
(assert_return (get "g") (i32.const 43))
(assert_unlinkable (module (import "M" "nope" (func))) "unknown import")
(assert_unlinkable (module (import "M" "f" (func (param i32)))) "incompatible import type")
(assert_unlinkable (module (import "M" "f" (func (result i32)))) "should link")
(invoke "nope")
"#);
    // get "g" refers to $N, which has no export "g"; the valid import links; no "nope" export.
    assert_counts(&r, 8, 3);
}

#[test]
fn spectest_module() {
    let r = run(r#"
(module
  (import "spectest" "print_i32" (func (param i32)))
  (import "spectest" "print" (func))
  (import "spectest" "print_i64" (func (param i64)))
  (import "spectest" "print_f32" (func (param f32)))
  (import "spectest" "print_f64" (func (param f64)))
  (import "spectest" "print_i32_f32" (func (param i32 f32)))
  (import "spectest" "print_f64_f64" (func (param f64 f64)))
  (import "spectest" "global_i32" (global $i i32))
  (import "spectest" "global_i64" (global $j i64))
  (import "spectest" "global_f32" (global $f f32))
  (import "spectest" "global_f64" (global $d f64))
  (import "spectest" "table" (table 10 20 funcref))
  (import "spectest" "memory" (memory 1 2))
  (func (export "i") (result i32) (call 0 (i32.const 1)) (global.get $i))
  (func (export "j") (result i64) (global.get $j))
  (func (export "f") (result f32) (global.get $f))
  (func (export "d") (result f64) (global.get $d))
  (func (export "size") (result i32) (memory.size))
  (func (export "tsize") (result i32) (table.size)))
(assert_return (invoke "i") (i32.const 666))
(assert_return (invoke "j") (i64.const 666))
(assert_return (invoke "f") (f32.const 666.6))
(assert_return (invoke "d") (f64.const 666.6))
(assert_return (invoke "size") (i32.const 1))
(assert_return (invoke "tsize") (i32.const 10))
(assert_unlinkable (module (import "spectest" "memory" (memory 3))) "incompatible import type")
"#);
    assert_counts(&r, 8, 0);
}

#[test]
fn references() {
    let r = run(r#"
(module
  (func $f (export "f"))
  (func (export "id") (param externref) (result externref) (local.get 0))
  (func (export "null") (result funcref) (ref.null func))
  (func (export "fref") (result funcref) (ref.func $f)))
(assert_return (invoke "id" (ref.extern 1)) (ref.extern 1))
(assert_return (invoke "id" (ref.extern 1)) (ref.extern 2))
(assert_return (invoke "id" (ref.null extern)) (ref.null extern))
(assert_return (invoke "id" (ref.extern 1)) (ref.null extern))
(assert_return (invoke "null") (ref.null func))
(assert_return (invoke "null") (ref.func))
(assert_return (invoke "fref") (ref.func))
(assert_return (invoke "fref") (ref.null func))
(assert_return (invoke "null") (either (i32.const 1) (ref.null func)))
"#);
    assert_counts(&r, 6, 4);
}

#[test]
fn named_modules_definitions_and_failed_modules() {
    let r = run(r#"
(module $A (func (export "v") (result i32) (i32.const 1)))
(module $B (func (export "v") (result i32) (i32.const 2)))
(assert_return (invoke $A "v") (i32.const 1))
(assert_return (invoke "v") (i32.const 2))
(module definition $D (func (export "v") (result i32) (i32.const 3)))
(module instance $I $D)
(assert_return (invoke $I "v") (i32.const 3))
(module (import "nowhere" "x" (func)))
(assert_return (invoke "v") (i32.const 2))
"#);
    // The failed module leaves no current instance, so the last assertion fails too.
    assert_counts(&r, 7, 2);
    assert!(
        r.failures[1].contains("no current module"),
        "{}",
        r.failures[1]
    );
}

#[test]
fn parse_errors_and_unsupported_never_panic() {
    let r = run("(assert_return (invoke \"x\"");
    assert_counts(&r, 0, 1);
    assert!(r.failures[0].contains("parse error"), "{}", r.failures[0]);
    let r = run("(module) (assert_return (invoke \"x\" (v128.const i32x4 0 0 0 0)))");
    assert_counts(&r, 1, 1);
    let r = run("");
    assert_counts(&r, 0, 0);
    let r = run(" (; block ;) ;; line\n");
    assert_counts(&r, 0, 0);
    let r = run("\u{0}\u{ffff} garbage ((((");
    assert_counts(&r, 0, 1);
}

#[test]
fn bundled_spec_files() {
    let files = crate::spec_v2_files();
    assert_eq!(files.len(), 90);
    assert!(files.iter().any(|(name, _)| name == "wasm-v2/i32.wast"));
}
