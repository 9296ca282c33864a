//! The pickle opcode table, protocols 0 to 5: the one table both [`crate::sniff`] and `mlsc-pickle` read.
//!
//! Each opcode byte maps to its name and to how its argument is laid out in the stream, as CPython's
//! `pickletools` documents them.

/// How an opcode's argument is encoded in the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// No argument.
    None,
    /// A fixed number of bytes (1, 2, 4 or 8).
    Fixed(u8),
    /// A `\n`-terminated line (protocol 0 text arguments: INT, FLOAT, STRING, PUT, GET, …).
    Line,
    /// Two `\n`-terminated lines (GLOBAL, INST: module then name).
    TwoLines,
    /// A 1-byte length, then that many bytes.
    Len1,
    /// A 4-byte little-endian length, then that many bytes (signed for BINSTRING and LONG4).
    Len4,
    /// An 8-byte little-endian length, then that many bytes.
    Len8,
}

/// One opcode: its byte, its name as `pickletools` prints it, its argument and the protocol that introduced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpInfo {
    /// The opcode byte.
    pub code: u8,
    /// The name `pickletools` uses, `STACK_GLOBAL`.
    pub name: &'static str,
    /// How the argument is laid out.
    pub arg: ArgKind,
    /// The protocol that introduced it.
    pub proto: u8,
}

macro_rules! ops {
    ($($code:literal $name:ident $arg:expr, $proto:literal;)*) => {
        /// Every opcode of protocols 0 to 5.
        pub const OPCODES: &[OpInfo] = &[
            $(OpInfo { code: $code, name: stringify!($name), arg: $arg, proto: $proto },)*
        ];

        /// The opcode bytes by their `pickletools` names, for matching: `op::STACK_GLOBAL` is `0x93`.
        ///
        /// ```
        /// use mlsc_core::pickle_ops::op;
        ///
        /// assert_eq!(op::STACK_GLOBAL, 0x93);
        /// assert!(matches!(b'c', op::GLOBAL | op::INST));
        /// ```
        pub mod op {
            $(
                #[doc = concat!("`", stringify!($name), "`, introduced in protocol ", stringify!($proto), ".")]
                pub const $name: u8 = $code;
            )*
        }
    };
}

use ArgKind::{Fixed, Len1, Len4, Len8, Line, None as NoArg, TwoLines};

ops! {
    b'(' MARK NoArg, 0;
    b'.' STOP NoArg, 0;
    b'0' POP NoArg, 0;
    b'1' POP_MARK NoArg, 1;
    b'2' DUP NoArg, 0;
    b'F' FLOAT Line, 0;
    b'I' INT Line, 0;
    b'J' BININT Fixed(4), 1;
    b'K' BININT1 Fixed(1), 1;
    b'L' LONG Line, 0;
    b'M' BININT2 Fixed(2), 1;
    b'N' NONE NoArg, 0;
    b'P' PERSID Line, 0;
    b'Q' BINPERSID NoArg, 1;
    b'R' REDUCE NoArg, 0;
    b'S' STRING Line, 0;
    b'T' BINSTRING Len4, 1;
    b'U' SHORT_BINSTRING Len1, 1;
    b'V' UNICODE Line, 0;
    b'X' BINUNICODE Len4, 1;
    b'a' APPEND NoArg, 0;
    b'b' BUILD NoArg, 0;
    b'c' GLOBAL TwoLines, 0;
    b'd' DICT NoArg, 0;
    b'}' EMPTY_DICT NoArg, 1;
    b'e' APPENDS NoArg, 1;
    b'g' GET Line, 0;
    b'h' BINGET Fixed(1), 1;
    b'i' INST TwoLines, 0;
    b'j' LONG_BINGET Fixed(4), 1;
    b'l' LIST NoArg, 0;
    b']' EMPTY_LIST NoArg, 1;
    b'o' OBJ NoArg, 1;
    b'p' PUT Line, 0;
    b'q' BINPUT Fixed(1), 1;
    b'r' LONG_BINPUT Fixed(4), 1;
    b's' SETITEM NoArg, 0;
    b't' TUPLE NoArg, 0;
    b')' EMPTY_TUPLE NoArg, 1;
    b'u' SETITEMS NoArg, 1;
    b'G' BINFLOAT Fixed(8), 1;
    0x80 PROTO Fixed(1), 2;
    0x81 NEWOBJ NoArg, 2;
    0x82 EXT1 Fixed(1), 2;
    0x83 EXT2 Fixed(2), 2;
    0x84 EXT4 Fixed(4), 2;
    0x85 TUPLE1 NoArg, 2;
    0x86 TUPLE2 NoArg, 2;
    0x87 TUPLE3 NoArg, 2;
    0x88 NEWTRUE NoArg, 2;
    0x89 NEWFALSE NoArg, 2;
    0x8a LONG1 Len1, 2;
    0x8b LONG4 Len4, 2;
    b'B' BINBYTES Len4, 3;
    b'C' SHORT_BINBYTES Len1, 3;
    0x8c SHORT_BINUNICODE Len1, 4;
    0x8d BINUNICODE8 Len8, 4;
    0x8e BINBYTES8 Len8, 4;
    0x8f EMPTY_SET NoArg, 4;
    0x90 ADDITEMS NoArg, 4;
    0x91 FROZENSET NoArg, 4;
    0x92 NEWOBJ_EX NoArg, 4;
    0x93 STACK_GLOBAL NoArg, 4;
    0x94 MEMOIZE NoArg, 4;
    0x95 FRAME Fixed(8), 4;
    0x96 BYTEARRAY8 Len8, 5;
    0x97 NEXT_BUFFER NoArg, 5;
    0x98 READONLY_BUFFER NoArg, 5;
}

const fn build_index() -> [u8; 256] {
    let mut index = [u8::MAX; 256];
    let mut i = 0;
    while i < OPCODES.len() {
        index[OPCODES[i].code as usize] = i as u8;
        i += 1;
    }
    index
}

static INDEX: [u8; 256] = build_index();

/// The opcode that `byte` encodes, if any.
///
/// ```
/// let op = mlsc_core::pickle_ops::lookup(0x93).unwrap();
/// assert_eq!(op.name, "STACK_GLOBAL");
/// assert!(mlsc_core::pickle_ops::lookup(b'{').is_none());
/// ```
pub fn lookup(byte: u8) -> Option<&'static OpInfo> {
    match INDEX[byte as usize] {
        u8::MAX => None,
        i => Some(&OPCODES[i as usize]),
    }
}

/// Why a pickle opcode could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// The byte is no opcode.
    UnknownOpcode(u8),
    /// The stream ends inside the opcode's argument.
    Truncated,
    /// A length field is negative (BINSTRING, LONG4).
    NegativeLength,
}

/// One opcode as it sits in the stream: where its argument starts and ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawOp {
    /// The opcode.
    pub op: &'static OpInfo,
    /// The argument's bytes, without length prefix or line terminators, as `start..end` of the input.
    pub arg: (usize, usize),
    /// For GLOBAL and INST, the second line, as `start..end` of the input.
    pub arg2: Option<(usize, usize)>,
    /// The offset just past the opcode and its argument.
    pub next: usize,
}

/// Decodes the opcode at `pos` of `data` without interpreting its argument.
///
/// Lengths are checked against the input before anything is sliced, so a length field claiming gigabytes is
/// [`DecodeError::Truncated`] on a short input, never an allocation.
pub fn decode_at(data: &[u8], pos: usize) -> Result<RawOp, DecodeError> {
    let byte = *data.get(pos).ok_or(DecodeError::Truncated)?;
    let op = lookup(byte).ok_or(DecodeError::UnknownOpcode(byte))?;
    let start = pos + 1;
    let line = |from: usize| -> Result<(usize, usize), DecodeError> {
        let rest = data.get(from..).ok_or(DecodeError::Truncated)?;
        match rest.iter().position(|&b| b == b'\n') {
            Some(n) => Ok((from, from + n)),
            None => Err(DecodeError::Truncated),
        }
    };
    let sized = |len_bytes: usize, signed: bool| -> Result<RawOp, DecodeError> {
        let raw = data
            .get(start..start + len_bytes)
            .ok_or(DecodeError::Truncated)?;
        let mut buf = [0u8; 8];
        buf[..len_bytes].copy_from_slice(raw);
        let len = u64::from_le_bytes(buf);
        if signed && len_bytes == 4 && len & 0x8000_0000 != 0 {
            return Err(DecodeError::NegativeLength);
        }
        let body = start + len_bytes;
        let end = usize::try_from(len)
            .ok()
            .and_then(|l| body.checked_add(l))
            .filter(|&end| end <= data.len())
            .ok_or(DecodeError::Truncated)?;
        Ok(RawOp {
            op,
            arg: (body, end),
            arg2: None,
            next: end,
        })
    };
    match op.arg {
        NoArg => Ok(RawOp {
            op,
            arg: (start, start),
            arg2: None,
            next: start,
        }),
        Fixed(n) => {
            let end = start + n as usize;
            if end > data.len() {
                return Err(DecodeError::Truncated);
            }
            Ok(RawOp {
                op,
                arg: (start, end),
                arg2: None,
                next: end,
            })
        }
        Line => {
            let (s, e) = line(start)?;
            Ok(RawOp {
                op,
                arg: (s, e),
                arg2: None,
                next: e + 1,
            })
        }
        TwoLines => {
            let (s1, e1) = line(start)?;
            let (s2, e2) = line(e1 + 1)?;
            Ok(RawOp {
                op,
                arg: (s1, e1),
                arg2: Some((s2, e2)),
                next: e2 + 1,
            })
        }
        Len1 => sized(1, false),
        Len4 => sized(4, matches!(op.code, b'T' | 0x8b)),
        Len8 => sized(8, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_unique_codes_and_names() {
        let mut codes: Vec<u8> = OPCODES.iter().map(|o| o.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), OPCODES.len());
        assert_eq!(OPCODES.len(), 68, "protocols 0-5 define 68 opcodes");
    }

    #[test]
    fn huge_length_is_truncated_not_allocated() {
        let data = [0x8e, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, b'x'];
        assert_eq!(decode_at(&data, 0), Err(DecodeError::Truncated));
        let data = [b'T', 0xff, 0xff, 0xff, 0xff];
        assert_eq!(decode_at(&data, 0), Err(DecodeError::NegativeLength));
    }

    #[test]
    fn global_has_two_lines() {
        let data = b"cos\nsystem\n.";
        let raw = decode_at(data, 0).unwrap();
        assert_eq!(&data[raw.arg.0..raw.arg.1], b"os");
        let (s, e) = raw.arg2.unwrap();
        assert_eq!(&data[s..e], b"system");
        assert_eq!(raw.next, 11);
    }
}
