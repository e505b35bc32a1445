"""The whole job, top to bottom: `build()` finds the cities, loads and checks every one, then
builds the books and the site from them. Every command (check, books, site, serve, the bare
`build.py`) is this one function with other options; everything is gathered and checked before
anything is written.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import manifest
from . import model as m
from .catalog import Catalog, load_catalog
from .load import compose, read_text
from .paths import project
from .problems import Abort, Problem, Report, display_name
from .validate import build as build_model
from .validate import check_city

CITIES_DIR = project() / "cities"
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass
class City:
    """A city file that passed the checks, with its data and the shipped catalog."""

    slug: str
    path: Path
    plan: m.Masterplan
    catalog: Catalog
    text: str  # the file as it was read and checked: what its books keep as its last good version


@dataclass
class CheckResult:
    reports: list[Report] = field(default_factory=list)
    cities: list[City] = field(default_factory=list)
    files: int = 0
    failed: list[Path] = field(default_factory=list)  # city files with an error
    catalog: Catalog | None = None  # the shipped lists (None when they have an error)

    @property
    def problems(self) -> list[Problem]:
        return sorted((p for r in self.reports for p in r.problems), key=lambda p: (p.file, p.line, p.col))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


def city_files(targets: list[str] | None = None, cities_dir: Path = CITIES_DIR) -> list[Path]:
    """The files named by `targets` (a slug or a path each), or every `cities/*.yaml`.

    Every entry is returned as it is, links and folders included: reading refuses anything that
    is not a regular file with a located message (load.read_text), so one bad entry never hides
    the others. A name is found when the entry itself exists (lstat), not what it points at."""
    if not targets:
        return sorted(cities_dir.glob("*.yaml"))
    out = []
    for t in targets:
        path = Path(t)
        if path.suffix not in (".yaml", ".yml"):
            path = cities_dir / f"{t}.yaml"
        if not os.path.lexists(path):
            known = ", ".join(p.stem for p in sorted(cities_dir.glob("*.yaml"))) or "belum ada"
            raise Abort(f"Kota atau berkas '{t}' tidak ditemukan. Kota yang ada: {known}.", code=2)
        out.append(path)
    return out


def check_file(path: Path, catalog: Catalog) -> tuple[Report, m.Masterplan | None, str]:
    # A file makes hundreds of thousands of nodes and objects without cycles; the cyclic garbage
    # collector would scan them again and again (40% of the time on a 4 MB file).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _check_file(path, catalog)
    finally:
        if collecting:
            gc.enable()


def _check_file(path: Path, catalog: Catalog) -> tuple[Report, m.Masterplan | None, str]:
    report = Report(display_name(str(path)))
    if not SLUG_RE.match(path.stem):
        report.error((), f"nama berkas '{path.name}' harus huruf kecil, angka, dan tanda hubung, "
                     "misalnya kota-contoh.yaml")
    text = read_text(path, report)
    node = None if text is None else compose(text, report)
    if node is None:
        return report, None, text or ""
    plan = build_model(node, m.Masterplan, report, base_dir=path.parent / path.stem)
    if plan is not None:
        check_city(plan, catalog, report)
    return report, plan, text or ""


def check(targets: list[str] | None = None, *, cities_dir: Path = CITIES_DIR) -> CheckResult:
    """Load and check every city named (all by default), collecting every problem."""
    result = CheckResult()
    catalog, data_reports = load_catalog()
    result.reports.extend(r for r in data_reports if r.problems)
    result.catalog = catalog
    if catalog is None:
        return result
    for path in city_files(targets, cities_dir):
        report, plan, text = check_file(path, catalog)
        result.files += 1
        result.reports.append(report)
        if plan is not None and not report.errors:
            result.cities.append(City(path.stem, path, plan, catalog, text))
        else:
            result.failed.append(path)
    return result


# --- the whole job ------------------------------------------------------------------------------


def report(result: CheckResult, strict: bool, say: Callable[[str], None]) -> bool:
    """Say every problem and the summary; True when the files may be used (no error, and no
    warning under `strict`)."""
    problems = result.problems  # sorted once; said in one write (a hostile file has 100,000)
    if problems:
        say("\n".join(map(str, problems)))
    n_warn = sum(p.warning for p in problems)
    n_err = len(problems) - n_warn
    failing_files = len({p.file for p in problems if strict or not p.warning})
    if n_err or (strict and n_warn):
        mode = " (--strict)" if strict and n_warn else ""
        say(f"Gagal{mode}: {n_err} galat, {n_warn} peringatan, di {failing_files} berkas "
            f"({result.files} berkas kota diperiksa).")
        return False
    say(f"Pemeriksaan selesai: {result.files} berkas kota, 0 galat, {n_warn} peringatan.")
    return True


@dataclass
class BuildResult:
    """What one `build()` did: the check, the books it built or kept, the site it published."""

    checked: CheckResult
    ok: bool = False  # every city passed and was built (with `strict`, no warning either)
    books: list = field(default_factory=list)  # books.BuiltBook, in city and book order
    site: list = field(default_factory=list)  # site.SiteCity of every published city
    failed: dict[str, str] = field(default_factory=dict)  # slug -> why it was not built (it kept its last version)
    kept: list[str] = field(default_factory=list)  # failed cities whose last good version stays published
    unchanged: bool = False  # nothing changed since the last complete build: nothing was done


def _quiet(text: str) -> None:
    pass


def last_good(slug: str, books_dir: Path, catalog: Catalog) -> City | None:
    """The version of a city its published books were built from (books.py keeps it beside them),
    checked again; None when there is none or it no longer passes."""
    from .books import SNAPSHOT

    path = books_dir / slug / SNAPSHOT / f"{slug}.yaml"
    if not path.is_file():
        return None
    report, plan, text = check_file(path, catalog)
    if plan is None or report.errors:
        return None
    return City(slug, path, plan, catalog, text)


def build(targets: list[str] | None = None, *, books: bool = True, site: bool = True,
          formats: tuple[str, ...] = ("docx", "pdf"), strict: bool = False, say: Callable[[str], None] = _quiet,
          cities_dir: Path = CITIES_DIR, books_dir: Path | None = None, site_dir: Path | None = None,
          dev: bool = False, jobs: int | None = 1, progress=None) -> BuildResult:
    """The whole job, top to bottom, as every command runs it (`check`, `books`, `site`, `serve`
    and the bare `build.py`):

    0. when building, hash the inputs (every city file and folder, the shared code, templates and
       data, the options): equal to those of the last complete build, whose outputs are untouched,
       it stops there with `unchanged` (manifest.py);
    1. find the cities (`targets`, or every `cities/*.yaml`), load and check every one, say every
       problem. With `strict`, stop there (`ok` False) when there is any error or warning: all or
       nothing, for a consultant's own build. Otherwise a city with an error is set aside and
       keeps its last published version (its books and its pages), and every other city goes on;
    2. build the books of every checked city (books.py: rendered, built where their content key
       changed, on `jobs` processes, published atomically) — unless `books` is False. A city whose
       books fail is set aside the same way;
    3. build the site from exactly those books (site.py: pages, mkdocs, Pagefind, published
       atomically) — when `site` is True; it publishes every `final` or `ditetapkan` city.

    Nothing is written before every city has been checked. `ok` is False when any city was set
    aside (`failed` says why); what could be built is built and published all the same."""
    from . import books as book_step
    from . import site as site_step

    if books:  # nothing changed since the last complete build: nothing to do (manifest.py)
        books_dir = books_dir or book_step.OUT_DIR
        public_site = (site_dir or site_step.SITE_DIR) if site else None
        options = {"format": sorted(formats), "strict": strict, "pratinjau": dev, "buku": str(books_dir.absolute()),
                   "situs": str(public_site.absolute()) if public_site else None}
        inputs = manifest.Inputs.of(city_files(targets, cities_dir), options)
        if inputs.unchanged(books_dir, public_site):
            say(f"Tidak ada yang berubah sejak build terakhir ({inputs.cities} kota): "
                f"buku{' dan situs' if site else ''} tetap seperti adanya.")
            return BuildResult(CheckResult(files=inputs.cities), ok=True, unchanged=True)
        inputs.forget(books_dir)
    checked = check(targets, cities_dir=cities_dir)
    passed = report(checked, strict, say)
    result = BuildResult(checked, ok=passed)
    if not books or (strict and not passed):
        if books:
            say(f"{'Situs' if site else 'Buku'} tidak dibuat karena masih ada galat (--strict).")
        return result
    books_dir = books_dir or book_step.OUT_DIR
    cities = list(checked.cities)
    for path in checked.failed:
        result.failed[path.stem] = "tidak lolos pemeriksaan"
    catalog = checked.catalog
    cities += _last_good(result, books_dir, catalog)
    cities.sort(key=lambda c: c.slug)
    if cities:
        result.books, failures = book_step.build_all(cities, formats, out_dir=books_dir, jobs=jobs,
                                                     progress=progress)
        for slug, message in failures.items():
            say(message)
            result.failed[slug] = "bukunya gagal dibuat"
        failed_books = [c for c in cities if c.slug in failures]
        cities = [c for c in cities if c.slug not in failures] + _last_good(result, books_dir, catalog, failed_books)
        cities.sort(key=lambda c: c.slug)
    if result.failed:
        _say_failures(result, say)
    if site and cities:
        result.site = site_step.build(cities, books=result.books, books_dir=books_dir,
                                      out=site_dir or site_step.SITE_DIR, dev=dev)
    result.ok = passed and not result.failed
    if result.ok:
        inputs.record(books_dir, public_site)
    return result


def _last_good(result: BuildResult, books_dir: Path, catalog: Catalog | None, cities: list[City] | None = None,
               ) -> list[City]:
    """The last good version of each city that failed (those in `cities`, or those the check set
    aside), when its books have one; noted in `result.kept`."""
    from . import publish

    slugs = [c.slug for c in cities] if cities is not None else [s for s in result.failed if s not in result.kept]
    out: list[City] = []
    if catalog is None or not slugs:
        return out
    with publish.locked(books_dir, shared=True):  # one version of build/buku
        for slug in slugs:
            city = last_good(slug, books_dir, catalog) if SLUG_RE.match(slug) else None
            if city is not None:
                out.append(city)
                if slug not in result.kept:
                    result.kept.append(slug)
    return out


def _say_failures(result: BuildResult, say: Callable[[str], None]) -> None:
    lines = []
    for slug, why in sorted(result.failed.items()):
        kept = ("versi terakhir yang terbit dipertahankan" if slug in result.kept
                else "belum ada versi yang terbit, jadi tidak diterbitkan")
        lines.append(f"- {slug}: {why}; {kept}.")
    say(f"{len(result.failed)} kota tidak dibuat ulang:\n" + "\n".join(lines))
