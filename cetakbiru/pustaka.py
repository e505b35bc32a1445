"""The Daftar Pustaka: one source (`model.Pustaka`) as a reference in APA style, as Indonesian
universities teach it, and the order of the list.

    Penulis. (Tahun). *Judul buku*. Tempat: Penerbit.
    Penulis. (Tahun, Tanggal Bulan). Judul berita. *Terbitan*. Diakses 4 Oktober 2024, dari https://…

The book's template lists what `entry` gives, in the order of `sort_key` (`Derived.sources`).
`entry` takes the escaped source the templates get (escape.py): every text is already safe pandoc
Markdown, and what is written here (the italics, the punctuation) is trusted like a template's own
text; a raw source (in a test) is escaped on the way. The URL, which the check only pattern-checks,
is escaped here too.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from . import escape, labels
from . import model as m

# kinds whose title is set in italics; the others (a part of something) italicise their container
_ITALIC_TITLE = {"buku", "laporan", "dokumen", "laman"}
_SENTENCE_END = (".", "?", "!")


def _words(key: str) -> str:
    return str(labels.teks("pustaka", key))


def _md(value: Any) -> escape.Md:
    return escape.md(value)  # an escaped value stays as it is


def _raw(value: Any) -> str:
    return str(escape.plain(value) or "")


def _end(markdown: str, raw: str) -> str:
    """A part of the reference closed by a period, unless the text already ends a sentence."""
    return markdown if raw.rstrip().endswith(_SENTENCE_END) else markdown + "."


def _italic(markdown: str) -> str:
    return f"*{markdown}*"


def url_text(url: str) -> str:
    """A URL as literal text (no link: the reader copies it): escaped, with a break opportunity
    (a zero-width space) after each slash, so that a long address wraps inside the page."""
    parts = re.split(r"(?<=/)(?=[^/])", url)
    return escape.ZWSP.join(escape.text(part, start_of_line=False, strip=False) for part in parts)


def authors(names: list) -> tuple[str, str]:
    """(Markdown, raw) of the author list: 'A', 'A & B', 'A, B, & C'; with persons written
    'Sucahyo, Y. G.' the last one also follows a comma ('Sucahyo, Y. G., & Widiputra, H. D.')."""
    md = [_md(n) for n in names]
    raw = [_raw(n) for n in names]
    amp = _words("dan")
    if len(md) == 1:
        return md[0], raw[0]
    inverted = any("," in r for r in raw)
    sep = f", {amp} " if len(md) > 2 or inverted else f" {amp} "
    return ", ".join(md[:-1]) + sep + md[-1], ", ".join(raw[:-1]) + sep + raw[-1]


def when(source: m.Pustaka) -> str:
    """'(2021)', '(2019, 22 Februari)', or '(t.t.)' when the year is not known."""
    if source.tanggal is not None:
        day = source.tanggal
        return f"({source.tahun or day.year}, {day.day} {labels.month(day.month)})"
    return f"({source.tahun})" if source.tahun else f"({_words('tanpa_tahun')})"


def entry(source: m.Pustaka) -> str:
    """One reference as pandoc Markdown (one line)."""
    title_md, title_raw = _md(source.judul), _raw(source.judul)
    italic_title = source.jenis in _ITALIC_TITLE
    title = _end(_italic(title_md) if italic_title else title_md, title_raw)
    parts: list[str] = []
    if source.penulis:
        names_md, names_raw = authors(source.penulis)
        parts += [_end(names_md, names_raw), when(source) + ".", title]
    else:  # no author: the title takes the author's place
        parts += [title, when(source) + "."]
    if source.terbitan:
        container = _md(source.terbitan)
        parts.append(_end(container if italic_title else _italic(container), _raw(source.terbitan)))
    publisher = [_md(x) for x in (source.tempat, source.penerbit) if x]
    if publisher:
        last = source.penerbit or source.tempat
        parts.append(_end(": ".join(publisher), _raw(last)))
    if source.url:
        if source.diakses is not None:
            parts.append(_words("diakses").format(tanggal=_date(source.diakses), url=url_text(source.url)))
        else:
            parts.append(_words("tautan").format(url=url_text(source.url)))
    return " ".join(parts)


def _date(day: dt.date) -> str:
    return f"{day.day} {labels.month(day.month)} {day.year}"


def _collate(text: str) -> str:
    """A sort key that ignores case, accents and leading punctuation ('"Smart" City' with 'Smart')."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"^[^\w]+", "", folded)


def sort_key(source: m.Pustaka) -> tuple:
    """By author (the title when there is none), then year, works without a year first (APA), then
    date, then title."""
    first = authors(source.penulis)[1] if source.penulis else _raw(source.judul)
    return (_collate(first), _year(source), source.tanggal or dt.date.min, _collate(_raw(source.judul)))


def _year(source: m.Pustaka) -> int:
    """The year a source is cited by: `tahun`, else its date's; 0 for 't.t.'."""
    return source.tahun or (source.tanggal.year if source.tanggal else 0)


def identity(source: m.Pustaka) -> tuple:
    """What makes two entries the same source, for the duplicate check: authors, year, title
    (ignoring case, spacing and the final period)."""

    def norm(text: str) -> str:
        return " ".join(_collate(text).rstrip(". ").split())

    return (tuple(norm(_raw(a)) for a in source.penulis), _year(source), norm(_raw(source.judul)))
