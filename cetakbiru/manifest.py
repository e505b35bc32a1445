"""What the last complete build was made from, so that a build with nothing changed does nothing.

After a build that checked, built and published every city (no failure), `.<books>-masukan.json`
beside the books folder (`build/.buku-masukan.json`) records, per set of options (the main job,
`books` alone, the preview...):

- a digest of everything shared: the package's code, the templates, content pages, data, fonts,
  `mkdocs.yml` and the pinned versions;
- the options that shape the outputs (formats, books and site or not, strict, preview), as the
  key of the entry;
- one digest per city: its file and every file of its folder `cities/<slug>/`, by content;
- what that build left published: the version each public link points to (publish.confirmed)
  and the name, size and time of every file in it.

The next build hashes the same inputs (reading bytes, parsing nothing) and, when everything is
equal and the published files are exactly as recorded, stops there: no city is checked,
rendered, built or published again. Anything unusual (a file that is not a regular file, a
picture folder too large to hash, a link another build replaced, a file touched by hand) means
"changed", and the build runs as usual: a wrong shortcut is worse than none. A build deletes its
entry before it writes anything, and writes it again only after it succeeded whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from . import publish
from .paths import PACKAGE, SHARE

SHARED = ["templates", "content", "data", "fonts", "mkdocs.yml", "requirements.txt"]
MAX_FILE = 20 * 1024 * 1024  # pictures.MAX_BYTES: larger files are refused by the checks anyway
MAX_CITY = 256 * 1024 * 1024  # a city's file and folder, hashed on every build
_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class _Unusual(Exception):
    """An input this module does not hash: the build decides with the full checks."""


def _file_bytes(path: Path, budget: int) -> bytes:
    """A regular file's bytes, never following a link and never blocking (a FIFO named *.yaml)."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError as e:
        raise _Unusual(path) from e
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > min(MAX_FILE, budget):
            raise _Unusual(path)
        data = os.read(fd, info.st_size + 1)
        if len(data) != info.st_size:  # changed while read
            raise _Unusual(path)
        return data
    finally:
        os.close(fd)


def city_digest(path: Path) -> str:
    """Digest of a city file and of every file in its folder (`cities/<slug>/`), by content."""
    h = hashlib.sha256()
    budget = MAX_CITY
    data = _file_bytes(path, budget)
    h.update(hashlib.sha256(data).digest())
    budget -= len(data)
    folder = path.with_suffix("")
    try:
        mode = os.lstat(folder).st_mode
    except FileNotFoundError:
        return h.hexdigest()
    if not stat.S_ISDIR(mode):
        raise _Unusual(folder)
    for entry in sorted(_walk(folder)):
        data = _file_bytes(folder / entry, budget)
        budget -= len(data)
        h.update(entry.encode("utf-8", "surrogateescape") + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def _walk(folder: Path, prefix: str = "") -> list[str]:
    """Relative paths of every file below `folder`, without following links."""
    out = []
    with os.scandir(folder) as entries:
        for entry in entries:
            rel = f"{prefix}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                out += _walk(Path(entry.path), rel + "/")
            else:
                out.append(rel)
    return out


def shared_digest() -> str:
    """Digest of everything every city's outputs are made from besides the city itself."""
    h = hashlib.sha256()
    roots = [(PACKAGE.parent, PACKAGE.name)] + [(SHARE, name) for name in SHARED]
    for base, name in roots:
        path = base / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for f in files:
            if "__pycache__" in f.parts:
                continue
            h.update(f.relative_to(base).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def _published(public: Path) -> dict | None:
    """The version `public` points to and every file in it (name, size, modification time)."""
    version = publish.current(public)
    if version is None:
        return None
    files = []
    for folder, dirs, names in os.walk(version):
        dirs.sort()
        for name in sorted(names):
            info = os.lstat(os.path.join(folder, name))
            files.append([os.path.relpath(os.path.join(folder, name), version), info.st_size, info.st_mtime_ns])
    digest = hashlib.sha256(json.dumps(files).encode()).hexdigest()
    return {"versi": version.name, "berkas": len(files), "sidik": digest}


def record_path(books_dir: Path) -> Path:
    return books_dir.parent / f".{books_dir.name}-masukan.json"


@dataclass
class Inputs:
    """The inputs of one build, as digests: `options` (which build: the main job, `books` alone,
    the preview...) and `digest` (everything it reads; None when one input is unusual)."""

    options: str
    digest: str | None
    cities: int

    @classmethod
    def of(cls, paths: list[Path], options: dict) -> Inputs:
        key = hashlib.sha256(json.dumps(options, sort_keys=True).encode()).hexdigest()[:16]
        try:
            cities = {p.stem: city_digest(p) for p in paths}
        except _Unusual:
            return cls(key, None, len(paths))
        record = {"bersama": shared_digest(), "kota": cities}
        return cls(key, hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest(), len(paths))

    def unchanged(self, books_dir: Path, site_dir: Path | None) -> bool:
        """The last complete build of these options had exactly these inputs, and what it
        published is untouched."""
        entry = _entries(books_dir).get(self.options)
        if self.digest is None or not isinstance(entry, dict) or entry.get("masukan") != self.digest:
            return False
        return entry.get("terbit") == {k: _published(p) for k, p in _publics(books_dir, site_dir).items()}

    def record(self, books_dir: Path, site_dir: Path | None) -> None:
        """Note these inputs and what this build published (or nothing, when something else
        was published since). The other options' entries stay: each is checked against what is
        published when it is used."""
        published = {}
        for name, public in _publics(books_dir, site_dir).items():
            now = _published(public)
            if self.digest is None or now is None or now["versi"] != publish.confirmed(public):
                self.forget(books_dir)
                return
            published[name] = now
        entries = {k: v for k, v in _entries(books_dir).items() if k != self.options}
        entries = dict(list(entries.items())[-7:]) | {self.options: {"masukan": self.digest, "terbit": published}}
        path = record_path(books_dir)
        tmp = publish.temp_beside(path)
        tmp.write_text(json.dumps(entries, indent=1), encoding="utf-8")
        os.replace(tmp, path)

    def forget(self, books_dir: Path) -> None:
        """Drop this build's entry: done before it writes anything."""
        entries = _entries(books_dir)
        if self.options in entries:
            del entries[self.options]
            path = record_path(books_dir)
            tmp = publish.temp_beside(path)
            tmp.write_text(json.dumps(entries, indent=1), encoding="utf-8")
            os.replace(tmp, path)


def _publics(books_dir: Path, site_dir: Path | None) -> dict[str, Path]:
    return {"buku": books_dir, **({"situs": site_dir} if site_dir is not None else {})}


def _entries(books_dir: Path) -> dict:
    try:
        record = json.loads(record_path(books_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}
