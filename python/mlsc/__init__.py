"""mlsc: machine-learning supply-chain security, from Python.

Is this model safe to load, what is in it, are its dependencies vulnerable, is it documented? Every function runs
the Rust libraries in-process (the GIL is released while they work) and returns the same document the ``mlsc``
command prints with ``--format json``: a ``dict`` with the documented schema (``schemas/report.schema.json`` for
scan and card reports). Nothing scanned is imported or executed.

A scan report is clean only when every artefact's ``verdict`` is ``"complete/clean"`` and ``errors`` is empty:
a file that could not be read or analysed completely is never clean.

Errors raise :class:`MlscError` or a subclass: :class:`MlscIOError` (a path does not exist or cannot be read),
:class:`MlscUsageError` (an invalid argument), :class:`MlscDatabaseError` (the OSV database is missing or unreadable).
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Optional, Union

from . import _native
from ._native import MlscDatabaseError, MlscError, MlscIOError, MlscUsageError

__version__: str = _native.__version__

StrPath = Union[str, "os.PathLike[str]"]

__all__ = [
    "MlscDatabaseError",
    "MlscError",
    "MlscIOError",
    "MlscUsageError",
    "__version__",
    "card_lint",
    "deps",
    "sbom",
    "scan",
    "scan_bytes",
]


def _paths(path_or_paths: Union[StrPath, Iterable[StrPath]]) -> List[str]:
    # A str is iterable (by character): treat it, and any path-like, as one path.
    if isinstance(path_or_paths, (str, os.PathLike)):
        return [os.fspath(path_or_paths)]
    if isinstance(path_or_paths, (bytes, bytearray)):
        raise MlscUsageError("paths must be str or os.PathLike, not bytes")
    paths = [os.fspath(p) for p in path_or_paths]
    for p in paths:
        if not isinstance(p, str):
            raise MlscUsageError("paths must be str or os.PathLike[str], not bytes")
    return paths


def scan(
    path_or_paths: Union[StrPath, Iterable[StrPath]],
    *,
    allow: Iterable[str] = (),
    timeout: Optional[float] = None,
) -> Dict[str, Any]:
    """Scan model files and directories (recursively; formats are detected by content, not by name).

    Returns the scan report (what ``mlsc scan --format json`` prints): ``artifacts`` (each with ``path``,
    ``format`` and ``verdict``), ``findings``, ``errors`` and ``statistics``.

    ``allow`` names extra callables to accept in pickles, as the unpickler resolves them (``"mypkg.layers.Custom"``),
    in addition to the built-in allowlist profiles. Unlike the command, the API does not read ``mlsc.toml``.
    ``timeout`` is a per-file limit in seconds (a file that hits it is inconclusive, never clean).

    Raises :class:`MlscIOError` when a path given does not exist; an unreadable file found inside a directory is an
    entry of the report's ``errors`` instead, so that the rest is still scanned.
    """
    if isinstance(allow, str):
        allow = [allow]
    if timeout is not None and not isinstance(timeout, (int, float)):
        raise MlscUsageError(f"timeout must be a number of seconds, not {type(timeout).__name__}")
    return json.loads(_native.scan(_paths(path_or_paths), [str(a) for a in allow], timeout))


def scan_bytes(data: Union[bytes, bytearray, memoryview], name: str = "<bytes>") -> Dict[str, Any]:
    """Scan bytes already in memory (an upload, a blob from a store) as if they were the file ``name``.

    Returns a scan report with one artefact, as :func:`scan` does.
    """
    if not isinstance(data, bytes):
        if not isinstance(data, (bytearray, memoryview)):
            raise MlscUsageError(f"data must be bytes, bytearray or memoryview, not {type(data).__name__}")
        data = bytes(data)
    return json.loads(_native.scan_bytes(data, str(name)))


def deps(
    path: StrPath,
    *,
    db: StrPath,
    python_version: str = "3.12",
    platform: str = "linux",
) -> Dict[str, Any]:
    """Audit the Python dependencies at ``path`` (a requirements or lock file, ``pyproject.toml``, an installed
    environment, or a project folder) against the OSV database ``db`` (a folder of OSV JSON, OSV's ``all.zip``, or
    JSON lines).

    Returns what ``mlsc deps --format json`` prints: the report plus ``dependencies`` and ``vulnerabilities``.
    Markers are evaluated for ``python_version`` and ``platform`` (``linux``, ``linux-aarch64``, ``macos``,
    ``macos-x86_64`` or ``windows``), not for the running interpreter.

    Raises :class:`MlscDatabaseError` when the database is missing or cannot be loaded (nothing was checked),
    :class:`MlscIOError` when ``path`` does not exist, :class:`MlscUsageError` when it holds nothing to audit.
    """
    return json.loads(_native.deps(os.fspath(path), os.fspath(db), python_version, platform))


def sbom(path: StrPath, *, spec: str = "1.6", deterministic: bool = False) -> Dict[str, Any]:
    """The CycloneDX ML-BOM (``spec`` ``"1.6"`` or ``"1.7"``) of a model directory, a Python project, a requirements
    or lock file, or an installed environment, as ``mlsc sbom`` writes it. Model files are scanned and their verdicts
    recorded as ``mlsc:scan:*`` properties.

    ``deterministic`` derives the serial number from the content (and the timestamp from ``SOURCE_DATE_EPOCH``), as
    ``mlsc sbom --deterministic`` does.
    """
    return json.loads(_native.sbom(os.fspath(path), str(spec), bool(deterministic)))


def card_lint(path: StrPath) -> Dict[str, Any]:
    """Lint the model or dataset card(s) at ``path`` (a ``README.md``, a Model Card Toolkit JSON, a Croissant
    JSON-LD, or a folder holding them). Returns the card report, as ``mlsc card lint --format json`` prints it."""
    return json.loads(_native.card_lint(os.fspath(path)))
