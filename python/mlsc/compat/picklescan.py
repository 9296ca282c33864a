"""A drop-in for picklescan's scanner API, answered by mlsc.

Swap one import and keep the rest of the code::

    # from picklescan.scanner import scan_file_path
    from mlsc.compat.picklescan import scan_file_path

    result = scan_file_path("model.ckpt")
    if result.infected_files or result.scan_err:
        raise RuntimeError("refusing to load")

The names and types are picklescan's (1.0.5): :class:`SafetyLevel`, :class:`Global`, :class:`ScanResult` (with
``merge``), :class:`ScanFilter`, and ``scan_file_path``, ``scan_directory_path``, ``scan_bytes``. The analysis is
mlsc's, so some answers differ; docs/python.md lists where and why. In short:

* every file is identified by content (picklescan goes by extension in a directory and in ``scan_bytes``);
* ``globals`` lists the callables mlsc does not allow (``Dangerous``: denied or not analysable; ``Suspicious``: on
  no allowlist profile); allowlisted ones (``torch._utils._rebuild_tensor_v2``) are not listed, since mlsc's report
  does not name them;
* ``scan_err`` is true whenever a file could not be read or analysed completely (fail closed), which picklescan
  reports as clean in several cases (an unparsable pickle with no global, an unknown container);
* a file mlsc judges malicious counts in ``infected_files`` even when picklescan would see no dangerous global (a
  global reached through the memo, ``builtins.getattr`` chains, nested pickles, EXT opcodes).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import IO, Any, Dict, Iterable, List, Optional, Tuple, Union

import mlsc

__all__ = [
    "Global",
    "SafetyLevel",
    "ScanFilter",
    "ScanResult",
    "scan_bytes",
    "scan_directory_path",
    "scan_file_path",
]


class SafetyLevel(Enum):
    Innocuous = "innocuous"
    Suspicious = "suspicious"
    Dangerous = "dangerous"


@dataclass
class Global:
    module: str
    name: str
    safety: SafetyLevel


@dataclass
class ScanResult:
    globals: List[Global]
    scanned_files: int = 0
    issues_count: int = 0
    infected_files: int = 0
    scan_err: bool = False
    suspicious_count: int = 0

    def merge(self, sr: "ScanResult") -> None:
        self.globals.extend(sr.globals)
        self.scanned_files += sr.scanned_files
        self.issues_count += sr.issues_count
        self.infected_files += sr.infected_files
        self.scan_err = self.scan_err or sr.scan_err
        self.suspicious_count += sr.suspicious_count


@dataclass
class ScanFilter:
    """Filtering options for directory scans, as picklescan's: regexes searched in the full path of each file
    (``exclude``, ``include``) and directory (``exclude_dir``, ``include_dir``); excludes win."""

    exclude: List["re.Pattern[str]"] = field(default_factory=list)
    include: List["re.Pattern[str]"] = field(default_factory=list)
    exclude_dir: List["re.Pattern[str]"] = field(default_factory=list)
    include_dir: List["re.Pattern[str]"] = field(default_factory=list)


# Pickle findings that name a callable, by code: the analyser's imports and invocations (mlsc-pickle's rules).
# Denied ones are Dangerous; those on no allowlist profile are Suspicious, as picklescan's "not on the safe list".
_NAMED_CALL_CODES = {
    "MLSC-PKL-001": SafetyLevel.Dangerous,  # a denied callable is invoked
    "MLSC-PKL-002": SafetyLevel.Dangerous,  # a denied callable is imported
    "MLSC-PKL-003": SafetyLevel.Suspicious,  # a callable on no allowlist profile is invoked
    "MLSC-PKL-004": SafetyLevel.Suspicious,  # a callable on no allowlist profile is imported
}
# Findings that are dangerous without a literal name (a computed global or call, an EXT opcode): picklescan's
# convention for a global it cannot name is module and name "unknown", which it counts as dangerous.
_UNNAMED_DANGEROUS_CODES = {"MLSC-PKL-005", "MLSC-PKL-006", "MLSC-PKL-007"}
_SEVERE = {"high", "critical"}
# The callable is the message's first `quoted` name: `posix.system`, or when the pickle spelled it otherwise
# `posix.system (os.system)` or `builtins.exec, written `__builtin__.exec`` (resolved, then as written).
# picklescan reports globals as written, so the written name wins.
_QUOTED = re.compile(r"`([^`]+)`")
_NAME = r"[A-Za-z_][\w.]*"
_WRITTEN = re.compile(rf"`{_NAME}, written `({_NAME})``")
_RESOLVED_AS_WRITTEN = re.compile(rf"{_NAME} \(({_NAME})\)")


def _global_of(message: str) -> Tuple[str, str]:
    """(module, name) of the callable a pickle finding names; ("unknown", "unknown") when it is computed (as
    picklescan reports a global it cannot name), (module, "*") for a module reached without a name."""
    quoted = _QUOTED.search(message)
    if quoted is None:
        return "unknown", "unknown"
    written = _WRITTEN.match(message, quoted.start())
    text = quoted.group(1)
    both = _RESOLVED_AS_WRITTEN.fullmatch(text)
    if written is not None:
        text = written.group(1)
    elif both is not None:
        text = both.group(1)
    elif re.fullmatch(_NAME, text) is None:
        return "unknown", "unknown"
    module, dot, name = text.rpartition(".")
    return (module, name) if dot else (text, "*")


def _file_of(finding: Dict[str, Any]) -> str:
    location = finding.get("location") or {}
    return str(location.get("path", location.get("file", "")))


def _from_report(report: Dict[str, Any], strict: bool) -> ScanResult:
    """One picklescan result for a whole mlsc scan report."""
    result = ScanResult([])
    per_file: Dict[str, List[Global]] = {}
    for finding in report.get("findings", []):
        code = finding.get("code", "")
        path = _file_of(finding)
        safety = _NAMED_CALL_CODES.get(code)
        if safety is not None:
            if safety is SafetyLevel.Suspicious and (strict or finding.get("severity") in _SEVERE):
                safety = SafetyLevel.Dangerous
            module, name = _global_of(finding.get("message", ""))
            per_file.setdefault(path, []).append(Global(module, name, safety))
        elif code in _UNNAMED_DANGEROUS_CODES:
            per_file.setdefault(path, []).append(Global("unknown", "unknown", SafetyLevel.Dangerous))
    for artifact in report.get("artifacts", []):
        path = str(artifact.get("path", ""))
        verdict = artifact.get("verdict") or {}
        assessment = verdict.get("assessment") if isinstance(verdict, dict) else None
        completeness = verdict.get("completeness") if isinstance(verdict, dict) else None
        globals_ = per_file.pop(path, [])
        dangerous = sum(1 for g in globals_ if g.safety is SafetyLevel.Dangerous)
        if assessment == "malicious" and dangerous == 0:
            # Malicious by a rule that names no callable (a nested pickle, an injected stream): still an issue.
            globals_.append(Global("unknown", "unknown", SafetyLevel.Dangerous))
            dangerous = 1
        result.merge(
            ScanResult(
                globals=globals_,
                scanned_files=1,
                issues_count=dangerous,
                infected_files=1 if dangerous else 0,
                scan_err=completeness not in (None, "complete"),
                suspicious_count=sum(1 for g in globals_ if g.safety is SafetyLevel.Suspicious),
            )
        )
    # Findings of files that have no artefact (an error while walking): keep their globals, flag the error.
    for globals_ in per_file.values():
        dangerous = sum(1 for g in globals_ if g.safety is SafetyLevel.Dangerous)
        result.merge(ScanResult(globals_, 0, dangerous, 1 if dangerous else 0, True))
    if report.get("errors"):
        result.scan_err = True
    return result


def scan_file_path(path: Union[str, "os.PathLike[str]"], strict: bool = False) -> ScanResult:
    """Scan one file (identified by content, whatever its extension)."""
    path = os.fspath(path)
    if not os.path.lexists(path):
        # picklescan opens the file and lets FileNotFoundError through; so does this.
        raise FileNotFoundError(2, "No such file or directory", path)
    return _from_report(mlsc.scan(path), strict)


def _walk(path: str, scan_filter: ScanFilter) -> List[str]:
    files: List[str] = []
    for base, dir_names, file_names in os.walk(path):
        keep = []
        for d in dir_names:
            dir_path = os.path.join(base, d)
            if any(p.search(dir_path) for p in scan_filter.exclude_dir):
                continue
            if scan_filter.include_dir and not any(p.search(dir_path) for p in scan_filter.include_dir):
                continue
            keep.append(d)
        dir_names[:] = keep
        for name in file_names:
            file_path = os.path.join(base, name)
            if any(p.search(file_path) for p in scan_filter.exclude):
                continue
            if scan_filter.include and not any(p.search(file_path) for p in scan_filter.include):
                continue
            files.append(file_path)
    return sorted(files)


def scan_directory_path(
    path: Union[str, "os.PathLike[str]"],
    scan_filter: Optional[ScanFilter] = None,
    strict: bool = False,
) -> ScanResult:
    """Scan every file under a directory (by content: unlike picklescan, whatever the extensions)."""
    path = os.fspath(path)
    if scan_filter is None:
        if not os.path.isdir(path):
            # picklescan walks nothing and answers an empty result for a missing directory; mlsc fails closed.
            return ScanResult([], scan_err=True)
        return _from_report(mlsc.scan(path), strict)
    files = _walk(path, scan_filter)
    if not files:
        return ScanResult([])
    return _from_report(mlsc.scan(files), strict)


def scan_bytes(
    data: Union[bytes, bytearray, memoryview, IO[bytes]],
    file_id: Any,
    file_ext: Optional[str] = None,
    strict: bool = False,
) -> ScanResult:
    """Scan a stream (or bytes) as the file ``file_id``. ``file_ext`` is accepted for compatibility and ignored:
    mlsc identifies the content by itself."""
    del file_ext
    raw = data if isinstance(data, (bytes, bytearray, memoryview)) else data.read()
    return _from_report(mlsc.scan_bytes(bytes(raw), name=str(file_id)), strict)


def _names(globals_: Iterable[Global]) -> List[Tuple[str, str, str]]:
    """The globals as sorted (module, name, safety) triples (for comparisons and tests)."""
    return sorted((g.module, g.name, g.safety.value) for g in globals_)
