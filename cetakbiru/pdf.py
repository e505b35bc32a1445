"""Book Markdown → PDF: pandoc's typst writer with our template and Lua filter, then the typst
compiler in-process, with the shipped fonts only, tagged, PDF/A-2a and PDF/UA-1."""

from __future__ import annotations

from pathlib import Path

import pypandoc
import typst

from .problems import Abort
from .render import PANDOC_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
PANDOC_DIR = ROOT / "templates" / "pandoc"
FONTS = ROOT / "fonts"
STANDARDS = ["a-2a", "ua-1"]


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
    for name, value in variables.items():
        args += ["-V", f"{name}-str={typst_str(value)}"]
    try:
        pypandoc.convert_file(str(markdown_path), "typst", format="markdown", outputfile=str(typst_path), extra_args=args)
    except RuntimeError as e:
        raise Abort(f"pandoc gagal membuat sumber Typst untuk {markdown_path.name}:\n{e}") from e


def compile_pdf(typst_path: Path, pdf_path: Path) -> None:
    try:
        typst.compile(
            str(typst_path),
            output=str(pdf_path),
            root=str(typst_path.parent),
            font_paths=[str(FONTS)],
            ignore_system_fonts=True,
            pdf_standards=STANDARDS,
        )
    except typst.TypstError as e:
        raise Abort(f"Typst gagal menyusun {pdf_path.name}:\n{e}") from e


def build(markdown_path: Path, pdf_path: Path, *, paper: str = "A4", variables: dict[str, str]) -> None:
    """`variables`: cb-color, cb-author, and cb-logo / cb-logo-alt when there is a logo (plain text)."""
    typst_path = markdown_path.with_suffix(".typ")
    to_typst(markdown_path, typst_path, paper=paper, variables=variables)
    compile_pdf(typst_path, pdf_path)
