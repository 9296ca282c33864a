//! Where opcodes come from: a slice (zero copy) or a reader behind a bounded, refillable buffer.

use std::io::{self, Read};

/// A forward-only byte source with look-ahead.
pub(crate) trait Input {
    /// Makes at least `n` bytes available from the cursor unless the stream ends first; returns what is available
    /// (possibly more than `n`, possibly fewer at the end of the stream).
    fn fill(&mut self, n: usize) -> io::Result<&[u8]>;
    /// Moves the cursor `n` bytes forward; `n` never exceeds what [`Input::fill`] returned.
    fn consume(&mut self, n: usize);
    /// The stream offset of the cursor.
    fn offset(&self) -> u64;
    /// Skips `n` bytes, returning how many were there.
    fn skip(&mut self, n: u64) -> io::Result<u64>;
}

/// A slice: nothing is copied.
pub(crate) struct SliceInput<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> SliceInput<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        SliceInput { data, pos: 0 }
    }
}

impl Input for SliceInput<'_> {
    #[inline(always)]
    fn fill(&mut self, _n: usize) -> io::Result<&[u8]> {
        Ok(&self.data[self.pos..])
    }
    #[inline(always)]
    fn consume(&mut self, n: usize) {
        self.pos += n;
    }
    #[inline(always)]
    fn offset(&self) -> u64 {
        self.pos as u64
    }
    fn skip(&mut self, n: u64) -> io::Result<u64> {
        let left = (self.data.len() - self.pos) as u64;
        let n = n.min(left);
        self.pos += n as usize;
        Ok(n)
    }
}

/// A reader behind a buffer of `CHUNK` bytes, grown only as far as one opcode's kept argument needs.
pub(crate) struct ReaderInput<R> {
    reader: R,
    buf: Vec<u8>,
    lo: usize,
    hi: usize,
    base: u64,
    eof: bool,
}

const CHUNK: usize = 256 * 1024;

impl<R: Read> ReaderInput<R> {
    pub(crate) fn new(reader: R) -> Self {
        ReaderInput {
            reader,
            buf: vec![0; CHUNK],
            lo: 0,
            hi: 0,
            base: 0,
            eof: false,
        }
    }

    #[cold]
    fn refill(&mut self, n: usize) -> io::Result<()> {
        if self.lo > 0 {
            self.buf.copy_within(self.lo..self.hi, 0);
            self.base += self.lo as u64;
            self.hi -= self.lo;
            self.lo = 0;
        }
        if self.buf.len() < n {
            self.buf.resize(n.next_power_of_two(), 0);
        }
        while self.hi < n && !self.eof {
            match self.reader.read(&mut self.buf[self.hi..]) {
                Ok(0) => self.eof = true,
                Ok(k) => self.hi += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

impl<R: Read> Input for ReaderInput<R> {
    #[inline(always)]
    fn fill(&mut self, n: usize) -> io::Result<&[u8]> {
        if self.hi - self.lo < n && !self.eof {
            self.refill(n)?;
        }
        Ok(&self.buf[self.lo..self.hi])
    }
    #[inline(always)]
    fn consume(&mut self, n: usize) {
        self.lo += n;
    }
    #[inline(always)]
    fn offset(&self) -> u64 {
        self.base + self.lo as u64
    }
    fn skip(&mut self, n: u64) -> io::Result<u64> {
        let mut left = n;
        while left > 0 {
            let avail = (self.hi - self.lo) as u64;
            if avail == 0 {
                if self.eof {
                    break;
                }
                self.refill(1)?;
                continue;
            }
            let k = avail.min(left);
            self.lo += k as usize;
            left -= k;
        }
        Ok(n - left)
    }
}
