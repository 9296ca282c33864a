//! mlsc-deps' dependency readers on arbitrary text: pip requirements (the hand-written lexer), pyproject, the four
//! lock formats and core metadata, through `mlsc_deps::parse_text` (no file system access); and, for one
//! selector, the OSV record parser followed by a match. The first byte selects the reader.
//!
//! Invariants: no panic; every diagnostic line is a line of the input; every dependency has a valid normalised
//! name and a purl; the graph's edges are in range.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mlsc_deps::{AuditOptions, Database, InputFormat, Target};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let target = Target::default();
    let format = match selector % 9 {
        0 | 1 => InputFormat::Requirements,
        2 => InputFormat::Constraints,
        3 => InputFormat::Pyproject,
        4 => InputFormat::UvLock,
        5 => InputFormat::PoetryLock,
        6 => InputFormat::PipfileLock,
        7 => InputFormat::Pylock,
        _ => {
            // OSV records: parse, then match a fixed set of pins and ranges against them.
            let db = Database::from_texts("fuzz", "jsonl", &[rest.to_vec()]);
            let project = mlsc_deps::parse_text(
                "demo==1.0\ndemo>=0.5,<2\ndemo===x\ntorch==2.2.0+cpu\n",
                "requirements.txt",
                InputFormat::Requirements,
                &target,
            );
            let audit = mlsc_deps::audit(&project, &db, &AuditOptions::default());
            assert!(
                audit.deps.vulnerabilities.len()
                    <= db.info().records * project.dependencies.len() + 1
            );
            return;
        }
    };
    let project = mlsc_deps::parse_text(&text, "input", format, &target);
    let lines = u32::try_from(text.lines().count().max(1)).unwrap_or(u32::MAX);
    for d in &project.diagnostics {
        if let Some(l) = d.line {
            assert!(
                l >= 1 && l <= lines + 1,
                "diagnostic at line {l} of {lines}: {d}"
            );
        }
    }
    for d in &project.dependencies {
        assert!(!d.name.is_empty());
        assert_eq!(mlsc_deps::normalize_name(&d.name), d.name);
        assert!(d.purl().starts_with("pkg:pypi/"));
    }
    let n = project.dependencies.len();
    for (a, b) in project.graph() {
        assert!(a < n && b < n);
    }
});
