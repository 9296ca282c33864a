//! End-to-end tests of `mlsc card lint | score | init`.
#![allow(clippy::print_stderr)] // a skipped test says why

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn mlsc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mlsc"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("MLSC_HUB_DATA")
        .env_remove("MLSC_MCT_SCHEMAS")
        .output()
        .expect("run mlsc")
}

fn shared() -> Option<PathBuf> {
    let p = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if p.join("corpus").is_dir() {
        Some(p.canonicalize().unwrap())
    } else {
        eprintln!("skipping: ../shared/corpus is absent");
        None
    }
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The findings of a lint report with the machine-specific prefix of paths removed, for snapshots.
fn findings_for_snapshot(report: &serde_json::Value, prefix: &str) -> serde_json::Value {
    let text = report["findings"].to_string().replace(prefix, "[SHARED]");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn lint_snapshots_of_real_cards() {
    let Some(shared) = shared() else { return };
    let hub = shared.join("data/hf-hub");
    let prefix = shared.display().to_string();
    for (name, file) in [
        (
            "masakhane",
            "corpus/model-cards/saranscript__huggingface-models__models--chrisjay--masakhane_benchmarks--README.md",
        ),
        (
            "norbert2",
            "corpus/model-cards/saranscript__huggingface-models__models--ltgoslo--norbert2--README.md",
        ),
        (
            "gpt2_eli5_tab",
            "corpus/model-cards/saranscript__huggingface-models__models--Madhour--gpt2-eli5--README.md",
        ),
        (
            "glue_dataset",
            "corpus/dataset-cards/huggingface__datasets__datasets--glue--README.md",
        ),
        ("croissant_titanic", "corpus/croissant/1.0__titanic.json"),
    ] {
        let path = shared.join(file);
        let out = mlsc(&[
            "card",
            "lint",
            "--format",
            "json",
            "--hub-data",
            hub.to_str().unwrap(),
            path.to_str().unwrap(),
        ]);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report = json(&out);
        assert_eq!(report["command"], "card");
        assert_eq!(report["artifacts"].as_array().unwrap().len(), 1);
        insta::assert_json_snapshot!(
            format!("lint_{name}"),
            findings_for_snapshot(&report, &prefix)
        );
    }
}

#[test]
fn metadata_not_a_mapping_is_card_001_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let card = dir.path().join("README.md");
    fs_err::write(&card, "---\n- just\n- a list\n---\n# Model\n").unwrap();
    let out = mlsc(&["card", "lint", "--format", "json", card.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "MLSC-CARD-001")
        .expect("MLSC-CARD-001");
    assert_eq!(f["severity"], "high");
    assert_eq!(f["location"]["line"], 2);
    // Directory input finds the README.
    let out = mlsc(&[
        "card",
        "lint",
        "--format",
        "json",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(
        json(&out)["artifacts"][0]["path"],
        card.display().to_string()
    );
}

#[test]
fn exit_statuses() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.md");
    fs_err::write(&good, "---\nlicense: mit\n---\n# M\n").unwrap();
    // Only low/info findings: clean at the default threshold, findings at --fail-on low.
    assert_eq!(
        mlsc(&["card", "lint", good.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        mlsc(&["card", "lint", "--fail-on", "low", good.to_str().unwrap()])
            .status
            .code(),
        Some(1)
    );
    // A missing file is an error (2), never "findings".
    let missing = dir.path().join("missing.md");
    let out = mlsc(&[
        "card",
        "lint",
        "--format",
        "json",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!json(&out)["errors"].as_array().unwrap().is_empty());
    // A bad --hub-data directory is a usage error.
    assert_eq!(
        mlsc(&[
            "card",
            "lint",
            "--hub-data",
            missing.to_str().unwrap(),
            good.to_str().unwrap()
        ])
        .status
        .code(),
        Some(2)
    );
    // SARIF renders with our rules.
    let out = mlsc(&[
        "card",
        "lint",
        "--format",
        "sarif",
        "--fail-on",
        "critical",
        good.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let sarif = json(&out);
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn score_and_min_score() {
    let dir = tempfile::tempdir().unwrap();
    let card = dir.path().join("README.md");
    fs_err::write(
        &card,
        "---\nlicense: mit\nlanguage: en\n---\n# M\n\n## Uses\n\n[More Information Needed]\n",
    )
    .unwrap();
    let out = mlsc(&["card", "score", "--format", "json", card.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let doc = json(&out);
    let s = &doc["scores"][0];
    let score = s["score"].as_u64().unwrap();
    assert!(score > 0 && score < 30, "{s}");
    assert!(
        s["missing"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "intended-use: intended (direct) use")
    );
    assert_eq!(
        mlsc(&["card", "score", "--min-score", "90", card.to_str().unwrap()])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        mlsc(&[
            "card",
            "score",
            "--min-score",
            &score.to_string(),
            card.to_str().unwrap()
        ])
        .status
        .code(),
        Some(0)
    );
    let human = mlsc(&["card", "score", card.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&human.stdout).contains("missing:"));
}

#[test]
fn init_model_and_dataset() {
    let dir = tempfile::tempdir().unwrap();
    fs_err::write(
        dir.path().join("config.json"),
        r#"{"model_type": "gpt2", "n_layer": 12, "transformers_version": "4.40.0"}"#,
    )
    .unwrap();
    fs_err::write(
        dir.path().join("model.safetensors"),
        b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ",
    )
    .unwrap();
    let out = mlsc(&["card", "init", "--model", dir.path().to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("| `model.safetensors` |"), "{text}");
    assert!(text.contains("# GAP: no licence file"));
    // The skeleton lints: its gaps are placeholders and the licence is missing.
    let card = dir.path().join("README.md");
    fs_err::write(&card, &text).unwrap();
    let report = json(&mlsc(&[
        "card",
        "lint",
        "--format",
        "json",
        card.to_str().unwrap(),
    ]));
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"MLSC-CARD-017"), "{codes:?}");
    assert!(codes.contains(&"MLSC-CARD-101"), "{codes:?}");
    assert!(!codes.contains(&"MLSC-CARD-002"), "{codes:?}");
    let out = mlsc(&["card", "init", "--dataset", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("# Dataset Card for"));
    // Neither or both flags: usage error.
    assert_eq!(mlsc(&["card", "init"]).status.code(), Some(2));
}

#[test]
fn whole_corpus_in_one_run() {
    let Some(shared) = shared() else { return };
    let mut args: Vec<String> = vec![
        "card".into(),
        "lint".into(),
        "--format".into(),
        "json".into(),
    ];
    for dir in ["model-cards", "dataset-cards", "croissant"] {
        for e in fs_err::read_dir(shared.join("corpus").join(dir)).unwrap() {
            args.push(e.unwrap().path().display().to_string());
        }
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = mlsc(&refs);
    // Findings at medium or more in several cards: exit 1; and one unreadable UTF-16 card.
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["artifacts"].as_array().unwrap().len(), 89);
    assert!(report["errors"].as_array().unwrap().is_empty());
    let count = |code: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code)
            .count()
    };
    assert_eq!(count("MLSC-CARD-004"), 1, "one UTF-16 card");
    assert_eq!(
        count("MLSC-CARD-001"),
        2,
        "two cards whose metadata is not a mapping"
    );
    assert_eq!(
        count("MLSC-CARD-007"),
        7,
        "the seven model-index errors huggingface_hub raises"
    );
}

#[test]
fn init_never_destroys_an_existing_card_and_merges_what_it_states() {
    let dir = tempfile::tempdir().unwrap();
    fs_err::write(
        dir.path().join("config.json"),
        r#"{"model_type": "bert", "transformers_version": "4.40.0"}"#,
    )
    .unwrap();
    let card = dir.path().join("README.md");
    let hand_written = "---\nlicense: cc-by-4.0\nlanguage:\n- sw\n- yo\npipeline_tag: fill-mask\n---\n\n# My model\n\nHand-written.\n";
    fs_err::write(&card, hand_written).unwrap();
    let d = dir.path().to_str().unwrap();
    let c = card.to_str().unwrap();
    // Without --force: refused, exit 2, the file untouched.
    let out = mlsc(&["card", "init", "--model", d, "-o", c]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--force") && err.contains(c), "{err}");
    assert_eq!(fs_err::read_to_string(&card).unwrap(), hand_written);
    // With --force: the skeleton, with what the card stated kept.
    let out = mlsc(&["card", "init", "--model", d, "-o", c, "--force"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let merged = fs_err::read_to_string(&card).unwrap();
    assert!(merged.contains("# Model Card for"), "{merged}");
    let report = json(&mlsc(&["card", "lint", "--format", "json", c]));
    assert!(merged.contains("license: \"cc-by-4.0\""), "{merged}");
    assert!(merged.contains("language:\n- \"sw\"\n- \"yo\""), "{merged}");
    assert!(merged.contains("pipeline_tag: \"fill-mask\""), "{merged}");
    assert!(
        merged.contains("library_name: \"transformers\""),
        "{merged}"
    );
    assert!(merged.contains("cc-by-4.0 (stated by the existing card)"));
    // The merged front matter is valid YAML.
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(!codes.contains(&"MLSC-CARD-002"), "{codes:?}");
    // A card whose front matter does not parse is not replaced, even with --force.
    fs_err::write(&card, "---\nlicense: [\n---\nbody\n").unwrap();
    let out = mlsc(&["card", "init", "--model", d, "-o", c, "--force"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        fs_err::read_to_string(&card).unwrap(),
        "---\nlicense: [\n---\nbody\n"
    );
}

#[test]
fn init_refuses_formats_it_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = mlsc(&["card", "init", "--model", d, "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("human or markdown"), "{err}");
    assert!(out.stdout.is_empty());
    let out = mlsc(&["card", "init", "--model", d, "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn lint_human_counts_findings_instead_of_saying_clean() {
    let dir = tempfile::tempdir().unwrap();
    let card = dir.path().join("README.md");
    fs_err::write(&card, "---\nlicense: mit\n---\n# Model\n\nSome words.\n").unwrap();
    let c = card.to_str().unwrap();
    let report = json(&mlsc(&["card", "lint", "--format", "json", c]));
    let n = report["findings"].as_array().unwrap().len();
    assert!(n > 1, "the test card should have findings: {report}");
    let out = mlsc(&["card", "lint", c]);
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next().unwrap();
    assert!(first.ends_with(&format!("{n} findings")), "{text}");
    assert!(!text.contains("clean"), "{text}");
    assert!(
        text.contains(&format!("summary: 1 card linted, {n} findings")),
        "{text}"
    );
}
