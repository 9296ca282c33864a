//! `mlsc card init`: a card skeleton in the Hub template's structure, filled with what can be derived offline
//! from a model or dataset directory, every gap marked `[More Information Needed]` so that the linter (and the
//! Hub) count it as missing.
//!
//! The generated YAML is written, never re-emitted from parsed input: every string is written double-quoted with
//! JSON escaping (valid YAML), so no value can turn into a boolean, a number or a tag.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::Error;

/// Bounds on walking a directory for `init`.
const MAX_FILES: usize = 10_000;
const MAX_DEPTH: usize = 8;
/// Text data files up to this size have their lines counted (to estimate `size_categories`).
const MAX_COUNT_BYTES: u64 = 256 << 20;

/// What `init` found in a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileFact {
    /// Path relative to the directory, `/`-separated.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Lowercase hex SHA-256.
    pub sha256: String,
    /// The format sniffed from content.
    pub format: mlsc_core::Format,
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    if depth > MAX_DEPTH || out.len() >= MAX_FILES {
        return Ok(());
    }
    let entries = fs_err::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_owned(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        // Never follow symbolic links out of the directory.
        let Ok(meta) = fs_err::symlink_metadata(&p) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            continue;
        }
        if meta.is_dir() {
            walk(&p, depth + 1, out)?;
        } else if meta.is_file() {
            out.push(p);
            if out.len() >= MAX_FILES {
                break;
            }
        }
    }
    Ok(())
}

/// Lists, hashes (in parallel) and sniffs the files of `dir`.
pub fn directory_facts(dir: impl AsRef<Path>) -> Result<Vec<FileFact>, Error> {
    let dir = dir.as_ref();
    if !dir.is_dir() {
        return Err(Error::Input {
            path: dir.to_owned(),
            message: "not a directory".to_owned(),
        });
    }
    let mut files = Vec::new();
    walk(dir, 0, &mut files)?;
    let digests = mlsc_core::sha256_files(&files);
    let mut out = Vec::with_capacity(files.len());
    for (p, d) in files.iter().zip(digests) {
        let (digest, size) = d.map_err(|e| Error::Input {
            path: p.clone(),
            message: e.to_string(),
        })?;
        let head = read_head(p)?;
        out.push(FileFact {
            path: p
                .strip_prefix(dir)
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/"),
            size,
            sha256: digest.to_hex(),
            format: mlsc_core::sniff(&head),
        });
    }
    Ok(out)
}

fn read_head(p: &Path) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let f = fs_err::File::open(p).map_err(|e| Error::Io {
        path: p.to_owned(),
        source: e,
    })?;
    let mut buf = Vec::new();
    f.take(mlsc_core::SNIFF_LEN as u64)
        .read_to_end(&mut buf)
        .map_err(|source| Error::Io {
            path: p.to_owned(),
            source,
        })?;
    Ok(buf)
}

/// Guesses a Hub licence id from a licence file's text, by the phrases each licence's official text contains.
pub fn guess_license(text: &str) -> Option<&'static str> {
    let t = text.to_lowercase();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    let rules: &[(&str, &[&str])] = &[
        ("apache-2.0", &["apache license", "version 2.0"]),
        (
            "mit",
            &[
                "permission is hereby granted, free of charge",
                "the above copyright notice",
            ],
        ),
        (
            "bsd-3-clause",
            &[
                "redistribution and use in source and binary forms",
                "neither the name",
            ],
        ),
        (
            "bsd-2-clause",
            &["redistribution and use in source and binary forms"],
        ),
        (
            "agpl-3.0",
            &["gnu affero general public license", "version 3"],
        ),
        (
            "lgpl-3.0",
            &["gnu lesser general public license", "version 3"],
        ),
        (
            "lgpl-2.1",
            &["gnu lesser general public license", "version 2.1"],
        ),
        ("gpl-3.0", &["gnu general public license", "version 3"]),
        ("gpl-2.0", &["gnu general public license", "version 2"]),
        ("mpl-2.0", &["mozilla public license", "2.0"]),
        (
            "cc-by-nc-sa-4.0",
            &["attribution-noncommercial-sharealike 4.0"],
        ),
        ("cc-by-nc-4.0", &["attribution-noncommercial 4.0"]),
        ("cc-by-sa-4.0", &["attribution-sharealike 4.0"]),
        ("cc-by-4.0", &["creative commons attribution 4.0"]),
        ("cc0-1.0", &["cc0 1.0 universal"]),
        (
            "unlicense",
            &["this is free and unencumbered software released into the public domain"],
        ),
        ("openrail", &["responsible ai license"]),
        ("llama2", &["llama 2 community license"]),
        ("llama3", &["meta llama 3 community license"]),
        ("gemma", &["gemma terms of use"]),
    ];
    rules
        .iter()
        .find(|(_, phrases)| phrases.iter().all(|p| t.contains(p)))
        .map(|(id, _)| *id)
}

fn q(s: &str) -> String {
    serde_json::to_string(s)
        .expect("a string always serialises because JSON strings have no restrictions")
}

const GAP: &str = "[More Information Needed]";

fn human_size(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

fn license_of(dir: &Path, facts: &[FileFact]) -> Option<(String, &'static str)> {
    facts
        .iter()
        .filter(|f| {
            let n = f.path.to_lowercase();
            !n.contains('/')
                && (n.starts_with("license")
                    || n.starts_with("licence")
                    || n.starts_with("copying"))
        })
        .find_map(|f| {
            let text = fs_err::read_to_string(dir.join(&f.path)).ok()?;
            guess_license(&text).map(|id| (f.path.clone(), id))
        })
}

fn files_table(out: &mut String, facts: &[FileFact]) {
    out.push_str("| File | Size | Format | SHA-256 |\n|---|---:|---|---|\n");
    for f in facts {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | `{}` |",
            f.path.replace('|', "\\|"),
            human_size(f.size),
            f.format.as_str(),
            f.sha256
        );
    }
}

/// Formats that execute code when loaded with their usual loader.
fn executes_on_load(f: mlsc_core::Format) -> bool {
    matches!(
        f,
        mlsc_core::Format::Pickle | mlsc_core::Format::PytorchLegacy | mlsc_core::Format::JoblibZf
    )
}

/// A model-card skeleton for the model directory `dir`.
pub fn init_model(dir: impl AsRef<Path>) -> Result<String, Error> {
    let dir = dir.as_ref();
    let facts = directory_facts(dir)?;
    let config: Option<Value> = facts
        .iter()
        .find(|f| f.path == "config.json")
        .and_then(|f| fs_err::read_to_string(dir.join(&f.path)).ok())
        .and_then(|t| serde_json::from_str(&t).ok());
    let license = license_of(dir, &facts);
    let name = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "model".to_owned());
    let cfg = |k: &str| {
        config
            .as_ref()
            .and_then(|c| c.get(k))
            .filter(|v| !v.is_null())
    };
    let library =
        if facts.iter().any(|f| f.path == "config.json") && cfg("transformers_version").is_some() {
            Some("transformers")
        } else if facts.iter().any(|f| f.path == "model_index.json") {
            Some("diffusers")
        } else {
            None
        };
    let mut out = String::from("---\n");
    match &license {
        Some((_, id)) => {
            let _ = writeln!(out, "license: {}", q(id));
        }
        None => out
            .push_str("# GAP: no licence file was recognised; set `license` to a Hub licence id\n"),
    }
    if let Some(l) = library {
        let _ = writeln!(out, "library_name: {}", q(l));
    }
    let mut tags: Vec<String> = Vec::new();
    if let Some(mt) = cfg("model_type").and_then(Value::as_str) {
        tags.push(mt.to_owned());
    }
    if facts
        .iter()
        .any(|f| f.format == mlsc_core::Format::Safetensors)
    {
        tags.push("safetensors".to_owned());
    }
    if facts.iter().any(|f| f.format == mlsc_core::Format::Gguf) {
        tags.push("gguf".to_owned());
    }
    if !tags.is_empty() {
        out.push_str("tags:\n");
        for t in &tags {
            let _ = writeln!(out, "- {}", q(t));
        }
    }
    out.push_str(
        "# GAP: pipeline_tag, language, datasets and base_model cannot be derived offline\n---\n\n",
    );
    let _ = writeln!(
        out,
        "# Model Card for {name}\n\n<!-- Generated by `mlsc card init`: every [More Information Needed] is a gap to fill. -->\n"
    );
    out.push_str("## Model Details\n\n### Model Description\n\n");
    let _ = writeln!(out, "- **Developed by:** {GAP}");
    let _ = writeln!(
        out,
        "- **Model type:** {}",
        cfg("model_type")
            .and_then(as_str_owned)
            .unwrap_or_else(|| GAP.to_owned())
    );
    let _ = writeln!(
        out,
        "- **License:** {}",
        license.as_ref().map_or_else(
            || GAP.to_owned(),
            |(file, id)| format!("{id} (recognised from `{file}`)")
        )
    );
    let _ = writeln!(out, "- **Finetuned from model:** {GAP}\n");
    if let Some(c) = &config {
        out.push_str("### Configuration (from `config.json`)\n\n");
        for key in [
            "architectures",
            "model_type",
            "hidden_size",
            "num_hidden_layers",
            "num_attention_heads",
            "intermediate_size",
            "vocab_size",
            "max_position_embeddings",
            "torch_dtype",
            "transformers_version",
        ] {
            if let Some(v) = c.get(key).filter(|v| !v.is_null()) {
                let _ = writeln!(
                    out,
                    "- **{key}:** `{}`",
                    match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    }
                );
            }
        }
        out.push('\n');
    }
    out.push_str("### Model Files\n\n");
    files_table(&mut out, &facts);
    let total: u64 = facts.iter().map(|f| f.size).sum();
    let _ = writeln!(
        out,
        "\n{} files, {} in total.\n",
        facts.len(),
        human_size(total)
    );
    let risky: Vec<&FileFact> = facts
        .iter()
        .filter(|f| executes_on_load(f.format))
        .collect();
    if !risky.is_empty() {
        let _ = writeln!(
            out,
            "> **Warning:** {} file(s) are pickle-based ({}); loading them can execute code. Scan them with `mlsc scan` or convert to safetensors.\n",
            risky.len(),
            risky
                .iter()
                .map(|f| format!("`{}`", f.path))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for (h, level) in [
        ("Uses", 2),
        ("Direct Use", 3),
        ("Out-of-Scope Use", 3),
        ("Bias, Risks, and Limitations", 2),
        ("Recommendations", 3),
        ("How to Get Started with the Model", 2),
        ("Training Details", 2),
        ("Training Data", 3),
        ("Training Procedure", 3),
        ("Evaluation", 2),
        ("Testing Data, Factors & Metrics", 3),
        ("Results", 3),
        ("Environmental Impact", 2),
        ("Model Card Contact", 2),
    ] {
        let _ = writeln!(out, "{} {h}\n\n{GAP}\n", "#".repeat(level));
    }
    Ok(out)
}

fn as_str_owned(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

/// The Hub's `size_categories` bucket for `n` examples.
pub fn size_category(n: u64) -> &'static str {
    match n {
        0..1_000 => "n<1K",
        1_000..10_000 => "1K<n<10K",
        10_000..100_000 => "10K<n<100K",
        100_000..1_000_000 => "100K<n<1M",
        1_000_000..10_000_000 => "1M<n<10M",
        10_000_000..100_000_000 => "10M<n<100M",
        100_000_000..1_000_000_000 => "100M<n<1B",
        1_000_000_000..10_000_000_000 => "1B<n<10B",
        10_000_000_000..100_000_000_000 => "10B<n<100B",
        100_000_000_000..1_000_000_000_000 => "100B<n<1T",
        _ => "n>1T",
    }
}

/// Rows of the text data files (CSV/TSV minus a header, JSON lines), when all are small enough to count.
fn count_rows(dir: &Path, facts: &[FileFact]) -> Option<u64> {
    let data: Vec<&FileFact> = facts
        .iter()
        .filter(|f| {
            let n = f.path.to_lowercase();
            n.ends_with(".csv") || n.ends_with(".tsv") || n.ends_with(".jsonl")
        })
        .collect();
    if data.is_empty() || data.iter().any(|f| f.size > MAX_COUNT_BYTES) {
        return None;
    }
    let mut rows = 0u64;
    for f in data {
        let bytes = fs_err::read(dir.join(&f.path)).ok()?;
        let lines = memchr::memchr_iter(b'\n', &bytes).count() as u64
            + u64::from(!bytes.ends_with(b"\n") && !bytes.is_empty());
        let header = u64::from(!f.path.to_lowercase().ends_with(".jsonl"));
        rows += lines.saturating_sub(header);
    }
    Some(rows)
}

/// A dataset-card skeleton for the dataset directory `dir`: the basic data card of a provenance audit, with the
/// files, their hashes and formats, the licence found, and the usage constraints that follow.
pub fn init_dataset(dir: impl AsRef<Path>) -> Result<String, Error> {
    let dir = dir.as_ref();
    let facts = directory_facts(dir)?;
    let license = license_of(dir, &facts);
    let rows = count_rows(dir, &facts);
    let name = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "dataset".to_owned());
    let mut out = String::from("---\n");
    match &license {
        Some((_, id)) => {
            let _ = writeln!(out, "license: {}", q(id));
        }
        None => out
            .push_str("# GAP: no licence file was recognised; set `license` to a Hub licence id\n"),
    }
    let _ = writeln!(out, "pretty_name: {}", q(&name));
    if let Some(n) = rows {
        let _ = writeln!(out, "size_categories:\n- {}", q(size_category(n)));
    }
    out.push_str("# GAP: task_categories, language, source_datasets, annotations_creators, language_creators and\n# multilinguality cannot be derived offline\n---\n\n");
    let _ = writeln!(
        out,
        "# Dataset Card for {name}\n\n<!-- Generated by `mlsc card init`: every [More Information Needed] is a gap to fill. -->\n"
    );
    out.push_str("## Dataset Details\n\n### Dataset Description\n\n");
    let _ = writeln!(out, "- **Curated by:** {GAP}");
    let _ = writeln!(out, "- **Language(s):** {GAP}");
    let _ = writeln!(
        out,
        "- **License:** {}\n",
        license.as_ref().map_or_else(
            || GAP.to_owned(),
            |(file, id)| format!("{id} (recognised from `{file}`)")
        )
    );
    out.push_str("### Provenance Summary\n\n");
    let total: u64 = facts.iter().map(|f| f.size).sum();
    let _ = writeln!(
        out,
        "- **Files:** {} ({}), each with its SHA-256 below.",
        facts.len(),
        human_size(total)
    );
    if let Some(n) = rows {
        let _ = writeln!(out, "- **Rows (CSV/TSV/JSON lines):** {n}");
    }
    let mut formats: Vec<&str> = facts.iter().map(|f| f.format.as_str()).collect();
    formats.sort_unstable();
    formats.dedup();
    let _ = writeln!(out, "- **Formats (by content):** {}", formats.join(", "));
    let _ = writeln!(
        out,
        "- **Usage constraints:** {}",
        match &license {
            Some((_, id)) if id.contains("-nc") => format!("`{id}`: non-commercial use only"),
            Some((_, id))
                if id.contains("-sa") || id.starts_with("gpl") || id.starts_with("agpl") =>
                format!("`{id}`: share-alike / copyleft obligations"),
            Some((_, id)) => format!("`{id}`"),
            None => "unknown: no licence file, so no right to use may be assumed".to_owned(),
        }
    );
    let risky: Vec<&FileFact> = facts
        .iter()
        .filter(|f| executes_on_load(f.format))
        .collect();
    if !risky.is_empty() {
        let _ = writeln!(
            out,
            "- **Warning:** {} file(s) are pickles ({}): loading them can execute code.",
            risky.len(),
            risky
                .iter()
                .map(|f| format!("`{}`", f.path))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out.push_str("\n### Files\n\n");
    files_table(&mut out, &facts);
    out.push('\n');
    for (h, level) in [
        ("Dataset Sources", 3),
        ("Uses", 2),
        ("Direct Use", 3),
        ("Out-of-Scope Use", 3),
        ("Dataset Structure", 2),
        ("Dataset Creation", 2),
        ("Curation Rationale", 3),
        ("Source Data", 3),
        ("Data Collection and Processing", 4),
        ("Who are the source data producers?", 4),
        ("Annotations", 3),
        ("Personal and Sensitive Information", 3),
        ("Bias, Risks, and Limitations", 2),
        ("Recommendations", 3),
        ("Dataset Card Contact", 2),
    ] {
        let _ = writeln!(out, "{} {h}\n\n{GAP}\n", "#".repeat(level));
    }
    Ok(out)
}

/// Keys a skeleton may mark as gaps, in the order they are listed when still missing after a merge.
const GAP_KEYS: [&str; 10] = [
    "license",
    "pipeline_tag",
    "language",
    "datasets",
    "base_model",
    "task_categories",
    "source_datasets",
    "annotations_creators",
    "language_creators",
    "multilinguality",
];

/// A YAML key: bare when it cannot be read as anything but a plain string, else double-quoted.
fn yaml_key(k: &str) -> String {
    let bare = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    // Words YAML 1.1 reads as booleans or null are quoted even though they look plain.
    let special = matches!(
        k.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
    );
    if bare && !special { k.to_owned() } else { q(k) }
}

/// One `key: value` entry. Strings are double-quoted; lists of scalars are block lists as the Hub writes them;
/// anything else is JSON, which YAML reads as flow style.
fn yaml_entry(out: &mut String, key: &str, value: &Value) {
    let key = yaml_key(key);
    match value {
        Value::Array(items)
            if !items.is_empty()
                && items
                    .iter()
                    .all(|v| !matches!(v, Value::Array(_) | Value::Object(_))) =>
        {
            let _ = writeln!(out, "{key}:");
            for v in items {
                let _ = writeln!(out, "- {v}");
            }
        }
        other => {
            let _ = writeln!(out, "{key}: {other}");
        }
    }
}

/// The front matter of a card as a JSON mapping (empty when it has none); an error when it does not parse, so
/// that what it states is never silently dropped.
fn front_matter_of(text: &str) -> Result<serde_json::Map<String, Value>, Error> {
    let raw = crate::card::RawCard::split(text, &crate::card::ParseLimits::default());
    match raw.node {
        Ok(crate::yaml::Node::Null) => Ok(serde_json::Map::new()),
        Ok(node) => match node.to_json() {
            Value::Object(m) => Ok(m),
            _ => Err(Error::NotAMapping {
                line: raw.yaml_line,
                found: node.type_name(),
            }),
        },
        Err(e) => Err(Error::Yaml {
            line: raw.yaml_line + e.line.unwrap_or(1).saturating_sub(1),
            message: e.message,
        }),
    }
}

/// Merges what an existing card states in its front matter into a skeleton made by [`init_model`] or
/// [`init_dataset`]: every key of the existing card is kept with its value (the card's author stated it; a
/// guess from the directory does not override it), the skeleton's derived keys fill in the rest, and the gap
/// comment lists only what is still missing. The body is the skeleton's.
///
/// Errors when the existing card is not UTF-8 or its front matter does not parse as a mapping: replacing it
/// would lose what it states.
///
/// ```
/// let skeleton = "---\n# GAP: pipeline_tag, language, datasets and base_model cannot be derived offline\n---\n\n# Model Card\n\n- **License:** [More Information Needed]\n";
/// let merged = mlsc_cards::merge_existing(skeleton, b"---\nlicense: mit\nlanguage: [en, fr]\n---\nold body\n").unwrap();
/// assert!(merged.contains("license: \"mit\""));
/// assert!(merged.contains("language:\n- \"en\"\n- \"fr\""));
/// assert!(merged.contains("- **License:** mit (stated by the existing card)"));
/// assert!(merged.contains("# GAP: pipeline_tag, datasets and base_model are not stated"));
/// assert!(!merged.contains("old body"));
/// ```
pub fn merge_existing(skeleton: &str, existing: &[u8]) -> Result<String, Error> {
    let (text, _) = crate::card::decode(existing)?;
    let stated = front_matter_of(text)?;
    let derived = front_matter_of(skeleton)?;
    let span = crate::frontmatter::find(skeleton);
    let (gap_text, body) = match span {
        Some(s) => (
            &skeleton[s.yaml_start..s.yaml_end],
            &skeleton[s.body_start..],
        ),
        None => ("", skeleton),
    };
    let gap_comments: String = gap_text
        .lines()
        .filter(|l| l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut merged = derived;
    for (k, v) in stated.iter() {
        merged.insert(k.clone(), v.clone());
    }
    let mut out = String::from("---\n");
    for (k, v) in &merged {
        yaml_entry(&mut out, k, v);
    }
    let missing: Vec<&str> = GAP_KEYS
        .iter()
        .copied()
        .filter(|k| gap_comments.contains(k) && !merged.contains_key(*k))
        .collect();
    if let Some((last, rest)) = missing.split_last() {
        let list = if rest.is_empty() {
            (*last).to_owned()
        } else {
            format!("{} and {last}", rest.join(", "))
        };
        let _ = writeln!(
            out,
            "# GAP: {list} {} not stated; set {} (they cannot be derived offline)",
            if rest.is_empty() { "is" } else { "are" },
            if rest.is_empty() { "it" } else { "them" }
        );
    }
    out.push_str("---\n");
    let license_gap = format!("- **License:** {GAP}\n");
    match stated.get("license").and_then(Value::as_str) {
        Some(id) if body.contains(&license_gap) => out.push_str(&body.replacen(
            &license_gap,
            &format!("- **License:** {id} (stated by the existing card)\n"),
            1,
        )),
        _ => out.push_str(body),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licenses() {
        assert_eq!(
            guess_license("Apache License\n Version 2.0, January 2004"),
            Some("apache-2.0")
        );
        assert_eq!(
            guess_license(
                "MIT License\n\nPermission is hereby granted, free of charge, to any person ... The above copyright notice"
            ),
            Some("mit")
        );
        assert_eq!(guess_license("all rights reserved"), None);
    }

    #[test]
    fn model_skeleton_lints_as_gaps() {
        let dir = tempfile::tempdir().unwrap();
        fs_err::write(
            dir.path().join("config.json"),
            r#"{"model_type": "bert", "hidden_size": 768, "transformers_version": "4.40.0"}"#,
        )
        .unwrap();
        fs_err::write(
            dir.path().join("LICENSE"),
            "Apache License\nVersion 2.0, January 2004\n",
        )
        .unwrap();
        fs_err::write(dir.path().join("pytorch_model.bin"), b"\x80\x02}q\x00.").unwrap();
        let card = init_model(dir.path()).unwrap();
        assert!(card.contains("license: \"apache-2.0\""), "{card}");
        assert!(card.contains("library_name: \"transformers\""));
        assert!(
            card.contains("`hidden_size`") || card.contains("**hidden_size:** `768`"),
            "{card}"
        );
        assert!(card.contains("pickle-based"));
        let parsed = crate::ModelCard::parse(&card).unwrap();
        assert_eq!(parsed.license.as_deref(), Some("apache-2.0"));
        assert!(parsed.section("Out-of-Scope Use").unwrap().placeholder);
        let sha = mlsc_core::Sha256Digest::of(b"\x80\x02}q\x00.").to_hex();
        assert!(card.contains(&sha));
    }

    #[test]
    fn dataset_skeleton() {
        let dir = tempfile::tempdir().unwrap();
        fs_err::write(dir.path().join("train.csv"), "a,b\n1,2\n3,4\n").unwrap();
        let card = init_dataset(dir.path()).unwrap();
        assert!(card.contains("- \"n<1K\""), "{card}");
        assert!(card.contains("Rows (CSV/TSV/JSON lines):** 2"));
        assert!(card.contains("no right to use may be assumed"));
        let parsed = crate::DatasetCard::parse(&card).unwrap();
        assert_eq!(parsed.size_categories, ["n<1K"]);
    }

    #[test]
    fn merge_keeps_what_the_existing_card_states() {
        let dir = tempfile::tempdir().unwrap();
        fs_err::write(
            dir.path().join("config.json"),
            r#"{"model_type": "bert", "transformers_version": "4.40.0"}"#,
        )
        .unwrap();
        let skeleton = init_model(dir.path()).unwrap();
        let existing = "---\nlicense: apache-2.0\nlanguage:\n- en\npipeline_tag: fill-mask\n\"odd key\": {a: 1}\nyes_no: yes\n---\n# Hand-written\n";
        let merged = merge_existing(&skeleton, existing.as_bytes()).unwrap();
        let card = crate::ModelCard::parse(&merged).unwrap();
        assert_eq!(card.license.as_deref(), Some("apache-2.0"));
        assert_eq!(card.pipeline_tag.as_deref(), Some("fill-mask"));
        assert_eq!(card.library_name.as_deref(), Some("transformers"));
        let fm = front_matter_of(&merged).unwrap();
        assert_eq!(fm["language"], serde_json::json!(["en"]));
        assert_eq!(fm["odd key"], serde_json::json!({"a": 1}));
        // Scalars keep the type they were read with, whatever YAML version decides `yes` is.
        assert_eq!(fm["yes_no"], front_matter_of(existing).unwrap()["yes_no"]);
        assert!(
            merged.contains("# GAP: datasets and base_model are not stated"),
            "{merged}"
        );
        assert!(merged.contains("# Model Card for"));
        // A front matter that does not parse is an error, not a silent loss.
        assert!(merge_existing(&skeleton, b"---\nlicense: [\n---\n").is_err());
    }
}
