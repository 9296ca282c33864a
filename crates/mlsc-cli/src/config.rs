//! Which `mlsc.toml` this invocation reads: `--config FILE`, else `./mlsc.toml` when present, else the defaults
//! (mlsc-audit's [`Config::discover`]). The file's shape and checks are documented in `docs/config.md`.

use mlsc_audit::Config;

use crate::args::GlobalArgs;

/// The configuration for this invocation.
pub(crate) fn load(global: &GlobalArgs) -> anyhow::Result<Config> {
    Ok(Config::discover(global.config.as_deref())?)
}
