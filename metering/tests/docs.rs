//! `docs/gas.md` contains the default schedule exactly as the code defines it.
//!
//! To regenerate after changing the schedule: `BLESS=1 cargo test -p gauge-metering --test docs`.

use gauge_metering::Schedule;

const MARKER: &str = "<!-- schedule:begin -->";
const END: &str = "<!-- schedule:end -->";

#[test]
fn gas_doc_shows_the_current_default_schedule() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/gas.md");
    let doc = std::fs::read_to_string(path).expect("docs/gas.md exists");
    let (start, rest) = doc.split_once(MARKER).expect("schedule begin marker");
    let (_, tail) = rest.split_once(END).expect("schedule end marker");
    let expected = format!("{start}{MARKER}\n{}{END}{tail}", Schedule::v1().markdown());
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(path, &expected).unwrap();
        return;
    }
    assert!(
        doc == expected,
        "docs/gas.md is out of date: run with BLESS=1 to regenerate"
    );
}
