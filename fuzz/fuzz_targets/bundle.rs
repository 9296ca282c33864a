#![no_main]
//! Signature verification must never panic on any bundle, and on any statement that carries a valid signature
//! (the input is also signed as a payload with a fixed key, so the statement parser sees arbitrary JSON too).

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use mlsc_provenance::{PrivateKey, Trust, VerifyOptions, sign_statement, verify_signature_bytes};

static KEY: LazyLock<PrivateKey> = LazyLock::new(|| {
    PrivateKey::from_pem(
        "-----BEGIN EC PRIVATE KEY-----\n\
         MHcCAQEEIH75ayQd0TqC9Bo5WG3CfYilhy2SqLOJg0NJQ3dbaUakoAoGCCqGSM49\n\
         AwEHoUQDQgAEy0EPDHc6sX2c4E8aUk5mMGVnCyj8FrfmRctE0h70HwWEfNKjfnKx\n\
         6SWOUnLCfFTFnenwMQBZ3O8RB+2tOYwA2g==\n\
         -----END EC PRIVATE KEY-----\n",
    )
    .expect("the throwaway test key parses")
});

static MODEL: LazyLock<tempfile::TempDir> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(dir.path().join("w.bin"), b"weights").expect("write");
    dir
});

fuzz_target!(|data: &[u8]| {
    let trust = Trust::PublicKey(KEY.public_key());
    let opts = VerifyOptions::default();
    let model = MODEL.path();
    let _ = verify_signature_bytes(model, Path::new("fuzz.sig"), data, &trust, &opts);
    let bundle = sign_statement(data, &KEY);
    let _ = verify_signature_bytes(
        model,
        Path::new("fuzz.sig"),
        bundle.as_bytes(),
        &trust,
        &opts,
    );
});
