/// An error of mlsc-remote. Messages name the URI or URL concerned (query strings removed: a signed CDN URL
/// carries credentials) and never a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The location is not one mlsc reads.
    #[error("`{uri}` is not a location mlsc can read: {reason}")]
    BadUri {
        /// The location as given.
        uri: String,
        /// Why.
        reason: String,
    },
    /// The server answered with an error status (after the retries, for 429 and 5xx).
    #[error("`{url}`: HTTP {status}{}", if message.is_empty() { String::new() } else { format!(": {message}") })]
    Status {
        /// The URL, without its query.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The start of the body, or the Hub's `X-Error-Message`.
        message: String,
    },
    /// The request did not complete (connection refused, time-out, reset), after the retries.
    #[error("`{url}`: {message}")]
    Transport {
        /// The URL, without its query.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The server answered something that does not fit the protocol (a missing field, a wrong range, a body
    /// longer than announced).
    #[error("`{url}`: {message}")]
    Protocol {
        /// The URL, without its query.
        url: String,
        /// What was wrong.
        message: String,
    },
    /// The result cache could not be read or written.
    #[error("cache `{path}`: {source}")]
    Cache {
        /// The cache file or folder.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// An object store (`s3://`, `gs://`, `az://`) refused or failed a request, after its retries.
    #[error("`{uri}`: {}{message}", status.map(|s| format!("HTTP {s}: ")).unwrap_or_default())]
    Store {
        /// The object or prefix.
        uri: String,
        /// The HTTP status it amounts to, when known: 404 not found, 403 refused, 401 not authenticated, 412
        /// the object changed since it was listed.
        status: Option<u16>,
        /// The store's message.
        message: String,
    },
    /// This build cannot read that kind of location.
    #[error("`{uri}`: {reason}")]
    Unsupported {
        /// The location.
        uri: String,
        /// Why, and which feature would read it.
        reason: String,
    },
}

impl Error {
    /// The error as an I/O error, for the range interface (the scan reports its message).
    pub(crate) fn into_io(self) -> std::io::Error {
        let kind = match &self {
            Error::Status {
                status: 401 | 403, ..
            } => std::io::ErrorKind::PermissionDenied,
            Error::Status { status: 404, .. } => std::io::ErrorKind::NotFound,
            Error::Store {
                status: Some(401 | 403),
                ..
            } => std::io::ErrorKind::PermissionDenied,
            Error::Store {
                status: Some(404), ..
            } => std::io::ErrorKind::NotFound,
            Error::Transport { .. } => std::io::ErrorKind::ConnectionAborted,
            _ => std::io::ErrorKind::Other,
        };
        std::io::Error::new(kind, self.to_string())
    }
}

/// `url` without its query and fragment: signed URLs carry credentials in the query.
pub(crate) fn redact(url: &str) -> String {
    match url.find(['?', '#']) {
        Some(i) => format!("{}?…", &url[..i]),
        None => url.to_owned(),
    }
}
