//! Lints and scores a model card with `mlsc_cards::lint_bytes` and `score_bytes`: a file named on the command
//! line, or a built-in card with a YAML trap (`language: no`) and a template placeholder.
//!
//! `cargo run -p mlsc-cards --example lint_card [README.md]`
#![allow(clippy::print_stdout)] // an example prints what it found

use mlsc_cards::{LintOptions, lint_bytes, score_bytes};

const CARD: &str = "---\nlicense: apache-2.0\nlanguage: no\ndatasets: [glue]\n---\n# tiny-bert\n\n## Uses\n\n[More Information Needed]\n";

fn main() -> std::io::Result<()> {
    let (path, bytes) = match std::env::args().nth(1) {
        Some(path) => {
            let bytes = std::fs::read(&path)?;
            (path, bytes)
        }
        None => ("README.md".to_owned(), CARD.as_bytes().to_vec()),
    };
    let options = LintOptions::default();
    let report = lint_bytes(&path, &bytes, &options);
    println!(
        "{}: {:?} card, {} findings",
        report.path,
        report.kind,
        report.findings.len()
    );
    for f in &report.findings {
        println!(
            "  {} {} at {}: {}",
            f.severity, f.code, f.location, f.message
        );
    }
    let score = score_bytes(&path, &bytes, &options);
    println!(
        "completeness {}/100; missing: {}",
        score.score,
        score.missing.join(", ")
    );
    Ok(())
}
