//! Raw pickles (with the pickle/zip polyglot check) and the legacy `torch.save` layout.

use std::io;

use super::blob::Blob;
use super::{Ctx, Here, zip};

/// Reads the whole of `blob` when it fits the memory limit, or reports it as not analysed.
pub(crate) fn whole<'a>(
    ctx: &mut Ctx<'_>,
    blob: Blob<'a>,
    here: &Here,
    what: &str,
) -> io::Result<Option<std::borrow::Cow<'a, [u8]>>> {
    let data = blob.all(ctx.opts.max_memory_bytes)?;
    if data.is_none() {
        ctx.not_analysed(
            &crate::rules::TOO_LARGE_FOR_MEMORY,
            here.loc.clone(),
            format!(
                "{what} of {} bytes is larger than the memory limit of {} bytes: not analysed",
                blob.len(),
                ctx.opts.max_memory_bytes
            ),
        );
    }
    Ok(data)
}

/// A raw pickle stream (plain `pickle.dump`, joblib, `torch.save(..., _use_new_zipfile_serialization=False)` of
/// protocol ≥ 2 without the legacy magic). `torch.load` unpickles the prefix of a pickle/zip polyglot, so a zip
/// found at the end of a pickle is scanned as well.
pub(crate) fn scan_raw_pickle(ctx: &mut Ctx<'_>, blob: Blob<'_>, here: &Here) -> io::Result<()> {
    // A polyglot: the pickle is what precedes the archive (torch.load stops at the first STOP anyway).
    let dir = zip::embedded(ctx, blob)?;
    let pickle = match &dir {
        Some(d) if d.start() > 0 => blob.sub(0, d.start()),
        _ => blob,
    };
    ctx.pickle_blob(pickle, &here.loc, 0)?;
    if let Some(d) = dir {
        ctx.emit(
            &crate::rules::PICKLE_ZIP_POLYGLOT,
            mlsc_core::Severity::Low,
            here.at(d.start()),
            format!(
                "a pickle of {} bytes is followed by a zip archive: torch.load unpickles the prefix, zip readers see the archive; both were analysed",
                d.start()
            ),
        );
        zip::scan_embedded_zip(ctx, blob, here, Some(d), false)?;
    }
    Ok(())
}

/// The legacy `torch.save` layout: pickles of the magic number, the protocol version and `sys_info`, then the
/// object, then the list of storage keys, then raw storages (an 8-byte element count and the bytes each), which
/// are never unpickled and so never read.
pub(crate) fn scan_legacy(ctx: &mut Ctx<'_>, blob: Blob<'_>, here: &Here) -> io::Result<()> {
    let cap = ctx.opts.max_memory_bytes;
    let data = blob.prefix(cap.min(usize::MAX as u64) as usize)?;
    const PARTS: [&str; 5] = [
        "magic number",
        "protocol version",
        "sys_info",
        "object",
        "storage keys",
    ];
    let mut pos = 0usize;
    for part in PARTS {
        if pos >= data.len() {
            if blob.len() > data.len() as u64 {
                ctx.not_analysed(
                    &crate::rules::TOO_LARGE_FOR_MEMORY,
                    here.at(pos as u64),
                    format!(
                        "the legacy PyTorch pickles go past the memory limit of {cap} bytes: the {part} pickle was not analysed"
                    ),
                );
            } else {
                ctx.not_analysed(
                    &crate::rules::LEGACY_PYTORCH_MALFORMED,
                    here.at(pos as u64),
                    format!("the file ends before the {part} pickle"),
                );
            }
            return Ok(());
        }
        let end = ctx.pickle_one(&data[pos..], &here.loc, pos as u64);
        if end == 0 {
            ctx.not_analysed(
                &crate::rules::LEGACY_PYTORCH_MALFORMED,
                here.at(pos as u64),
                format!("no pickle where the {part} pickle should be"),
            );
            return Ok(());
        }
        pos += end;
    }
    Ok(())
}

/// The `tensors` or `storages` member of the old tar `torch.save` format: a pickle of the count, then per item a
/// pickle followed by raw fields. `tensors`: `i32` ndim, ndim `i64` sizes, ndim `i64` strides, an `i64` storage
/// offset. `storages`: an `i64` element count and the elements, whose size comes from the storage type in the
/// pickle; the next pickle is found by trying each element size (1, 2, 4, 8, 16) and keeping the one followed by
/// a protocol-2 pickle or the end of the member.
pub(crate) fn scan_legacy_tar_member(
    ctx: &mut Ctx<'_>,
    blob: Blob<'_>,
    here: &Here,
    tensors: bool,
) -> io::Result<()> {
    let Some(data) = whole(ctx, blob, here, "legacy PyTorch member")? else {
        return Ok(());
    };
    let mut pos = ctx.pickle_one(&data, &here.loc, 0);
    if pos == 0 {
        ctx.not_analysed(
            &crate::rules::LEGACY_PYTORCH_MALFORMED,
            here.at(0),
            "no count pickle at the start",
        );
        return Ok(());
    }
    let bad = |ctx: &mut Ctx<'_>, at: usize, why: &str| {
        ctx.not_analysed(
            &crate::rules::LEGACY_PYTORCH_MALFORMED,
            here.at(at as u64),
            format!("{why}: the rest of the member was not analysed"),
        );
    };
    let u64_at = |at: usize| -> Option<u64> {
        data.get(at..at + 8)
            .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes because sliced so")))
    };
    while pos < data.len() {
        let end = ctx.pickle_one(&data[pos..], &here.loc, pos as u64);
        if end == 0 {
            bad(ctx, pos, "no pickle where an item record should be");
            return Ok(());
        }
        pos += end;
        if tensors {
            let Some(nd) = data.get(pos..pos + 4) else {
                bad(ctx, pos, "truncated tensor record");
                return Ok(());
            };
            let ndim = i32::from_le_bytes(nd.try_into().expect("4 bytes because sliced so"));
            if !(0..=64).contains(&ndim) {
                bad(ctx, pos, &format!("impossible tensor rank {ndim}"));
                return Ok(());
            }
            pos += 4 + 16 * ndim as usize + 8;
        } else {
            let Some(numel) = u64_at(pos) else {
                bad(ctx, pos, "truncated storage record");
                return Ok(());
            };
            pos += 8;
            let next = [4u64, 8, 2, 1, 16].iter().find_map(|&size| {
                let next = numel.checked_mul(size)?.checked_add(pos as u64)?;
                let n = usize::try_from(next).ok()?;
                (n == data.len() || data.get(n..n + 2) == Some(&[0x80, 0x02])).then_some(n)
            });
            match next {
                Some(n) => pos = n,
                None => {
                    bad(
                        ctx,
                        pos,
                        &format!("no element size fits a storage of {numel} elements"),
                    );
                    return Ok(());
                }
            }
        }
    }
    if pos > data.len() {
        bad(ctx, data.len(), "the last record runs past the end");
    }
    Ok(())
}
