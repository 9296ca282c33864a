//! The exit status, as a type: 0 clean, 1 findings at or above the threshold, 2 usage, I/O or internal error.

/// What `mlsc` exits with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Status {
    /// 0: nothing at or above the threshold, everything analysed.
    Clean,
    /// 1: findings at or above the threshold, or something not analysed completely.
    Findings,
    /// 2: usage, I/O or internal error. Never 1: a CI must not read "vulnerable" when we could not look.
    Error,
}

impl Status {
    /// The status for a report at threshold `fail_on`.
    pub(crate) fn of_report(report: &mlsc_core::Report, fail_on: mlsc_core::Severity) -> Status {
        if !report.errors.is_empty() {
            Status::Error
        } else if report.fails(fail_on) {
            Status::Findings
        } else {
            Status::Clean
        }
    }
}
