//! Audits a requirements string against an OSV database folder (the repository's `examples/osv` by default),
//! with `mlsc_deps::parse_text`, `Database::load` and `audit`: nothing is installed or downloaded.
//!
//! `cargo run -p mlsc-deps --example audit_requirements [OSV_DIR]`
#![allow(clippy::print_stdout)] // an example prints what it found

use mlsc_deps::{AuditOptions, Database, InputFormat, Target, audit, parse_text};

const REQUIREMENTS: &str =
    "numpy==1.19.0\nrequests>=2.0  # a range: possibly affected\npillow==10.3.0\n";

fn main() -> Result<(), mlsc_deps::Error> {
    let db_path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/osv").to_owned());
    let db = Database::load(&db_path)?;
    println!("{} advisories loaded from {db_path}", db.info().records);
    let project = parse_text(
        REQUIREMENTS,
        "requirements.txt",
        InputFormat::Requirements,
        &Target::default(),
    );
    let result = audit(&project, &db, &AuditOptions::default());
    for v in &result.deps.vulnerabilities {
        println!(
            "{} {}: {} ({:?}), fixed in {}",
            v.package,
            v.version.as_deref().unwrap_or(&v.specifier),
            v.vulnerability.id,
            v.vulnerability.kind,
            v.fix_version.as_deref().unwrap_or("no release"),
        );
    }
    for f in &result.report.findings {
        println!(
            "  {} {} at {}: {}",
            f.severity, f.code, f.location, f.message
        );
    }
    Ok(())
}
