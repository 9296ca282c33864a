//! Signs a model directory (the repository's `examples/hf-model` by default) with a fresh P-256 key as an OpenSSF
//! Model Signing bundle, verifies the bundle with the matching public key, then with another key, which fails.
//! Nothing is written into the model directory; the bundle goes to a temporary folder.
//!
//! `cargo run -p mlsc-provenance --example sign_verify [DIR]`
#![allow(clippy::print_stdout)] // an example prints what it found

use mlsc_provenance::{
    PrivateKey, SignOptions, Trust, VerifyOptions, sign_model, verify_signature,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let model = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/hf-model").to_owned()
    });
    let key = PrivateKey::generate_p256();
    let signed = sign_model(&model, &key, &SignOptions::default())?;
    let out = tempfile::tempdir()?;
    let bundle = out.path().join("model.sig");
    std::fs::write(&bundle, &signed.bundle)?;
    println!(
        "signed {model} with a new {} key (hint {}…)",
        key.curve(),
        &key.public_key().hint()[..16]
    );

    for (label, trust) in [
        ("the signer's key", Trust::PublicKey(key.public_key())),
        (
            "another key",
            Trust::PublicKey(PrivateKey::generate_p256().public_key()),
        ),
    ] {
        let report = verify_signature(&model, &bundle, &trust, &VerifyOptions::default())?;
        let verdict = if report.findings.is_empty() {
            "verified"
        } else {
            "NOT verified"
        };
        println!("with {label}: {verdict}");
        for f in &report.findings {
            println!(
                "  {} {} at {}: {}",
                f.severity, f.code, f.location, f.message
            );
        }
    }
    Ok(())
}
