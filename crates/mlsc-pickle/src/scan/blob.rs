//! A byte source a container is read from: a region of an open file (read with positioned reads, so a 1 GiB
//! checkpoint costs the reads of its directory and its pickles, not of its tensors) or bytes already in memory
//! (a decompressed member), or a region of a [`RangeSource`](mlsc_core::RangeSource) (a remote object read by HTTP ranges).

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::io::{self, Read, Seek, SeekFrom};

/// The bytes read from a file: the readers read some regions more than once (a sniff, then the parse; a zip's
/// end records, then its directory), so the sum of the reads can exceed the file. What is reported is the union of
/// the regions read, which never does.
#[derive(Debug, Default)]
pub(crate) struct ReadCount {
    /// Disjoint `[start, end)` regions, sorted.
    regions: RefCell<Vec<(u64, u64)>>,
    /// Bytes of the reads made after `regions` was full, counted as read (an upper bound, clamped to the file).
    overflow: Cell<u64>,
}

/// Most regions tracked: a pickle streamed in 64 KiB reads merges into one region, so real scans stay far below.
const MAX_REGIONS: usize = 4096;

impl ReadCount {
    pub(crate) fn add(&self, start: u64, len: u64) {
        if len == 0 {
            return;
        }
        let end = start.saturating_add(len);
        let mut r = self.regions.borrow_mut();
        // The first region that ends at or after `start`: it and the following ones that begin before `end` merge.
        let i = r.partition_point(|&(_, e)| e < start);
        let mut j = i;
        let (mut a, mut b) = (start, end);
        while j < r.len() && r[j].0 <= end {
            a = a.min(r[j].0);
            b = b.max(r[j].1);
            j += 1;
        }
        if j == i && r.len() >= MAX_REGIONS {
            self.overflow.set(self.overflow.get().saturating_add(len));
            return;
        }
        r.splice(i..j, [(a, b)]);
    }

    /// The bytes read, each counted once, at most `size`.
    pub(crate) fn get(&self, size: u64) -> u64 {
        let covered: u64 = self.regions.borrow().iter().map(|&(a, b)| b - a).sum();
        covered.saturating_add(self.overflow.get()).min(size)
    }
}

/// A readable range of bytes.
#[derive(Clone, Copy)]
pub(crate) enum Blob<'a> {
    /// `len` bytes of `file` starting at `start`; `read` records the regions read from disk.
    File {
        file: &'a std::fs::File,
        start: u64,
        len: u64,
        read: &'a ReadCount,
    },
    /// Bytes in memory.
    Mem(&'a [u8]),
    // -- remote sources (issue 16): the same reads, through the shared range interface --
    /// `len` bytes of `src` starting at `start`; `read` records the regions asked of the source.
    Range {
        // The trait is named, not imported: `&[u8]` implements it, and `m.len()` here must stay the slice's.
        src: &'a dyn mlsc_core::RangeSource,
        start: u64,
        len: u64,
        read: &'a ReadCount,
    },
}

impl std::fmt::Debug for Blob<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Blob::File { start, len, .. } => write!(f, "Blob::File({start}+{len})"),
            Blob::Mem(m) => write!(f, "Blob::Mem({})", m.len()),
            Blob::Range { start, len, .. } => write!(f, "Blob::Range({start}+{len})"),
        }
    }
}

impl<'a> Blob<'a> {
    /// Its length in bytes.
    pub(crate) fn len(&self) -> u64 {
        match self {
            Blob::File { len, .. } | Blob::Range { len, .. } => *len,
            Blob::Mem(m) => m.len() as u64,
        }
    }

    /// `len` bytes at `off`, or `UnexpectedEof` when the range leaves the blob.
    pub(crate) fn read_at(&self, off: u64, len: usize) -> io::Result<Cow<'a, [u8]>> {
        let end = off
            .checked_add(len as u64)
            .filter(|&e| e <= self.len())
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "range {off}+{len} is outside the {} bytes available",
                        self.len()
                    ),
                )
            })?;
        match *self {
            Blob::File {
                file, start, read, ..
            } => {
                let mut buf = vec![0u8; len];
                mlsc_core::read_exact_at(file, &mut buf, start + off)?;
                read.add(start + off, len as u64);
                Ok(Cow::Owned(buf))
            }
            Blob::Mem(m) => Ok(Cow::Borrowed(&m[off as usize..end as usize])),
            Blob::Range {
                src, start, read, ..
            } => {
                let mut buf = vec![0u8; len];
                mlsc_core::RangeSource::read_exact_at(src, start + off, &mut buf)?;
                read.add(start + off, len as u64);
                Ok(Cow::Owned(buf))
            }
        }
    }

    /// Up to `n` leading bytes.
    pub(crate) fn prefix(&self, n: usize) -> io::Result<Cow<'a, [u8]>> {
        self.read_at(0, (self.len().min(n as u64)) as usize)
    }

    /// Up to `n` trailing bytes, and the offset they start at.
    pub(crate) fn suffix(&self, n: usize) -> io::Result<(u64, Cow<'a, [u8]>)> {
        let n = self.len().min(n as u64);
        let at = self.len() - n;
        Ok((at, self.read_at(at, n as usize)?))
    }

    /// The part of this blob from `off`, at most `len` bytes (clamped to what exists).
    pub(crate) fn sub(&self, off: u64, len: u64) -> Blob<'a> {
        let off = off.min(self.len());
        let len = len.min(self.len() - off);
        match *self {
            Blob::File {
                file, start, read, ..
            } => Blob::File {
                file,
                start: start + off,
                len,
                read,
            },
            Blob::Mem(m) => Blob::Mem(&m[off as usize..(off + len) as usize]),
            Blob::Range {
                src, start, read, ..
            } => Blob::Range {
                src,
                start: start + off,
                len,
                read,
            },
        }
    }

    /// The whole blob, when it is at most `cap` bytes.
    pub(crate) fn all(&self, cap: u64) -> io::Result<Option<Cow<'a, [u8]>>> {
        if self.len() > cap {
            return Ok(None);
        }
        self.read_at(0, self.len() as usize).map(Some)
    }

    /// A sequential reader over the blob.
    pub(crate) fn reader(&self) -> BlobReader<'a> {
        BlobReader {
            blob: *self,
            pos: 0,
        }
    }
}

/// `Read + Seek` over a [`Blob`]. Wrap it in a `BufReader`: every read of a file blob is a system call.
#[derive(Debug)]
pub(crate) struct BlobReader<'a> {
    blob: Blob<'a>,
    pos: u64,
}

impl Read for BlobReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.blob.len().saturating_sub(self.pos);
        let n = (buf.len() as u64).min(left) as usize;
        if n == 0 {
            return Ok(0);
        }
        let data = self.blob.read_at(self.pos, n)?;
        buf[..n].copy_from_slice(&data);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for BlobReader<'_> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let new = match pos {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.blob.len().checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        match new {
            Some(p) => {
                self.pos = p;
                Ok(p)
            }
            None => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start",
            )),
        }
    }
}

/// A reader that counts the bytes taken from `inner` (the compressed side of a decompressor, for ratio checks).
#[derive(Debug)]
pub(crate) struct Counting<'c, R> {
    pub(crate) inner: R,
    pub(crate) count: &'c Cell<u64>,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_read_twice_count_once() {
        let r = ReadCount::default();
        r.add(0, 8); // a sniff
        r.add(0, 100); // then the parse of the whole file
        r.add(90, 20); // a trailing record, overlapping
        r.add(200, 10);
        assert_eq!(r.get(1000), 120);
        r.add(110, 90); // fills the gap: one region
        assert_eq!(r.get(1000), 210);
        assert_eq!(r.regions.borrow().len(), 1);
        assert_eq!(r.get(150), 150, "never more than the file");
        // Past the region cap, reads are counted as read: an upper bound, still clamped to the file.
        let r = ReadCount::default();
        for i in 0..(MAX_REGIONS as u64 + 10) {
            r.add(i * 10, 1);
        }
        assert_eq!(r.get(u64::MAX), MAX_REGIONS as u64 + 10);
    }

    #[test]
    fn a_small_local_file_is_read_once_in_the_count() {
        // Sniffed, then analysed whole: 10 bytes asked of a 5-byte file, 5 read.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.pkl");
        std::fs::write(&p, b"\x80\x04K\x01.").unwrap();
        let r = crate::scan_paths(&[p], &crate::ScanOptions::default());
        assert_eq!(r.artifacts[0].bytes_read, Some(5));
        assert_eq!(r.statistics.bytes_read, 5);
        assert_eq!(r.statistics.input_bytes, Some(5));
    }
}
