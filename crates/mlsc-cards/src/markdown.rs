//! The Markdown body of a card as a list of sections: ATX (`## Uses`) and setext headings, outside fenced code.

use serde::Serialize;

/// One heading of the card body and the text under it, up to the next heading of any level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Section {
    /// 1 for `#`, 2 for `##`, … 6.
    pub level: u8,
    /// The heading text, without `#`s and without a trailing ` [optional]` (the Hub template's marker).
    pub heading: String,
    /// 1-based line of the heading in the card file.
    pub line: u32,
    /// The text directly under the heading (subsections excluded), HTML comments removed, trimmed.
    pub text: String,
    /// True when the text is empty or only template placeholders ("More Information Needed").
    pub placeholder: bool,
}

/// Phrases the Hub templates (and the Trainer) leave where the author should have written something.
const PLACEHOLDERS: &[&str] = &[
    "[more information needed]",
    "more information needed",
    "[optional]",
    "{{ model_description | default(\"\", true) }}",
];

/// True when `text` says nothing: empty, or only placeholders, list bullets and `**Key:**` labels.
pub(crate) fn is_placeholder(text: &str) -> bool {
    let mut lower = text.to_lowercase();
    for p in PLACEHOLDERS {
        lower = lower.replace(p, " ");
    }
    // Template lines such as `- **Developed by:** [More Information Needed]` leave only their labels.
    let mut rest = String::new();
    for line in lower.lines() {
        let l = line.trim().trim_start_matches(['-', '*', '+']).trim();
        let l = match (l.starts_with("**"), l.rfind(":**")) {
            (true, Some(end)) => l[end + 3..].trim(),
            _ => l,
        };
        rest.push_str(l);
    }
    !rest.chars().any(char::is_alphanumeric)
}

fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Normalises a heading for comparison: lowercase, `[optional]` and punctuation dropped, spaces collapsed.
pub(crate) fn normalize_heading(h: &str) -> String {
    let lower = h.to_lowercase().replace("[optional]", " ");
    let cleaned: String = lower
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '&' {
                c
            } else {
                ' '
            }
        })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits `body` (starting at 1-based `first_line` of the file) into sections.
pub(crate) fn sections(body: &str, first_line: u32) -> Vec<Section> {
    let lines: Vec<&str> = body
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut heads: Vec<(usize, u8, String)> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut in_comment = false;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        if let Some((ch, n)) = fence {
            let run = t.chars().take_while(|&c| c == ch).count();
            if run >= n && t[run * ch.len_utf8()..].trim().is_empty() {
                fence = None;
            }
            continue;
        }
        if in_comment {
            if t.contains("-->") {
                in_comment = false;
            }
            continue;
        }
        if indent < 4 && (t.starts_with("```") || t.starts_with("~~~")) {
            let ch = t
                .chars()
                .next()
                .expect("non-empty because it starts with a fence");
            fence = Some((ch, t.chars().take_while(|&c| c == ch).count()));
            continue;
        }
        if t.starts_with("<!--") && !t.contains("-->") {
            in_comment = true;
            continue;
        }
        if indent >= 4 {
            continue;
        }
        let hashes = t.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&hashes) {
            let rest = &t[hashes..];
            if rest.is_empty() || rest.starts_with([' ', '\t']) {
                let text = rest.trim().trim_end_matches('#').trim();
                heads.push((i, hashes as u8, clean_heading(text)));
                continue;
            }
        }
        // Setext: a non-empty paragraph line underlined by `===` or `---`.
        if i > 0 && !t.is_empty() {
            let under = t.trim_end();
            let prev = lines[i - 1].trim();
            let level = if under.chars().all(|c| c == '=') {
                1
            } else if under.len() >= 2 && under.chars().all(|c| c == '-') {
                2
            } else {
                0
            };
            if level > 0
                && !prev.is_empty()
                && !prev.starts_with('#')
                && !prev.starts_with(['-', '*', '>', '|'])
                && heads.last().is_none_or(|h| h.0 + 1 != i)
                && (i < 2 || lines[i - 2].trim().is_empty())
            {
                heads.push((i - 1, level, clean_heading(prev)));
            }
        }
    }
    let mut out = Vec::with_capacity(heads.len());
    for (n, (idx, level, heading)) in heads.iter().enumerate() {
        let end = heads.get(n + 1).map_or(lines.len(), |h| h.0);
        let mut raw = lines[(idx + 1).min(end)..end].join("\n");
        // A setext underline belongs to the heading, not to the text.
        if raw.starts_with("==") || raw.starts_with("--") {
            raw = raw
                .split_once('\n')
                .map_or(String::new(), |(_, r)| r.to_owned());
        }
        let text = strip_comments(&raw).trim().to_owned();
        out.push(Section {
            level: *level,
            heading: heading.clone(),
            line: first_line.saturating_add(u32::try_from(*idx).unwrap_or(u32::MAX)),
            placeholder: is_placeholder(&text),
            text,
        });
    }
    out
}

fn clean_heading(text: &str) -> String {
    let t = text.trim();
    let t = t.strip_suffix("[optional]").unwrap_or(t).trim();
    t.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sections() {
        let body = "# Title\n\nintro\n\n## Uses [optional]\n\n<!-- comment -->\n\n### Direct Use\n\n[More Information Needed]\n\n```\n# not a heading\n```\n\nOther\n=====\n\ntext\n";
        let s = sections(body, 10);
        let names: Vec<_> = s
            .iter()
            .map(|s| (s.level, s.heading.as_str(), s.line))
            .collect();
        assert_eq!(
            names,
            vec![
                (1, "Title", 10),
                (2, "Uses", 14),
                (3, "Direct Use", 18),
                (1, "Other", 26)
            ]
        );
        assert!(!s[0].placeholder);
        assert!(s[1].placeholder);
        // The code block is content: the section is not a placeholder.
        assert!(!s[2].placeholder);
        assert!(s[2].text.contains("# not a heading"));
        assert_eq!(s[3].text, "text");
    }

    #[test]
    fn placeholder_detection() {
        assert!(is_placeholder(
            "- **Developed by:** [More Information Needed]\n- **License:** More Information Needed"
        ));
        assert!(!is_placeholder("- **Developed by:** ACME"));
        assert!(is_placeholder(""));
        assert!(!is_placeholder("Trained on 10k images."));
    }

    #[test]
    fn normalize() {
        assert_eq!(
            normalize_heading("Bias, Risks, and Limitations"),
            "bias risks and limitations"
        );
        assert_eq!(
            normalize_heading("Testing Data, Factors & Metrics"),
            "testing data factors & metrics"
        );
        assert_eq!(normalize_heading("Citation [optional]"), "citation");
    }
}
