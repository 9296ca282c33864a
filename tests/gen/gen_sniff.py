#!/usr/bin/env python3
"""Writes tests/fixtures/sniff/: one small real file per format that mlsc_core::sniff recognises.

Run from the repository root: `python3 tests/gen/gen_sniff.py`. The stdlib makes most of them. zstd, lz4, 7z,
safetensors, GGUF, ONNX and HDF5 are written by their reference Python libraries when importable
(`pip install zstandard lz4 py7zr numpy safetensors gguf onnx h5py`); otherwise the committed files are kept.
Nothing here loads a pickle: the pickles are plain data.
"""
import bz2
import gzip
import io
import json
import lzma
import os
import pickle
import struct
import tarfile
import zipfile
import zlib
from collections import OrderedDict

OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "sniff")
os.makedirs(OUT, exist_ok=True)
DATA = {"weights": [1.5, 2.5], "name": "tiny", "layers": (1, 2, 3), "ok": True}


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def npy(descr, shape, body, version):
    header = "{'descr': %r, 'fortran_order': False, 'shape': %r, }" % (descr, shape)
    fmt, lenfmt = {1: ("<H", 2), 2: ("<I", 4), 3: ("<I", 4)}[version]
    pre = b"\x93NUMPY" + bytes([version, 0])
    total = len(pre) + lenfmt + len(header) + 1
    pad = (64 - total % 64) % 64
    header = header + " " * pad + "\n"
    enc = header.encode("latin1" if version < 3 else "utf8")
    return pre + struct.pack(fmt, len(enc)) + enc + body


for proto in range(6):
    write(f"pickle-p{proto}.pkl", pickle.dumps(DATA, protocol=proto))
write("pickle-ordereddict-p2.pkl", pickle.dumps(OrderedDict(a=1), protocol=2))
# The legacy torch.save layout starts with the magic number pickled at protocol 2, then more pickles.
legacy = pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2) + pickle.dumps(1001, protocol=2)
legacy += pickle.dumps({"protocol_version": 1001, "little_endian": True}, protocol=2)
write("torch-legacy.pt", legacy)
payload = pickle.dumps(DATA, protocol=4)
write("pickle.gz", gzip.compress(payload, mtime=0))
write("pickle.bz2", bz2.compress(payload))
write("pickle.xz", lzma.compress(payload, format=lzma.FORMAT_XZ))
write("pickle.lzma", lzma.compress(payload, format=lzma.FORMAT_ALONE))
write("pickle.zlib", zlib.compress(payload))
# joblib's legacy ZF container: 'ZF', the hex length padded to 19 bytes, then zlib.
write("joblib-zf.pkl", b"ZF" + hex(len(payload)).encode().ljust(19) + zlib.compress(payload))
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
    z.writestr("archive/data.pkl", payload)
    z.writestr("archive/version", "3\n")
write("torch-zip.pt", buf.getvalue())
for fmt, name in [(tarfile.USTAR_FORMAT, "ustar.tar"), (tarfile.GNU_FORMAT, "gnu.tar")]:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        info = tarfile.TarInfo("pickle")
        info.size = len(payload)
        info.mtime = 0
        t.addfile(info, io.BytesIO(payload))
    write(name, buf.getvalue())
write("array-v1.npy", npy("<f4", (2,), struct.pack("<2f", 1.0, 2.0), 1))
write("array-v2.npy", npy("<i8", (1,), struct.pack("<q", 7), 2))
write("array-v3.npy", npy("<u1", (3,), b"\x01\x02\x03", 3))
write("config.json", json.dumps({"architectures": ["BertModel"], "model_type": "bert"}, indent=2).encode())
write("tokenizer.yaml", b"model_type: bert\nvocab_size: 30522\nlayers:\n  - attention\n")
write("README.md", b"---\nlicense: apache-2.0\ntags:\n- text\n---\n\n# Tiny model\n\nA card.\n")
write("notes.txt", b"These are plain notes about a model.\nNothing else.\n")
write("empty.bin", b"")

try:
    import zstandard

    write("pickle.zst", zstandard.ZstdCompressor().compress(payload))
except ImportError:
    pass
try:
    import lz4.frame

    write("pickle.lz4", lz4.frame.compress(payload))
except ImportError:
    pass
try:
    import py7zr

    path = os.path.join(OUT, "archive.7z")
    with py7zr.SevenZipFile(path, "w") as z:
        z.writestr(payload, "pickle")
except ImportError:
    pass
try:
    import numpy as np
    from safetensors.numpy import save

    write("model.safetensors", save({"w": np.arange(4, dtype=np.float32)}, metadata={"format": "pt"}))
except ImportError:
    pass
try:
    import gguf
    import numpy as np

    path = os.path.join(OUT, "model.gguf")
    w = gguf.GGUFWriter(path, "llama")
    w.add_string("general.name", "tiny")
    w.add_tensor("w", np.arange(4, dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
except ImportError:
    pass
try:
    import onnx
    from onnx import TensorProto, helper

    node = helper.make_node("Relu", ["x"], ["y"])
    graph = helper.make_graph(
        [node], "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])],
    )
    model = helper.make_model(graph, producer_name="mlsc-gen", opset_imports=[helper.make_opsetid("", 13)])
    write("model.onnx", model.SerializeToString())
except ImportError:
    pass
try:
    import h5py

    path = os.path.join(OUT, "model.h5")
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = json.dumps({"class_name": "Sequential"})
        f.create_dataset("w", data=[1.0, 2.0])
except ImportError:
    pass
