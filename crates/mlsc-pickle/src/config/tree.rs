//! One document tree for YAML, JSON, TOML and the dicts found in pickles, built under budgets.
//!
//! YAML aliases are expanded by the deserializer (`serde_norway` re-reads the anchored events for every alias), so
//! a billion-laughs document would expand into gigabytes: every node and every string byte is charged to a
//! [`Budget`] while the tree is built, and the parse stops when it runs out.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};

/// A value of a configuration document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    /// A number, as written.
    Num(String),
    Str(String),
    Seq(Vec<Node>),
    /// Keys in document order (a YAML key that is not a scalar is kept as `<complex key>`).
    Map(Vec<(String, Node)>),
    /// Something that is not data (an object in a pickle, bytes).
    Opaque,
}

impl Node {
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(m) => m.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    #[cfg(test)]
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }

    /// True for the values Python code treats as true in `if trust_remote_code:` (YAML 1.1 spellings included:
    /// PyYAML reads `yes` and `on` as booleans).
    pub(crate) fn truthy(&self) -> bool {
        match self {
            Node::Bool(b) => *b,
            Node::Num(n) => n.parse::<f64>().is_ok_and(|f| f != 0.0),
            Node::Str(s) => matches!(
                s.trim().to_ascii_lowercase().as_str(),
                "true" | "yes" | "on" | "y" | "1"
            ),
            _ => false,
        }
    }

    /// The scalar as OmegaConf's string interpolation renders it, `None` for containers.
    pub(crate) fn scalar_text(&self) -> Option<String> {
        match self {
            Node::Null => Some("None".into()),
            Node::Bool(b) => Some(if *b { "True" } else { "False" }.into()),
            Node::Num(n) => Some(n.clone()),
            Node::Str(s) => Some(s.clone()),
            _ => None,
        }
    }
}

/// What a document may cost: nodes, string bytes and nesting depth.
#[derive(Debug)]
pub(crate) struct Budget {
    nodes: Cell<u64>,
    bytes: Cell<u64>,
    max_depth: u32,
    /// Applies YAML merge keys (`<<: *base`), as PyYAML's SafeLoader (and so OmegaConf) does.
    yaml: bool,
}

/// Most nodes of one document, aliases expanded. A 3 MB `tokenizer_config.json` has about 100k.
pub(crate) const MAX_NODES: u64 = 2_000_000;
/// Most string bytes of one document, aliases expanded.
pub(crate) const MAX_STRING_BYTES: u64 = 64 << 20;
/// Deepest nesting; below serde_json's and serde_norway's own recursion limits (128), so ours is the one hit.
pub(crate) const MAX_DEPTH: u32 = 100;

/// Why a document was not turned into a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ParseError {
    /// A budget ran out: the document is too large or expands too much (aliases).
    Limit(String),
    /// Not valid in its syntax.
    Syntax(String),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Limit(s) | ParseError::Syntax(s) => f.write_str(s),
        }
    }
}

const LIMIT_TAG: &str = "mlsc limit: ";

impl Budget {
    pub(crate) fn new(yaml: bool) -> Self {
        Budget {
            nodes: Cell::new(MAX_NODES),
            bytes: Cell::new(MAX_STRING_BYTES),
            max_depth: MAX_DEPTH,
            yaml,
        }
    }

    fn charge<E: de::Error>(&self, bytes: usize) -> Result<(), E> {
        let n = self.nodes.get();
        let b = self.bytes.get();
        if n == 0 {
            return Err(E::custom(format!(
                "{LIMIT_TAG}more than {MAX_NODES} nodes (aliases expanded)"
            )));
        }
        if (bytes as u64) > b {
            return Err(E::custom(format!(
                "{LIMIT_TAG}more than {MAX_STRING_BYTES} bytes of strings (aliases expanded)"
            )));
        }
        self.nodes.set(n - 1);
        self.bytes.set(b - bytes as u64);
        Ok(())
    }

    /// Charges a node built outside a deserializer (the pickle walk); false when the budget is spent.
    pub(crate) fn take(&self, bytes: usize) -> bool {
        self.charge::<de::value::Error>(bytes).is_ok()
    }

    fn classify(msg: String) -> ParseError {
        match msg.find(LIMIT_TAG) {
            Some(i) => ParseError::Limit(msg[i + LIMIT_TAG.len()..].to_owned()),
            None if msg.contains("recursion limit") || msg.contains("repetition limit") => {
                ParseError::Limit(msg)
            }
            None => ParseError::Syntax(msg),
        }
    }
}

#[derive(Clone, Copy)]
struct Seed<'b> {
    budget: &'b Budget,
    depth: u32,
}

impl Seed<'_> {
    fn deeper<E: de::Error>(self) -> Result<Self, E> {
        if self.depth >= self.budget.max_depth {
            return Err(E::custom(format!(
                "{LIMIT_TAG}nested deeper than {}",
                self.budget.max_depth
            )));
        }
        Ok(Seed {
            budget: self.budget,
            depth: self.depth + 1,
        })
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Node;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any configuration value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        self.budget.charge(0)?;
        Ok(Node::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        self.budget.charge(0)?;
        Ok(Node::Num(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        self.budget.charge(0)?;
        Ok(Node::Num(v.to_string()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        self.budget.charge(0)?;
        Ok(Node::Num(v.to_string()))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        self.budget.charge(0)?;
        Ok(Node::Num(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        self.budget.charge(0)?;
        Ok(Node::Num(v.to_string()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        self.budget.charge(v.len())?;
        Ok(Node::Str(v.to_owned()))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Node, E> {
        self.budget.charge(v.len())?;
        Ok(Node::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        self.budget.charge(0)?;
        Ok(Node::Null)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        self.visit_none()
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        self.budget.charge(0)?;
        let inner = self.deeper()?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(inner)? {
            out.push(v);
        }
        Ok(Node::Seq(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        self.budget.charge(0)?;
        let inner = self.deeper()?;
        let mut out: Vec<(String, Node)> = Vec::new();
        while let Some(k) = map.next_key_seed(inner)? {
            let v = map.next_value_seed(inner)?;
            let key = k.scalar_text().unwrap_or_else(|| "<complex key>".into());
            // PyYAML's bool/null keys render as Python does; `true:` is `True` there but OmegaConf rejects it.
            out.push((key, v));
        }
        if self.budget.yaml {
            out = merge_keys(out);
        }
        Ok(Node::Map(out))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Node, A::Error> {
        // serde_norway hands a value with a local `!tag` over as an enum whose variant is the tag. The tag is
        // dropped here: the python tags are found by the lexical scan (`tags.rs`), and a local tag makes no code.
        let (_tag, variant): (Node, _) = data.variant_seed(self)?;
        variant.newtype_variant_seed(self.deeper()?)
    }
}

/// YAML merge keys: `<<: *base` or `<<: [*a, *b]` add the entries the mapping does not set itself.
fn merge_keys(entries: Vec<(String, Node)>) -> Vec<(String, Node)> {
    if !entries.iter().any(|(k, _)| k == "<<") {
        return entries;
    }
    let mut own = Vec::new();
    let mut merged = Vec::new();
    for (k, v) in entries {
        if k == "<<" {
            match v {
                Node::Map(m) => merged.push(m),
                Node::Seq(s) => merged.extend(s.into_iter().filter_map(|n| match n {
                    Node::Map(m) => Some(m),
                    _ => None,
                })),
                other => own.push((k, other)),
            }
        } else {
            own.push((k, v));
        }
    }
    let mut have: std::collections::HashSet<String> = own.iter().map(|(k, _)| k.clone()).collect();
    for m in merged {
        for (k, v) in m {
            if have.insert(k.clone()) {
                own.push((k, v));
            }
        }
    }
    own
}

/// Parses JSON text.
pub(crate) fn parse_json(text: &[u8]) -> Result<Node, ParseError> {
    let budget = Budget::new(false);
    let mut de = serde_json::Deserializer::from_slice(text);
    let node = Seed {
        budget: &budget,
        depth: 0,
    }
    .deserialize(&mut de)
    .map_err(|e| Budget::classify(e.to_string()))?;
    de.end().map_err(|e| Budget::classify(e.to_string()))?;
    Ok(node)
}

/// Parses YAML text: every document of the stream.
pub(crate) fn parse_yaml(text: &[u8]) -> Result<Vec<Node>, ParseError> {
    // libyaml's flow collections cost quadratic time in their nesting: 50 000 nested `{a: ` (200 KB) took 26 s.
    // Nothing a loader reads nests 100 deep, so deeper flow nesting is refused before parsing.
    if bracket_nesting(text) > MAX_DEPTH as usize {
        return Err(ParseError::Limit(format!(
            "flow collections nested deeper than {MAX_DEPTH}"
        )));
    }
    let budget = Budget::new(true);
    // serde_norway asserts internal invariants with panics (`unexpected end of mapping`); none is known to be
    // reachable from input, but a scanner must survive hostile bytes, so a panic is a parse error here.
    let run = || -> Result<Vec<Node>, ParseError> {
        let mut docs = Vec::new();
        for doc in serde_norway::Deserializer::from_slice(text) {
            let node = Seed {
                budget: &budget,
                depth: 0,
            }
            .deserialize(doc)
            .map_err(|e| Budget::classify(e.to_string()))?;
            docs.push(node);
        }
        Ok(docs)
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run))
        .unwrap_or_else(|_| Err(ParseError::Syntax("the YAML parser gave up".into())))
}

/// Parses TOML text.
pub(crate) fn parse_toml(text: &str) -> Result<Node, ParseError> {
    if bracket_nesting(text.as_bytes()) > MAX_DEPTH as usize {
        return Err(ParseError::Limit(format!("nested deeper than {MAX_DEPTH}")));
    }
    let table: toml::Table = toml::from_str(text).map_err(|e| ParseError::Syntax(e.to_string()))?;
    let budget = Budget::new(false);
    from_toml(&toml::Value::Table(table), &budget, 0)
}

/// An upper bound of the bracket nesting of YAML or TOML text (brackets inside strings counted too): parsers
/// recurse on inline arrays and tables.
fn bracket_nesting(text: &[u8]) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for &b in text {
        match b {
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

fn from_toml(v: &toml::Value, budget: &Budget, depth: u32) -> Result<Node, ParseError> {
    let limit = || ParseError::Limit("more nodes or string bytes than the budget".into());
    if depth > MAX_DEPTH {
        return Err(ParseError::Limit(format!("nested deeper than {MAX_DEPTH}")));
    }
    Ok(match v {
        toml::Value::String(s) => {
            if !budget.take(s.len()) {
                return Err(limit());
            }
            Node::Str(s.clone())
        }
        toml::Value::Integer(i) => Node::Num(i.to_string()),
        toml::Value::Float(f) => Node::Num(f.to_string()),
        toml::Value::Boolean(b) => Node::Bool(*b),
        toml::Value::Datetime(d) => Node::Str(d.to_string()),
        toml::Value::Array(a) => Node::Seq(
            a.iter()
                .map(|x| from_toml(x, budget, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        toml::Value::Table(t) => Node::Map(
            t.iter()
                .map(|(k, x)| Ok((k.clone(), from_toml(x, budget, depth + 1)?)))
                .collect::<Result<_, ParseError>>()?,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_json_toml_become_one_tree() {
        let y = parse_yaml(b"a: 1\nb: [x, {c: true}]\n").unwrap();
        let j = parse_json(br#"{"a": 1, "b": ["x", {"c": true}]}"#).unwrap();
        let t = parse_toml("a = 1\nb = [\"x\", {c = true}]\n").unwrap();
        assert_eq!(y, vec![j.clone()]);
        assert_eq!(t, j);
    }

    #[test]
    fn serde_norway_drops_python_tags() {
        // Why tags.rs exists: the YAML parser resolves `!!python/...` to a `tag:yaml.org,2002:` tag and then ignores
        // it, so the tree shows plain data where PyYAML would call os.system.
        let y = parse_yaml(b"a: !!python/object/apply:os.system [echo]\n").unwrap();
        assert_eq!(
            y[0].get("a"),
            Some(&Node::Seq(vec![Node::Str("echo".into())]))
        );
    }

    #[test]
    fn merge_keys_apply() {
        let y = parse_yaml(b"base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n").unwrap();
        let d = y[0].get("d").unwrap();
        assert_eq!(d.get("x"), Some(&Node::Num("1".into())));
        assert_eq!(d.get("y"), Some(&Node::Num("3".into())));
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut doc = String::from(
            "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for i in 1..10 {
            let p = i - 1;
            doc.push_str(&format!(
                "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
            ));
        }
        match parse_yaml(doc.as_bytes()) {
            Err(ParseError::Limit(_)) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn deep_nesting_is_a_limit_not_a_crash() {
        let deep = "[".repeat(5000);
        assert!(matches!(
            parse_json(deep.as_bytes()),
            Err(ParseError::Limit(_))
        ));
        assert!(parse_yaml(deep.as_bytes()).is_err());
        assert!(matches!(
            parse_toml(&format!("a = {deep}")),
            Err(ParseError::Limit(_))
        ));
    }
}
