//! Python's text codecs as the unpickler applies them, and Python's `repr`, for the disassembler.

/// `codecs.escape_decode`: what protocol 0 STRING arguments go through. Unknown escapes stay as written.
pub(crate) fn escape_decode(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c != b'\\' || i + 1 >= s.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let e = s[i + 1];
        i += 2;
        match e {
            b'\n' => {}
            b'\\' => out.push(b'\\'),
            b'\'' => out.push(b'\''),
            b'"' => out.push(b'"'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                let mut k = 0;
                while k < 2 && i < s.len() && (b'0'..=b'7').contains(&s[i]) {
                    v = v * 8 + u32::from(s[i] - b'0');
                    i += 1;
                    k += 1;
                }
                out.push((v & 0xff) as u8);
            }
            b'x' => {
                let hex = s.get(i..i + 2).and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => {
                        out.push(b'\\');
                        out.push(b'x');
                    }
                }
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    out
}

/// `raw-unicode-escape` decoding, as protocol 0 UNICODE arguments go through, into UTF-8.
pub(crate) fn raw_unicode_escape(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c == b'\\' && i + 1 < s.len() && (s[i + 1] == b'u' || s[i + 1] == b'U') {
            // An odd run of backslashes before u escapes; raw-unicode-escape only looks at the one before 'u'.
            let n = if s[i + 1] == b'u' { 4 } else { 8 };
            if let Some(h) = s.get(i + 2..i + 2 + n)
                && let Ok(h) = std::str::from_utf8(h)
                && let Ok(v) = u32::from_str_radix(h, 16)
            {
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                i += 2 + n;
                continue;
            }
        }
        // Bytes are Latin-1.
        out.push(char::from(c));
        i += 1;
    }
    out
}

/// Python's `repr` of a `str`.
pub(crate) fn py_repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if (0x80..0xa0).contains(&(c as u32)) || c == '\u{ad}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if is_unprintable(c) => {
                let v = c as u32;
                if v <= 0xff {
                    out.push_str(&format!("\\x{v:02x}"));
                } else if v <= 0xffff {
                    out.push_str(&format!("\\u{v:04x}"));
                } else {
                    out.push_str(&format!("\\U{v:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// A rough `str.isprintable`: surrogates, private use, unassigned planes and format characters are not.
fn is_unprintable(c: char) -> bool {
    let v = c as u32;
    matches!(v, 0x2028 | 0x2029 | 0x200b..=0x200f | 0x202a..=0x202e | 0x2060..=0x2064 | 0xfeff)
        || (0xe000..=0xf8ff).contains(&v)
        || (0xfff0..=0xfffb).contains(&v)
        || v == 0xfffe
        || v == 0xffff
        || v >= 0xe0000
}

/// Python's `repr` of a `bytes`.
pub(crate) fn py_repr_bytes(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    let mut out = String::with_capacity(b.len() + 3);
    out.push('b');
    out.push(quote as char);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push(quote as char);
    out
}

/// Python's `repr` of a `float`: shortest round trip, scientific below 1e-4 and from 1e16.
pub(crate) fn py_repr_float(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let sci = format!("{x:e}");
    let (mant, exp) = sci.split_once('e').expect("`{:e}` always has an exponent");
    let exp: i32 = exp.parse().expect("`{:e}` exponents are integers");
    if x != 0.0 && !(-4..16).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mant}e{sign}{:02}", exp.abs());
    }
    let s = format!("{x}");
    if s.contains('.') { s } else { format!("{s}.0") }
}

/// The little-endian two's complement integer of LONG1/LONG4, in decimal.
pub(crate) fn decode_long(b: &[u8]) -> String {
    if b.is_empty() {
        return "0".into();
    }
    if b.len() <= 16 {
        let mut buf = if b[b.len() - 1] & 0x80 != 0 {
            [0xffu8; 16]
        } else {
            [0u8; 16]
        };
        buf[..b.len()].copy_from_slice(b);
        return i128::from_le_bytes(buf).to_string();
    }
    // Big values: schoolbook base conversion on the magnitude.
    let neg = b[b.len() - 1] & 0x80 != 0;
    let mut mag: Vec<u8> = b.to_vec();
    if neg {
        // Two's complement negate.
        let mut carry = 1u16;
        for x in &mut mag {
            let v = u16::from(!*x) + carry;
            *x = v as u8;
            carry = v >> 8;
        }
    }
    let mut digits = Vec::new();
    let mut num: Vec<u32> = mag.iter().rev().map(|&x| u32::from(x)).collect();
    while num.iter().any(|&d| d != 0) {
        let mut rem = 0u32;
        for d in &mut num {
            let cur = rem * 256 + *d;
            *d = cur / 10;
            rem = cur % 10;
        }
        digits.push(b'0' + rem as u8);
    }
    if digits.is_empty() {
        digits.push(b'0');
    }
    if neg {
        digits.push(b'-');
    }
    digits.reverse();
    String::from_utf8(digits).expect("digits are ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codecs() {
        assert_eq!(escape_decode(br"a\n\\b\x00c\td\'"), b"a\n\\b\x00c\td'");
        assert_eq!(escape_decode(br"\157s"), b"os");
        assert_eq!(raw_unicode_escape(br"\u0073ystem"), "system");
        assert_eq!(raw_unicode_escape(b"caf\xe9"), "caf\u{e9}");
    }

    #[test]
    fn reprs() {
        assert_eq!(py_repr_str("it's"), "\"it's\"");
        assert_eq!(py_repr_str("a\nb'\""), "'a\\nb\\'\"'");
        assert_eq!(py_repr_bytes(b"\x80ab'"), "b\"\\x80ab'\"");
        assert_eq!(py_repr_float(1.0), "1.0");
        assert_eq!(py_repr_float(1e-5), "1e-05");
        assert_eq!(py_repr_float(1e16), "1e+16");
        assert_eq!(py_repr_float(0.1), "0.1");
        assert_eq!(py_repr_float(-2.5e-7), "-2.5e-07");
        assert_eq!(py_repr_float(123456789.125), "123456789.125");
        assert_eq!(decode_long(&[0xff]), "-1");
        assert_eq!(decode_long(&[0x00, 0x80]), "-32768");
        let big = [0u8; 17].iter().copied().chain([1]).collect::<Vec<_>>();
        assert_eq!(
            decode_long(&big),
            "87112285931760246646623899502532662132736"
        );
    }
}
