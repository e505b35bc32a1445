"""The public site, built for real (mkdocs-material + Pagefind) and read back as files.

Browser behaviour (search, filters, downloads, accessibility) is in test_browser.py.
"""

import gzip
import json
import re

import pytest
from conftest import FIXTURES, ROOT, SAMPLE_CITIES, check_paths

from cetakbiru import site

DRAFT_NAME = "Qorvindel"


@pytest.fixture(scope="session")
def site_build(built, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("situs")
    draft = tmp / "kota-rahasia.yaml"
    draft.write_text((FIXTURES / "minimal.yaml").read_text().replace("nama: Contoh", f"nama: {DRAFT_NAME}"))
    result = check_paths(*(ROOT / "cities" / f"{c}.yaml" for c in SAMPLE_CITIES), draft)
    assert not result.errors and len(result.cities) == 3
    (secret,) = (c for c in result.cities if c.slug == "kota-rahasia")
    assert (secret.plan.daerah.nama, secret.plan.dokumen.status) == (DRAFT_NAME, "draf")  # the draft is there to hide
    out = tmp / "site"
    published = site.build(result.cities, books=built["books"], books_dir=built["out"], out=out, work=tmp / "work")
    return {"out": out, "published": published, "work": tmp / "work"}


def test_only_final_and_enacted_cities_are_published(site_build):
    assert sorted(sc.slug for sc in site_build["published"]) == ["kutai-timur", "tanjungpinang"]
    out = site_build["out"]
    assert (out / "daerah" / "tanjungpinang" / "index.html").is_file()
    assert not (out / "daerah" / "kota-rahasia").exists() and not (out / "unduh" / "kota-rahasia").exists()
    searched = 0
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".js", ".xml", ".md", ".svg"):
            text = path.read_text(errors="ignore")
            assert DRAFT_NAME not in text and "kota-rahasia" not in text, path
            searched += 1
    assert searched > 30
    fragments = search_fragments(out)  # the search index is compressed: read it too
    assert "Tanjungpinang" in fragments and DRAFT_NAME not in fragments and "kota-rahasia" not in fragments


def test_every_page_is_indonesian_and_self_contained(site_build):
    pages = list(site_build["out"].rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        html = page.read_text()
        assert '<html lang="id"' in html, page
        # what the browser would load by itself (links the reader may follow are fine)
        for url in re.findall(r'<(?:script|img|link|iframe|source|video|audio|embed|object)\b[^>]*?'
                              r'(?:src|href|data)="([^"]+)"', html):
            assert not re.match(r"^(https?:)?//", url), (page, url)
        assert "@import" not in html
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_pages_of_a_city(site_build):
    base = site_build["out"] / "daerah" / "tanjungpinang"
    for page in ["index.html", "dimensi-sg/index.html", "dimensi-sen/index.html", "peta-jalan/index.html",
                 "quick-win/index.html", "kesiapan/index.html", "evaluasi/index.html", "unduh/index.html"]:
        assert (base / page).is_file(), page
    dimension = (base / "dimensi-sg" / "index.html").read_text()
    assert re.search(r'<table class="[^"]*\bcb-filter\b', dimension) and '<th scope="col"' in dimension
    assert "SG-P01" in dimension
    # the site is not dated: it keeps the evaluations its 2020 books leave out (test_dates.py)
    evaluations = (base / "evaluasi" / "index.html").read_text()
    assert all(str(year) in evaluations for year in (2020, 2021, 2022))


def test_downloads_and_open_data(site_build):
    import csv
    import json

    unduh = site_build["out"] / "unduh" / "tanjungpinang"
    names = {p.name for p in unduh.iterdir()}
    for book in ["buku-1-analisis-strategis", "buku-2-masterplan", "buku-3-quick-win", "ringkasan-eksekutif"]:
        assert {f"{book}.pdf", f"{book}.docx"} <= names
    data = json.loads((unduh / "tanjungpinang.json").read_text())
    assert data["metadata"]["kode_wilayah"] == "21.72"
    rows = list(csv.DictReader((unduh / "tanjungpinang-rencana-aksi.csv").read_text().splitlines()))
    assert rows and all(r["kode_wilayah"] == "21.72" for r in rows)
    assert sum(int(r["anggaran_rupiah"]) for r in rows) == data["turunan"]["total_anggaran"]
    qw = list(csv.DictReader((unduh / "tanjungpinang-quick-win.csv").read_text().splitlines()))
    assert {r["nama"] for r in qw} >= {"TOSSA", "SIAP", "SICEPAT"}
    dictionary = json.loads((site_build["out"] / "data" / "kamus-data.json").read_text())
    assert set(rows[0]) == {c["kolom"] for c in dictionary["rencana_aksi"]}


def _pagefind_files(site_out, folder):
    """The files of Pagefind's index in `folder`, decompressed (each starts with `pagefind_dcd`)."""
    files = [gzip.decompress(p.read_bytes()) for p in sorted((site_out / "pagefind" / folder).iterdir())]
    assert files and all(f.startswith(b"pagefind_dcd") for f in files), folder
    return [f[len(b"pagefind_dcd"):] for f in files]


def search_fragments(site_out) -> str:
    """Every page's text as the search index holds it (what a search result shows)."""
    return "\n".join(json.loads(f)["content"] for f in _pagefind_files(site_out, "fragment"))


def test_search_index_is_indonesian(site_build):
    out = site_build["out"]
    assert (out / "pagefind" / "pagefind-ui.js").is_file()
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text())
    # one index, for Indonesian, with the Indonesian stemmer ("unknown" when a language has none)
    assert list(entry["languages"]) == ["id"]
    (index,) = entry["languages"].values()
    assert index["wasm"] == "id"
    indexed = [p for p in out.rglob("*.html") if "data-pagefind-body" in p.read_text()]
    assert index["page_count"] == len(indexed) > 20
    # the words are stored stemmed, as the Indonesian stemmer cuts them (CBOR text strings)
    words = b"".join(_pagefind_files(out, "index"))

    def stored(word: str) -> bool:
        raw = word.encode()
        return (bytes([0x60 + len(raw)]) if len(raw) < 24 else bytes([0x78, len(raw)])) + raw in words

    text = search_fragments(out).lower()
    for word, stem in [("pelayanan", "layan"), ("pembangunan", "bangun"), ("perencanaan", "rencana")]:
        assert word in text, word  # on the pages...
        assert stored(stem) and not stored(word), (word, stem)  # ...and indexed by its stem


def test_city_text_cannot_inject_markup(built, tmp_path):
    hostile = '<script>alert("x")</script> **tebal** [tautan](javascript:alert(1))'
    text = (ROOT / "cities" / "tanjungpinang.yaml").read_text()
    path = tmp_path / "tanjungpinang.yaml"
    path.write_text(text.replace("  potensi_unggulan:\n", f"  potensi_unggulan:\n    - '{hostile}'\n", 1))
    (city,) = check_paths(path).cities
    for program in city.plan.program[:3]:
        program.nama = hostile
    city.plan.daerah.nama = "Tanjung<script>alert(2)</script>pinang"
    city.plan.evaluasi[-1].evaluator[0].nama = hostile
    city.plan.evaluasi[-1].kunjungan.tempat = hostile
    city.plan.keikutsertaan.sumber = hostile
    out = tmp_path / "site"
    site.build([city], books_dir=built["out"], out=out, work=tmp_path / "work")
    pages = {page: page.read_text() for page in out.rglob("*.html")}
    assert len(pages) > 10
    for page, html in pages.items():
        assert "<script>alert" not in html and 'href="javascript:' not in html, page
        assert "alert(2)" not in html or "&lt;script&gt;alert(2)" in html, page
    # the payloads are on the pages, shown as the text they are
    home = pages[out / "daerah" / "tanjungpinang" / "index.html"]
    assert "Tanjung&lt;script&gt;alert(2)&lt;/script&gt;pinang" in home
    assert "&lt;script&gt;alert(" in pages[out / "daerah" / "tanjungpinang" / "dimensi-sg" / "index.html"]
    assert pages[out / "daerah" / "tanjungpinang" / "evaluasi" / "index.html"].count("&lt;script&gt;alert(") >= 2
    assert "&lt;script&gt;alert(" in home.split("Keikutsertaan dalam Gerakan", 1)[1]


def test_failed_site_build_leaves_the_previous_site(site_build, built, monkeypatch, tmp_path):
    before = {p: p.stat().st_mtime_ns for p in site_build["out"].rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise site.Abort("simulated")

    monkeypatch.setattr(site, "run_pagefind", broken)
    result = check_paths(*(ROOT / "cities" / f"{c}.yaml" for c in ["tanjungpinang"]))
    with pytest.raises(site.Abort):
        site.build(result.cities, books_dir=built["out"], out=site_build["out"], work=tmp_path / "w")
    after = {p: p.stat().st_mtime_ns for p in site_build["out"].rglob("*") if p.is_file()}
    assert after == before


def test_city_pictures_are_published_with_their_alt_text(built, tmp_path):
    from cetakbiru.raster import to_png

    folder = tmp_path / "cities" / "kota-bergambar"
    folder.mkdir(parents=True)
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="40mm" height="20mm" viewBox="0 0 40 20">'
           '<rect width="40" height="20" fill="#0B5563"/></svg>')
    (folder / "peta.png").write_bytes(to_png(svg, 40))
    text = (FIXTURES / "minimal.yaml").read_text().replace("status: draf", "status: final")
    text = text.replace("  jumlah_kecamatan: 5\n", "  jumlah_kecamatan: 5\n  gambar:\n    - {berkas: peta.png, "
                        "judul: Peta Administrasi, alt: Peta kota dengan lima kecamatan}\n")
    path = tmp_path / "cities" / "kota-bergambar.yaml"
    path.write_text(text)
    (city,) = check_paths(path).cities
    from cetakbiru import books

    books.build([city], out_dir=tmp_path / "buku")
    out = tmp_path / "site"
    site.build([city], books_dir=tmp_path / "buku", out=out, work=tmp_path / "work")
    assert (out / "daerah" / "kota-bergambar" / "berkas" / "peta.png").is_file()
    html = (out / "daerah" / "kota-bergambar" / "index.html").read_text()
    assert 'alt="Peta kota dengan lima kecamatan"' in html and "berkas/peta.png" in html


def _page_text(path) -> str:
    """The visible text of a page: tags dropped, entities read, whitespace folded."""
    import html as html_mod

    return " ".join(html_mod.unescape(re.sub(r"<[^>]+>", " ", path.read_text())).split())


@pytest.mark.parametrize("city", ["tanjungpinang", "kutai-timur"])
def test_city_page_shows_the_entry_and_each_evaluations_stage_period_and_visit(site_build, built, city):
    from cetakbiru import fmt
    from cetakbiru.derive import Derived

    c = built["cities"][city]
    k = c.plan.keikutsertaan
    base = site_build["out"] / "daerah" / city
    overview = _page_text(base / "index.html")
    assert f"Angkatan {k.angkatan}" in overview and f"Nota kesepakatan {fmt.tanggal(k.tanggal)}" in overview
    details = _page_text(base / "evaluasi" / "index.html")
    for ev in Derived(c.plan, c.catalog).evaluations:
        period = "–"
        if ev.periode:
            period = (f"Semester {fmt.romawi(ev.periode.semester)} {ev.periode.tahun}" if ev.periode.semester
                      else f"Tahun {ev.periode.tahun}")
        visit = fmt.rentang_tanggal(ev.kunjungan.mulai, ev.kunjungan.selesai) if ev.kunjungan else "–"
        assert f"{ev.tahun} {ev.tahap or '–'} {period} {visit}" in overview, ev.tahun  # one row of the table
        if ev.periode:
            assert f"Periode yang dinilai {period}" in details
        if ev.kunjungan:
            assert f"Kunjungan lapangan {visit}" in details
        for person in [*ev.evaluator, *ev.pendamping]:
            assert f"{' '.join(person.nama.split())} (" in details, person.nama
