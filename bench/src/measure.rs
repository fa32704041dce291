//! Timing: alternating repetitions over the four configurations, medians, cross-checks.

use std::time::{Duration, Instant};

use crate::cases::{ExecCase, Group, Prepared, show};
use crate::engines::{EngineKind, Translator};

/// The result of one case in one configuration.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Measured.
    Ok(Sample),
    /// The configuration failed the case (trap, wrong result, unsupported import, …).
    Failed(String),
}

/// A measurement in one configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Median over the repetitions of the time of one call of the timed export (or of one
    /// translation), in seconds.
    pub secs: f64,
    /// Gas (Gauge) or fuel (wasmi) used by one call, when metered.
    pub gas: Option<u64>,
    /// Median CoreMark score, for CoreMark.
    pub score: Option<f64>,
}

impl Cell {
    /// The sample, if measured.
    pub fn sample(&self) -> Option<&Sample> {
        match self {
            Cell::Ok(s) => Some(s),
            Cell::Failed(_) => None,
        }
    }

    /// The time, if measured.
    pub fn secs(&self) -> Option<f64> {
        self.sample().map(|s| s.secs)
    }
}

/// One reported case: a cell per configuration, indexed like [`EngineKind::ALL`] through
/// [`Row::cell`].
#[derive(Debug, Clone)]
pub struct Row {
    /// Which table.
    pub group: RowGroup,
    /// Case name.
    pub name: String,
    /// Parameters as run.
    pub params: String,
    /// Module size in bytes (translation rows).
    pub bytes: Option<usize>,
    cells: Vec<(EngineKind, Cell)>,
}

/// The table a [`Row`] belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowGroup {
    /// An execution case.
    Exec(Group),
    /// A translation case.
    Translate,
}

impl RowGroup {
    /// A short stable name, used in output.
    pub fn label(self) -> &'static str {
        match self {
            RowGroup::Exec(g) => g.label(),
            RowGroup::Translate => "translation",
        }
    }
}

impl Row {
    /// The cell of configuration `kind`.
    pub fn cell(&self, kind: EngineKind) -> &Cell {
        self.cells
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, c)| c)
            .expect("every row has a cell per configuration")
    }

    /// The reasons of the Gauge configurations that failed, as one line.
    pub fn gauge_failure(&self) -> Option<String> {
        let reasons: Vec<String> = [EngineKind::GaugeMetered, EngineKind::GaugeUnmetered]
            .iter()
            .filter_map(|k| match self.cell(*k) {
                Cell::Failed(r) => Some(format!("{}: {r}", k.label())),
                Cell::Ok(_) => None,
            })
            .collect();
        (!reasons.is_empty()).then(|| reasons.join("; "))
    }

    /// The reasons of the wasmi configurations that failed, as one line.
    pub fn wasmi_failure(&self) -> Option<String> {
        let reasons: Vec<String> = [EngineKind::WasmiFuel, EngineKind::WasmiUnmetered]
            .iter()
            .filter_map(|k| match self.cell(*k) {
                Cell::Failed(r) => Some(format!("{}: {r}", k.label())),
                Cell::Ok(_) => None,
            })
            .collect();
        (!reasons.is_empty()).then(|| reasons.join("; "))
    }

    /// `a`'s time divided by `b`'s, when both were measured. For a case that reports a
    /// score (CoreMark runs for a fixed time, not a fixed amount of work), `b`'s score
    /// divided by `a`'s: the ratio of the time per unit of work.
    pub fn ratio(&self, a: EngineKind, b: EngineKind) -> Option<f64> {
        let (sa, sb) = (self.cell(a).sample()?, self.cell(b).sample()?);
        match (sa.score, sb.score) {
            (Some(x), Some(y)) => Some(y / x),
            _ => Some(sa.secs / sb.secs),
        }
    }
}

/// How much to measure.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Repetitions per configuration (the median is reported).
    pub reps: usize,
    /// Target duration of one translation repetition (translations are repeated to reach it).
    pub translate_target: Duration,
    /// Print progress on stderr.
    pub progress: bool,
}

/// The median of `xs` (mean of the two middle values for an even count).
pub fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The geometric mean of `xs` (`None` when empty).
pub fn geomean(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    let logs: f64 = xs.iter().map(|x| x.ln()).sum();
    Some((logs / xs.len() as f64).exp())
}

/// Run an execution case in all four configurations, alternating: repetition `r` visits the
/// configurations starting at `ALL[r % 4]`. Checks run after each configuration's first
/// repetition, and a configuration that traps or computes a wrong result is marked failed
/// and not run again. Gauge's observations must also equal wasmi's.
pub fn measure_exec(case: &ExecCase, settings: &Settings) -> Row {
    let kinds = EngineKind::ALL;
    let mut prepared: Vec<Option<Prepared>> = Vec::new();
    let mut failed: Vec<Option<String>> = vec![None; kinds.len()];
    for (i, kind) in kinds.iter().enumerate() {
        match Prepared::new(case, *kind) {
            Ok(p) => prepared.push(Some(p)),
            Err(e) => {
                failed[i] = Some(e);
                prepared.push(None);
            }
        }
    }
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); kinds.len()];
    let mut scores: Vec<Vec<f64>> = vec![Vec::new(); kinds.len()];
    let mut gas: Vec<Option<u64>> = vec![None; kinds.len()];
    let mut seen: Vec<Option<Vec<crate::engines::Val>>> = vec![None; kinds.len()];
    let iters = case.iters.max(1);
    for r in 0..settings.reps {
        for j in 0..kinds.len() {
            let i = (j + r) % kinds.len();
            let Some(p) = prepared[i].as_mut() else {
                continue;
            };
            let start = Instant::now();
            let res = p.run(case);
            let dt = start.elapsed().as_secs_f64() / f64::from(iters);
            if let Err(e) = res {
                failed[i] = Some(e);
                prepared[i] = None;
                continue;
            }
            samples[i].push(dt);
            if let Some(score) = p.last_f32() {
                scores[i].push(f64::from(score) * case.score_factor());
            }
            if r == 0 {
                gas[i] = p.instance.gas_used().map(|g| g / u64::from(iters));
                match p.check(case) {
                    Ok(obs) => seen[i] = Some(obs),
                    Err(e) => {
                        failed[i] = Some(e);
                        prepared[i] = None;
                    }
                }
            }
        }
    }
    // Cross-check: Gauge must observe what wasmi observes.
    let oracle = [EngineKind::WasmiUnmetered, EngineKind::WasmiFuel]
        .iter()
        .filter_map(|k| kinds.iter().position(|x| x == k))
        .find_map(|i| seen[i].clone());
    if let Some(oracle) = oracle {
        for (i, kind) in kinds.iter().enumerate() {
            if kind.is_gauge()
                && failed[i].is_none()
                && let Some(obs) = &seen[i]
                && obs != &oracle
            {
                failed[i] = Some(format!(
                    "results differ from wasmi: {} vs {}",
                    show(obs),
                    show(&oracle)
                ));
            }
        }
    }
    let cells = kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let cell = match &failed[i] {
                Some(reason) => Cell::Failed(reason.clone()),
                None => Cell::Ok(Sample {
                    secs: median(&samples[i]),
                    gas: gas[i],
                    score: (!scores[i].is_empty()).then(|| median(&scores[i])),
                }),
            };
            (*kind, cell)
        })
        .collect();
    Row {
        group: RowGroup::Exec(case.group),
        name: case.name.clone(),
        params: case.params.clone(),
        bytes: None,
        cells,
    }
}

/// Time validation + translation of `wasm` in all four configurations, alternating. Each
/// repetition repeats the translation until `settings.translate_target` has passed (at least
/// once), and the time per translation is reported.
pub fn measure_translate(name: &str, wasm: &[u8], settings: &Settings) -> Row {
    let kinds = EngineKind::ALL;
    let translators: Vec<Translator> = kinds.iter().map(|k| Translator::new(*k)).collect();
    let mut failed: Vec<Option<String>> = vec![None; kinds.len()];
    let mut iters = vec![1u32; kinds.len()];
    // One untimed warm-up per configuration, which also sizes the repetitions.
    for (i, t) in translators.iter().enumerate() {
        let start = Instant::now();
        match t.translate(wasm) {
            Ok(compiled) => {
                let dt = start.elapsed();
                drop(compiled);
                if settings.reps > 1 {
                    let n = settings.translate_target.as_secs_f64() / dt.as_secs_f64().max(1e-6);
                    iters[i] = n.clamp(1.0, 10_000.0) as u32;
                }
            }
            Err(e) => failed[i] = Some(e),
        }
    }
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); kinds.len()];
    for r in 0..settings.reps {
        for j in 0..kinds.len() {
            let i = (j + r) % kinds.len();
            if failed[i].is_some() {
                continue;
            }
            let mut total = Duration::ZERO;
            for _ in 0..iters[i] {
                let start = Instant::now();
                let compiled = translators[i].translate(wasm);
                total += start.elapsed();
                if let Err(e) = compiled {
                    failed[i] = Some(e);
                    break;
                }
            }
            samples[i].push(total.as_secs_f64() / f64::from(iters[i]));
        }
    }
    let cells = kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let cell = match &failed[i] {
                Some(reason) => Cell::Failed(reason.clone()),
                None => Cell::Ok(Sample {
                    secs: median(&samples[i]),
                    gas: None,
                    score: None,
                }),
            };
            (*kind, cell)
        })
        .collect();
    Row {
        group: RowGroup::Translate,
        name: name.to_string(),
        params: format!("{} B", wasm.len()),
        bytes: Some(wasm.len()),
        cells,
    }
}

/// A row whose every configuration failed for the same `reason` (e.g. an unreadable file).
pub fn failed_row(group: RowGroup, name: &str, reason: &str) -> Row {
    Row {
        group,
        name: name.to_string(),
        params: String::new(),
        bytes: None,
        cells: EngineKind::ALL
            .iter()
            .map(|k| (*k, Cell::Failed(reason.to_string())))
            .collect(),
    }
}
