#!/usr/bin/env python3
"""Benchmark `check`: prints medians and ratios against bare YAML parsing.

    .venv/bin/python bench/check.py [--runs N]

Besides the samples, it times two hostile files generated here: one just under the 4 MB limit built
to be slow (see `hostile_city`, also used by tests/test_hostile_input.py as a hang guard), and 12,000
references to missing codes among 6,000 codes (the did-you-mean once made this quadratic: 373 s).

Figures, not assertions: speed is tracked here, never in timed tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from cetakbiru import pipeline  # noqa: E402
from cetakbiru.load import MAX_BYTES, MAX_DEPTH  # noqa: E402

_HEAD = """\
dokumen:
  periode: {mulai: 2025, selesai: 2034}
  status: draf
  tanggal: 2024-10-04
daerah:
  jenis: kota
  nama: Contoh
  kode_wilayah: "99.71"
  provinsi: Jawa Barat
  kepala_daerah: {nama: Budi Santoso}
  luas_km2: 120.5
  penduduk: {jumlah: 250000, tahun: 2023, sumber: BPS}
  jumlah_kecamatan: 5
visi:
  teks: Kota Contoh yang Cerdas
misi:
  - kode: M1
    teks: Meningkatkan layanan publik digital
strategi:
  - kode: SG-S1
    dimensi: SG
    sub_dimensi: SG1
    misi: M1
    uraian: Mengintegrasikan layanan publik
"""
_PROSE = ("Pemerintah daerah **mengintegrasikan** layanan publik digital, termasuk *perizinan* dan "
          "kependudukan, sesuai [rencana](https://contoh.go.id/rencana) yang ditetapkan. ")


def missing_references(codes: int = 6000, references: int = 12000) -> str:
    """`codes` programs, then `references` activities each naming a program that does not exist."""
    out = [_HEAD, "opd:\n  - {kode: DISKOMINFO, singkatan: Diskominfo, nama: Dinas Komunikasi}\nprogram:\n"]
    for i in range(codes):
        out.append(f"  - kode: SG-P{i:05d}\n    nama: Program {i}\n    strategi: SG-S1\n    jangka: menengah\n"
                   "    opd_pj: DISKOMINFO\n")
    out.append("rencana_aksi:\n")
    for i in range(references):
        out.append(f"  - kode: K{i:05d}\n    program: SG-Q{i:05d}\n    kegiatan: k\n")
    return "".join(out)


def hostile_city(limit: int = MAX_BYTES - 64 * 1024) -> str:
    """A city file just under the size limit, built to be slow to check: thousands of codes and
    references to missing ones, unknown keys that each get a did-you-mean, nesting just inside the
    depth limit, and long texts (plain and Markdown, just inside the length limit of one value)."""
    deep = "[" * (MAX_DEPTH - 3) + "x" + "]" * (MAX_DEPTH - 3)  # under daerah.<unknown>: legal depth
    out = [_HEAD.replace("  jumlah_kecamatan: 5\n", "  jumlah_kecamatan: 5\n" + "".join(
        f"  lapisan_{i}: {deep}\n" for i in range(200))), "opd:\n"]
    out += [f"  - {{kode: OPD{i:04d}, singkatan: O{i}, nama: Dinas {i}, kolom_{i}: x}}\n" for i in range(1500)]
    out.append("program:\n")
    for i in range(3000):  # each names a missing strategy and OPD; each has a misspelt field
        out.append(f"  - kode: SG-P{i:05d}\n    nama: Program {i}\n    strategi: SG-T{i}\n    jangka: menengah\n"
                   f"    tahun_mulai: 2025\n    tahun_selesai: 2029\n    opd_pj: OPX{i:04d}\n"
                   f"    deskripsi: Uraian {i}.\n    keluaraan{i}: x\n")
    out.append("  - kode: SG-PANJANG\n    nama: " + "Teks panjang " * 1500 + "\n    strategi: SG-S1\n"
               "    jangka: menengah\n    tahun_mulai: 2025\n    tahun_selesai: 2029\n    opd_pj: OPD0001\n"
               "    deskripsi: |\n" + "".join(f"      {_PROSE * 4}\n\n" for _ in range(25)))
    out.append("rencana_aksi:\n")
    size, i = sum(len(x) for x in out), 0
    while True:  # activities naming missing programs and OPDs, with an unknown field each
        item = (f"  - kode: K{i:06d}\n    program: SG-Q{i:05d}\n    opd: OPY{i:05d}\n    kegiatan: Kegiatan {i}\n"
                f"    indikator: Indikator\n    satuan: unit\n    sumber_dana{i}: APBD\n"
                f"    anggaran: {{2025: {{APBN: 1}}, 2026: {{APBE: 2}}}}\n")
        if size + len(item) > limit:
            break
        out.append(item)
        size += len(item)
        i += 1
    return "".join(out)


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
    work = Path(tempfile.mkdtemp(prefix="bench-check-"))
    hostile, missing = work / "kota-lambat.yaml", work / "kota-kode-hilang.yaml"
    hostile.write_text(hostile_city(), encoding="utf-8")
    missing.write_text(missing_references(), encoding="utf-8")
    few = max(1, min(runs, 3))  # the hostile files take seconds each

    rows = [
        ("yaml.compose (CSafeLoader), all cities", median_time(
            lambda: [yaml.compose(t, Loader=yaml.CSafeLoader) for t in texts], runs)),
        ("yaml.safe_load (pure Python), all cities", median_time(lambda: [yaml.safe_load(t) for t in texts], runs)),
        ("pipeline.check(), all cities, in-process", median_time(lambda: pipeline.check(), runs)),
        ("pipeline.check(), five-mistake file", median_time(lambda: pipeline.check([str(five)]), runs)),
        ("`build.py check` (new process), all cities", median_time(
            lambda: subprocess.run([sys.executable, str(ROOT / "build.py"), "check"], env=env, capture_output=True),
            runs)),
        ("`build.py check` (new process), five-mistake file", median_time(
            lambda: subprocess.run([sys.executable, str(ROOT / "build.py"), "check", str(five)], env=env,
                                   capture_output=True), runs)),
    ]
    base = rows[0][1]
    print(f"{len(cities)} city files, {lines} lines, {size / 1024:.0f} KiB; median of {runs} runs")
    for name, t in rows:
        print(f"  {name:<52} {t * 1000:8.1f} ms   {t / base:6.1f}x compose")

    for path, label in ((hostile, "hostile file, just under 4 MB"), (missing, "12,000 references to missing codes")):
        text = path.read_text(encoding="utf-8")
        rows = [
            ("yaml.compose (CSafeLoader)", median_time(partial(yaml.compose, text, Loader=yaml.CSafeLoader), few)),
            ("pipeline.check(), in-process", median_time(partial(pipeline.check, [str(path)]), few)),
            ("`build.py check` (new process)", median_time(
                partial(subprocess.run, [sys.executable, str(ROOT / "build.py"), "check", str(path)], env=env,
                        capture_output=True), few)),
        ]
        base = rows[0][1]
        print(f"{label}: {text.count(chr(10))} lines, {len(text.encode()) / 1024:.0f} KiB; median of {few} runs")
        for name, t in rows:
            print(f"  {name:<52} {t * 1000:8.1f} ms   {t / base:6.1f}x compose")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
