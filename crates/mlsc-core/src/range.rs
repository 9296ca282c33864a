//! The one reader interface behind every input: bytes read by range from a source of known length.
//!
//! A local file, an object in S3, GCS or Azure, a file in a Hugging Face repository and a buffer in memory all
//! implement [`RangeSource`], so every format reader works the same on each: it asks for the byte ranges it needs
//! (a zip's central directory, a pickle member, a safetensors header) and never for the rest.
//!
//! It lives here, in the shared vocabulary, rather than in `mlsc-pickle`, because more than the scanner reads
//! through it: the remote sources (`mlsc-remote`) implement it without depending on the analyser, and the ML-BOM
//! and card readers can read a remote `config.json` or model card through it too.

use std::fmt::Debug;
use std::io;

/// A source of bytes of a known length, read by positioned ranges.
///
/// Implementations must be safe to share between threads (a scan reads several files at once) and must fail a
/// range that leaves the source with [`io::ErrorKind::UnexpectedEof`]. A source that cannot serve a range (an
/// unreachable server, a refused request) returns the error: a scan never mistakes missing bytes for clean ones.
///
/// ```
/// use mlsc_core::RangeSource;
///
/// let data: &[u8] = b"\x80\x04K\x01.";
/// let mut buf = [0u8; 2];
/// data.read_exact_at(1, &mut buf).unwrap();
/// assert_eq!(&buf, b"\x04K");
/// assert_eq!(RangeSource::len(&data), 5);
/// assert!(data.read_exact_at(4, &mut buf).is_err());
/// ```
pub trait RangeSource: Send + Sync + Debug {
    /// The length of the source in bytes.
    fn len(&self) -> u64;

    /// True when the source has no bytes.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Fills `buf` with the bytes starting at `offset`. A range that leaves the source is an
    /// [`io::ErrorKind::UnexpectedEof`] error.
    fn read_exact_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()>;

    /// Bytes moved from the backing store so far, when that differs from the bytes asked for: a remote source
    /// that fetches whole blocks and caches them reports what crossed the network. By default, `None` (every byte
    /// asked is a byte read).
    fn bytes_transferred(&self) -> Option<u64> {
        None
    }
}

fn out_of_range(offset: u64, len: usize, size: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        format!("range {offset}+{len} is outside the {size} bytes available"),
    )
}

impl RangeSource for &[u8] {
    fn len(&self) -> u64 {
        <[u8]>::len(self) as u64
    }

    fn read_exact_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        let size = RangeSource::len(self);
        let start = usize::try_from(offset)
            .ok()
            .filter(|_| offset <= size)
            .ok_or_else(|| out_of_range(offset, buf.len(), size))?;
        let src = self
            .get(start..)
            .and_then(|s| s.get(..buf.len()))
            .ok_or_else(|| out_of_range(offset, buf.len(), size))?;
        buf.copy_from_slice(src);
        Ok(())
    }
}

impl RangeSource for Vec<u8> {
    fn len(&self) -> u64 {
        self.as_slice().len() as u64
    }

    fn read_exact_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        self.as_slice().read_exact_at(offset, buf)
    }
}

/// A local file read with positioned reads (`pread`), of the length it had when opened.
///
/// ```
/// use mlsc_core::{FileSource, RangeSource};
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("w.bin");
/// std::fs::write(&path, b"0123456789").unwrap();
/// let src = FileSource::open(&path).unwrap();
/// let mut buf = [0u8; 3];
/// src.read_exact_at(7, &mut buf).unwrap();
/// assert_eq!(&buf, b"789");
/// assert_eq!(src.len(), 10);
/// ```
#[derive(Debug)]
pub struct FileSource {
    file: fs_err::File,
    len: u64,
}

impl FileSource {
    /// Opens `path` and records its length.
    pub fn open(path: impl Into<std::path::PathBuf>) -> io::Result<Self> {
        let file = fs_err::File::open(path)?;
        let len = file.metadata()?.len();
        Ok(FileSource { file, len })
    }
}

impl RangeSource for FileSource {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_exact_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        if offset
            .checked_add(buf.len() as u64)
            .is_none_or(|end| end > self.len)
        {
            return Err(out_of_range(offset, buf.len(), self.len));
        }
        read_exact_at(self.file.file(), buf, offset)
    }
}

/// Fills `buf` from `file` at byte `off` with a positioned read (no shared cursor, so threads can read one file at
/// once), or fails with `UnexpectedEof` when the file ends first.
#[cfg(unix)]
pub fn read_exact_at(file: &std::fs::File, buf: &mut [u8], off: u64) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buf, off)
}

/// Fills `buf` from `file` at byte `off` with a positioned read (no shared cursor, so threads can read one file at
/// once), or fails with `UnexpectedEof` when the file ends first.
#[cfg(windows)]
pub fn read_exact_at(file: &std::fs::File, mut buf: &mut [u8], mut off: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, off) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                off += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_ranges_are_checked() {
        let data: &[u8] = b"abcdef";
        let mut two = [0u8; 2];
        data.read_exact_at(4, &mut two).unwrap();
        assert_eq!(&two, b"ef");
        for off in [5, 6, 7, u64::MAX] {
            let e = data.read_exact_at(off, &mut two).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof, "{off}");
        }
        let mut none = [0u8; 0];
        data.read_exact_at(6, &mut none).unwrap();
        let v = data.to_vec();
        v.read_exact_at(0, &mut two).unwrap();
        assert_eq!(&two, b"ab");
    }

    #[test]
    fn file_ranges_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"abcdef").unwrap();
        let src = FileSource::open(&path).unwrap();
        let mut two = [0u8; 2];
        assert_eq!(
            src.read_exact_at(5, &mut two).unwrap_err().kind(),
            io::ErrorKind::UnexpectedEof
        );
        assert_eq!(
            src.read_exact_at(u64::MAX, &mut two).unwrap_err().kind(),
            io::ErrorKind::UnexpectedEof
        );
        src.read_exact_at(1, &mut two).unwrap();
        assert_eq!(&two, b"bc");
    }
}
