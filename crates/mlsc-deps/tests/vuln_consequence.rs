//! Issue 15 on the real PyPI advisories in `../shared/data/osv-pypi/`: nothing that cannot be evaluated is called
//! clean, ranges are rated by what they risk (every allowed version affected, or only some), and a cautious
//! reading of a record is said in the finding.

use std::path::PathBuf;

use mlsc_core::{Completeness, Severity};
use mlsc_deps::{AuditOptions, Database, Target};

const DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/osv-pypi/pypi-advisories.jsonl"
);

#[allow(clippy::print_stderr)] // the skip message is the point
fn db() -> Option<Database> {
    let p = PathBuf::from(DATA);
    if p.is_file() {
        Some(Database::load(&p).unwrap())
    } else {
        eprintln!("skipped: {DATA} is absent (the shared data folder is not on this machine)");
        None
    }
}

fn audit(db: &Database, text: &str) -> mlsc_deps::Audit {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("requirements.txt"), text).unwrap();
    let project = mlsc_deps::read_project(dir.path(), &Target::default()).unwrap();
    let mut o = AuditOptions::default();
    // The shared copy is from 2024; its age is tested on its own below.
    o.max_database_age_days = None;
    mlsc_deps::audit(&project, db, &o)
}

fn codes(a: &mlsc_deps::Audit, code: &str) -> Vec<String> {
    a.report
        .findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| f.message.clone())
        .collect()
}

/// PYSEC-2019-125 says steam is fixed in `2019-09-12` (a date, not a version) and lists no versions: no version
/// of steam can be compared with it. It used to be "1 clean", exit 0.
#[test]
fn an_unevaluable_record_is_never_clean() {
    let Some(db) = db() else { return };
    let a = audit(&db, "steam==1.0\n");
    let not = codes(&a, "MLSC-DEP-012");
    assert_eq!(not.len(), 1, "{:#?}", a.report.findings);
    assert!(
        not[0].contains("PYSEC-2019-125") && not[0].contains("`2019-09-12`"),
        "{}",
        not[0]
    );
    assert_eq!(
        a.report.artifacts[0].verdict.completeness,
        Completeness::Inconclusive
    );
    assert!(
        a.report.fails(Severity::Critical),
        "inconclusive fails at any threshold"
    );
    // A range of steam is just as unknowable.
    assert_eq!(codes(&audit(&db, "steam>=1.0\n"), "MLSC-DEP-012").len(), 1);
}

/// `===` pins that are not PEP 440: the records listing them verbatim match; the records whose ranges bound
/// other versions cannot be compared with them, so they are named, never silently passed.
#[test]
fn arbitrary_pins_against_bounded_ranges_are_inconclusive() {
    let Some(db) = db() else { return };
    let a = audit(&db, "paramiko===0.1-bulbasaur\nbuildbot===0.7.10p1\n");
    let mut unknown: Vec<String> = a
        .report
        .findings
        .iter()
        .filter(|f| f.code == "MLSC-DEP-012")
        .map(|f| {
            f.message
                .split(" could not be checked against ")
                .nth(1)
                .unwrap()[..14]
                .to_owned()
        })
        .collect();
    unknown.sort();
    assert_eq!(
        unknown,
        [
            "PYSEC-2009-1: ",
            "PYSEC-2009-2: ",
            "PYSEC-2018-69:",
            "PYSEC-2019-7: "
        ]
    );
    let mut affected: Vec<(String, String)> = a
        .deps
        .vulnerabilities
        .iter()
        .map(|v| (v.package.clone(), v.vulnerability.id.clone()))
        .collect();
    affected.sort();
    assert_eq!(
        affected,
        [
            ("buildbot".to_owned(), "PYSEC-2019-6".to_owned()),
            ("paramiko".to_owned(), "PYSEC-2008-8".to_owned()),
            ("paramiko".to_owned(), "PYSEC-2018-19".to_owned()),
            ("paramiko".to_owned(), "PYSEC-2022-166".to_owned()),
        ]
    );
}

/// `requests~=2.28.2` allows only 2.28.x, all before the 2.31.0 fix: as bad as a pin. `fastapi<0.100` likewise.
#[test]
fn a_range_with_only_affected_versions_is_high() {
    let Some(db) = db() else { return };
    for req in ["requests~=2.28.2\n", "fastapi<0.100\n"] {
        let a = audit(&db, req);
        let all: Vec<_> = a
            .report
            .findings
            .iter()
            .filter(|f| f.code == "MLSC-DEP-011")
            .collect();
        assert!(!all.is_empty(), "{req}: {:#?}", a.report.findings);
        assert!(all.iter().all(|f| f.severity >= Severity::Medium));
        assert!(all.iter().any(|f| f.severity >= Severity::High), "{all:#?}");
        assert!(codes(&a, "MLSC-DEP-002").is_empty(), "{req}");
        assert!(a.vulnerable(), "{req}");
        assert!(
            a.deps
                .vulnerabilities
                .iter()
                .all(|v| v.every_allowed_version_affected == Some(true))
        );
        // The fix lies outside the range, and clears every advisory.
        let fix = a.deps.vulnerabilities[0].fix_version.clone().unwrap();
        let name = req.split(['~', '<']).next().unwrap();
        let after = audit(&db, &format!("{name}=={fix}\n"));
        assert!(after.deps.vulnerabilities.is_empty(), "{name}=={fix}");
    }
}

/// A bare `Pillow` allows every version, the newest of which are clean: one low finding with the count and the
/// version to require, instead of 51 medium ones.
#[test]
fn a_range_with_clean_versions_is_one_low_finding() {
    let Some(db) = db() else { return };
    let a = audit(&db, "Pillow\nrequests>=2.0\n");
    let grouped: Vec<_> = a
        .report
        .findings
        .iter()
        .filter(|f| f.code == "MLSC-DEP-002")
        .collect();
    assert_eq!(grouped.len(), 2, "one per requirement: {grouped:#?}");
    assert!(grouped.iter().all(|f| f.severity == Severity::Low));
    let pillow = a
        .deps
        .vulnerabilities
        .iter()
        .filter(|v| v.package == "pillow")
        .count();
    assert!(pillow > 40, "{pillow}");
    assert!(
        grouped[0]
            .message
            .contains(&format!("affected by {pillow} advisories")),
        "{}",
        grouped[0].message
    );
    let fix = a.deps.vulnerabilities[0].fix_version.clone().unwrap();
    assert!(
        grouped[0]
            .message
            .contains(&format!("require {fix} or later"))
    );
    // The version named is clean, and nothing above it that the data knows is affected.
    assert!(
        audit(&db, &format!("pillow=={fix}\n"))
            .deps
            .vulnerabilities
            .is_empty()
    );
    assert!(
        audit(&db, &format!("pillow>={fix}\n"))
            .deps
            .vulnerabilities
            .is_empty()
    );
    assert!(!a.vulnerable(), "clean versions allowed: not vulnerable");
    assert!(!a.report.fails(Severity::Medium));
    assert!(codes(&a, "MLSC-DEP-011").is_empty());
}

/// Where mlsc reads a record more cautiously than the schema's sorted walk, the finding says so.
#[test]
fn cautious_readings_are_said() {
    let Some(db) = db() else { return };
    let note = |req: &str, id: &str| -> String {
        let a = audit(&db, req);
        let f = a
            .report
            .findings
            .iter()
            .find(|f| f.code == "MLSC-DEP-001" && f.message.contains(id))
            .unwrap_or_else(|| panic!("{req}: {:#?}", a.report.findings));
        f.evidence.clone().unwrap()
    };
    // PYSEC-2022-42972 introduces and fixes at 0.13.0; sorted, 0.13.0 is outside; as written, inside.
    let e = note("apache-iotdb==0.13.0\n", "PYSEC-2022-42972");
    assert!(
        e.contains("introduces and fixes at the same version 0.13.0"),
        "{e}"
    );
    // PYSEC-2023-72 (pyspark) does the same at 3.1.1 and 3.2.0; 3.2.1 is not in its versions list.
    let e = note("pyspark==3.2.1\n", "PYSEC-2023-72");
    assert!(e.contains("same version"), "{e}");
    // PYSEC-2021-114 (wagtail) lists its events out of order: `2.11..2.11.7` comes before `0..2.11.6`. Its
    // versions list names 2.11.6, so only a version it does not list shows the reading (a post-release).
    let e = note("wagtail==2.11.6.post1\n", "PYSEC-2021-114");
    assert!(e.contains("out of order"), "{e}");
    // A listed version needs no note: the list says so on its own.
    let e = note("wagtail==2.11.6\n", "PYSEC-2021-114");
    assert!(!e.contains("note:"), "{e}");
    // A local label is dropped before comparing, and said.
    let e = note("pillow==9.0.0+cpu\n", "PYSEC-2022-168");
    assert!(e.contains("without its local label"), "{e}");
    let e = note("pillow==9.0.0\n", "PYSEC-2022-168");
    assert!(!e.contains("local label"), "{e}");
}

/// The shared copy is from October 2024: older than 30 days, and the warning gives its date.
#[test]
fn a_stale_database_is_said_with_its_date() {
    let Some(db) = db() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "pillow==10.3.0\n").unwrap();
    let project = mlsc_deps::read_project(dir.path(), &Target::default()).unwrap();
    let mut o = AuditOptions::default();
    assert_eq!(o.max_database_age_days, None, "off unless asked for");
    o.max_database_age_days = Some(30);
    o.today = Some("2024-10-20".parse().unwrap());
    let fresh = mlsc_deps::audit(&project, &db, &o);
    assert!(
        codes(&fresh, "MLSC-DEP-014").is_empty(),
        "{:#?}",
        fresh.report.findings
    );
    o.today = Some("2026-12-06".parse().unwrap());
    let old = mlsc_deps::audit(&project, &db, &o);
    let stale = codes(&old, "MLSC-DEP-014");
    let date = &db.info().newest_modified.clone().unwrap()[..10];
    assert_eq!(stale.len(), 1);
    assert!(
        stale[0].contains(&format!("is from {date}")),
        "{}",
        stale[0]
    );
    assert!(
        !old.report.fails(Severity::Medium),
        "a warning, not a failure"
    );
}
