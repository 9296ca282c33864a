//! The Hugging Face Hub's HTTP API, as huggingface_hub calls it: `GET /api/{models|datasets}/{repo}/revision/{rev}`
//! pins a revision to its commit, `GET /api/.../tree/{sha}?recursive=true` (paginated by `Link` headers) lists the
//! files with their sizes and LFS SHA-256, and `GET /{repo}/resolve/{sha}/{path}` serves a file (with `Range`).

use serde::Deserialize;

use crate::error::{Error, redact};
use crate::http::{Http, next_link, quote};
use crate::uri::{HubUri, RepoType};

/// A file of a repository at a commit, as the tree listing describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HubFile {
    /// The path inside the repository.
    pub path: String,
    /// Its size in bytes (the real file's, for LFS files, not the pointer's).
    pub size: u64,
    /// The git blob id (SHA-1 of the git object: the LFS pointer, for LFS files).
    pub git_oid: String,
    /// The SHA-256 of the content, for files stored with LFS (the Hub lists it; nothing is read).
    pub lfs_sha256: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RevisionInfo {
    sha: Option<String>,
}

#[derive(Debug, Deserialize)]
struct TreeEntry {
    #[serde(rename = "type")]
    kind: String,
    path: String,
    #[serde(default)]
    size: u64,
    #[serde(default)]
    oid: String,
    lfs: Option<TreeLfs>,
}

#[derive(Debug, Deserialize)]
struct TreeLfs {
    oid: String,
    size: u64,
}

/// Largest JSON body accepted from the API (a page of the tree listing is about 1,000 entries).
const MAX_JSON: u64 = 64 << 20;
/// Most pages of one listing, and most files: a bound against a server that never stops.
const MAX_PAGES: usize = 10_000;
const MAX_FILES: usize = 1_000_000;

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A client of one Hub endpoint.
#[derive(Debug)]
pub(crate) struct Hub<'h> {
    pub(crate) http: &'h Http,
    pub(crate) endpoint: &'h str,
}

impl Hub<'_> {
    fn api(&self, uri: &HubUri) -> String {
        format!(
            "{}/api/{}/{}",
            self.endpoint,
            uri.repo_type.api_segment(),
            uri.repo_id
        )
    }

    /// The commit `revision` (or `main`) points to.
    pub(crate) fn pin(&self, uri: &HubUri) -> Result<String, Error> {
        let revision = uri.revision.as_deref().unwrap_or("main");
        let url = format!("{}/revision/{}", self.api(uri), quote(revision, false));
        let resp = self.http.get(&url, None, MAX_JSON)?;
        let info: RevisionInfo =
            serde_json::from_slice(&resp.body).map_err(|e| Error::Protocol {
                url: redact(&url),
                message: format!("not the Hub's revision JSON: {e}"),
            })?;
        let sha = info.sha.unwrap_or_default().to_ascii_lowercase();
        if !is_hex(&sha, 40) && !is_hex(&sha, 64) {
            return Err(Error::Protocol {
                url: redact(&url),
                message: format!("the revision's `sha` is not a commit id: `{sha}`"),
            });
        }
        Ok(sha)
    }

    /// Every file of the repository at commit `sha` (recursively), paginated.
    pub(crate) fn list(&self, uri: &HubUri, sha: &str) -> Result<Vec<HubFile>, Error> {
        let mut next = Some(format!("{}/tree/{sha}?recursive=true", self.api(uri)));
        let mut files = Vec::new();
        let mut pages = 0;
        while let Some(url) = next.take() {
            pages += 1;
            if pages > MAX_PAGES || files.len() > MAX_FILES {
                return Err(Error::Protocol {
                    url: redact(&url),
                    message: format!("more than {MAX_PAGES} pages or {MAX_FILES} files"),
                });
            }
            let resp = self.http.get(&url, None, MAX_JSON)?;
            let entries: Vec<TreeEntry> =
                serde_json::from_slice(&resp.body).map_err(|e| Error::Protocol {
                    url: redact(&url),
                    message: format!("not the Hub's tree JSON: {e}"),
                })?;
            for e in entries {
                if e.kind != "file" {
                    continue;
                }
                let (size, lfs_sha256) = match e.lfs {
                    Some(l) if is_hex(&l.oid, 64) => (l.size, Some(l.oid.to_ascii_lowercase())),
                    Some(l) => {
                        return Err(Error::Protocol {
                            url: redact(&url),
                            message: format!("`{}`: LFS oid `{}` is not a SHA-256", e.path, l.oid),
                        });
                    }
                    None => (e.size, None),
                };
                if e.path
                    .split('/')
                    .any(|c| c.is_empty() || c == "." || c == "..")
                {
                    return Err(Error::Protocol {
                        url: redact(&url),
                        message: format!("unsafe path `{}` in the listing", e.path),
                    });
                }
                files.push(HubFile {
                    path: e.path,
                    size,
                    git_oid: e.oid,
                    lfs_sha256,
                });
            }
            next = resp.link.as_deref().and_then(next_link);
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files.dedup_by(|a, b| a.path == b.path);
        Ok(files)
    }

    /// The URL of `path` at commit `sha`.
    pub(crate) fn resolve_url(&self, uri: &HubUri, sha: &str, path: &str) -> String {
        let prefix = match uri.repo_type {
            RepoType::Model => "",
            RepoType::Dataset => "datasets/",
        };
        format!(
            "{}/{prefix}{}/resolve/{sha}/{}",
            self.endpoint,
            uri.repo_id,
            quote(path, true)
        )
    }
}
