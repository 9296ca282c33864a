//! Model directories as ML-BOMs: golden BOMs, Hugging Face cache snapshots, the directory hash, licences,
//! reproducibility, and every real model card of the corpus.

mod bom_support;

use std::collections::BTreeMap;

use bom_support::*;
use mlsc_sbom::{Bom, ComponentType, DatasetChoice, LicenseChoice, SpecVersion};
use serde_json::Value;

fn bom_json(
    dir: &std::path::Path,
    opts: &mlsc_sbom::BomOptions,
) -> (Value, Vec<mlsc_core::Finding>) {
    let out = mlsc_sbom::bom_for_path(dir, opts).unwrap();
    let text = mlsc_sbom::bom_to_json(&out.bom);
    (serde_json::from_str(&text).unwrap(), out.findings)
}

fn prop<'a>(c: &'a Value, name: &str) -> Option<&'a str> {
    c["properties"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == name)
        .and_then(|p| p["value"].as_str())
}

/// Golden BOMs of generated model directories whose README is a real card: a BERT card (licence, datasets,
/// limitations section), a Trainer card with `model-index`, and a LoRA card with `base_model`.
#[test]
fn golden_model_directory_boms() {
    for (label, part) in [
        ("bert", "models--bert-base-uncased--"),
        ("trainer_model_index", "aapot_wav2vec2-xlsr-300m-finnish-lm"),
        ("lora_base_model", "pcuenq_pokemon-lora"),
    ] {
        let Some(card) = corpus_card(part) else {
            return;
        };
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("my-model");
        write_files(&dir, &model_files(Some(&card)));
        // Without the scan: its messages belong to mlsc-pickle, and `scan_verdicts_become_properties` tests them.
        let mut opts = deterministic();
        opts.scan = false;
        let (doc, findings) = bom_json(&dir, &opts);
        assert!(findings.is_empty(), "{findings:#?}");
        assert_valid(&doc, label);
        let tmp_str = tmp.path().display().to_string();
        insta::with_settings!({filters => vec![(tmp_str.as_str(), "[TMP]")]}, {
            insta::assert_json_snapshot!(format!("golden_{label}"), doc);
        });
    }
}

#[test]
fn model_card_content_from_card_and_config() {
    let Some(card) = corpus_card("models--bert-base-uncased--") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    write_files(tmp.path(), &model_files(Some(&card)));
    let out = mlsc_sbom::model_dir_bom(tmp.path(), &deterministic()).unwrap();
    let model = &out.bom.components[0];
    assert_eq!(model.kind, ComponentType::MachineLearningModel);
    // No revision is known for a plain folder: no version, no purl.
    assert!(model.version.is_none() && model.purl.is_none());
    let mc = model.model_card.as_ref().unwrap();
    let mp = mc.model_parameters.as_ref().unwrap();
    assert_eq!(mp.architecture_family.as_deref(), Some("bert"));
    assert_eq!(mp.model_architecture.as_deref(), Some("BertForMaskedLM"));
    // Datasets are references to data components, which the dependencies list too.
    let refs: Vec<&str> = mp
        .datasets
        .iter()
        .map(|d| match d {
            DatasetChoice::Ref(r) => r.reference.as_str(),
            DatasetChoice::Inline(_) => panic!("inline dataset"),
        })
        .collect();
    assert_eq!(refs, ["dataset:bookcorpus", "dataset:wikipedia"]);
    for r in &refs {
        let data = out
            .bom
            .components
            .iter()
            .find(|c| c.bom_ref.as_deref() == Some(*r))
            .unwrap();
        assert_eq!(data.kind, ComponentType::Data);
        assert_eq!(data.data[0].kind, "dataset");
    }
    let dep = &out.bom.dependencies[0];
    assert_eq!(dep.reference, model.bom_ref.clone().unwrap());
    assert_eq!(dep.depends_on.as_deref().unwrap(), refs);
    // The card's "Limitations and bias" section is an ethical consideration (and only that).
    let cons = mc.considerations.as_ref().unwrap();
    assert!(
        cons.ethical_considerations
            .iter()
            .any(|r| r.name.as_deref().is_some_and(|t| t.contains("biased"))),
        "{cons:#?}"
    );
    assert!(cons.technical_limitations.is_empty());
    assert!(!cons.use_cases.is_empty());
    // apache-2.0 → the SPDX id.
    match &model.licenses[0] {
        LicenseChoice::License { license } => assert_eq!(license.id.as_deref(), Some("Apache-2.0")),
        other => panic!("{other:?}"),
    }
    // Every file is a nested file component with its SHA-256; weights, config and tokenizer are labelled.
    let files: BTreeMap<&str, &mlsc_sbom::Component> = model
        .components
        .iter()
        .map(|c| (c.name.as_str(), c))
        .collect();
    for (rel, bytes) in model_files(Some(&card)) {
        let c = files[rel.as_str()];
        assert_eq!(c.kind, ComponentType::File);
        assert_eq!(c.hashes[0].alg, "SHA-256");
        assert_eq!(
            c.hashes[0].content,
            mlsc_core::Sha256Digest::of(&bytes).to_hex()
        );
    }
    let roles: Vec<_> = ["model.safetensors", "config.json", "tokenizer.json"]
        .iter()
        .map(|f| {
            files[f]
                .properties
                .iter()
                .find(|p| p.name == "mlsc:file:role")
                .unwrap()
                .value
                .clone()
                .unwrap()
        })
        .collect();
    assert_eq!(roles, ["weights", "config", "tokenizer"]);
}

#[test]
fn model_index_becomes_quantitative_analysis_and_base_model_an_ancestor() {
    let Some(card) = corpus_card("aapot_wav2vec2-xlsr-300m-finnish-lm") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    write_files(tmp.path(), &model_files(Some(&card)));
    let out = mlsc_sbom::model_dir_bom(tmp.path(), &deterministic()).unwrap();
    let parsed = mlsc_cards::ModelCard::parse(&card).unwrap();
    let qa = out.bom.components[0]
        .model_card
        .as_ref()
        .unwrap()
        .quantitative_analysis
        .as_ref();
    // As many metrics as the card's model-index has results, with the same values.
    let got: Vec<String> = qa
        .map(|q| {
            q.performance_metrics
                .iter()
                .map(|m| m.value.clone().unwrap())
                .collect()
        })
        .unwrap_or_default();
    let want: Vec<String> = parsed
        .eval_results
        .iter()
        .map(|r| match &r.metric_value {
            Value::String(s) => s.clone(),
            v => v.to_string(),
        })
        .collect();
    assert_eq!(got, want);
    assert!(got.len() >= 2, "{got:?}");
    // The model is named by its model-index.
    assert_eq!(Some(out.bom.components[0].name.clone()), parsed.model_name);

    let Some(card) = corpus_card("pcuenq_pokemon-lora") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    write_files(tmp.path(), &model_files(Some(&card)));
    let out = mlsc_sbom::model_dir_bom(tmp.path(), &deterministic()).unwrap();
    let parsed = mlsc_cards::ModelCard::parse(&card).unwrap();
    let anc = &out.bom.components[0].pedigree.as_ref().unwrap().ancestors;
    let names: Vec<String> = anc
        .iter()
        .map(|a| match &a.group {
            Some(g) => format!("{g}/{}", a.name),
            None => a.name.clone(),
        })
        .collect();
    assert_eq!(names, parsed.base_model);
    assert!(
        anc.iter()
            .all(|a| a.purl.as_deref().unwrap().starts_with("pkg:huggingface/"))
    );
}

#[cfg(unix)]
#[test]
fn hf_cache_snapshot_gives_revision_purl_and_verified_lfs_digests() {
    let tmp = tempfile::tempdir().unwrap();
    let rev = "0123456789abcdef0123456789abcdef01234567";
    let files = model_files(corpus_card("models--bert-base-uncased--").as_deref());
    let snap = hf_cache(tmp.path(), "google-bert", "bert-base-uncased", rev, &files);
    for path in [
        snap.clone(),
        tmp.path().join("models--google-bert--bert-base-uncased"),
    ] {
        let (doc, findings) = bom_json(&path, &deterministic());
        assert!(findings.is_empty(), "{findings:#?}");
        assert_valid(&doc, "cache");
        let model = &doc["components"][0];
        assert_eq!(model["name"], "bert-base-uncased");
        assert_eq!(model["group"], "google-bert");
        assert_eq!(model["version"], rev);
        assert_eq!(
            model["purl"],
            format!("pkg:huggingface/google-bert/bert-base-uncased@{rev}")
        );
        let weights = model["components"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "model.safetensors")
            .unwrap();
        assert_eq!(prop(weights, "mlsc:hf:lfs-sha256"), Some("verified"));
        let config = model["components"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "config.json")
            .unwrap();
        assert!(prop(config, "mlsc:hf:git-blob").is_some());
    }
    // Tamper with the blob: the digest no longer matches its name.
    let blob =
        mlsc_core::Sha256Digest::of(&files.iter().find(|f| f.0 == "model.safetensors").unwrap().1)
            .to_hex();
    let blob_path = tmp
        .path()
        .join("models--google-bert--bert-base-uncased/blobs")
        .join(&blob);
    let mut bytes = std::fs::read(&blob_path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&blob_path, bytes).unwrap();
    let (doc, findings) = bom_json(&snap, &deterministic());
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].code, "MLSC-BOM-001");
    assert!(findings[0].message.contains(&blob));
    let weights = doc["components"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "model.safetensors")
        .unwrap();
    assert_eq!(prop(weights, "mlsc:hf:lfs-sha256"), Some("mismatch"));
}

#[cfg(unix)]
#[test]
fn hf_cache_root_describes_every_model_once_with_shared_datasets() {
    let Some(card) = corpus_card("models--bert-base-uncased--") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let files = model_files(Some(&card));
    let a = "1111111111111111111111111111111111111111";
    let b = "2222222222222222222222222222222222222222";
    hf_cache(tmp.path(), "google-bert", "bert-base-uncased", a, &files);
    hf_cache(tmp.path(), "acme", "bert-finetuned", b, &files);
    let (doc, findings) = bom_json(tmp.path(), &deterministic());
    assert!(findings.is_empty(), "{findings:#?}");
    assert_valid(&doc, "cache root");
    let comps = doc["components"].as_array().unwrap();
    let purls: Vec<&str> = comps.iter().filter_map(|c| c["purl"].as_str()).collect();
    assert_eq!(
        purls,
        [
            format!("pkg:huggingface/acme/bert-finetuned@{b}"),
            format!("pkg:huggingface/google-bert/bert-base-uncased@{a}"),
        ]
    );
    // bookcorpus and wikipedia once each, though both models name them.
    assert_eq!(comps.iter().filter(|c| c["type"] == "data").count(), 2);
}

#[test]
fn directory_hash_is_the_sha256sum_manifest_digest() {
    let tmp = tempfile::tempdir().unwrap();
    let mut files = model_files(None);
    files.push(("sub/dir/extra.bin".to_owned(), vec![7u8; 1000]));
    files.push((".git/HEAD".to_owned(), b"ref: refs/heads/main\n".to_vec()));
    write_files(tmp.path(), &files);
    let (doc, _) = bom_json(tmp.path(), &deterministic());
    // Independently: sorted paths (`.git` skipped), "<hex>  <path>\n" lines, SHA-256 of the whole.
    let mut entries: Vec<(String, String)> = files
        .iter()
        .filter(|(p, _)| !p.starts_with(".git/"))
        .map(|(p, b)| (p.clone(), mlsc_core::Sha256Digest::of(b).to_hex()))
        .collect();
    entries.sort();
    let manifest: String = entries.iter().map(|(p, h)| format!("{h}  {p}\n")).collect();
    let want = mlsc_core::Sha256Digest::of(manifest.as_bytes()).to_hex();
    assert_eq!(doc["components"][0]["hashes"][0]["content"], want);
    assert_eq!(
        doc["components"][0]["components"].as_array().unwrap().len(),
        entries.len()
    );
}

#[test]
fn deterministic_output_is_byte_identical_and_content_addressed() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(tmp.path(), &model_files(None));
    let opts = deterministic();
    let a = mlsc_sbom::bom_to_json(&mlsc_sbom::model_dir_bom(tmp.path(), &opts).unwrap().bom);
    let b = mlsc_sbom::bom_to_json(&mlsc_sbom::model_dir_bom(tmp.path(), &opts).unwrap().bom);
    assert_eq!(a, b);
    let doc: Value = serde_json::from_str(&a).unwrap();
    assert_eq!(doc["metadata"]["timestamp"], "2023-11-14T22:13:20Z");
    // Other content, other serial number.
    std::fs::write(tmp.path().join("vocab.txt"), b"[PAD]\nbye\n").unwrap();
    let c = mlsc_sbom::bom_to_json(&mlsc_sbom::model_dir_bom(tmp.path(), &opts).unwrap().bom);
    let doc_c: Value = serde_json::from_str(&c).unwrap();
    assert_ne!(doc["serialNumber"], doc_c["serialNumber"]);
    // Without the options: a random serial and the current time.
    let d = mlsc_sbom::model_dir_bom(tmp.path(), &mlsc_sbom::BomOptions::default())
        .unwrap()
        .bom;
    let e = mlsc_sbom::model_dir_bom(tmp.path(), &mlsc_sbom::BomOptions::default())
        .unwrap()
        .bom;
    assert_ne!(d.serial_number, e.serial_number);
    assert!(d.metadata.unwrap().timestamp.is_some());
    // --deterministic without SOURCE_DATE_EPOCH: no invented timestamp.
    let mut o = mlsc_sbom::BomOptions::default();
    o.deterministic = true;
    let f = mlsc_sbom::model_dir_bom(tmp.path(), &o).unwrap().bom;
    assert!(f.metadata.unwrap().timestamp.is_none());
}

#[test]
fn spec_1_7_output_is_valid_1_7() {
    let Some(card) = corpus_card("models--bert-base-uncased--") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    write_files(tmp.path(), &model_files(Some(&card)));
    let mut opts = deterministic();
    opts.spec = SpecVersion::V1_7;
    let (doc, _) = bom_json(tmp.path(), &opts);
    assert_eq!(doc["specVersion"], "1.7");
    assert_valid(&doc, "1.7");
}

/// Every one of the real model cards of the corpus gives a BOM valid under the 1.6 schema (and 1.7) and mlsc's
/// rules, and the card's facts arrive in it.
#[test]
fn every_corpus_card_yields_a_schema_valid_bom() {
    let Some(shared) = shared() else { return };
    let (Some(v16), Some(v17)) = (schema("1.6"), schema("1.7")) else {
        return;
    };
    let mut cards: Vec<_> = std::fs::read_dir(shared.join("corpus/model-cards"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cards.sort();
    assert_eq!(cards.len(), 60);
    let mut with_license = 0;
    let mut with_datasets = 0;
    for path in &cards {
        let card = std::fs::read(path).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let mut files = model_files(None);
        files.push(("README.md".to_owned(), card.clone()));
        write_files(tmp.path(), &files);
        let mut opts = deterministic();
        opts.scan = false;
        for (spec, validator) in [(SpecVersion::V1_6, &v16), (SpecVersion::V1_7, &v17)] {
            opts.spec = spec;
            let out = mlsc_sbom::model_dir_bom(tmp.path(), &opts).unwrap();
            let doc = serde_json::to_value(&out.bom).unwrap();
            let errs = schema_errors(validator, &doc);
            assert!(errs.is_empty(), "{}: {errs:#?}", path.display());
            let ours = mlsc_sbom::validate_bom_value(&doc, "x");
            assert!(ours.is_valid(), "{}: {:#?}", path.display(), ours.findings);
            // A card the parser reads gives its licence and datasets to the BOM.
            if spec == SpecVersion::V1_6
                && let Ok(parsed) = mlsc_cards::ModelCard::parse_bytes(&card)
            {
                let model = &out.bom.components[0];
                if parsed.license.as_deref().is_some_and(|l| l != "unknown") {
                    assert!(!model.licenses.is_empty(), "{}", path.display());
                    with_license += 1;
                }
                let data = out
                    .bom
                    .components
                    .iter()
                    .filter(|c| c.kind == ComponentType::Data)
                    .count();
                let mut uniq = parsed.datasets.clone();
                uniq.retain(|d| !d.trim().is_empty());
                uniq.sort();
                uniq.dedup();
                assert_eq!(data, uniq.len(), "{}", path.display());
                with_datasets += usize::from(data > 0);
            }
        }
    }
    eprintln!(
        "{} cards: {with_license} with a licence, {with_datasets} with datasets",
        cards.len()
    );
    assert!(with_license > 30 && with_datasets > 10);
}

/// Every Hub licence id maps to an id of the 1.6 schema's SPDX list or to a named licence (`unknown` to none).
#[test]
fn every_hub_license_id_maps_to_a_valid_license() {
    let Some(shared) = shared() else { return };
    let ids = std::fs::read_to_string(shared.join("data/hf-hub/license-ids.txt")).unwrap();
    let spdx: Value = serde_json::from_str(
        &std::fs::read_to_string(shared.join("schemas/cyclonedx/spdx.schema.json")).unwrap(),
    )
    .unwrap();
    let spdx: Vec<&str> = spdx["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let ours: Vec<&str> = mlsc_sbom::hub_license_ids().collect();
    let (mut as_id, mut named) = (0, 0);
    for id in ids.lines().map(str::trim).filter(|l| !l.is_empty()) {
        assert!(ours.contains(&id), "the table lacks the Hub id `{id}`");
        match mlsc_sbom::hub_license(id, None, None) {
            None => assert_eq!(id, "unknown"),
            Some(LicenseChoice::License { license }) => {
                if let Some(spdx_id) = &license.id {
                    assert!(
                        spdx.contains(&spdx_id.as_str()),
                        "{id} -> {spdx_id} is not in the 1.6 SPDX list"
                    );
                    as_id += 1;
                } else {
                    assert!(license.name.is_some());
                    named += 1;
                }
            }
            Some(other) => panic!("{id}: {other:?}"),
        }
    }
    eprintln!("hub licence ids: {as_id} SPDX ids, {named} named");
    assert_eq!(
        as_id + named + 1,
        ids.lines().filter(|l| !l.trim().is_empty()).count()
    );
    assert!(as_id >= 50, "{as_id}");
}

#[test]
fn scan_verdicts_become_properties() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(tmp.path(), &model_files(None));
    // A pickle that calls os.system: whatever the scanner's verdict, it is recorded on the file.
    std::fs::write(
        tmp.path().join("evil.pkl"),
        b"\x80\x02cposix\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.",
    )
    .unwrap();
    let (doc, _) = bom_json(tmp.path(), &deterministic());
    let files = doc["components"][0]["components"].as_array().unwrap();
    let evil = files.iter().find(|c| c["name"] == "evil.pkl").unwrap();
    let verdict = prop(evil, "mlsc:scan:verdict").unwrap();
    assert!(!verdict.is_empty());
    // The model's verdict is never better than any file's.
    let model_verdict = prop(&doc["components"][0], "mlsc:scan:assessment").unwrap();
    let evil_assessment = prop(evil, "mlsc:scan:assessment").unwrap();
    let rank = |s: &str| {
        ["clean", "suspicious", "malicious"]
            .iter()
            .position(|x| *x == s)
            .unwrap()
    };
    assert!(rank(model_verdict) >= rank(evil_assessment));
    let mut o = deterministic();
    o.scan = false;
    let (doc, _) = bom_json(tmp.path(), &o);
    assert!(prop(&doc["components"][0], "mlsc:scan:verdict").is_none());
}

#[test]
fn unparseable_card_and_config_are_findings_not_failures() {
    let tmp = tempfile::tempdir().unwrap();
    write_files(
        tmp.path(),
        &model_files(Some("---\nlicense: [unclosed\n---\n# x\n")),
    );
    std::fs::write(tmp.path().join("config.json"), b"{not json").unwrap();
    let out = mlsc_sbom::model_dir_bom(tmp.path(), &deterministic()).unwrap();
    let codes: Vec<&str> = out.findings.iter().map(|f| f.code.as_str()).collect();
    assert!(
        codes.contains(&"MLSC-BOM-004") && codes.contains(&"MLSC-BOM-005"),
        "{codes:?}"
    );
    assert_valid(&serde_json::to_value(&out.bom).unwrap(), "broken inputs");
    let _: Bom = serde_json::from_value(serde_json::to_value(&out.bom).unwrap()).unwrap();
}

#[test]
fn rules_are_unique_and_stable() {
    let rules = mlsc_sbom::bom_rules();
    let mut codes: Vec<&str> = rules.iter().map(|r| r.code).collect();
    codes.sort();
    let n = codes.len();
    codes.dedup();
    assert_eq!(codes.len(), n, "duplicate codes");
    let listing: String = rules
        .iter()
        .map(|r| {
            format!(
                "{} {} {}: {}\n",
                r.code, r.name, r.default_severity, r.summary
            )
        })
        .collect();
    insta::assert_snapshot!("bom_rules", listing);
}
