//! `validate_bom_json` against the specification's own examples (1.6 and 1.7), agreement with the official JSON
//! schemas, the ML examples parsed into the typed model, and the invalid shapes other tools write.

mod bom_support;

use bom_support::*;
use mlsc_sbom::{Bom, ComponentType, DatasetChoice};
use serde_json::{Value, json};

fn examples(version: &str) -> Option<Vec<(String, Vec<u8>)>> {
    let dir = shared()?.join("schemas/cyclonedx/examples").join(version);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    Some(out)
}

/// Every `valid-*.json` is accepted and every `invalid-*.json` rejected, for 1.6 and 1.7; the official schema
/// (the reference) agrees on every file, so the file names are the truth.
#[test]
fn examples_valid_accepted_invalid_rejected() {
    for version in ["1.6", "1.7"] {
        let Some(files) = examples(version) else {
            return;
        };
        let reference = schema(version).unwrap();
        let (mut agree, mut total) = (0, 0);
        let mut disagreements = Vec::new();
        for (name, bytes) in &files {
            let expect_valid = name.starts_with("valid-");
            let ours = mlsc_sbom::validate_bom_json(bytes, name);
            let doc: Value = serde_json::from_slice(bytes).unwrap();
            let theirs = reference.is_valid(&doc);
            assert_eq!(
                theirs, expect_valid,
                "the official schema disagrees with the name of {name}"
            );
            total += 1;
            if ours.is_valid() == expect_valid {
                agree += 1;
            } else {
                disagreements.push(format!("{name}: {:#?}", ours.findings));
            }
        }
        eprintln!("CycloneDX {version} examples: mlsc agrees with the schema on {agree}/{total}");
        assert!(disagreements.is_empty(), "{version}: {disagreements:#?}");
    }
}

/// Each invalid example is rejected for the reason its name gives, not by accident.
#[test]
fn invalid_examples_are_rejected_for_their_reason() {
    let reasons: &[(&str, &str)] = &[
        ("bomformat", "/bomFormat"),
        ("component-ref", "/components/1/bom-ref"),
        ("component-swid", "/components/0/swid"),
        ("component-type", "/components/0/type"),
        ("dependency", "/dependencies/0"),
        ("empty-component", "/components/0"),
        ("hash-alg", "/components/0/hashes/0/alg"),
        ("hash-md5", "/components/0/hashes/0/content"),
        ("hash-sha1", "/components/0/hashes/1/content"),
        ("hash-sha256", "/components/0/hashes/2/content"),
        ("hash-sha512", "/components/0/hashes/3/content"),
        ("license-id", "/components/0/licenses/0/license/id"),
        ("metadata-license", "/metadata/licenses/0/license/id"),
        ("metadata-timestamp", "/metadata/timestamp"),
        ("serialnumber", "/serialNumber"),
        ("scope", "/components/0/scope"),
    ];
    for version in ["1.6", "1.7"] {
        let Some(files) = examples(version) else {
            return;
        };
        for (key, pointer) in reasons {
            let name = format!("invalid-{key}-{version}.json");
            let (_, bytes) = files.iter().find(|(n, _)| *n == name).unwrap();
            let v = mlsc_sbom::validate_bom_json(bytes, &name);
            assert!(
                v.findings
                    .iter()
                    .any(|f| f.location.pointer.as_deref() == Some(*pointer)),
                "{name}: expected a finding at {pointer}: {:#?}",
                v.findings
            );
        }
    }
}

/// The specification's ML examples parse into the typed model, with the ML types typed, and serialise back to the
/// same JSON.
#[test]
fn spec_ml_examples_parse_into_the_model_and_round_trip() {
    for version in ["1.6", "1.7"] {
        let Some(files) = examples(version) else {
            return;
        };
        let ml: Vec<_> = files
            .iter()
            .filter(|(n, _)| n.starts_with("valid-machine-learning"))
            .collect();
        assert_eq!(ml.len(), 2);
        for (name, bytes) in ml {
            let original: Value = serde_json::from_slice(bytes).unwrap();
            let bom: Bom = serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            let model = &bom.components[0];
            assert_eq!(model.kind, ComponentType::MachineLearningModel, "{name}");
            let mc = model.model_card.as_ref().unwrap();
            if name.contains("considerations-env") {
                let env = mc
                    .considerations
                    .as_ref()
                    .unwrap()
                    .environmental_considerations
                    .as_ref()
                    .unwrap();
                assert!(env["energyConsumptions"].is_array());
            } else {
                let mp = mc.model_parameters.as_ref().unwrap();
                assert_eq!(
                    mp.approach.as_ref().unwrap().kind.as_deref(),
                    Some("supervised")
                );
                match &mp.datasets[0] {
                    DatasetChoice::Inline(d) => {
                        assert_eq!(d.kind, "dataset");
                        assert_eq!(d.classification.as_deref(), Some("public"));
                    }
                    DatasetChoice::Ref(r) => panic!("{name}: expected inline data, got {r:?}"),
                }
                let qa = mc.quantitative_analysis.as_ref().unwrap();
                assert!(qa.performance_metrics[0].confidence_interval.is_some());
                let cons = mc.considerations.as_ref().unwrap();
                assert_eq!(cons.ethical_considerations.len(), 1);
                assert_eq!(cons.fairness_assessments.len(), 1);
            }
            let back = serde_json::to_value(&bom).unwrap();
            assert!(back == original, "{name} does not round-trip");
        }
    }
}

/// `doc` without the keys whose value is an empty array (other than `dependsOn`, where empty means "none"):
/// the model writes no empty lists, and for CycloneDX an empty list and an absent one say the same.
fn drop_empty_lists(doc: &mut Value) {
    match doc {
        Value::Object(o) => {
            o.retain(|k, v| k == "dependsOn" || !v.as_array().is_some_and(Vec::is_empty));
            o.values_mut().for_each(drop_empty_lists);
        }
        Value::Array(a) => a.iter_mut().for_each(drop_empty_lists),
        _ => {}
    }
}

/// Every valid example of both versions reads into the typed model and writes back unchanged (empty lists aside).
#[test]
fn every_valid_example_round_trips_through_the_model() {
    for version in ["1.6", "1.7"] {
        let Some(files) = examples(version) else {
            return;
        };
        for (name, bytes) in files.iter().filter(|(n, _)| n.starts_with("valid-")) {
            let mut original: Value = serde_json::from_slice(bytes).unwrap();
            let bom: Bom = serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            drop_empty_lists(&mut original);
            let mut back = serde_json::to_value(&bom).unwrap();
            drop_empty_lists(&mut back);
            assert!(back == original, "{name} does not round-trip");
        }
    }
}

type Mutation = Box<dyn Fn(&mut Value)>;

fn base() -> Value {
    json!({
        "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "components": [{
            "type": "machine-learning-model", "name": "m", "bom-ref": "m",
            "modelCard": {"modelParameters": {"datasets": [{"ref": "d"}]}}
        }, {
            "type": "data", "name": "d", "bom-ref": "d",
            "data": [{"type": "dataset", "name": "d", "sensitiveData": ["faces"],
                      "governance": {"owners": [{"organization": {"name": "acme"}}]}}]
        }]
    })
}

/// The shapes `cyclonedx-bom` 0.8.1 writes for ML types are invalid, and both the schema and mlsc say so; the
/// correct shapes are valid.
#[test]
fn invalid_ml_shapes_of_other_tools_are_rejected() {
    let Some(reference) = schema("1.6") else {
        return;
    };
    let good = base();
    assert!(reference.is_valid(&good));
    assert!(mlsc_sbom::validate_bom_value(&good, "good").is_valid());
    let cases: Vec<(&str, Mutation)> = vec![
        (
            "dataset ref as a bare string",
            Box::new(|d: &mut Value| {
                d["components"][0]["modelCard"]["modelParameters"]["datasets"][0] = json!("d");
            }),
        ),
        (
            "data as an object",
            Box::new(|d: &mut Value| {
                let first = d["components"][1]["data"][0].clone();
                d["components"][1]["data"] = first;
            }),
        ),
        (
            "sensitiveData as a string",
            Box::new(|d: &mut Value| {
                d["components"][1]["data"][0]["sensitiveData"] = json!("faces");
            }),
        ),
        (
            "governance Owners mis-cased",
            Box::new(|d: &mut Value| {
                let owners = d["components"][1]["data"][0]["governance"]["owners"].take();
                d["components"][1]["data"][0]["governance"] = json!({"Owners": owners});
            }),
        ),
        (
            "model card on a library",
            Box::new(|d: &mut Value| {
                d["components"][0]["type"] = json!("library");
            }),
        ),
        (
            "dataset ref that resolves to nothing",
            Box::new(|d: &mut Value| {
                d["components"][0]["modelCard"]["modelParameters"]["datasets"][0]["ref"] =
                    json!("nowhere");
            }),
        ),
        (
            "duplicate bom-ref",
            Box::new(|d: &mut Value| {
                d["components"][1]["bom-ref"] = json!("m");
            }),
        ),
    ];
    for (what, mutate) in cases {
        let mut doc = good.clone();
        mutate(&mut doc);
        let ours = mlsc_sbom::validate_bom_value(&doc, what);
        assert!(!ours.is_valid(), "mlsc accepts: {what}");
        // The schema catches the structural ones; the semantic ones only mlsc catches.
        let structural = !matches!(
            what,
            "model card on a library"
                | "dataset ref that resolves to nothing"
                | "duplicate bom-ref"
        );
        assert_eq!(!reference.is_valid(&doc), structural, "schema on: {what}");
    }
}

#[test]
fn not_cyclonedx_and_unsupported_versions() {
    let v = mlsc_sbom::validate_bom_json(b"{nope", "x.json");
    assert_eq!(v.findings[0].code, "MLSC-BOM-100");
    assert_eq!(v.findings[0].location.line, Some(1));
    let v = mlsc_sbom::validate_bom_json(
        br#"{"bomFormat":"CycloneDX","specVersion":"1.2"}"#,
        "x.json",
    );
    assert_eq!(v.findings[0].code, "MLSC-BOM-100");
    let v = mlsc_sbom::validate_bom_json(
        br#"{"bomFormat":"CycloneDX","specVersion":"1.4","version":1,"components":[{"type":"library","name":"a"}]}"#,
        "x.json",
    );
    assert!(v.is_valid(), "{:#?}", v.findings);
    assert_eq!(v.spec_version.as_deref(), Some("1.4"));
}
