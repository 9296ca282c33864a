//! The JSON report validates against the schema the crate ships (`mlsc_core::REPORT_SCHEMA`, the repository's
//! `schemas/report.schema.json`), and its SARIF rendering against the official SARIF 2.1.0 schema in
//! `../shared/schemas/sarif/`. These tests run from the packaged crate too: what is absent there is skipped.

use std::path::PathBuf;

use mlsc_core::{
    Artifact, Completeness, Finding, Format, Location, Report, ReportError, Rule, Severity,
    Verdict, sarif,
};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load(path: &std::path::Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(serde_json::from_str(&text).expect("schema is JSON"))
}

/// A rule as a library declares it; the other findings of the sample are built without one (as an embedder's
/// `Finding::new` or a report read back from JSON), so SARIF shows both paths.
const DANGEROUS_CALLABLE: Rule = Rule::new(
    "MLSC-PKL-001",
    "dangerous-callable",
    Severity::Critical,
    "dangerous callable",
)
.with_summary("A pickle invokes a callable that executes code")
.with_tags(&["owasp-ml:ML06", "atlas:AML.T0010"]);

fn sample_report() -> Report {
    let mut report = Report::new("scan");
    let mut a = Artifact::new("models/model.pt", 1234, Format::Zip);
    a.sha256 = Some("ab".repeat(32));
    a.verdict = Verdict::CLEAN.at_least(mlsc_core::Assessment::Malicious);
    a.bytes_read = Some(812);
    report.artifacts.push(a);
    let mut b = Artifact::new("models/weights bin", 10, Format::Unknown);
    b.verdict = b.verdict.at_most(Completeness::Inconclusive);
    report.artifacts.push(b);
    report.push_finding(
        DANGEROUS_CALLABLE
            .finding("`posix.system` is invoked")
            .at(Location::file("models/model.pt")
                .member("archive/data.pkl")
                .at_offset(57))
            .with_evidence("posix.system('id')"),
    );
    report.push_finding(
        Finding::new(
            "MLSC-DEP-001",
            Severity::High,
            "vulnerable dependency",
            "torch 2.2.0 is affected",
        )
        .at(Location::file("requirements.txt").at_line(3)),
    );
    report.push_finding(
        Finding::new(
            "MLSC-CARD-001",
            Severity::Medium,
            "metadata not a mapping",
            "front matter is a list",
        )
        .at(Location::file("README.md")
            .at_line(2)
            .at_pointer("model-index[0]")),
    );
    report.push_finding(
        Finding::new(
            "MLSC-SCAN-001",
            Severity::Info,
            "not a model format",
            "text",
        )
        .at(Location::file("models/weights bin").at_offset(0)),
    );
    report.errors.push(ReportError::new(
        Some("missing.pt".into()),
        "no such file or directory",
    ));
    report.statistics.input_bytes = Some(1244);
    report.finish();
    report
}

#[test]
fn report_json_validates_against_its_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(mlsc_core::REPORT_SCHEMA).expect("the shipped schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let instance = serde_json::to_value(sample_report()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    // And the schema is not vacuous: a wrong severity or a missing verdict is rejected.
    let mut bad = instance.clone();
    bad["findings"][0]["severity"] = "severe".into();
    assert!(!validator.is_valid(&bad));
    let mut bad = instance.clone();
    bad["artifacts"][0]
        .as_object_mut()
        .unwrap()
        .remove("verdict");
    assert!(!validator.is_valid(&bad));
    // The byte counts (added in 1.0, optional) are checked when present.
    assert_eq!(instance["artifacts"][0]["bytes_read"], 812);
    assert_eq!(instance["statistics"]["input_bytes"], 1244);
    let mut bad = instance.clone();
    bad["artifacts"][0]["bytes_read"] = (-1).into();
    assert!(!validator.is_valid(&bad));
    let mut bad = instance;
    bad["statistics"]["input_bytes"] = "1244".into();
    assert!(!validator.is_valid(&bad));
}

#[test]
fn the_shipped_schema_is_the_repository_schema() {
    let path = workspace().join("schemas/report.schema.json");
    if !workspace().join("crates/mlsc-core").is_dir() {
        eprintln!("skipping: tested from the package, the repository's schemas/ is not here");
        return;
    }
    let text =
        std::fs::read_to_string(&path).expect("schemas/report.schema.json in the repository");
    assert!(
        text == mlsc_core::REPORT_SCHEMA,
        "{} and crates/mlsc-core/schemas/report.schema.json differ: copy the one you changed over the other",
        path.display()
    );
}

#[test]
fn report_round_trips_through_json() {
    let report = sample_report();
    let text = serde_json::to_string(&report).unwrap();
    let back: Report = serde_json::from_str(&text).unwrap();
    assert_eq!(back, report);
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let path = workspace().join("../shared/schemas/sarif/sarif-schema-2.1.0.json");
    let Some(schema) = load(&path) else {
        eprintln!(
            "skipping: {} is absent (the shared folder is not on this machine)",
            path.display()
        );
        return;
    };
    let validator = jsonschema::validator_for(&schema).expect("valid SARIF schema");
    let log = sarif::to_sarif(&sample_report());
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &log["runs"][0];
    assert_eq!(run["results"].as_array().unwrap().len(), 4);
    let pkl = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "MLSC-PKL-001")
        .expect("a rule for every code");
    assert_eq!(pkl["properties"]["tags"][1], "atlas:AML.T0010");
    assert_eq!(pkl["name"], "dangerous-callable");
    // The space in the path is percent-encoded: SARIF URIs are URI references.
    let uris: Vec<&str> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&"models/weights%20bin"), "{uris:?}");
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    // A malformed log is rejected: the schema check is not vacuous.
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&bad));
}
