"""The books, read back: DOCX (python-docx, its XML, LibreOffice) and PDF (pypdf, pdffonts).

One build of every book of both sample cities serves the whole module.
"""

import functools
import re
import subprocess
import zipfile

import docx
import pypdf
import pytest
from conftest import check_paths

from cetakbiru import books, fmt, labels
from cetakbiru.derive import Derived

CITIES = ["tanjungpinang", "kutai-timur"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def norm(text: str) -> str:
    return " ".join(text.replace("\xad", "").split())


def book(built, city, jenis):
    slug = labels.BOOK_KINDS[jenis].slug
    return next(b for b in built["books"] if b.city == city and b.slug == slug)


@pytest.fixture(scope="module")
def pdf_text(built):
    cache = {}

    def get(path):
        if path not in cache:
            cache[path] = norm(" ".join(p.extract_text() or "" for p in pypdf.PdfReader(path).pages))
        return cache[path]
    return get


@functools.cache
def docx_text(path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return norm(" ".join(parts))


# Markdown or pandoc syntax that reaches print: a heading glued to a paragraph, a stray attribute,
# a fence, a link or an escape that pandoc did not read as such.
MARKUP_IN_PRINT = re.compile(r"\{#|\{\.|(?:^|\s)#{1,6} \S|\*\*|:::|\]\(|\\|<!--|-->")


@pytest.mark.parametrize("city", CITIES)
def test_no_markup_in_print(built, pdf_text, city):
    """No Markdown or pandoc syntax in the text of any PDF or DOCX of the samples."""
    for b in (b for b in built["books"] if b.city == city):
        for kind, text in (("pdf", pdf_text(b.files["pdf"])), ("docx", docx_text(b.files["docx"]))):
            found = [text[max(m.start() - 40, 0):m.end() + 40] for m in MARKUP_IN_PRINT.finditer(text)]
            assert not found, (b.slug, kind, found[:5])


def test_the_markup_check_sees_a_glued_heading():
    for sample in ("tujuan. ## 4.1 Smart Governance {#bab-4-1} Dimensi", "**Strategi:**", "::: landscape",
                   "[teks](https://x)", "a \\ b"):
        assert MARKUP_IN_PRINT.search(sample), sample
    assert not MARKUP_IN_PRINT.search("Tabel 4.1 Strategi dimensi Smart Governance (Rp1.250.000, 3,44%)")


def test_every_default_book_in_both_formats(built):
    for city in CITIES:
        made = {b.slug for b in built["books"] if b.city == city}
        assert made == {"buku-1-analisis-strategis", "buku-2-masterplan", "buku-3-quick-win", "ringkasan-eksekutif"}
    for b in built["books"]:
        assert set(b.files) == {"md", "docx", "pdf"}
        assert all(p.is_file() and p.parent == built["out"] / b.city for p in b.files.values())
    assert not any(p.name.startswith(".staging") for p in built["out"].iterdir())


@pytest.mark.parametrize("city", CITIES)
def test_pdf_metadata_tags_and_fonts(built, city):
    for b in (bb for bb in built["books"] if bb.city == city):
        reader = pypdf.PdfReader(b.files["pdf"])
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "id-ID"
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
        assert b.title in reader.metadata.title
        xmp = reader.xmp_metadata
        assert xmp is not None and 'pdfaid:part="2"' in root["/Metadata"].get_object().get_data().decode() or \
            "<pdfaid:part>2</pdfaid:part>" in root["/Metadata"].get_object().get_data().decode()
        assert reader.outline, "bookmarks (outline) are missing"
        fonts = subprocess.run(["pdffonts", str(b.files["pdf"])], capture_output=True, text=True, check=True).stdout
        rows = fonts.splitlines()[2:]
        assert rows and all(" yes " in r for r in rows), fonts  # every font embedded
        assert all("LiberationSans" in r for r in rows), fonts


@pytest.mark.parametrize("city", CITIES)
def test_pdf_has_chapters_captions_and_roman_front_matter(built, pdf_text, city):
    path = book(built, city, "masterplan").files["pdf"]
    text = pdf_text(path)
    for heading in ("KATA SAMBUTAN", "KATA PENGANTAR", "DAFTAR ISI", "DAFTAR TABEL", "DAFTAR GAMBAR",
                    "DAFTAR SINGKATAN", "BAB I PENDAHULUAN", "1.1 Latar Belakang", "BAB II", "BAB III"):
        assert heading in text, heading
    assert re.search(r"Tabel 5\.\d+ ", text) and re.search(r"Gambar 6\.1 ", text)
    labels = pypdf.PdfReader(path).page_labels
    assert labels[1] == "i" and "1" in labels and labels.index("1") > labels.index("ii")


@pytest.mark.parametrize("city", CITIES)
def test_same_figures_in_data_docx_and_pdf(built, pdf_text, city):
    c = built["cities"][city]
    d = Derived(c.plan, c.catalog)
    total = fmt.rupiah(d.total_budget, c.plan.dokumen.gaya.spasi_rupiah)
    masterplan = book(built, city, "masterplan")
    assert total in pdf_text(masterplan.files["pdf"]) and total in docx_text(masterplan.files["docx"])
    qw = book(built, city, "quick_win")
    qw_pdf, qw_docx = pdf_text(qw.files["pdf"]), docx_text(qw.files["docx"])
    for q in c.plan.quick_win:
        assert norm(q.nama) in qw_pdf and norm(q.nama) in qw_docx
    for program in c.plan.program:
        assert program.kode in pdf_text(masterplan.files["pdf"])
        assert program.kode in docx_text(masterplan.files["docx"])


@pytest.mark.parametrize("city", CITIES)
def test_docx_structure_styles_and_filled_lists(built, city):
    for b in (bb for bb in built["books"] if bb.city == city):
        d = docx.Document(str(b.files["docx"]))
        styles = {p.style.name for p in d.paragraphs}
        assert {"Heading 1", "Heading 2"} <= styles
        assert any(t.style is not None and t.style.name == "Table" for t in d.tables)
        toc = [p.text for p in d.paragraphs if p.style.name == "toc 1"]
        assert toc and all(re.search(r"\t([ivxl]+|\d+)$", t) for t in toc), toc[:3]
        assert any(t.startswith("BAB I ") for t in toc)
        with zipfile.ZipFile(b.files["docx"]) as z:
            document = z.read("word/document.xml").decode()
            settings = z.read("word/settings.xml").decode()
        assert "updateFields" not in settings and "w:dirty" not in document
        assert 'w:fmt="lowerRoman"' in document and 'w:fmt="decimal"' in document


def test_full_action_plan_is_on_landscape_pages(built):
    path = book(built, "tanjungpinang", "masterplan").files["docx"]
    with zipfile.ZipFile(path) as z:
        assert 'w:orient="landscape"' in z.read("word/document.xml").decode()
    reader = pypdf.PdfReader(book(built, "tanjungpinang", "masterplan").files["pdf"])
    assert any(p.mediabox.width > p.mediabox.height for p in reader.pages)


def test_paper_sizes(built):
    a4 = pypdf.PdfReader(book(built, "tanjungpinang", "masterplan").files["pdf"]).pages[0].mediabox
    f4 = pypdf.PdfReader(book(built, "kutai-timur", "masterplan").files["pdf"]).pages[0].mediabox
    assert (round(float(a4.width) / 72 * 25.4), round(float(a4.height) / 72 * 25.4)) == (210, 297)
    assert (round(float(f4.width) / 72 * 25.4), round(float(f4.height) / 72 * 25.4)) == (215, 330)


def test_executive_summary_is_short(built):
    for city in CITIES:
        pages = len(pypdf.PdfReader(book(built, city, "ringkasan_eksekutif").files["pdf"]).pages)
        assert pages <= 24, (city, pages)


def test_libreoffice_converts_every_docx(built, tmp_path):
    docs = [str(b.files["docx"]) for b in built["books"]]
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), *docs],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    for b in built["books"]:
        converted = tmp_path / (b.files["docx"].stem + ".pdf")
        assert converted.is_file() and len(pypdf.PdfReader(converted).pages) > 5


def test_illustrative_data_is_labelled_in_every_book(built, pdf_text):
    for b in built["books"]:
        assert "ILUSTRATIF" in pdf_text(b.files["pdf"]).upper()
        assert "ILUSTRATIF" in docx_text(b.files["docx"]).upper()


def test_failed_build_leaves_previous_books_untouched(built, monkeypatch):
    from cetakbiru import pdf

    before = {p: p.read_bytes() for p in built["out"].rglob("*") if p.is_file()}
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("simulated crash")
        return real(*args, **kwargs)

    real = pdf.build
    monkeypatch.setattr(pdf, "build", broken)
    with pytest.raises(RuntimeError):
        books.build(list(built["cities"].values()), ("pdf",), out_dir=built["out"])
    after = {p: p.read_bytes() for p in built["out"].rglob("*") if p.is_file()}
    assert after == before


def test_city_pictures_and_logo_reach_both_formats(tmp_path):
    from conftest import FIXTURES

    from cetakbiru.raster import to_png

    folder = tmp_path / "cities" / "kota-bergambar"
    folder.mkdir(parents=True)
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="40mm" height="20mm" viewBox="0 0 40 20">'
           '<rect width="40" height="20" fill="#0B5563"/></svg>')
    (folder / "peta.png").write_bytes(to_png(svg, 40))
    (folder / "logo.png").write_bytes(to_png(svg, 40))
    text = (FIXTURES / "minimal.yaml").read_text()
    text = text.replace("  jumlah_kecamatan: 5\n", "  jumlah_kecamatan: 5\n  gambar:\n    - {berkas: peta.png, "
                        "judul: Peta Administrasi, alt: Peta kota dengan lima kecamatan, sumber: Bappeda}\n")
    text = text.replace("  tanggal: 2024-10-04\n", "  tanggal: 2024-10-04\n  logo: {berkas: logo.png, judul: Logo, "
                        "alt: Logo Kota Contoh}\n")
    path = tmp_path / "cities" / "kota-bergambar.yaml"
    path.write_text(text)
    result = check_paths(path)
    assert not result.errors
    made = books.build(result.cities, ("docx", "pdf"), out_dir=tmp_path / "out")
    analysis = next(b for b in made if b.slug == "buku-1-analisis-strategis")
    pdf = norm(" ".join(p.extract_text() or "" for p in pypdf.PdfReader(analysis.files["pdf"]).pages))
    assert re.search(r"Gambar 3\.\d+ Peta Administrasi", pdf)
    assert re.search(r"Gambar 3\.\d+ Peta Administrasi", docx_text(analysis.files["docx"]))
    with zipfile.ZipFile(analysis.files["docx"]) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) >= 2  # the logo on the cover and the map
        assert 'descr="Peta kota dengan lima kecamatan"' in z.read("word/document.xml").decode()


def test_unchanged_books_are_kept_and_changed_ones_rebuilt(built):
    """Incremental builds keyed by content hash: a second run rebuilds only what changed."""
    out = built["out"]
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    cities = list(built["cities"].values())
    again = books.build(cities, ("docx", "pdf"), out_dir=out)
    assert not any(b.fresh for b in again)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps
    city = built["cities"]["kutai-timur"]
    original = city.plan.visi.teks
    try:
        city.plan.visi.teks = original + " dan Berkelanjutan"
        changed = books.build([city], ("pdf", "docx"), out_dir=out)
    finally:
        city.plan.visi.teks = original
    rebuilt = {b.slug for b in changed if b.fresh}
    assert "buku-2-masterplan" in rebuilt and "buku-3-quick-win" not in rebuilt
    masterplan = next(b for b in changed if b.slug == "buku-2-masterplan")
    pages = pypdf.PdfReader(masterplan.files["pdf"]).pages
    assert "dan Berkelanjutan" in norm(" ".join(p.extract_text() or "" for p in pages))
    books.build([city], ("pdf", "docx"), out_dir=out)  # back to the shared state for later tests
