//! Matching semantics on small synthetic OSV records: aliases, withdrawn records, invalid data, ignores.

use mlsc_deps::{AuditOptions, Database, Ignore, Target};

fn db(records: &[&str]) -> Database {
    let texts: Vec<Vec<u8>> = records.iter().map(|r| r.as_bytes().to_vec()).collect();
    Database::from_texts("test", "directory", &texts)
}

fn audit(db: &Database, text: &str, options: &AuditOptions) -> mlsc_deps::Audit {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("requirements.txt"), text).unwrap();
    let project = mlsc_deps::read_project(dir.path(), &Target::default()).unwrap();
    mlsc_deps::audit(&project, db, options)
}

const PYSEC: &str = r#"{"id":"PYSEC-2099-1","aliases":["GHSA-aaaa-bbbb-cccc","CVE-2099-1"],"modified":"2099-01-01T00:00:00Z",
 "details":"Demo issue.","affected":[{"package":{"ecosystem":"PyPI","name":"Demo.Pkg"},
 "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.0"}]}]}]}"#;
const GHSA: &str = r#"{"id":"GHSA-aaaa-bbbb-cccc","aliases":["CVE-2099-1"],"summary":"Demo issue (GHSA)","modified":"2099-02-01T00:00:00Z",
 "affected":[{"package":{"ecosystem":"PyPI","name":"demo_pkg"},
 "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0"},{"fixed":"2.0.1"}]}],
 "database_specific":{"severity":"CRITICAL"}}]}"#;
const WITHDRAWN: &str = r#"{"id":"PYSEC-2099-2","withdrawn":"2099-03-01T00:00:00Z","modified":"2099-03-01T00:00:00Z",
 "affected":[{"package":{"ecosystem":"PyPI","name":"demo-pkg"},"versions":["1.5"]}]}"#;
const INVALID: &str = r#"{"id":"PYSEC-2099-3","modified":"2099-01-01T00:00:00Z",
 "affected":[{"package":{"ecosystem":"PyPI","name":"demo-pkg"},
 "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"not/a/version"}]}],
 "versions":["1.5", "bogus version"]}]}"#;
const NPM: &str = r#"{"id":"GHSA-npm-only","affected":[{"package":{"ecosystem":"npm","name":"demo-pkg"},
 "ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}"#;

#[test]
fn aliases_merge_into_one_finding() {
    let db = db(&[PYSEC, GHSA, WITHDRAWN, NPM, "{not json"]);
    assert_eq!(db.info().records, 4);
    assert_eq!(db.info().invalid, 1);
    assert_eq!(db.info().withdrawn, 1);
    assert_eq!(
        db.info().newest_modified.as_deref(),
        Some("2099-03-01T00:00:00Z")
    );
    let a = audit(&db, "Demo_Pkg==1.5\n", &AuditOptions::default());
    assert_eq!(
        a.deps.vulnerabilities.len(),
        1,
        "{:#?}",
        a.deps.vulnerabilities
    );
    let v = &a.deps.vulnerabilities[0].vulnerability;
    assert_eq!(v.id, "PYSEC-2099-1");
    assert_eq!(v.ids, ["PYSEC-2099-1", "GHSA-aaaa-bbbb-cccc"]);
    assert_eq!(v.aliases, ["CVE-2099-1"]);
    assert_eq!(
        a.deps.vulnerabilities[0].fix_version.as_deref(),
        Some("2.0.1")
    );
    let f = &a.report.findings[0];
    assert_eq!(
        (f.code.as_str(), f.severity),
        ("MLSC-DEP-001", mlsc_core::Severity::Critical)
    );
    // 2.0 is fixed for the PYSEC range but not the GHSA one: still one merged finding.
    let a = audit(&db, "demo-pkg==2.0\n", &AuditOptions::default());
    assert_eq!(a.deps.vulnerabilities.len(), 1);
    assert!(
        audit(&db, "demo-pkg==2.0.1\n", &AuditOptions::default())
            .deps
            .vulnerabilities
            .is_empty()
    );
}

#[test]
fn invalid_versions_in_the_data_do_not_crash_or_invent_matches() {
    let db = db(&[INVALID, WITHDRAWN]);
    // The range is unusable, the explicit list still counts; the withdrawn record never does.
    let a = audit(&db, "demo-pkg==1.5\n", &AuditOptions::default());
    let ids: Vec<&str> = a
        .deps
        .vulnerabilities
        .iter()
        .map(|v| v.vulnerability.id.as_str())
        .collect();
    assert_eq!(ids, ["PYSEC-2099-3"]);
    assert!(
        audit(&db, "demo-pkg==1.6\n", &AuditOptions::default())
            .deps
            .vulnerabilities
            .is_empty()
    );
    // A pin that is not PEP 440 is compared with the raw list.
    let a = audit(&db, "demo-pkg===bogus version\n", &AuditOptions::default());
    assert!(
        a.deps.vulnerabilities.is_empty(),
        "`===bogus version` has a space: not one token"
    );
}

#[test]
fn ignores_hold_until_they_expire() {
    let db = db(&[PYSEC]);
    let day = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
    let mut o = AuditOptions::default();
    o.today = Some(day("2099-06-01"));
    // The record is from 2099-01-01: its age has its own test.
    o.max_database_age_days = None;
    o.ignores = vec![Ignore::new(
        "CVE-2099-1",
        "not reachable",
        Some(day("2099-06-01")),
    )];
    let a = audit(&db, "demo-pkg==1.0\n", &o);
    assert!(a.deps.vulnerabilities.is_empty());
    assert_eq!(a.deps.ignored.len(), 1);
    assert!(!a.report.findings.iter().any(|f| f.code == "MLSC-DEP-001"));
    o.today = Some(day("2099-06-02"));
    let a = audit(&db, "demo-pkg==1.0\n", &o);
    let codes: Vec<&str> = a.report.findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["MLSC-DEP-001", "MLSC-DEP-008"]);
}

#[test]
fn hygiene_findings() {
    let db = db(&[PYSEC]);
    let a = audit(
        &db,
        "--extra-index-url https://user:secret@private.example/simple\n--trusted-host private.example\n\
         numpy==1.0 --hash=sha256:00\npandas==2.0\nscipy>=1\ngit+https://github.com/org/x.git#egg=x\n",
        &AuditOptions::default(),
    );
    let codes: Vec<(&str, Option<u32>)> = a
        .report
        .findings
        .iter()
        .map(|f| (f.code.as_str(), f.location.line))
        .collect();
    assert_eq!(
        codes,
        [
            ("MLSC-DEP-005", Some(1)),
            ("MLSC-DEP-009", Some(2)),
            ("MLSC-DEP-004", Some(4)),
            ("MLSC-DEP-003", Some(5)),
            ("MLSC-DEP-004", Some(5)),
            ("MLSC-DEP-004", Some(6)),
            ("MLSC-DEP-006", Some(6)),
        ]
    );
    let json = serde_json::to_string(&a.json()).unwrap();
    assert!(
        !json.contains("secret"),
        "credentials leaked into the report"
    );
}

#[test]
fn constraints_pin_ranges() {
    let db = db(&[PYSEC]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("requirements.txt"),
        "-c c.txt\ndemo-pkg>=1\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("c.txt"), "demo-pkg==1.2\n").unwrap();
    let project =
        mlsc_deps::read_project(dir.path().join("requirements.txt"), &Target::default()).unwrap();
    let a = mlsc_deps::audit(&project, &db, &AuditOptions::default());
    let kinds: Vec<(String, mlsc_deps::Exposure)> = a
        .deps
        .vulnerabilities
        .iter()
        .map(|v| (v.source.clone(), v.vulnerability.kind))
        .collect();
    assert_eq!(kinds.len(), 1, "{kinds:?}");
    assert!(kinds[0].0.ends_with("c.txt:1"), "{kinds:?}");
    assert!(
        kinds
            .iter()
            .all(|(_, k)| *k == mlsc_deps::Exposure::Affected)
    );
    assert!(
        !a.report.findings.iter().any(|f| f.code == "MLSC-DEP-003"),
        "pinned by the constraints file"
    );
    assert_eq!(a.fixes.len(), 1);
    assert!(a.fixes[0].path.ends_with("c.txt"));
}

#[test]
fn a_record_that_only_fails_the_full_parse_is_an_error_not_a_pass() {
    // The index fields are fine; `versions` holds a number, which the whole parse rejects.
    let bad = r#"{"id":"PYSEC-2099-9","affected":[{"package":{"ecosystem":"PyPI","name":"demo-pkg"},"versions":[1.5]}]}"#;
    let db = db(&[bad]);
    assert_eq!(db.info().records, 1);
    let a = audit(&db, "demo-pkg==1.5\n", &AuditOptions::default());
    assert!(a.deps.vulnerabilities.is_empty());
    assert_eq!(a.report.errors.len(), 1);
    assert!(
        a.report.errors[0].message.contains("PYSEC-2099-9"),
        "{:?}",
        a.report.errors
    );
    // Other packages are unaffected by it.
    assert!(
        audit(&db, "other==1.0\n", &AuditOptions::default())
            .report
            .errors
            .is_empty()
    );
}
