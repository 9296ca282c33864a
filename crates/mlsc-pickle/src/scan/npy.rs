//! NumPy `.npy` (header versions 1, 2 and 3). The header is a Python dictionary literal, parsed here with
//! bounds (never evaluated). Object dtypes — and structured dtypes with an object field — store their data as a
//! pickle, which `numpy.load(allow_pickle=True)` unpickles: that pickle is analysed. Numeric data is never parsed
//! as a pickle, so a uint8 array that happens to spell one is benign.

use std::io;

use mlsc_core::Severity;

use super::blob::Blob;
use super::{Ctx, Here};

/// A Python literal, as far as `.npy` headers need.
#[derive(Debug, Clone, PartialEq)]
enum Lit {
    Str(String),
    Int(i128),
    Bool(bool),
    None,
    Seq(Vec<Lit>),
    Dict(Vec<(Lit, Lit)>),
}

struct Parser<'a> {
    s: &'a [u8],
    p: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.p < self.s.len() && self.s[self.p].is_ascii_whitespace() {
            self.p += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.s.get(self.p) == Some(&c) {
            self.p += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: u32) -> Result<Lit, String> {
        if depth > 32 {
            return Err("nested too deep".into());
        }
        self.ws();
        let Some(&c) = self.s.get(self.p) else {
            return Err("unexpected end".into());
        };
        match c {
            b'\'' | b'"' => {
                self.p += 1;
                let start = self.p;
                while self.p < self.s.len() && self.s[self.p] != c {
                    if self.s[self.p] == b'\\' {
                        self.p += 1;
                    }
                    self.p += 1;
                }
                if self.p >= self.s.len() {
                    return Err("unterminated string".into());
                }
                let v = String::from_utf8_lossy(&self.s[start..self.p]).into_owned();
                self.p += 1;
                Ok(Lit::Str(v))
            }
            b'(' | b'[' => {
                self.p += 1;
                let close = if c == b'(' { b')' } else { b']' };
                let mut items = Vec::new();
                loop {
                    if self.eat(close) {
                        return Ok(Lit::Seq(items));
                    }
                    items.push(self.value(depth + 1)?);
                    if !self.eat(b',') {
                        if self.eat(close) {
                            return Ok(Lit::Seq(items));
                        }
                        return Err(format!("expected `,` or `{}` at {}", close as char, self.p));
                    }
                }
            }
            b'{' => {
                self.p += 1;
                let mut items = Vec::new();
                loop {
                    if self.eat(b'}') {
                        return Ok(Lit::Dict(items));
                    }
                    let k = self.value(depth + 1)?;
                    if !self.eat(b':') {
                        return Err(format!("expected `:` at {}", self.p));
                    }
                    let v = self.value(depth + 1)?;
                    items.push((k, v));
                    if !self.eat(b',') {
                        if self.eat(b'}') {
                            return Ok(Lit::Dict(items));
                        }
                        return Err(format!("expected `,` or `}}` at {}", self.p));
                    }
                }
            }
            _ => {
                let start = self.p;
                while self.p < self.s.len()
                    && (self.s[self.p].is_ascii_alphanumeric()
                        || matches!(self.s[self.p], b'-' | b'_'))
                {
                    self.p += 1;
                }
                let word = std::str::from_utf8(&self.s[start..self.p]).unwrap_or("");
                let word = word.trim_end_matches('L');
                match word {
                    "True" => Ok(Lit::Bool(true)),
                    "False" => Ok(Lit::Bool(false)),
                    "None" => Ok(Lit::None),
                    w => w
                        .parse::<i128>()
                        .map(Lit::Int)
                        .map_err(|_| format!("unexpected `{w}` at {start}")),
                }
            }
        }
    }
}

fn parse_header(text: &[u8]) -> Result<Lit, String> {
    let mut p = Parser { s: text, p: 0 };
    let v = p.value(0)?;
    p.ws();
    Ok(v)
}

/// True when a dtype description has an object type anywhere.
fn has_object(descr: &Lit) -> bool {
    match descr {
        Lit::Str(s) => s.trim_start_matches(['<', '>', '|', '=']).starts_with('O'),
        // Structured: a list of (name, dtype) or (name, dtype, shape) tuples.
        Lit::Seq(fields) => fields.iter().any(|f| match f {
            Lit::Seq(parts) => parts.get(1).is_some_and(has_object),
            _ => false,
        }),
        _ => false,
    }
}

/// The item size of a dtype description, when it is one of the simple forms.
fn itemsize(descr: &Lit) -> Option<u64> {
    match descr {
        Lit::Str(s) => {
            let t = s.trim_start_matches(['<', '>', '|', '=']);
            let kind = t.chars().next()?;
            let digits: String = t[kind.len_utf8()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            let n: u64 = if digits.is_empty() {
                0
            } else {
                digits.parse().ok()?
            };
            match kind {
                'b' | '?' => Some(1),
                'i' | 'u' | 'f' | 'c' | 'S' | 'a' | 'V' | 'M' | 'm' => Some(n),
                'U' => n.checked_mul(4),
                _ => None,
            }
        }
        Lit::Seq(fields) => fields.iter().try_fold(0u64, |acc, f| {
            let Lit::Seq(parts) = f else { return None };
            let base = itemsize(parts.get(1)?)?;
            let count = match parts.get(2) {
                Some(Lit::Seq(dims)) => dims.iter().try_fold(1u64, |a, d| match d {
                    Lit::Int(i) => a.checked_mul(u64::try_from(*i).ok()?),
                    _ => None,
                })?,
                Some(Lit::Int(i)) => u64::try_from(*i).ok()?,
                _ => 1,
            };
            acc.checked_add(base.checked_mul(count)?)
        }),
        _ => None,
    }
}

/// A `.npy` array.
pub(crate) fn scan_npy(ctx: &mut Ctx<'_>, blob: Blob<'_>, here: &Here) -> io::Result<()> {
    scan_npy_sized(ctx, blob, here, None).map(|_| ())
}

/// A `.npy` array of which `blob` may hold only the start (a deflated `.npz` member is not inflated past its
/// header), the whole being `total` bytes. Returns `Ok(false)` when the array has an object dtype and `blob`
/// does not hold it all: the caller must then provide the whole member.
pub(crate) fn scan_npy_sized(
    ctx: &mut Ctx<'_>,
    blob: Blob<'_>,
    here: &Here,
    total: Option<u64>,
) -> io::Result<bool> {
    let total = total.unwrap_or(blob.len());
    let partial = total > blob.len();
    let head = blob.prefix(12)?;
    let bad = |ctx: &mut Ctx<'_>, at: u64, why: String| {
        ctx.emit(
            &crate::rules::NPY_MALFORMED_HEADER,
            Severity::Medium,
            here.at(at),
            why,
        );
        ctx.verdict = ctx.verdict.at_most(mlsc_core::Completeness::Inconclusive);
    };
    if head.len() < 10 {
        bad(ctx, 0, "truncated before the header length".into());
        return Ok(true);
    }
    let (major, minor) = (head[6], head[7]);
    let (hlen, hstart) = match major {
        1 => (u64::from(u16::from_le_bytes([head[8], head[9]])), 10u64),
        2 | 3 if head.len() >= 12 => (
            u64::from(u32::from_le_bytes([head[8], head[9], head[10], head[11]])),
            12,
        ),
        _ => {
            bad(ctx, 6, format!("unknown format version {major}.{minor}"));
            return Ok(true);
        }
    };
    if hlen > ctx.opts.limits.max_header || hstart + hlen > blob.len() {
        bad(
            ctx,
            8,
            format!(
                "header length {hlen} is impossible (file of {} bytes, limit {})",
                blob.len(),
                ctx.opts.limits.max_header
            ),
        );
        return Ok(true);
    }
    let text = blob.read_at(hstart, hlen as usize)?;
    let dict = match parse_header(&text) {
        Ok(Lit::Dict(d)) => d,
        Ok(_) => {
            bad(ctx, hstart, "the header is not a dictionary".into());
            return Ok(true);
        }
        Err(e) => {
            bad(
                ctx,
                hstart,
                format!("the header is not a Python literal: {e}"),
            );
            return Ok(true);
        }
    };
    let get = |k: &str| {
        dict.iter()
            .find(|(key, _)| *key == Lit::Str(k.into()))
            .map(|(_, v)| v)
    };
    let (Some(descr), Some(Lit::Bool(_)), Some(Lit::Seq(shape))) =
        (get("descr"), get("fortran_order"), get("shape"))
    else {
        bad(
            ctx,
            hstart,
            "the header lacks `descr`, a boolean `fortran_order` or a tuple `shape`".into(),
        );
        return Ok(true);
    };
    let data_at = hstart + hlen;
    let data = blob.sub(data_at, u64::MAX);
    let data_len = total.saturating_sub(data_at);
    if has_object(descr) && partial {
        return Ok(false);
    }
    if has_object(descr) {
        ctx.emit(
            &crate::rules::NPY_OBJECT_ARRAY,
            Severity::Info,
            here.at(data_at),
            "object dtype: the array data is a pickle (numpy.load(allow_pickle=True) unpickles it); analysed",
        );
        ctx.pickle_blob(data, &here.loc, data_at)?;
        return Ok(true);
    }
    let count = shape.iter().try_fold(1u64, |a, d| match d {
        Lit::Int(i) => a.checked_mul(u64::try_from(*i).ok()?),
        _ => None,
    });
    let Some(count) = count else {
        bad(
            ctx,
            hstart,
            format!("the shape {shape:?} is not a tuple of sizes"),
        );
        return Ok(true);
    };
    if let Some(size) = itemsize(descr).and_then(|s| s.checked_mul(count))
        && size != data_len
    {
        ctx.emit(
            &crate::rules::NPY_SIZE_MISMATCH,
            Severity::Low,
            here.at(data_at),
            format!(
                "shape and dtype need {size} bytes of data, the file has {}",
                data_len
            ),
        );
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_headers() {
        let h = b"{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }";
        let Lit::Dict(d) = parse_header(h).unwrap() else {
            panic!()
        };
        assert_eq!(d.len(), 3);
        let s = b"{'descr': [('a', '<i4'), ('b', '|O'), ('c', '<f8', (2, 3))], 'fortran_order': False, 'shape': (2,), }";
        let Lit::Dict(d) = parse_header(s).unwrap() else {
            panic!()
        };
        assert!(has_object(&d[0].1));
        assert_eq!(itemsize(&d[0].1), None);
        let s2 = parse_header(b"[('a', '<i4'), ('c', '<f8', (2, 3))]").unwrap();
        assert!(!has_object(&s2));
        assert_eq!(itemsize(&s2), Some(4 + 48));
        assert_eq!(itemsize(&Lit::Str("<U3".into())), Some(12));
        assert!(parse_header(b"{'a': (((((").is_err());
        let deep = "[".repeat(100);
        assert!(parse_header(deep.as_bytes()).is_err());
    }
}
