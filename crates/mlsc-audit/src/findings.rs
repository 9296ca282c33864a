//! The findings table both page renderings (Markdown and HTML) draw: findings grouped by the file they are in,
//! worst first within a file, each row a severity, a code, where in the file, and the message. The renderings
//! differ only in markup, which [`Markup`] supplies.

use std::collections::BTreeMap;

use mlsc_core::Finding;

/// The markup of one rendering.
pub(crate) trait Markup {
    /// Opens the table (with its header row).
    fn open(&self, out: &mut String);
    /// A row that heads the findings of `file` (`count` of them).
    fn file_row(&self, out: &mut String, file: &str, count: usize);
    /// One finding; `place` is where in the file (`:4`, `!archive/data.pkl@120`), empty for the whole file.
    fn finding_row(&self, out: &mut String, finding: &Finding, place: &str);
    /// Closes the table.
    fn close(&self, out: &mut String);
}

/// The findings grouped by file, files in name order, findings worst first then in their order.
pub(crate) fn by_file(findings: &[Finding]) -> Vec<(&str, Vec<&Finding>)> {
    let mut groups: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        groups.entry(f.location.path.as_str()).or_default().push(f);
    }
    groups
        .into_iter()
        .map(|(file, mut fs)| {
            // Stable: findings of one severity keep the order the check reported them in.
            fs.sort_by_key(|f| std::cmp::Reverse(f.severity));
            (file, fs)
        })
        .collect()
}

/// Where in its file a finding is: its location without the file's path.
pub(crate) fn place(f: &Finding) -> String {
    let full = f.location.to_string();
    full.strip_prefix(f.location.path.as_str())
        .map_or(full.clone(), str::to_owned)
}

/// Draws the findings table with `markup`.
pub(crate) fn findings_table(out: &mut String, findings: &[Finding], markup: &dyn Markup) {
    markup.open(out);
    for (file, group) in by_file(findings) {
        markup.file_row(out, file, group.len());
        for f in group {
            markup.finding_row(out, f, &place(f));
        }
    }
    markup.close(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use mlsc_core::{Location, Severity};

    #[test]
    fn grouped_by_file_worst_first() {
        let f = |path: &str, sev: Severity, code: &str| {
            Finding::new(code, sev, "t", "m").at(Location::file(path))
        };
        let findings = vec![
            f("b.txt", Severity::Low, "B1"),
            f("a.pt", Severity::Low, "A1"),
            f("b.txt", Severity::High, "B2"),
            f("a.pt", Severity::Critical, "A2"),
        ];
        let groups = by_file(&findings);
        let shape: Vec<(&str, Vec<&str>)> = groups
            .iter()
            .map(|(file, fs)| (*file, fs.iter().map(|f| f.code.as_str()).collect()))
            .collect();
        assert_eq!(
            shape,
            [("a.pt", vec!["A2", "A1"]), ("b.txt", vec!["B2", "B1"])]
        );
    }
}
