"""Atomic, self-healing publishing of an output folder (the books in build/buku, the site in site/).

A public path `P` (say `build/buku`) is a symbolic link to a sibling version folder, and every
name this module uses lives beside it, in `P.parent`, starting with `.<P.name>-`:

    buku -> .buku-v<id>     the public path: one relative link, replaced in one rename
    .buku-v<id>/            a complete version (only ever renamed into this name once complete)
    .buku-tmp<id>/          a version being built (staging)
    .buku-link<id>          the new link, under a temporary name, before it replaces `buku`
    .buku-del<id>/          an old version being deleted
    .buku-lock              the build lock (fcntl.flock), so two builds never interleave

A new version is built in a fresh staging folder, renamed to a version name when complete, and
published by `os.replace` of a new link over the public path: a reader (a static server, a copy,
the site build reading the books under the shared lock) sees at every instant the whole old
version or the whole new one. `recover()`, run under the lock at the start of every build, heals
what a killed build left: every `.<name>-*` entry that the public link does not point to is deleted (staging, temporary
links, half-deleted versions, the leftovers of the previous layout), a missing or dangling public
path is pointed at the newest complete version, and a legacy real folder (the layout before
versions) becomes a version once, exchanged with the link in one step too (renameat2).

Fault injection for tests: with `CETAKBIRU_FAULT=<point>` (any target) or `<name>:<point>` (only
the target whose public path is named `<name>`, e.g. `site:replaced`, `buku:staged`) the process
kills itself with SIGKILL at that point. The points, in order:

    legacy-copied   recover(): a legacy real folder was copied (hard links) into a version
    legacy-swapped  recover(): the legacy folder and the new link exchanged names
    copied          books.build(): unchanged books hard-linked into the staging folder
    staged          commit(): the staging folder is complete, still under its staging name
    versioned       commit(): the staging folder was renamed to a version name
    linked          commit(): the new link exists under its temporary name
    replaced        commit(): the new link replaced the public path (old version still there)
    old-renamed     commit(): the old version was renamed for deletion
    old-removing    commit(): the old version is partly deleted
    reference-tmp   docx.reference_doc(): a reference document's temporary file is written
    lo-ready        cetakbiru/lo_indexes.py: LibreOffice is up; it kills its parent (the build)

Unset, `fault()` costs one comparison. What is guaranteed is atomicity against a killed process
(and any reader); nothing is fsynced, so a power cut may still lose the newest version.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from .problems import display_name

_FAULT = os.environ.get("CETAKBIRU_FAULT") or None


def fault(point: str, target: str | None = None) -> None:
    """Die here (SIGKILL, no cleanup) when CETAKBIRU_FAULT names this point: tests only. In a
    build's worker process (tasks.py) the build itself is killed, as when a user kills it."""
    if _FAULT is not None and (_FAULT == point or (target is not None and _FAULT == f"{target}:{point}")):
        os.kill(int(os.environ.get("CETAKBIRU_BUILD_PID") or os.getpid()), signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)  # the worker too, now: not one more step after the point


# --- names -----------------------------------------------------------------------------------


def _ours(public: Path) -> re.Pattern:
    """The names beside `public` that this module (or the layout before it) made: exact, so that
    another target such as `site-pratinjau` beside `site` is never mistaken for a leftover."""
    legacy = "lama|[a-z0-9_]{8}"  # the previous swap's old copy, tempfile.mkdtemp staging folders
    return re.compile(rf"\.{re.escape(public.name)}-(?:(?:v|tmp|link|del)\d+-\d+|{legacy})$")


def _name(public: Path, kind: str, vid: str) -> Path:
    return public.parent / f".{public.name}-{kind}{vid}"


def lock_path(public: Path) -> Path:
    return public.parent / f".{public.name}-lock"


def _new_id() -> str:
    return f"{time.time_ns()}-{os.getpid()}"  # sortable by time; the pid tells whose it was


def _versions(public: Path) -> list[Path]:
    """Complete versions beside `public`, oldest first."""
    pattern = re.compile(rf"\.{re.escape(public.name)}-v(\d+)-\d+$")
    found = []
    with contextlib.suppress(FileNotFoundError):
        for entry in public.parent.iterdir():
            m = pattern.match(entry.name)
            if m and entry.is_dir() and not entry.is_symlink():
                found.append((int(m.group(1)), entry))
    return [p for _, p in sorted(found)]


def current(public: Path) -> Path | None:
    """The version folder the public path points to, if it is one of ours and exists."""
    try:
        target = os.readlink(public)
    except OSError:
        return None
    if "/" in target or not target.startswith(f".{public.name}-v"):
        return None  # a link someone else made: never ours to delete
    folder = public.parent / target
    return folder if folder.is_dir() else None


# --- the lock ----------------------------------------------------------------------------------


@contextlib.contextmanager
def locked(public: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold the build lock of `public`: exclusive to change it, shared to read it consistently.
    A second build waits for the first one (and says so)."""
    path = lock_path(public)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as f:
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        try:
            fcntl.flock(f, mode | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            f.seek(0)
            owner = f.read().strip()
            who = f" (pid {owner})" if owner.isdigit() else ""
            print(f"Menunggu build lain{who} selesai memakai {display_name(str(public))}...",
                  file=sys.stderr, flush=True)
            fcntl.flock(f, mode)
        if not shared:
            f.seek(0)
            f.truncate()
            f.write(str(os.getpid()))
            f.flush()
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


# --- recovery ------------------------------------------------------------------------------


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _link(public: Path, version: Path, vid: str) -> None:
    tmp = _name(public, "link", vid)
    _remove(tmp)
    os.symlink(version.name, tmp)  # relative: the project folder can move
    fault("linked", public.name)
    os.replace(tmp, public)  # the one atomic step
    fault("replaced", public.name)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two names in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        import ctypes

        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _adopt(public: Path, folder: Path, junk: tuple[str, ...]) -> Path:
    """Make a complete folder of the previous layout a version and point the public path at it."""
    for pattern in junk:  # staging leftovers the previous layout kept inside the public folder
        for leftover in folder.glob(pattern):
            _remove(leftover)
    vid = _new_id()
    version = _name(public, "v", vid)
    if folder != public:  # a lone old copy, the public path missing
        os.replace(folder, version)
        _link(public, version, vid)
        return version
    staging = _name(public, "tmp", vid)
    link_tree(folder, staging)  # the same files, hard-linked: the real folder stays public meanwhile
    os.replace(staging, version)
    fault("legacy-copied", public.name)
    tmp = _name(public, "link", vid)
    os.symlink(version.name, tmp)
    if _exchange(tmp, public):  # atomic: `public` is the link, `tmp` the old folder
        fault("legacy-swapped", public.name)
        _remove(tmp)
    else:  # two renames; killed in between, the next recover() points `public` at `version`
        trash = _name(public, "del", vid)
        os.replace(public, trash)
        os.replace(tmp, public)
        _remove(trash)
    return version


def recover(public: Path, *, junk: tuple[str, ...] = ()) -> Path | None:
    """Heal what killed builds left beside `public` (hold the lock). Returns the current version.

    `junk`: glob patterns of leftovers inside a legacy real folder, deleted when it is adopted."""
    public.parent.mkdir(parents=True, exist_ok=True)
    if public.is_dir() and not public.is_symlink():  # the layout before versions: adopt it once
        _adopt(public, public, junk)
    elif not public.exists():  # missing, or a link whose version is gone
        versions = _versions(public)
        legacy = public.parent / f".{public.name}-lama"  # the previous swap's old copy
        if versions:
            vid = versions[-1].name.removeprefix(f".{public.name}-v")
            _link(public, versions[-1], vid)
        elif legacy.is_dir() and not legacy.is_symlink():
            _adopt(public, legacy, junk)
        elif public.is_symlink():
            public.unlink()
    keep = current(public)
    ours = _ours(public)
    for entry in list(public.parent.iterdir()):
        if ours.match(entry.name) and entry != keep:
            _remove(entry)
    return keep


# --- a new version -------------------------------------------------------------------------


def stage(public: Path) -> Path:
    """A fresh, empty staging folder for the next version of `public` (hold the lock)."""
    folder = _name(public, "tmp", _new_id())
    folder.mkdir(parents=True)
    return folder


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def link_tree(source: Path, staging: Path) -> None:
    """Every file of `source` into `staging`, hard-linked where the file system allows (copied
    otherwise). Files in `staging` may then be replaced or unlinked, never written in place."""
    shutil.copytree(source, staging, symlinks=True, copy_function=_link_or_copy, dirs_exist_ok=True)


_CONFIRMED: dict[str, str] = {}  # public path -> the version this process published or kept


def confirm(public: Path) -> None:
    """Note that this process leaves `public` as it is (nothing changed): see `confirmed`."""
    version = current(public)
    if version is not None:
        _CONFIRMED[str(public.absolute())] = version.name


def confirmed(public: Path) -> str | None:
    """The version of `public` this process last published or kept: manifest.py records its
    inputs only when that is still the one published."""
    return _CONFIRMED.get(str(public.absolute()))


def commit(public: Path, staging: Path) -> Path:
    """Publish a complete staging folder as the new version of `public` in one rename, then
    delete the old version. Returns the new version folder."""
    prefix = f".{public.name}-tmp"
    if staging.parent != public.parent or not staging.name.startswith(prefix):
        raise ValueError(f"{staging} is not a staging folder of {public}")
    if public.is_dir() and not public.is_symlink():
        recover(public)
    fault("staged", public.name)
    vid = staging.name.removeprefix(prefix)
    version = _name(public, "v", vid)
    os.replace(staging, version)
    fault("versioned", public.name)
    old = current(public)
    _link(public, version, vid)
    if old is not None and old != version:
        trash = _name(public, "del", vid)
        os.replace(old, trash)
        fault("old-renamed", public.name)
        for i, entry in enumerate(sorted(trash.iterdir())):
            _remove(entry)
            if i == 0:
                fault("old-removing", public.name)
        _remove(trash)
    _CONFIRMED[str(public.absolute())] = version.name
    return version


def discard(staging: Path) -> None:
    """Delete a staging folder that will not be published (no-op once committed)."""
    shutil.rmtree(staging, ignore_errors=True)


# --- temporary files and child processes ---------------------------------------------------


def temp_beside(path: Path) -> Path:
    """A temporary name beside `path` that names its owner, so `sweep_temps` can tell leftovers."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_temps(folder: Path) -> None:
    """Delete the `temp_beside` files of processes that no longer exist."""
    pattern = re.compile(r"\..+\.(\d+)\.tmp$")
    with contextlib.suppress(FileNotFoundError):
        for entry in folder.iterdir():
            m = pattern.match(entry.name)
            if m and not pid_alive(int(m.group(1))):
                _remove(entry)


def die_with(parent: int, sig: int = signal.SIGKILL) -> None:
    """This process gets `sig` when its parent, `parent`, dies (Linux; nothing elsewhere): for a
    build's worker processes."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, int(sig), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the line above
        os.kill(os.getpid(), sig)


def die_with_parent(sig: int = signal.SIGKILL):
    """A `preexec_fn` for subprocess: the child gets `sig` when this process dies (Linux), so a
    killed build leaves no tool running on in its staging folder. None where unsupported."""
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(1, int(sig), 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the line above
            os.kill(os.getpid(), sig)

    return preexec
