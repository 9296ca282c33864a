#!/usr/bin/env python3
"""Writes the bundled example of `mlsc audit` (stdlib only; deterministic; nothing it writes is ever executed).

    python3 examples/make-examples.py        # from the repository root
    mlsc audit examples/hf-model --db examples/osv

examples/hf-model/  a small Hugging Face-style model directory:
  config.json              an ordinary transformers config
  model.safetensors        benign weights (a 2x4 classifier and its bias)
  pytorch_model.bin        a PyTorch zip checkpoint whose archive/data.pkl is a real-looking state dict that
                           ALSO calls posix.system('echo ...') on load: the classic malicious-checkpoint shape.
                           The pickle is assembled opcode by opcode below; it is never loaded or run.
  README.md                a model card with gaps: licence cc-by-nc-4.0 (non-commercial), no evaluation, no
                           bias/risks/limitations section, placeholders left in "Uses"
  requirements.txt         torch==1.13.0 (PYSEC-2022-43015 / CVE-2022-45907) and requests==2.25.0
                           (PYSEC-2023-74 / CVE-2023-32681), plus an unpinned numpy
  data/train.csv, data/train.csv.dvc
                           a DVC record whose md5 no longer matches the data: a same-size edit, the kind
                           `dvc status` misses when the mtime is restored
examples/mlsc.toml   an example policy for a commercial product (docs/config.md)
examples/osv/        a four-record OSV database with the public facts of the advisories above (and two that
                     do not match the pins), copied from the Python Packaging Advisory Database (CC-BY-4.0)
"""

import hashlib
import json
import os
import shutil
import struct
import zipfile

ROOT = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(ROOT, "hf-model")
OSV = os.path.join(ROOT, "osv")

# Facts of four advisories of the Python Packaging Advisory Database (https://github.com/pypa/advisory-database,
# CC-BY-4.0), as of commit 3ccb612573e2511ab5cad7dafecd838605c80cda: id, dates, aliases, details, the ECOSYSTEM
# ranges and affected versions, a few references. GIT ranges are left out (they do not matter for PyPI pins).
ADVISORIES = [{'id': 'PYSEC-2018-28',
  'modified': '2021-06-16T00:03:24.800813Z',
  'published': '2018-10-09T17:29:00Z',
  'aliases': ['CVE-2018-18074', 'GHSA-x84v-xcm2-53pg'],
  'details': 'The Requests package before 2.20.0 for Python sends an HTTP Authorization header to an http '
             'URI upon receiving a same-hostname https-to-http redirect, which makes it easier for remote '
             'attackers to discover credentials by sniffing the network.',
  'affected': [{'package': {'name': 'requests', 'ecosystem': 'PyPI', 'purl': 'pkg:pypi/requests'},
                'ranges': [{'type': 'ECOSYSTEM', 'events': [{'introduced': '0'}, {'fixed': '2.20.0'}]}],
                'versions': ['0.0.1',
                             '0.10.0',
                             '0.10.1',
                             '0.10.2',
                             '0.10.3',
                             '0.10.4',
                             '0.10.6',
                             '0.10.7',
                             '0.10.8',
                             '0.11.1',
                             '0.11.2',
                             '0.12.0',
                             '0.12.01',
                             '0.12.1',
                             '0.13.0',
                             '0.13.1',
                             '0.13.2',
                             '0.13.3',
                             '0.13.4',
                             '0.13.5',
                             '0.13.6',
                             '0.13.7',
                             '0.13.8',
                             '0.13.9',
                             '0.14.0',
                             '0.14.1',
                             '0.14.2',
                             '0.2.0',
                             '0.2.1',
                             '0.2.2',
                             '0.2.3',
                             '0.2.4',
                             '0.3.0',
                             '0.3.1',
                             '0.3.2',
                             '0.3.3',
                             '0.3.4',
                             '0.4.0',
                             '0.4.1',
                             '0.5.0',
                             '0.5.1',
                             '0.6.0',
                             '0.6.1',
                             '0.6.2',
                             '0.6.3',
                             '0.6.4',
                             '0.6.5',
                             '0.6.6',
                             '0.7.0',
                             '0.7.1',
                             '0.7.2',
                             '0.7.3',
                             '0.7.4',
                             '0.7.5',
                             '0.7.6',
                             '0.8.0',
                             '0.8.1',
                             '0.8.2',
                             '0.8.3',
                             '0.8.4',
                             '0.8.5',
                             '0.8.6',
                             '0.8.7',
                             '0.8.8',
                             '0.8.9',
                             '0.9.0',
                             '0.9.1',
                             '0.9.2',
                             '0.9.3',
                             '1.0.0',
                             '1.0.1',
                             '1.0.2',
                             '1.0.3',
                             '1.0.4',
                             '1.1.0',
                             '1.2.0',
                             '1.2.1',
                             '1.2.2',
                             '1.2.3',
                             '2.0.0',
                             '2.0.1',
                             '2.1.0',
                             '2.10.0',
                             '2.11.0',
                             '2.11.1',
                             '2.12.0',
                             '2.12.1',
                             '2.12.2',
                             '2.12.3',
                             '2.12.4',
                             '2.12.5',
                             '2.13.0',
                             '2.14.0',
                             '2.14.1',
                             '2.14.2',
                             '2.15.0',
                             '2.15.1',
                             '2.16.0',
                             '2.16.1',
                             '2.16.2',
                             '2.16.3',
                             '2.16.4',
                             '2.16.5',
                             '2.17.0',
                             '2.17.1',
                             '2.17.2',
                             '2.17.3',
                             '2.18.0',
                             '2.18.1',
                             '2.18.2',
                             '2.18.3',
                             '2.18.4',
                             '2.19.0',
                             '2.19.1',
                             '2.2.0',
                             '2.2.1',
                             '2.3.0',
                             '2.4.0',
                             '2.4.1',
                             '2.4.2',
                             '2.4.3',
                             '2.5.0',
                             '2.5.1',
                             '2.5.2',
                             '2.5.3',
                             '2.6.0',
                             '2.6.1',
                             '2.6.2',
                             '2.7.0',
                             '2.8.0',
                             '2.8.1',
                             '2.9.0',
                             '2.9.1',
                             '2.9.2']}],
  'references': [{'type': 'REPORT', 'url': 'https://github.com/requests/requests/issues/4716'},
                 {'type': 'FIX',
                  'url': 'https://github.com/requests/requests/commit/c45d7c49ea75133e52ab22a8e9e13173938e36ff'},
                 {'type': 'ADVISORY', 'url': 'https://access.redhat.com/errata/RHSA-2019:2035'}]},
 {'id': 'PYSEC-2021-856',
  'modified': '2021-12-22T21:28:25.939120Z',
  'published': '2021-12-17T20:15:00Z',
  'aliases': ['CVE-2021-41495', 'GHSA-5545-2q6w-2gh6'],
  'details': 'Null Pointer Dereference vulnerability exists in numpy.sort in NumPy &lt and 1.19 in the '
             'PyArray_DescrNew function due to missing return-value validation, which allows attackers to '
             'conduct DoS attacks by repetitively creating sort arrays.',
  'affected': [{'package': {'name': 'numpy', 'ecosystem': 'PyPI', 'purl': 'pkg:pypi/numpy'},
                'ranges': [{'type': 'ECOSYSTEM', 'events': [{'introduced': '0'}, {'fixed': '1.19.1'}]}],
                'versions': ['0.9.6',
                             '0.9.8',
                             '1.0',
                             '1.0.3',
                             '1.0.4',
                             '1.0b1',
                             '1.0b4',
                             '1.0b5',
                             '1.0rc1',
                             '1.0rc2',
                             '1.0rc3',
                             '1.1.1',
                             '1.10.0',
                             '1.10.1',
                             '1.10.2',
                             '1.10.3',
                             '1.10.4',
                             '1.11.0',
                             '1.11.1',
                             '1.11.2',
                             '1.11.3',
                             '1.12.0',
                             '1.12.1',
                             '1.13.0',
                             '1.13.0rc1',
                             '1.13.0rc2',
                             '1.13.1',
                             '1.13.3',
                             '1.14.0',
                             '1.14.0rc1',
                             '1.14.1',
                             '1.14.2',
                             '1.14.3',
                             '1.14.4',
                             '1.14.5',
                             '1.14.6',
                             '1.15.0',
                             '1.15.0rc1',
                             '1.15.0rc2',
                             '1.15.1',
                             '1.15.2',
                             '1.15.3',
                             '1.15.4',
                             '1.16.0',
                             '1.16.0rc1',
                             '1.16.0rc2',
                             '1.16.1',
                             '1.16.2',
                             '1.16.3',
                             '1.16.4',
                             '1.16.5',
                             '1.16.6',
                             '1.17.0',
                             '1.17.0rc1',
                             '1.17.0rc2',
                             '1.17.1',
                             '1.17.2',
                             '1.17.3',
                             '1.17.4',
                             '1.17.5',
                             '1.18.0',
                             '1.18.0rc1',
                             '1.18.1',
                             '1.18.2',
                             '1.18.3',
                             '1.18.4',
                             '1.18.5',
                             '1.19.0',
                             '1.19.0rc1',
                             '1.19.0rc2',
                             '1.2.0',
                             '1.2.1',
                             '1.3.0',
                             '1.4.0',
                             '1.4.1',
                             '1.5.0',
                             '1.5.1',
                             '1.6.0',
                             '1.6.1',
                             '1.6.2',
                             '1.7.0',
                             '1.7.1',
                             '1.7.2',
                             '1.8.0',
                             '1.8.1',
                             '1.8.2',
                             '1.9.0',
                             '1.9.1',
                             '1.9.2',
                             '1.9.3']}],
  'references': [{'type': 'REPORT', 'url': 'https://github.com/numpy/numpy/issues/19038'},
                 {'type': 'ADVISORY', 'url': 'https://github.com/advisories/GHSA-5545-2q6w-2gh6'}]},
 {'id': 'PYSEC-2022-43015',
  'modified': '2023-05-04T03:49:48.383740Z',
  'published': '2022-11-26T02:15:00Z',
  'aliases': ['CVE-2022-45907'],
  'details': 'In PyTorch before trunk/89695, torch.jit.annotations.parse_type_line can cause arbitrary code '
             'execution because eval is used unsafely.',
  'affected': [{'package': {'name': 'torch', 'ecosystem': 'PyPI', 'purl': 'pkg:pypi/torch'},
                'ranges': [{'type': 'ECOSYSTEM', 'events': [{'introduced': '0'}, {'fixed': '1.13.1'}]}],
                'versions': ['1.0.0',
                             '1.0.1',
                             '1.0.1.post2',
                             '1.1.0',
                             '1.1.0.post2',
                             '1.10.0',
                             '1.10.1',
                             '1.10.2',
                             '1.11.0',
                             '1.12.0',
                             '1.12.1',
                             '1.13.0',
                             '1.2.0',
                             '1.3.0',
                             '1.3.0.post2',
                             '1.3.1',
                             '1.4.0',
                             '1.5.0',
                             '1.5.1',
                             '1.6.0',
                             '1.7.0',
                             '1.7.1',
                             '1.8.0',
                             '1.8.1',
                             '1.9.0',
                             '1.9.1']}],
  'references': [{'type': 'FIX',
                  'url': 'https://github.com/pytorch/pytorch/commit/767f6aa49fe20a2766b9843d01e3b7f7793df6a3'},
                 {'type': 'REPORT', 'url': 'https://github.com/pytorch/pytorch/issues/88868'},
                 {'type': 'FIX', 'url': 'https://github.com/pytorch/pytorch/issues/88868'}]},
 {'id': 'PYSEC-2023-74',
  'modified': '2023-06-05T01:13:00.534973Z',
  'published': '2023-05-26T18:15:00Z',
  'aliases': ['CVE-2023-32681', 'GHSA-j8r2-6x86-q33q'],
  'details': 'Requests is a HTTP library. Since Requests 2.3.0, Requests has been leaking '
             'Proxy-Authorization headers to destination servers when redirected to an HTTPS endpoint. This '
             'is a product of how we use `rebuild_proxies` to reattach the `Proxy-Authorization` header to '
             'requests. For HTTP connections sent through the tunnel, the proxy will identify the header in '
             'the request itself and remove it prior to forwarding to the destination server. However when '
             'sent over HTTPS, the `Proxy-Authorization` header must be sent in the CONNECT request as the '
             'proxy has no visibility into the tunneled request. This results in Requests forwarding proxy '
             'credentials to the destination server unintentionally, allowing a malicious actor to '
             'potentially exfiltrate sensitive information. This issue has been patched in version 2.31.0.',
  'affected': [{'package': {'name': 'requests', 'ecosystem': 'PyPI', 'purl': 'pkg:pypi/requests'},
                'ranges': [{'type': 'ECOSYSTEM', 'events': [{'introduced': '2.3.0'}, {'fixed': '2.31.0'}]}],
                'versions': ['2.10.0',
                             '2.11.0',
                             '2.11.1',
                             '2.12.0',
                             '2.12.1',
                             '2.12.2',
                             '2.12.3',
                             '2.12.4',
                             '2.12.5',
                             '2.13.0',
                             '2.14.0',
                             '2.14.1',
                             '2.14.2',
                             '2.15.0',
                             '2.15.1',
                             '2.16.0',
                             '2.16.1',
                             '2.16.2',
                             '2.16.3',
                             '2.16.4',
                             '2.16.5',
                             '2.17.0',
                             '2.17.1',
                             '2.17.2',
                             '2.17.3',
                             '2.18.0',
                             '2.18.1',
                             '2.18.2',
                             '2.18.3',
                             '2.18.4',
                             '2.19.0',
                             '2.19.1',
                             '2.20.0',
                             '2.20.1',
                             '2.21.0',
                             '2.22.0',
                             '2.23.0',
                             '2.24.0',
                             '2.25.0',
                             '2.25.1',
                             '2.26.0',
                             '2.27.0',
                             '2.27.1',
                             '2.28.0',
                             '2.28.1',
                             '2.28.2',
                             '2.29.0',
                             '2.3.0',
                             '2.30.0',
                             '2.4.0',
                             '2.4.1',
                             '2.4.2',
                             '2.4.3',
                             '2.5.0',
                             '2.5.1',
                             '2.5.2',
                             '2.5.3',
                             '2.6.0',
                             '2.6.1',
                             '2.6.2',
                             '2.7.0',
                             '2.8.0',
                             '2.8.1',
                             '2.9.0',
                             '2.9.1',
                             '2.9.2']}],
  'references': [{'type': 'ADVISORY',
                  'url': 'https://github.com/psf/requests/security/advisories/GHSA-j8r2-6x86-q33q'},
                 {'type': 'FIX',
                  'url': 'https://github.com/psf/requests/commit/74ea7cf7a6a27a4eeb2ae24e162bcc942a6706d5'}]}]


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": "\n"})) as f:
        f.write(data)


# ---------------------------------------------------------------------------------------------------------------
# Weights: 8 floats of a 2x4 classifier matrix and 2 of its bias, shared by both weight files.
WEIGHTS = [0.25, -0.5, 0.125, 1.0, -0.75, 0.5, 0.0625, -1.0]
BIAS = [0.1, -0.1]
TENSOR_BYTES = struct.pack("<10f", *(WEIGHTS + BIAS))


def safetensors():
    header = {
        "__metadata__": {"format": "pt"},
        "classifier.bias": {"dtype": "F32", "shape": [2], "data_offsets": [32, 40]},
        "classifier.weight": {"dtype": "F32", "shape": [2, 4], "data_offsets": [0, 32]},
    }
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)  # the safetensors writer pads the header to 8 bytes with spaces
    return struct.pack("<Q", len(h)) + h + TENSOR_BYTES


# ---------------------------------------------------------------------------------------------------------------
# A protocol-2 pickle as torch.save writes a state dict, assembled from opcodes (pickletools names in comments).
def op_global(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"  # GLOBAL


def op_str(s):
    b = s.encode("utf-8")
    return b"X" + struct.pack("<I", len(b)) + b  # BINUNICODE


def op_int(n):
    assert 0 <= n < 256
    return b"K" + bytes([n])  # BININT1


MARK, TUPLE, TUPLE1, TUPLE2, EMPTY_TUPLE, REDUCE = b"(", b"t", b"\x85", b"\x86", b")", b"R"
NEWFALSE, BINPERSID, SETITEMS, STOP = b"\x89", b"Q", b"u", b"."


def rebuild_tensor(offset, shape, stride):
    """torch._utils._rebuild_tensor_v2(storage, offset, shape, stride, False, OrderedDict())."""
    storage = (
        MARK + op_str("storage") + op_global("torch", "FloatStorage") + op_str("0") + op_str("cpu")
        + op_int(10) + TUPLE + BINPERSID
    )
    tup = lambda xs: MARK + b"".join(op_int(x) for x in xs) + TUPLE
    return (
        op_global("torch._utils", "_rebuild_tensor_v2") + MARK + storage + op_int(offset) + tup(shape)
        + tup(stride) + NEWFALSE + op_global("collections", "OrderedDict") + EMPTY_TUPLE + REDUCE + TUPLE
        + REDUCE
    )


# The payload: harmless if it ever ran, but a loader would run it, which is the point of the example.
PAYLOAD = "echo 'mlsc example: torch.load would have run this command'"


def data_pkl():
    return (
        b"\x80\x02"  # PROTO 2
        + op_global("collections", "OrderedDict") + EMPTY_TUPLE + REDUCE
        + MARK
        + op_str("classifier.weight") + rebuild_tensor(0, (2, 4), (4, 1))
        + op_str("classifier.bias") + rebuild_tensor(8, (2,), (1,))
        + op_str("_metadata") + op_global("posix", "system") + op_str(PAYLOAD) + TUPLE1 + REDUCE
        + SETITEMS
        + STOP
    )


def torch_zip():
    path = os.path.join(MODEL, "pytorch_model.bin")
    members = [
        ("pytorch_model/data.pkl", data_pkl()),
        ("pytorch_model/byteorder", b"little"),
        ("pytorch_model/data/0", TENSOR_BYTES),
        ("pytorch_model/version", b"3\n"),
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            z.writestr(info, data)


CONFIG = {
    "architectures": ["BertForSequenceClassification"],
    "hidden_size": 4,
    "id2label": {"0": "NEGATIVE", "1": "POSITIVE"},
    "label2id": {"NEGATIVE": 0, "POSITIVE": 1},
    "model_type": "bert",
    "num_attention_heads": 1,
    "num_hidden_layers": 1,
    "torch_dtype": "float32",
    "transformers_version": "4.30.0",
    "vocab_size": 32,
}

CARD = """---
license: cc-by-nc-4.0
language:
- en
library_name: transformers
pipeline_tag: text-classification
tags:
- sentiment
datasets:
- imdb
---

# tiny-sentiment

A deliberately tiny sentiment classifier, bundled with mlsc as the example of `mlsc audit`.

## Model Details

### Model Description

- **Developed by:** the mlsc example generator
- **Model type:** BERT-style sequence classifier
- **Language(s) (NLP):** English

## Uses

### Direct Use

[More Information Needed]

### Out-of-Scope Use

[More Information Needed]

## Training Details

### Training Data

Movie reviews from the IMDb dataset.

## How to Get Started with the Model

```python
from transformers import AutoModelForSequenceClassification
model = AutoModelForSequenceClassification.from_pretrained("examples/hf-model")
```
"""

REQUIREMENTS = """# Runtime requirements of the example model.
torch==1.13.0
transformers==4.30.0
requests==2.25.0
numpy>=1.24
safetensors==0.4.3
"""

# The data as it was recorded by `dvc add`, and as it is now: one digit changed, same size.
TRAIN_RECORDED = "text,label\nA moving, well acted film.,1\nDull and far too long.,0\n"
TRAIN_NOW = "text,label\nA moving, well acted film.,1\nDull and far too long.,1\n"


def dvc_record():
    md5 = hashlib.md5(TRAIN_RECORDED.encode()).hexdigest()
    return f"outs:\n- md5: {md5}\n  size: {len(TRAIN_RECORDED.encode())}\n  hash: md5\n  path: train.csv\n"


# A policy for a commercial product: `mlsc audit examples/hf-model --db examples/osv --config examples/mlsc.toml`.
POLICY = """# An example policy (docs/config.md): the model is meant for a commercial product.
#   mlsc audit examples/hf-model --db examples/osv --config examples/mlsc.toml

[policy]
commercial = true     # cc-by-nc-4.0 now fails instead of warning
fail_on = "high"
warn_on = "low"

[card]
min_score = 50        # the example card scores well below this

[deps]
# An accepted risk, documented and time-boxed: from 2027-07-01 the advisory is reported again.
ignore = [
  { id = "CVE-2023-32681", reason = "example: the service never sends requests through a proxy", expires = "2027-06-30" },
]
"""

NOTICE = """# Example data

`make-examples.py` writes everything in this folder; run it again to restore it. Nothing here is ever executed:
`hf-model/pytorch_model.bin` carries a pickle that would run `echo` on `torch.load`, and exists to be detected.

The OSV records in `osv/` copy public facts (ids, aliases, dates, details, affected versions and ranges,
references) of four advisories of the Python Packaging Advisory Database,
https://github.com/pypa/advisory-database (commit 3ccb612573e2511ab5cad7dafecd838605c80cda), licensed under
Creative Commons Attribution 4.0 International (CC-BY-4.0). Attribution: "Python Packaging Advisory Database,
https://github.com/pypa/advisory-database, CC-BY-4.0". They are a fixture, not a live feed: use `mlsc db update`
for current advisories.
"""


def main():
    for d in (MODEL, OSV):
        if os.path.isdir(d):
            shutil.rmtree(d)
    write(os.path.join(MODEL, "config.json"), json.dumps(CONFIG, indent=2, sort_keys=True) + "\n")
    write(os.path.join(MODEL, "model.safetensors"), safetensors())
    torch_zip()
    write(os.path.join(MODEL, "README.md"), CARD)
    write(os.path.join(MODEL, "requirements.txt"), REQUIREMENTS)
    write(os.path.join(MODEL, "data", "train.csv"), TRAIN_NOW)
    write(os.path.join(MODEL, "data", "train.csv.dvc"), dvc_record())
    for adv in ADVISORIES:
        rec = {"schema_version": "1.6.0", **{k: v for k, v in adv.items() if v is not None}}
        write(os.path.join(OSV, adv["id"] + ".json"), json.dumps(rec, indent=2) + "\n")
    write(os.path.join(ROOT, "NOTICE.md"), NOTICE)
    write(os.path.join(ROOT, "mlsc.toml"), POLICY)


if __name__ == "__main__":
    main()
