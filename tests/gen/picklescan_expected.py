#!/usr/bin/env python3
"""Records what picklescan itself answers on mlsc's fixtures, for the tests of `mlsc.compat.picklescan`.

Run at development time with the peers' environment (picklescan is never needed by the tests):

    /work/venvs/peers/bin/python tests/gen/picklescan_expected.py > python/tests/data/picklescan_expected.json

Every file of tests/fixtures/pickle/{benign,malicious} and tests/fixtures/scan/{benign,malicious,suspicious,
inconclusive} is given to `picklescan.scanner.scan_file_path` (exceptions are recorded, not raised), and the two
directories to `scan_directory_path`. Nothing is loaded: picklescan only disassembles.
"""

import json
import logging
import os
import sys
from importlib.metadata import version

from picklescan import scanner

logging.disable(logging.CRITICAL)  # picklescan logs every finding; the JSON is the record

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DIRS = [
    "tests/fixtures/pickle/benign",
    "tests/fixtures/pickle/malicious",
    "tests/fixtures/scan/benign",
    "tests/fixtures/scan/malicious",
    "tests/fixtures/scan/suspicious",
    "tests/fixtures/scan/inconclusive",
]


def result(r):
    return {
        "globals": sorted([g.module, g.name, g.safety.value] for g in r.globals),
        "scanned_files": r.scanned_files,
        "issues_count": r.issues_count,
        "infected_files": r.infected_files,
        "scan_err": r.scan_err,
        "suspicious_count": r.suspicious_count,
    }


def main():
    os.chdir(ROOT)
    files = {}
    for d in DIRS:
        for name in sorted(os.listdir(d)):
            rel = f"{d}/{name}"
            if not os.path.isfile(rel):
                continue
            try:
                files[rel] = result(scanner.scan_file_path(rel))
            except Exception as e:  # picklescan raises on some inputs; that is part of its answer
                files[rel] = {"exception": type(e).__name__}
    directories = {}
    for d in ["tests/fixtures/pickle/benign", "tests/fixtures/scan/benign", "examples/hf-model"]:
        try:
            directories[d] = result(scanner.scan_directory_path(d))
        except Exception as e:
            directories[d] = {"exception": type(e).__name__}
    out = {
        "generator": "tests/gen/picklescan_expected.py",
        "picklescan": version("picklescan"),
        "python": sys.version.split()[0],
        "files": files,
        "directories": directories,
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
