//! `mlsc db update` against a local HTTP server serving a zip built here, and `mlsc db info`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

const RECORD: &str = r#"{"id":"PYSEC-2099-7","aliases":["CVE-2099-7"],"modified":"2099-05-06T07:08:09Z",
  "details":"Demo.","affected":[{"package":{"ecosystem":"PyPI","name":"demo-pkg"},
  "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.1"}]}]}]}"#;

fn osv_zip() -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    for (i, r) in [RECORD, &RECORD.replace("7", "8")].iter().enumerate() {
        zip.start_file(
            format!("PYSEC-{i}.json"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(r.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    buf.into_inner()
}

/// Serves `body` for `GET /PyPI/all.zip` and 404 otherwise, `requests` times, on 127.0.0.1.
fn serve(body: Vec<u8>, requests: usize) -> (String, std::thread::JoinHandle<()>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}", server.server_addr().to_ip().unwrap());
    let handle = std::thread::spawn(move || {
        for _ in 0..requests {
            // Never hang the suite: a request that does not come within a minute ends the server.
            let Ok(Some(req)) = server.recv_timeout(std::time::Duration::from_secs(60)) else {
                return;
            };
            let resp = if req.url() == "/PyPI/all.zip" {
                tiny_http::Response::from_data(body.clone())
            } else {
                tiny_http::Response::from_data(b"not here".to_vec()).with_status_code(404)
            };
            let _ = req.respond(resp);
        }
    });
    (url, handle)
}

fn mlsc(cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mlsc"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("XDG_CACHE_HOME", cache)
        .env_remove("MLSC_DB")
        .env_remove("MLSC_OSV_URL")
        .output()
        .expect("run mlsc")
}

#[test]
fn update_downloads_into_the_cache_and_info_reads_it() {
    let cache = tempfile::tempdir().unwrap();
    let (url, server) = serve(osv_zip(), 3);
    let out = mlsc(
        cache.path(),
        &["db", "update", "--url", &format!("{url}/PyPI/all.zip")],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stored = cache.path().join("mlsc/osv/PyPI-all.zip");
    assert_eq!(std::fs::read(&stored).unwrap(), osv_zip());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("2 advisories"), "{text}");

    let out = mlsc(cache.path(), &["db", "info", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["records"], 2);
    assert_eq!(info["format"], "zip");
    assert_eq!(info["newest_modified"], "2099-05-06T08:08:09Z");

    // `mlsc deps` finds the cached database without `--db`.
    let proj = tempfile::tempdir().unwrap();
    std::fs::write(proj.path().join("requirements.txt"), "demo-pkg==1.0\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mlsc"))
        .args(["deps", "--format", "json"])
        .current_dir(proj.path())
        .env("XDG_CACHE_HOME", cache.path())
        .env_remove("MLSC_DB")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A failed download (404) leaves the old database in place and exits 2.
    let out = mlsc(
        cache.path(),
        &["db", "update", "--url", &format!("{url}/missing.zip")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(&stored).unwrap(), osv_zip());
    // So does a download that is not an OSV database.
    let out = mlsc(
        cache.path(),
        &[
            "db",
            "update",
            "--url",
            &format!("{url}/PyPI/all.zip"),
            "--db",
            "/dev/null/x",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    server.join().unwrap();
}

#[test]
fn update_rejects_a_download_that_is_not_a_database() {
    let cache = tempfile::tempdir().unwrap();
    let (url, server) = serve(b"<html>captive portal</html>".to_vec(), 1);
    let out = mlsc(
        cache.path(),
        &["db", "update", "--url", &format!("{url}/PyPI/all.zip")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an OSV database"));
    assert!(!cache.path().join("mlsc/osv/PyPI-all.zip").exists());
    server.join().unwrap();
}

#[test]
fn info_without_a_database_says_how_to_get_one() {
    let cache = tempfile::tempdir().unwrap();
    let out = mlsc(cache.path(), &["db", "info"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("mlsc db update"));
}
