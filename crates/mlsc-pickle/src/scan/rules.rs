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

/// `MLSC-SCAN-001`: The content matches no model format (text, configuration or unknown bytes): listed, nothing to load
pub const NOT_A_MODEL_FORMAT: Rule = Rule::new("MLSC-SCAN-001", "not-a-model-format", Severity::Info, "not a model format")
.with_tags(SUPPLY)
.with_summary("The content matches no model format (text, configuration or unknown bytes): listed, nothing to load");

/// `MLSC-SCAN-002`: A symbolic link points outside the scanned directory; its target was not scanned
pub const SYMLINK_LEAVES_TREE: Rule = Rule::new(
    "MLSC-SCAN-002",
    "symlink-leaves-tree",
    Severity::Medium,
    "symlink leaves tree",
)
.with_tags(SUPPLY)
.with_summary("A symbolic link points outside the scanned directory; its target was not scanned");

/// `MLSC-SCAN-003`: Containers are nested deeper than the depth limit; the inner content was not analysed
pub const NESTING_TOO_DEEP: Rule = Rule::new(
    "MLSC-SCAN-003",
    "nesting-too-deep",
    Severity::Medium,
    "nesting too deep",
)
.with_tags(LIMIT)
.with_summary(
    "Containers are nested deeper than the depth limit; the inner content was not analysed",
);

/// `MLSC-SCAN-004`: Decompression stopped at the size or ratio limit (a possible decompression bomb); the content was not analysed
pub const DECOMPRESSION_LIMIT: Rule = Rule::new("MLSC-SCAN-004", "decompression-limit", Severity::Medium, "decompression limit")
.with_tags(LIMIT)
.with_summary("Decompression stopped at the size or ratio limit (a possible decompression bomb); the content was not analysed");

/// `MLSC-SCAN-005`: A part that must be analysed in memory is larger than the memory limit; it was not analysed
pub const TOO_LARGE_FOR_MEMORY: Rule = Rule::new(
    "MLSC-SCAN-005",
    "too-large-for-memory",
    Severity::Medium,
    "too large for memory",
)
.with_tags(LIMIT)
.with_summary(
    "A part that must be analysed in memory is larger than the memory limit; it was not analysed",
);

/// `MLSC-SCAN-006`: A compressed stream or archive is corrupt or truncated; what it holds was not (fully) analysed
pub const CORRUPT_STREAM: Rule = Rule::new("MLSC-SCAN-006", "corrupt-stream", Severity::Medium, "corrupt stream")
.with_tags(PARSE)
.with_summary("A compressed stream or archive is corrupt or truncated; what it holds was not (fully) analysed");

/// `MLSC-SCAN-007`: The content is a format or variant that is not analysed, so its safety is unknown
pub const UNSUPPORTED_CONTENT: Rule = Rule::new(
    "MLSC-SCAN-007",
    "unsupported-content",
    Severity::Medium,
    "unsupported content",
)
.with_tags(SUPPLY)
.with_summary("The content is a format or variant that is not analysed, so its safety is unknown");

/// `MLSC-SCAN-008`: The file is both a pickle and a zip archive: loaders disagree on what it is; both parts were analysed
pub const PICKLE_ZIP_POLYGLOT: Rule = Rule::new("MLSC-SCAN-008", "pickle-zip-polyglot", Severity::Low, "pickle zip polyglot")
.with_tags(SUPPLY)
.with_summary("The file is both a pickle and a zip archive: loaders disagree on what it is; both parts were analysed");

/// `MLSC-SCAN-009`: An archive has more members than the member limit; the rest were not analysed
pub const TOO_MANY_MEMBERS: Rule = Rule::new(
    "MLSC-SCAN-009",
    "too-many-members",
    Severity::Medium,
    "too many members",
)
.with_tags(LIMIT)
.with_summary("An archive has more members than the member limit; the rest were not analysed");

/// `MLSC-SCAN-010`: A legacy PyTorch file does not have the stacked-pickle layout torch.save writes
pub const LEGACY_PYTORCH_MALFORMED: Rule = Rule::new(
    "MLSC-SCAN-010",
    "legacy-pytorch-malformed",
    Severity::Medium,
    "legacy pytorch malformed",
)
.with_tags(PARSE)
.with_summary("A legacy PyTorch file does not have the stacked-pickle layout torch.save writes");

/// `MLSC-SCAN-011`: A symbolic link points back into the tree (or loops); it was not followed twice
pub const SYMLINK_LOOP: Rule = Rule::new(
    "MLSC-SCAN-011",
    "symlink-loop",
    Severity::Info,
    "symlink loop",
)
.with_tags(SUPPLY)
.with_summary("A symbolic link points back into the tree (or loops); it was not followed twice");

/// `MLSC-SCAN-012`: A file named for an ML loader (`.pkl`, `.pt`, `.safetensors`, …) holds content that is not identified or not analysed; the loader its name calls would still open it
pub const UNIDENTIFIED_MODEL_FILE: Rule = Rule::new("MLSC-SCAN-012", "unidentified-model-file", Severity::Medium, "unidentified model file")
.with_tags(SUPPLY)
.with_summary("A file named for an ML loader (`.pkl`, `.pt`, `.safetensors`, …) holds content that is not identified or not analysed; the loader its name calls would still open it");

/// `MLSC-SCAN-013`: A FIFO, socket or device inside a scanned directory was listed and never opened
pub const SPECIAL_FILE_SKIPPED: Rule = Rule::new(
    "MLSC-SCAN-013",
    "special-file-skipped",
    Severity::Info,
    "special file skipped",
)
.with_tags(SUPPLY)
.with_summary("A FIFO, socket or device inside a scanned directory was listed and never opened");

/// `MLSC-SCAN-014`: The per-file time budget ran out; the rest of the file was not analysed
pub const TIME_BUDGET: Rule = Rule::new(
    "MLSC-SCAN-014",
    "time-budget",
    Severity::Medium,
    "time budget",
)
.with_tags(LIMIT)
.with_summary("The per-file time budget ran out; the rest of the file was not analysed");

/// `MLSC-ZIP-001`: A zip archive has no readable end-of-central-directory record or central directory
pub const ZIP_NO_CENTRAL_DIRECTORY: Rule = Rule::new(
    "MLSC-ZIP-001",
    "zip-no-central-directory",
    Severity::Medium,
    "zip no central directory",
)
.with_tags(PARSE)
.with_summary("A zip archive has no readable end-of-central-directory record or central directory");

/// `MLSC-ZIP-002`: A zip member's local header is missing or outside the file; the member cannot be loaded or analysed
pub const ZIP_BAD_LOCAL_HEADER: Rule = Rule::new("MLSC-ZIP-002", "zip-bad-local-header", Severity::Medium, "zip bad local header")
.with_tags(PARSE)
.with_summary("A zip member's local header is missing or outside the file; the member cannot be loaded or analysed");

/// `MLSC-ZIP-003`: A member's local header names it differently from the central directory (PyTorch uses the central name)
pub const ZIP_NAME_MISMATCH: Rule = Rule::new("MLSC-ZIP-003", "zip-name-mismatch", Severity::Low, "zip name mismatch")
.with_tags(PARSE)
.with_summary("A member's local header names it differently from the central directory (PyTorch uses the central name)");

/// `MLSC-ZIP-004`: A member's local header flags differ from the central directory's, or reserved flag bits are set
pub const ZIP_FLAG_MISMATCH: Rule = Rule::new("MLSC-ZIP-004", "zip-flag-mismatch", Severity::Low, "zip flag mismatch")
.with_tags(PARSE)
.with_summary("A member's local header flags differ from the central directory's, or reserved flag bits are set");

/// `MLSC-ZIP-005`: A member's CRC-32 does not match its content (PyTorch loads it anyway)
pub const ZIP_CRC_MISMATCH: Rule = Rule::new(
    "MLSC-ZIP-005",
    "zip-crc-mismatch",
    Severity::Low,
    "zip crc mismatch",
)
.with_tags(PARSE)
.with_summary("A member's CRC-32 does not match its content (PyTorch loads it anyway)");

/// `MLSC-ZIP-006`: Two members have the same name. No longer emitted: duplicate members of every archive are MLSC-ARC-005
pub const ZIP_DUPLICATE_NAME: Rule = Rule::new("MLSC-ZIP-006", "zip-duplicate-name", Severity::Low, "zip duplicate name")
.with_tags(SUPPLY)
.with_summary("Two members have the same name. No longer emitted: duplicate members of every archive are MLSC-ARC-005");

/// `MLSC-ZIP-007`: A member is encrypted, so it could not be analysed
pub const ZIP_ENCRYPTED_MEMBER: Rule = Rule::new(
    "MLSC-ZIP-007",
    "zip-encrypted-member",
    Severity::Medium,
    "zip encrypted member",
)
.with_tags(SUPPLY)
.with_summary("A member is encrypted, so it could not be analysed");

/// `MLSC-ZIP-008`: A member uses a compression method that is not analysed
pub const ZIP_UNSUPPORTED_METHOD: Rule = Rule::new(
    "MLSC-ZIP-008",
    "zip-unsupported-method",
    Severity::Medium,
    "zip unsupported method",
)
.with_tags(SUPPLY)
.with_summary("A member uses a compression method that is not analysed");

/// `MLSC-ZIP-009`: Bytes precede the first zip record (offsets shifted); the prefix was analysed on its own
pub const ZIP_PREPENDED_DATA: Rule = Rule::new(
    "MLSC-ZIP-009",
    "zip-prepended-data",
    Severity::Low,
    "zip prepended data",
)
.with_tags(PARSE)
.with_summary(
    "Bytes precede the first zip record (offsets shifted); the prefix was analysed on its own",
);

/// `MLSC-ZIP-010`: A member uses a data descriptor (sizes after the data); the central directory's sizes were used
pub const ZIP_DATA_DESCRIPTOR: Rule = Rule::new("MLSC-ZIP-010", "zip-data-descriptor", Severity::Info, "zip data descriptor")
.with_tags(PARSE)
.with_summary("A member uses a data descriptor (sizes after the data); the central directory's sizes were used");

/// `MLSC-ZIP-011`: Two members' data overlap (a zip-bomb or parser-confusion construction)
pub const ZIP_OVERLAPPING_MEMBERS: Rule = Rule::new(
    "MLSC-ZIP-011",
    "zip-overlapping-members",
    Severity::Medium,
    "zip overlapping members",
)
.with_tags(PARSE)
.with_summary("Two members' data overlap (a zip-bomb or parser-confusion construction)");

/// `MLSC-ZIP-012`: A member's sizes in its local header differ from the central directory's
pub const ZIP_SIZE_MISMATCH: Rule = Rule::new(
    "MLSC-ZIP-012",
    "zip-size-mismatch",
    Severity::Low,
    "zip size mismatch",
)
.with_tags(PARSE)
.with_summary("A member's sizes in its local header differ from the central directory's");

/// `MLSC-ZIP-013`: PyTorch tensor storages were not read: torch never unpickles them
pub const ZIP_STORAGES_SKIPPED: Rule = Rule::new(
    "MLSC-ZIP-013",
    "zip-storages-skipped",
    Severity::Info,
    "zip storages skipped",
)
.with_tags(SUPPLY)
.with_summary("PyTorch tensor storages were not read: torch never unpickles them");

/// `MLSC-NPY-001`: A NumPy .npy header is malformed (magic, version, length or dictionary)
pub const NPY_MALFORMED_HEADER: Rule = Rule::new(
    "MLSC-NPY-001",
    "npy-malformed-header",
    Severity::Medium,
    "npy malformed header",
)
.with_tags(PARSE)
.with_summary("A NumPy .npy header is malformed (magic, version, length or dictionary)");

/// `MLSC-NPY-002`: A NumPy array has an object dtype: its data is a pickle, which was analysed
pub const NPY_OBJECT_ARRAY: Rule = Rule::new(
    "MLSC-NPY-002",
    "npy-object-array",
    Severity::Info,
    "npy object array",
)
.with_tags(SUPPLY)
.with_summary("A NumPy array has an object dtype: its data is a pickle, which was analysed");

/// `MLSC-NPY-003`: A NumPy array's data size differs from what its shape and dtype require
pub const NPY_SIZE_MISMATCH: Rule = Rule::new(
    "MLSC-NPY-003",
    "npy-size-mismatch",
    Severity::Low,
    "npy size mismatch",
)
.with_tags(PARSE)
.with_summary("A NumPy array's data size differs from what its shape and dtype require");

/// `MLSC-ST-001`: The safetensors header length is impossible for the file's size
pub const SAFETENSORS_HEADER_LENGTH: Rule = Rule::new(
    "MLSC-ST-001",
    "safetensors-header-length",
    Severity::Medium,
    "safetensors header length",
)
.with_tags(PARSE)
.with_summary("The safetensors header length is impossible for the file's size");

/// `MLSC-ST-002`: The safetensors header is not a JSON object
pub const SAFETENSORS_HEADER_JSON: Rule = Rule::new(
    "MLSC-ST-002",
    "safetensors-header-json",
    Severity::Medium,
    "safetensors header json",
)
.with_tags(PARSE)
.with_summary("The safetensors header is not a JSON object");

/// `MLSC-ST-003`: A safetensors tensor entry is malformed (dtype, shape or data_offsets missing or of the wrong type)
pub const SAFETENSORS_BAD_TENSOR: Rule = Rule::new("MLSC-ST-003", "safetensors-bad-tensor", Severity::Medium, "safetensors bad tensor")
.with_tags(PARSE)
.with_summary("A safetensors tensor entry is malformed (dtype, shape or data_offsets missing or of the wrong type)");

/// `MLSC-ST-004`: A tensor's shape and dtype need a different number of bytes than its data_offsets span
pub const SAFETENSORS_SIZE_MISMATCH: Rule = Rule::new(
    "MLSC-ST-004",
    "safetensors-size-mismatch",
    Severity::Medium,
    "safetensors size mismatch",
)
.with_tags(PARSE)
.with_summary(
    "A tensor's shape and dtype need a different number of bytes than its data_offsets span",
);

/// `MLSC-ST-005`: A tensor's data_offsets point outside the file's data section
pub const SAFETENSORS_OUT_OF_FILE: Rule = Rule::new(
    "MLSC-ST-005",
    "safetensors-out-of-file",
    Severity::Medium,
    "safetensors out of file",
)
.with_tags(PARSE)
.with_summary("A tensor's data_offsets point outside the file's data section");

/// `MLSC-ST-006`: Two tensors' data overlap
pub const SAFETENSORS_OVERLAP: Rule = Rule::new(
    "MLSC-ST-006",
    "safetensors-overlap",
    Severity::Medium,
    "safetensors overlap",
)
.with_tags(PARSE)
.with_summary("Two tensors' data overlap");

/// `MLSC-ST-007`: The tensors' data is not contiguous: bytes between or after them belong to no tensor (the safetensors loader refuses the file)
pub const SAFETENSORS_GAP: Rule = Rule::new("MLSC-ST-007", "safetensors-gap", Severity::Medium, "safetensors gap")
.with_tags(PARSE)
.with_summary("The tensors' data is not contiguous: bytes between or after them belong to no tensor (the safetensors loader refuses the file)");

/// `MLSC-ST-008`: A `__metadata__` value is not a string (the safetensors loader refuses the file)
pub const SAFETENSORS_METADATA_TYPE: Rule = Rule::new(
    "MLSC-ST-008",
    "safetensors-metadata-type",
    Severity::Medium,
    "safetensors metadata type",
)
.with_tags(PARSE)
.with_summary("A `__metadata__` value is not a string (the safetensors loader refuses the file)");

/// `MLSC-ST-009`: A tensor has a dtype safetensors does not define
pub const SAFETENSORS_UNKNOWN_DTYPE: Rule = Rule::new(
    "MLSC-ST-009",
    "safetensors-unknown-dtype",
    Severity::Medium,
    "safetensors unknown dtype",
)
.with_tags(PARSE)
.with_summary("A tensor has a dtype safetensors does not define");

/// `MLSC-GGUF-001`: A GGUF header, metadata entry or tensor description is malformed or out of bounds
pub const GGUF_MALFORMED: Rule = Rule::new(
    "MLSC-GGUF-001",
    "gguf-malformed",
    Severity::Medium,
    "gguf malformed",
)
.with_tags(PARSE)
.with_summary("A GGUF header, metadata entry or tensor description is malformed or out of bounds");

/// `MLSC-GGUF-002`: A chat template reaches Python internals (dunder attributes): a Jinja sandbox escape runs code
pub const GGUF_TEMPLATE_SANDBOX_ESCAPE: Rule = Rule::new("MLSC-GGUF-002", "gguf-template-sandbox-escape", Severity::Critical, "gguf template sandbox escape")
.with_tags(EXEC)
.with_summary("A chat template reaches Python internals (dunder attributes): a Jinja sandbox escape runs code");

/// `MLSC-GGUF-003`: A chat template names os, popen, eval, exec, import or another code-execution construct
pub const GGUF_TEMPLATE_DANGEROUS_NAME: Rule = Rule::new(
    "MLSC-GGUF-003",
    "gguf-template-dangerous-name",
    Severity::High,
    "gguf template dangerous name",
)
.with_tags(EXEC)
.with_summary(
    "A chat template names os, popen, eval, exec, import or another code-execution construct",
);

/// `MLSC-GGUF-004`: The GGUF version is not 2 or 3, so the file was not analysed
pub const GGUF_UNSUPPORTED_VERSION: Rule = Rule::new(
    "MLSC-GGUF-004",
    "gguf-unsupported-version",
    Severity::Medium,
    "gguf unsupported version",
)
.with_tags(SUPPLY)
.with_summary("The GGUF version is not 2 or 3, so the file was not analysed");

/// `MLSC-ONNX-001`: A tensor's external data location is absolute or leaves the model directory (arbitrary file read on load)
pub const ONNX_EXTERNAL_DATA_ESCAPE: Rule = Rule::new("MLSC-ONNX-001", "onnx-external-data-escape", Severity::High, "onnx external data escape")
.with_tags(&["owasp-ml:ML06", "cwe:22"])
.with_summary("A tensor's external data location is absolute or leaves the model directory (arbitrary file read on load)");

/// `MLSC-ONNX-002`: The model uses operators from a non-standard domain: they need a custom runtime library
pub const ONNX_CUSTOM_DOMAIN: Rule = Rule::new(
    "MLSC-ONNX-002",
    "onnx-custom-domain",
    Severity::Info,
    "onnx custom domain",
)
.with_tags(SUPPLY)
.with_summary(
    "The model uses operators from a non-standard domain: they need a custom runtime library",
);

/// `MLSC-ONNX-003`: The ONNX protobuf is malformed (bad varint, wire type or length)
pub const ONNX_MALFORMED: Rule = Rule::new(
    "MLSC-ONNX-003",
    "onnx-malformed",
    Severity::Medium,
    "onnx malformed",
)
.with_tags(PARSE)
.with_summary("The ONNX protobuf is malformed (bad varint, wire type or length)");

/// `MLSC-ONNX-004`: The model keeps tensors in external files, which are not part of this file
pub const ONNX_EXTERNAL_DATA: Rule = Rule::new(
    "MLSC-ONNX-004",
    "onnx-external-data",
    Severity::Info,
    "onnx external data",
)
.with_tags(SUPPLY)
.with_summary("The model keeps tensors in external files, which are not part of this file");

/// `MLSC-KERAS-001`: A Keras Lambda layer (or serialised lambda) carries Python code that runs on load
pub const KERAS_LAMBDA_LAYER: Rule = Rule::new(
    "MLSC-KERAS-001",
    "keras-lambda-layer",
    Severity::Critical,
    "keras lambda layer",
)
.with_tags(EXEC)
.with_summary("A Keras Lambda layer (or serialised lambda) carries Python code that runs on load");

/// `MLSC-KERAS-002`: A Keras config names a module or function outside Keras, which Keras imports and calls on load
pub const KERAS_FOREIGN_MODULE: Rule = Rule::new("MLSC-KERAS-002", "keras-foreign-module", Severity::Critical, "keras foreign module")
.with_tags(EXEC)
.with_summary("A Keras config names a module or function outside Keras, which Keras imports and calls on load");

/// `MLSC-KERAS-003`: A Keras model config is missing or not valid JSON
pub const KERAS_BAD_CONFIG: Rule = Rule::new(
    "MLSC-KERAS-003",
    "keras-bad-config",
    Severity::Medium,
    "keras bad config",
)
.with_tags(PARSE)
.with_summary("A Keras model config is missing or not valid JSON");

/// `MLSC-KERAS-004`: An HDF5 file holds no `model_config` attribute: weights only, no code to load
pub const HDF5_WEIGHTS_ONLY: Rule = Rule::new(
    "MLSC-KERAS-004",
    "hdf5-weights-only",
    Severity::Info,
    "hdf5 weights only",
)
.with_tags(SUPPLY)
.with_summary("An HDF5 file holds no `model_config` attribute: weights only, no code to load");

/// `MLSC-KERAS-005`: A Keras config loads or fetches an artefact from outside the file (TFSMLayer, get_file, a nested load_model) or turns safe_mode off, which safe_mode does not prevent
pub const KERAS_EXTERNAL_ARTEFACT: Rule = Rule::new("MLSC-KERAS-005", "keras-external-artefact", Severity::High, "keras external artefact")
.with_tags(EXEC)
.with_summary("A Keras config loads or fetches an artefact from outside the file (TFSMLayer, get_file, a nested load_model) or turns safe_mode off, which safe_mode does not prevent");

/// `MLSC-ARC-001`: An archive member's name climbs out of the extraction directory with `..` (path traversal when extracted)
pub const ARCHIVE_MEMBER_ESCAPES: Rule = Rule::new("MLSC-ARC-001", "archive-member-escapes", Severity::High, "archive member escapes")
.with_tags(TRAVERSAL)
.with_summary("An archive member's name climbs out of the extraction directory with `..` (path traversal when extracted)");

/// `MLSC-ARC-002`: An archive member's name is absolute (`/etc/x`, `C:\x`, `\\host\x`): extraction writes wherever it says
pub const ARCHIVE_MEMBER_ABSOLUTE: Rule = Rule::new("MLSC-ARC-002", "archive-member-absolute", Severity::High, "archive member absolute")
.with_tags(TRAVERSAL)
.with_summary("An archive member's name is absolute (`/etc/x`, `C:\\x`, `\\\\host\\x`): extraction writes wherever it says");

/// `MLSC-ARC-003`: A symbolic or hard link member points outside the extraction directory
pub const ARCHIVE_LINK_ESCAPES: Rule = Rule::new(
    "MLSC-ARC-003",
    "archive-link-escapes",
    Severity::High,
    "archive link escapes",
)
.with_tags(TRAVERSAL)
.with_summary("A symbolic or hard link member points outside the extraction directory");

/// `MLSC-ARC-004`: A member is written under an earlier symbolic link member: extraction follows the link wherever it points
pub const ARCHIVE_WRITE_THROUGH_LINK: Rule = Rule::new("MLSC-ARC-004", "archive-write-through-link", Severity::High, "archive write through link")
.with_tags(TRAVERSAL)
.with_summary("A member is written under an earlier symbolic link member: extraction follows the link wherever it points");

/// `MLSC-ARC-005`: Two members have the same (normalised) name: the later one shadows the earlier, and readers disagree on which one they load
pub const ARCHIVE_DUPLICATE_MEMBER: Rule = Rule::new("MLSC-ARC-005", "archive-duplicate-member", Severity::High, "archive duplicate member")
.with_tags(TRAVERSAL)
.with_summary("Two members have the same (normalised) name: the later one shadows the earlier, and readers disagree on which one they load");

/// Every code the scanner emits.
pub(crate) const RULES: &[Rule] = &[
    NOT_A_MODEL_FORMAT,
    SYMLINK_LEAVES_TREE,
    NESTING_TOO_DEEP,
    DECOMPRESSION_LIMIT,
    TOO_LARGE_FOR_MEMORY,
    CORRUPT_STREAM,
    UNSUPPORTED_CONTENT,
    PICKLE_ZIP_POLYGLOT,
    TOO_MANY_MEMBERS,
    LEGACY_PYTORCH_MALFORMED,
    SYMLINK_LOOP,
    UNIDENTIFIED_MODEL_FILE,
    SPECIAL_FILE_SKIPPED,
    TIME_BUDGET,
    ZIP_NO_CENTRAL_DIRECTORY,
    ZIP_BAD_LOCAL_HEADER,
    ZIP_NAME_MISMATCH,
    ZIP_FLAG_MISMATCH,
    ZIP_CRC_MISMATCH,
    ZIP_DUPLICATE_NAME,
    ZIP_ENCRYPTED_MEMBER,
    ZIP_UNSUPPORTED_METHOD,
    ZIP_PREPENDED_DATA,
    ZIP_DATA_DESCRIPTOR,
    ZIP_OVERLAPPING_MEMBERS,
    ZIP_SIZE_MISMATCH,
    ZIP_STORAGES_SKIPPED,
    NPY_MALFORMED_HEADER,
    NPY_OBJECT_ARRAY,
    NPY_SIZE_MISMATCH,
    SAFETENSORS_HEADER_LENGTH,
    SAFETENSORS_HEADER_JSON,
    SAFETENSORS_BAD_TENSOR,
    SAFETENSORS_SIZE_MISMATCH,
    SAFETENSORS_OUT_OF_FILE,
    SAFETENSORS_OVERLAP,
    SAFETENSORS_GAP,
    SAFETENSORS_METADATA_TYPE,
    SAFETENSORS_UNKNOWN_DTYPE,
    GGUF_MALFORMED,
    GGUF_TEMPLATE_SANDBOX_ESCAPE,
    GGUF_TEMPLATE_DANGEROUS_NAME,
    GGUF_UNSUPPORTED_VERSION,
    ONNX_EXTERNAL_DATA_ESCAPE,
    ONNX_CUSTOM_DOMAIN,
    ONNX_MALFORMED,
    ONNX_EXTERNAL_DATA,
    KERAS_LAMBDA_LAYER,
    KERAS_FOREIGN_MODULE,
    KERAS_BAD_CONFIG,
    HDF5_WEIGHTS_ONLY,
    KERAS_EXTERNAL_ARTEFACT,
    ARCHIVE_MEMBER_ESCAPES,
    ARCHIVE_MEMBER_ABSOLUTE,
    ARCHIVE_LINK_ESCAPES,
    ARCHIVE_WRITE_THROUGH_LINK,
    ARCHIVE_DUPLICATE_MEMBER,
];
