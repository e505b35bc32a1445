"""Problems found in authored files, reported compiler-style: `file:line:col: path: message`.

Messages are in Bahasa Indonesia (they are read by consultants). A path is a tuple of keys and
`Index` items; it is shown as `program[3].opd_pj` with list positions counted from 1, the way a
consultant counts items in a file.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field


class Index(int):
    """A position in a YAML list (0-based inside, shown 1-based)."""


Path = tuple


def show_path(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, Index):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    col: int
    path: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}: "
        what = f"{self.path}: " if self.path else ""
        kind = "peringatan: " if self.warning else ""
        return f"{where}{what}{kind}{self.message}"


@dataclass
class Report:
    """Problems of one file. `pos` maps a path to the (line, col) of its value, `keypos` to its key."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    pos: dict = field(default_factory=dict)
    keypos: dict = field(default_factory=dict)

    def where(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """The best known position for `path`: itself, else its nearest located ancestor."""
        table = self.keypos if key else self.pos
        p = tuple(path)
        if p in table:
            return table[p]
        while p:
            p = p[:-1]
            if p in self.pos:
                return self.pos[p]
        return (1, 1)

    def add(self, path: Path, message: str, *, warning: bool = False, key: bool = False, at=None) -> None:
        line, col = at if at is not None else self.where(path, key=key)
        self.problems.append(Problem(self.file, line, col, show_path(path), message, warning))

    def error(self, path: Path, message: str, **kw) -> None:
        self.add(path, message, **kw)

    def warn(self, path: Path, message: str, **kw) -> None:
        self.add(path, message, warning=True, **kw)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


def display_name(path: str) -> str:
    """A path as a consultant typed it: relative to the current folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


# Why an operating-system call failed, in Indonesian (strerror is English).
_OS_REASONS = {
    errno.ENOSPC: "ruang disk penuh",
    getattr(errno, "EDQUOT", -1): "kuota disk habis",
    errno.EROFS: "sistem berkas hanya dapat dibaca",
    errno.EACCES: "izin ditolak",
    errno.EPERM: "operasi tidak diizinkan",
    errno.ENOENT: "berkas atau folder tidak ditemukan",
    errno.ENOTDIR: "salah satu bagian jalurnya bukan folder",
    errno.EISDIR: "jalur itu adalah folder",
    errno.EEXIST: "sudah ada",
    errno.ENAMETOOLONG: "nama berkas terlalu panjang",
    errno.ELOOP: "terlalu banyak tautan simbolik",
    errno.EMFILE: "terlalu banyak berkas terbuka",
    errno.EIO: "galat masukan/keluaran pada perangkat penyimpanan",
    errno.EBUSY: "berkas atau perangkat sedang dipakai",
    errno.EADDRINUSE: "port sudah dipakai program lain",
}


def os_reason(e: OSError) -> str:
    """Why an OSError happened, in Indonesian, with its errno name: 'ruang disk penuh (ENOSPC)'."""
    name = errno.errorcode.get(e.errno) if isinstance(e.errno, int) else None
    reason = _OS_REASONS.get(e.errno) or e.strerror or type(e).__name__
    return f"{reason} ({name})" if name else reason


class Abort(Exception):
    """An expected failure: its message is printed for the user, with no traceback."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code
