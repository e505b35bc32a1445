"""The whole job, top to bottom: find the cities, load and check every one, then (in later
stages) render and publish. Everything is gathered and checked before anything is written.
"""

from __future__ import annotations

import gc
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import model as m
from .catalog import Catalog, load_catalog
from .load import load
from .problems import Abort, Problem, Report, display_name
from .validate import build, check_city

ROOT = Path(__file__).resolve().parent.parent
CITIES_DIR = ROOT / "cities"
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass
class City:
    """A city file that passed the checks, with its data and the shipped catalog."""

    slug: str
    path: Path
    plan: m.Masterplan
    catalog: Catalog


@dataclass
class CheckResult:
    reports: list[Report] = field(default_factory=list)
    cities: list[City] = field(default_factory=list)
    files: int = 0

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


def check_file(path: Path, catalog: Catalog) -> tuple[Report, m.Masterplan | None]:
    # A file makes hundreds of thousands of nodes and objects without cycles; the cyclic garbage
    # collector would scan them again and again (40% of the time on a 4 MB file).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _check_file(path, catalog)
    finally:
        if collecting:
            gc.enable()


def _check_file(path: Path, catalog: Catalog) -> tuple[Report, m.Masterplan | None]:
    report = Report(display_name(str(path)))
    if not SLUG_RE.match(path.stem):
        report.error((), f"nama berkas '{path.name}' harus huruf kecil, angka, dan tanda hubung, misalnya kota-contoh.yaml")
    node = load(path, report)
    if node is None:
        return report, None
    plan = build(node, m.Masterplan, report, base_dir=path.parent / path.stem)
    if plan is not None:
        check_city(plan, catalog, report)
    return report, plan


def check(targets: list[str] | None = None, *, cities_dir: Path = CITIES_DIR) -> CheckResult:
    """Load and check every city named (all by default), collecting every problem."""
    result = CheckResult()
    catalog, data_reports = load_catalog()
    result.reports.extend(r for r in data_reports if r.problems)
    if catalog is None:
        return result
    for path in city_files(targets, cities_dir):
        report, plan = check_file(path, catalog)
        result.files += 1
        result.reports.append(report)
        if plan is not None and not report.errors:
            result.cities.append(City(path.stem, path, plan, catalog))
    return result
