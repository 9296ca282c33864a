#!/usr/bin/env bash
# mlsc sbom next to cyclonedx-py on the same 300-line requirements file, in one run, and mlsc sbom on a generated
# 1 GiB model directory (cyclonedx-py has no model support, so that figure is mlsc's alone; budget 0.7 s on 2 cores).
# Both are whole processes, wall-clock, best of 5, page cache warm.
#
# Usage: bash benches/compare-sbom-peers.sh
# Needs: python3, network access to PyPI the first time (cyclonedx-bom into $VENV, default /work/venv-peers).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${MLSC_PEERS_VENV:-/work/venv-peers}
if [ ! -x "$VENV/bin/cyclonedx-py" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q cyclonedx-bom
fi
cargo build -q --release -p mlsc-cli --bin mlsc
MLSC=target/release/mlsc

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The same 300 lines as `requirements_300()` in benches/sbom.rs: pins, ranges, pins with hashes.
python3 - "$tmp/requirements.txt" <<'PY'
import sys
lines = []
for i in range(300):
    if i % 3 == 0:
        lines.append(f"package-{i}=={i % 7}.{i % 11}.{i % 5}")
    elif i % 3 == 1:
        lines.append(f"package-{i}>={i % 4 + 1}.0,<{i % 4 + 3}.0")
    else:
        lines.append(f"package-{i}=={i % 9}.0.1 --hash=sha256:{i * 7919:064x}")
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY

best() { # best of 5 wall times of a command, in seconds
  local b=999
  for _ in 1 2 3 4 5; do
    local s e
    s=$(date +%s.%N); "$@" > /dev/null 2>&1; e=$(date +%s.%N)
    b=$(python3 -c "print(min($b, $e - $s))")
  done
  printf '%.4f' "$b"
}

echo "== 300-line requirements file -> CycloneDX 1.6 JSON"
t_mlsc=$(best "$MLSC" sbom "$tmp/requirements.txt" -o "$tmp/mlsc.json")
t_cdx=$(best "$VENV/bin/cyclonedx-py" requirements "$tmp/requirements.txt" -o "$tmp/cdx.json" --spec-version 1.6)
n_mlsc=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['components']))" "$tmp/mlsc.json")
n_cdx=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1])).get('components', [])))" "$tmp/cdx.json")
echo "mlsc sbom:        ${t_mlsc}s  (${n_mlsc} components)"
echo "cyclonedx-py:     ${t_cdx}s  (${n_cdx} components, $("$VENV/bin/cyclonedx-py" --version 2>/dev/null | head -1))"
python3 -c "print(f'ratio: cyclonedx-py / mlsc = {float(\"$t_cdx\") / float(\"$t_mlsc\"):.1f}x')"

echo "== generated 1 GiB model directory (2 x 512 MiB safetensors shards) -> ML-BOM"
python3 tests/gen/gen_model_dir.py "$tmp/model" --size-mib 1024 --shards 2 > /dev/null
cat "$tmp"/model/*.safetensors > /dev/null
echo "mlsc sbom (scan on):  $(best "$MLSC" sbom "$tmp/model" -o "$tmp/model.json")s"
echo "mlsc sbom --no-scan:  $(best "$MLSC" sbom --no-scan "$tmp/model" -o "$tmp/model.json")s"
/usr/bin/env time -f "one run: %e s wall, %U s user, %S s sys" "$MLSC" sbom --no-scan "$tmp/model" -o "$tmp/model.json"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other work on the machine slows every figure)"
