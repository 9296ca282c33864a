//! Progress bars on stderr, drawn by indicatif from the libraries' [`ScanSink`] calls: in bytes, so the bar
//! moves while one large file is hashed. Only on a terminal, never with `--quiet` or `--no-progress`.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mlsc_core::{Finished, ScanSink, SharedSink};

use crate::args::GlobalArgs;

/// A byte bar; cleared from the terminal when dropped, so the report that follows starts on a clean line.
#[derive(Debug)]
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

/// The sink that moves a bar: totals from `begin`, bytes from `bytes`, the current file as its message.
#[derive(Debug)]
struct BarSink(ProgressBar);

impl ScanSink for BarSink {
    fn begin(&self, _artifacts: u64, bytes: Option<u64>) {
        // An audit begins once per stage (scan, then signature, then DVC): each adds its work to the bar.
        if let Some(b) = bytes {
            self.0.inc_length(b);
        }
    }

    fn started(&self, artifact: &str, _size: u64) {
        self.0.set_message(tail(artifact, 48));
    }

    fn bytes(&self, _artifact: &str, n: u64) {
        self.0.inc(n);
    }

    fn finished(&self, _done: &Finished<'_>) {}
}

/// The last `n` characters of `s`, so the file name, not the folder, stays in view.
fn tail(s: &str, n: usize) -> String {
    let count = s.chars().count();
    if count <= n {
        s.to_owned()
    } else {
        let rest: String = s.chars().skip(count - n + 1).collect();
        format!("…{rest}")
    }
}

impl Progress {
    /// A bar when stderr is a terminal and neither `--quiet` nor `--no-progress` was given; else nothing.
    pub(crate) fn new(global: &GlobalArgs) -> Progress {
        let on = !global.no_progress && !global.quiet && std::io::stderr().is_terminal();
        Progress::with_bar(on.then(ProgressDrawTarget::stderr))
    }

    /// A bar drawing to `target`, or none.
    fn with_bar(target: Option<ProgressDrawTarget>) -> Progress {
        let bar = target.map(|t| {
            let bar = ProgressBar::with_draw_target(Some(0), t);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] [{bar:30}] {bytes}/{total_bytes} ({binary_bytes_per_sec}, {eta}) {wide_msg}",
                )
                .expect("the template is valid because it is a constant tested by `progress_counts_bytes`")
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress { bar }
    }

    /// The sink to hand to the libraries: the bar's, or one that ignores everything.
    pub(crate) fn sink(&self) -> SharedSink {
        match &self.bar {
            Some(bar) => SharedSink::new(Arc::new(BarSink(bar.clone()))),
            None => SharedSink::default(),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bar's position after scanning and hashing a real fixture is the sum of its files' sizes: what the
    /// libraries tell the sink adds up, so a bar ends full.
    #[test]
    fn progress_counts_bytes() {
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");
        let dir = std::path::Path::new(fixtures).join("scan");
        let dir = if dir.is_dir() {
            dir
        } else {
            std::path::PathBuf::from(fixtures)
        };
        let progress = Progress::with_bar(Some(ProgressDrawTarget::hidden()));
        let mut options = mlsc_pickle::ScanOptions::default();
        options.hash = true;
        options.sink = progress.sink();
        let report = mlsc_pickle::scan_paths(std::slice::from_ref(&dir), &options);
        let sizes: u64 = report.artifacts.iter().map(|a| a.size).sum();
        assert!(sizes > 0, "no fixtures under {}", dir.display());
        let bar = progress.bar.as_ref().expect("a bar");
        assert_eq!(bar.position(), sizes);
        assert_eq!(bar.length(), Some(sizes));

        // Hashing a manifest moves a second bar by every byte of the files.
        let progress = Progress::with_bar(Some(ProgressDrawTarget::hidden()));
        let mut m = mlsc_provenance::ManifestOptions::default();
        m.sink = progress.sink();
        let manifest = mlsc_provenance::build_manifest(&dir, &m).expect("manifest");
        let bar = progress.bar.as_ref().expect("a bar");
        assert_eq!(bar.position(), manifest.bytes);
        assert_eq!(bar.length(), Some(manifest.bytes));
    }

    #[test]
    fn long_names_keep_their_end() {
        assert_eq!(tail("abc", 5), "abc");
        assert_eq!(tail("folder/model.bin", 8), "…del.bin");
    }
}
