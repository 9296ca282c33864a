//! The pickle analyser: a symbolic pickle machine over bytes. PROVISIONAL STUB: the API is fixed, the
//! implementation is being written (issue 3); until then every stream is reported as not analysed.

use mlsc_core::{Completeness, Finding, Limits, Location, Rule, Severity, Verdict};

/// The finding codes of the pickle analyser.
pub(crate) const RULES: &[Rule] = &[Rule {
    code: "MLSC-PKL-000",
    name: "pickle-not-analysed",
    default_severity: Severity::Medium,
    summary: "A pickle stream was not analysed, so its safety is unknown",
    tags: &["owasp-ml:ML06"],
}];

/// Which callables a pickle may invoke: allowlist profiles, deny list, user additions.
#[derive(Debug, Clone, Default)]
pub struct Policy {}

/// Options of one analysis.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct AnalyseOptions {
    /// The policy. By default, the built-in profiles.
    pub policy: Policy,
    /// Resource limits. By default, [`Limits::default`].
    pub limits: Limits,
    /// Where the bytes come from (file and archive members); findings add their byte offset to it.
    /// By default, an empty location.
    pub location: Location,
}

/// What the analysis of a pickle stream found.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct PickleAnalysis {
    /// The findings, with byte offsets relative to the start of `data`.
    pub findings: Vec<Finding>,
    /// The verdict on the stream.
    pub verdict: Verdict,
    /// The offset just past the last opcode analysed (past `STOP` for [`analyse_one`]).
    pub end: usize,
}

/// Analyses a whole pickle stream: every pickle in it, one after another.
pub fn analyse_pickle(data: &[u8], options: &AnalyseOptions) -> PickleAnalysis {
    analyse_one(data, options)
}

/// Analyses the first pickle of `data`, up to and including its `STOP`.
pub fn analyse_one(data: &[u8], options: &AnalyseOptions) -> PickleAnalysis {
    PickleAnalysis {
        findings: vec![
            Finding::new(
                "MLSC-PKL-000",
                Severity::Medium,
                "pickle not analysed",
                "the pickle analyser is not implemented yet",
            )
            .at(options.location.clone().at_offset(0)),
        ],
        verdict: Verdict::CLEAN.at_most(Completeness::Inconclusive),
        end: data.len(),
    }
}
