//! `torch.distributed.checkpoint` shard files (`*.distcp`). A shard holds tensor bytes, which are never
//! unpickled, and, for every value that is not a tensor, that value's own `torch.save` archive written at an offset
//! the checkpoint's `.metadata` records. A zip reader finds at most one of those archives (one central directory),
//! so each archive is found here by the local header of its `<name>/data.pkl` member and its pickle analysed, one
//! after another, never overlapping (linear in the shard). The `.metadata` file itself is a pickle of
//! `torch.distributed.checkpoint.metadata` dataclasses, which the `torch_distcp` profile allows.
//!
//! Not done: values that a crafted shard stores as a raw pickle instead of a zip archive can only be located
//! through the offsets in `.metadata`, which the symbolic machine does not materialise.

use std::io;

use super::blob::Blob;
use super::{Ctx, Here, torch};

/// True for a shard of a distributed checkpoint, by its name (the format has no magic of its own).
pub(crate) fn is_shard(here: &Here) -> bool {
    here.top && here.loc.members.is_empty() && here.loc.path.ends_with(".distcp")
}

/// Analyses the `data.pkl` pickle of every `torch.save` archive inside the shard.
pub(crate) fn scan_shard(ctx: &mut Ctx<'_>, blob: Blob<'_>, here: &Here) -> io::Result<()> {
    let Some(data) = torch::whole(ctx, blob, here, "distributed checkpoint shard")? else {
        return Ok(());
    };
    let finder = memchr::memmem::Finder::new(b"PK\x03\x04");
    let mut from = 0usize;
    while let Some(i) = finder.find(&data[from..]) {
        let p = from + i;
        from = p + 4;
        let Some(start) = stored_data_pkl(&data, p) else {
            continue;
        };
        let end = ctx.pickle_one(&data[start..], &here.loc, start as u64);
        from = from.max(start + end.max(1));
    }
    Ok(())
}

/// Where the data of a stored (uncompressed) `…/data.pkl` member starts, for a local header at `p`.
fn stored_data_pkl(data: &[u8], p: usize) -> Option<usize> {
    let u16_at = |o: usize| -> Option<usize> {
        let b = data.get(p + o..p + o + 2)?;
        Some(usize::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let method = u16_at(8)?;
    let (name_len, extra_len) = (u16_at(26)?, u16_at(28)?);
    let name = data.get(p + 30..p + 30 + name_len)?;
    if method != 0 || !(name == b"data.pkl" || name.ends_with(b"/data.pkl")) {
        return None;
    }
    let start = p + 30 + name_len + extra_len;
    (start < data.len()).then_some(start)
}
