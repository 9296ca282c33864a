//! `mlsc card lint | score | init`: model-card and data-card auditing.

use std::fmt::Write as _;
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
        let text = lint_human(
            &report,
            output::Style::new(output::use_color(global)),
            global.quiet,
        );
        output::write_output(global, text.as_bytes())?;
    } else {
        output::emit_report(global, &report)?;
    }
    Ok(Status::of_report(&report, global.fail_on))
}

fn plural(n: usize, one: &str) -> String {
    match n {
        0 => format!("no {one}s"),
        1 => format!("1 {one}"),
        _ => format!("{n} {one}s"),
    }
}

/// `card lint` in words: each card with how many findings it has ("17 findings", "no findings"), never a
/// verdict word like "clean" above a list of findings; then errors and a summary.
fn lint_human(report: &mlsc_core::Report, style: output::Style, quiet: bool) -> String {
    let mut out = String::new();
    for artifact in &report.artifacts {
        let findings: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.location.path == artifact.path)
            .collect();
        if quiet && findings.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "{}  {}  {}",
            style.bold(&format!("`{}`", artifact.path)),
            style.dim(artifact.format.as_str()),
            plural(findings.len(), "finding")
        );
        for f in findings {
            output::write_finding(&mut out, f, style);
        }
    }
    // Findings about paths that are not cards themselves still get printed.
    let rest: Vec<_> = report
        .findings
        .iter()
        .filter(|f| !report.artifacts.iter().any(|a| a.path == f.location.path))
        .collect();
    for f in &rest {
        output::write_finding(&mut out, f, style);
    }
    for e in &report.errors {
        let _ = writeln!(
            out,
            "error: `{}`: {}",
            e.path.as_deref().unwrap_or("-"),
            e.message
        );
    }
    if !quiet {
        let c = report.statistics.by_severity;
        let _ = writeln!(
            out,
            "{} {} linted, {} ({} critical, {} high, {} medium, {} low, {} info); {} error(s)",
            style.bold("summary:"),
            plural(report.artifacts.len(), "card"),
            plural(report.findings.len(), "finding"),
            c.critical,
            c.high,
            c.medium,
            c.low,
            c.info,
            report.errors.len()
        );
    }
    out
}

fn score(global: &GlobalArgs, args: &ScoreArgs) -> anyhow::Result<Status> {
    let options = options(&args.source)?;
    let mut scores = Vec::new();
    let mut errors = Vec::new();
    for r in mlsc_cards::score_paths(&args.source.paths, &options) {
        match r {
            Ok(s) => scores.push(s),
            Err(e) => errors.push(e.to_string()),
        }
    }
    for p in &args.source.paths {
        if mlsc_cards::card_files(p).is_empty() {
            errors.push(format!("`{}`: no card found", p.display()));
        }
    }
    let below: Vec<&mlsc_cards::CardScore> = match args.min_score {
        Some(min) => scores.iter().filter(|s| s.score < min).collect(),
        None => Vec::new(),
    };
    let text = match global.format {
        OutputFormat::Json => {
            let doc = serde_json::json!({
                "command": "card score",
                "tool": {"name": "mlsc", "version": env!("CARGO_PKG_VERSION")},
                "min_score": args.min_score,
                "scores": scores,
                "errors": errors,
            });
            let mut s = serde_json::to_string_pretty(&doc)?;
            s.push('\n');
            s
        }
        OutputFormat::Human | OutputFormat::Markdown => {
            let style = output::Style::new(output::use_color(global));
            let mut s = String::new();
            for c in &scores {
                let _ = writeln!(
                    s,
                    "{} `{}` ({}): {}/100",
                    style.bold("score"),
                    c.path,
                    c.kind.as_str(),
                    c.score
                );
                if !global.quiet {
                    for d in &c.dimensions {
                        let _ = writeln!(s, "  {:<22} {:>3}", d.name, d.score);
                    }
                    if !c.missing.is_empty() {
                        let _ = writeln!(s, "  missing:");
                        for m in &c.missing {
                            let _ = writeln!(s, "    - {m}");
                        }
                    }
                }
            }
            for e in &errors {
                let _ = writeln!(s, "error: {e}");
            }
            if let Some(min) = args.min_score {
                let _ = writeln!(
                    s,
                    "{} of {} card(s) below --min-score {min}",
                    below.len(),
                    scores.len()
                );
            }
            s
        }
        other => anyhow::bail!(
            "`--format {}` is not available for `mlsc card score`: use human, json or markdown",
            output::format_name(other)
        ),
    };
    output::write_output(global, text.as_bytes())?;
    Ok(if !errors.is_empty() {
        Status::Error
    } else if !below.is_empty() {
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
