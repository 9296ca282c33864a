"""Fan `mlsc scan` out over a list of repositories with Ray Data, and merge the JSON lines.

    pip install 'ray[data]'          # on the driver and the workers; mlsc on every worker's PATH
    python ray_scan.py repos.txt --shards 64 --out all.jsonl

Each task runs `mlsc scan --shard I/N` over the whole list (the split is by a stable hash of each line, so the N
tasks together scan every line exactly once) and returns its JSON lines; the driver writes them sorted by `uri`.
A shard that exits 2 (something could not be read) is retried by Ray; exit 1 (findings) is a result.
"""

import argparse
import json
import subprocess

import ray


def scan_shard(batch, list_text, shards, jobs, cache):
    rows = []
    for index in batch["index"]:
        cmd = ["mlsc", "scan", "--from", "-", "--shard", f"{index}/{shards}", "--jobs", str(jobs), "--format", "jsonl"]
        if cache:
            cmd += ["--cache", cache]
        proc = subprocess.run(cmd, input=list_text, capture_output=True, text=True, check=False)
        if proc.returncode not in (0, 1):
            raise RuntimeError(f"shard {index}/{shards} exited {proc.returncode}: {proc.stderr.strip()}")
        rows.extend({"record": line} for line in proc.stdout.splitlines() if line.strip())
    return {"record": [r["record"] for r in rows]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("list")
    ap.add_argument("--shards", type=int, default=16)
    ap.add_argument("--jobs", type=int, default=8)
    ap.add_argument("--cache", default=None, help="a folder every worker sees (shared file system)")
    ap.add_argument("--out", default="all.jsonl")
    args = ap.parse_args()
    list_text = open(args.list, encoding="utf-8").read()

    ray.init()
    ds = ray.data.range(args.shards).map_batches(
        scan_shard,
        batch_size=1,
        fn_kwargs={"list_text": list_text, "shards": args.shards, "jobs": args.jobs, "cache": args.cache},
        max_retries=2,
    )
    records = [json.loads(row["record"]) for row in ds.iter_rows()]
    records.sort(key=lambda r: r["uri"])
    with open(args.out, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
    bad = sum(1 for r in records if r["verdict"]["assessment"] != "clean")
    errors = sum(1 for r in records if r["verdict"]["completeness"] == "error")
    print(f"{len(records)} artefacts, {bad} not clean, {errors} unreadable -> {args.out}")


if __name__ == "__main__":
    main()
