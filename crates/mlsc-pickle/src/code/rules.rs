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

macro_rules! rule {
    ($code:literal, $name:literal, $sev:ident, $tags:expr, $summary:literal) => {
        Rule {
            code: $code,
            name: $name,
            default_severity: Severity::$sev,
            summary: $summary,
            tags: $tags,
        }
    };
}

/// Every code the Python code checks emit.
pub(crate) const RULES: &[Rule] = &[
    rule!(
        "MLSC-CODE-001",
        "python-process-at-import",
        Critical,
        EXEC,
        "Python code starts a process or a shell when it is imported (os.system, subprocess, pty, os.exec*, os.popen)"
    ),
    rule!(
        "MLSC-CODE-002",
        "python-eval-at-import",
        Critical,
        EXEC,
        "Python code runs code built from data when it is imported (eval, exec, compile, runpy, code objects), or imports a module named at run time"
    ),
    rule!(
        "MLSC-CODE-003",
        "python-file-write-at-import",
        High,
        EXEC,
        "Python code writes, moves or deletes files when it is imported"
    ),
    rule!(
        "MLSC-CODE-004",
        "python-network-at-import",
        High,
        EXEC,
        "Python code opens a network connection when it is imported (socket, urllib, requests, http.client)"
    ),
    rule!(
        "MLSC-CODE-005",
        "python-native-code-at-import",
        High,
        EXEC,
        "Python code loads or calls native code when it is imported (ctypes, cffi, torch.ops.load_library)"
    ),
    rule!(
        "MLSC-CODE-006",
        "python-deserialise-at-import",
        High,
        EXEC,
        "Python code unpickles or deserialises data that can run code when it is imported (pickle.loads, torch.load, yaml.load)"
    ),
    rule!(
        "MLSC-CODE-007",
        "python-obfuscated-exec",
        Critical,
        EXEC,
        "Python code executes decoded data (exec/eval of base64, zlib, hex or codecs output): hidden code"
    ),
    rule!(
        "MLSC-CODE-008",
        "python-reach-in-function",
        Low,
        SUPPLY,
        "A function body reaches for processes, files, the network, eval/exec or native code; nothing calls it at import time"
    ),
    rule!(
        "MLSC-CODE-009",
        "python-unparsable",
        Medium,
        PARSE,
        "A Python source could not be parsed or is too large or too deeply nested to analyse; what it does is unknown"
    ),
    rule!(
        "MLSC-CODE-010",
        "python-file-read-at-import",
        Low,
        SUPPLY,
        "Python code reads files when it is imported"
    ),
    rule!(
        "MLSC-CODE-011",
        "python-source",
        Info,
        SUPPLY,
        "A Python source: the modules it imports; it calls nothing dangerous when imported"
    ),
    rule!(
        "MLSC-CODE-012",
        "repo-runs-own-code",
        Medium,
        EXEC,
        "Loading runs code from this repository (auto_map, a local _target_ class or custom architecture): the Python files are listed and were analysed"
    ),
    rule!(
        "MLSC-CODE-013",
        "repo-remote-code",
        High,
        EXEC,
        "An auto_map entry points at code in another repository, which the loader downloads and runs and which was not scanned"
    ),
    rule!(
        "MLSC-CODE-014",
        "repo-trust-remote-code",
        Medium,
        EXEC,
        "A configuration sets trust_remote_code: loading runs Python code shipped with the model"
    ),
    rule!(
        "MLSC-CODE-015",
        "repo-code-missing",
        Medium,
        SUPPLY,
        "An auto_map entry names a local module whose .py file is not in the repository: the loader fetches or fails, and the code was not analysed"
    ),
    rule!(
        "MLSC-CODE-016",
        "torchscript-io-op",
        High,
        EXEC,
        "TorchScript code calls an operator that touches files, processes or the network (aten::save, aten::from_file, prim::rpc_*)"
    ),
    rule!(
        "MLSC-CODE-017",
        "torchscript-unknown-call",
        Medium,
        SUPPLY,
        "TorchScript code calls a name outside torch ops, the archive's own __torch__ classes and TorchScript builtins"
    ),
    rule!(
        "MLSC-CODE-018",
        "torchscript-custom-op",
        Medium,
        SUPPLY,
        "TorchScript code calls operators from a non-standard namespace: they exist only when a native library is loaded, whose code is unknown"
    ),
    rule!(
        "MLSC-CODE-019",
        "torchscript-code-analysed",
        Info,
        SUPPLY,
        "The TorchScript code/ files of the archive were parsed: every call reaches torch operators, the archive's own classes or TorchScript builtins"
    ),
    rule!(
        "MLSC-CODE-020",
        "torch-package-modules",
        Info,
        SUPPLY,
        "A torch.package archive: its packaged Python modules, which PackageImporter imports on load, were analysed and are listed"
    ),
];
