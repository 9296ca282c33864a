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

/// The CycloneDX 1.6 schema from `../shared`, as the local BOM tests load it; `None` (the test says it skips the
/// schema check) when `../shared` is absent.
fn cyclonedx_schema() -> Option<jsonschema::Validator> {
    let dir = std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/schemas/cyclonedx"
    ));
    if !dir.is_dir() {
        eprintln!("../shared is absent: the BOM is not checked against the CycloneDX schema");
        return None;
    }
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
    Some(opts.build(&read(&dir.join("bom-1.6.schema.json"))).unwrap())
}

fn bom_files(bom: &serde_json::Value) -> Vec<serde_json::Value> {
    bom["components"][0]["components"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn prop<'v>(c: &'v serde_json::Value, name: &str) -> Option<&'v str> {
    c["properties"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == name)?
        .get("value")?
        .as_str()
}

#[test]
fn sbom_of_a_hub_model_comes_from_the_listing_without_the_weights() {
    let card =
        b"---\nlicense: mit\ndatasets: [org/data]\nbase_model: org/base\n---\n# model\n".to_vec();
    let small = vec![
        RepoFile::bytes("README.md", card, false),
        RepoFile::bytes("config.json", fixture("benign/config.json"), false),
        RepoFile::bytes(
            "model.safetensors",
            fixture("benign/model.safetensors"),
            true,
        ),
    ];
    let mut big = small.clone();
    big.push(RepoFile::sparse("pytorch_model.bin", ckpt()));
    let hub = Emulator::start(
        vec![
            Repo::model("org/small", small.clone()),
            Repo::model("org/model", big),
        ],
        1000,
        None,
    );
    let home = tempfile::tempdir().unwrap();
    let schema = cyclonedx_schema();

    // The repository with a 1 GiB checkpoint: described from its listing and small files only.
    let sha = hub.repo("models/org/model").sha;
    let o = mlsc(
        &hub.url,
        None,
        home.path(),
        &["sbom", "--deterministic", "hf://org/model@main"],
        None,
    );
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let bom: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    if let Some(s) = &schema {
        let errors: Vec<String> = s.iter_errors(&bom).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    let model = &bom["components"][0];
    assert_eq!(model["type"], "machine-learning-model");
    assert_eq!(model["name"], "model");
    assert_eq!(model["group"], "org");
    assert_eq!(model["version"], sha.as_str());
    assert_eq!(
        model["purl"],
        format!("pkg:huggingface/org/model@{sha}").as_str()
    );
    // The card's licence and datasets are in the BOM: README.md was read.
    assert!(model["licenses"].to_string().contains("MIT"), "{model}");
    assert!(bom.to_string().contains("dataset:org/data"));
    let files = bom_files(&bom);
    assert_eq!(files.len(), 4);
    let listed = hub.repo("models/org/model");
    for f in &listed.files {
        let c = files
            .iter()
            .find(|c| c["name"] == f.path.as_str())
            .unwrap_or_else(|| panic!("{} in {files:#?}", f.path));
        // Every hash is the Hub's: the LFS SHA-256 as listed for LFS files (never recomputed: the checkpoint's is
        // the emulator's stand-in digest), the bytes' SHA-256 for the small files that were read.
        assert_eq!(c["hashes"][0]["content"], f.sha256.as_str(), "{}", f.path);
        assert_eq!(
            prop(c, "mlsc:hf:lfs-sha256"),
            f.lfs.then_some("listed"),
            "{}",
            f.path
        );
        assert_eq!(
            prop(c, "mlsc:file:size"),
            Some(f.content.len().to_string().as_str())
        );
        // No scan without --scan.
        assert_eq!(prop(c, "mlsc:scan:verdict"), None);
    }
    // Bytes served: the small files, nothing of the weights.
    let small_bytes: u64 = listed
        .files
        .iter()
        .filter(|f| !f.lfs)
        .map(|f| f.content.len())
        .sum();
    assert_eq!(hub.file_bytes(), small_bytes);
    assert!(hub.file_bytes() < 10_000, "{}", hub.file_bytes());

    // --scan adds the verdicts from the range-read scan, still under a megabyte.
    hub.reset();
    let o = mlsc(
        &hub.url,
        None,
        home.path(),
        &["sbom", "--scan", "hf://org/model@main"],
        None,
    );
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let bom: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    if let Some(s) = &schema {
        let errors: Vec<String> = s.iter_errors(&bom).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    let files = bom_files(&bom);
    let ck = files
        .iter()
        .find(|c| c["name"] == "pytorch_model.bin")
        .unwrap();
    assert_eq!(prop(ck, "mlsc:scan:assessment"), Some("malicious"));
    let st = files
        .iter()
        .find(|c| c["name"] == "model.safetensors")
        .unwrap();
    assert_eq!(prop(st, "mlsc:scan:verdict"), Some("clean"));
    assert_eq!(
        prop(&bom["components"][0], "mlsc:scan:assessment"),
        Some("malicious")
    );
    eprintln!(
        "mlsc sbom --scan hf://org/model@main: {} bytes of file content served",
        hub.file_bytes()
    );
    assert!(hub.file_bytes() < 1_000_000, "{}", hub.file_bytes());

    // The same files on disk make the same directory hash: the remote BOM hashes what a download would hold.
    let dir = tempfile::tempdir().unwrap();
    for f in &small {
        std::fs::write(
            dir.path().join(&f.path),
            f.content.read(0, f.content.len() as usize),
        )
        .unwrap();
    }
    let local = Command::new(env!("CARGO_BIN_EXE_mlsc"))
        .args(["sbom", "--no-scan"])
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(code(&local), 0);
    let local: serde_json::Value = serde_json::from_slice(&local.stdout).unwrap();
    let o = mlsc(
        &hub.url,
        None,
        home.path(),
        &["sbom", "hf://org/small"],
        None,
    );
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let remote: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let hash = |b: &serde_json::Value| b["components"][0]["hashes"][0]["content"].clone();
    assert!(hash(&local).is_string());
    assert_eq!(hash(&local), hash(&remote));

    // Not a model repository: a usage error, not a BOM.
    let o = mlsc(
        &hub.url,
        None,
        home.path(),
        &["sbom", "hf://datasets/org/data"],
        None,
    );
    assert_eq!(code(&o), 2);
}

#[test]
fn a_remote_repository_that_runs_its_own_code_is_not_clean() {
    // auto_map points at a module of the repository and at another repository's: the check of local directories
    // runs on the fetched small files.
    let config = br#"{"architectures": ["MyModel"], "model_type": "custom",
        "auto_map": {"AutoConfig": "configuration_my.MyConfig", "AutoModel": "other/repo--modeling_other.MyModel"}}"#;
    let repo = Repo::model(
        "org/custom",
        vec![
            RepoFile::bytes("config.json", config.to_vec(), false),
            RepoFile::bytes(
                "configuration_my.py",
                b"class MyConfig:\n    model_type = 'custom'\n".to_vec(),
                false,
            ),
            RepoFile::bytes(
                "model.safetensors",
                fixture("benign/model.safetensors"),
                true,
            ),
        ],
    );
    let hub = Emulator::start(vec![repo], 1000, None);
    let home = tempfile::tempdir().unwrap();
    let sha = hub.repo("models/org/custom").sha;
    let o = mlsc(
        &hub.url,
        None,
        home.path(),
        &["scan", "--format", "jsonl", "hf://org/custom"],
        None,
    );
    let lines = sorted_lines(&o);
    assert_eq!(code(&o), 1, "{lines:#?}");
    let config_uri = format!("hf://org/custom@{sha}/config.json");
    let rec = lines
        .iter()
        .find(|r| r["uri"] == config_uri.as_str())
        .unwrap();
    let codes: Vec<&str> = rec["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"MLSC-CODE-013"), "{rec}");
    assert!(codes.contains(&"MLSC-CODE-012"), "{rec}");
    assert_eq!(rec["verdict"]["assessment"], "malicious", "{rec}");
    // The same check as on a local copy.
    let dir = tempfile::tempdir().unwrap();
    for f in &hub.repo("models/org/custom").files {
        std::fs::write(
            dir.path().join(&f.path),
            f.content.read(0, f.content.len() as usize),
        )
        .unwrap();
    }
    let local = mlsc_pickle::scan_paths(&[dir.path().to_path_buf()], &Default::default());
    let mut local_codes: Vec<String> = local
        .findings
        .iter()
        .filter(|f| f.location.path.ends_with("config.json"))
        .map(|f| f.code.clone())
        .collect();
    local_codes.sort();
    let mut remote_codes: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
    remote_codes.sort();
    assert_eq!(local_codes, remote_codes);
    // A re-run with the cache reads no file bytes and still reports the repository's code.
    let cache = tempfile::tempdir().unwrap();
    let args = [
        "scan",
        "--format",
        "jsonl",
        "--cache",
        cache.path().to_str().unwrap(),
        "hf://org/custom",
    ];
    let first = sorted_lines(&mlsc(&hub.url, None, home.path(), &args, None));
    hub.reset();
    let o = mlsc(&hub.url, None, home.path(), &args, None);
    assert_eq!(code(&o), 1);
    assert_eq!(hub.file_bytes(), 0);
    let strip = |v: Vec<serde_json::Value>| {
        v.into_iter()
            .map(|mut r| {
                r["cached"] = serde_json::Value::Null;
                r["bytes_read"] = serde_json::Value::Null;
                r
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(first), strip(sorted_lines(&o)));
}

/// The peers' remote modes against the same emulator (the issue's comparison), run by `benches/remote_peers.sh`:
/// a registry of 50 repositories (PyTorch zips of 8 to 48 MiB, raw pickles, safetensors, each with a card and a
/// config), scanned by `mlsc scan --from`, by picklescan's `--huggingface` mode and by ModelAudit's `hf://` mode.
/// Prints repositories per second and bytes served per repository for each, and the ratios. The checkpoints are
/// smaller than the 1,000-repository benchmark's because the peers download whole files and the emulator
/// materialises what it serves whole (up to 64 MiB). Needs `MLSC_PEERS_VENV` (a venv with picklescan and
/// modelaudit); each peer that fails to run is reported, not hidden.
#[test]
#[ignore = "a benchmark against the peers: needs MLSC_PEERS_VENV, a few minutes"]
fn bench_remote_peers() {
    let Some(venv) = std::env::var_os("MLSC_PEERS_VENV").map(std::path::PathBuf::from) else {
        eprintln!("MLSC_PEERS_VENV is not set: nothing to compare with");
        return;
    };
    let n = 50usize;
    let zips: Vec<emulator::Sparse> = [8u64 << 20, 16 << 20, 32 << 20, 48 << 20]
        .iter()
        .enumerate()
        .map(|(i, &size)| {
            let src = if i % 2 == 0 {
                "malicious/torch_zip.pt"
            } else {
                "benign/torch_zip.pt"
            };
            torch_zip(&members(&fixture(src)), size)
        })
        .collect();
    let mut repos = Vec::new();
    let mut weights = 0u64;
    let mut malicious = 0usize;
    for i in 0..n {
        let mut files = vec![
            RepoFile::bytes(
                "README.md",
                format!("---\nlicense: mit\n---\n# repo {i}\n").into_bytes(),
                false,
            ),
            RepoFile::bytes(
                "config.json",
                format!("{{\"model_type\": \"bench\", \"i\": {i}}}").into_bytes(),
                false,
            ),
        ];
        let model = match i % 4 {
            0 | 2 => {
                let z = (i / 2) % zips.len();
                if z.is_multiple_of(2) {
                    malicious += 1;
                }
                RepoFile::sparse("pytorch_model.bin", zips[z].clone())
            }
            1 => RepoFile::bytes(
                "model.safetensors",
                fixture("benign/model.safetensors"),
                true,
            ),
            _ => {
                malicious += 1;
                RepoFile::bytes("model.pkl", fixture("malicious/raw_p4.bin"), true)
            }
        };
        weights += model.content.len();
        files.push(model);
        repos.push(Repo::model(&format!("bench/repo-{i:02}"), files));
    }
    let ids: Vec<String> = (0..n).map(|i| format!("bench/repo-{i:02}")).collect();
    let hub = Emulator::start(repos, 1000, None);
    let home = tempfile::tempdir().unwrap();
    let list: String = ids.iter().map(|id| format!("hf://{id}\n")).collect();
    eprintln!(
        "registry: {n} repositories, {malicious} with a malicious model, {:.1} MiB of weights",
        weights as f64 / (1 << 20) as f64
    );

    struct Run {
        name: &'static str,
        secs: f64,
        bytes: u64,
        requests: u64,
        status: String,
    }
    let mut runs = Vec::new();
    let mut measure = |name: &'static str, cmd: &mut Command| {
        hub.reset();
        let start = std::time::Instant::now();
        let o = cmd.output();
        let secs = start.elapsed().as_secs_f64();
        let status = match &o {
            Ok(o) => {
                let out = String::from_utf8_lossy(&o.stdout);
                let err = String::from_utf8_lossy(&o.stderr);
                let last: String = out
                    .lines()
                    .chain(err.lines())
                    .next_back()
                    .unwrap_or_default()
                    .chars()
                    .take(100)
                    .collect();
                format!("exit {:?}; last line: {last}", o.status.code())
            }
            Err(e) => format!("did not run: {e}"),
        };
        runs.push(Run {
            name,
            secs,
            bytes: hub.file_bytes(),
            requests: hub
                .counters()
                .requests
                .load(std::sync::atomic::Ordering::Relaxed),
            status,
        });
    };

    let list_file = home.path().join("repos.txt");
    std::fs::write(&list_file, &list).unwrap();
    let mut mlsc_cmd = Command::new(env!("CARGO_BIN_EXE_mlsc"));
    mlsc_cmd
        .args(["scan", "--format", "jsonl", "--jobs", "8", "--from"])
        .arg(&list_file)
        .env("HF_ENDPOINT", &hub.url)
        .env("HF_HOME", home.path())
        .env_remove("HF_TOKEN");
    measure("mlsc", &mut mlsc_cmd);

    // picklescan's --huggingface mode has https://huggingface.co written in (no HF_ENDPOINT) and speaks HTTPS
    // only: the wrapper redirects its one HTTP function to the emulator and changes nothing else, so what it asks
    // (the model info, then every pickle-like file whole, from `main`) is what it would ask of the Hub.
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../benches/remote_peers_picklescan.py"
    );
    let mut ps = Command::new(venv.join("bin/python"));
    ps.arg(script).arg(&hub.url).args(&ids);
    measure("picklescan", &mut ps);

    // ModelAudit honours HF_ENDPOINT through huggingface_hub; one process for every repository.
    let cache = tempfile::tempdir().unwrap();
    let mut ma = Command::new(venv.join("bin/modelaudit"));
    ma.arg("scan")
        .args(["--format", "json", "--no-cache"])
        .args(ids.iter().map(|id| format!("hf://{id}")))
        .env("HF_ENDPOINT", &hub.url)
        .env("HF_HOME", cache.path())
        .env("PROMPTFOO_DISABLE_TELEMETRY", "1")
        .env("HF_HUB_DISABLE_TELEMETRY", "1")
        .env_remove("HF_TOKEN");
    measure("modelaudit", &mut ma);

    let base = runs[0].secs.max(1e-9);
    let base_bytes = runs[0].bytes.max(1) as f64;
    for r in &runs {
        eprintln!(
            "{:<11} {:>7.2} s  {:>7.1} repos/s  {:>12} bytes served ({:>9.1} KiB/repo)  {:>5} requests  \
             time x{:.1}  bytes x{:.1}  [{}]",
            r.name,
            r.secs,
            n as f64 / r.secs,
            r.bytes,
            r.bytes as f64 / n as f64 / 1024.0,
            r.requests,
            r.secs / base,
            r.bytes as f64 / base_bytes,
            r.status
        );
    }
    assert!(runs[0].bytes < weights / 10);
}
