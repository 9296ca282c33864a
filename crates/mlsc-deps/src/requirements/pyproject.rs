//! `pyproject.toml`: PEP 621 `[project]` dependencies and optional dependencies, PEP 735 `[dependency-groups]`,
//! and Poetry's `[tool.poetry.*dependencies]` tables (with caret and tilde constraints translated to PEP 440).

use std::str::FromStr;

use toml::{Table, Value};

use super::pep508::{self, apply_specifier, url_kind};
use super::{Dependency, DependencyKind, Diagnostic, InputFormat, Project, Source, Target};

/// The 1-based line of the first occurrence of `needle` (as a quoted string or a key) in `text`.
pub(crate) fn line_of(text: &str, needle: &str) -> Option<u32> {
    let pos = [
        format!("\"{needle}\""),
        format!("'{needle}'"),
        format!("\n{needle} "),
    ]
    .iter()
    .filter_map(|n| text.find(n.as_str()))
    .min()?;
    u32::try_from(
        text[..pos].matches('\n').count() + 1 + usize::from(text[pos..].starts_with('\n')),
    )
    .ok()
}

/// Reads a pyproject. Returns false when the file is not valid TOML (a fatal diagnostic is pushed).
pub(crate) fn read_pyproject(
    text: &str,
    path: &str,
    target: &Target,
    project: &mut Project,
) -> bool {
    let doc: Table = match toml::from_str(text) {
        Ok(d) => d,
        Err(e) => {
            project.diagnostics.push(toml_error(path, text, &e));
            return false;
        }
    };
    let fmt = InputFormat::Pyproject;
    let add_pep508 = |s: &str, group: Option<&str>, project: &mut Project| {
        let source = Source::new(path, line_of(text, s), fmt);
        let line = source.line;
        match pep508::dependency(s, source, target) {
            Ok((mut d, warn)) => {
                d.group = group.map(str::to_owned);
                if let Some(w) = warn {
                    project.diagnostics.push(Diagnostic::at(path, line, w));
                }
                project.dependencies.push(d);
            }
            Err(e) => project.diagnostics.push(Diagnostic::at(path, line, e)),
        }
    };
    if let Some(p) = doc.get("project").and_then(Value::as_table) {
        for s in strings(p.get("dependencies")) {
            add_pep508(s, None, project);
        }
        if let Some(opt) = p.get("optional-dependencies").and_then(Value::as_table) {
            for (group, list) in opt {
                for s in strings(Some(list)) {
                    add_pep508(s, Some(group), project);
                }
            }
        }
    }
    if let Some(groups) = doc.get("dependency-groups").and_then(Value::as_table) {
        for (group, list) in groups {
            // `{include-group = "x"}` entries name another group, whose entries are read under their own name.
            for s in strings(Some(list)) {
                add_pep508(s, Some(group), project);
            }
        }
    }
    // uv's own dev list (before PEP 735 groups; still read by uv, which puts it in the `dev` group).
    if let Some(dev) = doc
        .get("tool")
        .and_then(|t| t.get("uv"))
        .and_then(|u| u.get("dev-dependencies"))
    {
        for s in strings(Some(dev)) {
            add_pep508(s, Some("dev"), project);
        }
    }
    if let Some(poetry) = doc
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(Value::as_table)
    {
        let mut tables: Vec<(Option<String>, &Table)> = Vec::new();
        if let Some(t) = poetry.get("dependencies").and_then(Value::as_table) {
            tables.push((None, t));
        }
        if let Some(t) = poetry.get("dev-dependencies").and_then(Value::as_table) {
            tables.push((Some("dev".to_owned()), t));
        }
        if let Some(groups) = poetry.get("group").and_then(Value::as_table) {
            for (g, v) in groups {
                if let Some(t) = v.get("dependencies").and_then(Value::as_table) {
                    tables.push((Some(g.clone()), t));
                }
            }
        }
        for (group, table) in tables {
            // TOML tables come back sorted by key: visit them in file order instead.
            let mut entries: Vec<(&String, &Value)> = table.iter().collect();
            entries.sort_by_key(|(name, _)| line_of(text, name).unwrap_or(u32::MAX));
            for (name, spec) in entries {
                if name.eq_ignore_ascii_case("python") {
                    continue;
                }
                let specs: Vec<&Value> = match spec {
                    Value::Array(a) => a.iter().collect(),
                    v => vec![v],
                };
                for spec in specs {
                    let source = Source::new(path, line_of(text, name), fmt);
                    match poetry_dependency(name, spec, source.clone(), target) {
                        Ok(mut d) => {
                            d.group = group.clone();
                            project.dependencies.push(d);
                        }
                        Err(e) => project
                            .diagnostics
                            .push(Diagnostic::at(path, source.line, e)),
                    }
                }
            }
        }
    }
    true
}

fn strings(v: Option<&Value>) -> impl Iterator<Item = &str> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

pub(crate) fn toml_error(path: &str, text: &str, e: &toml::de::Error) -> Diagnostic {
    let line = e.span().and_then(|s| {
        u32::try_from(text[..s.start.min(text.len())].matches('\n').count() + 1).ok()
    });
    let msg = e
        .message()
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .to_lowercase();
    Diagnostic::at(path, line, format!("invalid TOML: {msg}"))
}

fn poetry_dependency(
    name: &str,
    spec: &Value,
    source: Source,
    target: &Target,
) -> Result<Dependency, String> {
    let mut d = Dependency::new(name, DependencyKind::Unconstrained, source);
    let constraint = match spec {
        Value::String(s) => Some(s.as_str()),
        Value::Table(t) => {
            for key in ["git", "url", "path"] {
                if let Some(u) = t.get(key).and_then(Value::as_str) {
                    let url = if key == "git" && !u.starts_with("git+") {
                        format!("git+{u}")
                    } else {
                        u.to_owned()
                    };
                    d.kind = if key == "path" {
                        DependencyKind::Path
                    } else {
                        url_kind(&url)
                    };
                    if t.get("develop").and_then(Value::as_bool) == Some(true) {
                        d.kind = DependencyKind::Editable;
                    }
                    d.url = Some(url);
                }
            }
            if let Some(m) = t.get("markers").and_then(Value::as_str) {
                d.marker = Some(m.to_owned());
            }
            if let Some(py) = t.get("python").and_then(Value::as_str) {
                // `python = "^3.8"` restricts the dependency to those Pythons.
                if let Ok(spec) = poetry_to_pep440(py) {
                    let m = spec
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(|s| {
                            let (op, v) =
                                s.split_at(s.find(|c: char| c.is_ascii_digit()).unwrap_or(0));
                            format!("python_full_version {op} '{v}'")
                        })
                        .collect::<Vec<_>>()
                        .join(" and ");
                    if !m.is_empty() {
                        d.marker = Some(match d.marker.take() {
                            Some(old) => format!("({old}) and {m}"),
                            None => m,
                        });
                    }
                }
            }
            d.extras = t
                .get("extras")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(super::normalize_name)
                .collect();
            t.get("version").and_then(Value::as_str)
        }
        _ => return Err(format!("unsupported poetry constraint for `{name}`")),
    };
    if d.url.is_none()
        && let Some(c) = constraint
    {
        let pep = poetry_to_pep440(c)?;
        apply_specifier(&mut d, &pep)?;
        d.specifier = c.trim().to_owned();
    }
    if let Some(m) = &d.marker
        && let Some(applies) = target.evaluate(m, &[])
    {
        d.applies = applies;
    }
    Ok(d)
}

/// Translates a Poetry constraint (`^1.2`, `~1.2.3`, `1.2.*`, `>=1,<2`, `1.2.3`, `*`) into PEP 440.
pub(crate) fn poetry_to_pep440(c: &str) -> Result<String, String> {
    let mut out = Vec::new();
    for part in c.split(',') {
        let p = part.trim();
        if p.is_empty() || p == "*" {
            continue;
        }
        if p.contains("||") || p.contains('|') {
            return Err(format!(
                "poetry alternative constraints (`{p}`) are not supported"
            ));
        }
        // The release numbers of any PEP 440 version (`0.36b0`, `1.0.0rc1`, `1.0.post1`, `1!2.0`): Poetry bumps
        // the release and ignores the pre-, post- and dev-release parts when it computes the upper bound.
        let release = |v: &str| -> Result<(u64, Vec<u64>), String> {
            let parsed = pep440_rs::Version::from_str(v)
                .map_err(|_| format!("invalid version `{v}` in `{p}`"))?;
            Ok((parsed.epoch(), parsed.release().to_vec()))
        };
        let bump = |v: &str, at: usize| -> Result<String, String> {
            let (epoch, nums) = release(v)?;
            let at = at.min(nums.len().saturating_sub(1));
            let mut up: Vec<u64> = nums.iter().take(at + 1).copied().collect();
            if let Some(x) = up.get_mut(at) {
                *x += 1;
            }
            let text = up.iter().map(u64::to_string).collect::<Vec<_>>().join(".");
            Ok(if epoch == 0 {
                text
            } else {
                format!("{epoch}!{text}")
            })
        };
        if let Some(v) = p.strip_prefix('^') {
            let v = v.trim();
            let (_, nums) = release(v)?;
            // The first non-zero component is the one that may not change.
            let at = nums
                .iter()
                .position(|n| *n != 0)
                .unwrap_or(nums.len().saturating_sub(1));
            out.push(format!(">={v}"));
            out.push(format!("<{}", bump(v, at)?));
        } else if let Some(v) = p.strip_prefix("~=") {
            out.push(format!("~={}", v.trim()));
        } else if let Some(v) = p.strip_prefix('~') {
            let v = v.trim();
            let n = release(v)?.1.len();
            out.push(format!(">={v}"));
            out.push(format!("<{}", bump(v, if n == 1 { 0 } else { 1 })?));
        } else if p.starts_with(['=', '<', '>', '!']) {
            let p = if p.starts_with('=') && !p.starts_with("==") {
                format!("={p}")
            } else {
                p.to_owned()
            };
            out.push(p);
        } else {
            out.push(format!("=={p}"));
        }
    }
    Ok(out.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poetry_constraints() {
        assert_eq!(poetry_to_pep440("^1.2.3").unwrap(), ">=1.2.3,<2");
        assert_eq!(poetry_to_pep440("^0.2.3").unwrap(), ">=0.2.3,<0.3");
        assert_eq!(poetry_to_pep440("^0.0.3").unwrap(), ">=0.0.3,<0.0.4");
        // Pre-, post- and dev-releases, as real projects write them (text-generation-inference's
        // pyproject.toml:24 has `^0.36b0`).
        assert_eq!(poetry_to_pep440("^0.36b0").unwrap(), ">=0.36b0,<0.37");
        assert_eq!(poetry_to_pep440("~0.36b0").unwrap(), ">=0.36b0,<0.37");
        assert_eq!(poetry_to_pep440("^1.0.0rc1").unwrap(), ">=1.0.0rc1,<2");
        assert_eq!(poetry_to_pep440("^1.0.post1").unwrap(), ">=1.0.post1,<2");
        assert_eq!(poetry_to_pep440("~1.2.dev3").unwrap(), ">=1.2.dev3,<1.3");
        assert!(poetry_to_pep440("^not-a-version").is_err());
        assert_eq!(poetry_to_pep440("~1.2.3").unwrap(), ">=1.2.3,<1.3");
        assert_eq!(poetry_to_pep440("~1").unwrap(), ">=1,<2");
        assert_eq!(poetry_to_pep440("1.2.3").unwrap(), "==1.2.3");
        assert_eq!(poetry_to_pep440(">=1, <2").unwrap(), ">=1,<2");
        assert_eq!(poetry_to_pep440("*").unwrap(), "");
        assert_eq!(poetry_to_pep440("1.2.*").unwrap(), "==1.2.*");
    }

    #[test]
    fn uv_dev_dependencies() {
        let text = "[project]\nname = \"x\"\ndependencies = [\"numpy>=1\"]\n\n[tool.uv]\ndev-dependencies = [\n  \"pytest==7.0.0\",\n  \"jinja2 @ https://f.example/Jinja2-2.10-py2.py3-none-any.whl\",\n]\n";
        let mut p = Project::default();
        assert!(read_pyproject(
            text,
            "pyproject.toml",
            &Target::default(),
            &mut p
        ));
        let got: Vec<String> = p
            .dependencies
            .iter()
            .map(|d| {
                format!(
                    "{} {:?} {:?} {:?}",
                    d.name,
                    d.version.as_ref().map(ToString::to_string),
                    d.group,
                    d.source.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                "numpy None None Some(3)",
                "pytest Some(\"7.0.0\") Some(\"dev\") Some(7)",
                "jinja2 Some(\"2.10\") Some(\"dev\") Some(8)",
            ]
        );
    }

    #[test]
    fn line_numbers() {
        let t = "[project]\ndependencies = [\n  \"a>=1\",\n  \"b\",\n]\n";
        assert_eq!(line_of(t, "a>=1"), Some(3));
        assert_eq!(line_of(t, "b"), Some(4));
    }
}
