//! A zip reader that reads archives the way PyTorch does.
//!
//! The `zip` crate is strict where torch's reader (miniz) is not: miniz finds the end-of-central-directory record
//! by searching backwards, trusts the central directory, ignores local-header flag bits, names and sizes, and
//! loads members whose CRC does not match. An archive the `zip` crate rejects can therefore still be a working —
//! and malicious — checkpoint. This reader follows miniz: the central directory decides, and every disagreement
//! with a local header is a finding rather than an error. It also handles ZIP64 and prepended data (Python's
//! `zipfile` adjusts offsets by the bytes before the archive; so do we, and say so).
//!
//! Only what can be unpickled is read: the central directory, local headers, and members that sniff as something
//! analysable. PyTorch tensor storages (`<archive>/data/<key>`) are never read: torch never unpickles them.

use std::io::{self, Read};

use mlsc_core::{Format, Location, Severity};

use super::blob::Blob;
use super::compress;
use super::member_path::{MemberKind, MemberPaths};
use super::{Ctx, Here, dispatch, keras};

const EOCD_SIG: &[u8] = b"PK\x05\x06";
const EOCD64_LOCATOR_SIG: &[u8] = b"PK\x06\x07";
const EOCD64_SIG: &[u8] = b"PK\x06\x06";
const CDH_SIG: &[u8] = b"PK\x01\x02";
const LFH_SIG: &[u8] = b"PK\x03\x04";
/// EOCD (22 bytes) plus the longest comment.
const TAIL: usize = 22 + 0xffff;

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}
fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes because sliced so"))
}
fn le64(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes because sliced so"))
}

/// One central directory entry.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) name: String,
    name_raw: Vec<u8>,
    flags: u16,
    method: u16,
    crc: u32,
    csize: u64,
    usize: u64,
    local: u64,
    /// "Version made by": its high byte is the host system (3 = Unix, whose mode is in `ext_attr`'s high half).
    made_by: u16,
    ext_attr: u32,
}

/// A parsed central directory.
#[derive(Debug)]
pub(crate) struct Directory {
    pub(crate) entries: Vec<Entry>,
    /// Bytes before the archive proper (zipfile's `concat`): added to every stored offset.
    delta: u64,
    /// The entry count the EOCD claims (may exceed `entries.len()` when capped).
    claimed: u64,
    /// Where the EOCD record is.
    eocd: u64,
}

/// Finds and parses the central directory. `Ok(Err(why))` when there is none.
fn read_directory(
    blob: Blob<'_>,
    max_members: u64,
    max_cd: u64,
) -> io::Result<Result<Directory, String>> {
    if blob.len() < 22 {
        return Ok(Err(
            "too short for an end-of-central-directory record".into()
        ));
    }
    let (tail_at, tail) = blob.suffix(TAIL)?;
    // miniz searches backwards from the end for the signature.
    let Some(rel) = memchr::memmem::rfind(&tail, EOCD_SIG).filter(|&p| p + 22 <= tail.len()) else {
        return Ok(Err("no end-of-central-directory record".into()));
    };
    let e = &tail[rel..];
    let eocd = tail_at + rel as u64;
    let mut claimed = u64::from(le16(e, 10));
    let mut cd_size = u64::from(le32(e, 12));
    let mut cd_off = u64::from(le32(e, 16));
    // The record the offsets are relative to: the ZIP64 EOCD when there is one, else this EOCD.
    let mut end_record = eocd;
    if rel >= 20 && &tail[rel - 20..rel - 16] == EOCD64_LOCATOR_SIG {
        let z64 = le64(&tail, rel - 20 + 8);
        if let Ok(rec) = blob.read_at(z64, 56)
            && &rec[..4] == EOCD64_SIG
        {
            claimed = le64(&rec, 32);
            cd_size = le64(&rec, 40);
            cd_off = le64(&rec, 48);
            end_record = z64;
        } else {
            // Offsets shifted by prepended data: look for the ZIP64 record just before the locator.
            let guess = eocd.checked_sub(20 + 56);
            match guess.map(|g| blob.read_at(g, 56)) {
                Some(Ok(rec)) if &rec[..4] == EOCD64_SIG => {
                    claimed = le64(&rec, 32);
                    cd_size = le64(&rec, 40);
                    cd_off = le64(&rec, 48);
                    end_record = guess.expect("some because matched");
                }
                _ => return Ok(Err("ZIP64 locator points to no ZIP64 record".into())),
            }
        }
    }
    let Some(delta) = end_record
        .checked_sub(cd_size)
        .and_then(|x| x.checked_sub(cd_off))
    else {
        return Ok(Err(format!(
            "central directory ({cd_off}+{cd_size}) runs past its end record at {end_record}"
        )));
    };
    if cd_size > max_cd {
        return Ok(Err(format!(
            "central directory of {cd_size} bytes is larger than the memory limit"
        )));
    }
    let cd = blob.read_at(cd_off + delta, cd_size as usize)?;
    let mut entries = Vec::new();
    let mut p = 0usize;
    while (entries.len() as u64) < claimed.min(max_members) {
        if p + 46 > cd.len() || &cd[p..p + 4] != CDH_SIG {
            break;
        }
        let h = &cd[p..];
        let (n, x, c) = (
            le16(h, 28) as usize,
            le16(h, 30) as usize,
            le16(h, 32) as usize,
        );
        if p + 46 + n + x + c > cd.len() {
            break;
        }
        let name_raw = h[46..46 + n].to_vec();
        let mut usize_ = u64::from(le32(h, 24));
        let mut csize = u64::from(le32(h, 20));
        let mut local = u64::from(le32(h, 42));
        // ZIP64 extended information: only the fields saturated in the header are present, in this order.
        let mut extra = &h[46 + n..46 + n + x];
        while extra.len() >= 4 {
            let (id, len) = (le16(extra, 0), le16(extra, 2) as usize);
            let body = &extra[4..(4 + len).min(extra.len())];
            if id == 1 {
                let mut q = 0;
                for field in [&mut usize_, &mut csize, &mut local] {
                    if *field == 0xffff_ffff && q + 8 <= body.len() {
                        *field = le64(body, q);
                        q += 8;
                    }
                }
            }
            extra = &extra[(4 + len).min(extra.len())..];
        }
        entries.push(Entry {
            name: String::from_utf8_lossy(&name_raw).into_owned(),
            name_raw,
            flags: le16(h, 8),
            method: le16(h, 10),
            crc: le32(h, 16),
            csize,
            usize: usize_,
            local,
            made_by: le16(h, 4),
            ext_attr: le32(h, 38),
        });
        p += 46 + n + x + c;
    }
    Ok(Ok(Directory {
        entries,
        delta,
        claimed,
        eocd,
    }))
}

/// The central directory of the zip archive in `blob` (at its end, after any prefix), under the scan's limits.
pub(crate) fn directory(
    blob: Blob<'_>,
    options: &crate::ScanOptions,
) -> io::Result<Result<Directory, String>> {
    read_directory(blob, options.limits.max_members, options.max_memory_bytes)
}

impl Directory {
    /// The names of its members, in directory order.
    pub(crate) fn entry_names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.name.as_str())
    }
}

/// A file sniffed as a zip.
pub(crate) fn scan_zip(ctx: &mut Ctx<'_>, blob: Blob<'_>, here: &Here) -> io::Result<()> {
    match read_directory(blob, ctx.opts.limits.max_members, ctx.opts.max_memory_bytes)? {
        Ok(dir) => scan_directory(ctx, blob, here, &dir),
        Err(why) => {
            ctx.not_analysed(
                &crate::rules::ZIP_NO_CENTRAL_DIRECTORY,
                here.loc.clone(),
                format!("{why}: neither torch nor zipfile can open it, and its members were not analysed"),
            );
            Ok(())
        }
    }
}

/// The zip archive at the end of a blob that does not start with one (a pickle/zip polyglot, a zip with a
/// prefix): its directory, when there is one with members.
pub(crate) fn embedded(ctx: &Ctx<'_>, blob: Blob<'_>) -> io::Result<Option<Directory>> {
    if blob.len() < 22 {
        return Ok(None);
    }
    let (_, tail) = blob.suffix(TAIL)?;
    if memchr::memmem::rfind(&tail, EOCD_SIG).is_none() {
        return Ok(None);
    }
    match read_directory(blob, ctx.opts.limits.max_members, ctx.opts.max_memory_bytes)? {
        Ok(d) if !d.entries.is_empty() => Ok(Some(d)),
        _ => Ok(None),
    }
}

impl Directory {
    /// Where the archive proper starts: the bytes before it are a prefix zipfile skips.
    pub(crate) fn start(&self) -> u64 {
        self.delta
    }
}

/// Looks for a zip archive at the end of a file that does not start with one; scans it when found and returns
/// whether it was. `prefix_note` reports the bytes before it.
pub(crate) fn scan_embedded_zip(
    ctx: &mut Ctx<'_>,
    blob: Blob<'_>,
    here: &Here,
    dir: Option<Directory>,
    prefix_note: bool,
) -> io::Result<bool> {
    let dir = match dir {
        Some(d) => d,
        None => match embedded(ctx, blob)? {
            Some(d) => d,
            None => return Ok(false),
        },
    };
    if dir.delta > 0 && prefix_note {
        ctx.emit(
            &crate::rules::ZIP_PREPENDED_DATA,
            Severity::Low,
            here.at(0),
            format!(
                "{} bytes precede the zip archive (end record at {}); zipfile shifts its offsets, torch.load does not open it as a zip",
                dir.delta, dir.eocd
            ),
        );
    }
    scan_directory(ctx, blob, here, &dir)?;
    Ok(true)
}

/// True for content worth dispatching inside an archive (text and unknown bytes are not loaded as models).
fn analysable(format: Format) -> bool {
    !(format.is_text() || matches!(format, Format::Unknown | Format::Empty))
}

/// Reads the first `n` decompressed bytes of a member.
fn member_prefix(entry: &Entry, data: Blob<'_>, n: usize) -> io::Result<Vec<u8>> {
    match entry.method {
        0 => Ok(data.prefix(n)?.into_owned()),
        8 => {
            let mut out = Vec::with_capacity(n);
            let r = flate2::bufread::DeflateDecoder::new(io::BufReader::with_capacity(
                16 << 10,
                data.reader(),
            ));
            // A corrupt stream yields what it could: the full read reports the error.
            let _ = r.take(n as u64).read_to_end(&mut out);
            Ok(out)
        }
        _ => Ok(Vec::new()),
    }
}

fn scan_directory(
    ctx: &mut Ctx<'_>,
    blob: Blob<'_>,
    here: &Here,
    dir: &Directory,
) -> io::Result<()> {
    if dir.claimed > dir.entries.len() as u64 {
        let capped = dir.claimed > ctx.opts.limits.max_members;
        ctx.not_analysed(
            if capped { &crate::rules::TOO_MANY_MEMBERS } else { &crate::rules::ZIP_NO_CENTRAL_DIRECTORY },
            here.loc.clone(),
            if capped {
                format!(
                    "the archive claims {} members, more than the limit of {}: the rest were not analysed",
                    dir.claimed, ctx.opts.limits.max_members
                )
            } else {
                format!(
                    "the archive claims {} members but its central directory holds {}",
                    dir.claimed,
                    dir.entries.len()
                )
            },
        );
    }
    // PyTorch: `<prefix>/data.pkl`; tensor storages are `<prefix>/data/<key>` and never unpickled.
    let storage_prefix = dir.entries.iter().find_map(|e| {
        (e.name == "data.pkl" || e.name.ends_with("/data.pkl"))
            .then(|| format!("{}data/", &e.name[..e.name.len() - "data.pkl".len()]))
    });
    // TorchScript (torch.jit.save): `<prefix>/constants.pkl` and `<prefix>/code/`. torch.load hands it to
    // torch.jit.load, whose unpickler builds TorchScript classes and which compiles and runs code/.
    let torchscript_prefix = dir.entries.iter().find_map(|e| {
        let prefix = e.name.strip_suffix("constants.pkl")?;
        let code = format!("{prefix}code/");
        dir.entries
            .iter()
            .any(|c| c.name.starts_with(&code))
            .then(|| prefix.to_owned())
    });
    // [crate::code] TorchScript code/ and torch.package modules go through the Python analyser.
    if let Some(prefix) = &torchscript_prefix {
        torchscript_code(ctx, blob, here, dir, prefix)?;
    }
    let was_packaged = std::mem::take(&mut ctx.packaged);
    if let Some(prefix) = torch_package_prefix(dir) {
        ctx.packaged = torch_package(ctx, blob, here, dir, &prefix)?;
    }
    // [end crate::code]
    let was_torchscript = ctx.torchscript;
    ctx.torchscript = torchscript_prefix.is_some();
    let result = scan_members(ctx, blob, here, dir, storage_prefix.as_deref());
    ctx.torchscript = was_torchscript;
    ctx.packaged = was_packaged;
    result?;
    keras::check_keras_zip(ctx, blob, here, dir)?;
    Ok(())
}

/// The members of an archive, after the archive-level checks.
fn scan_members(
    ctx: &mut Ctx<'_>,
    blob: Blob<'_>,
    here: &Here,
    dir: &Directory,
    storage_prefix: Option<&str>,
) -> io::Result<()> {
    check_member_paths(ctx, blob, here, dir)?;
    let mut spans: Vec<(u64, u64, usize)> = Vec::new();
    let mut skipped_storages = 0u64;
    let mut descriptors = 0u64;
    let mut budget_spent = 0u64;
    for (i, e) in dir.entries.iter().enumerate() {
        let inner = here.member(&e.name);
        if ctx.out_of_time(&inner.loc) {
            break;
        }
        if (e.name.ends_with('/') && e.usize == 0) || e.is_symlink() {
            continue;
        }
        let Some(lfh_at) = e.local.checked_add(dir.delta) else {
            continue;
        };
        let lfh = match blob.read_at(lfh_at, 30) {
            Ok(b) if &b[..4] == LFH_SIG => b,
            _ => {
                ctx.not_analysed(
                    &crate::rules::ZIP_BAD_LOCAL_HEADER,
                    inner.loc.clone(),
                    format!("no local header at offset {lfh_at}: the member cannot be loaded and was not analysed"),
                );
                continue;
            }
        };
        let (lflags, lmethod, lcrc) = (le16(&lfh, 6), le16(&lfh, 8), le32(&lfh, 14));
        let (lcsize, lusize) = (u64::from(le32(&lfh, 18)), u64::from(le32(&lfh, 22)));
        let (ln, lx) = (le16(&lfh, 26) as usize, le16(&lfh, 28) as usize);
        let lname = blob.read_at(lfh_at + 30, ln).unwrap_or_default();
        if *lname != *e.name_raw {
            ctx.emit(
                &crate::rules::ZIP_NAME_MISMATCH,
                Severity::Low,
                inner.loc.clone(),
                format!(
                    "the local header at {lfh_at} names it `{}`; the central directory's name was used, as torch does",
                    String::from_utf8_lossy(&lname)
                ),
            );
        }
        // Bits 0 (encrypted), 1-2 (deflate level), 3 (data descriptor), 11 (UTF-8) are what writers set.
        let reserved = (lflags | e.flags) & !0b0000_1000_0000_1111;
        if lflags != e.flags || reserved != 0 || lmethod != e.method {
            ctx.emit(
                &crate::rules::ZIP_FLAG_MISMATCH,
                Severity::Low,
                inner.loc.clone(),
                format!(
                    "local header flags {lflags:#06x} method {lmethod}, central directory flags {:#06x} method {}; the central directory was used",
                    e.flags, e.method
                ),
            );
        }
        if (lflags | e.flags) & 8 != 0 {
            descriptors += 1;
        } else if (lcsize != e.csize && lcsize != 0xffff_ffff)
            || (lusize != e.usize && lusize != 0xffff_ffff)
            || lcrc != e.crc
        {
            ctx.emit(
                &crate::rules::ZIP_SIZE_MISMATCH,
                Severity::Low,
                inner.loc.clone(),
                format!(
                    "local header sizes {lcsize}/{lusize} crc {lcrc:#010x}, central directory {}/{} crc {:#010x}",
                    e.csize, e.usize, e.crc
                ),
            );
        }
        let data_at = lfh_at + 30 + ln as u64 + lx as u64;
        if data_at.saturating_add(e.csize) > blob.len() {
            ctx.not_analysed(
                &crate::rules::ZIP_BAD_LOCAL_HEADER,
                inner.loc.clone(),
                format!(
                    "data at {data_at} of {} bytes runs past the end of the archive ({} bytes)",
                    e.csize,
                    blob.len()
                ),
            );
            continue;
        }
        spans.push((lfh_at, data_at + e.csize, i));
        if e.flags & 1 != 0 {
            ctx.not_analysed(
                &crate::rules::ZIP_ENCRYPTED_MEMBER,
                inner.loc.clone(),
                "the member is encrypted: not analysed",
            );
            continue;
        }
        if storage_prefix.is_some_and(|p| e.name.starts_with(p)) {
            skipped_storages += 1;
            continue;
        }
        let data = blob.sub(data_at, e.csize);
        if e.method != 0 && compress::budget(ctx) == 0 {
            budget_spent += 1;
            continue;
        }
        if !matches!(e.method, 0 | 8) {
            // Python's zipfile (Keras, joblib users, numpy.load of .npz) also reads bzip2 (12) and LZMA (14).
            match e.method {
                12 => {
                    let consumed = std::cell::Cell::new(0u64);
                    let dec = Box::new(bzip2::bufread::MultiBzDecoder::new(io::BufReader::with_capacity(
                        64 << 10,
                        super::blob::Counting { inner: data.reader(), count: &consumed },
                    )));
                    compress::scan_decoded(ctx, dec, &consumed, &inner, "bzip2 member")?;
                }
                14 => {
                    // zipfile's LZMA: version (2 bytes), properties size (2), the 5 properties, raw LZMA with an
                    // end marker. The dictionary is checked before a decoder exists, then the member streams.
                    let hdr = data.prefix(9)?;
                    if hdr.len() < 9 || hdr[2..4] != [5, 0] {
                        ctx.not_analysed(&crate::rules::CORRUPT_STREAM, inner.loc.clone(), "LZMA member without its 5-byte properties header: not analysed");
                        continue;
                    }
                    let dict = u64::from(u32::from_le_bytes([hdr[5], hdr[6], hdr[7], hdr[8]]));
                    if dict > compress::cap(ctx) {
                        ctx.not_analysed(
                            &crate::rules::TOO_LARGE_FOR_MEMORY,
                            inner.loc.clone(),
                            format!("LZMA member needs a dictionary of {dict} bytes, more than the memory budget of {}: not decompressed", compress::cap(ctx)),
                        );
                        continue;
                    }
                    let consumed = std::cell::Cell::new(0u64);
                    let input = io::BufReader::with_capacity(
                        64 << 10,
                        super::blob::Counting { inner: data.sub(9, u64::MAX).reader(), count: &consumed },
                    );
                    match lzma_rust2::LzmaReader::new_with_props(input, u64::MAX, hdr[4], dict as u32, None) {
                        Ok(dec) => compress::scan_decoded(ctx, Box::new(dec), &consumed, &inner, "LZMA member")?,
                        Err(e) => ctx.not_analysed(&crate::rules::CORRUPT_STREAM, inner.loc.clone(), format!("LZMA member: {e}")),
                    }
                }
                m => ctx.not_analysed(
                    &crate::rules::ZIP_UNSUPPORTED_METHOD,
                    inner.loc.clone(),
                    format!("compression method {m} is not analysed (torch reads stored and deflated members, zipfile also bzip2 and LZMA)"),
                ),
            }
            continue;
        }
        let head = member_prefix(e, data, mlsc_core::SNIFF_LEN)?;
        let format = super::sniff(&head);
        if !analysable(format) && !crate::config::member_wanted(&e.name, format) {
            super::unidentified(ctx, &inner, format, &head);
            continue;
        }
        if e.method == 0 && (!matches!(format, Format::Pickle) || e.csize > 16 << 20) {
            // Stored: the member is a range of this blob, read in place (a stored zip in a zip, an npy header,
            // a large pickle streamed through the analyser; its CRC is then not checked).
            dispatch(ctx, data, &inner)?;
            continue;
        }
        if e.method == 8 && format == Format::Numpy && e.usize > mlsc_core::SNIFF_LEN as u64 {
            // A deflated .npz array: its header is in the first bytes; only an object array needs the rest.
            let head = member_prefix(e, data, 1 << 16)?;
            if super::npy::scan_npy_sized(ctx, Blob::Mem(&head), &inner, Some(e.usize))? {
                continue;
            }
        }
        if e.method == 8 && format == Format::Pickle && e.usize > 16 << 20 {
            // A large deflated pickle: analysed as it is inflated, in bounded memory (its CRC is not checked).
            let consumed = std::cell::Cell::new(0u64);
            let dec = Box::new(flate2::bufread::DeflateDecoder::new(
                io::BufReader::with_capacity(
                    64 << 10,
                    super::blob::Counting {
                        inner: data.reader(),
                        count: &consumed,
                    },
                ),
            ));
            compress::analyse_stream(
                ctx,
                dec,
                &consumed,
                &inner.loc,
                &inner.loc,
                "deflated member",
            )?;
            continue;
        }
        let bytes = if e.method == 0 {
            match data.all(ctx.opts.max_memory_bytes)? {
                Some(b) => b.into_owned(),
                None => {
                    ctx.not_analysed(
                        &crate::rules::TOO_LARGE_FOR_MEMORY,
                        inner.loc.clone(),
                        format!(
                            "member of {} bytes is larger than the memory limit: not analysed",
                            e.csize
                        ),
                    );
                    continue;
                }
            }
        } else {
            inflate(ctx, data, &inner.loc)
        };
        let mut crc = flate2::Crc::new();
        crc.update(&bytes);
        if crc.sum() != e.crc && bytes.len() as u64 == e.usize {
            ctx.emit(
                &crate::rules::ZIP_CRC_MISMATCH,
                Severity::Low,
                inner.loc.clone(),
                format!(
                    "CRC-32 is {:#010x}, the central directory says {:#010x}; torch loads it anyway",
                    crc.sum(),
                    e.crc
                ),
            );
        }
        dispatch(ctx, Blob::Mem(&bytes), &inner)?;
    }
    if budget_spent > 0 {
        ctx.not_analysed(
            &crate::rules::DECOMPRESSION_LIMIT,
            here.loc.clone(),
            format!(
                "{budget_spent} compressed member(s) not analysed: the file's decompression budget of {} bytes is spent",
                ctx.opts.limits.max_decompressed_bytes
            ),
        );
    }
    if descriptors > 0 {
        ctx.emit(
            &crate::rules::ZIP_DATA_DESCRIPTOR,
            Severity::Info,
            here.loc.clone(),
            format!("{descriptors} member(s) use data descriptors; the central directory's sizes were used"),
        );
    }
    if skipped_storages > 0 {
        ctx.emit(
            &crate::rules::ZIP_STORAGES_SKIPPED,
            Severity::Info,
            here.loc.clone(),
            format!("{skipped_storages} tensor storage(s) under `{}` not read: torch never unpickles them", storage_prefix.unwrap_or("")),
        );
    }
    spans.sort_unstable();
    if let Some(w) = spans.windows(2).find(|w| w[1].0 < w[0].1) {
        ctx.emit(
            &crate::rules::ZIP_OVERLAPPING_MEMBERS,
            Severity::Medium,
            here.loc.clone(),
            format!(
                "members `{}` and `{}` overlap (bytes {}..{} and {}..{})",
                dir.entries[w[0].2].name, dir.entries[w[1].2].name, w[0].0, w[0].1, w[1].0, w[1].1
            ),
        );
    }
    Ok(())
}

impl Entry {
    /// A Unix symbolic link (host system 3, `S_IFLNK` in the mode): its data is the link's target, not content.
    fn is_symlink(&self) -> bool {
        const S_IFMT: u32 = 0o170_000;
        const S_IFLNK: u32 = 0o120_000;
        self.made_by >> 8 == 3 && (self.ext_attr >> 16) & S_IFMT == S_IFLNK
    }
}

/// Where member `e`'s data starts, from its local header; `None` when there is no local header there.
fn data_start(blob: Blob<'_>, dir: &Directory, e: &Entry) -> Option<u64> {
    let lfh_at = e.local.checked_add(dir.delta)?;
    let lfh = blob.read_at(lfh_at, 30).ok()?;
    (&lfh[..4] == LFH_SIG)
        .then(|| lfh_at + 30 + u64::from(le16(&lfh, 26)) + u64::from(le16(&lfh, 28)))
}

/// Member names and links, as an extractor (TorchServe's, `unzip`, `zipfile.extractall`) resolves them.
fn check_member_paths(
    ctx: &mut Ctx<'_>,
    blob: Blob<'_>,
    here: &Here,
    dir: &Directory,
) -> io::Result<()> {
    let mut paths = MemberPaths::new();
    for e in &dir.entries {
        // A Unix symbolic link: `unzip` (and Info-ZIP based extractors) create it, its data is the target.
        let target = if e.is_symlink() {
            let data = data_start(blob, dir, e).map(|at| blob.sub(at, e.csize));
            match data {
                Some(d) => Some(String::from_utf8_lossy(&member_prefix(e, d, 4096)?).into_owned()),
                None => Some(String::new()),
            }
        } else {
            None
        };
        let kind = match &target {
            Some(t) => MemberKind::Symlink(t),
            None if e.name.ends_with('/') || e.name.ends_with('\\') => MemberKind::Dir,
            None => MemberKind::File,
        };
        let fingerprint = Some(u64::from(e.crc) ^ e.usize.rotate_left(32));
        for p in paths.check_content(&e.name, kind, fingerprint) {
            ctx.emit(
                p.rule,
                Severity::High,
                here.loc.clone().member(&e.name),
                p.message,
            );
        }
    }
    Ok(())
}

/// Inflates a deflated member under the limits; reports a corrupt stream or a limit hit.
fn inflate(ctx: &mut Ctx<'_>, data: Blob<'_>, loc: &Location) -> Vec<u8> {
    let consumed = std::cell::Cell::new(0u64);
    let r = flate2::bufread::DeflateDecoder::new(io::BufReader::with_capacity(
        64 << 10,
        super::blob::Counting {
            inner: data.reader(),
            count: &consumed,
        },
    ));
    let out = compress::read_bounded(r, &consumed, compress::cap(ctx), ctx.opts.limits.max_ratio);
    compress::settle(ctx, loc, "deflated member", out)
}

/// The decompressed bytes of member `name` (the last of that name, as torch reads), under the limits.
pub(crate) fn read_member(
    ctx: &mut Ctx<'_>,
    blob: Blob<'_>,
    dir: &Directory,
    name: &str,
    here: &Here,
) -> io::Result<Option<Vec<u8>>> {
    let Some(e) = dir.entries.iter().rev().find(|e| e.name == name) else {
        return Ok(None);
    };
    let lfh_at = e.local + dir.delta;
    let Ok(lfh) = blob.read_at(lfh_at, 30) else {
        return Ok(None);
    };
    let data_at = lfh_at + 30 + u64::from(le16(&lfh, 26)) + u64::from(le16(&lfh, 28));
    let data = blob.sub(data_at, e.csize);
    let loc = here.loc.clone().member(name);
    match e.method {
        0 => Ok(data.all(ctx.opts.max_memory_bytes)?.map(|b| b.into_owned())),
        8 => Ok(Some(inflate(ctx, data, &loc))),
        _ => Ok(None),
    }
}

// [crate::code] TorchScript `code/` and torch.package modules: read here (the zip layer), judged by `crate::code`.

/// The `.py` members under `folder` (deduplicated; torch reads the last of a name).
fn python_members(dir: &Directory, folder: &str) -> std::collections::BTreeSet<String> {
    dir.entries
        .iter()
        .filter(|e| e.name.starts_with(folder) && e.name.ends_with(".py"))
        .map(|e| e.name.clone())
        .collect()
}

/// A TorchScript archive's `code/` files: every call must reach torch operators, the archive's own `__torch__`
/// classes or TorchScript builtins.
fn torchscript_code(
    ctx: &mut Ctx<'_>,
    blob: Blob<'_>,
    here: &Here,
    dir: &Directory,
    prefix: &str,
) -> io::Result<()> {
    let folder = format!("{prefix}code/");
    let names = python_members(dir, &folder);
    let mut clean = true;
    for name in &names {
        let inner = here.member(name);
        let Some(bytes) = read_member(ctx, blob, dir, name, here)? else {
            crate::code::not_analysed(
                ctx,
                &crate::rules::PYTHON_UNPARSABLE,
                inner.loc.clone(),
                "TorchScript code not analysed: the member could not be read (compression method or size)".into(),
            );
            clean = false;
            continue;
        };
        match crate::code::analyse_source(ctx, &bytes, &inner, "TorchScript code") {
            Some(facts) => clean &= crate::code::torchscript::check(ctx, &facts, &inner),
            None => clean = false,
        }
    }
    if clean {
        crate::code::emit(
            ctx,
            &crate::rules::TORCHSCRIPT_CODE_ANALYSED,
            Severity::Info,
            here.loc.clone(),
            format!(
                "TorchScript archive: its {} code file(s) under `{folder}` call only torch operators, the archive's own classes and TorchScript builtins",
                names.len()
            ),
        );
    }
    Ok(())
}

/// The prefix of a torch.package archive (`<prefix>.data/version` and `<prefix>.data/extern_modules`).
fn torch_package_prefix(dir: &Directory) -> Option<String> {
    dir.entries.iter().find_map(|e| {
        let prefix = e.name.strip_suffix(".data/extern_modules")?;
        dir.entries
            .iter()
            .any(|v| v.name == format!("{prefix}.data/version"))
            .then(|| prefix.to_owned())
    })
}

/// A torch.package archive's Python modules: each is analysed for what it does when PackageImporter imports it.
/// Returns the modules that reach for nothing dangerous anywhere, whose classes its pickles may then name.
fn torch_package(
    ctx: &mut Ctx<'_>,
    blob: Blob<'_>,
    here: &Here,
    dir: &Directory,
    prefix: &str,
) -> io::Result<Vec<String>> {
    let mut safe = Vec::new();
    let mut listed = Vec::new();
    for name in python_members(dir, prefix) {
        let rel = &name[prefix.len()..];
        if rel.starts_with(".data/") {
            continue;
        }
        let module = rel
            .trim_end_matches(".py")
            .trim_end_matches("/__init__")
            .replace('/', ".");
        let inner = here.member(&name);
        let Some(bytes) = read_member(ctx, blob, dir, &name, here)? else {
            crate::code::not_analysed(
                ctx,
                &crate::rules::PYTHON_UNPARSABLE,
                inner.loc.clone(),
                "packaged module not analysed: the member could not be read (compression method or size)".into(),
            );
            continue;
        };
        let what = format!("packaged module `{module}`");
        if let Some(facts) = crate::code::analyse_source(ctx, &bytes, &inner, &what) {
            crate::code::report_reaches(ctx, &facts, &inner, &what);
            listed.push(format!(
                "`{module}` (imports {})",
                crate::code::import_list(&facts, 6)
            ));
            if facts.reaches.is_empty() {
                safe.push(module);
            }
        }
    }
    let externs = read_member(
        ctx,
        blob,
        dir,
        &format!("{prefix}.data/extern_modules"),
        here,
    )?
    .map(|b| {
        String::from_utf8_lossy(&b)
            .lines()
            .filter(|l| !l.is_empty())
            .take(32)
            .map(|l| format!("`{l}`"))
            .collect::<Vec<_>>()
            .join(", ")
    })
    .unwrap_or_default();
    crate::code::emit(
        ctx,
        &crate::rules::TORCH_PACKAGE_MODULES,
        Severity::Info,
        here.loc.clone(),
        format!(
            "torch.package archive: {} packaged module(s), imported by PackageImporter on load: {}; modules taken from the environment: {}",
            listed.len(),
            if listed.is_empty() {
                "none".to_owned()
            } else {
                listed.join(", ")
            },
            if externs.is_empty() { "none" } else { &externs }
        ),
    );
    Ok(safe)
}
// [end crate::code]
