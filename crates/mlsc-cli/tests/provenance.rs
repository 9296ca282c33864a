//! End-to-end tests of `mlsc manifest | sign | verify | keygen | attest`: exit statuses, outputs, and interop with
//! the model_signing and DVC vectors in `../shared/corpus/provenance/` (skipped with a message when absent).
#![allow(clippy::print_stderr)] // a skipped test says why on stderr

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn mlsc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mlsc"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run mlsc")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("test paths are UTF-8")
}

fn corpus() -> Option<PathBuf> {
    let p = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/provenance"
    ));
    if p.is_dir() {
        Some(p.to_owned())
    } else {
        eprintln!(
            "skipping: {} is absent (the shared interop vectors)",
            p.display()
        );
        None
    }
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn model(dir: &Path) -> PathBuf {
    let m = dir.join("model");
    std::fs::create_dir_all(m.join("tok")).unwrap();
    std::fs::write(m.join("weights.bin"), vec![3u8; 70_000]).unwrap();
    std::fs::write(m.join("tok/vocab.json"), b"{\"a\": 1}").unwrap();
    std::fs::write(m.join("README.md"), b"# m\n").unwrap();
    m
}

#[test]
fn keygen_sign_verify_round_trip_and_tamper() {
    let dir = tempfile::tempdir().unwrap();
    let m = model(dir.path());
    let key = dir.path().join("k.pem");
    let out = mlsc(&["keygen", "--private-key", s(&key)]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = dir.path().join("k.pub.pem");
    assert!(
        std::fs::read_to_string(&public)
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // Refuses to overwrite a key.
    let out = mlsc(&["keygen", "--private-key", s(&key)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));

    let sig = dir.path().join("model.sig");
    for extra in [
        &[][..],
        &["--shard-size", "4096"][..],
        &["--hash", "blake2b"][..],
    ] {
        let mut args = vec![
            "sign",
            s(&m),
            "--private-key",
            s(&key),
            "--signature",
            s(&sig),
        ];
        args.extend_from_slice(extra);
        let out = mlsc(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("3 files"));
        let out = mlsc(&[
            "verify",
            s(&m),
            "--signature",
            s(&sig),
            "--public-key",
            s(&public),
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{extra:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }

    std::fs::write(m.join("tok/vocab.json"), b"{\"a\": 2}").unwrap();
    let out = mlsc(&[
        "--format",
        "json",
        "verify",
        s(&m),
        "--signature",
        s(&sig),
        "--public-key",
        s(&public),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["findings"][0]["code"], "MLSC-PROV-003");
    assert!(
        v["findings"][0]["location"]["path"]
            .as_str()
            .unwrap()
            .ends_with("tok/vocab.json")
    );

    let out = mlsc(&[
        "verify",
        s(&m),
        "--signature",
        s(&sig),
        "--public-key",
        s(&public),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("MLSC-PROV-003") && text.contains("tok/vocab.json"),
        "{text}"
    );
}

#[test]
fn usage_and_io_errors_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    let m = model(dir.path());
    // --signature without a key or certificate: a usage error.
    let out = mlsc(&["verify", s(&m), "--signature", "x.sig"]);
    assert_eq!(out.status.code(), Some(2));
    // Both a key and a chain.
    let out = mlsc(&[
        "verify",
        s(&m),
        "--signature",
        "x",
        "--public-key",
        "a",
        "--certificate-chain",
        "b",
    ]);
    assert_eq!(out.status.code(), Some(2));
    // A missing key file is an I/O error, never "not verified".
    let out = mlsc(&[
        "verify",
        s(&m),
        "--signature",
        "x.sig",
        "--public-key",
        "/nonexistent.pem",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nonexistent.pem"));
    // A plain directory without --signature is neither DVC nor Croissant.
    let out = mlsc(&["verify", s(&m)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--signature"));
    // Symlinks are refused by default.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc/hostname", m.join("link")).unwrap();
        let out = mlsc(&["manifest", s(&m)]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link"));
    }
}

#[test]
fn manifest_lists_in_model_signing_order() {
    let dir = tempfile::tempdir().unwrap();
    let m = model(dir.path());
    std::fs::write(m.join("a.b"), b"x").unwrap();
    std::fs::create_dir(m.join("a")).unwrap();
    std::fs::write(m.join("a/b"), b"y").unwrap();
    std::fs::create_dir(m.join(".git")).unwrap();
    std::fs::write(m.join(".git/HEAD"), b"ref").unwrap();
    let out = mlsc(&["--format", "json", "manifest", s(&m), "--ignore", "*.md"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let names: Vec<&str> = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a/b", "a.b", "tok/vocab.json", "weights.bin"]);
    let out = mlsc(&["manifest", s(&m), "--shard-size", "65536"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("weights.bin:65536:70000"), "{text}");
}

#[test]
fn verifies_every_model_signing_vector() {
    let Some(c) = corpus() else { return };
    let oms = c.join("oms");
    let public = oms.join("keys/ec-p256.pub.pem");
    for name in [
        "key-sha256-files",
        "key-blake2b-files",
        "key-sha256-shards1024",
    ] {
        let sig = oms.join(format!("signatures/{name}.sig.json"));
        let out = mlsc(&[
            "verify",
            s(&oms.join("model")),
            "--signature",
            s(&sig),
            "--public-key",
            s(&public),
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    // The certificate method, against the vector's CA (valid until 2027-11-27).
    let sig = oms.join("signatures/certificate-sha256-files.sig.json");
    let out = mlsc(&[
        "verify",
        s(&oms.join("model")),
        "--signature",
        s(&sig),
        "--certificate-chain",
        s(&oms.join("keys/ca.crt.pem")),
    ]);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let expected = if now < 1_827_292_548 { 0 } else { 1 };
    assert_eq!(
        out.status.code(),
        Some(expected),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Another key: the wrong key, said as such.
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("other.pem");
    assert_eq!(
        mlsc(&["keygen", "--private-key", s(&key)]).status.code(),
        Some(0)
    );
    let out = mlsc(&[
        "--format",
        "json",
        "verify",
        s(&oms.join("model")),
        "--signature",
        s(&oms.join("signatures/key-sha256-files.sig.json")),
        "--public-key",
        s(&dir.path().join("other.pub.pem")),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["findings"][0]["code"], "MLSC-PROV-005");
}

#[test]
fn verifies_dvc_records_and_reports_missing_outputs() {
    let Some(c) = corpus() else { return };
    let dvc = c.join("dvc");
    let out = mlsc(&["verify", s(&dvc.join("data.dvc"))]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = mlsc(&["--format", "json", "verify", s(&dvc.join("dvc.lock"))]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.iter().any(|p| p.ends_with("metrics.json"))
            && paths.iter().any(|p| p.ends_with("model")),
        "{paths:?}"
    );
    let out = mlsc(&["verify", s(&dvc)]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn attest_then_verify_and_detect_a_changed_product() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path();
    let m = model(base);
    std::fs::create_dir(base.join("data")).unwrap();
    std::fs::write(base.join("data/train.csv"), b"a,b\n1,2\n").unwrap();
    std::fs::write(base.join("train.py"), b"print('train')\n").unwrap();
    let key = base.join("k.pem");
    assert_eq!(
        mlsc(&["keygen", "--private-key", s(&key)]).status.code(),
        Some(0)
    );
    let att = base.join("run.intoto.json");
    let out = mlsc(&[
        "--format",
        "json",
        "attest",
        "--private-key",
        s(&key),
        "--attestation",
        s(&att),
        "--base",
        s(base),
        "--product",
        s(&m),
        "--data",
        s(&base.join("data")),
        "--code",
        s(&base.join("train.py")),
        "--",
        "python",
        "train.py",
        "--epochs",
        "2",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(
        v["statement"]["predicateType"],
        "https://slsa.dev/provenance/v1"
    );
    assert_eq!(v["statement"]["subject"].as_array().unwrap().len(), 3);
    assert_eq!(
        v["statement"]["predicate"]["buildDefinition"]["externalParameters"]["command"][3],
        "2"
    );
    let deps = v["statement"]["predicate"]["buildDefinition"]["resolvedDependencies"]
        .as_array()
        .unwrap();
    assert_eq!(deps[0]["name"], "data/train.csv");
    assert_eq!(deps[0]["annotations"]["kind"], "data");
    let public = base.join("k.pub.pem");
    let out = mlsc(&[
        "verify",
        s(base),
        "--signature",
        s(&att),
        "--public-key",
        s(&public),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    std::fs::write(base.join("data/train.csv"), b"a,b\n1,3\n").unwrap();
    std::fs::remove_file(m.join("README.md")).unwrap();
    let out = mlsc(&[
        "--format",
        "json",
        "verify",
        s(base),
        "--signature",
        s(&att),
        "--public-key",
        s(&public),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["MLSC-PROV-003", "MLSC-PROV-002"], "{v:#}");
}

#[test]
fn verify_outputs_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let m = model(dir.path());
    let key = dir.path().join("k.pem");
    assert_eq!(
        mlsc(&["keygen", "--private-key", s(&key)]).status.code(),
        Some(0)
    );
    let sig = dir.path().join("model.sig");
    let out = mlsc(&[
        "sign",
        s(&m),
        "--private-key",
        s(&key),
        "--signature",
        s(&sig),
        "--shard-size",
        "65536",
    ]);
    assert_eq!(out.status.code(), Some(0));
    std::fs::write(m.join("README.md"), b"# M\n").unwrap();
    std::fs::write(m.join("extra.py"), b"import os\n").unwrap();
    std::fs::remove_file(m.join("tok/vocab.json")).unwrap();
    let public = dir.path().join("k.pub.pem");
    let tmp = dir.path().to_str().unwrap();
    let run = |format: &str| {
        let out = mlsc(&[
            "--format",
            format,
            "verify",
            s(&m),
            "--signature",
            s(&sig),
            "--public-key",
            s(&public),
        ]);
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap().replace(tmp, "[TMP]"),
        )
    };
    let (code, text) = run("json");
    assert_eq!(code, Some(1));
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["statistics"]["duration_ms"] = 0.into();
    v["tool"]["version"] = "[VERSION]".into();
    for a in v["artifacts"].as_array_mut().unwrap() {
        if a.get("sha256").is_some() {
            a["sha256"] = "[SIGNATURE SHA-256]".into();
            a["size"] = 0.into();
        }
    }
    insta::assert_json_snapshot!("verify_tampered_json", v);
    let (code, text) = run("human");
    assert_eq!(code, Some(1));
    // The key is generated for the test: its id differs from run to run.
    let key_id = text
        .split("with key ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .expect("the headline names the key")
        .to_owned();
    assert_eq!(key_id.len(), 16, "{text}");
    let text = text.replace(&key_id, "[KEY ID]");
    insta::assert_snapshot!("verify_tampered_human", text);
    let (code, text) = run("sarif");
    assert_eq!(code, Some(1));
    let sarif: serde_json::Value = serde_json::from_str(&text).unwrap();
    let results: Vec<(&str, &str)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["ruleId"].as_str().unwrap(), r["level"].as_str().unwrap()))
        .collect();
    insta::assert_debug_snapshot!("verify_tampered_sarif_results", results);
    // An error case: a key that is not a key.
    std::fs::write(
        dir.path().join("bad.pem"),
        b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    )
    .unwrap();
    let out = mlsc(&[
        "verify",
        s(&m),
        "--signature",
        s(&sig),
        "--public-key",
        s(&dir.path().join("bad.pem")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!(
        "verify_bad_key_stderr",
        String::from_utf8(out.stderr).unwrap().replace(tmp, "[TMP]")
    );
}

#[test]
fn certificate_method_sign_and_verify() {
    let Some(c) = corpus() else { return };
    let oms = c.join("oms");
    let dir = tempfile::tempdir().unwrap();
    let sig = dir.path().join("cert.sig");
    let out = mlsc(&[
        "sign",
        s(&oms.join("model")),
        "--private-key",
        s(&oms.join("keys/ec-p256.key.pem")),
        "--signature",
        s(&sig),
        "--signing-certificate",
        s(&oms.join("keys/leaf.crt.pem")),
        "--certificate-chain",
        s(&oms.join("keys/ca.crt.pem")),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = mlsc(&[
        "verify",
        s(&oms.join("model")),
        "--signature",
        s(&sig),
        "--certificate-chain",
        s(&oms.join("keys/ca.crt.pem")),
    ]);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let expected = if now < 1_827_292_548 { 0 } else { 1 };
    assert_eq!(
        out.status.code(),
        Some(expected),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The wrong private key for the certificate: a usage error.
    let key = dir.path().join("k.pem");
    assert_eq!(
        mlsc(&["keygen", "--private-key", s(&key)]).status.code(),
        Some(0)
    );
    let out = mlsc(&[
        "sign",
        s(&oms.join("model")),
        "--private-key",
        s(&key),
        "--signature",
        s(&sig),
        "--signing-certificate",
        s(&oms.join("keys/leaf.crt.pem")),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn croissant_with_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("elsewhere");
    std::fs::create_dir_all(data.join("data")).unwrap();
    std::fs::write(data.join("data/a.csv"), b"x\n1\n").unwrap();
    let sha = mlsc_core::Sha256Digest::of(b"x\n1\n").to_hex();
    let doc = serde_json::json!({
        "@context": {"@vocab": "https://schema.org/", "cr": "http://mlcommons.org/croissant/"},
        "@type": "sc:Dataset",
        "distribution": [{"@type": "cr:FileObject", "@id": "a", "contentUrl": "data/a.csv", "sha256": sha}]
    });
    let card = dir.path().join("croissant.json");
    std::fs::write(&card, doc.to_string()).unwrap();
    // Resolved against the JSON's folder: missing there.
    let out = mlsc(&["--format", "json", "verify", s(&card)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["findings"][0]["code"], "MLSC-PROV-031");
    // Resolved against --data-dir: verified.
    let out = mlsc(&["verify", s(&card), "--data-dir", s(&data)]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    std::fs::write(data.join("data/a.csv"), b"x\n2\n").unwrap();
    let out = mlsc(&[
        "--format",
        "json",
        "verify",
        s(&card),
        "--data-dir",
        s(&data),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["findings"][0]["code"], "MLSC-PROV-030");
}
