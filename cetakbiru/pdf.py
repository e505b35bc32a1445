"""Book Markdown → PDF: pandoc's typst writer with our template and Lua filter, then the typst
compiler in-process, with the shipped fonts only, tagged, PDF/A-2a and PDF/UA-1. Both run
confined (sandbox.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import labels, sandbox
from .paths import SHARE
from .render import PANDOC_COLUMNS

if TYPE_CHECKING:
    from typst import PDFStandard  # defined in typst's type stubs only

PANDOC_DIR = SHARE / "templates" / "pandoc"
FONTS = SHARE / "fonts"
STANDARDS: list[PDFStandard] = ["a-2a", "ua-1"]


def typst_str(text: str) -> str:
    """A Typst string literal: the only way city text reaches Typst code, so it cannot inject."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def to_typst(markdown_path: Path, typst_path: Path, *, paper: str, variables: dict[str, str]) -> None:
    args = [
        "--standalone",
        f"--template={PANDOC_DIR / 'book.typst'}",
        f"--lua-filter={PANDOC_DIR / 'cetakbiru.lua'}",
        f"--columns={PANDOC_COLUMNS}",
        "--wrap=none",
    ]
    if paper == "F4":
        args += ["-V", "cb-paper-f4=true"]
    lang, region = labels.teks("docx", "bahasa").split("-")  # "id-ID": typst's text language and region
    for name, value in {"cb-text-lang": lang, "cb-text-region": region, **variables}.items():
        args += ["-V", f"{name}-str={typst_str(value)}"]
    sandbox.pandoc(markdown_path, "typst", typst_path, args)


def compile_pdf(typst_path: Path, pdf_path: Path) -> None:
    sandbox.typst_pdf(typst_path, pdf_path, fonts=FONTS, standards=STANDARDS)


def build(markdown_path: Path, pdf_path: Path, *, paper: str = "A4", variables: dict[str, str]) -> None:
    """`variables`: cb-color, cb-author, and cb-logo / cb-logo-alt when there is a logo (plain text)."""
    typst_path = markdown_path.with_suffix(".typ")
    to_typst(markdown_path, typst_path, paper=paper, variables=variables)
    compile_pdf(typst_path, pdf_path)
