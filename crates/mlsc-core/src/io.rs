//! Writing output files the way a user expects: atomically, with the mode a shell's `>` would give.

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The folder a file at `path` goes into (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Writes `content` to `path` atomically: a temporary file in the same folder, then a rename, so a reader never
/// sees half a report and a failed write leaves the old file whole.
///
/// A new file gets the mode the umask gives (0644 under umask 0022), as `>` in a shell would; an existing file
/// keeps its mode. (tempfile alone would make every output 0600.)
///
/// # Errors
///
/// The I/O error of creating, writing or renaming; it may name the temporary file, so callers that show it to a
/// user should name `path` themselves.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("report.json");
/// mlsc_core::write_atomic(&path, b"{}\n")?;
/// assert_eq!(std::fs::read(&path)?, b"{}\n");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_atomic(path: &Path, content: &[u8]) -> std::io::Result<()> {
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // The kernel applies the umask to this mode when it creates the file.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(parent_dir(path))?;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.is_file()
    {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.write_all(content)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Creates `path` for writing with `mode` (on Unix, before the umask) from the start, so a private key is never
/// readable by others, even briefly. Without `force` an existing file is an error (`AlreadyExists`); with it,
/// the file is truncated.
///
/// # Errors
///
/// The I/O error of opening `path`.
pub fn create_new(path: &Path, force: bool, mode: u32) -> std::io::Result<File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true);
    if force {
        o.create(true).truncate(true);
    } else {
        o.create_new(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        o.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    o.open(path)
}

/// Writes `content` to a new file at `path` made by [`create_new`] with `mode`. With `force` an existing file is
/// replaced and, on Unix, given `mode` itself: a key written over a world-readable file does not stay readable.
///
/// # Errors
///
/// The I/O error of creating, restricting or writing `path` (`AlreadyExists` without `force`).
pub fn write_new(path: &Path, content: &[u8], force: bool, mode: u32) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut f = create_new(path, force, mode)?;
    #[cfg(unix)]
    if force {
        use std::os::unix::fs::PermissionsExt as _;
        f.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    f.write_all(content)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_of_a_bare_name_is_the_current_folder() {
        assert_eq!(parent_dir(Path::new("x.json")), PathBuf::from("."));
        assert_eq!(parent_dir(Path::new("a/x.json")), PathBuf::from("a"));
    }

    #[cfg(unix)]
    #[test]
    fn existing_file_keeps_its_mode_and_new_file_is_not_0600() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().expect("tempdir");
        let new = dir.path().join("new.json");
        write_atomic(&new, b"a").expect("write");
        let mode = std::fs::metadata(&new).expect("meta").permissions().mode() & 0o777;
        // The umask of the test process decides the exact bits; tempfile's 0600 would leave group/other empty
        // whatever the umask, so anything readable by the group shows the umask was applied to 0666.
        assert_ne!(mode, 0o600, "mode {mode:o}");
        let old = dir.path().join("old.json");
        std::fs::write(&old, b"x").expect("write");
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        write_atomic(&old, b"y").expect("write");
        assert_eq!(std::fs::read(&old).expect("read"), b"y");
        let mode = std::fs::metadata(&old).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[test]
    fn create_new_refuses_an_existing_file_without_force() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("k.pem");
        drop(create_new(&p, false, 0o600).expect("create"));
        let err = create_new(&p, false, 0o600).expect_err("exists");
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        drop(create_new(&p, true, 0o600).expect("force"));
    }
}
