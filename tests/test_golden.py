"""Golden tests of the intermediate Markdown of every book of the sample cities.

Refresh on purpose, then review the diff like code:

    python3 test.py tests/test_golden.py --update-golden
"""

import difflib

import pytest
from conftest import ROOT, check_paths

from cetakbiru import render

GOLDEN = ROOT / "tests" / "golden"
CITIES = ["tanjungpinang", "kutai-timur"]


def rendered_books():
    result = check_paths(*(ROOT / "cities" / f"{c}.yaml" for c in CITIES))
    for city in result.cities:
        for book in render.books_of(city.plan):
            yield city.slug, render.render_book(city.plan, city.catalog, book)


@pytest.mark.parametrize("city, rendered", list(rendered_books()), ids=lambda x: getattr(x, "slug", x))
def test_markdown_matches_golden(request, city, rendered):
    path = GOLDEN / city / f"{rendered.slug}.md"
    if request.config.getoption("--update-golden"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered.markdown, encoding="utf-8")
    assert path.is_file(), f"no golden file: run `python3 test.py {__file__} --update-golden`"
    expected = path.read_text(encoding="utf-8")
    if rendered.markdown != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), rendered.markdown.splitlines(True),
                                            str(path), "rendered", n=2))
        pytest.fail(f"Markdown differs from {path.relative_to(ROOT)}:\n{diff[:6000]}")
