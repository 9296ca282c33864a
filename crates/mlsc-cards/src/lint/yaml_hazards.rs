//! YAML hazards of the front matter: structure the Hub rejects, tags and tabs PyYAML chokes on, YAML 1.1
//! values that change type.

use super::*;

/// Checks on the node tree that JSON loses: duplicate keys, non-string top-level keys, local tags. Returns false
/// when huggingface_hub would refuse the card.
pub(super) fn structural_node_checks(raw: &RawCard<'_>, node: &Node, sink: &mut Sink<'_>) -> bool {
    let mut loads = true;
    if let Node::Map(pairs) = node {
        for (k, _) in pairs {
            if !matches!(k, Node::Str(_)) {
                let key = k.key_string();
                sink.push(
                    &rules::METADATA_NON_STRING_KEY,
                    format!("top-level key `{key}` is a {}, not a string: huggingface_hub passes the metadata as keyword arguments and fails (\"keywords must be strings\")", k.type_name()),
                    raw.line_of(&key),
                    Some(&key),
                );
                loads = false;
            } else if k.key_string() == "ignore_metadata_errors" {
                sink.push(
                    &rules::METADATA_NON_STRING_KEY,
                    "top-level key `ignore_metadata_errors` collides with huggingface_hub's own keyword argument: the card does not load",
                    raw.line_of("ignore_metadata_errors"),
                    Some("ignore_metadata_errors"),
                );
                loads = false;
            }
        }
    }
    let mut stack: Vec<(&Node, String)> = vec![(node, String::new())];
    while let Some((n, path)) = stack.pop() {
        match n {
            Node::Map(pairs) => {
                let mut seen: HashSet<String> = HashSet::new();
                for (k, v) in pairs {
                    let key = k.key_string();
                    let p = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    if !seen.insert(key.clone()) {
                        let line = raw
                            .index
                            .entries
                            .iter()
                            .filter(|e| e.path == p)
                            .nth(1)
                            .map(|e| e.line.saturating_add(raw.yaml_line).saturating_sub(1));
                        sink.push(
                            &rules::METADATA_DUPLICATE_KEY,
                            format!("key `{p}` appears more than once; PyYAML and mlsc keep the last value"),
                            line.or_else(|| raw.line_of(&p)),
                            Some(&p),
                        );
                    }
                    stack.push((v, p));
                }
            }
            Node::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    stack.push((item, format!("{path}[{i}]")));
                }
            }
            Node::Tagged(tag, inner) => {
                sink.push(
                    &rules::METADATA_YAML_TAG,
                    format!("`{path}` carries the local tag `!{tag}`: PyYAML's safe loader refuses it, so huggingface_hub cannot load the card"),
                    raw.line_of(&path),
                    Some(&path),
                );
                loads = false;
                stack.push((inner, path));
            }
            _ => {}
        }
    }
    loads
}

/// Tags PyYAML's `SafeLoader` constructs.
pub(super) const SAFE_TAGS: &[&str] = &[
    "null",
    "bool",
    "int",
    "float",
    "binary",
    "timestamp",
    "omap",
    "pairs",
    "set",
    "str",
    "seq",
    "map",
    "merge",
    "value",
];

/// Checks on the raw scalar text: YAML 1.1 ambiguities and `!!` tags. Returns false when huggingface_hub would
/// refuse the card.
pub(super) fn lexical_checks(raw: &RawCard<'_>, sink: &mut Sink<'_>) -> bool {
    let mut loads = true;
    if raw.node.is_ok()
        && let Some((line, col)) = pyyaml_tab(raw.yaml)
    {
        sink.push(
                &rules::METADATA_YAML_SYNTAX,
                format!("a tab at column {col} is used as white space: PyYAML, which huggingface_hub uses, refuses it (\"found character '\\t' that cannot start any token\"), so the Hub shows no metadata; mlsc read the YAML anyway. Use spaces"),
                Some(line.saturating_add(raw.yaml_line).saturating_sub(1)),
                None,
            );
        loads = false;
    }
    for e in &raw.index.entries {
        let Some(value) = e.raw.as_deref() else {
            continue;
        };
        let line = e.line.saturating_add(raw.yaml_line).saturating_sub(1);
        if let Some(tag) = value.strip_prefix("!!") {
            let name = tag.split([' ', '\t']).next().unwrap_or(tag);
            if !SAFE_TAGS.contains(&name) {
                let dangerous = name.starts_with("python/");
                sink.push_sev(
                    &rules::METADATA_YAML_TAG,
                    if dangerous { Severity::Critical } else { Severity::High },
                    format!("`{}` carries the tag `!!{name}`: PyYAML's safe loader refuses it (the card does not load){}", e.path, if dangerous { "; an unsafe loader would construct Python objects, i.e. run code" } else { "" }),
                    Some(line),
                    Some(&e.path),
                )
                .evidence = Some(value.chars().take(200).collect());
                loads = false;
            }
            continue;
        }
        // A one-line flow sequence (`language: [no, en]`) has its items checked one by one.
        let items: Vec<(String, &str)> =
            match value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
                Some(inner) if !inner.contains(['[', '{', '"', '\'']) => inner
                    .split(',')
                    .enumerate()
                    .map(|(i, item)| (format!("{}[{i}]", e.path), item.trim()))
                    .collect(),
                _ => vec![(e.path.clone(), value)],
            };
        for (path, item) in items {
            let Some(what) = yaml11_hazard(item) else {
                continue;
            };
            let msg = if (path == "language" || path.starts_with("language["))
                && matches!(item, "no" | "No" | "NO")
            {
                format!(
                    "`{path}: {item}` is read by PyYAML (YAML 1.1, as huggingface_hub reads it) as the boolean false, not Norwegian; mlsc keeps the string \"{item}\"; quote it"
                )
            } else {
                format!(
                    "`{path}` is `{item}` unquoted: {what}; quote it so that every reader agrees"
                )
            };
            sink.push(&rules::YAML_1_1_AMBIGUITY, msg, Some(line), Some(&path))
                .evidence = Some(item.to_owned());
        }
    }
    loads
}

/// The first tab PyYAML's scanner refuses: it accepts tabs only inside quoted scalars, comments and block
/// scalars (measured with PyYAML 6.0: `a: b\tc`, `a:\tb`, `a: 1\t` and tab indentation all raise `ScannerError`),
/// while libyaml, under serde_norway, accepts them as white space. Returns the 1-based line and column.
pub(crate) fn pyyaml_tab(yaml: &str) -> Option<(u32, u32)> {
    let mut quote: Option<char> = None;
    let mut block_indent: Option<usize> = None;
    for (n, raw_line) in yaml.split('\n').enumerate() {
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        let indent = line.len() - line.trim_start_matches(' ').len();
        if quote.is_none()
            && let Some(parent) = block_indent
        {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block_indent = None;
        }
        let mut prev = ' ';
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let mut k = 0;
        while k < chars.len() {
            let (col, c) = chars[k];
            match quote {
                Some('\'') => {
                    if c == '\'' {
                        if chars.get(k + 1).is_some_and(|&(_, n)| n == '\'') {
                            k += 1;
                        } else {
                            quote = None;
                        }
                    }
                }
                Some(_) => {
                    if c == '\\' {
                        k += 1;
                    } else if c == '"' {
                        quote = None;
                    }
                }
                None => match c {
                    '\t' => {
                        return Some((
                            u32::try_from(n + 1).unwrap_or(u32::MAX),
                            u32::try_from(col + 1).unwrap_or(u32::MAX),
                        ));
                    }
                    '#' if prev == ' ' => break,
                    '"' | '\'' if matches!(prev, ' ' | '[' | '{' | ',' | ':' | '-') => {
                        quote = Some(c)
                    }
                    _ => {}
                },
            }
            prev = c;
            k += 1;
        }
        if quote.is_none() {
            let t = line.trim_end();
            let t = t.split(" #").next().unwrap_or(t).trim_end();
            let last = t.rsplit([' ', ':']).next().unwrap_or("");
            if (last.starts_with('|') || last.starts_with('>'))
                && last[1..]
                    .chars()
                    .all(|c| matches!(c, '+' | '-' | '0'..='9'))
                && (t.ends_with(&format!(": {last}"))
                    || t.ends_with(&format!("- {last}"))
                    || t == last)
            {
                block_indent = Some(indent);
            }
        }
    }
    None
}

/// What PyYAML (YAML 1.1) makes of an unquoted scalar that YAML 1.2 reads differently.
pub(crate) fn yaml11_hazard(v: &str) -> Option<&'static str> {
    if matches!(
        v,
        "yes" | "Yes" | "YES" | "no" | "No" | "NO" | "on" | "On" | "ON" | "off" | "Off" | "OFF"
    ) {
        return Some("PyYAML (YAML 1.1) reads it as a boolean, YAML 1.2 as a string");
    }
    let body = v.strip_prefix(['-', '+']).unwrap_or(v);
    let b = body.as_bytes();
    if b.len() >= 2
        && b[0] == b'0'
        && body.bytes().all(|c| matches!(c, b'0'..=b'7' | b'_'))
        && body.bytes().any(|c| c != b'0')
    {
        return Some(
            "PyYAML (YAML 1.1) reads a leading zero as an octal number, YAML 1.2 as decimal or a string",
        );
    }
    // Sexagesimal (PyYAML's int and float patterns): `1:30` is 90, `1:30.5` is 90.5.
    if let Some((first, rest)) = body.split_once(':') {
        let first_ok = first.as_bytes().first().is_some_and(u8::is_ascii_digit)
            && first.bytes().all(|c| c.is_ascii_digit() || c == b'_');
        let parts: Vec<&str> = rest.split(':').collect();
        let last = parts.len() - 1;
        let rest_ok = parts.iter().enumerate().all(|(i, p)| {
            let p = if i == last {
                p.split_once('.').map_or(*p, |(a, _)| a)
            } else {
                p
            };
            let d = p.as_bytes();
            (d.len() == 1 && d[0].is_ascii_digit())
                || (d.len() == 2 && (b'0'..=b'5').contains(&d[0]) && d[1].is_ascii_digit())
        });
        if first_ok && rest_ok {
            return Some("PyYAML (YAML 1.1) reads it as a base-60 number, YAML 1.2 as a string");
        }
    }
    if b.len() > 1
        && b[0].is_ascii_digit()
        && body.contains('_')
        && body
            .bytes()
            .all(|c| c.is_ascii_digit() || c == b'_' || c == b'.')
    {
        return Some(
            "PyYAML (YAML 1.1) ignores the underscores and reads a number, YAML 1.2 a string",
        );
    }
    // A float without a dot (`1e5`) is a string to PyYAML and a number to YAML 1.2.
    if let Some((m, e)) = body.split_once(['e', 'E'])
        && !m.is_empty()
        && !m.contains('.')
        && m.bytes().all(|c| c.is_ascii_digit())
    {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        if !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit()) {
            return Some("PyYAML (YAML 1.1) reads it as a string, YAML 1.2 as a number");
        }
    }
    None
}
