#!/usr/bin/env python3
"""Generates tests/fixtures/failclosed/: every case of issue 12 items 1, 4 and 5 (fail closed on identification,
archive member paths, Keras external artefacts), each with a benign twin in the same container, and
manifest.json saying which files must be caught (exit 1, with the finding codes listed) and which must be clean
(exit 0).

Real files from real libraries: tar and zip from Python's tarfile/zipfile, 7z from py7zr, safetensors from the
safetensors package, Keras models from Keras 3 (TensorFlow backend) and a KerasHub backbone from keras-hub, the
TFSMLayer case from a real TensorFlow SavedModel. Where a case cannot be produced by the library's public API
(a `get_file` or `load_model` reference in a config, a malformed safetensors header), the file the library wrote
is edited, and the manifest's `how` says so. Payloads are harmless (`echo pwned`) and nothing generated here is
ever loaded.

Run (from the repository root):
    python3 -m venv tests/gen/.venv-failclosed
    tests/gen/.venv-failclosed/bin/pip install -r tests/gen/requirements-failclosed.txt
    KERAS_BACKEND=tensorflow tests/gen/.venv-failclosed/bin/python tests/gen/gen_failclosed.py
"""

import io
import json
import os
import pickle
import random
import shutil
import struct
import sys
import tarfile
import tempfile
import zipfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "failclosed")
MANIFEST = []
FIXED_TIME = 315532800  # 1980-01-01: deterministic archives


def put(rel, data, expect, case, codes=(), refs=(), how="", twin_of=None):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    MANIFEST.append(
        {
            "file": rel,
            "expect": expect,
            "case": case,
            "codes": list(codes),
            "refs": list(refs),
            "how": how,
            **({"twin_of": twin_of} if twin_of else {}),
        }
    )


class Evil:
    """Pickles as `os.system('echo pwned')`; never unpickled here."""

    def __reduce__(self):
        return (os.system, ("echo pwned",))


BENIGN = {"weights": [0.5, 1.5], "epoch": 3}
BENIGN_PICKLE = pickle.dumps(BENIGN, protocol=2)


# --- tar ---------------------------------------------------------------------------------------------------------

def tar_bytes(members, mode="w"):
    """members: (name, kind, data_or_target)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode, format=tarfile.GNU_FORMAT) as tf:
        for name, kind, payload in members:
            info = tarfile.TarInfo(name)
            info.mtime = FIXED_TIME
            if kind == "file":
                info.size = len(payload)
                tf.addfile(info, io.BytesIO(payload))
            elif kind == "dir":
                info.type = tarfile.DIRTYPE
                tf.addfile(info)
            elif kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = payload
                tf.addfile(info)
            elif kind == "hardlink":
                info.type = tarfile.LNKTYPE
                info.linkname = payload
                tf.addfile(info)
    return buf.getvalue()


def gen_tar():
    readme = b"a tiny model\n"
    cases = [
        ("dotdot", [("model.pkl", "file", BENIGN_PICKLE), ("../evil.sh", "file", b"echo pwned\n")],
         [("model.pkl", "file", BENIGN_PICKLE), ("evil.sh", "file", b"echo pwned\n")],
         ["MLSC-ARC-001"], "tar member `../evil.sh` escapes the destination", ["CVE-2007-4559"]),
        ("absolute", [("model.pkl", "file", BENIGN_PICKLE), ("/tmp/evil.sh", "file", b"echo pwned\n")],
         [("model.pkl", "file", BENIGN_PICKLE), ("tmp/evil.sh", "file", b"echo pwned\n")],
         ["MLSC-ARC-002"], "tar member with an absolute name", ["CVE-2007-4559"]),
        ("symlink_write", [("out", "symlink", "/tmp"), ("out/evil.sh", "file", b"echo pwned\n")],
         [("out", "dir", None), ("out/evil.sh", "file", b"echo pwned\n"), ("latest", "symlink", "out/evil.sh")],
         ["MLSC-ARC-003", "MLSC-ARC-004"], "symlink member to /tmp, then a member written through it", []),
        ("hardlink_out", [("model.pkl", "file", BENIGN_PICKLE), ("passwd", "hardlink", "../../etc/passwd")],
         [("model.pkl", "file", BENIGN_PICKLE), ("copy.pkl", "hardlink", "model.pkl")],
         ["MLSC-ARC-003"], "hard link member to a path above the destination", []),
        ("duplicate", [("model.pkl", "file", BENIGN_PICKLE), ("README.md", "file", readme),
                       ("./model.pkl", "file", pickle.dumps(Evil(), protocol=2))],
         [("model.pkl", "file", BENIGN_PICKLE), ("README.md", "file", readme)],
         ["MLSC-ARC-005"], "a second `model.pkl` shadows the first on extraction", []),
    ]
    for name, bad, good, codes, case, refs in cases:
        put(f"tar/{name}.tar", tar_bytes(bad), "caught", case, codes, refs, "tarfile")
        put(f"tar/{name}_twin.tar", tar_bytes(good), "clean", f"twin of {name}", how="tarfile", twin_of=f"tar/{name}.tar")
    # CVE-2024-5187: onnx.hub extracts a downloaded tar.gz with tarfile.extractall. A minimal ModelProto
    # (ir_version 8, an empty graph) as the model.
    onnx = bytes([0x08, 0x08, 0x3A, 0x00])
    put("tar/onnx_hub.tar.gz", tar_bytes([("model/model.onnx", "file", onnx), ("../../.bashrc", "file", b"echo pwned\n")], "w:gz"),
        "caught", "onnx hub tar.gz with `../` member", ["MLSC-ARC-001"], ["CVE-2024-5187"], "tarfile w:gz")
    put("tar/onnx_hub_twin.tar.gz", tar_bytes([("model/model.onnx", "file", onnx), ("model/README.md", "file", readme)], "w:gz"),
        "clean", "twin of onnx_hub", how="tarfile w:gz", twin_of="tar/onnx_hub.tar.gz")
    put("tar/dotdot.tar.xz", tar_bytes([("model.pkl", "file", BENIGN_PICKLE), ("../evil.sh", "file", b"echo pwned\n")], "w:xz"),
        "caught", "xz-compressed tar with `../` member (read as it decompresses)", ["MLSC-ARC-001"], how="tarfile w:xz")
    put("tar/dotdot_twin.tar.xz", tar_bytes([("model.pkl", "file", BENIGN_PICKLE), ("evil.sh", "file", b"echo pwned\n")], "w:xz"),
        "clean", "twin of dotdot.tar.xz", how="tarfile w:xz", twin_of="tar/dotdot.tar.xz")
    # CVE-2025-12638: NeMo's restore_from extracts the .nemo tar without checking member paths.
    cfg = b"name: tiny\nsample_rate: 16000\n"
    nemo_bad = [("./model_config.yaml", "file", cfg), ("./model_weights.ckpt", "file", BENIGN_PICKLE),
                ("./../../../tmp/evil.sh", "file", b"echo pwned\n")]
    nemo_good = [("./model_config.yaml", "file", cfg), ("./model_weights.ckpt", "file", BENIGN_PICKLE)]
    put("nemo/traversal.nemo", tar_bytes(nemo_bad), "caught", ".nemo archive with a `../` member", ["MLSC-ARC-001"],
        ["CVE-2025-12638"], "tarfile (NeMo's layout)")
    put("nemo/traversal_twin.nemo", tar_bytes(nemo_good), "clean", "twin of traversal.nemo", how="tarfile (NeMo's layout)",
        twin_of="nemo/traversal.nemo")


# --- zip ---------------------------------------------------------------------------------------------------------

def zip_bytes(members):
    """members: (name, data, symlink_target_or_None)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data, link in members:
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            if link is not None:
                info.create_system = 3
                info.external_attr = (0o120777 << 16)
                data = link.encode()
            else:
                info.create_system = 3
                info.external_attr = (0o100644 << 16)
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                zf.writestr(info, data)
    return buf.getvalue()


def gen_zip():
    manifest = json.dumps({"model": {"modelName": "tiny", "serializedFile": "model.pkl", "handler": "index_to_name.json"}}).encode()
    labels = b'{"0": "cat", "1": "dog"}'
    mar_good = [("MAR-INF/MANIFEST.json", manifest, None), ("model.pkl", BENIGN_PICKLE, None), ("index_to_name.json", labels, None)]
    put("zip/slip.mar", zip_bytes(mar_good + [("../../../../tmp/evil.sh", b"echo pwned\n", None)]), "caught",
        "zip-slip member in a TorchServe .mar", ["MLSC-ARC-001"], ["CVE-2018-1002200 (zip slip)"], "zipfile")
    put("zip/slip_twin.mar", zip_bytes(mar_good), "clean", "twin of slip.mar", how="zipfile", twin_of="zip/slip.mar")
    put("zip/absolute.zip", zip_bytes([("model.pkl", BENIGN_PICKLE, None), ("/etc/cron.d/evil", b"echo pwned\n", None),
                                       ("C:\\Users\\Public\\evil.bat", b"echo pwned\n", None)]),
        "caught", "zip members with absolute names (Unix and a Windows drive)", ["MLSC-ARC-002"], how="zipfile (ZipInfo keeps the name)")
    put("zip/absolute_twin.zip", zip_bytes([("model.pkl", BENIGN_PICKLE, None), ("etc/cron.d/evil", b"echo pwned\n", None)]),
        "clean", "twin of absolute.zip", how="zipfile", twin_of="zip/absolute.zip")
    put("zip/symlink_write.zip", zip_bytes([("out", b"", "/tmp"), ("out/evil.sh", b"echo pwned\n", None)]), "caught",
        "zip symlink member to /tmp, then a member written through it (unzip follows it)", ["MLSC-ARC-003", "MLSC-ARC-004"],
        how="zipfile with a Unix symlink mode in external_attr")
    put("zip/symlink_write_twin.zip", zip_bytes([("model.pkl", BENIGN_PICKLE, None), ("latest.pkl", b"", "model.pkl")]),
        "clean", "twin of symlink_write.zip: a link inside", how="zipfile", twin_of="zip/symlink_write.zip")
    put("zip/duplicate.zip", zip_bytes([("model.pkl", BENIGN_PICKLE, None), ("model.pkl", pickle.dumps(Evil(), 2), None)]),
        "caught", "two different `model.pkl` members", ["MLSC-ARC-005"], how="zipfile (warns on the duplicate)")
    put("zip/duplicate_twin.zip", zip_bytes([("model.pkl", BENIGN_PICKLE, None), ("model2.pkl", BENIGN_PICKLE, None)]),
        "clean", "twin of duplicate.zip", how="zipfile", twin_of="zip/duplicate.zip")


# --- 7z ----------------------------------------------------------------------------------------------------------

def sevenz_bytes(members):
    import py7zr

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "a.7z")
        with py7zr.SevenZipFile(path, "w") as z:
            for name, data in members:
                # py7zr refuses to write a `../` name through writestr; its internal writer does not check,
                # which is what a hostile archive tool does.
                z._writestr(data, name)
        with open(path, "rb") as f:
            return f.read()


def gen_7z():
    put("7z/dotdot.7z", sevenz_bytes([("model.pkl", BENIGN_PICKLE), ("../evil.sh", b"echo pwned\n")]), "caught",
        "7z member `../evil.sh`", ["MLSC-ARC-001"], how="py7zr")
    put("7z/dotdot_twin.7z", sevenz_bytes([("model.pkl", BENIGN_PICKLE), ("evil.sh", b"echo pwned\n")]), "clean",
        "twin of dotdot.7z", how="py7zr", twin_of="7z/dotdot.7z")


# --- Keras -------------------------------------------------------------------------------------------------------

def keras_models(tmp):
    import keras
    import keras_hub
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    dense = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="dense")])
    dense_path = os.path.join(tmp, "dense.keras")
    dense.save(dense_path)

    # CVE-2026-1462: TFSMLayer loads a SavedModel from wherever its filepath says, under safe_mode.
    class Tiny(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
        def serve(self, x):
            return {"y": x * 2.0}

    sm = os.path.join(tmp, "attacker_savedmodel")
    t = Tiny()
    tf.saved_model.save(t, sm, signatures={"serving_default": t.serve})
    tfsm = keras.Sequential([keras.Input((4,)), keras.layers.TFSMLayer(sm, call_endpoint="serving_default")])
    tfsm_path = os.path.join(tmp, "tfsm.keras")
    tfsm.save(tfsm_path)

    bert = keras_hub.models.BertBackbone(
        vocabulary_size=16, num_layers=1, num_heads=1, hidden_dim=4, intermediate_dim=8, max_sequence_length=8
    )
    bert_path = os.path.join(tmp, "bert.keras")
    bert.save(bert_path)
    versions = {"keras": keras.__version__, "keras_hub": keras_hub.__version__, "tensorflow": tf.__version__}
    return dense_path, tfsm_path, bert_path, versions


def rezip(path, edit_config=None, extra=()):
    """The .keras zip at `path`, with config.json passed through `edit_config` and members `extra` appended."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "config.json" and edit_config:
                cfg = json.loads(data)
                edit_config(cfg)
                data = json.dumps(cfg).encode()
            info.date_time = (1980, 1, 1, 0, 0, 0)
            dst.writestr(info, data)
        for name, data in extra:
            dst.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


def first_dense(cfg):
    for layer in cfg["config"]["layers"]:
        if layer.get("class_name") == "Dense":
            return layer
    raise SystemExit("no Dense layer in the Keras config")


def gen_keras():
    versions = {}
    with tempfile.TemporaryDirectory() as tmp:
        dense, tfsm, bert, versions = keras_models(tmp)
        put("keras/dense_twin.keras", rezip(dense), "clean", "a Keras 3 Dense model", how="keras.Model.save")
        put("keras/bert_backbone_twin.keras", rezip(bert), "clean", "a KerasHub BertBackbone (keras_hub namespace)",
            how="keras_hub.models.BertBackbone.save")

        def fix_tfsm(cfg):
            # The SavedModel path was a temporary directory: say where an attacker would point it.
            for layer in cfg["config"]["layers"]:
                if layer.get("class_name") == "TFSMLayer":
                    layer["config"]["filepath"] = "/tmp/attacker_savedmodel"

        put("keras/tfsm_layer.keras", rezip(tfsm, fix_tfsm), "caught", "TFSMLayer loading an outside SavedModel under safe_mode",
            ["MLSC-KERAS-005"], ["CVE-2026-1462"], "keras.Model.save of a real TFSMLayer; filepath renamed from the temp dir")

        def get_file(cfg):
            first_dense(cfg)["config"]["kernel_initializer"] = {
                "module": "keras.utils", "class_name": "function", "config": "get_file", "registered_name": "function"}

        put("keras/get_file.keras", rezip(dense, get_file), "caught", "a config that calls keras.utils.get_file",
            ["MLSC-KERAS-005"], how="Dense model config edited")

        def load_model(cfg):
            first_dense(cfg)["config"]["kernel_initializer"] = {
                "module": "keras.saving", "class_name": "function", "config": "load_model", "registered_name": "function"}

        put("keras/load_model.keras", rezip(dense, load_model), "caught", "a config that calls keras.saving.load_model",
            ["MLSC-KERAS-005"], how="Dense model config edited")

        def unsafe(cfg):
            first_dense(cfg)["config"]["activation"] = {
                "module": "keras.config", "class_name": "function", "config": "enable_unsafe_deserialization",
                "registered_name": "function"}

        put("keras/unsafe.keras", rezip(dense, unsafe), "caught", "a config that calls enable_unsafe_deserialization",
            ["MLSC-KERAS-005"], how="Dense model config edited")

        def registered(cfg):
            first_dense(cfg)["registered_name"] = "evilpkg>Backdoor"

        put("keras/registered.keras", rezip(dense, registered), "caught", "a registered name outside the Keras namespaces",
            ["MLSC-KERAS-002"], how="Dense model config edited")
        put("keras/dotdot.keras", rezip(dense, extra=[("../../evil.py", b"import os\nos.system('echo pwned')\n")]), "caught",
            ".keras zip with a `../` member", ["MLSC-ARC-001"], how="keras.Model.save, member appended")
    return versions


# --- fail closed on identification -------------------------------------------------------------------------------

def safetensors_raw(header, data):
    h = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack("<Q", len(h)) + h + data


def gen_failclosed():
    import numpy as np
    from safetensors.numpy import save as st_save

    rng = random.Random(12)
    noise = bytes(rng.getrandbits(8) for _ in range(4096))
    put("failclosed/random.pkl", noise, "caught", "4096 random bytes named .pkl", ["MLSC-SCAN-012"], how="random, seed 12")
    put("failclosed/random.safetensors", noise, "caught", "4096 random bytes named .safetensors", ["MLSC-SCAN-012"], how="random, seed 12")
    put("failclosed/pickle_twin.pkl", pickle.dumps(BENIGN, protocol=4), "clean", "a benign protocol-4 pickle", how="pickle.dumps")
    good = st_save({"w": np.arange(6, dtype=np.float32).reshape(2, 3), "b": np.zeros(2, dtype=np.float16)}, metadata={"format": "pt"})
    put("failclosed/model_twin.safetensors", good, "clean", "a valid safetensors file", how="safetensors.numpy.save")

    # pickle.loads needs neither PROTO nor FRAME: strip them from a protocol-4 stream (2 + 9 bytes).
    evil4 = pickle.dumps(Evil(), protocol=4)
    assert evil4[:2] == b"\x80\x04" and evil4[2] == 0x95
    put("failclosed/protoless_p4.pkl", evil4[11:], "caught", "protocol-4 pickle without PROTO, starting with SHORT_BINUNICODE",
        ["MLSC-PKL-001"], how="pickle.dumps(protocol=4), PROTO and FRAME removed")
    ben4 = pickle.dumps(BENIGN, protocol=4)
    put("failclosed/protoless_twin.pkl", ben4[11:], "clean", "benign protocol-4 pickle without PROTO",
        how="pickle.dumps(protocol=4), PROTO and FRAME removed")
    put("failclosed/pytorch_model.bin",
        b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"0" * 64 + b"\nsize 440473133\n",
        "caught", "a Git LFS pointer where the weights should be", ["MLSC-SCAN-012"], how="the LFS pointer format")

    # Headers the reference loader (safetensors.safe_open) refuses, each edited from a valid layout.
    f32 = np.arange(6, dtype=np.float32).tobytes()
    ok = {"w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}}
    bad = {
        "len_beyond": struct.pack("<Q", 1 << 20) + json.dumps(ok).encode() + f32,
        "meta_number": safetensors_raw({"__metadata__": {"epochs": 3}, **ok}, f32),
        "overlap": safetensors_raw({"a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
                                    "b": {"dtype": "F32", "shape": [2], "data_offsets": [16, 24]}}, f32),
        "gap": safetensors_raw({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                                "b": {"dtype": "F32", "shape": [2], "data_offsets": [16, 24]}}, f32),
        "unknown_dtype": safetensors_raw({"w": {"dtype": "Q7", "shape": [6], "data_offsets": [0, 24]}}, f32),
        "shape_mismatch": safetensors_raw({"w": {"dtype": "F32", "shape": [3, 3], "data_offsets": [0, 24]}}, f32),
        "trailing": safetensors_raw(ok, f32 + b"\0" * 8),
        "missing_offsets": safetensors_raw({"w": {"dtype": "F32", "shape": [2, 3]}}, f32),
    }
    codes = {
        "len_beyond": "MLSC-ST-001", "meta_number": "MLSC-ST-008", "overlap": "MLSC-ST-006", "gap": "MLSC-ST-007",
        "unknown_dtype": "MLSC-ST-009", "shape_mismatch": "MLSC-ST-004", "trailing": "MLSC-ST-007",
        "missing_offsets": "MLSC-ST-003",
    }
    from safetensors.numpy import load as st_load
    for name, data in bad.items():
        try:
            st_load(data)
        except Exception:
            pass
        else:
            raise SystemExit(f"the safetensors loader accepts {name}: not a refused header")
        put(f"safetensors/{name}.safetensors", data, "caught", f"safetensors header the loader refuses: {name}", [codes[name]],
            how="header written by hand, checked refused by safetensors.numpy.load")
    st_load(good)
    put("safetensors/valid_twin.safetensors", good, "clean", "twin: a valid safetensors file", how="safetensors.numpy.save")


def main():
    if os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    os.makedirs(ROOT)
    gen_tar()
    gen_zip()
    gen_7z()
    keras_versions = gen_keras()
    gen_failclosed()
    import numpy
    import py7zr
    import safetensors

    versions = {"python": sys.version.split()[0], "py7zr": py7zr.__version__, "safetensors": safetensors.__version__,
                "numpy": numpy.__version__, **keras_versions}
    MANIFEST.sort(key=lambda e: e["file"])
    with open(os.path.join(ROOT, "manifest.json"), "w") as f:
        json.dump({"generator": "tests/gen/gen_failclosed.py", "versions": versions, "files": MANIFEST}, f, indent=1)
        f.write("\n")
    print(f"{len(MANIFEST)} files in {ROOT}")


if __name__ == "__main__":
    main()
