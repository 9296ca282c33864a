//! Progress bars are for people at a terminal: never in a pipe, never with `--no-progress` (a global flag that
//! every command takes, in any position) and never with `--quiet`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn mlsc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mlsc"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run mlsc")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// What a drawn bar leaves on stderr: carriage returns and cursor escapes, the bar's fill, a rate.
fn assert_no_bar(args: &[&str], out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    for mark in ["\r", "\x1b[", "=>", "B/s", "[00:"] {
        assert!(
            !stderr.contains(mark),
            "{args:?}: stderr has {mark:?}: {stderr:?}"
        );
    }
    assert_ne!(out.status.code(), Some(2), "{args:?}: {stderr}");
}

#[test]
fn no_bar_without_a_terminal_with_or_without_no_progress() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model = root().join("examples/hf-model");
    let model = model.to_str().expect("utf-8 path");
    let osv = root().join("examples/osv");
    let osv = osv.to_str().expect("utf-8 path");
    let benign = root().join("tests/fixtures/scan/benign");
    let benign = benign.to_str().expect("utf-8 path");
    let key = dir.path().join("k.pem");
    let key = key.to_str().expect("utf-8 path");
    let pubkey = dir.path().join("k.pub.pem");
    let pubkey = pubkey.to_str().expect("utf-8 path");
    let sig = dir.path().join("model.sig");
    let sig = sig.to_str().expect("utf-8 path");
    let bom = dir.path().join("bom.json");
    let bom = bom.to_str().expect("utf-8 path");
    let out = mlsc(&["keygen", "--private-key", key]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let commands: Vec<Vec<&str>> = vec![
        vec!["scan", benign, "--hash"],
        vec!["manifest", model],
        vec!["sign", model, "--private-key", key, "--signature", sig],
        vec!["verify", model, "--signature", sig, "--public-key", pubkey],
        vec!["sbom", model, "-o", bom],
        vec!["audit", model, "--db", osv],
    ];
    for args in &commands {
        for extra in [&[][..], &["--no-progress"][..]] {
            let mut all: Vec<&str> = args.clone();
            all.extend_from_slice(extra);
            let out = mlsc(&all);
            assert_no_bar(&all, &out);
        }
        // The flag is global: before the subcommand too.
        let mut all = vec!["--no-progress"];
        all.extend_from_slice(args);
        let out = mlsc(&all);
        assert_no_bar(&all, &out);
    }
}
