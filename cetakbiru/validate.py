"""Check a composed YAML node tree against the model and build the model objects.

Two passes, both collecting every problem rather than stopping at the first:
1. `Walker` checks shape and types against the dataclasses of `model.py` (unknown and duplicate
   keys, wrong types, missing fields, controlled values) and builds the objects. A bad value becomes
   None so the second pass can still run.
2. `check_city` checks meaning: references, unique codes, years (and quick-win months) inside the
   period, the region's name and titles against its kind, and the warnings a reviewer would raise
   (unfunded years, budgets left at 0, parts of the plan not yet linked).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import typing
import unicodedata
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from . import fmt, labels, pictures, pustaka, richtext
from . import model as m
from .problems import Index, Report

INVALID = object()  # a value that was reported as wrong

_T = "tag:yaml.org,2002:"
_NAMES = {
    str: "teks",
    int: "bilangan bulat",
    float: "angka",
    bool: "nilai benar/salah (true atau false)",
    dt.date: "tanggal berformat TTTT-BB-HH, misalnya 2022-10-04",
}
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_KODE_WILAYAH_RE = re.compile(r"^\d{2}\.\d{2}$")
_COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
MAX_TEXT = 20_000  # characters of one value: about six pages; the longest in the samples is 2,446
_MAX_NUMBER = 64  # characters of a number worth reading as one; rupiah amounts have about 15 digits
_IMAGE_EXT = (".png", ".jpg", ".jpeg", ".svg")
PLACEHOLDER = "ISI:"
_STANDARD_TAGS = {_T + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}
# An academic degree written after a name ("S.Kom.", "M.Si.", "S.E.", "Ph.D.", "A.Md.Kom."): in a
# one-line [...] list, "Budi Santoso, S.Kom." becomes two items, the second one looking like this.
_DEGREE_RE = re.compile(r"^[A-Z][A-Za-z]{0,3}\.(?:[A-Z][A-Za-z]{0,4}\.?){1,2}$")


# A model written as one text where its fields are expected: how to write it instead.
_AS_TEXT = {
    m.Pustaka: "sumber pustaka ditulis berkolom, bukan sebagai satu teks, misalnya '- jenis: buku' lalu "
               "'penulis: [Kementerian Komunikasi dan Informatika]', 'tahun: 2021', 'judul: ...', 'tempat: Jakarta', "
               "'penerbit: ...'; buku menyusun gaya sitasinya sendiri (kolom lain: tanggal, terbitan, url, diakses; "
               "peraturan ditulis di `dasar_hukum`)",
}
# Text that stands for what is still to be written: '[Berita daring tentang ...]', 'ISI: ...', 'TODO',
# 'lorem ipsum', 'xxx'. A source is printed as typed, so none of it may reach the Daftar Pustaka.
_PLACEHOLDER_TEXT = re.compile(r"[\[\]]|(?-i:\bISI\b)|\bTODO\b|\bTBD\b|\blorem\b|\bx{3,}\b", re.I)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _quote(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "sebuah pemetaan (kunci: nilai)"
    if isinstance(node, yaml.SequenceNode):
        return "sebuah daftar"
    text = node.value if len(node.value) <= 60 else node.value[:57] + "..."
    return f"'{text}'" if text != "" else "kosong"


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _quoted(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style in ("'", '"')


def _plain_text(node: yaml.Node) -> bool:
    """A one-line plain (unquoted) text value, such as a name."""
    return isinstance(node, yaml.ScalarNode) and not node.style and node.tag == _T + "str"  # libyaml: '', not None


def _keyless(knode: yaml.Node, vnode: yaml.Node) -> bool:
    """An entry of a {...} mapping written without ':' (`{nama: Budi, S.Kom.}` reads 'S.Kom.' so)."""
    return (isinstance(vnode, yaml.ScalarNode) and vnode.tag == _T + "null" and vnode.value == ""
            and vnode.start_mark.index == knode.end_mark.index)


def _as_yaml_text(text: str) -> str:
    """`text` in quotes, as it should be typed in the file."""
    return f'"{text}"' if '"' not in text else "'" + text.replace("'", "''") + "'"


def _and(words: list[str]) -> str:
    """'a', 'a' dan 'b', 'a', 'b', dan 'c'."""
    quoted = [f"'{w}'" for w in words]
    if len(quoted) <= 2:
        return " dan ".join(quoted)
    return ", ".join(quoted[:-1]) + ", dan " + quoted[-1]


def _year_runs(years: list[int]) -> str:
    """2027, 2029–2034: sorted years, consecutive ones as a range."""
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


SUGGEST_BUDGET = 20_000  # candidate comparisons per file and pass (0.4 s at worst); a real file needs hundreds


class _Suggest:
    """The did-you-mean of one file: " (maksudnya 'X'?)" or "".

    difflib compares a word with every candidate, so a file with thousands of unknown codes among
    thousands of codes would take minutes. Each (list, word) is looked up once, and once the
    budget of comparisons is spent, no more suggestions are made: the checks stay linear."""

    def __init__(self, budget: int = SUGGEST_BUDGET):
        self.left = budget
        self._names: dict[Any, list[str]] = {}
        self._found: dict[tuple[Any, str], str] = {}

    def __call__(self, word, choices, key: Any) -> str:
        """`key` names `choices` (a reference kind, a class, a tuple of options) within the file."""
        word = str(word)
        if (key, word) in self._found:
            return self._found[key, word]
        names = self._names.get(key)
        if names is None:
            names = self._names[key] = [str(c) for c in choices]
        if len(names) > self.left:
            return ""  # not cached: a smaller list may still fit
        self.left -= len(names)
        found = self._found[key, word] = _suggest(word, names)
        return found


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (maksudnya '{close[0]}'?)" if close else ""


# Characters that change how a text reads without being seen. Bidirectional controls reorder what
# follows them (U+202E shows "4 Oktober 2022" as "2202 rebotkO 4"); other format characters hide
# inside words (zero-width space, word joiner, tag characters); control characters and line or
# paragraph separators only arrive through "\x.." escapes and break the books' markup. The soft
# hyphen, a hyphenation hint, is allowed; so are tab and newline.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_ALLOWED = frozenset("\t\n\u00ad")
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def hidden_character(text: str) -> str | None:
    """Why `text` cannot be used as it is (its first hidden or control character), or None."""
    if text.isascii():
        found = _ASCII_CONTROL.search(text)
        if found is None:
            return None
        char = found.group()
    else:  # each distinct character once: bounded by the alphabet, not the length
        bad = [c for c in set(text) if c not in _ALLOWED and unicodedata.category(c) in _HIDDEN_CATEGORIES]
        if not bad:
            return None
        char = min(bad, key=text.index)
    code = f"U+{ord(char):04X}"
    if char in _BIDI:
        return f"teks memuat karakter kendali arah {code} yang dapat membalik urutan teks; hapus karakter itu"
    category = unicodedata.category(char)
    if category == "Cc":
        return f"teks memuat karakter kendali {code}; hapus karakter itu"
    if category == "Cs":
        return f"teks memuat {code}, separuh pasangan surrogate yang bukan karakter; hapus karakter itu"
    return f"teks memuat karakter tak terlihat {code} yang dapat mengubah cara teks dibaca; hapus karakter itu"


@cache
def hints(cls) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


@cache
def fields(cls) -> dict[str, dataclasses.Field]:
    return {f.name: f for f in dataclasses.fields(cls)}


def is_required(fld: dataclasses.Field) -> bool:
    return fld.default is dataclasses.MISSING and fld.default_factory is dataclasses.MISSING


def unwrap(tp) -> tuple[Any, list]:
    """(base type, annotation markers) of a possibly Annotated type."""
    extras: list = []
    while typing.get_origin(tp) is Annotated:
        extras.extend(tp.__metadata__)
        tp = tp.__origin__
    return tp, extras


def optional_inner(tp):
    """X for Optional[X], else None."""
    if typing.get_origin(tp) is Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(tp)) == 2:
            return args[0]
    return None


def default_instance(cls, path: tuple = ()):
    """An instance with every default, nested dataclass fields included, standing at `path` (where
    the absent section would be written: a problem there is shown at its nearest written ancestor)."""
    kwargs = {}
    for name, fld in fields(cls).items():
        tp, _ = unwrap(hints(cls)[name])
        if dataclasses.is_dataclass(tp) and fld.default is None:
            kwargs[name] = default_instance(tp, path + (name,))
    obj = cls(**kwargs)
    obj._path = path
    return obj


class Walker:
    """Pass 1: node tree + type → model objects, reporting every mismatch."""

    def __init__(self, report: Report, base_dir: Path | None = None):
        self.report = report
        self.base_dir = base_dir
        self._ctor = SafeConstructor()
        self._seen: set[int] = set()
        self._suggest = _Suggest()
        self._served_pictures: dict[str, str] = {}  # published name -> picture path as written
        self._markdown_budget = richtext.FILE_BUDGET  # what markdown-it may parse in one file

    # entry point
    def build(self, node: yaml.Node, tp, path: tuple = ()) -> Any:
        self.report.pos.setdefault(path, _mark(node))
        if node.tag not in _STANDARD_TAGS:
            self.report.error(path, f"tag YAML '{node.tag.replace(_T, '!!')}' tidak didukung; hapus tag itu")
            return INVALID
        if id(node) in self._seen:
            self.report.error(path, "anchor/alias YAML (& dan *) tidak didukung; tulis nilainya langsung")
            return INVALID
        self._seen.add(id(node))
        return self._build(node, tp, path)

    def _build(self, node, tp, path):
        inner = optional_inner(tp)
        if inner is not None:
            if self._is_null(node):
                if any(isinstance(e, m.Kind) and e.name == "color" for e in unwrap(inner)[1]):
                    self.report.warn(path, "nilai kosong; warna seperti #1F4E79 harus diapit tanda kutip, "
                                     "karena '#' tanpa kutip memulai komentar")
                return None
            tp = inner
        base, extras = unwrap(tp)
        kind = next((e.name for e in extras if isinstance(e, m.Kind)), None)
        if dataclasses.is_dataclass(base):
            return self._dataclass(node, base, path)
        origin = typing.get_origin(base)
        if origin is list:
            return self._list(node, typing.get_args(base)[0], path)
        if origin is dict:
            k, v = typing.get_args(base)
            return self._dict(node, k, v, path)
        if not isinstance(node, yaml.ScalarNode):
            self.report.error(path, f"harus berupa {self._describe(base, kind)}, tertulis {_quote(node)}")
            return INVALID
        value = self._scalar(node, base, kind, path)
        if value is INVALID or value is None:
            return value
        for e in extras:
            if isinstance(e, m.Range) and not self._in_range(value, e, path, kind):
                return INVALID
        return value

    # containers
    def _dataclass(self, node, cls, path):
        if self._is_null(node):
            return None
        if not isinstance(node, yaml.MappingNode):
            hint = _AS_TEXT.get(cls) if isinstance(node, yaml.ScalarNode) else None
            self.report.error(path, hint or f"harus berupa pemetaan (kunci: nilai), tertulis {_quote(node)}")
            return INVALID
        flds = fields(cls)
        kwargs: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        misspelt: set[str] = set()
        # In a one-line {...}, a comma ends the value: `{nama: Budi Santoso, S.Kom.}` is `nama: Budi
        # Santoso` plus a field 'S.Kom.'. cut: [field, its value node, the pieces cut off after it].
        cut: list | None = None
        cuts: list[list] = []
        for knode, vnode in node.value:
            key = self._key_text(knode, path)
            if key is None:
                continue
            if cut is not None and key not in flds and _keyless(knode, vnode):
                if not cut[2]:
                    cuts.append(cut)
                cut[2].append(key)
                continue
            cut = [key, vnode, []] if node.flow_style and key in flds and _plain_text(vnode) else None
            kpath = path + (key,)
            if key in first_line:
                self.report.error(
                    kpath,
                    f"kunci '{key}' ganda (pertama di baris {first_line[key]}); YAML hanya menyimpan yang "
                    "terakhir sehingga isi yang pertama hilang: gabungkan keduanya",
                    at=_mark(knode),
                )
                continue
            first_line[key] = knode.start_mark.line + 1
            self.report.keypos[kpath] = _mark(knode)
            self.report.pos[kpath] = _mark(vnode)
            if knode.tag == _T + "merge" or key == "<<":
                self.report.error(kpath, "penggabungan YAML ('<<') tidak didukung; tulis kolomnya langsung",
                                  at=_mark(knode))
                continue
            if key not in flds:
                suggestion = self._suggest(key, flds, key=cls)
                self.report.error(kpath, f"kolom tidak dikenal '{key}'{suggestion}", at=_mark(knode))
                if suggestion:  # a misspelt field: do not also call the intended one missing
                    misspelt.add(suggestion.split("'")[1])
                continue
            kwargs[key] = self.build(vnode, hints(cls)[key], kpath)
        for key, vnode, pieces in cuts:
            whole = _as_yaml_text(", ".join([vnode.value, *pieces]))
            self.report.error(
                path + (key,),
                f"nilai terpotong oleh koma: dalam bentuk satu baris {{...}}, koma memisahkan kolom sehingga "
                f"{_and(pieces)} terbaca sebagai kolom tersendiri; apit seluruh nilai dengan tanda kutip: "
                f"{key}: {whole}",
            )
        for name, fld in flds.items():
            value = kwargs.get(name, dataclasses.MISSING)
            if value is INVALID:
                kwargs[name] = None if is_required(fld) else self._default(cls, name, fld, path + (name,))
                continue
            if isinstance(value, str) and not value.strip() and is_required(fld):
                self.report.error(path + (name,), f"kolom wajib '{name}' masih kosong")
                continue
            if value is dataclasses.MISSING or value is None:
                if is_required(fld):
                    if name in misspelt:
                        pass
                    elif value is None:
                        self.report.error(path + (name,), f"kolom wajib '{name}' masih kosong")
                    else:
                        self.report.error(path + (name,), f"kolom wajib '{name}' belum ada", at=_mark(node))
                    kwargs[name] = None
                else:
                    kwargs[name] = self._default(cls, name, fld, path + (name,))
        obj = cls(**kwargs)
        obj._path = path
        return obj

    def _default(self, cls, name, fld, path):
        tp, _ = unwrap(hints(cls)[name])
        if dataclasses.is_dataclass(tp) and fld.default is None:
            return default_instance(tp, path)
        if fld.default_factory is not dataclasses.MISSING:
            return fld.default_factory()
        return fld.default

    def _list(self, node, item_tp, path):
        if self._is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.report.error(path, f"harus berupa daftar (tiap butir diawali '- '), tertulis {_quote(node)}")
            return INVALID
        out = []
        if node.flow_style:
            self._split_names(node, path)
        for i, child in enumerate(node.value):
            p = path + (Index(i),)
            if self._is_null(child):
                self.report.error(p, "butir daftar kosong", at=_mark(child))
                continue
            value = self.build(child, item_tp, p)
            if value is not INVALID and value is not None:
                out.append(value)
        return out

    def _split_names(self, node, path):
        """In a one-line [...], a comma separates items: "[Budi Santoso, S.Kom.]" is two of them.
        An item that is only a degree, after a text item, was most likely part of it."""
        items = node.value
        i = 1
        while i < len(items):
            if _plain_text(items[i]) and _DEGREE_RE.match(items[i].value) and _plain_text(items[i - 1]):
                j = i
                while j + 1 < len(items) and _plain_text(items[j + 1]) and _DEGREE_RE.match(items[j + 1].value):
                    j += 1
                pieces = [n.value for n in items[i:j + 1]]
                whole = _as_yaml_text(", ".join([items[i - 1].value, *pieces]))
                self.report.warn(
                    path + (Index(i),),
                    f"butir {_and(pieces)} tampak seperti gelar yang terpisah dari butir sebelumnya: dalam bentuk "
                    f"satu baris [...], koma memisahkan butir; bila semuanya satu nama, apit dengan tanda kutip: "
                    f"{whole}",
                    at=_mark(items[i]),
                )
                i = j + 1
            else:
                i += 1

    def _dict(self, node, key_tp, value_tp, path):
        if self._is_null(node):
            return {}
        if not isinstance(node, yaml.MappingNode):
            self.report.error(path, f"harus berupa pemetaan (kunci: nilai), tertulis {_quote(node)}")
            return INVALID
        key_base, key_extras = unwrap(key_tp)
        is_year = any(isinstance(e, m.Kind) and e.name == "year" for e in key_extras)
        out = {}
        first_line: dict[Any, int] = {}
        for knode, vnode in node.value:
            text = self._key_text(knode, path)
            if text is None:
                continue
            if is_year:
                if not re.fullmatch(r"\d{4}", text) or not 1945 <= int(text) <= 2100:
                    self.report.error(path + (text,), f"kunci harus tahun empat digit, tertulis '{text}'",
                                      at=_mark(knode))
                    continue
                key = int(text)
            else:
                key = text
            kpath = path + (key,)
            if key in first_line:
                self.report.error(
                    kpath,
                    f"kunci '{text}' ganda (pertama di baris {first_line[key]}); YAML hanya menyimpan yang "
                    "terakhir sehingga isi yang pertama hilang: gabungkan keduanya",
                    at=_mark(knode),
                )
                continue
            first_line[key] = knode.start_mark.line + 1
            self.report.keypos[kpath] = _mark(knode)
            self.report.pos[kpath] = _mark(vnode)
            value = self.build(vnode, value_tp, kpath)
            if value is None:
                self.report.error(kpath, "nilai masih kosong")
            elif value is not INVALID:
                out[key] = value
        return out

    def _key_text(self, knode, path):
        if not isinstance(knode, yaml.ScalarNode):
            self.report.error(path, "kunci harus berupa teks sederhana", at=_mark(knode))
            return None
        problem = hidden_character(knode.value)
        if problem:  # the key is not shown: it holds the character
            self.report.error(path, problem.replace("teks memuat", "kunci memuat", 1), at=_mark(knode))
            return None
        return knode.value

    # scalars
    def _is_null(self, node) -> bool:
        return isinstance(node, yaml.ScalarNode) and node.tag == _T + "null"

    def _construct(self, node, path):
        """The Python value of a scalar node, for the standard YAML tags only."""
        tag = node.tag
        try:
            if tag == _T + "str":
                return node.value
            if tag == _T + "null":
                return None
            if tag == _T + "bool":
                return self._ctor.construct_yaml_bool(node)
            if tag == _T + "int":
                if len(node.value) > _MAX_NUMBER:  # base 60 (1:2:3:...) is quadratic to construct
                    return node.value
                return self._ctor.construct_yaml_int(node)
            if tag == _T + "float":
                return self._ctor.construct_yaml_float(node)
            if tag == _T + "timestamp":
                return self._ctor.construct_yaml_timestamp(node)
        except (ConstructorError, ValueError, OverflowError):
            return node.value
        self.report.error(path, f"tag YAML '{tag}' tidak didukung")
        return INVALID

    def _describe(self, base, kind) -> str:
        if kind == "money":
            return "bilangan bulat rupiah"
        if kind == "value":
            return "angka atau teks singkat"
        if typing.get_origin(base) is Literal:
            return "salah satu dari: " + ", ".join(map(str, typing.get_args(base)))
        return _NAMES.get(base, "nilai tunggal")

    def _scalar(self, node, base, kind, path):
        # every scalar value of a city passes here, whatever its type
        if len(node.value) > MAX_TEXT:
            self.report.error(path, f"teks terlalu panjang: {_thousands(len(node.value))} karakter, padahal batasnya "
                              f"{_thousands(MAX_TEXT)} karakter per kolom; ringkas teksnya")
            return INVALID
        problem = hidden_character(node.value)
        if problem:
            self.report.error(path, problem)
            return INVALID
        value = self._construct(node, path)
        if value is INVALID:
            return value
        if value is None:
            return None
        raw = node.value
        if typing.get_origin(base) is Literal:
            options = typing.get_args(base)
            if raw in options:
                return raw
            self.report.error(
                path,
                f"nilai '{raw}' tidak dikenal{self._suggest(raw, options, key=options)}; pilihan: {', '.join(options)}",
            )
            return INVALID
        if kind == "value":
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                return raw
            return value
        if base is str:
            return self._text(node, raw, kind, path)
        if base is bool:
            if isinstance(value, bool):
                return value
            self.report.error(path, f"harus true atau false, tertulis '{raw}'")
            return INVALID
        if base is int:
            return self._int(node, value, raw, kind, path)
        if base is float:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
            if _quoted(node) and re.fullmatch(r"-?\d+(?:[.,]\d+)?", raw):
                if "," in raw:
                    self.report.error(path, "harus angka, bukan teks: hapus tanda kutip dan tulis "
                                      f"{raw.replace(',', '.')} (di YAML pemisah desimal adalah titik; buku tetap "
                                      "menampilkan koma)")
                else:
                    self.report.error(path, f"harus angka, bukan teks: hapus tanda kutip pada '{raw}'")
                return INVALID
            hint = ""
            if re.fullmatch(r"-?\d+,\d+", raw):
                hint = f"; di YAML pemisah desimal adalah titik: {raw.replace(',', '.')} (buku tetap menampilkan koma)"
            self.report.error(path, f"harus angka, tertulis '{raw}'{hint}")
            return INVALID
        if base is dt.date:
            if isinstance(value, dt.datetime):
                return value.date()
            if isinstance(value, dt.date):
                return value
            self.report.error(path, f"harus tanggal berformat TTTT-BB-HH, misalnya 2022-10-04; tertulis '{raw}'")
            return INVALID
        raise TypeError(f"unsupported model type {base!r} at {path}")  # a bug in model.py, not in the input

    def _int(self, node, value, raw, kind, path):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if node.tag == _T + "int" and isinstance(value, str):  # a number too long to be read as one
            self.report.error(path, f"bilangan terlalu panjang ({len(raw)} karakter), tertulis {_quote(node)}")
            return INVALID
        if kind in ("money", "year") and _quoted(node) and re.fullmatch(r"\d+", raw):
            what = "bilangan bulat rupiah" if kind == "money" else "tahun"
            self.report.error(path, f"harus {what}, bukan teks: hapus tanda kutip pada '{raw}'")
            return INVALID
        if kind == "money":
            grouped = len(raw) <= _MAX_NUMBER and re.fullmatch(
                r"(?:Rp\.?\s*)?(\d{1,3}(?:[.,]\d{3})+|\d+)(?:,00)?", raw.strip(), re.I)
            if grouped:  # "Rp1.500.000", "1.500", "1,500,000": thousands separators
                digits = re.sub(r"\D", "", grouped.group(1))
                self.report.error(
                    path,
                    f"harus bilangan bulat rupiah tanpa 'Rp', titik, koma, atau desimal, tertulis '{raw}'; "
                    f"bila maksudnya {_thousands(int(digits))} rupiah tulis: {digits}",
                )
                return INVALID
            if isinstance(value, float):
                self.report.error(path, f"harus bilangan bulat rupiah tanpa desimal, tertulis '{raw}'")
                return INVALID
            self.report.error(path, f"harus bilangan bulat rupiah, tertulis {_quote(node)}")
            return INVALID
        if kind == "year":
            self.report.error(path, f"harus tahun empat digit, misalnya 2025; tertulis {_quote(node)}")
            return INVALID
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            self.report.error(path, f"harus bilangan bulat, bukan teks: hapus tanda kutip pada '{raw}'")
            return INVALID
        self.report.error(path, f"harus bilangan bulat, tertulis {_quote(node)}")
        return INVALID

    def _text(self, node, raw, kind, path):
        if raw.startswith(PLACEHOLDER) and path[:1] != ("pustaka",):  # there pass 2 refuses it (bibliography)
            self.report.warn(path, "masih berisi teks contoh 'ISI: ...'; ganti dengan isian sebenarnya")
        if kind is None:
            return raw
        if kind == "id" and not _ID_RE.match(raw):
            self.report.error(
                path,
                f"kode '{raw}' hanya boleh berisi huruf, angka, titik, garis bawah, dan tanda hubung "
                "(tanpa spasi), diawali huruf atau angka, paling panjang 64 karakter",
            )
            return INVALID
        if kind == "markdown":
            cost = richtext.cost(raw)
            if cost > self._markdown_budget:
                self.report.error(path, "teks berformat di berkas ini terlalu panjang atau memuat terlalu banyak tanda "
                                  "Markdown untuk diperiksa; pindahkan uraian yang sangat panjang ke lampiran dokumen")
                self._markdown_budget = 0
                return INVALID
            self._markdown_budget -= cost
            first = node.start_mark.line + (2 if node.style in ("|", ">") else 1)
            block = node.style in ("|", ">")
            for offset, msg in richtext.problems(raw):
                # block text usually sits two spaces right of its key
                col = self.report.where(path, key=True)[1] + 2 if block else node.start_mark.column + 1
                self.report.error(path, msg, at=(first + offset, col))
            return raw
        if kind == "month":
            if not _MONTH_RE.match(raw):
                self.report.error(path, f"harus bulan berformat TTTT-BB, misalnya \"2025-03\"; tertulis '{raw}'")
                return INVALID
            return raw
        if kind == "url":
            if not re.match(r"^https?://[^\s<>\"']+$", raw):
                self.report.error(path, f"tautan harus diawali https:// atau http:// dan tanpa spasi; tertulis '{raw}'")
                return INVALID
            return raw
        if kind == "kode_wilayah":
            if not _KODE_WILAYAH_RE.match(raw):
                self.report.error(path,
                                  f"kode wilayah Kemendagri berformat NN.NN, misalnya \"21.72\"; tertulis '{raw}'")
                return INVALID
            return raw
        if kind == "color":
            if not _COLOR_RE.match(raw):
                self.report.error(path, f"warna berformat heksadesimal #RRGGBB, misalnya \"#1F4E79\"; tertulis '{raw}'")
                return INVALID
            return raw
        if kind == "path":
            return self._image_path(raw, path)
        return raw

    def _image_path(self, raw, path):
        if raw.startswith(("/", "\\")) or "\\" in raw or ".." in raw.split("/") or ":" in raw:
            self.report.error(path,
                              f"berkas gambar harus ditulis relatif terhadap folder kota, tanpa '..'; tertulis '{raw}'")
            return INVALID
        if not re.fullmatch(r"[A-Za-z0-9._/-]+", raw):
            self.report.error(path, "nama berkas gambar hanya boleh berisi huruf, angka, titik, garis bawah, "
                              f"tanda hubung, dan '/'; tertulis '{raw}'")
            return INVALID
        if not raw.lower().endswith(_IMAGE_EXT):
            self.report.error(path, f"berkas gambar harus PNG, JPG, atau SVG; tertulis '{raw}'")
            return INVALID
        if self.base_dir is not None:
            # opened without following symbolic links, and decoded: the picture is what it claims
            found = pictures.problems(self.base_dir, raw)
            for message in found:
                self.report.error(path, message)
            if found:
                return INVALID
        # an SVG is published as a PNG of the same stem: two pictures must not meet under one name
        served = pictures.served_name(raw)
        other = self._served_pictures.setdefault(served, raw)
        if other != raw:
            self.report.error(path, f"berkas gambar '{raw}' dan '{other}' sama-sama diterbitkan sebagai '{served}' "
                              "(SVG juga dibuat menjadi PNG bernama sama); ganti nama salah satunya")
            return INVALID
        return raw

    def _in_range(self, value, rng: m.Range, path, kind) -> bool:
        lo, hi = rng.lo, rng.hi
        if (lo is None or value >= lo) and (hi is None or value <= hi):
            return True
        if kind == "money":
            self.report.error(path, f"anggaran tidak boleh negatif, tertulis {value}")
        elif kind == "year":
            self.report.error(path, f"tahun {value} tidak masuk akal (harus antara {lo} dan {hi})")
        elif hi is None:
            self.report.error(path, f"harus paling kecil {lo}, tertulis {value}")
        else:
            self.report.error(path, f"harus antara {lo:g} dan {hi:g}, tertulis {value:g}")
        return False


def build(node: yaml.Node, cls, report: Report, base_dir: Path | None = None):
    """Pass 1 on a whole file: the root object (None if the root is not a mapping)."""
    value = Walker(report, base_dir).build(node, cls, ())
    return None if value is INVALID else value


# --- pass 2: meaning ----------------------------------------------------------------------

# What each reference kind points at, as a consultant would look it up.
REF_LABELS = {
    "opd": "OPD di daftar `opd`",
    "misi": "misi di daftar `misi`",
    "tujuan": "tujuan di daftar `tujuan`",
    "strategi": "strategi di daftar `strategi`",
    "program": "program di daftar `program`",
    "isu": "isu di daftar `isu_strategis`",
    "dimensi": "dimensi (data/kerangka.yaml)",
    "sub_dimensi": "subdimensi (data/kerangka.yaml atau `sub_dimensi_lokal`)",
    "sumber_dana": "sumber dana (data/sumber_dana.yaml)",
    "elemen": "elemen kesiapan (data/elemen_kesiapan.yaml)",
    "sub_elemen": "subelemen kesiapan (data/elemen_kesiapan.yaml)",
    "dimensi_evaluasi": "dimensi evaluasi (data/evaluasi.yaml)",
    "lingkup_swot": "elemen kesiapan, dimensi, atau 'umum'",
}

# Lists whose items carry a `kode` that must be unique.
CODED_LISTS = ["opd", "misi", "tujuan", "sasaran", "strategi", "program", "rencana_aksi", "quick_win",
               "isu_strategis", "sub_dimensi_lokal"]  # fmt: skip


def iter_refs(obj, tp, path):
    """Every (path, code, kind, is_key) held by a `Ref`-annotated value inside `obj`."""
    if obj is None:
        return
    inner = optional_inner(tp)
    if inner is not None:
        tp = inner
    base, extras = unwrap(tp)
    ref = next((e for e in extras if isinstance(e, m.Ref)), None)
    if ref is not None:
        yield path, obj, ref.kind, False
        return
    if isinstance(base, type) and dataclasses.is_dataclass(base):
        for name in fields(base):
            yield from iter_refs(getattr(obj, name), hints(base)[name], path + (name,))
        return
    origin = typing.get_origin(base)
    if origin is list:
        (item_tp,) = typing.get_args(base)
        for item in obj:
            yield from iter_refs(item, item_tp, item._path if hasattr(item, "_path") else path)
    elif origin is dict:
        key_tp, value_tp = typing.get_args(base)
        key_ref = next((e for e in unwrap(key_tp)[1] if isinstance(e, m.Ref)), None)
        for key, value in obj.items():
            if key_ref is not None:
                yield path + (key,), key, key_ref.kind, True
            yield from iter_refs(value, value_tp, path + (key,))


def _years(a, b) -> str:
    return f"{a}–{b}"


# The first cohort of the Gerakan Menuju 100 Smart City (domain.md §1).
FIRST_COHORT = 2017

# A region's name written with its kind: "Kota Bogor", "Kabupaten Bogor", "Kab. Bogor", "Kotamadya Bogor".
REGION_KIND_PREFIX = re.compile(r"^(kotamadya|kota|kabupaten|kab\.?)\s+(\S.*)$", re.I)


def _title_re(title: str) -> re.Pattern:
    """'Wali Kota' as a word, also written 'Walikota' or 'Wali-Kota', in any case."""
    return re.compile(r"\b" + re.escape(title).replace(r"\ ", r"[\s-]?") + r"\b", re.I)


class CityChecker:
    """Pass 2 over one built Masterplan."""

    def __init__(self, plan: m.Masterplan, catalog, report: Report):
        self.plan, self.catalog, self.report = plan, catalog, report
        self.registry = self._registry()
        self._suggest = _Suggest()

    def _registry(self) -> dict[str, dict[str, Any]]:
        p, c = self.plan, self.catalog
        subdims = {code: dim for code, (dim, _) in c.sub_dimensions.items()}
        subdims.update({s.kode: s.dimensi for s in p.sub_dimensi_lokal if s.kode})
        return {
            "opd": {o.kode: o for o in p.opd},
            "misi": {x.kode: x for x in p.misi},
            "tujuan": {x.kode: x for x in p.tujuan},
            "strategi": {x.kode: x for x in p.strategi},
            "program": {x.kode: x for x in p.program},
            "isu": {x.kode: x for x in p.isu_strategis},
            "dimensi": c.dimensions,
            "sub_dimensi": subdims,
            "sumber_dana": c.funding_sources,
            "elemen": c.elements,
            "sub_elemen": {code: el for code, (el, _) in c.sub_elements.items()},
            "dimensi_evaluasi": c.evaluation_dimensions,
            "lingkup_swot": {**c.elements, **c.dimensions, "umum": None},
        }

    def run(self) -> None:
        self.unique_codes()
        self.references()
        self.periods()
        self.consistency()
        self.region()
        self.participation()
        self.warnings()
        self.budgets()
        self.dates()
        self.bibliography()

    def unique_codes(self) -> None:
        for name in CODED_LISTS:
            seen: dict[str, Any] = {}
            for item in getattr(self.plan, name):
                code = item.kode
                if code is None:
                    continue
                if code in seen:
                    line = self.report.where(seen[code]._path)[0]
                    self.report.error(item._path + ("kode",), f"kode '{code}' sudah dipakai di baris {line}")
                else:
                    seen[code] = item
        framework = self.catalog.sub_dimensions
        for s in self.plan.sub_dimensi_lokal:
            if s.kode in framework:
                self.report.error(s._path + ("kode",),
                                  f"kode '{s.kode}' sudah dipakai subdimensi baku {framework[s.kode][1].nama}")
        seen_tables: set[str] = set()
        for t in self.plan.daerah.tabel if self.plan.daerah else ():
            if t.kode in seen_tables:
                self.report.error(t._path + ("kode",), f"kode tabel '{t.kode}' ganda")
            seen_tables.add(t.kode)

    def references(self) -> None:
        for path, code, kind, is_key in iter_refs(self.plan, m.Masterplan, ()):
            if code is None or code in self.registry[kind]:
                continue
            self.report.error(
                path,
                f"kode '{code}' tidak ada: harus salah satu {REF_LABELS[kind]}"
                f"{self._suggest(code, self.registry[kind], key=kind)}",
                key=is_key,
            )

    # years
    def periods(self) -> None:
        p = self.plan
        per = p.dokumen.periode if p.dokumen else None
        lo: int | None = None
        hi: int | None = None  # the masterplan's years, when both are known and in order
        if per and per.mulai and per.selesai:
            if per.mulai > per.selesai:
                self.report.error(per._path + ("selesai",),
                                  f"tahun selesai {per.selesai} mendahului tahun mulai {per.mulai}")
            else:
                lo, hi = per.mulai, per.selesai
                if hi - lo > 25:
                    self.report.warn(per._path, f"masa berlaku {hi - lo + 1} tahun; masterplan biasanya sepuluh tahun")

        def inside(year, path, what, *, key=False, span=None):
            a, b = span or (lo, hi)
            if year is None or a is None or b is None or a <= year <= b:
                return
            where = "masa pelaksanaan " + what if span else "masa berlaku masterplan"
            self.report.error(path, f"tahun {year} di luar {where} ({_years(a, b)})", key=key)

        for ranged in [*p.program, *(p.peta_jalan.fase if p.peta_jalan else [])]:
            a_name, b_name = ("tahun_mulai", "tahun_selesai") if isinstance(ranged, m.Program) else ("mulai", "selesai")
            a, b = getattr(ranged, a_name), getattr(ranged, b_name)
            inside(a, ranged._path + (a_name,), "")
            inside(b, ranged._path + (b_name,), "")
            if a is not None and b is not None and a > b:
                self.report.error(ranged._path + (b_name,), f"tahun selesai {b} mendahului tahun mulai {a}")
        programs = self.registry["program"]
        for ra in p.rencana_aksi:
            prog = programs.get(ra.program)
            span = None
            what = ""
            if prog is not None and prog.tahun_mulai and prog.tahun_selesai and prog.tahun_mulai <= prog.tahun_selesai:
                span, what = (prog.tahun_mulai, prog.tahun_selesai), f"program {prog.kode}"
            for field_name in ("target", "anggaran"):
                for year in getattr(ra, field_name):
                    inside(year, ra._path + (field_name, year), what, key=True, span=span)
        for s in p.sasaran:
            for ind in s.indikator:
                for year in ind.target:
                    inside(year, ind._path + ("target", year), "", key=True)
        for q in p.quick_win:
            inside(q.tahun, q._path + ("tahun",), "")
            for j in q.jadwal:
                if j.mulai and j.selesai and j.mulai > j.selesai:
                    self.report.error(j._path + ("selesai",),
                                      f"bulan selesai {j.selesai} mendahului bulan mulai {j.mulai}")
                for field_name in ("mulai", "selesai"):
                    self._schedule_month(q, j, field_name, lo, hi)
        for e in p.evaluasi:
            if e.tanggal and e.tahun and e.tanggal.year < e.tahun:
                self.report.error(e._path + ("tanggal",),
                                  f"tanggal surat {e.tanggal.isoformat()} mendahului tahun evaluasi ({e.tahun})")
            self._evaluation(e)
        for t in p.peta_jalan.tonggak if p.peta_jalan else ():
            inside(t.tahun, t._path + ("tahun",), "")
        for obj in self._all_periode():
            if obj.mulai is not None and obj.selesai is not None and obj.mulai > obj.selesai:
                self.report.error(obj._path + ("selesai",),
                                  f"tahun selesai {obj.selesai} mendahului tahun mulai {obj.mulai}")

    def _evaluation(self, e: m.Evaluasi) -> None:
        """An evaluation's own dates: the field visit is a range inside the evaluation's year and before
        its letter; the period assessed does not lie after the evaluation."""
        visit = e.kunjungan
        if visit is not None and visit.mulai and visit.selesai:
            if visit.selesai < visit.mulai:
                self.report.error(visit._path + ("selesai",), f"tanggal selesai kunjungan lapangan "
                                  f"{visit.selesai.isoformat()} mendahului tanggal mulai {visit.mulai.isoformat()}")
            elif e.tahun and not visit.mulai.year == visit.selesai.year == e.tahun:
                outside = visit.mulai if visit.mulai.year != e.tahun else visit.selesai
                field_name = "mulai" if outside is visit.mulai else "selesai"
                self.report.error(visit._path + (field_name,), f"kunjungan lapangan tanggal {outside.isoformat()} "
                                  f"di luar tahun evaluasi ({e.tahun})")
            elif e.tanggal and e.tanggal < visit.selesai:
                self.report.error(e._path + ("tanggal",),
                                  f"tanggal surat {e.tanggal.isoformat()} mendahului akhir kunjungan lapangan "
                                  f"({visit.selesai.isoformat()}); surat hasil evaluasi terbit sesudah kunjungan")
        per = e.periode
        if per is not None and per.tahun and e.tahun and per.tahun > e.tahun:
            self.report.error(per._path + ("tahun",),
                              f"periode yang dinilai ({per.tahun}) sesudah tahun evaluasi ({e.tahun}); evaluasi "
                              "menilai pelaksanaan tahun berjalan atau tahun sebelumnya")

    def _schedule_month(self, q: m.QuickWin, j: m.JadwalKegiatan, field_name: str, lo, hi) -> None:
        """A month of a quick win's schedule: inside the masterplan's years, from the quick win's year,
        and (a warning) within two years, since a quick win is a programme of one to two years."""
        month = getattr(j, field_name)
        if not month:
            return
        year = int(month[:4])
        path = j._path + (field_name,)
        if lo is not None and hi is not None and not lo <= year <= hi:
            self.report.error(path, f"bulan {month} di luar masa berlaku masterplan ({_years(lo, hi)})")
        elif q.tahun is not None and year < q.tahun:
            self.report.error(path, f"bulan {month} mendahului tahun pelaksanaan quick win ({q.tahun})")
        elif q.tahun is not None and year > q.tahun + 1:
            self.report.warn(path, f"bulan {month} melewati akhir {q.tahun + 1}: quick win tahun {q.tahun} adalah "
                             "program percepatan yang selesai dalam satu sampai dua tahun")

    def _all_periode(self):
        r = self.plan.rujukan_perencanaan
        if r is None:
            return []
        out = [x.periode for x in r.renstra_opd if x.periode]
        if r.rpjmd and r.rpjmd.periode:
            out.append(r.rpjmd.periode)
        return out

    def consistency(self) -> None:
        p, reg = self.plan, self.registry
        doc, daerah = p.dokumen, p.daerah
        if doc and doc.status == "ditetapkan" and p.penetapan is None:
            self.report.error(doc._path + ("status",),
                              "status 'ditetapkan' memerlukan kolom `penetapan` (peraturan penetapannya)")
        if doc and doc.ilustratif and not doc.catatan_ilustratif:
            self.report.error(doc._path + ("catatan_ilustratif",),
                              "dokumen ilustratif wajib menjelaskan bagian mana yang rekaan di `catatan_ilustratif`")
        if p.penetapan and daerah and daerah.jenis:
            expected = {"kota": "Perwali", "kabupaten": "Perbup"}[daerah.jenis]
            if p.penetapan.jenis not in (expected, "Perda"):
                self.report.error(p.penetapan._path + ("jenis",), f"{daerah.jenis} menetapkan masterplan dengan "
                                  f"{expected} atau Perda, bukan {p.penetapan.jenis}")
        pen = p.penetapan
        if (pen and pen.tanggal_ditetapkan and pen.tanggal_diundangkan
                and pen.tanggal_diundangkan < pen.tanggal_ditetapkan):
            self.report.error(pen._path + ("tanggal_diundangkan",), "tanggal diundangkan mendahului tanggal ditetapkan")
        if pen and pen.tanggal_ditetapkan and pen.tahun and pen.tanggal_ditetapkan.year != pen.tahun:
            self.report.error(pen._path + ("tanggal_ditetapkan",),
                              f"tanggal ditetapkan tidak jatuh pada tahun peraturan ({pen.tahun})")
        if doc:
            seen_books: set[str] = set()
            seen_slugs: set[str] = set()
            for b in doc.buku:
                if b.nomor and not re.fullmatch(r"[IVXLC]{1,7}", b.nomor):
                    # the number is part of the book's file name
                    self.report.error(b._path + ("nomor",), "nomor buku harus angka Romawi huruf besar, misalnya III")
                elif b.nomor and b.nomor in seen_books:
                    self.report.error(b._path + ("nomor",), f"nomor buku '{b.nomor}' ganda")
                if b.nomor:
                    seen_books.add(b.nomor)
                slug = f"{b.jenis}-{b.nomor}" if b.judul else b.jenis
                if slug in seen_slugs:
                    self.report.error(b._path + ("jenis",),
                                      f"buku jenis '{b.jenis}' ganda: beri buku kedua `judul` dan `nomor` sendiri")
                seen_slugs.add(slug)
        for t in daerah.tabel if daerah else ():
            for i, row in enumerate(t.baris):
                if t.kolom and len(row) != len(t.kolom):
                    self.report.error(t._path + ("baris", Index(i)),
                                      f"baris berisi {len(row)} sel, padahal tabel memiliki {len(t.kolom)} kolom")
        # subdimensions belong to the dimension they are used with
        subdims = reg["sub_dimensi"]

        def same_dimension(obj, dim, field_name="sub_dimensi"):
            code = getattr(obj, field_name)
            if code and dim in reg["dimensi"] and code in subdims and subdims[code] != dim:
                self.report.error(obj._path + (field_name,),
                                  f"subdimensi '{code}' milik dimensi {subdims[code]}, bukan {dim}")

        for s in p.strategi:
            same_dimension(s, s.dimensi)
        for prog in p.program:
            strat = reg["strategi"].get(prog.strategi)
            same_dimension(prog, strat.dimensi if strat else None)
        for q in p.quick_win:
            same_dimension(q, q.dimensi)
            parent = reg["program"].get(q.program) if q.program else None
            strat = reg["strategi"].get(parent.strategi) if parent else None
            if parent and strat and q.dimensi and strat.dimensi != q.dimensi:
                self.report.error(q._path + ("program",),
                                  f"program {parent.kode} berada di dimensi {strat.dimensi}, bukan {q.dimensi}")
        for k in p.kesiapan:
            owner = reg["sub_elemen"].get(k.sub_elemen)
            if owner and k.elemen and owner != k.elemen:
                self.report.error(k._path + ("sub_elemen",),
                                  f"subelemen '{k.sub_elemen}' milik elemen {owner}, bukan {k.elemen}")

    def participation(self) -> None:
        """The region's entry into the programme comes before the document and the first evaluation."""
        p = self.plan
        k = p.keikutsertaan
        if k is None:
            return
        if k.angkatan is not None and k.angkatan < FIRST_COHORT:
            self.report.error(k._path + ("angkatan",), f"angkatan {k.angkatan} mendahului angkatan pertama Gerakan "
                              f"Menuju Smart City ({FIRST_COHORT})")
        elif k.angkatan is not None and k.tanggal is not None and k.tanggal.year > k.angkatan:
            self.report.error(k._path + ("tanggal",),
                              f"nota kesepakatan tanggal {k.tanggal.isoformat()} sesudah tahun angkatan "
                              f"({k.angkatan}); angkatan adalah tahun daerah mulai ikut gerakan: "
                              "perbaiki salah satunya")
        if k.tanggal is None:
            return
        doc = p.dokumen
        if doc and doc.tanggal and k.tanggal > doc.tanggal:
            self.report.error(k._path + ("tanggal",),
                              f"nota kesepakatan tanggal {k.tanggal.isoformat()} sesudah tanggal dokumen "
                              f"({doc.tanggal.isoformat()}); masterplan disusun sesudah daerah ikut gerakan")
            return
        evaluations = [e for e in p.evaluasi if e.tahun]
        if not evaluations:
            return
        first = min(evaluations, key=lambda e: (e.tahun, e.kunjungan.mulai if e.kunjungan and e.kunjungan.mulai
                                                 else dt.date(e.tahun, 1, 1)))
        visit = first.kunjungan.mulai if first.kunjungan and first.kunjungan.mulai else None
        if first.tahun < k.tanggal.year:
            when = f"tahun {first.tahun}"
        elif visit is not None and visit < k.tanggal:
            when = f"kunjungan lapangan {visit.isoformat()}"
        else:
            return
        self.report.error(k._path + ("tanggal",), f"nota kesepakatan tanggal {k.tanggal.isoformat()} sesudah "
                          f"evaluasi pertama ({when}); daerah dievaluasi sesudah ikut gerakan")

    def region(self) -> None:
        """The region's name and its heads' titles agree with its kind (`daerah.jenis`)."""
        d = self.plan.daerah
        if d is None or d.jenis is None:
            return
        kinds = labels.region_kinds()  # {'kota': 'Kota', 'kabupaten': 'Kabupaten'}
        found = REGION_KIND_PREFIX.match(d.nama) if d.nama else None
        if found:
            written, rest = found.groups()
            kind = "kota" if written.lower().startswith("kota") else "kabupaten"
            message = (f"tulis nama tanpa '{written}' (nama: {rest}), karena buku menambahkan jenis daerah di "
                       f"depannya: kini tertulis '{kinds[d.jenis]} {d.nama}'")
            if kind != d.jenis and kind in kinds:
                message += f" (bila daerah ini {kinds[kind].lower()}, ubah juga `jenis` menjadi {kind})"
            self.report.error(d._path + ("nama",), message)
        own = labels.region_words(d.jenis)
        for field_name, role, who in (("kepala_daerah", "kepala", "kepala daerah"),
                                      ("wakil_kepala_daerah", "wakil", "wakil kepala daerah")):
            person = getattr(d, field_name)
            if person is None or not person.jabatan:
                continue
            for other in kinds:
                words = labels.region_words(other)
                if other != d.jenis and _title_re(words["kepala"]).search(person.jabatan):
                    self.report.error(
                        person._path + ("jabatan",),
                        f"jabatan '{person.jabatan}' tidak cocok dengan `jenis: {d.jenis}`: {who} {d.jenis} disebut "
                        f"{own[role]}, bukan {words[role]}; perbaiki jabatannya, atau ubah `jenis` bila daerah ini "
                        f"{other}",
                    )
                    break

    def budgets(self) -> None:
        """Warnings on the indicative budget: amounts left at 0, years of the period without money."""
        p = self.plan
        by_year: dict[int, int] = {}
        written = False
        for ra in p.rencana_aksi:
            for year, by_source in ra.anggaran.items():
                for value in by_source.values():
                    written = True
                    by_year[year] = by_year.get(year, 0) + value
        total = sum(by_year.values())
        if written and total == 0:
            self.report.warn(("rencana_aksi",), "semua indikasi anggaran rencana aksi bernilai 0; isi perkiraan "
                             "biaya setiap kegiatan dalam rupiah", key=True)
            return
        for ra in p.rencana_aksi:
            amounts = [value for by_source in ra.anggaran.values() for value in by_source.values()]
            if ra.kode and amounts and not any(amounts):
                self.report.warn(ra._path + ("anggaran",), f"semua indikasi anggaran kegiatan {ra.kode} bernilai 0; "
                                 "isi perkiraan biayanya dalam rupiah")
        per = p.dokumen.periode if p.dokumen else None
        if not total or per is None or per.mulai is None or per.selesai is None or per.mulai > per.selesai:
            return
        missing = [y for y in range(per.mulai, per.selesai + 1) if not by_year.get(y)]
        if missing:
            self.report.warn(per._path, f"tahun {_year_runs(missing)} belum memiliki indikasi anggaran di rencana aksi "
                             f"mana pun, padahal termasuk masa berlaku masterplan ({_years(per.mulai, per.selesai)})")

    def dates(self) -> None:
        """Dated things against each other and the document's date: a regulation's date in its year,
        an amendment after what it amends; data of a year after the document, which its books leave
        out (`derive.as_of`) while the site shows it."""
        p = self.plan
        for law in p.dasar_hukum:
            items: list[m.Peraturan | m.Perubahan] = [law, *law.perubahan]
            for item in items:
                if item.tanggal is not None and item.tahun is not None and item.tanggal.year != item.tahun:
                    self.report.error(item._path + ("tanggal",), f"tanggal {fmt.tanggal(item.tanggal)} tidak jatuh "
                                      f"pada tahun peraturannya ({item.tahun})")
            for change in law.perubahan:
                if None not in (change.tahun, law.tahun) and (change.tahun, change.tanggal or dt.date.min) < (
                        law.tahun, law.tanggal or dt.date.min):
                    self.report.error(change._path, f"perubahan {change.jenis} Nomor {change.nomor} Tahun "
                                      f"{change.tahun} lebih tua daripada peraturan yang diubahnya ({law.jenis} "
                                      f"Nomor {law.nomor} Tahun {law.tahun}); tulis perubahan urut dari yang pertama")
        date = p.dokumen.tanggal if p.dokumen else None
        if date is None:
            return
        later: list[tuple[m.TabelData | m.IndikatorDaerah, str]] = [(t, "tabel data") for t in p.daerah.tabel] \
            if p.daerah else []
        later += [(i, "data") for pd in p.profil_dimensi for i in pd.indikator]
        for data, what in later:
            if data.tahun is not None and data.tahun > date.year:
                self.report.warn(data._path + ("tahun",), f"{what} tahun {data.tahun} lebih baru daripada tanggal "
                                 f"dokumen ({fmt.tanggal(date)}), sehingga tidak dimuat di buku; sesuaikan tahunnya "
                                 "atau tanggal dokumen")

    def bibliography(self) -> None:
        """The Daftar Pustaka is printed as typed: no placeholder text, online sources with the date
        they were read (not after the document's), dates that agree, no source twice; a source
        published after the document is left out of its books (`Derived.sources`)."""
        date = self.plan.dokumen.tanggal if self.plan.dokumen else None
        seen: dict[tuple, m.Pustaka] = {}
        for src in self.plan.pustaka:
            texts: list[tuple[tuple, Any]] = [(("penulis", Index(i)), name) for i, name in enumerate(src.penulis)]
            texts += [((name,), getattr(src, name)) for name in ("judul", "terbitan", "penerbit", "tempat")]
            for sub, value in texts:
                found = _PLACEHOLDER_TEXT.search(value) if isinstance(value, str) else None
                if found:
                    what = ("tanda kurung siku, yang menandai teks pengganti ('[...]')" if found.group() in "[]"
                            else f"'{found.group()}', tanda teks yang belum diisi")
                    self.report.error(src._path + sub, f"memuat {what}; daftar pustaka dicetak apa adanya, jadi "
                                      "tulis data sumber yang sebenarnya atau hapus butir ini")
            if src.judul and re.match(r"(Undang-Undang|Peraturan|Keputusan|Instruksi|Surat Edaran)\b", src.judul) \
                    and any(w in src.judul for w in (" Nomor ", " No. ")):
                self.report.warn(src._path + ("judul",), "peraturan tidak ditulis di `pustaka`: tulis di `dasar_hukum` "
                                 "(atau `penetapan`); buku mencantumkannya di daftar pustaka bagian Peraturan "
                                 "Perundang-undangan")
            if src.tanggal is not None and src.tahun is not None and src.tanggal.year != src.tahun:
                self.report.error(src._path + ("tanggal",), f"tanggal {fmt.tanggal(src.tanggal)} tidak jatuh pada "
                                  f"tahun terbit ({src.tahun})")
            if src.url and src.diakses is None:
                self.report.error(src._path + ("url",), "sumber daring wajib mencantumkan `diakses`: tanggal Anda "
                                  "membukanya (TTTT-BB-HH), yang dicetak 'Diakses ..., dari ...'")
            if src.diakses is not None and not src.url:
                self.report.warn(src._path + ("diakses",), "`diakses` tanpa `url` tidak dicetak; tambahkan `url` "
                                 "sumber daringnya atau hapus `diakses`")
            if src.diakses is not None and date is not None and src.diakses > date:
                self.report.error(src._path + ("diakses",), f"tanggal diakses {fmt.tanggal(src.diakses)} sesudah "
                                  f"tanggal dokumen ({fmt.tanggal(date)}); sumber dibaca sebelum dokumen "
                                  "ditandatangani")
            published = src.tanggal or (dt.date(src.tahun, 1, 1) if src.tahun else None)
            if src.diakses is not None and published is not None and src.diakses < published:
                self.report.error(src._path + ("diakses",), f"tanggal diakses {fmt.tanggal(src.diakses)} mendahului "
                                  "terbitnya sumber")
            later = (src.tanggal > date if src.tanggal and date
                     else bool(src.tahun and date and src.tahun > date.year))
            if later and date is not None:
                self.report.warn(src._path + ("tanggal" if src.tanggal else "tahun",),
                                 f"sumber terbit sesudah tanggal dokumen ({fmt.tanggal(date)}), sehingga tidak dimuat "
                                 "di buku; sesuaikan tahunnya atau tanggal dokumen")
            key = pustaka.identity(src)
            if key in seen:
                line = self.report.where(seen[key]._path)[0]
                self.report.error(src._path, f"sumber ini sudah tercantum di baris {line} (penulis, tahun, dan judul "
                                  "sama); hapus salah satunya")
            else:
                seen[key] = src

    def warnings(self) -> None:
        p, c, reg = self.plan, self.catalog, self.registry
        dim_of_program = {}
        for prog in p.program:
            strat = reg["strategi"].get(prog.strategi)
            if strat:
                dim_of_program[prog.kode] = strat.dimensi
        for code, dim in c.dimensions.items():
            if code not in dim_of_program.values():
                self.report.warn(("program",), f"dimensi {code} ({dim.nama}) belum memiliki program", key=True)
            if code not in {q.dimensi for q in p.quick_win}:
                self.report.warn(("quick_win",), f"dimensi {code} ({dim.nama}) belum memiliki quick win", key=True)
        used_misi = {s.misi for s in p.strategi}
        for x in p.misi:
            if x.kode and x.kode not in used_misi:
                self.report.warn(x._path, f"misi {x.kode} belum dijabarkan ke strategi mana pun")
        used_strat = {prog.strategi for prog in p.program}
        for s in p.strategi:
            if s.kode and s.kode not in used_strat:
                self.report.warn(s._path, f"strategi {s.kode} belum memiliki program")
        with_actions = {ra.program for ra in p.rencana_aksi}
        for prog in p.program:
            if prog.kode and prog.kode not in with_actions:
                self.report.warn(prog._path, f"program {prog.kode} belum memiliki rencana aksi")
        for ra in p.rencana_aksi:
            if not ra.kode:
                continue
            if not ra.anggaran:
                self.report.warn(ra._path, f"kegiatan {ra.kode} belum memiliki indikasi anggaran")
            if not ra.target:
                self.report.warn(ra._path, f"kegiatan {ra.kode} belum memiliki target tahunan")
        assigned = set()
        for prog in p.program:
            assigned.update([prog.opd_pj, *prog.opd_pendukung])
        for q in p.quick_win:
            assigned.update([q.opd_pj, *q.opd_pendukung])
        assigned.update(ra.opd for ra in p.rencana_aksi if ra.opd)
        for o in p.opd:
            if o.kode and o.kode not in assigned:
                self.report.warn(o._path, f"OPD {o.kode} belum mendapat tugas (program, rencana aksi, atau quick win)")
        for q in p.quick_win:
            if not q.kode:
                continue
            for field_name, label in (("mitra", "mitra"), ("jadwal", "jadwal"), ("anggaran", "anggaran"),
                                      ("indikator", "indikator keberhasilan"), ("risiko", "risiko dan mitigasi")):
                if not getattr(q, field_name):
                    self.report.warn(q._path, f"quick win {q.kode} belum memiliki {label}, yang dinilai evaluator")
        d = p.daerah
        if d is not None:
            for field_name, value, label in (("kode_wilayah", d.kode_wilayah == "00.00", "kode wilayah"),
                                             ("luas_km2", d.luas_km2 is not None and d.luas_km2 <= 0, "luas wilayah"),
                                             ("jumlah_kecamatan", d.jumlah_kecamatan == 0, "jumlah kecamatan")):
                if value:
                    self.report.warn(d._path + (field_name,), f"{label} belum diisi")
            if d.penduduk and d.penduduk.jumlah is not None and d.penduduk.jumlah <= 0:
                self.report.warn(d.penduduk._path + ("jumlah",), "jumlah penduduk belum diisi")
        assessed = {k.elemen for k in p.kesiapan}
        for code, el in c.elements.items():
            if el.utama and code not in assessed:
                self.report.warn(("kesiapan",), f"elemen kesiapan '{code}' belum dinilai", key=True)


def check_city(plan: m.Masterplan, catalog, report: Report) -> None:
    CityChecker(plan, catalog, report).run()
