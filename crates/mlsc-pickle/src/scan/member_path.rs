//! Archive member names and links, checked the same way for every archive reader (zip, tar, 7z).
//!
//! mlsc never extracts anything, but the loaders that open these archives do: NeMo extracts a `.nemo` tar into a
//! temporary directory (CVE-2025-12638), TorchServe a `.mar` zip, `tarfile.extractall` without a filter anything
//! (CVE-2007-4559; CVE-2024-5187 in ONNX's hub). What they write is decided by the member names and links, so
//! those are judged as an extractor would resolve them:
//!
//! - a name that climbs out with `..` (MLSC-ARC-001) or is absolute — `/etc/x`, `C:x`, `\\host\share\x`
//!   (MLSC-ARC-002). `/` and `\` both separate: Windows extractors and Python's `zipfile` there split on either;
//! - a symbolic link whose target, resolved from the link's directory, lies outside, or a hard link whose target
//!   (a path from the archive root) does (MLSC-ARC-003);
//! - a member written at or under an earlier symbolic link member, which extraction follows (MLSC-ARC-004);
//! - two members with the same normalised name, the later shadowing the earlier (MLSC-ARC-005).
//!
//! The checker is pure (names in, problems out) so the fuzz target `archive_paths` drives it directly.

use std::collections::{HashMap, HashSet};

/// What an archive member is, as far as extraction is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberKind<'a> {
    /// A regular file (or anything extraction writes as one).
    File,
    /// A directory.
    Dir,
    /// A symbolic link with this target.
    Symlink(&'a str),
    /// A hard link to this member path (tar).
    Hardlink(&'a str),
}

/// One problem with a member: its finding code and what to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathProblem {
    /// The finding code (`MLSC-ARC-00n`), `rule.code`.
    pub code: &'static str,
    /// The rule of its finding.
    pub rule: &'static mlsc_core::Rule,
    /// The message, naming the member.
    pub message: String,
}

/// A path split into components, or why it cannot be kept inside the extraction directory.
enum Resolved {
    Inside(Vec<String>),
    Absolute,
    Escapes,
}

/// True when `name` would be taken as absolute by some extractor.
fn is_absolute(name: &str) -> bool {
    let b = name.as_bytes();
    matches!(b.first(), Some(b'/' | b'\\'))
        // A drive letter: `C:\x`, `C:/x`, and the drive-relative `C:x` that Windows resolves against the drive.
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

/// Resolves `path` starting from the components `base`, as an extractor joins it under its destination.
fn resolve(base: &[String], path: &str) -> Resolved {
    if is_absolute(path) {
        return Resolved::Absolute;
    }
    let mut out: Vec<String> = base.to_vec();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if out.pop().is_none() {
                    return Resolved::Escapes;
                }
            }
            p => out.push(p.to_owned()),
        }
    }
    Resolved::Inside(out)
}

/// Checks the members of one archive in order, as an extractor would resolve them. Bounded: it keeps one entry
/// per member it is shown, and the scanner shows it at most `Limits::max_members`.
///
/// ```
/// use mlsc_pickle::{MemberKind, MemberPaths};
///
/// let mut paths = MemberPaths::new();
/// assert!(paths.check("model/config.yaml", MemberKind::File).is_empty());
/// assert_eq!(paths.check("../../etc/cron.d/x", MemberKind::File)[0].code, "MLSC-ARC-001");
/// let link = paths.check("out", MemberKind::Symlink("/tmp"));
/// assert_eq!(link[0].code, "MLSC-ARC-003");
/// assert_eq!(paths.check("out/evil.sh", MemberKind::File)[0].code, "MLSC-ARC-004");
/// ```
#[derive(Debug, Default)]
pub struct MemberPaths {
    /// Normalised names so far: whether a directory, and the content fingerprint.
    seen: HashMap<String, (bool, Option<u64>)>,
    reported_dup: HashSet<String>,
    /// Normalised paths of the symbolic link members so far.
    links: HashSet<String>,
}

impl MemberPaths {
    /// A checker for a new archive.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks member `name` of kind `kind`, after every member before it.
    pub fn check(&mut self, name: &str, kind: MemberKind<'_>) -> Vec<PathProblem> {
        self.check_content(name, kind, None)
    }

    /// [`MemberPaths::check`], with a fingerprint of the member's content (a zip's CRC-32 and size): a duplicate
    /// whose fingerprint equals the earlier copy's shadows nothing, whichever one a reader loads.
    pub fn check_content(
        &mut self,
        name: &str,
        kind: MemberKind<'_>,
        fingerprint: Option<u64>,
    ) -> Vec<PathProblem> {
        let mut out = Vec::new();
        let parts = match resolve(&[], name) {
            Resolved::Absolute => {
                out.push(PathProblem {
                    code: crate::rules::ARCHIVE_MEMBER_ABSOLUTE.code,
                    rule: &crate::rules::ARCHIVE_MEMBER_ABSOLUTE,
                    message: format!(
                        "member `{name}` has an absolute name: extraction writes it outside the destination"
                    ),
                });
                return out;
            }
            Resolved::Escapes => {
                out.push(PathProblem {
                    code: crate::rules::ARCHIVE_MEMBER_ESCAPES.code,
                    rule: &crate::rules::ARCHIVE_MEMBER_ESCAPES,
                    message: format!(
                        "member `{name}` climbs out of the destination with `..` (path traversal on extraction)"
                    ),
                });
                return out;
            }
            Resolved::Inside(p) => p,
        };
        let joined = parts.join("/");
        // Writing at or below an earlier symbolic link follows it.
        let through = (1..=parts.len())
            .map(|n| parts[..n].join("/"))
            .find(|prefix| self.links.contains(prefix));
        if let Some(link) = &through {
            out.push(PathProblem {
                code: crate::rules::ARCHIVE_WRITE_THROUGH_LINK.code,
                rule: &crate::rules::ARCHIVE_WRITE_THROUGH_LINK,
                message: format!(
                    "member `{name}` is written through the earlier symbolic link member `{link}`"
                ),
            });
        }
        match kind {
            MemberKind::Symlink(target) => {
                let parent = &parts[..parts.len().saturating_sub(1)];
                let outside = match resolve(parent, target) {
                    Resolved::Absolute => Some("an absolute path"),
                    Resolved::Escapes => Some("a path above the destination"),
                    Resolved::Inside(_) => None,
                };
                if let Some(what) = outside {
                    out.push(PathProblem {
                        code: crate::rules::ARCHIVE_LINK_ESCAPES.code,
                        rule: &crate::rules::ARCHIVE_LINK_ESCAPES,
                        message: format!(
                            "symbolic link member `{name}` points to `{target}`, {what}, outside the destination"
                        ),
                    });
                }
                if !joined.is_empty() {
                    self.links.insert(joined.clone());
                }
            }
            MemberKind::Hardlink(target) => {
                let outside = match resolve(&[], target) {
                    Resolved::Absolute => Some("an absolute path"),
                    Resolved::Escapes => Some("a path above the destination"),
                    Resolved::Inside(t) if self.links.contains(&t.join("/")) => {
                        Some("an earlier symbolic link member")
                    }
                    Resolved::Inside(_) => None,
                };
                if let Some(what) = outside {
                    out.push(PathProblem {
                        code: crate::rules::ARCHIVE_LINK_ESCAPES.code,
                        rule: &crate::rules::ARCHIVE_LINK_ESCAPES,
                        message: format!(
                            "hard link member `{name}` points to `{target}`, {what}, outside the destination"
                        ),
                    });
                }
            }
            MemberKind::File | MemberKind::Dir => {}
        }
        let is_dir = kind == MemberKind::Dir;
        if !joined.is_empty() {
            // Directories repeat harmlessly (tar writers list `./` and parents more than once), and so do
            // identical copies.
            if let Some(&(earlier_dir, earlier_fp)) = self.seen.get(&joined)
                && !(is_dir && earlier_dir)
                && through.is_none()
                && !(fingerprint.is_some() && fingerprint == earlier_fp)
                && self.reported_dup.insert(joined.clone())
            {
                out.push(PathProblem {
                    code: crate::rules::ARCHIVE_DUPLICATE_MEMBER.code,
                    rule: &crate::rules::ARCHIVE_DUPLICATE_MEMBER,
                    message: format!(
                        "more than one member is named `{joined}`: the later one shadows the earlier on extraction, and readers disagree on which one they load"
                    ),
                });
            }
            self.seen.insert(joined, (is_dir, fingerprint));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(members: &[(&str, MemberKind<'_>)]) -> Vec<&'static str> {
        let mut m = MemberPaths::new();
        members
            .iter()
            .flat_map(|(n, k)| m.check(n, *k))
            .map(|p| p.code)
            .collect()
    }

    #[test]
    fn benign_names_pass() {
        assert!(
            codes(&[
                ("./", MemberKind::Dir),
                ("model/", MemberKind::Dir),
                ("model/", MemberKind::Dir),
                ("model/config.yaml", MemberKind::File),
                ("model/weights.ckpt", MemberKind::File),
                ("model/a/../b.txt", MemberKind::File),
                ("model/latest", MemberKind::Symlink("weights.ckpt")),
                ("model/up", MemberKind::Symlink("../model/config.yaml")),
                ("model/copy", MemberKind::Hardlink("model/weights.ckpt")),
            ])
            .is_empty()
        );
    }

    #[test]
    fn every_escape_is_caught() {
        assert_eq!(codes(&[("../x", MemberKind::File)]), ["MLSC-ARC-001"]);
        assert_eq!(codes(&[("a/../../x", MemberKind::File)]), ["MLSC-ARC-001"]);
        assert_eq!(codes(&[("..\\x", MemberKind::File)]), ["MLSC-ARC-001"]);
        for abs in [
            "/etc/cron.d/x",
            "\\x",
            "C:\\x",
            "c:x",
            "\\\\host\\share\\x",
            "//x",
        ] {
            assert_eq!(codes(&[(abs, MemberKind::File)]), ["MLSC-ARC-002"], "{abs}");
        }
        assert_eq!(
            codes(&[("l", MemberKind::Symlink("/etc"))]),
            ["MLSC-ARC-003"]
        );
        assert_eq!(
            codes(&[("d/l", MemberKind::Symlink("../../x"))]),
            ["MLSC-ARC-003"]
        );
        assert_eq!(
            codes(&[("h", MemberKind::Hardlink("../x"))]),
            ["MLSC-ARC-003"]
        );
        assert_eq!(
            codes(&[
                ("l", MemberKind::Symlink("/tmp")),
                ("l/evil.sh", MemberKind::File)
            ]),
            ["MLSC-ARC-003", "MLSC-ARC-004"]
        );
        // Through a link that points inside is still a write through a link (its target may be replaced later).
        assert_eq!(
            codes(&[("l", MemberKind::Symlink("d")), ("l", MemberKind::File)]),
            ["MLSC-ARC-004"]
        );
        assert_eq!(
            codes(&[("a.pkl", MemberKind::File), ("./a.pkl", MemberKind::File)]),
            ["MLSC-ARC-005"]
        );
    }
}
