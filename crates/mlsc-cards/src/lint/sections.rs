//! Section specs of model and dataset cards, the helpers that find and read sections, and the section check.

use super::*;

/// Alternatives that satisfy one expected section: any heading among them (normalised) counts.
pub(crate) struct SectionSpec {
    pub(crate) name: &'static str,
    pub(crate) headings: &'static [&'static str],
}

/// The official model-card template's required sections, each with the Trainer-generated (and common) headings
/// that serve the same purpose.
pub(super) const MODEL_SECTIONS: &[SectionSpec] = &[
    SectionSpec {
        name: "Model Details",
        headings: &[
            "model details",
            "model description",
            "model summary",
            "model overview",
            "overview",
            "description",
        ],
    },
    SectionSpec {
        name: "Uses",
        headings: &[
            "uses",
            "direct use",
            "intended uses & limitations",
            "intended uses",
            "intended use",
            "how to use",
            "usage",
            "intended uses and limitations",
        ],
    },
    SectionSpec {
        name: "Bias, Risks, and Limitations",
        headings: &[
            "bias risks and limitations",
            "limitations and bias",
            "limitations",
            "bias",
            "risks and limitations",
            "limitations and biases",
            "ethical considerations",
            "out of scope use",
        ],
    },
    SectionSpec {
        name: "How to Get Started with the Model",
        headings: &[
            "how to get started with the model",
            "how to use",
            "usage",
            "quick start",
            "quickstart",
            "example usage",
            "getting started",
        ],
    },
    SectionSpec {
        name: "Training Details",
        headings: &[
            "training details",
            "training procedure",
            "training data",
            "training and evaluation data",
            "training",
        ],
    },
    SectionSpec {
        name: "Evaluation",
        headings: &[
            "evaluation",
            "evaluation results",
            "training results",
            "results",
            "eval results",
            "benchmarks",
            "performance",
        ],
    },
    SectionSpec {
        name: "Environmental Impact",
        headings: &["environmental impact", "carbon emissions", "co2 emissions"],
    },
    SectionSpec {
        name: "Model Card Contact",
        headings: &[
            "model card contact",
            "contact",
            "model card authors",
            "authors",
            "maintainers",
        ],
    },
];

/// The dataset-card template's sections (current template and the older `datasets` guide's names).
pub(super) const DATASET_SECTIONS: &[SectionSpec] = &[
    SectionSpec {
        name: "Dataset Description",
        headings: &["dataset description", "dataset details", "dataset summary"],
    },
    SectionSpec {
        name: "Uses",
        headings: &[
            "uses",
            "direct use",
            "supported tasks and leaderboards",
            "intended use",
        ],
    },
    SectionSpec {
        name: "Dataset Structure",
        headings: &[
            "dataset structure",
            "data fields",
            "data instances",
            "data splits",
        ],
    },
    SectionSpec {
        name: "Curation Rationale",
        headings: &["curation rationale"],
    },
    SectionSpec {
        name: "Source Data",
        headings: &[
            "source data",
            "initial data collection and normalization",
            "data collection and processing",
            "who are the source data producers",
            "who are the source language producers",
        ],
    },
    SectionSpec {
        name: "Annotations",
        headings: &[
            "annotations",
            "annotation process",
            "who are the annotators",
        ],
    },
    SectionSpec {
        name: "Personal and Sensitive Information",
        headings: &["personal and sensitive information"],
    },
    SectionSpec {
        name: "Bias, Risks, and Limitations",
        headings: &[
            "bias risks and limitations",
            "discussion of biases",
            "other known limitations",
            "considerations for using the data",
            "social impact of dataset",
        ],
    },
    SectionSpec {
        name: "Licensing Information",
        headings: &["licensing information", "license", "licence", "licensing"],
    },
    SectionSpec {
        name: "Citation",
        headings: &["citation", "citation information"],
    },
];

/// Index of the first section whose normalised heading is among `headings`, and whether it (with its
/// subsections) is only placeholders.
pub(crate) fn find_sections<'s>(
    sections: &'s [Section],
    headings: &[&str],
) -> Vec<(usize, &'s Section)> {
    sections
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            let h = normalize_heading(&s.heading);
            headings.iter().any(|w| h == *w)
        })
        .collect()
}

/// True when section `i` and all its subsections are placeholders.
pub(crate) fn tree_is_placeholder(sections: &[Section], i: usize) -> bool {
    let level = sections[i].level;
    sections[i].placeholder
        && sections[i + 1..]
            .iter()
            .take_while(|s| s.level > level)
            .all(|s| s.placeholder)
}

/// The text of section `i` with its subsections.
pub(crate) fn tree_text(sections: &[Section], i: usize) -> String {
    let level = sections[i].level;
    let mut t = sections[i].text.clone();
    for s in sections[i + 1..].iter().take_while(|s| s.level > level) {
        t.push('\n');
        t.push_str(&s.text);
    }
    t
}

/// Found and filled: some matching section has content.
pub(crate) fn has_content(sections: &[Section], headings: &[&str]) -> bool {
    find_sections(sections, headings)
        .iter()
        .any(|(i, _)| !tree_is_placeholder(sections, *i))
}

/// Any section whose heading contains one of `words` has content.
pub(super) fn has_content_containing(sections: &[Section], words: &[&str]) -> bool {
    sections.iter().enumerate().any(|(i, s)| {
        let h = normalize_heading(&s.heading);
        words.iter().any(|w| h.contains(w)) && !tree_is_placeholder(sections, i)
    })
}

impl Ctx<'_> {
    /// Reports each expected section that is absent, or present with only placeholders.
    pub(super) fn sections(&self, sink: &mut Sink<'_>, specs: &[SectionSpec]) {
        let secs = &self.raw.sections;
        for spec in specs {
            let found = find_sections(secs, spec.headings);
            if found.is_empty() {
                sink.push(
                    &rules::SECTION_MISSING,
                    format!("no \"{}\" section (or an equivalent heading)", spec.name),
                    None,
                    None,
                );
            } else if found.iter().all(|(i, _)| tree_is_placeholder(secs, *i)) {
                let (_, s) = found[0];
                sink.push(
                    &rules::SECTION_PLACEHOLDER,
                    format!(
                        "section \"{}\" holds only a placeholder: counted as missing",
                        s.heading
                    ),
                    Some(s.line),
                    None,
                );
            }
        }
        // Every other placeholder section too, topmost only.
        let reported: HashSet<usize> = specs
            .iter()
            .flat_map(|spec| find_sections(secs, spec.headings))
            .map(|(i, _)| i)
            .collect();
        let mut covered_until_level: Option<u8> = None;
        for (i, s) in secs.iter().enumerate() {
            if let Some(l) = covered_until_level {
                if s.level > l {
                    continue;
                }
                covered_until_level = None;
            }
            if tree_is_placeholder(secs, i) {
                covered_until_level = Some(s.level);
                if !reported.contains(&i) {
                    sink.push(
                        &rules::SECTION_PLACEHOLDER,
                        format!(
                            "section \"{}\" holds only a placeholder: counted as missing",
                            s.heading
                        ),
                        Some(s.line),
                        None,
                    );
                }
            }
        }
    }
}
