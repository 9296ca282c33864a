#!/usr/bin/env bash
# Card checking on ../shared/corpus in one process each, same run, page cache warm:
#   - huggingface_hub 2.4.0: ModelCard.load / DatasetCard.load on the 79 Hugging Face cards (strict, as the Hub
#     client reads them: front matter, PyYAML, model-index);
#   - mlcroissant 1.1.1: Dataset(jsonld=…) validation of the 10 Croissant files (what `mlcroissant validate` runs);
#   - mlsc: `mlsc card lint` on the same files (release build), and the divan bench of the library.
# The Python figures exclude interpreter start-up and imports (timed inside the process); mlsc's include its process
# start. Usage: bash benches/compare-cards-peers.sh   (creates its own venv under $TMPDIR unless VENV is set)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus
venv=${VENV:-${TMPDIR:-/tmp}/mlsc-cards-peers-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "huggingface_hub==2.4.0" "mlcroissant==1.1.1"
fi

echo "== huggingface_hub $("$venv/bin/python" -c 'import huggingface_hub as h; print(h.__version__)'): 79 cards, load (strict), best of 5"
"$venv/bin/python" - "$corpus" <<'PY'
import glob, sys, time, logging
logging.disable(logging.CRITICAL)
from huggingface_hub import ModelCard, DatasetCard
root = sys.argv[1]
cards = [(p, ModelCard) for p in sorted(glob.glob(f"{root}/model-cards/*"))] + \
        [(p, DatasetCard) for p in sorted(glob.glob(f"{root}/dataset-cards/*"))]
best = 1e9
for _ in range(5):
    ok = 0
    t = time.perf_counter()
    for path, cls in cards:
        try:
            cls.load(path); ok += 1
        except Exception:
            pass
    best = min(best, time.perf_counter() - t)
print(f"{len(cards)} cards, {ok} load: {best*1000:.1f} ms")
PY

echo "== mlcroissant $("$venv/bin/python" -c 'import mlcroissant as m; print(getattr(m, "__version__", "1.1.1"))'): 10 files, validate, best of 3"
"$venv/bin/python" - "$corpus" <<'PY'
import glob, sys, time, logging
logging.disable(logging.CRITICAL)
import mlcroissant as mlc
files = sorted(glob.glob(f"{sys.argv[1]}/croissant/*.json"))
best = 1e9
for _ in range(3):
    ok = 0
    t = time.perf_counter()
    for f in files:
        try:
            mlc.Dataset(jsonld=f); ok += 1
        except Exception:
            pass
    best = min(best, time.perf_counter() - t)
print(f"{len(files)} files, {ok} valid: {best*1000:.1f} ms")
PY

cargo build -q --release -p mlsc-cli
mlsc=target/release/mlsc
best_ms() { # best of 5 wall times in ms
  local b=999999
  for _ in 1 2 3 4 5; do
    local s e
    s=$(date +%s%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s%N)
    b=$(( (e - s) / 1000000 < b ? (e - s) / 1000000 : b ))
  done
  echo "$b"
}
echo "== mlsc card lint (one process, incl. start-up), best of 5"
echo "79 Hub cards: $(best_ms "$mlsc" card lint --format json --hub-data ../shared/data/hf-hub "$corpus"/model-cards/* "$corpus"/dataset-cards/*) ms"
echo "10 Croissant files: $(best_ms "$mlsc" card lint --format json "$corpus"/croissant/*.json) ms"
echo "== mlsc-cards library (divan)"
cargo bench -q -p mlsc-benches --bench cards 2>&1 | tail -n 9
