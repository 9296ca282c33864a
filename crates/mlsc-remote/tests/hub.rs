//! mlsc-remote against a local Hub emulator (127.0.0.1, random ports): verdicts, byte counts, pinning, tokens,
//! pagination, retries, refused objects and the result cache.

#![allow(clippy::print_stderr)] // figures for the report

mod emulator;

use std::sync::atomic::Ordering;
use std::time::Duration;

use emulator::{Emulator, Repo, RepoFile, corpus, members, torch_zip};
use mlsc_core::{Assessment, Completeness};
use mlsc_remote::{ArtifactRecord, BulkOptions, Remote, RemoteOptions, ResultCache, scan_inputs};

const GIB: u64 = 1 << 30;

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(corpus(rel)).unwrap()
}

fn remote(hub: &Emulator, token: Option<&str>) -> Remote {
    let mut o = RemoteOptions::default();
    o.hf_endpoint = hub.url.clone();
    o.hf_token = token.map(str::to_owned);
    o.http.backoff_base = Duration::from_millis(10);
    o.http.backoff_max = Duration::from_millis(40);
    o.http.timeout = Duration::from_secs(20);
    Remote::new(o)
}

/// The "done" repository: a 1 GiB malicious checkpoint (torch's own members, storage grown with zeros), a
/// safetensors file, a config and a card.
fn model_repo() -> Repo {
    // Built once: writing the gigabyte through the zip crate's CRC takes about a second.
    static CKPT: std::sync::OnceLock<emulator::Sparse> = std::sync::OnceLock::new();
    let ckpt = CKPT
        .get_or_init(|| torch_zip(&members(&fixture("malicious/torch_zip.pt")), GIB))
        .clone();
    assert!(ckpt.len > GIB);
    Repo::model(
        "org/model",
        vec![
            RepoFile::bytes(
                ".gitattributes",
                b"*.bin filter=lfs diff=lfs merge=lfs -text\n".to_vec(),
                false,
            ),
            RepoFile::bytes(
                "README.md",
                b"---\nlicense: mit\n---\n# model\n".to_vec(),
                false,
            ),
            RepoFile::bytes("config.json", fixture("benign/config.json"), false),
            RepoFile::bytes(
                "model.safetensors",
                fixture("benign/model.safetensors"),
                true,
            ),
            RepoFile::sparse("pytorch_model.bin", ckpt),
        ],
    )
}

fn run(
    remote: &Remote,
    inputs: &[&str],
    opts: &BulkOptions,
) -> (mlsc_remote::BulkOutcome, Vec<ArtifactRecord>) {
    let seen = std::sync::Mutex::new(Vec::new());
    let inputs: Vec<String> = inputs.iter().map(|s| s.to_string()).collect();
    let out = scan_inputs(remote, &inputs, opts, &|r| {
        seen.lock().unwrap().push(r.clone())
    });
    (out, seen.into_inner().unwrap())
}

#[test]
fn a_gigabyte_malicious_checkpoint_is_judged_from_less_than_a_megabyte() {
    let hub = Emulator::start(vec![model_repo()], 1000, None);
    let sha = hub.repo("models/org/model").sha;
    let remote = remote(&hub, None);
    let (out, records) = run(&remote, &["hf://org/model@main"], &BulkOptions::default());
    let report = &out.report;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.artifacts.len(), 5);
    assert_eq!(records.len(), 5);
    let by_name = |n: &str| {
        report
            .artifacts
            .iter()
            .find(|a| a.path == format!("hf://org/model@{sha}/{n}"))
            .unwrap_or_else(|| panic!("{n} in {:#?}", report.artifacts))
    };
    let ckpt = by_name("pytorch_model.bin");
    assert_eq!(
        ckpt.verdict.assessment,
        Assessment::Malicious,
        "{:#?}",
        report.findings
    );
    assert_eq!(ckpt.format, mlsc_core::Format::Zip);
    assert!(ckpt.size > GIB);
    assert!(by_name("model.safetensors").verdict.is_clean());
    // The finding names the pinned commit and the member.
    let f = report
        .findings
        .iter()
        .find(|f| f.code == "MLSC-PKL-001" || f.severity >= mlsc_core::Severity::High)
        .expect("a finding on the checkpoint");
    assert_eq!(
        f.location.path,
        format!("hf://org/model@{sha}/pytorch_model.bin")
    );
    assert_eq!(f.location.members, vec!["archive/data.pkl".to_string()]);
    // The byte counts: what the emulator served, what the report says, and the bound.
    let served = hub.file_bytes();
    eprintln!(
        "served {served} bytes of file content in {} range requests; checkpoint {:?}",
        hub.counters().range_requests.load(Ordering::Relaxed),
        ckpt.bytes_read
    );
    assert!(served <= 1_000_000, "served {served} bytes of file content");
    assert_eq!(report.statistics.bytes_read, served);
    assert!(ckpt.bytes_read.unwrap() < 400_000, "{:?}", ckpt.bytes_read);
    assert_eq!(
        report.statistics.input_bytes,
        Some(report.artifacts.iter().map(|a| a.size).sum())
    );
    // The LFS SHA-256 is reported without reading the file.
    let st = hub.repo("models/org/model").files[3].sha256.clone();
    assert_eq!(
        by_name("model.safetensors").sha256.as_deref(),
        Some(st.as_str())
    );
    // Few requests: the block cache turns the readers' small reads into a handful of ranges per file.
    assert!(hub.counters().range_requests.load(Ordering::Relaxed) <= 25);
    let rec = records
        .iter()
        .find(|r| r.uri.ends_with("pytorch_model.bin"))
        .unwrap();
    assert_eq!(rec.revision.as_deref(), Some(sha.as_str()));
    assert_eq!(rec.input, "hf://org/model@main");
    assert!(!rec.findings.is_empty());
}

#[test]
fn the_same_bytes_get_the_same_verdict_remotely_and_locally() {
    let rels = [
        "malicious/torch_zip.pt",
        "benign/torch_zip.pt",
        "malicious/legacy.pt",
        "malicious/raw_p4.bin",
        "malicious/ssti_mro.gguf",
        "suspicious/overlap.safetensors",
        "benign/llama3.gguf",
        "malicious/object.npy",
        "inconclusive/bomb.gz",
        "malicious/bundle.tar.gz",
    ];
    let files = rels
        .iter()
        .map(|r| RepoFile::bytes(r, fixture(r), true))
        .collect();
    let hub = Emulator::start(vec![Repo::model("org/corpus", files)], 3, None);
    let remote = remote(&hub, None);
    let (out, _) = run(&remote, &["hf://org/corpus"], &BulkOptions::default());
    let sha = hub.repo("models/org/corpus").sha;
    assert!(out.report.errors.is_empty(), "{:?}", out.report.errors);
    assert_eq!(
        out.report.artifacts.len(),
        rels.len(),
        "pagination by 3 lists all"
    );
    for rel in rels {
        let local = mlsc_pickle::scan_paths(&[corpus(rel)], &Default::default());
        let uri = format!("hf://org/corpus@{sha}/{rel}");
        let a = out.report.artifacts.iter().find(|a| a.path == uri).unwrap();
        assert_eq!(a.verdict, local.artifacts[0].verdict, "{rel}");
        assert_eq!(a.format, local.artifacts[0].format, "{rel}");
        let codes = |fs: Vec<&mlsc_core::Finding>| {
            let mut v: Vec<_> = fs
                .iter()
                .map(|f| {
                    (
                        f.code.clone(),
                        f.location.members.clone(),
                        f.location.offset,
                        f.message.clone(),
                    )
                })
                .collect();
            v.sort();
            v
        };
        assert_eq!(
            codes(
                out.report
                    .findings
                    .iter()
                    .filter(|f| f.location.path == uri)
                    .collect()
            ),
            codes(local.findings.iter().collect()),
            "{rel}"
        );
    }
}

#[test]
fn the_token_goes_to_the_hub_only_and_a_private_repo_without_it_is_an_error() {
    let mut repo = model_repo();
    repo.private = true;
    let hub = Emulator::start(vec![repo], 1000, Some("hf_test_secret"));
    let (out, records) = run(
        &remote(&hub, Some("hf_test_secret")),
        &["hf://org/model"],
        &BulkOptions::default(),
    );
    assert!(out.report.errors.is_empty(), "{:?}", out.report.errors);
    assert_eq!(out.report.artifacts.len(), 5);
    assert!(hub.counters().hub_with_token.load(Ordering::Relaxed) >= 2);
    // The LFS files were redirected to the CDN: it never saw the token.
    assert!(hub.counters().requests.load(Ordering::Relaxed) > 0);
    assert_eq!(hub.counters().cdn_with_auth.load(Ordering::Relaxed), 0);
    assert!(
        records
            .iter()
            .all(|r| !serde_json::to_string(r).unwrap().contains("hf_test_secret"))
    );
    // No token: the repository is not found, an error — never a clean result.
    let (out, records) = run(
        &remote(&hub, None),
        &["hf://org/model"],
        &BulkOptions::default(),
    );
    assert_eq!(out.report.errors.len(), 1);
    assert!(
        out.report.errors[0].message.contains("404"),
        "{:?}",
        out.report.errors
    );
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].verdict.completeness, Completeness::Error);
    // A wrong token is not printed in errors either.
    let (out, _) = run(
        &remote(&hub, Some("hf_wrong")),
        &["hf://org/model"],
        &BulkOptions::default(),
    );
    assert!(!format!("{:?}", out.report).contains("hf_wrong"));
}

#[test]
fn throttling_is_retried_and_a_refused_object_is_an_error_for_that_file_only() {
    let hub = Emulator::start(vec![model_repo()], 2, None);
    // Two 429s with Retry-After on the revision call, a 503 on a tree page: retried through.
    hub.fail("/revision/", 2, 429, Some(0));
    hub.fail("/tree/", 1, 503, None);
    // The safetensors file is refused for good (403 on every try).
    hub.fail("model.safetensors", 100, 403, None);
    let (out, records) = run(
        &remote(&hub, None),
        &["hf://org/model@main"],
        &BulkOptions::default(),
    );
    let report = &out.report;
    assert_eq!(report.artifacts.len(), 5, "{:?}", report.errors);
    let st = report
        .artifacts
        .iter()
        .find(|a| a.path.ends_with("model.safetensors"))
        .unwrap();
    assert_eq!(st.verdict.completeness, Completeness::Error);
    assert!(!st.verdict.is_clean());
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert!(report.errors[0].message.contains("403"));
    let ck = report
        .artifacts
        .iter()
        .find(|a| a.path.ends_with("pytorch_model.bin"))
        .unwrap();
    assert_eq!(ck.verdict.assessment, Assessment::Malicious);
    assert!(records.iter().any(|r| !r.errors.is_empty()));
    // 5xx for ever: after the retries, an error naming the URL, not a hang and not clean.
    hub.fail("/revision/", 1000, 503, Some(0));
    let (out, _) = run(
        &remote(&hub, None),
        &["hf://org/model@main"],
        &BulkOptions::default(),
    );
    assert_eq!(out.report.errors.len(), 1);
    assert!(out.report.errors[0].message.contains("503"));
    assert!(out.report.artifacts.is_empty());
}

#[test]
fn a_server_that_ignores_range_is_refused_not_downloaded() {
    // A 2 MiB checkpoint: the server sends it whole (200) to a range request for one block, which is refused
    // after reading one byte more than asked. A whole answer is accepted only when the whole object was asked
    // for (a file smaller than what the readers ask).
    let ckpt = torch_zip(&members(&fixture("benign/torch_zip.pt")), 2 << 20);
    let repo = Repo::model("org/small", vec![RepoFile::sparse("model.pt", ckpt)]);
    let hub = Emulator::start(vec![repo], 1000, None);
    hub.ignore_range(true);
    let mut o = RemoteOptions::default();
    o.hf_endpoint = hub.url.clone();
    let first = Remote::new(o);
    let (out, _) = run(&first, &["hf://org/small"], &BulkOptions::default());
    assert_eq!(out.report.artifacts.len(), 1);
    assert_eq!(
        out.report.artifacts[0].verdict.completeness,
        Completeness::Error
    );
    let message = &out.report.errors[0].message;
    assert!(message.contains("longer than the"), "{message}");
    // The CDN's signed query is not shown.
    assert!(!message.contains("secret-signature"), "{message}");
    // The client stopped reading one byte past what it asked (the emulator counts what it wrote, not what was
    // taken, so the client's own counter is the one to check).
    assert!(
        first.bytes_received() < 200_000,
        "{}",
        first.bytes_received()
    );
    // With ranges honoured, the same file is judged.
    hub.ignore_range(false);
    let mut o = RemoteOptions::default();
    o.hf_endpoint = hub.url.clone();
    let (out, _) = run(
        &Remote::new(o),
        &["hf://org/small"],
        &BulkOptions::default(),
    );
    assert!(out.report.errors.is_empty(), "{:?}", out.report.errors);
    assert!(out.report.artifacts[0].verdict.is_clean());
}

#[test]
fn a_rerun_with_the_cache_reads_no_file_bytes() {
    let hub = Emulator::start(vec![model_repo()], 1000, None);
    let dir = tempfile::tempdir().unwrap();
    let mut opts = BulkOptions::default();
    opts.cache = Some(ResultCache::new(dir.path(), &opts.scan));
    let remote = remote(&hub, None);
    let (first, _) = run(&remote, &["hf://org/model@main"], &opts);
    assert_eq!(first.cached, 0);
    assert!(hub.file_bytes() > 0);
    hub.reset();
    let (second, records) = run(&remote, &["hf://org/model@main"], &opts);
    assert_eq!(second.cached, 5);
    assert_eq!(hub.file_bytes(), 0, "a re-run reads no file bytes");
    assert_eq!(second.report.statistics.bytes_read, 0);
    assert!(records.iter().all(|r| r.cached && r.bytes_read == 0));
    // The same verdicts and findings as the first run.
    let strip = |mut r: mlsc_core::Report| {
        r.statistics.duration_ms = 0;
        r.statistics.bytes_read = 0;
        for a in &mut r.artifacts {
            a.bytes_read = None;
        }
        r
    };
    assert_eq!(strip(first.report), strip(second.report));
    // The same content in another repository is a cache hit too, reported under its own name.
    let ckpt = hub.repo("models/org/model").files[4].clone();
    drop(hub);
    let hub2 = Emulator::start(vec![Repo::model("other/copy", vec![ckpt])], 1000, None);
    let (third, records) = run(&self::remote(&hub2, None), &["hf://other/copy"], &opts);
    assert_eq!(third.cached, 1);
    assert_eq!(hub2.file_bytes(), 0);
    let sha = hub2.repo("models/other/copy").sha;
    assert!(
        records[0]
            .uri
            .starts_with(&format!("hf://other/copy@{sha}/"))
    );
    assert!(
        records[0]
            .findings
            .iter()
            .all(|f| f.location.path == records[0].uri)
    );
    assert_eq!(records[0].verdict.assessment, Assessment::Malicious);
}

#[test]
fn datasets_and_single_urls_are_read_by_ranges() {
    let data = fixture("malicious/raw_p4.bin");
    let hub = Emulator::start(
        vec![Repo::dataset(
            "org/data",
            vec![RepoFile::bytes("train/x.pkl", data, false)],
        )],
        1000,
        None,
    );
    let (out, _) = run(
        &remote(&hub, None),
        &["hf://datasets/org/data"],
        &BulkOptions::default(),
    );
    let sha = hub.repo("datasets/org/data").sha;
    assert_eq!(
        out.report.artifacts[0].path,
        format!("hf://datasets/org/data@{sha}/train/x.pkl")
    );
    assert_eq!(
        out.report.artifacts[0].verdict.assessment,
        Assessment::Malicious
    );
    // A plain https-style URL: the resolve URL itself.
    let url = format!("{}/datasets/org/data/resolve/{sha}/train/x.pkl", hub.url);
    let (out, _) = run(
        &remote(&hub, None),
        &[url.as_str()],
        &BulkOptions::default(),
    );
    assert_eq!(out.report.artifacts[0].path, url);
    assert_eq!(
        out.report.artifacts[0].verdict.assessment,
        Assessment::Malicious
    );
    // An object store that cannot be read (not in this build, or nothing listening): an error, not clean.
    let mut o = RemoteOptions::default();
    o.http.retries = 0;
    o.object_store = [
        ("aws_endpoint", "http://127.0.0.1:9"),
        ("aws_allow_http", "true"),
        ("aws_access_key_id", "x"),
        ("aws_secret_access_key", "x"),
        ("aws_region", "us-east-1"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let (out, recs) = run(
        &Remote::new(o),
        &["s3://bucket/x.pt"],
        &BulkOptions::default(),
    );
    assert_eq!(out.report.errors.len(), 1);
    assert_eq!(recs[0].verdict.completeness, Completeness::Error);
}

/// The registry benchmark of the issue: 1,000 fake repositories (safetensors, PyTorch zips of 100 MiB to 2 GiB
/// made sparse, raw pickles, GGUF) behind the emulator, scanned with 16 jobs. Prints models per second and bytes
/// read per model. Run: `cargo test -p mlsc-remote --test hub -- --ignored --nocapture bench`.
#[test]
#[ignore = "a benchmark: about a minute"]
fn bench_registry_of_a_thousand_repos() {
    let zips: Vec<emulator::Sparse> = [100u64 << 20, 500 << 20, 1 << 30, 2 << 30]
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
    let small = [
        ("model.safetensors", "benign/model.safetensors"),
        ("model.pkl", "malicious/raw_p4.bin"),
        ("model.gguf", "benign/llama3.gguf"),
        ("model.bad.gguf", "malicious/ssti_mro.gguf"),
    ];
    let mut repos = Vec::new();
    let mut model_bytes = 0u64;
    for i in 0..1000 {
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
        let model = if i % 2 == 0 {
            RepoFile::sparse("pytorch_model.bin", zips[(i / 2) % zips.len()].clone())
        } else {
            let (name, rel) = small[(i / 2) % small.len()];
            RepoFile::bytes(name, fixture(rel), true)
        };
        model_bytes += model.content.len();
        files.push(model);
        repos.push(Repo::model(&format!("bench/repo-{i:04}"), files));
    }
    let inputs: Vec<String> = (0..1000)
        .map(|i| format!("hf://bench/repo-{i:04}"))
        .collect();
    let hub = Emulator::start(repos, 1000, None);
    let mut opts = BulkOptions::default();
    opts.jobs = 16;
    let remote = remote(&hub, None);
    let start = std::time::Instant::now();
    let out = scan_inputs(&remote, &inputs, &opts, &|_| {});
    let secs = start.elapsed().as_secs_f64();
    let report = &out.report;
    assert!(
        report.errors.is_empty(),
        "{:?}",
        &report.errors[..report.errors.len().min(3)]
    );
    assert_eq!(report.artifacts.len(), 3000);
    let malicious = report
        .artifacts
        .iter()
        .filter(|a| a.verdict.assessment == Assessment::Malicious)
        .count();
    // Half the zips and the raw pickles and one GGUF in four are malicious: 250 + 125 + 125.
    assert_eq!(malicious, 500);
    let served = hub.file_bytes();
    eprintln!(
        "bench: 1000 repos (3000 files, {:.1} GiB of models) in {secs:.1} s with 16 jobs: {:.0} repos/s; \
         {served} bytes of file content served ({:.1} KiB per repo, {:.5}% of the models' bytes); {} requests, \
         {} range requests, {} bytes of API JSON",
        model_bytes as f64 / (1u64 << 30) as f64,
        1000.0 / secs,
        served as f64 / 1000.0 / 1024.0,
        served as f64 * 100.0 / model_bytes as f64,
        hub.counters().requests.load(Ordering::Relaxed),
        hub.counters().range_requests.load(Ordering::Relaxed),
        hub.counters().api_bytes.load(Ordering::Relaxed),
    );
}
