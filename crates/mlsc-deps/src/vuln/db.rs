//! The advisory database: OSV records loaded from a folder of JSON files, OSV's `all.zip` export, or JSON lines,
//! indexed by PEP 503 name. Versions in the records are parsed only when a dependency of that name is matched,
//! so loading costs one JSON parse per record.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::matching::{Listed, Prepared};
use crate::requirements::normalize_name;

/// One OSV event of a range: exactly one field is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Event {
    /// The first affected version (`"0"`: from the beginning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced: Option<String>,
    /// The first version that is no longer affected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// The last affected version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_affected: Option<String>,
    /// Versions at or above this are not affected by the range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

/// An OSV range: its type (`ECOSYSTEM`, `SEMVER`, `GIT`) and events.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RangeEvents {
    /// `ECOSYSTEM` is the only type matched against PyPI versions.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The events.
    #[serde(default)]
    pub events: Vec<Event>,
}

/// The package an affected entry names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PackageId {
    /// `PyPI` for Python packages.
    #[serde(default)]
    pub ecosystem: String,
    /// The name as the record spells it.
    #[serde(default)]
    pub name: String,
    /// `pkg:pypi/<name>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

/// One `affected` entry of an advisory.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AffectedPackage {
    /// The package.
    #[serde(default)]
    pub package: PackageId,
    /// Affected ranges.
    #[serde(default)]
    pub ranges: Vec<RangeEvents>,
    /// Explicitly listed affected versions.
    #[serde(default)]
    pub versions: Vec<String>,
    /// GHSA-style severity (`database_specific.severity`) when the record carries one.
    #[serde(default, skip_serializing)]
    pub(crate) database_specific: Option<serde_json::Value>,
    #[serde(skip)]
    pub(crate) prepared: OnceLock<Prepared>,
    #[serde(skip)]
    pub(crate) listed: OnceLock<Listed>,
}

/// A CVSS or other severity score.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OsvSeverity {
    /// `CVSS_V3`, `CVSS_V4`, …
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The vector string.
    #[serde(default)]
    pub score: String,
}

/// A reference link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Reference {
    /// `ADVISORY`, `FIX`, `WEB`, …
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The URL.
    #[serde(default)]
    pub url: String,
}

/// One OSV advisory.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Advisory {
    /// `PYSEC-2024-259`, `GHSA-…`.
    pub id: String,
    /// Other ids of the same vulnerability (`CVE-…`, `GHSA-…`).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// One-line summary, when the record has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Longer description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// RFC 3339 time of the last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// RFC 3339 time of publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Set when the advisory was withdrawn: it is never matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    /// Affected packages.
    #[serde(default)]
    pub affected: Vec<AffectedPackage>,
    /// Severity scores.
    #[serde(default)]
    pub severity: Vec<OsvSeverity>,
    /// Links.
    #[serde(default)]
    pub references: Vec<Reference>,
    /// GHSA records keep their severity word here (`{"severity": "HIGH", "github_reviewed": true, ...}`).
    #[serde(default, skip_serializing)]
    pub(crate) database_specific: Option<serde_json::Value>,
}

impl Advisory {
    /// One line for messages: the OSV `summary` when there is one, else the first sentence of `details` that says
    /// something (PYSEC records, which have no summary, often open with a description of the project, "Requests
    /// is a HTTP library.", which is skipped), at most 160 characters, cut at a word boundary with an ellipsis.
    pub fn headline(&self) -> String {
        let summary = self
            .summary
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let text = match summary {
            Some(s) => s.lines().next().unwrap_or("").trim().to_owned(),
            None => details_headline(self.details.as_deref().unwrap_or("")),
        };
        // A phrase, as OSV summaries are: messages go on after it (`…; upgrade to 2.31.0`).
        clip_at_word(text.trim_end_matches('.'), HEADLINE_CHARS)
    }

    /// GHSA-style severity words (`CRITICAL`, `HIGH`, `MODERATE`, `LOW`) from `database_specific`, if any: the
    /// record's own (where GHSA records keep it), else an affected entry's.
    pub(crate) fn severity_word(&self) -> Option<String> {
        let word = |d: Option<&serde_json::Value>| {
            d?.get("severity")?
                .as_str()
                .map(|s| s.trim().to_ascii_uppercase())
                .filter(|s| !s.is_empty())
        };
        word(self.database_specific.as_ref()).or_else(|| {
            self.affected
                .iter()
                .find_map(|a| word(a.database_specific.as_ref()))
        })
    }

    /// True for an OpenSSF malicious-packages record (`MAL-…`, or a record aliasing one): the package itself is
    /// malware, whatever the version.
    pub fn is_malicious(&self) -> bool {
        self.id.starts_with("MAL-") || self.aliases.iter().any(|a| a.starts_with("MAL-"))
    }
}

/// Longest advisory headline, in characters.
const HEADLINE_CHARS: usize = 160;

/// The sentences of the first paragraph of `details`: split after `.`, `!` or `?` followed by a space, so that
/// versions (`2.3.0`) and abbreviations without a following space stay whole.
fn sentences(paragraph: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = paragraph.as_bytes();
    for i in 0..bytes.len() {
        if matches!(bytes[i], b'.' | b'!' | b'?') && bytes.get(i + 1) == Some(&b' ') {
            let s = paragraph[start..=i].trim();
            // "e.g." and "i.e." end no sentence.
            if !(s.ends_with("e.g.") || s.ends_with("i.e.") || s.ends_with("etc.")) {
                out.push(s);
                start = i + 1;
            }
        }
    }
    let rest = paragraph[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// True for a sentence that only introduces the project ("Requests is a HTTP library.", "Pillow is the friendly
/// PIL fork."): the start of many PYSEC details, and no description of the vulnerability.
fn is_project_blurb(sentence: &str) -> bool {
    let words: Vec<&str> = sentence.split_whitespace().take(6).collect();
    words
        .iter()
        .position(|w| *w == "is" || *w == "are")
        .is_some_and(|i| {
            (1..=3).contains(&i)
                && words
                    .get(i + 1)
                    .is_some_and(|a| matches!(*a, "a" | "an" | "the"))
        })
        && !sentence.to_ascii_lowercase().contains("vulnerab")
}

/// The headline of an advisory without a summary: the first sentence of `details` that is not a project blurb.
fn details_headline(details: &str) -> String {
    let paragraph = details
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|p| !p.is_empty() && !p.starts_with('#'))
        .unwrap_or_default();
    let sentences = sentences(&paragraph);
    sentences
        .iter()
        .find(|s| !is_project_blurb(s))
        .or(sentences.first())
        .map(|s| (*s).to_owned())
        .unwrap_or_default()
}

/// `text` cut to at most `max` characters at the last word boundary, with `…` when something was cut.
fn clip_at_word(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let head: String = text.chars().take(max - 1).collect();
    let cut = head
        .rfind(char::is_whitespace)
        .filter(|&i| i > max / 2)
        .map_or(head.as_str(), |i| &head[..i]);
    let cut = cut.trim_end_matches(|c: char| c == ',' || c == ';' || c == ':' || c.is_whitespace());
    format!("{cut}…")
}

/// What `mlsc db info` says about a database.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DatabaseInfo {
    /// The file or folder loaded.
    pub source: String,
    /// `directory`, `zip` or `jsonl`.
    pub format: String,
    /// Records loaded.
    pub records: usize,
    /// Records with at least one PyPI entry.
    pub pypi_records: usize,
    /// Distinct PyPI package names.
    pub packages: usize,
    /// Withdrawn records (loaded, never matched).
    pub withdrawn: usize,
    /// The newest `modified` time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub newest_modified: Option<String>,
    /// Records that could not be parsed, with why (the first few).
    pub invalid: usize,
    /// The first few parse problems.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

/// A loaded advisory database, indexed by PEP 503 package name.
#[derive(Debug, Default)]
pub struct Database {
    records: Vec<Record>,
    /// Normalised name → (advisory index, affected index).
    index: HashMap<String, Vec<(usize, usize)>>,
    info: DatabaseInfo,
}

/// Largest JSON record or zip member read. By far the largest PyPI record is under 1 MB.
const MAX_RECORD_BYTES: u64 = 32 << 20;
/// Most records loaded.
const MAX_RECORDS: usize = 2_000_000;

impl Database {
    /// Loads `path`: a folder of `*.json` records (searched recursively), an OSV `all.zip`, a JSON lines file,
    /// or one JSON record or array. Records that do not parse are counted in [`DatabaseInfo::invalid`] and
    /// skipped.
    ///
    /// # Errors
    /// [`crate::Error::Database`] when the path cannot be read, or when it holds no valid record at all.
    pub fn load(path: impl AsRef<Path>) -> Result<Database, crate::Error> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let err = |reason: String| crate::Error::Database {
            path: shown.clone(),
            reason,
        };
        let (format, texts): (&str, Vec<Vec<u8>>) = if path.is_dir() {
            let mut files = Vec::new();
            collect_json(path, &mut files, 0);
            files.sort();
            let mut texts = Vec::with_capacity(files.len());
            for f in files.iter().take(MAX_RECORDS) {
                texts.push(read_limited(f).map_err(|e| err(format!("`{}`: {e}", f.display())))?);
            }
            ("directory", texts)
        } else {
            let bytes = read_limited_total(path).map_err(err)?;
            if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
                ("zip", read_zip(&bytes).map_err(err)?)
            } else {
                ("jsonl", vec![bytes])
            }
        };
        let db = Database::from_texts(&shown, format, &texts);
        if db.info.records == 0 {
            let why = db
                .info
                .problems
                .first()
                .cloned()
                .unwrap_or_else(|| "no OSV records found".to_owned());
            return Err(err(why));
        }
        Ok(db)
    }

    /// Loads a database from the bytes of one file (an OSV zip export or JSON lines), as `mlsc db update` checks
    /// a download before keeping it.
    ///
    /// # Errors
    /// [`crate::Error::Database`] when the bytes hold no valid record.
    pub fn from_bytes(source: &str, bytes: &[u8]) -> Result<Database, crate::Error> {
        let err = |reason: String| crate::Error::Database {
            path: source.to_owned(),
            reason,
        };
        let db = if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
            Database::from_texts(source, "zip", &read_zip(bytes).map_err(err)?)
        } else {
            Database::from_texts(source, "jsonl", &[bytes.to_vec()])
        };
        if db.info.records == 0 {
            let why = db
                .info
                .problems
                .first()
                .cloned()
                .unwrap_or_else(|| "no OSV records found".to_owned());
            return Err(err(why));
        }
        Ok(db)
    }

    /// Parses OSV JSON from in-memory files: each is one record, an array of records, or JSON lines.
    ///
    /// Only what the index needs is read now (id, aliases, `modified`, `withdrawn`, package names), borrowing from
    /// the text; a record is parsed whole the first time a dependency of its package is matched. Loading the 2,661
    /// PyPI advisories so costs a scan of 4.7 MB instead of a few hundred thousand string allocations.
    ///
    /// ```
    /// let osv = br#"{"id":"PYSEC-2023-74","affected":[{"package":{"ecosystem":"PyPI","name":"requests"},
    ///   "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.3.0"},{"fixed":"2.31.0"}]}]}]}"#;
    /// let db = mlsc_deps::Database::from_texts("inline", "jsonl", &[osv.to_vec()]);
    /// assert_eq!(db.info().records, 1);
    /// assert_eq!(db.info().invalid, 0);
    /// ```
    pub fn from_texts(source: &str, format: &str, texts: &[Vec<u8>]) -> Database {
        // Split every text into record-sized pieces first, then read them in parallel.
        let mut pieces: Vec<&[u8]> = Vec::new();
        for t in texts {
            let trimmed = t.trim_ascii();
            if trimmed.starts_with(b"[") {
                pieces.push(trimmed);
                continue;
            }
            let mut lines = trimmed
                .split(|&b| b == b'\n')
                .filter(|l| !l.trim_ascii().is_empty());
            let first = lines.next();
            let second = lines.next();
            match (first, second) {
                // A pretty-printed single record spans lines; JSON lines have a whole record per line.
                (Some(f), Some(_))
                    if serde_json::from_slice::<serde::de::IgnoredAny>(f).is_ok() =>
                {
                    pieces.extend(
                        trimmed
                            .split(|&b| b == b'\n')
                            .filter(|l| !l.trim_ascii().is_empty()),
                    );
                }
                (Some(_), _) => pieces.push(trimmed),
                (None, _) => {}
            }
        }
        let parsed: Vec<Result<Vec<(Summary, Record)>, String>> =
            mlsc_core::par::map(&pieces, |p| {
                if p.starts_with(b"[") {
                    // Arrays are rare (hand-made files): parse them whole at once.
                    let list =
                        serde_json::from_slice::<Vec<Advisory>>(p).map_err(|e| e.to_string())?;
                    Ok(list
                        .into_iter()
                        .map(|a| (Summary::of(&a), Record::parsed(a)))
                        .collect())
                } else {
                    let light =
                        serde_json::from_slice::<Light<'_>>(p).map_err(|e| e.to_string())?;
                    let summary = Summary::from_light(&light);
                    Ok(vec![(summary, Record::raw(p))])
                }
            });
        let mut db = Database {
            info: DatabaseInfo {
                source: source.to_owned(),
                format: format.to_owned(),
                ..DatabaseInfo::default()
            },
            ..Database::default()
        };
        for r in parsed {
            match r {
                Ok(list) => {
                    for (summary, record) in list {
                        if db.records.len() >= MAX_RECORDS {
                            break;
                        }
                        if summary.id.is_empty() {
                            db.info.invalid += 1;
                            continue;
                        }
                        db.push(summary, record);
                    }
                }
                Err(e) => {
                    db.info.invalid += 1;
                    if db.info.problems.len() < 5 {
                        db.info.problems.push(format!("invalid OSV record: {e}"));
                    }
                }
            }
        }
        db.info.records = db.records.len();
        db.info.packages = db.index.len();
        db
    }

    fn push(&mut self, s: Summary, mut record: Record) {
        let i = self.records.len();
        if s.withdrawn {
            self.info.withdrawn += 1;
        }
        if let Some(m) = &s.modified
            && self
                .info
                .newest_modified
                .as_ref()
                .is_none_or(|n| newer(m, n))
        {
            self.info.newest_modified = Some(m.clone());
        }
        for (j, name) in &s.pypi {
            self.index
                .entry(normalize_name(name))
                .or_default()
                .push((i, *j));
        }
        if !s.pypi.is_empty() {
            self.info.pypi_records += 1;
        }
        record.id = s.id;
        record.aliases = s.aliases;
        self.records.push(record);
    }

    /// Facts about the database.
    pub fn info(&self) -> &DatabaseInfo {
        &self.info
    }

    /// Every advisory that parses (each is parsed here if it was not yet: this is the slow path).
    pub fn advisories(&self) -> Vec<&Advisory> {
        self.records
            .iter()
            .filter_map(|r| r.advisory().ok())
            .collect()
    }

    /// The advisory with this id, else the first with this alias (ASCII case-insensitive), without parsing the
    /// others.
    pub fn get(&self, id: &str) -> Option<&Advisory> {
        self.records
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(id))
            .or_else(|| {
                self.records
                    .iter()
                    .find(|r| r.aliases.iter().any(|x| x.eq_ignore_ascii_case(id)))
            })
            .and_then(|r| r.advisory().ok())
    }

    /// The (advisory, affected entry) pairs naming `name` (any spelling; normalised here). Records of the
    /// package that do not parse are left out: [`Database::unreadable_for`] names them.
    pub fn for_package(&self, name: &str) -> impl Iterator<Item = (&Advisory, &AffectedPackage)> {
        self.index
            .get(&normalize_name(name))
            .into_iter()
            .flatten()
            .filter_map(|&(i, j)| {
                let a = self.records[i].advisory().ok()?;
                Some((a, a.affected.get(j)?))
            })
    }

    /// The records naming `name` that could not be parsed whole, as (id, reason): the caller must not call a
    /// dependency of that name clean.
    pub fn unreadable_for(&self, name: &str) -> Vec<(&str, &str)> {
        self.index
            .get(&normalize_name(name))
            .into_iter()
            .flatten()
            .filter_map(|&(i, _)| {
                let r = &self.records[i];
                r.advisory().err().map(|e| (r.id.as_str(), e))
            })
            .collect()
    }
}

/// What the index needs of a record, read without allocating its text.
#[derive(Deserialize)]
struct Light<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(default, borrow)]
    aliases: Vec<Cow<'a, str>>,
    #[serde(default, borrow)]
    modified: Option<Cow<'a, str>>,
    #[serde(default)]
    withdrawn: Option<serde::de::IgnoredAny>,
    #[serde(default, borrow)]
    affected: Vec<LightAffected<'a>>,
}

#[derive(Deserialize)]
struct LightAffected<'a> {
    #[serde(default, borrow)]
    package: Option<LightPackage<'a>>,
}

#[derive(Deserialize)]
struct LightPackage<'a> {
    #[serde(default, borrow)]
    ecosystem: Cow<'a, str>,
    #[serde(default, borrow)]
    name: Cow<'a, str>,
}

/// The owned summary of a record: what [`Database::push`] indexes.
struct Summary {
    id: String,
    aliases: Vec<String>,
    modified: Option<String>,
    withdrawn: bool,
    /// (affected index, name) of the PyPI entries.
    pypi: Vec<(usize, String)>,
}

impl Summary {
    fn from_light(l: &Light<'_>) -> Summary {
        Summary {
            id: l.id.to_string(),
            aliases: l.aliases.iter().map(ToString::to_string).collect(),
            modified: l.modified.as_ref().map(ToString::to_string),
            withdrawn: l.withdrawn.is_some(),
            pypi: l
                .affected
                .iter()
                .enumerate()
                .filter_map(|(j, a)| {
                    let p = a.package.as_ref()?;
                    (p.ecosystem.eq_ignore_ascii_case("pypi") && !p.name.is_empty())
                        .then(|| (j, p.name.to_string()))
                })
                .collect(),
        }
    }

    fn of(a: &Advisory) -> Summary {
        Summary {
            id: a.id.clone(),
            aliases: a.aliases.clone(),
            modified: a.modified.clone(),
            withdrawn: a.withdrawn.is_some(),
            pypi: a
                .affected
                .iter()
                .enumerate()
                .filter(|(_, x)| {
                    x.package.ecosystem.eq_ignore_ascii_case("pypi") && !x.package.name.is_empty()
                })
                .map(|(j, x)| (j, x.package.name.clone()))
                .collect(),
        }
    }
}

/// One record: its id and aliases, its text, and its whole parse once it was needed.
#[derive(Debug)]
struct Record {
    id: String,
    aliases: Vec<String>,
    raw: Box<[u8]>,
    full: OnceLock<Result<Advisory, String>>,
}

impl Record {
    fn raw(bytes: &[u8]) -> Record {
        Record {
            id: String::new(),
            aliases: Vec::new(),
            raw: bytes.into(),
            full: OnceLock::new(),
        }
    }

    fn parsed(a: Advisory) -> Record {
        let full = OnceLock::new();
        let _ = full.set(Ok(a));
        Record {
            id: String::new(),
            aliases: Vec::new(),
            raw: Box::default(),
            full,
        }
    }

    fn advisory(&self) -> Result<&Advisory, &str> {
        self.full
            .get_or_init(|| {
                serde_json::from_slice::<Advisory>(&self.raw)
                    .map_err(|e| format!("invalid OSV record: {e}"))
            })
            .as_ref()
            .map_err(String::as_str)
    }
}

/// The file name `mlsc db update` stores the OSV PyPI export under.
pub const DATABASE_FILE: &str = "PyPI-all.zip";

/// Loads the database at `db`, else at [`default_database_path`]. A missing database is an error that says how to
/// get one ([`Error::NoDatabaseAt`](crate::Error::NoDatabaseAt), [`Error::NoDatabaseLocation`](crate::Error::NoDatabaseLocation)): without it nothing can be said, and that must
/// never look like "no vulnerabilities".
///
/// ```
/// let err = mlsc_deps::open_database(Some(std::path::Path::new("no/such/db.zip"))).unwrap_err();
/// assert!(err.to_string().starts_with("no advisory database at `no/such/db.zip`"));
/// ```
pub fn open_database(db: Option<&Path>) -> Result<Database, crate::Error> {
    let path = match db {
        Some(p) => p.to_path_buf(),
        None => default_database_path().ok_or(crate::Error::NoDatabaseLocation)?,
    };
    if !path.exists() {
        return Err(crate::Error::NoDatabaseAt { path });
    }
    Database::load(&path)
}

/// Where `mlsc db update` keeps the database and where `mlsc deps` looks for it without `--db`:
/// `$MLSC_DB` when set; else `$XDG_CACHE_HOME/mlsc/osv/PyPI-all.zip`; else `$HOME/.cache/mlsc/osv/PyPI-all.zip`
/// (`%LOCALAPPDATA%\mlsc\osv\PyPI-all.zip` on Windows). `None` when none of these variables is set.
pub fn default_database_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("MLSC_DB").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("LOCALAPPDATA")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })?;
    Some(cache.join("mlsc").join("osv").join(DATABASE_FILE))
}

/// True when RFC 3339 time `a` is later than `b` (compared as instants when both parse, else as text).
fn newer(a: &str, b: &str) -> bool {
    match (a.parse::<jiff::Timestamp>(), b.parse::<jiff::Timestamp>()) {
        (Ok(x), Ok(y)) => x > y,
        _ => a > b,
    }
}

fn collect_json(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 8 || out.len() >= MAX_RECORDS {
        return;
    }
    let Ok(rd) = fs_err::read_dir(dir) else {
        return;
    };
    for e in rd.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            collect_json(&p, out, depth + 1);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| x.eq_ignore_ascii_case("json") || x.eq_ignore_ascii_case("jsonl"))
        {
            out.push(p);
        }
    }
}

fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    let f = fs_err::File::open(path).map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    f.take(MAX_RECORD_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| e.to_string())?;
    if buf.len() as u64 > MAX_RECORD_BYTES {
        return Err(format!("larger than {MAX_RECORD_BYTES} bytes"));
    }
    Ok(buf)
}

/// A whole database file (a zip or JSON lines) is allowed to be larger than one record.
fn read_limited_total(path: &Path) -> Result<Vec<u8>, String> {
    let limit = mlsc_core::Limits::default().max_decompressed_bytes;
    let f = fs_err::File::open(path).map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    f.take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| e.to_string())?;
    if buf.len() as u64 > limit {
        return Err(format!("larger than {limit} bytes"));
    }
    Ok(buf)
}

/// The `*.json` members of an OSV zip export, each bounded; the total is bounded by mlsc-core's limits.
fn read_zip(bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let limits = mlsc_core::Limits::default();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a valid zip: {e}"))?;
    if zip.len() as u64 > limits.max_members.max(1_000_000) {
        return Err(format!("{} members, more than allowed", zip.len()));
    }
    let mut out = Vec::with_capacity(zip.len());
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| format!("member {i}: {e}"))?;
        if f.is_dir() || !f.name().to_ascii_lowercase().ends_with(".json") {
            continue;
        }
        let mut buf = Vec::new();
        (&mut f)
            .take(MAX_RECORD_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| format!("member `{}`: {e}", f.name()))?;
        if buf.len() as u64 > MAX_RECORD_BYTES {
            return Err(format!(
                "member `{}` is larger than {MAX_RECORD_BYTES} bytes",
                f.name()
            ));
        }
        total += buf.len() as u64;
        if total > limits.max_decompressed_bytes {
            return Err(format!(
                "more than {} bytes decompressed",
                limits.max_decompressed_bytes
            ));
        }
        out.push(buf);
    }
    Ok(out)
}

#[cfg(test)]
mod headline_tests {
    use super::*;

    fn advisory(summary: Option<&str>, details: &str) -> Advisory {
        let mut a: Advisory = serde_json::from_value(serde_json::json!({"id": "PYSEC-0000-1"}))
            .expect("a minimal record parses because only id is required");
        a.summary = summary.map(str::to_owned);
        a.details = Some(details.to_owned());
        a
    }

    #[test]
    fn project_blurb_is_skipped_and_long_text_cut_at_a_word() {
        // The opening of PYSEC-2023-74 (requests), which has no summary.
        let a = advisory(
            None,
            "Requests is a HTTP library. Since Requests 2.3.0, Requests has been leaking Proxy-Authorization \
             headers to destination servers when redirected to an HTTPS endpoint. This is a product of how we use",
        );
        assert_eq!(
            a.headline(),
            "Since Requests 2.3.0, Requests has been leaking Proxy-Authorization headers to destination servers \
             when redirected to an HTTPS endpoint"
        );
        let a = advisory(Some("Arbitrary code execution in torch.load"), "Anything.");
        assert_eq!(a.headline(), "Arbitrary code execution in torch.load");
        let long = "word ".repeat(60);
        let h = advisory(None, &long).headline();
        assert!(h.ends_with("word…"), "{h}");
        assert!(h.chars().count() <= HEADLINE_CHARS);
        // A blurb alone is still better than nothing.
        assert_eq!(
            advisory(None, "Pillow is a library.").headline(),
            "Pillow is a library"
        );
        // e.g. ends no sentence.
        assert_eq!(
            advisory(
                None,
                "A crafted file, e.g. a PNG, crashes the decoder. More text."
            )
            .headline(),
            "A crafted file, e.g. a PNG, crashes the decoder"
        );
    }
}
