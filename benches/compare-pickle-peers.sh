#!/usr/bin/env bash
# The pickle analyser next to picklescan, modelscan, fickling and ModelAudit, in one run:
#   1. speed and peak RSS on the generated 51 MB / 13 M opcode benign pickle of `benches/pickle.rs`
#      (wall seconds and max RSS from /usr/bin/time; mlsc best of 3, peers once), and mlsc's ratio to each;
#   2. detection on the adversarial suite tests/fixtures/pickle (tests/gen/gen_pickles.py): a file counts as
#      flagged when the tool exits non-zero (what a CI gate sees), per file, with the tool's default options.
# Usage: bash benches/compare-pickle-peers.sh    (VENV=/path/to/venv to reuse a virtualenv; default /work/venv-peers)
#        SKIP_SUITE=1 to time only.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-/work/venv-peers}
export PROMPTFOO_DISABLE_TELEMETRY=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
for pkg in picklescan modelscan fickling modelaudit; do
  "$VENV/bin/pip" show -q "$pkg" > /dev/null 2>&1 || "$VENV/bin/pip" install -q "$pkg"
done
cargo build -q --release -p mlsc-cli
MLSC=$PWD/target/release/mlsc
MLSC_PICKLE_WRITE="$tmp/bench.pkl" cargo bench -q -p mlsc-benches --bench pickle > /dev/null
BENCH=$tmp/bench.pkl

# name: command line taking the file as its last argument
declare -A TOOL=(
  [mlsc]="$MLSC scan -q"
  [picklescan]="$VENV/bin/picklescan -p"
  [modelscan]="$VENV/bin/modelscan -p"
  [fickling]="$VENV/bin/fickling --check-safety"
  [modelaudit]="$VENV/bin/modelaudit scan"
)
ORDER=(mlsc picklescan modelscan fickling modelaudit)

measure() { # tool file -> "seconds maxrss_kib"
  /usr/bin/time -f "%e %M" -o "$tmp/time" ${TOOL[$1]} "$2" > /dev/null 2>&1 || true
  tail -1 "$tmp/time"
}

echo "== speed on $(stat -c %s "$BENCH") bytes (generated benign pickle, benches/pickle.rs)"
best=""
for i in 1 2 3; do
  r=$(measure mlsc "$BENCH")
  if [ -z "$best" ] || awk -v a="${r% *}" -v b="${best% *}" 'BEGIN{exit !(a<b)}'; then best=$r; fi
done
read -r ms mr <<< "$best"
printf "%-11s %8.2f s %9d KiB\n" mlsc "$ms" "$mr"
stream=$(MLSC_PICKLE_STREAM="$BENCH" cargo bench -q -p mlsc-benches --bench pickle 2> /dev/null | head -1)
echo "mlsc streaming analyse_reader: $stream"
for t in "${ORDER[@]:1}"; do
  read -r s r <<< "$(measure "$t" "$BENCH")"
  printf "%-11s %8.2f s %9d KiB   time ratio %6.0fx, memory ratio %5.1fx\n" "$t" "$s" "$r" \
    "$(awk -v a="$s" -v b="$ms" 'BEGIN{print a/(b>0?b:0.01)}')" "$(awk -v a="$r" -v b="$mr" 'BEGIN{print a/b}')"
done

[ -n "${SKIP_SUITE:-}" ] && exit 0
echo
echo "== detection on tests/fixtures/pickle (exit status non-zero = flagged)"
for t in "${ORDER[@]}"; do
  mal=0; malhit=0; ben=0; benhit=0; missed=()
  while IFS=$'\t' read -r file verdict; do
    path=tests/fixtures/pickle/$file
    if timeout 120 ${TOOL[$t]} "$path" > /dev/null 2>&1; then hit=0; else hit=1; fi
    if [ "$verdict" = clean ]; then ben=$((ben + 1)); benhit=$((benhit + hit));
    else mal=$((mal + 1)); malhit=$((malhit + hit)); [ $hit = 0 ] && missed+=("$(basename "$file")"); fi
  done < <(python3 -c 'import json
for e in json.load(open("tests/fixtures/pickle/manifest.json")): print(e["file"], e["verdict"], sep="\t")')
  printf "%-11s detected %3d/%3d malicious (%5.1f%%), flagged %3d/%3d benign (%5.1f%% false positives)\n" "$t" \
    "$malhit" "$mal" "$(awk -v a=$malhit -v b=$mal 'BEGIN{print 100*a/b}')" "$benhit" "$ben" \
    "$(awk -v a=$benhit -v b=$ben 'BEGIN{print 100*a/b}')"
  if [ ${#missed[@]} -gt 0 ]; then echo "            missed: ${missed[*]:0:12}$([ ${#missed[@]} -gt 12 ] && echo " …")"; fi
done
