//! Parity with huggingface_hub 2.4.0 on the shared corpus: the same cards load, strictly and leniently.
#![allow(clippy::print_stderr)] // a test says why it skips, and shows the findings behind a failed assertion

use std::path::{Path, PathBuf};

use mlsc_cards::{CardKind, LintOptions, Vocabularies, lint_bytes};

fn shared() -> Option<PathBuf> {
    let p = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if p.join("corpus/expected").is_dir() {
        Some(p.to_owned())
    } else {
        eprintln!("skipping: ../shared/corpus is absent");
        None
    }
}

/// Cards where we deliberately disagree with huggingface_hub, and why. Empty means full parity.
const DISAGREEMENTS: &[(&str, &str)] = &[];

#[test]
fn hub_load_parity() {
    let Some(shared) = shared() else { return };
    let expected: serde_json::Value = serde_json::from_str(
        &fs_err::read_to_string(shared.join("corpus/expected/huggingface_hub-2.4.0-load.json"))
            .unwrap(),
    )
    .unwrap();
    let mut options = LintOptions::default();
    options.vocabularies = Vocabularies::load(shared.join("data/hf-hub")).unwrap();
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for (name, exp) in expected.as_object().unwrap() {
        if name.starts_with('_') {
            continue;
        }
        options.kind = Some(if name.starts_with("dataset-cards/") {
            CardKind::Dataset
        } else {
            CardKind::Model
        });
        let path = shared.join("corpus").join(name);
        let bytes = fs_err::read(&path).unwrap();
        let report = lint_bytes(name, &bytes, &options);
        let hub = report.hub_load.expect("hub cards have a hub load outcome");
        let strict = exp["load"] == "ok";
        let lenient = strict || exp["load_ignore_metadata_errors"] == "ok";
        checked += 1;
        if (hub.strict, hub.lenient) != (strict, lenient) {
            if DISAGREEMENTS.iter().any(|(n, _)| name.ends_with(n)) {
                continue;
            }
            mismatches.push(format!(
                "{name}: mlsc strict={} lenient={}, hub strict={strict} lenient={lenient} ({})\n  findings: {:?}",
                hub.strict,
                hub.lenient,
                exp.get("error").and_then(|e| e.as_str()).unwrap_or(""),
                report.findings.iter().filter(|f| f.severity >= mlsc_core::Severity::High).map(|f| (&f.code, &f.message)).collect::<Vec<_>>()
            ));
        }
        // A card that does not load must say why, with a line.
        if !strict {
            assert!(
                report
                    .findings
                    .iter()
                    .any(|f| f.severity >= mlsc_core::Severity::High
                        && (f.location.line.is_some() || f.location.offset.is_some())),
                "{name}: refused by the hub but no high finding with a line: {:#?}",
                report.findings
            );
        }
    }
    assert_eq!(checked, 79);
    assert!(
        mismatches.is_empty(),
        "{} disagreements:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// Codes that correspond to an mlcroissant validation error (the rest are warnings or our own additions).
const MLCROISSANT_ERRORS: &[&str] = &[
    "MLSC-CROI-001",
    "MLSC-CROI-002",
    "MLSC-CROI-003",
    "MLSC-CROI-005",
    "MLSC-CROI-006",
];

fn croissant_outcome(name: &str, bytes: &[u8]) -> (bool, Vec<String>) {
    let options = LintOptions::default();
    let r = lint_bytes(name, bytes, &options);
    assert_eq!(r.kind, CardKind::Croissant, "{name}");
    let errors: Vec<_> = r
        .findings
        .iter()
        .filter(|f| MLCROISSANT_ERRORS.contains(&f.code.as_str()))
        .collect();
    let mut recommended: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.code == "MLSC-CROI-004")
        .map(|f| f.location.pointer.clone().unwrap())
        .collect();
    recommended.sort();
    if !errors.is_empty() {
        eprintln!("{name}: {errors:#?}");
    }
    (errors.is_empty(), recommended)
}

fn mlcroissant_warnings(exp: &serde_json::Value) -> Vec<String> {
    let mut w: Vec<String> = exp["warnings"]
        .as_array()
        .map(|a| a.iter().filter_map(|w| w.as_str()).collect::<Vec<_>>())
        .unwrap_or_default()
        .iter()
        .filter_map(|w| w.split("Property \"").nth(1))
        .filter_map(|w| w.split('"').next())
        .map(|iri| iri.rsplit('/').next().unwrap().to_owned())
        .collect();
    w.sort();
    w
}

#[test]
fn croissant_parity() {
    let Some(shared) = shared() else { return };
    let expected: serde_json::Value = serde_json::from_str(
        &fs_err::read_to_string(shared.join("corpus/expected/mlcroissant-1.1.1-validate.json"))
            .unwrap(),
    )
    .unwrap();
    let mut n = 0;
    for (name, exp) in expected.as_object().unwrap() {
        if name.starts_with("NEG:") || name.starts_with('_') {
            continue;
        }
        let bytes = fs_err::read(shared.join("corpus/croissant").join(name)).unwrap();
        let (ok, recommended) = croissant_outcome(name, &bytes);
        assert_eq!(ok, exp["status"] == "ok", "{name}");
        assert_eq!(
            recommended,
            mlcroissant_warnings(exp),
            "{name}: recommended-property warnings differ"
        );
        n += 1;
    }
    assert_eq!(n, 10);
}

/// The negative cases of the expectations, rebuilt by mutating the corpus files as their names say.
#[test]
fn croissant_negative_parity() {
    let Some(shared) = shared() else { return };
    let expected: serde_json::Value = serde_json::from_str(
        &fs_err::read_to_string(shared.join("corpus/expected/mlcroissant-1.1.1-validate.json"))
            .unwrap(),
    )
    .unwrap();
    let load = |f: &str| -> serde_json::Value {
        serde_json::from_str(
            &fs_err::read_to_string(shared.join("corpus/croissant").join(f)).unwrap(),
        )
        .unwrap()
    };
    let minimal = load("1.0__recipes__minimal.json");
    let squad = load("1.1__huggingface-squad_v2.json");
    let mut cases: Vec<(&str, serde_json::Value)> = Vec::new();
    let mut d = minimal.clone();
    d["conformsTo"] = "http://mlcommons.org/croissant/9.9".into();
    cases.push(("NEG:conformsTo_bogus", d));
    let mut d = minimal.clone();
    d.as_object_mut().unwrap().remove("conformsTo");
    cases.push(("NEG:no_conformsTo(=>0.8 rules)", d));
    let mut d = minimal.clone();
    d.as_object_mut().unwrap().remove("name");
    cases.push(("NEG:name_removed", d));
    let mut d = minimal.clone();
    d["license"] = 42.into();
    cases.push(("NEG:license_int", d));
    let mut d = minimal.clone();
    d["datePublished"] = "yesterday".into();
    cases.push(("NEG:datePublished_bad", d));
    let mut d = squad.clone();
    for f in d["distribution"].as_array_mut().unwrap() {
        if f["@id"] == "repo" {
            f.as_object_mut().unwrap().remove("sha256");
        }
    }
    cases.push(("NEG:fileobject_no_hash", d));
    let mut d = squad.clone();
    for f in d["distribution"].as_array_mut().unwrap() {
        f.as_object_mut().unwrap().remove("encodingFormat");
    }
    cases.push(("NEG:distribution_no_encodingFormat", d));
    let mut d = squad.clone();
    for rs in d["recordSet"].as_array_mut().unwrap() {
        for f in rs["field"].as_array_mut().unwrap() {
            f.as_object_mut().unwrap().remove("dataType");
        }
    }
    cases.push(("NEG:fields_no_dataType", d));
    let mut d = squad.clone();
    'outer: for rs in d["recordSet"].as_array_mut().unwrap() {
        for f in rs["field"].as_array_mut().unwrap() {
            if let Some(src) = f.get_mut("source") {
                for key in ["fileSet", "fileObject", "field"] {
                    if src.get(key).is_some() {
                        src[key] = serde_json::json!({"@id": "does-not-exist"});
                        break 'outer;
                    }
                }
            }
        }
    }
    cases.push(("NEG:field_source_dangling_ref", d));
    for (name, doc) in cases {
        let exp = &expected[name];
        assert!(exp.is_object(), "{name} missing from expectations");
        let (ok, recommended) = croissant_outcome(name, doc.to_string().as_bytes());
        assert_eq!(
            ok,
            exp["status"] == "ok",
            "{name}: mlcroissant says {}",
            exp["status"]
        );
        if ok {
            assert_eq!(recommended, mlcroissant_warnings(exp), "{name}");
        }
    }
}

#[test]
fn model_card_toolkit_examples() {
    let Some(shared) = shared() else { return };
    let dir = shared.join("schemas/model-card-toolkit");
    let mut options = LintOptions::default();
    options.mct_schemas = Some(mlsc_cards::MctSchemas::load(&dir).unwrap());
    let mut date_failures = Vec::new();
    for f in [
        "cats_vs_dogs_v0_0_1.json",
        "cats_vs_dogs_v0_0_2.json",
        "considerations.json",
        "full.json",
    ] {
        let bytes = fs_err::read(dir.join("examples").join(f)).unwrap();
        let r = lint_bytes(f, &bytes, &options);
        assert_eq!(r.kind, CardKind::ModelCardToolkit, "{f}");
        assert!(r.complete);
        // Relative dataset paths under a `format: uri` are reported low; nothing else may fail.
        let schema: Vec<_> = r
            .findings
            .iter()
            .filter(|x| x.code == "MLSC-MCT-001" && x.severity > mlsc_core::Severity::Low)
            .collect();
        assert!(schema.is_empty(), "{f}: {schema:#?}");
        if r.findings.iter().any(|x| x.code == "MLSC-MCT-002") {
            date_failures.push(f);
        }
    }
    // The toolkit's own examples write `08/28/2020` and `2020/02/02`: only considerations.json has a real date.
    assert_eq!(
        date_failures,
        [
            "cats_vs_dogs_v0_0_1.json",
            "cats_vs_dogs_v0_0_2.json",
            "full.json"
        ]
    );
}

/// On every card huggingface_hub loads, the typed parse agrees with it: the metadata keys (huggingface_hub drops
/// keys whose value is null), the number of eval results and the model name.
#[test]
fn typed_parse_matches_hub() {
    let Some(shared) = shared() else { return };
    let expected: serde_json::Value = serde_json::from_str(
        &fs_err::read_to_string(shared.join("corpus/expected/huggingface_hub-2.4.0-load.json"))
            .unwrap(),
    )
    .unwrap();
    let mut compared = 0;
    for (name, exp) in expected.as_object().unwrap() {
        if exp["load"] != "ok" {
            continue;
        }
        let bytes = fs_err::read(shared.join("corpus").join(name)).unwrap();
        let (metadata, eval_results, model_name) = if name.starts_with("model-cards/") {
            let card = mlsc_cards::ModelCard::parse_bytes(&bytes).unwrap();
            (
                card.metadata,
                Some(card.eval_results.len()),
                card.model_name,
            )
        } else {
            (
                mlsc_cards::DatasetCard::parse_bytes(&bytes)
                    .unwrap()
                    .metadata,
                None,
                None,
            )
        };
        let ours: std::collections::BTreeSet<&str> = metadata
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, _)| k.as_str())
            .collect();
        let theirs: std::collections::BTreeSet<&str> = exp["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        assert_eq!(ours, theirs, "{name}: metadata keys");
        if let Some(n) = eval_results {
            assert_eq!(
                n as u64,
                exp["eval_results"].as_u64().unwrap(),
                "{name}: eval results"
            );
            let theirs = match &exp["model_name"] {
                serde_json::Value::Null => None,
                serde_json::Value::String(s) => Some(s.clone()),
                other => Some(other.to_string()),
            };
            assert_eq!(model_name, theirs, "{name}: model name");
        }
        compared += 1;
    }
    assert_eq!(compared, 65);
}
