"""Hypothesis against the one escaping path (cetakbiru/escape.py), read back by pandoc itself.

- Plain text: whatever it holds, pandoc reads `escape.md(text)` as exactly that text (less control
  characters, which the check refuses anyway), as plain words (no emphasis, link, code, raw format,
  math, citation, note, list, heading...).
- Rich text: whatever it holds, what pandoc reads from `escape.rich(text)` is only the safe subset.
- The renderer: a city whose every free-text field holds generated text renders every book, and
  pandoc finds nothing raw in it.
Many examples go to pandoc in one call, as separate blocks, so a run stays short.
"""

from __future__ import annotations

import json

import pypandoc
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cetakbiru import escape, labels

# markup characters of every Markdown flavour, line starts and the characters pandoc treats specially
MARKUP = list("\\`*_{}[]()<>#+-.!|~^$@&%:;=\"'/?0123456789aAiIvVxX \t\n") + [
    "---", "...", "<!--", "-->", "{=", "\u00a0", "é"]
texts = st.lists(st.sampled_from(MARKUP), max_size=40).map("".join) | st.text(max_size=40)
READER_EXACT = escape.READER + "-smart"  # compare the very characters, not curly quotes

PLAIN = {"Str", "Space", "SoftBreak"}
RICH = PLAIN | {"Emph", "Strong", "Strikeout", "Code", "Link", "LineBreak", "Para", "Plain", "BulletList",
                "OrderedList", "BlockQuote", "Table"}
# tags that describe a list's numbering or a table column, not content
RICH |= {"Decimal", "Period", "DefaultStyle", "DefaultDelim", "OneParen", "TwoParens", "AlignLeft", "AlignRight",
         "AlignCenter", "AlignDefault", "ColWidth", "ColWidthDefault"}


def _blocks(markdown: str) -> list[dict]:
    return json.loads(pypandoc.convert_text(markdown, "json", format=READER_EXACT))["blocks"]


def _text(inlines: list[dict]) -> str:
    out = []
    for node in inlines:
        out.append(node["c"] if node["t"] == "Str" else " ")
    return "".join(out)


def _kinds(node, found: set[str], links: list[str]) -> None:
    if isinstance(node, dict):
        if "t" in node:
            found.add(node["t"])
            if node["t"] == "Link":
                links.append(node["c"][2][0])
        for value in node.values():
            _kinds(value, found, links)
    elif isinstance(node, list):
        for value in node:
            _kinds(value, found, links)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts.filter(lambda t: escape.text(t)), min_size=1, max_size=25))
@example(["X \\", "0)", "- a", "1. b", "a) c", "Table: d", "---", "%title", ": e", "= f", "H. Syamsul", "A.", "IV.",
          "2019-2028", "SK 188.45/2019-2020"])
def test_plain_text_reads_back_as_itself(values):
    markdown = "\n\n".join(f"X {escape.md(v)}" for v in values) + "\n\n" + "\n\n".join(escape.md(v) for v in values)
    blocks = _blocks(markdown)
    assert len(blocks) == 2 * len(values), markdown
    prefixes = ["X "] * len(values) + [""] * len(values)  # mid-line, then at the start of a line
    for prefix, value, block in zip(prefixes, values * 2, blocks, strict=True):
        assert block["t"] == "Para", (value, block)
        kinds: set[str] = set()
        _kinds(block["c"], kinds, [])
        assert kinds <= PLAIN, (value, kinds)
        expected = " ".join(escape._CONTROL.sub("", value).split())  # control characters are dropped
        expected = escape._YEAR_RANGE.sub(escape._en_dash, expected)  # a span of years takes an en dash
        got = _text(block["c"]).replace(escape.ZWSP, "")
        assert got == prefix + expected.replace(escape.ZWSP, "")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=20))
def test_rich_text_expresses_only_the_safe_subset(values):
    markdown = "\n\n".join(str(escape.rich(v)) or "x" for v in values)
    found: set[str] = set()
    links: list[str] = []
    _kinds(_blocks(markdown), found, links)
    assert found <= RICH, found - RICH
    assert all(link.lower().startswith(("http://", "https://", "mailto:")) for link in links), links
    inline = "\n\n".join(escape.rich(v).inline or "x" for v in values)
    found = set()
    _kinds(_blocks(inline), found, links)
    assert found <= RICH - {"BulletList", "OrderedList", "BlockQuote", "Table"}, found


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=8, max_size=8))
def test_every_book_of_a_city_with_generated_text_is_free_of_raw_markup(values):
    import dataclasses

    from conftest import FIXTURES, check_paths
    from hostile import _is_free_text, _is_rich

    from cetakbiru import render
    from cetakbiru.validate import hints

    (city,) = check_paths(FIXTURES / "minimal.yaml").cities
    counter = iter(range(10**6))

    def fill(obj):
        for fld in dataclasses.fields(obj):
            value, tp = getattr(obj, fld.name), hints(type(obj))[fld.name]
            if dataclasses.is_dataclass(value):
                fill(value)
            elif isinstance(value, list):
                for item in value:
                    if dataclasses.is_dataclass(item):
                        fill(item)
            elif isinstance(value, str) and (_is_free_text(tp) or _is_rich(tp)):
                setattr(obj, fld.name, values[next(counter) % len(values)] or "x")

    fill(city.plan)
    for jenis in labels.BOOK_KINDS:
        from cetakbiru import model as m

        rendered = render.render_book(city.plan, city.catalog, m.Buku(jenis=jenis, nomor="I"))
        found: set[str] = set()
        links: list[str] = []
        _kinds(_blocks(rendered.markdown), found, links)
        assert not found & {"RawBlock", "RawInline", "Math", "Cite", "Note"}, (jenis, found)
        assert all(link.startswith(("http://", "https://", "mailto:", "#")) for link in links), links
