"""Indonesian formats (PUEBI) for everything a reader sees: Rp1.250.000.000, 3,44, 4 Oktober 2022."""

from __future__ import annotations

import datetime as dt

from . import labels

_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip


def angka(value, decimals: int | None = None) -> str:
    """1250000 → '1.250.000'; 3.44 → '3,44'; with `decimals`, rounded to that many places."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if decimals is None:
        decimals = 0 if float(value).is_integer() else min(len(repr(float(value)).split(".")[1]), 2)
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def rupiah(value: int | None, spasi: bool = False) -> str:
    """PUEBI: 'Rp' with no period and no space (Rp1.250.000); `spasi` gives the style option."""
    if value is None:
        return "–"
    sign = "-" if value < 0 else ""
    return f"{sign}Rp{' ' if spasi else ''}{angka(abs(int(value)), 0)}"


def rupiah_ringkas(value: int) -> str:
    """Short form for charts and summaries: 'Rp1,25 miliar', 'Rp350 juta', 'Rp2,1 triliun'."""
    for unit, name in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta")):
        if abs(value) >= unit:
            x = value / unit
            text = angka(x, 2 if abs(x) < 10 else 1 if abs(x) < 100 else 0)
            if "," in text:
                text = text.rstrip("0").rstrip(",")
            return f"Rp{text} {name}"
    return rupiah(value)


def tanggal(value: dt.date | None) -> str:
    if value is None:
        return "–"
    return f"{value.day} {labels.month(value.month)} {value.year}"


def rentang_tanggal(start: dt.date, end: dt.date) -> str:
    """A span of days, the shared month and year written once: '4–5 Oktober 2022',
    '30 September–1 Oktober 2019', '30 Desember 2021–2 Januari 2022'; one day: '4 Oktober 2022'."""
    if start == end:
        return tanggal(start)
    if start.year != end.year:
        return f"{tanggal(start)}–{tanggal(end)}"
    if start.month != end.month:
        return f"{start.day} {labels.month(start.month)}–{tanggal(end)}"
    return f"{start.day}–{tanggal(end)}"


def bulan(value: str | None) -> str:
    """'2025-03' → 'Maret 2025'."""
    if not value:
        return "–"
    year, month = value.split("-")
    return f"{labels.month(int(month))} {year}"


def romawi(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def persen(value: float, decimals: int = 1) -> str:
    return f"{angka(round(value, decimals), decimals)}%"


_SATUAN = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
           "sebelas"]  # fmt: skip


def bilangan(n: int) -> str:
    """A count in words up to 99 (3 → 'tiga', 21 → 'dua puluh satu'); digits from 100."""
    if n < 12:
        return _SATUAN[n]
    if n < 20:
        return f"{_SATUAN[n - 10]} belas"
    if n < 100:
        return f"{_SATUAN[n // 10]} puluh" + (f" {_SATUAN[n % 10]}" if n % 10 else "")
    return angka(n)


def bil(n: int) -> str:
    """PUEBI: a count of one or two words is spelled out, a longer one written in digits."""
    return bilangan(n) if n < 20 or (n < 100 and n % 10 == 0) else angka(n)


def daftar(items, kata: str = "dan") -> str:
    """['a', 'b', 'c'] → 'a, b, dan c'; ['a', 'b'] → 'a dan b'."""
    items = [str(x) for x in items]
    if len(items) < 2:
        return "".join(items)
    comma = "," if len(items) > 2 else ""
    return ", ".join(items[:-1]) + f"{comma} {kata} {items[-1]}"
