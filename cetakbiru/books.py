"""Build every book of every city: Markdown (kept beside the books), DOCX and PDF.

All cities are checked first; books are built in a staging folder and moved into place only when
every one of them succeeded, so a failed or killed build leaves the previous books untouched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
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
    fresh: bool = True  # built in this run (False: unchanged, its files were kept)


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


# What else decides a book's bytes besides its Markdown, figures and pictures: the publishing code,
# the pandoc template and filter, the fonts, and the tools' versions.
_TOOLCHAIN = ["cetakbiru/pdf.py", "cetakbiru/docx.py", "cetakbiru/lo_indexes.py", "cetakbiru/raster.py",
              "templates/pandoc", "fonts", "requirements.txt"]  # fmt: skip


@lru_cache(maxsize=1)
def _toolchain_digest() -> str:
    h = hashlib.sha256()
    for name in _TOOLCHAIN:
        path = ROOT / name
        for f in sorted([path] if path.is_file() else path.rglob("*")):
            if f.is_file():
                h.update(f.relative_to(ROOT).as_posix().encode())
                h.update(f.read_bytes())
    return h.hexdigest()


def book_key(city: City, rendered: render.RenderedBook, formats: tuple[str, ...]) -> str:
    """Content hash of everything a book is made from: same key, same files."""
    h = hashlib.sha256(_toolchain_digest().encode())
    h.update(",".join(sorted(formats)).encode())
    h.update(rendered.markdown.encode())
    h.update(repr(sorted(pdf_variables(city).items())).encode())
    for fig in rendered.figures:
        h.update(fig.svg.encode())
    logo = city.plan.dokumen.logo
    for relative in sorted({*rendered.images, *([logo.berkas] if logo is not None else [])}):
        h.update(relative.encode())
        h.update((city.path.parent / city.slug / relative).read_bytes())
    return h.hexdigest()


def _key_path(out_dir: Path, city: str, slug: str) -> Path:
    return out_dir / city / f".{slug}.kunci"


def _up_to_date(out_dir: Path, city: City, slug: str, key: str, formats: tuple[str, ...]) -> dict[str, Path] | None:
    """The existing files of a book whose key has not changed, or None."""
    key_file = _key_path(out_dir, city.slug, slug)
    files = {k: out_dir / city.slug / f"{slug}.{k}" for k in ("md", *formats)}
    if key_file.is_file() and key_file.read_text() == key and all(p.is_file() for p in files.values()):
        return files
    return None


def build_city(city: City, formats: tuple[str, ...], staging: Path, out_dir: Path = OUT_DIR) -> list[BuiltBook]:
    built = []
    for book in render.books_of(city.plan):
        rendered = render.render_book(city.plan, city.catalog, book)
        key = book_key(city, rendered, formats)
        existing = _up_to_date(out_dir, city, rendered.slug, key, formats)
        if existing is not None:  # unchanged since the last build: keep its files
            built.append(BuiltBook(city.slug, rendered.slug, rendered.title, existing, fresh=False))
            continue
        work = staging / city.slug / rendered.slug
        source = write_sources(city, rendered, work)
        (work / "kunci").write_text(key, encoding="utf-8")
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
        built = [b for city in cities for b in build_city(city, formats, staging, out_dir)]
        fresh = [b for b in built if b.fresh]
        if "docx" in formats:
            from . import docx

            docx.fill_fields([b.files["docx"] for b in fresh])  # one LibreOffice session for all
        for b in fresh:
            target_dir = out_dir / b.city
            target_dir.mkdir(parents=True, exist_ok=True)
            key = b.files["md"].parent / "kunci"
            for fmt_name, path in list(b.files.items()):
                target = target_dir / path.name
                os.replace(path, target)  # atomic per file, after everything succeeded
                b.files[fmt_name] = target
            for other in set(FORMATS) - set(formats):  # an older file in a format not built now is stale
                (target_dir / f"{b.slug}.{other}").unlink(missing_ok=True)
            os.replace(key, _key_path(out_dir, b.city, b.slug))  # last: a half-moved book is rebuilt
        return built
    finally:
        shutil.rmtree(staging, ignore_errors=True)
