//! TorchScript `code/` files: what their calls can reach.
//!
//! `torch.jit.save` writes each compiled class as Python-syntax TorchScript under `<archive>/code/`; torch.jit.load
//! compiles it again, and runs it (class `__setstate__` methods on load, `forward` when called). TorchScript is not
//! Python: a name resolves only to a registered operator (`torch.<op>` is `aten::<op>`, `ops.<ns>.<op>` is
//! `<ns>::<op>`), a class or function compiled from the archive itself (`__torch__.*`), or a TorchScript builtin.
//! There is no `import`, no `os`, no `eval`. So the dangerous calls are the few operators that touch files, processes
//! or the network, and operators of namespaces that only a native library loaded beside the model defines.
//!
//! The operator lists come from `torch._C._jit_get_all_schemas()` of torch 2.15 (`tests/gen/gen_code.py` prints
//! them): of its 32 namespaces, only `aten::save` and `aten::from_file` take a file name, `prim::rpc_*` reach other
//! processes, `debugprims::load_tensor` reads a file, and the `c10d` families talk to a process group.

use std::collections::BTreeMap;

use mlsc_core::Severity;

use super::emit;
use super::python::PyFacts;
use crate::scan::{Ctx, Here};

/// Operator namespaces torch itself registers (torch 2.15), minus those with I/O listed below by operator.
const STANDARD_NAMESPACES: &[&str] = &[
    "aten",
    "prim",
    "prims",
    "quantized",
    "_quantized",
    "quantization",
    "prepacked",
    "mkldnn",
    "mkldnn_prepacked",
    "mkl",
    "onednn",
    "sparse",
    "cuda",
    "profiler",
    "static_runtime",
    "_native",
    "rngprims",
    "inductor_prims",
    "debugprims",
    "_caffe2",
    "xnnpack",
    "_test",
];

/// Operators (`namespace::name`) that read or write files, reach other processes or the network.
const IO_OPS: &[(&str, &str)] = &[
    ("aten::save", "writes a file"),
    ("aten::from_file", "reads a file"),
    (
        "prim::rpc_async",
        "calls a remote process (torch.distributed.rpc)",
    ),
    (
        "prim::rpc_sync",
        "calls a remote process (torch.distributed.rpc)",
    ),
    (
        "prim::rpc_remote",
        "calls a remote process (torch.distributed.rpc)",
    ),
    ("debugprims::load_tensor", "reads a file"),
];

/// Namespaces whose operators communicate with other processes over a process group.
const NETWORK_NAMESPACES: &[&str] = &[
    "c10d",
    "_c10d_functional",
    "_c10d_functional_autograd",
    "symm_mem",
    "fsdp",
];

/// TorchScript builtins and names the code printer emits besides operators.
const BUILTINS: &[&str] = &[
    "annotate",
    "uninitialized",
    "unchecked_cast",
    "isinstance",
    "len",
    "int",
    "float",
    "bool",
    "str",
    "complex",
    "range",
    "enumerate",
    "zip",
    "list",
    "dict",
    "tuple",
    "getattr",
    "hasattr",
    "print",
    "min",
    "max",
    "abs",
    "round",
    "sum",
    "ord",
    "chr",
    "divmod",
    "sorted",
    "hash",
    "all",
    "any",
    "id",
    "hex",
    "oct",
    "bin",
    "pow",
    "fork",
    "wait",
    "super",
    "Module",
    "NamedTuple",
    "Enum",
    "Future",
    "Await",
    "CONSTANTS",
    "math",
    "Tensor",
    "Optional",
    "List",
    "Dict",
    "Tuple",
    "Union",
    "Any",
    "Device",
    "Final",
    "NoneType",
    "Callable",
    "warnings",
    "_awaitable",
    "_awaitable_wait",
    "_awaitable_nowait",
    "device",
    "RRef",
    "ScriptObject",
];

/// Names torch also lets TorchScript call as Python builtins that map to rpc operators.
const RPC_BUILTINS: &[&str] = &["rpc_async", "rpc_sync", "remote"];

/// What one call is.
enum Judgement {
    Allowed,
    Io(String, &'static str),
    Custom(String),
    Unknown,
}

fn judge(name: &str, local_root: bool) -> Judgement {
    let name = name.strip_prefix("builtins.").unwrap_or(name);
    // A method of a value (`(c).forward(x)`, `torch.dim(x).item()`): TorchScript dispatches it on the value's
    // type, to an operator or a compiled method; a free function is never reached this way.
    let mut parts = name.split('.');
    let root = parts.next().unwrap_or("");
    if root.contains('(') {
        return Judgement::Allowed;
    }
    let rest: Vec<&str> = parts.collect();
    let op = |ns: &str, op: &str| {
        let full = format!("{ns}::{}", op.trim_end_matches("()"));
        if let Some((_, what)) = IO_OPS.iter().find(|(o, _)| *o == full) {
            return Judgement::Io(full, what);
        }
        if NETWORK_NAMESPACES.contains(&ns) {
            return Judgement::Io(
                full,
                "communicates with other processes (a distributed process group)",
            );
        }
        if STANDARD_NAMESPACES.contains(&ns) {
            Judgement::Allowed
        } else {
            Judgement::Custom(full)
        }
    };
    match (root, rest.as_slice()) {
        ("torch", ["ops", "load_library" | "load_library()", ..]) => {
            Judgement::Io("torch.ops.load_library".into(), "loads a native library")
        }
        ("torch" | "", ["ops", ns, name, ..]) | ("ops", [ns, name, ..]) => op(ns, name),
        ("torch", ["classes", ns, ..]) if !STANDARD_NAMESPACES.contains(ns) => {
            Judgement::Custom(format!("torch.classes.{ns}"))
        }
        ("torch", [first, ..]) => op("aten", first),
        ("torch", []) => Judgement::Allowed,
        ("__torch__", _) => Judgement::Allowed,
        (r, _) if RPC_BUILTINS.contains(&r) && !local_root => Judgement::Io(
            format!("prim::{r}"),
            "calls a remote process (torch.distributed.rpc)",
        ),
        (r, _) if BUILTINS.contains(&r) => Judgement::Allowed,
        // A parameter, a local, `self`: a method call on a TorchScript value.
        _ if local_root => Judgement::Allowed,
        _ => Judgement::Unknown,
    }
}

/// Judges the calls of one TorchScript source. Returns true when every call is allowed.
pub(crate) fn check(ctx: &mut Ctx<'_>, facts: &PyFacts, here: &Here) -> bool {
    // One finding per distinct name and kind, at its first line, with a count.
    let mut io: BTreeMap<String, (u32, usize, &'static str)> = BTreeMap::new();
    let mut custom: BTreeMap<String, (u32, usize)> = BTreeMap::new();
    let mut unknown: BTreeMap<String, (u32, usize)> = BTreeMap::new();
    for c in &facts.calls {
        match judge(&c.name, c.local_root) {
            Judgement::Allowed => {}
            Judgement::Io(op, what) => io.entry(op).or_insert((c.line, 0, what)).1 += 1,
            Judgement::Custom(op) => custom.entry(op).or_insert((c.line, 0)).1 += 1,
            Judgement::Unknown => unknown.entry(c.name.clone()).or_insert((c.line, 0)).1 += 1,
        }
    }
    // Python-level imports cannot appear in TorchScript: one there means the file was written by hand.
    for i in &facts.imports {
        unknown
            .entry(format!("import {}", i.module))
            .or_insert((i.line, 0))
            .1 += 1;
    }
    let clean = io.is_empty() && custom.is_empty() && unknown.is_empty();
    for (op, (line, n, what)) in io {
        emit(
            ctx,
            &crate::rules::TORCHSCRIPT_IO_OP,
            Severity::High,
            here.loc.clone().at_line(line),
            format!(
                "TorchScript code calls `{op}` ({n} call(s)), which {what} when the model runs"
            ),
        );
    }
    for (op, (line, n)) in custom {
        emit(
            ctx,
            &crate::rules::TORCHSCRIPT_CUSTOM_OP,
            Severity::Medium,
            here.loc.clone().at_line(line),
            format!(
                "TorchScript code calls `{op}` ({n} call(s)), from a namespace torch does not define: it needs a native library loaded beside the model, whose code was not analysed"
            ),
        );
    }
    for (name, (line, n)) in unknown {
        emit(
            ctx,
            &crate::rules::TORCHSCRIPT_UNKNOWN_CALL,
            Severity::Medium,
            here.loc.clone().at_line(line),
            format!(
                "TorchScript code calls `{name}` ({n} call(s)), which is no torch operator, no class of this archive and no TorchScript builtin"
            ),
        );
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(name: &str) -> &'static str {
        match judge(name, false) {
            Judgement::Allowed => "allowed",
            Judgement::Io(..) => "io",
            Judgement::Custom(_) => "custom",
            Judgement::Unknown => "unknown",
        }
    }

    #[test]
    fn operators_are_judged_by_namespace_and_name() {
        assert_eq!(j("torch.conv2d"), "allowed");
        assert_eq!(j("ops.prim.RaiseException"), "allowed");
        assert_eq!(j("__torch__.torch.nn.functional.relu"), "allowed");
        assert_eq!(j("builtins.len"), "allowed");
        assert_eq!(j("annotate"), "allowed");
        assert_eq!(j("torch.save"), "io");
        assert_eq!(j("torch.from_file"), "io");
        assert_eq!(j("ops.aten.save"), "io");
        assert_eq!(j("torch.ops.aten.from_file"), "io");
        assert_eq!(j("ops.prim.rpc_async"), "io");
        assert_eq!(j("ops.c10d.allreduce_"), "io");
        assert_eq!(j("ops.my_ns.run"), "custom");
        assert_eq!(j("torch.ops.my_ns.run"), "custom");
        assert_eq!(j("os.system"), "unknown");
        assert_eq!(j("builtins.eval"), "unknown");
        assert_eq!(j("torch.relu().item"), "allowed");
    }
}
