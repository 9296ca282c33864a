#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "sbom")]
mod bom;
mod bulk;
mod error;
mod http;
mod hub;
mod jsonl;
#[cfg(feature = "object-store")]
mod objstore;
mod source;
mod uri;

use std::sync::Arc;

use mlsc_core::RangeSource;

#[cfg(feature = "sbom")]
pub use crate::bom::hub_model_bom;
pub use crate::bulk::{
    ArtifactRecord, BulkOptions, BulkOutcome, ResultCache, Shard, read_inputs, read_list,
    scan_inputs, scan_resolved,
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
    /// Object-store configuration applied after the environment's, as `(key, value)` pairs of object_store's
    /// configuration keys (`aws_endpoint`, `aws_allow_http`, `google_service_account`, `azure_storage_account_name`,
    /// ...). By default, none: each store is configured from the environment only (`AWS_*`, `GOOGLE_*`,
    /// `AZURE_*`). Used only with the `object-store` feature.
    pub object_store: Vec<(String, String)>,
}

impl std::fmt::Debug for RemoteOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteOptions")
            .field("http", &self.http)
            .field("hf_endpoint", &self.hf_endpoint)
            .field("hf_token", &self.hf_token.as_ref().map(|_| "<redacted>"))
            .field("block_size", &self.block_size)
            .field(
                "object_store",
                &self.object_store.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
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
            object_store: Vec::new(),
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
    /// What it was read at: the Hub commit; an object's `version:<id>` or else `etag:<etag>` (reads are pinned
    /// to it: an object overwritten during the scan is an error, never a mix of two objects); `None` for a URL.
    pub revision: Option<String>,
    /// The bytes.
    pub source: Arc<dyn RangeSource>,
}

impl RemoteFile {
    /// The whole file, when it is at most `max` bytes (a card, a config): read through its source, so the blocks
    /// fetched also serve a later scan of it.
    pub fn read_all(&self, max: u64) -> Result<Vec<u8>, Error> {
        if self.size > max {
            return Err(Error::Unsupported {
                uri: self.uri.clone(),
                reason: format!("{} bytes, more than the {max} read whole", self.size),
            });
        }
        let len = usize::try_from(self.size).map_err(|_| Error::Unsupported {
            uri: self.uri.clone(),
            reason: "too large for this platform".into(),
        })?;
        let mut buf = vec![0u8; len];
        self.source
            .read_exact_at(0, &mut buf)
            .map_err(|e| Error::Transport {
                url: self.uri.clone(),
                message: e.to_string(),
            })?;
        Ok(buf)
    }
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
    /// Object-store requests (each listing, head and range).
    store_requests: Arc<std::sync::atomic::AtomicU64>,
    /// The object-store runtime and clients, started on the first `s3://`, `gs://` or `az://` location.
    #[cfg(feature = "object-store")]
    stores: std::sync::OnceLock<Result<objstore::Stores, String>>,
}

impl Remote {
    /// The Hub endpoint this reader lists and reads `hf://` locations from (`HF_ENDPOINT`, else the Hub).
    pub fn hf_endpoint(&self) -> &str {
        &self.opts.hf_endpoint
    }

    /// A reader with these options.
    pub fn new(opts: RemoteOptions) -> Self {
        let http = Arc::new(http::Http::new(
            opts.http.clone(),
            opts.hf_token.clone(),
            &opts.hf_endpoint,
        ));
        Remote {
            http,
            opts,
            store_requests: Arc::default(),
            #[cfg(feature = "object-store")]
            stores: std::sync::OnceLock::new(),
        }
    }

    /// Requests sent so far: HTTP (each try and each redirect counts) and object-store requests.
    pub fn requests(&self) -> u64 {
        self.http.requests()
            + self
                .store_requests
                .load(std::sync::atomic::Ordering::Relaxed)
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
                        revision: None,
                        source: Arc::new(src),
                    }],
                })
            }
            #[cfg(feature = "object-store")]
            RemoteUri::ObjectStore {
                scheme,
                bucket,
                key,
            } => {
                let stores = self.stores.get_or_init(|| {
                    objstore::Stores::new(
                        self.opts.http.clone(),
                        self.opts.object_store.clone(),
                        self.opts.block_size,
                        self.store_requests.clone(),
                    )
                    .map_err(|e| e.to_string())
                });
                match stores {
                    Ok(s) => s.resolve(&scheme, &bucket, &key, location),
                    Err(reason) => Err(Error::Unsupported {
                        uri: location.to_owned(),
                        reason: reason.clone(),
                    }),
                }
            }
            #[cfg(not(feature = "object-store"))]
            RemoteUri::ObjectStore { scheme, .. } => Err(Error::Unsupported {
                uri: location.to_owned(),
                reason: format!(
                    "`{scheme}://` locations need mlsc-remote's `object-store` feature, not in this build"
                ),
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
                    revision: Some(sha.clone()),
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
