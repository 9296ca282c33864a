//! Scanning files and directories: format detection by content, the containers that carry pickles, and the
//! pickle-free formats. PROVISIONAL: every file is sniffed and reported as not analysed (issue 4).

use std::path::PathBuf;

use mlsc_core::{
    Artifact, Completeness, Finding, Limits, Location, Report, ReportError, Rule, Severity,
};

/// The finding codes of the containers and formats.
pub(crate) const RULES: &[Rule] = &[Rule {
    code: "MLSC-SCAN-000",
    name: "not-analysed",
    default_severity: Severity::Medium,
    summary: "The file's format is not analysed yet, so its safety is unknown",
    tags: &["owasp-ml:ML06"],
}];

/// Options of a scan.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ScanOptions {
    /// Resource limits. By default, [`Limits::default`].
    pub limits: Limits,
}

/// Scans files and directories into a report.
pub fn scan_paths(paths: &[PathBuf], _options: &ScanOptions) -> Report {
    let mut report = Report::new("scan");
    for path in paths {
        let display = path.display().to_string();
        match fs_err::read(path) {
            Ok(data) => {
                let format = mlsc_core::sniff(&data[..data.len().min(mlsc_core::SNIFF_LEN)]);
                let mut artifact = Artifact::new(display.clone(), data.len() as u64, format);
                artifact.verdict = artifact.verdict.at_most(Completeness::Inconclusive);
                report.artifacts.push(artifact);
                report.push_finding(
                    Finding::new(
                        "MLSC-SCAN-000",
                        Severity::Medium,
                        "not analysed",
                        format!("{format} content is not analysed yet"),
                    )
                    .at(Location::file(display)),
                );
            }
            Err(e) => report
                .errors
                .push(ReportError::new(Some(display), e.to_string())),
        }
    }
    report.finish();
    report
}
