//! Every real file in `tests/fixtures/real` (written by the ML libraries themselves, `tests/gen/gen_real.py`) scans
//! complete and clean at the default threshold: the false-positive test of issue 18. Each file of the manifest is
//! asserted on its own, and a file on disk missing from the manifest (or the reverse) fails the test.

use std::collections::BTreeSet;
use std::path::PathBuf;

use mlsc_core::{Completeness, Severity};
use mlsc_pickle::{ScanOptions, scan_paths};

fn root() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/real"
    ))
}

/// Files the profiles reject by review (`profiles/README.md`): they must stay flagged, and say why.
const REJECTED: &[(&str, &str)] = &[
    // sympy constructors call non-strict sympify, which evals strings.
    ("sympy/expressions.pkl", "sympy."),
    // polars' __setstate__ deserialises Object columns with pickle.
    ("polars/frame.pkl", "polars."),
    // dill rebuilds arrays through _create_array(f, …), and dill.* is denied as a whole.
    ("dill/data.pkl", "dill."),
];

/// TorchScript archives: their pickles must be clean; their `code/` (TorchScript source) is analysed by the
/// TorchScript code analyser, a separate piece of work, and until then only `MLSC-SCAN-007` may fail them.
const TORCHSCRIPT: &[&str] = &[
    "torch/traced.pt",
    "torch/scripted.pt",
    "torch/scripted_attrs.pt",
];

fn manifest() -> Vec<(String, String)> {
    let text =
        std::fs::read_to_string(root().join("MANIFEST.tsv")).expect("the manifest is committed");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut cols = l.split('\t');
            let file = cols.next().expect("a file column").to_owned();
            let lib = cols.next().expect("a library column").to_owned();
            (file, lib)
        })
        .collect()
}

#[test]
fn manifest_lists_every_file_and_at_least_25_libraries() {
    let listed: BTreeSet<String> = manifest().into_iter().map(|(f, _)| f).collect();
    let mut on_disk = BTreeSet::new();
    for e in walkdir::WalkDir::new(root()) {
        let e = e.expect("readable fixture tree");
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(root()).expect("under the root");
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel != "MANIFEST.tsv" && rel != "README.md" {
                on_disk.insert(rel);
            }
        }
    }
    assert_eq!(listed, on_disk, "MANIFEST.tsv and the files differ");
    let libs: BTreeSet<String> = manifest().into_iter().map(|(_, l)| l).collect();
    assert!(libs.len() >= 25, "{} libraries: {libs:?}", libs.len());
}

#[test]
fn every_real_file_is_complete_and_clean() {
    let mut failures = Vec::new();
    let entries = manifest();
    assert!(entries.len() >= 150, "{} files", entries.len());
    for (file, lib) in &entries {
        let report = scan_paths(&[root().join(file)], &ScanOptions::default());
        let shown = || {
            report
                .findings
                .iter()
                .filter(|f| f.severity > Severity::Info)
                .map(|f| format!("    {} {} {}", f.code, f.severity, f.message))
                .collect::<Vec<_>>()
                .join("\n")
        };
        if !report.errors.is_empty() {
            failures.push(format!("{file} ({lib}): errors {:?}", report.errors));
            continue;
        }
        if let Some((_, why)) = REJECTED.iter().find(|(f, _)| f == file) {
            let named = report
                .findings
                .iter()
                .any(|f| f.severity >= Severity::Medium && f.message.contains(why));
            if !report.fails(Severity::Medium) || !named {
                failures.push(format!(
                    "{file}: rejected by review but not flagged for `{why}`"
                ));
            }
            continue;
        }
        if TORCHSCRIPT.contains(&file.as_str()) {
            let others: Vec<_> = report
                .findings
                .iter()
                .filter(|f| f.severity >= Severity::Low && f.code != "MLSC-SCAN-007")
                .collect();
            if !others.is_empty() {
                failures.push(format!(
                    "{file} ({lib}): TorchScript pickles not clean\n{}",
                    shown()
                ));
            }
            continue;
        }
        let v = report.artifacts.first().map(|a| a.verdict);
        let complete = report
            .artifacts
            .iter()
            .all(|a| a.verdict.completeness == Completeness::Complete);
        let quiet = report.findings.iter().all(|f| f.severity <= Severity::Info);
        if report.fails(Severity::Medium) || !complete || !quiet {
            failures.push(format!("{file} ({lib}): verdict {v:?}\n{}", shown()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} real files are not clean:\n{}",
        failures.len(),
        entries.len(),
        failures.join("\n")
    );
}
