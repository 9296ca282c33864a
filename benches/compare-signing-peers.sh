#!/usr/bin/env bash
# Sign and verify the same generated model directory with mlsc and with OpenSSF model_signing 1.1.1 (key method,
# SHA-256 over whole files, both tools' defaults), in one run, page cache warm, and print the throughput ratio.
#
# Usage: benches/compare-signing-peers.sh
#   GIB=1        size of the generated directory in GiB (default 1)
#   RUNS=3       runs per tool and operation; the median is reported
#   VENV=path    virtualenv for model_signing (created, with pyopenssl which it imports undeclared, if missing)
#   MLSC=path    mlsc binary (default: built with `cargo build --release -p mlsc-cli`)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
gib="${GIB:-1}"
runs="${RUNS:-3}"
venv="${VENV:-$root/target/venv-signing-peers}"
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import model_signing, OpenSSL' 2>/dev/null; then
  "$venv/bin/pip" install -q 'model-signing==1.1.1' pyopenssl
fi
if [[ -z "${MLSC:-}" ]]; then
  cargo build -q --release -p mlsc-cli --manifest-path "$root/Cargo.toml"
  MLSC="$root/target/release/mlsc"
fi
ms="$venv/bin/model_signing"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
model="$work/model"
# The layout of benches/provenance.rs: a sharded checkpoint, 1/2 + 1/4 + 4 x 1/16 of the total, small JSON files.
"$venv/bin/python" - "$model" "$gib" <<'PY'
import os, sys
model, gib = sys.argv[1], float(sys.argv[2])
total = int(gib * (1 << 30))
os.makedirs(model)
parts = [total // 2, total // 4] + [total // 16] * 4
block = os.urandom(1 << 20)
for i, size in enumerate(parts, 1):
    with open(os.path.join(model, f"model-{i:05d}-of-00006.safetensors"), "wb") as f:
        left = size
        while left:
            n = min(left, len(block))
            f.write(block[:n])
            # vary every MiB so no layer can deduplicate
            block = block[1:] + block[:1]
            left -= n
open(os.path.join(model, "config.json"), "w").write('{"hidden_size": 4096}')
open(os.path.join(model, "tokenizer.json"), "w").write("a" * (2 << 20))
PY
bytes=$(du -sb "$model" | cut -f1)
cat "$model"/* > /dev/null   # warm the page cache for both tools alike

"$MLSC" -q keygen --private-key "$work/key.pem"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
timeit() { # appends "wall cpu" seconds (cpu = user + system, all threads) to $work/times
  /usr/bin/time -f '%e %U %S' -o "$work/one" "$@" >/dev/null 2>&1 || { echo "command failed: $*" >&2; exit 2; }
  awk '{printf "%s %s\n", $1, $2 + $3}' "$work/one" >> "$work/times"
}

declare -A wall cpu
for op in sign verify; do
  for tool in mlsc model_signing; do
    : > "$work/times"
    for _ in $(seq "$runs"); do
      case "$tool/$op" in
        mlsc/sign) timeit "$MLSC" -q sign "$model" --private-key "$work/key.pem" --signature "$work/mlsc.sig" ;;
        mlsc/verify) timeit "$MLSC" -q verify "$model" --signature "$work/mlsc.sig" --public-key "$work/key.pub.pem" ;;
        model_signing/sign) timeit "$ms" sign key "$model" --private_key "$work/key.pem" --signature "$work/ms.sig" ;;
        model_signing/verify) timeit "$ms" verify key "$model" --public_key "$work/key.pub.pem" --signature "$work/ms.sig" ;;
      esac
    done
    wall[$tool/$op]=$(cut -d' ' -f1 "$work/times" | median)
    cpu[$tool/$op]=$(cut -d' ' -f2 "$work/times" | median)
  done
done

# Cross-check, outside the timing: each tool verifies the other's signature.
"$MLSC" -q verify "$model" --signature "$work/ms.sig" --public-key "$work/key.pub.pem" >/dev/null
"$ms" verify key "$model" --public_key "$work/key.pub.pem" --signature "$work/mlsc.sig" >/dev/null

mb=$(echo "$bytes / 1000000" | bc -l)
printf 'input: %s bytes in 8 files, %s CPUs, load %s, median of %s runs, page cache warm\n' \
  "$bytes" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)" "$runs"
printf '%-8s %-14s %9s %10s %9s %14s\n' op tool 'wall s' 'MB/s' 'CPU s' 'MB/CPU-second'
for op in sign verify; do
  for tool in mlsc model_signing; do
    w=${wall[$tool/$op]}; c=${cpu[$tool/$op]}
    printf '%-8s %-14s %9.3f %10.0f %9.3f %14.0f\n' "$op" "$tool" "$w" "$(echo "$mb / $w" | bc -l)" "$c" "$(echo "$mb / $c" | bc -l)"
  done
  printf '%-8s mlsc / model_signing: %.2fx wall-clock throughput, %.2fx per CPU-second\n' "$op" \
    "$(echo "${wall[model_signing/$op]} / ${wall[mlsc/$op]}" | bc -l)" \
    "$(echo "${cpu[model_signing/$op]} / ${cpu[mlsc/$op]}" | bc -l)"
done
