//! Lines of JSON values by Hub-style path (`distribution[2].sha256`), for the findings on JSON cards.
//!
//! serde_json gives values without positions; this scanner walks the (already validated) text once and records
//! the line where each member's key, or each array item, starts.

use std::collections::HashMap;

use crate::lines::parent_path;

enum Frame {
    Object { path: String, key: Option<String> },
    Array { path: String, index: usize },
}

fn child(frame: Option<&Frame>) -> String {
    match frame {
        None => String::new(),
        Some(Frame::Object { path, key }) => {
            let k = key.as_deref().unwrap_or("");
            if path.is_empty() {
                k.to_owned()
            } else {
                format!("{path}.{k}")
            }
        }
        Some(Frame::Array { path, index }) => format!("{path}[{index}]"),
    }
}

/// The path → line index of one JSON document.
#[derive(Debug, Default)]
pub(crate) struct JsonLines {
    lines: HashMap<String, u32>,
}

impl JsonLines {
    pub(crate) fn build(text: &str) -> JsonLines {
        let b = text.as_bytes();
        let mut lines = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut line = 1u32;
        // Where the member now being read started (its key's line).
        let mut key_line = 1u32;
        let mut expect_key = false;
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            match c {
                b'\n' => line = line.saturating_add(1),
                b'{' | b'[' => {
                    let path = child(stack.last());
                    let at = if matches!(stack.last(), Some(Frame::Object { .. })) {
                        key_line
                    } else {
                        line
                    };
                    lines.entry(path.clone()).or_insert(at);
                    if c == b'{' {
                        stack.push(Frame::Object { path, key: None });
                        expect_key = true;
                    } else {
                        stack.push(Frame::Array { path, index: 0 });
                        expect_key = false;
                    }
                }
                b'}' | b']' => {
                    stack.pop();
                    expect_key = false;
                }
                b',' => match stack.last_mut() {
                    Some(Frame::Array { index, .. }) => *index += 1,
                    Some(Frame::Object { .. }) => expect_key = true,
                    None => {}
                },
                b':' => expect_key = false,
                b'"' => {
                    let start = i + 1;
                    let mut j = start;
                    while j < b.len() && b[j] != b'"' {
                        if b[j] == b'\\' {
                            j += 1;
                        }
                        j += 1;
                    }
                    let raw = text.get(start..j.min(b.len())).unwrap_or("");
                    if expect_key {
                        let key = serde_json::from_str::<String>(&format!("\"{raw}\""))
                            .unwrap_or_else(|_| raw.to_owned());
                        if let Some(Frame::Object { key: k, .. }) = stack.last_mut() {
                            *k = Some(key);
                        }
                        key_line = line;
                    } else {
                        let path = child(stack.last());
                        let at = if matches!(stack.last(), Some(Frame::Object { .. })) {
                            key_line
                        } else {
                            line
                        };
                        lines.entry(path).or_insert(at);
                    }
                    i = j;
                }
                b' ' | b'\t' | b'\r' => {}
                _ => {
                    // A number, true, false or null.
                    let path = child(stack.last());
                    let at = if matches!(stack.last(), Some(Frame::Object { .. })) {
                        key_line
                    } else {
                        line
                    };
                    lines.entry(path).or_insert(at);
                    while i + 1 < b.len()
                        && !matches!(b[i + 1], b',' | b'}' | b']' | b'\n' | b' ' | b'\t' | b'\r')
                    {
                        i += 1;
                    }
                }
            }
            i += 1;
        }
        JsonLines { lines }
    }

    /// The line of `pointer`, or of its nearest ancestor.
    pub(crate) fn line_of(&self, pointer: &str) -> Option<u32> {
        let mut p = pointer;
        loop {
            if let Some(l) = self.lines.get(p) {
                return Some(*l);
            }
            match parent_path(p) {
                Some(parent) => p = parent,
                // A property missing at the top level: the document's own line.
                None => return self.lines.get("").copied(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_by_path() {
        let text = "{\n  \"a\": 1,\n  \"d\": [\n    {\"x\": \"y\"},\n    {\n      \"x\": \"z\\\"q\",\n      \"n\": null\n    }\n  ],\n  \"e\": {\"f\": [1, 2]}\n}";
        let idx = JsonLines::build(text);
        assert_eq!(idx.line_of("a"), Some(2));
        assert_eq!(idx.line_of("d"), Some(3));
        assert_eq!(idx.line_of("d[0].x"), Some(4));
        assert_eq!(idx.line_of("d[1]"), Some(5));
        assert_eq!(idx.line_of("d[1].x"), Some(6));
        assert_eq!(idx.line_of("d[1].n"), Some(7));
        assert_eq!(idx.line_of("e.f[1]"), Some(10));
        assert_eq!(idx.line_of("d[1].missing"), Some(5));
        assert_eq!(idx.line_of("nothing"), Some(1));
    }
}
