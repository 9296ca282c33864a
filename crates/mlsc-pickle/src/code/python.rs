//! The Python source analyser: what a module reaches for when it is imported.
//!
//! The source is parsed with Astral's parser (`ruff_python_parser`) and walked once. Every import and every call is
//! recorded with the dotted name it resolves to, through `import x as y`, `from x import y`, simple assignments
//! (`s = os.system`), `getattr(x, "y")`, `__import__("x")`, `importlib.import_module("x")`, `sys.modules["x"]` and
//! `x.__dict__["y"]`. Each record knows whether it runs at import time: module-level statements, class bodies,
//! decorators, default arguments and annotations do; a function body does only when something that runs at import
//! time calls that function (a module-level `f()`, a decorator, a class instantiated at module level), which is
//! followed transitively through the file's own functions and methods. `if __name__ == "__main__":` blocks run when
//! the file is executed as a script, not when it is imported.
//!
//! Nothing is imported or executed. Bounds: the source is at most [`MAX_SOURCE`] bytes; the parser grows its own
//! stack on the heap for deep nesting, the walk stops descending at [`MAX_DEPTH`] and says so, and the parse, the
//! walk and the drop of the tree run on a thread with a stack large enough for the deepest tree a source of
//! [`MAX_SOURCE`] bytes can produce (measured in the tests below).

use std::collections::{BTreeSet, HashMap, HashSet};

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

/// The largest source analysed: real modeling files are under 300 KB (transformers' largest, 2025, is 180 KB);
/// TorchScript `code/` files of large models a few hundred KB.
pub(crate) const MAX_SOURCE: usize = 2 << 20;
/// How deep the walk descends into nested expressions and statements. CPython's own parser refuses more than 200
/// nested brackets and 100 indentation levels, so nothing Python can import is deeper than this in practice.
pub(crate) const MAX_DEPTH: u32 = 1000;
/// The stack of the analysis thread. The parser grows its own stack; the walk is bounded by [`MAX_DEPTH`]; what
/// needs this much is dropping the tree, which recurses once per level: a 2 MiB chain `a+a+…` (a million levels)
/// needed under 200 MiB when measured. Only the pages touched are ever committed.
const STACK: usize = 512 << 20;

/// Why a source could not be analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PyError {
    /// Larger than [`MAX_SOURCE`].
    TooLarge(usize),
    /// Not UTF-8 at this byte offset (Python refuses such a source unless it declares another encoding).
    NotUtf8(usize),
    /// A syntax error at this line.
    Syntax { line: u32, message: String },
    /// Nested deeper than [`MAX_DEPTH`] at this line.
    TooDeep(u32),
    /// The analysis thread could not be started or failed.
    Internal(String),
}

impl std::fmt::Display for PyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PyError::TooLarge(n) => write!(
                f,
                "{n} bytes of source, more than the limit of {MAX_SOURCE}"
            ),
            PyError::NotUtf8(at) => write!(f, "not UTF-8 at byte {at}"),
            PyError::Syntax { line, message } => {
                write!(f, "syntax error at line {line}: {message}")
            }
            PyError::TooDeep(line) => {
                write!(f, "nested more than {MAX_DEPTH} levels deep at line {line}")
            }
            PyError::Internal(why) => write!(f, "analysis failed: {why}"),
        }
    }
}

/// What kind of effect a call has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Category {
    /// Starts a process or a shell.
    Process,
    /// Runs code made from data: `eval`, `exec`, `compile`, `runpy`, code objects.
    Eval,
    /// `exec`/`eval` of decoded data (base64, zlib, hex, codecs): hidden code.
    Obfuscated,
    /// Imports a module whose name is not a literal.
    DynamicImport,
    /// Writes, moves or deletes files.
    FileWrite,
    /// Opens a network connection.
    Network,
    /// Loads native code or calls into it (`ctypes`, `cffi`, `torch.ops.load_library`).
    Native,
    /// Unpickles or otherwise deserialises objects that can run code.
    Deserialise,
    /// Reads files.
    FileRead,
}

impl Category {
    /// How it is described in a finding.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Category::Process => "starts a process",
            Category::Eval => "runs code built from data",
            Category::Obfuscated => "runs decoded (obfuscated) code",
            Category::DynamicImport => "imports a module chosen at run time",
            Category::FileWrite => "writes or deletes files",
            Category::Network => "opens a network connection",
            Category::Native => "loads or calls native code",
            Category::Deserialise => "deserialises objects that can run code",
            Category::FileRead => "reads files",
        }
    }
}

/// One call to something dangerous.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reach {
    pub(crate) category: Category,
    /// The resolved dotted name of the callable (`os.system`, `builtins.exec`).
    pub(crate) name: String,
    pub(crate) line: u32,
    /// True when it runs when the module is imported.
    pub(crate) import_time: bool,
    /// The function (`f`, `Class.method`) it is in, or `<module>`.
    pub(crate) scope: String,
}

/// One import statement's module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Import {
    /// The module imported (`os`, `os.path`; a relative import keeps its dots: `.configuration_x`).
    pub(crate) module: String,
    pub(crate) line: u32,
    pub(crate) import_time: bool,
}

/// One call site, whatever it calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CallSite {
    /// The resolved dotted name; a call of a call's result ends its part with `()` (`pathlib.Path().unlink`).
    pub(crate) name: String,
    pub(crate) line: u32,
    /// True when the first part of the name is bound in the file (a parameter, a variable, a def, an import).
    pub(crate) local_root: bool,
}

/// What a Python source reaches for.
#[derive(Debug, Clone, Default)]
pub(crate) struct PyFacts {
    pub(crate) imports: Vec<Import>,
    pub(crate) reaches: Vec<Reach>,
    pub(crate) calls: Vec<CallSite>,
    /// The classes defined at module level.
    pub(crate) classes: BTreeSet<String>,
}

impl PyFacts {
    /// The dangerous calls that run at import time.
    pub(crate) fn at_import(&self) -> impl Iterator<Item = &Reach> {
        self.reaches.iter().filter(|r| r.import_time)
    }
}

/// Analyses a Python source. Never panics; a source it cannot parse or bound is an error, never empty facts.
pub(crate) fn analyse(source: &[u8]) -> Result<PyFacts, PyError> {
    if source.len() > MAX_SOURCE {
        return Err(PyError::TooLarge(source.len()));
    }
    let text = std::str::from_utf8(source)
        .map_err(|e| PyError::NotUtf8(e.valid_up_to()))?
        .to_owned();
    let run = move || analyse_str(&text);
    match std::thread::Builder::new()
        .name("mlsc-python".into())
        .stack_size(STACK)
        .spawn(run)
    {
        Ok(handle) => handle
            .join()
            .unwrap_or_else(|_| Err(PyError::Internal("the analysis thread panicked".into()))),
        Err(e) => Err(PyError::Internal(format!(
            "cannot start the analysis thread: {e}"
        ))),
    }
}

fn analyse_str(text: &str) -> Result<PyFacts, PyError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = LineIndex::new(text);
    if let Err(at) = prescan(text.as_bytes()) {
        return Err(PyError::TooDeep(lines.line(at)));
    }
    let parsed = ruff_python_parser::parse_module(text).map_err(|e| PyError::Syntax {
        line: lines.line(e.location.start().to_usize()),
        message: e.error.to_string(),
    })?;
    let module = parsed.syntax();
    let mut w = Walker::new(&lines);
    w.collect_defs(&module.body);
    w.visit_body(&module.body);
    if let Some(line) = w.too_deep {
        return Err(PyError::TooDeep(line));
    }
    Ok(w.finish())
}

/// How deep the pre-scan lets a source nest: brackets (CPython's tokenizer refuses more than 200), indentation
/// (CPython refuses more than 100 levels) and operator chains (`a+a+…`, `x.y.z…`, `f()()…`, `not not …`), which
/// nest the tree one level per operator without any bracket.
const PRESCAN_BRACKETS: usize = 200;
const PRESCAN_INDENT: usize = 100;
const PRESCAN_CHAIN: u32 = 800;

/// A linear pass over the source that bounds how deep its tree can be, before the parser builds it: a 2 MiB chain
/// `a+a+…` parses into a million nested nodes (640 MB resident when measured, most of it the tree and the stack of
/// its recursive drop). Returns the offset where a bound is exceeded.
///
/// It tokenizes just enough: strings (prefixes, triple quotes, escapes) are skipped, f-string replacement fields are
/// code, comments are skipped. Per open bracket it counts the operators since the last `,`, `;` or `=` at that
/// level (siblings do not nest), and the estimate is the sum over the open brackets; it over-estimates, never
/// under-estimates, the depth of ordinary code.
fn prescan(src: &[u8]) -> Result<(), usize> {
    #[derive(Clone, Copy)]
    enum Frame {
        /// Code; in an f-string replacement field when `fexpr` (then the bracket count where it started).
        Code { fexpr: Option<usize> },
        Str {
            quote: u8,
            triple: bool,
            raw: bool,
            fmt: bool,
        },
    }
    let mut frames = vec![Frame::Code { fexpr: None }];
    // Per open bracket level (level 0 is the statement): operators in the current chain.
    let mut chains: Vec<u32> = vec![0];
    let mut total: u32 = 0;
    let mut indents: Vec<usize> = vec![0];
    let mut line_start = true;
    let mut i = 0usize;
    let n = src.len();
    let bump = |chains: &mut Vec<u32>, total: &mut u32, at: usize| -> Result<(), usize> {
        if let Some(c) = chains.last_mut() {
            *c += 1;
        }
        *total += 1;
        if *total + chains.len() as u32 > PRESCAN_CHAIN {
            return Err(at);
        }
        Ok(())
    };
    let reset = |chains: &mut Vec<u32>, total: &mut u32| {
        if let Some(c) = chains.last_mut() {
            *total -= *c;
            *c = 0;
        }
    };
    while i < n {
        let frame = *frames.last().expect("the outermost frame is never popped");
        match frame {
            Frame::Str {
                quote,
                triple,
                raw,
                fmt,
            } => {
                let c = src[i];
                if c == b'\\' && !raw {
                    i += 2;
                    continue;
                }
                if c == b'\\' {
                    // A raw string still cannot end on an escaped quote.
                    i += 2;
                    continue;
                }
                if c == quote {
                    if !triple {
                        frames.pop();
                        i += 1;
                        continue;
                    }
                    if src.get(i + 1) == Some(&quote) && src.get(i + 2) == Some(&quote) {
                        frames.pop();
                        i += 3;
                        continue;
                    }
                }
                if c == b'\n' && !triple {
                    // An unterminated single-quoted string: the parser reports it.
                    frames.pop();
                    continue;
                }
                if fmt && c == b'{' {
                    if src.get(i + 1) == Some(&b'{') {
                        i += 2;
                        continue;
                    }
                    chains.push(0);
                    if chains.len() > PRESCAN_BRACKETS {
                        return Err(i);
                    }
                    frames.push(Frame::Code {
                        fexpr: Some(chains.len()),
                    });
                }
                i += 1;
            }
            Frame::Code { fexpr } => {
                let c = src[i];
                if line_start && fexpr.is_none() && chains.len() == 1 {
                    // Indentation of a logical line.
                    let mut w = 0usize;
                    let mut j = i;
                    while j < n && (src[j] == b' ' || src[j] == b'\t' || src[j] == b'\x0c') {
                        w += if src[j] == b'\t' { 8 } else { 1 };
                        j += 1;
                    }
                    line_start = false;
                    if j < n && !matches!(src[j], b'\n' | b'\r' | b'#') {
                        while indents.last().is_some_and(|&top| w < top) {
                            indents.pop();
                        }
                        if indents.last().is_some_and(|&top| w > top) {
                            indents.push(w);
                            if indents.len() > PRESCAN_INDENT {
                                return Err(j);
                            }
                        }
                    }
                    i = j;
                    continue;
                }
                match c {
                    b'#' => {
                        while i < n && src[i] != b'\n' {
                            i += 1;
                        }
                    }
                    b'\\' => i += 2,
                    b'\n' => {
                        if chains.len() == 1 && fexpr.is_none() {
                            reset(&mut chains, &mut total);
                            line_start = true;
                        }
                        i += 1;
                    }
                    b'\'' | b'"' => {
                        // The prefix letters just before the quote.
                        let mut k = i;
                        while k > 0 && src[k - 1].is_ascii_alphabetic() {
                            k -= 1;
                        }
                        let prefix = src[k..i].to_ascii_lowercase();
                        let word_before =
                            k > 0 && (src[k - 1].is_ascii_alphanumeric() || src[k - 1] == b'_');
                        let is_prefix = !word_before
                            && prefix.len() <= 2
                            && prefix
                                .iter()
                                .all(|p| matches!(p, b'r' | b'b' | b'f' | b'u' | b't'));
                        let (raw, fmt) = if is_prefix {
                            (
                                prefix.contains(&b'r'),
                                prefix.contains(&b'f') || prefix.contains(&b't'),
                            )
                        } else {
                            (false, false)
                        };
                        let triple = src.get(i + 1) == Some(&c) && src.get(i + 2) == Some(&c);
                        frames.push(Frame::Str {
                            quote: c,
                            triple,
                            raw,
                            fmt,
                        });
                        i += if triple { 3 } else { 1 };
                    }
                    b'(' | b'[' | b'{' => {
                        // A call or subscript (after a name or a closing bracket) nests once more.
                        let prev = src[..i].iter().rev().find(|b| !matches!(b, b' ' | b'\t'));
                        if c != b'{'
                            && prev.is_some_and(|p| {
                                p.is_ascii_alphanumeric() || matches!(p, b'_' | b')' | b']')
                            })
                        {
                            bump(&mut chains, &mut total, i)?;
                        }
                        chains.push(0);
                        if chains.len() > PRESCAN_BRACKETS {
                            return Err(i);
                        }
                        i += 1;
                    }
                    b')' | b']' | b'}' => {
                        if c == b'}' && fexpr == Some(chains.len()) {
                            reset(&mut chains, &mut total);
                            chains.pop();
                            frames.pop();
                            i += 1;
                            continue;
                        }
                        if chains.len() > 1 {
                            reset(&mut chains, &mut total);
                            chains.pop();
                        }
                        i += 1;
                    }
                    b',' | b';' => {
                        reset(&mut chains, &mut total);
                        i += 1;
                    }
                    b'=' => {
                        // `=` assigns or names a keyword argument: what follows is a sibling. `==`, `<=`, `>=`,
                        // `!=` and augmented assignments keep the chain (an over-estimate, never an under-one).
                        let prev = if i > 0 { src[i - 1] } else { 0 };
                        if src.get(i + 1) == Some(&b'=') {
                            i += 2;
                        } else if matches!(
                            prev,
                            b'<' | b'>'
                                | b'!'
                                | b'='
                                | b'+'
                                | b'-'
                                | b'*'
                                | b'/'
                                | b'%'
                                | b'@'
                                | b'&'
                                | b'|'
                                | b'^'
                        ) {
                            i += 1;
                        } else {
                            reset(&mut chains, &mut total);
                            i += 1;
                        }
                    }
                    b'+' | b'-' | b'*' | b'/' | b'%' | b'@' | b'&' | b'|' | b'^' | b'~' | b'.' => {
                        bump(&mut chains, &mut total, i)?;
                        i += 1;
                    }
                    c if c.is_ascii_alphabetic() || c == b'_' => {
                        let start = i;
                        while i < n && (src[i].is_ascii_alphanumeric() || src[i] == b'_') {
                            i += 1;
                        }
                        if matches!(
                            &src[start..i],
                            b"not" | b"lambda" | b"await" | b"if" | b"else" | b"yield"
                        ) {
                            bump(&mut chains, &mut total, start)?;
                        }
                    }
                    _ => i += 1,
                }
            }
        }
    }
    Ok(())
}

/// Byte offset to 1-based line.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }
    fn line(&self, offset: usize) -> u32 {
        let i = self.starts.partition_point(|&s| s <= offset);
        u32::try_from(i.max(1)).unwrap_or(u32::MAX)
    }
}

/// Names Python resolves without an import.
const BUILTINS: &[&str] = &[
    "__import__",
    "abs",
    "all",
    "any",
    "bin",
    "bool",
    "breakpoint",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
];

/// Dangerous callables by dotted-name prefix (a prefix ending in `.` covers a whole module), first match wins.
const DANGER: &[(&str, Category)] = &[
    // Processes.
    ("os.system", Category::Process),
    ("os.popen", Category::Process),
    ("os.exec", Category::Process),
    ("os.spawn", Category::Process),
    ("os.posix_spawn", Category::Process),
    ("os.fork", Category::Process),
    ("os.startfile", Category::Process),
    ("posix.system", Category::Process),
    ("posix.popen", Category::Process),
    ("nt.system", Category::Process),
    ("subprocess.", Category::Process),
    ("pty.", Category::Process),
    ("commands.", Category::Process),
    ("popen2.", Category::Process),
    ("platform.popen", Category::Process),
    ("asyncio.create_subprocess_", Category::Process),
    // Code from data.
    ("builtins.eval", Category::Eval),
    ("builtins.exec", Category::Eval),
    ("builtins.compile", Category::Eval),
    ("runpy.", Category::Eval),
    ("code.interact", Category::Eval),
    ("code.InteractiveInterpreter", Category::Eval),
    ("code.InteractiveConsole", Category::Eval),
    ("codeop.", Category::Eval),
    ("types.FunctionType", Category::Eval),
    ("types.CodeType", Category::Eval),
    ("marshal.load", Category::Eval),
    ("importlib.util.spec_from_file_location", Category::Eval),
    ("importlib.util.module_from_spec", Category::Eval),
    ("importlib.machinery.SourceFileLoader", Category::Eval),
    ("pydoc.locate", Category::DynamicImport),
    ("pkgutil.resolve_name", Category::DynamicImport),
    // Files.
    ("os.remove", Category::FileWrite),
    ("os.unlink", Category::FileWrite),
    ("os.rmdir", Category::FileWrite),
    ("os.removedirs", Category::FileWrite),
    ("os.rename", Category::FileWrite),
    ("os.renames", Category::FileWrite),
    ("os.replace", Category::FileWrite),
    ("os.chmod", Category::FileWrite),
    ("os.chown", Category::FileWrite),
    ("os.truncate", Category::FileWrite),
    ("os.symlink", Category::FileWrite),
    ("os.link", Category::FileWrite),
    ("os.mkdir", Category::FileWrite),
    ("os.makedirs", Category::FileWrite),
    ("os.write", Category::FileWrite),
    ("shutil.", Category::FileWrite),
    ("pathlib.Path().write_", Category::FileWrite),
    ("pathlib.Path().unlink", Category::FileWrite),
    ("pathlib.Path().rmdir", Category::FileWrite),
    ("pathlib.Path().rename", Category::FileWrite),
    ("pathlib.Path().replace", Category::FileWrite),
    ("pathlib.Path().touch", Category::FileWrite),
    ("pathlib.Path().mkdir", Category::FileWrite),
    ("pathlib.Path().chmod", Category::FileWrite),
    ("pathlib.Path().symlink_to", Category::FileWrite),
    ("builtins.open().write", Category::FileWrite),
    ("pathlib.Path().read_", Category::FileRead),
    ("os.listdir", Category::FileRead),
    ("os.scandir", Category::FileRead),
    ("os.walk", Category::FileRead),
    ("glob.", Category::FileRead),
    // Network.
    ("socket.", Category::Network),
    ("urllib.request.", Category::Network),
    ("urllib.urlopen", Category::Network),
    ("urllib.urlretrieve", Category::Network),
    ("urllib2.", Category::Network),
    ("urllib3.", Category::Network),
    ("requests.", Category::Network),
    ("httpx.", Category::Network),
    ("http.client.", Category::Network),
    ("aiohttp.", Category::Network),
    ("ftplib.", Category::Network),
    ("smtplib.", Category::Network),
    ("telnetlib.", Category::Network),
    ("xmlrpc.client.", Category::Network),
    ("paramiko.", Category::Network),
    ("websocket.", Category::Network),
    ("websockets.", Category::Network),
    ("webbrowser.", Category::Network),
    // Native code.
    ("ctypes.", Category::Native),
    ("_ctypes.", Category::Native),
    ("cffi.", Category::Native),
    ("torch.ops.load_library", Category::Native),
    ("torch.classes.load_library", Category::Native),
    ("torch.utils.cpp_extension.load", Category::Native),
    // Deserialisation that runs code.
    ("pickle.load", Category::Deserialise),
    ("pickle.Unpickler", Category::Deserialise),
    ("_pickle.", Category::Deserialise),
    ("cPickle.", Category::Deserialise),
    ("dill.load", Category::Deserialise),
    ("cloudpickle.load", Category::Deserialise),
    ("joblib.load", Category::Deserialise),
    ("torch.load", Category::Deserialise),
    ("torch.save", Category::FileWrite),
    ("shelve.open", Category::Deserialise),
    ("yaml.unsafe_load", Category::Deserialise),
    ("jsonpickle.decode", Category::Deserialise),
];

/// Calls that decode data: an `exec`/`eval` of their result is hidden code.
const DECODERS: &[&str] = &[
    "base64.",
    "binascii.",
    "codecs.decode",
    "zlib.decompress",
    "bz2.decompress",
    "lzma.decompress",
    "gzip.decompress",
    "builtins.bytes.fromhex",
    "builtins.bytearray.fromhex",
    "marshal.loads",
];

fn matches_prefix(name: &str, prefix: &str) -> bool {
    if prefix.ends_with('.') || prefix.ends_with('_') {
        name.starts_with(prefix)
    } else {
        // `os.exec` covers `os.execv`, `os.execlp`...: a bare prefix matches any continuation of the last part.
        name.starts_with(prefix)
            && name[prefix.len()..]
                .chars()
                .next()
                .is_none_or(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '(')
    }
}

/// The category of a dotted name, when it is dangerous.
pub(crate) fn category(name: &str) -> Option<Category> {
    DANGER
        .iter()
        .find(|(p, _)| matches_prefix(name, p))
        .map(|(_, c)| *c)
}

/// A lexical scope: its import and assignment aliases and the names it binds.
#[derive(Default)]
struct Scope {
    aliases: HashMap<String, String>,
    bound: HashSet<String>,
}

/// Where the walk is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    ImportTime,
    /// Inside a function body (runs when called).
    Function,
    /// Inside `if __name__ == "__main__":` (runs as a script).
    Main,
}

struct Walker<'l> {
    lines: &'l LineIndex,
    scopes: Vec<Scope>,
    context: Context,
    /// The current function's qualified name (`f`, `C.m`), `<module>` at import time.
    scope_name: String,
    /// The class whose body is being walked (for qualified names of its methods).
    class: Option<String>,
    /// The class of the method being walked, for `self.m()`.
    self_class: Option<String>,
    depth: u32,
    too_deep: Option<u32>,
    /// Functions and methods defined in the file, by qualified name.
    defs: HashSet<String>,
    /// Classes defined at module level and their local base classes and metaclass.
    class_bases: HashMap<String, Vec<String>>,
    /// Calls between the file's own functions: caller scope → callees.
    edges: HashMap<String, BTreeSet<String>>,
    facts: PyFacts,
    /// Reaches waiting for reachability: (reach, context).
    pending: Vec<(Reach, Context)>,
    imports: Vec<(Import, Context, String)>,
}

impl<'l> Walker<'l> {
    fn new(lines: &'l LineIndex) -> Self {
        Walker {
            lines,
            scopes: vec![Scope::default()],
            context: Context::ImportTime,
            scope_name: "<module>".into(),
            class: None,
            self_class: None,
            depth: 0,
            too_deep: None,
            defs: HashSet::new(),
            class_bases: HashMap::new(),
            edges: HashMap::new(),
            facts: PyFacts::default(),
            pending: Vec::new(),
            imports: Vec::new(),
        }
    }

    fn line(&self, node: &impl Ranged) -> u32 {
        self.lines.line(node.start().to_usize())
    }

    /// Records the functions and methods of module-level defs and classes, before the walk (a call may come
    /// before the def it calls, inside a function).
    fn collect_defs(&mut self, body: &[Stmt]) {
        for stmt in body {
            match stmt {
                Stmt::FunctionDef(f) => {
                    self.defs.insert(f.name.id.to_string());
                }
                Stmt::ClassDef(c) => {
                    let name = c.name.id.to_string();
                    for s in &c.body {
                        if let Stmt::FunctionDef(f) = s {
                            self.defs.insert(format!("{name}.{}", f.name.id));
                        }
                    }
                    self.facts.classes.insert(name);
                }
                Stmt::If(i) => {
                    self.collect_defs(&i.body);
                    for c in &i.elif_else_clauses {
                        self.collect_defs(&c.body);
                    }
                }
                Stmt::Try(t) => {
                    self.collect_defs(&t.body);
                    self.collect_defs(&t.orelse);
                    self.collect_defs(&t.finalbody);
                }
                _ => {}
            }
        }
    }

    fn lookup(&self, id: &str) -> Option<&String> {
        self.scopes.iter().rev().find_map(|s| s.aliases.get(id))
    }

    fn is_bound(&self, id: &str) -> bool {
        self.scopes
            .iter()
            .any(|s| s.bound.contains(id) || s.aliases.contains_key(id))
    }

    fn scope(&mut self) -> &mut Scope {
        self.scopes
            .last_mut()
            .expect("the module scope is never popped")
    }

    /// The dotted name an expression denotes, when it denotes one.
    fn resolve(&self, expr: &Expr) -> Option<String> {
        self.resolve_depth(expr, 0)
    }

    fn resolve_depth(&self, expr: &Expr, depth: u32) -> Option<String> {
        if depth > 64 {
            return None;
        }
        match expr {
            Expr::Name(n) => {
                let id = n.id.as_str();
                if let Some(a) = self.lookup(id) {
                    return Some(a.clone());
                }
                if id == "__builtins__" {
                    return Some("builtins".into());
                }
                if !self.is_bound(id) && BUILTINS.contains(&id) {
                    return Some(format!("builtins.{id}"));
                }
                Some(id.to_owned())
            }
            Expr::Attribute(a) => {
                let base = self.resolve_depth(&a.value, depth + 1)?;
                Some(format!("{base}.{}", a.attr.id))
            }
            Expr::Call(c) => {
                let func = self.resolve_depth(&c.func, depth + 1)?;
                let first = c.arguments.args.first();
                let const_str = |e: Option<&Expr>| match e {
                    Some(Expr::StringLiteral(s)) => Some(s.value.to_str().to_owned()),
                    _ => None,
                };
                match func.as_str() {
                    "builtins.__import__" | "importlib.import_module" | "importlib.__import__" => {
                        if let Some(m) = const_str(first) {
                            return Some(m);
                        }
                    }
                    "builtins.getattr" => {
                        if let (Some(obj), Some(attr)) = (first, const_str(c.arguments.args.get(1)))
                        {
                            let base = self.resolve_depth(obj, depth + 1)?;
                            return Some(format!("{base}.{attr}"));
                        }
                    }
                    "builtins.globals" | "builtins.vars" | "builtins.locals" if first.is_none() => {
                        return Some("<globals>".into());
                    }
                    "builtins.vars" => {
                        // vars(module) is its __dict__.
                        let base = self.resolve_depth(first?, depth + 1)?;
                        return Some(format!("{base}.__dict__"));
                    }
                    _ => {}
                }
                Some(format!("{func}()"))
            }
            Expr::Subscript(s) => {
                let Expr::StringLiteral(key) = &*s.slice else {
                    return None;
                };
                let key = key.value.to_str();
                let base = self.resolve_depth(&s.value, depth + 1)?;
                if base == "sys.modules" {
                    Some(key.to_owned())
                } else if base == "<globals>" {
                    // globals()["os"]: the global of that name.
                    self.resolve_depth(
                        &Expr::Name(ast::ExprName {
                            node_index: Default::default(),
                            range: s.range,
                            id: key.into(),
                            ctx: ast::ExprContext::Load,
                        }),
                        depth + 1,
                    )
                } else if let Some(module) = base.strip_suffix(".__dict__") {
                    Some(format!("{module}.{key}"))
                } else if base == "builtins" {
                    Some(format!("builtins.{key}"))
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    fn bind_target(&mut self, target: &Expr) {
        match target {
            Expr::Name(n) => {
                let id = n.id.to_string();
                let scope = self.scope();
                scope.aliases.remove(&id);
                scope.bound.insert(id);
            }
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.bind_target(e)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.bind_target(e)),
            Expr::Starred(s) => self.bind_target(&s.value),
            _ => {}
        }
    }

    fn record_import(&mut self, module: String, line: u32) {
        self.imports.push((
            Import {
                module,
                line,
                import_time: false,
            },
            self.context,
            self.scope_name.clone(),
        ));
    }

    fn reach(&mut self, category: Category, name: String, line: u32) {
        self.pending.push((
            Reach {
                category,
                name,
                line,
                import_time: false,
                scope: self.scope_name.clone(),
            },
            self.context,
        ));
    }

    fn edge(&mut self, callee: String) {
        self.edges
            .entry(self.scope_name.clone())
            .or_default()
            .insert(callee);
    }

    /// Calls into the file's own functions and classes, for reachability.
    fn local_edges(&mut self, name: &str) {
        if self.defs.contains(name) {
            self.edge(name.to_owned());
        }
        if self.facts.classes.contains(name) {
            for m in ["__init__", "__new__", "__post_init__", "__call__"] {
                self.edge(format!("{name}.{m}"));
            }
        }
        if let (Some(class), Some(method)) = (&self.self_class, name.strip_prefix("self.")) {
            let q = format!("{class}.{method}");
            if self.defs.contains(&q) {
                self.edge(q);
            }
        }
    }

    fn call(&mut self, call: &ast::ExprCall) {
        let line = self.line(call);
        let Some(name) = self.resolve(&call.func) else {
            return;
        };
        let root = name.split(['.', '(']).next().unwrap_or("");
        let local_root = self.is_bound(root) || self.defs.contains(root);
        self.facts.calls.push(CallSite {
            name: name.clone(),
            line,
            local_root,
        });
        self.local_edges(&name);
        let args = &call.arguments;
        let category = match name.as_str() {
            "builtins.open" | "io.open" | "codecs.open" | "os.fdopen" => {
                let mode = args.args.get(1).or_else(|| {
                    args.keywords
                        .iter()
                        .find(|k| k.arg.as_ref().is_some_and(|a| a.id == "mode"))
                        .map(|k| &k.value)
                });
                match mode {
                    None => Some(Category::FileRead),
                    Some(Expr::StringLiteral(s))
                        if !s.value.to_str().contains(['w', 'a', 'x', '+']) =>
                    {
                        Some(Category::FileRead)
                    }
                    Some(_) => Some(Category::FileWrite),
                }
            }
            "builtins.__import__" | "importlib.import_module" | "importlib.__import__" => {
                // A literal module name resolved to the module itself; what remains is chosen at run time.
                Some(Category::DynamicImport)
            }
            "yaml.load" | "yaml.load_all" => {
                let safe = args.keywords.iter().any(|k| {
                    k.arg.as_ref().is_some_and(|a| a.id == "Loader")
                        && self
                            .resolve(&k.value)
                            .is_some_and(|l| l.ends_with("SafeLoader") || l.ends_with("BaseLoader"))
                });
                (!safe).then_some(Category::Deserialise)
            }
            n => category(n),
        };
        if let Some(mut category) = category {
            if category == Category::Eval && self.decodes(args) {
                category = Category::Obfuscated;
            }
            self.reach(category, name, line);
        }
    }

    /// True when an argument calls a decoder (`exec(base64.b64decode(...))`).
    fn decodes(&self, args: &ast::Arguments) -> bool {
        struct Finder<'w, 'l> {
            w: &'w Walker<'l>,
            found: bool,
            depth: u32,
        }
        impl<'a> Visitor<'a> for Finder<'_, '_> {
            fn visit_expr(&mut self, expr: &'a Expr) {
                if self.found || self.depth > 64 {
                    return;
                }
                if let Expr::Call(c) = expr
                    && let Some(n) = self.w.resolve(&c.func)
                    && (DECODERS.iter().any(|d| matches_prefix(&n, d))
                        || n.ends_with(".decode")
                        || n.ends_with(".fromhex"))
                {
                    self.found = true;
                    return;
                }
                self.depth += 1;
                visitor::walk_expr(self, expr);
                self.depth -= 1;
            }
        }
        let mut f = Finder {
            w: self,
            found: false,
            depth: 0,
        };
        for a in &args.args {
            f.visit_expr(a);
        }
        for k in &args.keywords {
            f.visit_expr(&k.value);
        }
        f.found
    }

    fn function(&mut self, f: &ast::StmtFunctionDef) {
        // Decorators, defaults and annotations run where the def is.
        for d in &f.decorator_list {
            self.visit_decorator(d);
            if let Some(n) = self.resolve(&d.expression) {
                let callee = n.split('(').next().unwrap_or("").to_owned();
                self.local_edges(&callee);
            }
        }
        self.visit_parameters(&f.parameters);
        if let Some(r) = &f.returns {
            self.visit_annotation(r);
        }
        self.bind_target_name(&f.name.id);
        let qual = match (&self.class, self.scope_name.as_str()) {
            (Some(c), _) => format!("{c}.{}", f.name.id),
            (None, "<module>") => f.name.id.to_string(),
            (None, outer) => format!("{outer}.{}", f.name.id),
        };
        let saved_self = self.self_class.clone();
        if let Some(c) = &self.class {
            self.self_class = Some(c.clone());
        }
        let saved = (
            std::mem::replace(&mut self.scope_name, qual),
            self.context,
            self.class.take(),
        );
        if self.context == Context::ImportTime {
            self.context = Context::Function;
        }
        let mut scope = Scope::default();
        for p in f.parameters.iter() {
            scope.bound.insert(p.name().id.to_string());
        }
        self.scopes.push(scope);
        self.visit_body(&f.body);
        self.scopes.pop();
        // A nested function is reachable whenever its parent runs: approximate by an edge.
        let inner = std::mem::replace(&mut self.scope_name, saved.0);
        if self.scope_name != "<module>" && saved.2.is_none() {
            self.edge(inner);
        }
        self.context = saved.1;
        self.class = saved.2;
        self.self_class = saved_self;
    }

    fn bind_target_name(&mut self, id: &str) {
        let scope = self.scope();
        scope.aliases.remove(id);
        scope.bound.insert(id.to_owned());
    }

    fn class_def(&mut self, c: &ast::StmtClassDef) {
        for d in &c.decorator_list {
            self.visit_decorator(d);
            if let Some(n) = self.resolve(&d.expression) {
                let callee = n.split('(').next().unwrap_or("").to_owned();
                self.local_edges(&callee);
            }
        }
        let name = c.name.id.to_string();
        if let Some(args) = &c.arguments {
            self.visit_arguments(args);
            // Defining a subclass runs the base's __init_subclass__ and the metaclass.
            let mut bases = Vec::new();
            for b in args
                .args
                .iter()
                .chain(args.keywords.iter().map(|k| &k.value))
            {
                if let Some(n) = self.resolve(b)
                    && self.facts.classes.contains(&n)
                {
                    bases.push(n);
                }
            }
            for b in &bases {
                for m in ["__init_subclass__", "__new__", "__init__"] {
                    self.edge(format!("{b}.{m}"));
                }
            }
            self.class_bases.insert(name.clone(), bases);
        }
        self.bind_target_name(&name);
        // The class body runs where the class statement is.
        let saved = self.class.replace(name);
        self.scopes.push(Scope::default());
        self.visit_body(&c.body);
        self.scopes.pop();
        self.class = saved;
    }

    fn is_main_guard(test: &Expr) -> bool {
        let Expr::Compare(c) = test else {
            return false;
        };
        let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id == "__name__");
        let is_main =
            |e: &Expr| matches!(e, Expr::StringLiteral(s) if s.value.to_str() == "__main__");
        c.ops.len() == 1
            && matches!(c.ops[0], ast::CmpOp::Eq)
            && ((is_name(&c.left) && is_main(&c.comparators[0]))
                || (is_main(&c.left) && is_name(&c.comparators[0])))
    }

    /// Settles what runs at import time and returns the facts.
    fn finish(mut self) -> PyFacts {
        let mut reachable: HashSet<String> = HashSet::new();
        let mut todo: Vec<String> = vec!["<module>".into()];
        while let Some(s) = todo.pop() {
            if let Some(callees) = self.edges.get(&s) {
                for c in callees {
                    if reachable.insert(c.clone()) {
                        todo.push(c.clone());
                    }
                }
            }
        }
        let runs = |context: Context, scope: &str| match context {
            Context::ImportTime => true,
            Context::Function => reachable.contains(scope),
            Context::Main => false,
        };
        for (mut r, context) in std::mem::take(&mut self.pending) {
            r.import_time = runs(context, &r.scope);
            self.facts.reaches.push(r);
        }
        for (mut i, context, scope) in std::mem::take(&mut self.imports) {
            i.import_time = runs(context, &scope);
            self.facts.imports.push(i);
        }
        self.facts
    }
}

impl<'a> Visitor<'a> for Walker<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth >= MAX_DEPTH {
            self.too_deep.get_or_insert(self.line(stmt));
            return;
        }
        self.depth += 1;
        match stmt {
            Stmt::FunctionDef(f) => self.function(f),
            Stmt::ClassDef(c) => self.class_def(c),
            Stmt::Import(i) => {
                let line = self.line(i);
                for a in &i.names {
                    let module = a.name.id.to_string();
                    match &a.asname {
                        Some(asname) => {
                            self.scope()
                                .aliases
                                .insert(asname.id.to_string(), module.clone());
                        }
                        None => {
                            // `import os.path` binds `os`.
                            let root = module.split('.').next().unwrap_or("").to_owned();
                            self.scope().aliases.insert(root.clone(), root);
                        }
                    }
                    self.record_import(module, line);
                }
            }
            Stmt::ImportFrom(i) => {
                let line = self.line(i);
                let module = format!(
                    "{}{}",
                    ".".repeat(i.level as usize),
                    i.module.as_ref().map_or("", |m| m.id.as_str())
                );
                for a in &i.names {
                    let full = if module.ends_with('.') || module.is_empty() {
                        format!("{module}{}", a.name.id)
                    } else {
                        format!("{module}.{}", a.name.id)
                    };
                    let bound = a.asname.as_ref().unwrap_or(&a.name).id.to_string();
                    if a.name.id != "*" {
                        self.scope().aliases.insert(bound, full);
                    }
                }
                self.record_import(module, line);
            }
            Stmt::Assign(a) => {
                self.visit_expr(&a.value);
                for t in &a.targets {
                    self.bind_target(t);
                    self.visit_expr(t);
                }
                // `s = os.system`, `m = __import__("os")`: an alias for what the value names.
                if let [Expr::Name(n)] = a.targets.as_slice()
                    && matches!(
                        &*a.value,
                        Expr::Name(_) | Expr::Attribute(_) | Expr::Call(_) | Expr::Subscript(_)
                    )
                    && let Some(v) = self.resolve(&a.value)
                {
                    self.scope().aliases.insert(n.id.to_string(), v);
                }
            }
            Stmt::AnnAssign(a) => {
                self.bind_target(&a.target);
                visitor::walk_stmt(self, stmt);
            }
            Stmt::AugAssign(a) => {
                self.bind_target(&a.target);
                visitor::walk_stmt(self, stmt);
            }
            Stmt::For(f) => {
                self.bind_target(&f.target);
                visitor::walk_stmt(self, stmt);
            }
            Stmt::With(w) => {
                for item in &w.items {
                    if let Some(v) = &item.optional_vars {
                        self.bind_target(v);
                    }
                }
                visitor::walk_stmt(self, stmt);
            }
            Stmt::If(i) if self.context == Context::ImportTime && Self::is_main_guard(&i.test) => {
                self.context = Context::Main;
                self.visit_body(&i.body);
                self.context = Context::ImportTime;
                for c in &i.elif_else_clauses {
                    if let Some(t) = &c.test {
                        self.visit_expr(t);
                    }
                    self.visit_body(&c.body);
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
        self.depth -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth >= MAX_DEPTH {
            self.too_deep.get_or_insert(self.line(expr));
            return;
        }
        self.depth += 1;
        match expr {
            Expr::Call(c) => {
                self.call(c);
                visitor::walk_expr(self, expr);
            }
            Expr::Named(n) => {
                self.bind_target(&n.target);
                visitor::walk_expr(self, expr);
            }
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.visit_parameters(p);
                }
                let mut scope = Scope::default();
                for p in l.parameters.iter().flat_map(|p| p.iter()) {
                    scope.bound.insert(p.name().id.to_string());
                }
                // A lambda at module level is usually called there (map, sorted, a registry): its body counts
                // as import time there, and as its enclosing function's inside a function.
                self.scopes.push(scope);
                self.visit_expr(&l.body);
                self.scopes.pop();
            }
            Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {
                self.scopes.push(Scope::default());
                visitor::walk_expr(self, expr);
                self.scopes.pop();
            }
            _ => visitor::walk_expr(self, expr),
        }
        self.depth -= 1;
    }

    fn visit_comprehension(&mut self, comprehension: &'a ast::Comprehension) {
        self.bind_target(&comprehension.target);
        visitor::walk_comprehension(self, comprehension);
    }

    fn visit_except_handler(&mut self, handler: &'a ast::ExceptHandler) {
        let ast::ExceptHandler::ExceptHandler(h) = handler;
        if let Some(n) = &h.name {
            self.bind_target_name(&n.id);
        }
        visitor::walk_except_handler(self, handler);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(src: &str) -> PyFacts {
        analyse(src.as_bytes()).unwrap()
    }

    fn at_import(src: &str) -> Vec<(Category, String)> {
        facts(src)
            .at_import()
            .map(|r| (r.category, r.name.clone()))
            .collect()
    }

    #[test]
    fn module_level_process_is_import_time() {
        assert_eq!(
            at_import("import os\nos.system('echo pwned')\n"),
            [(Category::Process, "os.system".into())]
        );
    }

    #[test]
    fn aliases_are_resolved() {
        let src = "import subprocess as sp\nfrom os import system as s\nimport os as o\n\
                   sp.run(['echo'])\ns('x')\nf = o.popen\nf('x')\n";
        assert_eq!(
            at_import(src),
            [
                (Category::Process, "subprocess.run".into()),
                (Category::Process, "os.system".into()),
                (Category::Process, "os.popen".into()),
            ]
        );
    }

    #[test]
    fn dynamic_lookups_are_resolved() {
        let src = "getattr(__import__('os'), 'system')('x')\nimport importlib\n\
                   importlib.import_module('subprocess').call('x')\nimport sys\nsys.modules['os'].system('y')\n\
                   __builtins__.__dict__['exec']('1')\n";
        let got = at_import(src);
        assert!(
            got.contains(&(Category::Process, "os.system".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&(Category::Process, "subprocess.call".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&(Category::Eval, "builtins.exec".into())),
            "{got:?}"
        );
    }

    #[test]
    fn function_bodies_are_not_import_time_unless_called() {
        let f = facts("import os\ndef f():\n    os.system('x')\n");
        assert_eq!(f.reaches.len(), 1);
        assert!(!f.reaches[0].import_time);
        let f = facts("import os\ndef g():\n    os.system('x')\ndef f():\n    g()\nf()\n");
        assert!(f.reaches[0].import_time, "{:?}", f.reaches);
        let f = facts(
            "import os\nclass C:\n    def __init__(self):\n        self.go()\n    def go(self):\n        os.remove('x')\nC()\n",
        );
        assert!(f.reaches[0].import_time, "{:?}", f.reaches);
        let f = facts(
            "import os\ndef deco(g):\n    os.system('x')\n    return g\n@deco\ndef h(): pass\n",
        );
        assert!(f.reaches[0].import_time, "{:?}", f.reaches);
    }

    #[test]
    fn class_bodies_defaults_and_decorators_are_import_time() {
        let got = at_import(
            "import os\nclass C:\n    x = os.system('a')\ndef f(a=os.popen('b')):\n    pass\n@eval('c')\ndef g(): pass\n",
        );
        assert_eq!(got.len(), 3, "{got:?}");
    }

    #[test]
    fn main_guard_is_not_import_time() {
        let f = facts("import os\nif __name__ == '__main__':\n    os.system('x')\n");
        assert!(!f.reaches[0].import_time);
    }

    #[test]
    fn obfuscated_exec_is_recognised() {
        let got = at_import("import base64\nexec(base64.b64decode('cHJpbnQoMSk='))\n");
        assert_eq!(got, [(Category::Obfuscated, "builtins.exec".into())]);
    }

    #[test]
    fn open_mode_decides_read_or_write() {
        let got = at_import("open('a')\nopen('b', 'wb')\nopen('c', mode='a')\nopen('d', 'rb')\n");
        let cats: Vec<_> = got.iter().map(|g| g.0).collect();
        assert_eq!(
            cats,
            [
                Category::FileRead,
                Category::FileWrite,
                Category::FileWrite,
                Category::FileRead
            ]
        );
    }

    #[test]
    fn benign_modeling_code_reaches_nothing() {
        let src = "import torch\nfrom torch import nn\nfrom transformers import PreTrainedModel\n\
                   from .configuration_x import XConfig\nclass XModel(PreTrainedModel):\n    config_class = XConfig\n\
                   def __init__(self, config):\n        super().__init__(config)\n        self.l = nn.Linear(2, 2)\n";
        let f = facts(src);
        assert!(f.reaches.is_empty(), "{:?}", f.reaches);
        let mods: Vec<_> = f.imports.iter().map(|i| i.module.as_str()).collect();
        assert_eq!(mods, ["torch", "torch", "transformers", ".configuration_x"]);
        assert!(f.classes.contains("XModel"));
    }

    #[test]
    fn shadowed_builtins_are_not_builtins() {
        let f = facts("def eval(x):\n    return x\neval('1')\nexec = print\nexec('x')\n");
        assert!(f.reaches.is_empty(), "{:?}", f.reaches);
    }

    #[test]
    fn syntax_errors_and_limits_are_errors() {
        assert!(matches!(
            analyse(b"def f(:\n"),
            Err(PyError::Syntax { line: 1, .. })
        ));
        assert!(matches!(analyse(b"x = '\xff'\n"), Err(PyError::NotUtf8(5))));
        let big = vec![b'#'; MAX_SOURCE + 1];
        assert!(matches!(analyse(&big), Err(PyError::TooLarge(_))));
    }

    #[test]
    fn wide_is_not_deep() {
        // A generated table: a hundred thousand negative floats in one statement, and long call sequences.
        let items: Vec<String> = (0..100_000).map(|i| format!("-{i}.5")).collect();
        let src = format!("TABLE = [{}]\nx = f(a.b.c, g(h(1)))\n", items.join(", "));
        assert!(analyse(src.as_bytes()).is_ok());
        let src = "s = f'{a + b:>{width}} {\"x\"!r}' + \"\"\"doc ((((( \"\"\"\nif a:\n    if b:\n        pass\n";
        assert!(analyse(src.as_bytes()).is_ok());
    }

    #[test]
    fn deep_nesting_is_bounded_not_a_crash() {
        // Brackets: the parser grows its stack; the walk stops at MAX_DEPTH.
        let n = 100_000;
        let src = format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n));
        assert!(matches!(analyse(src.as_bytes()), Err(PyError::TooDeep(1))));
        let src = format!("x = {}1{}\n", "[".repeat(n), "]".repeat(n));
        assert!(matches!(analyse(src.as_bytes()), Err(PyError::TooDeep(1))));
        // A left-deep operator chain as long as the size limit allows: a million levels to walk and drop.
        let src = format!("x = a{}\n", "+a".repeat(MAX_SOURCE / 2 - 8));
        assert!(matches!(analyse(src.as_bytes()), Err(PyError::TooDeep(1))));
        let src = format!("x = {}a\n", "not ".repeat(MAX_SOURCE / 4 - 8));
        assert!(matches!(analyse(src.as_bytes()), Err(PyError::TooDeep(1))));
        let src = format!("x = a{}\n", ".b".repeat(MAX_SOURCE / 2 - 8));
        assert!(matches!(analyse(src.as_bytes()), Err(PyError::TooDeep(1))));
        let src = format!("x = f{}\n", "()".repeat(MAX_SOURCE / 2 - 8));
        assert!(matches!(analyse(src.as_bytes()), Err(PyError::TooDeep(1))));
        // Indentation.
        let mut src = String::new();
        for i in 0..2000 {
            src.push_str(&" ".repeat(i));
            src.push_str("if x:\n");
        }
        src.push_str(&" ".repeat(2000));
        src.push_str("pass\n");
        assert!(matches!(analyse(src.as_bytes()), Err(PyError::TooDeep(_))));
    }
}
