#![no_main]
//! Every card parser must take any bytes without panicking: Hub cards (front matter, YAML, line index, sections,
//! model-index), Croissant and Model Card Toolkit JSON, and the score; the parsed metadata is always a mapping.

use libfuzzer_sys::fuzz_target;
use mlsc_cards::{CardKind, LintOptions, lint_bytes, score_bytes};

fuzz_target!(|data: &[u8]| {
    let mut options = LintOptions::default();
    for kind in [CardKind::Model, CardKind::Dataset, CardKind::Croissant, CardKind::ModelCardToolkit] {
        options.kind = Some(kind);
        let report = lint_bytes("fuzz.md", data, &options);
        for f in &report.findings {
            assert!(f.code.starts_with("MLSC-"));
        }
        let score = score_bytes("fuzz.md", data, &options);
        assert!(score.score <= 100);
    }
    if let Ok(card) = mlsc_cards::ModelCard::parse_bytes(data) {
        assert!(card.metadata.is_object());
    }
    if let Ok(card) = mlsc_cards::DatasetCard::parse_bytes(data) {
        assert!(card.metadata.is_object());
    }
});
