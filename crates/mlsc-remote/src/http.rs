//! HTTP GET with ranges, bounded retries and redirects that never carry a token to another origin.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use url::Url;

use crate::error::{Error, redact};

/// How requests are made. `#[non_exhaustive]`: start from `HttpOptions::default()`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HttpOptions {
    /// Time-out of one request, from connecting to the last byte of the body. By default, 60 s.
    pub timeout: Duration,
    /// Retries of a request answered 429, 500, 502, 503 or 504, or that failed in transport. By default, 5 (as
    /// huggingface_hub's `http_backoff`).
    pub retries: u32,
    /// The first wait between tries; it doubles each time. By default, 1 s.
    pub backoff_base: Duration,
    /// The longest wait between tries. By default, 8 s.
    pub backoff_max: Duration,
    /// The longest `Retry-After` honoured; a server asking for more gets this. By default, 60 s.
    pub retry_after_max: Duration,
    /// Most redirects followed per request. By default, 10.
    pub max_redirects: u32,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            timeout: Duration::from_secs(60),
            retries: 5,
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(8),
            retry_after_max: Duration::from_secs(60),
            max_redirects: 10,
        }
    }
}

/// A bearer token. Its `Debug` never shows it.
#[derive(Clone)]
pub(crate) struct Token(String);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// Scheme, host and port: a token is sent only to the origin it was configured for.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Origin(String, String, Option<u16>);

fn origin(url: &Url) -> Origin {
    Origin(
        url.scheme().to_owned(),
        url.host_str().unwrap_or_default().to_ascii_lowercase(),
        url.port_or_known_default(),
    )
}

/// A response: status, the headers mlsc uses, the final URL after redirects and the body.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) url: String,
    pub(crate) content_range: Option<String>,
    pub(crate) link: Option<String>,
    pub(crate) body: Vec<u8>,
}

/// The HTTP client: one agent (connections are pooled), counters of requests and bytes received.
#[derive(Debug)]
pub(crate) struct Http {
    agent: ureq::Agent,
    opts: HttpOptions,
    auth: Option<(Token, Origin)>,
    requests: AtomicU64,
    bytes: AtomicU64,
}

fn retryable(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

impl Http {
    /// A client; `token` is sent as `Authorization: Bearer` to `token_origin` only.
    pub(crate) fn new(opts: HttpOptions, token: Option<String>, token_origin: &str) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(opts.timeout))
            // Redirects are followed here, not by ureq, so the token's origin is checked at every hop.
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(concat!("mlsc/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        let auth = token.filter(|t| !t.is_empty()).and_then(|t| {
            Url::parse(token_origin)
                .ok()
                .map(|u| (Token(t), origin(&u)))
        });
        Http {
            agent,
            opts,
            auth,
            requests: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
        }
    }

    /// Requests sent so far (each try and each redirect hop counts).
    pub(crate) fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Body bytes received so far.
    pub(crate) fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// GET `url`, with `Range: bytes=start-end` (inclusive) when given, following redirects. A body longer than
    /// `max_body` is an error (read no further). Statuses other than 429/5xx are returned, not errors.
    pub(crate) fn get(
        &self,
        url: &str,
        range: Option<(u64, u64)>,
        max_body: u64,
    ) -> Result<Response, Error> {
        let mut current = Url::parse(url).map_err(|e| Error::BadUri {
            uri: redact(url),
            reason: e.to_string(),
        })?;
        for _ in 0..=self.opts.max_redirects {
            let (status, location, resp) = self.send(&current, range, max_body)?;
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let Some(location) = location else {
                    return Err(Error::Protocol {
                        url: redact(current.as_str()),
                        message: format!("redirect {status} without a Location"),
                    });
                };
                current = current.join(&location).map_err(|e| Error::Protocol {
                    url: redact(current.as_str()),
                    message: format!("bad redirect location: {e}"),
                })?;
                if !matches!(current.scheme(), "http" | "https") {
                    return Err(Error::Protocol {
                        url: redact(current.as_str()),
                        message: "redirect to a scheme other than http(s)".into(),
                    });
                }
                continue;
            }
            return Ok(resp);
        }
        Err(Error::Protocol {
            url: redact(url),
            message: format!("more than {} redirects", self.opts.max_redirects),
        })
    }

    /// One hop, with the retries.
    fn send(
        &self,
        url: &Url,
        range: Option<(u64, u64)>,
        max_body: u64,
    ) -> Result<(u16, Option<String>, Response), Error> {
        let mut wait = self.opts.backoff_base;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let last = attempt > self.opts.retries;
            let mut req = self.agent.get(url.as_str());
            if let Some((a, b)) = range {
                req = req.header("Range", format!("bytes={a}-{b}"));
            }
            if let Some((token, o)) = &self.auth
                && *o == origin(url)
            {
                req = req.header("Authorization", format!("Bearer {}", token.0));
            }
            self.requests.fetch_add(1, Ordering::Relaxed);
            match req.call() {
                Ok(mut r) => {
                    let status = r.status().as_u16();
                    let header = |name: &str| {
                        r.headers()
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned)
                    };
                    if retryable(status) && !last {
                        let asked = header("retry-after")
                            .and_then(|v| v.trim().parse::<u64>().ok())
                            .map(|s| Duration::from_secs(s).min(self.opts.retry_after_max));
                        std::thread::sleep(asked.unwrap_or(wait));
                        wait = (wait * 2).min(self.opts.backoff_max);
                        continue;
                    }
                    let location = header("location");
                    let content_range = header("content-range");
                    let link = header("link");
                    let error_message = header("x-error-message");
                    let body = if (300..400).contains(&status) {
                        Vec::new()
                    } else {
                        // An error body is read for its first words only.
                        let limit = if status >= 400 { 4096 } else { max_body };
                        let mut reader = r.body_mut().as_reader();
                        let mut body = Vec::new();
                        let res = std::io::Read::read_to_end(
                            &mut std::io::Read::take(&mut reader, limit.saturating_add(1)),
                            &mut body,
                        );
                        self.bytes.fetch_add(body.len() as u64, Ordering::Relaxed);
                        if let Err(e) = res {
                            if !last {
                                std::thread::sleep(wait);
                                wait = (wait * 2).min(self.opts.backoff_max);
                                continue;
                            }
                            return Err(Error::Transport {
                                url: redact(url.as_str()),
                                message: e.to_string(),
                            });
                        }
                        if status < 400 && body.len() as u64 > max_body {
                            return Err(Error::Protocol {
                                url: redact(url.as_str()),
                                message: format!(
                                    "the body is longer than the {max_body} bytes expected"
                                ),
                            });
                        }
                        body
                    };
                    if status >= 400 {
                        let message = error_message.unwrap_or_else(|| {
                            String::from_utf8_lossy(&body[..body.len().min(200)])
                                .trim()
                                .to_owned()
                        });
                        return Err(Error::Status {
                            url: redact(url.as_str()),
                            status,
                            message,
                        });
                    }
                    return Ok((
                        status,
                        location,
                        Response {
                            status,
                            url: url.to_string(),
                            content_range,
                            link,
                            body,
                        },
                    ));
                }
                Err(e) => {
                    if !last {
                        std::thread::sleep(wait);
                        wait = (wait * 2).min(self.opts.backoff_max);
                        continue;
                    }
                    return Err(Error::Transport {
                        url: redact(url.as_str()),
                        message: e.to_string(),
                    });
                }
            }
        }
    }
}

/// Percent-encodes `s` as Python's `urllib.parse.quote(s, safe=safe)` does (huggingface_hub builds its URLs so).
pub(crate) fn quote(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `rel="next"` target of a `Link` header (the Hub paginates its listings as GitHub does).
pub(crate) fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let is_next = params.split(';').any(|p| {
            let p = p.trim();
            p == "rel=\"next\"" || p == "rel=next"
        });
        let target = target.trim();
        (is_next && target.starts_with('<') && target.ends_with('>'))
            .then(|| target[1..target.len() - 1].to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_python() {
        assert_eq!(quote("refs/pr/1", false), "refs%2Fpr%2F1");
        assert_eq!(quote("a dir/model v1.bin", true), "a%20dir/model%20v1.bin");
        assert_eq!(quote("é", true), "%C3%A9");
    }

    #[test]
    fn next_links_are_found() {
        let h = r#"<https://huggingface.co/api/models/a/b/tree/main?cursor=xyz&recursive=true>; rel="next""#;
        assert_eq!(
            next_link(h).as_deref(),
            Some("https://huggingface.co/api/models/a/b/tree/main?cursor=xyz&recursive=true")
        );
        assert_eq!(next_link(r#"<https://x/1>; rel="prev""#), None);
        assert_eq!(
            next_link(r#"<https://x/1>; rel="prev", <https://x/3>; rel="next""#).as_deref(),
            Some("https://x/3")
        );
    }

    #[test]
    fn tokens_are_never_shown() {
        let http = Http::new(
            HttpOptions::default(),
            Some("hf_secret".into()),
            "https://huggingface.co",
        );
        let shown = format!("{http:?}");
        assert!(!shown.contains("hf_secret"), "{shown}");
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let a = Url::parse("https://huggingface.co/api").unwrap();
        let b = Url::parse("https://HuggingFace.co:443/x").unwrap();
        let c = Url::parse("https://cdn-lfs.hf.co/x").unwrap();
        let d = Url::parse("http://huggingface.co/x").unwrap();
        assert_eq!(origin(&a), origin(&b));
        assert_ne!(origin(&a), origin(&c));
        assert_ne!(origin(&a), origin(&d));
    }
}
