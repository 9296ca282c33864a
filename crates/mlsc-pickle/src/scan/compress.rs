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
use super::member_path::{MemberKind, MemberPaths};
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
                &crate::rules::DECOMPRESSION_LIMIT,
                loc.clone(),
                format!("{what}: {why}; the first {} bytes were analysed", v.len()),
            );
            v
        }
        Outcome::Corrupt(why, v) => {
            ctx.not_analysed(
                &crate::rules::CORRUPT_STREAM,
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
    match decoder(blob, format, &consumed) {
        Some(d) => read_bounded(d, &consumed, cap, ratio),
        None => Outcome::Corrupt(format!("not a valid {format} stream header"), Vec::new()),
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
            &crate::rules::UNSUPPORTED_CONTENT,
            here.loc.clone(),
            "legacy LZ4 framing is not analysed (joblib and lz4.frame write the LZ4 frame format)",
        );
        return Ok(());
    }
    if matches!(format, Format::Xz | Format::LzmaAlone) {
        match lzma_dictionary(blob, format)? {
            Ok(dict) if dict <= cap(ctx) => {}
            Ok(dict) => {
                ctx.not_analysed(
                    &crate::rules::TOO_LARGE_FOR_MEMORY,
                    here.loc.clone(),
                    format!("{format} stream needs an LZMA dictionary of {dict} bytes, more than the memory budget of {}: not decompressed", cap(ctx)),
                );
                return Ok(());
            }
            // A header the decoder will reject as well: let it say so.
            Err(_) => {}
        }
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
        // The dictionary is allocated (fallibly) on the first read; `lzma_dictionary` bounds it beforehand.
        Format::Xz => Box::new(lzma_rust2::XzReader::new(input, true)),
        Format::LzmaAlone => {
            Box::new(lzma_rust2::LzmaReader::new_mem_limit(input, u32::MAX, None).ok()?)
        }
        _ => return None,
    })
}

/// The largest LZMA dictionary `blob` asks for, read from its headers before any decoder exists: the lzma-alone
/// header, or every xz block header that the stream's index lists (only the first block's when the index cannot
/// be read, as in a truncated stream). `Ok(Err(why))` for a header that is not valid.
pub(crate) fn lzma_dictionary(blob: Blob<'_>, format: Format) -> io::Result<Result<u64, String>> {
    if format == Format::LzmaAlone {
        let Ok(h) = blob.read_at(0, 13) else {
            return Ok(Err("truncated lzma header".into()));
        };
        let dict = u64::from(u32::from_le_bytes([h[1], h[2], h[3], h[4]]));
        let size = u64::from_le_bytes(h[5..13].try_into().expect("8 bytes because sliced so"));
        // The decoder never keeps more history than the declared output.
        return Ok(Ok(if size == u64::MAX {
            dict
        } else {
            dict.min(size)
        }));
    }
    let mut blocks = vec![12u64];
    if let Some(more) = xz_block_offsets(blob)? {
        blocks = more;
    }
    let mut max = 0u64;
    for at in blocks {
        match xz_block_dictionary(blob, at)? {
            Ok(d) => max = max.max(d),
            Err(e) => return Ok(Err(e)),
        }
    }
    Ok(Ok(max))
}

fn xz_varint(b: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for i in 0..9 {
        let byte = *b.get(*pos)?;
        *pos += 1;
        v |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// The offsets of the block headers of a single-stream xz file, from its index; `None` when the index cannot be
/// read (truncated, padded or concatenated streams).
fn xz_block_offsets(blob: Blob<'_>) -> io::Result<Option<Vec<u64>>> {
    let len = blob.len();
    if len < 24 {
        return Ok(None);
    }
    let footer = blob.read_at(len - 12, 12)?;
    if &footer[10..12] != b"YZ" {
        return Ok(None);
    }
    let index_size = (u64::from(u32::from_le_bytes([
        footer[4], footer[5], footer[6], footer[7],
    ])) + 1)
        * 4;
    let Some(index_at) = (len - 12).checked_sub(index_size).filter(|&a| a >= 12) else {
        return Ok(None);
    };
    // Each record is at least 2 bytes: an index larger than 16 MiB lists more blocks than we check one by one.
    if index_size > 16 << 20 {
        return Ok(None);
    }
    let index = blob.read_at(index_at, index_size as usize)?;
    let mut pos = 1usize;
    if index.first() != Some(&0) {
        return Ok(None);
    }
    let Some(count) = xz_varint(&index, &mut pos) else {
        return Ok(None);
    };
    let mut offsets = Vec::new();
    let mut at = 12u64;
    for _ in 0..count {
        let (Some(unpadded), Some(_)) = (xz_varint(&index, &mut pos), xz_varint(&index, &mut pos))
        else {
            return Ok(None);
        };
        offsets.push(at);
        at = at.saturating_add(unpadded.div_ceil(4) * 4);
    }
    Ok((at == index_at).then_some(offsets))
}

/// The LZMA2 dictionary of the xz block whose header is at `at` (0 for a block without LZMA2).
fn xz_block_dictionary(blob: Blob<'_>, at: u64) -> io::Result<Result<u64, String>> {
    let Ok(first) = blob.read_at(at, 1) else {
        return Ok(Err(format!("no xz block header at {at}")));
    };
    if first[0] == 0 {
        // The index follows at once: an empty stream.
        return Ok(Ok(0));
    }
    let size = (usize::from(first[0]) + 1) * 4;
    let Ok(h) = blob.read_at(at, size) else {
        return Ok(Err(format!("xz block header at {at} runs past the end")));
    };
    let flags = h[1];
    let mut pos = 2usize;
    for present in [flags & 0x40 != 0, flags & 0x80 != 0] {
        if present && xz_varint(&h, &mut pos).is_none() {
            return Ok(Err(format!("bad xz block header at {at}")));
        }
    }
    let mut dict = 0u64;
    for _ in 0..=(flags & 3) {
        let (Some(id), Some(n)) = (xz_varint(&h, &mut pos), xz_varint(&h, &mut pos)) else {
            return Ok(Err(format!("bad xz filter flags at {at}")));
        };
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        let Some(props) = h.get(pos..pos.saturating_add(n)) else {
            return Ok(Err(format!("bad xz filter properties at {at}")));
        };
        if id == 0x21 {
            dict = lzma2_dictionary(props.first().copied().unwrap_or(0));
        }
        pos += n;
    }
    Ok(Ok(dict))
}

/// The dictionary an LZMA2 properties byte declares (40 means 4 GiB - 1).
pub(crate) fn lzma2_dictionary(p: u8) -> u64 {
    if p >= 40 {
        return u64::from(u32::MAX);
    }
    (2 | (u64::from(p) & 1)) << (u64::from(p) / 2 + 11)
}

/// A reader that enforces the decompression limits and turns an error of the stream into its end, remembering
/// why: the analyser then keeps what it found before (Python's unpickler runs a prefix before the error).
struct Guarded<'a> {
    inner: Box<dyn Read + 'a>,
    consumed: &'a Cell<u64>,
    out: u64,
    cap: u64,
    ratio: u64,
    stop: Option<(&'static mlsc_core::Rule, String)>,
    /// The file's time budget: reading stops when it runs out.
    deadline: Option<std::time::Instant>,
}

impl Read for Guarded<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.stop.is_some() {
            return Ok(0);
        }
        if self
            .deadline
            .is_some_and(|d| std::time::Instant::now() >= d)
        {
            self.stop = Some((
                &crate::rules::TIME_BUDGET,
                "the time budget per file ran out".to_owned(),
            ));
            return Ok(0);
        }
        match self.inner.read(buf) {
            Ok(n) => {
                self.out += n as u64;
                let consumed = self.consumed.get().max(1);
                if self.out > self.cap {
                    self.stop = Some((
                        &crate::rules::DECOMPRESSION_LIMIT,
                        format!("more than {} bytes decompressed (limit)", self.cap),
                    ));
                } else if self.out > RATIO_FLOOR && self.out / consumed > self.ratio {
                    self.stop = Some((
                        &crate::rules::DECOMPRESSION_LIMIT,
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
                self.stop = Some((
                    &crate::rules::CORRUPT_STREAM,
                    format!("corrupt or truncated ({e})"),
                ));
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
    if kind.is_text() || matches!(kind, Format::Unknown | Format::Empty) {
        // Nothing a loader reads as a model: the rest is decompressed and dropped (bounded memory, limits and
        // corruption still reported), and a name that calls a loader makes it inconclusive.
        super::unidentified(ctx, &inner, kind, &head);
        drain(ctx, dec, &consumed, &here.loc, &format!("{format} stream"));
        return Ok(true);
    }
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
        deadline: ctx.deadline,
    };
    let result = ctx.pickle_reader(&mut guarded, inner);
    ctx.inflated += guarded.out;
    result.map_err(|e| io::Error::other(e.to_string()))?;
    if let Some((code, why)) = guarded.stop {
        ctx.timed_out |= *code == crate::rules::TIME_BUDGET;
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
        deadline: ctx.deadline,
    };
    let mut count = 0u64;
    let mut corrupt = None;
    {
        let mut archive = tar::Archive::new(&mut guarded);
        let entries = match archive.entries() {
            Ok(e) => e,
            Err(e) => {
                ctx.not_analysed(
                    &crate::rules::CORRUPT_STREAM,
                    here.loc.clone(),
                    format!("tar: {e}"),
                );
                return Ok(());
            }
        };
        let legacy_members = ["storages", "tensors"];
        let mut paths = MemberPaths::new();
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
                    &crate::rules::TOO_MANY_MEMBERS,
                    here.loc.clone(),
                    format!(
                        "more than {} members: the rest were not analysed",
                        ctx.opts.limits.max_members
                    ),
                );
                break;
            }
            check_tar_entry(ctx, &mut paths, here, &entry);
            let kind = entry.header().entry_type();
            if !(kind.is_file() || kind.is_contiguous()) {
                continue;
            }
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let size = entry.size();
            let inner = here.member(&name);
            if ctx.out_of_time(&inner.loc) {
                break;
            }
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
                super::unidentified(ctx, &inner, format, &head);
                continue;
            } else if size > ctx.opts.max_memory_bytes {
                ctx.not_analysed(
                    &crate::rules::TOO_LARGE_FOR_MEMORY,
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
        ctx.timed_out |= *code == crate::rules::TIME_BUDGET;
        ctx.not_analysed(
            code,
            outer.clone(),
            format!(
                "{what}: {why}; the {} bytes before it were analysed",
                guarded.out
            ),
        );
    } else if let Some(why) = corrupt {
        ctx.not_analysed(&crate::rules::CORRUPT_STREAM, here.loc.clone(), why);
    }
    Ok(())
}

/// The member-path check of one tar entry (names, symbolic and hard links), as `tarfile` and NeMo extract it.
fn check_tar_entry<R: Read>(
    ctx: &mut Ctx<'_>,
    paths: &mut MemberPaths,
    here: &Here,
    entry: &tar::Entry<'_, R>,
) {
    let kind = entry.header().entry_type();
    let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
    let target = entry
        .link_name_bytes()
        .map(|t| String::from_utf8_lossy(&t).into_owned())
        .unwrap_or_default();
    let member = if kind.is_symlink() {
        MemberKind::Symlink(&target)
    } else if kind.is_hard_link() {
        MemberKind::Hardlink(&target)
    } else if kind.is_dir() {
        MemberKind::Dir
    } else if kind.is_file() || kind.is_contiguous() {
        MemberKind::File
    } else {
        // PAX and GNU long-name headers are folded into the next entry by the tar crate; devices and FIFOs
        // are created by extraction under their name, so the name is what matters.
        MemberKind::File
    };
    for p in paths.check(&name, member) {
        ctx.emit(
            p.rule,
            mlsc_core::Severity::High,
            here.loc.clone().member(&name),
            p.message,
        );
    }
}

/// A tar archive: members are ranges of the archive, read in place (never extracted).
pub(crate) fn scan_tar(ctx: &mut Ctx<'_>, blob: Blob<'_>, here: &Here) -> io::Result<()> {
    let mut archive = tar::Archive::new(blob.reader());
    let entries = match archive.entries_with_seek() {
        Ok(e) => e,
        Err(e) => {
            ctx.not_analysed(
                &crate::rules::CORRUPT_STREAM,
                here.loc.clone(),
                format!("tar: {e}"),
            );
            return Ok(());
        }
    };
    let mut members: Vec<(String, u64, u64)> = Vec::new();
    let mut paths = MemberPaths::new();
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                ctx.not_analysed(
                    &crate::rules::CORRUPT_STREAM,
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
                &crate::rules::TOO_MANY_MEMBERS,
                here.loc.clone(),
                format!(
                    "more than {} members: the rest were not analysed",
                    ctx.opts.limits.max_members
                ),
            );
            break;
        }
        check_tar_entry(ctx, &mut paths, here, &entry);
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
        if ctx.out_of_time(&inner.loc) {
            break;
        }
        if pos.saturating_add(size) > blob.len() {
            ctx.not_analysed(
                &crate::rules::CORRUPT_STREAM,
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

/// Without the `sevenz` feature a 7-Zip archive is not opened: it is reported as content that was not analysed,
/// so its verdict is inconclusive, never clean.
#[cfg(not(feature = "sevenz"))]
pub(crate) fn scan_7z(ctx: &mut Ctx<'_>, _blob: Blob<'_>, here: &Here) -> io::Result<()> {
    ctx.not_analysed(
        &crate::rules::UNSUPPORTED_CONTENT,
        here.loc.clone(),
        "7z archive not analysed: this build of mlsc-pickle lacks the `sevenz` feature".to_owned(),
    );
    Ok(())
}

/// A 7-Zip archive, read as its members stream out of the decoder: pickles are analysed as they come (bounded
/// memory whatever their size), other analysable members are held in memory up to the memory limit, the rest are
/// not kept. Every dictionary the archive asks for — its header's and its members' — is checked against the
/// memory limit from the raw headers before sevenz-rust2 decodes (and allocates) anything.
#[cfg(feature = "sevenz")]
pub(crate) fn scan_7z(ctx: &mut Ctx<'_>, blob: Blob<'_>, here: &Here) -> io::Result<()> {
    let cap = cap(ctx);
    match sevenz_memory(blob, cap)? {
        Ok(need) if need <= cap => {}
        Ok(need) => {
            ctx.not_analysed(
                &crate::rules::TOO_LARGE_FOR_MEMORY,
                here.loc.clone(),
                format!("7z archive needs {need} bytes of decoder memory (dictionary or header), more than the memory budget of {cap}: not decompressed"),
            );
            return Ok(());
        }
        Err(why) => {
            ctx.not_analysed(
                &crate::rules::CORRUPT_STREAM,
                here.loc.clone(),
                format!("7z: {why}"),
            );
            return Ok(());
        }
    }
    let mut reader = match sevenz_rust2::ArchiveReader::new(
        BufReader::new(blob.reader()),
        sevenz_rust2::Password::empty(),
    ) {
        Ok(r) => r,
        Err(e) => {
            ctx.not_analysed(
                &crate::rules::CORRUPT_STREAM,
                here.loc.clone(),
                format!("7z: {e}"),
            );
            return Ok(());
        }
    };
    // One thread: the multi-threaded LZMA2 decoder keeps a dictionary per worker.
    reader.set_thread_count(1);
    let max_members = ctx.opts.limits.max_members;
    let consumed = Cell::new(blob.len());
    let mut count = 0u64;
    let mut io_error = None;
    let mut paths = MemberPaths::new();
    let result = reader.for_each_entries(|entry, r| {
        let inner = here.member(entry.name());
        if ctx.out_of_time(&inner.loc) {
            return Ok(false);
        }
        // p7zip keeps a Unix mode in the high half of the attributes (flag 0x8000); a link's data is its target.
        let unix_mode = (entry.has_windows_attributes && entry.windows_attributes & 0x8000 != 0)
            .then_some(entry.windows_attributes >> 16);
        let is_link = unix_mode.is_some_and(|m| m & 0o170_000 == 0o120_000);
        let mut target = String::new();
        if is_link {
            let mut t = Vec::new();
            r.take(4096).read_to_end(&mut t)?;
            target = String::from_utf8_lossy(&t).into_owned();
        }
        let kind = if is_link {
            MemberKind::Symlink(&target)
        } else if entry.is_directory() {
            MemberKind::Dir
        } else {
            MemberKind::File
        };
        for p in paths.check(entry.name(), kind) {
            ctx.emit(
                p.rule,
                mlsc_core::Severity::High,
                inner.loc.clone(),
                p.message,
            );
        }
        if is_link || entry.is_directory() || !entry.has_stream {
            return Ok(true);
        }
        count += 1;
        if count > max_members {
            ctx.not_analysed(
                &crate::rules::TOO_MANY_MEMBERS,
                here.loc.clone(),
                format!("more than {max_members} members: the rest were not analysed"),
            );
            return Ok(false);
        }
        // The ratio is judged against the whole archive: 7z members share solid blocks.
        if let Err(e) = scan_decoded(ctx, Box::new(&mut *r), &consumed, &inner, "7z member") {
            io_error = Some(e);
            return Ok(false);
        }
        // sevenz-rust2 hands the next member the same decoder: what was not read must be, or it shifts.
        io::copy(r, &mut io::sink())?;
        Ok(true)
    });
    if let Err(e) = result {
        ctx.not_analysed(
            &crate::rules::CORRUPT_STREAM,
            here.loc.clone(),
            format!("7z archive could not be fully read: {e}"),
        );
    }
    if let Some(e) = io_error {
        return Err(e);
    }
    Ok(())
}

/// Decompresses the rest of `dec` into nothing, under the same limits as if it were kept (so a bomb or a
/// corrupt stream is reported as before), in constant memory.
fn drain(
    ctx: &mut Ctx<'_>,
    dec: Box<dyn Read + '_>,
    consumed: &Cell<u64>,
    outer: &Location,
    what: &str,
) {
    let mut guarded = Guarded {
        inner: dec,
        consumed,
        out: mlsc_core::SNIFF_LEN as u64,
        cap: cap(ctx),
        ratio: ctx.opts.limits.max_ratio,
        stop: None,
        deadline: ctx.deadline,
    };
    // Guarded turns every error into a stop with its reason; sink never fails.
    let _ = io::copy(&mut guarded, &mut io::sink());
    ctx.inflated += guarded.out;
    if let Some((code, why)) = guarded.stop {
        ctx.timed_out |= *code == crate::rules::TIME_BUDGET;
        ctx.not_analysed(code, outer.clone(), format!("{what}: {why}"));
    }
}

/// A decompressed member (7z, zip bzip2/LZMA) analysed as it streams out of `dec`: a pickle or a tar is read as
/// it comes, text and unknown bytes stop after their first 8 KiB, anything else (a nested zip, an npy) is held in
/// memory up to the memory limit and dispatched.
pub(crate) fn scan_decoded(
    ctx: &mut Ctx<'_>,
    mut dec: Box<dyn Read + '_>,
    consumed: &Cell<u64>,
    inner: &Here,
    what: &str,
) -> io::Result<()> {
    let mut head = Vec::with_capacity(mlsc_core::SNIFF_LEN);
    if let Err(e) = (&mut dec)
        .take(mlsc_core::SNIFF_LEN as u64)
        .read_to_end(&mut head)
    {
        ctx.not_analysed(
            &crate::rules::CORRUPT_STREAM,
            inner.loc.clone(),
            format!(
                "{what} is corrupt or truncated ({e}); the {} bytes before the error were analysed",
                head.len()
            ),
        );
    }
    let format = super::sniff(&head);
    let deep = inner.depth >= ctx.opts.limits.max_depth;
    if format.is_text() || matches!(format, Format::Unknown | Format::Empty) {
        super::unidentified(ctx, inner, format, &head);
        drain(ctx, dec, consumed, &inner.loc, what);
        return Ok(());
    }
    let dec: Box<dyn Read + '_> = Box::new(io::Cursor::new(head).chain(dec));
    if format == Format::Pickle && !deep {
        return analyse_stream(ctx, dec, consumed, &inner.loc, &inner.loc, what);
    }
    if format == Format::Tar && !deep {
        return stream_tar(ctx, dec, consumed, inner, &inner.loc, what);
    }
    let outcome = read_bounded(dec, consumed, cap(ctx), ctx.opts.limits.max_ratio);
    let data = settle(ctx, &inner.loc, what, outcome);
    dispatch(ctx, Blob::Mem(&data), inner)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------------
// 7z headers, read far enough to know the decoders' memory before any decoder exists.

/// A cursor over 7z header bytes.
#[cfg(feature = "sevenz")]
struct SzCursor<'b> {
    b: &'b [u8],
    pos: usize,
}

#[cfg(feature = "sevenz")]
impl SzCursor<'_> {
    fn byte(&mut self) -> Result<u8, String> {
        let v = *self.b.get(self.pos).ok_or("7z header ends early")?;
        self.pos += 1;
        Ok(v)
    }

    fn bytes(&mut self, n: u64) -> Result<&[u8], String> {
        let n = usize::try_from(n).map_err(|_| "7z header length overflows")?;
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or("7z header ends early")?;
        let v = &self.b[self.pos..end];
        self.pos = end;
        Ok(v)
    }

    /// 7z's NUMBER: the leading one bits of the first byte count the bytes that follow.
    fn number(&mut self) -> Result<u64, String> {
        let first = self.byte()?;
        let mut mask = 0x80u8;
        let mut value = 0u64;
        for i in 0..8 {
            if first & mask == 0 {
                let high = u64::from(first & mask.wrapping_sub(1));
                return Ok(value | (high << (8 * i)));
            }
            value |= u64::from(self.byte()?) << (8 * i);
            mask >>= 1;
        }
        Ok(value)
    }

    fn count(&mut self) -> Result<usize, String> {
        let n = self.number()?;
        // Every entry takes at least one byte of the header, which is in memory.
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= self.b.len())
            .ok_or_else(|| format!("7z count {n} exceeds the header"))
    }

    fn digests(&mut self, n: usize) -> Result<(), String> {
        let all = self.byte()?;
        let defined = if all == 0 {
            let bits = self.bytes(n.div_ceil(8) as u64)?;
            (0..n)
                .filter(|i| bits[i / 8] & (0x80 >> (i % 8)) != 0)
                .count()
        } else {
            n
        };
        self.bytes(4 * defined as u64)?;
        Ok(())
    }
}

/// One coder of a folder: method id and properties.
#[cfg(feature = "sevenz")]
struct SzCoder {
    id: Vec<u8>,
    props: Vec<u8>,
}

/// A StreamsInfo: pack position and sizes, and each folder's coders and largest unpack size.
#[cfg(feature = "sevenz")]
#[derive(Default)]
struct SzStreams {
    pack_pos: u64,
    pack_sizes: Vec<u64>,
    folders: Vec<(Vec<SzCoder>, u64)>,
}

#[cfg(feature = "sevenz")]
fn sz_streams(c: &mut SzCursor<'_>) -> Result<SzStreams, String> {
    let mut out = SzStreams::default();
    loop {
        match c.byte()? {
            0x00 => return Ok(out),
            0x06 => {
                out.pack_pos = c.number()?;
                let n = c.count()?;
                loop {
                    match c.byte()? {
                        0x00 => break,
                        0x09 => {
                            for _ in 0..n {
                                out.pack_sizes.push(c.number()?);
                            }
                        }
                        0x0a => c.digests(n)?,
                        t => return Err(format!("unexpected 7z property {t:#x} in pack info")),
                    }
                }
            }
            0x07 => {
                if c.byte()? != 0x0b {
                    return Err("7z unpack info without folders".into());
                }
                let n = c.count()?;
                if c.byte()? != 0 {
                    return Err("7z external folders are not supported".into());
                }
                let mut outs = Vec::with_capacity(n);
                for _ in 0..n {
                    let mut coders = Vec::new();
                    let (mut total_in, mut total_out) = (0u64, 0u64);
                    for _ in 0..c.count()? {
                        let flags = c.byte()?;
                        let id = c.bytes(u64::from(flags & 0x0f))?.to_vec();
                        let (ins, outs) = if flags & 0x10 != 0 {
                            (c.number()?, c.number()?)
                        } else {
                            (1, 1)
                        };
                        total_in = total_in.saturating_add(ins);
                        total_out = total_out.saturating_add(outs);
                        let props = if flags & 0x20 != 0 {
                            let len = c.number()?;
                            c.bytes(len)?.to_vec()
                        } else {
                            Vec::new()
                        };
                        coders.push(SzCoder { id, props });
                    }
                    let pairs = total_out.saturating_sub(1);
                    for _ in 0..pairs {
                        c.number()?;
                        c.number()?;
                    }
                    let packed = total_in.saturating_sub(pairs);
                    if packed > 1 {
                        for _ in 0..packed {
                            c.number()?;
                        }
                    }
                    outs.push(total_out);
                    out.folders.push((coders, 0));
                }
                loop {
                    match c.byte()? {
                        0x00 => break,
                        0x0c => {
                            for (i, &k) in outs.iter().enumerate() {
                                for _ in 0..k {
                                    let size = c.number()?;
                                    out.folders[i].1 = out.folders[i].1.max(size);
                                }
                            }
                        }
                        0x0a => c.digests(n)?,
                        t => return Err(format!("unexpected 7z property {t:#x} in unpack info")),
                    }
                }
            }
            // SubStreamsInfo comes last and says nothing about memory.
            0x08 => return Ok(out),
            t => return Err(format!("unexpected 7z property {t:#x} in streams info")),
        }
    }
}

/// The memory a folder's decoders take: the largest dictionary (LZMA's shrunk to the output, as the decoder
/// does), PPMd's model size.
#[cfg(feature = "sevenz")]
fn sz_folder_memory(coders: &[SzCoder], unpack: u64) -> u64 {
    coders
        .iter()
        .map(|c| match c.id.as_slice() {
            [0x03, 0x01, 0x01] if c.props.len() >= 5 => u64::from(u32::from_le_bytes([
                c.props[1], c.props[2], c.props[3], c.props[4],
            ]))
            .min(unpack),
            [0x21] => lzma2_dictionary(c.props.first().copied().unwrap_or(0)),
            [0x03, 0x04, 0x01] if c.props.len() >= 5 => u64::from(u32::from_le_bytes([
                c.props[1], c.props[2], c.props[3], c.props[4],
            ])),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

/// The most memory any decoder of a 7z archive needs — its encoded header's (and that header's size) and every
/// member folder's — read from the raw headers; the encoded header is decoded here, once its own dictionary has
/// passed the check, to reach the folders it describes. `Ok(Err(why))` for headers that are not valid.
#[cfg(feature = "sevenz")]
fn sevenz_memory(blob: Blob<'_>, cap: u64) -> io::Result<Result<u64, String>> {
    let Ok(sig) = blob.read_at(0, 32) else {
        return Ok(Err("truncated signature header".into()));
    };
    let next_off = u64::from_le_bytes(sig[12..20].try_into().expect("8 bytes because sliced so"));
    let next_len = u64::from_le_bytes(sig[20..28].try_into().expect("8 bytes because sliced so"));
    if next_len > cap {
        return Ok(Ok(next_len));
    }
    let Some(Ok(mut header)) = 32u64
        .checked_add(next_off)
        .map(|at| blob.read_at(at, next_len as usize).map(|h| h.into_owned()))
    else {
        return Ok(Err("the next header lies outside the file".into()));
    };
    let mut need = 0u64;
    // Headers may be encoded (compressed) more than once; 4 layers is more than any writer produces.
    for _ in 0..4 {
        let mut c = SzCursor { b: &header, pos: 0 };
        let streams = match c.byte() {
            Ok(0x01) => {
                // Header: optional archive properties, optional additional streams, then the main streams.
                loop {
                    match c.byte() {
                        Ok(0x02) => loop {
                            match c.byte() {
                                Ok(0x00) => break,
                                Ok(_) => {
                                    let n = match c.number() {
                                        Ok(n) => n,
                                        Err(e) => return Ok(Err(e)),
                                    };
                                    if let Err(e) = c.bytes(n) {
                                        return Ok(Err(e));
                                    }
                                }
                                Err(e) => return Ok(Err(e)),
                            }
                        },
                        Ok(0x03 | 0x04) => match sz_streams(&mut c) {
                            Ok(s) => {
                                for (coders, unpack) in &s.folders {
                                    need = need.max(sz_folder_memory(coders, *unpack));
                                }
                            }
                            Err(e) => return Ok(Err(e)),
                        },
                        // Files info and the end: nothing more about memory.
                        Ok(_) => break,
                        Err(e) => return Ok(Err(e)),
                    }
                }
                return Ok(Ok(need));
            }
            Ok(0x17) => match sz_streams(&mut c) {
                Ok(s) => s,
                Err(e) => return Ok(Err(e)),
            },
            Ok(t) => return Ok(Err(format!("unexpected 7z header type {t:#x}"))),
            Err(e) => return Ok(Err(e)),
        };
        // An encoded header: one folder, normally a single LZMA coder. Check it, then decode it.
        let Some((coders, unpack)) = streams.folders.first() else {
            return Ok(Err("encoded header without a folder".into()));
        };
        let mem = sz_folder_memory(coders, *unpack).max(*unpack);
        need = need.max(mem);
        if mem > cap {
            return Ok(Ok(need));
        }
        let [coder] = coders.as_slice() else {
            // AES or filter chains on the header: sevenz-rust2 decides; its dictionary was bounded above.
            return Ok(Ok(need));
        };
        let (Some(&pack), true) = (
            streams.pack_sizes.first(),
            coder.id == [0x03, 0x01, 0x01] && coder.props.len() >= 5,
        ) else {
            return Ok(Ok(need));
        };
        let at = 32u64.saturating_add(streams.pack_pos);
        if pack > cap || at.saturating_add(pack) > blob.len() {
            return Ok(Err(
                "the encoded header's packed stream lies outside the file".into(),
            ));
        }
        let packed = blob.read_at(at, pack as usize)?;
        let dict = u32::from_le_bytes([
            coder.props[1],
            coder.props[2],
            coder.props[3],
            coder.props[4],
        ]);
        let Ok(mut dec) = lzma_rust2::LzmaReader::new_with_props(
            &packed[..],
            *unpack,
            coder.props[0],
            dict,
            None,
        ) else {
            return Ok(Err(
                "the encoded header's LZMA properties are invalid".into()
            ));
        };
        let mut out = Vec::new();
        if let Err(e) = (&mut dec).take(*unpack).read_to_end(&mut out) {
            return Ok(Err(format!("the encoded header does not decode: {e}")));
        }
        header = out;
    }
    Ok(Ok(need))
}
