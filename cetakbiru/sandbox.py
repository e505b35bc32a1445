"""The external tools, confined: what a book's Markdown can make pandoc and typst read or fetch.

- pandoc runs as a subprocess in `--sandbox` mode, in the book's work folder, with the reader of
  `escape.READER` (no raw formats, no TeX math) and a time limit. In sandbox mode pandoc reads
  nothing but the files named on its command line and fetches nothing; the pictures a DOCX needs
  are handed to it by our Lua filter, which reads only plain relative paths inside the work folder.
- typst compiles with the book's work folder as its root (it cannot read outside it), the shipped
  fonts only, and an empty package folder of its own; no city text reaches typst code (the Lua
  filter writes only escaped strings), so no `#import` of a package can appear, and the source is
  refused before compiling if one ever did.

Every failure is an `Abort` whose message names the file; the caller adds the city and book.
"""

from __future__ import annotations

import re
import subprocess
import threading
from pathlib import Path

import pypandoc

from .escape import READER
from .problems import Abort

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


_PACKAGE_IMPORT = re.compile(r"#\s*(import|include)\s*\"@")


def typst_pdf(source: Path, output: Path, *, fonts: Path, standards: list[str], timeout: float = TIMEOUT) -> None:
    """Compile `source` to PDF with its folder as the root, in a thread with a time limit (typst
    releases the GIL; a compile that overruns is abandoned and reported)."""
    import typst

    code = source.read_text(encoding="utf-8")
    if _PACKAGE_IMPORT.search(code):
        raise Abort(f"{source.name} memuat impor paket Typst; buku tidak boleh mengunduh apa pun")
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
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise Abort(f"Typst tidak selesai dalam {timeout:g} detik untuk {output.name}")
    error = outcome["error"]
    if isinstance(error, typst.TypstError):
        raise Abort(f"Typst gagal menyusun {output.name}:\n{error}")
    if error is not None:
        raise error
