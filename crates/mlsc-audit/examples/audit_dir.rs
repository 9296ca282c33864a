//! Audits a model directory (the repository's `examples/hf-model` by default) with `mlsc_audit::run` under the
//! default policy, and prints the human report and the verdict.
//!
//! `cargo run -p mlsc-audit --example audit_dir [DIR]`
#![allow(clippy::print_stdout)] // an example prints what it found

use mlsc_audit::{AuditOptions, Config, run};

fn main() -> Result<(), mlsc_audit::Error> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/hf-model").to_owned()
    });
    let mut options = AuditOptions::new(&dir);
    options.deterministic = true; // timings zero: the same input gives the same report
    let report = run(&options, &Config::default())?;
    print!("{}", report.to_human(false, false));
    println!("verdict: {:?}", report.verdict);
    Ok(())
}
