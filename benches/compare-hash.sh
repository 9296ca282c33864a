#!/usr/bin/env bash
# SHA-256 throughput on one 1 GiB file, page-cache warm, one core each: mlsc-core (divan bench) next to coreutils
# sha256sum and openssl dgst in the same run. Usage: bash benches/compare-hash.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c $((1 << 30)) /dev/urandom > "$tmp/weights.bin"
cat "$tmp/weights.bin" > /dev/null

gbps() { python3 -c "import sys; print(f'{(1<<30)/float(sys.argv[1])/1e9:.2f}')" "$1"; }
best() { # best of 3 wall times of a command, in seconds
  local b=999
  for _ in 1 2 3; do
    local s e t
    s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N)
    t=$(python3 -c "print($e-$s)")
    b=$(python3 -c "print(min($b,$t))")
  done
  echo "$b"
}

echo "== mlsc-core sha256_file (divan, 1 GiB)"
cargo bench -q -p mlsc-benches --bench hash -- sha256_file_1gib 2>&1 | tail -n 4
t_sum=$(best sha256sum "$tmp/weights.bin")
echo "sha256sum:           $(gbps "$t_sum") GB/s (best of 3, ${t_sum}s)"
if command -v openssl > /dev/null; then
  t_ssl=$(best openssl dgst -sha256 "$tmp/weights.bin")
  echo "openssl dgst -sha256: $(gbps "$t_ssl") GB/s (best of 3, ${t_ssl}s)"
fi
