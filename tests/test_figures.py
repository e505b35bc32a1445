"""Data figures: standalone, valid, accessible SVG drawn from the derived figures, and its PNG."""

import re
import struct
import xml.etree.ElementTree as ET

import pytest
from conftest import ROOT, check_paths

from cetakbiru import figures, labels
from cetakbiru.derive import Derived
from cetakbiru.raster import to_png

SVG = "{http://www.w3.org/2000/svg}"
SAMPLES = ["tanjungpinang", "kutai-timur"]
PT_PER_MM = 72 / 25.4


def city(slug):
    (c,) = check_paths(ROOT / "cities" / f"{slug}.yaml").cities
    return c


def derived(slug) -> Derived:
    c = city(slug)
    return Derived(c.plan, c.catalog)


def parse(fig: figures.Figure) -> ET.Element:
    return ET.fromstring(fig.svg.encode("utf-8"))


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def marks(root: ET.Element, cls: str) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if r.get("class") == cls]


@pytest.fixture(scope="module", params=SAMPLES)
def sample(request):
    return derived(request.param)


# --- every figure -------------------------------------------------------------------------


def test_every_figure_is_a_valid_accessible_standalone_svg(sample):
    figs = figures.all_figures(sample)
    assert [f.slug for f in figs][:2] == ["kesiapan", "program-per-dimensi"]
    assert len({f.slug for f in figs}) == len(figs)
    for fig in figs:
        assert re.fullmatch(r"[a-z0-9-]+", fig.slug)
        root = parse(fig)
        assert root.tag == f"{SVG}svg"
        # size in millimetres, matching the figure and the view box's aspect ratio
        assert root.get("width") == f"{figures._n(fig.width_mm)}mm" and fig.width_mm == 170
        assert root.get("height").endswith("mm")
        assert float(root.get("height")[:-2]) == pytest.approx(fig.height_mm, abs=0.01)
        vx, vy, vw, vh = map(float, root.get("viewBox").split())
        assert (vx, vy) == (0, 0) and vh / vw == pytest.approx(fig.height_mm / fig.width_mm, rel=1e-3)
        # accessibility: <title> first, equal to the alt text, which is Indonesian prose
        first = root[0]
        assert first.tag == f"{SVG}title" and first.text == fig.alt
        assert len(fig.alt) > 60 and "grafik" not in fig.alt.lower()
        assert fig.title and "Gambar" not in fig.title
        # self-contained: nothing that runs or fetches
        lowered = fig.svg.lower()
        for bad in ("<script", "foreignobject", "<style", "@import", "href", "<image", "url("):
            assert bad not in lowered, (fig.slug, bad)
        # legible: every font size prints at 7 pt or more at the stated width
        pt_per_unit = fig.width_mm * PT_PER_MM / vw
        for el in root.iter():
            if el.get("font-size"):
                assert float(el.get("font-size")) * pt_per_unit >= 7 - 1e-6, (fig.slug, el.get("font-size"))
        assert "Liberation Sans" in root[2].get("font-family")
        # coordinates with at most two decimals
        for value in re.findall(r'(?:x|y|x1|y1|x2|y2|width|height)="(-?[0-9.]+)"', fig.svg):
            assert len(value.split(".")[1]) <= 2 if "." in value else True, value


def test_rendering_is_deterministic(sample):
    first = [(f.slug, f.svg, f.alt) for f in figures.all_figures(sample)]
    again = [(f.slug, f.svg, f.alt) for f in figures.all_figures(Derived(sample.plan, sample.catalog))]
    assert first == again


# --- per chart ----------------------------------------------------------------------------


def test_roadmap_shows_every_program_and_every_year(sample):
    for dim, rows in sample.roadmap.items():
        fig = figures.roadmap(sample, dim)
        if not rows:
            assert fig is None
            continue
        root = parse(fig)
        shown = texts(root)
        assert fig.slug == f"peta-jalan-{dim.lower()}"
        for r in rows:
            assert r.program.kode in shown
            assert r.program.kode in fig.alt
        labels = [t for t in shown if re.fullmatch(r"\d{4}", t)]
        assert labels == [str(y) for y in sample.years]
        assert len(marks(root, "span")) == len(rows)
        assert len(marks(root, "cell")) == sum(len(r.years) for r in rows)
        groups = [t for t in shown if t.startswith("Jangka ")]
        expected = [figures.JANGKA_LABEL[j] for j in ("pendek", "menengah", "panjang")
                    if any(r.program.jangka == j for r in rows)]
        assert groups == expected
        assert "Masa program" in shown and "Tahun dengan kegiatan dan anggaran" in shown


def test_budget_chart_has_every_year_and_one_segment_per_year_and_source(sample):
    fig = figures.budget_by_year_source(sample)
    root = parse(fig)
    shown = texts(root)
    for year in sample.years:
        assert str(year) in shown
    for year in sample.budget_by_year:
        assert f"{year} {figures.fmt.rupiah_ringkas(sample.budget_by_year[year])}" in fig.alt
    nonzero = [k for k, v in sample.budget_by_year_source.items() if v]
    assert len(marks(root, "seg")) == len(nonzero)
    assert "miliar rupiah" in shown
    for source in {s for _, s in nonzero}:
        assert labels.regional(sample.catalog.funding_sources[source].nama, sample.plan.daerah.jenis) in " ".join(shown)
    # the totals above the bars, in the short Indonesian form
    peak_year = max(sample.budget_by_year, key=sample.budget_by_year.get)
    amount = figures.fmt.rupiah_ringkas(sample.budget_by_year[peak_year])
    assert amount in " ".join(shown) or amount.rpartition(" ")[0] in shown
    assert "," in amount or "." not in amount  # decimal comma


def test_budget_colours_are_keyed_by_source():
    a, b = derived("tanjungpinang"), derived("kutai-timur")
    assert figures.source_colors(a)["APBD"] == figures.source_colors(b)["APBD"] == "#0072B2"
    assert len(set(figures.source_colors(a).values())) == len(figures.source_colors(a))


def test_readiness_bars_group_by_element_with_the_average(sample):
    fig = figures.readiness(sample)
    root = parse(fig)
    shown = texts(root)
    assert len(marks(root, "bar")) == len(sample.plan.kesiapan)
    for element, mean in sample.readiness_by_element.items():
        assert sample.catalog.elements[element].nama in shown
        assert f"rata-rata {figures.fmt.angka(mean, 1)}" in shown
    assert [str(v) for v in range(6)] == [t for t in shown if re.fullmatch(r"\d", t) and int(t) <= 5][-6:]
    assert "Penilaian mandiri daerah (skala 1–5), bukan nilai resmi Kementerian." in shown


def test_programs_per_dimension_has_two_series_per_dimension(sample):
    fig = figures.programs_per_dimension(sample)
    root = parse(fig)
    shown = texts(root)
    dims = sample.catalog.dimensions
    counts = [len(sample.programs_by_dimension[k]) for k in dims]
    counts += [len(sample.quick_wins_by_dimension[k]) for k in dims]
    assert len(marks(root, "bar")) == sum(1 for n in counts if n)
    for d in dims.values():
        assert d.nama in shown
    assert "Program" in shown and "Quick win" in shown
    assert f"total {len(sample.plan.program)} program" in fig.alt


# --- hostile and missing data -------------------------------------------------------------


def test_city_text_cannot_inject_markup():
    c = city("tanjungpinang")
    evil = "<script>alert(1)</script>&"
    program = c.plan.program[0]
    program.nama = evil
    dim = Derived(c.plan, c.catalog).program_dimension(program)
    d = Derived(c.plan, c.catalog)
    fig = figures.roadmap(d, dim)
    assert "<script>" not in fig.svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in fig.svg
    root = parse(fig)  # still well-formed
    assert evil in " ".join(texts(root))
    assert evil in fig.alt and root[0].text == fig.alt
    assert not list(root.iter(f"{SVG}script"))


def test_attribute_and_control_characters_are_neutralised():
    assert figures._esc('a"b\'c<d>&\x07e') == "a&quot;b&apos;c&lt;d&gt;&amp;e"


def test_figures_without_data_are_left_out():
    c = city("tanjungpinang")
    plan = c.plan
    plan.kesiapan = []
    plan.rencana_aksi = []
    plan.program = [p for p in plan.program if not p.kode.startswith("SG-")]
    d = Derived(plan, c.catalog)
    assert figures.readiness(d) is None
    assert figures.budget_by_year_source(d) is None
    assert figures.roadmap(d, "SG") is None
    assert figures.programs_per_dimension(d) is not None
    slugs = [f.slug for f in figures.all_figures(d)]
    assert "kesiapan" not in slugs and "anggaran-tahun-sumber" not in slugs and "peta-jalan-sg" not in slugs
    assert "peta-jalan-sb" in slugs


def test_long_names_are_shortened_and_long_codes_kept():
    c = city("tanjungpinang")
    d0 = Derived(c.plan, c.catalog)
    rows = d0.roadmap["SG"]
    rows[0].program.nama = "Sangat " * 40 + "Panjang"
    rows[1].program.kode = "SG-P99-KODE-YANG-PANJANG"
    d = Derived(c.plan, c.catalog)
    root = parse(figures.roadmap(d, "SG"))
    shown = texts(root)
    assert "SG-P99-KODE-YANG-PANJANG" in shown
    assert any(t.endswith("…") for t in shown)
    label_edge = figures.PAD + 200
    for t in root.iter(f"{SVG}text"):
        content = "".join(t.itertext())
        if content.startswith("Sangat"):
            assert float(t.get("x")) + figures.text_width(content, float(t.get("font-size"))) <= label_edge


# --- PNG ----------------------------------------------------------------------------------


def test_png_has_the_print_width_at_the_requested_resolution():
    fig = figures.budget_by_year_source(derived("tanjungpinang"))
    png = to_png(fig.svg, fig.width_mm, ppi=220)
    assert isinstance(png, bytes) and png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert width == pytest.approx(fig.width_mm / 25.4 * 220, abs=2)
    assert height == pytest.approx(fig.height_mm / 25.4 * 220, abs=3)
