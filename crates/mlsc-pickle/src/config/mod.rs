//! The config analyser: YAML, JSON and TOML that make a loader instantiate code.
//!
//! One analyser for every place a config travels: files on disk and archive members (a `.nemo` is a tar with
//! `model_config.yaml`), the dicts of a pickle (Lightning's `hyper_parameters`, OmegaConf `DictConfig`s), and
//! the string values of safetensors `__metadata__`. It reports:
//! - every `_target_` / `_call_` / `class_path` (Hydra, OmegaConf, jsonargparse), rated by the pickle policy and
//!   the config table (`targets.rs`) after OmegaConf interpolation is resolved (`interp.rs`);
//! - PyYAML python tags, found lexically (`tags.rs`) because the YAML parser drops them;
//! - chat templates (`chat_template` keys, `*.jinja`), through the GGUF template check;
//! - Hub repository ids in keys that steer loaders, high next to `trust_remote_code`.
//!
//! `auto_map` is left alone: the repository-level check of remote code owns it.

mod interp;
mod pickled;
pub(crate) mod rules;
mod tags;
mod targets;
mod tree;

use std::io;

use mlsc_core::{Format, Location, Rule, Severity};

use self::interp::{Roots, Seg, UNKNOWN, has_interpolation, pointer, resolve};
pub(crate) use self::pickled::scan_pickle;
pub(crate) use self::rules::RULES;
use self::tags::TagKind;
use self::targets::Rating;
use self::tree::{Node, ParseError};
use crate::scan::{Blob, Ctx, Here};

/// Largest config parsed into a tree. Real configs are kilobytes (a NeMo `model_config.yaml` 5-30 KB, a
/// `tokenizer_config.json` up to ~2 MB with its added tokens); larger text is only searched for the markers
/// below.
const PARSE_LIMIT: u64 = 16 << 20;
/// Keys whose value a loader instantiates: Hydra/OmegaConf, and jsonargparse (LightningCLI).
const TARGET_KEYS: &[&str] = &["_target_", "_call_", "class_path"];
/// Keys whose value a loader fetches from the Hub.
const REPO_KEYS: &[&str] = &[
    "_name_or_path",
    "name_or_path",
    "base_model",
    "base_model_name_or_path",
    "tokenizer_name",
    "tokenizer_name_or_path",
    "pretrained_model_name_or_path",
    "pretrained_model_name",
    "model_name_or_path",
    "model_name",
    "repo_id",
    "model_id",
    "hub_model_id",
];
/// What makes a large config or a string worth parsing.
const MARKERS: &[&str] = &[
    "_target_",
    "_call_",
    "class_path",
    "python/",
    "chat_template",
    "trust_remote_code",
];

/// The language of a config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Json,
    Yaml,
    Toml,
    /// A bare Jinja chat template.
    Template,
}

/// The file name a location ends in (the innermost member, else the file), lowercased.
fn base_name(loc: &Location) -> String {
    let full = loc.members.last().unwrap_or(&loc.path);
    full.rsplit(['/', '\\'])
        .next()
        .unwrap_or(full)
        .to_ascii_lowercase()
}

/// The language to analyse a part in, and whether its name says it is a config (then a parse failure is a
/// finding; content that only looks like YAML or JSON is analysed but not failed).
fn decide(name: &str, format: Format) -> Option<(Lang, bool)> {
    let ext = name.rsplit_once('.').map(|(_, e)| e);
    match ext {
        Some("yaml" | "yml") => Some((Lang::Yaml, true)),
        Some("json") => Some((Lang::Json, true)),
        Some("toml") => Some((Lang::Toml, true)),
        Some("jinja" | "jinja2" | "j2") => Some((Lang::Template, true)),
        _ => match format {
            Format::Json => Some((Lang::Json, false)),
            Format::Yaml => Some((Lang::Yaml, false)),
            _ => None,
        },
    }
}

/// True for an archive member a loader may read as a config: archive readers that skip text members call this
/// to keep them (a `.nemo` written with `w:gz` streams its `model_config.yaml` through the tar reader).
pub(crate) fn member_wanted(name: &str, format: Format) -> bool {
    let loc = Location::file(name);
    format.is_text() && decide(&base_name(&loc), format).is_some()
}

/// Analyses a text part that the dispatcher identified as `format` (JSON, YAML, text, unknown). True when it
/// found nothing at medium or above: the part is then only listed as a non-model file.
pub(crate) fn scan_text(
    ctx: &mut Ctx<'_>,
    blob: Blob<'_>,
    here: &Here,
    format: Format,
) -> io::Result<bool> {
    let before = ctx.findings.len();
    scan_text_inner(ctx, blob, here, format)?;
    Ok(ctx.findings[before..]
        .iter()
        .all(|f| f.severity < Severity::Medium))
}

fn scan_text_inner(
    ctx: &mut Ctx<'_>,
    blob: Blob<'_>,
    here: &Here,
    format: Format,
) -> io::Result<()> {
    let name = base_name(&here.loc);
    let Some((lang, named)) = decide(&name, format) else {
        return Ok(());
    };
    if matches!(format, Format::Empty) {
        return Ok(());
    }
    let len = blob.len();
    if len > PARSE_LIMIT {
        return large(ctx, blob, here, named);
    }
    let data = blob.read_at(0, len as usize)?;
    let loc = here.loc.clone();
    if lang == Lang::Template {
        let text = String::from_utf8_lossy(&data);
        check_template(ctx, &text, loc, &name);
        return Ok(());
    }
    analyse_document(ctx, &data, lang, named, &loc);
    Ok(())
}

/// A text too large to parse: searched for the markers in bounded windows; a marker found makes it inconclusive.
fn large(ctx: &mut Ctx<'_>, blob: Blob<'_>, here: &Here, named: bool) -> io::Result<()> {
    const WINDOW: u64 = 1 << 20;
    let overlap = MARKERS.iter().map(|m| m.len()).max().unwrap_or(0) as u64;
    let len = blob.len();
    let mut at = 0u64;
    let mut found = None;
    while at < len && found.is_none() {
        let n = WINDOW.min(len - at);
        let chunk = blob.read_at(at, n as usize)?;
        found = MARKERS
            .iter()
            .find(|m| memchr::memmem::find(&chunk, m.as_bytes()).is_some());
        if at + n >= len {
            break;
        }
        at += n - overlap.min(n);
    }
    // Without a marker nothing in it can instantiate code, even if it were parsed (a `\u`-escaped marker in a
    // JSON over the limit is the one thing missed; configs are kilobytes, the files this large are datasets and
    // tokenizers, which no loader instantiates from).
    let _ = named;
    if found.is_some() {
        ctx.not_analysed(
            &crate::rules::CONFIG_LIMIT,
            here.loc.clone(),
            format!(
                "config of {len} bytes is larger than the {PARSE_LIMIT}-byte parse limit{}: not analysed",
                found.map_or(String::new(), |m| format!(" and contains `{m}`"))
            ),
        );
    }
    Ok(())
}

/// Parses and analyses one document's bytes.
fn analyse_document(ctx: &mut Ctx<'_>, data: &[u8], lang: Lang, named: bool, loc: &Location) {
    let Ok(text) = std::str::from_utf8(data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data)) else {
        if named {
            ctx.not_analysed(
                &crate::rules::CONFIG_UNPARSEABLE,
                loc.clone(),
                "named as a config but not UTF-8 text: what it instantiates is unknown",
            );
        }
        return;
    };
    if text.len() > FAST_ABOVE && !may_instantiate(text.as_bytes()) {
        // A large tokenizer.json or vocabulary: no key that instantiates, no template, no escape that could spell
        // one. Only YAML python tags remain possible, and they are searched in the text.
        if lang == Lang::Yaml {
            python_tags(ctx, text, loc);
        }
        return;
    }
    let mut lang = lang;
    if lang == Lang::Json {
        match tree::parse_json(text.as_bytes()) {
            Ok(node) => {
                walk_tree(ctx, &node, loc, Roots::Document);
                return;
            }
            Err(ParseError::Limit(why)) => {
                limit(ctx, loc, &why);
                return;
            }
            // JSON lines under a `.json` name (common in datasets): every line a document.
            Err(ParseError::Syntax(_)) if json_lines(ctx, text, loc) => return,
            // YAML is a superset of JSON, and a `.json` written by a YAML dumper or a YAML flow mapping sniffed
            // as JSON still loads with yaml.load: try it as YAML before calling it unparseable.
            Err(ParseError::Syntax(_)) => lang = Lang::Yaml,
        }
    }
    if lang == Lang::Yaml {
        python_tags(ctx, text, loc);
        match tree::parse_yaml(text.as_bytes()) {
            Ok(docs) => {
                for (i, doc) in docs.iter().enumerate() {
                    let l = if docs.len() > 1 {
                        loc.clone().at_pointer(format!("document {}", i + 1))
                    } else {
                        loc.clone()
                    };
                    walk_tree(ctx, doc, &l, Roots::Document);
                }
            }
            Err(ParseError::Limit(why)) => limit(ctx, loc, &why),
            Err(ParseError::Syntax(why)) => unparseable(ctx, loc, named, &why),
        }
        return;
    }
    match tree::parse_toml(text) {
        Ok(node) => walk_tree(ctx, &node, loc, Roots::Document),
        Err(ParseError::Limit(why)) => limit(ctx, loc, &why),
        Err(ParseError::Syntax(why)) => unparseable(ctx, loc, named, &why),
    }
}

/// Documents above this size skip the tree when [`may_instantiate`] says nothing in them can.
const FAST_ABOVE: usize = 1 << 20;

/// True when `text` has a marker, or an escape that could spell one (`\u005f`, `\x5f`: printable ASCII written
/// as an escape, which JSON and double-quoted YAML decode).
fn may_instantiate(text: &[u8]) -> bool {
    if MARKERS
        .iter()
        .any(|m| memchr::memmem::find(text, m.as_bytes()).is_some())
    {
        return true;
    }
    let ascii_escape = |rest: &[u8], prefix: &[u8]| {
        rest.strip_prefix(prefix)
            .and_then(|r| r.first())
            .is_some_and(|d| (b'2'..=b'7').contains(d))
    };
    memchr::memchr_iter(b'\\', text).any(|i| {
        let rest = &text[i + 1..];
        ascii_escape(rest, b"u00") || ascii_escape(rest, b"x") || ascii_escape(rest, b"U000000")
    })
}

/// Analyses JSON lines; false (nothing reported) unless every non-empty line is a JSON document.
fn json_lines(ctx: &mut Ctx<'_>, text: &str, loc: &Location) -> bool {
    let lines = || {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
    };
    if lines().count() < 2 || !lines().all(|(_, l)| tree::parse_json(l.as_bytes()).is_ok()) {
        return false;
    }
    for (i, l) in lines() {
        if let Ok(node) = tree::parse_json(l.as_bytes()) {
            walk_tree(
                ctx,
                &node,
                &loc.clone().at_line(i as u32 + 1),
                Roots::Document,
            );
        }
    }
    true
}

fn limit(ctx: &mut Ctx<'_>, loc: &Location, why: &str) {
    ctx.not_analysed(
        &crate::rules::CONFIG_LIMIT,
        loc.clone(),
        format!("config not analysed: {why}"),
    );
}

fn unparseable(ctx: &mut Ctx<'_>, loc: &Location, named: bool, why: &str) {
    if named {
        ctx.not_analysed(
            &crate::rules::CONFIG_UNPARSEABLE,
            loc.clone(),
            format!("config cannot be parsed ({why}): what it instantiates is unknown"),
        );
    }
}

/// Reports the python tags of YAML text.
fn python_tags(ctx: &mut Ctx<'_>, text: &str, loc: &Location) {
    let found = tags::python_tags(text);
    for t in found.iter().take(100) {
        let line = text[..t.offset].bytes().filter(|&b| b == b'\n').count() as u32 + 1;
        let (kind, callable) = t.kind();
        let (sev, what) = match kind {
            TagKind::Code => (
                Severity::Critical,
                format!(
                    "imports and runs `{}` when PyYAML's unsafe or full loader reads it",
                    callable.unwrap_or("?")
                ),
            ),
            TagKind::Data => (
                Severity::Low,
                "a python data type: yaml.safe_load refuses it, FullLoader builds plain data"
                    .into(),
            ),
            TagKind::Other => (
                Severity::Medium,
                "a python tag PyYAML has no constructor for".into(),
            ),
        };
        let tag = if tags::is_pyyaml(&t.tag) {
            t.tag.clone()
        } else {
            format!("{} (a local tag)", t.tag)
        };
        ctx.emit(
            &crate::rules::YAML_PYTHON_TAG,
            sev,
            loc.clone().at_line(line),
            format!("YAML tag `{tag}` {what}"),
        )
        .evidence = Some(t.tag.clone());
    }
}

/// Analyses a string that may hold a whole config (a pickled string, a safetensors metadata value).
pub(crate) fn scan_embedded(ctx: &mut Ctx<'_>, text: &str, loc: &Location) {
    if !MARKERS.iter().any(|m| text.contains(m)) {
        return;
    }
    let t = text.trim_start();
    let lang = if t.starts_with('{') || t.starts_with('[') {
        Lang::Json
    } else {
        Lang::Yaml
    };
    if text.len() as u64 > PARSE_LIMIT {
        limit(ctx, loc, "embedded config larger than the parse limit");
        return;
    }
    // A string that merely mentions `_target_` (a docstring, a log) is not failed when it does not parse; one with a
    // `_target_:` key line or a `"_target_":` member is a config, and fails closed.
    let keyed = text.lines().any(|l| {
        let l = l.trim_start().trim_start_matches(['{', '-', ' ']);
        TARGET_KEYS.iter().any(|k| {
            l.strip_prefix(k)
                .or_else(|| {
                    l.strip_prefix('"')
                        .and_then(|r| r.strip_prefix(k))
                        .and_then(|r| r.strip_prefix('"'))
                })
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
    });
    analyse_document(ctx, text.as_bytes(), lang, keyed, loc);
}

/// Analyses one string value of safetensors `__metadata__` (at `loc`, which points at it): as a key of a config
/// (`_target_`, `chat_template`, a repo id) and as a whole embedded config.
pub(crate) fn scan_metadata(ctx: &mut Ctx<'_>, key: &str, value: &str, loc: &Location) {
    let mut parent = loc.clone();
    parent.pointer = loc
        .pointer
        .as_deref()
        .and_then(|p| p.rsplit_once('/'))
        .map(|(head, _)| head.to_owned());
    let node = Node::Map(vec![(key.to_owned(), Node::Str(value.to_owned()))]);
    walk_tree(ctx, &node, &parent, Roots::Document);
    scan_embedded(ctx, value, loc);
}

/// Walks a parsed document and reports what it instantiates.
pub(crate) fn walk_tree(ctx: &mut Ctx<'_>, root: &Node, loc: &Location, roots: Roots) {
    let mut w = Walk {
        ctx,
        root,
        roots,
        loc,
        known: Vec::new(),
        repos: std::collections::HashSet::new(),
        emitted: 0,
        rest: None,
    };
    let mut path = Vec::new();
    w.node(root, &mut path, false, 0);
    let known = std::mem::take(&mut w.known);
    if let Some((code, sev, n)) = w.rest {
        ctx.emit(
            code,
            sev,
            loc.clone(),
            format!("{n} more target(s) past the first {MAX_TARGET_FINDINGS} are not listed; the worst is {sev}"),
        );
    }
    if !known.is_empty() {
        let mut names = known.clone();
        names.sort();
        names.dedup();
        let shown: Vec<&str> = names.iter().take(12).map(String::as_str).collect();
        ctx.emit(
            &crate::rules::CONFIG_INSTANTIATES_KNOWN_CLASSES,
            Severity::Info,
            loc.clone(),
            format!(
                "instantiates {} target(s) of known ML frameworks ({} distinct): {}{}",
                known.len(),
                names.len(),
                shown.join(", "),
                if names.len() > shown.len() {
                    ", …"
                } else {
                    ""
                }
            ),
        );
    }
}

/// The names of the targets a walk judged, to avoid reporting a pickled target twice.
pub(crate) fn targets_in(root: &Node) -> Vec<String> {
    fn go(n: &Node, out: &mut Vec<String>, depth: u32) {
        if depth > tree::MAX_DEPTH + 50 {
            return;
        }
        match n {
            Node::Map(m) => {
                for (k, v) in m {
                    if TARGET_KEYS.contains(&k.as_str())
                        && let Node::Str(s) = v
                    {
                        out.push(s.clone());
                    }
                    go(v, out, depth + 1);
                }
            }
            Node::Seq(s) => s.iter().for_each(|x| go(x, out, depth + 1)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    go(root, &mut out, 0);
    out
}

struct Walk<'a, 'c, 'o> {
    ctx: &'c mut Ctx<'o>,
    root: &'a Node,
    roots: Roots,
    loc: &'a Location,
    known: Vec<String>,
    repos: std::collections::HashSet<(String, bool)>,
    /// Target findings emitted; past [`MAX_TARGET_FINDINGS`] only the worst rest is summarised.
    emitted: usize,
    rest: Option<(&'static Rule, Severity, usize)>,
}

/// Most target findings of one document; a config that names thousands of targets is summarised.
const MAX_TARGET_FINDINGS: usize = 200;

impl Walk<'_, '_, '_> {
    fn at(&self, path: &[Seg]) -> Location {
        let base = self.loc.pointer.clone().unwrap_or_default();
        let p = pointer(path);
        self.loc.clone().at_pointer(format!("{base}{p}"))
    }

    fn node(&mut self, node: &Node, path: &mut Vec<Seg>, trust: bool, depth: u32) {
        // Trees are built at most tree::MAX_DEPTH deep; pickled trees too (pickled.rs).
        if depth > tree::MAX_DEPTH + 50 {
            return;
        }
        match node {
            Node::Map(m) => {
                let trust = trust || node.get("trust_remote_code").is_some_and(Node::truthy);
                for key in TARGET_KEYS {
                    if let Some(v) = node.get(key) {
                        path.push(Seg::Key((*key).to_owned()));
                        self.target(node, v, path, trust);
                        path.pop();
                    }
                }
                for (k, v) in m {
                    if k == "auto_map" {
                        continue;
                    }
                    path.push(Seg::Key(k.clone()));
                    if k.ends_with("chat_template") {
                        self.templates(v, path);
                    } else if REPO_KEYS.contains(&k.as_str())
                        && let Node::Str(s) = v
                    {
                        self.repo(s, path, trust);
                    }
                    self.node(v, path, trust, depth + 1);
                    path.pop();
                }
            }
            Node::Seq(s) => {
                for (i, v) in s.iter().enumerate() {
                    path.push(Seg::Index(i));
                    self.node(v, path, trust, depth + 1);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    fn templates(&mut self, v: &Node, path: &mut Vec<Seg>) {
        match v {
            Node::Str(s) => {
                let l = self.at(path);
                let key = pointer(path);
                check_template(self.ctx, s, l, &key);
            }
            // transformers' list form: [{"name": "default", "template": "..."}, ...]
            Node::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let Some(Node::Str(s)) = item.get("template") {
                        path.push(Seg::Index(i));
                        path.push(Seg::Key("template".into()));
                        let l = self.at(path);
                        let key = pointer(path);
                        check_template(self.ctx, s, l, &key);
                        path.pop();
                        path.pop();
                    }
                }
            }
            Node::Map(_) => {
                if let Some(Node::Str(s)) = v.get("template") {
                    path.push(Seg::Key("template".into()));
                    let l = self.at(path);
                    let key = pointer(path);
                    check_template(self.ctx, s, l, &key);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    fn repo(&mut self, s: &str, path: &[Seg], trust: bool) {
        let id = s.trim();
        let id = id
            .strip_prefix("https://huggingface.co/")
            .or_else(|| id.strip_prefix("hf://"))
            .unwrap_or(id)
            .trim_end_matches('/');
        if !looks_like_repo(id) || !self.repos.insert((id.to_owned(), trust)) {
            return;
        }
        let loc = self.at(path);
        let key = match path.last() {
            Some(Seg::Key(k)) => k.clone(),
            _ => String::new(),
        };
        if trust {
            self.ctx
                .emit(
                    &crate::rules::HUB_REPO_REFERENCE,
                    Severity::High,
                    loc,
                    format!(
                        "`{key}` names the Hub repository `{id}` with trust_remote_code set: loading runs that repository's code"
                    ),
                )
                .evidence = Some(id.to_owned());
        } else {
            self.ctx
                .emit(
                    &crate::rules::HUB_REPO_REFERENCE,
                    Severity::Info,
                    loc,
                    format!("`{key}` names the Hub repository `{id}`: a loader may fetch it"),
                )
                .evidence = Some(id.to_owned());
        }
    }

    /// Judges the target `v` of the mapping `map` (at `path`, whose last segment is the target key).
    fn target(&mut self, map: &Node, v: &Node, path: &[Seg], trust: bool) {
        let Node::Str(raw) = v else {
            return;
        };
        let raw = raw.trim();
        if raw.is_empty() {
            return;
        }
        let loc = self.at(path);
        let (name, unresolved) = if has_interpolation(raw) {
            let r = resolve(self.root, self.roots, path, raw);
            (r.value.trim().to_owned(), r.unresolved)
        } else {
            (raw.to_owned(), Vec::new())
        };
        let shown = if name == raw {
            format!("`{name}`")
        } else {
            format!("`{raw}` (resolves to `{name}`)")
        };
        // `trust_remote_code` also counts in the call's own keyword dicts (`model_kwargs: {trust_remote_code: true}`).
        let trust = trust || trusts_below(map, 0);
        let partial = map.get("_partial_").is_some_and(Node::truthy);
        let how = if partial {
            "binds (`_partial_: true`, called later by the model code)"
        } else {
            "instantiates"
        };
        let args = call_args(map);
        if !unresolved.is_empty() {
            self.emitted += 1;
            if self.emitted > MAX_TARGET_FINDINGS {
                let (c, s, n) = self.rest.unwrap_or((
                    &crate::rules::CONFIG_TARGET_UNRESOLVED,
                    Severity::Medium,
                    0,
                ));
                self.rest = Some((c, s, n + 1));
            } else {
                self.ctx
                    .emit(
                        &crate::rules::CONFIG_TARGET_UNRESOLVED,
                        Severity::Medium,
                        loc.clone(),
                        format!(
                            "target {shown} cannot be resolved statically: {}",
                            unresolved.join("; ")
                        ),
                    )
                    .evidence = Some(raw.to_owned());
            }
        }
        if name.contains(UNKNOWN) {
            return;
        }
        let policy = &self.ctx.opts.policy;
        let rating = targets::rate(policy, &name);
        let evidence = if args.is_empty() {
            name.clone()
        } else {
            format!("{name}({args})")
        };
        let (code, sev, msg) = match rating {
            Rating::Known => {
                self.known.push(name);
                return;
            }
            Rating::Denied(sev, why) => (
                &crate::rules::CONFIG_INSTANTIATES_DANGEROUS_CALLABLE,
                sev,
                format!("config {how} {shown}: {why}"),
            ),
            Rating::Gadget(sev, why) => {
                let sev = if trust { sev.max(Severity::High) } else { sev };
                (
                    &crate::rules::CONFIG_INSTANTIATES_DANGEROUS_CALLABLE,
                    sev,
                    format!("config {how} {shown}: {why}"),
                )
            }
            Rating::Loader(why) => {
                let sev = if trust {
                    Severity::High
                } else {
                    Severity::Medium
                };
                let with = if trust {
                    " with trust_remote_code set, so the fetched repository's code runs"
                } else {
                    ""
                };
                (
                    &crate::rules::CONFIG_LOADS_OTHER_ARTIFACT,
                    sev,
                    format!("config {how} {shown}{with}: {why}"),
                )
            }
            Rating::FrameworkFunction => (
                &crate::rules::CONFIG_INSTANTIATES_UNKNOWN_CALLABLE,
                Severity::Low,
                format!("config {how} {shown}, a function of a known ML framework"),
            ),
            Rating::FrameworkPrivate => (
                &crate::rules::CONFIG_INSTANTIATES_UNKNOWN_CALLABLE,
                Severity::Medium,
                format!("config {how} {shown}, a private name of an ML framework"),
            ),
            Rating::Invalid => (
                &crate::rules::CONFIG_INSTANTIATES_UNKNOWN_CALLABLE,
                Severity::Medium,
                format!("config {how} {shown}, which is not a dotted Python name"),
            ),
            Rating::Unknown => (
                &crate::rules::CONFIG_INSTANTIATES_UNKNOWN_CALLABLE,
                Severity::Medium,
                format!(
                    "config {how} {shown}, a callable on no allowlist: loading imports and calls it"
                ),
            ),
        };
        self.emitted += 1;
        if self.emitted > MAX_TARGET_FINDINGS {
            let (c, s, n) = self.rest.unwrap_or((code, sev, 0));
            self.rest = Some(if sev > s {
                (code, sev, n + 1)
            } else {
                (c, s, n + 1)
            });
            return;
        }
        self.ctx.emit(code, sev, loc, msg).evidence = Some(evidence);
    }
}

/// True when a mapping under `n` (a few levels down) sets `trust_remote_code`.
fn trusts_below(n: &Node, depth: u32) -> bool {
    match n {
        Node::Map(m) if depth < 4 => m
            .iter()
            .any(|(k, v)| (k == "trust_remote_code" && v.truthy()) || trusts_below(v, depth + 1)),
        Node::Seq(s) if depth < 4 => s.iter().any(|v| trusts_below(v, depth + 1)),
        _ => false,
    }
}

/// The first few arguments of an instantiation, for the evidence (`_args_` and keyword values).
fn call_args(map: &Node) -> String {
    let mut out: Vec<String> = Vec::new();
    if let Some(Node::Seq(a)) = map.get("_args_") {
        out.extend(
            a.iter()
                .filter_map(Node::scalar_text)
                .map(|s| format!("{s:?}")),
        );
    }
    if let Node::Map(m) = map {
        for (k, v) in m {
            if k.starts_with('_') && k.ends_with('_') || TARGET_KEYS.contains(&k.as_str()) {
                continue;
            }
            if let Some(s) = v.scalar_text() {
                out.push(format!("{k}={s:?}"));
            }
        }
    }
    let mut s = out.into_iter().take(4).collect::<Vec<_>>().join(", ");
    if s.len() > 200 {
        let mut cut = 200;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push('…');
    }
    s
}

/// `owner/name` as the Hub spells repository ids (96 characters each at most).
fn looks_like_repo(s: &str) -> bool {
    let Some((owner, name)) = s.split_once('/') else {
        return false;
    };
    let part = |p: &str| {
        !p.is_empty()
            && p.len() <= 96
            && p.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && !p.contains("..")
    };
    part(owner) && part(name)
}

/// Runs a chat template through the GGUF template check, under the config codes.
fn check_template(ctx: &mut Ctx<'_>, text: &str, loc: Location, key: &str) {
    crate::scan::check_template_at(
        ctx,
        text,
        loc,
        key,
        (
            &crate::rules::CHAT_TEMPLATE_SANDBOX_ESCAPE,
            &crate::rules::CHAT_TEMPLATE_DANGEROUS_NAME,
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_ids() {
        assert!(looks_like_repo("meta-llama/Llama-3.1-8B"));
        assert!(!looks_like_repo("/home/x/model"));
        assert!(!looks_like_repo("bert-base-uncased"));
        assert!(!looks_like_repo("../x/y"));
    }

    #[test]
    fn languages() {
        assert_eq!(
            decide("model_config.yaml", Format::Yaml),
            Some((Lang::Yaml, true))
        );
        assert_eq!(
            decide("config.json", Format::Json),
            Some((Lang::Json, true))
        );
        assert_eq!(
            decide("pyproject.toml", Format::Json),
            Some((Lang::Toml, true))
        );
        assert_eq!(
            decide("chat_template.jinja", Format::Text),
            Some((Lang::Template, true))
        );
        assert_eq!(decide("notes", Format::Yaml), Some((Lang::Yaml, false)));
        assert_eq!(decide("README.md", Format::Markdown), None);
        assert!(member_wanted("a/model_config.yaml", Format::Yaml));
        assert!(!member_wanted("vocab.txt", Format::Text));
    }
}
