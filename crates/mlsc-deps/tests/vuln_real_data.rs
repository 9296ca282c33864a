//! Matching against the 2,661 real PyPI advisories in `../shared/data/osv-pypi/`, with the expected answer
//! computed independently: a plain string lookup of each pin in the records' explicit `versions` lists (no PEP
//! 440 at all), which the matcher's range evaluation must agree with.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use mlsc_deps::{AuditOptions, Database, Exposure, Target};

const DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/osv-pypi/pypi-advisories.jsonl"
);

const PINS: &[(&str, &str)] = &[
    ("torch", "2.2.0"),
    ("transformers", "4.30.0"),
    ("numpy", "1.21.0"),
    ("pillow", "9.0.0"),
    ("requests", "2.25.0"),
    ("mlflow", "2.9.0"),
    ("gradio", "3.50.0"),
];

#[allow(clippy::print_stderr)] // the skip message is the point
fn data() -> Option<PathBuf> {
    let p = PathBuf::from(DATA);
    if p.is_file() {
        Some(p)
    } else {
        eprintln!("skipped: {DATA} is absent (the shared data folder is not on this machine)");
        None
    }
}

/// The independent oracle: ids of non-withdrawn records whose `versions` list contains the pin verbatim.
fn expected(path: &Path, name: &str, version: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in std::fs::read_to_string(path).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v.get("withdrawn").is_some() {
            continue;
        }
        for a in v["affected"].as_array().unwrap() {
            let n = a["package"]["name"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .replace(['_', '.'], "-");
            let listed = a["versions"]
                .as_array()
                .is_some_and(|vs| vs.iter().any(|x| x.as_str() == Some(version)));
            if n == name && listed {
                out.insert(v["id"].as_str().unwrap().to_owned());
            }
        }
    }
    out
}

fn audit_text(db: &Database, text: &str) -> mlsc_deps::Audit {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("requirements.txt"), text).unwrap();
    let project = mlsc_deps::read_project(dir.path(), &Target::default()).unwrap();
    mlsc_deps::audit(&project, db, &AuditOptions::default())
}

#[test]
fn the_ml_pins_yield_exactly_the_listed_advisories() {
    let Some(path) = data() else { return };
    let db = Database::load(&path).unwrap();
    assert_eq!(db.info().records, 2661);
    assert_eq!(db.info().withdrawn, 10);
    let text: String = PINS.iter().map(|(n, v)| format!("{n}=={v}\n")).collect();
    let audit = audit_text(&db, &text);
    let json = serde_json::to_string(&audit.json()).unwrap();
    let mut total = 0;
    for (name, version) in PINS {
        let want = expected(&path, name, version);
        let got: BTreeSet<String> = audit
            .deps
            .vulnerabilities
            .iter()
            .filter(|v| v.package == *name)
            .flat_map(|v| {
                assert_eq!(v.vulnerability.kind, Exposure::Affected);
                v.vulnerability.ids.clone()
            })
            .collect();
        assert_eq!(got, want, "{name}=={version}");
        total += want.len();
        // Every id and every alias is in the JSON output.
        for v in audit
            .deps
            .vulnerabilities
            .iter()
            .filter(|v| v.package == *name)
        {
            for id in v.vulnerability.ids.iter().chain(&v.vulnerability.aliases) {
                assert!(
                    json.contains(&format!("\"{id}\"")),
                    "{id} missing from the JSON"
                );
            }
        }
    }
    // The data has advisories for these pins: the test would be hollow otherwise.
    assert_eq!(total, 11);
    assert_eq!(
        audit
            .report
            .findings
            .iter()
            .filter(|f| f.code == "MLSC-DEP-001")
            .count(),
        11
    );
}

#[test]
fn local_versions_and_arbitrary_equality() {
    let Some(path) = data() else { return };
    let db = Database::load(&path).unwrap();
    let ids = |text: &str| -> BTreeSet<String> {
        audit_text(&db, text)
            .deps
            .vulnerabilities
            .iter()
            .flat_map(|v| v.vulnerability.ids.clone())
            .collect()
    };
    let plain = ids("pillow==9.0.0\n");
    assert_eq!(
        ids("pillow==9.0.0+local.build\n"),
        plain,
        "a local version is affected wherever its base is"
    );
    assert_eq!(ids("pillow===9.0.0\n"), plain);
    assert!(ids("pillow==10.3.0\n").is_empty());
    // The fix version clears every advisory of the package.
    let audit = audit_text(&db, "pillow==9.0.0\n");
    let fix = audit.deps.vulnerabilities[0].fix_version.clone().unwrap();
    assert!(
        ids(&format!("pillow=={fix}\n")).is_empty(),
        "{fix} still affected"
    );
}

#[test]
fn ranges_are_possibly_affected_never_resolved() {
    let Some(path) = data() else { return };
    let db = Database::load(&path).unwrap();
    let audit = audit_text(&db, "mlflow==2.9.*\nrequests>=2.31.0\npillow>=9,<9.0.1\n");
    let kinds: BTreeSet<(String, Exposure)> = audit
        .deps
        .vulnerabilities
        .iter()
        .map(|v| (v.package.clone(), v.vulnerability.kind))
        .collect();
    assert!(kinds.contains(&("mlflow".to_owned(), Exposure::PossiblyAffected)));
    assert!(kinds.contains(&("pillow".to_owned(), Exposure::PossiblyAffected)));
    assert!(
        !kinds.iter().any(|(n, _)| n == "requests"),
        "requests>=2.31.0 excludes the affected range"
    );
    assert!(
        audit
            .deps
            .vulnerabilities
            .iter()
            .all(|v| v.version.is_none())
    );
}

#[test]
fn loads_a_folder_and_a_zip_the_same() {
    let Some(path) = data() else { return };
    let lines: Vec<String> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|l| l.contains("\"name\":\"pillow\"") || l.contains("\"name\":\"requests\""))
        .map(str::to_owned)
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("osv");
    std::fs::create_dir_all(folder.join("nested")).unwrap();
    let zip_path = dir.path().join("all.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    for (i, l) in lines.iter().enumerate() {
        let sub = if i % 2 == 0 { "nested/" } else { "" };
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        // Pretty-printed like OSV's own files.
        let pretty = serde_json::to_string_pretty(&v).unwrap();
        std::fs::write(folder.join(format!("{sub}{i}.json")), &pretty).unwrap();
        zip.start_file(
            format!("{i}.json"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        std::io::Write::write_all(&mut zip, pretty.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    let a = Database::load(&folder).unwrap();
    let b = Database::load(&zip_path).unwrap();
    assert_eq!(a.info().records, lines.len());
    assert_eq!(b.info().records, lines.len());
    assert_eq!(
        (a.info().format.as_str(), b.info().format.as_str()),
        ("directory", "zip")
    );
    assert_eq!(a.info().newest_modified, b.info().newest_modified);
    let ids = |db: &Database| -> BTreeSet<String> {
        audit_text(db, "pillow==9.0.0\nrequests==2.25.0\n")
            .deps
            .vulnerabilities
            .iter()
            .map(|v| v.vulnerability.id.clone())
            .collect()
    };
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(ids(&a).len(), 5);
}
