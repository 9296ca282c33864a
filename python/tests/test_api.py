"""Every function of the Python API on real fixtures, compared with what the command prints as JSON."""

from __future__ import annotations

import io
import json
import os
import pickle
from pathlib import Path

import pytest

import mlsc
from conftest import EXAMPLE, OSV, ROOT, SCAN, run, without_timing


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    # Reports name paths as given: run from the root so that the API and the command are given the same paths.
    monkeypatch.chdir(ROOT)


def cli_json(mlsc_exe, *args):
    out = run([mlsc_exe, *args, "--format", "json"])
    return out.returncode, json.loads(out.stdout)


def verdicts(report):
    return {a["path"]: (a["verdict"]["completeness"], a["verdict"]["assessment"]) for a in report["artifacts"]}


def test_version_is_the_crate_version(mlsc_exe):
    assert isinstance(mlsc.__version__, str) and mlsc.__version__.count(".") == 2
    assert run([mlsc_exe, "--version"]).stdout.decode().split() == ["mlsc", mlsc.__version__]


def test_scan_is_the_json_report(mlsc_exe):
    for path in ["examples/hf-model", "tests/fixtures/scan/malicious", "tests/fixtures/scan/inconclusive"]:
        _, cli = cli_json(mlsc_exe, "scan", path)
        assert without_timing(mlsc.scan(path)) == without_timing(cli)


def test_scan_verdicts_on_the_example_model():
    report = mlsc.scan(EXAMPLE)  # a pathlib.Path
    v = verdicts(report)
    assert v[str(EXAMPLE / "pytorch_model.bin")] == ("complete", "malicious")
    assert v[str(EXAMPLE / "model.safetensors")] == ("complete", "clean")
    codes = {f["code"] for f in report["findings"]}
    assert "MLSC-PKL-001" in codes
    assert report["errors"] == []
    assert report["command"] == "scan" and report["schema_version"]


def test_scan_accepts_one_path_or_many():
    one = mlsc.scan("tests/fixtures/scan/benign/raw_p0.bin")
    assert len(one["artifacts"]) == 1  # a str is one path, not a sequence of characters
    many = mlsc.scan(["tests/fixtures/scan/benign/raw_p0.bin", Path("tests/fixtures/scan/malicious/raw_p0.bin")])
    assert verdicts(many) == {
        "tests/fixtures/scan/benign/raw_p0.bin": ("complete", "clean"),
        "tests/fixtures/scan/malicious/raw_p0.bin": ("complete", "malicious"),
    }
    gen = mlsc.scan(p for p in ["tests/fixtures/scan/benign/raw_p0.bin"])
    assert len(gen["artifacts"]) == 1


# A protocol-0 pickle that calls `mypkg.layers.Custom()`: a callable on no allowlist profile (GLOBAL, MARK, TUPLE,
# REDUCE, STOP). Written here, never loaded.
UNKNOWN_CALL = b"cmypkg.layers\nCustom\n(tR."


def test_scan_allow_accepts_a_callable(mlsc_exe, tmp_path):
    path = tmp_path / "custom.pkl"
    path.write_bytes(UNKNOWN_CALL)
    report = mlsc.scan(path)
    assert verdicts(report)[str(path)] == ("complete", "suspicious")
    assert [f["code"] for f in report["findings"]] == ["MLSC-PKL-003"]
    allowed = mlsc.scan(path, allow=["mypkg.layers.Custom"])
    assert verdicts(allowed)[str(path)] == ("complete", "clean")
    assert allowed["findings"] == []
    # The same as `--allow` on the command line.
    status, cli = cli_json(mlsc_exe, "scan", str(path), "--allow", "mypkg.layers.Custom")
    assert status == 0 and without_timing(cli) == without_timing(allowed)
    status, _ = cli_json(mlsc_exe, "scan", str(path))
    assert status == 1
    # Another name does not help.
    assert verdicts(mlsc.scan(path, allow="mypkg.layers.Other"))[str(path)] == ("complete", "suspicious")


def test_scan_timeout_is_validated():
    with pytest.raises(mlsc.MlscUsageError):
        mlsc.scan("examples/hf-model", timeout=-1)
    with pytest.raises(mlsc.MlscUsageError):
        mlsc.scan("examples/hf-model", timeout="10")  # type: ignore[arg-type]
    # A budget is applied: the example is small enough to be judged within it, as without one.
    assert verdicts(mlsc.scan("examples/hf-model", timeout=60)) == verdicts(mlsc.scan("examples/hf-model"))


def test_scan_missing_path_raises():
    with pytest.raises(mlsc.MlscIOError, match="no/such/model.pt"):
        mlsc.scan("no/such/model.pt")
    with pytest.raises(mlsc.MlscIOError):
        mlsc.scan(["examples/hf-model", "no/such/model.pt"])
    with pytest.raises(mlsc.MlscUsageError):
        mlsc.scan([])
    with pytest.raises(mlsc.MlscUsageError):
        mlsc.scan(b"examples/hf-model")  # type: ignore[arg-type]


def test_scan_bytes_matches_the_file_scan():
    for path in ["examples/hf-model/pytorch_model.bin", "tests/fixtures/scan/benign/raw_p2.bin"]:
        data = Path(path).read_bytes()
        from_bytes = mlsc.scan_bytes(data, name=path)
        from_file = mlsc.scan(path)
        assert verdicts(from_bytes) == verdicts(from_file)
        assert [f["code"] for f in from_bytes["findings"]] == [f["code"] for f in from_file["findings"]]


def test_scan_bytes_of_a_pickle_made_here():
    class Payload:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    evil = pickle.dumps(Payload(), protocol=2)  # made, never loaded
    report = mlsc.scan_bytes(evil)
    assert verdicts(report) == {"<bytes>": ("complete", "malicious")}
    assert any(f["code"] == "MLSC-PKL-001" and "system" in f["message"] for f in report["findings"])
    clean = mlsc.scan_bytes(bytearray(pickle.dumps({"w": [1.0, 2.0]})), name="weights.pkl")
    assert verdicts(clean) == {"weights.pkl": ("complete", "clean")}
    assert verdicts(mlsc.scan_bytes(memoryview(evil))) == {"<bytes>": ("complete", "malicious")}
    with pytest.raises(mlsc.MlscUsageError):
        mlsc.scan_bytes(io.BytesIO(evil))  # type: ignore[arg-type]


def test_scan_bytes_of_nothing_is_not_clean():
    report = mlsc.scan_bytes(b"")
    assert verdicts(report)["<bytes>"] != ("complete", "clean") or report["findings"], report


def test_deps_is_the_json_report(mlsc_exe):
    status, cli = cli_json(mlsc_exe, "deps", "examples/hf-model/requirements.txt", "--db", "examples/osv")
    assert status == 1
    api = mlsc.deps("examples/hf-model/requirements.txt", db=OSV.relative_to(ROOT))
    assert without_timing(api) == without_timing(cli)
    assert api["command"] == "deps" and api["errors"] == []
    ids = {v["id"] for v in api["deps"]["vulnerabilities"]}
    assert ids == {"PYSEC-2022-43015", "PYSEC-2023-74"}
    names = {d["name"] for d in api["deps"]["dependencies"]}
    assert {"torch", "requests"} <= names


def test_deps_errors():
    with pytest.raises(mlsc.MlscDatabaseError, match="nothing was checked"):
        mlsc.deps("examples/hf-model/requirements.txt", db="no/such/osv")
    with pytest.raises(mlsc.MlscDatabaseError):
        # A file that is not an OSV database at all.
        mlsc.deps("examples/hf-model/requirements.txt", db="examples/hf-model/model.safetensors")
    with pytest.raises(mlsc.MlscIOError):
        mlsc.deps("no/such/requirements.txt", db="examples/osv")
    with pytest.raises(mlsc.MlscUsageError):
        mlsc.deps("examples/hf-model/requirements.txt", db="examples/osv", platform="amiga")
    with pytest.raises(mlsc.MlscUsageError, match="nothing to audit"):
        mlsc.deps("tests/fixtures/scan/benign", db="examples/osv")


def test_sbom_is_the_bom(mlsc_exe):
    for spec in ["1.6", "1.7"]:
        out = run([mlsc_exe, "sbom", "examples/hf-model", "--spec", spec, "--deterministic"])
        assert out.returncode in (0, 1), out.stderr
        api = mlsc.sbom("examples/hf-model", spec=spec, deterministic=True)
        assert api == json.loads(out.stdout)
        assert api["bomFormat"] == "CycloneDX" and api["specVersion"] == spec
        models = [c for c in api["components"] if c.get("type") == "machine-learning-model"]
        assert models, "the example model is a machine-learning-model component"


def test_sbom_errors():
    with pytest.raises(mlsc.MlscUsageError, match="1.5"):
        mlsc.sbom("examples/hf-model", spec="1.5")
    with pytest.raises(mlsc.MlscIOError):
        mlsc.sbom("no/such/model")


def test_card_lint_is_the_json_report(mlsc_exe):
    status, cli = cli_json(mlsc_exe, "card", "lint", "examples/hf-model/README.md")
    api = mlsc.card_lint("examples/hf-model/README.md")
    assert without_timing(api) == without_timing(cli)
    assert status == 0 or status == 1
    codes = {f["code"] for f in api["findings"]}
    assert "MLSC-CARD-016" in codes  # sections missing from the example card
    with pytest.raises(mlsc.MlscIOError):
        mlsc.card_lint("no/such/README.md")


def test_exceptions_are_a_hierarchy():
    for cls in (mlsc.MlscIOError, mlsc.MlscUsageError, mlsc.MlscDatabaseError):
        assert issubclass(cls, mlsc.MlscError)
    assert issubclass(mlsc.MlscError, Exception)
    assert mlsc.MlscError.__module__ == "mlsc"
    with pytest.raises(mlsc.MlscError):
        mlsc.scan("no/such/file")


def test_package_is_typed():
    pkg = Path(mlsc.__file__).parent
    assert (pkg / "py.typed").is_file()
    assert (pkg / "_native.pyi").is_file()
