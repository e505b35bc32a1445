#!/usr/bin/env python3
"""Render a few pages of each book of a sample city to PNG for the docs (content/contoh-buku/).

    .venv/bin/python tools/page_images.py [CITY]   # after `python3 build.py books CITY`

Picks the cover, the Daftar Isi, the first chapter, the first page with a figure and the first
landscape page of each PDF, plus one spread (two facing pages, as the printed book opens: an even
page on the left, an odd one on the right) around the first figure or the first chapter, and
writes content/contoh-buku.md around them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pypdf
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "content" / "contoh-buku"


def pick(reader: pypdf.PdfReader) -> list[tuple[str, int]]:
    texts = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
    chosen = [("Sampul", 0)]

    def first(label, test):
        for i, t in enumerate(texts):
            if test(i, t) and i not in [c[1] for c in chosen]:
                chosen.append((label, i))
                return

    first("Daftar isi", lambda i, t: t.startswith(tuple(["DAFTAR ISI"])) or " DAFTAR ISI " in t[:80])
    first("Bab pertama", lambda i, t: "BAB I " in t[:120])
    first("Halaman bergambar", lambda i, t: re.search(r"Gambar \d+\.\d+ \S", t) and "DAFTAR GAMBAR" not in t)
    first("Halaman lanskap", lambda i, t: reader.pages[i].mediabox.width > reader.pages[i].mediabox.height)
    return chosen


def spread(reader: pypdf.PdfReader, chosen: list[tuple[str, int]]) -> tuple[int, int]:
    """The facing pages (0-based) around the first figure page, else the first chapter: in print,
    page 1 is a right-hand page, so even page numbers stand on the left."""
    index = dict(chosen).get("Halaman bergambar", dict(chosen).get("Bab pertama", 1))
    left = index if (index + 1) % 2 == 0 else index - 1
    return left, min(left + 1, len(reader.pages) - 1)


def render_spread(pdf: Path, pages: tuple[int, int], name: str) -> None:
    parts = []
    for number in pages:
        target = OUT / f"{name}-{number + 1:03d}"
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(number + 1), "-l", str(number + 1),
                        str(pdf), str(target)], check=True)
        parts.append(target.with_suffix(".png"))
    images = [Image.open(p) for p in parts]
    gap = 12
    sheet = Image.new("RGB", (sum(i.width for i in images) + gap, max(i.height for i in images)), "#d9d9d9")
    sheet.paste(images[0], (0, 0))
    sheet.paste(images[1], (images[0].width + gap, 0))
    sheet.save(OUT / f"{name}.png", optimize=True)
    for p in parts:
        p.unlink()


def main() -> None:
    city = sys.argv[1] if len(sys.argv) > 1 else "tanjungpinang"
    books = sorted((ROOT / "build" / "buku" / city).glob("*.pdf"))
    if not books:
        raise SystemExit(f"Belum ada buku untuk {city}: jalankan dulu python3 build.py books {city}")
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):  # page numbers move from one version of the books to the next
        old.unlink()
    lines = ["# Contoh halaman buku", "",
             f"Halaman contoh dari buku yang dihasilkan Cetak Biru untuk data contoh **{city}** "
             "(sebagian isinya ilustratif). Setiap kota mendapat buku yang sama susunannya dari berkas YAML-nya.", ""]
    for pdf in books:
        reader = pypdf.PdfReader(pdf)
        lines += [f"## {reader.metadata.title or pdf.stem}", "", f"{len(reader.pages)} halaman.", ""]
        chosen = pick(reader)
        for label, index in chosen:
            name = f"{pdf.stem}-{index + 1:03d}"
            subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", "-f", str(index + 1), "-l", str(index + 1),
                            str(pdf), str(OUT / name)], check=True)
            lines.append(f"![{label}, halaman {index + 1}](contoh-buku/{name}.png){{ width=\"180\" }}")
        left, right = spread(reader, chosen)
        name = f"{pdf.stem}-berhadapan"
        render_spread(pdf, (left, right), name)
        lines += ["", f"Halaman berhadapan {left + 1} dan {right + 1}, seperti buku cetak dibuka:", "",
                  f"![Halaman {left + 1} dan {right + 1}](contoh-buku/{name}.png){{ width=\"720\" }}"]
        lines.append("")
    (ROOT / "content" / "contoh-buku.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"{len(list(OUT.glob('*.png')))} gambar di {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
