"""Figures derived from a checked city: totals, the roadmap, readiness averages, final scores.

Nothing here is ever typed by a consultant (domain.md, "Decisions"): the books, the site and the
data downloads all read their numbers from these functions, so they cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from . import model as m
from .catalog import Catalog

JANGKA_ORDER = ("pendek", "menengah", "panjang")


@dataclass
class RoadmapRow:
    """One program on the roadmap: its years of action (from the rencana aksi) and its span."""

    program: m.Program
    dimensi: str
    years: tuple[int, ...]  # years with a target or a budget in its rencana aksi
    span: tuple[int, int]  # tahun_mulai..tahun_selesai as declared


class Derived:
    def __init__(self, plan: m.Masterplan, catalog: Catalog):
        self.plan, self.catalog = plan, catalog

    # lookups
    @cached_property
    def strategies(self) -> dict[str, m.Strategi]:
        return {s.kode: s for s in self.plan.strategi}

    @cached_property
    def programs(self) -> dict[str, m.Program]:
        return {p.kode: p for p in self.plan.program}

    @cached_property
    def opds(self) -> dict[str, m.Opd]:
        return {o.kode: o for o in self.plan.opd}

    def program_dimension(self, program: m.Program) -> str:
        return self.strategies[program.strategi].dimensi

    def program_sub_dimension(self, program: m.Program) -> str | None:
        return program.sub_dimensi or self.strategies[program.strategi].sub_dimensi

    def action_dimension(self, action: m.RencanaAksi) -> str:
        return self.program_dimension(self.programs[action.program])

    def action_opd(self, action: m.RencanaAksi) -> str:
        return action.opd or self.programs[action.program].opd_pj

    # counts
    @cached_property
    def programs_by_dimension(self) -> dict[str, list[m.Program]]:
        out: dict[str, list[m.Program]] = {d: [] for d in self.catalog.dimensions}
        for p in self.plan.program:
            out[self.program_dimension(p)].append(p)
        return out

    @cached_property
    def quick_wins_by_dimension(self) -> dict[str, list[m.QuickWin]]:
        out: dict[str, list[m.QuickWin]] = {d: [] for d in self.catalog.dimensions}
        for q in self.plan.quick_win:
            out[q.dimensi].append(q)
        return out

    @cached_property
    def actions_by_program(self) -> dict[str, list[m.RencanaAksi]]:
        out: dict[str, list[m.RencanaAksi]] = defaultdict(list)
        for a in self.plan.rencana_aksi:
            out[a.program].append(a)
        return dict(out)

    # money
    @cached_property
    def years(self) -> list[int]:
        """Every year of the period, in order."""
        per = self.plan.dokumen.periode
        return list(range(per.mulai, per.selesai + 1))

    @cached_property
    def budget_by_year_source(self) -> dict[tuple[int, str], int]:
        out: dict[tuple[int, str], int] = defaultdict(int)
        for a in self.plan.rencana_aksi:
            for year, by_source in a.anggaran.items():
                for source, value in by_source.items():
                    out[(year, source)] += value
        return dict(out)

    def _total_by(self, key) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for a in self.plan.rencana_aksi:
            out[key(a)] += action_total(a)
        return dict(out)

    def _fold(self, part: int) -> dict:
        """budget_by_year_source summed over one side of its (year, source) key."""
        out: dict = defaultdict(int)
        for key, value in self.budget_by_year_source.items():
            out[key[part]] += value
        return dict(out)

    @cached_property
    def budget_by_year(self) -> dict[int, int]:
        return self._fold(0)

    @cached_property
    def budget_by_source(self) -> dict[str, int]:
        return self._fold(1)

    @cached_property
    def budget_by_dimension(self) -> dict[str, int]:
        return {d: 0 for d in self.catalog.dimensions} | self._total_by(self.action_dimension)

    @cached_property
    def budget_by_opd(self) -> dict[str, int]:
        return self._total_by(self.action_opd)

    @cached_property
    def budget_by_program(self) -> dict[str, int]:
        return self._total_by(lambda a: a.program)

    @cached_property
    def total_budget(self) -> int:
        return sum(self.budget_by_year_source.values())

    @cached_property
    def quick_win_budget(self) -> int:
        return sum(sum(q.anggaran.values()) for q in self.plan.quick_win)

    # roadmap
    @cached_property
    def roadmap(self) -> dict[str, list[RoadmapRow]]:
        """Per dimension, programs grouped by jangka (pendek, menengah, panjang), then by start year."""
        out: dict[str, list[RoadmapRow]] = {d: [] for d in self.catalog.dimensions}
        for p in self.plan.program:
            years = sorted({y for a in self.actions_by_program.get(p.kode, []) for y in (*a.target, *a.anggaran)})
            out[self.program_dimension(p)].append(
                RoadmapRow(p, self.program_dimension(p), tuple(years), (p.tahun_mulai, p.tahun_selesai))
            )
        for rows in out.values():
            rows.sort(key=lambda r: (JANGKA_ORDER.index(r.program.jangka), r.span, r.program.kode))
        return out

    # readiness and evaluation
    @cached_property
    def readiness_by_element(self) -> dict[str, float]:
        """Mean self-assessed score per readiness element (penilaian mandiri, not a ministry score)."""
        scores: dict[str, list[int]] = defaultdict(list)
        for k in self.plan.kesiapan:
            scores[k.elemen].append(k.skor)
        return {e: sum(v) / len(v) for e, v in scores.items()}

    def evaluation_final(self, ev: m.Evaluasi) -> tuple[float | None, bool]:
        """(final score, whether it was computed from the weights rather than reported)."""
        if ev.skor_akhir is not None:
            return ev.skor_akhir, False
        weights = self.catalog.weights(ev.tahun)
        if not weights or any(k not in ev.skor for k in weights):
            return None, False
        return sum(ev.skor[k] * w for k, w in weights.items()) / 100, True


def action_total(action: m.RencanaAksi) -> int:
    return sum(v for by_source in action.anggaran.values() for v in by_source.values())
