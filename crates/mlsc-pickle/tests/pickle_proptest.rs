//! Property: random benign pickles — plain data of every protocol, allowlisted reductions, memo reuse, frames —
//! are never flagged, and the streaming path agrees with the slice path.

use mlsc_pickle::{AnalyseOptions, analyse_pickle, analyse_reader};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum V {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    List(Vec<V>),
    Tuple(Vec<V>),
    Dict(Vec<(String, V)>),
    Set(Vec<i64>),
    OrderedDict(Vec<(String, V)>),
    Date(u8),
    /// A reference to an earlier memoized value (if any).
    Again(u8),
}

fn value() -> impl Strategy<Value = V> {
    let leaf = prop_oneof![
        Just(V::None),
        any::<bool>().prop_map(V::Bool),
        any::<i64>().prop_map(V::Int),
        (-1e6f64..1e6).prop_map(V::Float),
        "[a-zA-Z0-9 _.\u{e9}\u{4e2d}]{0,40}".prop_map(V::Str),
        prop::collection::vec(any::<u8>(), 0..40).prop_map(V::Bytes),
        any::<u8>().prop_map(V::Date),
        any::<u8>().prop_map(V::Again),
        prop::collection::vec(any::<i64>(), 0..5).prop_map(V::Set),
    ];
    leaf.prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(V::List),
            prop::collection::vec(inner.clone(), 0..5).prop_map(V::Tuple),
            prop::collection::vec(("[a-z]{1,8}", inner.clone()), 0..5).prop_map(V::Dict),
            prop::collection::vec(("[a-z]{1,8}", inner), 0..4).prop_map(V::OrderedDict),
        ]
    })
}

struct W {
    out: Vec<u8>,
    proto: u8,
    memo: u32,
}

impl W {
    fn memoize(&mut self) {
        if self.proto >= 4 {
            self.out.push(0x94);
        } else if self.proto >= 1 {
            if self.memo < 256 {
                self.out.extend_from_slice(&[b'q', self.memo as u8]);
            } else {
                self.out.push(b'r');
                self.out.extend_from_slice(&self.memo.to_le_bytes());
            }
        } else {
            self.out
                .extend_from_slice(format!("p{}\n", self.memo).as_bytes());
        }
        self.memo += 1;
    }

    fn global(&mut self, module: &str, name: &str) {
        if self.proto >= 4 {
            self.str(module);
            self.str(name);
            self.out.push(0x93);
        } else {
            let module = if self.proto < 3 && module == "builtins" {
                "__builtin__"
            } else {
                module
            };
            self.out
                .extend_from_slice(format!("c{module}\n{name}\n").as_bytes());
        }
    }

    fn str(&mut self, s: &str) {
        if self.proto >= 4 && s.len() < 256 {
            self.out.extend_from_slice(&[0x8c, s.len() as u8]);
            self.out.extend_from_slice(s.as_bytes());
        } else if self.proto >= 1 {
            self.out.push(b'X');
            self.out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            self.out.extend_from_slice(s.as_bytes());
        } else {
            self.out.push(b'V');
            for c in s.chars() {
                if c.is_ascii_alphanumeric() || c == ' ' || c == '_' || c == '.' {
                    self.out.push(c as u8);
                } else {
                    self.out
                        .extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes());
                }
            }
            self.out.push(b'\n');
        }
    }

    fn tuple_of(&mut self, n: usize) {
        match (self.proto >= 2, n) {
            (true, 0) => self.out.push(b')'),
            (true, 1) => self.out.push(0x85),
            (true, 2) => self.out.push(0x86),
            (true, 3) => self.out.push(0x87),
            _ => unreachable!("callers open a MARK for other sizes"),
        }
    }

    fn items(&mut self, items: &[(String, V)]) {
        self.out.push(b'(');
        for (k, v) in items {
            self.str(k);
            self.value(v);
        }
        self.out.push(b'u');
    }

    fn value(&mut self, v: &V) {
        let p = self.proto;
        match v {
            V::None => self.out.push(b'N'),
            V::Bool(b) if p >= 2 => self.out.push(if *b { 0x88 } else { 0x89 }),
            V::Bool(b) => self
                .out
                .extend_from_slice(if *b { b"I01\n" } else { b"I00\n" }),
            V::Int(i) if p >= 2 => {
                let b = i.to_le_bytes();
                self.out.extend_from_slice(&[0x8a, 8]);
                self.out.extend_from_slice(&b);
            }
            V::Int(i) if p == 1 && i32::try_from(*i).is_ok() => {
                self.out.push(b'J');
                self.out.extend_from_slice(&(*i as i32).to_le_bytes());
            }
            V::Int(i) => self.out.extend_from_slice(format!("L{i}L\n").as_bytes()),
            V::Float(f) if p >= 1 => {
                self.out.push(b'G');
                self.out.extend_from_slice(&f.to_be_bytes());
            }
            V::Float(f) => self.out.extend_from_slice(format!("F{f:?}\n").as_bytes()),
            V::Str(s) => {
                self.str(s);
                self.memoize();
            }
            V::Bytes(b) if p >= 3 => {
                self.out.push(b'B');
                self.out.extend_from_slice(&(b.len() as u32).to_le_bytes());
                self.out.extend_from_slice(b);
                self.memoize();
            }
            V::Bytes(b) => {
                // What pickle writes for bytes below protocol 3.
                self.global("_codecs", "encode");
                let latin1: String = b.iter().map(|&c| c as char).collect();
                if p >= 2 {
                    self.str(&latin1);
                    self.str("latin1");
                    self.tuple_of(2);
                } else {
                    self.out.push(b'(');
                    self.str(&latin1);
                    self.str("latin1");
                    self.out.push(b't');
                }
                self.out.push(b'R');
                self.memoize();
            }
            V::List(items) => {
                if p >= 1 {
                    self.out.push(b']');
                    self.memoize();
                    self.out.push(b'(');
                    for it in items {
                        self.value(it);
                    }
                    self.out.push(b'e');
                } else {
                    self.out.push(b'(');
                    self.out.push(b'l');
                    self.memoize();
                    for it in items {
                        self.value(it);
                        self.out.push(b'a');
                    }
                }
            }
            V::Tuple(items) if p >= 2 && items.len() <= 3 => {
                for it in items {
                    self.value(it);
                }
                self.tuple_of(items.len());
                self.memoize();
            }
            V::Tuple(items) => {
                self.out.push(b'(');
                for it in items {
                    self.value(it);
                }
                self.out.push(b't');
                self.memoize();
            }
            V::Dict(items) => {
                if p >= 1 {
                    self.out.push(b'}');
                    self.memoize();
                    self.items(items);
                } else {
                    self.out.push(b'(');
                    self.out.push(b'd');
                    self.memoize();
                    for (k, v) in items {
                        self.str(k);
                        self.value(v);
                        self.out.push(b's');
                    }
                }
            }
            V::Set(items) if p >= 4 => {
                self.out.push(0x8f);
                self.memoize();
                self.out.push(b'(');
                for i in items {
                    self.value(&V::Int(*i));
                }
                self.out.push(0x90);
            }
            V::Set(items) => {
                self.global("builtins", "set");
                self.out.push(b'(');
                self.value(&V::List(items.iter().map(|i| V::Int(*i)).collect()));
                self.out.push(b't');
                self.out.push(b'R');
                self.memoize();
            }
            V::OrderedDict(items) => {
                self.global("collections", "OrderedDict");
                self.out.push(b'(');
                self.out.push(b't');
                self.out.push(b'R');
                self.memoize();
                if p >= 1 {
                    self.items(items);
                } else {
                    for (k, v) in items {
                        self.str(k);
                        self.value(v);
                        self.out.push(b's');
                    }
                }
            }
            V::Date(d) => {
                self.global("datetime", "date");
                self.out.push(b'(');
                self.value(&V::Bytes(vec![7, 228, 1, 1 + d % 28]));
                self.out.push(b't');
                self.out.push(b'R');
                self.memoize();
            }
            V::Again(i) => {
                if self.memo == 0 {
                    self.out.push(b'N');
                } else {
                    let idx = u32::from(*i) % self.memo;
                    match p {
                        0 => self.out.extend_from_slice(format!("g{idx}\n").as_bytes()),
                        _ => {
                            self.out.push(b'j');
                            self.out.extend_from_slice(&idx.to_le_bytes());
                        }
                    }
                }
            }
        }
    }
}

fn encode(v: &V, proto: u8, frame: bool) -> Vec<u8> {
    let mut w = W {
        out: Vec::new(),
        proto,
        memo: 0,
    };
    w.value(v);
    w.out.push(b'.');
    let mut out = Vec::new();
    if proto >= 2 {
        out.extend_from_slice(&[0x80, proto]);
    }
    if proto >= 4 && frame {
        out.push(0x95);
        out.extend_from_slice(&(w.out.len() as u64).to_le_bytes());
    }
    out.extend_from_slice(&w.out);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn benign_pickles_are_clean(v in value(), proto in 0u8..=5, frame in any::<bool>()) {
        let data = encode(&v, proto, frame);
        let a = analyse_pickle(&data, &AnalyseOptions::default());
        prop_assert!(
            a.verdict.is_clean(),
            "{:?}\n{:?}",
            a.findings.iter().map(|f| &f.message).collect::<Vec<_>>(),
            data
        );
        let b = analyse_reader(&data[..], &AnalyseOptions::default()).unwrap();
        prop_assert_eq!(a.verdict, b.verdict);
    }
}
