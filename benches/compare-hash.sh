#!/usr/bin/env bash
# SHA-256 of one 1 GiB file, page-cache warm, one core each: mlsc-core's sha256_file next to coreutils sha256sum and
# openssl dgst, in the same run. Reports wall-clock throughput (best of 5) and throughput per CPU-second (user+sys),
# which stays meaningful on a loaded machine. Also runs the divan bench. Usage: bash benches/compare-hash.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c $((1 << 30)) /dev/urandom > "$tmp/weights.bin"
cat "$tmp/weights.bin" > /dev/null

cargo build --release -q -p mlsc-benches --example sha256file
mlsc_hash=target/release/examples/sha256file

measure() { # name, command...: best wall and best CPU of 5 runs
  local name=$1; shift
  local best_wall=999 best_cpu=999
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f "%e %U %S" -o "$tmp/t" "$@" "$tmp/weights.bin" > /dev/null
    read -r wall user sys < "$tmp/t"
    best_wall=$(python3 -c "print(min($best_wall, $wall))")
    best_cpu=$(python3 -c "print(min($best_cpu, $user + $sys))")
  done
  python3 -c "
g = (1 << 30) / 1e9
print(f'{\"$name\":<22} {g / max($best_wall, 1e-9):5.2f} GB/s wall   {g / max($best_cpu, 1e-9):5.2f} GB per CPU-second')"
}

echo "SHA-256 of a 1 GiB file (best of 5):"
measure "mlsc-core sha256_file" "$mlsc_hash"
measure "sha256sum" sha256sum
command -v openssl > /dev/null && measure "openssl dgst -sha256" openssl dgst -sha256
echo
echo "divan (in process, same file size):"
cargo bench -q -p mlsc-benches --bench hash -- sha256_file_1gib 2>&1 | tail -n 4
