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

import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import escape, fmt
from . import model as m
from .catalog import Catalog
from .derive import Derived
from .figures import Figure

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
CONTENT = ROOT / "content"

BOOK_TITLES = {
    "analisis_strategis": "Analisis Strategis Smart City",
    "masterplan": "Masterplan Smart City",
    "quick_win": "Quick Win Smart City",
    "ringkasan_eksekutif": "Ringkasan Eksekutif Masterplan Smart City",
    "peta_jalan": "Peta Jalan Smart City",
}
DEFAULT_BOOKS = [
    m.Buku(jenis="analisis_strategis", nomor="I"),
    m.Buku(jenis="masterplan", nomor="II"),
    m.Buku(jenis="quick_win", nomor="III"),
    m.Buku(jenis="ringkasan_eksekutif"),  # not numbered: Buku IV is the optional Peta Jalan
]
BOOK_SLUGS = {
    "analisis_strategis": "buku-1-analisis-strategis",
    "masterplan": "buku-2-masterplan",
    "quick_win": "buku-3-quick-win",
    "ringkasan_eksekutif": "ringkasan-eksekutif",
    "peta_jalan": "buku-4-peta-jalan",
}

TABLE_DASHES = 130  # > PANDOC_COLUMNS: see Doc.table
PANDOC_COLUMNS = 100


def cell(value) -> str:
    """A table cell: one line. Values come from the escaped model or from the template itself, so
    they are already safe Markdown (escape.py); nothing is escaped here."""
    return " ".join(str(value).split())


def books_of(plan: m.Masterplan) -> list[m.Buku]:
    return plan.dokumen.buku or DEFAULT_BOOKS


def book_title(book: m.Buku) -> str:
    return book.judul or BOOK_TITLES[book.jenis]


def book_label(book: m.Buku) -> str:
    """'Buku II Masterplan Smart City', or the title alone for a book without a number."""
    return f"Buku {book.nomor} {book_title(book)}" if book.nomor else book_title(book)


def book_slug(book: m.Buku) -> str:
    if book.judul is None:
        return BOOK_SLUGS[book.jenis]
    number = re.sub(r"[^a-z0-9]+", "", (book.nomor or "x").lower()) or "x"  # checked: a Roman numeral
    return f"buku-{number}-{book.jenis.replace('_', '-')}"


@dataclass
class Numbered:
    """A table or figure with its per-chapter number."""

    kind: str  # "Tabel" | "Gambar"
    number: str  # "2.1"
    title: str
    ident: str


@dataclass
class Doc:
    """Numbering state while one book is rendered: chapters, sections, tables, figures."""

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

    # headings
    def chapter(self, title: str) -> str:
        self.chapter_no += 1
        self.chapter_label = str(self.chapter_no)
        self.section_no = self.subsection_no = self.tables = self.figures = 0
        return f"# BAB {fmt.romawi(self.chapter_no)} {cell(title.upper())} {{#bab-{self.chapter_no}}}"

    def section(self, title: str) -> str:
        self.section_no += 1
        self.subsection_no = 0
        return f"## {self.chapter_label}.{self.section_no} {cell(title)} {{#bab-{self.chapter_label}-{self.section_no}}}"

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
        return f"# LAMPIRAN {self.appendix_no} {cell(title.upper())} {{#lampiran-{self.appendix_no}}}"

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

    def table(self, title: str | None, header: list[str], rows: list[list], widths: list[int] | None = None,
              align: str | None = None, source: str | None = None) -> str:
        """Caption (above) + pipe table. `widths` are relative column widths; `align` one of l/r/c per
        column. A table with no title gets no number and no caption (front-matter lists)."""
        n = len(header)
        widths = widths or [1] * n
        total = sum(widths)
        align = align or "l" * n
        seps = []
        for w, a in zip(widths, align):
            # the separator is longer than --columns, so pandoc takes these relative widths
            dashes = "-" * max(3, round(TABLE_DASHES * w / total))
            seps.append({"l": ":" + dashes, "r": dashes + ":", "c": ":" + dashes + ":"}[a])
        lines = []
        if title is not None:
            num = self._number("Tabel")
            num.title = title
            self.numbered.append(num)
            lines = [f"Table: Tabel {num.number} {cell(title)} {{#{num.ident}}}", ""]
        lines.append("| " + " | ".join(cell(h) for h in header) + " |")
        lines.append("|" + "|".join(seps) + "|")
        for row in rows:
            lines.append("| " + " | ".join(cell(c) for c in row) + " |")
        if source:
            lines += ["", f"::: {{.table-source}}\nSumber: {cell(source)}\n:::"]
        return "\n".join(lines)

    def figure(self, figure: Figure | None) -> str:
        if figure is None:
            return ""
        num = self._number("Gambar")
        num.title = figure.title
        self.numbered.append(num)
        self.figure_files.append(figure)
        return (f'![Gambar {num.number} {escape.md(figure.title)}](figures/{figure.slug}.svg)'
                f'{{#{num.ident} alt="{escape.attribute(figure.alt)}" width="100%"}}')  # charts are drawn for the text width

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
        out = (f'![Gambar {num.number} {cell(gambar.judul)}](<{berkas}>)'
               f'{{#{num.ident} alt="{escape.attribute(gambar.alt)}" width="{width_mm:g}mm"}}')
        if gambar.sumber:
            out += f"\n\n::: {{.table-source}}\nSumber: {cell(gambar.sumber)}\n:::"
        return out

    def ref(self, kind: str) -> str:
        """The number the next table/figure will get, for prose such as 'lihat Tabel 2.3'."""
        n = (self.tables if kind == "Tabel" else self.figures) + 1
        return f"{kind} {self.chapter_label}.{n}"


def abbreviations(plan: m.Masterplan, catalog: Catalog) -> list[tuple[str, str]]:
    found = dict(SHARED_ABBREVIATIONS)
    found.update({s.kode: s.nama for s in catalog.sumber_dana.sumber_dana if s.kode != s.nama})
    found.update({o.singkatan: o.nama for o in plan.opd})
    found.update(plan.singkatan)
    return sorted(found.items(), key=lambda kv: kv[0].casefold())


JENIS_PERATURAN = {
    "UUD": "Undang-Undang Dasar", "UU": "Undang-Undang", "Perppu": "Peraturan Pemerintah Pengganti Undang-Undang",
    "PP": "Peraturan Pemerintah", "Perpres": "Peraturan Presiden", "Inpres": "Instruksi Presiden",
    "Permen": "Peraturan", "Kepmen": "Keputusan", "SE Menteri": "Surat Edaran", "Perda Provinsi": "Peraturan Daerah",
    "Pergub": "Peraturan Gubernur", "Perda": "Peraturan Daerah", "Perwali": "Peraturan Wali Kota",
    "Perbup": "Peraturan Bupati", "Keputusan Kepala Daerah": "Keputusan",
}  # fmt: skip

# Abbreviations the shared chapters use; a city adds its own (`singkatan`) and its OPD.
SHARED_ABBREVIATIONS = {
    "APBD": "Anggaran Pendapatan dan Belanja Daerah", "APBN": "Anggaran Pendapatan dan Belanja Negara",
    "Bimtek": "Bimbingan Teknis", "CSR": "Corporate Social Responsibility (Tanggung Jawab Sosial Perusahaan)",
    "DAK": "Dana Alokasi Khusus", "KPBU": "Kerja Sama Pemerintah dengan Badan Usaha",
    "OPD": "Organisasi Perangkat Daerah", "RPJMD": "Rencana Pembangunan Jangka Menengah Daerah",
    "RPJPD": "Rencana Pembangunan Jangka Panjang Daerah", "Renstra": "Rencana Strategis",
    "RTRW": "Rencana Tata Ruang Wilayah", "SPBE": "Sistem Pemerintahan Berbasis Elektronik",
    "SWOT": "Strengths, Weaknesses, Opportunities, Threats (Kekuatan, Kelemahan, Peluang, Ancaman)",
    "TIK": "Teknologi Informasi dan Komunikasi",
}  # fmt: skip


def peraturan(p, daerah: m.Daerah | None = None) -> str:
    """'Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis Elektronik'."""
    name = JENIS_PERATURAN.get(p.jenis, p.jenis)
    if p.jenis in ("Permen", "Kepmen", "SE Menteri", "Keputusan Kepala Daerah") and getattr(p, "penerbit", None):
        name = f"{name} {p.penerbit}"
    elif p.jenis == "Perda" and daerah is not None:
        name = f"{name} {'Kota' if daerah.jenis == 'kota' else 'Kabupaten'} {daerah.nama}"
    elif p.jenis in ("Perwali", "Perbup") and daerah is not None:
        name = f"{name} {daerah.nama}"  # Peraturan Wali Kota Tanjungpinang
    elif p.jenis in ("Perda Provinsi", "Pergub") and getattr(p, "penerbit", None):
        name = f"{name} {p.penerbit}"
    text = f"{name} Nomor {p.nomor} Tahun {p.tahun} tentang {p.tentang}"
    changes = getattr(p, "perubahan", []) or []
    if len(changes) == 1:
        text += f" sebagaimana telah diubah dengan {changes[0]}"
    elif changes:
        text += f" sebagaimana telah beberapa kali diubah, terakhir dengan {changes[-1]}"
    return text


def signature(place: str | None, date, person: m.Orang | None, *, plan: m.Masterplan, kepala: bool = False) -> str:
    """The place-and-date line and signature block, right of the page."""
    daerah = plan.daerah
    place = place or plan.dokumen.tempat or daerah.nama
    date = date or plan.dokumen.tanggal
    if person is None or kepala:
        person = person or daerah.kepala_daerah
        office = person.jabatan or ("Wali Kota" if daerah.jenis == "kota" else "Bupati")
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
        yaml=escape.yaml_string, plain=escape.plain, rupiah=fmt.rupiah, angka=fmt.angka, tanggal=fmt.tanggal, bulan=fmt.bulan, romawi=fmt.romawi,
        persen=fmt.persen, rupiah_ringkas=fmt.rupiah_ringkas,
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


TEMPLATE_OF = {
    "analisis_strategis": "buku-1-analisis-strategis.md.j2",
    "masterplan": "buku-2-masterplan.md.j2",
    "quick_win": "buku-3-quick-win.md.j2",
    "ringkasan_eksekutif": "ringkasan-eksekutif.md.j2",
    "peta_jalan": "buku-4-peta-jalan.md.j2",
}


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
    """The escaped copies render_book works from (about 0.1 s for a sample city): a caller that
    renders every book of a city makes them once and passes them as `views`."""
    return escape.escaped(plan), escape.escaped(catalog)


def render_book(plan: m.Masterplan, catalog: Catalog, book: m.Buku,
                views: tuple[m.Masterplan, Catalog] | None = None) -> RenderedBook:
    raw_plan, raw_catalog, raw_book = plan, catalog, book
    plan, catalog = views or escaped_views(plan, catalog)  # from here on, text is safe Markdown
    book = escape.escaped(book)
    d = Derived(plan, catalog)
    doc = Doc()
    daerah = plan.daerah
    jenis_label = "Kota" if daerah.jenis == "kota" else "Kabupaten"
    context = dict(
        plan=plan, d=d, catalog=catalog, doc=doc, book=book, figs=_Figures(Derived(raw_plan, raw_catalog)), fmt=fmt,
        book_title=book_title(book),
        daerah_nama=f"{jenis_label} {daerah.nama}",
        jenis_label=jenis_label,
        kepala_jabatan=daerah.kepala_daerah.jabatan or ("Wali Kota" if daerah.jenis == "kota" else "Bupati"),
        rp=lambda value: fmt.rupiah(value, plan.dokumen.gaya.spasi_rupiah),
        peraturan=lambda p: peraturan(p, daerah),
        signature=lambda place, date, person, kepala=False: signature(place, date, person, plan=plan, kepala=kepala),
        penetapan_lengkap=peraturan(plan.penetapan, daerah) if plan.penetapan else None,
        abbreviations=abbreviations(plan, catalog),
        books=books_of(plan),
        book_title_of=book_title,
        book_label=book_label,
        rich_cell=lambda value: value.inline if isinstance(value, escape.RichMd) else (value or "–"),
    )
    markdown = env().get_template(TEMPLATE_OF[book.jenis]).render(**context)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"
    return RenderedBook(raw_book, book_slug(raw_book), book_title(book), markdown, doc.figure_files, doc.numbered,
                        sorted(set(doc.image_files)))
