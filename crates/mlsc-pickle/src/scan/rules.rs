//! The finding codes of the scanner: walk, formats and limits (`MLSC-SCAN`), zip (`MLSC-ZIP`), NumPy
//! (`MLSC-NPY`), archive member paths (`MLSC-ARC`), safetensors (`MLSC-ST`), GGUF (`MLSC-GGUF`), ONNX (`MLSC-ONNX`) and Keras/HDF5 (`MLSC-KERAS`).
//! Codes are stable contracts: never renumber, only add.

use mlsc_core::{Rule, Severity};

const SUPPLY: &[&str] = &["owasp-ml:ML06", "atlas:AML.T0010"];
const EXEC: &[&str] = &[
    "owasp-ml:ML06",
    "atlas:AML.T0010",
    "atlas:AML.T0011",
    "cwe:502",
];
const PARSE: &[&str] = &["owasp-ml:ML06", "cwe:20"];
const LIMIT: &[&str] = &["owasp-ml:ML06", "cwe:400"];
const TRAVERSAL: &[&str] = &["owasp-ml:ML06", "cwe:22", "cwe:59"];

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

/// Every code the scanner emits.
pub(crate) const RULES: &[Rule] = &[
    rule!(
        "MLSC-SCAN-001",
        "not-a-model-format",
        Info,
        SUPPLY,
        "The content matches no model format (text, configuration or unknown bytes): listed, nothing to load"
    ),
    rule!(
        "MLSC-SCAN-002",
        "symlink-leaves-tree",
        Medium,
        SUPPLY,
        "A symbolic link points outside the scanned directory; its target was not scanned"
    ),
    rule!(
        "MLSC-SCAN-003",
        "nesting-too-deep",
        Medium,
        LIMIT,
        "Containers are nested deeper than the depth limit; the inner content was not analysed"
    ),
    rule!(
        "MLSC-SCAN-004",
        "decompression-limit",
        Medium,
        LIMIT,
        "Decompression stopped at the size or ratio limit (a possible decompression bomb); the content was not analysed"
    ),
    rule!(
        "MLSC-SCAN-005",
        "too-large-for-memory",
        Medium,
        LIMIT,
        "A part that must be analysed in memory is larger than the memory limit; it was not analysed"
    ),
    rule!(
        "MLSC-SCAN-006",
        "corrupt-stream",
        Medium,
        PARSE,
        "A compressed stream or archive is corrupt or truncated; what it holds was not (fully) analysed"
    ),
    rule!(
        "MLSC-SCAN-007",
        "unsupported-content",
        Medium,
        SUPPLY,
        "The content is a format or variant that is not analysed, so its safety is unknown"
    ),
    rule!(
        "MLSC-SCAN-008",
        "pickle-zip-polyglot",
        Low,
        SUPPLY,
        "The file is both a pickle and a zip archive: loaders disagree on what it is; both parts were analysed"
    ),
    rule!(
        "MLSC-SCAN-009",
        "too-many-members",
        Medium,
        LIMIT,
        "An archive has more members than the member limit; the rest were not analysed"
    ),
    rule!(
        "MLSC-SCAN-010",
        "legacy-pytorch-malformed",
        Medium,
        PARSE,
        "A legacy PyTorch file does not have the stacked-pickle layout torch.save writes"
    ),
    rule!(
        "MLSC-SCAN-011",
        "symlink-loop",
        Info,
        SUPPLY,
        "A symbolic link points back into the tree (or loops); it was not followed twice"
    ),
    rule!(
        "MLSC-SCAN-012",
        "unidentified-model-file",
        Medium,
        SUPPLY,
        "A file named for an ML loader (`.pkl`, `.pt`, `.safetensors`, …) holds content that is not identified or not analysed; the loader its name calls would still open it"
    ),
    rule!(
        "MLSC-SCAN-013",
        "special-file-skipped",
        Info,
        SUPPLY,
        "A FIFO, socket or device inside a scanned directory was listed and never opened"
    ),
    rule!(
        "MLSC-SCAN-014",
        "time-budget",
        Medium,
        LIMIT,
        "The per-file time budget ran out; the rest of the file was not analysed"
    ),
    rule!(
        "MLSC-ZIP-001",
        "zip-no-central-directory",
        Medium,
        PARSE,
        "A zip archive has no readable end-of-central-directory record or central directory"
    ),
    rule!(
        "MLSC-ZIP-002",
        "zip-bad-local-header",
        Medium,
        PARSE,
        "A zip member's local header is missing or outside the file; the member cannot be loaded or analysed"
    ),
    rule!(
        "MLSC-ZIP-003",
        "zip-name-mismatch",
        Low,
        PARSE,
        "A member's local header names it differently from the central directory (PyTorch uses the central name)"
    ),
    rule!(
        "MLSC-ZIP-004",
        "zip-flag-mismatch",
        Low,
        PARSE,
        "A member's local header flags differ from the central directory's, or reserved flag bits are set"
    ),
    rule!(
        "MLSC-ZIP-005",
        "zip-crc-mismatch",
        Low,
        PARSE,
        "A member's CRC-32 does not match its content (PyTorch loads it anyway)"
    ),
    rule!(
        "MLSC-ZIP-006",
        "zip-duplicate-name",
        Low,
        SUPPLY,
        "Two members have the same name. No longer emitted: duplicate members of every archive are MLSC-ARC-005"
    ),
    rule!(
        "MLSC-ZIP-007",
        "zip-encrypted-member",
        Medium,
        SUPPLY,
        "A member is encrypted, so it could not be analysed"
    ),
    rule!(
        "MLSC-ZIP-008",
        "zip-unsupported-method",
        Medium,
        SUPPLY,
        "A member uses a compression method that is not analysed"
    ),
    rule!(
        "MLSC-ZIP-009",
        "zip-prepended-data",
        Low,
        PARSE,
        "Bytes precede the first zip record (offsets shifted); the prefix was analysed on its own"
    ),
    rule!(
        "MLSC-ZIP-010",
        "zip-data-descriptor",
        Info,
        PARSE,
        "A member uses a data descriptor (sizes after the data); the central directory's sizes were used"
    ),
    rule!(
        "MLSC-ZIP-011",
        "zip-overlapping-members",
        Medium,
        PARSE,
        "Two members' data overlap (a zip-bomb or parser-confusion construction)"
    ),
    rule!(
        "MLSC-ZIP-012",
        "zip-size-mismatch",
        Low,
        PARSE,
        "A member's sizes in its local header differ from the central directory's"
    ),
    rule!(
        "MLSC-ZIP-013",
        "zip-storages-skipped",
        Info,
        SUPPLY,
        "PyTorch tensor storages were not read: torch never unpickles them"
    ),
    rule!(
        "MLSC-NPY-001",
        "npy-malformed-header",
        Medium,
        PARSE,
        "A NumPy .npy header is malformed (magic, version, length or dictionary)"
    ),
    rule!(
        "MLSC-NPY-002",
        "npy-object-array",
        Info,
        SUPPLY,
        "A NumPy array has an object dtype: its data is a pickle, which was analysed"
    ),
    rule!(
        "MLSC-NPY-003",
        "npy-size-mismatch",
        Low,
        PARSE,
        "A NumPy array's data size differs from what its shape and dtype require"
    ),
    rule!(
        "MLSC-ST-001",
        "safetensors-header-length",
        Medium,
        PARSE,
        "The safetensors header length is impossible for the file's size"
    ),
    rule!(
        "MLSC-ST-002",
        "safetensors-header-json",
        Medium,
        PARSE,
        "The safetensors header is not a JSON object"
    ),
    rule!(
        "MLSC-ST-003",
        "safetensors-bad-tensor",
        Medium,
        PARSE,
        "A safetensors tensor entry is malformed (dtype, shape or data_offsets missing or of the wrong type)"
    ),
    rule!(
        "MLSC-ST-004",
        "safetensors-size-mismatch",
        Medium,
        PARSE,
        "A tensor's shape and dtype need a different number of bytes than its data_offsets span"
    ),
    rule!(
        "MLSC-ST-005",
        "safetensors-out-of-file",
        Medium,
        PARSE,
        "A tensor's data_offsets point outside the file's data section"
    ),
    rule!(
        "MLSC-ST-006",
        "safetensors-overlap",
        Medium,
        PARSE,
        "Two tensors' data overlap"
    ),
    rule!(
        "MLSC-ST-007",
        "safetensors-gap",
        Medium,
        PARSE,
        "The tensors' data is not contiguous: bytes between or after them belong to no tensor (the safetensors loader refuses the file)"
    ),
    rule!(
        "MLSC-ST-008",
        "safetensors-metadata-type",
        Medium,
        PARSE,
        "A `__metadata__` value is not a string (the safetensors loader refuses the file)"
    ),
    rule!(
        "MLSC-ST-009",
        "safetensors-unknown-dtype",
        Medium,
        PARSE,
        "A tensor has a dtype safetensors does not define"
    ),
    rule!(
        "MLSC-GGUF-001",
        "gguf-malformed",
        Medium,
        PARSE,
        "A GGUF header, metadata entry or tensor description is malformed or out of bounds"
    ),
    rule!(
        "MLSC-GGUF-002",
        "gguf-template-sandbox-escape",
        Critical,
        EXEC,
        "A chat template reaches Python internals (dunder attributes): a Jinja sandbox escape runs code"
    ),
    rule!(
        "MLSC-GGUF-003",
        "gguf-template-dangerous-name",
        High,
        EXEC,
        "A chat template names os, popen, eval, exec, import or another code-execution construct"
    ),
    rule!(
        "MLSC-GGUF-004",
        "gguf-unsupported-version",
        Medium,
        SUPPLY,
        "The GGUF version is not 2 or 3, so the file was not analysed"
    ),
    rule!(
        "MLSC-ONNX-001",
        "onnx-external-data-escape",
        High,
        &["owasp-ml:ML06", "cwe:22"],
        "A tensor's external data location is absolute or leaves the model directory (arbitrary file read on load)"
    ),
    rule!(
        "MLSC-ONNX-002",
        "onnx-custom-domain",
        Info,
        SUPPLY,
        "The model uses operators from a non-standard domain: they need a custom runtime library"
    ),
    rule!(
        "MLSC-ONNX-003",
        "onnx-malformed",
        Medium,
        PARSE,
        "The ONNX protobuf is malformed (bad varint, wire type or length)"
    ),
    rule!(
        "MLSC-ONNX-004",
        "onnx-external-data",
        Info,
        SUPPLY,
        "The model keeps tensors in external files, which are not part of this file"
    ),
    rule!(
        "MLSC-KERAS-001",
        "keras-lambda-layer",
        Critical,
        EXEC,
        "A Keras Lambda layer (or serialised lambda) carries Python code that runs on load"
    ),
    rule!(
        "MLSC-KERAS-002",
        "keras-foreign-module",
        Critical,
        EXEC,
        "A Keras config names a module or function outside Keras, which Keras imports and calls on load"
    ),
    rule!(
        "MLSC-KERAS-003",
        "keras-bad-config",
        Medium,
        PARSE,
        "A Keras model config is missing or not valid JSON"
    ),
    rule!(
        "MLSC-KERAS-004",
        "hdf5-weights-only",
        Info,
        SUPPLY,
        "An HDF5 file holds no `model_config` attribute: weights only, no code to load"
    ),
    rule!(
        "MLSC-KERAS-005",
        "keras-external-artefact",
        High,
        EXEC,
        "A Keras config loads or fetches an artefact from outside the file (TFSMLayer, get_file, a nested load_model) or turns safe_mode off, which safe_mode does not prevent"
    ),
    rule!(
        "MLSC-ARC-001",
        "archive-member-escapes",
        High,
        TRAVERSAL,
        "An archive member's name climbs out of the extraction directory with `..` (path traversal when extracted)"
    ),
    rule!(
        "MLSC-ARC-002",
        "archive-member-absolute",
        High,
        TRAVERSAL,
        "An archive member's name is absolute (`/etc/x`, `C:\\x`, `\\\\host\\x`): extraction writes wherever it says"
    ),
    rule!(
        "MLSC-ARC-003",
        "archive-link-escapes",
        High,
        TRAVERSAL,
        "A symbolic or hard link member points outside the extraction directory"
    ),
    rule!(
        "MLSC-ARC-004",
        "archive-write-through-link",
        High,
        TRAVERSAL,
        "A member is written under an earlier symbolic link member: extraction follows the link wherever it points"
    ),
    rule!(
        "MLSC-ARC-005",
        "archive-duplicate-member",
        High,
        TRAVERSAL,
        "Two members have the same (normalised) name: the later one shadows the earlier, and readers disagree on which one they load"
    ),
];
