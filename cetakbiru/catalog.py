"""The controlled lists shipped in `data/`: the six-dimension framework, funding sources,
readiness elements, and the ministry's evaluation dimensions with their weights.

They are data, not code (domain.md, "Decisions"), and are checked like a city file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import model as m
from .load import load
from .paths import SHARE
from .problems import Report, display_name
from .validate import build

DATA_DIR = SHARE / "data"

FILES = {
    "kerangka": ("kerangka.yaml", m.Kerangka),
    "sumber_dana": ("sumber_dana.yaml", m.DaftarSumberDana),
    "elemen": ("elemen_kesiapan.yaml", m.DaftarElemen),
    "evaluasi": ("evaluasi.yaml", m.PedomanEvaluasi),
    "dasar_hukum": ("dasar_hukum.yaml", m.DasarHukumNasional),
}


@dataclass
class Catalog:
    kerangka: m.Kerangka
    sumber_dana: m.DaftarSumberDana
    elemen: m.DaftarElemen
    evaluasi: m.PedomanEvaluasi
    dasar_hukum: m.DasarHukumNasional

    @property
    def dimensions(self) -> dict[str, m.Dimensi]:
        return {d.kode: d for d in self.kerangka.dimensi}

    @property
    def sub_dimensions(self) -> dict[str, tuple[str, m.SubDimensi]]:
        """subdimension code → (dimension code, subdimension)."""
        return {s.kode: (d.kode, s) for d in self.kerangka.dimensi for s in d.sub_dimensi}

    @property
    def funding_sources(self) -> dict[str, m.SumberDana]:
        return {s.kode: s for s in self.sumber_dana.sumber_dana}

    @property
    def elements(self) -> dict[str, m.Elemen]:
        return {e.kode: e for e in self.elemen.elemen}

    @property
    def sub_elements(self) -> dict[str, tuple[str, m.SubElemen]]:
        return {s.kode: (e.kode, s) for e in self.elemen.elemen for s in e.sub_elemen}

    @property
    def evaluation_dimensions(self) -> dict[str, m.DimensiEvaluasi]:
        return {d.kode: d for d in self.evaluasi.dimensi_evaluasi}

    def weights(self, year: int) -> dict[str, int] | None:
        """Evaluation weights (percent) in force in `year`, if any are known."""
        usable = [b for b in self.evaluasi.bobot if b.berlaku_mulai <= year]
        return max(usable, key=lambda b: b.berlaku_mulai).bobot if usable else None


def load_catalog(data_dir: Path = DATA_DIR) -> tuple[Catalog | None, list[Report]]:
    """The catalog, or None with the reports that say what is wrong in `data/`."""
    reports: list[Report] = []
    parts: dict[str, Any] = {}  # a model object per file, None where the file could not be read
    for name, (filename, cls) in FILES.items():
        path = data_dir / filename
        report = Report(display_name(str(path)))
        node = load(path, report)
        parts[name] = build(node, cls, report) if node is not None else None
        reports.append(report)
    _check(parts, reports)
    if any(r.errors for r in reports) or any(v is None for v in parts.values()):
        return None, reports
    return Catalog(**parts), reports


def _check(parts: dict, reports: list[Report]) -> None:
    """Codes unique across each list; weights that sum to 100 over known dimensions."""
    by_name = dict(zip(FILES, reports, strict=True))
    groups = []
    if parts.get("kerangka"):
        groups.append(("kerangka", [d for d in parts["kerangka"].dimensi]))
        groups.append(("kerangka", [s for d in parts["kerangka"].dimensi for s in d.sub_dimensi]))
    if parts.get("sumber_dana"):
        groups.append(("sumber_dana", parts["sumber_dana"].sumber_dana))
    if parts.get("elemen"):
        groups.append(("elemen", parts["elemen"].elemen))
        groups.append(("elemen", [s for e in parts["elemen"].elemen for s in e.sub_elemen]))
    for name, items in groups:
        seen = set()
        for item in items:
            if item.kode in seen:
                by_name[name].error(item._path + ("kode",), f"kode '{item.kode}' ganda")
            seen.add(item.kode)
    ev = parts.get("evaluasi")
    if ev:
        known = {d.kode for d in ev.dimensi_evaluasi}
        for b in ev.bobot:
            for k in b.bobot:
                if k not in known:
                    by_name["evaluasi"].error(b._path + ("bobot", k), f"dimensi evaluasi '{k}' tidak dikenal", key=True)
            if b.bobot and sum(b.bobot.values()) != 100:
                by_name["evaluasi"].error(b._path + ("bobot",),
                                          f"jumlah bobot harus 100, tertulis {sum(b.bobot.values())}")
