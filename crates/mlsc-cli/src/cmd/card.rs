//! `mlsc card lint | score | init`: model-card and data-card auditing.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, Subcommand, ValueEnum};

use crate::args::{GlobalArgs, OutputFormat};
use crate::exit::Status;
use crate::output;

/// Arguments of `mlsc card`.
#[derive(Debug, Args)]
pub(crate) struct CardArgs {
    #[command(subcommand)]
    pub(crate) command: CardCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CardCommand {
    /// Check model cards, dataset cards (README.md), Model Card Toolkit JSON and Croissant JSON-LD: metadata as
    /// the Hub reads it, template sections, and the audit questions. Exits 1 on findings at or above --fail-on.
    Lint(LintArgs),
    /// Score the completeness of cards by a documented rubric (missing or placeholder = 0), listing what is
    /// missing. Exits 1 when a card scores below --min-score.
    Score(ScoreArgs),
    /// Write a card skeleton for a model or dataset directory: files with sizes and SHA-256, formats, the
    /// licence file, config.json facts, and every gap marked [More Information Needed].
    Init(InitArgs),
}

/// Where cards come from and how they are read.
#[derive(Debug, Args)]
pub(crate) struct SourceArgs {
    /// Card files, or directories (their README.md, croissant*.json and *model_card*.json).
    #[arg(required = true, value_name = "FILE")]
    pub(crate) paths: Vec<PathBuf>,
    /// The kind of every card; by default detected from content and path.
    #[arg(long, value_enum)]
    pub(crate) kind: Option<KindArg>,
    /// Directory of Hugging Face Hub vocabularies (license-ids.txt, pipeline-tags.txt, library-names.txt,
    /// lang-iso639-*.txt). Without it, `$MLSC_HUB_DATA`, else a built-in subset.
    #[arg(long, value_name = "DIR", env = "MLSC_HUB_DATA")]
    pub(crate) hub_data: Option<PathBuf>,
    /// Directory of the Model Card Toolkit schemas (v0.0.1/, v0.0.2/ with model_card.schema.json). Without it,
    /// `$MLSC_MCT_SCHEMAS`; without either, toolkit cards get date checks only and an inconclusive verdict.
    #[arg(long, value_name = "DIR", env = "MLSC_MCT_SCHEMAS")]
    pub(crate) mct_schemas: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum KindArg {
    /// Hugging Face model card.
    Model,
    /// Hugging Face dataset card.
    Dataset,
    /// Google Model Card Toolkit JSON.
    Mct,
    /// MLCommons Croissant JSON-LD.
    Croissant,
}

/// Arguments of `mlsc card lint`.
#[derive(Debug, Args)]
pub(crate) struct LintArgs {
    #[command(flatten)]
    pub(crate) source: SourceArgs,
    /// Do not check template sections and placeholders.
    #[arg(long)]
    pub(crate) no_sections: bool,
    /// Do not run the audit questions (licence, uses, risks, evaluation, data, environment, maintenance).
    #[arg(long)]
    pub(crate) no_audit: bool,
}

/// Arguments of `mlsc card score`.
#[derive(Debug, Args)]
pub(crate) struct ScoreArgs {
    #[command(flatten)]
    pub(crate) source: SourceArgs,
    /// Exit 1 when a card scores below this (0–100).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=100))]
    pub(crate) min_score: Option<u32>,
}

/// Arguments of `mlsc card init`.
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// A model directory (Hugging Face layout).
    #[arg(
        long,
        value_name = "DIR",
        required_unless_present = "dataset",
        conflicts_with = "dataset"
    )]
    pub(crate) model: Option<PathBuf>,
    /// A dataset directory.
    #[arg(long, value_name = "DIR", required_unless_present = "model")]
    pub(crate) dataset: Option<PathBuf>,
    /// Replace the `-o` file when it exists. What its front matter states (licence, language, pipeline tag, …)
    /// is kept in the new card; its body is replaced by the skeleton's.
    #[arg(long)]
    pub(crate) force: bool,
}

pub(crate) fn run(global: &GlobalArgs, args: &CardArgs) -> anyhow::Result<Status> {
    match &args.command {
        CardCommand::Lint(a) => lint(global, a),
        CardCommand::Score(a) => score(global, a),
        CardCommand::Init(a) => init(global, a),
    }
}

fn options(source: &SourceArgs) -> anyhow::Result<mlsc_cards::LintOptions> {
    let mut options = mlsc_cards::LintOptions::default();
    options.kind = source.kind.map(|k| match k {
        KindArg::Model => mlsc_cards::CardKind::Model,
        KindArg::Dataset => mlsc_cards::CardKind::Dataset,
        KindArg::Mct => mlsc_cards::CardKind::ModelCardToolkit,
        KindArg::Croissant => mlsc_cards::CardKind::Croissant,
    });
    if let Some(dir) = &source.hub_data {
        options.vocabularies = mlsc_cards::Vocabularies::load(dir).with_context(|| {
            format!("cannot load the Hub vocabularies from `{}`", dir.display())
        })?;
    }
    if let Some(dir) = &source.mct_schemas {
        options.mct_schemas = Some(mlsc_cards::MctSchemas::load(dir).with_context(|| {
            format!(
                "cannot load the Model Card Toolkit schemas from `{}`",
                dir.display()
            )
        })?);
    }
    Ok(options)
}

fn lint(global: &GlobalArgs, args: &LintArgs) -> anyhow::Result<Status> {
    let mut options = options(&args.source)?;
    options.sections = !args.no_sections;
    options.audit = !args.no_audit;
    let report = mlsc_cards::lint_paths(&args.source.paths, &options);
    if global.format == OutputFormat::Human {
        let text = mlsc_cards::lint_human(
            &report,
            output::Style::new(output::use_color(global)),
            global.quiet,
        );
        output::write_output(global, text.as_bytes())?;
    } else {
        output::emit_report(global, &report, mlsc_cards::rules())?;
    }
    Ok(Status::of_report(&report, global.fail_on))
}

fn score(global: &GlobalArgs, args: &ScoreArgs) -> anyhow::Result<Status> {
    let set = mlsc_cards::ScoreSet::of_paths(&args.source.paths, &options(&args.source)?);
    let text = match global.format {
        OutputFormat::Json => {
            let mut s = serde_json::to_string_pretty(&set.to_json(args.min_score))?;
            s.push('\n');
            s
        }
        OutputFormat::Human | OutputFormat::Markdown => set.to_human(
            args.min_score,
            output::Style::new(output::use_color(global)),
            global.quiet,
        ),
        other => anyhow::bail!(
            "`--format {}` is not available for `mlsc card score`: use human, json or markdown",
            output::format_name(other)
        ),
    };
    output::write_output(global, text.as_bytes())?;
    Ok(if !set.errors.is_empty() {
        Status::Error
    } else if !set.below(args.min_score).is_empty() {
        Status::Findings
    } else {
        Status::Clean
    })
}

fn init(global: &GlobalArgs, args: &InitArgs) -> anyhow::Result<Status> {
    if !matches!(global.format, OutputFormat::Human | OutputFormat::Markdown) {
        anyhow::bail!(
            "`--format {}` is not available for `mlsc card init`: it writes a Markdown card; use human or markdown",
            output::format_name(global.format)
        );
    }
    // Read the existing card before the work, so that a refusal costs nothing and a card that cannot be read
    // is never replaced.
    let existing = match &global.output {
        Some(path) if path.exists() => {
            if !args.force {
                anyhow::bail!(
                    "`{}` exists: not replacing it. Use --force to replace it (what its front matter states is kept), or -o another file",
                    path.display()
                );
            }
            Some(fs_err::read(path).with_context(|| format!("cannot read `{}`", path.display()))?)
        }
        _ => None,
    };
    for dir in args.model.iter().chain(&args.dataset) {
        output::require_exists(dir)?;
    }
    let skeleton = match (&args.model, &args.dataset) {
        (Some(dir), _) => mlsc_cards::init_model(dir)?,
        (None, Some(dir)) => mlsc_cards::init_dataset(dir)?,
        (None, None) => anyhow::bail!("`mlsc card init` needs --model DIR or --dataset DIR"),
    };
    let text = match (&existing, &global.output) {
        (Some(bytes), Some(path)) => {
            mlsc_cards::merge_existing(&skeleton, bytes).with_context(|| {
                format!(
                    "not replacing `{}`: what it states could not be read",
                    path.display()
                )
            })?
        }
        _ => skeleton,
    };
    output::write_output(global, text.as_bytes())?;
    Ok(Status::Clean)
}
