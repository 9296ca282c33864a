//! `scan_paths` on the Python-code fixtures (`tests/gen/gen_code.py`: real TorchScript and torch.package archives
//! and `save_pretrained` repositories made with torch and transformers, and their malicious twins): each gives the
//! verdict and the finding codes its manifest names.

use std::path::PathBuf;

use mlsc_core::{Assessment, Completeness, Report, Severity};
use mlsc_pickle::{ScanOptions, scan_paths};

fn root() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/code"
    ))
}

fn manifest() -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(root().join("manifest.json")).unwrap()).unwrap()
}

fn scan(rel: &str) -> Report {
    scan_paths(&[root().join(rel)], &ScanOptions::default())
}

fn codes(report: &Report) -> Vec<&str> {
    report.findings.iter().map(|f| f.code.as_str()).collect()
}

/// The verdict every finding gives, TorchScript's own pickle builders included: (assessment, completeness, any ≥ high).
fn judged(report: &Report) -> (Assessment, Completeness, bool) {
    let rest: Vec<_> = report.findings.iter().collect();
    let max = rest
        .iter()
        .map(|f| f.severity)
        .max()
        .unwrap_or(Severity::Info);
    let assessment = match max {
        Severity::Critical | Severity::High => Assessment::Malicious,
        Severity::Medium => Assessment::Suspicious,
        _ => Assessment::Clean,
    };
    let completeness = if report
        .artifacts
        .iter()
        .all(|a| a.verdict.completeness == Completeness::Complete)
    {
        Completeness::Complete
    } else {
        Completeness::Inconclusive
    };
    (assessment, completeness, max >= Severity::High)
}

#[test]
fn every_fixture_meets_its_manifest() {
    let m = manifest();
    let fixtures = m["fixtures"].as_array().unwrap();
    assert!(fixtures.len() >= 30, "{} fixtures", fixtures.len());
    for e in fixtures {
        let rel = e["path"].as_str().unwrap();
        let expect = e["expect"].as_str().unwrap();
        let report = scan(rel);
        assert!(report.errors.is_empty(), "{rel}: {:?}", report.errors);
        let (assessment, completeness, high) = judged(&report);
        let shown = || {
            format!(
                "{rel}: {assessment:?} {completeness:?}, findings {:#?}",
                report.findings
            )
        };
        let complete = completeness == Completeness::Complete;
        match expect {
            "clean" => assert!(assessment == Assessment::Clean && complete, "{}", shown()),
            "malicious" => assert!(
                report.fails(Severity::Medium) && assessment == Assessment::Malicious && high,
                "{}",
                shown()
            ),
            "suspicious" => assert!(
                report.fails(Severity::Medium) && assessment == Assessment::Suspicious && !high,
                "{}",
                shown()
            ),
            "inconclusive" => assert!(report.fails(Severity::Medium) && !complete, "{}", shown()),
            other => panic!("{rel}: unknown expectation {other}"),
        }
        let got = codes(&report);
        for c in e["codes"].as_array().unwrap() {
            let c = c.as_str().unwrap();
            assert!(got.contains(&c), "{rel}: no {c} in {got:?}");
        }
    }
}

#[test]
fn torchscript_archives_of_standard_modules_are_complete_and_clean() {
    let m = manifest();
    let mut n = 0;
    for e in m["fixtures"].as_array().unwrap() {
        let rel = e["path"].as_str().unwrap();
        if !rel.starts_with("torchscript/") || e["expect"] != "clean" {
            continue;
        }
        let report = scan(rel);
        assert_eq!(report.artifacts.len(), 1, "{rel}");
        let v = report.artifacts[0].verdict;
        assert_eq!(
            v.completeness,
            Completeness::Complete,
            "{rel}: {:#?}",
            report.findings
        );
        assert_eq!(
            judged(&report).0,
            Assessment::Clean,
            "{rel}: {:#?}",
            report.findings
        );
        assert!(
            report
                .findings
                .iter()
                .all(|f| !f.code.starts_with("MLSC-CODE-") || f.severity == Severity::Info),
            "{rel}: {:#?}",
            report.findings
        );
        // The code/ files were parsed, not skipped: the info finding counts them.
        let info = report
            .findings
            .iter()
            .find(|f| f.code == "MLSC-CODE-019")
            .unwrap_or_else(|| panic!("{rel}: no MLSC-CODE-019"));
        assert!(!info.message.contains(" 0 code file"), "{}", info.message);
        n += 1;
    }
    assert!(n >= 8, "{n} clean TorchScript fixtures");
}

#[test]
fn torchscript_io_ops_name_the_operator_and_line() {
    let report = scan("torchscript/save_in_forward.pt");
    let f = report
        .findings
        .iter()
        .find(|f| f.code == "MLSC-CODE-016")
        .unwrap();
    assert!(f.message.contains("aten::save"), "{}", f.message);
    assert!(
        f.location.members.last().unwrap().ends_with(".py"),
        "{:?}",
        f.location
    );
    assert!(f.location.line.is_some());
    let report = scan("torchscript/custom_op.pt");
    let f = report
        .findings
        .iter()
        .find(|f| f.code == "MLSC-CODE-018")
        .unwrap();
    assert!(f.message.contains("mlsc_evil::run"), "{}", f.message);
}

#[test]
fn remote_auto_map_names_the_repository() {
    let report = scan("repos/automap_remote");
    let f: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "MLSC-CODE-013")
        .collect();
    assert_eq!(f.len(), 2, "{:#?}", report.findings);
    assert!(
        f[0].message.contains("`mlsc-attacker/payload`"),
        "{}",
        f[0].message
    );
    assert_eq!(
        f[0].location.pointer.as_deref(),
        Some("/auto_map/AutoConfig")
    );
}

#[test]
fn a_repository_that_runs_its_code_lists_the_files() {
    let report = scan("repos/automap_benign");
    let f = report
        .findings
        .iter()
        .find(|f| f.code == "MLSC-CODE-012")
        .unwrap();
    assert_eq!(f.severity, Severity::Medium);
    assert!(
        f.message
            .starts_with("loading runs code from this repository"),
        "{}",
        f.message
    );
    // The modeling file and the configuration module it imports relatively.
    assert!(
        f.message.contains("`modeling_mlsc.py`") && f.message.contains("`configuration_mlsc.py`"),
        "{}",
        f.message
    );
    // The config file that says so is not clean; the .py files stay info-level non-model files.
    let config = report
        .artifacts
        .iter()
        .find(|a| a.path.ends_with("config.json"))
        .unwrap();
    assert_eq!(config.verdict.assessment, Assessment::Suspicious);
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.severity <= Severity::Medium)
    );
}

#[test]
fn the_evil_modeling_file_is_critical_at_its_line() {
    let report = scan("repos/automap_os_system");
    let f = report
        .findings
        .iter()
        .find(|f| f.code == "MLSC-CODE-001")
        .unwrap();
    assert_eq!(f.severity, Severity::Critical);
    assert!(f.location.path.ends_with("modeling_mlsc.py"));
    assert_eq!(f.location.line, Some(4));
    assert!(f.message.contains("`os.system`"), "{}", f.message);
}

#[test]
fn torch_package_modules_are_listed_and_their_classes_allowed() {
    let report = scan("package/benign.pt");
    let f = report
        .findings
        .iter()
        .find(|f| f.code == "MLSC-CODE-020")
        .unwrap();
    assert!(
        f.message.contains("`mlsc_pkg_net` (imports `torch`)"),
        "{}",
        f.message
    );
    // The pickle names `mlsc_pkg_net.Net`, a packaged class: not an unknown callable.
    assert!(report.verdict().is_clean(), "{:#?}", report.findings);
    // In the malicious twin the module is not safe, so its class stays unknown in the pickle as well.
    let report = scan("package/os_system_at_import.pt");
    assert!(codes(&report).contains(&"MLSC-CODE-001"));
}
