#!/usr/bin/env python3
"""Lists where `mlsc.compat.picklescan` answers differently from picklescan on mlsc's fixtures, with why.

Run with a Python that has the mlsc wheel installed, after tests/gen/picklescan_expected.py:

    python tests/gen/picklescan_differences.py > python/tests/data/picklescan_differences.json

python/tests/test_compat_picklescan.py then checks every fixture field by field: a field that agrees with picklescan
must not be listed here, one that differs must be listed with mlsc's exact answer. The reasons are assigned by rule
(see WHY) and summarised in docs/python.md; review the output before committing it.
"""

import json
import os
import sys

from mlsc.compat import picklescan

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

WHY = {
    "mlsc-detects": "mlsc finds a dangerous call picklescan's global list misses (a name through the memo, "
    "getattr/import_module chains, nested pickles, EXT opcodes, containers picklescan does not open)",
    "picklescan-denies": "picklescan's deny list flags a global mlsc's allowlist profiles accept or rank lower",
    "fail-closed": "mlsc could not analyse the file completely (a budget, an encrypted member, TorchScript code, a "
    "truncated or malformed stream) and says so; picklescan reports what it read as complete",
    "mlsc-parses": "picklescan's disassembler stops with an error on a stream mlsc analyses completely",
    "counts-files": "mlsc counts files scanned; picklescan counts pickles (several per archive) or skips files "
    "by extension",
    "names-resolved": "mlsc names the callable the chain resolves to (os.system behind getattr, the written name "
    "of a memoised global) where picklescan lists the first global it sees or `unknown`",
    "picklescan-raises": "picklescan raises an exception on this file; mlsc answers",
    "counts-infected": "picklescan counts an archive once per infected pickle; mlsc counts infected files",
}


def mine(r):
    return {
        "infected": r.infected_files > 0,
        "infected_files": r.infected_files,
        "scan_err": r.scan_err,
        "scanned_files": r.scanned_files,
        "dangerous": sorted({f"{g.module}.{g.name}" for g in r.globals if g.safety.value == "dangerous"}),
    }


def theirs(e):
    return {
        "infected": e["infected_files"] > 0,
        "infected_files": e["infected_files"],
        "scan_err": e["scan_err"],
        "scanned_files": e["scanned_files"],
        "dangerous": sorted({f"{m}.{n}" for m, n, s in e["globals"] if s == "dangerous"}),
    }


def why(field, path, t, m):
    if field == "infected":
        return "mlsc-detects" if m else "picklescan-denies"
    if field == "infected_files":
        return "counts-infected"
    if field == "scan_err":
        return "fail-closed" if m else "mlsc-parses"
    if field == "scanned_files":
        return "counts-files"
    return "names-resolved"


def main():
    os.chdir(ROOT)
    with open("python/tests/data/picklescan_expected.json") as f:
        expected = json.load(f)
    out = {}
    for path, e in sorted(expected["files"].items()):
        m = mine(picklescan.scan_file_path(path))
        if "exception" in e:
            out[path] = {"exception": {"picklescan": e["exception"], "mlsc": m, "why": "picklescan-raises"}}
            continue
        t = theirs(e)
        diffs = {}
        for field in ("infected", "scan_err", "scanned_files"):
            if t[field] != m[field]:
                diffs[field] = {"picklescan": t[field], "mlsc": m[field], "why": why(field, path, t[field], m[field])}
        if t["infected"] and m["infected"]:
            if t["infected_files"] != m["infected_files"]:
                diffs["infected_files"] = {
                    "picklescan": t["infected_files"],
                    "mlsc": m["infected_files"],
                    "why": "counts-infected",
                }
            if t["dangerous"] != m["dangerous"]:
                diffs["dangerous"] = {"picklescan": t["dangerous"], "mlsc": m["dangerous"], "why": "names-resolved"}
        if diffs:
            out[path] = diffs
    json.dump({"why": WHY, "files": out}, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
