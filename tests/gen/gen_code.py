#!/usr/bin/env python3
"""Generates tests/fixtures/code/: Python code that loading a model runs, each case with a benign twin, and
manifest.json naming what each must give and the library versions that made it.

- torchscript/: real torch.jit.save archives (traced and scripted: linear, conv, LSTM, a transformer encoder
  layer, a Sequential), and malicious twins: a scripted module whose forward calls torch.save (aten::save) or
  torch.from_file (aten::from_file), one calling an operator of a custom namespace registered with torch.library,
  and one whose code/ file was edited by hand to call os.system.
- package/: real torch.package archives (PackageExporter), a benign one and one whose packaged module runs
  os.system at import time.
- repos/: Hugging Face repositories written by transformers' save_pretrained with register_for_auto_class (the
  real auto_map layout and the copied modeling files), then twins made by editing the text: modeling code that
  runs os.system, exec(base64...), a network call or a file write at import time, an auto_map pointing at another
  repository, nested trust_remote_code, a tokenizer auto_map, a local _target_ class, and a plain repository.
- py/: single .py files.

Malicious fixtures are written as text and never imported or loaded; their payload is `echo pwned`.

Run (from the repository root):
  python3 -m venv tests/gen/.venv-code
  tests/gen/.venv-code/bin/pip install -r tests/gen/requirements-code.txt
  tests/gen/.venv-code/bin/python tests/gen/gen_code.py
torch from PyPI pulls its CUDA libraries (about 3 GB); nothing here uses a GPU.
"""

import io
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile

import torch
import transformers

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "code")
MANIFEST = []
MAX_FIXTURE = 300 << 10


def put(rel, data, expect, codes, what):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    assert len(data) < MAX_FIXTURE, (rel, len(data))
    MANIFEST.append({"path": rel, "expect": expect, "codes": codes, "what": what})


def put_dir(rel, expect, codes, what):
    MANIFEST.append({"path": rel, "expect": expect, "codes": codes, "what": what})


def jit_bytes(module):
    b = io.BytesIO()
    torch.jit.save(module, b)
    return b.getvalue()


def rewrite_zip(data, edit):
    """Copies a zip, passing each member's bytes through edit(name, bytes)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info, edit(info.filename, src.read(info.filename)))
    return out.getvalue()


# --- TorchScript --------------------------------------------------------------------------------------------------

class SaveInForward(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(4, 4)

    def forward(self, x):
        torch.save(x, "/tmp/mlsc-pwned.pt")
        return self.fc(x)


class FromFileInForward(torch.nn.Module):
    def forward(self, x):
        y = torch.from_file("/etc/hostname", size=4)
        return x + y.float().sum()


class CustomOp(torch.nn.Module):
    def forward(self, x):
        return torch.ops.mlsc_evil.run(x)


def torchscript():
    torch.manual_seed(0)
    x = torch.randn(2, 4)
    seq = torch.randn(3, 2, 8)
    img = torch.randn(1, 3, 8, 8)
    benign = [
        ("traced_linear.pt", torch.jit.trace(torch.nn.Linear(4, 4).eval(), x), "traced nn.Linear"),
        ("scripted_linear.pt", torch.jit.script(torch.nn.Linear(4, 4)), "scripted nn.Linear"),
        ("traced_conv.pt", torch.jit.trace(torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.ReLU()).eval(), img), "traced Conv2d+BatchNorm2d+ReLU"),
        ("scripted_conv.pt", torch.jit.script(torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.ReLU(), torch.nn.MaxPool2d(2))), "scripted Conv2d+BatchNorm2d+ReLU+MaxPool2d"),
        ("scripted_lstm.pt", torch.jit.script(torch.nn.LSTM(8, 8, num_layers=2)), "scripted 2-layer LSTM"),
        ("traced_lstm.pt", torch.jit.trace(torch.nn.LSTM(8, 8).eval(), seq), "traced LSTM"),
        ("scripted_gru.pt", torch.jit.script(torch.nn.GRU(8, 8)), "scripted GRU"),
        ("scripted_transformer_layer.pt", torch.jit.script(torch.nn.TransformerEncoderLayer(8, 2, dim_feedforward=16).eval()), "scripted TransformerEncoderLayer"),
        ("traced_transformer_layer.pt", torch.jit.trace(torch.nn.TransformerEncoderLayer(8, 2, dim_feedforward=16).eval(), seq), "traced TransformerEncoderLayer"),
        ("scripted_embedding_layernorm.pt", torch.jit.script(torch.nn.Sequential(torch.nn.Embedding(10, 8), torch.nn.LayerNorm(8), torch.nn.GELU(), torch.nn.Dropout(0.1))), "scripted Embedding+LayerNorm+GELU+Dropout"),
    ]
    for name, module, what in benign:
        put(f"torchscript/{name}", jit_bytes(module), "clean", ["MLSC-CODE-019"], what)

    put("torchscript/save_in_forward.pt", jit_bytes(torch.jit.script(SaveInForward())), "malicious",
        ["MLSC-CODE-016"], "scripted module whose forward calls torch.save (aten::save writes a file)")
    put("torchscript/from_file_in_forward.pt", jit_bytes(torch.jit.script(FromFileInForward())), "malicious",
        ["MLSC-CODE-016"], "scripted module whose forward calls torch.from_file (aten::from_file reads a file)")

    # A custom operator namespace: defined here so the module scripts; loading it needs a native library.
    lib = torch.library.Library("mlsc_evil", "DEF")
    lib.define("run(Tensor x) -> Tensor")
    lib.impl("run", lambda x: x, "CompositeExplicitAutograd")
    put("torchscript/custom_op.pt", jit_bytes(torch.jit.script(CustomOp())), "suspicious", ["MLSC-CODE-018"],
        "scripted module calling torch.ops.mlsc_evil.run, an operator no torch build defines")

    edited = []

    def add_system(name, data):
        if name.endswith(".py") and b"    return torch.linear(" in data:
            edited.append(name)
            return data.replace(b"    return torch.linear(", b"    os.system(\"echo pwned\")\n    return torch.linear(", 1)
        return data
    archive = rewrite_zip(jit_bytes(torch.jit.script(torch.nn.Linear(4, 4))), add_system)
    assert len(edited) == 1, edited
    put("torchscript/edited_os_system.pt", archive,
        "suspicious", ["MLSC-CODE-017"], "scripted nn.Linear whose code/ was edited to call os.system (not TorchScript)")


# --- torch.package ------------------------------------------------------------------------------------------------

BENIGN_PKG_MODULE = '''import torch


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(4, 2)

    def forward(self, x):
        return torch.relu(self.fc(x))
'''


def torch_package():
    src = tempfile.mkdtemp()
    try:
        with open(os.path.join(src, "mlsc_pkg_net.py"), "w") as f:
            f.write(BENIGN_PKG_MODULE)
        sys.path.insert(0, src)
        import mlsc_pkg_net
        from torch.package import PackageExporter
        b = io.BytesIO()
        with PackageExporter(b) as e:
            e.intern("mlsc_pkg_net")
            e.extern("torch.**")
            e.save_pickle("model", "model.pkl", mlsc_pkg_net.Net())
        data = b.getvalue()
    finally:
        shutil.rmtree(src)
    put("package/benign.pt", data, "clean", ["MLSC-CODE-020"], "torch.package of a module defining an nn.Module")

    def evil(name, body):
        if name.endswith("mlsc_pkg_net.py"):
            return b"import os\nos.system('echo pwned')\n" + body
        return body
    put("package/os_system_at_import.pt", rewrite_zip(data, evil), "malicious", ["MLSC-CODE-001", "MLSC-CODE-020"],
        "torch.package whose packaged module runs os.system when PackageImporter imports it")


# --- Hugging Face repositories ------------------------------------------------------------------------------------

CONFIGURATION = '''from transformers import PretrainedConfig


class MlscConfig(PretrainedConfig):
    model_type = "mlsc-tiny"

    def __init__(self, hidden=4, **kwargs):
        self.hidden = hidden
        super().__init__(**kwargs)
'''

MODELING = '''import torch
from torch import nn
from transformers import PreTrainedModel

from .configuration_mlsc import MlscConfig


class MlscModel(PreTrainedModel):
    config_class = MlscConfig

    def __init__(self, config):
        super().__init__(config)
        self.fc = nn.Linear(config.hidden, config.hidden)
        self.post_init()

    def forward(self, x):
        return self.fc(x)
'''


def hf_repo():
    """A real save_pretrained of a custom model registered for the auto classes: config.json with auto_map, the
    copied configuration_/modeling_ files and model.safetensors."""
    src = tempfile.mkdtemp()
    out = tempfile.mkdtemp()
    pkg = os.path.join(src, "mlsc_custom")
    os.makedirs(pkg)
    for name, text in [("__init__.py", ""), ("configuration_mlsc.py", CONFIGURATION), ("modeling_mlsc.py", MODELING)]:
        with open(os.path.join(pkg, name), "w") as f:
            f.write(text)
    sys.path.insert(0, src)
    from mlsc_custom.configuration_mlsc import MlscConfig
    from mlsc_custom.modeling_mlsc import MlscModel
    MlscConfig.register_for_auto_class()
    MlscModel.register_for_auto_class("AutoModel")
    torch.manual_seed(0)
    MlscModel(MlscConfig()).save_pretrained(out)
    files = {}
    for name in sorted(os.listdir(out)):
        with open(os.path.join(out, name), "rb") as f:
            files[name] = f.read()
    shutil.rmtree(src)
    shutil.rmtree(out)
    return files


def write_repo(rel, files, expect, codes, what):
    d = os.path.join(ROOT, rel)
    if os.path.exists(d):
        shutil.rmtree(d)
    os.makedirs(d)
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
    put_dir(rel, expect, codes, what)


def repos():
    base = hf_repo()
    config = json.loads(base["config.json"])
    assert config["auto_map"] == {"AutoConfig": "configuration_mlsc.MlscConfig", "AutoModel": "modeling_mlsc.MlscModel"}, config
    weights = base["model.safetensors"]

    write_repo("repos/automap_benign", base, "suspicious", ["MLSC-CODE-012"],
               "save_pretrained with auto_map to local configuration/modeling files that import only torch/transformers")

    evil = dict(base)
    evil["modeling_mlsc.py"] = base["modeling_mlsc.py"].replace(b"import torch\n", b"import os\nimport torch\n\nos.system('echo pwned')\n", 1)
    write_repo("repos/automap_os_system", evil, "malicious", ["MLSC-CODE-001", "MLSC-CODE-012"],
               "auto_map to a modeling file that runs os.system at import")

    obf = dict(base)
    obf["modeling_mlsc.py"] = b"import base64\nexec(base64.b64decode('aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2VjaG8gcHduZWQnKQ=='))\n" + base["modeling_mlsc.py"]
    write_repo("repos/automap_obfuscated", obf, "malicious", ["MLSC-CODE-007", "MLSC-CODE-012"],
               "auto_map to a modeling file that execs base64-decoded code at import")

    net = dict(base)
    net["configuration_mlsc.py"] = b"import urllib.request as u\nu.urlopen('http://127.0.0.1:9/x')\n" + base["configuration_mlsc.py"]
    write_repo("repos/automap_network", net, "malicious", ["MLSC-CODE-004", "MLSC-CODE-012"],
               "the configuration module imported by the modeling file opens a URL at import")

    fw = dict(base)
    fw["modeling_mlsc.py"] = base["modeling_mlsc.py"] + b"\n_cache = open('/tmp/mlsc-pwned', 'w')\n"
    write_repo("repos/automap_file_write", fw, "malicious", ["MLSC-CODE-003", "MLSC-CODE-012"],
               "modeling file writes a file at import")

    fn_only = dict(base)
    fn_only["modeling_mlsc.py"] = base["modeling_mlsc.py"].replace(b"import torch\n", b"import subprocess\nimport torch\n", 1) + \
        b"\n\ndef _debug_dump():\n    subprocess.run(['nvidia-smi'])\n"
    write_repo("repos/automap_function_only", fn_only, "suspicious", ["MLSC-CODE-008", "MLSC-CODE-012"],
               "modeling file reaches subprocess only inside a function nothing calls at import")

    remote = {"config.json": json.dumps({**config, "auto_map": {"AutoConfig": "mlsc-attacker/payload--configuration_x.XConfig",
                                                               "AutoModel": "mlsc-attacker/payload--modeling_x.XModel"}}, indent=2),
              "model.safetensors": weights}
    write_repo("repos/automap_remote", remote, "malicious", ["MLSC-CODE-013"],
               "auto_map pointing at another repository's code")

    nested = {"config.json": json.dumps({k: v for k, v in config.items() if k != "auto_map"} | {"text_config": {"loader": {"trust_remote_code": True}}}, indent=2),
              "model.safetensors": weights}
    write_repo("repos/nested_trust", nested, "suspicious", ["MLSC-CODE-014"], "trust_remote_code nested in a sub-config")

    tok = {"config.json": json.dumps({k: v for k, v in config.items() if k != "auto_map"}, indent=2),
           "tokenizer_config.json": json.dumps({"tokenizer_class": "MlscTokenizer", "auto_map": {"AutoTokenizer": ["tokenization_mlsc.MlscTokenizer", None]}}, indent=2),
           "tokenization_mlsc.py": "import os\nfrom transformers import PreTrainedTokenizer\n\nos.popen('echo pwned')\n\n\nclass MlscTokenizer(PreTrainedTokenizer):\n    pass\n",
           "model.safetensors": weights}
    write_repo("repos/tokenizer_automap", tok, "malicious", ["MLSC-CODE-001", "MLSC-CODE-012"],
               "tokenizer_config.json auto_map (list form) to a tokenizer module that runs os.popen at import")

    target = {"config.json": json.dumps({"_target_": "mlsc_net.Net", "hidden": 4}, indent=2),
              "mlsc_net.py": "import torch\n\n\nclass Net(torch.nn.Module):\n    def __init__(self, hidden=4):\n        super().__init__()\n        self.fc = torch.nn.Linear(hidden, hidden)\n",
              "model.safetensors": weights}
    write_repo("repos/target_local", target, "suspicious", ["MLSC-CODE-012"], "hub-mixin style _target_ naming a class of a local module")

    arch = {"config.json": json.dumps({k: v for k, v in config.items() if k != "auto_map"}, indent=2),
            "modeling_mlsc.py": base["modeling_mlsc.py"], "configuration_mlsc.py": base["configuration_mlsc.py"],
            "model.safetensors": weights}
    write_repo("repos/architectures_local", arch, "suspicious", ["MLSC-CODE-012"],
               "architectures names a class only a local modeling file defines")

    plain = {"config.json": json.dumps({"architectures": ["BertModel"], "model_type": "bert", "hidden_size": 4}, indent=2),
             "model.safetensors": weights}
    write_repo("repos/plain", plain, "clean", [], "a repository with a config and weights and no code")


# --- single .py files ---------------------------------------------------------------------------------------------

def py_files():
    put("py/benign.py", b"import math\nimport torch\n\n\ndef gelu(x):\n    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * x))\n",
        "clean", ["MLSC-CODE-011"], "a module defining a function")
    put("py/process_at_import.py", b"import subprocess as sp\n\nsp.Popen(['echo', 'pwned'])\n", "malicious", ["MLSC-CODE-001"],
        "subprocess through an alias at import")
    put("py/called_function.py", b"import os\n\n\ndef setup():\n    os.system('echo pwned')\n\n\nsetup()\n", "malicious", ["MLSC-CODE-001"],
        "a function called at module level")
    put("py/main_guard.py", b"import os\n\nif __name__ == '__main__':\n    os.system('echo pwned')\n", "clean", ["MLSC-CODE-008"],
        "os.system only under if __name__ == '__main__'")
    put("py/syntax_error.py", b"def broken(:\n    pass\n", "inconclusive", ["MLSC-CODE-009"], "does not parse")
    put("py/getattr_import.py", b"getattr(__import__('o' 's'), 'system')('echo pwned')\n", "malicious", ["MLSC-CODE-001"],
        "getattr(__import__('os'), 'system') with implicitly concatenated literals")


def torch_op_survey():
    """What crates/mlsc-pickle/src/code/torchscript.rs's lists are checked against: every operator namespace this
    torch registers, and the operators that take a file or path argument or reach other processes."""
    namespaces, io_ops = set(), set()
    for schema in torch._C._jit_get_all_schemas():
        ns = schema.name.split("::")[0]
        namespaces.add(ns)
        if any(str(a.type) == "str" and re.search(r"file|path|dir|url|host|addr|cmd", a.name, re.I) for a in schema.arguments):
            io_ops.add(schema.name)
        if re.search(r"rpc|load_tensor", schema.name):
            io_ops.add(schema.name)
    return {"namespaces": sorted(namespaces), "io_ops": sorted(io_ops)}


def main():
    if os.path.exists(ROOT):
        shutil.rmtree(ROOT)
    os.makedirs(ROOT)
    torchscript()
    torch_package()
    repos()
    py_files()
    MANIFEST.sort(key=lambda e: e["path"])
    manifest = {
        "generator": "tests/gen/gen_code.py",
        "python": sys.version.split()[0],
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "torch_ops": torch_op_survey(),
        "fixtures": MANIFEST,
    }
    with open(os.path.join(ROOT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{len(MANIFEST)} fixtures in {ROOT}")


if __name__ == "__main__":
    main()
