"""Build every book of every city: Markdown (kept beside the books), DOCX and PDF.

All cities are checked first; every book is built in a staging folder that becomes the next
version of the whole of `build/buku/` (unchanged books hard-linked from the current one), published
in one atomic rename (publish.py) only when every book succeeded: a failed or killed build leaves
the previous books untouched, and the next build cleans what it left.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2

from . import labels, pdf, pictures, publish, raster, render, tasks
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


@dataclass
class Prepared:
    """A city's books after rendering: the unchanged ones (kept) and the sources of the new ones."""

    city: City
    books: list[BuiltBook]  # in book order; a fresh one's files are those still to be made
    new_source: bool  # its last good version changed: written to `work/<city>/.sumber/`


def prepare_city(city: City, formats: tuple[str, ...], work: Path, out_dir: Path) -> Prepared:
    """Task: render every book of a city, keep those whose content key is unchanged, and write the
    sources (Markdown, figures, pictures, key) of the others into `work/<city>/<book>/`; the same
    for the city's last good version (`snapshot`) when it is not the published one."""
    books = []
    views = render.escaped_views(city.plan, city.catalog)  # once for all the city's books
    for book in render.books_of(city.plan):
        with _failure(city, render.book_label(book)):
            books.append(_prepare_book(city, book, formats, work, out_dir, views))
    with _failure(city, SNAPSHOT):
        files = snapshot(city)
        new_source = files != _snapshot_of(out_dir / city.slug)
        for name, data in files.items() if new_source else ():
            (work / city.slug / SNAPSHOT / name).parent.mkdir(parents=True, exist_ok=True)
            (work / city.slug / SNAPSHOT / name).write_bytes(data)
    return Prepared(city, books, new_source)


def _prepare_book(city: City, book, formats: tuple[str, ...], work: Path, out_dir: Path, views) -> BuiltBook:
    rendered = render.render_book(city.plan, city.catalog, book, views)
    key = book_key(city, rendered, formats)
    existing = _up_to_date(out_dir, city, rendered.slug, key, formats)
    if existing is not None:  # unchanged since the last build: keep its files
        return BuiltBook(city.slug, rendered.slug, rendered.title, existing, fresh=False)
    folder = work / city.slug / rendered.slug
    source = write_sources(city, rendered, folder)
    (folder / "kunci").write_text(key, encoding="utf-8")
    files = {"md": source, **{fmt_name: folder / f"{rendered.slug}.{fmt_name}" for fmt_name in formats}}
    return BuiltBook(city.slug, rendered.slug, rendered.title, files)


def make(city: City, book: BuiltBook, fmt_name: str) -> Path:
    """Task: one book in one format, from the sources `prepare_city` wrote."""
    source, target = book.files["md"], book.files[fmt_name]
    with _failure(city, book.title):
        if fmt_name == "pdf":
            pdf.build(source, target, paper=city.plan.dokumen.gaya.kertas, variables=pdf_variables(city))
        else:
            from . import docx

            docx.build(source, target, city=city, title=book.title)
            docx.fill_fields([target])  # this process's LibreOffice, kept for its next DOCX
    return target


@contextlib.contextmanager
def _failure(city: City, label: str) -> Iterator[None]:
    """Any failure of a book as one Indonesian message naming the city, the book and the file."""
    try:
        yield
    except Abort as e:
        raise Abort(f"{display_name(str(city.path))}: {label}: {e}") from None
    except jinja2.TemplateError as e:  # a template that cannot cope with this city: a bug, kept to this city
        raise Abort(f"{display_name(str(city.path))}: {label}: galat internal templat buku "
                    f"({type(e).__name__}: {e}); laporkan ke pengelola Cetak Biru") from None
    except OSError as e:  # disk full, a read-only folder...: which city, which book, which file
        where = f" ({display_name(os.fsdecode(e.filename))})" if e.filename else ""
        raise Abort(f"{display_name(str(city.path))}: {label}: gagal menulis{where}: {os_reason(e)}") from None


class _Graph:
    """The books of every city as tasks: a city is rendered (`prepare_city`), then each of its new
    books is made in each format (`make`), all on the runner's processes. At most a few tasks per
    process wait in the queue, so memory stays flat whatever the number of cities. A city whose
    rendering or any book fails is set aside whole (its work deleted, its message kept); the others
    go on."""

    def __init__(self, runner: tasks.Runner, formats: tuple[str, ...], work: Path, out_dir: Path, progress):
        self.runner, self.formats, self.work, self.out_dir = runner, formats, work, out_dir
        self.progress = progress
        self.pending: dict = {}  # future -> (kind, city slug, book)
        self.open: dict[str, list] = {}  # city slug -> [City, its books, tasks still running]
        self.built: dict[str, list[BuiltBook]] = {}
        self.failed: dict[str, str] = {}
        self.formats_left: dict[tuple[str, str], int] = {}  # (city, book) -> formats still being made
        self.new_sources: set[str] = set()  # cities whose last good version changed

    def run(self, cities: list[City]) -> tuple[list[BuiltBook], dict[str, str]]:
        queue = iter(cities)
        limit = 2 * self.runner.jobs
        while True:
            while len(self.pending) < limit and (city := next(queue, None)) is not None:
                self.open[city.slug] = [city, [], 0]
                self._submit("city", city.slug, None, prepare_city, city, self.formats, self.work, self.out_dir)
            if not self.pending:
                break
            for future in self.runner.wait(list(self.pending)):
                self._finished(future, *self.pending.pop(future))
        order = {c.slug: i for i, c in enumerate(cities)}
        books = [b for slug in sorted(self.built, key=order.__getitem__) for b in self.built[slug]]
        return books, {c.slug: self.failed[c.slug] for c in cities if c.slug in self.failed}

    def _submit(self, kind: str, slug: str, book, fn, *args) -> None:
        self.pending[self.runner.submit(fn, *args)] = (kind, slug, book)
        self.open[slug][2] += 1

    def _finished(self, future, kind: str, slug: str, book) -> None:
        entry = self.open[slug]
        entry[2] -= 1
        error = future.exception()
        if error is not None and slug not in self.failed:
            if isinstance(error, BrokenProcessPool):  # not this city's fault; its next build will tell
                error = Abort(f"{display_name(str(entry[0].path))}: proses pekerja berhenti mendadak "
                              "(kehabisan memori?); coba lagi, atau kurangi --jobs")
            if not isinstance(error, Abort):
                raise error  # a bug: the build stops with it (cli.py says so)
            self.failed[slug] = str(error)
        elif error is None and slug not in self.failed and kind == "city":
            prepared = future.result()
            entry[0] = prepared.city  # the worker's copy is the same city
            entry[1] = prepared.books
            if prepared.new_source:
                self.new_sources.add(slug)
            for b in prepared.books:
                if b.fresh:
                    self.formats_left[slug, b.slug] = len(self.formats)
                    for fmt_name in self.formats:
                        self._submit("book", slug, b, make, prepared.city, b, fmt_name)
                else:
                    self.progress.book(slug, b.title, fresh=False)
        elif error is None and kind == "book" and slug not in self.failed:
            self.formats_left[slug, book.slug] -= 1
            if not self.formats_left[slug, book.slug]:
                self.progress.book(slug, book.title, fresh=True)
        if entry[2] == 0:  # the city is done: every task it had has ended
            del self.open[slug]
            if slug in self.failed:
                shutil.rmtree(self.work / slug, ignore_errors=True)
                self.progress.city(slug, failed=self.failed[slug])
            else:
                self.built[slug] = entry[1]
                self.progress.city(slug, failed=None)


def build(cities: list[City], formats: tuple[str, ...] = FORMATS, out_dir: Path = OUT_DIR, *,
          jobs: int | None = 1, progress=None) -> list[BuiltBook]:
    """`build_all`, ending with an Abort that names each failed city, book and file (after
    publishing the others)."""
    built, failed = build_all(cities, formats, out_dir, jobs=jobs, progress=progress)
    _raise_failures(list(failed.values()), cities)
    return built


def build_all(cities: list[City], formats: tuple[str, ...] = FORMATS, out_dir: Path = OUT_DIR, *,
              jobs: int | None = 1, progress=None) -> tuple[list[BuiltBook], dict[str, str]]:
    """Build, then publish atomically: `out_dir` shows the whole previous version of every book until
    the build is done, then the whole new one (publish.py). One build at a time per `out_dir`.
    The work runs on `jobs` processes (tasks.py; None: every core). A city whose book fails keeps
    its previous books and does not stop the others. Returns the books of the cities that were
    built, and a message per city that failed (by slug).

    Beside each city's books, `<city>/.sumber/` keeps the city file and pictures they were built
    from: the city's last good version, which the next build publishes again if the city fails."""
    from .progress import Silent

    progress = progress or Silent()
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
            progress.begin(len(cities))
            with tasks.Runner(min(jobs or tasks.default_jobs(), max(1, len(cities) * len(formats) * 4))) as runner:
                graph = _Graph(runner, formats, work, out_dir, progress)
                built, failed = graph.run(cities)
            fresh = [b for b in built if b.fresh]
            changed = sorted(graph.new_sources - set(failed))
            if not fresh and not changed and previous is not None:
                publish.confirm(out_dir)
                return built, failed  # nothing changed: the current version stays, untouched
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
            for slug in changed:
                folder = staging / slug / SNAPSHOT
                shutil.rmtree(folder, ignore_errors=True)  # hard links to the previous version's
                folder.parent.mkdir(parents=True, exist_ok=True)
                os.replace(work / slug / SNAPSHOT, folder)
            shutil.rmtree(work, ignore_errors=True)
            publish.commit(out_dir, staging)
        finally:
            progress.end()
            publish.discard(staging)
    for b in fresh:
        b.files = {fmt_name: out_dir / b.city / path.name for fmt_name, path in b.files.items()}
    return built, failed


SNAPSHOT = ".sumber"  # pipeline.SNAPSHOT


def snapshot(city: City) -> dict[str, bytes]:
    """A city's last good version: its file as checked, and the pictures it names as the build
    uses them (re-encoded), by path inside `<city>/.sumber/`."""
    files = {f"{city.slug}.yaml": city.text.encode("utf-8")}
    for g in pictures.named(city.plan):
        try:
            files[f"{city.slug}/{g.berkas}"] = pictures.clean_file(city.path.parent / city.slug, g.berkas)
        except pictures.PictureError as e:  # changed since the check
            raise Abort(f"{display_name(str(city.path))}: {e}") from None
    return files


def _snapshot_of(folder: Path) -> dict[str, bytes]:
    base = folder / SNAPSHOT
    if not base.is_dir():
        return {}
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


def _raise_failures(failed: list[str], cities: list[City]) -> None:
    if failed:
        others = len(cities) - len(failed)
        kept = f"; buku {others} kota lainnya sudah diterbitkan" if others else ""
        raise Abort("\n".join(failed) + f"\nBuku {len(failed)} kota gagal dibuat dan buku lamanya dipertahankan{kept}.")
