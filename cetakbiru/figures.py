"""Data figures for the books and the site, drawn as standalone SVG from the derived figures.

Every chart is built by plain string assembly (no plotting dependency) so the output is
deterministic: the same city gives byte-identical SVG. One SVG user unit is (very nearly) one
typographic point: the view box is 482 units wide for a 170 mm print width, so a font size of 8
prints at 8 pt. Text is measured with Helvetica metrics (Liberation Sans and Arial share them)
to wrap or shorten labels before they can overflow.

All text that comes from a city file or the shipped lists passes through `_esc`, which escapes
markup and drops characters XML cannot carry: the files come from many hands. The charts' own words
(titles, legends, axis labels, notes, text alternatives) come from the language catalogue, section
`gambar` (cetakbiru/labels.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from . import fmt
from .derive import JANGKA_ORDER, Derived, RoadmapRow
from .labels import frame, regional, teks
from .model import Kesiapan


@dataclass(frozen=True)
class Figure:
    slug: str  # file-name-safe id, e.g. "peta-jalan-sg"
    title: str  # caption text, without the "Gambar x.y" prefix
    alt: str  # text alternative: what the figure shows and its key numbers
    svg: str  # a complete standalone SVG 1.1 document
    width_mm: float  # intended print width
    height_mm: float


# --- page geometry and style --------------------------------------------------------------

WIDTH_MM = 170.0
W = 482.0  # view-box width in user units; 170 mm / 482 = 0.3527 mm, i.e. 1 unit ~ 1 pt
MM_PER_UNIT = WIDTH_MM / W
PAD = 4.0  # white margin around the drawing

FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
INK = "#1A1A1A"  # main text
INK_SOFT = "#4D4D4D"  # secondary text (axis labels, notes)
GRID = "#D9D9D9"  # gridlines
RULE = "#BFBFBF"  # axis lines
BAND = "#EEF2F6"  # group header bands

# Okabe-Ito palette (colour-blind safe), keyed by funding-source code so a source keeps its
# colour in every chart and every city.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
SOURCE_COLORS = {
    "APBD": OKABE_ITO["blue"],
    "APBD-PROV": OKABE_ITO["sky"],
    "APBN": OKABE_ITO["orange"],
    "DAK": OKABE_ITO["green"],
    "KPBU": OKABE_ITO["vermillion"],
    "CSR": OKABE_ITO["purple"],
    "SWADAYA": OKABE_ITO["yellow"],
}
# For sources added to data/sumber_dana.yaml later: a fixed sequence, assigned in catalog order.
FALLBACK_COLORS = ("#6B6B6B", "#8C6D31", "#1B9E9E", "#A6A6A6", "#3C3C8C", "#7F3F5F")

ROADMAP_SPAN = "#CFE2F0"  # light bar: the declared span of a program
ROADMAP_SPAN_EDGE = "#7FAFD3"
ROADMAP_YEAR = OKABE_ITO["blue"]  # solid cells: years with targets or budget
SERIES_PROGRAM = OKABE_ITO["blue"]
SERIES_QUICK_WIN = OKABE_ITO["orange"]
READINESS_BAR = OKABE_ITO["blue"]
READINESS_MEAN = OKABE_ITO["vermillion"]


def _words(figure: str, key: str) -> str:
    """One of a chart's words from the catalogue: `_words("kesiapan", "judul")`."""
    return str(teks("gambar", figure, key))


JANGKA_LABEL: dict[str, str] = {j: str(teks("gambar", "peta_jalan", "jangka", j)) for j in JANGKA_ORDER}

# --- text: escaping and measuring ---------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _clean(text: object) -> str:
    """Text without the characters XML 1.0 cannot carry, with runs of white space collapsed."""
    return " ".join(_NOT_XML.sub("", str(text)).split())


def _esc(text: object) -> str:
    """Text content, escaped (also safe inside a double-quoted attribute)."""
    return escape(_clean(text), {'"': "&quot;", "'": "&apos;"})


# Helvetica advance widths (per 1000 em) for printable ASCII, regular and bold.
_REGULAR = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 "
    "278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 667 778 722 667 "
    "611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 556 222 222 500 222 833 "
    "556 556 556 556 333 500 278 556 500 722 500 500 500 334 260 334 584"
)
_BOLD = (
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 "
    "333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778 667 778 722 667 "
    "611 722 667 944 667 667 611 333 278 333 584 556 333 556 611 556 611 556 333 611 611 278 278 556 278 889 "
    "611 611 611 611 389 556 333 611 556 778 556 556 500 389 280 389 584"
)
_WIDTHS = {
    False: dict(zip(map(chr, range(32, 127)), map(int, _REGULAR.split()), strict=True)),
    True: dict(zip(map(chr, range(32, 127)), map(int, _BOLD.split()), strict=True)),
}
_EXTRA = {"–": 556, "—": 1000, "…": 1000, "’": 222, "‘": 222, "“": 333, "”": 333, "²": 333, "×": 584}


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Approximate advance width of `text` at `size`, with a small allowance for fallback fonts."""
    table = _WIDTHS[bold]
    units = sum(table.get(ch, _EXTRA.get(ch, 611 if ch.isupper() else 556)) for ch in text)
    return units * size / 1000 * 1.03


def _ellipsize(text: str, max_w: float, size: float, bold: bool = False) -> str:
    if text_width(text, size, bold) <= max_w:
        return text
    while text and text_width(text.rstrip() + "…", size, bold) > max_w:
        text = text[:-1]
    return text.rstrip(" ,;:-–") + "…"


def wrap(text: str, max_w: float, size: float, bold: bool = False, max_lines: int = 2) -> list[str]:
    """Break `text` into at most `max_lines` lines of width `max_w`; the last one ends in '…' if cut."""
    text = _clean(text)
    if not text:
        return [""]
    lines: list[str] = []
    words = text.split(" ")
    current = ""
    i = 0
    while i < len(words):
        word = words[i]
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= max_w:
            current = candidate
            i += 1
            continue
        if not current:  # a single word wider than the line: cut it
            cut = word
            while len(cut) > 1 and text_width(cut, size, bold) > max_w:
                cut = cut[:-1]
            current, words[i] = cut, word[len(cut):]
        lines.append(current)
        current = ""
        if len(lines) == max_lines:
            break
    if current and len(lines) < max_lines:
        lines.append(current)
    consumed = " ".join(lines)
    if len(consumed) < len(text):  # something was left out: mark the cut on the last line
        lines[-1] = _ellipsize(lines[-1] + " " + text[len(consumed):].strip(), max_w, size, bold)
    return lines


# --- SVG building blocks ------------------------------------------------------------------


def _n(x: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class _Canvas:
    """An ordered list of SVG elements; all coordinates in user units."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def rect(self, x, y, w, h, fill, stroke=None, stroke_width=0.5, rx=0.0, cls: str | None = None) -> None:
        """`cls` marks data marks (bar, seg, span, cell) so tests and stylesheets can find them."""
        attrs = (f'class="{cls}" ' if cls else "") + (
            f'x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(max(h, 0))}" fill="{fill}"'
        )
        if rx:
            attrs += f' rx="{_n(rx)}"'
        if stroke:
            attrs += f' stroke="{stroke}" stroke-width="{_n(stroke_width)}"'
        self.parts.append(f"<rect {attrs}/>")

    def line(self, x1, y1, x2, y2, stroke, width=0.5, dash: str | None = None) -> None:
        attrs = f'x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}" stroke-width="{_n(width)}"'
        if dash:
            attrs += f' stroke-dasharray="{dash}"'
        self.parts.append(f"<line {attrs}/>")

    def text(self, x, y, content: str, size=8.0, *, anchor="start", bold=False, fill=INK, italic=False,
             vertical=False) -> None:
        """`y` is the baseline. `content` is raw text; it is escaped here. `vertical` reads upwards."""
        attrs = f'x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}"'
        if vertical:
            attrs += f' transform="rotate(-90 {_n(x)} {_n(y)})"'
        if anchor != "start":
            attrs += f' text-anchor="{anchor}"'
        if bold:
            attrs += ' font-weight="bold"'
        if italic:
            attrs += ' font-style="italic"'
        if fill != INK:
            attrs += f' fill="{fill}"'
        self.parts.append(f"<text {attrs}>{_esc(content)}</text>")


def _document(canvas: _Canvas, height: float, alt: str) -> str:
    h_mm = height * MM_PER_UNIT
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{_n(WIDTH_MM)}mm" height="{_n(h_mm)}mm" '
        f'viewBox="0 0 {_n(W)} {_n(height)}">\n'
        f"<title>{_esc(alt)}</title>\n"
        f'<rect x="0" y="0" width="{_n(W)}" height="{_n(height)}" fill="#FFFFFF"/>\n'
        f'<g font-family="{FONT}" fill="{INK}">\n' + "\n".join(canvas.parts) + "\n</g>\n</svg>\n"
    )


def _figure(slug: str, title: str, alt: str, canvas: _Canvas, height: float) -> Figure:
    height = math.ceil(height)
    return Figure(
        slug=slug,
        title=_clean(title),
        alt=_clean(alt),
        svg=_document(canvas, height, alt),
        width_mm=WIDTH_MM,
        height_mm=round(height * MM_PER_UNIT, 2),
    )


def _legend(canvas: _Canvas, y: float, items: list[tuple[str, str, str]], size=8.0, x0=PAD, x1=W - PAD) -> float:
    """Legend of (kind, colour, label) items; returns the y below it.

    The items run on one line when they fit; otherwise they go in equal columns, as many as
    give the shortest legend (labels wrap to two lines). kind is "box" (a filled swatch),
    "span" (the light roadmap bar) or "dash" (a dashed line).
    """
    if not items:
        return y
    sw, gap, item_gap = 10.0, 4.0, 18.0
    avail = x1 - x0
    line_h = size * 1.25
    labels = [_clean(label) for _, _, label in items]
    widths = [text_width(label, size) for label in labels]
    if sum(sw + gap + w for w in widths) + item_gap * (len(items) - 1) <= avail:
        x = x0
        for (kind, colour, _), label, w in zip(items, labels, widths, strict=True):
            _swatch(canvas, kind, colour, x, y + line_h / 2, sw)
            canvas.text(x + sw + gap, y + line_h / 2 + size * 0.35, label, size)
            x += sw + gap + w + item_gap
        return y + line_h + 3

    def layout(cols: int):
        col_w = (avail + item_gap) / cols - item_gap
        wrapped = [wrap(label, col_w - sw - gap, size, max_lines=2) for label in labels]
        rows = [wrapped[i:i + cols] for i in range(0, len(items), cols)]
        height = sum(max(len(w) for w in row) * line_h + 3 for row in rows)
        cut = any(w[-1].endswith("…") and not label.endswith("…") for w, label in zip(wrapped, labels, strict=True))
        return (cut, height, cols), col_w, wrapped

    (_, _, cols), col_w, wrapped = min((layout(n) for n in range(1, min(len(items), 4) + 1)), key=lambda t: t[0])
    for start in range(0, len(items), cols):
        row = list(zip(items[start:start + cols], wrapped[start:start + cols], strict=True))
        for c, ((kind, colour, _), lines) in enumerate(row):
            x = x0 + c * (col_w + item_gap)
            _swatch(canvas, kind, colour, x, y + line_h / 2, sw)
            for k, line in enumerate(lines):
                canvas.text(x + sw + gap, y + line_h * k + line_h / 2 + size * 0.35, line, size)
        y += max(len(lines) for _, lines in row) * line_h + 3
    return y


def _swatch(canvas: _Canvas, kind: str, colour: str, x: float, cy: float, sw: float) -> None:
    if kind == "dash":
        canvas.line(x, cy, x + sw, cy, colour, 1.2, dash="2.5 1.5")
    elif kind == "span":
        canvas.rect(x, cy - 4, sw, 8, ROADMAP_SPAN, ROADMAP_SPAN_EDGE, 0.6, rx=1.5)
    else:
        canvas.rect(x, cy - 4, sw, 8, colour, _darker(colour), 0.4, rx=1)


def _darker(hex_colour: str, f: float = 0.75) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"#{int(r * f):02X}{int(g * f):02X}{int(b * f):02X}"


def _nice_step(top: float, target_ticks: int = 5) -> float:
    """A 1-2-2.5-5 step giving about `target_ticks` intervals up to `top`."""
    if top <= 0:
        return 1.0
    raw = top / target_ticks
    mag = 10 ** math.floor(math.log10(raw))
    for m_ in (1, 2, 2.5, 5, 10):
        if raw <= m_ * mag:
            return m_ * mag
    return 10 * mag


def _year_ranges(years) -> str:
    """(2019, 2020, 2021, 2024) -> '2019–2021, 2024'."""
    years = sorted(set(years))
    out, start = [], None
    for i, y in enumerate(years):
        if start is None:
            start = y
        if i + 1 == len(years) or years[i + 1] != y + 1:
            out.append(str(start) if start == y else f"{start}–{y}")
            start = None
    return ", ".join(out)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _period(d: Derived) -> str:
    return f"{d.years[0]}–{d.years[-1]}" if d.years else ""


# --- peta jalan (roadmap Gantt) -----------------------------------------------------------


def roadmap(d: Derived, dimension: str) -> Figure | None:
    """Gantt chart of one dimension's programs: declared span and years of action, by jangka."""
    rows: list[RoadmapRow] = d.roadmap.get(dimension, [])
    if not rows or not d.years:
        return None
    dim = d.catalog.dimensions.get(dimension)
    dim_name = dim.nama if dim else dimension
    years = d.years
    first, last = years[0], years[-1]

    size = 8.0
    line_h = 9.6
    label_w = 200.0
    x_code = PAD + 2
    code_w = max(text_width(_clean(r.program.kode), size, bold=True) for r in rows)
    # Codes normally fit a narrow column beside the name; an unusually long one goes on its own
    # line above the name (for every row, so the column stays aligned) rather than being cut.
    stacked = code_w > 56
    x_name = x_code if stacked else x_code + code_w + 6
    name_w = PAD + label_w - x_name
    gx0, gx1 = PAD + label_w + 8, W - PAD
    cw = (gx1 - gx0) / len(years)

    def col_x(year: int) -> float:
        return gx0 + (year - first) * cw

    c = _Canvas()
    # year header (every year if it fits, else every other one)
    ysize = 8.0 if cw >= text_width("2020", 8.0, True) + 3 else 7.5
    step = 1 if cw >= text_width("2020", ysize, True) + 2 else 2
    header_base = PAD + 9
    for i, year in enumerate(years):
        if i % step == 0:
            c.text(col_x(year) + cw / 2, header_base, str(year), ysize, anchor="middle", bold=True, fill=INK_SOFT)
    top = header_base + 5

    # ("group", jangka, top y, []) or ("row", RoadmapRow, top y, name lines)
    layout: list[tuple[str, str | RoadmapRow, float, list[str]]] = []
    y = top
    for jangka in JANGKA_ORDER:
        group = [r for r in rows if r.program.jangka == jangka]
        if not group:
            continue
        layout.append(("group", jangka, y, []))
        y += 15
        for r in group:
            lines = wrap(r.program.nama, name_w, size, max_lines=2)
            if stacked:
                lines = [""] + lines  # the first line holds the kode
            h = max(19.0, len(lines) * line_h + 7)
            layout.append(("row", r, y, lines))
            y += h
    bottom = y

    # backgrounds first: alternate year shading and vertical gridlines
    for i, yr in enumerate(years):
        if i % 2 == 1:
            c.rect(col_x(yr), top, cw, bottom - top, "#F7F9FB")
    for i in range(len(years) + 1):
        x = gx0 + i * cw
        c.line(x, top, x, bottom, GRID, 0.4)

    for idx, (_, item, y0, lines) in enumerate(layout):
        if isinstance(item, str):  # a "group": the jangka's band
            c.rect(PAD, y0 + 1.5, W - 2 * PAD, 12, BAND)
            c.text(x_code, y0 + 10.5, JANGKA_LABEL[item], 8.0, bold=True, fill="#1F3A5F")
            continue
        row = item
        nxt = layout[idx + 1][2] if idx + 1 < len(layout) else bottom
        h = nxt - y0
        cy = y0 + h / 2
        # label: kode and name, vertically centred on the bar
        text_top = cy - len(lines) * line_h / 2
        c.text(x_code, text_top + line_h * 0.5 + size * 0.35,
               _ellipsize(_clean(row.program.kode), label_w - 2, size, True), size, bold=True)
        for k, line in enumerate(lines):
            if not line:
                continue
            c.text(x_name, text_top + line_h * (k + 0.5) + size * 0.35, line, size, fill="#333333")
        # the declared span, clipped to the period
        s0, s1 = sorted(row.span)
        s0, s1 = max(s0, first), min(s1, last)
        if s0 <= s1:
            c.rect(col_x(s0) + 1.2, cy - 6, (s1 - s0 + 1) * cw - 2.4, 12, ROADMAP_SPAN, ROADMAP_SPAN_EDGE, 0.6, rx=2,
                   cls="span")
        for yr in row.years:
            if first <= yr <= last:
                inset = min(2.6, cw * 0.12)
                c.rect(col_x(yr) + inset, cy - 4, cw - 2 * inset, 8, ROADMAP_YEAR, rx=1, cls="cell")
        if idx + 1 < len(layout) and layout[idx + 1][0] == "row":
            c.line(PAD, nxt, gx1, nxt, "#E6E6E6", 0.5)
    c.line(PAD, bottom, gx1, bottom, RULE, 0.6)

    legend_y = bottom + 7
    end = _legend(c, legend_y, [("span", "", _words("peta_jalan", "legenda_masa")),
                                 ("box", ROADMAP_YEAR, _words("peta_jalan", "legenda_kegiatan"))], size=8.0)

    # text alternative
    counts = {j: sum(1 for r in rows if r.program.jangka == j) for j in JANGKA_ORDER}
    count_text = ", ".join(_words("peta_jalan", "alt_jangka").format(jumlah=n, jangka=JANGKA_LABEL[j].lower())
                           for j, n in counts.items() if n)
    detail = "; ".join(
        _words("peta_jalan", "alt_program").format(
            kode=_clean(r.program.kode), nama=_clean(r.program.nama), mulai=min(r.span), selesai=max(r.span),
            kegiatan=_words("peta_jalan", "alt_kegiatan").format(tahun=_year_ranges(r.years)) if r.years
            else _words("peta_jalan", "alt_tanpa_kegiatan"))
        for r in rows
    )
    alt = _words("peta_jalan", "alt").format(jumlah=len(rows), dimensi=_clean(dim_name), periode=_period(d),
                                             per_jangka=count_text, rincian=detail)
    title = _words("peta_jalan", "judul").format(dimensi=dim_name, periode=_period(d))
    return _figure(f"peta-jalan-{_slug(dimension)}", title, alt, c, end + PAD)


# --- anggaran per tahun dan sumber dana ---------------------------------------------------


def _source_order(d: Derived, codes) -> list[str]:
    known = list(d.catalog.funding_sources)
    present = set(codes)
    return [k for k in known if k in present] + sorted(present - set(known))


def source_colors(d: Derived) -> dict[str, str]:
    """Colour of every funding source: the fixed Okabe-Ito key, then a fallback sequence."""
    out, extra = {}, 0
    for code in _source_order(d, set(d.catalog.funding_sources) | {s for _, s in d.budget_by_year_source}):
        if code in SOURCE_COLORS:
            out[code] = SOURCE_COLORS[code]
        else:
            out[code] = FALLBACK_COLORS[extra % len(FALLBACK_COLORS)]
            extra += 1
    return out


def budget_by_year_source(d: Derived) -> Figure | None:
    """Stacked bars: indicative budget per year, one colour per funding source."""
    data = {k: v for k, v in d.budget_by_year_source.items() if v > 0}
    if not data or not d.years:
        return None
    budget_years = {y for y, _ in data}
    years = list(range(min(d.years[0], *budget_years), max(d.years[-1], *budget_years) + 1))
    sources = _source_order(d, {s for _, s in data})
    colours = source_colors(d)
    totals = {y: sum(v for (yy, _), v in data.items() if yy == y) for y in years}
    top_value = max(totals.values())
    unit, unit_name = ((10**9, _words("anggaran", "satuan_miliar")) if top_value >= 10**9
                       else (10**6, _words("anggaran", "satuan_juta")))

    step = _nice_step(top_value / unit, 5)
    n_ticks = max(1, math.ceil(top_value / unit / step - 1e-9))
    axis_max = n_ticks * step
    decimals = 0 if float(step).is_integer() else (1 if float(step * 10).is_integer() else 2)
    tick_labels = [fmt.angka(i * step, decimals) for i in range(n_ticks + 1)]

    size = 8.0
    c = _Canvas()
    x0 = PAD + max(text_width(t, size) for t in tick_labels) + 6
    x1 = W - PAD
    slot = (x1 - x0) / len(years)
    bar_w = min(slot * 0.62, 40.0)

    # Totals above the bars: on one line when they fit the slot, else amount over unit, else
    # (long periods, narrow slots) written upwards.
    total_size = 7.5
    labels = {y: fmt.rupiah_ringkas(t) for y, t in totals.items() if t}
    if all(text_width(t, total_size, True) <= slot - 3 for t in labels.values()):
        mode, label_h = "line", total_size
    elif all(text_width(t.rpartition(" ")[0], total_size, True) <= slot - 3 for t in labels.values()):
        mode, label_h = "two", total_size * 2.15
    else:
        mode, label_h = "up", max(text_width(t, total_size, True) for t in labels.values())

    unit_base = PAD + 8
    plot_h = 160.0
    free_above_tallest = (1 - top_value / (axis_max * unit)) * plot_h
    plot_top = unit_base + max(14.0, label_h + 8 - free_above_tallest)
    base = plot_top + plot_h

    def ypos(v: float) -> float:
        return base - v / (axis_max * unit) * plot_h

    c.text(PAD, unit_base, unit_name, size, fill=INK_SOFT)
    for i, label in enumerate(tick_labels):
        y = base - i / n_ticks * plot_h
        if i:
            c.line(x0, y, x1, y, GRID, 0.5)
        c.text(x0 - 5, y + size * 0.35, label, size, anchor="end", fill=INK_SOFT)

    year_every = 1 if slot >= text_width("2020", size) + 4 else 2
    for i, year in enumerate(years):
        cx = x0 + slot * (i + 0.5)
        bx = cx - bar_w / 2
        acc = 0
        for s in sources:
            v = data.get((year, s), 0)
            if not v:
                continue
            y_hi, y_lo = ypos(acc + v), ypos(acc)
            c.rect(bx, y_hi, bar_w, y_lo - y_hi, colours[s], "#FFFFFF", 0.6, cls="seg")
            acc += v
        if acc:
            label = labels[year]
            ty = ypos(acc) - 4
            if mode == "line":
                c.text(cx, ty, label, total_size, anchor="middle", bold=True)
            elif mode == "up":
                c.text(cx + total_size * 0.35, ty + 1, label, total_size, bold=True, vertical=True)
            else:
                amount, _, word = label.rpartition(" ")
                c.text(cx, ty - total_size * 1.15, amount, total_size, anchor="middle", bold=True)
                c.text(cx, ty, word, total_size, anchor="middle", fill=INK_SOFT)
        else:
            c.text(cx, base - 4, frame("kosong"), size, anchor="middle", fill=INK_SOFT)
        if i % year_every == 0:
            c.text(cx, base + 11, str(year), size, anchor="middle", fill=INK)
        else:
            c.line(cx, base, cx, base + 3, "#808080", 0.6)
    c.line(x0, base, x1, base, "#808080", 0.8)

    end = _legend(c, base + 20, [("box", colours[s], _source_name(d, s)) for s in sources], size=8.0)

    # text alternative
    grand = sum(totals.values())
    peak = max(years, key=lambda y: (totals[y], -y))
    by_source = {s: sum(v for (_, ss), v in data.items() if ss == s) for s in sources}
    per_year = "; ".join(
        f"{y} {fmt.rupiah_ringkas(totals[y])} ("
        + ", ".join(f"{_clean(s)} {fmt.rupiah_ringkas(data[(y, s)])}" for s in sources if data.get((y, s)))
        + ")"
        for y in years if totals[y]
    )
    empty = [y for y in years if not totals[y]]
    period = f"{years[0]}–{years[-1]}"
    alt = _words("anggaran", "alt").format(
        periode=period, satuan=unit_name, total=fmt.rupiah_ringkas(grand),
        per_sumber=", ".join(f"{_clean(_source_name(d, s))} ({_clean(s)}) {fmt.rupiah_ringkas(v)} "
                             f"({fmt.persen(v / grand * 100)})" for s, v in by_source.items()),
        tahun_puncak=peak, anggaran_puncak=fmt.rupiah_ringkas(totals[peak]), per_tahun=per_year,
        tanpa_anggaran=_words("anggaran", "alt_tanpa_anggaran").format(tahun=_year_ranges(empty)) if empty else "",
    )
    title = _words("anggaran", "judul").format(periode=period)
    return _figure("anggaran-tahun-sumber", title, alt, c, end + PAD)


def _source_name(d: Derived, code: str) -> str:
    src = d.catalog.funding_sources.get(code)
    return regional(src.nama, d.plan.daerah.jenis) if src else code


# --- kesiapan -----------------------------------------------------------------------------


def readiness(d: Derived) -> Figure | None:
    """Horizontal bars of the self-assessed readiness score per sub-element, grouped by element."""
    items = list(d.plan.kesiapan)
    if not items:
        return None
    elements = list(d.catalog.elements)
    sub_order = list(d.catalog.sub_elements)

    def rank(seq, key):
        return seq.index(key) if key in seq else len(seq)

    ordered = sorted(enumerate(items), key=lambda t: (rank(elements, t[1].elemen), t[1].elemen,
                                                      rank(sub_order, t[1].sub_elemen), t[0]))
    groups: list[tuple[str, list]] = []
    for _, k in ordered:
        if not groups or groups[-1][0] != k.elemen:
            groups.append((k.elemen, []))
        groups[-1][1].append(k)
    means = d.readiness_by_element

    size = 8.0
    names = [_clean(_sub_element_name(d, k.sub_elemen)) for _, k in ordered]
    label_w = min(max(80.0, max(text_width(n, size) for n in names) + 16), 180.0)
    x0 = PAD + label_w + 10
    x1 = W - PAD - 14
    scale = (x1 - x0) / 5

    def xpos(v: float) -> float:
        return x0 + max(0.0, min(5.0, v)) * scale

    c = _Canvas()
    top = PAD + 2
    layout: list[tuple[str, str | Kesiapan, float, float, list[str]]] = []  # (kind, payload, y, height, lines)
    y = top
    for code, ks in groups:
        layout.append(("group", code, y, 17.0, []))
        y += 17
        for k in ks:
            name = _sub_element_name(d, k.sub_elemen)
            lines = wrap(name, label_w - 10, size, max_lines=2)
            h = max(15.0, len(lines) * 9.6 + 5)
            layout.append(("row", k, y, h, lines))
            y += h
    bottom = y + 3

    for v in range(6):
        c.line(xpos(v), top + 2, xpos(v), bottom, GRID if v else RULE, 0.5 if v else 0.8)

    group_rows: dict[int, list[float]] = {}
    value_labels: list[tuple[float, float, str]] = []
    gi = -1
    for _, payload, y0, h, lines in layout:
        if isinstance(payload, str):  # a "group": the element's band
            gi += 1
            group_rows[gi] = [y0 + h, y0 + h]
            c.rect(PAD, y0 + 2, W - 2 * PAD, 13, BAND)
            name = _element_name(d, payload)
            c.text(PAD + 4, y0 + 11.8, name, 8.5, bold=True, fill="#1F3A5F")
            if payload in means:
                c.text(PAD + 4 + text_width(_clean(name), 8.5, True) + 8, y0 + 11.8,
                       _words("kesiapan", "rata_rata").format(nilai=fmt.angka(means[payload], 1)), 8.5,
                       fill="#A34700")
            continue
        k = payload
        cy = y0 + h / 2
        text_top = cy - len(lines) * 9.6 / 2
        for j, line in enumerate(lines):
            c.text(PAD + 12, text_top + 9.6 * (j + 0.5) + size * 0.35, line, size)
        c.rect(x0, cy - 4.5, xpos(k.skor) - x0, 9, READINESS_BAR, cls="bar")
        value_labels.append((xpos(k.skor) + 3, cy, fmt.angka(k.skor, None)))
        group_rows[gi][1] = y0 + h
    for i, (code, _) in enumerate(groups):
        if code in means:
            y_a, y_b = group_rows[i]
            c.line(xpos(means[code]), y_a + 1, xpos(means[code]), y_b - 1, READINESS_MEAN, 1.2, dash="3 2")
    # value labels last, on a white ground so an average line passing through never hides them
    for x, cy, label in value_labels:
        c.rect(x - 1.5, cy - 5, text_width(label, size, True) + 3, 10, "#FFFFFF")
        c.text(x, cy + size * 0.35, label, size, bold=True)

    # axis
    c.line(x0, bottom, x1, bottom, "#808080", 0.8)
    for v in range(6):
        c.line(xpos(v), bottom, xpos(v), bottom + 3, "#808080", 0.6)
        c.text(xpos(v), bottom + 12, str(v), size, anchor="middle", fill=INK_SOFT)
    c.text((x0 + x1) / 2, bottom + 24, _words("kesiapan", "sumbu"), size, anchor="middle", fill=INK_SOFT)
    end = _legend(c, bottom + 31, [("box", READINESS_BAR, _words("kesiapan", "legenda_skor")),
                                   ("dash", READINESS_MEAN, _words("kesiapan", "legenda_rata_rata"))], size=8.0)
    note = _words("kesiapan", "catatan")
    c.text(PAD, end + 8, note, 7.5, italic=True, fill=INK_SOFT)
    end += 8

    detail = "; ".join(
        f"{_clean(_element_name(d, code))}"
        + (" " + _words("kesiapan", "rata_rata").format(nilai=fmt.angka(means[code], 1)) if code in means else "")
        + ": " + ", ".join(f"{_clean(_sub_element_name(d, k.sub_elemen))} {fmt.angka(k.skor, None)}" for k in ks)
        for code, ks in groups
    )
    alt = _words("kesiapan", "alt").format(jumlah=len(items), rincian=detail)
    return _figure("kesiapan", _words("kesiapan", "judul"), alt, c, end + PAD)


def _element_name(d: Derived, code: str) -> str:
    e = d.catalog.elements.get(code)
    return e.nama if e else code


def _sub_element_name(d: Derived, code: str) -> str:
    s = d.catalog.sub_elements.get(code)
    return s[1].nama if s else code


# --- program dan quick win per dimensi ----------------------------------------------------


def programs_per_dimension(d: Derived) -> Figure:
    """Grouped horizontal bars: number of programs and of quick wins in each dimension."""
    dims = list(d.catalog.dimensions)
    progs = {k: len(d.programs_by_dimension.get(k, [])) for k in dims}
    qws = {k: len(d.quick_wins_by_dimension.get(k, [])) for k in dims}
    top_value = max([*progs.values(), *qws.values(), 1])
    step = max(1, int(_nice_step(top_value, 5)))
    axis_max = math.ceil(top_value / step) * step

    size = 8.0
    label_w = 110.0
    x0 = PAD + label_w + 8
    x1 = W - PAD - 14
    scale = (x1 - x0) / axis_max

    c = _Canvas()
    y = _legend(c, PAD + 2, [("box", SERIES_PROGRAM, _words("program_per_dimensi", "legenda_program")),
                             ("box", SERIES_QUICK_WIN, _words("program_per_dimensi", "legenda_quick_win"))],
                size=8.0, x0=x0, x1=x1)
    top = y + 4
    row_h, bar_h, gap = 30.0, 9.0, 1.5
    bottom = top + row_h * len(dims)
    for v in range(0, axis_max + 1, step):
        c.line(x0 + v * scale, top, x0 + v * scale, bottom, GRID if v else RULE, 0.5 if v else 0.8)
    for i, k in enumerate(dims):
        y0 = top + i * row_h
        cy = y0 + row_h / 2
        lines = wrap(d.catalog.dimensions[k].nama, label_w, size + 0.5, max_lines=2)
        text_top = cy - len(lines) * 10 / 2
        for j, line in enumerate(lines):
            c.text(PAD, text_top + 10 * (j + 0.5) + (size + 0.5) * 0.35, line, size + 0.5, bold=True)
        for value, colour, by in ((progs[k], SERIES_PROGRAM, cy - gap / 2 - bar_h),
                                  (qws[k], SERIES_QUICK_WIN, cy + gap / 2)):
            if value:
                c.rect(x0, by, value * scale, bar_h, colour, cls="bar")
            c.text(x0 + value * scale + 3, by + bar_h / 2 + size * 0.35, fmt.angka(value), size, bold=True)
        if i:
            c.line(PAD, y0, x1, y0, "#EBEBEB", 0.5)
    c.line(x0, bottom, x1, bottom, "#808080", 0.8)
    for v in range(0, axis_max + 1, step):
        c.line(x0 + v * scale, bottom, x0 + v * scale, bottom + 3, "#808080", 0.6)
        c.text(x0 + v * scale, bottom + 12, fmt.angka(v), size, anchor="middle", fill=INK_SOFT)
    c.text((x0 + x1) / 2, bottom + 24, _words("program_per_dimensi", "sumbu"), size, anchor="middle", fill=INK_SOFT)
    end = bottom + 24

    alt = _words("program_per_dimensi", "alt").format(
        program=sum(progs.values()), quick_win=sum(qws.values()),
        rincian="; ".join(_words("program_per_dimensi", "alt_dimensi").format(
            dimensi=_clean(d.catalog.dimensions[k].nama), program=progs[k], quick_win=qws[k]) for k in dims),
    )
    return _figure("program-per-dimensi", _words("program_per_dimensi", "judul"), alt, c, end + PAD)


# --- all of them --------------------------------------------------------------------------


def all_figures(d: Derived) -> list[Figure]:
    """Every figure the city's data supports, in book order."""
    out = [readiness(d), programs_per_dimension(d)]
    out += [roadmap(d, k) for k in d.catalog.dimensions]
    out.append(budget_by_year_source(d))
    return [f for f in out if f is not None]
