"""Layout a reviewer notices, measured on the PDFs and DOCX of both samples (the session's books,
tests/conftest.py `built`): table headers that run together, a table's last row or its source note
alone on a page, front-matter pages of a few overflow lines, pages left two-thirds empty, the
Ringkasan's dimension summaries split over pages, tables without a caption.

The PDF is read as a reader sees it: the words' boxes (pdftotext -bbox), the header cells' fills
(the page's drawing operators, as typst writes them).
"""

import re
import subprocess
import zipfile
from dataclasses import dataclass, field

import pypdf
import pytest
from lxml import etree

from cetakbiru import docx as cb_docx
from cetakbiru import labels

CITIES = ["tanjungpinang", "kutai-timur", "lembah-hijau"]  # the samples and the sparse city (conftest.SPARSE_CITY)
CM = 72 / 2.54
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}


@dataclass
class Word:
    text: str
    x0: float
    y0: float  # from the top of the page
    x1: float
    y1: float


@dataclass
class Page:
    number: int  # 1-based
    label: str  # the PDF page label: "ii", "3"; "" for the cover
    width: float
    height: float
    words: list[Word]  # every word on the page
    fills: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0, y0, x1, y1

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def area(self) -> tuple[float, float]:
        """The top and bottom of the text area (book.typst's margins; landscape pages have their own)."""
        top, bottom = (2.4 * CM, 2.2 * CM) if self.landscape else (2.6 * CM, 2.4 * CM)
        return top, self.height - bottom

    @property
    def body(self) -> list[Word]:
        """The words of the text area: no running header, no page number."""
        top, bottom = self.area
        return [w for w in self.words if w.y1 > top + 2 and w.y0 < bottom - 2]

    def lines(self) -> list[str]:
        """The text area's lines, top to bottom (words whose middles are within 2 pt share a line)."""
        out: list[list[Word]] = []
        for w in sorted(self.body, key=lambda w: ((w.y0 + w.y1) / 2, w.x0)):
            mid = (w.y0 + w.y1) / 2
            if out and abs((out[-1][0].y0 + out[-1][0].y1) / 2 - mid) < 2:
                out[-1].append(w)
            else:
                out.append([w])
        return [" ".join(w.text for w in sorted(line, key=lambda w: w.x0)) for line in out]

    @property
    def fill(self) -> float:
        """How far down the text area the content reaches, 0 to 1."""
        top, bottom = self.area
        end = max((w.y1 for w in self.body), default=top)
        return (end - top) / (bottom - top)


# typst draws a filled header cell as `q 1 0 0 -1 X Y cm ... scn 0 0 m W 0 l W H l 0 H l h f`
# (y grows downwards inside the q...Q)
FILL = re.compile(rb"q 1 0 0 -1 ([\d.]+) ([\d.]+) cm/\w+ cs [\d. ]+ scn "
                  rb"0 0 m ([\d.]+) 0 l [\d.]+ ([\d.]+) l 0 [\d.]+ l\s*h\s*f")

_cache: dict = {}


def pdf_pages(path) -> list[Page]:
    if path in _cache:
        return _cache[path]
    reader = pypdf.PdfReader(path)
    page_labels = list(reader.page_labels)
    xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(xml, etree.HTMLParser(encoding="utf-8"))
    pages = []
    for i, (el, pdf_page) in enumerate(zip(root.iter("page"), reader.pages, strict=True)):
        width, height = float(el.get("width")), float(el.get("height"))
        words = [Word(w.text or "", *(float(w.get(k)) for k in ("xmin", "ymin", "xmax", "ymax")))
                 for w in el.iter("word")]
        data = pdf_page.get_contents().get_data()
        fills = [(float(x), height - float(y), float(x) + float(w), height - float(y) + float(h))
                 for x, y, w, h in FILL.findall(data)
                 if float(h) < 60 and float(w) < width / 2]  # a table cell: not the cover, not a framed note
        label = page_labels[i] if i < len(page_labels) else str(i + 1)
        pages.append(Page(i + 1, "" if i == 0 else label, width, height, words, fills))
    _cache[path] = pages
    return pages


def books_of(built, city):
    return [b for b in built["books"] if b.city == city]


def body_pages(pages: list[Page]) -> list[Page]:
    return [p for p in pages if p.label.isdigit()]


def front_pages(pages: list[Page]) -> list[Page]:
    return [p for p in pages if p.label and not p.label.isdigit()]


CHAPTER_START = re.compile(r"^(BAB [IVXLC]+|{}|{} \d+)\b".format(
    re.escape(labels.frame("daftar_pustaka").upper()), re.escape(labels.frame("lampiran"))))


# --- table headers ----------------------------------------------------------------------------

def header_collisions(pages: list[Page], margin: float = 2.0) -> list[str]:
    """Header words that reach past their cell's padding: `margin` pt inside the filled cell, so
    two neighbouring headers' words are always at least twice that apart ('KemungkinanDampak')."""
    found = []
    for page in pages:
        for w in page.words:
            cx, cy = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
            for x0, y0, x1, y1 in page.fills:
                if x0 <= cx <= x1 and y0 <= cy <= y1 and (w.x0 < x0 + margin or w.x1 > x1 - margin):
                    found.append(f"p{page.number} {w.text!r} [{w.x0:.1f}, {w.x1:.1f}] in cell [{x0:.1f}, {x1:.1f}]")
    return found


@pytest.mark.parametrize("city", CITIES)
def test_table_header_words_stay_in_their_cells(built, city):
    """Every header cell of every table of every book: its words stay within its padding."""
    for b in books_of(built, city):
        pages = pdf_pages(b.files["pdf"])
        assert sum(len(p.fills) for p in pages) > 10, (b.slug, "no header cells found: the measure is broken")
        assert not header_collisions(pages), (b.slug, header_collisions(pages)[:5])


def test_the_header_check_sees_words_running_together():
    """'Penanggung' 0.6 pt past its cell (Buku II, Tanjungpinang, before its widths were fixed)."""
    page = Page(1, "1", 595, 842, [Word("Penanggung", 317.8, 600, 371.1, 610), Word("OPD", 375.5, 600, 392, 610)],
                fills=[(312.8, 595, 370.5, 620), (370.5, 595, 430, 620)])
    assert len(header_collisions([page])) == 1
    page.words[0].x1 = 360
    assert not header_collisions([page])


# --- table ends -------------------------------------------------------------------------------

TABLE_TEXT = 8.6  # pt: the height of a word's box in a table (8.8 pt type); body text is 10.3


def text_lines(words: list[Word]) -> list[tuple[float, float, str]]:
    """(top, bottom, text) of each line, top to bottom."""
    out: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.y0, w.x0)):
        if out and abs(out[-1][0].y0 - w.y0) < 2:
            out[-1].append(w)
        else:
            out.append([w])
    return [(min(w.y0 for w in line), max(w.y1 for w in line), " ".join(w.text for w in line)) for line in out]


def orphaned_rows(page: Page, note: str = "Sumber:") -> int | None:
    """How many rows a table continued at the top of `page` brings there, when it ends there; None
    when the page does not start with a continued table (a header: filled cells, at the top). Rows
    are told apart by the space between them: a cell's lines are 2.6 pt apart, rows 5.8 pt."""
    top, _ = page.area
    heads = [f for f in page.fills if f[1] < top + 4]
    if not heads:
        return None
    head_bottom = max(f[3] for f in heads)
    rows, last = 0, None
    for y0, y1, text in text_lines([w for w in page.body if w.y0 > head_bottom]):
        small = all(w.y1 - w.y0 < TABLE_TEXT for w in page.body if abs(w.y0 - y0) < 2)
        if not small or text.startswith(note) or (last is not None and y0 - last > 12):
            return rows  # the table ends: body text, a heading, its note, or a gap
        if last is None or y0 - last > 4.2:
            rows += 1
        last = y1
    return None  # the table runs to the foot of the page: it goes on


@pytest.mark.parametrize("city", CITIES)
def test_no_table_leaves_its_last_row_or_its_note_alone_on_a_page(built, city):
    """A table continued on a page brings at least two rows there, and no page starts with a
    table's source note ('Sumber: ...')."""
    sumber = labels.frame("sumber") + ":"
    continued = 0
    for b in books_of(built, city):
        for page in body_pages(pdf_pages(b.files["pdf"])):
            lines = page.lines()
            assert not (lines and lines[0].startswith(sumber)), (b.slug, page.number, lines[:2])
            rows = orphaned_rows(page)
            if rows is not None:
                continued += 1
                assert rows >= 2, (b.slug, page.number, lines[:3])
    # the samples' long tables are continued on many pages; the sparse city has one or two
    assert continued > (3 if city in ("tanjungpinang", "kutai-timur") else 0), "no continued table found: broken"


def test_the_row_count_sees_a_lone_last_row():
    top = 2.6 * CM
    head = [(85, top + 1, 200, top + 15), (200, top + 1, 538, top + 15)]
    cells = [Word("Kode", 90, top + 4, 110, top + 12.3)]
    row = [Word("SL1", 90, top + 20, 110, top + 28.3), Word("baris", 90, top + 30.9, 110, top + 39.2)]  # 2 lines
    after = [Word("Paragraf", 85, top + 60, 130, top + 70.3)]
    page = Page(1, "1", 595, 842, cells + row + after, head)
    assert orphaned_rows(page) == 1
    page.words += [Word("SL2", 90, top + 45, 110, top + 53.3)]
    assert orphaned_rows(page) == 2
    page.fills = [(85, top + 60, 538, top + 75)]
    assert orphaned_rows(page) is None


# --- pages --------------------------------------------------------------------------------------

FRONT_TITLES = {labels.frame(k).upper() for k in
                ("kata_sambutan", "kata_pengantar", "daftar_isi", "daftar_tabel", "daftar_gambar", "daftar_singkatan")}


@pytest.mark.parametrize("city", CITIES)
def test_no_front_matter_page_holds_only_a_few_overflow_lines(built, city):
    """A front-matter page that continues the previous one (the Daftar Isi, the Daftar Tabel...)
    holds more than three lines."""
    for b in books_of(built, city):
        front = front_pages(pdf_pages(b.files["pdf"]))
        assert front, b.slug
        for page in front[1:]:  # the first is the cover's verso
            lines = page.lines()
            if lines and lines[0] not in FRONT_TITLES:
                assert len(lines) > 3, (b.slug, page.label, lines)


def may_be_short(pages: list[Page], i: int) -> bool:
    """A page may end high when the next page must start anew: a chapter, a page of the other
    orientation; or when it is the book's last."""
    if i + 1 >= len(pages):
        return True
    nxt = pages[i + 1]
    lines = nxt.lines()
    return nxt.landscape != pages[i].landscape or bool(lines and CHAPTER_START.match(lines[0]))


@pytest.mark.parametrize("city", CITIES)
def test_no_body_page_is_two_thirds_empty(built, city):
    """In the body of every book, a page reaches at least a third of the way down and holds at
    least forty words, unless the next page starts a chapter or turns the paper (then the break is
    the book's, not an accident of layout) or it is the last page."""
    for b in books_of(built, city):
        pages = body_pages(pdf_pages(b.files["pdf"]))
        for i, page in enumerate(pages):
            if may_be_short(pages, i):
                continue
            assert page.fill >= 1 / 3, (b.slug, page.label, round(page.fill, 2), page.lines()[:3])
            assert len(page.body) >= 40, (b.slug, page.label, len(page.body), page.lines()[:3])


@pytest.mark.parametrize("city", CITIES)
def test_each_dimension_summary_of_the_ringkasan_is_on_one_page(built, city):
    """The Ringkasan's strategy summary of each dimension (2.3.1 ... 2.3.6) does not break over a
    page: it ends on its own page, or the next page begins with the next summary or a chapter."""
    b = next(b for b in books_of(built, city) if b.slug == labels.BOOK_KINDS["ringkasan_eksekutif"].slug)
    names = [dim.nama for dim in built["cities"][city].catalog.dimensions.values()]
    heading = re.compile(r"^\d+\.\d+\.\d+ ({})$".format("|".join(map(re.escape, names))))
    pages = body_pages(pdf_pages(b.files["pdf"]))
    where = [(i, line) for i, p in enumerate(pages) for line in p.lines() if heading.match(line)]
    assert [heading.match(line)[1] for _, line in where] == names
    for k, (i, line) in enumerate(where):
        nxt = where[k + 1] if k + 1 < len(where) else None
        if nxt and nxt[0] == i:
            continue  # the next summary starts on the same page
        first = pages[i + 1].lines()[0]
        assert (nxt and first == nxt[1]) or CHAPTER_START.match(first), (line, "runs onto the next page:", first)


def test_the_page_checks_see_a_short_page():
    top = 2.6 * CM
    full = Page(1, "1", 595, 842, [Word("kata", 85, top + 10 * i, 120, top + 10 * i + 9) for i in range(60)])
    short = Page(2, "2", 595, 842, [Word("kata", 85, top, 120, top + 9) for _ in range(50)])
    assert full.fill > 0.8 and short.fill < 0.1
    chapter = Page(3, "3", 595, 842, [Word("BAB", 85, top + 5, 110, top + 14), Word("II", 112, top + 5, 120, top + 14)])
    assert not may_be_short([short, full], 0) and may_be_short([short, chapter], 0)
    assert may_be_short([short, Page(3, "3", 842, 595, [])], 0)


# --- captions -----------------------------------------------------------------------------------

def docx_body(path):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml")).find("w:body", NS)


def style_of(p) -> str | None:
    s = p.find("w:pPr/w:pStyle", NS)
    return None if s is None else s.get(W + "val")


def text_of(el) -> str:
    return "".join(t.text or "" for t in el.iter(W + "t"))


def caption_lines(page: Page) -> list[str]:
    """The lines set in the captions' size (9.5 pt: boxes between a table's 8.3 and the body's 10.3)."""
    return [text for y0, y1, text in text_lines(page.body) if TABLE_TEXT < y1 - y0 < 9.6]


TABLE_NUMBER = re.compile(r"^{} (L?\d+\.\d+)\b".format(re.escape(labels.frame("tabel"))))


@pytest.mark.parametrize("city", CITIES)
def test_every_table_has_a_caption_in_both_formats(built, city):
    """Every table of the body, the appendices' too, has a numbered caption above it in the DOCX
    (a quick-win card's tables are under the card's heading, the front matter's list of
    abbreviations under its own), and the PDF has the same tables."""
    for b in books_of(built, city):
        body = docx_body(b.files["docx"])
        started, previous, numbers = False, None, []
        for el in body:
            if el.tag == W + "p":
                started = started or cb_docx._marker_name(el) == cb_docx.MARKERS["body_start"]
                if style_of(el) == "TableCaption":
                    numbers.append(TABLE_NUMBER.match(text_of(el))[1])
            if el.tag == W + "tbl" and started and not cb_docx._is_card(el):
                assert previous is not None and style_of(previous) == "TableCaption", (b.slug, text_of(el)[:80])
            if el.tag == W + "p" and cb_docx._marker_name(el) is None:
                previous = el
            elif el.tag == W + "tbl":
                previous = el
        in_pdf = [m[1] for p in body_pages(pdf_pages(b.files["pdf"])) for line in caption_lines(p)
                  if (m := TABLE_NUMBER.match(line))]
        assert in_pdf == numbers, (b.slug, in_pdf, numbers)


def test_appendix_tables_are_captioned(built):
    """Tanjungpinang's first appendix holds a table typed in the city file: it is Tabel L1.1."""
    b = next(b for b in books_of(built, "tanjungpinang") if b.slug == labels.BOOK_KINDS["masterplan"].slug)
    caption = f"{labels.frame('tabel')} L1.1 Rekapitulasi Quick Win 2021 dan 2022"
    assert caption in [text_of(p) for p in docx_body(b.files["docx"]).iter(W + "p")]
    assert caption in [line for p in pdf_pages(b.files["pdf"]) for line in caption_lines(p)]


# --- DOCX: what Word keeps together -------------------------------------------------------------

def keeps_next(p) -> bool:
    return p.find("w:pPr/w:keepNext", NS) is not None


@pytest.mark.parametrize("city", CITIES)
def test_docx_tables_keep_their_ends_and_notes(built, city):
    """In Word too: no row splits over pages, the last two rows keep together, and the last row
    keeps with its source note."""
    notes = 0
    for b in books_of(built, city):
        for tbl in docx_body(b.files["docx"]).iter(W + "tbl"):
            if cb_docx._is_card(tbl):
                continue
            rows = tbl.findall("w:tr", NS)
            assert all(tr.find("w:trPr/w:cantSplit", NS) is not None for tr in rows), (b.slug, text_of(tbl)[:60])
            if len(rows) > 2:
                assert all(keeps_next(p) for p in rows[-2].iter(W + "p")), (b.slug, text_of(rows[-2])[:60])
            nxt = tbl.getnext()
            while nxt is not None and nxt.tag in (W + "bookmarkStart", W + "bookmarkEnd"):
                nxt = nxt.getnext()
            if nxt is not None and nxt.tag == W + "p" and style_of(nxt) == "SumberTabel":
                notes += 1
                assert all(keeps_next(p) for p in rows[-1].iter(W + "p")), (b.slug, text_of(rows[-1])[:60])
    assert notes > 0


@pytest.mark.parametrize("city", CITIES)
def test_docx_ringkasan_keeps_each_dimension_summary_together(built, city):
    b = next(b for b in books_of(built, city) if b.slug == labels.BOOK_KINDS["ringkasan_eksekutif"].slug)
    body = docx_body(b.files["docx"])
    kept = 0
    inside: list | None = None
    for el in body:
        name = cb_docx._marker_name(el) if el.tag == W + "p" else None
        if name == cb_docx.MARKERS["keep_start"]:
            inside = []
        elif name == cb_docx.MARKERS["keep_end"]:
            assert inside and all(keeps_next(p) for p in inside[:-1]), [text_of(p)[:40] for p in inside]
            kept, inside = kept + 1, None
        elif inside is not None and el.tag == W + "p":
            inside.append(el)
    assert kept == len(built["cities"][city].catalog.dimensions)


def test_what_is_kept_together_never_loses_text_that_cannot_fit_a_page(tmp_path):
    """Keeping a small table, a table's last rows or a `keep` block on one page must give way when
    the city's text is longer than a page: typst cuts off an unbreakable block taller than a page,
    and its text would be lost (a quick win's one-risk table, a Ringkasan dimension summary)."""
    from conftest import SPARSE_CITY, check_paths

    from cetakbiru import books

    long_mitigation = " ".join(f"mitigasi{i}" for i in range(1500)) + " AKHIRMITIGASI"
    long_strategy = " ".join(f"strategi{i}" for i in range(900)) + " AKHIRSTRATEGI"
    text = SPARSE_CITY.read_text().replace(
        "    uraian: Menyatukan layanan administrasi desa dan kecamatan dalam satu aplikasi\n",
        f"    uraian: {long_strategy}\n", 1)
    text += ("    risiko:\n      - uraian: Jaringan tidak stabil.\n        kemungkinan: sedang\n"
             f"        dampak: tinggi\n        mitigasi: {long_mitigation}\n")
    path = tmp_path / "lembah-panjang.yaml"
    path.write_text(text)
    result = check_paths(path)
    assert not result.errors
    made = books.build(result.cities, ("pdf",), out_dir=tmp_path / "out")
    printed = {b.slug: subprocess.run(["pdftotext", str(b.files["pdf"]), "-"], capture_output=True, text=True,
                                      check=True).stdout for b in made}
    quick_win = set(printed["buku-3-quick-win"].split())
    assert {f"mitigasi{i}" for i in range(1500)} - quick_win == set()
    assert "AKHIRMITIGASI" in printed["buku-3-quick-win"]
    ringkasan = set(printed["ringkasan-eksekutif"].split())
    assert {f"strategi{i}" for i in range(900)} - ringkasan == set()
    assert "AKHIRSTRATEGI" in printed["ringkasan-eksekutif"]
