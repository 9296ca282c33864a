//! BOMs and BOM checks in words: what a BOM holds, `mlsc sbom validate` over files, and the table of
//! `mlsc sbom affected`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use mlsc_core::render::{Style, write_finding};
use mlsc_core::{
    Artifact, Assessment, Completeness, Format, Report, ReportError, Severity, Verdict,
};

use super::affected::{AffectedComponent, MatchKind};
use super::model::{Bom, Component};
use super::validate::validate_bom_json;

impl Component {
    /// The CycloneDX type of this component as the specification spells it (`machine-learning-model`,
    /// `library`, `data`, …).
    pub fn kind_name(&self) -> String {
        serde_json::to_value(self.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "component".to_owned())
    }
}

impl Bom {
    /// One line saying what this BOM of `path` holds:
    /// ``CycloneDX 1.6 BOM of `p1`: 4 component(s) (3 library, 1 machine-learning-model)``, and the number of
    /// vulnerability records when there are any.
    pub fn summary(&self, path: &Path) -> String {
        let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
        for c in &self.components {
            *kinds.entry(c.kind_name()).or_default() += 1;
        }
        let mut s = format!(
            "CycloneDX {} BOM of `{}`: {} component(s)",
            self.spec_version,
            path.display(),
            self.components.len()
        );
        if !kinds.is_empty() {
            let parts: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
            let _ = write!(s, " ({})", parts.join(", "));
        }
        if !self.vulnerabilities.is_empty() {
            let _ = write!(
                s,
                ", {} vulnerability record(s)",
                self.vulnerabilities.len()
            );
        }
        s
    }

    /// [`Bom::summary`], then one line per top-level component: its type, name and version.
    pub fn to_human(&self, path: &Path) -> String {
        let mut text = format!("{}\n", self.summary(path));
        for c in &self.components {
            let _ = writeln!(
                text,
                "  {:<24} {}{}",
                c.kind_name(),
                c.name,
                c.version
                    .as_deref()
                    .map(|v| format!(" {v}"))
                    .unwrap_or_default()
            );
        }
        text
    }
}

/// Components in a CycloneDX document, nested ones included.
fn count_components(doc: &serde_json::Value) -> usize {
    doc.get("components")
        .and_then(serde_json::Value::as_array)
        .map_or(0, |cs| cs.iter().map(|c| 1 + count_components(c)).sum())
}

/// What `mlsc sbom validate` found in some files: the report (command `sbom validate`, finished; a file that
/// breaks a rule is a suspicious artefact, one that cannot be read an error) and, per file read, its verdict in
/// words (`valid CycloneDX 1.6: 12 component(s)`, `not valid CycloneDX 1.5: 2 rule(s) broken`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FileValidations {
    /// The report.
    pub report: Report,
    /// `(path, words)` per file read, in the order given.
    pub verdicts: Vec<(String, String)>,
    /// How many files were given.
    pub files: usize,
}

/// Validates each CycloneDX JSON file with [`validate_bom_json`](super::validate::validate_bom_json).
pub fn validate_files<P: AsRef<Path>>(files: &[P]) -> FileValidations {
    let mut report = Report::new("sbom validate");
    let mut verdicts = Vec::new();
    for file in files {
        let display = file.as_ref().display().to_string();
        match fs_err::read(file.as_ref()) {
            Ok(bytes) => {
                let v = validate_bom_json(&bytes, &display);
                let mut artifact = Artifact::new(display.clone(), bytes.len() as u64, Format::Json);
                let spec = v.spec_version.as_deref().map_or_else(
                    || "CycloneDX (no specVersion)".to_owned(),
                    |s| format!("CycloneDX {s}"),
                );
                let components = serde_json::from_slice::<serde_json::Value>(&bytes)
                    .map(|d| count_components(&d))
                    .unwrap_or(0);
                let problems = v
                    .findings
                    .iter()
                    .filter(|f| f.severity >= Severity::Medium)
                    .count();
                let words = if v.is_valid() {
                    format!("valid {spec}: {components} component(s)")
                } else {
                    format!("not valid {spec}: {problems} rule(s) broken")
                };
                verdicts.push((display, words));
                if !v.is_valid() {
                    artifact.verdict = Verdict::new(Completeness::Complete, Assessment::Suspicious);
                }
                report.artifacts.push(artifact);
                report.extend_findings(v.findings);
            }
            Err(e) => report
                .errors
                .push(ReportError::new(Some(display), e.to_string())),
        }
    }
    report.finish();
    FileValidations {
        report,
        verdicts,
        files: files.len(),
    }
}

impl FileValidations {
    /// In words: each file with its verdict and findings (with `quiet`, only files with findings), errors and,
    /// unless `quiet`, how many files are valid.
    pub fn to_human(&self, style: Style, quiet: bool) -> String {
        let report = &self.report;
        let mut text = String::new();
        for (path, words) in &self.verdicts {
            let findings: Vec<_> = report
                .findings
                .iter()
                .filter(|f| &f.location.path == path)
                .collect();
            if quiet && findings.is_empty() {
                continue;
            }
            let _ = writeln!(text, "{}  {words}", style.bold(&format!("`{path}`")));
            for f in findings {
                write_finding(&mut text, f, style);
            }
        }
        for e in &report.errors {
            let _ = writeln!(
                text,
                "error: `{}`: {}",
                e.path.as_deref().unwrap_or("-"),
                e.message
            );
        }
        if !quiet {
            let valid = self
                .verdicts
                .iter()
                .filter(|(_, w)| w.starts_with("valid"))
                .count();
            let _ = writeln!(
                text,
                "{} {valid} of {} file(s) valid; {} error(s)",
                style.bold("summary:"),
                self.files,
                report.errors.len()
            );
        }
        text
    }
}

/// The table of `mlsc sbom affected`: `BOM COMPONENT VERSION STATUS MATCHED` aligned, then `errors` and, unless
/// `quiet`, how many of `boms` BOMs contain an affected component.
pub fn affected_human(
    hits: &[AffectedComponent],
    boms: usize,
    errors: &[String],
    quiet: bool,
) -> String {
    let mut out = String::new();
    let rows: Vec<[String; 5]> = hits
        .iter()
        .map(|h| {
            [
                h.bom.clone(),
                h.name.clone(),
                // A component known only by a range shows the range (`~=1.12`), not a dash.
                h.version
                    .clone()
                    .or_else(|| h.specifier.clone())
                    .unwrap_or_else(|| "unknown".to_owned()),
                match h.status {
                    MatchKind::Affected => "affected".to_owned(),
                    _ => "possibly affected".to_owned(),
                },
                h.reason.clone(),
            ]
        })
        .collect();
    if !rows.is_empty() {
        let header = ["BOM", "COMPONENT", "VERSION", "STATUS", "MATCHED"].map(str::to_owned);
        let mut widths = header.clone().map(|h| h.len());
        for r in &rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        for r in std::iter::once(&header).chain(rows.iter()) {
            let mut line = String::new();
            for (i, (c, w)) in r.iter().zip(widths).enumerate() {
                if i + 1 == r.len() {
                    line.push_str(c);
                } else {
                    let _ = write!(line, "{c:<w$}  ");
                }
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    for e in errors {
        let _ = writeln!(out, "error: {e}");
    }
    if !quiet {
        let with: BTreeSet<&str> = hits.iter().map(|h| h.bom.as_str()).collect();
        let _ = writeln!(
            out,
            "summary: {} of {boms} BOM(s) contain an affected component ({} component(s))",
            with.len(),
            hits.len()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_files_counts_nested_components_and_reports_unreadable_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let good = dir.path().join("good.json");
        fs_err::write(
            &good,
            r#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[
                {"type":"library","name":"a","bom-ref":"a","components":[{"type":"library","name":"b","bom-ref":"b"}]}]}"#,
        )
        .expect("write");
        let missing = dir.path().join("missing.json");
        let v = validate_files(&[good.as_path(), missing.as_path()]);
        assert_eq!(v.verdicts.len(), 1);
        assert_eq!(
            v.verdicts[0].1, "valid CycloneDX 1.6: 2 component(s)",
            "{:?}",
            v.report.findings
        );
        assert_eq!(v.report.errors.len(), 1);
        let text = v.to_human(Style::plain(), false);
        assert!(
            text.ends_with("summary: 1 of 2 file(s) valid; 1 error(s)\n"),
            "{text}"
        );
    }

    #[test]
    fn affected_table_aligns_columns() {
        let text = affected_human(&[], 3, &["`x`: unreadable".to_owned()], false);
        assert_eq!(
            text,
            "error: `x`: unreadable\nsummary: 0 of 3 BOM(s) contain an affected component (0 component(s))\n"
        );
    }
}

/// What `mlsc sbom affected` found: the BOMs that ship a component matching a package query or an advisory.
#[derive(Debug, Clone, Default, serde::Serialize)]
#[non_exhaustive]
pub struct AffectedSearch {
    /// The queries, as given: the package query, then the advisory id.
    pub queries: Vec<String>,
    /// How many BOM files were searched.
    pub boms: usize,
    /// The matching components, sorted by BOM, name and version, without duplicates.
    pub affected: Vec<AffectedComponent>,
    /// BOM files that could not be read or are not CycloneDX JSON, in words.
    pub errors: Vec<String>,
}

/// An error and its causes, as `cause: cause: cause`.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut next = e.source();
    while let Some(c) = next {
        let _ = write!(s, ": {c}");
        next = c.source();
    }
    s
}

impl AffectedSearch {
    /// Reads each BOM file and collects the components `package` matches
    /// ([`affected_components`](super::affected::affected_components)) and those the advisory `(database, id)`
    /// affects ([`affected_by_advisory`](super::vulns::affected_by_advisory)). A file that cannot be read is an
    /// error of the search; the others are still searched.
    pub fn run<P: AsRef<Path>>(
        boms: &[P],
        package: Option<&super::affected::PackageQuery>,
        advisory: Option<(&mlsc_deps::Database, &str)>,
    ) -> AffectedSearch {
        let packages: Vec<super::affected::PackageQuery> = package.into_iter().cloned().collect();
        let (db, id) = match advisory {
            Some((db, id)) => (Some(db), Some(id)),
            None => (None, None),
        };
        Self::run_many(boms, &packages, id, db)
    }

    /// Reads each BOM file and collects the components any of `packages` matches, and those the advisory `id`
    /// affects: according to the `vulnerabilities` the BOM carries
    /// ([`affected_by_bom_vulnerabilities`](super::affected::affected_by_bom_vulnerabilities)), and, when `db` is
    /// given, according to it. A component both name is listed once, with the surer status.
    pub fn run_many<P: AsRef<Path>>(
        boms: &[P],
        packages: &[super::affected::PackageQuery],
        id: Option<&str>,
        db: Option<&mlsc_deps::Database>,
    ) -> AffectedSearch {
        let mut search = AffectedSearch {
            boms: boms.len(),
            ..AffectedSearch::default()
        };
        search
            .queries
            .extend(packages.iter().map(|q| q.display.clone()));
        search.queries.extend(id.map(str::to_owned));
        for path in boms {
            let path = path.as_ref();
            let shown = path.display().to_string();
            let bom = fs_err::read(path).map_err(|e| chain(&e)).and_then(|bytes| {
                serde_json::from_slice::<Bom>(&bytes)
                    .map_err(|e| format!("`{shown}` is not CycloneDX JSON: {}", chain(&e)))
            });
            match bom {
                Ok(bom) => {
                    for q in packages {
                        search
                            .affected
                            .extend(super::affected::affected_components(&bom, &shown, q));
                    }
                    if let Some(id) = id {
                        search
                            .affected
                            .extend(super::affected::affected_by_bom_vulnerabilities(
                                &bom, &shown, id,
                            ));
                        if let Some(db) = db {
                            search
                                .affected
                                .extend(super::vulns::affected_by_advisory(&bom, &shown, db, id));
                        }
                    }
                }
                Err(e) => search.errors.push(e),
            }
        }
        search.affected.sort_by(|a, b| {
            (&a.bom, &a.name, &a.version, &a.bom_ref, &a.reason, a.status)
                .cmp(&(&b.bom, &b.name, &b.version, &b.bom_ref, &b.reason, b.status))
        });
        // `Affected` sorts before `PossiblyAffected`: the first of a run is the surer one.
        search.affected.dedup_by(|b, a| {
            a.bom == b.bom && a.bom_ref == b.bom_ref && a.name == b.name && a.reason == b.reason
        });
        search
    }

    /// The table in words ([`affected_human`]).
    pub fn to_human(&self, quiet: bool) -> String {
        affected_human(&self.affected, self.boms, &self.errors, quiet)
    }
}
