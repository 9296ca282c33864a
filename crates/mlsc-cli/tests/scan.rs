//! End-to-end tests of `mlsc scan`: exit codes, human, JSON and SARIF output, on the generated corpus
//! (`tests/gen/gen_containers.py`).

#![allow(clippy::print_stderr)] // skipped cases say why on stderr

use std::path::PathBuf;
use std::process::{Command, Output};

fn corpus(rel: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/scan"
    ))
    .join(rel)
}

fn mlsc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mlsc"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run mlsc")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn path(rel: &str) -> String {
    corpus(rel).display().to_string()
}

/// True when the pickle analyser is the real one: a plain benign pickle scans clean.
fn analyser_is_real() -> bool {
    code(&mlsc(&["scan", &path("benign/raw_p4.bin")])) == 0
}

#[test]
fn exit_codes_follow_the_verdict() {
    assert_eq!(code(&mlsc(&["scan", &path("benign/model.safetensors")])), 0);
    assert_eq!(code(&mlsc(&["scan", &path("benign/chatml.gguf")])), 0);
    assert_eq!(code(&mlsc(&["scan", &path("malicious/ssti_mro.gguf")])), 1);
    assert_eq!(
        code(&mlsc(&["scan", &path("suspicious/overlap.safetensors")])),
        1
    );
    assert_eq!(code(&mlsc(&["scan", &path("inconclusive/bomb.gz")])), 1);
    // Not found: an error (2), never "findings" (1).
    let o = mlsc(&["scan", &path("nope.pt")]);
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stdout).contains("nope.pt"));
    // --fail-on raises the threshold: a medium finding passes at high, a critical one does not.
    assert_eq!(
        code(&mlsc(&[
            "scan",
            "--fail-on",
            "high",
            &path("suspicious/overlap.safetensors")
        ])),
        0
    );
    assert_eq!(
        code(&mlsc(&[
            "scan",
            "--fail-on",
            "critical",
            &path("malicious/ssti_mro.gguf")
        ])),
        1
    );
    // Inconclusive is never clean, whatever the threshold.
    assert_eq!(
        code(&mlsc(&[
            "scan",
            "--fail-on",
            "critical",
            &path("inconclusive/deep.gz")
        ])),
        1
    );
}

#[test]
fn malicious_and_benign_pickles_in_containers() {
    if !analyser_is_real() {
        eprintln!("skipping: the pickle analyser is still the provisional stub");
        return;
    }
    for rel in [
        "malicious/torch_zip.pt",
        "malicious/polyglot.pt",
        "malicious/legacy_tar.pt",
        "malicious/bundle.tar.xz",
        "malicious/object.npy",
    ] {
        assert_eq!(code(&mlsc(&["scan", &path(rel)])), 1, "{rel}");
    }
    let o = mlsc(&["scan", &path("benign")]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn human_output_groups_findings_by_file_and_ends_with_a_summary() {
    let o = mlsc(&[
        "scan",
        &path("malicious/ssti_cycler.gguf"),
        &path("benign/config.json"),
    ]);
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("ssti_cycler.gguf`  gguf  malicious"), "{out}");
    assert!(out.contains("MLSC-GGUF-002"), "{out}");
    assert!(
        out.lines()
            .last()
            .unwrap()
            .starts_with("summary: 2 scanned"),
        "{out}"
    );
    assert!(
        o.stderr.is_empty(),
        "no progress bar when stderr is not a terminal"
    );
}

#[test]
fn json_report_has_artifacts_with_path_verdict_format() {
    let o = mlsc(&[
        "scan",
        "--format",
        "json",
        "--hash",
        &path("benign/model.onnx"),
        &path("malicious/external_traversal.onnx"),
    ]);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["command"], "scan");
    let arts = v["artifacts"].as_array().unwrap();
    assert_eq!(arts.len(), 2);
    assert_eq!(arts[0]["format"], "onnx");
    assert_eq!(arts[0]["verdict"]["assessment"], "clean");
    assert_eq!(arts[1]["verdict"]["assessment"], "malicious");
    assert_eq!(arts[0]["sha256"].as_str().unwrap().len(), 64);
    let f = &v["findings"][0];
    assert_eq!(f["code"], "MLSC-ONNX-001");
    assert!(
        f["location"]["path"]
            .as_str()
            .unwrap()
            .ends_with("external_traversal.onnx")
    );
    assert!(f["location"]["offset"].as_u64().is_some());
}

#[test]
fn sarif_log_names_rules_and_locations() {
    let o = mlsc(&["scan", "--format", "sarif", &path("malicious/lambda.keras")]);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "MLSC-KERAS-001");
    assert_eq!(result["level"], "error");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "MLSC-KERAS-001"));
}

#[test]
fn include_and_exclude_select_files() {
    let o = mlsc(&[
        "scan",
        "--format",
        "json",
        "--include",
        "*.gguf",
        "--exclude",
        "malicious/**",
        "--exclude",
        "suspicious/**",
        &path(""),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let arts = v["artifacts"].as_array().unwrap();
    // Every benign GGUF file and nothing else: count them independently of the scanner.
    let benign_gguf = std::fs::read_dir(path("benign"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "gguf")
        })
        .count();
    assert!(benign_gguf >= 3);
    assert_eq!(arts.len(), benign_gguf, "{arts:#?}");
    assert!(
        arts.iter()
            .all(|a| a["path"].as_str().unwrap().ends_with(".gguf"))
    );
    assert_eq!(code(&o), 0);
}
