//! `mlsc scan hf://…` end to end against the local Hub emulator (127.0.0.1, random ports): verdicts and exit
//! codes, bytes read, JSON lines, shards run as separate processes, the result cache, errors and tokens.

#![allow(clippy::print_stderr)] // figures for the report

#[path = "../../mlsc-remote/tests/emulator/mod.rs"]
mod emulator;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use emulator::{Emulator, Repo, RepoFile, corpus, members, torch_zip};

const GIB: u64 = 1 << 30;

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(corpus(rel)).unwrap()
}

/// `mlsc` with the Hub pointed at `endpoint`, no token unless given, no token file (HF_HOME is empty).
fn mlsc(
    endpoint: &str,
    token: Option<&str>,
    home: &Path,
    args: &[&str],
    stdin: Option<&str>,
) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mlsc"));
    cmd.args(args)
        .env("NO_COLOR", "1")
        .env("HF_ENDPOINT", endpoint)
        .env("HF_HOME", home)
        .env_remove("HF_TOKEN")
        .env_remove("HUGGING_FACE_HUB_TOKEN")
        .env_remove("HF_TOKEN_PATH")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(t) = token {
        cmd.env("HF_TOKEN", t);
    }
    let mut child = cmd.spawn().expect("run mlsc");
    if let Some(text) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn ckpt() -> emulator::Sparse {
    static CKPT: std::sync::OnceLock<emulator::Sparse> = std::sync::OnceLock::new();
    CKPT.get_or_init(|| torch_zip(&members(&fixture("malicious/torch_zip.pt")), GIB))
        .clone()
}

fn model_repo(id: &str) -> Repo {
    Repo::model(
        id,
        vec![
            RepoFile::bytes("config.json", fixture("benign/config.json"), false),
            RepoFile::bytes(
                "model.safetensors",
                fixture("benign/model.safetensors"),
                true,
            ),
            RepoFile::sparse("pytorch_model.bin", ckpt()),
        ],
    )
}

#[test]
fn a_hub_repo_with_a_gigabyte_checkpoint_fails_from_under_a_megabyte() {
    let hub = Emulator::start(vec![model_repo("org/model")], 1000, None);
    let home = tempfile::tempdir().unwrap();
    let sha = hub.repo("models/org/model").sha;
    let o = mlsc(
        &hub.url,
        None,
        home.path(),
        &["scan", "hf://org/model@main"],
        None,
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(code(&o), 1, "{out}\n{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.contains(&format!(
            "`hf://org/model@{sha}/pytorch_model.bin`  zip  malicious"
        )),
        "{out}"
    );
    assert!(out.contains("MLSC-PKL-001"), "{out}");
    let served = hub.file_bytes();
    eprintln!("mlsc scan hf://org/model@main: {served} bytes of file content served\n{out}");
    assert!(served <= 1_000_000, "{served}");
    // The summary states what was read against what is in the repository.
    let total = 1 + GIB; // at least
    let summary = out.lines().find(|l| l.starts_with("summary:")).unwrap();
    let read: u64 = summary
        .split("; read ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{summary}"));
    assert_eq!(read, served, "{summary}");
    assert!(
        summary.contains(" bytes") && summary.contains(" of "),
        "{summary}"
    );
    let of: u64 = summary
        .split(" of ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(of >= total, "{summary}");
    assert!(out.contains("remote: 1 input(s)"), "{out}");

    // The JSON report validates against the schema and carries the counts.
    let o = mlsc(
        &hub.url,
        None,
        home.path(),
        &["scan", "--format", "json", "hf://org/model"],
        None,
    );
    assert_eq!(code(&o), 1);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../schemas/report.schema.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert!(json["statistics"]["input_bytes"].as_u64().unwrap() > GIB);
    assert!(json["statistics"]["bytes_read"].as_u64().unwrap() < 1_000_000);
    assert!(
        json["artifacts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["bytes_read"].is_u64())
    );
}

fn registry() -> Vec<Repo> {
    let mut repos = vec![model_repo("org/model"), model_repo("org/model-copy")];
    for (i, rel) in [
        "benign/model.safetensors",
        "malicious/raw_p4.bin",
        "benign/llama3.gguf",
        "malicious/ssti_mro.gguf",
        "benign/torch_zip.pt",
        "malicious/legacy.pt",
        "suspicious/overlap.safetensors",
        "benign/float.npy",
    ]
    .iter()
    .enumerate()
    {
        let name = Path::new(rel).file_name().unwrap().to_str().unwrap();
        repos.push(Repo::model(
            &format!("fake/repo-{i}"),
            vec![
                RepoFile::bytes("README.md", format!("# repo {i}\n").into_bytes(), false),
                RepoFile::bytes(name, fixture(rel), true),
            ],
        ));
    }
    repos
}

fn sorted_lines(o: &Output) -> Vec<serde_json::Value> {
    let mut v: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    v.sort_by_key(|r| r["uri"].as_str().unwrap().to_owned());
    v
}

#[test]
fn shards_in_separate_processes_merge_to_a_single_run_and_the_cache_skips_everything() {
    let repos = registry();
    let mut list: Vec<String> = repos
        .iter()
        .map(|r| format!("hf://{}", r.key.trim_start_matches("models/")))
        .collect();
    list.push("hf://org/missing".into());
    let list = format!("# a registry\n{}\n", list.join("\n"));
    let hub = Emulator::start(repos, 2, None);
    let home = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("list.txt");
    std::fs::write(&file, &list).unwrap();

    let single = mlsc(
        &hub.url,
        None,
        home.path(),
        &[
            "scan",
            "--format",
            "jsonl",
            "--from",
            file.to_str().unwrap(),
        ],
        None,
    );
    // A malicious artefact and an unknown repository: the error wins (2), as for a missing local file.
    assert_eq!(
        code(&single),
        2,
        "{}",
        String::from_utf8_lossy(&single.stderr)
    );
    let all = sorted_lines(&single);
    assert_eq!(all.len(), 3 + 3 + 8 * 2 + 1, "{all:#?}");
    let missing = all
        .iter()
        .find(|r| r["input"] == "hf://org/missing")
        .unwrap();
    assert_eq!(missing["verdict"]["completeness"], "error");
    assert!(
        all.iter()
            .any(|r| r["verdict"]["assessment"] == "malicious")
    );
    let with_sha = all
        .iter()
        .find(|r| r["uri"].as_str().unwrap().ends_with("raw_p4.bin"))
        .unwrap();
    assert_eq!(with_sha["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(with_sha["revision"].as_str().unwrap().len(), 40);

    // Three shards, three processes, the list on standard input.
    let mut merged = Vec::new();
    let mut counts = Vec::new();
    for i in 0..3 {
        let shard = format!("{i}/3");
        let o = mlsc(
            &hub.url,
            None,
            home.path(),
            &[
                "scan", "--format", "jsonl", "--from", "-", "--shard", &shard,
            ],
            Some(&list),
        );
        assert!([0, 1, 2].contains(&code(&o)));
        let lines = sorted_lines(&o);
        counts.push(lines.len());
        merged.extend(lines);
    }
    merged.sort_by_key(|r| r["uri"].as_str().unwrap().to_owned());
    assert_eq!(merged, all, "shards {counts:?}");
    assert!(
        counts.iter().filter(|&&c| c > 0).count() >= 2,
        "the hash spreads: {counts:?}"
    );

    // With a cache: the first run fills it, the second reads no file bytes and says how many it skipped.
    let cache = dir.path().join("cache");
    let cache = cache.to_str().unwrap();
    let o = mlsc(
        &hub.url,
        None,
        home.path(),
        &["scan", "--cache", cache, "--from", file.to_str().unwrap()],
        None,
    );
    assert_eq!(code(&o), 2);
    hub.reset();
    let o = mlsc(
        &hub.url,
        None,
        home.path(),
        &["scan", "--cache", cache, "--from", file.to_str().unwrap()],
        None,
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(hub.file_bytes(), 0, "{out}");
    assert!(
        out.contains(&format!("{} unchanged artefact(s) skipped", all.len() - 1)),
        "{out}"
    );
    let o = mlsc(
        &hub.url,
        None,
        home.path(),
        &[
            "scan",
            "--cache",
            cache,
            "--format",
            "jsonl",
            "--from",
            file.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(hub.file_bytes(), 0);
    let again = sorted_lines(&o);
    let strip = |v: &[serde_json::Value]| -> Vec<serde_json::Value> {
        v.iter()
            .map(|r| {
                let mut r = r.clone();
                r["bytes_read"] = 0.into();
                r["cached"] = false.into();
                r
            })
            .collect()
    };
    assert_eq!(strip(&again), strip(&all));
}

#[test]
fn an_unreachable_hub_is_an_error_and_a_token_is_never_printed() {
    let home = tempfile::tempdir().unwrap();
    // Port 9 on 127.0.0.1 (discard): nothing listens there in tests; connection refused.
    for format in ["human", "json", "jsonl"] {
        let o = mlsc(
            "http://127.0.0.1:9",
            Some("hf_very_secret_token"),
            home.path(),
            &[
                "scan",
                "--retries",
                "1",
                "--format",
                format,
                "hf://org/model",
            ],
            None,
        );
        assert_eq!(code(&o), 2, "{format}");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!all.contains("hf_very_secret_token"), "{all}");
        assert!(all.contains("127.0.0.1:9"), "{all}");
        assert!(
            !all.contains("\"clean\"") || all.contains("\"error\""),
            "{all}"
        );
    }
    // A bad location is a usage error naming it.
    let o = mlsc(
        "http://127.0.0.1:9",
        None,
        home.path(),
        &["scan", "hf://only-one-part"],
        None,
    );
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stdout).contains("only-one-part"));
}
