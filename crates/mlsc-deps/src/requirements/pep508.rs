//! A PEP 508 requirement splitter: name, extras, specifier or URL, marker. The pieces are parsed with
//! `pep440_rs` (versions and specifiers) and `pep508_rs` (markers); the split itself is ours so that
//! requirements pip accepts but `pep508_rs` rejects (`===` with a non-PEP 440 string) still give a dependency.

use std::str::FromStr;

use pep440_rs::{Operator, Version, VersionSpecifiers};

use super::name::is_valid_name;
use super::{Dependency, DependencyKind, Source, Target};

/// A requirement split into its parts, not yet interpreted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    pub(crate) name: &'a str,
    pub(crate) extras: Vec<&'a str>,
    pub(crate) specifier: &'a str,
    pub(crate) url: Option<&'a str>,
    pub(crate) marker: Option<&'a str>,
}

/// Splits `name [extras] (specifier | @ url) ; marker`.
pub(crate) fn split(input: &str) -> Result<Split<'_>, String> {
    let s = input.trim();
    let name_end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(s.len());
    let name = &s[..name_end];
    if !is_valid_name(name) {
        return Err(format!(
            "`{}` does not start with a valid package name",
            truncate(s)
        ));
    }
    let mut rest = s[name_end..].trim_start();
    let mut extras = Vec::new();
    if let Some(r) = rest.strip_prefix('[') {
        let close = r.find(']').ok_or("unclosed `[` in extras")?;
        for e in r[..close].split(',') {
            let e = e.trim();
            if e.is_empty() {
                continue;
            }
            if !is_valid_name(e) {
                return Err(format!("invalid extra `{e}`"));
            }
            extras.push(e);
        }
        rest = r[close + 1..].trim_start();
    }
    if let Some(r) = rest.strip_prefix('@') {
        let r = r.trim_start();
        // PEP 508: the URL runs to whitespace; a marker after it needs whitespace before `;`.
        let url_end = r.find(char::is_whitespace).unwrap_or(r.len());
        let url = &r[..url_end];
        if url.is_empty() {
            return Err("`@` is not followed by a URL".to_owned());
        }
        let after = r[url_end..].trim();
        let marker = if after.is_empty() {
            None
        } else if let Some(m) = after.strip_prefix(';') {
            Some(m.trim())
        } else {
            return Err(format!("unexpected `{}` after the URL", truncate(after)));
        };
        return Ok(Split {
            name,
            extras,
            specifier: "",
            url: Some(url),
            marker: marker.filter(|m| !m.is_empty()),
        });
    }
    let (spec, marker) = match rest.find(';') {
        Some(i) => (rest[..i].trim(), Some(rest[i + 1..].trim())),
        None => (rest.trim(), None),
    };
    let spec = spec
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .map_or(spec, str::trim);
    if !spec.is_empty() && !spec.starts_with(['=', '<', '>', '!', '~']) {
        return Err(format!(
            "unexpected `{}` after the package name",
            truncate(spec)
        ));
    }
    Ok(Split {
        name,
        extras,
        specifier: spec,
        url: None,
        marker: marker.filter(|m| !m.is_empty()),
    })
}

pub(crate) fn truncate(s: &str) -> String {
    if s.chars().count() > 60 {
        let mut t: String = s.chars().take(57).collect();
        t.push_str("...");
        t
    } else {
        s.to_owned()
    }
}

/// The kind of a direct reference from its URL or path.
pub(crate) fn url_kind(url: &str) -> DependencyKind {
    let lower = url.to_ascii_lowercase();
    if ["git+", "hg+", "svn+", "bzr+"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        DependencyKind::Vcs
    } else if lower.starts_with("file:")
        || lower.starts_with('.')
        || lower.starts_with('/')
        || lower.starts_with('~')
        || (lower.len() > 2
            && lower.as_bytes()[1] == b':'
            && lower.as_bytes()[0].is_ascii_alphabetic())
        || !lower.contains("://")
    {
        DependencyKind::Path
    } else {
        DependencyKind::Url
    }
}

/// Builds a dependency from a PEP 508 requirement string, evaluating its marker for `target`.
///
/// Returns the dependency and, when something about it could not be understood, a message (the dependency is
/// still returned, conservatively marked as applying).
pub(crate) fn dependency(
    input: &str,
    source: Source,
    target: &Target,
) -> Result<(Dependency, Option<String>), String> {
    let sp = split(input)?;
    let mut warning = None;
    let mut dep = Dependency::new(sp.name, DependencyKind::Unconstrained, source);
    dep.extras = sp.extras.iter().map(|e| super::normalize_name(e)).collect();
    if let Some(url) = sp.url {
        dep.kind = url_kind(url);
        dep.url = Some(url.to_owned());
        // A wheel or sdist names its version in its file name (the wheel and sdist file name specifications):
        // `tornado @ https://…/tornado-6.0.3-cp37-cp37m-linux_x86_64.whl` is tornado 6.0.3, audited as such. Only
        // when the file's name is the requirement's, so a renamed file is not taken at its word.
        if matches!(dep.kind, DependencyKind::Url | DependencyKind::Path)
            && let (Some(file_name), Some(v)) = super::txt::archive_name_version(url)
            && super::normalize_name(&file_name) == dep.name
        {
            dep.version = Some(v);
        }
    } else if !sp.specifier.is_empty() {
        apply_specifier(&mut dep, sp.specifier)?;
    }
    if let Some(m) = sp.marker {
        dep.marker = Some(m.to_owned());
        match target.evaluate(m, &[]) {
            Some(applies) => dep.applies = applies,
            None => {
                warning = Some(format!(
                    "cannot parse marker `{}`: assuming it applies",
                    truncate(m)
                ));
            }
        }
    }
    Ok((dep, warning))
}

/// Sets the specifier of `dep` from `spec` (`==1.2`, `>=1,<2`, `===foo`), and with it the kind and pinned version.
pub(crate) fn apply_specifier(dep: &mut Dependency, spec: &str) -> Result<(), String> {
    let spec = spec.trim();
    dep.specifier = spec.to_owned();
    if spec.is_empty() {
        dep.kind = DependencyKind::Unconstrained;
        return Ok(());
    }
    match VersionSpecifiers::from_str(spec) {
        Ok(specs) => {
            let pin = specs
                .iter()
                .find(|s| matches!(s.operator(), Operator::Equal | Operator::ExactEqual));
            dep.kind = match pin {
                Some(p) => {
                    dep.version = Some(p.version().clone());
                    DependencyKind::Pinned
                }
                None => DependencyKind::Range,
            };
            dep.specifiers = Some(specs);
            Ok(())
        }
        Err(e) => {
            // `===` compares strings, so pip accepts any text after it; PEP 440 parsing does not.
            if let Some(arb) = spec.strip_prefix("===") {
                let arb = arb.trim();
                if !arb.is_empty() && !arb.contains([',', ' ', ';']) {
                    dep.kind = DependencyKind::Pinned;
                    match Version::from_str(arb) {
                        Ok(v) => dep.version = Some(v),
                        Err(_) => dep.arbitrary_version = Some(arb.to_owned()),
                    }
                    return Ok(());
                }
            }
            Err(format!(
                "invalid version specifier `{}`: {e}",
                truncate(spec)
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requirements::InputFormat;

    fn dep(s: &str) -> Dependency {
        dependency(
            s,
            Source::new("r.txt", Some(1), InputFormat::Requirements),
            &Target::default(),
        )
        .unwrap()
        .0
    }

    #[test]
    fn splits_the_parts() {
        let s = split("Foo.Bar [x, y] >=1.0, <2 ; python_version < '3.8'").unwrap();
        assert_eq!(s.name, "Foo.Bar");
        assert_eq!(s.extras, ["x", "y"]);
        assert_eq!(s.specifier, ">=1.0, <2");
        assert_eq!(s.marker, Some("python_version < '3.8'"));
        // PEP 508 direct references to a wheel or sdist take their version from the file name.
        let d =
            dep("tornado @ https://files.example/tornado-6.0.3-cp37-cp37m-manylinux1_x86_64.whl");
        assert_eq!(
            d.version.as_ref().map(ToString::to_string).as_deref(),
            Some("6.0.3")
        );
        let d = dep("Foo.Bar @ https://files.example/foo_bar-1.2.post1-py3-none-any.whl#sha256=00");
        assert_eq!(
            d.version.as_ref().map(ToString::to_string).as_deref(),
            Some("1.2.post1")
        );
        let d = dep("scikit-learn @ https://files.example/scikit-learn-0.20.0.tar.gz");
        assert_eq!(
            d.version.as_ref().map(ToString::to_string).as_deref(),
            Some("0.20.0")
        );
        let d = dep("tornado @ https://files.example/other-6.0.3-py3-none-any.whl");
        assert!(d.version.is_none(), "a file of another name says nothing");
        let d = dep("tornado @ git+https://github.com/tornadoweb/tornado@v6.0.3");
        assert!(d.version.is_none());
        let u = split("pkg @ https://x.org/pkg-1.0.whl ; os_name == 'nt'").unwrap();
        assert_eq!(u.url, Some("https://x.org/pkg-1.0.whl"));
        assert_eq!(u.marker, Some("os_name == 'nt'"));
        assert!(split("-foo").is_err());
        assert!(split("foo bar").is_err());
        assert_eq!(split("foo (>=1.0)").unwrap().specifier, ">=1.0");
    }

    #[test]
    fn kinds_and_pins() {
        let d = dep("transformers===4.30.0");
        assert_eq!(d.kind, DependencyKind::Pinned);
        assert_eq!(d.version.unwrap().to_string(), "4.30.0");
        let d = dep("mlflow==2.9.*");
        assert_eq!(d.kind, DependencyKind::Range);
        assert!(d.version.is_none());
        let d = dep("weird===not-pep-440!");
        assert_eq!(d.arbitrary_version.as_deref(), Some("not-pep-440!"));
        assert_eq!(dep("requests").kind, DependencyKind::Unconstrained);
        assert_eq!(dep("x @ git+https://g/x.git").kind, DependencyKind::Vcs);
        assert_eq!(dep("x @ file:///tmp/x").kind, DependencyKind::Path);
        assert!(!dep("pywin32==306 ; sys_platform == 'win32'").applies);
        assert!(dep("uvloop==0.19 ; sys_platform == 'linux'").applies);
    }
}
