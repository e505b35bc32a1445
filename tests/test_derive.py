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
    assert d.budget_by_year_source == {(2025, "APBD"): 250_000_000, (2026, "APBD"): 300_000_000, (2026, "DAK"): 100_000_000}
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
