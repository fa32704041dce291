//! Execution cases: what to instantiate, how to set it up, what to time, what to check.
//!
//! A case is plain data ([`ExecCase`]); [`Prepared`] is one case instantiated in one engine
//! configuration, with `setup` done and input copied, ready for timed calls.

use crate::engines::{EngineKind, Imports, Instance, Val};

/// How large a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The full benchmark.
    Full,
    /// `--quick`: one repetition with smaller inputs.
    Quick,
    /// The smoke test: tiny inputs, correctness only.
    Smoke,
}

/// Which table a case is reported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Gauge's own `.wat` micro kernels.
    Kernel,
    /// The `rust-benchmarks` programs of the shared corpus.
    Corpus,
    /// CoreMark (reports a score as well as a time).
    CoreMark,
    /// The WASI benchmark contracts of `shared/contracts`.
    Contract,
}

impl Group {
    /// A short stable name, used in output.
    pub fn label(self) -> &'static str {
        match self {
            Group::Kernel => "kernels",
            Group::Corpus => "corpus",
            Group::CoreMark => "coremark",
            Group::Contract => "contracts",
        }
    }
}

/// A check made after the first run of each configuration. Every check also contributes an
/// observation that must be equal across all configurations.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// The timed function's own results equal these.
    Results(Vec<Val>),
    /// `export(data)` returns `expected` (when given; otherwise it is only compared across
    /// engines).
    Output {
        /// The exported getter, called with the setup data pointer.
        export: &'static str,
        /// The value it must return, if known for this input size.
        expected: Option<Val>,
    },
    /// The bytes at `ptr_export(data)` equal `expected`.
    Bytes {
        /// The exported getter of the output pointer.
        ptr_export: &'static str,
        /// The expected output bytes.
        expected: Vec<u8>,
    },
    /// The timed function returns one positive, finite `f32` (CoreMark's score).
    PositiveScore,
    /// A WASI program exited with code 0 and wrote exactly these bytes to stdout.
    Stdout(Vec<u8>),
}

/// One execution benchmark.
#[derive(Debug, Clone)]
pub struct ExecCase {
    /// The table it belongs to.
    pub group: Group,
    /// Case name (what `--filter` matches).
    pub name: String,
    /// The module, binary.
    pub wasm: Vec<u8>,
    /// Host functions it imports.
    pub imports: Imports,
    /// Arguments of `setup`, if the case has a `setup` export; its `i32` result (the data
    /// pointer) is passed to `run` and the getters.
    pub setup: Option<Vec<Val>>,
    /// Bytes copied to `input_ptr(data)` after setup.
    pub input: Option<Vec<u8>>,
    /// The timed export.
    pub run: &'static str,
    /// Arguments of the timed export (the data pointer is appended when there is a setup).
    pub run_args: Vec<Val>,
    /// Calls of the timed export per repetition.
    pub iters: u32,
    /// What to check after the first repetition.
    pub checks: Vec<Check>,
    /// Human description of the parameters (for the report).
    pub params: String,
}

impl ExecCase {
    /// What a score returned by the case is multiplied by to be per real second: the
    /// speedup of a [`Imports::ClockMs`] clock, else 1.
    pub fn score_factor(&self) -> f64 {
        match self.imports {
            Imports::ClockMs { speedup } => f64::from(speedup.max(1)),
            Imports::None | Imports::Wasi => 1.0,
        }
    }
}

/// A case instantiated in one configuration and set up.
pub struct Prepared {
    /// The instance and its store.
    pub instance: Instance,
    /// The arguments of the timed export.
    args: Vec<Val>,
    /// The data pointer returned by `setup`.
    data: Option<i32>,
    /// Results of the most recent timed call.
    pub last: Vec<Val>,
}

impl Prepared {
    /// Instantiate `case` in configuration `kind`, call `setup` and copy the input.
    pub fn new(case: &ExecCase, kind: EngineKind) -> Result<Self, String> {
        let mut instance = Instance::new(kind, &case.wasm, case.imports)?;
        let mut args = case.run_args.clone();
        let mut data = None;
        if let (Imports::Wasi, Some(input)) = (case.imports, &case.input) {
            instance.set_stdin(input)?;
        }
        if let Some(setup_args) = &case.setup {
            let out = instance.call("setup", setup_args)?;
            let ptr = match out.as_slice() {
                [Val::I32(p)] => *p,
                other => return Err(format!("`setup` returned {other:?}, expected one i32")),
            };
            data = Some(ptr);
            args.push(Val::I32(ptr));
            if let Some(input) = &case.input {
                let dst = match instance.call("input_ptr", &[Val::I32(ptr)])?.as_slice() {
                    [Val::I32(p)] => *p as u32,
                    other => return Err(format!("`input_ptr` returned {other:?}")),
                };
                instance.write_memory(dst, input)?;
            }
        }
        if case.checks.contains(&Check::PositiveScore) {
            // CoreMark calibrates its iteration count on its first iterations; on a cold
            // instance (linear memory not yet touched) that calibration is too slow, the run
            // then ends before its clock has seen ten seconds and CoreMark reports a score of
            // 0 (an invalid run). One untimed warm-up run avoids that.
            instance.call(case.run, &args)?;
        }
        Ok(Prepared {
            instance,
            args,
            data,
            last: Vec::new(),
        })
    }

    /// The timed part: `iters` calls of the timed export. Gas is refilled before, so that
    /// [`Instance::gas_used`] afterwards is the gas of these calls.
    pub fn run(&mut self, case: &ExecCase) -> Result<(), String> {
        self.instance.reset_gas();
        for _ in 0..case.iters {
            self.last = self.instance.call(case.run, &self.args)?;
        }
        Ok(())
    }

    /// Apply the case's checks; on success return the observations to compare across
    /// configurations.
    pub fn check(&mut self, case: &ExecCase) -> Result<Vec<Val>, String> {
        let mut seen = Vec::new();
        for check in &case.checks {
            match check {
                Check::Results(expected) => {
                    if &self.last != expected {
                        return Err(format!(
                            "`{}` returned {}, expected {}",
                            case.run,
                            show(&self.last),
                            show(expected)
                        ));
                    }
                    seen.extend(self.last.iter().copied());
                }
                Check::Output { export, expected } => {
                    let data = self.data.ok_or("no setup data for an output getter")?;
                    let out = self.instance.call(export, &[Val::I32(data)])?;
                    let [v] = out.as_slice() else {
                        return Err(format!("`{export}` returned {}", show(&out)));
                    };
                    if let Some(e) = expected
                        && v != e
                    {
                        return Err(format!("`{export}` returned {v}, expected {e}"));
                    }
                    seen.push(*v);
                }
                Check::Bytes {
                    ptr_export,
                    expected,
                } => {
                    let data = self.data.ok_or("no setup data for an output pointer")?;
                    let ptr = match self
                        .instance
                        .call(ptr_export, &[Val::I32(data)])?
                        .as_slice()
                    {
                        [Val::I32(p)] => *p as u32,
                        other => return Err(format!("`{ptr_export}` returned {other:?}")),
                    };
                    let got = self.instance.read_memory(ptr, expected.len())?;
                    if &got != expected {
                        let at = got.iter().zip(expected).position(|(a, b)| a != b);
                        return Err(format!(
                            "output bytes differ from the expected file (first at byte {})",
                            at.unwrap_or(0)
                        ));
                    }
                }
                Check::Stdout(expected) => {
                    let out = self.instance.wasi_outcome().ok_or("not a WASI program")?;
                    if out.exit_code != 0 {
                        return Err(format!("exit code {}", out.exit_code));
                    }
                    if &out.stdout != expected {
                        return Err(format!(
                            "stdout {:?}, expected {:?}",
                            String::from_utf8_lossy(&out.stdout),
                            String::from_utf8_lossy(expected)
                        ));
                    }
                    seen.extend(out.stdout.iter().map(|&b| Val::I32(i32::from(b))));
                }
                Check::PositiveScore => match self.last.as_slice() {
                    [Val::F32(bits)] => {
                        let score = f32::from_bits(*bits);
                        if !(score.is_finite() && score > 0.0) {
                            return Err(format!("score {score} is not a positive number"));
                        }
                    }
                    other => return Err(format!("`run` returned {}", show(other))),
                },
            }
        }
        Ok(seen)
    }

    /// The results of the last timed call as one `f32`, if that is what it returned.
    pub fn last_f32(&self) -> Option<f32> {
        match self.last.as_slice() {
            [Val::F32(bits)] => Some(f32::from_bits(*bits)),
            _ => None,
        }
    }
}

/// Values as a readable list.
pub fn show(vals: &[Val]) -> String {
    let parts: Vec<String> = vals.iter().map(|v| v.to_string()).collect();
    format!("[{}]", parts.join(", "))
}
