"""The sample cities: complete, clean under --strict, rich enough for every chapter."""

import json

import jsonschema
import pytest
import yaml
from conftest import ROOT, check_paths

from cetakbiru.derive import Derived
from cetakbiru.export import jsonable

SAMPLES = {"tanjungpinang": "kota", "kutai-timur": "kabupaten"}


@pytest.fixture(scope="module")
def cities():
    result = check_paths(*(ROOT / "cities" / f"{slug}.yaml" for slug in SAMPLES))
    assert [str(p) for p in result.problems] == []  # no error and no warning: they pass --strict
    return {c.slug: c for c in result.cities}


@pytest.mark.parametrize("slug", SAMPLES)
def test_sample_is_complete(cities, slug):
    city = cities[slug]
    plan, d = city.plan, Derived(city.plan, city.catalog)
    assert plan.daerah.jenis == SAMPLES[slug]
    assert plan.dokumen.ilustratif and "rekaan" in plan.dokumen.catatan_ilustratif
    assert len(plan.program) >= 30
    assert len(plan.quick_win) >= 6
    assert all(d.programs_by_dimension[dim] and d.quick_wins_by_dimension[dim] for dim in city.catalog.dimensions)
    budget_years = sorted(d.budget_by_year)
    assert len(budget_years) >= 5 and all(d.budget_by_year[y] > 0 for y in budget_years[:5])
    assert {k.elemen for k in plan.kesiapan} >= {"struktur", "infrastruktur", "suprastruktur"}
    assert plan.swot and plan.isu_strategis and plan.misi and plan.tujuan and plan.sasaran and plan.evaluasi
    assert plan.kata_sambutan and plan.kata_pengantar and plan.singkatan and plan.peta_jalan.fase
    assert d.total_budget == sum(d.budget_by_dimension.values()) == sum(d.budget_by_opd.values())


def test_tanjungpinang_uses_the_public_facts(cities):
    plan = cities["tanjungpinang"].plan
    assert (plan.penetapan.jenis, plan.penetapan.nomor, plan.penetapan.tahun) == ("Perwali", "84", 2020)
    names = {q.nama.upper() for q in plan.quick_win}
    assert {"TOSSA", "SIAP", "SICEPAT", "TANJAK"} <= {n.split()[0] for n in names} | names
    assert {q.tahun for q in plan.quick_win} == {2021, 2022}


@pytest.mark.parametrize("slug", SAMPLES)
def test_editor_schema_accepts_the_samples(slug):
    schema = json.loads((ROOT / "schema" / "masterplan.schema.json").read_text())
    doc = jsonable(yaml.safe_load((ROOT / "cities" / f"{slug}.yaml").read_text()))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(doc)]
    assert errors == []


def test_editor_schema_flags_what_check_flags():
    schema = json.loads((ROOT / "schema" / "masterplan.schema.json").read_text())
    doc = jsonable(yaml.safe_load((ROOT / "tests" / "fixtures" / "lima-kesalahan.yaml").read_text()))
    messages = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(doc)]
    assert any("'terbit' is not one of" in msg for msg in messages)
    assert any("propinsi" in msg for msg in messages)
    assert any("-100000000 is less than the minimum of 0" in msg for msg in messages)
