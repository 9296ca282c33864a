//! The CLI's contracts that every subcommand shares: version, usage errors, exit statuses, `--output`, and the JSON
//! and SARIF outputs validated against their schemas.

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

fn fixture(name: &str) -> String {
    root()
        .join("tests/fixtures/sniff")
        .join(name)
        .display()
        .to_string()
}

fn schema_validator(path: &Path) -> Option<jsonschema::Validator> {
    let text = std::fs::read_to_string(path).ok()?;
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    Some(jsonschema::validator_for(&schema).expect("schema compiles"))
}

#[test]
fn version_and_help_exit_zero() {
    let out = mlsc(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.trim(), format!("mlsc {}", env!("CARGO_PKG_VERSION")));
    let out = mlsc(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("scan"));
}

#[test]
fn usage_errors_exit_two() {
    for args in [
        &["--no-such-flag"][..],
        &["scan"][..],
        &["scan", "x", "--fail-on", "severe"][..],
        &[][..],
    ] {
        let out = mlsc(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            !out.stderr.is_empty(),
            "{args:?}: usage errors explain themselves on stderr"
        );
    }
}

#[test]
fn unreadable_input_exits_two_and_names_the_path() {
    let missing = root().join("tests/fixtures/does-not-exist.pt");
    let out = mlsc(&["scan", &missing.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains("does-not-exist.pt"), "{all}");
}

#[test]
fn json_output_validates_against_the_report_schema() {
    let out = mlsc(&[
        "scan",
        "--format",
        "json",
        &fixture("config.json"),
        &fixture("pickle-p4.pkl"),
    ]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let validator = schema_validator(&root().join("schemas/report.schema.json"))
        .expect("report schema in repo");
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(report["command"], "scan");
    assert_eq!(report["artifacts"].as_array().unwrap().len(), 2);
}

#[test]
fn sarif_output_validates_against_the_official_schema() {
    let schema = root().join("../shared/schemas/sarif/sarif-schema-2.1.0.json");
    let Some(validator) = schema_validator(&schema) else {
        eprintln!("skipping: {} is absent", schema.display());
        return;
    };
    let out = mlsc(&[
        "scan",
        "--format",
        "sarif",
        &fixture("pickle-p0.pkl"),
        &fixture("torch-zip.pt"),
    ]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(log["version"], "2.1.0");
}

#[test]
fn output_file_is_written_whole_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.json");
    let out = mlsc(&[
        "scan",
        "--format",
        "json",
        "--output",
        &target.display().to_string(),
        &fixture("notes.txt"),
    ]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    assert!(out.stdout.is_empty());
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    assert_eq!(report["tool"]["name"], "mlsc");
    // Nothing else is left behind in the folder: the temporary file was renamed into place.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn output_into_a_missing_folder_is_an_io_error() {
    let out = mlsc(&[
        "scan",
        "--output",
        "/nonexistent-folder/x/report.txt",
        &fixture("notes.txt"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nonexistent-folder"));
}

#[test]
fn no_color_means_no_escape_codes() {
    let out = mlsc(&["scan", "--color", "auto", &fixture("pickle-p4.pkl")]);
    assert!(!out.stdout.contains(&0x1b), "NO_COLOR is set");
    let out = mlsc(&["scan", "--color", "always", &fixture("pickle-p4.pkl")]);
    assert!(
        out.stdout.contains(&0x1b),
        "--color always colours even when piped"
    );
}

#[test]
fn rule_explains_a_code_and_refuses_an_unknown_one() {
    let out = mlsc(&["rule", "mlsc-dep-001"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("MLSC-DEP-001 vulnerable-dependency\n"),
        "{stdout}"
    );
    assert!(stdout.contains("default severity: high") && stdout.contains("emitted by: mlsc-deps"));
    let out = mlsc(&["rule", "MLSC-NOPE-999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("unknown finding code `MLSC-NOPE-999`")
    );
}

/// Runs mlsc under a given umask, through `sh` (the test harness's own umask is not ours to change).
#[cfg(unix)]
fn mlsc_umask(umask: &str, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_mlsc"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run mlsc")
}

#[cfg(unix)]
#[test]
fn output_files_get_the_umask_mode_and_keep_an_existing_mode() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let card = dir.path().join("README.md");
    std::fs::write(&card, "---\nlicense: mit\n---\n# m\n").unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let out_file = dir.path().join("lint.json");
    let o = out_file.to_str().unwrap();
    let c = card.to_str().unwrap();
    let run = |umask: &str| {
        let out = mlsc_umask(umask, &["card", "lint", "--format", "json", "-o", o, c]);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run("022");
    assert_eq!(mode(&out_file), 0o644);
    std::fs::remove_file(&out_file).unwrap();
    run("077");
    assert_eq!(mode(&out_file), 0o600);
    // An existing file keeps its mode, whatever the umask.
    std::fs::set_permissions(&out_file, std::fs::Permissions::from_mode(0o640)).unwrap();
    run("022");
    assert_eq!(mode(&out_file), 0o640);
    assert!(
        std::fs::read_to_string(&out_file)
            .unwrap()
            .contains("\"findings\"")
    );
}

#[test]
fn a_missing_output_folder_is_found_before_the_work_and_named_as_given() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model");
    std::fs::create_dir(&model).unwrap();
    std::fs::write(model.join("weights.bin"), [1u8; 64]).unwrap();
    let key = dir.path().join("k.pem");
    let out = mlsc(&["keygen", "--private-key", key.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sig = dir.path().join("model.sig");
    let missing = dir.path().join("no-such-folder/report.json");
    let out = mlsc(&[
        "sign",
        model.to_str().unwrap(),
        "--private-key",
        key.to_str().unwrap(),
        "--signature",
        sig.to_str().unwrap(),
        "-o",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(missing.to_str().unwrap()), "{err}");
    assert!(err.contains("no such file or directory"), "{err}");
    // No internal temporary-file name (the test's own folder is itself a `.tmp…` one, hence the replace).
    let rest = err.replace(dir.path().to_str().unwrap(), "[DIR]");
    assert!(!rest.contains(".tmp"), "{err}");
    // The check came first: nothing was signed.
    assert!(!sig.exists());
}

/// Runs `mlsc ARGS` on a pseudo-terminal (util-linux `script`) with `TERM` set; `None` when `script` is absent.
#[cfg(unix)]
fn on_a_terminal(term: &str, args: &[&str]) -> Option<String> {
    let mut cmd = format!("'{}'", env!("CARGO_BIN_EXE_mlsc"));
    for a in args {
        cmd.push_str(&format!(" '{a}'"));
    }
    let out = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("TERM", term)
        .env_remove("NO_COLOR")
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(unix)]
#[test]
#[allow(clippy::print_stderr)] // a skipped test says why
fn term_dumb_gets_no_colour() {
    let dir = tempfile::tempdir().unwrap();
    let card = dir.path().join("README.md");
    std::fs::write(&card, "---\nlicense: mit\n---\n# m\n").unwrap();
    let c = card.to_str().unwrap();
    let Some(xterm) = on_a_terminal("xterm", &["card", "lint", c]) else {
        eprintln!("skipping: `script` is not installed");
        return;
    };
    // On a terminal colour is used, so the check below is about TERM and not about the pseudo-terminal.
    assert!(xterm.contains("\x1b["), "{xterm:?}");
    let dumb = on_a_terminal("dumb", &["card", "lint", c]).unwrap();
    assert!(dumb.contains("summary:"), "{dumb:?}");
    assert!(!dumb.contains("\x1b["), "{dumb:?}");
}

/// Each command's help lists the formats it writes, and only those: every format it lists is accepted and every
/// other one is refused (exit 2, naming the command), on real inputs.
#[test]
fn help_lists_each_commands_own_formats() {
    let root = root();
    let model = root.join("examples/hf-model").display().to_string();
    let db = root.join("examples/osv").display().to_string();
    let cases: &[(&[&str], &[&str])] = &[
        (&["scan", &model], &["scan"]),
        (&["audit", &model, "--db", &db], &["audit"]),
        (&["deps", &model, "--db", &db], &["deps"]),
        (&["sbom", &model], &["sbom"]),
        (&["card", "lint", &model], &["card", "lint"]),
        (&["card", "score", &model], &["card", "score"]),
        (&["manifest", &model], &["manifest"]),
        (&["db", "info", "--db", &db], &["db", "info"]),
    ];
    let all = [
        "human",
        "json",
        "sarif",
        "markdown",
        "html",
        "cyclonedx",
        "jsonl",
    ];
    for (args, command) in cases {
        let mut help_args: Vec<&str> = command.to_vec();
        help_args.push("--help");
        let help = String::from_utf8(mlsc(&help_args).stdout).unwrap();
        let line = help
            .lines()
            .find(|l| l.starts_with("Formats (--format): "))
            .unwrap_or_else(|| panic!("`{}` help has no Formats line:\n{help}", command.join(" ")));
        let listed: Vec<&str> = all
            .iter()
            .copied()
            .filter(|f| line.split([' ', ',', '(']).any(|w| w == *f))
            .collect();
        assert!(!help.contains("possible values: human"), "{help}");
        for format in all {
            let mut run: Vec<&str> = args.to_vec();
            run.extend(["--format", format, "--no-progress", "-o", "/dev/null"]);
            let out = mlsc(&run);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let refused = stderr.contains("is not available for") || stderr.contains("is only for");
            assert_eq!(
                refused,
                !listed.contains(&format),
                "`mlsc {}` --format {format}: listed {listed:?}, stderr: {stderr}",
                command.join(" ")
            );
            if refused {
                assert_eq!(out.status.code(), Some(2));
            }
        }
    }
}
