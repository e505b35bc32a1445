"""Every fixed label a reader sees, and the registry of book kinds: one place for both.

The words come from the language catalogue `templates/teks/<lang>.yaml` (Indonesian only, so
far): jangka, status, funding-source short names, the region's own wording (Wali Kota or Bupati,
Perwali or Perbup, APBD Kota or APBD Kabupaten), book titles, month names, captions. The books,
the site, the exports and the CLI read them here; nothing else spells them. A second language is a
second catalogue with the same keys (`tests/test_labels.py` checks the keys).

`BOOK_KINDS` is the registry of the kinds of book (`dokumen.buku[].jenis`): slug, default
number, template and title, in the order of the default set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from . import model as m
from .paths import SHARE

TEKS_DIR = SHARE / "templates" / "teks"
LANGUAGE = "id"


@cache
def catalogue(language: str = LANGUAGE) -> dict[str, Any]:
    """The language catalogue, read once. It is our own file (checked by the tests), not city input."""
    return yaml.safe_load((TEKS_DIR / f"{language}.yaml").read_text(encoding="utf-8"))


def teks(*path: str | int) -> Any:
    """One entry of the catalogue: `teks("jangka", "pendek")` → 'Pendek'."""
    node: Any = catalogue()
    for key in path:
        node = node[key]
    return node


# --- book kinds ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BookKind:
    jenis: m.JenisBuku  # dokumen.buku[].jenis
    slug: str  # file and URL name of the book
    nomor: str | None  # its number in the default set (None: not numbered)
    template: str  # templates/book/<template>
    default: bool  # part of the set a city gets when it lists no books

    @property
    def title(self) -> str:
        return str(teks("buku", self.jenis))


BOOK_KINDS: dict[str, BookKind] = {
    k.jenis: k
    for k in (
        BookKind("analisis_strategis", "buku-1-analisis-strategis", "I", "buku-1-analisis-strategis.md.j2", True),
        BookKind("masterplan", "buku-2-masterplan", "II", "buku-2-masterplan.md.j2", True),
        BookKind("quick_win", "buku-3-quick-win", "III", "buku-3-quick-win.md.j2", True),
        BookKind("peta_jalan", "buku-4-peta-jalan", "IV", "buku-4-peta-jalan.md.j2", False),
        BookKind("ringkasan_eksekutif", "ringkasan-eksekutif", None, "ringkasan-eksekutif.md.j2", True),
    )
}


def book_title(book) -> str:
    """A book's title: its own `judul`, or the default title of its kind."""
    return book.judul or BOOK_KINDS[book.jenis].title


def book_label(book) -> str:
    """'Buku II Masterplan Smart City', or the title alone for a book without a number."""
    return f"Buku {book.nomor} {book_title(book)}" if book.nomor else book_title(book)


def book_slug(book) -> str:
    if book.judul is None:
        return BOOK_KINDS[book.jenis].slug
    number = re.sub(r"[^a-z0-9]+", "", (book.nomor or "x").lower()) or "x"  # checked: a Roman numeral
    return f"buku-{number}-{book.jenis.replace('_', '-')}"


# --- the region's own words ------------------------------------------------------------------------


def region_words(jenis: str) -> dict[str, str]:
    """The words of a kota or a kabupaten: jenis, kepala, wakil, peraturan_kepala, apbd…"""
    return teks("daerah", jenis)


def region_kinds() -> dict[str, str]:
    """{'kota': 'Kota', 'kabupaten': 'Kabupaten'}."""
    return {jenis: words["jenis"] for jenis, words in teks("daerah").items()}


def regional(text: str, jenis: str) -> str:
    """A national list's wording for one region: 'Anggaran Pendapatan dan Belanja Daerah
    Kabupaten/Kota' → '... Daerah Kota' for a kota. The lists in data/ serve every region; a book
    is about one, and a reviewer sends back "Kabupaten/Kota" where the region is known."""
    word = region_words(jenis)["jenis"]
    for generic in ("Kabupaten/Kota", "Kota/Kabupaten"):
        text = text.replace(generic, word)
    for generic in ("kabupaten/kota", "kota/kabupaten"):
        text = text.replace(generic, word.lower())
    return text


def region_name(daerah) -> str:
    """'Kota Tanjungpinang', 'Kabupaten Kutai Timur'."""
    return f"{region_words(daerah.jenis)['jenis']} {daerah.nama}"


def head_title(daerah) -> str:
    """The title of the head of the region: the city file's `jabatan`, or 'Wali Kota'/'Bupati'."""
    return daerah.kepala_daerah.jabatan or region_words(daerah.jenis)["kepala"]


# --- short lists -------------------------------------------------------------------------------------


def jangka(value: str) -> str:
    return str(teks("jangka", value))


def status(value: str) -> str:
    return str(teks("status", value))


def readiness_level(score: int) -> str:
    """'sangat rendah' … 'sangat tinggi' for a score 1-5 (a mean is rounded by `derive`)."""
    return str(teks("skala_kesiapan", score))


def risk_level(score: int) -> str:
    """'Rendah' … 'Sangat tinggi' for likelihood x impact (1-9, from `derive`)."""
    return str(teks("tingkat_risiko", score))


def source_short(code: str, sources: dict, abbreviations: dict) -> str:
    """A funding source in a recap table: its short name, its code when the book's list of
    abbreviations explains it, else its full name."""
    short = teks("sumber_dana_singkat")
    if code in short:
        return str(short[code])
    if code in abbreviations:
        return code
    return sources[code].nama if code in sources else code


def month(number: int, short: bool = False) -> str:
    return str(teks("bulan_singkat" if short else "bulan")[number - 1])


def evaluation_period(periode) -> str:
    """The period an evaluation assessed: 'Tahun 2022', 'Semester I 2024'."""
    from .fmt import romawi

    if periode.semester:
        return str(teks("periode_evaluasi", "semester")).format(semester=romawi(periode.semester), tahun=periode.tahun)
    return str(teks("periode_evaluasi", "tahun")).format(tahun=periode.tahun)


def frame(word: str) -> str:
    """A word of the book frame: 'Tabel', 'Gambar', 'Sumber', 'BAB', 'LAMPIRAN', 'Jumlah'…"""
    return str(teks("buku_kerangka", word))


# --- house style -------------------------------------------------------------------------------------

DEFAULT_COLOR = "#1F4E79"  # the books' colour when the city gives no `gaya.warna_utama`


def book_color(plan) -> str:
    return plan.dokumen.gaya.warna_utama or DEFAULT_COLOR


def author(daerah) -> str:
    """'Pemerintah Kota Tanjungpinang': the author in the books' metadata."""
    return f"{frame('pemerintah')} {region_name(daerah)}"
