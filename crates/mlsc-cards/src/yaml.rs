//! YAML front matter: parsed with `serde_norway` into a node tree that keeps what `serde_json::Value` would lose
//! (non-string keys, duplicate keys, explicit local tags), then converted to JSON. YAML is never re-emitted.
//!
//! `serde_norway` already refuses more than 128 levels of nesting and stops alias expansion that repeats too much
//! (the "billion laughs"); on top of that we bound the input size and the number of nodes built.

use std::cell::Cell;
use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde_json::Value;

/// A YAML node as parsed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Pairs in document order, duplicates kept.
    Map(Vec<(Node, Node)>),
    /// An explicit local tag (`!foo value`).
    Tagged(String, Box<Node>),
}

/// Why the front matter could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlError {
    pub(crate) message: String,
    /// 1-based line inside the YAML block, when the parser said.
    pub(crate) line: Option<u32>,
    pub(crate) column: Option<u32>,
    /// True when a resource limit (not a syntax error) stopped the parse.
    pub(crate) limit: bool,
}

struct Budget {
    nodes: Cell<usize>,
    max_nodes: usize,
    max_depth: usize,
}

struct Seed<'b> {
    budget: &'b Budget,
    depth: usize,
}

impl Seed<'_> {
    fn charge<E: de::Error>(&self) -> Result<(), E> {
        let n = self.budget.nodes.get() + 1;
        self.budget.nodes.set(n);
        if n > self.budget.max_nodes {
            return Err(E::custom(format_args!(
                "mlsc limit: more than {} YAML nodes",
                self.budget.max_nodes
            )));
        }
        if self.depth > self.budget.max_depth {
            return Err(E::custom(format_args!(
                "mlsc limit: YAML nested deeper than {} levels",
                self.budget.max_depth
            )));
        }
        Ok(())
    }
    fn child(&self) -> Seed<'_> {
        Seed {
            budget: self.budget,
            depth: self.depth + 1,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Node;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        self.charge()?;
        Ok(Node::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        self.charge()?;
        Ok(Node::Int(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        self.charge()?;
        Ok(Node::Int(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        self.charge()?;
        Ok(Node::Int(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        self.charge()?;
        Ok(i128::try_from(v).map_or(Node::Float(v as f64), Node::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        self.charge()?;
        Ok(Node::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        self.charge()?;
        Ok(Node::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        self.charge()?;
        Ok(Node::Str(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        self.charge()?;
        Ok(Node::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        self.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        self.charge()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.child())? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        self.charge()?;
        let mut pairs = Vec::new();
        while let Some(k) = map.next_key_seed(self.child())? {
            let v = map.next_value_seed(self.child())?;
            pairs.push((k, v));
        }
        Ok(Node::Map(pairs))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Node, A::Error> {
        self.charge()?;
        let (tag, variant): (String, _) = data.variant()?;
        let inner = variant.newtype_variant_seed(self.child())?;
        Ok(Node::Tagged(tag, Box::new(inner)))
    }
}

/// Parses one YAML document. An empty document (or one of only comments) is `Node::Null`.
pub(crate) fn parse(text: &str, max_nodes: usize, max_depth: usize) -> Result<Node, YamlError> {
    let budget = Budget {
        nodes: Cell::new(0),
        max_nodes,
        max_depth,
    };
    let de = serde_norway::Deserializer::from_str(text);
    match (Seed {
        budget: &budget,
        depth: 0,
    })
    .deserialize(de)
    {
        Ok(node) => Ok(node),
        Err(e) => {
            let msg = e.to_string();
            // An empty document is an error for serde but `None` for PyYAML: treat it as null.
            if is_blank_yaml(text) {
                return Ok(Node::Null);
            }
            let limit = msg.contains("mlsc limit")
                || msg.contains("recursion limit")
                || msg.contains("repetition limit");
            let loc = e.location();
            Err(YamlError {
                message: clean_message(&msg),
                line: loc
                    .as_ref()
                    .map(|l| u32::try_from(l.line()).unwrap_or(u32::MAX)),
                column: loc.map(|l| u32::try_from(l.column()).unwrap_or(u32::MAX)),
                limit,
            })
        }
    }
}

/// Strips the location suffix serde_norway appends (we report the line ourselves, relative to the file).
fn clean_message(msg: &str) -> String {
    let m = msg.split(" at line ").next().unwrap_or(msg);
    m.trim_end_matches('.').to_owned()
}

fn is_blank_yaml(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

impl Node {
    /// A short name of the node's type, as a reviewer reads it.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "boolean",
            Node::Int(_) => "integer",
            Node::Float(_) => "number",
            Node::Str(_) => "string",
            Node::Seq(_) => "list",
            Node::Map(_) => "mapping",
            Node::Tagged(..) => "tagged value",
        }
    }

    /// The key as a string, the way it reads in the document.
    pub(crate) fn key_string(&self) -> String {
        match self {
            Node::Str(s) => s.clone(),
            Node::Null => "null".to_owned(),
            Node::Bool(b) => b.to_string(),
            Node::Int(i) => i.to_string(),
            Node::Float(f) => f.to_string(),
            Node::Tagged(_, inner) => inner.key_string(),
            Node::Seq(_) | Node::Map(_) => "<complex key>".to_owned(),
        }
    }

    /// The JSON value: mapping keys become strings, the last of duplicate keys wins (as in PyYAML), tags are
    /// dropped, integers beyond 64 bits and non-finite floats become strings (JSON has no such numbers).
    pub(crate) fn to_json(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Int(i) => {
                if let Ok(v) = i64::try_from(*i) {
                    Value::from(v)
                } else if let Ok(v) = u64::try_from(*i) {
                    Value::from(v)
                } else {
                    Value::String(i.to_string())
                }
            }
            Node::Float(f) => serde_json::Number::from_f64(*f)
                .map_or_else(|| Value::String(f.to_string()), Value::Number),
            Node::Str(s) => Value::String(s.clone()),
            Node::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            Node::Map(pairs) => {
                let mut m = serde_json::Map::new();
                for (k, v) in pairs {
                    let key = k.key_string();
                    // Remove first so that the last duplicate also takes the last position, as a dict would.
                    m.remove(&key);
                    m.insert(key, v.to_json());
                }
                Value::Object(m)
            }
            Node::Tagged(_, inner) => inner.to_json(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_converts() {
        let n = parse("a: 1\nb: [x, 2.5]\nc:\nd: no\n1: k\n", 1000, 64).unwrap();
        let j = n.to_json();
        assert_eq!(j["a"], 1);
        assert_eq!(j["b"][1], 2.5);
        assert!(j["c"].is_null());
        // YAML 1.2: `no` is a string.
        assert_eq!(j["d"], "no");
        assert_eq!(j["1"], "k");
    }

    #[test]
    fn duplicates_last_wins() {
        let n = parse("a: 1\na: 2\n", 1000, 64).unwrap();
        assert_eq!(n.to_json()["a"], 2);
        let Node::Map(pairs) = n else { panic!() };
        assert_eq!(pairs.len(), 2);
    }

    #[test]
    fn empty_is_null() {
        assert_eq!(parse("", 10, 10).unwrap(), Node::Null);
        assert_eq!(parse("# only a comment\n", 10, 10).unwrap(), Node::Null);
    }

    #[test]
    fn syntax_error_has_line() {
        let e = parse("a: 1\nb: [\n", 1000, 64).unwrap_err();
        assert!(e.line.is_some());
        assert!(!e.limit);
    }

    #[test]
    fn limits() {
        let e = parse("[[[[[[1]]]]]]", 1000, 3).unwrap_err();
        assert!(e.limit, "{e:?}");
        let e = parse("[1,2,3,4,5,6]", 4, 10).unwrap_err();
        assert!(e.limit, "{e:?}");
        let bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";
        let e = parse(bomb, 100_000, 64).unwrap_err();
        assert!(e.limit, "{e:?}");
    }

    #[test]
    fn local_tags_kept() {
        let n = parse("a: !foo bar\n", 100, 10).unwrap();
        let Node::Map(p) = n else { panic!() };
        assert!(matches!(&p[0].1, Node::Tagged(t, _) if t == "foo"));
    }
}
