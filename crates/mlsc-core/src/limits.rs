//! Resource limits every parser takes. Hitting one makes a verdict inconclusive, with a finding; it is never a
//! crash, a hang or an allocation the input asked for.

use serde::{Deserialize, Serialize};

/// Resource limits for analysing one input.
///
/// ```
/// let mut limits = mlsc_core::Limits::default();
/// limits.max_depth = 2;
/// assert!(limits.max_decompressed_bytes >= 1 << 30);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Limits {
    /// Most bytes read from one input file. By default, 64 GiB.
    pub max_read_bytes: u64,
    /// Most bytes produced by decompressing one stream or archive member. By default, 4 GiB.
    pub max_decompressed_bytes: u64,
    /// Largest ratio of decompressed to compressed size, checked once more than 16 MiB has come out.
    /// By default, 1000.
    pub max_ratio: u64,
    /// Deepest nesting of containers (a pickle in a zip in a tar.gz is depth 3). By default, 8.
    pub max_depth: u32,
    /// Most members of one archive that are examined. By default, 100 000.
    pub max_members: u64,
    /// Most opcodes analysed in one pickle stream, or twice the bytes read so far when that is more (every opcode
    /// reads a byte, so a large benign pickle is never cut short). By default, 500 million.
    pub max_opcodes: u64,
    /// Deepest pickle stack (items, marks included), or one item per 8 bytes read so far when that is more.
    /// By default, 1 million.
    pub max_stack: u64,
    /// Most pickle memo entries, or one per byte read so far when that is more (an entry costs at least a
    /// byte, so memory stays linear in the input). By default, 4 million.
    pub max_memo: u64,
    /// Most bytes of one string or bytes argument kept for analysis (the rest is skipped, never copied).
    /// By default, 1 MiB.
    pub max_string: u64,
    /// Largest metadata header (safetensors JSON, GGUF metadata, npy header) parsed. By default, 100 MB.
    pub max_header: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_read_bytes: 64 << 30,
            max_decompressed_bytes: 4 << 30,
            max_ratio: 1000,
            max_depth: 8,
            max_members: 100_000,
            max_opcodes: 500_000_000,
            max_stack: 1_000_000,
            max_memo: 4_000_000,
            max_string: 1 << 20,
            max_header: 100_000_000,
        }
    }
}
