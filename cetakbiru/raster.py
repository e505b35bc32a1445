"""SVG figures to PNG (for DOCX, which needs a bitmap fallback), rendered by typst.

The SVG is placed on a typst page exactly as wide as its print width, with automatic height and
no margin, and that single page is rendered at `ppi` pixels per inch.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from .paths import SHARE
from .publish import pid_alive

FONTS_DIR = SHARE / "fonts"
PREFIX = "cetakbiru-fig-"  # <temporary folder>/cetakbiru-fig-<pid>-<random>: a rendering's work folder


def sweep() -> None:
    """Delete the work folders of renderings whose process was killed (their pid is gone), and those
    of the previous naming (no pid). A finished rendering deletes its own."""
    for path in Path(tempfile.gettempdir()).glob(PREFIX + "*"):
        owner = re.match(rf"{PREFIX}(\d+)-", path.name)
        if owner is None or not pid_alive(int(owner.group(1))):
            shutil.rmtree(path, ignore_errors=True)


def to_png(svg: str, width_mm: float, ppi: int = 220) -> bytes:
    import typst  # imported here: only rendering needs it

    with tempfile.TemporaryDirectory(prefix=f"{PREFIX}{os.getpid()}-") as tmp:
        root = Path(tmp)
        (root / "fig.svg").write_text(svg, encoding="utf-8")
        (root / "main.typ").write_text(
            f'#set page(width: {width_mm:.2f}mm, height: auto, margin: 0pt)\n#image("fig.svg", width: 100%)\n',
            encoding="utf-8",
        )
        # Only the shipped fonts, as in the PDF: the picture is the same on every machine.
        out = typst.compile(str(root / "main.typ"), root=str(root), font_paths=[str(FONTS_DIR)],
                            ignore_system_fonts=True, format="png", ppi=ppi)
    if isinstance(out, list):  # typst returns a list when there is more than one page
        if len(out) != 1:
            raise RuntimeError(f"figure rendered to {len(out)} pages, expected 1")
        out = out[0]
    return bytes(out)
