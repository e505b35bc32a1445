"""Rendering to Markdown: numbering, escaping, Indonesian formats."""

import datetime as dt

import pytest

from cetakbiru import fmt, labels
from cetakbiru.escape import md
from cetakbiru.render import Doc


@pytest.mark.parametrize("value, expected", [
    (1250000000, "Rp1.250.000.000"), (0, "Rp0"), (999, "Rp999"), (None, "–"),
])
def test_rupiah_follows_puebi(value, expected):
    assert fmt.rupiah(value) == expected


def test_rupiah_style_option_and_short_form():
    assert fmt.rupiah(1250000000, spasi=True) == "Rp 1.250.000.000"
    assert [fmt.rupiah_ringkas(v) for v in (1_250_000_000, 350_000_000, 182_900_000_000, 10_500_000)] == [
        "Rp1,25 miliar", "Rp350 juta", "Rp183 miliar", "Rp10,5 juta"]


def test_numbers_and_dates():
    assert fmt.angka(3.44) == "3,44" and fmt.angka(3.5, 2) == "3,50" and fmt.angka(227663) == "227.663"
    assert fmt.tanggal(dt.date(2022, 10, 4)) == "4 Oktober 2022"
    assert fmt.bulan("2025-03") == "Maret 2025"
    assert [fmt.romawi(n) for n in (1, 4, 9, 14, 40)] == ["I", "IV", "IX", "XIV", "XL"]


def test_numbering_per_chapter():
    doc = Doc()
    assert doc.chapter("Pendahuluan") == "# BAB I PENDAHULUAN {#bab-1}"
    assert doc.section("Latar Belakang") == "## 1.1 Latar Belakang {#bab-1-1}"
    assert doc.subsection("Umum") == "### 1.1.1 Umum {#bab-1-1-1}"
    assert doc.table("A", ["x"], [["1"]]).startswith("Table: Tabel 1.1 A {#tbl-1-1}")
    assert doc.table("B", ["x"], [["1"]]).startswith("Table: Tabel 1.2 B {#tbl-1-2}")
    doc.chapter("Konsep")
    assert doc.section("Dimensi") == "## 2.1 Dimensi {#bab-2-1}"
    assert doc.table("C", ["x"], [["1"]]).startswith("Table: Tabel 2.1 C")
    assert doc.ref("Tabel") == "Tabel 2.2"
    assert [n.number for n in doc.numbered] == ["1.1", "1.2", "2.1"]


def test_appendix_tables_get_numbered_captions():
    """doc.captioned: each table of an appendix's rich text gets "Tabel L1.n <judul>" above it; a
    line that only looks like a table (an escaped bar) gets none."""
    from cetakbiru import escape

    doc = Doc()
    doc.appendix("Data")
    text = escape.rich("Teks.\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n\\| x |\n\n| C |\n|---|\n| 3 |\n")
    out = doc.captioned(text, md("Rekap *data*")).splitlines()
    captions = [line for line in out if line.startswith("Table:")]
    assert captions == ["Table: Tabel L1.1 Rekap \\*data\\* (1) {#tbl-l1-1}",
                        "Table: Tabel L1.2 Rekap \\*data\\* (2) {#tbl-l1-2}"]
    assert out[out.index(captions[0]) + 2] == "| A | B |"
    assert [n.number for n in doc.numbered] == ["L1.1", "L1.2"]
    one = Doc()
    one.appendix("Data")
    single = one.captioned(escape.rich("| A |\n|---|\n| 1 |"), "Rekap")
    assert single.startswith("Table: Tabel L1.1 Rekap {#tbl-l1-1}\n\n| A |")


def test_table_widths_and_alignment_reach_pandoc():
    table = Doc().table(None, ["Uraian", "Nilai"], [["a", "1"]], widths=[3, 1], align="lr")
    header, sep, row = table.splitlines()
    left, right = sep.strip("|").split("|")
    assert left.startswith(":") and right.endswith(":") and len(left) > 2 * len(right)


@pytest.mark.parametrize("text, rendered", [
    ("<script>alert(1)</script>", r"\<script\>alert(1)\</script\>"),
    ("a | b", r"a \| b"),
    ("*tebal* dan _miring_", r"\*tebal\* dan \_miring\_"),
    ("# bukan judul", r"\# bukan judul"),
    ("- bukan daftar", r"\- bukan daftar"),
    ("1. bukan daftar", r"1\. bukan daftar"),
    ("[tautan](javascript:x)", r"\[tautan\](javascript:x)"),
    ("baris\nkedua", "baris kedua"),
    ("`{=typst}` #set", r"\`\{=typst\}\` \#set"),
])
def test_plain_text_is_inert_markdown(text, rendered):
    assert md(text) == rendered


def test_escaped_text_survives_pandoc_as_text():
    import pypandoc

    hostile = "<b>x</b> *y* #z $w$ @cite [l](javascript:a) `c` | ~s~ ^t^"
    out = pypandoc.convert_text(md(hostile), "plain", format="markdown", extra_args=["--wrap=none"]).strip()
    assert out == hostile


@pytest.mark.parametrize("source", ["minimal", "scaffold-kota", "scaffold-kabupaten"])
def test_every_book_renders_from_sparse_data(tmp_path, source):
    """Templates must cope with a city that has filled in only the required fields."""
    from conftest import FIXTURES, check_paths

    from cetakbiru import model as m
    from cetakbiru import render, scaffold

    if source == "minimal":
        path = FIXTURES / "minimal.yaml"
    else:
        scaffold.write("kota-baru", cities_dir=tmp_path, jenis=source.split("-")[1])
        path = tmp_path / "kota-baru.yaml"
    (city,) = check_paths(path).cities
    for jenis in labels.BOOK_KINDS:
        rendered = render.render_book(city.plan, city.catalog, m.Buku(jenis=jenis, nomor="I"))
        assert rendered.markdown.count("# BAB I ") == 1, jenis
        assert "None" not in rendered.markdown, jenis


@pytest.mark.parametrize("typed, printed", [
    ("Masterplan 2019-2028 telah", "Masterplan 2019–2028 telah"), ("RPJMD 2018-2023.", "RPJMD 2018–2023."),
    ("(2021-2022)", "(2021–2022)"), ("SK 188.45/2019-2020", "SK 188.45/2019-2020"),
    ("A-2019-2020", "A-2019-2020"), ("2028-2019", "2028-2019"), ("1990-2035", "1990-2035"),
])
def test_a_span_of_years_takes_an_en_dash(typed, printed):
    """One dash style for year ranges in the books (PUEBI: en dash), whatever the city file typed;
    a hyphen inside a number or a code stays."""
    assert md(typed) == printed and md(typed).raw == typed


@pytest.mark.parametrize("start, end, printed", [
    ((2022, 10, 4), (2022, 10, 4), "4 Oktober 2022"),
    ((2022, 10, 4), (2022, 10, 5), "4–5 Oktober 2022"),
    ((2019, 9, 30), (2019, 10, 1), "30 September–1 Oktober 2019"),
    ((2021, 12, 30), (2022, 1, 2), "30 Desember 2021–2 Januari 2022"),
])
def test_a_span_of_days_writes_the_shared_month_and_year_once(start, end, printed):
    assert fmt.rentang_tanggal(dt.date(*start), dt.date(*end)) == printed


def _with_programme(extra: str, tmp_path):
    from conftest import FIXTURES, check_paths

    path = tmp_path / "kota-contoh.yaml"
    path.write_text((FIXTURES / "minimal.yaml").read_text() + extra)
    result = check_paths(path)
    assert not result.errors, [str(e) for e in result.errors]
    (city,) = result.cities
    return city


def test_the_evaluation_conduct_table_shows_only_what_is_written(tmp_path):
    from cetakbiru import model as m
    from cetakbiru import render

    city = _with_programme("""keikutsertaan: {angkatan: 2023, tanggal: 2023-03-01, nomor: "NK/01/2023"}
evaluasi:
  - tahun: 2024
    tahap: I
  - tahun: 2024
    tahap: II
    periode: {tahun: 2024, semester: 2}
    kunjungan: {mulai: 2024-09-30, selesai: 2024-10-01}
    evaluator:
      - {nama: "Ana *Tebal* <b>x</b>", instansi: Kementerian, peran: Ketua tim}
""", tmp_path)
    masterplan = render.render_book(city.plan, city.catalog, m.Buku(jenis="masterplan", nomor="II")).markdown
    table = masterplan.split("Pelaksanaan evaluasi smart city Kota Contoh {#tbl", 1)[1].split("::: {.table-source}")[0]
    rows = [line for line in table.splitlines() if line.startswith("| 2024")]
    assert len(rows) == 1, "an evaluation that tells nothing of how it was held has no row"
    assert rows[0].startswith("| 2024 (Tahap II) | Semester II 2024 | 30 September–1 Oktober 2024 | ")
    assert r"Ana \*Tebal\* \<b\>x\</b\> (Ketua tim)" in rows[0]  # city text reaches the table escaped
    analysis = render.render_book(city.plan, city.catalog, m.Buku(jenis="analisis_strategis", nomor="I")).markdown
    assert ("sebagai daerah angkatan 2023. Nota kesepakatannya ditandatangani pada 1 Maret 2023 dengan nomor "
            "NK/01/2023. Evaluasi Kementerian yang pertama bagi Kota Contoh berlangsung pada tahun 2024 (tahap I).") \
        in " ".join(analysis.split())


def test_no_conduct_table_and_no_entry_sentence_without_the_data(tmp_path):
    from cetakbiru import model as m
    from cetakbiru import render

    city = _with_programme("evaluasi:\n  - {tahun: 2024, tahap: II}\n", tmp_path)
    masterplan = render.render_book(city.plan, city.catalog, m.Buku(jenis="masterplan", nomor="II")).markdown
    assert "Pelaksanaan evaluasi" not in masterplan
    analysis = render.render_book(city.plan, city.catalog, m.Buku(jenis="analisis_strategis", nomor="I")).markdown
    assert "angkatan" not in analysis
