//! Rewriting pins in requirements files (`mlsc deps --fix`): only the version of an exact `==` pin changes;
//! comments, spacing, hashes lines and every other byte stay as they were.

use std::collections::BTreeMap;

use serde::Serialize;

/// One pin to change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FixEdit {
    /// The file.
    pub path: String,
    /// The 1-based line of the requirement.
    pub line: u32,
    /// The normalised package name.
    pub name: String,
    /// The version pinned now.
    pub from: String,
    /// The version to pin.
    pub to: String,
}

impl FixEdit {
    /// An edit of `path:line` pinning `name` from `from` to `to`.
    pub fn new(path: &str, line: u32, name: &str, from: &str, to: &str) -> Self {
        FixEdit {
            path: path.to_owned(),
            line,
            name: name.to_owned(),
            from: from.to_owned(),
            to: to.to_owned(),
        }
    }
}

/// The edits for each file, and the new content of each file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FixPlan {
    /// For each file: (old content, new content, the edits applied).
    pub files: BTreeMap<String, (String, String, Vec<FixEdit>)>,
    /// Edits that could not be applied, with the reason.
    pub skipped: Vec<(FixEdit, String)>,
}

impl FixPlan {
    /// One line per pin changed (`fixed: `FILE`:LINE: `NAME` OLD -> NEW`) and per pin left alone
    /// (`not fixed: `FILE`:LINE: `NAME`: WHY`), as `mlsc deps --fix` reports them.
    pub fn summary(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (path, (_, _, edits)) in &self.files {
            for e in edits {
                out.push(format!(
                    "fixed: `{path}`:{}: `{}` {} -> {}",
                    e.line, e.name, e.from, e.to
                ));
            }
        }
        for (e, why) in &self.skipped {
            out.push(format!(
                "not fixed: `{}`:{}: `{}`: {why}",
                e.path, e.line, e.name
            ));
        }
        out
    }

    /// A unified diff of every change, for `--dry-run`.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for (path, (old, new, _)) in &self.files {
            let old_lines: Vec<&str> = old.lines().collect();
            let new_lines: Vec<&str> = new.lines().collect();
            out.push_str(&format!("--- {path}\n+++ {path}\n"));
            // Edits never add or remove lines, so a line-by-line comparison is the diff.
            for (i, (a, b)) in old_lines.iter().zip(&new_lines).enumerate() {
                if a != b {
                    out.push_str(&format!("@@ -{n},1 +{n},1 @@\n-{a}\n+{b}\n", n = i + 1));
                }
            }
        }
        out
    }

    /// Writes every changed file atomically (a temporary file in the same folder, then a rename).
    ///
    /// # Errors
    /// [`crate::Error::Fix`] naming the first file that could not be written.
    pub fn apply(&self) -> Result<(), crate::Error> {
        use std::io::Write;
        for (path, (_, new, _)) in &self.files {
            let p = std::path::Path::new(path);
            let dir = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let err = |source: std::io::Error| crate::Error::Fix {
                path: p.to_owned(),
                source,
            };
            let tmp_path = dir.join(format!(
                ".{}.mlsc-fix.{}",
                p.file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("requirements"),
                std::process::id()
            ));
            let mut f = fs_err::File::create(&tmp_path).map_err(err)?;
            f.write_all(new.as_bytes()).map_err(err)?;
            f.sync_all().map_err(err)?;
            drop(f);
            if let Ok(meta) = fs_err::metadata(p) {
                let _ = fs_err::set_permissions(&tmp_path, meta.permissions());
            }
            fs_err::rename(&tmp_path, p).map_err(err)?;
        }
        Ok(())
    }
}

/// Plans the edits: reads each file, finds the `==FROM` pin of NAME on the edit's line and replaces FROM.
pub fn plan_fixes(edits: &[FixEdit]) -> FixPlan {
    let mut plan = FixPlan::default();
    let mut by_file: BTreeMap<&str, Vec<&FixEdit>> = BTreeMap::new();
    for e in edits {
        by_file.entry(e.path.as_str()).or_default().push(e);
    }
    for (path, edits) in by_file {
        let old = match fs_err::read_to_string(path) {
            Ok(t) => t,
            Err(err) => {
                for e in edits {
                    plan.skipped
                        .push(((*e).clone(), format!("cannot read: {err}")));
                }
                continue;
            }
        };
        let mut lines: Vec<String> = old.split_inclusive('\n').map(str::to_owned).collect();
        let mut applied = Vec::new();
        for e in edits {
            let Some(idx) = usize::try_from(e.line).ok().and_then(|l| l.checked_sub(1)) else {
                continue;
            };
            let Some(line) = lines.get_mut(idx) else {
                plan.skipped
                    .push(((*e).clone(), "line no longer exists".to_owned()));
                continue;
            };
            match replace_pin(line, &e.name, &e.from, &e.to) {
                Some(new) => {
                    *line = new;
                    applied.push((*e).clone());
                }
                None => plan.skipped.push((
                    (*e).clone(),
                    format!("no `=={}` pin of `{}` on this line", e.from, e.name),
                )),
            }
        }
        if !applied.is_empty() {
            let new: String = lines.concat();
            plan.files.insert(path.to_owned(), (old, new, applied));
        }
    }
    plan
}

/// Replaces `==FROM` (or `=== FROM`) after NAME on `line`, keeping every other byte.
fn replace_pin(line: &str, name: &str, from: &str, to: &str) -> Option<String> {
    // The comment part is left alone.
    let code_end = line
        .char_indices()
        .find(|&(i, c)| c == '#' && (i == 0 || line[..i].ends_with(char::is_whitespace)))
        .map_or(line.len(), |(i, _)| i);
    let code = &line[..code_end];
    let name_at = {
        let mut pos = 0;
        let mut found = None;
        while pos < code.len() {
            let rest = &code[pos..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
                .unwrap_or(rest.len());
            if end > 0 && super::normalize_name(&rest[..end]) == name {
                found = Some(pos + end);
                break;
            }
            pos += end.max(1);
        }
        found?
    };
    let after = &code[name_at..];
    let eq = after.find("==")?;
    let mut v_start = name_at + eq + 2;
    if code[v_start..].starts_with('=') {
        v_start += 1;
    }
    v_start += code[v_start..].len() - code[v_start..].trim_start().len();
    let v_len = code[v_start..]
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '\\'))
        .unwrap_or(code.len() - v_start);
    let current = &code[v_start..v_start + v_len];
    if current != from {
        let same = std::str::FromStr::from_str(current)
            .ok()
            .zip(std::str::FromStr::from_str(from).ok());
        if same.is_none_or(|(a, b): (pep440_rs::Version, pep440_rs::Version)| a != b) {
            return None;
        }
    }
    Some(format!(
        "{}{to}{}",
        &line[..v_start],
        &line[v_start + v_len..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_the_version() {
        assert_eq!(
            replace_pin("Pillow==9.0.0 \\\n", "pillow", "9.0.0", "10.3.0").as_deref(),
            Some("Pillow==10.3.0 \\\n")
        );
        assert_eq!(
            replace_pin(
                "requests == 2.25.0  # pinned ==2.25.0\n",
                "requests",
                "2.25.0",
                "2.32.0"
            )
            .as_deref(),
            Some("requests == 2.32.0  # pinned ==2.25.0\n")
        );
        assert_eq!(replace_pin("numpy>=1.0\n", "numpy", "1.0", "2.0"), None);
        assert_eq!(
            replace_pin("x[a]==1.0;python_version>'3'\n", "x", "1.0", "1.1").as_deref(),
            Some("x[a]==1.1;python_version>'3'\n")
        );
    }
}
