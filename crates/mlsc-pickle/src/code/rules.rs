//! The finding codes of the Python code checks (`MLSC-CODE`): Python sources, TorchScript `code/`, torch.package
//! modules and Hugging Face repositories that run their own code. Codes are stable contracts: never renumber, only
//! add.

use mlsc_core::{Rule, Severity};

const EXEC: &[&str] = &[
    "owasp-ml:ML06",
    "atlas:AML.T0010",
    "atlas:AML.T0011",
    "cwe:94",
];
const SUPPLY: &[&str] = &["owasp-ml:ML06", "atlas:AML.T0010"];
const PARSE: &[&str] = &["owasp-ml:ML06", "cwe:20"];

/// `MLSC-CODE-001`: Python code starts a process or a shell when it is imported (os.system, subprocess, pty, os.exec*, os.popen)
pub const PYTHON_PROCESS_AT_IMPORT: Rule = Rule::new("MLSC-CODE-001", "python-process-at-import", Severity::Critical, "python process at import")
.with_tags(EXEC)
.with_summary("Python code starts a process or a shell when it is imported (os.system, subprocess, pty, os.exec*, os.popen)");

/// `MLSC-CODE-002`: Python code runs code built from data when it is imported (eval, exec, compile, runpy, code objects), or imports a module named at run time
pub const PYTHON_EVAL_AT_IMPORT: Rule = Rule::new("MLSC-CODE-002", "python-eval-at-import", Severity::Critical, "python eval at import")
.with_tags(EXEC)
.with_summary("Python code runs code built from data when it is imported (eval, exec, compile, runpy, code objects), or imports a module named at run time");

/// `MLSC-CODE-003`: Python code writes, moves or deletes files when it is imported
pub const PYTHON_FILE_WRITE_AT_IMPORT: Rule = Rule::new(
    "MLSC-CODE-003",
    "python-file-write-at-import",
    Severity::High,
    "python file write at import",
)
.with_tags(EXEC)
.with_summary("Python code writes, moves or deletes files when it is imported");

/// `MLSC-CODE-004`: Python code opens a network connection when it is imported (socket, urllib, requests, http.client)
pub const PYTHON_NETWORK_AT_IMPORT: Rule = Rule::new("MLSC-CODE-004", "python-network-at-import", Severity::High, "python network at import")
.with_tags(EXEC)
.with_summary("Python code opens a network connection when it is imported (socket, urllib, requests, http.client)");

/// `MLSC-CODE-005`: Python code loads or calls native code when it is imported (ctypes, cffi, torch.ops.load_library)
pub const PYTHON_NATIVE_CODE_AT_IMPORT: Rule = Rule::new("MLSC-CODE-005", "python-native-code-at-import", Severity::High, "python native code at import")
.with_tags(EXEC)
.with_summary("Python code loads or calls native code when it is imported (ctypes, cffi, torch.ops.load_library)");

/// `MLSC-CODE-006`: Python code unpickles or deserialises data that can run code when it is imported (pickle.loads, torch.load, yaml.load)
pub const PYTHON_DESERIALISE_AT_IMPORT: Rule = Rule::new("MLSC-CODE-006", "python-deserialise-at-import", Severity::High, "python deserialise at import")
.with_tags(EXEC)
.with_summary("Python code unpickles or deserialises data that can run code when it is imported (pickle.loads, torch.load, yaml.load)");

/// `MLSC-CODE-007`: Python code executes decoded data (exec/eval of base64, zlib, hex or codecs output): hidden code
pub const PYTHON_OBFUSCATED_EXEC: Rule = Rule::new("MLSC-CODE-007", "python-obfuscated-exec", Severity::Critical, "python obfuscated exec")
.with_tags(EXEC)
.with_summary("Python code executes decoded data (exec/eval of base64, zlib, hex or codecs output): hidden code");

/// `MLSC-CODE-008`: A function body reaches for processes, files, the network, eval/exec or native code; nothing calls it at import time
pub const PYTHON_REACH_IN_FUNCTION: Rule = Rule::new("MLSC-CODE-008", "python-reach-in-function", Severity::Low, "python reach in function")
.with_tags(SUPPLY)
.with_summary("A function body reaches for processes, files, the network, eval/exec or native code; nothing calls it at import time");

/// `MLSC-CODE-009`: A Python source could not be parsed or is too large or too deeply nested to analyse; what it does is unknown
pub const PYTHON_UNPARSABLE: Rule = Rule::new("MLSC-CODE-009", "python-unparsable", Severity::Medium, "python unparsable")
.with_tags(PARSE)
.with_summary("A Python source could not be parsed or is too large or too deeply nested to analyse; what it does is unknown");

/// `MLSC-CODE-010`: Python code reads files when it is imported
pub const PYTHON_FILE_READ_AT_IMPORT: Rule = Rule::new(
    "MLSC-CODE-010",
    "python-file-read-at-import",
    Severity::Low,
    "python file read at import",
)
.with_tags(SUPPLY)
.with_summary("Python code reads files when it is imported");

/// `MLSC-CODE-011`: A Python source: the modules it imports; it calls nothing dangerous when imported
pub const PYTHON_SOURCE: Rule = Rule::new(
    "MLSC-CODE-011",
    "python-source",
    Severity::Info,
    "python source",
)
.with_tags(SUPPLY)
.with_summary("A Python source: the modules it imports; it calls nothing dangerous when imported");

/// `MLSC-CODE-012`: Loading runs code from this repository (auto_map, a local _target_ class or custom architecture): the Python files are listed and were analysed
pub const REPO_RUNS_OWN_CODE: Rule = Rule::new("MLSC-CODE-012", "repo-runs-own-code", Severity::Medium, "repo runs own code")
.with_tags(EXEC)
.with_summary("Loading runs code from this repository (auto_map, a local _target_ class or custom architecture): the Python files are listed and were analysed");

/// `MLSC-CODE-013`: An auto_map entry points at code in another repository, which the loader downloads and runs and which was not scanned
pub const REPO_REMOTE_CODE: Rule = Rule::new("MLSC-CODE-013", "repo-remote-code", Severity::High, "repo remote code")
.with_tags(EXEC)
.with_summary("An auto_map entry points at code in another repository, which the loader downloads and runs and which was not scanned");

/// `MLSC-CODE-014`: A configuration sets trust_remote_code: loading runs Python code shipped with the model
pub const REPO_TRUST_REMOTE_CODE: Rule = Rule::new(
    "MLSC-CODE-014",
    "repo-trust-remote-code",
    Severity::Medium,
    "repo trust remote code",
)
.with_tags(EXEC)
.with_summary(
    "A configuration sets trust_remote_code: loading runs Python code shipped with the model",
);

/// `MLSC-CODE-015`: An auto_map entry names a local module whose .py file is not in the repository: the loader fetches or fails, and the code was not analysed
pub const REPO_CODE_MISSING: Rule = Rule::new("MLSC-CODE-015", "repo-code-missing", Severity::Medium, "repo code missing")
.with_tags(SUPPLY)
.with_summary("An auto_map entry names a local module whose .py file is not in the repository: the loader fetches or fails, and the code was not analysed");

/// `MLSC-CODE-016`: TorchScript code calls an operator that touches files, processes or the network (aten::save, aten::from_file, prim::rpc_*)
pub const TORCHSCRIPT_IO_OP: Rule = Rule::new("MLSC-CODE-016", "torchscript-io-op", Severity::High, "torchscript io op")
.with_tags(EXEC)
.with_summary("TorchScript code calls an operator that touches files, processes or the network (aten::save, aten::from_file, prim::rpc_*)");

/// `MLSC-CODE-017`: TorchScript code calls a name outside torch ops, the archive's own __torch__ classes and TorchScript builtins
pub const TORCHSCRIPT_UNKNOWN_CALL: Rule = Rule::new("MLSC-CODE-017", "torchscript-unknown-call", Severity::Medium, "torchscript unknown call")
.with_tags(SUPPLY)
.with_summary("TorchScript code calls a name outside torch ops, the archive's own __torch__ classes and TorchScript builtins");

/// `MLSC-CODE-018`: TorchScript code calls operators from a non-standard namespace: they exist only when a native library is loaded, whose code is unknown
pub const TORCHSCRIPT_CUSTOM_OP: Rule = Rule::new("MLSC-CODE-018", "torchscript-custom-op", Severity::Medium, "torchscript custom op")
.with_tags(SUPPLY)
.with_summary("TorchScript code calls operators from a non-standard namespace: they exist only when a native library is loaded, whose code is unknown");

/// `MLSC-CODE-019`: The TorchScript code/ files of the archive were parsed: every call reaches torch operators, the archive's own classes or TorchScript builtins
pub const TORCHSCRIPT_CODE_ANALYSED: Rule = Rule::new("MLSC-CODE-019", "torchscript-code-analysed", Severity::Info, "torchscript code analysed")
.with_tags(SUPPLY)
.with_summary("The TorchScript code/ files of the archive were parsed: every call reaches torch operators, the archive's own classes or TorchScript builtins");

/// `MLSC-CODE-020`: A torch.package archive: its packaged Python modules, which PackageImporter imports on load, were analysed and are listed
pub const TORCH_PACKAGE_MODULES: Rule = Rule::new("MLSC-CODE-020", "torch-package-modules", Severity::Info, "torch package modules")
.with_tags(SUPPLY)
.with_summary("A torch.package archive: its packaged Python modules, which PackageImporter imports on load, were analysed and are listed");

/// Every code the Python code checks emit.
pub(crate) const RULES: &[Rule] = &[
    PYTHON_PROCESS_AT_IMPORT,
    PYTHON_EVAL_AT_IMPORT,
    PYTHON_FILE_WRITE_AT_IMPORT,
    PYTHON_NETWORK_AT_IMPORT,
    PYTHON_NATIVE_CODE_AT_IMPORT,
    PYTHON_DESERIALISE_AT_IMPORT,
    PYTHON_OBFUSCATED_EXEC,
    PYTHON_REACH_IN_FUNCTION,
    PYTHON_UNPARSABLE,
    PYTHON_FILE_READ_AT_IMPORT,
    PYTHON_SOURCE,
    REPO_RUNS_OWN_CODE,
    REPO_REMOTE_CODE,
    REPO_TRUST_REMOTE_CODE,
    REPO_CODE_MISSING,
    TORCHSCRIPT_IO_OP,
    TORCHSCRIPT_UNKNOWN_CALL,
    TORCHSCRIPT_CUSTOM_OP,
    TORCHSCRIPT_CODE_ANALYSED,
    TORCH_PACKAGE_MODULES,
];
