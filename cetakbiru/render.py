"""Render a city's books to pandoc Markdown with Jinja2 (templates/book/).

One Markdown file per book feeds both DOCX and PDF. Everything numbered (BAB I, 1.1, Tabel 2.1,
Gambar 3.2) is numbered here by `Doc`, so the two formats (and later the site) agree. Parts that
only one format understands are fenced divs with a class the Lua filter
(templates/pandoc/cetakbiru.lua) turns into format-specific layout (the books are read with raw
formats off, so there are no raw blocks):
`.landscape` (landscape pages), `.signature` (place-and-date and signature block), `.cover`,
`.front-matter` / `.body-matter` markers.

Templates never see raw city text: they get `escape.escaped()` copies of the city and the catalog,
in which every free-text value is already safe pandoc Markdown (plain text escaped, rich text
converted from the safe subset). A template inserts values as they come and cannot forget an
escape; what it writes itself is trusted like code. Figures are drawn from the raw data (they
escape for SVG themselves) and their titles are escaped here.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from numbers import Number
from pathlib import Path

import jinja2

from . import escape, fmt, labels, pustaka
from . import model as m
from .catalog import Catalog
from .derive import Derived, as_of
from .figures import Figure
from .paths import SHARE as ROOT  # shipped resources: the checkout, or the installed package's _share/

TEMPLATES: Path = ROOT / "templates"
CONTENT: Path = ROOT / "content"

# the set a city gets when it lists no books (`dokumen.buku`): labels.BOOK_KINDS marked default
DEFAULT_BOOKS = [m.Buku(jenis=k.jenis, nomor=k.nomor) for k in labels.BOOK_KINDS.values() if k.default]
book_title, book_label, book_slug = labels.book_title, labels.book_label, labels.book_slug

TABLE_DASHES = 130  # > PANDOC_COLUMNS: see Doc.table
PANDOC_COLUMNS = 100
_ALIGN_ROW = re.compile(r"^\|(?::?-{3,}:?\|)+$")  # a pipe table's alignment line


def cell(value) -> str:
    """A table cell: one line. Values come from the escaped model or from the template itself, so
    they are already safe Markdown (escape.py); nothing is escaped here."""
    return " ".join(str(value).split())


def books_of(plan: m.Masterplan) -> list[m.Buku]:
    return plan.dokumen.buku or DEFAULT_BOOKS


@dataclass
class Numbered:
    """A table or figure with its per-chapter number."""

    kind: str  # "Tabel" | "Gambar"
    number: str  # "2.1"
    title: str
    ident: str


class Unresolved(Exception):
    """A cross-reference to a label the book never defines (a template's mistake, not the city's)."""


@dataclass
class Doc:
    """Numbering state while one book is rendered: chapters, sections, tables, figures, and the
    labels that cross-references point to (`doc.ref("bab:program")` → "BAB V").

    A book is rendered twice when it refers forward (the Sistematika to its chapters, BAB I to a
    table of BAB VIII): the first pass collects the labels (`found`), the second is given them
    (`known`)."""

    known: dict[str, str] = field(default_factory=dict)
    chapter_no: int = 0
    chapter_label: str = ""  # "1" for BAB I; "L" in the appendices
    section_no: int = 0
    subsection_no: int = 0
    tables: int = 0
    figures: int = 0
    appendix_no: int = 0
    numbered: list[Numbered] = field(default_factory=list)
    figure_files: list[Figure] = field(default_factory=list)
    image_files: list[str] = field(default_factory=list)  # city pictures (Doc.image), relative paths
    found: dict[str, str] = field(default_factory=dict)
    forward: set[str] = field(default_factory=set)  # labels referred to before they were defined

    def _label(self, label: str | None, text: str) -> None:
        if label is None:
            return
        if label in self.found:
            raise ValueError(f"label defined twice in a book template: {label}")
        self.found[label] = text

    # headings
    def chapter(self, title: str, label: str | None = None) -> str:
        self.chapter_no += 1
        self.chapter_label = str(self.chapter_no)
        self.section_no = self.subsection_no = self.tables = self.figures = 0
        self._label(label, f"{labels.frame('bab')} {fmt.romawi(self.chapter_no)}")
        return f"# {labels.frame('bab')} {fmt.romawi(self.chapter_no)} {cell(title.upper())} {{#bab-{self.chapter_no}}}"

    def section(self, title: str, label: str | None = None) -> str:
        self.section_no += 1
        self.subsection_no = 0
        self._label(label, f"{self.chapter_label}.{self.section_no}")
        number = f"{self.chapter_label}.{self.section_no}"
        return f"## {number} {cell(title)} {{#bab-{self.chapter_label}-{self.section_no}}}"

    def subsection(self, title: str) -> str:
        self.subsection_no += 1
        ident = f"bab-{self.chapter_label}-{self.section_no}-{self.subsection_no}"
        return f"### {self.chapter_label}.{self.section_no}.{self.subsection_no} {cell(title)} {{#{ident}}}"

    def front(self, title: str, ident: str) -> str:
        """An unnumbered front- or back-matter chapter (KATA PENGANTAR, DAFTAR PUSTAKA...)."""
        self.chapter_label = ident
        self.section_no = self.tables = self.figures = 0
        return f"# {cell(title.upper())} {{#{ident} .unnumbered}}"

    def appendix(self, title: str) -> str:
        self.appendix_no += 1
        self.chapter_label = f"L{self.appendix_no}"
        self.section_no = self.tables = self.figures = 0
        return f"# {labels.frame('lampiran')} {self.appendix_no} {cell(title.upper())} {{#lampiran-{self.appendix_no}}}"

    # tables and figures
    def _number(self, kind: str) -> Numbered:
        if kind == "Tabel":
            self.tables += 1
            n = self.tables
        else:
            self.figures += 1
            n = self.figures
        label = self.chapter_label if self.chapter_label.isdigit() or self.chapter_label.startswith("L") else "0"
        return Numbered(kind, f"{label}.{n}", "", f"{'tbl' if kind == 'Tabel' else 'fig'}-{label}-{n}".lower())

    def table(self, title: str | None, header: list[str], rows: list[list], widths: list[float] | None = None,
              align: str | None = None, source: str | None = None, label: str | None = None) -> str:
        """Caption (above) + pipe table. `widths` are relative column widths; `align` one of l/r/c per
        column. A table with no title gets no number and no caption (front-matter lists)."""
        n = len(header)
        widths = widths or [1] * n
        total = sum(widths)
        align = align or "l" * n
        seps = []
        for w, a in zip(widths, align, strict=True):
            # the separator is longer than --columns, so pandoc takes these relative widths
            dashes = "-" * max(3, round(TABLE_DASHES * w / total))
            seps.append({"l": ":" + dashes, "r": dashes + ":", "c": ":" + dashes + ":"}[a])
        lines = []
        if title is not None:
            num = self._number("Tabel")
            num.title = title
            self.numbered.append(num)
            self._label(label, f"{labels.frame('tabel')} {num.number}")
            lines = [f"Table: {labels.frame('tabel')} {num.number} {cell(title)} {{#{num.ident}}}", ""]
        lines.append("| " + " | ".join(cell(h) for h in header) + " |")
        lines.append("|" + "|".join(seps) + "|")
        for row in rows:
            if len(row) != n:
                raise ValueError(f"table {title!r}: a row of {len(row)} cells under {n} headers")
            lines.append("| " + " | ".join(cell(c) for c in row) + " |")
        if source:
            lines += ["", f"::: {{.table-source}}\n{labels.frame('sumber')}: {cell(source)}\n:::"]
        return "\n".join(lines)

    def captioned(self, text: str, title: str) -> str:
        """City rich text (an appendix's `isi`) with a numbered caption above each of its tables, as
        `table` gives its own: "Tabel L1.1 <title>", the next "Tabel L1.2 <title> (2)". A rich-text
        table is always written by richtext.py as a header line, then its alignment line, after a
        blank line; an escaped `|` cannot start such a pair."""
        lines = str(text).split("\n")
        starts = [i for i in range(len(lines) - 1) if lines[i].startswith("| ") and _ALIGN_ROW.match(lines[i + 1])
                  and (i == 0 or not lines[i - 1].strip())]
        out: list[str] = []
        for i, line in enumerate(lines):
            if i in starts:
                num = self._number("Tabel")
                num.title = title if len(starts) == 1 else f"{title} ({starts.index(i) + 1})"
                self.numbered.append(num)
                out += [f"Table: {labels.frame('tabel')} {num.number} {cell(num.title)} {{#{num.ident}}}", ""]
            out.append(line)
        return "\n".join(out)

    def rows(self, title: str | None, header: list[str], widths: list[float] | None = None, align: str | None = None,
             source: str | None = None, label: str | None = None, *, caller) -> str:
        """`table` for a call block, so a template lists rows without building lists:

            {% call(row) doc.rows("Program quick win", ["Quick win", "Tahun"], align="lr") %}
            {% for q in plan.quick_win %}{{ row(q.nama, q.tahun) }}{% endfor %}
            {% endcall %}

        A list among the cells of `row` spreads over several columns, as in `cols`."""
        rows: list[list] = []

        def row(*cells) -> str:
            rows.append(self.cols(*cells))
            return ""

        body = caller(row)
        if body.strip():
            raise ValueError(f"table {title!r}: text inside a table block: {body.strip()[:80]!r}")
        # a newline of its own: `{% endcall %}` eats the one after it (trim_blocks)
        return self.table(title, header, rows, widths=widths, align=align, source=source, label=label) + "\n"

    def figure(self, figure: Figure | None, label: str | None = None) -> str:
        if figure is None:
            return ""
        num = self._number("Gambar")
        num.title = figure.title
        self.numbered.append(num)
        self.figure_files.append(figure)
        self._label(label, f"{labels.frame('gambar')} {num.number}")
        return (f'![{labels.frame("gambar")} {num.number} {escape.md(figure.title)}](figures/{figure.slug}.svg)'
                # charts are drawn for the text width
                f'{{#{num.ident} alt="{escape.attribute(figure.alt)}" width="100%"}}')

    def image(self, gambar: m.Gambar | None, width_mm: float = 150) -> str:
        """A picture from the city folder (`Gambar`): numbered like `figure`, with its alt text and
        source line. Its file (`gambar.berkas`) is listed in `image_files` so the build can copy it
        beside the Markdown, as it does for the logo."""
        if gambar is None:
            return ""
        num = self._number("Gambar")
        num.title = gambar.judul
        self.numbered.append(num)
        berkas = gambar.berkas.raw if isinstance(gambar.berkas, escape.Md) else gambar.berkas  # checked path
        self.image_files.append(berkas)
        out = (f'![{labels.frame("gambar")} {num.number} {cell(gambar.judul)}](<{berkas}>)'
               f'{{#{num.ident} alt="{escape.attribute(gambar.alt)}" width="{width_mm:g}mm"}}')
        if gambar.sumber:
            out += f"\n\n::: {{.table-source}}\n{labels.frame('sumber')}: {cell(gambar.sumber)}\n:::"
        return out

    @staticmethod
    def cols(*parts) -> list:
        """Headers, widths or alignments of a table, some columns given as lists (one per year):
        `doc.cols("Kode", years, "Jumlah")` → ["Kode", 2021, 2022, "Jumlah"]."""
        out: list = []
        for part in parts:
            if isinstance(part, (str, int, float)) or part is None:
                out.append(part)
            else:  # a list, or what a filter chain gives (`years|map("angka")`)
                out.extend(part)
        return out

    @staticmethod
    def repeat(value, items) -> list:
        """`value` once per item: the widths or alignments of a run of year columns."""
        return [value] * len(items)

    def ref(self, target: str) -> str:
        """A cross-reference. `ref("Tabel")` / `ref("Gambar")`: the number the next table or figure
        will get ('lihat Tabel 2.3'). Any other target is a label given to `chapter`, `section`,
        `table`, `rows` or `figure`, before or after this point: "BAB V", "4.1", "Tabel 8.4"."""
        if target in ("Tabel", "Gambar"):
            n = (self.tables if target == "Tabel" else self.figures) + 1
            return f"{labels.frame(target.lower())} {self.chapter_label}.{n}"
        if target in self.found:
            return self.found[target]
        self.forward.add(target)
        if target in self.known:
            return self.known[target]
        return f"[{target}]"  # first pass: the label comes later in the book


@dataclass
@dataclass
class DataTable:
    """A city's data table laid out: one alignment letter and width per column, the cells as text."""

    align: str
    widths: list[int]
    rows: list[list[str]]


DASHES = ("-", "–", "")  # a cell that says "no value"


def data_table(t: m.TabelData) -> DataTable:
    """A city's data table (`TabelData`) laid out for a book: a column whose values are all numbers
    (no "tahun" in its title) is right-aligned and narrower; numbers get the column's decimals (those
    of its longest decimal value, at most 2); a "Jumlah"/"Total" row is bold."""

    def is_year(i: int) -> bool:
        return "tahun" in str(t.kolom[i]).lower()

    numeric, decimals = [], []
    for i in range(len(t.kolom)):
        values = [escape.plain(row[i]) for row in t.baris]
        values = [v for v in values if not (isinstance(v, str) and v in DASHES)]
        numeric.append(bool(values) and all(isinstance(v, Number) for v in values) and not is_year(i))
        floats = [v for v in values if isinstance(v, float)]
        places = [len(str(v).split(".")[1]) if "." in str(v) else 0 for v in floats]
        decimals.append(max(0, *(min(p, 2) for p in places)) if floats else None)
    rows = []
    for row in t.baris:
        total = bool(row) and str(row[0]).lower() in ("jumlah", "total")
        cells = []
        for i, v in enumerate(row):
            if isinstance(v, Number) and not is_year(i):
                text = fmt.angka(v, decimals[i])
            else:
                text = v if isinstance(v, str) else str(v)  # an escaped value stays as it is
            cells.append(f"**{text}**" if total and escape.plain(text) not in DASHES else text)
        rows.append(cells)
    return DataTable("".join("r" if n else "l" for n in numeric), [2 if n else 4 for n in numeric], rows)


def abbreviations(plan: m.Masterplan, catalog: Catalog) -> list[tuple[str, str]]:
    found = dict(labels.teks("singkatan"))
    jenis = plan.daerah.jenis  # the shipped names serve every region: 'Daerah Kabupaten/Kota' → its own word
    found.update({s.kode: labels.regional(s.nama, jenis) for s in catalog.sumber_dana.sumber_dana if s.kode != s.nama})
    found.update({o.singkatan: o.nama for o in plan.opd})
    found.update(plan.singkatan)
    return sorted(found.items(), key=lambda kv: kv[0].casefold())


def peraturan(p, daerah: m.Daerah | None = None) -> str:
    """'Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis Elektronik', and
    its amendments as the consideration 'Mengingat' names them (Lampiran II UU 12/2011): the only
    one ('sebagaimana telah diubah dengan ...') or the last of several ('sebagaimana telah beberapa
    kali diubah, terakhir dengan ...'), each with its title."""
    text = _regulation_name(p, daerah)
    changes = getattr(p, "perubahan", []) or []
    if len(changes) == 1:
        text += f" sebagaimana telah diubah dengan {_regulation_name(changes[0], daerah)}"
    elif changes:
        text += f" sebagaimana telah beberapa kali diubah, terakhir dengan {_regulation_name(changes[-1], daerah)}"
    return text


def _regulation_name(p, daerah: m.Daerah | None) -> str:
    name = labels.teks("peraturan").get(p.jenis, p.jenis)
    if p.jenis in ("Permen", "Kepmen", "SE Menteri", "Keputusan Kepala Daerah") and getattr(p, "penerbit", None):
        name = f"{name} {p.penerbit}"
    elif p.jenis == "Perda" and daerah is not None:
        name = f"{name} {daerah.nama_lengkap}"
    elif p.jenis in ("Perwali", "Perbup") and daerah is not None:
        name = f"{name} {daerah.nama}"  # Peraturan Wali Kota Tanjungpinang
    elif p.jenis in ("Perda Provinsi", "Pergub") and getattr(p, "penerbit", None):
        name = f"{name} {p.penerbit}"
    # a decree's number usually carries its year ('188.45/442/1.1/2019'): it is cited without 'Tahun'
    year = "" if p.jenis in ("Kepmen", "Keputusan Kepala Daerah") and p.nomor.endswith(str(p.tahun)) \
        else f" Tahun {p.tahun}"
    return f"{name} Nomor {p.nomor}{year} tentang {p.tentang}"


def signature(place: str | None, date, person: m.Orang | None, *, plan: m.Masterplan, kepala: bool = False) -> str:
    """The place-and-date line and signature block, right of the page."""
    daerah = plan.daerah
    place = place or plan.dokumen.tempat or daerah.nama
    date = date or plan.dokumen.tanggal
    if person is None or kepala:
        person = person or daerah.kepala_daerah
        office = person.jabatan or labels.region_words(daerah.jenis)["kepala"]
        if daerah.nama.casefold() not in office.casefold():
            office = f"{office} {daerah.nama}"
    else:
        office = person.jabatan or ""
    lines = [f"{cell(place)}, {fmt.tanggal(date)}", "", f"{cell(office.upper())},", "", "\\", "", "\\", "",
             f"**{cell(person.nama)}**"]
    if person.nip:
        lines += ["", f"NIP {cell(person.nip)}"]
    return "::: signature\n" + "\n".join(lines) + "\n:::"


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([TEMPLATES / "book", CONTENT / "buku"]),
        undefined=jinja2.StrictUndefined,
        comment_start_string="{%#",  # pandoc attributes use "{#"
        comment_end_string="#%}",
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(
        # lookups by code, through the book's `names` (render_book): `codes|map("opd")`
        opd=jinja2.pass_context(lambda ctx, code: ctx["names"].opd(code)),
        sub_element=jinja2.pass_context(lambda ctx, code: ctx["names"].sub_element(code)),
        dim=jinja2.pass_context(lambda ctx, code: ctx["names"].dim(code)),
        source_short=jinja2.pass_context(lambda ctx, code: ctx["names"].source_short(code)),
        book_label=labels.book_label,
        bold=lambda text: f"**{text}**",
        orang_peran=lambda person: f"{person.nama} ({person.peran})" if person.peran else person.nama,
        rp=jinja2.pass_context(lambda ctx, value: ctx["rp"](value)),
        yaml=escape.yaml_string, plain=escape.plain, rupiah=fmt.rupiah, angka=fmt.angka, tanggal=fmt.tanggal,
        rentang_tanggal=fmt.rentang_tanggal, bulan=fmt.bulan, romawi=fmt.romawi, persen=fmt.persen,
        rupiah_ringkas=fmt.rupiah_ringkas,
    )
    return env


_ENV: jinja2.Environment | None = None


def env() -> jinja2.Environment:
    global _ENV
    if _ENV is None:
        _ENV = _env()
    return _ENV


@dataclass
class RenderedBook:
    book: m.Buku
    slug: str
    title: str
    markdown: str
    figures: list[Figure]
    numbered: list[Numbered]
    images: list[str] = field(default_factory=list)  # city pictures, relative to cities/<slug>/


class _Figures:
    """`figs.<chart>(d, ...)` for templates: charts are drawn from the raw data (figures.py escapes
    for SVG itself), whatever `d` the template passes."""

    def __init__(self, raw: Derived):
        self._raw = raw

    def __getattr__(self, name: str):
        from . import figures

        draw = getattr(figures, name)
        return lambda _d, *args, **kwargs: draw(self._raw, *args, **kwargs)


def escaped_views(plan: m.Masterplan, catalog: Catalog) -> tuple[m.Masterplan, Catalog]:
    """The escaped copies render_book works from (about 0.1 s for a sample city), as of the
    document's date (`derive.as_of`): a caller that renders every book of a city makes them once
    and passes them as `views`."""
    plan, catalog = as_of(plan, catalog, plan.dokumen.tanggal)
    return escape.escaped(plan), escape.escaped(catalog)


class Names:
    """What a template calls things by their code: OPD, funding sources, dimensions, elements.
    Lookups of the escaped plan and catalog; an unknown code is shown as it is."""

    def __init__(self, plan: m.Masterplan, catalog: Catalog, abbreviations: dict[str, str]):
        self._plan, self._catalog, self._abbr = plan, catalog, abbreviations
        self._opds = {o.kode: o for o in plan.opd}
        self._subdims = {k: s.nama for k, (_, s) in catalog.sub_dimensions.items()}
        self._subdims.update({s.kode: s.nama for s in plan.sub_dimensi_lokal})

    def opd(self, code: str) -> str:
        """Short name: 'Diskominfo'."""
        o = self._opds.get(code)
        return o.singkatan if o else code

    def opd_name(self, code: str) -> str:
        """'Dinas Komunikasi dan Informatika (Diskominfo)'."""
        o = self._opds.get(code)
        return f"{o.nama} ({o.singkatan})" if o else code

    def opd_long(self, code: str) -> str:
        """'Dinas Komunikasi dan Informatika'."""
        o = self._opds.get(code)
        return o.nama if o else code

    def source(self, code: str) -> str:
        """'Anggaran Pendapatan dan Belanja Daerah Kota (APBD)'."""
        s = self._catalog.funding_sources.get(code)
        return f"{self.source_name(code)} ({code})" if s else code

    def source_name(self, code: str) -> str:
        """The source's name in the region's words ('... Daerah Kota', not '... Kabupaten/Kota')."""
        s = self._catalog.funding_sources.get(code)
        return labels.regional(s.nama, self._plan.daerah.jenis) if s else code

    def source_short(self, code: str) -> str:
        return labels.source_short(code, self._catalog.funding_sources, self._abbr)

    def dim(self, code: str) -> str:
        d = self._catalog.dimensions.get(code)
        return d.nama if d else code

    def subdim(self, code: str | None) -> str:
        return self._subdims.get(code, code) if code else "–"

    def element(self, code: str) -> str:
        e = self._catalog.elements.get(code)
        return e.nama if e else code

    def sub_element(self, code: str) -> str:
        s = self._catalog.sub_elements.get(code)
        return s[1].nama if s else code

    def scope(self, code: str) -> str:
        """A SWOT scope: an element, a dimension, or 'umum'."""
        if code in self._catalog.elements:
            return self._catalog.elements[code].nama
        return self._catalog.dimensions[code].nama if code in self._catalog.dimensions else code


class _Kata:
    """Counting words for prose: `kata.bilangan(3)` → 'tiga', `kata.bil(25)` → '25',
    `kata.daftar(["a", "b", "c"])` → 'a, b, dan c'."""

    bilangan = staticmethod(fmt.bilangan)
    bil = staticmethod(fmt.bil)
    daftar = staticmethod(fmt.daftar)

    @staticmethod
    def sep(loop, kata: str = "dan") -> str:
        """What follows an item of a list written in a `{% for %}` loop, as `daftar` joins it:
        `{% for x in xs %}{{ x }}{{ kata.sep(loop) }}{% endfor %}` → 'a, b, dan c'."""
        if loop.last:
            return ""
        if loop.revindex == 2:
            return f"{',' if loop.length > 2 else ''} {kata} "
        return ", "


def render_book(plan: m.Masterplan, catalog: Catalog, book: m.Buku,
                views: tuple[m.Masterplan, Catalog] | None = None) -> RenderedBook:
    """One book as pandoc Markdown. Rendered a second time, with the labels of the first pass,
    when the book refers to a chapter or table further on."""
    raw_plan, raw_catalog = as_of(plan, catalog, plan.dokumen.tanggal)  # a book knows what was, on its date
    raw_book = book
    plan, catalog = views or escaped_views(plan, catalog)  # from here on, text is safe Markdown
    book = escape.escaped(book)
    d = Derived(plan, catalog)
    daerah = plan.daerah
    region = labels.region_words(daerah.jenis)
    abbr = abbreviations(plan, catalog)
    context = dict(
        plan=plan, d=d, catalog=catalog, book=book, figs=_Figures(Derived(raw_plan, raw_catalog)),
        book_title=book_title(book),
        color=labels.book_color(raw_plan),
        daerah_nama=daerah.nama_lengkap,
        jenis_label=region["jenis"],
        region=region,
        kepala_jabatan=daerah.jabatan_kepala,
        rp=lambda value: fmt.rupiah(value, plan.dokumen.gaya.spasi_rupiah),
        peraturan=lambda p: peraturan(p, daerah),
        pustaka=pustaka.entry,
        signature=lambda place, date, person, kepala=False: signature(place, date, person, plan=plan, kepala=kepala),
        penetapan_lengkap=peraturan(plan.penetapan, daerah) if plan.penetapan else None,
        abbreviations=abbr,
        names=Names(plan, catalog, dict(abbr)),
        label=labels,
        kata=_Kata,
        books=books_of(plan),
        book_of=lambda jenis: next((b for b in books_of(plan) if b.jenis == jenis), None),
        book_title_of=book_title,
        book_label=book_label,
        layout_data_table=data_table,
        rich_cell=lambda value: value.inline if isinstance(value, escape.RichMd) else (value or "–"),
        pairs=lambda left, right: itertools.zip_longest(left, right, fillvalue=""),
    )
    template = env().get_template(labels.BOOK_KINDS[book.jenis].template)
    doc = Doc()
    markdown = template.render(**context, doc=doc)
    if doc.forward:
        doc = Doc(known=doc.found)
        markdown = template.render(**context, doc=doc)
    missing = sorted(doc.forward - doc.found.keys())
    if missing:
        raise Unresolved(f"{book.jenis}: reference to a label the book does not define: {', '.join(missing)}")
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"
    return RenderedBook(raw_book, book_slug(raw_book), book_title(book), markdown, doc.figure_files, doc.numbered,
                        sorted(set(doc.image_files)))
