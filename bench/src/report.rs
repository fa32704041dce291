//! Output: plain-text tables and one JSON object with the same content.

use std::fmt::Write as _;

use crate::cases::Group;
use crate::engines::EngineKind::{self, GaugeMetered, GaugeUnmetered, WasmiFuel, WasmiUnmetered};
use crate::measure::{Cell, Row, RowGroup, geomean};

/// Everything one benchmark run produced.
#[derive(Debug, Clone)]
pub struct Report {
    /// `full` or `quick`.
    pub mode: &'static str,
    /// Repetitions per configuration.
    pub reps: usize,
    /// The corpus directory used, if found.
    pub corpus: Option<String>,
    /// Measured rows, in run order.
    pub rows: Vec<Row>,
    /// Why some cases were not run (e.g. the shared corpus is absent).
    pub skipped: Vec<String>,
    /// `/proc/loadavg` before and after the run, where available: other work on the machine
    /// makes timings noisy.
    pub load: (Option<String>, Option<String>),
}

/// The first three fields of `/proc/loadavg` (1, 5 and 15 minute load averages), if readable.
pub fn load_average() -> Option<String> {
    let s = std::fs::read_to_string("/proc/loadavg").ok()?;
    Some(s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

/// Summary numbers of one group of rows.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Geomeans {
    /// Geomean of Gauge metered / wasmi fuel times.
    pub ratio_metered: Option<f64>,
    /// Geomean of Gauge unmetered / wasmi unmetered times.
    pub ratio_unmetered: Option<f64>,
    /// Geomean of Gauge metered / Gauge unmetered times, minus one, in percent.
    pub gauge_overhead_pct: Option<f64>,
    /// Geomean of wasmi fuel / wasmi unmetered times, minus one, in percent.
    pub wasmi_overhead_pct: Option<f64>,
    /// Rows in the group where all four configurations were measured.
    pub complete: usize,
}

fn ratios(rows: &[&Row], a: EngineKind, b: EngineKind) -> Option<f64> {
    let v: Vec<f64> = rows.iter().filter_map(|r| r.ratio(a, b)).collect();
    geomean(&v)
}

/// Geomeans over `rows`; each ratio uses the rows where both of its configurations were
/// measured.
pub fn geomeans(rows: &[&Row]) -> Geomeans {
    Geomeans {
        ratio_metered: ratios(rows, GaugeMetered, WasmiFuel),
        ratio_unmetered: ratios(rows, GaugeUnmetered, WasmiUnmetered),
        gauge_overhead_pct: ratios(rows, GaugeMetered, GaugeUnmetered).map(|g| (g - 1.0) * 100.0),
        wasmi_overhead_pct: ratios(rows, WasmiFuel, WasmiUnmetered).map(|g| (g - 1.0) * 100.0),
        complete: rows
            .iter()
            .filter(|r| EngineKind::ALL.iter().all(|k| r.cell(*k).secs().is_some()))
            .count(),
    }
}

fn fmt_time(secs: Option<f64>) -> String {
    match secs {
        None => "FAILED".to_string(),
        Some(s) if s < 1e-3 => format!("{:.1} us", s * 1e6),
        Some(s) => format!("{:.2} ms", s * 1e3),
    }
}

/// The time, or for a case that reports a score, the score.
fn fmt_time_or_score(row: &Row, kind: EngineKind) -> String {
    match row.cell(kind).sample() {
        Some(s) => match s.score {
            Some(score) => format!("{score:.1}/s"),
            None => fmt_time(Some(s.secs)),
        },
        None => "FAILED".to_string(),
    }
}

fn fmt_ratio(r: Option<f64>) -> String {
    r.map_or_else(|| "-".to_string(), |r| format!("{r:.2}"))
}

fn fmt_pct(p: Option<f64>) -> String {
    p.map_or_else(|| "-".to_string(), |p| format!("{p:+.1}%"))
}

fn fmt_mbs(row: &Row, kind: EngineKind) -> String {
    match (row.cell(kind).secs(), row.bytes) {
        (Some(s), Some(b)) => format!("{:.1}", b as f64 / s / 1e6),
        _ => "FAILED".to_string(),
    }
}

fn fmt_gas(g: Option<u64>) -> String {
    g.map_or_else(|| "-".to_string(), |g| g.to_string())
}

fn overhead(row: &Row, metered: EngineKind, plain: EngineKind) -> Option<f64> {
    row.ratio(metered, plain).map(|r| (r - 1.0) * 100.0)
}

/// A plain-text table with right-aligned columns after the first.
struct Table {
    head: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn new(head: &[&str]) -> Self {
        Table {
            head: head.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    fn render(&self, out: &mut String) {
        let n = self.head.len();
        let mut w = vec![0; n];
        for r in std::iter::once(&self.head).chain(&self.rows) {
            for (i, c) in r.iter().enumerate() {
                w[i] = w[i].max(c.chars().count());
            }
        }
        let line = |out: &mut String, r: &[String]| {
            let mut s = String::new();
            for (i, c) in r.iter().enumerate() {
                let pad = w[i] - c.chars().count();
                if i == 0 {
                    s.push_str(c);
                    s.push_str(&" ".repeat(pad));
                } else {
                    s.push_str("  ");
                    s.push_str(&" ".repeat(pad));
                    s.push_str(c);
                }
            }
            out.push_str(s.trim_end());
            out.push('\n');
        };
        line(out, &self.head);
        let total: usize = w.iter().sum::<usize>() + 2 * (n - 1);
        out.push_str(&"-".repeat(total));
        out.push('\n');
        for r in &self.rows {
            line(out, r);
        }
    }
}

impl Report {
    fn group(&self, g: RowGroup) -> Vec<&Row> {
        self.rows.iter().filter(|r| r.group == g).collect()
    }

    fn exec_rows(&self) -> Vec<&Row> {
        self.rows
            .iter()
            .filter(|r| matches!(r.group, RowGroup::Exec(_)))
            .collect()
    }

    /// The report as plain-text tables.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "gauge-bench: Gauge vs wasmi 2.0 (mode {}, median of {} alternating repetition{})",
            self.mode,
            self.reps,
            if self.reps == 1 { "" } else { "s" }
        );
        out.push_str(
            "times are per call of the timed export; ratio = Gauge time / wasmi time (> 1: Gauge is slower)\n",
        );
        if let (Some(before), Some(after)) = &self.load {
            let _ = writeln!(out, "load average before: {before}; after: {after}");
        }
        let mut failures: Vec<String> = Vec::new();

        for g in [Group::Kernel, Group::Corpus, Group::Contract] {
            let rows = self.group(RowGroup::Exec(g));
            if rows.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n## Execution: {}\n", g.label());
            let mut t = Table::new(&[
                "case",
                "params",
                "gauge+gas",
                "wasmi+fuel",
                "ratio",
                "gauge",
                "wasmi",
                "ratio",
            ]);
            for r in &rows {
                t.push(vec![
                    r.name.clone(),
                    r.params.clone(),
                    fmt_time(r.cell(GaugeMetered).secs()),
                    fmt_time(r.cell(WasmiFuel).secs()),
                    fmt_ratio(r.ratio(GaugeMetered, WasmiFuel)),
                    fmt_time(r.cell(GaugeUnmetered).secs()),
                    fmt_time(r.cell(WasmiUnmetered).secs()),
                    fmt_ratio(r.ratio(GaugeUnmetered, WasmiUnmetered)),
                ]);
            }
            let gm = geomeans(&rows);
            t.push(vec![
                "geomean".into(),
                String::new(),
                String::new(),
                String::new(),
                fmt_ratio(gm.ratio_metered),
                String::new(),
                String::new(),
                fmt_ratio(gm.ratio_unmetered),
            ]);
            t.render(&mut out);
            failures.extend(rows.iter().flat_map(|r| row_failures(r)));
        }

        let all = self.exec_rows();
        if !all.is_empty() {
            let gm = geomeans(&all);
            let _ = writeln!(
                out,
                "\ngeomean over all execution cases (kernels, corpus, contracts, CoreMark): \
                 gauge+gas / wasmi+fuel {}, gauge / wasmi {}",
                fmt_ratio(gm.ratio_metered),
                fmt_ratio(gm.ratio_unmetered)
            );
        }

        let cm = self.group(RowGroup::Exec(Group::CoreMark));
        if let Some(r) = cm.first() {
            out.push_str(
                "\n## CoreMark (score = iterations/s from its own clock; higher is better)\n\n",
            );
            let mut t = Table::new(&["config", "score", "run() time", "vs wasmi (time ratio)"]);
            for (kind, other) in [
                (GaugeMetered, Some(WasmiFuel)),
                (WasmiFuel, None),
                (GaugeUnmetered, Some(WasmiUnmetered)),
                (WasmiUnmetered, None),
            ] {
                let s = r.cell(kind).sample();
                let ratio = other.and_then(|o| {
                    let mine = s?.score?;
                    let theirs = r.cell(o).sample()?.score?;
                    Some(theirs / mine)
                });
                t.push(vec![
                    kind.label().into(),
                    s.and_then(|s| s.score)
                        .map_or_else(|| "FAILED".into(), |v| format!("{v:.1}")),
                    fmt_time(s.map(|s| s.secs)),
                    other.map_or_else(String::new, |_| fmt_ratio(ratio)),
                ]);
            }
            t.render(&mut out);
            let sc = |k: EngineKind| r.cell(k).sample().and_then(|s| s.score);
            if let (Some(m), Some(u)) = (sc(GaugeMetered), sc(GaugeUnmetered)) {
                let _ = writeln!(
                    out,
                    "Gauge metering overhead on CoreMark: {}",
                    fmt_pct(Some((u / m - 1.0) * 100.0))
                );
            }
            failures.extend(row_failures(r));
        }

        let exec = self.exec_rows();
        if !exec.is_empty() {
            out.push_str("\n## Metering overhead: Gauge metered vs Gauge unmetered\n\n");
            let mut t = Table::new(&[
                "case",
                "group",
                "gauge",
                "gauge+gas",
                "overhead",
                "gas/call",
                "wasmi fuel overhead",
                "fuel/call",
            ]);
            for r in &exec {
                t.push(vec![
                    r.name.clone(),
                    r.group.label().into(),
                    fmt_time_or_score(r, GaugeUnmetered),
                    fmt_time_or_score(r, GaugeMetered),
                    fmt_pct(overhead(r, GaugeMetered, GaugeUnmetered)),
                    fmt_gas(r.cell(GaugeMetered).sample().and_then(|s| s.gas)),
                    fmt_pct(overhead(r, WasmiFuel, WasmiUnmetered)),
                    fmt_gas(r.cell(WasmiFuel).sample().and_then(|s| s.gas)),
                ]);
            }
            for (label, rows) in [
                ("geomean kernels", self.group(RowGroup::Exec(Group::Kernel))),
                ("geomean corpus", self.group(RowGroup::Exec(Group::Corpus))),
                (
                    "geomean contracts",
                    self.group(RowGroup::Exec(Group::Contract)),
                ),
                ("geomean all execution", exec.clone()),
            ] {
                if rows.is_empty() {
                    continue;
                }
                let gm = geomeans(&rows);
                t.push(vec![
                    label.into(),
                    String::new(),
                    String::new(),
                    String::new(),
                    fmt_pct(gm.gauge_overhead_pct),
                    String::new(),
                    fmt_pct(gm.wasmi_overhead_pct),
                    String::new(),
                ]);
            }
            t.render(&mut out);
        }

        let tr = self.group(RowGroup::Translate);
        if !tr.is_empty() {
            out.push_str(
                "\n## Translation: validate + translate (MB/s of module bytes; higher is better)\n\n",
            );
            let mut t = Table::new(&[
                "module",
                "size",
                "gauge+gas",
                "wasmi+fuel",
                "ratio",
                "gauge",
                "wasmi",
                "ratio",
                "gauge gas overhead",
            ]);
            for r in &tr {
                t.push(vec![
                    r.name.clone(),
                    r.params.clone(),
                    fmt_mbs(r, GaugeMetered),
                    fmt_mbs(r, WasmiFuel),
                    fmt_ratio(r.ratio(GaugeMetered, WasmiFuel)),
                    fmt_mbs(r, GaugeUnmetered),
                    fmt_mbs(r, WasmiUnmetered),
                    fmt_ratio(r.ratio(GaugeUnmetered, WasmiUnmetered)),
                    fmt_pct(overhead(r, GaugeMetered, GaugeUnmetered)),
                ]);
            }
            let gm = geomeans(&tr);
            t.push(vec![
                "geomean".into(),
                String::new(),
                String::new(),
                String::new(),
                fmt_ratio(gm.ratio_metered),
                String::new(),
                String::new(),
                fmt_ratio(gm.ratio_unmetered),
                fmt_pct(gm.gauge_overhead_pct),
            ]);
            t.render(&mut out);
            out.push_str("(ratio = Gauge time / wasmi time: > 1 means Gauge translates slower)\n");
            failures.extend(tr.iter().flat_map(|r| row_failures(r)));
        }

        out.push_str("\n## Failures\n\n");
        if failures.is_empty() {
            out.push_str("none\n");
        }
        for f in &failures {
            let _ = writeln!(out, "FAILED {f}");
        }
        if !self.skipped.is_empty() {
            out.push_str("\n## Skipped\n\n");
            for s in &self.skipped {
                let _ = writeln!(out, "{s}");
            }
        }
        out
    }

    /// The report as one JSON object.
    pub fn json(&self) -> String {
        let mut o = String::from("{");
        let _ = write!(
            o,
            "\"mode\":{},\"repetitions\":{},\"corpus\":{},\"load_before\":{},\"load_after\":{},",
            js(self.mode),
            self.reps,
            self.corpus.as_deref().map_or_else(|| "null".into(), js),
            self.load.0.as_deref().map_or_else(|| "null".into(), js),
            self.load.1.as_deref().map_or_else(|| "null".into(), js)
        );
        o.push_str("\"cases\":[");
        for (i, r) in self.rows.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            let _ = write!(
                o,
                "{{\"group\":{},\"case\":{},\"params\":{},\"bytes\":{},",
                js(r.group.label()),
                js(&r.name),
                js(&r.params),
                r.bytes.map_or_else(|| "null".into(), |b| b.to_string())
            );
            for kind in EngineKind::ALL {
                let _ = write!(o, "{}:", js(kind.label()));
                match r.cell(kind) {
                    Cell::Ok(s) => {
                        let _ = write!(
                            o,
                            "{{\"seconds\":{},\"gas\":{},\"score\":{}}},",
                            num(Some(s.secs)),
                            s.gas.map_or_else(|| "null".into(), |g| g.to_string()),
                            num(s.score)
                        );
                    }
                    Cell::Failed(reason) => {
                        let _ = write!(o, "{{\"failed\":{}}},", js(reason));
                    }
                }
            }
            let _ = write!(
                o,
                "\"ratio_metered\":{},\"ratio_unmetered\":{},\"gauge_overhead_pct\":{},\"wasmi_overhead_pct\":{}}}",
                num(r.ratio(GaugeMetered, WasmiFuel)),
                num(r.ratio(GaugeUnmetered, WasmiUnmetered)),
                num(overhead(r, GaugeMetered, GaugeUnmetered)),
                num(overhead(r, WasmiFuel, WasmiUnmetered))
            );
        }
        o.push_str("],\"geomean\":{");
        let groups: Vec<(&str, Vec<&Row>)> = vec![
            ("kernels", self.group(RowGroup::Exec(Group::Kernel))),
            ("corpus", self.group(RowGroup::Exec(Group::Corpus))),
            ("contracts", self.group(RowGroup::Exec(Group::Contract))),
            ("execution", self.exec_rows()),
            ("translation", self.group(RowGroup::Translate)),
        ];
        for (i, (label, rows)) in groups.iter().enumerate() {
            if i > 0 {
                o.push(',');
            }
            let g = geomeans(rows);
            let _ = write!(
                o,
                "{}:{{\"ratio_metered\":{},\"ratio_unmetered\":{},\"gauge_overhead_pct\":{},\"wasmi_overhead_pct\":{},\"complete_rows\":{}}}",
                js(label),
                num(g.ratio_metered),
                num(g.ratio_unmetered),
                num(g.gauge_overhead_pct),
                num(g.wasmi_overhead_pct),
                g.complete
            );
        }
        o.push_str("},\"coremark\":");
        match self.group(RowGroup::Exec(Group::CoreMark)).first() {
            Some(r) => {
                o.push('{');
                for (i, kind) in EngineKind::ALL.iter().enumerate() {
                    if i > 0 {
                        o.push(',');
                    }
                    let score = r.cell(*kind).sample().and_then(|s| s.score);
                    let _ = write!(o, "{}:{}", js(kind.label()), num(score));
                }
                o.push('}');
            }
            None => o.push_str("null"),
        }
        o.push_str(",\"failures\":[");
        let failures: Vec<String> = self.rows.iter().flat_map(row_failures).collect();
        let parts: Vec<String> = failures.iter().map(|f| js(f)).collect();
        o.push_str(&parts.join(","));
        o.push_str("],\"skipped\":[");
        let parts: Vec<String> = self.skipped.iter().map(|s| js(s)).collect();
        o.push_str(&parts.join(","));
        o.push_str("]}");
        o
    }
}

/// One line per failed configuration of `row`.
fn row_failures(row: &Row) -> Vec<String> {
    let mut v = Vec::new();
    if let Some(g) = row.gauge_failure() {
        v.push(format!("{}/{}: {g}", row.group.label(), row.name));
    }
    if let Some(w) = row.wasmi_failure() {
        v.push(format!("{}/{}: {w}", row.group.label(), row.name));
    }
    v
}

/// A JSON string literal.
fn js(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(o, "\\u{:04x}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// A JSON number, or `null` for a missing or non-finite value.
fn num(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{v}"),
        _ => "null".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(js("a\"b\\c\n\u{1}"), "\"a\\\"b\\\\c\\n\\u0001\"");
        assert_eq!(num(Some(f64::NAN)), "null");
        assert_eq!(num(Some(1.5)), "1.5");
    }
}
