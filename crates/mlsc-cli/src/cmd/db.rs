//! `mlsc db update` and `mlsc db info`: the offline OSV advisory database.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};

use crate::args::{GlobalArgs, OutputFormat};
use crate::exit::Status;
use crate::output;

/// OSV's export of every PyPI advisory.
pub(crate) const DEFAULT_URL: &str =
    "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip";

/// Largest download accepted (the PyPI export is about 20 MB).
const MAX_DOWNLOAD: u64 = 1 << 30;

/// Arguments of `mlsc db`.
#[derive(Debug, Args)]
pub(crate) struct DbArgs {
    #[command(subcommand)]
    pub(crate) command: DbCommand,
}

/// `mlsc db` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum DbCommand {
    /// Download OSV's PyPI advisories into the cache (`$MLSC_DB`, else `$XDG_CACHE_HOME/mlsc/osv/PyPI-all.zip`,
    /// else `~/.cache/mlsc/osv/PyPI-all.zip`), replacing the old copy atomically once the new one loads.
    Update(UpdateArgs),
    /// Say how many advisories the database holds, the newest `modified` date and where it comes from.
    Info(InfoArgs),
}

/// Arguments of `mlsc db update`.
#[derive(Debug, Args)]
pub(crate) struct UpdateArgs {
    /// Where to download from.
    #[arg(long, env = "MLSC_OSV_URL", default_value = DEFAULT_URL)]
    pub(crate) url: String,
    /// Where to write the database (a file). By default the cache path `mlsc deps` reads.
    #[arg(long, value_name = "FILE")]
    pub(crate) db: Option<PathBuf>,
    /// Give up after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub(crate) timeout: u64,
}

/// Arguments of `mlsc db info`.
#[derive(Debug, Args)]
pub(crate) struct InfoArgs {
    /// The database (a folder of OSV JSON, an OSV all.zip, or JSON lines). By default the cache path.
    #[arg(long, value_name = "PATH")]
    pub(crate) db: Option<PathBuf>,
}

pub(crate) fn run(global: &GlobalArgs, args: &DbArgs) -> anyhow::Result<Status> {
    match &args.command {
        DbCommand::Update(a) => update(global, a),
        DbCommand::Info(a) => info(global, a),
    }
}

fn default_path() -> anyhow::Result<PathBuf> {
    mlsc_deps::default_database_path()
        .context("no cache folder: set MLSC_DB, XDG_CACHE_HOME or HOME, or pass `--db FILE`")
}

fn update(global: &GlobalArgs, args: &UpdateArgs) -> anyhow::Result<Status> {
    let path = match &args.db {
        Some(p) => p.clone(),
        None => default_path()?,
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(args.timeout)))
        .build()
        .into();
    let mut response = agent
        .get(&args.url)
        .call()
        .with_context(|| format!("cannot download `{}`", args.url))?;
    let bytes = response
        .body_mut()
        .with_config()
        .limit(MAX_DOWNLOAD)
        .read_to_vec()
        .with_context(|| format!("cannot download `{}`", args.url))?;
    // Keep the old database unless the new one loads.
    let db = mlsc_deps::Database::from_bytes(&args.url, &bytes)
        .with_context(|| format!("the download from `{}` is not an OSV database", args.url))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs_err::create_dir_all(dir)?;
    }
    mlsc_core::write_atomic(&path, &bytes)
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    let text = match global.format {
        OutputFormat::Json => {
            let json = db.info().update_json(&args.url, &path, bytes.len());
            format!("{}\n", serde_json::to_string_pretty(&json)?)
        }
        _ => db.info().update_human(&args.url, &path, bytes.len()),
    };
    output::write_output(global, text.as_bytes())?;
    Ok(Status::Clean)
}

fn info(global: &GlobalArgs, args: &InfoArgs) -> anyhow::Result<Status> {
    let db = crate::cmd::deps::load_database(args.db.as_deref())?;
    let i = db.info();
    let text = match global.format {
        OutputFormat::Json => format!("{}\n", serde_json::to_string_pretty(i)?),
        OutputFormat::Human => i.to_human(),
        other => bail!(
            "`--format {}` is not available for `mlsc db info`: use human or json",
            output::format_name(other)
        ),
    };
    output::write_output(global, text.as_bytes())?;
    Ok(if i.invalid > 0 {
        Status::Findings
    } else {
        Status::Clean
    })
}
