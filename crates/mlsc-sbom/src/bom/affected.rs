//! Incident response: which of many BOMs contain an affected component.

use std::str::FromStr;

use pep440_rs::{Version, VersionSpecifiers};
use serde::Serialize;
use version_ranges::Ranges;

use crate::Error;
use crate::bom::model::{Bom, Component};
use mlsc_deps::normalize_name;

/// What to look for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PackageQuery {
    /// The PEP 503 normalised name (`pillow`), or a purl prefix (`pkg:huggingface/google/gemma-2b`).
    pub name: String,
    /// The affected versions; `None` means every version.
    pub specifiers: Option<VersionSpecifiers>,
    /// The text the user wrote, for reports.
    pub display: String,
}

impl PackageQuery {
    /// Parses `NAME[SPECIFIER]` (`pillow<10.0.1`, `torch>=2,<2.2.1`, `numpy`) or a purl (`pkg:huggingface/x/y`,
    /// matched as a prefix of component purls, before `@`).
    pub fn parse(text: &str) -> Result<PackageQuery, Error> {
        let t = text.trim();
        let bad = |why: &str| Error::BadQuery {
            query: text.to_owned(),
            reason: why.to_owned(),
        };
        if t.starts_with("pkg:") {
            return Ok(PackageQuery {
                name: t.to_owned(),
                specifiers: None,
                display: t.to_owned(),
            });
        }
        let split = t
            .find(['<', '>', '=', '!', '~', ' ', '(', ';', '['])
            .unwrap_or(t.len());
        let (name, rest) = t.split_at(split);
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(bad(
                "expected a package name, then an optional PEP 440 specifier",
            ));
        }
        let mut rest = rest.trim();
        if rest.starts_with('[') {
            // Extras do not change which versions are affected.
            rest = rest
                .split_once(']')
                .map(|(_, r)| r.trim())
                .ok_or_else(|| bad("unclosed `[`"))?;
        }
        let rest = rest.trim_start_matches('(').trim_end_matches(')').trim();
        let specifiers = if rest.is_empty() {
            None
        } else {
            Some(VersionSpecifiers::from_str(rest).map_err(|e| bad(&e.to_string()))?)
        };
        Ok(PackageQuery {
            name: normalize_name(name),
            specifiers,
            display: t.to_owned(),
        })
    }
}

/// How sure a match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum MatchKind {
    /// The component's exact version is affected.
    Affected,
    /// The component has no exact version (or one that is not PEP 440), so it may be affected.
    PossiblyAffected,
}

/// One affected component in one BOM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AffectedComponent {
    /// The BOM file.
    pub bom: String,
    /// The BOM's serial number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
    /// The component's name.
    pub name: String,
    /// Its version, when the BOM has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The range the project allows, when the BOM has no exact version (`~=1.12`, `>=2.0,<2.6`): its
    /// `mlsc:python:specifier` property.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub specifier: Option<String>,
    /// Its purl.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// Its bom-ref.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bom_ref: Option<String>,
    /// Sure or possible.
    pub status: MatchKind,
    /// What matched: the query or the advisory id.
    pub reason: String,
}

/// The PyPI name of a component: from its `pkg:pypi/` purl, else its name when it has no purl of another type.
fn pypi_name(c: &Component) -> Option<String> {
    match &c.purl {
        Some(p) => p.strip_prefix("pkg:pypi/").map(|rest| {
            let end = rest.find(['@', '?', '#']).unwrap_or(rest.len());
            normalize_name(&percent_decode(&rest[..end]))
        }),
        None => Some(normalize_name(&c.name)),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(
                std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                16,
            )
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The version range a component without an exact version is known by (its `mlsc:python:specifier` property).
pub(crate) fn component_specifier(c: &Component) -> Option<String> {
    c.properties
        .iter()
        .find(|p| p.name == "mlsc:python:specifier")
        .and_then(|p| p.value.clone())
        .filter(|v| !v.trim().is_empty())
}

/// Whether component `c` matches `query`, and how surely. A component known only by a range is affected when
/// every version the range allows is affected (`~=1.12` allows 1.12 up to 2.0, all below 2.6, so `torch<2.6`
/// affects it), not affected when no version is, and possibly affected otherwise.
pub(crate) fn match_component(c: &Component, query: &PackageQuery) -> Option<MatchKind> {
    if query.name.starts_with("pkg:") {
        let purl = c.purl.as_deref()?;
        let base = purl.split('@').next().unwrap_or(purl);
        return (base == query.name || purl == query.name).then_some(MatchKind::Affected);
    }
    if pypi_name(c)? != query.name {
        return None;
    }
    let Some(spec) = &query.specifiers else {
        return Some(MatchKind::Affected);
    };
    if let Some(Ok(v)) = c.version.as_deref().map(Version::from_str) {
        return spec.contains(&v).then_some(MatchKind::Affected);
    }
    let allowed = component_specifier(c)
        .and_then(|s| VersionSpecifiers::from_str(&s).ok())
        .map(Ranges::<Version>::from);
    let Some(allowed) = allowed else {
        return Some(MatchKind::PossiblyAffected);
    };
    let affected = Ranges::<Version>::from(spec.clone());
    if allowed.is_empty() || allowed.is_disjoint(&affected) {
        None
    } else if allowed.subset_of(&affected) {
        Some(MatchKind::Affected)
    } else {
        Some(MatchKind::PossiblyAffected)
    }
}

/// Every component of `bom` (nested ones and the metadata component included) that matches `query`.
pub fn affected_components(
    bom: &Bom,
    bom_path: &str,
    query: &PackageQuery,
) -> Vec<AffectedComponent> {
    let mut out = Vec::new();
    let roots = bom
        .metadata
        .as_ref()
        .and_then(|m| m.component.as_deref())
        .into_iter()
        .chain(bom.components.iter());
    for root in roots {
        for c in root.walk() {
            if let Some(status) = match_component(c, query) {
                out.push(AffectedComponent {
                    bom: bom_path.to_owned(),
                    serial_number: bom.serial_number.clone(),
                    name: c.name.clone(),
                    version: c.version.clone(),
                    specifier: component_specifier(c),
                    purl: c.purl.clone(),
                    bom_ref: c.bom_ref.clone(),
                    status,
                    reason: query.display.clone(),
                });
            }
        }
    }
    out
}

/// The components of `bom` that the advisory `id` (its id or a reference's, case-insensitive) affects according
/// to the BOM's own `vulnerabilities` section: no advisory database needed. A component listed without an
/// affected version (`mlsc:exposure` `possibly-affected`) is possibly affected.
pub fn affected_by_bom_vulnerabilities(
    bom: &Bom,
    bom_path: &str,
    id: &str,
) -> Vec<AffectedComponent> {
    let mut out = Vec::new();
    for v in &bom.vulnerabilities {
        let matches = v.id.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(id))
            || v.references.iter().any(|r| r.id.eq_ignore_ascii_case(id));
        if !matches {
            continue;
        }
        let shown = v.id.clone().unwrap_or_else(|| id.to_owned());
        for a in &v.affects {
            let Some(c) = find_by_ref(bom, &a.reference) else {
                continue;
            };
            let name = pypi_name(c);
            let possibly = c.version.is_none()
                || v.extra
                    .get("properties")
                    .and_then(|p| p.as_array())
                    .is_some_and(|ps| {
                        ps.iter().any(|p| {
                            p.get("name").and_then(|n| n.as_str()) == Some("mlsc:exposure")
                                && p.get("value")
                                    .and_then(|x| x.as_str())
                                    .and_then(|x| x.strip_prefix("possibly-affected: "))
                                    .map(normalize_name)
                                    == name
                        })
                    });
            out.push(AffectedComponent {
                bom: bom_path.to_owned(),
                serial_number: bom.serial_number.clone(),
                name: c.name.clone(),
                version: c.version.clone(),
                specifier: component_specifier(c),
                purl: c.purl.clone(),
                bom_ref: c.bom_ref.clone(),
                status: if possibly {
                    MatchKind::PossiblyAffected
                } else {
                    MatchKind::Affected
                },
                reason: shown.clone(),
            });
        }
    }
    out
}

/// The component of `bom` (nested ones and the metadata component included) with bom-ref `reference`.
fn find_by_ref<'a>(bom: &'a Bom, reference: &str) -> Option<&'a Component> {
    bom.metadata
        .as_ref()
        .and_then(|m| m.component.as_deref())
        .into_iter()
        .chain(bom.components.iter())
        .flat_map(|c| c.walk())
        .find(|c| c.bom_ref.as_deref() == Some(reference))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bom::model::ComponentType;

    fn lib(name: &str, version: Option<&str>) -> Component {
        let mut c = Component::new(ComponentType::Library, name);
        c.version = version.map(str::to_owned);
        c.purl = Some(match version {
            Some(v) => format!("pkg:pypi/{}@{v}", name.to_lowercase()),
            None => format!("pkg:pypi/{}", name.to_lowercase()),
        });
        c
    }

    #[test]
    fn queries() {
        let q = PackageQuery::parse("Pillow<10.0.1").unwrap();
        assert_eq!(q.name, "pillow");
        assert!(q.specifiers.is_some());
        let q = PackageQuery::parse("torch[cuda] >=2, <2.2.1").unwrap();
        assert_eq!(q.name, "torch");
        assert!(PackageQuery::parse("torch>>2").is_err());
        assert!(PackageQuery::parse("").is_err());
    }

    #[test]
    fn advisories_the_bom_carries() {
        let mut bom = Bom::default();
        let mut c = lib("requests", Some("2.25.0"));
        c.bom_ref = Some("pkg:pypi/requests@2.25.0".to_owned());
        bom.components.push(c);
        let v: crate::bom::model::BomVulnerability = serde_json::from_value(serde_json::json!({
            "id": "PYSEC-2023-74",
            "references": [{"id": "CVE-2023-32681", "source": {"name": "NVD"}}],
            "affects": [{"ref": "pkg:pypi/requests@2.25.0"}]
        }))
        .unwrap();
        bom.vulnerabilities.push(v);
        for id in ["PYSEC-2023-74", "cve-2023-32681"] {
            let hits = affected_by_bom_vulnerabilities(&bom, "b.json", id);
            assert_eq!(hits.len(), 1, "{id}");
            assert_eq!(hits[0].name, "requests");
            assert_eq!(hits[0].status, MatchKind::Affected);
        }
        assert!(affected_by_bom_vulnerabilities(&bom, "b.json", "GHSA-none").is_empty());
    }

    #[test]
    fn matching() {
        let q = PackageQuery::parse("pillow<10.0.1").unwrap();
        assert_eq!(
            match_component(&lib("Pillow", Some("9.0.0")), &q),
            Some(MatchKind::Affected)
        );
        assert_eq!(match_component(&lib("Pillow", Some("10.0.1")), &q), None);
        assert_eq!(
            match_component(&lib("pillow", None), &q),
            Some(MatchKind::PossiblyAffected)
        );
        assert_eq!(match_component(&lib("numpy", Some("1.0")), &q), None);
        // Ranges: every allowed version affected, some, none.
        let ranged = |spec: &str| {
            let mut c = lib("torch", None);
            c.push_property("mlsc:python:specifier", spec);
            c
        };
        let q = PackageQuery::parse("torch<2.6").unwrap();
        assert_eq!(
            match_component(&ranged("~=1.12"), &q),
            Some(MatchKind::Affected)
        );
        assert_eq!(
            match_component(&ranged(">=2.0,<2.6"), &q),
            Some(MatchKind::Affected)
        );
        assert_eq!(
            match_component(&ranged(">=2.4"), &q),
            Some(MatchKind::PossiblyAffected)
        );
        assert_eq!(match_component(&ranged(">=2.6"), &q), None);
        assert_eq!(
            match_component(&ranged("not a range"), &q),
            Some(MatchKind::PossiblyAffected)
        );
        // Local versions: 2.2.0+cpu is 2.2.0 for PEP 440 comparison.
        let q = PackageQuery::parse("torch==2.2.0").unwrap();
        assert_eq!(
            match_component(&lib("torch", Some("2.2.0+cpu")), &q),
            Some(MatchKind::Affected)
        );
    }
}
