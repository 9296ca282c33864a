//! The real feed's shapes (`tests/fixtures/osv-feed/`, zipped here as OSV's `all.zip`): GHSA severity words and
//! CVSS vectors, PYSEC and GHSA aliases merged, withdrawn records skipped, malicious packages critical.

use std::path::{Path, PathBuf};

use mlsc_core::Severity;
use mlsc_deps::{AuditOptions, Database, Target};

fn feed_zip(dir: &Path) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/osv-feed");
    let path = dir.join("all.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let mut names: Vec<_> = std::fs::read_dir(&src)
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

fn audit(db: &Database, text: &str) -> mlsc_deps::Audit {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("requirements.txt"), text).unwrap();
    let project = mlsc_deps::read_project(dir.path(), &Target::default()).unwrap();
    let mut o = AuditOptions::default();
    o.today = Some("2026-12-06".parse().unwrap());
    mlsc_deps::audit(&project, db, &o)
}

fn load() -> Database {
    let dir = tempfile::tempdir().unwrap();
    Database::load(feed_zip(dir.path())).unwrap()
}

#[test]
fn the_zip_loads_every_record() {
    let db = load();
    let i = db.info();
    assert_eq!((i.format.as_str(), i.records, i.withdrawn), ("zip", 7, 1));
    assert_eq!(i.newest_modified.as_deref(), Some("2026-11-30T10:00:00Z"));
}

#[test]
fn pysec_and_ghsa_merge_and_ghsa_severity_is_read() {
    let db = load();
    let a = audit(&db, "requests==2.30.0\n");
    let mut ids: Vec<Vec<String>> = a
        .deps
        .vulnerabilities
        .iter()
        .map(|v| v.vulnerability.ids.clone())
        .collect();
    ids.sort();
    // The withdrawn record, which would affect every version, is not among them.
    assert_eq!(
        ids,
        [
            vec!["GHSA-9wx4-h78v-vm56".to_owned()],
            vec!["PYSEC-2023-74".to_owned(), "GHSA-j8r2-6x86-q33q".to_owned()],
        ]
    );
    // MODERATE (the record-level `database_specific`) is medium; the vector is scored beside it.
    let f: Vec<_> = a
        .report
        .findings
        .iter()
        .filter(|f| f.code == "MLSC-DEP-001")
        .collect();
    assert_eq!(f.len(), 2);
    assert!(f.iter().all(|f| f.severity == Severity::Medium), "{f:#?}");
    let score = |id: &str| {
        a.deps
            .vulnerabilities
            .iter()
            .find(|v| v.vulnerability.id == id)
            .unwrap()
            .vulnerability
            .cvss_score
    };
    assert_eq!(score("PYSEC-2023-74"), Some(61));
    assert_eq!(score("GHSA-9wx4-h78v-vm56"), Some(56));
    assert!(f.iter().any(|f| {
        f.evidence
            .as_deref()
            .unwrap()
            .contains("CVSS v3 base score: 6.1")
    }));
    // The fix clears both, so it is the later fix.
    assert_eq!(
        a.deps.vulnerabilities[0].fix_version.as_deref(),
        Some("2.32.0")
    );
    // An ignore by the GHSA id (or the CVE) covers the merged PYSEC record too.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "requests==2.30.0\n").unwrap();
    let project = mlsc_deps::read_project(dir.path(), &Target::default()).unwrap();
    let mut o = AuditOptions::default();
    o.ignores = vec![mlsc_deps::Ignore::new(
        "cve-2023-32681",
        "proxies unused",
        None,
    )];
    let b = mlsc_deps::audit(&project, &db, &o);
    assert_eq!(b.deps.vulnerabilities.len(), 1);
    assert_eq!(b.deps.ignored[0].id, "PYSEC-2023-74");
}

#[test]
fn cvss_scores_rate_records_without_a_word() {
    let db = load();
    let a = audit(&db, "demo-cvss-only==1.0\ndemo-cvss-v4==1.0\n");
    let sev: Vec<(String, Severity)> = a
        .report
        .findings
        .iter()
        .filter(|f| f.code == "MLSC-DEP-001")
        .map(|f| (f.message.split('`').nth(1).unwrap().to_owned(), f.severity))
        .collect();
    // 9.8 is critical by the CVSS v3.1 table; the v4 record is rated by its word (v4 is not scored).
    assert_eq!(
        sev,
        [
            ("demo-cvss-only".to_owned(), Severity::Critical),
            ("demo-cvss-v4".to_owned(), Severity::Critical)
        ]
    );
    assert_eq!(a.deps.vulnerabilities[1].vulnerability.cvss_score, None);
}

/// The PyTorch nightly dependency confusion: `torchtriton` is malware whatever its version, even one its record
/// does not list, and even as a bare name.
#[test]
fn a_malicious_package_is_critical_whatever_its_version() {
    let db = load();
    for req in [
        "torchtriton==2.0.0\n",
        "torchtriton\n",
        "torchtriton==3.0.0\n",
    ] {
        let a = audit(&db, req);
        let mal: Vec<_> = a
            .report
            .findings
            .iter()
            .filter(|f| f.code == "MLSC-DEP-013")
            .collect();
        assert_eq!(mal.len(), 1, "{req}: {:#?}", a.report.findings);
        assert_eq!(mal[0].severity, Severity::Critical);
        assert!(
            mal[0].message.contains("MAL-2022-9001"),
            "{}",
            mal[0].message
        );
        assert!(a.vulnerable(), "{req}");
        assert!(a.deps.vulnerabilities[0].vulnerability.malicious);
        // No "upgrade to" for malware.
        assert!(a.fixes.is_empty());
    }
}
