//! `s3://`, `gs://` and `az://` through the object_store crate (feature `object-store`): each store configured
//! from the environment as its own tools are (`AmazonS3Builder::from_env`: `AWS_ENDPOINT_URL`,
//! `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ALLOW_HTTP`, ...; `GoogleCloudStorageBuilder`
//! and `MicrosoftAzureBuilder::from_env` likewise), objects listed with their sizes and read by byte ranges,
//! every read pinned to the version or ETag seen when the object was listed.
//!
//! object_store is asynchronous; mlsc's readers are not. One small tokio runtime (two worker threads, created on
//! the first object-store location) drives the requests, and each reader thread waits on its own request with
//! `block_on`, so `--jobs` still bounds the requests in flight.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use mlsc_core::RangeSource;
use object_store::path::Path as StorePath;
use object_store::{GetOptions, GetRange, ObjectMeta, ObjectStore, ObjectStoreExt};

use crate::error::Error;
use crate::http::HttpOptions;
use crate::source::BlockCache;
use crate::{RemoteFile, Resolved};

/// Most objects listed under one prefix: a bound against a listing that never ends.
const MAX_OBJECTS: usize = 1_000_000;

/// The object-store side of a [`crate::Remote`]: the runtime, one client per bucket, the request counter.
pub(crate) struct Stores {
    rt: tokio::runtime::Runtime,
    clients: Mutex<HashMap<(String, String), Arc<dyn ObjectStore>>>,
    http: HttpOptions,
    config: Vec<(String, String)>,
    block: u64,
    requests: Arc<AtomicU64>,
}

impl fmt::Debug for Stores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The configuration may hold secrets (a key given as an option): only its keys are shown.
        f.debug_struct("Stores")
            .field("http", &self.http)
            .field(
                "config",
                &self.config.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("requests", &self.requests.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

fn store_error(uri: &str, e: &object_store::Error) -> Error {
    let status = match e {
        object_store::Error::NotFound { .. } => Some(404),
        object_store::Error::PermissionDenied { .. } => Some(403),
        object_store::Error::Unauthenticated { .. } => Some(401),
        object_store::Error::Precondition { .. } => Some(412),
        _ => None,
    };
    Error::Store {
        uri: uri.to_owned(),
        status,
        message: e.to_string(),
    }
}

impl Stores {
    pub(crate) fn new(
        http: HttpOptions,
        config: Vec<(String, String)>,
        block: u64,
        requests: Arc<AtomicU64>,
    ) -> Result<Self, Error> {
        // reqwest is built without a bundled TLS provider (its default, aws-lc-rs, is a C build): ring, already
        // in the tree for ureq, is installed as the process default unless the embedder installed one.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("mlsc-object-store")
            .enable_all()
            .build()
            .map_err(|e| Error::Unsupported {
                uri: "s3:// gs:// az://".into(),
                reason: format!("cannot start the object-store runtime: {e}"),
            })?;
        Ok(Stores {
            rt,
            clients: Mutex::new(HashMap::new()),
            http,
            config,
            block,
            requests,
        })
    }

    fn retry(&self) -> object_store::RetryConfig {
        object_store::RetryConfig {
            backoff: object_store::BackoffConfig {
                init_backoff: self.http.backoff_base,
                max_backoff: self.http.backoff_max,
                base: 2.0,
            },
            max_retries: self.http.retries as usize,
            ..Default::default()
        }
    }

    /// The client of one bucket (or container), built on first use from the environment and then the options.
    fn client(&self, scheme: &str, bucket: &str, uri: &str) -> Result<Arc<dyn ObjectStore>, Error> {
        let key = (scheme.to_owned(), bucket.to_owned());
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = clients.get(&key) {
            return Ok(c.clone());
        }
        let timeout = format!("{}ms", self.http.timeout.as_millis().max(1));
        let bad = |e: object_store::Error| Error::Unsupported {
            uri: uri.to_owned(),
            reason: format!("cannot configure the `{scheme}://` client: {e}"),
        };
        let client: Arc<dyn ObjectStore> = match scheme {
            "s3" => {
                use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
                let mut b = AmazonS3Builder::from_env()
                    .with_bucket_name(bucket)
                    .with_config(
                        AmazonS3ConfigKey::Client(object_store::ClientConfigKey::Timeout),
                        timeout,
                    )
                    .with_retry(self.retry());
                for (k, v) in &self.config {
                    let k: AmazonS3ConfigKey = k.parse().map_err(bad)?;
                    b = b.with_config(k, v);
                }
                Arc::new(b.build().map_err(bad)?)
            }
            "gs" => {
                use object_store::gcp::{GoogleCloudStorageBuilder, GoogleConfigKey};
                let mut b = GoogleCloudStorageBuilder::from_env()
                    .with_bucket_name(bucket)
                    .with_config(
                        GoogleConfigKey::Client(object_store::ClientConfigKey::Timeout),
                        timeout,
                    )
                    .with_retry(self.retry());
                for (k, v) in &self.config {
                    let k: GoogleConfigKey = k.parse().map_err(bad)?;
                    b = b.with_config(k, v);
                }
                Arc::new(b.build().map_err(bad)?)
            }
            "az" => {
                use object_store::azure::{AzureConfigKey, MicrosoftAzureBuilder};
                let mut b = MicrosoftAzureBuilder::from_env()
                    .with_container_name(bucket)
                    .with_config(
                        AzureConfigKey::Client(object_store::ClientConfigKey::Timeout),
                        timeout,
                    )
                    .with_retry(self.retry());
                for (k, v) in &self.config {
                    let k: AzureConfigKey = k.parse().map_err(bad)?;
                    b = b.with_config(k, v);
                }
                Arc::new(b.build().map_err(bad)?)
            }
            other => {
                return Err(Error::Unsupported {
                    uri: uri.to_owned(),
                    reason: format!("`{other}://` is not an object store"),
                });
            }
        };
        clients.insert(key, client.clone());
        Ok(client)
    }

    /// `scheme://bucket/key`: the one object `key` if it exists, else every object under the prefix `key/`
    /// (the whole bucket when `key` is empty), with sizes, sorted by key.
    pub(crate) fn resolve(
        &self,
        scheme: &str,
        bucket: &str,
        key: &str,
        location: &str,
    ) -> Result<Resolved, Error> {
        let client = self.client(scheme, bucket, location)?;
        let key = key.trim_end_matches('/');
        let prefix = if key.is_empty() {
            None
        } else {
            // Parsed, not converted: `Path::from` would percent-encode characters and name another object.
            Some(StorePath::parse(key).map_err(|e| Error::BadUri {
                uri: location.to_owned(),
                reason: format!("not an object key: {e}"),
            })?)
        };
        let mut metas = Vec::new();
        if let Some(p) = &prefix {
            self.requests.fetch_add(1, Ordering::Relaxed);
            match self.rt.block_on(client.head(p)) {
                Ok(meta) => metas.push(meta),
                Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(store_error(location, &e)),
            }
        }
        if metas.is_empty() {
            self.requests.fetch_add(1, Ordering::Relaxed);
            let listed: Result<Vec<ObjectMeta>, Error> = self.rt.block_on(async {
                let mut stream = client.list(prefix.as_ref());
                let mut out = Vec::new();
                while let Some(item) = stream.next().await {
                    let meta = item.map_err(|e| store_error(location, &e))?;
                    if out.len() >= MAX_OBJECTS {
                        return Err(Error::Protocol {
                            url: location.to_owned(),
                            message: format!("more than {MAX_OBJECTS} objects under the prefix"),
                        });
                    }
                    out.push(meta);
                }
                Ok(out)
            });
            metas = listed?;
            if metas.is_empty() {
                return Err(Error::Store {
                    uri: location.to_owned(),
                    status: Some(404),
                    message: "no object at this key or under this prefix".into(),
                });
            }
        }
        metas.sort_by(|a, b| a.location.as_ref().cmp(b.location.as_ref()));
        let files = metas
            .into_iter()
            .map(|m| {
                let uri = format!("{scheme}://{bucket}/{}", m.location);
                // A version id names the object for good; an ETag names its content (a later overwrite makes
                // the pinned reads fail, never mix two objects).
                let revision = m
                    .version
                    .clone()
                    .map(|v| format!("version:{v}"))
                    .or_else(|| m.e_tag.clone().map(|e| format!("etag:{e}")));
                let source = ObjectSource {
                    client: client.clone(),
                    rt: self.rt.handle().clone(),
                    uri: uri.clone(),
                    location: m.location.clone(),
                    version: m.version.clone(),
                    e_tag: m.e_tag.clone(),
                    cache: BlockCache::new(m.size, self.block),
                    transferred: AtomicU64::new(0),
                    requests: self.requests.clone(),
                };
                RemoteFile {
                    uri,
                    path: Some(m.location.to_string()),
                    size: m.size,
                    sha256: None,
                    // An ETag is an MD5 (or an MD5 of part MD5s), and MD5 collisions are cheap to make: no
                    // cached verdict is keyed by it.
                    content_key: None,
                    revision,
                    source: Arc::new(source),
                }
            })
            .collect();
        Ok(Resolved {
            pinned: location.to_owned(),
            revision: None,
            files,
        })
    }
}

/// An object in a store, read by ranges at the version (or ETag) it was listed with.
struct ObjectSource {
    client: Arc<dyn ObjectStore>,
    rt: tokio::runtime::Handle,
    uri: String,
    location: StorePath,
    version: Option<String>,
    e_tag: Option<String>,
    cache: BlockCache,
    transferred: AtomicU64,
    requests: Arc<AtomicU64>,
}

impl fmt::Debug for ObjectSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObjectSource")
            .field("uri", &self.uri)
            .field("size", &self.cache.size)
            .field("version", &self.version)
            .field("e_tag", &self.e_tag)
            .finish_non_exhaustive()
    }
}

impl ObjectSource {
    fn fetch(&self, start: u64, end: u64) -> Result<Vec<u8>, Error> {
        let mut opts = GetOptions::new();
        opts.range = Some(GetRange::Bounded(start..end + 1));
        opts.version.clone_from(&self.version);
        if self.version.is_none() {
            opts.if_match.clone_from(&self.e_tag);
        }
        self.requests.fetch_add(1, Ordering::Relaxed);
        let bytes = self
            .rt
            .block_on(async {
                let got = self.client.get_opts(&self.location, opts).await?;
                got.bytes().await
            })
            .map_err(|e| store_error(&self.uri, &e))?;
        self.transferred
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(bytes.to_vec())
    }
}

impl RangeSource for ObjectSource {
    fn len(&self) -> u64 {
        self.cache.size
    }

    fn read_exact_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        self.cache.read(offset, buf, |a, b| self.fetch(a, b))
    }

    fn bytes_transferred(&self) -> Option<u64> {
        Some(self.transferred.load(Ordering::Relaxed))
    }
}
