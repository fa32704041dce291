//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::PathBuf;

/// `shared/<sub>` beside the workspace, or `None` (with a printed notice) when it is absent.
/// With `GAUGE_REQUIRE_SHARED=1` a missing folder fails the test instead.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared")).join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("GAUGE_REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!(
            "{} is missing and GAUGE_REQUIRE_SHARED=1 is set",
            dir.display()
        );
    }
    println!(
        "SKIPPED: {} is absent (set GAUGE_REQUIRE_SHARED=1 to make this an error)",
        dir.display()
    );
    None
}
