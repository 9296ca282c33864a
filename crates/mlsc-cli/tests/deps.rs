//! `mlsc deps` end to end, on the real advisories in `../shared/data/osv-pypi/`: one test per failure of pip-audit
//! named in issue 5, and the exit-status contract (2 when nothing could be checked, never 0).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/osv-pypi/pypi-advisories.jsonl"
);

#[allow(clippy::print_stderr)] // the skip message is the point
fn db() -> Option<&'static str> {
    if Path::new(DATA).is_file() {
        Some(DATA)
    } else {
        eprintln!("skipped: {DATA} is absent (the shared data folder is not on this machine)");
        None
    }
}

/// Runs mlsc in `dir` with no database in the environment (an empty cache), so only `--db` can give one.
fn mlsc(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mlsc"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("XDG_CACHE_HOME", dir.join(".no-cache"))
        .env_remove("MLSC_DB")
        .output()
        .expect("run mlsc")
}

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn vulns(v: &serde_json::Value) -> Vec<(String, String, String)> {
    v["deps"]["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["package"].as_str().unwrap().to_owned(),
                x["id"].as_str().unwrap().to_owned(),
                x["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// pip-audit offline prints "No known vulnerabilities found" and exits 0. Without a database we exit 2 and say how
/// to get one.
#[test]
fn no_database_is_an_error_never_a_pass() {
    let dir = project(&[("requirements.txt", "pillow==9.0.0\n")]);
    let out = mlsc(dir.path(), &["deps"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mlsc db update") && err.contains("--db"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    let out = mlsc(dir.path(), &["deps", "--db", "missing.zip"]);
    assert_eq!(out.status.code(), Some(2));
    // A database file that holds nothing usable is not a database either.
    std::fs::write(dir.path().join("empty.jsonl"), "{broken\n").unwrap();
    let out = mlsc(dir.path(), &["deps", "--db", "empty.jsonl"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn nothing_to_scan_is_an_error() {
    let Some(db) = db() else { return };
    let dir = project(&[("README.md", "no python here\n")]);
    let out = mlsc(dir.path(), &["deps", "--db", db]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to audit"));
    let out = mlsc(dir.path(), &["deps", "--db", db, "missing.txt"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_ml_pins_are_found_with_every_alias_in_json() {
    let Some(db) = db() else { return };
    let dir = project(&[(
        "requirements.txt",
        "torch==2.2.0\ntransformers==4.30.0\nnumpy==1.21.0\npillow==9.0.0\nrequests==2.25.0\nmlflow==2.9.0\ngradio==3.50.0\n",
    )]);
    let out = mlsc(dir.path(), &["deps", "--db", db, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let found = vulns(&v);
    assert_eq!(found.len(), 11, "{found:?}");
    assert!(found.iter().all(|(_, _, k)| k == "affected"));
    let text = String::from_utf8_lossy(&out.stdout);
    for alias in [
        "CVE-2023-32681",
        "GHSA-j8r2-6x86-q33q",
        "CVE-2023-6568",
        "PYSEC-2023-74",
    ] {
        assert!(text.contains(alias), "{alias} missing");
    }
    assert_eq!(v["command"], "deps");
    // Rated by the records' CVSS v3 vectors where they have one, else high; never below medium for these.
    let by = &v["statistics"]["by_severity"];
    let rated = ["critical", "high", "medium"]
        .iter()
        .map(|s| by[s].as_u64().unwrap_or(0))
        .sum::<u64>();
    assert_eq!(rated, 11, "{by}");
    assert!(by["high"].as_u64().unwrap() >= 9, "{by}");
}

/// pip-audit crashes on `===`; we read it as an exact pin.
#[test]
fn arbitrary_equality_pins() {
    let Some(db) = db() else { return };
    let dir = project(&[(
        "requirements.txt",
        "transformers===4.30.0\npillow===9.0.0\n",
    )]);
    let out = mlsc(dir.path(), &["deps", "--db", db, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let deps = v["deps"]["dependencies"].as_array().unwrap();
    assert_eq!(deps[0]["version"], "4.30.0");
    assert_eq!(deps[0]["kind"], "pinned");
    assert_eq!(
        vulns(&v).iter().filter(|(p, _, _)| p == "pillow").count(),
        4
    );
}

/// pip-audit crashes on `==2.9.*`; it is a range here, possibly affected, never resolved to a version.
#[test]
fn wildcard_pins_are_possibly_affected() {
    let Some(db) = db() else { return };
    let dir = project(&[("requirements.txt", "mlflow==2.9.*\n")]);
    let out = mlsc(dir.path(), &["deps", "--db", db, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let found = vulns(&v);
    assert!(!found.is_empty());
    assert!(
        found
            .iter()
            .all(|(p, _, k)| p == "mlflow" && k == "possibly-affected"),
        "{found:?}"
    );
    assert!(v["deps"]["vulnerabilities"][0].get("version").is_none());
}

/// pip-audit silently drops a nested `-r`; we read it, relative to the including file, and locate findings in it.
#[test]
fn nested_requirements_are_read() {
    let Some(db) = db() else { return };
    let dir = project(&[
        ("requirements.txt", "-r reqs/base.txt\n"),
        ("reqs/base.txt", "# base\n-r ml/extra.txt\n"),
        ("reqs/ml/extra.txt", "\n\ngradio==3.50.0\n"),
    ]);
    let out = mlsc(
        dir.path(),
        &["deps", "--db", db, "--format", "json", "requirements.txt"],
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let first = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "MLSC-DEP-001")
        .unwrap();
    let loc = &first["location"];
    assert_eq!(loc["path"], "reqs/ml/extra.txt");
    assert_eq!(loc["line"], 3);
}

/// pip-audit evaluates markers on the host; we evaluate them for the target the flags name.
#[test]
fn markers_follow_the_target_flags() {
    let Some(db) = db() else { return };
    let dir = project(&[(
        "requirements.txt",
        "pillow==9.0.0 ; sys_platform == 'win32'\nrequests==2.25.0 ; python_version < '3.8'\n",
    )]);
    let count = |args: &[&str]| -> usize {
        let mut a = vec!["deps", "--db", db, "--format", "json"];
        a.extend_from_slice(args);
        vulns(&json(&mlsc(dir.path(), &a))).len()
    };
    assert_eq!(count(&[]), 0, "the default target is linux, python 3.12");
    assert_eq!(count(&["--platform", "windows"]), 4);
    assert_eq!(
        count(&["--platform", "windows", "--python-version", "3.7"]),
        5
    );
    let out = mlsc(dir.path(), &["deps", "--db", db]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// pip-audit ignores `pylock.toml` markers; we honour them.
#[test]
fn pylock_markers_are_honoured() {
    let Some(db) = db() else { return };
    let dir = project(&[(
        "pylock.toml",
        "lock-version = \"1.0\"\ncreated-by = \"test\"\n\n[[packages]]\nname = \"pillow\"\nversion = \"9.0.0\"\n\
         marker = \"sys_platform == 'darwin'\"\n\n[[packages]]\nname = \"requests\"\nversion = \"2.25.0\"\n\
         marker = \"sys_platform == 'linux'\"\n",
    )]);
    let out = mlsc(dir.path(), &["deps", "--db", db, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let found = vulns(&json(&out));
    assert_eq!(
        found,
        [(
            "requests".to_owned(),
            "PYSEC-2023-74".to_owned(),
            "affected".to_owned()
        )]
    );
    let out = mlsc(
        dir.path(),
        &[
            "deps",
            "--db",
            db,
            "--format",
            "json",
            "--platform",
            "macos",
        ],
    );
    assert_eq!(vulns(&json(&out)).len(), 4);
}

#[test]
fn a_bad_line_reports_file_and_line_and_exits_2() {
    let Some(db) = db() else { return };
    let dir = project(&[("requirements.txt", "pillow==9.0.0\nnot valid at all\n")]);
    let out = mlsc(dir.path(), &["deps", "--db", db]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("requirements.txt:2"), "{text}");
    assert!(
        text.contains("PYSEC-2022-168"),
        "the other lines are still audited: {text}"
    );
}

#[test]
fn sarif_output() {
    let Some(db) = db() else { return };
    let dir = project(&[("requirements.txt", "requests==2.25.0\n")]);
    let out = mlsc(dir.path(), &["deps", "--db", db, "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["version"], "2.1.0");
    // The shared copy is from 2024: the stale-database warning (MLSC-DEP-014) comes with it.
    let results: Vec<&serde_json::Value> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] != "MLSC-DEP-014")
        .collect();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "MLSC-DEP-001");
    let schema = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/schemas/sarif/sarif-2.1.0.json");
    if let Ok(text) = std::fs::read_to_string(&schema) {
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
}

#[test]
fn ignores_in_mlsc_toml() {
    let Some(db) = db() else { return };
    let dir = project(&[
        ("requirements.txt", "requests==2.25.0\n"),
        (
            "mlsc.toml",
            "[deps]\nignore = [{ id = \"CVE-2023-32681\", reason = \"proxy auth unused\", expires = 2999-01-01 }]\n",
        ),
    ]);
    let out = mlsc(dir.path(), &["deps", "--db", db, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json(&out)["deps"]["ignored"][0]["id"], "PYSEC-2023-74");
    std::fs::write(
        dir.path().join("mlsc.toml"),
        "[deps]\nignore = [{ id = \"PYSEC-2023-74\", reason = \"old\", expires = \"2000-01-01\" }]\n",
    )
    .unwrap();
    let out = mlsc(dir.path(), &["deps", "--db", db, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let codes: Vec<String> = json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .filter(|c| c != "MLSC-DEP-014")
        .collect();
    assert_eq!(codes, ["MLSC-DEP-001", "MLSC-DEP-008"]);
}

#[test]
fn fix_rewrites_pins_keeping_the_layout() {
    let Some(db) = db() else { return };
    let original = "# pinned by hand\nPillow==9.0.0   # imaging\nrequests == 2.25.0 ; python_version >= '3.7'\nnumpy==1.26.4\n";
    let dir = project(&[("requirements.txt", original)]);
    let out = mlsc(dir.path(), &["deps", "--db", db, "--fix", "--dry-run"]);
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains("-Pillow==9.0.0   # imaging\n+Pillow==10.0.1   # imaging\n"),
        "{diff}"
    );
    assert!(
        diff.contains("+requests == 2.31.0 ; python_version >= '3.7'"),
        "{diff}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("requirements.txt")).unwrap(),
        original
    );
    let out = mlsc(dir.path(), &["deps", "--db", db, "--fix"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let fixed = std::fs::read_to_string(dir.path().join("requirements.txt")).unwrap();
    assert_eq!(
        fixed,
        "# pinned by hand\nPillow==10.0.1   # imaging\nrequests == 2.31.0 ; python_version >= '3.7'\nnumpy==1.26.4\n"
    );
    let leftovers: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .contains("mlsc-fix")
        })
        .collect();
    assert!(leftovers.is_empty());
}

/// pip-audit writes CycloneDX 1.4 without purls; we write 1.6 with purls and a vulnerabilities section that
/// references the components.
#[test]
fn cyclonedx_with_purls_and_vulnerabilities() {
    let Some(db) = db() else { return };
    let dir = project(&[("requirements.txt", "pillow==9.0.0\nrequests>=2.0\n")]);
    let out = mlsc(
        dir.path(),
        &[
            "deps",
            "--db",
            db,
            "--format",
            "cyclonedx",
            "requirements.txt",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["bomFormat"], "CycloneDX");
    assert_eq!(v["specVersion"], "1.6");
    let comps = v["components"].as_array().unwrap();
    let pillow = comps.iter().find(|c| c["name"] == "pillow").unwrap();
    assert_eq!(pillow["purl"], "pkg:pypi/pillow@9.0.0");
    let requests = comps.iter().find(|c| c["name"] == "requests").unwrap();
    assert_eq!(
        requests["purl"], "pkg:pypi/requests",
        "a range is never written as a version"
    );
    assert!(requests.get("version").is_none());
    let vulns = v["vulnerabilities"].as_array().unwrap();
    let pillow_ref = pillow["bom-ref"].as_str().unwrap();
    let on_pillow: Vec<&str> = vulns
        .iter()
        .filter(|x| {
            x["affects"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["ref"] == pillow_ref)
        })
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(on_pillow.len(), 4, "{on_pillow:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("CVE-2022-24303"), "aliases are references");
    let validation = mlsc_sbom::validate_bom_json(&out.stdout, "bom.json");
    assert!(validation.is_valid(), "{:#?}", validation.findings);
}

const FEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../mlsc-deps/tests/fixtures/osv-feed"
);

/// OSV's `all.zip` shape, from the feed fixtures of mlsc-deps (GHSA, PYSEC, withdrawn, MAL records).
fn feed_zip(dir: &Path) -> PathBuf {
    let path = dir.join("all.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let mut names: Vec<PathBuf> = std::fs::read_dir(FEED)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    for p in names {
        zip.start_file(
            p.file_name().unwrap().to_str().unwrap(),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        std::io::Write::write_all(&mut zip, &std::fs::read(&p).unwrap()).unwrap();
    }
    zip.finish().unwrap();
    path
}

/// Issue 15: `steam==1.0` against PYSEC-2019-125 (`fixed: "2019-09-12"`) was "1 clean", exit 0.
#[test]
fn an_unevaluable_advisory_is_never_clean() {
    let Some(db) = db() else { return };
    let dir = project(&[("requirements.txt", "steam==1.0\n")]);
    let out = mlsc(dir.path(), &["deps", "--db", db]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("MLSC-DEP-012")
            && text.contains("PYSEC-2019-125")
            && text.contains("2019-09-12"),
        "{text}"
    );
}

/// A package known to be malicious makes `mlsc deps` exit 1 with a critical finding, whatever its version.
#[test]
fn a_malicious_package_fails_with_a_critical_finding() {
    let dir = project(&[("requirements.txt", "torch==2.5.1\ntorchtriton==2.0.0\n")]);
    let db = feed_zip(dir.path());
    let out = mlsc(
        dir.path(),
        &[
            "deps",
            "--db",
            db.to_str().unwrap(),
            "--format",
            "json",
            "requirements.txt",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let mal: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "MLSC-DEP-013")
        .collect();
    assert_eq!(mal.len(), 1, "{v}");
    assert_eq!(mal[0]["severity"], "critical");
    assert_eq!(mal[0]["location"]["line"], 2);
    assert_eq!(v["deps"]["vulnerabilities"][0]["malicious"], true);
}

/// `--ignore-vuln ID[:REASON[:UNTIL]]` beside mlsc.toml: by GHSA id or CVE alias, with a reason and an expiry.
#[test]
fn ignore_vuln_on_the_command_line() {
    let dir = project(&[("requirements.txt", "requests==2.30.0\n")]);
    let db = feed_zip(dir.path());
    let db = db.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut a = vec!["deps", "--db", db, "--format", "json", "requirements.txt"];
        a.extend_from_slice(extra);
        mlsc(dir.path(), &a)
    };
    assert_eq!(run(&[]).status.code(), Some(1));
    let out = run(&[
        "--ignore-vuln",
        "CVE-2023-32681:no proxies: not on this path:2999-01-01",
        "--ignore-vuln",
        "GHSA-9wx4-h78v-vm56",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v = json(&out);
    let ignored = v["deps"]["ignored"].as_array().unwrap();
    assert_eq!(ignored.len(), 2);
    let proxy = ignored.iter().find(|i| i["id"] == "PYSEC-2023-74").unwrap();
    assert_eq!(proxy["reason"], "no proxies: not on this path");
    assert_eq!(proxy["expires"], "2999-01-01");
    // Expired: reported again, with the expiry finding.
    let out = run(&[
        "--ignore-vuln",
        "CVE-2023-32681:old:2000-01-01",
        "--ignore-vuln",
        "GHSA-9wx4-h78v-vm56",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("MLSC-DEP-008"));
    let out = run(&["--ignore-vuln", "CVE-2023-32681:reason:2027-13-45"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a date"));
}

/// pip-audit's markdown table, and a refusal that names the formats `deps` really writes.
#[test]
fn markdown_output_and_format_refusal() {
    let dir = project(&[("requirements.txt", "requests==2.30.0\nPillow\n")]);
    let db = feed_zip(dir.path());
    let db = db.to_str().unwrap();
    let out = mlsc(
        dir.path(),
        &[
            "deps",
            "--db",
            db,
            "--format",
            "markdown",
            "requirements.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("Name | Version | ID | Fix Versions |"),
        "{text}"
    );
    assert!(lines[1].starts_with("--- | --- | --- | ---"), "{text}");
    assert!(
        lines.contains(&"requests | 2.30.0 | GHSA-9wx4-h78v-vm56 | 2.32.0 | medium | affected | requirements.txt:1"),
        "{text}"
    );
    let out = mlsc(
        dir.path(),
        &["deps", "--db", db, "--format", "html", "requirements.txt"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`--format html` is not available for `mlsc deps`: use human, json, sarif, markdown or cyclonedx"),
        "{err}"
    );
}

/// A database older than 30 days is said, with its date (the newest `modified` of its records).
#[test]
fn a_stale_database_is_warned_with_its_date() {
    let Some(db) = db() else { return };
    let dir = project(&[("requirements.txt", "pillow==10.3.0\n")]);
    let out = mlsc(dir.path(), &["deps", "--db", db]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("MLSC-DEP-014") && text.contains("is from 2024-"),
        "{text}"
    );
    // A warning: low, so the default threshold does not fail on it.
    assert_eq!(out.status.code(), Some(0), "{text}");
}

/// `${VAR}` as pip expands it (`src/pip/_internal/req/req_file.py`, `expand_env_variables`): only `${UPPER_1}`
/// names, from the environment; an unset or empty variable stays literal, so that line cannot be read (exit 2).
#[test]
fn environment_variables_expand_as_pip_does() {
    let dir = project(&[("requirements.txt", "requests==${REQUESTS_VERSION}\n")]);
    let db = feed_zip(dir.path());
    let run = |value: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_mlsc"));
        c.args([
            "deps",
            "--db",
            db.to_str().unwrap(),
            "--format",
            "json",
            "requirements.txt",
        ])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env_remove("MLSC_DB")
        .env_remove("REQUESTS_VERSION");
        if let Some(v) = value {
            c.env("REQUESTS_VERSION", v);
        }
        c.output().unwrap()
    };
    let out = run(Some("2.30.0"));
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["deps"]["dependencies"][0]["version"], "2.30.0");
    assert_eq!(vulns(&v).len(), 2);
    let out = run(None);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("${REQUESTS_VERSION}"));
}

/// `mlsc deps VENV` evaluates markers for the venv's own interpreter (its `pyvenv.cfg`), not for 3.12.
#[test]
fn a_venv_is_audited_for_its_own_interpreter() {
    let dir = project(&[
        (
            "venv/pyvenv.cfg",
            "home = /usr/bin\nimplementation = CPython\nversion_info = 3.11.9\n",
        ),
        (
            "venv/lib/python3.11/site-packages/requests-2.30.0.dist-info/METADATA",
            "Metadata-Version: 2.1\nName: requests\nVersion: 2.30.0\n",
        ),
    ]);
    let db = feed_zip(dir.path());
    let db = db.to_str().unwrap();
    let out = mlsc(
        dir.path(),
        &["deps", "--db", db, "--format", "json", "venv"],
    );
    let v = json(&out);
    assert_eq!(v["deps"]["target"], "cpython 3.11 linux");
    assert_eq!(out.status.code(), Some(1));
    // An explicit flag wins.
    let out = mlsc(
        dir.path(),
        &[
            "deps",
            "--db",
            db,
            "--format",
            "json",
            "--python-version",
            "3.9",
            "venv",
        ],
    );
    assert_eq!(json(&out)["deps"]["target"], "cpython 3.9 linux");
}
