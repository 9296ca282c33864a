"""`mlsc.compat.picklescan` against what picklescan itself answered on the same fixtures.

data/picklescan_expected.json is picklescan 1.0.5's answer on every fixture (tests/gen/picklescan_expected.py, run
once at development time: these tests never need picklescan). data/picklescan_differences.json lists, per fixture
and field, where mlsc's answer differs and why (tests/gen/picklescan_differences.py; docs/python.md summarises it).
Every field that agrees must not be listed; every field that differs must be listed with mlsc's exact answer.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import typing
from enum import Enum

import pytest

from conftest import DATA, EXAMPLE, ROOT
from mlsc.compat import picklescan
from mlsc.compat.picklescan import Global, SafetyLevel, ScanFilter, ScanResult

EXPECTED = json.loads((DATA / "picklescan_expected.json").read_text())
DIFFERENCES = json.loads((DATA / "picklescan_differences.json").read_text())


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def fields(r: ScanResult) -> dict:
    return {
        "infected": r.infected_files > 0,
        "infected_files": r.infected_files,
        "scan_err": r.scan_err,
        "scanned_files": r.scanned_files,
        "dangerous": sorted({f"{g.module}.{g.name}" for g in r.globals if g.safety is SafetyLevel.Dangerous}),
    }


def theirs(e: dict) -> dict:
    return {
        "infected": e["infected_files"] > 0,
        "infected_files": e["infected_files"],
        "scan_err": e["scan_err"],
        "scanned_files": e["scanned_files"],
        "dangerous": sorted({f"{m}.{n}" for m, n, s in e["globals"] if s == "dangerous"}),
    }


def test_the_types_are_picklescans():
    assert [m.name for m in SafetyLevel] == ["Innocuous", "Suspicious", "Dangerous"]
    assert [m.value for m in SafetyLevel] == ["innocuous", "suspicious", "dangerous"]
    assert issubclass(SafetyLevel, Enum)
    assert [f.name for f in dataclasses.fields(Global)] == ["module", "name", "safety"]
    assert [(f.name, f.default) for f in dataclasses.fields(ScanResult)] == [
        ("globals", dataclasses.MISSING),
        ("scanned_files", 0),
        ("issues_count", 0),
        ("infected_files", 0),
        ("scan_err", False),
        ("suspicious_count", 0),
    ]
    hints = typing.get_type_hints(ScanResult)
    assert hints["scanned_files"] is int and hints["scan_err"] is bool
    a = ScanResult([Global("os", "system", SafetyLevel.Dangerous)], 1, 1, 1, False, 0)
    a.merge(ScanResult([], 2, 0, 0, True, 3))
    assert (len(a.globals), a.scanned_files, a.issues_count, a.infected_files, a.scan_err, a.suspicious_count) == (
        1, 3, 1, 1, True, 3,
    )
    assert [f.name for f in dataclasses.fields(ScanFilter)] == ["exclude", "include", "exclude_dir", "include_dir"]


def test_every_fixture_field_by_field():
    files = EXPECTED["files"]
    assert len(files) >= 250
    listed = DIFFERENCES["files"]
    agree = 0
    for path, e in sorted(files.items()):
        ours = fields(picklescan.scan_file_path(path))
        if "exception" in e:
            assert listed[path]["exception"]["mlsc"] == ours, path
            continue
        t = theirs(e)
        compared = ["infected", "scan_err", "scanned_files"]
        if t["infected"] and ours["infected"]:
            compared += ["infected_files", "dangerous"]
        for field in compared:
            diff = listed.get(path, {}).get(field)
            if t[field] == ours[field]:
                assert diff is None, f"{path}: {field} now agrees with picklescan; drop it from the differences"
                agree += 1
            else:
                assert diff is not None, f"{path}: {field}: picklescan {t[field]!r}, mlsc {ours[field]!r}, unlisted"
                assert diff["mlsc"] == ours[field] and diff["picklescan"] == t[field], (path, field)
                assert diff["why"] in DIFFERENCES["why"], (path, field)
    # Most fields agree; the differences are the documented minority.
    assert agree > 3 * sum(len(v) for v in listed.values())


def test_malicious_fixtures_are_infected_benign_ones_are_not():
    import mlsc

    for path in sorted(EXPECTED["files"]):
        r = picklescan.scan_file_path(path)
        assessment = mlsc.scan(path)["artifacts"][0]["verdict"]["assessment"]
        if "/malicious/" in path and assessment == "suspicious":
            # A gadget class on no allowlist (`evilpkg.gadgets.Runner`): Suspicious, as picklescan ranks it.
            assert r.infected_files == 0 and r.suspicious_count >= 1, path
        elif "/malicious/" in path:
            assert assessment == "malicious", path
            assert r.infected_files == 1 and r.issues_count >= 1, path
        elif "/benign/" in path:
            assert r.infected_files == 0 and r.issues_count == 0, path


def test_the_example_model_directory_as_picklescan_answers():
    e = EXPECTED["directories"]["examples/hf-model"]
    r = picklescan.scan_directory_path("examples/hf-model")
    assert r.infected_files == e["infected_files"] == 1
    assert r.issues_count == e["issues_count"] == 1
    assert r.scan_err is e["scan_err"] is False
    assert fields(r)["dangerous"] == theirs(e)["dangerous"] == ["posix.system"]


def test_scan_bytes_takes_a_stream_or_bytes():
    data = (EXAMPLE / "pytorch_model.bin").read_bytes()
    r = picklescan.scan_bytes(io.BytesIO(data), "pytorch_model.bin", ".bin")
    assert (r.scanned_files, r.infected_files, r.scan_err) == (1, 1, False)
    assert [(g.module, g.name, g.safety) for g in r.globals] == [("posix", "system", SafetyLevel.Dangerous)]
    assert picklescan.scan_bytes(data, "x").infected_files == 1


def test_strict_promotes_suspicious_globals():
    # `mypkg.layers.Custom()`: on no allowlist, so Suspicious (not infected) unless strict, as in picklescan.
    data = b"cmypkg.layers\nCustom\n(tR."
    loose = picklescan.scan_bytes(data, "custom.pkl")
    assert [(g.module, g.name, g.safety) for g in loose.globals] == [("mypkg.layers", "Custom", SafetyLevel.Suspicious)]
    assert (loose.infected_files, loose.issues_count, loose.suspicious_count) == (0, 0, 1)
    strict = picklescan.scan_bytes(data, "custom.pkl", strict=True)
    assert [g.safety for g in strict.globals] == [SafetyLevel.Dangerous]
    assert (strict.infected_files, strict.issues_count, strict.suspicious_count) == (1, 1, 0)


def test_scan_filter_selects_files():
    everything = picklescan.scan_directory_path("tests/fixtures/scan/malicious")
    only_pt = picklescan.scan_directory_path(
        "tests/fixtures/scan/malicious", ScanFilter(include=[re.compile(r"\.pt$")])
    )
    n_pt = sum(1 for n in os.listdir("tests/fixtures/scan/malicious") if n.endswith(".pt"))
    assert 0 < n_pt < everything.scanned_files
    assert only_pt.scanned_files == n_pt == only_pt.infected_files
    none = picklescan.scan_directory_path("tests/fixtures/scan/malicious", ScanFilter(exclude=[re.compile(".")]))
    assert (none.scanned_files, none.infected_files) == (0, 0)


def test_missing_paths():
    with pytest.raises(FileNotFoundError):
        picklescan.scan_file_path("no/such/model.ckpt")
    r = picklescan.scan_directory_path("no/such/dir")
    assert r.scan_err and r.scanned_files == 0
