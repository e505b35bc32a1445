"""Book Markdown → a Word file that opens finished.

1. pandoc writes the DOCX with a reference document generated here (Arial — LibreOffice renders it
   with the metric-compatible Liberation Sans — built-in Heading styles, a named table style).
2. `finish()` rewrites its XML: the cover, sections (cover without header; front matter in roman
   page numbers; body in arabic; landscape pages), a running header with the book title, a page
   number footer, caption bookmarks, the language, and no "update fields" flag.
3. `fill_fields()` lets LibreOffice lay the books out (cetakbiru/lo_indexes.py, one session for
   all books) and writes the Daftar Isi / Tabel / Gambar into the fields' cached results, with
   page numbers and links, so neither Word nor LibreOffice has anything to update on opening.

What the Word file shows beyond the book's Markdown (its language, its title in the document
properties, an empty list) comes from the language catalogue, section `docx` (cetakbiru/labels.py).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import urllib.parse
import zipfile
from functools import cache, partial
from pathlib import Path

import pypandoc
from lxml import etree

from . import labels, publish, sandbox
from .paths import SHARE, project
from .problems import Abort
from .render import PANDOC_COLUMNS

PANDOC_DIR = SHARE / "templates" / "pandoc"
CACHE = Path(os.environ.get("CETAKBIRU_CACHE") or project() / "build" / "cache")  # tests point it elsewhere
SYSTEM_PYTHON = "/usr/bin/python3"
LO_TIMEOUT = 900  # seconds for one LibreOffice session laying out every new DOCX of a build

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS = {"w": W, "r": R}
HEADER_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
FOOTER_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"

PAPER = {"A4": (11906, 16838), "F4": (12189, 18709)}  # twentieths of a point: 210x297 mm, 215x330 mm
MARGINS = {"top": 1474, "bottom": 1361, "left": 1701, "right": 1417, "header": 709, "footer": 709, "gutter": 0}


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
    font(normal, 11)
    spacing(normal, 0, 6, 1.15)
    for name in ("Body Text", "First Paragraph"):
        s = style(name)
        font(s, 11)
        spacing(s, 3, 6, 1.15)
    s = style("Compact")
    font(s, 9)
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
    s = style("Kartu")
    spacing(s, 0, 4, 1.15)
    box(s, None, "AAAAAA")
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
    for name, before, after in (("Sampul Program", 0, 50), ("Sampul Buku", 0, 6), ("Sampul Judul", 0, 0)):
        # one coloured band at the top of the cover, as on the PDF: same fill and same-colour
        # borders with padding, so Word and LibreOffice draw the three paragraphs as one block
        box(st[name], color.lstrip("#"), color.lstrip("#"), space=24)
        st[name].paragraph_format.space_before, st[name].paragraph_format.space_after = Pt(before), Pt(after)
        st[name].paragraph_format.left_indent = st[name].paragraph_format.right_indent = Cm(0.9)
    st["Sampul Daerah"].paragraph_format.space_before = Pt(80)
    _table_style(st["Table"].element, color.lstrip("#"))
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


def to_docx(markdown_path: Path, docx_path: Path, reference: Path) -> None:
    args = [
        f"--reference-doc={reference}",
        f"--lua-filter={PANDOC_DIR / 'cetakbiru.lua'}",
        f"--columns={PANDOC_COLUMNS}",
    ]
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
}
FIELD_MARKER = "cb_field_{kind}"  # before the field of a list that LibreOffice fills in
FIELD_KINDS = ("toc", "tables", "figures")


def _markers(body) -> dict[str, list]:
    """Marker paragraphs (style CbMarker) by bookmark name, in document order."""
    found: dict[str, list] = {}
    for p in body.iterfind("w:p", NS):
        style = p.find("w:pPr/w:pStyle", NS)
        if style is None or style.get(w("val")) != "CbMarker":
            continue
        bm = p.find("w:bookmarkStart", NS)
        if bm is not None:
            found.setdefault(bm.get(w("name")), []).append(p)
    return found


def _header_xml(title: str, region: str, paper: str) -> bytes:
    def esc(s):
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    tab = PAPER[paper][0] - MARGINS["left"] - MARGINS["right"]  # the region flush right
    rpr = '<w:rPr><w:color w:val="595959"/><w:sz w:val="17"/></w:rPr>'
    return f'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr xmlns:w="{W}"><w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="A0A0A0"/></w:pBdr>
<w:tabs><w:tab w:val="right" w:pos="{tab}"/></w:tabs><w:spacing w:after="0"/></w:pPr>
<w:r>{rpr}<w:t xml:space="preserve">{esc(title)}</w:t></w:r>
<w:r>{rpr}<w:tab/><w:t xml:space="preserve">{esc(region)}</w:t></w:r></w:p></w:hdr>'''.encode()


def _footer_xml() -> bytes:
    return f'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="{W}"><w:p><w:pPr><w:jc w:val="center"/><w:spacing w:after="0"/></w:pPr>
<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>
<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>
<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r>
<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t>1</w:t></w:r>
<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>'''.encode()


def _sect_pr(paper: str, *, header: str | None, footer: str | None, numbering: str | None = None,
             restart: bool = False, landscape: bool = False, next_page: bool = True):
    width, height = PAPER[paper]
    s = etree.Element(w("sectPr"))
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
    margins = dict(MARGINS)
    if landscape:
        margins.update(top=1361, bottom=1247, left=1134, right=1134)
    for k, v in margins.items():
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


def finish(path: Path, *, paper: str, title: str, region: str, lang: str | None = None,
           svgs: dict[bytes, str] | None = None) -> None:
    """`svgs` maps the bytes of each chart's PNG to its SVG, to embed the vector original too;
    `lang` is the catalogue's language tag unless given."""
    pkg = Package(path)
    doc = pkg.part("word/document.xml")
    body = doc.find("w:body", NS)
    rels = pkg.part("word/_rels/document.xml.rels")
    types = pkg.part("[Content_Types].xml")

    # header and footer parts
    pkg.add("word/cb-header.xml", _header_xml(title, region, paper))
    pkg.add("word/cb-footer.xml", _footer_xml())
    for rid, kind, target in (("rIdCbHeader", HEADER_TYPE, "cb-header.xml"),
                              ("rIdCbFooter", FOOTER_TYPE, "cb-footer.xml")):
        rel = etree.SubElement(rels, f"{{{PR}}}Relationship")
        rel.set("Id", rid), rel.set("Type", kind), rel.set("Target", target)
    for part, ctype in (("/word/cb-header.xml", "header"), ("/word/cb-footer.xml", "footer")):
        o = etree.SubElement(types, f"{{{CT}}}Override")
        o.set("PartName", part)
        o.set("ContentType", f"application/vnd.openxmlformats-officedocument.wordprocessingml.{ctype}+xml")

    if svgs:
        _add_svg_originals(pkg, body, rels, types, svgs)
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
    # core properties: title and language
    core = pkg.part("docProps/core.xml")
    dc = "http://purl.org/dc/elements/1.1/"
    properties = (("title", str(labels.teks("docx", "judul_dokumen")).format(judul=title, daerah=region)),
                  ("language", lang or str(labels.teks("docx", "bahasa"))),
                  ("creator", f"{labels.frame('pemerintah')} {region}"))  # as labels.author()
    for tag, value in properties:
        el = core.find(f"{{{dc}}}{tag}")
        if el is None:
            el = etree.SubElement(core, f"{{{dc}}}{tag}")
        el.text = value
    pkg.save(path)


def build(markdown_path: Path, docx_path: Path, *, city, title: str) -> None:
    plan = city.plan
    color = labels.book_color(plan)
    reference = reference_doc(plan.dokumen.gaya.kertas, color)
    to_docx(markdown_path, docx_path, reference)
    region = labels.region_name(plan.daerah)
    figures = markdown_path.parent / "figures"
    svgs = {png.read_bytes(): png.with_suffix(".svg").read_text(encoding="utf-8")
            for png in sorted(figures.glob("*.png")) if png.with_suffix(".svg").exists()}
    finish(docx_path, paper=plan.dokumen.gaya.kertas, title=title, region=region, svgs=svgs)


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


def fill_fields(paths: list[Path]) -> None:
    """Lay the books out in LibreOffice and write their lists, with page numbers, into the fields."""
    if not paths:
        return
    require_libreoffice()
    script = Path(__file__).with_name("lo_indexes.py")
    sweep_profiles()
    # lo_indexes.py keeps its LibreOffice profile in the temporary folder, named with its pid; it
    # gets SIGTERM when this process dies and then stops LibreOffice and deletes the profile.
    proc = subprocess.Popen([SYSTEM_PYTHON, str(script), *map(str, paths)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=publish.die_with_parent(signal.SIGTERM))
    try:
        stdout, stderr = proc.communicate(timeout=LO_TIMEOUT)
    except BaseException as e:  # a timeout or Ctrl+C: let it stop LibreOffice and clean up
        proc.terminate()
        try:
            proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
        if isinstance(e, subprocess.TimeoutExpired):
            names = ", ".join(p.name for p in paths[:5]) + (", ..." if len(paths) > 5 else "")
            raise Abort(f"LibreOffice tidak selesai menata DOCX dalam {LO_TIMEOUT} detik ({names})") from None
        raise
    if proc.returncode != 0:
        raise Abort(f"LibreOffice gagal menata DOCX:\n{stderr.strip()[-2000:]}")
    result = json.loads(stdout)
    for path in paths:
        _fill(path, result[str(path)]["indexes"])


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


def _fill(path: Path, indexes: list[dict]) -> None:
    pkg = Package(path)
    body = pkg.part("word/document.xml").find("w:body", NS)
    ids = {s.find("w:name", NS).get(w("val")): s.get(w("styleId"))
           for s in pkg.part("word/styles.xml").iterfind("w:style", NS) if s.find("w:name", NS) is not None}
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
    pkg.save(path)
