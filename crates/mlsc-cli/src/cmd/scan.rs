//! `mlsc scan PATH...`: every model file and directory, each file identified by content.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use mlsc_core::SharedSink;

use crate::args::{GlobalArgs, OutputFormat};
use crate::exit::Status;
use crate::output;
use crate::progress::Progress;

/// Arguments of `mlsc scan`.
#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    /// Files or directories to scan (directories recursively; formats are detected by content, not by name), or
    /// remote locations read by byte ranges: `hf://ORG/NAME[@REVISION][/PATH]`, `hf://datasets/ORG/NAME...`,
    /// `https://...` (one object), `s3://BUCKET/KEY-or-PREFIX`, `gs://...`, `az://CONTAINER/...` (configured from
    /// the environment: `AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`, ...).
    #[arg(required_unless_present = "from", value_name = "PATH")]
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
    /// Accept this callable in pickles, as the unpickler resolves it (`mypkg.layers.Custom`), or every callable of a
    /// module and its submodules (`mypkg.*`), in addition to the built-in allowlist profiles and `[scan] allow` in
    /// mlsc.toml. Critical deny-list entries stay denied. Repeatable.
    #[arg(long, value_name = "NAME")]
    pub(crate) allow: Vec<String>,
    /// Time budget per file, in seconds: a file whose scan runs longer stops there and is inconclusive
    /// (MLSC-SCAN-014). 0 means no budget.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub(crate) timeout: u64,
    // -- remote and bulk scanning (issue 16) --
    /// Read the inputs (paths or remote locations), one per line, from FILE (`-` for standard input); blank
    /// lines and `#` comments are skipped.
    #[arg(long, value_name = "FILE")]
    pub(crate) from: Option<PathBuf>,
    /// Scan only shard I of N (I from 0): the inputs whose stable hash is I modulo N. N runs with I = 0..N-1
    /// together scan every input exactly once.
    #[arg(long, value_name = "I/N")]
    pub(crate) shard: Option<mlsc_remote::Shard>,
    /// Keep results in DIR, keyed by content SHA-256 (or git blob id), size, mlsc version and policy, and skip
    /// remote files whose result is there (the Hub lists the hash of every file: nothing of them is read).
    #[arg(long, value_name = "DIR")]
    pub(crate) cache: Option<PathBuf>,
    /// Remote files judged at once, hence the most range requests in flight.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub(crate) jobs: usize,
    /// Time-out of one HTTP request, in seconds (each is retried on 429 and 5xx, honouring Retry-After).
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub(crate) http_timeout: u64,
    /// Retries of an HTTP request answered 429 or 5xx or cut off, with back-off from 1 s doubling to 8 s.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub(crate) retries: u32,
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
    options.timeout = (args.timeout > 0).then(|| std::time::Duration::from_secs(args.timeout));
    if let Some(d) = args.max_depth {
        options.limits.max_depth = d;
    }
    let bulk = args.from.is_some()
        || args.shard.is_some()
        || args.cache.is_some()
        || global.format == OutputFormat::Jsonl
        || args
            .paths
            .iter()
            .any(|p| p.to_str().is_some_and(mlsc_remote::is_remote));
    if bulk {
        return run_bulk(global, args, options);
    }
    let progress = Progress::new(global);
    options.sink = progress.sink();
    let report = mlsc_pickle::scan_paths(&args.paths, &options);
    drop(progress);
    output::emit_report(global, &report)?;
    Ok(Status::of_report(&report, global.fail_on))
}

/// Remote locations, lists, shards and the cache: every input through `mlsc_remote::scan_inputs`.
fn run_bulk(
    global: &GlobalArgs,
    args: &ScanArgs,
    options: mlsc_pickle::ScanOptions,
) -> anyhow::Result<Status> {
    let mut inputs = mlsc_remote::read_inputs(&args.paths, args.from.as_deref())?;
    if let Some(shard) = args.shard {
        inputs.retain(|l| shard.takes(l));
    }
    // No progress bar here (`options.sink` is left silent): one bar per artefact would be noise for a registry;
    // the JSON lines are the progress.
    let mut remote_opts = mlsc_remote::RemoteOptions::from_env();
    remote_opts.http.timeout = std::time::Duration::from_secs(args.http_timeout.max(1));
    remote_opts.http.retries = args.retries;
    let remote = mlsc_remote::Remote::new(remote_opts);
    let mut bulk = mlsc_remote::BulkOptions::default();
    bulk.jobs = args.jobs.max(1);
    bulk.cache = args
        .cache
        .as_ref()
        .map(|dir| mlsc_remote::ResultCache::new(dir, &options));
    bulk.scan = options;
    let jsonl = global.format == OutputFormat::Jsonl;
    let to_stdout = jsonl && global.output.is_none();
    // Lines go to stdout as each artefact is judged; with --output they are written at the end, atomically.
    let live = Arc::new(mlsc_remote::JsonLines::new(std::io::stdout()));
    let kept = Arc::new(mlsc_remote::JsonLines::new(Vec::new()));
    if jsonl {
        bulk.sink = if to_stdout {
            SharedSink::new(live.clone())
        } else {
            SharedSink::new(kept.clone())
        };
    }
    let outcome = mlsc_remote::scan_inputs(&remote, &inputs, &bulk, &|_| {});
    if let Some(e) = live.error().or_else(|| kept.error()) {
        return Err(e.into());
    }
    let report = &outcome.report;
    match global.format {
        OutputFormat::Jsonl => {
            if !to_stdout {
                output::write_output(global, &kept.take())?;
            }
        }
        OutputFormat::Human => {
            let mut text = output::human(
                report,
                output::Style::new(output::use_color(global)),
                global.quiet,
            );
            if !global.quiet {
                text.push_str(&format!(
                    "remote: {} input(s), {} HTTP request(s), {} unchanged artefact(s) skipped (result cache)\n",
                    inputs.len(),
                    outcome.requests,
                    outcome.cached
                ));
            }
            output::write_output(global, text.as_bytes())?;
        }
        _ => output::emit_report(global, report)?,
    }
    Ok(Status::of_report(report, global.fail_on))
}
