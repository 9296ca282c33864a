//! Lock files: `uv.lock`, `poetry.lock`, `Pipfile.lock` and `pylock.toml` (PEP 751). Every entry is an exact
//! version; markers (and, for `uv.lock`, reachability from the project along edges whose markers hold) decide
//! which entries the target environment installs.

use std::collections::{HashMap, VecDeque};
use std::str::FromStr;

use pep440_rs::Version;
use serde_json::Value as Json;
use toml::{Table, Value};

use super::pyproject::{line_of, toml_error};
use super::{
    Dependency, DependencyKind, Diagnostic, FileHash, InputFormat, Project, Source, Target,
};

fn parse_toml(text: &str, path: &str, project: &mut Project) -> Option<Table> {
    match toml::from_str::<Table>(text) {
        Ok(t) => Some(t),
        Err(e) => {
            project.diagnostics.push(toml_error(path, text, &e));
            None
        }
    }
}

fn tables(v: Option<&Value>) -> impl Iterator<Item = &Table> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_table)
}

fn str_of<'a>(t: &'a Table, key: &str) -> Option<&'a str> {
    t.get(key).and_then(Value::as_str)
}

/// Finds the line of each `[[package]]` (or `[[packages]]`) entry in turn: the entries are visited in file order,
/// so the next header after the previous one is the entry's, and its `name =` line is reported.
struct LineFinder<'a> {
    text: &'a str,
    cursor: usize,
    header: &'a str,
}

impl LineFinder<'_> {
    fn find(&mut self, name: &str) -> Option<u32> {
        let rest = &self.text[self.cursor..];
        let Some(h) = rest.find(self.header) else {
            return line_of(self.text, name);
        };
        let start = self.cursor + h;
        let block_end = self.text[start + self.header.len()..]
            .find(self.header)
            .map_or(self.text.len(), |e| start + self.header.len() + e);
        let block = &self.text[start..block_end];
        let pos = block.find("\nname").map_or(start, |n| start + n + 1);
        self.cursor = start + self.header.len();
        u32::try_from(self.text[..pos].matches('\n').count() + 1).ok()
    }
}

fn lock_dependency(
    name: &str,
    version: Option<&str>,
    source: Source,
    project: &mut Project,
) -> Option<Dependency> {
    let line = source.line;
    let path = source.path.clone();
    match version {
        Some(v) => match Version::from_str(v) {
            Ok(ver) => {
                let mut d = Dependency::pinned(name, ver, source);
                d.direct = false;
                Some(d)
            }
            Err(e) => {
                project.diagnostics.push(Diagnostic::at(
                    &path,
                    line,
                    format!("`{name}` has invalid version `{v}`: {e}"),
                ));
                None
            }
        },
        None => {
            let mut d = Dependency::new(name, DependencyKind::Unconstrained, source);
            d.direct = false;
            Some(d)
        }
    }
}

/// A lock-file edge: the dependency's name, its version when the lock names one, and the edge's marker.
type Edge = (String, Option<String>, Option<String>);

/// `uv.lock`.
pub(crate) fn read_uv_lock(text: &str, path: &str, target: &Target, project: &mut Project) -> bool {
    let Some(doc) = parse_toml(text, path, project) else {
        return false;
    };
    let mut finder = LineFinder {
        text,
        cursor: 0,
        header: "[[package]]",
    };
    let start = project.dependencies.len();
    // (index into project.dependencies, edges as (name, version, marker))
    let mut edges: Vec<Vec<Edge>> = Vec::new();
    let mut roots = Vec::new();
    for pkg in tables(doc.get("package")) {
        let Some(name) = str_of(pkg, "name") else {
            project
                .diagnostics
                .push(Diagnostic::at(path, None, "a `[[package]]` has no name"));
            continue;
        };
        let line = finder.find(name);
        let src = pkg.get("source").and_then(Value::as_table);
        let is_root = src.is_some_and(|s| s.contains_key("editable") || s.contains_key("virtual"));
        let Some(mut d) = lock_dependency(
            name,
            str_of(pkg, "version"),
            Source::new(path, line, InputFormat::UvLock),
            project,
        ) else {
            continue;
        };
        if let Some(s) = src {
            if let Some(g) = str_of(s, "git") {
                d.kind = DependencyKind::Vcs;
                d.url = Some(format!("git+{g}"));
            } else if let Some(u) = str_of(s, "url") {
                d.kind = DependencyKind::Url;
                d.url = Some(u.to_owned());
            } else if let Some(p) = str_of(s, "editable") {
                d.kind = DependencyKind::Editable;
                d.url = Some(p.to_owned());
            } else if let Some(p) = str_of(s, "path")
                .or_else(|| str_of(s, "directory"))
                .or_else(|| str_of(s, "virtual"))
            {
                d.kind = DependencyKind::Path;
                d.url = Some(p.to_owned());
            }
        }
        for f in std::iter::once(pkg.get("sdist").and_then(Value::as_table))
            .flatten()
            .chain(tables(pkg.get("wheels")))
        {
            if let Some(h) = str_of(f, "hash").and_then(FileHash::parse) {
                d.hashes.push(h);
            }
        }
        if let Some(rm) = pkg.get("resolution-markers").and_then(Value::as_array) {
            let ms: Vec<&str> = rm.iter().filter_map(Value::as_str).collect();
            if !ms.is_empty() {
                d.marker = Some(ms.join(" or "));
                d.applies = ms.iter().any(|m| target.evaluate(m, &[]).unwrap_or(true));
            }
        }
        let mut out = Vec::new();
        let mut collect = |list: Option<&Value>| {
            for e in tables(list) {
                if let Some(n) = str_of(e, "name") {
                    out.push((
                        super::normalize_name(n),
                        str_of(e, "version").map(str::to_owned),
                        str_of(e, "marker").map(str::to_owned),
                    ));
                }
            }
        };
        collect(pkg.get("dependencies"));
        for key in ["optional-dependencies", "dev-dependencies"] {
            if let Some(t) = pkg.get(key).and_then(Value::as_table) {
                for list in t.values() {
                    collect(Some(list));
                }
            }
        }
        if is_root {
            roots.push(project.dependencies.len() - start);
        }
        edges.push(out);
        project.dependencies.push(d);
    }
    let deps = &mut project.dependencies[start..];
    // Reachability from the project along edges whose markers hold for the target.
    if !roots.is_empty() {
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, d) in deps.iter().enumerate() {
            by_name.entry(d.name.as_str()).or_default().push(i);
        }
        let mut reached = vec![false; deps.len()];
        let mut direct = vec![false; deps.len()];
        let mut queue: VecDeque<usize> = roots.iter().copied().collect();
        for &r in &roots {
            reached[r] = true;
        }
        let mut resolved: Vec<Vec<usize>> = vec![Vec::new(); deps.len()];
        while let Some(i) = queue.pop_front() {
            for (name, version, marker) in &edges[i] {
                if let Some(m) = marker
                    && target.evaluate(m, &[]) == Some(false)
                {
                    continue;
                }
                for &j in by_name.get(name.as_str()).into_iter().flatten() {
                    let v_ok = version.as_ref().is_none_or(|v| {
                        deps[j].version.as_ref().map(ToString::to_string).as_deref()
                            == Some(v.as_str())
                            || Version::from_str(v).ok().as_ref() == deps[j].version.as_ref()
                    });
                    if !v_ok || (version.is_none() && !deps[j].applies) {
                        continue;
                    }
                    resolved[i].push(j);
                    if roots.contains(&i) {
                        direct[j] = true;
                    }
                    if !reached[j] {
                        reached[j] = true;
                        queue.push_back(j);
                    }
                }
            }
        }
        let names: Vec<String> = deps.iter().map(|d| d.name.clone()).collect();
        for (i, d) in deps.iter_mut().enumerate() {
            d.applies = reached[i];
            d.direct = direct[i] || roots.contains(&i);
            let mut on: Vec<String> = resolved[i].iter().map(|&j| names[j].clone()).collect();
            on.sort();
            on.dedup();
            d.depends_on = on;
        }
    } else {
        for (d, e) in deps.iter_mut().zip(&edges) {
            d.depends_on = e.iter().map(|(n, _, _)| n.clone()).collect();
        }
    }
    true
}

/// `poetry.lock`.
pub(crate) fn read_poetry_lock(
    text: &str,
    path: &str,
    target: &Target,
    project: &mut Project,
) -> bool {
    let Some(doc) = parse_toml(text, path, project) else {
        return false;
    };
    let mut finder = LineFinder {
        text,
        cursor: 0,
        header: "[[package]]",
    };
    for pkg in tables(doc.get("package")) {
        let Some(name) = str_of(pkg, "name") else {
            continue;
        };
        let line = finder.find(name);
        let Some(mut d) = lock_dependency(
            name,
            str_of(pkg, "version"),
            Source::new(path, line, InputFormat::PoetryLock),
            project,
        ) else {
            continue;
        };
        for f in tables(pkg.get("files")) {
            if let Some(h) = str_of(f, "hash").and_then(FileHash::parse) {
                d.hashes.push(h);
            }
        }
        if let Some(s) = pkg.get("source").and_then(Value::as_table) {
            let url = str_of(s, "url").map(str::to_owned);
            match str_of(s, "type") {
                Some("git") => {
                    d.kind = DependencyKind::Vcs;
                    d.url = url.map(|u| format!("git+{u}"));
                }
                Some("url") => {
                    d.kind = DependencyKind::Url;
                    d.url = url;
                }
                Some("directory" | "file") => {
                    d.kind = if pkg.get("develop").and_then(Value::as_bool) == Some(true) {
                        DependencyKind::Editable
                    } else {
                        DependencyKind::Path
                    };
                    d.url = url;
                }
                _ => {}
            }
        }
        let marker = match pkg.get("markers") {
            Some(Value::String(m)) => Some(m.clone()),
            Some(Value::Table(t)) => {
                let ms: Vec<String> = t
                    .values()
                    .filter_map(|v| v.as_str().map(|m| format!("({m})")))
                    .collect();
                (!ms.is_empty()).then(|| ms.join(" or "))
            }
            _ => None,
        };
        if let Some(m) = marker {
            d.applies = target.evaluate(&m, &[]).unwrap_or(true);
            d.marker = Some(m);
        }
        let groups: Vec<&str> = pkg
            .get("groups")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if !groups.is_empty() && !groups.contains(&"main") {
            d.group = Some(groups.join(","));
        } else if str_of(pkg, "category") == Some("dev") {
            d.group = Some("dev".to_owned());
        }
        if let Some(deps) = pkg.get("dependencies").and_then(Value::as_table) {
            for (n, spec) in deps {
                let marker = spec.as_table().and_then(|t| str_of(t, "markers"));
                if marker.is_some_and(|m| target.evaluate(m, &[]) == Some(false)) {
                    continue;
                }
                d.depends_on.push(super::normalize_name(n));
            }
        }
        project.dependencies.push(d);
    }
    true
}

/// `pdm.lock`: `[[package]]` tables with `name`, `version`, `groups`, `marker` (lock format 4.5 and later),
/// `dependencies` (PEP 508 strings) and `files` hashes.
pub(crate) fn read_pdm_lock(
    text: &str,
    path: &str,
    target: &Target,
    project: &mut Project,
) -> bool {
    let Some(doc) = parse_toml(text, path, project) else {
        return false;
    };
    let mut finder = LineFinder {
        text,
        cursor: 0,
        header: "[[package]]",
    };
    for pkg in tables(doc.get("package")) {
        let Some(name) = str_of(pkg, "name") else {
            continue;
        };
        let line = finder.find(name);
        let Some(mut d) = lock_dependency(
            name,
            str_of(pkg, "version"),
            Source::new(path, line, InputFormat::PdmLock),
            project,
        ) else {
            continue;
        };
        for f in tables(pkg.get("files")) {
            if let Some(h) = str_of(f, "hash").and_then(FileHash::parse) {
                d.hashes.push(h);
            }
        }
        if let Some(m) = str_of(pkg, "marker") {
            d.applies = target.evaluate(m, &[]).unwrap_or(true);
            d.marker = Some(m.to_owned());
        }
        let groups: Vec<&str> = pkg
            .get("groups")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if !groups.is_empty() && !groups.contains(&"default") {
            d.group = Some(groups.join(","));
        }
        for s in pkg
            .get("dependencies")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            let n: String = s
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            if !n.is_empty() {
                d.depends_on.push(super::normalize_name(&n));
            }
        }
        project.dependencies.push(d);
    }
    true
}

/// `Pipfile.lock` (JSON).
pub(crate) fn read_pipfile_lock(
    text: &str,
    path: &str,
    target: &Target,
    project: &mut Project,
) -> bool {
    let doc: Json = match serde_json::from_str(text) {
        Ok(d) => d,
        Err(e) => {
            project.diagnostics.push(Diagnostic::at(
                path,
                u32::try_from(e.line()).ok(),
                format!("invalid JSON: {e}"),
            ));
            return false;
        }
    };
    for (section, group) in [("default", None), ("develop", Some("develop"))] {
        let Some(pkgs) = doc.get(section).and_then(Json::as_object) else {
            continue;
        };
        for (name, entry) in pkgs {
            let line = line_of(text, name);
            let source = Source::new(path, line, InputFormat::PipfileLock);
            let version = entry.get("version").and_then(Json::as_str);
            let mut d = match version {
                Some(v) => {
                    let mut d = Dependency::new(name, DependencyKind::Unconstrained, source);
                    if let Err(e) = super::pep508::apply_specifier(&mut d, v) {
                        project.diagnostics.push(Diagnostic::at(path, line, e));
                        continue;
                    }
                    d
                }
                None => Dependency::new(name, DependencyKind::Unconstrained, source),
            };
            d.direct = true;
            d.group = group.map(str::to_owned);
            for h in entry
                .get("hashes")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(h) = h.as_str().and_then(FileHash::parse) {
                    d.hashes.push(h);
                }
            }
            if let Some(g) = entry.get("git").and_then(Json::as_str) {
                d.kind = DependencyKind::Vcs;
                d.url = Some(if g.starts_with("git+") {
                    g.to_owned()
                } else {
                    format!("git+{g}")
                });
            } else if let Some(p) = entry.get("path").and_then(Json::as_str) {
                d.kind = DependencyKind::Path;
                d.url = Some(p.to_owned());
            } else if let Some(f) = entry.get("file").and_then(Json::as_str) {
                d.kind = super::pep508::url_kind(f);
                d.url = Some(f.to_owned());
            }
            if entry.get("editable").and_then(Json::as_bool) == Some(true) {
                d.kind = DependencyKind::Editable;
            }
            if let Some(m) = entry.get("markers").and_then(Json::as_str) {
                d.applies = target.evaluate(m, &[]).unwrap_or(true);
                d.marker = Some(m.to_owned());
            }
            project.dependencies.push(d);
        }
    }
    true
}

/// Rewrites PEP 751's `'x' in extras` and `'g' in dependency_groups` (which PEP 508 parsers do not know) into
/// constant markers, given the extras and groups selected.
pub(crate) fn substitute_pylock_sets(marker: &str, extras: &[String], groups: &[String]) -> String {
    const TRUE: &str = "python_version >= '0'";
    const FALSE: &str = "python_version < '0'";
    let mut out = String::with_capacity(marker.len());
    let mut rest = marker;
    // Find the next quoted string followed by `in extras` / `not in dependency_groups`.
    while let Some(q) = rest.find(['\'', '"']) {
        let quote = rest.as_bytes()[q] as char;
        let Some(end) = rest[q + 1..].find(quote).map(|e| q + 1 + e) else {
            break;
        };
        let value = &rest[q + 1..end];
        let after = rest[end + 1..].trim_start();
        let (negate, after2) = match after.strip_prefix("not") {
            Some(a) if a.starts_with(char::is_whitespace) => (true, a.trim_start()),
            _ => (false, after),
        };
        let set = after2
            .strip_prefix("in")
            .filter(|a| a.starts_with(char::is_whitespace))
            .map(str::trim_start);
        let (selected, consumed) = match set {
            Some(s) if s.starts_with("extras") => (
                extras
                    .iter()
                    .any(|e| super::normalize_name(e) == super::normalize_name(value)),
                s.len() - "extras".len(),
            ),
            Some(s) if s.starts_with("dependency_groups") => (
                groups
                    .iter()
                    .any(|g| super::normalize_name(g) == super::normalize_name(value)),
                s.len() - "dependency_groups".len(),
            ),
            _ => {
                out.push_str(&rest[..=end]);
                rest = &rest[end + 1..];
                continue;
            }
        };
        out.push_str(&rest[..q]);
        out.push_str(if selected != negate { TRUE } else { FALSE });
        rest = &rest[rest.len() - consumed..];
    }
    out.push_str(rest);
    out
}

/// `pylock.toml` (PEP 751): per-package `marker`s are honoured for the target; `'x' in extras` is false for every
/// extra (none is selected), `'g' in dependency_groups` is true for the file's `default-groups`.
pub(crate) fn read_pylock(text: &str, path: &str, target: &Target, project: &mut Project) -> bool {
    let Some(doc) = parse_toml(text, path, project) else {
        return false;
    };
    let lock_version = str_of(&doc, "lock-version");
    if lock_version.is_none() {
        project.diagnostics.push(Diagnostic::at(
            path,
            None,
            "not a PEP 751 lock file: `lock-version` is missing",
        ));
        return false;
    }
    if let Some(v) = lock_version
        && !v.starts_with("1.")
    {
        project.diagnostics.push(Diagnostic::warning(
            path,
            line_of(text, v),
            format!("lock-version `{v}` is newer than the 1.x this reader knows"),
        ));
    }
    let groups: Vec<String> = doc
        .get("default-groups")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let extras: Vec<String> = Vec::new();
    if let Some(envs) = doc.get("environments").and_then(Value::as_array) {
        let envs: Vec<&str> = envs.iter().filter_map(Value::as_str).collect();
        if !envs.is_empty() && !envs.iter().any(|m| target.evaluate(m, &[]).unwrap_or(true)) {
            project.diagnostics.push(Diagnostic::warning(
                path,
                line_of(text, "environments").or(Some(1)),
                format!("the lock file does not cover the target environment ({target})"),
            ));
        }
    }
    let mut finder = LineFinder {
        text,
        cursor: 0,
        header: "[[packages]]",
    };
    for pkg in tables(doc.get("packages")) {
        let Some(name) = str_of(pkg, "name") else {
            project.diagnostics.push(Diagnostic::at(
                path,
                None,
                "a `[[packages]]` entry has no name",
            ));
            continue;
        };
        let line = finder.find(name);
        let Some(mut d) = lock_dependency(
            name,
            str_of(pkg, "version"),
            Source::new(path, line, InputFormat::Pylock),
            project,
        ) else {
            continue;
        };
        let files = std::iter::once(pkg.get("sdist").and_then(Value::as_table))
            .chain(std::iter::once(
                pkg.get("archive").and_then(Value::as_table),
            ))
            .flatten()
            .chain(tables(pkg.get("wheels")));
        for f in files {
            if let Some(h) = f.get("hashes").and_then(Value::as_table) {
                for (alg, v) in h {
                    if let Some(h) = v
                        .as_str()
                        .and_then(|v| FileHash::parse(&format!("{alg}:{v}")))
                    {
                        d.hashes.push(h);
                    }
                }
            }
        }
        if let Some(vcs) = pkg.get("vcs").and_then(Value::as_table) {
            d.kind = DependencyKind::Vcs;
            d.url =
                str_of(vcs, "url").map(|u| format!("{}+{u}", str_of(vcs, "type").unwrap_or("git")));
        } else if let Some(dir) = pkg.get("directory").and_then(Value::as_table) {
            d.kind = if dir.get("editable").and_then(Value::as_bool) == Some(true) {
                DependencyKind::Editable
            } else {
                DependencyKind::Path
            };
            d.url = str_of(dir, "path").map(str::to_owned);
        } else if let Some(a) = pkg.get("archive").and_then(Value::as_table) {
            d.kind = DependencyKind::Url;
            d.url = str_of(a, "url")
                .or_else(|| str_of(a, "path"))
                .map(str::to_owned);
        }
        if let Some(m) = str_of(pkg, "marker") {
            let m2 = substitute_pylock_sets(m, &extras, &groups);
            match target.evaluate(&m2, &[]) {
                Some(a) => d.applies = a,
                None => project.diagnostics.push(Diagnostic::at(
                    path,
                    line,
                    format!("cannot parse marker `{m}`: assuming it applies"),
                )),
            }
            d.marker = Some(m.to_owned());
        }
        d.depends_on = tables(pkg.get("dependencies"))
            .filter_map(|t| str_of(t, "name").map(super::normalize_name))
            .collect();
        project.dependencies.push(d);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pylock_set_markers() {
        let g = vec!["dev".to_owned()];
        assert_eq!(
            substitute_pylock_sets(
                "'dev' in dependency_groups and sys_platform == 'linux'",
                &[],
                &g
            ),
            "python_version >= '0' and sys_platform == 'linux'"
        );
        assert_eq!(
            substitute_pylock_sets("\"gpu\" in extras", &[], &g),
            "python_version < '0'"
        );
        assert_eq!(
            substitute_pylock_sets("'docs' not in dependency_groups", &[], &g),
            "python_version >= '0'"
        );
        assert_eq!(
            substitute_pylock_sets("os_name == 'nt'", &[], &g),
            "os_name == 'nt'"
        );
    }
}
