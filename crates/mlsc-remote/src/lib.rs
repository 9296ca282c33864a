#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod bulk;
mod error;
mod http;
mod hub;
mod jsonl;
mod source;
mod uri;

use std::sync::Arc;

use mlsc_core::RangeSource;

pub use crate::bulk::{
    ArtifactRecord, BulkOptions, BulkOutcome, ResultCache, Shard, read_list, scan_inputs,
};
pub use crate::error::Error;
pub use crate::http::HttpOptions;
pub use crate::hub::HubFile;
pub use crate::jsonl::JsonLines;
pub use crate::source::HttpSource;
pub use crate::uri::{HubUri, RemoteUri, RepoType, is_remote, parse_uri};

/// Where and how remote locations are read. `#[non_exhaustive]`: start from [`RemoteOptions::from_env`] or
/// `default()`.
#[derive(Clone)]
#[non_exhaustive]
pub struct RemoteOptions {
    /// Requests: time-out, retries, back-off.
    pub http: HttpOptions,
    /// The Hub's address. By default, `HF_ENDPOINT` or `https://huggingface.co`, as huggingface_hub.
    pub hf_endpoint: String,
    /// The Hub token, sent only to `hf_endpoint` (never to the CDN a download is redirected to). By default,
    /// `HF_TOKEN` (or `HUGGING_FACE_HUB_TOKEN`), else the token file huggingface_hub saves (`HF_TOKEN_PATH`, or
    /// `token` under `HF_HOME`, by default `~/.cache/huggingface`).
    pub hf_token: Option<String>,
    /// Size of the blocks remote objects are fetched and cached in. By default, 64 KiB: a zip's end records and
    /// central directory, a safetensors header and a small pickle each fit in one or two.
    pub block_size: u64,
}

impl std::fmt::Debug for RemoteOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteOptions")
            .field("http", &self.http)
            .field("hf_endpoint", &self.hf_endpoint)
            .field("hf_token", &self.hf_token.as_ref().map(|_| "<redacted>"))
            .field("block_size", &self.block_size)
            .finish()
    }
}

impl Default for RemoteOptions {
    fn default() -> Self {
        RemoteOptions {
            http: HttpOptions::default(),
            hf_endpoint: "https://huggingface.co".into(),
            hf_token: None,
            block_size: 64 << 10,
        }
    }
}

impl RemoteOptions {
    /// The defaults, with `HF_ENDPOINT` and the Hub token read as huggingface_hub reads them.
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let mut o = RemoteOptions::default();
        if let Some(e) = var("HF_ENDPOINT") {
            o.hf_endpoint = e.trim().trim_end_matches('/').to_owned();
        }
        o.hf_token = var("HF_TOKEN")
            .or_else(|| var("HUGGING_FACE_HUB_TOKEN"))
            .or_else(|| {
                let path = var("HF_TOKEN_PATH")
                    .map(std::path::PathBuf::from)
                    .or_else(|| {
                        var("HF_HOME")
                            .map(std::path::PathBuf::from)
                            .or_else(|| {
                                var("XDG_CACHE_HOME")
                                    .map(|x| std::path::PathBuf::from(x).join("huggingface"))
                            })
                            .or_else(|| {
                                var("HOME")
                                    .map(|h| std::path::PathBuf::from(h).join(".cache/huggingface"))
                            })
                            .map(|h| h.join("token"))
                    })?;
                fs_err::read_to_string(path)
                    .ok()
                    .map(|t| t.trim().to_owned())
                    .filter(|t| !t.is_empty())
            })
            .map(|t| t.trim().to_owned());
        o
    }
}

/// One file of a remote location, ready to be read by ranges.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RemoteFile {
    /// Its pinned location: `hf://org/name@<commit>/path`, or the URL.
    pub uri: String,
    /// Its path inside the repository (Hub files).
    pub path: Option<String>,
    /// Its size in bytes.
    pub size: u64,
    /// The SHA-256 of its content, when known without reading it (the Hub's LFS oid).
    pub sha256: Option<String>,
    /// What identifies its content for the result cache: `sha256:<hex>` for LFS files, `git-blob:<oid>` for the
    /// small files git stores itself (the Hub lists only their git object id). `None` when nothing identifies the
    /// content without reading it (a plain URL): such files are always scanned.
    pub content_key: Option<String>,
    /// The bytes.
    pub source: Arc<dyn RangeSource>,
}

/// A remote location resolved to its files.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Resolved {
    /// The location, pinned: `hf://org/name@<commit>[/path]`, or the URL.
    pub pinned: String,
    /// The commit a Hub revision was pinned to.
    pub revision: Option<String>,
    /// Its files, by path.
    pub files: Vec<RemoteFile>,
}

/// A reader of remote locations: one HTTP client (pooled connections, counters) for every request.
#[derive(Debug)]
pub struct Remote {
    http: Arc<http::Http>,
    opts: RemoteOptions,
}

impl Remote {
    /// A reader with these options.
    pub fn new(opts: RemoteOptions) -> Self {
        let http = Arc::new(http::Http::new(
            opts.http.clone(),
            opts.hf_token.clone(),
            &opts.hf_endpoint,
        ));
        Remote { http, opts }
    }

    /// HTTP requests sent so far (each try and each redirect counts).
    pub fn requests(&self) -> u64 {
        self.http.requests()
    }

    /// HTTP body bytes received so far (API answers and file ranges).
    pub fn bytes_received(&self) -> u64 {
        self.http.bytes()
    }

    /// Resolves a location to its files. A Hub revision is pinned to its commit first, and every file is then
    /// read at that commit, so the result names exactly what was judged. Nothing of the files is read yet,
    /// except the first block of a plain URL (whose size is learnt from it).
    pub fn resolve(&self, location: &str) -> Result<Resolved, Error> {
        match parse_uri(location)? {
            RemoteUri::Hub(h) => self.resolve_hub(&h),
            RemoteUri::Http(url) => {
                let src = HttpSource::open(self.http.clone(), url.clone(), self.opts.block_size)?;
                Ok(Resolved {
                    pinned: url.clone(),
                    revision: None,
                    files: vec![RemoteFile {
                        uri: url,
                        path: None,
                        size: src.len(),
                        sha256: None,
                        content_key: None,
                        source: Arc::new(src),
                    }],
                })
            }
            RemoteUri::ObjectStore { scheme, .. } => Err(Error::Unsupported {
                uri: location.to_owned(),
                reason: format!("`{scheme}://` locations are not supported by this build of mlsc"),
            }),
        }
    }

    fn resolve_hub(&self, h: &HubUri) -> Result<Resolved, Error> {
        let hub = hub::Hub {
            http: &self.http,
            endpoint: &self.opts.hf_endpoint,
        };
        let sha = hub.pin(h)?;
        let listed = hub.list(h, &sha)?;
        let files: Vec<RemoteFile> = listed
            .into_iter()
            .filter(|f| match &h.path {
                None => true,
                Some(p) => f.path == *p || f.path.starts_with(&format!("{p}/")),
            })
            .map(|f| {
                let url = hub.resolve_url(h, &sha, &f.path);
                let source = HttpSource::new(self.http.clone(), url, f.size, self.opts.block_size);
                RemoteFile {
                    uri: h.pinned(&sha, Some(&f.path)),
                    path: Some(f.path.clone()),
                    size: f.size,
                    content_key: match &f.lfs_sha256 {
                        Some(s) => Some(format!("sha256:{s}")),
                        None if f.git_oid.len() >= 40
                            && f.git_oid.bytes().all(|b| b.is_ascii_hexdigit()) =>
                        {
                            Some(format!("git-blob:{}", f.git_oid.to_ascii_lowercase()))
                        }
                        None => None,
                    },
                    sha256: f.lfs_sha256,
                    source: Arc::new(source),
                }
            })
            .collect();
        if let Some(p) = &h.path
            && files.is_empty()
        {
            return Err(Error::Status {
                url: h.pinned(&sha, Some(p)),
                status: 404,
                message: "no such file or folder at this commit".into(),
            });
        }
        Ok(Resolved {
            pinned: h.pinned(&sha, h.path.as_deref()),
            revision: Some(sha),
            files,
        })
    }
}
