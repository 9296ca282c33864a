//! A Python project (requirements, pyproject, lock files, installed environments, read by `crate::requirements`)
//! as `library` components.
//!
//! One component per package and exact version; the same package declared in several inputs (a requirements
//! file, its lock file, the installed venv) is merged, and its sources are listed as properties. A package known
//! only by a range keeps the range as the `mlsc:python:specifier` property: a specifier is never a version.

use std::collections::BTreeMap;

use mlsc_core::{Finding, Severity};

use crate::bom::rules;

use crate::bom::licenses::is_valid_spdx_id;
use crate::bom::model::{
    BomDependency, Component, ComponentType, ExternalReference, Hash, LicenseChoice,
};
use mlsc_deps::{Dependency, DependencyKind, Project};

/// The CycloneDX algorithm name of a pip hash algorithm, and the hex length it must have.
fn cdx_alg(alg: &str) -> Option<(&'static str, usize)> {
    Some(match alg {
        "md5" => ("MD5", 32),
        "sha1" => ("SHA-1", 40),
        "sha256" => ("SHA-256", 64),
        "sha384" => ("SHA-384", 96),
        "sha512" => ("SHA-512", 128),
        _ => return None,
    })
}

/// The CycloneDX licence of a licence string from installed metadata (`License-Expression`, `License`, or a
/// classifier's name): an SPDX id, an SPDX expression, or a named licence — never an invalid id.
pub(crate) fn metadata_license(text: &str) -> Option<LicenseChoice> {
    let t = text.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("unknown") || t.eq_ignore_ascii_case("none") {
        return None;
    }
    if is_valid_spdx_id(t) {
        return Some(LicenseChoice::spdx(t));
    }
    // A short single line that parses strictly as an SPDX expression whose ids are all current.
    if t.len() < 200
        && !t.contains('\n')
        && let Ok(expr) = spdx::Expression::parse(t)
        && expr.requirements().all(|r| match &r.req.license {
            spdx::LicenseItem::Spdx { id, .. } => is_valid_spdx_id(id.name),
            spdx::LicenseItem::Other { .. } => true,
        })
    {
        let ids: Vec<_> = expr.requirements().collect();
        if ids.len() == 1
            && let spdx::LicenseItem::Spdx {
                id,
                or_later: false,
            } = &ids[0].req.license
            && ids[0].req.addition.is_none()
        {
            return Some(LicenseChoice::spdx(id.name));
        }
        return Some(LicenseChoice::expression(t));
    }
    // Free text (`BSD`, a whole licence text): a name, clipped.
    let first_line = t.lines().next().unwrap_or(t);
    let name: String = first_line.chars().take(200).collect();
    Some(LicenseChoice::named(name, None))
}

#[derive(Default)]
struct Merged {
    deps: Vec<Dependency>,
}

/// The library components of `project`, with the dependency graph where the inputs record it, and findings for
/// its problems. `root_ref` is the bom-ref the project's direct dependencies hang from.
pub(crate) fn project_components(
    project: &Project,
    root_ref: &str,
    findings: &mut Vec<Finding>,
) -> (Vec<Component>, Vec<BomDependency>) {
    for d in &project.diagnostics {
        let mut f = if d.fatal {
            let mut f = rules::INPUT_PROBLEM.finding_at(Severity::Medium, d.message.clone());
            // A fatal problem has carried this title since 1.0; titles are part of the output, so it stays.
            f.title = "unreadable input".to_owned();
            f
        } else {
            rules::INPUT_PROBLEM.finding_at(Severity::Low, d.message.clone())
        };
        f.location = d.location();
        findings.push(f);
    }
    // Group by (name, exact version); a versionless entry joins the versioned one of the same name when there
    // is exactly one version, since it then names the same installed package.
    let mut by_key: BTreeMap<(String, String), Merged> = BTreeMap::new();
    let active: Vec<&Dependency> = project.active().collect();
    let mut versions_of: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for d in &active {
        if let Some(v) = d.version_string() {
            let vs = versions_of.entry(d.name.as_str()).or_default();
            if !vs.contains(&v) {
                vs.push(v);
            }
        }
    }
    for d in &active {
        let version = match d.version_string() {
            Some(v) => v,
            None => match versions_of.get(d.name.as_str()) {
                Some(vs) if vs.len() == 1 => vs[0].clone(),
                _ => String::new(),
            },
        };
        by_key
            .entry((d.name.clone(), version))
            .or_default()
            .deps
            .push((*d).clone());
    }

    let mut components = Vec::new();
    let mut ref_of_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut graph: Vec<(String, Vec<String>, bool)> = Vec::new();
    let mut direct_refs = Vec::new();
    for ((name, version), merged) in &by_key {
        let first = &merged.deps[0];
        let pinned = merged
            .deps
            .iter()
            .find(|d| d.version_string().is_some())
            .unwrap_or(first);
        let display = merged
            .deps
            .iter()
            .find(|d| d.source.format == mlsc_deps::InputFormat::Installed)
            .unwrap_or(pinned)
            .display_name
            .clone();
        let mut c = Component::new(ComponentType::Library, display);
        let purl = pinned.purl();
        let bom_ref = if version.is_empty() {
            // Two range-only entries of one name (in different groups) stay distinct.
            format!("{purl}#{}", ref_of_name.get(name).map_or(0, Vec::len))
        } else {
            purl.clone()
        };
        c.bom_ref = Some(bom_ref.clone());
        c.purl = Some(purl);
        if !version.is_empty() {
            c.version = Some(version.clone());
        }
        let mut hashes: Vec<(String, String)> = Vec::new();
        let mut license = None;
        let mut depends: Vec<String> = Vec::new();
        let mut graph_known = false;
        let mut direct = false;
        for d in &merged.deps {
            for h in &d.hashes {
                if let Some((alg, len)) = cdx_alg(&h.algorithm)
                    && h.value.len() == len
                    && !hashes.iter().any(|(a, v)| a == alg && *v == h.value)
                {
                    hashes.push((alg.to_owned(), h.value.clone()));
                }
            }
            if license.is_none() {
                license = d.license.as_deref().and_then(metadata_license);
                if let Some(l) = &d.license {
                    c.push_property(
                        "mlsc:python:license-text",
                        l.lines()
                            .next()
                            .unwrap_or("")
                            .chars()
                            .take(200)
                            .collect::<String>(),
                    );
                }
            }
            if d.source.format.is_lock() {
                graph_known = true;
            }
            for dep in &d.depends_on {
                if !depends.contains(dep) {
                    depends.push(dep.clone());
                }
            }
            direct |= d.direct;
            c.push_property("mlsc:python:source", d.source.to_string());
            if !d.specifier.is_empty() && d.version_string().is_none() {
                c.push_property("mlsc:python:specifier", d.specifier.clone());
            }
            if let Some(m) = &d.marker {
                c.push_property("mlsc:python:marker", m.clone());
            }
            if let Some(g) = &d.group {
                c.push_property("mlsc:python:group", g.clone());
            }
            if !d.extras.is_empty() {
                c.push_property("mlsc:python:extras", d.extras.join(","));
            }
            if let Some(u) = &d.url {
                let kind = if d.kind == DependencyKind::Vcs {
                    "vcs"
                } else {
                    "distribution"
                };
                if !c.external_references.iter().any(|x| &x.url == u) {
                    c.external_references
                        .push(ExternalReference::new(kind, u.clone()));
                }
            }
        }
        c.push_property("mlsc:python:kind", pinned.kind.as_str());
        c.push_property("mlsc:python:direct", direct.to_string());
        // Properties from several inputs repeat: keep each name-value once.
        let mut seen = std::collections::BTreeSet::new();
        c.properties
            .retain(|p| seen.insert((p.name.clone(), p.value.clone())));
        c.hashes = hashes.into_iter().map(|(a, v)| Hash::new(a, v)).collect();
        c.licenses.extend(license);
        c.scope = Some("required".to_owned());
        ref_of_name
            .entry(name.clone())
            .or_default()
            .push(bom_ref.clone());
        graph.push((bom_ref.clone(), depends, graph_known));
        if direct {
            direct_refs.push(bom_ref);
        }
        components.push(c);
    }

    let mut deps = vec![BomDependency::new(root_ref, direct_refs)];
    for (r, names, known) in graph {
        if !known {
            // Not recorded by the inputs: absent from the graph means "unknown", which is the truth.
            continue;
        }
        let mut on: Vec<String> = names
            .iter()
            .filter_map(|n| ref_of_name.get(n).and_then(|v| v.first().cloned()))
            .collect();
        on.sort();
        on.dedup();
        deps.push(BomDependency::new(r, on));
    }
    (components, deps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bom::model::License;

    fn l(c: Option<LicenseChoice>) -> String {
        match c {
            Some(LicenseChoice::License {
                license: License { id: Some(id), .. },
            }) => format!("id:{id}"),
            Some(LicenseChoice::License {
                license: License { name: Some(n), .. },
            }) => format!("name:{n}"),
            Some(LicenseChoice::Expression { expression, .. }) => format!("expr:{expression}"),
            _ => "none".into(),
        }
    }

    #[test]
    fn licences_from_metadata() {
        assert_eq!(l(metadata_license("MIT")), "id:MIT");
        assert_eq!(
            l(metadata_license("Apache-2.0 OR MIT")),
            "expr:Apache-2.0 OR MIT"
        );
        assert_eq!(l(metadata_license("BSD")), "name:BSD");
        assert_eq!(l(metadata_license("BSD License")), "name:BSD License");
        assert_eq!(l(metadata_license("UNKNOWN")), "none");
        assert_eq!(
            l(metadata_license(
                "Copyright (c) 2020\nPermission is hereby granted"
            )),
            "name:Copyright (c) 2020"
        );
    }
}
