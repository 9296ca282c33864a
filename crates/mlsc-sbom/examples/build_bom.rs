//! Builds the CycloneDX ML-BOM of a model directory (the repository's `examples/hf-model` by default) with
//! `mlsc_sbom::bom_for_path`, checks it with `validate_bom_json`, and prints its components with their scan
//! verdicts.
//!
//! `cargo run -p mlsc-sbom --example build_bom [DIR]`
#![allow(clippy::print_stdout)] // an example prints what it built

use mlsc_sbom::{BomOptions, bom_for_path, bom_to_json, validate_bom_json};

fn main() -> Result<(), mlsc_sbom::Error> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/hf-model").to_owned()
    });
    let mut options = BomOptions::default();
    options.source_date_epoch = Some(1_700_000_000); // reproducible: the same input gives the same bytes
    let out = bom_for_path(&dir, &options)?;
    let json = bom_to_json(&out.bom);
    let validation = validate_bom_json(json.as_bytes(), "bom.json");
    println!(
        "CycloneDX {} BOM of {dir}: {} components, {} bytes of JSON, valid: {}",
        validation.spec_version.as_deref().unwrap_or("?"),
        out.bom.components.len(),
        json.len(),
        validation.is_valid()
    );
    for c in &out.bom.components {
        let verdict = c
            .properties
            .iter()
            .find(|p| p.name == "mlsc:scan:verdict")
            .and_then(|p| p.value.as_deref())
            .unwrap_or("-");
        let kind = serde_json::to_value(c.kind).unwrap_or_default();
        let name = match &c.version {
            Some(v) => format!("{} {v}", c.name),
            None => c.name.clone(),
        };
        println!(
            "  {:<24} {name:<28} scan: {verdict}",
            kind.as_str().unwrap_or("?")
        );
    }
    for f in out.findings.iter().chain(&validation.findings) {
        println!(
            "  {} {} at {}: {}",
            f.severity, f.code, f.location, f.message
        );
    }
    Ok(())
}
