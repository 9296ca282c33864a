//! `mlsc sbom PATH | validate FILE... | affected --package Q BOM...` end to end.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn mlsc_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mlsc"));
    cmd.args(args)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run mlsc")
}

fn mlsc(args: &[&str]) -> Output {
    mlsc_env(args, &[])
}

fn mlsc_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mlsc"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run mlsc")
}

#[allow(clippy::print_stderr)] // a skipped test says why
fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipping: ../shared is absent");
        None
    }
}

fn schema(version: &str) -> Option<jsonschema::Validator> {
    let dir = shared()?.join("schemas/cyclonedx");
    let read = |p: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    };
    let mut opts = jsonschema::options();
    for sub in [
        "spdx.schema.json",
        "jsf-0.82.schema.json",
        "cryptography-defs.schema.json",
    ] {
        let res = jsonschema::Resource::from_contents(read(&dir.join(sub))).unwrap();
        opts = opts.with_resource(format!("http://cyclonedx.org/schema/{sub}"), res);
    }
    Some(
        opts.build(&read(&dir.join(format!("bom-{version}.schema.json"))))
            .unwrap(),
    )
}

fn model_dir(dir: &Path) {
    std::fs::write(
        dir.join("config.json"),
        br#"{"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2"}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("README.md"),
        "---\nlicense: llama2\ndatasets: [openwebtext]\nbase_model: openai-community/gpt2\npipeline_tag: text-generation\n---\n# m\n",
    )
    .unwrap();
    std::fs::write(dir.join("model.safetensors"), safetensors()).unwrap();
    std::fs::write(dir.join("requirements.txt"), "pillow==9.0.0\nnumpy>=1.21\n").unwrap();
}

fn safetensors() -> Vec<u8> {
    let header = br#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#;
    let mut out = (header.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(header);
    out.extend_from_slice(&[0u8; 8]);
    out
}

#[test]
fn sbom_writes_reproducible_schema_valid_cyclonedx() {
    let tmp = tempfile::tempdir().unwrap();
    model_dir(tmp.path());
    let path = tmp.path().to_str().unwrap();
    let a = mlsc_env(&["sbom", path], &[("SOURCE_DATE_EPOCH", "1700000000")]);
    let b = mlsc_env(&["sbom", path], &[("SOURCE_DATE_EPOCH", "1700000000")]);
    assert_eq!(
        a.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&a.stderr)
    );
    assert_eq!(a.stdout, b.stdout, "two runs with SOURCE_DATE_EPOCH differ");
    let doc: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(doc["metadata"]["timestamp"], "2023-11-14T22:13:20Z");
    if let Some(v) = schema("1.6") {
        let errs: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errs.is_empty(), "{errs:#?}");
    }
    // The model and the project's libraries are in one BOM; llama2 is a named licence, never an invalid id.
    let comps = doc["components"].as_array().unwrap();
    assert_eq!(comps[0]["type"], "machine-learning-model");
    assert_eq!(
        comps[0]["licenses"][0]["license"]["name"],
        "Llama 2 Community License Agreement"
    );
    assert!(comps.iter().any(|c| c["purl"] == "pkg:pypi/pillow@9.0.0"));
    let numpy = comps.iter().find(|c| c["name"] == "numpy").unwrap();
    assert!(
        numpy.get("version").is_none(),
        "a specifier was written as a version"
    );
    // --deterministic alone: same bytes, no timestamp.
    let c = mlsc(&["sbom", "--deterministic", path]);
    let d = mlsc(&["sbom", "--deterministic", path]);
    assert_eq!(c.stdout, d.stdout);
    let doc: serde_json::Value = serde_json::from_slice(&c.stdout).unwrap();
    assert!(doc["metadata"].get("timestamp").is_none());
    // Without: a new serial number each time.
    let e = mlsc(&["sbom", path]);
    let f = mlsc(&["sbom", path]);
    assert_ne!(e.stdout, f.stdout);
}

#[test]
fn sbom_spec_1_7_and_output_file() {
    let tmp = tempfile::tempdir().unwrap();
    model_dir(tmp.path());
    let out = tmp.path().join("bom.json");
    let o = mlsc(&[
        "sbom",
        "--spec",
        "1.7",
        tmp.path().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(doc["specVersion"], "1.7");
    if let Some(v) = schema("1.7") {
        assert!(v.is_valid(&doc));
    }
    let bad = mlsc(&["sbom", "--spec", "1.3", tmp.path().to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn sbom_with_db_has_vulnerabilities() {
    let Some(shared) = shared() else { return };
    let tmp = tempfile::tempdir().unwrap();
    model_dir(tmp.path());
    let db = shared.join("data/osv-pypi/pypi-advisories.jsonl");
    let o = mlsc(&[
        "sbom",
        tmp.path().to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let vulns = doc["vulnerabilities"].as_array().unwrap();
    assert!(
        vulns
            .iter()
            .any(|v| v["affects"][0]["ref"] == "pkg:pypi/pillow@9.0.0")
    );
    if let Some(v) = schema("1.6") {
        let errs: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errs.is_empty(), "{errs:#?}");
    }
    let missing = mlsc(&[
        "sbom",
        tmp.path().to_str().unwrap(),
        "--db",
        "/nonexistent/db",
    ]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn validate_accepts_valid_and_rejects_invalid_examples() {
    let Some(shared) = shared() else { return };
    for version in ["1.6", "1.7"] {
        let dir = shared.join("schemas/cyclonedx/examples").join(version);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let valid: Vec<String> = files
            .iter()
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("valid-")
            })
            .map(|p| p.display().to_string())
            .collect();
        let mut args = vec!["sbom", "validate"];
        args.extend(valid.iter().map(String::as_str));
        let o = mlsc(&args);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stdout)
        );
        for invalid in files.iter().filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("invalid-")
        }) {
            let o = mlsc(&["sbom", "validate", invalid.to_str().unwrap()]);
            assert_eq!(o.status.code(), Some(1), "accepted {}", invalid.display());
        }
    }
}

#[test]
fn validate_output_formats_and_errors() {
    let Some(shared) = shared() else { return };
    let file = shared.join("schemas/cyclonedx/examples/1.6/invalid-hash-alg-1.6.json");
    let o = mlsc(&["sbom", "validate", file.to_str().unwrap()]);
    let stdout =
        String::from_utf8_lossy(&o.stdout).replace(&shared.display().to_string(), "[SHARED]");
    insta::assert_snapshot!(
        "validate_human",
        format!("exit: {:?}\n{stdout}", o.status.code())
    );
    let o = mlsc(&[
        "sbom",
        "validate",
        "--format",
        "sarif",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results[0]["ruleId"], "MLSC-BOM-101");
    let rules: Vec<&str> = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"MLSC-BOM-101"));
    // An unreadable file is an error (2), never "invalid" (1).
    let o = mlsc(&["sbom", "validate", "/nonexistent/bom.json"]);
    assert_eq!(o.status.code(), Some(2));
    // A missing path for `mlsc sbom` is an error too.
    let o = mlsc(&["sbom", "/nonexistent/model"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/model"));
}

#[test]
fn affected_lists_the_boms_that_ship_a_component() {
    let tmp = tempfile::tempdir().unwrap();
    let mut boms = Vec::new();
    for (name, reqs) in [
        ("train", "pillow==9.0.0\n"),
        ("serve", "pillow==10.2.0\n"),
        ("nb", "pillow\n"),
    ] {
        let d = tmp.path().join(name);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("requirements.txt"), reqs).unwrap();
        let out = tmp.path().join(format!("{name}.json"));
        let o = mlsc(&["sbom", d.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0));
        boms.push(out.display().to_string());
    }
    let mut args = vec!["sbom", "affected", "--package", "pillow<10.0.1"];
    args.extend(boms.iter().map(String::as_str));
    let o = mlsc(&args);
    assert_eq!(o.status.code(), Some(1));
    // Relative paths, so that the table's columns do not depend on the temporary folder's name.
    let o = mlsc_in(
        tmp.path(),
        &[
            "sbom",
            "affected",
            "--package",
            "pillow<10.0.1",
            "train.json",
            "serve.json",
            "nb.json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("affected_table", String::from_utf8_lossy(&o.stdout));

    let mut json_args = args.clone();
    json_args.extend(["--format", "json"]);
    let o = mlsc(&json_args);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["affected"].as_array().unwrap().len(), 2);

    // Nothing affected: exit 0.
    let o = mlsc(&["sbom", "affected", "--package", "torch", &boms[0]]);
    assert_eq!(o.status.code(), Some(0));
    // --advisory without --db searches the vulnerabilities the BOM carries: this one carries none.
    let o = mlsc(&["sbom", "affected", "--advisory", "PYSEC-2022-168", &boms[0]]);
    assert_eq!(o.status.code(), Some(0));
    let Some(shared) = shared() else { return };
    let db = shared.join("data/osv-pypi/pypi-advisories.jsonl");
    let o = mlsc(&[
        "sbom",
        "affected",
        "--advisory",
        "PYSEC-2022-168",
        "--db",
        db.to_str().unwrap(),
        &boms[0],
        &boms[1],
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("train.json") && !out.contains("serve.json"),
        "{out}"
    );
    let o = mlsc(&[
        "sbom",
        "affected",
        "--advisory",
        "NOPE-1",
        "--db",
        db.to_str().unwrap(),
        &boms[0],
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn sbom_says_what_it_wrote_and_human_format_is_words() {
    let tmp = tempfile::tempdir().unwrap();
    model_dir(tmp.path());
    let path = tmp.path().to_str().unwrap();
    let out = tmp.path().join("bom.json");
    let o = mlsc(&["sbom", path, "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!(
            "wrote `{}`: CycloneDX 1.6 BOM of `{path}`",
            out.display()
        )),
        "{err}"
    );
    assert!(err.contains("1 machine-learning-model"), "{err}");
    let bom: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let n = bom["components"].as_array().unwrap().len();
    assert!(err.contains(&format!(": {n} component(s)")), "{err}");
    // -q: nothing said.
    let o = mlsc(&["sbom", path, "-q", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("wrote"));
    // `--format human` asks for words, not JSON; without --format the BOM itself is written, as before.
    let o = mlsc(&["sbom", "--format", "human", path]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        serde_json::from_slice::<serde_json::Value>(&o.stdout).is_err(),
        "{text}"
    );
    assert!(text.starts_with("CycloneDX 1.6 BOM of"), "{text}");
    assert!(text.contains("machine-learning-model"), "{text}");
    assert!(text.contains("pillow 9.0.0"), "{text}");
    let o = mlsc(&["sbom", path]);
    assert!(serde_json::from_slice::<serde_json::Value>(&o.stdout).is_ok());
    // A path that is not there says so in those words.
    let o = mlsc(&["sbom", "/nonexistent/model"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no such file or directory: /nonexistent/model"),
        "{err}"
    );
    assert!(!err.contains("resolved metadata"), "{err}");
}

#[test]
fn validate_says_what_it_validated() {
    let tmp = tempfile::tempdir().unwrap();
    model_dir(tmp.path());
    let out = tmp.path().join("bom.json");
    let o = mlsc(&[
        "sbom",
        tmp.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let bom: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    // Nested components (a model's files) count too.
    fn count(doc: &serde_json::Value) -> usize {
        doc["components"]
            .as_array()
            .map_or(0, |cs| cs.iter().map(|c| 1 + count(c)).sum())
    }
    let n = count(&bom);
    assert!(n > bom["components"].as_array().unwrap().len());
    let o = mlsc(&["sbom", "validate", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains(&format!("valid CycloneDX 1.6: {n} component(s)")),
        "{text}"
    );
    assert!(text.contains("1 of 1 file(s) valid"), "{text}");
    assert!(!text.contains("malicious"), "{text}");
}
