//! Print the values the corpus getters return on wasmi (unmetered) at every size, to record
//! expected values in `src/corpus.rs` after changing a size:
//!
//! ```sh
//! cargo run --release -p gauge-bench --example golden              # every case, every size
//! cargo run --release -p gauge-bench --example golden argon2 3000  # one case, one argument
//! ```

#![forbid(unsafe_code)]

use gauge_bench::cases::{Mode, Prepared, show};
use gauge_bench::corpus::{CORPUS_CASES, corpus_exec_case, default_corpus_dir};
use gauge_bench::engines::EngineKind;

fn main() {
    let dir = default_corpus_dir();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let only = args.first().cloned();
    let arg: Option<i64> = args.get(1).and_then(|a| a.replace('_', "").parse().ok());
    for case in CORPUS_CASES {
        if only.as_ref().is_some_and(|o| o != case.name) {
            continue;
        }
        let mut case = *case;
        let modes: &[Mode] = match arg {
            Some(a) => {
                case.full.arg = a;
                &[Mode::Full]
            }
            None => &[Mode::Full, Mode::Quick, Mode::Smoke],
        };
        for &mode in modes {
            let mut exec = match corpus_exec_case(&case, &dir, mode) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("{}: {e}", case.name);
                    return;
                }
            };
            exec.iters = 1;
            // Only the getters: drop the expected values so that nothing is checked.
            for check in &mut exec.checks {
                if let gauge_bench::cases::Check::Output { expected, .. } = check {
                    *expected = None;
                }
            }
            let result = Prepared::new(&exec, EngineKind::WasmiUnmetered).and_then(|mut p| {
                p.run(&exec)?;
                p.check(&exec)
            });
            match result {
                Ok(vals) => println!(
                    "{} {mode:?} {}: {} {vals:?}",
                    case.name,
                    exec.params,
                    show(&vals)
                ),
                Err(e) => println!("{} {mode:?} {}: error {e}", case.name, exec.params),
            }
        }
    }
}
