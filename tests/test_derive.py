"""Totals and the roadmap are computed from the data, never typed: checked on known figures."""

from conftest import FIXTURES, check_paths

from cetakbiru import model as m
from cetakbiru.derive import Derived


def minimal() -> Derived:
    (city,) = check_paths(FIXTURES / "minimal.yaml").cities
    return Derived(city.plan, city.catalog)


def test_budget_totals_of_the_minimal_city():
    d = minimal()
    assert d.total_budget == 650_000_000
    assert d.budget_by_year == {2025: 250_000_000, 2026: 400_000_000}
    assert d.budget_by_source == {"APBD": 550_000_000, "DAK": 100_000_000}
    assert d.budget_by_year_source == {
        (2025, "APBD"): 250_000_000, (2026, "APBD"): 300_000_000, (2026, "DAK"): 100_000_000,
    }
    assert d.budget_by_dimension == {"SG": 650_000_000, "SB": 0, "SE": 0, "SL": 0, "SS": 0, "SEN": 0}
    assert d.budget_by_opd == {"DISKOMINFO": 650_000_000}
    assert d.years == list(range(2025, 2035))


def test_roadmap_rows_come_from_the_action_plan_years():
    d = minimal()
    (row,) = d.roadmap["SG"]
    assert (row.program.kode, row.years, row.span) == ("SG-P01", (2025, 2026), (2025, 2029))
    assert d.roadmap["SB"] == []


def test_programs_follow_the_dimension_of_their_strategy():
    d = minimal()
    assert [p.kode for p in d.programs_by_dimension["SG"]] == ["SG-P01"]
    assert d.program_sub_dimension(d.programs["SG-P01"]) == "SG1"


def test_final_evaluation_score_is_reported_or_computed_from_weights():
    d = minimal()
    scores = {"baseline": 3.84, "output": 3.18, "outcome": 3.53, "impact": 3.63, "quick_win": 3.35}
    computed, was_computed = d.evaluation_final(m.Evaluasi(tahun=2024, skor=scores))
    assert was_computed and round(computed, 3) == 3.503  # weights 10/20/30/30/10 (data/evaluasi.yaml)
    assert d.evaluation_final(m.Evaluasi(tahun=2024, skor=scores, skor_akhir=3.48)) == (3.48, False)
    assert d.evaluation_final(m.Evaluasi(tahun=2024, skor={"baseline": 3.0})) == (None, False)
    assert d.evaluation_final(m.Evaluasi(tahun=2010, skor=scores)) == (None, False)  # no weights known yet


# --- the numbers the books print (issue 8: templates format, derive computes) ------------------


def samples() -> list[Derived]:
    from conftest import ROOT

    result = check_paths(ROOT / "cities" / "tanjungpinang.yaml", ROOT / "cities" / "kutai-timur.yaml")
    return [Derived(c.plan, c.catalog) for c in result.cities]


def test_action_figures_of_the_minimal_city():
    d = minimal()
    (a,) = d.plan.rencana_aksi
    assert d.action_total(a) == 650_000_000
    assert d.years_of([a], "anggaran") == [2025, 2026] and d.yearly_budget(a, [2024, 2025, 2026]) == \
        [None, 250_000_000, 400_000_000]
    assert d.action_sources(a) == ["APBD", "DAK"]
    assert d.year_by_source(2026, ["APBD", "DAK", "CSR"]) == [300_000_000, 100_000_000, None]
    assert d.sources_used == ["APBD", "DAK"]
    assert d.share(100_000_000, d.total_budget) == 100 * 100_000_000 / 650_000_000 and d.share(1, 0) is None
    assert d.largest(d.budget_by_source) == ("APBD", 550_000_000) and d.largest({}) is None


def test_the_parts_add_up_to_the_totals_in_both_samples():
    """Every breakdown a book prints sums to the total it prints beside it."""
    for d in samples():
        total = d.total_budget
        assert sum(d.action_total(a) for a in d.plan.rencana_aksi) == total
        assert sum(sum(v or 0 for v in d.year_by_source(y, d.sources_used)) for y in d.years) == total
        assert sum(sum(v or 0 for v in d.yearly_budget(a, d.years)) for a in d.plan.rencana_aksi) == total
        assert sum(len(acts) for acts in d.actions_by_dimension.values()) == len(d.plan.rencana_aksi)
        assert sum(d.action_count_by_opd.values()) == len(d.plan.rencana_aksi)
        assert round(sum(d.share(v, total) for v in d.budget_by_dimension.values()), 9) == 100
        phases = d.plan.peta_jalan.fase
        covered = {y for f in phases for y in range(f.mulai, f.selesai + 1)}
        assert sum(d.phase_budget(f) for f in phases) == sum(d.budget_by_year.get(y, 0) for y in covered)
        assert sum(d.quick_win_total(q) for q in d.plan.quick_win) == d.quick_win_budget


def test_readiness_mean_and_steps():
    for d in samples():
        scores = [k.skor for k in d.plan.kesiapan]
        assert d.readiness_mean == sum(scores) / len(scores)
        for element in d.readiness_by_element:
            low, items = d.readiness_lowest(element)
            assert low == min(k.skor for k in d.plan.kesiapan if k.elemen == element)
            assert items and all(k.skor == low and k.elemen == element for k in items)
    assert Derived.readiness_step(2.5) == 2 and Derived.readiness_step(3.5) == 4  # half to even, as before
    assert minimal().readiness_mean is None or isinstance(minimal().readiness_mean, float)


def test_risks_highest_first_keeping_the_city_order_on_ties():
    for d in samples():
        ranked = d.risks_by_level()
        scores = [s for s, _ in ranked]
        assert scores == sorted(scores, reverse=True)
        risks = d.plan.tata_kelola.risiko
        for score in set(scores):
            tied = [r for s, r in ranked if s == score]
            assert tied == [r for r in risks if d.RISK_LEVEL[r.kemungkinan] * d.RISK_LEVEL[r.dampak] == score]


def test_programs_by_jangka_in_order_without_empty_groups():
    for d in samples():
        groups = d.programs_by_jangka(d.plan.program)
        assert list(groups) == [j for j in ("pendek", "menengah", "panjang") if j in groups]
        assert all(groups.values()) and sum(len(v) for v in groups.values()) == len(d.plan.program)


# --- the site: its numbers come from derive too (issue 8) ----------------------------------------


def test_national_figures_are_the_sums_over_the_sample_cities():
    from cetakbiru.derive import national

    cities = samples()
    catalog = cities[0].catalog
    n = national(cities, catalog)
    plans = [d.plan for d in cities]
    # computed here from the city files' lists, not from Derived
    dimension_of = {s.kode: s.dimensi for p in plans for s in p.strategi}
    for code in catalog.dimensions:
        assert n.programs[code] == sum(1 for p in plans for pr in p.program if dimension_of[pr.strategi] == code)
        assert n.quick_wins[code] == sum(1 for p in plans for q in p.quick_win if q.dimensi == code)
    assert n.program_count == sum(len(p.program) for p in plans) > 0
    assert n.quick_win_count == sum(len(p.quick_win) for p in plans) > 0
    assert n.largest_count == max([*n.programs.values(), *n.quick_wins.values()])
    entries = [(y, s, v) for p in plans for a in p.rencana_aksi for y, by in a.anggaran.items() for s, v in by.items()]
    assert n.total == sum(v for _, _, v in entries) > 0
    assert n.years == sorted({y for y, _, _ in entries})
    assert set(n.sources) == {s for _, s, _ in entries} and n.sources[0] == "APBD"  # the catalog's order
    for s in n.sources:
        assert n.budget_by_source[s] == sum(v for _, src, v in entries if src == s)
        assert n.source_shares[s] == 100 * n.budget_by_source[s] / n.total
    for y in n.years:
        assert n.budget_by_year[y] == sum(v for yr, _, v in entries if yr == y)
        assert sum(v or 0 for v in n.year_by_source(y)) == n.budget_by_year[y]
        assert n.year_by_source(y) == [sum(v for yr, src, v in entries if (yr, src) == (y, s)) or None
                                       for s in n.sources]
    assert n.largest_source_budget == max(n.budget_by_source.values())
    assert round(sum(n.source_shares.values()), 9) == 100


def test_national_figures_of_no_city_are_zero():
    from cetakbiru.derive import national

    n = national([], minimal().catalog)
    assert n.program_count == n.quick_win_count == n.largest_count == n.total == n.largest_source_budget == 0
    assert n.years == n.sources == [] and set(n.programs.values()) == {0}


def test_the_site_figures_of_one_city():
    d = minimal()
    (a,) = d.plan.rencana_aksi
    assert d.action_years(a) == [2025, 2026]
    assert d.budget_years == d.years  # no budget outside the period
    assert d.evaluation_pillars == []
    for d in samples():
        for a in d.plan.rencana_aksi:
            assert d.action_years(a) == sorted(set(a.target) | set(a.anggaran))
        pillars = {k for ev in d.plan.evaluasi for k in ev.skor_pilar}
        assert set(d.evaluation_pillars) == pillars
        assert d.evaluation_pillars == [c for c in d.catalog.dimensions if c in pillars]  # all six, framework order


def test_evaluations_in_order_of_year_then_stage_and_who_held_them():
    d = minimal()
    p = m.Petugas
    d.plan.evaluasi = [
        m.Evaluasi(tahun=2026, tahap="II", evaluator=[p(nama="A", instansi="Kementerian X")]),
        m.Evaluasi(tahun=2026, tahap="I", pendamping=[p(nama="B", instansi="Universitas Y")]),
        m.Evaluasi(tahun=2025, tahap="II"),
        m.Evaluasi(tahun=2027, evaluator=[p(nama="C", instansi="Kementerian X"), p(nama="D", instansi="Lembaga Z")]),
    ]
    assert [(e.tahun, e.tahap) for e in d.evaluations] == [(2025, "II"), (2026, "I"), (2026, "II"), (2027, None)]
    assert [(e.tahun, e.tahap) for e in d.evaluations_conducted] == [(2026, "I"), (2026, "II"), (2027, None)]
    assert d.first_evaluation.tahun == 2025
    assert d.evaluation_institutions("evaluator") == ["Kementerian X", "Lembaga Z"]
    assert d.evaluation_institutions("pendamping") == ["Universitas Y"]
    assert minimal().first_evaluation is None
