//! PEP 440 matching of one dependency against the advisories of its package.
//!
//! An `ECOSYSTEM` range becomes a set of intervals by walking its events in version order, as the OSV
//! specification's reference evaluator does: `introduced` opens an interval, `fixed` closes it (exclusive),
//! `last_affected` closes it (inclusive), and `limit` caps the whole range. Explicit `versions` lists are matched
//! too (a version is affected when a range *or* the list says so). Local versions are compared without their
//! local part: `2.2.0+cpu` is affected wherever `2.2.0` is.
//!
//! Where this reading is more cautious than a strict one, the match carries a note that the finding shows:
//! - events are also paired as written (see [`range_intervals`]); a version affected only by that reading (the
//!   events of PYSEC-2021-114 are out of order; PYSEC-2022-42972 and PYSEC-2023-72 introduce and fix at the same
//!   version) gets a note naming the record's quirk;
//! - a version with a `+local` label gets a note that the label was dropped before comparing.
//!
//! What cannot be evaluated is never clean: a range event that is not PEP 440 (PYSEC-2019-125's `fixed:
//! "2019-09-12"`) with no explicit `versions` list to fall back on, or a pin that is not PEP 440
//! (`paramiko===0.1-bulbasaur`) against a record whose ranges bound it and whose list does not name it, is
//! [`Eval::Unknown`] with the reason.

use std::str::FromStr;

use pep440_rs::{Version, VersionSpecifiers};
use serde::Serialize;
use version_ranges::Ranges;

use super::db::{AffectedPackage, RangeEvents};

/// The parsed ranges of one affected entry, built the first time its package is matched.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    /// The union of the `ECOSYSTEM` ranges, every pair read both sorted and as written.
    pub(crate) ranges: Ranges<Version>,
    /// The strict reading alone: the events sorted by version, as the OSV reference evaluator walks them.
    pub(crate) sorted: Ranges<Version>,
    /// Versions that are both `introduced` and `fixed` in one range (as written), for the notes.
    pub(crate) same_version: Vec<String>,
    /// Every `fixed` version in the ranges.
    pub(crate) fixed: Vec<Version>,
    /// Event versions that are not valid PEP 440 (their range was skipped).
    pub(crate) invalid: Vec<String>,
}

fn parse(v: &str) -> Option<Version> {
    Version::from_str(v.trim()).ok()
}

/// The intervals of one `ECOSYSTEM` range: (the union of both readings, the sorted reading alone).
pub(crate) fn range_intervals(
    range: &RangeEvents,
    invalid: &mut Vec<String>,
) -> (Ranges<Version>, Ranges<Version>) {
    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    enum Kind {
        Introduced,
        Fixed,
        LastAffected,
    }
    // `None` as the version of an event means "0": below every version.
    let mut events: Vec<(Option<Version>, Kind)> = Vec::new();
    let mut limits: Vec<Version> = Vec::new();
    for e in &range.events {
        let (text, kind) = if let Some(v) = &e.introduced {
            (v, Some(Kind::Introduced))
        } else if let Some(v) = &e.fixed {
            (v, Some(Kind::Fixed))
        } else if let Some(v) = &e.last_affected {
            (v, Some(Kind::LastAffected))
        } else if let Some(v) = &e.limit {
            (v, None)
        } else {
            continue;
        };
        if kind == Some(Kind::Introduced) && text.trim() == "0" {
            events.push((None, Kind::Introduced));
            continue;
        }
        if kind.is_none() && text.trim() == "*" {
            continue;
        }
        match (parse(text), kind) {
            (Some(v), Some(k)) => events.push((Some(v), k)),
            (Some(v), None) => limits.push(v),
            (None, _) => {
                // One bad version makes the interval it bounds unknowable; the explicit list still counts.
                invalid.push(text.clone());
                return (Ranges::empty(), Ranges::empty());
            }
        }
    }
    let interval = |s: Option<Version>, end: Version, kind: Kind| -> Ranges<Version> {
        let upper = if kind == Kind::Fixed {
            Ranges::strictly_lower_than(end)
        } else {
            Ranges::lower_than(end)
        };
        s.map_or_else(Ranges::full, Ranges::higher_than)
            .intersection(&upper)
    };
    // Some records list several introduced/fixed pairs out of order and overlapping (PYSEC-2022-236:
    // `0..3.1.1, 3.2.0..3.2.2, 3.1.1..3.1.3`), which the sorted walk below reads as fewer intervals than meant.
    // Pairing each `introduced` with the next end in file order reads them as written; the union of both
    // readings is the same for well-formed ranges and never smaller than either for the others.
    let mut out = Ranges::empty();
    let mut open: Option<Option<Version>> = None;
    for (v, kind) in &events {
        match kind {
            Kind::Introduced => open = Some(v.clone()),
            Kind::Fixed | Kind::LastAffected => {
                if let (Some(s), Some(end)) = (open.take(), v.clone()) {
                    out = out.union(&interval(s, end, *kind));
                }
            }
        }
    }
    let mut sorted = Ranges::empty();
    events.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut start: Option<Option<Version>> = None;
    for (v, kind) in events {
        match kind {
            Kind::Introduced => {
                if start.is_none() {
                    start = Some(v);
                }
            }
            Kind::Fixed | Kind::LastAffected => {
                let Some(s) = start.take() else { continue };
                let Some(end) = v else { continue };
                sorted = sorted.union(&interval(s, end, kind));
            }
        }
    }
    if let Some(s) = start {
        sorted = sorted.union(&s.map_or_else(Ranges::full, Ranges::higher_than));
    }
    if let Some(limit) = limits.into_iter().max() {
        let cap = Ranges::strictly_lower_than(limit);
        out = out.intersection(&cap);
        sorted = sorted.intersection(&cap);
    }
    (out.union(&sorted), sorted)
}

impl Prepared {
    pub(crate) fn of(a: &AffectedPackage) -> Prepared {
        let mut p = Prepared {
            ranges: Ranges::empty(),
            sorted: Ranges::empty(),
            same_version: Vec::new(),
            fixed: Vec::new(),
            invalid: Vec::new(),
        };
        for r in &a.ranges {
            if !r.kind.eq_ignore_ascii_case("ECOSYSTEM") {
                continue;
            }
            let (union, sorted) = range_intervals(r, &mut p.invalid);
            p.ranges = p.ranges.union(&union);
            p.sorted = p.sorted.union(&sorted);
            let introduced: Vec<Version> = r
                .events
                .iter()
                .filter_map(|e| e.introduced.as_deref().and_then(parse))
                .collect();
            for e in &r.events {
                if let Some(f) = e.fixed.as_deref().and_then(parse)
                    && introduced.contains(&f)
                {
                    p.same_version.push(f.to_string());
                }
            }
            for e in &r.events {
                if let Some(f) = e.fixed.as_deref().and_then(parse) {
                    p.fixed.push(f);
                }
            }
        }
        p.fixed.sort();
        p.fixed.dedup();
        p
    }
}

/// The explicit `versions` list, parsed: only when a range cannot answer (the lists of some packages run to
/// hundreds of entries per advisory, and most matches are decided by the ranges).
#[derive(Debug, Clone, Default)]
pub(crate) struct Listed {
    /// The entries that are valid PEP 440, local part removed.
    pub(crate) versions: Vec<Version>,
    /// The entries that are not, compared as text.
    pub(crate) raw: Vec<String>,
}

/// True when list entry `s` may equal `base` (no epoch) as PEP 440 compares them: it starts with the same first
/// release number. A cheap filter before parsing; entries with an epoch or a `v` prefix are always parsed.
fn may_equal(s: &str, base: &Version) -> bool {
    if base.epoch() != 0 {
        return true;
    }
    let s = s.trim_start();
    if s.starts_with(['v', 'V']) || s.contains('!') {
        return true;
    }
    let major = base.release().first().copied().unwrap_or(0);
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    // Leading zeros are allowed in PEP 440 (`01.0` == `1.0`), so compare numbers, not text.
    digits > 0 && s[..digits].parse::<u64>().ok() == Some(major)
}

impl AffectedPackage {
    pub(crate) fn prepared(&self) -> &Prepared {
        self.prepared.get_or_init(|| Prepared::of(self))
    }

    pub(crate) fn listed(&self) -> &Listed {
        self.listed.get_or_init(|| {
            let mut l = Listed::default();
            for v in &self.versions {
                match parse(v) {
                    Some(x) => l.versions.push(x.without_local()),
                    None => l.raw.push(v.trim().to_owned()),
                }
            }
            l
        })
    }

    /// Whether exact version `v` is affected, with the notes a cautious reading calls for, or why it cannot be
    /// told.
    pub(crate) fn evaluate(&self, v: &Version) -> Eval {
        let base = v.clone().without_local();
        let p = self.prepared();
        let mut notes = Vec::new();
        if self.affects(v) {
            if v.is_local() {
                notes.push(format!(
                    "`{v}` was compared without its local label, as `{base}` (OSV names public releases; strict \
                     PEP 440 orders `{base}+local` after `{base}`, so a strict reading could miss it)"
                ));
            }
            let listed = self.listed().versions.contains(&base);
            if !listed && !p.sorted.contains(&base) {
                notes.push(if p.same_version.is_empty() {
                    format!(
                        "`{base}` is affected only when the record's events are read in the order written (they \
                         are out of order; sorted by version, as the OSV evaluator walks them, they leave it out): \
                         mlsc reads both and takes the union, the cautious reading"
                    )
                } else {
                    format!(
                        "the record introduces and fixes at the same version {}: sorted by version the range ends \
                         there and leaves `{base}` out; read in the order written, as mlsc also reads it (the \
                         cautious reading), `{base}` is affected",
                        p.same_version.join(", ")
                    )
                });
            }
            return Eval::Affected(notes);
        }
        match self.unknowable() {
            Some(why) => Eval::Unknown(why),
            None => Eval::Clean,
        }
    }

    /// Whether a pin that is not PEP 440 (`===0.1-bulbasaur`) is affected: only a textual match with the
    /// explicit list, or a range that covers every version, can tell; a bounded range cannot be compared with it.
    pub(crate) fn evaluate_arbitrary(&self, arb: &str) -> Eval {
        let arb = arb.trim();
        if self.versions.iter().any(|s| s.trim() == arb) {
            return Eval::Affected(Vec::new());
        }
        let p = self.prepared();
        if p.ranges == Ranges::full() {
            return Eval::Affected(vec![format!(
                "`{arb}` is not a PEP 440 version; the record affects every version"
            )]);
        }
        if !p.ranges.is_empty() || !p.invalid.is_empty() {
            return Eval::Unknown(format!(
                "`{arb}` is not a PEP 440 version, so the record's version ranges cannot be compared with it, and \
                 its explicit versions list does not name it"
            ));
        }
        Eval::Clean
    }

    /// Why this entry cannot be evaluated at all, if it cannot: a range event that is not PEP 440, and no
    /// explicit list to answer in its place.
    pub(crate) fn unknowable(&self) -> Option<String> {
        let p = self.prepared();
        (!p.invalid.is_empty() && self.versions.is_empty()).then(|| {
            format!(
                "its range event {} is not a PEP 440 version and it lists no affected versions, so no version can \
                 be compared with it",
                p.invalid
                    .iter()
                    .map(|x| format!("`{x}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
    }

    /// The affected set as far as intervals can say it: the ranges and the listed versions as single points.
    pub(crate) fn affected_set(&self) -> Ranges<Version> {
        let mut r = self.prepared().ranges.clone();
        for v in &self.listed().versions {
            r = r.union(&Ranges::singleton(v.clone()));
        }
        r
    }

    /// True when exact version `v` is affected.
    pub(crate) fn affects(&self, v: &Version) -> bool {
        let base = v.clone().without_local();
        if self.prepared().ranges.contains(&base) {
            return true;
        }
        if let Some(l) = self.listed.get() {
            return l.versions.contains(&base);
        }
        self.versions
            .iter()
            .any(|s| may_equal(s, &base) && parse(s).is_some_and(|x| x.without_local() == base))
    }

    /// True when some version allowed by `specs` is affected.
    pub(crate) fn overlaps(&self, specs: Option<&VersionSpecifiers>) -> bool {
        let p = self.prepared();
        let Some(specs) = specs else {
            return !p.ranges.is_empty() || !self.versions.is_empty();
        };
        let allowed: Ranges<Version> = specs.clone().into();
        !allowed.is_disjoint(&p.ranges) || self.listed().versions.iter().any(|v| specs.contains(v))
    }
}

/// The answer for one version and one affected entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Eval {
    /// Affected, with notes where the reading is more cautious than a strict one.
    Affected(Vec<String>),
    /// Not affected.
    Clean,
    /// The record cannot be evaluated for this version: why.
    Unknown(String),
}

/// How a dependency is exposed to an advisory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Exposure {
    /// The exact version is affected.
    Affected,
    /// The allowed range overlaps an affected range; no version was resolved.
    PossiblyAffected,
}

/// One vulnerability of one dependency: advisories that share an id or alias merged into one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct VulnMatch {
    /// The index of the dependency in [`crate::Project::dependencies`].
    pub dependency: usize,
    /// The id shown: the first advisory's id (PYSEC before GHSA before others).
    pub id: String,
    /// Every advisory id merged here.
    pub ids: Vec<String>,
    /// Every alias of those advisories (CVE, GHSA, …), excluding `ids`.
    pub aliases: Vec<String>,
    /// Affected or possibly affected.
    pub kind: Exposure,
    /// The advisory's one-line summary.
    pub summary: String,
    /// `fixed` versions named by the matched ranges, ascending.
    #[serde(serialize_with = "ser_versions")]
    pub fixed: Vec<Version>,
    /// CVSS vectors and GHSA severity words of the advisories.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<String>,
    /// `modified` of the newest merged advisory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// Reference URLs (advisory links first).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// Where mlsc read the record more cautiously than a strict reading would (event order, same-version
    /// pairs, local labels): said in the finding too.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The highest CVSS v3 base score computed from the records' vectors, in tenths (98 is 9.8; JSON shows
    /// `9.8`). CVSS v4 vectors are not scored (their score needs the specification's lookup tables).
    #[serde(serialize_with = "ser_tenths", skip_serializing_if = "Option::is_none")]
    pub cvss_score: Option<u8>,
    /// True for an OpenSSF malicious-package (`MAL-`) record: every version of the package is malicious.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub malicious: bool,
}

fn ser_tenths<S: serde::Serializer>(v: &Option<u8>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(t) => s.serialize_f64(f64::from(*t) / 10.0),
        None => s.serialize_none(),
    }
}

fn ser_versions<S: serde::Serializer>(v: &[Version], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(ToString::to_string))
}

/// The preferred display id: PYSEC, then GHSA, then anything else, then CVE; ties by text.
pub(crate) fn id_rank(id: &str) -> (u8, &str) {
    let r = if id.starts_with("PYSEC-") {
        0
    } else if id.starts_with("GHSA-") {
        1
    } else if id.starts_with("CVE-") {
        3
    } else {
        2
    };
    (r, id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vuln::db::Event;

    fn v(s: &str) -> Version {
        Version::from_str(s).unwrap()
    }

    fn ev(kind: &str, ver: &str) -> Event {
        let mut e = Event::default();
        let s = Some(ver.to_owned());
        match kind {
            "i" => e.introduced = s,
            "f" => e.fixed = s,
            "l" => e.last_affected = s,
            _ => e.limit = s,
        }
        e
    }

    fn range(events: Vec<Event>) -> Ranges<Version> {
        let r = RangeEvents {
            kind: "ECOSYSTEM".to_owned(),
            events,
        };
        range_intervals(&r, &mut Vec::new()).0
    }

    #[test]
    fn pep440_edges() {
        let r = range(vec![ev("i", "0"), ev("f", "2.0")]);
        assert!(r.contains(&v("0.dev0")));
        assert!(
            r.contains(&v("2.0rc1")),
            "a pre-release of the fix is still affected"
        );
        assert!(!r.contains(&v("2.0")));
        assert!(!r.contains(&v("2.0.post1")));
        assert!(!r.contains(&v("1!0.5")), "a later epoch is above the fix");
        let r = range(vec![
            ev("i", "1.0"),
            ev("l", "1.5"),
            ev("i", "2.0"),
            ev("f", "2.1"),
        ]);
        assert!(r.contains(&v("1.5")));
        assert!(!r.contains(&v("1.5.post1")));
        assert!(!r.contains(&v("1.9")));
        assert!(r.contains(&v("2.0.5")));
        // Events out of order are sorted first.
        let r = range(vec![ev("f", "3"), ev("i", "2")]);
        assert!(r.contains(&v("2.5")) && !r.contains(&v("1")));
        // Overlapping pairs out of order, as PYSEC-2022-236 writes them, keep every pair.
        let r = range(vec![
            ev("i", "0"),
            ev("f", "3.1.1"),
            ev("i", "3.2.0"),
            ev("f", "3.2.2"),
            ev("i", "3.1.1"),
            ev("f", "3.1.3"),
        ]);
        assert!(r.contains(&v("3.1.2")) && r.contains(&v("3.2.1")) && !r.contains(&v("3.1.3")));
        // An empty pair stays empty.
        let r = range(vec![ev("i", "1.0"), ev("f", "1.0")]);
        assert!(r.is_empty());
        // limit caps an open range.
        let r = range(vec![ev("i", "1"), ev("limit", "4")]);
        assert!(r.contains(&v("3.9")) && !r.contains(&v("4")));
        // A version that is not PEP 440 empties its range instead of crashing.
        let mut bad = Vec::new();
        let (r, _) = range_intervals(
            &RangeEvents {
                kind: "ECOSYSTEM".to_owned(),
                events: vec![ev("i", "0"), ev("f", "not a version")],
            },
            &mut bad,
        );
        assert!(r.is_empty());
        assert_eq!(bad, ["not a version"]);
    }

    #[test]
    fn local_versions_and_lists() {
        let a = AffectedPackage {
            ranges: vec![RangeEvents {
                kind: "ECOSYSTEM".to_owned(),
                events: vec![ev("i", "0"), ev("f", "2.2.2")],
            }],
            versions: vec!["2.2.0".to_owned(), "garbage-version".to_owned()],
            ..AffectedPackage::default()
        };
        let p = &a;
        assert!(p.affects(&v("2.2.0+cpu")));
        assert!(p.affects(&v("2.2.1")));
        assert!(!p.affects(&v("2.2.2+cu121")));
        assert_eq!(p.listed().raw, ["garbage-version"]);
        assert!(
            may_equal("02.2", &v("2.0"))
                && !may_equal("12.0", &v("2.0"))
                && may_equal("v2", &v("2"))
        );
        let specs = VersionSpecifiers::from_str(">=2.2.2").unwrap();
        assert!(!p.overlaps(Some(&specs)));
        let specs = VersionSpecifiers::from_str("==2.2.*").unwrap();
        assert!(p.overlaps(Some(&specs)));
        let specs = VersionSpecifiers::from_str("~=2.1").unwrap();
        assert!(p.overlaps(Some(&specs)));
    }

    /// Over the real data: every version a record lists explicitly must fall inside its `ECOSYSTEM` ranges as
    /// evaluated here. The two were produced independently by the advisory database, so a disagreement points
    /// at our range semantics (or at the data, which the count makes visible).
    #[test]
    fn ranges_agree_with_explicit_lists_on_real_data() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/osv-pypi/pypi-advisories.jsonl"
        );
        let Ok(text) = std::fs::read(path) else {
            eprintln!("skipped: {path} is absent");
            return;
        };
        let db = crate::Database::from_texts("real", "jsonl", &[text]);
        let (mut checked, mut outside) = (0, Vec::new());
        for adv in db.advisories() {
            for a in &adv.affected {
                let p = Prepared::of(a);
                if p.ranges.is_empty() || !p.invalid.is_empty() {
                    continue;
                }
                for v in &a.listed().versions {
                    checked += 1;
                    if p.ranges.contains(v) {
                        continue;
                    }
                    // Two known quirks of the data, where the explicit list (also matched) is broader than
                    // PEP 440 reads the range: pre-releases of an `introduced` release (`3.2a1` listed for
                    // `introduced: 3.2`), and a listed version equal to a `fixed` one (gevent 23.9.0).
                    let events: Vec<&Event> = a.ranges.iter().flat_map(|r| &r.events).collect();
                    let is = |e: &Option<String>, x: &Version| {
                        e.as_deref().and_then(parse).as_ref() == Some(x)
                    };
                    let base = v.only_release();
                    let pre_of_introduced =
                        v.any_prerelease() && events.iter().any(|e| is(&e.introduced, &base));
                    let fixed_base = Version::new(v.release().iter().copied());
                    let equals_fixed = events
                        .iter()
                        .any(|e| is(&e.fixed, v) || is(&e.fixed, &fixed_base));
                    if !pre_of_introduced && !equals_fixed {
                        outside.push(format!("{} {} {v}", adv.id, a.package.name));
                    }
                }
            }
        }
        assert!(checked > 50_000, "only {checked} listed versions checked");
        assert!(
            outside.is_empty(),
            "{} of {checked} listed versions outside the ranges: {:?}",
            outside.len(),
            &outside[..outside.len().min(20)]
        );
    }
}
