//! Keras: the `.keras` zip (`config.json`, `metadata.json`, `model.weights.h5`) and HDF5 `.h5` models.
//!
//! A Keras config runs code on load in two ways: Lambda layers (marshalled Python bytecode, or `__lambda__`
//! objects in Keras 3), and objects whose `module`/`class_name` (or `function`) name something outside Keras,
//! which Keras imports and calls. Both are critical.
//!
//! HDF5: no pure-Rust HDF5 reader is practical here (the `hdf5` crate binds libhdf5), so the `model_config`
//! attribute is found by a bounded byte search: Keras writes it as a JSON string starting `{"class_name":`,
//! stored inline in the attribute message or in the global heap, uncompressed either way (HDF5 never filters
//! attributes). The file is searched in 8 MiB windows for the attribute name; when the name is present, the
//! JSON object after it (or anywhere in the file) is parsed and checked. No name at all means a weights-only
//! file (clean, with an info finding); a name without parsable JSON is inconclusive.

use std::io;

use mlsc_core::{Completeness, Location, Severity};
use serde_json::Value;

use super::blob::Blob;
use super::zip::{Directory as ZipDirectory, read_member};
use super::{Ctx, Here};

const WINDOW: u64 = 8 << 20;

/// Modules a Keras config may name without running foreign code: Keras itself and the namespaces Keras 3.9+
/// imports under safe_mode (`keras_hub`, `keras_nlp`, `keras_cv`).
fn keras_module(m: &str) -> bool {
    let root = m.split('.').next().unwrap_or("");
    matches!(
        root,
        "keras" | "tf_keras" | "keras_hub" | "keras_nlp" | "keras_cv"
    ) || m.starts_with("tensorflow.keras")
        || m.starts_with("tensorflow.python.keras")
}

/// Keras names that load or fetch something from outside the file, or switch safe_mode off, when a config
/// names them as a class or function: `TFSMLayer` loads a TensorFlow SavedModel from any path (CVE-2026-1462),
/// `get_file` downloads, `load_model` opens another model with its own config, `enable_unsafe_deserialization`
/// turns safe_mode off for what follows (CVE-2025-1550's follow-ups).
const EXTERNAL: &[(&str, &str)] = &[
    (
        "TFSMLayer",
        "loads a TensorFlow SavedModel from a path outside the file",
    ),
    ("get_file", "downloads a file from a URL"),
    ("load_model", "loads another model, with its own config"),
    ("load_weights", "loads weights from a path outside the file"),
    (
        "enable_unsafe_deserialization",
        "turns safe_mode off for everything loaded after it",
    ),
    (
        "SavedModel",
        "loads a TensorFlow SavedModel from a path outside the file",
    ),
];

/// The last dotted (or `>`-separated registered) component of a name.
fn last_name(n: &str) -> &str {
    n.rsplit(['.', '>']).next().unwrap_or(n)
}

/// The external-artefact check of one config object.
fn check_external(
    ctx: &mut Ctx<'_>,
    map: &serde_json::Map<String, Value>,
    class: Option<&str>,
    loc: &Location,
    pointer: &str,
) {
    // The callable this object names: a class, or (Keras 3) a function serialised as
    // `{"class_name": "function", "config": "get_file", "module": "keras.utils"}`, or a registered name.
    let mut names: Vec<&str> = Vec::new();
    names.extend(class);
    if class == Some("function") {
        names.extend(map.get("config").and_then(Value::as_str));
    }
    names.extend(map.get("registered_name").and_then(Value::as_str));
    names.extend(map.get("function").and_then(Value::as_str));
    let Some((name, what)) = names.iter().find_map(|n| {
        EXTERNAL
            .iter()
            .find(|(e, _)| last_name(n) == *e)
            .map(|(e, w)| (*e, *w))
    }) else {
        return;
    };
    let cfg = map.get("config");
    // What it points at: TFSMLayer's `filepath`, get_file's `origin`, or any path-like string of its config.
    let target = cfg
        .and_then(|c| {
            ["filepath", "origin", "fname", "path", "url"]
                .iter()
                .find_map(|k| c.get(k).and_then(Value::as_str))
        })
        .map(|t| format!(" (`{t}`)"))
        .unwrap_or_default();
    ctx.emit(
        &crate::rules::KERAS_EXTERNAL_ARTEFACT,
        Severity::High,
        loc.clone().at_pointer(pointer),
        format!("config names `{name}`, which {what}{target}; safe_mode does not stop it"),
    )
    .evidence = Some(format!("{name}{target}"));
}

/// Walks a Keras config and reports Lambda layers and foreign modules.
pub(crate) fn check_config(
    ctx: &mut Ctx<'_>,
    v: &Value,
    loc: &Location,
    pointer: &str,
    depth: u32,
) {
    walk_config(ctx, v, loc, pointer, depth, false);
}

fn walk_config(
    ctx: &mut Ctx<'_>,
    v: &Value,
    loc: &Location,
    pointer: &str,
    depth: u32,
    in_lambda: bool,
) {
    if depth > 256 {
        return;
    }
    match v {
        Value::Object(map) => {
            let class = map.get("class_name").and_then(Value::as_str);
            let lambda = matches!(class, Some("Lambda" | "__lambda__"));
            if lambda && !in_lambda {
                let cfg = map.get("config");
                let code = cfg
                    .and_then(|c| c.get("function").or_else(|| c.get("code")))
                    .map(|f| {
                        let s = f.to_string();
                        s.chars().take(120).collect::<String>()
                    })
                    .unwrap_or_default();
                let name = cfg
                    .and_then(|c| c.get("name"))
                    .and_then(Value::as_str)
                    .unwrap_or("?");
                ctx.emit(
                    &crate::rules::KERAS_LAMBDA_LAYER,
                    Severity::Critical,
                    loc.clone().at_pointer(pointer),
                    format!(
                        "Lambda layer `{name}` carries Python code that Keras deserialises and runs"
                    ),
                )
                .evidence = Some(code);
            }
            check_external(ctx, map, class, loc, pointer);
            // A registered name `package>Name` outside the Keras namespaces is a custom object: Keras resolves it
            // from code registered by the loading program (and older Keras imports its module).
            if let Some(reg) = map.get("registered_name").and_then(Value::as_str)
                && let Some((package, _)) = reg.split_once('>')
                && !keras_module(package)
                && map
                    .get("module")
                    .and_then(Value::as_str)
                    .is_none_or(keras_module)
            {
                ctx.emit(
                    &crate::rules::KERAS_FOREIGN_MODULE,
                    Severity::High,
                    loc.clone().at_pointer(pointer),
                    format!("config names the registered object `{reg}`, outside Keras: loading it needs (and runs) custom code"),
                )
                .evidence = Some(reg.to_owned());
            }
            if let Some(module) = map.get("module").and_then(Value::as_str)
                && !keras_module(module)
                && !(module == "builtins"
                    && matches!(class, Some("tuple" | "list" | "dict" | "set")))
            {
                // Keras 3 serialises a function as `{"module": m, "class_name": "function", "config": name}`.
                let class = match (class, map.get("config").and_then(Value::as_str)) {
                    (Some("function"), Some(f)) => f,
                    (c, _) => c.unwrap_or("?"),
                };
                ctx.emit(
                    &crate::rules::KERAS_FOREIGN_MODULE,
                    Severity::Critical,
                    loc.clone().at_pointer(pointer),
                    format!("config names `{module}.{class}`, outside Keras: Keras imports and calls it on load"),
                )
                .evidence = Some(format!("{module}.{class}"));
            }
            for (k, child) in map {
                walk_config(
                    ctx,
                    child,
                    loc,
                    &format!("{pointer}/{k}"),
                    depth + 1,
                    in_lambda || lambda,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk_config(
                    ctx,
                    child,
                    loc,
                    &format!("{pointer}/{i}"),
                    depth + 1,
                    in_lambda,
                );
            }
        }
        _ => {}
    }
}

/// A `.keras` archive: a zip with `config.json` and `metadata.json`.
pub(crate) fn check_keras_zip(
    ctx: &mut Ctx<'_>,
    blob: Blob<'_>,
    here: &Here,
    dir: &ZipDirectory,
) -> io::Result<()> {
    let has = |n: &str| dir.entries.iter().any(|e| e.name == n);
    if !(has("config.json") && (has("metadata.json") || has("model.weights.h5"))) {
        return Ok(());
    }
    let loc = here.loc.clone().member("config.json");
    let Some(bytes) = read_member(ctx, blob, dir, "config.json", here)? else {
        ctx.not_analysed(
            &crate::rules::KERAS_BAD_CONFIG,
            loc,
            "config.json could not be read",
        );
        return Ok(());
    };
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(v) => check_config(ctx, &v, &loc, "", 0),
        Err(e) => ctx.not_analysed(
            &crate::rules::KERAS_BAD_CONFIG,
            loc,
            format!("config.json is not valid JSON: {e}"),
        ),
    }
    Ok(())
}

/// An HDF5 file (Keras `.h5`): find `model_config` by a bounded byte search.
pub(crate) fn scan_hdf5(ctx: &mut Ctx<'_>, blob: Blob<'_>, here: &Here) -> io::Result<()> {
    const NAME: &[u8] = b"model_config";
    const JSON: &[u8] = b"{\"class_name\":";
    let mut name_at = None;
    let mut json_at = Vec::new();
    let mut off = 0u64;
    // Windows overlap by the longer needle so a match across a boundary is not missed.
    let overlap = 32u64;
    while off < blob.len() {
        if ctx.out_of_time(&here.loc) {
            return Ok(());
        }
        let n = WINDOW.min(blob.len() - off);
        let w = blob.read_at(off, n as usize)?;
        if name_at.is_none()
            && let Some(p) = memchr::memmem::find(&w, NAME)
        {
            name_at = Some(off + p as u64);
        }
        for p in memchr::memmem::find_iter(&w, JSON) {
            if json_at.len() < 16 {
                json_at.push(off + p as u64);
            }
        }
        if off + n >= blob.len() {
            break;
        }
        off += n - overlap;
    }
    let Some(name_at) = name_at else {
        if !here.top {
            // Weights inside a `.keras` archive: expected, nothing to say.
            return Ok(());
        }
        ctx.emit(
            &crate::rules::HDF5_WEIGHTS_ONLY,
            Severity::Info,
            here.loc.clone(),
            "no `model_config` attribute: a weights-only HDF5 file (found by byte search; no HDF5 parser is used)",
        );
        return Ok(());
    };
    json_at.sort_unstable();
    json_at.dedup();
    let mut parsed = 0;
    let mut covered = 0u64;
    for at in json_at {
        if at < covered {
            // Inside a config already parsed: a nested object, not another config.
            continue;
        }
        let end = (at + ctx.opts.limits.max_header.min(16 << 20)).min(blob.len());
        let bytes = blob.read_at(at, (end - at) as usize)?;
        let mut stream = serde_json::Deserializer::from_slice(&bytes).into_iter::<Value>();
        if let Some(Ok(v)) = stream.next() {
            parsed += 1;
            covered = at + stream.byte_offset() as u64;
            let loc = here.loc.clone().member("model_config").at_offset(at);
            check_config(ctx, &v, &loc, "", 0);
        }
    }
    if parsed == 0 {
        ctx.verdict = ctx.verdict.at_most(Completeness::Inconclusive);
        ctx.emit(
            &crate::rules::KERAS_BAD_CONFIG,
            Severity::Medium,
            here.at(name_at),
            "a `model_config` attribute is present but no JSON model config was found by byte search (no HDF5 parser): not analysed",
        );
    }
    Ok(())
}
