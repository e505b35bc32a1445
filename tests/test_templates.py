"""The book and site templates format; they do not compute (issue 8). Every number a reader sees comes
from `derive`: a template that adds, multiplies, divides or sums values fails here, wherever it does it."""

import re

import jinja2
import pytest
from conftest import ROOT
from jinja2 import nodes

from cetakbiru import render, site

BOOK_TEMPLATES = sorted((ROOT / "templates" / "book").glob("*.j2"))
SHARED_PROSE = sorted((ROOT / "content" / "buku").glob("*.j2"))
SITE_PAGES = sorted((ROOT / "templates" / "site" / "pages").glob("*.j2"))  # Jinja's default delimiters
ARITHMETIC = (nodes.Add, nodes.Sub, nodes.Mul, nodes.Div, nodes.FloorDiv, nodes.Mod, nodes.Pow, nodes.Neg)
MAX_SETS = 160  # issue 8: the 538 `{% set %}` of templates/book/ down by 70 %


def computations(source: str, name: str = "template", env: jinja2.Environment | None = None) -> list[str]:
    """Where a template computes: arithmetic operators, the `sum` filter, `namespace()`
    accumulators (a running total in a loop). Each as 'line N: what'. `env`: the environment that
    parses it (the books' by default; the site's for templates/site/pages/)."""
    tree = (env or render.env()).parse(source, name)
    found = []
    for node in tree.find_all((*ARITHMETIC, nodes.Filter, nodes.Call)):
        if isinstance(node, nodes.Filter) and node.name != "sum":
            continue
        if isinstance(node, nodes.Call) and not (isinstance(node.node, nodes.Name) and node.node.name == "namespace"):
            continue
        what = node.name if isinstance(node, nodes.Filter) else "namespace" if isinstance(node, nodes.Call) \
            else type(node).__name__
        found.append(f"line {node.lineno}: {what}")
    return found


@pytest.mark.parametrize("path", BOOK_TEMPLATES + SHARED_PROSE, ids=lambda p: p.name)
def test_templates_do_no_arithmetic(path):
    found = computations(path.read_text(encoding="utf-8"), path.name)
    assert not found, f"{path.relative_to(ROOT)} computes (move it to derive.py): {found}"


@pytest.mark.parametrize("path", SITE_PAGES, ids=lambda p: p.name)
def test_site_templates_do_no_arithmetic(path):
    found = computations(path.read_text(encoding="utf-8"), path.name, site._env())
    assert not found, f"{path.relative_to(ROOT)} computes (move it to derive.py, or site.py for bar geometry): {found}"


def test_the_site_pages_are_checked():
    names = {p.name for p in SITE_PAGES}
    assert {"_makro.md.j2", "beranda.md.j2", "kota.md.j2", "kota-dimensi.md.j2", "kota-quick-win.md.j2"} <= names


@pytest.mark.parametrize("snippet, what", [
    ("{{ (100 * value / top)|round(1) }}", "Mul"), ("{{ g.berkas[:-4] }}", "Neg"),
    ("{% set n = namespace(v=0) %}", "namespace"), ("{{ q.anggaran.values()|sum }}", "sum"),
])
def test_the_site_check_sees_each_kind(snippet, what):
    assert any(what in f for f in computations(snippet, env=site._env())), snippet


@pytest.mark.parametrize("snippet, what", [
    ("{{ a + b }}", "Add"), ("{{ 100 * x / total }}", "Mul"), ("{{ items|sum(attribute='v') }}", "sum"),
    ("{% set t = namespace(v=0) %}{% for x in xs %}{% set t.v = t.v + x %}{% endfor %}", "namespace"),
    ("{% for y in range(f.mulai, f.selesai + 1) %}{% endfor %}", "Add"), ("{{ -x }}", "Neg"),
    ("{{ doc.tables + 2 }}", "Add"), ("{{ n // 10 }}", "FloorDiv"),
])
def test_the_arithmetic_check_sees_each_kind(snippet, what):
    assert any(what in f for f in computations(snippet)), snippet


def test_the_arithmetic_check_leaves_formatting_alone():
    assert computations('{{ "Tabel " ~ x }}{{ rp(d.total_budget) }}{{ xs|join(", ") }}{% if a > b %}{% endif %}') == []


def test_set_statements_are_few():
    counts = {p.name: len(re.findall(r"\{%-?\s*set\b", p.read_text(encoding="utf-8"))) for p in BOOK_TEMPLATES}
    assert sum(counts.values()) <= MAX_SETS, counts


def test_no_typed_chapter_numbers():
    """Chapters are referred to by label (`doc.ref("bab:program")`), never by a typed number."""
    for path in BOOK_TEMPLATES + SHARED_PROSE:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r'"BAB "\s*~|\|romawi|doc\.tables\b|doc\.figures\b|bab\[\d', text), path.name


def test_every_template_parses():
    parsed = [(p, render.env()) for p in BOOK_TEMPLATES + SHARED_PROSE] + [(p, site._env()) for p in SITE_PAGES]
    for path, env in parsed:
        try:
            env.parse(path.read_text(encoding="utf-8"), path.name)
        except jinja2.TemplateSyntaxError as exc:  # pragma: no cover - the message is the point
            pytest.fail(f"{path.name}:{exc.lineno}: {exc.message}")
