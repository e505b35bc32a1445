#!/usr/bin/env python3
"""Benchmark the books: each stage per book, against the bare pandoc and typst commands.

    .venv/bin/python bench/books.py [--runs N] [--city SLUG]

Prints medians in milliseconds and the ratio of our step to the bare tool doing the same
conversion with default settings (`pandoc x.md -o x.docx`, `pandoc x.md -t typst`, `typst compile`).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypandoc  # noqa: E402
import typst  # noqa: E402

from cetakbiru import books, docx, labels, pdf, pipeline, render  # noqa: E402


def _finish(src, out, reference, rendered, region):
    docx.to_docx(src, out, reference)
    docx.finish(out, paper="A4", title=rendered.title, region=region)


def timed(fn, runs):
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--city", default="tanjungpinang")
    args = ap.parse_args()
    city = pipeline.check([args.city]).cities[0]
    pandoc = pypandoc.get_pandoc_path()
    work = Path(tempfile.mkdtemp(prefix="cb-bench-"))
    print(f"{args.city}: median of {args.runs} runs, milliseconds")
    print(f"{'book':<28}{'render':>8}{'md→typ':>9}{'bare':>8}{'typ→pdf':>9}{'bare':>8}{'md→docx':>9}{'bare':>8}{'finish':>8}")
    docs = []
    totals = {"ours": 0.0, "bare": 0.0}
    for book in render.books_of(city.plan):
        rendered = render.render_book(city.plan, city.catalog, book)
        # each step bound to this book's values with partial (a lambda would see the loop's latest)
        t_render = timed(partial(render.render_book, city.plan, city.catalog, book), args.runs)
        src = books.write_sources(city, rendered, work / rendered.slug)
        typ = src.with_suffix(".typ")
        variables = books.pdf_variables(city)
        t_typ = timed(partial(pdf.to_typst, src, typ, paper="A4", variables=variables), args.runs)
        t_typ_bare = timed(partial(subprocess.run, [pandoc, str(src), "-t", "typst", "-o", str(work / "bare.typ")],
                                   cwd=src.parent, check=True, capture_output=True), args.runs)
        t_pdf = timed(partial(pdf.compile_pdf, typ, src.with_suffix(".pdf")), args.runs)
        t_pdf_bare = timed(partial(typst.compile, str(typ), output=str(work / "bare.pdf"), root=str(src.parent)),
                           args.runs)
        out = src.with_suffix(".docx")
        reference = docx.reference_doc(city.plan.dokumen.gaya.kertas, labels.book_color(city.plan))
        t_docx = timed(partial(docx.to_docx, src, out, reference), args.runs)
        t_docx_bare = timed(partial(subprocess.run, [pandoc, str(src), "-o", str(work / "bare.docx")],
                                    cwd=src.parent, check=True, capture_output=True), args.runs)
        finish = partial(_finish, src, out, reference, rendered, city.plan.daerah.nama)
        t_finish = timed(finish, args.runs) - t_docx
        docs.append(out)
        totals["ours"] += t_render + t_typ + t_pdf + t_docx + t_finish
        totals["bare"] += t_typ_bare + t_pdf_bare + t_docx_bare
        print(f"{rendered.slug:<28}{t_render*1e3:8.0f}{t_typ*1e3:9.0f}{t_typ_bare*1e3:8.0f}{t_pdf*1e3:9.0f}"
              f"{t_pdf_bare*1e3:8.0f}{t_docx*1e3:9.0f}{t_docx_bare*1e3:8.0f}{max(t_finish, 0)*1e3:8.0f}")
    t_fill = timed(lambda: docx.fill_fields(docs), 1)
    print(f"LibreOffice layout + filled lists, {len(docs)} DOCX in one session: {t_fill*1e3:.0f} ms")
    print(f"total per city without LibreOffice: ours {totals['ours']:.2f} s, bare tools {totals['bare']:.2f} s "
          f"(ratio {totals['ours'] / totals['bare']:.2f}); with LibreOffice: {totals['ours'] + t_fill:.2f} s")


if __name__ == "__main__":
    main()
