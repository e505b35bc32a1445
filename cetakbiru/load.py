"""Read a YAML file into a node tree that keeps every value's line and column.

Only the composition step of PyYAML is used: no Python object is ever constructed from a tag, so
hostile input cannot run code, and the validator sees positions for everything. YAML syntax errors
are reported in Indonesian at their position instead of raising.

A city file comes from many hands: only a regular file is read (never through a symbolic link,
never a pipe or a device), at most MAX_BYTES of it, and nesting deeper than MAX_DEPTH is refused
before composing. Every refusal is a located problem that names neither the content nor a link's
target.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import yaml

from .problems import Report, os_reason

MAX_BYTES = 4 * 1024 * 1024  # a city file is a few hundred KB; anything larger is a mistake or an attack
MAX_DEPTH = 64  # a city file nests about six levels; libyaml's composer overflows the C stack near 30,000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# PyYAML's (English) syntax messages, by substring, with what a consultant should do.
_SYNTAX_HINTS = [
    ("found another document", "berkas hanya boleh berisi satu dokumen YAML; hapus pemisah '---' tambahan"),
    ("expected a single document", "berkas hanya boleh berisi satu dokumen YAML; hapus pemisah '---' tambahan"),
    ("mapping values are not allowed",
     "tanda ':' tidak boleh di sini: periksa indentasi baris ini, atau apit nilai yang memuat ': ' dengan tanda kutip"),
    ("found character '\\t'", "karakter tab tidak boleh dipakai untuk indentasi; gunakan spasi"),
    ("found character that cannot start any token",
     "karakter ini tidak boleh mengawali nilai; apit nilai dengan tanda kutip"),
    ("cannot start any token", "karakter ini tidak boleh mengawali nilai; apit nilai dengan tanda kutip"),
    ("could not find expected ':'", "tanda ':' yang diharapkan tidak ditemukan; periksa baris ini dan sebelumnya"),
    ("did not find expected key", "indentasi tidak konsisten: kunci yang diharapkan tidak ditemukan"),
    ("did not find expected '-' indicator",
     "indentasi daftar tidak konsisten: tanda '-' yang diharapkan tidak ditemukan"),
    ("did not find expected node content", "nilai yang diharapkan tidak ditemukan"),
    ("found unexpected end of stream", "tanda kutip yang dibuka di sini tidak ditutup"),
    ("found unknown escape character",
     "urutan escape tidak dikenal di dalam tanda kutip ganda; gunakan tanda kutip tunggal"),
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


# What a city file that is not a regular file is, for the message (never its target or content).
_NOT_REGULAR = [
    (stat.S_ISDIR, "folder"),
    (stat.S_ISFIFO, "pipa bernama (FIFO)"),
    (stat.S_ISCHR, "perangkat karakter"),
    (stat.S_ISBLK, "perangkat blok"),
    (stat.S_ISSOCK, "soket"),
]
_SYMLINK = "berkas kota adalah tautan simbolik; simpan berkas kota sebagai berkas biasa di cities/"
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


def _not_regular(mode: int) -> str | None:
    """Why a file of this mode is refused as a city file, or None for a regular file."""
    if stat.S_ISLNK(mode):
        return _SYMLINK
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _NOT_REGULAR if test(mode)), "jenis berkas khusus")
    return f"berkas kota bukan berkas biasa melainkan {kind}; simpan berkas kota sebagai berkas biasa di cities/"


def _read_regular(path: Path, report: Report) -> bytes | None:
    """At most MAX_BYTES of a regular file, never following a symbolic link and never blocking.

    The link and type are checked with lstat before opening and again with fstat on the opened
    descriptor (the file may be swapped in between); the limit applies to what is read, not to
    what stat says, so /proc-like files and files that grow while read are bounded too."""
    try:
        refused = _not_regular(os.lstat(path).st_mode)
        if refused:
            report.error((), refused)
            return None
        try:
            fd = os.open(path, _OPEN_FLAGS)
        except OSError as e:
            if e.errno == errno.ELOOP:  # replaced by a link after lstat
                report.error((), _SYMLINK)
                return None
            raise
        try:
            info = os.fstat(fd)
            refused = _not_regular(info.st_mode)
            if refused:
                report.error((), refused)
                return None
            if info.st_size > MAX_BYTES:
                report.error((), f"berkas terlalu besar ({info.st_size} byte; batas {MAX_BYTES} byte)")
                return None
            if hasattr(os, "set_blocking"):
                os.set_blocking(fd, True)
            chunks, got = [], 0
            while got <= MAX_BYTES:
                chunk = os.read(fd, min(1 << 20, MAX_BYTES + 1 - got))
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk)
        finally:
            os.close(fd)
    except FileNotFoundError:
        report.error((), "berkas tidak ditemukan")
        return None
    except OSError as e:
        report.error((), f"berkas tidak dapat dibaca: {os_reason(e)}")
        return None
    if got > MAX_BYTES:
        report.error((), f"berkas terlalu besar (lebih dari {MAX_BYTES} byte)")
        return None
    return b"".join(chunks)


def read_text(path: Path, report: Report) -> str | None:
    """The text of a city file, or None after reporting why it cannot be one."""
    data = _read_regular(path, report)
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:  # e.object is the data after any BOM
        before = e.object[: e.start].decode("utf-8", errors="replace")
        report.error((), "berkas bukan teks UTF-8; simpan ulang sebagai UTF-8", at=_position(before))
        return None
    if "\x00" in text:
        before = text[: text.index("\x00")]
        report.error((), "berkas memuat karakter NUL; ini bukan berkas teks", at=_position(before))
        return None
    return text


def _position(before: str) -> tuple[int, int]:
    """(line, column) of the character that follows `before`."""
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


class _TooDeep(Exception):
    def __init__(self, mark):
        self.mark = mark


_OPEN = frozenset({yaml.MappingStartEvent, yaml.SequenceStartEvent})
_CLOSE = frozenset({yaml.MappingEndEvent, yaml.SequenceEndEvent})


def _prescan(text: str) -> bool:
    """Walk the parser's events (flat, no recursion) before composing: raise _TooDeep past
    MAX_DEPTH, since the C composer recurses without a limit and a few kilobytes of '[' crash the
    interpreter; tell whether any anchor or alias is used. Syntax errors raise as in compose."""
    loader = _Loader(text)
    try:
        depth, anchored = 0, False
        check, get = loader.check_event, loader.get_event
        while check():
            event = get()
            kind = type(event)
            if kind in _OPEN:
                depth += 1
                if depth > MAX_DEPTH:
                    raise _TooDeep(event.start_mark)
                anchored = anchored or event.anchor is not None
            elif kind in _CLOSE:
                depth -= 1
            elif kind is yaml.AliasEvent or (kind is yaml.ScalarEvent and event.anchor is not None):
                anchored = True
        return anchored
    finally:
        loader.dispose()


def _reader_position(text: str, e: yaml.reader.ReaderError) -> tuple[int, int] | None:
    """Where an unacceptable character is: libyaml counts UTF-8 bytes, PyYAML characters."""
    if not isinstance(e.position, int):
        return None
    if _Loader is yaml.SafeLoader:
        return _position(text[: e.position])
    data = text.encode("utf-8", errors="surrogatepass")
    return _position(data[: e.position].decode("utf-8", errors="replace"))


def compose(text: str, report: Report) -> yaml.Node | None:
    """The node tree of a one-document YAML text, or None after reporting why not."""
    try:
        anchored = _prescan(text)
        node = yaml.compose(text, Loader=_Loader)
    except _TooDeep as e:
        report.error((), f"struktur YAML terlalu dalam (lebih dari {MAX_DEPTH} tingkat bersarang); berkas kota "
                     "hanya memerlukan beberapa tingkat", at=(e.mark.line + 1, e.mark.column + 1))
        return None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        if e.context_mark is not None and "quoted scalar" in str(e.context or ""):
            mark = e.context_mark  # where the unclosed quote was opened, not the end of the file
        at = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = str(e.problem or e.context or "")
        if "cannot start any token" in problem and mark is not None:
            lines = text.splitlines()
            char = lines[mark.line][mark.column : mark.column + 1] if mark.line < len(lines) else ""
            problem = ("found character '\\t'" if char == "\t"
                       else f"found character {char!r} that cannot start any token")
        report.error((), _syntax_message(problem), at=at)
        return None
    except yaml.reader.ReaderError as e:  # a character YAML does not accept: located, named by code point
        found = _reader_position(text, e)
        if found is not None and isinstance(e.character, int):
            report.error((), f"berkas memuat karakter U+{e.character:04X} yang tidak diizinkan; hapus karakter itu",
                         at=found)
        else:
            report.error((), _syntax_message(str(e).splitlines()[0] if str(e) else "?"))
        return None
    except yaml.YAMLError as e:
        report.error((), _syntax_message(str(e).splitlines()[0] if str(e) else "?"))
        return None
    except RecursionError:
        report.error((), "struktur YAML terlalu dalam")
        return None
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"):
        report.error((), "berkas kosong")  # also "---" or "~" alone: a document with nothing in it
        return None
    if anchored:
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
