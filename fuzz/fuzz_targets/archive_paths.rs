#![no_main]
//! The archive member-path check shared by the zip, tar and 7z readers (`mlsc_pickle::MemberPaths`): any sequence of
//! member names and links, never a panic, and its verdicts hold up against a simple independent model:
//! a name with no `..` component and no absolute prefix, written under no earlier link, is never called an escape.
//!
//! Input: members separated by `\n`; each starts with a kind byte (`f` file, `d` directory, `s` symlink, `h` hard
//! link, anything else a file), then the name, then for links `\0` and the target.

use libfuzzer_sys::fuzz_target;
use mlsc_pickle::{MemberKind, MemberPaths};

fn plainly_inside(name: &str) -> bool {
    let b = name.as_bytes();
    let absolute = matches!(b.first(), Some(b'/' | b'\\'))
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':');
    !absolute && !name.split(['/', '\\']).any(|c| c == "..")
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut paths = MemberPaths::new();
    let mut any_link = false;
    for line in text.split('\n').take(4096) {
        let mut chars = line.chars();
        let kind = chars.next().unwrap_or('f');
        let rest = chars.as_str();
        let (name, target) = rest.split_once('\0').unwrap_or((rest, ""));
        let member = match kind {
            'd' => MemberKind::Dir,
            's' => MemberKind::Symlink(target),
            'h' => MemberKind::Hardlink(target),
            _ => MemberKind::File,
        };
        let problems = paths.check(name, member);
        for p in &problems {
            assert!(p.code.starts_with("MLSC-ARC-00"), "{}", p.code);
            assert!(p.message.contains('`'), "{}", p.message);
            if matches!(p.code, "MLSC-ARC-001" | "MLSC-ARC-002") {
                assert!(!plainly_inside(name), "{name:?} called an escape");
            }
            if p.code == "MLSC-ARC-004" {
                assert!(any_link, "{name:?} written through a link before any link");
            }
        }
        let b = name.as_bytes();
        let absolute = matches!(b.first(), Some(b'/' | b'\\'))
            || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':');
        if absolute {
            assert!(
                problems.iter().any(|p| p.code == "MLSC-ARC-002"),
                "absolute {name:?} unreported"
            );
        }
        any_link |= matches!(member, MemberKind::Symlink(_));
    }
});
