//! Incident response: which of many BOMs contain an affected component.

use std::str::FromStr;

use pep440_rs::{Version, VersionSpecifiers};
use serde::Serialize;

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

/// Whether component `c` matches `query`, and how surely.
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
    match c.version.as_deref().map(Version::from_str) {
        Some(Ok(v)) => spec.contains(&v).then_some(MatchKind::Affected),
        _ => Some(MatchKind::PossiblyAffected),
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
        // Local versions: 2.2.0+cpu is 2.2.0 for PEP 440 comparison.
        let q = PackageQuery::parse("torch==2.2.0").unwrap();
        assert_eq!(
            match_component(&lib("torch", Some("2.2.0+cpu")), &q),
            Some(MatchKind::Affected)
        );
    }
}
