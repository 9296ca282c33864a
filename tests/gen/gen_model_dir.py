#!/usr/bin/env python3
"""Generate a Hugging Face-style model directory for `mlsc sbom` benchmarks and manual checks (stdlib only).

    python3 tests/gen/gen_model_dir.py OUT [--size-mib 1024] [--shards 2] [--card README.md]
                                           [--hf-cache NS/NAME@REVISION]

Writes valid safetensors shards (a U8 tensor of noise each), config.json, tokenizer.json, tokenizer_config.json
and README.md (a copy of --card, e.g. one from ../shared/corpus/model-cards/, or a small default card). With
--hf-cache, lays the files out as huggingface_hub's cache does: OUT/models--NS--NAME/{blobs,refs/main,
snapshots/REVISION/} with LFS files (the shards) stored under their SHA-256 and relative symlinks from the snapshot;
it prints the snapshot path. The data is deterministic (SHAKE-256 of a seed), so two runs give identical files.
"""

import argparse
import hashlib
import json
import os
import shutil
import struct
import sys

DEFAULT_CARD = """---
license: apache-2.0
datasets:
- wikipedia
- bookcorpus
base_model: meta-llama/Llama-2-7b-hf
pipeline_tag: text-generation
---
# Generated model

## Uses

Benchmarks of mlsc sbom.

## Bias, Risks, and Limitations

None: the weights are noise.
"""


def noise_chunks(size, seed):
    """Yields `size` bytes of deterministic noise in 1 MiB chunks (SHAKE-256 of the seed and the chunk index:
    C speed, so a 1 GiB model takes seconds, and incompressible)."""
    left = size
    index = 0
    while left > 0:
        n = min(left, 1 << 20)
        yield hashlib.shake_256(b"%d:%d" % (seed, index)).digest(n)
        left -= n
        index += 1


def write_safetensors(path, size, seed):
    header_len = 128
    data = size - 8 - header_len
    header = json.dumps({"w": {"dtype": "U8", "shape": [data], "data_offsets": [0, data]}}).encode()
    header = header.ljust(header_len, b" ")
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", header_len))
        f.write(header)
        for chunk in noise_chunks(data, seed):
            f.write(chunk)


def generate(out, size_mib, shards, card_text):
    os.makedirs(out, exist_ok=True)
    total = size_mib << 20
    files = []
    for i in range(shards):
        name = "model.safetensors" if shards == 1 else f"model-{i + 1:05d}-of-{shards:05d}.safetensors"
        size = total // shards if i < shards - 1 else total - (total // shards) * (shards - 1)
        write_safetensors(os.path.join(out, name), max(size, 256), 0x9E3779B97F4A7C15 + i)
        files.append(name)
    small = {
        "config.json": json.dumps({"architectures": ["LlamaForCausalLM"], "model_type": "llama"}),
        "tokenizer.json": json.dumps({"model": {"type": "BPE", "vocab": {f"tok{i}": i for i in range(1000)}}}),
        "tokenizer_config.json": json.dumps({"model_max_length": 4096}),
        "README.md": card_text,
    }
    for name, text in small.items():
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(text)
        files.append(name)
    return files


def to_hf_cache(flat, root, repo, revision):
    ns, name = repo.split("/", 1)
    repo_dir = os.path.join(root, f"models--{ns}--{name}")
    snap = os.path.join(repo_dir, "snapshots", revision)
    os.makedirs(os.path.join(repo_dir, "blobs"), exist_ok=True)
    os.makedirs(os.path.join(repo_dir, "refs"), exist_ok=True)
    os.makedirs(snap, exist_ok=True)
    with open(os.path.join(repo_dir, "refs", "main"), "w") as f:
        f.write(revision)
    for name in sorted(os.listdir(flat)):
        src = os.path.join(flat, name)
        data_hash = hashlib.sha256()
        git_hash = hashlib.sha1()
        size = os.path.getsize(src)
        git_hash.update(b"blob %d\0" % size)
        with open(src, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                data_hash.update(chunk)
                git_hash.update(chunk)
        # LFS files are stored under their SHA-256, git files under their git blob SHA-1, as the Hub does.
        blob = data_hash.hexdigest() if name.endswith(".safetensors") else git_hash.hexdigest()
        shutil.move(src, os.path.join(repo_dir, "blobs", blob))
        os.symlink(os.path.join("..", "..", "blobs", blob), os.path.join(snap, name))
    os.rmdir(flat)
    return snap


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--size-mib", type=int, default=1024)
    ap.add_argument("--shards", type=int, default=2)
    ap.add_argument("--card", help="a model card to copy as README.md")
    ap.add_argument("--hf-cache", metavar="NS/NAME@REVISION")
    args = ap.parse_args()
    card = DEFAULT_CARD
    if args.card:
        with open(args.card, "rb") as f:
            card = f.read().decode("utf-8", errors="replace")
    if args.hf_cache:
        repo, _, revision = args.hf_cache.partition("@")
        if "/" not in repo or len(revision) != 40:
            sys.exit("--hf-cache wants NS/NAME@<40-hex revision>")
        flat = os.path.join(args.out, ".flat")
        generate(flat, args.size_mib, args.shards, card)
        print(to_hf_cache(flat, args.out, repo, revision))
    else:
        generate(args.out, args.size_mib, args.shards, card)
        print(args.out)


if __name__ == "__main__":
    main()
