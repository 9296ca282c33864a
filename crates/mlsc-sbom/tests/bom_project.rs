//! A project folder as one BOM: every model directory, dataset and Python input under it, and what it could not
//! cover (issue 14, item 1). Every BOM is checked against the official CycloneDX 1.6 schema.

mod bom_support;

use bom_support::*;
use mlsc_sbom::{Bom, ComponentType};
use serde_json::Value;

fn bom_of(dir: &std::path::Path) -> (mlsc_sbom::BomOutput, Value) {
    let out = mlsc_sbom::bom_for_path(dir, &deterministic()).unwrap();
    let doc = serde_json::to_value(&out.bom).unwrap();
    (out, doc)
}

fn kinds(bom: &Bom, kind: ComponentType) -> Vec<&str> {
    bom.components
        .iter()
        .filter(|c| c.kind == kind)
        .map(|c| c.name.as_str())
        .collect()
}

fn not_covered(doc: &Value) -> Vec<String> {
    doc["metadata"]["properties"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter(|p| p["name"] == "mlsc:bom:not-covered")
                .map(|p| p["value"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

const DATASET_CARD: &str = "---\nlicense: cc-by-4.0\npretty_name: Reviews\ntask_categories:\n- text-classification\n\
                            size_categories:\n- n<1K\n---\n# Reviews\n\nA few labelled reviews.\n";

#[test]
fn project_with_requirements_and_a_model_subdirectory() {
    // The reproduction of issue 14: p1/requirements.txt and p1/model/ (config.json + a safetensors).
    let tmp = tempfile::tempdir().unwrap();
    let p1 = tmp.path().join("p1");
    std::fs::create_dir_all(&p1).unwrap();
    std::fs::write(
        p1.join("requirements.txt"),
        "torch==2.2.0\nnumpy==1.26.4\nrequests==2.31.0\n",
    )
    .unwrap();
    write_files(
        &p1.join("model"),
        &[
            (
                "config.json".to_owned(),
                br#"{"architectures": ["BertModel"], "model_type": "bert"}"#.to_vec(),
            ),
            ("model.safetensors".to_owned(), safetensors(16)),
        ],
    );
    std::fs::write(p1.join("train.py"), "print('training')\n").unwrap();
    let (out, doc) = bom_of(&p1);
    assert_valid(&doc, "p1");
    assert_eq!(
        kinds(&out.bom, ComponentType::MachineLearningModel),
        ["model"]
    );
    let mut libs = kinds(&out.bom, ComponentType::Library);
    libs.sort_unstable();
    assert_eq!(libs, ["numpy", "requests", "torch"]);
    // The model's files are in it, hashed; the project depends on the model and on its packages.
    let model = &out.bom.components[0];
    assert_eq!(model.components.len(), 2);
    let project = doc["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["ref"] == "project")
        .unwrap();
    let on: Vec<&str> = project["dependsOn"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(on.contains(&"model:model"), "{on:?}");
    assert_eq!(on.len(), 4, "{on:?}");
    // A script is the project's own code: not a gap, nothing said.
    assert!(not_covered(&doc).is_empty(), "{:?}", not_covered(&doc));
    assert!(
        out.findings.iter().all(|f| f.code != "MLSC-BOM-008"),
        "{:#?}",
        out.findings
    );
}

#[test]
fn dataset_folder_gives_data_components() {
    // A dataset folder: a card, a DVC record of a pulled folder, a DVC record of data not pulled, CSVs.
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("reviews");
    std::fs::create_dir_all(d.join("raw")).unwrap();
    std::fs::write(d.join("README.md"), DATASET_CARD).unwrap();
    std::fs::write(d.join("train.csv"), "text,label\ngood,1\nbad,0\n").unwrap();
    std::fs::write(d.join("test.csv"), "text,label\nfine,1\n").unwrap();
    let (out, doc) = bom_of(&d);
    assert_valid(&doc, "dataset folder");
    let data = kinds(&out.bom, ComponentType::Data);
    assert_eq!(data, ["reviews"], "{doc:#}");
    let c = &out.bom.components[0];
    assert_eq!(c.components.len(), 2, "the two CSV files");
    assert!(c.hashes.len() == 1, "a directory hash");
    assert_eq!(
        doc["components"][0]["licenses"][0]["license"]["id"],
        "CC-BY-4.0"
    );
    assert!(out.findings.iter().all(|f| f.code != "MLSC-BOM-008"));

    // DVC: a project whose data is tracked by records, one pulled, one not.
    let proj = tmp.path().join("dvcproj");
    std::fs::create_dir_all(proj.join("data/images")).unwrap();
    std::fs::write(
        proj.join("data.dvc"),
        "outs:\n- md5: 0123456789abcdef0123456789abcdef.dir\n  size: 6\n  nfiles: 2\n  hash: md5\n  path: data\n",
    )
    .unwrap();
    std::fs::write(proj.join("data/images/a.png"), b"\x89PNG\r\n\x1a\nxx").unwrap();
    std::fs::write(proj.join("data/labels.txt"), "a 1\n").unwrap();
    std::fs::write(
        proj.join("extra.dvc"),
        "outs:\n- md5: fedcba9876543210fedcba9876543210\n  size: 3\n  path: extra.parquet\n",
    )
    .unwrap();
    std::fs::create_dir_all(proj.join(".dvc/cache/files/md5/01")).unwrap();
    std::fs::write(proj.join(".dvc/cache/files/md5/01/23"), b"\x80\x04K\x01.").unwrap();
    let (out, doc) = bom_of(&proj);
    assert_valid(&doc, "dvc project");
    let mut data = kinds(&out.bom, ComponentType::Data);
    data.sort_unstable();
    assert_eq!(data, ["data", "extra.parquet"], "{doc:#}");
    let pulled = out
        .bom
        .components
        .iter()
        .find(|c| c.name == "data")
        .unwrap();
    assert_eq!(
        pulled.components.len(),
        2,
        "the image and the labels, not DVC's cache"
    );
    let absent = out
        .bom
        .components
        .iter()
        .find(|c| c.name == "extra.parquet")
        .unwrap();
    assert!(
        absent
            .properties
            .iter()
            .any(|p| p.name == "mlsc:dataset:status"),
        "{absent:#?}"
    );
    assert!(not_covered(&doc).is_empty(), "{:?}", not_covered(&doc));
}

#[test]
fn what_is_not_covered_is_said() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path();
    std::fs::write(p.join("requirements.txt"), "torch==2.2.0\n").unwrap();
    // A pickle outside any model directory's top level would make its folder a model directory; a binary of an
    // unknown kind does not.
    std::fs::create_dir_all(p.join("assets")).unwrap();
    std::fs::write(
        p.join("assets/blob.dat"),
        [0u8, 159, 146, 150, 1, 2, 3, 255],
    )
    .unwrap();
    // A requirements file deeper than the Python search goes.
    let deep = p.join("a/b/c/d/e/f");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("requirements.txt"), "flask==3.0.0\n").unwrap();
    let (out, doc) = bom_of(p);
    assert_valid(&doc, "gaps");
    let gaps = not_covered(&doc);
    assert!(
        gaps.iter().any(|g| g.starts_with("assets/blob.dat:")),
        "{gaps:?}"
    );
    assert!(
        gaps.iter()
            .any(|g| g.starts_with("a/b/c/d/e/f/requirements.txt:")),
        "{gaps:?}"
    );
    let codes: Vec<&str> = out
        .findings
        .iter()
        .filter(|f| f.code == "MLSC-BOM-008")
        .map(|f| f.location.path.as_str())
        .collect();
    assert_eq!(codes.len(), 2, "{:#?}", out.findings);

    // An empty folder describes nothing, and says so.
    let empty = tempfile::tempdir().unwrap();
    let (out, doc) = bom_of(empty.path());
    assert_valid(&doc, "empty");
    assert!(doc["components"].as_array().is_none_or(Vec::is_empty));
    assert!(
        out.findings
            .iter()
            .any(|f| f.code == "MLSC-BOM-008" && f.message.contains("describes nothing")),
        "{:#?}",
        out.findings
    );
}

#[test]
fn two_models_of_one_name_get_distinct_refs() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path();
    for sub in ["a/model", "b/model"] {
        write_files(&p.join(sub), &model_files(None));
    }
    let (out, doc) = bom_of(p);
    assert_valid(&doc, "two models");
    let refs: Vec<&str> = out
        .bom
        .components
        .iter()
        .filter_map(|c| c.bom_ref.as_deref())
        .collect();
    assert_eq!(refs.len(), 2);
    assert_ne!(refs[0], refs[1]);
}
