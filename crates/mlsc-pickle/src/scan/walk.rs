//! The directory walk: which files a scan looks at.
//!
//! Symbolic links are never followed blindly. A link to a file inside the scanned tree is scanned under the
//! link's name only when its target is not itself walked; a link that leaves the tree is reported and not
//! followed — except the Hugging Face cache layout (`models--org--name/snapshots/<rev>/file` →
//! `../../blobs/<sha>`), a first-class input whose links are followed. Directory links are not descended into,
//! which makes loops impossible by construction.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use mlsc_core::{Finding, Location, ReportError, Rule, Severity};

use super::ScanOptions;

/// A file to scan: where it is, and the name to report it under.
#[derive(Debug)]
pub(crate) struct FileEntry {
    pub(crate) path: PathBuf,
    pub(crate) display: String,
}

/// What the walk found.
#[derive(Debug, Default)]
pub(crate) struct Walked {
    pub(crate) files: Vec<FileEntry>,
    pub(crate) findings: Vec<Finding>,
    pub(crate) errors: Vec<ReportError>,
}

fn globs(patterns: &[String], errors: &mut Vec<ReportError>) -> Option<GlobSet> {
    if patterns.is_empty() {
        return None;
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        match Glob::new(p) {
            Ok(g) => {
                b.add(g);
            }
            Err(e) => errors.push(ReportError::new(None, format!("bad glob `{p}`: {e}"))),
        }
    }
    b.build().ok()
}

fn finding(rule: &'static Rule, severity: Severity, path: &str, message: String) -> Finding {
    rule.finding_at(severity, message).at(Location::file(path))
}

/// The info finding for a special file met inside a directory: listed, never opened.
fn special_skipped(display: &str, meta: Option<std::fs::Metadata>) -> Finding {
    let kind = meta
        .as_ref()
        .map_or("not a regular file", super::special_kind);
    finding(
        &crate::rules::SPECIAL_FILE_SKIPPED,
        Severity::Info,
        display,
        format!("{kind}: skipped, never opened (reading it could block or never end)"),
    )
}

/// True when `link` sits in a Hugging Face cache snapshot and `target` in the same repository's `blobs/`.
fn is_hf_cache_link(link: &Path, target: &Path) -> bool {
    let Ok(link) = std::path::absolute(link) else {
        return false;
    };
    // Find the `snapshots` component; the repository root is its parent.
    let comps: Vec<_> = link.components().collect();
    let Some(i) = comps.iter().rposition(|c| c.as_os_str() == "snapshots") else {
        return false;
    };
    let repo: PathBuf = comps[..i].iter().collect();
    let Ok(repo) = repo.canonicalize() else {
        return false;
    };
    target.starts_with(repo.join("blobs"))
}

/// Collects the files under `paths`, in a deterministic order.
pub(crate) fn collect(paths: &[PathBuf], options: &ScanOptions) -> Walked {
    let mut out = Walked::default();
    let include = globs(&options.include, &mut out.errors);
    let exclude = globs(&options.exclude, &mut out.errors);
    let mut seen_display = HashSet::new();
    for root in paths {
        let root_display = root.display().to_string();
        let meta = match fs_err::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                out.errors
                    .push(ReportError::new(Some(root_display), e.to_string()));
                continue;
            }
        };
        if !meta.is_dir() && !meta.is_file() {
            // Named on the command line: an error at once, never opened (a FIFO would block the open forever).
            out.errors.push(ReportError::new(
                Some(root_display.clone()),
                format!(
                    "`{root_display}` is {}: not opened (reading it could block or never end)",
                    super::special_kind(&meta)
                ),
            ));
            continue;
        }
        if !meta.is_dir() {
            if seen_display.insert(root_display.clone()) {
                out.files.push(FileEntry {
                    path: root.clone(),
                    display: root_display,
                });
            }
            continue;
        }
        let canon_root = root.canonicalize().unwrap_or_else(|_| root.clone());
        let mut files = Vec::new();
        // Links scanned under their own name, by canonical target: the target itself is then not scanned again.
        let mut linked_targets: HashSet<PathBuf> = HashSet::new();
        let walker = walkdir::WalkDir::new(root)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() == 0 {
                    return true;
                }
                let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                if !options.vcs_dirs
                    && e.file_type().is_dir()
                    && matches!(e.file_name().to_str(), Some(".git" | ".hg" | ".svn"))
                {
                    return false;
                }
                !exclude.as_ref().is_some_and(|x| x.is_match(rel))
            });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let p = e
                        .path()
                        .map_or_else(|| root_display.clone(), |p| p.display().to_string());
                    out.errors.push(ReportError::new(Some(p), e.to_string()));
                    continue;
                }
            };
            let path = entry.path();
            let rel = path.strip_prefix(root).unwrap_or(path);
            let display = path.display().to_string();
            // Only regular files (and links, resolved below): opening a FIFO or a device would block or never end.
            // They are listed, so that nothing in the tree goes unmentioned.
            if !entry.file_type().is_file() && !entry.path_is_symlink() {
                if !entry.file_type().is_dir() {
                    out.findings
                        .push(special_skipped(&display, entry.metadata().ok()));
                }
                continue;
            }
            if let Some(inc) = &include
                && !inc.is_match(rel)
                && !entry.file_name().to_str().is_some_and(|n| inc.is_match(n))
            {
                continue;
            }
            if entry.path_is_symlink() {
                let target = match path.canonicalize() {
                    Ok(t) => t,
                    Err(e) => {
                        out.findings.push(finding(
                            &crate::rules::SYMLINK_LOOP,
                            Severity::Info,
                            &display,
                            format!("symbolic link cannot be resolved ({e}): not followed"),
                        ));
                        continue;
                    }
                };
                if target.is_dir() {
                    // Never descend through a directory link: the tree is walked once, loops are impossible.
                    let (code, sev, msg) = if target.starts_with(&canon_root) {
                        (
                            &crate::rules::SYMLINK_LOOP,
                            Severity::Info,
                            format!(
                                "link to a directory inside the tree (`{}`): scanned there, not twice",
                                target.display()
                            ),
                        )
                    } else {
                        (
                            &crate::rules::SYMLINK_LEAVES_TREE,
                            Severity::Medium,
                            format!(
                                "link to directory `{}` outside the scanned tree: not followed",
                                target.display()
                            ),
                        )
                    };
                    out.findings.push(finding(code, sev, &display, msg));
                    continue;
                }
                if !target.is_file() {
                    out.findings
                        .push(special_skipped(&display, fs_err::metadata(&target).ok()));
                    continue;
                }
                let inside = target.starts_with(&canon_root);
                if !inside && !is_hf_cache_link(path, &target) {
                    out.findings.push(finding(
                        &crate::rules::SYMLINK_LEAVES_TREE,
                        Severity::Medium,
                        &display,
                        format!(
                            "link to `{}`, outside the scanned tree: not followed",
                            target.display()
                        ),
                    ));
                    continue;
                }
                linked_targets.insert(target);
            }
            files.push((path.to_path_buf(), display, entry.path_is_symlink()));
        }
        for (path, display, is_link) in files {
            if !is_link
                && !linked_targets.is_empty()
                && path
                    .canonicalize()
                    .is_ok_and(|c| linked_targets.contains(&c))
            {
                // A blob of a Hugging Face cache (or any link target): scanned under its link's name.
                continue;
            }
            if seen_display.insert(display.clone()) {
                out.files.push(FileEntry { path, display });
            }
        }
    }
    out
}
