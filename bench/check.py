#!/usr/bin/env python3
"""Benchmark `check`: prints medians and ratios against bare YAML parsing.

    .venv/bin/python bench/check.py [--runs N]

Figures, not assertions: speed is tracked here, never in timed tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from cetakbiru import pipeline  # noqa: E402


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    runs = ap.parse_args().runs
    cities = sorted((ROOT / "cities").glob("*.yaml"))
    texts = [p.read_text() for p in cities]
    size = sum(len(t) for t in texts)
    lines = sum(t.count("\n") for t in texts)
    five = ROOT / "tests" / "fixtures" / "lima-kesalahan.yaml"
    env = {**os.environ, "CETAKBIRU_NO_VENV": "1"}

    rows = [
        ("yaml.compose (CSafeLoader), all cities", median_time(lambda: [yaml.compose(t, Loader=yaml.CSafeLoader) for t in texts], runs)),
        ("yaml.safe_load (pure Python), all cities", median_time(lambda: [yaml.safe_load(t) for t in texts], runs)),
        ("pipeline.check(), all cities, in-process", median_time(lambda: pipeline.check(), runs)),
        ("pipeline.check(), five-mistake file", median_time(lambda: pipeline.check([str(five)]), runs)),
        ("`build.py check` (new process), all cities", median_time(
            lambda: subprocess.run([sys.executable, str(ROOT / "build.py"), "check"], env=env, capture_output=True), runs)),
        ("`build.py check` (new process), five-mistake file", median_time(
            lambda: subprocess.run([sys.executable, str(ROOT / "build.py"), "check", str(five)], env=env, capture_output=True), runs)),
    ]
    base = rows[0][1]
    print(f"{len(cities)} city files, {lines} lines, {size / 1024:.0f} KiB; median of {runs} runs")
    for name, t in rows:
        print(f"  {name:<52} {t * 1000:8.1f} ms   {t / base:6.1f}x compose")


if __name__ == "__main__":
    main()
