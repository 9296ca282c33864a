"""The `mlsc` command through the wheel: the console script and `python -m mlsc`, against the cargo binary."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

import mlsc
from conftest import PICKLE, ROOT, SCAN, cargo_mlsc, expected_exit, run, without_timing

FIXTURES = expected_exit(SCAN / "manifest.json") + expected_exit(PICKLE / "manifest.json")


def test_fixture_list_is_real():
    # Both manifests list fixtures of every kind; a glob gone wrong must not make the tests below vacuous.
    statuses = [s for _, s in FIXTURES]
    assert len(FIXTURES) >= 250
    assert statuses.count(0) >= 70 and statuses.count(1) >= 170


def test_version(mlsc_exe):
    out = run([mlsc_exe, "--version"])
    assert out.returncode == 0
    assert out.stdout.decode().strip() == f"mlsc {mlsc.__version__}"


def test_every_subcommand_is_there(mlsc_exe):
    for sub in ["scan", "disasm", "deps", "sbom", "card", "manifest", "sign", "verify", "keygen", "attest", "audit", "db"]:
        out = run([mlsc_exe, sub, "--help"])
        assert out.returncode == 0, (sub, out.stderr)
        assert b"Usage: mlsc " + sub.encode() in out.stdout


@pytest.fixture(scope="module")
def wheel_runs(mlsc_exe):
    """`mlsc scan --format json FILE` through the wheel, for every fixture: path -> (status, report)."""

    def one(item):
        path, _ = item
        out = run([mlsc_exe, "scan", "--format", "json", "--no-progress", path])
        return path, (out.returncode, json.loads(out.stdout))

    with ThreadPoolExecutor(4) as pool:
        return dict(pool.map(one, FIXTURES))


def test_exit_statuses_on_every_fixture(wheel_runs):
    """benign -> 0, malicious, suspicious or inconclusive -> 1, each file on its own, as the manifests say."""
    assert len(wheel_runs) == len(FIXTURES)
    wrong = [(path, want, wheel_runs[path][0]) for path, want in FIXTURES if wheel_runs[path][0] != want]
    assert wrong == []


def test_missing_path_is_2(mlsc_exe):
    out = run([mlsc_exe, "scan", "does/not/exist.pt"])
    assert out.returncode == 2
    # The report says which path (on stdout, as a report error), and there is no Python traceback.
    assert b"does/not/exist.pt" in out.stdout + out.stderr
    assert b"Traceback" not in out.stderr


def test_usage_error_is_2(mlsc_exe):
    out = run([mlsc_exe, "scan", "--no-such-flag", "x"])
    assert out.returncode == 2
    assert b"--no-such-flag" in out.stderr


def test_python_dash_m_is_the_same_command(mlsc_exe):
    path = "examples/hf-model/pytorch_model.bin"
    a = run([mlsc_exe, "scan", "--format", "json", path])
    b = run([sys.executable, "-m", "mlsc", "scan", "--format", "json", path])
    assert a.returncode == b.returncode == 1
    assert without_timing(json.loads(a.stdout)) == without_timing(json.loads(b.stdout))


def test_closed_stdout_is_0_without_traceback(mlsc_exe):
    # `mlsc scan ... | head -c 10`: the reader goes away; like the binary, the command exits 0 and says nothing.
    proc = subprocess.Popen(
        [mlsc_exe, "scan", "--format", "json", "tests/fixtures/scan", "tests/fixtures/pickle"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=300) == 0, err
    assert b"Traceback" not in err and b"panicked" not in err


@pytest.mark.skipif(cargo_mlsc() is None, reason="MLSC_CARGO_BIN is not set (.ci/run sets it)")
def test_same_verdicts_and_statuses_as_the_cargo_binary(mlsc_exe, wheel_runs):
    cargo = cargo_mlsc()
    assert cargo is not None

    def one(item):
        path, _ = item
        out = run([cargo, "scan", "--format", "json", "--no-progress", path])
        return path, (out.returncode, json.loads(out.stdout))

    with ThreadPoolExecutor(4) as pool:
        cargo_runs = dict(pool.map(one, FIXTURES))
    assert len(cargo_runs) == len(FIXTURES)
    for path, _ in FIXTURES:
        wheel_status, wheel_report = wheel_runs[path]
        cargo_status, cargo_report = cargo_runs[path]
        assert wheel_status == cargo_status, path
        assert without_timing(wheel_report) == without_timing(cargo_report), path
    # Whole directories in SARIF, an error case and the version, byte for byte.
    for args in (["scan", "--format", "sarif", "tests/fixtures/scan"], ["scan", "missing.pt"], ["--version"]):
        a, b = run([mlsc_exe, *args]), run([cargo, *args])
        assert a.returncode == b.returncode, args
        assert a.stdout == b.stdout, args
        assert a.stderr == b.stderr, args


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a FIFO")
def test_ctrl_c_ends_the_command_while_rust_works(mlsc_exe, tmp_path):
    # Opening a FIFO no one writes to blocks inside Rust for as long as it takes: a deterministic long call. SIGINT
    # must end the process as it ends the binary (killed by the signal), not wait for Rust to return.
    fifo = tmp_path / "model.fifo"
    os.mkfifo(fifo)
    proc = subprocess.Popen([mlsc_exe, "scan", str(fifo)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        proc.wait(timeout=1.5)
    except subprocess.TimeoutExpired:
        pass
    if proc.returncode is not None:
        pytest.skip(f"the scanner no longer blocks on a FIFO (exit {proc.returncode}): nothing to interrupt")
    proc.send_signal(signal.SIGINT)
    try:
        status = proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        pytest.fail("SIGINT did not end `mlsc scan` while Rust was working")
    assert status == -signal.SIGINT
