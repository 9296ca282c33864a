//! Compressed streams (gzip, bzip2, xz, lzma-alone, zlib, zstd, lz4, joblib's `ZF`) and archives (tar, 7z).
//!
//! Everything is decompressed into memory under three bounds: the memory limit, `Limits::max_decompressed_bytes`
//! and `Limits::max_ratio` (checked once 16 MiB have come out). Hitting one is an inconclusive finding, and what
//! came out before it is still analysed: Python's decompressors hand a pickle its bytes as they come, so a
//! malicious prefix followed by a bomb or by garbage runs before the error. Nothing is extracted to disk.

use std::cell::Cell;
use std::io::{self, BufReader, Read, Write};

use mlsc_core::{Format, Location};

use super::blob::{Blob, Counting};
use super::{Ctx, Here, dispatch, torch};

const CHUNK: usize = 64 << 10;
/// Output below this size is never a ratio violation: small pickles compress extremely well.
const RATIO_FLOOR: u64 = 16 << 20;

/// How a bounded decompression ended.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// The whole stream.
    Done(Vec<u8>),
    /// A limit was hit (the message says which); the bytes before it.
    Limit(String, Vec<u8>),
    /// The stream is corrupt or truncated (the message says how); the bytes before the error.
    Corrupt(String, Vec<u8>),
}

/// The effective output cap for one stream.
pub(crate) fn cap(ctx: &Ctx<'_>) -> u64 {
    ctx.opts.max_memory_bytes.min(budget(ctx))
}

/// What is left of the file's decompression budget: `Limits::max_decompressed_bytes` counts every stream and
/// member of one file together, so an archive of many overlapping members cannot multiply it.
pub(crate) fn budget(ctx: &Ctx<'_>) -> u64 {
    ctx.opts
        .limits
        .max_decompressed_bytes
        .saturating_sub(ctx.inflated)
}

/// A `Write` that keeps what it is given until a limit, then fails.
struct Bounded<'c> {
    out: Vec<u8>,
    cap: u64,
    ratio: u64,
    consumed: &'c Cell<u64>,
    hit: Option<String>,
}

impl Bounded<'_> {
    fn check(&mut self, more: usize) -> bool {
        let total = (self.out.len() + more) as u64;
        if total > self.cap {
            self.hit = Some(format!("more than {} bytes decompressed (limit)", self.cap));
            return false;
        }
        let consumed = self.consumed.get().max(1);
        if total > RATIO_FLOOR && total / consumed > self.ratio {
            self.hit = Some(format!(
                "{total} bytes from {consumed} compressed bytes exceeds the ratio limit of {}",
                self.ratio
            ));
            return false;
        }
        if self.out.capacity() < self.out.len() + more {
            // Grow by doubling, but never past the cap: a bomb must not make us reserve twice the cap.
            let want = (self.out.capacity().max(CHUNK) * 2)
                .min(self.cap as usize + CHUNK)
                .max(self.out.len() + more);
            self.out.reserve_exact(want - self.out.len());
        }
        true
    }

    fn finish(self, result: io::Result<()>) -> Outcome {
        match (self.hit, result) {
            (Some(h), _) => Outcome::Limit(h, self.out),
            (None, Ok(())) => Outcome::Done(self.out),
            (None, Err(e)) => Outcome::Corrupt(e.to_string(), self.out),
        }
    }
}

impl Write for Bounded<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.check(buf.len()) {
            return Err(io::Error::other("decompression limit"));
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Reads `r` to its end under the limits; `consumed` counts the compressed bytes taken so far.
pub(crate) fn read_bounded(
    mut r: impl Read,
    consumed: &Cell<u64>,
    cap: u64,
    ratio: u64,
) -> Outcome {
    let mut w = Bounded {
        out: Vec::new(),
        cap,
        ratio,
        consumed,
        hit: None,
    };
    let mut buf = vec![0u8; CHUNK];
    let result = loop {
        match r.read(&mut buf) {
            Ok(0) => break Ok(()),
            Ok(n) => {
                if w.write(&buf[..n]).is_err() {
                    break Ok(());
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => break Err(e),
        }
    };
    w.finish(result)
}

/// Reports how a decompression ended; returns the bytes to analyse.
pub(crate) fn settle(ctx: &mut Ctx<'_>, loc: &Location, what: &str, outcome: Outcome) -> Vec<u8> {
    let (Outcome::Done(v) | Outcome::Limit(_, v) | Outcome::Corrupt(_, v)) = &outcome;
    ctx.inflated += v.len() as u64;
    match outcome {
        Outcome::Done(v) => v,
        Outcome::Limit(why, v) => {
            ctx.not_analysed(
                "MLSC-SCAN-004",
                loc.clone(),
                format!("{what}: {why}; the first {} bytes were analysed", v.len()),
            );
            v
        }
        Outcome::Corrupt(why, v) => {
            ctx.not_analysed(
                "MLSC-SCAN-006",
                loc.clone(),
                format!(
                    "{what} is corrupt or truncated ({why}); the {} bytes before the error were analysed",
                    v.len()
                ),
            );
            v
        }
    }
}

/// Decompresses the whole stream of `format` held in `blob`, under the limits.
pub(crate) fn decompress(ctx: &Ctx<'_>, blob: Blob<'_>, format: Format) -> Outcome {
    let consumed = Cell::new(0u64);
    let cap = cap(ctx);
    let ratio = ctx.opts.limits.max_ratio;
    let input = BufReader::with_capacity(
        CHUNK,
        Counting {
            inner: blob.reader(),
            count: &consumed,
        },
    );
    match format {
        Format::Gzip => read_bounded(
            flate2::bufread::MultiGzDecoder::new(input),
            &consumed,
            cap,
            ratio,
        ),
        Format::Zlib => read_bounded(
            flate2::bufread::ZlibDecoder::new(input),
            &consumed,
            cap,
            ratio,
        ),
        Format::JoblibZf => {
            // joblib < 0.10: `ZF`, the uncompressed length as `hex(n)` left-justified to 19 bytes, then zlib.
            let body = blob.sub(21, u64::MAX);
            decompress(ctx, body, Format::Zlib)
        }
        Format::Bzip2 => read_bounded(
            bzip2::bufread::MultiBzDecoder::new(input),
            &consumed,
            cap,
            ratio,
        ),
        Format::Zstd => match ruzstd::decoding::StreamingDecoder::new(input) {
            Ok(d) => read_bounded(d, &consumed, cap, ratio),
            Err(e) => Outcome::Corrupt(e.to_string(), Vec::new()),
        },
        Format::Lz4 => read_bounded(
            lz4_flex::frame::FrameDecoder::new(input),
            &consumed,
            cap,
            ratio,
        ),
        Format::Xz | Format::LzmaAlone => {
            let mut input = input;
            let mut w = Bounded {
                out: Vec::new(),
                cap,
                ratio,
                consumed: &consumed,
                hit: None,
            };
            let r = if format == Format::Xz {
                lzma_rs::xz_decompress(&mut input, &mut w)
            } else {
                let options = lzma_rs::decompress::Options {
                    // The dictionary is grown as data comes, never reserved from the header's claim.
                    memlimit: Some(cap as usize),
                    ..Default::default()
                };
                lzma_rs::lzma_decompress_with_options(&mut input, &mut w, &options)
            };
            w.finish(r.map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string())))
        }
        other => Outcome::Corrupt(format!("{other} is not a compressed stream"), Vec::new()),
    }
}

/// A compressed stream: decompress under the limits and analyse what comes out.
pub(crate) fn scan_stream(
    ctx: &mut Ctx<'_>,
    blob: Blob<'_>,
    here: &Here,
    format: Format,
) -> io::Result<()> {
    if format == Format::Lz4 && blob.prefix(4)?.as_ref() == [0x02, 0x21, 0x4c, 0x18] {
        ctx.not_analysed(
            "MLSC-SCAN-007",
            here.loc.clone(),
            "legacy LZ4 framing is not analysed (joblib and lz4.frame write the LZ4 frame format)",
        );
        return Ok(());
    }
    if stream_pickle(ctx, blob, here, format)? {
        return Ok(());
    }
    let outcome = decompress(ctx, blob, format);
    let data = settle(ctx, &here.loc, &format!("{format} stream"), outcome);
    if !data.is_empty() {
        let inner = here.member(&format!("<{format}>"));
        dispatch(ctx, Blob::Mem(&data), &inner)?;
    }
    Ok(())
}

/// A streaming decoder for the formats that have one (xz and lzma-alone are decoded through a writer instead).
fn decoder<'a>(
    blob: Blob<'a>,
    format: Format,
    consumed: &'a Cell<u64>,
) -> Option<Box<dyn Read + 'a>> {
    let input = BufReader::with_capacity(
        CHUNK,
        Counting {
            inner: blob.reader(),
            count: consumed,
        },
    );
    Some(match format {
        Format::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(input)),
        Format::Zlib => Box::new(flate2::bufread::ZlibDecoder::new(input)),
        Format::JoblibZf => return decoder(blob.sub(21, u64::MAX), Format::Zlib, consumed),
        Format::Bzip2 => Box::new(bzip2::bufread::MultiBzDecoder::new(input)),
        Format::Zstd => Box::new(ruzstd::decoding::StreamingDecoder::new(input).ok()?),
        Format::Lz4 => Box::new(lz4_flex::frame::FrameDecoder::new(input)),
        _ => return None,
    })
}

/// A reader that enforces the decompression limits and turns an error of the stream into its end, remembering
/// why: the analyser then keeps what it found before (Python's unpickler runs a prefix before the error).
struct Guarded<'a> {
    inner: Box<dyn Read + 'a>,
    consumed: &'a Cell<u64>,
    out: u64,
    cap: u64,
    ratio: u64,
    stop: Option<(&'static str, String)>,
}

impl Read for Guarded<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.stop.is_some() {
            return Ok(0);
        }
        match self.inner.read(buf) {
            Ok(n) => {
                self.out += n as u64;
                let consumed = self.consumed.get().max(1);
                if self.out > self.cap {
                    self.stop = Some((
                        "MLSC-SCAN-004",
                        format!("more than {} bytes decompressed (limit)", self.cap),
                    ));
                } else if self.out > RATIO_FLOOR && self.out / consumed > self.ratio {
                    self.stop = Some((
                        "MLSC-SCAN-004",
                        format!(
                            "{} bytes from {consumed} compressed bytes exceeds the ratio limit of {}",
                            self.out, self.ratio
                        ),
                    ));
                }
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => {
                self.stop = Some(("MLSC-SCAN-006", format!("corrupt or truncated ({e})")));
                Ok(0)
            }
        }
    }
}

/// A compressed pickle (joblib's compressors, `pickle.dump` into `gzip.open`) is analysed as it is
/// decompressed, in bounded memory, whatever its size. Returns false when the stream does not hold a pickle.
fn stream_pickle(
    ctx: &mut Ctx<'_>,
    blob: Blob<'_>,
    here: &Here,
    format: Format,
) -> io::Result<bool> {
    let consumed = Cell::new(0u64);
    let Some(mut dec) = decoder(blob, format, &consumed) else {
        return Ok(false);
    };
    let mut head = Vec::with_capacity(mlsc_core::SNIFF_LEN);
    if (&mut dec)
        .take(mlsc_core::SNIFF_LEN as u64)
        .read_to_end(&mut head)
        .is_err()
        || here.depth + 1 >= ctx.opts.limits.max_depth
    {
        return Ok(false);
    }
    let inner = here.member(&format!("<{format}>"));
    let kind = super::sniff(&head);
    let dec: Box<dyn Read + '_> = Box::new(io::Cursor::new(head).chain(dec));
    if kind == Format::Tar {
        stream_tar(
            ctx,
            dec,
            &consumed,
            &inner,
            &here.loc,
            &format!("{format} stream"),
        )?;
        return Ok(true);
    }
    if kind != Format::Pickle {
        return Ok(false);
    }
    analyse_stream(
        ctx,
        dec,
        &consumed,
        &inner.loc,
        &here.loc,
        &format!("{format} stream"),
    )?;
    Ok(true)
}

/// Analyses the pickle that `dec` decompresses, in bounded memory, under the decompression limits; a limit hit
/// or a corrupt stream is reported at `outer` after the analysis of what came before it.
pub(crate) fn analyse_stream(
    ctx: &mut Ctx<'_>,
    dec: Box<dyn Read + '_>,
    consumed: &Cell<u64>,
    inner: &Location,
    outer: &Location,
    what: &str,
) -> io::Result<()> {
    let mut guarded = Guarded {
        inner: dec,
        consumed,
        out: 0,
        cap: budget(ctx),
        ratio: ctx.opts.limits.max_ratio,
        stop: None,
    };
    let result = ctx.pickle_reader(&mut guarded, inner);
    ctx.inflated += guarded.out;
    result.map_err(|e| io::Error::other(e.to_string()))?;
    if let Some((code, why)) = guarded.stop {
        ctx.not_analysed(
            code,
            outer.clone(),
            format!(
                "{what}: {why}; the {} bytes before it were analysed",
                guarded.out
            ),
        );
    }
    Ok(())
}

/// A compressed tar (`.tar.gz`, `.tar.xz` …) read as it is decompressed: pickle members are analysed as they
/// stream by, other analysable members are read into memory one at a time (bounded), the rest are skipped. The
/// whole archive never sits in memory.
fn stream_tar(
    ctx: &mut Ctx<'_>,
    dec: Box<dyn Read + '_>,
    consumed: &Cell<u64>,
    here: &Here,
    outer: &Location,
    what: &str,
) -> io::Result<()> {
    let mut guarded = Guarded {
        inner: dec,
        consumed,
        out: 0,
        cap: budget(ctx),
        ratio: ctx.opts.limits.max_ratio,
        stop: None,
    };
    let mut count = 0u64;
    let mut corrupt = None;
    {
        let mut archive = tar::Archive::new(&mut guarded);
        let entries = match archive.entries() {
            Ok(e) => e,
            Err(e) => {
                ctx.not_analysed("MLSC-SCAN-006", here.loc.clone(), format!("tar: {e}"));
                return Ok(());
            }
        };
        let legacy_members = ["storages", "tensors"];
        for entry in entries {
            let mut entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    corrupt = Some(format!("tar archive is corrupt after {count} members: {e}"));
                    break;
                }
            };
            count += 1;
            if count > ctx.opts.limits.max_members {
                ctx.not_analysed(
                    "MLSC-SCAN-009",
                    here.loc.clone(),
                    format!(
                        "more than {} members: the rest were not analysed",
                        ctx.opts.limits.max_members
                    ),
                );
                break;
            }
            let kind = entry.header().entry_type();
            if !(kind.is_file() || kind.is_contiguous()) {
                continue;
            }
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let size = entry.size();
            let inner = here.member(&name);
            let mut head = Vec::with_capacity(mlsc_core::SNIFF_LEN);
            if (&mut entry)
                .take(mlsc_core::SNIFF_LEN as u64)
                .read_to_end(&mut head)
                .is_err()
            {
                continue;
            }
            let format = super::sniff(&head);
            let legacy = legacy_members.contains(&name.as_str()) && format == Format::Pickle;
            if format == Format::Pickle && !legacy {
                let r = io::Cursor::new(head).chain(&mut entry);
                ctx.pickle_reader(r, &inner.loc)
                    .map_err(|e| io::Error::other(e.to_string()))?;
            } else if crate::config::member_wanted(&name, format)
                && size <= ctx.opts.max_memory_bytes
            {
                // Config analyser: a `.nemo` written with `w:gz` carries its model_config.yaml here.
                let mut data = head;
                if entry.read_to_end(&mut data).is_ok() {
                    dispatch(ctx, Blob::Mem(&data), &inner)?;
                }
            } else if format.is_text() || matches!(format, Format::Unknown | Format::Empty) {
                continue;
            } else if size > ctx.opts.max_memory_bytes {
                ctx.not_analysed(
                    "MLSC-SCAN-005",
                    inner.loc.clone(),
                    format!("{format} member of {size} bytes is larger than the memory limit: not analysed"),
                );
            } else {
                let mut data = head;
                if entry.read_to_end(&mut data).is_err() {
                    continue;
                }
                if legacy {
                    torch::scan_legacy_tar_member(
                        ctx,
                        Blob::Mem(&data),
                        &inner,
                        name == "tensors",
                    )?;
                } else {
                    dispatch(ctx, Blob::Mem(&data), &inner)?;
                }
            }
        }
    }
    ctx.inflated += guarded.out;
    if let Some((code, why)) = guarded.stop {
        ctx.not_analysed(
            code,
            outer.clone(),
            format!(
                "{what}: {why}; the {} bytes before it were analysed",
                guarded.out
            ),
        );
    } else if let Some(why) = corrupt {
        ctx.not_analysed("MLSC-SCAN-006", here.loc.clone(), why);
    }
    Ok(())
}

/// A tar archive: members are ranges of the archive, read in place (never extracted).
pub(crate) fn scan_tar(ctx: &mut Ctx<'_>, blob: Blob<'_>, here: &Here) -> io::Result<()> {
    let mut archive = tar::Archive::new(blob.reader());
    let entries = match archive.entries_with_seek() {
        Ok(e) => e,
        Err(e) => {
            ctx.not_analysed("MLSC-SCAN-006", here.loc.clone(), format!("tar: {e}"));
            return Ok(());
        }
    };
    let mut members: Vec<(String, u64, u64)> = Vec::new();
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                ctx.not_analysed(
                    "MLSC-SCAN-006",
                    here.loc.clone(),
                    format!(
                        "tar archive is corrupt after {} members: {e}",
                        members.len()
                    ),
                );
                break;
            }
        };
        if members.len() as u64 >= ctx.opts.limits.max_members {
            ctx.not_analysed(
                "MLSC-SCAN-009",
                here.loc.clone(),
                format!(
                    "more than {} members: the rest were not analysed",
                    ctx.opts.limits.max_members
                ),
            );
            break;
        }
        let kind = entry.header().entry_type();
        if !(kind.is_file() || kind.is_contiguous()) {
            continue;
        }
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        members.push((name, entry.raw_file_position(), entry.size()));
    }
    let legacy_torch = ["pickle", "sys_info", "storages"]
        .iter()
        .all(|n| members.iter().any(|(m, _, _)| m == n));
    for (name, pos, size) in members {
        let inner = here.member(&name);
        if pos.saturating_add(size) > blob.len() {
            ctx.not_analysed(
                "MLSC-SCAN-006",
                inner.loc.clone(),
                format!(
                    "member runs past the end of the archive ({pos}+{size} > {})",
                    blob.len()
                ),
            );
            continue;
        }
        let sub = blob.sub(pos, size);
        if legacy_torch && (name == "storages" || name == "tensors") {
            torch::scan_legacy_tar_member(ctx, sub, &inner, name == "tensors")?;
        } else {
            dispatch(ctx, sub, &inner)?;
        }
    }
    Ok(())
}

/// A 7-Zip archive: each member is decompressed under the limits and analysed.
pub(crate) fn scan_7z(ctx: &mut Ctx<'_>, blob: Blob<'_>, here: &Here) -> io::Result<()> {
    let mut reader = match sevenz_rust2::ArchiveReader::new(
        BufReader::new(blob.reader()),
        sevenz_rust2::Password::empty(),
    ) {
        Ok(r) => r,
        Err(e) => {
            ctx.not_analysed("MLSC-SCAN-006", here.loc.clone(), format!("7z: {e}"));
            return Ok(());
        }
    };
    let cap = cap(ctx);
    let max_members = ctx.opts.limits.max_members;
    let ratio = ctx.opts.limits.max_ratio;
    let consumed = Cell::new(blob.len());
    let mut count = 0u64;
    let mut io_error = None;
    let result = reader.for_each_entries(|entry, r| {
        if entry.is_directory() || !entry.has_stream() {
            return Ok(true);
        }
        count += 1;
        if count > max_members {
            ctx.not_analysed(
                "MLSC-SCAN-009",
                here.loc.clone(),
                format!("more than {max_members} members: the rest were not analysed"),
            );
            return Ok(false);
        }
        let inner = here.member(entry.name());
        let outcome = read_bounded(r, &consumed, cap, ratio);
        let data = settle(ctx, &inner.loc, "7z member", outcome);
        if let Err(e) = dispatch(ctx, Blob::Mem(&data), &inner) {
            io_error = Some(e);
            return Ok(false);
        }
        Ok(true)
    });
    if let Err(e) = result {
        ctx.not_analysed(
            "MLSC-SCAN-006",
            here.loc.clone(),
            format!("7z archive could not be fully read: {e}"),
        );
    }
    if let Some(e) = io_error {
        return Err(e);
    }
    Ok(())
}
