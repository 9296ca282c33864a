//! Verdicts: how far a check got, and what it concluded.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How far the analysis of an artefact got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Completeness {
    /// Everything that could carry a threat was analysed.
    Complete,
    /// Something was not analysed: a limit was hit, a format is unsupported, a part was unreadable.
    Inconclusive,
    /// The artefact could not be analysed at all.
    Error,
}

/// What the analysis concluded from what it saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Assessment {
    /// Nothing of concern.
    Clean,
    /// Something unknown or unusual that needs a human look.
    Suspicious,
    /// Something known to be dangerous.
    Malicious,
}

/// The verdict on one artefact: *complete / inconclusive / error* × *clean / suspicious / malicious*.
///
/// Only complete and clean is clean: a budget hit, an unknown container or a parse error is never reported as safe.
///
/// ```
/// use mlsc_core::{Assessment, Completeness, Verdict};
///
/// assert!(Verdict::CLEAN.is_clean());
/// let partial = Verdict::new(Completeness::Inconclusive, Assessment::Clean);
/// assert!(!partial.is_clean());
/// assert_eq!(partial.to_string(), "inconclusive");
/// // Verdicts combine to the worse of each axis.
/// let v = partial.merge(Verdict::new(Completeness::Complete, Assessment::Malicious));
/// assert_eq!(v.to_string(), "inconclusive, malicious");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Verdict {
    /// How far the analysis got.
    pub completeness: Completeness,
    /// What it concluded.
    pub assessment: Assessment,
}

impl Verdict {
    /// Complete and clean.
    pub const CLEAN: Verdict = Verdict::new(Completeness::Complete, Assessment::Clean);

    /// A verdict from its two axes.
    pub const fn new(completeness: Completeness, assessment: Assessment) -> Self {
        Verdict {
            completeness,
            assessment,
        }
    }

    /// True only when the analysis was complete and found nothing.
    pub fn is_clean(self) -> bool {
        self == Verdict::CLEAN
    }

    /// The worse of `self` and `other` on each axis.
    #[must_use]
    pub fn merge(self, other: Verdict) -> Verdict {
        Verdict {
            completeness: self.completeness.max(other.completeness),
            assessment: self.assessment.max(other.assessment),
        }
    }

    /// This verdict, no better than `completeness`.
    #[must_use]
    pub fn at_most(self, completeness: Completeness) -> Verdict {
        Verdict {
            completeness: self.completeness.max(completeness),
            assessment: self.assessment,
        }
    }

    /// This verdict, no better than `assessment`.
    #[must_use]
    pub fn at_least(self, assessment: Assessment) -> Verdict {
        Verdict {
            completeness: self.completeness,
            assessment: self.assessment.max(assessment),
        }
    }
}

impl Default for Verdict {
    fn default() -> Self {
        Verdict::CLEAN
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = match self.completeness {
            Completeness::Complete => None,
            Completeness::Inconclusive => Some("inconclusive"),
            Completeness::Error => Some("error"),
        };
        let a = match self.assessment {
            Assessment::Clean => None,
            Assessment::Suspicious => Some("suspicious"),
            Assessment::Malicious => Some("malicious"),
        };
        match (c, a) {
            (None, None) => f.write_str("clean"),
            (Some(c), None) => f.write_str(c),
            (None, Some(a)) => f.write_str(a),
            (Some(c), Some(a)) => write!(f, "{c}, {a}"),
        }
    }
}
