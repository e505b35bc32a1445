"""Build every book of every city: Markdown (kept beside the books), DOCX and PDF.

All cities are checked first; every book is built in a staging folder that becomes the next
version of the whole of `build/buku/` (unchanged books hard-linked from the current one), published
in one atomic rename (publish.py) only when every book succeeded: a failed or killed build leaves
the previous books untouched, and the next build cleans what it left.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2

from . import labels, pdf, pictures, publish, raster, render
from .paths import PACKAGE, SHARE, project
from .pipeline import City
from .problems import Abort, display_name, os_reason

OUT_DIR = project() / "build" / "buku"
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
    for relative in [*rendered.images, *([logo.berkas] if logo is not None else [])]:
        # the checked, re-encoded bytes (an SVG also gets its PNG, for Word), never the raw file
        for name, data in _picture_files(city, relative).items():
            target = work / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    path = work / f"{rendered.slug}.md"
    path.write_text(rendered.markdown, encoding="utf-8")
    return path


def pdf_variables(city: City) -> dict[str, str]:
    plan = city.plan
    out = {"cb-color": labels.book_color(plan), "cb-author": labels.author(plan.daerah)}
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
        # the package's own files, or a shipped resource (SHARE: the checkout, or the installed _share/)
        base = PACKAGE.parent if name.startswith("cetakbiru/") else SHARE
        path = base / name
        for f in sorted([path] if path.is_file() else path.rglob("*")):
            if f.is_file():
                h.update(f.relative_to(base).as_posix().encode())
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
        for name, data in sorted(_picture_files(city, relative).items()):  # what the book is made of
            h.update(name.encode())
            h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


def _picture_files(city: City, relative: str) -> dict[str, bytes]:
    """A city picture's safe files for a book (see pictures.book_files); a picture that changed
    since the check and is no longer usable stops the build with the checker's message."""
    try:
        return pictures.book_files(city.path.parent / city.slug, relative)
    except pictures.PictureError as e:
        raise Abort(f"{display_name(str(city.path))}: {e}") from None


def _key_path(out_dir: Path, city: str, slug: str) -> Path:
    return out_dir / city / f".{slug}.kunci"


def _digest(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _key_record(key: str, files: list[Path]) -> str:
    """The key file: the book's content key and the hash of each of its files."""
    return json.dumps({"kunci": key, "berkas": {p.name: _digest(p) for p in files}}, indent=1, sort_keys=True)


def _up_to_date(out_dir: Path, city: City, slug: str, key: str, formats: tuple[str, ...]) -> dict[str, Path] | None:
    """The existing files of a book whose key has not changed and whose files are the ones the key
    file recorded (a tampered, truncated or mixed book is rebuilt), or None."""
    files = {k: out_dir / city.slug / f"{slug}.{k}" for k in ("md", *formats)}
    try:
        record = json.loads(_key_path(out_dir, city.slug, slug).read_text(encoding="utf-8"))
        recorded = record["berkas"]
        if record["kunci"] != key or set(recorded) != {p.name for p in files.values()}:
            return None
        if all(_digest(p) == recorded[p.name] for p in files.values()):
            return files
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no key, a key of the previous format, a missing file: build it again
    return None


def build_city(city: City, formats: tuple[str, ...], staging: Path, out_dir: Path = OUT_DIR) -> list[BuiltBook]:
    built = []
    views = render.escaped_views(city.plan, city.catalog)  # once for all the city's books
    for book in render.books_of(city.plan):
        label = render.book_label(book)
        try:
            built.append(_build_book(city, book, formats, staging, out_dir, views))
        except Abort as e:
            raise Abort(f"{display_name(str(city.path))}: {label}: {e}") from None
        except jinja2.TemplateError as e:  # a template that cannot cope with this city: a bug, kept to this city
            raise Abort(f"{display_name(str(city.path))}: {label}: galat internal templat buku "
                        f"({type(e).__name__}: {e}); laporkan ke pengelola Cetak Biru") from None
        except OSError as e:  # disk full, a read-only folder...: which city, which book, which file
            where = f" ({display_name(os.fsdecode(e.filename))})" if e.filename else ""
            raise Abort(f"{display_name(str(city.path))}: {label}: gagal menulis{where}: {os_reason(e)}") from None
    return built


def _build_book(city: City, book, formats: tuple[str, ...], staging: Path, out_dir: Path, views) -> BuiltBook:
    rendered = render.render_book(city.plan, city.catalog, book, views)
    key = book_key(city, rendered, formats)
    existing = _up_to_date(out_dir, city, rendered.slug, key, formats)
    if existing is not None:  # unchanged since the last build: keep its files
        return BuiltBook(city.slug, rendered.slug, rendered.title, existing, fresh=False)
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
    return BuiltBook(city.slug, rendered.slug, rendered.title, files)


def build(cities: list[City], formats: tuple[str, ...] = FORMATS, out_dir: Path = OUT_DIR) -> list[BuiltBook]:
    """Build, then publish atomically: `out_dir` shows the whole previous version of every book until
    the build is done, then the whole new one (publish.py). One build at a time per `out_dir`.
    A city whose book fails keeps its previous books and does not stop the others; the build
    then ends with an Abort naming each failed city, book and file, after publishing the rest."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise Abort(f"Format tidak dikenal: {', '.join(unknown)}. Pilihan: {', '.join(FORMATS)}.", code=2)
    if "docx" in formats:
        from . import docx

        docx.require_libreoffice()  # before any work, not after every book was rendered
    with publish.locked(out_dir):
        previous = publish.recover(out_dir, junk=(".staging-*",))
        raster.sweep()  # what a killed build left in the temporary folder
        staging = publish.stage(out_dir)
        try:
            work = staging / ".kerja"  # sources and fresh files; never part of a version
            built, failed = [], []
            for city in cities:  # one city's failure keeps its previous books and stops no other city
                try:
                    built += build_city(city, formats, work, out_dir)
                except Abort as e:
                    failed.append(str(e))
                    shutil.rmtree(work / city.slug, ignore_errors=True)
            fresh = [b for b in built if b.fresh]
            if "docx" in formats:
                from . import docx

                docx.fill_fields([b.files["docx"] for b in fresh])  # one LibreOffice session for all
            if not fresh and previous is not None:
                _raise_failures(failed, cities)
                return built  # nothing changed: the current version stays, untouched
            if previous is not None:
                publish.link_tree(previous, staging)  # unchanged books: the same files, not copies
                publish.fault("copied", out_dir.name)
            for b in fresh:
                target_dir = staging / b.city
                target_dir.mkdir(parents=True, exist_ok=True)
                key = (b.files["md"].parent / "kunci").read_text(encoding="utf-8")
                for path in b.files.values():
                    os.replace(path, target_dir / path.name)  # replaces a link, never writes into it
                for other in set(FORMATS) - set(formats):  # an older file in a format not built now is stale
                    (target_dir / f"{b.slug}.{other}").unlink(missing_ok=True)
                key_file = _key_path(staging, b.city, b.slug)
                key_file.unlink(missing_ok=True)  # a hard link to the previous version's key
                key_file.write_text(_key_record(key, [target_dir / p.name for p in b.files.values()]),
                                    encoding="utf-8")
            shutil.rmtree(work, ignore_errors=True)
            publish.commit(out_dir, staging)
        finally:
            publish.discard(staging)
    for b in fresh:
        b.files = {fmt_name: out_dir / b.city / path.name for fmt_name, path in b.files.items()}
    _raise_failures(failed, cities)
    return built


def _raise_failures(failed: list[str], cities: list[City]) -> None:
    if failed:
        others = len(cities) - len(failed)
        kept = f"; buku {others} kota lainnya sudah diterbitkan" if others else ""
        raise Abort("\n".join(failed) + f"\nBuku {len(failed)} kota gagal dibuat dan buku lamanya dipertahankan{kept}.")
