//! A local Hugging Face Hub for tests: on 127.0.0.1 at a random port, the API huggingface_hub calls (revision,
//! recursive tree with `Link` pagination, resolve with `Range`), LFS files redirected to a second server (a "CDN"
//! on another port, so another origin), counters of the bytes served, and injected failures.
//!
//! Files can be virtual: a 1 GiB checkpoint is a zip written by the `zip` crate into a sparse buffer that keeps
//! only the chunks holding a non-zero byte, so the tensor storage costs no memory.
//!
//! Shared by the tests of mlsc-remote and of the CLI (`#[path]`), hence the `dead_code` allowance.

#![allow(dead_code, unreachable_pub, clippy::print_stderr)]

use std::collections::{BTreeMap, HashMap};
use std::io::{Seek, SeekFrom, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tiny_http::{Header, Request, Response, Server};

/// Content that is mostly zeros: only the written chunks with a non-zero byte are kept.
#[derive(Debug, Default, Clone)]
pub struct Sparse {
    pub len: u64,
    chunks: BTreeMap<u64, Vec<u8>>,
    pos: u64,
}

impl Sparse {
    pub fn read(&self, off: u64, len: usize) -> Vec<u8> {
        let mut out = vec![0u8; len];
        let end = off + len as u64;
        // Chunks are at most 1 MiB (the zip crate writes less at a time): look back that far.
        for (&at, data) in self.chunks.range(off.saturating_sub(1 << 20)..end) {
            let c_end = at + data.len() as u64;
            if c_end <= off {
                continue;
            }
            let from = at.max(off);
            let to = c_end.min(end);
            out[(from - off) as usize..(to - off) as usize]
                .copy_from_slice(&data[(from - at) as usize..(to - at) as usize]);
        }
        out
    }
}

impl Write for Sparse {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let buf = &buf[..buf.len().min(1 << 20)];
        let end = self.pos + buf.len() as u64;
        let overlaps = self
            .chunks
            .range(self.pos.saturating_sub(1 << 20)..end)
            .any(|(&at, c)| at + c.len() as u64 > self.pos);
        // Zeros are stored only when they overwrite something (a header patched in place).
        if overlaps || buf.iter().any(|&b| b != 0) {
            self.chunks.insert(self.pos, buf.to_vec());
        }
        self.pos += buf.len() as u64;
        self.len = self.len.max(self.pos);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Seek for Sparse {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        self.pos = match to {
            SeekFrom::Start(p) => p,
            SeekFrom::End(d) => self.len.checked_add_signed(d).expect("seek in range"),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d).expect("seek in range"),
        };
        Ok(self.pos)
    }
}

#[derive(Debug, Clone)]
pub enum Content {
    Bytes(Arc<Vec<u8>>),
    Sparse(Arc<Sparse>),
}

impl Content {
    pub fn len(&self) -> u64 {
        match self {
            Content::Bytes(b) => b.len() as u64,
            Content::Sparse(s) => s.len,
        }
    }

    pub fn read(&self, off: u64, len: usize) -> Vec<u8> {
        match self {
            Content::Bytes(b) => b[off as usize..off as usize + len].to_vec(),
            Content::Sparse(s) => s.read(off, len),
        }
    }
}

#[derive(Debug, Clone)]
pub struct RepoFile {
    pub path: String,
    pub content: Content,
    pub lfs: bool,
    /// The LFS oid: the real SHA-256 for byte content, a stand-in digest of the layout for sparse content.
    pub sha256: String,
    pub git_oid: String,
}

impl RepoFile {
    pub fn bytes(path: &str, data: Vec<u8>, lfs: bool) -> Self {
        RepoFile {
            path: path.to_owned(),
            sha256: mlsc_core::Sha256Digest::of(&data).to_hex(),
            git_oid: git_oid_of(&data),
            content: Content::Bytes(Arc::new(data)),
            lfs,
        }
    }

    pub fn sparse(path: &str, data: Sparse) -> Self {
        let mut h = format!("sparse {}", data.len);
        for (at, c) in &data.chunks {
            h.push_str(&format!(
                " {at}:{}",
                mlsc_core::Sha256Digest::of(c).to_hex()
            ));
        }
        let sha256 = mlsc_core::Sha256Digest::of(h.as_bytes()).to_hex();
        RepoFile {
            path: path.to_owned(),
            git_oid: sha256[..40].to_owned(),
            content: Content::Sparse(Arc::new(data)),
            lfs: true,
            sha256,
        }
    }
}

/// A git-like object id (not git's SHA-1: a SHA-256 prefix is enough to identify content in tests).
fn git_oid_of(data: &[u8]) -> String {
    let mut v = format!("blob {}\0", data.len()).into_bytes();
    v.extend_from_slice(data);
    mlsc_core::Sha256Digest::of(&v).to_hex()[..40].to_owned()
}

#[derive(Debug, Clone)]
pub struct Repo {
    /// `models/org/name` or `datasets/org/name`.
    pub key: String,
    pub sha: String,
    pub branches: HashMap<String, String>,
    pub files: Vec<RepoFile>,
    pub private: bool,
}

impl Repo {
    pub fn model(id: &str, files: Vec<RepoFile>) -> Self {
        Repo::new(format!("models/{id}"), files)
    }

    pub fn dataset(id: &str, files: Vec<RepoFile>) -> Self {
        Repo::new(format!("datasets/{id}"), files)
    }

    fn new(key: String, files: Vec<RepoFile>) -> Self {
        let mut h = key.clone();
        for f in &files {
            h.push_str(&format!("\n{} {}", f.path, f.sha256));
        }
        let sha = mlsc_core::Sha256Digest::of(h.as_bytes()).to_hex()[..40].to_owned();
        let mut branches = HashMap::new();
        branches.insert("main".to_owned(), sha.clone());
        Repo {
            key,
            sha,
            branches,
            files,
            private: false,
        }
    }
}

/// A failure to inject: the next `times` requests whose path contains `needle` get `status`.
#[derive(Debug, Clone)]
struct Fault {
    needle: String,
    times: u32,
    status: u16,
    retry_after: Option<u32>,
}

#[derive(Debug, Default)]
pub struct Counters {
    /// Bytes of file content served (resolve and CDN), the number the tests bound.
    pub file_bytes: AtomicU64,
    /// Bytes of API JSON served.
    pub api_bytes: AtomicU64,
    pub requests: AtomicU64,
    pub range_requests: AtomicU64,
    /// CDN requests that carried an `Authorization` header (must stay 0).
    pub cdn_with_auth: AtomicU64,
    /// Hub requests that carried the right token.
    pub hub_with_token: AtomicU64,
}

#[derive(Debug)]
struct State {
    repos: Mutex<HashMap<String, Repo>>,
    faults: Mutex<Vec<Fault>>,
    counters: Counters,
    page_size: usize,
    token: Option<String>,
    cdn: String,
    /// Serve whole files to range requests (a server that ignores Range).
    ignore_range: std::sync::atomic::AtomicBool,
}

pub struct Emulator {
    pub url: String,
    pub cdn_url: String,
    state: Arc<State>,
    servers: Vec<Arc<Server>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Emulator {
    /// A Hub serving `repos`, listing trees `page_size` entries a page; private repositories need `token`.
    pub fn start(repos: Vec<Repo>, page_size: usize, token: Option<&str>) -> Self {
        let hub = Arc::new(Server::http("127.0.0.1:0").expect("bind the emulator"));
        let cdn = Arc::new(Server::http("127.0.0.1:0").expect("bind the CDN"));
        let url = format!(
            "http://127.0.0.1:{}",
            hub.server_addr().to_ip().unwrap().port()
        );
        let cdn_url = format!(
            "http://127.0.0.1:{}",
            cdn.server_addr().to_ip().unwrap().port()
        );
        let state = Arc::new(State {
            repos: Mutex::new(repos.into_iter().map(|r| (r.key.clone(), r)).collect()),
            faults: Mutex::new(Vec::new()),
            counters: Counters::default(),
            page_size,
            token: token.map(str::to_owned),
            cdn: cdn_url.clone(),
            ignore_range: false.into(),
        });
        let mut threads = Vec::new();
        for (server, is_cdn) in [(hub.clone(), false), (cdn.clone(), true)] {
            for _ in 0..6 {
                let server = server.clone();
                let state = state.clone();
                threads.push(std::thread::spawn(move || {
                    while let Ok(req) = server.recv() {
                        handle(&state, req, is_cdn);
                    }
                }));
            }
        }
        Emulator {
            url,
            cdn_url,
            state,
            servers: vec![hub, cdn],
            threads,
        }
    }

    pub fn counters(&self) -> &Counters {
        &self.state.counters
    }

    pub fn file_bytes(&self) -> u64 {
        self.state.counters.file_bytes.load(Ordering::Relaxed)
    }

    pub fn reset(&self) {
        let c = &self.state.counters;
        for a in [
            &c.file_bytes,
            &c.api_bytes,
            &c.requests,
            &c.range_requests,
            &c.cdn_with_auth,
            &c.hub_with_token,
        ] {
            a.store(0, Ordering::Relaxed);
        }
    }

    /// The next `times` requests whose path contains `needle` are answered `status` (with `Retry-After`).
    pub fn fail(&self, needle: &str, times: u32, status: u16, retry_after: Option<u32>) {
        self.state.faults.lock().unwrap().push(Fault {
            needle: needle.to_owned(),
            times,
            status,
            retry_after,
        });
    }

    pub fn ignore_range(&self, yes: bool) {
        self.state.ignore_range.store(yes, Ordering::Relaxed);
    }

    pub fn repo(&self, key: &str) -> Repo {
        self.state.repos.lock().unwrap()[key].clone()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        for s in &self.servers {
            s.unblock();
        }
        // Each worker thread calls recv once more after unblock; unblock wakes one per call.
        for _ in 0..self.threads.len() {
            for s in &self.servers {
                s.unblock();
            }
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn respond(req: Request, status: u16, body: Vec<u8>, headers: Vec<Header>) {
    let mut r = Response::from_data(body).with_status_code(status);
    for h in headers {
        r.add_header(h);
    }
    let _ = req.respond(r);
}

fn json(state: &State, req: Request, value: &serde_json::Value, extra: Vec<Header>) {
    let body = serde_json::to_vec(value).unwrap();
    state
        .counters
        .api_bytes
        .fetch_add(body.len() as u64, Ordering::Relaxed);
    let mut headers = vec![header("Content-Type", "application/json")];
    headers.extend(extra);
    respond(req, 200, body, headers);
}

fn not_found(req: Request, what: &str) {
    respond(
        req,
        404,
        format!("{{\"error\":\"{what}\"}}").into_bytes(),
        vec![header("X-Error-Message", what)],
    );
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(Ok(v)) = s.get(i + 1..i + 3).map(|h| u8::from_str_radix(h, 16))
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn header_value(req: &Request, name: &'static str) -> Option<String> {
    req.headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str().to_owned())
}

fn parse_range(v: &str, len: u64) -> Option<(u64, u64)> {
    let spec = v.trim().strip_prefix("bytes=")?;
    let (a, b) = spec.split_once('-')?;
    let (start, end) = match (a.trim(), b.trim()) {
        ("", n) => {
            let n: u64 = n.parse().ok()?;
            (len.saturating_sub(n), len - 1)
        }
        (a, "") => (a.parse().ok()?, len - 1),
        (a, b) => (a.parse().ok()?, b.parse::<u64>().ok()?.min(len - 1)),
    };
    (start <= end && end < len).then_some((start, end))
}

fn serve_file(state: &State, req: Request, content: &Content) {
    serve_file_with(state, req, content, Vec::new());
}

fn serve_file_with(state: &State, req: Request, content: &Content, extra: Vec<Header>) {
    let len = content.len();
    if *req.method() == tiny_http::Method::Head {
        // Headers only, with the length a GET would have.
        let r = Response::new(
            tiny_http::StatusCode(200),
            extra,
            std::io::empty(),
            Some(len as usize),
            None,
        );
        let _ = req.respond(r);
        return;
    }
    let respond = |req, status, body, mut headers: Vec<Header>| {
        headers.extend(extra.iter().cloned());
        respond(req, status, body, headers)
    };
    let range = header_value(&req, "Range");
    if range.is_some() {
        state
            .counters
            .range_requests
            .fetch_add(1, Ordering::Relaxed);
    }
    let ignore = state.ignore_range.load(Ordering::Relaxed);
    match range.as_deref().filter(|_| !ignore) {
        Some(r) => match parse_range(r, len) {
            Some((a, b)) => {
                let body = content.read(a, (b - a + 1) as usize);
                state
                    .counters
                    .file_bytes
                    .fetch_add(body.len() as u64, Ordering::Relaxed);
                respond(
                    req,
                    206,
                    body,
                    vec![header("Content-Range", &format!("bytes {a}-{b}/{len}"))],
                );
            }
            None => respond(
                req,
                416,
                Vec::new(),
                vec![header("Content-Range", &format!("bytes */{len}"))],
            ),
        },
        None => {
            // A whole file: refuse above 64 MiB rather than materialise a virtual gigabyte.
            if len > 64 << 20 {
                respond(req, 500, b"too large for the emulator".to_vec(), vec![]);
                return;
            }
            let body = content.read(0, len as usize);
            state
                .counters
                .file_bytes
                .fetch_add(body.len() as u64, Ordering::Relaxed);
            respond(req, 200, body, vec![]);
        }
    }
}

fn handle(state: &State, req: Request, is_cdn: bool) {
    state.counters.requests.fetch_add(1, Ordering::Relaxed);
    let raw = req.url().to_owned();
    let (path, query) = raw.split_once('?').unwrap_or((raw.as_str(), ""));
    {
        let mut faults = state.faults.lock().unwrap();
        if let Some(f) = faults
            .iter_mut()
            .find(|f| f.times > 0 && path.contains(&f.needle))
        {
            f.times -= 1;
            let mut h = vec![];
            if let Some(s) = f.retry_after {
                h.push(header("Retry-After", &s.to_string()));
            }
            let status = f.status;
            drop(faults);
            respond(req, status, b"injected failure".to_vec(), h);
            return;
        }
    }
    let auth = header_value(&req, "Authorization");
    if is_cdn {
        if auth.is_some() {
            state.counters.cdn_with_auth.fetch_add(1, Ordering::Relaxed);
        }
        // /blob/{repo key with / as ~}/{path}?sig=...
        let Some(rest) = path.strip_prefix("/blob/") else {
            return not_found(req, "no such blob");
        };
        let (key, file) = rest.split_once("/f/").unwrap_or((rest, ""));
        let key = key.replace('~', "/");
        let file = decode(file);
        let repos = state.repos.lock().unwrap();
        let Some(content) = repos
            .get(&key)
            .and_then(|r| r.files.iter().find(|f| f.path == file))
            .map(|f| f.content.clone())
        else {
            drop(repos);
            return not_found(req, "no such blob");
        };
        drop(repos);
        return serve_file(state, req, &content);
    }
    let authorised = match (&state.token, &auth) {
        (Some(t), Some(a)) => *a == format!("Bearer {t}"),
        _ => false,
    };
    if authorised {
        state
            .counters
            .hub_with_token
            .fetch_add(1, Ordering::Relaxed);
    }
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    // API: api/{models|datasets}/{org}/{name}/{revision|tree}/{rev}
    // Model info (`/api/models/{org}/{name}`, what picklescan's HF mode asks): `main`'s revision answer.
    let info;
    let parts = if parts.first() == Some(&"api") && parts.len() == 4 {
        info = [parts[0], parts[1], parts[2], parts[3], "revision", "main"];
        info.to_vec()
    } else {
        parts
    };
    if parts.first() == Some(&"api") && parts.len() >= 6 {
        let key = format!("{}/{}/{}", parts[1], parts[2], parts[3]);
        let repo = state.repos.lock().unwrap().get(&key).cloned();
        let Some(repo) = repo.filter(|r| !r.private || authorised) else {
            return not_found(req, "Repository not found");
        };
        let rev = decode(parts[5]);
        let sha = repo
            .branches
            .get(&rev)
            .cloned()
            .or_else(|| (rev == repo.sha).then(|| repo.sha.clone()));
        let Some(sha) = sha else {
            return not_found(req, "Revision not found");
        };
        match parts[4] {
            "revision" => {
                let v = serde_json::json!({
                    "id": key.split_once('/').map(|x| x.1),
                    "sha": sha,
                    "private": repo.private,
                    "siblings": repo.files.iter().map(|f| serde_json::json!({"rfilename": f.path})).collect::<Vec<_>>(),
                });
                json(state, req, &v, vec![]);
            }
            "tree" => {
                if !query
                    .split('&')
                    .any(|q| q.eq_ignore_ascii_case("recursive=true"))
                {
                    return respond(
                        req,
                        400,
                        b"the emulator lists recursively only".to_vec(),
                        vec![],
                    );
                }
                let cursor: usize = query
                    .split('&')
                    .find_map(|q| q.strip_prefix("cursor="))
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(0);
                // Folders too, as the Hub lists them.
                let mut entries: Vec<serde_json::Value> = Vec::new();
                let mut dirs = std::collections::BTreeSet::new();
                for f in &repo.files {
                    let mut p = f.path.as_str();
                    while let Some((d, _)) = p.rsplit_once('/') {
                        dirs.insert(d.to_owned());
                        p = d;
                    }
                }
                for d in dirs {
                    entries.push(
                        serde_json::json!({"type": "directory", "oid": "0".repeat(40), "path": d}),
                    );
                }
                for f in &repo.files {
                    let mut e = serde_json::json!({
                        "type": "file",
                        "oid": f.git_oid,
                        "size": if f.lfs { 134 } else { f.content.len() },
                        "path": f.path,
                    });
                    if f.lfs {
                        e["size"] = f.content.len().into();
                        e["lfs"] = serde_json::json!({"oid": f.sha256, "size": f.content.len(), "pointerSize": 134});
                    }
                    entries.push(e);
                }
                let page: Vec<_> = entries
                    .iter()
                    .skip(cursor)
                    .take(state.page_size)
                    .cloned()
                    .collect();
                let mut extra = vec![];
                if cursor + state.page_size < entries.len() {
                    let host = header_value(&req, "Host").unwrap_or_default();
                    extra.push(header(
                        "Link",
                        &format!(
                            "<http://{host}{path}?recursive=true&cursor={}>; rel=\"next\"",
                            cursor + state.page_size
                        ),
                    ));
                }
                json(state, req, &serde_json::Value::Array(page), extra);
            }
            _ => not_found(req, "no such API"),
        }
        return;
    }
    // resolve: [datasets/]{org}/{name}/resolve/{rev}/{path...}
    let (kind, rest) = if parts.first() == Some(&"datasets") {
        ("datasets", &parts[1..])
    } else {
        ("models", &parts[..])
    };
    if rest.len() >= 5 && rest[2] == "resolve" {
        let key = format!("{kind}/{}/{}", rest[0], rest[1]);
        let repo = state.repos.lock().unwrap().get(&key).cloned();
        let Some(repo) = repo.filter(|r| !r.private || authorised) else {
            return not_found(req, "Repository not found");
        };
        let rev = decode(rest[3]);
        if rev != repo.sha && !repo.branches.contains_key(&rev) {
            return not_found(req, "Revision not found");
        }
        let file_path = decode(&rest[4..].join("/"));
        let Some(file) = repo.files.iter().find(|f| f.path == file_path) else {
            return not_found(req, "Entry not found");
        };
        // The metadata headers huggingface_hub's `get_hf_file_metadata` reads (peers download through it).
        let mut meta = vec![header("X-Repo-Commit", &repo.sha)];
        if file.lfs {
            let loc = format!(
                "{}/blob/{}/f/{}?sig=secret-signature",
                state.cdn,
                key.replace('/', "~"),
                rest[4..].join("/")
            );
            meta.push(header("X-Linked-Etag", &format!("\"{}\"", file.sha256)));
            meta.push(header("X-Linked-Size", &file.content.len().to_string()));
            meta.push(header("Location", &loc));
            return respond(req, 302, Vec::new(), meta);
        }
        meta.push(header("ETag", &format!("\"{}\"", file.git_oid)));
        return serve_file_with(state, req, &file.content, meta);
    }
    not_found(req, "no such route")
}

/// A PyTorch checkpoint rebuilt from the members of a real one (`members`, as torch wrote them), its first
/// tensor storage (`…/data/0`) grown to `storage` zero bytes; written by the `zip` crate into sparse memory.
pub fn torch_zip(members: &[(String, Vec<u8>)], storage: u64) -> Sparse {
    let mut zip = zip::ZipWriter::new(Sparse::default());
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(storage >= 0xFFFF_FFFF);
    let block = vec![0u8; 1 << 20];
    for (name, data) in members {
        zip.start_file(name.as_str(), stored).unwrap();
        if name.ends_with("/data/0") {
            let mut left = storage;
            while left > 0 {
                let n = left.min(block.len() as u64) as usize;
                zip.write_all(&block[..n]).unwrap();
                left -= n as u64;
            }
        } else {
            zip.write_all(data).unwrap();
        }
    }
    zip.finish().unwrap()
}

/// Every member of a real zip (a fixture written by torch), in order.
pub fn members(zip_bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut v = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut v).unwrap();
            (f.name().to_owned(), v)
        })
        .collect()
}

/// The tests' fixture corpus.
pub fn corpus(rel: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/scan"
    ))
    .join(rel)
}
