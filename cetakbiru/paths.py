"""Where Cetak Biru finds what it ships, and where it works. Standard library only.

Two places, which are one and the same in a checkout:

- `SHARE`: the shipped resources a build reads (templates/, data/, fonts/, content/, mkdocs.yml,
  requirements.txt). In an installed package they sit inside it, in `cetakbiru/_share/` (put there
  by the wheel, see pyproject.toml); in a checkout they are the repository root.
- `project()`: the working project, the folder holding `cities/` and receiving `build/`, `site`
  and `schema/`. In a checkout (`python3 build.py`) it is the repository root; for the installed
  `cetakbiru` command it is the current folder. `CETAKBIRU_PROJECT=FOLDER` overrides both.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent  # the repository root when running from a checkout
INSTALLED = (PACKAGE / "_share").is_dir()
SHARE = PACKAGE / "_share" if INSTALLED else CHECKOUT


def project() -> Path:
    """The working project folder (absolute): `CETAKBIRU_PROJECT`, else the current folder for an
    installed package, else the checkout."""
    chosen = os.environ.get("CETAKBIRU_PROJECT")
    if chosen:
        return Path(chosen).absolute()
    return Path.cwd() if INSTALLED else CHECKOUT
