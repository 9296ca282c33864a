//! The disassembler: every opcode of protocols 0 to 5 with its offset and decoded argument, printed the way
//! `python -m pickletools` prints it.

use std::collections::HashSet;
use std::fmt::Write as _;

use mlsc_core::pickle_ops::{self, DecodeError};

use super::text::{
    decode_long, escape_decode, py_repr_bytes, py_repr_float, py_repr_str, raw_unicode_escape,
};

/// One disassembled opcode.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Instruction {
    /// Byte offset of the opcode.
    pub offset: u64,
    /// The opcode byte.
    pub code: u8,
    /// The opcode's name, `STACK_GLOBAL`.
    pub name: &'static str,
    /// The argument as Python's `repr` shows it, if the opcode has one.
    pub arg: Option<String>,
    /// `(MARK at N)` or `(as N)`, as pickletools notes them.
    pub note: Option<String>,
    /// How many MARKs are open before this opcode (pickletools indents by it).
    pub depth: usize,
}

impl Instruction {
    /// The line `python -m pickletools` prints for this opcode.
    pub fn pickletools_line(&self) -> String {
        let code = if (0x20..0x7f).contains(&self.code) {
            (self.code as char).to_string()
        } else {
            format!("\\x{:02x}", self.code)
        };
        let mut line = format!(
            "{:5}: {:<4} {}{}",
            self.offset,
            code,
            "    ".repeat(self.depth),
            self.name
        );
        if self.arg.is_some() || self.note.is_some() {
            line.push_str(&" ".repeat(10usize.saturating_sub(self.name.len())));
            if let Some(a) = &self.arg {
                line.push(' ');
                line.push_str(a);
            }
            if let Some(n) = &self.note {
                line.push(' ');
                line.push_str(n);
            }
        }
        line
    }
}

/// A disassembled pickle.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Disassembly {
    /// The opcodes, through the first STOP.
    pub instructions: Vec<Instruction>,
    /// The offset just past the last opcode decoded.
    pub end: u64,
    /// Why disassembly stopped before a STOP, with the offset.
    pub error: Option<(u64, String)>,
    /// The highest protocol among the opcodes.
    pub max_proto: u8,
}

/// Disassembles the pickle starting at `start` of `data`, through its STOP.
///
/// ```
/// let d = mlsc_pickle::disassemble(b"\x80\x04K\x01.", 0);
/// assert_eq!(d.instructions[1].pickletools_line(), "    2: K    BININT1    1");
/// assert_eq!(d.end, 5);
/// ```
pub fn disassemble(data: &[u8], start: usize) -> Disassembly {
    let mut d = Disassembly::default();
    // true = a MARK, false = any other item: the crude stack pickletools keeps to indent MARK blocks.
    let mut stack: Vec<bool> = Vec::new();
    let mut markstack: Vec<u64> = Vec::new();
    let mut memo: HashSet<u64> = HashSet::new();
    let mut pos = start;
    loop {
        let raw = match pickle_ops::decode_at(data, pos) {
            Ok(r) => r,
            Err(e) => {
                let msg = match e {
                    DecodeError::UnknownOpcode(b) => format!("unknown opcode 0x{b:02x}"),
                    DecodeError::Truncated if pos >= data.len() => {
                        "the pickle ends before its STOP".to_owned()
                    }
                    DecodeError::Truncated => {
                        "the stream ends inside an opcode argument".to_owned()
                    }
                    DecodeError::NegativeLength => "negative length".to_owned(),
                };
                d.error = Some((pos as u64, msg));
                d.end = pos as u64;
                return d;
            }
        };
        let op = raw.op;
        d.max_proto = d.max_proto.max(op.proto);
        let arg_bytes = &data[raw.arg.0..raw.arg.1];
        let arg = argument(op.code, arg_bytes, raw.arg2.map(|(s, e)| &data[s..e]));
        let depth = markstack.len();
        let mut note = None;
        let (pops_mark, pop, push) = effect(op.code, stack.last().copied() == Some(true));
        if pops_mark {
            match markstack.pop() {
                Some(m) => note = Some(format!("(MARK at {m})")),
                None => note = Some("no MARK exists on stack".to_owned()),
            }
            while let Some(top) = stack.pop() {
                if top {
                    break;
                }
            }
        }
        match op.code {
            0x94 => {
                let idx = memo.len() as u64;
                memo.insert(idx);
                note = Some(format!("(as {idx})"));
            }
            b'p' | b'q' | b'r' => {
                if let Some(Ok(i)) = arg.as_deref().map(str::parse::<u64>) {
                    memo.insert(i);
                }
            }
            _ => {}
        }
        for _ in 0..pop {
            stack.pop();
        }
        stack.extend(std::iter::repeat_n(false, push));
        if op.code == b'(' {
            markstack.push(pos as u64);
            stack.push(true);
        }
        d.instructions.push(Instruction {
            offset: pos as u64,
            code: op.code,
            name: op.name,
            arg,
            note,
            depth,
        });
        pos = raw.next;
        if op.code == b'.' {
            d.end = pos as u64;
            return d;
        }
    }
}

/// (pops to the topmost MARK, further items popped, items pushed) — pickletools' stack effects.
fn effect(code: u8, top_is_mark: bool) -> (bool, usize, usize) {
    match code {
        b'e' | b'u' | 0x90 | b'1' => (true, 0, 0),
        b't' | b'l' | b'd' | 0x91 | b'i' | b'o' => (true, 0, 1),
        b'0' if top_is_mark => (true, 0, 0),
        b'0' | b'.' | b'a' | b'b' => (false, 1, 0),
        b's' => (false, 2, 0),
        b'R' | 0x81 | 0x93 | 0x86 => (false, 2, 1),
        0x92 | 0x87 => (false, 3, 1),
        0x85 | b'Q' | 0x98 => (false, 1, 1),
        b'(' | 0x80 | 0x95 | b'p' | b'q' | b'r' | 0x94 => (false, 0, 0),
        _ => (false, 0, 1),
    }
}

fn argument(code: u8, a: &[u8], second: Option<&[u8]>) -> Option<String> {
    let int_le = |b: &[u8]| {
        let mut buf = [0u8; 8];
        buf[..b.len()].copy_from_slice(b);
        u64::from_le_bytes(buf)
    };
    let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let latin1 = |b: &[u8]| b.iter().map(|&c| c as char).collect::<String>();
    Some(match code {
        b'I' => match a {
            b"00" => "False".into(),
            b"01" => "True".into(),
            _ => parse_decimal(a),
        },
        b'L' => parse_decimal(a.strip_suffix(b"L").unwrap_or(a)),
        b'g' | b'p' => parse_decimal(a),
        b'F' => match std::str::from_utf8(a)
            .ok()
            .and_then(|s| s.trim().parse::<f64>().ok())
        {
            Some(x) => py_repr_float(x),
            None => lossy(a),
        },
        b'G' => {
            let mut b = [0u8; 8];
            b.copy_from_slice(a);
            py_repr_float(f64::from_be_bytes(b))
        }
        b'J' => (int_le(a) as u32 as i32).to_string(),
        b'K' | b'M' | 0x80 | 0x95 | b'h' | b'j' | b'q' | b'r' | 0x82 | 0x83 | 0x84 => {
            int_le(a).to_string()
        }
        0x8a | 0x8b => decode_long(a),
        b'S' => {
            let inner = if a.len() >= 2 && (a[0] == b'\'' || a[0] == b'"') {
                &a[1..a.len() - 1]
            } else {
                a
            };
            py_repr_str(&latin1(&escape_decode(inner)))
        }
        b'T' | b'U' => py_repr_str(&latin1(a)),
        b'V' => py_repr_str(&raw_unicode_escape(a)),
        b'X' | 0x8c | 0x8d => py_repr_str(&lossy(a)),
        b'B' | b'C' | 0x8e => py_repr_bytes(a),
        0x96 => format!("bytearray({})", py_repr_bytes(a)),
        b'c' | b'i' => py_repr_str(&format!(
            "{} {}",
            lossy(a),
            lossy(second.unwrap_or_default())
        )),
        b'P' => py_repr_str(&lossy(a)),
        _ => return None,
    })
}

fn parse_decimal(a: &[u8]) -> String {
    let s = String::from_utf8_lossy(a);
    let t = s.trim();
    let mut out = String::new();
    match t.parse::<i128>() {
        Ok(v) => {
            let _ = write!(out, "{v}");
        }
        Err(_) => out.push_str(t),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_0_marks_and_memo() {
        let d = disassemble(b"(lp0\nI1\naI2\na.", 0);
        let lines: Vec<String> = d
            .instructions
            .iter()
            .map(Instruction::pickletools_line)
            .collect();
        assert_eq!(lines[0], "    0: (    MARK");
        assert_eq!(lines[1], "    1: l        LIST       (MARK at 0)");
        assert_eq!(lines[2], "    2: p    PUT        0");
        assert_eq!(d.end, 14);
        assert!(d.error.is_none());
    }

    #[test]
    fn truncated_reports_offset() {
        let d = disassemble(b"\x80\x04\x8c\x05ab", 0);
        assert_eq!(d.error.as_ref().map(|e| e.0), Some(2));
    }
}

/// Every pickle stacked in a file from an offset on (a legacy `torch.save` file holds several, one after
/// another), disassembled in order until the data ends, one fails to decode, or only the first was asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Listing {
    /// Each pickle with the offset it starts at.
    pub pickles: Vec<(u64, Disassembly)>,
}

impl Listing {
    /// Disassembles the pickles of `data` from `start` on; with `first_only`, only the first
    /// (`python -m pickletools`' behaviour).
    ///
    /// ```
    /// let l = mlsc_pickle::Listing::new(b"K\x01.K\x02.", 0, false);
    /// assert_eq!(l.pickles.len(), 2);
    /// assert!(l.to_text().contains("\n# pickle 2 at offset 3\n"));
    /// ```
    pub fn new(data: &[u8], start: usize, first_only: bool) -> Listing {
        let mut listing = Listing::default();
        let mut pos = start;
        while pos < data.len() {
            let d = disassemble(data, pos);
            let failed = d.error.is_some();
            let end = usize::try_from(d.end).unwrap_or(data.len());
            listing.pickles.push((pos as u64, d));
            // `end <= pos` cannot happen (every opcode is at least one byte), but a loop must not hang on it.
            if failed || first_only || end <= pos {
                break;
            }
            pos = end;
        }
        listing
    }

    /// True when a pickle failed to decode (the last one listed).
    pub fn has_error(&self) -> bool {
        self.pickles.iter().any(|(_, d)| d.error.is_some())
    }

    /// The listing as `python -m pickletools` prints it, each pickle after the first under a
    /// `# pickle N at offset O` heading; a decoding error ends it with `error at offset O: WHY`.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        for (n, (start, d)) in self.pickles.iter().enumerate() {
            if n > 0 {
                let _ = write!(text, "\n# pickle {} at offset {start}\n", n + 1);
            }
            for i in &d.instructions {
                text.push_str(&i.pickletools_line());
                text.push('\n');
            }
            match &d.error {
                Some((off, why)) => {
                    let _ = writeln!(text, "error at offset {off}: {why}");
                }
                None => {
                    let _ = writeln!(text, "highest protocol among opcodes = {}", d.max_proto);
                }
            }
        }
        text
    }

    /// The listing as JSON: an array of `{pickle, offset, opcode, arg, note}` objects, and a final
    /// `{pickle, offset, error}` when decoding failed.
    pub fn to_json(&self) -> serde_json::Value {
        let mut json = Vec::new();
        for (n, (_, d)) in self.pickles.iter().enumerate() {
            for i in &d.instructions {
                json.push(serde_json::json!({
                    "pickle": n,
                    "offset": i.offset,
                    "opcode": i.name,
                    "arg": i.arg,
                    "note": i.note,
                }));
            }
            if let Some((off, why)) = &d.error {
                json.push(serde_json::json!({ "pickle": n, "offset": off, "error": why }));
            }
        }
        serde_json::Value::Array(json)
    }
}

#[cfg(test)]
mod listing_tests {
    use super::*;

    #[test]
    fn stacked_pickles_and_a_truncated_one() {
        let l = Listing::new(b"K\x01.K\x02", 0, false);
        assert_eq!(l.pickles.len(), 2);
        assert!(l.has_error());
        let text = l.to_text();
        assert!(
            text.starts_with(
                "    0: K    BININT1    1\n    2: .    STOP\nhighest protocol among opcodes = 1\n"
            ),
            "{text}"
        );
        assert!(
            text.ends_with("error at offset 5: the pickle ends before its STOP\n"),
            "{text}"
        );
        let json = l.to_json();
        assert_eq!(json.as_array().map(Vec::len), Some(4));
        assert_eq!(json[3]["error"], "the pickle ends before its STOP");
        assert_eq!(Listing::new(b"K\x01.K\x02.", 0, true).pickles.len(), 1);
        assert_eq!(Listing::new(b"K\x01.", 3, false).pickles.len(), 0);
    }
}
