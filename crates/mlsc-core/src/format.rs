//! Format detection from content: magic bytes and structure, never the file name.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::pickle_ops::{self, DecodeError};

/// How many leading bytes [`sniff`] wants to see. It works on fewer (a short file is its own prefix) but a few
/// formats (tar, HDF5 with a user block) are only recognised with enough of the header.
pub const SNIFF_LEN: usize = 8192;

/// A file format, as detected from content by [`sniff`].
///
/// Serialised as a kebab-case string (`"pytorch-legacy"`), the value of `format` in the JSON report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Format {
    /// A raw pickle stream, any protocol 0 to 5 (includes plain joblib dumps and `torch.save` of protocol ≥ 2
    /// streams that are not the legacy layout).
    Pickle,
    /// The legacy (pre-1.6, non-zip) `torch.save` layout: a stack of pickles that starts with the magic number.
    PytorchLegacy,
    /// A zip archive (PyTorch ≥ 1.6 checkpoints, `.npz`, `.keras`, …).
    Zip,
    /// A NumPy `.npy` array.
    Numpy,
    /// joblib's legacy `ZF` zlib container.
    JoblibZf,
    /// gzip.
    Gzip,
    /// bzip2.
    Bzip2,
    /// xz.
    Xz,
    /// The legacy `.lzma` ("lzma-alone") container.
    LzmaAlone,
    /// A zlib stream.
    Zlib,
    /// Zstandard.
    Zstd,
    /// LZ4 frame (or legacy LZ4 framing).
    Lz4,
    /// A tar archive.
    Tar,
    /// A 7-Zip archive.
    SevenZip,
    /// A safetensors file.
    Safetensors,
    /// A GGUF model.
    Gguf,
    /// An ONNX model (protobuf `ModelProto`).
    Onnx,
    /// HDF5 (Keras `.h5`).
    Hdf5,
    /// JSON text.
    Json,
    /// YAML text.
    Yaml,
    /// Markdown text (model cards: front matter and sections).
    Markdown,
    /// Other text.
    Text,
    /// An empty file.
    Empty,
    /// Nothing known.
    Unknown,
}

impl Format {
    /// The kebab-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pickle => "pickle",
            Format::PytorchLegacy => "pytorch-legacy",
            Format::Zip => "zip",
            Format::Numpy => "numpy",
            Format::JoblibZf => "joblib-zf",
            Format::Gzip => "gzip",
            Format::Bzip2 => "bzip2",
            Format::Xz => "xz",
            Format::LzmaAlone => "lzma-alone",
            Format::Zlib => "zlib",
            Format::Zstd => "zstd",
            Format::Lz4 => "lz4",
            Format::Tar => "tar",
            Format::SevenZip => "seven-zip",
            Format::Safetensors => "safetensors",
            Format::Gguf => "gguf",
            Format::Onnx => "onnx",
            Format::Hdf5 => "hdf5",
            Format::Json => "json",
            Format::Yaml => "yaml",
            Format::Markdown => "markdown",
            Format::Text => "text",
            Format::Empty => "empty",
            Format::Unknown => "unknown",
        }
    }

    /// True for the compressed single-stream formats.
    pub fn is_compression(self) -> bool {
        matches!(
            self,
            Format::Gzip
                | Format::Bzip2
                | Format::Xz
                | Format::LzmaAlone
                | Format::Zlib
                | Format::Zstd
                | Format::Lz4
                | Format::JoblibZf
        )
    }

    /// True for text formats (JSON, YAML, Markdown, plain text).
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Format::Json | Format::Yaml | Format::Markdown | Format::Text
        )
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The first 14 bytes `torch.save` wrote in its legacy layout: protocol 2, then `LONG1` of the magic number
/// `0x1950a86a20f9469cfc6c`.
pub const TORCH_LEGACY_MAGIC: &[u8] = &[
    0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19,
];

/// Detects the format of a file from its first bytes (ideally [`SNIFF_LEN`] of them, or the whole file).
///
/// Only content counts: a `.bin` may be a zip, a raw pickle or a legacy PyTorch file.
///
/// ```
/// use mlsc_core::{sniff, Format};
///
/// assert_eq!(sniff(b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00K\x01."), Format::Pickle);
/// assert_eq!(sniff(b"PK\x03\x04rest of a zip"), Format::Zip);
/// assert_eq!(sniff(b"\x93NUMPY\x01\x00"), Format::Numpy);
/// assert_eq!(sniff(b"{\"a\": 1}"), Format::Json);
/// ```
pub fn sniff(data: &[u8]) -> Format {
    if data.is_empty() {
        return Format::Empty;
    }
    if data.starts_with(TORCH_LEGACY_MAGIC) {
        return Format::PytorchLegacy;
    }
    if data.starts_with(b"PK\x03\x04")
        || data.starts_with(b"PK\x05\x06")
        || data.starts_with(b"PK\x07\x08")
    {
        return Format::Zip;
    }
    if data.starts_with(b"\x93NUMPY") {
        return Format::Numpy;
    }
    if data.starts_with(&[0x1f, 0x8b]) {
        return Format::Gzip;
    }
    if data.len() >= 10
        && data.starts_with(b"BZh")
        && (b'1'..=b'9').contains(&data[3])
        && (data[4..10] == [0x31, 0x41, 0x59, 0x26, 0x53, 0x59]
            || data[4..10] == [0x17, 0x72, 0x45, 0x38, 0x50, 0x90])
    {
        return Format::Bzip2;
    }
    if data.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        return Format::Xz;
    }
    if data.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        return Format::Zstd;
    }
    if data.starts_with(&[0x04, 0x22, 0x4d, 0x18]) || data.starts_with(&[0x02, 0x21, 0x4c, 0x18]) {
        return Format::Lz4;
    }
    if data.starts_with(&[b'7', b'z', 0xbc, 0xaf, 0x27, 0x1c]) {
        return Format::SevenZip;
    }
    if data.starts_with(b"GGUF") {
        return Format::Gguf;
    }
    if is_hdf5(data) {
        return Format::Hdf5;
    }
    if data.starts_with(b"ZF0x") {
        return Format::JoblibZf;
    }
    if is_safetensors(data) {
        return Format::Safetensors;
    }
    if is_tar(data) {
        return Format::Tar;
    }
    if is_pickle(data) {
        return Format::Pickle;
    }
    if is_lzma_alone(data) {
        return Format::LzmaAlone;
    }
    if is_zlib(data) {
        return Format::Zlib;
    }
    if is_onnx(data) {
        return Format::Onnx;
    }
    sniff_text(data)
}

/// The pickle protocol a stream declares: the `PROTO` opcode's argument, or 0 for a stream without one
/// (protocols 0 and 1 have no marker). `None` when `data` does not start like a pickle.
pub fn pickle_protocol(data: &[u8]) -> Option<u8> {
    if !is_pickle(data) && !data.starts_with(TORCH_LEGACY_MAGIC) {
        return None;
    }
    match data {
        [0x80, p, ..] => Some(*p),
        _ => Some(0),
    }
}

fn is_hdf5(data: &[u8]) -> bool {
    const MAGIC: &[u8] = b"\x89HDF\r\n\x1a\n";
    // The superblock sits at 0 or, after a user block, at 512, 1024, 2048, … bytes.
    [0usize, 512, 1024, 2048, 4096]
        .iter()
        .any(|&at| data.get(at..at + MAGIC.len()) == Some(MAGIC))
}

fn is_safetensors(data: &[u8]) -> bool {
    let Some(len) = data.get(..8) else {
        return false;
    };
    let len = u64::from_le_bytes(len.try_into().expect("8 bytes because sliced so"));
    // A real header is JSON starting `{`; 100 MB is the cap the safetensors crate itself applies.
    (2..=100_000_000).contains(&len) && data.get(8) == Some(&b'{')
}

fn is_tar(data: &[u8]) -> bool {
    let Some(header) = data.get(..512) else {
        return false;
    };
    if &header[257..262] == b"ustar" {
        return true;
    }
    // A v7 tar has no magic: check the header checksum (the sum of the header with the checksum field as spaces).
    let field = &header[148..156];
    let digits: Vec<u8> = field
        .iter()
        .copied()
        .filter(|b| (b'0'..=b'7').contains(b))
        .collect();
    if digits.is_empty() || header[0] == 0 {
        return false;
    }
    let Ok(stored) = u32::from_str_radix(std::str::from_utf8(&digits).unwrap_or("x"), 8) else {
        return false;
    };
    let sum: u32 = header
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u32::from(b)
            }
        })
        .sum();
    sum == stored
}

/// A structural pickle check: the opcodes decode, without error, up to `STOP` or the end of what we were given.
///
/// A stream that declares its protocol (`PROTO 2..=5` first) only has to decode. Any other stream may start with
/// any opcode of protocols 0 to 5 — `pickle.load` needs no `PROTO`, so a protocol-4 stream that opens with
/// `SHORT_BINUNICODE` runs as readily as one that opens with `\x80\x04` — and is therefore also run through the
/// unpickler's stack discipline: every pop needs an item above the last mark, every `GET` a `PUT` before it,
/// `STOP` exactly one finished object. Text that happens to start with a byte that is an opcode (`(`, `c`, `I`,
/// `S`, `]`, `}`, `K` …) breaks one of those rules within a few opcodes; a pickle never does. Such a stream counts
/// when it reaches a well-formed `STOP`, or when [`PICKLE_EVIDENCE`] opcodes in a row decode and obey them.
fn is_pickle(data: &[u8]) -> bool {
    let Some(&first) = data.first() else {
        return false;
    };
    let declared = first == 0x80 && data.get(1).is_some_and(|p| (2..=5).contains(p));
    if !declared && pickle_ops::lookup(first).is_none() {
        return false;
    }
    let mut machine = StackCheck::default();
    let mut pos = 0;
    let mut count = 0usize;
    while pos < data.len() && count < 256 {
        match pickle_ops::decode_at(data, pos) {
            Ok(raw) => {
                count += 1;
                let code = raw.op.code;
                if code == 0x80 && data[raw.arg.0] > 5 {
                    // CPython accepts PROTO anywhere in a stream (an evasion if sniffing rejected it there),
                    // but only with a protocol it knows.
                    return false;
                }
                if code == b'S' && !is_quoted(&data[raw.arg.0..raw.arg.1]) {
                    return false;
                }
                if matches!(code, b'I' | b'L') && !is_text_number(&data[raw.arg.0..raw.arg.1]) {
                    return false;
                }
                if matches!(code, b'c' | b'i')
                    && !(is_identifier_path(&data[raw.arg.0..raw.arg.1])
                        && raw
                            .arg2
                            .is_some_and(|(s, e)| is_identifier_path(&data[s..e])))
                {
                    return false;
                }
                let memo_key = match code {
                    b'g' | b'p' => match parse_text_index(&data[raw.arg.0..raw.arg.1]) {
                        Some(k) => Some(k),
                        None => return false,
                    },
                    b'h' | b'q' => Some(u64::from(data[raw.arg.0])),
                    b'j' | b'r' => Some(u64::from(u32::from_le_bytes(
                        data[raw.arg.0..raw.arg.0 + 4]
                            .try_into()
                            .expect("4 bytes because decoded so"),
                    ))),
                    _ => None,
                };
                match machine.step(code, memo_key) {
                    Step::Go => {}
                    // A short stream followed by more bytes is what noise looks like (`].` then anything):
                    // without PROTO, a STOP counts at the end of the data or after some substance.
                    Step::Stop => {
                        return declared
                            || (machine.clean_stop() && (raw.next == data.len() || count >= 4));
                    }
                    // A declared stream only has to decode: the analyser reports what it does wrong.
                    Step::Bad if !declared => return false,
                    Step::Bad => {}
                }
                pos = raw.next;
            }
            // A prefix may end inside an opcode's argument: what we saw was consistent.
            Err(DecodeError::Truncated) => return declared || count >= PICKLE_EVIDENCE,
            Err(_) => return false,
        }
    }
    declared || count >= PICKLE_EVIDENCE
}

/// How many opcodes a stream without `PROTO` must decode, obeying the stack discipline, before it counts as a
/// pickle without reaching `STOP`. Prose that starts with an opcode byte fails within three or four opcodes (the
/// corpus test `text_is_not_pickle` holds the cases); random bytes survive 16 with a probability below 10⁻⁹.
const PICKLE_EVIDENCE: usize = 16;

/// The unpickler's stack shape, without values: items above the last mark, the marks below, the memo's keys.
#[derive(Default)]
struct StackCheck {
    /// Items above the innermost mark.
    top: usize,
    /// For each open mark, the items that were above the previous mark when it was pushed.
    marks: Vec<usize>,
    memo: std::collections::BTreeSet<u64>,
}

enum Step {
    Go,
    Stop,
    Bad,
}

impl StackCheck {
    fn pop(&mut self, n: usize) -> bool {
        if self.top < n {
            return false;
        }
        self.top -= n;
        true
    }

    /// Pops to the innermost mark; `need_below` items must remain under it (the list or dict appended to).
    fn pop_mark(&mut self, need_below: usize) -> bool {
        match self.marks.pop() {
            Some(below) if below >= need_below => {
                self.top = below;
                true
            }
            _ => false,
        }
    }

    fn step(&mut self, code: u8, memo_key: Option<u64>) -> Step {
        let ok = match code {
            b'(' => {
                self.marks.push(self.top);
                self.top = 0;
                true
            }
            b'.' => return if self.top >= 1 { Step::Stop } else { Step::Bad },
            // POP takes an item, or the mark when the frame is empty.
            b'0' => self.pop(1) || self.pop_mark(0),
            b'1' => self.pop_mark(0),
            b'2' => {
                self.top >= 1 && {
                    self.top += 1;
                    true
                }
            }
            // PUT/BINPUT/LONG_BINPUT and MEMOIZE store the top item.
            b'p' | b'q' | b'r' => {
                self.memo.extend(memo_key);
                self.top >= 1
            }
            0x94 => {
                let key = self.memo.len() as u64;
                self.memo.insert(key);
                self.top >= 1
            }
            // GET/BINGET/LONG_BINGET: a key never stored is a KeyError in the unpickler.
            b'g' | b'h' | b'j' => {
                self.top += 1;
                memo_key.is_some_and(|k| self.memo.contains(&k))
            }
            // Pop one, push one.
            b'Q' | 0x85 | 0x98 => self.top >= 1,
            // Pop two, push one.
            b'R' | 0x81 | 0x86 | 0x93 => self.pop(1) && self.top >= 1,
            0x87 | 0x92 => self.pop(2) && self.top >= 1,
            // Pop one into the item below.
            b'a' | b'b' => self.pop(1) && self.top >= 1,
            b's' => self.pop(2) && self.top >= 1,
            // Pop to the mark into the item below it.
            b'e' | b'u' | 0x90 => self.pop_mark(1),
            // Pop to the mark, push one.
            b'd' | b'l' | b't' | b'i' | 0x91 => {
                self.pop_mark(0) && {
                    self.top += 1;
                    true
                }
            }
            b'o' => {
                self.top >= 1 && self.pop_mark(0) && {
                    self.top += 1;
                    true
                }
            }
            // No stack effect.
            0x80 | 0x95 => true,
            // Everything else pushes one value.
            _ => {
                self.top += 1;
                true
            }
        };
        if ok { Step::Go } else { Step::Bad }
    }

    /// `STOP` with one finished object and no mark left open: how every pickler ends a stream.
    fn clean_stop(&self) -> bool {
        self.top == 1 && self.marks.is_empty()
    }
}

fn parse_text_index(arg: &[u8]) -> Option<u64> {
    std::str::from_utf8(arg).ok()?.trim().parse().ok()
}

fn is_quoted(arg: &[u8]) -> bool {
    arg.len() >= 2 && matches!(arg[0], b'\'' | b'"') && arg[arg.len() - 1] == arg[0]
}

fn is_text_number(arg: &[u8]) -> bool {
    let arg = arg.strip_suffix(b"L").unwrap_or(arg);
    let arg = arg.strip_prefix(b"-").unwrap_or(arg);
    !arg.is_empty() && arg.iter().all(u8::is_ascii_digit)
}

fn is_identifier_path(arg: &[u8]) -> bool {
    !arg.is_empty()
        && arg
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b >= 0x80)
}

fn is_lzma_alone(data: &[u8]) -> bool {
    let Some(h) = data.get(..14) else {
        return false;
    };
    let props = h[0];
    if props >= 9 * 5 * 5 {
        return false;
    }
    let dict = u32::from_le_bytes([h[1], h[2], h[3], h[4]]);
    // Dictionary sizes that encoders write: 2^n or 2^n + 2^(n-1), at least 4 KiB.
    let dict_ok = dict >= 4096
        && (dict.is_power_of_two()
            || (dict - (1 << (31 - dict.leading_zeros()))).is_power_of_two());
    let size = u64::from_le_bytes(h[5..13].try_into().expect("8 bytes because sliced so"));
    let size_ok = size == u64::MAX || size < (1 << 48);
    // The range coder's first output byte is always zero.
    dict_ok && size_ok && h[13] == 0
}

fn is_zlib(data: &[u8]) -> bool {
    let (Some(&cmf), Some(&flg)) = (data.first(), data.get(1)) else {
        return false;
    };
    let method_ok = cmf & 0x0f == 8 && cmf >> 4 <= 7;
    let check_ok = (u16::from(cmf) << 8 | u16::from(flg)) % 31 == 0;
    let no_dict = flg & 0x20 == 0;
    // The first deflate block's type (bits 1-2 of the next byte) is never the reserved value 3.
    let block_ok = data.get(2).is_none_or(|b| (b >> 1) & 3 != 3);
    method_ok && check_ok && no_dict && block_ok
}

/// Reads a protobuf varint at `pos`; returns the value and the next offset.
fn varint(data: &[u8], mut pos: usize) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *data.get(pos)?;
        pos += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some((value, pos));
        }
    }
    None
}

fn is_onnx(data: &[u8]) -> bool {
    // ModelProto serialises field 1 (`ir_version`, varint) first; known IR versions are 1 to about 12.
    if data.first() != Some(&0x08) {
        return false;
    }
    let Some((ir, pos)) = varint(data, 1) else {
        return false;
    };
    if !(1..=32).contains(&ir) {
        return false;
    }
    // The next field is one of ModelProto's: producer_name (2), producer_version (3), domain (4), model_version
    // (5), doc_string (6), graph (7), opset_import (8), metadata_props (14), training_info (20), functions (25).
    let Some((tag, _)) = varint(data, pos) else {
        return data.len() == pos;
    };
    let (field, wire) = (tag >> 3, tag & 7);
    matches!((field, wire), (2..=4 | 6..=8 | 14 | 20 | 25, 2) | (5, 0))
}

fn sniff_text(data: &[u8]) -> Format {
    let text = match std::str::from_utf8(data) {
        Ok(t) => t,
        // A prefix may cut a multi-byte character: accept an error in the last 3 bytes only.
        Err(e) if e.error_len().is_none() && data.len() - e.valid_up_to() < 4 => {
            std::str::from_utf8(&data[..e.valid_up_to()]).expect("valid up to here")
        }
        Err(_) => return Format::Unknown,
    };
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{feff}' | '\u{c}'))
    {
        return Format::Unknown;
    }
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.starts_with('{') || body.starts_with('[') {
        return Format::Json;
    }
    if let Some(after) = body.strip_prefix("---") {
        // Front matter followed by Markdown is a card; a lone document marker is YAML.
        if let Some(end) = after.find("\n---") {
            let rest = after[end + 4..].trim();
            if !rest.is_empty() && !rest.starts_with("---") {
                return Format::Markdown;
            }
        }
        return Format::Yaml;
    }
    if body.starts_with("%YAML") {
        return Format::Yaml;
    }
    let first_line = body.lines().next().unwrap_or("");
    if first_line.starts_with('#') && !first_line.starts_with("#!") {
        // `# comment` is also YAML; a heading followed by prose is Markdown, `key: value` lines are YAML.
        let yaml_like = body
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .take(5)
            .all(looks_like_yaml_line);
        let has_content = body
            .lines()
            .any(|l| !l.trim().is_empty() && !l.starts_with('#'));
        return if yaml_like && has_content {
            Format::Yaml
        } else {
            Format::Markdown
        };
    }
    let mut lines = body
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(5)
        .peekable();
    if lines.peek().is_some() && lines.all(looks_like_yaml_line) && first_line.contains(':') {
        return Format::Yaml;
    }
    Format::Text
}

fn looks_like_yaml_line(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with("- ") || t == "-" || t.starts_with('#') {
        return true;
    }
    match t.split_once(':') {
        Some((key, rest)) => {
            !key.is_empty()
                && !key.contains(' ') | key.starts_with('"')
                && (rest.is_empty() || rest.starts_with(' '))
        }
        None => false,
    }
}
