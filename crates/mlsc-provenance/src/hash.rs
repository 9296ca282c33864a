//! Streaming digests of files and file ranges.
//!
//! Reads are 1 MiB, as in `mlsc_core::sha256_reader`: with SHA-NI, SHA-256 runs at about 2 GB/s per core here and
//! smaller reads cost measurable syscall overhead at that speed. Parallelism is the caller's business (rayon over
//! files and shards), so that one large file split in shards keeps every core busy.

use std::fmt;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::str::FromStr;

use md5::Md5;
use sha2::{Digest as _, Sha256};

use mlsc_core::{Finished, ScanSink as _, SharedSink};

use crate::Error;

pub(crate) const BUF: usize = 1 << 20;

/// A hash algorithm for manifest entries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashAlgorithm {
    /// SHA-256, model_signing's default.
    #[default]
    Sha256,
    /// BLAKE2b with a 64-byte digest (Python's `hashlib.blake2b()`), model_signing's `blake2b`.
    Blake2b,
    /// BLAKE3 with a 32-byte digest, model_signing's `blake3`.
    Blake3,
}

impl HashAlgorithm {
    /// The name model_signing records: `sha256`, `blake2b`, `blake3`.
    pub fn as_str(self) -> &'static str {
        match self {
            HashAlgorithm::Sha256 => "sha256",
            HashAlgorithm::Blake2b => "blake2b",
            HashAlgorithm::Blake3 => "blake3",
        }
    }

    /// Digest length in bytes.
    pub fn digest_len(self) -> usize {
        match self {
            HashAlgorithm::Sha256 | HashAlgorithm::Blake3 => 32,
            HashAlgorithm::Blake2b => 64,
        }
    }

    fn hasher(self) -> Hasher {
        match self {
            HashAlgorithm::Sha256 => Hasher::Sha256(Sha256::new()),
            HashAlgorithm::Blake2b => Hasher::Blake2b(Box::default()),
            HashAlgorithm::Blake3 => Hasher::Blake3(Box::default()),
        }
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let mut h = self.hasher();
        h.update(data);
        h.finish()
    }
}

impl fmt::Display for HashAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for HashAlgorithm {
    type Err = Error;

    /// Accepts model_signing's names, and `blake2` as its command line spells BLAKE2b.
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.to_ascii_lowercase().as_str() {
            "sha256" | "sha-256" => Ok(HashAlgorithm::Sha256),
            "blake2b" | "blake2" => Ok(HashAlgorithm::Blake2b),
            "blake3" => Ok(HashAlgorithm::Blake3),
            other => Err(Error::InvalidOption(format!(
                "unknown hash algorithm `{other}` (expected sha256, blake2b or blake3)"
            ))),
        }
    }
}

enum Hasher {
    Sha256(Sha256),
    Blake2b(Box<blake2::Blake2b512>),
    Blake3(Box<blake3::Hasher>),
}

impl Hasher {
    fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Sha256(h) => h.update(data),
            Hasher::Blake2b(h) => h.update(data),
            Hasher::Blake3(h) => {
                // BLAKE3 is a tree: one large file can use every core (model_signing does the same with
                // max_threads=AUTO). Below 128 KiB the split costs more than it gains.
                #[cfg(feature = "parallel")]
                if data.len() >= 1 << 17 {
                    h.update_rayon(data);
                    return;
                }
                h.update(data);
            }
        }
    }

    fn finish(self) -> Vec<u8> {
        match self {
            Hasher::Sha256(h) => h.finalize().to_vec(),
            Hasher::Blake2b(h) => h.finalize().to_vec(),
            Hasher::Blake3(h) => h.finalize().as_bytes().to_vec(),
        }
    }
}

/// Reads until `buf` is full or the reader ends, as Python's `file.read(n)` does; returns the bytes read.
fn fill(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The digest of bytes `start..end` of the file at `path`. A file that is shorter than `end` is an error: the
/// caller measured it, so it changed while being hashed. `sink` hears of it as the artefact `name`.
pub(crate) fn hash_range(
    path: &Path,
    start: u64,
    end: u64,
    algorithm: HashAlgorithm,
    (sink, name): (&SharedSink, &str),
) -> Result<Vec<u8>, Error> {
    sink.started(name, end - start);
    let io = |e| Error::io(path, e);
    let mut file = fs_err::File::open(path).map_err(|e| Error::io(path, e))?;
    if start > 0 {
        file.seek(SeekFrom::Start(start)).map_err(io)?;
    }
    let mut hasher = algorithm.hasher();
    let mut remaining = end - start;
    // Larger reads for BLAKE3, so that each one splits into enough work for the other cores.
    let chunk = if algorithm == HashAlgorithm::Blake3 {
        8 * BUF
    } else {
        BUF
    };
    let mut buf = vec![
        0u8;
        chunk
            .min(usize::try_from(remaining).unwrap_or(chunk))
            .max(1)
    ];
    while remaining > 0 {
        let want = buf
            .len()
            .min(usize::try_from(remaining).unwrap_or(buf.len()));
        let n = fill(&mut file, &mut buf[..want]).map_err(io)?;
        if n == 0 {
            return Err(Error::io(
                path,
                std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    format!("file shrank while hashing: {remaining} bytes short of offset {end}"),
                ),
            ));
        }
        hasher.update(&buf[..n]);
        sink.bytes(name, n as u64);
        remaining -= n as u64;
    }
    sink.finished(&Finished::new(name));
    Ok(hasher.finish())
}

/// How DVC computes a file's md5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DvcHash {
    /// DVC 3 `hash: md5`: the md5 of the bytes.
    Md5,
    /// DVC 2 (no `hash` field, `md5-dos2unix` in dvc-data): every 1 MiB chunk whose first 512 bytes look like text
    /// has its CRLF turned into LF before hashing. The chunking is part of the format: a CRLF split across two
    /// chunks stays as it is, exactly as DVC does.
    Md5Dos2Unix,
}

/// dvc-data's `istextblock`: empty is text; a NUL byte is binary; otherwise text when at most 30% of the bytes are
/// outside printable ASCII plus `\n\r\t\f\b`.
fn is_text_block(block: &[u8]) -> bool {
    if block.is_empty() {
        return true;
    }
    if block.contains(&0) {
        return false;
    }
    let nontext = block
        .iter()
        .filter(|&&b| !((32..127).contains(&b) || matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x08)))
        .count();
    // Python compares float(nontext) / len <= 0.30; integers avoid rounding differences at the boundary.
    (nontext as f64) / (block.len() as f64) <= 0.30
}

/// The md5 of a file as DVC computes it, and the file's size. `sink` hears of it as the artefact `name`.
pub(crate) fn dvc_md5(
    path: &Path,
    kind: DvcHash,
    (sink, name): (&SharedSink, &str),
) -> Result<([u8; 16], u64), Error> {
    let io = |e| Error::io(path, e);
    let mut file = fs_err::File::open(path).map_err(|e| Error::io(path, e))?;
    sink.started(name, file.metadata().map_or(0, |m| m.len()));
    let mut hasher = Md5::new();
    let mut buf = vec![0u8; BUF];
    let mut total = 0u64;
    loop {
        let n = fill(&mut file, &mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        total += n as u64;
        sink.bytes(name, n as u64);
        let chunk = &buf[..n];
        if kind == DvcHash::Md5Dos2Unix && is_text_block(&chunk[..n.min(512)]) {
            let mut i = 0;
            let mut from = 0;
            while i + 1 < chunk.len() {
                if chunk[i] == b'\r' && chunk[i + 1] == b'\n' {
                    hasher.update(&chunk[from..i]);
                    from = i + 1;
                    i += 2;
                } else {
                    i += 1;
                }
            }
            hasher.update(&chunk[from..]);
        } else {
            hasher.update(chunk);
        }
        if n < buf.len() {
            break;
        }
    }
    sink.finished(&Finished::new(name));
    Ok((hasher.finalize().into(), total))
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    mlsc_core::hex(bytes)
}

/// Bytes of a hex string, or `None` when it is not even-length hex.
pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return None;
    }
    b.chunks_exact(2)
        .map(|p| {
            let hi = (p[0] as char).to_digit(16)?;
            let lo = (p[1] as char).to_digit(16)?;
            Some((hi * 16 + lo) as u8)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        assert_eq!(
            hex(&HashAlgorithm::Sha256.digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // Python: hashlib.blake2b(b"abc").hexdigest()
        assert!(
            hex(&HashAlgorithm::Blake2b.digest(b"abc"))
                .starts_with("ba80a53f981c4d0d6a2797b69f12f6e9")
        );
        assert_eq!(
            hex(&HashAlgorithm::Blake3.digest(b"")),
            "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"
        );
    }

    #[test]
    fn ranges_and_dos2unix() {
        let sink = SharedSink::default();
        #[allow(non_snake_case)]
        let NO_SINK = (&sink, "");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        let data: Vec<u8> = (0..3 * BUF + 17).map(|i| (i % 251) as u8).collect();
        std::fs::write(&p, &data).unwrap();
        let whole = hash_range(&p, 0, data.len() as u64, HashAlgorithm::Sha256, NO_SINK).unwrap();
        assert_eq!(whole, HashAlgorithm::Sha256.digest(&data));
        let mid = hash_range(
            &p,
            1000,
            2 * BUF as u64 + 5,
            HashAlgorithm::Blake2b,
            NO_SINK,
        )
        .unwrap();
        assert_eq!(mid, HashAlgorithm::Blake2b.digest(&data[1000..2 * BUF + 5]));
        assert!(hash_range(&p, 0, data.len() as u64 + 1, HashAlgorithm::Sha256, NO_SINK).is_err());
        // The multi-threaded BLAKE3 path gives the one-shot digest.
        let b3 = hash_range(&p, 0, data.len() as u64, HashAlgorithm::Blake3, NO_SINK).unwrap();
        assert_eq!(b3, blake3::hash(&data).as_bytes().to_vec());

        let t = dir.path().join("t");
        std::fs::write(&t, b"a\r\nb\r\nc").unwrap();
        let (d, n) = dvc_md5(&t, DvcHash::Md5Dos2Unix, NO_SINK).unwrap();
        assert_eq!(n, 7);
        assert_eq!(d.to_vec(), Md5::digest(b"a\nb\nc").to_vec());
        let (d, _) = dvc_md5(&t, DvcHash::Md5, NO_SINK).unwrap();
        assert_eq!(d.to_vec(), Md5::digest(b"a\r\nb\r\nc").to_vec());
        // Binary (NUL byte): never normalised.
        std::fs::write(&t, b"\0\r\n").unwrap();
        let (d, _) = dvc_md5(&t, DvcHash::Md5Dos2Unix, NO_SINK).unwrap();
        assert_eq!(d.to_vec(), Md5::digest(b"\0\r\n").to_vec());
    }
}
