//! A line-level view of block YAML: which Hub-style path (`model-index[0].results[0].dataset.config`) each line
//! opens, and the raw text of the scalar written on it.
//!
//! serde gives values without positions, so findings get their line from this index: a path is looked up, and when
//! it was written in flow style (`{a: 1}`) or inside a block scalar the nearest enclosing path's line is used. The
//! raw scalars also let us see what the parsed value hides: whether `no` was quoted (a YAML 1.1 hazard only when it
//! was not) and which tags were written.

/// One line that opens a key or a list item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineEntry {
    /// 1-based line inside the YAML block.
    pub(crate) line: u32,
    /// Hub-style path of the node this line opens.
    pub(crate) path: String,
    /// The raw scalar written after `key:` or `- ` on this line, comment removed, when there is one.
    pub(crate) raw: Option<String>,
}

#[derive(Debug)]
struct Frame {
    indent: usize,
    path: String,
    is_item: bool,
    next_index: usize,
}

/// The path index of a YAML block.
#[derive(Debug, Default)]
pub(crate) struct LineIndex {
    pub(crate) entries: Vec<LineEntry>,
    /// The first line of each path, so that a lookup is not a scan (a card can have 100,000 entries).
    first: std::collections::HashMap<String, u32>,
}

impl LineIndex {
    /// Scans `yaml` (the front matter block) once.
    pub(crate) fn build(yaml: &str) -> LineIndex {
        let mut entries = Vec::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut root_next_index = 0usize;
        // Lines of a block scalar (`|`, `>`) or of an unclosed flow collection are content, not structure.
        let mut block_scalar_indent: Option<usize> = None;
        let mut flow_depth: i32 = 0;
        for (i, raw_line) in yaml.split('\n').enumerate() {
            let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
            let indent = line.len() - line.trim_start_matches(' ').len();
            let content = &line[indent..];
            if let Some(min) = block_scalar_indent {
                if content.trim().is_empty() || indent > min {
                    continue;
                }
                block_scalar_indent = None;
            }
            if flow_depth > 0 {
                flow_depth = (flow_depth + flow_balance(content)).max(0);
                continue;
            }
            if content.is_empty() || content.starts_with('#') || content.trim().is_empty() {
                continue;
            }
            if content == "---" || content == "..." {
                continue;
            }
            let mut col = indent;
            let mut rest = content;
            // A line may open several nodes: `- - key: value`.
            loop {
                if rest == "-" || rest.starts_with("- ") {
                    while stack
                        .last()
                        .is_some_and(|f| f.indent > col || (f.indent == col && f.is_item))
                    {
                        stack.pop();
                    }
                    let index = match stack.last_mut() {
                        Some(parent) => {
                            let n = parent.next_index;
                            parent.next_index += 1;
                            n
                        }
                        None => {
                            let n = root_next_index;
                            root_next_index += 1;
                            n
                        }
                    };
                    let path = format!("{}[{index}]", stack.last().map_or("", |f| f.path.as_str()));
                    let after = rest[1..].trim_start_matches(' ');
                    let skipped = rest.len() - after.len();
                    stack.push(Frame {
                        indent: col,
                        path: path.clone(),
                        is_item: true,
                        next_index: 0,
                    });
                    col += skipped;
                    rest = after;
                    if rest.is_empty() || rest.starts_with("- ") || rest == "-" {
                        entries.push(LineEntry {
                            line: line_no,
                            path,
                            raw: None,
                        });
                        if rest.is_empty() {
                            break;
                        }
                        continue;
                    }
                    if split_key(rest).is_none() {
                        let raw = scalar_text(rest);
                        flow_depth = flow_balance(rest).max(0);
                        if is_block_indicator(&raw) {
                            block_scalar_indent = Some(col.saturating_sub(2));
                        }
                        entries.push(LineEntry {
                            line: line_no,
                            path,
                            raw: Some(raw),
                        });
                        break;
                    }
                    entries.push(LineEntry {
                        line: line_no,
                        path,
                        raw: None,
                    });
                    continue;
                }
                let Some((key, value)) = split_key(rest) else {
                    // A continuation line of a plain multi-line scalar, or something we do not model.
                    break;
                };
                while stack.last().is_some_and(|f| f.indent >= col) {
                    stack.pop();
                }
                let path = match stack.last() {
                    Some(parent) => format!("{}.{key}", parent.path),
                    None => key.clone(),
                };
                stack.push(Frame {
                    indent: col,
                    path: path.clone(),
                    is_item: false,
                    next_index: 0,
                });
                let raw = scalar_text(value);
                if is_block_indicator(&raw) {
                    block_scalar_indent = Some(col);
                }
                flow_depth = flow_balance(value).max(0);
                entries.push(LineEntry {
                    line: line_no,
                    path,
                    raw: (!raw.is_empty()).then_some(raw),
                });
                break;
            }
        }
        let mut first = std::collections::HashMap::with_capacity(entries.len());
        for e in &entries {
            first.entry(e.path.clone()).or_insert(e.line);
        }
        LineIndex { entries, first }
    }

    /// The line of `path`, or of its nearest ancestor written on a line of its own.
    pub(crate) fn line_of(&self, path: &str) -> Option<u32> {
        let mut p = path;
        loop {
            if let Some(line) = self.first.get(p) {
                return Some(*line);
            }
            p = parent_path(p)?;
        }
    }
}

/// `a.b[0].c` → `a.b[0]` → `a.b` → `a` → none.
pub(crate) fn parent_path(p: &str) -> Option<&str> {
    let cut = p.rfind(['.', '['])?;
    if cut == 0 {
        return None;
    }
    Some(&p[..cut])
}

fn is_block_indicator(raw: &str) -> bool {
    let r = raw.trim();
    (r.starts_with('|') || r.starts_with('>'))
        && r[1..].chars().all(|c| matches!(c, '+' | '-' | '0'..='9'))
}

/// Net count of flow brackets opened on this text, outside quotes and comments.
fn flow_balance(text: &str) -> i32 {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for c in text.chars() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' if matches!(prev, ' ' | '[' | '{' | ',' | ':') => quote = Some(c),
                '[' | '{' => depth += 1,
                ']' | '}' => depth -= 1,
                '#' if prev == ' ' => break,
                _ => {}
            },
        }
        prev = c;
    }
    depth
}

/// Splits `key: value` (or `key:` at the end of the line) when `text` starts with a mapping key.
fn split_key(text: &str) -> Option<(String, &str)> {
    let first = text.chars().next()?;
    if matches!(
        first,
        '[' | '{' | '#' | '|' | '>' | '!' | '&' | '*' | '%' | '@' | '`'
    ) {
        return None;
    }
    if first == '"' || first == '\'' {
        let close = text[1..].find(first)? + 1;
        let key = &text[1..close];
        let rest = text[close + 1..].trim_start_matches(' ');
        let value = rest.strip_prefix(':')?;
        if !(value.is_empty() || value.starts_with([' ', '\t'])) {
            return None;
        }
        return Some((key.to_owned(), value.trim_start_matches([' ', '\t'])));
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':' && (i + 1 == bytes.len() || matches!(bytes[i + 1], b' ' | b'\t')) {
            let key = text[..i].trim_end();
            if key.is_empty() {
                return None;
            }
            return Some((
                key.to_owned(),
                text[i + 1..].trim_start_matches([' ', '\t']),
            ));
        }
        if bytes[i] == b'#' && i > 0 && matches!(bytes[i - 1], b' ' | b'\t') {
            return None;
        }
        i += 1;
    }
    None
}

/// The scalar text with a trailing ` # comment` removed (outside quotes).
fn scalar_text(value: &str) -> String {
    let v = value.trim();
    if v.starts_with('"') || v.starts_with('\'') {
        let q = v.as_bytes()[0] as char;
        if let Some(close) = v[1..].find(q) {
            return v[..close + 2].to_owned();
        }
        return v.to_owned();
    }
    let bytes = v.as_bytes();
    for i in 1..bytes.len() {
        if bytes[i] == b'#' && matches!(bytes[i - 1], b' ' | b'\t') {
            return v[..i].trim_end().to_owned();
        }
    }
    v.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MI: &str = "language: en\nmodel-index:\n- name: m\n  results:\n  - task:\n      type: x\n    dataset:\n      name: y # c\n      config: z\n    metrics:\n      - type: acc\n        value: 0.9\ntags:\n- a\n- b\ndesc: |\n  key: not a key\n  - not an item\nlast: [a,\n  b]\nend: no\n";

    #[test]
    fn paths_and_lines() {
        let idx = LineIndex::build(MI);
        let get = |p: &str| idx.entries.iter().find(|e| e.path == p).map(|e| e.line);
        assert_eq!(get("language"), Some(1));
        assert_eq!(get("model-index[0]"), Some(3));
        assert_eq!(get("model-index[0].name"), Some(3));
        assert_eq!(get("model-index[0].results[0].task.type"), Some(6));
        assert_eq!(get("model-index[0].results[0].dataset.config"), Some(9));
        assert_eq!(get("model-index[0].results[0].metrics[0].value"), Some(12));
        assert_eq!(get("tags[1]"), Some(15));
        assert_eq!(get("end"), Some(21));
        assert_eq!(idx.line_of("last[1]"), Some(19));
        assert_eq!(idx.line_of("nothing.here"), None);
        assert!(!idx.entries.iter().any(|e| e.path.starts_with("desc.")));
        let name = idx
            .entries
            .iter()
            .find(|e| e.path.ends_with("dataset.name"))
            .unwrap();
        assert_eq!(name.raw.as_deref(), Some("y"));
    }

    #[test]
    fn quoted_keys_and_nested_dashes() {
        let idx = LineIndex::build("\"a b\": 1\nx:\n  - - p\n    - q\n");
        assert_eq!(idx.line_of("a b"), Some(1));
        assert_eq!(idx.line_of("x[0][0]"), Some(3));
        assert_eq!(idx.line_of("x[0][1]"), Some(4));
    }
}
