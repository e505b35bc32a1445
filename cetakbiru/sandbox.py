"""The external tools, confined: what a book's Markdown can make pandoc and typst read or fetch.

- pandoc runs as a subprocess in `--sandbox` mode, in the book's work folder, with the reader of
  `escape.READER` (no raw formats, no TeX math) and a time limit. In sandbox mode pandoc reads
  nothing but the files named on its command line and fetches nothing; the pictures a DOCX needs
  are handed to it by our Lua filter, which reads only plain relative paths inside the work folder.
- typst compiles in a helper process (`python -m cetakbiru.sandbox`, restarted every few books so
  its memory stays bounded, killed when it overruns its time) with the book's work folder as its
  root (it cannot read outside it), the shipped fonts only, and an empty package folder of its
  own. No city text reaches typst code (the Lua filter writes only escaped strings), so no
  `#import "@preview/..."` can appear; if one ever did, typst's download goes to `NO_NETWORK` (its
  proxy for the compile: a closed local port) and fails.

Every failure is an `Abort` whose message names the file; the caller adds the city and book.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pypandoc

from .escape import READER
from .problems import Abort

if TYPE_CHECKING:
    from typst import PDFStandard  # defined in typst's type stubs only

TIMEOUT = 300  # seconds for one tool run on one book; a sample book takes about 1 s


def pandoc(source: Path, to: str, output: Path, args: list[str], *, timeout: float = TIMEOUT) -> None:
    """`pandoc --sandbox -f READER -t TO SOURCE -o OUTPUT ARGS`, run in the source's folder."""
    command = [pypandoc.get_pandoc_path(), "--sandbox", "-f", READER, "-t", to, source.name,
               "-o", str(output.resolve()), *args]
    try:
        done = subprocess.run(command, cwd=source.parent, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise Abort(f"pandoc tidak selesai dalam {timeout:g} detik untuk {source.name}") from None
    if done.returncode != 0:
        raise Abort(f"pandoc gagal mengolah {source.name}:\n{done.stderr.strip()[-2000:]}")


# typst downloads packages through the proxy named in the environment; during a compile that
# proxy is a closed port on this machine, so a package import fails instead of fetching.
NO_NETWORK = "http://127.0.0.1:9"
_PROXY_VARS = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
_NO_PROXY_VARS = ("NO_PROXY", "no_proxy")

# typst memoises what it compiled (about 30 MB a document) and never forgets it in a process: it
# compiles in a helper process of its own, which ends after this many books or this much memory
# and is started again at the next one (0.3 s). A compile that overruns is killed, not abandoned.
COMPILES_PER_HELPER = 12
HELPER_MEMORY = 280 * 1024 * 1024  # a Buku II alone takes about 230 MB in a fresh helper


class _TypstHelper:
    """This process's typst (`python -m cetakbiru.sandbox`), one JSON line per compile each way."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.stderr: IO[bytes] | None = None  # a file, not a pipe: a talkative helper never blocks

    def compile(self, request: dict, timeout: float) -> dict:
        for attempt in (1, 2):  # a helper that ended by itself (its limit) is started again
            if self.proc is not None and self.proc.poll() is not None:
                self.close()  # it ended by itself (its limit): its pipes closed, its status read
            if self.proc is None:
                self.proc = self._start()
            assert self.proc.stdin is not None and self.proc.stdout is not None
            try:
                self.proc.stdin.write(json.dumps(request) + "\n")
                self.proc.stdin.flush()
            except BrokenPipeError:
                self.close()
                continue
            ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
            if not ready:
                self.close(kill=True)
                raise Abort(f"Typst tidak selesai dalam {timeout:g} detik untuk {Path(request['output']).name}")
            line = self.proc.stdout.readline()
            if line:
                return json.loads(line)
            stderr = self.close()
            if attempt == 2:
                raise Abort(f"Typst berhenti saat menyusun {Path(request['output']).name}:\n{stderr[-2000:]}")
        raise AssertionError("unreachable")

    def _start(self) -> subprocess.Popen:
        from . import publish
        from .paths import PACKAGE

        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PACKAGE.parent),
                                                                          os.environ.get("PYTHONPATH")]))}
        self.stderr = tempfile.TemporaryFile()
        return subprocess.Popen([sys.executable, "-m", "cetakbiru.sandbox"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=self.stderr, text=True, env=env,
                                preexec_fn=publish.die_with_parent())

    def close(self, *, kill: bool = False) -> str:
        """End the helper; returns what it printed on its standard error."""
        proc, self.proc = self.proc, None
        if proc is None:
            return ""
        if kill:
            proc.kill()
        try:
            proc.communicate(input=None if kill else "", timeout=30)
        except (subprocess.TimeoutExpired, ValueError, OSError):
            proc.kill()
            proc.communicate()
        said = b""
        if self.stderr is not None:
            self.stderr.seek(0)
            said = self.stderr.read()
            self.stderr.close()
            self.stderr = None
        return said.decode("utf-8", "replace")


_TYPST = _TypstHelper()


def close_typst() -> None:
    """End this process's typst helper (a build's worker, or the build itself, when it is done)."""
    _TYPST.close()


def typst_pdf(source: Path, output: Path, *, fonts: Path, standards: list[PDFStandard],
              timeout: float = TIMEOUT) -> None:
    """Compile `source` to PDF with its folder as the root, in this process's typst helper, with
    a time limit and no network."""
    packages = source.parent / ".typst-paket"  # empty: nothing to find, nothing cached
    packages.mkdir(exist_ok=True)
    answer = _TYPST.compile({"source": str(source), "output": str(output), "fonts": str(fonts),
                             "standards": list(standards), "packages": str(packages), "proxy": NO_NETWORK,
                             "limit": COMPILES_PER_HELPER, "memory": HELPER_MEMORY},
                            timeout)
    if "typst" in answer:
        raise Abort(f"Typst gagal menyusun {output.name}:\n{answer['typst']}")
    if "bug" in answer:
        raise RuntimeError(f"typst helper: {answer['bug']}")


def _serve() -> None:
    """The helper: compile each request of standard input, answer on standard output; end after
    the request's `limit` compiles or past its `memory` (COMPILES_PER_HELPER, HELPER_MEMORY), or
    when the input ends."""
    import typst

    for k in _NO_PROXY_VARS:
        os.environ.pop(k, None)
    for count, line in enumerate(sys.stdin, 1):
        r = json.loads(line)
        os.environ.update({k: r["proxy"] for k in _PROXY_VARS})
        try:
            typst.compile(r["source"], output=r["output"], root=str(Path(r["source"]).parent),
                          font_paths=[r["fonts"]], ignore_system_fonts=True, pdf_standards=r["standards"],
                          package_path=r["packages"], package_cache_path=r["packages"])
            answer: dict = {}
        except typst.TypstError as e:
            answer = {"typst": str(e)}
        except Exception as e:  # noqa: BLE001 - a bug, said to the build
            answer = {"bug": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
        if count >= r["limit"] or _resident() > r["memory"]:
            return


def _resident() -> int:
    """This process's resident memory now, in bytes (what typst keeps after a compile). Not
    ru_maxrss: on Linux it carries over the peak of the process that forked this one."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


if __name__ == "__main__":
    _serve()
