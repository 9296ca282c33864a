"""Threads calling mlsc at once: the same answers as one at a time, and the GIL released while Rust works."""

from __future__ import annotations

import pickle
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import mlsc
from conftest import PICKLE, ROOT, SCAN, without_timing


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_concurrent_scans_agree_with_sequential_ones():
    targets = [str(p.relative_to(ROOT)) for d in (SCAN, PICKLE) for p in sorted(d.iterdir()) if p.is_dir()]
    targets += ["examples/hf-model"]
    sequential = {t: without_timing(mlsc.scan(t)) for t in targets}
    jobs = targets * 4
    with ThreadPoolExecutor(8) as pool:
        concurrent = list(pool.map(lambda t: (t, without_timing(mlsc.scan(t))), jobs))
    assert len(concurrent) == len(jobs)
    for t, report in concurrent:
        assert report == sequential[t], t
    assert any(a["verdict"]["assessment"] == "malicious" for r in sequential.values() for a in r["artifacts"])


def _slow_input():
    """A clean pickle that takes the scanner at least 0.3 s (doubling from 100k items; about 1 s for 1M items in
    a debug build, 15 MB), so the measurement below is not at the scale of the interpreter's 5 ms switch interval."""
    n = 100_000
    while True:
        data = pickle.dumps([(i, str(i)) for i in range(n)], protocol=4)
        start = time.perf_counter()
        mlsc.scan_bytes(data)
        if time.perf_counter() - start >= 0.3 or n >= 1_600_000:
            return data
        n *= 2


def test_the_gil_is_released_while_rust_scans():
    data = _slow_input()
    done = threading.Event()

    def work():
        mlsc.scan_bytes(data)
        done.set()

    worker = threading.Thread(target=work)
    start = time.perf_counter()
    worker.start()
    # While the worker is inside Rust, this thread must keep running: with the GIL held it would get no turn at all
    # until the call returned (at most one wake-up at the start, before the worker entered Rust).
    wakeups = 0
    while not done.is_set():
        time.sleep(0.005)
        wakeups += 1
    worker.join()
    elapsed = time.perf_counter() - start
    assert elapsed >= 0.1, "the input was too small to measure anything"
    assert wakeups >= 10, f"{wakeups} wake-ups in {elapsed:.2f} s: the GIL was held during the scan"


def test_threads_scanning_bytes_and_paths_at_once():
    evil = (PICKLE / "malicious" / "reduce_os_system_p2.pkl").read_bytes()
    good = pickle.dumps({"weights": list(range(100))})

    def one(i):
        if i % 3 == 0:
            return mlsc.scan_bytes(evil, name=f"evil{i}")["artifacts"][0]["verdict"]["assessment"] == "malicious"
        if i % 3 == 1:
            return mlsc.scan_bytes(good, name=f"good{i}")["artifacts"][0]["verdict"]["assessment"] == "clean"
        return mlsc.scan("examples/hf-model/model.safetensors")["artifacts"][0]["verdict"]["assessment"] == "clean"

    with ThreadPoolExecutor(6) as pool:
        assert all(pool.map(one, range(60)))
