//! Card reports in words: `mlsc card lint` and `mlsc card score` as a terminal shows them, and the score report
//! as JSON.

use std::fmt::Write as _;
use std::path::Path;

use mlsc_core::Report;
use mlsc_core::render::{Style, plural, write_finding};

use crate::lint::{LintOptions, card_files};
use crate::score::{CardScore, score_paths};

/// A lint report in words: each card with how many findings it has ("17 findings", "no findings"), never a
/// verdict word like "clean" above a list of findings; then findings about other paths, errors and, unless
/// `quiet`, a summary. With `quiet`, cards without findings are left out.
pub fn lint_human(report: &Report, style: Style, quiet: bool) -> String {
    let mut out = String::new();
    for artifact in &report.artifacts {
        let findings: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.location.path == artifact.path)
            .collect();
        if quiet && findings.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "{}  {}  {}",
            style.bold(&format!("`{}`", artifact.path)),
            style.dim(artifact.format.as_str()),
            plural(findings.len(), "finding")
        );
        for f in findings {
            write_finding(&mut out, f, style);
        }
    }
    // Findings about paths that are not cards themselves still get printed.
    for f in report
        .findings
        .iter()
        .filter(|f| !report.artifacts.iter().any(|a| a.path == f.location.path))
    {
        write_finding(&mut out, f, style);
    }
    for e in &report.errors {
        let _ = writeln!(
            out,
            "error: `{}`: {}",
            e.path.as_deref().unwrap_or("-"),
            e.message
        );
    }
    if !quiet {
        let c = report.statistics.by_severity;
        let _ = writeln!(
            out,
            "{} {} linted, {} ({} critical, {} high, {} medium, {} low, {} info); {} error(s)",
            style.bold("summary:"),
            plural(report.artifacts.len(), "card"),
            plural(report.findings.len(), "finding"),
            c.critical,
            c.high,
            c.medium,
            c.low,
            c.info,
            report.errors.len()
        );
    }
    out
}

/// The scores of every card under some paths, and what could not be scored.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ScoreSet {
    /// One score per card, in the order found.
    pub scores: Vec<CardScore>,
    /// Cards that could not be read, and paths where no card was found, in words.
    pub errors: Vec<String>,
}

impl ScoreSet {
    /// Scores every card under `paths` ([`score_paths`]); a path with no card at all is an error, not a silent
    /// nothing.
    pub fn of_paths<P: AsRef<Path>>(paths: &[P], options: &LintOptions) -> ScoreSet {
        let owned: Vec<_> = paths.iter().map(|p| p.as_ref().to_owned()).collect();
        let mut set = ScoreSet::default();
        for r in score_paths(&owned, options) {
            match r {
                Ok(s) => set.scores.push(s),
                Err(e) => set.errors.push(e.to_string()),
            }
        }
        for p in &owned {
            if card_files(p).is_empty() {
                set.errors.push(format!("`{}`: no card found", p.display()));
            }
        }
        set
    }

    /// The cards scoring below `min` (none without a minimum).
    pub fn below(&self, min: Option<u32>) -> Vec<&CardScore> {
        match min {
            Some(min) => self.scores.iter().filter(|s| s.score < min).collect(),
            None => Vec::new(),
        }
    }

    /// The JSON report of `mlsc card score`: `command`, `tool`, `min_score`, `scores` and `errors`.
    pub fn to_json(&self, min_score: Option<u32>) -> serde_json::Value {
        serde_json::json!({
            "command": "card score",
            "tool": {"name": "mlsc", "version": env!("CARGO_PKG_VERSION")},
            "min_score": min_score,
            "scores": self.scores,
            "errors": self.errors,
        })
    }

    /// In words: each card's score, then (unless `quiet`) its dimensions and what is missing; errors; and how
    /// many cards are below `min_score` when one is given.
    pub fn to_human(&self, min_score: Option<u32>, style: Style, quiet: bool) -> String {
        let mut s = String::new();
        for c in &self.scores {
            let _ = writeln!(
                s,
                "{} `{}` ({}): {}/100",
                style.bold("score"),
                c.path,
                c.kind.as_str(),
                c.score
            );
            if !quiet {
                for d in &c.dimensions {
                    let _ = writeln!(s, "  {:<22} {:>3}", d.name, d.score);
                }
                if !c.missing.is_empty() {
                    let _ = writeln!(s, "  missing:");
                    for m in &c.missing {
                        let _ = writeln!(s, "    - {m}");
                    }
                }
            }
        }
        for e in &self.errors {
            let _ = writeln!(s, "error: {e}");
        }
        if let Some(min) = min_score {
            let _ = writeln!(
                s,
                "{} of {} card(s) below --min-score {min}",
                self.below(min_score).len(),
                self.scores.len()
            );
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARD: &str = "---\nlicense: mit\n---\n# A model\n\nSome words.\n";

    #[test]
    fn lint_human_counts_findings_per_card_and_never_says_clean() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("README.md");
        fs_err::write(&path, CARD).expect("write");
        let report = crate::lint_paths(&[path], &LintOptions::default());
        let text = lint_human(&report, Style::plain(), false);
        let n = report.findings.len();
        assert!(n > 0, "a bare card has gaps");
        assert!(
            text.contains(&format!("  {}\n", plural(n, "finding"))),
            "{text}"
        );
        assert!(!text.contains("clean"), "{text}");
        assert!(text.contains("summary: 1 card linted"), "{text}");
    }

    #[test]
    fn score_set_reports_missing_cards_and_threshold() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs_err::write(dir.path().join("README.md"), CARD).expect("write");
        let empty = tempfile::tempdir().expect("tempdir");
        let set = ScoreSet::of_paths(&[dir.path(), empty.path()], &LintOptions::default());
        assert_eq!(set.scores.len(), 1);
        assert_eq!(set.errors.len(), 1, "{:?}", set.errors);
        assert!(set.errors[0].ends_with("no card found"));
        assert_eq!(set.below(Some(101)).len(), 1);
        assert!(set.below(None).is_empty());
        let text = set.to_human(Some(101), Style::plain(), true);
        assert!(
            text.ends_with("1 of 1 card(s) below --min-score 101\n"),
            "{text}"
        );
        assert_eq!(set.to_json(Some(5))["min_score"], 5);
    }
}
