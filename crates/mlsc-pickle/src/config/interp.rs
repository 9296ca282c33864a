//! OmegaConf interpolation, resolved statically: `${a.b}`, relative `${.x}` and `${..x}`, list indices, nested
//! `${a.${b}}`, string concatenation and the built-in resolvers whose result is knowable (`oc.select`,
//! `oc.decode`, `oc.deprecated`; `oc.env` gives its default and is marked unresolved because the environment
//! decides). Depth, steps and output length are bounded; a cycle is reported, never followed.

use std::cell::Cell;

use super::tree::Node;

/// One step of a path: a mapping key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// A path as a JSON-pointer-like string (`/model/encoder/_target_`).
pub(crate) fn pointer(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        s.push('/');
        match seg {
            Seg::Key(k) => s.push_str(&k.replace('~', "~0").replace('/', "~1")),
            Seg::Index(i) => s.push_str(&i.to_string()),
        }
    }
    s
}

/// The node at `path` under `root`.
pub(crate) fn node_at<'a>(root: &'a Node, path: &[Seg]) -> Option<&'a Node> {
    let mut n = root;
    for seg in path {
        n = match (n, seg) {
            (Node::Map(_), Seg::Key(k)) => n.get(k)?,
            (Node::Seq(s), Seg::Index(i)) => s.get(*i)?,
            (Node::Seq(s), Seg::Key(k)) => s.get(k.parse::<usize>().ok()?)?,
            (Node::Map(_), Seg::Index(i)) => n.get(&i.to_string())?,
            _ => return None,
        };
    }
    Some(n)
}

/// A string with its interpolations resolved as far as they can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolution {
    /// The value; an unknown part is `\u{fffd}`. A default (`${oc.env:X,os.system}`) stands in for what the
    /// environment would give.
    pub(crate) value: String,
    /// Why parts could not be known, empty when the value is exact.
    pub(crate) unresolved: Vec<String>,
}

/// Stands for a part whose value is unknown.
pub(crate) const UNKNOWN: char = '\u{fffd}';
const MAX_DEPTH: u32 = 32;
const MAX_STEPS: u32 = 10_000;
const MAX_LEN: usize = 64 << 10;

/// How absolute paths are looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Roots {
    /// From the document root only (a YAML or JSON file: OmegaConf's semantics).
    Document,
    /// From the innermost enclosing mapping that has the path's first key (a config pickled inside a larger
    /// object, whose own root is not known).
    Nearest,
}

struct State<'a> {
    root: &'a Node,
    roots: Roots,
    steps: Cell<u32>,
    visiting: std::cell::RefCell<Vec<Vec<Seg>>>,
}

/// Resolves `s`, the value at `path` (its last segment is its own key) under `root`.
pub(crate) fn resolve(root: &Node, roots: Roots, path: &[Seg], s: &str) -> Resolution {
    let st = State {
        root,
        roots,
        steps: Cell::new(0),
        visiting: std::cell::RefCell::new(vec![path.to_vec()]),
    };
    let mut unresolved = Vec::new();
    let container = &path[..path.len().saturating_sub(1)];
    let value = st.string(container, s, 0, &mut unresolved);
    unresolved.dedup();
    Resolution { value, unresolved }
}

/// True when `s` has an interpolation (an unescaped `${`).
pub(crate) fn has_interpolation(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(1))
        .any(|i| b[i] == b'$' && b[i + 1] == b'{' && (i == 0 || b[i - 1] != b'\\'))
}

/// The offset of the `}` closing the `${` whose content starts at `from`, with nesting and quotes.
fn closing(b: &[u8], from: usize) -> Option<usize> {
    let mut depth = 1usize;
    let mut i = from;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) => {
                if c == b'\\' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                b'\'' | b'"' => quote = Some(c),
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    None
}

impl State<'_> {
    fn string(&self, container: &[Seg], s: &str, depth: u32, why: &mut Vec<String>) -> String {
        if depth > MAX_DEPTH {
            why.push(format!("interpolation nested deeper than {MAX_DEPTH}"));
            return UNKNOWN.to_string();
        }
        let b = s.as_bytes();
        let mut out = String::new();
        let mut i = 0;
        let mut lit = 0;
        while i < b.len() {
            if b[i] == b'\\' && b[i..].starts_with(b"\\${") {
                out.push_str(&s[lit..i]);
                out.push_str("${");
                i += 3;
                lit = i;
                continue;
            }
            if b[i] == b'$' && b.get(i + 1) == Some(&b'{') {
                out.push_str(&s[lit..i]);
                match closing(b, i + 2) {
                    Some(end) => {
                        let inner = self.string(container, &s[i + 2..end], depth + 1, why);
                        out.push_str(&self.evaluate(container, inner.trim(), depth + 1, why));
                        i = end + 1;
                    }
                    None => {
                        why.push(format!("unterminated interpolation `{}`", &s[i..]));
                        out.push(UNKNOWN);
                        i = b.len();
                    }
                }
                lit = i;
                if out.len() > MAX_LEN {
                    why.push(format!("interpolation result longer than {MAX_LEN} bytes"));
                    return out;
                }
                continue;
            }
            i += 1;
        }
        out.push_str(&s[lit.min(s.len())..]);
        out
    }

    /// The value of one `${…}` whose content (nested interpolations done) is `inner`.
    fn evaluate(
        &self,
        container: &[Seg],
        inner: &str,
        depth: u32,
        why: &mut Vec<String>,
    ) -> String {
        self.steps.set(self.steps.get() + 1);
        if self.steps.get() > MAX_STEPS {
            why.push(format!("more than {MAX_STEPS} interpolation steps"));
            return UNKNOWN.to_string();
        }
        let resolver = inner.split_once(':').filter(|(name, _)| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        });
        let Some((name, args)) = resolver else {
            return self.key(container, inner, depth, why).unwrap_or_else(|w| {
                why.push(w);
                UNKNOWN.to_string()
            });
        };
        let (first, default) = split_args(args);
        match name {
            "oc.env" | "env" => {
                why.push(format!(
                    "`${{{inner}}}` comes from the environment variable `{first}`"
                ));
                default.map_or_else(|| UNKNOWN.to_string(), unquote)
            }
            "oc.select" => match self.key(container, &first, depth, why) {
                Ok(v) => v,
                Err(_) => default.map_or_else(
                    || {
                        why.push(format!("`${{{inner}}}` selects a missing key"));
                        UNKNOWN.to_string()
                    },
                    unquote,
                ),
            },
            "oc.decode" => unquote(args.trim().to_owned()),
            "oc.deprecated" => self.key(container, &first, depth, why).unwrap_or_else(|w| {
                why.push(w);
                UNKNOWN.to_string()
            }),
            other => {
                why.push(format!(
                    "`${{{inner}}}` calls the resolver `{other}`, whose result is not known statically"
                ));
                UNKNOWN.to_string()
            }
        }
    }

    /// The value at a key path (`a.b[0]`, `.x`, `..x`).
    fn key(
        &self,
        container: &[Seg],
        key: &str,
        depth: u32,
        why: &mut Vec<String>,
    ) -> Result<String, String> {
        let dots = key.bytes().take_while(|&c| c == b'.').count();
        let segs =
            parse_key(&key[dots..]).ok_or_else(|| format!("`${{{key}}}` is not a key path"))?;
        let found: Option<Vec<Seg>> = if dots == 0 {
            let bases: Vec<&[Seg]> = match self.roots {
                Roots::Document => vec![&[]],
                Roots::Nearest => (0..=container.len())
                    .rev()
                    .map(|n| &container[..n])
                    .collect(),
            };
            bases.into_iter().find_map(|base| {
                let mut p = base.to_vec();
                p.extend(segs.iter().cloned());
                node_at(self.root, &p).map(|_| p)
            })
        } else {
            let up = dots - 1;
            if up > container.len() {
                return Err(format!("`${{{key}}}` goes above the document root"));
            }
            let mut p = container[..container.len() - up].to_vec();
            p.extend(segs.iter().cloned());
            node_at(self.root, &p).map(|_| p)
        };
        let Some(path) = found else {
            return Err(format!("`${{{key}}}` refers to a missing key"));
        };
        let node = node_at(self.root, &path).expect("found above");
        match node {
            Node::Str(s) if has_interpolation(s) => {
                if self.visiting.borrow().contains(&path) {
                    return Err(format!("`${{{key}}}` is part of an interpolation cycle"));
                }
                self.visiting.borrow_mut().push(path.clone());
                let v = self.string(&path[..path.len() - 1], s, depth + 1, why);
                self.visiting.borrow_mut().pop();
                Ok(v)
            }
            n => n
                .scalar_text()
                .ok_or_else(|| format!("`${{{key}}}` refers to a container, not a string")),
        }
    }
}

/// `a.b[0].c` as segments; `None` for an empty segment.
fn parse_key(key: &str) -> Option<Vec<Seg>> {
    let mut segs = Vec::new();
    for part in key.split('.') {
        let (name, rest) = part.split_once('[').map_or((part, ""), |(n, r)| (n, r));
        if name.is_empty() && rest.is_empty() {
            return None;
        }
        if !name.is_empty() {
            segs.push(Seg::Key(name.to_owned()));
        }
        for idx in rest.split('[') {
            let idx = idx.trim_end_matches(']');
            if idx.is_empty() {
                continue;
            }
            segs.push(match idx.parse::<usize>() {
                Ok(i) => Seg::Index(i),
                Err(_) => Seg::Key(idx.to_owned()),
            });
        }
    }
    Some(segs)
}

/// A resolver's first argument and its default (the text after the first comma outside quotes).
fn split_args(args: &str) -> (String, Option<String>) {
    let b = args.as_bytes();
    let mut quote = None;
    for (i, &c) in b.iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'\'' || c == b'"' => quote = Some(c),
            None if c == b',' => {
                return (
                    args[..i].trim().to_owned(),
                    Some(args[i + 1..].trim().to_owned()),
                );
            }
            None => {}
        }
    }
    (args.trim().to_owned(), None)
}

fn unquote(s: String) -> String {
    let t = s.trim();
    for q in ['\'', '"'] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return t[1..t.len() - 1].to_owned();
        }
    }
    t.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tree::parse_yaml;

    fn res(doc: &str, path: &[&str]) -> Resolution {
        let root = parse_yaml(doc.as_bytes()).unwrap().remove(0);
        let path: Vec<Seg> = path.iter().map(|k| Seg::Key((*k).to_owned())).collect();
        let s = node_at(&root, &path).unwrap().as_str().unwrap().to_owned();
        resolve(&root, Roots::Document, &path, &s)
    }

    #[test]
    fn absolute_relative_nested_and_concatenated() {
        let doc = "mod: os\nfn: system\nm:\n  t: ${mod}.${fn}\n  r: ${..mod}.x\n  s: ${.u}\n  u: v\n  n: ${m.${sel}}\nsel: u\n";
        assert_eq!(res(doc, &["m", "t"]).value, "os.system");
        assert_eq!(res(doc, &["m", "r"]).value, "os.x");
        assert_eq!(res(doc, &["m", "s"]).value, "v");
        assert_eq!(res(doc, &["m", "n"]).value, "v");
        assert!(res(doc, &["m", "t"]).unresolved.is_empty());
    }

    #[test]
    fn chains_envs_cycles_and_escapes() {
        let doc = "a: ${b}\nb: ${c}\nc: os.system\nx: ${y}\ny: ${x}\ne: ${oc.env:T,os.system}\nf: \\${a}\ng: ${oc.select:nope,'builtins.eval'}\nh: ${foo:bar}\n";
        assert_eq!(res(doc, &["a"]).value, "os.system");
        assert!(!res(doc, &["x"]).unresolved.is_empty());
        let e = res(doc, &["e"]);
        assert_eq!(e.value, "os.system");
        assert_eq!(e.unresolved.len(), 1);
        assert_eq!(res(doc, &["f"]).value, "${a}");
        assert_eq!(res(doc, &["g"]).value, "builtins.eval");
        let h = res(doc, &["h"]);
        assert!(h.value.contains(UNKNOWN) && !h.unresolved.is_empty());
    }

    #[test]
    fn exponential_expansion_is_bounded() {
        let mut doc = String::from("l0: x\n");
        for i in 1..40 {
            doc.push_str(&format!("l{i}: ${{l{p}}}${{l{p}}}\n", p = i - 1));
        }
        let r = res(&doc, &["l39"]);
        assert!(!r.unresolved.is_empty());
    }
}
