//! The ML-BOM of a Hub model from its listing, without its weights (feature `sbom`).

use crate::{BulkOptions, Error, Remote, RemoteUri, RepoType, parse_uri, scan_resolved};

/// Largest file of a Hub repository read whole for its BOM: the Hub keeps files above 10 MB in LFS (listed with
/// their SHA-256), so what git stores itself is below this and is hashed from its bytes.
const MAX_SMALL_FILE: u64 = 10 << 20;
/// Most bytes of small files read for one BOM; the rest are listed without a hash (a finding says so).
const MAX_SMALL_TOTAL: u64 = 64 << 20;

/// The CycloneDX ML-BOM of the Hub model at `location` (`hf://ORG/NAME[@REVISION]`), built from the Hub's listing:
/// LFS files by their listed SHA-256, small files (card, configs, code) read whole and hashed, and with
/// `options.scan` the verdicts of a range-read scan through the same sources. No weight file is downloaded.
///
/// `remote` carries the endpoint (`HF_ENDPOINT`), token and HTTP settings; the revision is resolved once, at the
/// start, and every file is read at it.
///
/// # Errors
/// [`Error::Unsupported`] when `location` is not a Hub model repository (a dataset, an object store, a URL), and
/// the listing's errors when the repository cannot be resolved.
///
/// ```no_run
/// let remote = mlsc_remote::Remote::new(mlsc_remote::RemoteOptions::from_env());
/// let out = mlsc_remote::hub_model_bom(&remote, "hf://org/model@main", &mlsc_sbom::BomOptions::default())?;
/// println!("{} components", out.bom.components.len());
/// # Ok::<(), mlsc_remote::Error>(())
/// ```
pub fn hub_model_bom(
    remote: &Remote,
    location: &str,
    options: &mlsc_sbom::BomOptions,
) -> Result<mlsc_sbom::BomOutput, Error> {
    let repo_id = match parse_uri(location)? {
        RemoteUri::Hub(h) if h.repo_type == RepoType::Model => h.repo_id,
        _ => {
            return Err(Error::Unsupported {
                uri: location.to_owned(),
                reason: "a BOM is made of a Hub model repository (`hf://ORG/NAME[@REVISION]`) or a local path"
                    .to_owned(),
            });
        }
    };
    let resolved = remote.resolve(location)?;
    let mut model = mlsc_sbom::ListedModel::new(repo_id);
    model.revision.clone_from(&resolved.revision);
    model.hub_url = remote.hf_endpoint().to_owned();
    let mut budget = MAX_SMALL_TOTAL;
    for f in &resolved.files {
        let path = f.path.clone().unwrap_or_default();
        let mut lf = mlsc_sbom::ListedModelFile::new(path, &f.uri, f.size);
        lf.lfs_sha256.clone_from(&f.sha256);
        lf.git_blob = f
            .content_key
            .as_deref()
            .and_then(|k| k.strip_prefix("git-blob:"))
            .map(str::to_owned);
        if f.sha256.is_none() {
            if f.size > MAX_SMALL_FILE.min(budget) {
                lf.unread = Some(format!(
                    "{} bytes, over what is read of small files ({MAX_SMALL_FILE} per file, {MAX_SMALL_TOTAL} in all)",
                    f.size
                ));
            } else {
                budget -= f.size;
                match f.read_all(MAX_SMALL_FILE) {
                    Ok(bytes) => lf.content = Some(bytes),
                    Err(e) => lf.unread = Some(e.to_string()),
                }
            }
        }
        model.files.push(lf);
    }
    if options.scan {
        let mut bulk = BulkOptions::default();
        bulk.scan.limits = options.limits;
        for r in scan_resolved(&resolved, location, &bulk) {
            if let Some(lf) = model.files.iter_mut().find(|lf| lf.uri == r.uri) {
                lf.verdict = Some(r.verdict);
                lf.findings = r.findings;
            }
        }
    }
    Ok(mlsc_sbom::listed_model_bom(&model, options))
}
