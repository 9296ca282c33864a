//! PEP 503 name normalisation.

/// The PEP 503 normalised form of a distribution name: lowercase, runs of `-`, `_` and `.` become one `-`.
///
/// ```
/// assert_eq!(mlsc_deps::normalize_name("Typing__Extensions"), "typing-extensions");
/// assert_eq!(mlsc_deps::normalize_name("jw.util"), "jw-util");
/// ```
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// True when `name` is a valid distribution name (PEP 508: letters, digits, `-`, `_`, `.`; alphanumeric at both
/// ends).
pub(crate) fn is_valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_pep_503() {
        assert_eq!(normalize_name("Pillow"), "pillow");
        assert_eq!(normalize_name("foo.-_bar"), "foo-bar");
        assert_eq!(normalize_name("zope.interface"), "zope-interface");
        assert!(is_valid_name("a"));
        assert!(!is_valid_name("-a"));
        assert!(!is_valid_name("a b"));
    }
}
