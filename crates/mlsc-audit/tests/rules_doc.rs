//! `docs/rules.md` is generated from the rule registry and must stay current. `UPDATE_RULES_DOC=1` rewrites it.

use std::path::Path;

#[test]
#[allow(clippy::print_stderr)] // the skip message is the point
fn rules_doc_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let expected = mlsc_audit::rules_markdown();
    if std::env::var_os("UPDATE_RULES_DOC").is_some() {
        std::fs::write(&path, &expected).expect("write docs/rules.md");
        return;
    }
    // Outside the repository (the packaged crate) there is no docs folder to compare with.
    if !path.parent().is_some_and(Path::is_dir) {
        eprintln!(
            "skipped: {} is not in a repository checkout",
            path.display()
        );
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is out of date: run `UPDATE_RULES_DOC=1 cargo test -p mlsc-audit --test rules_doc`"
    );
}
