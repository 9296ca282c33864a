//! Configs inside pickles: Lightning's `hyper_parameters` (a dict, an `AttributeDict` or an OmegaConf
//! `DictConfig`) and strings that hold whole YAML or JSON configs.
//!
//! This is not a second pickle analyser: the callables a pickle invokes are the symbolic machine's business. Here
//! the opcode stream (decoded with mlsc-core's table) is replayed for its *data* only: strings, numbers, lists,
//! tuples and dicts; every object is opaque, except that an object filled by `SETITEMS` is a dict and one given a
//! dict state by `BUILD` becomes that state, which is how `AttributeDict` and `DictConfig` look once unpickled.
//! `DictConfig` keeps its values in `_content` and wraps each leaf in a node with `_val`; both are unwrapped.
//!
//! A dict referenced through the memo after it was filled shows up as opaque in the final tree (the memo keeps a
//! copy made when it was stored, usually empty), so every `_target_` set by `SETITEM(S)` is also recorded when it
//! is set, and the ones the final tree does not show are judged on their own.

use mlsc_core::Location;
use mlsc_core::pickle_ops;

use super::interp::Roots;
use super::tree::{Budget, Node};
use super::{MARKERS, TARGET_KEYS, scan_embedded, targets_in, walk_tree};
use crate::scan::Ctx;

/// Most opcodes replayed. Each makes at most one node, so this bounds the tree too (about 56 bytes a node). A
/// Lightning checkpoint's `data.pkl` has tens of thousands: about 15 per tensor of the state dict and optimizer.
const MAX_OPS: u64 = 2_000_000;
const MAX_STACK: usize = 1_000_000;
const MAX_MEMO: usize = 4_000_000;
const MAX_EMBEDDED: usize = 64;

enum Item {
    Mark,
    Node(Node),
}

/// Replays the first pickle of `data` for configs; findings are located in `loc`.
pub(crate) fn scan_pickle(ctx: &mut Ctx<'_>, data: &[u8], loc: &Location, base: u64) {
    // A pickle with no string that could make a config is the common case (tensors, state dicts): skip it for
    // the cost of one search per marker.
    if !MARKERS
        .iter()
        .any(|m| memchr::memmem::find(data, m.as_bytes()).is_some())
    {
        return;
    }
    let r = replay(data);
    let mut loc = loc.clone();
    loc.offset = None;
    if r.limited {
        ctx.not_analysed(
            &crate::rules::CONFIG_LIMIT,
            loc.clone(),
            format!(
                "the pickle names config keys but is larger than the config replay's limits ({MAX_OPS} opcodes, \
                 {MAX_STACK} stack items, {MAX_MEMO} memo entries): its configs were not (fully) analysed"
            ),
        );
    }
    if let Some(root) = &r.root {
        let root = unwrap_omegaconf(root.clone(), 0);
        let seen: std::collections::HashSet<String> = targets_in(&root).into_iter().collect();
        walk_tree(ctx, &root, &loc, Roots::Nearest);
        for (off, key, value) in r.set_targets.into_iter().take(MAX_EMBEDDED) {
            if !seen.contains(&value) {
                let node = Node::Map(vec![(key, Node::Str(value))]);
                walk_tree(
                    ctx,
                    &node,
                    &loc.clone().at_offset(base + off),
                    Roots::Nearest,
                );
            }
        }
    }
    for (off, s) in r.embedded {
        scan_embedded(ctx, &s, &loc.clone().at_offset(base + off));
    }
}

struct Replay {
    root: Option<Node>,
    /// `_target_`-like keys set by SETITEM(S): offset, key, value.
    set_targets: Vec<(u64, String, String)>,
    /// Strings that carry a config marker, with their offsets.
    embedded: Vec<(u64, String)>,
    /// True when a limit stopped the replay before `STOP`.
    limited: bool,
}

fn replay(data: &[u8]) -> Replay {
    let mut out = Replay {
        root: None,
        set_targets: Vec::new(),
        embedded: Vec::new(),
        limited: false,
    };
    let budget = Budget::new(false);
    let mut stack: Vec<Item> = Vec::new();
    let mut memo: std::collections::HashMap<u64, Node> = std::collections::HashMap::new();
    let mut pos = 0usize;
    let mut ops = 0u64;
    let pop = |stack: &mut Vec<Item>| match stack.pop() {
        Some(Item::Node(n)) => n,
        _ => Node::Opaque,
    };
    let pop_mark = |stack: &mut Vec<Item>| -> Vec<Node> {
        let at = stack.iter().rposition(|i| matches!(i, Item::Mark));
        let items = stack.split_off(at.map_or(0, |a| a + 1));
        if at.is_some() {
            stack.pop();
        }
        items
            .into_iter()
            .map(|i| match i {
                Item::Node(n) => n,
                Item::Mark => Node::Opaque,
            })
            .collect()
    };
    while pos < data.len() {
        ops += 1;
        if ops > MAX_OPS || stack.len() > MAX_STACK || memo.len() > MAX_MEMO {
            out.limited = true;
            break;
        }
        let Ok(op) = pickle_ops::decode_at(data, pos) else {
            break;
        };
        let off = pos as u64;
        let arg = &data[op.arg.0..op.arg.1];
        pos = op.next;
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let push_str = |stack: &mut Vec<Item>, s: String, out: &mut Replay| {
            if !budget.take(s.len()) {
                out.limited = true;
                stack.push(Item::Node(Node::Opaque));
                return;
            }
            if s.len() >= 16
                && out.embedded.len() < MAX_EMBEDDED
                && (s.contains('\n') || s.trim_start().starts_with('{'))
                && MARKERS.iter().any(|m| s.contains(m))
            {
                out.embedded.push((off, s.clone()));
            }
            stack.push(Item::Node(Node::Str(s)));
        };
        match op.op.name {
            "STOP" => {
                out.root = Some(pop(&mut stack));
                break;
            }
            "MARK" => stack.push(Item::Mark),
            "SHORT_BINUNICODE" | "BINUNICODE" | "BINUNICODE8" | "SHORT_BINSTRING" | "BINSTRING" => {
                push_str(&mut stack, text(arg), &mut out);
            }
            "UNICODE" => push_str(&mut stack, raw_unicode_escape(arg), &mut out),
            "STRING" => push_str(&mut stack, repr_string(arg), &mut out),
            "NONE" => stack.push(Item::Node(Node::Null)),
            "NEWTRUE" => stack.push(Item::Node(Node::Bool(true))),
            "NEWFALSE" => stack.push(Item::Node(Node::Bool(false))),
            "INT" => stack.push(Item::Node(match arg {
                b"01" => Node::Bool(true),
                b"00" => Node::Bool(false),
                _ => Node::Num(text(arg)),
            })),
            "BININT" | "BININT1" | "BININT2" => {
                let mut buf = [0u8; 4];
                buf[..arg.len()].copy_from_slice(arg);
                let v = if arg.len() == 4 {
                    i64::from(i32::from_le_bytes(buf))
                } else {
                    i64::from(u32::from_le_bytes(buf))
                };
                stack.push(Item::Node(Node::Num(v.to_string())));
            }
            "LONG" | "FLOAT" => stack.push(Item::Node(Node::Num(text(arg)))),
            "BINFLOAT" => {
                let v = arg
                    .try_into()
                    .map(|b: [u8; 8]| f64::from_be_bytes(b).to_string())
                    .unwrap_or_default();
                stack.push(Item::Node(Node::Num(v)));
            }
            "LONG1" | "LONG4" => stack.push(Item::Node(Node::Num("0".into()))),
            "EMPTY_DICT" => stack.push(Item::Node(Node::Map(Vec::new()))),
            "EMPTY_LIST" | "EMPTY_TUPLE" => stack.push(Item::Node(Node::Seq(Vec::new()))),
            "DICT" => {
                let items = pop_mark(&mut stack);
                stack.push(Item::Node(Node::Map(pairs(items, off, &mut out))));
            }
            "LIST" | "TUPLE" => {
                let items = pop_mark(&mut stack);
                stack.push(Item::Node(Node::Seq(items)));
            }
            "TUPLE1" | "TUPLE2" | "TUPLE3" => {
                let n = usize::from(op.op.code - 0x84);
                let mut items: Vec<Node> = (0..n).map(|_| pop(&mut stack)).collect();
                items.reverse();
                stack.push(Item::Node(Node::Seq(items)));
            }
            "SETITEM" | "SETITEMS" => {
                let items = if op.op.name == "SETITEM" {
                    let v = pop(&mut stack);
                    let k = pop(&mut stack);
                    vec![k, v]
                } else {
                    pop_mark(&mut stack)
                };
                let new = pairs(items, off, &mut out);
                if let Some(Item::Node(top)) = stack.last_mut() {
                    match top {
                        Node::Map(m) => m.extend(new),
                        // A dict subclass (AttributeDict, OrderedDict) filled after it was created.
                        other => *other = Node::Map(new),
                    }
                }
            }
            "APPEND" | "APPENDS" | "ADDITEMS" => {
                let items = if op.op.name == "APPEND" {
                    vec![pop(&mut stack)]
                } else {
                    pop_mark(&mut stack)
                };
                if let Some(Item::Node(top)) = stack.last_mut() {
                    match top {
                        Node::Seq(s) => s.extend(items),
                        other => *other = Node::Seq(items),
                    }
                }
            }
            "BUILD" => {
                let state = pop(&mut stack);
                let state = match state {
                    // (state, slotstate)
                    Node::Seq(mut s) if s.len() == 2 => {
                        let slots = s.pop().unwrap_or(Node::Null);
                        let first = s.pop().unwrap_or(Node::Null);
                        match (first, slots) {
                            (Node::Map(mut a), Node::Map(b)) => {
                                a.extend(b);
                                Node::Map(a)
                            }
                            (Node::Map(a), _) | (_, Node::Map(a)) => Node::Map(a),
                            _ => Node::Opaque,
                        }
                    }
                    s => s,
                };
                if let (Some(Item::Node(top)), Node::Map(st)) = (stack.last_mut(), state) {
                    match top {
                        Node::Map(m) => m.extend(st),
                        other => *other = Node::Map(st),
                    }
                }
            }
            "POP" => {
                stack.pop();
            }
            "POP_MARK" => {
                pop_mark(&mut stack);
            }
            "DUP" => {
                if let Some(Item::Node(n)) = stack.last() {
                    let n = n.clone();
                    stack.push(Item::Node(n));
                }
            }
            "PUT" | "BINPUT" | "LONG_BINPUT" | "MEMOIZE" => {
                let idx = match op.op.name {
                    "MEMOIZE" => memo.len() as u64,
                    "PUT" => text(arg).trim().parse().unwrap_or(u64::MAX),
                    _ => {
                        let mut buf = [0u8; 8];
                        buf[..arg.len()].copy_from_slice(arg);
                        u64::from_le_bytes(buf)
                    }
                };
                let value = match stack.last() {
                    // Containers are stored as placeholders: they are usually still empty here, and copying a
                    // filled one for every reference could multiply the tree.
                    Some(Item::Node(
                        n @ (Node::Str(_) | Node::Num(_) | Node::Bool(_) | Node::Null),
                    )) => n.clone(),
                    _ => Node::Opaque,
                };
                memo.insert(idx, value);
            }
            "GET" | "BINGET" | "LONG_BINGET" => {
                let idx = if op.op.name == "GET" {
                    text(arg).trim().parse().unwrap_or(u64::MAX)
                } else {
                    let mut buf = [0u8; 8];
                    buf[..arg.len()].copy_from_slice(arg);
                    u64::from_le_bytes(buf)
                };
                let n = memo.get(&idx).cloned().unwrap_or(Node::Opaque);
                stack.push(Item::Node(n));
            }
            "STACK_GLOBAL" | "REDUCE" | "NEWOBJ" => {
                pop(&mut stack);
                pop(&mut stack);
                stack.push(Item::Node(Node::Opaque));
            }
            "BINPERSID" => {
                pop(&mut stack);
                stack.push(Item::Node(Node::Opaque));
            }
            "NEWOBJ_EX" => {
                for _ in 0..3 {
                    pop(&mut stack);
                }
                stack.push(Item::Node(Node::Opaque));
            }
            "OBJ" | "INST" | "FROZENSET" => {
                pop_mark(&mut stack);
                stack.push(Item::Node(Node::Opaque));
            }
            "PROTO" | "FRAME" | "READONLY_BUFFER" => {}
            // GLOBAL, PERSID, bytes, EMPTY_SET, NEXT_BUFFER, EXT1/2/4: one opaque value.
            _ => stack.push(Item::Node(Node::Opaque)),
        }
    }
    out
}

/// Key/value pairs of a SETITEMS or DICT, recording target keys as they are set.
fn pairs(items: Vec<Node>, off: u64, out: &mut Replay) -> Vec<(String, Node)> {
    let mut it = items.into_iter();
    let mut m = Vec::new();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        let key = k.scalar_text().unwrap_or_else(|| "<object>".into());
        if TARGET_KEYS.contains(&key.as_str())
            && let Node::Str(s) = leaf(&v)
        {
            out.set_targets.push((off, key.clone(), s.clone()));
        }
        m.push((key, v));
    }
    m
}

/// The value an OmegaConf value node wraps (`{_val: x, _metadata: …}`), or the node itself.
fn leaf(n: &Node) -> &Node {
    match n.get("_val") {
        Some(v) if n.get("_metadata").is_some() || n.get("_parent").is_some() => v,
        _ => n,
    }
}

/// Turns OmegaConf containers back into plain trees: `DictConfig`/`ListConfig` state to its `_content`, value
/// nodes to their `_val`.
fn unwrap_omegaconf(n: Node, depth: u32) -> Node {
    if depth > 200 {
        return Node::Opaque;
    }
    let omegaconf = n.get("_metadata").is_some() || n.get("_parent").is_some();
    let n = if omegaconf {
        match (&n.get("_content"), &n.get("_val")) {
            (Some(c), _) => (*c).clone(),
            (None, Some(v)) => (*v).clone(),
            _ => n,
        }
    } else {
        n
    };
    match n {
        Node::Map(m) => Node::Map(
            m.into_iter()
                .map(|(k, v)| (k, unwrap_omegaconf(v, depth + 1)))
                .collect(),
        ),
        Node::Seq(s) => Node::Seq(
            s.into_iter()
                .map(|v| unwrap_omegaconf(v, depth + 1))
                .collect(),
        ),
        other => other,
    }
}

/// Protocol 0 `UNICODE`: raw-unicode-escape (only `\uXXXX` and `\UXXXXXXXX` are escapes).
fn raw_unicode_escape(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && matches!(chars.peek(), Some('u' | 'U')) {
            let n = if chars.next() == Some('u') { 4 } else { 8 };
            let hex: String = (0..n).filter_map(|_| chars.next()).collect();
            match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                Some(ch) => out.push(ch),
                None => out.push_str(&hex),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Protocol 0 `STRING`: a Python repr, quotes and simple escapes.
fn repr_string(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    let t = s.trim();
    // Not sliced by length: the last character may be multi-byte (fuzzing found `S"""\xaf`).
    let inner = ['\'', '"']
        .into_iter()
        .find_map(|q| t.strip_prefix(q).map(|r| r.strip_suffix(q).unwrap_or(r)))
        .unwrap_or(t);
    inner
        .replace("\\'", "'")
        .replace("\\n", "\n")
        .replace("\\\\", "\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dicts_and_omegaconf_nodes() {
        // pickle.dumps({'hyper_parameters': {'_target_': 'os.system', 'x': [1, True]}}, protocol=2)
        let p = b"\x80\x02}q\x00X\x10\x00\x00\x00hyper_parametersq\x01}q\x02(X\x08\x00\x00\x00_target_q\x03X\t\x00\x00\x00os.systemq\x04X\x01\x00\x00\x00xq\x05]q\x06(K\x01\x88eus.";
        let r = replay(p);
        let root = r.root.unwrap();
        let hp = root.get("hyper_parameters").unwrap();
        assert_eq!(hp.get("_target_"), Some(&Node::Str("os.system".into())));
        assert_eq!(
            hp.get("x"),
            Some(&Node::Seq(vec![Node::Num("1".into()), Node::Bool(true)]))
        );
        assert_eq!(r.set_targets.len(), 1);
        let wrapped = Node::Map(vec![
            ("_metadata".into(), Node::Opaque),
            (
                "_content".into(),
                Node::Map(vec![(
                    "_target_".into(),
                    Node::Map(vec![
                        ("_metadata".into(), Node::Opaque),
                        ("_val".into(), Node::Str("os.system".into())),
                    ]),
                )]),
            ),
        ]);
        assert_eq!(
            unwrap_omegaconf(wrapped, 0),
            Node::Map(vec![("_target_".into(), Node::Str("os.system".into()))])
        );
    }

    #[test]
    fn long_streams_are_limited_not_silent() {
        let mut p = b"\x80\x02".to_vec();
        for _ in 0..MAX_OPS {
            p.extend_from_slice(b"N0");
        }
        p.push(b'.');
        assert!(replay(&p).limited);
        assert!(!replay(b"\x80\x02N.").limited);
    }

    #[test]
    fn protocol_0_strings() {
        assert_eq!(repr_string(b"'os.system'"), "os.system");
        assert_eq!(repr_string(b"'it\\'s'"), "it's");
        // fuzz/corpus/scan_config/regression-repr-multibyte: a quote, then a multi-byte character last.
        assert_eq!(repr_string(b"\"\"\"\xaf"), "\"\"\u{fffd}");
        let _ = replay(b"ol22S\"\"\"\xaf\n(cl\x9f\x8cs_#path2S.N\xffH\n");
    }

    #[test]
    fn hostile_streams_end() {
        for data in [
            &b"\x80\x02(((((((("[..],
            b"\x80\x02}q\x00s",
            b"\x80\x02h\x00h\x00s.",
            b"\xff\xff",
        ] {
            let _ = replay(data);
        }
    }
}
