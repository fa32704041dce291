//! The shared benchmark corpus (`../shared/wasm-corpus` next to the workspace root): how each
//! program is driven, at which sizes, and what it must compute.
//!
//! The drivers follow `shared/wasm-corpus/MANIFEST.md`: `data = setup(ARG)`, optionally copy
//! an input file to `input_ptr(data)`, time `run(data)` (idempotent), then call the getters.

use std::path::{Path, PathBuf};

use crate::cases::{Check, ExecCase, Group, Mode};
use crate::engines::{Imports, Val};
use crate::kernels::{KERNELS, Kernel};

/// Environment variable that turns a missing shared corpus into an error.
pub const REQUIRE_SHARED_ENV: &str = "GAUGE_REQUIRE_SHARED";

/// Whether `GAUGE_REQUIRE_SHARED=1` is set.
pub fn shared_required() -> bool {
    std::env::var(REQUIRE_SHARED_ENV).is_ok_and(|v| v == "1")
}

/// The default corpus location: `../shared/wasm-corpus` relative to the workspace root.
pub fn default_corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/wasm-corpus")
}

/// How `setup` is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setup {
    /// `setup() -> i32`.
    NoArg,
    /// `setup(i32 arg) -> i32`.
    I32,
    /// `setup(i64 arg) -> i32`.
    I64,
    /// `setup(i32 len) -> i32` with the input file's length.
    InputLen,
}

/// Parameters of one corpus case at one size.
#[derive(Debug, Clone, Copy)]
pub struct CaseSize {
    /// The `setup` argument (unused for [`Setup::NoArg`] and [`Setup::InputLen`]).
    pub arg: i64,
    /// Calls of `run` per timed repetition.
    pub iters: u32,
    /// Expected value of each getter in [`CorpusCase::outputs`] (same order), where known
    /// for this size. Unknown ones are still compared across engines.
    pub expect: &'static [Option<Val>],
}

/// A `rust-benchmarks` case.
#[derive(Debug, Clone, Copy)]
pub struct CorpusCase {
    /// Case name (the folder in `rust-benchmarks/cases/`).
    pub name: &'static str,
    /// What it computes, one line.
    pub about: &'static str,
    /// How `setup` is called.
    pub setup: Setup,
    /// Input file, relative to the corpus directory.
    pub input: Option<&'static str>,
    /// Getters called with the data pointer after the run.
    pub outputs: &'static [&'static str],
    /// `(pointer getter, expected file)` for cases that produce bytes.
    pub output_bytes: Option<(&'static str, &'static str)>,
    /// The full benchmark size.
    pub full: CaseSize,
    /// The `--quick` size.
    pub quick: CaseSize,
    /// The smoke-test size.
    pub smoke: CaseSize,
}

impl CorpusCase {
    /// The size for `mode`.
    pub fn size(&self, mode: Mode) -> CaseSize {
        match mode {
            Mode::Full => self.full,
            Mode::Quick => self.quick,
            Mode::Smoke => self.smoke,
        }
    }

    /// The module's path relative to the corpus directory.
    pub fn wasm_path(&self) -> PathBuf {
        Path::new("rust-benchmarks/cases")
            .join(self.name)
            .join("out.wasm")
    }
}

const fn size(arg: i64, iters: u32, expect: &'static [Option<Val>]) -> CaseSize {
    CaseSize { arg, iters, expect }
}

const ALICE: &str = "rust-benchmarks/res/alice29.txt";
const CITM: &str = "rust-benchmarks/res/citm_catalog.json";
const DNA_IN: &str = "rust-benchmarks/cases/reverse-complement/input.txt";
const DNA_OUT: &str = "rust-benchmarks/cases/reverse-complement/output.txt";

/// The `rust-benchmarks` cases, in report order. Sizes are documented in
/// `docs/performance.md`; expected values at the MANIFEST's sizes are the MANIFEST's, the
/// others were recorded from wasmi and agree with Gauge.
pub const CORPUS_CASES: &[CorpusCase] = &[
    CorpusCase {
        name: "sort",
        about: "LCG u64 array, copied and sort_unstable'd",
        setup: Setup::I32,
        input: None,
        outputs: &[],
        output_bytes: None,
        full: size(400_000, 1, &[]),
        quick: size(100_000, 1, &[]),
        smoke: size(1_000, 1, &[]),
    },
    CorpusCase {
        name: "sort-dyn",
        about: "the same with a dynamically dispatched comparator",
        setup: Setup::I32,
        input: None,
        outputs: &[],
        output_bytes: None,
        full: size(150_000, 1, &[]),
        quick: size(40_000, 1, &[]),
        smoke: size(1_000, 1, &[]),
    },
    CorpusCase {
        name: "prime-sieve",
        about: "odd-only bitset sieve of Eratosthenes",
        setup: Setup::I64,
        input: None,
        outputs: &["len_primes", "largest_prime"],
        output_bytes: None,
        full: size(
            5_000_000,
            1,
            &[Some(Val::I64(348_513)), Some(Val::I64(4_999_999))],
        ),
        quick: size(
            1_000_000,
            1,
            &[Some(Val::I64(78_498)), Some(Val::I64(999_983))],
        ),
        smoke: size(10_000, 1, &[Some(Val::I64(1_229)), Some(Val::I64(9_973))]),
    },
    CorpusCase {
        name: "matrix-mul",
        about: "naive n x n f32 matrix multiplication",
        setup: Setup::I32,
        input: None,
        outputs: &["output"],
        output_bytes: None,
        full: size(200, 1, &[Some(Val::F32(0x49FE_E1B2))]),
        quick: size(100, 1, &[Some(Val::F32(0x4879_FC10))]),
        smoke: size(10, 1, &[Some(Val::F32(0x418D_D582))]),
    },
    CorpusCase {
        name: "nbody",
        about: "n-body simulation (f64); time grows with the square of ARG",
        setup: Setup::I32,
        input: None,
        outputs: &["result"],
        output_bytes: None,
        full: size(400, 1, &[Some(Val::F64(0xC0A4_C81A_930D_D965))]),
        quick: size(40, 1, &[Some(Val::F64(0x4078_956D_CC3D_6EF0))]),
        smoke: size(10, 1, &[Some(Val::F64(0xC043_8158_F6C4_B2FD))]),
    },
    CorpusCase {
        name: "argon2",
        about: "Argon2id hash, ARG KiB of memory, 3 iterations",
        setup: Setup::I32,
        input: None,
        outputs: &["output"],
        output_bytes: None,
        full: size(1_000, 1, &[Some(Val::I64(-402_190_853_631_523_272))]),
        quick: size(300, 1, &[Some(Val::I64(-729_349_719_131_064_669))]),
        smoke: size(32, 1, &[Some(Val::I64(118_700_734_630_085_338))]),
    },
    CorpusCase {
        name: "tiny-keccak",
        about: "Keccak-256 of 4096 bytes of 0xFE",
        setup: Setup::NoArg,
        input: None,
        outputs: &[],
        output_bytes: None,
        full: size(0, 1_000, &[]),
        quick: size(0, 1, &[]),
        smoke: size(0, 1, &[]),
    },
    CorpusCase {
        name: "mandelbrot",
        about: "mandelbrot bitmap",
        setup: Setup::I32,
        input: None,
        outputs: &["output"],
        output_bytes: None,
        full: size(150, 1, &[Some(Val::I64(5_595_328))]),
        quick: size(50, 1, &[Some(Val::I64(627_011))]),
        smoke: size(8, 1, &[Some(Val::I64(16_225))]),
    },
    CorpusCase {
        name: "spectralnorm",
        about: "spectral norm by the power method",
        setup: Setup::I32,
        input: None,
        outputs: &["output"],
        output_bytes: None,
        full: size(300, 1, &[Some(Val::F64(0x3FF4_6338_B0A0_F02D))]),
        quick: size(100, 1, &[Some(Val::F64(0x3FF4_6334_8064_3705))]),
        smoke: size(10, 1, &[Some(Val::F64(0x3FF4_5979_1D44_B88E))]),
    },
    CorpusCase {
        name: "compression",
        about: "miniz_oxide deflate of alice29.txt",
        setup: Setup::InputLen,
        input: Some(ALICE),
        outputs: &["len_compressed"],
        output_bytes: None,
        full: size(0, 1, &[Some(Val::I64(97_649))]),
        quick: size(0, 1, &[Some(Val::I64(97_649))]),
        smoke: size(0, 1, &[Some(Val::I64(97_649))]),
    },
    CorpusCase {
        name: "word-count",
        about: "hash-map word count of alice29.txt",
        setup: Setup::InputLen,
        input: Some(ALICE),
        outputs: &["len_unique_words", "len_special_chars"],
        output_bytes: None,
        full: size(0, 8, &[Some(Val::I64(2_213)), Some(Val::I64(6_314))]),
        quick: size(0, 1, &[Some(Val::I64(2_213)), Some(Val::I64(6_314))]),
        smoke: size(0, 1, &[Some(Val::I64(2_213)), Some(Val::I64(6_314))]),
    },
    CorpusCase {
        name: "json-parse",
        about: "serde_json parse of citm_catalog.json (1.7 MB)",
        setup: Setup::InputLen,
        input: Some(CITM),
        outputs: &["node_count"],
        output_bytes: None,
        full: size(0, 1, &[Some(Val::I64(37_778))]),
        quick: size(0, 1, &[Some(Val::I64(37_778))]),
        smoke: size(0, 1, &[Some(Val::I64(37_778))]),
    },
    CorpusCase {
        name: "reverse-complement",
        about: "DNA reverse complement of a 10 KB FASTA file",
        setup: Setup::InputLen,
        input: Some(DNA_IN),
        outputs: &[],
        output_bytes: Some(("output_ptr", DNA_OUT)),
        full: size(0, 300, &[]),
        quick: size(0, 1, &[]),
        smoke: size(0, 1, &[]),
    },
    CorpusCase {
        name: "regex-redux",
        about: "regex match count over the 10 KB FASTA file (`regex` crate)",
        setup: Setup::InputLen,
        input: Some(DNA_IN),
        outputs: &["output"],
        output_bytes: None,
        full: size(0, 400, &[Some(Val::I32(2))]),
        quick: size(0, 1, &[Some(Val::I32(2))]),
        smoke: size(0, 1, &[Some(Val::I32(2))]),
    },
];

/// A module of the translation benchmark.
#[derive(Debug, Clone, Copy)]
pub struct TranslateModule {
    /// Case name.
    pub name: &'static str,
    /// Path relative to the corpus directory.
    pub path: &'static str,
}

/// The modules whose validation + translation is timed. The near-identical second builds of
/// pulldown-cmark, bz2 and erc20 in `wasmi-benchmarks/` are left out.
pub const TRANSLATE_MODULES: &[TranslateModule] = &[
    TranslateModule {
        name: "spidermonkey",
        path: "wasmi-benchmarks/wasm/spidermonkey.wasm",
    },
    TranslateModule {
        name: "pulldown-cmark",
        path: "wasmi/wasm/pulldown-cmark.wasm",
    },
    TranslateModule {
        name: "regex-redux",
        path: "rust-benchmarks/cases/regex-redux/out.wasm",
    },
    TranslateModule {
        name: "bz2",
        path: "wasmi/wasm/bz2.wasm",
    },
    TranslateModule {
        name: "erc1155",
        path: "wasmi/wasm/erc1155.wasm",
    },
    TranslateModule {
        name: "erc721",
        path: "wasmi/wasm/erc721.wasm",
    },
    TranslateModule {
        name: "erc20",
        path: "wasmi/wasm/erc20.wasm",
    },
    TranslateModule {
        name: "coremark",
        path: "wasmi-benchmarks/wasm/coremark.wasm",
    },
];

/// CoreMark's module path relative to the corpus directory.
pub const COREMARK_PATH: &str = "wasmi-benchmarks/wasm/coremark.wasm";

fn read(corpus: &Path, rel: impl AsRef<Path>) -> Result<Vec<u8>, String> {
    let path = corpus.join(rel);
    std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Build the execution case for `case` at `mode`'s size, reading its files from `corpus`.
pub fn corpus_exec_case(case: &CorpusCase, corpus: &Path, mode: Mode) -> Result<ExecCase, String> {
    let size = case.size(mode);
    let wasm = read(corpus, case.wasm_path())?;
    let input = case.input.map(|rel| read(corpus, rel)).transpose()?;
    let (setup, params) = match case.setup {
        Setup::NoArg => (vec![], "setup()".to_string()),
        Setup::I32 => (
            vec![Val::I32(size.arg as i32)],
            format!("setup({})", size.arg),
        ),
        Setup::I64 => (vec![Val::I64(size.arg)], format!("setup({})", size.arg)),
        Setup::InputLen => {
            let len = input.as_ref().map_or(0, Vec::len);
            let file = case
                .input
                .and_then(|p| Path::new(p).file_name())
                .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
            (vec![Val::I32(len as i32)], format!("{file} ({len} B)"))
        }
    };
    let mut checks: Vec<Check> = case
        .outputs
        .iter()
        .enumerate()
        .map(|(i, export)| Check::Output {
            export,
            expected: size.expect.get(i).copied().flatten(),
        })
        .collect();
    if let Some((ptr_export, file)) = case.output_bytes {
        checks.push(Check::Bytes {
            ptr_export,
            expected: read(corpus, file)?,
        });
    }
    let params = if size.iters > 1 {
        format!("{params}, {} runs", size.iters)
    } else {
        params
    };
    Ok(ExecCase {
        group: Group::Corpus,
        name: case.name.to_string(),
        wasm,
        imports: Imports::None,
        setup: Some(setup),
        input,
        run: "run",
        run_args: vec![],
        iters: size.iters,
        checks,
        params,
    })
}

/// Build the execution case of a micro kernel at `mode`'s size.
pub fn kernel_exec_case(kernel: &Kernel, mode: Mode) -> ExecCase {
    let n = match mode {
        Mode::Full => kernel.sizes.full,
        Mode::Quick => kernel.sizes.quick,
        Mode::Smoke => kernel.sizes.smoke,
    } as i32;
    ExecCase {
        group: Group::Kernel,
        name: kernel.name.to_string(),
        wasm: kernel.wasm(),
        imports: Imports::None,
        setup: None,
        input: None,
        run: "run",
        run_args: vec![Val::I32(n)],
        iters: 1,
        checks: vec![Check::Results(vec![kernel.expected(n)])],
        params: format!("run({n})"),
    }
}

/// All kernel cases at `mode`'s size.
pub fn kernel_cases(mode: Mode) -> Vec<ExecCase> {
    KERNELS.iter().map(|k| kernel_exec_case(k, mode)).collect()
}

/// The CoreMark case: `run() -> f32` is the score, `env.clock_ms` a host clock running
/// `speedup` times faster than real time (see [`Imports::ClockMs`]).
pub fn coremark_case(corpus: &Path, speedup: u32) -> Result<ExecCase, String> {
    Ok(ExecCase {
        group: Group::CoreMark,
        name: "coremark".to_string(),
        wasm: read(corpus, COREMARK_PATH)?,
        imports: Imports::ClockMs { speedup },
        setup: None,
        input: None,
        run: "run",
        run_args: vec![],
        iters: 1,
        checks: vec![Check::PositiveScore],
        params: format!("run(), clock x{speedup}"),
    })
}

/// A benchmark contract of `shared/contracts` (a WASI program: input on stdin, result on
/// stdout).
#[derive(Debug, Clone, Copy)]
pub struct ContractCase {
    /// Case name.
    pub name: &'static str,
    /// The module, relative to the contracts directory.
    pub wasm: &'static str,
    /// `(stdin, expected stdout)` at the full, `--quick` and smoke sizes.
    pub full: (&'static str, &'static str),
    /// The `--quick` size.
    pub quick: (&'static str, &'static str),
    /// The smoke-test size.
    pub smoke: (&'static str, &'static str),
}

const SHA256_1: &str = "b7f7ba5ce5463b3c84a283f779d7a652cbf99122de5923ba51627607ff1497d5\n";
const SHA256_4: &str = "8cabacff88558f4e865aa9a7f77dfa3fb7de24a2142d4b017a959b39b228498a\n";

/// The benchmark contracts: `bench_sha256` hashes a 1 MiB buffer N times, `bench_sieve` counts
/// the primes below N. Expected outputs are those of `shared/contracts/README.md` and
/// `tests.json` (computed there with Python, not by the contracts), and π(10⁷) = 664,579.
pub const CONTRACT_CASES: &[ContractCase] = &[
    ContractCase {
        name: "c_bench_sha256",
        wasm: "c_bench_sha256.wasm",
        full: ("4", SHA256_4),
        quick: ("1", SHA256_1),
        smoke: ("1", SHA256_1),
    },
    ContractCase {
        name: "rust_bench_sha256",
        wasm: "rust_bench_sha256.wasm",
        full: ("4", SHA256_4),
        quick: ("1", SHA256_1),
        smoke: ("1", SHA256_1),
    },
    ContractCase {
        name: "c_bench_sieve",
        wasm: "c_bench_sieve.wasm",
        full: ("10000000", "664579\n"),
        quick: ("1000000", "78498\n"),
        smoke: ("10000", "1229\n"),
    },
    ContractCase {
        name: "rust_bench_sieve",
        wasm: "rust_bench_sieve.wasm",
        full: ("10000000", "664579\n"),
        quick: ("1000000", "78498\n"),
        smoke: ("10000", "1229\n"),
    },
];

/// The contracts directory: `../contracts` next to the corpus directory.
pub fn contracts_dir(corpus: &Path) -> PathBuf {
    corpus.join("../contracts")
}

/// Build the execution case of a benchmark contract at `mode`'s size.
pub fn contract_exec_case(
    case: &ContractCase,
    corpus: &Path,
    mode: Mode,
) -> Result<ExecCase, String> {
    let (stdin, stdout) = match mode {
        Mode::Full => case.full,
        Mode::Quick => case.quick,
        Mode::Smoke => case.smoke,
    };
    Ok(ExecCase {
        group: Group::Contract,
        name: case.name.to_string(),
        wasm: read(&contracts_dir(corpus), case.wasm)?,
        imports: Imports::Wasi,
        setup: None,
        input: Some(stdin.as_bytes().to_vec()),
        run: "_start",
        run_args: vec![],
        iters: 1,
        checks: vec![Check::Stdout(stdout.as_bytes().to_vec())],
        params: format!("stdin {stdin:?}"),
    })
}
