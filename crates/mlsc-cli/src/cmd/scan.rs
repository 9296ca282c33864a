//! `mlsc scan PATH...`: every model file and directory, each file identified by content.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use clap::Args;

use crate::args::GlobalArgs;
use crate::exit::Status;
use crate::output;

/// Arguments of `mlsc scan`.
#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    /// Files or directories to scan (directories recursively; formats are detected by content, not by name).
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    /// Scan only files under a directory whose relative path (or name) matches GLOB. Repeatable.
    #[arg(long, value_name = "GLOB")]
    pub(crate) include: Vec<String>,
    /// Skip files and directories whose relative path matches GLOB. Repeatable.
    #[arg(long, value_name = "GLOB")]
    pub(crate) exclude: Vec<String>,
    /// Compute each file's SHA-256 for the report (reads every byte of every file).
    #[arg(long)]
    pub(crate) hash: bool,
    /// Also scan inside `.git`, `.hg` and `.svn` directories.
    #[arg(long)]
    pub(crate) vcs: bool,
    /// Largest part analysed in memory (a pickle, a decompressed stream), in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 512)]
    pub(crate) max_memory: u64,
    /// Deepest container nesting analysed (a pickle in a zip in a tar.gz is 3).
    #[arg(long, value_name = "N")]
    pub(crate) max_depth: Option<u32>,
    /// Accept this callable in pickles, as the unpickler resolves it (`mypkg.layers.Custom`), in addition to the
    /// built-in allowlist profiles and `[scan] allow` in mlsc.toml. Repeatable.
    #[arg(long, value_name = "NAME")]
    pub(crate) allow: Vec<String>,
    /// Never draw a progress bar.
    #[arg(long)]
    pub(crate) no_progress: bool,
}

/// A one-line progress bar on stderr, redrawn at most every 50 ms.
fn progress_bar() -> Arc<mlsc_pickle::ProgressFn> {
    let last = Mutex::new(std::time::Instant::now());
    Arc::new(move |path: &std::path::Path, done: u64, total: u64| {
        let mut last = last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if done != total && last.elapsed().as_millis() < 50 {
            return;
        }
        *last = std::time::Instant::now();
        let width = 24u64;
        let filled = (done * width).checked_div(total).unwrap_or(width) as usize;
        let name: String = path.display().to_string();
        let tail: String = name
            .chars()
            .rev()
            .take(50)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r\x1b[2K[{}{}] {done}/{total} {tail}",
            "#".repeat(filled),
            " ".repeat(width as usize - filled)
        );
        if done == total {
            let _ = write!(err, "\r\x1b[2K");
        }
        let _ = err.flush();
    })
}

pub(crate) fn run(global: &GlobalArgs, args: &ScanArgs) -> anyhow::Result<Status> {
    let config = crate::config::load(global)?;
    let mut options = mlsc_pickle::ScanOptions::default();
    options.policy = mlsc_pickle::Policy::default()
        .with_allowed(config.scan.allow.iter().chain(&args.allow).cloned());
    options.include = args.include.clone();
    options.exclude = args.exclude.clone();
    options.hash = args.hash;
    options.vcs_dirs = args.vcs;
    options.max_memory_bytes = args.max_memory.saturating_mul(1 << 20);
    if let Some(d) = args.max_depth {
        options.limits.max_depth = d;
    }
    if !args.no_progress && !global.quiet && std::io::stderr().is_terminal() {
        options.progress = Some(progress_bar());
    }
    let report = mlsc_pickle::scan_paths(&args.paths, &options);
    output::emit_report(global, &report, &mlsc_pickle::rules())?;
    Ok(Status::of_report(&report, global.fail_on))
}
