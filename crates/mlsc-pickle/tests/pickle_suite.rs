//! The adversarial suite and the benign shapes from `tests/gen/gen_pickles.py`, as listed in its manifest: every
//! malicious file gets its verdict with the expected callable named, every benign file is clean.

use std::path::PathBuf;

use mlsc_core::Assessment;
use mlsc_pickle::{AnalyseOptions, PickleAnalysis, analyse_one, analyse_pickle, analyse_reader};

fn fixtures() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/pickle"
    ))
}

fn manifest() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(fixtures().join("manifest.json"))
        .expect("manifest.json: run tests/gen/gen_pickles.py");
    serde_json::from_str(&text).expect("manifest is JSON")
}

fn describe(a: &PickleAnalysis) -> String {
    a.findings
        .iter()
        .map(|f| {
            format!(
                "  {} {} @{:?}: {}",
                f.code, f.severity, f.location.offset, f.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn check(entry: &serde_json::Value, a: &PickleAnalysis) -> Option<String> {
    let file = entry["file"].as_str().unwrap();
    let want = entry["verdict"].as_str().unwrap();
    let ok = match want {
        "malicious" => a.verdict.assessment == Assessment::Malicious,
        "suspicious" => a.verdict.assessment >= Assessment::Suspicious,
        "clean" => a.verdict.is_clean(),
        other => panic!("unknown verdict {other}"),
    };
    let mut problems = Vec::new();
    if !ok {
        problems.push(format!("verdict {} (want {want})", a.verdict));
    }
    for e in entry["expect"].as_array().unwrap() {
        let e = e.as_str().unwrap();
        if !a.findings.iter().any(|f| f.message.contains(e)) {
            problems.push(format!("no finding names `{e}`"));
        }
    }
    (!problems.is_empty()).then(|| format!("{file}: {}\n{}", problems.join("; "), describe(a)))
}

#[test]
fn suite_has_no_miss_and_no_false_positive() {
    let entries = manifest();
    assert!(entries.len() > 150, "the suite is complete");
    let mut failures = Vec::new();
    let (mut mal, mut ben) = (0, 0);
    for entry in &entries {
        let file = entry["file"].as_str().unwrap();
        let data = std::fs::read(fixtures().join(file)).unwrap();
        let a = analyse_pickle(&data, &AnalyseOptions::default());
        if entry["verdict"] == "clean" {
            ben += 1;
        } else {
            mal += 1;
        }
        if let Some(f) = check(entry, &a) {
            failures.push(f);
        }
    }
    eprintln!("{mal} malicious/suspicious and {ben} benign fixtures");
    assert!(
        failures.is_empty(),
        "{} of {} fixtures fail:\n{}",
        failures.len(),
        entries.len(),
        failures.join("\n")
    );
}

#[test]
fn streaming_agrees_with_slices() {
    for entry in manifest() {
        let file = entry["file"].as_str().unwrap();
        let data = std::fs::read(fixtures().join(file)).unwrap();
        let a = analyse_pickle(&data, &AnalyseOptions::default());
        // A reader that hands out 7 bytes at a time exercises every refill path.
        let b = analyse_reader(Trickle(&data), &AnalyseOptions::default()).unwrap();
        assert_eq!(a.verdict, b.verdict, "{file}");
        let codes = |x: &PickleAnalysis| {
            x.findings
                .iter()
                .map(|f| (f.code.clone(), f.location.offset))
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(&a), codes(&b), "{file}");
    }
}

struct Trickle<'a>(&'a [u8]);

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(7).min(self.0.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

#[test]
fn analyse_one_stops_after_the_first_stop() {
    let data = std::fs::read(fixtures().join("malicious/stacked_second_pickle.pkl")).unwrap();
    let a = analyse_one(&data, &AnalyseOptions::default());
    assert!(a.verdict.is_clean(), "{}", describe(&a));
    let first_len = data.iter().position(|&b| b == b'.').unwrap() + 1;
    assert_eq!(a.end, first_len);
    let rest = analyse_one(&data[a.end..], &AnalyseOptions::default());
    assert_eq!(rest.verdict.assessment, Assessment::Malicious);
}

/// Inputs the fuzzer found (tests/fixtures/pickle/fuzz/): the slice and streaming paths must agree on each, and
/// nothing may panic.
#[test]
fn fuzz_regressions() {
    for entry in std::fs::read_dir(fixtures().join("fuzz")).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let a = analyse_pickle(&data, &AnalyseOptions::default());
        let b = analyse_reader(&data[..], &AnalyseOptions::default()).unwrap();
        assert_eq!(a.verdict, b.verdict, "{}", path.display());
    }
}
