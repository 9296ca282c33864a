//! End-to-end tests of `mlsc disasm`: its output is `python -m pickletools`' output, recorded by
//! `tests/gen/gen_pickles.py` in `tests/fixtures/pickle/dis/`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/pickle")
}

fn mlsc(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mlsc"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn prints_what_pickletools_prints() {
    let mut n = 0;
    for entry in std::fs::read_dir(fixtures().join("dis")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap();
        let source = fixtures().join(name.trim_end_matches(".txt").replace("__", "/"));
        let (code, stdout, stderr) = mlsc(&["disasm", "--first", source.to_str().unwrap()]);
        assert_eq!(code, 0, "{name}: {stderr}");
        assert_eq!(stdout, std::fs::read_to_string(&path).unwrap(), "{name}");
        n += 1;
    }
    assert!(n >= 10);
}

#[test]
fn stacked_pickles_and_errors() {
    let stacked = fixtures().join("malicious/stacked_second_pickle.pkl");
    let (code, stdout, _) = mlsc(&["disasm", stacked.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(stdout.contains("# pickle 2 at offset"), "{stdout}");
    assert_eq!(
        stdout.matches("highest protocol among opcodes = 4").count(),
        2
    );

    let truncated = fixtures().join("malicious/truncated_after_reduce.pkl");
    let (code, stdout, _) = mlsc(&["disasm", truncated.to_str().unwrap()]);
    assert_eq!(
        code, 1,
        "a pickle that cannot be disassembled to its STOP is not clean"
    );
    assert!(stdout.contains("error at offset"), "{stdout}");

    let (code, stdout, _) = mlsc(&["--format", "json", "disasm", stacked.to_str().unwrap()]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v[0]["opcode"], "PROTO");
    assert_eq!(v[0]["offset"], 0);

    let (code, _, stderr) = mlsc(&["disasm", "/nonexistent/x.pkl"]);
    assert_eq!(code, 2, "{stderr}");
}
