//! The symbolic pickle machine: runs the opcodes the way CPython's unpickler does, on symbolic values, and records
//! every import and invocation. Nothing is imported or executed.
//!
//! Speed: values are 16-byte `Copy` enums; strings of up to 14 bytes live inside the value, longer ones in one
//! arena per pickle, arguments longer than `Limits::max_string` are skipped, never copied. Instances made by
//! allowlisted callables carry no record, so a benign stream allocates nothing per opcode once its vectors are warm.

use std::collections::HashMap;
use std::io;

use mlsc_core::pickle_ops::op;
use mlsc_core::{Finding, Location, Rule, Severity};

use super::input::{Input, SliceInput};
use super::policy::{Class, canonical, compat_map};
use super::rules::*;
use super::text::{escape_decode, py_repr_bytes, py_repr_str, raw_unicode_escape};
use super::{AnalyseOptions, CallSummary};

/// Strings up to this long are kept inside the value.
const INLINE: usize = 14;
/// Longest string kept as a possible name.
const NAME_MAX: usize = 1024;
/// Bytes of kept strings per pickle beyond which longer strings are skipped (then only a slice input can look back).
const ARENA_BUDGET: usize = 32 << 20;
/// Tuple elements kept per pickle for call-chain evidence and name resolution.
const TUPLE_BUDGET: usize = 1 << 20;
/// Tuples longer than this are opaque.
const TUPLE_MAX: usize = 16;
/// Findings emitted per global before further invocations are only counted.
const PER_GLOBAL: u32 = 3;
/// Findings per stream beyond which only the verdict is updated.
const MAX_FINDINGS: usize = 2000;
/// Longest rendered call chain.
const CHAIN_MAX: usize = 300;

#[derive(Clone, Copy, Debug)]
pub(crate) struct Short {
    len: u8,
    buf: [u8; INLINE],
}

/// A symbolic value. Containers are opaque: what matters is what gets imported and invoked.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Value {
    Hole,
    None,
    Bool(bool),
    Int(i64),
    BigInt,
    Float,
    ShortStr(Short),
    ShortBytes(Short),
    Str(u32, u32),
    Bytes(u32, u32),
    /// A string or bytes too long to keep: index into `longs`.
    Long(u32),
    /// A string or bytes that is no name: where it is in the input (readable again only from a slice).
    /// `lost` is set when it looked like a name but the kept-string budget was spent.
    Span {
        bytes: bool,
        lost: bool,
        len: u32,
        off: u64,
    },
    Tuple(u32, u32),
    OpaqueTuple,
    List,
    Dict(u32),
    Set,
    /// An imported global (or a name resolved at load time): index into `globals`.
    Global(u32),
    /// The result of invoking something not allowlisted: index into `calls`.
    Call(u32),
    /// An instance made by an allowlisted global.
    Obj(u32),
    /// A `numpy.dtype`: index into `dtypes`.
    Dtype(u32),
    Persid,
    Buffer,
}

/// Semantics the machine knows for a few callables, to resolve names computed at load time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Special {
    None,
    Getattr,
    ImportModule,
    Import,
    ResolveName,
    Attrgetter,
    Methodcaller,
    Vars,
    Lookup,
    Partial,
    Loads,
    NumpyDtype,
    JoblibWrapper,
    Reconstructor,
    AddExtension,
    /// `cloudpickle`'s `_builtin_type(name)`: `getattr(types, name)`.
    BuiltinType,
}

fn special_of(name: &str) -> Special {
    match name {
        "builtins.getattr" => Special::Getattr,
        "importlib.import_module" | "importlib.__import__" => Special::ImportModule,
        "builtins.__import__" => Special::Import,
        "pkgutil.resolve_name" | "pydoc.locate" | "pydoc.resolve" => Special::ResolveName,
        "operator.attrgetter" | "_operator.attrgetter" => Special::Attrgetter,
        "operator.methodcaller" | "_operator.methodcaller" => Special::Methodcaller,
        "builtins.vars" => Special::Vars,
        "builtins.dict.get"
        | "builtins.dict.__getitem__"
        | "builtins.dict.pop"
        | "operator.getitem"
        | "_operator.getitem"
        | "builtins.dict.setdefault" => Special::Lookup,
        // MethodType(f, obj) binds like partial(f, obj): judged by f, and calling it calls f.
        "functools.partial" | "_functools.partial" | "types.MethodType" => Special::Partial,
        "pickle.loads"
        | "pickle._loads"
        | "_pickle.loads"
        | "cPickle.loads"
        | "dill.loads"
        | "cloudpickle.loads"
        | "numpy.loads"
        | "numpy.core.numeric.loads"
        | "torch.storage._load_from_bytes"
        | "joblib.loads"
        | "dill._dill.loads"
        | "cloudpickle.cloudpickle.loads"
        | "pandas.compat.pickle_compat.loads"
        | "torch.utils._config_module.ConfigModule.load_config"
        | "torch.utils.data.datapipes.utils.decoder.basichandlers"
        | "torch.utils.data.datapipes.utils.decoder.Decoder"
        | "torchdata.datapipes.utils.decoder.basichandlers"
        | "srsly.pickle_loads"
        | "srsly._pickle_api.pickle_loads"
        | "spacy.tokens.doc.unpickle_doc"
        | "spacy.vocab.unpickle_vocab" => Special::Loads,
        "numpy.dtype" => Special::NumpyDtype,
        "joblib.numpy_pickle.NumpyArrayWrapper" => Special::JoblibWrapper,
        "copyreg._reconstructor" | "copyreg.__newobj__" | "copyreg.__newobj_ex__" => {
            Special::Reconstructor
        }
        "copyreg.add_extension" => Special::AddExtension,
        "cloudpickle.cloudpickle._builtin_type" | "cloudpickle.cloudpickle_fast._builtin_type" => {
            Special::BuiltinType
        }
        _ => Special::None,
    }
}

#[derive(Debug)]
struct GlobalRec {
    /// The resolved dotted name (after `_compat_pickle`), `os.system`.
    full: String,
    /// How the stream wrote it, when that differs (`__builtin__.eval`).
    written: Option<String>,
    /// The interpreter's name, when it differs (`posix.system`).
    canonical: Option<String>,
    /// Where attribute traversal starts in `full`, for dotted names.
    class: Class,
    dunder: bool,
    special: Special,
    offset: u64,
    opcode: &'static str,
    /// How a resolved name was reached (`builtins.getattr(importlib.import_module('os'), 'system')`).
    via: Option<String>,
    invoked: u32,
    passed: bool,
    summary: Option<usize>,
    /// True for module objects (`importlib.import_module('os')`).
    module_only: bool,
    /// Allowlisted for NEWOBJ only (`@new` in its profile): calling it runs an __init__ that can reach files.
    new_only: bool,
    /// Used only as the object of a getattr that reached an allowlisted name (`getattr(zoneinfo.ZoneInfo,
    /// '_unpickle')`): importing it is then no finding of its own.
    stepped: bool,
}

impl GlobalRec {
    fn display(&self) -> String {
        let mut s = self.full.clone();
        if let Some(c) = &self.canonical {
            s = format!("{c} ({})", self.full);
        }
        if let Some(w) = &self.written {
            s.push_str(&format!(", written `{w}`"));
        }
        s
    }
    fn allowed(&self) -> bool {
        self.class == Class::Allowed
    }
}

#[derive(Debug, Clone, Copy)]
struct CallRec {
    callee: Value,
    args: Value,
}

#[derive(Debug, Clone, Copy, Default)]
struct DtypeInfo {
    itemsize: Option<u64>,
    object: bool,
    /// Sized per element by BUILD state (`U`, `S`, `V`).
    flexible: bool,
}

#[derive(Debug, Clone, Copy, Default)]
struct JoblibFields {
    count: Option<u64>,
    dtype: Option<u32>,
    align: Option<i64>,
}

/// How one pickle ended.
#[derive(Debug)]
pub(crate) enum End {
    /// STOP at this offset.
    Stop,
    /// The input ended before any opcode.
    Empty,
    /// The input ended inside the pickle.
    Truncated(u64, &'static str),
    /// An opcode that the unpickler would reject.
    Malformed(u64, String),
    /// A resource limit.
    Limit(u64, String),
}

/// What an analysis gathered, shared by the pickles of one stream and nested analyses.
#[derive(Debug, Default)]
pub(crate) struct Out {
    pub(crate) findings: Vec<Finding>,
    pub(crate) inconclusive: bool,
    pub(crate) worst: Option<Severity>,
    pub(crate) calls: Vec<CallSummary>,
    call_index: HashMap<String, usize>,
    pub(crate) opcodes: u64,
    suppressed: u64,
}

impl Out {
    pub(crate) fn push(&mut self, f: Finding) {
        if self.worst.is_none_or(|w| f.severity > w) {
            self.worst = Some(f.severity);
        }
        if self.findings.len() < MAX_FINDINGS {
            self.findings.push(f);
        } else {
            self.suppressed += 1;
        }
    }

    fn summary(&mut self, name: &str, allowed: bool, offset: u64) -> usize {
        if let Some(&i) = self.call_index.get(name) {
            return i;
        }
        let i = self.calls.len();
        self.calls.push(CallSummary {
            callable: name.to_owned(),
            allowed,
            first_offset: offset,
            count: 0,
        });
        self.call_index.insert(name.to_owned(), i);
        i
    }
}

/// The machine. One per stream; its per-pickle state is reset at each pickle.
pub(crate) struct Machine<'o, 'd> {
    opts: &'o AnalyseOptions,
    /// The whole input when it is a slice: strings that are not names are kept as spans into it, never copied.
    whole: Option<&'d [u8]>,
    depth: u32,
    stack: Vec<Value>,
    marks: Vec<usize>,
    /// Memo slots: an index into `memo_vals`, or one of the `slot` kinds for values that carry nothing the
    /// analysis needs (4 bytes per entry instead of 16: a benign stream memoizes millions).
    memo: Vec<u32>,
    memo_vals: Vec<Value>,
    /// Memoized short strings: a tag byte (length, 0x80 for bytes) and the bytes.
    memo_short: Vec<u8>,
    memo_sparse: HashMap<u64, Value>,
    memo_len: u64,
    arena: Vec<u8>,
    longs: Vec<(u64, u64, bool)>,
    tuples: Vec<Value>,
    globals: Vec<GlobalRec>,
    gindex: HashMap<String, u32>,
    calls: Vec<CallRec>,
    dtypes: Vec<DtypeInfo>,
    dicts: u32,
    joblib: HashMap<u32, JoblibFields>,
    ext: HashMap<i64, u32>,
    proto: u8,
    persid_reported: bool,
    /// A `NumpyArrayWrapper` was imported: dict fields are tracked for the array layout.
    joblib_seen: bool,
    pub(crate) out: Out,
    /// Offset added to locations (nested pickles report at the offset of the bytes that hold them).
    nested_at: Option<(u64, String)>,
    /// Payloads already analysed as nested pickles, by identity (where the bytes are), so that a memoized payload
    /// handed to a loader a million times costs one analysis: nested work stays linear in the input.
    nested_seen: std::collections::HashSet<(u8, u64, u64)>,
}

type Step<T> = Result<T, End>;

macro_rules! need {
    ($buf:expr, $n:expr, $off:expr, $what:expr) => {
        if $buf.len() < $n {
            return Ok(Err(End::Truncated($off, $what)));
        }
    };
}

/// Propagates an `End` out of a step.
macro_rules! tri {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(end) => return Ok(Err(end)),
        }
    };
}

mod joblib;
mod judge;
mod memo;
mod nested;

impl<'o, 'd> Machine<'o, 'd> {
    pub(crate) fn new(opts: &'o AnalyseOptions, depth: u32, whole: Option<&'d [u8]>) -> Self {
        Machine {
            opts,
            whole,
            depth,
            stack: Vec::with_capacity(256),
            marks: Vec::with_capacity(64),
            memo: Vec::new(),
            memo_vals: Vec::new(),
            memo_short: Vec::new(),
            memo_sparse: HashMap::new(),
            memo_len: 0,
            arena: Vec::new(),
            longs: Vec::new(),
            tuples: Vec::new(),
            globals: Vec::new(),
            gindex: HashMap::new(),
            calls: Vec::new(),
            dtypes: Vec::new(),
            dicts: 0,
            joblib: HashMap::new(),
            ext: HashMap::new(),
            proto: 0,
            persid_reported: false,
            joblib_seen: false,
            out: Out::default(),
            nested_at: None,
            nested_seen: std::collections::HashSet::new(),
        }
    }

    fn reset(&mut self) {
        self.stack.clear();
        self.marks.clear();
        self.memo.clear();
        self.memo_vals.clear();
        self.memo_short.clear();
        self.memo_sparse.clear();
        self.memo_len = 0;
        self.arena.clear();
        self.longs.clear();
        self.tuples.clear();
        self.globals.clear();
        self.gindex.clear();
        self.calls.clear();
        self.dtypes.clear();
        self.dicts = 0;
        self.joblib.clear();
        self.ext.clear();
        self.proto = 0;
        self.persid_reported = false;
        self.joblib_seen = false;
        self.nested_seen.clear();
    }

    pub(crate) fn location(&self, offset: u64) -> Location {
        let at = self.nested_at.as_ref().map_or(offset, |(o, _)| *o);
        self.opts.location.clone().at_offset(at)
    }

    pub(crate) fn finding(
        &mut self,
        rule: &'static Rule,
        severity: Severity,
        offset: u64,
        message: String,
    ) {
        self.finding_with(rule, severity, offset, message, None);
    }

    /// A finding whose evidence says which list or rule decided it.
    pub(crate) fn finding_with(
        &mut self,
        rule: &'static Rule,
        severity: Severity,
        offset: u64,
        message: String,
        evidence: Option<String>,
    ) {
        let message = match &self.nested_at {
            Some((_, ctx)) => format!("{ctx}: {message} (offset {offset} of the nested pickle)"),
            None => message,
        };
        let mut f = rule.finding_at(severity, message).at(self.location(offset));
        f.evidence = evidence;
        self.out.push(f);
    }

    /// What decided about a global, for a finding's evidence.
    fn decided(&self, g: usize) -> String {
        let rec = &self.globals[g];
        if rec.dunder {
            return "decided by: the dunder-attribute rule (a dotted name through __x__ attributes)".to_owned();
        }
        let name = rec.canonical.as_deref().unwrap_or(&rec.full);
        format!("decided by: {}", self.opts.policy.decided_by(name))
    }

    // ----- the stack -------------------------------------------------------------------------------------------

    /// Analyses pickles one after another until the input ends (or after one when `one`).
    /// Returns the offset just past the last STOP, if any.
    pub(crate) fn run_stream<I: Input>(
        &mut self,
        inp: &mut I,
        one: bool,
    ) -> io::Result<Option<u64>> {
        let mut pickles = 0u32;
        let mut last_stop = None;
        let mut trailing_reported = false;
        loop {
            let start = inp.offset();
            let end = self.run_one(inp)?;
            self.report_imports();
            match end {
                End::Stop => {
                    pickles += 1;
                    last_stop = Some(inp.offset());
                    if pickles == 2 {
                        self.finding(
                            &STACKED_PICKLES,
                            Severity::Info,
                            start,
                            format!("a second pickle starts at offset {start} after the first one's STOP"),
                        );
                    }
                    if one {
                        return Ok(last_stop);
                    }
                }
                End::Empty => {
                    if pickles == 0 {
                        // `pickle.load` of nothing raises EOFError: there is no pickle to call clean.
                        self.finding(
                            &TRUNCATED_PICKLE,
                            Severity::Medium,
                            start,
                            "the stream is empty: it holds no pickle".to_owned(),
                        );
                        self.out.inconclusive = true;
                    }
                    return Ok(last_stop);
                }
                End::Limit(off, what) => {
                    self.finding(
                        &PICKLE_NOT_FULLY_ANALYSED,
                        Severity::Medium,
                        off,
                        format!("analysis stopped: {what}"),
                    );
                    self.out.inconclusive = true;
                    return Ok(last_stop);
                }
                End::Truncated(off, what) => {
                    if pickles > 0 {
                        if !trailing_reported {
                            self.finding(
                                &DATA_AFTER_STOP,
                                Severity::Low,
                                start,
                                format!("{} bytes after STOP at offset {start} are not a pickle (the stream ends {what} at offset {off})", inp.offset().saturating_sub(start).max(1)),
                            );
                        }
                    } else {
                        self.finding(
                            &TRUNCATED_PICKLE,
                            Severity::Medium,
                            off,
                            format!("the pickle that starts at offset {start} ends {what} at offset {off}, before its STOP"),
                        );
                        self.out.inconclusive = true;
                    }
                    return Ok(last_stop);
                }
                End::Malformed(off, what) => {
                    if pickles > 0 && self.globals.is_empty() {
                        if !trailing_reported {
                            trailing_reported = true;
                            self.finding(
                                &DATA_AFTER_STOP,
                                Severity::Low,
                                start,
                                format!("data after STOP at offset {start} is not a pickle: {what} at offset {off}"),
                            );
                        }
                    } else {
                        self.finding(
                            &MALFORMED_PICKLE,
                            Severity::Medium,
                            off,
                            format!("malformed pickle: {what}"),
                        );
                        self.out.inconclusive = true;
                    }
                    if one {
                        return Ok(last_stop);
                    }
                    // Look for the next pickle: a PROTO opcode with a known protocol.
                    if !resync(inp, off)? {
                        return Ok(last_stop);
                    }
                    // Count what follows as a further pickle for the trailing-data rules.
                    pickles = pickles.max(1);
                }
            }
        }
    }

    fn run_one<I: Input>(&mut self, inp: &mut I) -> io::Result<End> {
        self.reset();
        let first = inp.fill(1)?;
        if first.is_empty() {
            return Ok(End::Empty);
        }
        loop {
            match self.step(inp)? {
                Ok(None) => {}
                Ok(Some(())) => return Ok(End::Stop),
                Err(end) => return Ok(end),
            }
        }
    }

    /// One opcode. `Ok(Ok(Some(())))` at STOP.
    #[inline(always)]
    fn step<I: Input>(&mut self, inp: &mut I) -> io::Result<Step<Option<()>>> {
        let off = inp.offset();
        self.out.opcodes += 1;
        // Every opcode reads at least one byte, so the budget follows the input: the configured limit or the
        // bytes read so far (with slack for joblib's nested object-array pickles), whichever is more.
        if self.out.opcodes > self.opts.limits.max_opcodes
            && self.out.opcodes > off.saturating_mul(2).saturating_add(16)
        {
            return Ok(Err(End::Limit(
                off,
                format!("more than {} opcodes", self.opts.limits.max_opcodes),
            )));
        }
        let buf = inp.fill(9)?;
        if buf.is_empty() {
            return Ok(Err(End::Truncated(off, "before its STOP")));
        }
        let code = buf[0];
        macro_rules! fixed {
            ($n:literal) => {{
                need!(buf, 1 + $n, off, "inside an opcode argument");
                let mut a = [0u8; 8];
                a[..$n].copy_from_slice(&buf[1..1 + $n]);
                inp.consume(1 + $n);
                u64::from_le_bytes(a)
            }};
        }
        match code {
            // --- hot, argument-free opcodes ---
            op::MARK => {
                inp.consume(1);
                if (self.stack.len() + self.marks.len()) as u64 >= self.stack_budget(off) {
                    return Ok(Err(End::Limit(off, "the stack exceeds its limit".into())));
                }
                self.marks.push(self.stack.len());
            }
            op::MEMOIZE => {
                inp.consume(1);
                let idx = self.memo_len;
                tri!(self.memo_put(idx, off));
            }
            op::BININT1 => {
                let v = fixed!(1);
                tri!(self.push(Value::Int(v as i64), off));
            }
            op::BININT2 => {
                let v = fixed!(2);
                tri!(self.push(Value::Int(v as i64), off));
            }
            op::BININT => {
                let v = fixed!(4);
                tri!(self.push(Value::Int(i64::from(v as u32 as i32)), off));
            }
            op::BINFLOAT => {
                let _ = fixed!(8);
                tri!(self.push(Value::Float, off));
            }
            op::NONE => {
                inp.consume(1);
                tri!(self.push(Value::None, off));
            }
            op::NEWTRUE | op::NEWFALSE => {
                inp.consume(1);
                tri!(self.push(Value::Bool(code == op::NEWTRUE), off));
            }
            op::EMPTY_TUPLE => {
                inp.consume(1);
                tri!(self.push(Value::Tuple(0, 0), off));
            }
            op::EMPTY_LIST => {
                inp.consume(1);
                tri!(self.push(Value::List, off));
            }
            op::EMPTY_DICT => {
                inp.consume(1);
                self.dicts += 1;
                tri!(self.push(Value::Dict(self.dicts), off));
            }
            op::EMPTY_SET => {
                inp.consume(1);
                tri!(self.push(Value::Set, off));
            }
            op::BINPUT => {
                let idx = fixed!(1);
                tri!(self.memo_put(idx, off));
            }
            op::LONG_BINPUT => {
                let idx = fixed!(4);
                if idx & 0x8000_0000 != 0 {
                    return Ok(Err(End::Malformed(
                        off,
                        "negative LONG_BINPUT argument".into(),
                    )));
                }
                tri!(self.memo_put(idx, off));
            }
            op::BINGET => {
                let idx = fixed!(1);
                let v = self.memo_lookup(idx);
                if let Value::Hole = v {
                    return Ok(Err(End::Malformed(
                        off,
                        format!("memo entry {} was never stored", idx),
                    )));
                }
                tri!(self.push(v, off));
            }
            op::LONG_BINGET => {
                let idx = fixed!(4);
                let v = self.memo_lookup(idx);
                if let Value::Hole = v {
                    return Ok(Err(End::Malformed(
                        off,
                        format!("memo entry {} was never stored", idx),
                    )));
                }
                tri!(self.push(v, off));
            }
            op::SHORT_BINUNICODE | op::SHORT_BINSTRING | op::SHORT_BINBYTES => {
                need!(buf, 2, off, "inside an opcode argument");
                let len = usize::from(buf[1]);
                inp.consume(2);
                let v = tri!(self.counted(inp, len as u64, code == op::SHORT_BINBYTES, off)?);
                tri!(self.push(v, off));
            }
            op::BINUNICODE | op::BINSTRING | op::BINBYTES => {
                let len = fixed!(4);
                if code == op::BINSTRING && len & 0x8000_0000 != 0 {
                    return Ok(Err(End::Malformed(
                        off,
                        "BINSTRING with a negative length".into(),
                    )));
                }
                let v = tri!(self.counted(inp, len, code == op::BINBYTES, off)?);
                tri!(self.push(v, off));
            }
            op::BINUNICODE8 | op::BINBYTES8 | op::BYTEARRAY8 => {
                let len = fixed!(8);
                let v = tri!(self.counted(inp, len, code != op::BINUNICODE8, off)?);
                tri!(self.push(v, off));
            }
            op::LONG1 => {
                need!(buf, 2, off, "inside an opcode argument");
                let len = usize::from(buf[1]);
                need!(buf, 2 + len.min(7), off, "inside a LONG1 argument");
                let v = if len <= 7 && buf.len() >= 2 + len {
                    Value::Int(small_long(&buf[2..2 + len]))
                } else {
                    Value::BigInt
                };
                inp.consume(2);
                if inp.skip(len as u64)? < len as u64 {
                    return Ok(Err(End::Truncated(off, "inside a LONG1 argument")));
                }
                tri!(self.push(v, off));
            }
            op::LONG4 => {
                let len = fixed!(4);
                if len & 0x8000_0000 != 0 {
                    return Ok(Err(End::Malformed(
                        off,
                        "LONG4 with a negative length".into(),
                    )));
                }
                if inp.skip(len)? < len {
                    return Ok(Err(End::Truncated(off, "inside a LONG4 argument")));
                }
                tri!(self.push(Value::BigInt, off));
            }
            op::FRAME => {
                let _ = fixed!(8);
            }
            op::PROTO => {
                let p = fixed!(1);
                if p > 5 {
                    return Ok(Err(End::Malformed(
                        off,
                        format!("unsupported pickle protocol {p}"),
                    )));
                }
                self.proto = p as u8;
            }
            op::STOP => {
                inp.consume(1);
                tri!(self.pop(off, "STOP"));
                return Ok(Ok(Some(())));
            }
            op::POP => {
                inp.consume(1);
                if self.stack.len() > self.fence() {
                    self.stack.pop();
                } else {
                    let m = tri!(self.pop_mark(off, "POP"));
                    self.stack.truncate(m);
                }
            }
            op::POP_MARK => {
                inp.consume(1);
                let m = tri!(self.pop_mark(off, "POP_MARK"));
                self.stack.truncate(m);
            }
            op::DUP => {
                inp.consume(1);
                let v = *tri!(self.top(off, "DUP"));
                tri!(self.push(v, off));
            }
            op::APPEND => {
                inp.consume(1);
                let v = tri!(self.pop(off, "APPEND"));
                let t = *tri!(self.top(off, "APPEND"));
                self.mutate(t, "APPEND", Some(v), off);
            }
            op::APPENDS => {
                inp.consume(1);
                let m = tri!(self.pop_mark(off, "APPENDS"));
                self.stack.truncate(m);
                let t = *tri!(self.top(off, "APPENDS"));
                self.mutate(t, "APPENDS", None, off);
            }
            op::ADDITEMS => {
                inp.consume(1);
                let m = tri!(self.pop_mark(off, "ADDITEMS"));
                self.stack.truncate(m);
                let t = *tri!(self.top(off, "ADDITEMS"));
                self.mutate(t, "ADDITEMS", None, off);
            }
            op::SETITEM => {
                inp.consume(1);
                let v = tri!(self.pop(off, "SETITEM"));
                let k = tri!(self.pop(off, "SETITEM"));
                let t = *tri!(self.top(off, "SETITEM"));
                self.setitem(t, k, v, off);
            }
            op::SETITEMS => {
                inp.consume(1);
                let m = tri!(self.pop_mark(off, "SETITEMS"));
                if m <= self.fence() {
                    return Ok(Err(End::Malformed(
                        off,
                        "SETITEMS without a dict below its MARK".into(),
                    )));
                }
                let t = self.stack[m - 1];
                let mut i = m;
                while i + 1 < self.stack.len() {
                    let (k, v) = (self.stack[i], self.stack[i + 1]);
                    self.setitem(t, k, v, off);
                    i += 2;
                }
                self.stack.truncate(m);
            }
            op::DICT => {
                inp.consume(1);
                let m = tri!(self.pop_mark(off, "DICT"));
                self.dicts += 1;
                let d = Value::Dict(self.dicts);
                let mut i = m;
                while i + 1 < self.stack.len() {
                    let (k, v) = (self.stack[i], self.stack[i + 1]);
                    self.setitem(d, k, v, off);
                    i += 2;
                }
                self.stack.truncate(m);
                tri!(self.push(d, off));
            }
            op::LIST => {
                inp.consume(1);
                let m = tri!(self.pop_mark(off, "LIST"));
                self.stack.truncate(m);
                tri!(self.push(Value::List, off));
            }
            op::FROZENSET => {
                inp.consume(1);
                let m = tri!(self.pop_mark(off, "FROZENSET"));
                self.stack.truncate(m);
                tri!(self.push(Value::Set, off));
            }
            op::TUPLE => {
                inp.consume(1);
                let m = tri!(self.pop_mark(off, "TUPLE"));
                let t = self.make_tuple(m);
                tri!(self.push(t, off));
            }
            op::TUPLE1..=op::TUPLE3 => {
                inp.consume(1);
                let n = usize::from(code - op::EXT4);
                if self.stack.len() < self.fence() + n {
                    return Ok(Err(End::Malformed(
                        off,
                        "TUPLE1/2/3 pops from an empty stack (stack underflow)".into(),
                    )));
                }
                let start = self.stack.len() - n;
                let t = self.make_tuple(start);
                tri!(self.push(t, off));
            }
            op::REDUCE => {
                inp.consume(1);
                let args = tri!(self.pop(off, "REDUCE"));
                let callee = tri!(self.pop(off, "REDUCE"));
                let r = self.invoke(callee, args, "REDUCE", off);
                tri!(self.push(r, off));
            }
            op::NEWOBJ => {
                inp.consume(1);
                let args = tri!(self.pop(off, "NEWOBJ"));
                let cls = tri!(self.pop(off, "NEWOBJ"));
                let r = self.invoke(cls, args, "NEWOBJ", off);
                tri!(self.push(r, off));
            }
            op::NEWOBJ_EX => {
                inp.consume(1);
                let kwargs = tri!(self.pop(off, "NEWOBJ_EX"));
                let args = tri!(self.pop(off, "NEWOBJ_EX"));
                let cls = tri!(self.pop(off, "NEWOBJ_EX"));
                self.mark_passed(&kwargs, 0);
                let r = self.invoke(cls, args, "NEWOBJ_EX", off);
                tri!(self.push(r, off));
            }
            op::OBJ => {
                inp.consume(1);
                let m = tri!(self.pop_mark(off, "OBJ"));
                if self.stack.len() <= m {
                    return Ok(Err(End::Malformed(
                        off,
                        "OBJ without a class after its MARK".into(),
                    )));
                }
                let cls = self.stack[m];
                let args = self.make_tuple(m + 1);
                self.stack.truncate(m);
                let r = self.invoke(cls, args, "OBJ", off);
                tri!(self.push(r, off));
            }
            op::BUILD => {
                inp.consume(1);
                let state = tri!(self.pop(off, "BUILD"));
                let target = *tri!(self.top(off, "BUILD"));
                if let Some(skip) = self.build(target, state, off) {
                    return Ok(self.joblib_array(inp, skip, off)?.map(|()| None));
                }
            }
            op::GLOBAL | op::INST => {
                let (module, name) = match two_lines(inp, off, self.opts.limits.max_string)? {
                    Ok(x) => x,
                    Err(e) => return Ok(Err(e)),
                };
                let opname = if code == op::GLOBAL { "GLOBAL" } else { "INST" };
                let g = self.global(&module, &name, off, opname, None);
                if code == op::GLOBAL {
                    tri!(self.push(g, off));
                } else {
                    let m = tri!(self.pop_mark(off, "INST"));
                    let args = self.make_tuple(m);
                    let r = self.invoke(g, args, "INST", off);
                    tri!(self.push(r, off));
                }
            }
            op::STACK_GLOBAL => {
                inp.consume(1);
                let name = tri!(self.pop(off, "STACK_GLOBAL"));
                let module = tri!(self.pop(off, "STACK_GLOBAL"));
                let g = self.stack_global(module, name, off);
                tri!(self.push(g, off));
            }
            op::EXT1..=op::EXT4 => {
                let v = match code {
                    op::EXT1 => fixed!(1),
                    op::EXT2 => fixed!(2),
                    _ => fixed!(4),
                } as i64;
                let name = ["EXT1", "EXT2", "EXT4"][usize::from(code - op::EXT1)];
                let resolved = self.ext.get(&v).copied();
                let what = match resolved {
                    Some(g) => format!(
                        "`{}`, registered earlier in this pickle",
                        self.globals[g as usize].display()
                    ),
                    None => "whatever copyreg's extension registry holds at load time".to_owned(),
                };
                self.finding(
                    &EXTENSION_OPCODE,
                    Severity::Critical,
                    off,
                    format!("{name} {v} imports {what}; scanners cannot know it"),
                );
                let g = match resolved {
                    Some(g) => Value::Global(g),
                    None => self.global(
                        "copyreg",
                        &format!("_extension_registry[{v}]"),
                        off,
                        name,
                        Some(format!("{name} {v}")),
                    ),
                };
                tri!(self.push(g, off));
            }
            op::PERSID => {
                let line = match one_line(inp, off, self.opts.limits.max_string)? {
                    Ok(x) => x,
                    Err(e) => return Ok(Err(e)),
                };
                let v = self.persid(None, Some(&line), off);
                tri!(self.push(v, off));
            }
            op::BINPERSID => {
                inp.consume(1);
                let pid = tri!(self.pop(off, "BINPERSID"));
                let v = self.persid(Some(pid), None, off);
                tri!(self.push(v, off));
            }
            op::NEXT_BUFFER => {
                inp.consume(1);
                tri!(self.push(Value::Buffer, off));
            }
            op::READONLY_BUFFER => {
                inp.consume(1);
                tri!(self.top(off, "READONLY_BUFFER"));
            }
            // --- protocol 0 text opcodes ---
            op::INT | op::LONG | op::FLOAT | op::STRING | op::UNICODE | op::GET | op::PUT => {
                let line = match one_line(inp, off, self.opts.limits.max_string)? {
                    Ok(x) => x,
                    Err(e) => return Ok(Err(e)),
                };
                match code {
                    op::INT => {
                        let v = match line.as_slice() {
                            b"00" => Value::Bool(false),
                            b"01" => Value::Bool(true),
                            l => parse_int(l).map_or(Value::BigInt, Value::Int),
                        };
                        tri!(self.push(v, off));
                    }
                    op::LONG => {
                        let l = line.strip_suffix(b"L").unwrap_or(&line);
                        tri!(self.push(parse_int(l).map_or(Value::BigInt, Value::Int), off));
                    }
                    op::FLOAT => tri!(self.push(Value::Float, off)),
                    op::STRING => {
                        let l = line.as_slice();
                        let quoted = l.len() >= 2
                            && l[0] == l[l.len() - 1]
                            && (l[0] == b'\'' || l[0] == b'"');
                        if !quoted {
                            return Ok(Err(End::Malformed(
                                off,
                                "the STRING opcode argument must be quoted".into(),
                            )));
                        }
                        let s = escape_decode(&l[1..l.len() - 1]);
                        let v = self.keep_decoded(&s);
                        tri!(self.push(v, off));
                    }
                    op::UNICODE => {
                        let s = raw_unicode_escape(&line);
                        let v = self.keep_decoded(s.as_bytes());
                        tri!(self.push(v, off));
                    }
                    op::GET => {
                        let Some(idx) = parse_int(&line).and_then(|i| u64::try_from(i).ok()) else {
                            return Ok(Err(End::Malformed(
                                off,
                                "GET with a bad memo index".into(),
                            )));
                        };
                        let v = self.memo_lookup(idx);
                        if let Value::Hole = v {
                            return Ok(Err(End::Malformed(
                                off,
                                format!("memo entry {} was never stored", idx),
                            )));
                        }
                        tri!(self.push(v, off));
                    }
                    _ => {
                        let Some(idx) = parse_int(&line).and_then(|i| u64::try_from(i).ok()) else {
                            return Ok(Err(End::Malformed(
                                off,
                                "PUT with a bad memo index".into(),
                            )));
                        };
                        tri!(self.memo_put(idx, off));
                    }
                }
            }
            other => {
                return Ok(Err(End::Malformed(
                    off,
                    format!("unknown opcode 0x{other:02x}"),
                )));
            }
        }
        Ok(Ok(None))
    }

    fn setitem(&mut self, target: Value, key: Value, value: Value, off: u64) {
        match target {
            Value::Dict(serial) if self.joblib_seen => {
                let field = match self.text_of(&key) {
                    Some(b"shape") => 0,
                    Some(b"dtype") => 1,
                    Some(b"numpy_array_alignment_bytes") => 2,
                    _ => return,
                };
                let count = if field == 0 {
                    match self.tuple_items(&value) {
                        Some(items) => items.iter().try_fold(1u64, |acc, v| match v {
                            Value::Int(i) if *i >= 0 => acc.checked_mul(*i as u64),
                            _ => None,
                        }),
                        None => None,
                    }
                } else {
                    None
                };
                let e = self.joblib.entry(serial).or_default();
                match (field, value) {
                    (0, _) => e.count = count,
                    (1, Value::Dtype(d)) => e.dtype = Some(d),
                    (2, Value::Int(a)) => e.align = Some(a),
                    _ => {}
                }
            }
            Value::Global(_) => {
                let mut what = String::from("SETITEM of key ");
                self.render(&key, 0, &mut what);
                self.mutate(target, &what, Some(value), off);
            }
            _ => {}
        }
    }

    /// BUILD. Returns the joblib fields when the target is a `NumpyArrayWrapper`, whose array bytes follow.
    fn build(&mut self, target: Value, state: Value, off: u64) -> Option<JoblibFields> {
        match target {
            Value::Global(_) => {
                self.mutate(target, "BUILD", Some(state), off);
                None
            }
            Value::Obj(g) if self.globals[g as usize].special == Special::JoblibWrapper => {
                let fields = match state {
                    Value::Dict(serial) => self.joblib.get(&serial).copied().unwrap_or_default(),
                    _ => JoblibFields::default(),
                };
                Some(fields)
            }
            Value::Dtype(d) => {
                // (version, byteorder, subarray, names, fields, elsize, alignment, flags)
                if let Some(items) = self.tuple_items(&state) {
                    let elsize = match items.get(5) {
                        Some(Value::Int(e)) if *e > 0 => Some(*e as u64),
                        _ => None,
                    };
                    let flags = match items.get(7) {
                        Some(Value::Int(f)) => *f,
                        _ => 0,
                    };
                    let info = &mut self.dtypes[d as usize];
                    if let Some(e) = elsize
                        && (info.flexible || info.itemsize.is_none())
                    {
                        info.itemsize = Some(e);
                    }
                    // NPY_ITEM_REFCOUNT: the dtype holds Python objects.
                    if flags & 1 != 0 {
                        info.object = true;
                    }
                }
                None
            }
            Value::Call(c) => {
                self.rebind_partial(c, state, off);
                self.mark_passed(&state, 0);
                None
            }
            _ => None,
        }
    }

    /// `partial.__setstate__((func, args, kwds, dict))` replaces the function and arguments of a partial (and
    /// MethodType's): the call record is rebound, so that a later call invokes what the state names, and a
    /// function that is no allowlisted global is reported as state poisoning.
    fn rebind_partial(&mut self, c: u32, state: Value, off: u64) {
        let rec = self.calls[c as usize];
        let Value::Global(pg) = rec.callee else {
            return;
        };
        if self.globals[pg as usize].special != Special::Partial {
            return;
        }
        let Some(items) = self.tuple_items(&state).map(<[Value]>::to_vec) else {
            return;
        };
        let Some(&func) = items.first() else { return };
        let mut bound = vec![func];
        if let Some(args) = items.get(1).and_then(|a| self.tuple_items(a)) {
            bound.extend_from_slice(args);
        }
        let start = self.tuples.len() as u32;
        self.tuples.extend_from_slice(&bound);
        self.calls[c as usize].args = Value::Tuple(start, bound.len() as u32);
        let allowed = matches!(func, Value::Global(f) if self.globals[f as usize].allowed());
        if !allowed {
            let display = self.globals[pg as usize].display();
            let mut msg = format!("BUILD rebinds the function of `{display}` to ");
            self.render(&func, 0, &mut msg);
            msg.push_str(": whoever calls it later runs that");
            self.finding_with(
                &IMPORTED_OBJECT_MUTATED,
                Severity::High,
                off,
                msg,
                Some("decided by: the BUILD state poisoning rule (partial.__setstate__ replaces the function)".into()),
            );
        }
    }

    /// What a string used as a global's module or name is: `None` when it is no string at all.
    fn name_text(&self, v: &Value) -> Option<NameText> {
        if !Self::is_str(v) {
            return None;
        }
        if let Some(t) = self.text_of(v) {
            let text = String::from_utf8_lossy(t).into_owned();
            return Some(if is_name(t) {
                NameText::Name(text)
            } else {
                let shown: String = text.chars().take(80).collect();
                NameText::NotName(py_repr_str(&shown))
            });
        }
        Some(match v {
            Value::Span { lost: true, .. } => NameText::Lost,
            Value::Long(i) if self.longs[*i as usize].0 == u64::MAX => NameText::Lost,
            other => {
                let mut s = String::new();
                self.render(other, 0, &mut s);
                NameText::NotName(s)
            }
        })
    }

    fn stack_global(&mut self, module: Value, name: Value, off: u64) -> Value {
        match (self.name_text(&module), self.name_text(&name)) {
            (Some(NameText::Name(m)), Some(NameText::Name(n))) => {
                self.global(&m, &n, off, "STACK_GLOBAL", None)
            }
            (Some(m), Some(n)) => {
                let lost = matches!(m, NameText::Lost) || matches!(n, NameText::Lost);
                let show = |t: NameText| match t {
                    NameText::Name(s) => py_repr_str(&s),
                    NameText::NotName(s) => s,
                    NameText::Lost => "<a name not kept>".to_owned(),
                };
                let desc = format!("{} . {}", show(m), show(n));
                if lost {
                    self.finding(
                        &PICKLE_NOT_FULLY_ANALYSED,
                        Severity::Medium,
                        off,
                        format!(
                            "STACK_GLOBAL names a string the kept-string budget could not hold: {desc}"
                        ),
                    );
                    self.out.inconclusive = true;
                }
                // No module or attribute of the standard library or an ML framework has such a name: it imports
                // only if the environment defines that exact name, so it is unknown, never resolved or allowed.
                self.opaque_global(format!("<not an identifier: {desc}>"), off)
            }
            _ => {
                let mut desc = String::new();
                self.render(&module, 0, &mut desc);
                desc.push_str(" . ");
                self.render(&name, 0, &mut desc);
                let computed = [module, name].iter().any(|v| {
                    matches!(
                        v,
                        Value::Call(_) | Value::Obj(_) | Value::Global(_) | Value::Persid
                    )
                });
                if computed {
                    self.finding(
                        &COMPUTED_GLOBAL_NAME,
                        Severity::Critical,
                        off,
                        format!("STACK_GLOBAL imports a name that is not a literal string: {desc}"),
                    );
                } else {
                    self.finding(
                        &MALFORMED_PICKLE,
                        Severity::Medium,
                        off,
                        format!("STACK_GLOBAL needs two strings, got {desc}"),
                    );
                    self.out.inconclusive = true;
                }
                self.opaque_global(desc, off)
            }
        }
    }

    /// A global whose name is unknown or unusable: never allowed.
    fn opaque_global(&mut self, desc: String, off: u64) -> Value {
        self.globals.push(GlobalRec {
            full: desc.clone(),
            written: None,
            canonical: None,
            class: Class::Unknown,
            dunder: false,
            special: Special::None,
            offset: off,
            opcode: "STACK_GLOBAL",
            via: Some(desc),
            invoked: 0,
            passed: false,
            summary: None,
            module_only: false,
            new_only: false,
            stepped: false,
        });
        Value::Global(self.globals.len() as u32 - 1)
    }

    /// A persistent id: what `persistent_load` returns for it. Legacy `torch.save` stores each module class as
    /// `('module', cls, source_file, source)` and its `persistent_load` returns `cls` itself, which the stream
    /// then instantiates: the value is that class, judged like any global. Every other id is opaque.
    fn persid(&mut self, pid: Option<Value>, line: Option<&[u8]>, off: u64) -> Value {
        // torch: ('storage', storage_type, key, location, numel); torch.package/others use other tags.
        let items: Vec<Value> = pid
            .as_ref()
            .and_then(|p| self.tuple_items(p))
            .map(<[Value]>::to_vec)
            .unwrap_or_default();
        let tag = items.first().and_then(|t| self.str_of(t));
        let torch = tag
            .as_deref()
            .is_some_and(|t| t == "storage" || t == "module");
        if let Some(p) = pid {
            self.mark_passed(&p, 0);
        }
        if tag.as_deref() == Some("module")
            && let Some(cls @ Value::Global(_)) = items.get(1).copied()
        {
            return cls;
        }
        if torch || self.persid_reported {
            return Value::Persid;
        }
        self.persid_reported = true;
        let desc = match (pid, line) {
            (Some(p), _) => {
                let mut s = String::new();
                self.render(&p, 0, &mut s);
                s
            }
            (None, Some(l)) => py_repr_str(&String::from_utf8_lossy(l)),
            _ => String::new(),
        };
        self.finding(
            &PERSISTENT_ID,
            Severity::Info,
            off,
            format!("persistent id {desc}: what it loads is up to the loader's persistent_load"),
        );
        Value::Persid
    }
}

impl Special {
    fn max_with(self, other: Special) -> Special {
        if self == Special::None { other } else { self }
    }
}

fn dtype_info(spec: &str) -> DtypeInfo {
    let s = spec.trim_start_matches(['<', '>', '=', '|']);
    let kind = s.chars().next().unwrap_or('?');
    let digits: String = s.chars().skip(1).take_while(char::is_ascii_digit).collect();
    let n: Option<u64> = digits.parse().ok();
    let mut info = DtypeInfo::default();
    match kind {
        'O' => {
            info.object = true;
            info.itemsize = Some(8);
        }
        'b' | 'i' | 'u' | 'f' | 'c' | 'M' | 'm' => info.itemsize = n,
        'U' => {
            info.itemsize = n.map(|n| n * 4);
            info.flexible = true;
        }
        'S' | 'a' | 'V' => {
            info.itemsize = n;
            info.flexible = true;
        }
        '?' => info.itemsize = Some(1),
        _ => {}
    }
    if s == "?" || s == "b1" {
        info.itemsize = Some(1);
    }
    info
}

/// The memo's kinds of values that carry nothing the analysis needs, at the top of the `u32` range.
mod slot {
    pub(super) const HOLE: u32 = u32::MAX;
    pub(super) const NONE: u32 = u32::MAX - 1;
    pub(super) const TRUE: u32 = u32::MAX - 2;
    pub(super) const FALSE: u32 = u32::MAX - 3;
    pub(super) const FLOAT: u32 = u32::MAX - 4;
    pub(super) const BIGINT: u32 = u32::MAX - 5;
    pub(super) const LIST: u32 = u32::MAX - 6;
    pub(super) const SET: u32 = u32::MAX - 7;
    pub(super) const OPAQUE_TUPLE: u32 = u32::MAX - 8;
    pub(super) const EMPTY_TUPLE: u32 = u32::MAX - 9;
    pub(super) const DICT: u32 = u32::MAX - 10;
    pub(super) const STR: u32 = u32::MAX - 11;
    pub(super) const BYTES: u32 = u32::MAX - 12;
    pub(super) const BUFFER: u32 = u32::MAX - 13;
    /// Indices of kept values stay below this.
    pub(super) const FIRST_KIND: u32 = u32::MAX - 13;
    /// Slots from here to `FIRST_KIND` are offsets into the short-string arena.
    pub(super) const SHORT_BASE: u32 = 1 << 31;
    /// Bytes the short-string arena may hold (its offsets must stay below `FIRST_KIND`).
    pub(super) const SHORT_SPAN: usize = (FIRST_KIND - SHORT_BASE - 16) as usize;

    use super::Value;

    /// The kind of `v` when it carries nothing the analysis needs (dict serials matter in joblib streams).
    #[inline(always)]
    pub(super) fn kind(v: &Value, joblib: bool) -> Option<u32> {
        Some(match v {
            Value::None => NONE,
            Value::Bool(true) => TRUE,
            Value::Bool(false) => FALSE,
            Value::Float => FLOAT,
            Value::BigInt => BIGINT,
            Value::List => LIST,
            Value::Set => SET,
            Value::OpaqueTuple => OPAQUE_TUPLE,
            Value::Tuple(_, 0) => EMPTY_TUPLE,
            Value::Dict(_) if !joblib => DICT,
            // Kept as a kind on slices too: a memoized string's offset only served call-chain evidence, and
            // keeping it made the slice path 30% slower than streaming on the benchmark.
            Value::Span {
                bytes: false,
                lost: false,
                ..
            } => STR,
            Value::Span {
                bytes: true,
                lost: false,
                ..
            } => BYTES,
            Value::Buffer => BUFFER,
            _ => return None,
        })
    }

    /// The value of each kind, by `u32::MAX - kind`.
    pub(super) static VALUES: [Value; 14] = [
        Value::Hole,
        Value::None,
        Value::Bool(true),
        Value::Bool(false),
        Value::Float,
        Value::BigInt,
        Value::List,
        Value::Set,
        Value::OpaqueTuple,
        Value::Tuple(0, 0),
        Value::Dict(0),
        Value::Span {
            bytes: false,
            lost: false,
            len: u32::MAX,
            off: u64::MAX,
        },
        Value::Span {
            bytes: true,
            lost: false,
            len: u32::MAX,
            off: u64::MAX,
        },
        Value::Buffer,
    ];
}

/// What a string used as a name turned out to be.
enum NameText {
    /// An ASCII identifier path: resolved.
    Name(String),
    /// Not an identifier path (shown as this).
    NotName(String),
    /// It looked like a name but was not kept.
    Lost,
}

/// An ASCII dotted identifier path (`:` too, for `pkgutil.resolve_name` strings) of at most `NAME_MAX` bytes: the
/// only names an import or attribute lookup of a standard or framework object can use.
fn is_name(b: &[u8]) -> bool {
    !b.is_empty()
        && b.len() <= NAME_MAX
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b':'))
}

fn small_long(b: &[u8]) -> i64 {
    if b.is_empty() {
        return 0;
    }
    let mut a = if b[b.len() - 1] & 0x80 != 0 {
        [0xffu8; 8]
    } else {
        [0u8; 8]
    };
    a[..b.len()].copy_from_slice(b);
    i64::from_le_bytes(a)
}

fn parse_int(l: &[u8]) -> Option<i64> {
    std::str::from_utf8(l).ok()?.trim().parse().ok()
}

/// Reads a `\n`-terminated line after the opcode byte.
fn one_line<I: Input>(inp: &mut I, off: u64, max: u64) -> io::Result<Step<Vec<u8>>> {
    inp.consume(1);
    line_raw(inp, off, max)
}

fn line_raw<I: Input>(inp: &mut I, off: u64, max: u64) -> io::Result<Step<Vec<u8>>> {
    let mut want = 256usize;
    loop {
        let buf = inp.fill(want)?;
        if let Some(n) = memchr::memchr(b'\n', buf) {
            let line = buf[..n].to_vec();
            inp.consume(n + 1);
            return Ok(Ok(line));
        }
        if buf.len() < want {
            return Ok(Err(End::Truncated(
                off,
                "inside a text argument (no newline)",
            )));
        }
        if want as u64 > max {
            return Ok(Err(End::Limit(
                off,
                format!("a text argument longer than {max} bytes"),
            )));
        }
        want *= 4;
    }
}

fn two_lines<I: Input>(inp: &mut I, off: u64, max: u64) -> io::Result<Step<(String, String)>> {
    inp.consume(1);
    let a = match line_raw(inp, off, max)? {
        Ok(a) => a,
        Err(e) => return Ok(Err(e)),
    };
    let b = match line_raw(inp, off, max)? {
        Ok(b) => b,
        Err(e) => return Ok(Err(e)),
    };
    Ok(Ok((
        String::from_utf8_lossy(&a).into_owned(),
        String::from_utf8_lossy(&b).into_owned(),
    )))
}

/// Moves to the next PROTO opcode after `from` (a candidate pickle start). False at the end of the input.
fn resync<I: Input>(inp: &mut I, from: u64) -> io::Result<bool> {
    if inp.offset() <= from {
        let n = from + 1 - inp.offset();
        if inp.skip(n)? < n {
            return Ok(false);
        }
    }
    loop {
        let buf = inp.fill(2)?;
        if buf.len() < 2 {
            return Ok(false);
        }
        match memchr::memchr(op::PROTO, buf) {
            Some(i) if i + 1 < buf.len() => {
                if (2..=5).contains(&buf[i + 1]) {
                    inp.consume(i);
                    return Ok(true);
                }
                inp.consume(i + 1);
            }
            Some(i) => inp.consume(i),
            None => {
                let n = buf.len();
                inp.consume(n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_is_small() {
        assert_eq!(size_of::<Value>(), 16);
    }

    #[test]
    fn dtype_sizes() {
        assert_eq!(dtype_info("f8").itemsize, Some(8));
        assert_eq!(dtype_info("<U10").itemsize, Some(40));
        assert!(dtype_info("O8").object);
        assert_eq!(dtype_info("b1").itemsize, Some(1));
    }
}
