"""Read a YAML file into a node tree that keeps every value's line and column.

Only the composition step of PyYAML is used: no Python object is ever constructed from a tag, so
hostile input cannot run code, and the validator sees positions for everything. YAML syntax errors
are reported in Indonesian at their position instead of raising.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .problems import Report

MAX_BYTES = 4 * 1024 * 1024  # a city file is a few hundred KB; anything larger is a mistake or an attack

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# PyYAML's (English) syntax messages, by substring, with what a consultant should do.
_SYNTAX_HINTS = [
    ("found another document", "berkas hanya boleh berisi satu dokumen YAML; hapus pemisah '---' tambahan"),
    ("expected a single document", "berkas hanya boleh berisi satu dokumen YAML; hapus pemisah '---' tambahan"),
    ("mapping values are not allowed", "tanda ':' tidak boleh di sini: periksa indentasi baris ini, atau apit nilai yang memuat ': ' dengan tanda kutip"),
    ("found character '\\t'", "karakter tab tidak boleh dipakai untuk indentasi; gunakan spasi"),
    ("found character that cannot start any token", "karakter ini tidak boleh mengawali nilai; apit nilai dengan tanda kutip"),
    ("cannot start any token", "karakter ini tidak boleh mengawali nilai; apit nilai dengan tanda kutip"),
    ("could not find expected ':'", "tanda ':' yang diharapkan tidak ditemukan; periksa baris ini dan sebelumnya"),
    ("did not find expected key", "indentasi tidak konsisten: kunci yang diharapkan tidak ditemukan"),
    ("did not find expected '-' indicator", "indentasi daftar tidak konsisten: tanda '-' yang diharapkan tidak ditemukan"),
    ("did not find expected node content", "nilai yang diharapkan tidak ditemukan"),
    ("found unexpected end of stream", "tanda kutip yang dibuka di sini tidak ditutup"),
    ("found unknown escape character", "urutan escape tidak dikenal di dalam tanda kutip ganda; gunakan tanda kutip tunggal"),
    ("found undefined alias", "alias YAML (*) tidak dikenal"),
    ("found duplicate anchor", "anchor YAML (&) ganda"),
    ("expected <block end>", "indentasi tidak konsisten"),
    ("expected ',' or ']'", "daftar dalam kurung siku belum ditutup dengan ']'"),
    ("expected ',' or '}'", "pemetaan dalam kurung kurawal belum ditutup dengan '}'"),
    ("unacceptable character", "berkas memuat karakter yang tidak diizinkan"),
    ("found a tab character", "karakter tab tidak boleh dipakai untuk indentasi; gunakan spasi"),
    ("could not find expected", "sintaks YAML tidak lengkap"),
    ("while scanning", "sintaks YAML tidak valid"),
]


def _syntax_message(problem: str) -> str:
    for needle, hint in _SYNTAX_HINTS:
        if needle in problem:
            return f"{hint} (YAML: {problem})"
    return f"sintaks YAML tidak valid (YAML: {problem})"


def read_text(path: Path, report: Report) -> str | None:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            report.error((), f"berkas terlalu besar ({size} byte; batas {MAX_BYTES} byte)")
            return None
        data = path.read_bytes()
    except OSError as e:
        report.error((), f"berkas tidak dapat dibaca ({e.strerror or e})")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        report.error((), "berkas bukan teks UTF-8; simpan ulang sebagai UTF-8", at=(line, col))
        return None
    if "\x00" in text:
        report.error((), "berkas memuat karakter NUL; ini bukan berkas teks")
        return None
    return text


def compose(text: str, report: Report) -> yaml.Node | None:
    """The node tree of a one-document YAML text, or None after reporting why not."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        if e.context_mark is not None and "quoted scalar" in str(e.context or ""):
            mark = e.context_mark  # where the unclosed quote was opened, not the end of the file
        at = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = str(e.problem or e.context or "")
        if "cannot start any token" in problem and mark is not None:
            lines = text.splitlines()
            char = lines[mark.line][mark.column : mark.column + 1] if mark.line < len(lines) else ""
            problem = "found character '\\t'" if char == "\t" else f"found character {char!r} that cannot start any token"
        report.error((), _syntax_message(problem), at=at)
        return None
    except yaml.YAMLError as e:  # reader errors (control characters) carry no mark
        report.error((), _syntax_message(str(e).splitlines()[0] if str(e) else "?"))
        return None
    except RecursionError:
        report.error((), "struktur YAML terlalu dalam")
        return None
    if node is None:
        report.error((), "berkas kosong")
    elif "&" in text:
        # An anchor silently eats the first word of a value (`nama: &Co Jaya` reads "Jaya").
        for token in yaml.scan(text, Loader=_Loader):
            if isinstance(token, yaml.AnchorToken):
                at = (token.start_mark.line + 1, token.start_mark.column + 1)
                report.error((), f"anchor YAML '&{token.value}' tidak didukung; tulis nilainya langsung, atau apit "
                             "nilai dengan tanda kutip bila '&' bagian dari teks", at=at)
    return node


def load(path: Path, report: Report) -> yaml.Node | None:
    text = read_text(path, report)
    return None if text is None else compose(text, report)
