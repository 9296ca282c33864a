"""Shared paths and helpers of the wheel's test suite.

The suite tests the installed `mlsc` wheel (not the source tree): run it from a virtualenv where the wheel is
installed, e.g. as .ci/run does. Paths are relative to the repository root, which holds the fixtures.
When MLSC_CARGO_BIN names the cargo-built `mlsc` binary, the CLI tests also compare the wheel's command with it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCAN = ROOT / "tests" / "fixtures" / "scan"
PICKLE = ROOT / "tests" / "fixtures" / "pickle"
EXAMPLE = ROOT / "examples" / "hf-model"
OSV = ROOT / "examples" / "osv"
DATA = Path(__file__).resolve().parent / "data"


def wheel_mlsc() -> str:
    """The `mlsc` console script the wheel installed beside this interpreter."""
    bindir = Path(sys.executable).parent
    exe = bindir / ("mlsc.exe" if os.name == "nt" else "mlsc")
    assert exe.is_file(), f"the wheel's console script is not at {exe}: is the wheel installed in this venv?"
    return str(exe)


def cargo_mlsc() -> Optional[str]:
    path = os.environ.get("MLSC_CARGO_BIN")
    if not path:
        return None
    assert Path(path).is_file(), f"MLSC_CARGO_BIN={path} does not exist"
    return path


def run(cmd: List[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=300, **kw)


def expected_exit(manifest: Path) -> List[Tuple[str, int]]:
    """(fixture path relative to ROOT, exit status mlsc scan must give) for every fixture a manifest lists."""
    out = []
    for entry in json.loads(manifest.read_text()):
        path = manifest.parent / entry["file"]
        if not path.is_file():
            continue
        verdict = entry.get("verdict", entry.get("expect"))
        status = 0 if verdict in ("benign", "clean") else 1
        out.append((str(path.relative_to(ROOT)), status))
    return out


def without_timing(report: Dict) -> Dict:
    """A report with the fields that differ between two runs of the same scan (durations) removed."""
    report = json.loads(json.dumps(report))
    report.get("statistics", {}).pop("duration_ms", None)
    return report


@pytest.fixture(scope="session")
def mlsc_exe() -> str:
    return wheel_mlsc()
