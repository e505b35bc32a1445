"""Figures derived from a checked city: totals, the roadmap, readiness averages, final scores.

Nothing here is ever typed by a consultant (domain.md, "Decisions"): the books, the site and the
data downloads all read their numbers from these functions, so they cannot disagree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import typing
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

    @cached_property
    def dimensions_without_programs(self) -> list[str]:
        """The catalog's dimensions (codes, in order) that have no program, hence no roadmap."""
        return [code for code, rows in self.roadmap.items() if not rows]

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

    # --- actions, budgets, phases, readiness: shared by the books -------------------------------------

    @staticmethod
    def share(part: float, whole: float) -> float | None:
        """`part` as a percentage of `whole` (None when the whole is zero)."""
        return 100 * part / whole if whole else None

    def action_total(self, action: m.RencanaAksi) -> int:
        return action_total(action)

    @staticmethod
    def action_year_budget(action: m.RencanaAksi, year: int) -> int | None:
        """The action's budget in one year, all sources (None: nothing planned that year)."""
        by_source = action.anggaran.get(year)
        return sum(by_source.values()) if by_source else None

    @staticmethod
    def action_sources(action: m.RencanaAksi) -> list[str]:
        """Funding sources of an action, in the order they first appear in its budget."""
        return list(dict.fromkeys(s for by_source in action.anggaran.values() for s in by_source))

    @staticmethod
    def action_last_target(action: m.RencanaAksi) -> tuple[int, float | str] | None:
        """(year, value) of the action's last target."""
        if not action.target:
            return None
        year = max(action.target)
        return year, action.target[year]

    @cached_property
    def actions_by_dimension(self) -> dict[str, list[m.RencanaAksi]]:
        """Per dimension, the actions of its programs (programs by code, actions as listed)."""
        return {dim: [a for p in sorted(progs, key=lambda p: p.kode) for a in self.actions_by_program.get(p.kode, [])]
                for dim, progs in self.programs_by_dimension.items()}

    @staticmethod
    def years_of(actions: list[m.RencanaAksi], kind: str) -> list[int]:
        """Every year in which some of `actions` has a target (`kind="target"`) or a budget."""
        return sorted({y for a in actions for y in (a.target if kind == "target" else a.anggaran)})

    @cached_property
    def action_count_by_opd(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for a in self.plan.rencana_aksi:
            out[self.action_opd(a)] += 1
        return dict(out)

    @cached_property
    def sources_used(self) -> list[str]:
        """Funding sources of the rencana aksi, in the catalog's order (unknown codes last, sorted)."""
        known = [s for s in self.catalog.funding_sources if s in self.budget_by_source]
        return known + sorted(s for s in self.budget_by_source if s not in self.catalog.funding_sources)

    @staticmethod
    def largest(values: dict) -> tuple | None:
        """(key, value) of the largest value, the first one listed on a tie."""
        return max(values.items(), key=lambda kv: kv[1]) if values else None

    def programs_by_jangka(self, programs: list) -> dict[str, list]:
        """Programs (or roadmap rows) grouped by jangka, in the order pendek, menengah, panjang;
        empty groups left out."""
        out = {j: [p for p in programs if getattr(p, "program", p).jangka == j] for j in JANGKA_ORDER}
        return {j: ps for j, ps in out.items() if ps}

    def phase_budget(self, fase: m.Fase) -> int:
        return sum(self.budget_by_year.get(y, 0) for y in range(fase.mulai, fase.selesai + 1))

    def phase_programs_running(self, fase: m.Fase) -> int:
        return sum(1 for p in self.plan.program if p.tahun_mulai <= fase.selesai and p.tahun_selesai >= fase.mulai)

    def phase_programs_starting(self, fase: m.Fase) -> int:
        return sum(1 for p in self.plan.program if fase.mulai <= p.tahun_mulai <= fase.selesai)

    @staticmethod
    def quick_win_total(q: m.QuickWin) -> int:
        return sum(q.anggaran.values())

    @cached_property
    def readiness_mean(self) -> float | None:
        """Mean of every self-assessed sub-element score (None when nothing was assessed)."""
        scores = [k.skor for k in self.plan.kesiapan]
        return sum(scores) / len(scores) if scores else None

    @staticmethod
    def readiness_step(mean: float) -> int:
        """A mean score rounded to its step of the 1-5 scale (Python rounding, half to even)."""
        return int(round(mean))

    def readiness_lowest(self, element: str) -> tuple[int, list[m.Kesiapan]]:
        """(lowest score, the sub-elements that have it) of one element."""
        items = [k for k in self.plan.kesiapan if k.elemen == element]
        low = min(k.skor for k in items)
        return low, [k for k in items if k.skor == low]

    @cached_property
    def indicator_years(self) -> list[int]:
        """Every year in which some sasaran indicator has a target."""
        return sorted({y for s in self.plan.sasaran for i in s.indikator for y in i.target})

    @cached_property
    def indicator_count(self) -> int:
        return sum(len(s.indikator) for s in self.plan.sasaran)

    RISK_LEVEL = {"rendah": 1, "sedang": 2, "tinggi": 3}

    def risks_by_level(self) -> list[tuple[int, m.Risiko]]:
        """(likelihood x impact, risk), highest first; equal scores keep the city's order."""
        scored = [(self.RISK_LEVEL[r.kemungkinan] * self.RISK_LEVEL[r.dampak], r) for r in self.plan.tata_kelola.risiko]
        return sorted(scored, key=lambda sr: -sr[0])

    @staticmethod
    def yearly(values: dict, years: list[int]) -> list:
        """A yearly mapping (targets, budgets) spread over `years`, None where a year has none."""
        return [values.get(y) for y in years]

    def yearly_budget(self, action: m.RencanaAksi, years: list[int]) -> list[int | None]:
        """An action's budget in each of `years`, all sources (None: nothing planned that year)."""
        return [self.action_year_budget(action, y) for y in years]

    def year_by_source(self, year: int, sources: list[str]) -> list[int | None]:
        """The rencana aksi budget of one year for each of `sources` (None: nothing from it)."""
        return [self.budget_by_year_source.get((year, s)) or None for s in sources]

    @staticmethod
    def swot_counts(swot: m.Swot) -> tuple[int, int, int, int]:
        """How many strengths, weaknesses, opportunities and threats a SWOT lists."""
        return len(swot.kekuatan), len(swot.kelemahan), len(swot.peluang), len(swot.ancaman)

    @cached_property
    def legal_basis(self) -> list[m.Peraturan]:
        """The regulations a book is based on, the national list shipped in data/ and the city's
        merged, in the order of the legal hierarchy (UU 12/2011, Pasal 7 and 8), then by year and number."""
        return sorted([*self.catalog.dasar_hukum.peraturan, *self.plan.dasar_hukum], key=legal_order)

    @cached_property
    def enactment(self) -> m.Penetapan | None:
        """The masterplan's own enactment when it exists on the document's date (enacted on or before
        it), else None: a book cites it among the regulations of its Daftar Pustaka."""
        pen, doc = self.plan.penetapan, self.plan.dokumen
        if pen is None or doc is None or doc.tanggal is None:
            return pen
        return pen if known_on(doc.tanggal, pen.tahun, pen.tanggal_ditetapkan) else None

    @cached_property
    def cited_regulations(self) -> list[m.Peraturan | m.Penetapan]:
        """The Daftar Pustaka's "Peraturan Perundang-undangan": the legal basis and the enactment,
        once each, in the order of the legal hierarchy."""
        out: dict[tuple, m.Peraturan | m.Penetapan] = {}
        regulations: list[m.Peraturan | m.Penetapan] = [*self.legal_basis]
        if self.enactment is not None:
            regulations.append(self.enactment)
        for p in regulations:
            out.setdefault((p.jenis, str(p.nomor).strip(), p.tahun), p)
        return sorted(out.values(), key=legal_order)

    @cached_property
    def sources(self) -> list[m.Pustaka]:
        """The Daftar Pustaka's other sources, in its order (author, year, date, title: pustaka.py).
        A book's are those of its date (`as_of`: `check` warns about later ones)."""
        from .pustaka import sort_key

        return sorted(self.plan.pustaka, key=sort_key)

    @cached_property
    def programme_name(self) -> str:
        """What the books call the programme: its latest main name (`utama`) known, else its first."""
        names = self.catalog.kerangka.gerakan.nama
        main = [n for n in names if n.utama]
        return (main or names)[-1 if main else 0].nama

    @cached_property
    def any_final_computed(self) -> bool:
        """Whether some evaluation's final score is computed from the weights, not reported."""
        return any(self.evaluation_final(ev)[1] for ev in self.plan.evaluasi)

    @cached_property
    def evaluations(self) -> list[m.Evaluasi]:
        """The evaluations in the order they were held: by year, then stage (I before II)."""
        return sorted(self.plan.evaluasi, key=lambda e: (e.tahun, e.tahap or ""))

    @cached_property
    def evaluations_conducted(self) -> list[m.Evaluasi]:
        """The evaluations (in order) that say how they were held: the period assessed, the field visit,
        the evaluators or the pendamping."""
        return [e for e in self.evaluations if e.periode or e.kunjungan or e.evaluator or e.pendamping]

    def evaluation_institutions(self, role: str) -> list[str]:
        """The institutions of the people in `role` ('evaluator' or 'pendamping') across the
        evaluations, each once, in order of first appearance."""
        return list(dict.fromkeys(p.instansi for e in self.evaluations for p in getattr(e, role) if p.instansi))

    @cached_property
    def first_evaluation(self) -> m.Evaluasi | None:
        """The first evaluation held (None when there is none)."""
        return self.evaluations[0] if self.evaluations else None

    @cached_property
    def current_weights(self) -> m.Bobot | None:
        """The evaluation weights in force most recently (the latest `berlaku_mulai`)."""
        sets = sorted(self.catalog.evaluasi.bobot, key=lambda b: b.berlaku_mulai)
        return sets[-1] if sets else None

    @cached_property
    def dimension_count(self) -> int:
        """How many dimensions the smart-city framework has."""
        return len(self.catalog.dimensions)

    @cached_property
    def evaluation_dimension_count(self) -> int:
        """How many dimensions the ministry's evaluation has."""
        return len(self.catalog.evaluation_dimensions)

    @cached_property
    def period_years(self) -> int:
        """How many years the masterplan runs."""
        return len(self.years)

    # --- the region, readiness, SWOT and strategic issues ---------------------------------------------

    @cached_property
    def population_density(self) -> float | None:
        """Inhabitants per km² (None when the area is not given)."""
        daerah = self.plan.daerah
        return daerah.penduduk.jumlah / daerah.luas_km2 if daerah.luas_km2 > 0 else None

    @cached_property
    def region_officials(self) -> list[m.Orang]:
        """The head of the region, then the deputy and the regional secretary when the city names them."""
        daerah = self.plan.daerah
        return [o for o in (daerah.kepala_daerah, daerah.wakil_kepala_daerah, daerah.sekretaris_daerah) if o]

    @cached_property
    def opd_heads_shown(self) -> bool:
        """Whether the OPD table gets a Kepala column: at least half of the OPD name their head."""
        return sum(1 for o in self.plan.opd if o.kepala) * 2 >= len(self.plan.opd)

    @cached_property
    def rpjmd_mission_count(self) -> int:
        """How many missions the RPJMD has (0 without an RPJMD)."""
        rujukan = self.plan.rujukan_perencanaan
        return len(rujukan.rpjmd.misi) if rujukan and rujukan.rpjmd else 0

    @cached_property
    def spbe_history(self) -> list[m.IndeksSpbe]:
        """The SPBE index results, oldest first."""
        rujukan = self.plan.rujukan_perencanaan
        return sorted(rujukan.indeks_spbe, key=lambda s: s.tahun) if rujukan else []

    @cached_property
    def dimension_profiles(self) -> list[tuple[m.Dimensi, m.ProfilDimensi | None]]:
        """Every dimension of the framework with the city's profile of it (the first one given), or None."""
        found: dict[str, m.ProfilDimensi] = {}
        for p in self.plan.profil_dimensi:
            found.setdefault(p.dimensi, p)
        return [(dim, found.get(dim.kode)) for dim in self.catalog.kerangka.dimensi]

    @cached_property
    def readiness_elements(self) -> list[m.Elemen]:
        """The readiness elements the book covers: the main ones, then the optional ones the city assessed."""
        assessed = {k.elemen for k in self.plan.kesiapan}
        elements = self.catalog.elemen.elemen
        return [e for e in elements if e.utama] + [e for e in elements if not e.utama and e.kode in assessed]

    @cached_property
    def readiness_groups(self) -> list[tuple[m.Elemen, list[m.Kesiapan]]]:
        """Each of `readiness_elements` with its assessed sub-elements, as the city lists them (maybe none)."""
        return [(e, [k for k in self.plan.kesiapan if k.elemen == e.kode]) for e in self.readiness_elements]

    @cached_property
    def readiness_gaps(self) -> list[tuple[m.Elemen, list[m.Kesiapan]]]:
        """The assessed elements of `readiness_groups`, their sub-elements lowest score first."""
        return [(e, sorted(items, key=lambda k: k.skor)) for e, items in self.readiness_groups if items]

    LOW_READINESS = 2  # a score up to this one is "rendah" or "sangat rendah"

    def readiness_low(self, element: str) -> list[m.SubElemen]:
        """The sub-elements of an element scored low (1-2), lowest first, as catalog entries."""
        items = sorted((k for k in self.plan.kesiapan if k.elemen == element), key=lambda k: k.skor)
        return [self.catalog.sub_elements[k.sub_elemen][1] for k in items if k.skor <= self.LOW_READINESS]

    @cached_property
    def readiness_range(self) -> tuple[tuple[str, float], tuple[str, float]] | None:
        """((element, mean), (element, mean)) of the lowest and the highest mean readiness (None: no assessment).
        On a tie the lowest is the element listed first, the highest the one listed last."""
        ranked = sorted(self.readiness_by_element.items(), key=lambda kv: kv[1])
        return (ranked[0], ranked[-1]) if ranked else None

    @cached_property
    def swot_by_scope(self) -> dict[str, m.Swot]:
        """The city's SWOT analysis of each scope (element, dimension or `umum`), the first one given."""
        found: dict[str, m.Swot] = {}
        for s in self.plan.swot:
            found.setdefault(s.lingkup, s)
        return found

    @cached_property
    def swot_other(self) -> list[m.Swot]:
        """The SWOT analyses that are not about a readiness element (the region, a dimension)."""
        return [s for s in self.plan.swot if s.lingkup not in self.catalog.elements]

    @cached_property
    def issues_by_dimension(self) -> dict[str, list[m.IsuStrategis]]:
        """Per dimension (framework order), its strategic issues by priority (ties as listed)."""
        out: dict[str, list[m.IsuStrategis]] = {d: [] for d in self.catalog.dimensions}
        for i in sorted(self.plan.isu_strategis, key=lambda i: i.prioritas):
            out.setdefault(i.dimensi, []).append(i)
        return out

    @cached_property
    def issue_dimension_count(self) -> int:
        """How many dimensions have at least one strategic issue."""
        return len({i.dimensi for i in self.plan.isu_strategis})

    @cached_property
    def dimensions_without_issues(self) -> list[m.Dimensi]:
        """The dimensions of the framework with no strategic issue."""
        return [dim for dim in self.catalog.kerangka.dimensi if not self.issues_by_dimension.get(dim.kode)]

    @cached_property
    def issues_by_priority(self) -> list[m.IsuStrategis]:
        """Every strategic issue, most urgent first (ties as listed)."""
        return sorted(self.plan.isu_strategis, key=lambda i: i.prioritas)

    @cached_property
    def elements_main(self) -> list[m.Elemen]:
        """The main readiness elements of the catalogue (struktur, infrastruktur, suprastruktur)."""
        return [e for e in self.catalog.elemen.elemen if e.utama]

    @cached_property
    def elements_main_count(self) -> int:
        """How many main readiness elements the catalogue has."""
        return len(self.elements_main)

    @cached_property
    def elements_optional(self) -> list[m.Elemen]:
        """The optional readiness elements of the catalogue."""
        return [e for e in self.catalog.elemen.elemen if not e.utama]

    @cached_property
    def elements_optional_assessed(self) -> list[m.Elemen]:
        """The optional readiness elements the city assessed."""
        return [e for e in self.elements_optional if e.kode in self.readiness_by_element]

    @cached_property
    def elements_listed(self) -> list[m.Elemen]:
        """The elements the framework chapter tabulates: the main ones and the assessed ones, catalogue order."""
        return [e for e in self.catalog.elemen.elemen if e.utama or e.kode in self.readiness_by_element]

    # --- quick wins -----------------------------------------------------------------------------------

    QUICK_WIN_STATUS_ORDER = ("selesai", "berjalan", "rencana")

    @cached_property
    def quick_win_years(self) -> list[int]:
        """Every year with a quick win, in order."""
        return sorted({q.tahun for q in self.plan.quick_win})

    @cached_property
    def quick_wins_ordered(self) -> list[m.QuickWin]:
        """Every quick win by year, then dimension (catalog order), then as listed: the order of the lists."""
        return [q for y in self.quick_win_years for qs in self.quick_wins_by_dimension.values() for q in qs
                if q.tahun == y]

    def quick_win_shares_name(self, q: m.QuickWin) -> bool:
        """Whether another quick win has the same name (the lists then add its year)."""
        return sum(1 for other in self.plan.quick_win if other.nama == q.nama) > 1

    def quick_win_count(self, dimension: str | None = None, year: int | None = None) -> int:
        """How many quick wins, of one dimension and/or one year when given."""
        return sum(1 for q in self.plan.quick_win if dimension in (None, q.dimensi) and year in (None, q.tahun))

    def quick_win_counts_by_year(self, dimension: str | None = None) -> list[int | None]:
        """Quick wins in each of `quick_win_years`, of one dimension when given (None: none that year)."""
        return [self.quick_win_count(dimension, y) or None for y in self.quick_win_years]

    @cached_property
    def quick_win_dimensions(self) -> list[str]:
        """Dimensions with a quick win, in the catalog's order."""
        return [dim for dim, qs in self.quick_wins_by_dimension.items() if qs]

    @cached_property
    def quick_win_dimensions_without(self) -> list[str]:
        """Dimensions without a quick win, in the catalog's order."""
        return [dim for dim, qs in self.quick_wins_by_dimension.items() if not qs]

    @cached_property
    def quick_win_dimension_count(self) -> int:
        """How many dimensions have a quick win."""
        return len(self.quick_win_dimensions)

    @cached_property
    def quick_win_criteria_count(self) -> int:
        """How many criteria the ministry scores a quick win on."""
        return len(self.catalog.evaluasi.kriteria_quick_win)

    @cached_property
    def quick_win_weight(self) -> int | None:
        """Weight (percent) of the quick-win dimension in force at the latest evaluation (else the document's year)."""
        year = max((ev.tahun for ev in self.plan.evaluasi), default=self.plan.dokumen.tanggal.year)
        weights = self.catalog.weights(year)
        return weights.get("quick_win") if weights else None

    @cached_property
    def quick_win_count_by_opd(self) -> dict[str, int]:
        """Quick wins per owning OPD, in the order the OPD first appear."""
        out: dict[str, int] = defaultdict(int)
        for q in self.plan.quick_win:
            out[q.opd_pj] += 1
        return dict(out)

    @cached_property
    def quick_win_opd_count(self) -> int:
        """How many OPD own a quick win."""
        return len(self.quick_win_count_by_opd)

    @cached_property
    def quick_win_budget_by_opd(self) -> dict[str, int]:
        """Quick-win budget per owning OPD, largest first (ties in the order the OPD first appear)."""
        out: dict[str, int] = defaultdict(int)
        for q in self.plan.quick_win:
            out[q.opd_pj] += self.quick_win_total(q)
        return dict(sorted(out.items(), key=lambda kv: kv[1], reverse=True))

    @cached_property
    def quick_win_status_counts(self) -> dict[str, int]:
        """Quick wins per status, selesai then berjalan then rencana; statuses no quick win has left out."""
        counts = {s: sum(1 for q in self.plan.quick_win if q.status == s) for s in self.QUICK_WIN_STATUS_ORDER}
        return {s: n for s, n in counts.items() if n}

    @cached_property
    def quick_win_budget_by_dimension(self) -> dict[str, int]:
        """Quick-win budget per dimension (every dimension of the catalog)."""
        return {dim: sum(self.quick_win_total(q) for q in qs) for dim, qs in self.quick_wins_by_dimension.items()}

    @cached_property
    def quick_win_budget_by_year_source(self) -> dict[tuple[int, str], int]:
        """Quick-win budget per (year, funding source): not part of the rencana aksi totals."""
        out: dict[tuple[int, str], int] = defaultdict(int)
        for q in self.plan.quick_win:
            for source, value in q.anggaran.items():
                out[(q.tahun, source)] += value
        return dict(out)

    @cached_property
    def quick_win_sources(self) -> list[str]:
        """Funding sources of the quick wins, in the catalog's order (unknown codes last, sorted)."""
        used = {s for q in self.plan.quick_win for s in q.anggaran}
        return [s for s in self.catalog.funding_sources if s in used] + sorted(used - set(self.catalog.funding_sources))

    @cached_property
    def quick_win_budget_by_year(self) -> dict[int, int]:
        """Quick-win budget per year of `quick_win_years` (0 for a year whose quick wins have none)."""
        return {y: sum(self.quick_win_total(q) for q in self.plan.quick_win if q.tahun == y)
                for y in self.quick_win_years}

    @cached_property
    def quick_win_budget_by_source(self) -> dict[str, int]:
        """Quick-win budget per funding source, in the order of `quick_win_sources`."""
        return {s: sum(q.anggaran.get(s, 0) for q in self.plan.quick_win) for s in self.quick_win_sources}

    def quick_win_source_years(self, source: str) -> list[int | None]:
        """One source's quick-win budget in each of `quick_win_years` (None: nothing from it that year)."""
        return [self.quick_win_budget_by_year_source.get((y, source)) or None for y in self.quick_win_years]

    @cached_property
    def quick_win_apbd(self) -> int:
        """The part of the quick-win budget funded by the APBD."""
        return self.quick_win_budget_by_source.get("APBD", 0)

    @cached_property
    def quick_win_non_apbd(self) -> int:
        """The part of the quick-win budget funded by other sources than the APBD."""
        return self.quick_win_budget - self.quick_win_apbd

    @cached_property
    def quick_win_other_sources(self) -> list[str]:
        """Funding sources of the quick wins other than the APBD, in the order of `quick_win_sources`."""
        return [s for s in self.quick_win_sources if s != "APBD"]

    @staticmethod
    def quick_win_first_month(q: m.QuickWin) -> str | None:
        """The month ("TTTT-BB") its schedule starts (None without a schedule)."""
        return min((j.mulai for j in q.jadwal), default=None)

    @staticmethod
    def quick_win_last_month(q: m.QuickWin) -> str | None:
        """The month ("TTTT-BB") its schedule ends (None without a schedule)."""
        return max((j.selesai for j in q.jadwal), default=None)

    @staticmethod
    def _month_index(month: str) -> int:
        """'2025-03' → 2025 * 12 + 2: months counted from year 0, January of each year ≡ 0 (mod 12)."""
        year, number = month.split("-")
        return int(year) * 12 + int(number) - 1

    @cached_property
    def quick_win_stages_by_month(self) -> dict[tuple[str, int], list[list[int]]]:
        """(quick win code, year) → for each month January..December, the numbers of its schedule stages then."""
        out: dict[tuple[str, int], list[list[int]]] = {}
        for q in self.plan.quick_win:
            for stage, j in enumerate(q.jadwal, start=1):
                for month in range(self._month_index(j.mulai), self._month_index(j.selesai) + 1):
                    stages = out.setdefault((q.kode, month // 12), [[] for _ in range(12)])[month % 12]
                    if stage not in stages:
                        stages.append(stage)
        return out

    @cached_property
    def quick_win_schedule_years(self) -> list[int]:
        """Years of the monthly schedule: those with a scheduled stage and those of unscheduled quick wins."""
        unscheduled = {q.tahun for q in self.plan.quick_win if not q.jadwal}
        return sorted({y for _, y in self.quick_win_stages_by_month} | unscheduled)

    def quick_win_schedule(self, year: int) -> list[tuple[m.QuickWin, list[list[int]]]]:
        """The quick wins on the schedule of `year` (by dimension, as listed), each with its stages per month."""
        return [(q, self.quick_win_stages_by_month.get((q.kode, year), [[] for _ in range(12)]))
                for qs in self.quick_wins_by_dimension.values() for q in qs
                if (q.kode, year) in self.quick_win_stages_by_month or (not q.jadwal and q.tahun == year)]

    # --- the plan by year, dimension and OPD; summaries -----------------------------------------------

    @cached_property
    def counts(self) -> dict[str, int]:
        """How many of each list the city gives, by its key (`d.counts.program`), `fase` and `tonggak` included."""
        keys = ("misi", "tujuan", "sasaran", "strategi", "program", "rencana_aksi", "quick_win", "kesiapan",
                "isu_strategis", "opd")
        counts = {k: len(getattr(self.plan, k)) for k in keys}
        return counts | {"fase": len(self.phases), "tonggak": len(self.milestones)}

    @cached_property
    def phases(self) -> list[m.Fase]:
        """The phases of the peta jalan, as listed (none without a peta jalan)."""
        return list(self.plan.peta_jalan.fase) if self.plan.peta_jalan else []

    @cached_property
    def milestones(self) -> list[m.Tonggak]:
        """The milestones of the peta jalan by year (one year's as listed)."""
        return sorted(self.plan.peta_jalan.tonggak, key=lambda t: t.tahun) if self.plan.peta_jalan else []

    @cached_property
    def milestones_outside_period(self) -> list[m.Tonggak]:
        """The milestones whose year is outside the period, by year."""
        return [t for t in self.milestones if t.tahun not in self.years]

    @dataclass
    class YearPlan:
        """One year of the period on the roadmap."""

        year: int
        programs_active: int  # programs with a target or a budget that year in their rencana aksi
        quick_wins: int
        budget: int
        milestones: list[m.Tonggak]

    @cached_property
    def year_plans(self) -> list[YearPlan]:
        """Every year of the period: active programs, quick wins, budget and milestones."""
        programs = [r for by_dimension in self.roadmap.values() for r in by_dimension]
        return [self.YearPlan(y, sum(1 for r in programs if y in r.years),
                              sum(1 for q in self.plan.quick_win if q.tahun == y),
                              self.budget_by_year.get(y, 0), [t for t in self.milestones if t.tahun == y])
                for y in self.years]

    @cached_property
    def peak_year(self) -> tuple[int, int] | None:
        """(year, budget) of the year with the largest budget, the earliest on a tie (None: no budget)."""
        return self.largest(dict(sorted(self.budget_by_year.items())))

    @dataclass
    class DimensionPlan:
        """One dimension of the framework in the summaries: strategies, programs, quick wins, budget."""

        kode: str
        nama: str
        strategies: list[m.Strategi]
        roadmap: list[RoadmapRow]  # its programs, as `Derived.roadmap` orders them
        quick_wins: list[m.QuickWin]
        budget: int
        share: float | None  # of the total budget, in %
        budget_by_year: list[int | None]  # per year of the period (None: nothing that year)
        jangka_counts: dict[str, int]  # programs per jangka, pendek to panjang, empty ones left out
        active_years: tuple[int, int] | None  # first and last year with a target or a budget
        without_actions: int  # programs with neither a target nor a budget in the rencana aksi
        strategy_count: int
        program_count: int
        quick_win_count: int

    def _total_by_year(self, key) -> dict[tuple[str, int], int]:
        """Rencana aksi budget per (key(action), year)."""
        out: dict[tuple[str, int], int] = defaultdict(int)
        for a in self.plan.rencana_aksi:
            for year, by_source in a.anggaran.items():
                out[(key(a), year)] += sum(by_source.values())
        return dict(out)

    @cached_property
    def budget_by_dimension_year(self) -> dict[tuple[str, int], int]:
        """Rencana aksi budget per (dimension, year)."""
        return self._total_by_year(self.action_dimension)

    @cached_property
    def dimension_plans(self) -> list[DimensionPlan]:
        """Every dimension of the framework, in its order, with its part of the plan."""
        out = []
        for kode, dim in self.catalog.dimensions.items():
            rows = self.roadmap[kode]
            years = sorted({y for r in rows for y in r.years})
            strategies = [s for s in self.plan.strategi if s.dimensi == kode]
            qws = self.quick_wins_by_dimension[kode]
            budget = self.budget_by_dimension[kode]
            out.append(self.DimensionPlan(
                kode, dim.nama, strategies, rows, qws, budget, self.share(budget, self.total_budget),
                [self.budget_by_dimension_year.get((kode, y)) or None for y in self.years],
                {j: len(ps) for j, ps in self.programs_by_jangka(rows).items()},
                (years[0], years[-1]) if years else None, sum(1 for r in rows if not r.years),
                len(strategies), len(rows), len(qws)))
        return out

    @staticmethod
    def roadmap_marks(row: RoadmapRow, years: list[int]) -> list[str]:
        """The matrix cells of a program over `years`: ● a year with a target or a budget, ○ a year of
        its span without either, empty outside its span."""
        first, last = min(row.span), max(row.span)
        return ["●" if y in row.years else "○" if first <= y <= last else "" for y in years]

    @cached_property
    def budget_by_opd_year(self) -> dict[tuple[str, int], int]:
        """Rencana aksi budget per (OPD carrying out the action, year)."""
        return self._total_by_year(self.action_opd)

    @cached_property
    def opds_by_budget(self) -> list[tuple[str, int]]:
        """(OPD, budget) of every OPD with a rencana aksi, the largest budget first (ties: first one to appear)."""
        return sorted(self.budget_by_opd.items(), key=lambda kv: -kv[1])

    @cached_property
    def opd_active_count(self) -> int:
        """How many OPD carry out some rencana aksi."""
        return len(self.budget_by_opd)

    def opd_budget_by_year(self, opd: str) -> list[int | None]:
        """An OPD's rencana aksi budget in each year of the period (None: nothing that year)."""
        return [self.budget_by_opd_year.get((opd, y)) or None for y in self.years]

    @staticmethod
    def million(value: int | None) -> float | None:
        """Rupiah in millions for a table "(juta rupiah)" (None for no budget)."""
        return value / 1_000_000 if value else None

    def millions(self, values: list[int | None]) -> list[float | None]:
        """`million` of each value."""
        return [self.million(v) for v in values]

    TOP_PROGRAMS = 10

    @cached_property
    def top_programs(self) -> list[tuple[m.Program, int]]:
        """(program, budget) of the programs with the largest budgets, at most TOP_PROGRAMS, ties as
        listed (none when the rencana aksi has no budget)."""
        if not self.total_budget:
            return []
        ranked = sorted(((p, self.budget_by_program.get(p.kode, 0)) for p in self.plan.program), key=lambda pv: -pv[1])
        return ranked[: self.TOP_PROGRAMS]

    @cached_property
    def top_programs_budget(self) -> int:
        """The budget of `top_programs` together."""
        return sum(v for _, v in self.top_programs)

    TOP_ISSUES = 6

    @cached_property
    def top_issues(self) -> list[m.IsuStrategis]:
        """The strategic issues of highest priority (at most TOP_ISSUES), ties as listed."""
        return sorted(self.plan.isu_strategis, key=lambda i: i.prioritas)[: self.TOP_ISSUES]

    @cached_property
    def top_issue_count(self) -> int:
        """How many issues `top_issues` shows."""
        return len(self.top_issues)

    @dataclass
    class ReadinessRow:
        """One assessed readiness element: its sub-elements assessed, mean score and lowest sub-element."""

        elemen: str
        count: int
        mean: float
        lowest: m.Kesiapan  # the first one listed with the lowest score

    @cached_property
    def readiness_rows(self) -> list[ReadinessRow]:
        """Every assessed element, catalog order first, then unknown codes as they appear."""
        present = list(dict.fromkeys(k.elemen for k in self.plan.kesiapan))
        known = self.catalog.elements
        order = [e for e in known if e in present] + [e for e in present if e not in known]
        out = []
        for e in order:
            items = [k for k in self.plan.kesiapan if k.elemen == e]
            out.append(self.ReadinessRow(e, len(items), self.readiness_by_element[e], min(items, key=lambda k: k.skor)))
        return out

    @cached_property
    def readiness_extremes(self) -> tuple[str, str] | None:
        """(element with the lowest mean, element with the highest mean) in `readiness_rows` order, the
        first one on a tie (None: nothing assessed)."""
        rows = self.readiness_rows
        if not rows:
            return None
        return min(rows, key=lambda r: r.mean).elemen, max(rows, key=lambda r: r.mean).elemen

    @cached_property
    def spbe_latest(self) -> m.IndeksSpbe | None:
        """The latest SPBE index result (of one year: the last listed)."""
        rujukan = self.plan.rujukan_perencanaan
        results = sorted(rujukan.indeks_spbe, key=lambda s: s.tahun) if rujukan else []
        return results[-1] if results else None

    @dataclass
    class Team:
        """A body of the kelembagaan in a sentence: its chair, its size, its pentahelix elements."""

        ketua: m.Anggota | None  # the first member whose role is "Ketua"
        size: int
        unsur: list[str]  # as they first appear

    @staticmethod
    def team(tim: m.Tim | None) -> Team:
        """The `Team` summary of a body (an empty one when the city does not describe it)."""
        members = tim.anggota if tim else []
        return Derived.Team(next((a for a in members if a.peran == "Ketua"), None), len(members),
                            list(dict.fromkeys(a.unsur for a in members)))

    # --- the site -------------------------------------------------------------------------------------

    @staticmethod
    def action_years(action: m.RencanaAksi) -> list[int]:
        """Every year in which the action has a target or a budget, in order."""
        return sorted({*action.target, *action.anggaran})

    @cached_property
    def budget_years(self) -> list[int]:
        """The rows of a yearly budget table: every year of the period and any other year with a budget, in order."""
        return sorted({*self.years, *self.budget_by_year})

    @cached_property
    def evaluation_pillars(self) -> list[str]:
        """The pillars some evaluation scores: the framework's dimensions in its order, then other codes as they
        first appear (evaluations by year)."""
        by_year = sorted(self.plan.evaluasi, key=lambda e: e.tahun)
        scored = list(dict.fromkeys(k for ev in by_year for k in ev.skor_pilar))
        dimensions = self.catalog.dimensions
        return [c for c in dimensions if c in scored] + [c for c in scored if c not in dimensions]


# --- a book's date: what it can know ------------------------------------------------------------------

# UU 12/2011, Pasal 7-8: the hierarchy of regulations, which `JENIS_PERATURAN` lists in order. A
# Perppu ranks with the UU; the regional head's regulations (Perwali, Perbup) rank together.
_SAME_RANK = {"Perppu": "UU", "Perbup": "Perwali"}
_RANK = {kind: rank for rank, kind in enumerate(typing.get_args(m.JENIS_PERATURAN))}


def legal_order(p: m.Peraturan | m.Penetapan) -> tuple[int, int, int, str]:
    """Sort key of a regulation: its rank in the hierarchy, its year, its number (the leading digits)."""
    number = re.match(r"\d+", p.nomor)
    return _RANK[_SAME_RANK.get(p.jenis, p.jenis)], p.tahun, int(number.group()) if number else 0, p.nomor


def known_on(date: dt.date, tahun: int, tanggal: dt.date | None = None) -> bool:
    """Whether something of `tahun` (or dated `tanggal`, when known) exists on `date`."""
    return tanggal <= date if tanggal is not None else tahun <= date.year


def as_of(plan: m.Masterplan, catalog: Catalog, date: dt.date) -> tuple[m.Masterplan, Catalog]:
    """The plan and catalog as a book dated `date` knows them. The city file keeps growing after
    its books are signed (evaluations, SPBE indices, newer data, amendments of laws) and the site
    shows all of it; a book shows only what existed on its date: regulations and their amendments
    promulgated by then, the evaluations, indices, data tables, indicators and cited sources of its
    year and before, the evaluation weights in force, the programme's names and figures known then. A
    quick win of a later year is still a plan ("rencana") on that date, whatever its status now."""

    def laws(items: list[m.Peraturan]) -> list[m.Peraturan]:
        return [_replace(p, perubahan=[c for c in p.perubahan if known_on(date, c.tahun, c.tanggal)])
                for p in items if known_on(date, p.tahun, p.tanggal)]

    def until(items: list, year: typing.Callable[[typing.Any], int] = lambda x: x.tahun) -> list:
        return [x for x in items if year(x) <= date.year]

    rujukan = plan.rujukan_perencanaan
    gerakan = catalog.kerangka.gerakan
    dated_plan = _replace(
        plan,
        dasar_hukum=laws(plan.dasar_hukum),
        evaluasi=[e for e in plan.evaluasi if known_on(date, e.tahun, e.tanggal)],
        rujukan_perencanaan=rujukan and _replace(rujukan, indeks_spbe=until(rujukan.indeks_spbe)),
        daerah=_replace(plan.daerah, tabel=until(plan.daerah.tabel)),
        profil_dimensi=[_replace(p, indikator=until(p.indikator)) for p in plan.profil_dimensi],
        quick_win=[q if q.tahun <= date.year else _replace(q, status="rencana") for q in plan.quick_win],
        pustaka=[s for s in plan.pustaka  # a source of no known date stays
                 if (s.tahun is None and s.tanggal is None) or known_on(date, s.tahun or 0, s.tanggal)],
    )
    dated_catalog = dataclasses.replace(
        catalog,
        dasar_hukum=_replace(catalog.dasar_hukum, peraturan=laws(catalog.dasar_hukum.peraturan)),
        evaluasi=_replace(catalog.evaluasi, bobot=until(catalog.evaluasi.bobot, lambda b: b.berlaku_mulai)),
        kerangka=_replace(catalog.kerangka, gerakan=_replace(gerakan, nama=until(gerakan.nama),
                                                               peserta=until(gerakan.peserta))),
    )
    return dated_plan, dated_catalog


_N = typing.TypeVar("_N", bound=m.Node)


def _replace(node: _N, **changes: typing.Any) -> _N:
    """`dataclasses.replace` that keeps where the node is written (`_path`, for messages)."""
    copy = dataclasses.replace(node, **changes)  # type: ignore[type-var]
    if hasattr(node, "_path"):
        copy._path = node._path
    return copy


def action_total(action: m.RencanaAksi) -> int:
    return sum(v for by_source in action.anggaran.values() for v in by_source.values())


# --- the site: figures across cities ----------------------------------------------------------------


@dataclass
class National:
    """The figures of the site's home page, each the sum of the published cities' own (`Derived`) figures."""

    programs: dict[str, int]  # per dimension of the catalog
    quick_wins: dict[str, int]  # per dimension of the catalog
    program_count: int
    quick_win_count: int
    largest_count: int  # the most programs or quick wins of one dimension (0: none at all)
    budget_by_year_source: dict[tuple[int, str], int]
    years: list[int]  # years with a budget, in order
    sources: list[str]  # funding sources with a budget, in the catalog's order (unknown codes last, sorted)
    budget_by_year: dict[int, int]  # per year of `years`
    budget_by_source: dict[str, int]  # per source of `sources`
    source_shares: dict[str, float | None]  # each source's part of `total`, in %
    largest_source_budget: int  # the budget of the largest source (0: no budget)
    total: int

    def year_by_source(self, year: int) -> list[int | None]:
        """The budget of one year for each of `sources` (None: nothing from it)."""
        return [self.budget_by_year_source.get((year, s)) or None for s in self.sources]


def national(cities: list[Derived], catalog: Catalog) -> National:
    """The `National` figures of `cities` (the published ones), by the dimensions and funding sources of `catalog`."""
    programs = {code: sum(len(d.programs_by_dimension[code]) for d in cities) for code in catalog.dimensions}
    quick_wins = {code: sum(len(d.quick_wins_by_dimension[code]) for d in cities) for code in catalog.dimensions}
    by_year_source: dict[tuple[int, str], int] = defaultdict(int)
    for d in cities:
        for key, value in d.budget_by_year_source.items():
            by_year_source[key] += value
    years = sorted({y for y, _ in by_year_source})
    used = {s for _, s in by_year_source}
    sources = [s for s in catalog.funding_sources if s in used] + sorted(used - set(catalog.funding_sources))
    by_year = {y: sum(v for (year, _), v in by_year_source.items() if year == y) for y in years}
    by_source = {s: sum(v for (_, source), v in by_year_source.items() if source == s) for s in sources}
    total = sum(by_year_source.values())
    return National(programs, quick_wins, sum(programs.values()), sum(quick_wins.values()),
                    max([*programs.values(), *quick_wins.values()], default=0), dict(by_year_source), years, sources,
                    by_year, by_source, {s: Derived.share(v, total) for s, v in by_source.items()},
                    max(by_source.values(), default=0), total)
