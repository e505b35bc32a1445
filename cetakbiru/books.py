"""Build every book of every city: Markdown (kept beside the books), DOCX and PDF.

All cities are checked first; books are built in a staging folder and moved into place only when
every one of them succeeded, so a failed or killed build leaves the previous books untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import pdf, render
from .pipeline import City
from .problems import Abort

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "build" / "buku"
FORMATS = ("docx", "pdf")


@dataclass
class BuiltBook:
    city: str
    slug: str
    title: str
    files: dict[str, Path]  # format -> final path


def write_sources(city: City, rendered: render.RenderedBook, work: Path) -> Path:
    """The book's Markdown and its figures (SVG for PDF, PNG for Word) in `work`."""
    from .raster import to_png

    work.mkdir(parents=True, exist_ok=True)
    figures = work / "figures"
    figures.mkdir(exist_ok=True)
    for fig in rendered.figures:
        (figures / f"{fig.slug}.svg").write_text(fig.svg, encoding="utf-8")
        (figures / f"{fig.slug}.png").write_bytes(to_png(fig.svg, fig.width_mm))
    logo = city.plan.dokumen.logo
    pictures = [*rendered.images, *([logo.berkas] if logo is not None else [])]
    for relative in pictures:  # paths were checked to stay inside cities/<slug>/
        target = work / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(city.path.parent / city.slug / relative, target)
    path = work / f"{rendered.slug}.md"
    path.write_text(rendered.markdown, encoding="utf-8")
    return path


def pdf_variables(city: City) -> dict[str, str]:
    plan = city.plan
    jenis = "Kota" if plan.daerah.jenis == "kota" else "Kabupaten"
    out = {"cb-color": plan.dokumen.gaya.warna_utama or "#1F4E79", "cb-author": f"Pemerintah {jenis} {plan.daerah.nama}"}
    if plan.dokumen.logo:
        out["cb-logo"] = plan.dokumen.logo.berkas
        out["cb-logo-alt"] = plan.dokumen.logo.alt
    return out


def build_city(city: City, formats: tuple[str, ...], staging: Path) -> list[BuiltBook]:
    built = []
    for book in render.books_of(city.plan):
        rendered = render.render_book(city.plan, city.catalog, book)
        work = staging / city.slug / rendered.slug
        source = write_sources(city, rendered, work)
        files = {"md": source}
        if "pdf" in formats:
            files["pdf"] = work / f"{rendered.slug}.pdf"
            pdf.build(source, files["pdf"], paper=city.plan.dokumen.gaya.kertas, variables=pdf_variables(city))
        if "docx" in formats:
            from . import docx

            files["docx"] = work / f"{rendered.slug}.docx"
            docx.build(source, files["docx"], city=city, title=rendered.title)
        built.append(BuiltBook(city.slug, rendered.slug, rendered.title, files))
    return built


def build(cities: list[City], formats: tuple[str, ...] = FORMATS, out_dir: Path = OUT_DIR) -> list[BuiltBook]:
    """Build, then publish atomically: nothing in `out_dir` changes unless every book was built."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise Abort(f"Format tidak dikenal: {', '.join(unknown)}. Pilihan: {', '.join(FORMATS)}.", code=2)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    try:
        built = [b for city in cities for b in build_city(city, formats, staging)]
        if "docx" in formats:
            from . import docx

            docx.fill_fields([b.files["docx"] for b in built])  # one LibreOffice session for all
        for b in built:
            target_dir = out_dir / b.city
            target_dir.mkdir(parents=True, exist_ok=True)
            for fmt_name, path in list(b.files.items()):
                target = target_dir / path.name
                os.replace(path, target)  # atomic per file, after everything succeeded
                b.files[fmt_name] = target
        return built
    finally:
        shutil.rmtree(staging, ignore_errors=True)
