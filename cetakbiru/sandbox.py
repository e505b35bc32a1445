"""The external tools, confined: what a book's Markdown can make pandoc and typst read or fetch.

- pandoc runs as a subprocess in `--sandbox` mode, in the book's work folder, with the reader of
  `escape.READER` (no raw formats, no TeX math) and a time limit. In sandbox mode pandoc reads
  nothing but the files named on its command line and fetches nothing; the pictures a DOCX needs
  are handed to it by our Lua filter, which reads only plain relative paths inside the work folder.
- typst compiles with the book's work folder as its root (it cannot read outside it), the shipped
  fonts only, and an empty package folder of its own. No city text reaches typst code (the Lua
  filter writes only escaped strings), so no `#import "@preview/..."` can appear; if one ever did,
  typst's download goes to `NO_NETWORK` (its proxy for the compile: a closed local port) and fails.

Every failure is an `Abort` whose message names the file; the caller adds the city and book.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
from pathlib import Path
from typing import TYPE_CHECKING

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
_env_lock = threading.Lock()


@contextlib.contextmanager
def _offline():
    with _env_lock:
        saved = {k: os.environ.get(k) for k in (*_PROXY_VARS, *_NO_PROXY_VARS)}
        os.environ.update({k: NO_NETWORK for k in _PROXY_VARS})
        for k in _NO_PROXY_VARS:
            os.environ.pop(k, None)
        try:
            yield
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def typst_pdf(source: Path, output: Path, *, fonts: Path, standards: list[PDFStandard],
              timeout: float = TIMEOUT) -> None:
    """Compile `source` to PDF with its folder as the root, in a thread with a time limit (typst
    releases the GIL; a compile that overruns is abandoned and reported)."""
    import typst

    packages = source.parent / ".typst-paket"  # empty: nothing to find, nothing cached
    packages.mkdir(exist_ok=True)
    outcome: dict[str, BaseException | None] = {"error": None}

    def run() -> None:
        try:
            typst.compile(str(source), output=str(output), root=str(source.parent), font_paths=[str(fonts)],
                          ignore_system_fonts=True, pdf_standards=standards, package_path=str(packages),
                          package_cache_path=str(packages))
        except BaseException as e:  # noqa: BLE001 - reported below, in the caller's thread
            outcome["error"] = e

    worker = threading.Thread(target=run, name=f"typst {source.name}", daemon=True)
    with _offline():
        worker.start()
        worker.join(timeout)
    if worker.is_alive():
        raise Abort(f"Typst tidak selesai dalam {timeout:g} detik untuk {output.name}")
    error = outcome["error"]
    if isinstance(error, typst.TypstError):
        raise Abort(f"Typst gagal menyusun {output.name}:\n{error}")
    if error is not None:
        raise error
