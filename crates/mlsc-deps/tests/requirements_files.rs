//! pip's requirements format, read from real files on disk.

use std::collections::BTreeMap;
use std::path::Path;

use mlsc_deps::{DependencyKind, InputFormat, Platform, Project, ReadOptions, Target};

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn read(path: &Path) -> Project {
    let mut o = ReadOptions::default();
    o.env = Some(BTreeMap::from([("TOKEN".to_owned(), "s3cr3t".to_owned())]));
    mlsc_deps::read_project_with(path, &Target::default(), &o).unwrap()
}

fn names(p: &Project) -> Vec<String> {
    p.dependencies.iter().map(|d| d.name.clone()).collect()
}

#[test]
fn the_full_format() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "requirements.txt",
        "# a comment\n\
         --index-url https://${TOKEN}@pypi.internal/simple\n\
         --extra-index-url https://pypi.org/simple\n\
         --trusted-host pypi.internal\n\
         -c constraints/pins.txt\n\
         numpy==1.21.0 \\\n    --hash=sha256:AB12 \\\n    --hash sha256:cd34  # two hashes\n\
         Pillow[WebP] >= 9.0 ; python_version >= \"3.8\"\n\
         transformers===4.30.0\n\
         mlflow==2.9.*\n\
         -r nested/dev.txt\n\
         https://files.example/pkgs/tokenizers-0.15.0-cp312-cp312-linux_x86_64.whl\n\
         git+https://github.com/org/repo.git@v1#egg=my_tool\n\
         -e ./localpkg\n\
         requests\n\
         fancy @ https://files.example/fancy-1.0.tar.gz ; sys_platform == 'win32'\n",
    );
    write(dir.path(), "constraints/pins.txt", "requests==2.25.0\n");
    write(
        dir.path(),
        "nested/dev.txt",
        "-r ../common.txt\npytest==7.0\n",
    );
    write(dir.path(), "common.txt", "gradio==3.50.0\n");
    write(
        dir.path(),
        "localpkg/pyproject.toml",
        "[project]\nname = \"Local_Pkg\"\n",
    );
    let p = read(&dir.path().join("requirements.txt"));
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(
        names(&p),
        [
            "numpy",
            "pillow",
            "transformers",
            "mlflow",
            "gradio",
            "pytest",
            "tokenizers",
            "my-tool",
            "local-pkg",
            "requests",
            "fancy"
        ]
    );
    let by = |n: &str| p.dependencies.iter().find(|d| d.name == n).unwrap();
    let numpy = by("numpy");
    assert_eq!(numpy.kind, DependencyKind::Pinned);
    assert_eq!(numpy.source.line, Some(6));
    assert_eq!(numpy.hashes.len(), 2);
    assert_eq!(numpy.hashes[0].to_string(), "sha256:ab12");
    let pillow = by("pillow");
    assert_eq!(
        (pillow.kind, pillow.display_name.as_str()),
        (DependencyKind::Range, "Pillow")
    );
    assert_eq!(pillow.extras, ["webp"]);
    assert!(pillow.applies);
    assert_eq!(
        by("transformers").version.as_ref().unwrap().to_string(),
        "4.30.0"
    );
    assert_eq!(by("mlflow").kind, DependencyKind::Range);
    assert!(
        by("mlflow").version.is_none(),
        "a wildcard is a range, never a version"
    );
    // Nested includes are relative to the including file, and their lines are their own.
    let gradio = by("gradio");
    assert!(
        gradio.source.path.ends_with("common.txt"),
        "{}",
        gradio.source.path
    );
    assert_eq!(gradio.source.line, Some(1));
    assert!(by("pytest").source.path.ends_with("nested/dev.txt"));
    let tok = by("tokenizers");
    assert_eq!(tok.kind, DependencyKind::Url);
    assert_eq!(tok.version.as_ref().unwrap().to_string(), "0.15.0");
    assert_eq!(by("my-tool").kind, DependencyKind::Vcs);
    assert_eq!(by("local-pkg").kind, DependencyKind::Editable);
    assert!(!by("fancy").applies, "win32 marker on the linux target");
    assert_eq!(p.constraints.len(), 1);
    assert_eq!(p.constraints[0].name, "requests");
    assert_eq!(
        p.index.index_urls[0].0,
        "https://s3cr3t@pypi.internal/simple"
    );
    assert_eq!(p.index.extra_index_urls.len(), 1);
    assert_eq!(p.index.trusted_hosts[0].0, "pypi.internal");
    let formats: Vec<InputFormat> = p.inputs.iter().map(|i| i.format).collect();
    assert_eq!(
        formats,
        [
            InputFormat::Requirements,
            InputFormat::Constraints,
            InputFormat::Requirements,
            InputFormat::Requirements
        ]
    );
    assert!(p.inputs[0].uses_hashes);
}

#[test]
fn a_bad_line_is_reported_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "requirements.txt",
        "numpy==1.21.0\nthis is not a requirement\nfoo==not.a.version!\n--bogus-option\nrequests==2.25.0\n",
    );
    let p = read(&dir.path().join("requirements.txt"));
    assert_eq!(names(&p), ["numpy", "requests"]);
    let lines: Vec<(Option<u32>, bool)> = p.diagnostics.iter().map(|d| (d.line, d.fatal)).collect();
    assert_eq!(lines, [(Some(2), true), (Some(3), true), (Some(4), false)]);
    let shown = p.diagnostics[0].to_string();
    assert!(shown.contains("requirements.txt:2: "), "{shown}");
}

#[test]
fn include_cycles_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", "numpy==1.21.0\n-r b.txt\n");
    write(dir.path(), "b.txt", "pillow==9.0.0\n-r a.txt\n");
    let p = read(&dir.path().join("a.txt"));
    assert_eq!(names(&p), ["numpy", "pillow"]);
    assert_eq!(p.diagnostics.len(), 1);
    let d = &p.diagnostics[0];
    assert!(d.path.ends_with("b.txt") && d.line == Some(2), "{d}");
    assert!(d.message.contains("include cycle"), "{d}");
    // A missing include is an error at the including line.
    write(dir.path(), "c.txt", "-r missing.txt\nnumpy==1.0\n");
    let p = read(&dir.path().join("c.txt"));
    assert_eq!(names(&p), ["numpy"]);
    assert!(p.diagnostics[0].fatal && p.diagnostics[0].line == Some(1));
}

#[test]
fn markers_are_evaluated_for_the_target_not_the_host() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "requirements.txt",
        "pywin32==306 ; sys_platform == 'win32'\nuvloop==0.19 ; sys_platform != 'win32'\n\
         tomli==2.0 ; python_version < '3.11'\n",
    );
    let path = dir.path().join("requirements.txt");
    let applies = |t: &Target| -> Vec<bool> {
        mlsc_deps::read_project(&path, t)
            .unwrap()
            .dependencies
            .iter()
            .map(|d| d.applies)
            .collect()
    };
    assert_eq!(applies(&Target::default()), [false, true, false]);
    assert_eq!(
        applies(&Target::new("3.10", Platform::WindowsAmd64).unwrap()),
        [true, false, true]
    );
}

/// The first crash `cargo fuzz run requirements` found (fuzz/artifacts, kept here as bytes): an option token that
/// starts with `-` and an invalid byte.
#[test]
fn fuzz_regression_option_split_inside_a_character() {
    let input: &[u8] = b"# MLdex-url hx\x12\0\0\0\0\0/${Ty==1.21.0 \\\n  -\xffhash=sha256:ab\nx @ https://h/x-1.0-p$y3-noen-any.whl ; sys_platform == \"win32\"\n-e ./local[dev]\n--e0xtra-index-url https://${TOKEN}@h/simple\n";
    let text = String::from_utf8_lossy(input);
    let p = mlsc_deps::parse_text(
        &text,
        "fuzz.txt",
        InputFormat::Requirements,
        &Target::default(),
    );
    assert!(
        p.diagnostics.iter().all(|d| d.line.is_some_and(|l| l <= 6)),
        "{:?}",
        p.diagnostics
    );
    assert!(p.dependencies.iter().any(|d| d.name == "x"));
}

/// The second crash `cargo fuzz run requirements` found: a marker with an unterminated string of invalid bytes,
/// on which pep508_rs 0.9.2 panics while building its error message (it slices inside a character). Markers that
/// are not ASCII are not handed to it: the marker is reported as unparsed and the requirement kept.
#[test]
fn fuzz_regression_non_ascii_marker() {
    let input: &[u8] = b"# ML\x0atorch==2.2.0+cpunone-any.whl ; sys_platform == \x22w\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb,{\x22fixed\x22:\x220.1\x22}]}],\x22versions\x22:[\x221.0\x22,\x22bad\x22]}]\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb\xeb//${TOKEN}@h/simple\x0a";
    let text = String::from_utf8_lossy(input);
    let p = mlsc_deps::parse_text(
        &text,
        "fuzz.txt",
        InputFormat::Requirements,
        &Target::default(),
    );
    assert_eq!(p.dependencies.len(), 1);
    assert!(p.dependencies[0].applies);
    assert!(
        p.diagnostics
            .iter()
            .any(|d| d.message.contains("cannot parse marker")),
        "{:?}",
        p.diagnostics
    );
}

/// pip-compile output: `# via` annotations, one hash per continuation line, header comments.
#[test]
fn pip_compile_output_with_hashes() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "requirements.txt",
        "#\n# This file is autogenerated by pip-compile with Python 3.12\n#    pip-compile --generate-hashes\n#\n\
         certifi==2024.2.2 \\\n    --hash=sha256:0569859f95fc761b18b45ef421b1290a0f65f147e92a1e5eb3e635f9a5e4e66f \\\n\
         \x20   --hash=sha256:dc16dc6fd62ac7a8a11b6c99a4fcae8df1cd00a40c15c3ed9bab1c1d1b9a0c5b\n    # via requests\n\
         requests==2.25.0 \\\n    --hash=sha256:27973dd4a904a4f13b263a19c866c13b92a39ed1c964655f025f3f8d3d75b804\n    # via -r requirements.in\n",
    );
    let p = read(&dir.path().join("requirements.txt"));
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(names(&p), ["certifi", "requests"]);
    assert_eq!(p.dependencies[0].hashes.len(), 2);
    assert_eq!(p.dependencies[0].source.line, Some(5));
    assert_eq!(p.dependencies[1].source.line, Some(9));
    assert!(p.inputs[0].uses_hashes);
}
