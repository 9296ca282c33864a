//! The pickle-free formats: safetensors, GGUF and ONNX. They cannot run code by themselves; what is checked is
//! what a loader trusts (header bounds, offsets, paths) and what a runtime executes (GGUF chat templates).

use std::io::{self, BufReader, Read};

use mlsc_core::{Completeness, Rule, Severity};
use serde_json::Value;

use super::blob::Blob;
use super::{Ctx, Here};

// ---------------------------------------------------------------------------------------------------------------
// safetensors

/// Bits per element of each dtype safetensors defines.
fn st_bits(dtype: &str) -> Option<u64> {
    Some(match dtype {
        "BOOL" | "U8" | "I8" | "F8_E5M2" | "F8_E4M3" | "F8_E8M0" => 8,
        "I16" | "U16" | "F16" | "BF16" => 16,
        "I32" | "U32" | "F32" => 32,
        "I64" | "U64" | "F64" | "C64" => 64,
        "F4" => 4,
        "F6_E2M3" | "F6_E3M2" => 6,
        _ => return None,
    })
}

/// A safetensors file: 8-byte header length, JSON header, then the tensors' bytes.
pub(crate) fn scan_safetensors(ctx: &mut Ctx<'_>, blob: Blob<'_>, here: &Here) -> io::Result<()> {
    let len = blob.len();
    let head = blob.prefix(8)?;
    let n = u64::from_le_bytes(head[..8].try_into().expect("sniffed with 8 bytes"));
    if n > ctx.opts.limits.max_header || n.saturating_add(8) > len {
        ctx.emit(
            &crate::rules::SAFETENSORS_HEADER_LENGTH,
            Severity::Medium,
            here.at(0),
            format!(
                "header length {n} but the file has {len} bytes (limit {})",
                ctx.opts.limits.max_header
            ),
        );
        return Ok(());
    }
    let header = blob.read_at(8, n as usize)?;
    let map = match serde_json::from_slice::<Value>(&header) {
        Ok(Value::Object(m)) => m,
        Ok(_) => {
            ctx.emit(
                &crate::rules::SAFETENSORS_HEADER_JSON,
                Severity::Medium,
                here.at(8),
                "the header is JSON but not an object",
            );
            return Ok(());
        }
        Err(e) => {
            ctx.emit(
                &crate::rules::SAFETENSORS_HEADER_JSON,
                Severity::Medium,
                here.at(8 + e.column() as u64),
                format!("the header is not valid JSON: {e}"),
            );
            return Ok(());
        }
    };
    let data_len = len - 8 - n;
    let data_at = 8 + n;
    let mut spans: Vec<(u64, u64, String)> = Vec::new();
    for (name, v) in &map {
        let loc = here.at(8).at_pointer(format!("/{name}"));
        if name == "__metadata__" {
            match v {
                Value::Object(meta) => {
                    for (k, mv) in meta {
                        // Config analyser: a metadata string may hold a whole config a loader instantiates.
                        if let Some(s) = mv.as_str() {
                            let at = here.at(8).at_pointer(format!("/__metadata__/{k}"));
                            crate::config::scan_metadata(ctx, k, s, &at);
                        }
                        if !mv.is_string() {
                            // The loader deserialises `__metadata__` as a map of strings: it refuses this file.
                            ctx.emit(
                                &crate::rules::SAFETENSORS_METADATA_TYPE,
                                Severity::Medium,
                                here.at(8).at_pointer(format!("/__metadata__/{k}")),
                                format!("metadata value `{k}` is {}, not a string", json_kind(mv)),
                            );
                        }
                    }
                }
                Value::Null => {}
                other => {
                    ctx.emit(
                        &crate::rules::SAFETENSORS_METADATA_TYPE,
                        Severity::Medium,
                        loc,
                        format!(
                            "`__metadata__` is {}, not an object of strings",
                            json_kind(other)
                        ),
                    );
                }
            }
            continue;
        }
        let dtype = v.get("dtype").and_then(Value::as_str);
        let shape: Option<Vec<u64>> = v
            .get("shape")
            .and_then(Value::as_array)
            .and_then(|a| a.iter().map(Value::as_u64).collect());
        let offsets: Option<Vec<u64>> = v
            .get("data_offsets")
            .and_then(Value::as_array)
            .and_then(|a| a.iter().map(Value::as_u64).collect());
        let (Some(dtype), Some(shape), Some(offsets)) = (dtype, shape, offsets) else {
            ctx.emit(
                &crate::rules::SAFETENSORS_BAD_TENSOR,
                Severity::Medium,
                loc,
                format!("tensor `{name}` needs a string `dtype`, a `shape` of non-negative integers and two `data_offsets`: {v}"),
            );
            continue;
        };
        let [begin, end] = offsets[..] else {
            ctx.emit(
                &crate::rules::SAFETENSORS_BAD_TENSOR,
                Severity::Medium,
                loc,
                format!("tensor `{name}` has {} data_offsets, not 2", offsets.len()),
            );
            continue;
        };
        if begin > end {
            ctx.emit(
                &crate::rules::SAFETENSORS_BAD_TENSOR,
                Severity::Medium,
                loc,
                format!("tensor `{name}` data_offsets [{begin}, {end}] end before they begin"),
            );
            continue;
        }
        if end > data_len {
            ctx.emit(
                &crate::rules::SAFETENSORS_OUT_OF_FILE,
                Severity::Medium,
                loc.clone(),
                format!(
                    "tensor `{name}` data_offsets [{begin}, {end}] go past the data section of {data_len} bytes (file offset {})",
                    data_at + end
                ),
            );
        }
        match st_bits(dtype) {
            None => {
                ctx.emit(
                    &crate::rules::SAFETENSORS_UNKNOWN_DTYPE,
                    Severity::Medium,
                    loc.clone(),
                    format!("tensor `{name}` has unknown dtype `{dtype}`"),
                );
            }
            Some(bits) => {
                let need_bits = shape
                    .iter()
                    .try_fold(1u64, |a, &d| a.checked_mul(d))
                    .and_then(|c| c.checked_mul(bits));
                // The loader refuses a tensor whose bits do not fill whole bytes (MisalignedSlice).
                let need = need_bits.filter(|b| b % 8 == 0).map(|b| b / 8);
                if need != Some(end - begin) {
                    ctx.emit(
                        &crate::rules::SAFETENSORS_SIZE_MISMATCH,
                        Severity::Medium,
                        loc.clone(),
                        format!(
                            "tensor `{name}` {dtype}{shape:?} needs {} bytes, its data_offsets span {}",
                            match need_bits {
                                None => "more than 2^64".to_owned(),
                                Some(b) if b % 8 != 0 => format!("{b} bits, not whole"),
                                Some(_) => need.unwrap_or_default().to_string(),
                            },
                            end - begin
                        ),
                    );
                }
            }
        }
        spans.push((begin, end, name.clone()));
    }
    spans.sort();
    let mut cursor = 0u64;
    let mut prev: Option<&(u64, u64, String)> = None;
    for s in &spans {
        if let Some(p) = prev
            && s.0 < p.1
        {
            ctx.emit(
                &crate::rules::SAFETENSORS_OVERLAP,
                Severity::Medium,
                here.at(8).at_pointer(format!("/{}", s.2)),
                format!(
                    "tensors `{}` [{}, {}] and `{}` [{}, {}] overlap",
                    p.2, p.0, p.1, s.2, s.0, s.1
                ),
            );
        } else if s.0 > cursor {
            // The loader requires each tensor to start where the previous one ends (InvalidOffset).
            ctx.emit(
                &crate::rules::SAFETENSORS_GAP,
                Severity::Medium,
                here.at(data_at + cursor),
                format!(
                    "{} bytes at data offset {cursor} before tensor `{}` belong to no tensor",
                    s.0 - cursor,
                    s.2
                ),
            );
        }
        cursor = cursor.max(s.1);
        prev = Some(s);
    }
    if cursor < data_len {
        // The loader requires the last tensor to end at the end of the file (MetadataIncompleteBuffer).
        ctx.emit(
            &crate::rules::SAFETENSORS_GAP,
            Severity::Medium,
            here.at(data_at + cursor),
            format!(
                "{} bytes after the last tensor belong to no tensor",
                data_len - cursor
            ),
        );
    }
    Ok(())
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

// ---------------------------------------------------------------------------------------------------------------
// GGUF

struct Gguf<'a> {
    r: BufReader<super::blob::BlobReader<'a>>,
    pos: u64,
    len: u64,
}

#[derive(Debug)]
enum GgufError {
    Io(io::Error),
    Bad(u64, String),
}

impl From<io::Error> for GgufError {
    fn from(e: io::Error) -> Self {
        GgufError::Io(e)
    }
}

impl Gguf<'_> {
    fn bytes<const N: usize>(&mut self) -> Result<[u8; N], GgufError> {
        let mut b = [0u8; N];
        if self.pos + N as u64 > self.len {
            return Err(GgufError::Bad(
                self.pos,
                format!("the file ends at {} inside a {N}-byte value", self.len),
            ));
        }
        self.r.read_exact(&mut b)?;
        self.pos += N as u64;
        Ok(b)
    }
    fn u32(&mut self) -> Result<u32, GgufError> {
        Ok(u32::from_le_bytes(self.bytes()?))
    }
    fn u64(&mut self) -> Result<u64, GgufError> {
        Ok(u64::from_le_bytes(self.bytes()?))
    }
    fn skip(&mut self, n: u64) -> Result<(), GgufError> {
        if self.pos.saturating_add(n) > self.len {
            return Err(GgufError::Bad(
                self.pos,
                format!("a length of {n} runs past the end"),
            ));
        }
        self.r.seek_relative(n as i64)?;
        self.pos += n;
        Ok(())
    }
    /// A string: its bytes when `keep` (and at most `cap`), else skipped.
    fn string(&mut self, keep: bool, cap: u64) -> Result<Option<Vec<u8>>, GgufError> {
        let at = self.pos;
        let n = self.u64()?;
        if self.pos.saturating_add(n) > self.len {
            return Err(GgufError::Bad(
                at,
                format!("string length {n} runs past the end"),
            ));
        }
        if keep && n <= cap {
            let mut v = vec![0u8; n as usize];
            self.r.read_exact(&mut v)?;
            self.pos += n;
            Ok(Some(v))
        } else {
            self.skip(n)?;
            Ok(None)
        }
    }
    /// A value of type `t`; returns the string when `keep` and the value is one.
    fn value(
        &mut self,
        t: u32,
        keep: bool,
        cap: u64,
        depth: u32,
    ) -> Result<Option<Vec<u8>>, GgufError> {
        let at = self.pos;
        match t {
            0 | 1 | 7 => self.skip(1)?,
            2 | 3 => self.skip(2)?,
            4..=6 => self.skip(4)?,
            10..=12 => self.skip(8)?,
            8 => return self.string(keep, cap),
            9 => {
                if depth > 8 {
                    return Err(GgufError::Bad(at, "arrays nested too deep".into()));
                }
                let et = self.u32()?;
                let count = self.u64()?;
                let width = match et {
                    0 | 1 | 7 => Some(1),
                    2 | 3 => Some(2),
                    4..=6 => Some(4),
                    10..=12 => Some(8),
                    8 | 9 => None,
                    _ => {
                        return Err(GgufError::Bad(
                            at + 4,
                            format!("unknown array element type {et}"),
                        ));
                    }
                };
                match width {
                    Some(w) => {
                        let total = count.checked_mul(w).ok_or_else(|| {
                            GgufError::Bad(at, format!("array of {count} elements overflows"))
                        })?;
                        self.skip(total)?;
                    }
                    None => {
                        // Each element takes at least 8 bytes: a count beyond that is a lie, caught before looping.
                        if count.saturating_mul(8) > self.len - self.pos {
                            return Err(GgufError::Bad(
                                at,
                                format!("array claims {count} elements, more than the file holds"),
                            ));
                        }
                        for _ in 0..count {
                            self.value(et, false, 0, depth + 1)?;
                        }
                    }
                }
            }
            _ => return Err(GgufError::Bad(at, format!("unknown value type {t}"))),
        }
        Ok(None)
    }
}

/// A GGUF model: header, metadata and tensor descriptions are parsed with bounds; chat templates are checked.
pub(crate) fn scan_gguf(ctx: &mut Ctx<'_>, blob: Blob<'_>, here: &Here) -> io::Result<()> {
    let mut g = Gguf {
        r: BufReader::with_capacity(256 << 10, blob.reader()),
        pos: 0,
        len: blob.len(),
    };
    let mut templates: Vec<(String, u64, Vec<u8>)> = Vec::new();
    let result = (|| -> Result<(), GgufError> {
        g.skip(4)?;
        let version = g.u32()?;
        if !(2..=3).contains(&version) {
            return Err(GgufError::Bad(4, format!("version {version}")));
        }
        let tensors = g.u64()?;
        let kvs = g.u64()?;
        // A metadata entry takes at least 12 bytes and a tensor description at least 24.
        if kvs.saturating_mul(12) > g.len || tensors.saturating_mul(24) > g.len {
            return Err(GgufError::Bad(
                8,
                format!(
                    "{tensors} tensors and {kvs} metadata entries cannot fit in {} bytes",
                    g.len
                ),
            ));
        }
        let mut alignment = 32u64;
        for _ in 0..kvs {
            let key_at = g.pos;
            let key = g
                .string(true, 65536)?
                .ok_or_else(|| GgufError::Bad(key_at, "metadata key longer than 64 KiB".into()))?;
            let key = String::from_utf8_lossy(&key).into_owned();
            let t = g.u32()?;
            let val_at = g.pos;
            let is_template = key.starts_with("tokenizer.chat_template");
            if key == "general.alignment" && t == 4 {
                alignment = u64::from(g.u32()?);
                if alignment == 0 || !alignment.is_power_of_two() {
                    return Err(GgufError::Bad(
                        val_at,
                        format!("general.alignment {alignment} is not a power of two"),
                    ));
                }
                continue;
            }
            if let Some(s) = g.value(t, is_template, 16 << 20, 0)? {
                templates.push((key, val_at, s));
            }
        }
        let mut infos = Vec::new();
        for _ in 0..tensors {
            let at = g.pos;
            let name = g
                .string(true, 65536)?
                .ok_or_else(|| GgufError::Bad(at, "tensor name longer than 64 KiB".into()))?;
            let nd = g.u32()?;
            if nd > 8 {
                return Err(GgufError::Bad(
                    at,
                    format!(
                        "tensor `{}` has {nd} dimensions",
                        String::from_utf8_lossy(&name)
                    ),
                ));
            }
            for _ in 0..nd {
                g.u64()?;
            }
            let _ty = g.u32()?;
            let off = g.u64()?;
            infos.push((String::from_utf8_lossy(&name).into_owned(), at, off));
        }
        let data_start = g.pos.div_ceil(alignment) * alignment;
        for (name, at, off) in infos {
            if off % alignment != 0 || data_start.saturating_add(off) > g.len {
                return Err(GgufError::Bad(
                    at,
                    format!(
                        "tensor `{name}` data offset {off} is unaligned or past the end (data at {data_start}, file {} bytes)",
                        g.len
                    ),
                ));
            }
        }
        Ok(())
    })();
    match result {
        Ok(()) => {}
        Err(GgufError::Io(e)) => return Err(e),
        Err(GgufError::Bad(4, why)) if why.starts_with("version") => {
            ctx.not_analysed(
                &crate::rules::GGUF_UNSUPPORTED_VERSION,
                here.at(4),
                format!("unsupported GGUF {why}"),
            );
        }
        Err(GgufError::Bad(at, why)) => {
            ctx.emit(
                &crate::rules::GGUF_MALFORMED,
                Severity::Medium,
                here.at(at),
                why,
            );
            ctx.verdict = ctx.verdict.at_most(Completeness::Inconclusive);
        }
    }
    for (key, at, text) in templates {
        check_template(ctx, &String::from_utf8_lossy(&text), here, &key, at);
    }
    Ok(())
}

/// Identifiers (outside string literals) and string literals of a Jinja template's `{{ }}` and `{% %}` blocks.
fn jinja_tokens(t: &str) -> (Vec<String>, Vec<String>) {
    let mut idents = Vec::new();
    let mut strings = Vec::new();
    let b = t.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        let open = &b[i..i + 2];
        if open != b"{{" && open != b"{%" {
            i += 1;
            continue;
        }
        let close: &[u8] = if open == b"{{" { b"}}" } else { b"%}" };
        i += 2;
        while i < b.len() && !b[i..].starts_with(close) {
            let c = b[i];
            if c == b'\'' || c == b'"' {
                let start = i + 1;
                i += 1;
                while i < b.len() && b[i] != c {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                strings.push(unescape(&t[start..i.min(b.len())]));
                i += 1;
            } else if c.is_ascii_alphabetic() || c == b'_' {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                idents.push(t[start..i].to_owned());
            } else {
                i += 1;
            }
        }
        i += 2;
    }
    (idents, strings)
}

/// Python string escapes that can hide a name: `\x5f`, `\u005f`, `\137`.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let take = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>, n: usize, radix: u32| {
            let digits: String = (0..n)
                .filter_map(|_| chars.next_if(|d| d.is_digit(radix)))
                .collect();
            u32::from_str_radix(&digits, radix)
                .ok()
                .and_then(char::from_u32)
        };
        match chars.peek().copied() {
            Some('x') => {
                chars.next();
                out.extend(take(&mut chars, 2, 16));
            }
            Some('u') => {
                chars.next();
                out.extend(take(&mut chars, 4, 16));
            }
            Some('0'..='7') => out.extend(take(&mut chars, 3, 8)),
            Some(other) => {
                chars.next();
                out.push(other);
            }
            None => {}
        }
    }
    out
}

/// Checks a chat template for constructs that leave the Jinja sandbox.
pub(crate) fn check_template(ctx: &mut Ctx<'_>, text: &str, here: &Here, key: &str, at: u64) {
    let loc = here.at(at).at_pointer(key);
    check_template_at(
        ctx,
        text,
        loc,
        key,
        (
            &crate::rules::GGUF_TEMPLATE_SANDBOX_ESCAPE,
            &crate::rules::GGUF_TEMPLATE_DANGEROUS_NAME,
        ),
    );
}

/// [`check_template`] at any location, under the codes of the caller: (sandbox escape, dangerous name). The config
/// analyser runs `tokenizer_config.json` and `chat_template.jinja` templates through it.
pub(crate) fn check_template_at(
    ctx: &mut Ctx<'_>,
    text: &str,
    loc: mlsc_core::Location,
    key: &str,
    codes: (&'static Rule, &'static Rule),
) {
    // Names a chat template never needs. Common words (`system`, `config`, `self`, `open`) stay out: real templates
    // use them as variables, and every known sandbox escape also needs a dunder attribute, caught above.
    const DANGEROUS: &[&str] = &[
        "os",
        "popen",
        "eval",
        "exec",
        "import",
        "subprocess",
        "builtins",
        "getattr",
        "globals",
        "lipsum",
        "cycler",
        "joiner",
        "compile",
        "__import__",
    ];
    let (idents, strings) = jinja_tokens(text);
    let dunder = |s: &str| {
        s.len() > 4
            && s.starts_with("__")
            && s.ends_with("__")
            && s[2..s.len() - 2]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let mut hits: Vec<String> = idents.iter().filter(|i| dunder(i)).cloned().collect();
    hits.extend(
        strings
            .iter()
            .filter(|s| {
                s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .any(dunder)
            })
            .map(|s| format!("'{s}'")),
    );
    hits.dedup();
    if !hits.is_empty() {
        ctx.emit(
            codes.0,
            Severity::Critical,
            loc.clone(),
            format!(
                "chat template `{key}` reaches Python internals ({}): a Jinja sandbox escape",
                hits.join(", ")
            ),
        )
        .evidence = Some(hits.join(" "));
        return;
    }
    let mut names: Vec<&str> = idents
        .iter()
        .map(String::as_str)
        .filter(|i| DANGEROUS.contains(i))
        .collect();
    names.sort_unstable();
    names.dedup();
    if !names.is_empty() {
        ctx.emit(
            codes.1,
            Severity::High,
            loc,
            format!(
                "chat template `{key}` uses {}: not something a chat template needs",
                names.join(", ")
            ),
        )
        .evidence = Some(names.join(" "));
    }
}

// ---------------------------------------------------------------------------------------------------------------
// ONNX

/// Positioned protobuf reads with a window cache: a 2 GB model with inline weights costs the reads of its
/// message headers, never of its tensor bytes.
struct Pb<'a> {
    blob: Blob<'a>,
    win_at: u64,
    win: Vec<u8>,
}

const PB_WINDOW: usize = 64 << 10;

/// A protobuf field: number, wire type, then the varint value and its end, or the payload's start and end.
type PbField = (u64, u8, u64, u64);

impl Pb<'_> {
    fn byte(&mut self, at: u64) -> io::Result<Option<u8>> {
        if at >= self.blob.len() {
            return Ok(None);
        }
        if at < self.win_at || at >= self.win_at + self.win.len() as u64 {
            let n = (self.blob.len() - at).min(PB_WINDOW as u64) as usize;
            self.win = self.blob.read_at(at, n)?.into_owned();
            self.win_at = at;
        }
        Ok(Some(self.win[(at - self.win_at) as usize]))
    }

    fn varint(&mut self, mut at: u64, end: u64) -> io::Result<Option<(u64, u64)>> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            if at >= end {
                return Ok(None);
            }
            let Some(b) = self.byte(at)? else {
                return Ok(None);
            };
            at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(Some((v, at)));
            }
        }
        Ok(None)
    }

    fn bytes(&mut self, at: u64, n: u64) -> io::Result<Vec<u8>> {
        Ok(self.blob.read_at(at, n.min(1 << 20) as usize)?.into_owned())
    }

    /// The fields of the message in `[start, end)`: (field number, wire type, value or payload start, payload end).
    fn fields(&mut self, start: u64, end: u64) -> io::Result<Result<Vec<PbField>, u64>> {
        let mut out = Vec::new();
        let mut at = start;
        while at < end {
            let Some((tag, p)) = self.varint(at, end)? else {
                return Ok(Err(at));
            };
            let (field, wire) = (tag >> 3, (tag & 7) as u8);
            let next = match wire {
                0 => match self.varint(p, end)? {
                    Some((v, q)) => {
                        out.push((field, wire, v, q));
                        q
                    }
                    None => return Ok(Err(p)),
                },
                1 => {
                    out.push((field, wire, p, p + 8));
                    p + 8
                }
                5 => {
                    out.push((field, wire, p, p + 4));
                    p + 4
                }
                2 => match self.varint(p, end)? {
                    Some((n, q)) if q.checked_add(n).is_some_and(|e| e <= end) => {
                        out.push((field, wire, q, q + n));
                        q + n
                    }
                    _ => return Ok(Err(p)),
                },
                _ => return Ok(Err(at)),
            };
            if next > end || field == 0 {
                return Ok(Err(at));
            }
            at = next;
            if out.len() > 4_000_000 {
                return Ok(Err(at));
            }
        }
        Ok(Ok(out))
    }
}

const STANDARD_DOMAINS: &[&str] = &[
    "",
    "ai.onnx",
    "ai.onnx.ml",
    "ai.onnx.training",
    "ai.onnx.preview.training",
];

struct OnnxWalk {
    domains: std::collections::BTreeSet<String>,
    external: Vec<(String, u64)>,
    malformed: Option<u64>,
}

fn walk_graph(
    pb: &mut Pb<'_>,
    w: &mut OnnxWalk,
    start: u64,
    end: u64,
    depth: u32,
) -> io::Result<()> {
    if depth > 32 {
        return Ok(());
    }
    let fields = match pb.fields(start, end)? {
        Ok(f) => f,
        Err(at) => {
            w.malformed.get_or_insert(at);
            return Ok(());
        }
    };
    for (field, wire, a, b) in fields {
        if wire != 2 {
            continue;
        }
        match field {
            // NodeProto: domain (7), attributes (5) with subgraphs (g = 6, graphs = 11) and tensors (t = 5, tensors = 10).
            1 => {
                let node = match pb.fields(a, b)? {
                    Ok(f) => f,
                    Err(at) => {
                        w.malformed.get_or_insert(at);
                        continue;
                    }
                };
                for (nf, nw, na, nb) in node {
                    if nw != 2 {
                        continue;
                    }
                    if nf == 7 {
                        let d = String::from_utf8_lossy(&pb.bytes(na, nb - na)?).into_owned();
                        w.domains.insert(d);
                    } else if nf == 5 {
                        let attr = match pb.fields(na, nb)? {
                            Ok(f) => f,
                            Err(at) => {
                                w.malformed.get_or_insert(at);
                                continue;
                            }
                        };
                        for (af, aw, aa, ab) in attr {
                            match (af, aw) {
                                (6 | 11, 2) => walk_graph(pb, w, aa, ab, depth + 1)?,
                                (5 | 10, 2) => walk_tensor(pb, w, aa, ab)?,
                                _ => {}
                            }
                        }
                    }
                }
            }
            // initializer (5) and sparse_initializer (15: values = 1, indices = 2).
            5 => walk_tensor(pb, w, a, b)?,
            15 => {
                if let Ok(f) = pb.fields(a, b)? {
                    for (sf, sw, sa, sb) in f {
                        if sw == 2 && (sf == 1 || sf == 2) {
                            walk_tensor(pb, w, sa, sb)?;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// TensorProto: `external_data` (13) entries with key (1) and value (2); `location` names the file.
fn walk_tensor(pb: &mut Pb<'_>, w: &mut OnnxWalk, start: u64, end: u64) -> io::Result<()> {
    let fields = match pb.fields(start, end)? {
        Ok(f) => f,
        Err(at) => {
            w.malformed.get_or_insert(at);
            return Ok(());
        }
    };
    for (field, wire, a, b) in fields {
        if field != 13 || wire != 2 {
            continue;
        }
        let Ok(kv) = pb.fields(a, b)? else {
            w.malformed.get_or_insert(a);
            continue;
        };
        let mut key = Vec::new();
        let mut value = None;
        for (f, wt, x, y) in kv {
            if wt == 2 && f == 1 {
                key = pb.bytes(x, y - x)?;
            } else if wt == 2 && f == 2 {
                value = Some((pb.bytes(x, y - x)?, x));
            }
        }
        if key == b"location"
            && let Some((v, at)) = value
        {
            w.external
                .push((String::from_utf8_lossy(&v).into_owned(), at));
        }
    }
    Ok(())
}

/// True when an external-data path is absolute or climbs out of the model's directory.
fn escapes(location: &str) -> bool {
    let p = location.replace('\\', "/");
    if p.starts_with('/') || p.as_bytes().get(1) == Some(&b':') || p.starts_with("//") {
        return true;
    }
    let mut depth = 0i64;
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            _ => depth += 1,
        }
    }
    false
}

/// An ONNX model: external data locations and operator domains, by a minimal protobuf walk.
pub(crate) fn scan_onnx(ctx: &mut Ctx<'_>, blob: Blob<'_>, here: &Here) -> io::Result<()> {
    let mut pb = Pb {
        blob,
        win_at: 0,
        win: Vec::new(),
    };
    let mut w = OnnxWalk {
        domains: Default::default(),
        external: Vec::new(),
        malformed: None,
    };
    match pb.fields(0, blob.len())? {
        Ok(fields) => {
            for (field, wire, a, b) in fields {
                match (field, wire) {
                    (7, 2) => walk_graph(&mut pb, &mut w, a, b, 0)?,
                    // opset_import: OperatorSetIdProto.domain (1).
                    (8, 2) => {
                        if let Ok(f) = pb.fields(a, b)? {
                            for (of, ow, oa, ob) in f {
                                if of == 1 && ow == 2 {
                                    let d = String::from_utf8_lossy(&pb.bytes(oa, ob - oa)?)
                                        .into_owned();
                                    w.domains.insert(d);
                                }
                            }
                        }
                    }
                    // functions: FunctionProto nodes (3) are NodeProtos.
                    (25, 2) => {
                        if let Ok(f) = pb.fields(a, b)? {
                            for (ff, fw, fa, fb) in f {
                                if ff == 3 && fw == 2 {
                                    // Reuse the graph walk on a synthetic "graph" holding just this node.
                                    let mut sub = pb.fields(fa, fb)?.unwrap_or_default();
                                    for (nf, nw, na, nb) in sub.drain(..) {
                                        if nf == 7 && nw == 2 {
                                            let d =
                                                String::from_utf8_lossy(&pb.bytes(na, nb - na)?)
                                                    .into_owned();
                                            w.domains.insert(d);
                                        }
                                    }
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        Err(at) => {
            w.malformed = Some(at);
        }
    }
    if let Some(at) = w.malformed {
        ctx.emit(
            &crate::rules::ONNX_MALFORMED,
            Severity::Medium,
            here.at(at),
            format!("malformed protobuf at offset {at}: the rest of that message was not analysed"),
        );
        ctx.verdict = ctx.verdict.at_most(Completeness::Inconclusive);
    }
    let custom: Vec<&String> = w
        .domains
        .iter()
        .filter(|d| !STANDARD_DOMAINS.contains(&d.as_str()))
        .collect();
    if !custom.is_empty() {
        ctx.emit(
            &crate::rules::ONNX_CUSTOM_DOMAIN,
            Severity::Info,
            here.loc.clone(),
            format!(
                "operators from non-standard domain(s) {}: they need a custom operator library to run",
                custom.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
            ),
        );
    }
    let mut files = std::collections::BTreeSet::new();
    for (location, at) in &w.external {
        if escapes(location) {
            ctx.emit(
                &crate::rules::ONNX_EXTERNAL_DATA_ESCAPE,
                Severity::High,
                here.at(*at),
                format!("external data location `{location}` is absolute or leaves the model directory: loading reads that file"),
            )
            .evidence = Some(location.clone());
        } else {
            files.insert(location.as_str());
        }
    }
    if !files.is_empty() {
        ctx.emit(
            &crate::rules::ONNX_EXTERNAL_DATA,
            Severity::Info,
            here.loc.clone(),
            format!(
                "tensors stored in external file(s) {}",
                files
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_tokens() {
        let (i, s) = jinja_tokens(
            "{% for m in messages %}{{ '<|im_start|>' + m['role'] }}{% endfor %}hello os",
        );
        assert_eq!(i, ["for", "m", "in", "messages", "m", "endfor"]);
        assert_eq!(s, ["<|im_start|>", "role"]);
        assert_eq!(unescape(r"\x5f\x5fclass\u005f_"), "__class__");
    }

    #[test]
    fn path_escapes() {
        assert!(escapes("/etc/passwd"));
        assert!(escapes("../x"));
        assert!(escapes("a/../../x"));
        assert!(escapes("C:\\x"));
        assert!(!escapes("weights.bin"));
        assert!(!escapes("sub/../w.bin"));
    }
}
