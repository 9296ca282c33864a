//! The config analyser on the generated corpus (`tests/gen/gen_configs.py`): configs that instantiate code in a
//! plain file, a `.nemo` (tar and tar.gz), a Lightning `.ckpt`'s pickled `hyper_parameters`, safetensors
//! `__metadata__`, `tokenizer_config.json` and `chat_template.*`, each with a benign twin in the same container.
//!
//! At the default threshold (`medium`, which decides exit 1 against exit 0): every malicious case fails as
//! malicious, every suspicious one as suspicious, every over-limit or unparseable one as inconclusive, and every
//! benign twin passes. Each entry also names the codes it must carry, so a case caught by some other rule does
//! not count.

use std::path::PathBuf;

use mlsc_core::{Assessment, Completeness, Report, Severity};
use mlsc_pickle::{Policy, ScanOptions, scan_bytes, scan_paths};

fn corpus() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/config"
    ))
}

fn manifest() -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(corpus().join("manifest.json")).unwrap()).unwrap()
}

/// What is wrong with `report` for a file expected to be `expect` with `codes`, if anything.
fn check(report: &Report, rel: &str, expect: &str, codes: &[&str]) -> Option<String> {
    let shown = |why: &str| {
        let findings: Vec<String> = report
            .findings
            .iter()
            .map(|f| format!("  {} {} {}", f.code, f.severity, f.message))
            .collect();
        Some(format!("{rel}: {why}\n{}", findings.join("\n")))
    };
    if !report.errors.is_empty() || report.artifacts.len() != 1 {
        return shown(&format!("errors {:?}", report.errors));
    }
    let v = report.artifacts[0].verdict;
    let fails = report.fails(Severity::Medium);
    let ok = match expect {
        "malicious" => fails && v.assessment == Assessment::Malicious,
        "suspicious" => fails && v.assessment == Assessment::Suspicious,
        "inconclusive" => fails && v.completeness == Completeness::Inconclusive,
        "benign" => !fails && v.is_clean(),
        other => panic!("unknown expectation {other}"),
    };
    if !ok {
        return shown(&format!("expected {expect}, verdict {v}"));
    }
    if let Some(code) = codes
        .iter()
        .find(|c| !report.findings.iter().any(|f| f.code == **c))
    {
        return shown(&format!("no {code}"));
    }
    None
}

#[test]
fn generated_configs_meet_their_manifest() {
    let m = manifest();
    let files = m["files"].as_array().unwrap();
    let mut by_expect = std::collections::BTreeMap::<String, usize>::new();
    let mut failures = Vec::new();
    for e in files {
        let rel = e["file"].as_str().unwrap();
        let expect = e["expect"].as_str().unwrap();
        let codes: Vec<&str> = e["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let mut opts = ScanOptions::default();
        let allow: Vec<&str> = e["allow"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        opts.policy = Policy::default().with_allowed(allow);
        let report = scan_paths(&[corpus().join(rel)], &opts);
        failures.extend(check(&report, rel, expect, &codes));
        *by_expect.entry(expect.to_owned()).or_default() += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every case of the issue has a twin: at least as many benign files as containers.
    assert!(by_expect["malicious"] >= 30, "{by_expect:?}");
    assert!(by_expect["benign"] >= 15, "{by_expect:?}");
}

#[test]
fn every_container_has_a_case_and_a_twin() {
    let m = manifest();
    let files = m["files"].as_array().unwrap();
    let containers: std::collections::BTreeSet<&str> = files
        .iter()
        .map(|e| e["container"].as_str().unwrap())
        .collect();
    for c in containers {
        let has = |x: &str| {
            files
                .iter()
                .any(|e| e["container"] == c && e["expect"] == x)
        };
        assert!(has("malicious") && has("benign"), "container {c}");
    }
}

#[test]
fn a_target_is_located_by_its_path() {
    let rel = "malicious/nemo/model.nemo";
    let report = scan_paths(&[corpus().join(rel)], &ScanOptions::default());
    let f = report
        .findings
        .iter()
        .find(|f| f.code == "MLSC-CFG-001")
        .expect("a finding");
    assert_eq!(f.severity, Severity::Critical);
    assert_eq!(f.location.members, ["./model_config.yaml"]);
    assert_eq!(
        f.location.pointer.as_deref(),
        Some("/preprocessor/_target_")
    );
    assert!(
        f.evidence.as_deref().unwrap().starts_with("os.system"),
        "{f:?}"
    );
}

#[test]
fn interpolation_is_judged_on_the_resolved_name() {
    let report = scan_paths(
        &[corpus().join("malicious/interp-concat/config.yaml")],
        &ScanOptions::default(),
    );
    let f = report
        .findings
        .iter()
        .find(|f| f.code == "MLSC-CFG-001")
        .unwrap();
    assert!(
        f.message.contains("resolves to `os.system`"),
        "{}",
        f.message
    );
}

#[test]
fn plain_configs_stay_listed_as_non_model_files() {
    let report = scan_paths(
        &[corpus().join("benign/plain/config.yaml")],
        &ScanOptions::default(),
    );
    assert!(report.findings.iter().any(|f| f.code == "MLSC-SCAN-001"));
    assert!(report.artifacts[0].verdict.is_clean());
    // A config that runs code is not also told to be "nothing loaded as a model".
    let report = scan_paths(
        &[corpus().join("malicious/plain-os-system/config.yaml")],
        &ScanOptions::default(),
    );
    assert!(report.findings.iter().all(|f| f.code != "MLSC-SCAN-001"));
}

#[test]
fn auto_map_is_left_to_the_repository_check() {
    let cfg = br#"{"architectures": ["EvilForCausalLM"], "auto_map": {"AutoModel": "modeling_evil.EvilModel", "_target_": "os.system"}, "model_type": "evil"}"#;
    let report = scan_bytes("config.json", cfg, &ScanOptions::default());
    assert!(
        report
            .findings
            .iter()
            .all(|f| !f.code.starts_with("MLSC-CFG")),
        "{:#?}",
        report.findings
    );
}

#[test]
fn hostile_configs_end_with_a_finding_not_a_crash() {
    let deep_json = "[".repeat(100_000);
    let deep_yaml = "- ".repeat(10_000) + "x";
    // 50 000 nested flow mappings took libyaml 26 s before the nesting pre-check.
    let deep_flow = "{a: ".repeat(50_000);

    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("config.json", deep_json.into_bytes()),
        ("config.yaml", deep_yaml.into_bytes()),
        ("config.yaml", deep_flow.into_bytes()),
        (
            "config.toml",
            format!("a = {}", "[".repeat(100_000)).into_bytes(),
        ),
        ("config.yaml", b"a: &a [*a]\n".to_vec()),
        ("config.yaml", b"\xff\xfe\x00binary".to_vec()),
        (
            "tokenizer_config.json",
            br#"{"chat_template": "{{ "#.to_vec(),
        ),
    ];
    for (name, data) in cases {
        let report = scan_bytes(name, &data, &ScanOptions::default());
        assert!(
            report.fails(Severity::Medium),
            "{name}: {:#?}",
            report.findings
        );
    }
}

#[test]
fn large_ordinary_configs_are_clean_and_take_linear_time() {
    let wide_flow = format!("{{{}}}", "a: [1, {b: 2}], ".repeat(20_000));
    let many_keys: String = (0..200_000).map(|i| format!("k{i}: v\n")).collect();
    let many_anchors: String = (0..20_000)
        .map(|i| format!("a{i}: &a{i} [x]\nb{i}: *a{i}\n"))
        .collect();
    for data in [wide_flow, many_keys, many_anchors] {
        let t = std::time::Instant::now();
        let report = scan_bytes("config.yaml", data.as_bytes(), &ScanOptions::default());
        assert!(!report.fails(Severity::Medium), "{:#?}", report.findings);
        // A hang detector, not a benchmark: each takes under a second in a debug build.
        assert!(
            t.elapsed().as_secs() < 30,
            "{} bytes took {:?}",
            data.len(),
            t.elapsed()
        );
    }
}

#[test]
fn pickle_without_config_strings_is_untouched() {
    // A state dict: no marker, so the replay is skipped and only the pickle analyser speaks.
    let p =
        b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00}\x94(\x8c\x01a\x94K\x01\x8c\x01b\x94K\x02u.";
    let report = scan_bytes("x.pkl", p, &ScanOptions::default());
    assert!(
        report
            .findings
            .iter()
            .all(|f| !f.code.starts_with("MLSC-CFG"))
    );
}

#[test]
fn thousands_of_targets_are_summarised() {
    let doc: String = (0..1000)
        .map(|i| format!("m{i}:\n  _target_: os.system\n  _args_: [x]\n"))
        .collect();
    let report = scan_bytes("config.yaml", doc.as_bytes(), &ScanOptions::default());
    let n = report
        .findings
        .iter()
        .filter(|f| f.code == "MLSC-CFG-001")
        .count();
    assert_eq!(n, 201, "200 listed and one summary");
    assert!(
        report.findings.iter().any(
            |f| f.message.starts_with("800 more target(s)") && f.severity == Severity::Critical
        )
    );
}

#[test]
#[allow(clippy::print_stderr)] // a skip says why
fn real_configs_in_the_shared_corpus_stay_quiet() {
    let shared = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus"
    ));
    if !shared.is_dir() {
        eprintln!("skipping: {} is absent", shared.display());
        return;
    }
    let report = scan_paths(&[shared], &ScanOptions::default());
    let configs = report
        .artifacts
        .iter()
        .filter(|a| {
            [".json", ".yaml", ".yml", ".toml"]
                .iter()
                .any(|e| a.path.ends_with(e))
        })
        .count();
    assert!(configs >= 20, "only {configs} configs");
    let loud: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code.starts_with("MLSC-CFG") && f.severity > Severity::Info)
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
}

#[test]
fn json_lines_and_large_vocabularies() {
    let opts = ScanOptions::default();
    let jsonl = "{\"text\": \"a\"}\n{\"text\": \"b\"}\n";
    let r = scan_bytes("train.json", jsonl.as_bytes(), &opts);
    assert!(!r.fails(Severity::Medium), "{:#?}", r.findings);
    let evil = "{\"text\": \"a\"}\n{\"_target_\": \"os.system\"}\n";
    let r = scan_bytes("train.json", evil.as_bytes(), &opts);
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "MLSC-CFG-001" && f.location.line == Some(2))
    );
    // A 2 MB vocabulary with non-ASCII escapes takes the fast path and stays clean...
    let vocab: String = (0..100_000)
        .map(|i| format!("\"\\u0120tok{i}\": {i}, "))
        .collect();
    let big = format!("{{{vocab}\"end\": 0}}");
    assert!(big.len() > 1 << 20);
    let r = scan_bytes("vocab.json", big.as_bytes(), &opts);
    assert!(!r.fails(Severity::Medium), "{:#?}", r.findings);
    // ...but an escaped `_target_` in one is still parsed and found.
    let hidden = format!("{{{vocab}\"m\": {{\"\\u005ftarget_\": \"os.system\"}}}}");
    let r = scan_bytes("vocab.json", hidden.as_bytes(), &opts);
    assert!(
        r.findings.iter().any(|f| f.code == "MLSC-CFG-001"),
        "{:#?}",
        r.findings
    );
}

#[test]
fn configs_inside_zips_are_analysed() {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("bundle/configs/model_config.yaml", o).unwrap();
        z.write_all(b"model:\n  _target_: os.system\n  _args_: [echo pwned]\n")
            .unwrap();
        z.start_file("bundle/notes.txt", o).unwrap();
        z.write_all(b"just text\n").unwrap();
        z.finish().unwrap();
    }
    let r = scan_bytes("bundle.zip", buf.get_ref(), &ScanOptions::default());
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "MLSC-CFG-001")
        .expect("found inside the zip");
    assert_eq!(f.location.members, ["bundle/configs/model_config.yaml"]);
}

#[test]
fn embedded_strings_fail_closed_only_when_they_are_configs() {
    // pickle.dumps({'doc': 'mentions _target_ in prose: [unbalanced\n'}) and the same with a `_target_:` key line.
    fn pickle_of(s: &str) -> Vec<u8> {
        let mut p = b"\x80\x02}q\x00X\x03\x00\x00\x00docq\x01X".to_vec();
        p.extend_from_slice(&(s.len() as u32).to_le_bytes());
        p.extend_from_slice(s.as_bytes());
        p.extend_from_slice(b"q\x02s.");
        p
    }
    let opts = ScanOptions::default();
    let prose = scan_bytes(
        "a.pkl",
        &pickle_of("mentions _target_ in prose: [unbalanced\n"),
        &opts,
    );
    assert!(!prose.fails(Severity::Medium), "{:#?}", prose.findings);
    let config = scan_bytes(
        "a.pkl",
        &pickle_of("model:\n  _target_: [unbalanced\n"),
        &opts,
    );
    assert!(
        config.findings.iter().any(|f| f.code == "MLSC-CFG-006"),
        "{:#?}",
        config.findings
    );
}

#[test]
fn trust_remote_code_in_keyword_dicts_counts() {
    let doc = b"model:\n  _target_: transformers.AutoModelForCausalLM.from_pretrained\n  pretrained_model_name_or_path: someone/model\n  model_kwargs:\n    trust_remote_code: yes\n";
    let report = scan_bytes("config.yaml", doc, &ScanOptions::default());
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.code == "MLSC-CFG-003" && f.severity == Severity::High),
        "{:#?}",
        report.findings
    );
}
