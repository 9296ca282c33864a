//! `mlsc rule CODE`: what a finding code means, from the rule registry (as `ruff rule` does).

use clap::Args;

use crate::args::GlobalArgs;
use crate::exit::Status;
use crate::output;

/// Arguments of `mlsc rule`.
#[derive(Debug, Args)]
pub(crate) struct RuleArgs {
    /// The finding code, such as MLSC-PKL-001 (any case).
    #[arg(value_name = "CODE")]
    pub(crate) code: String,
}

pub(crate) fn run(global: &GlobalArgs, args: &RuleArgs) -> anyhow::Result<Status> {
    let Some(r) = mlsc_audit::explain(&args.code) else {
        anyhow::bail!(
            "unknown finding code `{}` (docs/rules.md lists them all)",
            args.code
        );
    };
    let text = format!(
        "{} {}\n\n{}\n\ndefault severity: {}\ntags: {}\nemitted by: {}\n",
        r.rule.code,
        r.rule.name,
        r.rule.summary,
        r.rule.default_severity,
        r.rule.tags.join(", "),
        r.owner
    );
    output::write_output(global, text.as_bytes())?;
    Ok(Status::Clean)
}
