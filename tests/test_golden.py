"""Golden tests of the intermediate Markdown of every book of the sample cities and the sparse one.

Refresh on purpose, then review the diff like code:

    python3 test.py tests/test_golden.py --update-golden
"""

import dataclasses
import difflib
import re

import pytest
from conftest import ROOT, SAMPLE_CITIES, SPARSE_CITY, check_paths

from cetakbiru import labels, render
from cetakbiru import model as m

GOLDEN = ROOT / "tests" / "golden"
CITIES = [*SAMPLE_CITIES, SPARSE_CITY.stem]  # the samples and the sparse city of the tests

# Neither sample enables Buku IV Peta Jalan (`dokumen.buku` empty: the default set). The golden of
# Buku IV renders each sample as if it listed the default books with Buku IV after the numbered ones.
BUKU_IV = m.Buku(jenis="peta_jalan", nomor="IV")
WITH_PETA_JALAN = [*(b for b in render.DEFAULT_BOOKS if b.nomor), BUKU_IV,
                   *(b for b in render.DEFAULT_BOOKS if not b.nomor)]


def rendered_books():
    result = check_paths(*(ROOT / "cities" / f"{c}.yaml" for c in SAMPLE_CITIES), SPARSE_CITY)
    assert [c.slug for c in result.cities] == CITIES and not result.errors
    for city in result.cities:
        for book in render.books_of(city.plan):
            yield city.slug, render.render_book(city.plan, city.catalog, book)
    for city in result.cities:
        assert not city.plan.dokumen.buku, "a sample now lists its books: render Buku IV from its own list"
        plan = dataclasses.replace(city.plan, dokumen=dataclasses.replace(city.plan.dokumen, buku=WITH_PETA_JALAN))
        yield city.slug, render.render_book(plan, city.catalog, BUKU_IV)


RENDERED = list(rendered_books())


def test_every_book_kind_has_a_golden():
    """Each jenis of book (Buku IV Peta Jalan included) is pinned for both samples."""
    pinned = {(city, rendered.slug) for city, rendered in RENDERED}
    assert pinned == {(city, slug) for city in CITIES for slug in (k.slug for k in labels.BOOK_KINDS.values())}


@pytest.mark.parametrize("city, rendered", RENDERED, ids=lambda x: getattr(x, "slug", x))
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


@pytest.mark.parametrize("city, rendered", RENDERED, ids=lambda x: getattr(x, "slug", x))
def test_every_heading_starts_a_block(city, rendered):
    """A heading glued to the paragraph above is printed as text ("## 4.1 Smart Governance
    {#bab-4-1}") and missing from the Daftar Isi: every heading follows a blank line or a div fence."""
    lines = rendered.markdown.split("\n")
    glued = [f"{i + 1}: {line[:60]}" for i, line in enumerate(lines)
             if i and line.startswith("#") and lines[i - 1].strip() and not lines[i - 1].startswith(":::")]
    assert not glued, glued


@pytest.mark.parametrize("city, rendered", RENDERED, ids=lambda x: getattr(x, "slug", x))
def test_the_region_is_named_in_its_own_words(city, rendered):
    """"Kabupaten/Kota" only where the text speaks of the national programme (issue 9): a kota's
    APBD is "Anggaran Pendapatan dan Belanja Daerah Kota", in tables, prose and figure legends."""
    for paragraph in rendered.markdown.split("\n\n"):
        if re.search(r"(?i)kabupaten/kota|kota/kabupaten", paragraph):
            assert "Gerakan Menuju" in paragraph, paragraph[:200]
    if rendered.slug == "buku-2-masterplan":  # its Tabel 8.x of funding sources names the APBD
        word = "Kota" if city == "tanjungpinang" else "Kabupaten"  # the others are kabupaten
        assert f"| APBD | Anggaran Pendapatan dan Belanja Daerah {word} |" in rendered.markdown


@pytest.mark.parametrize("city, rendered", RENDERED, ids=lambda x: getattr(x, "slug", x))
def test_puebi_terms_and_one_dash_for_year_ranges(city, rendered):
    """PUEBI: the prefixes sub- and antar- are written joined (subdimensi, subelemen); a span of
    years takes an en dash, whether we wrote it or the city file did."""
    text = rendered.markdown
    assert not re.findall(r"(?i)\bsub-(?:dimensi|elemen)|\bantar (?:dokumen|daerah|perangkat)", text)
    assert not re.findall(r"(?<![\w/.])(?:19|20)\d\d-(?:19|20)\d\d(?![\w/])", text)


STANDARD_BAB_I = ["Latar Belakang", "Maksud dan Tujuan", "Ruang Lingkup", "Dasar Hukum", "Sistematika Penulisan"]


@pytest.mark.parametrize("city, rendered", [(c, r) for c, r in RENDERED if r.book.nomor],
                         ids=lambda x: getattr(x, "slug", x))
def test_bab_i_of_every_numbered_book_has_the_standard_sections(city, rendered):
    """Latar Belakang, Maksud dan Tujuan, Ruang Lingkup, Dasar Hukum, Sistematika Penulisan, in this
    order (a book may add its own between them), numbered 1.1, 1.2... without gaps. The Ringkasan
    Eksekutif, a summary, has its own."""
    bab_i = rendered.markdown.split("\n# BAB I ", 1)[1].split("\n# ", 1)[0]
    sections = re.findall(r"^## 1\.(\d+) (.+?) \{#", bab_i, re.M)
    assert [int(n) for n, _ in sections] == list(range(1, len(sections) + 1))
    titles = [t for _, t in sections]
    found = [next((t for t in titles if t.startswith(s)), None) for s in STANDARD_BAB_I]
    assert None not in found, (titles, STANDARD_BAB_I)
    assert [titles.index(t) for t in found] == sorted(titles.index(t) for t in found), titles
