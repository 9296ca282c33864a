#!/usr/bin/env python3
"""Generates tests/fixtures/scan/: every container and format trick `mlsc scan` handles, each with a benign
look-alike, and manifest.json with what each file must give.

Python 3.11 standard library only. Payloads are *pickled*, never executed: pickling `os.system` records a
reference to it, nothing runs. PyTorch, NumPy and joblib are not needed: their layouts are reproduced byte for
byte (torch's zip layout with 64-byte alignment, the legacy stacked pickles, `.npy` headers, joblib's
compressors), and the globals they reference are pickled through stand-in modules registered under the real
names, so the streams name exactly what the real libraries' streams name.

Formats the standard library cannot write (zstd, lz4, 7z) are made by the Rust tests at run time.

Run: python3 tests/gen/gen_containers.py   (from the repository root; rewrites the folder deterministically)
"""

import bz2
import collections
import gzip
import io
import json
import lzma
import os
import pickle
import shutil
import struct
import sys
import tarfile
import types
import zipfile
import zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "scan")
MANIFEST = []


# --- stand-ins for the real libraries' globals --------------------------------------------------------------------

def _module(name):
    mod = sys.modules.get(name)
    if mod is None:
        mod = types.ModuleType(name)
        sys.modules[name] = mod
        parent, _, child = name.rpartition(".")
        if parent:
            setattr(_module(parent), child, mod)
    return mod


def _fn(module, name):
    def f(*a, **k):  # never called: only pickled by reference
        raise RuntimeError("stand-in")
    f.__module__ = module
    f.__qualname__ = name
    f.__name__ = name
    setattr(_module(module), name, f)
    return f


def _cls(module, name):
    c = type(name, (), {"__module__": module})
    c.__qualname__ = name
    setattr(_module(module), name, c)
    return c


rebuild_tensor_v2 = _fn("torch._utils", "_rebuild_tensor_v2")
FloatStorage = _cls("torch", "FloatStorage")
np_reconstruct = _fn("numpy.core.multiarray", "_reconstruct")
np_ndarray = _cls("numpy", "ndarray")
np_dtype = _cls("numpy", "dtype")
TorchScriptNet = _cls("__torch__", "Net")


NumpyArrayWrapper = _cls("joblib.numpy_pickle", "NumpyArrayWrapper")


class FakeArray:
    """A float64 or uint8 array for the joblib pickler below: its bytes are written inline, as joblib does."""

    def __init__(self, data, dtype, shape):
        self.data, self.dtype, self.shape = data, dtype, shape


class JoblibPickler(pickle._Pickler):
    """joblib's NumpyPickler: an ndarray is saved as a NumpyArrayWrapper object, then (after the frame is
    committed) a padding-length byte, `\xff` padding to a 16-byte boundary, and the raw array bytes, in the
    middle of the pickle stream."""

    def save(self, obj, save_persistent_id=True):
        if isinstance(obj, FakeArray):
            w = NumpyArrayWrapper.__new__(NumpyArrayWrapper)
            w.__dict__.update({"subclass": np_ndarray, "shape": obj.shape, "order": "C",
                               "dtype": Reduce(np_dtype, (obj.dtype, False, True), (3, "<" if obj.dtype != "u1" else "|", None, None, None, -1, -1, 0)),
                               "allow_mmap": False, "numpy_array_alignment_bytes": 16})
            super().save(w)
            if self.proto >= 4:
                self.framer.commit_frame(force=True)
            fh = self._file_write.__self__
            pad = 16 - ((fh.tell() + 1) % 16)
            fh.write(bytes([pad]) + b"\xff" * pad)
            fh.write(obj.data)
            return
        super().save(obj, save_persistent_id)


def joblib_dump(obj):
    buf = io.BytesIO()
    JoblibPickler(buf, protocol=5).dump(obj)
    return buf.getvalue()


class Reduce:
    """An object that pickles as `func(*args)` (and optional BUILD state)."""

    def __init__(self, func, args, state=None):
        self.func, self.args, self.state = func, args, state

    def __reduce__(self):
        if self.state is None:
            return (self.func, self.args)
        return (self.func, self.args, self.state)


class Storage:
    def __init__(self, key, numel):
        self.key, self.numel = key, numel


class TorchPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", FloatStorage, obj.key, "cpu", obj.numel)
        return None


def evil(cmd="echo pwned"):
    return Reduce(os.system, (cmd,))


def tensor(key, shape):
    numel = 1
    for d in shape:
        numel *= d
    stride = tuple(int(s) for s in _strides(shape))
    return Reduce(rebuild_tensor_v2, (Storage(key, numel), 0, tuple(shape), stride, False, collections.OrderedDict()))


def _strides(shape):
    out, acc = [], 1
    for d in reversed(shape):
        out.append(acc)
        acc *= d
    return reversed(out)


def torch_pickle(obj, protocol=2):
    buf = io.BytesIO()
    TorchPickler(buf, protocol=protocol).dump(obj)
    return buf.getvalue()


def state_dict():
    return collections.OrderedDict([("fc.weight", tensor("0", (4, 4))), ("fc.bias", tensor("1", (4,)))])


def noise(n, seed=1):
    out = bytearray()
    x = seed or 1
    while len(out) < n:
        x ^= (x << 13) & 0xFFFFFFFFFFFFFFFF
        x ^= x >> 7
        x ^= (x << 17) & 0xFFFFFFFFFFFFFFFF
        out += struct.pack("<Q", x)
    return bytes(out[:n])


# --- writers ------------------------------------------------------------------------------------------------------

def put(rel, data, expect, trick, pickles=()):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    MANIFEST.append({"file": rel, "expect": expect, "trick": trick, "pickles": list(pickles)})


def torch_zip(members, name="archive", compress=zipfile.ZIP_STORED, force_zip64=False, stream=False):
    """A zip laid out as torch.save writes it: stored members, data aligned to 64 bytes with a `FB` extra field."""
    raw = io.BytesIO()

    class Unseekable(io.RawIOBase):
        def writable(self):
            return True

        def write(self, b):
            return raw.write(b)

    target = Unseekable() if stream else raw
    with zipfile.ZipFile(target, "w", compression=compress) as zf:
        for mname, data in members:
            zi = zipfile.ZipInfo(f"{name}/{mname}", date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = compress
            if not stream:
                base = raw.tell() + 30 + len(zi.filename.encode()) + 4
                if force_zip64:
                    base += 20
                pad = (-base) % 64
                zi.extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
            with zf.open(zi, "w", force_zip64=force_zip64) as w:
                w.write(data)
    return raw.getvalue()


def torch_members(data_pkl, extra=()):
    return [
        ("data.pkl", data_pkl),
        (".format_version", b"1"),
        (".storage_alignment", b"64"),
        ("byteorder", b"little"),
        ("data/0", noise(64, 3)),
        ("data/1", noise(16, 4)),
        *extra,
        ("version", b"3\n"),
        (".data/serialization_id", b"1234567890123456789012345678901234567890"),
    ]


def patch_local(data, old, new):
    """Replaces the first local-header occurrence of `old` (same length) — the central directory keeps `old`."""
    i = data.index(old)
    return data[:i] + new + data[i + len(old):]


def local_flags(data, member, flags):
    i = data.index(member.encode())
    hdr = i - 30
    assert data[hdr:hdr + 4] == b"PK\x03\x04"
    return data[:hdr + 6] + struct.pack("<H", flags) + data[hdr + 8:]


def central_crc(data, member):
    i = data.rindex(member.encode())
    hdr = i - 46
    assert data[hdr:hdr + 4] == b"PK\x01\x02"
    crc = struct.unpack("<I", data[hdr + 16:hdr + 20])[0] ^ 0xDEADBEEF
    return data[:hdr + 16] + struct.pack("<I", crc) + data[hdr + 20:]


def npy(descr, shape, body, version=1, fortran=False):
    header = "{'descr': %s, 'fortran_order': %s, 'shape': %s, }" % (
        descr if descr.startswith("[") else repr(descr), fortran, repr(tuple(shape)))
    hb = header.encode("utf8" if version == 3 else "latin1")
    pre = 10 if version == 1 else 12
    total = pre + len(hb) + 1
    pad = (-total) % 64
    hb = hb + b" " * pad + b"\n"
    length = struct.pack("<H", len(hb)) if version == 1 else struct.pack("<I", len(hb))
    return b"\x93NUMPY" + bytes([version, 0]) + length + hb + body


def object_array_pickle(items):
    """What numpy.save writes after an object-array header: pickle.dump(array, protocol=3)."""
    arr = Reduce(np_reconstruct, (np_ndarray, (0,), b"b"), (1, (len(items),), Reduce(np_dtype, ("O8", False, True), (3, "|", None, None, None, -1, -1, 63)), False, list(items)))
    return pickle.dumps(arr, protocol=3)


def tar_bytes(members, mode="w"):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode, format=tarfile.USTAR_FORMAT) as tf:
        for name, data in members:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mtime = 0
            tf.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def lzma_alone(data):
    return lzma.compress(data, format=lzma.FORMAT_ALONE)


def joblib_zf(data):
    return b"ZF" + hex(len(data)).encode().ljust(19) + zlib.compress(data)


# --- protobuf (ONNX) ------------------------------------------------------------------------------------------------

def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def fld(num, payload):
    if isinstance(payload, int):
        return varint(num << 3) + varint(payload)
    if isinstance(payload, str):
        payload = payload.encode()
    return varint(num << 3 | 2) + varint(len(payload)) + payload


def onnx_model(domain="", external=None, op="Relu"):
    node = fld(1, "x") + fld(2, "y") + fld(4, op) + (fld(7, domain) if domain else b"")
    tensor = fld(1, 1) + fld(2, 1) + fld(8, "w")
    if external is not None:
        tensor += fld(13, fld(1, "location") + fld(2, external)) + fld(14, 1)
    else:
        tensor += fld(9, b"\x00\x00\x80\x3f")
    graph = fld(1, node) + fld(2, "g") + fld(5, tensor)
    opset = fld(8, fld(1, domain) + fld(2, 1) if domain else fld(2, 17))
    return fld(1, 8) + fld(2, "mlsc-gen") + fld(7, graph) + opset


# --- GGUF -------------------------------------------------------------------------------------------------------------

def gguf(template=None, truncate=False):
    def s(x):
        x = x.encode()
        return struct.pack("<Q", len(x)) + x

    kvs = [(b"general.architecture", 8, s("llama")), (b"general.alignment", 4, struct.pack("<I", 32))]
    kvs.append((b"tokenizer.ggml.tokens", 9, struct.pack("<IQ", 8, 3) + s("<s>") + s("</s>") + s("hi")))
    kvs.append((b"tokenizer.ggml.scores", 9, struct.pack("<IQ", 6, 3) + struct.pack("<3f", 0, 0, -1)))
    if template is not None:
        kvs.append((b"tokenizer.chat_template", 8, s(template)))
    body = b"GGUF" + struct.pack("<IQQ", 3, 1, len(kvs))
    for k, t, v in kvs:
        body += struct.pack("<Q", len(k)) + k + struct.pack("<I", t) + v
    body += s("tok_embd.weight") + struct.pack("<I", 2) + struct.pack("<QQ", 2, 2) + struct.pack("<I", 0) + struct.pack("<Q", 0)
    body += b"\x00" * ((-len(body)) % 32)
    body += struct.pack("<4f", 1, 2, 3, 4)
    if truncate:
        body = body[:60]
    return body


CHATML = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
          "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")
LLAMA3 = ("{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + "
          "message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
          "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}"
          "{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}")


# --- safetensors ------------------------------------------------------------------------------------------------------

def safetensors(header, data):
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((-len(h)) % 8)
    return struct.pack("<Q", len(h)) + h + data


# --- Keras ------------------------------------------------------------------------------------------------------------

def keras_config(layers):
    return {"module": "keras", "class_name": "Sequential", "config": {"name": "seq", "layers": layers}, "registered_name": None}


DENSE = {"module": "keras.layers", "class_name": "Dense", "config": {"name": "d", "units": 2, "activation": {"module": "keras.activations", "class_name": "function", "config": "relu", "registered_name": None}}, "registered_name": None}
LAMBDA3 = {"module": "keras.layers", "class_name": "Lambda", "config": {"name": "l", "function": {"class_name": "__lambda__", "config": {"code": "4wEAAAAAAAAAAAAAAAEAAAADAAAAQwAAAHMMAAAAdABkAYMBAQB8AFMAKQJO2gJpZCkB2gRleGVjKQHaAXipAHIDAAAA+gE8bGFtYmRhPgEAAABzAgAAAAwA", "defaults": None, "closure": None}}}, "registered_name": None}
FOREIGN = {"module": "builtins", "class_name": "function", "config": "exec", "registered_name": None}


def keras_zip(config):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("metadata.json", (1980, 1, 1, 0, 0, 0)), json.dumps({"keras_version": "3.6.0", "date_saved": "2024-01-01@00:00:00"}))
        zf.writestr(zipfile.ZipInfo("config.json", (1980, 1, 1, 0, 0, 0)), json.dumps(config))
        zf.writestr(zipfile.ZipInfo("model.weights.h5", (1980, 1, 1, 0, 0, 0)), b"\x89HDF\r\n\x1a\n" + b"\x00" * 64)
    return buf.getvalue()


def fake_h5(config):
    """Not a complete HDF5 file: the superblock signature and a Keras 2 `model_config` attribute message laid out
    as h5py stores a fixed-length string attribute (name, then the JSON value), which is what the scanner's
    bounded byte search reads. Documented as such in the manifest."""
    head = b"\x89HDF\r\n\x1a\n" + b"\x00" * 88
    if config is None:
        return head + b"TREE" + noise(256, 9)
    attr = b"\x0c\x00" + b"model_config\x00\x00\x00\x00" + json.dumps(config).encode() + b"\x00"
    return head + b"OHDR" + attr + noise(128, 7)


# --- the corpus -------------------------------------------------------------------------------------------------------

def main():
    # fuzz/ holds crash inputs found by `cargo fuzz` (regression tests read them): kept across runs.
    for sub in ("benign", "malicious", "suspicious", "inconclusive"):
        if os.path.isdir(os.path.join(ROOT, sub)):
            shutil.rmtree(os.path.join(ROOT, sub))
    benign_obj = {"epoch": 3, "lr": 0.001, "names": ["a", "b"], "weights": [1.0, 2.0, 3.0]}

    # Raw pickles, named as anything: identification is by content.
    for p in (0, 2, 4, 5):
        put(f"malicious/raw_p{p}.bin", pickle.dumps(evil(), protocol=p), "malicious", f"raw pickle protocol {p} named .bin", [""])
        put(f"benign/raw_p{p}.bin", pickle.dumps(benign_obj, protocol=p), "benign", f"raw pickle protocol {p} named .bin", [""])
    put("malicious/raw_named.txt", pickle.dumps(evil(), protocol=2), "malicious", "raw pickle named .txt", [""])

    # PyTorch zip checkpoints.
    good = torch_pickle(state_dict())
    bad = torch_pickle(collections.OrderedDict([("w", tensor("0", (4, 4))), ("x", evil())]))
    put("benign/torch_zip.pt", torch_zip(torch_members(good)), "benign", "torch.save zip layout", ["archive/data.pkl"])
    put("malicious/torch_zip.pt", torch_zip(torch_members(bad)), "malicious", "torch.save zip layout", ["archive/data.pkl"])
    put("benign/torch_zip_deflated.pt", torch_zip(torch_members(good), compress=zipfile.ZIP_DEFLATED), "benign", "deflated members", ["archive/data.pkl"])
    put("malicious/torch_zip_deflated.pt", torch_zip(torch_members(bad), compress=zipfile.ZIP_DEFLATED), "malicious", "deflated members", ["archive/data.pkl"])
    put("benign/torch_zip64.pt", torch_zip(torch_members(good), force_zip64=True), "benign", "ZIP64 records", ["archive/data.pkl"])
    put("malicious/torch_zip64.pt", torch_zip(torch_members(bad), force_zip64=True), "malicious", "ZIP64 records", ["archive/data.pkl"])
    put("benign/torch_descriptor.pt", torch_zip(torch_members(good), stream=True), "benign", "data descriptors (streamed writer)", ["archive/data.pkl"])
    put("malicious/torch_descriptor.pt", torch_zip(torch_members(bad), stream=True), "malicious", "data descriptors (streamed writer)", ["archive/data.pkl"])
    # A pickle in a member other than data.pkl.
    put("benign/torch_extra_member.pt", torch_zip(torch_members(good, [("extra/state.pkl", pickle.dumps(benign_obj, 2))])), "benign", "second pickle member", ["archive/data.pkl", "archive/extra/state.pkl"])
    put("malicious/torch_extra_member.pt", torch_zip(torch_members(good, [("extra/state.pkl", pickle.dumps(evil(), 2))])), "malicious", "pickle hidden in a member other than data.pkl", ["archive/data.pkl", "archive/extra/state.pkl"])
    # Odd local-header flag bits, local/central name mismatch, bad CRC: torch loads all of these.
    for label, pk in (("benign", good), ("malicious", bad)):
        z = torch_zip(torch_members(pk))
        put(f"{label}/torch_flags.pt", local_flags(z, "archive/data.pkl", 0x0041), label, "odd local-header flag bits", ["archive/data.pkl"])
        put(f"{label}/torch_name_mismatch.pt", patch_local(z, b"archive/data.pkl", b"archive/data.pkX"), label, "local/central name mismatch", ["archive/data.pkl"])
        put(f"{label}/torch_bad_crc.pt", central_crc(z, "archive/data.pkl"), label, "CRC mismatch", ["archive/data.pkl"])
    # Duplicate names: torch loads the last data.pkl.
    put("benign/torch_duplicate.pt", torch_zip(torch_members(good) + [("data.pkl", good)]), "benign", "duplicate member names", ["archive/data.pkl", "archive/data.pkl"])
    put("malicious/torch_duplicate.pt", torch_zip(torch_members(good) + [("data.pkl", bad)]), "malicious", "duplicate data.pkl: torch loads the last (malicious) one", ["archive/data.pkl", "archive/data.pkl"])
    # Pickle/zip polyglot: torch.load unpickles the prefix.
    put("benign/polyglot.pt", pickle.dumps(benign_obj, 2) + torch_zip(torch_members(good)), "benign", "pickle/zip polyglot", ["", "archive/data.pkl"])
    put("malicious/polyglot.pt", pickle.dumps(evil(), 2) + torch_zip(torch_members(good)), "malicious", "pickle/zip polyglot: malicious prefix", ["", "archive/data.pkl"])
    put("benign/zip_with_prefix.zip", b"#!/bin/sh\nexit 0\n" + torch_zip(torch_members(good)), "benign", "zip with a non-pickle prefix", ["archive/data.pkl"])
    put("malicious/zip_with_prefix.zip", b"#!/bin/sh\nexit 0\n" + torch_zip(torch_members(bad)), "malicious", "zip with a non-pickle prefix", ["archive/data.pkl"])
    # Zip in zip.
    for label, pk in (("benign", good), ("malicious", bad)):
        inner = torch_zip(torch_members(pk))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(zipfile.ZipInfo("README.txt", (1980, 1, 1, 0, 0, 0)), "a model\n")
            zf.writestr(zipfile.ZipInfo("models/model.pt", (1980, 1, 1, 0, 0, 0)), inner)
        put(f"{label}/zip_in_zip.zip", buf.getvalue(), label, "zip inside a zip", ["models/model.pt!archive/data.pkl"])

    # Members compressed with bzip2 and LZMA: torch cannot read them, Python's zipfile (Keras, numpy.load, joblib
    # users) can.
    for label, pk in (("benign", pickle.dumps(benign_obj, 4)), ("malicious", pickle.dumps(evil(), 4))):
        for method, tag in ((zipfile.ZIP_BZIP2, "bzip2"), (zipfile.ZIP_LZMA, "lzma")):
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", compression=method) as zf:
                zf.writestr(zipfile.ZipInfo("model.pkl", (1980, 1, 1, 0, 0, 0)), pk, compress_type=method)
            put(f"{label}/member_{tag}.zip", buf.getvalue(), label, f"zip member compressed with {tag}", ["model.pkl"])
    # An encrypted member (flag bit 0 set in both headers): it cannot be analysed, so the file is inconclusive.
    z = torch_zip(torch_members(good))
    z = local_flags(z, "archive/data.pkl", 0x0001)
    i = z.rindex(b"archive/data.pkl") - 46
    z = z[:i + 8] + struct.pack("<H", 1) + z[i + 10:]
    put("inconclusive/encrypted_member.pt", z, "inconclusive", "encrypted data.pkl", [])

    # TorchScript (torch.jit.save): data.pkl builds `__torch__` classes compiled from code/; torch.jit.load's C++
    # unpickler imports no Python, and the code/ files are analysed (they call nothing outside TorchScript).
    def torchscript(data_obj):
        net = TorchScriptNet.__new__(TorchScriptNet)
        net.__dict__.update({"training": False, "fc": data_obj})
        members = [("data.pkl", torch_pickle(net)), ("constants.pkl", pickle.dumps((), 2)),
                   ("code/__torch__.py", b"class Net(Module):\n  __parameters__ = []\n  training : bool\n  def forward(self: __torch__.Net, x: Tensor) -> Tensor:\n    return x\n"),
                   ("data/0", noise(64, 11)), ("version", b"6\n")]
        return torch_zip(members, name="net")
    put("benign/torchscript.pt", torchscript(tensor("0", (4, 4))), "benign", "TorchScript archive (code/ analysed; __torch__ classes not flagged)", ["net/data.pkl", "net/constants.pkl"])
    put("malicious/torchscript.pt", torchscript(evil()), "malicious", "TorchScript archive carrying a Python payload", ["net/data.pkl", "net/constants.pkl"])

    # Legacy torch.save: stacked pickles, then raw storages.
    def legacy(obj):
        out = pickle.dumps(0x1950A86A20F9469CFC6C, 2) + pickle.dumps(1001, 2)
        out += pickle.dumps({"protocol_version": 1001, "little_endian": True, "type_sizes": {"short": 2, "int": 4, "long": 4}}, 2)
        out += torch_pickle(obj) + pickle.dumps(["0", "1"], 2)
        out += struct.pack("<q", 16) + noise(64, 5) + struct.pack("<q", 4) + noise(16, 6)
        return out
    put("benign/legacy.pt", legacy(state_dict()), "benign", "legacy stacked pickles", ["", "", "", "", ""])
    put("malicious/legacy.pt", legacy(collections.OrderedDict([("x", evil())])), "malicious", "legacy stacked pickles, malicious object", ["", "", "", "", ""])
    put("malicious/legacy_sysinfo.pt", pickle.dumps(0x1950A86A20F9469CFC6C, 2) + pickle.dumps(1001, 2) + pickle.dumps(evil(), 2) + torch_pickle(state_dict()) + pickle.dumps(["0", "1"], 2), "malicious", "legacy: payload in sys_info", ["", "", ""])

    # Legacy tar format (torch < 0.4).
    def legacy_tar(obj):
        storages = pickle.dumps(1, 2) + pickle.dumps(("0", "cpu", FloatStorage), 2) + struct.pack("<q", 4) + noise(16, 8)
        tensors = pickle.dumps(1, 2) + pickle.dumps(("t0", "0", FloatStorage), 2) + struct.pack("<i", 1) + struct.pack("<q", 4) + struct.pack("<q", 1) + struct.pack("<q", 0)
        return tar_bytes([("sys_info", pickle.dumps({"protocol_version": 1001}, 2)), ("pickle", torch_pickle(obj)), ("tensors", tensors), ("storages", storages)])
    put("benign/legacy_tar.pt", legacy_tar(state_dict()), "benign", "legacy tar format", ["sys_info", "pickle", "tensors", "storages"])
    put("benign/legacy_tar.pt.gz", gzip.compress(legacy_tar(state_dict()), mtime=0), "benign", "legacy tar format, gzipped", ["<gzip>!sys_info", "<gzip>!pickle", "<gzip>!tensors", "<gzip>!storages"])
    put("malicious/legacy_tar.pt", legacy_tar(evil()), "malicious", "legacy tar format", ["sys_info", "pickle", "tensors", "storages"])

    # NumPy.
    put("benign/float.npy", npy("<f4", (2, 3), struct.pack("<6f", *range(6))), "benign", "numeric npy v1", [])
    put("benign/float_v2.npy", npy("<f8", (2,), struct.pack("<2d", 1, 2), version=2), "benign", "numeric npy v2", [])
    put("benign/unicode_v3.npy", npy("<U2", (1,), "hé".encode("utf-32-le"), version=3), "benign", "npy v3 header", [])
    spelled = pickle.dumps(evil(), 2)
    put("benign/uint8_spells_pickle.npy", npy("|u1", (len(spelled),), spelled), "benign", "uint8 array whose bytes spell a malicious pickle", [])
    put("benign/object.npy", npy("|O", (2,), object_array_pickle(["a", "b"])), "benign", "object array with plain strings", [""])
    put("malicious/object.npy", npy("|O", (1,), object_array_pickle([evil()])), "malicious", "object array holding a payload", [""])
    put("malicious/structured_object.npy", npy("[('a', '<i4'), ('b', '|O')]", (1,), pickle.dumps(evil(), 3)), "malicious", "structured dtype with an object field", [""])
    for label, arr in (("benign", npy("<f4", (2,), b"\x00" * 8)), ("malicious", npy("|O", (1,), object_array_pickle([evil()])))):
        for mode, comp in (("stored", zipfile.ZIP_STORED), ("deflated", zipfile.ZIP_DEFLATED)):
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", compression=comp) as zf:
                zf.writestr(zipfile.ZipInfo("x.npy", (1980, 1, 1, 0, 0, 0)), arr)
                zf.writestr(zipfile.ZipInfo("y.npy", (1980, 1, 1, 0, 0, 0)), npy("<i8", (1,), b"\x01" + b"\x00" * 7))
            put(f"{label}/arrays_{mode}.npz", buf.getvalue(), label, f"npz ({mode})", ["x.npy"] if label == "malicious" else [])

    # joblib and compressed streams: decompress, then analyse.
    payloads = {"benign": pickle.dumps(benign_obj, 4), "malicious": pickle.dumps(evil(), 4)}
    for label, pk in payloads.items():
        put(f"{label}/joblib_zlib.joblib", zlib.compress(pk), label, "joblib zlib", ["<zlib>"])
        put(f"{label}/joblib_gzip.joblib", gzip.compress(pk, mtime=0), label, "joblib gzip", ["<gzip>"])
        put(f"{label}/joblib_bz2.joblib", bz2.compress(pk), label, "joblib bz2", ["<bzip2>"])
        put(f"{label}/joblib_xz.joblib", lzma.compress(pk), label, "joblib xz", ["<xz>"])
        put(f"{label}/joblib_lzma.joblib", lzma_alone(pk), label, "joblib lzma (lzma-alone)", ["<lzma-alone>"])
        put(f"{label}/joblib_zf.pkl", joblib_zf(pk), label, "legacy joblib ZF container", ["<joblib-zf>"])
        put(f"{label}/model.pkl.gz", gzip.compress(pk, mtime=0), label, "gzip", ["<gzip>"])
        put(f"{label}/nested.gz.bz2", bz2.compress(gzip.compress(pk, mtime=0)), label, "gzip inside bzip2", ["<bzip2>!<gzip>"])
        tar_members = [("model/config.json", b'{"a": 1}'), ("model/model.pkl", pk)]
        put(f"{label}/bundle.tar", tar_bytes(tar_members), label, "tar", ["model/model.pkl"])
        put(f"{label}/bundle.tar.gz", gzip.compress(tar_bytes(tar_members), mtime=0), label, "tar.gz", ["<gzip>!model/model.pkl"])
        put(f"{label}/bundle.tar.bz2", bz2.compress(tar_bytes(tar_members)), label, "tar.bz2", ["<bzip2>!model/model.pkl"])
        put(f"{label}/bundle.tar.xz", lzma.compress(tar_bytes(tar_members)), label, "tar.xz", ["<xz>!model/model.pkl"])
    # Plain joblib: NumpyArrayWrapper objects with the array bytes inline in the pickle stream. The benign
    # look-alike's uint8 array spells a malicious pickle: array bytes must be skipped, never parsed.
    for label, extra in (("benign", {}), ("malicious", {"hook": evil()})):
        model = {"coef_": FakeArray(struct.pack("<4d", 0.5, -1.0, 2.0, 3.5), "f8", (4,)),
                 "classes_": FakeArray(spelled := pickle.dumps(evil(), 2), "u1", (len(spelled),)),
                 "n_features_in_": 4, **extra}
        data = joblib_dump(model)
        put(f"{label}/joblib_inline_arrays.joblib", data, label, "joblib with inline array bytes", [""])
        put(f"{label}/joblib_inline_arrays.joblib.gz", gzip.compress(data, mtime=0), label, "compressed joblib with inline arrays", ["<gzip>"])

    # A truncated gzip: Python hands the pickle its bytes before the error, so the prefix still runs.
    gz = gzip.compress(payloads["malicious"] + b"\x00" * 4096, mtime=0)
    put("malicious/truncated.gz", gz[: len(gz) - 12], "malicious", "truncated gzip with a payload before the cut", ["<gzip>"])

    # Bombs and depth: inconclusive (exit 1), never a crash.
    put("inconclusive/bomb.gz", gzip.compress(b"\x00" * (40 << 20), compresslevel=9, mtime=0), "inconclusive", "gzip bomb (ratio > 1000)", [])
    put("inconclusive/bomb.bz2", bz2.compress(b"\x00" * (64 << 20)), "inconclusive", "bzip2 bomb", [])
    deep = pickle.dumps(benign_obj, 2)
    for _ in range(10):
        deep = gzip.compress(deep, mtime=0)
    put("inconclusive/deep.gz", deep, "inconclusive", "gzip nested 10 deep (limit 8)", [])

    # safetensors.
    f32 = struct.pack("<4f", 1, 2, 3, 4)
    ok = {"__metadata__": {"format": "pt"}, "a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}
    put("benign/model.safetensors", safetensors(ok, f32), "benign", "valid safetensors", [])
    h = json.loads(json.dumps(ok)); h["__metadata__"] = {"format": "pt", "epochs": 3}
    put("suspicious/metadata_number.safetensors", safetensors(h, f32), "suspicious", "metadata value not a string: the safetensors loader refuses it (medium)", [])
    put("suspicious/header_too_long.safetensors", struct.pack("<Q", 1 << 20) + b'{"a":1}', "suspicious", "header length past the end of file", [])
    put("suspicious/bad_json.safetensors", struct.pack("<Q", 16) + b'{"a": {"dtype": ' + f32, "suspicious", "header not JSON", [])
    h = json.loads(json.dumps(ok)); h["b"]["data_offsets"] = [4, 12]; h["b"]["shape"] = [2]
    put("suspicious/overlap.safetensors", safetensors(h, f32), "suspicious", "overlapping tensors", [])
    h = json.loads(json.dumps(ok)); h["b"]["data_offsets"] = [8, 1 << 40]; h["b"]["shape"] = [1 << 38]
    put("suspicious/out_of_file.safetensors", safetensors(h, f32), "suspicious", "offsets past the end", [])
    h = json.loads(json.dumps(ok)); h["b"]["shape"] = [3]
    put("suspicious/size_mismatch.safetensors", safetensors(h, f32), "suspicious", "shape x dtype != offsets span", [])
    h = json.loads(json.dumps(ok)); h["b"]["dtype"] = "F128"
    put("suspicious/bad_dtype.safetensors", safetensors(h, f32), "suspicious", "unknown dtype", [])

    # GGUF.
    put("benign/chatml.gguf", gguf(CHATML), "benign", "ordinary ChatML template", [])
    put("benign/llama3.gguf", gguf(LLAMA3), "benign", "ordinary Llama 3 template", [])
    put("benign/no_template.gguf", gguf(None), "benign", "GGUF without template", [])
    put("benign/system_var.gguf", gguf("{%- set system = messages[0]['content'] if messages[0]['role'] == 'system' else '' %}{%- set config = namespace(open=false) %}{{ bos_token + system }}" + CHATML), "benign", "template with variables named system/config/open", [])
    put("malicious/ssti_mro.gguf", gguf("{{ ''.__class__.__mro__[1].__subclasses__() }}" + CHATML), "malicious", "template reaching __subclasses__", [])
    put("malicious/ssti_cycler.gguf", gguf("{{ cycler.__init__.__globals__.os.popen('id').read() }}"), "malicious", "template via cycler globals", [])
    put("malicious/ssti_attr.gguf", gguf("{{ ''|attr('\\x5f\\x5fclass\\x5f\\x5f') }}" + CHATML), "malicious", "template with escaped dunder via attr filter", [])
    put("malicious/ssti_import.gguf", gguf("{% import os %}{{ os.popen('id') }}"), "malicious", "template naming os/popen/import", [])
    put("suspicious/truncated.gguf", gguf(CHATML, truncate=True), "suspicious", "truncated GGUF metadata", [])

    # ONNX.
    put("benign/model.onnx", onnx_model(), "benign", "minimal ONNX model", [])
    put("benign/external_ok.onnx", onnx_model(external="weights.bin"), "benign", "external data beside the model", [])
    put("benign/custom_domain.onnx", onnx_model(domain="com.example.ops", op="MyOp"), "benign", "custom operator domain (info)", [])
    put("malicious/external_traversal.onnx", onnx_model(external="../../../../etc/passwd"), "malicious", "external data path traversal", [])
    put("malicious/external_absolute.onnx", onnx_model(external="/etc/shadow"), "malicious", "absolute external data path", [])

    # Keras.
    put("benign/model.keras", keras_zip(keras_config([DENSE])), "benign", "Keras 3 archive", [])
    put("malicious/lambda.keras", keras_zip(keras_config([DENSE, LAMBDA3])), "malicious", "Keras Lambda layer", [])
    put("malicious/foreign.keras", keras_zip(keras_config([dict(DENSE, config=dict(DENSE["config"], activation=FOREIGN))])), "malicious", "Keras config naming builtins.exec", [])
    put("benign/model.h5", fake_h5({"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Dense", "config": {"units": 2}}]}}), "benign", "Keras 2 HDF5 model_config (byte-search fixture)", [])
    put("benign/weights.h5", fake_h5(None), "benign", "weights-only HDF5", [])
    put("malicious/lambda.h5", fake_h5({"class_name": "Sequential", "config": {"layers": [{"class_name": "Lambda", "config": {"name": "l", "function": ["4wEAAAAA", None, None], "function_type": "lambda"}}]}}), "malicious", "Keras 2 Lambda in HDF5 model_config", [])

    # A realistic data.pkl: a 200-tensor state dict as torch.save pickles it (the benchmarks build a 1 GiB
    # checkpoint around it).
    big = collections.OrderedDict((f"layers.{i}.weight", tensor(str(i), (1024, 1280))) for i in range(200))
    put("benign/data_200.pkl", torch_pickle(big), "benign", "torch data.pkl with 200 tensors", [""])

    # Not model formats: listed, clean.
    put("benign/config.json", b'{"architectures": ["LlamaForCausalLM"]}\n', "benign", "JSON config", [])
    put("benign/README.md", b"---\nlicense: mit\n---\n# Model\n\nA model.\n", "benign", "model card", [])

    with open(os.path.join(ROOT, "manifest.json"), "w") as f:
        json.dump(MANIFEST, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{len(MANIFEST)} files in {ROOT}")


if __name__ == "__main__":
    main()
