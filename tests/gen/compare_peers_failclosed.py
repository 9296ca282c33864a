#!/usr/bin/env python3
"""Recall and false positives of mlsc, ModelAudit and picklescan on tests/fixtures/failclosed/.

A tool "flags" a file when it exits non-zero (findings, or an error it reports as such). Recall is over the files
the manifest marks `caught`, false positives over the benign twins. Peers come from a venv given as PEERS (default
/work/venvs/peers); mlsc from MLSC (default target/debug/mlsc). Not part of the test suite: the numbers go in notes.
"""

import json
import os
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "failclosed")
PEERS = os.environ.get("PEERS", "/work/venvs/peers")
MLSC = os.environ.get("MLSC", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "target", "debug", "mlsc"))
ENV = dict(os.environ, PROMPTFOO_DISABLE_TELEMETRY="1", NO_COLOR="1")

TOOLS = {
    "mlsc": lambda p: [MLSC, "scan", p],
    "modelaudit": lambda p: [f"{PEERS}/bin/modelaudit", "scan", p],
    "picklescan": lambda p: [f"{PEERS}/bin/picklescan", "-p", p],
}


def flags(tool, path):
    try:
        r = subprocess.run(TOOLS[tool](path), capture_output=True, env=ENV, timeout=120)
        return r.returncode != 0, r.returncode
    except subprocess.TimeoutExpired:
        return True, "timeout"


def main():
    manifest = json.load(open(os.path.join(ROOT, "manifest.json")))["files"]
    rows = []
    totals = {t: {"tp": 0, "fp": 0} for t in TOOLS}
    cases = sum(1 for e in manifest if e["expect"] == "caught")
    twins = len(manifest) - cases
    for e in manifest:
        path = os.path.join(ROOT, e["file"])
        row = [e["file"], e["expect"]]
        for t in TOOLS:
            f, code = flags(t, path)
            row.append(f"{code}")
            if f and e["expect"] == "caught":
                totals[t]["tp"] += 1
            if f and e["expect"] == "clean":
                totals[t]["fp"] += 1
        rows.append(row)
        print("\t".join(map(str, row)), flush=True)
    print(f"\n{cases} cases, {twins} benign twins")
    for t, v in totals.items():
        print(f"{t:12s} recall {v['tp']}/{cases} = {100 * v['tp'] / cases:.1f}%   false positives {v['fp']}/{twins} = {100 * v['fp'] / twins:.1f}%")


if __name__ == "__main__":
    sys.exit(main())
