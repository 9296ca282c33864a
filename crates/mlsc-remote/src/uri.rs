//! Remote locations: `hf://`, `http(s)://` and the object stores.

use crate::error::Error;

/// The kind of a Hugging Face repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RepoType {
    /// A model repository: `hf://ORG/NAME`.
    Model,
    /// A dataset repository: `hf://datasets/ORG/NAME`.
    Dataset,
}

impl RepoType {
    /// The path segment of the Hub's API (`models`, `datasets`).
    pub fn api_segment(self) -> &'static str {
        match self {
            RepoType::Model => "models",
            RepoType::Dataset => "datasets",
        }
    }

    /// The prefix of its URLs and `hf://` locations (`` or `datasets/`).
    pub fn url_prefix(self) -> &'static str {
        match self {
            RepoType::Model => "",
            RepoType::Dataset => "datasets/",
        }
    }
}

/// `hf://[datasets/]ORG/NAME[@REVISION][/PATH]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubUri {
    /// Model or dataset.
    pub repo_type: RepoType,
    /// `ORG/NAME`.
    pub repo_id: String,
    /// The revision asked for (a branch, tag or commit; `refs/pr/1` written `refs%2Fpr%2F1`), if any.
    pub revision: Option<String>,
    /// A file or folder inside the repository, if any.
    pub path: Option<String>,
}

impl HubUri {
    /// The location at commit `sha`: `hf://[datasets/]org/name@sha[/path]`.
    pub fn pinned(&self, sha: &str, path: Option<&str>) -> String {
        let mut s = format!("hf://{}{}@{sha}", self.repo_type.url_prefix(), self.repo_id);
        if let Some(p) = path {
            s.push('/');
            s.push_str(p);
        }
        s
    }
}

/// A location mlsc reads remotely.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RemoteUri {
    /// A Hugging Face repository, folder or file.
    Hub(HubUri),
    /// One object behind an `http://` or `https://` URL.
    Http(String),
    /// An object or prefix in S3 (`s3://`), Google Cloud Storage (`gs://`) or Azure Blob Storage (`az://`).
    ObjectStore {
        /// `s3`, `gs` or `az`.
        scheme: String,
        /// The bucket or container.
        bucket: String,
        /// The key or prefix (possibly empty).
        key: String,
    },
}

/// True when `s` names a remote location (it has a scheme mlsc reads), not a local path.
pub fn is_remote(s: &str) -> bool {
    ["hf://", "http://", "https://", "s3://", "gs://", "az://"]
        .iter()
        .any(|p| s.len() >= p.len() && s[..p.len()].eq_ignore_ascii_case(p))
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Parses a remote location.
///
/// ```
/// use mlsc_remote::{RemoteUri, RepoType, parse_uri};
///
/// let RemoteUri::Hub(h) = parse_uri("hf://datasets/org/data@v1.0/train/part-0.parquet").unwrap() else { panic!() };
/// assert_eq!(h.repo_type, RepoType::Dataset);
/// assert_eq!(h.repo_id, "org/data");
/// assert_eq!(h.revision.as_deref(), Some("v1.0"));
/// assert_eq!(h.path.as_deref(), Some("train/part-0.parquet"));
/// assert!(parse_uri("hf://just-a-name").is_err());
/// ```
pub fn parse_uri(s: &str) -> Result<RemoteUri, Error> {
    let bad = |reason: &str| Error::BadUri {
        uri: crate::error::redact(s),
        reason: reason.to_owned(),
    };
    let (scheme, rest) = s.split_once("://").ok_or_else(|| bad("no scheme"))?;
    match scheme.to_ascii_lowercase().as_str() {
        "hf" => {
            let (repo_type, rest) = match rest.strip_prefix("datasets/") {
                Some(r) => (RepoType::Dataset, r),
                None => (
                    RepoType::Model,
                    rest.strip_prefix("models/").unwrap_or(rest),
                ),
            };
            if rest.starts_with("spaces/") {
                return Err(bad("Spaces are not model or dataset repositories"));
            }
            let mut parts = rest.splitn(3, '/');
            let org = parts.next().unwrap_or_default();
            let name_rev = parts
                .next()
                .ok_or_else(|| bad("expected hf://ORG/NAME[@REVISION][/PATH]"))?;
            let path = parts.next().filter(|p| !p.is_empty());
            let (name, revision) = match name_rev.split_once('@') {
                Some((n, r)) => {
                    let r = percent_decode(r).ok_or_else(|| bad("bad percent-encoding"))?;
                    if r.is_empty() {
                        return Err(bad("empty revision after `@`"));
                    }
                    (n, Some(r))
                }
                None => (name_rev, None),
            };
            if !valid_name(org) || !valid_name(name) {
                return Err(bad("ORG and NAME are letters, digits, `-`, `_` and `.`"));
            }
            let path = match path {
                Some(p) => {
                    let p = p.trim_end_matches('/');
                    if p.split('/').any(|c| c.is_empty() || c == "." || c == "..") {
                        return Err(bad(
                            "the path in the repository has an empty, `.` or `..` part",
                        ));
                    }
                    Some(p.to_owned())
                }
                None => None,
            };
            Ok(RemoteUri::Hub(HubUri {
                repo_type,
                repo_id: format!("{org}/{name}"),
                revision,
                path,
            }))
        }
        "http" | "https" => {
            url::Url::parse(s).map_err(|e| bad(&e.to_string()))?;
            Ok(RemoteUri::Http(s.to_owned()))
        }
        "s3" | "gs" | "az" => {
            let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(bad("no bucket"));
            }
            Ok(RemoteUri::ObjectStore {
                scheme: scheme.to_ascii_lowercase(),
                bucket: bucket.to_owned(),
                key: key.to_owned(),
            })
        }
        _ => Err(bad("unknown scheme (hf, http, https, s3, gs, az)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hub(s: &str) -> HubUri {
        match parse_uri(s).unwrap() {
            RemoteUri::Hub(h) => h,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn hub_locations_parse() {
        let h = hub("hf://org/model");
        assert_eq!(
            (h.repo_type, h.repo_id.as_str(), h.revision, h.path),
            (RepoType::Model, "org/model", None, None)
        );
        let h = hub("hf://org/model@main/sub/w.bin");
        assert_eq!(h.revision.as_deref(), Some("main"));
        assert_eq!(h.path.as_deref(), Some("sub/w.bin"));
        let h = hub("hf://org/model@refs%2Fpr%2F3");
        assert_eq!(h.revision.as_deref(), Some("refs/pr/3"));
        let h = hub("hf://models/org/m.v2/");
        assert_eq!((h.repo_id.as_str(), h.path.clone()), ("org/m.v2", None));
        assert_eq!(h.pinned("abc", Some("x/y")), "hf://org/m.v2@abc/x/y");
        let h = hub("hf://datasets/org/d");
        assert_eq!(h.pinned("abc", None), "hf://datasets/org/d@abc");
        for bad in [
            "hf://org",
            "hf://org/",
            "hf://org/na me",
            "hf://../x",
            "hf://org/m@",
            "hf://org/m/../../etc",
            "hf://org/m/a//b",
            "hf://spaces/org/s",
            "ftp://x/y",
            "s3:///k",
        ] {
            assert!(parse_uri(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn other_locations_parse() {
        assert_eq!(
            parse_uri("s3://bucket/models/m.pt").unwrap(),
            RemoteUri::ObjectStore {
                scheme: "s3".into(),
                bucket: "bucket".into(),
                key: "models/m.pt".into()
            }
        );
        assert!(matches!(
            parse_uri("https://example.com/m.pt").unwrap(),
            RemoteUri::Http(_)
        ));
        assert!(is_remote("HF://org/m"));
        assert!(!is_remote("./models/hf://x"));
        assert!(!is_remote("C:\\models"));
    }
}
