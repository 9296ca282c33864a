#!/usr/bin/env bash
# mlsc deps next to pip-audit on the same 300-line requirements file, in one run.
#
# The file is the one `benches/deps.rs` benchmarks: 300 real PyPI package names from the shared advisory data, each
# pinned to a release the advisories list (so most are vulnerable). pip-audit runs as issue 5 describes its fastest
# honest mode: `--disable-pip --no-deps -r FILE` (no resolution, no install), with its default vulnerability
# service (the PyPI JSON API, online: pip-audit has no offline database). mlsc deps reads the 2,661 advisories from
# the shared JSON lines file (offline). Both are whole processes, wall-clock; mlsc best of 5, pip-audit best of 2.
#
# Usage: bash benches/compare-deps-peers.sh
# Needs: python3, network access to PyPI (pip-audit into $VENV, default /work/venv-peers; and its queries).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${MLSC_PEERS_VENV:-/work/venv-peers}
if [ ! -x "$VENV/bin/pip-audit" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q pip-audit
fi
DB=../shared/data/osv-pypi/pypi-advisories.jsonl
if [ ! -f "$DB" ]; then
  echo "skipped: $DB is absent" >&2
  exit 0
fi
cargo build -q --release -p mlsc-cli --bin mlsc
MLSC=target/release/mlsc

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
MLSC_BENCH_DEPS_WRITE="$tmp/requirements.txt" cargo bench -q -p mlsc-benches --bench deps > /dev/null
echo "input: $(grep -c '==' "$tmp/requirements.txt") pinned requirements ($(wc -l < "$tmp/requirements.txt") lines)"

best() { # best of N wall times of a command, in seconds: best N cmd...
  local n=$1; shift
  local b=999
  for _ in $(seq "$n"); do
    local s e
    s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N)
    b=$(python3 -c "print(min($b, $e - $s))")
  done
  printf '%.4f' "$b"
}

t_mlsc=$(best 5 "$MLSC" deps --db "$DB" -q "$tmp/requirements.txt")
"$MLSC" deps --db "$DB" --format json "$tmp/requirements.txt" -o "$tmp/mlsc.json" || true
t_pa=$(best 2 "$VENV/bin/pip-audit" --disable-pip --no-deps -r "$tmp/requirements.txt" --progress-spinner off)
"$VENV/bin/pip-audit" --disable-pip --no-deps -r "$tmp/requirements.txt" --progress-spinner off -f json \
  -o "$tmp/pa.json" > /dev/null 2>&1 || true
set +e
"$MLSC" deps --db "$DB" -q "$tmp/requirements.txt" > /dev/null 2>&1
rc_mlsc=$?
pa_last=$("$VENV/bin/pip-audit" --disable-pip --no-deps -r "$tmp/requirements.txt" --progress-spinner off 2>/dev/null | tail -1)
rc_pa=${PIPESTATUS[0]}
set -e

python3 - "$tmp/mlsc.json" "$tmp/pa.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
ids_m = {(v["package"], i) for v in m["deps"]["vulnerabilities"] for i in v["ids"] + v["aliases"]}
pkgs_m = {v["package"] for v in m["deps"]["vulnerabilities"] if v["kind"] == "affected"}
print(f"mlsc deps:  {len(m['deps']['vulnerabilities'])} vulnerabilities in {len(pkgs_m)} packages (offline, {m['deps']['database']['records']} advisories)")
try:
    p = json.load(open(sys.argv[2]))
    deps = p.get("dependencies", p if isinstance(p, list) else [])
    found = [(d["name"], v["id"]) for d in deps for v in d.get("vulns", [])]
    skipped = [d["name"] for d in deps if d.get("skip_reason")]
    print(f"pip-audit:  {len(found)} vulnerabilities in {len({n for n, _ in found})} packages, {len(skipped)} skipped (online PyPI JSON API, newer data)")
except Exception as e:
    print(f"pip-audit:  no JSON result ({e})")
PY
echo "mlsc deps:  ${t_mlsc}s (best of 5), exit ${rc_mlsc}"
echo "pip-audit:  ${t_pa}s (best of 2, $("$VENV/bin/pip-audit" --version 2>/dev/null | head -1)), exit ${rc_pa}, said: ${pa_last}"
echo "(when pip-audit cannot reach its service it skips every package and still says so: compare the counts above)"
python3 -c "print(f'ratio: pip-audit / mlsc = {float(\"$t_pa\") / float(\"$t_mlsc\"):.0f}x')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
