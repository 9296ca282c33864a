//! The `vulnerabilities` section of a BOM, from the OSV matching of `mlsc-deps` (never a second matcher), and the
//! advisory search of `mlsc sbom affected --advisory`.
//!
//! Both work on BOMs, not projects: the `library` components with `pkg:pypi/` purls are turned back into
//! dependencies (exact version when the BOM has one, unconstrained otherwise) and audited with
//! [`mlsc_deps::audit`]. So a BOM written yesterday can be checked against today's database.

use std::collections::BTreeMap;
use std::str::FromStr;

use pep440_rs::Version;

use crate::bom::affected::{AffectedComponent, MatchKind};
use crate::bom::model::{
    Bom, BomVulnerability, Component, Property, VulnAdvisory, VulnAffect, VulnAffectedVersion,
    VulnRating, VulnReference, VulnSource,
};
use mlsc_deps::{AuditOptions, Database, Exposure, VulnerabilityEntry, audit};
use mlsc_deps::{Dependency, DependencyKind, InputFormat, Project, Source, normalize_name};

/// The PyPI components of `bom` (nested ones included) with their name and version.
fn pypi_components(bom: &Bom) -> Vec<&Component> {
    let roots = bom
        .metadata
        .as_ref()
        .and_then(|m| m.component.as_deref())
        .into_iter()
        .chain(bom.components.iter());
    let mut out = Vec::new();
    for r in roots {
        for c in r.walk() {
            if c.purl
                .as_deref()
                .is_some_and(|p| p.starts_with("pkg:pypi/"))
            {
                out.push(c);
            }
        }
    }
    out
}

fn purl_name(purl: &str) -> String {
    let rest = purl.strip_prefix("pkg:pypi/").unwrap_or(purl);
    let end = rest.find(['@', '?', '#']).unwrap_or(rest.len());
    normalize_name(
        &rest[..end]
            .replace("%2D", "-")
            .replace("%2E", ".")
            .replace("%5F", "_"),
    )
}

/// Audits the PyPI components of `bom`: the matches and, for each, the component it is about.
fn audit_bom<'a>(bom: &'a Bom, db: &Database) -> Vec<(&'a Component, VulnerabilityEntry)> {
    let comps = pypi_components(bom);
    let mut project = Project::default();
    for c in &comps {
        let name = purl_name(c.purl.as_deref().unwrap_or_default());
        let source = Source::new(
            c.bom_ref.clone().unwrap_or_else(|| c.name.clone()),
            None,
            InputFormat::Installed,
        );
        let dep = match c.version.as_deref().map(Version::from_str) {
            Some(Ok(v)) => Dependency::pinned(&name, v, source),
            _ => {
                // A component known only by a range keeps it as a property: match the range, not "any version"
                // (`numpy>=1.24` cannot be affected by an advisory fixed in 1.19.1).
                let range = c
                    .properties
                    .iter()
                    .find(|p| p.name == "mlsc:python:specifier")
                    .and_then(|p| p.value.as_deref())
                    .and_then(|s| {
                        pep440_rs::VersionSpecifiers::from_str(s)
                            .ok()
                            .map(|v| (s, v))
                    });
                let mut dep = Dependency::new(&name, DependencyKind::Unconstrained, source);
                if let Some((text, specifiers)) = range {
                    dep.kind = DependencyKind::Range;
                    dep.specifier = text.to_owned();
                    dep.specifiers = Some(specifiers);
                }
                dep
            }
        };
        project.dependencies.push(dep);
    }
    let mut options = AuditOptions::default();
    options.hygiene = false;
    let result = audit(&project, db, &options);
    result
        .deps
        .vulnerabilities
        .into_iter()
        .filter_map(|e| comps.get(e.vulnerability.dependency).map(|c| (*c, e)))
        .collect()
}

fn id_source(id: &str) -> VulnSource {
    let (name, url) = if id.starts_with("CVE-") {
        ("NVD", format!("https://nvd.nist.gov/vuln/detail/{id}"))
    } else if id.starts_with("GHSA-") {
        ("GitHub", format!("https://github.com/advisories/{id}"))
    } else {
        ("OSV", format!("https://osv.dev/vulnerability/{id}"))
    };
    VulnSource {
        name: Some(name.to_owned()),
        url: Some(url),
        ..VulnSource::default()
    }
}

fn rating(severity: &str) -> Option<VulnRating> {
    let s = severity.trim();
    let method = if s.starts_with("CVSS:3.1/") {
        Some("CVSSv31")
    } else if s.starts_with("CVSS:3.0/") {
        Some("CVSSv3")
    } else if s.starts_with("CVSS:4.0/") {
        Some("CVSSv4")
    } else if s.starts_with("AV:") {
        Some("CVSSv2")
    } else {
        None
    };
    if let Some(m) = method {
        return Some(VulnRating {
            method: Some(m.to_owned()),
            vector: Some(s.to_owned()),
            ..VulnRating::default()
        });
    }
    let word = match s.to_ascii_uppercase().as_str() {
        "CRITICAL" => "critical",
        "HIGH" => "high",
        "MODERATE" | "MEDIUM" => "medium",
        "LOW" => "low",
        _ => return None,
    };
    Some(VulnRating {
        severity: Some(word.to_owned()),
        method: Some("other".to_owned()),
        ..VulnRating::default()
    })
}

/// Replaces the `vulnerabilities` of `bom` with those `db` lists for its PyPI components: OSV ids, aliases as
/// references, affected components by bom-ref, ratings, and the fix version as the recommendation. Components
/// without a bom-ref get none (they cannot be referenced) and are skipped.
pub fn add_vulnerabilities(bom: &mut Bom, db: &Database) {
    let matches = audit_bom(bom, db);
    let mut by_id: BTreeMap<String, BomVulnerability> = BTreeMap::new();
    for (c, e) in matches {
        let Some(r) = c.bom_ref.clone() else { continue };
        let m = &e.vulnerability;
        let v = by_id.entry(m.id.clone()).or_insert_with(|| {
            let mut refs: Vec<String> = m.ids.iter().filter(|i| **i != m.id).cloned().collect();
            refs.extend(m.aliases.iter().cloned());
            refs.sort();
            refs.dedup();
            BomVulnerability {
                bom_ref: Some(format!("vulnerability:{}", m.id)),
                id: Some(m.id.clone()),
                source: Some(id_source(&m.id)),
                references: refs
                    .into_iter()
                    .map(|id| VulnReference {
                        source: id_source(&id),
                        id,
                        ..VulnReference::default()
                    })
                    .collect(),
                ratings: m.severity.iter().filter_map(|s| rating(s)).collect(),
                description: Some(m.summary.clone()).filter(|s| !s.is_empty()),
                advisories: m
                    .references
                    .iter()
                    .map(|u| VulnAdvisory {
                        url: u.clone(),
                        ..VulnAdvisory::default()
                    })
                    .collect(),
                updated: m
                    .modified
                    .clone()
                    .filter(|t| t.parse::<jiff::Timestamp>().is_ok()),
                ..BomVulnerability::default()
            }
        });
        // An exact version is affected; a component without one is only possibly affected, and the schema has no
        // way to say "unknown version", so it gets no `versions` (and an `mlsc:exposure` property below).
        let versions = match (&m.kind, &e.version) {
            (Exposure::Affected, Some(ver)) => vec![VulnAffectedVersion {
                version: Some(ver.clone()),
                status: Some("affected".to_owned()),
                ..VulnAffectedVersion::default()
            }],
            _ => Vec::new(),
        };
        v.affects.push(VulnAffect {
            reference: r,
            versions,
            ..VulnAffect::default()
        });
        if let Some(fix) = &e.fix_version {
            let rec = format!("Upgrade {} to {fix} or later", e.package);
            match &mut v.recommendation {
                Some(existing) if !existing.contains(&rec) => {
                    existing.push_str("; ");
                    existing.push_str(&rec);
                }
                None => v.recommendation = Some(rec),
                _ => {}
            }
        }
        if m.kind != Exposure::Affected {
            let p = Property::new("mlsc:exposure", format!("possibly-affected: {}", e.package));
            if !v.extra.contains_key("properties") {
                v.extra
                    .insert("properties".to_owned(), serde_json::json!([]));
            }
            if let Some(arr) = v.extra.get_mut("properties").and_then(|x| x.as_array_mut()) {
                let pv = serde_json::to_value(&p)
                    .expect("a property serialises because it is two strings");
                if !arr.contains(&pv) {
                    arr.push(pv);
                }
            }
        }
    }
    bom.vulnerabilities = by_id.into_values().collect();
}

/// The components of `bom` that advisory `id` (or an advisory with `id` as an alias) affects.
pub fn affected_by_advisory(
    bom: &Bom,
    bom_path: &str,
    db: &Database,
    id: &str,
) -> Vec<AffectedComponent> {
    audit_bom(bom, db)
        .into_iter()
        .filter(|(_, e)| {
            let m = &e.vulnerability;
            m.id.eq_ignore_ascii_case(id)
                || m.ids.iter().any(|x| x.eq_ignore_ascii_case(id))
                || m.aliases.iter().any(|x| x.eq_ignore_ascii_case(id))
        })
        .map(|(c, e)| AffectedComponent {
            bom: bom_path.to_owned(),
            serial_number: bom.serial_number.clone(),
            name: c.name.clone(),
            version: c.version.clone(),
            specifier: crate::bom::affected::component_specifier(c),
            purl: c.purl.clone(),
            bom_ref: c.bom_ref.clone(),
            status: match e.vulnerability.kind {
                Exposure::Affected => MatchKind::Affected,
                _ => MatchKind::PossiblyAffected,
            },
            reason: e.vulnerability.id.clone(),
        })
        .collect()
}

/// True when `db` knows advisory `id` (as an id or an alias).
pub fn database_knows(db: &Database, id: &str) -> bool {
    db.get(id).is_some()
        || db
            .advisories()
            .iter()
            .any(|a| a.aliases.iter().any(|x| x.eq_ignore_ascii_case(id)))
}

/// The CycloneDX BOM of a Python project's dependencies with their known vulnerabilities (what `mlsc deps --format
/// cyclonedx` writes): [`project_bom`](crate::project_bom) of `path` without scanning, [`add_vulnerabilities`]
/// from `db`, then [`finish`](crate::finish) so that the serial number and timestamp cover the vulnerabilities too.
///
/// # Errors
/// What [`project_bom`](crate::project_bom) returns.
pub fn dependency_bom(
    path: impl AsRef<std::path::Path>,
    db: &Database,
    options: &crate::BomOptions,
) -> Result<Bom, crate::Error> {
    let mut options = options.clone();
    options.scan = false;
    let mut out = crate::project_bom(path, &options)?;
    add_vulnerabilities(&mut out.bom, db);
    crate::finish(&mut out.bom, &options);
    Ok(out.bom)
}
