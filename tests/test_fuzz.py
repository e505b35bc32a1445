"""Hypothesis: whatever a file holds, checking it reports problems and never raises."""

import datetime as dt
import typing

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cetakbiru import model as m
from cetakbiru.catalog import load_catalog
from cetakbiru.load import compose
from cetakbiru.problems import Report
from cetakbiru.validate import build, check_city, fields

CATALOG, _ = load_catalog()
KEYS = sorted({name for cls in vars(m).values() if isinstance(cls, type) and hasattr(cls, "__dataclass_fields__")
               for name in fields(cls)})
CODES = ["SG", "SB", "SEN", "SG1", "APBD", "DAK", "struktur", "digital", "M1", "SG-S1", "SG-P01", "DISKOMINFO", "umum"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True), st.text(max_size=30),
    st.sampled_from(CODES), st.integers(1940, 2110), st.dates(dt.date(1900, 1, 1), dt.date(2200, 1, 1)),
    st.sampled_from(["<b>x</b>", "# Judul", "    kode", "[a](javascript:x)", "![g](a.png)", "ISI: x", "2025-13", "../x.png"]),
)
keys = st.one_of(st.sampled_from(KEYS), st.integers(1940, 2110), st.sampled_from(CODES), st.text(max_size=8))
trees = st.recursive(scalars, lambda kids: st.one_of(st.lists(kids, max_size=4), st.dictionaries(keys, kids, max_size=6)), max_leaves=40)
roots = st.dictionaries(st.sampled_from(list(fields(m.Masterplan))), trees, max_size=12)


def check_text(text: str) -> Report:
    report = Report("kota.yaml")
    node = compose(text, report)
    if node is not None:
        plan = build(node, m.Masterplan, report)
        if plan is not None and not report.errors:
            check_city(plan, CATALOG, report)
        elif plan is not None:
            check_city(plan, CATALOG, report)  # pass 2 must also survive a half-built plan
    return report


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("abc:-[]{}#&*!|>'\"\n \t?,%@`0123456789.")), max_size=200))
def test_random_text_never_raises(text):
    check_text(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roots)
def test_random_documents_shaped_like_cities_never_raise(doc):
    text = yaml.safe_dump(doc, allow_unicode=True)
    report = check_text(text)
    assert all(p.line >= 1 and p.col >= 1 for p in report.problems)


def test_the_strategies_reach_deep_fields():
    """Guard against a fuzzer that only ever meets top-level type errors."""
    assert "opd_pj" in KEYS and "anggaran" in KEYS and typing.get_origin(m.Masterplan) is None
