"""The Daftar Pustaka (cetakbiru/pustaka.py): each kind of source in its APA form, the order, the
regulations' own list, and hostile text that stays text. Entries are read back by pandoc itself,
as the books read them."""

from __future__ import annotations

import datetime as dt
import json
import random

import pypandoc
import pytest
from conftest import ROOT, check_paths

from cetakbiru import escape, pustaka, render
from cetakbiru import model as m
from cetakbiru.derive import Derived, as_of

READER_EXACT = escape.READER + "-smart"  # the very characters, not curly quotes


def src(**fields) -> m.Pustaka:
    fields.setdefault("jenis", "buku")
    return m.Pustaka(**fields)


def blocks(markdown: str) -> list[dict]:
    return json.loads(pypandoc.convert_text(markdown, "json", format=READER_EXACT))["blocks"]


def inline_text(inlines: list[dict]) -> str:
    out = []
    for node in inlines:
        if node["t"] == "Str":
            out.append(node["c"])
        elif node["t"] in ("Space", "SoftBreak"):
            out.append(" ")
        elif node["t"] == "Emph":
            out.append(inline_text(node["c"]))
        else:
            raise AssertionError(f"unexpected {node['t']} in a reference")
    return "".join(out)


def read(source: m.Pustaka) -> tuple[str, list[str]]:
    """(the reference as the reader sees it, the parts set in italics), from the escaped source."""
    (para,) = blocks(pustaka.entry(escape.escaped(source)))
    assert para["t"] == "Para"
    italic = [inline_text(n["c"]) for n in para["c"] if n["t"] == "Emph"]
    return inline_text(para["c"]).replace(escape.ZWSP, ""), italic


def test_a_book_author_year_italic_title_place_publisher():
    text, italic = read(src(penulis=["Kementerian Komunikasi dan Informatika"], tahun=2021,
                            judul="Buku Panduan Penyusunan Masterplan Smart City", tempat="Jakarta",
                            penerbit="Direktorat Jenderal Aplikasi Informatika"))
    assert text == ("Kementerian Komunikasi dan Informatika. (2021). Buku Panduan Penyusunan Masterplan Smart "
                    "City. Jakarta: Direktorat Jenderal Aplikasi Informatika.")
    assert italic == ["Buku Panduan Penyusunan Masterplan Smart City"]


def test_no_year_is_tanpa_tahun():
    text, _ = read(src(penulis=["Bappeda Kota Contoh"], judul="Profil Daerah", jenis="dokumen"))
    assert text == "Bappeda Kota Contoh. (t.t.). Profil Daerah."


def test_news_without_author_puts_the_title_first_and_italicises_the_paper():
    text, italic = read(src(jenis="berita", tahun=2019, tanggal=dt.date(2019, 2, 22),
                            judul="Syahrul ikuti assessment Menuju 100 Smart City 2019", terbitan="Sijorikepri.com"))
    assert text == "Syahrul ikuti assessment Menuju 100 Smart City 2019. (2019, 22 Februari). Sijorikepri.com."
    assert italic == ["Sijorikepri.com"]


def test_an_online_source_ends_with_its_access_date_and_address():
    url = "https://aptika.kominfo.go.id/2020/02/mimpi-kota-jambi-menjadi-smart-city/"
    text, _ = read(src(jenis="berita", penulis=["Direktorat Jenderal Aplikasi Informatika"], tahun=2020,
                       judul="Mimpi Kota Jambi Menjadi Smart City", terbitan="Aptika Kominfo", url=url,
                       diakses=dt.date(2024, 10, 4)))
    assert text.endswith(f"Aptika Kominfo. Diakses 4 Oktober 2024, dari {url}")
    # the address may wrap after a slash: a break opportunity, no visible character
    assert escape.ZWSP + "2020/" in pustaka.entry(src(judul="x", url=url, diakses=dt.date(2024, 10, 4)))


@pytest.mark.parametrize(("names", "written"), [
    (["Badan Pusat Statistik", "Bappeda"], "Badan Pusat Statistik & Bappeda."),
    (["Sucahyo, Y. G.", "Widiputra, H. D."], "Sucahyo, Y. G., & Widiputra, H. D."),
    (["A", "B", "C"], "A, B, & C."),
])
def test_authors_are_joined_as_apa_does(names, written):
    text, _ = read(src(penulis=names, tahun=2020, judul="Judul"))
    assert text.startswith(written + " (2020).")


def test_a_title_ending_a_sentence_gets_no_second_period():
    text, _ = read(src(penulis=["Sucahyo, Y. G."], tahun=2019, judul="Siapkah Kota Kita?"))
    assert text == "Sucahyo, Y. G. (2019). Siapkah Kota Kita?"


def test_order_is_author_then_year_without_year_first_then_title():
    sources = [
        src(penulis=["Kementerian Komunikasi dan Informatika"], tahun=2021, judul="Pedoman Evaluasi"),
        src(penulis=["kementerian Komunikasi dan Informatika"], tahun=2021, judul="Buku Panduan"),
        src(penulis=["Kementerian Komunikasi dan Informatika"], tahun=2017, judul="Zaman Awal"),
        src(penulis=["Kementerian Komunikasi dan Informatika"], judul="Tanpa Tahun"),
        src(penulis=["Badan Pusat Statistik"], tahun=2024, judul="Dalam Angka"),
        src(jenis="berita", tahun=2019, judul="\"Lapor\" dari Sijori", terbitan="Sijorikepri.com"),
        src(penulis=["Élan Nusantara"], tahun=2010, judul="Kota"),
        src(jenis="berita", penulis=["Kementerian Komunikasi dan Informatika"], tanggal=dt.date(2019, 5, 2),
            judul="Berita Bertanggal"),
    ]
    expected = [s.judul for s in (sources[4], sources[6], sources[3], sources[2], sources[7], sources[1], sources[0],
                                  sources[5])]
    shuffled = sources[:]
    random.Random(7).shuffle(shuffled)
    assert [s.judul for s in sorted(shuffled, key=pustaka.sort_key)] == expected


HOSTILE = [
    "*Tebal* dan _miring_ [tautan](http://contoh.test) <b>html</b> `kode` $x^2$ @kutip [^1]",
    "1. Bukan daftar",
    "- Bukan butir",
    "Judul\\ dengan garis miring terbalik\\",
    "<!-- komentar --> {=html} ::: div",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_text_in_a_source_stays_text(title):
    url = "https://contoh.test/a_b*c*[d](e)`f`/g"
    source = src(penulis=[title], tahun=2020, judul=title, terbitan=title, penerbit=title, tempat=title,
                 url=url, diakses=dt.date(2020, 1, 2))
    text, italic = read(source)  # read() refuses anything but text and italics: no link, code, raw, math
    assert italic == [title]
    assert f"{title}. (2020). {title}. {title}. {title}: {title}. Diakses 2 Januari 2020, dari {url}" == text


def test_a_year_range_in_a_title_gets_the_en_dash_of_the_books():
    text, _ = read(src(penulis=["Bappeda"], tahun=2020, judul="RPJMD 2018-2023"))
    assert "RPJMD 2018–2023." in text


# --- the lists a book prints ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tanjungpinang():
    (city,) = check_paths(ROOT / "cities" / "tanjungpinang.yaml").cities
    return city


def test_regulations_add_the_enactment_only_when_it_exists_on_the_documents_date(tanjungpinang):
    import dataclasses

    plan, catalog = tanjungpinang.plan, tanjungpinang.catalog
    pen = plan.penetapan
    cited = Derived(plan, catalog).cited_regulations
    assert cited[-2:] != [] and any(p is pen for p in cited)
    # a Perwali ranks below the Perda and above the head's decisions (UU 12/2011 and our hierarchy)
    kinds = [p.jenis for p in cited]
    assert kinds.index("Perwali") > max(i for i, k in enumerate(kinds) if k == "Perda")
    later = dataclasses.replace(pen, tanggal_ditetapkan=plan.dokumen.tanggal + dt.timedelta(days=1))
    later_plan = dataclasses.replace(plan, penetapan=later)
    assert all(p is not later for p in Derived(later_plan, catalog).cited_regulations)
    # listed in dasar_hukum as well, it is still printed once
    twice = dataclasses.replace(plan, dasar_hukum=[*plan.dasar_hukum, m.Peraturan(
        jenis=pen.jenis, nomor=pen.nomor, tahun=pen.tahun, tentang=pen.tentang)])
    assert len(Derived(twice, catalog).cited_regulations) == len(cited)


def test_sources_published_after_the_document_are_left_out(tanjungpinang):
    import dataclasses

    plan = tanjungpinang.plan
    date = plan.dokumen.tanggal
    extra = [src(penulis=["Zeta"], tahun=date.year + 1, judul="Nanti"),
             src(jenis="berita", penulis=["Zeta"], tahun=date.year, tanggal=date + dt.timedelta(days=1), judul="Besok"),
             src(jenis="berita", penulis=["Zeta"], tahun=date.year, tanggal=date, judul="Hari Ini")]
    # what a book sees: the plan as of its date (derive.as_of, as render_book makes it)
    d = Derived(*as_of(dataclasses.replace(plan, pustaka=[*plan.pustaka, *extra]), tanjungpinang.catalog, date))
    titles = [s.judul for s in d.sources]
    assert "Hari Ini" in titles and "Nanti" not in titles and "Besok" not in titles


def test_the_book_prints_regulations_first_then_the_sorted_sources(tanjungpinang):
    plan, catalog = tanjungpinang.plan, tanjungpinang.catalog
    markdown = render.render_book(plan, catalog, render.books_of(plan)[0]).markdown
    back = markdown[markdown.index("# DAFTAR PUSTAKA"):]
    first, second = back.index("**Peraturan Perundang-undangan**"), back.index("**Sumber Lain**")
    assert first < second
    items = [line[2:] for line in back[second:].splitlines() if line.startswith("- ")]
    assert len(items) == len(plan.pustaka)
    leads = [inline_text(blocks(i)[0]["c"]).split(".")[0].casefold() for i in items]
    assert leads == sorted(leads)
    assert "[" not in back.replace("\\[", "")
