//! `mlsc_sbom::validate_bom_json` on arbitrary bytes never panics, and a document that reads into the typed BOM
//! model writes back to JSON that validates without panicking either.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let v = mlsc_sbom::validate_bom_json(data, "fuzz.json");
    let _ = v.is_valid();
    if let Ok(bom) = serde_json::from_slice::<mlsc_sbom::Bom>(data) {
        let text = mlsc_sbom::bom_to_json(&bom);
        let _ = mlsc_sbom::validate_bom_json(text.as_bytes(), "again.json");
        let q = mlsc_sbom::PackageQuery::parse("pillow<10");
        if let Ok(q) = q {
            let _ = mlsc_sbom::affected_components(&bom, "fuzz.json", &q);
        }
    }
});
