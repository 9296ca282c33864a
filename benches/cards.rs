//! Card linting speed: the 79 Hugging Face cards (60 model, 19 dataset) and 10 Croissant files of
//! `../shared/corpus/`, all linted in one process, plus a generated card with a large `model-index`.
//!
//! Run: `cargo bench -p mlsc-benches --bench cards`. The target (issue 7) is the 79 cards in under 50 ms.
//! `benches/compare-cards-peers.sh` times huggingface_hub's `ModelCard.load` and mlcroissant on the same files.
#![allow(clippy::print_stderr)] // a skipped benchmark says why

use std::path::{Path, PathBuf};

use divan::counter::{BytesCount, ItemsCount};
use mlsc_cards::{CardKind, LintOptions, Vocabularies, lint_bytes};

fn main() {
    divan::main();
}

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

/// The corpus cards in memory with their kind; empty when the shared folder is absent.
fn corpus(dirs: &[(&str, CardKind)]) -> Vec<(String, Vec<u8>, CardKind)> {
    let mut out = Vec::new();
    for (dir, kind) in dirs {
        let Ok(entries) = std::fs::read_dir(shared().join("corpus").join(dir)) else {
            eprintln!("skipping: ../shared/corpus/{dir} is absent");
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            let bytes = std::fs::read(&p).expect("read a corpus card");
            out.push((p.display().to_string(), bytes, *kind));
        }
    }
    out
}

fn options() -> LintOptions {
    let mut o = LintOptions::default();
    if let Ok(v) = Vocabularies::load(shared().join("data/hf-hub")) {
        o.vocabularies = v;
    }
    o
}

/// All 79 Hugging Face cards, full checks (vocabularies loaded once, outside the timing).
#[divan::bench(sample_count = 50)]
fn lint_79_hub_cards(bencher: divan::Bencher) {
    let cards = corpus(&[
        ("model-cards", CardKind::Model),
        ("dataset-cards", CardKind::Dataset),
    ]);
    // One options value per kind, made once: the CLI likewise loads the vocabularies once per run.
    let mut model = options();
    model.kind = Some(CardKind::Model);
    let mut dataset = model.clone();
    dataset.kind = Some(CardKind::Dataset);
    let bytes: usize = cards.iter().map(|c| c.1.len()).sum();
    bencher
        .counter(ItemsCount::new(cards.len()))
        .counter(BytesCount::new(bytes))
        .bench(|| {
            let mut n = 0;
            for (path, data, kind) in &cards {
                let o = if *kind == CardKind::Dataset {
                    &dataset
                } else {
                    &model
                };
                n += lint_bytes(path, divan::black_box(data), o).findings.len();
            }
            n
        });
}

/// The 10 Croissant files.
#[divan::bench(sample_count = 50)]
fn lint_10_croissant(bencher: divan::Bencher) {
    let cards = corpus(&[("croissant", CardKind::Croissant)]);
    let o = options();
    bencher.counter(ItemsCount::new(cards.len())).bench(|| {
        cards
            .iter()
            .map(|(p, d, _)| lint_bytes(p, divan::black_box(d), &o).findings.len())
            .sum::<usize>()
    });
}

/// A generated 1,000-result `model-index` (about 200 KB of YAML): parse, index and check.
#[divan::bench(sample_count = 20)]
fn lint_large_model_index(bencher: divan::Bencher) {
    let mut card = String::from(
        "---\nlicense: apache-2.0\nlanguage: [en, fr]\nmodel-index:\n- name: big\n  results:\n",
    );
    for i in 0..1000 {
        card.push_str(&format!(
            "  - task:\n      type: text-classification\n    dataset:\n      name: Set {i}\n      type: org/set-{i}\n      config: c{i}\n      split: test\n    metrics:\n    - type: accuracy\n      value: 0.{i:03}\n"
        ));
    }
    card.push_str("---\n# big\n\n## Uses\n\nText.\n");
    let o = options();
    bencher.counter(BytesCount::new(card.len())).bench(|| {
        lint_bytes("README.md", divan::black_box(card.as_bytes()), &o)
            .findings
            .len()
    });
}
