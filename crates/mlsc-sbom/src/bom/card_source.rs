//! Reading a model card with `mlsc_cards` (the one front-matter parser of the workspace) into [`CardFacts`].

use std::path::Path;

use mlsc_core::{Finding, Location, Severity};

use crate::bom::rules;

use crate::bom::card::{CardFacts, EvalResult};

/// Longest section text copied into a consideration; the card is the place for the rest.
const MAX_SECTION_CHARS: usize = 4000;

/// Largest card read (the Hub's own cards are well under 1 MB).
const MAX_CARD_BYTES: u64 = 8 << 20;

/// Headings of the Hub template, of the Trainer-generated cards and of older hand-written cards, per consideration.
const USE_CASES: &[&str] = &[
    "Direct Use",
    "Downstream Use",
    "Uses",
    "Intended uses & limitations",
    "Intended uses",
    "Intended use",
    "Model uses",
];
const USERS: &[&str] = &[
    "Intended users",
    "Primary intended users",
    "Who are the intended users",
];
// A section goes to one consideration only: the combined "bias and limitations" headings are risks.
const LIMITATIONS: &[&str] = &["Limitations", "Out-of-Scope Use", "Technical limitations"];
const RISKS: &[&str] = &[
    "Limitations and bias",
    "Limitations and Biases",
    "Bias",
    "Risks",
    "Ethical considerations",
    "Bias, Risks, and Limitations",
    "Risks and Limitations",
];
const MITIGATION: &[&str] = &["Recommendations"];
const ENVIRONMENT: &[&str] = &[
    "Environmental Impact",
    "Carbon emissions",
    "Environmental impact",
];

fn clip(text: &str) -> String {
    let t = text.trim();
    if t.chars().count() <= MAX_SECTION_CHARS {
        return t.to_owned();
    }
    let mut s: String = t.chars().take(MAX_SECTION_CHARS).collect();
    s.push('…');
    s
}

fn texts(card: &mlsc_cards::ModelCard, headings: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for h in headings {
        if let Some(s) = card.section(h)
            && !s.placeholder
            && !s.text.trim().is_empty()
        {
            let t = clip(&s.text);
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The facts of a parsed card.
pub(crate) fn facts(card: &mlsc_cards::ModelCard) -> CardFacts {
    let eval_results = card
        .eval_results
        .iter()
        .map(|r| EvalResult {
            task: Some(r.task_type.clone()),
            dataset: Some(r.dataset_name.clone()).filter(|s| !s.is_empty()),
            config: r.dataset_config.clone(),
            split: r.dataset_split.clone(),
            metric: r
                .metric_name
                .clone()
                .unwrap_or_else(|| r.metric_type.clone()),
            value: value_text(&r.metric_value),
        })
        .collect();
    let mut risks = texts(card, RISKS);
    let mitigation = texts(card, MITIGATION);
    if risks.is_empty() && !mitigation.is_empty() {
        risks.push("See the mitigation strategy".to_owned());
    }
    let mut facts = CardFacts {
        model_name: card.model_name.clone(),
        license: card.license.clone(),
        license_name: card.license_name.clone(),
        license_link: card.license_link.clone(),
        datasets: card.datasets.clone(),
        base_models: card.base_model.clone(),
        // Without a pipeline tag, the task of the first evaluation result says what the model does.
        pipeline_tag: card.pipeline_tag.clone().or_else(|| {
            card.eval_results
                .first()
                .map(|r| r.task_type.clone())
                .filter(|t| !t.is_empty())
        }),
        library_name: card.library_name.clone(),
        languages: card.language.clone(),
        eval_results,
        users: texts(card, USERS),
        use_cases: texts(card, USE_CASES),
        limitations: texts(card, LIMITATIONS),
        risks,
        environmental: texts(card, ENVIRONMENT),
        mitigation: mitigation.first().cloned(),
    };
    facts.datasets.retain(|d| !d.trim().is_empty());
    facts.base_models.retain(|d| !d.trim().is_empty());
    facts
}

/// Reads and parses the card at `path`; a card that cannot be parsed is a finding, and the BOM goes on without it.
pub(crate) fn read_card_file(path: &Path, findings: &mut Vec<Finding>) -> Option<CardFacts> {
    let display = path.display().to_string();
    let finding = |msg: String| {
        rules::UNREADABLE_CARD
            .finding_at(Severity::Low, msg)
            .at(Location::file(display.clone()))
    };
    match fs_err::metadata(path) {
        Ok(m) if m.len() > MAX_CARD_BYTES => {
            findings.push(finding(format!(
                "`{display}` is {} bytes, more than the {MAX_CARD_BYTES} read",
                m.len()
            )));
            return None;
        }
        Ok(_) => {}
        Err(e) => {
            findings.push(finding(format!("cannot read `{display}`: {e}")));
            return None;
        }
    }
    let bytes = match fs_err::read(path) {
        Ok(b) => b,
        Err(e) => {
            findings.push(finding(format!("cannot read `{display}`: {e}")));
            return None;
        }
    };
    match mlsc_cards::ModelCard::parse_bytes(&bytes) {
        Ok(card) => Some(facts(&card)),
        Err(e) => {
            findings.push(finding(format!("`{display}`: {e}")));
            None
        }
    }
}
