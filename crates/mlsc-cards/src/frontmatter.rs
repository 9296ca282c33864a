//! Finding the YAML front matter of a card the way huggingface_hub does, in linear time.
//!
//! huggingface_hub 2.4.0 (`repocard.py`) matches
//! `^(\s*---(?:\r\n|\r|\n))([\S\s]*?)((?:\r\n|\r|\n)---[ \t]*(\r\n|\n|$))` against the whole text (no MULTILINE, so
//! `^` is the start of the text and `$` its end). Older releases (≤ 0.36) used
//! `^(\s*---[\r\n]+)([\S\s]*?)([\r\n]+---(\r\n|\n|$))`; the corpus expectations were made with 2.4.0, so we follow
//! it. A backtracking engine can spend quadratic time on a text of many `\n---x` lines; this scanner looks at each
//! byte a bounded number of times.

/// Where the front matter of a card is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FrontMatterSpan {
    /// Byte range of the YAML block (group 2 of the Hub's pattern).
    pub(crate) yaml_start: usize,
    pub(crate) yaml_end: usize,
    /// Byte offset where the Markdown body starts (the end of the match).
    pub(crate) body_start: usize,
}

/// Python's `str.isspace()`, which is what `\s` means in a `re` pattern over `str`: Unicode white space plus the
/// four ASCII information separators that Rust's `char::is_whitespace` leaves out.
fn py_is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Finds the front matter with the Hub's rule; `None` when the Hub would say "metadata block was not found".
pub(crate) fn find(text: &str) -> Option<FrontMatterSpan> {
    // `\s*---`: greedy white space, which can never give back a character because `-` is not white space.
    let lead = text
        .char_indices()
        .find(|&(_, c)| !py_is_space(c))
        .map_or(text.len(), |(i, _)| i);
    let bytes = text.as_bytes();
    if !bytes[lead..].starts_with(b"---") {
        return None;
    }
    let after = lead + 3;
    // `(?:\r\n|\r|\n)`: `\r\n` is tried first; `\r` alone only when the rest fails with `\r\n`.
    let (first_start, fallback_start) = match bytes.get(after) {
        Some(b'\r') if bytes.get(after + 1) == Some(&b'\n') => (after + 2, Some(after + 1)),
        Some(b'\r' | b'\n') => (after + 1, None),
        _ => return None,
    };
    if let Some(span) = scan_close(bytes, first_start, first_start) {
        return Some(span);
    }
    // With `\r` alone as the opening newline the block starts at the `\n`; every later closing position was
    // already tried above, so only the one at the `\n` itself is new.
    let start = fallback_start?;
    closing_at(bytes, start).map(|body_start| FrontMatterSpan {
        yaml_start: start,
        yaml_end: start,
        body_start,
    })
}

/// The shortest block from `yaml_start` followed by a closing line, looking for it from `from` on.
fn scan_close(bytes: &[u8], yaml_start: usize, from: usize) -> Option<FrontMatterSpan> {
    let mut e = from;
    while e < bytes.len() {
        let next = memchr::memchr2(b'\r', b'\n', &bytes[e..])?;
        e += next;
        if let Some(body_start) = closing_at(bytes, e) {
            return Some(FrontMatterSpan {
                yaml_start,
                yaml_end: e,
                body_start,
            });
        }
        e += 1;
    }
    None
}

/// When `(?:\r\n|\r|\n)---[ \t]*(\r\n|\n|$)` matches at `e`, the end of the match.
fn closing_at(bytes: &[u8], e: usize) -> Option<usize> {
    let dashes = match bytes.get(e)? {
        b'\r' if bytes.get(e + 1) == Some(&b'\n') => e + 2,
        b'\r' | b'\n' => e + 1,
        _ => return None,
    };
    // After `\r\n` the alternative `\r` would need `---` to start at the `\n`: impossible, so no second try.
    if !bytes[dashes..].starts_with(b"---") {
        return None;
    }
    let mut i = dashes + 3;
    while matches!(bytes.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    match bytes.get(i) {
        None => Some(i),
        Some(b'\n') => Some(i + 1),
        Some(b'\r') if bytes.get(i + 1) == Some(&b'\n') => Some(i + 2),
        _ => None,
    }
}

/// 1-based line of byte `offset` (lines end at `\n`, `\r\n` or a lone `\r`, as in YAML).
pub(crate) fn line_of(text: &str, offset: usize) -> u32 {
    let bytes = &text.as_bytes()[..offset.min(text.len())];
    let mut line = 1u32;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line = line.saturating_add(1),
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => line = line.saturating_add(1),
            _ => {}
        }
        i += 1;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Option<&str> {
        find(text).map(|s| &text[s.yaml_start..s.yaml_end])
    }

    #[test]
    fn hub_rule_cases() {
        assert_eq!(yaml("---\na: 1\n---\nbody"), Some("a: 1"));
        assert_eq!(yaml("\n \t---\r\na: 1\r\n---\r\nbody"), Some("a: 1"));
        assert_eq!(yaml("---\na: 1\n---"), Some("a: 1"));
        assert_eq!(yaml("---\na: 1\n---  \t\nx"), Some("a: 1"));
        // `---x` does not close; the next `---` does.
        assert_eq!(yaml("---\na\n---x\nb\n---\n"), Some("a\n---x\nb"));
        assert_eq!(yaml("---\n---\n"), None);
        assert_eq!(yaml("---\n\n---\n"), Some(""));
        // The `\r`-alone fallback: `---\r\n---\r\n` is an empty block starting at the `\n`.
        assert_eq!(yaml("---\r\n---\r\n"), Some(""));
        assert_eq!(yaml("# title\n---\na\n---\n"), None);
        assert_eq!(yaml("---a\n---\n"), None);
        assert_eq!(yaml("---\na\n---\rb"), None);
        assert_eq!(yaml(""), None);
        let s = find("---\na: 1\n---\nbody").unwrap();
        assert_eq!(s.body_start, 13);
    }

    #[test]
    fn linear_on_adversarial_input() {
        // Many `\n---x` lines: a backtracking regex retries each; we look once.
        let mut text = String::from("---\n");
        for _ in 0..200_000 {
            text.push_str("\n---x");
        }
        let t = std::time::Instant::now();
        assert_eq!(find(&text), None);
        assert!(t.elapsed().as_secs() < 2);
    }

    /// The Hub's pattern as a backtracking engine runs it: alternatives in order, the lazy block growing, the
    /// greedy `[ \t]*` giving back. Exponentially naive, and the reference for the linear scanner.
    fn reference(text: &str) -> Option<(usize, usize, usize)> {
        let b = text.as_bytes();
        let lead = text
            .char_indices()
            .find(|&(_, c)| !py_is_space(c))
            .map_or(text.len(), |(i, _)| i);
        if !b[lead..].starts_with(b"---") {
            return None;
        }
        let newlines = |at: usize| -> Vec<usize> {
            let mut v = Vec::new();
            if b[at.min(b.len())..].starts_with(b"\r\n") {
                v.push(at + 2);
            }
            if b.get(at) == Some(&b'\r') {
                v.push(at + 1);
            }
            if b.get(at) == Some(&b'\n') {
                v.push(at + 1);
            }
            v
        };
        for s in newlines(lead + 3) {
            for e in s..=b.len() {
                for nl in newlines(e) {
                    if !b[nl..].starts_with(b"---") {
                        continue;
                    }
                    let k = nl + 3;
                    let mut ws = k;
                    while matches!(b.get(ws), Some(b' ' | b'\t')) {
                        ws += 1;
                    }
                    for j in (k..=ws).rev() {
                        if b[j..].starts_with(b"\r\n") {
                            return Some((s, e, j + 2));
                        }
                        if b.get(j) == Some(&b'\n') {
                            return Some((s, e, j + 1));
                        }
                        if j == b.len() {
                            return Some((s, e, j));
                        }
                    }
                }
            }
        }
        None
    }

    #[test]
    fn agrees_with_backtracking_reference() {
        // Tokens, so that opening and closing lines are frequent enough to exercise every alternative.
        const ALPHABET: &[&str] = &[
            "-", "---", "\n", "\r", "\r\n", " ", "\t", "a", "\u{1c}", "\n---", "\r\n---", "\r---",
        ];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut matched = 0;
        for _ in 0..200_000 {
            let len = (next() % 10) as usize;
            let mut t = String::from(if next() % 2 == 0 { "---" } else { "" });
            for _ in 0..len {
                t.push_str(ALPHABET[(next() % ALPHABET.len() as u64) as usize]);
            }
            let ours = find(&t).map(|s| (s.yaml_start, s.yaml_end, s.body_start));
            assert_eq!(ours, reference(&t), "{t:?}");
            matched += usize::from(ours.is_some());
        }
        // The generator must reach the interesting cases, not only non-matches.
        assert!(matched > 20_000, "{matched}");
    }

    #[test]
    fn lines() {
        assert_eq!(line_of("a\nb\r\nc\rd", 0), 1);
        assert_eq!(line_of("a\nb\r\nc\rd", 2), 2);
        assert_eq!(line_of("a\nb\r\nc\rd", 5), 3);
        assert_eq!(line_of("a\nb\r\nc\rd", 7), 4);
    }
}
