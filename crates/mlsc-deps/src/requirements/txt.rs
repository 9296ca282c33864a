//! pip's requirements-file format, read with our own lexer (uv's `requirements-txt` crate pulls in about 430
//! crates and took 17 minutes to build here).
//!
//! What pip does, in order: join lines ending in `\` (a comment line is never joined), strip comments (`#` at
//! the start of a line or after whitespace, so URL fragments survive), expand `${VAR}` from the environment
//! (upper-case names only, unset variables left as they are), then split each line into the requirement (the
//! tokens before the first one starting with `-`) and its options.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use pep440_rs::Version;

use super::pep508::{self, truncate, url_kind};
use super::project::{ReadOptions, read_bounded};
use super::{
    Dependency, DependencyKind, Diagnostic, FileHash, Input, InputFormat, Project, Source, Target,
};

/// Deepest chain of `-r`/`-c` includes followed.
const MAX_INCLUDE_DEPTH: usize = 32;

/// One logical line: its first physical line number and its text, comments removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LogicalLine {
    pub(crate) line: u32,
    pub(crate) text: String,
}

/// Splits `content` into logical lines as pip does (continuations joined, comments stripped, `${VAR}` expanded).
pub(crate) fn logical_lines(
    content: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Vec<LogicalLine> {
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let mut out = Vec::new();
    let mut pending: Option<(u32, String)> = None;
    for (i, raw) in content.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let is_comment = raw.trim_start().starts_with('#');
        if raw.ends_with('\\') && !is_comment {
            let part = raw.trim_end_matches('\\');
            match &mut pending {
                Some((_, s)) => s.push_str(part),
                None => pending = Some((n, part.to_owned())),
            }
            continue;
        }
        let (line, text) = match pending.take() {
            Some((first, mut s)) => {
                if is_comment {
                    // pip prefixes a space so the comment is stripped even when glued to the previous part.
                    s.push(' ');
                }
                s.push_str(raw);
                (first, s)
            }
            None => (n, raw.to_owned()),
        };
        push_logical(&mut out, line, &text, env);
    }
    if let Some((first, s)) = pending {
        push_logical(&mut out, first, &s, env);
    }
    out
}

fn push_logical(
    out: &mut Vec<LogicalLine>,
    line: u32,
    text: &str,
    env: &dyn Fn(&str) -> Option<String>,
) {
    let stripped = strip_comment(text).trim();
    if stripped.is_empty() {
        return;
    }
    out.push(LogicalLine {
        line,
        text: expand_env(stripped, env),
    });
}

/// Removes `#…` when it starts the line or follows whitespace (pip's `(^|\s+)#.*$`).
fn strip_comment(s: &str) -> &str {
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'#' && (i == 0 || b[i - 1].is_ascii_whitespace()) {
            return &s[..i];
        }
    }
    s
}

/// Replaces `${NAME}` (NAME in `[A-Z0-9_]+`) with the variable's value when it is set and not empty.
fn expand_env(s: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find('}') {
            Some(j)
                if j > 0
                    && after[..j]
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_') =>
            {
                match env(&after[..j]).filter(|v| !v.is_empty()) {
                    Some(v) => out.push_str(&v),
                    None => out.push_str(&rest[i..i + 3 + j]),
                }
                rest = &after[j + 1..];
            }
            _ => {
                out.push_str("${");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Splits a logical line into whitespace-separated tokens, honouring simple quotes.
fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut has = false;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '"' || c == '\'' => {
                // Quotes only group inside option values (`--hash "sha256:…"`); inside a marker they are text.
                if cur.is_empty() {
                    quote = Some(c);
                    has = true;
                } else {
                    cur.push(c);
                }
            }
            None if c.is_whitespace() => {
                if has || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    has = false;
                }
            }
            None => {
                cur.push(c);
                has = true;
            }
        }
    }
    if has || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Reads requirements files, following `-r`/`-c` with cycle detection.
pub(crate) struct TxtReader<'a> {
    pub(crate) target: &'a Target,
    pub(crate) options: &'a ReadOptions,
    stack: Vec<PathBuf>,
    seen: HashSet<PathBuf>,
    /// Text given in memory: includes are reported, not read, and no local project is looked at.
    pub(crate) no_files: bool,
}

impl<'a> TxtReader<'a> {
    pub(crate) fn new(target: &'a Target, options: &'a ReadOptions) -> Self {
        TxtReader {
            target,
            options,
            stack: Vec::new(),
            seen: HashSet::new(),
            no_files: false,
        }
    }

    /// Reads `path` (shown as `display`) into `project`.
    pub(crate) fn read(
        &mut self,
        path: &Path,
        display: &str,
        format: InputFormat,
        project: &mut Project,
        included_from: Option<(&str, u32)>,
    ) {
        let key = fs_err::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if self.stack.contains(&key) {
            let (p, l) = included_from.unwrap_or((display, 0));
            let chain: Vec<String> = self
                .stack
                .iter()
                .chain(std::iter::once(&key))
                .map(|p| p.display().to_string())
                .collect();
            project.diagnostics.push(Diagnostic::at(
                p,
                Some(l).filter(|&l| l > 0),
                format!("include cycle: {}", chain.join(" -> ")),
            ));
            return;
        }
        if self.stack.len() >= MAX_INCLUDE_DEPTH {
            let (p, l) = included_from.unwrap_or((display, 0));
            project.diagnostics.push(Diagnostic::at(
                p,
                Some(l).filter(|&l| l > 0),
                format!("includes nested deeper than {MAX_INCLUDE_DEPTH}: `{display}` not read"),
            ));
            return;
        }
        if !self.seen.insert(key.clone()) {
            // Included twice without a cycle (a diamond): its requirements are already there.
            return;
        }
        if self.no_files {
            if let Some((p, l)) = included_from {
                project.diagnostics.push(Diagnostic::at(
                    p,
                    Some(l),
                    format!("`{display}` is not read: the input was given as text"),
                ));
            }
            return;
        }
        let content = match read_bounded(path, self.options.max_file_bytes) {
            Ok(c) => c,
            Err(message) => {
                let (p, l) = included_from.unwrap_or((display, 0));
                let msg = if included_from.is_some() {
                    format!("cannot read included file `{display}`: {message}")
                } else {
                    format!("cannot read `{display}`: {message}")
                };
                project
                    .diagnostics
                    .push(Diagnostic::at(p, Some(l).filter(|&l| l > 0), msg));
                return;
            }
        };
        self.read_content(&content, key, path, display, format, project);
    }

    /// Reads the requirements in `content` (the file `path`, shown as `display`, canonical `key`).
    pub(crate) fn read_content(
        &mut self,
        content: &[u8],
        key: PathBuf,
        path: &Path,
        display: &str,
        format: InputFormat,
        project: &mut Project,
    ) {
        let input_index = project.inputs.len();
        project.inputs.push(Input {
            path: display.to_owned(),
            format,
            size: content.len() as u64,
            dependencies: 0,
            uses_hashes: false,
            superseded_by: None,
        });
        self.stack.push(key);
        let text = String::from_utf8_lossy(content);
        let env = |name: &str| self.options.env_var(name);
        let lines = logical_lines(&text, &env);
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let display_base = Path::new(display)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut count = 0;
        let mut uses_hashes = false;
        for ll in lines {
            let before = project.dependencies.len() + project.constraints.len();
            self.line(&ll, display, &base, &display_base, format, project);
            let after = project.dependencies.len() + project.constraints.len();
            count += after - before;
            if after > before {
                let last = if format == InputFormat::Constraints {
                    project.constraints.last()
                } else {
                    project.dependencies.last()
                };
                uses_hashes |=
                    last.is_some_and(|d| !d.hashes.is_empty() && d.source.path == display);
            }
        }
        self.stack.pop();
        let input = &mut project.inputs[input_index];
        input.dependencies = count;
        input.uses_hashes = uses_hashes;
    }

    fn line(
        &mut self,
        ll: &LogicalLine,
        display: &str,
        base: &Path,
        display_base: &Path,
        format: InputFormat,
        project: &mut Project,
    ) {
        let source = Source::new(display, Some(ll.line), format);
        let toks = tokens(&ll.text);
        let Some(first) = toks.first() else { return };
        if first.starts_with('-') {
            self.option_line(&toks, ll, display, base, display_base, format, project);
            return;
        }
        // The requirement is every token before the first option, as pip's `break_args_options` does.
        let split_at = options_start(&ll.text);
        let req = ll.text[..split_at].trim().to_owned();
        let (hashes, errors) = parse_req_options(&tokens(&ll.text[split_at..]));
        for e in errors {
            project
                .diagnostics
                .push(Diagnostic::at(display, Some(ll.line), e));
        }
        let result = if looks_like_url_or_path(&req) {
            bare_reference(&req, source, base, false, self.no_files)
        } else {
            pep508::dependency(&req, source, self.target).map(|(d, w)| {
                if let Some(w) = w {
                    project
                        .diagnostics
                        .push(Diagnostic::at(display, Some(ll.line), w));
                }
                d
            })
        };
        match result {
            Ok(mut dep) => {
                dep.hashes = hashes;
                if format == InputFormat::Constraints {
                    project.constraints.push(dep);
                } else {
                    project.dependencies.push(dep);
                }
            }
            Err(e) => project
                .diagnostics
                .push(Diagnostic::at(display, Some(ll.line), e)),
        }
    }

    #[allow(clippy::too_many_arguments)] // one call site; a struct would only rename the same values
    fn option_line(
        &mut self,
        toks: &[String],
        ll: &LogicalLine,
        display: &str,
        base: &Path,
        display_base: &Path,
        format: InputFormat,
        project: &mut Project,
    ) {
        let source = Source::new(display, Some(ll.line), format);
        let (opt, value, consumed) = split_option(toks);
        let value = value.map(|v| v.trim().to_owned());
        let need = |project: &mut Project| {
            project.diagnostics.push(Diagnostic::at(
                display,
                Some(ll.line),
                format!("option `{opt}` needs a value"),
            ));
        };
        match opt.as_str() {
            "-r" | "--requirement" | "-c" | "--constraint" => {
                let Some(v) = value else { return need(project) };
                let nested = if opt == "-c" || opt == "--constraint" {
                    InputFormat::Constraints
                } else {
                    format
                };
                if v.contains("://") && !v.to_ascii_lowercase().starts_with("file:") {
                    project.diagnostics.push(Diagnostic::at(
                        display,
                        Some(ll.line),
                        format!("remote file `{v}` was not fetched: mlsc reads only local files"),
                    ));
                    return;
                }
                let rel = v.strip_prefix("file://").unwrap_or(&v);
                let path = base.join(rel);
                let shown = normalize_display(&display_base.join(rel));
                self.read(&path, &shown, nested, project, Some((display, ll.line)));
            }
            "-e" | "--editable" => {
                let Some(v) = value else { return need(project) };
                match bare_reference(&v, source, base, true, self.no_files) {
                    Ok(mut dep) => {
                        dep.kind = DependencyKind::Editable;
                        project.dependencies.push(dep);
                    }
                    Err(e) => project
                        .diagnostics
                        .push(Diagnostic::at(display, Some(ll.line), e)),
                }
            }
            "-i" | "--index-url" => match value {
                Some(v) => project.index.index_urls.push((v, source)),
                None => need(project),
            },
            "--extra-index-url" => match value {
                Some(v) => project.index.extra_index_urls.push((v, source)),
                None => need(project),
            },
            "-f" | "--find-links" => match value {
                Some(v) => project.index.find_links.push((v, source)),
                None => need(project),
            },
            "--trusted-host" => match value {
                Some(v) => project.index.trusted_hosts.push((v, source)),
                None => need(project),
            },
            "--no-index" => project.index.no_index = true,
            "--require-hashes" => project.index.require_hashes = true,
            "--pre"
            | "--prefer-binary"
            | "--only-binary"
            | "--no-binary"
            | "--use-feature"
            | "-Z"
            | "--always-unzip"
            | "--process-dependency-links"
            | "--allow-all-external"
            | "--allow-external"
            | "--allow-unverified" => {}
            "--hash" => project.diagnostics.push(Diagnostic::at(
                display,
                Some(ll.line),
                "`--hash` must follow a requirement on the same line",
            )),
            _ => project.diagnostics.push(Diagnostic::warning(
                display,
                Some(ll.line),
                format!("unknown option `{}` ignored", truncate(&opt)),
            )),
        }
        if consumed < toks.len() && !matches!(opt.as_str(), "-e" | "--editable") {
            let extra = toks[consumed..].join(" ");
            project.diagnostics.push(Diagnostic::warning(
                display,
                Some(ll.line),
                format!("unexpected `{}` after `{opt}`", truncate(&extra)),
            ));
        }
    }
}

/// `(option, value, tokens consumed)` for an option line: `-r x`, `-rx`, `--requirement=x`, `--requirement x`.
fn split_option(toks: &[String]) -> (String, Option<String>, usize) {
    let first = &toks[0];
    const TAKES_VALUE: &[&str] = &[
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "-e",
        "--editable",
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "--trusted-host",
        "--hash",
        "--only-binary",
        "--no-binary",
        "--use-feature",
    ];
    if let Some((o, v)) = first.split_once('=').filter(|_| first.starts_with("--")) {
        return (o.to_owned(), Some(v.to_owned()), 1);
    }
    if TAKES_VALUE.contains(&first.as_str()) {
        return (first.clone(), toks.get(1).cloned(), 2.min(toks.len()));
    }
    // Short options with the value attached: `-rbase.txt`, `-e.`.
    // `is_char_boundary`: the token may start with `-` and a multi-byte character (found by fuzzing).
    if first.len() > 2 && !first.starts_with("--") && first.is_char_boundary(2) {
        let (o, v) = first.split_at(2);
        if TAKES_VALUE.contains(&o) {
            return (o.to_owned(), Some(v.to_owned()), 1);
        }
    }
    (first.clone(), None, 1)
}

/// The byte offset where the options of a requirement line start: the first whitespace-separated token that
/// begins with `-` (pip's `break_args_options`), or the end of the line.
fn options_start(text: &str) -> usize {
    let b = text.as_bytes();
    for i in 0..b.len() {
        if b[i] == b'-' && (i == 0 || b[i - 1].is_ascii_whitespace()) {
            return i;
        }
    }
    b.len()
}

/// Per-requirement options: `--hash` values (other per-requirement options are accepted and ignored).
fn parse_req_options(toks: &[String]) -> (Vec<FileHash>, Vec<String>) {
    let mut hashes = Vec::new();
    let mut errors = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let (opt, value) = match t.split_once('=') {
            Some((o, v)) if o.starts_with("--") => (o, Some(v.to_owned())),
            _ => {
                let v = toks.get(i + 1).filter(|v| !v.starts_with('-')).cloned();
                if v.is_some() {
                    i += 1;
                }
                (t.as_str(), v)
            }
        };
        match opt {
            "--hash" => match value.as_deref().and_then(FileHash::parse) {
                Some(h) => hashes.push(h),
                None => errors.push(format!(
                    "invalid `--hash` value `{}` (expected ALGORITHM:HEXDIGEST)",
                    truncate(value.as_deref().unwrap_or(""))
                )),
            },
            "--config-settings" | "--global-option" | "--install-option" | "-C" => {}
            other => errors.push(format!("unknown requirement option `{}`", truncate(other))),
        }
        i += 1;
    }
    (hashes, errors)
}

/// True when a requirement line is a bare URL or path rather than a PEP 508 requirement.
fn looks_like_url_or_path(req: &str) -> bool {
    let first = req.split(char::is_whitespace).next().unwrap_or("");
    let lower = first.to_ascii_lowercase();
    if lower.contains("://") || lower.starts_with("file:") {
        // `name @ https://…` has the URL in a later token, so the first token never contains `://`.
        return true;
    }
    if first.starts_with(['.', '/', '~']) || first.contains('\\') {
        return true;
    }
    let has_archive_ext = [".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar"]
        .iter()
        .any(|e| lower.ends_with(e));
    has_archive_ext && !first.contains(['=', '<', '>', '!', '~', ';', '@'])
}

/// A dependency for a bare URL or path (`https://…/x-1.0-py3-none-any.whl`, `./pkg`, `git+https://…#egg=x`).
fn bare_reference(
    req: &str,
    source: Source,
    base: &Path,
    editable: bool,
    no_files: bool,
) -> Result<Dependency, String> {
    let (url_part, marker) = match req.find(" ;").or_else(|| req.find("; ")) {
        Some(i) => (
            req[..i].trim(),
            Some(req[i..].trim_start_matches([' ', ';']).trim()),
        ),
        None => (req.trim(), None),
    };
    // Editable paths may carry extras: `-e .[dev]`.
    let (url, extras) = match url_part.rfind('[') {
        Some(i) if url_part.ends_with(']') && !url_part.contains("://") => (
            &url_part[..i],
            url_part[i + 1..url_part.len() - 1]
                .split(',')
                .map(|e| super::normalize_name(e.trim()))
                .filter(|e| !e.is_empty())
                .collect(),
        ),
        _ => (url_part, Vec::new()),
    };
    let kind = url_kind(url);
    let fragment_name = url.split_once('#').and_then(|(_, frag)| {
        frag.split('&')
            .find_map(|kv| kv.strip_prefix("egg="))
            .map(|n| n.split(['[', '-']).next().unwrap_or(n).to_owned())
    });
    let (file_name, file_version) = archive_name_version(url);
    let local_name = if kind == DependencyKind::Path && !no_files {
        local_project_name(base, url)
    } else {
        None
    };
    let name = fragment_name
        .or(file_name)
        .or(local_name)
        .filter(|n| super::name::is_valid_name(n))
        .ok_or_else(|| {
            format!(
                "cannot tell the package name of `{}` (add `#egg=NAME` or write `NAME @ URL`)",
                truncate(url)
            )
        })?;
    let mut dep = Dependency::new(&name, kind, source);
    dep.url = Some(url.to_owned());
    dep.extras = extras;
    if !editable && let Some(v) = file_version {
        // A wheel or sdist names its exact version.
        dep.version = Some(v);
    }
    if let Some(m) = marker.filter(|m| !m.is_empty()) {
        dep.marker = Some(m.to_owned());
    }
    Ok(dep)
}

/// Name and version from a wheel (`name-1.0-py3-none-any.whl`) or sdist (`name-1.0.tar.gz`) file name in a URL.
pub(crate) fn archive_name_version(url: &str) -> (Option<String>, Option<Version>) {
    let path = url.split(['#', '?']).next().unwrap_or(url);
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    if let Some(stem) = file.strip_suffix(".whl") {
        let mut parts = stem.split('-');
        let name = parts.next().map(str::to_owned);
        let version = parts.next().and_then(|v| Version::from_str(v).ok());
        return (name, version);
    }
    for ext in [".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar"] {
        if let Some(stem) = file.strip_suffix(ext)
            && let Some(i) = stem.rfind('-')
            && let Ok(v) = Version::from_str(&stem[i + 1..])
        {
            return (Some(stem[..i].to_owned()), Some(v));
        }
    }
    (None, None)
}

/// The name a local project folder declares in its `pyproject.toml` (or its folder name).
fn local_project_name(base: &Path, url: &str) -> Option<String> {
    let rel = url.strip_prefix("file://").unwrap_or(url);
    let dir = base.join(rel);
    if let Ok(text) = fs_err::read_to_string(dir.join("pyproject.toml"))
        && let Ok(doc) = toml::from_str::<toml::Table>(&text)
    {
        let name = doc
            .get("project")
            .and_then(|p| p.get("name"))
            .or_else(|| doc.get("tool")?.get("poetry")?.get("name"))
            .and_then(|n| n.as_str());
        if let Some(n) = name {
            return Some(n.to_owned());
        }
    }
    let canon = fs_err::canonicalize(&dir).ok()?;
    canon.file_name()?.to_str().map(str::to_owned)
}

/// `a/b/../c.txt` shown as `a/c.txt`: lexical only, for messages.
pub(crate) fn normalize_display(p: &Path) -> String {
    use std::path::Component;
    let mut parts: Vec<Component<'_>> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if parts
                    .last()
                    .is_some_and(|l| matches!(l, Component::Normal(_))) =>
            {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let out: PathBuf = parts.iter().collect();
    out.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<(u32, String)> {
        let env = |n: &str| (n == "TOKEN").then(|| "s3cr3t".to_owned());
        logical_lines(s, &env)
            .into_iter()
            .map(|l| (l.line, l.text))
            .collect()
    }

    #[test]
    fn joins_strips_and_expands_like_pip() {
        let got = lines(
            "# header\nnumpy==1.21.0 \\\n    --hash=sha256:ab  # trailing\n\nx @ https://h/x.whl#egg=x\n\
             -i https://${TOKEN}@h/simple\n${UNSET}\nfoo\\\n# comment\nbar\n",
        );
        assert_eq!(
            got,
            vec![
                (2, "numpy==1.21.0     --hash=sha256:ab".to_owned()),
                (5, "x @ https://h/x.whl#egg=x".to_owned()),
                (6, "-i https://s3cr3t@h/simple".to_owned()),
                (7, "${UNSET}".to_owned()),
                (8, "foo".to_owned()),
                (10, "bar".to_owned()),
            ]
        );
    }

    #[test]
    fn options_split() {
        let t = tokens("-rbase.txt");
        assert_eq!(
            split_option(&t),
            ("-r".to_owned(), Some("base.txt".to_owned()), 1)
        );
        let t = tokens("--index-url=https://x");
        assert_eq!(split_option(&t).1.as_deref(), Some("https://x"));
        let t = tokens("-c  constraints.txt");
        assert_eq!(
            split_option(&t),
            ("-c".to_owned(), Some("constraints.txt".to_owned()), 2)
        );
    }

    #[test]
    fn options_with_multibyte_characters() {
        // Fuzzing found `-\u{fffd}hash=…` (an invalid byte read lossily) splitting inside a character.
        let t = tokens("-\u{fffd}hash=sha256:ab");
        assert_eq!(split_option(&t).0, "-\u{fffd}hash=sha256:ab");
        let t = tokens("-r\u{e9}t\u{e9}.txt");
        assert_eq!(
            split_option(&t),
            ("-r".to_owned(), Some("\u{e9}t\u{e9}.txt".to_owned()), 1)
        );
    }

    #[test]
    fn archive_names() {
        let (n, v) = archive_name_version("https://h/torch-2.2.0+cpu-cp311-cp311-linux_x86_64.whl");
        assert_eq!(n.as_deref(), Some("torch"));
        assert_eq!(v.unwrap().to_string(), "2.2.0+cpu");
        let (n, v) = archive_name_version("https://h/foo-bar-1.0.tar.gz#sha256=x");
        assert_eq!(n.as_deref(), Some("foo-bar"));
        assert_eq!(v.unwrap().to_string(), "1.0");
    }
}
