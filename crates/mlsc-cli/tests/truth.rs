//! End-to-end tests of issue 14, "every command tells the truth": each reproduction of the issue, run through the
//! binary. Each of these failed before its fix.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `mlsc` from the workspace root with a clean environment (no colour, reproducible output, an empty home so
/// no downloaded advisory database is found); `env` adds or overrides variables.
fn mlsc_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mlsc"));
    cmd.args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "0")
        .env("HOME", home.path())
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env_remove("MLSC_DB");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("mlsc runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

fn mlsc(args: &[&str]) -> Run {
    mlsc_env(args, &[])
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\nstderr: {}", run.stdout, run.stderr))
}

fn p(x: &Path) -> String {
    x.display().to_string()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn check<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == name)
        .unwrap_or_else(|| panic!("no {name} check: {v:#}"))
}

// ---------------------------------------------------------------------------------------------------------------
// Item 2: one `--fail-on` meaning.

#[test]
fn fail_on_critical_fails_only_on_critical() {
    // The example holds a critical pickle: it fails, and the high findings are warnings under this threshold.
    let run = mlsc(&[
        "audit",
        "examples/hf-model",
        "--db",
        "examples/osv",
        "--fail-on",
        "critical",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v = json(&run);
    assert_eq!(v["verdict"], "fail");
    assert_eq!(v["policy"]["fail_on"], "critical");
    assert_eq!(v["policy"]["fail_on_source"], "--fail-on");
    for r in v["reasons"].as_array().unwrap() {
        if r["outcome"] == "fail" {
            assert_eq!(r["severity"], "critical", "{r:#}");
        }
    }

    // Without the pickle nothing is critical: the audit warns, and a warning exits 0.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("hf-model");
    copy_dir(&workspace().join("examples/hf-model"), &copy);
    std::fs::remove_file(copy.join("pytorch_model.bin")).unwrap();
    let args = |extra: &[&str]| {
        let mut a = vec![
            "audit".to_owned(),
            p(&copy),
            "--db".to_owned(),
            "examples/osv".to_owned(),
        ];
        a.extend(extra.iter().map(|s| (*s).to_owned()));
        a
    };
    let run_with = |extra: &[&str]| {
        let a = args(extra);
        mlsc(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let run = run_with(&["--fail-on", "critical"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains(": WARN"), "{}", run.stdout);
    assert!(
        run.stdout.contains("warn (exit status 0)"),
        "{}",
        run.stdout
    );
    // The default threshold is the policy's (high): the vulnerable pins fail.
    let run = run_with(&["--format", "json"]);
    assert_eq!(run.code, 1);
    let v = json(&run);
    assert_eq!(v["verdict"], "fail");
    assert_eq!(v["policy"]["fail_on"], "high");
    assert_eq!(v["policy"]["fail_on_source"], "default");

    // mlsc.toml's fail_on is the default when the flag is absent; the flag wins over it.
    let config = dir.path().join("mlsc.toml");
    std::fs::write(&config, "[policy]\nfail_on = \"critical\"\n").unwrap();
    let cfg = p(&config);
    let run = run_with(&["--config", &cfg]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let run = run_with(&["--config", &cfg, "--fail-on", "high"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
}

// ---------------------------------------------------------------------------------------------------------------
// Item 3 and 4: signatures over the directory they cover, and in words.

#[test]
fn signature_over_a_subdirectory_is_verified_against_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    let model = root.join("model");
    std::fs::create_dir_all(&model).unwrap();
    for f in ["model.safetensors", "config.json"] {
        std::fs::copy(workspace().join("examples/hf-model").join(f), model.join(f)).unwrap();
    }
    std::fs::write(
        model.join("README.md"),
        "---\nlicense: apache-2.0\n---\n# m\n",
    )
    .unwrap();
    std::fs::write(root.join("requirements.txt"), "numpy==1.26.4\n").unwrap();
    let key = dir.path().join("k.pem");
    let public = dir.path().join("k.pub.pem");
    let run = mlsc(&[
        "keygen",
        "--private-key",
        &p(&key),
        "--public-key",
        &p(&public),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sig = root.join("model.sig");
    let run = mlsc(&[
        "sign",
        &p(&model),
        "--private-key",
        &p(&key),
        "--signature",
        &p(&sig),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // Given explicitly, and found by itself: both verify against model/.
    for explicit in [true, false] {
        let mut args = vec![
            "audit".to_owned(),
            p(&root),
            "--public-key".to_owned(),
            p(&public),
        ];
        if explicit {
            args.extend(["--signature".to_owned(), p(&sig)]);
        }
        args.extend([
            "--db".to_owned(),
            "examples/osv".to_owned(),
            "--format".to_owned(),
            "json".to_owned(),
        ]);
        let v = json(&mlsc(&args.iter().map(String::as_str).collect::<Vec<_>>()));
        let verify = check(&v, "verify");
        assert_eq!(verify["outcome"], "pass", "explicit={explicit}: {verify:#}");
        assert!(
            verify["findings"].as_array().unwrap().is_empty(),
            "{verify:#}"
        );
        let fact = verify["facts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["label"] == "signature")
            .unwrap()["value"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            fact.starts_with("signature over `model/` verified by key "),
            "{fact}"
        );
        assert!(fact.contains("3 files"), "{fact}");
    }

    // `mlsc verify` says what it verified, in words; and what failed.
    let run = mlsc(&[
        "verify",
        &p(&model),
        "--signature",
        &p(&sig),
        "--public-key",
        &p(&public),
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let first = run.stdout.lines().next().unwrap_or_default().to_owned();
    assert!(
        first.starts_with("signature verified by key ") && first.contains(" over 3 files ("),
        "{}",
        run.stdout
    );
    std::fs::write(model.join("config.json"), "{}").unwrap();
    let run = mlsc(&[
        "verify",
        &p(&model),
        "--signature",
        &p(&sig),
        "--public-key",
        &p(&public),
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.starts_with("signature NOT verified"),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Item 1: BOMs cover the project.

#[test]
fn bom_of_a_project_has_its_model_and_says_what_it_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let p1 = dir.path().join("p1");
    std::fs::create_dir_all(p1.join("model")).unwrap();
    std::fs::write(
        p1.join("requirements.txt"),
        "torch==1.13.0\nrequests==2.25.0\nnumpy==1.26.4\n",
    )
    .unwrap();
    for f in ["model.safetensors", "config.json"] {
        std::fs::copy(
            workspace().join("examples/hf-model").join(f),
            p1.join("model").join(f),
        )
        .unwrap();
    }
    let run = mlsc(&["sbom", &p(&p1)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bom = json(&run);
    let kinds: Vec<&str> = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["type"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"machine-learning-model"), "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| **k == "library").count(), 3);

    // The audit's BOM is the same BOM.
    let out = dir.path().join("x.json");
    let run = mlsc(&["audit", &p(&p1), "--sbom", &p(&out), "--db", "examples/osv"]);
    assert!(run.code <= 1, "{}{}", run.stdout, run.stderr);
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("\"machine-learning-model\""));

    // A binary of no known kind is not covered, and the command says so (and exits 1 at the default threshold).
    std::fs::write(p1.join("blob.dat"), [0u8, 159, 146, 150, 1, 2, 3, 255]).unwrap();
    let run = mlsc(&["sbom", &p(&p1)]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("MLSC-BOM-008") && run.stderr.contains("blob.dat"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("mlsc:bom:not-covered"));

    // A dataset folder: its data is in the BOM, not an empty BOM.
    let data = dir.path().join("reviews");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("README.md"),
        "---\nlicense: cc-by-4.0\ntask_categories:\n- text-classification\n---\n# Reviews\n",
    )
    .unwrap();
    std::fs::write(data.join("train.csv"), "text,label\ngood,1\n").unwrap();
    let run = mlsc(&["sbom", &p(&data)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bom = json(&run);
    assert_eq!(bom["components"][0]["type"], "data", "{bom:#}");
}

// ---------------------------------------------------------------------------------------------------------------
// Item 8.

#[test]
fn disasm_opens_archive_members() {
    let run = mlsc(&[
        "disasm",
        "examples/hf-model/pytorch_model.bin!pytorch_model/data.pkl",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("GLOBAL") || run.stdout.contains("STACK_GLOBAL"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("posix") || run.stdout.contains("system"),
        "{}",
        run.stdout
    );
    let run = mlsc(&["disasm", "examples/hf-model/pytorch_model.bin!nope.pkl"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no member of that name"),
        "{}",
        run.stderr
    );
}

#[test]
fn audit_warns_of_an_old_database_and_skips_dvc_cache() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("proj");
    std::fs::create_dir_all(root.join(".dvc/cache/files/md5/ab")).unwrap();
    std::fs::write(root.join("requirements.txt"), "requests==2.31.0\n").unwrap();
    // A pickle in DVC's cache is a copy of tracked data, not content to scan twice.
    std::fs::copy(
        workspace().join("examples/hf-model/pytorch_model.bin"),
        root.join(".dvc/cache/files/md5/ab/cdef"),
    )
    .unwrap();
    // The example database's newest record is from 2023: years old today.
    let run = mlsc(&[
        "audit",
        &p(&root),
        "--db",
        "examples/osv",
        "--format",
        "json",
    ]);
    let v = json(&run);
    let deps = check(&v, "deps");
    assert!(
        deps["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "MLSC-DEP-014"),
        "{deps:#}"
    );
    assert!(
        v["inventory"]["model_files"].as_array().unwrap().is_empty(),
        "{:#}",
        v["inventory"]
    );
    assert!(
        !run.stdout.contains("posix"),
        "the cached pickle was not scanned"
    );
}

#[test]
fn advisory_headline_is_a_sentence_about_the_vulnerability() {
    let run = mlsc(&[
        "deps",
        "examples/hf-model/requirements.txt",
        "--db",
        "examples/osv",
    ]);
    assert!(
        !run.stdout.contains("Requests is a HTTP library"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Since Requests 2.3.0"),
        "{}",
        run.stdout
    );
}

#[test]
fn sbom_affected_ranges_bom_advisories_and_many_packages() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("p");
    std::fs::create_dir_all(&proj).unwrap();
    std::fs::write(
        proj.join("requirements.txt"),
        "torch~=1.12\nrequests==2.25.0\n",
    )
    .unwrap();
    let bom = dir.path().join("bom.json");
    let run = mlsc(&["sbom", &p(&proj), "--db", "examples/osv", "-o", &p(&bom)]);
    assert!(run.code <= 1, "{}", run.stderr);
    let run = mlsc(&[
        "sbom",
        "affected",
        "--package",
        "torch<2.6",
        "--package",
        "requests<2.31",
        &p(&bom),
    ]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let torch = run
        .stdout
        .lines()
        .find(|l| l.contains(" torch "))
        .unwrap_or_default();
    assert!(torch.contains("~=1.12"), "{}", run.stdout);
    assert!(
        torch.contains(" affected") && !torch.contains("possibly"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .lines()
            .any(|l| l.contains("requests") && l.contains("2.25.0")),
        "{}",
        run.stdout
    );
    // From the vulnerabilities the BOM carries: no --db needed.
    let run = mlsc(&["sbom", "affected", "--advisory", "CVE-2023-32681", &p(&bom)]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("requests"), "{}", run.stdout);
}

#[test]
fn card_lint_of_a_missing_file_says_so() {
    let run = mlsc(&["card", "lint", "no/such/README.md"]);
    assert_eq!(run.code, 2);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(all.contains("`no/such/README.md` does not exist"), "{all}");
    assert!(!all.contains("cannot read"), "{all}");
}
