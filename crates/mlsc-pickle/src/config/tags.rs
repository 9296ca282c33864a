//! PyYAML python tags, found in the text itself.
//!
//! `serde_norway` resolves `!!python/object/apply:os.system` to `tag:yaml.org,2002:python/object/apply:os.system`
//! and then ignores it (only tags starting with `!` reach a visitor), so a tree built with it cannot show them.
//! They are found here by a small YAML lexer instead: comments, quoted scalars and block scalars are skipped, `%TAG`
//! handles and `%XX` escapes are resolved as libyaml and PyYAML resolve them, and what is left is the tag as the
//! loader sees it.

/// A python tag: where it starts in the text and the tag as resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PyTag {
    pub(crate) offset: usize,
    pub(crate) tag: String,
}

/// How PyYAML treats a python tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TagKind {
    /// `object/apply`, `object/new`, `object`, `name`, `module`: imports and calls or returns any callable.
    Code,
    /// `tuple`, `list`, `str`, …: plain data under `FullLoader`, refused by `safe_load`.
    Data,
    /// A python tag PyYAML has no constructor for.
    Other,
}

const PYTHON: &str = "tag:yaml.org,2002:python/";

impl PyTag {
    /// What the tag does, and the dotted name it imports (`os.system`) for the code tags.
    pub(crate) fn kind(&self) -> (TagKind, Option<&str>) {
        let lower = self.tag.to_ascii_lowercase();
        let Some(at) = lower.find("python/") else {
            return (TagKind::Other, None);
        };
        let rest = &self.tag[at + "python/".len()..];
        for code in [
            "object/apply:",
            "object/new:",
            "object:",
            "name:",
            "module:",
        ] {
            // Compared as bytes: the tag may have a multi-byte character where the prefix would end (fuzzing found
            // `!python/objecp/atplyĐ…`). A match ends on an ASCII byte, so slicing after it is on a boundary.
            if has_prefix_ignore_case(rest, code) {
                return (TagKind::Code, Some(&rest[code.len()..]));
            }
        }
        let data = [
            "none", "bool", "int", "long", "float", "complex", "str", "unicode", "bytes", "list",
            "tuple", "dict",
        ];
        if data.iter().any(|d| rest.eq_ignore_ascii_case(d)) {
            return (TagKind::Data, None);
        }
        (TagKind::Other, None)
    }
}

/// Percent-decodes a tag URI as libyaml does (an invalid escape is kept as written).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
        {
            let hex = |c: u8| (c as char).to_digit(16).expect("checked as a hex digit") as u8;
            out.push(hex(b[i + 1]) * 16 + hex(b[i + 2]));
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Every tag in `text` that names a python type (resolved contains `python/`), in order.
pub(crate) fn python_tags(text: &str) -> Vec<PyTag> {
    let b = text.as_bytes();
    let mut handles: Vec<(String, String)> = Vec::new();
    let mut out = Vec::new();
    let mut i = 0;
    let mut block_indent: Option<usize> = None;
    let mut at_line_start = true;
    let mut line_indent = 0usize;
    let mut line_has_content = false;
    let mut last_token_start = 0usize;
    while i < b.len() {
        if at_line_start {
            at_line_start = false;
            let indent = b[i..].iter().take_while(|&&c| c == b' ').count();
            let rest = &b[i + indent..];
            let blank = rest.first().is_none_or(|&c| c == b'\n' || c == b'\r');
            if let Some(bi) = block_indent {
                if blank || indent > bi {
                    i = skip_line(b, i);
                    at_line_start = true;
                    continue;
                }
                block_indent = None;
            }
            line_indent = indent;
            line_has_content = false;
            if indent == 0 && rest.starts_with(b"%TAG") {
                let end = line_end(b, i);
                let line = &text[i..end];
                let mut parts = line.split_whitespace().skip(1);
                if let (Some(h), Some(p)) = (parts.next(), parts.next()) {
                    let prefix = percent_decode(p);
                    if prefix.to_ascii_lowercase().contains("python/") {
                        out.push(PyTag {
                            offset: i,
                            tag: prefix.clone(),
                        });
                    }
                    handles.push((h.to_owned(), prefix));
                }
                i = skip_line(b, i);
                at_line_start = true;
                continue;
            }
            i += indent;
            continue;
        }
        let c = b[i];
        let token_start = i == 0 || is_space(b[i - 1]) || matches!(b[i - 1], b'[' | b'{' | b',');
        match c {
            b'\n' => {
                // A line whose last token is a block scalar indicator (`|`, `>-`, `|2+`) starts a block scalar.
                let content = text[last_token_start..i].trim_end();
                if line_has_content && is_block_indicator(content) {
                    block_indent = Some(line_indent);
                }
                i += 1;
                at_line_start = true;
            }
            b'#' if token_start => i = line_end(b, i),
            b'\'' | b'"' if token_start => {
                i = skip_quoted(b, i);
                line_has_content = true;
                last_token_start = i;
            }
            b'!' if token_start => {
                // A verbatim tag `!<…>` runs to its `>` (commas included: `tag:yaml.org,2002:`); a shorthand tag
                // to a space or a flow indicator, which is enough to reach its `python/`.
                let end = if b.get(i + 1) == Some(&b'<') {
                    b[i..]
                        .iter()
                        .position(|&x| x == b'>' || x == b'\n')
                        .map_or(b.len(), |p| i + p + 1)
                } else {
                    b[i..]
                        .iter()
                        .position(|&x| is_space(x) || matches!(x, b',' | b'[' | b']' | b'{' | b'}'))
                        .map_or(b.len(), |p| i + p)
                }
                .min(b.len());
                let raw = &text[i..end];
                let tag = resolve(raw, &handles);
                if tag.to_ascii_lowercase().contains("python/") {
                    out.push(PyTag { offset: i, tag });
                }
                line_has_content = true;
                last_token_start = i;
                i = end;
            }
            _ => {
                if !is_space(c) {
                    if token_start {
                        last_token_start = i;
                    }
                    line_has_content = true;
                }
                i += 1;
            }
        }
    }
    out
}

fn is_block_indicator(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some('|' | '>')) && chars.all(|c| matches!(c, '+' | '-' | '0'..='9'))
}

fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| i + p)
}

fn skip_line(b: &[u8], i: usize) -> usize {
    (line_end(b, i) + 1).min(b.len())
}

/// The offset past a quoted scalar starting at `i` (or the end of the text when it is not closed).
fn skip_quoted(b: &[u8], i: usize) -> usize {
    let q = b[i];
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' if q == b'"' => j += 2,
            x if x == q => {
                if q == b'\'' && b.get(j + 1) == Some(&b'\'') {
                    j += 2;
                } else {
                    return j + 1;
                }
            }
            _ => j += 1,
        }
    }
    b.len()
}

/// The full tag of a tag token (`!!x`, `!<x>`, `!h!x`, `!x`), `%XX` escapes decoded.
fn resolve(raw: &str, handles: &[(String, String)]) -> String {
    let handle_prefix = |h: &str| {
        handles
            .iter()
            .rev()
            .find(|(k, _)| k == h)
            .map(|(_, p)| p.clone())
    };
    if let Some(v) = raw.strip_prefix("!<") {
        return percent_decode(v.strip_suffix('>').unwrap_or(v));
    }
    if let Some(rest) = raw.strip_prefix("!!") {
        let prefix = handle_prefix("!!").unwrap_or_else(|| "tag:yaml.org,2002:".into());
        return prefix + &percent_decode(rest);
    }
    let body = &raw[1..];
    if let Some(p) = body.find('!') {
        let handle = &raw[..p + 2];
        let suffix = percent_decode(&body[p + 1..]);
        return match handle_prefix(handle) {
            Some(prefix) => prefix + &suffix,
            None => raw.to_owned(),
        };
    }
    match handle_prefix("!") {
        Some(prefix) => prefix + &percent_decode(body),
        None => format!("!{}", percent_decode(body)),
    }
}

/// True when the resolved tag is one PyYAML's constructors know (`tag:yaml.org,2002:python/…`).
pub(crate) fn is_pyyaml(tag: &str) -> bool {
    has_prefix_ignore_case(tag, PYTHON)
}

fn has_prefix_ignore_case(s: &str, prefix: &str) -> bool {
    s.as_bytes()
        .get(..prefix.len())
        .is_some_and(|b| b.eq_ignore_ascii_case(prefix.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(t: &str) -> Vec<String> {
        python_tags(t).into_iter().map(|t| t.tag).collect()
    }

    #[test]
    fn finds_tags_in_every_spelling() {
        assert_eq!(
            tags("a: !!python/object/apply:os.system [\"echo pwned\"]\n"),
            ["tag:yaml.org,2002:python/object/apply:os.system"]
        );
        assert_eq!(
            tags("- !<tag:yaml.org,2002:python/name:os.system> x\n"),
            ["tag:yaml.org,2002:python/name:os.system"]
        );
        assert_eq!(
            tags("%TAG !p! tag:yaml.org,2002:python/\n---\na: !p!object/new:os.system [x]\n").len(),
            2
        );
        assert_eq!(
            tags("a: !!pyth%6Fn/module:os\n"),
            ["tag:yaml.org,2002:python/module:os"]
        );
        assert_eq!(tags("{a: [!!python/tuple [1, 2]]}").len(), 1);
        let t = &python_tags("x: !!python/object/apply:subprocess.Popen [ls]")[0];
        assert_eq!(t.kind(), (TagKind::Code, Some("subprocess.Popen")));
        assert_eq!(
            python_tags("x: !!python/tuple [1]")[0].kind(),
            (TagKind::Data, None)
        );
        assert!(is_pyyaml(&t.tag));
    }

    #[test]
    fn multibyte_characters_in_tags_are_no_crash() {
        // fuzz/corpus/scan_config/regression-multibyte-tag, found by the scan_config fuzz target.
        let text = "hook: !python/objecp/atply\u{110}s.system ['pwzned'\nbroken: b\n";
        let t = &python_tags(text)[0];
        assert_eq!(t.kind(), (TagKind::Other, None));
        assert!(!is_pyyaml(&t.tag));
        assert!(!is_pyyaml("tag:yaml.org,2002:pyth\u{110}"));
    }

    #[test]
    fn ignores_strings_comments_and_block_scalars() {
        assert!(tags("a: \"!!python/object/apply:os.system\"\n").is_empty());
        assert!(tags("a: 'it''s !!python/name:x'\n").is_empty());
        assert!(tags("# !!python/object/apply:os.system\na: 1\n").is_empty());
        assert!(tags("doc: |\n  example: !!python/name:os.system\n  more\nb: 1\n").is_empty());
        assert!(tags("a: hello!!python/name:x\n").is_empty());
        // After the block scalar ends, tags count again.
        assert_eq!(
            tags("doc: >-\n  text\nb: !!python/name:os.system\n").len(),
            1
        );
    }
}
