//! Which `mlsc.toml` this invocation reads: `--config FILE`, else `./mlsc.toml` when present, else the defaults.
//! The file's shape and checks are mlsc-audit's [`Config`], documented in `docs/config.md`.

use std::path::Path;

use mlsc_audit::{Config, DEFAULT_FILE};

use crate::args::GlobalArgs;

/// The configuration for this invocation.
pub(crate) fn load(global: &GlobalArgs) -> anyhow::Result<Config> {
    match &global.config {
        Some(path) => Ok(Config::from_file(path)?),
        None => {
            let default = Path::new(DEFAULT_FILE);
            if default.is_file() {
                Ok(Config::from_file(default)?)
            } else {
                Ok(Config::default())
            }
        }
    }
}
