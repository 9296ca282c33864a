//! A remote object as a [`RangeSource`]: reads become `Range` requests of whole blocks, kept in a small cache, so
//! the many small reads of the format readers (a sniff, a zip's end record, its central directory, each local
//! header) become a few requests.

use std::collections::{BTreeMap, VecDeque};
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use mlsc_core::RangeSource;

use crate::error::{Error, redact};
use crate::http::Http;

/// Blocks of `block` bytes, at most `max_blocks` kept (first in, first out).
#[derive(Debug, Default)]
struct Blocks {
    map: BTreeMap<u64, Arc<[u8]>>,
    order: VecDeque<u64>,
}

/// The block cache every remote object is read through (an HTTP URL, an object in a store): a read becomes
/// fetches of the missing blocks, in contiguous runs, one fetch per run.
#[derive(Debug)]
pub(crate) struct BlockCache {
    pub(crate) size: u64,
    block: u64,
    max_blocks: usize,
    blocks: Mutex<Blocks>,
}

impl BlockCache {
    /// A cache of an object of `size` bytes, in blocks of `block` bytes (at least 512).
    pub(crate) fn new(size: u64, block: u64) -> Self {
        let block = block.max(512);
        BlockCache {
            size,
            block,
            // 32 MiB of cache per object at most: a streamed pickle larger than that moves through it.
            max_blocks: ((32u64 << 20) / block).max(4) as usize,
            blocks: Mutex::new(Blocks::default()),
        }
    }

    pub(crate) fn block(&self) -> u64 {
        self.block
    }

    /// Keeps block `idx`, fetched by other means (the first block of an object opened without a size).
    pub(crate) fn insert(&self, idx: u64, data: Vec<u8>) {
        let mut blocks = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
        blocks.map.insert(idx, data.into());
        blocks.order.push_back(idx);
    }

    /// Fills `buf` from `offset`, calling `fetch(start, end)` (inclusive byte offsets, whole blocks clipped to
    /// the object) for each run of missing blocks. `fetch` must return exactly `end - start + 1` bytes.
    pub(crate) fn read(
        &self,
        offset: u64,
        buf: &mut [u8],
        fetch: impl Fn(u64, u64) -> Result<Vec<u8>, Error>,
    ) -> io::Result<()> {
        let end = offset
            .checked_add(buf.len() as u64)
            .filter(|&e| e <= self.size)
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "range {offset}+{} is outside the {} bytes available",
                        buf.len(),
                        self.size
                    ),
                )
            })?;
        if buf.is_empty() {
            return Ok(());
        }
        let first = offset / self.block;
        let last = (end - 1) / self.block;
        let mut blocks = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
        // Missing blocks, fetched in contiguous runs: one request per run.
        let mut i = first;
        while i <= last {
            if blocks.map.contains_key(&i) {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < last && !blocks.map.contains_key(&(j + 1)) {
                j += 1;
            }
            let start = i * self.block;
            let stop = ((j + 1) * self.block).min(self.size) - 1;
            let data = fetch(start, stop).map_err(Error::into_io)?;
            if data.len() as u64 != stop - start + 1 {
                return Err(io::Error::other(format!(
                    "{} bytes received for the range {start}-{stop}",
                    data.len()
                )));
            }
            for (k, chunk) in data.chunks(self.block as usize).enumerate() {
                let idx = i + k as u64;
                blocks.map.insert(idx, chunk.into());
                blocks.order.push_back(idx);
            }
            i = j + 1;
        }
        let mut pos = offset;
        let mut out = 0usize;
        while pos < end {
            let idx = pos / self.block;
            let data = blocks.map.get(&idx).expect(
                "every block of the range was fetched above because the loop covers first..=last",
            );
            let within = (pos - idx * self.block) as usize;
            let n = (data.len() - within).min((end - pos) as usize);
            buf[out..out + n].copy_from_slice(&data[within..within + n]);
            out += n;
            pos += n as u64;
        }
        // Evict only after copying, so a read larger than the cache still succeeds.
        while blocks.order.len() > self.max_blocks {
            if let Some(old) = blocks.order.pop_front() {
                blocks.map.remove(&old);
            }
        }
        Ok(())
    }
}

/// An object behind an HTTP(S) URL that honours `Range`, of a known size.
#[derive(Debug)]
pub struct HttpSource {
    http: Arc<Http>,
    /// The URL requests start from (for a Hub file, its `resolve` URL at the pinned commit).
    url: String,
    /// Where the last redirect led (a CDN's signed URL): later ranges go there directly, saving a hop.
    landed: Mutex<Option<String>>,
    cache: BlockCache,
    transferred: AtomicU64,
    requests: AtomicU64,
}

impl HttpSource {
    /// A source of `size` bytes at `url`, fetched in blocks of `block` bytes.
    pub(crate) fn new(http: Arc<Http>, url: String, size: u64, block: u64) -> Self {
        HttpSource {
            http,
            url,
            landed: Mutex::new(None),
            cache: BlockCache::new(size, block),
            transferred: AtomicU64::new(0),
            requests: AtomicU64::new(0),
        }
    }

    /// Opens `url` when its size is unknown: the first block is fetched, and the size is read from the
    /// `Content-Range` of the answer.
    pub(crate) fn open(http: Arc<Http>, url: String, block: u64) -> Result<Self, Error> {
        let mut src = HttpSource::new(http, url, 0, block);
        let block = src.cache.block();
        let resp = src.http.get(&src.url, Some((0, block - 1)), block)?;
        src.requests.fetch_add(1, Ordering::Relaxed);
        src.transferred
            .fetch_add(resp.body.len() as u64, Ordering::Relaxed);
        let size = match (resp.status, resp.content_range.as_deref()) {
            (206, Some(cr)) => parse_content_range(cr)
                .and_then(|(_, _, total)| total)
                .ok_or_else(|| Error::Protocol {
                    url: redact(&src.url),
                    message: format!("unusable Content-Range `{cr}`"),
                })?,
            // The whole object fitted in the first block.
            (200, _) => resp.body.len() as u64,
            (s, _) => {
                return Err(Error::Protocol {
                    url: redact(&src.url),
                    message: format!("HTTP {s} to a range request"),
                });
            }
        };
        src.cache.size = size;
        if resp.url != src.url {
            *src.landed.lock().unwrap_or_else(|e| e.into_inner()) = Some(resp.url.clone());
        }
        let expected = size.min(block) as usize;
        if resp.body.len() != expected {
            return Err(Error::Protocol {
                url: redact(&src.url),
                message: format!("{} bytes received, {expected} expected", resp.body.len()),
            });
        }
        src.cache.insert(0, resp.body);
        Ok(src)
    }

    /// Range requests sent for this object.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Fetches bytes `start..=end` in one request.
    fn fetch(&self, start: u64, end: u64) -> Result<Vec<u8>, Error> {
        let want = end - start + 1;
        let landed = self
            .landed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let resp = match landed {
            Some(url) => match self.http.get(&url, Some((start, end)), want) {
                Ok(r) => r,
                // A signed CDN URL expires: go through the resolve URL again.
                Err(Error::Status { .. }) => self.http.get(&self.url, Some((start, end)), want)?,
                Err(e) => return Err(e),
            },
            None => self.http.get(&self.url, Some((start, end)), want)?,
        };
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.transferred
            .fetch_add(resp.body.len() as u64, Ordering::Relaxed);
        if resp.url != self.url {
            *self.landed.lock().unwrap_or_else(|e| e.into_inner()) = Some(resp.url.clone());
        }
        let url = redact(&resp.url);
        match resp.status {
            206 => {
                let cr = resp.content_range.as_deref().unwrap_or_default();
                let Some((a, b, total)) = parse_content_range(cr) else {
                    return Err(Error::Protocol {
                        url,
                        message: format!("206 with an unusable Content-Range `{cr}`"),
                    });
                };
                if (a, b) != (start, end) || total.is_some_and(|t| t != self.cache.size) {
                    return Err(Error::Protocol {
                        url,
                        message: format!(
                            "asked bytes {start}-{end} of {}, got `{cr}`: the object is not the one listed",
                            self.cache.size
                        ),
                    });
                }
            }
            // A server that ignores Range is fine only when the whole object was asked for.
            200 if start == 0 && end + 1 == self.cache.size => {}
            s => {
                return Err(Error::Protocol {
                    url,
                    message: format!(
                        "HTTP {s} to a range request: the server does not honour Range"
                    ),
                });
            }
        }
        if resp.body.len() as u64 != want {
            return Err(Error::Protocol {
                url,
                message: format!("{} bytes received, {want} expected", resp.body.len()),
            });
        }
        Ok(resp.body)
    }
}

/// `bytes a-b/total` (total may be `*`).
fn parse_content_range(v: &str) -> Option<(u64, u64, Option<u64>)> {
    let rest = v.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (a, b) = range.split_once('-')?;
    let total = if total.trim() == "*" {
        None
    } else {
        Some(total.trim().parse().ok()?)
    };
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?, total))
}

impl RangeSource for HttpSource {
    fn len(&self) -> u64 {
        self.cache.size
    }

    fn read_exact_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        self.cache.read(offset, buf, |a, b| self.fetch(a, b))
    }

    fn bytes_transferred(&self) -> Option<u64> {
        Some(self.transferred.load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges_parse() {
        assert_eq!(
            parse_content_range("bytes 0-99/1000"),
            Some((0, 99, Some(1000)))
        );
        assert_eq!(parse_content_range("bytes 5-9/*"), Some((5, 9, None)));
        assert_eq!(parse_content_range("items 0-9/10"), None);
        assert_eq!(parse_content_range("bytes 0-x/10"), None);
    }
}
