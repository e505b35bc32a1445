"""Book Markdown → a Word file that opens finished.

1. pandoc writes the DOCX with a reference document generated here (Arial — LibreOffice renders it
   with the metric-compatible Liberation Sans — built-in Heading styles, a named table style).
2. `finish()` rewrites its XML: the cover, sections (cover without header; front matter in roman
   page numbers; body in arabic; landscape pages), a running header as on the PDF ("Buku II ·
   title", the region at the right margin), a page number footer, quick-win cards framed around
   their tables, table columns in fixed widths no narrower than their longest word or amount,
   caption bookmarks, the language, Word 2013+ layout (compatibilityMode 15), and no "update
   fields" flag. The cover prints the PDF cover's lines (the Lua filter writes them).
3. `fill_fields()` lets LibreOffice lay the books out (cetakbiru/lo_indexes.py, one LibreOffice
   kept by each process of the build for all its books) and writes the Daftar Isi / Tabel /
   Gambar into the fields' cached results, with page numbers and links, so neither Word nor
   LibreOffice has anything to update on opening, and its counts (pages, words...) into
   docProps/app.xml.

The result is valid OOXML (tests/test_books.py checks every book with openxml-audit, the Open XML
SDK's rules), so every element is written in the order the schema demands (`_order`).

What the Word file shows beyond the book's Markdown (its language, its title in the document
properties, an empty list) comes from the language catalogue, section `docx` (cetakbiru/labels.py).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import urllib.parse
import zipfile
from functools import cache, partial
from pathlib import Path

import pypandoc
import yaml
from lxml import etree

from . import labels, publish, sandbox
from .paths import SHARE, project
from .problems import Abort
from .render import PANDOC_COLUMNS

PANDOC_DIR = SHARE / "templates" / "pandoc"
CACHE = Path(os.environ.get("CETAKBIRU_CACHE") or project() / "build" / "cache")  # tests point it elsewhere
SYSTEM_PYTHON = "/usr/bin/python3"
LO_TIMEOUT = 600  # seconds LibreOffice may take to lay out one DOCX

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS = {"w": W, "r": R}
HEADER_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
FOOTER_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"

PAPER = {"A4": (11906, 16838), "F4": (12189, 18709)}  # twentieths of a point: 210x297 mm, 215x330 mm
MARGINS = {"top": 1474, "bottom": 1361, "left": 1701, "right": 1417, "header": 709, "footer": 709, "gutter": 0}
LANDSCAPE_MARGINS = {**MARGINS, "top": 1361, "bottom": 1247, "left": 1134, "right": 1134}
BODY_PT = 11  # body text, and lists (pandoc's style Compact)
TABLE_PT = 9  # the text of table cells (style Isi Tabel)
CELL_MARGIN = 85  # left and right padding of a table cell (table style Table), twips
CARD_MARGIN = {"top": 113, "left": 170, "bottom": 57, "right": 170}  # inside a card's frame, twips
CARD_BORDER = "AAAAAA"


def text_width(paper: str, *, landscape: bool = False) -> int:
    """The width between the margins of a portrait or landscape page, in twips."""
    width, height = PAPER[paper]
    margins = LANDSCAPE_MARGINS if landscape else MARGINS
    return (height if landscape else width) - margins["left"] - margins["right"]


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# --- the reference document ---------------------------------------------------------------


def _readable_docx(path: Path) -> bool:
    """A complete DOCX: a valid zip with the parts pandoc and python-docx read, every CRC right."""
    try:
        with zipfile.ZipFile(path) as z:
            needed = {"[Content_Types].xml", "word/document.xml", "word/styles.xml"}
            return needed <= set(z.namelist()) and z.testzip() is None
    except (OSError, zipfile.BadZipFile):
        return False


def _write_cached(path: Path, write) -> None:
    """Write a cache file through a temporary name (`write(tmp)`), then rename: never a part of it."""
    tmp = publish.temp_beside(path)
    write(tmp)
    publish.fault("reference-tmp")
    os.replace(tmp, path)


@cache
def reference_doc(paper: str, color: str) -> Path:
    """A pandoc reference DOCX with our styles, generated (not committed) and cached per look and language.
    Both files are written atomically; an unreadable cached base (a killed or truncated write) is
    generated again."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Cm, Emu, Pt, RGBColor

    CACHE.mkdir(parents=True, exist_ok=True)
    publish.sweep_temps(CACHE)  # temporary files of killed builds
    language = str(labels.teks("docx", "bahasa"))
    path = CACHE / f"reference-{paper}-{color.lstrip('#')}-{language}.docx"
    base = CACHE / "pandoc-reference.docx"
    if not _readable_docx(base):
        data = subprocess.run([pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
                              capture_output=True, check=True).stdout
        _write_cached(base, lambda tmp: tmp.write_bytes(data))
    d = docx.Document(str(base))
    st = d.styles
    rgb = RGBColor.from_string(color.lstrip("#").upper())
    width, height = PAPER[paper]
    text_width_cm = (width - MARGINS["left"] - MARGINS["right"]) / 567

    def style(name: str, kind=WD_STYLE_TYPE.PARAGRAPH, base_style: str | None = "Normal"):
        try:
            s = st[name]
        except KeyError:
            s = st.add_style(name, kind)
            if base_style:
                s.base_style = st[base_style]
        s.hidden = False
        s.quick_style = True
        return s

    def font(s, size=None, bold=None, italic=None, colour=None, name="Arial"):
        s.font.name = name
        rpr = s.element.get_or_add_rPr()
        fonts = rpr.find(w("rFonts"))
        if fonts is None:
            fonts = etree.SubElement(rpr, w("rFonts"))
        for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
            fonts.set(w(attr), name)
        for key in list(fonts.attrib):
            if key.endswith("Theme"):
                del fonts.attrib[key]
        if size:
            s.font.size = Pt(size)
        if bold is not None:
            s.font.bold = bold
        if italic is not None:
            s.font.italic = italic
        if colour is not None:
            s.font.color.rgb = colour

    def spacing(s, before=0, after=6, line=1.15, keep=False, align=None, page_break=False):
        pf = s.paragraph_format
        pf.space_before, pf.space_after, pf.line_spacing = Pt(before), Pt(after), line
        pf.keep_with_next = keep
        pf.page_break_before = page_break
        if align is not None:
            pf.alignment = align

    def box(s, fill: str | None, border: str | None, space: int = 6):
        ppr = s.element.get_or_add_pPr()
        if border:
            bdr = etree.SubElement(ppr, w("pBdr"))
            for side in ("top", "left", "bottom", "right"):
                e = etree.SubElement(bdr, w(side))
                e.set(w("val"), "single"), e.set(w("sz"), "6"), e.set(w("space"), str(space)), e.set(w("color"), border)
        if fill:
            shd = etree.SubElement(ppr, w("shd"))
            shd.set(w("val"), "clear"), shd.set(w("color"), "auto"), shd.set(w("fill"), fill)
        _order_ppr(ppr)

    normal = st["Normal"]
    font(normal, BODY_PT)
    spacing(normal, 0, 6, 1.15)
    for name in ("Body Text", "First Paragraph"):
        s = style(name)
        font(s, BODY_PT)
        spacing(s, 3, 6, 1.15)
    # pandoc writes tight lists (the bibliography too) and table cells in Compact: lists read at
    # the body size, as in the PDF; finish() moves the cells to Isi Tabel
    s = style("Compact")
    font(s, BODY_PT)
    spacing(s, 0, 3, 1.15)
    s = style("Isi Tabel")
    font(s, TABLE_PT)
    spacing(s, 0, 0, 1.0)
    for level, (size, italic) in {1: (15, False), 2: (12.5, False), 3: (11, True)}.items():
        s = style(f"Heading {level}")
        font(s, size, True, italic, rgb)
        if level == 1:
            spacing(s, 24, 18, 1.0, keep=True, align=WD_ALIGN_PARAGRAPH.CENTER, page_break=True)
        else:
            spacing(s, 14 if level == 2 else 10, 6, 1.0, keep=True)
    for name in ("Title", "Subtitle"):
        font(style(name), 20 if name == "Title" else 14, True, None, rgb)
    s = style("TOC Heading", base_style="Heading 1")
    font(s, 15, True, False, rgb)
    spacing(s, 24, 18, 1.0, keep=True, align=WD_ALIGN_PARAGRAPH.CENTER, page_break=True)
    for level in (1, 2, 3):
        s = style(f"toc {level}")
        font(s, 10.5, level == 1)
        spacing(s, 6 if level == 1 else 0, 2, 1.0)
        s.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        s.paragraph_format.tab_stops.add_tab_stop(Cm(text_width_cm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    s = style("table of figures")
    font(s, 10.5)
    spacing(s, 0, 2, 1.0)
    s.paragraph_format.tab_stops.add_tab_stop(Cm(text_width_cm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    for name in ("Table Caption", "Image Caption"):
        s = style(name)
        font(s, 9.5, True, False)
        spacing(s, 8 if name == "Table Caption" else 4, 6, 1.0, keep=name == "Table Caption",
                align=WD_ALIGN_PARAGRAPH.CENTER)
    for name in ("Captioned Figure", "Figure"):
        s = style(name)
        spacing(s, 6, 0, 1.0, keep=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    s = style("Definition Term")  # the field names of a quick-win card: clear of a table above
    spacing(s, 8, 0, 1.15, keep=True)
    s = style("Tanda Tangan")
    spacing(s, 0, 0, 1.15, keep=True)
    s.paragraph_format.left_indent = Cm(max(text_width_cm - 7.5, 0))
    s = style("Sumber Tabel")
    font(s, 8.5, False, True)
    spacing(s, 2, 10, 1.0)
    s = style("Penetapan")
    spacing(s, 0, 6, 1.15)
    box(s, None, color.lstrip("#"))
    s = style("Catatan Ilustratif")
    font(s, 9.5)
    spacing(s, 0, 4, 1.1)
    box(s, "FFF6E0", "C98A00")
    _card_style(style("Kartu", WD_STYLE_TYPE.TABLE, base_style=None).element)
    s = style("CbMarker")
    font(s, 1)
    spacing(s, 0, 0, Pt(1))
    white = RGBColor(0xFF, 0xFF, 0xFF)
    cover = {"Sampul Program": (11, True, white, 0, 0), "Sampul Buku": (16, True, white, 0, 0),
             "Sampul Judul": (26, True, white, 0, 60), "Sampul Logo": (11, False, None, 0, 12),
             "Sampul Daerah": (20, True, rgb, 0, 4), "Sampul Keterangan": (13, False, None, 0, 4),
             "Sampul Catatan": (10, True, RGBColor(0x7A, 0x53, 0x00), 36, 0), "Sampul Kaki": (11, False, None, 120, 0)}
    for name, (size, bold, colour, before, after) in cover.items():
        s = style(name)
        font(s, size, bold, False, colour)
        spacing(s, before, after, 1.0)
    box(st["Sampul Catatan"], "FFF6E0", "C98A00")
    tracking = etree.SubElement(st["Sampul Program"].element.get_or_add_rPr(), w("spacing"))
    tracking.set(w("val"), str(round(0.12 * 11 * 20)))  # letter-spaced as on the PDF: 0.12 em
    _order_rpr(st["Sampul Program"].element.get_or_add_rPr())
    for name, before, after in (("Sampul Program", 0, 50), ("Sampul Buku", 0, 6), ("Sampul Judul", 0, 0)):
        # one coloured band at the top of the cover, as on the PDF: same fill and same-colour
        # borders with padding, so Word and LibreOffice draw the three paragraphs as one block
        box(st[name], color.lstrip("#"), color.lstrip("#"), space=24)
        st[name].paragraph_format.space_before, st[name].paragraph_format.space_after = Pt(before), Pt(after)
        st[name].paragraph_format.left_indent = st[name].paragraph_format.right_indent = Cm(0.9)
    st["Sampul Daerah"].paragraph_format.space_before = Pt(80)
    _table_style(st["Table"].element, color.lstrip("#"))
    _table_normal(st.element)
    for section in d.sections:
        section.page_width, section.page_height = Emu(width * 635), Emu(height * 635)  # twips → EMU
        section.top_margin, section.bottom_margin = Emu(MARGINS["top"] * 635), Emu(MARGINS["bottom"] * 635)
        section.left_margin, section.right_margin = Emu(MARGINS["left"] * 635), Emu(MARGINS["right"] * 635)
    # document defaults: Arial, the catalogue's language
    rpr_default = d.styles.element.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
    if rpr_default is not None:
        for lang in rpr_default.findall(w("lang")):
            rpr_default.remove(lang)
        lang = etree.SubElement(rpr_default, w("lang"))
        lang.set(w("val"), language)
        _order_rpr(rpr_default)
    _write_cached(path, lambda tmp: d.save(str(tmp)))
    return path


def _table_normal(styles) -> None:
    """Word's own default table style, "Normal Table" (TableNormal), which the style Table is based
    on: pandoc's reference document lacks it, and a style based on a missing one is invalid."""
    for s in styles.iterfind("w:style", NS):
        if s.get(w("type")) == "table" and s.get(w("default")) == "1":
            del s.attrib[w("default")]
        if s.get(w("styleId")) == "TableNormal":
            styles.remove(s)
    styles.append(etree.fromstring(
        f'<w:style xmlns:w="{W}" w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'))


def _borders(parent, tag: str, sides, size: int, color: str):
    el = etree.SubElement(parent, w(tag))
    for side in sides:
        b = etree.SubElement(el, w(side))
        b.set(w("val"), "single"), b.set(w("sz"), str(size)), b.set(w("space"), "0"), b.set(w("color"), color)
    return el


def _card_margins(parent) -> None:
    mar = etree.SubElement(parent, w("tblCellMar"))
    for side, v in CARD_MARGIN.items():
        m = etree.SubElement(mar, w(side))
        m.set(w("w"), str(v)), m.set(w("type"), "dxa")


def _card_style(el) -> None:
    """The table style 'Kartu': a quick-win card, one cell framed on every side (finish())."""
    for child in list(el):
        if child.tag in (w("pPr"), w("rPr"), w("tblPr"), w("tblStylePr"), w("tcPr"), w("trPr")):
            el.remove(child)
    tblpr = etree.SubElement(el, w("tblPr"))
    _borders(tblpr, "tblBorders", ("top", "left", "bottom", "right"), 6, CARD_BORDER)
    _card_margins(tblpr)


def _table_style(el, color: str) -> None:
    """The named table style 'Table': coloured rules above and below the header, hairlines between rows."""
    for child in list(el):
        if child.tag in (w("tblPr"), w("tblStylePr"), w("tcPr"), w("trPr")):
            el.remove(child)
    tblpr = etree.SubElement(el, w("tblPr"))
    borders = etree.SubElement(tblpr, w("tblBorders"))
    for side, val, size, col in (("top", "single", 8, color), ("bottom", "single", 8, color),
                                 ("insideH", "single", 2, "BFBFBF")):
        b = etree.SubElement(borders, w(side))
        b.set(w("val"), val), b.set(w("sz"), str(size)), b.set(w("space"), "0"), b.set(w("color"), col)
    mar = etree.SubElement(tblpr, w("tblCellMar"))
    for side, v in (("left", 85), ("right", 85)):
        m = etree.SubElement(mar, w(side))
        m.set(w("w"), str(v)), m.set(w("type"), "dxa")
    first = etree.SubElement(el, w("tblStylePr"))
    first.set(w("type"), "firstRow")
    rpr = etree.SubElement(first, w("rPr"))
    etree.SubElement(rpr, w("b"))
    tcpr = etree.SubElement(first, w("tcPr"))
    tb = etree.SubElement(tcpr, w("tcBorders"))
    b = etree.SubElement(tb, w("bottom"))
    b.set(w("val"), "single"), b.set(w("sz"), "8"), b.set(w("space"), "0"), b.set(w("color"), color)
    shd = etree.SubElement(tcpr, w("shd"))
    shd.set(w("val"), "clear"), shd.set(w("color"), "auto"), shd.set(w("fill"), "E8EEF4")


_PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
              "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
              "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange"]  # fmt: skip
_RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
              "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
              "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"]  # fmt: skip


_TRPR_ORDER = ["cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit", "trHeight",
               "tblHeader", "tblCellSpacing", "jc", "hidden", "ins", "del", "trPrChange"]


def _order(el, order: list[str]) -> None:
    """Children in the order the OOXML schema demands (Word reports a damaged file otherwise)."""
    rank = {w(t): i for i, t in enumerate(order)}
    children = sorted(el, key=lambda c: rank.get(c.tag, len(order)))
    for c in children:
        el.remove(c)
        el.append(c)


def _order_ppr(ppr) -> None:
    _order(ppr, _PPR_ORDER)


def _order_rpr(rpr) -> None:
    _order(rpr, _RPR_ORDER)


# --- pandoc -------------------------------------------------------------------------------


def to_docx(markdown_path: Path, docx_path: Path, reference: Path, *, author: str | None = None) -> None:
    """`author` (labels.author()) is printed at the foot of the cover, as on the PDF."""
    args = [
        f"--reference-doc={reference}",
        f"--lua-filter={PANDOC_DIR / 'cetakbiru.lua'}",
        f"--columns={PANDOC_COLUMNS}",
    ]
    if author:
        args += ["-M", f"cb-author={author}"]
    sandbox.pandoc(markdown_path, "docx", docx_path, args)  # pictures come through the Lua filter


# --- finishing the package ----------------------------------------------------------------


class Package:
    """A DOCX opened as XML parts, written back in the same order."""

    def __init__(self, path: Path):
        self.path = path
        with zipfile.ZipFile(path) as z:
            self.names = z.namelist()
            self.data = {n: z.read(n) for n in self.names}
        self.xml: dict[str, etree._Element] = {}

    def part(self, name: str):
        if name not in self.xml:
            self.xml[name] = etree.fromstring(self.data[name])
        return self.xml[name]

    def add(self, name: str, data: bytes) -> None:
        if name not in self.names:
            self.names.append(name)
        self.data[name] = data

    def save(self, path: Path) -> None:
        for name, root in self.xml.items():
            self.data[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        tmp = path.with_suffix(".tmp")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for name in self.names:
                z.writestr(name, self.data[name])
        tmp.replace(path)


# The bookmarks (paragraph style CbMarker) the Lua filter writes, `docx_marker(name)` in
# templates/pandoc/cetakbiru.lua, and this module acts on: one list, held against the filter by
# tests/test_labels.py.
MARKERS = {
    "cover": "cb_cover", "cover_end": "cb_cover_end", "body_start": "cb_body_start",
    "landscape_start": "cb_landscape_start", "landscape_end": "cb_landscape_end",
    "card_start": "cb_card_start", "card_end": "cb_card_end",
    "keep_start": "cb_keep_start", "keep_end": "cb_keep_end",
}
FIELD_MARKER = "cb_field_{kind}"  # before the field of a list that LibreOffice fills in
FIELD_KINDS = ("toc", "tables", "figures")


def _marker_name(p) -> str | None:
    """The marker a paragraph is (its bookmark's name without the number that makes it unique), or None."""
    style = p.find("w:pPr/w:pStyle", NS)
    if style is None or style.get(w("val")) != "CbMarker":
        return None
    bm = p.find("w:bookmarkStart", NS)
    return None if bm is None else re.sub(r"_\d+$", "", bm.get(w("name"), ""))


def _markers(body) -> dict[str, list]:
    """Marker paragraphs (style CbMarker) by name, in document order."""
    found: dict[str, list] = {}
    for p in body.iterfind("w:p", NS):
        name = _marker_name(p)
        if name:
            found.setdefault(name, []).append(p)
    return found


def _header_xml(title: str, region: str, tab: int, label: str | None = None) -> bytes:
    """The running header, as on the PDF: "Buku II · Masterplan Smart City", the region flush right
    at `tab` (the text width of the page), a rule below."""
    def esc(s):
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    rpr = '<w:rPr><w:color w:val="595959"/><w:sz w:val="17"/></w:rPr>'
    book = f'<w:r>{rpr}<w:t xml:space="preserve">{esc(label)} · </w:t></w:r>' if label else ""
    return f'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr xmlns:w="{W}"><w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="A0A0A0"/></w:pBdr>
<w:tabs><w:tab w:val="right" w:pos="{tab}"/></w:tabs><w:spacing w:after="0"/></w:pPr>
{book}<w:r>{rpr}<w:t xml:space="preserve">{esc(title)}</w:t></w:r>
<w:r>{rpr}<w:tab/><w:t xml:space="preserve">{esc(region)}</w:t></w:r></w:p></w:hdr>'''.encode()


def _footer_xml() -> bytes:
    return f'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="{W}"><w:p><w:pPr><w:spacing w:after="0"/><w:jc w:val="center"/></w:pPr>
<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>
<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>
<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r>
<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t>1</w:t></w:r>
<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>'''.encode()


def _sect_pr(paper: str, *, header: str | None, footer: str | None, numbering: str | None = None,
             restart: bool = False, landscape: bool = False, next_page: bool = True):
    """`header`: the relationship id of the portrait header; a landscape section gets HEADER_LANDSCAPE."""
    width, height = PAPER[paper]
    s = etree.Element(w("sectPr"))
    if header and landscape:
        header = HEADER_LANDSCAPE
    for kind, rid in (("headerReference", header), ("footerReference", footer)):
        if rid:
            ref = etree.SubElement(s, w(kind))
            ref.set(w("type"), "default")
            ref.set(f"{{{R}}}id", rid)
    if next_page:
        etree.SubElement(s, w("type")).set(w("val"), "nextPage")
    sz = etree.SubElement(s, w("pgSz"))
    sz.set(w("w"), str(height if landscape else width))
    sz.set(w("h"), str(width if landscape else height))
    if landscape:
        sz.set(w("orient"), "landscape")
    mar = etree.SubElement(s, w("pgMar"))
    for k, v in (LANDSCAPE_MARGINS if landscape else MARGINS).items():
        mar.set(w(k), str(v))
    if numbering:
        pg = etree.SubElement(s, w("pgNumType"))
        pg.set(w("fmt"), numbering)
        if restart:
            pg.set(w("start"), "1")
    etree.SubElement(s, w("cols")).set(w("space"), "708")
    etree.SubElement(s, w("docGrid")).set(w("linePitch"), "360")
    return s


def _end_section_at(paragraph, sect_pr) -> None:
    ppr = paragraph.find("w:pPr", NS)
    if ppr is None:
        ppr = etree.SubElement(paragraph, w("pPr"))
        paragraph.insert(0, ppr)
    old = ppr.find("w:sectPr", NS)
    if old is not None:
        ppr.remove(old)
    ppr.append(sect_pr)
    _order_ppr(ppr)


SVG_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
IMAGE_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def _add_svg_originals(pkg: Package, body, rels, types, svgs: dict[bytes, str]) -> None:
    """Give Word the vector original of each chart beside its PNG (Office's svgBlip extension;
    other readers keep using the PNG)."""
    targets = {r.get("Id"): r.get("Target") for r in rels}
    n = 0
    for blip in body.iter(f"{{{A}}}blip"):
        target = targets.get(blip.get(f"{{{R}}}embed"), "")
        png = pkg.data.get(f"word/{target}")
        if png is None or png not in svgs:
            continue
        n += 1
        name = f"media/cb-figure-{n}.svg"
        pkg.add(f"word/{name}", svgs[png].encode("utf-8"))
        rel = etree.SubElement(rels, f"{{{PR}}}Relationship")
        rel.set("Id", f"rIdCbSvg{n}"), rel.set("Type", IMAGE_TYPE), rel.set("Target", name)
        ext_list = etree.SubElement(blip, f"{{{A}}}extLst")
        ext = etree.SubElement(ext_list, f"{{{A}}}ext")
        ext.set("uri", SVG_EXT)
        svg_blip = etree.SubElement(ext, f"{{{ASVG}}}svgBlip", nsmap={"asvg": ASVG})
        svg_blip.set(f"{{{R}}}embed", f"rIdCbSvg{n}")
    if n and not any(d.get("Extension") == "svg" for d in types.iterfind(f"{{{CT}}}Default")):
        default = etree.Element(f"{{{CT}}}Default")
        default.set("Extension", "svg")
        default.set("ContentType", "image/svg+xml")
        types.insert(0, default)


HEADER_LANDSCAPE = "rIdCbHeaderLandscape"


def finish(path: Path, *, paper: str, title: str, region: str, lang: str | None = None,
           svgs: dict[bytes, str] | None = None, label: str | None = None, author: str | None = None) -> None:
    """`svgs` maps the bytes of each chart's PNG to its SVG, to embed the vector original too;
    `lang` is the catalogue's language tag unless given; `label` ("Buku II") opens the running
    header, as on the PDF; `author` is the document's author (labels.author())."""
    pkg = Package(path)
    doc = pkg.part("word/document.xml")
    body = doc.find("w:body", NS)
    rels = pkg.part("word/_rels/document.xml.rels")
    types = pkg.part("[Content_Types].xml")

    # header and footer parts: one header per page width, so the region stands at the right margin
    pkg.add("word/cb-header.xml", _header_xml(title, region, text_width(paper), label))
    pkg.add("word/cb-header-landscape.xml", _header_xml(title, region, text_width(paper, landscape=True), label))
    pkg.add("word/cb-footer.xml", _footer_xml())
    for rid, kind, target in (("rIdCbHeader", HEADER_TYPE, "cb-header.xml"),
                              (HEADER_LANDSCAPE, HEADER_TYPE, "cb-header-landscape.xml"),
                              ("rIdCbFooter", FOOTER_TYPE, "cb-footer.xml")):
        rel = etree.SubElement(rels, f"{{{PR}}}Relationship")
        rel.set("Id", rid), rel.set("Type", kind), rel.set("Target", target)
    for part, ctype in (("/word/cb-header.xml", "header"), ("/word/cb-header-landscape.xml", "header"),
                        ("/word/cb-footer.xml", "footer")):
        o = etree.SubElement(types, f"{{{CT}}}Override")
        o.set("PartName", part)
        o.set("ContentType", f"application/vnd.openxmlformats-officedocument.wordprocessingml.{ctype}+xml")

    if svgs:
        _add_svg_originals(pkg, body, rels, types, svgs)
    styles = _style_ids(pkg.part("word/styles.xml"))
    _cover_spacing(body)
    _table_text(body, styles["Isi Tabel"])
    _frame_cards(body, styles["Kartu"])
    _fit_tables(body, paper)
    _keep_table_ends(body, styles["Sumber Tabel"])
    _keep_together(body)
    with_hf = partial(_sect_pr, paper, header="rIdCbHeader", footer="rIdCbFooter")  # a section with both
    marks = _markers(body)
    # sections: each sectPr describes the section that ENDS at its paragraph
    if MARKERS["cover_end"] in marks:
        _end_section_at(marks[MARKERS["cover_end"]][0],
                        _sect_pr(paper, header=None, footer=None, numbering="lowerRoman", next_page=True))
    if MARKERS["body_start"] in marks:
        _end_section_at(marks[MARKERS["body_start"]][0], with_hf(numbering="lowerRoman", restart=True))
    starts, ends = marks.get(MARKERS["landscape_start"], []), marks.get(MARKERS["landscape_end"], [])
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):  # the templates write them in pairs
        _end_section_at(start, with_hf(numbering="decimal", restart=i == 0))
        _end_section_at(end, with_hf(numbering="decimal", landscape=True))
    final = body.find("w:sectPr", NS)
    if final is not None:
        body.remove(final)
    body.append(with_hf(numbering="decimal", restart=not starts and MARKERS["body_start"] in marks))

    # caption bookmarks, so the lists of tables and figures link to them
    bid = 20000
    for p in body.iter(w("p")):
        style = p.find("w:pPr/w:pStyle", NS)
        if style is not None and style.get(w("val")) in ("TableCaption", "ImageCaption"):
            bid += 1
            start = etree.Element(w("bookmarkStart"))
            start.set(w("id"), str(bid))
            start.set(w("name"), f"_CbCap{bid}")
            end = etree.Element(w("bookmarkEnd"))
            end.set(w("id"), str(bid))
            ppr = p.find("w:pPr", NS)
            p.insert(list(p).index(ppr) + 1 if ppr is not None else 0, start)
            p.append(end)

    # no "update fields" prompt: nothing is dirty, nothing asks for an update
    for fld in body.iter(w("fldChar")):
        fld.attrib.pop(w("dirty"), None)
    settings = pkg.part("word/settings.xml")
    for el in settings.findall("w:updateFields", NS):
        settings.remove(el)
    _word_2013_layout(settings)
    # core properties: title and language
    core = pkg.part("docProps/core.xml")
    dc = "http://purl.org/dc/elements/1.1/"
    properties = (("title", str(labels.teks("docx", "judul_dokumen")).format(judul=title, daerah=region)),
                  ("language", lang or str(labels.teks("docx", "bahasa"))),
                  ("creator", author or f"{labels.frame('pemerintah')} {region}"))  # as labels.author()
    for tag, value in properties:
        el = core.find(f"{{{dc}}}{tag}")
        if el is None:
            el = etree.SubElement(core, f"{{{dc}}}{tag}")
        el.text = value
    pkg.add("docProps/app.xml", _app_xml())  # the counts come with the lists (_fill)
    pkg.save(path)


def _style_ids(styles) -> dict[str, str]:
    """Style id by name ("Isi Tabel" → "IsiTabel")."""
    return {s.find("w:name", NS).get(w("val")): s.get(w("styleId"))
            for s in styles.iterfind("w:style", NS) if s.find("w:name", NS) is not None}


def _cover_spacing(body) -> None:
    """With a logo on the cover, the logo (not the region under it) stands clear of the band."""
    logo = next((p for p in body.iterfind("w:p", NS) if _pstyle(p) == "SampulLogo"), None)
    if logo is None:
        return
    region = logo.getnext()
    if region is None or _pstyle(region) != "SampulDaerah":
        return
    for p, before in ((logo, 60 * 20), (region, 4 * 20)):
        ppr = p.find("w:pPr", NS)
        spacing = ppr.find("w:spacing", NS)
        if spacing is None:
            spacing = etree.SubElement(ppr, w("spacing"))
        spacing.set(w("before"), str(before))
        _order_ppr(ppr)


def _pstyle(p) -> str | None:
    style = p.find("w:pPr/w:pStyle", NS)
    return None if style is None else style.get(w("val"))


SPACED_RUPIAH = re.compile(r"\bRp (?=-?\d)")  # fmt.rupiah with the style option spasi_rupiah


def _table_text(body, style_id: str) -> None:
    """Table cells in the style Isi Tabel (the PDF's table size); pandoc writes them in Compact,
    which tight lists use too and which has the body size. An amount written "Rp 1.250.000" stays
    on one line (a no-break space), as "Rp1.250.000" does."""
    for tbl in body.iter(w("tbl")):
        for style in tbl.iterfind(".//w:p/w:pPr/w:pStyle", NS):
            if style.get(w("val")) == "Compact":
                style.set(w("val"), style_id)
        for t in tbl.iter(w("t")):
            if t.text and "Rp " in t.text:
                t.text = SPACED_RUPIAH.sub("Rp\u00a0", t.text)


_TBLPR_ORDER = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
                "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
                "tblCaption", "tblDescription", "tblPrChange"]
_TCPR_ORDER = ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
               "textDirection", "tcFitText", "vAlign", "hideMark"]


def _frame_cards(body, style_id: str) -> None:
    """Each quick-win card (between the markers cb_card_start and cb_card_end) becomes one framed
    cell, table style Kartu, holding its paragraphs and tables: the frame the PDF draws around the
    card. The markers go; the widths are set by _fit_tables."""
    for start in [p for p in body.iterfind("w:p", NS) if _marker_name(p) == MARKERS["card_start"]]:
        content = []
        el = start.getnext()
        while el is not None and _marker_name(el) != MARKERS["card_end"]:
            content.append(el)
            el = el.getnext()
        if el is None:
            raise Abort("DOCX: kartu tanpa penutup (cb_card_end)")
        tbl = etree.Element(w("tbl"))
        tblpr = etree.SubElement(tbl, w("tblPr"))
        etree.SubElement(tblpr, w("tblStyle")).set(w("val"), style_id)
        # the frame also as direct formatting, for readers that ignore table styles
        _borders(tblpr, "tblBorders", ("top", "left", "bottom", "right"), 6, CARD_BORDER)
        etree.SubElement(tblpr, w("tblLayout")).set(w("type"), "fixed")
        _card_margins(tblpr)
        look = etree.SubElement(tblpr, w("tblLook"))
        for attr, value in (("firstRow", "0"), ("lastRow", "0"), ("firstColumn", "0"), ("lastColumn", "0"),
                            ("noHBand", "1"), ("noVBand", "1"), ("val", "0600")):
            look.set(w(attr), value)
        etree.SubElement(tbl, w("tblGrid"))
        tc = etree.SubElement(etree.SubElement(tbl, w("tr")), w("tc"))
        etree.SubElement(tc, w("tcPr"))
        for child in content:
            tc.append(child)
        if not len(tc) or tc[-1].tag != w("p"):  # a cell ends with a paragraph
            tc.append(_empty_paragraph())
        start.addprevious(tbl)
        body.remove(start)
        body.remove(el)


def _keep_next(p) -> None:
    ppr = p.find("w:pPr", NS)
    if ppr is None:
        ppr = etree.Element(w("pPr"))
        p.insert(0, ppr)
    if ppr.find("w:keepNext", NS) is None:
        etree.SubElement(ppr, w("keepNext"))
        _order_ppr(ppr)


def _keep_table_ends(body, note_style: str) -> None:
    """As in the PDF (cetakbiru.lua): no row is split across pages, a table's last two rows stay
    together, and its source note ("Sumber: ...", style Sumber Tabel) stays with its last row."""
    for tbl in body.iter(w("tbl")):
        if _is_card(tbl):
            continue
        rows = tbl.findall("w:tr", NS)
        for tr in rows:
            trpr = tr.find("w:trPr", NS)
            if trpr is None:
                trpr = etree.Element(w("trPr"))
                tr.insert(1 if tr.find("w:tblPrEx", NS) is not None else 0, trpr)
            if trpr.find("w:cantSplit", NS) is None:
                trpr.append(etree.Element(w("cantSplit")))
                _order(trpr, _TRPR_ORDER)
        nxt = tbl.getnext()
        while nxt is not None and nxt.tag in (w("bookmarkStart"), w("bookmarkEnd")):  # the table's id
            nxt = nxt.getnext()
        noted = nxt is not None and nxt.tag == w("p") and _pstyle(nxt) == note_style
        keep = rows[-2:-1] + (rows[-1:] if noted else [])
        for tr in keep:
            for p in tr.iter(w("p")):
                _keep_next(p)


def _keep_together(body) -> None:
    """What the templates keep on one page (`::: keep`, between the markers cb_keep_start and
    cb_keep_end): every paragraph but the last keeps with the next, as typst's unbreakable block."""
    inside = False
    held: list = []
    for el in list(body):
        name = _marker_name(el) if el.tag == w("p") else None
        if name == MARKERS["keep_start"]:
            inside, held = True, []
        elif name == MARKERS["keep_end"]:
            for p in held[:-1]:
                _keep_next(p)
            inside = False
        elif inside:
            held.extend([el] if el.tag == w("p") else el.iter(w("p")))


def _empty_paragraph():
    p = etree.Element(w("p"))
    etree.SubElement(etree.SubElement(p, w("pPr")), w("pStyle")).set(w("val"), "CbMarker")
    return p


def _fit_tables(body, paper: str) -> None:
    """Every table the width of its page (landscape between the landscape markers) or of its card,
    its columns in fixed widths that Word and LibreOffice both keep: pandoc's proportions, but
    never narrower than the longest word or amount in the column, so "Rp4.250.000.000" or
    "Diskominfo" is never broken inside; a table without proportions gets them from its text."""
    landscape = False
    for el in body:
        if el.tag == w("p"):
            name = _marker_name(el)
            if name in (MARKERS["landscape_start"], MARKERS["landscape_end"]):
                landscape = name == MARKERS["landscape_start"]
        elif el.tag == w("tbl"):
            _fit_table(el, text_width(paper, landscape=landscape))


def _is_card(tbl) -> bool:
    style = tbl.find("w:tblPr/w:tblStyle", NS)
    return style is not None and style.get(w("val")) == "Kartu"


def _fit_table(tbl, width: int) -> None:
    rows = tbl.findall("w:tr", NS)
    grid = tbl.find("w:tblGrid", NS)
    if _is_card(tbl):
        widths = [width]
        inner = width - CARD_MARGIN["left"] - CARD_MARGIN["right"]
        for nested in rows[0].find("w:tc", NS).iterfind("w:tbl", NS):
            _fit_table(nested, inner)
    else:
        columns = [int(c.get(w("w"), "0")) for c in grid.iterfind("w:gridCol", NS)]
        if not columns:
            return
        auto = tbl.find("w:tblPr/w:tblLayout", NS) is None  # pandoc: no relative widths in the Markdown
        least, natural = _column_needs(tbl, len(columns))
        widths = _widths(natural if auto or not sum(columns) else columns, least, width)
    for c in list(grid):
        grid.remove(c)
    for v in widths:
        etree.SubElement(grid, w("gridCol")).set(w("w"), str(v))
    tblpr = tbl.find("w:tblPr", NS)
    for tag, attr, value in (("tblW", "w", str(width)), ("tblLayout", "type", "fixed")):
        el = tblpr.find(f"w:{tag}", NS)
        if el is None:
            el = etree.SubElement(tblpr, w(tag))
        el.attrib.clear()
        el.set(w(attr), value)
        if tag == "tblW":
            el.set(w("type"), "dxa")
    _order(tblpr, _TBLPR_ORDER)
    for tr in rows:
        col = 0
        for tc in tr.iterfind("w:tc", NS):
            tcpr = tc.find("w:tcPr", NS)
            if tcpr is None:
                tcpr = etree.Element(w("tcPr"))
                tc.insert(0, tcpr)
            span_el = tcpr.find("w:gridSpan", NS)
            span = int(span_el.get(w("val"), "1")) if span_el is not None else 1
            tcw = tcpr.find("w:tcW", NS)
            if tcw is None:
                tcw = etree.SubElement(tcpr, w("tcW"))
            tcw.set(w("w"), str(sum(widths[col:col + span]))), tcw.set(w("type"), "dxa")
            _order(tcpr, _TCPR_ORDER)
            col += span


BREAKS = re.compile(r"[ \t\n\u2002-\u200b\u3000]+")  # where a line may break; not U+00A0 or U+202F


def _column_needs(tbl, n: int) -> tuple[list[int], list[int]]:
    """Per column, in twips with the cell's padding: the widest unbreakable word (the least width)
    and the widest paragraph unwrapped (the natural width), in the cell's font and size."""
    least, natural = [0] * n, [0] * n
    look = tbl.find("w:tblPr/w:tblLook", NS)
    bold_first = look is not None and look.get(w("firstRow")) == "1"
    for r, tr in enumerate(tbl.iterfind("w:tr", NS)):
        col = 0
        for tc in tr.iterfind("w:tc", NS):
            span_el = tc.find("w:tcPr/w:gridSpan", NS)
            span = int(span_el.get(w("val"), "1")) if span_el is not None else 1
            if span == 1 and col < n:
                for p in tc.iter(w("p")):
                    text = "".join(t.text or "" if t.tag == w("t") else " " for t in p.iter(w("t"), w("tab"), w("br")))
                    bold = (r == 0 and bold_first) or any(
                        b.get(w("val"), "true") not in ("0", "false") for b in p.iter(w("b")))
                    words = [t for t in BREAKS.split(text) if t]
                    if words:
                        least[col] = max(least[col], max(_twips(t, bold) for t in words) + 2 * CELL_MARGIN)
                        natural[col] = max(natural[col], _twips(text.strip(), bold) + 2 * CELL_MARGIN)
            col += span
    return least, natural


@cache
def _font(bold: bool):
    from PIL import ImageFont

    return ImageFont.truetype(str(SHARE / "fonts" / f"LiberationSans-{'Bold' if bold else 'Regular'}.ttf"), 100)


def _twips(text: str, bold: bool, size: float = TABLE_PT) -> int:
    """The width of `text` set in Liberation Sans (Arial's metrics), with 3% to spare, in twips."""
    return int(_font(bold).getlength(text) * size / 100 * 20 * 1.03) + 1


def _widths(weights: list[int], least: list[int], total: int) -> list[int]:
    """Column widths summing to `total` in the proportions of `weights`, each at least its `least`
    where they fit together: a column that its share would make too narrow gets its least, and the
    others share what is left in their proportions (as browsers lay out tables)."""
    n = len(weights)
    weights = [wt or 1 for wt in weights] if any(weights) else [1] * n
    if sum(least) > total:  # the words cannot all fit: share the width as they need it
        widths = [lo * total / sum(least) for lo in least]
    else:
        fixed: dict[int, float] = {}
        while True:
            free = [i for i in range(n) if i not in fixed]
            left = total - sum(fixed.values())
            share = {i: left * weights[i] / sum(weights[j] for j in free) for i in free}
            short = {i for i in free if share[i] < least[i]}
            if not short:
                break
            fixed.update({i: float(least[i]) for i in short})
        widths = [fixed.get(i, share.get(i, 0.0)) for i in range(n)]
    out = [int(v) for v in widths]
    out[out.index(max(out))] += total - sum(out)
    return out


def _word_2013_layout(settings) -> None:
    """Word 2013 and later lay the book out in their own mode (compatibilityMode 15), not in
    Compatibility Mode."""
    for el in settings.findall("w:compat", NS):
        settings.remove(el)
    compat = etree.Element(w("compat"))
    for name, value in (("compatibilityMode", "15"), ("overrideTableStyleFontSizeAndJustification", "1"),
                        ("enableOpenTypeFeatures", "1"), ("doNotFlipMirrorIndents", "1"),
                        ("differentiateMultirowTableHeaders", "1")):
        c = etree.SubElement(compat, w("compatSetting"))
        c.set(w("name"), name)
        c.set(w("uri"), "http://schemas.microsoft.com/office/word")
        c.set(w("val"), value)
    after = {w(t) for t in ("docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
                            "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
                            "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
                            "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")}  # what follows w:compat
    nxt = next((el for el in settings if el.tag in after), None)
    if nxt is None:
        settings.append(compat)
    else:
        nxt.addprevious(compat)


EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
APPLICATION = "Cetak Biru"  # the program that made the file (the product's name, not translated)


def _app_xml(statistics: dict | None = None) -> bytes:
    """docProps/app.xml: the application that made the file and, once LibreOffice has laid it out
    (`statistics`, lo_indexes.py), its pages, words, characters and paragraphs; never pandoc's
    placeholders (1 page, 83 words, Microsoft Word 12)."""
    counts = {"Pages": "PageCount", "Words": "WordCount", "Characters": "NonWhitespaceCharacterCount",
              "CharactersWithSpaces": "CharacterCount", "Paragraphs": "ParagraphCount"}
    root = etree.Element(f"{{{EXTENDED}}}Properties", nsmap={
        None: EXTENDED, "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"})
    values = [("Application", APPLICATION), ("DocSecurity", "0")]
    values += [(tag, str(int(statistics[key]))) for tag, key in counts.items() if statistics and key in statistics]
    values += [("ScaleCrop", "false"), ("LinksUpToDate", "false"), ("SharedDoc", "false"),
               ("HyperlinksChanged", "false")]
    for tag, value in values:
        etree.SubElement(root, f"{{{EXTENDED}}}{tag}").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _front_matter(markdown_path: Path) -> dict:
    """The book's YAML metadata block (render.py writes it first)."""
    text = markdown_path.read_text(encoding="utf-8")
    if not text.startswith("---\n") or "\n---\n" not in text[4:]:
        return {}
    meta = yaml.safe_load(text[4:text.index("\n---\n", 4)])
    return meta if isinstance(meta, dict) else {}


def build(markdown_path: Path, docx_path: Path, *, city, title: str) -> None:
    plan = city.plan
    color = labels.book_color(plan)
    reference = reference_doc(plan.dokumen.gaya.kertas, color)
    author = labels.author(plan.daerah)
    to_docx(markdown_path, docx_path, reference, author=author)
    region = labels.region_name(plan.daerah)
    figures = markdown_path.parent / "figures"
    svgs = {png.read_bytes(): png.with_suffix(".svg").read_text(encoding="utf-8")
            for png in sorted(figures.glob("*.png")) if png.with_suffix(".svg").exists()}
    label = _front_matter(markdown_path).get("cb-book-label")
    finish(docx_path, paper=plan.dokumen.gaya.kertas, title=title, region=region, svgs=svgs,
           label=str(label) if label else None, author=author)


# --- filling the lists --------------------------------------------------------------------

_LIST_STYLES = {"toc": None, "tables": "TableCaption", "figures": "ImageCaption"}


def require_libreoffice() -> None:
    """Stop with what to install when LibreOffice or its Python bridge is missing: checked before a
    DOCX build starts (books.build), not after every book was rendered. `python3 build.py` installs
    them itself (bootstrap.py); the installed `cetakbiru` command cannot."""
    if shutil.which("soffice") is None or not Path(SYSTEM_PYTHON).exists():
        raise Abort("LibreOffice (soffice) dan python3-uno diperlukan untuk mengisi daftar isi DOCX. "
                    "Pasang: sudo apt-get install libreoffice-writer-nogui python3-uno fonts-liberation2 "
                    "— atau buat PDF saja: books --format pdf.")


class Layout:
    """One LibreOffice of this process, started on first use and kept for every DOCX it lays out
    (lo_indexes.py --serve): a build's worker pays LibreOffice's start-up once, not once per book.

    lo_indexes.py keeps its LibreOffice profile in the temporary folder, named with its pid; it gets
    SIGTERM when this process dies and then stops LibreOffice and deletes the profile. `close()`
    ends it in order (its input closed, waited for), so nothing is left once the build returns."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.stderr: str | None = None  # what the last one printed when it ended

    def _start(self) -> subprocess.Popen:
        require_libreoffice()
        sweep_profiles()
        script = Path(__file__).with_name("lo_indexes.py")
        return subprocess.Popen([SYSTEM_PYTHON, str(script), "--serve"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                preexec_fn=publish.die_with_parent(signal.SIGTERM))

    def lay_out(self, path: Path) -> dict:
        """LibreOffice's lists and counts of one DOCX (see lo_indexes.py)."""
        if self.proc is not None and self.proc.poll() is not None:
            self.close()  # it ended (said by the last answer's failure): its pipes closed
        if self.proc is None:
            self.proc = self._start()
        proc = self.proc
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(str(path.resolve()) + "\n")
            proc.stdin.flush()
        except BrokenPipeError:
            pass  # it died: said below, with what it printed
        ready, _, _ = select.select([proc.stdout], [], [], LO_TIMEOUT)
        line = proc.stdout.readline() if ready else ""
        if not line:
            self.close()
            if not ready:
                raise Abort(f"LibreOffice tidak selesai menata {path.name} dalam {LO_TIMEOUT} detik")
            raise Abort(f"LibreOffice gagal menata DOCX:\n{(self.stderr or '').strip()[-2000:]}")
        answer = json.loads(line)
        if "error" in answer:
            raise Abort(f"LibreOffice gagal menata {path.name}: {answer['error']}")
        return answer

    def close(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            _, self.stderr = proc.communicate(input="", timeout=60)
        except (subprocess.TimeoutExpired, ValueError, OSError):
            proc.terminate()
            try:
                _, self.stderr = proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()


_LAYOUT = Layout()  # this process's LibreOffice (a build's worker process, or the build itself)


def fill_fields(paths: list[Path], layout: Layout = _LAYOUT) -> None:
    """Lay the books out in LibreOffice and write their lists, with page numbers, into the fields."""
    for path in paths:
        result = layout.lay_out(path)
        _fill(path, result["indexes"], result.get("statistics"))


def close_layout() -> None:
    """Stop this process's LibreOffice, if it started one (the end of a build or of a worker)."""
    _LAYOUT.close()


LO_PROFILE = re.compile(r"cetakbiru-lo-(\d+)-")  # lo_indexes.py: cetakbiru-lo-<pid>-<random>


def _lo_pipes(profile: Path, pid: int) -> list[Path]:
    """The sockets a killed LibreOffice leaves in /tmp; the rule of lo_indexes.pipes()."""
    url = "file://" + urllib.parse.quote(str(profile))
    digest = "".join(f"{b:x}" for b in hashlib.md5(url.encode("utf-16-le")).digest())
    return [Path(f"/tmp/OSL_PIPE_{os.getuid()}_{name}") for name in (f"cetakbiru_{pid}", f"SingleOfficeIPC_{digest}")]


def sweep_profiles() -> None:
    """Delete the LibreOffice profiles (and pipes) of lo_indexes.py runs that were killed (their pid
    is gone), after stopping any LibreOffice still running on one; and the profiles of the previous
    naming (cb-lo-profile-*, no pid) that no running process uses."""
    tmp = Path(tempfile.gettempdir())
    dead = {p: int(m.group(1)) for p in tmp.glob("cetakbiru-lo-*")
            if (m := LO_PROFILE.match(p.name)) and not publish.pid_alive(int(m.group(1)))}
    legacy = list(tmp.glob("cb-lo-profile-*"))
    if not dead and not legacy:
        return
    running = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            running[int(proc.name)] = (proc / "cmdline").read_bytes()
        except OSError:
            continue
    for p, pid in dead.items():
        for other, cmdline in running.items():
            if p.name.encode() in cmdline:  # a LibreOffice its dead owner left running
                try:
                    os.kill(other, signal.SIGKILL)
                except OSError:
                    pass
        for pipe in _lo_pipes(p, pid):
            pipe.unlink(missing_ok=True)
        shutil.rmtree(p, ignore_errors=True)
    for p in legacy:
        if not any(p.name.encode() in cmdline for cmdline in running.values()):
            shutil.rmtree(p, ignore_errors=True)


def _entries(body, kind: str) -> list[tuple[str, str | None, int]]:
    """(text, bookmark, level) of what a list shows, in document order, from the DOCX itself."""
    out = []
    for p in body.iter(w("p")):
        style = p.find("w:pPr/w:pStyle", NS)
        name = style.get(w("val")) if style is not None else ""
        if kind == "toc":
            m = re.fullmatch(r"Heading([123])", name)
            if not m:
                continue
            level = int(m.group(1))
        elif name == _LIST_STYLES[kind]:
            level = 1
        else:
            continue
        text = "".join(t.text or "" for t in p.iter(w("t")))
        bm = next((b.get(w("name")) for b in p.iter(w("bookmarkStart"))
                   if not b.get(w("name"), "").startswith("cb_")), None)
        out.append((" ".join(text.split()), bm, level))
    return out


def _run(text: str, *, tab: bool = False):
    r = etree.Element(w("r"))
    if tab:
        etree.SubElement(r, w("tab"))
    t = etree.SubElement(r, w("t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def _fill(path: Path, indexes: list[dict], statistics: dict | None = None) -> None:
    """Write the lists LibreOffice laid out into their fields, and its counts into docProps/app.xml."""
    pkg = Package(path)
    body = pkg.part("word/document.xml").find("w:body", NS)
    ids = _style_ids(pkg.part("word/styles.xml"))
    marks = _markers(body)
    kinds = [k for k in FIELD_KINDS if FIELD_MARKER.format(kind=k) in marks]
    if len(indexes) != len(kinds):
        raise Abort(f"{path.name}: LibreOffice menemukan {len(indexes)} daftar, seharusnya {len(kinds)}")
    for kind, index in zip(kinds, indexes, strict=True):
        lines = [ln for ln in index["text"].split("\n") if "\t" in ln]
        entries = _entries(body, kind)
        if len(lines) != len(entries):
            raise Abort(f"{path.name}: daftar '{kind}' berisi {len(lines)} baris di LibreOffice, "
                        f"{len(entries)} di dokumen")
        field_p = marks[FIELD_MARKER.format(kind=kind)][0].getnext()
        instr = field_p.find(".//w:instrText", NS).text
        parent = field_p.getparent()
        position = parent.index(field_p)
        parent.remove(field_p)
        new = []
        for i, ((text, bookmark, level), line) in enumerate(zip(entries, lines, strict=True)):
            shown, page = line.rsplit("\t", 1)
            if " ".join(shown.split()) != text:
                raise Abort(f"{path.name}: entri daftar tidak cocok: {shown!r} ≠ {text!r}")
            p = etree.Element(w("p"))
            ppr = etree.SubElement(p, w("pPr"))
            style = ids[f"toc {level}" if kind == "toc" else "table of figures"]
            etree.SubElement(ppr, w("pStyle")).set(w("val"), style)
            if i == 0:
                begin = etree.SubElement(p, w("r"))
                etree.SubElement(begin, w("fldChar")).set(w("fldCharType"), "begin")
                r = etree.SubElement(p, w("r"))
                it = etree.SubElement(r, w("instrText"))
                it.text = instr
                it.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                sep = etree.SubElement(p, w("r"))
                etree.SubElement(sep, w("fldChar")).set(w("fldCharType"), "separate")
            target = p
            if bookmark:
                target = etree.SubElement(p, w("hyperlink"))
                target.set(w("anchor"), bookmark)
                target.set(w("history"), "1")
            target.append(_run(text))
            target.append(_run(page, tab=True))
            if i == len(entries) - 1:
                end = etree.SubElement(p, w("r"))
                etree.SubElement(end, w("fldChar")).set(w("fldCharType"), "end")
            new.append(p)
        if not new:
            p = copy.deepcopy(field_p)
            for t in p.iter(w("t")):
                t.text = str(labels.teks("docx", "daftar_kosong"))
            new = [p]
        for offset, p in enumerate(new):
            parent.insert(position + offset, p)
    pkg.add("docProps/app.xml", _app_xml(statistics))
    pkg.save(path)
