//! End-to-end tests of `mlsc audit` on the bundled example (`examples/`, made by `examples/make-examples.py`).

// A skipped test says why on stderr.
#![allow(clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shared(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "skipping: the shared data folder `{}` is absent",
            p.display()
        );
        None
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `mlsc` from the workspace root with a clean environment: no colour, reproducible timings, an empty
/// home and cache (so no advisory database downloaded by `mlsc db update` is found).
fn mlsc(args: &[&str]) -> Run {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mlsc"))
        .args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "0")
        .env("HOME", home.path())
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env_remove("MLSC_DB")
        .output()
        .expect("mlsc runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

const EXAMPLE: [&str; 4] = ["audit", "examples/hf-model", "--db", "examples/osv"];

fn example(format: &str) -> Run {
    let mut args = EXAMPLE.to_vec();
    args.extend(["--format", format]);
    mlsc(&args)
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(env!("CARGO_PKG_VERSION"), "[VERSION]");
    s.add_filter(r"\d+ ms", "[N] ms");
    // The stale-database warning counts days up to today (the example database is from 2023).
    s.add_filter(
        r"\d+ days before \d{4}-\d{2}-\d{2}",
        "[N] days before [TODAY]",
    );
    s.set_prepend_module_to_snapshot(false);
    s
}

fn snapshot_run(name: &str, run: &Run) {
    settings().bind(|| {
        insta::assert_snapshot!(
            name,
            format!(
                "exit code: {}\n----- stdout -----\n{}----- stderr -----\n{}",
                run.code, run.stdout, run.stderr
            )
        );
    });
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

#[test]
fn example_human() {
    let run = example("human");
    snapshot_run("example_human", &run);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("FAIL"));
}

#[test]
fn example_markdown() {
    let run = example("markdown");
    assert_eq!(run.code, 1);
    assert!(run.stdout.starts_with("# mlsc audit: examples/hf-model\n"));
    settings().bind(|| insta::assert_snapshot!("example_markdown", run.stdout));
}

/// Every kind of finding the example exists to show, checked on the JSON so that renderers cannot hide one.
#[test]
fn example_shows_every_kind_of_finding() {
    let run = example("json");
    assert_eq!(run.code, 1);
    let v = json(&run);
    assert_eq!(v["kind"], "mlsc-audit");
    assert_eq!(v["verdict"], "fail");
    let codes: Vec<&str> = v["report"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    let finding = |code: &str, needle: &str| {
        v["report"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == code && f.to_string().contains(needle))
            .unwrap_or_else(|| panic!("no {code} finding mentioning {needle}: {codes:?}"))
            .clone()
    };
    // The malicious pickle inside the PyTorch zip, named as the unpickler resolves it, with its member and offset.
    let pickle = finding("MLSC-PKL-001", "posix.system");
    assert_eq!(pickle["severity"], "critical");
    assert_eq!(pickle["location"]["members"][0], "pytorch_model/data.pkl");
    // The pins with real advisories, each with its alias and fix.
    let torch = finding("MLSC-DEP-001", "PYSEC-2022-43015");
    assert!(torch.to_string().contains("CVE-2022-45907"));
    assert_eq!(torch["location"]["line"], 2);
    finding("MLSC-DEP-001", "PYSEC-2023-74");
    // transformers==4.30.0 has no advisory in the bundled database, so it must not be reported.
    assert!(!run.stdout.contains("`transformers` 4.30.0 is affected"));
    // The card's gaps: placeholders, missing evaluation and bias sections.
    finding("MLSC-CARD-104", "evaluation");
    finding("MLSC-CARD-103", "bias");
    // A non-commercial licence, reported even without a policy (as a low-severity warning).
    finding("MLSC-AUDIT-002", "cc-by-nc-4.0");
    // The DVC record whose data changed (a same-size edit).
    finding("MLSC-PROV-020", "train.csv");
    // The benign safetensors file is clean.
    let st = v["report"]["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["path"] == "examples/hf-model/model.safetensors")
        .unwrap();
    assert_eq!(st["verdict"]["assessment"], "clean");
    assert_eq!(st["verdict"]["completeness"], "complete");
    // The reasons come first and explain the verdict: at least one fail reason.
    assert!(
        v["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["outcome"] == "fail")
    );
    // Checks that ran are sections; checks that did not are listed with a reason.
    let ran: Vec<&str> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    let skipped: Vec<&str> = v["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    for check in ["scan", "deps", "card", "verify"] {
        assert!(
            ran.contains(&check) || skipped.contains(&check),
            "{check} neither ran nor was skipped"
        );
    }
    for check in ["scan", "deps", "card", "verify"] {
        assert!(ran.contains(&check), "{check} did not run");
    }
    assert!(skipped.contains(&"sbom"));
}

/// Without an advisory database the audit never passes silently: the deps section, a reason and a finding say
/// that nothing was looked up and how to get a database.
#[test]
fn missing_database_is_a_visible_warning() {
    let run = mlsc(&["audit", "examples/hf-model", "--format", "json"]);
    assert_eq!(run.code, 1);
    let v = json(&run);
    let reason = v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"] == "deps" && r["message"].as_str().unwrap().contains("mlsc db update"))
        .expect("a deps reason saying how to get a database");
    assert_eq!(reason["outcome"], "warn");
    assert!(reason["message"].as_str().unwrap().contains("--db"));
    assert!(
        v["report"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "MLSC-AUDIT-006")
    );
    // The same in the human report, in its first lines.
    let run = mlsc(&["audit", "examples/hf-model"]);
    let head: String = run.stdout.lines().take(12).collect::<Vec<_>>().join("\n");
    assert!(head.contains("mlsc db update"), "{}", run.stdout);
    // And a dependency-only project with no database is a warn (medium), which exits 0 below the default
    // threshold (the policy's `high`) and fails from `--fail-on medium`.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "requests==2.31.0\n").unwrap();
    let target = dir.path().display().to_string();
    let run = mlsc(&["audit", &target, "--format", "json"]);
    let v = json(&run);
    assert_eq!(v["verdict"], "warn", "{}", run.stdout);
    assert_eq!(run.code, 0);
    let run = mlsc(&["audit", &target, "--fail-on", "medium", "--format", "json"]);
    assert_eq!(json(&run)["verdict"], "fail", "{}", run.stdout);
    assert_eq!(run.code, 1);
}

/// `[deps] ignore` in mlsc.toml silences an advisory with a reason; an expired ignore does not.
#[test]
fn ignores_from_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("mlsc.toml");
    std::fs::write(
        &config,
        "[deps]\nignore = [\n  { id = \"CVE-2023-32681\", reason = \"no proxies in use\", expires = \"2999-01-01\" },\n  { id = \"PYSEC-2022-43015\", reason = \"expired\", expires = \"2000-01-01\" },\n]\n",
    )
    .unwrap();
    let config = config.display().to_string();
    let mut args = EXAMPLE.to_vec();
    args.extend(["--format", "json", "--config", &config]);
    let run = mlsc(&args);
    let v = json(&run);
    let dep_ids: Vec<String> = v["report"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "MLSC-DEP-001")
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        dep_ids.iter().all(|m| !m.contains("PYSEC-2023-74")),
        "{dep_ids:?}"
    );
    assert!(
        dep_ids.iter().any(|m| m.contains("PYSEC-2022-43015")),
        "{dep_ids:?}"
    );
}

fn report_schema_validator(schema_file: &str) -> jsonschema::Validator {
    let root = workspace().join("schemas");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("report.schema.json")).unwrap())
            .unwrap();
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join(schema_file)).unwrap()).unwrap();
    jsonschema::options()
        .with_resource(
            "https://github.com/mlsc-dev/mlsc/schemas/report.schema.json",
            jsonschema::Resource::from_contents(report).unwrap(),
        )
        .build(&schema)
        .expect("a valid schema")
}

#[test]
fn example_json_matches_the_audit_schema() {
    let validator = report_schema_validator("audit.schema.json");
    let run = example("json");
    let v = json(&run);
    let errors: Vec<String> = validator
        .iter_errors(&v)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema is not vacuous.
    let mut bad = v.clone();
    bad["verdict"] = "maybe".into();
    assert!(!validator.is_valid(&bad));
    let mut bad = v;
    bad["report"]["findings"][0]["severity"] = "severe".into();
    assert!(!validator.is_valid(&bad));
}

#[test]
fn example_sarif_is_valid_sarif() {
    let run = example("sarif");
    assert_eq!(run.code, 1);
    let log = json(&run);
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    // Every result's rule is described, including the audit's own policy codes.
    let rules: Vec<&str> = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for r in results {
        assert!(rules.contains(&r["ruleId"].as_str().unwrap()));
    }
    let Some(schema_path) = shared("schemas/sarif/sarif-schema-2.1.0.json") else {
        return;
    };
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("valid SARIF schema");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// A structural check of the HTML without a browser: every non-void element closed in order, no script element,
/// no event-handler or resource attribute, only in-page links, and CSS without remote resources. Text content may
/// hold anything (it is escaped); only markup is inspected.
fn check_html_structure(html: &str) {
    const VOID: &[&str] = &["meta", "br", "hr", "img", "link", "input", "wbr"];
    assert!(html.starts_with("<!DOCTYPE html>"));
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after.find('>').expect("every tag is closed");
        let tag = &after[..end];
        rest = &after[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack
                .pop()
                .unwrap_or_else(|| panic!("`</{name}>` closes nothing"));
            assert_eq!(open, name, "`<{open}>` closed by `</{name}>`");
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(!name.is_empty(), "malformed tag `<{tag}>`");
        assert!(
            !matches!(
                name.as_str(),
                "script" | "iframe" | "object" | "embed" | "img" | "link" | "base" | "form"
            ),
            "forbidden element `<{tag}>`"
        );
        let lower = tag.to_ascii_lowercase();
        assert!(!lower.contains("src="), "resource attribute in `<{tag}>`");
        assert!(!lower.contains(" on"), "event handler in `<{tag}>`");
        for href in lower.split("href=\"").skip(1) {
            assert!(href.starts_with('#'), "only in-page links: `<{tag}>`");
        }
        if name == "style" {
            // CSS is not markup: check it has no remote resources and skip to its end tag.
            let close = rest.find("</style>").expect("style closed");
            let css = &rest[..close];
            assert!(
                !css.contains("url(") && !css.contains("@import"),
                "remote CSS"
            );
            rest = &rest[close + "</style>".len()..];
            continue;
        }
        if !VOID.contains(&name.as_str()) {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

/// File names and card fields are attacker-controlled: they reach every renderer escaped.
#[test]
fn hostile_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model");
    std::fs::create_dir(&model).unwrap();
    let name = "x<script>alert(1)<\\script>|[l](http:e)`.bin";
    std::fs::write(
        model.join(name),
        b"\x80\x02cposix\nsystem\nX\x02\x00\x00\x00id\x85R.",
    )
    .unwrap();
    std::fs::write(
        model.join("README.md"),
        "---\nlicense: \"<img src=x onerror=alert(2)>\"\n---\n# m\n",
    )
    .unwrap();
    let target = model.display().to_string();
    let run = mlsc(&["audit", &target, "--format", "html"]);
    assert_eq!(run.code, 1);
    check_html_structure(&run.stdout);
    assert!(run.stdout.contains("x&lt;script&gt;alert(1)&lt;"));
    assert!(run.stdout.contains("&lt;img src=x onerror=alert(2)&gt;"));
    let run = mlsc(&["audit", &target, "--format", "markdown"]);
    assert!(!run.stdout.contains("<script>"), "{}", run.stdout);
    assert!(!run.stdout.contains("<img"), "{}", run.stdout);
    assert!(run.stdout.contains("\\[l\\](http:e)"));
    // Every table row keeps its column count: a `|` in a name cannot add a cell.
    for line in run
        .stdout
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("alert(1)"))
    {
        let cells = line.replace("\\|", "").matches('|').count();
        assert!(cells == 5 || cells == 6 || cells == 3, "{line}");
    }
}

#[test]
fn example_html_is_self_contained_and_renders() {
    let run = example("html");
    assert_eq!(run.code, 1);
    let html = &run.stdout;
    check_html_structure(html);
    assert!(html.contains("Content-Security-Policy"));
    assert!(!html.to_ascii_lowercase().contains("<script"));
    assert!(html.contains("<span class=\"badge fail\">fail</span>"));

    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    let Some(chromium) = chromium else {
        eprintln!(
            "skipping the browser rendering: chromium is not installed (Debian package `chromium`)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("audit.html");
    std::fs::write(&page, html).unwrap();
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-dev-shm-usage",
            &format!("--user-data-dir={}", dir.path().join("profile").display()),
            "--dump-dom",
        ])
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("id=\"verdict\""),
        "chromium rendered no verdict; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The browser's DOM holds the same sections and the findings' text, unescaped once.
    for id in ["reasons", "check-verify", "skipped", "inventory", "rules"] {
        assert!(dom.contains(&format!("id=\"{id}\"")), "{id} missing");
    }
    assert!(dom.contains("train.csv"));
    // Issue 14: names in backticks are code, findings are grouped by file, every code links to its rule's text
    // on the same page.
    assert!(dom.contains("<code>posix.system</code>"), "no code span");
    assert!(
        dom.contains("<tr class=\"file\">")
            && dom.contains("examples/hf-model/pytorch_model.bin</code> <span"),
        "no file group"
    );
    assert!(dom.contains("href=\"#rule-MLSC-PKL-001\""), "no rule link");
    assert!(dom.contains("id=\"rule-MLSC-PKL-001\""), "no rule anchor");
    assert!(
        !dom.contains("`posix.system`"),
        "a code span left as backticks"
    );
}

#[test]
fn commercial_policy_fails_a_non_commercial_licence() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("mlsc.toml");
    std::fs::write(&config, "[policy]\ncommercial = true\n").unwrap();
    let mut args = EXAMPLE.to_vec();
    let config = config.display().to_string();
    args.extend(["--format", "json", "--config", &config]);
    let run = mlsc(&args);
    assert_eq!(run.code, 1);
    let v = json(&run);
    let reason = v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "MLSC-AUDIT-002")
        .expect("the licence is a reason");
    assert_eq!(reason["outcome"], "fail");
    assert_eq!(reason["severity"], "high");
    assert_eq!(v["policy"]["commercial"], true);
}

#[test]
fn deny_list_and_required_signature() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("mlsc.toml");
    std::fs::write(
        &config,
        "[policy]\nrequire_signature = true\n[policy.models]\ndeny_licenses = [\"CC-BY-NC-4.0\"]\n",
    )
    .unwrap();
    let config = config.display().to_string();
    let mut args = EXAMPLE.to_vec();
    args.extend(["--format", "json", "--config", &config]);
    let v = json(&mlsc(&args));
    let codes: Vec<&str> = v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"] == "fail")
        .filter_map(|r| r["code"].as_str())
        .collect();
    assert!(codes.contains(&"MLSC-AUDIT-001"), "{codes:?}");
    assert!(codes.contains(&"MLSC-AUDIT-005"), "{codes:?}");
}

/// A model directory whose only gap is a missing card warns, and the warning (low) is below the default
/// `--fail-on medium`, so the exit status is 0 unless `--fail-on low` asks for more.
#[test]
fn a_model_without_card_warns_below_the_threshold() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        workspace().join("examples/hf-model/model.safetensors"),
        dir.path().join("model.safetensors"),
    )
    .unwrap();
    let target = dir.path().display().to_string();
    let run = mlsc(&["audit", &target, "--format", "json"]);
    let v = json(&run);
    // No card: a warning (low), which is below the default --fail-on medium, so exit 0.
    assert_eq!(v["verdict"], "warn", "{}", run.stdout);
    assert!(
        v["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "MLSC-AUDIT-008")
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    // With --fail-on low the same warning fails the run.
    let run = mlsc(&["audit", &target, "--fail-on", "low"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
}

#[test]
fn usage_errors_exit_2() {
    let run = mlsc(&["audit", "examples/does-not-exist"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("examples/does-not-exist"),
        "{}",
        run.stderr
    );
    let run = example("cyclonedx");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--sbom"));
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("mlsc.toml");
    std::fs::write(&config, "[policy]\ncomercial = true\n").unwrap();
    let config = config.display().to_string();
    let run = mlsc(&["audit", "examples/hf-model", "--config", &config]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("comercial"), "{}", run.stderr);
}

#[test]
fn the_example_is_what_the_generator_writes() {
    // The committed example must be exactly what the checked-in script produces, so nobody edits one without
    // the other. Needs python3; skipped without it.
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("skipping: python3 is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = workspace().join("examples/make-examples.py");
    std::fs::copy(&script, dir.path().join("make-examples.py")).unwrap();
    let status = Command::new("python3")
        .arg(dir.path().join("make-examples.py"))
        .status()
        .unwrap();
    assert!(status.success());
    for rel in [
        "NOTICE.md",
        "mlsc.toml",
        "hf-model/README.md",
        "hf-model/config.json",
        "hf-model/model.safetensors",
        "hf-model/pytorch_model.bin",
        "hf-model/requirements.txt",
        "hf-model/data/train.csv",
        "hf-model/data/train.csv.dvc",
        "osv/PYSEC-2022-43015.json",
        "osv/PYSEC-2023-74.json",
    ] {
        let fresh = std::fs::read(dir.path().join(rel)).unwrap();
        let committed = std::fs::read(workspace().join("examples").join(rel)).unwrap();
        assert!(
            fresh == committed,
            "examples/{rel} differs from what make-examples.py writes"
        );
    }
}

/// A signature made with `mlsc sign` verifies in the audit (and satisfies `require_signature`); after a byte of
/// the model changes, the same audit fails and names the file.
#[test]
fn signature_verified_then_tampered() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model");
    std::fs::create_dir(&model).unwrap();
    std::fs::copy(
        workspace().join("examples/hf-model/model.safetensors"),
        model.join("model.safetensors"),
    )
    .unwrap();
    std::fs::copy(
        workspace().join("examples/hf-model/config.json"),
        model.join("config.json"),
    )
    .unwrap();
    std::fs::write(
        model.join("README.md"),
        "---\nlicense: apache-2.0\n---\n# m\n",
    )
    .unwrap();
    let key = dir.path().join("key.pem");
    let public = dir.path().join("key.pub.pem");
    let sig = dir.path().join("model.sig");
    let p = |x: &Path| x.display().to_string();
    let run = mlsc(&[
        "keygen",
        "--private-key",
        &p(&key),
        "--public-key",
        &p(&public),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = mlsc(&[
        "sign",
        &p(&model),
        "--private-key",
        &p(&key),
        "--signature",
        &p(&sig),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let config = dir.path().join("mlsc.toml");
    std::fs::write(&config, "[policy]\nrequire_signature = true\n").unwrap();
    let audit = || {
        json(&mlsc(&[
            "audit",
            &p(&model),
            "--signature",
            &p(&sig),
            "--public-key",
            &p(&public),
            "--config",
            &p(&config),
            "--format",
            "json",
        ]))
    };
    let v = audit();
    let verify = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "verify")
        .expect("the verify check ran");
    assert_eq!(verify["outcome"], "pass", "{v:#}");
    assert!(
        v["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["code"] != "MLSC-AUDIT-005"),
        "{v:#}"
    );
    // Tamper: same size, one byte different.
    let weights = model.join("model.safetensors");
    let mut bytes = std::fs::read(&weights).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&weights, bytes).unwrap();
    let v = audit();
    assert_eq!(v["verdict"], "fail");
    let verify = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "verify")
        .unwrap();
    assert_eq!(verify["outcome"], "fail", "{v:#}");
    assert!(verify.to_string().contains("model.safetensors"));
    assert!(
        v["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "MLSC-AUDIT-005")
    );
}

/// `[scan] allow` in mlsc.toml lets a model's own class through the pickle analyser; without it the same call is
/// suspicious and the audit warns.
#[test]
fn scan_allow_from_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model");
    std::fs::create_dir(&model).unwrap();
    // PROTO 2, GLOBAL 'mypkg.layers Custom', EMPTY_TUPLE, REDUCE, STOP: calls a callable on no built-in list.
    std::fs::write(
        model.join("layer.pkl"),
        b"\x80\x02cmypkg.layers\nCustom\n)R.",
    )
    .unwrap();
    std::fs::write(
        model.join("README.md"),
        "---\nlicense: apache-2.0\n---\n# m\n",
    )
    .unwrap();
    let target = model.display().to_string();
    let scan_outcome = |v: &Value| {
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == "scan")
            .unwrap()["outcome"]
            .clone()
    };
    let v = json(&mlsc(&["audit", &target, "--format", "json"]));
    assert_eq!(scan_outcome(&v), "warn", "{v:#}");
    let config = dir.path().join("mlsc.toml");
    std::fs::write(&config, "[scan]\nallow = [\"mypkg.layers.Custom\"]\n").unwrap();
    let config = config.display().to_string();
    let v = json(&mlsc(&[
        "audit", &target, "--format", "json", "--config", &config,
    ]));
    assert_eq!(scan_outcome(&v), "pass", "{v:#}");
}

/// `[card] min_score` fails the example's card, whose completeness score is low, and names the score.
#[test]
fn card_min_score_from_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("mlsc.toml");
    std::fs::write(&config, "[card]\nmin_score = 90\n").unwrap();
    let config = config.display().to_string();
    let mut args = EXAMPLE.to_vec();
    args.extend(["--format", "json", "--config", &config]);
    let v = json(&mlsc(&args));
    let reason = v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "MLSC-AUDIT-004")
        .expect("a card-score reason");
    assert_eq!(reason["outcome"], "fail");
    assert!(
        reason["message"]
            .as_str()
            .unwrap()
            .contains("below the policy's minimum of 90")
    );
    // With a minimum of 0, no card fails it.
    std::fs::write(&config, "[card]\nmin_score = 0\n").unwrap();
    let v = json(&mlsc(&args));
    assert!(
        v["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["code"] != "MLSC-AUDIT-004")
    );
}

/// `--sbom FILE` writes a CycloneDX ML-BOM of the audited directory next to the report, with the advisories the
/// deps check found, and the report gets an `sbom` section.
#[test]
fn sbom_written_alongside() {
    let dir = tempfile::tempdir().unwrap();
    let bom_path = dir.path().join("bom.json");
    let bom_arg = bom_path.display().to_string();
    let mut args = EXAMPLE.to_vec();
    args.extend(["--format", "json", "--sbom", &bom_arg]);
    let v = json(&mlsc(&args));
    let section = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "sbom")
        .expect("an sbom section");
    assert!(
        section["errors"].as_array().unwrap().is_empty(),
        "{section:#}"
    );
    let bom: Value = serde_json::from_str(&std::fs::read_to_string(&bom_path).unwrap()).unwrap();
    assert_eq!(bom["bomFormat"], "CycloneDX");
    assert_eq!(bom["specVersion"], "1.6");
    let ids: Vec<&str> = bom["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"PYSEC-2022-43015"), "{ids:?}");
    assert!(ids.contains(&"PYSEC-2023-74"), "{ids:?}");
    // The model is a machine-learning-model component somewhere in the BOM.
    assert!(bom.to_string().contains("machine-learning-model"));
}

/// The pass path: a benign model with a licensed card, under a policy that only warns from medium upwards, passes
/// with no reasons and exits 0; every report format says so.
#[test]
fn a_benign_model_passes() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model");
    std::fs::create_dir(&model).unwrap();
    std::fs::copy(
        workspace().join("examples/hf-model/model.safetensors"),
        model.join("model.safetensors"),
    )
    .unwrap();
    std::fs::write(
        model.join("README.md"),
        "---\nlicense: apache-2.0\nlanguage: [en]\n---\n# tiny\n\nA tiny classifier.\n",
    )
    .unwrap();
    let config = dir.path().join("mlsc.toml");
    std::fs::write(&config, "[policy]\nwarn_on = \"medium\"\n").unwrap();
    let (target, config) = (model.display().to_string(), config.display().to_string());
    let run = mlsc(&["audit", &target, "--config", &config, "--format", "json"]);
    let v = json(&run);
    assert_eq!(v["verdict"], "pass", "{}", run.stdout);
    assert!(v["reasons"].as_array().unwrap().is_empty());
    assert_eq!(run.code, 0);
    let run = mlsc(&["audit", &target, "--config", &config]);
    assert!(
        run.stdout
            .starts_with(&format!("mlsc audit `{target}`: PASS")),
        "{}",
        run.stdout
    );
    let run = mlsc(&[
        "audit", &target, "--config", &config, "--format", "markdown",
    ]);
    assert!(run.stdout.contains("**Verdict: PASS**"));
    let run = mlsc(&["audit", &target, "--config", &config, "--format", "html"]);
    assert!(
        run.stdout
            .contains("<span class=\"badge pass\">pass</span>")
    );
    check_html_structure(&run.stdout);
}

/// The example policy (`examples/mlsc.toml`): a commercial product, a minimum card score and a time-boxed ignore.
#[test]
fn example_policy() {
    let mut args = EXAMPLE.to_vec();
    args.extend(["--format", "json", "--config", "examples/mlsc.toml"]);
    let run = mlsc(&args);
    assert_eq!(run.code, 1);
    let v = json(&run);
    assert_eq!(v["policy"]["config"], "examples/mlsc.toml");
    let fails: Vec<&str> = v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"] == "fail")
        .filter_map(|r| r["code"].as_str())
        .collect();
    for code in [
        "MLSC-AUDIT-002",
        "MLSC-AUDIT-004",
        "MLSC-PKL-001",
        "MLSC-DEP-001",
    ] {
        assert!(fails.contains(&code), "{code} not among {fails:?}");
    }
    // The ignored advisory is gone from the findings and listed in the deps section with its reason.
    assert!(!run.stdout.contains("is affected by PYSEC-2023-74"));
    assert!(run.stdout.contains("never sends requests through a proxy"));
}

/// With `--color always` every escape sequence is a well-formed SGR (`ESC [ digits ; … m`), and without colour
/// there is none.
#[test]
fn colour_escapes_are_well_formed() {
    let mut args = EXAMPLE.to_vec();
    args.extend(["--color", "always"]);
    let run = mlsc(&args);
    let mut sequences = 0;
    for (i, _) in run.stdout.match_indices('\x1b') {
        let rest = &run.stdout[i + 1..];
        assert!(rest.starts_with('['), "{rest:.20}");
        let body: String = rest[1..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ';')
            .collect();
        assert_eq!(
            rest[1 + body.len()..].chars().next(),
            Some('m'),
            "{rest:.20}"
        );
        sequences += 1;
    }
    assert!(sequences > 10);
    assert!(!example("human").stdout.contains('\x1b'));
}

/// An empty directory is not a pass: nothing was audited.
#[test]
fn nothing_to_audit_fails() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "just text\n").unwrap();
    let target = dir.path().display().to_string();
    let run = mlsc(&["audit", &target, "--format", "json"]);
    let v = json(&run);
    // Probably a wrong path: it fails whatever the threshold, so a CI job does not go green on it (a `warn` that
    // exited 1 was the two meanings of --fail-on of issue 14).
    assert_eq!(v["verdict"], "fail");
    assert!(
        v["reasons"][0]["message"]
            .as_str()
            .unwrap()
            .contains("nothing to audit")
    );
    assert_eq!(run.code, 1);
}

/// `fail_on` and `warn_on` grade the checks' findings: raised to critical, the vulnerable pins only warn and the
/// malicious pickle still fails; raised further for warnings, the low-severity card gaps are no reasons at all.
#[test]
fn policy_thresholds_grade_findings() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("mlsc.toml");
    std::fs::write(
        &config,
        "[policy]\nfail_on = \"critical\"\nwarn_on = \"medium\"\n",
    )
    .unwrap();
    let config = config.display().to_string();
    let mut args = EXAMPLE.to_vec();
    args.extend(["--format", "json", "--config", &config]);
    let v = json(&mlsc(&args));
    assert_eq!(v["verdict"], "fail");
    let reasons = v["reasons"].as_array().unwrap();
    let outcome_of = |code: &str| {
        reasons
            .iter()
            .find(|r| r["code"] == code)
            .map(|r| r["outcome"].as_str().unwrap().to_owned())
    };
    assert_eq!(outcome_of("MLSC-PKL-001").as_deref(), Some("fail"));
    assert_eq!(outcome_of("MLSC-DEP-001").as_deref(), Some("warn"));
    assert_eq!(outcome_of("MLSC-PROV-020").as_deref(), Some("warn"));
    assert!(reasons.iter().all(|r| r["check"] != "card"), "{reasons:#?}");
}

/// Dependency licences come from installed environments (`METADATA`); `[policy.dependencies]` denies them, and
/// the finding points at the distribution that declares it.
#[test]
fn dependency_licence_denied() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir
        .path()
        .join("project/.venv/lib/python3.12/site-packages/gplpkg-1.0.dist-info");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(
        dir.path().join("project/.venv/pyvenv.cfg"),
        "home = /usr/bin\nversion = 3.12.1\n",
    )
    .unwrap();
    std::fs::write(
        site.join("METADATA"),
        "Metadata-Version: 2.1\nName: gplpkg\nVersion: 1.0\nLicense: GPL-3.0-only\n",
    )
    .unwrap();
    let config = dir.path().join("mlsc.toml");
    std::fs::write(
        &config,
        "[policy.dependencies]\ndeny_licenses = [\"gpl-3.0-only\"]\n",
    )
    .unwrap();
    let target = dir.path().join("project").display().to_string();
    let config = config.display().to_string();
    let run = mlsc(&[
        "audit",
        &target,
        "--db",
        "examples/osv",
        "--config",
        &config,
        "--format",
        "json",
    ]);
    let v = json(&run);
    assert_eq!(v["verdict"], "fail", "{}", run.stdout);
    let finding = v["report"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "MLSC-AUDIT-001")
        .expect("a licence finding");
    assert!(finding["message"].as_str().unwrap().contains("gplpkg"));
    assert!(
        finding["location"]["path"]
            .as_str()
            .unwrap()
            .contains("gplpkg-1.0.dist-info"),
        "{finding:#}"
    );
}

/// A FIFO under the audited directory is neither read nor waited on (reading it would block forever).
#[cfg(unix)]
#[test]
fn a_fifo_does_not_block_the_audit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        workspace().join("examples/hf-model/model.safetensors"),
        dir.path().join("model.safetensors"),
    )
    .unwrap();
    let made = Command::new("mkfifo")
        .arg(dir.path().join("pipe.bin"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipping: mkfifo is not available");
        return;
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_mlsc"))
        .args(["audit", &dir.path().display().to_string(), "-q"])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert_ne!(status.code(), Some(2), "the audit failed");
            break;
        }
        if started.elapsed() > std::time::Duration::from_secs(30) {
            let _ = child.kill();
            panic!("the audit blocked on a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
