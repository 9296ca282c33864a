#!/usr/bin/env python3
"""Lists every global the real-file fixtures import, per library: the harvest the allowlist profiles are grown from.

Standard library only (lz4 frames are read when the lz4 module is importable). Nothing is unpickled: opcodes are
walked with pickletools, and a global's module and name are the strings pushed just before STACK_GLOBAL (through
the memo). Containers are opened the way their loaders open them: zip members ending in .pkl, the five pickles of
legacy torch.save, joblib and pandas compressors, the .npy header.

Usage: python3 tests/gen/harvest_real.py [tests/fixtures/real] > /tmp/harvest.tsv   (library<TAB>global<TAB>files)
Each harvested name is then reviewed by hand against the rule in crates/mlsc-pickle/profiles/README.md before it
enters a profile; this script only lists.
"""

import bz2
import collections
import gzip
import io
import lzma
import pathlib
import pickletools
import sys
import zipfile
import zlib

STRING_OPS = {"SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8", "UNICODE", "STRING", "BINSTRING", "SHORT_BINSTRING"}


def globals_of(data):
    """Every GLOBAL/INST/STACK_GLOBAL name in every pickle of `data` (stacked pickles too)."""
    found = []
    pos = 0
    while pos < len(data):
        memo = {}
        recent = []  # strings pushed most recently (STACK_GLOBAL takes the last two)
        last_stop = None
        try:
            for op, arg, at in pickletools.genops(io.BytesIO(data[pos:])):
                name = op.name
                if name in STRING_OPS:
                    recent.append(arg if isinstance(arg, str) else str(arg))
                elif name == "MEMOIZE":
                    if recent:
                        memo[len(memo)] = recent[-1]
                elif name in ("BINPUT", "LONG_BINPUT", "PUT"):
                    if recent:
                        memo[arg] = recent[-1]
                elif name in ("BINGET", "LONG_BINGET", "GET"):
                    v = memo.get(arg)
                    recent.append(v if isinstance(v, str) else None)
                elif name in ("GLOBAL", "INST"):
                    found.append(arg.replace(" ", "."))
                    recent.clear()
                elif name == "STACK_GLOBAL":
                    if len(recent) >= 2 and recent[-1] and recent[-2]:
                        found.append(f"{recent[-2]}.{recent[-1]}")
                    else:
                        found.append("<unresolved STACK_GLOBAL>")
                    recent.clear()
                elif name == "STOP":
                    last_stop = pos + at + 1
                    break
                elif name not in ("PROTO", "FRAME"):
                    recent.append(None)
                    del recent[:-2]
        except Exception:  # noqa: BLE001 - raw data after the pickles (legacy torch storages)
            break
        if last_stop is None:
            break
        pos = last_stop
        if pos < len(data) and data[pos] != 0x80:
            break
    return found


def decompress(data):
    for magic, fn in ((b"\x1f\x8b", gzip.decompress), (b"BZh", bz2.decompress), (b"\xfd7zXZ", lzma.decompress),
                      (b"\x5d\x00\x00", lzma.decompress)):
        if data.startswith(magic):
            return fn(data)
    if data[:1] == b"\x78":  # joblib zlib
        try:
            return zlib.decompress(data)
        except zlib.error:
            pass
    if data.startswith(b"\x04\x22\x4d\x18"):
        import lz4.frame

        return lz4.frame.decompress(data)
    return None


def pickles_in(path):
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for n in z.namelist():
                if n.endswith(".pkl"):
                    yield from [z.read(n)]
                elif n.endswith(".npy"):
                    yield from pickles_in_npy(z.read(n))
        return
    if data.startswith(b"\x93NUMPY"):
        yield from pickles_in_npy(data)
        return
    d = decompress(data)
    if d is not None:
        yield d
        return
    yield data


def pickles_in_npy(data):
    if not data.startswith(b"\x93NUMPY"):
        return
    hl = int.from_bytes(data[8:10], "little") if data[6] == 1 else int.from_bytes(data[8:12], "little")
    start = (10 if data[6] == 1 else 12) + hl
    yield data[start:]


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/real")
    by = collections.defaultdict(set)
    for p in sorted(root.rglob("*")):
        if not p.is_file() or p.name == "MANIFEST.tsv":
            continue
        lib = p.relative_to(root).parts[0]
        for data in pickles_in(p):
            for g in globals_of(data):
                by[(lib, g)].add(str(p.relative_to(root)))
    for (lib, g), files in sorted(by.items()):
        print(f"{lib}\t{g}\t{len(files)}")


if __name__ == "__main__":
    main()
