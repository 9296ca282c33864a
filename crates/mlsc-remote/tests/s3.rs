//! `s3://` against a real S3-compatible server: `.ci/run` starts moto's server mode (`moto_server`, from PyPI,
//! pinned in tests/gen/requirements-s3.txt) on 127.0.0.1 and sets `MLSC_TEST_S3_ENDPOINT`. Without it the test
//! says it skips, so `cargo test` works on a machine without moto. Fixtures are uploaded with object_store itself.

#![cfg(feature = "object-store")]
#![allow(clippy::print_stderr)] // the skip notice and the figures for the report

mod emulator;

use std::sync::Arc;

use emulator::{corpus, members, torch_zip};
use mlsc_core::{Assessment, Completeness, Format};
use mlsc_remote::{ArtifactRecord, BulkOptions, Remote, RemoteOptions, scan_inputs};
use object_store::aws::AmazonS3Builder;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};

const CKPT: u64 = 96 << 20;

fn endpoint() -> Option<String> {
    let e = std::env::var("MLSC_TEST_S3_ENDPOINT").ok()?;
    Some(e.trim().trim_end_matches('/').to_owned()).filter(|e| !e.is_empty())
}

/// The configuration a local endpoint needs; moto accepts any credentials.
fn config(endpoint: &str) -> Vec<(String, String)> {
    [
        ("aws_endpoint", endpoint),
        ("aws_allow_http", "true"),
        ("aws_access_key_id", "testing"),
        ("aws_secret_access_key", "testing"),
        ("aws_region", "us-east-1"),
        ("aws_virtual_hosted_style_request", "false"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn upload(endpoint: &str, bucket: &str) {
    // object_store does not create buckets: one unsigned PUT, which moto accepts.
    let resp = ureq::put(&format!("{endpoint}/{bucket}"))
        .config()
        .http_status_as_error(false)
        .build()
        .send_empty()
        .expect("moto answers");
    assert!(
        resp.status().is_success(),
        "create bucket: {}",
        resp.status()
    );
    // reqwest is built without a bundled TLS provider; mlsc-remote installs ring when it builds its clients, this
    // upload builds one first.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut b = AmazonS3Builder::new().with_bucket_name(bucket);
    for (k, v) in config(endpoint) {
        b = b.with_config(k.parse().unwrap(), v);
    }
    let store: Arc<dyn ObjectStore> = Arc::new(b.build().unwrap());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let fixture = |rel: &str| std::fs::read(corpus(rel)).unwrap();
    let ckpt = torch_zip(&members(&fixture("malicious/torch_zip.pt")), CKPT);
    rt.block_on(async {
        for (key, data) in [
            (
                "models/m1/model.safetensors",
                fixture("benign/model.safetensors"),
            ),
            ("models/m1/model.pkl", fixture("malicious/raw_p4.bin")),
            ("models/m1/config.json", fixture("benign/config.json")),
            ("other/unrelated.pkl", fixture("malicious/raw_p4.bin")),
        ] {
            store
                .put(&Path::parse(key).unwrap(), data.into())
                .await
                .unwrap();
        }
        // The checkpoint in 16 MiB parts, as a large upload is made (its ETag is a multipart one).
        let upload = store
            .put_multipart(&Path::parse("models/m1/pytorch_model.bin").unwrap())
            .await
            .unwrap();
        let mut w = WriteMultipart::new_with_chunk_size(upload, 16 << 20);
        let mut off = 0;
        while off < ckpt.len {
            let n = (ckpt.len - off).min(16 << 20);
            w.write(&ckpt.read(off, n as usize));
            off += n;
        }
        w.finish().await.unwrap();
    });
}

#[test]
fn objects_under_a_prefix_are_judged_by_ranges() {
    let Some(endpoint) = endpoint() else {
        eprintln!(
            "MLSC_TEST_S3_ENDPOINT is not set: the S3 test skips (.ci/run starts moto and sets it)"
        );
        return;
    };
    let bucket = format!("mlsc-test-{}", std::process::id());
    upload(&endpoint, &bucket);
    let mut o = RemoteOptions::default();
    o.object_store = config(&endpoint);
    o.http.retries = 1;
    let remote = Remote::new(o);
    let seen = std::sync::Mutex::new(Vec::<ArtifactRecord>::new());
    let inputs = vec![format!("s3://{bucket}/models/m1")];
    let out = scan_inputs(&remote, &inputs, &BulkOptions::default(), &|r| {
        seen.lock().unwrap().push(r.clone())
    });
    let report = &out.report;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    // The prefix, not the bucket: the unrelated object is not listed.
    assert_eq!(report.artifacts.len(), 4, "{:#?}", report.artifacts);
    let by_name = |n: &str| {
        report
            .artifacts
            .iter()
            .find(|a| a.path == format!("s3://{bucket}/models/m1/{n}"))
            .unwrap_or_else(|| panic!("{n} in {:#?}", report.artifacts))
    };
    let ckpt = by_name("pytorch_model.bin");
    assert_eq!(ckpt.format, Format::Zip);
    assert_eq!(ckpt.verdict.assessment, Assessment::Malicious);
    assert!(ckpt.size > CKPT);
    assert_eq!(
        by_name("model.pkl").verdict.assessment,
        Assessment::Malicious
    );
    assert!(by_name("model.safetensors").verdict.is_clean());
    let f = report
        .findings
        .iter()
        .find(|f| f.location.path.ends_with("pytorch_model.bin") && f.code == "MLSC-PKL-001")
        .expect("the checkpoint's pickle finding");
    assert_eq!(f.location.members, vec!["archive/data.pkl".to_string()]);
    // Bytes: the 96 MiB checkpoint costs its first and last blocks, not its storage.
    let read = report.statistics.bytes_read;
    let total = report.statistics.input_bytes.unwrap();
    eprintln!(
        "s3: {} objects, read {read} of {total} bytes; checkpoint {:?} of {}; {} requests",
        report.artifacts.len(),
        ckpt.bytes_read,
        ckpt.size,
        out.requests
    );
    assert!(ckpt.bytes_read.unwrap() < 400_000, "{:?}", ckpt.bytes_read);
    assert!(read < 1_000_000, "{read}");
    assert_eq!(total, report.artifacts.iter().map(|a| a.size).sum::<u64>());
    // Each record carries what it was read at: the object's ETag (moto keeps no versions here).
    let records = seen.into_inner().unwrap();
    assert_eq!(records.len(), 4);
    for r in &records {
        let rev = r.revision.as_deref().unwrap_or_default();
        assert!(rev.starts_with("etag:"), "{r:?}");
        assert_eq!(r.input, inputs[0]);
    }
    // A multipart ETag names its part count: `"<md5>-7"` for six 16 MiB parts and the tail.
    let rec = records
        .iter()
        .find(|r| r.uri.ends_with("pytorch_model.bin"))
        .unwrap();
    assert!(
        rec.revision.as_deref().unwrap().ends_with("-7\""),
        "{rec:?}"
    );

    // One object by its key; a key that does not exist and a bucket that does not exist are errors, never clean.
    let inputs = vec![
        format!("s3://{bucket}/models/m1/model.pkl"),
        format!("s3://{bucket}/models/nothing-here"),
        format!("s3://{bucket}-missing/x.pt"),
    ];
    let out = scan_inputs(&remote, &inputs, &BulkOptions::default(), &|_| {});
    assert_eq!(out.report.artifacts.len(), 1);
    assert_eq!(
        out.report.artifacts[0].verdict.assessment,
        Assessment::Malicious
    );
    assert_eq!(out.report.errors.len(), 2, "{:?}", out.report.errors);
    assert!(
        out.report
            .errors
            .iter()
            .any(|e| e.message.contains("nothing-here") && e.message.contains("404")),
        "{:?}",
        out.report.errors
    );
    // Nothing reachable on a dead endpoint: an error for the input, not a clean result.
    let mut o = RemoteOptions::default();
    o.object_store = config("http://127.0.0.1:9");
    o.http.retries = 0;
    let dead = Remote::new(o);
    let seen = std::sync::Mutex::new(Vec::<ArtifactRecord>::new());
    let out = scan_inputs(
        &dead,
        &[format!("s3://{bucket}/models/m1")],
        &BulkOptions::default(),
        &|r| seen.lock().unwrap().push(r.clone()),
    );
    assert_eq!(out.report.errors.len(), 1);
    let records = seen.into_inner().unwrap();
    assert_eq!(records[0].verdict.completeness, Completeness::Error);
}
