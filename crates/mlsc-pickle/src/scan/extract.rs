//! The bytes of an archive member, for `mlsc disasm model.pt!archive/data.pkl`: the locations findings print,
//! opened again. Read as the scanner reads them (the same tolerant zip reader, the same limits), in memory, never
//! written to disk.

use std::io::Read as _;
use std::path::Path;

use mlsc_core::Location;

use super::blob::Blob;
use super::{Ctx, Here, ScanOptions};
use crate::Error;

/// The bytes at a location as findings print it: `model.pt!archive/data.pkl` (members split at `!`, read with
/// [`read_member`]), or `None` when `location` names no member (no `!`, or a file whose name holds `!` exists): the
/// caller reads that file itself.
///
/// # Errors
/// Those of [`read_member`].
pub fn read_location(location: &Path, options: &ScanOptions) -> Option<Result<Vec<u8>, Error>> {
    let text = location.to_string_lossy();
    if location.exists() || !text.contains('!') {
        return None;
    }
    let mut parts = text.split('!');
    let file = std::path::PathBuf::from(parts.next().unwrap_or_default());
    let members: Vec<String> = parts.map(str::to_owned).collect();
    Some(read_member(&file, &members, options))
}

/// The bytes of `members` inside the file at `path`: `["archive/data.pkl"]` for one level, `["b.pt",
/// "archive/data.pkl"]` for a zip inside a zip. Each level must be a zip archive (a PyTorch checkpoint, an `.npz`,
/// a `.keras` file, a zip with a prefix). The file and every member are read whole, up to
/// `options.max_memory_bytes`; a deflated member inflates under `options.limits`.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read; [`Error::Member`] when a level is not a zip archive, has no member
/// of that name, or the member cannot be read within the limits.
pub fn read_member(
    path: &Path,
    members: &[String],
    options: &ScanOptions,
) -> Result<Vec<u8>, Error> {
    let shown = path.display().to_string();
    let io = |source| Error::Io {
        path: shown.clone(),
        source,
    };
    let file = fs_err::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(options.max_memory_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    let member_error = |member: &str, reason: String| Error::Member {
        path: shown.clone(),
        member: member.to_owned(),
        reason,
    };
    if bytes.len() as u64 > options.max_memory_bytes {
        return Err(member_error(
            members.first().map_or("", String::as_str),
            format!(
                "the file is larger than the {}-byte memory limit",
                options.max_memory_bytes
            ),
        ));
    }
    let mut location = Location::file(shown.clone());
    for member in members {
        let mut ctx = Ctx::new(options);
        let here = Here {
            loc: location.clone(),
            depth: 0,
            top: true,
        };
        let blob = Blob::Mem(&bytes);
        let dir = match super::zip::directory(blob, options) {
            Ok(Ok(dir)) => dir,
            Ok(Err(why)) => {
                return Err(member_error(
                    member,
                    format!("`{location}` is not a zip archive: {why}"),
                ));
            }
            Err(e) => return Err(member_error(member, format!("truncated archive: {e}"))),
        };
        let data = super::zip::read_member(&mut ctx, blob, &dir, member, &here)
            .map_err(|e| member_error(member, format!("cannot read the member: {e}")))?;
        let Some(data) = data else {
            let mut names: Vec<&str> = dir.entry_names().collect();
            names.sort_unstable();
            names.dedup();
            let shown_names: Vec<&str> = names.iter().take(10).copied().collect();
            return Err(member_error(
                member,
                format!(
                    "`{location}` has no member of that name, or it is stored with an unsupported method; its \
                     members include {}",
                    shown_names.join(", ")
                ),
            ));
        };
        if let Some(f) = ctx
            .findings
            .iter()
            .find(|f| f.severity >= mlsc_core::Severity::Medium)
        {
            // A limit hit while inflating: the bytes would be cut short.
            return Err(member_error(member, f.message.clone()));
        }
        bytes = data;
        location = location.member(member);
    }
    Ok(bytes)
}
