"""Books true to their date (issue 9): a book knows the laws and amendments promulgated by its date,
the evaluations, indices and data of its year and before, the programme's names and figures known
then; the site, which is not dated, keeps the whole history. The legal basis follows the hierarchy
of UU 12/2011."""

import dataclasses
import datetime as dt
import re

import pytest
from conftest import FIXTURES, check_paths

from cetakbiru import derive, pipeline, render
from cetakbiru.derive import Derived, as_of, legal_order

MINIMAL = (FIXTURES / "minimal.yaml").read_text()


@pytest.fixture(scope="module")
def samples():
    return {c.slug: c for c in pipeline.check(["tanjungpinang", "kutai-timur"]).cities}


def dated(city, date: dt.date):
    """The city as if its document were signed on `date`."""
    plan = dataclasses.replace(city.plan, dokumen=dataclasses.replace(city.plan.dokumen, tanggal=date))
    return plan, city.catalog


def legal_basis(plan, catalog, date=None) -> list[str]:
    plan, catalog = as_of(plan, catalog, date or plan.dokumen.tanggal)
    return [render.peraturan(p, plan.daerah) for p in Derived(plan, catalog).legal_basis]


def markdown(plan, catalog, jenis: str) -> str:
    book = next(b for b in render.books_of(plan) if b.jenis == jenis)
    return render.render_book(plan, catalog, book).markdown


def law(items: list[str], start: str) -> str:
    return next(item for item in items if item.startswith(start))


# --- the legal basis ---------------------------------------------------------------------------------

def test_a_2020_book_cites_the_laws_and_amendments_of_2020(samples):
    city = samples["tanjungpinang"]  # signed 28 Desember 2020
    items = legal_basis(city.plan, city.catalog)
    text = "\n".join(items)
    for later in ("Nomor 27 Tahun 2022", "Nomor 59 Tahun 2022", "Nomor 132 Tahun 2022", "Nomor 1 Tahun 2024",
                  "Nomor 13 Tahun 2022", "Nomor 6 Tahun 2023"):
        assert later not in text, later
    assert law(items, "Undang-Undang Nomor 23 Tahun 2014").endswith(
        "sebagaimana telah beberapa kali diubah, terakhir dengan Undang-Undang Nomor 11 Tahun 2020 tentang Cipta Kerja")
    assert law(items, "Undang-Undang Nomor 11 Tahun 2008").endswith(
        "sebagaimana telah diubah dengan Undang-Undang Nomor 19 Tahun 2016 tentang Perubahan atas Undang-Undang "
        "Nomor 11 Tahun 2008 tentang Informasi dan Transaksi Elektronik")
    assert law(items, "Undang-Undang Nomor 12 Tahun 2011").endswith(
        "sebagaimana telah diubah dengan Undang-Undang Nomor 15 Tahun 2019 tentang Perubahan atas Undang-Undang "
        "Nomor 12 Tahun 2011 tentang Pembentukan Peraturan Perundang-undangan")


def test_an_amendment_counts_from_the_day_it_is_promulgated(samples):
    city = samples["tanjungpinang"]
    before = law(legal_basis(*dated(city, dt.date(2020, 11, 1))), "Undang-Undang Nomor 23 Tahun 2014")
    on = law(legal_basis(*dated(city, dt.date(2020, 11, 2))), "Undang-Undang Nomor 23 Tahun 2014")
    assert before.endswith("terakhir dengan Undang-Undang Nomor 9 Tahun 2015 tentang Perubahan Kedua atas "
                           "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah")
    assert on.endswith("terakhir dengan Undang-Undang Nomor 11 Tahun 2020 tentang Cipta Kerja")
    # before its first amendment a law is cited alone; before its own date, not at all
    alone = legal_basis(*dated(city, dt.date(2015, 1, 5)))
    assert "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah" in alone
    assert not any("Nomor 11 Tahun 2008" in item for item in legal_basis(*dated(city, dt.date(2008, 4, 20))))


def test_a_2024_book_cites_the_last_amendments(samples):
    city = samples["kutai-timur"]  # signed 16 Desember 2024
    items = legal_basis(city.plan, city.catalog)
    assert law(items, "Undang-Undang Nomor 23 Tahun 2014").endswith(
        "terakhir dengan Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan Pemerintah Pengganti "
        "Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi Undang-Undang")
    assert law(items, "Undang-Undang Nomor 3 Tahun 2022").endswith(
        "sebagaimana telah diubah dengan Undang-Undang Nomor 21 Tahun 2023 tentang Perubahan atas Undang-Undang "
        "Nomor 3 Tahun 2022 tentang Ibu Kota Negara")
    assert any("Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi" in item for item in items)


@pytest.mark.parametrize("slug", ["tanjungpinang", "kutai-timur"])
def test_the_legal_basis_follows_the_hierarchy_then_year_and_number(samples, slug):
    city = samples[slug]
    plan, catalog = as_of(city.plan, city.catalog, city.plan.dokumen.tanggal)
    laws = Derived(plan, catalog).legal_basis
    keys = [legal_order(p) for p in laws]
    assert keys == sorted(keys)
    kinds = [p.jenis for p in laws]
    # the city's own UU stand among the national UU, its Perda after every Permen
    assert kinds.index("Perda") > max(i for i, k in enumerate(kinds) if k == "Permen")
    assert all(k == "UU" for k in kinds[:kinds.index("PP")])
    if slug == "kutai-timur":
        assert laws[0].nomor == "47" and laws[0].tahun == 1999  # its UU of 1999 comes first


def test_the_sort_key_ranks_kinds_as_the_law_does():
    ranks = {kind: legal_order(dataclasses.replace(_law(), jenis=kind))[0]
             for kind in ("UU", "Perppu", "PP", "Perpres", "Permen", "Perda Provinsi", "Perda", "Perwali", "Perbup")}
    assert ranks["UU"] == ranks["Perppu"] < ranks["PP"] < ranks["Perpres"] < ranks["Permen"]
    assert ranks["Permen"] < ranks["Perda Provinsi"] < ranks["Perda"] < ranks["Perwali"] == ranks["Perbup"]
    numbered = [dataclasses.replace(_law(), nomor=n) for n in ("10", "9", "100.3/K.4")]
    assert [p.nomor for p in sorted(numbered, key=legal_order)] == ["9", "10", "100.3/K.4"]


def _law():
    from cetakbiru import model as m

    return m.Peraturan(jenis="UU", nomor="1", tahun=2020, tentang="Contoh", penerbit=None, tanggal=None, perubahan=[])


# --- evaluations, indices, data, quick wins, shared prose ---------------------------------------------

def test_a_book_leaves_out_what_came_after_its_date_and_the_site_keeps_it(samples):
    city = samples["tanjungpinang"]
    ringkasan = markdown(city.plan, city.catalog, "ringkasan_eksekutif")
    assert re.findall(r"Indeks SPBE (\d{4})", ringkasan) == ["2019"]
    masterplan = markdown(city.plan, city.catalog, "masterplan")
    assert "telah mengikuti evaluasi smart city satu kali, pada tahun 2020" in masterplan
    assert "Hasil evaluasi terakhir, tahun 2020" in masterplan
    # the site is not dated: the whole history
    d = Derived(city.plan, city.catalog)
    assert [e.tahun for e in city.plan.evaluasi] == [2020, 2021, 2022]
    assert d.spbe_latest.tahun == 2023


def test_a_quick_win_of_a_later_year_is_still_a_plan_in_the_book(samples):
    city = samples["tanjungpinang"]
    done = [q for q in city.plan.quick_win if q.status == "selesai"]
    assert done and all(q.tahun > 2020 for q in done)  # the sample records what happened since
    plan, _ = as_of(city.plan, city.catalog, city.plan.dokumen.tanggal)
    assert {q.status for q in plan.quick_win} == {"rencana"}
    signed_later, _ = as_of(city.plan, city.catalog, dt.date(2023, 1, 1))
    assert [q.status for q in signed_later.quick_win] == [q.status for q in city.plan.quick_win]
    book = markdown(city.plan, city.catalog, "quick_win")
    statuses = re.findall(r"\| 202[12] \| (Rencana|Berjalan|Selesai) \|", book)
    assert statuses and set(statuses) == {"Rencana"}


def test_data_tables_and_weights_of_later_years_stay_out(samples):
    city = samples["kutai-timur"]
    plan, catalog = as_of(city.plan, city.catalog, dt.date(2023, 6, 30))
    assert plan.daerah.tabel and all(t.tahun <= 2023 for t in plan.daerah.tabel)
    assert len(plan.daerah.tabel) < len(city.plan.daerah.tabel)
    assert all(i.tahun <= 2023 for p in plan.profil_dimensi for i in p.indikator)
    assert all(b.berlaku_mulai <= 2023 for b in catalog.evaluasi.bobot)
    assert all(e.tahun <= 2023 for e in plan.evaluasi)
    # what is left keeps its place in the file, for messages
    assert plan.daerah._path == city.plan.daerah._path


@pytest.mark.parametrize("date, present, absent", [
    (dt.date(2020, 12, 28), ["Gerakan Menuju 100 Smart City berawal pada tahun 2017, program bersama"],
     ["Sejak 2021", "Kota Cerdas", "191"]),
    (dt.date(2022, 3, 1), ["Gerakan Menuju Smart City berawal pada tahun 2017 dengan nama Gerakan Menuju 100 Smart "
                           "City", "Sejak 2021 program ini dikenal sebagai Gerakan Menuju Smart City."],
     ["Kota Cerdas", "191"]),
    (dt.date(2024, 12, 16), ["Sejak 2021 program ini dikenal sebagai Gerakan Menuju Smart City, dan sejak 2023 juga "
                             "sebagai Gerakan Menuju Kota Cerdas.", "Hingga evaluasi 2024 tercatat 191 kabupaten/kota"],
     []),
])
def test_the_programme_is_told_as_it_was_on_the_books_date(samples, date, present, absent):
    text = markdown(*dated(samples["tanjungpinang"], date), "analisis_strategis")
    start = text.index("berawal pada tahun 2017")
    paragraph = text[text.rindex("\n\n", 0, start):text.index("\n\n", start)]
    for words in present:
        assert words in paragraph
    for words in absent:
        assert words not in paragraph


def test_a_book_dated_before_every_name_change_has_no_programme_name_of_later(samples):
    city = samples["kutai-timur"]
    _, catalog = as_of(city.plan, city.catalog, dt.date(2019, 1, 1))
    assert [n.nama for n in catalog.kerangka.gerakan.nama] == ["Gerakan Menuju 100 Smart City"]
    assert derive.Derived(city.plan, catalog).programme_name == "Gerakan Menuju 100 Smart City"


# --- checks --------------------------------------------------------------------------------------------

LAWS = """dasar_hukum:
  - jenis: Perda
    nomor: "3"
    tahun: 2020
    tanggal: TANGGAL
    tentang: Contoh
    perubahan:
      - jenis: Perda
        nomor: "1"
        tahun: UBAH
        tentang: Perubahan atas Peraturan Daerah Nomor 3 Tahun 2020 tentang Contoh
"""


def _check(tmp_path, text):
    path = tmp_path / "kota-uji.yaml"
    path.write_text(text)
    return check_paths(path)


def test_a_regulation_dated_outside_its_year_and_an_older_amendment_are_errors(tmp_path):
    result = _check(tmp_path, MINIMAL + LAWS.replace("TANGGAL", "2021-01-04").replace("UBAH", "2019"))
    found = [(p.path, p.message) for p in result.errors]
    assert ("dasar_hukum[1].tanggal", "tanggal 4 Januari 2021 tidak jatuh pada tahun peraturannya (2020)") in found
    assert ("dasar_hukum[1].perubahan[1]", "perubahan Perda Nomor 1 Tahun 2019 lebih tua daripada peraturan yang "
            "diubahnya (Perda Nomor 3 Tahun 2020); tulis perubahan urut dari yang pertama") in found
    fine = _check(tmp_path, MINIMAL + LAWS.replace("TANGGAL", "2020-06-04").replace("UBAH", "2021"))
    assert not fine.errors


def test_data_of_a_year_after_the_document_is_a_warning_at_its_year(tmp_path):
    table = """  tabel:
    - kode: penduduk
      judul: Penduduk
      topik: demografi
      tahun: YEAR
      sumber: BPS
      kolom: [Kecamatan, Jiwa]
      baris: [[A, 1]]
"""
    assert "  tanggal: 2024-10-04\n" in MINIMAL

    def warned(year):
        result = _check(tmp_path, MINIMAL.replace("daerah:\n", "daerah:\n" + table.replace("YEAR", str(year)), 1))
        return [(p.path, p.message) for p in result.warnings if p.path.startswith("daerah.tabel")]

    assert warned(2025) == [("daerah.tabel[1].tahun", "tabel data tahun 2025 lebih baru daripada tanggal dokumen "
                             "(4 Oktober 2024), sehingga tidak dimuat di buku; sesuaikan tahunnya atau tanggal "
                             "dokumen")]
    assert warned(2024) == []


def test_how_a_regulation_and_its_amendments_are_cited():
    from cetakbiru import model as m

    daerah = check_paths(FIXTURES / "lembah-hijau.yaml").cities[0].plan.daerah  # Kabupaten Lembah Hijau

    def change(nomor, tahun, tentang):
        return m.Perubahan(jenis="Perda", nomor=nomor, tahun=tahun, tentang=tentang)

    base = m.Peraturan(jenis="Perda", nomor="8", tahun=2016, tentang="Perangkat Daerah")
    assert render.peraturan(base, daerah) == ("Peraturan Daerah Kabupaten Lembah Hijau Nomor 8 Tahun 2016 tentang "
                                              "Perangkat Daerah")
    once = dataclasses.replace(base, perubahan=[change("4", 2019, "Perubahan atas Perda 8/2016")])
    assert render.peraturan(once, daerah).endswith(
        "Perangkat Daerah sebagaimana telah diubah dengan Peraturan Daerah Kabupaten Lembah Hijau Nomor 4 Tahun "
        "2019 tentang Perubahan atas Perda 8/2016")
    twice = dataclasses.replace(base, perubahan=[*once.perubahan, change("2", 2021, "Perubahan Kedua")])
    assert render.peraturan(twice, daerah).endswith(
        "sebagaimana telah beberapa kali diubah, terakhir dengan Peraturan Daerah Kabupaten Lembah Hijau Nomor 2 "
        "Tahun 2021 tentang Perubahan Kedua")
    decree = m.Peraturan(jenis="Keputusan Kepala Daerah", penerbit="Bupati Lembah Hijau", nomor="100.3/K.12/2019",
                         tahun=2019, tentang="Dewan Smart City")
    assert render.peraturan(decree, daerah) == ("Keputusan Bupati Lembah Hijau Nomor 100.3/K.12/2019 tentang "
                                                "Dewan Smart City")
    assert "Nomor 12 Tahun 2019" in render.peraturan(dataclasses.replace(decree, nomor="12"), daerah)
