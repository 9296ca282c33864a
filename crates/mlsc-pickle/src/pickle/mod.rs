//! The pickle analyser: a symbolic pickle machine over bytes or a reader. Nothing is imported or executed.

mod disasm;
mod input;
mod machine;
mod policy;
pub(crate) mod rules;
mod text;

use std::io::Read;

use mlsc_core::{Assessment, Completeness, Finding, Limits, Location, Severity, Verdict};

pub use self::disasm::{Disassembly, Instruction, Listing, disassemble};
pub use self::policy::Policy;
pub(crate) use self::rules::RULES;
// The config analyser rates `_target_`s with the same policy (crate::config).
pub(crate) use self::policy::{Class, canonical};

use self::input::{ReaderInput, SliceInput};
use self::machine::Machine;

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

/// One callable the stream invokes, as the unpickler resolves it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallSummary {
    /// The resolved dotted name (`posix.system`, `torch._utils._rebuild_tensor_v2`).
    pub callable: String,
    /// True when the policy allows it.
    pub allowed: bool,
    /// The offset of its first invocation.
    pub first_offset: u64,
    /// How many times it is invoked.
    pub count: u64,
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
    /// Every distinct callable invoked, allowed or not, in order of first invocation.
    pub calls: Vec<CallSummary>,
    /// Opcodes analysed.
    pub opcodes: u64,
}

fn finish(m: Machine<'_, '_>, end: u64) -> PickleAnalysis {
    let out = m.out;
    let assessment = match out.worst {
        Some(Severity::Critical | Severity::High) => Assessment::Malicious,
        Some(Severity::Medium) => Assessment::Suspicious,
        _ => Assessment::Clean,
    };
    let completeness = if out.inconclusive {
        Completeness::Inconclusive
    } else {
        Completeness::Complete
    };
    PickleAnalysis {
        findings: out.findings,
        verdict: Verdict::new(completeness, assessment),
        end: usize::try_from(end).unwrap_or(usize::MAX),
        calls: out.calls,
        opcodes: out.opcodes,
    }
}

/// Analyses a whole pickle stream: every pickle in it, one after another (junk between them is reported and
/// skipped to the next `PROTO` opcode).
///
/// ```
/// use mlsc_pickle::{AnalyseOptions, analyse_pickle};
/// let payload = b"cos\nsystem\n(S'id'\ntR.";
/// let a = analyse_pickle(payload, &AnalyseOptions::default());
/// assert_eq!(a.verdict.to_string(), "malicious");
/// assert!(a.findings[0].message.contains("posix.system"));
/// ```
pub fn analyse_pickle(data: &[u8], options: &AnalyseOptions) -> PickleAnalysis {
    let mut m = Machine::new(options, 0, Some(data));
    let mut input = SliceInput::new(data);
    // A slice never fails to read.
    let _ = m.run_stream(&mut input, false);
    finish(m, data.len() as u64)
}

/// Analyses the first pickle of `data`, up to and including its `STOP`; `end` is just past the `STOP` (or where
/// the analysis stopped).
pub fn analyse_one(data: &[u8], options: &AnalyseOptions) -> PickleAnalysis {
    let mut m = Machine::new(options, 0, Some(data));
    let mut input = SliceInput::new(data);
    let stop = m.run_stream(&mut input, true).ok().flatten();
    let end = stop.unwrap_or(input_offset(&input));
    finish(m, end)
}

fn input_offset(i: &SliceInput<'_>) -> u64 {
    use self::input::Input;
    i.offset()
}

/// Analyses a whole pickle stream from a reader in bounded memory (a buffer of 256 KiB plus the kept strings,
/// tuples and memo of the pickle), as [`analyse_pickle`] does for a slice.
///
/// ```
/// use mlsc_pickle::{AnalyseOptions, analyse_reader};
/// let payload: &[u8] = b"cos\nsystem\n(S'echo pwned'\ntR.";
/// let a = analyse_reader(payload, &AnalyseOptions::default()).unwrap();
/// assert_eq!(a.verdict.to_string(), "malicious");
/// ```
///
/// # Errors
/// When reading fails; the path in `options.location` is named.
pub fn analyse_reader<R: Read>(
    reader: R,
    options: &AnalyseOptions,
) -> Result<PickleAnalysis, crate::Error> {
    use self::input::Input;
    let mut m = Machine::new(options, 0, None);
    let mut input = ReaderInput::new(reader);
    m.run_stream(&mut input, false)
        .map_err(|source| crate::Error::Io {
            path: options.location.object(),
            source,
        })?;
    let end = input.offset();
    Ok(finish(m, end))
}
