#!/usr/bin/env bash
# `mlsc scan` next to picklescan and modelscan on the same inputs, in one run: wall time (best of 3) and peak RSS
# (wait4 rusage), then the ratios. Inputs, generated here:
#   1. a 1 GiB PyTorch zip checkpoint (200 stored float32 storages of 5 MiB, data.pkl of a 200-tensor state dict);
#   2. a directory of 200 mixed model files (copies of the benign corpus, ten 16 MiB checkpoints, ten 16 MiB
#      safetensors), the shape of the divan benchmark `cargo bench -p mlsc-benches --bench scan`.
# Usage: bash benches/compare-scan-peers.sh    (VENV=/path/to/venv to reuse a virtualenv; default /work/venv-peers)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-/work/venv-peers}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/python" -c "import picklescan, modelscan" 2> /dev/null || "$VENV/bin/pip" install -q picklescan modelscan
cargo build -q --release -p mlsc-cli
MLSC=$PWD/target/release/mlsc

python3 - "$tmp" <<'EOF'
import io, os, shutil, struct, sys, zipfile, json
tmp = sys.argv[1]
corpus = "tests/fixtures/scan"
data_pkl = open(f"{corpus}/benign/data_200.pkl", "rb").read()

def torch_zip(path, storages, size):
    block = b"\x5a" * (1 << 20)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("archive/data.pkl", data_pkl)
        for i in range(storages):
            with zf.open(zipfile.ZipInfo(f"archive/data/{i}"), "w") as w:
                left = size
                while left:
                    n = min(left, len(block)); w.write(block[:n]); left -= n
        zf.writestr("archive/version", "3\n")

torch_zip(f"{tmp}/pytorch_model.bin", 200, 1024 * 1280 * 4)
root = f"{tmp}/models"; os.makedirs(root)
n = 0
for i in range(10):
    torch_zip(f"{root}/shard-{i}.bin", 4, 4 << 20)
    h = json.dumps({"w": {"dtype": "F32", "shape": [4 << 20], "data_offsets": [0, 16 << 20]}}).encode()
    h += b" " * ((-len(h)) % 8)
    with open(f"{root}/model-{i}.safetensors", "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h); f.write(b"\x3f" * (16 << 20))
    n += 2
benign = [e["file"] for e in json.load(open(f"{corpus}/manifest.json")) if e["expect"] == "benign"]
i = 0
while n < 200:
    rel = benign[i % len(benign)]
    shutil.copy(f"{corpus}/{rel}", f"{root}/{n:03d}-{rel.replace('/', '_')}")
    i += 1; n += 1
EOF
cat "$tmp/pytorch_model.bin" > /dev/null

# best of 3 wall times (perf_counter) and the largest peak RSS (wait4's rusage of each run): "seconds peak_kib"
measure() {
  python3 - "$@" <<'EOF2'
import os, subprocess, sys, time
best, rss = 1e9, 0
for _ in range(3):
    t = time.perf_counter()
    p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    best = min(best, time.perf_counter() - t)
    rss = max(rss, usage.ru_maxrss)
print(f"{best:.4f} {rss}")
EOF2
}

report() { # name input-label mlsc-result peer-result
  python3 - "$@" <<'EOF'
import sys
label, inp, ours, theirs = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4].split()
t0, m0, t1, m1 = float(ours[0]), int(ours[1]), float(theirs[0]), int(theirs[1])
ratio = t1 / t0
print(f"{inp:<26} {label:<10} {t1:7.3f} s {m1/1024:7.1f} MB   mlsc {t0:6.4f} s {m0/1024:6.1f} MB   "
      f"time ratio {ratio:6.1f}x, memory ratio {m1/max(m0,1):5.1f}x")
EOF
}

for input in "$tmp/pytorch_model.bin" "$tmp/models"; do
  name=$([ -d "$input" ] && echo "dir of 200 mixed files" || echo "1 GiB PyTorch checkpoint")
  ours=$(measure "$MLSC" scan --format json --no-progress "$input")
  ps=$(measure "$VENV/bin/picklescan" -p "$input")
  ms=$(measure "$VENV/bin/modelscan" -p "$input")
  report picklescan "$name" "$ours" "$ps"
  report modelscan "$name" "$ours" "$ms"
done
echo "(process wall time, best of 3, interpreter start-up included for the peers; peak RSS, max of 3)"
